//! Real clients against real servers: `portolan generate` writes msmtp, mbsync, fetchmail,
//! neomutt and offlineimap configurations from a settings file naming a real dovecot and
//! postfix on loopback (started by `portolan_testkit::mail`), and each tool then really logs
//! in, sends, syncs or fetches, trusting the test CA through its own trust-file option.
//! aerc and neomutt's mailbox view are full-screen programs: they run under `script`, which
//! gives them a pseudo-terminal, and dovecot's log shows their logins.
//! Nothing here skips: a missing tool fails with the Debian package to install.

use std::fs;
use std::process::{Command, Stdio};
use std::time::Duration;

use portolan_testkit::mail::{imap_tls_login, MailServers, PASSWORD, USER};

mod support;

use support::tools::{
    assert_ok, deliver, imaps, message, require, run_aerc_until, run_tool, settings_file,
    tree_contains, write_private, PORTOLAN,
};

/// The test mail servers with their default (well-configured) setup.
fn start_servers() -> MailServers {
    MailServers::start().unwrap_or_else(|error| panic!("the test mail servers: {error}"))
}

/// Runs `portolan generate` for the test user with the given format and extra arguments.
fn generate(servers: &MailServers, format: &str, extra: &[&str]) -> String {
    let settings = settings_file(servers);
    let password = servers.path().join("password");
    let output = Command::new(PORTOLAN)
        .args(["generate", USER, "--format", format, "--settings"])
        .arg(&settings)
        .arg("--password-command")
        .arg(format!("cat {}", password.display()))
        .arg("--ca-file")
        .arg(&servers.ca_file)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "portolan generate --format {format} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        !text.contains(PASSWORD),
        "the password leaked into the {format} output"
    );
    text
}

#[test]
fn msmtp_sends_through_implicit_tls_and_through_starttls_when_465_is_blocked() {
    require("msmtp", "msmtp");
    let servers = start_servers();
    let home = servers.path().join("home-msmtp");
    fs::create_dir_all(&home).unwrap();

    let implicit = generate(&servers, "msmtp", &[]);
    assert!(
        implicit.contains(&format!("port {}\ntls_starttls off\n", servers.submissions)),
        "{implicit}"
    );
    let blocked = servers.submissions.to_string();
    let starttls = generate(&servers, "msmtp", &["--blocked-port", &blocked]);
    assert!(
        starttls.contains(&format!("port {}\ntls_starttls on\n", servers.submission)),
        "{starttls}"
    );

    for (name, config) in [("implicit", implicit), ("starttls", starttls)] {
        let rc = home.join(format!("msmtprc-{name}"));
        write_private(&rc, &config);
        let mut command = Command::new("msmtp");
        command.arg("-C").arg(&rc).arg("bob@example.net");
        command.stdin(Stdio::piped());
        let mut child = command
            .env("HOME", &home)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(message(&format!("msmtp-{name}")).as_bytes())
                .unwrap();
        }
        let output = child.wait_with_output().unwrap();
        assert_ok(&format!("msmtp ({name})"), &output, &servers);
    }
    let log = servers.postfix_log();
    assert_eq!(
        log.matches(&format!("sasl_username={USER}")).count(),
        2,
        "postfix should log two authenticated submissions:\n{log}"
    );
}

#[test]
fn mbsync_syncs_the_inbox_over_implicit_tls_and_starttls() {
    require("mbsync", "isync");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("mbsync-test-message"));
    let blocked = imaps(&servers).to_string();
    for (name, extra) in [
        ("implicit", vec![]),
        ("starttls", vec!["--blocked-port", blocked.as_str()]),
    ] {
        let home = servers.path().join(format!("home-mbsync-{name}"));
        let maildir = home.join("Mail");
        fs::create_dir_all(&maildir).unwrap();
        let maildir_arg = maildir.display().to_string();
        let mut args = vec!["--maildir", maildir_arg.as_str()];
        args.extend(extra.iter().copied());
        let config = generate(&servers, "mbsync", &args);
        let expected_port = if name == "implicit" {
            imaps(&servers)
        } else {
            servers.imap
        };
        assert!(
            config.contains(&format!("Port {expected_port}\n")),
            "{config}"
        );
        let rc = home.join("mbsyncrc");
        write_private(&rc, &config);
        let mut command = Command::new("mbsync");
        command.arg("-c").arg(&rc).arg("-a");
        let output = run_tool(command, &home, Duration::from_secs(30));
        assert_ok(&format!("mbsync ({name})"), &output, &servers);
        assert!(
            tree_contains(&maildir.join("INBOX"), "Subject: mbsync-test-message"),
            "mbsync ({name}) did not bring the message into {}",
            maildir.display()
        );
    }
}

#[test]
fn fetchmail_fetches_over_imap_and_pop3() {
    require("fetchmail", "fetchmail");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("fetchmail-test-message"));
    for (name, extra) in [("imap", vec![]), ("pop3", vec!["--pop3"])] {
        let home = servers.path().join(format!("home-fetchmail-{name}"));
        fs::create_dir_all(&home).unwrap();
        let config = generate(&servers, "fetchmail", &extra);
        let protocol = if name == "imap" { "IMAP" } else { "POP3" };
        assert!(config.contains(&format!("protocol {protocol}")), "{config}");
        assert!(config.contains("sslcertck"), "{config}");
        let rc = home.join("fetchmailrc");
        write_private(&rc, &config);
        write_private(
            &home.join(".netrc"),
            &format!("machine localhost login {USER} password {PASSWORD}\n"),
        );
        let sink = home.join("fetched.mbox");
        let mut command = Command::new("fetchmail");
        command
            .arg("-f")
            .arg(&rc)
            .args(["--nosyslog", "-N", "-v", "--mda"])
            .arg(format!("cat >> {}", sink.display()));
        let output = run_tool(command, &home, Duration::from_secs(30));
        assert_ok(&format!("fetchmail ({name})"), &output, &servers);
        let fetched = fs::read_to_string(&sink).unwrap_or_default();
        assert!(
            fetched.contains("Subject: fetchmail-test-message"),
            "fetchmail ({name}) fetched nothing:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn neomutt_reads_its_config_logs_in_over_imap_and_sends_over_smtps() {
    require("neomutt", "neomutt");
    require("script", "bsdutils");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("neomutt-test-message"));
    let home = servers.path().join("home-neomutt");
    fs::create_dir_all(&home).unwrap();
    let config = generate(&servers, "neomutt", &["--name", "Alice \"A\" Test"]);
    let rc = home.join("neomuttrc");
    write_private(
        &rc,
        &format!("{config}set header_cache = \"\"\nset message_cachedir = \"\"\n"),
    );

    // The parser accepts every line and reads the values back as written.
    let mut command = Command::new("neomutt");
    command.arg("-n").arg("-F").arg(&rc).args([
        "-Q",
        "folder",
        "-Q",
        "smtp_url",
        "-Q",
        "real_name",
    ]);
    let output = run_tool(command, &home, Duration::from_secs(20));
    assert_ok("neomutt -Q", &output, &servers);
    let answers = String::from_utf8_lossy(&output.stdout);
    // neomutt prints the folder URL with the user name decoded.
    assert!(
        answers.contains(&format!(
            "set folder = \"imaps://{USER}@localhost:{}/\"",
            imaps(&servers)
        )),
        "{answers}"
    );
    assert!(
        answers.contains(&format!(
            "smtps://alice%40example.test@localhost:{}/",
            servers.submissions
        )),
        "{answers}"
    );
    assert!(answers.contains("Alice \\\"A\\\" Test"), "{answers}");

    // Batch mode sends without a terminal: SMTP over implicit TLS with the password command.
    let mut command = Command::new("neomutt");
    command
        .arg("-n")
        .arg("-F")
        .arg(&rc)
        .args(["-s", "neomutt-batch", "--", "bob@example.net"])
        .stdin(fs::File::open(servers.path().join("password")).unwrap());
    let output = run_tool(command, &home, Duration::from_secs(30));
    assert_ok("neomutt batch send", &output, &servers);
    assert!(
        servers
            .postfix_log()
            .contains(&format!("sasl_username={USER}")),
        "{}",
        servers.postfix_log()
    );

    // Opening the mailbox needs a terminal: `script` provides one; neomutt logs in over IMAP
    // (implicit TLS, the test CA) and quits.
    let mut command = Command::new("script");
    command
        .args(["-q", "-e", "-c"])
        .arg(format!("neomutt -n -F {} -e 'push <quit>'", rc.display()))
        .arg("/dev/null")
        .env("TERM", "xterm")
        .stdin(Stdio::null());
    let output = run_tool(command, &home, Duration::from_secs(30));
    let log = servers.dovecot_log();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains("neomutt-test-message") && imap_tls_login(&log),
        "neomutt did not log in over IMAP (exit {}):\n{}\ndovecot log:\n{log}",
        output.status,
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn offlineimap_syncs_the_inbox() {
    require("offlineimap", "offlineimap3");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("offlineimap-test-message"));
    let home = servers.path().join("home-offlineimap");
    let maildir = home.join("Mail");
    fs::create_dir_all(&maildir).unwrap();
    let config = generate(
        &servers,
        "offlineimap",
        &["--maildir", &maildir.display().to_string()],
    );
    let rc = home.join("offlineimaprc");
    write_private(&rc, &config);
    let mut command = Command::new("offlineimap");
    command.arg("-c").arg(&rc).args(["-o", "-u", "basic"]);
    let output = run_tool(command, &home, Duration::from_secs(60));
    assert_ok("offlineimap", &output, &servers);
    assert!(
        tree_contains(&maildir, "Subject: offlineimap-test-message"),
        "offlineimap did not sync the message:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn aerc_logs_in_over_imap_in_a_pseudo_terminal() {
    require("aerc", "aerc");
    require("script", "bsdutils");
    let servers = start_servers();
    deliver(&servers, "1.portolan", &message("aerc-test-message"));
    let home = servers.path().join("home-aerc");
    let config_dir = home.join(".config/aerc");
    fs::create_dir_all(&config_dir).unwrap();
    let config = generate(&servers, "aerc", &[]);
    assert!(
        config.contains(&format!(
            "source = imaps://alice%40example.test@localhost:{}\n",
            imaps(&servers)
        )),
        "{config}"
    );
    write_private(&config_dir.join("accounts.conf"), &config);
    run_aerc_until(&servers, &home, Duration::from_secs(20), || {
        imap_tls_login(&servers.dovecot_log())
    });
    assert!(
        imap_tls_login(&servers.dovecot_log()),
        "aerc did not log in over IMAP; dovecot log:\n{}",
        servers.dovecot_log()
    );
}

#[test]
fn aerc_snippet_is_well_formed() {
    // The snippet's structure the way aerc's INI reader sees it: one section, key = value
    // lines, URLs aerc understands (STARTTLS as imap://, implicit TLS as smtps://).
    let servers_dir = tempfile::tempdir().unwrap();
    let settings = servers_dir.path().join("settings.json");
    fs::write(
        &settings,
        serde_json::json!({
            "address": USER, "domain": "example.test",
            "incoming": [{"protocol": "imap", "host": "imap.example.test", "port": 143, "security": "starttls", "username": "email-address", "source": "preset"}],
            "outgoing": [{"protocol": "submission", "host": "smtp.example.test", "port": 465, "security": "tls", "username": "email-address", "source": "preset"}]
        })
        .to_string(),
    )
    .unwrap();
    let output = Command::new(PORTOLAN)
        .args(["generate", USER, "--format", "aerc", "--settings"])
        .arg(&settings)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut sections = 0;
    let mut keys = std::collections::BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        if line.starts_with('[') && line.ends_with(']') {
            sections += 1;
        } else {
            let (key, value) = line
                .split_once(" = ")
                .unwrap_or_else(|| panic!("not key = value: {line:?}"));
            keys.insert(key.to_string(), value.to_string());
        }
    }
    assert_eq!(sections, 1);
    assert_eq!(
        keys["source"],
        "imap://alice%40example.test@imap.example.test:143"
    );
    assert_eq!(
        keys["outgoing"],
        "smtps://alice%40example.test@smtp.example.test:465"
    );
    assert_eq!(keys["source-cred-cmd"], format!("pass show email/{USER}"));
    assert_eq!(keys["from"], format!("<{USER}>"));
}
