//! SRV semantics: RFC 2782 ordering, the `.` target, and RFC 8314's preference for implicit
//! TLS, turned into candidates and "not offered" verdicts.

use crate::dns::{Outcome, SrvRecord};
use crate::model::{Candidate, Security, Source, Trust, Unavailable};

use super::answered::Answered;
use super::plan::{Purpose, Service};
use super::trust;

/// A source of randomness for RFC 2782 weighted selection: returns a number in `0..=total`.
/// Passed in so that core stays free of I/O and tests stay deterministic.
pub trait WeightedPick {
    fn pick(&mut self, total: u32) -> u32;
}

impl<F: FnMut(u32) -> u32> WeightedPick for F {
    fn pick(&mut self, total: u32) -> u32 {
        self(total)
    }
}

/// The usable records (targets other than `.`) in a deterministic RFC 2782-compatible order:
/// lowest priority first, and within one priority the heaviest weight first, then by target
/// and port. This is the order a client would most often pick, and it never changes between
/// runs, which keeps the output stable.
pub fn order_deterministic(records: &[SrvRecord]) -> Vec<SrvRecord> {
    let mut usable: Vec<SrvRecord> = records
        .iter()
        .filter(|record| !record.is_not_offered())
        .cloned()
        .collect();
    usable.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.weight.cmp(&a.weight))
            .then(a.target.cmp(&b.target))
            .then(a.port.cmp(&b.port))
    });
    usable.dedup();
    usable
}

/// The usable records in RFC 2782 order with weighted random selection among records of equal
/// priority, using `random` for the choices.
pub fn order_weighted(records: &[SrvRecord], random: &mut dyn WeightedPick) -> Vec<SrvRecord> {
    let sorted = order_deterministic(records);
    let mut ordered = Vec::with_capacity(sorted.len());
    let mut start = 0;
    while start < sorted.len() {
        let priority = sorted[start].priority;
        let end = sorted[start..]
            .iter()
            .position(|record| record.priority != priority)
            .map_or(sorted.len(), |offset| start + offset);
        // RFC 2782: records of weight 0 go first in the list being selected from, so they
        // keep a small chance of selection.
        let mut pool: Vec<SrvRecord> = sorted[start..end].to_vec();
        pool.sort_by_key(|record| record.weight != 0);
        while !pool.is_empty() {
            let total: u32 = pool.iter().map(|record| u32::from(record.weight)).sum();
            let chosen = random.pick(total).min(total);
            let mut running = 0u32;
            let mut index = pool.len() - 1;
            for (position, record) in pool.iter().enumerate() {
                running += u32::from(record.weight);
                if running >= chosen {
                    index = position;
                    break;
                }
            }
            ordered.push(pool.remove(index));
        }
        start = end;
    }
    ordered
}

/// True when the answer says the service is decidedly not available: the only record's
/// target is `.` (RFC 2782, RFC 6186 §3.4).
pub fn explicitly_not_offered(records: &[SrvRecord]) -> bool {
    !records.is_empty() && records.iter().all(SrvRecord::is_not_offered)
}

/// Candidates and "not offered" verdicts from the SRV answers, services in RFC 8314 order
/// (implicit TLS first) and records in [`order_deterministic`] order within each service.
pub fn srv_candidates(domain: &str, answers: &[Answered]) -> (Vec<Candidate>, Vec<Unavailable>) {
    let mut candidates = Vec::new();
    let mut unavailable = Vec::new();
    for service in Service::MAIL {
        let Some((protocol, security)) = service.endpoint() else {
            continue;
        };
        let Some(answered) = answers
            .iter()
            .find(|answered| answered.query.purpose == Purpose::Srv(service))
        else {
            continue;
        };
        let Ok(response) = &answered.result else {
            continue;
        };
        let Outcome::Srv(records) = &response.outcome else {
            continue;
        };
        let owner = answered.query.question.name.clone();
        if explicitly_not_offered(records) {
            unavailable.push(Unavailable {
                protocol,
                security,
                reason: format!(
                    "{owner} has an SRV record with target \".\": the domain says it does not offer {} with {}.",
                    protocol.label(),
                    describe_security(security)
                ),
                record: owner,
            });
            continue;
        }
        for record in order_deterministic(records) {
            if record.port == 0 {
                continue;
            }
            let mut candidate = Candidate {
                reasons: vec![format!(
                    "Published in DNS: {owner} SRV {} {} {} {}.",
                    record.priority, record.weight, record.port, record.target
                )],
                ..Candidate::new(protocol, &record.target, record.port, security, Source::Srv)
            };
            if !response.cname_chain.is_empty() {
                candidate.reasons.push(format!(
                    "The SRV name is an alias (CNAME) for {}.",
                    response.cname_chain.join(" → ")
                ));
            }
            trust::mark_published(&mut candidate, domain);
            if response.authentic_data {
                trust::add(&mut candidate, Trust::DnssecValidated);
                candidate
                    .reasons
                    .push("The resolver validated the answer with DNSSEC (AD flag).".into());
            }
            candidates.push(candidate);
        }
    }
    (candidates, unavailable)
}

/// "implicit TLS" or "STARTTLS", for sentences.
pub(crate) fn describe_security(security: Security) -> &'static str {
    match security {
        Security::Tls => "implicit TLS",
        Security::Starttls => "STARTTLS",
        Security::Plain => "no encryption",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn srv(priority: u16, weight: u16, target: &str) -> SrvRecord {
        SrvRecord {
            priority,
            weight,
            port: 993,
            target: target.into(),
        }
    }

    fn targets(records: Vec<SrvRecord>) -> Vec<String> {
        records.into_iter().map(|record| record.target).collect()
    }

    #[test]
    fn deterministic_order_is_priority_then_heaviest() {
        let records = [
            srv(20, 100, "backup.example"),
            srv(10, 10, "light.example"),
            srv(10, 60, "heavy.example"),
            srv(10, 60, "also-heavy.example"),
            srv(0, 0, "."),
        ];
        assert_eq!(
            targets(order_deterministic(&records)),
            [
                "also-heavy.example",
                "heavy.example",
                "light.example",
                "backup.example"
            ]
        );
    }

    #[test]
    fn weighted_order_never_mixes_priorities() {
        let records = [
            srv(10, 1, "a.example"),
            srv(5, 0, "zero.example"),
            srv(5, 3, "b.example"),
            srv(10, 9, "c.example"),
        ];
        // Always picking 0 selects the first in the list, which RFC 2782 says is a weight-0 one.
        let mut always_zero = |_total: u32| 0;
        assert_eq!(
            targets(order_weighted(&records, &mut always_zero)),
            ["zero.example", "b.example", "c.example", "a.example"]
        );
        // Always picking the total selects the last running sum: the lightest non-zero last.
        let mut always_total = |total: u32| total;
        let by_total = targets(order_weighted(&records, &mut always_total));
        assert_eq!(by_total[..2], ["b.example", "zero.example"]);
        assert_eq!(by_total[2..], ["a.example", "c.example"]);
    }

    #[test]
    fn weighted_choice_follows_weights() {
        let records = [srv(0, 1, "light.example"), srv(0, 99, "heavy.example")];
        let mut first_counts = std::collections::BTreeMap::new();
        for chosen in 0..=100 {
            let mut fixed = move |_total: u32| chosen;
            let first = order_weighted(&records, &mut fixed).remove(0).target;
            *first_counts.entry(first).or_insert(0) += 1;
        }
        // Of the 101 equally likely numbers in 0..=100, the heavy record's running sum (99)
        // covers 0..=99 and the light one's only 100.
        assert_eq!(first_counts["light.example"], 1, "{first_counts:?}");
        assert_eq!(first_counts["heavy.example"], 100, "{first_counts:?}");
    }

    #[test]
    fn dot_means_not_offered_only_when_alone() {
        assert!(explicitly_not_offered(&[srv(0, 0, ".")]));
        assert!(!explicitly_not_offered(&[
            srv(0, 0, "."),
            srv(1, 0, "mail.example")
        ]));
        assert!(!explicitly_not_offered(&[]));
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn records() -> impl Strategy<Value = Vec<SrvRecord>> {
        proptest::collection::vec(
            (
                0u16..4,
                0u16..100,
                1u16..3,
                prop_oneof![Just(".".to_string()), "[a-d]\\.example"],
            ),
            0..12,
        )
        .prop_map(|items| {
            items
                .into_iter()
                .map(|(priority, weight, port, target)| SrvRecord {
                    priority,
                    weight,
                    port,
                    target,
                })
                .collect()
        })
    }

    proptest! {
        /// Whatever the random source says, weighted ordering is a permutation of the usable
        /// records with priorities never decreasing.
        #[test]
        fn weighted_order_is_a_priority_ordered_permutation(
            records in records(),
            picks in proptest::collection::vec(any::<u32>(), 0..64),
        ) {
            let mut index = 0;
            let mut random = move |total: u32| {
                let value = picks.get(index).copied().unwrap_or(0);
                index += 1;
                if total == 0 { 0 } else { value % (total + 1) }
            };
            let ordered = order_weighted(&records, &mut random);
            let mut expected = order_deterministic(&records);
            prop_assert!(ordered.windows(2).all(|pair| pair[0].priority <= pair[1].priority));
            let mut got = ordered.clone();
            got.sort();
            expected.sort();
            prop_assert_eq!(got, expected);
            prop_assert!(ordered.iter().all(|record| !record.is_not_offered()));
        }
    }
}
