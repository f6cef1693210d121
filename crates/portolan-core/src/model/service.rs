//! Services an account offers besides IMAP, POP3 and SMTP: JMAP, CalDAV, CardDAV, ManageSieve
//! and the Microsoft protocols. Discovery finds them (SRV records, autoconfig 1.2, PACC) and
//! shows them as what the account also offers; the `.mobileconfig`, autoconfig 1.2 and the
//! DNS zone lines carry the ones those formats know. The engine never recommends them in place
//! of IMAP: they are facts to show, not settings to choose.

use serde::{Deserialize, Serialize};

use super::{AuthMethod, Security, Source, Trust, UsernameForm};

/// A protocol for something other than IMAP/POP3/SMTP mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceKind {
    /// JMAP (RFC 8620, 8621): mail, and with extensions contacts and calendars, over HTTPS.
    Jmap,
    /// CalDAV (RFC 4791): calendars.
    Caldav,
    /// CardDAV (RFC 6352): address books.
    Carddav,
    /// WebDAV (RFC 4918): file sharing.
    Webdav,
    /// ManageSieve (RFC 5804): server-side filter rules.
    Managesieve,
    /// Microsoft Exchange Web Services.
    Ews,
    /// Microsoft Exchange ActiveSync.
    ActiveSync,
    /// Microsoft Graph.
    Graph,
}

impl ServiceKind {
    /// Every kind, in display order.
    pub const ALL: [ServiceKind; 8] = [
        ServiceKind::Jmap,
        ServiceKind::Caldav,
        ServiceKind::Carddav,
        ServiceKind::Webdav,
        ServiceKind::Managesieve,
        ServiceKind::Ews,
        ServiceKind::ActiveSync,
        ServiceKind::Graph,
    ];

    /// The name people know.
    pub fn label(self) -> &'static str {
        match self {
            ServiceKind::Jmap => "JMAP",
            ServiceKind::Caldav => "CalDAV",
            ServiceKind::Carddav => "CardDAV",
            ServiceKind::Webdav => "WebDAV",
            ServiceKind::Managesieve => "ManageSieve",
            ServiceKind::Ews => "Exchange Web Services",
            ServiceKind::ActiveSync => "Exchange ActiveSync",
            ServiceKind::Graph => "Microsoft Graph",
        }
    }

    /// What the service is for, in plain words.
    pub fn purpose(self) -> &'static str {
        match self {
            ServiceKind::Jmap => "mail over HTTPS (a modern alternative to IMAP, RFC 8620)",
            ServiceKind::Caldav => "calendars (RFC 4791)",
            ServiceKind::Carddav => "contacts (RFC 6352)",
            ServiceKind::Webdav => "file sharing (RFC 4918)",
            ServiceKind::Managesieve => "filter rules kept on the server (RFC 5804)",
            ServiceKind::Ews => "Microsoft Exchange mail, calendar and contacts",
            ServiceKind::ActiveSync => "Microsoft Exchange mail, calendar and contacts on phones",
            ServiceKind::Graph => "Microsoft 365 mail, calendar and contacts",
        }
    }

    /// True for the protocols reached through a URL; false for the TCP ones (ManageSieve).
    pub fn is_url_based(self) -> bool {
        self != ServiceKind::Managesieve
    }

    /// The well-known path a client starts from without a context path (RFC 8620 §2.2,
    /// RFC 6764 §5), for the services that have one.
    pub fn well_known_path(self) -> Option<&'static str> {
        match self {
            ServiceKind::Jmap => Some("/.well-known/jmap"),
            ServiceKind::Caldav => Some("/.well-known/caldav"),
            ServiceKind::Carddav => Some("/.well-known/carddav"),
            _ => None,
        }
    }

    /// True when `path` names a context path a client must be told, not the root or the
    /// service's well-known path (which a client finds by itself).
    pub fn is_context_path(self, path: &str) -> bool {
        path != "/" && Some(path) != self.well_known_path()
    }
}

/// How to reach a service: a URL, or a host, port and security.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ServiceEndpoint {
    Url {
        url: String,
    },
    Host {
        host: String,
        port: u16,
        security: Security,
    },
}

impl ServiceEndpoint {
    /// The endpoint as one line: the URL, or `host:port (security)`.
    pub fn describe(&self) -> String {
        match self {
            ServiceEndpoint::Url { url } => url.clone(),
            ServiceEndpoint::Host {
                host,
                port,
                security,
            } => format!("{host}:{port} ({})", security.in_words()),
        }
    }
}

/// One service the account also offers, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedService {
    pub service: ServiceKind,
    pub endpoint: ServiceEndpoint,
    /// The user name form, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<UsernameForm>,
    /// Authentication methods, best first; empty when the source does not say.
    #[serde(default)]
    pub auth: Vec<AuthMethod>,
    pub source: Source,
    /// Trust markers, sorted, without duplicates.
    #[serde(default)]
    pub trust: Vec<Trust>,
    /// Where exactly it was found, in plain words.
    pub found: String,
}

/// True for a path that can travel anywhere as it is (a TXT `path=` value, a URL): it starts
/// with `/` and holds only visible ASCII other than quotes and backslashes.
pub fn is_plain_path(path: &str) -> bool {
    path.starts_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

impl OfferedService {
    /// True when the domain vouches for the service, so files may carry it: a host within the
    /// domain, or one outside it in a DNSSEC-validated answer; never one found only without
    /// encryption.
    pub fn vouched_for(&self) -> bool {
        !self.trust.contains(&Trust::Unauthenticated)
            && (!self
                .trust
                .contains(&Trust::ThirdPartyTargetNeedsConfirmation)
                || self.trust.contains(&Trust::DnssecValidated))
    }
}

/// The parts of a service URL the writers need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    pub scheme: &'a str,
    pub host: &'a str,
    /// The port written in the URL, if any.
    pub port: Option<u16>,
    /// The path, `/` when the URL has none.
    pub path: &'a str,
}

/// Splits `scheme://[user@]host[:port][/path]`; `None` when there is no scheme or host, or
/// the port is not a number from 1 to 65535. The path is `/` when the URL has none (or only a
/// query). IPv6 literals are not service URLs Portolan writes.
pub fn url_parts(url: &str) -> Option<UrlParts<'_>> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(at) if rest[at..].starts_with('/') => (&rest[..at], &rest[at..]),
        Some(at) => (&rest[..at], "/"),
        None => (rest, "/"),
    };
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
    let (host, port) = match host_port.split_once(':') {
        Some((host, port)) => (host, Some(port.parse().ok().filter(|port| *port != 0)?)),
        None => (host_port, None),
    };
    (!host.is_empty() && !scheme.is_empty()).then_some(UrlParts {
        scheme,
        host,
        port,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_parts_reads_scheme_host_port_and_path() {
        let parts = url_parts("https://u@dav.example.com:8443/cal/?x").unwrap();
        assert_eq!(
            (parts.scheme, parts.host, parts.port, parts.path),
            ("https", "dav.example.com", Some(8443), "/cal/?x")
        );
        assert_eq!(url_parts("https://jmap.example.com").unwrap().path, "/");
        assert_eq!(url_parts("not a url"), None);
        assert_eq!(url_parts("https:///path"), None);
        assert_eq!(url_parts("https://h:port/"), None);
        assert_eq!(url_parts("https://h:0/"), None);
        assert_eq!(url_parts("https://h.example?x=1").unwrap().path, "/");
        assert!(ServiceKind::Caldav.is_context_path("/dav/"));
        assert!(!ServiceKind::Caldav.is_context_path("/.well-known/caldav"));
        assert!(!ServiceKind::Jmap.is_context_path("/"));
        assert!(is_plain_path("/dav/calendars/"));
        for bad in ["dav/", "/a b", "/a\"b", "/a\\b", "/é"] {
            assert!(!is_plain_path(bad), "{bad}");
        }
    }
}
