//! Linting and converting provider files: Mozilla autoconfig (1.1 and 1.2), Microsoft
//! Autodiscover, and PACC documents with their TXT record.
//!
//! API:
//! - [`lint`]`(&str) -> Result<LintReport, LintError>` detects the kind of file and reports
//!   [`Finding`]s, each with a stable `code`, a severity and a plain message;
//! - [`lint_autoconfig`] / [`lint_autodiscover`] work on already-parsed models;
//! - [`convert`]`(&str, FileKind, Option<&MailInput>) -> Result<Conversion, LintError>`
//!   rewrites one format as the other through Portolan's generators (so the output follows
//!   Portolan's rules: plain servers are dropped and reported in `notes`).
//!
//! Finding codes: `plain-server`, `unknown-socket-type`, `missing-socket-type`,
//! `socket-type-spelling`, `missing-username`, `id-not-hostname`, `no-provider`,
//! `several-providers`, `no-domain`, `missing-hostname`, `bad-port`, `no-incoming`,
//! `no-outgoing`, `unknown-server-type`, `port-security-mismatch`, `port-25`, `no-implicit-tls`,
//! `version`, `unknown-placeholder`, `spa-not-off`, `encryption-tls-on-implicit-port`, `ssl-on-starttls-port`,
//! `missing-login-name`, `autodiscover-error`, `redirect`, `namespace`, `account-type`;
//! for what autoconfig 1.2 added (`autoconfig_1_2.rs`): `newer-than-version`, `missing-url`,
//! `url-not-https`, `section-type-mismatch`, `http-bearer`, `unknown-authentication`,
//! `sasl-without-fallback`, `oauth2-without-endpoints`, `oauth2-incomplete`,
//! `unknown-domain-purpose`, `display-name-too-long`; for PACC (`pacc.rs`): `no-incoming`,
//! `no-outgoing`, `submission-spelling`, `missing-hostname`, `url-not-https`, `url-port`,
//! `unknown-protocol`, `no-authentication`, `no-provider-name`, `display-name-too-long`,
//! `pacc-record`, `pacc-digest-mismatch`, `pacc-record-invalid`; for a Portolan provider
//! preset (`preset.rs`): `preset-invalid`, `preset-no-parent-origin`,
//! `preset-parent-origin-http`, `preset-lookups-off-without-servers`.

mod autoconfig_1_2;
mod pacc;
mod preset;

use serde::Serialize;
use thiserror::Error;

use crate::address::{parse_domain, parse_input, MailInput};
use crate::formats::autoconfig::{self, ClientConfig, ServerType, SocketType, Version};
use crate::formats::autodiscover::{self, Action, AutodiscoverResponse, ProtocolType};
use crate::formats::xml::parse_document;
use crate::formats::{FormatError, Settings};
use crate::model::{Protocol, Security, Source, UsernameForm};

/// Why a file could not be linted or converted at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LintError {
    #[error("{0}")]
    Format(#[from] FormatError),
    #[error("This is neither a Mozilla autoconfig file (<clientConfig>), an Autodiscover response (<Autodiscover>) nor a PACC document (JSON).")]
    UnknownKind,
    #[error("{0}")]
    Pacc(#[from] crate::formats::pacc::PaccError),
    #[error("TXT records can only be checked against a PACC document.")]
    RecordsWithoutPacc,
    #[error("The file has problems that stop conversion: {0}")]
    NotConvertible(String),
}

/// The two kinds of provider files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Autoconfig,
    Autodiscover,
    /// A PACC document (draft-ietf-mailmaint-pacc).
    Pacc,
    /// A Portolan provider preset (`portolan.json`, `crate::preset`).
    Preset,
}

/// How bad a finding is. `Error` findings make `portolan lint` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One problem (or remark) about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable kebab-case code (listed in the module documentation).
    pub code: &'static str,
    /// Which part of the file: `incomingServer 1 (imap)`, `Protocol 2 (SMTP)`, ...
    pub location: String,
    pub message: String,
}

/// All findings for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintReport {
    pub kind: FileKind,
    pub findings: Vec<Finding>,
}

impl LintReport {
    /// True when any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The codes, in order (handy for tests).
    pub fn codes(&self) -> Vec<&'static str> {
        self.findings.iter().map(|f| f.code).collect()
    }
}

/// The longest provider names the drafts allow (autoconfig's `displayName` and PACC's `name`;
/// the short names), and the lengths they recommend.
const NAME_LIMIT: usize = 60;
const NAME_ADVISED: usize = 30;
const SHORT_NAME_LIMIT: usize = 20;
const SHORT_NAME_ADVISED: usize = 12;

fn finding(severity: Severity, code: &'static str, location: &str, message: String) -> Finding {
    Finding {
        severity,
        code,
        location: location.to_string(),
        message,
    }
}

/// Detects the kind of file: JSON is PACC, XML by its root element.
pub fn detect(text: &str) -> Result<FileKind, LintError> {
    if text.trim_start().starts_with('{') {
        // Both are JSON: a preset has a numeric `version` and no `protocols`, which every
        // PACC document has. Anything else is read as PACC, whose errors then explain it.
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let preset = value.get("protocols").is_none()
            && value
                .get("version")
                .is_some_and(serde_json::Value::is_number);
        return Ok(if preset {
            FileKind::Preset
        } else {
            FileKind::Pacc
        });
    }
    let document = parse_document(text)?;
    match document.root_element().tag_name().name() {
        "clientConfig" => Ok(FileKind::Autoconfig),
        "Autodiscover" => Ok(FileKind::Autodiscover),
        _ => Err(LintError::UnknownKind),
    }
}

/// Lints a file of any kind.
pub fn lint(text: &str) -> Result<LintReport, LintError> {
    lint_with_records(text, &[])
}

/// Lints a file; for a PACC document, `pacc_records` are the `_ua-auto-config` TXT values to
/// check its digest against (for any other kind they are an error).
pub fn lint_with_records(text: &str, pacc_records: &[String]) -> Result<LintReport, LintError> {
    let kind = detect(text)?;
    if kind != FileKind::Pacc && !pacc_records.is_empty() {
        return Err(LintError::RecordsWithoutPacc);
    }
    let findings = match kind {
        FileKind::Autoconfig => lint_autoconfig(&autoconfig::parse(text)?),
        FileKind::Autodiscover => lint_autodiscover(&autodiscover::parse(text)?),
        FileKind::Pacc => pacc::lint_pacc(
            &crate::formats::pacc::parse_document(text)?,
            text,
            pacc_records,
        ),
        FileKind::Preset => preset::lint_preset(text),
    };
    Ok(LintReport { kind, findings })
}

/// True for a syntactically valid host name with at least two labels.
fn is_hostname(text: &str) -> bool {
    text.contains('.')
        && parse_domain(text).is_ok_and(|domain| domain.ascii == text.to_ascii_lowercase())
}

fn implicit_port(port: u16) -> bool {
    matches!(port, 993 | 995 | 465)
}

fn starttls_port(port: u16) -> bool {
    matches!(port, 143 | 110 | 587)
}

/// Lints a parsed autoconfig file.
pub fn lint_autoconfig(config: &ClientConfig) -> Vec<Finding> {
    let mut out = Vec::new();
    match config.version.as_deref() {
        Some(version) if Version::from_name(version).is_some() => {}
        Some(version) => out.push(finding(
            Severity::Info,
            "version",
            "clientConfig",
            format!("The version is {version:?}; Portolan knows 1.1 and 1.2. Clients must not reject a file for its version, but check that the rest follows one of those."),
        )),
        None => out.push(finding(
            Severity::Warning,
            "version",
            "clientConfig",
            "The <clientConfig> element has no version; write version=\"1.1\" (or \"1.2\").".into(),
        )),
    }
    let Some(provider) = config.providers.first() else {
        out.push(finding(
            Severity::Error,
            "no-provider",
            "clientConfig",
            "There is no <emailProvider> element.".into(),
        ));
        return out;
    };
    if config.providers.len() > 1 {
        out.push(finding(
            Severity::Warning,
            "several-providers",
            "clientConfig",
            format!(
                "There are {} <emailProvider> elements; clients read only the first.",
                config.providers.len()
            ),
        ));
    }
    match provider.id.as_deref() {
        Some(id) if is_hostname(id) => {}
        other => out.push(finding(
            Severity::Error,
            "id-not-hostname",
            "emailProvider",
            format!("The emailProvider id {:?} is not a host name; Thunderbird for Android rejects the file. Use the domain, like id=\"example.com\".", other.unwrap_or("")),
        )),
    }
    if provider.domains.is_empty() {
        out.push(finding(
            Severity::Warning,
            "no-domain",
            "emailProvider",
            "There is no <domain> element naming the domains this file serves.".into(),
        ));
    }
    if provider.incoming.is_empty() {
        out.push(finding(
            Severity::Error,
            "no-incoming",
            "emailProvider",
            "There is no <incomingServer>.".into(),
        ));
    }
    // Only IMAP and POP3 need an outgoing server; JMAP and the Exchange protocols send
    // through the incoming one.
    let needs_outgoing = provider.incoming.is_empty()
        || provider.incoming.iter().any(|server| {
            !server.server_type.is_new_in_1_2() && server.server_type != ServerType::Exchange
        });
    if provider.outgoing.is_empty() && needs_outgoing {
        out.push(finding(
            Severity::Error,
            "no-outgoing",
            "emailProvider",
            "There is no <outgoingServer>.".into(),
        ));
    }
    for (location, server) in mail_sections(provider) {
        // URL-based sections (JMAP, EWS, ...) have their own rules, in the 1.2 module.
        if server.server_type.is_new_in_1_2() {
            continue;
        }
        if matches!(server.server_type, ServerType::Other | ServerType::Exchange) {
            out.push(finding(
                Severity::Warning,
                "unknown-server-type",
                &location,
                format!(
                    "The server type {:?} is not imap, pop3 or smtp; most clients skip it.",
                    server.server_type_raw
                ),
            ));
        }
        let port = server.port();
        endpoint_findings(
            &mut out,
            &location,
            (server.hostname.is_some(), "The server has no <hostname>."),
            port,
            server.port_raw.as_deref(),
        );
        match server.socket_type {
            SocketType::Plain => out.push(finding(Severity::Error, "plain-server", &location, "This server uses socketType plain: passwords and mail would cross the network unencrypted, and Thunderbird for Android rejects the whole file. Offer SSL (implicit TLS) or STARTTLS instead.".into())),
            SocketType::Unknown => out.push(finding(Severity::Error, "unknown-socket-type", &location, format!("The socketType {:?} is unknown; use SSL, STARTTLS (or plain, which Portolan advises against).", server.socket_type_raw.as_deref().unwrap_or("")))),
            SocketType::Missing => out.push(finding(Severity::Error, "missing-socket-type", &location, "The server has no <socketType>; clients cannot tell whether to use TLS.".into())),
            SocketType::Ssl | SocketType::Starttls => {
                let raw = server.socket_type_raw.as_deref().unwrap_or("").trim();
                if raw != "SSL" && raw != "STARTTLS" {
                    out.push(finding(Severity::Warning, "socket-type-spelling", &location, format!("The socketType is spelled {raw:?}; Thunderbird compares exactly, write SSL or STARTTLS.")));
                }
            }
        }
        if server
            .username
            .as_deref()
            .is_none_or(|u| u.trim().is_empty())
        {
            out.push(finding(Severity::Error, "missing-username", &location, "The server has no <username>; Thunderbird for Android rejects the file. Use %EMAILADDRESS% or %EMAILLOCALPART%.".into()));
        }
        if let Some(unknown) = server.username.as_deref().and_then(unknown_placeholder) {
            out.push(finding(Severity::Warning, "unknown-placeholder", &location, format!("The username uses %{unknown}%, which clients do not fill in; the known placeholders are %EMAILADDRESS%, %EMAILLOCALPART% and %EMAILDOMAIN%.")));
        }
        if let (Some(port), Some(security)) = (port, server.socket_type.security()) {
            port_checks(
                &mut out,
                &location,
                port,
                security,
                server.server_type.protocol(),
            );
        }
    }
    for (servers, role) in [
        (&provider.incoming, "incoming"),
        (&provider.outgoing, "outgoing"),
    ] {
        let tcp_mail = servers.iter().any(|s| s.server_type.protocol().is_some());
        if tcp_mail && !servers.iter().any(|s| s.socket_type == SocketType::Ssl) {
            out.push(finding(Severity::Warning, "no-implicit-tls", "emailProvider", format!("No {role} server uses implicit TLS (socketType SSL); RFC 8314 recommends offering it.")));
        }
    }
    autoconfig_1_2::findings(config, &mut out);
    out
}

/// A provider's incoming and outgoing servers, each with the location findings name
/// (`incomingServer 1 (imap)`).
fn mail_sections(
    provider: &autoconfig::EmailProvider,
) -> impl Iterator<Item = (String, &autoconfig::Server)> + Clone {
    [
        ("incomingServer", &provider.incoming),
        ("outgoingServer", &provider.outgoing),
    ]
    .into_iter()
    .flat_map(|(element, servers)| {
        servers
            .iter()
            .enumerate()
            .map(move |(i, s)| (format!("{element} {} ({})", i + 1, s.server_type_raw), s))
    })
}

/// The findings every server entry shares: a missing host name (`missing_host` is the
/// message in that format's words) and a port that is not a number from 1 to 65535.
fn endpoint_findings(
    out: &mut Vec<Finding>,
    location: &str,
    (has_host, missing_host): (bool, &str),
    port: Option<u16>,
    port_raw: Option<&str>,
) {
    if !has_host {
        out.push(finding(
            Severity::Error,
            "missing-hostname",
            location,
            missing_host.into(),
        ));
    }
    if port.is_none() {
        out.push(finding(
            Severity::Error,
            "bad-port",
            location,
            format!(
                "The port {:?} is not a number from 1 to 65535.",
                port_raw.unwrap_or("missing")
            ),
        ));
    }
}

/// The first `%NAME%` token in `text` that is not a placeholder clients fill in.
fn unknown_placeholder(text: &str) -> Option<String> {
    let pieces: Vec<&str> = text.split('%').collect();
    // Pieces at odd positions sit between two percent signs.
    pieces
        .iter()
        .enumerate()
        .filter(|(index, piece)| {
            index % 2 == 1
                && index + 1 < pieces.len()
                && !piece.is_empty()
                && piece.chars().all(|c| c.is_ascii_uppercase())
        })
        .map(|(_, piece)| *piece)
        .find(|piece| {
            !matches!(
                *piece,
                "EMAILADDRESS" | "EMAILLOCALPART" | "EMAILDOMAIN" | "REALNAME"
            )
        })
        .map(str::to_string)
}

fn port_checks(
    out: &mut Vec<Finding>,
    location: &str,
    port: u16,
    security: Security,
    protocol: Option<Protocol>,
) {
    if security == Security::Tls && starttls_port(port) {
        out.push(finding(
            Severity::Warning,
            "port-security-mismatch",
            location,
            format!("Implicit TLS on port {port}, which is the STARTTLS port; check the port."),
        ));
    }
    if security == Security::Starttls && implicit_port(port) {
        out.push(finding(
            Severity::Warning,
            "port-security-mismatch",
            location,
            format!(
                "STARTTLS on port {port}, which is an implicit-TLS port; check the socket type."
            ),
        ));
    }
    if protocol == Some(Protocol::Submission) && port == 25 {
        out.push(finding(Severity::Warning, "port-25", location, "Port 25 is for server-to-server relay and is blocked on many networks; clients should submit on 465 or 587 (RFC 8314, RFC 6409).".into()));
    }
}

/// Lints a parsed Autodiscover response.
pub fn lint_autodiscover(response: &AutodiscoverResponse) -> Vec<Finding> {
    let mut out = Vec::new();
    let account = match response {
        AutodiscoverResponse::Error { code, message } => {
            out.push(finding(
                Severity::Error,
                "autodiscover-error",
                "Response",
                format!(
                    "The response is an error ({}: {}).",
                    code.as_deref().unwrap_or("no code"),
                    message.as_deref().unwrap_or("no message")
                ),
            ));
            return out;
        }
        AutodiscoverResponse::Account(account) => account,
    };
    if account.root_namespace.as_deref() != Some(autodiscover::RESPONSE_NAMESPACE) {
        out.push(finding(
            Severity::Warning,
            "namespace",
            "Autodiscover",
            format!(
                "The root namespace should be {}.",
                autodiscover::RESPONSE_NAMESPACE
            ),
        ));
    }
    match account.action() {
        Action::RedirectAddr(target) | Action::RedirectUrl(target) => {
            out.push(finding(
                Severity::Info,
                "redirect",
                "Account",
                format!("The response redirects to {target}."),
            ));
            return out;
        }
        Action::Other(raw) => {
            out.push(finding(
                Severity::Error,
                "no-incoming",
                "Account",
                format!(
                    "The action {:?} is not settings, redirectAddr or redirectUrl with a target.",
                    raw.unwrap_or_default()
                ),
            ));
            return out;
        }
        Action::Settings => {}
    }
    if account
        .account_type
        .as_deref()
        .is_some_and(|t| t != "email")
    {
        out.push(finding(
            Severity::Warning,
            "account-type",
            "Account",
            format!(
                "AccountType is {:?}; IMAP/POP3/SMTP answers use \"email\".",
                account.account_type.as_deref().unwrap_or("")
            ),
        ));
    }
    if !account
        .protocols
        .iter()
        .any(|p| matches!(p.kind, ProtocolType::Imap | ProtocolType::Pop3))
    {
        out.push(finding(
            Severity::Error,
            "no-incoming",
            "Account",
            "There is no IMAP or POP3 <Protocol>.".into(),
        ));
    }
    if !account
        .protocols
        .iter()
        .any(|p| p.kind == ProtocolType::Smtp)
    {
        out.push(finding(
            Severity::Error,
            "no-outgoing",
            "Account",
            "There is no SMTP <Protocol>.".into(),
        ));
    }
    for (index, p) in account.protocols.iter().enumerate() {
        let location = format!("Protocol {} ({})", index + 1, p.type_raw);
        if p.kind == ProtocolType::Other {
            continue;
        }
        let port = p.port();
        endpoint_findings(
            &mut out,
            &location,
            (p.server.is_some(), "The protocol has no <Server>."),
            port,
            p.port_raw.as_deref(),
        );
        if p.spa_on() {
            out.push(finding(Severity::Error, "spa-not-off", &location, format!("<SPA> is {}; Outlook then tries Secure Password Authentication (NTLM) and IMAP/POP3/SMTP logins fail. Add <SPA>off</SPA>.", p.spa.as_deref().map_or("missing".to_string(), |s| format!("{s:?}")))));
        }
        if p.login_name.is_none() && p.kind != ProtocolType::Smtp {
            out.push(finding(
                Severity::Warning,
                "missing-login-name",
                &location,
                "There is no <LoginName>; Outlook will guess the user name.".into(),
            ));
        }
        let encryption = p
            .encryption
            .as_deref()
            .map(|e| e.trim().to_ascii_uppercase());
        if let Some(port) = port {
            if encryption.as_deref() == Some("TLS") && implicit_port(port) {
                out.push(finding(Severity::Error, "encryption-tls-on-implicit-port", &location, format!("<Encryption>TLS</Encryption> on port {port}: Outlook reads TLS as STARTTLS, but port {port} speaks implicit TLS, so the connection fails. Use <Encryption>SSL</Encryption>.")));
            }
            if encryption.is_none()
                && !p
                    .ssl
                    .as_deref()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case("off"))
                && starttls_port(port)
            {
                out.push(finding(Severity::Warning, "ssl-on-starttls-port", &location, format!("<SSL>on</SSL> without <Encryption> on port {port}: clients may try implicit TLS on a STARTTLS port. Add <Encryption>TLS</Encryption>.")));
            }
            if p.kind == ProtocolType::Smtp && port == 25 {
                out.push(finding(Severity::Warning, "port-25", &location, "Port 25 is for server-to-server relay and is blocked on many networks; clients should submit on 465 or 587.".into()));
            }
        }
        match p.security() {
            Some(Security::Plain) => out.push(finding(Severity::Error, "plain-server", &location, "This protocol is unencrypted (SSL off or Encryption None): passwords would cross the network readable.".into())),
            None => out.push(finding(Severity::Error, "unknown-socket-type", &location, format!("The encryption {:?} is unknown or Auto; say SSL or TLS.", p.encryption.as_deref().unwrap_or("")))),
            Some(_) => {}
        }
    }
    out
}

/// The result of a conversion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    pub text: String,
    /// What was dropped or changed, in plain words.
    pub notes: Vec<String>,
}

/// Converts a file to the other format. Autoconfig → Autodiscover needs the user's address
/// (Autodiscover answers name the login); Autodiscover → autoconfig takes the domain from
/// `address` or from the login name, and turns the login back into a placeholder.
pub fn convert(
    text: &str,
    target: FileKind,
    address: Option<&MailInput>,
) -> Result<Conversion, LintError> {
    let kind = detect(text)?;
    let mut notes = Vec::new();
    let (incoming, outgoing, input, name) = match kind {
        FileKind::Autoconfig => {
            let config = autoconfig::parse(text)?;
            let provider = config
                .providers
                .first()
                .ok_or(LintError::NotConvertible("no <emailProvider>".into()))?;
            let candidates = |servers: &[autoconfig::Server]| -> Vec<_> {
                servers
                    .iter()
                    .filter_map(|s| s.to_candidate(Source::Autoconfig))
                    .collect()
            };
            let input = match address {
                Some(input) => input.clone(),
                None => {
                    let domain = provider
                        .domains
                        .first()
                        .or(provider.id.as_ref())
                        .ok_or(LintError::NotConvertible("no domain".into()))?;
                    parse_input(domain).map_err(|e| LintError::NotConvertible(e.to_string()))?
                }
            };
            (
                candidates(&provider.incoming),
                candidates(&provider.outgoing),
                input,
                provider.display_names.first().map(|d| d.text.clone()),
            )
        }
        FileKind::Autodiscover => {
            let AutodiscoverResponse::Account(account) = autodiscover::parse(text)? else {
                return Err(LintError::NotConvertible("the response is an error".into()));
            };
            let mut all: Vec<_> = account
                .protocols
                .iter()
                .filter_map(|p| p.to_candidate(Source::Autodiscover))
                .collect();
            let input = match address {
                Some(input) => input.clone(),
                None => {
                    let login = account
                        .protocols
                        .iter()
                        .find_map(|p| p.login_name.clone())
                        .unwrap_or_default();
                    parse_input(&login).map_err(|_| {
                        LintError::NotConvertible(
                            "give the address: the file names no login that is an address".into(),
                        )
                    })?
                }
            };
            for candidate in &mut all {
                if let UsernameForm::Other(login) = &candidate.username {
                    candidate.username = UsernameForm::of_login(login, &input);
                }
            }
            let (outgoing, incoming): (Vec<_>, Vec<_>) = all
                .into_iter()
                .partition(|c| c.protocol == Protocol::Submission);
            (incoming, outgoing, input, account.display_name.clone())
        }
        FileKind::Preset => {
            let preset = crate::preset::Preset::parse(text.as_bytes())
                .map_err(|error| LintError::NotConvertible(error.to_string()))?;
            let input = match address {
                Some(input) => input.clone(),
                None => {
                    let domain = preset.domains.first().ok_or(LintError::NotConvertible(
                        "the preset names no domains".into(),
                    ))?;
                    parse_input(domain).map_err(|e| LintError::NotConvertible(e.to_string()))?
                }
            };
            (
                preset.incoming.clone(),
                preset.outgoing.clone(),
                input,
                preset.provider_name.clone(),
            )
        }
        FileKind::Pacc => {
            let document = crate::formats::pacc::parse_document(text)?;
            let input = address.cloned().ok_or(LintError::NotConvertible(
                "give the address or domain: a PACC document does not name it".into(),
            ))?;
            let (outgoing, incoming): (Vec<_>, Vec<_>) = document
                .candidates()
                .into_iter()
                .partition(|c| c.protocol == Protocol::Submission);
            let name = Some(document.info.provider.name.clone()).filter(|n| !n.is_empty());
            (incoming, outgoing, input, name)
        }
    };
    for candidate in incoming.iter().chain(outgoing.iter()) {
        if candidate.security == Security::Plain {
            notes.push(format!(
                "Dropped the unencrypted {} server {}:{}.",
                candidate.protocol.label(),
                candidate.host,
                candidate.port
            ));
        }
    }
    let mut settings = Settings::new(input, incoming, outgoing);
    settings.provider_name = name;
    let text = match target {
        FileKind::Autoconfig => autoconfig::generate(&settings, autoconfig::Version::V1_1)?,
        FileKind::Autodiscover => autodiscover::generate(&settings)?,
        FileKind::Pacc => {
            let text = crate::formats::pacc::generate(&settings)?;
            notes.push(format!(
                "Publish the TXT record {} TXT \"{}\" with it.",
                crate::formats::pacc::record_name(&settings.input.domain.ascii),
                crate::formats::pacc::txt_value(&text)
            ));
            text
        }
        FileKind::Preset => return Err(LintError::NotConvertible(
            "Portolan writes no presets: portolan.json is written by hand (README, \"Embedding\")"
                .into(),
        )),
    };
    Ok(Conversion { text, notes })
}
