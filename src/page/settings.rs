//! The user's settings: which DNS-over-HTTPS resolver to ask (or none: offline). Remembered in
//! the browser's local storage by a hook; never taken from the URL, so a crafted link cannot
//! point anyone at another resolver.

use portolan_core::dns::DEFAULT_RESOLVERS;
use portolan_core::resolver_url::{check_resolver_url, ResolverUrlError};

/// The preset public resolvers (the core's defaults, in the same order).
pub const PRESETS: [(ResolverChoice, &str); 3] = [
    (ResolverChoice::Cloudflare, DEFAULT_RESOLVERS[0]),
    (ResolverChoice::Google, DEFAULT_RESOLVERS[1]),
    (ResolverChoice::Quad9, DEFAULT_RESOLVERS[2]),
];

/// The resolver the user chose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ResolverChoice {
    #[default]
    Cloudflare,
    Google,
    Quad9,
    /// Cloudflare, with every question also asked of Quad9 at the same time: answers that
    /// differ are shown as conflicts (a second opinion against a lying resolver).
    Compared,
    /// A resolver URL the user typed (an intranet resolver, say); asked alone.
    Custom(String),
    /// No lookups: the knowledge base and guesses only.
    Off,
}

impl ResolverChoice {
    /// The resolver URLs to ask, in order: the chosen preset first and the other presets as
    /// fallbacks; a custom resolver alone (the user chose it for a reason); none when off.
    pub fn resolvers(&self) -> Vec<String> {
        match self {
            ResolverChoice::Off => Vec::new(),
            ResolverChoice::Custom(url) => vec![url.clone()],
            // Never the second opinion's own resolver as a fallback: it would agree with itself.
            ResolverChoice::Compared => {
                let second = self.second_resolver();
                ResolverChoice::Cloudflare
                    .resolvers()
                    .into_iter()
                    .filter(|url| Some(url) != second.as_ref())
                    .collect()
            }
            chosen => {
                let mut urls: Vec<String> = PRESETS
                    .iter()
                    .filter(|(preset, _)| preset == chosen)
                    .chain(PRESETS.iter().filter(|(preset, _)| preset != chosen))
                    .map(|(_, url)| (*url).to_owned())
                    .collect();
                urls.dedup();
                urls
            }
        }
    }

    /// The independent resolver asked for a second opinion, if the choice has one.
    pub fn second_resolver(&self) -> Option<String> {
        PRESETS
            .iter()
            .find(|(preset, _)| {
                *self == ResolverChoice::Compared && *preset == ResolverChoice::Quad9
            })
            .map(|(_, url)| (*url).to_owned())
    }

    /// The form kept in local storage.
    pub fn to_storage(&self) -> String {
        match self {
            ResolverChoice::Cloudflare => "cloudflare".into(),
            ResolverChoice::Google => "google".into(),
            ResolverChoice::Quad9 => "quad9".into(),
            ResolverChoice::Off => "off".into(),
            ResolverChoice::Compared => "compared".into(),
            ResolverChoice::Custom(url) => format!("custom:{url}"),
        }
    }

    /// Reads the stored form back; anything unknown is ignored.
    pub fn from_storage(text: &str) -> Option<ResolverChoice> {
        match text {
            "cloudflare" => Some(ResolverChoice::Cloudflare),
            "google" => Some(ResolverChoice::Google),
            "quad9" => Some(ResolverChoice::Quad9),
            "off" => Some(ResolverChoice::Off),
            "compared" => Some(ResolverChoice::Compared),
            other => other
                .strip_prefix("custom:")
                .and_then(|url| check_custom_resolver(url).ok())
                .map(ResolverChoice::Custom),
        }
    }
}

/// What is wrong with a URL someone typed: the page text that says it, looked up when shown,
/// so it is in the language of that moment.
pub type Complaint = fn() -> &'static str;

/// Checks a custom resolver URL by the core's one rule (a provider's preset follows it too):
/// https, or http only on loopback. Returns it trimmed, or what is wrong.
pub fn check_custom_resolver(url: &str) -> Result<String, Complaint> {
    match check_resolver_url(url) {
        Ok(url) => Ok(url.to_owned()),
        Err(ResolverUrlError::Spaces) => Err(crate::strings::RESOLVER_URL_SPACES),
        Err(ResolverUrlError::Scheme) => Err(crate::strings::RESOLVER_URL_SCHEME),
    }
}

/// Checks a relay URL the user typed: http(s) or ws(s) with a host, https/wss unless on
/// loopback (a local relay), and a form the relay's wire contract accepts. Returns it trimmed.
pub fn check_relay_url(url: &str) -> Result<String, Complaint> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let secure = lower.starts_with("https://") || lower.starts_with("wss://");
    let loopback = [
        "http://127.0.0.1",
        "http://localhost",
        "http://[::1]",
        "ws://127.0.0.1",
        "ws://localhost",
        "ws://[::1]",
    ]
    .iter()
    .any(|prefix| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
    });
    if !(secure || loopback) {
        return Err(crate::strings::RELAY_BAD_URL);
    }
    portolan_relay_wire::tcp_url(url, "example.invalid", 993)
        .map_err(|_| crate::strings::RELAY_BAD_URL as Complaint)?;
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_fall_back_to_each_other_and_custom_stands_alone() {
        assert_eq!(
            ResolverChoice::Google.resolvers(),
            vec![
                "https://dns.google/dns-query",
                "https://cloudflare-dns.com/dns-query",
                "https://dns.quad9.net/dns-query"
            ]
        );
        assert_eq!(
            ResolverChoice::Custom("https://doh.example/dns-query".into()).resolvers(),
            vec!["https://doh.example/dns-query"]
        );
        assert!(ResolverChoice::Off.resolvers().is_empty());
        // Compared asks Cloudflare (with its fallbacks) and Quad9 for a second opinion.
        assert_eq!(
            ResolverChoice::Compared.resolvers(),
            vec![
                "https://cloudflare-dns.com/dns-query",
                "https://dns.google/dns-query"
            ]
        );
        assert_eq!(
            ResolverChoice::Compared.second_resolver().as_deref(),
            Some("https://dns.quad9.net/dns-query")
        );
        assert_eq!(ResolverChoice::Quad9.second_resolver(), None);
    }

    #[test]
    fn storage_round_trips_and_ignores_junk() {
        for choice in [
            ResolverChoice::Cloudflare,
            ResolverChoice::Google,
            ResolverChoice::Quad9,
            ResolverChoice::Off,
            ResolverChoice::Compared,
            ResolverChoice::Custom("http://127.0.0.1:8053/dns-query".into()),
        ] {
            assert_eq!(
                ResolverChoice::from_storage(&choice.to_storage()),
                Some(choice)
            );
        }
        assert_eq!(ResolverChoice::from_storage("custom:ftp://x"), None);
        assert_eq!(ResolverChoice::from_storage("nonsense"), None);
    }

    #[test]
    fn custom_resolvers_must_be_https_or_loopback() {
        assert!(check_custom_resolver("https://doh.example/dns-query").is_ok());
        assert!(check_custom_resolver("http://127.0.0.1:8053/dns-query").is_ok());
        assert!(check_custom_resolver("http://localhost/dns-query").is_ok());
        assert!(check_custom_resolver("http://127.0.0.1.evil.example/").is_err());
        assert!(check_custom_resolver("http://doh.example/dns-query").is_err());
        assert!(check_custom_resolver("https://").is_err());
    }

    #[test]
    fn relay_urls_must_be_secure_unless_on_this_computer() {
        for good in [
            "https://relay.example.org/",
            " wss://relay.example.org/portolan ",
            "http://127.0.0.1:8080",
            "ws://localhost:9000/",
        ] {
            assert!(check_relay_url(good).is_ok(), "{good}");
        }
        assert_eq!(
            check_relay_url(" https://relay.example.org/ ").unwrap(),
            "https://relay.example.org/"
        );
        for bad in [
            "http://relay.example.org/",
            "relay.example.org",
            "ftp://x",
            "https://relay.example.org/?host=evil",
            "http://127.0.0.1.evil.example/",
        ] {
            assert!(check_relay_url(bad).is_err(), "{bad}");
        }
    }
}
