//! aerc (`~/.config/aerc/accounts.conf`): one account section. aerc reads IMAP only (no
//! POP3) and uses the system's trust store: it has no CA-file option, so for a private CA the
//! snippet says to run aerc with `SSL_CERT_FILE` (which Go, aerc's language, honours) or to
//! install the CA system-wide.

use super::{account_name, header, quoted, server_url};
use crate::formats::{check_line_value, FormatError, Settings};
use crate::model::Protocol;

/// Generates the aerc account section.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let (incoming, outgoing) = settings.server_pair(Some(Protocol::Imap))?;
    let command = settings.checked_password_command()?;
    check_line_value("address", &address)?;
    check_line_value("user name", &settings.login_for(incoming))?;
    check_line_value("user name", &settings.login_for(outgoing))?;
    let mut out = header("aerc", settings, &command)?;
    if let Some(ca) = &settings.ca_file {
        check_line_value("CA file", ca)?;
        out.push_str(&format!(
            "# aerc has no CA-file option: run it as SSL_CERT_FILE={ca} aerc, or install the CA system-wide.\n"
        ));
    }
    out.push_str(&format!("[{}]\n", account_name(settings)));
    out.push_str(&format!("source = {}\n", server_url(settings, incoming)));
    out.push_str(&format!("source-cred-cmd = {command}\n"));
    out.push_str(&format!("outgoing = {}\n", server_url(settings, outgoing)));
    out.push_str(&format!("outgoing-cred-cmd = {command}\n"));
    out.push_str("default = INBOX\n");
    let from = match &settings.real_name {
        Some(name) => format!("{} <{address}>", quoted("name", name)?),
        None => format!("<{address}>"),
    };
    out.push_str(&format!("from = {from}\n"));
    out.push_str("copy-to = Sent\n");
    Ok(out)
}
