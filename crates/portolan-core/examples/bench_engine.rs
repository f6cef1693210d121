//! Engine and generator throughput, for `cargo xtask bench` (which runs this example with
//! the `native` profile). Prints numbers; asserts nothing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use portolan_core::clients;
use portolan_core::engine::{recommend, Constraints, EngineInput, Policy};
use portolan_core::formats::snippets::{self, Tool};
use portolan_core::formats::{autoconfig, autodiscover, mobileconfig, Settings};
use portolan_core::model::{
    AuthMethod, Candidate, CertificateReport, LiveCheck, Protocol, Role, Security, Source,
    TlsReport, Trust,
};
use portolan_core::parse_input;

fn candidate(
    protocol: Protocol,
    host: &str,
    port: u16,
    security: Security,
    source: Source,
) -> Candidate {
    Candidate {
        auth: vec![AuthMethod::PasswordCleartext],
        trust: if source == Source::Srv {
            vec![Trust::ThirdPartyTargetNeedsConfirmation]
        } else {
            vec![]
        },
        ..Candidate::new(protocol, host, port, security, source)
    }
}

/// A realistic discovery: SRV, knowledge base and guesses, with duplicates and a plain server.
fn candidates() -> Vec<Candidate> {
    let mut all = Vec::new();
    for (source, prefix) in [
        (Source::Srv, "srv"),
        (Source::KnowledgeBase, "mail"),
        (Source::Guess, "imap"),
    ] {
        let host = format!("{prefix}.example.com");
        all.push(candidate(Protocol::Imap, &host, 993, Security::Tls, source));
        all.push(candidate(
            Protocol::Imap,
            &host,
            143,
            Security::Starttls,
            source,
        ));
        all.push(candidate(Protocol::Pop3, &host, 995, Security::Tls, source));
        all.push(candidate(
            Protocol::Submission,
            &host,
            465,
            Security::Tls,
            source,
        ));
        all.push(candidate(
            Protocol::Submission,
            &host,
            587,
            Security::Starttls,
            source,
        ));
    }
    all.push(candidate(
        Protocol::Imap,
        "mail.example.com",
        143,
        Security::Plain,
        Source::Guess,
    ));
    all.push(candidate(
        Protocol::Submission,
        "mail.example.com",
        25,
        Security::Starttls,
        Source::Guess,
    ));
    all.push(candidate(
        Protocol::Imap,
        "mail.example.com",
        993,
        Security::Tls,
        Source::Guess,
    ));
    all
}

fn rate(label: &str, mut work: impl FnMut()) {
    // Warm up, then count iterations for one second.
    for _ in 0..1000 {
        work();
    }
    let start = Instant::now();
    let mut count: u64 = 0;
    while start.elapsed() < Duration::from_secs(1) {
        for _ in 0..100 {
            work();
        }
        count += 100;
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "{label:<52} {:>12.0} per second ({:.2} µs each)",
        count as f64 / seconds,
        seconds * 1e6 / count as f64
    );
}

/// A live check that found `mail.example.com:993` verified, offering PLAIN after TLS.
fn verified_check() -> LiveCheck {
    let mut check = LiveCheck::new("mail.example.com", 993, Protocol::Imap, Security::Tls);
    check.reachable = true;
    check.capabilities.after_tls = vec!["IMAP4rev1".into(), "AUTH=PLAIN".into()];
    check.tls = Some(TlsReport {
        version: "TLSv1.3".into(),
        cipher: "TLS13_AES_128_GCM_SHA256".into(),
        certificate: Some(CertificateReport {
            subject: "CN=mail.example.com".into(),
            sans: vec!["mail.example.com".into()],
            issuer: "CN=Example CA".into(),
            not_before: "2026-01-01T00:00:00Z".into(),
            not_after: "2027-01-01T00:00:00Z".into(),
            days_left: 60,
            chain_valid: true,
            chain_error: None,
            name_matches: true,
            domain_matches: None,
            self_signed: false,
            key: "ECDSA P-256".into(),
            signature: "ecdsa-with-SHA256".into(),
            chain_length: 2,
            digests: Vec::new(),
        }),
    });
    check
}

fn main() {
    let candidates = candidates();
    let checks = vec![verified_check()];
    let constraints = Constraints {
        blocked_ports: vec![25],
        open_ports_only: None,
    };
    let client = clients::by_id("thunderbird");
    let input = EngineInput {
        candidates: &candidates,
        checks: &checks,
        client,
        constraints: &constraints,
        policy: Policy::default(),
    };
    println!(
        "engine: {} candidates, 1 live check, a client, a blocked port",
        candidates.len()
    );
    rate("recommendations", || {
        black_box(recommend(black_box(&input)));
    });
    let recommendation = recommend(&input);
    let settings = Settings::new(
        parse_input("jane@example.com").unwrap_or_else(|e| panic!("{e}")),
        recommendation.ordered(Role::Incoming),
        recommendation.ordered(Role::Outgoing),
    );
    rate("autoconfig files", || {
        black_box(autoconfig::generate(black_box(&settings), autoconfig::Version::V1_1).ok());
    });
    rate("Autodiscover responses", || {
        black_box(autodiscover::generate(black_box(&settings)).ok());
    });
    rate(".mobileconfig profiles", || {
        black_box(mobileconfig::generate(black_box(&settings)).ok());
    });
    rate("all six snippets", || {
        for tool in Tool::ALL {
            black_box(snippets::generate(tool, black_box(&settings)).ok());
        }
    });
}
