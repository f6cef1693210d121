//! Microsoft Autodiscover, the "POX" (plain old XML) form Outlook uses for IMAP/POP3/SMTP
//! accounts: a faithful reader, the request body, a writer and Portolan's generator.
//!
//! API:
//! - [`parse`]`(&str) -> Result<AutodiscoverResponse, FormatError>` reads a response: account
//!   settings ([`Account`] with one [`ProtocolSettings`] per `<Protocol>`), a redirect
//!   (`<Action>redirectAddr</Action>` / `redirectUrl`), or an `<Error>`. Every field is kept as
//!   the raw string; [`ProtocolSettings::security`] and friends interpret them the way
//!   Thunderbird's Autodiscover reader does.
//! - [`ProtocolSettings::to_candidate`] turns one protocol block into a [`Candidate`].
//! - [`request_body`] builds the POST body a client sends to ask for settings.
//! - [`write`] prints a response model exactly; [`generate`] builds one from [`Settings`] with
//!   Portolan's rules: `<SPA>off</SPA>` always (Outlook otherwise tries NTLM and fails),
//!   implicit TLS as `<SSL>on</SSL>` + `<Encryption>SSL</Encryption>` (never `TLS`, which
//!   Outlook reads as STARTTLS), STARTTLS as `<Encryption>TLS</Encryption>`, plain never.
//!
//! Reference: MS-OXDSCLI and "Autodiscover for Exchange" (POX response schema 2006a).

use super::xml::{child_text, children_named, parse_document, text_of, XmlWriter};
use super::{check_host, parse_port, FormatError, Settings};
use crate::model::{AuthMethod, Candidate, Protocol, Security, Source, UsernameForm};

/// The namespace of the outer `<Autodiscover>` element of a response.
pub const RESPONSE_NAMESPACE: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
/// The namespace of the inner `<Response>` for Outlook (the "2006a" schema).
pub const OUTLOOK_RESPONSE_NAMESPACE: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";
/// The namespace of a request.
pub const REQUEST_NAMESPACE: &str =
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
/// The MIME type of request and response.
pub const CONTENT_TYPE: &str = "text/xml";

/// The three shapes a response takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutodiscoverResponse {
    /// `<Account>` with settings, or with a redirect action.
    Account(Account),
    /// `<Error>`: the server could not answer.
    Error {
        code: Option<String>,
        message: Option<String>,
    },
}

/// Where an account answer sends the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `settings`: the `<Protocol>` blocks are the answer.
    Settings,
    /// `redirectAddr`: ask again with this address.
    RedirectAddr(String),
    /// `redirectUrl`: ask this URL instead.
    RedirectUrl(String),
    /// An action Portolan does not know (kept raw), or none.
    Other(Option<String>),
}

/// The `<Account>` element and its surroundings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Account {
    /// The namespace of the `<Autodiscover>` root, as written (linting checks it).
    pub root_namespace: Option<String>,
    /// `<Response><User><DisplayName>`.
    pub display_name: Option<String>,
    /// `<AccountType>` (`email` for POX IMAP/POP3/SMTP answers).
    pub account_type: Option<String>,
    /// `<Action>` as written.
    pub action_raw: Option<String>,
    pub redirect_addr: Option<String>,
    pub redirect_url: Option<String>,
    pub protocols: Vec<ProtocolSettings>,
}

impl Account {
    /// The action, interpreted.
    pub fn action(&self) -> Action {
        match self.action_raw.as_deref().map(str::trim) {
            Some("settings") => Action::Settings,
            Some("redirectAddr") => match &self.redirect_addr {
                Some(addr) => Action::RedirectAddr(addr.clone()),
                None => Action::Other(self.action_raw.clone()),
            },
            Some("redirectUrl") => match &self.redirect_url {
                Some(url) => Action::RedirectUrl(url.clone()),
                None => Action::Other(self.action_raw.clone()),
            },
            // Older servers leave <Action> out and just list protocols.
            None if !self.protocols.is_empty() => Action::Settings,
            _ => Action::Other(self.action_raw.clone()),
        }
    }
}

/// The `<Type>` of a `<Protocol>` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolType {
    Imap,
    Pop3,
    Smtp,
    /// `EXCH`, `EXPR`, `WEB`, ...: not for IMAP/POP3/SMTP clients.
    Other,
}

impl ProtocolType {
    pub fn from_raw(raw: &str) -> Self {
        match raw.trim().to_ascii_uppercase().as_str() {
            "IMAP" => ProtocolType::Imap,
            "POP3" => ProtocolType::Pop3,
            "SMTP" => ProtocolType::Smtp,
            _ => ProtocolType::Other,
        }
    }

    pub fn protocol(self) -> Option<Protocol> {
        match self {
            ProtocolType::Imap => Some(Protocol::Imap),
            ProtocolType::Pop3 => Some(Protocol::Pop3),
            ProtocolType::Smtp => Some(Protocol::Submission),
            ProtocolType::Other => None,
        }
    }
}

/// One `<Protocol>` block, every field raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolSettings {
    pub type_raw: String,
    pub kind: ProtocolType,
    pub server: Option<String>,
    pub port_raw: Option<String>,
    /// `<SSL>`: `on` or `off` (missing means `on`).
    pub ssl: Option<String>,
    /// `<Encryption>`: `None`, `SSL`, `TLS` or `Auto`; when present it overrides `<SSL>`.
    pub encryption: Option<String>,
    /// `<SPA>`: `on` means NTLM; it must be `off` for IMAP/POP3/SMTP password login.
    pub spa: Option<String>,
    pub login_name: Option<String>,
    pub domain_required: Option<String>,
    pub auth_required: Option<String>,
}

impl ProtocolSettings {
    /// The port, when `<Port>` is a number from 1 to 65535.
    pub fn port(&self) -> Option<u16> {
        parse_port(self.port_raw.as_deref())
    }

    /// The security the block asks for: `<Encryption>` wins when present (`SSL` implicit TLS,
    /// `TLS` STARTTLS, `None` plain); otherwise `<SSL>off</SSL>` is plain and anything else
    /// implicit TLS. `Auto` and unknown encryption values give `None`.
    pub fn security(&self) -> Option<Security> {
        if let Some(encryption) = &self.encryption {
            return match encryption.trim().to_ascii_uppercase().as_str() {
                "SSL" => Some(Security::Tls),
                "TLS" => Some(Security::Starttls),
                "NONE" => Some(Security::Plain),
                _ => None,
            };
        }
        match self.ssl.as_deref().map(|s| s.trim().to_ascii_lowercase()) {
            Some(s) if s == "off" => Some(Security::Plain),
            _ => Some(Security::Tls),
        }
    }

    /// True when `<SPA>` is `on` (or missing, which Outlook treats as on for some versions).
    pub fn spa_on(&self) -> bool {
        !matches!(self.spa.as_deref().map(|s| s.trim().to_ascii_lowercase()), Some(s) if s == "off")
    }

    /// A candidate for this block, or `None` for non-mail types and missing server, port or
    /// security. The login name becomes [`UsernameForm::Other`] unless it is a placeholder.
    pub fn to_candidate(&self, source: Source) -> Option<Candidate> {
        let protocol = self.kind.protocol()?;
        let host = self.server.as_deref()?.trim().trim_end_matches('.');
        let security = self.security()?;
        let port = self.port()?;
        let username = match self.login_name.as_deref() {
            Some(login) => super::username_form(login),
            None => UsernameForm::EmailAddress,
        };
        let auth = if self.spa_on() {
            vec![AuthMethod::Ntlm]
        } else {
            vec![AuthMethod::PasswordCleartext]
        };
        Some(Candidate {
            username,
            auth,
            ..Candidate::new(protocol, host.to_ascii_lowercase(), port, security, source)
        })
    }
}

/// Reads an Autodiscover POX response.
pub fn parse(text: &str) -> Result<AutodiscoverResponse, FormatError> {
    let document = parse_document(text)?;
    let root = document.root_element();
    if root.tag_name().name() != "Autodiscover" {
        return Err(FormatError::WrongRoot {
            expected: "an Autodiscover response (<Autodiscover>)",
            found: root.tag_name().name().to_string(),
        });
    }
    let response = children_named(root, "Response")
        .next()
        .ok_or(FormatError::Missing("<Response> element"))?;
    if let Some(error) = children_named(response, "Error").next() {
        return Ok(AutodiscoverResponse::Error {
            code: child_text(error, "ErrorCode"),
            message: child_text(error, "Message"),
        });
    }
    let account = children_named(response, "Account")
        .next()
        .ok_or(FormatError::Missing("<Account> element"))?;
    let display_name = children_named(response, "User")
        .next()
        .and_then(|user| child_text(user, "DisplayName"));
    Ok(AutodiscoverResponse::Account(Account {
        root_namespace: root.tag_name().namespace().map(str::to_string),
        display_name,
        account_type: child_text(account, "AccountType"),
        action_raw: child_text(account, "Action"),
        redirect_addr: child_text(account, "RedirectAddr"),
        redirect_url: child_text(account, "RedirectUrl"),
        protocols: children_named(account, "Protocol")
            .map(parse_protocol)
            .collect(),
    }))
}

fn parse_protocol(node: roxmltree::Node<'_, '_>) -> ProtocolSettings {
    let type_raw = children_named(node, "Type")
        .next()
        .and_then(text_of)
        .unwrap_or_default();
    ProtocolSettings {
        kind: ProtocolType::from_raw(&type_raw),
        type_raw,
        server: child_text(node, "Server"),
        port_raw: child_text(node, "Port"),
        ssl: child_text(node, "SSL"),
        encryption: child_text(node, "Encryption"),
        spa: child_text(node, "SPA"),
        login_name: child_text(node, "LoginName"),
        domain_required: child_text(node, "DomainRequired"),
        auth_required: child_text(node, "AuthRequired"),
    }
}

/// The body a client POSTs to `/autodiscover/autodiscover.xml`.
pub fn request_body(address: &str) -> Result<String, FormatError> {
    let mut w = XmlWriter::new();
    w.open("Autodiscover", &[("xmlns", REQUEST_NAMESPACE)])?;
    w.open("Request", &[])?;
    w.leaf("EMailAddress", address)?;
    w.leaf("AcceptableResponseSchema", OUTLOOK_RESPONSE_NAMESPACE)?;
    w.close("Request");
    w.close("Autodiscover");
    Ok(w.finish())
}

/// Writes a response model exactly as given.
pub fn write(response: &AutodiscoverResponse) -> Result<String, FormatError> {
    let mut w = XmlWriter::new();
    w.open("Autodiscover", &[("xmlns", RESPONSE_NAMESPACE)])?;
    w.open("Response", &[("xmlns", OUTLOOK_RESPONSE_NAMESPACE)])?;
    match response {
        AutodiscoverResponse::Error { code, message } => {
            w.open("Error", &[])?;
            if let Some(code) = code {
                w.leaf("ErrorCode", code)?;
            }
            if let Some(message) = message {
                w.leaf("Message", message)?;
            }
            w.close("Error");
        }
        AutodiscoverResponse::Account(account) => {
            if let Some(name) = &account.display_name {
                w.open("User", &[])?;
                w.leaf("DisplayName", name)?;
                w.close("User");
            }
            w.open("Account", &[])?;
            let fields = [
                ("AccountType", &account.account_type),
                ("Action", &account.action_raw),
                ("RedirectAddr", &account.redirect_addr),
                ("RedirectUrl", &account.redirect_url),
            ];
            for (name, value) in fields {
                if let Some(value) = value {
                    w.leaf(name, value)?;
                }
            }
            for protocol in &account.protocols {
                write_protocol(&mut w, protocol)?;
            }
            w.close("Account");
        }
    }
    w.close("Response");
    w.close("Autodiscover");
    Ok(w.finish())
}

fn write_protocol(w: &mut XmlWriter, p: &ProtocolSettings) -> Result<(), FormatError> {
    w.open("Protocol", &[])?;
    w.leaf("Type", &p.type_raw)?;
    let fields = [
        ("Server", &p.server),
        ("Port", &p.port_raw),
        ("DomainRequired", &p.domain_required),
        ("LoginName", &p.login_name),
        ("SPA", &p.spa),
        ("SSL", &p.ssl),
        ("Encryption", &p.encryption),
        ("AuthRequired", &p.auth_required),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            w.leaf(name, value)?;
        }
    }
    w.close("Protocol");
    Ok(())
}

/// The `<Type>` for a protocol.
pub fn type_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Imap => "IMAP",
        Protocol::Pop3 => "POP3",
        Protocol::Submission => "SMTP",
    }
}

/// One protocol block for a candidate, with Portolan's rules (see the module header).
/// `login` is the concrete login name (Autodiscover answers are per user).
pub fn protocol_for(candidate: &Candidate, login: &str) -> Result<ProtocolSettings, FormatError> {
    check_host(&candidate.host)?;
    let encryption = match candidate.security {
        Security::Tls => "SSL",
        Security::Starttls => "TLS",
        Security::Plain => return Err(FormatError::NoServer("encrypted")),
    };
    Ok(ProtocolSettings {
        type_raw: type_name(candidate.protocol).to_string(),
        kind: ProtocolType::from_raw(type_name(candidate.protocol)),
        server: Some(candidate.host.clone()),
        port_raw: Some(candidate.port.to_string()),
        ssl: Some("on".to_string()),
        encryption: Some(encryption.to_string()),
        spa: Some("off".to_string()),
        login_name: Some(login.to_string()),
        domain_required: Some("off".to_string()),
        auth_required: Some("on".to_string()),
    })
}

/// Builds the response model for settings: the best server of each incoming protocol (in
/// rank order) and the best outgoing server. Needs an address, because Autodiscover answers
/// name the user's login.
pub fn from_settings(settings: &Settings) -> Result<AutodiscoverResponse, FormatError> {
    settings.address()?;
    let mut protocols = Vec::new();
    let mut seen: Vec<Protocol> = Vec::new();
    for candidate in settings.usable_incoming() {
        if !seen.contains(&candidate.protocol) {
            seen.push(candidate.protocol);
            protocols.push(protocol_for(candidate, &settings.login_for(candidate))?);
        }
    }
    if protocols.is_empty() {
        return Err(FormatError::NoServer("incoming"));
    }
    let outgoing = settings
        .best_outgoing()
        .ok_or(FormatError::NoServer("outgoing"))?;
    protocols.push(protocol_for(outgoing, &settings.login_for(outgoing))?);
    Ok(AutodiscoverResponse::Account(Account {
        root_namespace: Some(RESPONSE_NAMESPACE.to_string()),
        display_name: Some(settings.display_name().to_string()),
        account_type: Some("email".to_string()),
        action_raw: Some("settings".to_string()),
        redirect_addr: None,
        redirect_url: None,
        protocols,
    }))
}

/// Generates the Autodiscover response for settings.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    write(&from_settings(settings)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006">
  <Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a">
    <User><DisplayName>Example Mail</DisplayName></User>
    <Account>
      <AccountType>email</AccountType>
      <Action>settings</Action>
      <Protocol>
        <Type>IMAP</Type>
        <Server>imap.example.com</Server>
        <Port>993</Port>
        <DomainRequired>off</DomainRequired>
        <LoginName>jane@example.com</LoginName>
        <SPA>off</SPA>
        <SSL>on</SSL>
        <AuthRequired>on</AuthRequired>
      </Protocol>
      <Protocol>
        <Type>SMTP</Type>
        <Server>smtp.example.com</Server>
        <Port>587</Port>
        <SPA>off</SPA>
        <Encryption>TLS</Encryption>
        <AuthRequired>on</AuthRequired>
      </Protocol>
    </Account>
  </Response>
</Autodiscover>"#;

    fn account(response: AutodiscoverResponse) -> Account {
        match response {
            AutodiscoverResponse::Account(account) => account,
            other => panic!("expected an account, got {other:?}"),
        }
    }

    #[test]
    fn parses_settings() {
        let account = account(parse(SAMPLE).unwrap());
        assert_eq!(account.action(), Action::Settings);
        assert_eq!(account.display_name.as_deref(), Some("Example Mail"));
        assert_eq!(account.root_namespace.as_deref(), Some(RESPONSE_NAMESPACE));
        assert_eq!(account.protocols.len(), 2);
        let imap = &account.protocols[0];
        assert_eq!(imap.kind, ProtocolType::Imap);
        assert_eq!(imap.security(), Some(Security::Tls));
        assert!(!imap.spa_on());
        let candidate = imap.to_candidate(Source::Autodiscover).unwrap();
        assert_eq!(candidate.port, 993);
        assert_eq!(
            candidate.username,
            UsernameForm::Other("jane@example.com".into())
        );
        let smtp = account.protocols[1]
            .to_candidate(Source::Autodiscover)
            .unwrap();
        assert_eq!(
            (smtp.protocol, smtp.security),
            (Protocol::Submission, Security::Starttls)
        );
    }

    #[test]
    fn parses_redirects_and_errors() {
        let redirect = r#"<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"><Response xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"><Account><Action>redirectUrl</Action><RedirectUrl>https://mail.example.net/autodiscover/autodiscover.xml</RedirectUrl></Account></Response></Autodiscover>"#;
        assert_eq!(
            account(parse(redirect).unwrap()).action(),
            Action::RedirectUrl("https://mail.example.net/autodiscover/autodiscover.xml".into())
        );
        let addr = redirect
            .replace("redirectUrl", "redirectAddr")
            .replace("RedirectUrl", "RedirectAddr")
            .replace(
                "https://mail.example.net/autodiscover/autodiscover.xml",
                "j@example.net",
            );
        assert_eq!(
            account(parse(&addr).unwrap()).action(),
            Action::RedirectAddr("j@example.net".into())
        );
        let error = r#"<Autodiscover><Response><Error Time="1" Id="2"><ErrorCode>600</ErrorCode><Message>Invalid Request</Message></Error></Response></Autodiscover>"#;
        assert_eq!(
            parse(error).unwrap(),
            AutodiscoverResponse::Error {
                code: Some("600".into()),
                message: Some("Invalid Request".into())
            }
        );
    }

    #[test]
    fn encryption_overrides_ssl() {
        let mut p = account(parse(SAMPLE).unwrap()).protocols[0].clone();
        p.encryption = Some("TLS".into());
        assert_eq!(p.security(), Some(Security::Starttls));
        p.encryption = Some("None".into());
        assert_eq!(p.security(), Some(Security::Plain));
        p.encryption = None;
        p.ssl = Some("off".into());
        assert_eq!(p.security(), Some(Security::Plain));
    }

    #[test]
    fn write_then_parse_is_identity_and_request_is_well_formed() {
        let response = parse(SAMPLE).unwrap();
        assert_eq!(parse(&write(&response).unwrap()).unwrap(), response);
        let body = request_body("a&b@example.com").unwrap();
        assert!(body.contains("<EMailAddress>a&amp;b@example.com</EMailAddress>"));
        assert!(roxmltree::Document::parse(&body).is_ok());
    }
}
