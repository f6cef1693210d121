//! Byte-transcript tests of the probes: the server's side is played byte by byte (and, for
//! TLS, by an in-memory rustls server with the test certificates in `fixtures/`), and each
//! test says what the probe must send and what it must conclude. No sockets and no clock, so
//! the same tests run natively and on wasm32 in headless Chromium.

use std::sync::Arc;

use portolan_core::model::{
    CheckGrade, FindingId, InjectionVerdict, LoginOutcome, Protocol, Security,
};
use portolan_probe::hello::{LegacyVersion, ScanQuestion, WeakCiphers};
use portolan_probe::{
    assemble, plan, CheckRequest, Credentials, Event, Failure, Probe, ProbeConfig, ProbeOutcome,
    ScanAnswer, Step, Task, TrustAnchors,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// 2027-01-01T00:00:00Z: inside the test certificates' validity.
const NOW_UNIX: u64 = 1_798_761_600;
/// 2040-01-01T00:00:00Z: after it.
const LATER_UNIX: u64 = 2_208_988_800;
const TIMEOUT_MS: u64 = 5_000;

fn anchors() -> TrustAnchors {
    let ca = TrustAnchors::pem_certificates(include_bytes!("fixtures/ca.pem")).unwrap();
    TrustAnchors::new(&ca).unwrap()
}

fn request(protocol: Protocol, security: Security) -> CheckRequest {
    CheckRequest {
        host: "mail.example.test".into(),
        port: 143,
        protocol,
        security,
        email_domain: Some("example.test".into()),
        anchors: anchors(),
        unix_seconds: NOW_UNIX,
        step_timeout_ms: TIMEOUT_MS,
        credentials: None,
        scans: false,
    }
}

fn config(request: &CheckRequest, task: Task) -> ProbeConfig {
    let mut config = plan(request).remove(0);
    config.task = task;
    config
}

#[derive(Debug)]
struct FixedTime;

impl rustls::time_provider::TimeProvider for FixedTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(UnixTime::since_unix_epoch(std::time::Duration::from_secs(
            NOW_UNIX,
        )))
    }
}

fn tls_server() -> rustls::ServerConnection {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(include_bytes!("fixtures/server.pem"))
            .collect::<Result<_, _>>()
            .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("fixtures/server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_details(
        Arc::new(rustls::crypto::ring::default_provider()),
        Arc::new(FixedTime),
    )
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    rustls::ServerConnection::new(Arc::new(config)).unwrap()
}

/// Plays the server's side of one probe.
struct Transcript {
    probe: Probe,
    now: u64,
    server_tls: Option<rustls::ServerConnection>,
    steps: Vec<Step>,
}

impl Transcript {
    fn connected(config: ProbeConfig) -> Transcript {
        let mut transcript = Transcript {
            probe: Probe::new(config, 1_000),
            now: 1_000,
            server_tls: None,
            steps: Vec::new(),
        };
        transcript.now += 3;
        transcript.probe.handle_connected(transcript.now);
        transcript.drain_events();
        transcript
    }

    fn drain_events(&mut self) {
        while let Some(event) = self.probe.poll_event() {
            if let Event::Step(step) = event {
                self.steps.push(step);
            }
        }
    }

    /// Raw bytes the probe sent since the last call.
    fn client_wire(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(bytes) = self.probe.poll_transmit() {
            out.extend_from_slice(&bytes);
        }
        out
    }

    /// What the probe said since the last call, decrypted when TLS is up.
    fn client_said(&mut self) -> String {
        let wire = self.client_wire();
        let plain = match self.server_tls.as_mut() {
            None => wire,
            Some(server) => {
                let mut slice = &wire[..];
                while !slice.is_empty() {
                    server.read_tls(&mut slice).unwrap();
                    server.process_new_packets().unwrap();
                }
                let mut plain = Vec::new();
                let _ = std::io::Read::read_to_end(&mut server.reader(), &mut plain);
                plain
            }
        };
        String::from_utf8_lossy(&plain).into_owned()
    }

    /// The server sends `text` (encrypted once TLS is up).
    fn server_says(&mut self, text: &[u8]) {
        self.now += 10;
        let wire = match self.server_tls.as_mut() {
            None => text.to_vec(),
            Some(server) => {
                std::io::Write::write_all(&mut server.writer(), text).unwrap();
                let mut out = Vec::new();
                while server.wants_write() {
                    server.write_tls(&mut out).unwrap();
                }
                out
            }
        };
        self.probe.handle_input(self.now, &wire);
        self.drain_events();
    }

    /// The server takes the probe's ClientHello and completes the handshake.
    fn server_completes_tls(&mut self) {
        let mut server = tls_server();
        while server.is_handshaking() {
            let wire = self.client_wire();
            assert!(
                !wire.is_empty() || !server.wants_read(),
                "the probe went quiet"
            );
            let mut slice = &wire[..];
            while !slice.is_empty() {
                server.read_tls(&mut slice).unwrap();
                server.process_new_packets().unwrap();
            }
            let mut out = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut out).unwrap();
            }
            self.now += 10;
            if !out.is_empty() {
                self.probe.handle_input(self.now, &out);
            }
        }
        self.server_tls = Some(server);
        self.drain_events();
    }

    fn advance(&mut self, ms: u64) {
        self.now += ms;
        self.probe.handle_timeout(self.now);
        self.drain_events();
    }

    fn outcome(&self) -> ProbeOutcome {
        assert!(self.probe.is_finished(), "the probe is not finished");
        self.probe.outcome().clone()
    }
}

macro_rules! transcript_test {
    ($(#[$meta:meta])* fn $name:ident() $body:block) => {
        $(#[$meta])*
        #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(target_arch = "wasm32"), test)]
        fn $name() $body
    };
}

transcript_test! {
    /// Dovecot's usual conversation on 143: capabilities in the greeting, STARTTLS, TLS 1.3,
    /// capabilities again, a PLAIN login with SASL-IR, logout.
    fn imap_starttls_check_with_login() {
        let mut request = request(Protocol::Imap, Security::Starttls);
        request.credentials = Some(Credentials::new("alice@example.test", "secret"));
        let mut t = Transcript::connected(config(&request, Task::Check));
        assert_eq!(t.client_said(), "", "the server speaks first");
        t.server_says(b"* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot ready.\r\n");
        assert_eq!(t.client_said(), "p1 STARTTLS\r\n", "no CAPABILITY: the greeting had them");
        t.server_says(b"p1 OK Begin TLS negotiation now.\r\n");
        t.server_completes_tls();
        assert_eq!(t.client_said(), "p2 CAPABILITY\r\n");
        t.server_says(b"* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=LOGIN\r\np2 OK done\r\n");
        assert_eq!(
            t.client_said(),
            "p3 AUTHENTICATE PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ=\r\n"
        );
        t.server_says(b"p3 OK [CAPABILITY IMAP4rev1] Logged in\r\n");
        assert_eq!(t.client_said(), "p4 LOGOUT\r\n");
        let outcome = t.outcome();
        assert_eq!(outcome.failure, None);
        assert_eq!(outcome.banner.as_deref(), Some("* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot ready."));
        assert!(outcome.greeting_had_capabilities);
        assert_eq!(outcome.after_tls, vec!["IMAP4rev1", "SASL-IR", "AUTH=PLAIN", "AUTH=LOGIN"]);
        let tls = outcome.tls.as_ref().unwrap();
        assert_eq!(tls.version, "TLSv1.3");
        assert_eq!(tls.chain_error, None);
        assert!(tls.name_matches);
        assert_eq!(tls.domain_matches, Some(false), "the certificate does not name example.test");
        let login = outcome.login.as_ref().unwrap();
        assert_eq!(login.outcome, LoginOutcome::Succeeded);
        assert_eq!(login.mechanism.as_deref(), Some("PLAIN"));
        assert_eq!(
            t.steps,
            vec![Step::Connecting, Step::Greeting, Step::Starttls, Step::TlsHandshake, Step::CapabilitiesAfterTls, Step::Login]
        );
        // STARTTLS, two handshake flights (TLS 1.3: the client's Finished rides with CAPABILITY),
        // CAPABILITY, login.
        assert_eq!(outcome.round_trips, 4);

        let check = assemble(&request, &[outcome], 40);
        assert_eq!(check.grade, CheckGrade::A, "{:#?}", check.findings);
        let certificate = check.tls.unwrap().certificate.unwrap();
        assert_eq!(certificate.subject, "CN=mail.example.test");
        assert_eq!(certificate.issuer, "CN=Portolan Transcript CA");
        assert_eq!(certificate.sans, vec!["mail.example.test", "localhost", "127.0.0.1"]);
        assert!(certificate.chain_valid && certificate.name_matches && !certificate.self_signed);
        assert_eq!(certificate.key, "ECDSA P-256");
        assert!(check.findings.iter().any(|f| f.id == FindingId::CertificateNotForDomain));
        assert!(check.findings.iter().any(|f| f.id == FindingId::LoginSucceeded));
    }
}

transcript_test! {
    /// SMTP over implicit TLS (465): the greeting comes inside TLS; EHLO; no login asked.
    fn smtp_implicit_tls_check() {
        let request = request(Protocol::Submission, Security::Tls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_completes_tls();
        assert_eq!(t.client_said(), "");
        t.server_says(b"220 mail.example.test ESMTP Postfix\r\n");
        assert_eq!(t.client_said(), "EHLO portolan.invalid\r\n");
        t.server_says(b"250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 CHUNKING\r\n");
        assert_eq!(t.client_said(), "QUIT\r\n");
        let outcome = t.outcome();
        assert_eq!(outcome.failure, None);
        assert!(outcome.before_tls.is_empty());
        assert_eq!(outcome.after_tls, vec!["PIPELINING", "SIZE 10240000", "AUTH PLAIN LOGIN", "CHUNKING"]);
        let check = assemble(&request, &[outcome], 30);
        assert_eq!(check.auth_mechanisms(), vec!["PLAIN", "LOGIN"]);
        assert_eq!(check.grade, CheckGrade::A, "{:#?}", check.findings);
    }
}

transcript_test! {
    /// POP3 with STLS; an old server that answers CAPA with -ERR after TLS still works.
    fn pop3_stls_and_missing_capa() {
        let request = request(Protocol::Pop3, Security::Starttls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n");
        assert_eq!(t.client_said(), "CAPA\r\n");
        t.server_says(b"+OK Capability list follows\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.\r\n");
        assert_eq!(t.client_said(), "STLS\r\n");
        t.server_says(b"+OK Begin TLS\r\n");
        t.server_completes_tls();
        assert_eq!(t.client_said(), "CAPA\r\n");
        t.server_says(b"-ERR unknown command\r\n");
        assert_eq!(t.client_said(), "QUIT\r\n");
        let outcome = t.outcome();
        assert_eq!(outcome.failure, None);
        assert_eq!(outcome.before_tls, vec!["USER", "STLS", "SASL PLAIN"]);
        assert!(outcome.after_tls.is_empty());
        let check = assemble(&request, &[outcome], 30);
        let ids: Vec<FindingId> = check.findings.iter().map(|f| f.id).collect();
        assert!(ids.contains(&FindingId::AuthBeforeTls), "{ids:?}");
        assert!(ids.contains(&FindingId::NoAuthMechanism), "{ids:?}");
        assert_eq!(check.grade, CheckGrade::C);
    }
}

transcript_test! {
    /// What must never happen: a password over a certificate that did not verify.
    fn an_expired_certificate_is_reported_and_no_password_is_sent() {
        let mut request = request(Protocol::Imap, Security::Tls);
        request.unix_seconds = LATER_UNIX;
        request.credentials = Some(Credentials::new("alice", "secret"));
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_completes_tls();
        t.server_says(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n");
        let said = t.client_said();
        assert_eq!(said, "p1 LOGOUT\r\n");
        assert!(!said.contains("AUTHENTICATE"));
        let outcome = t.outcome();
        let login = outcome.login.clone().unwrap();
        assert_eq!(login.outcome, LoginOutcome::Skipped);
        let check = assemble(&request, &[outcome], 30);
        let certificate = check.tls.as_ref().unwrap().certificate.as_ref().unwrap();
        assert!(!certificate.chain_valid);
        assert!(certificate.days_left < 0);
        assert_eq!(check.findings[0].id, FindingId::CertificateExpired);
        assert_eq!(check.grade, CheckGrade::F);
    }
}

transcript_test! {
    /// The name check: the certificate is for mail.example.test, not for imap.example.test.
    fn a_certificate_for_another_name() {
        let mut request = request(Protocol::Imap, Security::Tls);
        request.host = "imap.example.test".into();
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_completes_tls();
        t.server_says(b"* OK [CAPABILITY IMAP4rev2 AUTH=PLAIN] ready\r\n");
        let check = assemble(&request, &[t.outcome()], 30);
        let certificate = check.tls.as_ref().unwrap().certificate.as_ref().unwrap();
        assert!(certificate.chain_valid);
        assert!(!certificate.name_matches);
        let mismatch = check
            .findings
            .iter()
            .find(|f| f.id == FindingId::CertificateNameMismatch)
            .unwrap();
        assert!(mismatch.message.contains("mail.example.test"), "{}", mismatch.message);
        assert_eq!(check.grade, CheckGrade::F);
    }
}

transcript_test! {
    /// Gibberish instead of a greeting, in every protocol: a clean protocol error.
    fn gibberish_greetings_are_protocol_errors() {
        for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Submission] {
            let request = request(protocol, Security::Starttls);
            let mut t = Transcript::connected(config(&request, Task::Check));
            t.server_says(b"SSH-2.0-OpenSSH_9.2p1 Debian\r\n");
            let outcome = t.outcome();
            assert!(
                matches!(outcome.failure, Some(Failure::Protocol(Step::Greeting, _))),
                "{protocol:?}: {:?}",
                outcome.failure
            );
            let check = assemble(&request, &[outcome], 10);
            assert_eq!(check.findings[0].id, FindingId::ProtocolError);
            assert!(check.error.unwrap().contains("OpenSSH"));
        }
    }
}

transcript_test! {
    /// A server that sends an endless line gets a clean error, not an ever-growing buffer.
    fn an_endless_line_is_cut_off() {
        let request = request(Protocol::Submission, Security::Starttls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"220 ");
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..160 {
            if t.probe.is_finished() {
                break;
            }
            t.server_says(&chunk);
        }
        let outcome = t.outcome();
        assert_eq!(outcome.failure, Some(Failure::LineTooLong(Step::Greeting)));
    }
}

transcript_test! {
    /// Silence, a close after the greeting, and a refusal of STARTTLS.
    fn silence_close_and_refused_starttls() {
        let request = request(Protocol::Submission, Security::Starttls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        assert_eq!(t.probe.poll_timeout(), Some(1_003 + TIMEOUT_MS));
        t.advance(TIMEOUT_MS - 1);
        assert!(!t.probe.is_finished(), "not before the deadline");
        t.advance(1);
        assert_eq!(t.outcome().failure, Some(Failure::Timeout(Step::Greeting)));
        let check = assemble(&request, &[t.outcome()], TIMEOUT_MS);
        assert_eq!(check.findings[0].id, FindingId::NoGreeting);

        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"220 ready\r\n");
        assert_eq!(t.client_said(), "EHLO portolan.invalid\r\n");
        t.probe.handle_closed(t.now + 1);
        assert_eq!(t.outcome().failure, Some(Failure::Closed(Step::Capabilities)));
        assert_eq!(t.outcome().banner.as_deref(), Some("220 ready"), "partial results are kept");

        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"220 ready\r\n");
        t.client_said();
        t.server_says(b"250-ready\r\n250 STARTTLS\r\n");
        assert_eq!(t.client_said(), "STARTTLS\r\n");
        t.server_says(b"454 4.7.0 TLS not available due to local problem\r\n");
        let check = assemble(&request, &[t.outcome()], 20);
        assert_eq!(check.findings[0].id, FindingId::StarttlsFailed);
        assert!(check.findings[0].message.contains("454 4.7.0"));

        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"220 ready\r\n");
        t.client_said();
        t.server_says(b"250-ready\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
        assert_eq!(t.client_said(), "QUIT\r\n");
        let check = assemble(&request, &[t.outcome()], 20);
        let ids: Vec<FindingId> = check.findings.iter().map(|f| f.id).collect();
        assert_eq!(ids[0], FindingId::StarttlsMissing);
        assert!(ids.contains(&FindingId::AuthBeforeTls), "{ids:?}");
    }
}

transcript_test! {
    /// The injection test: commands sent after STARTTLS in the same packet must not be answered
    /// inside TLS.
    fn starttls_injection_is_detected() {
        let request = request(Protocol::Submission, Security::Starttls);
        for vulnerable in [true, false] {
            let mut t = Transcript::connected(config(&request, Task::Injection));
            t.server_says(b"220 ready\r\n");
            t.client_said();
            t.server_says(b"250-ready\r\n250 STARTTLS\r\n");
            assert_eq!(t.client_said(), "STARTTLS\r\nNOOP\r\n", "one write");
            t.server_says(b"220 Go ahead\r\n");
            t.server_completes_tls();
            if vulnerable {
                t.server_says(b"250 2.0.0 Ok\r\n");
            } else {
                t.advance(60_000);
            }
            let outcome = t.outcome();
            let expected = if vulnerable {
                InjectionVerdict::Vulnerable
            } else {
                InjectionVerdict::NotVulnerable
            };
            assert_eq!(outcome.injection, Some(expected));
        }
    }
}

transcript_test! {
    /// Scan questions: the hello goes out right after connecting on an implicit-TLS port, and
    /// the first record decides.
    fn scan_answers() {
        let request = request(Protocol::Imap, Security::Tls);
        let question = ScanQuestion::Version(LegacyVersion::Tls10);
        let mut t = Transcript::connected(config(&request, Task::Scan(question)));
        let hello = t.client_wire();
        assert_eq!((hello[0], hello[9], hello[10]), (22, 3, 1));
        t.server_says(&[21, 3, 1, 0, 2, 2, 70]);
        assert_eq!(t.outcome().scan, Some(ScanAnswer::Refused));

        let question = ScanQuestion::Ciphers(WeakCiphers::TripleDes);
        let mut t = Transcript::connected(config(&request, Task::Scan(question)));
        t.client_wire();
        let mut server_hello = vec![22, 3, 3, 0, 42, 2, 0, 0, 38, 3, 3];
        server_hello.extend_from_slice(&[5; 32]);
        server_hello.extend_from_slice(&[0, 0x00, 0x0a, 0]);
        t.server_says(&server_hello[..20]);
        assert!(!t.probe.is_finished(), "half a ServerHello");
        t.server_says(&server_hello[20..]);
        assert_eq!(
            t.outcome().scan,
            Some(ScanAnswer::Accepted("TLS_RSA_WITH_3DES_EDE_CBC_SHA".into()))
        );

        let mut t = Transcript::connected(config(&request, Task::Scan(question)));
        t.probe.handle_closed(t.now);
        assert_eq!(t.outcome().scan, Some(ScanAnswer::Refused), "a close is a refusal");
    }
}

transcript_test! {
    /// The plan: scans only with TLS, the injection test only with STARTTLS, credentials only
    /// for the check itself; and the assembled report lists scan answers in question order.
    fn the_plan_and_the_assembly() {
        let mut starttls = request(Protocol::Imap, Security::Starttls);
        starttls.scans = true;
        starttls.credentials = Some(Credentials::new("a", "b"));
        let tasks: Vec<Task> = plan(&starttls).iter().map(|p| p.task).collect();
        assert_eq!(tasks.len(), 10);
        assert_eq!(tasks[0], Task::Check);
        assert_eq!(tasks[9], Task::Injection);
        assert!(plan(&starttls)[1..].iter().all(|p| p.credentials.is_none()));
        let mut implicit = request(Protocol::Imap, Security::Tls);
        implicit.scans = true;
        assert_eq!(plan(&implicit).len(), 9);
        let mut plain = request(Protocol::Imap, Security::Plain);
        plain.scans = true;
        assert_eq!(plan(&plain).len(), 1);

        let answered = |task, scan| {
            let mut t = Transcript::connected(config(&implicit, task));
            t.probe.handle_closed(t.now);
            let mut outcome = t.outcome();
            outcome.scan = Some(scan);
            outcome
        };
        let outcomes = vec![
            answered(
                Task::Scan(ScanQuestion::Ciphers(WeakCiphers::CbcSha1)),
                ScanAnswer::Accepted("TLS_RSA_WITH_AES_128_CBC_SHA".into()),
            ),
            answered(
                Task::Scan(ScanQuestion::Version(LegacyVersion::Tls11)),
                ScanAnswer::Accepted("TLSv1.1".into()),
            ),
            answered(
                Task::Scan(ScanQuestion::Version(LegacyVersion::Tls10)),
                ScanAnswer::Accepted("TLSv1.0".into()),
            ),
        ];
        let check = assemble(&implicit, &outcomes, 50);
        assert_eq!(check.legacy_tls_accepted, vec!["TLSv1.0", "TLSv1.1"]);
        assert_eq!(check.weak_ciphers_accepted, vec!["TLS_RSA_WITH_AES_128_CBC_SHA"]);
        assert!(!check.reachable, "no check probe among the outcomes");
        assert_eq!(check.grade, CheckGrade::F, "a lost check is not graded as fine");
        assert_eq!(check.error.as_deref(), Some("the check did not finish"));
    }
}

transcript_test! {
    /// An answer to STARTTLS sent before STARTTLS was (someone in the path getting ahead of
    /// the client) is refused; and control characters from the server never reach a report.
    fn an_early_starttls_answer_and_escape_sequences() {
        let request = request(Protocol::Submission, Security::Starttls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_says(b"220 ready\r\n");
        t.client_said();
        t.server_says(b"250-ready\r\n250-X\x1b]0;owned\x07\r\n250 STARTTLS\r\n220 go ahead\r\n");
        let outcome = t.outcome();
        assert!(
            matches!(&outcome.failure, Some(Failure::Protocol(Step::Capabilities, why)) if why.contains("before STARTTLS")),
            "{:?}",
            outcome.failure
        );
        assert!(t.client_said().is_empty() || !t.client_said().contains("STARTTLS"));
        assert!(
            outcome.before_tls.iter().all(|item| !item.contains('\u{1b}') && !item.contains('\u{7}')),
            "{:?}",
            outcome.before_tls
        );
    }
}

transcript_test! {
    /// More than rustls's 16 KiB plaintext buffer arriving at once is read, not an error.
    fn a_large_answer_inside_tls_in_one_piece() {
        let request = request(Protocol::Imap, Security::Tls);
        let mut t = Transcript::connected(config(&request, Task::Check));
        t.server_completes_tls();
        t.server_says(b"* OK ready\r\n");
        assert_eq!(t.client_said(), "p1 CAPABILITY\r\n");
        let mut answer = Vec::new();
        for index in 0..200 {
            answer.extend_from_slice(format!("* {index} EXISTS {}\r\n", "x".repeat(240)).as_bytes());
        }
        answer.extend_from_slice(b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\np1 OK done\r\n");
        assert!(answer.len() > 16 * 1024);
        t.server_says(&answer);
        let outcome = t.outcome();
        assert_eq!(outcome.failure, None, "{:?}", outcome.failure);
        assert_eq!(outcome.after_tls, vec!["IMAP4rev1", "AUTH=PLAIN"]);
    }
}
