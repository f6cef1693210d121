//! `cargo xtask test`: every check CI runs, in order, with each layer's test count printed.
//!
//! Layers can be picked for a quicker local loop: `cargo xtask test native browser e2e`
//! (default: all, after `install`, `fmt` and `clippy`). `--no-install` skips the tool check.

use std::process::Command;

use crate::install::{self, Purpose};
use crate::process::run as run_command;
use crate::process::{root, run_captured, step};
use crate::serve::ServedApp;
use crate::{build, TaskError};

/// The pass/fail counts of one layer.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    passed: u64,
    failed: u64,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

const LAYERS: &[&str] = &["fmt", "clippy", "native", "browser", "e2e"];

pub fn run(args: &[String]) -> Result<(), TaskError> {
    let skip_install = args.iter().any(|arg| arg == "--no-install");
    let chosen: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    if let Some(unknown) = chosen.iter().find(|layer| !LAYERS.contains(layer)) {
        return Err(TaskError::Setup(format!(
            "unknown test layer {unknown:?}; choose from {}",
            LAYERS.join(", ")
        )));
    }
    let wants = |layer: &str| chosen.is_empty() || chosen.contains(&layer);
    if !skip_install {
        install::everything(Purpose::Test)?;
    }
    let mut summary: Vec<(&str, Counts)> = Vec::new();
    if wants("fmt") {
        step("cargo fmt --check");
        run_command(cargo().args(["fmt", "--all", "--check"]))?;
    }
    if wants("clippy") {
        step("cargo clippy (native and wasm32), warnings are errors");
        run_command(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        run_command(cargo().args([
            "clippy",
            "-p",
            "portolan-app",
            "-p",
            "portolan-core",
            "-p",
            "portolan-probe",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]))?;
        // The page with the engine inside it, as the browser tests build it.
        run_command(cargo().args([
            "clippy",
            "-p",
            "portolan-app",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--features",
            "inline-engine",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    if wants("native") {
        step("native tests (cargo test --workspace)");
        let output = run_captured(cargo().args(["test", "--workspace"]))?;
        summary.push(("native", cargo_counts(&output)));
    }
    if wants("browser") {
        step("browser tests (wasm-bindgen-test in headless Chromium)");
        // The probe driver's tests talk to recorded transcripts through the relay's protocol.
        let transcripts = portolan_testkit::transcript_relay::TranscriptRelay::start()
            .map_err(|error| TaskError::Setup(format!("the transcript relay: {error}")))?;
        let output = run_captured(
            cargo()
                .args([
                    "test",
                    "--target",
                    "wasm32-unknown-unknown",
                    "-p",
                    "portolan-app",
                    "--test",
                    "web",
                    // The probe worker's driver over a real WebSocket.
                    "--test",
                    "probe_driver",
                    // wasm-bindgen-test has no worker file to load: the engine answers
                    // inside the page (the e2e layer runs the real worker).
                    "--features",
                    "portolan-app/inline-engine",
                    "-p",
                    "portolan-core",
                    "--test",
                    "wasm",
                    // The probes' byte transcripts, TLS included, on wasm32.
                    "-p",
                    "portolan-probe",
                    "--test",
                    "transcripts",
                ])
                .env("PORTOLAN_TRANSCRIPT_RELAY", transcripts.url())
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )?;
        summary.push(("browser", cargo_counts(&output)));
    }
    if wants("e2e") {
        let dist = build::app()?;
        let relay = build::test_binary("portolan-relay", "portolan-relay")?;
        let cli = build::test_binary("portolan-cli", "portolan")?;
        let scratch = root().join("target/e2e/live");
        let live = crate::live_world::LiveWorld::start(None, &scratch)?;
        let site = live.site(&dist, &scratch.join("site"))?;
        let served = ServedApp::start_with(&relay, &site, &live.relay_args)?;
        let doh = crate::dns::start_test_resolver_with(None, false, &live.zone_records)?;
        // A second resolver for the "second opinion" test: the same world, except that it
        // has been told of another mail server for srvmail.test.
        let doh_second = crate::dns::start_test_resolver_with(
            None,
            false,
            &format!(
                "{}\nsrvmail.test. IN MX 5 mx.attacker.example.\n",
                live.zone_records
            ),
        )?;
        step("end-to-end tests (Playwright driving /usr/bin/chromium)");
        let mut node = Command::new("node");
        node.args(["--test", "--test-reporter=spec", "--test-concurrency=1"]);
        // While working on one test: PORTOLAN_E2E_ONLY=<name pattern> runs just the matching.
        if let Ok(pattern) = std::env::var("PORTOLAN_E2E_ONLY") {
            node.arg(format!("--test-name-pattern={pattern}"));
        }
        let output = run_captured(
            node.arg("tests/e2e/")
                .current_dir(root())
                .env("PORTOLAN_URL", &served.url)
                .env("PORTOLAN_DOH", &doh.url)
                .env("PORTOLAN_DOH_SECOND", &doh_second.url)
                .env("PORTOLAN_CLI", &cli)
                .env("PORTOLAN_PAGE_WASM", build::page_wasm_with_names())
                .env("PORTOLAN_LIVE_RECORD", &live.record)
                .env("PORTOLAN_LIVE_PASSWORD", live.password),
        )?;
        summary.push(("e2e", node_counts(&output)));
    }
    print_summary(&summary)
}

fn cargo() -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(root());
    command
}

/// Sums cargo's `test result: ok. N passed; M failed; ...` lines (libtest and
/// wasm-bindgen-test-runner print the same form).
fn cargo_counts(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            continue;
        };
        counts.add(Counts {
            passed: number_before(rest, " passed"),
            failed: number_before(rest, " failed"),
        });
    }
    counts
}

/// Reads node's test runner summary (`ℹ pass N` with the spec reporter, `# pass N` with TAP).
fn node_counts(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let [marker, what, number] = words.as_slice() {
            if *marker == "ℹ" || *marker == "#" {
                let value = number.parse().unwrap_or(0);
                match *what {
                    "pass" => counts.passed += value,
                    "fail" => counts.failed += value,
                    _ => {}
                }
            }
        }
    }
    counts
}

/// The number just before `marker` in `text`, or 0.
fn number_before(text: &str, marker: &str) -> u64 {
    text.find(marker)
        .and_then(|end| text[..end].split_whitespace().last())
        .and_then(|word| {
            word.trim_start_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

fn print_summary(summary: &[(&str, Counts)]) -> Result<(), TaskError> {
    step("summary");
    let mut total = Counts::default();
    for (layer, counts) in summary {
        println!(
            "{layer:>8}: {} passed, {} failed",
            counts.passed, counts.failed
        );
        total.add(*counts);
    }
    if summary.iter().any(|(_, counts)| counts.passed == 0) {
        return Err(TaskError::Setup(
            "a test layer ran no tests: that is a failure, not a pass".into(),
        ));
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_node_summaries() {
        let cargo = "test result: ok. 12 passed; 0 failed; 1 ignored\n\
                     test result: FAILED. 3 passed; 2 failed; 0 ignored";
        let counts = cargo_counts(cargo);
        assert_eq!((counts.passed, counts.failed), (15, 2));
        let node = "ℹ tests 4\nℹ pass 3\nℹ fail 1\n# pass 2";
        let counts = node_counts(node);
        assert_eq!((counts.passed, counts.failed), (5, 1));
    }
}
