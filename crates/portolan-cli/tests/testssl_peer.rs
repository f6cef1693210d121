//! `portolan check` held against a real peer: testssl.sh scans the same dovecot and postfix
//! ports (well configured, expired, wrong name, self-signed), and every verdict both answer
//! must agree. testssl 3.0.8 cannot scan a server that speaks only TLS 1.0 (recipe
//! testssl.md), so for `LegacyTlsServer` the peer is `openssl s_client`, one connection per
//! version. The side-by-side table and the wall time of every run are printed and kept in
//! `CARGO_TARGET_TMPDIR/testssl_peer/` (run with `--nocapture` to see them).
//!
//! What each side can answer, honestly:
//! - SSLv3, TLS 1.0, TLS 1.1: Portolan asks each with a hand-built ClientHello
//!   (`legacy_tls_accepted`), unless a scan was inconclusive.
//! - TLS 1.3: rustls offers 1.3 and 1.2 and the server picks its best, so a negotiated
//!   `TLSv1.3` means offered and `TLSv1.2` means not offered.
//! - TLS 1.2: known only when it was negotiated. When 1.3 was, Portolan cannot tell whether
//!   1.2 is also offered; and `weak_ciphers_accepted` does not tell either, since a server may
//!   answer those TLS 1.2 hellos with an older version (the TLS 1.0-only server does).
//! - The certificate questions, only when a handshake completed and showed a certificate.
//! - openssl s_client here answers TLS 1.0 to 1.3 (this OpenSSL has no SSLv3 at all).

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use portolan_core::model::{FindingId, LiveCheck};
use portolan_testkit::mail::{CertificateKind, LegacyTlsServer, MailOptions, MailServers};
use serde_json::Value;

use support::netns;

const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");
const TEST: &str = "portolan_and_testssl_agree_on_versions_and_certificates";
/// testssl runs at once: the machines this runs on have two cores.
const PARALLEL_PEERS: usize = 3;
/// A testssl run takes 9-14 s alone; this only catches a hang.
const TESTSSL_DEADLINE: Duration = Duration::from_secs(240);
const OPENSSL_DEADLINE: Duration = Duration::from_secs(30);

/// One question both sides may answer about a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    Ssl3,
    Tls10,
    Tls11,
    Tls12,
    Tls13,
    ChainValid,
    Expired,
    NameMatches,
}

const QUESTIONS: [Question; 8] = [
    Question::Ssl3,
    Question::Tls10,
    Question::Tls11,
    Question::Tls12,
    Question::Tls13,
    Question::ChainValid,
    Question::Expired,
    Question::NameMatches,
];

impl Question {
    fn label(self) -> &'static str {
        match self {
            Question::Ssl3 => "SSLv3 offered",
            Question::Tls10 => "TLS 1.0 offered",
            Question::Tls11 => "TLS 1.1 offered",
            Question::Tls12 => "TLS 1.2 offered",
            Question::Tls13 => "TLS 1.3 offered",
            Question::ChainValid => "chain valid",
            Question::Expired => "expired",
            Question::NameMatches => "name matches",
        }
    }

    /// The id of testssl's JSON finding that answers this.
    fn testssl_id(self) -> &'static str {
        match self {
            Question::Ssl3 => "SSLv3",
            Question::Tls10 => "TLS1",
            Question::Tls11 => "TLS1_1",
            Question::Tls12 => "TLS1_2",
            Question::Tls13 => "TLS1_3",
            Question::ChainValid => "cert_chain_of_trust",
            Question::Expired => "cert_expirationStatus",
            Question::NameMatches => "cert_trust",
        }
    }

    /// The `openssl s_client` version flag that asks this, when there is one.
    fn openssl_flag(self) -> Option<&'static str> {
        match self {
            Question::Tls10 => Some("-tls1"),
            Question::Tls11 => Some("-tls1_1"),
            Question::Tls12 => Some("-tls1_2"),
            Question::Tls13 => Some("-tls1_3"),
            _ => None,
        }
    }

    fn is_version(self) -> bool {
        self.openssl_flag().is_some() || self == Question::Ssl3
    }

    /// A verdict in words, for the table.
    fn word(self, verdict: Option<bool>) -> &'static str {
        match (verdict, self.is_version()) {
            (None, _) => "-",
            (Some(true), true) => "offered",
            (Some(false), true) => "not offered",
            (Some(true), false) => "yes",
            (Some(false), false) => "no",
        }
    }
}

/// Who cross-checks a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    Testssl,
    OpensslClient,
}

impl Peer {
    fn name(self) -> &'static str {
        match self {
            Peer::Testssl => "testssl",
            Peer::OpensslClient => "openssl s_client",
        }
    }
}

/// One server port, as both sides are told to check it.
struct Target {
    name: &'static str,
    port: u16,
    ca: PathBuf,
    /// Portolan's `--protocol` and testssl's `--starttls` name.
    protocol: &'static str,
    starttls: bool,
    peer: Peer,
    /// Questions that must have been compared (so the test cannot pass by answering nothing).
    must_compare: &'static [Question],
}

/// A peer's answers and how long it took.
struct PeerRun {
    answers: Vec<(Question, Option<bool>)>,
    wall: Duration,
}

/// A Portolan check and how long the process took.
struct PortolanRun {
    check: LiveCheck,
    wall: Duration,
}

/// What must be compared on every server testssl scans: all but TLS 1.2 (see the module
/// comment).
const WELL_CONFIGURED: &[Question] = &[
    Question::Ssl3,
    Question::Tls10,
    Question::Tls11,
    Question::Tls13,
    Question::ChainValid,
    Question::Expired,
    Question::NameMatches,
];

#[test]
fn portolan_and_testssl_agree_on_versions_and_certificates() {
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("testssl_peer");
    let report = keep.join("report.txt");
    let _ = std::fs::remove_file(&report);
    let started = Instant::now();
    if !netns::enter(TEST) {
        // The body ran in a namespace child, whose output is shown only on failure.
        if let Ok(text) = std::fs::read_to_string(&report) {
            print!("{text}");
        }
        println!(
            "test total, in the namespace child: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        return;
    }
    std::fs::create_dir_all(&keep).expect("a directory for the report");
    assert!(
        portolan_testkit::find_program("testssl").is_some(),
        "testssl is missing: apt-get install -y --no-install-recommends testssl.sh"
    );

    // One after another: the testkit names its temp dirs by process id and clock, and two
    // started in the same instant from two threads can share (and remove) one dir.
    let mail = |certificate| {
        MailServers::start_with(&MailOptions {
            certificate,
            ..MailOptions::default()
        })
        .unwrap_or_else(|error| panic!("mail servers ({certificate:?}): {error}"))
    };
    let valid = mail(CertificateKind::Valid);
    let expired = mail(CertificateKind::Expired);
    let wrong_name = mail(CertificateKind::WrongName);
    let self_signed = mail(CertificateKind::SelfSigned);
    let legacy = LegacyTlsServer::start().unwrap_or_else(|error| panic!("s_server: {error}"));
    let imaps = |servers: &MailServers| servers.imaps.expect("implicit TLS for IMAP");
    // Name, port, servers, protocol, STARTTLS.
    let scanned = [
        ("dovecot IMAP TLS", imaps(&valid), &valid, "imap", false),
        ("dovecot IMAP STARTTLS", valid.imap, &valid, "imap", true),
        (
            "postfix submission STARTTLS",
            valid.submission,
            &valid,
            "smtp",
            true,
        ),
        (
            "postfix submissions TLS",
            valid.submissions,
            &valid,
            "smtp",
            false,
        ),
        ("dovecot expired", imaps(&expired), &expired, "imap", false),
        (
            "dovecot wrong name",
            imaps(&wrong_name),
            &wrong_name,
            "imap",
            false,
        ),
        (
            "dovecot self-signed",
            imaps(&self_signed),
            &self_signed,
            "imap",
            false,
        ),
    ];
    let mut targets: Vec<Target> = scanned
        .into_iter()
        .map(|(name, port, servers, protocol, starttls)| Target {
            name,
            port,
            ca: servers.ca_file.clone(),
            protocol,
            starttls,
            peer: Peer::Testssl,
            must_compare: WELL_CONFIGURED,
        })
        .collect();
    targets.push(Target {
        name: "s_server TLS 1.0 only",
        port: legacy.port,
        ca: legacy.ca_file.clone(),
        protocol: "imap",
        starttls: false,
        peer: Peer::OpensslClient,
        must_compare: &[Question::Tls10, Question::Tls11],
    });

    // Portolan first, one at a time, so its wall times are not shared with testssl's load.
    let portolan: Vec<PortolanRun> = targets.iter().map(run_portolan).collect();
    let work = tempfile::tempdir().expect("a temp dir for testssl's files");
    let peers = run_peers(&targets, work.path());

    let mut table = Table::default();
    let mut disagreements = Vec::new();
    let mut missing = Vec::new();
    for ((target, portolan), peer) in targets.iter().zip(&portolan).zip(&peers) {
        for (question, theirs) in &peer.answers {
            let ours = portolan_answer(&portolan.check, *question);
            let agree = match (ours, theirs) {
                (Some(ours), Some(theirs)) if ours == *theirs => "yes",
                (Some(_), Some(_)) => {
                    disagreements.push(format!("{} / {}", target.name, question.label()));
                    "NO"
                }
                _ => {
                    if target.must_compare.contains(question) {
                        missing.push(format!("{} / {}", target.name, question.label()));
                    }
                    "not compared"
                }
            };
            table.row([
                target.name,
                question.label(),
                question.word(ours),
                &format!("{} ({})", question.word(*theirs), target.peer.name()),
                agree,
            ]);
        }
    }
    let mut text = String::from("Portolan vs a real peer\n");
    text.push_str(&table.render(["server", "question", "Portolan", "peer", "agree?"]));

    let mut timings = Table::default();
    let mut kept = Vec::new();
    for ((target, portolan), peer) in targets.iter().zip(&portolan).zip(&peers) {
        let total = portolan.check.timings_ms.total;
        timings.row([
            target.name,
            &format!("{}", target.port),
            &format!("{} ms", portolan.wall.as_millis()),
            &total.map_or("-".to_owned(), |ms| format!("{ms} ms")),
            &format!("{} ms ({})", peer.wall.as_millis(), target.peer.name()),
        ]);
        kept.push(serde_json::json!({
            "server": target.name,
            "port": target.port,
            "portolan_wall_ms": portolan.wall.as_millis() as u64,
            "portolan_total_ms": total,
            "peer": target.peer.name(),
            "peer_wall_ms": peer.wall.as_millis() as u64,
        }));
    }
    let _ = writeln!(
        text,
        "\nWall times (Portolan one at a time; peers up to {PARALLEL_PEERS} at once)"
    );
    text.push_str(&timings.render([
        "server",
        "port",
        "portolan wall",
        "portolan timings_ms.total",
        "peer wall",
    ]));
    let _ = writeln!(
        text,
        "\nbody (servers started, all runs): {:.1} s",
        started.elapsed().as_secs_f64()
    );
    print!("{text}");
    std::fs::write(&report, &text).expect("write the report");
    std::fs::write(
        keep.join("timings.json"),
        serde_json::to_string_pretty(&kept).unwrap(),
    )
    .expect("write the timings");

    assert!(
        disagreements.is_empty(),
        "Portolan and the peer disagree on: {disagreements:#?}"
    );
    assert!(
        missing.is_empty(),
        "verdicts that should have been compared were not answered by one side: {missing:#?}"
    );
}

/// `portolan check localhost --json` for the target.
fn run_portolan(target: &Target) -> PortolanRun {
    let security = if target.starttls { "starttls" } else { "tls" };
    let started = Instant::now();
    let output = Command::new(PORTOLAN)
        .args(["check", "localhost", "--json", "--port"])
        .arg(target.port.to_string())
        .args([
            "--protocol",
            target.protocol,
            "--security",
            security,
            "--ca",
        ])
        .arg(&target.ca)
        .output()
        .expect("portolan runs");
    let wall = started.elapsed();
    let context = || {
        format!(
            "{}: {}\n{}",
            target.name,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "portolan could not do the job: {}",
        context()
    );
    let mut checks: Vec<LiveCheck> =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
            panic!("not JSON ({error}): {}", context());
        });
    assert_eq!(checks.len(), 1, "one server, one report: {}", context());
    let check = checks.remove(0);
    assert!(check.reachable, "{}", context());
    PortolanRun { check, wall }
}

/// What Portolan's report answers to `question`; `None` when it cannot tell (see the module
/// comment).
fn portolan_answer(check: &LiveCheck, question: Question) -> Option<bool> {
    let scans_complete = !check
        .findings
        .iter()
        .any(|finding| finding.id == FindingId::ScanIncomplete);
    let legacy =
        |name: &str| scans_complete.then(|| check.legacy_tls_accepted.iter().any(|v| v == name));
    let version = check.tls.as_ref().map(|tls| tls.version.as_str());
    let certificate = check.tls.as_ref().and_then(|tls| tls.certificate.as_ref());
    match question {
        Question::Ssl3 => legacy("SSLv3"),
        Question::Tls10 => legacy("TLSv1.0"),
        Question::Tls11 => legacy("TLSv1.1"),
        Question::Tls12 => (version == Some("TLSv1.2")).then_some(true),
        Question::Tls13 => version.map(|version| version == "TLSv1.3"),
        Question::ChainValid => certificate.map(|c| c.chain_valid),
        Question::Expired => certificate.map(|c| c.days_left < 0),
        Question::NameMatches => certificate.map(|c| c.name_matches),
    }
}

/// Runs every target's peer, at most [`PARALLEL_PEERS`] at once, in the targets' order.
fn run_peers(targets: &[Target], work: &Path) -> Vec<PeerRun> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<PeerRun>>> = Mutex::new(targets.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL_PEERS {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(target) = targets.get(index) else {
                    break;
                };
                let run = match target.peer {
                    Peer::Testssl => run_testssl(target, work, index),
                    Peer::OpensslClient => run_openssl(target),
                };
                results.lock().unwrap()[index] = Some(run);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|run| run.expect("every peer ran"))
        .collect()
}

/// `testssl --protocols --server-defaults` on the target, read from its JSON file.
fn run_testssl(target: &Target, work: &Path, index: usize) -> PeerRun {
    let json = work.join(format!("testssl-{index}.json"));
    let mut command = Command::new("testssl");
    command
        .args(["--quiet", "--color", "0", "--warnings", "batch"])
        // No DNS at all (no rDNS, no CAA lookup): only 127.0.0.1 is to be touched.
        .args(["--nodns", "none", "--add-ca"])
        .arg(&target.ca)
        .args(["--protocols", "--server-defaults", "--jsonfile-pretty"])
        .arg(&json)
        .args(["--ip", "127.0.0.1"]);
    if target.starttls {
        command.args(["--starttls", target.protocol]);
    }
    // The host name the certificate is for, so the name check means something; URI last.
    command.arg(format!("localhost:{}", target.port));
    let started = Instant::now();
    let output = run_with_deadline(&mut command, TESTSSL_DEADLINE, target.name);
    let wall = started.elapsed();
    let text = std::fs::read_to_string(&json).unwrap_or_else(|error| {
        panic!(
            "{}: no testssl JSON ({error}); exit {:?}\n{}\n{}",
            target.name,
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let report: Value = serde_json::from_str(&text).expect("testssl writes JSON");
    let findings = testssl_findings(&report);
    if let Some(fatal) = findings.iter().find(|f| f["severity"] == "FATAL") {
        panic!("{}: testssl could not scan: {fatal}", target.name);
    }
    let answers = QUESTIONS
        .iter()
        .map(|&question| {
            let id = question.testssl_id();
            let finding = findings
                .iter()
                .find(|f| f["id"] == id)
                .and_then(|f| f["finding"].as_str())
                .unwrap_or_else(|| panic!("{}: testssl reported no {id}: {text}", target.name));
            (question, Some(testssl_verdict(question, finding)))
        })
        .collect();
    PeerRun { answers, wall }
}

/// Every finding of every scanned target (`scanResult[].protocols` and `.serverDefaults`).
fn testssl_findings(report: &Value) -> Vec<&Value> {
    report["scanResult"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|result| ["protocols", "serverDefaults", "scanProblem"].map(|k| &result[k]))
        .filter_map(Value::as_array)
        .flatten()
        .collect()
}

/// testssl's words as a verdict; words this does not know fail the test rather than being
/// guessed at.
fn testssl_verdict(question: Question, finding: &str) -> bool {
    let known = match question {
        _ if question.is_version() => {
            if finding.starts_with("not offered") {
                Some(false)
            } else if finding.starts_with("offered") {
                Some(true)
            } else {
                None
            }
        }
        Question::ChainValid => {
            if finding.starts_with("passed") {
                Some(true)
            } else if finding.starts_with("failed") {
                Some(false)
            } else {
                None
            }
        }
        // "expired", or ">= 60 days" / "expires < 60 days (59)" and the like.
        Question::Expired => {
            if finding == "expired" {
                Some(true)
            } else if finding.starts_with(">=") || finding.starts_with("expires") {
                Some(false)
            } else {
                None
            }
        }
        // "Ok via SAN (same w/o SNI)" or "certificate does not match supplied URI ...".
        Question::NameMatches => {
            if finding.starts_with("Ok") {
                Some(true)
            } else if finding.contains("does not match") {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    };
    known.unwrap_or_else(|| panic!("testssl's {question:?} answer is unknown here: {finding:?}"))
}

/// `openssl s_client -tls1...` once per version it can ask; the verdict is whether a
/// handshake completed at that version.
fn run_openssl(target: &Target) -> PeerRun {
    let started = Instant::now();
    let answers = QUESTIONS
        .iter()
        .map(|&question| {
            let Some(flag) = question.openssl_flag() else {
                return (question, None);
            };
            let mut command = Command::new("openssl");
            command
                .arg("s_client")
                .arg("-connect")
                .arg(format!("127.0.0.1:{}", target.port))
                .args([
                    flag,
                    "-cipher",
                    "DEFAULT@SECLEVEL=0",
                    "-servername",
                    "localhost",
                ])
                .arg("-CAfile")
                .arg(&target.ca);
            let output = run_with_deadline(&mut command, OPENSSL_DEADLINE, target.name);
            let stdout = String::from_utf8_lossy(&output.stdout);
            // "New, TLSv1.0, Cipher is ECDHE-RSA-AES256-SHA" after a handshake; "New, (NONE),
            // Cipher is (NONE)" when none completed.
            let connected = output.status.success()
                && stdout.lines().any(|line| {
                    line.starts_with("New, TLSv") && !line.contains("Cipher is (NONE)")
                });
            let refused = stdout.contains("New, (NONE), Cipher is (NONE)");
            assert!(
                connected || refused,
                "{}: openssl s_client {flag} neither connected nor was refused:\n{stdout}\n{}",
                target.name,
                String::from_utf8_lossy(&output.stderr)
            );
            (question, Some(connected))
        })
        .collect();
    PeerRun {
        answers,
        wall: started.elapsed(),
    }
}

/// Runs `command` with no input; kills it (and its process group) after `deadline`.
fn run_with_deadline(command: &mut Command, deadline: Duration, what: &str) -> Output {
    use std::os::unix::process::CommandExt;
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|error| panic!("{what}: cannot start {command:?}: {error}"));
    let id = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let output = child.wait_with_output();
        let _ = done.send(());
        output
    });
    if wait.recv_timeout(deadline).is_err() {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{id}")])
            .status();
        let _ = waiter.join();
        panic!("{what}: {command:?} took longer than {deadline:?}");
    }
    waiter
        .join()
        .expect("the waiting thread")
        .unwrap_or_else(|error| panic!("{what}: {command:?}: {error}"))
}

/// A plain-text table with columns as wide as their widest cell.
#[derive(Default)]
struct Table {
    rows: Vec<[String; 5]>,
}

impl Table {
    fn row(&mut self, cells: [&str; 5]) {
        self.rows.push(cells.map(str::to_owned));
    }

    fn render(&self, header: [&str; 5]) -> String {
        let header = header.map(str::to_owned);
        let all = || std::iter::once(&header).chain(&self.rows);
        let widths: Vec<usize> = (0..5)
            .map(|column| {
                all()
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for (index, row) in all().enumerate() {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            let _ = writeln!(out, "{}", line.join(" | ").trim_end());
            if index == 0 {
                let rule: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
                let _ = writeln!(out, "{}", rule.join("-+-"));
            }
        }
        out
    }
}
