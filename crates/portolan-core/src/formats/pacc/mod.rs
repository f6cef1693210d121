//! PACC (draft-ietf-mailmaint-pacc): the JSON configuration document a provider serves at
//! `https://ua-auto-config.<domain>/.well-known/user-agent-configuration.json`, and the TXT
//! record `_ua-auto-config.<domain>` that vouches for it with the document's SHA-256 digest.
//!
//! API:
//! - [`parse_document`]`(&str) -> Result<PaccDocument, PaccError>` reads the JSON faithfully:
//!   unknown keys and protocols are ignored, never an error (must-ignore), both spellings of
//!   the submission key (`smtp` in -02, `submit` in -03) are read.
//! - [`parse_record`] reads one TXT value (`v=UAAC1; a=sha256; d=<base64>`: tags in any order,
//!   white space and a trailing `;` allowed, unknown tags ignored, a repeated tag invalid);
//!   [`verify`] compares the document's exact bytes with every record: the document is
//!   trusted only when one digest matches.
//! - [`PaccDocument::candidates`] and [`PaccDocument::services`] turn it into the model: PACC
//!   servers use implicit TLS on the standard ports (993, 995, 465) and the whole address as
//!   user name; the URL protocols become offered services.
//! - [`generate`] writes the document for [`Settings`] (keys in a fixed order, so the bytes
//!   and the digest are stable) and [`txt_value`] the record for those exact bytes. Only servers with
//!   implicit TLS on the standard port can be expressed in PACC; the rest are left out.
//!
//! Sources: draft-ietf-mailmaint-pacc-00 (read first-hand) and the -02/-03 layout as the
//! published implementations read it (`protocols`, `authentication`, `info`); see the README.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::{check_host, host_as_written, FormatError, Settings};
use crate::model::{
    url_parts, AuthMethod, Candidate, OfferedService, Protocol, Security, ServiceEndpoint,
    ServiceKind, Source, UsernameForm,
};

/// The host-name label the document is served under.
pub const HOST_LABEL: &str = "ua-auto-config";
/// The TXT record's owner label.
pub const RECORD_LABEL: &str = "_ua-auto-config";
/// The document's path on that host.
pub const PATH: &str = "/.well-known/user-agent-configuration.json";
/// The media type servers send.
pub const CONTENT_TYPE: &str = "application/json";
/// The record version tag.
pub const RECORD_VERSION: &str = "UAAC1";

/// The document's URL for a domain (ASCII form).
pub fn document_url(domain: &str) -> String {
    format!("https://{HOST_LABEL}.{domain}{PATH}")
}

/// The TXT record's owner name for a domain (ASCII form).
pub fn record_name(domain: &str) -> String {
    format!("{RECORD_LABEL}.{domain}")
}

/// Why a document or record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PaccError {
    #[error("The PACC document is not valid JSON: {0}")]
    Json(String),
    #[error("The PACC document is not a JSON object with \"protocols\".")]
    NotADocument,
    #[error("The TXT record is not a PACC record: {0}")]
    Record(String),
}

/// A server given by host name (IMAP, POP3, submission, ManageSieve).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostServer {
    pub host: String,
}

/// A server given by URL (JMAP, CalDAV, CardDAV, WebDAV).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrlServer {
    pub url: String,
}

/// The `protocols` object. Keys Portolan does not know are kept by name only.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Protocols {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imap: Option<HostServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pop3: Option<HostServer>,
    /// Submission as -02 spells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smtp: Option<HostServer>,
    /// Submission as -03 spells it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit: Option<HostServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managesieve: Option<HostServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jmap: Option<UrlServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caldav: Option<UrlServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carddav: Option<UrlServer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webdav: Option<UrlServer>,
    /// Every other key, for the linter (must-ignore for everything else).
    #[serde(flatten, skip_serializing)]
    pub unknown: BTreeMap<String, serde_json::Value>,
}

/// `authentication.oauth-public`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthPublic {
    pub issuer: String,
}

/// The `authentication` object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Authentication {
    #[serde(
        rename = "oauth-public",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub oauth_public: Option<OAuthPublic>,
    /// Whether the account password works (false for OAuth-only providers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<bool>,
}

/// One entry of `info.provider.logo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    pub url: String,
    #[serde(rename = "content-type", default)]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// `info.provider`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProviderInfo {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "shortName", default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logo: Vec<Logo>,
}

/// `info.help`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Help {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<String>,
}

/// The `info` object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Info {
    #[serde(default)]
    pub provider: ProviderInfo,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Help>,
}

/// A whole PACC document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PaccDocument {
    pub protocols: Protocols,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authentication: Option<Authentication>,
    #[serde(default)]
    pub info: Info,
}

/// Reads a PACC document.
pub fn parse_document(text: &str) -> Result<PaccDocument, PaccError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| PaccError::Json(error.to_string()))?;
    if value.get("protocols").is_none_or(|p| !p.is_object()) {
        return Err(PaccError::NotADocument);
    }
    serde_json::from_value(value).map_err(|error| PaccError::Json(error.to_string()))
}

impl PaccDocument {
    /// The submission server, under either spelling (`submit` wins when both are there).
    pub fn submission(&self) -> Option<&HostServer> {
        self.protocols
            .submit
            .as_ref()
            .or(self.protocols.smtp.as_ref())
    }

    /// The authentication methods the document allows, OAuth2 first.
    pub fn auth_methods(&self) -> Vec<AuthMethod> {
        let mut methods = Vec::new();
        let auth = self.authentication.clone().unwrap_or_default();
        if auth.oauth_public.is_some() {
            methods.push(AuthMethod::Oauth2);
        }
        if auth.password != Some(false) {
            methods.push(AuthMethod::PasswordCleartext);
        }
        methods
    }

    /// IMAP, POP3 and submission as candidates: implicit TLS on the standard port, the whole
    /// address as user name (PACC has no other form).
    pub fn candidates(&self) -> Vec<Candidate> {
        [
            (Protocol::Imap, self.protocols.imap.as_ref()),
            (Protocol::Pop3, self.protocols.pop3.as_ref()),
            (Protocol::Submission, self.submission()),
        ]
        .into_iter()
        .filter_map(|(protocol, server)| {
            let host = host_as_written(&server?.host);
            (!host.is_empty()).then(|| Candidate {
                username: UsernameForm::EmailAddress,
                auth: self.auth_methods(),
                ..Candidate::new(
                    protocol,
                    host,
                    protocol.default_port(Security::Tls),
                    Security::Tls,
                    Source::Pacc,
                )
            })
        })
        .collect()
    }

    /// The URL protocols as offered services (ManageSieve has no port PACC defines).
    pub fn services(&self, found: &str) -> Vec<OfferedService> {
        [
            (ServiceKind::Jmap, &self.protocols.jmap),
            (ServiceKind::Caldav, &self.protocols.caldav),
            (ServiceKind::Carddav, &self.protocols.carddav),
            (ServiceKind::Webdav, &self.protocols.webdav),
        ]
        .into_iter()
        .filter_map(|(service, server)| {
            Some(OfferedService {
                service,
                endpoint: ServiceEndpoint::Url {
                    url: server.as_ref()?.url.trim().to_owned(),
                },
                username: Some(UsernameForm::EmailAddress),
                auth: self.auth_methods(),
                source: Source::Pacc,
                trust: Vec::new(),
                found: found.to_owned(),
            })
        })
        .collect()
    }
}

/// One `_ua-auto-config` TXT record, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaccRecord {
    /// The `a=` tag (`sha256` is the only one defined).
    pub algorithm: String,
    /// The decoded `d=` digest.
    pub digest: Vec<u8>,
}

/// Reads one TXT value.
pub fn parse_record(text: &str) -> Result<PaccRecord, PaccError> {
    let bad = |why: &str| PaccError::Record(why.to_owned());
    if !text.is_ascii() {
        return Err(bad("it contains characters outside ASCII"));
    }
    let mut tags: BTreeMap<&str, &str> = BTreeMap::new();
    for part in text
        .split(';')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| bad(&format!("{part:?} is not a tag=value pair")))?;
        let name = name.trim();
        if tags.insert(name, value.trim()).is_some() && matches!(name, "v" | "a" | "d") {
            return Err(bad(&format!("the tag {name} appears twice")));
        }
    }
    match tags.get("v") {
        Some(&RECORD_VERSION) => {}
        Some(other) => {
            return Err(bad(&format!(
                "the version is {other:?}, not {RECORD_VERSION}"
            )))
        }
        None => return Err(bad("it has no v= tag")),
    }
    let algorithm = tags.get("a").ok_or_else(|| bad("it has no a= tag"))?;
    let digest = tags.get("d").ok_or_else(|| bad("it has no d= tag"))?;
    let digest = base64::engine::general_purpose::STANDARD
        .decode(digest)
        .map_err(|_| bad("the d= value is not base64"))?;
    if algorithm.eq_ignore_ascii_case("sha256") && digest.len() != 32 {
        return Err(bad(
            "the d= value is not 32 bytes long, as a SHA-256 digest is",
        ));
    }
    Ok(PaccRecord {
        algorithm: algorithm.to_ascii_lowercase(),
        digest,
    })
}

/// The SHA-256 digest of the document's bytes, base64 as the record writes it.
pub fn digest_base64(document: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(document))
}

/// What the TXT records say about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// A record's SHA-256 digest equals the document's.
    Matched,
    /// Records were there, but no digest matched (`digest` is the document's, base64).
    Mismatch { digest: String, records: usize },
    /// No readable record: `problems` says what was wrong with each unreadable one.
    NoRecord { problems: Vec<String> },
}

impl Verification {
    /// The verdict in one sentence.
    pub fn describe(&self, record_name: &str) -> String {
        match self {
            Verification::Matched => format!("Its SHA-256 digest matches the TXT record {record_name}, so whoever controls the domain's DNS published it."),
            Verification::Mismatch { digest, records } => format!("Not used: its SHA-256 digest ({digest}) matches none of the {records} TXT record(s) at {record_name}, so the document may not be the domain's (or the record was not updated with it)."),
            Verification::NoRecord { problems } if problems.is_empty() => format!("Not used: there is no TXT record at {record_name} to vouch for it."),
            Verification::NoRecord { problems } => format!("Not used: the TXT record at {record_name} cannot be read ({}).", problems.join("; ")),
        }
    }
}

/// Checks the document's exact bytes against the TXT values found.
pub fn verify(document: &[u8], txt_values: &[String]) -> Verification {
    let digest = Sha256::digest(document);
    let mut problems = Vec::new();
    let mut readable = 0;
    for value in txt_values {
        match parse_record(value) {
            Ok(record) if record.algorithm == "sha256" => {
                readable += 1;
                if record.digest.as_slice() == digest.as_slice() {
                    return Verification::Matched;
                }
            }
            Ok(record) => problems.push(format!("unknown algorithm {:?}", record.algorithm)),
            // A TXT record of some other kind at the name is not a PACC record at all.
            Err(PaccError::Record(why)) if value.contains("v=UAAC") => problems.push(why),
            Err(_) => {}
        }
    }
    if readable > 0 {
        Verification::Mismatch {
            digest: digest_base64(document),
            records: readable,
        }
    } else {
        Verification::NoRecord { problems }
    }
}

/// The document Portolan publishes for settings: the first IMAP, POP3 and submission server
/// with implicit TLS on the standard port, the services over HTTPS, OAuth2 when the
/// provider's issuer is known, and the provider's name and help.
pub fn from_settings(settings: &Settings) -> Result<PaccDocument, FormatError> {
    let standard = |protocol: Protocol| -> Result<Option<HostServer>, FormatError> {
        let servers: Vec<&Candidate> = match protocol {
            Protocol::Submission => settings.usable_outgoing().collect(),
            _ => settings.usable_incoming().collect(),
        };
        let Some(server) = servers.into_iter().find(|c| {
            c.protocol == protocol
                && c.security == Security::Tls
                && c.port == protocol.default_port(Security::Tls)
        }) else {
            return Ok(None);
        };
        check_host(&server.host)?;
        Ok(Some(HostServer {
            host: server.host.clone(),
        }))
    };
    let submission = standard(Protocol::Submission)?;
    let mut protocols = Protocols {
        imap: standard(Protocol::Imap)?,
        pop3: standard(Protocol::Pop3)?,
        // Both spellings, so clients of either revision find it.
        smtp: submission.clone(),
        submit: submission,
        ..Protocols::default()
    };
    if protocols.imap.is_none() && protocols.pop3.is_none() {
        return Err(FormatError::NoServer(
            "incoming (implicit TLS on 993 or 995)",
        ));
    }
    if protocols.submit.is_none() {
        return Err(FormatError::NoServer("outgoing (implicit TLS on 465)"));
    }
    for (service, _) in settings.https_services() {
        let ServiceEndpoint::Url { url } = &service.endpoint else {
            continue;
        };
        let slot = match service.service {
            ServiceKind::Jmap => &mut protocols.jmap,
            ServiceKind::Caldav => &mut protocols.caldav,
            ServiceKind::Carddav => &mut protocols.carddav,
            ServiceKind::Webdav => &mut protocols.webdav,
            _ => continue,
        };
        slot.get_or_insert_with(|| UrlServer { url: url.clone() });
    }
    let oauth_public = settings
        .oauth2_endpoints
        .as_ref()
        .and_then(|endpoints| endpoints.issuer.as_deref())
        .and_then(https_issuer)
        .map(|issuer| OAuthPublic { issuer });
    let password_works = settings
        .incoming
        .iter()
        .chain(&settings.outgoing)
        .any(|c| c.auth.is_empty() || c.auth.iter().any(|m| *m != AuthMethod::Oauth2));
    Ok(PaccDocument {
        protocols,
        authentication: Some(Authentication {
            oauth_public,
            password: Some(password_works),
        }),
        info: Info {
            provider: ProviderInfo {
                name: settings.display_name().to_owned(),
                short_name: None,
                logo: Vec::new(),
            },
            help: settings.documentation.first().map(|(url, _)| Help {
                documentation: Some(url.clone()),
                developer: None,
                contact: Vec::new(),
            }),
        },
    })
}

/// The issuer as an https URL: as written when it is one, `https://` added to a bare host name
/// (autoconfig and the knowledge write issuers so); `None` for anything else.
fn https_issuer(issuer: &str) -> Option<String> {
    let issuer = issuer.trim();
    match url_parts(issuer) {
        Some(parts) if parts.scheme.eq_ignore_ascii_case("https") => Some(issuer.to_owned()),
        Some(_) => None,
        None => check_host(issuer)
            .ok()
            .map(|()| format!("https://{issuer}")),
    }
}

/// Writes a document: keys in a fixed order, two-space indentation, a final newline. The
/// digest covers exactly these bytes.
pub fn write(document: &PaccDocument) -> Result<String, FormatError> {
    let mut text =
        serde_json::to_string_pretty(document).map_err(|error| FormatError::BadValue {
            context: "PACC document",
            value: String::new(),
            why: if error.is_io() {
                "i/o"
            } else {
                "not serialisable"
            },
        })?;
    text.push('\n');
    Ok(text)
}

/// Generates the PACC document for settings (see [`from_settings`]).
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    write(&from_settings(settings)?)
}

/// The TXT value for a document's exact bytes.
pub fn txt_value(document: &str) -> String {
    format!(
        "v={RECORD_VERSION}; a=sha256; d={}",
        digest_base64(document.as_bytes())
    )
}

/// The zone line for the record, with the document's digest.
pub fn txt_line(domain: &str, document: &str, ttl: u32) -> String {
    format!(
        "{}. {ttl} IN TXT \"{}\"",
        record_name(domain),
        txt_value(document)
    )
}

#[cfg(test)]
mod tests;
