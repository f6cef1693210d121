//! Minimal HTTP/1.1 plumbing: reading one request head from a stream, and writing small
//! responses. The relay answers only GET and HEAD, never reads request bodies, and keeps
//! per-connection buffers small.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::request::{parse_request_head, RequestError, RequestHead, MAX_HEAD_BYTES};

/// A response the relay can send.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body and no extra headers.
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A JSON error body `{"error": reason, "detail": detail}`.
    pub fn json(status: u16, body: String) -> Self {
        Response::new(status, "application/json", body)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// The reason phrase for the statuses the relay sends.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        101 => "Switching Protocols",
        200 => "OK",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Bodies up to this size are sent in the same write as the head.
const SMALL_BODY: usize = 16 * 1024;

/// Writes `response`; with `head_only` the body is left out (for HEAD requests).
pub async fn write_response<S: AsyncWrite + Unpin>(
    stream: &mut S,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    // A 304 has no body, and its Content-Length would have to be the full file's (RFC 9110
    // §8.6): leave it out.
    let length = if response.status == 304 {
        String::new()
    } else {
        format!("Content-Length: {}\r\n", response.body.len())
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\n{length}X-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        response.status,
        reason_phrase(response.status),
        response.content_type,
        if keep_alive { "keep-alive" } else { "close" }
    );
    for (name, value) in &response.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    // A small body (a refusal's JSON, a health check) goes out with the head in one write, so
    // a client that reads only what arrived with the head (a WebSocket library reading a
    // refused upgrade) still gets it whole.
    if !head_only && response.body.len() <= SMALL_BODY {
        let mut whole = head.into_bytes();
        whole.extend_from_slice(&response.body);
        stream.write_all(&whole).await?;
        return stream.flush().await;
    }
    stream.write_all(head.as_bytes()).await?;
    if !head_only {
        stream.write_all(&response.body).await?;
    }
    stream.flush().await
}

/// What went wrong reading a request head.
#[derive(Debug)]
pub enum ReadHeadError {
    Io(io::Error),
    Request(RequestError),
}

/// Reads bytes into `buf` until it starts with a complete request head. Returns `Ok(None)`
/// when the peer closes before sending a byte.
pub async fn read_head<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut Vec<u8>,
    real_ip_header: Option<&str>,
) -> Result<Option<(RequestHead, usize)>, ReadHeadError> {
    loop {
        if !buf.is_empty() {
            if let Some(parsed) =
                parse_request_head(buf, real_ip_header).map_err(ReadHeadError::Request)?
            {
                return Ok(Some(parsed));
            }
        }
        let room = MAX_HEAD_BYTES.saturating_sub(buf.len()).clamp(1, 1024);
        buf.reserve(room);
        let read = (&mut *stream)
            .take(room as u64)
            .read_buf(buf)
            .await
            .map_err(ReadHeadError::Io)?;
        if read == 0 {
            return if buf.is_empty() {
                Ok(None)
            } else {
                Err(ReadHeadError::Io(io::ErrorKind::UnexpectedEof.into()))
            };
        }
    }
}

/// Closes a connection after an error response without resetting it: shuts down our side, then
/// reads and discards what the client still sends (bounded in bytes and time), so the client
/// gets to read the response instead of a reset.
pub async fn linger_close<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S) {
    let _ = stream.shutdown().await;
    let drain = async {
        let mut sink = vec![0u8; 1024];
        let mut left = 64 * 1024usize;
        while left > 0 {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(read) => left = left.saturating_sub(read),
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), drain).await;
}
