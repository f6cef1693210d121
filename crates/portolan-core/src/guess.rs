//! Guesses: the host names and ports mail servers most often use, tried when nothing better is
//! known. Every guess is unverified until a live check connects to it.
//!
//! The expansion is a small product, in a fixed order so the output is deterministic:
//! protocol (IMAP, POP3, submission) × security (implicit TLS first, as RFC 8314 prefers; then
//! STARTTLS) × host name (the protocol's own name first, then `mail.`, then the bare domain).
//! Ports are the standard ones for each protocol and security (RFC 8314 §7, RFC 6409).

use crate::address::MAX_DOMAIN_LEN;
use crate::model::{AuthMethod, Candidate, Protocol, Security, Source, Trust};
use crate::Domain;

/// The first reason of every guess, word for word.
pub const UNVERIFIED: &str = "unverified — needs a live check";

/// Host name prefixes for each protocol, most likely first. An empty prefix is the bare domain.
///
/// `imap.`/`smtp.` are the names most providers publish; `mail.` is the usual single-host
/// name of small hosts and control panels; the bare domain is last because it is usually a
/// web server. POP3 tries `pop3.` and then `pop.`, since both are common.
fn prefixes(protocol: Protocol) -> &'static [&'static str] {
    match protocol {
        Protocol::Imap => &["imap.", "mail.", ""],
        Protocol::Pop3 => &["pop3.", "pop.", "mail.", ""],
        Protocol::Submission => &["smtp.", "mail.", ""],
    }
}

/// Guessed candidates for `domain`: IMAP, then POP3, then submission; within each, every host
/// with implicit TLS before any with STARTTLS. Names longer than DNS allows are left out.
pub fn guesses(domain: &Domain) -> Vec<Candidate> {
    let mut out = Vec::new();
    for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Submission] {
        for security in [Security::Tls, Security::Starttls] {
            for prefix in prefixes(protocol) {
                let host = format!("{prefix}{}", domain.ascii);
                if host.len() > MAX_DOMAIN_LEN {
                    continue;
                }
                out.push(guess(protocol, host, security));
            }
        }
    }
    out
}

/// Guesses for a host a source lists only without encryption (`listed_port`): the same host
/// with implicit TLS, then STARTTLS, on the standard ports. Unverified like every guess.
pub fn encrypted_instead_of(protocol: Protocol, host: &str, listed_port: u16) -> Vec<Candidate> {
    [Security::Tls, Security::Starttls]
        .into_iter()
        .map(|security| {
            let mut candidate = guess(protocol, host.to_owned(), security);
            candidate.reasons[1] = format!(
                "Thunderbird's ISP database lists {host} only without encryption (port \
                 {listed_port}); Portolan tries the same host with {} on port {} instead.",
                match security {
                    Security::Tls => "implicit TLS",
                    _ => "STARTTLS",
                },
                candidate.port
            );
            candidate
        })
        .collect()
}

fn guess(protocol: Protocol, host: String, security: Security) -> Candidate {
    let port = protocol.default_port(security);
    let how = match security {
        Security::Tls => format!("implicit TLS on port {port} (RFC 8314)"),
        Security::Starttls => format!("STARTTLS on port {port}, tried after implicit TLS"),
        Security::Plain => format!("no encryption on port {port}"),
    };
    let reasons = vec![
        UNVERIFIED.to_owned(),
        format!(
            "{host} is a common name for a {} server; guessed with {how}.",
            protocol.label()
        ),
    ];
    Candidate {
        auth: vec![AuthMethod::PasswordCleartext],
        trust: vec![Trust::Unverified],
        reasons,
        ..Candidate::new(protocol, host, port, security, Source::Guess)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_domain;

    fn summary(candidates: &[Candidate]) -> Vec<(Protocol, String, u16, Security)> {
        candidates
            .iter()
            .map(|c| (c.protocol, c.host.clone(), c.port, c.security))
            .collect()
    }

    #[test]
    fn guesses_follow_the_documented_order() {
        use Protocol::{Imap, Pop3, Submission};
        use Security::{Starttls, Tls};
        let domain = parse_domain("Example.COM").unwrap();
        let expected: Vec<(Protocol, String, u16, Security)> = [
            (Imap, "imap.example.com", 993, Tls),
            (Imap, "mail.example.com", 993, Tls),
            (Imap, "example.com", 993, Tls),
            (Imap, "imap.example.com", 143, Starttls),
            (Imap, "mail.example.com", 143, Starttls),
            (Imap, "example.com", 143, Starttls),
            (Pop3, "pop3.example.com", 995, Tls),
            (Pop3, "pop.example.com", 995, Tls),
            (Pop3, "mail.example.com", 995, Tls),
            (Pop3, "example.com", 995, Tls),
            (Pop3, "pop3.example.com", 110, Starttls),
            (Pop3, "pop.example.com", 110, Starttls),
            (Pop3, "mail.example.com", 110, Starttls),
            (Pop3, "example.com", 110, Starttls),
            (Submission, "smtp.example.com", 465, Tls),
            (Submission, "mail.example.com", 465, Tls),
            (Submission, "example.com", 465, Tls),
            (Submission, "smtp.example.com", 587, Starttls),
            (Submission, "mail.example.com", 587, Starttls),
            (Submission, "example.com", 587, Starttls),
        ]
        .into_iter()
        .map(|(p, h, port, s)| (p, h.to_owned(), port, s))
        .collect();
        assert_eq!(summary(&guesses(&domain)), expected);
    }

    #[test]
    fn every_guess_is_marked_unverified() {
        let domain = parse_domain("example.org").unwrap();
        let all = guesses(&domain);
        assert!(!all.is_empty());
        for candidate in &all {
            assert_eq!(candidate.source, Source::Guess);
            assert_eq!(candidate.trust, vec![Trust::Unverified]);
            assert_eq!(candidate.reasons[0], UNVERIFIED);
            assert!(candidate.reasons[1].contains(&candidate.host));
            assert_ne!(candidate.security, Security::Plain);
        }
    }

    #[test]
    fn guesses_are_deterministic_and_use_the_ascii_form() {
        let domain = parse_domain("bücher.example").unwrap();
        let first = guesses(&domain);
        assert_eq!(first, guesses(&domain));
        assert_eq!(first[0].host, "imap.xn--bcher-kva.example");
    }

    #[test]
    fn names_too_long_for_dns_are_left_out() {
        // 4 labels of 62 characters plus 3 dots make 251 characters: "mail." and "smtp."
        // overflow 253, the bare domain does not.
        let label = "a".repeat(62);
        let domain = parse_domain(&format!("{label}.{label}.{label}.{label}")).unwrap();
        let all = guesses(&domain);
        assert_eq!(
            all.len(),
            6,
            "only the bare domain remains, per protocol and security"
        );
        assert!(all.iter().all(|c| c.host == domain.ascii));
    }
}
