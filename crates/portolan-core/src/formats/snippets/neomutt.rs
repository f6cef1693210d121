//! NeoMutt (`neomuttrc`): IMAP (or POP3) for reading, SMTP for sending, TLS forced. With
//! OAuth2, NeoMutt's own OAUTHBEARER and XOAUTH2 (`*_authenticators`, the asked-for one
//! first) with `*_oauth_refresh_command` printing the access token; for POP3 NeoMutt has
//! OAUTHBEARER only.

use super::{server_url, SignIn, TokenSource};
use crate::formats::{check_line_value, FormatError, OAuth2Mechanism, Settings};
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

/// The settings that make one of NeoMutt's protocols (`imap`, `pop`, `smtp`) sign in: the
/// password from the command in backticks, or OAuth2 with the token command.
fn sign_in_lines(protocol: &str, sign_in: &SignIn) -> Result<String, FormatError> {
    match sign_in {
        SignIn::Password(command) => Ok(format!("set {protocol}_pass = \"`{command}`\"\n")),
        SignIn::OAuth2(token) => {
            let authenticators = authenticators(protocol, token);
            Ok(format!(
                "set {protocol}_authenticators = \"{authenticators}\"\nset {protocol}_oauth_refresh_command = {}\n",
                nm_quoted("token command", &token.command)?
            ))
        }
    }
}

/// The OAuth2 mechanisms NeoMutt may use, colon-separated, the asked-for one first; POP3 has
/// OAUTHBEARER only (NeoMutt's manual: XOAUTH2 is not implemented for POP).
fn authenticators(protocol: &str, token: &TokenSource) -> String {
    if protocol == "pop" {
        return OAuth2Mechanism::OAuthBearer.name().to_string();
    }
    format!(
        "{}:{}",
        token.mechanism.name(),
        token.mechanism.other().name()
    )
}

/// Generates the neomutt settings.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let (incoming, outgoing) = settings.server_pair(None)?;
    let sign_in = SignIn::of(settings)?;
    if let SignIn::Password(command) = &sign_in {
        if command.contains('`') || command.contains('"') {
            return Err(FormatError::BadValue {
                context: "password command",
                value: command.clone(),
                why: "neomutt runs it inside \"`...`\", so it may not contain ` or \"",
            });
        }
    }
    let mechanisms = match &sign_in {
        SignIn::Password(_) => String::new(),
        SignIn::OAuth2(token) => format!(
            "{} or {}",
            token.mechanism.sasl_name(),
            token.mechanism.other().sasl_name()
        ),
    };
    let mut out = sign_in.header("neomutt", settings, &mechanisms)?;
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
        out.push_str(&sign_in_lines("pop", &sign_in)?);
        out.push_str(&format!("set pop_host = \"{url}\"\n"));
        out.push_str("set pop_delete = no\n");
    } else {
        out.push_str(&format!(
            "set imap_user = {}\n",
            nm_quoted("user name", &in_login)?
        ));
        out.push_str(&sign_in_lines("imap", &sign_in)?);
        out.push_str(&format!("set folder = \"{url}\"\n"));
        out.push_str("set spool_file = \"+INBOX\"\n");
        if settings.quirks.server_saves_sent {
            out.push_str(
                "# The provider files every sent message in its Sent folder by itself.\nunset record\n",
            );
        } else {
            out.push_str(&format!(
                "set record = {}\n",
                nm_quoted("Sent folder", &format!("+{}", settings.sent_folder()))?
            ));
        }
        out.push_str(&format!(
            "set postponed = {}\n",
            nm_quoted("Drafts folder", &format!("+{}", settings.drafts_folder()))?
        ));
        out.push_str("set imap_check_subscribed = yes\n");
    }
    out.push_str(&format!(
        "set smtp_url = \"{}/\"\n",
        server_url(settings, outgoing)
    ));
    out.push_str(&sign_in_lines("smtp", &sign_in)?);
    out.push_str("set ssl_force_tls = yes\nset ssl_starttls = yes\n");
    if let Some(file) = &settings.ca_file {
        out.push_str(&format!(
            "set ssl_ca_certificates_file = {}\n",
            nm_quoted("CA file", file)?
        ));
    }
    Ok(out)
}
