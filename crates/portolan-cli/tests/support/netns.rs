//! Runs a test inside a fresh network namespace where only loopback exists, by re-executing
//! the test binary with `--exact <test>` under `ip netns exec`. Inside, nothing can leave the
//! machine even if the code under test tried.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const MARKER: &str = "PORTOLAN_TEST_IN_NETNS";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Returns true when the caller should run the test body now: inside the namespace, or on the
/// host when no namespace can be made (not root, no iproute2), with a note. Returns false
/// after running the body in a namespace child process (whose failure fails this test).
pub fn enter(test: &str) -> bool {
    if std::env::var_os(MARKER).is_some() {
        return true;
    }
    let namespace = format!(
        "portolan-disc-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let created = Command::new("ip")
        .args(["netns", "add", &namespace])
        .output()
        .map(|output| output.status.success())
        .unwrap_or(false);
    if !created {
        eprintln!(
            "note: cannot create a network namespace (needs root and iproute2); running {test} \
             on the host with every server bound to 127.0.0.1"
        );
        return true;
    }
    let status = Command::new("ip")
        .args(["netns", "exec", &namespace, "ip", "link", "set", "lo", "up"])
        .status()
        .and_then(|_| {
            Command::new("ip")
                .args(["netns", "exec", &namespace])
                .arg(std::env::current_exe().expect("test binary path"))
                .args(["--exact", test, "--nocapture", "--test-threads=1"])
                .env(MARKER, "1")
                .status()
        });
    let _ = Command::new("ip")
        .args(["netns", "del", &namespace])
        .status();
    let status = status.expect("run the test inside the network namespace");
    assert!(
        status.success(),
        "{test} failed inside network namespace {namespace}"
    );
    false
}
