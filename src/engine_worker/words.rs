//! The workers' words in the reader's language: the core and the workers write English, and
//! for German every text goes through one catalogue (the core's tables, the workers' own in
//! `german.rs`, and the page's texts, which a worker may keep in its data) before it reaches
//! the page.
//!
//! The language is the one the request named (`strings::lang`), set by the worker before it
//! answers. What a worker keeps between requests (a discovery, an audit) stays English, so a
//! later request in another language translates it too.

use std::cell::{OnceCell, RefCell};

use portolan_core::i18n::{Catalogue, Entries};
use portolan_core::lang::Lang;

use crate::strings;

/// What gives the tables, once.
type TablesSource = Box<dyn FnOnce() -> Vec<Entries>>;

thread_local! {
    /// The tables to read when German is first asked for.
    static TABLES: RefCell<Option<TablesSource>> = RefCell::new(None);
    /// The catalogue, once read (`None` inside: it could not be, and everything stays English).
    static CATALOGUE: OnceCell<Option<Catalogue>> = const { OnceCell::new() };
}

/// The tables a worker translates with: the core's `core` ones and the workers' own.
pub fn tables(core: &[Entries]) -> Vec<Entries> {
    core.iter()
        .copied()
        .chain([super::german::ENTRIES])
        .chain(strings::PAIRS)
        .collect()
}

/// Names the tables [`tr`] translates with in this worker. They are read when a text is first
/// wanted in another language than English, so an English reader never pays for it. Without
/// tables, or with tables that cannot be read, everything stays English.
pub fn use_tables(tables: impl FnOnce() -> Vec<Entries> + 'static) {
    TABLES.with(|pending| *pending.borrow_mut() = Some(Box::new(tables)));
}

/// `text` in the current language.
pub fn tr(text: &str) -> String {
    match strings::lang() {
        Lang::En => text.to_owned(),
        lang => CATALOGUE.with(|cell| {
            let catalogue = cell.get_or_init(|| {
                let tables = TABLES.with(|pending| pending.borrow_mut().take())?;
                Catalogue::new(&tables()).ok()
            });
            match catalogue {
                Some(catalogue) => catalogue.render(lang, text).into_owned(),
                None => text.to_owned(),
            }
        }),
    }
}

/// Each of `texts` in the current language.
pub fn tr_all(texts: &[String]) -> Vec<String> {
    texts.iter().map(|text| tr(text)).collect()
}

/// A text of several lines in the current language, line by line; a line's number ("3. ")
/// stays in front of its translation.
pub fn tr_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let (number, words) = numbered(body);
        out.push_str(number);
        out.push_str(&tr(words));
        out.push_str(end);
    }
    out
}

/// A line cut into its number ("3. ", empty when it has none) and its words.
pub fn numbered(line: &str) -> (&str, &str) {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && line[digits..].starts_with(". ") {
        line.split_at(digits + 2)
    } else {
        ("", line)
    }
}
