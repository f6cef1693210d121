//! Serving the built app from `--static DIR`: files by path, `index.html` for everything else
//! (the app routes on the client), precompressed `.br`/`.gz` siblings when the browser accepts
//! them.

use std::path::{Path, PathBuf};

use crate::http::Response;
use crate::request::{percent_decode_path, RequestHead};
use crate::RelayError;

/// The static site.
#[derive(Debug, Clone)]
pub struct StaticFiles {
    root: PathBuf,
}

impl StaticFiles {
    /// Checks that `dir` holds an `index.html`.
    pub fn new(dir: &Path) -> Result<Self, RelayError> {
        let root = dir
            .canonicalize()
            .map_err(|_| RelayError::StaticDir(dir.to_path_buf()))?;
        if !root.join("index.html").is_file() {
            return Err(RelayError::StaticDir(dir.to_path_buf()));
        }
        Ok(StaticFiles { root })
    }

    /// Maps a request path to a file under the root; `None` for paths that try to leave it or
    /// name hidden files.
    async fn file_for(&self, raw_path: &str) -> Option<PathBuf> {
        let decoded = percent_decode_path(raw_path)?;
        let mut path = self.root.clone();
        for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
            if segment.starts_with('.') || segment.contains('\\') || segment.contains('\0') {
                return None;
            }
            path.push(segment);
        }
        // Asked of the runtime's blocking pool, so a slow disk never stalls the relay's pumps.
        // A file needs one look; only a directory needs a second, for its index.html.
        let meta = tokio::fs::metadata(&path).await.ok()?;
        if meta.is_file() {
            return Some(path);
        }
        if !meta.is_dir() {
            return None;
        }
        path.push("index.html");
        tokio::fs::metadata(&path)
            .await
            .ok()?
            .is_file()
            .then_some(path)
    }

    /// Answers a GET or HEAD for `head.path`.
    pub async fn respond(&self, head: &RequestHead) -> Response {
        let path = self
            .file_for(&head.path)
            .await
            .unwrap_or_else(|| self.root.join("index.html"));
        let content_type = content_type(&path);
        let accepts = head.accept_encoding.as_deref().unwrap_or("");
        for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
            if !accepts
                .split(',')
                .any(|part| part.split(';').next().unwrap_or("").trim() == encoding)
            {
                continue;
            }
            let mut compressed = path.clone().into_os_string();
            compressed.push(".");
            compressed.push(suffix);
            let compressed = PathBuf::from(compressed);
            if let Some(response) = send_file(&compressed, &path, content_type, head).await {
                return response.with_header("Content-Encoding", encoding);
            }
        }
        send_file(&path, &path, content_type, head)
            .await
            .unwrap_or_else(|| Response::new(404, "text/plain; charset=utf-8", "not found\n"))
    }
}

/// Sends `file` (which stands for `path`: the file itself or a compressed sibling), or a 304
/// when the browser's copy is still current; `None` when it cannot be read.
async fn send_file(
    file: &Path,
    path: &Path,
    content_type: &'static str,
    head: &RequestHead,
) -> Option<Response> {
    let meta = tokio::fs::metadata(file).await.ok()?;
    let tag = entity_tag(&meta);
    let response = if head
        .if_none_match
        .as_deref()
        .is_some_and(|wanted| matches_tag(wanted, &tag))
    {
        Response::new(304, content_type, Vec::new())
    } else {
        Response::new(200, content_type, tokio::fs::read(file).await.ok()?)
    };
    Some(
        response
            .with_header("Vary", "Accept-Encoding")
            .with_header("Cache-Control", cache_control(path))
            .with_header("ETag", tag),
    )
}

/// A strong validator from the file's size and modification time: a new build writes new
/// files, so either changes.
fn entity_tag(meta: &std::fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    format!("\"{:x}-{:x}\"", meta.len(), modified)
}

/// True when an `If-None-Match` value names `tag` (or is `*`); weak tags compare by value.
fn matches_tag(wanted: &str, tag: &str) -> bool {
    wanted.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == tag
    })
}

/// Files whose names carry a content hash (Trunk's `name-<hex>.ext`, `name-<hex>_bg.wasm`) never
/// change and may be kept for good. Everything else (`index.html`, the engine worker's files,
/// which must keep fixed names) is revalidated on every use, so a new release is never mixed
/// with an old one.
fn cache_control(path: &Path) -> &'static str {
    let stem = path
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.split('.').next())
        .unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (12..=32).contains(&hash.len()) && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    });
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|ext| ext.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_tags_by_value() {
        let tag = "\"b-17\"";
        assert!(matches_tag("\"b-17\"", tag));
        assert!(matches_tag("\"a-1\", W/\"b-17\"", tag));
        assert!(matches_tag("*", tag));
        assert!(!matches_tag("\"b-18\"", tag));
        assert!(!matches_tag("", tag));
    }

    #[test]
    fn only_content_hashed_files_are_kept_for_good() {
        let forever = "public, max-age=31536000, immutable";
        for (name, expected) in [
            ("portolan-app-6608692c8bf5b6e.js", forever),
            ("portolan-app-6608692c8bf5b6e_bg.wasm", forever),
            ("main-4590104edbcf7ebb.css", forever),
            ("index.html", "no-cache"),
            ("portolan-engine.js", "no-cache"),
            ("portolan-engine_bg.wasm", "no-cache"),
            ("portolan-engine_loader.js", "no-cache"),
            // Versioned by `cargo xtask` after Trunk: the digest of the worker's code.
            ("portolan-engine-0123456789abcdef.js", forever),
            ("portolan-engine-0123456789abcdef_bg.wasm", forever),
            ("portolan-engine_loader-0123456789abcdef.js", forever),
            // The service worker keeps its name: browsers look for updates at the same URL.
            ("sw.js", "no-cache"),
            ("some-page.html", "no-cache"),
            ("logo-deadbeef.svg", "no-cache"),
        ] {
            assert_eq!(cache_control(Path::new(name)), expected, "{name}");
        }
    }
}
