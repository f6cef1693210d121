//! `relay-bench`: the load generator behind `cargo xtask bench` (relay part). It is a plain
//! WebSocket client (tokio-tungstenite) that works against any WebSocket-to-TCP bridge, so the
//! relay and websockify are measured by the same code:
//!
//! - `echo --listen ADDR`: a TCP echo server (prints `echo listening on ADDR`);
//! - `throughput --url URL --bytes N`: bulk transfer through one session, echoed back;
//! - `latency --url URL --count N [--direct ADDR]`: round trips of small messages;
//! - `idle --url URL --sessions N --server-pid PID`: opens N sessions, each echoing once, and
//!   reports the server's memory (PSS of its process tree) before and after.
//!
//! Output lines are `key=value` pairs that xtask parses.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::{Parser, Subcommand};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

#[derive(Parser)]
#[command(
    name = "relay-bench",
    about = "Load generator for WebSocket-to-TCP relays"
)]
struct Args {
    #[command(subcommand)]
    command: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// TCP echo server.
    Echo {
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
    },
    /// Bulk transfer through one session.
    Throughput {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 64 << 20)]
        bytes: usize,
        #[arg(long, default_value_t = 16 * 1024)]
        chunk: usize,
    },
    /// Round trips of small messages.
    Latency {
        #[arg(long)]
        url: String,
        #[arg(long, default_value_t = 2000)]
        count: usize,
        #[arg(long, default_value_t = 32)]
        size: usize,
        /// Also measure the echo server directly over TCP, as the baseline.
        #[arg(long)]
        direct: Option<SocketAddr>,
    },
    /// Many idle sessions; reports the server's memory.
    Idle {
        #[arg(long)]
        url: String,
        #[arg(long)]
        sessions: usize,
        #[arg(long)]
        server_pid: u32,
        /// Sessions being opened at once.
        #[arg(long, default_value_t = 50)]
        parallel: usize,
    },
}

type Client = WebSocketStream<TcpStream>;

fn main() -> std::process::ExitCode {
    // Thousands of sessions need thousands of descriptors.
    portolan_relay::raise_nofile_limit();
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("relay-bench: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args.command)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("relay-bench: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn run(mode: Mode) -> BenchResult<()> {
    match mode {
        Mode::Echo { listen } => echo_server(listen).await,
        Mode::Throughput { url, bytes, chunk } => throughput(&url, bytes, chunk).await,
        Mode::Latency {
            url,
            count,
            size,
            direct,
        } => latency(&url, count, size, direct).await,
        Mode::Idle {
            url,
            sessions,
            server_pid,
            parallel,
        } => idle(&url, sessions, server_pid, parallel).await,
    }
}

async fn echo_server(listen: SocketAddr) -> BenchResult<()> {
    let listener = TcpListener::bind(listen).await?;
    println!("echo listening on {}", listener.local_addr()?);
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(read) => {
                        if stream.write_all(&buf[..read]).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}

async fn open(url: &str) -> BenchResult<Client> {
    let request = url.into_client_request()?;
    let authority = request
        .uri()
        .authority()
        .ok_or("URL without authority")?
        .to_string();
    let tcp = TcpStream::connect(authority).await?;
    tcp.set_nodelay(true)?;
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(64 * 1024)
        .write_buffer_size(0);
    let (ws, _) = tokio_tungstenite::client_async_with_config(request, tcp, Some(config)).await?;
    Ok(ws)
}

async fn round_trip(client: &mut Client, payload: &[u8]) -> BenchResult<()> {
    client
        .send(Message::Binary(payload.to_vec().into()))
        .await?;
    receive(client, payload.len()).await
}

/// Reads binary messages until `bytes` bytes have come back; a close or an error ends the run.
async fn receive<S>(stream: &mut S, bytes: usize) -> BenchResult<()>
where
    S: futures_util::Stream<Item = Result<Message, WsError>> + Unpin,
{
    let mut got = 0;
    while got < bytes {
        match stream.next().await {
            Some(Ok(Message::Binary(data))) => got += data.len(),
            Some(Ok(Message::Close(frame))) => return Err(format!("closed: {frame:?}").into()),
            Some(Ok(_)) => {}
            Some(Err(error)) => return Err(error.into()),
            None => return Err("session ended".into()),
        }
    }
    Ok(())
}

async fn throughput(url: &str, bytes: usize, chunk: usize) -> BenchResult<()> {
    let client = open(url).await?;
    let (mut sink, mut stream) = client.split();
    // One buffer for the whole run: each message is a cheap slice of it, not a fresh copy.
    let block = Bytes::from(vec![0x42u8; chunk]);
    let started = Instant::now();
    let sender = tokio::spawn(async move {
        let mut sent = 0;
        while sent < bytes {
            let len = chunk.min(bytes - sent);
            sink.send(Message::Binary(block.slice(..len)))
                .await
                .map_err(|error| error.to_string())?;
            sent += len;
        }
        Ok::<_, String>(sink)
    });
    receive(&mut stream, bytes).await?;
    let seconds = started.elapsed().as_secs_f64();
    let _sink = sender.await??;
    println!(
        "throughput bytes={bytes} seconds={seconds:.3} mb_per_s={:.1}",
        bytes as f64 / seconds / 1e6
    );
    Ok(())
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn latency(
    url: &str,
    count: usize,
    size: usize,
    direct: Option<SocketAddr>,
) -> BenchResult<()> {
    let payload = vec![0x37u8; size];
    let mut client = open(url).await?;
    for _ in 0..100 {
        round_trip(&mut client, &payload).await?;
    }
    let mut samples = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        round_trip(&mut client, &payload).await?;
        samples.push(started.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(f64::total_cmp);
    print!(
        "latency count={count} p50_us={:.1} p99_us={:.1}",
        percentile(&samples, 0.5),
        percentile(&samples, 0.99)
    );
    if let Some(addr) = direct {
        let mut tcp = TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let mut back = vec![0u8; size];
        let mut direct_samples = Vec::with_capacity(count);
        for round in 0..count + 100 {
            let started = Instant::now();
            tcp.write_all(&payload).await?;
            tcp.read_exact(&mut back).await?;
            if round >= 100 {
                direct_samples.push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
        direct_samples.sort_by(f64::total_cmp);
        print!(
            " direct_p50_us={:.1} direct_p99_us={:.1}",
            percentile(&direct_samples, 0.5),
            percentile(&direct_samples, 0.99)
        );
    }
    println!();
    Ok(())
}

/// The proportional set size (KiB) of a process and all its descendants: fair for forking
/// servers, whose children share pages with their parent.
fn tree_pss_kib(pid: u32) -> u64 {
    let mut pending = vec![pid];
    let mut seen = BTreeSet::new();
    let mut total = 0;
    while let Some(pid) = pending.pop() {
        if !seen.insert(pid) {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")) {
            total += text
                .lines()
                .find_map(|line| line.strip_prefix("Pss:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
                .unwrap_or(0);
        }
        if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
            for task in tasks.filter_map(Result::ok) {
                let children =
                    std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
                pending.extend(
                    children
                        .split_whitespace()
                        .filter_map(|child| child.parse::<u32>().ok()),
                );
            }
        }
    }
    total
}

async fn idle(url: &str, sessions: usize, server_pid: u32, parallel: usize) -> BenchResult<()> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = tree_pss_kib(server_pid);
    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(parallel.max(1)));
    let mut tasks = Vec::with_capacity(sessions);
    for _ in 0..sessions {
        let gate = Arc::clone(&gate);
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let _slot = gate.acquire().await.map_err(|error| error.to_string())?;
            // A busy server may drop a connection attempt; retry a few times before giving up.
            let mut last_error = String::new();
            for attempt in 0..5u64 {
                if attempt > 0 {
                    tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                }
                match open(&url).await {
                    Ok(mut client) => match round_trip(&mut client, b"are you there?").await {
                        Ok(()) => return Ok::<_, String>(client),
                        Err(error) => last_error = error.to_string(),
                    },
                    Err(error) => last_error = error.to_string(),
                }
            }
            Err(last_error)
        }));
    }
    let mut clients = Vec::with_capacity(sessions);
    for task in tasks {
        clients.push(task.await??);
    }
    let opened = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after = tree_pss_kib(server_pid);
    // Every session is still alive at the end.
    let mut alive = 0;
    for client in clients.iter_mut().step_by((sessions / 50).max(1)) {
        round_trip(client, b"still here").await?;
        alive += 1;
    }
    println!(
        "idle sessions={sessions} opened_s={opened:.2} before_kib={before} after_kib={after} per_session_bytes={:.0} checked_alive={alive}",
        after.saturating_sub(before) as f64 * 1024.0 / sessions as f64
    );
    for client in clients.iter_mut() {
        let _ = tokio::time::timeout(Duration::from_millis(200), client.close(None)).await;
    }
    Ok(())
}
