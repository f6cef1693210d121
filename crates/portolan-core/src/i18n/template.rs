//! One catalogue entry's English template, and matching a finished text against it.
//!
//! A template is text with holes written `{name}`. A hole matches any non-empty run of
//! characters; literal text must match exactly. Matching backtracks over the places where the
//! next literal piece occurs, so `{a} of {b}` matches "one of two of three" as the first
//! possible split ("one", "two of three").

use super::CatalogueError;

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Literal(&'static str),
    Hole(&'static str),
}

/// An English template, read once.
#[derive(Debug, Clone)]
pub(super) struct Template {
    pub(super) pieces: Vec<Piece>,
    /// How many characters of literal text it has: the more, the more specific.
    pub(super) literal_chars: usize,
}

impl Template {
    /// The template `text`, cut into `pieces` (by [`pieces`]); an error when two holes touch or
    /// there is no literal text to match on.
    pub(super) fn read(text: &'static str, pieces: Vec<Piece>) -> Result<Template, CatalogueError> {
        let touching = pieces
            .windows(2)
            .any(|pair| matches!(pair, [Piece::Hole(_), Piece::Hole(_)]));
        if touching {
            return Err(CatalogueError::TouchingHoles(text.to_owned()));
        }
        let literal_chars = pieces
            .iter()
            .map(|piece| match piece {
                Piece::Literal(literal) => literal.chars().filter(|c| c.is_alphabetic()).count(),
                Piece::Hole(_) => 0,
            })
            .sum();
        if literal_chars < 2 {
            return Err(CatalogueError::NoLiteralText(text.to_owned()));
        }
        Ok(Template {
            pieces,
            literal_chars,
        })
    }

    /// The holes' values when `text` matches, in the template's order. A hole named twice
    /// (a value the text repeats) must hold the same value both times.
    pub(super) fn matches<'t>(&self, text: &'t str) -> Option<Vec<(&'static str, &'t str)>> {
        let mut captures = Vec::new();
        if !match_from(&self.pieces, text, 0, &mut captures) {
            return None;
        }
        let agree = captures.iter().enumerate().all(|(index, (name, value))| {
            captures[..index]
                .iter()
                .all(|(earlier, first)| earlier != name || first == value)
        });
        agree.then_some(captures)
    }
}

/// `text` cut into literal pieces and `{name}` holes. A brace that opens no hole is literal.
pub(super) fn pieces(text: &'static str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut literal_start = 0;
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find('{') {
        let open = search_from + found;
        let after = &text[open + 1..];
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            if open > literal_start {
                pieces.push(Piece::Literal(&text[literal_start..open]));
            }
            pieces.push(Piece::Hole(&after[..name_len]));
            literal_start = open + 1 + name_len + 1;
            search_from = literal_start;
        } else {
            search_from = open + 1;
        }
    }
    if literal_start < text.len() {
        pieces.push(Piece::Literal(&text[literal_start..]));
    }
    pieces
}

/// The names of the holes among `pieces`, sorted, each once.
pub(super) fn hole_names(pieces: &[Piece]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Hole(name) => Some(*name),
            Piece::Literal(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

fn match_from<'t>(
    pieces: &[Piece],
    text: &'t str,
    at: usize,
    captures: &mut Vec<(&'static str, &'t str)>,
) -> bool {
    let Some((first, rest)) = pieces.split_first() else {
        return at == text.len();
    };
    match first {
        Piece::Literal(literal) => {
            text[at..].starts_with(literal) && match_from(rest, text, at + literal.len(), captures)
        }
        Piece::Hole(name) => match rest.first() {
            None => {
                let value = &text[at..];
                if value.is_empty() || ends_a_sentence_inside(value) {
                    return false;
                }
                captures.push((name, value));
                true
            }
            Some(Piece::Literal(next)) => {
                // The value is at least one character: look for the next literal after it.
                let Some(first_char) = text[at..].chars().next() else {
                    return false;
                };
                let mut from = at + first_char.len_utf8();
                while let Some(found) = text[from..].find(next) {
                    let end = from + found;
                    if ends_a_sentence_inside(&text[at..end]) {
                        // Longer values would hold the sentence break too.
                        return false;
                    }
                    captures.push((name, &text[at..end]));
                    if match_from(rest, text, end, captures) {
                        return true;
                    }
                    captures.pop();
                    let Some(step) = text[end..].chars().next() else {
                        return false;
                    };
                    from = end + step.len_utf8();
                }
                false
            }
            // Two holes side by side are refused when the template is read.
            Some(Piece::Hole(_)) => false,
        },
    }
}

/// True when `value` holds the end of a sentence and the start of another (". " before a
/// capital): a hole stands for a value or one sentence, never for the text that follows it,
/// which is then translated sentence by sentence instead. (A "!" is left out: names such as
/// "Yahoo! JAPAN" have one.)
fn ends_a_sentence_inside(value: &str) -> bool {
    value.match_indices('.').any(|(index, _)| {
        let rest = &value[index + 1..];
        rest.strip_prefix(' ')
            .and_then(|after| after.chars().next())
            .is_some_and(char::is_uppercase)
    })
}
