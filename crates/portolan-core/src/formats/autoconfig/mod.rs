//! Mozilla autoconfig (`clientConfig` versions 1.1 and 1.2, draft-ietf-mailmaint-autoconfig):
//! a faithful reader, a writer, and the generator Portolan uses for providers.
//!
//! API:
//! - [`parse`]`(&str) -> Result<ClientConfig, FormatError>` reads a file of any version into
//!   [`ClientConfig`]. Raw strings are kept (`socket_type_raw`, `server_type_raw`, `port_raw`,
//!   `username`, each [`Authentication`] with its `system`), next to parsed forms
//!   ([`SocketType`], [`ServerType`], `port()`), so a linter can quote the file and discovery
//!   can build candidates. Unknown elements, attributes and values are ignored, never an error
//!   (the draft's must-ignore rule), and no file is rejected for its version number.
//! - [`Server::to_candidate`] turns one mail server into a [`Candidate`] (`None` for a server
//!   type that is not IMAP, POP3 or SMTP); [`Server::to_service`] turns a JMAP, CalDAV,
//!   CardDAV, ManageSieve or Microsoft server into an [`OfferedService`].
//! - [`substitute_placeholders`] fills `%EMAILADDRESS%`, `%EMAILLOCALPART%` and
//!   `%EMAILDOMAIN%` from an address; the model keeps them raw.
//! - [`write`] prints any [`ClientConfig`] exactly (used by conversion); [`generate`] builds
//!   one from [`Settings`] in the version asked for, with Portolan's rules: never a `plain`
//!   server, every server has a `<username>`, the `emailProvider id` is a host name,
//!   documentation links kept; version 1.2 adds the `<oAuth2>` element and the services.
//!
//! References: <https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat> (1.1)
//! and draft-ietf-mailmaint-autoconfig-06 (1.2).

mod read;
mod write;

pub use read::parse;
pub use write::{from_settings, generate, server_type_name, write};

use super::{host_as_written, parse_port, username_form};
use crate::address::MailInput;
use crate::model::{
    AuthMethod, Candidate, OfferedService, Protocol, Security, ServiceEndpoint, ServiceKind, Source,
};

/// The placeholder for the whole address.
pub const PLACEHOLDER_ADDRESS: &str = "%EMAILADDRESS%";
/// The placeholder for the part before the `@`.
pub const PLACEHOLDER_LOCAL_PART: &str = "%EMAILLOCALPART%";
/// The placeholder for the domain.
pub const PLACEHOLDER_DOMAIN: &str = "%EMAILDOMAIN%";
/// The MIME type autoconfig files are served with.
pub const CONTENT_TYPE: &str = "text/xml";

/// The versions of the format Portolan writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Version {
    /// Version 1.1, what today's clients (Thunderbird, K-9/Thunderbird for Android, Evolution,
    /// KMail) read: the default.
    #[default]
    V1_1,
    /// Version 1.2 (draft-ietf-mailmaint-autoconfig): the `<oAuth2>` element, JMAP, CalDAV,
    /// CardDAV and ManageSieve sections.
    V1_2,
}

impl Version {
    /// Both versions, oldest first.
    pub const ALL: [Version; 2] = [Version::V1_1, Version::V1_2];

    /// The `version` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_1 => "1.1",
            Version::V1_2 => "1.2",
        }
    }

    /// Looks a version up by its attribute value.
    pub fn from_name(name: &str) -> Option<Version> {
        Version::ALL.into_iter().find(|v| v.as_str() == name.trim())
    }
}

/// A whole autoconfig file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientConfig {
    /// The `version` attribute of `<clientConfig>` (`1.1` or `1.2`).
    pub version: Option<String>,
    /// The `<emailProvider>` elements; real files have exactly one.
    pub providers: Vec<EmailProvider>,
    /// The `<oAuth2>` element next to the provider: where a client gets a token.
    pub oauth2: Option<OAuth2Endpoints>,
    /// The server sections at the root (1.2): `<calendar>`, `<addressbook>`, `<fileShare>`,
    /// `<chatServer>`, `<videoConference>`, `<setupServer>`, in file order.
    pub sections: Vec<RootSection>,
    /// The `url` of `<clientConfigUpdate>` (1.2): where the client re-reads this file.
    pub update_url: Option<String>,
}

/// The `<oAuth2>` element: the provider's OAuth2 issuer, scopes and endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth2Endpoints {
    pub issuer: Option<String>,
    /// Space-separated scopes, as written.
    pub scope: Option<String>,
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
    /// The client id to use (1.2); `open` or absent for any client.
    pub client_id: Option<String>,
    /// A client secret (1.2), for providers that insist on one.
    pub client_secret: Option<String>,
}

/// An `<enable visiturl="...">` element: what the user must switch on in the provider's web
/// settings before mail clients may connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enable {
    pub visit_url: Option<String>,
    pub instructions: Vec<LocalizedText>,
}

/// Text with an optional `lang` attribute (`displayName`, `descr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalizedText {
    pub lang: Option<String>,
    pub text: String,
}

/// One `<emailProvider>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmailProvider {
    /// The `id` attribute, which should be a host name (Thunderbird for Android insists).
    pub id: Option<String>,
    /// The `<domain>` elements without a `purpose`, in file order: the addresses' domains.
    pub domains: Vec<String>,
    /// The `<domain purpose="mx">` elements (1.2): the provider's MX domains.
    pub mx_domains: Vec<String>,
    /// `<domain>` elements with a `purpose` the draft does not define: (purpose, domain).
    pub other_purpose_domains: Vec<(String, String)>,
    pub display_names: Vec<LocalizedText>,
    pub display_short_names: Vec<LocalizedText>,
    pub incoming: Vec<Server>,
    pub outgoing: Vec<Server>,
    /// What to switch on first (`<enable>`), in file order.
    pub enable: Vec<Enable>,
    pub documentation: Vec<Documentation>,
}

/// A `<documentation url="...">` link with its descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documentation {
    pub url: String,
    pub descriptions: Vec<LocalizedText>,
}

/// The root-level server section elements of version 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionElement {
    Calendar,
    Addressbook,
    FileShare,
    ChatServer,
    VideoConference,
    SetupServer,
}

impl SectionElement {
    /// Every root section element, in the order the writer puts them.
    pub const ALL: [SectionElement; 6] = [
        SectionElement::Calendar,
        SectionElement::Addressbook,
        SectionElement::FileShare,
        SectionElement::ChatServer,
        SectionElement::VideoConference,
        SectionElement::SetupServer,
    ];

    /// The element name as the draft's schema writes it.
    pub fn name(self) -> &'static str {
        match self {
            SectionElement::Calendar => "calendar",
            SectionElement::Addressbook => "addressbook",
            SectionElement::FileShare => "fileShare",
            SectionElement::ChatServer => "chatServer",
            SectionElement::VideoConference => "videoConference",
            SectionElement::SetupServer => "setupServer",
        }
    }

    /// The element for a name; the case of letters does not matter (the draft's own sample
    /// writes `addressBook`, its schema `addressbook`).
    pub fn from_name(name: &str) -> Option<SectionElement> {
        SectionElement::ALL
            .into_iter()
            .find(|element| element.name().eq_ignore_ascii_case(name))
    }

    /// The server types the draft registers for this element.
    pub fn expected_types(self) -> &'static [ServerType] {
        match self {
            SectionElement::Calendar => &[ServerType::CalDav],
            SectionElement::Addressbook => &[ServerType::CardDav],
            SectionElement::FileShare => &[ServerType::WebDav],
            SectionElement::ChatServer => {
                &[ServerType::Xmpp, ServerType::XmppTcp, ServerType::Matrix]
            }
            SectionElement::VideoConference => &[],
            SectionElement::SetupServer => &[ServerType::ManageSieve],
        }
    }
}

/// A server section at the root of a 1.2 file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootSection {
    pub element: SectionElement,
    pub server: Server,
}

/// The `type` attribute of a server, parsed (the draft's "Autoconfig Protocol Type Names").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerType {
    Imap,
    Pop3,
    Smtp,
    Jmap,
    Ews,
    ActiveSync,
    Graph,
    /// Thunderbird's older name for an Exchange server (1.1 files).
    Exchange,
    CalDav,
    CardDav,
    WebDav,
    Xmpp,
    XmppTcp,
    Matrix,
    ManageSieve,
    /// Anything else (a typo, a protocol registered later): kept raw in `server_type_raw`.
    Other,
}

impl ServerType {
    const NAMED: [(ServerType, &'static str); 15] = [
        (ServerType::Imap, "imap"),
        (ServerType::Pop3, "pop3"),
        (ServerType::Smtp, "smtp"),
        (ServerType::Jmap, "jmap"),
        (ServerType::Ews, "ews"),
        (ServerType::ActiveSync, "activeSync"),
        (ServerType::Graph, "graph"),
        (ServerType::Exchange, "exchange"),
        (ServerType::CalDav, "caldav"),
        (ServerType::CardDav, "carddav"),
        (ServerType::WebDav, "webdav"),
        (ServerType::Xmpp, "xmpp"),
        (ServerType::XmppTcp, "xmpptcp"),
        (ServerType::Matrix, "matrix"),
        (ServerType::ManageSieve, "managesieve"),
    ];

    /// Parses the attribute value (case-insensitive).
    pub fn from_raw(raw: &str) -> Self {
        ServerType::NAMED
            .into_iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(raw.trim()))
            .map_or(ServerType::Other, |(kind, _)| kind)
    }

    /// The registered spelling (`None` for [`ServerType::Other`]).
    pub fn name(self) -> Option<&'static str> {
        ServerType::NAMED
            .into_iter()
            .find(|(kind, _)| *kind == self)
            .map(|(_, name)| name)
    }

    /// The mail protocol this server type speaks, for IMAP, POP3 and SMTP.
    pub fn protocol(self) -> Option<Protocol> {
        match self {
            ServerType::Imap => Some(Protocol::Imap),
            ServerType::Pop3 => Some(Protocol::Pop3),
            ServerType::Smtp => Some(Protocol::Submission),
            _ => None,
        }
    }

    /// The other service this type offers, for the types Portolan shows.
    pub fn service(self) -> Option<ServiceKind> {
        match self {
            ServerType::Jmap => Some(ServiceKind::Jmap),
            ServerType::Ews | ServerType::Exchange => Some(ServiceKind::Ews),
            ServerType::ActiveSync => Some(ServiceKind::ActiveSync),
            ServerType::Graph => Some(ServiceKind::Graph),
            ServerType::CalDav => Some(ServiceKind::Caldav),
            ServerType::CardDav => Some(ServiceKind::Carddav),
            ServerType::WebDav => Some(ServiceKind::Webdav),
            ServerType::ManageSieve => Some(ServiceKind::Managesieve),
            _ => None,
        }
    }

    /// The type written for a service.
    pub fn for_service(service: ServiceKind) -> ServerType {
        match service {
            ServiceKind::Jmap => ServerType::Jmap,
            ServiceKind::Caldav => ServerType::CalDav,
            ServiceKind::Carddav => ServerType::CardDav,
            ServiceKind::Webdav => ServerType::WebDav,
            ServiceKind::Managesieve => ServerType::ManageSieve,
            ServiceKind::Ews => ServerType::Ews,
            ServiceKind::ActiveSync => ServerType::ActiveSync,
            ServiceKind::Graph => ServerType::Graph,
        }
    }

    /// True for the types reached through a `<url>` (the draft's "URL-based protocols").
    pub fn is_url_based(self) -> bool {
        matches!(
            self,
            ServerType::Jmap
                | ServerType::Ews
                | ServerType::ActiveSync
                | ServerType::Graph
                | ServerType::CalDav
                | ServerType::CardDav
                | ServerType::WebDav
                | ServerType::Xmpp
                | ServerType::Matrix
        )
    }

    /// True for the types version 1.1 did not know.
    pub fn is_new_in_1_2(self) -> bool {
        !matches!(
            self,
            ServerType::Imap
                | ServerType::Pop3
                | ServerType::Smtp
                | ServerType::Exchange
                | ServerType::Other
        )
    }
}

/// The `<socketType>` of a server, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SocketType {
    /// `SSL`: implicit TLS.
    Ssl,
    /// `STARTTLS`.
    Starttls,
    /// `plain`: no encryption.
    Plain,
    /// Some other value: kept raw in `socket_type_raw`.
    Unknown,
    /// No `<socketType>` element.
    Missing,
}

impl SocketType {
    /// Parses the element's text. Thunderbird compares case-sensitively; Portolan accepts any
    /// case when reading, and `TLS` as the draft's sample writes it for `SSL`, and lets the
    /// linter point out odd spellings.
    pub fn from_raw(raw: Option<&str>) -> Self {
        match raw.map(|r| r.trim().to_ascii_uppercase()) {
            None => SocketType::Missing,
            Some(r) if r == "SSL" || r == "TLS" => SocketType::Ssl,
            Some(r) if r == "STARTTLS" => SocketType::Starttls,
            Some(r) if r == "PLAIN" => SocketType::Plain,
            Some(_) => SocketType::Unknown,
        }
    }

    /// The security this socket type means, if known.
    pub fn security(self) -> Option<Security> {
        match self {
            SocketType::Ssl => Some(Security::Tls),
            SocketType::Starttls => Some(Security::Starttls),
            SocketType::Plain => Some(Security::Plain),
            SocketType::Unknown | SocketType::Missing => None,
        }
    }

    /// The spelling written into files.
    pub fn for_security(security: Security) -> &'static str {
        match security {
            Security::Tls => "SSL",
            Security::Starttls => "STARTTLS",
            Security::Plain => "plain",
        }
    }
}

/// The `system` attribute of `<authentication>` (1.2), parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthSystem {
    /// No attribute: the autoconfig names (`password-cleartext`, `OAuth2`, ...).
    Autoconfig,
    /// `system="sasl"`: a SASL mechanism name (`SCRAM-SHA-256-PLUS`).
    Sasl,
    /// `system="http"`: an HTTP authentication scheme (`Basic`, `Digest`).
    Http,
    /// Another value: the element is ignored.
    Unknown,
}

/// One `<authentication>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authentication {
    /// The `system` attribute as written.
    pub system: Option<String>,
    /// The element's text as written.
    pub value: String,
}

impl Authentication {
    /// An element in the autoconfig names (no `system` attribute).
    pub fn named(value: &str) -> Self {
        Authentication {
            system: None,
            value: value.to_owned(),
        }
    }

    /// The `system` attribute, parsed.
    pub fn system(&self) -> AuthSystem {
        match self.system.as_deref().map(str::trim) {
            None => AuthSystem::Autoconfig,
            Some(system) if system.eq_ignore_ascii_case("sasl") => AuthSystem::Sasl,
            Some(system) if system.eq_ignore_ascii_case("http") => AuthSystem::Http,
            Some(_) => AuthSystem::Unknown,
        }
    }

    /// The method this element names, when Portolan has one for it.
    pub fn method(&self) -> Option<AuthMethod> {
        let value = self.value.trim().to_ascii_uppercase();
        match self.system() {
            AuthSystem::Autoconfig => auth_method_from_raw(&value),
            AuthSystem::Sasl => match value.as_str() {
                "PLAIN" | "LOGIN" => Some(AuthMethod::PasswordCleartext),
                "CRAM-MD5" | "DIGEST-MD5" => Some(AuthMethod::PasswordEncrypted),
                "OAUTHBEARER" | "XOAUTH2" => Some(AuthMethod::Oauth2),
                "GSSAPI" => Some(AuthMethod::Gssapi),
                "NTLM" => Some(AuthMethod::Ntlm),
                "EXTERNAL" => Some(AuthMethod::ClientCertificate),
                scram if scram.starts_with("SCRAM-") => Some(AuthMethod::PasswordEncrypted),
                _ => None,
            },
            AuthSystem::Http => match value.as_str() {
                "BASIC" => Some(AuthMethod::PasswordCleartext),
                "DIGEST" => Some(AuthMethod::PasswordEncrypted),
                _ => None,
            },
            AuthSystem::Unknown => None,
        }
    }

    /// True for a value the draft defines for its system (`none` and `client-IP-address`
    /// included, which name no method Portolan uses).
    pub fn is_known(&self) -> bool {
        self.method().is_some()
            || (self.system() == AuthSystem::Autoconfig
                && matches!(
                    self.value.trim().to_ascii_lowercase().as_str(),
                    "none" | "client-ip-address"
                ))
    }
}

/// One server section: `<incomingServer>`, `<outgoingServer>`, or a root section of 1.2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The `type` attribute as written.
    pub server_type_raw: String,
    pub server_type: ServerType,
    /// The `<url>` text (1.2, URL-based protocols).
    pub url: Option<String>,
    pub hostname: Option<String>,
    /// The `<port>` text as written.
    pub port_raw: Option<String>,
    /// The `<socketType>` text as written.
    pub socket_type_raw: Option<String>,
    pub socket_type: SocketType,
    /// The `<username>` text, placeholders kept raw.
    pub username: Option<String>,
    /// The `<authentication>` elements, in file order (the provider's preference).
    pub authentication: Vec<Authentication>,
}

impl Server {
    /// A TCP server with the given parts; `socket_type_raw` and `server_type_raw` are derived.
    pub fn new(
        server_type: &str,
        hostname: &str,
        port: u16,
        security: Security,
        username: &str,
        authentication: Vec<Authentication>,
    ) -> Self {
        let socket = SocketType::for_security(security);
        Server {
            server_type_raw: server_type.to_string(),
            server_type: ServerType::from_raw(server_type),
            url: None,
            hostname: Some(hostname.to_string()),
            port_raw: Some(port.to_string()),
            socket_type_raw: Some(socket.to_string()),
            socket_type: SocketType::from_raw(Some(socket)),
            username: Some(username.to_string()),
            authentication,
        }
    }

    /// A URL-based server (1.2).
    pub fn at_url(
        server_type: &str,
        url: &str,
        username: &str,
        authentication: Vec<Authentication>,
    ) -> Self {
        Server {
            server_type_raw: server_type.to_string(),
            server_type: ServerType::from_raw(server_type),
            url: Some(url.to_string()),
            hostname: None,
            port_raw: None,
            socket_type_raw: None,
            socket_type: SocketType::Missing,
            username: Some(username.to_string()),
            authentication,
        }
    }

    /// The port, when the `<port>` text is a number from 1 to 65535.
    pub fn port(&self) -> Option<u16> {
        parse_port(self.port_raw.as_deref())
    }

    /// The authentication methods Portolan understands, in file order, without duplicates.
    pub fn auth_methods(&self) -> Vec<AuthMethod> {
        let mut methods = Vec::new();
        for method in self
            .authentication
            .iter()
            .filter_map(Authentication::method)
        {
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
        methods
    }

    /// A candidate for this server; `None` when the type is not IMAP/POP3/SMTP or the host,
    /// port or socket type is missing or unreadable. The username form keeps placeholders.
    pub fn to_candidate(&self, source: Source) -> Option<Candidate> {
        let protocol = self.server_type.protocol()?;
        let host = host_as_written(self.hostname.as_deref()?);
        let security = self.socket_type.security()?;
        let port = self.port()?;
        Some(Candidate {
            username: username_form(self.username.as_deref().unwrap_or(PLACEHOLDER_ADDRESS)),
            auth: self.auth_methods(),
            ..Candidate::new(protocol, host, port, security, source)
        })
    }

    /// The service this section offers besides IMAP/POP3/SMTP mail, for the types Portolan
    /// shows; `None` when its URL (or host, port and socket type) is missing or unreadable.
    /// The username form keeps placeholders; `found` says where it was read.
    pub fn to_service(&self, source: Source, found: &str) -> Option<OfferedService> {
        let service = self.server_type.service()?;
        let endpoint = if service.is_url_based() {
            ServiceEndpoint::Url {
                url: self.url.as_deref()?.trim().to_owned(),
            }
        } else {
            ServiceEndpoint::Host {
                host: host_as_written(self.hostname.as_deref()?),
                port: self.port()?,
                security: self.socket_type.security()?,
            }
        };
        Some(OfferedService {
            service,
            endpoint,
            username: self.username.as_deref().map(username_form),
            auth: self.auth_methods(),
            source,
            trust: Vec::new(),
            found: found.to_owned(),
        })
    }
}

/// The autoconfig `<authentication>` value for a method (the spelling Thunderbird reads).
pub fn auth_method_name(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::PasswordCleartext | AuthMethod::AppPassword => "password-cleartext",
        AuthMethod::PasswordEncrypted => "password-encrypted",
        AuthMethod::Oauth2 => "OAuth2",
        AuthMethod::ClientCertificate => "TLS-client-cert",
        AuthMethod::Gssapi => "GSSAPI",
        AuthMethod::Ntlm => "NTLM",
    }
}

/// Parses an `<authentication>` value without a `system` attribute; `None` for values
/// Portolan has no method for (like `none` or `client-IP-address`). The draft spells OAuth2
/// both `OAuth2` and `OAuth`; the older `plain` and `secure` are read too.
pub fn auth_method_from_raw(raw: &str) -> Option<AuthMethod> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "password-cleartext" | "plain" => Some(AuthMethod::PasswordCleartext),
        "password-encrypted" | "secure" => Some(AuthMethod::PasswordEncrypted),
        "oauth2" | "oauth" => Some(AuthMethod::Oauth2),
        "gssapi" => Some(AuthMethod::Gssapi),
        "ntlm" => Some(AuthMethod::Ntlm),
        "tls-client-cert" => Some(AuthMethod::ClientCertificate),
        _ => None,
    }
}

/// Replaces `%EMAILADDRESS%`, `%EMAILLOCALPART%` and `%EMAILDOMAIN%` with the parts of the
/// address. For a bare domain only `%EMAILDOMAIN%` can be filled; the others stay as they are.
pub fn substitute_placeholders(template: &str, input: &MailInput) -> String {
    let mut out = template.replace(PLACEHOLDER_DOMAIN, &input.domain.ascii);
    if let (Some(address), Some(local)) = (input.address_ascii(), input.local_part.as_deref()) {
        out = out
            .replace(PLACEHOLDER_ADDRESS, &address)
            .replace(PLACEHOLDER_LOCAL_PART, local);
    }
    out
}

#[cfg(test)]
mod tests;
