//! `cargo xtask bench` (relay part): portolan-relay side by side with websockify, both in front
//! of the same local TCP echo server and driven by the same client (`relay-bench`, a
//! tokio-tungstenite program in the relay crate). Prints bulk throughput, small-message round
//! trips (p50/p99, and what the bridge adds over direct TCP), memory per idle session at 1,000
//! sessions (PSS of the server's process tree), 5,000 concurrent relay sessions, and a ratio
//! table. Numbers only: nothing here asserts a timing.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{find_on_path, run_captured, step};
use crate::{build, TaskError};

/// Idle sessions for the memory comparison.
const IDLE_SESSIONS: usize = 1_000;
/// Concurrent sessions the relay alone is asked to hold (websockify forks a process per
/// session, so it is not asked).
const MANY_SESSIONS: usize = 5_000;
/// Bytes per bulk-throughput run; the median of three runs is reported.
const BULK_BYTES: usize = 256 << 20;

pub fn run() -> Result<(), TaskError> {
    let relay = build::native_binary("portolan-relay", "portolan-relay")?;
    let bench = build::native_binary("portolan-relay", "relay-bench")?;
    let websockify = find_on_path("websockify");
    if websockify.is_none() {
        println!("note: websockify (Debian package websockify) is not installed; only the relay is measured");
    }

    let mut echo = Server::start(
        "echo server",
        Command::new(&bench).args(["echo", "--listen", "127.0.0.1:0"]),
    )?;
    let echo_addr = echo.first_line_after("echo listening on ")?;
    let echo_port = echo_addr.rsplit(':').next().unwrap_or_default().to_owned();

    let mut relay_numbers = Numbers::default();
    let mut websockify_numbers = None;
    {
        let mut server = start_relay(&relay, &echo_port)?;
        let url = relay_url(&mut server, &echo_port)?;
        step("relay: memory of idle sessions");
        relay_numbers.idle = idle(&bench, &url, IDLE_SESSIONS, server.pid())?;
        step("relay: bulk throughput");
        relay_numbers.throughput = throughput(&bench, &url)?;
        step("relay: small-message round trips");
        relay_numbers.latency = latency(&bench, &url, &echo_addr)?;
    }
    {
        let mut server = start_relay(&relay, &echo_port)?;
        let url = relay_url(&mut server, &echo_port)?;
        step(&format!("relay: {MANY_SESSIONS} concurrent sessions"));
        relay_numbers.many = idle(&bench, &url, MANY_SESSIONS, server.pid()).ok();
    }
    if let Some(websockify) = websockify {
        let port = free_port()?;
        let server = Server::start(
            "websockify",
            Command::new(&websockify)
                .arg(format!("127.0.0.1:{port}"))
                .arg(&echo_addr),
        )?;
        wait_for_port(port)?;
        let url = format!("ws://127.0.0.1:{port}/");
        let mut numbers = Numbers::default();
        step("websockify: memory of idle sessions");
        numbers.idle = idle(&bench, &url, IDLE_SESSIONS, server.pid())?;
        step("websockify: bulk throughput");
        numbers.throughput = throughput(&bench, &url)?;
        step("websockify: small-message round trips");
        numbers.latency = latency(&bench, &url, &echo_addr)?;
        websockify_numbers = Some(numbers);
    }
    print_table(&relay_numbers, websockify_numbers.as_ref());
    drop(echo);
    Ok(())
}

#[derive(Default)]
struct Latency {
    p50_us: f64,
    p99_us: f64,
    direct_p50_us: f64,
    direct_p99_us: f64,
}

#[derive(Default)]
struct Idle {
    per_session_bytes: f64,
    opened_s: f64,
}

#[derive(Default)]
struct Numbers {
    throughput: f64,
    latency: Latency,
    idle: Idle,
    many: Option<Idle>,
}

/// A child process killed when dropped.
struct Server {
    name: &'static str,
    child: Child,
    stdout: Option<BufReader<std::process::ChildStdout>>,
}

impl Server {
    fn start(name: &'static str, command: &mut Command) -> Result<Server, TaskError> {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|source| TaskError::Spawn {
                command: name.to_owned(),
                source,
            })?;
        let stdout = child.stdout.take().map(BufReader::new);
        Ok(Server {
            name,
            child,
            stdout,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reads stdout lines until one starts with `prefix`; returns the rest of that line.
    fn first_line_after(&mut self, prefix: &str) -> Result<String, TaskError> {
        let stdout = self
            .stdout
            .as_mut()
            .ok_or_else(|| TaskError::Setup(format!("{} has no stdout", self.name)))?;
        let mut line = String::new();
        for _ in 0..20 {
            line.clear();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some(rest) = line.trim().strip_prefix(prefix) {
                return Ok(rest.to_owned());
            }
        }
        Err(TaskError::Setup(format!(
            "{} did not say where it listens",
            self.name
        )))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_relay(relay: &Path, echo_port: &str) -> Result<Server, TaskError> {
    let limits = (MANY_SESSIONS + 100).to_string();
    Server::start(
        "portolan-relay",
        Command::new(relay)
            .args([
                "--listen",
                "127.0.0.1:0",
                "--allow-private",
                "--port",
                echo_port,
            ])
            .args(["--max-sessions", &limits, "--max-sessions-per-ip", &limits])
            .args(["--rate-per-minute", "10000000", "--idle-timeout", "600"])
            .args([
                "--max-bytes-up",
                "1000000000000",
                "--max-bytes-down",
                "1000000000000",
            ])
            .env("PORTOLAN_RELAY_LOG", "warn"),
    )
}

/// The `/v1/tcp` URL of a freshly started relay, from the first line it prints.
fn relay_url(server: &mut Server, echo_port: &str) -> Result<String, TaskError> {
    let rest = server.first_line_after("portolan-relay listening on http://")?;
    let addr = rest.trim_end_matches('/');
    Ok(format!(
        "ws://{addr}/v1/tcp?host=127.0.0.1&port={echo_port}"
    ))
}

fn free_port() -> Result<u16, TaskError> {
    let io = |source| TaskError::Io {
        path: "127.0.0.1:0".into(),
        source,
    };
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io)?;
    Ok(listener.local_addr().map_err(io)?.port())
}

fn wait_for_port(port: u16) -> Result<(), TaskError> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(TaskError::Setup(format!(
        "nothing listens on 127.0.0.1:{port}"
    )))
}

/// The value of `key=` in a `relay-bench` output line.
fn field(output: &str, key: &str) -> Result<f64, TaskError> {
    output
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| TaskError::Setup(format!("relay-bench printed no {key}")))
}

fn throughput(bench: &Path, url: &str) -> Result<f64, TaskError> {
    let mut runs = Vec::new();
    for _ in 0..3 {
        let output = run_captured(Command::new(bench).args([
            "throughput",
            "--url",
            url,
            "--bytes",
            &BULK_BYTES.to_string(),
        ]))?;
        runs.push(field(&output, "mb_per_s")?);
    }
    runs.sort_by(f64::total_cmp);
    Ok(runs[1])
}

fn latency(bench: &Path, url: &str, echo: &str) -> Result<Latency, TaskError> {
    let output = run_captured(
        Command::new(bench).args(["latency", "--url", url, "--count", "5000", "--direct", echo]),
    )?;
    Ok(Latency {
        p50_us: field(&output, "p50_us")?,
        p99_us: field(&output, "p99_us")?,
        direct_p50_us: field(&output, "direct_p50_us")?,
        direct_p99_us: field(&output, "direct_p99_us")?,
    })
}

fn idle(bench: &Path, url: &str, sessions: usize, pid: u32) -> Result<Idle, TaskError> {
    let output = run_captured(Command::new(bench).args([
        "idle",
        "--url",
        url,
        "--sessions",
        &sessions.to_string(),
        "--server-pid",
        &pid.to_string(),
    ]))?;
    Ok(Idle {
        per_session_bytes: field(&output, "per_session_bytes")?,
        opened_s: field(&output, "opened_s")?,
    })
}

fn print_table(relay: &Numbers, websockify: Option<&Numbers>) {
    step("relay vs websockify (same echo server, same client, loopback)");
    let other = |pick: &dyn Fn(&Numbers) -> f64| websockify.map(pick);
    let cell = |value: Option<f64>, unit: &str| {
        value.map_or("-".to_owned(), |value| format!("{value:.1} {unit}"))
    };
    let ratio = |mine: f64, theirs: Option<f64>| {
        theirs.map_or("-".to_owned(), |theirs| format!("{:.2}x", mine / theirs))
    };
    println!(
        "{:<44} {:>16} {:>16} {:>10}",
        "metric", "portolan-relay", "websockify", "ratio"
    );
    let rows: Vec<(&str, f64, Option<f64>, &str)> = vec![
        (
            "bulk throughput, MB/s (higher is better)",
            relay.throughput,
            other(&|n| n.throughput),
            "MB/s",
        ),
        (
            "round trip p50, us",
            relay.latency.p50_us,
            other(&|n| n.latency.p50_us),
            "us",
        ),
        (
            "round trip p99, us",
            relay.latency.p99_us,
            other(&|n| n.latency.p99_us),
            "us",
        ),
        (
            "added p50 over direct TCP, us",
            relay.latency.p50_us - relay.latency.direct_p50_us,
            other(&|n| n.latency.p50_us - n.latency.direct_p50_us),
            "us",
        ),
        (
            "added p99 over direct TCP, us",
            relay.latency.p99_us - relay.latency.direct_p99_us,
            other(&|n| n.latency.p99_us - n.latency.direct_p99_us),
            "us",
        ),
        (
            "memory per idle session (1,000), KB",
            relay.idle.per_session_bytes / 1000.0,
            other(&|n| n.idle.per_session_bytes / 1000.0),
            "KB",
        ),
        (
            "time to open 1,000 sessions, s",
            relay.idle.opened_s,
            other(&|n| n.idle.opened_s),
            "s",
        ),
    ];
    for (name, mine, theirs, unit) in rows {
        println!(
            "{name:<44} {:>16} {:>16} {:>10}",
            cell(Some(mine), unit),
            cell(theirs, unit),
            ratio(mine, theirs)
        );
    }
    match &relay.many {
        Some(many) => println!(
            "{MANY_SESSIONS} concurrent relay sessions: opened in {:.2} s, {:.1} KB per session (websockify not asked: one process per session)",
            many.opened_s,
            many.per_session_bytes / 1000.0
        ),
        None => println!("{MANY_SESSIONS} concurrent relay sessions: FAILED (see the output above)"),
    }
    println!("targets: throughput >= 3x websockify, memory <= 1/5 of websockify and <= 20 KB per idle session, {MANY_SESSIONS} sessions, < 1000 us added p99");
}
