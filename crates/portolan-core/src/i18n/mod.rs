//! Translation: the core and the app write English, and a catalogue turns a finished English
//! text into German.
//!
//! Each entry pairs an English *template* with its German. A template is the text the code
//! writes, with a hole `{name}` where the code inserts a value (a host, a port, a provider's
//! name, another sentence). A text is translated by the most specific template that matches
//! it whole (the one with the most literal letters); each hole's value is translated in turn
//! when it is itself a catalogue text, and inserted as it is otherwise (host names and
//! numbers). A text no template matches whole is translated sentence by sentence. The
//! English text is thus the message's id, as in gettext, and the code that writes English
//! stays as it is; `tests/german.rs` checks that every text the core and the app write in
//! their scenarios has its German.
//!
//! The page's first screen does not link this module (its own words are in the app's
//! `strings`); the engine worker translates everything it sends, [`crate::lang`] names the
//! language.

pub mod de;
mod template;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use thiserror::Error;

use crate::clients::{TOKEN_END, TOKEN_START};
pub use crate::lang::Lang;
use template::Template;

/// A table of catalogue entries: (English template, German template).
pub type Entries = &'static [(&'static str, &'static str)];

/// The core's German tables, for a driver that adds its own ([`Catalogue::new`]).
pub const CORE_GERMAN: &[Entries] = de::TABLES;

/// Why a catalogue cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogueError {
    #[error("two catalogue entries give different German for the English text {0:?}")]
    Duplicate(String),
    #[error("a catalogue template has two holes side by side: {0:?}")]
    TouchingHoles(String),
    #[error("a catalogue template has no literal text to match on: {0:?}")]
    NoLiteralText(String),
    #[error("the German of {english:?} has other holes than the English ({german:?})")]
    HolesDiffer { english: String, german: String },
}

/// German for English texts: exact entries and templates.
#[derive(Debug)]
pub struct Catalogue {
    exact: BTreeMap<&'static str, &'static str>,
    /// Templates with holes, the most specific first, each with its German cut into pieces
    /// once (not on every text translated).
    templates: Vec<(Template, Vec<template::Piece>)>,
}

impl Catalogue {
    /// A catalogue of `tables`; an error names the first entry that cannot be used.
    pub fn new(tables: &[Entries]) -> Result<Catalogue, CatalogueError> {
        let mut exact = BTreeMap::new();
        let mut templates = Vec::new();
        let mut seen = BTreeMap::new();
        for (english, german) in tables.iter().flat_map(|table| table.iter()) {
            // Two tables may both hold a text (the page's words and the core's), if they agree.
            match seen.insert(*english, *german) {
                Some(earlier) if earlier == *german => continue,
                Some(_) => return Err(CatalogueError::Duplicate((*english).to_owned())),
                None => {}
            }
            let english_pieces = template::pieces(english);
            let german_pieces = template::pieces(german);
            let german_holes = template::hole_names(&german_pieces);
            if template::hole_names(&english_pieces) != german_holes {
                return Err(CatalogueError::HolesDiffer {
                    english: (*english).to_owned(),
                    german: (*german).to_owned(),
                });
            }
            if german_holes.is_empty() {
                exact.insert(*english, *german);
            } else {
                templates.push((Template::read(english, english_pieces)?, german_pieces));
            }
        }
        templates.sort_by_key(|(template, _)| std::cmp::Reverse(template.literal_chars));
        Ok(Catalogue { exact, templates })
    }

    /// The core's German catalogue, read once.
    pub fn core_german() -> Result<&'static Catalogue, CatalogueError> {
        static CORE: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();
        CORE.get_or_init(|| Catalogue::new(CORE_GERMAN))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// How many entries it holds.
    pub fn len(&self) -> usize {
        self.exact.len() + self.templates.len()
    }

    /// True when it holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `text` in `lang`: itself in English, and in German when the catalogue has it (the
    /// English otherwise, so a reader never gets nothing).
    pub fn render<'t>(&self, lang: Lang, text: &'t str) -> Cow<'t, str> {
        match lang {
            Lang::En => Cow::Borrowed(text),
            Lang::De => self.german(text).map_or(Cow::Borrowed(text), Cow::Owned),
        }
    }

    /// The German of `text`, or `None` when the catalogue does not cover it all.
    pub fn german(&self, text: &str) -> Option<String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Some(text.to_owned());
        }
        let lead = &text[..text.len() - text.trim_start().len()];
        let tail = &text[text.trim_end().len()..];
        let body = self.whole(trimmed).or_else(|| self.by_sentences(trimmed))?;
        Some(format!("{lead}{body}{tail}"))
    }

    /// The German of `text` as one catalogue text: an exact entry or a template.
    fn whole(&self, text: &str) -> Option<String> {
        if let Some(german) = self.exact.get(text) {
            return Some((*german).to_owned());
        }
        let (german, captures) = self.templates.iter().find_map(|(template, german)| {
            template.matches(text).map(|captures| (german, captures))
        })?;
        let mut out = String::with_capacity(text.len() * 2);
        for piece in german {
            match piece {
                template::Piece::Literal(literal) => out.push_str(literal),
                template::Piece::Hole(name) => {
                    let value = captures
                        .iter()
                        .find(|(hole, _)| hole == name)
                        .map_or("", |(_, value)| *value);
                    out.push_str(&self.value(value));
                }
            }
        }
        Some(out)
    }

    /// A hole's value: translated when it is a catalogue text (a phrase, not a host name or
    /// a number), marks around a step's value kept.
    fn value<'v>(&self, value: &'v str) -> Cow<'v, str> {
        if let Some(inner) = value
            .strip_prefix(TOKEN_START)
            .and_then(|rest| rest.strip_suffix(TOKEN_END))
        {
            return match self.value(inner) {
                Cow::Borrowed(_) => Cow::Borrowed(value),
                Cow::Owned(german) => Cow::Owned(format!("{TOKEN_START}{german}{TOKEN_END}")),
            };
        }
        if let Some(german) = self.exact.get(value) {
            return Cow::Owned((*german).to_owned());
        }
        if value.contains(' ') {
            if let Some(german) = self.whole(value).or_else(|| self.by_sentences(value)) {
                return Cow::Owned(german);
            }
        }
        Cow::Borrowed(value)
    }

    /// The German of `text` sentence by sentence, when each sentence has one.
    fn by_sentences(&self, text: &str) -> Option<String> {
        let sentences = sentences(text);
        if sentences.len() < 2 {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        for (sentence, gap) in sentences {
            out.push_str(&self.whole(sentence)?);
            out.push_str(gap);
        }
        Some(out)
    }
}

/// `text` cut after each ". ", "! ", "? " or ": " that a capital letter (or a digit) follows:
/// each sentence with the blank that follows it.
fn sentences(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index + 2 < bytes.len() {
        // After an ASCII mark and a blank, the next byte always starts a character.
        let ends = matches!(bytes[index], b'.' | b'!' | b'?' | b':') && bytes[index + 1] == b' ';
        let next_starts = ends
            && text[index + 2..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '“');
        if next_starts {
            out.push((&text[start..=index], " "));
            start = index + 2;
            index += 2;
        } else {
            index += 1;
        }
    }
    out.push((&text[start..], ""));
    out
}

#[cfg(test)]
mod tests;
