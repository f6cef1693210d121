//! DNS over HTTPS (RFC 8484) without I/O: build the wire-format query, the HTTP request a
//! driver sends, and read the answer back into what discovery needs (SRV and MX records).
//!
//! Messages are built and parsed with `hickory-proto`. Every query uses DNS id 0 (RFC 8484
//! §4.1, so answers are cacheable and GET needs no CORS preflight), asks for recursion, and
//! carries EDNS0 with the DO bit so that validating resolvers report the AD flag.

mod doh;
mod query;
mod response;

pub use doh::{DohMethod, DohRequest, DEFAULT_RESOLVERS, DNS_MESSAGE_MEDIA_TYPE};
pub use query::{encode_query, Question, RecordKind};
pub use response::{
    hex, parse_response, MxRecord, Outcome, Rcode, Response, SrvRecord, TlsaRecord,
};

use thiserror::Error;

/// Everything that can go wrong while building a query or reading an answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DnsError {
    #[error("{name:?} is not a valid DNS name: {reason}")]
    InvalidName { name: String, reason: String },
    #[error("the DNS query could not be encoded: {0}")]
    Encode(String),
    #[error("the answer is not a DNS message: {0}")]
    Malformed(String),
    #[error("the answer is a DNS query, not a response")]
    NotAResponse,
    #[error("the answer carries DNS id {0}, but the query used id 0")]
    WrongId(u16),
    #[error("the answer is about {got}, but the question was {asked}")]
    WrongQuestion { asked: String, got: String },
    #[error("the answer was truncated, which a DNS-over-HTTPS server must never do")]
    Truncated,
    #[error("the answer's CNAME chain is longer than {0} steps or loops")]
    CnameLoop(usize),
    #[error("the resolver URL {0:?} is not an http(s) URL")]
    ResolverUrl(String),
}
