//! The HTTP side of RFC 8484: what a driver sends for one question.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;

use super::{encode_query, DnsError, Question};

/// The public resolvers asked when none is configured, in order: Cloudflare, Google, Quad9.
/// All three answer browsers with CORS, so the app and the CLI use the same list.
pub const DEFAULT_RESOLVERS: [&str; 3] = [
    "https://cloudflare-dns.com/dns-query",
    "https://dns.google/dns-query",
    "https://dns.quad9.net/dns-query",
];

/// The media type of DNS wire-format messages (RFC 8484 §6).
pub const DNS_MESSAGE_MEDIA_TYPE: &str = "application/dns-message";

/// How the query travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum DohMethod {
    /// `GET ?dns=<base64url>`: cacheable, and a "simple request" in browsers (no CORS
    /// preflight), hence the default.
    #[default]
    Get,
    /// `POST` with the wire message as the body.
    Post,
}

/// One HTTP request for one DNS question, ready for any HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DohRequest {
    pub method: DohMethod,
    /// The full URL, with `?dns=` for GET.
    pub url: String,
    /// The `accept` header value, always [`DNS_MESSAGE_MEDIA_TYPE`].
    pub accept: &'static str,
    /// For POST: the body, sent with `content-type: application/dns-message`.
    pub body: Option<Vec<u8>>,
}

impl DohRequest {
    /// Builds the request for `question` to the resolver at `resolver` (an http or https URL,
    /// like `https://cloudflare-dns.com/dns-query`).
    pub fn new(resolver: &str, question: &Question, method: DohMethod) -> Result<Self, DnsError> {
        let lower = resolver.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(DnsError::ResolverUrl(resolver.to_owned()));
        }
        let wire = encode_query(question)?;
        Ok(match method {
            DohMethod::Get => {
                let separator = if resolver.contains('?') { '&' } else { '?' };
                DohRequest {
                    method,
                    url: format!("{resolver}{separator}dns={}", URL_SAFE_NO_PAD.encode(&wire)),
                    accept: DNS_MESSAGE_MEDIA_TYPE,
                    body: None,
                }
            }
            DohMethod::Post => DohRequest {
                method,
                url: resolver.to_owned(),
                accept: DNS_MESSAGE_MEDIA_TYPE,
                body: Some(wire),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::RecordKind;

    #[test]
    fn get_uses_unpadded_base64url_of_the_wire_query() {
        let question = Question::new("example.com", RecordKind::Mx);
        let request =
            DohRequest::new("https://dns.example/dns-query", &question, DohMethod::Get).unwrap();
        let encoded = request
            .url
            .strip_prefix("https://dns.example/dns-query?dns=")
            .unwrap();
        assert!(!encoded.contains('='), "no padding: {encoded}");
        assert!(
            !encoded.contains('+') && !encoded.contains('/'),
            "url-safe: {encoded}"
        );
        let wire = URL_SAFE_NO_PAD.decode(encoded).unwrap();
        assert_eq!(wire, encode_query(&question).unwrap());
        assert_eq!(request.body, None);
    }

    #[test]
    fn get_appends_to_an_existing_query_string() {
        let question = Question::new("example.com", RecordKind::Mx);
        let request =
            DohRequest::new("https://dns.example/q?ct=x", &question, DohMethod::Get).unwrap();
        assert!(
            request.url.starts_with("https://dns.example/q?ct=x&dns="),
            "{}",
            request.url
        );
    }

    #[test]
    fn post_carries_the_wire_query_as_body() {
        let question = Question::new("_imaps._tcp.example.com", RecordKind::Srv);
        let request =
            DohRequest::new("https://dns.example/dns-query", &question, DohMethod::Post).unwrap();
        assert_eq!(request.url, "https://dns.example/dns-query");
        assert_eq!(request.body.unwrap(), encode_query(&question).unwrap());
    }

    #[test]
    fn resolver_must_be_http() {
        let question = Question::new("example.com", RecordKind::Mx);
        let error = DohRequest::new("dns.example", &question, DohMethod::Get).unwrap_err();
        assert_eq!(error, DnsError::ResolverUrl("dns.example".into()));
    }
}
