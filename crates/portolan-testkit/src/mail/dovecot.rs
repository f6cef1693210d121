//! Dovecot in the foreground from a temp dir: IMAP and POP3 on loopback, with STARTTLS and
//! implicit TLS, one test user, maildir storage, and an auth socket postfix uses for SASL.
//! The configuration follows the recipe mail-servers.md (each block setting on its own
//! line, the `mail` user for mail processes, `auth_verbose` so logins show in the log).
//! On request it also takes OAuth2 (OAUTHBEARER and XOAUTH2, for IMAP, POP3 and, through
//! the auth socket, postfix): an `oauth2` passdb that checks the tokens itself
//! (`introspection_mode = local`) against the key in an `fs:posix` dictionary, beside the
//! password passdb, each passdb limited to its own mechanisms.

use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::certificates::CertificateFiles;
use super::oauth2::OAuth2Key;
use super::{PASSWORD, USER};
use crate::{io, run, terminate, Starting, TestkitError};

/// How long dovecot gets to listen on all its ports.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

/// The ports dovecot listens on, on 127.0.0.1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DovecotPorts {
    pub(crate) imap: u16,
    pub(crate) pop3: u16,
    /// The implicit-TLS ports (IMAP, then POP3); none when TLS is off.
    pub(crate) implicit_tls: Option<(u16, u16)>,
}

/// How dovecot is set up.
pub(crate) struct DovecotConfig<'a> {
    /// The temp dir everything lives in.
    pub(crate) dir: &'a Path,
    pub(crate) ports: DovecotPorts,
    /// The certificate to present; `None` turns TLS off (`ssl = no`).
    pub(crate) certificate: Option<&'a CertificateFiles>,
    /// Offer plaintext logins before STARTTLS (`disable_plaintext_auth = no`).
    pub(crate) auth_before_tls: bool,
    /// Also take OAuth2 access tokens signed with this key.
    pub(crate) oauth2: Option<&'a OAuth2Key>,
}

/// A running dovecot; stopped (SIGTERM, then SIGKILL) when dropped.
pub(crate) struct Dovecot {
    child: Child,
}

/// Where dovecot logs, below the temp dir.
pub(crate) fn log_path(dir: &Path) -> PathBuf {
    dir.join("dovecot.log")
}

/// Where postfix finds dovecot's SASL socket, below the temp dir.
pub(crate) fn auth_socket(dir: &Path) -> PathBuf {
    dir.join("run/auth-postfix")
}

/// The test user's maildir, below the temp dir.
pub(crate) fn maildir(dir: &Path) -> PathBuf {
    dir.join("mail").join(USER)
}

/// True when `log` (dovecot's) shows the test user logging in over IMAP with TLS.
pub fn imap_tls_login(log: &str) -> bool {
    tls_login(log, "imap", "PLAIN")
}

/// True when `log` (dovecot's) shows the test user logging in to `service` (`imap` or
/// `pop3`) over TLS with the SASL mechanism `method` (`PLAIN`, `OAUTHBEARER`, `XOAUTH2`).
pub fn tls_login(log: &str, service: &str, method: &str) -> bool {
    let login = format!("{service}-login: Info: Login: user=<{USER}>, method={method},");
    log.lines()
        .any(|line| line.contains(&login) && line.contains(", TLS, session="))
}

/// Where the OAuth2 passdb's settings are, below the temp dir.
fn oauth2_settings_path(dir: &Path) -> PathBuf {
    dir.join("dovecot-oauth2.conf.ext")
}

impl Dovecot {
    /// Writes the configuration and the users file, starts dovecot, and waits until every
    /// port accepts connections. `NotReady` (with the logs) when it exits first, as it does
    /// when a port was taken since it was picked.
    pub(crate) fn start(program: &Path, config: &DovecotConfig) -> Result<Dovecot, TestkitError> {
        let dir = config.dir;
        // The PLAIN scheme keeps the test password readable in the users file; the scheme
        // changes nothing a client sees.
        fs::write(
            dir.join("users"),
            format!("{USER}:{{PLAIN}}{PASSWORD}::::::\n"),
        )
        .map_err(io("write dovecot's users file"))?;
        for sub in ["run", "mail"] {
            fs::create_dir_all(dir.join(sub)).map_err(io(format!("create {sub}/")))?;
        }
        run(Command::new("chown")
            .arg("-R")
            .arg("mail:mail")
            .arg(dir.join("mail")))?;
        if let Some(key) = config.oauth2 {
            let keys = key.write_dictionary(&dir.join("oauth2-keys"))?;
            // No authorization server: the tokens are JWTs checked with the key, and their
            // `sub` claim must be the login name.
            let settings = format!(
                "introspection_mode = local\nlocal_validation_key_dict = fs:posix:prefix={}/\nusername_attribute = sub\n",
                keys.display()
            );
            fs::write(oauth2_settings_path(dir), settings)
                .map_err(io("write dovecot's OAuth2 settings"))?;
        }
        let conf = dir.join("dovecot.conf");
        fs::write(&conf, configuration(config)).map_err(io("write dovecot.conf"))?;
        let stderr_path = dir.join("dovecot.stderr");
        let stderr = fs::File::create(&stderr_path).map_err(io("create dovecot.stderr"))?;
        let child = Command::new(program)
            .arg("-F")
            .arg("-c")
            .arg(&conf)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .map_err(io("start dovecot"))?;
        let mut dovecot = Dovecot { child };
        let logs = [log_path(dir), stderr_path];
        let ports = config.ports;
        let mut all = vec![ports.imap, ports.pop3];
        if let Some((imaps, pop3s)) = ports.implicit_tls {
            all.extend([imaps, pop3s]);
        }
        Starting {
            what: "dovecot",
            child: &mut dovecot.child,
            logs: &logs,
        }
        .wait(READY_TIMEOUT, || {
            all.iter()
                .all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok())
        })?;
        Ok(dovecot)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        terminate(&mut self.child, Duration::from_secs(5));
    }
}

/// dovecot.conf for `config`.
fn configuration(config: &DovecotConfig) -> String {
    let d = config.dir.display();
    let ports = config.ports;
    // `ssl = required` refuses every login before STARTTLS whatever the mechanism, so a
    // server that offers logins before TLS needs `ssl = yes`.
    let tls = match config.certificate {
        None => "ssl = no\n".to_owned(),
        Some(files) => format!(
            "ssl = {}\nssl_cert = <{}\nssl_key = <{}\nssl_min_protocol = TLSv1.2\n",
            if config.auth_before_tls {
                "yes"
            } else {
                "required"
            },
            files.cert.display(),
            files.key.display()
        ),
    };
    let plaintext = if config.auth_before_tls { "no" } else { "yes" };
    let listener = |name: &str, port: u16, tls: bool| {
        let ssl = if tls { "    ssl = yes\n" } else { "" };
        format!(
            "  inet_listener {name} {{\n    address = 127.0.0.1\n    port = {port}\n{ssl}  }}\n"
        )
    };
    // With OAuth2 each passdb takes only its own mechanisms, so a token is never checked
    // as a password nor a password as a token.
    let (mechanisms, passdbs) = match config.oauth2 {
        None => (
            "plain login",
            format!("passdb {{\n  driver = passwd-file\n  args = {d}/users\n}}\n"),
        ),
        Some(_) => (
            "plain login oauthbearer xoauth2",
            format!(
                "passdb {{\n  driver = passwd-file\n  mechanisms = plain login\n  args = {d}/users\n}}\npassdb {{\n  driver = oauth2\n  mechanisms = oauthbearer xoauth2\n  args = {}\n}}\n",
                oauth2_settings_path(config.dir).display()
            ),
        ),
    };
    let mut imap = listener("imap", ports.imap, false);
    let mut pop3 = listener("pop3", ports.pop3, false);
    if let Some((imaps, pop3s)) = ports.implicit_tls {
        imap.push_str(&listener("imaps", imaps, true));
        pop3.push_str(&listener("pop3s", pop3s, true));
    }
    format!(
        "base_dir = {d}/run
state_dir = {d}/run
log_path = {d}/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
{tls}disable_plaintext_auth = {plaintext}
auth_mechanisms = {mechanisms}
auth_verbose = yes
mail_location = maildir:{d}/mail/%u
mail_uid = mail
mail_gid = mail
first_valid_uid = 8
{passdbs}userdb {{
  driver = static
  args = uid=mail gid=mail home={d}/mail/%u
}}
service imap-login {{
{imap}}}
service pop3-login {{
{pop3}}}
service auth {{
  unix_listener auth-postfix {{
    mode = 0666
  }}
}}
"
    )
}
