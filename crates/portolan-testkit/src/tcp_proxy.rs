//! A TCP forwarder on loopback that makes connections come from 127.0.0.2 and can hold every
//! chunk for a fixed time: the stand-in for a client on another machine, far away.
//!
//! Dovecot treats a connection whose source address equals its own as secure and offers
//! plaintext logins before STARTTLS (recipe mail-servers.md); connecting from 127.0.0.2
//! shows what a remote client really sees. The delay is added once in each direction, so a
//! round trip grows by twice the delay. The TCP handshake with the proxy itself is completed
//! by the kernel and is not delayed: a connect returns at once, and only data is held.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use socket2::{Domain, Protocol, Socket, Type};

use crate::{io, TestkitError};

/// The address every forwarded connection comes from.
pub const PROXY_SOURCE: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

/// How long the proxy waits for the upstream server to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A running forwarder from `127.0.0.1:port` to `127.0.0.1:upstream`; dropping it stops
/// accepting and closes every connection it carries.
pub struct TcpProxy {
    /// The port clients connect to.
    pub port: u16,
    /// The port connections are forwarded to.
    pub upstream: u16,
    stop: Arc<AtomicBool>,
    connections: Connections,
}

/// The open connections (both sockets of each), so dropping the proxy can close them.
type Connections = Arc<Mutex<HashMap<u64, [TcpStream; 2]>>>;

/// Where a proxy listens and what it does besides forwarding.
#[derive(Debug, Clone, Default)]
pub struct ProxyOptions {
    /// The port to listen on (on 127.0.0.1); a free one when `None`. A fixed port stands in
    /// for a server on its standard port (993, 465), as guessed servers are.
    pub listen: Option<u16>,
    /// Added one-way delay per direction.
    pub delay: Option<Duration>,
    /// Appends every byte forwarded to `RECORD.up` (towards the server) and `RECORD.down`
    /// (towards the client): what a test inspects to prove what did, and did not, cross.
    pub record: Option<std::path::PathBuf>,
}

/// The open files a recording proxy appends to.
#[derive(Clone)]
struct Recorder {
    up: Arc<Mutex<std::fs::File>>,
    down: Arc<Mutex<std::fs::File>>,
}

impl Recorder {
    fn open(base: &std::path::Path) -> Result<Recorder, TestkitError> {
        let file = |suffix: &str| {
            let path = base.with_extension(suffix);
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .map(|file| Arc::new(Mutex::new(file)))
                .map_err(io(format!("open {}", path.display())))
        };
        Ok(Recorder {
            up: file("up")?,
            down: file("down")?,
        })
    }
}

/// Appends `bytes` to a recording, if there is one.
fn note(record: Option<&Arc<Mutex<std::fs::File>>>, bytes: &[u8]) {
    if let Some(file) = record {
        if let Ok(mut file) = file.lock() {
            let _ = file.write_all(bytes);
        }
    }
}

impl TcpProxy {
    /// Listens on a free loopback port and forwards each connection to `upstream` on
    /// 127.0.0.1, from source address [`PROXY_SOURCE`]. With a `delay`, every chunk read in
    /// either direction is written on only after `delay` has passed (one way, per direction;
    /// order and throughput are kept).
    pub fn start(upstream: u16, delay: Option<Duration>) -> Result<TcpProxy, TestkitError> {
        TcpProxy::start_with(
            upstream,
            &ProxyOptions {
                delay,
                ..ProxyOptions::default()
            },
        )
    }

    /// As [`TcpProxy::start`], with the [`ProxyOptions`].
    pub fn start_with(upstream: u16, options: &ProxyOptions) -> Result<TcpProxy, TestkitError> {
        let delay = options.delay;
        let recorder = options.record.as_deref().map(Recorder::open).transpose()?;
        let listener =
            TcpListener::bind(("127.0.0.1", options.listen.unwrap_or(0))).map_err(io(format!(
                "bind the TCP proxy{}",
                options
                    .listen
                    .map(|port| format!(" to 127.0.0.1:{port}"))
                    .unwrap_or_default()
            )))?;
        let port = listener
            .local_addr()
            .map_err(io("read the TCP proxy's address"))?
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Connections = Arc::default();
        let accepting = Accepting {
            upstream: SocketAddr::from((Ipv4Addr::LOCALHOST, upstream)),
            delay,
            recorder,
            stop: stop.clone(),
            connections: connections.clone(),
        };
        std::thread::spawn(move || accepting.run(listener));
        Ok(TcpProxy {
            port,
            upstream,
            stop,
            connections,
        })
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The accept loop blocks in accept(): one more connection wakes it to see the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Ok(connections) = self.connections.lock() {
            for streams in connections.values() {
                for stream in streams {
                    let _ = stream.shutdown(Shutdown::Both);
                }
            }
        }
    }
}

/// What the accept loop needs.
struct Accepting {
    upstream: SocketAddr,
    delay: Option<Duration>,
    recorder: Option<Recorder>,
    stop: Arc<AtomicBool>,
    connections: Connections,
}

impl Accepting {
    fn run(self, listener: TcpListener) {
        let ids = AtomicU64::new(0);
        for client in listener.incoming() {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(client) = client else {
                continue;
            };
            let id = ids.fetch_add(1, Ordering::Relaxed);
            let upstream = self.upstream;
            let delay = self.delay;
            let recorder = self.recorder.clone();
            let connections = self.connections.clone();
            let stop = self.stop.clone();
            std::thread::spawn(move || {
                carry(id, client, upstream, delay, recorder, &connections, &stop)
            });
        }
    }
}

/// Connects upstream from [`PROXY_SOURCE`] and pumps both directions until both are done.
/// When the upstream connection fails the client is simply closed, as a refused connection
/// would look to it after the fact.
fn carry(
    id: u64,
    client: TcpStream,
    upstream: SocketAddr,
    delay: Option<Duration>,
    recorder: Option<Recorder>,
    connections: &Connections,
    stop: &AtomicBool,
) {
    let Ok(server) = connect_from_source(upstream) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(client_copy), Ok(server_copy)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    if let Ok(mut open) = connections.lock() {
        open.insert(id, [client_copy, server_copy]);
    }
    // A proxy dropped while this connection was being set up has already closed the others.
    if stop.load(Ordering::SeqCst) {
        forget(id, connections);
        return abort(&client, &server);
    }
    let (Ok(client_reader), Ok(server_reader)) = (client.try_clone(), server.try_clone()) else {
        forget(id, connections);
        return;
    };
    let (up, down) = match recorder {
        Some(recorder) => (Some(recorder.up), Some(recorder.down)),
        None => (None, None),
    };
    let upward = std::thread::spawn(move || pump(client_reader, server, delay, up));
    pump(server_reader, client, delay, down);
    let _ = upward.join();
    forget(id, connections);
}

fn forget(id: u64, connections: &Connections) {
    if let Ok(mut open) = connections.lock() {
        open.remove(&id);
    }
}

/// A TCP connection to `upstream` whose local address is [`PROXY_SOURCE`].
fn connect_from_source(upstream: SocketAddr) -> std::io::Result<TcpStream> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    socket.bind(&SocketAddr::from((PROXY_SOURCE, 0)).into())?;
    socket.connect_timeout(&upstream.into(), CONNECT_TIMEOUT)?;
    Ok(socket.into())
}

/// Copies `from` to `to` until `from` ends, then passes the end on (a half close). A failed
/// read or write closes both sockets, which ends the other direction too.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    delay: Option<Duration>,
    record: Option<Arc<Mutex<std::fs::File>>>,
) {
    let Some(delay) = delay else {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            match from.read(&mut buffer) {
                Ok(0) => return end(&to),
                Ok(length) => {
                    note(record.as_ref(), &buffer[..length]);
                    if to.write_all(&buffer[..length]).is_err() {
                        return abort(&from, &to);
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return abort(&from, &to),
            }
        }
    };
    // Reading goes on in its own thread, so that a chunk held back does not hold back the
    // chunks behind it: each one leaves `delay` after it arrived, in order.
    let (chunks, due) = mpsc::channel::<(Instant, Option<Vec<u8>>)>();
    let Ok(mut reader) = from.try_clone() else {
        return abort(&from, &to);
    };
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16 * 1024];
        loop {
            let chunk = match reader.read(&mut buffer) {
                Ok(0) | Err(_) => None,
                Ok(length) => Some(buffer[..length].to_vec()),
            };
            let ended = chunk.is_none();
            if chunks.send((Instant::now() + delay, chunk)).is_err() || ended {
                return;
            }
        }
    });
    for (at, chunk) in due {
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
        match chunk {
            Some(bytes) => {
                note(record.as_ref(), &bytes);
                if to.write_all(&bytes).is_err() {
                    return abort(&from, &to);
                }
            }
            None => return end(&to),
        }
    }
}

/// The reading side ended cleanly: pass the end of stream on.
fn end(to: &TcpStream) {
    let _ = to.shutdown(Shutdown::Write);
}

/// Something failed: close both sockets.
fn abort(from: &TcpStream, to: &TcpStream) {
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An upstream that records each peer address and echoes what it reads, upper-cased.
    fn echo_upstream() -> (u16, mpsc::Receiver<SocketAddr>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind upstream");
        let port = listener.local_addr().expect("address").port();
        let (peers, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = peers.send(stream.peer_addr().expect("peer"));
                std::thread::spawn(move || {
                    let mut stream = stream;
                    let mut buffer = [0u8; 1024];
                    while let Ok(length) = stream.read(&mut buffer) {
                        if length == 0 {
                            break;
                        }
                        let upper = buffer[..length].to_ascii_uppercase();
                        if stream.write_all(&upper).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        (port, seen)
    }

    fn round_trip(stream: &mut TcpStream, text: &[u8]) -> Vec<u8> {
        stream.write_all(text).expect("write");
        let mut answer = vec![0u8; text.len()];
        stream.read_exact(&mut answer).expect("read the answer");
        answer
    }

    #[test]
    fn carries_bytes_both_ways_from_the_second_loopback_address() {
        let (upstream, seen) = echo_upstream();
        let proxy = TcpProxy::start(upstream, None).expect("proxy starts");
        let mut stream = TcpStream::connect(("127.0.0.1", proxy.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        assert_eq!(
            round_trip(&mut stream, b"hello proxy\r\n"),
            b"HELLO PROXY\r\n"
        );
        let peer = seen
            .recv_timeout(Duration::from_secs(5))
            .expect("upstream saw a connection");
        assert_eq!(peer.ip(), std::net::IpAddr::V4(PROXY_SOURCE));
        assert_ne!(peer.ip(), stream.local_addr().expect("local").ip());
    }

    #[test]
    fn delays_each_direction_by_the_given_time() {
        let (upstream, _seen) = echo_upstream();
        let delay = Duration::from_millis(50);
        let proxy = TcpProxy::start(upstream, Some(delay)).expect("proxy starts");
        let mut stream = TcpStream::connect(("127.0.0.1", proxy.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        // The first round trip also pays for the upstream connection; time the second.
        assert_eq!(round_trip(&mut stream, b"one"), b"ONE");
        let started = Instant::now();
        assert_eq!(round_trip(&mut stream, b"two"), b"TWO");
        let elapsed = started.elapsed();
        assert!(
            elapsed >= 2 * delay,
            "a round trip takes two delays ({elapsed:?})"
        );
        assert!(
            elapsed < 2 * delay + Duration::from_millis(500),
            "and not much more ({elapsed:?})"
        );
    }

    #[test]
    fn dropping_the_proxy_closes_its_connections() {
        let (upstream, _seen) = echo_upstream();
        let proxy = TcpProxy::start(upstream, None).expect("proxy starts");
        let mut stream = TcpStream::connect(("127.0.0.1", proxy.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        assert_eq!(round_trip(&mut stream, b"x"), b"X");
        let port = proxy.port;
        drop(proxy);
        let mut buffer = [0u8; 1];
        let read = stream.read(&mut buffer);
        assert!(
            matches!(read, Ok(0) | Err(_)),
            "the connection is closed: {read:?}"
        );
        // Nothing accepts on the port any more (the listener went with the accept thread).
        std::thread::sleep(Duration::from_millis(100));
        assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    }

    #[test]
    fn a_recording_proxy_keeps_each_direction() {
        let (upstream, _) = echo_upstream();
        let dir = crate::TempDir::new("portolan-proxy-record").expect("a temp dir");
        let record = dir.path().join("session");
        let proxy = TcpProxy::start_with(
            upstream,
            &ProxyOptions {
                record: Some(record.clone()),
                ..ProxyOptions::default()
            },
        )
        .expect("proxy starts");
        let mut client = TcpStream::connect(("127.0.0.1", proxy.port)).expect("connect");
        assert_eq!(round_trip(&mut client, b"secret?"), b"SECRET?");
        drop(client);
        drop(proxy);
        let up = std::fs::read(record.with_extension("up")).expect("the up file");
        let down = std::fs::read(record.with_extension("down")).expect("the down file");
        assert_eq!(up, b"secret?");
        assert_eq!(down, b"SECRET?");
    }
}
