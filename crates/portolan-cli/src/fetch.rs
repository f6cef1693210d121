//! Fetching the files a domain publishes (autoconfig with GET, Autodiscover with POST), natively
//! over HTTPS with rustls.

use std::time::{Duration, Instant};

use portolan_core::discovery::{Fetched, FileKind};
use portolan_core::formats::autodiscover;

use crate::http::{all_at_once, client_builder, describe, read_body, BodyError};

/// The largest published file read; real ones are a few kilobytes.
const MAX_FILE_BYTES: usize = 256 * 1024;

/// One file to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPlan {
    pub kind: FileKind,
    pub url: String,
    /// For Autodiscover: the address the request body names.
    pub address: Option<String>,
}

/// Builds the HTTP client for published files: rustls, at most three redirects, and only to
/// HTTPS (or to loopback, which tests use).
pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        let secure = attempt.url().scheme() == "https"
            || attempt
                .url()
                .host_str()
                .is_some_and(|host| host == "127.0.0.1" || host == "[::1]" || host == "localhost");
        if attempt.previous().len() >= 3 || !secure {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    client_builder().redirect(policy).build()
}

/// Fetches every planned file at once, each within `timeout`; results keep the plan's order.
pub async fn fetch_all(
    http: &reqwest::Client,
    plans: Vec<FetchPlan>,
    timeout: Duration,
) -> Vec<Fetched> {
    all_at_once(plans.into_iter().map(|plan| {
        let http = http.clone();
        async move { fetch_one(&http, plan, timeout).await }
    }))
    .await
}

async fn fetch_one(http: &reqwest::Client, plan: FetchPlan, timeout: Duration) -> Fetched {
    let started = Instant::now();
    let (status, body) = match tokio::time::timeout(timeout, get(http, &plan)).await {
        Ok(result) => result,
        Err(_) => (
            0,
            Err(format!("no answer within {} ms", timeout.as_millis())),
        ),
    };
    Fetched {
        kind: plan.kind,
        url: plan.url,
        status,
        body,
        milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

async fn get(http: &reqwest::Client, plan: &FetchPlan) -> (u16, Result<String, String>) {
    let request = match plan.kind {
        FileKind::Autoconfig
        | FileKind::MxAutoconfig
        | FileKind::IspdbService
        | FileKind::MxIspdbService
        | FileKind::MtaStsPolicy
        | FileKind::Pacc
        | FileKind::WellKnown(_) => http.get(&plan.url),
        FileKind::Autodiscover => {
            let address = plan.address.clone().unwrap_or_default();
            match autodiscover::request_body(&address) {
                Ok(body) => http
                    .post(&plan.url)
                    .header(reqwest::header::CONTENT_TYPE, autodiscover::CONTENT_TYPE)
                    .body(body),
                Err(error) => return (0, Err(error.to_string())),
            }
        }
    };
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => return (0, Err(describe(&error))),
    };
    let status = response.status().as_u16();
    if !response.status().is_success() {
        return (status, Err(format!("HTTP {status}")));
    }
    let body = match read_body(&mut response, MAX_FILE_BYTES).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return (status, Err(format!("larger than {MAX_FILE_BYTES} bytes")))
        }
        Err(BodyError::Transport(text)) => return (status, Err(text)),
    };
    match String::from_utf8(body) {
        Ok(text) => (status, Ok(text)),
        Err(_) => (status, Err("the file is not UTF-8 text".into())),
    }
}
