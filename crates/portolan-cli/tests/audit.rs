//! `portolan audit` end to end, inside a loopback-only network namespace: a real DoH server
//! serving a good domain and a domain with one of each flaw, their mail hosts pointing (with
//! `--connect-to`) at real dovecot and postfix (one well configured, one with an expired
//! certificate and logins before TLS) and at `openssl s_server` speaking only TLS 1.0, their
//! MTA-STS policies served over HTTPS on loopback. The JSON is asserted item by item.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use portolan_testkit::mail::{
    CertificateKind, HttpsFiles, LegacyTlsServer, MailOptions, MailServers,
};
use portolan_testkit::{DohOptions, DohServer};
use serde_json::Value;
use support::netns;

const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");

/// RFC 8463's example Ed25519 DKIM key.
const ED25519_KEY: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

fn openssl(arguments: &[&str], input: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut child = Command::new("openssl")
        .args(arguments)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("written");
    let output = child.wait_with_output().expect("openssl finished");
    assert!(output.status.success(), "openssl {arguments:?}");
    output.stdout
}

/// A fresh RSA public key of `bits`, base64 of its DER, as a DKIM record's `p=`.
fn rsa_public_key(bits: u32) -> String {
    let private = openssl(
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            &format!("rsa_keygen_bits:{bits}"),
        ],
        b"",
    );
    let public = openssl(&["pkey", "-pubout", "-outform", "DER"], &private);
    String::from_utf8(openssl(&["base64", "-A"], &public)).expect("base64 is text")
}

/// The SHA-256 of a PEM certificate's public key, as DANE's 3 1 1 record has it.
fn spki_sha256(certificate: &Path) -> String {
    let pem = std::fs::read(certificate).expect("certificate");
    let public = openssl(&["x509", "-pubkey", "-noout"], &pem);
    let der = openssl(&["pkey", "-pubin", "-outform", "DER"], &public);
    let digest = String::from_utf8(openssl(&["dgst", "-sha256", "-r"], &der)).expect("text");
    digest.split_whitespace().next().expect("digest").to_owned()
}

fn doh(records: &str) -> DohServer {
    let zone = format!(
        "$TTL 300\n.  IN SOA ns.test. admin.test. 1 3600 600 86400 300\n.  IN NS ns.test.\nns.test.  IN A 127.0.0.1\nhealth.test. IN A 127.0.0.1\n{records}"
    );
    DohServer::start(&DohOptions {
        zone,
        delay: None,
        signed_zones: vec!["good.audit.test.".into()],
        tls: false,
    })
    .unwrap_or_else(|error| panic!("the test DoH server: {error}"))
}

/// One CA file trusting every test CA.
fn ca_bundle(dir: &Path, files: &[&Path]) -> PathBuf {
    let mut bundle = String::new();
    for file in files {
        bundle.push_str(&std::fs::read_to_string(file).expect("CA file"));
    }
    let path = dir.join("cas.pem");
    std::fs::write(&path, bundle).expect("CA bundle");
    path
}

fn audit(args: &[String]) -> (Output, Value) {
    let output = Command::new(PORTOLAN)
        .arg("audit")
        .args(args)
        .output()
        .expect("portolan runs");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}):\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output, json)
}

/// The items as (id, status, subject).
fn items(report: &Value) -> Vec<(String, String, String)> {
    report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            for field in ["id", "status", "severity", "subject", "message", "fix"] {
                assert!(item[field].is_string(), "{field} in {item}");
            }
            (
                item["id"].as_str().unwrap().to_owned(),
                item["status"].as_str().unwrap().to_owned(),
                item["subject"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(items: &[(String, String, String)], id: &str, status: &str, subject: &str) -> bool {
    items
        .iter()
        .any(|(i, s, on)| i == id && s == status && on.contains(subject))
}

#[test]
fn a_good_domain_and_a_domain_with_one_of_each_flaw() {
    if !netns::enter("a_good_domain_and_a_domain_with_one_of_each_flaw") {
        return;
    }
    let good_names = vec![
        "mail.good.audit.test".to_owned(),
        "mx.good.audit.test".to_owned(),
    ];
    let good = MailServers::start_with(&MailOptions {
        extra_names: good_names.clone(),
        ..MailOptions::default()
    })
    .unwrap_or_else(|error| panic!("mail servers: {error}"));
    let flawed = MailServers::start_with(&MailOptions {
        certificate: CertificateKind::Expired,
        auth_before_tls: true,
        extra_names: vec!["mail.flawed.audit.test".into()],
        ..MailOptions::default()
    })
    .unwrap_or_else(|error| panic!("flawed mail servers: {error}"));
    let legacy = LegacyTlsServer::start().unwrap_or_else(|error| panic!("s_server: {error}"));
    let good_policy = HttpsFiles::start(&[(
        ".well-known/mta-sts.txt",
        "version: STSv1\r\nmode: enforce\r\nmx: mx.good.audit.test\r\nmax_age: 1209600\r\n",
    )])
    .unwrap_or_else(|error| panic!("policy server: {error}"));
    let flawed_policy = HttpsFiles::start(&[(
        ".well-known/mta-sts.txt",
        "version: STSv1\r\nmode: enforce\r\nmx: mx.elsewhere.test\r\nmax_age: 1209600\r\n",
    )])
    .unwrap_or_else(|error| panic!("policy server: {error}"));
    let dane = spki_sha256(&good.path().join("server.pem"));
    let weak_key = rsa_public_key(1024);
    let resolver = doh(&format!(
        r#"
good.audit.test.                    IN MX  10 mx.good.audit.test.
good.audit.test.                    IN TXT "v=spf1 mx include:_spf.good.audit.test -all"
_spf.good.audit.test.               IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.good.audit.test.             IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.audit.test"
ed._domainkey.good.audit.test.      IN TXT "v=DKIM1; k=ed25519; p={ED25519_KEY}"
_mta-sts.good.audit.test.           IN TXT "v=STSv1; id=20261201"
_smtp._tls.good.audit.test.         IN TXT "v=TLSRPTv1; rua=mailto:tls@good.audit.test"
_25._tcp.mx.good.audit.test.        IN TLSA 3 1 1 {dane}
_imaps._tcp.good.audit.test.        IN SRV 0 1 993 mail.good.audit.test.
_submissions._tcp.good.audit.test.  IN SRV 0 1 465 mail.good.audit.test.
_submission._tcp.good.audit.test.   IN SRV 10 1 587 mail.good.audit.test.
_imap._tcp.good.audit.test.         IN SRV 0 0 0 .
_pop3s._tcp.good.audit.test.        IN SRV 0 0 0 .
_pop3._tcp.good.audit.test.         IN SRV 0 0 0 .

flawed.audit.test.                  IN MX  10 mx.flawed.audit.test.
flawed.audit.test.                  IN TXT "v=spf1 +all"
weak._domainkey.flawed.audit.test.  IN TXT "v=DKIM1; k=rsa; t=y; p={weak_key}"
_mta-sts.flawed.audit.test.         IN TXT "v=STSv1; id=1"
_25._tcp.mx.flawed.audit.test.      IN TLSA 3 1 1 0000000000000000000000000000000000000000000000000000000000000000
default._bimi.flawed.audit.test.    IN TXT "v=BIMI1; l=http://flawed.audit.test/logo.svg"
"#
    ));
    let dir = tempfile::tempdir().expect("temp dir");
    let dir = dir.path();
    let cas = ca_bundle(
        dir,
        &[
            &good.ca_file,
            &flawed.ca_file,
            &legacy.ca_file,
            &good_policy.ca_file,
            &flawed_policy.ca_file,
        ],
    );
    let connect = |host: &str, port: u16, to: u16| {
        vec![
            "--connect-to".to_owned(),
            format!("{host}:{port}:127.0.0.1:{to}"),
        ]
    };
    let common = |domain: &str, policy: &HttpsFiles| {
        let mut args = vec![
            domain.to_owned(),
            "--json".into(),
            "--doh".into(),
            resolver.url.clone(),
            "--ca".into(),
            cas.display().to_string(),
            "--probe-timeout-ms".into(),
            "4000".into(),
            "--mta-sts-url".into(),
            policy.url(".well-known/mta-sts.txt"),
            "--autoconfig-url".into(),
            "http://127.0.0.1:9/mail/config-v1.1.xml".into(),
        ];
        args.extend(["--ports".into(), "all".into()]);
        args
    };

    // The good domain: nothing fails.
    let mut args = common("good.audit.test", &good_policy);
    args.extend(["--dkim-selector".into(), "ed".into()]);
    args.extend(connect(
        "mail.good.audit.test",
        993,
        good.imaps.expect("imaps"),
    ));
    args.extend(connect("mail.good.audit.test", 465, good.submissions));
    args.extend(connect("mail.good.audit.test", 587, good.submission));
    args.extend(connect("mx.good.audit.test", 25, good.smtp));
    let (output, report) = audit(&args);
    let found = items(&report);
    assert_eq!(output.status.code(), Some(0), "nothing fails: {found:#?}");
    for (id, subject) in [
        ("mx-published", "good.audit.test"),
        ("spf-ok", "good.audit.test"),
        ("dmarc-ok", "_dmarc.good.audit.test"),
        ("dkim-ok", "ed._domainkey.good.audit.test"),
        ("mta-sts-ok", "mta-sts.txt"),
        ("tls-rpt-ok", "_smtp._tls.good.audit.test"),
        ("srv-published", "good.audit.test"),
        ("recommended-incoming", "good.audit.test"),
        ("recommended-outgoing", "good.audit.test"),
    ] {
        assert!(
            has(&found, id, "pass", subject),
            "{id} passes for {subject}: {found:#?}"
        );
    }
    assert!(
        has(
            &found,
            "dane-matches",
            "info",
            "_25._tcp.mx.good.audit.test"
        ),
        "{found:#?}"
    );
    assert_eq!(
        report["records"]["spf_lookups"], 2,
        "the include's lookups are counted"
    );
    assert!(
        matches!(report["grade"].as_str(), Some("A" | "B")),
        "{}",
        report["grade"]
    );
    let open: Vec<String> = report["ports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|port| port["open"] == true)
        .map(|port| format!("{}:{}", port["host"].as_str().unwrap(), port["port"]))
        .collect();
    assert_eq!(
        open,
        [
            "mail.good.audit.test:465",
            "mail.good.audit.test:587",
            "mail.good.audit.test:993",
            "mx.good.audit.test:25"
        ]
    );
    let publish: Vec<&str> = report["publish"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        publish,
        ["dns-zone", "autoconfig", "autoconfig-1.2", "pacc"],
        "working records are not offered again"
    );
    let zone = report["publish"][0]["content"].as_str().unwrap();
    assert!(zone.contains("_imaps._tcp.good.audit.test."), "{zone}");
    // The same audit for people.
    let text_args: Vec<String> = args
        .iter()
        .filter(|arg| *arg != "--json")
        .cloned()
        .collect();
    let output = Command::new(PORTOLAN)
        .arg("audit")
        .args(&text_args)
        .output()
        .expect("portolan runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.starts_with("Audit of good.audit.test: grade "),
        "{text}"
    );
    assert!(text.contains("PASS spf-ok [good.audit.test]"), "{text}");
    assert!(text.contains("  mx.good.audit.test:25 SMTP"), "{text}");
    assert!(
        text.contains("=== good.audit.test.zone (dns-zone) ==="),
        "{text}"
    );

    // The flawed domain: one of each flaw, each found.
    let mut args = common("flawed.audit.test", &flawed_policy);
    args.extend(["--dkim-selector".into(), "weak".into()]);
    let imaps = flawed.imaps.expect("imaps");
    args.extend(connect("mail.flawed.audit.test", 993, imaps));
    args.extend(connect("mail.flawed.audit.test", 143, flawed.imap));
    args.extend(connect(
        "mail.flawed.audit.test",
        995,
        flawed.pop3s.expect("pop3s"),
    ));
    args.extend(connect("imap.flawed.audit.test", 993, legacy.port));
    let (output, report) = audit(&args);
    let found = items(&report);
    assert_eq!(output.status.code(), Some(1), "items fail: {found:#?}");
    for (id, status, subject) in [
        ("spf-plus-all", "fail", "flawed.audit.test"),
        ("dmarc-missing", "fail", "_dmarc.flawed.audit.test"),
        ("dkim-rsa-1024", "warn", "weak._domainkey.flawed.audit.test"),
        ("dkim-testing", "warn", "weak._domainkey.flawed.audit.test"),
        ("mta-sts-mx-not-covered", "fail", "mta-sts.txt"),
        ("tls-rpt-missing", "warn", "_smtp._tls.flawed.audit.test"),
        (
            "dane-not-validated",
            "warn",
            "_25._tcp.mx.flawed.audit.test",
        ),
        ("bimi-invalid", "warn", "default._bimi.flawed.audit.test"),
        ("srv-missing", "warn", "flawed.audit.test"),
        ("certificate-expired", "fail", "mail.flawed.audit.test:993"),
        ("auth-before-tls", "warn", "mail.flawed.audit.test:143"),
        ("legacy-tls-accepted", "warn", "imap.flawed.audit.test:993"),
        ("tls-handshake-failed", "fail", "imap.flawed.audit.test:993"),
        ("pop3-running", "warn", "mail.flawed.audit.test"),
    ] {
        assert!(
            has(&found, id, status, subject),
            "{id} is {status} for {subject}: {found:#?}"
        );
    }
    assert_eq!(report["grade"], "F", "{}", report["score"]);
    let statuses: Vec<&str> = found.iter().map(|(_, status, _)| status.as_str()).collect();
    let mut sorted = statuses.clone();
    sorted.sort_by_key(|status| {
        ["fail", "warn", "info", "pass"]
            .iter()
            .position(|s| s == status)
    });
    assert_eq!(statuses, sorted, "ordered by impact");
    let files = report["publish"].as_array().unwrap();
    let policy = files
        .iter()
        .find(|f| f["name"] == "mta-sts-policy")
        .expect("a corrected policy")["content"]
        .as_str()
        .unwrap();
    assert!(policy.contains("mx: mx.flawed.audit.test"), "{policy}");
    let zone = files.last().unwrap()["content"].as_str().unwrap();
    assert!(
        zone.contains("_dmarc.flawed.audit.test. 3600 IN TXT \"v=DMARC1; p=none"),
        "{zone}"
    );
}

#[test]
fn bad_input_is_refused_before_anything_connects() {
    for (args, expected) in [
        (vec!["not a domain"], "space"),
        (vec!["example.com", "--ports", "some"], "invalid value"),
        (
            vec!["example.com", "--dkim-selector", "a b"],
            "not a DKIM selector",
        ),
        (vec!["example.com", "--doh", "dns.example"], "full URL"),
        (vec!["example.com", "--relay", "ftp://relay"], "--relay"),
        (vec!["example.com", "--ca", "/nonexistent/ca.pem"], "--ca"),
        (
            // Everything it would fetch stays on loopback (and is refused there).
            vec![
                "example.com",
                "--doh",
                "http://127.0.0.1:9/dns-query",
                "--timeout-ms",
                "500",
                "--autoconfig-url",
                "http://127.0.0.1:9/mail/config-v1.1.xml",
                "--mta-sts-url",
                "https://127.0.0.1:9/.well-known/mta-sts.txt",
            ],
            "no DNS answer",
        ),
    ] {
        let output = Command::new(PORTOLAN)
            .arg("audit")
            .args(&args)
            .output()
            .expect("portolan runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
