//! Tiny loopback servers: a static HTTP responder that records requests, a listener that
//! accepts and never answers, and a port with nothing listening.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

/// A free TCP port on 127.0.0.1 (bound, then released).
pub fn free_port() -> u16 {
    portolan_testkit::free_port().expect("a free loopback port")
}

/// A port where nothing listens: connections are refused at once.
pub fn closed_port() -> u16 {
    free_port()
}

/// Accepts TCP connections and never sends a byte (a hung resolver). Counts connections.
pub struct Hanging {
    pub port: u16,
    pub connections: Arc<Mutex<usize>>,
}

impl Hanging {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let connections = Arc::new(Mutex::new(0));
        let counter = Arc::clone(&connections);
        thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            for stream in listener.incoming().flatten() {
                *counter.lock().expect("counter") += 1;
                held.push(stream);
            }
        });
        Hanging { port, connections }
    }

    pub fn url(&self, path: &str) -> String {
        url(self.port, path)
    }
}

/// Serves one body for every request (HTTP/1.1, `Connection: close`) and records each
/// request's first line.
pub struct StaticHttp {
    pub port: u16,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl StaticHttp {
    pub fn start(status: u16, content_type: &'static str, body: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for mut stream in listener.incoming().flatten() {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 65536 {
                    match stream.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => break,
                    }
                }
                let text = String::from_utf8_lossy(&head);
                let first = text.lines().next().unwrap_or_default().to_owned();
                // Read a request body if one was announced, so the client sees a clean close.
                let length = text
                    .lines()
                    .find_map(|line| {
                        let lower = line.to_ascii_lowercase();
                        lower
                            .strip_prefix("content-length:")
                            .and_then(|value| value.trim().parse::<usize>().ok())
                    })
                    .unwrap_or(0);
                let mut body_in = vec![0u8; length];
                let _ = stream.read_exact(&mut body_in);
                seen.lock().expect("requests").push(first);
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        StaticHttp { port, requests }
    }

    pub fn url(&self, path: &str) -> String {
        url(self.port, path)
    }
}

/// The plain-HTTP URL of `path` on 127.0.0.1 at `port`.
pub fn url(port: u16, path: &str) -> String {
    format!("http://127.0.0.1:{port}{path}")
}
