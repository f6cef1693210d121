//! The protocol end to end on loopback: echo through the relay, message caps, text frames,
//! `/healthz`, `/metrics`, static files, keep-alive, and the binary's start line and graceful
//! shutdown on SIGTERM.

mod support;

use portolan_relay_wire::{CloseCode, RefusalReason};
use std::io::BufReader;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

async fn echo_relay(extra: &[&str]) -> (TestTarget, TestRelay) {
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let mut args = vec!["--port", &port, "--allow-private", "--shutdown-grace", "1"];
    args.extend_from_slice(extra);
    let relay = TestRelay::with_flags(&args).await;
    (target, relay)
}

#[tokio::test]
async fn bytes_round_trip_unchanged() {
    let (target, relay) = echo_relay(&[]).await;
    let mut client = connect(&relay.url("127.0.0.1", target.port())).await;
    let mut sent = 0u64;
    for size in [1usize, 2, 125, 126, 65_535 % 32_768, 16 * 1024, 32 * 1024] {
        let data: Vec<u8> = (0..size).map(|index| (index * 7 + size) as u8).collect();
        assert_eq!(echo(&mut client, &data).await, data, "size {size}");
        sent += size as u64;
    }
    client.close(None).await.unwrap();
    wait_until("the session ended", Duration::from_secs(1), || {
        relay.metrics.sessions_active.load(Ordering::SeqCst) == 0
    })
    .await;
    assert_eq!(relay.metrics.bytes_up.load(Ordering::SeqCst), sent);
    assert_eq!(relay.metrics.bytes_down.load(Ordering::SeqCst), sent);
    assert_eq!(relay.metrics.ends("client_closed"), 1);
    relay.stop().await;
}

#[tokio::test]
async fn ipv6_mapped_literal_reaches_ipv4_loopback_when_private_is_allowed() {
    let (target, relay) = echo_relay(&[]).await;
    let mut client = connect(&relay.url("%5B::ffff:127.0.0.1%5D", target.port())).await;
    assert_eq!(echo(&mut client, b"mapped").await, b"mapped");
    drop(client);
    relay.stop().await;
}

#[tokio::test]
async fn oversized_messages_close_with_1009() {
    let (target, relay) = echo_relay(&[]).await;
    let mut client = connect(&relay.url("127.0.0.1", target.port())).await;
    assert_eq!(echo(&mut client, &[1u8; 32 * 1024]).await.len(), 32 * 1024);
    client
        .send(Message::Binary(vec![0u8; 32 * 1024 + 1].into()))
        .await
        .unwrap();
    let (code, _) = close_of(&mut client).await;
    assert_eq!(CloseCode::from_code(code), Some(CloseCode::MessageTooBig));
    // The oversized message never reached the target.
    assert_eq!(relay.metrics.bytes_up.load(Ordering::SeqCst), 32 * 1024);
    relay.stop().await;
}

#[tokio::test]
async fn fragmented_messages_are_capped_too() {
    use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
    use tokio_tungstenite::tungstenite::protocol::frame::Frame;
    let (target, relay) = echo_relay(&[]).await;
    let mut client = connect(&relay.url("127.0.0.1", target.port())).await;
    let chunk = vec![7u8; 20 * 1024];
    let first = Frame::message(chunk.clone(), OpCode::Data(Data::Binary), false);
    let second = Frame::message(chunk, OpCode::Data(Data::Continue), true);
    client.send(Message::Frame(first)).await.unwrap();
    let _ = client.send(Message::Frame(second)).await;
    let (code, _) = close_of(&mut client).await;
    assert_eq!(CloseCode::from_code(code), Some(CloseCode::MessageTooBig));
    relay.stop().await;
}

#[tokio::test]
async fn text_frames_are_refused() {
    let (target, relay) = echo_relay(&[]).await;
    let mut client = connect(&relay.url("127.0.0.1", target.port())).await;
    client.send(Message::Text("EHLO".into())).await.unwrap();
    let (code, reason) = close_of(&mut client).await;
    assert_eq!(CloseCode::from_code(code), Some(CloseCode::TextFrame));
    assert!(reason.contains("protocol_error"), "{reason}");
    assert_eq!(target.accepted(), 1);
    relay.stop().await;
}

#[tokio::test]
async fn health_metrics_and_methods() {
    let (_target, relay) = echo_relay(&[]).await;
    let (status, _, body) = raw_http(
        relay.addr,
        "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, head, body) = raw_http(
        relay.addr,
        "HEAD /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(head.contains("Content-Length: 3"), "{head}");
    let (status, _, body) = raw_http(
        relay.addr,
        "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body.contains("# TYPE portolan_relay_sessions_active gauge"),
        "{body}"
    );
    assert!(
        body.contains("portolan_relay_http_requests_total 3"),
        "{body}"
    );
    let (status, head, _) = raw_http(
        relay.addr,
        "DELETE /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET, HEAD"), "{head}");
    let (status, _, _) = raw_http(
        relay.addr,
        "GET /nothing HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 404);
    relay.stop().await;
}

#[tokio::test]
async fn keep_alive_serves_several_requests_on_one_connection() {
    let (_target, relay) = echo_relay(&[]).await;
    let mut stream = tokio::net::TcpStream::connect(relay.addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = String::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut response))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(response.matches("HTTP/1.1 200 OK").count(), 2, "{response}");
    assert_eq!(relay.metrics.http_requests.load(Ordering::SeqCst), 2);
    relay.stop().await;
}

#[tokio::test]
async fn static_files_with_index_fallback_and_no_escape() {
    let dir = tempdir();
    std::fs::write(dir.join("index.html"), "<h1>app</h1>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.join("app.wasm.gz"), "gzipped-bytes").unwrap();
    std::fs::write(dir.join("app.wasm"), "plain-bytes").unwrap();
    std::fs::write(dir.join(".secret"), "hidden").unwrap();
    std::fs::write(dir.parent().unwrap().join("outside.txt"), "outside").unwrap();
    let relay = TestRelay::with_flags(&["--static", dir.to_str().unwrap()]).await;
    let get = |path: &str, extra: &str| {
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n")
    };
    let (status, head, body) = raw_http(relay.addr, &get("/", "")).await;
    assert_eq!((status, body.as_str()), (200, "<h1>app</h1>"));
    assert!(head.contains("text/html"), "{head}");
    let (_, head, body) = raw_http(relay.addr, &get("/app.js", "")).await;
    assert_eq!(body, "console.log(1)");
    assert!(head.contains("text/javascript"), "{head}");
    let (_, head, body) = raw_http(
        relay.addr,
        &get("/app.wasm", "Accept-Encoding: gzip, br\r\n"),
    )
    .await;
    assert_eq!(body, "gzipped-bytes");
    assert!(
        head.contains("Content-Encoding: gzip") && head.contains("application/wasm"),
        "{head}"
    );
    let (_, head, body) = raw_http(relay.addr, &get("/app.wasm", "")).await;
    assert_eq!(body, "plain-bytes");
    assert!(head.contains("Cache-Control: no-cache"), "{head}");
    // Revalidation: the ETag given back gets a 304 without a body; another tag gets the file.
    let tag = head
        .lines()
        .find_map(|line| line.strip_prefix("ETag: "))
        .expect("an ETag")
        .to_owned();
    let (status, head, body) = raw_http(
        relay.addr,
        &get("/app.wasm", &format!("If-None-Match: {tag}\r\n")),
    )
    .await;
    assert_eq!((status, body.as_str()), (304, ""), "{head}");
    assert!(!head.contains("Content-Length"), "{head}");
    let (status, _, body) =
        raw_http(relay.addr, &get("/app.wasm", "If-None-Match: \"0-0\"\r\n")).await;
    assert_eq!((status, body.as_str()), (200, "plain-bytes"));
    for sneaky in [
        "/settings/alice@example.org",
        "/../outside.txt",
        "/%2e%2e/outside.txt",
        "/.secret",
        "/a/..%2F..%2Foutside.txt",
    ] {
        let (status, _, body) = raw_http(relay.addr, &get(sneaky, "")).await;
        assert_eq!((status, body.as_str()), (200, "<h1>app</h1>"), "{sneaky}");
    }
    // Same origin may open sessions when the relay serves the app; the target is refused by
    // policy (loopback), which shows the Origin check passed.
    let (status, _, body) = raw_http(
        relay.addr,
        &upgrade_request("host=127.0.0.1&port=993", "Origin: http://relay.test\r\n"),
    )
    .await;
    assert_eq!(status, 403);
    assert!(
        body.contains(RefusalReason::AddressNotAllowed.as_str()),
        "{body}"
    );
    relay.stop().await;
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

fn tempdir() -> std::path::PathBuf {
    let base = std::env::temp_dir().join(format!(
        "portolan-relay-test-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    let dir = base.join("dist");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts the relay binary in front of `target` (private targets allowed) with
/// `--shutdown-grace GRACE` and extra environment; returns the child, its stdout after the
/// first line, and the address that line announced.
fn start_binary(
    target: &TestTarget,
    grace: &str,
    env: &[(&str, &str)],
) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portolan-relay"))
        .args(["--listen", "127.0.0.1:0", "--allow-private"])
        .args(["--shutdown-grace", grace])
        .args(["--port", &target.port().to_string()])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = announced_address(&mut stdout);
    (child, stdout, addr)
}

/// The binary prints exactly one first line on stdout, serves, and on SIGTERM lets an open
/// session go on for the grace period, then closes it with 1001 and exits cleanly.
#[tokio::test]
async fn binary_prints_its_address_and_shuts_down_gracefully() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let (mut child, mut stdout, addr) = start_binary(&target, "2", &[]);
    let url = format!("ws://{addr}/v1/tcp?host=127.0.0.1&port={}", target.port());
    let mut client = connect(&url).await;
    assert_eq!(echo(&mut client, b"before").await, b"before");
    // SAFETY: kill only sends a signal to our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Still carried during the grace period ...
    assert_eq!(echo(&mut client, b"during grace").await, b"during grace");
    // ... but no new connections are accepted.
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());
    let started = std::time::Instant::now();
    let (code, reason) = close_of(&mut client).await;
    assert_eq!(
        CloseCode::from_code(code),
        Some(CloseCode::ShuttingDown),
        "{reason}"
    );
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status}");
    assert!(started.elapsed() < Duration::from_secs(10));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "", "stdout carries only the first line");
    let _ = client.next().await;
}

/// Even at the finest log level, payload bytes never reach the logs (neither as text nor as
/// hex), while the session itself is logged.
#[tokio::test]
async fn logs_never_carry_payload() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let (child, _stdout, addr) = start_binary(&target, "1", &[("PORTOLAN_RELAY_LOG", "trace")]);
    let url = format!("ws://{addr}/v1/tcp?host=127.0.0.1&port={}", target.port());
    let mut client = connect(&url).await;
    let secret = b"SECRET-PAYLOAD-4242";
    assert_eq!(echo(&mut client, secret).await, secret);
    client.close(None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // SAFETY: kill only signals our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let logs = String::from_utf8_lossy(&output.stderr);
    assert!(
        logs.contains("session open") && logs.contains("session closed"),
        "{logs}"
    );
    let hex: String = secret.iter().map(|byte| format!("{byte:02x}")).collect();
    assert!(!logs.contains("SECRET"), "payload in the logs:\n{logs}");
    assert!(
        !logs.to_lowercase().contains(&hex[..16]),
        "payload (hex) in the logs:\n{logs}"
    );
}
