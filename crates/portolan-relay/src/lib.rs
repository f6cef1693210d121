//! Portolan's relay: carries bytes between a browser's WebSocket and a mail server's TCP port,
//! and nothing else. It can also serve the built app (`--static DIR`) so one process hosts
//! everything.
//!
//! Invariant: the relay never sees plaintext mail traffic. TLS runs in the browser; the relay
//! is a blind pipe, and it never logs payload bytes.

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::routing::get;
use axum::Router;
use clap::Parser;
use thiserror::Error;
use tokio::net::TcpListener;
use tower_http::services::{ServeDir, ServeFile};

/// Everything the relay can be told, by flag or environment variable.
#[derive(Debug, Clone, Parser)]
#[command(name = "portolan-relay", version, about)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "PORTOLAN_RELAY_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve the built app (Trunk's `dist/`) from this directory on the same origin.
    #[arg(long = "static", env = "PORTOLAN_RELAY_STATIC")]
    pub static_dir: Option<PathBuf>,
}

/// What can stop the relay.
#[derive(Debug, Error)]
pub enum RelayError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("static directory {0} does not exist or holds no index.html")]
    StaticDir(PathBuf),
    #[error("server failed: {0}")]
    Serve(std::io::Error),
}

/// Builds the HTTP routes for a configuration.
pub fn router(config: &Config) -> Result<Router, RelayError> {
    let mut app = Router::new().route("/healthz", get(|| async { "ok\n" }));
    if let Some(dir) = &config.static_dir {
        let index = dir.join("index.html");
        if !index.is_file() {
            return Err(RelayError::StaticDir(dir.clone()));
        }
        app = app.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)));
    }
    Ok(app)
}

/// Binds and serves until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> Result<(), RelayError> {
    let app = router(&config)?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| RelayError::Bind {
            addr: config.listen,
            source,
        })?;
    let local = listener.local_addr().map_err(RelayError::Serve)?;
    tracing::info!(%local, static_dir = ?config.static_dir, "relay listening");
    println!("portolan-relay listening on http://{local}/");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(RelayError::Serve)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
    tracing::info!("shutting down");
}
