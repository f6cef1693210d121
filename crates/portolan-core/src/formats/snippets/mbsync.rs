//! mbsync / isync (`~/.mbsyncrc`): IMAP to a local maildir. Uses the isync 1.4 spelling
//! (`SSLType`, `Far`/`Near`), which 1.5 still reads.

use super::{account_name, header, quoted};
use crate::formats::{FormatError, Settings};
use crate::model::{Protocol, Security};

/// Generates the mbsync account, store and channel. `maildir` is the local folder; `None`
/// gives `~/Mail/<account>/`.
pub fn generate_with_maildir(
    settings: &Settings,
    maildir: Option<&str>,
) -> Result<String, FormatError> {
    let server = settings.checked_incoming(Some(Protocol::Imap))?;
    let command = settings.checked_password_command()?;
    let name = account_name(settings);
    let path = match maildir {
        Some(dir) => format!("{}/", dir.trim_end_matches('/')),
        None => format!("~/Mail/{name}/"),
    };
    let mut out = header("mbsync", settings, &command)?;
    out.push_str(&format!("IMAPAccount {name}\n"));
    out.push_str(&format!("Host {}\n", server.host));
    out.push_str(&format!("Port {}\n", server.port));
    out.push_str(&format!(
        "User {}\n",
        quoted("user name", &settings.login_for(server))?
    ));
    out.push_str(&format!(
        "PassCmd {}\n",
        quoted("password command", &command)?
    ));
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
