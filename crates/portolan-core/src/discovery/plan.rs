//! The lookups discovery makes for one address: eight DNS questions, sent all at once.

use serde::Serialize;

use crate::address::MailInput;
use crate::dns::{Question, RecordKind};
use crate::model::{Protocol, Security};

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
            Service::Autodiscover => None,
        }
    }
}

/// Why a question is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Purpose {
    Srv(Service),
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
    queries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_input;

    #[test]
    fn plan_asks_all_eight_questions_once() {
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
            ]
        );
    }
}
