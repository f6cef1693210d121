//! msmtp (`~/.config/msmtp/config`): sending only, through the best submission server.

use super::{account_name, header, quoted};
use crate::formats::{FormatError, Settings};
use crate::model::Security;

/// Generates the msmtp account.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let server = settings.checked_outgoing()?;
    let command = settings.checked_password_command()?;
    let name = account_name(settings);
    let mut out = header("msmtp", settings, &command)?;
    out.push_str("defaults\ntls on\n");
    match &settings.ca_file {
        Some(file) => out.push_str(&format!("tls_trust_file {}\n", quoted("CA file", file)?)),
        None => out.push_str("tls_trust_file system\n"),
    }
    out.push('\n');
    out.push_str(&format!("account {name}\n"));
    out.push_str(&format!("host {}\n", server.host));
    out.push_str(&format!("port {}\n", server.port));
    let starttls = if server.security == Security::Starttls {
        "on"
    } else {
        "off"
    };
    out.push_str(&format!("tls_starttls {starttls}\n"));
    out.push_str("auth on\n");
    out.push_str(&format!(
        "user {}\n",
        quoted("user name", &settings.login_for(server))?
    ));
    out.push_str(&format!(
        "passwordeval {}\n",
        quoted("password command", &command)?
    ));
    out.push_str(&format!("from {}\n", quoted("address", &address)?));
    out.push_str(&format!("\naccount default : {name}\n"));
    Ok(out)
}
