//! Real clients signing in with OAuth2: `portolan generate --oauth2 --token-command CMD`
//! writes each tool's snippet, and the tool signs in to the testkit's dovecot and postfix
//! set up for OAUTHBEARER and XOAUTH2 (`MailOptions::oauth2`: dovecot's `oauth2` passdb
//! checking JWTs locally, postfix through dovecot's SASL). The token command prints a token
//! the test signs with the servers' key; a token signed with another key must be refused,
//! so each test can fail both ways.
//!
//! Proven here: msmtp (OAUTHBEARER and XOAUTH2, implicit TLS and STARTTLS), mbsync
//! (XOAUTH2 through Cyrus SASL's plug-in, both TLS kinds), neomutt (OAUTHBEARER and XOAUTH2
//! sending, OAUTHBEARER reading the mailbox), offlineimap (XOAUTH2) and aerc (OAUTHBEARER and
//! XOAUTH2, IMAP). Debian's fetchmail 6.4 has no OAuth2: its test shows it refuses the
//! snippet, and turns into a login test once the installed fetchmail takes it.
//! Nothing here skips: a missing tool fails with the Debian package to install.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use portolan_testkit::mail::{tls_login, MailOptions, MailServers, OAuth2Key, USER};

mod support;

use support::tools::{
    assert_ok, deliver, imaps, message, require, run_aerc_until, run_tool, run_tool_or_stop,
    settings_file, tree_contains, write_private, PORTOLAN,
};

/// What dovecot logs when it refuses a token signed with another key.
const FORGED: &str = "Incorrect JWT signature";
/// What mbsync says when the server refuses the token (the mbsync snippet quotes it).
const REFUSED_BY_MBSYNC: &str = "IMAP wants more steps despite successful SASL authentication";

/// The test mail servers, taking OAuth2 tokens besides passwords.
fn start_servers() -> MailServers {
    MailServers::start_with(&MailOptions {
        oauth2: true,
        ..MailOptions::default()
    })
    .unwrap_or_else(|error| panic!("the test mail servers: {error}"))
}

/// The key the servers trust.
fn key(servers: &MailServers) -> &OAuth2Key {
    servers
        .oauth2
        .as_ref()
        .expect("the servers were started with OAuth2")
}

/// Writes a file holding a token for the test user: signed with the servers' key, or
/// forged (signed with a key of its own) when `forged`; returns its path.
fn token_file(servers: &MailServers, forged: bool) -> PathBuf {
    let token = if forged {
        OAuth2Key::generate().and_then(|other| other.token_for_test_user())
    } else {
        key(servers).token_for_test_user()
    }
    .unwrap_or_else(|error| panic!("a test token: {error}"));
    let name = if forged { "forged-token" } else { "token" };
    let path = servers.path().join(name);
    write_private(&path, &token);
    path
}

/// Runs `portolan generate --oauth2` for the test user with `cat TOKEN_FILE` as the token
/// command, and checks that the snippet neither holds the token nor runs a password command.
fn generate(servers: &MailServers, format: &str, token: &Path, extra: &[&str]) -> String {
    let settings = settings_file(servers);
    let output = Command::new(PORTOLAN)
        .args(["generate", USER, "--format", format, "--settings"])
        .arg(&settings)
        .arg("--oauth2")
        .arg("--token-command")
        .arg(format!("cat {}", token.display()))
        .arg("--ca-file")
        .arg(&servers.ca_file)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "portolan generate --format {format} --oauth2 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let written = fs::read_to_string(token).unwrap();
    assert!(!text.contains(&written), "the token leaked into {format}");
    assert!(!text.contains("pass show"), "{text}");
    assert!(text.contains("Sign-in is OAuth2"), "{text}");
    text
}

/// How long a log line may take to land after the client had its answer (dovecot and
/// postfix write their logs through a process of their own).
const LOG_WAIT: Duration = Duration::from_secs(5);

/// How many submissions postfix logged as signed in with `mechanism`, once that is
/// `expected` or [`LOG_WAIT`] has passed.
fn submissions_with(servers: &MailServers, mechanism: &str, expected: usize) -> usize {
    let line = format!("sasl_method={mechanism}, sasl_username={USER}");
    servers.postfix_log_shows(LOG_WAIT, |log| log.matches(&line).count() == expected);
    servers.postfix_log().matches(&line).count()
}

/// Whether dovecot's log shows `text`, waiting up to [`LOG_WAIT`] for it.
fn dovecot_shows(servers: &MailServers, text: &str) -> bool {
    servers.dovecot_log_shows(LOG_WAIT, |log| log.contains(text))
}

/// Whether dovecot's log shows the test user signing in to IMAP over TLS with `mechanism`,
/// waiting up to [`LOG_WAIT`] for it.
fn imap_login_with(servers: &MailServers, mechanism: &str) -> bool {
    servers.dovecot_log_shows(LOG_WAIT, |log| tls_login(log, "imap", mechanism))
}

/// Runs `command` with `input` on its standard input; its output.
fn run_with_input(mut command: Command, home: &Path, input: &str) -> Output {
    use std::io::Write;
    let mut child = command
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Sends a message with msmtp and the configuration `config`.
fn msmtp_send(home: &Path, name: &str, config: &str) -> Output {
    let rc = home.join(format!("msmtprc-{name}"));
    write_private(&rc, config);
    let mut command = Command::new("msmtp");
    command.arg("-C").arg(&rc).arg("bob@example.net");
    run_with_input(command, home, &message(&format!("msmtp-oauth2-{name}")))
}

#[test]
fn msmtp_sends_with_oauthbearer_and_xoauth2_and_a_forged_token_is_refused() {
    require("msmtp", "msmtp");
    let servers = start_servers();
    let home = servers.path().join("home-msmtp");
    fs::create_dir_all(&home).unwrap();
    let good = token_file(&servers, false);
    let blocked = servers.submissions.to_string();
    for (mechanism, extra) in [
        ("OAUTHBEARER", vec![]),
        ("XOAUTH2", vec!["--blocked-port", blocked.as_str()]),
    ] {
        let lower = mechanism.to_lowercase();
        let mut args = vec!["--oauth2-mechanism", lower.as_str()];
        args.extend(extra.iter().copied());
        let config = generate(&servers, "msmtp", &good, &args);
        assert!(config.contains(&format!("auth {lower}\n")), "{config}");
        let output = msmtp_send(&home, &lower, &config);
        assert_ok(&format!("msmtp ({mechanism})"), &output, &servers);
        assert_eq!(
            submissions_with(&servers, mechanism, 1),
            1,
            "postfix should log one submission signed in with {mechanism}:\n{}",
            servers.postfix_log()
        );
    }

    let forged = token_file(&servers, true);
    let config = generate(&servers, "msmtp", &forged, &[]);
    let output = msmtp_send(&home, "forged", &config);
    assert!(
        !output.status.success(),
        "msmtp sent with a forged token:\n{}",
        servers.postfix_log()
    );
    assert_eq!(submissions_with(&servers, "OAUTHBEARER", 1), 1);
    assert!(dovecot_shows(&servers, FORGED), "{}", servers.dovecot_log());
}

/// Fails with the Debian package to install when Cyrus SASL has no XOAUTH2 plug-in, which
/// mbsync needs for `AuthMechs XOAUTH2`.
fn require_sasl_xoauth2() {
    let found = fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| entry.path().join("sasl2/libkdexoauth2.so").exists());
    assert!(
        found,
        "Cyrus SASL's XOAUTH2 plug-in is missing: install the Debian package `libsasl2-modules-kdexoauth2`"
    );
}

#[test]
fn mbsync_syncs_with_xoauth2_over_both_tls_kinds_and_a_forged_token_is_refused() {
    require("mbsync", "isync");
    require_sasl_xoauth2();
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("mbsync-oauth2-message"));
    let good = token_file(&servers, false);
    let forged = token_file(&servers, true);
    let blocked = imaps(&servers).to_string();
    for (name, token, extra) in [
        ("implicit", &good, vec![]),
        ("starttls", &good, vec!["--blocked-port", blocked.as_str()]),
        ("forged", &forged, vec![]),
    ] {
        let home = servers.path().join(format!("home-mbsync-{name}"));
        let maildir = home.join("Mail");
        fs::create_dir_all(&maildir).unwrap();
        let maildir_arg = maildir.display().to_string();
        let mut args = vec!["--maildir", maildir_arg.as_str()];
        args.extend(extra.iter().copied());
        let config = generate(&servers, "mbsync", token, &args);
        assert!(config.contains("AuthMechs XOAUTH2\n"), "{config}");
        assert!(config.contains(REFUSED_BY_MBSYNC), "{config}");
        let rc = home.join("mbsyncrc");
        write_private(&rc, &config);
        let mut command = Command::new("mbsync");
        command.arg("-c").arg(&rc).arg("-a");
        let synced = || tree_contains(&maildir.join("INBOX"), "Subject: mbsync-oauth2-message");
        if name == "forged" {
            // Refused, dovecot answers with the error challenge RFC 7628 prescribes; mbsync
            // 1.4 with the plug-in reports it and then waits for the server to hang up
            // (dovecot: after 3 minutes), so it is stopped once it has said so.
            let (output, _) = run_tool_or_stop(command, &home, Duration::from_secs(15));
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!synced(), "mbsync synced with a forged token");
            assert!(stderr.contains(REFUSED_BY_MBSYNC), "{stderr}");
            assert!(dovecot_shows(&servers, FORGED), "{}", servers.dovecot_log());
        } else {
            let output = run_tool(command, &home, Duration::from_secs(30));
            assert_ok(&format!("mbsync ({name})"), &output, &servers);
            assert!(synced(), "mbsync ({name}) did not bring the message");
        }
    }
    let xoauth2_login = format!("Login: user=<{USER}>, method=XOAUTH2,");
    let two_logins = |log: &str| log.matches(&xoauth2_login).count() == 2;
    assert!(
        servers.dovecot_log_shows(LOG_WAIT, two_logins),
        "{}",
        servers.dovecot_log()
    );
}

/// neomutt's configuration for the test: the snippet, with caching off.
fn neomutt_rc(home: &Path, name: &str, config: &str) -> PathBuf {
    let rc = home.join(format!("neomuttrc-{name}"));
    write_private(
        &rc,
        &format!("{config}set header_cache = \"\"\nset message_cachedir = \"\"\n"),
    );
    rc
}

/// Sends a message in neomutt's batch mode (no terminal needed).
fn neomutt_send(home: &Path, rc: &Path, subject: &str) -> Output {
    let mut command = Command::new("neomutt");
    command
        .arg("-n")
        .arg("-F")
        .arg(rc)
        .args(["-s", subject, "--", "bob@example.net"]);
    run_with_input(command, home, "Hello from the Portolan tests.\n")
}

#[test]
fn neomutt_sends_with_both_mechanisms_reads_with_oauthbearer_and_refuses_a_forged_token() {
    require("neomutt", "neomutt");
    require("script", "bsdutils");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("neomutt-oauth2-message"));
    let home = servers.path().join("home-neomutt");
    fs::create_dir_all(&home).unwrap();
    let good = token_file(&servers, false);

    // Batch mode sends over implicit TLS, with the mechanism asked for tried first.
    for mechanism in ["OAUTHBEARER", "XOAUTH2"] {
        let lower = mechanism.to_lowercase();
        let config = generate(
            &servers,
            "neomutt",
            &good,
            &["--oauth2-mechanism", lower.as_str()],
        );
        assert!(
            config.contains(&format!("set smtp_authenticators = \"{lower}:")),
            "{config}"
        );
        let rc = neomutt_rc(&home, &lower, &config);
        let output = neomutt_send(&home, &rc, &format!("neomutt-{lower}"));
        assert_ok(&format!("neomutt send ({mechanism})"), &output, &servers);
        assert_eq!(
            submissions_with(&servers, mechanism, 1),
            1,
            "{}",
            servers.postfix_log()
        );
    }

    // Opening the mailbox needs a terminal: `script` gives one; neomutt signs in over IMAP
    // with OAUTHBEARER and quits.
    let rc = home.join("neomuttrc-oauthbearer");
    let mut command = Command::new("script");
    command
        .args(["-q", "-e", "-c"])
        .arg(format!("neomutt -n -F {} -e 'push <quit>'", rc.display()))
        .arg("/dev/null")
        .env("TERM", "xterm")
        .stdin(Stdio::null());
    let output = run_tool(command, &home, Duration::from_secs(30));
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains("neomutt-oauth2-message") && imap_login_with(&servers, "OAUTHBEARER"),
        "neomutt did not sign in over IMAP with OAUTHBEARER (exit {}):\n{screen}\ndovecot log:\n{}",
        output.status,
        servers.dovecot_log()
    );

    let forged = token_file(&servers, true);
    let config = generate(&servers, "neomutt", &forged, &[]);
    let rc = neomutt_rc(&home, "forged", &config);
    let output = neomutt_send(&home, &rc, "neomutt-forged");
    assert!(
        !output.status.success(),
        "neomutt sent with a forged token:\n{}",
        servers.postfix_log()
    );
    assert_eq!(submissions_with(&servers, "OAUTHBEARER", 1), 1);
    assert!(dovecot_shows(&servers, FORGED), "{}", servers.dovecot_log());
}

#[test]
fn offlineimap_syncs_with_xoauth2_and_a_forged_token_is_refused() {
    require("offlineimap", "offlineimap3");
    let servers = start_servers();
    deliver(
        &servers,
        "1.portolan",
        &message("offlineimap-oauth2-message"),
    );
    let good = token_file(&servers, false);
    let forged = token_file(&servers, true);
    for (name, token) in [("good", &good), ("forged", &forged)] {
        let home = servers.path().join(format!("home-offlineimap-{name}"));
        let maildir = home.join("Mail");
        fs::create_dir_all(&maildir).unwrap();
        let config = generate(
            &servers,
            "offlineimap",
            token,
            &["--maildir", &maildir.display().to_string()],
        );
        assert!(config.contains("auth_mechanisms = XOAUTH2\n"), "{config}");
        let rc = home.join("offlineimaprc");
        write_private(&rc, &config);
        let mut command = Command::new("offlineimap");
        command.arg("-c").arg(&rc).args(["-o", "-u", "basic"]);
        let output = run_tool(command, &home, Duration::from_secs(60));
        let synced = tree_contains(&maildir, "Subject: offlineimap-oauth2-message");
        if name == "forged" {
            assert!(
                !synced && !output.status.success(),
                "offlineimap synced with a forged token ({})",
                output.status
            );
            assert!(dovecot_shows(&servers, FORGED), "{}", servers.dovecot_log());
        } else {
            assert_ok("offlineimap", &output, &servers);
            assert!(
                synced && imap_login_with(&servers, "XOAUTH2"),
                "offlineimap did not sync with XOAUTH2:\n{}\ndovecot log:\n{}",
                String::from_utf8_lossy(&output.stdout),
                servers.dovecot_log()
            );
        }
    }
}

#[test]
fn aerc_signs_in_over_imap_with_both_mechanisms_and_a_forged_token_is_refused() {
    require("aerc", "aerc");
    require("script", "bsdutils");
    let servers = start_servers();
    let good = token_file(&servers, false);
    let forged = token_file(&servers, true);
    for (mechanism, token) in [
        ("OAUTHBEARER", &good),
        ("XOAUTH2", &good),
        ("forged", &forged),
    ] {
        let lower = match mechanism {
            "forged" => "oauthbearer".to_string(),
            other => other.to_lowercase(),
        };
        let home = servers.path().join(format!("home-aerc-{mechanism}"));
        let config_dir = home.join(".config/aerc");
        fs::create_dir_all(&config_dir).unwrap();
        let config = generate(&servers, "aerc", token, &["--oauth2-mechanism", &lower]);
        assert!(
            config.contains(&format!(
                "source = imaps+{lower}://alice%40example.test@localhost:{}\n",
                imaps(&servers)
            )),
            "{config}"
        );
        write_private(&config_dir.join("accounts.conf"), &config);
        if mechanism == "forged" {
            run_aerc_until(&servers, &home, Duration::from_secs(20), || {
                servers.dovecot_log().contains(FORGED)
            });
            let log = servers.dovecot_log();
            assert!(log.contains(FORGED), "{log}");
            assert_eq!(
                logins(&log),
                2,
                "aerc signed in with a forged token:\n{log}"
            );
        } else {
            run_aerc_until(&servers, &home, Duration::from_secs(20), || {
                tls_login(&servers.dovecot_log(), "imap", mechanism)
            });
            assert!(
                imap_login_with(&servers, mechanism),
                "aerc did not sign in with {mechanism}; dovecot log:\n{}",
                servers.dovecot_log()
            );
        }
    }
}

/// How many IMAP logins of the test user `log` (dovecot's) shows.
fn logins(log: &str) -> usize {
    log.matches(&format!("imap-login: Info: Login: user=<{USER}>"))
        .count()
}

#[test]
fn fetchmail_has_no_oauth2_in_debian_and_its_snippet_says_so() {
    require("fetchmail", "fetchmail");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("fetchmail-oauth2-message"));
    let home = servers.path().join("home-fetchmail");
    fs::create_dir_all(&home).unwrap();
    let good = token_file(&servers, false);
    // POP3 asked for, but fetchmail's OAuth2 is IMAP only.
    let config = generate(&servers, "fetchmail", &good, &["--pop3"]);
    assert!(config.contains("protocol IMAP"), "{config}");
    assert!(config.contains("    auth oauthbearer\n"), "{config}");
    assert!(
        config.contains("Debian's fetchmail\n# 6.4 has none"),
        "{config}"
    );
    let rc = home.join("fetchmailrc");
    write_private(&rc, &config);
    // fetchmail takes the token where it takes a password: from ~/.netrc.
    let token = fs::read_to_string(&good).unwrap();
    write_private(
        &home.join(".netrc"),
        &format!("machine localhost login {USER} password {token}\n"),
    );
    let sink = home.join("fetched.mbox");
    let mut command = Command::new("fetchmail");
    command
        .arg("-f")
        .arg(&rc)
        .args(["--nosyslog", "-N", "-v", "--mda"])
        .arg(format!("cat >> {}", sink.display()));
    let output = run_tool(command, &home, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("syntax error at oauthbearer") {
        // Debian's fetchmail 6.4: no OAuth2, as the snippet says (exit 5: syntax error).
        assert_eq!(output.status.code(), Some(5), "{stderr}");
        return;
    }
    // A fetchmail with OAuth2 must then really sign in and fetch.
    assert_ok("fetchmail (OAuth2)", &output, &servers);
    let fetched = fs::read_to_string(&sink).unwrap_or_default();
    assert!(
        fetched.contains("Subject: fetchmail-oauth2-message")
            && imap_login_with(&servers, "OAUTHBEARER"),
        "fetchmail fetched nothing with OAuth2:\n{stderr}"
    );
}
