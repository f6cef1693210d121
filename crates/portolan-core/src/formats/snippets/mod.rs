//! Configuration snippets for terminal mail tools: neomutt, aerc, msmtp, mbsync, fetchmail and
//! offlineimap.
//!
//! API: one `generate(&Settings) -> Result<String, FormatError>` per tool module, and
//! [`generate`] by [`Tool`]. Passwords are never written: each snippet runs
//! [`Settings::password_command`] through the tool's own mechanism (neomutt backticks, aerc
//! `*-cred-cmd`, msmtp `passwordeval`, mbsync `PassCmd`, offlineimap `remotepasseval`;
//! fetchmail has none, so its snippet says to keep the password in `~/.netrc`).
//! With [`Settings::oauth2`] set, each snippet signs in with OAuth2 instead, through the
//! tool's own mechanism and a command that prints an access token (neomutt
//! `*_oauth_refresh_command`, aerc `+oauthbearer`/`+xoauth2` URLs with `*-cred-cmd`, msmtp
//! `auth oauthbearer` with `passwordeval`, mbsync `AuthMechs XOAUTH2` with `PassCmd`,
//! offlineimap `oauth2_access_token_eval`; fetchmail runs no command and Debian's has no
//! OAuth2, which its snippet says). [`SignIn`] is that choice, checked once for every tool.
//! [`Settings::ca_file`] becomes each tool's trust-file option (for self-hosted and test
//! servers); without it the system's trust store is used. Values that could break a
//! snippet's syntax (line breaks, control characters) are refused.

pub mod aerc;
pub mod fetchmail;
pub mod mbsync;
pub mod msmtp;
pub mod neomutt;
pub mod offlineimap;

use super::{FormatError, OAuth2Mechanism, Settings};
use crate::model::{AuthMethod, Candidate, Protocol, Security};

/// The tools snippets exist for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Neomutt,
    Aerc,
    Msmtp,
    Mbsync,
    Fetchmail,
    Offlineimap,
}

impl Tool {
    /// Every tool, in a stable order.
    pub const ALL: [Tool; 6] = [
        Tool::Neomutt,
        Tool::Aerc,
        Tool::Msmtp,
        Tool::Mbsync,
        Tool::Fetchmail,
        Tool::Offlineimap,
    ];

    /// The name used by `--format`.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Neomutt => "neomutt",
            Tool::Aerc => "aerc",
            Tool::Msmtp => "msmtp",
            Tool::Mbsync => "mbsync",
            Tool::Fetchmail => "fetchmail",
            Tool::Offlineimap => "offlineimap",
        }
    }

    /// Looks a tool up by its `--format` name.
    pub fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|tool| tool.name() == name)
    }
}

/// Generates the snippet for one tool.
pub fn generate(tool: Tool, settings: &Settings) -> Result<String, FormatError> {
    match tool {
        Tool::Neomutt => neomutt::generate(settings),
        Tool::Aerc => aerc::generate(settings),
        Tool::Msmtp => msmtp::generate(settings),
        Tool::Mbsync => mbsync::generate(settings),
        Tool::Fetchmail => fetchmail::generate(settings),
        Tool::Offlineimap => offlineimap::generate(settings),
    }
}

/// The `scheme://user@host:port` URL of a server, as neomutt and aerc read it: the scheme
/// ends in `s` for implicit TLS (`imaps`, `pops`, `smtps`), and the login is percent-encoded.
pub(crate) fn server_url(settings: &Settings, server: &Candidate) -> String {
    let scheme = match (server.protocol, server.security) {
        (Protocol::Imap, Security::Tls) => "imaps",
        (Protocol::Imap, _) => "imap",
        (Protocol::Pop3, Security::Tls) => "pops",
        (Protocol::Pop3, _) => "pop",
        (Protocol::Submission, Security::Tls) => "smtps",
        (Protocol::Submission, _) => "smtp",
    };
    format!(
        "{scheme}://{}@{}:{}",
        super::percent_encode(&settings.login_for(server)),
        server.host,
        server.port
    )
}

/// `scheme+mechanism://user@host:port`: [`server_url`] with an OAuth2 mechanism added to
/// the scheme, as aerc reads it (`imaps+oauthbearer://`, `smtp+xoauth2://`).
pub(crate) fn oauth2_server_url(
    settings: &Settings,
    server: &Candidate,
    mechanism: OAuth2Mechanism,
) -> String {
    server_url(settings, server).replacen("://", &format!("+{}://", mechanism.name()), 1)
}

/// A short account name made of the address's safe characters (`jane-example-com`).
pub(crate) fn account_name(settings: &Settings) -> String {
    let mut name = String::new();
    for c in settings.address_or_domain().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    name.trim_matches('-').to_string()
}

/// Double-quotes a value, escaping `\` and `"` (the convention msmtp, mbsync, fetchmail and
/// neomutt share), after refusing control characters.
pub(crate) fn quoted(context: &'static str, value: &str) -> Result<String, FormatError> {
    super::check_line_value(context, value)?;
    Ok(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// How a snippet signs in, with its command checked: what every tool module starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignIn {
    /// A password, printed by this command ([`Settings::checked_password_command`]).
    Password(String),
    /// OAuth2 ([`Settings::oauth2`]).
    OAuth2(TokenSource),
}

/// Where an OAuth2 snippet's access token comes from, and the mechanism asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TokenSource {
    /// The command that prints a current access token, checked for line breaks.
    pub(crate) command: String,
    /// True when Portolan chose the command (the `oama access` placeholder).
    pub(crate) placeholder: bool,
    /// The mechanism for tools that take one, tried first by tools that take a list.
    pub(crate) mechanism: OAuth2Mechanism,
}

impl SignIn {
    /// The sign-in `settings` ask for: OAuth2 when [`Settings::oauth2`] is set, otherwise
    /// the password command. A command holding a line break or control character is refused.
    pub(crate) fn of(settings: &Settings) -> Result<SignIn, FormatError> {
        match TokenSource::of(settings)? {
            Some(token) => Ok(SignIn::OAuth2(token)),
            None => Ok(SignIn::Password(settings.checked_password_command()?)),
        }
    }

    /// The command the tool runs: the password command or the token command.
    pub(crate) fn command(&self) -> &str {
        match self {
            SignIn::Password(command) => command,
            SignIn::OAuth2(token) => &token.command,
        }
    }

    /// What the command is called in error messages.
    pub(crate) fn command_context(&self) -> &'static str {
        match self {
            SignIn::Password(_) => "password command",
            SignIn::OAuth2(_) => "token command",
        }
    }

    /// The `#` comment the snippet starts with. `mechanisms` names what an OAuth2 snippet
    /// signs in with (`OAUTHBEARER`, `XOAUTH2`, or both for a tool that takes a list); a
    /// password snippet does not use it.
    pub(crate) fn header(
        &self,
        tool: &str,
        settings: &Settings,
        mechanisms: &str,
    ) -> Result<String, FormatError> {
        match self {
            SignIn::Password(command) => header(tool, settings, command),
            SignIn::OAuth2(token) => oauth2_header(tool, settings, token, mechanisms),
        }
    }
}

impl TokenSource {
    /// The OAuth2 token source `settings` ask for (`None` without [`Settings::oauth2`]): the
    /// given command or the placeholder, refused when it holds a line break or control
    /// character.
    pub(crate) fn of(settings: &Settings) -> Result<Option<TokenSource>, FormatError> {
        let Some(oauth2) = &settings.oauth2 else {
            return Ok(None);
        };
        let (command, placeholder) = match &oauth2.token_command {
            Some(command) => (command.clone(), false),
            None => (
                format!(
                    "{PLACEHOLDER_TOKEN_COMMAND} {}",
                    settings.address_or_domain()
                ),
                true,
            ),
        };
        super::check_line_value("token command", &command)?;
        Ok(Some(TokenSource {
            command,
            placeholder,
            mechanism: oauth2.mechanism,
        }))
    }
}

/// The token command an OAuth2 snippet gets when none was given, followed by the address:
/// oama's, a placeholder the header says to replace.
pub(crate) const PLACEHOLDER_TOKEN_COMMAND: &str = "oama access";

/// The `#` comment an OAuth2 snippet starts with: what it signs in with, that nothing secret
/// is stored, the token command, and for the placeholder, that it is one.
pub(crate) fn oauth2_header(
    tool: &str,
    settings: &Settings,
    token: &TokenSource,
    mechanisms: &str,
) -> Result<String, FormatError> {
    let who = settings.address_or_domain();
    super::check_line_value("address", &who)?;
    let mut out = format!(
        "# {tool} settings for {who}, generated by Portolan.\n# Sign-in is OAuth2 ({mechanisms}): nothing secret is stored here; the access token comes\n# from a command that prints a current one: {}\n",
        token.command
    );
    if token.placeholder {
        out.push_str(PLACEHOLDER_NOTE);
    }
    Ok(out)
}

/// The comment under a placeholder token command.
pub(crate) const PLACEHOLDER_NOTE: &str = "# That command is a placeholder: replace it with your OAuth2 helper's (oama,\n# mutt_oauth2.py, ...) once that helper is set up for this account.\n";

/// The `#` comment a snippet that runs a password command starts with; `command` is the
/// caller's [`Settings::checked_password_command`].
pub(crate) fn header(
    tool: &str,
    settings: &Settings,
    command: &str,
) -> Result<String, FormatError> {
    let who = settings.address_or_domain();
    super::check_line_value("address", &who)?;
    let mut out = format!(
        "# {tool} settings for {who}, generated by Portolan.\n# The password is never stored here: it comes from a command ({command}).\n"
    );
    if only_oauth2(settings) {
        super::check_line_value("provider", settings.display_name())?;
        out.push_str(&format!(
            "# {} accepts only OAuth2: this password variant will not sign in; generate the \
             OAuth2 variant instead (portolan generate --oauth2).\n",
            settings.display_name()
        ));
    } else if needs_app_password(settings) {
        super::check_line_value("provider", settings.display_name())?;
        out.push_str(&format!(
            "# {} does not accept your account password here: the command must print an app \
             password made in the account's security settings (or use --oauth2).\n",
            settings.display_name()
        ));
    }
    Ok(out)
}

/// True when the servers accept OAuth2 and nothing else (Outlook.com, Microsoft 365).
fn only_oauth2(settings: &Settings) -> bool {
    settings
        .usable_incoming()
        .chain(settings.usable_outgoing())
        .any(|server| AuthMethod::only_oauth2(&server.auth))
}

/// True when the servers accept an app password but not the account password (Gmail, Yahoo,
/// iCloud, …): the password variant of a snippet then needs an app password.
fn needs_app_password(settings: &Settings) -> bool {
    settings
        .usable_incoming()
        .chain(settings.usable_outgoing())
        .any(|server| AuthMethod::needs_app_password(&server.auth))
}
