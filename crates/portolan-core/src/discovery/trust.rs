//! Where a host name stands relative to the user's domain (RFC 7817 §3), and trust markers.

use crate::knowledge;
use crate::model::{Candidate, Trust};

/// True when `host` is `domain` itself or a name below it. Both are ASCII; case and trailing
/// dots are ignored.
pub fn within_domain(host: &str, domain: &str) -> bool {
    knowledge::matches_suffix(host.trim_end_matches('.'), domain.trim_end_matches('.'))
}

/// Marks a candidate published by the domain itself (SRV, autoconfig, Autodiscover) as
/// same-domain, or, for a host outside the domain, as needing the user's confirmation: RFC 7817
/// §3 lets a client check the certificate against such a name only after the user agrees,
/// because whoever can change the domain's DNS answers could otherwise redirect the client.
pub fn mark_published(candidate: &mut Candidate, domain: &str) {
    if within_domain(&candidate.host, domain) {
        add(candidate, Trust::SameDomain);
        candidate
            .reasons
            .push(format!("{} is within {domain}.", candidate.host));
    } else {
        add(candidate, Trust::ThirdPartyTargetNeedsConfirmation);
        // What to do about it is the engine's advice (and the trust marker's); this says
        // only where the name stands.
        candidate.reasons.push(format!(
            "{} is outside {domain} (RFC 7817 §3).",
            candidate.host
        ));
    }
}

/// The trust a host published by the domain (or its files) earns by where it stands: within
/// the domain, or outside it and to be confirmed (RFC 7817 §3).
pub fn published_host(host: &str, domain: &str) -> Trust {
    if within_domain(host, domain) {
        Trust::SameDomain
    } else {
        Trust::ThirdPartyTargetNeedsConfirmation
    }
}

/// Adds a trust marker, keeping the list sorted and free of duplicates.
pub fn add(candidate: &mut Candidate, trust: Trust) {
    if let Err(position) = candidate.trust.binary_search(&trust) {
        candidate.trust.insert(position, trust);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_domain_needs_a_label_boundary() {
        assert!(within_domain("example.com", "example.com"));
        assert!(within_domain("Mail.Example.COM.", "example.com"));
        assert!(!within_domain("badexample.com", "example.com"));
        assert!(!within_domain("example.com.evil", "example.com"));
        assert!(!within_domain("imap.gmail.com", "example.com"));
    }
}
