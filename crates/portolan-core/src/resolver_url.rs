//! The one rule for a DNS-over-HTTPS resolver URL that someone gives Portolan (in the page's
//! Settings, or in a provider's preset): HTTPS, or plain HTTP only on loopback (a local test
//! or intranet-in-a-box resolver), with no white space or control characters. A module of its
//! own, so the page can use it without linking anything else of the core.

/// Why a resolver URL is not one Portolan asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResolverUrlError {
    /// Neither `https://` with a host, nor `http://` on loopback.
    Scheme,
    /// White space or control characters inside.
    Spaces,
}

/// The URL, trimmed, when Portolan may ask it.
pub fn check_resolver_url(url: &str) -> Result<&str, ResolverUrlError> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let loopback_http = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|prefix| {
            lower
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('/'))
        });
    let https = lower
        .strip_prefix("https://")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if !(https || loopback_http) {
        return Err(ResolverUrlError::Scheme);
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ResolverUrlError::Spaces);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_on_loopback() {
        assert_eq!(
            check_resolver_url(" https://doh.example/dns-query "),
            Ok("https://doh.example/dns-query")
        );
        assert!(check_resolver_url("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(check_resolver_url("http://localhost/dns-query").is_ok());
        assert!(check_resolver_url("http://[::1]:8053/dns-query").is_ok());
        assert_eq!(
            check_resolver_url("http://127.0.0.1.evil.example/"),
            Err(ResolverUrlError::Scheme)
        );
        assert_eq!(
            check_resolver_url("http://doh.example/"),
            Err(ResolverUrlError::Scheme)
        );
        assert_eq!(
            check_resolver_url("https://"),
            Err(ResolverUrlError::Scheme)
        );
        assert_eq!(
            check_resolver_url("https:///x"),
            Err(ResolverUrlError::Scheme)
        );
        assert_eq!(
            check_resolver_url("https://doh.example/dns query"),
            Err(ResolverUrlError::Spaces)
        );
        assert_eq!(
            check_resolver_url("https://doh.example/\u{0}"),
            Err(ResolverUrlError::Spaces)
        );
    }
}
