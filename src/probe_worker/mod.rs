//! The probe worker: checks mail servers live for the page, through the relay, with
//! `portolan-probe` (TLS included) running here, so the relay only ever carries ciphertext
//! after STARTTLS. A dedicated Web Worker (`portolan-probe-worker`), fetched only when the
//! user asks for a check, so rustls, ring and the root store never weigh on the first screen
//! or on users who do not check.
//!
//! Each [`Request::Check`] runs the probe crate's plan (the check and its scans) at once,
//! within a limit on open sessions, posts the main probe's steps as they come, and posts the
//! assembled report at the end. [`Request::Cancel`] stops checks at once (their futures are
//! dropped, so their sessions close) and no answer follows.

pub mod driver;
pub mod socket;
mod view;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures::future::{AbortHandle, Abortable, Aborted};
use portolan_core::model::LiveCheck;
use portolan_probe::{assemble, plan, CheckRequest, Credentials, Task, TrustAnchors};

use crate::messages::probe::{CheckedServer, Request, Response, Step};
use crate::messages::{decode, encode};
use crate::strings;
use crate::worker_scope::Replier;
use driver::{drive, now_ms, Limiter};

/// The worker's state between requests.
#[derive(Default)]
pub struct ProbeWorker {
    anchors: RefCell<Option<TrustAnchors>>,
    limiter: Limiter,
    /// Running checks, by id, with the handle that stops them.
    running: RefCell<HashMap<u32, AbortHandle>>,
}

/// A file next to `index.html` whose certificates the probe worker trusts besides the public
/// roots: an intranet's own CA (and the test CA in the end-to-end tests). Whoever can put it
/// there also serves the app's code, so it grants nobody new trust.
pub const SITE_CA_FILE: &str = "./portolan-ca.pem";

impl ProbeWorker {
    /// The webpki roots and the site's own CA, if it publishes one; made once.
    async fn anchors(&self) -> Result<TrustAnchors, String> {
        if let Some(anchors) = &*self.anchors.borrow() {
            return Ok(anchors.clone());
        }
        let extra = site_ca().await;
        let anchors = TrustAnchors::new(&extra).map_err(|error| error.to_string())?;
        *self.anchors.borrow_mut() = Some(anchors.clone());
        Ok(anchors)
    }
}

/// The certificates of [`SITE_CA_FILE`]; none when the site has no such file (or it is not
/// PEM certificates).
async fn site_ca() -> Vec<rustls_pki_types::CertificateDer<'static>> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen_futures::JsFuture;

        let scope: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        let Ok(response) = JsFuture::from(scope.fetch_with_str(SITE_CA_FILE)).await else {
            return Vec::new();
        };
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return Vec::new();
        };
        if !response.ok() {
            return Vec::new();
        }
        let Ok(text) = response.text() else {
            return Vec::new();
        };
        let pem = JsFuture::from(text)
            .await
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default();
        TrustAnchors::pem_certificates(pem.as_bytes()).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    Vec::new()
}

/// Handles one message from the page.
pub async fn handle(worker: Rc<ProbeWorker>, text: String, reply: Replier) {
    match decode::<Request>(&text) {
        Err(message) => reply.post(&Response::Failed { message }),
        Ok(Request::Reword { lang, checks }) => {
            for (id, report) in checks {
                if let Ok(check) = decode::<LiveCheck>(&report) {
                    let view = strings::in_lang(lang, || view::view_of(&check));
                    reply.post(&Response::Checked {
                        id,
                        checked: Box::new(CheckedServer { view, report, lang }),
                    });
                }
            }
        }
        Ok(Request::Cancel { ids }) => {
            for id in ids {
                if let Some(handle) = worker.running.borrow_mut().remove(&id) {
                    // The check's futures are dropped at once: their sessions close.
                    handle.abort();
                }
            }
        }
        Ok(order @ Request::Check { id, lang, .. }) => {
            // Registered before anything waits, so a Cancel that arrives at any moment stops it.
            let (handle, registration) = AbortHandle::new_pair();
            worker.running.borrow_mut().insert(id, handle);
            let finished =
                Abortable::new(check(worker.clone(), order, reply.clone()), registration).await;
            worker.running.borrow_mut().remove(&id);
            match finished {
                Ok(Ok(report)) => reply.post(&Response::Checked {
                    id,
                    checked: Box::new(CheckedServer {
                        view: strings::in_lang(lang, || view::view_of(&report)),
                        report: encode(&report),
                        lang,
                    }),
                }),
                Ok(Err(message)) => reply.post(&Response::Failed { message }),
                // Cancelled: the page asked for no answer.
                Err(Aborted) => {}
            }
        }
    }
}

/// Runs one check: the probe crate's plan at once, the main probe's steps posted as they come.
async fn check(
    worker: Rc<ProbeWorker>,
    order: Request,
    reply: Replier,
) -> Result<LiveCheck, String> {
    let Request::Check {
        id,
        relay,
        target,
        email_domain,
        scans,
        timeout_ms,
        unix_seconds,
        login,
        ..
    } = order
    else {
        return Err("not a check".into());
    };
    let request = CheckRequest {
        host: target.host,
        port: target.port,
        protocol: target.protocol,
        security: target.security,
        email_domain,
        anchors: worker.anchors().await?,
        unix_seconds,
        step_timeout_ms: timeout_ms,
        credentials: login.map(|secret| Credentials::new(secret.user, secret.password)),
        scans,
    };
    let started = now_ms();
    let probes = plan(&request).into_iter().map(|config| {
        let main = config.task == Task::Check;
        let reply = reply.clone();
        let worker = worker.clone();
        let relay = relay.clone();
        async move {
            let on_step = move |step: portolan_probe::Step| {
                if let (true, Some(step)) = (main, step_of(step)) {
                    reply.post(&Response::Progress { id, step });
                }
            };
            drive(config, &relay, &worker.limiter, &on_step).await
        }
    });
    let outcomes = futures::future::join_all(probes).await;
    Ok(assemble(
        &request,
        &outcomes,
        now_ms().saturating_sub(started),
    ))
}

/// The page's words for a probe step (the listening step of the injection test is not shown).
fn step_of(step: portolan_probe::Step) -> Option<Step> {
    use portolan_probe::Step as Probe;
    Some(match step {
        Probe::Connecting => Step::Connecting,
        Probe::Greeting => Step::Greeting,
        Probe::Capabilities => Step::Capabilities,
        Probe::Starttls => Step::Starttls,
        Probe::TlsHandshake => Step::TlsHandshake,
        Probe::CapabilitiesAfterTls => Step::CapabilitiesAfterTls,
        Probe::Login => Step::Login,
        Probe::Scanning => Step::Scanning,
        Probe::Listening => return None,
    })
}

/// The worker's entry point: handles every message posted to it, and says `Ready` first.
#[cfg(target_arch = "wasm32")]
pub fn run() {
    strings::keep_compiled_later_texts();
    crate::engine_worker::words::use_tables(|| {
        crate::engine_worker::words::tables(&[portolan_core::i18n::de::PROBE])
    });
    let worker = Rc::new(ProbeWorker::default());
    let replier = crate::worker_scope::serve(move |text, reply| {
        wasm_bindgen_futures::spawn_local(handle(worker.clone(), text, reply));
    });
    replier.post(&Response::Ready);
}
