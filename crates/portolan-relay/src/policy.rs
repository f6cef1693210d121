//! The handshake policy: Origin, destination port and destination address, decided before the
//! relay connects anywhere. Refusals carry an HTTP status and a short machine-readable reason.

use std::net::IpAddr;

use portolan_relay_wire::{refusal_body, RefusalReason};

use crate::addr_class::{self, AddressClass};
use crate::config::{normalize_origin, Settings};
use crate::request::RequestHead;

/// A refusal sent as an HTTP error with a JSON body `{"error": reason, "detail": detail}`, in
/// the shape the wire contract (`portolan-relay-wire`) defines for every client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: RefusalReason,
    pub detail: String,
}

impl Refusal {
    /// A refusal with the status the wire contract gives `reason`.
    pub fn new(reason: RefusalReason, detail: impl Into<String>) -> Self {
        Refusal {
            status: reason.status(),
            reason,
            detail: detail.into(),
        }
    }

    /// The same reason with another status (431 for an oversized request head).
    pub fn with_status(self, status: u16) -> Self {
        Refusal { status, ..self }
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        refusal_body(self.reason, &self.detail)
    }
}

/// Checks the `Origin` header. Requests without one come from non-browser clients (which can
/// send any Origin they like anyway) and are allowed; a browser always sends it.
pub fn check_origin(settings: &Settings, head: &RequestHead, tls: bool) -> Result<(), Refusal> {
    let Some(origin) = head.origin.as_deref() else {
        return Ok(());
    };
    let origin = normalize_origin(origin);
    if settings.allowed_origins.contains(&origin) {
        return Ok(());
    }
    if settings.static_dir.is_some() && is_same_origin(&origin, head.host.as_deref(), tls) {
        return Ok(());
    }
    Err(Refusal::new(
        RefusalReason::OriginNotAllowed,
        "this origin may not use the relay",
    ))
}

/// True when `origin` (lower-cased) names the host the request was sent to. Behind a
/// TLS-terminating proxy the relay sees plain HTTP while the browser says `https`, so either
/// scheme matches; the authority must match exactly, default ports aside.
fn is_same_origin(origin: &str, host: Option<&str>, tls: bool) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let (scheme, authority) = match origin.split_once("://") {
        Some(parts) => parts,
        None => return false,
    };
    let default_port = match scheme {
        "http" if !tls => ":80",
        "https" => ":443",
        _ => return false,
    };
    let strip = |text: &str| {
        text.strip_suffix(default_port)
            .map(str::to_owned)
            .unwrap_or_else(|| text.to_owned())
    };
    strip(authority) == strip(&host)
}

/// Checks the destination port against the allowlist.
pub fn check_port(settings: &Settings, port: u16) -> Result<(), Refusal> {
    if settings.ports.binary_search(&port).is_ok() {
        Ok(())
    } else {
        Err(Refusal::new(
            RefusalReason::PortNotAllowed,
            format!("port {port} is not on this relay's allowlist"),
        ))
    }
}

/// The most vetted addresses a session tries, in order, before giving up.
pub const MAX_ADDRESSES: usize = 4;

/// Picks the addresses to try from what resolution gave: those that pass the address-class
/// table (all of them with `--allow-private`), IPv4-mapped ones as IPv4, in the resolver's
/// order, without repeats, at most [`MAX_ADDRESSES`]. Trying more than one matters when a name
/// has IPv6 addresses first and the relay has no IPv6 route. When none passes, the refusal
/// names the class of the first.
pub fn choose_addresses(settings: &Settings, addrs: &[IpAddr]) -> Result<Vec<IpAddr>, Refusal> {
    let mut chosen: Vec<IpAddr> = Vec::new();
    let mut first_refusal: Option<AddressClass> = None;
    for ip in addrs {
        let verdict = if settings.allow_private {
            Ok(ip.to_canonical())
        } else {
            addr_class::vet(*ip)
        };
        match verdict {
            Ok(connect_to) if !chosen.contains(&connect_to) => chosen.push(connect_to),
            Ok(_) => {}
            Err(class) => {
                first_refusal.get_or_insert(class);
            }
        }
        if chosen.len() == MAX_ADDRESSES {
            break;
        }
    }
    if !chosen.is_empty() {
        return Ok(chosen);
    }
    match first_refusal {
        Some(class) => Err(Refusal::new(
            RefusalReason::AddressNotAllowed,
            format!("the target address is {}", class.name()),
        )),
        None => Err(Refusal::new(
            RefusalReason::ResolveFailed,
            "the name has no addresses",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use clap::Parser;

    fn settings(args: &[&str]) -> Settings {
        let mut all = vec!["portolan-relay"];
        all.extend_from_slice(args);
        Settings::try_from(Config::try_parse_from(all).unwrap()).unwrap()
    }

    fn head(origin: Option<&str>, host: Option<&str>) -> RequestHead {
        RequestHead {
            origin: origin.map(str::to_owned),
            host: host.map(str::to_owned),
            ..RequestHead::default()
        }
    }

    #[test]
    fn origins() {
        let listed = settings(&["--allowed-origin", "https://app.example"]);
        assert!(check_origin(&listed, &head(Some("https://app.example"), None), false).is_ok());
        assert!(check_origin(&listed, &head(Some("HTTPS://APP.EXAMPLE/"), None), false).is_ok());
        assert!(check_origin(&listed, &head(None, None), false).is_ok());
        let refused =
            check_origin(&listed, &head(Some("https://evil.example"), None), false).unwrap_err();
        assert_eq!(
            (refused.status, refused.reason),
            (403, RefusalReason::OriginNotAllowed)
        );
        // Same-origin counts only when the relay serves the app itself.
        assert!(check_origin(
            &listed,
            &head(Some("http://relay:8080"), Some("relay:8080")),
            false
        )
        .is_err());
        let serving = settings(&["--static", "/nonexistent"]);
        assert!(check_origin(
            &serving,
            &head(Some("http://relay:8080"), Some("relay:8080")),
            false
        )
        .is_ok());
        assert!(check_origin(
            &serving,
            &head(Some("https://relay.example"), Some("relay.example")),
            false
        )
        .is_ok());
        assert!(check_origin(
            &serving,
            &head(Some("http://relay.example:80"), Some("relay.example")),
            false
        )
        .is_ok());
        assert!(check_origin(
            &serving,
            &head(Some("http://relay.example"), Some("relay.example")),
            true
        )
        .is_err());
        assert!(check_origin(
            &serving,
            &head(Some("http://relay:8081"), Some("relay:8080")),
            false
        )
        .is_err());
        assert!(check_origin(
            &serving,
            &head(Some("http://evil.example"), Some("relay.example")),
            false
        )
        .is_err());
        assert!(check_origin(&serving, &head(Some("null"), Some("relay.example")), false).is_err());
    }

    #[test]
    fn ports() {
        let defaults = settings(&[]);
        for port in [110, 143, 465, 587, 993, 995] {
            assert!(check_port(&defaults, port).is_ok(), "{port}");
        }
        for port in [1, 22, 25, 80, 443, 2525, 6379, 65535] {
            assert_eq!(
                check_port(&defaults, port).unwrap_err().reason,
                RefusalReason::PortNotAllowed,
                "{port}"
            );
        }
    }

    #[test]
    fn address_choice() {
        let strict = settings(&[]);
        let ip = |text: &str| -> IpAddr { text.parse().unwrap() };
        let ips = |texts: &[&str]| -> Vec<IpAddr> { texts.iter().map(|text| ip(text)).collect() };
        assert_eq!(
            choose_addresses(
                &strict,
                &ips(&["10.0.0.1", "2001:4860::8888", "8.8.8.8", "8.8.8.8"])
            ),
            Ok(ips(&["2001:4860::8888", "8.8.8.8"]))
        );
        assert_eq!(
            choose_addresses(&strict, &ips(&["::ffff:8.8.4.4"])),
            Ok(ips(&["8.8.4.4"]))
        );
        let many = ips(&["1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5"]);
        assert_eq!(
            choose_addresses(&strict, &many).unwrap().len(),
            MAX_ADDRESSES
        );
        let refused = choose_addresses(&strict, &ips(&["127.0.0.1", "10.0.0.1"])).unwrap_err();
        assert_eq!(refused.detail, "the target address is loopback");
        assert_eq!(
            choose_addresses(&strict, &[]).unwrap_err().reason,
            RefusalReason::ResolveFailed
        );
        let open = settings(&["--allow-private"]);
        assert_eq!(
            choose_addresses(&open, &ips(&["::ffff:127.0.0.1", "::1"])),
            Ok(ips(&["127.0.0.1", "::1"]))
        );
        assert_eq!(
            Refusal::new(RefusalReason::PortNotAllowed, "x").body(),
            r#"{"error":"port_not_allowed","detail":"x"}"#
        );
    }
}
