//! Browser tests of the probe worker's driver: portolan-probe's state machines over a real
//! WebSocket in headless Chromium, against the testkit's transcript relay (the relay's
//! protocol in front of recorded server transcripts, on loopback). `cargo xtask test` starts
//! the transcript relay and passes its URL at build time as `PORTOLAN_TRANSCRIPT_RELAY`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use portolan_app::probe_worker::driver::{drive, Limiter};
use portolan_core::model::{Protocol, Security};
use portolan_probe::{plan, CheckRequest, Failure, ProbeOutcome, Step, TrustAnchors};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn relay() -> &'static str {
    match option_env!("PORTOLAN_TRANSCRIPT_RELAY") {
        Some(url) => url,
        None => {
            panic!("build these tests with PORTOLAN_TRANSCRIPT_RELAY set (cargo xtask test does)")
        }
    }
}

/// Drives the check probe for `host` (a transcript's name) through the transcript relay.
async fn probe(host: &str, protocol: Protocol, security: Security) -> (ProbeOutcome, Vec<Step>) {
    let request = CheckRequest {
        host: host.to_owned(),
        port: protocol.default_port(security),
        protocol,
        security,
        email_domain: None,
        anchors: TrustAnchors::new(&[]).expect("the webpki roots"),
        unix_seconds: 1_798_761_600,
        step_timeout_ms: 5_000,
        credentials: None,
        scans: false,
    };
    let config = plan(&request).remove(0);
    let steps = Rc::new(RefCell::new(Vec::new()));
    let seen = steps.clone();
    let on_step = move |step: Step| seen.borrow_mut().push(step);
    let outcome = drive(config, relay(), &Limiter::default(), &on_step).await;
    let steps = steps.borrow().clone();
    (outcome, steps)
}

#[wasm_bindgen_test]
async fn a_submission_port_without_starttls() {
    let (outcome, steps) = probe(
        "smtp-without-starttls.transcript",
        Protocol::Submission,
        Security::Starttls,
    )
    .await;
    assert!(outcome.reachable);
    assert_eq!(
        outcome.banner.as_deref(),
        Some("220 mail.example.test ESMTP Postfix (Debian/GNU)")
    );
    assert_eq!(
        outcome.before_tls,
        vec![
            "PIPELINING",
            "SIZE 10240000",
            "AUTH PLAIN LOGIN",
            "8BITMIME"
        ]
    );
    assert_eq!(outcome.failure, Some(Failure::StarttlsMissing));
    assert_eq!(
        steps,
        vec![Step::Connecting, Step::Greeting, Step::Capabilities]
    );
}

#[wasm_bindgen_test]
async fn starttls_listed_but_refused() {
    let (outcome, _) = probe(
        "imap-starttls-refused.transcript",
        Protocol::Imap,
        Security::Starttls,
    )
    .await;
    assert!(outcome.greeting_had_capabilities);
    assert!(
        matches!(&outcome.failure, Some(Failure::StarttlsRefused(text)) if text.contains("[UNAVAILABLE]")),
        "{:?}",
        outcome.failure
    );
}

#[wasm_bindgen_test]
async fn a_close_after_the_greeting_and_gibberish() {
    let (closed, _) = probe(
        "imap-closes-after-greeting.transcript",
        Protocol::Imap,
        Security::Starttls,
    )
    .await;
    assert_eq!(closed.failure, Some(Failure::Closed(Step::Capabilities)));
    assert_eq!(closed.banner.as_deref(), Some("* OK ready"));
    let (gibberish, _) = probe(
        "pop3-gibberish.transcript",
        Protocol::Pop3,
        Security::Starttls,
    )
    .await;
    assert!(
        matches!(
            gibberish.failure,
            Some(Failure::Protocol(Step::Greeting, _))
        ),
        "{:?}",
        gibberish.failure
    );
}

#[wasm_bindgen_test]
async fn a_tls_alert_and_an_unreachable_server() {
    let (alert, steps) = probe("imaps-alert.transcript", Protocol::Imap, Security::Tls).await;
    assert_eq!(
        alert.failure,
        Some(Failure::TlsHandshake(
            "the server accepts neither TLS 1.3 nor TLS 1.2".into()
        ))
    );
    assert!(steps.contains(&Step::TlsHandshake));
    let (unreachable, _) = probe("unreachable.transcript", Protocol::Imap, Security::Tls).await;
    assert!(
        !unreachable.reachable,
        "a relay that could not connect: the server did not answer"
    );
    assert!(
        matches!(&unreachable.failure, Some(Failure::Unreachable(why)) if why.contains("through the relay")),
        "{:?}",
        unreachable.failure
    );
}
