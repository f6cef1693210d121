//! Runs a test inside a loopback-only network namespace (portolan-testkit); without one, the
//! test runs on the host, since every server it talks to is bound to 127.0.0.1.

use portolan_testkit::netns::{self, WithoutNamespace};

/// True when the test body should run now (see [`portolan_testkit::netns::enter`]).
pub fn enter(test: &str) -> bool {
    netns::enter(test, WithoutNamespace::RunOnHost)
}
