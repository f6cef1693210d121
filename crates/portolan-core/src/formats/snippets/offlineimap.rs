//! offlineimap (`~/.offlineimaprc`): IMAP to a local maildir. The password comes from
//! `remotepasseval`, a Python expression that runs the password command. With OAuth2,
//! `auth_mechanisms = XOAUTH2` (offlineimap has no OAUTHBEARER) and the access token from
//! `oauth2_access_token_eval`, the same kind of expression running the token command; with
//! an access token given, offlineimap needs no OAuth2 client id, secret or refresh token.

use super::{account_name, SignIn};
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
    let sign_in = SignIn::of(settings)?;
    let login = settings.login_for(server);
    check_line_value("user name", &login)?;
    let name = account_name(settings);
    let folder = match maildir {
        Some(dir) => dir.to_string(),
        None => format!("~/Mail/{name}"),
    };
    check_line_value("maildir", &folder)?;
    let mut out = sign_in.header("offlineimap", settings, "XOAUTH2")?;
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
    let run = format!(
        "__import__('subprocess').run({}, shell=True, check=True, capture_output=True, text=True).stdout.rstrip('\\n')",
        python_string(sign_in.command())
    );
    match sign_in {
        SignIn::Password(_) => out.push_str(&format!("remotepasseval = {run}\n")),
        SignIn::OAuth2(_) => {
            out.push_str("auth_mechanisms = XOAUTH2\n");
            out.push_str(&format!("oauth2_access_token_eval = {run}\n"));
        }
    }
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
