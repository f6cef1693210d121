//! Minifying the page's JavaScript glue (wasm-bindgen's `portolan-app-….js`), which Trunk's
//! own minifier leaves as it is: it is part of the first screen. terser comes with the
//! end-to-end tests' npm packages, like wasm-opt; without it the glue stays as Trunk wrote it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{root, run, step};
use crate::TaskError;

/// The page's glue file in `dist`, if Trunk wrote one.
fn page_glue(dist: &Path) -> Result<Option<PathBuf>, TaskError> {
    let entries = std::fs::read_dir(dist).map_err(|source| TaskError::Io {
        path: dist.display().to_string(),
        source,
    })?;
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("portolan-app-") && name.ends_with(".js") {
            found.push(entry.path());
        }
    }
    found.sort();
    Ok(found.pop())
}

/// Minifies the page's glue in place (an ES module); a note when terser is not installed.
pub fn page_script(dist: &Path) -> Result<(), TaskError> {
    let terser = root().join("tests/e2e/node_modules/.bin/terser");
    if !terser.exists() {
        println!("note: no terser in tests/e2e/node_modules; the page's JS glue is left as is");
        return Ok(());
    }
    let Some(glue) = page_glue(dist)? else {
        return Ok(());
    };
    step(&format!("minifying {} with terser", glue.display()));
    let before = std::fs::metadata(&glue).map(|meta| meta.len()).unwrap_or(0);
    run(Command::new(&terser)
        .arg(&glue)
        .args(["--module", "--compress", "--mangle", "--output"])
        .arg(&glue))?;
    let after = std::fs::metadata(&glue).map(|meta| meta.len()).unwrap_or(0);
    println!("terser: {before} -> {after} bytes");
    Ok(())
}
