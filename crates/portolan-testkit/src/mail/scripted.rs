//! [`ScriptedServer`]: small pure-Rust servers that misbehave on purpose, for the failure
//! paths of clients and probes: one that closes after its greeting, one that never says
//! anything, one that sends an endless line, one that sends gibberish, and the STARTTLS
//! command-injection server (CVE-2011-0411) next to its correct twin.
//!
//! Each serves any number of connections on a free loopback port, one thread per connection;
//! dropping the server stops accepting and closes every connection. TLS is rustls with a
//! certificate from a fresh test CA ([`ScriptedServer::ca_file`]).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use portolan_core::model::Protocol;

use super::certificates::{CertificateKind, KeyType, TestCa};
use crate::{io, TempDir, TestkitError};

/// How [`Script::EndlessLine`] stops at the latest, so a client that reads forever does not
/// keep a test running forever: 256 MiB.
pub const ENDLESS_LINE_LIMIT: usize = 256 * 1024 * 1024;
/// How many bytes [`Script::Gibberish`] sends.
pub const GIBBERISH_LENGTH: usize = 4096;
/// The longest command line the STARTTLS servers read; a longer one ends the connection.
const MAX_LINE: usize = 8 * 1024;

/// What a [`ScriptedServer`] does with each connection. `Protocol::Submission` stands for
/// SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Sends the protocol's greeting line, then closes the connection.
    CloseAfterGreeting(Protocol),
    /// Accepts and never sends anything; holds the connection until the client closes it or
    /// the server is dropped.
    Silent,
    /// Sends `220 ` and then `a` bytes without a line end, until the client hangs up (or
    /// [`ENDLESS_LINE_LIMIT`] bytes, or the server is dropped).
    EndlessLine,
    /// Sends [`GIBBERISH_LENGTH`] random-looking bytes that are no protocol (NULs, high bytes,
    /// no line structure), then holds the connection like [`Silent`](Self::Silent).
    Gibberish,
    /// A deliberately vulnerable server: it answers the greeting and the capabilities
    /// (SMTP: `EHLO` lists STARTTLS and AUTH PLAIN LOGIN; IMAP: `CAPABILITY IMAP4rev1
    /// STARTTLS LOGINDISABLED`; POP3: `CAPA` lists STLS), accepts STARTTLS/STLS, and keeps
    /// the plaintext bytes that came after that command in the same read: after the TLS
    /// handshake it answers them as commands, inside TLS (CVE-2011-0411). Inside TLS it
    /// answers EHLO/HELO, CAPABILITY, CAPA, NOOP, RSET, QUIT and LOGOUT; every reply names
    /// its command (`250 2.0.0 Ok: NOOP`), so a test can tell which command was answered.
    StarttlsInjection(Protocol),
    /// The same server, done right: whatever was buffered after STARTTLS is discarded
    /// before the handshake. The negative control for [`StarttlsInjection`](Self::StarttlsInjection).
    StarttlsCorrect(Protocol),
}

/// A running scripted server on 127.0.0.1; stops when dropped.
pub struct ScriptedServer {
    /// The port on 127.0.0.1.
    pub port: u16,
    /// The test CA that signed the certificate the STARTTLS scripts present (PEM).
    pub ca_file: PathBuf,
    /// The same CA, for building a rustls client that trusts it ([`super::client_config`]).
    pub ca: TestCa,
    stop: Arc<AtomicBool>,
    connections: Connections,
    _dir: TempDir,
}

/// The open connections, so dropping the server can close them.
type Connections = Arc<Mutex<HashMap<u64, TcpStream>>>;

impl ScriptedServer {
    /// Listens on a free loopback port and runs `script` on every connection.
    pub fn start(script: Script) -> Result<ScriptedServer, TestkitError> {
        let dir = TempDir::new("portolan-scripted")?;
        let ca = TestCa::generate()?;
        let ca_file = dir.path().join("ca.pem");
        ca.write(&ca_file)?;
        let tls = ca
            .issue(CertificateKind::Valid, KeyType::EcdsaP256)?
            .server_config()?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io("bind the scripted server"))?;
        let port = listener
            .local_addr()
            .map_err(io("read the scripted server's address"))?
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let connections: Connections = Arc::default();
        let accepting = Accepting {
            script,
            tls,
            stop: stop.clone(),
            connections: connections.clone(),
        };
        std::thread::spawn(move || accepting.run(listener));
        Ok(ScriptedServer {
            port,
            ca_file,
            ca,
            stop,
            connections,
            _dir: dir,
        })
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // The accept loop blocks in accept(): one more connection wakes it to see the flag.
        let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port));
        if let Ok(connections) = self.connections.lock() {
            for stream in connections.values() {
                let _ = stream.shutdown(Shutdown::Both);
            }
        }
    }
}

/// What the accept loop needs.
struct Accepting {
    script: Script,
    tls: Arc<rustls::ServerConfig>,
    stop: Arc<AtomicBool>,
    connections: Connections,
}

impl Accepting {
    fn run(self, listener: TcpListener) {
        let ids = AtomicU64::new(0);
        for stream in listener.incoming() {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            let Ok(stream) = stream else {
                continue;
            };
            let Ok(copy) = stream.try_clone() else {
                continue;
            };
            let id = ids.fetch_add(1, Ordering::Relaxed);
            if let Ok(mut open) = self.connections.lock() {
                open.insert(id, copy);
            }
            let script = self.script;
            let tls = self.tls.clone();
            let connections = self.connections.clone();
            std::thread::spawn(move || {
                serve(script, stream, tls);
                if let Ok(mut open) = connections.lock() {
                    open.remove(&id);
                }
            });
        }
    }
}

/// Runs `script` on one connection.
fn serve(script: Script, mut stream: TcpStream, tls: Arc<rustls::ServerConfig>) {
    let _ = stream.set_nodelay(true);
    match script {
        Script::CloseAfterGreeting(protocol) => {
            let _ = stream.write_all(greeting(protocol).as_bytes());
            let _ = stream.shutdown(Shutdown::Both);
        }
        Script::Silent => hold(&mut stream),
        Script::EndlessLine => endless_line(&mut stream),
        Script::Gibberish => {
            if stream.write_all(&gibberish()).is_ok() {
                hold(&mut stream);
            }
        }
        Script::StarttlsInjection(protocol) => {
            starttls_session(stream, protocol, tls, Buffered::Kept);
        }
        Script::StarttlsCorrect(protocol) => {
            starttls_session(stream, protocol, tls, Buffered::Discarded);
        }
    }
}

/// Reads and ignores everything until the client closes (or the server is dropped).
fn hold(stream: &mut TcpStream) {
    let mut buffer = [0u8; 4096];
    while matches!(stream.read(&mut buffer), Ok(length) if length > 0) {}
}

fn endless_line(stream: &mut TcpStream) {
    if stream.write_all(b"220 ").is_err() {
        return;
    }
    let chunk = [b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < ENDLESS_LINE_LIMIT && stream.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    let _ = stream.shutdown(Shutdown::Both);
}

/// The same bytes every time (xorshift), all byte values, no protocol in sight.
fn gibberish() -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    (0..GIBBERISH_LENGTH)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// The greeting line each protocol opens with.
fn greeting(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Submission => "220 localhost ESMTP Portolan scripted server\r\n",
        Protocol::Imap => "* OK Portolan scripted server ready\r\n",
        Protocol::Pop3 => "+OK Portolan scripted server ready\r\n",
    }
}

/// What happens to plaintext bytes that arrived after the STARTTLS command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Buffered {
    /// Kept and answered inside TLS: the CVE-2011-0411 bug.
    Kept,
    /// Thrown away before the handshake, as RFC 3207 §4.2 requires.
    Discarded,
}

/// A reply to one command line.
enum Reply {
    /// Send this and read the next command.
    Answer(String),
    /// Send this and start the TLS handshake.
    StartTls(String),
    /// Send this and close.
    Close(String),
}

fn starttls_session(
    mut plain: TcpStream,
    protocol: Protocol,
    tls: Arc<rustls::ServerConfig>,
    buffered: Buffered,
) {
    if plain.write_all(greeting(protocol).as_bytes()).is_err() {
        return;
    }
    let mut lines = Lines::default();
    loop {
        let Some(line) = lines.next(&mut plain) else {
            return;
        };
        match reply(protocol, &line, false) {
            Reply::Answer(text) => {
                if plain.write_all(text.as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Close(text) => {
                let _ = plain.write_all(text.as_bytes());
                return;
            }
            Reply::StartTls(text) => {
                if plain.write_all(text.as_bytes()).is_err() {
                    return;
                }
                break;
            }
        }
    }
    if buffered == Buffered::Discarded {
        lines.clear();
    }
    let Ok(connection) = rustls::ServerConnection::new(tls) else {
        return;
    };
    let mut secure = rustls::StreamOwned::new(connection, plain);
    while secure.conn.is_handshaking() {
        if secure.conn.complete_io(&mut secure.sock).is_err() {
            return;
        }
    }
    // From here on every command is answered inside TLS, the buffered ones (when kept) first.
    loop {
        let Some(line) = lines.next(&mut secure) else {
            return;
        };
        let (text, close) = match reply(protocol, &line, true) {
            Reply::Answer(text) | Reply::StartTls(text) => (text, false),
            Reply::Close(text) => (text, true),
        };
        if secure.write_all(text.as_bytes()).is_err() || secure.flush().is_err() {
            return;
        }
        if close {
            secure.conn.send_close_notify();
            let _ = secure.flush();
            return;
        }
    }
}

/// The reply to one command `line`, before TLS or inside it.
fn reply(protocol: Protocol, line: &str, in_tls: bool) -> Reply {
    match protocol {
        Protocol::Submission => smtp_reply(line, in_tls),
        Protocol::Imap => imap_reply(line, in_tls),
        Protocol::Pop3 => pop3_reply(line, in_tls),
    }
}

fn smtp_reply(line: &str, in_tls: bool) -> Reply {
    let verb = first_word(line).to_ascii_uppercase();
    let answer = |text: &str| Reply::Answer(format!("{text}\r\n"));
    match verb.as_str() {
        "EHLO" if in_tls => answer("250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME"),
        "EHLO" => answer("250-localhost\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME"),
        "HELO" => answer("250 localhost"),
        "STARTTLS" if in_tls => answer("554 5.5.1 Error: TLS already active"),
        "STARTTLS" => Reply::StartTls("220 2.0.0 Ready to start TLS\r\n".to_owned()),
        "NOOP" | "RSET" => answer(&format!("250 2.0.0 Ok: {verb}")),
        "QUIT" => Reply::Close("221 2.0.0 Bye\r\n".to_owned()),
        _ => answer("502 5.5.2 Error: command not recognized"),
    }
}

fn imap_reply(line: &str, in_tls: bool) -> Reply {
    let mut words = line.split_whitespace();
    let (Some(tag), Some(command)) = (words.next(), words.next()) else {
        return Reply::Answer("* BAD Missing tag or command\r\n".to_owned());
    };
    let command = command.to_ascii_uppercase();
    let tagged = |text: &str| Reply::Answer(format!("{tag} {text}\r\n"));
    match command.as_str() {
        "CAPABILITY" if in_tls => Reply::Answer(format!(
            "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN\r\n{tag} OK CAPABILITY completed\r\n"
        )),
        "CAPABILITY" => Reply::Answer(format!(
            "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n{tag} OK CAPABILITY completed\r\n"
        )),
        "STARTTLS" if in_tls => tagged("BAD TLS is already active"),
        "STARTTLS" => Reply::StartTls(format!("{tag} OK Begin TLS negotiation now\r\n")),
        "NOOP" => tagged("OK NOOP completed"),
        "LOGOUT" => Reply::Close(format!(
            "* BYE Logging out\r\n{tag} OK LOGOUT completed\r\n"
        )),
        _ => tagged(&format!("BAD Unknown command {command}")),
    }
}

fn pop3_reply(line: &str, in_tls: bool) -> Reply {
    let verb = first_word(line).to_ascii_uppercase();
    let answer = |text: &str| Reply::Answer(format!("{text}\r\n"));
    match verb.as_str() {
        "CAPA" if in_tls => {
            answer("+OK Capability list follows\r\nUSER\r\nSASL PLAIN LOGIN\r\nTOP\r\nUIDL\r\n.")
        }
        "CAPA" => answer("+OK Capability list follows\r\nSTLS\r\nTOP\r\nUIDL\r\n."),
        "STLS" if in_tls => answer("-ERR TLS already active"),
        "STLS" => Reply::StartTls("+OK Begin TLS negotiation\r\n".to_owned()),
        "NOOP" | "RSET" => answer(&format!("+OK {verb}")),
        "QUIT" => Reply::Close("+OK Bye\r\n".to_owned()),
        _ => answer("-ERR Unknown command"),
    }
}

fn first_word(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("")
}

/// Command lines read from a stream, with the bytes read past the last line kept: whether
/// they survive the switch to TLS is the whole difference between the two STARTTLS scripts.
#[derive(Default)]
struct Lines {
    buffer: Vec<u8>,
}

impl Lines {
    /// The next line without its line end; `None` when the stream ends or fails first, or
    /// the line grows past [`MAX_LINE`].
    fn next(&mut self, source: &mut impl Read) -> Option<String> {
        loop {
            if let Some(end) = self.buffer.iter().position(|byte| *byte == b'\n') {
                let line: Vec<u8> = self.buffer.drain(..=end).collect();
                let text = String::from_utf8_lossy(&line);
                return Some(text.trim_end_matches(['\r', '\n']).to_owned());
            }
            if self.buffer.len() > MAX_LINE {
                return None;
            }
            let mut chunk = [0u8; 4096];
            match source.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(length) => self.buffer.extend_from_slice(&chunk[..length]),
            }
        }
    }

    fn clear(&mut self) {
        self.buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    use rustls::pki_types::ServerName;

    use crate::mail::client_config;

    const TIMEOUT: Duration = Duration::from_secs(5);

    fn connect(server: &ScriptedServer) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        stream
    }

    /// One line (without its line end), read a byte at a time so nothing past it is taken
    /// from the socket (the TLS handshake follows the STARTTLS answer).
    fn line(stream: &mut impl Read) -> String {
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\r\n") {
            let read = stream.read(&mut byte).expect("a line from the server");
            assert_eq!(read, 1, "the server closed mid-line after {line:?}");
            line.push(byte[0]);
        }
        String::from_utf8_lossy(&line).trim_end().to_owned()
    }

    /// Lines up to and including the first one that `last` accepts.
    fn lines_until(stream: &mut impl Read, last: impl Fn(&str) -> bool) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let next = line(stream);
            let done = last(&next);
            lines.push(next);
            if done {
                return lines;
            }
        }
    }

    /// Starts TLS over `stream` as a client that trusts only the server's test CA.
    fn tls(
        server: &ScriptedServer,
        stream: TcpStream,
    ) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
        let config = client_config(server.ca.der()).expect("client config");
        let name = ServerName::try_from("localhost").expect("name");
        let connection = rustls::ClientConnection::new(config, name).expect("client");
        let mut secure = rustls::StreamOwned::new(connection, stream);
        while secure.conn.is_handshaking() {
            secure
                .conn
                .complete_io(&mut secure.sock)
                .expect("the TLS handshake");
        }
        secure
    }

    /// The plaintext part of a STARTTLS session: greeting and capabilities, then the
    /// STARTTLS command with `injected` in the same write. Returns the capability lines.
    fn before_tls(protocol: Protocol, stream: &mut TcpStream, injected: &str) -> Vec<String> {
        let greeting = line(stream);
        let (ask, starttls, last, ready): (&str, &str, fn(&str) -> bool, &str) = match protocol {
            Protocol::Submission => (
                "EHLO test\r\n",
                "STARTTLS\r\n",
                |l| l.starts_with("250 "),
                "220 ",
            ),
            Protocol::Imap => (
                "a CAPABILITY\r\n",
                "b STARTTLS\r\n",
                |l| l.starts_with("a "),
                "b OK",
            ),
            Protocol::Pop3 => ("CAPA\r\n", "STLS\r\n", |l| l == ".", "+OK"),
        };
        assert!(!greeting.is_empty());
        stream.write_all(ask.as_bytes()).expect("ask capabilities");
        let capabilities = lines_until(stream, last);
        stream
            .write_all(format!("{starttls}{injected}").as_bytes())
            .expect("STARTTLS and the injected command, in one write");
        let answer = line(stream);
        assert!(answer.starts_with(ready), "{answer}");
        capabilities
    }

    /// Drives a STARTTLS session with `injected` sent in plaintext right after STARTTLS, then
    /// `command` inside TLS; returns the first line the server sends inside TLS.
    fn first_line_in_tls(
        script: Script,
        protocol: Protocol,
        injected: &str,
        command: &str,
    ) -> String {
        let server = ScriptedServer::start(script).expect("server starts");
        let mut stream = connect(&server);
        before_tls(protocol, &mut stream, injected);
        let mut secure = tls(&server, stream);
        secure
            .write_all(command.as_bytes())
            .expect("a command inside TLS");
        secure.flush().expect("flush");
        line(&mut secure)
    }

    #[test]
    fn the_injection_server_answers_injected_commands_inside_tls() {
        let cases = [
            (
                Protocol::Submission,
                "RSET\r\n",
                "NOOP\r\n",
                "250 2.0.0 Ok: RSET",
                "250 2.0.0 Ok: NOOP",
            ),
            (
                Protocol::Imap,
                "X NOOP\r\n",
                "c NOOP\r\n",
                "X OK NOOP completed",
                "c OK NOOP completed",
            ),
            (
                Protocol::Pop3,
                "RSET\r\n",
                "NOOP\r\n",
                "+OK RSET",
                "+OK NOOP",
            ),
        ];
        for (protocol, injected, command, injected_answer, own_answer) in cases {
            let vulnerable = first_line_in_tls(
                Script::StarttlsInjection(protocol),
                protocol,
                injected,
                command,
            );
            assert_eq!(
                vulnerable, injected_answer,
                "{protocol:?}: the injected command first"
            );
            let correct = first_line_in_tls(
                Script::StarttlsCorrect(protocol),
                protocol,
                injected,
                command,
            );
            assert_eq!(
                correct, own_answer,
                "{protocol:?}: only the client's own command"
            );
        }
    }

    #[test]
    fn starttls_servers_advertise_starttls_then_answer_inside_tls() {
        // SMTP: STARTTLS and AUTH before TLS; AUTH without STARTTLS inside; QUIT closes.
        let server = ScriptedServer::start(Script::StarttlsCorrect(Protocol::Submission))
            .expect("server starts");
        let mut stream = connect(&server);
        let ehlo = before_tls(Protocol::Submission, &mut stream, "");
        assert!(ehlo.contains(&"250-STARTTLS".to_owned()), "{ehlo:?}");
        assert!(
            ehlo.contains(&"250-AUTH PLAIN LOGIN".to_owned()),
            "{ehlo:?}"
        );
        let mut secure = tls(&server, stream);
        secure.write_all(b"EHLO test\r\n").expect("EHLO");
        let ehlo = lines_until(&mut secure, |l| l.starts_with("250 "));
        assert!(!ehlo.iter().any(|l| l.contains("STARTTLS")), "{ehlo:?}");
        assert!(
            ehlo.contains(&"250-AUTH PLAIN LOGIN".to_owned()),
            "{ehlo:?}"
        );
        secure.write_all(b"QUIT\r\n").expect("QUIT");
        assert_eq!(line(&mut secure), "221 2.0.0 Bye");

        // IMAP: LOGINDISABLED before TLS, AUTH=PLAIN inside; LOGOUT closes.
        let server = ScriptedServer::start(Script::StarttlsInjection(Protocol::Imap))
            .expect("server starts");
        let mut stream = connect(&server);
        let capability = before_tls(Protocol::Imap, &mut stream, "");
        assert_eq!(
            capability[0],
            "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED"
        );
        let mut secure = tls(&server, stream);
        secure.write_all(b"c CAPABILITY\r\n").expect("CAPABILITY");
        let capability = lines_until(&mut secure, |l| l.starts_with("c "));
        assert_eq!(
            capability[0],
            "* CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=LOGIN"
        );
        secure.write_all(b"d LOGOUT\r\n").expect("LOGOUT");
        assert_eq!(line(&mut secure), "* BYE Logging out");
        assert_eq!(line(&mut secure), "d OK LOGOUT completed");

        // POP3: STLS in CAPA before TLS, USER and SASL inside.
        let server =
            ScriptedServer::start(Script::StarttlsCorrect(Protocol::Pop3)).expect("server starts");
        let mut stream = connect(&server);
        let capa = before_tls(Protocol::Pop3, &mut stream, "");
        assert!(capa.contains(&"STLS".to_owned()), "{capa:?}");
        let mut secure = tls(&server, stream);
        secure.write_all(b"CAPA\r\n").expect("CAPA");
        let capa = lines_until(&mut secure, |l| l == ".");
        assert!(
            capa.contains(&"USER".to_owned()) && !capa.contains(&"STLS".to_owned()),
            "{capa:?}"
        );
        secure.write_all(b"QUIT\r\n").expect("QUIT");
        assert_eq!(line(&mut secure), "+OK Bye");
    }

    #[test]
    fn close_after_greeting_sends_one_line_and_closes() {
        for (protocol, start) in [
            (Protocol::Submission, "220 "),
            (Protocol::Imap, "* OK "),
            (Protocol::Pop3, "+OK "),
        ] {
            let server =
                ScriptedServer::start(Script::CloseAfterGreeting(protocol)).expect("server starts");
            let mut stream = connect(&server);
            let mut everything = String::new();
            stream
                .read_to_string(&mut everything)
                .expect("read to the end");
            assert!(
                everything.starts_with(start),
                "{protocol:?}: {everything:?}"
            );
            assert_eq!(everything.matches("\r\n").count(), 1, "{everything:?}");
            assert!(everything.ends_with("\r\n"));
        }
    }

    /// True when nothing arrives for a while and the connection stays open.
    fn stays_quiet(stream: &mut TcpStream) -> bool {
        stream
            .set_read_timeout(Some(Duration::from_millis(300)))
            .expect("timeout");
        let mut byte = [0u8; 1];
        matches!(stream.read(&mut byte), Err(error) if matches!(error.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut))
    }

    #[test]
    fn silent_never_sends_and_holds_until_dropped() {
        let server = ScriptedServer::start(Script::Silent).expect("server starts");
        let mut stream = connect(&server);
        assert!(stays_quiet(&mut stream));
        stream.write_all(b"EHLO test\r\n").expect("write");
        assert!(stays_quiet(&mut stream));
        drop(server);
        stream.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        let mut byte = [0u8; 1];
        assert!(
            matches!(stream.read(&mut byte), Ok(0) | Err(_)),
            "closed on drop"
        );
    }

    #[test]
    fn endless_line_sends_more_than_ten_megabytes_without_a_line_end() {
        let server = ScriptedServer::start(Script::EndlessLine).expect("server starts");
        let mut stream = connect(&server);
        let mut start = [0u8; 4];
        stream.read_exact(&mut start).expect("the start");
        assert_eq!(&start, b"220 ");
        let mut total = 0usize;
        let mut buffer = vec![0u8; 64 * 1024];
        while total <= 10 * 1024 * 1024 {
            let read = stream.read(&mut buffer).expect("more of the line");
            assert!(read > 0, "the line ended after {total} bytes");
            assert!(buffer[..read].iter().all(|byte| *byte == b'a'));
            total += read;
        }
    }

    #[test]
    fn gibberish_is_no_protocol_and_the_connection_stays_open() {
        let server = ScriptedServer::start(Script::Gibberish).expect("server starts");
        let mut stream = connect(&server);
        let mut bytes = vec![0u8; GIBBERISH_LENGTH];
        stream.read_exact(&mut bytes).expect("the gibberish");
        for greeting in [&b"220"[..], b"* OK", b"+OK", b"-ERR"] {
            assert!(!bytes.starts_with(greeting));
        }
        assert!(bytes.contains(&0) && bytes.iter().any(|byte| *byte >= 0x80));
        assert!(String::from_utf8(bytes).is_err(), "not even text");
        assert!(stays_quiet(&mut stream));
    }
}
