//! What a link may prefill: `email`, `domain`, `client` and `lang` from the page's query
//! string, so a help page can link straight to a result in its language. Nothing else is read
//! from the URL: no parameter may change the resolver or the servers shown.

use portolan_core::lang::Lang;

/// The values a link asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prefill {
    /// `email`, or else `domain`.
    pub address: Option<String>,
    pub client: Option<String>,
    /// `lang`, when it names a language Portolan speaks.
    pub lang: Option<Lang>,
}

/// Reads a query string like `?email=a%40example.com&client=thunderbird`.
pub fn from_query(query: &str) -> Prefill {
    let mut email = None;
    let mut domain = None;
    let mut client = None;
    let mut lang = None;
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        if value.trim().is_empty() {
            continue;
        }
        match key {
            "email" => email = email.or(Some(value)),
            "domain" => domain = domain.or(Some(value)),
            "client" => client = client.or(Some(value)),
            "lang" => lang = lang.or(Lang::from_tag(&value)),
            _ => {}
        }
    }
    Prefill {
        address: email.or(domain),
        client,
        lang,
    }
}

/// Decodes `%XX` escapes and `+` (as a space); malformed escapes stay as they are, and bytes
/// that are not UTF-8 become U+FFFD, so any text gives some string (the parser judges it).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' if index + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3])
                    .ok()
                    .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                match hex {
                    Some(byte) => {
                        out.push(byte);
                        index += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_email_domain_and_client_only() {
        let prefill =
            from_query("?email=j%C3%B6rg%40b%C3%BCcher.example&client=ios-mail&doh=https://evil&imap=evil.example");
        assert_eq!(prefill.address.as_deref(), Some("jörg@bücher.example"));
        assert_eq!(prefill.client.as_deref(), Some("ios-mail"));
        assert_eq!(
            from_query("domain=example.com").address.as_deref(),
            Some("example.com")
        );
        assert_eq!(from_query("").address, None);
        assert_eq!(from_query("?lang=de-AT&lang=en").lang, Some(Lang::De));
        assert_eq!(from_query("?lang=fr").lang, None);
        assert_eq!(from_query("?email=a%40b.example").lang, None);
    }

    #[test]
    fn malformed_escapes_survive_as_text() {
        assert_eq!(from_query("email=a%4").address.as_deref(), Some("a%4"));
        assert_eq!(from_query("email=a%zz").address.as_deref(), Some("a%zz"));
        assert_eq!(from_query("email=%FF").address.as_deref(), Some("\u{FFFD}"));
    }
}
