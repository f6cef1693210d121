//! Mozilla autoconfig (clientConfig version 1.1): a faithful reader, a writer, and the
//! generator Portolan uses for providers.
//!
//! API:
//! - [`parse`]`(&str) -> Result<ClientConfig, FormatError>` reads a file into [`ClientConfig`].
//!   Raw strings are kept (`socket_type_raw`, `server_type_raw`, `port_raw`, `username`,
//!   `authentication`), next to parsed forms ([`SocketType`], [`ServerType`], `port()`), so a
//!   linter can quote the file and discovery can build candidates.
//! - [`Server::to_candidate`] turns one server into a [`Candidate`] (`None` for a server
//!   type Portolan does not use, like `exchange`).
//! - [`substitute_placeholders`] fills `%EMAILADDRESS%`, `%EMAILLOCALPART%` and
//!   `%EMAILDOMAIN%` from an address; the model keeps them raw.
//! - [`write`] prints any [`ClientConfig`] exactly (used by conversion); [`generate`] builds
//!   one from [`Settings`] with Portolan's rules: never a `plain` server, every server has a
//!   `<username>`, the `emailProvider id` is a host name, documentation links kept.
//!
//! Reference: <https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat>.

use super::xml::{child_text, children_named, parse_document, text_of, XmlWriter};
use super::{check_host, parse_port, username_form, username_template, FormatError, Settings};
use crate::address::MailInput;
use crate::model::{AuthMethod, Candidate, Protocol, Security, Source};

/// The placeholder for the whole address.
pub const PLACEHOLDER_ADDRESS: &str = "%EMAILADDRESS%";
/// The placeholder for the part before the `@`.
pub const PLACEHOLDER_LOCAL_PART: &str = "%EMAILLOCALPART%";
/// The placeholder for the domain.
pub const PLACEHOLDER_DOMAIN: &str = "%EMAILDOMAIN%";
/// The MIME type autoconfig files are served with.
pub const CONTENT_TYPE: &str = "text/xml";

/// A whole autoconfig file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientConfig {
    /// The `version` attribute of `<clientConfig>` (`1.1` today).
    pub version: Option<String>,
    /// The `<emailProvider>` elements; real files have exactly one.
    pub providers: Vec<EmailProvider>,
    /// The `<oAuth2>` element next to the provider: where a client gets a token.
    pub oauth2: Option<OAuth2Endpoints>,
}

/// The `<oAuth2>` element: the provider's OAuth2 issuer, scopes and endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth2Endpoints {
    pub issuer: Option<String>,
    /// Space-separated scopes, as written.
    pub scope: Option<String>,
    pub auth_url: Option<String>,
    pub token_url: Option<String>,
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
    /// The `<domain>` elements, in file order.
    pub domains: Vec<String>,
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

/// The `type` attribute of a server, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerType {
    Imap,
    Pop3,
    Smtp,
    /// Anything else (`exchange`, `ews`, `jmap`, a typo): kept raw in `server_type_raw`.
    Other,
}

impl ServerType {
    /// Parses the attribute value (case-insensitive).
    pub fn from_raw(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "imap" => ServerType::Imap,
            "pop3" => ServerType::Pop3,
            "smtp" => ServerType::Smtp,
            _ => ServerType::Other,
        }
    }

    /// The protocol this server type speaks, if Portolan knows it.
    pub fn protocol(self) -> Option<Protocol> {
        match self {
            ServerType::Imap => Some(Protocol::Imap),
            ServerType::Pop3 => Some(Protocol::Pop3),
            ServerType::Smtp => Some(Protocol::Submission),
            ServerType::Other => None,
        }
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
    /// case when reading and lets the linter point out odd spellings.
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

/// One `<incomingServer>` or `<outgoingServer>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// The `type` attribute as written.
    pub server_type_raw: String,
    pub server_type: ServerType,
    pub hostname: Option<String>,
    /// The `<port>` text as written.
    pub port_raw: Option<String>,
    /// The `<socketType>` text as written.
    pub socket_type_raw: Option<String>,
    pub socket_type: SocketType,
    /// The `<username>` text, placeholders kept raw.
    pub username: Option<String>,
    /// The `<authentication>` elements, raw, in file order.
    pub authentication: Vec<String>,
}

impl Server {
    /// A server with the given parts; `socket_type_raw` and `server_type_raw` are derived.
    pub fn new(
        server_type: &str,
        hostname: &str,
        port: u16,
        security: Security,
        username: &str,
        authentication: Vec<String>,
    ) -> Self {
        let socket = SocketType::for_security(security);
        Server {
            server_type_raw: server_type.to_string(),
            server_type: ServerType::from_raw(server_type),
            hostname: Some(hostname.to_string()),
            port_raw: Some(port.to_string()),
            socket_type_raw: Some(socket.to_string()),
            socket_type: SocketType::from_raw(Some(socket)),
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
        for raw in &self.authentication {
            if let Some(method) = auth_method_from_raw(raw) {
                if !methods.contains(&method) {
                    methods.push(method);
                }
            }
        }
        methods
    }

    /// A candidate for this server; `None` when the type is not IMAP/POP3/SMTP or the host,
    /// port or socket type is missing or unreadable. The username form keeps placeholders.
    pub fn to_candidate(&self, source: Source) -> Option<Candidate> {
        let protocol = self.server_type.protocol()?;
        let host = self.hostname.as_deref()?.trim().trim_end_matches('.');
        let security = self.socket_type.security()?;
        let port = self.port()?;
        Some(Candidate {
            username: username_form(self.username.as_deref().unwrap_or(PLACEHOLDER_ADDRESS)),
            auth: self.auth_methods(),
            ..Candidate::new(protocol, host.to_ascii_lowercase(), port, security, source)
        })
    }
}

/// The autoconfig `<authentication>` value for a method (the spelling Thunderbird reads).
pub fn auth_method_name(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::PasswordCleartext | AuthMethod::AppPassword => "password-cleartext",
        AuthMethod::PasswordEncrypted => "password-encrypted",
        AuthMethod::Oauth2 => "OAuth2",
        AuthMethod::ClientCertificate => "client-IP-address",
        AuthMethod::Gssapi => "GSSAPI",
        AuthMethod::Ntlm => "NTLM",
    }
}

/// Parses an `<authentication>` value; `None` for values Portolan has no method for (like
/// `none` or `client-IP-address`).
pub fn auth_method_from_raw(raw: &str) -> Option<AuthMethod> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "password-cleartext" | "plain" => Some(AuthMethod::PasswordCleartext),
        "password-encrypted" | "secure" => Some(AuthMethod::PasswordEncrypted),
        "oauth2" => Some(AuthMethod::Oauth2),
        "gssapi" => Some(AuthMethod::Gssapi),
        "ntlm" => Some(AuthMethod::Ntlm),
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

/// Reads an autoconfig file.
pub fn parse(text: &str) -> Result<ClientConfig, FormatError> {
    let document = parse_document(text)?;
    let root = document.root_element();
    if root.tag_name().name() != "clientConfig" {
        return Err(FormatError::WrongRoot {
            expected: "a Mozilla autoconfig file (<clientConfig>)",
            found: root.tag_name().name().to_string(),
        });
    }
    let providers = children_named(root, "emailProvider")
        .map(parse_provider)
        .collect();
    let oauth2 = children_named(root, "oAuth2")
        .next()
        .map(|node| OAuth2Endpoints {
            issuer: child_text(node, "issuer"),
            scope: child_text(node, "scope"),
            auth_url: child_text(node, "authURL"),
            token_url: child_text(node, "tokenURL"),
        });
    Ok(ClientConfig {
        version: root.attribute("version").map(str::to_string),
        providers,
        oauth2,
    })
}

fn localized(node: roxmltree::Node<'_, '_>) -> Option<LocalizedText> {
    text_of(node).map(|text| LocalizedText {
        lang: node.attribute("lang").map(str::to_string),
        text,
    })
}

fn parse_provider(node: roxmltree::Node<'_, '_>) -> EmailProvider {
    EmailProvider {
        id: node.attribute("id").map(str::to_string),
        domains: children_named(node, "domain").filter_map(text_of).collect(),
        display_names: children_named(node, "displayName")
            .filter_map(localized)
            .collect(),
        display_short_names: children_named(node, "displayShortName")
            .filter_map(localized)
            .collect(),
        incoming: children_named(node, "incomingServer")
            .map(parse_server)
            .collect(),
        outgoing: children_named(node, "outgoingServer")
            .map(parse_server)
            .collect(),
        enable: children_named(node, "enable")
            .map(|enable| Enable {
                visit_url: enable.attribute("visiturl").map(str::to_string),
                instructions: children_named(enable, "instruction")
                    .filter_map(localized)
                    .collect(),
            })
            .collect(),
        documentation: children_named(node, "documentation")
            .filter_map(|doc| {
                doc.attribute("url").map(|url| Documentation {
                    url: url.to_string(),
                    descriptions: children_named(doc, "descr").filter_map(localized).collect(),
                })
            })
            .collect(),
    }
}

fn parse_server(node: roxmltree::Node<'_, '_>) -> Server {
    let server_type_raw = node.attribute("type").unwrap_or("").to_string();
    let socket_type_raw = child_text(node, "socketType");
    Server {
        server_type: ServerType::from_raw(&server_type_raw),
        server_type_raw,
        hostname: child_text(node, "hostname"),
        port_raw: child_text(node, "port"),
        socket_type: SocketType::from_raw(socket_type_raw.as_deref()),
        socket_type_raw,
        username: child_text(node, "username"),
        authentication: children_named(node, "authentication")
            .filter_map(text_of)
            .collect(),
    }
}

/// Writes a [`ClientConfig`] exactly as the model says (no policy applied: conversion and
/// tests use it; [`generate`] applies Portolan's rules first).
pub fn write(config: &ClientConfig) -> Result<String, FormatError> {
    let mut w = XmlWriter::new();
    let version = config.version.as_deref().unwrap_or("1.1");
    w.open("clientConfig", &[("version", version)])?;
    for provider in &config.providers {
        let id = provider.id.as_deref().unwrap_or("");
        w.open("emailProvider", &[("id", id)])?;
        for domain in &provider.domains {
            w.leaf("domain", domain)?;
        }
        write_localized(&mut w, "displayName", &provider.display_names)?;
        write_localized(&mut w, "displayShortName", &provider.display_short_names)?;
        for server in &provider.incoming {
            write_server(&mut w, "incomingServer", server)?;
        }
        for server in &provider.outgoing {
            write_server(&mut w, "outgoingServer", server)?;
        }
        for enable in &provider.enable {
            match &enable.visit_url {
                Some(url) => w.open("enable", &[("visiturl", url.as_str())])?,
                None => w.open("enable", &[])?,
            }
            write_localized(&mut w, "instruction", &enable.instructions)?;
            w.close("enable");
        }
        for doc in &provider.documentation {
            w.open("documentation", &[("url", doc.url.as_str())])?;
            write_localized(&mut w, "descr", &doc.descriptions)?;
            w.close("documentation");
        }
        w.close("emailProvider");
    }
    if let Some(oauth2) = &config.oauth2 {
        w.open("oAuth2", &[])?;
        for (name, value) in [
            ("issuer", &oauth2.issuer),
            ("scope", &oauth2.scope),
            ("authURL", &oauth2.auth_url),
            ("tokenURL", &oauth2.token_url),
        ] {
            if let Some(value) = value {
                w.leaf(name, value)?;
            }
        }
        w.close("oAuth2");
    }
    w.close("clientConfig");
    Ok(w.finish())
}

fn write_localized(
    w: &mut XmlWriter,
    name: &str,
    texts: &[LocalizedText],
) -> Result<(), FormatError> {
    for text in texts {
        match &text.lang {
            Some(lang) => w.leaf_with(name, &[("lang", lang.as_str())], &text.text)?,
            None => w.leaf(name, &text.text)?,
        }
    }
    Ok(())
}

fn write_server(w: &mut XmlWriter, element: &str, server: &Server) -> Result<(), FormatError> {
    w.open(element, &[("type", server.server_type_raw.as_str())])?;
    if let Some(host) = &server.hostname {
        w.leaf("hostname", host)?;
    }
    if let Some(port) = &server.port_raw {
        w.leaf("port", port)?;
    }
    if let Some(socket) = &server.socket_type_raw {
        w.leaf("socketType", socket)?;
    }
    if let Some(username) = &server.username {
        w.leaf("username", username)?;
    }
    for auth in &server.authentication {
        w.leaf("authentication", auth)?;
    }
    w.close(element);
    Ok(())
}

/// The `type` attribute for a protocol.
pub fn server_type_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "imap",
        Protocol::Pop3 => "pop3",
        Protocol::Submission => "smtp",
    }
}

/// Builds the autoconfig model for settings, applying Portolan's rules: plain-text servers
/// are left out, usernames are templates (placeholders) so one file serves every user of the
/// domain, authentication defaults to `password-cleartext` (inside TLS), and the provider id
/// is the domain (a host name).
pub fn from_settings(settings: &Settings) -> Result<ClientConfig, FormatError> {
    let domain = settings.input.domain.ascii.clone();
    check_host(&domain)?;
    let server_for = |candidate: &Candidate| -> Result<Server, FormatError> {
        check_host(&candidate.host)?;
        let mut auth: Vec<String> = Vec::new();
        for method in &candidate.auth {
            let name = auth_method_name(*method).to_string();
            if !auth.contains(&name) {
                auth.push(name);
            }
        }
        if auth.is_empty() {
            auth.push("password-cleartext".to_string());
        }
        Ok(Server::new(
            server_type_name(candidate.protocol),
            &candidate.host,
            candidate.port,
            candidate.security,
            &username_template(&candidate.username),
            auth,
        ))
    };
    let incoming = settings
        .usable_incoming()
        .map(server_for)
        .collect::<Result<Vec<_>, _>>()?;
    let outgoing = settings
        .usable_outgoing()
        .map(server_for)
        .collect::<Result<Vec<_>, _>>()?;
    if incoming.is_empty() {
        return Err(FormatError::NoServer("incoming"));
    }
    if outgoing.is_empty() {
        return Err(FormatError::NoServer("outgoing"));
    }
    let name = settings.display_name().to_string();
    Ok(ClientConfig {
        version: Some("1.1".to_string()),
        providers: vec![EmailProvider {
            id: Some(domain.clone()),
            domains: vec![domain.clone()],
            display_names: vec![LocalizedText {
                lang: None,
                text: name,
            }],
            display_short_names: vec![LocalizedText {
                lang: None,
                text: settings.input.domain.unicode.clone(),
            }],
            incoming,
            outgoing,
            // Thunderbird shows the page and instruction when access must be switched on.
            enable: settings
                .quirks
                .enable_first
                .map(|enable| Enable {
                    visit_url: Some(enable.url.to_owned()),
                    instructions: vec![LocalizedText {
                        lang: Some("en".to_owned()),
                        text: enable.what.to_owned(),
                    }],
                })
                .into_iter()
                .collect(),
            documentation: settings
                .documentation
                .iter()
                .map(|(url, descr)| Documentation {
                    url: url.clone(),
                    descriptions: vec![LocalizedText {
                        lang: Some("en".to_string()),
                        text: descr.clone(),
                    }],
                })
                .collect(),
        }],
        oauth2: None,
    })
}

/// Generates the autoconfig file for settings (see [`from_settings`] for the rules).
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    write(&from_settings(settings)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_input;
    use crate::model::UsernameForm;

    const SAMPLE: &str = r#"<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <domain>example.net</domain>
    <displayName>Example &amp; Co</displayName>
    <displayName lang="de">Beispiel</displayName>
    <displayShortName>Example</displayShortName>
    <incomingServer type="imap">
      <hostname>imap.example.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="pop3">
      <hostname>pop.example.com</hostname>
      <port>110</port>
      <socketType>plain</socketType>
      <username>%EMAILLOCALPART%</username>
      <authentication>password-cleartext</authentication>
      <pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3>
    </incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </outgoingServer>
    <documentation url="https://example.com/help">
      <descr lang="en">Setup help</descr>
    </documentation>
  </emailProvider>
</clientConfig>"#;

    #[test]
    fn parses_every_part_of_a_real_shaped_file() {
        let config = parse(SAMPLE).unwrap();
        assert_eq!(config.version.as_deref(), Some("1.1"));
        let provider = &config.providers[0];
        assert_eq!(provider.id.as_deref(), Some("example.com"));
        assert_eq!(provider.domains, vec!["example.com", "example.net"]);
        assert_eq!(provider.display_names[0].text, "Example & Co");
        assert_eq!(provider.display_names[1].lang.as_deref(), Some("de"));
        assert_eq!(provider.incoming.len(), 2);
        let imap = &provider.incoming[0];
        assert_eq!(imap.server_type, ServerType::Imap);
        assert_eq!(imap.port(), Some(993));
        assert_eq!(imap.socket_type, SocketType::Ssl);
        assert_eq!(imap.authentication, vec!["OAuth2", "password-cleartext"]);
        assert_eq!(
            imap.auth_methods(),
            vec![AuthMethod::Oauth2, AuthMethod::PasswordCleartext]
        );
        let pop = &provider.incoming[1];
        assert_eq!(pop.socket_type, SocketType::Plain);
        assert_eq!(pop.socket_type_raw.as_deref(), Some("plain"));
        assert_eq!(provider.documentation[0].url, "https://example.com/help");
        assert_eq!(provider.documentation[0].descriptions[0].text, "Setup help");
    }

    #[test]
    fn enable_instructions_and_oauth2_endpoints_are_read_and_written_back() {
        let text = r#"<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <enable visiturl="https://example.com/settings">
      <instruction>Turn on IMAP in the settings</instruction>
      <instruction lang="de">IMAP einschalten</instruction>
    </enable>
  </emailProvider>
  <oAuth2>
    <issuer>login.example.com</issuer>
    <scope>mail offline</scope>
    <authURL>https://login.example.com/auth</authURL>
    <tokenURL>https://login.example.com/token</tokenURL>
  </oAuth2>
</clientConfig>"#;
        let config = parse(text).unwrap();
        let enable = &config.providers[0].enable[0];
        assert_eq!(
            enable.visit_url.as_deref(),
            Some("https://example.com/settings")
        );
        assert_eq!(enable.instructions[0].text, "Turn on IMAP in the settings");
        assert_eq!(enable.instructions[1].lang.as_deref(), Some("de"));
        let oauth2 = config.oauth2.clone().unwrap();
        assert_eq!(oauth2.issuer.as_deref(), Some("login.example.com"));
        assert_eq!(oauth2.scope.as_deref(), Some("mail offline"));
        assert_eq!(
            oauth2.token_url.as_deref(),
            Some("https://login.example.com/token")
        );
        assert_eq!(parse(&write(&config).unwrap()).unwrap(), config);
    }

    #[test]
    fn servers_become_candidates() {
        let config = parse(SAMPLE).unwrap();
        let provider = &config.providers[0];
        let imap = provider.incoming[0]
            .to_candidate(Source::Autoconfig)
            .unwrap();
        assert_eq!(imap.protocol, Protocol::Imap);
        assert_eq!(imap.security, Security::Tls);
        assert_eq!(imap.username, UsernameForm::EmailAddress);
        let pop = provider.incoming[1]
            .to_candidate(Source::Autoconfig)
            .unwrap();
        assert_eq!(pop.username, UsernameForm::LocalPart);
        assert_eq!(pop.security, Security::Plain);
        let smtp = provider.outgoing[0]
            .to_candidate(Source::Autoconfig)
            .unwrap();
        assert_eq!((smtp.protocol, smtp.port), (Protocol::Submission, 465));
    }

    #[test]
    fn placeholders_are_substituted() {
        let input = parse_input("jane.doe@Example.com").unwrap();
        assert_eq!(
            substitute_placeholders("%EMAILLOCALPART%+x@%EMAILDOMAIN% / %EMAILADDRESS%", &input),
            "jane.doe+x@example.com / jane.doe@example.com"
        );
        let bare = parse_input("example.com").unwrap();
        assert_eq!(
            substitute_placeholders("%EMAILADDRESS%@%EMAILDOMAIN%", &bare),
            "%EMAILADDRESS%@example.com"
        );
    }

    #[test]
    fn write_then_parse_is_identity() {
        let config = parse(SAMPLE).unwrap();
        let text = write(&config).unwrap();
        assert_eq!(parse(&text).unwrap(), config);
    }

    #[test]
    fn wrong_root_and_broken_xml_are_errors() {
        assert!(matches!(
            parse("<Autodiscover/>"),
            Err(FormatError::WrongRoot { .. })
        ));
        assert!(matches!(parse("<clientConfig>"), Err(FormatError::Xml(_))));
    }
}
