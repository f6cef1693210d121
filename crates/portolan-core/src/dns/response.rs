//! Reading a DoH answer: the response code, the AD flag, and the SRV or MX records at the end
//! of any CNAME chain inside the answer.

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::{Name, RData, Record};
use serde::Serialize;

use super::{DnsError, Question, RecordKind};

/// The longest CNAME chain followed inside one answer. Real chains are one or two steps;
/// anything longer is broken or hostile.
const MAX_CNAME_STEPS: usize = 8;

/// The DNS response code, with the names people look up (RFC 1035, RFC 6895).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Rcode {
    NoError,
    FormErr,
    ServFail,
    NxDomain,
    NotImp,
    Refused,
    Other(u16),
}

impl Rcode {
    /// The conventional upper-case name (`NOERROR`, `NXDOMAIN`, ...).
    pub fn name(self) -> String {
        match self {
            Rcode::NoError => "NOERROR".into(),
            Rcode::FormErr => "FORMERR".into(),
            Rcode::ServFail => "SERVFAIL".into(),
            Rcode::NxDomain => "NXDOMAIN".into(),
            Rcode::NotImp => "NOTIMP".into(),
            Rcode::Refused => "REFUSED".into(),
            Rcode::Other(code) => format!("RCODE{code}"),
        }
    }

    fn from_hickory(code: ResponseCode) -> Self {
        match code {
            ResponseCode::NoError => Rcode::NoError,
            ResponseCode::FormErr => Rcode::FormErr,
            ResponseCode::ServFail => Rcode::ServFail,
            ResponseCode::NXDomain => Rcode::NxDomain,
            ResponseCode::NotImp => Rcode::NotImp,
            ResponseCode::Refused => Rcode::Refused,
            other => Rcode::Other(u16::from(other)),
        }
    }
}

/// One SRV record (RFC 2782). `target` is ASCII without the trailing dot, or `"."` for the
/// root, which means "this service is decidedly not available".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SrvRecord {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: String,
}

impl SrvRecord {
    /// True for the target `.`: the service is explicitly not offered.
    pub fn is_not_offered(&self) -> bool {
        self.target == "."
    }
}

/// One MX record. `exchange` is ASCII without the trailing dot (`"."` for a null MX).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct MxRecord {
    pub preference: u16,
    pub exchange: String,
}

/// One TLSA record (RFC 6698 §2.1): how a certificate is to be matched, and the data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct TlsaRecord {
    /// 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE.
    pub usage: u8,
    /// 0 the whole certificate, 1 its SubjectPublicKeyInfo.
    pub selector: u8,
    /// 0 the data itself, 1 SHA-256, 2 SHA-512.
    pub matching: u8,
    /// The association data, lower-case hex.
    pub data: String,
}

/// What the answer says about the question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Outcome {
    /// SRV records, in the order the answer listed them.
    Srv(Vec<SrvRecord>),
    /// MX records, in the order the answer listed them.
    Mx(Vec<MxRecord>),
    /// TXT records, each one's strings joined without separators (RFC 7208 §3.3), in the
    /// order the answer listed them; bytes that are not UTF-8 are replaced.
    Txt(Vec<String>),
    /// TLSA records, in the order the answer listed them.
    Tlsa(Vec<TlsaRecord>),
    /// The name exists but has no record of the asked type (NOERROR with an empty answer).
    NoData,
    /// The name does not exist (NXDOMAIN).
    NxDomain,
    /// The resolver could not get an answer (SERVFAIL), often a DNSSEC validation failure.
    ServFail,
    /// Any other response code (REFUSED, FORMERR, ...).
    Failed(Rcode),
}

/// A parsed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Response {
    pub rcode: Rcode,
    /// The AD flag: the resolver validated the answer with DNSSEC.
    pub authentic_data: bool,
    pub outcome: Outcome,
    /// The names reached through CNAME records, in order (empty without a chain).
    pub cname_chain: Vec<String>,
}

/// Parses the body of a DoH answer to `question`.
pub fn parse_response(question: &Question, body: &[u8]) -> Result<Response, DnsError> {
    let message =
        Message::from_vec(body).map_err(|error| DnsError::Malformed(error.to_string()))?;
    if message.metadata.message_type != MessageType::Response {
        return Err(DnsError::NotAResponse);
    }
    if message.metadata.id != 0 {
        return Err(DnsError::WrongId(message.metadata.id));
    }
    if message.metadata.truncation {
        return Err(DnsError::Truncated);
    }
    // RFC 8484 answers echo the question; one about something else is not our answer.
    if let Some(echoed) = message.queries.first() {
        let got = plain(echoed.name());
        if got != question.name || echoed.query_type() != question.kind.record_type() {
            return Err(DnsError::WrongQuestion {
                asked: format!("{} {}", question.name, question.kind.as_str()),
                got: format!("{got} {}", echoed.query_type()),
            });
        }
    }
    let rcode = Rcode::from_hickory(message.metadata.response_code);
    let (owner, cname_chain) = follow_cnames(&question.name, &message.answers)?;
    let outcome = match rcode {
        Rcode::NoError => records_at(&owner, question.kind, &message.answers),
        Rcode::NxDomain => Outcome::NxDomain,
        Rcode::ServFail => Outcome::ServFail,
        other => Outcome::Failed(other),
    };
    Ok(Response {
        rcode,
        authentic_data: message.metadata.authentic_data,
        outcome,
        cname_chain,
    })
}

/// A name in ASCII, lower case, without the trailing dot.
fn plain(name: &Name) -> String {
    let text = name.to_ascii().to_ascii_lowercase();
    match text.strip_suffix('.') {
        Some(stripped) if !stripped.is_empty() => stripped.to_owned(),
        _ => text,
    }
}

/// Follows CNAME records in the answer section from `start`; returns the final owner name and
/// the chain of names reached.
fn follow_cnames(start: &str, answers: &[Record]) -> Result<(String, Vec<String>), DnsError> {
    let mut current = start.to_owned();
    let mut chain = Vec::new();
    loop {
        let next = answers.iter().find_map(|record| match &record.data {
            RData::CNAME(target) if plain(&record.name) == current => Some(plain(&target.0)),
            _ => None,
        });
        let Some(next) = next else {
            return Ok((current, chain));
        };
        if chain.len() >= MAX_CNAME_STEPS || next == start || chain.contains(&next) {
            return Err(DnsError::CnameLoop(MAX_CNAME_STEPS));
        }
        chain.push(next.clone());
        current = next;
    }
}

/// The records of the asked type at `owner` (the end of any CNAME chain), or NODATA.
fn records_at(owner: &str, kind: RecordKind, answers: &[Record]) -> Outcome {
    let at_owner = answers
        .iter()
        .filter(|record| plain(&record.name) == owner)
        .map(|record| &record.data);
    match kind {
        RecordKind::Srv => non_empty(
            at_owner.filter_map(|data| match data {
                RData::SRV(srv) => Some(SrvRecord {
                    priority: srv.priority,
                    weight: srv.weight,
                    port: srv.port,
                    target: plain(&srv.target),
                }),
                _ => None,
            }),
            Outcome::Srv,
        ),
        RecordKind::Mx => non_empty(
            at_owner.filter_map(|data| match data {
                RData::MX(mx) => Some(MxRecord {
                    preference: mx.preference,
                    exchange: plain(&mx.exchange),
                }),
                _ => None,
            }),
            Outcome::Mx,
        ),
        RecordKind::Txt => non_empty(
            at_owner.filter_map(|data| match data {
                RData::TXT(txt) => {
                    let joined: Vec<u8> = txt.txt_data.iter().flatten().copied().collect();
                    Some(String::from_utf8_lossy(&joined).into_owned())
                }
                _ => None,
            }),
            Outcome::Txt,
        ),
        RecordKind::Tlsa => non_empty(
            at_owner.filter_map(|data| match data {
                RData::TLSA(tlsa) => Some(TlsaRecord {
                    usage: u8::from(tlsa.cert_usage),
                    selector: u8::from(tlsa.selector),
                    matching: u8::from(tlsa.matching),
                    data: hex(&tlsa.cert_data),
                }),
                _ => None,
            }),
            Outcome::Tlsa,
        ),
    }
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The records wrapped as an outcome, or NODATA when there are none of the asked type.
fn non_empty<T>(records: impl Iterator<Item = T>, outcome: fn(Vec<T>) -> Outcome) -> Outcome {
    let records: Vec<T> = records.collect();
    if records.is_empty() {
        Outcome::NoData
    } else {
        outcome(records)
    }
}

#[cfg(test)]
mod tests {
    use hickory_proto::op::OpCode;
    use hickory_proto::rr::rdata::{CNAME, MX, SRV};

    use super::*;

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    /// A response to `question` with the given code and answer records.
    pub(super) fn reply(question: &Question, code: ResponseCode, answers: Vec<Record>) -> Message {
        let mut message = Message::new(0, MessageType::Response, OpCode::Query);
        message.metadata.response_code = code;
        message.add_query(hickory_proto::op::Query::query(
            question.fqdn().unwrap(),
            question.kind.record_type(),
        ));
        message.add_answers(answers);
        message
    }

    fn srv_question() -> Question {
        Question::new("_imaps._tcp.example.com", RecordKind::Srv)
    }

    #[test]
    fn srv_records_and_the_ad_flag_are_read() {
        let question = srv_question();
        let mut message = reply(
            &question,
            ResponseCode::NoError,
            vec![
                Record::from_rdata(
                    name("_imaps._tcp.example.com."),
                    300,
                    RData::SRV(SRV::new(10, 5, 993, name("Mail.Example.com."))),
                ),
                Record::from_rdata(
                    name("_imaps._tcp.example.com."),
                    300,
                    RData::SRV(SRV::new(0, 0, 0, Name::root())),
                ),
            ],
        );
        message.metadata.authentic_data = true;
        let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
        assert_eq!(response.rcode, Rcode::NoError);
        assert!(response.authentic_data);
        let Outcome::Srv(records) = response.outcome else {
            panic!("expected SRV records");
        };
        assert_eq!(records[0].target, "mail.example.com");
        assert_eq!(
            (records[0].priority, records[0].weight, records[0].port),
            (10, 5, 993)
        );
        assert!(records[1].is_not_offered());
    }

    #[test]
    fn cname_chains_inside_the_answer_are_followed() {
        let question = Question::new("example.com", RecordKind::Mx);
        let message = reply(
            &question,
            ResponseCode::NoError,
            vec![
                Record::from_rdata(
                    name("alias.example.net."),
                    60,
                    RData::MX(MX::new(5, name("mx.example.net."))),
                ),
                Record::from_rdata(
                    name("example.com."),
                    60,
                    RData::CNAME(CNAME(name("step.example.org."))),
                ),
                Record::from_rdata(
                    name("step.example.org."),
                    60,
                    RData::CNAME(CNAME(name("alias.example.net."))),
                ),
                // An MX at the original owner must be ignored: the CNAME wins.
                Record::from_rdata(
                    name("unrelated.example."),
                    60,
                    RData::MX(MX::new(1, name("wrong.example."))),
                ),
            ],
        );
        let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
        assert_eq!(
            response.cname_chain,
            vec!["step.example.org", "alias.example.net"]
        );
        assert_eq!(
            response.outcome,
            Outcome::Mx(vec![MxRecord {
                preference: 5,
                exchange: "mx.example.net".into()
            }])
        );
    }

    #[test]
    fn cname_loops_are_errors() {
        let question = Question::new("a.example", RecordKind::Mx);
        let message = reply(
            &question,
            ResponseCode::NoError,
            vec![
                Record::from_rdata(
                    name("a.example."),
                    60,
                    RData::CNAME(CNAME(name("b.example."))),
                ),
                Record::from_rdata(
                    name("b.example."),
                    60,
                    RData::CNAME(CNAME(name("a.example."))),
                ),
            ],
        );
        let error = parse_response(&question, &message.to_vec().unwrap()).unwrap_err();
        assert_eq!(error, DnsError::CnameLoop(MAX_CNAME_STEPS));
    }

    #[test]
    fn nxdomain_nodata_and_servfail_are_distinguished() {
        let question = srv_question();
        let cases = [
            (ResponseCode::NXDomain, Outcome::NxDomain, "NXDOMAIN"),
            (ResponseCode::NoError, Outcome::NoData, "NOERROR"),
            (ResponseCode::ServFail, Outcome::ServFail, "SERVFAIL"),
            (
                ResponseCode::Refused,
                Outcome::Failed(Rcode::Refused),
                "REFUSED",
            ),
        ];
        for (code, expected, rcode_name) in cases {
            let message = reply(&question, code, Vec::new());
            let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
            assert_eq!(response.outcome, expected);
            assert_eq!(response.rcode.name(), rcode_name);
        }
    }

    #[test]
    fn records_of_another_type_are_nodata() {
        let question = srv_question();
        let message = reply(
            &question,
            ResponseCode::NoError,
            vec![Record::from_rdata(
                name("_imaps._tcp.example.com."),
                60,
                RData::MX(MX::new(1, name("mx.example.com."))),
            )],
        );
        let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
        assert_eq!(response.outcome, Outcome::NoData);
    }

    #[test]
    fn bad_responses_are_rejected() {
        let question = srv_question();
        assert!(matches!(
            parse_response(&question, b"garbage"),
            Err(DnsError::Malformed(_))
        ));
        assert!(matches!(
            parse_response(&question, &[]),
            Err(DnsError::Malformed(_))
        ));

        let query = crate::dns::encode_query(&question).unwrap();
        assert_eq!(
            parse_response(&question, &query),
            Err(DnsError::NotAResponse)
        );

        let mut wrong_id = reply(&question, ResponseCode::NoError, Vec::new());
        wrong_id.metadata.id = 7;
        assert_eq!(
            parse_response(&question, &wrong_id.to_vec().unwrap()),
            Err(DnsError::WrongId(7))
        );

        let mut truncated = reply(&question, ResponseCode::NoError, Vec::new());
        truncated.metadata.truncation = true;
        assert_eq!(
            parse_response(&question, &truncated.to_vec().unwrap()),
            Err(DnsError::Truncated)
        );

        let other = reply(
            &Question::new("other.example", RecordKind::Srv),
            ResponseCode::NoError,
            Vec::new(),
        );
        assert!(matches!(
            parse_response(&question, &other.to_vec().unwrap()),
            Err(DnsError::WrongQuestion { .. })
        ));
    }
    #[test]
    fn txt_strings_are_joined_and_tlsa_records_read() {
        use hickory_proto::rr::rdata::tlsa::{CertUsage, Matching, Selector};
        use hickory_proto::rr::rdata::{TLSA, TXT};
        let question = Question::new("example.com", RecordKind::Txt);
        let message = reply(
            &question,
            ResponseCode::NoError,
            vec![
                Record::from_rdata(
                    name("example.com."),
                    60,
                    RData::TXT(TXT::new(vec![
                        "v=spf1 ip4:192.0.2.0/24".into(),
                        " -all".into(),
                    ])),
                ),
                Record::from_rdata(
                    name("example.com."),
                    60,
                    RData::TXT(TXT::from_bytes(vec![b"caf\xc3", b"\xa9 \xff"])),
                ),
            ],
        );
        let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
        assert_eq!(
            response.outcome,
            Outcome::Txt(vec![
                "v=spf1 ip4:192.0.2.0/24 -all".into(),
                "caf\u{e9} \u{fffd}".into()
            ])
        );
        let question = Question::new("_25._tcp.mx.example.com", RecordKind::Tlsa);
        let message = reply(
            &question,
            ResponseCode::NoError,
            vec![Record::from_rdata(
                name("_25._tcp.mx.example.com."),
                60,
                RData::TLSA(TLSA::new(
                    CertUsage::DaneEe,
                    Selector::Spki,
                    Matching::Sha256,
                    vec![0xab, 0x01],
                )),
            )],
        );
        let response = parse_response(&question, &message.to_vec().unwrap()).unwrap();
        assert_eq!(
            response.outcome,
            Outcome::Tlsa(vec![TlsaRecord {
                usage: 3,
                selector: 1,
                matching: 1,
                data: "ab01".into()
            }])
        );
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod properties {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Any bytes give an answer or an error, never a panic.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let question = Question::new("_imaps._tcp.example.com", RecordKind::Srv);
            let _ = parse_response(&question, &bytes);
        }

        /// A valid answer with random bits flipped still never panics.
        #[test]
        fn mutated_answers_never_panic(flips in proptest::collection::vec((0usize..200, any::<u8>()), 1..8)) {
            let question = Question::new("_imaps._tcp.example.com", RecordKind::Srv);
            let message = super::tests::reply(&question, ResponseCode::NoError, vec![Record::from_rdata(
                question.fqdn().unwrap(),
                60,
                RData::SRV(hickory_proto::rr::rdata::SRV::new(
                    1, 2, 993, Name::from_ascii("mail.example.com.").unwrap(),
                )),
            )]);
            let mut wire = message.to_vec().unwrap();
            for (position, value) in flips {
                let index = position % wire.len();
                wire[index] ^= value;
            }
            let _ = parse_response(&question, &wire);
        }
    }
}
