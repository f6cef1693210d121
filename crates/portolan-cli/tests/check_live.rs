//! `portolan check` against real servers on loopback (dovecot and postfix from
//! `portolan_testkit::mail`, well and badly configured, `openssl s_server` speaking only old
//! TLS or weak ciphers, and scripted servers that misbehave), each variant checked twice:
//! directly, and through an in-process relay (`--relay`), the browser's path. The findings of
//! every variant are asserted from `--json`.

mod support;

use std::process::{Command, Output};

use portolan_core::model::{
    CheckGrade, FindingId, InjectionVerdict, LiveCheck, LoginOutcome, Protocol,
};
use portolan_testkit::mail::{
    CertificateKind, LegacyTlsServer, MailOptions, MailServers, Script, ScriptedServer,
    WeakCipherServer, PASSWORD, USER,
};
use support::loopback::closed_port;
use support::relay::TestRelay;

const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");

/// How a check reaches the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Path {
    Direct,
    Relay,
}

const PATHS: [Path; 2] = [Path::Direct, Path::Relay];

/// Runs `portolan check localhost --port PORT --json` with `extra` arguments, directly or
/// through a relay that allows `port`.
fn run(path: Path, port: u16, ca: &std::path::Path, extra: &[&str]) -> (Output, Vec<LiveCheck>) {
    let relay = (path == Path::Relay).then(|| TestRelay::start(&[port]));
    let mut command = Command::new(PORTOLAN);
    command
        .args(["check", "localhost", "--json", "--port", &port.to_string()])
        .arg("--ca")
        .arg(ca)
        .args(extra);
    if let Some(relay) = &relay {
        command.args(["--relay", &relay.url()]);
    }
    let output = command.output().expect("portolan runs");
    let checks: Vec<LiveCheck> = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{path:?}: not JSON ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(checks.len(), 1, "{path:?}: one server, one report");
    (output, checks)
}

fn one(path: Path, port: u16, ca: &std::path::Path, extra: &[&str]) -> LiveCheck {
    run(path, port, ca, extra).1.remove(0)
}

fn ids(check: &LiveCheck) -> Vec<FindingId> {
    check.findings.iter().map(|finding| finding.id).collect()
}

fn start(options: &MailOptions) -> MailServers {
    MailServers::start_with(options).unwrap_or_else(|error| panic!("mail servers: {error}"))
}

#[test]
fn well_configured_servers_verify_and_a_login_succeeds() {
    let servers = start(&MailOptions::default());
    let ca = servers.ca_file.clone();
    let imaps = servers.imaps.expect("implicit TLS for IMAP");
    let pop3s = servers.pop3s.expect("implicit TLS for POP3");
    let cases = [
        (imaps, Protocol::Imap, "tls"),
        (servers.imap, Protocol::Imap, "starttls"),
        (pop3s, Protocol::Pop3, "tls"),
        (servers.pop3, Protocol::Pop3, "starttls"),
        (servers.submissions, Protocol::Submission, "tls"),
        (servers.submission, Protocol::Submission, "starttls"),
    ];
    for path in PATHS {
        for (port, protocol, security) in cases {
            let protocol_name = match protocol {
                Protocol::Imap => "imap",
                Protocol::Pop3 => "pop3",
                Protocol::Submission => "smtp",
            };
            let check = one(
                path,
                port,
                &ca,
                &["--protocol", protocol_name, "--security", security],
            );
            let context = format!("{path:?} {protocol:?} {security}: {:#?}", check.findings);
            assert!(check.reachable, "{context}");
            assert_eq!(check.error, None, "{context}");
            let tls = check.tls.as_ref().expect("TLS");
            assert_eq!(tls.version, "TLSv1.3", "{context}");
            let certificate = tls.certificate.as_ref().expect("a certificate");
            assert!(
                certificate.chain_valid && certificate.name_matches,
                "{context}"
            );
            assert_eq!(certificate.subject, "CN=localhost");
            assert_eq!(certificate.issuer, "CN=Portolan Test CA");
            assert!(!check.capabilities.after_tls.is_empty(), "{context}");
            assert!(
                !check.auth_mechanisms().is_empty(),
                "logins are offered after TLS: {context}"
            );
            assert!(
                !ids(&check).contains(&FindingId::AuthBeforeTls),
                "{context}"
            );
            assert!(
                !ids(&check).contains(&FindingId::LoginNotDisabled),
                "{context}"
            );
            if security == "starttls" {
                assert!(!check.capabilities.before_tls.is_empty(), "{context}");
                assert_eq!(
                    check.starttls_injection,
                    Some(InjectionVerdict::NotVulnerable),
                    "{context}"
                );
            }
            assert!(check.grade <= CheckGrade::C, "{context}");
        }
        let check = one(
            path,
            imaps,
            &ca,
            &[
                "--protocol",
                "imap",
                "--security",
                "tls",
                "--address",
                USER,
                "--login",
                "--password-command",
                &format!("echo {PASSWORD}"),
            ],
        );
        let login = check.login.as_ref().expect("a login test");
        assert_eq!(
            login.outcome,
            LoginOutcome::Succeeded,
            "{path:?}: {login:?}"
        );
        let check = one(
            path,
            servers.submission,
            &ca,
            &[
                "--protocol",
                "smtp",
                "--security",
                "starttls",
                "--address",
                USER,
                "--login",
                "--password-command",
                "echo wrong-password",
            ],
        );
        let login = check.login.as_ref().expect("a login test");
        assert_eq!(login.outcome, LoginOutcome::Failed, "{path:?}: {login:?}");
        assert!(login.detail.starts_with("535"), "{path:?}: {login:?}");
    }
    let log = servers.dovecot_log();
    assert!(
        !log.contains(PASSWORD) && !log.contains("wrong-password"),
        "no password in the server's log either"
    );
}

#[test]
fn bad_certificates_are_findings_and_block_the_login() {
    for (kind, expected) in [
        (CertificateKind::Expired, FindingId::CertificateExpired),
        (
            CertificateKind::WrongName,
            FindingId::CertificateNameMismatch,
        ),
        (
            CertificateKind::SelfSigned,
            FindingId::CertificateSelfSigned,
        ),
    ] {
        let servers = start(&MailOptions {
            certificate: kind,
            ..MailOptions::default()
        });
        let imaps = servers.imaps.expect("implicit TLS for IMAP");
        for path in PATHS {
            let check = one(
                path,
                imaps,
                &servers.ca_file,
                &[
                    "--protocol",
                    "imap",
                    "--security",
                    "tls",
                    "--address",
                    USER,
                    "--login",
                    "--password-command",
                    &format!("echo {PASSWORD}"),
                ],
            );
            let context = format!("{kind:?} {path:?}: {:#?}", check.findings);
            assert!(ids(&check).contains(&expected), "{context}");
            assert_eq!(check.grade, CheckGrade::F, "{context}");
            assert_eq!(
                check.login.as_ref().map(|login| login.outcome),
                Some(LoginOutcome::Skipped),
                "{context}"
            );
            assert!(
                check.tls.is_some(),
                "what was shown is still reported: {context}"
            );
        }
        assert!(
            !servers.dovecot_log().contains("method=PLAIN"),
            "{kind:?}: no login reached the server"
        );
    }
}

#[test]
fn logins_before_tls_and_missing_starttls_are_plaintext_exposure() {
    let exposed = start(&MailOptions {
        auth_before_tls: true,
        ..MailOptions::default()
    });
    let missing = start(&MailOptions {
        starttls: false,
        ..MailOptions::default()
    });
    for path in PATHS {
        let starttls = |name| ["--protocol", name, "--security", "starttls"];
        let imap = one(path, exposed.imap, &exposed.ca_file, &starttls("imap"));
        assert!(
            ids(&imap).contains(&FindingId::AuthBeforeTls),
            "{path:?}: {:#?}",
            imap.findings
        );
        assert!(
            ids(&imap).contains(&FindingId::LoginNotDisabled),
            "{path:?}"
        );
        let smtp = one(
            path,
            exposed.submission,
            &exposed.ca_file,
            &starttls("smtp"),
        );
        let before = smtp
            .findings
            .iter()
            .find(|finding| finding.id == FindingId::AuthBeforeTls)
            .unwrap_or_else(|| panic!("{path:?}: {:#?}", smtp.findings));
        assert!(before.message.contains("PLAIN"), "{}", before.message);

        for (port, name) in [
            (missing.imap, "imap"),
            (missing.submission, "smtp"),
            (missing.pop3, "pop3"),
        ] {
            let check = one(path, port, &missing.ca_file, &starttls(name));
            assert_eq!(
                ids(&check)[0],
                FindingId::StarttlsMissing,
                "{path:?} {port}"
            );
            assert_eq!(check.grade, CheckGrade::F);
            assert!(check.tls.is_none());
        }
        let relay_port = one(path, exposed.smtp, &exposed.ca_file, &starttls("smtp"));
        assert!(
            relay_port.reachable && !ids(&relay_port).contains(&FindingId::Port25Submission),
            "a high test port is not port 25"
        );
    }
}

#[test]
fn old_tls_and_weak_ciphers_are_found_by_the_scans() {
    let legacy = LegacyTlsServer::start().unwrap_or_else(|error| panic!("{error}"));
    let weak = WeakCipherServer::start().unwrap_or_else(|error| panic!("{error}"));
    for path in PATHS {
        let check = one(
            path,
            legacy.port,
            &legacy.ca_file,
            &["--protocol", "imap", "--security", "tls"],
        );
        let context = format!("{path:?}: {check:#?}");
        assert_eq!(check.legacy_tls_accepted, vec!["TLSv1.0"], "{context}");
        assert!(
            ids(&check).contains(&FindingId::TlsHandshakeFailed),
            "{context}"
        );
        assert!(
            ids(&check).contains(&FindingId::LegacyTlsAccepted),
            "{context}"
        );
        assert_eq!(check.grade, CheckGrade::F);

        let check = one(
            path,
            weak.port,
            &weak.ca_file,
            &["--protocol", "imap", "--security", "tls"],
        );
        let context = format!("{path:?}: {check:#?}");
        assert!(check.legacy_tls_accepted.is_empty(), "{context}");
        assert!(
            check
                .weak_ciphers_accepted
                .iter()
                .any(|suite| suite == "TLS_RSA_WITH_AES_128_CBC_SHA"
                    || suite == "TLS_RSA_WITH_AES_256_CBC_SHA"),
            "{context}"
        );
        assert!(
            ids(&check).contains(&FindingId::TlsHandshakeFailed),
            "{context}"
        );
    }
}

#[test]
fn starttls_command_injection_is_found_in_every_protocol() {
    for (protocol, name) in [
        (Protocol::Submission, "smtp"),
        (Protocol::Imap, "imap"),
        (Protocol::Pop3, "pop3"),
    ] {
        let vulnerable = ScriptedServer::start(Script::StarttlsInjection(protocol))
            .unwrap_or_else(|error| panic!("{error}"));
        let correct = ScriptedServer::start(Script::StarttlsCorrect(protocol))
            .unwrap_or_else(|error| panic!("{error}"));
        for path in PATHS {
            let args = ["--protocol", name, "--security", "starttls", "--no-scan"];
            // --no-scan skips the injection test too; run the full set for these two.
            let full = &args[..4];
            let check = one(path, vulnerable.port, &vulnerable.ca_file, full);
            assert_eq!(
                check.starttls_injection,
                Some(InjectionVerdict::Vulnerable),
                "{name} {path:?}: {check:#?}"
            );
            assert!(ids(&check).contains(&FindingId::StarttlsInjection));
            assert_eq!(check.grade, CheckGrade::F);
            let check = one(path, correct.port, &correct.ca_file, full);
            assert_eq!(
                check.starttls_injection,
                Some(InjectionVerdict::NotVulnerable),
                "{name} {path:?}: {check:#?}"
            );
            let quick = one(path, correct.port, &correct.ca_file, &args);
            assert_eq!(quick.starttls_injection, None, "--no-scan runs one probe");
        }
    }
}

#[test]
fn misbehaving_servers_end_in_clean_errors() {
    let closes = ScriptedServer::start(Script::CloseAfterGreeting(Protocol::Imap)).unwrap();
    let silent = ScriptedServer::start(Script::Silent).unwrap();
    let endless = ScriptedServer::start(Script::EndlessLine).unwrap();
    let gibberish = ScriptedServer::start(Script::Gibberish).unwrap();
    let nothing = closed_port();
    let imap = [
        "--protocol",
        "imap",
        "--security",
        "starttls",
        "--timeout-ms",
        "1500",
    ];
    for path in PATHS {
        let check = one(path, closes.port, &closes.ca_file, &imap);
        assert_eq!(
            ids(&check)[0],
            FindingId::ConnectionClosed,
            "{path:?}: {check:#?}"
        );
        assert!(check.banner.is_some(), "the greeting is kept");
        let check = one(path, silent.port, &silent.ca_file, &imap);
        assert_eq!(
            ids(&check)[0],
            FindingId::NoGreeting,
            "{path:?}: {check:#?}"
        );
        let check = one(path, endless.port, &endless.ca_file, &imap);
        assert_eq!(
            ids(&check)[0],
            FindingId::ProtocolError,
            "{path:?}: {check:#?}"
        );
        assert!(check
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("longer than"));
        let check = one(path, gibberish.port, &gibberish.ca_file, &imap);
        assert_eq!(
            ids(&check)[0],
            FindingId::ProtocolError,
            "{path:?}: {check:#?}"
        );
        let (output, checks) = run(path, nothing, &closes.ca_file, &imap);
        assert_eq!(output.status.code(), Some(1));
        assert!(!checks[0].reachable, "{path:?}: {:#?}", checks[0]);
        assert_eq!(ids(&checks[0])[0], FindingId::Unreachable);
    }
}

#[test]
fn the_relay_refusing_a_port_is_reported_as_such() {
    let servers = start(&MailOptions::default());
    let relay = TestRelay::start(&[servers.submission]);
    let output = Command::new(PORTOLAN)
        .args([
            "check",
            "localhost",
            "--json",
            "--protocol",
            "imap",
            "--port",
        ])
        .arg(servers.imap.to_string())
        .args(["--relay", &relay.url()])
        .output()
        .unwrap();
    let checks: Vec<LiveCheck> = serde_json::from_slice(&output.stdout).unwrap();
    let error = checks[0].error.clone().unwrap_or_default();
    assert!(
        error.contains("port_not_allowed") && error.contains("does not connect to this port"),
        "{error}"
    );
    assert!(!checks[0].reachable);
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let cases: [(&[&str], &str); 5] = [
        (&["check"], "give a host to check"),
        (&["check", "localhost", "--port", "2525"], "--protocol"),
        (
            &["check", "localhost", "--ca", "/nonexistent/ca.pem"],
            "--ca /nonexistent/ca.pem",
        ),
        (
            &["check", "localhost", "--relay", "relay.example"],
            "--relay",
        ),
        (
            &["check", "localhost", "--login", "--port", "993"],
            "--login needs the user name",
        ),
    ];
    for (args, expected) in cases {
        let output = Command::new(PORTOLAN).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
