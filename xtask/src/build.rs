//! Building the app (Trunk, release, offline) and the native binaries.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{find_on_path, output_of, root, run, step};
use crate::TaskError;

/// The wasm features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept
/// them all.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-multivalue",
    "--enable-reference-types",
];

/// Builds `dist/` with `trunk build --release --offline`, then shrinks the wasm with wasm-opt
/// when one is available. Returns the dist directory.
pub fn app() -> Result<PathBuf, TaskError> {
    step("building the app (trunk build --release --offline)");
    let root = root();
    run(Command::new("trunk")
        .args(["build", "--release", "--offline"])
        .current_dir(&root))?;
    let dist = root.join("dist");
    optimise_wasm(&dist)?;
    step("versioning the worker files, adding integrity, the CSP and the offline list");
    let precache = crate::dist::finish(&dist)?;
    println!(
        "service worker: version {}, {} files, {} bytes to keep",
        precache.version,
        precache.files.len(),
        precache.bytes
    );
    Ok(dist)
}

/// The file-name start of the page's wasm (the first screen); Trunk adds a content hash.
pub const PAGE_WASM_PREFIX: &str = "portolan-app";
/// The file-name start of the engine worker's wasm (loaded after the first render).
pub const ENGINE_WASM_PREFIX: &str = "portolan-engine";
/// The file-name start of the probe worker's wasm (loaded when a live check starts).
pub const PROBE_WASM_PREFIX: &str = "portolan-probe-worker";

/// Every release `.wasm` file in `dist/`, sorted.
fn wasm_files(dist: &std::path::Path) -> Result<Vec<PathBuf>, TaskError> {
    let entries = std::fs::read_dir(dist).map_err(|source| TaskError::Io {
        path: dist.display().to_string(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    files.sort();
    Ok(files)
}

/// The release `.wasm` file in `dist/` whose name starts with `prefix`.
pub fn wasm_file(dist: &std::path::Path, prefix: &str) -> Result<PathBuf, TaskError> {
    wasm_files(dist)?
        .into_iter()
        .find(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with(prefix))
        })
        .ok_or_else(|| TaskError::Setup(format!("no {prefix}*.wasm file in {}", dist.display())))
}

/// A wasm-opt new enough for today's rustc output: the npm `binaryen` package installed by
/// the test tools, or one on PATH reporting version 116 or later.
fn find_wasm_opt() -> Option<PathBuf> {
    let from_npm = root().join("tests/e2e/node_modules/.bin/wasm-opt");
    if from_npm.is_file() {
        return Some(from_npm);
    }
    let on_path = find_on_path("wasm-opt")?;
    let version = output_of(on_path.to_str()?, &["--version"])?;
    let number: u32 = version
        .split_whitespace()
        .find_map(|word| word.parse().ok())?;
    (number >= 116).then_some(on_path)
}

fn optimise_wasm(dist: &std::path::Path) -> Result<(), TaskError> {
    let Some(wasm_opt) = find_wasm_opt() else {
        println!("note: no wasm-opt (binaryen >= 116) found; the wasm is left as rustc made it");
        return Ok(());
    };
    for wasm in wasm_files(dist)? {
        step(&format!("shrinking {} with wasm-opt -Oz", wasm.display()));
        let before = std::fs::metadata(&wasm).map(|meta| meta.len()).unwrap_or(0);
        run(Command::new(&wasm_opt)
            .arg("-Oz")
            // What rustc's wasm output guarantees: memory starts zeroed (wasm-bindgen's module
            // makes its own), and the lowest kilobyte is never used (the stack comes first and
            // grows down from 1 MiB toward it). Both let wasm-opt drop code.
            .args(["--zero-filled-memory", "--low-memory-unused"])
            .args(WASM_FEATURES)
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm))?;
        let after = std::fs::metadata(&wasm).map(|meta| meta.len()).unwrap_or(0);
        println!("wasm-opt: {before} -> {after} bytes");
    }
    Ok(())
}

/// Builds a native binary of the workspace with the speed-tuned `native` profile (for serving
/// and benchmarks).
pub fn native_binary(package: &str, binary: &str) -> Result<PathBuf, TaskError> {
    binary_with_profile(package, binary, "native")
}

/// Builds a native binary with the `dev` profile: what the tests already compiled, so the
/// end-to-end tests cost no second, optimised build.
pub fn test_binary(package: &str, binary: &str) -> Result<PathBuf, TaskError> {
    binary_with_profile(package, binary, "dev")
}

fn binary_with_profile(package: &str, binary: &str, profile: &str) -> Result<PathBuf, TaskError> {
    step(&format!("building {binary} (profile {profile})"));
    let root = root();
    run(Command::new("cargo")
        .args([
            "build",
            "--profile",
            profile,
            "-p",
            package,
            "--bin",
            binary,
        ])
        .current_dir(&root))?;
    let directory = if profile == "dev" { "debug" } else { profile };
    Ok(target_dir().join(directory).join(binary))
}

/// Cargo's target directory (`CARGO_TARGET_DIR`, or `target/`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

/// The page's wasm as rustc linked it for the last release build, before wasm-bindgen and
/// wasm-opt: it still has its function names, so a test can see which code it contains.
pub fn page_wasm_with_names() -> PathBuf {
    target_dir()
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("portolan-app.wasm")
}
