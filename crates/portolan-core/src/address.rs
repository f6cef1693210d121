//! What the user typed: an email address or a bare domain, checked and normalised.
//!
//! The parser never panics and names the exact problem for every bad input, so the form can
//! say what to fix. Internationalised domains are converted with UTS #46 (the `idna` crate) and
//! kept in both forms: the ASCII form (`xn--bcher-kva.example`) is what DNS is asked about, the
//! Unicode form (`bücher.example`) is what people read.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The longest domain name DNS can carry, in its textual ASCII form (RFC 1035 §2.3.4).
pub const MAX_DOMAIN_LEN: usize = 253;
/// The longest label DNS can carry (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;
/// The longest local part SMTP must accept (RFC 5321 §4.5.3.1.1).
pub const MAX_LOCAL_PART_LEN: usize = 64;

/// Everything that can be wrong with the text in the address field.
/// It crosses from the engine worker to the page as JSON, hence the serde derives.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddressError {
    #[error("Type an email address, like name@example.com, or a domain, like example.com.")]
    Empty,
    #[error("An email address needs an @ between the name and the domain, like name@example.com.")]
    MissingAt,
    #[error("Remove the space: email addresses and domains never contain spaces.")]
    ContainsSpace,
    #[error("There is nothing before the @: add the name part, like name@example.com.")]
    EmptyLocalPart,
    #[error("There is nothing after the @: add the domain, like name@example.com.")]
    EmptyDomain,
    #[error("The part before the @ is {len} bytes long; mail servers accept at most 64.")]
    LocalPartTooLong { len: usize },
    #[error("The part before the @ cannot start or end with a dot, or contain two dots in a row.")]
    LocalPartDots,
    #[error("The part before the @ contains {ch:?}, which needs the whole name in quotes.")]
    LocalPartCharacter { ch: char },
    #[error("The domain has an empty part between two dots (or starts with a dot).")]
    EmptyLabel,
    #[error("The domain part {label:?} is {len} characters long; DNS allows at most 63.")]
    LabelTooLong { label: String, len: usize },
    #[error("The domain is {len} characters long in DNS form; DNS allows at most 253.")]
    DomainTooLong { len: usize },
    #[error("The domain contains {ch:?}; domains use letters, digits, hyphens and dots.")]
    DomainCharacter { ch: char },
    #[error("The domain part {label:?} cannot start or end with a hyphen.")]
    LabelHyphen { label: String },
    #[error("{label:?} is an encoded (xn--) name that decodes to plain ASCII; it is not a valid internationalised name.")]
    FakeAceLabel { label: String },
    #[error("{label:?} is not a valid internationalised domain name.")]
    InvalidIdn { label: String },
    #[error(
        "That is an IP address. Portolan needs the domain of your email address, like example.com."
    )]
    IpLiteral,
    #[error("{domain:?} has no dot: type the whole domain, like example.com.")]
    SingleLabel { domain: String },
    #[error("The domain ends in a number; real domains end in a name like .com or .de.")]
    NumericTld,
}

/// A domain name in both of its forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// The ASCII (A-label) form, lower case, without a trailing dot: what DNS is asked about.
    pub ascii: String,
    /// The Unicode form, for people to read. Equal to `ascii` for plain ASCII names.
    pub unicode: String,
}

impl Domain {
    /// True when the Unicode form differs from the ASCII form, so both should be shown.
    pub fn is_internationalised(&self) -> bool {
        self.ascii != self.unicode
    }
}

/// A checked email address, or a bare domain when the user typed no `@`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailInput {
    /// The local part as typed (it is case-sensitive in principle), or `None` for a bare domain.
    pub local_part: Option<String>,
    pub domain: Domain,
}

impl MailInput {
    /// The address with the domain in ASCII form (what goes into generated configuration), or
    /// `None` for a bare domain.
    pub fn address_ascii(&self) -> Option<String> {
        self.local_part
            .as_ref()
            .map(|local| format!("{local}@{}", self.domain.ascii))
    }

    /// The address with the domain in Unicode form, for display, or `None` for a bare domain.
    pub fn address_unicode(&self) -> Option<String> {
        self.local_part
            .as_ref()
            .map(|local| format!("{local}@{}", self.domain.unicode))
    }
}

/// Parses what the user typed: an email address, or a bare domain when there is no `@`.
///
/// Surrounding whitespace is ignored (pasted text often carries it); whitespace inside is an
/// error. One trailing dot on the domain (the absolute form) is accepted and dropped.
pub fn parse_input(input: &str) -> Result<MailInput, AddressError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(AddressError::Empty);
    }
    if text.chars().any(char::is_whitespace) {
        return Err(AddressError::ContainsSpace);
    }
    match split_address(text) {
        Some((local, domain)) => parse_address_parts(local, domain),
        None => Ok(MailInput {
            local_part: None,
            domain: parse_domain(text)?,
        }),
    }
}

/// Parses an email address; unlike [`parse_input`], a bare domain is an error.
pub fn parse_address(input: &str) -> Result<MailInput, AddressError> {
    let parsed = parse_input(input)?;
    if parsed.local_part.is_none() {
        return Err(AddressError::MissingAt);
    }
    Ok(parsed)
}

/// Splits at the last `@`, since a quoted local part may itself contain `@`.
fn split_address(text: &str) -> Option<(&str, &str)> {
    text.rfind('@').map(|at| (&text[..at], &text[at + 1..]))
}

fn parse_address_parts(local: &str, domain: &str) -> Result<MailInput, AddressError> {
    if local.is_empty() {
        return Err(AddressError::EmptyLocalPart);
    }
    if domain.is_empty() {
        return Err(AddressError::EmptyDomain);
    }
    check_local_part(local)?;
    Ok(MailInput {
        local_part: Some(local.to_owned()),
        domain: parse_domain(domain)?,
    })
}

/// Checks a local part against RFC 5321/5322 (dot-atom or quoted string), extended to UTF-8
/// by RFC 6531.
fn check_local_part(local: &str) -> Result<(), AddressError> {
    if local.len() > MAX_LOCAL_PART_LEN {
        return Err(AddressError::LocalPartTooLong { len: local.len() });
    }
    if local.len() >= 2 && local.starts_with('"') && local.ends_with('"') {
        return Ok(());
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(AddressError::LocalPartDots);
    }
    match local.chars().find(|&ch| !is_atom_char(ch) && ch != '.') {
        Some(ch) => Err(AddressError::LocalPartCharacter { ch }),
        None => Ok(()),
    }
}

/// The characters of an RFC 5322 `atext`, plus any non-ASCII character (RFC 6531).
fn is_atom_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(ch) || !ch.is_ascii()
}

/// Parses a domain name: checks every label, converts to ASCII with UTS #46, and checks
/// the DNS length limits on the ASCII form.
pub fn parse_domain(input: &str) -> Result<Domain, AddressError> {
    let text = input.strip_suffix('.').unwrap_or(input);
    if text.is_empty() {
        return Err(AddressError::EmptyDomain);
    }
    if is_ip_literal(text) {
        return Err(AddressError::IpLiteral);
    }
    for label in text.split('.') {
        check_label_shape(label)?;
    }
    let ascii = to_ascii(text)?;
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.len() > MAX_LABEL_LEN {
            return Err(AddressError::LabelTooLong {
                label: (*label).to_owned(),
                len: label.len(),
            });
        }
    }
    if ascii.len() > MAX_DOMAIN_LEN {
        return Err(AddressError::DomainTooLong { len: ascii.len() });
    }
    if labels.len() < 2 {
        return Err(AddressError::SingleLabel { domain: ascii });
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(AddressError::NumericTld);
    }
    let (unicode, result) = idna::domain_to_unicode(&ascii);
    let unicode = if result.is_ok() {
        unicode
    } else {
        ascii.clone()
    };
    Ok(Domain { ascii, unicode })
}

/// `[192.0.2.1]`, `[IPv6:...]`, a dotted quad or anything with a colon is an address, not a name.
fn is_ip_literal(text: &str) -> bool {
    if text.starts_with('[') || text.contains(':') {
        return true;
    }
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

/// Checks the shape of one label as typed, before any conversion, so the error can quote it.
fn check_label_shape(label: &str) -> Result<(), AddressError> {
    if label.is_empty() {
        return Err(AddressError::EmptyLabel);
    }
    if let Some(ch) = label
        .chars()
        .find(|&ch| ch.is_ascii() && !(ch.is_ascii_alphanumeric() || ch == '-'))
    {
        return Err(AddressError::DomainCharacter { ch });
    }
    // An encoded label is judged by what it decodes to before its hyphens are: every label
    // that decodes to plain ASCII ends in one.
    check_ace_label(&label.to_ascii_lowercase())?;
    if label.starts_with('-') || label.ends_with('-') {
        return Err(AddressError::LabelHyphen {
            label: label.to_owned(),
        });
    }
    // A label longer than 63 characters as typed is too long in any form; say so here, where
    // the label is still the one the user recognises.
    if label.is_ascii() && label.len() > MAX_LABEL_LEN {
        return Err(AddressError::LabelTooLong {
            label: label.to_owned(),
            len: label.len(),
        });
    }
    Ok(())
}

/// An `xn--` label must decode to something that is not plain ASCII, or it is a disguise.
fn check_ace_label(label: &str) -> Result<(), AddressError> {
    let Some(encoded) = label.strip_prefix("xn--") else {
        return Ok(());
    };
    match idna::punycode::decode_to_string(encoded) {
        Some(decoded) if decoded.is_ascii() => Err(AddressError::FakeAceLabel {
            label: label.to_owned(),
        }),
        Some(_) => Ok(()),
        None => Err(AddressError::InvalidIdn {
            label: label.to_owned(),
        }),
    }
}

/// Converts to the ASCII form with UTS #46 and STD3 rules, naming the first bad label on error.
fn to_ascii(text: &str) -> Result<String, AddressError> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
    Uts46::new()
        .to_ascii(
            text.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Check,
            DnsLength::Ignore,
        )
        .map(|ascii| ascii.into_owned())
        .map_err(|_| AddressError::InvalidIdn {
            label: first_invalid_label(text),
        })
}

/// Finds the label that UTS #46 refuses, for the error message.
fn first_invalid_label(text: &str) -> String {
    text.split('.')
        .find(|label| idna::domain_to_ascii_strict(label).is_err())
        .unwrap_or(text)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(ascii: &str, unicode: &str) -> Domain {
        Domain {
            ascii: ascii.to_owned(),
            unicode: unicode.to_owned(),
        }
    }

    #[test]
    fn accepts_plain_addresses_and_domains() {
        let parsed = parse_input("  Alice.Smith+tag@Example.COM ").unwrap();
        assert_eq!(parsed.local_part.as_deref(), Some("Alice.Smith+tag"));
        assert_eq!(parsed.domain, domain("example.com", "example.com"));
        assert_eq!(
            parsed.address_ascii().as_deref(),
            Some("Alice.Smith+tag@example.com")
        );

        let bare = parse_input("mail.example.org.").unwrap();
        assert_eq!(bare.local_part, None);
        assert_eq!(bare.domain.ascii, "mail.example.org");
    }

    #[test]
    fn converts_internationalised_domains_both_ways() {
        let parsed = parse_input("jörg@Bücher.example").unwrap();
        assert_eq!(
            parsed.domain,
            domain("xn--bcher-kva.example", "bücher.example")
        );
        assert!(parsed.domain.is_internationalised());
        assert_eq!(parsed.local_part.as_deref(), Some("jörg"));

        let from_ace = parse_input("xn--bcher-kva.example").unwrap();
        assert_eq!(from_ace.domain.unicode, "bücher.example");
    }

    #[test]
    fn names_every_kind_of_bad_input() {
        let long_label = "a".repeat(64);
        let long_domain = format!("{}.example", ["abcdefghij"; 23].join("."));
        let cases: Vec<(String, AddressError)> = vec![
            ("".into(), AddressError::Empty),
            ("   ".into(), AddressError::Empty),
            ("al ice@example.com".into(), AddressError::ContainsSpace),
            ("@example.com".into(), AddressError::EmptyLocalPart),
            ("alice@".into(), AddressError::EmptyDomain),
            ("alice@.".into(), AddressError::EmptyDomain),
            (".alice@example.com".into(), AddressError::LocalPartDots),
            ("al..ice@example.com".into(), AddressError::LocalPartDots),
            (
                "al(ice@example.com".into(),
                AddressError::LocalPartCharacter { ch: '(' },
            ),
            (
                format!("{}@example.com", "a".repeat(65)),
                AddressError::LocalPartTooLong { len: 65 },
            ),
            ("alice@example..com".into(), AddressError::EmptyLabel),
            ("alice@example.com..".into(), AddressError::EmptyLabel),
            (
                format!("alice@{long_label}.com"),
                AddressError::LabelTooLong {
                    label: long_label.clone(),
                    len: 64,
                },
            ),
            (
                format!("alice@{long_domain}"),
                AddressError::DomainTooLong { len: 260 },
            ),
            (
                "alice@exa_mple.com".into(),
                AddressError::DomainCharacter { ch: '_' },
            ),
            (
                "alice@-example.com".into(),
                AddressError::LabelHyphen {
                    label: "-example".into(),
                },
            ),
            (
                "alice@xn--abc-.example".into(),
                AddressError::FakeAceLabel {
                    label: "xn--abc-".into(),
                },
            ),
            (
                "alice@xn--example-.com".into(),
                AddressError::FakeAceLabel {
                    label: "xn--example-".into(),
                },
            ),
            (
                "alice@xn--mail-.example".into(),
                AddressError::FakeAceLabel {
                    label: "xn--mail-".into(),
                },
            ),
            ("alice@[192.0.2.1]".into(), AddressError::IpLiteral),
            ("alice@192.0.2.1".into(), AddressError::IpLiteral),
            ("2001:db8::1".into(), AddressError::IpLiteral),
            (
                "alice@localhost".into(),
                AddressError::SingleLabel {
                    domain: "localhost".into(),
                },
            ),
            ("alice@example.123".into(), AddressError::NumericTld),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_input(&input), Err(expected), "input {input:?}");
        }
        assert_eq!(
            parse_address("example.com"),
            Err(AddressError::MissingAt),
            "a bare domain is not an address"
        );
    }

    #[test]
    fn refuses_ace_labels_that_decode_to_ascii() {
        // An A-label is fine when it decodes to non-ASCII; a label whose punycode has no
        // non-basic code points decodes to plain ASCII and is a disguise.
        let real = parse_input("alice@xn--bcher-kva.example");
        assert!(real.is_ok(), "{real:?}");
        assert_eq!(
            parse_input("alice@xn--mail-0ta.example"),
            Err(AddressError::InvalidIdn {
                label: "xn--mail-0ta".into()
            }),
            "undecodable punycode is named"
        );
        assert_eq!(
            parse_input("xn--mail-.example"),
            Err(AddressError::FakeAceLabel {
                label: "xn--mail-".into()
            })
        );
    }

    #[test]
    fn quoted_local_parts_may_hold_anything_printable() {
        let parsed = parse_input("\"a b\"@example.com");
        // Whitespace anywhere is refused first: it is almost always a typing slip.
        assert_eq!(parsed, Err(AddressError::ContainsSpace));
        let parsed = parse_input("\"a@b\"@example.com").unwrap();
        assert_eq!(parsed.local_part.as_deref(), Some("\"a@b\""));
    }

    #[test]
    fn odd_input_gives_an_explained_error_or_an_ascii_domain() {
        for input in [
            "@",
            "@@",
            "a@@b.c",
            ".",
            "..",
            "xn--",
            "xn--.com",
            "a@xn--",
            "\u{0}",
            "a@b.c\u{0}",
            "💌@💌.💌",
            "a@ß.de",
            "[",
            "a@[",
            "a@b.c:25",
        ] {
            match parse_input(input) {
                Ok(parsed) => assert!(parsed.domain.ascii.is_ascii(), "input {input:?}"),
                Err(error) => assert!(error.to_string().len() > 20, "input {input:?}"),
            }
        }
    }
}
