//! offlineimap (`~/.offlineimaprc`): IMAP to a local maildir. The password comes from
//! `remotepasseval`, a Python expression that runs the password command.

use super::{account_name, header};
use crate::formats::{check_line_value, FormatError, Settings};
use crate::model::{Protocol, Security};

/// A Python string literal (single-quoted, backslash and quote escaped).
fn python_string(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// Generates the offlineimap configuration with a maildir at `maildir` (`None`:
/// `~/Mail/<account>`).
pub fn generate_with_maildir(
    settings: &Settings,
    maildir: Option<&str>,
) -> Result<String, FormatError> {
    let server = settings.checked_incoming(Some(Protocol::Imap))?;
    let command = settings.checked_password_command()?;
    let login = settings.login_for(server);
    check_line_value("user name", &login)?;
    let name = account_name(settings);
    let folder = match maildir {
        Some(dir) => dir.to_string(),
        None => format!("~/Mail/{name}"),
    };
    check_line_value("maildir", &folder)?;
    let mut out = header("offlineimap", settings, &command)?;
    out.push_str(&format!("[general]\naccounts = {name}\n\n"));
    out.push_str(&format!(
        "[Account {name}]\nlocalrepository = {name}-local\nremoterepository = {name}-remote\n\n"
    ));
    out.push_str(&format!(
        "[Repository {name}-local]\ntype = Maildir\nlocalfolders = {folder}\n\n"
    ));
    out.push_str(&format!("[Repository {name}-remote]\ntype = IMAP\n"));
    out.push_str(&format!(
        "remotehost = {}\nremoteport = {}\n",
        server.host, server.port
    ));
    out.push_str(&format!("remoteuser = {login}\n"));
    out.push_str(&format!(
        "remotepasseval = __import__('subprocess').run({}, shell=True, check=True, capture_output=True, text=True).stdout.rstrip('\\n')\n",
        python_string(&command)
    ));
    match server.security {
        Security::Tls => out.push_str("ssl = yes\nstarttls = no\n"),
        _ => out.push_str("ssl = no\nstarttls = yes\n"),
    }
    match &settings.ca_file {
        Some(file) => {
            check_line_value("CA file", file)?;
            out.push_str(&format!("sslcacertfile = {file}\n"));
        }
        None => out.push_str("sslcacertfile = OS-DEFAULT\n"),
    }
    Ok(out)
}

/// Generates the snippet with the default maildir.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    generate_with_maildir(settings, None)
}
