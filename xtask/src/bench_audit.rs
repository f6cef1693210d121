//! `cargo xtask bench`, audit part: the whole `portolan audit` of a test domain whose DoH
//! answers are delayed 50 ms and whose mail servers (real dovecot and postfix) are 50 ms away
//! per round trip, with an MTA-STS policy served over HTTPS on loopback. Prints the wall time
//! and how many DNS rounds the audit used against the zone's longest dependency chain (MX →
//! TLSA and SPF → include: two rounds). Asserts nothing.
//!
//! Every name the audit may try (the domain's mail hosts and the usual names) is pinned with
//! `--connect-to`: the servers for the ones that exist, a closed loopback port for the rest, so
//! nothing leaves the machine.

use std::process::Command;
use std::time::{Duration, Instant};

use portolan_testkit::mail::{HttpsFiles, MailOptions, MailServers};

use crate::process::step;
use crate::stats::summarize;
use crate::{build, TaskError};

/// The delay added to every DoH answer.
const DNS_DELAY: Duration = Duration::from_millis(50);
/// The delay added each way on every mail port (a round trip grows by twice this).
const SERVER_DELAY: Duration = Duration::from_millis(25);
/// Timed runs (after one warm-up run).
const RUNS: usize = 5;
const DOMAIN: &str = "bench-audit.test";

pub fn run() -> Result<(), TaskError> {
    let portolan = build::native_binary("portolan-cli", "portolan")?;
    let servers = MailServers::start_with(&MailOptions {
        delay: Some(SERVER_DELAY),
        extra_names: vec![format!("mail.{DOMAIN}"), format!("mx.{DOMAIN}")],
        ..MailOptions::default()
    })
    .map_err(|error| TaskError::Setup(format!("the mail servers: {error}")))?;
    let policy = HttpsFiles::start(&[(
        ".well-known/mta-sts.txt",
        &format!("version: STSv1\r\nmode: enforce\r\nmx: mx.{DOMAIN}\r\nmax_age: 1209600\r\n"),
    )])
    .map_err(|error| TaskError::Setup(format!("the policy server: {error}")))?;
    let zone = format!(
        "
{DOMAIN}. IN MX 10 mx.{DOMAIN}.
{DOMAIN}. IN TXT \"v=spf1 mx include:_spf.{DOMAIN} -all\"
_spf.{DOMAIN}. IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"
_dmarc.{DOMAIN}. IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@{DOMAIN}\"
_mta-sts.{DOMAIN}. IN TXT \"v=STSv1; id=1\"
_smtp._tls.{DOMAIN}. IN TXT \"v=TLSRPTv1; rua=mailto:tls@{DOMAIN}\"
_imaps._tcp.{DOMAIN}. IN SRV 0 1 993 mail.{DOMAIN}.
_submissions._tcp.{DOMAIN}. IN SRV 0 1 465 mail.{DOMAIN}.
"
    );
    let resolver = crate::dns::start_test_resolver_with(Some(DNS_DELAY), false, &zone)?;
    let dir = std::env::temp_dir().join(format!("portolan-bench-audit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|source| TaskError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let cas = dir.join("cas.pem");
    let mut bundle = String::new();
    for file in [&servers.ca_file, &policy.ca_file] {
        bundle.push_str(
            &std::fs::read_to_string(file).map_err(|source| TaskError::Io {
                path: file.display().to_string(),
                source,
            })?,
        );
    }
    std::fs::write(&cas, bundle).map_err(|source| TaskError::Io {
        path: cas.display().to_string(),
        source,
    })?;
    let mut args = vec![
        "audit".to_owned(),
        DOMAIN.into(),
        "--json".into(),
        "--ports".into(),
        "all".into(),
        "--doh".into(),
        resolver.url.clone(),
        "--ca".into(),
        cas.display().to_string(),
        "--mta-sts-url".into(),
        policy.url(".well-known/mta-sts.txt"),
        "--autoconfig-url".into(),
        "http://127.0.0.1:9/mail/config-v1.1.xml".into(),
    ];
    args.extend(pins(&servers));
    step(&format!(
        "audit of {DOMAIN}: DoH answers +{} ms, mail servers +{} ms per round trip",
        DNS_DELAY.as_millis(),
        2 * SERVER_DELAY.as_millis()
    ));
    let mut samples = Vec::new();
    let mut rounds = Vec::new();
    for run in 0..=RUNS {
        let started = Instant::now();
        let output = Command::new(&portolan)
            .args(&args)
            .output()
            .map_err(TaskError::spawn(format!("{} audit", portolan.display())))?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).map_err(|error| {
                TaskError::Setup(format!(
                    "the audit printed no JSON ({error}): {}",
                    String::from_utf8_lossy(&output.stderr)
                ))
            })?;
        if run > 0 {
            samples.push(elapsed);
            rounds.push(report["gathering"]["dns_rounds"].as_u64().unwrap_or(0));
        }
    }
    if let Some(summary) = summarize(&samples) {
        println!("{:<40} {summary} ms", "whole audit (wall time)");
    }
    println!(
        "DNS rounds used: {:?} (longest dependency chain in this zone: 2, MX -> TLSA and SPF -> include)",
        rounds
    );
    Ok(())
}

/// `--connect-to` rules for every host the audit may try: the servers for the domain's own
/// hosts, a closed loopback port for every usual name.
fn pins(servers: &MailServers) -> Vec<String> {
    let closed = 9;
    let mut rules = Vec::new();
    let mut pin = |host: String, port: u16, to: u16| {
        rules.push("--connect-to".to_owned());
        rules.push(format!("{host}:{port}:127.0.0.1:{to}"));
    };
    let served = [
        (
            format!("mail.{DOMAIN}"),
            993,
            servers.imaps.unwrap_or(closed),
        ),
        (format!("mail.{DOMAIN}"), 465, servers.submissions),
        (format!("mail.{DOMAIN}"), 587, servers.submission),
        (format!("mx.{DOMAIN}"), 25, servers.smtp),
    ];
    for prefix in ["", "imap.", "mail.", "pop3.", "pop.", "smtp.", "mx."] {
        for port in [993, 143, 995, 110, 465, 587, 25] {
            let host = format!("{prefix}{DOMAIN}");
            let to = served
                .iter()
                .find(|(name, served_port, _)| *name == host && *served_port == port)
                .map_or(closed, |(_, _, to)| *to);
            pin(host, port, to);
        }
    }
    rules
}
