//! The `portolan-relay` binary: parses flags, sets up logging, runs the server until a signal.

use clap::Parser;
use portolan_relay::{serve, Config};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let config = Config::parse();
    match serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "relay stopped");
            eprintln!("portolan-relay: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
