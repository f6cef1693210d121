//! Every user-facing text of the app, in one place.
//!
//! Components never spell out English: they call these. A second language becomes a second
//! implementation of the same functions, chosen at start-up.

use portolan_core::AddressError;

pub const APP_TITLE: &str = "Portolan";
pub const APP_TAGLINE: &str = "Find the right settings for your mail app.";
pub const ADDRESS_LABEL: &str = "Your email address or domain";
pub const ADDRESS_PLACEHOLDER: &str = "name@example.com";
pub const ADDRESS_HINT: &str = "For example alice@example.com, or just example.com.";
pub const CONTINUE_BUTTON: &str = "Find settings";
pub const PRIVACY_LINE: &str = "Your address never leaves this browser. Only domain names are looked up, through the DNS-over-HTTPS resolver you choose.";
pub const FOOTER_SOURCE: &str = "Portolan runs entirely in your browser.";

/// The confirmation shown for a valid input, naming the domain in the form people read.
pub fn domain_found(unicode: &str) -> String {
    format!("Domain: {unicode}")
}

/// Shown beside an internationalised domain: the form DNS uses.
pub fn domain_ascii_form(ascii: &str) -> String {
    format!("(in DNS: {ascii})")
}

/// Shown after a valid submission, until lookups exist.
pub fn ready_to_look_up(unicode: &str) -> String {
    format!("Ready to look up the mail servers for {unicode}.")
}

/// The explanation for an invalid address, in the user's words.
pub fn address_error(error: &AddressError) -> String {
    error.to_string()
}
