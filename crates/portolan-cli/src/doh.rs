//! A native DNS-over-HTTPS driver: sends portolan-core's planned questions to a list of
//! resolvers with a per-query timeout, falling back to the next resolver on failure, and runs
//! a whole batch in parallel.

use std::time::{Duration, Instant};

use portolan_core::discovery::{try_next_resolver, Answered, LookupError, PlannedQuery};
use portolan_core::dns::{
    parse_response, DohMethod, DohRequest, Response, DEFAULT_RESOLVERS, DNS_MESSAGE_MEDIA_TYPE,
};
use thiserror::Error;

use crate::http::{self, describe, BodyError};

/// The largest DoH answer read; real answers are a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

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

    /// Asks each resolver in turn until one gives a usable answer. A timeout, a transport or
    /// HTTP error, a bad message, SERVFAIL or REFUSED moves on to the next resolver; the last
    /// outcome is kept when none succeeds.
    pub async fn resolve(&self, query: PlannedQuery) -> Answered {
        let started = Instant::now();
        let mut resolver_used = String::new();
        let mut result: Result<Response, LookupError> = Err(LookupError::NoResolver);
        for resolver in &self.config.resolvers {
            resolver_used = resolver.clone();
            result =
                match tokio::time::timeout(self.config.timeout, self.ask(resolver, &query)).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(LookupError::Timeout(
                        u64::try_from(self.config.timeout.as_millis()).unwrap_or(u64::MAX),
                    )),
                };
            if !try_next_resolver(&result) {
                break;
            }
        }
        Answered {
            query,
            resolver: resolver_used,
            milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            result,
        }
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
        if !response.status().is_success() {
            return Err(LookupError::Http(response.status().as_u16()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if !content_type
            .to_ascii_lowercase()
            .starts_with(DNS_MESSAGE_MEDIA_TYPE)
        {
            return Err(LookupError::ContentType(content_type));
        }
        let body = http::read_body(&mut response, MAX_ANSWER_BYTES)
            .await
            .map_err(|error| match error {
                BodyError::TooLarge => LookupError::Transport(format!(
                    "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                )),
                BodyError::Transport(text) => LookupError::Transport(text),
            })?;
        Ok(parse_response(&query.question, &body)?)
    }
}
