//! The `portolan generate`, `portolan lint` and `portolan clients` commands as a user runs
//! them: outputs, `--json`, and exit codes (0 fine, 1 lint errors, 2 bad input). Everything
//! here is offline or reads files, except one live discovery against a DoH server on loopback.

#[path = "support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use portolan_core::formats::{autoconfig, autodiscover};
use portolan_core::lint;

const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");

fn portolan(args: &[&str]) -> Output {
    Command::new(PORTOLAN).args(args).output().unwrap()
}

/// Runs the command and asserts it succeeded, showing its stderr if not.
fn succeeds(args: &[&str]) -> Output {
    let output = portolan(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts that `text` contains `needed`, showing the whole text if not.
#[track_caller]
fn assert_contains(text: &str, needed: &str) {
    assert!(text.contains(needed), "{text}");
}

fn corpus(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../portolan-core/tests/lint")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn offline_autoconfig_for_a_known_provider_is_clean() {
    let output = succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "autoconfig",
        "--offline",
    ]);
    let text = stdout(&output);
    let config = autoconfig::parse(&text).unwrap();
    assert_eq!(config.providers[0].id.as_deref(), Some("fastmail.com"));
    assert_eq!(config.providers[0].incoming[0].port(), Some(993));
    let report = lint::lint(&text).unwrap();
    assert!(!report.has_errors(), "{:?}", report.findings);
}

#[test]
fn autoconfig_1_2_carries_the_providers_oauth2_endpoints_and_lints_clean() {
    // Gmail accepts OAuth2: version 1.1 names the method and leaves the endpoints to
    // Thunderbird's own list; version 1.2 writes them from Portolan's knowledge.
    let base = [
        "generate",
        "jane@gmail.com",
        "--format",
        "autoconfig",
        "--offline",
    ];
    let old = autoconfig::parse(&stdout(&succeeds(&base))).unwrap();
    assert_eq!(old.version.as_deref(), Some("1.1"));
    assert_eq!(old.oauth2, None);
    let mut args = base.to_vec();
    args.extend(["--autoconfig-version", "1.2"]);
    let text = stdout(&succeeds(&args));
    let config = autoconfig::parse(&text).unwrap();
    assert_eq!(config.version.as_deref(), Some("1.2"));
    let endpoints = config.oauth2.clone().expect("an <oAuth2> element");
    let known = portolan_core::knowledge::by_domain("gmail.com")
        .and_then(|provider| provider.oauth2)
        .expect("the knowledge has Gmail's endpoints");
    assert_eq!(endpoints.token_url.as_deref(), Some(known.token_url));
    assert_eq!(endpoints.issuer.as_deref(), Some(known.issuer));
    assert!(config.providers[0].incoming[0]
        .auth_methods()
        .contains(&portolan_core::model::AuthMethod::Oauth2));
    let report = lint::lint(&text).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // A version Portolan cannot write is refused with the ones it can.
    let mut bad = base.to_vec();
    bad.extend(["--autoconfig-version", "2.0"]);
    let output = portolan(&bad);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "1.2");
}

#[test]
fn pacc_is_generated_with_its_record_and_lints_against_it() {
    let document = stdout(&succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "pacc",
        "--offline",
    ]));
    let record_line = stdout(&succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "pacc-txt",
        "--offline",
    ]));
    assert!(
        record_line
            .starts_with("_ua-auto-config.fastmail.com. 3600 IN TXT \"v=UAAC1; a=sha256; d="),
        "{record_line}"
    );
    let value = record_line
        .split('"')
        .nth(1)
        .expect("a quoted TXT value")
        .to_owned();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("user-agent-configuration.json");
    std::fs::write(&path, &document).unwrap();
    let path = path.display().to_string();
    let output = succeeds(&["lint", &path, "--pacc-record", &value, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["kind"], "pacc");
    assert_eq!(report["findings"], serde_json::json!([]), "{report}");
    // One byte changed after publishing: the record no longer vouches for it (exit 1).
    std::fs::write(&path, document.replacen("fastmail", "fastmai1", 1)).unwrap();
    let output = portolan(&["lint", &path, "--pacc-record", &value]);
    assert_eq!(output.status.code(), Some(1));
    assert_contains(&stdout(&output), "pacc-digest-mismatch");
    // A record is for PACC documents only (exit 2).
    let output = portolan(&[
        "lint",
        &corpus("good-autoconfig.xml"),
        "--pacc-record",
        &value,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "PACC document");
}

#[test]
fn every_format_generates_offline() {
    for format in [
        "autoconfig",
        "autodiscover",
        "mobileconfig",
        "dns-zone",
        "neomutt",
        "aerc",
        "msmtp",
        "mbsync",
        "fetchmail",
        "offlineimap",
    ] {
        let output = succeeds(&[
            "generate",
            "jane@fastmail.com",
            "--format",
            format,
            "--offline",
        ]);
        assert!(!stdout(&output).is_empty(), "{format}: empty output");
    }
    let output = succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "instructions",
        "--client",
        "ios-mail",
        "--offline",
    ]);
    assert!(stdout(&output).contains("Mail on iPhone and iPad"));
}

#[test]
fn client_limits_and_network_constraints_shape_the_output() {
    // Geary has no POP3: asking for POP3 still gives IMAP in its instructions.
    let output = succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "instructions",
        "--client",
        "geary",
        "--pop3",
        "--offline",
    ]);
    assert_contains(&stdout(&output), "Incoming: IMAP");
    // With 465 blocked the msmtp snippet uses STARTTLS on 587.
    let output = succeeds(&[
        "generate",
        "jane@fastmail.com",
        "--format",
        "msmtp",
        "--offline",
        "--blocked-port",
        "465",
        "--explain",
    ]);
    assert_contains(&stdout(&output), "port 587\ntls_starttls on\n");
    assert_contains(&stderr(&output), "Port 465 is blocked on this network.");
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["generate", "jane@", "--format", "msmtp", "--offline"],
            "after the @",
        ),
        (
            &[
                "generate",
                "jane@example.com",
                "--format",
                "msmtp",
                "--client",
                "netscape",
                "--offline",
            ],
            "unknown client \"netscape\"",
        ),
        (
            &[
                "generate",
                "jane@example.com",
                "--format",
                "instructions",
                "--offline",
            ],
            "needs --client",
        ),
        (
            &[
                "generate",
                "jane@example.com",
                "--format",
                "msmtp",
                "--settings",
                "/nonexistent/settings.json",
            ],
            "/nonexistent/settings.json",
        ),
        (
            &["generate", "example.com", "--format", "msmtp", "--offline"],
            "give an email address",
        ),
        (
            // A resolver that is not a URL is refused before anything is asked (even with
            // --offline, where it would have gone unused), not silently replaced.
            &[
                "generate",
                "jane@example.com",
                "--format",
                "msmtp",
                "--doh",
                "dns.example",
                "--offline",
            ],
            "--doh \"dns.example\": give the resolver's full URL",
        ),
    ];
    for (args, message) in cases {
        let output = portolan(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"incoming\": 3}").unwrap();
    let output = portolan(&[
        "generate",
        "jane@example.com",
        "--format",
        "msmtp",
        "--settings",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "not a settings file");
}

#[test]
fn oauth2_flags_switch_the_snippets_and_are_refused_elsewhere() {
    let base = ["generate", "jane@example.com", "--offline", "--format"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        [base, extra].concat()
    }
    // The placeholder token command, OAUTHBEARER by default.
    let text = stdout(&succeeds(&with(&base, &["msmtp", "--oauth2"])));
    assert_contains(&text, "auth oauthbearer\n");
    assert_contains(&text, "passwordeval \"oama access jane@example.com\"\n");
    assert_contains(&text, "# That command is a placeholder");
    // A given token command and mechanism.
    let text = stdout(&succeeds(&with(
        &base,
        &[
            "aerc",
            "--oauth2",
            "--token-command",
            "my-helper token jane",
            "--oauth2-mechanism",
            "xoauth2",
        ],
    )));
    assert_contains(&text, "+xoauth2://");
    assert_contains(&text, "source-cred-cmd = my-helper token jane\n");
    assert!(!text.contains("placeholder"), "{text}");
    // Without --oauth2 nothing changes.
    let text = stdout(&succeeds(&with(&base, &["msmtp"])));
    assert_contains(&text, "auth on\n");
    assert_contains(&text, "passwordeval \"pass show email/jane@example.com\"\n");
    // --oauth2 with a format that is not a snippet is an error (exit 2), and so are the
    // OAuth2 options without --oauth2 and a password command with it (clap's exit 2).
    let cases: [(Vec<&str>, &str); 4] = [
        (
            with(&base, &["autoconfig", "--oauth2"]),
            "--oauth2 is for the terminal snippets",
        ),
        (with(&base, &["msmtp", "--token-command", "x"]), "--oauth2"),
        (
            with(&base, &["msmtp", "--oauth2-mechanism", "xoauth2"]),
            "--oauth2",
        ),
        (
            with(&base, &["msmtp", "--oauth2", "--password-command", "x"]),
            "cannot be used with",
        ),
    ];
    for (args, message) in cases {
        let output = portolan(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_contains(&stderr(&output), message);
    }
}

#[test]
fn settings_file_with_only_plain_servers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.json");
    std::fs::write(
        &path,
        r#"{"address": "jane@example.com", "domain": "example.com",
            "incoming": [{"protocol": "imap", "host": "mail.example.com", "port": 143, "security": "plain", "username": "email-address", "source": "preset"}],
            "outgoing": [{"protocol": "submission", "host": "mail.example.com", "port": 25, "security": "plain", "username": "email-address", "source": "preset"}]}"#,
    )
    .unwrap();
    let output = portolan(&[
        "generate",
        "jane@example.com",
        "--format",
        "autoconfig",
        "--settings",
        path.to_str().unwrap(),
        "--explain",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), "plain-text servers are never written");
    assert_contains(&stderr(&output), "RFC 8314");
}

#[test]
fn lint_exit_codes_and_json() {
    let good = portolan(&["lint", &corpus("good-autoconfig.xml")]);
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
    assert!(stdout(&good).contains("no problems found"));

    let warn = portolan(&["lint", &corpus("warn-starttls-only-port-25.xml")]);
    assert_eq!(warn.status.code(), Some(0));
    assert!(stdout(&warn).contains("warning[port-25]"));

    let bad = portolan(&["lint", &corpus("bad-encryption-tls-implicit.xml"), "--json"]);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["kind"], "autodiscover");
    assert_eq!(json["errors"], true);
    assert_eq!(
        json["findings"][0]["code"],
        "encryption-tls-on-implicit-port"
    );
    assert_eq!(json["findings"][0]["severity"], "error");

    for args in [
        vec!["lint".to_string(), corpus("not-xml.xml")],
        vec!["lint".into(), "/nonexistent.xml".into()],
    ] {
        let output = Command::new(PORTOLAN).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn lint_checks_a_provider_preset_and_converts_its_servers() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("portolan.json");
    std::fs::write(
        &good,
        r#"{"version": 1, "provider": {"name": "Example Mail"}, "domains": ["example.com"],
            "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls"}],
                        "outgoing": [{"protocol": "smtp", "host": "smtp.example.com", "port": 465, "security": "tls"}]},
            "embed": {"parent-origin": "https://help.example.com"}}"#,
    )
    .unwrap();
    let output = portolan(&["lint", good.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_contains(&stdout(&output), "Portolan preset file, no problems found");
    // The preset's servers, as an autoconfig file for the same domain.
    let converted = stdout(&succeeds(&[
        "lint",
        good.to_str().unwrap(),
        "--convert",
        "autoconfig",
    ]));
    assert_contains(&converted, "<hostname>imap.example.com</hostname>");
    assert_contains(&converted, "<domain>example.com</domain>");

    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, r##"{"version": 1, "theme": {"accent": "#12345"}}"##).unwrap();
    let output = portolan(&["lint", bad.to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["kind"], "preset");
    assert_eq!(json["findings"][0]["code"], "preset-invalid");
    assert!(json["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("theme.accent"));
}

#[test]
fn lint_converts_between_formats() {
    let output = succeeds(&[
        "lint",
        &corpus("bad-plain-server.xml"),
        "--convert",
        "autodiscover",
        "--address",
        "jane@example.com",
    ]);
    assert!(stderr(&output).contains("Dropped the unencrypted POP3 server"));
    assert!(matches!(
        autodiscover::parse(&stdout(&output)).unwrap(),
        autodiscover::AutodiscoverResponse::Account(_)
    ));
    let output = succeeds(&[
        "lint",
        &corpus("good-autodiscover.xml"),
        "--convert",
        "autoconfig",
    ]);
    assert_eq!(
        autoconfig::parse(&stdout(&output)).unwrap().providers[0]
            .id
            .as_deref(),
        Some("example.com")
    );
}

#[test]
fn clients_lists_the_catalogue() {
    let output = succeeds(&["clients"]);
    let text = stdout(&output);
    for heading in [
        "Desktop:",
        "Phone and tablet:",
        "Webmail apps:",
        "Terminal:",
    ] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    let output = portolan(&["clients", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 20, "{ids:?}");
    assert!(ids.contains(&"thunderbird-android") && ids.contains(&"fetchmail"));
}

/// Live discovery feeds the generator: inside a loopback-only network namespace, against a
/// real DoH server (dnsdist + unbound), the SRV targets end up in the autoconfig file, and
/// the third-party submission target is flagged for confirmation (RFC 7817).
#[test]
fn live_discovery_through_a_real_doh_server_feeds_generate() {
    if !support::netns::enter("live_discovery_through_a_real_doh_server_feeds_generate") {
        return;
    }
    let doh = support::doh_server::start();
    let output = succeeds(&[
        "generate",
        "jane@sorted.test",
        "--format",
        "autoconfig",
        "--doh",
        &doh.url,
        "--no-fetch",
        "--explain",
    ]);
    let config = autoconfig::parse(&stdout(&output)).unwrap();
    let provider = &config.providers[0];
    assert_eq!(provider.id.as_deref(), Some("sorted.test"));
    let first = provider.incoming[0].hostname.as_deref().unwrap();
    assert!(
        first == "heavy.sorted.test" || first == "light.sorted.test",
        "{first}"
    );
    assert_eq!(
        provider.outgoing[0].hostname.as_deref(),
        Some("smtp.hoster.example")
    );
    assert_contains(&stderr(&output), "outside your domain");
}

#[test]
fn a_reader_that_goes_away_is_not_a_crash() {
    // `portolan ... | head`: the reading end is closed before the command writes, so every
    // write fails with a broken pipe. That must end quietly, never in a panic (exit 101).
    for args in [
        &["discover", "--offline", "alice@gmail.com"][..],
        &["discover", "--offline", "--json", "alice@gmail.com"],
        &[
            "generate",
            "--offline",
            "--format",
            "autoconfig",
            "alice@gmail.com",
        ],
        &["clients"],
    ] {
        let mut child = Command::new(PORTOLAN)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start portolan");
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait for portolan");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
