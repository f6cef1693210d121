//! `cargo xtask serve`, and the relay process that the tests and benchmarks serve the app with.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::install::{self, Purpose};
use crate::process::step;
use crate::{build, TaskError};

/// Installs, builds and serves the app with the relay until interrupted.
pub fn run() -> Result<(), TaskError> {
    install::everything(Purpose::Serve)?;
    let dist = build::app()?;
    let relay = build::native_binary("portolan-relay", "portolan-relay")?;
    let listen = std::env::var("PORTOLAN_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    step(&format!(
        "serving the app on http://{listen}/ (Ctrl-C stops)"
    ));
    println!("Open http://{listen}/ in your browser.");
    crate::process::run(
        Command::new(relay)
            .args(["--listen", &listen, "--static"])
            .arg(&dist),
    )
}

/// A relay serving `dist/` on a free loopback port, stopped when dropped.
pub struct ServedApp {
    child: Child,
    /// The base URL, like `http://127.0.0.1:41234/`.
    pub url: String,
}

impl ServedApp {
    /// Starts the relay binary on 127.0.0.1 with an OS-chosen port and waits until it listens.
    pub fn start(relay: &Path, dist: &Path) -> Result<ServedApp, TaskError> {
        ServedApp::start_with(relay, dist, &[])
    }

    /// As [`ServedApp::start`], with more relay flags (the live-check world's).
    pub fn start_with(relay: &Path, dist: &Path, flags: &[String]) -> Result<ServedApp, TaskError> {
        let mut child = Command::new(relay)
            .args(["--listen", "127.0.0.1:0", "--static"])
            .arg(dist)
            .args(flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(TaskError::spawn(relay.display().to_string()))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            return Err(TaskError::Setup("relay has no stdout".into()));
        };
        // The relay announces its address on stdout; everything else it prints is passed on,
        // and the pipe is drained for the relay's whole life so it can never block on it.
        let (sender, receiver) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut sender = Some(sender);
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let url = line
                    .split_whitespace()
                    .find(|word| word.starts_with("http://"))
                    .filter(|_| line.contains("listening on"));
                match (url, sender.take()) {
                    (Some(url), Some(first)) => {
                        let _ = first.send(url.to_owned());
                    }
                    (_, unsent) => {
                        sender = unsent;
                        eprintln!("relay: {line}");
                    }
                }
            }
        });
        match receiver.recv_timeout(std::time::Duration::from_secs(30)) {
            Ok(url) => {
                println!("relay serving {} on {url}", dist.display());
                Ok(ServedApp { child, url })
            }
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(TaskError::Setup(
                    "relay did not report its address within 30 s".into(),
                ))
            }
        }
    }
}

impl Drop for ServedApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
