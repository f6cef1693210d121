//! aerc (`~/.config/aerc/accounts.conf`): one account section. aerc reads IMAP only (no
//! POP3) and uses the system's trust store: it has no CA-file option, so for a private CA the
//! snippet says to run aerc with `SSL_CERT_FILE` (which Go, aerc's language, honours) or to
//! install the CA system-wide. With OAuth2 the URLs name the mechanism
//! (`imaps+oauthbearer://`, `smtps+xoauth2://`) and the `*-cred-cmd` commands print the
//! access token, which aerc uses as it is when the URL names no `token_endpoint`; the
//! outgoing token is fetched anew for each message (`outgoing-cred-cmd-cache = false`), as
//! tokens expire.

use super::{account_name, oauth2_server_url, quoted, server_url, SignIn};
use crate::formats::{check_line_value, FormatError, OAuth2Mechanism, Settings};
use crate::model::{Protocol, Security};

/// Generates the aerc account section.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let address = settings.address()?;
    let (incoming, outgoing) = settings.server_pair(Some(Protocol::Imap))?;
    let sign_in = SignIn::of(settings)?;
    let command = sign_in.command();
    check_line_value("address", &address)?;
    check_line_value("user name", &settings.login_for(incoming))?;
    check_line_value("user name", &settings.login_for(outgoing))?;
    let (source, target, mechanisms) = match &sign_in {
        SignIn::Password(_) => (
            server_url(settings, incoming),
            server_url(settings, outgoing),
            "",
        ),
        SignIn::OAuth2(token) => (
            oauth2_server_url(settings, incoming, token.mechanism),
            oauth2_server_url(settings, outgoing, token.mechanism),
            token.mechanism.sasl_name(),
        ),
    };
    let mut out = sign_in.header("aerc", settings, mechanisms)?;
    if let SignIn::OAuth2(token) = &sign_in {
        if token.mechanism == OAuth2Mechanism::OAuthBearer {
            out.push_str(
                "# Microsoft 365 accepts only XOAUTH2: for it, write +xoauth2 for +oauthbearer below.\n",
            );
        }
    }
    if let Some(ca) = &settings.ca_file {
        check_line_value("CA file", ca)?;
        out.push_str(&format!(
            "# aerc has no CA-file option: run it as SSL_CERT_FILE={ca} aerc, or install the CA system-wide.\n"
        ));
    }
    out.push_str(&format!("[{}]\n", account_name(settings)));
    out.push_str(&format!("source = {source}\n"));
    out.push_str(&format!("source-cred-cmd = {command}\n"));
    out.push_str(&format!("outgoing = {target}\n"));
    if outgoing.security == Security::Starttls {
        // aerc 0.14 (Debian 12) reads `smtp://` as plain SMTP unless told to use STARTTLS.
        out.push_str("smtp-starttls = true\n");
    }
    out.push_str(&format!("outgoing-cred-cmd = {command}\n"));
    if matches!(sign_in, SignIn::OAuth2(_)) {
        out.push_str("outgoing-cred-cmd-cache = false\n");
    }
    out.push_str("default = INBOX\n");
    let from = match &settings.real_name {
        Some(name) => format!("{} <{address}>", quoted("name", name)?),
        None => format!("<{address}>"),
    };
    out.push_str(&format!("from = {from}\n"));
    if settings.quirks.server_saves_sent {
        out.push_str(
            "# The provider files every sent message in its Sent folder by itself: no copy-to.\n",
        );
    } else {
        check_line_value("Sent folder", settings.sent_folder())?;
        out.push_str(&format!("copy-to = {}\n", settings.sent_folder()));
    }
    Ok(out)
}
