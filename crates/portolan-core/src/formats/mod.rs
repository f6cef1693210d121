//! File formats Portolan reads and writes: Mozilla autoconfig, Microsoft Autodiscover (POX),
//! Apple .mobileconfig, DNS zone lines, and configuration snippets for terminal clients.
//!
//! Readers ([`autoconfig::parse`], [`autodiscover::parse`]) turn a file into a faithful data
//! model that keeps the raw strings, so a linter can say exactly what a file contains.
//! Writers take [`Settings`] (the chosen servers, best first) and produce the exact text of a
//! file. All of them are pure and deterministic; the same input gives the same bytes.

pub mod autoconfig;
pub mod autodiscover;
pub mod dns_zone;
pub mod mobileconfig;
pub mod pacc;
pub mod snippets;
pub mod xml;

use thiserror::Error;

use crate::address::MailInput;
use crate::knowledge::{AppleAccountType, Quirks, NO_QUIRKS};
use crate::model::{
    url_parts, Candidate, OfferedService, Protocol, Security, ServiceEndpoint, UrlParts,
    UsernameForm,
};

/// Everything that can go wrong reading or writing a file format.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    /// The text is not well-formed XML.
    #[error("The file is not well-formed XML: {0}")]
    Xml(String),
    /// The XML is well-formed but its root element is not the one the format needs.
    #[error("This is not {expected}: the root element is <{found}>.")]
    WrongRoot {
        expected: &'static str,
        found: String,
    },
    /// A structural part the format cannot do without is missing.
    #[error("The file has no {0}.")]
    Missing(&'static str),
    /// A character XML 1.0 does not allow (a control character, say) in a value to be written.
    #[error("The {context} contains the character U+{code:04X}, which XML 1.0 does not allow; remove it (control characters cannot be written into XML or .mobileconfig files).")]
    ForbiddenCharacter { context: String, code: u32 },
    /// A value that would break the generated file's syntax (a newline in a host name, say).
    #[error("The {context} {value:?} cannot be written into this format: {why}")]
    BadValue {
        context: &'static str,
        value: String,
        why: &'static str,
    },
    /// The settings lack a server the format needs.
    #[error("There is no usable {0} server to write (plain-text servers are never written).")]
    NoServer(&'static str),
    /// The settings are for a bare domain, but this format is written for one address.
    #[error("This format is written for one person: give an email address, not just a domain.")]
    NeedsAddress,
}

/// What the writers need: for whom, and which servers, best first.
///
/// Build it from the engine's recommendation (the recommended server first, then the ranked
/// alternatives). Writers skip plain-text candidates: Portolan never writes a setting that
/// would send a password in the clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The address (or bare domain, for provider-side files like autoconfig and DNS zones).
    pub input: MailInput,
    /// The provider's or organisation's name, for display names; the domain when `None`.
    pub provider_name: Option<String>,
    /// The knowledge base's id of the provider, when it is known (`gmail.com`).
    pub provider_id: Option<String>,
    /// The provider's own account type in Apple Mail, for the instructions.
    pub apple_account_type: Option<AppleAccountType>,
    /// The provider's page for making an app password, for the instructions and snippets.
    pub app_password_page: Option<String>,
    /// The user's own name, for the `From:` line in snippets.
    pub real_name: Option<String>,
    /// Incoming servers (IMAP and POP3), best first.
    pub incoming: Vec<Candidate>,
    /// Outgoing (submission) servers, best first.
    pub outgoing: Vec<Candidate>,
    /// Documentation links for autoconfig: (URL, description).
    pub documentation: Vec<(String, String)>,
    /// A CA certificate file the snippets should trust (self-hosted and test servers).
    pub ca_file: Option<String>,
    /// The shell command that prints the password, for snippets; `None` gives
    /// `pass show email/<address>`. Passwords are never written into generated files.
    pub password_command: Option<String>,
    /// OAuth2 sign-in for the snippets, instead of a password; `None` (the default) keeps
    /// the password command. The other formats do not read it.
    pub oauth2: Option<OAuth2>,
    /// What the provider does differently (from the knowledge base): the snippets follow its
    /// sent-mail and folder rules, the instructions and autoconfig say what to switch on first.
    pub quirks: Quirks,
    /// The provider's OAuth2 endpoints, for autoconfig 1.2's `<oAuth2>` element.
    pub oauth2_endpoints: Option<autoconfig::OAuth2Endpoints>,
    /// What the account also offers (JMAP, CalDAV, CardDAV, ...): autoconfig 1.2, the
    /// `.mobileconfig` and the DNS zone lines write the ones they know.
    pub services: Vec<OfferedService>,
}

/// OAuth2 sign-in for the terminal snippets: each tool gets an access token from a command
/// and signs in with its own OAuth2 mechanism, so nothing secret is written and no password
/// is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth2 {
    /// The shell command that prints a current access token (an OAuth2 helper such as oama);
    /// `None` gives the placeholder `oama access <address>`, which the snippet's header
    /// says to replace.
    pub token_command: Option<String>,
    /// The mechanism for the tools that take exactly one (msmtp, aerc); the tools that take
    /// a list get both, this one first, and a tool that can do only one gets that one.
    pub mechanism: OAuth2Mechanism,
}

/// The two SASL mechanisms that carry an OAuth2 access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OAuth2Mechanism {
    /// OAUTHBEARER, the standard one (RFC 7628).
    #[default]
    OAuthBearer,
    /// XOAUTH2, Google's older one; the only one Microsoft 365 accepts.
    XOAuth2,
}

impl OAuth2Mechanism {
    /// Both mechanisms, in a stable order.
    pub const ALL: [OAuth2Mechanism; 2] = [OAuth2Mechanism::OAuthBearer, OAuth2Mechanism::XOAuth2];

    /// The name in lower case, as the tools' settings and `--oauth2-mechanism` spell it.
    pub fn name(self) -> &'static str {
        match self {
            OAuth2Mechanism::OAuthBearer => "oauthbearer",
            OAuth2Mechanism::XOAuth2 => "xoauth2",
        }
    }

    /// The SASL name (upper case), as servers announce it.
    pub fn sasl_name(self) -> &'static str {
        match self {
            OAuth2Mechanism::OAuthBearer => "OAUTHBEARER",
            OAuth2Mechanism::XOAuth2 => "XOAUTH2",
        }
    }

    /// Looks a mechanism up by its lower-case name.
    pub fn from_name(name: &str) -> Option<OAuth2Mechanism> {
        OAuth2Mechanism::ALL
            .into_iter()
            .find(|mechanism| mechanism.name() == name)
    }

    /// The other mechanism: the one a tool that takes a list tries second.
    pub fn other(self) -> OAuth2Mechanism {
        match self {
            OAuth2Mechanism::OAuthBearer => OAuth2Mechanism::XOAuth2,
            OAuth2Mechanism::XOAuth2 => OAuth2Mechanism::OAuthBearer,
        }
    }
}

impl Settings {
    /// Settings with only the address and servers; the rest empty.
    pub fn new(input: MailInput, incoming: Vec<Candidate>, outgoing: Vec<Candidate>) -> Self {
        Settings {
            input,
            provider_name: None,
            provider_id: None,
            apple_account_type: None,
            app_password_page: None,
            real_name: None,
            incoming,
            outgoing,
            documentation: Vec::new(),
            ca_file: None,
            password_command: None,
            oauth2: None,
            quirks: NO_QUIRKS,
            oauth2_endpoints: None,
            services: Vec::new(),
        }
    }

    /// The Sent folder's name on the server, as the snippets name it.
    pub fn sent_folder(&self) -> &str {
        self.quirks.folders.map_or("Sent", |folders| folders.sent)
    }

    /// The Drafts folder's name on the server, as the snippets name it.
    pub fn drafts_folder(&self) -> &str {
        self.quirks
            .folders
            .map_or("Drafts", |folders| folders.drafts)
    }

    /// The name to show for the account or provider.
    pub fn display_name(&self) -> &str {
        self.provider_name
            .as_deref()
            .unwrap_or(self.input.domain.unicode.as_str())
    }

    /// Incoming servers that may be written (never plain text), best first.
    pub fn usable_incoming(&self) -> impl Iterator<Item = &Candidate> {
        self.incoming
            .iter()
            .filter(|c| c.security != Security::Plain && c.protocol != Protocol::Submission)
    }

    /// Outgoing servers that may be written (never plain text), best first.
    pub fn usable_outgoing(&self) -> impl Iterator<Item = &Candidate> {
        self.outgoing
            .iter()
            .filter(|c| c.security != Security::Plain && c.protocol == Protocol::Submission)
    }

    /// The services the writers may put into files: the first of each kind the settings name
    /// over HTTPS with a valid host name, with its URL's parts (never a plain-HTTP one).
    pub fn https_services(&self) -> Vec<(&OfferedService, UrlParts<'_>)> {
        let mut found: Vec<(&OfferedService, UrlParts<'_>)> = Vec::new();
        for service in &self.services {
            let ServiceEndpoint::Url { url } = &service.endpoint else {
                continue;
            };
            let Some(parts) = url_parts(url).filter(|parts| {
                parts.scheme.eq_ignore_ascii_case("https") && check_host(parts.host).is_ok()
            }) else {
                continue;
            };
            if !found
                .iter()
                .any(|(seen, _)| seen.service == service.service)
            {
                found.push((service, parts));
            }
        }
        found
    }

    /// The best incoming server of one protocol.
    pub fn first_incoming(&self, protocol: Protocol) -> Option<&Candidate> {
        self.usable_incoming().find(|c| c.protocol == protocol)
    }

    /// The best incoming server (IMAP or POP3, whichever ranks first).
    pub fn best_incoming(&self) -> Option<&Candidate> {
        self.usable_incoming().next()
    }

    /// The best outgoing server.
    pub fn best_outgoing(&self) -> Option<&Candidate> {
        self.usable_outgoing().next()
    }

    /// The incoming server (the best one of `protocol`, or the best of any), with its host
    /// name checked.
    pub fn checked_incoming(&self, protocol: Option<Protocol>) -> Result<&Candidate, FormatError> {
        let incoming = match protocol {
            Some(protocol) => self
                .first_incoming(protocol)
                .ok_or(FormatError::NoServer(protocol.label()))?,
            None => self
                .best_incoming()
                .ok_or(FormatError::NoServer("incoming"))?,
        };
        check_host(&incoming.host)?;
        Ok(incoming)
    }

    /// The best outgoing server, with its host name checked.
    pub fn checked_outgoing(&self) -> Result<&Candidate, FormatError> {
        let outgoing = self
            .best_outgoing()
            .ok_or(FormatError::NoServer("outgoing"))?;
        check_host(&outgoing.host)?;
        Ok(outgoing)
    }

    /// [`Settings::checked_incoming`] and [`Settings::checked_outgoing`]: where one-account
    /// writers start.
    pub fn server_pair(
        &self,
        protocol: Option<Protocol>,
    ) -> Result<(&Candidate, &Candidate), FormatError> {
        Ok((self.checked_incoming(protocol)?, self.checked_outgoing()?))
    }

    /// The command that prints the password (`pass show email/<address>` unless one was
    /// given), refused when it holds a line break or control character (it would start a new
    /// directive in a line-oriented config file).
    pub fn checked_password_command(&self) -> Result<String, FormatError> {
        let command = match &self.password_command {
            Some(command) => command.clone(),
            None => format!("pass show email/{}", self.address_or_domain()),
        };
        check_line_value("password command", &command)?;
        Ok(command)
    }

    /// The login name for a candidate, with the placeholders filled in from the address. For
    /// a bare domain the autoconfig placeholder is returned unchanged.
    pub fn login_for(&self, candidate: &Candidate) -> String {
        self.login(&candidate.username)
    }

    /// The login a user-name form gives for this address (placeholders filled in).
    pub fn login(&self, form: &UsernameForm) -> String {
        autoconfig::substitute_placeholders(&username_template(form), &self.input)
    }

    /// The address in ASCII form, or the domain for a bare domain: whom a file is for.
    pub fn address_or_domain(&self) -> String {
        self.input
            .address_ascii()
            .unwrap_or_else(|| self.input.domain.ascii.clone())
    }

    /// The address in ASCII form, or an error for a bare domain.
    pub fn address(&self) -> Result<String, FormatError> {
        self.input.address_ascii().ok_or(FormatError::NeedsAddress)
    }
}

/// The autoconfig placeholder (or literal) for a username form.
pub fn username_template(form: &UsernameForm) -> String {
    match form {
        UsernameForm::EmailAddress => autoconfig::PLACEHOLDER_ADDRESS.to_string(),
        UsernameForm::LocalPart => autoconfig::PLACEHOLDER_LOCAL_PART.to_string(),
        UsernameForm::Other(raw) => raw.clone(),
    }
}

/// The username form a template names: the two well-known placeholders, or the raw text.
pub fn username_form(template: &str) -> UsernameForm {
    match template.trim() {
        autoconfig::PLACEHOLDER_ADDRESS => UsernameForm::EmailAddress,
        autoconfig::PLACEHOLDER_LOCAL_PART => UsernameForm::LocalPart,
        other => UsernameForm::Other(other.to_string()),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for a URL query value or
/// user-info part.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A port as written in a file: a number from 1 to 65535 (white space around it ignored).
pub(crate) fn parse_port(raw: Option<&str>) -> Option<u16> {
    raw.and_then(|raw| raw.trim().parse::<u16>().ok())
        .filter(|port| *port != 0)
}

/// Checks that a value going into a line-oriented config file holds no line break or other
/// control character, which would let it start a new directive.
pub(crate) fn check_line_value(context: &'static str, value: &str) -> Result<(), FormatError> {
    if value.chars().any(char::is_control) {
        return Err(FormatError::BadValue {
            context,
            value: value.to_string(),
            why: "it contains a line break or control character",
        });
    }
    Ok(())
}

/// Checks that a host name is a plain ASCII DNS name (letters, digits, `-`, `.`) or an IP
/// literal, so it is safe to write unquoted anywhere.
/// A host name as a file wrote it, in the form candidates carry: trimmed, without the final
/// dot, lower case.
pub(crate) fn host_as_written(raw: &str) -> String {
    raw.trim().trim_end_matches('.').to_ascii_lowercase()
}

pub(crate) fn check_host(host: &str) -> Result<(), FormatError> {
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'));
    if ok {
        Ok(())
    } else {
        Err(FormatError::BadValue {
            context: "host name",
            value: host.to_string(),
            why: "a host name may hold only ASCII letters, digits, '-' and '.' (use the ASCII form of internationalised names)",
        })
    }
}
