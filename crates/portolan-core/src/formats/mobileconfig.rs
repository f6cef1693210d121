//! Apple configuration profiles (`.mobileconfig`) with one `com.apple.mail.managed` payload,
//! for Mail on macOS, iOS and iPadOS.
//!
//! API: [`generate`]`(&Settings) -> Result<String, FormatError>` and [`CONTENT_TYPE`] for the
//! download. Rules: ports are always explicit (without an outgoing port Apple Mail tries 25
//! first); `UseSSL` is true for implicit TLS and STARTTLS alike, because Apple's switch
//! cannot tell them apart and the port decides; UUIDs are derived from the input (a UUID
//! version 5 over the account's identity), so the same settings give the same profile and a
//! re-install replaces the old one. For a bare domain the address and user names are left
//! out and the device asks for them. CalDAV and CardDAV found for the account (over HTTPS)
//! get a `com.apple.caldav.account` / `com.apple.carddav.account` payload each.

use super::xml::XmlWriter;
use super::{FormatError, Settings};
use crate::model::{Candidate, Protocol, Security, ServiceEndpoint, ServiceKind, UsernameForm};

/// The MIME type a profile must be served with, or Safari will not offer to install it.
pub const CONTENT_TYPE: &str = "application/x-apple-aspen-config";
/// The file name extension.
pub const EXTENSION: &str = "mobileconfig";

/// Portolan's namespace for derived UUIDs (a fixed, random UUID).
const NAMESPACE: [u8; 16] = [
    0x6f, 0x3a, 0x1c, 0x52, 0x8e, 0x47, 0x4d, 0x2b, 0x9a, 0x05, 0x7c, 0x31, 0xe2, 0x58, 0xb4, 0x90,
];

/// A UUID version 5 (SHA-1, RFC 9562 §5.5) of `name` in Portolan's namespace, upper case.
pub fn derived_uuid(name: &str) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(&NAMESPACE);
    hasher.update(name.as_bytes());
    let digest = hasher.digest().bytes();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The reversed domain, for payload identifiers (`com.example`).
fn reversed(domain: &str) -> String {
    domain.split('.').rev().collect::<Vec<_>>().join(".")
}

enum Value<'a> {
    Str(&'a str),
    Int(u16),
    Bool(bool),
}

fn entry(w: &mut XmlWriter, key: &str, value: Value<'_>) -> Result<(), FormatError> {
    w.leaf("key", key)?;
    match value {
        Value::Str(text) => w.leaf("string", text),
        Value::Int(number) => w.leaf("integer", &number.to_string()),
        Value::Bool(flag) => {
            w.empty(if flag { "true" } else { "false" });
            Ok(())
        }
    }
}

/// The `{prefix}MailServer...` keys of one server (`prefix` is `Incoming` or `Outgoing`). The
/// user name is written only when it is known (`None` for a bare domain: the device asks).
fn server_entries(
    w: &mut XmlWriter,
    prefix: &str,
    server: &Candidate,
    login: Option<&str>,
) -> Result<(), FormatError> {
    let key = |name: &str| format!("{prefix}MailServer{name}");
    entry(w, &key("Authentication"), Value::Str("EmailAuthPassword"))?;
    entry(w, &key("HostName"), Value::Str(&server.host))?;
    entry(w, &key("PortNumber"), Value::Int(server.port))?;
    let uses_ssl = server.security != Security::Plain;
    entry(w, &key("UseSSL"), Value::Bool(uses_ssl))?;
    if let Some(login) = login {
        entry(w, &key("Username"), Value::Str(login))?;
    }
    Ok(())
}

/// Generates the profile.
pub fn generate(settings: &Settings) -> Result<String, FormatError> {
    let (incoming, outgoing) = settings.server_pair(None)?;
    let domain = &settings.input.domain.ascii;
    let address = settings.input.address_ascii();
    let who = settings.address_or_domain();
    let identity = format!(
        "{who}|{}|{}:{}:{}|{}:{}:{}",
        incoming.protocol.label(),
        incoming.host,
        incoming.port,
        incoming.security.as_str(),
        outgoing.host,
        outgoing.port,
        outgoing.security.as_str()
    );
    let profile_uuid = derived_uuid(&format!("profile|{identity}"));
    let mail_uuid = derived_uuid(&format!("mail|{identity}"));
    let base = format!("{}.portolan", reversed(domain));
    let name = settings.display_name().to_string();
    let description = format!("Mail account {who}");

    let mut w = XmlWriter::new();
    w.raw_line("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">");
    w.open("plist", &[("version", "1.0")])?;
    w.open("dict", &[])?;
    w.leaf("key", "PayloadContent")?;
    w.open("array", &[])?;
    w.open("dict", &[])?;
    entry(&mut w, "EmailAccountDescription", Value::Str(&description))?;
    if let Some(real_name) = &settings.real_name {
        entry(&mut w, "EmailAccountName", Value::Str(real_name))?;
    }
    let account_type = match incoming.protocol {
        Protocol::Pop3 => "EmailTypePOP",
        _ => "EmailTypeIMAP",
    };
    entry(&mut w, "EmailAccountType", Value::Str(account_type))?;
    if let Some(address) = &address {
        entry(&mut w, "EmailAddress", Value::Str(address))?;
    }
    let incoming_login = settings.login_for(incoming);
    let outgoing_login = settings.login_for(outgoing);
    let logins_known = address.is_some();
    server_entries(
        &mut w,
        "Incoming",
        incoming,
        logins_known.then_some(incoming_login.as_str()),
    )?;
    server_entries(
        &mut w,
        "Outgoing",
        outgoing,
        logins_known.then_some(outgoing_login.as_str()),
    )?;
    entry(
        &mut w,
        "OutgoingPasswordSameAsIncomingPassword",
        Value::Bool(incoming_login == outgoing_login),
    )?;
    entry(&mut w, "PayloadDescription", Value::Str(&description))?;
    entry(&mut w, "PayloadDisplayName", Value::Str(&name))?;
    entry(
        &mut w,
        "PayloadIdentifier",
        Value::Str(&format!("{base}.mail.{mail_uuid}")),
    )?;
    entry(&mut w, "PayloadType", Value::Str("com.apple.mail.managed"))?;
    entry(&mut w, "PayloadUUID", Value::Str(&mail_uuid))?;
    entry(&mut w, "PayloadVersion", Value::Int(1))?;
    entry(&mut w, "PreventAppSheet", Value::Bool(false))?;
    entry(&mut w, "PreventMove", Value::Bool(false))?;
    entry(&mut w, "SMIMEEnabled", Value::Bool(false))?;
    w.close("dict");
    for service in dav_services(settings) {
        dav_payload(&mut w, &service, &base, &identity)?;
    }
    w.close("array");
    entry(
        &mut w,
        "PayloadDescription",
        Value::Str(&format!(
            "Sets up the mail account {who} with encrypted connections (generated by Portolan)."
        )),
    )?;
    entry(
        &mut w,
        "PayloadDisplayName",
        Value::Str(&format!("{name} mail")),
    )?;
    entry(
        &mut w,
        "PayloadIdentifier",
        Value::Str(&format!("{base}.{profile_uuid}")),
    )?;
    entry(&mut w, "PayloadRemovalDisallowed", Value::Bool(false))?;
    entry(&mut w, "PayloadType", Value::Str("Configuration"))?;
    entry(&mut w, "PayloadUUID", Value::Str(&profile_uuid))?;
    entry(&mut w, "PayloadVersion", Value::Int(1))?;
    w.close("dict");
    w.close("plist");
    Ok(w.finish())
}

/// A CalDAV or CardDAV account to add to the profile: the first one of each kind the
/// settings name over HTTPS.
struct DavService<'a> {
    /// `CalDAV` or `CardDAV`: the key prefix and the payload type's middle.
    prefix: &'static str,
    host: &'a str,
    port: u16,
    /// The full URL when it names a context path; `None` for a well-known URL, which the
    /// device finds by itself (RFC 6764 §5).
    principal_url: Option<&'a str>,
    /// The user name, when the address is known (the device asks otherwise).
    login: Option<String>,
}

fn dav_services(settings: &Settings) -> Vec<DavService<'_>> {
    let mut found: Vec<DavService<'_>> = Vec::new();
    for (service, parts) in settings.https_services() {
        let prefix = match service.service {
            ServiceKind::Caldav => "CalDAV",
            ServiceKind::Carddav => "CardDAV",
            _ => continue,
        };
        let ServiceEndpoint::Url { url } = &service.endpoint else {
            continue;
        };
        found.push(DavService {
            prefix,
            host: parts.host,
            port: parts.port.unwrap_or(443),
            principal_url: service
                .service
                .is_context_path(parts.path)
                .then_some(url.as_str()),
            login: settings.input.address_ascii().map(|_| {
                settings.login(
                    service
                        .username
                        .as_ref()
                        .unwrap_or(&UsernameForm::EmailAddress),
                )
            }),
        });
    }
    found
}

/// One `com.apple.caldav.account` or `com.apple.carddav.account` payload.
fn dav_payload(
    w: &mut XmlWriter,
    service: &DavService<'_>,
    base: &str,
    identity: &str,
) -> Result<(), FormatError> {
    let prefix = service.prefix;
    let uuid = derived_uuid(&format!(
        "{prefix}|{identity}|{}:{}",
        service.host, service.port
    ));
    let what = if prefix == "CalDAV" {
        "Calendar"
    } else {
        "Contacts"
    };
    let lower = prefix.to_ascii_lowercase();
    w.open("dict", &[])?;
    entry(w, &format!("{prefix}AccountDescription"), Value::Str(what))?;
    entry(w, &format!("{prefix}HostName"), Value::Str(service.host))?;
    entry(w, &format!("{prefix}Port"), Value::Int(service.port))?;
    if let Some(url) = service.principal_url {
        entry(w, &format!("{prefix}PrincipalURL"), Value::Str(url))?;
    }
    entry(w, &format!("{prefix}UseSSL"), Value::Bool(true))?;
    if let Some(login) = &service.login {
        entry(w, &format!("{prefix}Username"), Value::Str(login))?;
    }
    entry(
        w,
        "PayloadDescription",
        Value::Str(&format!("{what} ({prefix})")),
    )?;
    entry(
        w,
        "PayloadIdentifier",
        Value::Str(&format!("{base}.{lower}.{uuid}")),
    )?;
    entry(
        w,
        "PayloadType",
        Value::Str(&format!("com.apple.{lower}.account")),
    )?;
    entry(w, "PayloadUUID", Value::Str(&uuid))?;
    entry(w, "PayloadVersion", Value::Int(1))?;
    w.close("dict");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_uuids_are_stable_version_5_and_distinct() {
        let a = derived_uuid("x");
        assert_eq!(a, derived_uuid("x"));
        assert_ne!(a, derived_uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        assert!(matches!(&a[19..20], "8" | "9" | "A" | "B"));
    }

    #[test]
    fn reversed_domain() {
        assert_eq!(reversed("mail.example.com"), "com.example.mail");
    }
}
