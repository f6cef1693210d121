//! What a driver hands back for each planned DNS lookup, and the `lookups` report built from it.

use thiserror::Error;

use crate::dns::{DnsError, Rcode, Response};
use crate::model::Lookup;

use super::plan::{PlannedQuery, Purpose};
use super::published::Fetched;

/// Why a lookup produced no usable answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LookupError {
    #[error("no answer within {0} ms")]
    Timeout(u64),
    #[error("could not reach the resolver: {0}")]
    Transport(String),
    #[error("the resolver answered HTTP {0}")]
    Http(u16),
    #[error("the resolver answered with content type {0:?}, not application/dns-message")]
    ContentType(String),
    #[error(transparent)]
    Dns(#[from] DnsError),
    #[error("no resolver is configured")]
    NoResolver,
}

/// Whether a driver should ask the next resolver after this outcome: on any failure, and on
/// SERVFAIL or REFUSED (that resolver could not or would not answer; another may). NXDOMAIN
/// and NODATA are answers, not failures.
pub fn try_next_resolver(result: &Result<Response, LookupError>) -> bool {
    match result {
        Ok(response) => matches!(response.rcode, Rcode::ServFail | Rcode::Refused),
        Err(_) => true,
    }
}

/// One planned lookup and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    pub query: PlannedQuery,
    /// The resolver that answered, or the last one tried.
    pub resolver: String,
    /// Wall time from the first attempt to the final answer, as measured by the driver.
    pub milliseconds: u64,
    pub result: Result<Response, LookupError>,
}

impl Answered {
    /// The entry for the `lookups` report.
    pub fn to_lookup(&self) -> Lookup {
        let (rcode, ad, error) = match &self.result {
            Ok(response) => (response.rcode.name(), response.authentic_data, None),
            Err(error @ LookupError::Timeout(_)) => {
                ("TIMEOUT".into(), false, Some(error.to_string()))
            }
            Err(error) => ("ERROR".into(), false, Some(error.to_string())),
        };
        Lookup {
            name: self.query.question.name.clone(),
            record_type: self.query.question.kind.as_str().into(),
            resolver: self.resolver.clone(),
            rcode,
            ad,
            milliseconds: self.milliseconds,
            error,
        }
    }
}

/// The responses to the lookups made for `purpose`; lookups that failed are left out.
pub(crate) fn responses(answers: &[Answered], purpose: Purpose) -> impl Iterator<Item = &Response> {
    answers
        .iter()
        .filter(move |answered| answered.query.purpose == purpose)
        .filter_map(|answered| answered.result.as_ref().ok())
}

/// The `lookups` entry for a published-file fetch: the URL as the name, `AUTOCONFIG` or
/// `AUTODISCOVER` as the type, and `HTTP <status>` (or `ERROR`) as the result code.
pub fn fetch_lookup(fetch: &Fetched) -> Lookup {
    Lookup {
        name: fetch.url.clone(),
        record_type: fetch.kind.as_str().into(),
        resolver: "https".into(),
        rcode: if fetch.status == 0 {
            "ERROR".into()
        } else {
            format!("HTTP {}", fetch.status)
        },
        ad: false,
        milliseconds: fetch.milliseconds,
        error: fetch.body.as_ref().err().cloned(),
    }
}
