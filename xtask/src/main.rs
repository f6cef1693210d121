//! `cargo xtask`: the project's developer tasks, in Rust so they run wherever cargo does.
//!
//! - `serve`: install what is missing, build the app in release mode, serve it with the relay
//!   on http://127.0.0.1:8080.
//! - `test`: install what is missing, then every check CI runs (format, lint, native tests,
//!   browser tests, end-to-end tests), with the number of tests of each layer printed.
//! - `bench`: build, then print sizes and timings.
//! - `install`: only the installation step.

mod bench;
mod bench_audit;
mod bench_discovery;
mod bench_engine;
mod bench_probe;
mod bench_relay;
mod build;
mod dist;
mod dns;
mod install;
mod ispdb;
mod live_world;
mod process;
mod psl;
mod serve;
mod stats;
mod test;

use std::process::ExitCode;

use thiserror::Error;

/// Why a task failed.
#[derive(Debug, Error)]
pub enum TaskError {
    #[error("`{command}` could not start: {source}")]
    Spawn {
        command: String,
        source: std::io::Error,
    },
    #[error("`{command}` failed ({status})")]
    Failed { command: String, status: String },
    #[error("{0}")]
    Setup(String),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

impl TaskError {
    /// Wraps an error from starting, or waiting for, the command described by `command`.
    pub fn spawn(command: impl Into<String>) -> impl FnOnce(std::io::Error) -> TaskError {
        let command = command.into();
        move |source| TaskError::Spawn { command, source }
    }
}

const USAGE: &str = "usage: cargo xtask <serve | test | bench | install>

  serve    install what is missing, build the app (release) and serve it with the relay
           on http://127.0.0.1:8080 (PORTOLAN_LISTEN overrides the address)
  test     install what is missing, then: fmt check, clippy, native tests, browser tests
           (wasm-bindgen-test in headless Chromium), end-to-end tests (Playwright)
  bench    build, then print bundle sizes and time to first render and discovery latency
  bench-app        only the app part of bench (sizes, first render, submit to result)
  bench-discovery  only the discovery latency part of bench
  bench-audit  only the audit part of bench (wall time and DNS rounds with 50 ms latency)
  bench-relay  only the relay part of bench (relay vs websockify)
  bench-probe  only the live-check part of bench (round trips, check vs testssl.sh, discover --probe)
  bench-knowledge  how often the offline top IMAP pick agrees with Thunderbird's ISP database
  import-ispdb PATH [--commit SHA]
           turn a checkout of github.com/thunderbird/autoconfig into the provider table
           (writes crates/portolan-core/src/knowledge/ispdb.rs and data/ispdb/)
  import-psl FILE [--commit SHA]
           the Public Suffix List into crates/portolan-core/data/psl/ (for MXBASE)
  install  only install what is missing";

/// Prints the agreement between the offline top IMAP pick and the ISPDB's first IMAP server.
fn bench_knowledge() -> Result<(), TaskError> {
    process::step("knowledge: offline top IMAP pick against Thunderbird's ISP database");
    let agreement = ispdb::measure::agreement(&ispdb::vendored()?);
    println!(
        "{} domains with an IMAP server in the ISPDB ({} more list none): {} the same server, \
         {} the same host with stronger security: {:.2}% agree (target >= 99%)",
        agreement.domains,
        agreement.without_imap,
        agreement.equal,
        agreement.stronger,
        agreement.percent()
    );
    for disagreement in &agreement.disagreements {
        println!("  {disagreement}");
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(),
        Some("test") => test::run(&args[1..]),
        Some("bench") => bench::run(),
        Some("bench-app") => bench::run_app(),
        Some("bench-discovery") => bench_discovery::run(),
        Some("bench-audit") => bench_audit::run(),
        Some("bench-relay") => bench_relay::run(),
        Some("bench-probe") => bench_probe::run(),
        Some("bench-knowledge") => bench_knowledge(),
        Some("import-ispdb") => ispdb::run(&args[1..]),
        Some("import-psl") => psl::run(&args[1..]),
        Some("install") => install::everything(install::Purpose::Test),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error}");
            ExitCode::FAILURE
        }
    }
}
