//! Counters exported at `/metrics` in the Prometheus text format. Plain atomics: no registry,
//! no allocation per update.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

use portolan_relay_wire::RefusalReason;

/// Why a `/v1/tcp` request was refused before any connection; labels of `refusals_total`.
/// The wire contract's names, in its order.
pub const REFUSAL_REASONS: &[&str] = &{
    let mut names = [""; RefusalReason::ALL.len()];
    let mut index = 0;
    while index < names.len() {
        names[index] = RefusalReason::ALL[index].as_str();
        index += 1;
    }
    names
};

/// How sessions ended; labels of `sessions_ended_total`.
pub const END_CAUSES: &[&str] = &[
    "target_closed",
    "client_closed",
    "client_gone",
    "connect_failed",
    "connect_timeout",
    "idle_timeout",
    "session_timeout",
    "byte_cap",
    "message_too_big",
    "protocol_error",
    "target_error",
    "shutdown",
];

/// A labelled counter family: name, help, label name, label values, counters.
type Labelled<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a [AtomicU64]);

/// Every counter the relay keeps.
#[derive(Debug)]
pub struct Metrics {
    pub http_requests: AtomicU64,
    pub connections_open: AtomicU64,
    pub sessions_started: AtomicU64,
    pub sessions_active: AtomicU64,
    pub connect_attempts: AtomicU64,
    pub bytes_up: AtomicU64,
    pub bytes_down: AtomicU64,
    pub accept_errors: AtomicU64,
    refusals: Vec<AtomicU64>,
    ends: Vec<AtomicU64>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            http_requests: AtomicU64::new(0),
            connections_open: AtomicU64::new(0),
            sessions_started: AtomicU64::new(0),
            sessions_active: AtomicU64::new(0),
            connect_attempts: AtomicU64::new(0),
            bytes_up: AtomicU64::new(0),
            bytes_down: AtomicU64::new(0),
            accept_errors: AtomicU64::new(0),
            refusals: REFUSAL_REASONS.iter().map(|_| AtomicU64::new(0)).collect(),
            ends: END_CAUSES.iter().map(|_| AtomicU64::new(0)).collect(),
        }
    }
}

impl Metrics {
    /// Counts a refusal; `reason` must be one of [`REFUSAL_REASONS`].
    pub fn refused(&self, reason: &str) {
        if let Some(counter) = labelled(REFUSAL_REASONS, &self.refusals, reason) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts a session end; `cause` must be one of [`END_CAUSES`].
    pub fn ended(&self, cause: &str) {
        if let Some(counter) = labelled(END_CAUSES, &self.ends, cause) {
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// The number of refusals with this reason so far.
    pub fn refusals(&self, reason: &str) -> u64 {
        labelled(REFUSAL_REASONS, &self.refusals, reason)
            .map_or(0, |counter| counter.load(Ordering::Relaxed))
    }

    /// The number of sessions that ended with this cause so far.
    pub fn ends(&self, cause: &str) -> u64 {
        labelled(END_CAUSES, &self.ends, cause).map_or(0, |counter| counter.load(Ordering::Relaxed))
    }

    /// Renders every counter in the Prometheus text exposition format, in a fixed order.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let plain: &[(&str, &str, &str, &AtomicU64)] = &[
            (
                "portolan_relay_http_requests_total",
                "counter",
                "HTTP requests parsed.",
                &self.http_requests,
            ),
            (
                "portolan_relay_connections_open",
                "gauge",
                "Client connections open now.",
                &self.connections_open,
            ),
            (
                "portolan_relay_sessions_started_total",
                "counter",
                "WebSocket sessions admitted.",
                &self.sessions_started,
            ),
            (
                "portolan_relay_sessions_active",
                "gauge",
                "WebSocket sessions open now.",
                &self.sessions_active,
            ),
            (
                "portolan_relay_connect_attempts_total",
                "counter",
                "TCP connects attempted to vetted targets.",
                &self.connect_attempts,
            ),
            (
                "portolan_relay_bytes_up_total",
                "counter",
                "Payload bytes carried from browsers to targets.",
                &self.bytes_up,
            ),
            (
                "portolan_relay_bytes_down_total",
                "counter",
                "Payload bytes carried from targets to browsers.",
                &self.bytes_down,
            ),
            (
                "portolan_relay_accept_errors_total",
                "counter",
                "Failed accepts (EMFILE and the like).",
                &self.accept_errors,
            ),
        ];
        for (name, kind, help, value) in plain {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {}",
                value.load(Ordering::Relaxed)
            );
        }
        let labelled: &[Labelled<'_>] = &[
            (
                "portolan_relay_refusals_total",
                "Requests refused before connecting, by reason.",
                "reason",
                REFUSAL_REASONS,
                &self.refusals,
            ),
            (
                "portolan_relay_sessions_ended_total",
                "Sessions ended, by cause.",
                "cause",
                END_CAUSES,
                &self.ends,
            ),
        ];
        for (name, help, label, values, counters) in labelled {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter");
            for (value, counter) in values.iter().zip(counters.iter()) {
                let _ = writeln!(
                    out,
                    "{name}{{{label}=\"{value}\"}} {}",
                    counter.load(Ordering::Relaxed)
                );
            }
        }
        out
    }
}

/// The counter of a labelled family for `label`, if `label` is one of `labels`.
fn labelled<'a>(labels: &[&str], counters: &'a [AtomicU64], label: &str) -> Option<&'a AtomicU64> {
    labels
        .iter()
        .position(|known| *known == label)
        .and_then(|index| counters.get(index))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_labelled_counters() {
        let metrics = Metrics::default();
        metrics.refused("port_not_allowed");
        metrics.refused("port_not_allowed");
        metrics.ended("idle_timeout");
        metrics.bytes_up.fetch_add(7, Ordering::Relaxed);
        let text = metrics.render();
        assert!(text.contains("portolan_relay_refusals_total{reason=\"port_not_allowed\"} 2\n"));
        assert!(text.contains("portolan_relay_sessions_ended_total{cause=\"idle_timeout\"} 1\n"));
        assert!(text.contains("portolan_relay_bytes_up_total 7\n"));
        assert_eq!(metrics.refusals("port_not_allowed"), 2);
    }
}
