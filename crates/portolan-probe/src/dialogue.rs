//! What each protocol says at each step, and how its answers read: the commands (EHLO /
//! CAPABILITY / CAPA, STARTTLS / STLS, QUIT / LOGOUT, the login commands) and the meaning of
//! greetings, capability lists and STARTTLS replies. The probe's state machine asks this module
//! and stays the same for SMTP, IMAP and POP3.

use portolan_core::model::Protocol;

use crate::reply::{capability_code, Expect, ImapLine, ImapStatus, Response};

/// The name the probe gives in EHLO: a reserved name (RFC 2606), so no real host is claimed.
pub const EHLO_NAME: &str = "portolan.invalid";

/// The probe's side of one exchange: the bytes to send and the answer's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// Hands out IMAP tags (`p1`, `p2`, …); the other protocols have none.
#[derive(Debug, Clone, Default)]
pub struct Tags {
    next: u32,
}

impl Tags {
    pub fn next(&mut self) -> String {
        self.next += 1;
        format!("p{}", self.next)
    }
}

/// The answer expected to the greeting.
pub fn greeting(protocol: Protocol) -> Expect {
    match protocol {
        Protocol::Submission => Expect::Smtp,
        Protocol::Imap => Expect::ImapGreeting,
        Protocol::Pop3 => Expect::Pop3Status,
    }
}

/// What a greeting said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Greeting {
    /// The text as sent, for the report.
    pub banner: String,
    /// False when the server turned the client away (SMTP 554, IMAP BYE, POP3 -ERR).
    pub welcome: bool,
    /// Capabilities the greeting already listed (IMAP's `[CAPABILITY …]` code).
    pub capabilities: Option<Vec<String>>,
}

/// Reads a greeting; `None` when the response does not fit the protocol at all.
pub fn read_greeting(response: &Response) -> Option<Greeting> {
    match response {
        Response::Smtp(reply) => Some(Greeting {
            banner: reply.text(),
            welcome: reply.code == 220,
            capabilities: None,
        }),
        Response::Imap {
            last: ImapLine::Status { status, text },
            ..
        } => {
            let word = match status {
                ImapStatus::Ok => "OK",
                ImapStatus::Preauth => "PREAUTH",
                ImapStatus::Bye => "BYE",
                ImapStatus::No => "NO",
                ImapStatus::Bad => "BAD",
            };
            Some(Greeting {
                banner: format!("* {word} {text}"),
                welcome: matches!(status, ImapStatus::Ok | ImapStatus::Preauth),
                capabilities: capability_code(text),
            })
        }
        Response::Pop3(answer) => Some(Greeting {
            banner: format!("{} {}", if answer.ok { "+OK" } else { "-ERR" }, answer.text)
                .trim_end()
                .to_owned(),
            welcome: answer.ok,
            capabilities: None,
        }),
        _ => None,
    }
}

/// The command that asks for capabilities.
pub fn capabilities(protocol: Protocol, tags: &mut Tags) -> Command {
    match protocol {
        Protocol::Submission => Command {
            bytes: format!("EHLO {EHLO_NAME}\r\n").into_bytes(),
            expect: Expect::Smtp,
        },
        Protocol::Imap => {
            let tag = tags.next();
            Command {
                bytes: format!("{tag} CAPABILITY\r\n").into_bytes(),
                expect: Expect::ImapTagged {
                    tag,
                    continuation: false,
                },
            }
        }
        Protocol::Pop3 => Command {
            bytes: b"CAPA\r\n".to_vec(),
            expect: Expect::Pop3Multi,
        },
    }
}

/// Reads a capability answer: `Ok` with the list (empty when the server has no capability
/// command, as an old POP3 server without CAPA), `Err` with the server's words when it refused.
pub fn read_capabilities(response: &Response) -> Result<Vec<String>, String> {
    match response {
        Response::Smtp(reply) if reply.code == 250 => Ok(reply
            .lines
            .iter()
            .skip(1)
            .map(|line| line.trim().to_owned())
            .collect()),
        Response::Smtp(reply) => Err(reply.text()),
        Response::Imap { untagged, last } => {
            let from_untagged = untagged.iter().find_map(|line| match line {
                ImapLine::Capability(list) => Some(list.clone()),
                _ => None,
            });
            match last {
                ImapLine::Tagged {
                    status: ImapStatus::Ok,
                    text,
                    ..
                } => Ok(from_untagged
                    .or_else(|| capability_code(text))
                    .unwrap_or_default()),
                ImapLine::Tagged { text, .. } => Err(text.clone()),
                _ => Err("unexpected answer".into()),
            }
        }
        Response::Pop3(answer) if answer.ok => Ok(answer.lines.clone()),
        // RFC 2449: a server without CAPA answers -ERR; it simply lists nothing.
        Response::Pop3(_) => Ok(Vec::new()),
        Response::Pop3Challenge(text) => Err(text.clone()),
    }
}

/// Whether the capability list offers the STARTTLS upgrade.
pub fn offers_starttls(protocol: Protocol, capabilities: &[String]) -> bool {
    let keyword = match protocol {
        Protocol::Submission | Protocol::Imap => "STARTTLS",
        Protocol::Pop3 => "STLS",
    };
    capabilities
        .iter()
        .any(|capability| capability.eq_ignore_ascii_case(keyword))
}

/// The STARTTLS command; with `inject`, a second command follows in the same write (the
/// CVE-2011-0411 test: a correct server must discard it).
pub fn starttls(protocol: Protocol, tags: &mut Tags, inject: bool) -> Command {
    let (mut bytes, expect) = match protocol {
        Protocol::Submission => (b"STARTTLS\r\n".to_vec(), Expect::Smtp),
        Protocol::Imap => {
            let tag = tags.next();
            (
                format!("{tag} STARTTLS\r\n").into_bytes(),
                Expect::ImapTagged {
                    tag,
                    continuation: false,
                },
            )
        }
        Protocol::Pop3 => (b"STLS\r\n".to_vec(), Expect::Pop3Status),
    };
    if inject {
        let injected = match protocol {
            Protocol::Submission => "NOOP\r\n".to_owned(),
            Protocol::Imap => format!("{} NOOP\r\n", tags.next()),
            Protocol::Pop3 => "CAPA\r\n".to_owned(),
        };
        bytes.extend_from_slice(injected.as_bytes());
    }
    Command { bytes, expect }
}

/// Reads the STARTTLS answer: `Ok` to go ahead with TLS, `Err` with the server's words.
pub fn read_starttls(response: &Response) -> Result<(), String> {
    match response {
        Response::Smtp(reply) if reply.code == 220 => Ok(()),
        Response::Smtp(reply) => Err(reply.text()),
        Response::Imap {
            last:
                ImapLine::Tagged {
                    status: ImapStatus::Ok,
                    ..
                },
            ..
        } => Ok(()),
        Response::Imap {
            last: ImapLine::Tagged { text, .. },
            ..
        } => Err(text.clone()),
        Response::Pop3(answer) if answer.ok => Ok(()),
        Response::Pop3(answer) => Err(format!("-ERR {}", answer.text)),
        _ => Err("unexpected answer".into()),
    }
}

/// The goodbye (not waited for: the probe closes right after).
pub fn quit(protocol: Protocol, tags: &mut Tags) -> Vec<u8> {
    match protocol {
        Protocol::Submission | Protocol::Pop3 => b"QUIT\r\n".to_vec(),
        Protocol::Imap => format!("{} LOGOUT\r\n", tags.next()).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Pop3Answer, SmtpReply};

    #[test]
    fn greetings_of_each_protocol() {
        let smtp = read_greeting(&Response::Smtp(SmtpReply {
            code: 554,
            lines: vec!["no service".into()],
        }))
        .unwrap();
        assert!(!smtp.welcome);
        assert_eq!(smtp.banner, "554 no service");
        let imap = read_greeting(&Response::Imap {
            untagged: vec![],
            last: ImapLine::Status {
                status: ImapStatus::Preauth,
                text: "[CAPABILITY IMAP4rev2] hi".into(),
            },
        })
        .unwrap();
        assert!(imap.welcome);
        assert_eq!(imap.capabilities, Some(vec!["IMAP4rev2".into()]));
        let pop = read_greeting(&Response::Pop3(Pop3Answer {
            ok: true,
            text: "ready".into(),
            lines: vec![],
        }))
        .unwrap();
        assert_eq!(pop.banner, "+OK ready");
    }

    #[test]
    fn capabilities_and_starttls() {
        let ehlo = Response::Smtp(SmtpReply {
            code: 250,
            lines: vec![
                "mail.example".into(),
                "PIPELINING".into(),
                "STARTTLS".into(),
            ],
        });
        let list = read_capabilities(&ehlo).unwrap();
        assert_eq!(list, vec!["PIPELINING", "STARTTLS"]);
        assert!(offers_starttls(Protocol::Submission, &list));
        assert!(!offers_starttls(Protocol::Pop3, &list));
        let mut tags = Tags::default();
        let command = starttls(Protocol::Imap, &mut tags, true);
        assert_eq!(command.bytes, b"p1 STARTTLS\r\np2 NOOP\r\n");
        assert_eq!(
            capabilities(Protocol::Imap, &mut tags).bytes,
            b"p3 CAPABILITY\r\n"
        );
        assert_eq!(quit(Protocol::Imap, &mut tags), b"p4 LOGOUT\r\n");
        assert_eq!(
            read_starttls(&Response::Smtp(SmtpReply {
                code: 454,
                lines: vec!["TLS not available".into()]
            })),
            Err("454 TLS not available".into())
        );
    }
}
