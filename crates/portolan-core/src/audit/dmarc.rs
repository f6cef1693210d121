//! DMARC records (RFC 7489 §6.3): read faithfully from `_dmarc.<domain>`, then judged.
//!
//! Reading: `tag=value` pairs separated by `;`, white space around them ignored; `v=DMARC1`
//! must come first and `p` is required (§6.6.3: a record without a valid `p` is ignored, or
//! read as `none` when `rua` is present — an audit reports it as an error either way); tag
//! names are case-insensitive; unknown tags are kept and ignored (§6.3).
//!
//! Judging: `p=none` only monitors (warn), `pct` below 100 applies the policy to part of the
//! mail (warn), no `rua` means no aggregate reports reach anyone (warn), `sp` weaker than `p`
//! leaves subdomains open (warn), strict alignment is information.

use serde::Serialize;

use super::{Finding, RecordError, Severity};

/// What receivers are asked to do with mail that fails DMARC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    fn parse(value: &str) -> Option<Policy> {
        match value.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }
}

/// Identifier alignment (`adkim`, `aspf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alignment {
    Relaxed,
    Strict,
}

/// A whole DMARC record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DmarcRecord {
    pub policy: Policy,
    /// `sp`: the policy for subdomains, when given (else `p` applies).
    pub subdomain_policy: Option<Policy>,
    /// `pct`: the share of failing mail the policy applies to (default 100).
    pub percent: u8,
    /// `rua`: where aggregate reports go.
    pub aggregate_reports: Vec<String>,
    /// `ruf`: where failure reports go.
    pub failure_reports: Vec<String>,
    pub dkim_alignment: Alignment,
    pub spf_alignment: Alignment,
    /// Tags this reader does not know (kept, ignored).
    pub unknown_tags: Vec<(String, String)>,
}

/// Picks the DMARC record from the TXT strings of `_dmarc.<domain>`: exactly one must start
/// with `v=DMARC1` (§6.6.3); none is `Ok(None)`.
pub fn select(txt: &[String]) -> Result<Option<&str>, RecordError> {
    super::exactly_one(txt, "DMARC", first_tag_is_version)
}

fn first_tag_is_version(text: &str) -> bool {
    let first = text.split(';').next().unwrap_or_default();
    match first.split_once('=') {
        Some((name, value)) => name.trim().eq_ignore_ascii_case("v") && value.trim() == "DMARC1",
        None => false,
    }
}

/// Reads one DMARC record.
pub fn parse(text: &str) -> Result<DmarcRecord, RecordError> {
    if !first_tag_is_version(text) {
        return Err(RecordError::WrongVersion {
            expected: "v=DMARC1",
        });
    }
    let mut record = DmarcRecord {
        policy: Policy::None,
        subdomain_policy: None,
        percent: 100,
        aggregate_reports: Vec::new(),
        failure_reports: Vec::new(),
        dkim_alignment: Alignment::Relaxed,
        spf_alignment: Alignment::Relaxed,
        unknown_tags: Vec::new(),
    };
    let mut policy_seen = false;
    // The first part is the version, checked above.
    for super::Tag { name, value, part } in super::tag_list(text.split(';').skip(1), "DMARC tag")? {
        let invalid = |what| RecordError::InvalidTerm {
            term: part.to_owned(),
            what,
        };
        match name.as_str() {
            "p" => {
                record.policy = Policy::parse(value).ok_or_else(|| invalid("policy"))?;
                policy_seen = true;
            }
            "sp" => {
                record.subdomain_policy =
                    Some(Policy::parse(value).ok_or_else(|| invalid("subdomain policy"))?)
            }
            "pct" => {
                record.percent = value
                    .parse::<u8>()
                    .ok()
                    .filter(|percent| *percent <= 100)
                    .ok_or_else(|| invalid("percentage from 0 to 100"))?
            }
            "rua" => record.aggregate_reports = super::report_uris(value)?,
            "ruf" => record.failure_reports = super::report_uris(value)?,
            "adkim" => {
                record.dkim_alignment = alignment(value).ok_or_else(|| invalid("alignment"))?
            }
            "aspf" => {
                record.spf_alignment = alignment(value).ok_or_else(|| invalid("alignment"))?
            }
            _ => record.unknown_tags.push((name, value.to_owned())),
        }
    }
    if !policy_seen {
        return Err(RecordError::Missing { name: "p tag" });
    }
    Ok(record)
}

fn alignment(value: &str) -> Option<Alignment> {
    match value.to_ascii_lowercase().as_str() {
        "r" => Some(Alignment::Relaxed),
        "s" => Some(Alignment::Strict),
        _ => None,
    }
}

/// What the audit says about a record, most serious first.
pub fn judge(record: &DmarcRecord) -> Vec<Finding> {
    let mut findings = Vec::new();
    if record.policy == Policy::None {
        findings.push(Finding::new(
            "dmarc-policy-none",
            Severity::Warn,
            "The DMARC policy is none: receivers only report on mail that fails, and deliver it anyway.".into(),
            "Once the reports show only your own servers, move to p=quarantine, then p=reject.",
        ));
    }
    if record.percent < 100 && record.policy != Policy::None {
        findings.push(Finding::new(
            "dmarc-partial-percent",
            Severity::Warn,
            format!(
                "The DMARC policy applies to only {}% of failing mail.",
                record.percent
            ),
            "Raise pct to 100 (or remove it) once the policy causes no problems.",
        ));
    }
    if record.aggregate_reports.is_empty() {
        findings.push(Finding::new(
            "dmarc-no-reports",
            Severity::Warn,
            "The DMARC record asks for no aggregate reports (no rua), so nobody sees who sends as the domain.".into(),
            "Add rua=mailto:dmarc-reports@ your domain (or a report service's address).",
        ));
    }
    if record
        .subdomain_policy
        .is_some_and(|sub| sub < record.policy)
    {
        findings.push(Finding::new(
            "dmarc-weaker-subdomains",
            Severity::Warn,
            "Subdomains get a weaker DMARC policy (sp) than the domain itself.".into(),
            "Set sp to the same policy as p, unless a subdomain really sends unauthenticated mail.",
        ));
    }
    if record.dkim_alignment == Alignment::Strict || record.spf_alignment == Alignment::Strict {
        findings.push(Finding::new(
            "dmarc-strict-alignment",
            Severity::Info,
            "DMARC asks for strict alignment: signing and sending domains must equal the From domain exactly, not just share it.".into(),
            "Keep it only if every sender signs with the exact From domain.",
        ));
    }
    findings.sort_by_key(|finding| finding.severity);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7489_examples_are_read() {
        // RFC 7489 §B.2 examples.
        let record = parse("v=DMARC1; p=none; rua=mailto:dmarc-feedback@example.com").unwrap();
        assert_eq!(record.policy, Policy::None);
        assert_eq!(
            record.aggregate_reports,
            ["mailto:dmarc-feedback@example.com"]
        );
        let record = parse(
            "v=DMARC1; p=quarantine; rua=mailto:dmarc-feedback@example.com, mailto:tld-test@thirdparty.example.net!10m; pct=25",
        )
        .unwrap();
        assert_eq!((record.policy, record.percent), (Policy::Quarantine, 25));
        assert_eq!(record.aggregate_reports.len(), 2);
        let record = parse("V=DMARC1;P=Reject;SP=none;ADKIM=s;aspf=r;fo=1;").unwrap();
        assert_eq!(record.subdomain_policy, Some(Policy::None));
        assert_eq!(record.dkim_alignment, Alignment::Strict);
        assert_eq!(record.unknown_tags, [("fo".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn malformed_records_are_errors() {
        for bad in [
            "p=reject; v=DMARC1",
            "v=DMARC2; p=reject",
            "v=DMARC1",
            "v=DMARC1; rua=mailto:a@example.com",
            "v=DMARC1; p=block",
            "v=DMARC1; p=reject; pct=101",
            "v=DMARC1; p=reject; pct=-1",
            "v=DMARC1; p=reject; rua=dmarc@example.com",
            "v=DMARC1; p=reject; adkim=x",
            "v=DMARC1; p=reject; p=none",
            "v=DMARC1; p=reject; broken",
        ] {
            assert!(parse(bad).is_err(), "{bad} was accepted: {:?}", parse(bad));
        }
    }

    #[test]
    fn exactly_one_record_is_selected() {
        let txt = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            select(&txt(&["v=DMARC1; p=none"])).unwrap(),
            Some("v=DMARC1; p=none")
        );
        assert_eq!(select(&txt(&["v=spf1 -all"])).unwrap(), None);
        assert!(select(&txt(&["v=DMARC1; p=none", "v=DMARC1; p=reject"])).is_err());
    }

    #[test]
    fn judgements_name_the_gaps() {
        let ids = |text: &str| -> Vec<&'static str> {
            judge(&parse(text).unwrap()).iter().map(|f| f.id).collect()
        };
        assert_eq!(
            ids("v=DMARC1; p=none"),
            ["dmarc-policy-none", "dmarc-no-reports"]
        );
        assert_eq!(
            ids("v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:r@example.com"),
            ["dmarc-partial-percent", "dmarc-weaker-subdomains"]
        );
        assert_eq!(
            ids("v=DMARC1; p=reject; rua=mailto:r@example.com; adkim=s"),
            ["dmarc-strict-alignment"]
        );
        assert!(ids("v=DMARC1; p=reject; rua=mailto:r@example.com").is_empty());
    }
}
