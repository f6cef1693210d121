//! A native DNS-over-HTTPS driver: sends portolan-core's planned questions to a list of
//! resolvers with a per-query timeout, falling back to the next resolver on failure, and runs
//! a whole batch in parallel.

use std::time::{Duration, Instant};

use portolan_core::discovery::{
    ask_resolvers_in_turn, read_doh_answer, Answered, LookupError, PlannedQuery,
    MAX_DOH_ANSWER_BYTES,
};
use portolan_core::dns::{
    DohMethod, DohRequest, Response, DEFAULT_RESOLVERS, DNS_MESSAGE_MEDIA_TYPE,
};
use thiserror::Error;

use crate::http::{self, describe, BodyError};

/// Why the client could not be set up.
#[derive(Debug, Error)]
pub enum DohError {
    #[error("the HTTP client could not be built: {0}")]
    Client(#[from] reqwest::Error),
}

/// How to ask.
#[derive(Debug, Clone)]
pub struct DohConfig {
    /// Resolver URLs, tried in order for each question.
    pub resolvers: Vec<String>,
    /// The longest wait for one resolver's answer before trying the next.
    pub timeout: Duration,
    pub method: DohMethod,
}

impl Default for DohConfig {
    fn default() -> Self {
        DohConfig {
            resolvers: DEFAULT_RESOLVERS
                .iter()
                .map(|url| (*url).to_owned())
                .collect(),
            timeout: Duration::from_secs(3),
            method: DohMethod::Get,
        }
    }
}

/// A DoH client; cheap to clone (the connection pool is shared).
#[derive(Debug, Clone)]
pub struct DohClient {
    http: reqwest::Client,
    config: DohConfig,
}

impl DohClient {
    pub fn new(config: DohConfig) -> Result<Self, DohError> {
        let http = http::client_builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(DohClient { http, config })
    }

    /// Answers every query, all sent at once; the result keeps the order of `queries`.
    pub async fn resolve_all(&self, queries: Vec<PlannedQuery>) -> Vec<Answered> {
        http::all_at_once(queries.into_iter().map(|query| {
            let client = self.clone();
            async move { client.resolve(query).await }
        }))
        .await
    }

    /// Answers the queries one after another (for the benchmark's contrast only).
    pub async fn resolve_sequentially(&self, queries: Vec<PlannedQuery>) -> Vec<Answered> {
        let mut answered = Vec::with_capacity(queries.len());
        for query in queries {
            answered.push(self.resolve(query).await);
        }
        answered
    }

    /// Asks each resolver in turn until one gives a usable answer (the core's rule: a
    /// timeout, a transport or HTTP error, a bad message, SERVFAIL or REFUSED moves on).
    pub async fn resolve(&self, query: PlannedQuery) -> Answered {
        let started = Instant::now();
        ask_resolvers_in_turn(
            query,
            &self.config.resolvers,
            |resolver, query| async move {
                match tokio::time::timeout(self.config.timeout, self.ask(&resolver, &query)).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(LookupError::Timeout(
                        u64::try_from(self.config.timeout.as_millis()).unwrap_or(u64::MAX),
                    )),
                }
            },
            || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        )
        .await
    }

    async fn ask(&self, resolver: &str, query: &PlannedQuery) -> Result<Response, LookupError> {
        let request = DohRequest::new(resolver, &query.question, self.config.method)?;
        let builder = match &request.body {
            None => self.http.get(&request.url),
            Some(body) => self
                .http
                .post(&request.url)
                .header(reqwest::header::CONTENT_TYPE, DNS_MESSAGE_MEDIA_TYPE)
                .body(body.clone()),
        };
        let mut response = builder
            .header(reqwest::header::ACCEPT, request.accept)
            .send()
            .await
            .map_err(|error| LookupError::Transport(describe(&error)))?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = http::read_body(&mut response, MAX_DOH_ANSWER_BYTES)
            .await
            .map_err(|error| match error {
                BodyError::TooLarge => LookupError::Transport(format!(
                    "the answer is larger than {MAX_DOH_ANSWER_BYTES} bytes"
                )),
                BodyError::Transport(text) => LookupError::Transport(text),
            })?;
        read_doh_answer(query, status, &content_type, &body)
    }
}
