//! The link that opens a result in the app: `?email=…` (or `?domain=…` for a bare domain) and
//! `client=…`, the parameters the page reads (`src/page/prefill.rs`). The QR code on the result
//! carries it, so a phone opens the same result.

use crate::address::MailInput;
use crate::clients::{Client, Platform};
use crate::formats::percent_encode;

/// The app's address `base` (the page's URL without query or fragment) with the parameters
/// that open the result for `input`. The client goes along only when it runs on a phone: a
/// desktop app's steps are no use there, and the phone suggests its own app.
pub fn result_link(base: &str, input: &MailInput, client: Option<&Client>) -> String {
    let base = base.split(['?', '#']).next().unwrap_or(base);
    let mut link = match input.address_unicode() {
        Some(address) => format!("{base}?email={}", percent_encode(&address)),
        None => format!("{base}?domain={}", percent_encode(&input.domain.unicode)),
    };
    if let Some(client) = client.filter(|client| client.platform == Platform::Mobile) {
        link.push_str(&format!("&client={}", percent_encode(client.id)));
    }
    link
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{clients, parse_input};

    #[test]
    fn the_link_names_the_address_and_a_phones_app_only() {
        let input = parse_input("jörg@bücher.example").expect("valid");
        let base = "https://help.example.com/portolan/?embed=1#top";
        assert_eq!(
            result_link(base, &input, clients::by_id("thunderbird")),
            "https://help.example.com/portolan/?email=j%C3%B6rg%40b%C3%BCcher.example"
        );
        assert_eq!(
            result_link(base, &input, clients::by_id("ios-mail")),
            "https://help.example.com/portolan/?email=j%C3%B6rg%40b%C3%BCcher.example&client=ios-mail"
        );
        let domain = parse_input("example.com").expect("valid");
        assert_eq!(
            result_link("http://127.0.0.1:8080/", &domain, None),
            "http://127.0.0.1:8080/?domain=example.com"
        );
    }
}
