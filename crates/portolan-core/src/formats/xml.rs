//! Writing XML safely: escaping, the characters XML 1.0 forbids, and a tiny indenting writer.
//!
//! Every generator that emits XML (autoconfig, Autodiscover, .mobileconfig) goes through
//! [`XmlWriter`], so escaping is done in exactly one place. Text that contains a character XML
//! 1.0 cannot carry (control characters other than tab, line feed and carriage return, and
//! U+FFFE/U+FFFF) is refused with [`FormatError::ForbiddenCharacter`] instead of being written
//! into a file that no client could read.

use super::FormatError;

/// True when XML 1.0 (production `Char`) allows the character in a document.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Checks that every character of `text` may appear in XML 1.0; `context` names the field in
/// the error message.
pub fn check_text(context: &str, text: &str) -> Result<(), FormatError> {
    match text.chars().find(|c| !is_xml_char(*c)) {
        Some(c) => Err(FormatError::ForbiddenCharacter {
            context: context.to_string(),
            code: u32::from(c),
        }),
        None => Ok(()),
    }
}

/// Escapes text content. Carriage returns are written as a character reference, because a
/// parser would otherwise turn them into line feeds and the text would not survive a round trip.
pub fn escape_text(context: &str, text: &str) -> Result<String, FormatError> {
    escape(context, text, false)
}

/// Escapes an attribute value for double quotes. White space other than the plain space is
/// written as character references, because attribute-value normalisation would change it.
pub fn escape_attribute(context: &str, text: &str) -> Result<String, FormatError> {
    escape(context, text, true)
}

/// Escapes markup and carriage returns, and in an attribute also the quote, tab and line feed.
fn escape(context: &str, text: &str, attribute: bool) -> Result<String, FormatError> {
    check_text(context, text)?;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// An indenting XML writer with two spaces per level; it only ever produces well-formed output
/// for the element names its callers pass (which are constants).
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    depth: usize,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// Starts a document with the XML declaration.
    pub fn new() -> Self {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    /// Appends a line verbatim at the current depth (for a DOCTYPE, say). The caller vouches
    /// that `line` is well-formed.
    pub fn raw_line(&mut self, line: &str) {
        self.indent();
        self.out.push_str(line);
        self.out.push('\n');
    }

    /// Opens an element with attributes, written in the order given.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> Result<(), FormatError> {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.push_attributes(name, attributes)?;
        self.out.push_str(">\n");
        self.depth += 1;
        Ok(())
    }

    /// Closes the element opened last (the caller passes its name again).
    pub fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// Writes `<name>text</name>` on one line.
    pub fn leaf(&mut self, name: &str, text: &str) -> Result<(), FormatError> {
        self.leaf_with(name, &[], text)
    }

    /// Writes `<name attr="...">text</name>` on one line.
    pub fn leaf_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> Result<(), FormatError> {
        let escaped = escape_text(name, text)?;
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.push_attributes(name, attributes)?;
        self.out.push('>');
        self.out.push_str(&escaped);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        Ok(())
    }

    /// Writes an empty element `<name/>`.
    pub fn empty(&mut self, name: &str) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str("/>\n");
    }

    /// The finished document.
    pub fn finish(self) -> String {
        self.out
    }

    fn push_attributes(
        &mut self,
        element: &str,
        attributes: &[(&str, &str)],
    ) -> Result<(), FormatError> {
        for (key, value) in attributes {
            let escaped = escape_attribute(&format!("{element} {key}"), value)?;
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escaped);
            self.out.push('"');
        }
        Ok(())
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// The text content of an element, trimmed; `None` when empty.
pub(crate) fn text_of(node: roxmltree::Node<'_, '_>) -> Option<String> {
    let text: String = node
        .children()
        .filter(|child| child.is_text())
        .filter_map(|child| child.text())
        .collect();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        None
    } else {
        Some(trimmed.to_string())
    }
}

/// The element children of `node` with the given local name (namespaces are ignored: real
/// files get them wrong often enough that a reader must not depend on them).
pub(crate) fn children_named<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(move |child| child.is_element() && child.tag_name().name() == name)
}

/// The text of the first child element with the given local name.
pub(crate) fn child_text(node: roxmltree::Node<'_, '_>, name: &'static str) -> Option<String> {
    children_named(node, name).next().and_then(text_of)
}

/// Parses a document, mapping roxmltree's error into ours.
pub(crate) fn parse_document(text: &str) -> Result<roxmltree::Document<'_>, FormatError> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
        .map_err(|error| FormatError::Xml(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_refuses_control_characters() {
        assert_eq!(
            escape_text("t", "a<b>&c\"'").unwrap(),
            "a&lt;b&gt;&amp;c\"'"
        );
        assert_eq!(escape_attribute("t", "x\"y\tz").unwrap(), "x&quot;y&#9;z");
        let error = escape_text("displayName", "bad\u{1}name").unwrap_err();
        assert_eq!(
            error,
            FormatError::ForbiddenCharacter {
                context: "displayName".into(),
                code: 1
            }
        );
        assert!(error.to_string().contains("U+0001"));
        assert!(check_text("t", "\u{FFFE}").is_err());
        assert!(check_text("t", "tab\tand\nnewline\r ok 😀").is_ok());
    }

    #[test]
    fn writer_indents_and_escapes() {
        let mut writer = XmlWriter::new();
        writer.open("a", &[("id", "x&y")]).unwrap();
        writer.leaf("b", "1 < 2").unwrap();
        writer.close("a");
        assert_eq!(
            writer.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a id=\"x&amp;y\">\n  <b>1 &lt; 2</b>\n</a>\n"
        );
    }
}
