//! The lint rules for what version 1.2 of autoconfig added (draft-ietf-mailmaint-autoconfig):
//! URL-based server sections, the root sections (calendar, address book, ...), the `system`
//! attribute of `<authentication>`, `<domain purpose>`, the `<oAuth2>` element, and a 1.2
//! element in a file that says it is 1.1 (a 1.1 client ignores it, so the provider believes
//! something is published that those clients never see).

use super::{
    finding, mail_sections, Finding, Severity, NAME_ADVISED, NAME_LIMIT, SHORT_NAME_ADVISED,
    SHORT_NAME_LIMIT,
};
use crate::formats::autoconfig::{AuthSystem, Authentication, ClientConfig, Server, Version};
use crate::model::AuthMethod;

/// The findings for the 1.2 parts of a file (whatever its version says).
pub(super) fn findings(config: &ClientConfig, out: &mut Vec<Finding>) {
    let declared = config.version.as_deref().and_then(Version::from_name);
    let mut newer: Vec<String> = Vec::new();
    let Some(provider) = config.providers.first() else {
        return;
    };
    if !provider.mx_domains.is_empty() {
        newer.push("<domain purpose=\"mx\">".into());
    }
    for (purpose, domain) in &provider.other_purpose_domains {
        out.push(finding(
            Severity::Warning,
            "unknown-domain-purpose",
            "emailProvider",
            format!("The <domain> {domain:?} has purpose {purpose:?}; the only purpose defined is \"mx\", so clients ignore this domain."),
        ));
    }
    for (element, limit) in [
        ("displayName", (NAME_ADVISED, NAME_LIMIT)),
        ("displayShortName", (SHORT_NAME_ADVISED, SHORT_NAME_LIMIT)),
    ] {
        let texts = if element == "displayName" {
            &provider.display_names
        } else {
            &provider.display_short_names
        };
        for text in texts {
            let length = text.text.chars().count();
            if length > limit.1 {
                out.push(finding(
                    Severity::Warning,
                    "display-name-too-long",
                    element,
                    format!("The {element} {:?} has {length} characters; it must not be longer than {}, and should be at most {} (clients show it in narrow places).", text.text, limit.1, limit.0),
                ));
            }
        }
    }
    let mail_sections = mail_sections(provider);
    let root_sections = config.sections.iter().enumerate().map(|(i, section)| {
        (
            format!(
                "{} {} ({})",
                section.element.name(),
                i + 1,
                section.server.server_type_raw
            ),
            &section.server,
        )
    });
    for (location, server) in mail_sections.clone() {
        if server.server_type.is_new_in_1_2() {
            newer.push(format!("type=\"{}\"", server.server_type_raw));
            if server.server_type.is_url_based() {
                url_section(out, &location, server);
            } else {
                tcp_section(out, &location, server);
            }
        }
        authentication(out, &location, server, &mut newer);
    }
    for section in &config.sections {
        newer.push(format!("<{}>", section.element.name()));
    }
    for ((location, server), section) in root_sections.zip(&config.sections) {
        let expected = section.element.expected_types();
        if !expected.is_empty() && !expected.contains(&server.server_type) {
            let names: Vec<&str> = expected.iter().filter_map(|t| t.name()).collect();
            out.push(finding(
                Severity::Warning,
                "section-type-mismatch",
                &location,
                format!(
                    "A <{}> section of type {:?}: the types registered for it are {}; clients skip it.",
                    section.element.name(),
                    server.server_type_raw,
                    names.join(", ")
                ),
            ));
        }
        if server.server_type.is_url_based() {
            url_section(out, &location, server);
        } else {
            tcp_section(out, &location, server);
        }
        authentication(out, &location, server, &mut newer);
    }
    oauth2(config, out, &mut newer, mail_sections.map(|(_, s)| s));
    if config.update_url.is_some() {
        newer.push("<clientConfigUpdate>".into());
    }
    if declared == Some(Version::V1_1) && !newer.is_empty() {
        let mut once: Vec<String> = Vec::new();
        for item in newer {
            if !once.contains(&item) {
                once.push(item);
            }
        }
        let newer = once;
        out.push(finding(
            Severity::Warning,
            "newer-than-version",
            "clientConfig",
            format!(
                "The file says version=\"1.1\" but uses what version 1.2 added ({}); write version=\"1.2\" so clients and tools know to look for it.",
                newer.join(", ")
            ),
        ));
    }
}

/// A TCP section of a type 1.1 did not know (ManageSieve, XMPP over TCP) needs a host and
/// port, and never plain text.
fn tcp_section(out: &mut Vec<Finding>, location: &str, server: &Server) {
    if server.hostname.is_none() || server.port().is_none() {
        out.push(finding(
            Severity::Error,
            "missing-hostname",
            location,
            "The section has no <hostname> and <port>; clients cannot connect.".into(),
        ));
    } else if server.socket_type.security() == Some(crate::model::Security::Plain) {
        out.push(finding(Severity::Error, "plain-server", location, "This section uses socketType plain: the password would cross the network unencrypted. Offer SSL or STARTTLS.".into()));
    }
}

/// A URL-based section must name an HTTPS (or secure WebSocket) URL.
fn url_section(out: &mut Vec<Finding>, location: &str, server: &Server) {
    match server.url.as_deref().map(str::trim) {
        None | Some("") => out.push(finding(
            Severity::Error,
            "missing-url",
            location,
            format!(
                "A {} section needs a <url>; clients skip it without one.",
                server.server_type_raw
            ),
        )),
        Some(url) if !(url.starts_with("https://") || url.starts_with("wss://")) => {
            out.push(finding(
                Severity::Error,
                "url-not-https",
                location,
                format!("The URL {url:?} is not https://: the password and data would cross the network unprotected."),
            ))
        }
        Some(_) => {}
    }
    if server
        .username
        .as_deref()
        .is_none_or(|u| u.trim().is_empty())
    {
        out.push(finding(
            Severity::Warning,
            "missing-username",
            location,
            "The section has no <username>; use %EMAILADDRESS% or %EMAILLOCALPART%.".into(),
        ));
    }
}

/// The `<authentication>` elements of one section.
fn authentication(
    out: &mut Vec<Finding>,
    location: &str,
    server: &Server,
    newer: &mut Vec<String>,
) {
    for auth in &server.authentication {
        let value = auth.value.trim();
        if auth.system.is_some() {
            newer.push("<authentication system=...>".into());
        }
        if auth.system() == AuthSystem::Autoconfig && value.eq_ignore_ascii_case("oauth") {
            newer.push("<authentication>OAuth</authentication>".into());
        }
        if auth.system() == AuthSystem::Http && value.eq_ignore_ascii_case("bearer") {
            out.push(finding(
                Severity::Error,
                "http-bearer",
                location,
                "<authentication system=\"http\">Bearer</authentication> is invalid; OAuth2 is written <authentication>OAuth2</authentication>, without system.".into(),
            ));
        } else if auth.system() == AuthSystem::Unknown {
            out.push(finding(
                Severity::Warning,
                "unknown-authentication",
                location,
                format!("The authentication system {:?} is unknown (the draft defines \"sasl\" and \"http\"); clients skip this method.", auth.system.as_deref().unwrap_or("")),
            ));
        } else if !auth.is_known() {
            out.push(finding(
                Severity::Warning,
                "unknown-authentication",
                location,
                format!("The authentication {value:?} is not a value clients know; they skip it."),
            ));
        }
    }
    // A specific SASL mechanism should be followed by a generic method (the draft's
    // "Recommending specific SASL schemes").
    if let Some(last) = server.authentication.last() {
        if last.system() == AuthSystem::Sasl
            && !server.authentication.iter().any(|auth: &Authentication| {
                auth.system() == AuthSystem::Autoconfig && auth.is_known()
            })
        {
            out.push(finding(
                Severity::Info,
                "sasl-without-fallback",
                location,
                format!("The section names the SASL mechanism {:?} but no general method after it; clients that lack that mechanism skip the section. Add <authentication>password-cleartext</authentication> (or another general method) after it.", last.value.trim()),
            ));
        }
    }
}

/// The `<oAuth2>` element: needed by 1.2 clients when a section names OAuth2, and complete.
fn oauth2<'a>(
    config: &ClientConfig,
    out: &mut Vec<Finding>,
    newer: &mut Vec<String>,
    mail_servers: impl Iterator<Item = &'a Server>,
) {
    let mut servers: Vec<&Server> = mail_servers.collect();
    servers.extend(config.sections.iter().map(|section| &section.server));
    let names_oauth2 = servers
        .iter()
        .any(|server| server.auth_methods().contains(&AuthMethod::Oauth2));
    match &config.oauth2 {
        None if names_oauth2 => {
            let version = config.version.as_deref().and_then(Version::from_name);
            let (severity, message) = if version == Some(Version::V1_1) {
                (Severity::Info, "A server names OAuth2 but the file has no <oAuth2> element: Thunderbird finds the endpoints in its own list of providers, other clients cannot sign in. Add <oAuth2> (autoconfig 1.2) with authURL, tokenURL, issuer and scope.")
            } else {
                (Severity::Warning, "A server names OAuth2 but the file has no <oAuth2> element; a 1.2 client has no endpoints to sign in with. Add <oAuth2> with authURL, tokenURL, issuer and scope.")
            };
            out.push(finding(
                severity,
                "oauth2-without-endpoints",
                "clientConfig",
                message.into(),
            ));
        }
        None => {}
        Some(endpoints) => {
            if endpoints.client_id.is_some() || endpoints.client_secret.is_some() {
                newer.push("<clientID>".into());
            }
            let missing: Vec<&str> = [
                ("authURL", &endpoints.auth_url),
                ("tokenURL", &endpoints.token_url),
                ("issuer", &endpoints.issuer),
                ("scope", &endpoints.scope),
            ]
            .into_iter()
            .filter(|(_, value)| value.as_deref().is_none_or(|v| v.trim().is_empty()))
            .map(|(name, _)| name)
            .collect();
            if !missing.is_empty() {
                out.push(finding(
                    Severity::Warning,
                    "oauth2-incomplete",
                    "oAuth2",
                    format!(
                        "The <oAuth2> element lacks {}; clients cannot sign in without it.",
                        missing.join(", ")
                    ),
                ));
            }
            for (name, url) in [
                ("authURL", &endpoints.auth_url),
                ("tokenURL", &endpoints.token_url),
            ] {
                if let Some(url) = url
                    .as_deref()
                    .filter(|url| !url.trim().starts_with("https://"))
                {
                    out.push(finding(
                        Severity::Error,
                        "url-not-https",
                        "oAuth2",
                        format!("The {name} {url:?} is not https://; tokens would cross the network unprotected."),
                    ));
                }
            }
        }
    }
}
