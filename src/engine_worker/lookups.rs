//! The browser's discovery driver: every planned DNS lookup at once over DNS-over-HTTPS, with
//! a per-query timeout and fallback to the next resolver, plus an attempt at the domain's
//! published autoconfig file and, for a domain the bundled knowledge does not know,
//! Thunderbird's ISP database service; then, only when nothing decided, the MX path's second
//! round (the core's rules, `discovery::first_batch` and `second_round`); then portolan-core
//! merges it all.
//!
//! Privacy: only DNS names go to the resolver. The autoconfig request is made without the
//! `emailaddress` parameter, so the address itself never leaves the browser.

use futures::future::join_all;
use portolan_core::discovery::{
    self, ask_resolvers_in_turn, read_doh_answer, Answered, FetchBases, FetchRequest, Fetched,
    FileKind, LookupError, PlannedQuery, MAX_DOH_ANSWER_BYTES,
};
use portolan_core::dns::{DohMethod, DohRequest, DNS_MESSAGE_MEDIA_TYPE};
use portolan_core::lang::Lang;
use portolan_core::model::Discovery;
use portolan_core::MailInput;

use super::fetch::{elapsed_ms, fetch, now_ms, FetchError};
use crate::strings;

/// The largest published file read.
const MAX_PUBLISHED_FILE: usize = 256 * 1024;

/// How discovery asks.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveryConfig {
    /// Resolver URLs, tried in order for each question; empty means offline.
    pub resolvers: Vec<String>,
    /// An independent resolver asked every question at the same time, for a second opinion.
    pub second_resolver: Option<String>,
    /// The longest wait for one resolver (or one published file).
    pub timeout_ms: u32,
}

/// Runs the whole discovery for `input`. Never fails: what could not be asked shows up in the
/// result's `lookups` and the knowledge base and guesses still answer.
pub async fn discover(input: &MailInput, config: &DiscoveryConfig) -> Discovery {
    if config.resolvers.is_empty() {
        return discovery::merge(input, &[], &[]);
    }
    // The second opinion's questions go out with the first batch.
    let second = async {
        match &config.second_resolver {
            Some(url) => Some(
                resolve_all(
                    discovery::plan(input),
                    &DiscoveryConfig {
                        resolvers: vec![url.clone()],
                        second_resolver: None,
                        timeout_ms: config.timeout_ms,
                    },
                )
                .await,
            ),
            None => None,
        }
    };
    let ((answers, fetched), second) = futures::join!(gather(input, config), second);
    let mut result = discovery::merge(input, &answers, &fetched);
    if let Some(second) = second {
        discovery::add_second_opinion(&mut result, &answers, &second);
    }
    result
}

/// Discovery's lookups and fetches, before the merge (the provider audit reads them too).
pub async fn gather(input: &MailInput, config: &DiscoveryConfig) -> (Vec<Answered>, Vec<Fetched>) {
    // The browser fetches without the address: only the domain leaves it.
    let domain_only = MailInput {
        local_part: None,
        domain: input.domain.clone(),
    };
    let bases = FetchBases::default();
    let lookups = resolve_all(discovery::plan(input), config);
    let first: Vec<FetchRequest> = discovery::first_batch(&domain_only, &bases)
        .into_iter()
        .filter(|request| request.kind != FileKind::Autodiscover)
        .collect();
    let published = fetch_all(first, config.timeout_ms);
    let (answers, mut fetched) = futures::join!(lookups, published);
    // The MX path's second round, only when the first batch decided nothing.
    let second: Vec<FetchRequest> =
        discovery::second_round(&domain_only, &answers, &fetched, &bases)
            .into_iter()
            .filter(|request| request.kind != FileKind::Autodiscover)
            .collect();
    if !second.is_empty() {
        fetched.extend(fetch_all(second, config.timeout_ms).await);
    }
    (answers, fetched)
}

/// Answers every query, all sent at once.
pub async fn resolve_all(queries: Vec<PlannedQuery>, config: &DiscoveryConfig) -> Vec<Answered> {
    join_all(queries.into_iter().map(|query| resolve(query, config))).await
}

/// Fetches every request at once.
pub async fn fetch_all(requests: Vec<FetchRequest>, timeout_ms: u32) -> Vec<Fetched> {
    join_all(
        requests
            .into_iter()
            .map(|request| fetch_published(request, timeout_ms)),
    )
    .await
}

/// Asks each resolver in turn until one gives a usable answer (the core's rule).
async fn resolve(query: PlannedQuery, config: &DiscoveryConfig) -> Answered {
    let started = now_ms();
    ask_resolvers_in_turn(
        query,
        &config.resolvers,
        |resolver, query| async move { ask(&resolver, &query, config.timeout_ms).await },
        || elapsed_ms(started),
    )
    .await
}

async fn ask(
    resolver: &str,
    query: &PlannedQuery,
    timeout_ms: u32,
) -> Result<portolan_core::dns::Response, LookupError> {
    let request = DohRequest::new(resolver, &query.question, DohMethod::Get)?;
    let body = request
        .body
        .as_deref()
        .map(|bytes| (bytes, DNS_MESSAGE_MEDIA_TYPE));
    let fetched = fetch(
        &request.url,
        request.accept,
        body,
        timeout_ms,
        MAX_DOH_ANSWER_BYTES,
        true,
    )
    .await
    .map_err(|error| match error {
        FetchError::Timeout(ms) => LookupError::Timeout(u64::from(ms)),
        FetchError::Blocked(why) => LookupError::Transport(why),
        FetchError::TooLarge(bytes) => {
            LookupError::Transport(format!("answer of {bytes} bytes is too large"))
        }
    })?;
    read_doh_answer(query, fetched.status, &fetched.content_type, &fetched.body)
}

async fn fetch_published(request: FetchRequest, timeout_ms: u32) -> Fetched {
    let FetchRequest { kind, url } = request;
    let started = now_ms();
    let policy = kind == FileKind::MtaStsPolicy;
    let accept = if kind == FileKind::Pacc {
        portolan_core::formats::pacc::CONTENT_TYPE
    } else {
        "text/xml"
    };
    let outcome = fetch(&url, accept, None, timeout_ms, MAX_PUBLISHED_FILE, !policy).await;
    let milliseconds = elapsed_ms(started);
    let (status, body) = match outcome {
        Ok(fetched) if fetched.status == 200 => (
            fetched.status,
            String::from_utf8(fetched.body).map_err(|_| "the file is not UTF-8 text".to_owned()),
        ),
        Ok(fetched) => (fetched.status, Err(format!("HTTP {}", fetched.status))),
        Err(FetchError::Timeout(ms)) => (0, Err(format!("no answer within {ms} ms"))),
        Err(FetchError::TooLarge(bytes)) => (0, Err(format!("{bytes} bytes is too large"))),
        Err(FetchError::Blocked(_)) if policy => (
            0,
            Err(portolan_core::audit::report::BLOCKED_IN_BROWSER.to_owned()),
        ),
        Err(FetchError::Blocked(_)) => (
            0,
            Err(match kind {
                FileKind::IspdbService | FileKind::MxIspdbService => {
                    strings::in_lang(Lang::En, strings::ISPDB_BLOCKED)
                }
                FileKind::Autoconfig
                | FileKind::Autodiscover
                | FileKind::MxAutoconfig
                | FileKind::MtaStsPolicy
                | FileKind::Pacc
                | FileKind::WellKnown(_) => strings::in_lang(Lang::En, strings::PUBLISHED_BLOCKED),
            }
            .into()),
        ),
    };
    Fetched {
        kind,
        url,
        status,
        body,
        milliseconds,
    }
}
