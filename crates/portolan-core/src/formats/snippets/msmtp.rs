//! msmtp (`~/.config/msmtp/config`): sending only, through the best submission server. With
//! OAuth2, msmtp's own `auth oauthbearer` (or `xoauth2`) takes the access token from
//! `passwordeval`, the way msmtp's manual says to pass changing tokens in.

use super::{account_name, quoted, SignIn};
use crate::formats::{FormatError, OAuth2Mechanism, Settings};
use crate::model::Security;

/// Generates the msmtp account.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let server = settings.checked_outgoing()?;
    let sign_in = SignIn::of(settings)?;
    let name = account_name(settings);
    let (auth, mechanisms) = match &sign_in {
        SignIn::Password(_) => ("on", ""),
        SignIn::OAuth2(token) => (token.mechanism.name(), token.mechanism.sasl_name()),
    };
    let mut out = sign_in.header("msmtp", settings, mechanisms)?;
    if let SignIn::OAuth2(token) = &sign_in {
        if token.mechanism == OAuth2Mechanism::OAuthBearer {
            out.push_str(
                "# Microsoft 365 accepts only XOAUTH2: for it, write auth xoauth2 below.\n",
            );
        }
    }
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
    out.push_str(&format!("auth {auth}\n"));
    out.push_str(&format!(
        "user {}\n",
        quoted("user name", &settings.login_for(server))?
    ));
    // For OAuth2, msmtp hands what `passwordeval` prints to the mechanism as the token.
    out.push_str(&format!(
        "passwordeval {}\n",
        quoted(sign_in.command_context(), sign_in.command())?
    ));
    out.push_str(&format!("from {}\n", quoted("address", &address)?));
    out.push_str(&format!("\naccount default : {name}\n"));
    Ok(out)
}
