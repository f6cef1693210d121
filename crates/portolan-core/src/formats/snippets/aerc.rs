//! aerc (`~/.config/aerc/accounts.conf`): one account section. aerc reads IMAP only (no
//! POP3) and uses the system's trust store: it has no CA-file option, so for a private CA the
//! snippet says to run aerc with `SSL_CERT_FILE` (which Go, aerc's language, honours) or to
//! install the CA system-wide.

use super::{account_name, header, url_userinfo};
use crate::formats::{check_line_value, FormatError, Settings};
use crate::model::{Protocol, Security};

/// Generates the aerc account section.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let (incoming, outgoing) = settings.server_pair(Some(Protocol::Imap))?;
    let command = settings.checked_password_command()?;
    check_line_value("address", &address)?;
    check_line_value("user name", &settings.login_for(incoming))?;
    check_line_value("user name", &settings.login_for(outgoing))?;
    let mut out = header("aerc", settings, "#")?;
    if settings.ca_file.is_some() {
        let ca = settings.ca_file.as_deref().unwrap_or_default();
        check_line_value("CA file", ca)?;
        out.push_str(&format!(
            "# aerc has no CA-file option: run it as SSL_CERT_FILE={ca} aerc, or install the CA system-wide.\n"
        ));
    }
    out.push_str(&format!("[{}]\n", account_name(settings)));
    let scheme = if incoming.security == Security::Tls {
        "imaps"
    } else {
        "imap"
    };
    out.push_str(&format!(
        "source = {scheme}://{}@{}:{}\n",
        url_userinfo(&settings.login_for(incoming)),
        incoming.host,
        incoming.port
    ));
    out.push_str(&format!("source-cred-cmd = {command}\n"));
    let scheme = if outgoing.security == Security::Tls {
        "smtps"
    } else {
        "smtp"
    };
    out.push_str(&format!(
        "outgoing = {scheme}://{}@{}:{}\n",
        url_userinfo(&settings.login_for(outgoing)),
        outgoing.host,
        outgoing.port
    ));
    out.push_str(&format!("outgoing-cred-cmd = {command}\n"));
    out.push_str("default = INBOX\n");
    let from = match &settings.real_name {
        Some(name) => {
            check_line_value("name", name)?;
            format!(
                "\"{}\" <{address}>",
                name.replace('\\', "\\\\").replace('"', "\\\"")
            )
        }
        None => format!("<{address}>"),
    };
    out.push_str(&format!("from = {from}\n"));
    out.push_str("copy-to = Sent\n");
    Ok(out)
}
