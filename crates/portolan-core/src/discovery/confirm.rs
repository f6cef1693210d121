//! Guesses confirmed by probing (`discover --probe`, and the browser when a relay is there):
//! a guess whose live check connected, completed TLS and showed a valid certificate for its
//! name stays, marked `probe-verified`; a guess that did not is dropped. Either way the
//! result's `probed` list says what was probed and what came of it, so a domain whose only
//! candidates were guesses is confirmed or honestly reported as unconfirmed.
//!
//! Pure: the driver runs the checks; this only reads them.

use crate::guess::UNVERIFIED;
use crate::model::{Candidate, CheckOutcome, Discovery, LiveCheck, Probed, Source, Trust};

/// The guesses in `discovery` a driver should probe, in rank order.
pub fn guesses_to_probe(discovery: &Discovery) -> Vec<Candidate> {
    discovery
        .incoming
        .iter()
        .chain(&discovery.outgoing)
        .filter(|candidate| candidate.source == Source::Guess)
        .cloned()
        .collect()
}

/// Applies the checks of probed guesses to `discovery`.
pub fn confirm_guesses(discovery: &Discovery, checks: &[LiveCheck]) -> Discovery {
    let mut result = discovery.clone();
    let mut probed = Vec::new();
    for list in [&mut result.incoming, &mut result.outgoing] {
        list.retain_mut(|candidate| {
            if candidate.source != Source::Guess {
                return true;
            }
            let Some(check) = checks.iter().find(|check| check.is_for(candidate)) else {
                return true;
            };
            let outcome = check.outcome();
            let confirmed = outcome == CheckOutcome::Verified;
            let detail = match (confirmed, check.tls.as_ref()) {
                (true, Some(tls)) => format!(
                    "Probed live: {}:{} answered with {} and a valid certificate for {}.",
                    candidate.host, candidate.port, tls.version, candidate.host
                ),
                _ => format!(
                    "Probed live: {}:{} is not usable: {}.",
                    candidate.host,
                    candidate.port,
                    check
                        .problem()
                        .unwrap_or_else(|| "it did not complete a verified TLS set-up".into())
                ),
            };
            probed.push(Probed {
                protocol: candidate.protocol,
                host: candidate.host.clone(),
                port: candidate.port,
                security: candidate.security,
                confirmed,
                outcome,
                detail: detail.clone(),
            });
            if confirmed {
                candidate.trust.retain(|trust| *trust != Trust::Unverified);
                candidate.trust.push(Trust::ProbeVerified);
                candidate.trust.sort();
                candidate.trust.dedup();
                candidate.reasons.retain(|reason| reason != UNVERIFIED);
                candidate.reasons.insert(0, detail);
            }
            confirmed
        });
    }
    result.probed = probed;
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_input;
    use crate::discovery::merge;
    use crate::model::{CertificateReport, Protocol, Security, TlsReport};

    fn verified(candidate: &Candidate) -> LiveCheck {
        let mut check = LiveCheck::new(
            candidate.host.clone(),
            candidate.port,
            candidate.protocol,
            candidate.security,
        );
        check.reachable = true;
        check.tls = Some(TlsReport {
            version: "TLSv1.3".into(),
            cipher: "TLS13_AES_128_GCM_SHA256".into(),
            certificate: Some(CertificateReport {
                subject: format!("CN={}", candidate.host),
                sans: vec![candidate.host.clone()],
                issuer: "CN=CA".into(),
                not_before: "2026-01-01T00:00:00Z".into(),
                not_after: "2027-01-01T00:00:00Z".into(),
                days_left: 30,
                chain_valid: true,
                chain_error: None,
                name_matches: true,
                domain_matches: None,
                self_signed: false,
                key: "ECDSA P-256".into(),
                signature: "ecdsa-with-SHA256".into(),
                chain_length: 2,
                digests: Vec::new(),
            }),
        });
        check
    }

    #[test]
    fn answering_guesses_stay_verified_and_the_rest_go_with_a_record() {
        let input = parse_input("jane@unknown-provider.example").unwrap();
        let discovery = merge(&input, &[], &[]);
        let guesses = guesses_to_probe(&discovery);
        assert!(guesses.len() > 6, "an unknown domain has only guesses");
        let imaps = guesses
            .iter()
            .find(|c| c.protocol == Protocol::Imap && c.security == Security::Tls)
            .unwrap();
        let smtp = guesses
            .iter()
            .find(|c| c.protocol == Protocol::Submission && c.port == 465)
            .unwrap();
        let refused = LiveCheck::new(smtp.host.clone(), 465, Protocol::Submission, Security::Tls);
        let checks = vec![verified(imaps), refused];
        let confirmed = confirm_guesses(&discovery, &checks);

        let kept = confirmed
            .incoming
            .iter()
            .find(|c| c.host == imaps.host && c.port == 993)
            .unwrap();
        assert_eq!(kept.trust, vec![Trust::ProbeVerified]);
        assert!(
            kept.reasons[0].starts_with("Probed live:"),
            "{:?}",
            kept.reasons
        );
        assert!(!kept.reasons.iter().any(|r| r == UNVERIFIED));
        assert!(
            !confirmed
                .outgoing
                .iter()
                .any(|c| c.host == smtp.host && c.port == 465),
            "a guess that did not answer is dropped"
        );
        assert_eq!(confirmed.probed.len(), 2);
        let dropped = confirmed.probed.iter().find(|p| !p.confirmed).unwrap();
        assert_eq!(dropped.outcome, CheckOutcome::Unreachable);
        // Guesses nobody probed are left as they were.
        assert_eq!(
            confirmed.incoming.len() + confirmed.outgoing.len(),
            discovery.incoming.len() + discovery.outgoing.len() - 1
        );
        let json = serde_json::to_value(&confirmed).unwrap();
        assert_eq!(json["probed"][0]["outcome"], "verified");
        let plain = serde_json::to_value(&discovery).unwrap();
        assert!(
            plain.get("probed").is_none(),
            "unchanged JSON without probing"
        );
    }
}
