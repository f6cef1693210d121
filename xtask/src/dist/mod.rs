//! What `cargo xtask` does to `dist/` after Trunk and wasm-opt, so the files are fit to host:
//! the page's JavaScript glue minified, worker files with versioned names, Subresource Integrity on everything index.html loads, a
//! strict Content-Security-Policy, and the service worker's list of files for offline use.
//! The order matters: each step reads what the one before wrote, and the service worker's
//! version is a digest of the finished files.

mod html;
mod integrity;
mod minify;
mod offline;
mod policy;
mod workers;

use std::path::Path;

use sha2::{Digest, Sha256, Sha384};

use crate::TaskError;

pub use offline::Precache;

/// Finishes `dist/` (see the module header) and returns what the service worker keeps.
pub fn finish(dist: &Path) -> Result<Precache, TaskError> {
    minify::page_script(dist)?;
    let loaders = workers::version(dist)?;
    let index = dist.join("index.html");
    let page = String::from_utf8_lossy(&read(&index)?).into_owned();
    let names: String = loaders
        .iter()
        .map(workers::VersionedLoader::meta_tag)
        .collect();
    let no_head =
        || TaskError::Setup("dist/index.html has no <meta charset>, <head> or <html>".into());
    let page = html::insert_in_head(&page, &names).ok_or_else(no_head)?;
    let page = integrity::add(dist, &page)?;
    let policy = policy::for_page(&page).ok_or_else(|| {
        TaskError::Setup("dist/index.html has a <script> that is never closed".into())
    })?;
    let csp = policy::meta_tag(&policy);
    let page = html::insert_in_head(&page, &csp).ok_or_else(no_head)?;
    write(&index, page.as_bytes())?;
    offline::write_service_worker(dist)
}

/// `sha384-…`, as an `integrity` attribute wants it.
fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
}

/// The first 16 hex digits of the SHA-256 of `parts` in order: a version for file names.
fn digest_hex(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn read(path: &Path) -> Result<Vec<u8>, TaskError> {
    std::fs::read(path).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), TaskError> {
    std::fs::write(path, bytes).map_err(|source| TaskError::Io {
        path: path.display().to_string(),
        source,
    })
}
