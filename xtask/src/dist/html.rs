//! Just enough of HTML to rewrite the tags Trunk writes into `index.html`: start tags with
//! their attributes (quoted or not, as the minifier leaves them) and inline script bodies.
//! Not a general HTML parser: it reads what Trunk and minify-html emit, and is tested on that.

/// One start tag found in a document: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTag {
    /// Byte range of the whole tag, `<` to `>` inclusive.
    pub start: usize,
    pub end: usize,
    /// The element name, lower-case.
    pub name: String,
    /// Attributes in document order; a bare attribute has the empty value.
    pub attributes: Vec<(String, String)>,
}

impl StartTag {
    /// The value of attribute `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sets attribute `name` (replacing it where it is, or appending it).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(key, _)| key == name) {
            Some(slot) => slot.1 = value.to_owned(),
            None => self.attributes.push((name.to_owned(), value.to_owned())),
        }
    }

    /// The tag written back, every value double-quoted.
    pub fn render(&self) -> String {
        let mut out = format!("<{}", self.name);
        for (key, value) in &self.attributes {
            out.push(' ');
            out.push_str(key);
            if !value.is_empty() {
                out.push_str("=\"");
                out.push_str(&value.replace('&', "&amp;").replace('"', "&quot;"));
                out.push('"');
            }
        }
        out.push('>');
        out
    }
}

/// Every start tag named `name` in `html`, in document order. Comments are skipped.
pub fn start_tags(html: &str, name: &str) -> Vec<StartTag> {
    let mut tags = Vec::new();
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        if html[start..].starts_with("<!--") {
            at = html[start..]
                .find("-->")
                .map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let name_end = html[start + 1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(html.len(), |end| start + 1 + end);
        let found = html[start + 1..name_end].to_ascii_lowercase();
        let Some(end) = tag_end(bytes, name_end) else {
            break;
        };
        if found == name {
            tags.push(StartTag {
                start,
                end: end + 1,
                name: found.clone(),
                attributes: attributes(&html[name_end..end]),
            });
        }
        at = end + 1;
        // A script's body is raw text: nothing in it is a tag.
        if found == "script" {
            at = script_end(html, at).unwrap_or(html.len());
        }
    }
    tags
}

/// The index of the `>` that closes a tag whose attributes start at `from`, past quoted values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (index, &byte) in bytes.iter().enumerate().skip(from) {
        match (quote, byte) {
            (None, b'"' | b'\'') => quote = Some(byte),
            (Some(open), _) if byte == open => quote = None,
            (None, b'>') => return Some(index),
            _ => {}
        }
    }
    None
}

/// The attributes of a tag's inside (after its name), values unescaped for `&amp;` and
/// `&quot;` only, which is all Trunk's file names and hashes can need.
fn attributes(inside: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = inside.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(quote).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_ascii_whitespace())
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = raw.replace("&quot;", "\"").replace("&amp;", "&");
            rest = remaining;
        }
        if !name.is_empty() {
            found.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
    }
    found
}

/// Where the `</script>` (in any case) closing a script body that starts at `from` begins.
fn script_end(html: &str, from: usize) -> Option<usize> {
    html[from..]
        .to_ascii_lowercase()
        .find("</script")
        .map(|offset| from + offset)
}

/// The body of every inline `<script>` (one without `src`), exactly as written; `None` when
/// one is never closed (a page the browser would not run as written).
pub fn inline_scripts(html: &str) -> Option<Vec<&str>> {
    start_tags(html, "script")
        .into_iter()
        .filter(|tag| tag.get("src").is_none())
        .map(|tag| script_end(html, tag.end).map(|close| &html[tag.end..close]))
        .collect()
}

/// `html` with each tag replaced by its rendering, where `edit` changed it.
pub fn rewrite_tags(html: &str, name: &str, mut edit: impl FnMut(&mut StartTag)) -> String {
    let mut out = String::with_capacity(html.len() + 512);
    let mut copied = 0;
    for mut tag in start_tags(html, name) {
        let before = tag.clone();
        edit(&mut tag);
        if tag != before {
            out.push_str(&html[copied..tag.start]);
            out.push_str(&tag.render());
            copied = tag.end;
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// `html` with `insert` placed early in the head: right after the `<meta charset>` (which must
/// stay first), or else after `<head>` or `<html>`, which the minifier may have left out.
pub fn insert_in_head(html: &str, insert: &str) -> Option<String> {
    let charset = start_tags(html, "meta")
        .into_iter()
        .find(|meta| meta.get("charset").is_some());
    let at = charset
        .or_else(|| start_tags(html, "head").into_iter().next())
        .or_else(|| start_tags(html, "html").into_iter().next())?
        .end;
    Some(format!("{}{insert}{}", &html[..at], &html[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIFIED: &str = "<!doctype html><html lang=en><head><meta charset=utf-8>\
        <link rel=stylesheet href=./main-1a2b.css integrity=sha384-old crossorigin=anonymous>\
        <!-- <script src=commented.js></script> -->\
        <link rel=modulepreload href=\"./portolan-app-3c4d.js\" crossorigin=anonymous>\
        <script type=module>import init from './portolan-app-3c4d.js';await init('./x.wasm')</script>\
        </head><body><div id=app></div></body></html>";

    #[test]
    fn reads_quoted_unquoted_and_bare_attributes_and_skips_comments() {
        let links = start_tags(MINIFIED, "link");
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].get("href"), Some("./main-1a2b.css"));
        assert_eq!(links[0].get("integrity"), Some("sha384-old"));
        assert_eq!(links[1].get("href"), Some("./portolan-app-3c4d.js"));
        assert_eq!(
            start_tags(MINIFIED, "script").len(),
            1,
            "the commented script is no tag"
        );
        let bare = start_tags("<script defer src='a.js' nomodule>", "script");
        assert_eq!(bare[0].get("defer"), Some(""));
        assert_eq!(bare[0].get("src"), Some("a.js"));
        assert_eq!(bare[0].get("nomodule"), Some(""));
    }

    #[test]
    fn inline_script_bodies_are_exact() {
        assert_eq!(
            inline_scripts(MINIFIED),
            Some(vec![
                "import init from './portolan-app-3c4d.js';await init('./x.wasm')"
            ])
        );
        // A body is raw text: a `<` and a stray quote in it hide no later tag.
        let tricky = "<script>if(a<b)x='\"'</SCRIPT><link rel=stylesheet href=./a.css>";
        assert_eq!(inline_scripts(tricky), Some(vec!["if(a<b)x='\"'"]));
        assert_eq!(start_tags(tricky, "link").len(), 1);
        assert_eq!(inline_scripts("<script>never closed"), None);
    }

    #[test]
    fn rewriting_changes_only_the_edited_tags() {
        let html = rewrite_tags(MINIFIED, "link", |tag| {
            if tag.get("rel") == Some("stylesheet") {
                tag.set("integrity", "sha384-new");
            }
        });
        assert!(html.contains(
            "<link rel=\"stylesheet\" href=\"./main-1a2b.css\" integrity=\"sha384-new\" crossorigin=\"anonymous\">"
        ));
        assert!(html.contains(
            "<link rel=modulepreload href=\"./portolan-app-3c4d.js\" crossorigin=anonymous>"
        ));
    }

    #[test]
    fn inserts_after_the_charset_even_without_a_head_tag() {
        let html = insert_in_head(MINIFIED, "<meta name=x>").unwrap();
        assert!(html.contains("<head><meta charset=utf-8><meta name=x>"));
        let headless = "<!doctype html><html lang=en><title>t</title>";
        assert_eq!(
            insert_in_head(headless, "<meta name=x>").as_deref(),
            Some("<!doctype html><html lang=en><meta name=x><title>t</title>")
        );
        assert_eq!(insert_in_head("no markup", "<meta name=x>"), None);
    }
}
