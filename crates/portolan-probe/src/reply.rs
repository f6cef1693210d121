//! Reading server responses, line by line, into whole responses: SMTP replies (RFC 5321 §4.2,
//! multi-line with `ddd-`), IMAP responses (RFC 9051 §7: untagged `*`, continuation `+`,
//! tagged completion), POP3 status lines and multi-line answers (RFC 1939 §3, dot-stuffed).
//!
//! A [`Collector`] is told what shape of answer to wait for and fed complete lines; it returns
//! the [`Response`] once complete. Anything that does not fit the protocol is a
//! [`ReplyError`], never a panic (fuzzed: `fuzz/`).

use thiserror::Error;

/// The most lines one response may have (an EHLO or CAPA list is a few dozen).
pub const MAX_RESPONSE_LINES: usize = 256;

/// What was wrong with a server's response.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplyError {
    #[error("the server sent a line that is not an SMTP reply: {0:?}")]
    NotSmtp(String),
    #[error("the SMTP reply changed its code mid-way: {0:?}")]
    MixedSmtpCodes(String),
    #[error("the server sent a line that is not an IMAP response: {0:?}")]
    NotImap(String),
    #[error("the server sent a line that is not a POP3 status: {0:?}")]
    NotPop3(String),
    #[error("the response has more than {MAX_RESPONSE_LINES} lines")]
    TooManyLines,
}

/// An SMTP reply: its three-digit code and its text lines (without the code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReply {
    pub code: u16,
    pub lines: Vec<String>,
}

impl SmtpReply {
    /// 2xx and 3xx are positive (RFC 5321 §4.2.1).
    pub fn is_positive(&self) -> bool {
        (200..400).contains(&self.code)
    }

    /// The reply as the server wrote it, lines joined by a space.
    pub fn text(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" "))
    }
}

/// The status of a tagged or untagged IMAP status response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImapStatus {
    Ok,
    No,
    Bad,
    Preauth,
    Bye,
}

/// One IMAP response line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImapLine {
    /// `* OK …`, `* BYE …`, `* PREAUTH …` (and `* NO`, `* BAD`).
    Status { status: ImapStatus, text: String },
    /// `* CAPABILITY …`: the capabilities, as sent.
    Capability(Vec<String>),
    /// Any other untagged data (`* 3 EXISTS`, `* ENABLED`, …).
    Data(String),
    /// `+ …`: the server waits for more from the client.
    Continuation(String),
    /// `tag OK|NO|BAD …`: the end of a command.
    Tagged {
        tag: String,
        status: ImapStatus,
        text: String,
    },
}

impl ImapLine {
    /// Reads one line.
    pub fn parse(line: &str) -> Result<ImapLine, ReplyError> {
        let not_imap = || ReplyError::NotImap(clip(line));
        if let Some(rest) = line.strip_prefix('+') {
            return Ok(ImapLine::Continuation(rest.trim_start().to_owned()));
        }
        let (tag, rest) = line.split_once(' ').ok_or_else(not_imap)?;
        let (word, text) = rest.split_once(' ').unwrap_or((rest, ""));
        let status = match word.to_ascii_uppercase().as_str() {
            "OK" => Some(ImapStatus::Ok),
            "NO" => Some(ImapStatus::No),
            "BAD" => Some(ImapStatus::Bad),
            "PREAUTH" => Some(ImapStatus::Preauth),
            "BYE" => Some(ImapStatus::Bye),
            _ => None,
        };
        if tag == "*" {
            return Ok(match status {
                Some(status) => ImapLine::Status {
                    status,
                    text: text.to_owned(),
                },
                None if word.eq_ignore_ascii_case("CAPABILITY") => {
                    ImapLine::Capability(words(text))
                }
                None => ImapLine::Data(rest.to_owned()),
            });
        }
        let valid_tag = !tag.is_empty()
            && tag
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]+".contains(&b));
        match status {
            Some(status @ (ImapStatus::Ok | ImapStatus::No | ImapStatus::Bad)) if valid_tag => {
                Ok(ImapLine::Tagged {
                    tag: tag.to_owned(),
                    status,
                    text: text.to_owned(),
                })
            }
            _ => Err(not_imap()),
        }
    }
}

/// The capabilities in a status text's `[CAPABILITY …]` response code (RFC 9051 §7.1), if any.
pub fn capability_code(text: &str) -> Option<Vec<String>> {
    let inner = text.strip_prefix('[')?;
    let (code, _) = inner.split_once(']')?;
    let (word, list) = code.split_once(' ').unwrap_or((code, ""));
    word.eq_ignore_ascii_case("CAPABILITY").then(|| words(list))
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// A POP3 answer: the status line, and for multi-line answers the lines after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pop3Answer {
    pub ok: bool,
    pub text: String,
    pub lines: Vec<String>,
}

/// A whole response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    Smtp(SmtpReply),
    /// The untagged lines and the line that completed the wait (a tagged completion, a
    /// continuation, or for a greeting the untagged status).
    Imap {
        untagged: Vec<ImapLine>,
        last: ImapLine,
    },
    Pop3(Pop3Answer),
    /// A POP3 SASL challenge (`+ base64`).
    Pop3Challenge(String),
}

/// The shape of the answer being waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// One SMTP reply, however many lines.
    Smtp,
    /// The IMAP greeting: untagged lines until an untagged OK, PREAUTH or BYE.
    ImapGreeting,
    /// Untagged lines until the completion with this tag (or a continuation, when allowed).
    ImapTagged { tag: String, continuation: bool },
    /// One POP3 status line.
    Pop3Status,
    /// A POP3 status line, and when it is `+OK`, lines up to the terminating `.`.
    Pop3Multi,
    /// During POP3 SASL (RFC 5034): a status line or a `+ ` challenge.
    Pop3Sasl,
}

/// Gathers lines into one response of the expected shape.
#[derive(Debug, Clone)]
pub struct Collector {
    expect: Expect,
    smtp: Option<SmtpReply>,
    imap: Vec<ImapLine>,
    pop3: Option<Pop3Answer>,
}

impl Collector {
    pub fn new(expect: Expect) -> Self {
        Collector {
            expect,
            smtp: None,
            imap: Vec::new(),
            pop3: None,
        }
    }

    /// Feeds one line; the response once it is complete.
    pub fn push_line(&mut self, line: &str) -> Result<Option<Response>, ReplyError> {
        if self.imap.len() + self.smtp.as_ref().map_or(0, |r| r.lines.len()) >= MAX_RESPONSE_LINES
            || self
                .pop3
                .as_ref()
                .is_some_and(|a| a.lines.len() >= MAX_RESPONSE_LINES)
        {
            return Err(ReplyError::TooManyLines);
        }
        match &self.expect {
            Expect::Smtp => self.push_smtp(line),
            Expect::ImapGreeting => {
                let parsed = ImapLine::parse(line)?;
                match parsed {
                    ImapLine::Status { .. } => Ok(Some(Response::Imap {
                        untagged: std::mem::take(&mut self.imap),
                        last: parsed,
                    })),
                    _ => Err(ReplyError::NotImap(clip(line))),
                }
            }
            Expect::ImapTagged { tag, continuation } => {
                let parsed = ImapLine::parse(line)?;
                let done = match &parsed {
                    ImapLine::Tagged { tag: got, .. } => got == tag,
                    ImapLine::Continuation(_) => *continuation,
                    _ => false,
                };
                if done {
                    Ok(Some(Response::Imap {
                        untagged: std::mem::take(&mut self.imap),
                        last: parsed,
                    }))
                } else if let ImapLine::Tagged { .. } | ImapLine::Continuation(_) = parsed {
                    Err(ReplyError::NotImap(clip(line)))
                } else {
                    self.imap.push(parsed);
                    Ok(None)
                }
            }
            Expect::Pop3Status => Ok(Some(Response::Pop3(pop3_status(line)?))),
            Expect::Pop3Sasl => match line.strip_prefix('+') {
                Some(rest) if !rest.starts_with("OK") => {
                    Ok(Some(Response::Pop3Challenge(rest.trim_start().to_owned())))
                }
                _ => Ok(Some(Response::Pop3(pop3_status(line)?))),
            },
            Expect::Pop3Multi => match &mut self.pop3 {
                None => {
                    let status = pop3_status(line)?;
                    if status.ok {
                        self.pop3 = Some(status);
                        Ok(None)
                    } else {
                        Ok(Some(Response::Pop3(status)))
                    }
                }
                Some(answer) => {
                    if line == "." {
                        let answer = self.pop3.take().ok_or(ReplyError::TooManyLines)?;
                        return Ok(Some(Response::Pop3(answer)));
                    }
                    let unstuffed = line.strip_prefix('.').unwrap_or(line);
                    answer.lines.push(unstuffed.to_owned());
                    Ok(None)
                }
            },
        }
    }

    fn push_smtp(&mut self, line: &str) -> Result<Option<Response>, ReplyError> {
        let not_smtp = || ReplyError::NotSmtp(clip(line));
        let bytes = line.as_bytes();
        if bytes.len() < 3 || !bytes[..3].iter().all(u8::is_ascii_digit) {
            return Err(not_smtp());
        }
        let code: u16 = line[..3].parse().map_err(|_| not_smtp())?;
        if !(200..600).contains(&code) {
            return Err(not_smtp());
        }
        let (last, text) = match bytes.get(3) {
            None => (true, ""),
            Some(b' ') => (true, &line[4..]),
            Some(b'-') => (false, &line[4..]),
            Some(_) => return Err(not_smtp()),
        };
        let reply = self.smtp.get_or_insert_with(|| SmtpReply {
            code,
            lines: Vec::new(),
        });
        if reply.code != code {
            return Err(ReplyError::MixedSmtpCodes(clip(line)));
        }
        reply.lines.push(text.to_owned());
        if last {
            Ok(self.smtp.take().map(Response::Smtp))
        } else {
            Ok(None)
        }
    }
}

fn pop3_status(line: &str) -> Result<Pop3Answer, ReplyError> {
    let (ok, rest) = if let Some(rest) = line.strip_prefix("+OK") {
        (true, rest)
    } else if let Some(rest) = line.strip_prefix("-ERR") {
        (false, rest)
    } else {
        return Err(ReplyError::NotPop3(clip(line)));
    };
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return Err(ReplyError::NotPop3(clip(line)));
    }
    Ok(Pop3Answer {
        ok,
        text: rest.trim_start().to_owned(),
        lines: Vec::new(),
    })
}

/// Server text made safe to show: control characters (a terminal's escape sequences among
/// them) replaced by U+FFFD.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// A line shortened for an error message, control characters made visible.
pub fn clip(line: &str) -> String {
    let mut shown: String = line
        .chars()
        .take(120)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if line.chars().count() > 120 {
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(expect: Expect, lines: &[&str]) -> Result<Option<Response>, ReplyError> {
        let mut collector = Collector::new(expect);
        let mut last = Ok(None);
        for line in lines {
            last = collector.push_line(line);
            if !matches!(last, Ok(None)) {
                break;
            }
        }
        last
    }

    #[test]
    fn smtp_multi_line_replies() {
        let reply = collect(
            Expect::Smtp,
            &["250-mail.example.test", "250-PIPELINING", "250 STARTTLS"],
        );
        assert_eq!(
            reply,
            Ok(Some(Response::Smtp(SmtpReply {
                code: 250,
                lines: vec![
                    "mail.example.test".into(),
                    "PIPELINING".into(),
                    "STARTTLS".into()
                ]
            })))
        );
        assert_eq!(
            collect(Expect::Smtp, &["220"]),
            Ok(Some(Response::Smtp(SmtpReply {
                code: 220,
                lines: vec!["".into()]
            })))
        );
        assert!(matches!(
            collect(Expect::Smtp, &["250-a", "251 b"]),
            Err(ReplyError::MixedSmtpCodes(_))
        ));
        for bad in [
            "* OK IMAP4rev1",
            "25",
            "2500 x",
            "099 x",
            "abc def",
            "250_x",
            "",
        ] {
            assert!(
                matches!(collect(Expect::Smtp, &[bad]), Err(ReplyError::NotSmtp(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn imap_greetings_and_tagged_completions() {
        let greeting = collect(
            Expect::ImapGreeting,
            &["* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] Dovecot ready."],
        )
        .unwrap()
        .unwrap();
        let Response::Imap {
            last: ImapLine::Status { status, text },
            ..
        } = greeting
        else {
            panic!("{greeting:?}")
        };
        assert_eq!(status, ImapStatus::Ok);
        assert_eq!(
            capability_code(&text).unwrap(),
            vec!["IMAP4rev1", "STARTTLS", "LOGINDISABLED"]
        );
        let tagged = collect(
            Expect::ImapTagged {
                tag: "p1".into(),
                continuation: false,
            },
            &[
                "* CAPABILITY IMAP4rev2 AUTH=PLAIN",
                "* 3 EXISTS",
                "p1 OK done",
            ],
        )
        .unwrap()
        .unwrap();
        let Response::Imap { untagged, last } = tagged else {
            panic!()
        };
        assert_eq!(
            untagged[0],
            ImapLine::Capability(vec!["IMAP4rev2".into(), "AUTH=PLAIN".into()])
        );
        assert_eq!(untagged[1], ImapLine::Data("3 EXISTS".into()));
        assert!(matches!(
            last,
            ImapLine::Tagged {
                status: ImapStatus::Ok,
                ..
            }
        ));
        assert!(
            collect(
                Expect::ImapTagged {
                    tag: "p2".into(),
                    continuation: false
                },
                &["p1 OK stale"]
            )
            .is_err(),
            "a completion for another tag is a protocol error"
        );
        assert!(matches!(
            collect(
                Expect::ImapTagged {
                    tag: "p3".into(),
                    continuation: true
                },
                &["+ "]
            ),
            Ok(Some(Response::Imap {
                last: ImapLine::Continuation(_),
                ..
            }))
        ));
        for gibberish in ["220 mail ESMTP", "+OK pop3", "\u{1}\u{2}", "", "*"] {
            assert!(
                collect(Expect::ImapGreeting, &[gibberish]).is_err(),
                "{gibberish:?}"
            );
        }
        assert_eq!(capability_code("[ALERT] x"), None);
    }

    #[test]
    fn pop3_status_and_multi_line() {
        assert_eq!(
            collect(Expect::Pop3Status, &["+OK Dovecot ready."]),
            Ok(Some(Response::Pop3(Pop3Answer {
                ok: true,
                text: "Dovecot ready.".into(),
                lines: vec![]
            })))
        );
        let capa = collect(
            Expect::Pop3Multi,
            &["+OK", "CAPA", "STLS", "..dot", "SASL PLAIN", "."],
        );
        assert_eq!(
            capa,
            Ok(Some(Response::Pop3(Pop3Answer {
                ok: true,
                text: "".into(),
                lines: vec![
                    "CAPA".into(),
                    "STLS".into(),
                    ".dot".into(),
                    "SASL PLAIN".into()
                ]
            })))
        );
        assert!(matches!(
            collect(Expect::Pop3Multi, &["-ERR no"]),
            Ok(Some(Response::Pop3(Pop3Answer { ok: false, .. })))
        ));
        assert_eq!(
            collect(Expect::Pop3Sasl, &["+ cj1hYmM="]),
            Ok(Some(Response::Pop3Challenge("cj1hYmM=".into())))
        );
        assert!(matches!(
            collect(Expect::Pop3Sasl, &["+OK Logged in."]),
            Ok(Some(Response::Pop3(Pop3Answer { ok: true, .. })))
        ));
        for bad in ["+OKAY", "OK", "220 smtp", "-ER"] {
            assert!(collect(Expect::Pop3Status, &[bad]).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn responses_are_bounded() {
        let mut collector = Collector::new(Expect::Smtp);
        let mut result = Ok(None);
        for _ in 0..=MAX_RESPONSE_LINES {
            result = collector.push_line("250-x");
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(ReplyError::TooManyLines));
    }
}
