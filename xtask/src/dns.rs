//! The DoH test resolver the end-to-end tests and benchmarks use: the real dnsdist + unbound
//! from portolan-testkit, serving `tests/e2e/test.zone`.

use std::time::Duration;

use portolan_testkit::{DohOptions, DohServer};

use crate::process::{root, step};
use crate::TaskError;

/// Starts the test resolver, optionally with added latency per answer and over TLS (HTTP/2,
/// as public resolvers are reached; the browser must then accept the throwaway certificate).
pub fn start_test_resolver(delay: Option<Duration>, tls: bool) -> Result<DohServer, TaskError> {
    start_test_resolver_with(delay, tls, "")
}

/// As [`start_test_resolver`], with `extra` resource records after the test zone's own (the
/// live-check world's, whose ports are known only once its servers run).
pub fn start_test_resolver_with(
    delay: Option<Duration>,
    tls: bool,
    extra: &str,
) -> Result<DohServer, TaskError> {
    let zone_path = root().join("tests/e2e/test.zone");
    let mut zone = std::fs::read_to_string(&zone_path).map_err(|source| TaskError::Io {
        path: zone_path.display().to_string(),
        source,
    })?;
    zone.push_str(extra);
    let server = DohServer::start(&DohOptions {
        zone,
        delay,
        signed_zones: Vec::new(),
        tls,
    })
    .map_err(|error| TaskError::Setup(error.to_string()))?;
    step(&format!(
        "test DoH resolver (dnsdist + unbound{}) on {}",
        delay.map_or(String::new(), |d| format!(", +{} ms", d.as_millis())),
        server.url
    ));
    Ok(server)
}
