//! One `/v1/tcp` session: admission at the handshake (policy, limits, resolution), the
//! WebSocket upgrade, then a blind byte pump between the WebSocket and a vetted TCP address.
//!
//! Nothing here looks inside the bytes it carries, and nothing logs them.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant as StdInstant;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use crate::http::{linger_close, write_response, Response};
use crate::limits::{LimitRefusal, SessionPermit};
use portolan_relay_wire::{close_reason, CloseCode as WireClose, RefusalReason};

use crate::policy::{self, Refusal};
use crate::request::{parse_target, RequestHead, TargetHost};
use crate::server::Shared;

/// The most bytes read from the target at once, i.e. the largest frame sent to the browser.
const TCP_CHUNK: usize = 64 * 1024;
/// The WebSocket read buffer: small, so an idle session costs little.
const WS_READ_BUFFER: usize = 4 * 1024;

/// Everything admission produced: the slot, the addresses to try, and what was asked for.
struct Admitted {
    _permit: SessionPermit,
    /// Vetted addresses, tried in order.
    targets: Vec<SocketAddr>,
    host: String,
}

/// Handles a request for `/v1/tcp` on an accepted connection; `leftover` holds any bytes read
/// after the request head.
pub(crate) async fn handle<S>(
    shared: Arc<Shared>,
    mut stream: S,
    head: RequestHead,
    leftover: Vec<u8>,
    client: IpAddr,
    tls: bool,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let admitted = match admit(&shared, &head, client, tls).await {
        Ok(admitted) => admitted,
        Err(refusal) => {
            shared.metrics.refused(refusal.reason.as_str());
            tracing::info!(%client, reason = refusal.reason.as_str(), detail = %refusal.detail, "session refused");
            let mut response = Response::json(refusal.status, refusal.body());
            if refusal.reason == RefusalReason::NotWebsocket {
                response = response.with_header("Upgrade", "websocket");
            }
            let _ = write_response(&mut stream, &response, false, false).await;
            linger_close(&mut stream).await;
            return;
        }
    };
    let key = head.websocket_key.as_deref().unwrap_or("").trim();
    let accept = derive_accept_key(key.as_bytes());
    let upgrade = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if stream.write_all(upgrade.as_bytes()).await.is_err() || stream.flush().await.is_err() {
        shared.metrics.ended("client_gone");
        return;
    }
    let config = ws_config(shared.settings.max_message_bytes);
    let ws =
        WebSocketStream::from_partially_read(stream, leftover, Role::Server, Some(config)).await;
    shared
        .metrics
        .sessions_started
        .fetch_add(1, Ordering::Relaxed);
    shared
        .metrics
        .sessions_active
        .fetch_add(1, Ordering::Relaxed);
    tracing::info!(%client, host = %admitted.host, targets = ?admitted.targets, "session open");
    let started = StdInstant::now();
    let report = run(&shared, ws, &admitted.targets).await;
    shared
        .metrics
        .sessions_active
        .fetch_sub(1, Ordering::Relaxed);
    shared.metrics.ended(report.end.cause());
    tracing::info!(
        %client,
        target = ?report.connected,
        cause = report.end.cause(),
        bytes_up = report.up,
        bytes_down = report.down,
        millis = started.elapsed().as_millis() as u64,
        "session closed"
    );
}

/// The WebSocket limits: small message and frame caps, small buffers, eager writes.
pub fn ws_config(max_message_bytes: usize) -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(WS_READ_BUFFER)
        .write_buffer_size(0)
        .max_write_buffer_size(TCP_CHUNK * 4)
        .max_message_size(Some(max_message_bytes))
        .max_frame_size(Some(max_message_bytes))
}

/// Applies every rule that can refuse a session, cheapest first, before connecting anywhere.
async fn admit(
    shared: &Shared,
    head: &RequestHead,
    client: IpAddr,
    tls: bool,
) -> Result<Admitted, Refusal> {
    let settings = &shared.settings;
    if !head.is_websocket_upgrade() {
        return Err(Refusal::new(
            RefusalReason::NotWebsocket,
            "this endpoint speaks WebSocket only",
        ));
    }
    if shared.draining.is_cancelled() {
        return Err(Refusal::new(
            RefusalReason::ShuttingDown,
            "the relay is shutting down",
        ));
    }
    policy::check_origin(settings, head, tls)?;
    let target = parse_target(head.query.as_deref().unwrap_or(""))
        .map_err(|error| Refusal::new(RefusalReason::BadRequest, error.to_string()))?;
    policy::check_port(settings, target.port)?;
    if let TargetHost::Ip(ip) = &target.host {
        policy::choose_addresses(settings, &[*ip])?;
    }
    let permit = shared
        .gate
        .admit(client, StdInstant::now())
        .map_err(|refusal| match refusal {
            LimitRefusal::TotalSessions => Refusal::new(
                RefusalReason::TooManySessions,
                "the relay is busy; try again shortly",
            ),
            LimitRefusal::SessionsPerClient => Refusal::new(
                RefusalReason::TooManySessionsFromClient,
                "too many sessions open from your address",
            ),
            LimitRefusal::Rate => Refusal::new(
                RefusalReason::RateLimited,
                "too many new sessions from your address",
            ),
        })?;
    let addrs = match &target.host {
        TargetHost::Ip(ip) => vec![*ip],
        TargetHost::Name(name) => {
            match timeout(settings.connect_timeout, shared.resolver.resolve(name)).await {
                Ok(Ok(addrs)) => addrs,
                Ok(Err(_)) => {
                    return Err(Refusal::new(
                        RefusalReason::ResolveFailed,
                        "the name did not resolve",
                    ))
                }
                Err(_) => {
                    return Err(Refusal::new(
                        RefusalReason::ResolveFailed,
                        "resolving the name timed out",
                    ))
                }
            }
        }
    };
    let targets = policy::choose_addresses(settings, &addrs)?
        .into_iter()
        .map(|ip| SocketAddr::new(ip, target.port))
        .collect();
    Ok(Admitted {
        _permit: permit,
        targets,
        host: target.host.to_string(),
    })
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    TargetClosed,
    ClientClosed,
    ClientGone,
    ConnectFailed,
    ConnectTimeout,
    IdleTimeout,
    SessionTimeout,
    ByteCap,
    MessageTooBig,
    ProtocolError,
    TargetError,
    Shutdown,
}

impl End {
    /// The label used in logs and metrics (one of [`crate::metrics::END_CAUSES`]).
    fn cause(self) -> &'static str {
        match self {
            End::TargetClosed => "target_closed",
            End::ClientClosed => "client_closed",
            End::ClientGone => "client_gone",
            End::ConnectFailed => "connect_failed",
            End::ConnectTimeout => "connect_timeout",
            End::IdleTimeout => "idle_timeout",
            End::SessionTimeout => "session_timeout",
            End::ByteCap => "byte_cap",
            End::MessageTooBig => "message_too_big",
            End::ProtocolError => "protocol_error",
            End::TargetError => "target_error",
            End::Shutdown => "shutdown",
        }
    }

    /// The close code sent to the browser, if one is sent at all.
    fn close_code(self) -> Option<WireClose> {
        match self {
            End::TargetClosed => Some(WireClose::TargetClosed),
            End::ClientClosed | End::ClientGone => None,
            End::Shutdown => Some(WireClose::ShuttingDown),
            End::ProtocolError => Some(WireClose::TextFrame),
            End::MessageTooBig => Some(WireClose::MessageTooBig),
            End::ConnectFailed => Some(WireClose::ConnectFailed),
            End::ConnectTimeout => Some(WireClose::ConnectTimeout),
            End::IdleTimeout => Some(WireClose::IdleTimeout),
            End::SessionTimeout => Some(WireClose::SessionTimeout),
            End::ByteCap => Some(WireClose::ByteCap),
            End::TargetError => Some(WireClose::TargetError),
        }
    }

    /// The `detail` of the close reason. A failed connect says why instead (see
    /// `connect_error_detail`), and ends without a close frame need none.
    fn detail(self) -> &'static str {
        match self {
            End::TargetClosed => "the target closed the connection",
            End::ConnectTimeout => "connecting to the target timed out",
            End::IdleTimeout => "no traffic for too long",
            End::SessionTimeout => "the session lasted too long",
            End::ByteCap => "the session carried too many bytes",
            End::MessageTooBig => "message too big",
            End::ProtocolError => "binary messages only",
            End::TargetError => "the target connection failed",
            End::Shutdown => "the relay is shutting down",
            End::ConnectFailed | End::ClientClosed | End::ClientGone => "",
        }
    }
}

/// Bytes carried by a session and how it ended.
struct Report {
    end: End,
    up: u64,
    down: u64,
    /// The address the session was connected to, if any.
    connected: Option<SocketAddr>,
}

/// Tries the vetted addresses in order, each with a fair share of what is left of the connect
/// timeout. `Ok(Err(_))` carries the last connect error; `Err(())` means time ran out.
async fn connect_any(
    shared: &Shared,
    targets: &[SocketAddr],
) -> Result<io::Result<(TcpStream, SocketAddr)>, ()> {
    let deadline = Instant::now() + shared.settings.connect_timeout;
    let mut last_error = io::Error::new(io::ErrorKind::NotFound, "no address to connect to");
    for (index, target) in targets.iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(());
        }
        let share = left / (targets.len() - index) as u32;
        shared
            .metrics
            .connect_attempts
            .fetch_add(1, Ordering::Relaxed);
        match timeout(share, TcpStream::connect(target)).await {
            Ok(Ok(tcp)) => return Ok(Ok((tcp, *target))),
            Ok(Err(error)) => last_error = error,
            Err(_) if index + 1 == targets.len() => return Err(()),
            Err(_) => last_error = io::Error::new(io::ErrorKind::TimedOut, "connect timed out"),
        }
    }
    Ok(Err(last_error))
}

/// Connects to a vetted address and pumps bytes until one side ends or a limit is hit.
async fn run<S>(shared: &Shared, ws: WebSocketStream<S>, targets: &[SocketAddr]) -> Report
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let settings = &shared.settings;
    let (mut sink, mut stream) = ws.split();
    let start = Instant::now();
    let mut report = Report {
        end: End::TargetClosed,
        up: 0,
        down: 0,
        connected: None,
    };
    let connected = tokio::select! {
        connected = connect_any(shared, targets) => connected,
        _ = shared.abort.cancelled() => Ok(Err(io::ErrorKind::Interrupted.into())),
    };
    let tcp = match connected {
        Ok(Ok((tcp, target))) => {
            report.connected = Some(target);
            tcp
        }
        Ok(Err(error)) => {
            report.end = End::ConnectFailed;
            let detail = connect_error_detail(&error);
            close(&mut sink, report.end, detail).await;
            return report;
        }
        Err(_) => {
            report.end = End::ConnectTimeout;
            close(&mut sink, report.end, report.end.detail()).await;
            return report;
        }
    };
    let _ = tcp.set_nodelay(true);
    let activity = AtomicU64::new(0);
    let deadline = start + settings.max_session;
    let (mut up, mut down) = (0u64, 0u64);
    let end = tokio::select! {
        end = pump_up(shared, &mut stream, &tcp, &mut up, &activity, start) => end,
        end = pump_down(shared, &mut sink, &tcp, &mut down, &activity, start) => end,
        _ = idle(&activity, start, settings.idle_timeout) => End::IdleTimeout,
        _ = sleep_until(deadline) => End::SessionTimeout,
        _ = shared.abort.cancelled() => End::Shutdown,
    };
    report.end = end;
    report.up = up;
    report.down = down;
    drop(tcp);
    close(&mut sink, end, end.detail()).await;
    report
}

/// Sends the close frame for `end` (if any) and flushes, giving up after a short while: a
/// vanished client must not hold the task.
async fn close<Sink>(sink: &mut Sink, end: End, detail: &str)
where
    Sink: futures_util::Sink<Message, Error = WsError> + Unpin,
{
    let finish = async {
        if let Some(code) = end.close_code() {
            let frame = CloseFrame {
                code: CloseCode::from(code.code()),
                reason: close_reason(code, detail).into(),
            };
            let _ = sink.send(Message::Close(Some(frame))).await;
        }
        let _ = sink.close().await;
    };
    let _ = timeout(std::time::Duration::from_secs(2), finish).await;
}

fn connect_error_detail(error: &io::Error) -> &'static str {
    match error.kind() {
        io::ErrorKind::ConnectionRefused => "the target refused the connection",
        io::ErrorKind::Interrupted => "the relay is shutting down",
        _ => "the target could not be reached",
    }
}

fn touch(activity: &AtomicU64, start: Instant) {
    activity.store(start.elapsed().as_millis() as u64, Ordering::Relaxed);
}

/// Resolves when neither direction has moved for `limit`.
async fn idle(activity: &AtomicU64, start: Instant, limit: std::time::Duration) {
    loop {
        let last = start + std::time::Duration::from_millis(activity.load(Ordering::Relaxed));
        let deadline = last + limit;
        if Instant::now() >= deadline {
            return;
        }
        sleep_until(deadline).await;
    }
}

/// Browser to target.
async fn pump_up<St>(
    shared: &Shared,
    stream: &mut St,
    tcp: &TcpStream,
    total: &mut u64,
    activity: &AtomicU64,
    start: Instant,
) -> End
where
    St: futures_util::Stream<Item = Result<Message, WsError>> + Unpin,
{
    loop {
        let message = match stream.next().await {
            None => return End::ClientGone,
            Some(Ok(message)) => message,
            Some(Err(WsError::Capacity(_))) => return End::MessageTooBig,
            Some(Err(WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake))) => {
                return End::ClientGone
            }
            Some(Err(WsError::Protocol(_))) => return End::ProtocolError,
            Some(Err(_)) => return End::ClientGone,
        };
        touch(activity, start);
        match message {
            Message::Binary(data) => {
                let len = data.len() as u64;
                if *total + len > shared.settings.max_bytes_up {
                    return End::ByteCap;
                }
                if write_all(tcp, &data).await.is_err() {
                    return End::TargetError;
                }
                *total += len;
                shared.metrics.bytes_up.fetch_add(len, Ordering::Relaxed);
            }
            Message::Text(_) => return End::ProtocolError,
            Message::Close(_) => return End::ClientClosed,
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => {}
        }
    }
}

/// Target to browser.
async fn pump_down<Si>(
    shared: &Shared,
    sink: &mut Si,
    tcp: &TcpStream,
    total: &mut u64,
    activity: &AtomicU64,
    start: Instant,
) -> End
where
    Si: futures_util::Sink<Message, Error = WsError> + Unpin,
{
    loop {
        if tcp.readable().await.is_err() {
            return End::TargetError;
        }
        let chunk = match read_chunk(tcp) {
            Ok(Some(chunk)) => chunk,
            Ok(None) => continue,
            Err(_) => return End::TargetError,
        };
        if chunk.is_empty() {
            return End::TargetClosed;
        }
        touch(activity, start);
        let len = chunk.len() as u64;
        if *total + len > shared.settings.max_bytes_down {
            return End::ByteCap;
        }
        if sink.send(Message::Binary(chunk)).await.is_err() {
            return End::ClientGone;
        }
        *total += len;
        shared.metrics.bytes_down.fetch_add(len, Ordering::Relaxed);
    }
}

/// Reads what the target has sent into a stack buffer and copies out exactly that much, so an
/// idle session holds no read buffer. `Ok(None)` when nothing was ready after all.
#[inline(never)]
fn read_chunk(tcp: &TcpStream) -> io::Result<Option<Bytes>> {
    let mut buf = [0u8; TCP_CHUNK];
    match tcp.try_read(&mut buf) {
        Ok(read) => Ok(Some(Bytes::copy_from_slice(&buf[..read]))),
        Err(error) if error.kind() == io::ErrorKind::WouldBlock => Ok(None),
        Err(error) => Err(error),
    }
}

/// Writes all of `data` to the target through a shared reference, so both directions can use
/// the one socket without splitting it.
async fn write_all(tcp: &TcpStream, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        tcp.writable().await?;
        match tcp.try_write(data) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => data = &data[written..],
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The close reason's `error` is the wire contract's name for the code, and the relay's
    /// metrics and logs use the same word for the same end.
    #[test]
    fn every_close_code_is_the_wire_contracts_with_the_same_name() {
        let ends = [
            End::TargetClosed,
            End::ClientClosed,
            End::ClientGone,
            End::ConnectFailed,
            End::ConnectTimeout,
            End::IdleTimeout,
            End::SessionTimeout,
            End::ByteCap,
            End::MessageTooBig,
            End::ProtocolError,
            End::TargetError,
            End::Shutdown,
        ];
        let mut sent = Vec::new();
        for end in ends {
            assert!(crate::metrics::END_CAUSES.contains(&end.cause()));
            if let Some(code) = end.close_code() {
                assert_eq!(code.as_str(), end.cause(), "{end:?}");
                sent.push(code);
            }
        }
        sent.sort_by_key(|code| code.code());
        let mut all = WireClose::ALL.to_vec();
        all.sort_by_key(|code| code.code());
        assert_eq!(sent, all, "every wire close code is sent");
    }
}
