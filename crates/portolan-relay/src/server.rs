//! The server: binding, the accept loop (which backs off on EMFILE and never dies), optional
//! TLS, routing of plain HTTP requests, and graceful shutdown.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};
use tokio_rustls::TlsAcceptor;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Settings;
use crate::http::{linger_close, read_head, write_response, ReadHeadError, Response};
use crate::limits::Gate;
use crate::metrics::Metrics;
use portolan_relay_wire::{RefusalReason, HEALTH_PATH, TCP_PATH};

use crate::policy::Refusal;
use crate::request::{RequestError, RequestHead};
use crate::resolve::Resolver;
use crate::static_files::StaticFiles;
use crate::{session, tls, RelayError};

/// State shared by every connection.
pub(crate) struct Shared {
    pub settings: Settings,
    pub resolver: Arc<dyn Resolver>,
    pub gate: Arc<Gate>,
    pub metrics: Arc<Metrics>,
    pub statics: Option<StaticFiles>,
    /// Cancelled when shutdown starts: idle HTTP connections close, new sessions are refused.
    pub draining: CancellationToken,
    /// Cancelled when the grace period is over: open sessions close.
    pub abort: CancellationToken,
}

/// A bound relay, ready to run.
pub struct Relay {
    shared: Arc<Shared>,
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    local: SocketAddr,
}

impl Relay {
    /// Validates the static directory and TLS files, then binds.
    pub async fn bind(
        settings: Settings,
        resolver: Arc<dyn Resolver>,
    ) -> Result<Relay, RelayError> {
        let statics = settings
            .static_dir
            .as_deref()
            .map(StaticFiles::new)
            .transpose()?;
        let tls = match &settings.tls {
            Some((cert, key)) => Some(tls::acceptor(cert, key)?),
            None => None,
        };
        let listener =
            TcpListener::bind(settings.listen)
                .await
                .map_err(|source| RelayError::Bind {
                    addr: settings.listen,
                    source,
                })?;
        let local = listener.local_addr().map_err(RelayError::Serve)?;
        let gate = Gate::new(
            settings.max_sessions,
            settings.max_sessions_per_ip,
            settings.rate_per_minute,
        );
        let shared = Arc::new(Shared {
            settings,
            resolver,
            gate,
            metrics: Arc::new(Metrics::default()),
            statics,
            draining: CancellationToken::new(),
            abort: CancellationToken::new(),
        });
        Ok(Relay {
            shared,
            listener,
            tls,
            local,
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// The relay's counters.
    pub fn metrics(&self) -> Arc<Metrics> {
        Arc::clone(&self.shared.metrics)
    }

    /// The URL scheme clients use (`http` or `https`).
    pub fn scheme(&self) -> &'static str {
        if self.tls.is_some() {
            "https"
        } else {
            "http"
        }
    }

    /// Accepts connections until `shutdown` resolves, then stops accepting, lets sessions go on
    /// for the grace period, closes what is left and returns.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), RelayError> {
        let Relay {
            shared,
            listener,
            tls,
            ..
        } = self;
        let tracker = TaskTracker::new();
        let mut backoff = Duration::from_millis(5);
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                biased;
                _ = &mut shutdown => break,
                accepted = listener.accept() => accepted,
            };
            match accepted {
                Ok((tcp, peer)) => {
                    backoff = Duration::from_millis(5);
                    let shared = Arc::clone(&shared);
                    let tls = tls.clone();
                    tracker.spawn(connection(shared, tcp, peer, tls));
                }
                Err(error) => {
                    shared.metrics.accept_errors.fetch_add(1, Ordering::Relaxed);
                    if is_resource_exhaustion(&error) {
                        tracing::warn!(%error, backoff_ms = backoff.as_millis() as u64, "accept failed; backing off");
                        sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(1));
                    } else {
                        tracing::debug!(%error, "accept failed");
                    }
                }
            }
        }
        drop(listener);
        shared.draining.cancel();
        tracker.close();
        let open = shared.gate.active();
        tracing::info!(
            sessions = open,
            grace_secs = shared.settings.shutdown_grace.as_secs(),
            "shutting down"
        );
        if timeout(shared.settings.shutdown_grace, tracker.wait())
            .await
            .is_err()
        {
            tracing::info!(
                sessions = shared.gate.active(),
                "grace period over; closing sessions"
            );
            shared.abort.cancel();
            let _ = timeout(Duration::from_secs(5), tracker.wait()).await;
        }
        Ok(())
    }
}

/// True for accept errors that mean "out of descriptors or memory": retrying at once would
/// spin, so the loop sleeps instead.
fn is_resource_exhaustion(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EMFILE) | Some(libc::ENFILE) | Some(libc::ENOBUFS) | Some(libc::ENOMEM)
    )
}

/// Decrements the open-connection gauge when a connection task ends, however it ends.
struct OpenConnection(Arc<Metrics>);

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.connections_open.fetch_sub(1, Ordering::Relaxed);
    }
}

async fn connection(
    shared: Arc<Shared>,
    tcp: TcpStream,
    peer: SocketAddr,
    tls: Option<TlsAcceptor>,
) {
    shared
        .metrics
        .connections_open
        .fetch_add(1, Ordering::Relaxed);
    let _open = OpenConnection(Arc::clone(&shared.metrics));
    let _ = tcp.set_nodelay(true);
    match tls {
        None => serve_http(shared, tcp, peer, false).await,
        Some(acceptor) => {
            match timeout(shared.settings.header_timeout, acceptor.accept(tcp)).await {
                // Boxed: a TLS stream is large, and plain connections should not pay for it.
                Ok(Ok(stream)) => Box::pin(serve_http(shared, stream, peer, true)).await,
                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        }
    }
}

/// The client address limits are counted against: the peer, or the proxy's header when the
/// peer is a loopback proxy and `--real-ip-header` is set.
fn client_ip(shared: &Shared, peer: SocketAddr, head: &RequestHead) -> IpAddr {
    if shared.settings.real_ip_header.is_some() && peer.ip().is_loopback() {
        if let Some(ip) = head
            .real_ip
            .as_deref()
            .and_then(|value| value.split(',').next_back())
            .and_then(|value| value.trim().parse().ok())
        {
            return ip;
        }
    }
    peer.ip()
}

/// Serves requests on one connection until it closes, asks to close, or upgrades.
async fn serve_http<S>(shared: Arc<Shared>, mut stream: S, peer: SocketAddr, tls: bool)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut buf = Vec::new();
    loop {
        let read = tokio::select! {
            read = timeout(shared.settings.header_timeout, read_head(&mut stream, &mut buf, shared.settings.real_ip_header.as_deref())) => read,
            _ = shared.draining.cancelled(), if buf.is_empty() => return,
        };
        let (head, used) = match read {
            Ok(Ok(Some(parsed))) => parsed,
            Ok(Ok(None)) | Ok(Err(ReadHeadError::Io(_))) => return,
            Ok(Err(ReadHeadError::Request(error))) => {
                let mut refusal = Refusal::new(RefusalReason::BadRequest, error.to_string());
                if error == RequestError::TooLarge {
                    refusal = refusal.with_status(431);
                }
                let (status, body) = (refusal.status, refusal.body());
                let _ =
                    write_response(&mut stream, &Response::json(status, body), false, false).await;
                linger_close(&mut stream).await;
                return;
            }
            Err(_) => return,
        };
        shared.metrics.http_requests.fetch_add(1, Ordering::Relaxed);
        if head.path == TCP_PATH {
            let client = client_ip(&shared, peer, &head);
            let leftover = buf.split_off(used);
            drop(buf);
            session::handle(shared, stream, head, leftover, client, tls).await;
            return;
        }
        let keep_alive = head.wants_keep_alive() && !shared.draining.is_cancelled();
        // Boxed: static file serving is rare per connection and should not enlarge every
        // session's task.
        let response = Box::pin(route(&shared, &head)).await;
        let head_only = head.method == "HEAD";
        if write_response(&mut stream, &response, head_only, keep_alive)
            .await
            .is_err()
            || !keep_alive
        {
            let _ = stream.shutdown().await;
            return;
        }
        buf.drain(..used);
        if buf.is_empty() {
            // Give back what a large request head grew, so idle keep-alive connections stay small.
            buf = Vec::new();
        }
    }
}

/// Everything other than `/v1/tcp`.
async fn route(shared: &Shared, head: &RequestHead) -> Response {
    if head.method != "GET" && head.method != "HEAD" {
        return Response::json(
            405,
            r#"{"error":"method_not_allowed","detail":"GET and HEAD only"}"#.into(),
        )
        .with_header("Allow", "GET, HEAD");
    }
    match head.path.as_str() {
        HEALTH_PATH => Response::new(200, "text/plain; charset=utf-8", "ok\n"),
        "/metrics" => Response::new(
            200,
            "text/plain; version=0.0.4; charset=utf-8",
            shared.metrics.render(),
        ),
        _ => match &shared.statics {
            Some(statics) => statics.respond(head).await,
            None => Response::new(404, "text/plain; charset=utf-8", "not found\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every open session is one task, so its future's size is memory per idle session. A
    /// TLS stream or a static-file read held inline would add kilobytes to every session; this
    /// guards against that coming back.
    #[test]
    fn per_connection_tasks_stay_small() {
        let settings = Settings::try_from(crate::Config::default()).unwrap();
        let shared = Arc::new(Shared {
            settings,
            resolver: Arc::new(crate::TableResolver::new()),
            gate: Gate::new(1, 1, 1),
            metrics: Arc::new(Metrics::default()),
            statics: None,
            draining: CancellationToken::new(),
            abort: CancellationToken::new(),
        });
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let tcp = TcpStream::connect(listener.local_addr().unwrap())
                .await
                .unwrap();
            let peer = tcp.local_addr().unwrap();
            let task = connection(Arc::clone(&shared), tcp, peer, None);
            let size = std::mem::size_of_val(&task);
            println!("connection task: {size} bytes");
            assert!(size < 8 * 1024, "a connection task takes {size} bytes");
        });
    }
}
