//! A private postfix instance in the foreground from a temp dir: submission with STARTTLS
//! (587-style), submission with implicit TLS (465-style) and a port-25-style listener on
//! loopback, SASL through dovecot's socket, every transport `discard` so nothing is delivered
//! anywhere (recipe mail-servers.md).
//!
//! postfix only accepts a configuration directory that the default /etc/postfix/main.cf lists
//! in `alternate_config_directories`. So one line listing eight fixed slot paths
//! (`/tmp/portolan-postfix-slot-N/etc`) is added there once, and each instance claims a free
//! slot by creating that path as a symlink to its own temp dir (and removes it when stopped).

use std::fs;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::certificates::CertificateFiles;
use crate::{io, terminate, Starting, TestkitError};

/// How many postfix instances can run at once.
const SLOTS: usize = 8;
const SLOT_PREFIX: &str = "/tmp/portolan-postfix-slot-";
/// How long postfix gets to listen on all its ports.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// The ports postfix listens on, on 127.0.0.1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PostfixPorts {
    /// Submission with STARTTLS (587-style).
    pub(crate) submission: u16,
    /// Submission with implicit TLS (465-style).
    pub(crate) submissions: u16,
    /// Server-to-server SMTP (25-style).
    pub(crate) smtp: u16,
}

/// How postfix is set up.
pub(crate) struct PostfixConfig<'a> {
    /// The temp dir everything lives in; postfix gets `postfix/` below it.
    pub(crate) dir: &'a Path,
    pub(crate) ports: PostfixPorts,
    pub(crate) certificate: &'a CertificateFiles,
    /// dovecot's SASL socket.
    pub(crate) auth_socket: &'a Path,
    /// Offer AUTH before STARTTLS (`smtpd_tls_auth_only = no`).
    pub(crate) auth_before_tls: bool,
    /// Offer STARTTLS on the submission and port-25-style listeners.
    pub(crate) starttls: bool,
}

/// A running postfix; stopped (`postfix stop`, then signals) when dropped.
pub(crate) struct Postfix {
    program: PathBuf,
    child: Child,
    slot: PathBuf,
}

/// Where postfix logs, below the temp dir.
pub(crate) fn log_path(dir: &Path) -> PathBuf {
    dir.join("postfix.log")
}

impl Postfix {
    /// Writes the configuration, claims a slot, starts postfix and waits until every port
    /// accepts connections. `NotReady` (with the logs) when it exits first.
    pub(crate) fn start(program: &Path, config: &PostfixConfig) -> Result<Postfix, TestkitError> {
        allow_slots_in_default_config()?;
        let p = config.dir.join("postfix");
        fs::create_dir_all(p.join("etc")).map_err(io("create postfix/etc"))?;
        write_settled(&p.join("etc/main.cf"), &main_cf(&p, config))?;
        write_settled(&p.join("etc/master.cf"), &master_cf(config))?;
        let slot = claim_slot(&p)?;
        let etc = slot.join("etc");
        let stdout = fs::File::create(log_path(config.dir)).map_err(io("create postfix.log"))?;
        let stderr_path = config.dir.join("postfix.stderr");
        let stderr = fs::File::create(&stderr_path).map_err(io("create postfix.stderr"))?;
        let prepared = prepare_directories(&p);
        let spawned = prepared.and_then(|_| {
            Command::new(program)
                .arg("-c")
                .arg(&etc)
                .arg("start-fg")
                .stdin(Stdio::null())
                .stdout(stdout)
                .stderr(stderr)
                .spawn()
                .map_err(io("start postfix"))
        });
        let child = match spawned {
            Ok(child) => child,
            Err(error) => {
                let _ = fs::remove_file(&slot);
                return Err(error);
            }
        };
        let mut postfix = Postfix {
            program: program.to_owned(),
            child,
            slot,
        };
        let logs = [log_path(config.dir), stderr_path];
        let ports = config.ports;
        Starting {
            what: "postfix",
            child: &mut postfix.child,
            logs: &logs,
        }
        .wait(READY_TIMEOUT, || {
            [ports.submission, ports.submissions, ports.smtp]
                .iter()
                .all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok())
        })?;
        Ok(postfix)
    }
}

impl Drop for Postfix {
    fn drop(&mut self) {
        let _ = Command::new(&self.program)
            .arg("-c")
            .arg(self.slot.join("etc"))
            .arg("stop")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        terminate(&mut self.child, Duration::from_secs(5));
        let _ = fs::remove_file(&self.slot);
    }
}

/// Writes a configuration file dated a minute ago. postfix will not read a file modified in
/// the last second or two (it could be half written) and polls until it is old enough; a
/// fresh main.cf cost every start over two seconds.
fn write_settled(path: &Path, text: &str) -> Result<(), TestkitError> {
    let what = format!("write {}", path.display());
    let file = fs::File::create(path).map_err(io(what.clone()))?;
    (&file)
        .write_all(text.as_bytes())
        .map_err(io(what.clone()))?;
    let minute_ago = std::time::SystemTime::now() - Duration::from_secs(60);
    file.set_modified(minute_ago).map_err(io(what))
}

/// The queue and data directories with the owners and modes Debian's postfix-files lists:
/// what `postfix set-permissions` would make, without the three seconds it spends checking
/// every file of the installation.
fn prepare_directories(p: &Path) -> Result<(), TestkitError> {
    use std::os::unix::fs::{chown, PermissionsExt};
    let postfix = system_id("/etc/passwd", "postfix")?;
    let postdrop = system_id("/etc/group", "postdrop")?;
    let spool = p.join("spool");
    let mut directories = vec![
        (p.join("data"), Some(postfix), None, 0o700),
        (spool.clone(), None, None, 0o755),
        (spool.join("pid"), None, None, 0o755),
        (spool.join("maildrop"), Some(postfix), Some(postdrop), 0o730),
        (spool.join("public"), Some(postfix), Some(postdrop), 0o710),
    ];
    for queue in [
        "active", "bounce", "corrupt", "defer", "deferred", "flush", "hold", "incoming", "private",
        "saved", "trace",
    ] {
        directories.push((spool.join(queue), Some(postfix), None, 0o700));
    }
    for (directory, owner, group, mode) in directories {
        let what = format!("prepare {}", directory.display());
        fs::create_dir_all(&directory).map_err(io(what.clone()))?;
        chown(&directory, owner, group).map_err(io(what.clone()))?;
        fs::set_permissions(&directory, fs::Permissions::from_mode(mode)).map_err(io(what))?;
    }
    // postfix-script skips its integrity checks (over a second) once when
    // this file exists; the directories above are what they would check.
    fs::write(spool.join("quick-start"), "").map_err(io("write spool/quick-start"))
}

/// The numeric id of `name` in /etc/passwd or /etc/group (`name:x:id:...`).
fn system_id(file: &str, name: &str) -> Result<u32, TestkitError> {
    let text = fs::read_to_string(file).map_err(io(format!("read {file}")))?;
    text.lines()
        .filter_map(|line| {
            let mut fields = line.split(':');
            let found = fields.next()? == name;
            let id = fields.nth(1)?.parse().ok()?;
            found.then_some(id)
        })
        .next()
        .ok_or_else(|| {
            TestkitError::NotReady(format!("no `{name}` in {file}: is postfix installed?"))
        })
}

/// Adds the slot paths to the default main.cf's `alternate_config_directories`, once.
fn allow_slots_in_default_config() -> Result<(), TestkitError> {
    let main_cf = Path::new("/etc/postfix/main.cf");
    let text = fs::read_to_string(main_cf).unwrap_or_default();
    if text.contains(SLOT_PREFIX) {
        return Ok(());
    }
    let slots: Vec<String> = (0..SLOTS)
        .map(|n| format!("{SLOT_PREFIX}{n}/etc"))
        .collect();
    let line = format!(
        "\n# Added by Portolan's tests: private postfix instances on loopback.\nalternate_config_directories = {}\n",
        slots.join(" ")
    );
    fs::write(main_cf, format!("{text}{line}")).map_err(io(
        "add alternate_config_directories to /etc/postfix/main.cf (the tests run as root)",
    ))
}

/// Claims the first free slot by linking it to `target`; a link whose target is gone is
/// left over from a run that did not clean up, and is taken over.
fn claim_slot(target: &Path) -> Result<PathBuf, TestkitError> {
    for n in 0..SLOTS {
        let slot = PathBuf::from(format!("{SLOT_PREFIX}{n}"));
        if let Ok(existing) = fs::read_link(&slot) {
            if !existing.exists() {
                let _ = fs::remove_file(&slot);
            }
        }
        if std::os::unix::fs::symlink(target, &slot).is_ok() {
            return Ok(slot);
        }
    }
    Err(TestkitError::NotReady(format!(
        "all {SLOTS} postfix slots {SLOT_PREFIX}N are busy"
    )))
}

fn main_cf(p: &Path, config: &PostfixConfig) -> String {
    let p = p.display();
    let cert = config.certificate.cert.display();
    let key = config.certificate.key.display();
    let socket = config.auth_socket.display();
    let auth_only = if config.auth_before_tls { "no" } else { "yes" };
    // No reverse lookups of client addresses: 127.0.0.2 (the proxies' source) has no name,
    // and asking a resolver could wait for a network that the tests must not use.
    format!(
        "compatibility_level = 3.6
queue_directory = {p}/spool
data_directory = {p}/data
mail_owner = postfix
myhostname = localhost
mydestination = localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
maillog_file = /dev/stdout
smtpd_peername_lookup = no
smtpd_tls_cert_file = {cert}
smtpd_tls_key_file = {key}
smtpd_tls_security_level = may
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_mandatory_protocols = >=TLSv1.2
smtpd_tls_auth_only = {auth_only}
smtpd_sasl_type = dovecot
smtpd_sasl_path = {socket}
smtpd_sasl_auth_enable = yes
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
local_transport = discard
default_transport = discard
relay_transport = discard
alias_maps =
alias_database =
"
    )
}

/// The Debian default's service lines (chroot off), and the three listeners.
fn master_cf(config: &PostfixConfig) -> String {
    let ports = config.ports;
    // With AUTH before TLS the submission port must not demand TLS either: `encrypt` makes
    // postfix hold AUTH back until STARTTLS, whatever smtpd_tls_auth_only says.
    let (submission_level, smtp_level) = match (config.starttls, config.auth_before_tls) {
        (false, _) => ("none", "none"),
        (true, true) => ("may", "may"),
        (true, false) => ("encrypt", "may"),
    };
    format!(
        "{MASTER_CF}127.0.0.1:{smtp} inet n - n - - smtpd -o smtpd_tls_security_level={smtp_level}
127.0.0.1:{submission} inet n - n - - smtpd -o smtpd_tls_security_level={submission_level}
127.0.0.1:{submissions} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt
",
        smtp = ports.smtp,
        submission = ports.submission,
        submissions = ports.submissions,
    )
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
