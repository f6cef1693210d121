//! A stand-in for the relay that plays recorded server transcripts: it speaks the relay's
//! WebSocket protocol (`/v1/tcp?host=NAME&port=N`, binary messages, the relay's close codes),
//! and instead of connecting anywhere it plays the transcript named by the host. The browser
//! tests run the probe worker's driver against it, so the probes' state machines are exercised
//! over a real WebSocket in Chromium without any mail server.
//!
//! A transcript is a list of steps: send these bytes, wait for a client line that starts with
//! this, close (optionally with a close code, as the relay closes when it cannot connect).

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tungstenite::handshake::server::{Request, Response};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::CloseFrame;
use tungstenite::{accept_hdr, Message, WebSocket};

use crate::{io, TestkitError};

/// One step of a transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The server sends these bytes.
    Send(Vec<u8>),
    /// The server waits until the client has sent a line starting with this text.
    Expect(String),
    /// The server ends the session with this close code (1000: the server closed; 4000: the
    /// relay could not connect).
    Close(u16),
}

/// The transcripts the browser tests use, by host name.
pub fn recorded() -> HashMap<String, Vec<Step>> {
    let send = |text: &str| Step::Send(text.as_bytes().to_vec());
    let expect = |text: &str| Step::Expect(text.to_owned());
    HashMap::from([
        (
            // Postfix with TLS switched off: a submission port without STARTTLS.
            "smtp-without-starttls.transcript".to_owned(),
            vec![
                send("220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n"),
                expect("EHLO "),
                send("250-mail.example.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"),
                expect("QUIT"),
                send("221 2.0.0 Bye\r\n"),
                Step::Close(1000),
            ],
        ),
        (
            // Dovecot that lost its certificate: STARTTLS is listed but refused.
            "imap-starttls-refused.transcript".to_owned(),
            vec![
                send("* OK [CAPABILITY IMAP4rev1 SASL-IR STARTTLS LOGINDISABLED] Dovecot (Debian) ready.\r\n"),
                expect("p1 STARTTLS"),
                send("p1 NO [UNAVAILABLE] TLS support isn't enabled.\r\n"),
                Step::Close(1000),
            ],
        ),
        (
            "imap-closes-after-greeting.transcript".to_owned(),
            vec![send("* OK ready\r\n"), expect("p1 CAPABILITY"), Step::Close(1000)],
        ),
        (
            "pop3-gibberish.transcript".to_owned(),
            vec![Step::Send(b"\x00\x17\xfe garbage that is not POP3\r\n".to_vec())],
        ),
        (
            // An implicit-TLS port that answers the ClientHello with a protocol_version alert.
            "imaps-alert.transcript".to_owned(),
            vec![Step::Send(vec![21, 3, 3, 0, 2, 2, 70]), Step::Close(1000)],
        ),
        (
            // The relay could not connect to the server.
            "unreachable.transcript".to_owned(),
            vec![Step::Close(4000)],
        ),
    ])
}

/// A running transcript relay on 127.0.0.1; stops when dropped.
pub struct TranscriptRelay {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl TranscriptRelay {
    /// Starts one on a free port with the [`recorded`] transcripts.
    pub fn start() -> Result<TranscriptRelay, TestkitError> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(io("bind the transcript relay"))?;
        listener
            .set_nonblocking(true)
            .map_err(io("configure the transcript relay"))?;
        let port = listener
            .local_addr()
            .map_err(io("read the transcript relay's address"))?
            .port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let transcripts = Arc::new(recorded());
        std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let transcripts = transcripts.clone();
                        std::thread::spawn(move || play(stream, &transcripts));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        });
        Ok(TranscriptRelay { port, stop })
    }

    /// The base URL the probe driver takes as its relay.
    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/", self.port)
    }
}

impl Drop for TranscriptRelay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Plays the transcript the request's `host` names (an unknown name closes with 4000).
// tungstenite's handshake callback returns its own (large) error response type.
#[allow(clippy::result_large_err)]
fn play(stream: TcpStream, transcripts: &HashMap<String, Vec<Step>>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let mut host = String::new();
    let accepted = accept_hdr(stream, |request: &Request, response: Response| {
        host = request
            .uri()
            .query()
            .unwrap_or_default()
            .split('&')
            .find_map(|pair| pair.strip_prefix("host="))
            .unwrap_or_default()
            .to_owned();
        Ok(response)
    });
    let Ok(mut socket) = accepted else {
        return;
    };
    let steps = transcripts
        .get(&host)
        .cloned()
        .unwrap_or_else(|| vec![Step::Close(4000)]);
    let mut heard = String::new();
    for step in steps {
        let done = match step {
            Step::Send(bytes) => socket.send(Message::binary(bytes)).is_err(),
            Step::Expect(prefix) => !wait_for(&mut socket, &mut heard, &prefix),
            Step::Close(code) => {
                let _ = socket.close(Some(CloseFrame {
                    code: CloseCode::from(code),
                    reason: "transcript ends".into(),
                }));
                true
            }
        };
        if done {
            break;
        }
    }
    // Let the close handshake finish, then hang up.
    while socket.read().is_ok() {}
}

/// Reads client messages until a line starting with `prefix` arrived; false if the client
/// went away first.
fn wait_for(socket: &mut WebSocket<TcpStream>, heard: &mut String, prefix: &str) -> bool {
    loop {
        if let Some(at) = heard.find('\n') {
            let line: String = heard.drain(..=at).collect();
            if line.starts_with(prefix) {
                return true;
            }
            continue;
        }
        match socket.read() {
            Ok(Message::Binary(bytes)) => heard.push_str(&String::from_utf8_lossy(&bytes)),
            Ok(Message::Close(_)) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transcript_is_played_over_the_relay_protocol() {
        let relay = TranscriptRelay::start().unwrap();
        let url = format!(
            "ws://127.0.0.1:{}/v1/tcp?host=imap-starttls-refused.transcript&port=143",
            relay.port
        );
        let (mut client, _) = tungstenite::connect(url).unwrap();
        let Message::Binary(greeting) = client.read().unwrap() else {
            panic!("a binary greeting");
        };
        assert!(greeting.starts_with(b"* OK [CAPABILITY"));
        client
            .send(Message::binary(b"p1 STARTTLS\r\n".to_vec()))
            .unwrap();
        let Message::Binary(answer) = client.read().unwrap() else {
            panic!("a binary answer");
        };
        assert!(answer.starts_with(b"p1 NO"));
        let Message::Close(Some(frame)) = client.read().unwrap() else {
            panic!("a close");
        };
        assert_eq!(u16::from(frame.code), 1000);

        let unknown = format!(
            "ws://127.0.0.1:{}/v1/tcp?host=nothing.transcript&port=1",
            relay.port
        );
        let (mut client, _) = tungstenite::connect(unknown).unwrap();
        let Message::Close(Some(frame)) = client.read().unwrap() else {
            panic!("a close");
        };
        assert_eq!(
            u16::from(frame.code),
            4000,
            "as the relay when it cannot connect"
        );
    }
}
