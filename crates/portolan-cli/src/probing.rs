//! The native probe driver: carries out what portolan-probe's state machines ask over tokio
//! (a TCP connection or the relay's WebSocket), runs a check's probes in parallel within a
//! shared limit, and confirms guessed servers for `discover --probe`.
//!
//! Thin on purpose: what to send, when to wait and what it means all live in the probe crate;
//! this file only moves bytes and reads the clock.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use portolan_core::model::{Candidate, LiveCheck, Protocol};
use portolan_probe::{
    assemble, plan, CheckRequest, Credentials, Probe, ProbeConfig, ProbeOutcome, TrustAnchors,
};
use tokio::sync::Semaphore;

use crate::http::all_at_once;
use crate::pipe::{Pipe, Received, Transport};

/// Connections at once, directly: enough for three servers' full scans.
const DIRECT_CONNECTIONS: usize = 32;
/// Connections at once through a relay, under its per-client session limit (16 by default).
const RELAY_CONNECTIONS: usize = 12;
/// The pause between starting one guess's probe and the next, so a burst of guesses does not
/// look like a port scan to the provider.
const GUESS_STAGGER: Duration = Duration::from_millis(10);

/// `--connect-to HOST:PORT:TO_HOST:TO_PORT` (as curl has it): connect to another address for
/// one host and port, while greeting and checking the certificate under the original name.
/// For servers not yet in DNS, and for tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectTo {
    pub host: String,
    pub port: u16,
    pub to_host: String,
    pub to_port: u16,
}

impl std::str::FromStr for ConnectTo {
    type Err = String;

    fn from_str(text: &str) -> Result<ConnectTo, String> {
        let bad =
            || format!("{text:?}: give HOST:PORT:TO_HOST:TO_PORT (an IPv6 address in brackets)");
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let (part, after) = if let Some(bracketed) = rest.strip_prefix('[') {
                let end = bracketed.find(']').ok_or_else(bad)?;
                (&rest[..end + 2], &bracketed[end + 1..])
            } else {
                rest.split_at(rest.find(':').unwrap_or(rest.len()))
            };
            parts.push(part);
            rest = after.strip_prefix(':').unwrap_or(after);
        }
        let [host, port, to_host, to_port] = parts.as_slice() else {
            return Err(bad());
        };
        let parse_port = |text: &str| text.parse::<u16>().ok().filter(|port| *port != 0);
        match (parse_port(port), parse_port(to_port)) {
            (Some(from), Some(to)) if !host.is_empty() && !to_host.is_empty() => Ok(ConnectTo {
                host: bare_host(host),
                port: from,
                to_host: bare_host(to_host),
                to_port: to,
            }),
            _ => Err(bad()),
        }
    }
}

/// A host as rules compare it: lower-cased, an IPv6 address without brackets and in its
/// canonical form.
fn bare_host(host: &str) -> String {
    let bare = host
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(host);
    match bare.parse::<std::net::IpAddr>() {
        Ok(address) => address.to_string(),
        Err(_) => bare.to_ascii_lowercase(),
    }
}

/// How checks are made.
#[derive(Debug, Clone)]
pub struct Prober {
    pub transport: Transport,
    pub anchors: TrustAnchors,
    pub step_timeout: Duration,
    /// Whether to run the legacy-version, weak-cipher and injection scans.
    pub scans: bool,
    pub connect_to: Vec<ConnectTo>,
    limit: Arc<Semaphore>,
}

impl Prober {
    pub fn new(
        transport: Transport,
        anchors: TrustAnchors,
        step_timeout: Duration,
        scans: bool,
    ) -> Self {
        let permits = match transport {
            Transport::Direct => DIRECT_CONNECTIONS,
            Transport::Relay(_) => RELAY_CONNECTIONS,
        };
        Prober {
            transport,
            anchors,
            step_timeout,
            scans,
            connect_to: Vec::new(),
            limit: Arc::new(Semaphore::new(permits)),
        }
    }

    /// Where to connect for `host` and `port`: a `--connect-to` rule's target, or itself.
    fn address_for(&self, host: &str, port: u16) -> (String, u16) {
        let host_key = bare_host(host);
        self.connect_to
            .iter()
            .find(|rule| rule.port == port && rule.host == host_key)
            .map_or_else(
                || (host.to_owned(), port),
                |rule| (rule.to_host.clone(), rule.to_port),
            )
    }

    /// The request for one endpoint.
    pub fn request(
        &self,
        endpoint: Endpoint,
        email_domain: Option<String>,
        credentials: Option<Credentials>,
    ) -> CheckRequest {
        CheckRequest {
            host: endpoint.host,
            port: endpoint.port,
            protocol: endpoint.protocol,
            security: endpoint.security,
            email_domain,
            anchors: self.anchors.clone(),
            unix_seconds: unix_now(),
            step_timeout_ms: u64::try_from(self.step_timeout.as_millis()).unwrap_or(u64::MAX),
            credentials,
            scans: self.scans,
        }
    }

    /// Checks one server: every probe of its plan at once, then the report.
    pub async fn check(&self, request: CheckRequest) -> LiveCheck {
        let started = Instant::now();
        let probes = plan(&request).into_iter().map(|config| {
            let prober = self.clone();
            async move { prober.run_probe(config, started).await }
        });
        let outcomes = all_at_once(probes).await;
        assemble(&request, &outcomes, elapsed_ms(started))
    }

    /// Checks several servers at once; the reports keep the order of `requests`.
    pub async fn check_all(&self, requests: Vec<CheckRequest>) -> Vec<LiveCheck> {
        all_at_once(requests.into_iter().map(|request| {
            let prober = self.clone();
            async move { prober.check(request).await }
        }))
        .await
    }

    /// Probes each guessed candidate once (no scans), bounded and staggered, for
    /// `discover --probe`; the checks keep the order of `guesses`.
    pub async fn confirm(&self, guesses: &[Candidate], email_domain: &str) -> Vec<LiveCheck> {
        let requests: Vec<CheckRequest> = guesses
            .iter()
            .map(|guess| CheckRequest {
                scans: false,
                ..self.request(Endpoint::of(guess), Some(email_domain.to_owned()), None)
            })
            .collect();
        let started = Instant::now();
        all_at_once(requests.into_iter().enumerate().map(|(index, request)| {
            let prober = self.clone();
            async move {
                tokio::time::sleep(GUESS_STAGGER * u32::try_from(index).unwrap_or(u32::MAX)).await;
                let begun = Instant::now();
                let config = plan(&request).remove(0);
                let outcome = prober.run_probe(config, started).await;
                assemble(&request, &[outcome], elapsed_ms(begun))
            }
        }))
        .await
    }

    /// Drives one probe to its end over a pipe of its own.
    pub async fn run_probe(&self, config: ProbeConfig, origin: Instant) -> ProbeOutcome {
        let _permit = self.limit.acquire().await;
        let now = || elapsed_ms(origin);
        let (host, port) = self.address_for(&config.host, config.port);
        let mut probe = Probe::new(config, now());
        let mut pipe = match Pipe::open(&self.transport, &host, port, self.step_timeout).await {
            Ok(pipe) => {
                probe.handle_connected(now());
                Some(pipe)
            }
            Err(why) => {
                probe.handle_connect_failed(now(), why);
                None
            }
        };
        while let Some(open) = pipe.as_mut() {
            while let Some(bytes) = probe.poll_transmit() {
                if open.send(&bytes).await.is_err() {
                    probe.handle_closed(now());
                    break;
                }
            }
            // Progress events are for the browser's live view; the CLI reports at the end.
            while probe.poll_event().is_some() {}
            if probe.is_finished() {
                break;
            }
            let wait = probe
                .poll_timeout()
                .map_or(Duration::from_secs(3600), |deadline| {
                    Duration::from_millis(deadline.saturating_sub(now()))
                });
            tokio::select! {
                received = open.receive() => match received {
                    Received::Data(bytes) => probe.handle_input(now(), &bytes),
                    Received::Closed { connect_failed: Some(why) } => {
                        probe.handle_connect_failed(now(), why)
                    }
                    Received::Closed { connect_failed: None } => probe.handle_closed(now()),
                },
                () = tokio::time::sleep(wait) => probe.handle_timeout(now()),
            }
        }
        if let Some(open) = pipe.as_mut() {
            while let Some(bytes) = probe.poll_transmit() {
                let _ = open.send(&bytes).await;
            }
            open.close().await;
        }
        probe.into_outcome()
    }
}

/// One server to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: portolan_core::model::Security,
}

impl Endpoint {
    pub fn of(candidate: &Candidate) -> Endpoint {
        Endpoint {
            host: candidate.host.clone(),
            port: candidate.port,
            protocol: candidate.protocol,
            security: candidate.security,
        }
    }
}

fn elapsed_ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// The wall-clock time certificates are checked at.
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The command-line options that turn on probing of guessed servers, shared by `discover`
/// and `generate`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ProbeArgs {
    /// Probe every guessed server (in parallel, bounded and staggered): keep those that
    /// answer with a valid TLS set-up, marked `probe-verified`, drop the rest, and report
    /// what was probed.
    #[arg(long)]
    pub probe: bool,
    /// For --probe: go through this relay (`ws://`, `wss://`, `http://`, `https://`).
    #[arg(long, value_name = "URL")]
    pub relay: Option<String>,
    /// For --probe: connect to TO_HOST:TO_PORT when probing HOST:PORT (the certificate is still
    /// checked for HOST); repeatable.
    #[arg(long = "connect-to", value_name = "HOST:PORT:TO_HOST:TO_PORT")]
    pub connect_to: Vec<ConnectTo>,
    /// For --probe: the longest wait for any one step, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5_000)]
    pub probe_timeout_ms: u64,
}

impl ProbeArgs {
    /// The prober these options describe, trusting the CA file's certificates besides the
    /// public roots; the error is the message for stderr.
    pub fn prober(&self, ca_file: Option<&std::path::Path>) -> Result<Prober, String> {
        let transport = transport(self.relay.as_deref())?;
        let mut prober = Prober::new(
            transport,
            trust_anchors(ca_file)?,
            Duration::from_millis(self.probe_timeout_ms.max(1)),
            false,
        );
        prober.connect_to = self.connect_to.clone();
        Ok(prober)
    }
}

/// Probes `discovery`'s guesses and applies the results; the checks come back too, for the
/// engine.
pub async fn confirm_guesses(
    prober: &Prober,
    input: &portolan_core::MailInput,
    discovery: &portolan_core::model::Discovery,
) -> (portolan_core::model::Discovery, Vec<LiveCheck>) {
    let guesses = portolan_core::discovery::guesses_to_probe(discovery);
    if guesses.is_empty() {
        return (discovery.clone(), Vec::new());
    }
    let checks = prober.confirm(&guesses, &input.domain.ascii).await;
    (
        portolan_core::discovery::confirm_guesses(discovery, &checks),
        checks,
    )
}

/// The transport for an optional `--relay` URL, checked before anything connects.
pub fn transport(relay: Option<&str>) -> Result<Transport, String> {
    match relay {
        Some(relay) => {
            portolan_relay_wire::tcp_url(relay, "example.invalid", 993)
                .map_err(|error| format!("--relay: {error}"))?;
            Ok(Transport::Relay(relay.to_owned()))
        }
        None => Ok(Transport::Direct),
    }
}

/// The public roots plus the certificates of an optional CA file (PEM).
pub fn trust_anchors(ca_file: Option<&std::path::Path>) -> Result<TrustAnchors, String> {
    let extra = match ca_file {
        Some(path) => {
            let pem =
                std::fs::read(path).map_err(|error| format!("--ca {}: {error}", path.display()))?;
            TrustAnchors::pem_certificates(&pem)
                .map_err(|error| format!("--ca {}: {error}", path.display()))?
        }
        None => Vec::new(),
    };
    TrustAnchors::new(&extra).map_err(|error| error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_to_rules_parse_like_curls() {
        let rule: ConnectTo = "IMAP.guess.test:993:127.0.0.1:41234".parse().unwrap();
        assert_eq!(
            rule,
            ConnectTo {
                host: "imap.guess.test".into(),
                port: 993,
                to_host: "127.0.0.1".into(),
                to_port: 41234
            }
        );
        let six: ConnectTo = "[2001:DB8:0::1]:143:[::1]:1143".parse().unwrap();
        assert_eq!(
            (six.host.as_str(), six.to_host.as_str()),
            ("2001:db8::1", "::1")
        );
        let mut prober = Prober::new(
            Transport::Direct,
            TrustAnchors::new(&[]).unwrap(),
            Duration::from_secs(1),
            false,
        );
        prober.connect_to = vec![six];
        assert_eq!(
            prober.address_for("[2001:db8::1]", 143),
            ("::1".to_owned(), 1143),
            "a rule matches the address however it was written"
        );
        assert_eq!(
            prober.address_for("2001:db8::1", 993),
            ("2001:db8::1".to_owned(), 993)
        );
        for bad in [
            "a:1:b",
            "a:0:b:2",
            "a:1:b:x",
            ":1:b:2",
            "a:1::2",
            "[::1:1:b:2",
        ] {
            assert!(bad.parse::<ConnectTo>().is_err(), "{bad}");
        }
    }
}
