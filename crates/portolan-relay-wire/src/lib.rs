//! The relay's wire contract, in one place: the request a client makes (`/v1/tcp?host=&port=`),
//! the reasons the relay refuses one (before any connection, as an HTTP error with a JSON body),
//! and the close codes that end an upgraded session.
//!
//! The relay builds its answers from these definitions and every client (the CLI's relay
//! transport, the browser's probe worker) reads them back with the same definitions, so the two
//! sides cannot drift apart. No dependencies: this crate costs a client nothing.

use std::fmt;

/// The path of the WebSocket endpoint that becomes a TCP connection.
pub const TCP_PATH: &str = "/v1/tcp";
/// The path that answers `ok` while the relay runs (also how a page served by the relay
/// finds out that live checks are available).
pub const HEALTH_PATH: &str = "/healthz";
/// The largest message a client may send, by default; the relay closes with
/// [`CloseCode::MessageTooBig`] past its configured cap.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 32 * 1024;

/// Why a relay URL could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The relay URL is not `http://`, `https://`, `ws://` or `wss://`.
    Scheme(String),
    /// The relay URL has a query or fragment, which `/v1/tcp` cannot be appended to.
    Query(String),
    /// The host to connect to is empty or holds characters no host name or address has.
    Host(String),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Scheme(url) => write!(
                f,
                "{url:?} is not a relay URL: give it as http://, https://, ws:// or wss://"
            ),
            WireError::Query(url) => write!(
                f,
                "{url:?} has a query or fragment: give the relay's base URL only"
            ),
            WireError::Host(host) => write!(f, "{host:?} is not a host name or IP address"),
        }
    }
}

impl std::error::Error for WireError {}

/// The WebSocket URL that asks the relay at `relay` (its base URL, as the user gives it:
/// `https://relay.example`, `ws://127.0.0.1:8080/`, or with a path prefix) for a TCP
/// connection to `host` and `port`. `http` becomes `ws` and `https` becomes `wss`. An IPv6
/// address is sent in brackets.
pub fn tcp_url(relay: &str, host: &str, port: u16) -> Result<String, WireError> {
    let (scheme, rest) = relay
        .split_once("://")
        .ok_or_else(|| WireError::Scheme(relay.to_owned()))?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" | "ws" => "ws",
        "https" | "wss" => "wss",
        _ => return Err(WireError::Scheme(relay.to_owned())),
    };
    if rest.is_empty() {
        return Err(WireError::Scheme(relay.to_owned()));
    }
    if rest.contains(['?', '#']) {
        return Err(WireError::Query(relay.to_owned()));
    }
    let base = rest.trim_end_matches('/');
    let host_value = encode_host(host)?;
    Ok(format!(
        "{scheme}://{base}{TCP_PATH}?host={host_value}&port={port}"
    ))
}

/// The host as the query value: letters, digits, `-`, `.` as they are; an IPv6 address in
/// percent-encoded brackets.
fn encode_host(host: &str) -> Result<String, WireError> {
    let bare = host
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(host);
    let bad = || WireError::Host(host.to_owned());
    if bare.is_empty() {
        return Err(bad());
    }
    if bare.contains(':') {
        if !bare
            .chars()
            .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err(bad());
        }
        return Ok(format!("%5B{bare}%5D"));
    }
    if !bare
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Err(bad());
    }
    Ok(bare.to_owned())
}

/// Why the relay refused a `/v1/tcp` request, before connecting anywhere. Sent as the HTTP
/// status [`RefusalReason::status`] with the body [`refusal_body`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefusalReason {
    /// A malformed request or query (`host` and `port` exactly once, nothing else).
    BadRequest,
    /// `/v1/tcp` without a WebSocket upgrade.
    NotWebsocket,
    /// The browser's `Origin` is not allowed.
    OriginNotAllowed,
    /// The port is not on the relay's allowlist.
    PortNotAllowed,
    /// The (resolved) address is not globally routable.
    AddressNotAllowed,
    /// The name did not resolve (or timed out).
    ResolveFailed,
    /// The relay holds as many sessions as it allows.
    TooManySessions,
    /// This client holds as many sessions as it may.
    TooManySessionsFromClient,
    /// This client opened too many sessions in the last minute.
    RateLimited,
    /// The relay is shutting down.
    ShuttingDown,
}

impl RefusalReason {
    /// Every reason, in a stable order (the relay's metrics list them so).
    pub const ALL: [RefusalReason; 10] = [
        RefusalReason::BadRequest,
        RefusalReason::NotWebsocket,
        RefusalReason::OriginNotAllowed,
        RefusalReason::PortNotAllowed,
        RefusalReason::AddressNotAllowed,
        RefusalReason::ResolveFailed,
        RefusalReason::TooManySessions,
        RefusalReason::TooManySessionsFromClient,
        RefusalReason::RateLimited,
        RefusalReason::ShuttingDown,
    ];

    /// The `error` value in the body.
    pub const fn as_str(self) -> &'static str {
        match self {
            RefusalReason::BadRequest => "bad_request",
            RefusalReason::NotWebsocket => "not_websocket",
            RefusalReason::OriginNotAllowed => "origin_not_allowed",
            RefusalReason::PortNotAllowed => "port_not_allowed",
            RefusalReason::AddressNotAllowed => "address_not_allowed",
            RefusalReason::ResolveFailed => "resolve_failed",
            RefusalReason::TooManySessions => "too_many_sessions",
            RefusalReason::TooManySessionsFromClient => "too_many_sessions_from_client",
            RefusalReason::RateLimited => "rate_limited",
            RefusalReason::ShuttingDown => "shutting_down",
        }
    }

    /// The reason named by an `error` value.
    pub fn from_name(name: &str) -> Option<RefusalReason> {
        RefusalReason::ALL
            .into_iter()
            .find(|reason| reason.as_str() == name)
    }

    /// The HTTP status the relay answers with.
    pub fn status(self) -> u16 {
        match self {
            RefusalReason::BadRequest => 400,
            RefusalReason::NotWebsocket => 426,
            RefusalReason::OriginNotAllowed
            | RefusalReason::PortNotAllowed
            | RefusalReason::AddressNotAllowed => 403,
            RefusalReason::ResolveFailed => 502,
            RefusalReason::TooManySessionsFromClient | RefusalReason::RateLimited => 429,
            RefusalReason::TooManySessions | RefusalReason::ShuttingDown => 503,
        }
    }

    /// What the refusal means for the person who asked, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            RefusalReason::BadRequest => "the relay did not understand the request",
            RefusalReason::NotWebsocket => "the relay only answers WebSocket requests there",
            RefusalReason::OriginNotAllowed => "the relay does not serve pages from this site",
            RefusalReason::PortNotAllowed => "the relay does not connect to this port",
            RefusalReason::AddressNotAllowed => {
                "the relay does not connect to private or special addresses"
            }
            RefusalReason::ResolveFailed => "the relay could not resolve the server's name",
            RefusalReason::TooManySessions => "the relay is busy",
            RefusalReason::TooManySessionsFromClient => {
                "too many checks are running from your address at once"
            }
            RefusalReason::RateLimited => "too many checks were started from your address",
            RefusalReason::ShuttingDown => "the relay is shutting down",
        }
    }
}

impl fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The JSON body of a refusal: `{"error":"port_not_allowed","detail":"…"}`.
pub fn refusal_body(reason: RefusalReason, detail: &str) -> String {
    format!(
        "{{\"error\":\"{}\",\"detail\":{}}}",
        reason.as_str(),
        json_string(detail)
    )
}

/// The reason (JSON text) sent with a close frame: `{"error":"connect_failed","detail":"…"}`.
pub fn close_reason(code: CloseCode, detail: &str) -> String {
    format!(
        "{{\"error\":\"{}\",\"detail\":{}}}",
        code.as_str(),
        json_string(detail)
    )
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How an upgraded session ended, as the WebSocket close code the relay sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseCode {
    /// 1000: the target closed the connection.
    TargetClosed,
    /// 1001: the relay is shutting down (after its grace period).
    ShuttingDown,
    /// 1003: the client sent a text frame (binary only).
    TextFrame,
    /// 1009: a message or frame over the cap.
    MessageTooBig,
    /// 4000: connecting failed (refused, unreachable).
    ConnectFailed,
    /// 4001: connecting timed out.
    ConnectTimeout,
    /// 4002: no traffic for too long.
    IdleTimeout,
    /// 4003: the session lasted too long.
    SessionTimeout,
    /// 4004: the byte cap was reached (either direction).
    ByteCap,
    /// 4005: the target connection failed mid-session (reset).
    TargetError,
}

impl CloseCode {
    /// Every close code, in a stable order.
    pub const ALL: [CloseCode; 10] = [
        CloseCode::TargetClosed,
        CloseCode::ShuttingDown,
        CloseCode::TextFrame,
        CloseCode::MessageTooBig,
        CloseCode::ConnectFailed,
        CloseCode::ConnectTimeout,
        CloseCode::IdleTimeout,
        CloseCode::SessionTimeout,
        CloseCode::ByteCap,
        CloseCode::TargetError,
    ];

    /// The number in the close frame.
    pub const fn code(self) -> u16 {
        match self {
            CloseCode::TargetClosed => 1000,
            CloseCode::ShuttingDown => 1001,
            CloseCode::TextFrame => 1003,
            CloseCode::MessageTooBig => 1009,
            CloseCode::ConnectFailed => 4000,
            CloseCode::ConnectTimeout => 4001,
            CloseCode::IdleTimeout => 4002,
            CloseCode::SessionTimeout => 4003,
            CloseCode::ByteCap => 4004,
            CloseCode::TargetError => 4005,
        }
    }

    /// The close code with this number.
    pub fn from_code(code: u16) -> Option<CloseCode> {
        CloseCode::ALL
            .into_iter()
            .find(|close| close.code() == code)
    }

    /// The `error` value in the close reason.
    pub const fn as_str(self) -> &'static str {
        match self {
            CloseCode::TargetClosed => "target_closed",
            CloseCode::ShuttingDown => "shutdown",
            CloseCode::TextFrame => "protocol_error",
            CloseCode::MessageTooBig => "message_too_big",
            CloseCode::ConnectFailed => "connect_failed",
            CloseCode::ConnectTimeout => "connect_timeout",
            CloseCode::IdleTimeout => "idle_timeout",
            CloseCode::SessionTimeout => "session_timeout",
            CloseCode::ByteCap => "byte_cap",
            CloseCode::TargetError => "target_error",
        }
    }

    /// True when the session never reached the target: the server did not answer.
    pub fn is_connect_failure(self) -> bool {
        matches!(self, CloseCode::ConnectFailed | CloseCode::ConnectTimeout)
    }

    /// What the close means, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            CloseCode::TargetClosed => "the server closed the connection",
            CloseCode::ShuttingDown => "the relay is shutting down",
            CloseCode::TextFrame => "the relay only carries binary messages",
            CloseCode::MessageTooBig => "a message was larger than the relay allows",
            CloseCode::ConnectFailed => "the server refused the connection or could not be reached",
            CloseCode::ConnectTimeout => "the server did not answer the connection in time",
            CloseCode::IdleTimeout => "nothing was sent for too long",
            CloseCode::SessionTimeout => "the check took longer than the relay allows",
            CloseCode::ByteCap => "the check sent more data than the relay allows",
            CloseCode::TargetError => "the connection to the server broke",
        }
    }
}

impl fmt::Display for CloseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_endpoint_with_the_host_and_port() {
        assert_eq!(
            tcp_url("http://127.0.0.1:8080/", "imap.example.org", 993).unwrap(),
            "ws://127.0.0.1:8080/v1/tcp?host=imap.example.org&port=993"
        );
        assert_eq!(
            tcp_url("HTTPS://relay.example/portolan", "2001:db8::1", 143).unwrap(),
            "wss://relay.example/portolan/v1/tcp?host=%5B2001:db8::1%5D&port=143"
        );
        assert_eq!(
            tcp_url("wss://relay.example", "[2001:db8::2]", 465).unwrap(),
            "wss://relay.example/v1/tcp?host=%5B2001:db8::2%5D&port=465"
        );
        assert_eq!(
            tcp_url("relay.example", "a.example", 1),
            Err(WireError::Scheme("relay.example".into()))
        );
        assert_eq!(
            tcp_url("ftp://relay.example", "a.example", 1),
            Err(WireError::Scheme("ftp://relay.example".into()))
        );
        assert_eq!(
            tcp_url("https://relay.example/?x=1", "a.example", 1),
            Err(WireError::Query("https://relay.example/?x=1".into()))
        );
        for host in ["", "a b.example", "a.example&port=22", "[]", "[::1]x"] {
            assert!(
                matches!(
                    tcp_url("https://r.example", host, 1),
                    Err(WireError::Host(_))
                ),
                "{host:?}"
            );
        }
    }

    #[test]
    fn names_and_codes_round_trip_and_are_unique() {
        for reason in RefusalReason::ALL {
            assert_eq!(RefusalReason::from_name(reason.as_str()), Some(reason));
            assert!((400..600).contains(&reason.status()));
        }
        for close in CloseCode::ALL {
            assert_eq!(CloseCode::from_code(close.code()), Some(close));
        }
        let mut codes: Vec<u16> = CloseCode::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), CloseCode::ALL.len());
        assert_eq!(RefusalReason::from_name("no_such_reason"), None);
        assert_eq!(CloseCode::from_code(1006), None);
    }

    #[test]
    fn bodies_are_json_with_escaped_details() {
        assert_eq!(
            refusal_body(RefusalReason::PortNotAllowed, "port 22 \"ssh\"\n"),
            r#"{"error":"port_not_allowed","detail":"port 22 \"ssh\"\n"}"#
        );
        assert_eq!(
            close_reason(CloseCode::ConnectFailed, "refused\u{1}"),
            r#"{"error":"connect_failed","detail":"refused\u0001"}"#
        );
    }
}
