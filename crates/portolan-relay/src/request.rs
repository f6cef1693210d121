//! Parsing what a client sends before anything else happens: the HTTP request head and the
//! `/v1/tcp` query. Pure functions over bytes, so they can be fuzzed and table-tested.

use std::net::IpAddr;

use thiserror::Error;

/// The largest request head the relay reads; anything longer is refused.
pub const MAX_HEAD_BYTES: usize = 8 * 1024;
/// The most header lines the relay parses.
const MAX_HEADERS: usize = 32;

/// What can be wrong with a request before policy is even consulted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestError {
    #[error("malformed HTTP request")]
    Malformed,
    #[error("request head too large")]
    TooLarge,
    #[error("request bodies are not accepted")]
    HasBody,
    #[error("missing or malformed host parameter")]
    BadHost,
    #[error("missing or malformed port parameter")]
    BadPort,
    #[error("malformed query string")]
    BadQuery,
}

/// The parts of a request head the relay looks at. Header values are kept only when they are
/// valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestHead {
    pub method: String,
    /// The path, still percent-encoded, without the query.
    pub path: String,
    /// The raw query after `?`, if any.
    pub query: Option<String>,
    /// HTTP/1.0 (`0`) or HTTP/1.1 (`1`).
    pub version: u8,
    pub host: Option<String>,
    pub origin: Option<String>,
    pub upgrade: Option<String>,
    pub connection: Option<String>,
    pub websocket_key: Option<String>,
    pub websocket_version: Option<String>,
    pub accept_encoding: Option<String>,
    /// `If-None-Match`, for revalidating static files.
    pub if_none_match: Option<String>,
    /// The value of the header named by `--real-ip-header`, if asked for and present.
    pub real_ip: Option<String>,
}

impl RequestHead {
    /// True when the `Connection` header lists `token` (case-insensitive).
    pub fn connection_has(&self, token: &str) -> bool {
        self.connection.as_deref().is_some_and(|value| {
            value
                .split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(token))
        })
    }

    /// True when this is a WebSocket upgrade request as RFC 6455 describes it.
    pub fn is_websocket_upgrade(&self) -> bool {
        self.method == "GET"
            && self
                .upgrade
                .as_deref()
                .is_some_and(|value| value.trim().eq_ignore_ascii_case("websocket"))
            && self.connection_has("upgrade")
            && self.websocket_version.as_deref().map(str::trim) == Some("13")
            && self.websocket_key.is_some()
    }

    /// True when the client asks to keep the connection open after this response.
    pub fn wants_keep_alive(&self) -> bool {
        if self.version == 0 {
            self.connection_has("keep-alive")
        } else {
            !self.connection_has("close")
        }
    }
}

/// Parses one request head from the start of `buf`.
///
/// Returns `Ok(None)` when more bytes are needed, or the head and the number of bytes it used.
/// `real_ip_header` names an extra header to keep (for deployments behind a proxy).
pub fn parse_request_head(
    buf: &[u8],
    real_ip_header: Option<&str>,
) -> Result<Option<(RequestHead, usize)>, RequestError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    let used = match request.parse(buf) {
        Ok(httparse::Status::Complete(used)) => used,
        Ok(httparse::Status::Partial) if buf.len() >= MAX_HEAD_BYTES => {
            return Err(RequestError::TooLarge)
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(RequestError::TooLarge),
        Err(_) => return Err(RequestError::Malformed),
    };
    if used > MAX_HEAD_BYTES {
        return Err(RequestError::TooLarge);
    }
    let target = request.path.ok_or(RequestError::Malformed)?;
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query.to_owned())),
        None => (target, None),
    };
    if !path.starts_with('/') {
        return Err(RequestError::Malformed);
    }
    let mut head = RequestHead {
        method: request.method.ok_or(RequestError::Malformed)?.to_owned(),
        path: path.to_owned(),
        query,
        version: request.version.ok_or(RequestError::Malformed)?,
        ..RequestHead::default()
    };
    for header in request.headers.iter() {
        let Ok(value) = std::str::from_utf8(header.value) else {
            continue;
        };
        let name = header.name;
        let slot = if name.eq_ignore_ascii_case("host") {
            &mut head.host
        } else if name.eq_ignore_ascii_case("origin") {
            &mut head.origin
        } else if name.eq_ignore_ascii_case("upgrade") {
            &mut head.upgrade
        } else if name.eq_ignore_ascii_case("connection") {
            &mut head.connection
        } else if name.eq_ignore_ascii_case("sec-websocket-key") {
            &mut head.websocket_key
        } else if name.eq_ignore_ascii_case("sec-websocket-version") {
            &mut head.websocket_version
        } else if name.eq_ignore_ascii_case("accept-encoding") {
            &mut head.accept_encoding
        } else if name.eq_ignore_ascii_case("if-none-match") {
            &mut head.if_none_match
        } else if real_ip_header.is_some_and(|wanted| name.eq_ignore_ascii_case(wanted)) {
            &mut head.real_ip
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(RequestError::HasBody);
        } else if name.eq_ignore_ascii_case("content-length") {
            if value.trim() != "0" {
                return Err(RequestError::HasBody);
            }
            continue;
        } else {
            continue;
        };
        if slot.is_some() {
            // A repeated header is ambiguous; refuse rather than guess which one counts.
            return Err(RequestError::Malformed);
        }
        *slot = Some(value.to_owned());
    }
    Ok(Some((head, used)))
}

/// Where a client wants to go: a DNS name or an IP literal, and a port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpTarget {
    pub host: TargetHost,
    pub port: u16,
}

/// The host part of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetHost {
    /// A literal address (`192.0.2.1`, `2001:db8::1` or `[2001:db8::1]`).
    Ip(IpAddr),
    /// A DNS name, lower-cased, without a trailing dot.
    Name(String),
}

impl std::fmt::Display for TargetHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetHost::Ip(ip) => write!(f, "{ip}"),
            TargetHost::Name(name) => f.write_str(name),
        }
    }
}

/// Parses the `/v1/tcp` query: exactly one `host` and one `port`, nothing else.
pub fn parse_target(query: &str) -> Result<TcpTarget, RequestError> {
    let mut host = None;
    let mut port = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or(RequestError::BadQuery)?;
        let value = percent_decode(value).ok_or(RequestError::BadQuery)?;
        match key {
            "host" if host.is_none() => host = Some(parse_host(&value)?),
            "port" if port.is_none() => port = Some(parse_port(&value)?),
            "host" => return Err(RequestError::BadHost),
            "port" => return Err(RequestError::BadPort),
            _ => return Err(RequestError::BadQuery),
        }
    }
    Ok(TcpTarget {
        host: host.ok_or(RequestError::BadHost)?,
        port: port.ok_or(RequestError::BadPort)?,
    })
}

fn parse_port(text: &str) -> Result<u16, RequestError> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(RequestError::BadPort);
    }
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(RequestError::BadPort),
        Ok(port) => Ok(port),
    }
}

/// Accepts IP literals and LDH host names (labels of letters, digits and hyphens; 1..=63
/// bytes each; 253 bytes in all). Internationalised names must arrive as A-labels (`xn--`).
fn parse_host(text: &str) -> Result<TargetHost, RequestError> {
    let bracketed = text
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'));
    if let Some(inner) = bracketed {
        return inner
            .parse::<std::net::Ipv6Addr>()
            .map(|ip| TargetHost::Ip(IpAddr::V6(ip)))
            .map_err(|_| RequestError::BadHost);
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(TargetHost::Ip(ip));
    }
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() || name.len() > 253 {
        return Err(RequestError::BadHost);
    }
    for label in name.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return Err(RequestError::BadHost);
        }
    }
    // A name whose last label is all digits would be read as an IPv4 address by some resolvers
    // (`127.1`, `0x7f.1`); refuse it rather than let the resolver reinterpret it.
    if name
        .rsplit('.')
        .next()
        .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(RequestError::BadHost);
    }
    Ok(TargetHost::Name(name.to_ascii_lowercase()))
}

/// Decodes a query value: `%XX` escapes and `+` (as a space); `None` for bad escapes or
/// non-UTF-8 results.
pub fn percent_decode(text: &str) -> Option<String> {
    decode(text, true)
}

/// Decodes a path: `%XX` escapes only; `None` for bad escapes or non-UTF-8 results.
pub fn percent_decode_path(text: &str) -> Option<String> {
    decode(text, false)
}

fn decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let high = hex_value(*bytes.get(index + 1)?)?;
                let low = hex_value(*bytes.get(index + 2)?)?;
                out.push(high << 4 | low);
                index += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                index += 1;
            }
            other => {
                out.push(other);
                index += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// The entry point the fuzz target and the corpus test share: parse a head, and if it names
/// `/v1/tcp`, its query too. Never panics, whatever the bytes.
pub fn parse_for_fuzzing(
    bytes: &[u8],
) -> Result<Option<(RequestHead, Option<TcpTarget>)>, RequestError> {
    match parse_request_head(bytes, Some("x-real-ip"))? {
        None => Ok(None),
        Some((head, _)) => {
            let target = if head.path == portolan_relay_wire::TCP_PATH {
                Some(parse_target(head.query.as_deref().unwrap_or(""))?)
            } else {
                None
            };
            Ok(Some((head, target)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_upgrade_request() {
        let raw = b"GET /v1/tcp?host=imap.example.org&port=993 HTTP/1.1\r\nHost: relay.test\r\nOrigin: https://app.test\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\nextra";
        let (head, used) = parse_request_head(raw, None).unwrap().unwrap();
        assert_eq!(used, raw.len() - 5);
        assert!(head.is_websocket_upgrade());
        assert_eq!(head.origin.as_deref(), Some("https://app.test"));
        let target = parse_target(head.query.as_deref().unwrap()).unwrap();
        assert_eq!(
            target,
            TcpTarget {
                host: TargetHost::Name("imap.example.org".into()),
                port: 993
            }
        );
    }

    #[test]
    fn partial_and_oversized_heads() {
        assert_eq!(
            parse_request_head(b"GET / HTTP/1.1\r\nHost: a", None),
            Ok(None)
        );
        let mut big = b"GET / HTTP/1.1\r\nX-Pad: ".to_vec();
        big.resize(MAX_HEAD_BYTES + 10, b'a');
        assert_eq!(parse_request_head(&big, None), Err(RequestError::TooLarge));
        assert_eq!(
            parse_request_head(b"GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", None),
            Err(RequestError::HasBody)
        );
        assert_eq!(
            parse_request_head(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", None),
            Err(RequestError::Malformed)
        );
    }

    #[test]
    fn target_queries() {
        let ok: &[(&str, TargetHost, u16)] = &[
            (
                "host=192.0.2.1&port=993",
                TargetHost::Ip("192.0.2.1".parse().unwrap()),
                993,
            ),
            (
                "port=143&host=%5B2001:db8::1%5D",
                TargetHost::Ip("2001:db8::1".parse().unwrap()),
                143,
            ),
            (
                "host=2001:db8::2&port=1",
                TargetHost::Ip("2001:db8::2".parse().unwrap()),
                1,
            ),
            (
                "host=Mail.Example.ORG.&port=65535",
                TargetHost::Name("mail.example.org".into()),
                65535,
            ),
            (
                "host=xn--bcher-kva.example&port=110",
                TargetHost::Name("xn--bcher-kva.example".into()),
                110,
            ),
        ];
        for (query, host, port) in ok {
            assert_eq!(
                parse_target(query),
                Ok(TcpTarget {
                    host: host.clone(),
                    port: *port
                }),
                "{query}"
            );
        }
        let bad: &[(&str, RequestError)] = &[
            ("", RequestError::BadHost),
            ("host=a.example", RequestError::BadPort),
            ("host=a.example&port=0", RequestError::BadPort),
            ("host=a.example&port=65536", RequestError::BadPort),
            ("host=a.example&port=+993", RequestError::BadPort),
            ("host=a.example&port=993&port=994", RequestError::BadPort),
            (
                "host=a.example&host=b.example&port=1",
                RequestError::BadHost,
            ),
            ("host=a.example&port=1&via=x", RequestError::BadQuery),
            ("host=a%2", RequestError::BadQuery),
            ("host=-a.example&port=1", RequestError::BadHost),
            ("host=a..example&port=1", RequestError::BadHost),
            ("host=a_b.example&port=1", RequestError::BadHost),
            ("host=127.1&port=1", RequestError::BadHost),
            ("host=0x7f.1&port=1", RequestError::BadHost),
            ("host=b%C3%BCcher.example&port=1", RequestError::BadHost),
            ("host=%5Bnot-ip%5D&port=1", RequestError::BadHost),
            ("host=a.example%00&port=1", RequestError::BadHost),
        ];
        for (query, error) in bad {
            assert_eq!(parse_target(query), Err(error.clone()), "{query}");
        }
    }
}
