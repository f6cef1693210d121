//! Portolan's relay: carries bytes between a browser's WebSocket and a mail server's TCP port,
//! and nothing else. It can also serve the built app (`--static DIR`) so one process hosts
//! everything.
//!
//! Invariant: the relay never sees plaintext mail traffic. TLS runs in the browser; the relay
//! is a blind pipe, and it never logs payload bytes.
//!
//! Codemap: [`config`] (flags, validated into [`Settings`]), [`request`] (parsing the request
//! head and the `/v1/tcp` query), [`policy`] and [`addr_class`] (what is refused at the
//! handshake), [`limits`] (admission), [`resolve`] (pluggable name resolution), `session` (the
//! upgrade and the byte pump), `server` (accept loop, routing, shutdown), [`metrics`].

pub mod addr_class;
pub mod config;
pub mod http;
pub mod limits;
pub mod metrics;
pub mod policy;
pub mod request;
pub mod resolve;
mod server;
mod session;
mod static_files;
mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use thiserror::Error;

pub use config::{Config, Settings};
pub use resolve::{Resolver, SystemResolver, TableResolver};
pub use server::Relay;
pub use session::ws_config;

/// What can stop the relay.
#[derive(Debug, Error)]
pub enum RelayError {
    #[error("invalid configuration: {0}")]
    Config(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("static directory {0} does not exist or holds no index.html")]
    StaticDir(PathBuf),
    #[error("TLS setup failed: {0}")]
    Tls(String),
    #[error("server failed: {0}")]
    Serve(std::io::Error),
}

/// Runs the relay as the binary does: validates, binds, prints the one line `cargo xtask`
/// reads (`portolan-relay listening on http://ADDR/`), and serves until SIGINT or SIGTERM.
pub async fn serve(config: Config) -> Result<(), RelayError> {
    let settings = Settings::try_from(config)?;
    if settings.allow_private {
        tracing::warn!("!!! --allow-private is set: loopback, private and link-local targets are REACHABLE through this relay. Use only for tests and closed intranets. !!!");
    }
    let shutdown = shutdown_signal();
    let resolver: Arc<dyn Resolver> = if settings.resolve_table.is_empty() {
        Arc::new(SystemResolver)
    } else {
        tracing::warn!(
            names = settings.resolve_table.len(),
            "--resolve is set: names are answered from the table only, no DNS is asked"
        );
        Arc::new(
            settings
                .resolve_table
                .iter()
                .fold(TableResolver::new(), |table, (name, addresses)| {
                    table.with(name, addresses)
                }),
        )
    };
    let relay = Relay::bind(settings.clone(), resolver).await?;
    let local = relay.local_addr();
    tracing::info!(
        %local,
        static_dir = ?settings.static_dir,
        ports = ?settings.ports,
        origins = ?settings.allowed_origins,
        tls = settings.tls.is_some(),
        "relay listening"
    );
    println!("portolan-relay listening on {}://{local}/", relay.scheme());
    use std::io::Write as _;
    let _ = std::io::stdout().flush();
    relay.run(shutdown).await
}

/// Raises the soft limit on open descriptors to the hard limit: every session holds two
/// sockets, and the default soft limit (often 1024) would cap the relay far below its design.
/// Returns the new limit, or `None` when it could not be read or raised.
pub fn raise_nofile_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed in.
    let raised = unsafe {
        libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0
        }
    };
    raised.then_some(limit.rlim_cur)
}

/// Resolves on SIGINT or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled, so a signal sent right after the "listening" line is not lost
/// (nor does it kill the process with the default action).
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).ok();
        let mut interrupt = signal(SignalKind::interrupt()).ok();
        async move {
            tokio::select! {
                _ = received(term.as_mut()) => {}
                _ = received(interrupt.as_mut()) => {}
            }
            tracing::info!("signal received");
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("signal received");
        }
    }
}

/// Resolves when `signal` arrives; never, when its handler could not be installed.
#[cfg(unix)]
async fn received(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending().await,
    }
}
