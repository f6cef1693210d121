//! `cargo xtask bench`: numbers, printed, never asserted (timed assertions flake).
//!
//! Prints the release wasm sizes (the page, the engine worker and the probe worker) raw, gzip
//! and brotli; the first screen compressed as a server would send it (the files the browser
//! had loaded when the app marked its first render) and the whole of `dist/`; the time to
//! first render, from submit to result (resolver 100 ms away), and from "Check these servers"
//! to every result (two servers 50 ms from the relay; the probe worker cold, then warm) in
//! headless Chromium (medians of 5); then the discovery, engine, live-check and relay
//! benchmarks.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::install::{self, Purpose};
use crate::process::{root, run_captured, step};
use crate::serve::ServedApp;
use crate::{build, TaskError};

pub fn run() -> Result<(), TaskError> {
    run_app()?;
    crate::bench_discovery::run()?;
    crate::bench_audit::run()?;
    crate::bench_engine::run()?;
    crate::bench_probe::run()?;
    crate::bench_relay::run()
}

/// The app's part: bundle sizes and the browser timings.
pub fn run_app() -> Result<(), TaskError> {
    install::everything(Purpose::Test)?;
    let dist = build::app()?;
    let compressed = compress_all(&dist)?;
    sizes(&dist, &compressed)?;
    let relay = build::native_binary("portolan-relay", "portolan-relay")?;
    let first_screen = browser_timings(&relay, &dist)?;
    live_check_timings(&relay, &dist)?;
    first_screen_size(&dist, &compressed, &first_screen)
}

/// Click on "Check these servers" to every result, two servers 50 ms away from the relay.
fn live_check_timings(relay: &Path, dist: &Path) -> Result<(), TaskError> {
    let scratch = root().join("target/bench/live");
    // 25 ms each way between the relay and the servers: 50 ms per round trip.
    let live =
        crate::live_world::LiveWorld::start(Some(std::time::Duration::from_millis(25)), &scratch)?;
    let site = live.site(dist, &scratch.join("site"))?;
    let served = ServedApp::start_with(relay, &site, &live.relay_args)?;
    let doh = crate::dns::start_test_resolver_with(None, false, &live.zone_records)?;
    step("live check in headless Chromium: click to every result, two servers 50 ms away (5 runs)");
    let output = run_captured(
        Command::new("node")
            .arg("tests/e2e/bench/check-to-results.mjs")
            .arg(&served.url)
            .arg(&doh.url)
            .current_dir(root()),
    )?;
    print_samples(
        "check to results, probe worker cold (target < 1000 ms)",
        &output,
        "sample-ms ",
    )?;
    print_samples("check to results, probe worker warm", &output, "warm-ms ")
}

/// Compressed sizes with the settings static hosts use for precompressed files.
#[derive(Debug, Clone, Copy, Default)]
struct Compressed {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

fn compress(bytes: &[u8]) -> Result<Compressed, TaskError> {
    let io_error = |source| TaskError::Io {
        path: "(in memory)".into(),
        source,
    };
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).map_err(io_error)?;
    let gzip = gzip.finish().map_err(io_error)?;
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        writer.write_all(bytes).map_err(io_error)?;
    }
    Ok(Compressed {
        raw: bytes.len(),
        gzip: gzip.len(),
        brotli: brotli.len(),
    })
}

fn read(path: &Path) -> Result<Vec<u8>, TaskError> {
    std::fs::read(path).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn files_under(dir: &Path) -> Result<Vec<PathBuf>, TaskError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let entries = std::fs::read_dir(&next).map_err(|source| TaskError::Io {
            path: next.display().to_string(),
            source,
        })?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

fn print_sizes(what: &str, sizes: &Compressed) {
    println!(
        "{what:<40} raw {:>10}   gzip {:>10}   brotli {:>10}",
        kib(sizes.raw),
        kib(sizes.gzip),
        kib(sizes.brotli)
    );
}

/// Every file under `dist/`, compressed once (brotli at its best level takes a while).
fn compress_all(dist: &Path) -> Result<BTreeMap<PathBuf, Compressed>, TaskError> {
    files_under(dist)?
        .into_iter()
        .map(|file| Ok((file.clone(), compress(&read(&file)?)?)))
        .collect()
}

/// The sum of the compressed sizes of `files`, all of which must be in `compressed`.
fn total_of(
    compressed: &BTreeMap<PathBuf, Compressed>,
    files: &[PathBuf],
) -> Result<Compressed, TaskError> {
    let mut total = Compressed::default();
    for file in files {
        let one = compressed
            .get(file)
            .ok_or_else(|| TaskError::Setup(format!("dist/ has no file {}", file.display())))?;
        total.raw += one.raw;
        total.gzip += one.gzip;
        total.brotli += one.brotli;
    }
    Ok(total)
}

fn sizes(dist: &Path, compressed: &BTreeMap<PathBuf, Compressed>) -> Result<(), TaskError> {
    step("bundle sizes");
    for (what, prefix) in [
        ("page wasm (release, first screen)", build::PAGE_WASM_PREFIX),
        (
            "engine worker wasm (after first render)",
            build::ENGINE_WASM_PREFIX,
        ),
        (
            "probe worker wasm (target brotli <= 250 KB)",
            build::PROBE_WASM_PREFIX,
        ),
    ] {
        let wasm = build::wasm_file(dist, prefix)?;
        print_sizes(what, &total_of(compressed, &[wasm])?);
    }
    let everything: Vec<PathBuf> = compressed.keys().cloned().collect();
    print_sizes("dist/ (all files)", &total_of(compressed, &everything)?);
    knowledge_size()
}

/// The provider tables' share of the engine worker (the page never links them): their text,
/// compressed as it would be inside the wasm file, and their records at wasm32's layout
/// (8 bytes per `&str` or slice). An estimate from the data, not a second build.
fn knowledge_size() -> Result<(), TaskError> {
    use portolan_core::knowledge::{curated, imported, Provider};
    let mut text = String::new();
    let mut records = 0usize;
    for provider in curated().iter().chain(imported()) {
        let Provider {
            id,
            name,
            domains,
            servers,
            auth,
            notes,
            help,
            mx,
            oauth2,
            ..
        } = provider;
        for piece in [id, name]
            .into_iter()
            .chain(domains.iter())
            .chain(notes.iter())
        {
            text.push_str(piece);
        }
        for piece in help.iter().chain(mx.iter()) {
            text.push_str(piece);
        }
        for server in *servers {
            text.push_str(server.host);
            text.push_str(server.note);
        }
        if let Some(endpoints) = oauth2 {
            for piece in [
                endpoints.issuer,
                endpoints.scope,
                endpoints.auth_url,
                endpoints.token_url,
            ] {
                text.push_str(piece);
            }
        }
        records += 128
            + 8 * (domains.len() + notes.len() + help.len() + mx.len())
            + 32 * servers.len()
            + auth.len();
    }
    let compressed = compress(text.as_bytes())?;
    let domains: usize = curated()
        .iter()
        .chain(imported())
        .map(|p| p.domains.len())
        .sum();
    println!(
        "provider knowledge (engine worker only): {} curated + {} imported entries, {domains} \
         domains; text raw {} / brotli {}, records about {} (wasm32 layout)",
        curated().len(),
        imported().len(),
        kib(compressed.raw),
        kib(compressed.brotli),
        kib(records)
    );
    Ok(())
}

/// Sizes the files the browser had loaded at the first render, named by the bench page.
fn first_screen_size(
    dist: &Path,
    compressed: &BTreeMap<PathBuf, Compressed>,
    names: &[String],
) -> Result<(), TaskError> {
    step("first screen: the files loaded before the first render");
    let files: Vec<PathBuf> = names.iter().map(|name| dist.join(name)).collect();
    println!("files: {}", names.join(", "));
    let total = total_of(compressed, &files)?;
    print_sizes("first screen (target brotli <= 150 KB)", &total);
    println!(
        "first screen brotli: {:.1} KB ({} bytes)",
        total.brotli as f64 / 1000.0,
        total.brotli
    );
    Ok(())
}

/// Runs the browser benches; returns the names of the files the first screen loaded.
fn browser_timings(relay: &Path, dist: &Path) -> Result<Vec<String>, TaskError> {
    let served = ServedApp::start(relay, dist)?;
    step("time to first render in headless Chromium (5 cold loads)");
    let output = run_captured(
        Command::new("node")
            .arg("tests/e2e/bench/first-render.mjs")
            .arg(&served.url)
            .current_dir(root()),
    )?;
    print_samples("first render", &output, "sample-ms ")?;
    let mut first_screen: Vec<String> = output
        .lines()
        .filter_map(|line| line.strip_prefix("first-screen-file "))
        .map(|name| name.trim().to_owned())
        .collect();
    first_screen.sort();
    first_screen.dedup();
    step("repeat visit with the network cut, from the service worker's cache (5 runs)");
    let output = run_captured(
        Command::new("node")
            .arg("tests/e2e/bench/offline-repeat.mjs")
            .current_dir(root()),
    )?;
    print_samples("offline repeat visit, first render", &output, "sample-ms ")?;
    for (prefix, what) in [
        (
            "cached-bytes ",
            "service worker keeps (bytes, uncompressed)",
        ),
        ("cached-files ", "service worker keeps (files)"),
    ] {
        if let Some(value) = output.lines().find_map(|line| line.strip_prefix(prefix)) {
            println!("{what}: {}", value.trim());
        }
    }
    let doh = crate::dns::start_test_resolver(Some(std::time::Duration::from_millis(100)), true)?;
    step("submit to result in headless Chromium, resolver 100 ms away (5 runs)");
    let output = run_captured(
        Command::new("node")
            .arg("tests/e2e/bench/submit-to-result.mjs")
            .arg(&served.url)
            .arg(&doh.url)
            .current_dir(root()),
    )?;
    print_samples("submit to result (target <= 250 ms)", &output, "sample-ms ")?;
    print_samples(
        "  of which lookups (8 DNS + autoconfig, in parallel)",
        &output,
        "lookup-ms ",
    )?;
    print_samples(
        "link to result, cold (engine worker start included)",
        &output,
        "link-ms ",
    )?;
    Ok(first_screen)
}

/// Prints the median, minimum and maximum of the `prefix`-marked numbers in `output`.
fn print_samples(what: &str, output: &str, prefix: &str) -> Result<(), TaskError> {
    let samples: Vec<f64> = output
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .filter_map(|value| value.trim().parse().ok())
        .collect();
    let summary = crate::stats::summarize(&samples)
        .ok_or_else(|| TaskError::Setup(format!("the {what} bench printed no samples")))?;
    println!("{what}: {summary} ms");
    Ok(())
}
