//! Configuration: flags (or environment variables) parsed by clap, then validated into
//! [`Settings`], which the server treats as frozen.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

use crate::RelayError;

/// The mail ports a browser-side check needs: POP3, IMAP, submission (implicit TLS and
/// STARTTLS), IMAPS, POP3S. Port 25 is deliberately absent.
pub const DEFAULT_PORTS: &[u16] = &[110, 143, 465, 587, 993, 995];

/// Everything the relay can be told, by flag or environment variable.
#[derive(Debug, Clone, Parser)]
#[command(name = "portolan-relay", version, about)]
pub struct Config {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "PORTOLAN_RELAY_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve the built app (Trunk's `dist/`) from this directory on the same origin.
    #[arg(long = "static", env = "PORTOLAN_RELAY_STATIC")]
    pub static_dir: Option<PathBuf>,
    /// Browser origins allowed to open sessions, e.g. `https://app.example` (repeatable).
    /// The relay's own origin is always allowed when it serves the app.
    #[arg(
        long = "allowed-origin",
        env = "PORTOLAN_RELAY_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub allowed_origins: Vec<String>,
    /// Destination ports allowed (comma-separated or repeated).
    #[arg(long = "port", value_name = "PORT", env = "PORTOLAN_RELAY_PORTS", value_delimiter = ',', default_values_t = DEFAULT_PORTS.to_vec())]
    pub ports: Vec<u16>,
    /// Allow destination port 25 (SMTP relay). An open path to port 25 from any browser is a
    /// spam cannon: only for deployments that restrict who can reach the relay.
    #[arg(long, env = "PORTOLAN_RELAY_ALLOW_PORT_25")]
    pub allow_port_25: bool,
    /// Lift the address-class rule (loopback, private, link-local ... become reachable).
    /// For tests and intranets only.
    #[arg(long, env = "PORTOLAN_RELAY_ALLOW_PRIVATE")]
    pub allow_private: bool,
    /// Most sessions open at once, in total.
    #[arg(long, env = "PORTOLAN_RELAY_MAX_SESSIONS", default_value_t = 1024)]
    pub max_sessions: usize,
    /// Most sessions open at once from one client address (IPv6 clients count per /64).
    #[arg(long, env = "PORTOLAN_RELAY_MAX_SESSIONS_PER_IP", default_value_t = 16)]
    pub max_sessions_per_ip: usize,
    /// Most new sessions per client address per minute.
    #[arg(long, env = "PORTOLAN_RELAY_RATE_PER_MINUTE", default_value_t = 60)]
    pub rate_per_minute: u32,
    /// Seconds allowed for resolving and connecting to the target.
    #[arg(
        long = "connect-timeout",
        value_name = "SECS",
        env = "PORTOLAN_RELAY_CONNECT_TIMEOUT",
        default_value_t = 10
    )]
    pub connect_timeout_secs: u64,
    /// Seconds without traffic in either direction before a session is closed.
    #[arg(
        long = "idle-timeout",
        value_name = "SECS",
        env = "PORTOLAN_RELAY_IDLE_TIMEOUT",
        default_value_t = 60
    )]
    pub idle_timeout_secs: u64,
    /// Longest a session may last, in seconds.
    #[arg(
        long = "session-timeout",
        value_name = "SECS",
        env = "PORTOLAN_RELAY_SESSION_TIMEOUT",
        default_value_t = 300
    )]
    pub max_session_secs: u64,
    /// Most bytes a session may carry from the browser to the target.
    #[arg(long, env = "PORTOLAN_RELAY_MAX_BYTES_UP", default_value_t = 256 * 1024)]
    pub max_bytes_up: u64,
    /// Most bytes a session may carry from the target to the browser.
    #[arg(long, env = "PORTOLAN_RELAY_MAX_BYTES_DOWN", default_value_t = 1024 * 1024)]
    pub max_bytes_down: u64,
    /// Largest WebSocket message (and frame) accepted from a browser, in bytes.
    #[arg(long, env = "PORTOLAN_RELAY_MAX_MESSAGE", default_value_t = 32 * 1024)]
    pub max_message_bytes: usize,
    /// Seconds a client has to send its request head (and finish TLS).
    #[arg(
        long = "header-timeout",
        value_name = "SECS",
        env = "PORTOLAN_RELAY_HEADER_TIMEOUT",
        default_value_t = 10
    )]
    pub header_timeout_secs: u64,
    /// Seconds open sessions may go on after SIGTERM/SIGINT before they are closed.
    #[arg(
        long = "shutdown-grace",
        value_name = "SECS",
        env = "PORTOLAN_RELAY_SHUTDOWN_GRACE",
        default_value_t = 10
    )]
    pub shutdown_grace_secs: u64,
    /// PEM certificate chain: serve HTTPS/WSS directly (needs --tls-key).
    #[arg(long, env = "PORTOLAN_RELAY_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "PORTOLAN_RELAY_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Header carrying the client address (e.g. `X-Real-IP`), trusted only when the peer is a
    /// loopback address, i.e. a reverse proxy on the same host.
    #[arg(long, env = "PORTOLAN_RELAY_REAL_IP_HEADER")]
    pub real_ip_header: Option<String>,
    /// Answer this name from a fixed table: `NAME=ADDRESS[,ADDRESS...]`, repeatable. With any
    /// entry, the relay asks no DNS server at all and names outside the table do not resolve
    /// (closed networks that pin their mail hosts, and tests). Addresses are still vetted.
    #[arg(
        long = "resolve",
        value_name = "NAME=ADDRESS",
        env = "PORTOLAN_RELAY_RESOLVE",
        value_delimiter = ';'
    )]
    pub resolve: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::parse_from(["portolan-relay"])
    }
}

/// Validated configuration, frozen before the server binds.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub static_dir: Option<PathBuf>,
    /// Lower-cased origins, without trailing slashes.
    pub allowed_origins: Vec<String>,
    /// Sorted, deduplicated.
    pub ports: Vec<u16>,
    pub allow_private: bool,
    pub max_sessions: usize,
    pub max_sessions_per_ip: usize,
    pub rate_per_minute: u32,
    pub connect_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_session: Duration,
    pub max_bytes_up: u64,
    pub max_bytes_down: u64,
    pub max_message_bytes: usize,
    pub header_timeout: Duration,
    pub shutdown_grace: Duration,
    pub tls: Option<(PathBuf, PathBuf)>,
    pub real_ip_header: Option<String>,
    /// `--resolve` entries: name (lower-cased, no trailing dot) and its addresses. When any are
    /// given, they are the only names the relay resolves.
    pub resolve_table: Vec<(String, Vec<std::net::IpAddr>)>,
}

impl TryFrom<Config> for Settings {
    type Error = RelayError;

    fn try_from(config: Config) -> Result<Self, RelayError> {
        let invalid = |text: &str| Err(RelayError::Config(text.to_owned()));
        let mut ports = config.ports.clone();
        ports.sort_unstable();
        ports.dedup();
        if ports.contains(&0) {
            return invalid("port 0 cannot be allowed");
        }
        if ports.contains(&25) && !config.allow_port_25 {
            return invalid("port 25 is allowed only with --allow-port-25");
        }
        if config.allow_port_25 && !ports.contains(&25) {
            ports.push(25);
            ports.sort_unstable();
        }
        if config.max_sessions == 0
            || config.max_sessions_per_ip == 0
            || config.rate_per_minute == 0
        {
            return invalid("session limits and the rate must be at least 1");
        }
        if !(1024..=1 << 20).contains(&config.max_message_bytes) {
            return invalid("--max-message-bytes must be between 1 KiB and 1 MiB");
        }
        let mut origins = Vec::new();
        for origin in &config.allowed_origins {
            let origin = normalize_origin(origin);
            if !(origin.starts_with("http://") || origin.starts_with("https://")) {
                return invalid("--allowed-origin must look like https://host[:port]");
            }
            origins.push(origin);
        }
        origins.sort();
        origins.dedup();
        let tls = match (config.tls_cert, config.tls_key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => return invalid("--tls-cert and --tls-key go together"),
        };
        Ok(Settings {
            listen: config.listen,
            static_dir: config.static_dir,
            allowed_origins: origins,
            ports,
            allow_private: config.allow_private,
            max_sessions: config.max_sessions,
            max_sessions_per_ip: config.max_sessions_per_ip,
            rate_per_minute: config.rate_per_minute,
            connect_timeout: Duration::from_secs(config.connect_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(config.idle_timeout_secs.max(1)),
            max_session: Duration::from_secs(config.max_session_secs.max(1)),
            max_bytes_up: config.max_bytes_up,
            max_bytes_down: config.max_bytes_down,
            max_message_bytes: config.max_message_bytes,
            header_timeout: Duration::from_secs(config.header_timeout_secs.max(1)),
            shutdown_grace: Duration::from_secs(config.shutdown_grace_secs),
            tls,
            real_ip_header: config.real_ip_header,
            resolve_table: resolve_table(&config.resolve)?,
        })
    }
}

/// Reads `--resolve NAME=ADDRESS[,ADDRESS...]` entries.
fn resolve_table(entries: &[String]) -> Result<Vec<(String, Vec<std::net::IpAddr>)>, RelayError> {
    let bad = |entry: &str| {
        RelayError::Config(format!(
            "--resolve {entry:?}: give NAME=ADDRESS, with one or more comma-separated IP addresses"
        ))
    };
    entries
        .iter()
        .map(|entry| {
            let (name, addresses) = entry.split_once('=').ok_or_else(|| bad(entry))?;
            let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
            let addresses: Vec<std::net::IpAddr> = addresses
                .split(',')
                .map(|address| address.trim().parse().map_err(|_| bad(entry)))
                .collect::<Result<_, _>>()?;
            if name.is_empty() || addresses.is_empty() {
                return Err(bad(entry));
            }
            Ok((name, addresses))
        })
        .collect()
}

/// An origin as the relay compares it: trimmed, lower-cased, without trailing slashes. Both the
/// configured origins and a request's `Origin` header go through this.
pub(crate) fn normalize_origin(origin: &str) -> String {
    origin.trim().trim_end_matches('/').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(args: &[&str]) -> Result<Settings, RelayError> {
        let mut all = vec!["portolan-relay"];
        all.extend_from_slice(args);
        Settings::try_from(Config::try_parse_from(all).unwrap())
    }

    #[test]
    fn defaults_are_the_mail_ports_without_25() {
        let settings = settings(&[]).unwrap();
        assert_eq!(settings.ports, vec![110, 143, 465, 587, 993, 995]);
        assert!(!settings.allow_private);
        assert_eq!(settings.max_message_bytes, 32 * 1024);
    }

    #[test]
    fn port_25_needs_the_opt_in() {
        assert!(settings(&["--port", "25,993"]).is_err());
        assert_eq!(
            settings(&["--port", "25,993", "--allow-port-25"])
                .unwrap()
                .ports,
            vec![25, 993]
        );
        assert!(settings(&["--allow-port-25"]).unwrap().ports.contains(&25));
    }

    #[test]
    fn resolve_entries_are_parsed_and_checked() {
        let settings = settings(&[
            "--resolve",
            "Mail.Example.test.=127.0.0.1,::1",
            "--resolve",
            "b.test=127.0.0.1",
        ])
        .unwrap();
        assert_eq!(
            settings.resolve_table,
            vec![
                (
                    "mail.example.test".to_owned(),
                    vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()]
                ),
                ("b.test".to_owned(), vec!["127.0.0.1".parse().unwrap()]),
            ]
        );
        for bad in [
            "mail.example.test",
            "=127.0.0.1",
            "a.test=",
            "a.test=not-an-ip",
        ] {
            assert!(
                super::tests::settings(&["--resolve", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn origins_are_normalised() {
        let settings = settings(&[
            "--allowed-origin",
            "HTTPS://App.Example/",
            "--allowed-origin",
            "http://x:8080",
        ])
        .unwrap();
        assert_eq!(
            settings.allowed_origins,
            vec!["http://x:8080", "https://app.example"]
        );
        assert!(super::tests::settings(&["--allowed-origin", "app.example"]).is_err());
    }
}
