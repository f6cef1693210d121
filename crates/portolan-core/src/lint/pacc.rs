//! The lint rules for a PACC document (draft-ietf-mailmaint-pacc) and its `_ua-auto-config`
//! TXT record: what a client cannot use (no server, a URL without TLS, no way to sign in), what
//! only one revision reads (`smtp` or `submit` alone), and whether the record's digest matches
//! the document's exact bytes.

use super::{finding, Finding, Severity, NAME_LIMIT, SHORT_NAME_LIMIT};
use crate::formats::pacc::{self, PaccDocument, Verification};
use crate::model::url_parts;

/// Lints a parsed document; `text` is its exact bytes, `records` the TXT values published for
/// it (empty when the caller has none to check).
pub(super) fn lint_pacc(document: &PaccDocument, text: &str, records: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let protocols = &document.protocols;
    let mail = protocols.imap.is_some() || protocols.pop3.is_some();
    if !mail && protocols.jmap.is_none() {
        out.push(finding(
            Severity::Error,
            "no-incoming",
            "protocols",
            "The document names no imap, pop3 or jmap server; mail clients have nothing to set up."
                .into(),
        ));
    }
    if mail && document.submission().is_none() {
        out.push(finding(
            Severity::Error,
            "no-outgoing",
            "protocols",
            "IMAP or POP3 is named but no submission server (smtp or submit); clients cannot send."
                .into(),
        ));
    }
    match (&protocols.smtp, &protocols.submit) {
        (Some(_), None) => out.push(finding(Severity::Info, "submission-spelling", "protocols", "Submission is named \"smtp\" only (draft -02); clients of draft -03 read \"submit\". Name the server under both keys.".into())),
        (None, Some(_)) => out.push(finding(Severity::Info, "submission-spelling", "protocols", "Submission is named \"submit\" only (draft -03); clients of draft -02 read \"smtp\". Name the server under both keys.".into())),
        (Some(a), Some(b)) if a != b => out.push(finding(Severity::Warning, "submission-spelling", "protocols", format!("\"smtp\" ({}) and \"submit\" ({}) name different servers; clients of the two revisions would send through different hosts.", a.host, b.host))),
        _ => {}
    }
    for (key, server) in [
        ("imap", &protocols.imap),
        ("pop3", &protocols.pop3),
        ("smtp", &protocols.smtp),
        ("submit", &protocols.submit),
        ("managesieve", &protocols.managesieve),
    ] {
        if let Some(server) = server {
            if crate::address::parse_domain(server.host.trim()).is_err()
                || !server.host.contains('.')
            {
                out.push(finding(
                    Severity::Error,
                    "missing-hostname",
                    &format!("protocols.{key}"),
                    format!("The host {:?} is not a host name.", server.host),
                ));
            }
        }
    }
    for (key, server) in [
        ("jmap", &protocols.jmap),
        ("caldav", &protocols.caldav),
        ("carddav", &protocols.carddav),
        ("webdav", &protocols.webdav),
    ] {
        let Some(server) = server else {
            continue;
        };
        let location = format!("protocols.{key}");
        match url_parts(&server.url) {
            Some(parts) if parts.scheme == "https" => {
                if parts.port.is_some_and(|port| port != 443) {
                    out.push(finding(Severity::Warning, "url-port", &location, format!("The URL {:?} names port {}; PACC servers are reached on the default HTTPS port.", server.url, parts.port.unwrap_or_default())));
                }
            }
            _ => out.push(finding(Severity::Error, "url-not-https", &location, format!("The URL {:?} is not an https:// URL; clients would send the password unprotected, or not at all.", server.url))),
        }
    }
    for key in protocols.unknown.keys() {
        out.push(finding(
            Severity::Info,
            "unknown-protocol",
            &format!("protocols.{key}"),
            format!("The protocol {key:?} is not one PACC defines; clients ignore it."),
        ));
    }
    let auth = document.authentication.clone().unwrap_or_default();
    if let Some(oauth) = &auth.oauth_public {
        if !oauth.issuer.trim().starts_with("https://") {
            out.push(finding(
                Severity::Error,
                "url-not-https",
                "authentication.oauth-public",
                format!(
                    "The issuer {:?} must be an https:// URL (clients fetch its metadata from it).",
                    oauth.issuer
                ),
            ));
        }
    }
    if auth.password == Some(false) && auth.oauth_public.is_none() {
        out.push(finding(Severity::Error, "no-authentication", "authentication", "The password is switched off and no oauth-public issuer is named: no client can sign in.".into()));
    }
    let provider = &document.info.provider;
    if provider.name.trim().is_empty() {
        out.push(finding(
            Severity::Warning,
            "no-provider-name",
            "info.provider",
            "The document has no info.provider.name; clients show it when they set up the account."
                .into(),
        ));
    }
    for (key, text, limit) in [
        ("name", Some(&provider.name), NAME_LIMIT),
        ("shortName", provider.short_name.as_ref(), SHORT_NAME_LIMIT),
    ] {
        if let Some(text) = text.filter(|text| text.chars().count() > limit) {
            out.push(finding(
                Severity::Warning,
                "display-name-too-long",
                &format!("info.provider.{key}"),
                format!("The {key} {text:?} is longer than {limit} characters."),
            ));
        }
    }
    let record = pacc::record_name("<your domain>");
    if records.is_empty() {
        out.push(finding(Severity::Info, "pacc-record", "document", format!("Clients use the document only when a TXT record vouches for these exact bytes: publish {record} TXT \"{}\".", pacc::txt_value(text))));
    } else {
        match pacc::verify(text.as_bytes(), records) {
            Verification::Matched => {}
            Verification::Mismatch { .. } => out.push(finding(Severity::Error, "pacc-digest-mismatch", "TXT record", format!("No record's digest matches the document, so clients will not use it; publish {record} TXT \"{}\" (or publish the document the record was made for).", pacc::txt_value(text)))),
            Verification::NoRecord { problems } => out.push(finding(Severity::Error, "pacc-record-invalid", "TXT record", format!("The TXT record cannot be read ({}); publish {record} TXT \"{}\".", if problems.is_empty() { "it is not a v=UAAC1 record".to_owned() } else { problems.join("; ") }, pacc::txt_value(text)))),
        }
    }
    out
}
