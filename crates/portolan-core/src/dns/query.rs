//! The question discovery asks and its RFC 8484 wire form.

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query};
use hickory_proto::rr::{Name, RecordType};
use serde::Serialize;

use super::DnsError;

/// The EDNS0 UDP payload size advertised, as recommended by DNS Flag Day 2020. It does not
/// matter much over HTTPS, but some resolvers reject a zero or missing size.
const EDNS_PAYLOAD: u16 = 1232;

/// The record types discovery and the audit ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RecordKind {
    Srv,
    Mx,
    /// Text records: SPF, DMARC, DKIM keys, MTA-STS, TLS-RPT, BIMI.
    Txt,
    /// DANE certificate associations (RFC 6698).
    Tlsa,
}

impl RecordKind {
    /// The type's mnemonic, as shown in the `lookups` report.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Srv => "SRV",
            RecordKind::Mx => "MX",
            RecordKind::Txt => "TXT",
            RecordKind::Tlsa => "TLSA",
        }
    }

    pub(crate) fn record_type(self) -> RecordType {
        match self {
            RecordKind::Srv => RecordType::SRV,
            RecordKind::Mx => RecordType::MX,
            RecordKind::Txt => RecordType::TXT,
            RecordKind::Tlsa => RecordType::TLSA,
        }
    }
}

/// One DNS question: an ASCII name (no trailing dot) and a record type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Question {
    pub name: String,
    pub kind: RecordKind,
}

impl Question {
    /// A question for `name` (ASCII form; a trailing dot is dropped).
    pub fn new(name: &str, kind: RecordKind) -> Self {
        Question {
            name: name.trim_end_matches('.').to_ascii_lowercase(),
            kind,
        }
    }

    /// The name as a fully qualified hickory `Name`.
    pub(crate) fn fqdn(&self) -> Result<Name, DnsError> {
        let mut name =
            Name::from_ascii(format!("{}.", self.name)).map_err(|error| DnsError::InvalidName {
                name: self.name.clone(),
                reason: error.to_string(),
            })?;
        name.set_fqdn(true);
        Ok(name)
    }
}

/// Encodes `question` as an RFC 8484 query: id 0, recursion desired, EDNS0 with the DO bit.
pub fn encode_query(question: &Question) -> Result<Vec<u8>, DnsError> {
    let mut message = Message::new(0, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.add_query(Query::query(question.fqdn()?, question.kind.record_type()));
    let mut edns = Edns::new();
    edns.set_max_payload(EDNS_PAYLOAD);
    edns.set_dnssec_ok(true);
    message.set_edns(edns);
    message
        .to_vec()
        .map_err(|error| DnsError::Encode(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_has_id_zero_rd_and_edns_do() {
        let wire =
            encode_query(&Question::new("_imaps._tcp.Example.COM.", RecordKind::Srv)).unwrap();
        // Header: id 0, flags with only RD set (0x0100), one question, one additional (OPT).
        assert_eq!(&wire[..12], &[0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]);
        let parsed = Message::from_vec(&wire).unwrap();
        assert_eq!(
            parsed.queries[0].name().to_ascii(),
            "_imaps._tcp.example.com."
        );
        assert_eq!(parsed.queries[0].query_type(), RecordType::SRV);
        let edns = parsed.edns.expect("EDNS0 present");
        assert!(edns.flags().dnssec_ok);
        assert_eq!(edns.max_payload(), EDNS_PAYLOAD);
    }

    #[test]
    fn invalid_names_are_errors_not_panics() {
        let long = "a".repeat(64);
        let error = encode_query(&Question::new(&format!("{long}.example"), RecordKind::Mx));
        assert!(
            matches!(error, Err(DnsError::InvalidName { .. })),
            "{error:?}"
        );
    }
}
