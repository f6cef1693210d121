//! A second resolver's opinion (the defence draft-ietf-mailmaint-autoconfig suggests against
//! a lying resolver): a driver sends the same batch of questions to a second, independent DoH
//! resolver at the same time, and [`add_second_opinion`] compares the two answers to each
//! question. Any disagreement about what exists becomes a [`ResolverConflict`] with both
//! answers, and the second resolver's lookups join the report.
//!
//! Answers are compared as sets (record order is the resolver's choice, RFC 2782 and RFC 1035
//! leave it open), TTLs and the AD flag are not compared, and a question one resolver could
//! not answer (timeout, SERVFAIL, an HTTP error) is no disagreement: nothing contradicts it.

use crate::dns::{Outcome, Response};
use crate::model::{Discovery, ResolverAnswer, ResolverConflict};

use super::answered::Answered;

/// The comparable form of an answer: `None` when the resolver gave no usable answer.
fn comparable(response: &Response) -> Option<Vec<String>> {
    let mut lines: Vec<String> = match &response.outcome {
        Outcome::Srv(records) => records
            .iter()
            .map(|r| {
                format!(
                    "SRV {} {} {} {}",
                    r.priority,
                    r.weight,
                    r.port,
                    r.target.trim_end_matches('.').to_ascii_lowercase()
                )
            })
            .collect(),
        Outcome::Mx(records) => records
            .iter()
            .map(|r| {
                format!(
                    "MX {} {}",
                    r.preference,
                    r.exchange.trim_end_matches('.').to_ascii_lowercase()
                )
            })
            .collect(),
        Outcome::Txt(texts) => texts.iter().map(|t| format!("TXT \"{t}\"")).collect(),
        Outcome::Tlsa(records) => records
            .iter()
            .map(|r| format!("TLSA {} {} {} {}", r.usage, r.selector, r.matching, r.data))
            .collect(),
        Outcome::NoData => vec!["no record of this type".to_owned()],
        Outcome::NxDomain => vec!["no such name (NXDOMAIN)".to_owned()],
        Outcome::ServFail | Outcome::Failed(_) => return None,
    };
    lines.sort();
    lines.dedup();
    Some(lines)
}

/// Compares the second resolver's answers with the first's, question by question, and adds
/// the disagreements and the second resolver's lookups to `discovery`.
pub fn add_second_opinion(discovery: &mut Discovery, first: &[Answered], second: &[Answered]) {
    for other in second {
        discovery.lookups.push(other.to_lookup());
        let Some(mine) = first.iter().find(|answered| answered.query == other.query) else {
            continue;
        };
        let (Ok(mine_response), Ok(other_response)) = (&mine.result, &other.result) else {
            continue;
        };
        let (Some(mine_lines), Some(other_lines)) =
            (comparable(mine_response), comparable(other_response))
        else {
            continue;
        };
        if mine_lines == other_lines {
            continue;
        }
        let question = &other.query.question;
        discovery.resolver_conflicts.push(ResolverConflict {
            name: question.name.clone(),
            record_type: question.kind.as_str().to_owned(),
            answers: vec![
                ResolverAnswer {
                    resolver: mine.resolver.clone(),
                    records: mine_lines,
                },
                ResolverAnswer {
                    resolver: other.resolver.clone(),
                    records: other_lines,
                },
            ],
            description: format!(
                "Two resolvers answer {} {} differently: one of them, or the network between, may be lying. Compare both answers with what your provider documents before you trust either.",
                question.kind.as_str(),
                question.name
            ),
        });
    }
}
