//! fetchmail (`~/.fetchmailrc`): fetches from the best incoming server (IMAP or POP3), keeps
//! the mail on the server (`keep`), and checks the certificate (`sslcertck`). fetchmail has no
//! password command, so the password goes in `~/.netrc`, never in this file.

use super::{header, quoted};
use crate::formats::{check_host, FormatError, Settings};
use crate::model::{Protocol, Security};

/// Generates the fetchmail poll entry.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let server = settings
        .best_incoming()
        .ok_or(FormatError::NoServer("incoming"))?;
    check_host(&server.host)?;
    let login = settings.login_for(server);
    let mut out = header("fetchmail", settings, "#")?;
    out.push_str(&format!(
        "# Put the password in ~/.netrc (chmod 600): machine {} login {} password ...\n",
        server.host, login
    ));
    let protocol = match server.protocol {
        Protocol::Pop3 => "POP3",
        _ => "IMAP",
    };
    out.push_str(&format!(
        "poll {} protocol {protocol} port {}\n",
        server.host, server.port
    ));
    out.push_str(&format!("    user {}\n", quoted("user name", &login)?));
    match server.security {
        Security::Tls => out.push_str("    ssl\n"),
        _ => out.push_str("    sslproto tls1.2+\n"),
    }
    out.push_str("    sslcertck\n");
    if let Some(file) = &settings.ca_file {
        out.push_str(&format!("    sslcertfile {}\n", quoted("CA file", file)?));
    }
    out.push_str("    keep\n");
    Ok(out)
}
