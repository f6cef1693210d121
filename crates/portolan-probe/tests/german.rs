//! Every finding a live check writes has its German: checks of many kinds (certificates that
//! expired, are not valid yet, are self-signed, untrusted or for another name; legacy TLS, weak
//! cipher suites, scans without an answer; plaintext exposure, STARTTLS injection, port 25; the
//! login test; every way a check can fail) are assembled from probe outcomes, and each
//! finding's message and fix, the check's error and the login's detail must be covered by the
//! probe worker's catalogue (`portolan_core::i18n::de::PROBE`). A failure lists every text
//! without German.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use portolan_core::i18n::{de, Catalogue};
use portolan_core::model::{
    InjectionVerdict, LiveCheck, LoginOutcome, LoginReport, Protocol, Security, Timings,
};
use portolan_probe::hello::{LegacyVersion, ScanQuestion, WeakCiphers};
use portolan_probe::{
    assemble, CheckRequest, Failure, Negotiated, ProbeOutcome, ScanAnswer, Step, Task,
    TlsSetupError, TrustAnchors,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

/// 2027-01-01T00:00:00Z: inside the test certificates' validity.
const NOW_UNIX: u64 = 1_798_761_600;
/// 2040-01-01T00:00:00Z: after it.
const LATER_UNIX: u64 = 2_208_988_800;
/// 2020-01-01T00:00:00Z: before it.
const EARLIER_UNIX: u64 = 1_577_836_800;
/// 2026-12-05T00:00:00Z: inside the self-signed fixtures' validity (ten days from 2026-12-01).
const SELF_SIGNED_VALID_UNIX: u64 = 1_796_428_800;
const TIMEOUT_MS: u64 = 5_000;

/// The texts gathered, each with where it came from.
#[derive(Default)]
struct Texts {
    texts: BTreeMap<String, String>,
    /// The findings the scenarios reached, by id.
    findings: std::collections::BTreeSet<&'static str>,
}

impl Texts {
    fn add(&mut self, origin: &str, text: &str) {
        if text.chars().any(char::is_alphabetic) {
            self.texts
                .entry(text.to_owned())
                .or_insert_with(|| origin.to_owned());
        }
    }

    /// Everything a user reads of `check`: its findings and its error. (The login's detail
    /// is Portolan's words only when the test was not made or the server misbehaved; a
    /// server's own answer is shown as it is: those are gathered where they are written.)
    fn add_check(&mut self, origin: &str, check: &LiveCheck) {
        for finding in &check.findings {
            self.findings.insert(finding.id.as_str());
            self.add(
                &format!("{origin} / {:?} message", finding.id),
                &finding.message,
            );
            self.add(&format!("{origin} / {:?} fix", finding.id), &finding.fix);
        }
        if let Some(error) = &check.error {
            self.add(&format!("{origin} / error"), error);
        }
    }

    fn assert_covered_by(&self, area: &str, catalogue: &Catalogue) {
        let misses: Vec<String> = self
            .texts
            .iter()
            .filter(|(text, _)| catalogue.german(text).is_none())
            .map(|(text, origin)| format!("  [{origin}] {text:?}"))
            .collect();
        eprintln!(
            "{area}: {} texts gathered, {} without German",
            self.texts.len(),
            misses.len()
        );
        assert!(
            misses.is_empty(),
            "{area}: {} of {} texts have no German:\n{}",
            misses.len(),
            self.texts.len(),
            misses.join("\n")
        );
    }
}

fn anchors() -> TrustAnchors {
    let ca = TrustAnchors::pem_certificates(include_bytes!("fixtures/ca.pem")).unwrap();
    TrustAnchors::new(&ca).unwrap()
}

/// The leaf for mail.example.test, signed by the test CA.
fn leaf() -> CertificateDer<'static> {
    CertificateDer::pem_slice_iter(include_bytes!("fixtures/server.pem"))
        .next()
        .expect("a certificate")
        .expect("PEM")
}

fn self_signed_ec() -> CertificateDer<'static> {
    CertificateDer::from(include_bytes!("fixtures/ec-p256.der").to_vec())
}

fn self_signed_rsa() -> CertificateDer<'static> {
    CertificateDer::from(include_bytes!("fixtures/rsa-3072.der").to_vec())
}

fn request(port: u16, protocol: Protocol, security: Security, unix_seconds: u64) -> CheckRequest {
    CheckRequest {
        host: "mail.example.test".into(),
        port,
        protocol,
        security,
        email_domain: Some("example.test".into()),
        anchors: anchors(),
        unix_seconds,
        step_timeout_ms: TIMEOUT_MS,
        credentials: None,
        scans: true,
    }
}

/// An outcome of `task` that reached the server, with nothing else.
fn outcome(task: Task) -> ProbeOutcome {
    ProbeOutcome {
        task,
        reachable: true,
        banner: Some("* OK ready".into()),
        before_tls: Vec::new(),
        after_tls: vec!["IMAP4rev1".into(), "AUTH=PLAIN".into()],
        greeting_had_capabilities: false,
        tls: None,
        login: None,
        injection: None,
        scan: None,
        failure: None,
        timings: Timings::default(),
        round_trips: 3,
    }
}

/// A finished handshake with `chain`.
fn negotiated(chain: Vec<CertificateDer<'static>>) -> Negotiated {
    Negotiated {
        version: "TLSv1.3".into(),
        cipher: "TLS13_AES_256_GCM_SHA384".into(),
        chain,
        chain_error: None,
        name_matches: true,
        domain_matches: Some(true),
    }
}

/// The check's own outcome with TLS over `chain`.
fn with_tls(chain: Vec<CertificateDer<'static>>) -> ProbeOutcome {
    ProbeOutcome {
        tls: Some(negotiated(chain)),
        ..outcome(Task::Check)
    }
}

/// Assembles one check from its outcomes and gathers what it says.
fn gather(texts: &mut Texts, origin: &str, request: &CheckRequest, outcomes: &[ProbeOutcome]) {
    let check = assemble(request, outcomes, 321);
    texts.add_check(origin, &check);
}

fn gather_all() -> Texts {
    let mut texts = Texts::default();
    let imaps = request(993, Protocol::Imap, Security::Tls, NOW_UNIX);

    // A good check, then its certificate near, at and past its end.
    let good = with_tls(vec![leaf()]);
    let base = assemble(&imaps, std::slice::from_ref(&good), 100);
    texts.add_check("good", &base);
    let days_left = base
        .tls
        .as_ref()
        .and_then(|tls| tls.certificate.as_ref())
        .map(|certificate| certificate.days_left)
        .expect("the leaf is read");
    let day = 86_400u64;
    let left = u64::try_from(days_left).unwrap_or(0);
    for (label, now) in [
        ("expires in 20 days", NOW_UNIX + (left - 20) * day),
        ("expires in 3 days", NOW_UNIX + (left - 3) * day),
        ("expired", LATER_UNIX),
    ] {
        gather(
            &mut texts,
            label,
            &request(993, Protocol::Imap, Security::Tls, now),
            std::slice::from_ref(&good),
        );
    }
    // Not valid yet.
    let mut early = good.clone();
    if let Some(tls) = early.tls.as_mut() {
        tls.chain_error = Some("the certificate is not valid yet".into());
    }
    gather(
        &mut texts,
        "not valid yet",
        &request(993, Protocol::Imap, Security::Tls, EARLIER_UNIX),
        &[early],
    );
    // Self-signed, untrusted for each reason, for another name, not for the mail domain.
    for (label, chain) in [
        ("self-signed ec", vec![self_signed_ec()]),
        ("self-signed rsa", vec![self_signed_rsa()]),
    ] {
        let mut outcome = with_tls(chain);
        if let Some(tls) = outcome.tls.as_mut() {
            tls.chain_error =
                Some("the certificate is not issued by a trusted certificate authority".into());
            tls.name_matches = false;
            tls.domain_matches = Some(false);
        }
        // Inside the self-signed fixtures' short validity.
        let then = request(993, Protocol::Imap, Security::Tls, SELF_SIGNED_VALID_UNIX);
        gather(&mut texts, label, &then, &[outcome]);
    }
    for why in [
        "the certificate is not issued by a trusted certificate authority",
        "a signature in the certificate chain is invalid",
        "the certificate has been revoked",
        "the certificate is not meant for TLS servers",
        "the certificate is not valid: UnsupportedCriticalExtension",
        "the certificate could not be checked: BadEncoding",
    ] {
        let mut outcome = good.clone();
        if let Some(tls) = outcome.tls.as_mut() {
            tls.chain_error = Some(why.into());
        }
        gather(&mut texts, &format!("untrusted: {why}"), &imaps, &[outcome]);
    }
    let mut wrong_name = good.clone();
    if let Some(tls) = wrong_name.tls.as_mut() {
        tls.name_matches = false;
        tls.domain_matches = Some(false);
    }
    gather(&mut texts, "wrong name", &imaps, &[wrong_name]);

    // TLS 1.2 at best, legacy versions and weak suites accepted, scans without an answer.
    let mut tls12 = good.clone();
    if let Some(tls) = tls12.tls.as_mut() {
        tls.version = "TLSv1.2".into();
        tls.cipher = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384".into();
    }
    let mut outcomes = vec![tls12];
    for version in LegacyVersion::ALL {
        outcomes.push(ProbeOutcome {
            scan: Some(ScanAnswer::Accepted(version.name().to_owned())),
            ..outcome(Task::Scan(ScanQuestion::Version(version)))
        });
    }
    let suites = [
        "TLS_RSA_WITH_RC4_128_SHA",
        "TLS_RSA_WITH_3DES_EDE_CBC_SHA (at TLSv1.0)",
        "TLS_RSA_WITH_NULL_SHA256",
        "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA (at an older version)",
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
    ];
    for (family, suite) in WeakCiphers::ALL.into_iter().zip(suites) {
        outcomes.push(ProbeOutcome {
            scan: Some(ScanAnswer::Accepted(suite.to_owned())),
            ..outcome(Task::Scan(ScanQuestion::Ciphers(family)))
        });
    }
    gather(&mut texts, "legacy and weak", &imaps, &outcomes);
    let mut outcomes = vec![good.clone()];
    let whys = [
        format!("no answer within {TIMEOUT_MS} ms"),
        "the server's answer was not TLS".to_owned(),
        Failure::Closed(Step::Scanning).describe(TIMEOUT_MS),
        Failure::Unreachable("the connection closed".into()).describe(TIMEOUT_MS),
        Failure::Timeout(Step::Scanning).describe(TIMEOUT_MS),
    ];
    for (family, why) in WeakCiphers::ALL.into_iter().zip(whys.iter().cycle()) {
        outcomes.push(ProbeOutcome {
            scan: Some(ScanAnswer::Inconclusive(why.clone())),
            ..outcome(Task::Scan(ScanQuestion::Ciphers(family)))
        });
    }
    for (version, why) in LegacyVersion::ALL.into_iter().zip(whys.iter()) {
        outcomes.push(ProbeOutcome {
            scan: Some(ScanAnswer::Inconclusive(why.clone())),
            ..outcome(Task::Scan(ScanQuestion::Version(version)))
        });
    }
    gather(&mut texts, "scans without an answer", &imaps, &outcomes);
    // One scan without an answer alone.
    gather(
        &mut texts,
        "one scan without an answer",
        &imaps,
        &[
            good.clone(),
            ProbeOutcome {
                scan: Some(ScanAnswer::Inconclusive(whys[0].clone())),
                ..outcome(Task::Scan(ScanQuestion::Version(LegacyVersion::ALL[0])))
            },
        ],
    );

    // STARTTLS: authentication offered before TLS, LOGIN not disabled, injection.
    for (port, protocol, before) in [
        (
            143,
            Protocol::Imap,
            vec!["IMAP4rev1", "STARTTLS", "AUTH=PLAIN", "AUTH=LOGIN"],
        ),
        (143, Protocol::Imap, vec!["IMAP4rev1", "STARTTLS"]),
        (110, Protocol::Pop3, vec!["USER", "STLS", "SASL PLAIN"]),
        (
            587,
            Protocol::Submission,
            vec!["PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN"],
        ),
    ] {
        let starttls = request(port, protocol, Security::Starttls, NOW_UNIX);
        let main = ProbeOutcome {
            before_tls: before.iter().map(|c| (*c).to_owned()).collect(),
            after_tls: match protocol {
                Protocol::Imap => vec!["IMAP4rev1".into(), "AUTH=PLAIN".into()],
                Protocol::Pop3 => vec!["USER".into(), "SASL PLAIN".into()],
                Protocol::Submission => vec!["AUTH PLAIN LOGIN".into()],
            },
            ..good.clone()
        };
        for verdict in [
            InjectionVerdict::Vulnerable,
            InjectionVerdict::NotVulnerable,
            InjectionVerdict::Inconclusive,
        ] {
            gather(
                &mut texts,
                &format!("starttls {port} {verdict:?}"),
                &starttls,
                &[
                    main.clone(),
                    ProbeOutcome {
                        injection: Some(verdict),
                        ..outcome(Task::Injection)
                    },
                ],
            );
        }
    }
    // No encryption at all; port 25; no way to log in.
    for (port, protocol) in [
        (143, Protocol::Imap),
        (110, Protocol::Pop3),
        (25, Protocol::Submission),
    ] {
        gather(
            &mut texts,
            &format!("plain {port}"),
            &request(port, protocol, Security::Plain, NOW_UNIX),
            &[outcome(Task::Check)],
        );
    }
    gather(
        &mut texts,
        "port 25 STARTTLS",
        &request(25, Protocol::Submission, Security::Starttls, NOW_UNIX),
        &[ProbeOutcome {
            before_tls: vec!["PIPELINING".into(), "STARTTLS".into()],
            after_tls: vec!["PIPELINING".into()],
            ..good.clone()
        }],
    );
    gather(
        &mut texts,
        "no login",
        &request(465, Protocol::Submission, Security::Tls, NOW_UNIX),
        &[ProbeOutcome {
            after_tls: vec!["PIPELINING".into(), "8BITMIME".into()],
            ..good.clone()
        }],
    );

    // The login test, each way it ends.
    // (outcome, mechanism, detail, whether the detail is Portolan's words, not the server's)
    let logins = [
        (LoginOutcome::Succeeded, Some("PLAIN"), "2.7.0 Authentication successful", false),
        (LoginOutcome::Succeeded, None, "OK", false),
        (LoginOutcome::Failed, Some("LOGIN"), "NO [AUTHENTICATIONFAILED] Authentication failed.", false),
        (LoginOutcome::Failed, Some("SCRAM-SHA-256"), "the server's signature is wrong: it does not know the password", true),
        (LoginOutcome::Failed, Some("PLAIN"), "the server reported success without proving it knows the password (+OK)", true),
        (LoginOutcome::Failed, Some("SCRAM-SHA-256"), "the server's SCRAM message is malformed: no salt", true),
        (LoginOutcome::Failed, Some("SCRAM-SHA-256"), "the server asked for 100 iterations, outside 4096..=10000000", true),
        (LoginOutcome::Failed, Some("PLAIN"), "the server asked for more than the mechanism needs", true),
        (LoginOutcome::Skipped, None, "the certificate did not verify, and credentials are never sent over a connection that is not verified", true),
        (LoginOutcome::Skipped, None, "the server offers no password login Portolan can test (offered: nothing)", true),
        (LoginOutcome::Skipped, None, "the server offers no password login Portolan can test (offered: XOAUTH2, OAUTHBEARER)", true),
        (LoginOutcome::Skipped, Some("LOGIN"), "the user name or password has characters IMAP's LOGIN command cannot carry", true),
        (LoginOutcome::Skipped, Some("USER"), "the user name or password has a line break, which POP3's USER and PASS cannot carry", true),
    ];
    for (index, (result, mechanism, detail, ours)) in logins.into_iter().enumerate() {
        if ours {
            texts.add(&format!("login {index} / detail"), detail);
        }
        gather(
            &mut texts,
            &format!("login {index}"),
            &imaps,
            &[ProbeOutcome {
                login: Some(LoginReport {
                    outcome: result,
                    mechanism: mechanism.map(str::to_owned),
                    detail: detail.to_owned(),
                }),
                ..good.clone()
            }],
        );
    }

    // Every way the check itself fails, on implicit TLS and after STARTTLS.
    let failures = [
        Failure::Unreachable("connection refused".into()),
        Failure::Unreachable(format!("no connection within {TIMEOUT_MS} ms")),
        Failure::Unreachable("the connection closed".into()),
        Failure::Timeout(Step::Connecting),
        Failure::Timeout(Step::Greeting),
        Failure::Timeout(Step::Capabilities),
        Failure::Timeout(Step::Starttls),
        Failure::Timeout(Step::TlsHandshake),
        Failure::Timeout(Step::CapabilitiesAfterTls),
        Failure::Timeout(Step::Login),
        Failure::Closed(Step::Greeting),
        Failure::Closed(Step::CapabilitiesAfterTls),
        Failure::LineTooLong(Step::Capabilities),
        Failure::Protocol(Step::Greeting, "not a greeting".into()),
        Failure::Protocol(
            Step::Starttls,
            "the server sent more than was asked for before STARTTLS".into(),
        ),
        Failure::Protocol(Step::Capabilities, "unexpected answer".into()),
        Failure::Protocol(
            Step::TlsHandshake,
            "TLS error: received corrupt message".into(),
        ),
        Failure::Protocol(
            Step::Greeting,
            "the server sent a line that is not an SMTP reply: HTTP/1.1 400 Bad Request".into(),
        ),
        Failure::Protocol(
            Step::Capabilities,
            "the server sent a line that is not an IMAP response: hello".into(),
        ),
        Failure::GreetingRefused("554 5.7.1 No SMTP service here".into()),
        Failure::StarttlsMissing,
        Failure::StarttlsRefused("454 4.7.0 TLS not available due to local problem".into()),
        Failure::TlsSetup(TlsSetupError::ServerName("mail example".into()).to_string()),
        Failure::TlsSetup(TlsSetupError::Config("no usable cipher suite".into()).to_string()),
        Failure::TlsSetup(
            TlsSetupError::Roots("no BEGIN CERTIFICATE block found".into()).to_string(),
        ),
        Failure::TlsHandshake("the server accepts neither TLS 1.3 nor TLS 1.2".into()),
        Failure::TlsHandshake("the server and Portolan share no secure cipher suite".into()),
        Failure::TlsHandshake("the server did not answer with TLS".into()),
        Failure::TlsHandshake(
            "the server's TLS is incompatible with current standards (NoCipherSuitesInCommon)"
                .into(),
        ),
        Failure::TlsHandshake("the server closed the connection during the handshake".into()),
    ];
    for (index, failure) in failures.into_iter().enumerate() {
        for (port, protocol, security) in [
            (993, Protocol::Imap, Security::Tls),
            (587, Protocol::Submission, Security::Starttls),
        ] {
            let reached = !matches!(failure, Failure::Unreachable(_));
            gather(
                &mut texts,
                &format!("failure {index} on {port}"),
                &request(port, protocol, security, NOW_UNIX),
                &[ProbeOutcome {
                    reachable: reached,
                    failure: Some(failure.clone()),
                    login: Some(LoginReport {
                        outcome: LoginOutcome::Skipped,
                        mechanism: None,
                        detail: "the certificate did not verify, and credentials are never sent over a connection that is not verified".into(),
                    }),
                    ..outcome(Task::Check)
                }],
            );
        }
    }
    // A driver that lost the check's own probe.
    gather(
        &mut texts,
        "lost",
        &imaps,
        &[ProbeOutcome {
            scan: Some(ScanAnswer::Refused),
            ..outcome(Task::Scan(ScanQuestion::Version(LegacyVersion::ALL[0])))
        }],
    );
    texts
}

#[test]
fn every_finding_has_german_in_the_probe_workers_catalogue() {
    let catalogue = Catalogue::new(&[de::PROBE]).expect("the probe table is consistent");
    gather_all().assert_covered_by("probe", &catalogue);
}

#[test]
fn every_finding_has_german_in_the_core_catalogue() {
    let catalogue = Catalogue::core_german().expect("the core's German tables are consistent");
    gather_all().assert_covered_by("probe (core catalogue)", catalogue);
}

#[test]
fn the_scenarios_reach_every_finding_but_the_weak_key_and_signature() {
    // A weak key or signature needs a certificate the fixtures do not have (their German is
    // in the table all the same).
    let reached = gather_all().findings;
    let missing: Vec<&str> = [
        "unreachable",
        "connection-closed",
        "no-greeting",
        "greeting-refused",
        "protocol-error",
        "starttls-missing",
        "starttls-failed",
        "tls-handshake-failed",
        "certificate-untrusted",
        "certificate-self-signed",
        "certificate-expired",
        "certificate-not-yet-valid",
        "certificate-expires-soon",
        "certificate-name-mismatch",
        "certificate-not-for-domain",
        "tls12-only",
        "legacy-tls-accepted",
        "weak-cipher-accepted",
        "starttls-injection",
        "auth-before-tls",
        "login-not-disabled",
        "plaintext-port",
        "port-25-submission",
        "no-auth-mechanism",
        "login-succeeded",
        "login-failed",
        "login-skipped",
        "scan-incomplete",
    ]
    .into_iter()
    .filter(|id| !reached.contains(id))
    .collect();
    assert!(
        missing.is_empty(),
        "not reached: {missing:?} (reached {reached:?})"
    );
}
