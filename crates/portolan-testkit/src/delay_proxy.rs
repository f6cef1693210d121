//! A UDP proxy on loopback that holds every DNS packet for a fixed time before passing it on:
//! the stand-in for a resolver one round trip away. (dnsdist's own delay actions only apply
//! to UDP clients, not to DNS-over-HTTPS.)

use std::net::{SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::{io, TestkitError};

/// A running delay proxy; stops when dropped.
pub(crate) struct DelayProxy {
    pub(crate) port: u16,
    stop: Arc<AtomicBool>,
}

impl DelayProxy {
    /// Listens on a free loopback UDP port and forwards each packet to `upstream` after
    /// `delay`, and the answer straight back.
    pub(crate) fn start(upstream: SocketAddr, delay: Duration) -> Result<DelayProxy, TestkitError> {
        let socket = UdpSocket::bind("127.0.0.1:0").map_err(io("bind the delay proxy"))?;
        socket
            .set_read_timeout(Some(Duration::from_millis(100)))
            .map_err(io("configure the delay proxy"))?;
        let port = socket
            .local_addr()
            .map_err(io("read the delay proxy's address"))?
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        std::thread::spawn(move || {
            let socket = Arc::new(socket);
            let mut buffer = [0u8; 4096];
            while !stopping.load(Ordering::Relaxed) {
                let Ok((length, client)) = socket.recv_from(&mut buffer) else {
                    continue;
                };
                let packet = buffer[..length].to_vec();
                let socket = socket.clone();
                std::thread::spawn(move || forward(&socket, client, upstream, &packet, delay));
            }
        });
        Ok(DelayProxy { port, stop })
    }
}

/// Waits, asks upstream on a socket of its own, and relays the answer to the client.
fn forward(
    socket: &UdpSocket,
    client: SocketAddr,
    upstream: SocketAddr,
    packet: &[u8],
    delay: Duration,
) {
    std::thread::sleep(delay);
    let Ok(outbound) = UdpSocket::bind("127.0.0.1:0") else {
        return;
    };
    let _ = outbound.set_read_timeout(Some(Duration::from_secs(3)));
    if outbound.send_to(packet, upstream).is_err() {
        return;
    }
    let mut answer = [0u8; 4096];
    if let Ok((length, _)) = outbound.recv_from(&mut answer) {
        let _ = socket.send_to(&answer[..length], client);
    }
}

impl Drop for DelayProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}
