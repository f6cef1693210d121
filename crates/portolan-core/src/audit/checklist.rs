//! The audit's checklist: items that pass, warn or fail, each with its fix in one sentence,
//! ordered by impact, and the score and grade they add up to.
//!
//! Scoring: 100 points, less 25 / 15 / 8 for each failing item of high / medium / low
//! severity and 10 / 5 / 2 for each warning; never below 0. Grade: A from 90 points with
//! nothing failing, B from 75 with no high-severity failure, C from 60, D from 40, else F.

use serde::Serialize;

use crate::model::Severity;

use super::Finding;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Fail,
    Warn,
    Info,
    Pass,
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable kebab-case id, like `spf-plus-all` or `certificate-expired`.
    pub id: String,
    pub status: Status,
    /// How much it matters (`info` for passes and remarks).
    pub severity: Severity,
    /// What it is about: the domain, a record's name, or `host:port`.
    pub subject: String,
    pub message: String,
    /// The fix in one sentence (what to keep doing, for a pass).
    pub fix: String,
}

impl Item {
    pub fn new(
        id: impl Into<String>,
        status: Status,
        severity: Severity,
        subject: impl Into<String>,
        message: impl Into<String>,
        fix: impl Into<String>,
    ) -> Item {
        Item {
            id: id.into(),
            status,
            severity: if status == Status::Pass {
                Severity::Info
            } else {
                severity
            },
            subject: subject.into(),
            message: message.into(),
            fix: fix.into(),
        }
    }

    /// A passing item.
    pub fn pass(id: &str, subject: &str, message: String, fix: &str) -> Item {
        Item::new(id, Status::Pass, Severity::Info, subject, message, fix)
    }

    /// A record parser's finding as an item: a failure is of high severity, a warning of
    /// medium.
    pub fn from_finding(finding: &Finding, subject: &str) -> Item {
        let (status, severity) = match finding.severity {
            super::Severity::Fail => (Status::Fail, Severity::High),
            super::Severity::Warn => (Status::Warn, Severity::Medium),
            super::Severity::Info => (Status::Info, Severity::Info),
        };
        Item::new(
            finding.id,
            status,
            severity,
            subject,
            finding.message.clone(),
            finding.fix.clone(),
        )
    }
}

/// Orders items by impact: failures first, then warnings, remarks and passes; the most severe
/// first within each; then by id and subject, so the order is stable.
pub fn order(items: &mut [Item]) {
    items.sort_by(|a, b| {
        (a.status, std::cmp::Reverse(a.severity), &a.id, &a.subject).cmp(&(
            b.status,
            std::cmp::Reverse(b.severity),
            &b.id,
            &b.subject,
        ))
    });
}

/// The score, from 0 to 100.
pub fn score(items: &[Item]) -> u8 {
    let lost: u32 = items
        .iter()
        .map(|item| match (item.status, item.severity) {
            (Status::Fail, Severity::High) => 25,
            (Status::Fail, Severity::Medium) => 15,
            (Status::Fail, _) => 8,
            (Status::Warn, Severity::High) => 10,
            (Status::Warn, Severity::Medium) => 5,
            (Status::Warn, _) => 2,
            _ => 0,
        })
        .sum();
    u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0)
}

/// The grade for the items and their score.
pub fn grade(items: &[Item], score: u8) -> char {
    let fails = |at_least: Severity| {
        items
            .iter()
            .any(|item| item.status == Status::Fail && item.severity >= at_least)
    };
    match score {
        90.. if !fails(Severity::Info) => 'A',
        75.. if !fails(Severity::High) => 'B',
        60.. => 'C',
        40.. => 'D',
        _ => 'F',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, status: Status, severity: Severity) -> Item {
        Item::new(id, status, severity, "example.com", "m", "f")
    }

    #[test]
    fn items_are_ordered_by_impact_and_scored() {
        let mut items = vec![
            item("b-pass", Status::Pass, Severity::High),
            item("c-warn", Status::Warn, Severity::Low),
            item("d-fail", Status::Fail, Severity::Medium),
            item("a-fail", Status::Fail, Severity::High),
        ];
        order(&mut items);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a-fail", "d-fail", "c-warn", "b-pass"]);
        assert_eq!(
            items[3].severity,
            Severity::Info,
            "a pass carries no severity"
        );
        assert_eq!(score(&items), 100 - 25 - 15 - 2);
        assert_eq!(grade(&items, score(&items)), 'D');
        let clean = vec![
            item("ok", Status::Pass, Severity::Info),
            item("w", Status::Warn, Severity::Medium),
        ];
        assert_eq!((score(&clean), grade(&clean, score(&clean))), (95, 'A'));
        let low_fail = vec![item("f", Status::Fail, Severity::Low)];
        assert_eq!(
            (score(&low_fail), grade(&low_fail, score(&low_fail))),
            (92, 'B')
        );
        let high_fail = vec![item("f", Status::Fail, Severity::High)];
        assert_eq!(
            grade(&high_fail, score(&high_fail)),
            'C',
            "a high failure caps the grade"
        );
        let many: Vec<Item> = (0..10)
            .map(|_| item("f", Status::Fail, Severity::High))
            .collect();
        assert_eq!((score(&many), grade(&many, 0)), (0, 'F'));
    }
}
