//! The byte pipes a probe runs over: a TCP connection of its own, or the relay's WebSocket
//! (`--relay`), which sends the very bytes the browser's probe worker sends, so the browser's
//! path can be exercised end to end from the command line. The relay's wire contract (URL,
//! refusals, close codes) comes from `portolan-relay-wire`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use portolan_relay_wire::{tcp_url, CloseCode, RefusalReason, DEFAULT_MAX_MESSAGE_BYTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How to reach mail servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// A TCP connection from this machine.
    Direct,
    /// Through the relay at this base URL (`ws://`, `wss://`, `http://` or `https://`).
    Relay(String),
}

/// What came out of the pipe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Data(Vec<u8>),
    /// The other side closed; through the relay, `connect_failed` says the relay never reached
    /// the server (so the server did not answer, rather than closed).
    Closed {
        connect_failed: Option<String>,
    },
}

/// An open pipe to one mail server.
pub enum Pipe {
    Tcp(TcpStream),
    Relay(Box<WebSocketStream<MaybeTlsStream<TcpStream>>>),
}

impl Pipe {
    /// Opens a pipe to `host:port`, giving up after `timeout`; the error in plain words.
    pub async fn open(
        transport: &Transport,
        host: &str,
        port: u16,
        timeout: Duration,
    ) -> Result<Pipe, String> {
        let opening = async {
            match transport {
                Transport::Direct => {
                    let bare = host
                        .strip_prefix('[')
                        .and_then(|inner| inner.strip_suffix(']'))
                        .unwrap_or(host);
                    let stream = TcpStream::connect((bare, port))
                        .await
                        .map_err(|error| connect_words(&error))?;
                    let _ = stream.set_nodelay(true);
                    Ok(Pipe::Tcp(stream))
                }
                Transport::Relay(relay) => {
                    let url = tcp_url(relay, host, port).map_err(|error| error.to_string())?;
                    let (stream, _) = tokio_tungstenite::connect_async_tls_with_config(
                        url.as_str(),
                        None,
                        true,
                        Some(tokio_tungstenite::Connector::Rustls(relay_tls()?)),
                    )
                    .await
                    .map_err(|error| relay_refusal(&error))?;
                    Ok(Pipe::Relay(Box::new(stream)))
                }
            }
        };
        match tokio::time::timeout(timeout, opening).await {
            Ok(opened) => opened,
            Err(_) => Err(format!("no connection within {} ms", timeout.as_millis())),
        }
    }

    /// Sends bytes; an error when the pipe is broken.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), String> {
        match self {
            Pipe::Tcp(stream) => stream
                .write_all(bytes)
                .await
                .map_err(|error| error.to_string()),
            Pipe::Relay(socket) => {
                for chunk in bytes.chunks(DEFAULT_MAX_MESSAGE_BYTES) {
                    socket
                        .send(Message::binary(chunk.to_vec()))
                        .await
                        .map_err(|error| error.to_string())?;
                }
                Ok(())
            }
        }
    }

    /// The next bytes from the server, or how the pipe closed.
    pub async fn receive(&mut self) -> Received {
        match self {
            Pipe::Tcp(stream) => {
                let mut buffer = vec![0u8; 16 * 1024];
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => Received::Closed {
                        connect_failed: None,
                    },
                    Ok(read) => {
                        buffer.truncate(read);
                        Received::Data(buffer)
                    }
                }
            }
            Pipe::Relay(socket) => loop {
                match socket.next().await {
                    Some(Ok(Message::Binary(bytes))) => return Received::Data(bytes.to_vec()),
                    Some(Ok(Message::Close(frame))) => {
                        let connect_failed = frame.and_then(|frame| {
                            let close = CloseCode::from_code(u16::from(frame.code))?;
                            close.is_connect_failure().then(|| {
                                format!("through the relay: {} ({})", close.meaning(), frame.reason)
                            })
                        });
                        return Received::Closed { connect_failed };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => {
                        return Received::Closed {
                            connect_failed: None,
                        }
                    }
                }
            },
        }
    }

    /// Closes the pipe (after flushing what was sent).
    pub async fn close(&mut self) {
        match self {
            Pipe::Tcp(stream) => {
                let _ = stream.shutdown().await;
            }
            Pipe::Relay(socket) => {
                let _ =
                    tokio::time::timeout(Duration::from_secs(1), SinkExt::close(socket.as_mut()))
                        .await;
            }
        }
    }
}

/// A connect error in plain words.
fn connect_words(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "the connection was refused".into(),
        std::io::ErrorKind::TimedOut => "connecting timed out".into(),
        _ => error.to_string(),
    }
}

/// Why the relay did not open the session, in plain words, from its refusal body when it sent
/// one.
fn relay_refusal(error: &tungstenite::Error) -> String {
    let tungstenite::Error::Http(response) = error else {
        return format!("the relay could not be reached: {error}");
    };
    let status = response.status().as_u16();
    let body: Option<serde_json::Value> = response
        .body()
        .as_deref()
        .and_then(|body| serde_json::from_slice(body).ok());
    let reason = body
        .as_ref()
        .and_then(|body| body.get("error")?.as_str())
        .and_then(RefusalReason::from_name);
    let detail = body
        .as_ref()
        .and_then(|body| body.get("detail")?.as_str())
        .unwrap_or_default()
        .to_owned();
    match reason {
        Some(reason) => format!(
            "the relay refused ({}): {}: {detail}",
            reason.as_str(),
            reason.meaning()
        ),
        // Without a readable body, the status still narrows it down.
        None => {
            let meanings: Vec<&str> = RefusalReason::ALL
                .into_iter()
                .filter(|reason| reason.status() == status)
                .map(RefusalReason::meaning)
                .collect();
            if meanings.is_empty() {
                format!("the relay answered HTTP {status}")
            } else {
                format!(
                    "the relay refused (HTTP {status}): {}",
                    meanings.join("; or ")
                )
            }
        }
    }
}

/// TLS for `wss://` relays: the webpki roots, ring.
fn relay_tls() -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|error| format!("TLS for the relay could not be set up: {error}"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}
