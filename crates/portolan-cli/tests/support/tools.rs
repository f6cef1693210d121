//! Running the real mail tools against the testkit's dovecot + postfix, shared by the
//! real-client tests (passwords in `real_clients.rs`, OAuth2 in `real_clients_oauth2.rs`):
//! the settings file `portolan generate` reads, a tool run with a time limit and its own
//! HOME, aerc in a pseudo-terminal, and checks on what arrived.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use portolan_testkit::mail::{MailServers, PASSWORD, USER};

/// The `portolan` binary under test.
pub const PORTOLAN: &str = env!("CARGO_BIN_EXE_portolan");

/// Fails with the Debian package to install when `program` is missing.
pub fn require(program: &'static str, package: &'static str) {
    if let Err(error) = portolan_testkit::require(program, package) {
        panic!("{error}");
    }
}

/// The implicit-TLS IMAP port, which the default setup always has.
pub fn imaps(servers: &MailServers) -> u16 {
    servers
        .imaps
        .expect("the default setup has implicit TLS for IMAP")
}

/// The implicit-TLS POP3 port, which the default setup always has.
pub fn pop3s(servers: &MailServers) -> u16 {
    servers
        .pop3s
        .expect("the default setup has implicit TLS for POP3")
}

/// Puts a message into the test user's INBOX on the server.
pub fn deliver(servers: &MailServers, name: &str, message: &str) {
    if let Err(error) = servers.deliver(name, message) {
        panic!("delivering {name}: {error}");
    }
}

/// A settings file in the `portolan discover --json` shape, naming the test servers.
pub fn settings_file(servers: &MailServers) -> PathBuf {
    let candidate = |protocol: &str, port: u16, security: &str| {
        serde_json::json!({
            "protocol": protocol, "host": "localhost", "port": port, "security": security,
            "username": "email-address", "auth": ["password-cleartext"], "source": "preset",
            "trust": [], "reasons": ["test server"]
        })
    };
    let discovery = serde_json::json!({
        "address": USER,
        "domain": "example.test",
        "incoming": [
            candidate("imap", imaps(servers), "tls"),
            candidate("imap", servers.imap, "starttls"),
            candidate("pop3", pop3s(servers), "tls"),
            candidate("pop3", servers.pop3, "starttls"),
        ],
        "outgoing": [
            candidate("submission", servers.submission, "starttls"),
            candidate("submission", servers.submissions, "tls"),
        ],
    });
    let path = servers.path().join("settings.json");
    fs::write(&path, serde_json::to_string_pretty(&discovery).unwrap()).unwrap();
    let password = servers.path().join("password");
    fs::write(&password, PASSWORD).unwrap();
    path
}

/// Runs a command with a time limit, HOME set to `home`, output captured; a command still
/// running at the limit fails the test.
pub fn run_tool(command: Command, home: &Path, limit: Duration) -> Output {
    let (output, finished) = run_tool_or_stop(command, home, limit);
    assert!(
        finished,
        "the command did not finish within {limit:?}; stderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs a command as [`run_tool`] does, but stops it (SIGKILL) at the limit instead of
/// failing; its output, and whether it finished by itself.
pub fn run_tool_or_stop(mut command: Command, home: &Path, limit: Duration) -> (Output, bool) {
    fs::create_dir_all(home).unwrap();
    let out = home.join(".stdout");
    let err = home.join(".stderr");
    let mut child = command
        .env("HOME", home)
        .stdout(fs::File::create(&out).unwrap())
        .stderr(fs::File::create(&err).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let deadline = Instant::now() + limit;
    let (status, finished) = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break (status, true);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            break (child.wait().unwrap(), false);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = Output {
        status,
        stdout: fs::read(&out).unwrap(),
        stderr: fs::read(&err).unwrap(),
    };
    (output, finished)
}

pub fn assert_ok(what: &str, output: &Output, servers: &MailServers) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\nstdout:\n{}\nstderr:\n{}\ndovecot log:\n{}\npostfix log:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        servers.dovecot_log(),
        servers.postfix_log()
    );
}

pub fn message(subject: &str) -> String {
    format!("From: {USER}\r\nTo: {USER}\r\nSubject: {subject}\r\nMessage-ID: <{subject}@example.test>\r\n\r\nHello from the Portolan tests.\r\n")
}

/// True when any file below `dir` contains `needle`.
pub fn tree_contains(dir: &Path, needle: &str) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            tree_contains(&path, needle)
        } else {
            fs::read_to_string(&path).is_ok_and(|text| text.contains(needle))
        }
    })
}

pub fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
}

/// Runs aerc (full-screen only) under `script`, which gives it a terminal, with HOME at
/// `home` (its accounts.conf below `.config/aerc`) and the test CA trusted through
/// `SSL_CERT_FILE` (aerc has no CA-file option; Go reads that variable, which stands in for
/// installing the CA system-wide). Waits up to `limit` for `done`, then quits the way a user
/// does, and ends the process group (script and aerc) if aerc lingers.
pub fn run_aerc_until(
    servers: &MailServers,
    home: &Path,
    limit: Duration,
    done: impl Fn() -> bool,
) {
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", "aerc", "/dev/null"])
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("SSL_CERT_FILE", &servers.ca_file)
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + limit;
    while !done() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    if let Some(stdin) = child.stdin.as_mut() {
        use std::io::Write;
        let _ = stdin.write_all(b":quit\r");
        let _ = stdin.flush();
    }
    let quit_by = Instant::now() + Duration::from_secs(5);
    while child.try_wait().unwrap().is_none() && Instant::now() < quit_by {
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .status();
        let _ = child.wait();
    }
}
