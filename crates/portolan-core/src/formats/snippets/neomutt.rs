//! NeoMutt (`neomuttrc`): IMAP (or POP3) for reading, SMTP for sending, TLS forced.

use super::{header, server_url};
use crate::formats::{check_line_value, FormatError, Settings};
use crate::model::Protocol;

/// Quotes for neomutt's double-quoted strings: backslash, quote, backtick and `$` escaped, so
/// nothing in the value is run or expanded.
fn nm_quoted(context: &'static str, value: &str) -> Result<String, FormatError> {
    check_line_value(context, value)?;
    let mut out = String::from("\"");
    for c in value.chars() {
        if matches!(c, '\\' | '"' | '`' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Ok(out)
}

/// Generates the neomutt settings.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let (incoming, outgoing) = settings.server_pair(None)?;
    let command = settings.checked_password_command()?;
    if command.contains('`') || command.contains('"') {
        return Err(FormatError::BadValue {
            context: "password command",
            value: command,
            why: "neomutt runs it inside \"`...`\", so it may not contain ` or \"",
        });
    }
    let secret = format!("\"`{command}`\"");
    let mut out = header("neomutt", settings, &command)?;
    if let Some(name) = &settings.real_name {
        out.push_str(&format!("set real_name = {}\n", nm_quoted("name", name)?));
    }
    out.push_str(&format!("set from = {}\n", nm_quoted("address", &address)?));
    let in_login = settings.login_for(incoming);
    let url = format!("{}/", server_url(settings, incoming));
    if incoming.protocol == Protocol::Pop3 {
        out.push_str(&format!(
            "set pop_user = {}\n",
            nm_quoted("user name", &in_login)?
        ));
        out.push_str(&format!("set pop_pass = {secret}\n"));
        out.push_str(&format!("set pop_host = \"{url}\"\n"));
        out.push_str("set pop_delete = no\n");
    } else {
        out.push_str(&format!(
            "set imap_user = {}\n",
            nm_quoted("user name", &in_login)?
        ));
        out.push_str(&format!("set imap_pass = {secret}\n"));
        out.push_str(&format!("set folder = \"{url}\"\n"));
        out.push_str("set spool_file = \"+INBOX\"\n");
        out.push_str("set record = \"+Sent\"\n");
        out.push_str("set postponed = \"+Drafts\"\n");
        out.push_str("set imap_check_subscribed = yes\n");
    }
    out.push_str(&format!(
        "set smtp_url = \"{}/\"\n",
        server_url(settings, outgoing)
    ));
    out.push_str(&format!("set smtp_pass = {secret}\n"));
    out.push_str("set ssl_force_tls = yes\nset ssl_starttls = yes\n");
    if let Some(file) = &settings.ca_file {
        out.push_str(&format!(
            "set ssl_ca_certificates_file = {}\n",
            nm_quoted("CA file", file)?
        ));
    }
    Ok(out)
}
