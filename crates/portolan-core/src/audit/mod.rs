//! The provider audit's record parsers: what a domain publishes for sender authentication,
//! read and explained without I/O (the drivers fetch the TXT records).
//!
//! - [`spf`] — SPF (RFC 7208): terms, qualifiers, the DNS-lookup budget, and findings.
//! - [`dmarc`] — DMARC (RFC 7489): tags, policy, reporting, alignment, and findings.
//! - [`dkim`] — DKIM key records (RFC 6376): key type and size, revoked, testing, hashes,
//!   judged by RFC 8301.
//! - [`mta_sts`] — MTA-STS (RFC 8461): the TXT record and the policy file, judged against the
//!   real MX hosts; and the TLS-RPT record (RFC 8460).
//!
//! Each parser returns the record read faithfully, or a [`RecordError`] naming what is wrong
//! and where; findings carry a stable id, a severity, a message and a one-sentence fix.

pub mod bimi;
pub mod checklist;
pub mod dkim;
pub mod dmarc;
pub mod gather;
pub mod mta_sts;
pub mod publish;
pub mod report;
pub mod spf;
pub mod tlsa;

use serde::Serialize;
use thiserror::Error;

/// Why a published record cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordError {
    #[error("the record does not start with {expected}")]
    WrongVersion { expected: &'static str },
    #[error("{term:?} is not a valid {what}")]
    InvalidTerm { term: String, what: &'static str },
    #[error("{name} appears more than once")]
    Repeated { name: String },
    #[error("the required {name} is missing")]
    Missing { name: &'static str },
    #[error("the domain publishes {count} {what} records; there must be exactly one")]
    NotExactlyOne { what: &'static str, count: usize },
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Fail,
    Warn,
    Info,
}

/// One thing an audit says about a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable kebab-case id, like `spf-plus-all`.
    pub id: &'static str,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

impl Finding {
    fn new(id: &'static str, severity: Severity, message: String, fix: &str) -> Finding {
        Finding {
            id,
            severity,
            message,
            fix: fix.to_owned(),
        }
    }
}

/// One `name=value` tag of a tag-list record (DKIM, DMARC, MTA-STS and TLS-RPT share the
/// syntax): the name in lower case, the value trimmed, and the part as written, for errors.
pub(crate) struct Tag<'a> {
    pub name: String,
    pub value: &'a str,
    pub part: &'a str,
}

/// Reads `;`-separated `name=value` parts (white space around them ignored, empty parts
/// skipped); a part without `=` is not a valid `what`, and a name given twice is an error.
pub(crate) fn tag_list<'a>(
    parts: impl Iterator<Item = &'a str>,
    what: &'static str,
) -> Result<Vec<Tag<'a>>, RecordError> {
    let mut tags: Vec<Tag<'a>> = Vec::new();
    for part in parts.map(str::trim).filter(|part| !part.is_empty()) {
        let (name, value) = part
            .split_once('=')
            .ok_or_else(|| RecordError::InvalidTerm {
                term: part.to_owned(),
                what,
            })?;
        let name = name.trim().to_ascii_lowercase();
        if tags.iter().any(|tag| tag.name == name) {
            return Err(RecordError::Repeated { name });
        }
        tags.push(Tag {
            name,
            value: value.trim(),
            part,
        });
    }
    Ok(tags)
}

/// A comma-separated list of report URIs (DMARC `rua`/`ruf`, TLS-RPT `rua`), each `mailto:`
/// with an address or `https:`; a size limit (`!10m`) stays in the text.
pub(crate) fn report_uris(value: &str) -> Result<Vec<String>, RecordError> {
    value
        .split(',')
        .map(str::trim)
        .map(|uri| {
            let lower = uri.to_ascii_lowercase();
            let known = lower
                .strip_prefix("mailto:")
                .is_some_and(|address| address.contains('@'))
                || lower
                    .strip_prefix("https://")
                    .is_some_and(|rest| !rest.is_empty());
            if known {
                Ok(uri.to_owned())
            } else {
                Err(RecordError::InvalidTerm {
                    term: uri.to_owned(),
                    what: "report address (mailto: or https:)",
                })
            }
        })
        .collect()
}

/// The one TXT string of a name that is a `what` record (`is_record`): none is `Ok(None)`,
/// several are an error, as receivers treat them.
pub(crate) fn exactly_one<'a>(
    txt: &'a [String],
    what: &'static str,
    is_record: impl Fn(&str) -> bool,
) -> Result<Option<&'a str>, RecordError> {
    let records: Vec<&str> = txt
        .iter()
        .map(String::as_str)
        .filter(|text| is_record(text))
        .collect();
    match records.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(RecordError::NotExactlyOne {
            what,
            count: many.len(),
        }),
    }
}
