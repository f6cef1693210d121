//! Real dovecot (IMAP and POP3, STARTTLS and implicit TLS) and a private postfix instance
//! (submission 587-style STARTTLS and 465-style implicit TLS, SASL through dovecot) on
//! 127.0.0.1, with a throw-away test CA, for the real-client tests.
//!
//! Everything runs in the foreground from a temp dir on free high ports; nothing is delivered
//! anywhere (postfix's transports are `discard`). Both servers are stopped when
//! [`MailServers`] is dropped. Follows /work/shared/recipes/mail-servers.md, traps included:
//! postfix only accepts a config directory listed in the default main.cf, so one line listing
//! eight fixed slot paths (`/tmp/portolan-postfix-slot-N/etc`) is added there once, and each
//! run claims a slot by creating that path as a symlink to its own temp dir.

use std::fs;
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use portolan_testkit::Starting;

/// The test user's login (an address, so `%EMAILADDRESS%` is exercised) and password.
pub const USER: &str = "alice@example.test";
pub const PASSWORD: &str = "correct-horse-battery-staple";

const SLOTS: usize = 8;
/// How many sets of ports `MailServers::start` tries.
const START_ATTEMPTS: usize = 3;
const SLOT_PREFIX: &str = "/tmp/portolan-postfix-slot-";

/// True when `log` (dovecot's) shows the test user logging in over IMAP with TLS.
pub fn imap_tls_login(log: &str) -> bool {
    let login = format!("imap-login: Info: Login: user=<{USER}>, method=PLAIN");
    log.lines()
        .any(|line| line.contains(&login) && line.contains(", TLS, session="))
}

/// The running servers.
pub struct MailServers {
    pub dir: tempfile::TempDir,
    pub ca_file: PathBuf,
    pub imap: u16,
    pub imaps: u16,
    pub pop3: u16,
    pub pop3s: u16,
    pub submission: u16,
    pub submissions: u16,
    dovecot: Child,
    postfix: Child,
    slot: PathBuf,
}

/// Fails with a clear message when a binary is missing.
pub fn require(binary: &str, package: &str) {
    let found = portolan_testkit::find_program(binary).is_some()
        || Path::new("/usr/sbin").join(binary).is_file();
    assert!(
        found,
        "`{binary}` is not installed: install the Debian package `{package}` (cargo xtask install does)"
    );
}

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    portolan_testkit::free_port().expect("a free loopback port")
}

/// Waits until `server` listens on `port`. An error, with the server's logs, when it exits
/// first (a port taken since it was picked, say) or does not listen in time.
fn wait_for_port(
    port: u16,
    what: &str,
    server: &mut Child,
    logs: &[PathBuf],
) -> Result<(), String> {
    Starting {
        what,
        child: server,
        logs,
    }
    .wait(Duration::from_secs(15), || {
        TcpStream::connect(("127.0.0.1", port)).is_ok()
    })
    .map_err(|error| format!("waiting for 127.0.0.1:{port}: {error}"))
}

fn claim_slot(target: &Path) -> PathBuf {
    for n in 0..SLOTS {
        let slot = PathBuf::from(format!("{SLOT_PREFIX}{n}"));
        if let Ok(existing) = fs::read_link(&slot) {
            if !existing.exists() {
                let _ = fs::remove_file(&slot);
            }
        }
        if std::os::unix::fs::symlink(target, &slot).is_ok() {
            return slot;
        }
    }
    panic!("all {SLOTS} postfix slots under {SLOT_PREFIX}N are busy");
}

fn allow_slots_in_default_postfix_config() {
    let main_cf = Path::new("/etc/postfix/main.cf");
    let text = fs::read_to_string(main_cf).unwrap_or_default();
    if text.contains(SLOT_PREFIX) {
        return;
    }
    let slots: Vec<String> = (0..SLOTS)
        .map(|n| format!("{SLOT_PREFIX}{n}/etc"))
        .collect();
    let line = format!(
        "\n# Added by Portolan's tests: private postfix instances on loopback.\nalternate_config_directories = {}\n",
        slots.join(" ")
    );
    fs::write(main_cf, format!("{text}{line}")).expect(
        "cannot add alternate_config_directories to /etc/postfix/main.cf (tests run as root)",
    );
}

const MASTER_CF: &str = "\
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
";

impl MailServers {
    /// Starts dovecot and postfix; panics with the logs if either fails.
    pub fn start() -> MailServers {
        for (binary, package) in [
            ("dovecot", "dovecot-imapd"),
            ("doveadm", "dovecot-core"),
            ("postfix", "postfix"),
            ("openssl", "openssl"),
        ] {
            require(binary, package);
        }
        // Ports are picked free, but another test (or a client's ephemeral port) can take one
        // before the server binds it: then the server exits, and a new set of ports is tried.
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            match MailServers::try_start() {
                Ok(servers) => return servers,
                Err(failure) => failures.push(failure),
            }
        }
        panic!(
            "the test mail servers did not start in {START_ATTEMPTS} attempts:\n{}",
            failures.join("\n\n")
        );
    }

    /// One attempt at starting both servers on newly picked ports.
    fn try_start() -> Result<MailServers, String> {
        let dir = tempfile::Builder::new()
            .prefix("portolan-mail-")
            .tempdir()
            .unwrap();
        let d = dir.path().to_path_buf();
        fs::set_permissions(&d, fs::Permissions::from_mode(0o755)).unwrap();
        let ds = d.display().to_string();

        // Test CA and a server certificate for localhost and 127.0.0.1.
        let ca_file = d.join("ca.pem");
        run(Command::new("openssl").current_dir(&d).args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Portolan Test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]));
        run(Command::new("openssl").current_dir(&d).args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]));
        fs::write(
            d.join("ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(Command::new("openssl").current_dir(&d).args([
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.pem",
            "-days",
            "1",
            "-extfile",
            "ext",
        ]));
        fs::set_permissions(d.join("server.key"), fs::Permissions::from_mode(0o644)).unwrap();

        let (imap, imaps, pop3, pop3s, submission, submissions) = (
            free_port(),
            free_port(),
            free_port(),
            free_port(),
            free_port(),
            free_port(),
        );

        // Dovecot.
        let hash = run(Command::new("doveadm").args(["pw", "-s", "SHA512-CRYPT", "-p", PASSWORD]));
        fs::write(d.join("users"), format!("{USER}:{}::::::\n", hash.trim())).unwrap();
        for sub in ["run", "mail"] {
            fs::create_dir_all(d.join(sub)).unwrap();
        }
        run(Command::new("chown").args(["-R", "mail:mail", &format!("{ds}/mail")]));
        let conf = format!(
            "base_dir = {ds}/run
state_dir = {ds}/run
log_path = {ds}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = required
ssl_cert = <{ds}/server.pem
ssl_key = <{ds}/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_verbose = yes
mail_location = maildir:{ds}/mail/%u
mail_uid = mail
mail_gid = mail
first_valid_uid = 8
passdb {{
  driver = passwd-file
  args = scheme=SHA512-CRYPT {ds}/users
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={ds}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    address = 127.0.0.1
    port = {pop3}
  }}
  inet_listener pop3s {{
    address = 127.0.0.1
    port = {pop3s}
    ssl = yes
  }}
}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0666
  }}
}}
"
        );
        fs::write(d.join("dovecot.conf"), conf).unwrap();
        let dovecot = Command::new("dovecot")
            .args(["-F", "-c", &format!("{ds}/dovecot.conf")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(d.join("dovecot.stderr")).unwrap())
            .spawn()
            .expect("cannot start dovecot");

        // Postfix.
        allow_slots_in_default_postfix_config();
        let p = d.join("postfix");
        for sub in ["etc", "spool", "data"] {
            fs::create_dir_all(p.join(sub)).unwrap();
        }
        let slot = claim_slot(&p);
        let etc = slot.join("etc").display().to_string();
        let ps = p.display().to_string();
        let main_cf = format!(
            "compatibility_level = 3.6
queue_directory = {ps}/spool
data_directory = {ps}/data
mail_owner = postfix
myhostname = localhost
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
smtpd_tls_cert_file = {ds}/server.pem
smtpd_tls_key_file = {ds}/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = {ds}/run/auth-postfix
smtpd_sasl_auth_enable = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
local_transport = discard
default_transport = discard
relay_transport = discard
alias_maps =
alias_database =
"
        );
        fs::write(p.join("etc/main.cf"), main_cf).unwrap();
        let master_cf = format!(
            "{MASTER_CF}127.0.0.1:{submission} inet n - n - - smtpd -o smtpd_tls_security_level=encrypt\n127.0.0.1:{submissions} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes\n"
        );
        fs::write(p.join("etc/master.cf"), master_cf).unwrap();
        run(Command::new("postfix").args(["-c", &etc, "set-permissions"]));
        run(Command::new("chown").args(["-R", "postfix", &format!("{ps}/data")]));
        let postfix = Command::new("postfix")
            .args(["-c", &etc, "start-fg"])
            .stdin(Stdio::null())
            .stdout(fs::File::create(d.join("postfix.log")).unwrap())
            .stderr(fs::File::create(d.join("postfix.stderr")).unwrap())
            .spawn()
            .expect("cannot start postfix");

        let mut servers = MailServers {
            ca_file,
            imap,
            imaps,
            pop3,
            pop3s,
            submission,
            submissions,
            dovecot,
            postfix,
            slot,
            dir,
        };
        let dovecot_logs = [d.join("dovecot.log"), d.join("dovecot.stderr")];
        for port in [imap, imaps, pop3, pop3s] {
            wait_for_port(port, "dovecot", &mut servers.dovecot, &dovecot_logs)?;
        }
        let postfix_logs = [d.join("postfix.log"), d.join("postfix.stderr")];
        for port in [submission, submissions] {
            wait_for_port(port, "postfix", &mut servers.postfix, &postfix_logs)?;
        }
        Ok(servers)
    }

    /// The temp dir path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts a message into the test user's server-side INBOX (dovecot picks it up).
    pub fn deliver(&self, name: &str, message: &str) {
        let inbox = self.path().join("mail").join(USER);
        for sub in ["new", "cur", "tmp"] {
            fs::create_dir_all(inbox.join(sub)).unwrap();
        }
        fs::write(inbox.join("new").join(name), message).unwrap();
        run(Command::new("chown").args(["-R", "mail:mail", &inbox.display().to_string()]));
    }

    /// Dovecot's log so far.
    pub fn dovecot_log(&self) -> String {
        fs::read_to_string(self.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Postfix's log so far.
    pub fn postfix_log(&self) -> String {
        fs::read_to_string(self.path().join("postfix.log")).unwrap_or_default()
    }
}

impl Drop for MailServers {
    fn drop(&mut self) {
        let etc = self.slot.join("etc").display().to_string();
        let _ = Command::new("postfix")
            .args(["-c", &etc, "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = Command::new("kill")
            .args(["-TERM", &self.dovecot.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        for child in [&mut self.dovecot, &mut self.postfix] {
            loop {
                match child.try_wait() {
                    Ok(Some(_)) => break,
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(50))
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                }
            }
        }
        let _ = fs::remove_file(&self.slot);
    }
}
