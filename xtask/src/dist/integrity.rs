//! Subresource Integrity for every file index.html loads: the stylesheet, the page's script
//! (its module preload) and its wasm (the preload, and the fetch that instantiates it).
//! Computed here, after wasm-opt changed the wasm, which is why index.html tells Trunk
//! `data-integrity="none"`: a digest Trunk wrote would be of the file before wasm-opt.

use std::path::Path;

use super::html::{rewrite_tags, StartTag};
use super::{read, sri};
use crate::TaskError;

/// The `rel` values whose links take an `integrity` attribute.
const CHECKED_RELS: &[&str] = &["stylesheet", "preload", "modulepreload"];

/// index.html with an `integrity` attribute on every link and script that loads a file of
/// `dist`, and the page's wasm fetched with its digest. Fails on a reference to a missing file.
pub fn add(dist: &Path, html: &str) -> Result<String, TaskError> {
    let mut missing = Vec::new();
    let mut digest_of = |reference: &str| -> Option<String> {
        let bytes = local_file(reference).and_then(|name| read(&dist.join(name)).ok());
        if bytes.is_none() {
            missing.push(reference.to_owned());
        }
        bytes.map(|bytes| sri(&bytes))
    };
    let mut edit = |tag: &mut StartTag, attribute: &str| {
        let Some(reference) = tag.get(attribute).map(str::to_owned) else {
            return;
        };
        if local_file(&reference).is_none() {
            return;
        }
        if let Some(digest) = digest_of(&reference) {
            tag.set("integrity", &digest);
            if tag.get("crossorigin").is_none() {
                tag.set("crossorigin", "anonymous");
            }
        }
    };
    let html = rewrite_tags(html, "link", |tag| {
        let rel = tag.get("rel").unwrap_or_default().to_ascii_lowercase();
        if CHECKED_RELS.contains(&rel.as_str()) {
            edit(tag, "href");
        }
    });
    let html = rewrite_tags(&html, "script", |tag| edit(tag, "src"));
    let html = checked_wasm_fetch(&html, &mut digest_of)?;
    if !missing.is_empty() {
        return Err(TaskError::Setup(format!(
            "index.html loads files that are not in dist/: {}",
            missing.join(", ")
        )));
    }
    Ok(html)
}

/// Trunk's bootstrap hands wasm-bindgen the page's wasm as a path (`module_or_path:
/// './NAME_bg.wasm'`), which wasm-bindgen fetches without a digest. It is replaced by a fetch
/// that carries one, so the wasm that runs is the wasm the page names.
fn checked_wasm_fetch(
    html: &str,
    digest_of: &mut impl FnMut(&str) -> Option<String>,
) -> Result<String, TaskError> {
    const KEY: &str = "module_or_path:";
    let Some(at) = html.find(KEY) else {
        return Err(TaskError::Setup(
            "index.html's bootstrap script passes no `module_or_path`: Trunk's output changed"
                .into(),
        ));
    };
    let after = &html[at + KEY.len()..];
    let value_start = after.len() - after.trim_start().len();
    let quoted = &after[value_start..];
    let Some(quote) = quoted.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
        return Err(TaskError::Setup(
            "index.html's bootstrap passes the wasm as something other than a path".into(),
        ));
    };
    let Some(close) = quoted[1..].find(quote) else {
        return Err(TaskError::Setup(
            "index.html's bootstrap is cut short".into(),
        ));
    };
    let path = &quoted[1..1 + close];
    let Some(digest) = digest_of(path) else {
        return Ok(html.to_owned());
    };
    let start = at + KEY.len() + value_start;
    let end = start + close + 2;
    Ok(format!(
        "{}fetch('{path}',{{integrity:'{digest}'}}){}",
        &html[..start],
        &html[end..]
    ))
}

/// The dist file a reference names: relative, without scheme or query; `None` otherwise.
fn local_file(reference: &str) -> Option<&str> {
    if reference.contains(':') || reference.starts_with("//") || reference.contains('?') {
        return None;
    }
    let name = reference.trim_start_matches("./").trim_start_matches('/');
    (!name.is_empty() && !name.contains("..")).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_fetches_the_wasm_with_its_digest() {
        let html = "<script type=module>import init from './a.js';\
                    const wasm = await init({ module_or_path: './a_bg.wasm' });</script>";
        let mut asked = Vec::new();
        let out = checked_wasm_fetch(html, &mut |path: &str| {
            asked.push(path.to_owned());
            Some("sha384-xyz".to_owned())
        })
        .unwrap();
        assert_eq!(asked, ["./a_bg.wasm"]);
        assert!(
            out.contains(
                "init({ module_or_path: fetch('./a_bg.wasm',{integrity:'sha384-xyz'}) });"
            ),
            "{out}"
        );
        assert!(checked_wasm_fetch("<script>init()</script>", &mut |_: &str| None).is_err());
    }

    #[test]
    fn only_files_of_the_build_are_local() {
        assert_eq!(local_file("./main-1.css"), Some("main-1.css"));
        assert_eq!(local_file("/main-1.css"), Some("main-1.css"));
        assert_eq!(local_file("data:image/svg+xml,x"), None);
        assert_eq!(local_file("https://cdn.example/x.js"), None);
        assert_eq!(local_file("//cdn.example/x.js"), None);
        assert_eq!(local_file("../secret"), None);
    }
}
