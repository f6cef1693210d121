//! What the DoH driver and the published-file fetcher share: the HTTP client's base settings,
//! reading a body up to a size limit, describing errors, and sending a batch all at once.

use std::future::Future;

use tokio::task::JoinSet;

/// A reqwest client builder with rustls and Portolan's user agent; callers add their redirect
/// policy.
pub(crate) fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(concat!("portolan/", env!("CARGO_PKG_VERSION")))
}

/// Why a body could not be read whole.
pub(crate) enum BodyError {
    /// The body grew past the limit.
    TooLarge,
    /// The connection failed mid-body (described with its causes).
    Transport(String),
}

/// Reads the whole body, giving up as soon as it is longer than `limit` bytes.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| BodyError::Transport(describe(&error)))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > limit {
            return Err(BodyError::TooLarge);
        }
    }
    Ok(body)
}

/// A reqwest error with its causes, which say what actually failed (refused, reset, TLS).
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Runs every task at once and returns their results in the order given (a task that
/// panicked leaves no entry).
pub(crate) async fn all_at_once<T, F>(tasks: impl IntoIterator<Item = F>) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let mut running = JoinSet::new();
    let mut count = 0;
    for (index, task) in tasks.into_iter().enumerate() {
        running.spawn(async move { (index, task.await) });
        count += 1;
    }
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    while let Some(joined) = running.join_next().await {
        if let Ok((index, result)) = joined {
            results[index] = Some(result);
        }
    }
    results.into_iter().flatten().collect()
}
