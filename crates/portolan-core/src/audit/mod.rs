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

pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod spf;

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
