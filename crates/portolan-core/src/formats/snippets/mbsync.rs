//! mbsync / isync (`~/.mbsyncrc`): IMAP to a local maildir. Uses the isync 1.4 spelling
//! (`SSLType`, `Far`/`Near`), which 1.5 still reads. With OAuth2, `AuthMechs XOAUTH2` and
//! `PassCmd` printing the access token: mbsync signs in through Cyrus SASL, which needs an
//! XOAUTH2 plug-in (Debian has one, libsasl2-modules-kdexoauth2, and none for OAUTHBEARER),
//! so mbsync gets XOAUTH2 whichever mechanism was asked for.

use super::{account_name, quoted, SignIn};
use crate::formats::{FormatError, Settings};
use crate::model::{Protocol, Security};

/// Generates the mbsync account, store and channel. `maildir` is the local folder; `None`
/// gives `~/Mail/<account>/`.
pub fn generate_with_maildir(
    settings: &Settings,
    maildir: Option<&str>,
) -> Result<String, FormatError> {
    let server = settings.checked_incoming(Some(Protocol::Imap))?;
    let sign_in = SignIn::of(settings)?;
    let name = account_name(settings);
    let path = match maildir {
        Some(dir) => format!("{}/", dir.trim_end_matches('/')),
        None => format!("~/Mail/{name}/"),
    };
    let mut out = sign_in.header("mbsync", settings, "XOAUTH2")?;
    if matches!(sign_in, SignIn::OAuth2(_)) {
        out.push_str(
            "# mbsync needs Cyrus SASL's XOAUTH2 plug-in for this (Debian: libsasl2-modules-kdexoauth2).\n\
             # \"IMAP wants more steps despite successful SASL authentication\" means that the server\n\
             # refused the token (get a fresh one); mbsync then waits until the server hangs up.\n",
        );
    }
    out.push_str(&format!("IMAPAccount {name}\n"));
    out.push_str(&format!("Host {}\n", server.host));
    out.push_str(&format!("Port {}\n", server.port));
    out.push_str(&format!(
        "User {}\n",
        quoted("user name", &settings.login_for(server))?
    ));
    out.push_str(&format!(
        "PassCmd {}\n",
        quoted(sign_in.command_context(), sign_in.command())?
    ));
    if matches!(sign_in, SignIn::OAuth2(_)) {
        out.push_str("AuthMechs XOAUTH2\n");
    }
    let tls = if server.security == Security::Tls {
        "IMAPS"
    } else {
        "STARTTLS"
    };
    out.push_str(&format!("SSLType {tls}\n"));
    out.push_str("SSLVersions TLSv1.2 TLSv1.3\n");
    match &settings.ca_file {
        Some(file) => out.push_str(&format!("CertificateFile {}\n", quoted("CA file", file)?)),
        None => out.push_str("CertificateFile /etc/ssl/certs/ca-certificates.crt\n"),
    }
    out.push_str(&format!("\nIMAPStore {name}-remote\nAccount {name}\n"));
    out.push_str(&format!(
        "\nMaildirStore {name}-local\nSubFolders Verbatim\nPath {}\nInbox {}\n",
        quoted("maildir", &path)?,
        quoted("maildir", &format!("{path}INBOX"))?
    ));
    out.push_str(&format!(
        "\nChannel {name}\nFar :{name}-remote:\nNear :{name}-local:\nPatterns *\nCreate Both\nExpunge None\nSyncState *\n"
    ));
    Ok(out)
}

/// Generates the snippet with the default maildir.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    generate_with_maildir(settings, None)
}
