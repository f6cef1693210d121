//! The `portolan-relay` binary: parses flags, sets up logging (to stderr, so stdout carries
//! only the "listening" line), runs the server until a signal.

use clap::Parser;
use portolan_relay::{serve, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let filter = EnvFilter::try_from_env("PORTOLAN_RELAY_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| "info".into())
        // The WebSocket library traces whole frames, payload included, at its finest levels:
        // never let those through, whatever level is asked for.
        .add_directive(quiet("tungstenite"))
        .add_directive(quiet("tokio_tungstenite"));
    let json = std::env::var("PORTOLAN_RELAY_LOG_FORMAT").is_ok_and(|format| format == "json");
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
    let config = Config::parse();
    if let Some(limit) = portolan_relay::raise_nofile_limit() {
        tracing::debug!(limit, "descriptor limit");
    }
    match serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "relay stopped");
            eprintln!("portolan-relay: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A directive capping `target` at `warn`.
fn quiet(target: &str) -> tracing_subscriber::filter::Directive {
    format!("{target}=warn")
        .parse()
        .unwrap_or_else(|_| tracing_subscriber::filter::LevelFilter::WARN.into())
}
