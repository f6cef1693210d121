//! `cargo xtask bench` (relay part): portolan-relay side by side with websockify, both in front
//! of the same local TCP echo server and driven by the same client (`relay-bench`, a
//! tokio-tungstenite program in the relay crate). Prints bulk throughput, small-message round
//! trips (p50/p99, and what the bridge adds over direct TCP), memory per idle session at 1,000
//! sessions (PSS of the server's process tree), 5,000 concurrent relay sessions, and a ratio
//! table. Numbers only: nothing here asserts a timing.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{find_on_path, run_captured, step};
use crate::{build, TaskError};

/// Idle sessions for the memory comparison.
const IDLE_SESSIONS: usize = 1_000;
/// Idle sessions asked of websockify: it watches its sockets with select(), which fails once a
/// descriptor number passes 1024, so it cannot hold 1,000 sessions; per-session memory is
/// measured at this count instead (its cost per session is one forked process, so linear).
const WEBSOCKIFY_IDLE_SESSIONS: usize = 400;
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
        on_cpu(LOAD_CPU, &bench).args(["echo", "--listen", "127.0.0.1:0"]),
    )?;
    let echo_addr = echo.first_line_after("echo listening on ")?;
    let echo_port = echo_addr.rsplit(':').next().unwrap_or_default().to_owned();

    let mut relay_numbers = Numbers::default();
    let mut websockify_numbers = websockify.as_ref().map(|_| Numbers::default());

    // Memory, each on a fresh server so the baseline is clean.
    {
        let (server, url) = start_relay(&relay, &echo_port)?;
        step(&format!("relay: {IDLE_SESSIONS} idle sessions"));
        relay_numbers.idle = idle(&bench, &url, IDLE_SESSIONS, server.pid())?;
    }
    {
        let (server, url) = start_relay(&relay, &echo_port)?;
        step(&format!("relay: {MANY_SESSIONS} concurrent sessions"));
        relay_numbers.many = idle(&bench, &url, MANY_SESSIONS, server.pid()).ok();
    }
    if let (Some(websockify), Some(numbers)) = (&websockify, websockify_numbers.as_mut()) {
        let (server, url) = start_websockify(websockify, &echo_addr)?;
        step(&format!(
            "websockify: {WEBSOCKIFY_IDLE_SESSIONS} idle sessions"
        ));
        numbers.idle = idle(&bench, &url, WEBSOCKIFY_IDLE_SESSIONS, server.pid())?;
        drop(server);
        let (server, url) = start_websockify(websockify, &echo_addr)?;
        step(&format!("websockify: {IDLE_SESSIONS} idle sessions"));
        numbers.many = idle(&bench, &url, IDLE_SESSIONS, server.pid()).ok();
    }

    // Throughput and latency with both servers up, runs interleaved, so that load from
    // elsewhere on the machine falls on both alike.
    let (relay_server, relay_url) = start_relay(&relay, &echo_port)?;
    let other = match &websockify {
        Some(websockify) => Some(start_websockify(websockify, &echo_addr)?),
        None => None,
    };
    step("bulk throughput (interleaved runs; median of 3)");
    let mut relay_runs = Vec::new();
    let mut other_runs = Vec::new();
    let mut relay_cpu = 0.0;
    let mut other_cpu = 0.0;
    for _ in 0..3 {
        let before = cpu_seconds(relay_server.pid());
        relay_runs.push(throughput(&bench, &relay_url)?);
        relay_cpu += cpu_seconds(relay_server.pid()) - before;
        if let Some((server, url)) = &other {
            let before = cpu_seconds(server.pid());
            other_runs.push(throughput(&bench, url)?);
            // The session's child process is reaped shortly after it ends.
            std::thread::sleep(Duration::from_millis(300));
            other_cpu += cpu_seconds(server.pid()) - before;
        }
    }
    let gigabytes = 3.0 * BULK_BYTES as f64 / 1e9;
    relay_numbers.throughput = median(&relay_runs);
    relay_numbers.cpu_per_gb = relay_cpu / gigabytes;
    step("small-message round trips");
    relay_numbers.latency = latency(&bench, &relay_url, &echo_addr)?;
    if let (Some((_, url)), Some(numbers)) = (&other, websockify_numbers.as_mut()) {
        numbers.throughput = median(&other_runs);
        numbers.cpu_per_gb = other_cpu / gigabytes;
        numbers.latency = latency(&bench, url, &echo_addr)?;
        // Both runs measured the same direct TCP path; the quieter one is the baseline for both.
        let p50 = numbers
            .latency
            .direct_p50_us
            .min(relay_numbers.latency.direct_p50_us);
        let p99 = numbers
            .latency
            .direct_p99_us
            .min(relay_numbers.latency.direct_p99_us);
        for latency in [&mut numbers.latency, &mut relay_numbers.latency] {
            latency.direct_p50_us = p50;
            latency.direct_p99_us = p99;
        }
    }
    drop(other);
    drop(relay_server);
    print_table(&relay_numbers, websockify_numbers.as_ref());
    drop(echo);
    Ok(())
}

fn median(runs: &[f64]) -> f64 {
    crate::stats::summarize(runs).map_or(0.0, |summary| summary.median)
}

/// The core the server under test runs on (the relay or websockify, never both at once).
const SERVER_CPU: usize = 0;
/// The core the load (the client and the echo server) runs on.
const LOAD_CPU: usize = 1;

/// A command pinned to one core with `taskset`, when there are at least two cores: the server
/// under test then never competes with the load generator for CPU, so the comparison measures
/// the servers, not the scheduler. Without taskset or a second core it runs unpinned.
fn on_cpu(cpu: usize, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores >= 2 && crate::process::on_path("taskset") {
        let mut command = Command::new("taskset");
        command.arg("-c").arg(cpu.to_string()).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn start_websockify(websockify: &Path, echo_addr: &str) -> Result<(Server, String), TaskError> {
    let port = free_port()?;
    let server = Server::start(
        "websockify",
        on_cpu(SERVER_CPU, websockify)
            .arg(format!("127.0.0.1:{port}"))
            .arg(echo_addr),
    )?;
    wait_for_port(port)?;
    Ok((server, format!("ws://127.0.0.1:{port}/")))
}

/// CPU seconds (user + system) used by a process, its live descendants and its reaped
/// children, from /proc (clock ticks of 1/100 s).
fn cpu_seconds(pid: u32) -> f64 {
    let mut pending = vec![pid];
    let mut ticks = 0u64;
    let mut first = true;
    while let Some(pid) = pending.pop() {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().collect())
                .unwrap_or_default();
            let field = |index: usize| {
                fields
                    .get(index)
                    .and_then(|value| value.parse::<u64>().ok())
                    .unwrap_or(0)
            };
            // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here;
            // cutime and cstime follow. Reaped children count only for the top process, so
            // that each child is counted once.
            ticks += field(11) + field(12);
            if first {
                ticks += field(13) + field(14);
            }
        }
        first = false;
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
    ticks as f64 / 100.0
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
    cpu_per_gb: f64,
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
            .map_err(TaskError::spawn(name))?;
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

/// A fresh relay in front of the echo server, and its `/v1/tcp` URL from the first line it
/// prints.
fn start_relay(relay: &Path, echo_port: &str) -> Result<(Server, String), TaskError> {
    let limits = (MANY_SESSIONS + 100).to_string();
    let mut server = Server::start(
        "portolan-relay",
        on_cpu(SERVER_CPU, relay)
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
    )?;
    let rest = server.first_line_after("portolan-relay listening on http://")?;
    let addr = rest.trim_end_matches('/');
    let url = format!("ws://{addr}/v1/tcp?host=127.0.0.1&port={echo_port}");
    Ok((server, url))
}

fn free_port() -> Result<u16, TaskError> {
    portolan_testkit::free_port().map_err(|error| TaskError::Setup(error.to_string()))
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
    let output = run_captured(on_cpu(LOAD_CPU, bench).args([
        "throughput",
        "--url",
        url,
        "--bytes",
        &BULK_BYTES.to_string(),
    ]))?;
    field(&output, "mb_per_s")
}

fn latency(bench: &Path, url: &str, echo: &str) -> Result<Latency, TaskError> {
    let output = run_captured(
        on_cpu(LOAD_CPU, bench)
            .args(["latency", "--url", url, "--count", "5000", "--direct", echo]),
    )?;
    Ok(Latency {
        p50_us: field(&output, "p50_us")?,
        p99_us: field(&output, "p99_us")?,
        direct_p50_us: field(&output, "direct_p50_us")?,
        direct_p99_us: field(&output, "direct_p99_us")?,
    })
}

fn idle(bench: &Path, url: &str, sessions: usize, pid: u32) -> Result<Idle, TaskError> {
    let output = run_captured(on_cpu(LOAD_CPU, bench).args([
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
    step("relay vs websockify (same echo server, same client, loopback; server on core 0, load on core 1)");
    let cell = |value: Option<f64>, unit: &str| {
        value.map_or("-".to_owned(), |value| format!("{value:.1} {unit}"))
    };
    let ratio = |mine: f64, theirs: Option<f64>| match theirs {
        Some(theirs) if theirs > 0.0 && mine > 0.0 && mine / theirs < 0.1 => {
            format!("1/{:.0}", theirs / mine)
        }
        Some(theirs) if theirs > 0.0 && mine > 0.0 => format!("{:.2}x", mine / theirs),
        _ => "-".to_owned(),
    };
    println!(
        "{:<46} {:>16} {:>16} {:>10}",
        "metric", "portolan-relay", "websockify", "ratio"
    );
    let rows: Vec<(&str, f64, Option<f64>, &str)> = vec![
        (
            "bulk throughput, MB/s (higher is better)",
            relay.throughput,
            websockify.map(|n| n.throughput),
            "MB/s",
        ),
        (
            "server CPU per GB echoed, s",
            relay.cpu_per_gb,
            websockify.map(|n| n.cpu_per_gb),
            "s",
        ),
        (
            "round trip p50, us",
            relay.latency.p50_us,
            websockify.map(|n| n.latency.p50_us),
            "us",
        ),
        (
            "round trip p99, us",
            relay.latency.p99_us,
            websockify.map(|n| n.latency.p99_us),
            "us",
        ),
        (
            "added p50 over direct TCP, us",
            relay.latency.p50_us - relay.latency.direct_p50_us,
            websockify.map(|n| n.latency.p50_us - n.latency.direct_p50_us),
            "us",
        ),
        (
            "added p99 over direct TCP, us",
            relay.latency.p99_us - relay.latency.direct_p99_us,
            websockify.map(|n| n.latency.p99_us - n.latency.direct_p99_us),
            "us",
        ),
        (
            "memory per idle session, KB (*)",
            relay.idle.per_session_bytes / 1000.0,
            websockify.map(|n| n.idle.per_session_bytes / 1000.0),
            "KB",
        ),
        (
            "open time per idle session, ms (*)",
            relay.idle.opened_s * 1000.0 / IDLE_SESSIONS as f64,
            websockify.map(|n| n.idle.opened_s * 1000.0 / WEBSOCKIFY_IDLE_SESSIONS as f64),
            "ms",
        ),
    ];
    for (name, mine, theirs, unit) in rows {
        println!(
            "{name:<46} {:>16} {:>16} {:>10}",
            cell(Some(mine), unit),
            cell(theirs, unit),
            ratio(mine, theirs)
        );
    }
    println!("(*) relay with {IDLE_SESSIONS} idle sessions, websockify with {WEBSOCKIFY_IDLE_SESSIONS}; memory is the PSS of the server's process tree");
    if let Some(websockify) = websockify {
        match &websockify.many {
            Some(many) => println!("websockify with {IDLE_SESSIONS} idle sessions: {:.1} KB per session", many.per_session_bytes / 1000.0),
            None => println!("websockify with {IDLE_SESSIONS} idle sessions: FAILED (its select() loop cannot watch descriptors past 1024)"),
        }
    }
    match &relay.many {
        Some(many) => println!(
            "relay with {MANY_SESSIONS} concurrent sessions: opened in {:.2} s, {:.1} KB per session",
            many.opened_s,
            many.per_session_bytes / 1000.0
        ),
        None => println!("relay with {MANY_SESSIONS} concurrent sessions: FAILED (see the output above)"),
    }
    println!("targets: throughput >= 3x websockify, memory <= 1/5 of websockify and <= 20 KB per idle session, {MANY_SESSIONS} sessions, < 1000 us added p99");
}
