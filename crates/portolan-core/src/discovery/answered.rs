//! What a driver hands back for each planned DNS lookup, and the `lookups` report built from it.

use thiserror::Error;

use std::future::Future;

use crate::dns::{parse_response, DnsError, Rcode, Response, DNS_MESSAGE_MEDIA_TYPE};
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

/// The largest DoH answer a driver reads: real answers are a few hundred bytes, and a DNS
/// message is at most 65,535 bytes anyway. Every driver stops reading here.
pub const MAX_DOH_ANSWER_BYTES: usize = 64 * 1024;

/// Reads what a resolver sent back over HTTP for `query`: any status but 200, or a content
/// type other than `application/dns-message`, is an error before the body is even parsed.
pub fn read_doh_answer(
    query: &PlannedQuery,
    status: u16,
    content_type: &str,
    body: &[u8],
) -> Result<Response, LookupError> {
    if status != 200 {
        return Err(LookupError::Http(status));
    }
    if !content_type
        .to_ascii_lowercase()
        .starts_with(DNS_MESSAGE_MEDIA_TYPE)
    {
        return Err(LookupError::ContentType(content_type.to_owned()));
    }
    Ok(parse_response(&query.question, body)?)
}

/// Asks `resolvers` in order until one gives a usable answer (see [`try_next_resolver`]); the
/// last outcome is kept when none does. `ask` carries out one exchange with one resolver
/// (with the driver's own timeout) and `now_ms` reads the driver's clock, so this rule is the
/// same for every driver while the I/O stays at the edges.
///
/// `ask` gets its own copies of the resolver URL and the query, so the futures it makes
/// borrow nothing from here (a multi-threaded runtime needs them `Send` for any lifetime).
pub async fn ask_resolvers_in_turn<Ask, Asked>(
    query: PlannedQuery,
    resolvers: &[String],
    mut ask: Ask,
    now_ms: impl Fn() -> u64,
) -> Answered
where
    Ask: FnMut(String, PlannedQuery) -> Asked,
    Asked: Future<Output = Result<Response, LookupError>>,
{
    let started = now_ms();
    let mut resolver_used = String::new();
    let mut result = Err(LookupError::NoResolver);
    for resolver in resolvers {
        resolver_used.clone_from(resolver);
        result = ask(resolver.clone(), query.clone()).await;
        if !try_next_resolver(&result) {
            break;
        }
    }
    Answered {
        query,
        resolver: resolver_used,
        milliseconds: now_ms().saturating_sub(started),
        result,
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::future::{ready, Future};
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};

    use super::*;
    use crate::address::parse_input;
    use crate::discovery::plan;

    /// Runs a future whose every await is already ready.
    fn run_ready<F: Future>(future: F) -> F::Output {
        let mut future = pin!(future);
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the future waited"),
        }
    }

    fn mx_query() -> PlannedQuery {
        let input = parse_input("example.com").unwrap();
        plan(&input)
            .into_iter()
            .find(|query| query.purpose == Purpose::Mx)
            .unwrap()
    }

    fn wire(query: &PlannedQuery, code: ResponseCode) -> Vec<u8> {
        let mut message = Message::new(0, MessageType::Response, OpCode::Query);
        message.metadata.response_code = code;
        message.add_query(hickory_proto::op::Query::query(
            query.question.fqdn().unwrap(),
            query.question.kind.record_type(),
        ));
        message.to_vec().unwrap()
    }

    #[test]
    fn a_doh_answer_needs_status_200_and_the_dns_media_type() {
        let query = mx_query();
        let body = wire(&query, ResponseCode::NoError);
        let ok = read_doh_answer(&query, 200, "application/dns-message; x=1", &body).unwrap();
        assert_eq!(ok.rcode, Rcode::NoError);
        assert_eq!(
            read_doh_answer(&query, 502, DNS_MESSAGE_MEDIA_TYPE, &body),
            Err(LookupError::Http(502))
        );
        assert_eq!(
            read_doh_answer(&query, 200, "text/html", &body),
            Err(LookupError::ContentType("text/html".into()))
        );
        assert!(matches!(
            read_doh_answer(&query, 200, DNS_MESSAGE_MEDIA_TYPE, b"junk"),
            Err(LookupError::Dns(_))
        ));
    }

    #[test]
    fn resolvers_are_asked_in_turn_until_one_answers() {
        let query = mx_query();
        let resolvers: Vec<String> = ["https://a.test/q", "https://b.test/q", "https://c.test/q"]
            .map(String::from)
            .to_vec();
        let clock = Cell::new(100);
        let asked = std::cell::RefCell::new(Vec::new());
        let answered = run_ready(ask_resolvers_in_turn(
            query.clone(),
            &resolvers,
            |resolver: String, query: PlannedQuery| {
                asked.borrow_mut().push(resolver.clone());
                clock.set(clock.get() + 7);
                let code = if resolver.contains("a.test") {
                    ResponseCode::ServFail
                } else {
                    ResponseCode::NXDomain
                };
                ready(read_doh_answer(
                    &query,
                    200,
                    DNS_MESSAGE_MEDIA_TYPE,
                    &wire(&query, code),
                ))
            },
            || clock.get(),
        ));
        assert_eq!(
            *asked.borrow(),
            vec!["https://a.test/q", "https://b.test/q"],
            "SERVFAIL moves on, NXDOMAIN is an answer"
        );
        assert_eq!(answered.resolver, "https://b.test/q");
        assert_eq!(answered.milliseconds, 14);
        assert_eq!(answered.result.unwrap().rcode, Rcode::NxDomain);

        let none = run_ready(ask_resolvers_in_turn(
            query,
            &[],
            |_, _| ready(Err(LookupError::Timeout(1))),
            || 0,
        ));
        assert_eq!(none.result, Err(LookupError::NoResolver));
    }
}
