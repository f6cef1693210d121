//! What the audit asks, in rounds a driver sends in parallel: the records of the first round
//! ([`first_lookups`], next to discovery's own lookups and fetches, and [`policy_url`]), then
//! whatever the answers call for ([`follow_ups`]: the domains SPF includes, to count their
//! lookups, and the TLSA records of the MX hosts), and the ports to check
//! ([`port_targets`]). **Both drivers follow these functions**, so an audit costs a handful of
//! round trips: the longest chain is an SPF include tree, capped by RFC 7208's limit.

use serde::Serialize;

use crate::discovery::{Answered, PlannedQuery, Purpose};
use crate::dns::{Outcome, Question, RecordKind};
use crate::model::{Discovery, Protocol, Security, Source};

use super::{spf, tlsa};

/// Which record an audit lookup reads (the name is in the question).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditRecord {
    /// The domain's SPF record (TXT at the domain).
    Spf,
    /// The SPF record of a domain an SPF record includes or redirects to.
    SpfInclude,
    /// `_dmarc.<domain>`.
    Dmarc,
    /// `<selector>._domainkey.<domain>`.
    Dkim,
    /// `_mta-sts.<domain>`.
    MtaSts,
    /// `_smtp._tls.<domain>`.
    TlsRpt,
    /// `default._bimi.<domain>`.
    Bimi,
    /// `_25._tcp.<mx host>`.
    Tlsa,
}

/// Which ports of each mail host are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PortSet {
    /// The ports mail apps use: 993, 143, 995, 110, 465, 587.
    #[default]
    Client,
    /// Those and port 25 of the MX hosts.
    All,
}

/// The client ports, with what is spoken on each, in report order.
pub const CLIENT_PORTS: [(u16, Protocol, Security); 6] = [
    (993, Protocol::Imap, Security::Tls),
    (143, Protocol::Imap, Security::Starttls),
    (995, Protocol::Pop3, Security::Tls),
    (110, Protocol::Pop3, Security::Starttls),
    (465, Protocol::Submission, Security::Tls),
    (587, Protocol::Submission, Security::Starttls),
];

/// The most rounds of [`follow_ups`] a driver sends: an SPF include tree is at most
/// [`MAX_SPF_FOLLOWED`] deep, plus the TLSA round beside it.
pub const MAX_FOLLOW_UP_ROUNDS: usize = MAX_SPF_FOLLOWED + 2;

/// The most include and redirect targets followed: RFC 7208 §4.6.4 stops at 10 lookups, so a
/// tree with more is an error whatever the rest says.
pub const MAX_SPF_FOLLOWED: usize = 10;

fn lookup(record: AuditRecord, name: &str, kind: RecordKind) -> PlannedQuery {
    PlannedQuery {
        purpose: Purpose::Audit(record),
        question: Question::new(name, kind),
    }
}

/// The selector names the admin gave, checked: a DNS label each (letters, digits, hyphens,
/// underscores; dots for sub-selectors). The error names the first bad one.
pub fn check_selectors(selectors: &[String]) -> Result<(), String> {
    for selector in selectors {
        let valid = !selector.is_empty()
            && selector.len() <= 63
            && selector.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if !valid {
            return Err(format!(
                "{selector:?} is not a DKIM selector: use letters, digits, hyphens and underscores"
            ));
        }
    }
    Ok(())
}

/// The first round's records for `domain` (ASCII), sent with discovery's lookups.
pub fn first_lookups(domain: &str, dkim_selectors: &[String]) -> Vec<PlannedQuery> {
    let mut queries = vec![
        lookup(AuditRecord::Spf, domain, RecordKind::Txt),
        lookup(
            AuditRecord::Dmarc,
            &format!("_dmarc.{domain}"),
            RecordKind::Txt,
        ),
        lookup(
            AuditRecord::MtaSts,
            &format!("_mta-sts.{domain}"),
            RecordKind::Txt,
        ),
        lookup(
            AuditRecord::TlsRpt,
            &format!("_smtp._tls.{domain}"),
            RecordKind::Txt,
        ),
        lookup(
            AuditRecord::Bimi,
            &super::bimi::owner_for(domain),
            RecordKind::Txt,
        ),
    ];
    queries.extend(dkim_selectors.iter().map(|selector| {
        lookup(
            AuditRecord::Dkim,
            &format!("{selector}._domainkey.{domain}"),
            RecordKind::Txt,
        )
    }));
    queries
}

/// Where the domain's MTA-STS policy is (RFC 8461 §3.2), fetched in the first round.
pub fn policy_url(domain: &str) -> String {
    format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")
}

/// The TXT strings of the answers for `record`, with the question's name.
pub fn txt_answers(answers: &[Answered], record: AuditRecord) -> Vec<(&str, &[String])> {
    answers
        .iter()
        .filter(|answered| answered.query.purpose == Purpose::Audit(record))
        .map(|answered| {
            let strings: &[String] = match &answered.result {
                Ok(response) => match &response.outcome {
                    Outcome::Txt(strings) => strings,
                    _ => &[],
                },
                Err(_) => &[],
            };
            (answered.query.question.name.as_str(), strings)
        })
        .collect()
}

/// The MX hosts in the answers, best preference first (a null MX gives none).
pub fn mx_hosts(answers: &[Answered]) -> Vec<String> {
    let mut records: Vec<(u16, String)> = answers
        .iter()
        .filter(|answered| answered.query.purpose == Purpose::Mx)
        .filter_map(|answered| answered.result.as_ref().ok())
        .filter_map(|response| match &response.outcome {
            Outcome::Mx(records) => Some(records),
            _ => None,
        })
        .flatten()
        .filter(|record| record.exchange != "." && !record.exchange.is_empty())
        .map(|record| (record.preference, record.exchange.clone()))
        .collect();
    records.sort();
    let mut hosts: Vec<String> = Vec::new();
    for (_, host) in records {
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

/// What the answers so far call for: the SPF include and redirect targets not asked yet (up
/// to [`MAX_SPF_FOLLOWED`] in all), and the TLSA records of MX hosts not asked yet. Empty
/// when the audit's lookups are complete.
pub fn follow_ups(answers: &[Answered]) -> Vec<PlannedQuery> {
    let asked = |record: AuditRecord| -> Vec<&str> {
        answers
            .iter()
            .filter(|answered| answered.query.purpose == Purpose::Audit(record))
            .map(|answered| answered.query.question.name.as_str())
            .collect()
    };
    let mut next = Vec::new();
    let followed = asked(AuditRecord::SpfInclude);
    let mut budget = MAX_SPF_FOLLOWED.saturating_sub(followed.len());
    for record in [AuditRecord::Spf, AuditRecord::SpfInclude] {
        for (_, strings) in txt_answers(answers, record) {
            let Some(parsed) = spf::select(strings)
                .ok()
                .flatten()
                .and_then(|text| spf::parse(text).ok())
            else {
                continue;
            };
            for target in parsed.referenced() {
                let target = target.trim_end_matches('.').to_ascii_lowercase();
                // Macros (RFC 7208 §7) depend on the sender; they cannot be followed here.
                let already = followed.contains(&target.as_str())
                    || next
                        .iter()
                        .any(|query: &PlannedQuery| query.question.name == target);
                if target.contains('%') || already || budget == 0 {
                    continue;
                }
                budget -= 1;
                next.push(lookup(AuditRecord::SpfInclude, &target, RecordKind::Txt));
            }
        }
    }
    let tlsa_asked = asked(AuditRecord::Tlsa);
    for host in mx_hosts(answers) {
        let owner = tlsa::owner_for(&host);
        if !tlsa_asked.contains(&owner.as_str()) {
            next.push(lookup(AuditRecord::Tlsa, &owner, RecordKind::Tlsa));
        }
    }
    next
}

/// One port to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PortTarget {
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// Where the host was found: `srv`, `autoconfig`, `mx`, `usual-name`, ...
    pub found_in: Vec<&'static str>,
}

/// Every port to check: the client ports of every mail host the discovery found (SRV,
/// published files, knowledge, the usual names it guessed) and of the MX hosts, plus port 25
/// of the MX hosts with [`PortSet::All`]. Sorted by host, then in [`CLIENT_PORTS`] order.
pub fn port_targets(discovery: &Discovery, mx: &[String], ports: PortSet) -> Vec<PortTarget> {
    let mut hosts: Vec<(String, Vec<&'static str>)> = Vec::new();
    let mut note = |host: &str, why: &'static str| {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        match hosts.iter_mut().find(|(known, _)| *known == host) {
            Some((_, reasons)) if !reasons.contains(&why) => reasons.push(why),
            Some(_) => {}
            None => hosts.push((host, vec![why])),
        }
    };
    for candidate in discovery.incoming.iter().chain(discovery.outgoing.iter()) {
        note(&candidate.host, found_in(candidate.source));
    }
    for host in mx {
        note(host, "mx");
    }
    hosts.sort();
    let mut targets = Vec::new();
    for (host, found) in hosts {
        for (port, protocol, security) in CLIENT_PORTS {
            targets.push(PortTarget {
                host: host.clone(),
                port,
                protocol,
                security,
                found_in: found.clone(),
            });
        }
        if ports == PortSet::All && mx.contains(&host) {
            targets.push(PortTarget {
                host: host.clone(),
                port: 25,
                protocol: Protocol::Submission,
                security: Security::Starttls,
                found_in: found.clone(),
            });
        }
    }
    targets
}

fn found_in(source: Source) -> &'static str {
    match source {
        Source::Preset => "preset",
        Source::Srv => "srv",
        Source::Pacc => "pacc",
        Source::Autoconfig => "autoconfig",
        Source::Autodiscover => "autodiscover",
        Source::WellKnown => "well-known",
        Source::KnowledgeBase => "knowledge",
        Source::Mx => "mx",
        Source::Guess => "usual-name",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discovery::merge;
    use crate::dns::{MxRecord, Rcode, Response};

    fn answer(query: PlannedQuery, outcome: Outcome) -> Answered {
        Answered {
            query,
            resolver: "https://127.0.0.1/dns-query".into(),
            milliseconds: 1,
            result: Ok(Response {
                rcode: Rcode::NoError,
                authentic_data: false,
                outcome,
                cname_chain: Vec::new(),
            }),
        }
    }

    fn txt(record: AuditRecord, name: &str, text: &str) -> Answered {
        answer(
            lookup(record, name, RecordKind::Txt),
            Outcome::Txt(vec![text.into()]),
        )
    }

    #[test]
    fn the_first_round_asks_every_record_once() {
        let queries = first_lookups("example.com", &["s1".into(), "s2".into()]);
        let names: Vec<&str> = queries.iter().map(|q| q.question.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "example.com",
                "_dmarc.example.com",
                "_mta-sts.example.com",
                "_smtp._tls.example.com",
                "default._bimi.example.com",
                "s1._domainkey.example.com",
                "s2._domainkey.example.com"
            ]
        );
        assert!(queries.iter().all(|q| q.question.kind == RecordKind::Txt));
        assert_eq!(
            policy_url("example.com"),
            "https://mta-sts.example.com/.well-known/mta-sts.txt"
        );
        assert!(check_selectors(&["google".into(), "s1.sub".into(), "k_1".into()]).is_ok());
        assert!(check_selectors(&["a b".into()])
            .unwrap_err()
            .contains("\"a b\""));
        assert!(check_selectors(&[String::new()]).is_err());
    }

    #[test]
    fn spf_includes_are_followed_once_within_the_limit_and_tlsa_asked_for_each_mx() {
        let mut answers = vec![
            txt(
                AuditRecord::Spf,
                "example.com",
                "v=spf1 include:_spf.a.example include:%{i}.macro.example redirect=_spf.b.example",
            ),
            answer(
                PlannedQuery {
                    purpose: Purpose::Mx,
                    question: Question::new("example.com", RecordKind::Mx),
                },
                Outcome::Mx(vec![
                    MxRecord {
                        preference: 20,
                        exchange: "mx2.example.com".into(),
                    },
                    MxRecord {
                        preference: 10,
                        exchange: "mx1.example.com".into(),
                    },
                ]),
            ),
        ];
        let next = follow_ups(&answers);
        let names: Vec<(&str, RecordKind)> = next
            .iter()
            .map(|q| (q.question.name.as_str(), q.question.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("_spf.a.example", RecordKind::Txt),
                ("_spf.b.example", RecordKind::Txt),
                ("_25._tcp.mx1.example.com", RecordKind::Tlsa),
                ("_25._tcp.mx2.example.com", RecordKind::Tlsa),
            ]
        );
        // Answer them: the include's own include is next, and nothing is asked twice.
        answers.push(txt(
            AuditRecord::SpfInclude,
            "_spf.a.example",
            "v=spf1 include:_spf.b.example include:_spf.c.example -all",
        ));
        answers.push(txt(
            AuditRecord::SpfInclude,
            "_spf.b.example",
            "v=spf1 ip4:192.0.2.1 -all",
        ));
        for owner in ["_25._tcp.mx1.example.com", "_25._tcp.mx2.example.com"] {
            answers.push(answer(
                lookup(AuditRecord::Tlsa, owner, RecordKind::Tlsa),
                Outcome::NoData,
            ));
        }
        let next = follow_ups(&answers);
        let names: Vec<&str> = next.iter().map(|q| q.question.name.as_str()).collect();
        assert_eq!(names, ["_spf.c.example"]);
        // An include loop stops at the budget.
        let mut looping = vec![txt(
            AuditRecord::Spf,
            "loop.example",
            "v=spf1 include:l0.loop.example -all",
        )];
        for round in 0..20 {
            let next = follow_ups(&looping);
            if next.is_empty() {
                break;
            }
            assert!(round < 12, "the follow-ups end");
            for query in next {
                let name = query.question.name.clone();
                let depth: usize = name[1..name.find('.').unwrap()].parse().unwrap();
                looping.push(txt(
                    AuditRecord::SpfInclude,
                    &name,
                    &format!("v=spf1 include:l{}.loop.example -all", depth + 1),
                ));
            }
        }
        let followed = looping
            .iter()
            .filter(|a| a.query.purpose == Purpose::Audit(AuditRecord::SpfInclude))
            .count();
        assert_eq!(followed, MAX_SPF_FOLLOWED);
    }

    #[test]
    fn ports_cover_every_host_found_and_port_25_only_when_asked() {
        let input = crate::parse_input("example.com").unwrap();
        let discovery = merge(&input, &[], &[]);
        let mx = vec!["mx.example.net".to_owned()];
        let client = port_targets(&discovery, &mx, PortSet::Client);
        assert!(client.iter().all(|target| target.port != 25));
        let mx_ports: Vec<u16> = client
            .iter()
            .filter(|t| t.host == "mx.example.net")
            .map(|t| t.port)
            .collect();
        assert_eq!(mx_ports, [993, 143, 995, 110, 465, 587]);
        assert!(
            client.iter().any(|t| t.found_in.contains(&"usual-name")),
            "guessed names are checked"
        );
        let all = port_targets(&discovery, &mx, PortSet::All);
        let with_25: Vec<&str> = all
            .iter()
            .filter(|t| t.port == 25)
            .map(|t| t.host.as_str())
            .collect();
        assert_eq!(with_25, ["mx.example.net"]);
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| a.host.cmp(&b.host));
        assert_eq!(sorted, all, "grouped by host, stable");
    }
}
