//! The messages between the page and the engine worker.
//!
//! The page (the first screen's wasm) holds the UI only; everything heavy (address parsing
//! with IDNA, DNS over HTTPS, the knowledge base, the engine and the generators) runs in the
//! engine worker, which the page starts right after its first render. Requests carry what the
//! worker needs; every answer names what it answers (the text, the lookup generation, the
//! client), so the page can drop answers that arrive late.

use portolan_core::lang::Lang;
use portolan_core::{parse_input, MailInput};
use serde::{Deserialize, Serialize};

use crate::messages::audit::AuditView;
use crate::messages::explanation::ExplanationView;
use crate::messages::report::Report;

/// What the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Request {
    /// Read the site's provider preset (`portolan.json` next to index.html); the page asks
    /// first and holds its first lookup until the answer is in (and asks again for a broken
    /// preset's message in another language).
    Preset {
        #[serde(default)]
        lang: Lang,
    },
    /// The texts of the screens after the first, in `lang` (the page does not carry them).
    Texts { lang: Lang },
    /// Check the text in the address field.
    Parse {
        text: String,
        #[serde(default)]
        lang: Lang,
    },
    /// Run the discovery for `input`; the engine keeps the result for [`Request::Prepare`].
    Lookup {
        generation: u32,
        input: MailInput,
        /// Resolver URLs in order; empty means offline.
        resolvers: Vec<String>,
        /// An independent resolver asked the same questions at the same time, whose answers
        /// are compared with the first's.
        #[serde(default)]
        second_resolver: Option<String>,
        timeout_ms: u32,
    },
    /// Work out the result screen for lookup `generation`, a client (`None`: other), and the
    /// live checks made so far (`live` numbers that set; the answer repeats it).
    Prepare {
        generation: u32,
        client: Option<String>,
        #[serde(default)]
        live: u32,
        /// Each a `LiveCheck` as JSON, as the probe worker made it.
        #[serde(default)]
        checks: Vec<String>,
        #[serde(default)]
        lang: Lang,
    },
    /// Explain what a mail app said. With the `generation` of the result on screen (and its
    /// `client`), the explanation is tied to those settings; `relay` says a live check could
    /// confirm the cause.
    Explain {
        text: String,
        #[serde(default)]
        generation: Option<u32>,
        #[serde(default)]
        client: Option<String>,
        #[serde(default)]
        relay: bool,
        #[serde(default)]
        lang: Lang,
    },
    /// Audit a domain (the "For providers" screen).
    Audit {
        generation: u32,
        domain: String,
        /// DKIM selectors to check.
        #[serde(default)]
        selectors: Vec<String>,
        /// Resolver URLs in order.
        resolvers: Vec<String>,
        timeout_ms: u32,
        #[serde(default)]
        lang: Lang,
    },
    /// Judge audit `generation` again with the live checks of its ports (each a `LiveCheck`
    /// as JSON, as the probe worker made it).
    AuditChecks {
        generation: u32,
        checks: Vec<String>,
        #[serde(default)]
        lang: Lang,
    },
}

impl Request {
    /// The language the answer's words are wanted in (a lookup has none: it keeps data only).
    pub fn lang(&self) -> Lang {
        match self {
            Request::Preset { lang }
            | Request::Parse { lang, .. }
            | Request::Prepare { lang, .. }
            | Request::Explain { lang, .. }
            | Request::Audit { lang, .. }
            | Request::AuditChecks { lang, .. }
            | Request::Texts { lang } => *lang,
            Request::Lookup { .. } => Lang::En,
        }
    }
}

/// What the engine answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// The worker has started and takes requests.
    Ready,
    /// The site's provider preset, as the page uses it. `branding` is JSON for the embedding
    /// script (`static/embed.js`), passed on as text; `error` says why a preset file that
    /// exists could not be used (and then nothing of it is).
    Preset {
        lookups_off: bool,
        resolver: Option<String>,
        relay: Option<String>,
        branding: Option<String>,
        error: Option<String>,
        /// The language of `error`'s words.
        #[serde(default)]
        lang: Lang,
    },
    /// The texts of the screens after the first, in `lang`, in the page's order.
    Texts { lang: Lang, texts: Vec<String> },
    /// The verdict on `text`, its words in `lang`.
    Parsed {
        text: String,
        result: Verdict,
        #[serde(default)]
        lang: Lang,
    },
    /// The lookups of `generation` finished after `milliseconds`.
    LookedUp { generation: u32, milliseconds: u64 },
    /// The result screen for lookup `generation`, `client` and the checks numbered `live`.
    Prepared {
        generation: u32,
        client: Option<String>,
        live: u32,
        report: Box<Report>,
        #[serde(default)]
        lang: Lang,
    },
    /// The explanation of `text`, tied to lookup `generation` when it names one.
    Explained {
        text: String,
        generation: Option<u32>,
        #[serde(default)]
        client: Option<String>,
        explanation: ExplanationView,
        #[serde(default)]
        lang: Lang,
    },
    /// The audit of `generation`.
    Audited {
        generation: u32,
        view: Box<AuditView>,
    },
    /// A request the engine could not carry out (a bug, or a page newer than the worker).
    Failed { message: String },
}

/// The engine's verdict on the text in the address field: the checked input, or what is wrong
/// with it in the words the form shows. The sentence is made in the worker, so the page never
/// decodes the core's `AddressError` (its derived decoder alone is 11 KB of first-screen wasm).
pub type Verdict = Result<MailInput, String>;

/// Checks `text` as the engine worker does; the page's tests use the same verdicts.
pub fn verdict_on(text: &str) -> Verdict {
    parse_input(text).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{decode, encode};
    use portolan_core::model::LiveCheck;
    use portolan_core::parse_input;

    #[test]
    fn requests_and_answers_survive_the_trip_through_json() {
        let input = parse_input("alice@bücher.example").expect("valid");
        let requests = [
            Request::Parse {
                text: "a@\"b".into(),
                lang: Lang::De,
            },
            Request::Lookup {
                generation: 3,
                input: input.clone(),
                resolvers: vec!["https://127.0.0.1:8443/dns-query".into()],
                second_resolver: Some("https://127.0.0.1:8444/dns-query".into()),
                timeout_ms: 2_500,
            },
            Request::Prepare {
                generation: 3,
                client: Some("thunderbird".into()),
                live: 2,
                checks: vec![crate::messages::encode(&LiveCheck::new(
                    "imap.example.com",
                    993,
                    portolan_core::model::Protocol::Imap,
                    portolan_core::model::Security::Tls,
                ))],
                lang: Lang::En,
            },
        ];
        for request in requests {
            assert_eq!(decode::<Request>(&encode(&request)), Ok(request));
        }
        let answers = [
            Response::Ready,
            Response::Parsed {
                text: "alice@".into(),
                result: verdict_on("alice@"),
                lang: Lang::En,
            },
            Response::Parsed {
                text: "x".into(),
                result: Ok(input),
                lang: Lang::De,
            },
            Response::Parsed {
                text: "a@b\u{0}".into(),
                result: verdict_on("a@b\u{0}.example"),
                lang: Lang::En,
            },
        ];
        for answer in answers {
            assert_eq!(decode::<Response>(&encode(&answer)), Ok(answer));
        }
    }

    #[test]
    fn a_malformed_message_is_an_error_not_a_panic() {
        let error = decode::<Request>("{\"launch\":{}}").expect_err("unknown kind");
        assert!(error.starts_with("malformed worker message"), "{error}");
        assert!(decode::<Response>("not json").is_err());
    }
}
