//! The browser's `fetch`, with a timeout (AbortController) and a byte limit, and a clock.
//!
//! Both use the global scope's `fetch` and `performance`, so they work the same in the page
//! and in the engine worker (where there is no `window`).

use gloo_timers::callback::Timeout;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Request, RequestInit, RequestMode, Response};

#[wasm_bindgen]
extern "C" {
    /// `fetch` of whatever global scope runs this code: a window or a worker.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &Request) -> js_sys::Promise;

    /// `performance.now()` of the global scope.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// What came back from one fetch.
pub struct Fetched {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// Why a fetch produced nothing: the browser does not say more than this (a CORS refusal and
/// a network failure look the same to a page, by design).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// No answer within the timeout.
    Timeout(u32),
    /// The browser refused or failed the request: network down, CORS, mixed content.
    Blocked(String),
    /// The answer was larger than allowed.
    TooLarge(usize),
}

/// Milliseconds since the page (or worker) started, from the browser's monotonic clock.
pub fn now_ms() -> f64 {
    performance_now()
}

/// Whole milliseconds since `started` (a [`now_ms`] reading).
pub fn elapsed_ms(started: f64) -> u64 {
    // The clock is monotonic and in milliseconds; a negative difference cannot happen.
    (now_ms() - started).max(0.0).round() as u64
}

/// Fetches `url` (GET, or POST with `body`), aborting after `timeout_ms`; with
/// `follow_redirects` false a redirect is an error (RFC 8461 §3.3 for MTA-STS policies).
pub async fn fetch(
    url: &str,
    accept: &str,
    body: Option<(&[u8], &str)>,
    timeout_ms: u32,
    max_bytes: usize,
    follow_redirects: bool,
) -> Result<Fetched, FetchError> {
    let blocked = |value: wasm_bindgen::JsValue| {
        FetchError::Blocked(
            value
                .as_string()
                .or_else(|| {
                    value
                        .dyn_ref::<js_sys::Error>()
                        .map(|error| String::from(error.message()))
                })
                .unwrap_or_else(|| "the browser refused the request".into()),
        )
    };
    let controller = AbortController::new().map_err(blocked)?;
    let init = RequestInit::new();
    init.set_mode(RequestMode::Cors);
    init.set_signal(Some(&controller.signal()));
    if !follow_redirects {
        init.set_redirect(web_sys::RequestRedirect::Error);
    }
    if let Some((bytes, content_type)) = body {
        init.set_method("POST");
        let array = Uint8Array::from(bytes);
        init.set_body(&array.into());
        let headers = web_sys::Headers::new().map_err(blocked)?;
        headers.set("content-type", content_type).map_err(blocked)?;
        headers.set("accept", accept).map_err(blocked)?;
        init.set_headers(&headers.into());
    } else {
        // A GET with only safelisted headers stays a "simple request": no CORS preflight.
        init.set_method("GET");
        let headers = web_sys::Headers::new().map_err(blocked)?;
        headers.set("accept", accept).map_err(blocked)?;
        init.set_headers(&headers.into());
    }
    let request = Request::new_with_str_and_init(url, &init).map_err(blocked)?;
    let abort = {
        let controller = controller.clone();
        Timeout::new(timeout_ms, move || controller.abort())
    };
    let outcome = async {
        let value = JsFuture::from(global_fetch(&request))
            .await
            .map_err(blocked)?;
        let response: Response = value.dyn_into().map_err(blocked)?;
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .unwrap_or_default();
        let buffer = JsFuture::from(response.array_buffer().map_err(blocked)?)
            .await
            .map_err(blocked)?;
        let bytes = Uint8Array::new(&buffer);
        let length = bytes.length() as usize;
        if length > max_bytes {
            return Err(FetchError::TooLarge(length));
        }
        Ok(Fetched {
            status,
            content_type,
            body: bytes.to_vec(),
        })
    }
    .await;
    let timed_out = controller.signal().aborted();
    drop(abort);
    match outcome {
        Err(FetchError::Blocked(_)) if timed_out => Err(FetchError::Timeout(timeout_ms)),
        other => other,
    }
}
