//! The engine worker: answers the page's [`Request`]s with portolan-core.
//!
//! It runs in a dedicated Web Worker (`portolan-engine`, built by Trunk next to the page), so
//! the page's first screen never downloads the parser tables, the DNS code, the knowledge base
//! or the generators, and no lookup or generator ever blocks the page. The worker keeps the
//! last discovery result, so choosing another client re-runs only the engine.

use std::cell::RefCell;
use std::rc::Rc;

use portolan_core::discovery::{self, Fetched, FileKind};
use portolan_core::dns::{parse_response, DohMethod, DohRequest};
use portolan_core::lang::Lang;
use portolan_core::model::{Discovery, LiveCheck};
use portolan_core::preset::Preset;
use portolan_core::{clients, parse_input, MailInput};

use crate::messages::decode;
use crate::messages::engine::{verdict_on, Request, Response};
use crate::messages::report::Report;
use crate::strings;
use fetch::{elapsed_ms, now_ms};
use lookups::{discover, DiscoveryConfig};

mod audit;
mod fetch;
mod german;
mod lookups;
mod markup;
mod preset;
mod qr;
mod report;
mod trouble;
pub mod words;

/// The last discovery result, kept for [`Request::Prepare`].
#[derive(Debug)]
struct Remembered {
    generation: u32,
    input: MailInput,
    discovery: Discovery,
    offline: bool,
}

/// The worker's memory between requests.
#[derive(Debug)]
pub struct EngineWorker {
    last: Option<Remembered>,
    /// The site's provider preset, once read (and when there is a usable one).
    preset: Option<Preset>,
    /// The page's address (its directory), for the link and QR code on the result; unknown
    /// outside a real worker.
    link_base: Option<String>,
    /// The newest provider audit, for its live checks.
    audit: Option<audit::AuditGathered>,
}

impl Default for EngineWorker {
    /// A worker with nothing remembered; the texts of the later screens are made available in
    /// this thread (the engine worker carries them all).
    fn default() -> Self {
        strings::keep_compiled_later_texts();
        EngineWorker {
            last: None,
            preset: None,
            link_base: None,
            audit: None,
        }
    }
}

impl EngineWorker {
    /// Keeps a discovery result (made `offline` or not) for the result screens that follow.
    /// Lookups can finish out of order (a slow resolver for an older address): an older one
    /// never replaces a newer one, since the page only ever asks about its latest.
    pub fn remember(
        &mut self,
        generation: u32,
        input: MailInput,
        discovery: Discovery,
        offline: bool,
    ) {
        if self
            .last
            .as_ref()
            .is_some_and(|last| last.generation > generation)
        {
            return;
        }
        self.last = Some(Remembered {
            generation,
            input,
            discovery,
            offline,
        });
    }

    /// The result screen for the remembered lookup `generation`, a client id, and the live
    /// checks made so far (`live` names that set of checks, for the page).
    pub fn prepare(
        &self,
        generation: u32,
        client: Option<String>,
        live: u32,
        checks: &[LiveCheck],
        lang: Lang,
    ) -> Response {
        match &self.last {
            Some(last) if last.generation == generation => {
                let chosen = client.as_deref().and_then(clients::by_id);
                let mut report = strings::in_lang(lang, || {
                    Report::build(&last.input, &last.discovery, checks, chosen, last.offline)
                });
                if let Some(base) = &self.link_base {
                    let link = portolan_core::link::result_link(base, &last.input, chosen);
                    report.qr_svg = qr::qr_svg(&link);
                    report.link = Some(link);
                }
                Response::Prepared {
                    generation,
                    client,
                    live,
                    report: Box::new(report),
                    lang,
                }
            }
            _ => Response::Failed {
                message: words::tr(&format!(
                    "the engine has no lookup {generation} to prepare a result from"
                )),
            },
        }
    }

    /// The troubleshooter's explanation of `text`, tied to the remembered lookup `generation`
    /// and `client` when the page names them (a lookup the worker no longer holds is simply
    /// not tied).
    pub fn explain(
        &self,
        text: String,
        generation: Option<u32>,
        client: Option<String>,
        relay: bool,
        lang: Lang,
    ) -> Response {
        let on_screen = self
            .last
            .as_ref()
            .filter(|last| Some(last.generation) == generation)
            .map(|last| trouble::OnScreen {
                input: &last.input,
                discovery: &last.discovery,
                client: client.as_deref().and_then(clients::by_id),
            });
        Response::Explained {
            explanation: strings::in_lang(lang, || {
                trouble::explain_for_page(&text, on_screen, relay).view()
            }),
            text,
            generation,
            client,
            lang,
        }
    }
}

/// Runs, once and on made-up data, every step a lookup and a result take, without any
/// request leaving the worker. Browsers compile WebAssembly lazily, function by function, on
/// first call; doing that while the user is still typing keeps it out of the time from submit
/// to result. Returns the number of made-up lookups read, so a test can see it ran.
pub fn warm_up() -> usize {
    let Ok(input) = parse_input("warm-up@example.com") else {
        return 0;
    };
    let mut read = 0;
    for query in discovery::plan(&input) {
        for method in [DohMethod::Get, DohMethod::Post] {
            let Ok(request) =
                DohRequest::new("https://127.0.0.1/dns-query", &query.question, method)
            else {
                continue;
            };
            // A query is a DNS message too: reading it back runs the message decoder (it is
            // refused as an answer, which is fine here).
            if let Some(body) = &request.body {
                let _ = parse_response(&query.question, body);
                read += 1;
            }
        }
    }
    let plain = discovery::merge(&input, &[], &[]);
    let report = Report::build(&input, &plain, &[], clients::by_id("thunderbird"), false);
    // Read a published autoconfig file too: the one just written for this made-up domain.
    let published: Vec<Fetched> = report
        .downloads
        .iter()
        .filter(|download| download.name == "autoconfig")
        .map(|download| Fetched {
            kind: FileKind::Autoconfig,
            url: "https://autoconfig.example.com/mail/config-v1.1.xml".into(),
            status: 200,
            body: Ok(download.content.clone()),
            milliseconds: 0,
        })
        .collect();
    let _ = discovery::merge(&input, &[], &published);
    // The troubleshooter, tied to the made-up result.
    let _ = trouble::explain_for_page(
        "535 5.7.8 Authentication failed",
        Some(trouble::OnScreen {
            input: &input,
            discovery: &plain,
            client: None,
        }),
        true,
    );
    // The MX path reads the Public Suffix List on first use: read it now, not after a lookup.
    let _ = discovery::mx::names_for("mx.example.com");
    read
}

/// Answers one request. Only lookups wait (on the network); the rest answer at once.
async fn handle(engine: Rc<RefCell<EngineWorker>>, request: Request) -> Response {
    // Words go out in the request's language; a request that waits sets it again after the
    // wait, since others may have run meanwhile.
    let lang = request.lang();
    strings::set_lang(lang);
    match request {
        Request::Preset { .. } => {
            let read = preset::load().await;
            strings::set_lang(lang);
            let (preset, response) = preset::answer(read);
            engine.borrow_mut().preset = preset;
            response
        }
        Request::Texts { lang } => Response::Texts {
            lang,
            texts: strings::later_texts(lang)
                .iter()
                .map(|text| (*text).to_owned())
                .collect(),
        },
        Request::Parse { text, lang } => Response::Parsed {
            result: verdict_on(&text).map_err(|error| words::tr(&error)),
            text,
            lang,
        },
        Request::Lookup {
            generation,
            input,
            resolvers,
            second_resolver,
            timeout_ms,
        } => {
            // A preset that turns lookups off wins over whatever the page sent.
            let preset = engine.borrow().preset.clone();
            let lookups_off = preset.as_ref().is_some_and(|preset| !preset.lookups);
            let (resolvers, second_resolver) = if lookups_off {
                (Vec::new(), None)
            } else {
                (resolvers, second_resolver)
            };
            let offline = resolvers.is_empty();
            let started = now_ms();
            let config = DiscoveryConfig {
                resolvers,
                second_resolver,
                timeout_ms,
            };
            let mut discovery = discover(&input, &config).await;
            if let Some(preset) = &preset {
                preset.apply(&mut discovery);
            }
            let milliseconds = elapsed_ms(started);
            engine
                .borrow_mut()
                .remember(generation, input, discovery, offline);
            Response::LookedUp {
                generation,
                milliseconds,
            }
        }
        Request::Prepare {
            generation,
            client,
            live,
            checks,
            lang,
        } => {
            // The checks come as the probe worker wrote them; one the engine cannot read is a
            // bug between the two workers, said as such.
            match checks
                .iter()
                .map(|text| decode::<LiveCheck>(text))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(checks) => engine
                    .borrow()
                    .prepare(generation, client, live, &checks, lang),
                Err(message) => Response::Failed { message },
            }
        }
        Request::Explain {
            text,
            generation,
            client,
            relay,
            lang,
        } => engine
            .borrow()
            .explain(text, generation, client, relay, lang),
        Request::Audit {
            generation,
            domain,
            selectors,
            resolvers,
            timeout_ms,
            ..
        } => {
            // The page offers no audit where the site's preset turned lookups off; a request
            // that comes anyway is refused, since an audit is nothing but lookups.
            if engine
                .borrow()
                .preset
                .as_ref()
                .is_some_and(|preset| !preset.lookups)
            {
                return Response::Failed {
                    message: words::tr(
                        "this site turned network lookups off, so there is no audit",
                    ),
                };
            }
            let config = DiscoveryConfig {
                resolvers,
                second_resolver: None,
                timeout_ms,
            };
            let gathered = audit::gather_audit(generation, &domain, selectors, &config).await;
            strings::set_lang(lang);
            let view = match gathered {
                Ok(gathered) => {
                    let view = audit::view(&gathered, &[], now_unix_seconds());
                    let mut worker = engine.borrow_mut();
                    if worker
                        .audit
                        .as_ref()
                        .is_none_or(|kept| kept.generation <= generation)
                    {
                        worker.audit = Some(gathered);
                    }
                    view
                }
                Err(error) => audit::refused(&domain, words::tr(&error)),
            };
            Response::Audited {
                generation,
                view: Box::new(view),
            }
        }
        Request::AuditChecks {
            generation, checks, ..
        } => {
            let checks = match checks
                .iter()
                .map(|text| decode::<LiveCheck>(text))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(checks) => checks,
                Err(message) => return Response::Failed { message },
            };
            match engine
                .borrow()
                .audit
                .as_ref()
                .filter(|kept| kept.generation == generation)
            {
                Some(gathered) => Response::Audited {
                    generation,
                    view: Box::new(audit::view(gathered, &checks, now_unix_seconds())),
                },
                // A newer audit replaced it: the page drops this answer as stale.
                None => Response::Audited {
                    generation,
                    view: Box::new(audit::refused("", strings::AUDIT_GONE().to_owned())),
                },
            }
        }
    }
}

/// Seconds since the Unix epoch, from the browser's clock (`SystemTime` panics on wasm32).
fn now_unix_seconds() -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            })
    }
}

/// Answers one request as it arrives, in JSON text; a malformed one gets a `Failed` answer.
pub async fn answer(engine: Rc<RefCell<EngineWorker>>, text: &str) -> Response {
    match decode::<Request>(text) {
        Ok(request) => handle(engine, request).await,
        Err(message) => Response::Failed { message },
    }
}

/// The worker's entry point: answers every message posted to it, and says `Ready` first.
#[cfg(target_arch = "wasm32")]
pub fn run() {
    words::use_tables(|| words::tables(portolan_core::i18n::CORE_GERMAN));
    let worker = Rc::new(RefCell::new(EngineWorker {
        link_base: page_directory(),
        ..EngineWorker::default()
    }));
    let replier = crate::worker_scope::serve(move |text, reply| {
        let worker = worker.clone();
        wasm_bindgen_futures::spawn_local(async move {
            reply.post(&answer(worker, &text).await);
        });
    });
    replier.post(&Response::Ready);
    // A little after `Ready`: requests that waited for it (a link that goes straight to a
    // result) are handled first, and the warm-up then runs while their lookups wait on the
    // network instead of before them.
    gloo_timers::callback::Timeout::new(WARM_UP_AFTER_MS, || {
        warm_up();
    })
    .forget();
}

/// The page's directory: this worker's script sits next to index.html.
#[cfg(target_arch = "wasm32")]
fn page_directory() -> Option<String> {
    use wasm_bindgen::JsCast;
    let scope: web_sys::WorkerGlobalScope = js_sys::global().dyn_into().ok()?;
    let script = scope.location().href();
    let directory = &script[..script.rfind('/')? + 1];
    Some(directory.to_owned())
}

/// How long after `Ready` the worker warms up.
#[cfg(target_arch = "wasm32")]
const WARM_UP_AFTER_MS: u32 = 20;

#[cfg(test)]
mod tests {
    use super::*;
    use portolan_core::discovery;

    fn offline_discovery(text: &str) -> (MailInput, Discovery) {
        let input = parse_input(text).expect("valid address");
        let discovery = discovery::merge(&input, &[], &[]);
        (input, discovery)
    }

    #[test]
    fn a_result_is_prepared_only_for_the_remembered_lookup() {
        let mut engine = EngineWorker::default();
        assert!(matches!(
            engine.prepare(1, None, 0, &[], Lang::En),
            Response::Failed { .. }
        ));
        let (input, discovery) = offline_discovery("alice@gmail.com");
        engine.remember(4, input, discovery, true);
        assert!(matches!(
            engine.prepare(3, None, 0, &[], Lang::En),
            Response::Failed { .. }
        ));
        let Response::Prepared {
            generation,
            client,
            report,
            ..
        } = engine.prepare(4, Some("thunderbird".into()), 0, &[], Lang::En)
        else {
            panic!("expected a prepared result");
        };
        assert_eq!((generation, client.as_deref()), (4, Some("thunderbird")));
        let incoming = report.incoming.recommended.expect("Gmail has IMAP");
        assert_eq!(incoming.target.host, "imap.gmail.com");
        assert_eq!(incoming.target.port, 993);
        assert!(
            report
                .why_html
                .contains(&markup::escape(crate::strings::OFFLINE_NOTE()))
                && !report
                    .warnings
                    .iter()
                    .any(|w| w == crate::strings::OFFLINE_NOTE()),
            "lookups off is good to know, under Why: {}",
            report.why_html
        );
        // Gmail's own note on signing in replaces the generic OAuth2 warning: said once.
        let sign_in: Vec<&String> = report
            .warnings
            .iter()
            .filter(|warning| warning.contains("OAuth2"))
            .collect();
        assert_eq!(sign_in.len(), 1, "{:?}", report.warnings);
        assert!(sign_in[0].starts_with("Gmail"), "{sign_in:?}");
        assert!(!report
            .warnings
            .iter()
            .any(|w| w == crate::strings::OAUTH_WARNING()));
    }

    #[test]
    fn a_late_older_lookup_does_not_replace_a_newer_one() {
        let mut engine = EngineWorker::default();
        let (newer, newer_discovery) = offline_discovery("alice@gmail.com");
        let (older, older_discovery) = offline_discovery("alice@example.com");
        engine.remember(2, newer, newer_discovery, true);
        engine.remember(1, older, older_discovery, true);
        let Response::Prepared { report, .. } = engine.prepare(2, None, 0, &[], Lang::En) else {
            panic!("lookup 2 is still there");
        };
        let incoming = report.incoming.recommended.expect("Gmail has IMAP");
        assert_eq!(incoming.target.host, "imap.gmail.com");
        assert!(matches!(
            engine.prepare(1, None, 0, &[], Lang::En),
            Response::Failed { .. }
        ));
    }

    #[test]
    fn the_warm_up_reads_every_planned_lookup() {
        let input = parse_input("warm-up@example.com").expect("valid");
        assert_eq!(warm_up(), discovery::plan(&input).len());
    }

    #[test]
    fn an_unknown_client_gets_generic_settings_not_an_error() {
        let mut engine = EngineWorker::default();
        let (input, discovery) = offline_discovery("bob@gmail.com");
        engine.remember(1, input, discovery, true);
        let Response::Prepared { report, .. } =
            engine.prepare(1, Some("no-such-app".into()), 0, &[], Lang::En)
        else {
            panic!("expected a prepared result");
        };
        assert!(report.instructions.is_some() || !report.downloads.is_empty());
        let names: Vec<&str> = report.downloads.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["mobileconfig", "autoconfig", "autodiscover"]);
    }

    /// Every text the worker puts on a result screen, for many providers and apps, as English
    /// it then translates: each must have its German.
    #[test]
    fn every_text_of_a_result_has_german() {
        let catalogue =
            portolan_core::i18n::Catalogue::new(&words::tables(portolan_core::i18n::CORE_GERMAN))
                .expect("the workers' German is consistent");
        let addresses = [
            "alice@gmail.com",
            "bob@fastmail.com",
            "carol@outlook.com",
            "dave@gmx.de",
            "erin@icloud.com",
            "frank@yahoo.co.jp",
            "grace@mailbox.org",
            "heidi@posteo.de",
            "ivan@no-provider.example",
        ];
        let mut gathered = 0;
        let mut misses = Vec::new();
        for address in addresses {
            let (input, discovery) = offline_discovery(address);
            for client in [None, Some("thunderbird"), Some("ios-mail"), Some("neomutt")] {
                let chosen = client.and_then(clients::by_id);
                let report = strings::in_lang(Lang::En, || {
                    Report::build(&input, &discovery, &[], chosen, true)
                });
                let lines = report
                    .instructions
                    .iter()
                    .flat_map(|text| text.lines())
                    .map(|line| words::numbered(line).1.to_owned());
                let texts = report
                    .warnings
                    .iter()
                    .chain(&report.services)
                    .chain(&report.steps)
                    .cloned()
                    .chain(lines);
                for text in texts.filter(|text| text.chars().any(char::is_alphabetic)) {
                    gathered += 1;
                    if catalogue.german(&text).is_none() {
                        misses.push(format!("{address} / {client:?}: {text:?}"));
                    }
                }
            }
        }
        assert!(gathered > 300, "only {gathered} texts gathered");
        misses.sort();
        misses.dedup();
        assert!(misses.is_empty(), "no German for:\n{}", misses.join("\n"));
    }

    #[test]
    fn a_result_asked_for_in_german_is_german() {
        words::use_tables(|| words::tables(portolan_core::i18n::CORE_GERMAN));
        let mut engine = EngineWorker::default();
        let (input, discovery) = offline_discovery("alice@gmail.com");
        engine.remember(1, input, discovery, true);
        let Response::Prepared { report, lang, .. } =
            engine.prepare(1, Some("thunderbird".into()), 0, &[], Lang::De)
        else {
            panic!("a result");
        };
        assert_eq!(lang, Lang::De);
        assert!(
            report
                .warnings
                .iter()
                .any(|warning| warning.contains("Passwort")),
            "{:?}",
            report.warnings
        );
        assert!(report.why_html.contains("Warum") || report.why_html.contains("RFC 8314"));
        assert!(
            !report.why_html.contains("the connection"),
            "{}",
            report.why_html
        );
        assert!(
            report.steps.iter().all(|step| !step.contains(" the ")),
            "{:?}",
            report.steps
        );
        // The language is the request's only: the next English request is English.
        let Response::Prepared { report, .. } =
            engine.prepare(1, Some("thunderbird".into()), 0, &[], Lang::En)
        else {
            panic!("a result");
        };
        assert!(
            report.steps.iter().any(|step| step.contains(" the ")),
            "{:?}",
            report.steps
        );
    }
}
