//! The lookups discovery makes for one address: sixteen DNS questions, sent all at once: the
//! mail SRV records (RFC 6186, RFC 8314), Autodiscover's, the MX, and what the account also
//! offers (JMAP, RFC 8620 §2.2; CalDAV and CardDAV with their context paths, RFC 6764), and
//! the PACC document's digest (draft-ietf-mailmaint-pacc).

use serde::Serialize;

use crate::address::MailInput;
use crate::dns::{Question, RecordKind};
use crate::model::{Protocol, Security, ServiceKind};

/// An SRV service discovery asks about (RFC 6186, RFC 8314, and Microsoft's Autodiscover).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Service {
    Submissions,
    Submission,
    Imaps,
    Imap,
    Pop3s,
    Pop3,
    Autodiscover,
    /// JMAP (RFC 8620 §2.2).
    Jmap,
    /// CalDAV over TLS (RFC 6764 §3).
    Caldavs,
    /// CalDAV without TLS: reported, never recommended.
    Caldav,
    /// CardDAV over TLS (RFC 6764 §3).
    Carddavs,
    /// CardDAV without TLS: reported, never recommended.
    Carddav,
}

impl Service {
    /// The mail services in RFC 8314 §5.1 preference order: implicit TLS before STARTTLS,
    /// and IMAP before POP3.
    pub const MAIL: [Service; 6] = [
        Service::Submissions,
        Service::Submission,
        Service::Imaps,
        Service::Imap,
        Service::Pop3s,
        Service::Pop3,
    ];

    /// The services an account offers besides mail, TLS forms first.
    pub const ACCOUNT: [Service; 5] = [
        Service::Jmap,
        Service::Caldavs,
        Service::Caldav,
        Service::Carddavs,
        Service::Carddav,
    ];

    /// For [`Service::ACCOUNT`]: the service and whether the SRV name is the TLS form.
    pub fn offered(self) -> Option<(ServiceKind, bool)> {
        match self {
            Service::Jmap => Some((ServiceKind::Jmap, true)),
            Service::Caldavs => Some((ServiceKind::Caldav, true)),
            Service::Caldav => Some((ServiceKind::Caldav, false)),
            Service::Carddavs => Some((ServiceKind::Carddav, true)),
            Service::Carddav => Some((ServiceKind::Carddav, false)),
            _ => None,
        }
    }

    /// The SRV label, like `_imaps._tcp`.
    pub fn label(self) -> &'static str {
        match self {
            Service::Submissions => "_submissions._tcp",
            Service::Submission => "_submission._tcp",
            Service::Imaps => "_imaps._tcp",
            Service::Imap => "_imap._tcp",
            Service::Pop3s => "_pop3s._tcp",
            Service::Pop3 => "_pop3._tcp",
            Service::Autodiscover => "_autodiscover._tcp",
            Service::Jmap => "_jmap._tcp",
            Service::Caldavs => "_caldavs._tcp",
            Service::Caldav => "_caldav._tcp",
            Service::Carddavs => "_carddavs._tcp",
            Service::Carddav => "_carddav._tcp",
        }
    }

    /// The mail protocol and security the service stands for; `None` for Autodiscover.
    ///
    /// The services without `s` use STARTTLS: RFC 8314 §3.3 and §4 forbid plaintext, and
    /// Portolan never offers it as a setting.
    pub fn endpoint(self) -> Option<(Protocol, Security)> {
        match self {
            Service::Submissions => Some((Protocol::Submission, Security::Tls)),
            Service::Submission => Some((Protocol::Submission, Security::Starttls)),
            Service::Imaps => Some((Protocol::Imap, Security::Tls)),
            Service::Imap => Some((Protocol::Imap, Security::Starttls)),
            Service::Pop3s => Some((Protocol::Pop3, Security::Tls)),
            Service::Pop3 => Some((Protocol::Pop3, Security::Starttls)),
            Service::Autodiscover
            | Service::Jmap
            | Service::Caldavs
            | Service::Caldav
            | Service::Carddavs
            | Service::Carddav => None,
        }
    }
}

/// Why a question is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Purpose {
    Srv(Service),
    /// The TXT record next to a CalDAV or CardDAV SRV record: its `path=` (RFC 6764 §4).
    ContextPath(Service),
    /// The `_ua-auto-config` TXT record: the PACC document's digest.
    PaccDigest,
    Mx,
    /// A record the provider audit reads (`crate::audit::gather`).
    Audit(crate::audit::gather::AuditRecord),
}

/// One planned DNS lookup.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PlannedQuery {
    pub purpose: Purpose,
    pub question: Question,
}

/// All lookups for `input`, in a fixed order. Drivers send them all at once, in parallel: none
/// depends on another, so discovery costs about one resolver round trip.
pub fn plan(input: &MailInput) -> Vec<PlannedQuery> {
    let domain = &input.domain.ascii;
    let mut queries: Vec<PlannedQuery> = Service::MAIL
        .iter()
        .chain([Service::Autodiscover].iter())
        .map(|service| PlannedQuery {
            purpose: Purpose::Srv(*service),
            question: Question::new(&format!("{}.{domain}", service.label()), RecordKind::Srv),
        })
        .collect();
    queries.push(PlannedQuery {
        purpose: Purpose::Mx,
        question: Question::new(domain, RecordKind::Mx),
    });
    for service in Service::ACCOUNT {
        queries.push(PlannedQuery {
            purpose: Purpose::Srv(service),
            question: Question::new(&format!("{}.{domain}", service.label()), RecordKind::Srv),
        });
    }
    queries.push(PlannedQuery {
        purpose: Purpose::PaccDigest,
        question: Question::new(&crate::formats::pacc::record_name(domain), RecordKind::Txt),
    });
    for service in [Service::Caldavs, Service::Carddavs] {
        queries.push(PlannedQuery {
            purpose: Purpose::ContextPath(service),
            question: Question::new(&format!("{}.{domain}", service.label()), RecordKind::Txt),
        });
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_input;

    #[test]
    fn plan_asks_every_question_once() {
        let input = parse_input("user@Bücher.example").unwrap();
        let names: Vec<String> = plan(&input)
            .iter()
            .map(|query| format!("{} {}", query.question.kind.as_str(), query.question.name))
            .collect();
        assert_eq!(
            names,
            [
                "SRV _submissions._tcp.xn--bcher-kva.example",
                "SRV _submission._tcp.xn--bcher-kva.example",
                "SRV _imaps._tcp.xn--bcher-kva.example",
                "SRV _imap._tcp.xn--bcher-kva.example",
                "SRV _pop3s._tcp.xn--bcher-kva.example",
                "SRV _pop3._tcp.xn--bcher-kva.example",
                "SRV _autodiscover._tcp.xn--bcher-kva.example",
                "MX xn--bcher-kva.example",
                "SRV _jmap._tcp.xn--bcher-kva.example",
                "SRV _caldavs._tcp.xn--bcher-kva.example",
                "SRV _caldav._tcp.xn--bcher-kva.example",
                "SRV _carddavs._tcp.xn--bcher-kva.example",
                "SRV _carddav._tcp.xn--bcher-kva.example",
                "TXT _ua-auto-config.xn--bcher-kva.example",
                "TXT _caldavs._tcp.xn--bcher-kva.example",
                "TXT _carddavs._tcp.xn--bcher-kva.example",
            ]
        );
    }
}
