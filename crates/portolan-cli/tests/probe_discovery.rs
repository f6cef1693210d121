//! Live checks feeding discovery and the recommendation, against a real DoH server and real
//! dovecot and postfix on loopback, inside a loopback-only network namespace (guessed names
//! the test does not map must fail to resolve, never reach a real DNS server):
//! - `discover --probe` confirms the guesses of a guess-only domain that answer and drops the
//!   ones that do not; `generate --probe` writes the confirmed server;
//! - `check --address` checks the recommended servers and, when the recommended port does not
//!   answer, moves on to the alternative, and the recommendation says so.

mod support;

use std::process::Command;

use portolan_core::model::{CheckOutcome, Discovery, LiveCheck, Trust};
use portolan_testkit::mail::{MailOptions, MailServers};
use portolan_testkit::{DohOptions, DohServer};
use support::loopback::closed_port;
use support::netns;

const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");

fn doh(zone_records: &str) -> DohServer {
    let zone = format!(
        "$TTL 300\n.  IN SOA ns.test. admin.test. 1 3600 600 86400 300\n.  IN NS ns.test.\nns.test.  IN A 127.0.0.1\nhealth.test. IN A 127.0.0.1\n{zone_records}"
    );
    DohServer::start(&DohOptions {
        zone,
        delay: None,
        signed_zones: Vec::new(),
        tls: false,
    })
    .unwrap_or_else(|error| panic!("the test DoH server: {error}"))
}

#[test]
fn discover_probe_confirms_the_guesses_that_answer() {
    if !netns::enter("discover_probe_confirms_the_guesses_that_answer") {
        return;
    }
    let servers = MailServers::start_with(&MailOptions {
        extra_names: vec!["imap.guess.test".into(), "smtp.guess.test".into()],
        ..MailOptions::default()
    })
    .unwrap_or_else(|error| panic!("mail servers: {error}"));
    let resolver = doh("");
    let imaps = servers.imaps.expect("implicit TLS for IMAP");
    let connect_to = [
        format!("imap.guess.test:993:127.0.0.1:{imaps}"),
        format!("smtp.guess.test:465:127.0.0.1:{}", servers.submissions),
        format!("mail.guess.test:993:127.0.0.1:{}", closed_port()),
    ];
    let mut args = vec![
        "discover".to_owned(),
        "jane@guess.test".into(),
        "--json".into(),
        "--no-fetch".into(),
        "--doh".into(),
        resolver.url.clone(),
        "--probe".into(),
        "--probe-timeout-ms".into(),
        "3000".into(),
        "--ca".into(),
        servers.ca_file.display().to_string(),
    ];
    for rule in &connect_to {
        args.extend(["--connect-to".to_owned(), rule.clone()]);
    }
    let output = Command::new(PORTOLAN).args(&args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: Discovery = serde_json::from_slice(&output.stdout).unwrap();
    let imap = &found.incoming[0];
    assert_eq!((imap.host.as_str(), imap.port), ("imap.guess.test", 993));
    assert_eq!(imap.trust, vec![Trust::ProbeVerified]);
    assert!(
        imap.reasons[0].starts_with("Probed live:"),
        "{:?}",
        imap.reasons
    );
    let smtp = &found.outgoing[0];
    assert_eq!((smtp.host.as_str(), smtp.port), ("smtp.guess.test", 465));
    assert_eq!(smtp.trust, vec![Trust::ProbeVerified]);
    assert!(
        found
            .incoming
            .iter()
            .chain(&found.outgoing)
            .all(|candidate| candidate.trust == vec![Trust::ProbeVerified]),
        "every guess that did not answer is gone"
    );
    let dead = found
        .probed
        .iter()
        .find(|probed| probed.host == "mail.guess.test" && probed.port == 993)
        .expect("the dead guess is reported");
    assert!(!dead.confirmed);
    assert_eq!(dead.outcome, CheckOutcome::Unreachable);
    assert_eq!(
        found
            .probed
            .iter()
            .filter(|probed| probed.confirmed)
            .count(),
        2,
        "{:#?}",
        found.probed
    );

    let text = Command::new(PORTOLAN)
        .args(args.iter().filter(|arg| *arg != "--json"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Guesses probed live (2 of"), "{text}");
    assert!(
        text.contains("unconfirmed Probed live: mail.guess.test:993"),
        "{text}"
    );

    let mut generate = vec!["generate".to_owned(), "jane@guess.test".into()];
    generate.extend(["--format".into(), "msmtp".into()]);
    generate.extend(["--ca-file".into(), servers.ca_file.display().to_string()]);
    generate.extend(["--no-fetch".into(), "--doh".into(), resolver.url.clone()]);
    generate.extend(["--probe".into(), "--probe-timeout-ms".into(), "3000".into()]);
    for rule in &connect_to {
        generate.extend(["--connect-to".to_owned(), rule.clone()]);
    }
    let written = Command::new(PORTOLAN).args(&generate).output().unwrap();
    let msmtp = String::from_utf8_lossy(&written.stdout);
    assert!(
        written.status.success(),
        "{}",
        String::from_utf8_lossy(&written.stderr)
    );
    assert!(
        msmtp.contains("host smtp.guess.test") && msmtp.contains("port 465"),
        "{msmtp}"
    );
}

#[test]
fn check_address_moves_on_when_the_recommended_port_is_dead() {
    if !netns::enter("check_address_moves_on_when_the_recommended_port_is_dead") {
        return;
    }
    let servers = MailServers::start().unwrap_or_else(|error| panic!("mail servers: {error}"));
    let imaps = servers.imaps.expect("implicit TLS for IMAP");
    let dead = closed_port();
    let resolver = doh(&format!(
        "_imaps._tcp.live.test. IN SRV 0 0 {dead} localhost.\n\
         _imaps._tcp.live.test. IN SRV 10 0 {imaps} localhost.\n\
         _submission._tcp.live.test. IN SRV 0 0 {} localhost.\n",
        servers.submission
    ));
    let output = Command::new(PORTOLAN)
        .args([
            "check",
            "--address",
            "jane@live.test",
            "--no-fetch",
            "--no-scan",
            "--json",
        ])
        .args(["--doh", &resolver.url, "--ca"])
        .arg(&servers.ca_file)
        .output()
        .unwrap();
    let checks: Vec<LiveCheck> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(
        output.status.code(),
        Some(1),
        "a recommended server that does not answer is a problem, even with an alternative"
    );
    let ports: Vec<(u16, bool)> = checks.iter().map(|c| (c.port, c.reachable)).collect();
    assert_eq!(
        ports,
        vec![(dead, false), (servers.submission, true), (imaps, true)],
        "the dead recommended port first, then its alternative"
    );
    let positional = Command::new(PORTOLAN)
        .args(["check", "jane@live.test", "--no-fetch", "--no-scan"])
        .args(["--doh", &resolver.url, "--ca"])
        .arg(&servers.ca_file)
        .output()
        .unwrap();
    assert_eq!(
        positional.status.code(),
        Some(1),
        "an address as the argument is judged like --address"
    );
    let text = Command::new(PORTOLAN)
        .args(["check", "jane@live.test", "--no-fetch", "--no-scan"])
        .args(["--doh", &resolver.url, "--ca"])
        .arg(&servers.ca_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!(
            "For reading mail use IMAP at localhost port {imaps}"
        )),
        "{text}"
    );
    assert!(text.contains("not reachable: no connection"), "{text}");
}
