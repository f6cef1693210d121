//! Helpers shared by the relay's integration tests: an in-process relay, a loopback echo
//! server that counts connects, a WebSocket client, raw HTTP, and the loopback-only network
//! namespace re-exec.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use portolan_relay::metrics::Metrics;
use portolan_relay::{Config, Relay, Resolver, Settings, TableResolver};
use portolan_testkit::netns::{self, WithoutNamespace};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// Settings from command-line style flags.
pub fn settings(args: &[&str]) -> Settings {
    use clap::Parser;
    let mut all = vec!["portolan-relay", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    Settings::try_from(Config::try_parse_from(all).unwrap()).unwrap()
}

/// A relay running in this process.
pub struct TestRelay {
    pub addr: SocketAddr,
    pub metrics: Arc<Metrics>,
    stop: Option<oneshot::Sender<()>>,
    pub task: Option<JoinHandle<()>>,
}

impl TestRelay {
    pub async fn start(settings: Settings, resolver: Arc<dyn Resolver>) -> TestRelay {
        let relay = Relay::bind(settings, resolver).await.unwrap();
        let addr = relay.local_addr();
        let metrics = relay.metrics();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            relay
                .run(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        TestRelay {
            addr,
            metrics,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A relay with command-line style flags and an empty name table (IP literals only).
    pub async fn with_flags(args: &[&str]) -> TestRelay {
        TestRelay::start(settings(args), Arc::new(TableResolver::new())).await
    }

    /// Stops accepting and waits for the relay to finish (grace period included).
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(30), task)
                .await
                .expect("relay did not stop in time")
                .unwrap();
        }
    }

    /// The `/v1/tcp` URL for a target.
    pub fn url(&self, host: &str, port: u16) -> String {
        format!("ws://{}/v1/tcp?host={host}&port={port}", self.addr)
    }
}

/// A loopback TCP server: echoes, or follows another behaviour, and counts accepted connects.
pub struct TestTarget {
    pub addr: SocketAddr,
    pub accepted: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

/// What a [`TestTarget`] does with each connection.
#[derive(Clone, Copy, Debug)]
pub enum Behaviour {
    /// Echo everything back.
    Echo,
    /// Send this many bytes at once, then wait for the peer to close.
    Flood(usize),
    /// Read a little, then reset the connection (SO_LINGER 0).
    ResetAfterRead,
    /// Accept and never send anything.
    Silent,
}

impl TestTarget {
    pub async fn start(behaviour: Behaviour) -> TestTarget {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve_target(stream, behaviour));
            }
        });
        TestTarget {
            addr,
            accepted,
            task,
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for TestTarget {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve_target(mut stream: TcpStream, behaviour: Behaviour) {
    let mut buf = vec![0u8; 16 * 1024];
    match behaviour {
        Behaviour::Echo => loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(read) => {
                    if stream.write_all(&buf[..read]).await.is_err() {
                        return;
                    }
                }
            }
        },
        Behaviour::Flood(bytes) => {
            let data = vec![0x5au8; bytes];
            let _ = stream.write_all(&data).await;
            while let Ok(read) = stream.read(&mut buf).await {
                if read == 0 {
                    return;
                }
            }
        }
        Behaviour::ResetAfterRead => {
            let _ = stream.read(&mut buf).await;
            #[allow(deprecated)]
            let _ = stream.set_linger(Some(Duration::ZERO));
            drop(stream);
        }
        Behaviour::Silent => {
            while let Ok(read) = stream.read(&mut buf).await {
                if read == 0 {
                    return;
                }
            }
        }
    }
}

/// A WebSocket client with the relay's own limits.
pub type Client = WebSocketStream<TcpStream>;

/// Opens a session; panics when the handshake fails.
pub async fn connect(url: &str) -> Client {
    try_connect(url, None).await.unwrap()
}

/// Opens a session with an optional Origin header.
pub async fn try_connect(
    url: &str,
    origin: Option<&str>,
) -> Result<Client, tokio_tungstenite::tungstenite::Error> {
    let mut request = url.into_client_request()?;
    if let Some(origin) = origin {
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
    }
    let authority = request.uri().authority().unwrap().to_string();
    let tcp = TcpStream::connect(authority).await?;
    let config = portolan_relay::ws_config(1 << 20);
    let (ws, _) = tokio_tungstenite::client_async_with_config(request, tcp, Some(config)).await?;
    Ok(ws)
}

/// Sends `data` and reads binary messages until as many bytes came back.
pub async fn echo(client: &mut Client, data: &[u8]) -> Vec<u8> {
    client
        .send(Message::Binary(data.to_vec().into()))
        .await
        .unwrap();
    let mut got = Vec::new();
    while got.len() < data.len() {
        match tokio::time::timeout(Duration::from_secs(10), client.next()).await {
            Ok(Some(Ok(Message::Binary(bytes)))) => got.extend_from_slice(&bytes),
            other => panic!("expected echoed bytes, got {other:?}"),
        }
    }
    got
}

/// Reads until the relay closes the session; returns the close code and reason.
pub async fn close_of(client: &mut Client) -> (u16, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(20), client.next()).await {
            Ok(Some(Ok(Message::Close(Some(CloseFrame { code, reason }))))) => {
                return (u16::from(code), reason.to_string())
            }
            Ok(Some(Ok(Message::Close(None)))) => return (1005, String::new()),
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    }
}

/// The status and body of a handshake the relay refused with an HTTP error.
pub fn refusal(error: tokio_tungstenite::tungstenite::Error) -> (u16, String) {
    match error {
        tokio_tungstenite::tungstenite::Error::Http(response) => {
            let body = String::from_utf8(response.body().clone().unwrap_or_default()).unwrap();
            (response.status().as_u16(), body)
        }
        other => panic!("expected an HTTP refusal, got {other:?}"),
    }
}

/// Polls `done` every 10 ms; panics naming `what` when it is still false after `within`.
pub async fn wait_until(what: &str, within: Duration, mut done: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + within;
    while !done() {
        if tokio::time::Instant::now() >= deadline {
            panic!("timed out waiting until {what}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// A raw HTTP exchange: sends `request` verbatim, reads to EOF, returns status and body.
pub async fn raw_http(addr: SocketAddr, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut response))
        .await
        .expect("response in time")
        .unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    (status, head.to_owned(), body.to_owned())
}

/// A WebSocket upgrade request for `/v1/tcp`, with extra header lines.
pub fn upgrade_request(query: &str, extra: &str) -> String {
    format!(
        "GET /v1/tcp?{query} HTTP/1.1\r\nHost: relay.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n"
    )
}

/// Open file descriptors of this process.
pub fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The `host:port` a relay binary announces on the first line of its stdout; the rest of the
/// stream stays with the caller.
pub fn announced_address(stdout: &mut impl std::io::BufRead) -> String {
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .expect("read the relay's first line");
    line.trim()
        .strip_prefix("portolan-relay listening on http://")
        .map(|rest| rest.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
}

/// Runs `test_name` inside a fresh loopback-only network namespace (portolan-testkit).
///
/// Returns `true` when the caller is already inside (run the test body now), `false` when the
/// test was run in a child (its result already asserted) or had to be skipped: the test names
/// non-loopback targets, so it never runs on the host network.
pub fn inside_loopback_netns(test_name: &str) -> bool {
    netns::enter(test_name, WithoutNamespace::Skip)
}
