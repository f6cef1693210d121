//! The messages between the page and the probe worker, which checks mail servers live through
//! the relay with TLS inside the worker. Every answer names the check it is about (`id`), so
//! the page can drop answers for checks it cancelled or no longer shows.

use portolan_core::model::{Protocol, Security};
use serde::{Deserialize, Serialize};

/// One server to check.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Target {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// A user name and password for the one login test; held by the worker for the attempt only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginSecret {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for LoginSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginSecret")
            .field("user", &self.user)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// What the page asks of the probe worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Request {
    /// Check `target` through the relay at `relay` (its base URL).
    Check {
        id: u32,
        relay: String,
        target: Target,
        /// The email domain, for RFC 7817's name check.
        email_domain: Option<String>,
        /// Run the legacy-protocol, weak-cipher and injection scans too (more connections).
        scans: bool,
        /// The longest wait for any one step.
        timeout_ms: u64,
        /// The wall-clock time certificates are checked at (the worker has the same clock;
        /// passing it keeps the probes' inputs explicit).
        unix_seconds: u64,
        login: Option<LoginSecret>,
        /// The language of the check's words.
        #[serde(default)]
        lang: portolan_core::lang::Lang,
    },
    /// Stop these checks (their connections close; no answer follows).
    Cancel { ids: Vec<u32> },
    /// Put finished checks in words again, in `lang` (the reader switched language): each
    /// check's id and its `LiveCheck` as JSON, as [`CheckedServer::report`] holds it. Each is
    /// answered as [`Response::Checked`] again.
    Reword {
        lang: portolan_core::lang::Lang,
        checks: Vec<(u32, String)>,
    },
}

/// A step of a check, for the progress line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Connecting,
    Greeting,
    Capabilities,
    Starttls,
    TlsHandshake,
    CapabilitiesAfterTls,
    Login,
    Scanning,
}

/// A finished check: what the page shows, worked out in the probe worker, and the whole
/// report for the engine worker. The page never reads the report itself, so its wasm carries
/// no code for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedServer {
    pub view: CheckView,
    /// The `LiveCheck` as JSON, handed on untouched to the engine worker.
    pub report: String,
    /// The language of the view's words.
    #[serde(default)]
    pub lang: portolan_core::lang::Lang,
}

/// A finished check in words: the grade the page shows in the check's line, and the rest as
/// markup the probe worker made (every text escaped), which the page places as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    pub reachable: bool,
    /// The grade's letter (`A` to `F`) and its meaning.
    pub grade: String,
    pub grade_words: String,
    /// What stopped the check early, TLS and the certificate, the login test, the findings
    /// with their fixes (`data-finding` names each finding's id).
    pub html: String,
}

/// What the probe worker answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// The worker has started and takes requests.
    Ready,
    /// Check `id` moved on to `step`.
    Progress { id: u32, step: Step },
    /// Check `id` is finished (or, after [`Request::Reword`], in words again).
    Checked {
        id: u32,
        checked: Box<CheckedServer>,
    },
    /// A request the worker could not carry out.
    Failed { message: String },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{decode, encode};

    #[test]
    fn requests_and_answers_survive_the_trip_through_json() {
        let request = Request::Check {
            id: 7,
            relay: "https://relay.example/".into(),
            target: Target {
                protocol: Protocol::Imap,
                host: "imap.example.com".into(),
                port: 993,
                security: Security::Tls,
            },
            email_domain: Some("example.com".into()),
            scans: true,
            timeout_ms: 8_000,
            unix_seconds: 1_798_761_600,
            login: Some(LoginSecret {
                user: "jane@example.com".into(),
                password: "secret".into(),
            }),
            lang: portolan_core::lang::Lang::De,
        };
        assert_eq!(decode::<Request>(&encode(&request)), Ok(request.clone()));
        assert!(
            !format!("{request:?}").contains("secret"),
            "no password in Debug"
        );
        let answers = [
            Response::Ready,
            Response::Progress {
                id: 7,
                step: Step::TlsHandshake,
            },
            Response::Checked {
                id: 7,
                checked: Box::new(CheckedServer {
                    view: CheckView {
                        grade: "B".into(),
                        html: "<ul class=\"findings\"></ul>".into(),
                        ..CheckView::default()
                    },
                    report: "{}".into(),
                    lang: portolan_core::lang::Lang::De,
                }),
            },
        ];
        for answer in answers {
            assert_eq!(decode::<Response>(&encode(&answer)), Ok(answer));
        }
    }
}
