//! `cargo xtask bench`, discovery part: the whole `portolan discover` against a real DoH
//! server (dnsdist + unbound on loopback, from portolan-testkit) whose answers are delayed by
//! 100 ms, so the wall time shows whether the eight lookups went out as one parallel batch
//! (about 100 ms) or one after another (about 800 ms). Prints medians; asserts nothing.

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
    step("discovery latency: 8 DoH lookups against dnsdist + unbound, answers delayed 100 ms");
    let parallel = measure(&portolan, &server.url, &[])?;
    let sequential = measure(&portolan, &server.url, &["--sequential-dns"])?;
    let baseline = measure(&portolan, &server.url, &["--offline"])?;
    print_line("whole discovery, one parallel batch", &parallel);
    print_line("same 8 lookups one after another", &sequential);
    print_line("process start + offline merge only", &baseline);
    println!(
        "target: whole discovery <= 150 ms with a 100 ms resolver (median above: {:.1} ms)",
        median(&parallel)
    );
    Ok(())
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
