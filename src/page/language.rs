//! The page's language: chosen before the first render (the link's `lang`, else the reader's
//! earlier choice, else the browser's languages), and kept when the reader switches.
//!
//! It reads the URL and storage outside a hook because the first screen must render in the
//! right language at once; everything after start-up goes through `use_language`.

use portolan_core::lang::Lang;

use crate::page::prefill;

/// Where a reader's own choice is remembered.
pub const LANG_KEY: &str = "portolan.lang";

/// The language to start in.
pub fn initial() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::En;
    };
    let query = window.location().search().unwrap_or_default();
    if let Some(lang) = prefill::from_query(&query).lang {
        return lang;
    }
    let stored = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|storage| storage.get_item(LANG_KEY).ok().flatten())
        .and_then(|tag| Lang::from_tag(&tag));
    if let Some(lang) = stored {
        return lang;
    }
    let languages: Vec<String> = window
        .navigator()
        .languages()
        .iter()
        .filter_map(|tag| tag.as_string())
        .collect();
    Lang::negotiate(languages.iter().map(String::as_str))
}

/// Says the page's language to the browser and assistive technology (`<html lang>`).
pub fn mark_document(lang: Lang) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", lang.tag());
    }
}
