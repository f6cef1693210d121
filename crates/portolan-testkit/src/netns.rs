//! Running a test inside a fresh network namespace where only loopback exists, by
//! re-executing the test binary with `--exact <test>` under `ip netns exec`. Inside, nothing
//! can leave the machine even if the code under test tried (recipe: loopback-netns.md).
//!
//! The child's output is kept and shown only when it fails, so the parent's test counts stay
//! the only ones printed.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const MARKER: &str = "PORTOLAN_TEST_IN_NETNS";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// What to do where no namespace can be made (not root, no iproute2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithoutNamespace {
    /// Run on the host anyway: the test only ever talks to 127.0.0.1.
    RunOnHost,
    /// Skip, with a note: the test names non-loopback targets it expects to be refused.
    Skip,
}

/// Returns true when the caller should run the test body now: inside the namespace (or on the
/// host, as `fallback` allows). Returns false after the body ran in a namespace child process
/// (whose failure panics here, failing the test) or was skipped.
pub fn enter(test: &str, fallback: WithoutNamespace) -> bool {
    if std::env::var_os(MARKER).is_some() {
        assert_loopback_only();
        return true;
    }
    let namespace = format!(
        "portolan-t{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let created = Command::new("ip")
        .args(["netns", "add", &namespace])
        .output()
        .is_ok_and(|output| output.status.success());
    if !created {
        return match fallback {
            WithoutNamespace::RunOnHost => {
                eprintln!("note: no network namespace (needs root and iproute2); running {test} on the host, loopback only");
                true
            }
            WithoutNamespace::Skip => {
                eprintln!("SKIPPED {test}: it needs a loopback-only network namespace (root and iproute2)");
                false
            }
        };
    }
    let outcome = Command::new("ip")
        .args(["netns", "exec", &namespace, "ip", "link", "set", "lo", "up"])
        .status()
        .and_then(|_| {
            let exe = std::env::current_exe()?;
            Command::new("ip")
                .args(["netns", "exec", &namespace])
                .arg(exe)
                .args(["--exact", test, "--nocapture", "--test-threads=1"])
                .env(MARKER, "1")
                .output()
        });
    let _ = Command::new("ip")
        .args(["netns", "del", &namespace])
        .status();
    match outcome {
        // The child must have run exactly this one test (a typo'd name would run none and pass).
        Ok(output)
            if output.status.success()
                && String::from_utf8_lossy(&output.stdout).contains("1 passed") =>
        {
            false
        }
        Ok(output) => panic!(
            "{test} failed inside network namespace {namespace}:\n{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(error) => panic!("{test}: could not run inside network namespace {namespace}: {error}"),
    }
}

/// Inside the namespace, only loopback may exist; anything else means the isolation failed.
fn assert_loopback_only() {
    let interfaces: Vec<String> = std::fs::read_dir("/sys/class/net")
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        interfaces,
        vec!["lo".to_owned()],
        "the test namespace must hold loopback only"
    );
}
