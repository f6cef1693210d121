//! Versioned worker files. Trunk names a worker's files after the binary alone
//! (`portolan-engine.js`, `portolan-engine_bg.wasm`, `portolan-engine_loader.js`), so a page
//! from one build could start the next build's worker. Each worker's files get the digest of
//! its code in their names, its loader is rewritten to match, and index.html names the loader
//! in `<meta name="portolan-worker" data-for="./FIXED" content="./VERSIONED">`, which the page
//! reads (`versioned_script` in `src/page/worker_client.rs`).

use std::path::Path;

use super::{digest_hex, read, write};
use crate::TaskError;

/// The workers Trunk builds (`data-type="worker"` in index.html).
pub const WORKERS: &[&str] = &["portolan-engine", "portolan-probe-worker"];

/// One worker's loader before and after versioning, as the page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionedLoader {
    pub fixed: String,
    pub versioned: String,
}

impl VersionedLoader {
    /// The tag that tells the page the loader's versioned name.
    pub fn meta_tag(&self) -> String {
        format!(
            "<meta name=\"portolan-worker\" data-for=\"./{}\" content=\"./{}\">",
            self.fixed, self.versioned
        )
    }
}

/// Renames every worker's files in `dist` after their digest and rewrites its loader.
pub fn version(dist: &Path) -> Result<Vec<VersionedLoader>, TaskError> {
    let mut loaders = Vec::new();
    for worker in WORKERS {
        let script = format!("{worker}.js");
        let wasm = format!("{worker}_bg.wasm");
        let loader = format!("{worker}_loader.js");
        let script_bytes = read(&dist.join(&script))?;
        let wasm_bytes = read(&dist.join(&wasm))?;
        let version = digest_hex(&[&script_bytes, &wasm_bytes]);
        let new_script = format!("{worker}-{version}.js");
        let new_wasm = format!("{worker}-{version}_bg.wasm");
        let new_loader = format!("{worker}_loader-{version}.js");
        let loader_text = String::from_utf8_lossy(&read(&dist.join(&loader))?).into_owned();
        let rewritten = rewrite_loader(&loader_text, [(&script, &new_script), (&wasm, &new_wasm)])
            .ok_or_else(|| {
                TaskError::Setup(format!(
                    "{loader} does not name {script} and {wasm}: Trunk's loader shim changed"
                ))
            })?;
        write(&dist.join(&new_loader), rewritten.as_bytes())?;
        rename(dist, &script, &new_script)?;
        rename(dist, &wasm, &new_wasm)?;
        remove(&dist.join(&loader))?;
        loaders.push(VersionedLoader {
            fixed: loader,
            versioned: new_loader,
        });
    }
    Ok(loaders)
}

/// The loader with each old file name replaced by its new one; `None` when one is missing.
fn rewrite_loader(loader: &str, renames: [(&String, &String); 2]) -> Option<String> {
    let mut text = loader.to_owned();
    for (old, new) in renames {
        if !text.contains(old.as_str()) {
            return None;
        }
        text = text.replace(old.as_str(), new);
    }
    Some(text)
}

fn rename(dist: &Path, from: &str, to: &str) -> Result<(), TaskError> {
    std::fs::rename(dist.join(from), dist.join(to)).map_err(|source| TaskError::Io {
        path: dist.join(from).display().to_string(),
        source,
    })
}

fn remove(path: &Path) -> Result<(), TaskError> {
    std::fs::remove_file(path).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_names_the_versioned_files() {
        let (script, wasm) = ("w.js".to_owned(), "w_bg.wasm".to_owned());
        let (new_script, new_wasm) = ("w-ab12.js".to_owned(), "w-ab12_bg.wasm".to_owned());
        let loader = "importScripts('./w.js');wasm_bindgen('./w_bg.wasm');";
        assert_eq!(
            rewrite_loader(loader, [(&script, &new_script), (&wasm, &new_wasm)]).as_deref(),
            Some("importScripts('./w-ab12.js');wasm_bindgen('./w-ab12_bg.wasm');")
        );
        assert_eq!(
            rewrite_loader(
                "importScripts('./other.js')",
                [(&script, &new_script), (&wasm, &new_wasm)]
            ),
            None,
            "a loader that does not name the files is an error, not a silent pass"
        );
    }
}
