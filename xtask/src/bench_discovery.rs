//! `cargo xtask bench`, discovery part: the whole `portolan discover` against a real DoH
//! server (dnsdist + unbound on loopback, from portolan-testkit) whose answers are delayed by
//! 100 ms, so the wall time shows whether the lookups went out as one parallel batch (about
//! 100 ms) or one after another (about 1.6 s for sixteen). Prints medians and the batch's
//! size (requests and bytes); asserts nothing.
//!
//! Then the round trips with the published files in play, every HTTP answer also delayed
//! 100 ms by a loopback responder: a domain whose first batch decides (one round trip), and a
//! domain hosted at a provider nothing bundled knows, where the MX path's second round follows
//! the first (two round trips).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::process::step;
use crate::stats::summarize;
use crate::{build, TaskError};

/// The delay added to every answer of the DoH server.
const DELAY: Duration = Duration::from_millis(100);
/// Timed runs per variant (after one warm-up run).
const RUNS: usize = 9;

pub fn run() -> Result<(), TaskError> {
    let portolan = build::native_binary("portolan-cli", "portolan")?;
    let server = crate::dns::start_test_resolver(Some(DELAY), false)?;
    print_batch_size();
    step("discovery latency: the first batch's DoH lookups against dnsdist + unbound, answers delayed 100 ms");
    let parallel = measure(&portolan, &server.url, &[])?;
    let sequential = measure(&portolan, &server.url, &["--sequential-dns"])?;
    let baseline = measure(&portolan, &server.url, &["--offline"])?;
    print_line("whole discovery, one parallel batch", &parallel);
    print_line("same lookups one after another", &sequential);
    print_line("process start + offline merge only", &baseline);
    // Where the time goes: the slowest single lookup as the client measured it, against the
    // whole run.
    let output = discover(&portolan, &server.url, &[])?;
    let slowest = serde_json::from_str::<serde_json::Value>(&output)
        .ok()
        .and_then(|value| {
            value["lookups"].as_array().map(|lookups| {
                lookups
                    .iter()
                    .filter_map(|lookup| lookup["milliseconds"].as_u64())
                    .max()
                    .unwrap_or_default()
            })
        })
        .unwrap_or_default();
    println!(
        "{:<40} {slowest} ms (one run)",
        "slowest lookup inside the batch"
    );
    println!(
        "target: whole discovery <= 150 ms with a 100 ms resolver (median above: {:.1} ms)",
        median(&parallel)
    );
    round_trips(&portolan)
}

/// Records for the round-trip part: an unknown domain answered by its SRV records, and one
/// whose only clue is an MX at a provider nothing bundled knows.
const ROUND_TRIP_ZONE: &str = "\
decides.test. IN MX 10 mx.decides.test.
_imaps._tcp.decides.test. IN SRV 0 1 993 imap.decides.test.
_submissions._tcp.decides.test. IN SRV 0 1 465 smtp.decides.test.
mxpath.test. IN MX 10 mx1.mail.hosting-company.net.
";

/// Whole discoveries with the published files fetched from a delayed loopback responder.
fn round_trips(portolan: &Path) -> Result<(), TaskError> {
    let server = crate::dns::start_test_resolver_with(Some(DELAY), false, ROUND_TRIP_ZONE)?;
    let http = DelayedHttp::start(DELAY)?;
    step("discovery round trips: resolver and HTTP answers each delayed 100 ms");
    let files = |path: &str| format!("http://127.0.0.1:{}/{path}", http.port);
    let fetch_args = [
        "--autoconfig-url".to_owned(),
        files("own/mail/config-v1.1.xml"),
        "--ispdb-url".to_owned(),
        files("ispdb/{domain}"),
        "--mx-autoconfig-url".to_owned(),
        files("mx/{domain}/mail/config-v1.1.xml"),
        "--pacc-url".to_owned(),
        files("pacc/{domain}"),
    ];
    let args: Vec<&str> = fetch_args.iter().map(String::as_str).collect();
    for (label, address, target) in [
        (
            "first batch decides (SRV)",
            "jane@decides.test",
            "1 RTT + 10 ms = 110 ms",
        ),
        (
            "MX path (second round)",
            "jane@mxpath.test",
            "2 RTT + 20 ms = 220 ms",
        ),
    ] {
        let samples = measure_address(portolan, &server.url, &args, address)?;
        let median = median(&samples);
        print_line(label, &samples);
        println!(
            "{:<40} {:.2} round trips of 100 ms (target <= {target})",
            "",
            median / DELAY.as_secs_f64() / 1000.0
        );
    }
    Ok(())
}

/// What the first batch sends for one address (counted from the core's own plan, as both
/// drivers send it): DoH questions with their GET URL and DNS message bytes, and the HTTPS
/// fetches beside them.
fn print_batch_size() {
    use portolan_core::discovery::{first_batch, plan, FetchBases};
    use portolan_core::dns::{encode_query, DohMethod, DohRequest};
    let Ok(input) = portolan_core::parse_input("jane@example.com") else {
        return;
    };
    let queries = plan(&input);
    let resolver = "https://cloudflare-dns.com/dns-query";
    let mut wire = 0;
    let mut urls = 0;
    for query in &queries {
        wire += encode_query(&query.question).map_or(0, |bytes| bytes.len());
        urls += DohRequest::new(resolver, &query.question, DohMethod::Get)
            .map_or(0, |request| request.url.len());
    }
    let fetches = first_batch(&input, &FetchBases::default());
    let fetch_urls: usize = fetches.iter().map(|request| request.url.len()).sum();
    step("the first batch for jane@example.com");
    println!(
        "{:<40} {} DoH questions: {wire} bytes of DNS messages, {urls} bytes of GET URLs ({resolver})",
        "DNS", queries.len()
    );
    println!(
        "{:<40} {} HTTPS fetches: {fetch_urls} bytes of URLs ({})",
        "published files",
        fetches.len(),
        fetches
            .iter()
            .map(|request| request.kind.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "{:<40} {} requests in one parallel batch",
        "together",
        queries.len() + fetches.len()
    );
}

/// A loopback HTTP responder that answers every request with 404 after a delay: the cost of
/// a fetch without anything to parse.
struct DelayedHttp {
    port: u16,
}

impl DelayedHttp {
    fn start(delay: Duration) -> Result<DelayedHttp, TaskError> {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").map_err(|source| TaskError::Io {
                path: "127.0.0.1:0".into(),
                source,
            })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || answer_late(stream, delay));
            }
        });
        Ok(DelayedHttp { port })
    }
}

fn answer_late(mut stream: std::net::TcpStream, delay: Duration) {
    use std::io::{Read, Write};
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    std::thread::sleep(delay);
    let _ = stream
        .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
}

/// Like [`measure`] for another address and arguments.
fn measure_address(
    portolan: &Path,
    resolver: &str,
    extra: &[&str],
    address: &str,
) -> Result<Vec<f64>, TaskError> {
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let started = Instant::now();
        let output = Command::new(portolan)
            .args(["discover", "--json", "--doh", resolver])
            .args(extra)
            .arg(address)
            .output()
            .map_err(TaskError::spawn(format!(
                "{} discover {address}",
                portolan.display()
            )))?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !output.status.success() || !String::from_utf8_lossy(&output.stdout).contains("NOERROR")
        {
            return Err(TaskError::Setup(format!(
                "discover {address} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            )));
        }
        if run > 0 {
            samples.push(elapsed);
        }
    }
    Ok(samples)
}

fn print_line(label: &str, samples: &[f64]) {
    if let Some(summary) = summarize(samples) {
        println!("{label:<40} {summary} ms");
    }
}

fn median(samples: &[f64]) -> f64 {
    summarize(samples).map_or(f64::NAN, |summary| summary.median)
}

/// Runs the discovery once to warm up, then `RUNS` times, returning wall times in ms.
fn measure(portolan: &Path, resolver: &str, extra: &[&str]) -> Result<Vec<f64>, TaskError> {
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let started = Instant::now();
        let output = discover(portolan, resolver, extra)?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !extra.contains(&"--offline") && !output.contains("\"NOERROR\"") {
            return Err(TaskError::Setup(format!(
                "the benchmark's discovery got no answer from the DoH server:\n{output}"
            )));
        }
        if run > 0 {
            samples.push(elapsed);
        }
    }
    Ok(samples)
}

fn discover(portolan: &Path, resolver: &str, extra: &[&str]) -> Result<String, TaskError> {
    let text = format!(
        "{} discover --json --no-fetch --doh {resolver}",
        portolan.display()
    );
    let output = Command::new(portolan)
        .args(["discover", "--json", "--no-fetch", "--doh", resolver])
        .args(extra)
        .arg("jane@srvmail.test")
        .output()
        .map_err(TaskError::spawn(text.clone()))?;
    if !output.status.success() {
        return Err(TaskError::Failed {
            command: text,
            status: output.status.to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
