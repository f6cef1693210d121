//! The provider preset: `portolan.json`, which a provider who hosts or embeds Portolan puts
//! next to `index.html`. It brands the page (name, logo, colours, help links), names the
//! provider's own servers for its domains (which then win over discovery, and say so), sets the
//! default resolver and relay or turns network lookups off entirely, and names the page that
//! may receive the embedding events.
//!
//! Read and validated here, with an error that names the field and what is wrong with it;
//! unknown fields are errors too, so a typo never goes unnoticed. The schema is documented in
//! the README ("Embedding"). No URL parameter reaches any of this.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::address::parse_domain;
use crate::model::{
    AuthMethod, Candidate, Discovery, Protocol, Security, Source, Trust, UsernameForm,
};
use crate::resolver_url::check_resolver_url;

/// The schema version this code reads.
pub const PRESET_VERSION: u32 = 1;

/// The file's name, next to `index.html`.
pub const PRESET_FILE: &str = "portolan.json";

/// The colours a preset may set, as `theme` keys, and the CSS custom properties they set.
pub const THEME_KEYS: &[(&str, &str)] = &[
    ("accent", "--accent"),
    ("accent-text", "--accent-text"),
    ("background", "--bg"),
    ("card", "--card"),
    ("text", "--text"),
    ("muted", "--muted"),
    ("border", "--border"),
    ("focus", "--focus"),
    ("ok", "--ok"),
    ("error", "--error"),
];

/// The resolver names a preset may give (or an `https://` URL).
const RESOLVER_NAMES: &[&str] = &["cloudflare", "google", "quad9", "compared", "off"];

/// What is wrong with a preset file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PresetError {
    #[error("portolan.json is not valid: {0}")]
    Json(String),
    #[error("portolan.json has version {0}; this Portolan reads version {PRESET_VERSION}")]
    Version(u32),
    #[error("theme.{key}: {value:?} is not a colour in #rgb or #rrggbb form (with an optional alpha digit pair)")]
    Colour { key: String, value: String },
    #[error("theme.{0} is not a colour Portolan knows; use one of {keys}", keys = theme_key_list())]
    ThemeKey(String),
    #[error(
        "provider.logo: {0:?} must be a file next to index.html (a relative path without `..`)"
    )]
    Logo(String),
    #[error("provider.name must not be empty")]
    EmptyName,
    #[error("provider.help[{index}].url: {url:?} is not an https:// URL")]
    HelpUrl { index: usize, url: String },
    #[error("provider.help[{index}].label must not be empty")]
    HelpLabel { index: usize },
    #[error("domains[{index}]: {value:?} is not a domain name: {reason}")]
    Domain {
        index: usize,
        value: String,
        reason: String,
    },
    #[error("servers are given, but no domains: name the domains they serve in `domains`")]
    ServersWithoutDomains,
    #[error("servers.{role}[{index}].host: {value:?} is not a host name")]
    Host {
        role: &'static str,
        index: usize,
        value: String,
    },
    #[error("servers.{role}[{index}].protocol: {value:?} does not belong there; use {expected}")]
    Protocol {
        role: &'static str,
        index: usize,
        value: String,
        expected: &'static str,
    },
    #[error("servers.{role}[{index}].security: plain connections are never recommended; use \"tls\" or \"starttls\"")]
    Plain { role: &'static str, index: usize },
    #[error("servers.{role}[{index}].security: {value:?} is not \"tls\" or \"starttls\"")]
    Security {
        role: &'static str,
        index: usize,
        value: String,
    },
    #[error("servers.{role}[{index}].auth[{position}]: {value:?} is not \"password\", \"oauth2\" or \"app-password\"")]
    Auth {
        role: &'static str,
        index: usize,
        position: usize,
        value: String,
    },
    #[error("servers.{role}[{index}].port must be between 1 and 65535")]
    Port { role: &'static str, index: usize },
    #[error("resolver: {0:?} is not one of cloudflare, google, quad9, compared, off, or an https:// URL (http:// only on loopback)")]
    Resolver(String),
    #[error("relay: {0:?} is not an https:// or wss:// URL")]
    Relay(String),
    #[error("embed.parent-origin: {0:?} is not an origin (scheme, host and optional port, like https://help.example.com)")]
    Origin(String),
}

fn theme_key_list() -> String {
    THEME_KEYS
        .iter()
        .map(|(key, _)| *key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A help link of the provider's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpLink {
    pub label: String,
    pub url: String,
}

/// A validated preset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Preset {
    pub provider_name: Option<String>,
    /// A file next to index.html.
    pub logo: Option<String>,
    pub help: Vec<HelpLink>,
    /// CSS custom properties and their colours, in [`THEME_KEYS`] order.
    pub theme: Vec<(String, String)>,
    /// The domains the servers are for, in ASCII, lower case.
    pub domains: Vec<String>,
    /// The provider's own servers, best first, as candidates with [`Source::Preset`].
    pub incoming: Vec<Candidate>,
    pub outgoing: Vec<Candidate>,
    /// The default resolver, in the page's storage form (`cloudflare`, `custom:https://…`, ...).
    pub resolver: Option<String>,
    pub relay: Option<String>,
    /// False: no network lookups at all (knowledge base, guesses and the servers above only).
    pub lookups: bool,
    /// The only origin embedding events are posted to.
    pub parent_origin: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPreset {
    version: u32,
    #[serde(default)]
    provider: Option<RawProvider>,
    #[serde(default)]
    theme: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    servers: RawServers,
    #[serde(default)]
    resolver: Option<String>,
    #[serde(default)]
    relay: Option<String>,
    #[serde(default = "default_true")]
    lookups: bool,
    #[serde(default)]
    embed: RawEmbed,
}

fn default_true() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    name: String,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    help: Vec<HelpLink>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawServers {
    #[serde(default)]
    incoming: Vec<RawServer>,
    #[serde(default)]
    outgoing: Vec<RawServer>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServer {
    protocol: String,
    host: String,
    port: u32,
    security: String,
    /// `email` (the default), `local-part`, or a fixed user name.
    #[serde(default)]
    username: Option<String>,
    /// `password`, `oauth2`, `app-password`, best first.
    #[serde(default)]
    auth: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEmbed {
    #[serde(default)]
    parent_origin: Option<String>,
}

impl Preset {
    /// Reads and validates `portolan.json`.
    pub fn parse(bytes: &[u8]) -> Result<Preset, PresetError> {
        let raw: RawPreset =
            serde_json::from_slice(bytes).map_err(|error| PresetError::Json(error.to_string()))?;
        if raw.version != PRESET_VERSION {
            return Err(PresetError::Version(raw.version));
        }
        let mut preset = Preset {
            lookups: raw.lookups,
            ..Preset::default()
        };
        if let Some(provider) = raw.provider {
            if provider.name.trim().is_empty() {
                return Err(PresetError::EmptyName);
            }
            preset.provider_name = Some(provider.name.trim().to_owned());
            if let Some(logo) = provider.logo {
                if !is_relative_file(&logo) {
                    return Err(PresetError::Logo(logo));
                }
                preset.logo = Some(logo);
            }
            for (index, link) in provider.help.into_iter().enumerate() {
                if link.label.trim().is_empty() {
                    return Err(PresetError::HelpLabel { index });
                }
                if !is_https_url(&link.url) {
                    return Err(PresetError::HelpUrl {
                        index,
                        url: link.url,
                    });
                }
                preset.help.push(link);
            }
        }
        for key in raw.theme.keys() {
            if !THEME_KEYS.iter().any(|(known, _)| known == key) {
                return Err(PresetError::ThemeKey(key.clone()));
            }
        }
        for (key, property) in THEME_KEYS {
            if let Some(value) = raw.theme.get(*key) {
                if !is_hex_colour(value) {
                    return Err(PresetError::Colour {
                        key: (*key).to_owned(),
                        value: value.clone(),
                    });
                }
                preset
                    .theme
                    .push(((*property).to_owned(), value.to_ascii_lowercase()));
            }
        }
        for (index, value) in raw.domains.into_iter().enumerate() {
            let domain = parse_domain(value.trim()).map_err(|error| PresetError::Domain {
                index,
                value: value.clone(),
                reason: error.to_string(),
            })?;
            if !preset.domains.contains(&domain.ascii) {
                preset.domains.push(domain.ascii);
            }
        }
        preset.incoming = servers(raw.servers.incoming, "incoming")?;
        preset.outgoing = servers(raw.servers.outgoing, "outgoing")?;
        if (!preset.incoming.is_empty() || !preset.outgoing.is_empty()) && preset.domains.is_empty()
        {
            return Err(PresetError::ServersWithoutDomains);
        }
        if let Some(resolver) = raw.resolver {
            preset.resolver = Some(if RESOLVER_NAMES.contains(&resolver.as_str()) {
                resolver
            } else {
                // The page's Settings follow the same rule, so what passes here is used there.
                match check_resolver_url(&resolver) {
                    Ok(url) => format!("custom:{url}"),
                    Err(_) => return Err(PresetError::Resolver(resolver)),
                }
            });
        }
        if let Some(relay) = raw.relay {
            if !(is_https_url(&relay) || is_url_with_scheme(&relay, "wss://")) {
                return Err(PresetError::Relay(relay));
            }
            preset.relay = Some(relay);
        }
        if let Some(origin) = raw.embed.parent_origin {
            if !is_origin(&origin) {
                return Err(PresetError::Origin(origin));
            }
            preset.parent_origin = Some(origin);
        }
        Ok(preset)
    }

    /// True when the preset's servers are for `domain` (ASCII).
    pub fn covers(&self, domain: &str) -> bool {
        let domain = domain.to_ascii_lowercase();
        self.domains.contains(&domain)
    }

    /// Makes the provider's own servers the only ones in `discovery` for each role it names,
    /// when they are for its domain: they are authoritative, so the engine never ranks a
    /// discovered server (from records an attacker might spoof) above them. Each says where it
    /// comes from and what discovery found instead.
    pub fn apply(&self, discovery: &mut Discovery) {
        if !self.covers(&discovery.domain) {
            return;
        }
        let who = self.provider_name.as_deref().unwrap_or("This site");
        for (ours, found) in [
            (&self.incoming, &mut discovery.incoming),
            (&self.outgoing, &mut discovery.outgoing),
        ] {
            if ours.is_empty() {
                continue;
            }
            let differs = found
                .first()
                .filter(|top| {
                    !ours
                        .iter()
                        .any(|own| own.host == top.host && own.port == top.port)
                })
                .map(|top| format!("Discovery found {}:{} instead.", top.host, top.port));
            *found = ours
                .iter()
                .cloned()
                .map(|mut candidate| {
                    candidate.reasons.push(format!(
                        "{who} names this server for {} on this page (portolan.json); it wins over what discovery found.",
                        discovery.domain
                    ));
                    candidate.reasons.extend(differs.clone());
                    candidate
                })
                .collect();
        }
    }

    /// What the page's embedding script needs, as JSON with keys in a fixed order: the name,
    /// the logo, the help links, the theme and the parent origin. The page passes it on as
    /// text, without decoding it.
    pub fn branding_json(&self) -> String {
        let theme: serde_json::Map<String, serde_json::Value> = self
            .theme
            .iter()
            .map(|(property, value)| (property.clone(), serde_json::Value::from(value.clone())))
            .collect();
        let branding = serde_json::json!({
            "name": self.provider_name,
            "logo": self.logo,
            "help": self.help,
            "theme": theme,
            "parentOrigin": self.parent_origin,
        });
        branding.to_string()
    }
}

fn servers(raw: Vec<RawServer>, role: &'static str) -> Result<Vec<Candidate>, PresetError> {
    let mut out = Vec::new();
    for (index, server) in raw.into_iter().enumerate() {
        let (protocol, expected) = match (role, server.protocol.as_str()) {
            ("incoming", "imap") => (Protocol::Imap, ""),
            ("incoming", "pop3") => (Protocol::Pop3, ""),
            ("outgoing", "smtp" | "submission") => (Protocol::Submission, ""),
            ("incoming", _) => (Protocol::Imap, "\"imap\" or \"pop3\""),
            _ => (Protocol::Submission, "\"smtp\""),
        };
        if !expected.is_empty() {
            return Err(PresetError::Protocol {
                role,
                index,
                value: server.protocol,
                expected,
            });
        }
        let host = server
            .host
            .trim()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if !host.contains('.') || parse_domain(&host).map(|domain| domain.ascii) != Ok(host.clone())
        {
            return Err(PresetError::Host {
                role,
                index,
                value: server.host,
            });
        }
        let security = match server.security.as_str() {
            "tls" | "ssl" => Security::Tls,
            "starttls" => Security::Starttls,
            "plain" | "none" => return Err(PresetError::Plain { role, index }),
            other => {
                return Err(PresetError::Security {
                    role,
                    index,
                    value: other.to_owned(),
                })
            }
        };
        let port = u16::try_from(server.port)
            .ok()
            .filter(|port| *port != 0)
            .ok_or(PresetError::Port { role, index })?;
        let mut candidate = Candidate::new(protocol, host, port, security, Source::Preset);
        candidate.username = match server.username.as_deref() {
            None | Some("email") => UsernameForm::EmailAddress,
            Some("local-part") => UsernameForm::LocalPart,
            Some(fixed) => UsernameForm::Other(fixed.to_owned()),
        };
        candidate.auth = server
            .auth
            .iter()
            .enumerate()
            .map(|(position, method)| match method.as_str() {
                "password" => Ok(AuthMethod::PasswordCleartext),
                "oauth2" => Ok(AuthMethod::Oauth2),
                "app-password" => Ok(AuthMethod::AppPassword),
                other => Err(PresetError::Auth {
                    role,
                    index,
                    position,
                    value: other.to_owned(),
                }),
            })
            .collect::<Result<_, _>>()?;
        candidate.trust = vec![Trust::KnownProvider];
        out.push(candidate);
    }
    Ok(out)
}

/// `#rgb`, `#rgba`, `#rrggbb` or `#rrggbbaa`: nothing that could carry more than a colour
/// into the page's style.
fn is_hex_colour(value: &str) -> bool {
    value.strip_prefix('#').is_some_and(|digits| {
        matches!(digits.len(), 3 | 4 | 6 | 8) && digits.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

/// A file next to index.html (or below it): no scheme, no absolute path, no `..`.
fn is_relative_file(value: &str) -> bool {
    let path = value.strip_prefix("./").unwrap_or(value);
    !path.is_empty()
        && !path.contains(':')
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.split('/').any(|segment| segment == "..")
        && path.bytes().all(|byte| byte.is_ascii_graphic())
}

fn is_https_url(value: &str) -> bool {
    is_url_with_scheme(value, "https://")
}

/// `scheme` (with its `://`), then a host and maybe a path, with no white space.
fn is_url_with_scheme(value: &str, scheme: &str) -> bool {
    value.strip_prefix(scheme).is_some_and(|rest| {
        !rest.is_empty() && !rest.starts_with('/') && !rest.contains(char::is_whitespace)
    })
}

/// `scheme://host[:port]` with nothing after it: a host name, an IPv4 address or a bracketed
/// IPv6 address, as `postMessage` accepts it.
fn is_origin(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    let (host, port) = if let Some(inside) = rest.strip_prefix('[') {
        let Some((address, after)) = inside.split_once(']') else {
            return false;
        };
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return false;
        }
        match after.strip_prefix(':') {
            Some(port) => ("[v6]", Some(port)),
            None if after.is_empty() => ("[v6]", None),
            None => return false,
        }
    } else {
        match rest.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        }
    };
    let host_ok = host == "[v6]"
        || host == "localhost"
        || host.parse::<std::net::Ipv4Addr>().is_ok()
        || (host.contains('.')
            && parse_domain(host).is_ok_and(|domain| domain.ascii == host.to_ascii_lowercase()));
    matches!(scheme, "https" | "http")
        && host_ok
        && port.is_none_or(|port| port.parse::<u16>().is_ok_and(|port| port != 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r##"{
        "version": 1,
        "provider": {
            "name": "Example Mail",
            "logo": "brand/logo.svg",
            "help": [{ "label": "Help centre", "url": "https://help.example.com/mail" }]
        },
        "theme": { "accent": "#0A5", "background": "#ffffff" },
        "domains": ["Example.com", "bücher.example"],
        "servers": {
            "incoming": [{ "protocol": "imap", "host": "imap.example.net", "port": 993, "security": "tls" }],
            "outgoing": [{ "protocol": "smtp", "host": "smtp.example.net", "port": 465, "security": "tls",
                           "username": "local-part", "auth": ["password", "oauth2"] }]
        },
        "resolver": "https://doh.example.com/dns-query",
        "relay": "wss://relay.example.com",
        "embed": { "parent-origin": "https://help.example.com" }
    }"##;

    #[test]
    fn a_full_preset_is_read_into_its_validated_form() {
        let preset = Preset::parse(FULL.as_bytes()).expect("valid");
        assert_eq!(preset.provider_name.as_deref(), Some("Example Mail"));
        assert_eq!(preset.logo.as_deref(), Some("brand/logo.svg"));
        assert_eq!(
            preset.theme,
            vec![
                ("--accent".to_owned(), "#0a5".to_owned()),
                ("--bg".to_owned(), "#ffffff".to_owned())
            ]
        );
        assert_eq!(preset.domains, ["example.com", "xn--bcher-kva.example"]);
        assert_eq!(preset.incoming[0].host, "imap.example.net");
        assert_eq!(preset.incoming[0].source, Source::Preset);
        assert_eq!(preset.outgoing[0].username, UsernameForm::LocalPart);
        assert_eq!(
            preset.outgoing[0].auth,
            [AuthMethod::PasswordCleartext, AuthMethod::Oauth2]
        );
        assert_eq!(
            preset.resolver.as_deref(),
            Some("custom:https://doh.example.com/dns-query")
        );
        assert!(preset.lookups, "lookups stay on unless turned off");
        assert_eq!(
            preset.parent_origin.as_deref(),
            Some("https://help.example.com")
        );
        let branding: serde_json::Value =
            serde_json::from_str(&preset.branding_json()).expect("json");
        assert_eq!(branding["theme"]["--accent"], "#0a5");
        assert_eq!(branding["help"][0]["url"], "https://help.example.com/mail");
    }

    #[test]
    fn every_mistake_gets_an_error_naming_its_field() {
        let cases: &[(&str, &str)] = &[
            (r#"{"version": 2}"#, "version 2"),
            (r#"{"version": 1, "colour": {}}"#, "unknown field `colour`"),
            (
                r#"{"version": 1, "theme": {"accent": "red; background: url(x)"}}"#,
                "theme.accent",
            ),
            (
                r##"{"version": 1, "theme": {"shadow": "#000"}}"##,
                "theme.shadow",
            ),
            (
                r#"{"version": 1, "provider": {"name": "X", "logo": "https://cdn.example/x.svg"}}"#,
                "provider.logo",
            ),
            (
                r#"{"version": 1, "provider": {"name": "X", "logo": "../x.svg"}}"#,
                "provider.logo",
            ),
            (
                r#"{"version": 1, "provider": {"name": " "}}"#,
                "provider.name",
            ),
            (
                r#"{"version": 1, "provider": {"name": "X", "help": [{"label": "a", "url": "http://x.example"}]}}"#,
                "provider.help[0].url",
            ),
            (r#"{"version": 1, "domains": ["a..b"]}"#, "domains[0]"),
            (
                r#"{"version": 1, "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls"}]}}"#,
                "no domains",
            ),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 143, "security": "plain"}]}}"#,
                "servers.incoming[0].security",
            ),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "smtp", "host": "imap.example.com", "port": 993, "security": "tls"}]}}"#,
                "servers.incoming[0].protocol",
            ),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"outgoing": [{"protocol": "smtp", "host": "not a host", "port": 465, "security": "tls"}]}}"#,
                "servers.outgoing[0].host",
            ),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"outgoing": [{"protocol": "smtp", "host": "smtp.example.com", "port": 70000, "security": "tls"}]}}"#,
                "servers.outgoing[0].port",
            ),
            (
                r#"{"version": 1, "resolver": "http://doh.example.com"}"#,
                "resolver",
            ),
            (
                r#"{"version": 1, "relay": "ws://relay.example.com"}"#,
                "relay",
            ),
            (
                r#"{"version": 1, "embed": {"parent-origin": "https://help.example.com/page"}}"#,
                "embed.parent-origin",
            ),
            ("not json", "not valid"),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "TLS"}]}}"#,
                "servers.incoming[0].security: \"TLS\"",
            ),
            (
                r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls", "auth": ["password", "kerberos"]}]}}"#,
                "servers.incoming[0].auth[1]",
            ),
            (r#"{"version": 1, "relay": "wss:// relay"}"#, "relay"),
        ];
        for (text, expected) in cases {
            let error = Preset::parse(text.as_bytes()).expect_err(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn the_providers_servers_win_for_its_domains_only_and_say_so() {
        let preset = Preset::parse(FULL.as_bytes()).expect("valid");
        let found = Candidate::new(
            Protocol::Imap,
            "mail.example.com",
            993,
            Security::Tls,
            Source::Srv,
        );
        let discovery = |domain: &str| Discovery {
            address: None,
            domain: domain.into(),
            incoming: vec![found.clone()],
            outgoing: Vec::new(),
            unavailable: Vec::new(),
            conflicts: Vec::new(),
            lookups: Vec::new(),
            probed: Vec::new(),
            provider: None,
            services: Vec::new(),
            resolver_conflicts: Vec::new(),
        };
        let mut ours = discovery("example.com");
        preset.apply(&mut ours);
        assert_eq!(ours.incoming[0].host, "imap.example.net");
        assert!(ours.incoming[0].reasons[0].contains("Example Mail names this server"));
        assert!(ours.incoming[0].reasons[1].contains("mail.example.com:993"));
        assert_eq!(
            ours.incoming.len(),
            1,
            "what discovery found is named, not offered"
        );
        assert_eq!(ours.outgoing[0].host, "smtp.example.net");
        let mut other = discovery("other.example");
        preset.apply(&mut other);
        assert_eq!(other.incoming, vec![found], "another domain is left alone");
    }

    #[test]
    fn origins_and_files_are_judged_strictly() {
        assert!(is_origin("https://help.example.com"));
        assert!(is_origin("http://127.0.0.1:8080"));
        assert!(!is_origin("https://help.example.com/"));
        assert!(!is_origin("*"));
        assert!(!is_origin("javascript://x"));
        assert!(is_origin("http://[::1]:8080"));
        assert!(!is_origin("https://a:b:443"));
        assert!(!is_origin("https://:::443"));
        assert!(!is_origin("https://[evil"));
        assert!(!is_origin("https://help.example.com:0"));
        assert!(is_relative_file("logo.svg"));
        assert!(is_relative_file("./brand/logo.png"));
        assert!(!is_relative_file("/logo.svg"));
        assert!(!is_relative_file("data:image/svg+xml,x"));
        assert!(is_hex_colour("#abc") && is_hex_colour("#aabbccdd"));
        let local =
            Preset::parse(br#"{"version": 1, "resolver": "http://127.0.0.1:8053/dns-query"}"#)
                .expect("a loopback resolver, as Settings allow it");
        assert_eq!(
            local.resolver.as_deref(),
            Some("custom:http://127.0.0.1:8053/dns-query")
        );
        assert!(!is_hex_colour("abc") && !is_hex_colour("#ggg") && !is_hex_colour("#abcde"));
    }
}
