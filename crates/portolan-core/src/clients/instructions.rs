//! Rendering a client's steps with the chosen servers filled in.

use super::{Client, Delivery};
use crate::formats::{FormatError, Settings};
use crate::model::{AuthMethod, Candidate, Protocol, Security};

/// The first incoming candidate the client can use, best first.
fn incoming_for<'a>(client: &Client, settings: &'a Settings) -> Option<&'a Candidate> {
    settings.usable_incoming().find(|c| match c.protocol {
        Protocol::Imap => client.capabilities.imap,
        Protocol::Pop3 => client.capabilities.pop3,
        Protocol::Submission => false,
    })
}

/// The first outgoing candidate the client can use, best first; none for a client that only
/// reads mail (mbsync), which would not use one.
fn outgoing_for<'a>(client: &Client, settings: &'a Settings) -> Option<&'a Candidate> {
    if !client.capabilities.smtp {
        return None;
    }
    settings.usable_outgoing().find(|c| match c.security {
        Security::Tls => client.capabilities.smtp_implicit_tls,
        Security::Starttls => client.capabilities.starttls,
        Security::Plain => false,
    })
}

fn security_words(client: &Client, security: Security) -> &'static str {
    match security {
        Security::Tls => client.tls_words.0,
        Security::Starttls => client.tls_words.1,
        Security::Plain => "None",
    }
}

/// The authentication method to pick in a client for a server, in the words the client's
/// settings use: OAuth2 where both the server and the client can, otherwise the password
/// field, with an app password named when the account password does not work there.
fn auth_words(client: &Client, candidate: &Candidate) -> &'static str {
    let auth = &candidate.auth;
    let oauth2 = auth.contains(&AuthMethod::Oauth2);
    let password = auth.is_empty() || auth.contains(&AuthMethod::PasswordCleartext);
    if oauth2 && client.capabilities.oauth2 {
        "OAuth2"
    } else if password {
        "Normal password"
    } else if auth.contains(&AuthMethod::AppPassword) {
        "Normal password, and enter an app password (not your account password)"
    } else {
        "OAuth2, which this app cannot use with this provider: choose an app that supports OAuth2"
    }
}

/// Marks around a value the user types or picks, in [`marked_steps`]: private-use characters,
/// which no provider data and no step text contains.
pub const TOKEN_START: char = '\u{E000}';
pub const TOKEN_END: char = '\u{E001}';

/// The values a client's steps name, and the servers they come from.
struct StepValues<'a> {
    address: String,
    values: Vec<(&'static str, String)>,
    incoming: Option<&'a Candidate>,
    outgoing: Option<&'a Candidate>,
}

impl StepValues<'_> {
    /// `step` with its placeholders filled in; with `marked`, each value between
    /// [`TOKEN_START`] and [`TOKEN_END`].
    fn fill(&self, step: &str, marked: bool) -> String {
        let mut text = step.to_string();
        for (key, value) in &self.values {
            let value = if marked {
                format!("{TOKEN_START}{value}{TOKEN_END}")
            } else {
                value.clone()
            };
            text = text.replace(key, &value);
        }
        text
    }
}

fn step_values<'a>(client: &Client, settings: &'a Settings) -> Result<StepValues<'a>, FormatError> {
    let address = settings
        .input
        .address_unicode()
        .unwrap_or_else(|| format!("you@{}", settings.input.domain.unicode));
    let name = settings
        .real_name
        .clone()
        .unwrap_or_else(|| "Your Name".to_string());
    let incoming = incoming_for(client, settings);
    let outgoing = outgoing_for(client, settings);
    let needs_in = client.capabilities.imap || client.capabilities.pop3;
    if needs_in && incoming.is_none() {
        return Err(FormatError::NoServer("incoming"));
    }
    if client.capabilities.smtp && outgoing.is_none() {
        return Err(FormatError::NoServer("outgoing"));
    }
    let mut values: Vec<(&str, String)> = vec![("{address}", address.clone()), ("{name}", name)];
    if let Some(c) = incoming {
        values.extend([
            ("{in_protocol}", c.protocol.label().to_string()),
            ("{in_host}", c.host.clone()),
            ("{in_port}", c.port.to_string()),
            (
                "{in_security}",
                security_words(client, c.security).to_string(),
            ),
            ("{in_username}", settings.login_for(c)),
            ("{in_auth}", auth_words(client, c).to_string()),
        ]);
    }
    if let Some(c) = outgoing {
        values.extend([
            ("{out_host}", c.host.clone()),
            ("{out_port}", c.port.to_string()),
            (
                "{out_security}",
                security_words(client, c.security).to_string(),
            ),
            ("{out_username}", settings.login_for(c)),
            ("{out_auth}", auth_words(client, c).to_string()),
        ]);
    }
    Ok(StepValues {
        address,
        values,
        incoming,
        outgoing,
    })
}

/// The client's numbered steps with each value the user types or picks marked (see
/// [`TOKEN_START`]), for a page that shows them as an ordered list of copyable tokens.
pub fn marked_steps(client: &Client, settings: &Settings) -> Result<Vec<String>, FormatError> {
    let values = step_values(client, settings)?;
    Ok(client
        .steps()
        .iter()
        .map(|step| values.fill(step, true))
        .collect())
}

/// The instructions for one client: a title, numbered steps with the servers filled in, the
/// settings at a glance, and the client's notes. Plain text, deterministic.
pub fn instructions(client: &Client, settings: &Settings) -> Result<String, FormatError> {
    let values = step_values(client, settings)?;
    let (address, incoming, outgoing) = (&values.address, values.incoming, values.outgoing);
    let mut out = format!("Setting up {address} in {}\n", client.name);
    out.push_str(&"=".repeat(out.trim_end().chars().count()));
    out.push_str("\n\n");
    match client.delivery {
        Delivery::Autoconfig => out.push_str(
            "This client looks the settings up by itself when the provider publishes an autoconfig file; check what it finds against the settings below.\n\n",
        ),
        Delivery::Autodiscover => out.push_str(
            "This client asks Autodiscover for the settings; if that finds nothing, enter them by hand as below.\n\n",
        ),
        Delivery::Mobileconfig => out.push_str(
            "The easiest way is the configuration profile (portolan generate --format mobileconfig).\n\n",
        ),
        Delivery::ConfigFile(format) => out.push_str(&format!(
            "This client is set up with a configuration file: portolan generate {address} --format {format}\n\n"
        )),
        Delivery::ManualSteps => {}
    }
    let account_type = settings
        .apple_account_type
        .and_then(|types| match client.id {
            "apple-mail" => Some(types.macos),
            "ios-mail" => Some(types.ios),
            _ => None,
        });
    if let Some(account_type) = account_type {
        out.push_str(&format!(
            "For {}, choose {account_type} in the list of account types instead of entering \
             servers: it signs in through the provider's own page (OAuth2) and needs no server \
             settings. The steps below are for setting the account up by hand.\n\n",
            settings.display_name()
        ));
    }
    if let Some(enable) = settings.quirks.enable_first {
        out.push_str(&format!(
            "Before you start: {} ({})\n\n",
            enable.what, enable.url
        ));
    }
    for (number, step) in client.steps().iter().enumerate() {
        out.push_str(&format!("{}. {}\n", number + 1, values.fill(step, false)));
    }
    out.push_str("\nThe settings at a glance:\n");
    for (label, candidate) in [("Incoming", incoming), ("Outgoing", outgoing)] {
        if let Some(c) = candidate {
            out.push_str(&format!(
                "  {label}: {} {}:{} ({}), user name {}\n",
                c.protocol.label(),
                c.host,
                c.port,
                c.security.in_words(),
                settings.login_for(c)
            ));
        }
    }
    let needs_app_password = incoming
        .into_iter()
        .chain(outgoing)
        .any(|c| auth_words(client, c).contains("app password"));
    if let (true, Some(page)) = (needs_app_password, &settings.app_password_page) {
        out.push_str(&format!("\nMake the app password here: {page}\n"));
    }
    let quirks = &settings.quirks;
    if quirks.server_saves_sent || quirks.folders.is_some() || quirks.max_imap_connections.is_some()
    {
        out.push('\n');
    }
    if quirks.server_saves_sent {
        out.push_str(
            "Provider: it files every message you send in its Sent folder by itself; if the app \
             also saves a copy of sent messages, turn that off to avoid uploading each message twice.\n",
        );
    }
    if let Some(folders) = quirks.folders {
        out.push_str(&format!(
            "Provider: its folders are named {}, {}, {} and {} (apps that read the server's \
             folder roles find them by themselves).\n",
            folders.sent, folders.drafts, folders.trash, folders.junk
        ));
    }
    if let Some(limit) = quirks.max_imap_connections {
        out.push_str(&format!(
            "Provider: at most {limit} IMAP connections per account at once, over all your \
             devices and apps.\n"
        ));
    }
    if !client.notes().is_empty() {
        out.push('\n');
        for note in client.notes() {
            out.push_str(&format!("Note: {note}\n"));
        }
    }
    Ok(out)
}
