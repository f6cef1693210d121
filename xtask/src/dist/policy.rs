//! The Content-Security-Policy index.html carries as a meta tag: nothing is allowed that the
//! app does not use. Scripts only from the site, wasm compiled (`'wasm-unsafe-eval'`), and each
//! inline script by the SHA-256 of its exact text, computed from the built page (never a
//! nonce, which a static file could only fix once for everyone).
//!
//! The meta tag governs the page. The workers' own requests (DoH, the domain's published
//! files, the relay) follow the policy a host sends as a header with the worker scripts; the
//! README's "Hosting" section gives that header.

use sha2::{Digest, Sha256};

use super::base64;
use super::html::inline_scripts;

/// The policy for a page whose inline scripts are those of `html`; `None` when a script is
/// never closed.
pub fn for_page(html: &str) -> Option<String> {
    let mut script_src = vec!["'self'".to_owned(), "'wasm-unsafe-eval'".to_owned()];
    for script in inline_scripts(html)? {
        script_src.push(format!(
            "'sha256-{}'",
            base64(&Sha256::digest(script.as_bytes()))
        ));
    }
    [
        "default-src 'none'".to_owned(),
        format!("script-src {}", script_src.join(" ")),
        "style-src 'self'".to_owned(),
        // The favicon and the icons are data: URLs or files of the site.
        "img-src 'self' data:".to_owned(),
        // The page fetches only its own files: its wasm, /healthz, the preset.
        "connect-src 'self'".to_owned(),
        "worker-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'none'".to_owned(),
    ]
    .join("; ")
    .into()
}

/// The meta tag carrying `policy`.
pub fn meta_tag(policy: &str) -> String {
    format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_inline_script_is_allowed_by_its_own_hash_and_nothing_else_inline() {
        let html =
            "<head><script>a()</script><script src=./x.js></script><script>b()</script></head>";
        let policy = for_page(html).unwrap();
        let hash = |text: &str| format!("'sha256-{}'", base64(&Sha256::digest(text.as_bytes())));
        assert!(policy.contains(&hash("a()")), "{policy}");
        assert!(policy.contains(&hash("b()")), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 2);
        assert!(policy.starts_with("default-src 'none'; script-src 'self' 'wasm-unsafe-eval' "));
        assert!(!policy.contains("unsafe-inline"));
        assert!(policy.contains("worker-src 'self'"));
    }
}
