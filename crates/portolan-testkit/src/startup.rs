//! Waiting for a server that was just started: until a readiness check passes, the process
//! exits first, or time runs out. A failure says which, and carries the server's logs, so a
//! flaky start in CI can be understood from its output alone.

use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::TestkitError;

/// How often the readiness check runs.
const POLL: Duration = Duration::from_millis(50);

/// A server process being waited for, with the files it logs to.
pub struct Starting<'a> {
    /// What the server is, for messages ("unbound", "dovecot").
    pub what: &'a str,
    /// The server's process.
    pub child: &'a mut Child,
    /// Files holding its output; their contents go into any error.
    pub logs: &'a [PathBuf],
}

impl Starting<'_> {
    /// Runs `ready` until it returns true. An error, with the logs, when the process exits
    /// first (a port taken since it was picked, say) or `timeout` passes.
    pub fn wait(
        &mut self,
        timeout: Duration,
        mut ready: impl FnMut() -> bool,
    ) -> Result<(), TestkitError> {
        let started = Instant::now();
        let failure = loop {
            if ready() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                break format!("{} exited ({status}) before it was ready", self.what);
            }
            if started.elapsed() >= timeout {
                break format!("{} was not ready after {timeout:?}", self.what);
            }
            std::thread::sleep(POLL);
        };
        Err(TestkitError::NotReady(with_logs(failure, self.logs)))
    }
}

/// `message` followed by the contents of each log file (or a note that it could not be read).
fn with_logs(message: String, logs: &[PathBuf]) -> String {
    let mut text = message;
    for log in logs {
        let content = std::fs::read_to_string(log)
            .unwrap_or_else(|error| format!("(could not be read: {error})"));
        text.push_str(&format!("\n--- {}:\n{content}", log.display()));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    #[test]
    fn a_process_that_exits_is_reported_with_its_log() {
        let dir = crate::TempDir::new("portolan-startup-test").expect("temp dir");
        let log = dir.path().join("server.log");
        std::fs::write(&log, "bind: Address already in use\n").expect("write log");
        let mut child = Command::new("true").spawn().expect("run true");
        let logs = [log];
        let mut starting = Starting {
            what: "the server",
            child: &mut child,
            logs: &logs,
        };
        let error = starting
            .wait(Duration::from_secs(10), || false)
            .expect_err("never ready");
        let text = error.to_string();
        assert!(text.contains("the server exited"), "{text}");
        assert!(text.contains("Address already in use"), "{text}");
    }

    #[test]
    fn a_ready_check_that_passes_ends_the_wait() {
        let mut child = Command::new("sleep").arg("5").spawn().expect("run sleep");
        let mut checks = 0;
        let result = Starting {
            what: "the server",
            child: &mut child,
            logs: &[],
        }
        .wait(Duration::from_secs(10), || {
            checks += 1;
            checks == 3
        });
        let _ = child.kill();
        let _ = child.wait();
        assert!(result.is_ok());
        assert_eq!(checks, 3);
    }
}
