//! The optional login test, once TLS is up and the certificate verified: the best mechanism
//! the server offers (SCRAM-SHA-256, then PLAIN, then LOGIN; IMAP's LOGIN command or POP3's
//! USER/PASS when no SASL mechanism fits), one attempt, and the server's words as the result.
//!
//! The exchange is the same for the three protocols once their answers are read as a
//! challenge, a success or a failure; only the first command differs.

use portolan_core::model::{
    offered_mechanisms, LoginOutcome, LoginReport, Protocol, IMAP_LOGIN_COMMAND, POP3_USER_PASS,
};

use crate::dialogue::{Command, Tags};
use crate::reply::{Expect, ImapLine, ImapStatus, Response};
use crate::sasl::{login_response, plain_response, Credentials, Mechanism, Scram};

/// An answer during login, whatever the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// The server wants more (SMTP 334, IMAP `+`, POP3 `+ `), with its base64 data.
    Challenge(String),
    Success(String),
    Failure(String),
}

fn classify(response: &Response) -> Answer {
    match response {
        Response::Smtp(reply) if reply.code == 334 => {
            Answer::Challenge(reply.lines.first().cloned().unwrap_or_default())
        }
        Response::Smtp(reply) if reply.is_positive() => Answer::Success(reply.text()),
        Response::Smtp(reply) => Answer::Failure(reply.text()),
        Response::Imap {
            last: ImapLine::Continuation(data),
            ..
        } => Answer::Challenge(data.clone()),
        Response::Imap {
            last:
                ImapLine::Tagged {
                    status: ImapStatus::Ok,
                    text,
                    ..
                },
            ..
        } => Answer::Success(format!("OK {text}")),
        Response::Imap {
            last: ImapLine::Tagged { status, text, .. },
            ..
        } => Answer::Failure(format!(
            "{} {text}",
            if *status == ImapStatus::No {
                "NO"
            } else {
                "BAD"
            }
        )),
        Response::Imap { .. } => Answer::Failure("unexpected answer".into()),
        Response::Pop3Challenge(data) => Answer::Challenge(data.clone()),
        Response::Pop3(answer) if answer.ok => Answer::Success(format!("+OK {}", answer.text)),
        Response::Pop3(answer) => Answer::Failure(format!("-ERR {}", answer.text)),
    }
}

/// How the login is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Sasl(Mechanism),
    /// IMAP's own `LOGIN user password` command.
    ImapLogin,
    /// POP3's `USER` then `PASS`.
    Pop3UserPass,
}

impl Method {
    fn label(self) -> &'static str {
        match self {
            Method::Sasl(mechanism) => mechanism.name(),
            Method::ImapLogin => "IMAP LOGIN",
            Method::Pop3UserPass => "USER/PASS",
        }
    }
}

/// Where the exchange stands.
enum Stage {
    /// The mechanism was named without an initial response; the first challenge is next.
    AwaitFirstChallenge,
    /// LOGIN's prompts, answered so far.
    LoginPrompts(u8),
    /// SCRAM: waiting for the server-first message.
    ScramServerFirst(Scram),
    /// SCRAM: waiting for the server-final message.
    ScramServerFinal(Scram),
    /// POP3: USER was accepted, PASS is next.
    Pop3User,
    /// The final answer.
    Final,
}

/// What the probe does next.
pub(crate) enum Next {
    Send(Command),
    Done(LoginReport),
}

/// A login in progress.
pub(crate) struct Login {
    method: Method,
    stage: Stage,
    expect: Expect,
}

impl Login {
    /// Starts the login with the best method `capabilities` allow; the report of a skipped
    /// login when none fits.
    pub(crate) fn start(
        protocol: Protocol,
        capabilities: &[String],
        credentials: &Credentials,
        tags: &mut Tags,
        nonce: &[u8],
    ) -> Result<(Login, Command), LoginReport> {
        let offered = offered_mechanisms(protocol, capabilities);
        let initial_response_allowed = match protocol {
            Protocol::Imap => capabilities
                .iter()
                .any(|capability| capability.eq_ignore_ascii_case("SASL-IR")),
            // RFC 5034 §4: the whole AUTH command, initial response included, is at most 255
            // octets; a longer one waits for the server's empty challenge.
            Protocol::Pop3 => plain_response(credentials).len() + "AUTH PLAIN ".len() <= 253,
            Protocol::Submission => true,
        };
        let method = match Mechanism::choose(&offered) {
            Some(mechanism) => Method::Sasl(mechanism),
            None if offered.iter().any(|m| m == IMAP_LOGIN_COMMAND) => Method::ImapLogin,
            None if offered.iter().any(|m| m == POP3_USER_PASS) => Method::Pop3UserPass,
            None => {
                return Err(skipped(format!(
                    "the server offers no password login Portolan can test (offered: {})",
                    if offered.is_empty() {
                        "nothing".to_owned()
                    } else {
                        offered.join(", ")
                    }
                )))
            }
        };
        let tag = (protocol == Protocol::Imap).then(|| tags.next());
        let expect = match (&tag, protocol) {
            (Some(tag), _) => Expect::ImapTagged {
                tag: tag.clone(),
                continuation: true,
            },
            (None, Protocol::Pop3) if method == Method::Pop3UserPass => Expect::Pop3Status,
            (None, Protocol::Pop3) => Expect::Pop3Sasl,
            (None, _) => Expect::Smtp,
        };
        let prefix = match (&tag, protocol) {
            (Some(tag), _) => format!("{tag} AUTHENTICATE"),
            (None, _) => "AUTH".to_owned(),
        };
        let (line, stage) = match method {
            Method::Sasl(Mechanism::Plain) if initial_response_allowed => (
                format!("{prefix} PLAIN {}", *plain_response(credentials)),
                Stage::Final,
            ),
            Method::Sasl(Mechanism::Plain) => {
                (format!("{prefix} PLAIN"), Stage::AwaitFirstChallenge)
            }
            Method::Sasl(Mechanism::Login) => (format!("{prefix} LOGIN"), Stage::LoginPrompts(0)),
            Method::Sasl(Mechanism::ScramSha256) => {
                let (scram, first) = Scram::start(credentials, nonce);
                if initial_response_allowed {
                    (
                        format!("{prefix} SCRAM-SHA-256 {first}"),
                        Stage::ScramServerFirst(scram),
                    )
                } else {
                    (
                        format!("{prefix} SCRAM-SHA-256"),
                        Stage::AwaitFirstChallenge,
                    )
                }
            }
            Method::ImapLogin => {
                let (Some(user), Some(password)) = (
                    imap_quoted(&credentials.user),
                    imap_quoted(credentials.password()),
                ) else {
                    return Err(skipped(
                        "the user name or password has characters IMAP's LOGIN command cannot carry"
                            .into(),
                    ));
                };
                let tag = tag.unwrap_or_default();
                (format!("{tag} LOGIN {user} {password}"), Stage::Final)
            }
            Method::Pop3UserPass => {
                if has_line_break(&credentials.user) || has_line_break(credentials.password()) {
                    return Err(skipped(
                        "the user name or password has a line break, which POP3's USER and PASS cannot carry".into(),
                    ));
                }
                (format!("USER {}", credentials.user), Stage::Pop3User)
            }
        };
        let login = Login {
            method,
            stage,
            expect: expect.clone(),
        };
        Ok((
            login,
            Command {
                bytes: format!("{line}\r\n").into_bytes(),
                expect,
            },
        ))
    }

    /// Takes the server's answer to the last command.
    pub(crate) fn on_response(
        &mut self,
        response: &Response,
        credentials: &Credentials,
        nonce: &[u8],
    ) -> Next {
        let answer = classify(response);
        let stage = std::mem::replace(&mut self.stage, Stage::Final);
        match (stage, answer) {
            (Stage::Pop3User, Answer::Success(_)) => {
                self.stage = Stage::Final;
                self.send(format!("PASS {}", credentials.password()))
            }
            (Stage::AwaitFirstChallenge, Answer::Challenge(_)) => match self.method {
                Method::Sasl(Mechanism::ScramSha256) => {
                    let (scram, first) = Scram::start(credentials, nonce);
                    self.stage = Stage::ScramServerFirst(scram);
                    self.send(first)
                }
                _ => self.send(plain_response(credentials).to_string()),
            },
            (Stage::LoginPrompts(count), Answer::Challenge(prompt)) if count < 3 => {
                self.stage = Stage::LoginPrompts(count + 1);
                self.send(login_response(credentials, &prompt).to_string())
            }
            (Stage::ScramServerFirst(mut scram), Answer::Challenge(server_first)) => {
                match scram.answer(credentials, &server_first) {
                    Ok(last) => {
                        self.stage = Stage::ScramServerFinal(scram);
                        self.send(last.to_string())
                    }
                    Err(error) => self.done(LoginOutcome::Failed, error.to_string()),
                }
            }
            (Stage::ScramServerFinal(scram), Answer::Challenge(server_final)) => {
                match scram.verify(&server_final) {
                    // RFC 5802: the client answers the server's final message with nothing.
                    Ok(()) => self.send(String::new()),
                    Err(error) => self.done(LoginOutcome::Failed, error.to_string()),
                }
            }
            // RFC 5802 §3: a client accepts success only after checking the server's proof.
            (Stage::ScramServerFirst(_) | Stage::ScramServerFinal(_), Answer::Success(text)) => {
                self.done(
                    LoginOutcome::Failed,
                    format!("the server reported success without proving it knows the password ({text})"),
                )
            }
            (_, Answer::Success(text)) => self.done(LoginOutcome::Succeeded, text),
            (_, Answer::Failure(text)) => self.done(LoginOutcome::Failed, text),
            (_, Answer::Challenge(_)) => self.done(
                LoginOutcome::Failed,
                "the server asked for more than the mechanism needs".into(),
            ),
        }
    }

    fn send(&self, line: String) -> Next {
        Next::Send(Command {
            bytes: format!("{line}\r\n").into_bytes(),
            expect: self.expect.clone(),
        })
    }

    fn done(&self, outcome: LoginOutcome, detail: String) -> Next {
        Next::Done(LoginReport {
            outcome,
            mechanism: Some(self.method.label().to_owned()),
            detail,
        })
    }
}

/// A login that was not attempted, with the reason.
pub(crate) fn skipped(reason: String) -> LoginReport {
    LoginReport {
        outcome: LoginOutcome::Skipped,
        mechanism: None,
        detail: reason,
    }
}

fn has_line_break(text: &str) -> bool {
    text.contains(['\r', '\n'])
}

/// An IMAP quoted string (RFC 9051 §4.3), or `None` for text a quoted string cannot hold.
fn imap_quoted(text: &str) -> Option<String> {
    if text
        .chars()
        .any(|c| c == '\r' || c == '\n' || c == '\0' || !c.is_ascii())
    {
        return None;
    }
    Some(format!(
        "\"{}\"",
        text.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::{Pop3Answer, SmtpReply};

    fn caps(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    fn text(command: &Command) -> String {
        String::from_utf8(command.bytes.clone()).unwrap()
    }

    #[test]
    fn smtp_plain_with_an_initial_response_then_success() {
        let credentials = Credentials::new("alice", "secret");
        let (mut login, first) = Login::start(
            Protocol::Submission,
            &caps(&["AUTH PLAIN LOGIN"]),
            &credentials,
            &mut Tags::default(),
            b"n",
        )
        .unwrap();
        assert_eq!(text(&first), "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n");
        let Next::Done(report) = login.on_response(
            &Response::Smtp(SmtpReply {
                code: 235,
                lines: vec!["2.7.0 Authentication successful".into()],
            }),
            &credentials,
            b"n",
        ) else {
            panic!("done")
        };
        assert_eq!(report.outcome, LoginOutcome::Succeeded);
        assert_eq!(report.mechanism.as_deref(), Some("PLAIN"));
        assert!(report.detail.contains("235"));
    }

    #[test]
    fn imap_without_sasl_ir_waits_for_the_continuation() {
        let credentials = Credentials::new("alice", "secret");
        let mut tags = Tags::default();
        let (mut login, first) = Login::start(
            Protocol::Imap,
            &caps(&["IMAP4rev1", "AUTH=PLAIN"]),
            &credentials,
            &mut tags,
            b"n",
        )
        .unwrap();
        assert_eq!(text(&first), "p1 AUTHENTICATE PLAIN\r\n");
        let continuation = Response::Imap {
            untagged: vec![],
            last: ImapLine::Continuation(String::new()),
        };
        let Next::Send(second) = login.on_response(&continuation, &credentials, b"n") else {
            panic!("a response to the challenge")
        };
        assert_eq!(text(&second), "AGFsaWNlAHNlY3JldA==\r\n");
        let failed = Response::Imap {
            untagged: vec![],
            last: ImapLine::Tagged {
                tag: "p1".into(),
                status: ImapStatus::No,
                text: "[AUTHENTICATIONFAILED] Authentication failed.".into(),
            },
        };
        let Next::Done(report) = login.on_response(&failed, &credentials, b"n") else {
            panic!("done")
        };
        assert_eq!(report.outcome, LoginOutcome::Failed);
        assert_eq!(
            report.detail,
            "NO [AUTHENTICATIONFAILED] Authentication failed."
        );
    }

    #[test]
    fn pop3_user_pass_and_imap_login_command() {
        let credentials = Credentials::new("alice", "p\"w");
        let (mut login, first) = Login::start(
            Protocol::Pop3,
            &caps(&["USER", "TOP"]),
            &credentials,
            &mut Tags::default(),
            b"n",
        )
        .unwrap();
        assert_eq!(text(&first), "USER alice\r\n");
        let ok = Response::Pop3(Pop3Answer {
            ok: true,
            text: String::new(),
            lines: vec![],
        });
        let Next::Send(pass) = login.on_response(&ok, &credentials, b"n") else {
            panic!()
        };
        assert_eq!(text(&pass), "PASS p\"w\r\n");
        let (_, imap) = Login::start(
            Protocol::Imap,
            &caps(&["IMAP4rev1"]),
            &credentials,
            &mut Tags::default(),
            b"n",
        )
        .unwrap();
        assert_eq!(text(&imap), "p1 LOGIN \"alice\" \"p\\\"w\"\r\n");
    }

    #[test]
    fn scram_success_without_the_servers_proof_is_a_failure() {
        let credentials = Credentials::new("user", "pencil");
        let (mut login, first) = Login::start(
            Protocol::Submission,
            &caps(&["AUTH SCRAM-SHA-256"]),
            &credentials,
            &mut Tags::default(),
            b"nonce",
        )
        .unwrap();
        assert!(text(&first).starts_with("AUTH SCRAM-SHA-256 "));
        let Next::Done(report) = login.on_response(
            &Response::Smtp(SmtpReply {
                code: 235,
                lines: vec!["2.7.0 ok".into()],
            }),
            &credentials,
            b"nonce",
        ) else {
            panic!("done")
        };
        assert_eq!(report.outcome, LoginOutcome::Failed);
        assert!(
            report.detail.contains("without proving"),
            "{}",
            report.detail
        );
    }

    #[test]
    fn no_usable_mechanism_is_a_skip_with_the_reason() {
        let credentials = Credentials::new("alice", "secret");
        let Err(report) = Login::start(
            Protocol::Imap,
            &caps(&["IMAP4rev1", "LOGINDISABLED", "AUTH=XOAUTH2"]),
            &credentials,
            &mut Tags::default(),
            b"n",
        ) else {
            panic!("skipped")
        };
        assert_eq!(report.outcome, LoginOutcome::Skipped);
        assert!(report.detail.contains("XOAUTH2"), "{}", report.detail);
    }
}
