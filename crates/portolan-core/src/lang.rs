//! The languages Portolan speaks, and which one a reader gets.
//!
//! Small on purpose: the page links it for its first screen, while the catalogue that
//! translates the core's texts ([`crate::i18n`]) stays in the engine worker.

use serde::{Deserialize, Serialize};

/// A language of the user interface.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Lang {
    /// English: what the code writes; every other language is translated from it.
    #[default]
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order a language menu lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The language a BCP 47 tag names (`de`, `de-AT`, `en_GB`, any case), if Portolan
    /// speaks it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The first language of `preferred` (a browser's list, best first) that Portolan speaks;
    /// English when none is.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// The tag for `lang=` and the `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's name in itself, for a language menu.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_languages_by_their_primary_subtag() {
        assert_eq!(Lang::from_tag("de"), Some(Lang::De));
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang::De));
        assert_eq!(Lang::from_tag(" DE_ch "), Some(Lang::De));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
        assert_eq!(Lang::from_tag("deu"), None);
    }

    #[test]
    fn the_first_language_spoken_wins_and_english_is_the_default() {
        assert_eq!(Lang::negotiate(["fr-FR", "de-DE", "en"]), Lang::De);
        assert_eq!(Lang::negotiate(["en-US", "de"]), Lang::En);
        assert_eq!(Lang::negotiate(["fr", "it"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
    }
}
