//! DANE TLSA records for the MX hosts (RFC 6698, with RFC 7671's operational rules and RFC 7672
//! for SMTP): read from `_25._tcp.<mx>`, judged, and matched against the certificates a live
//! check saw. TLSA records count only when DNSSEC validates them; without that, a receiver
//! ignores them, and so does the audit (apart from saying so).

use crate::dns::TlsaRecord;
use crate::model::CertificateDigests;

use super::{Finding, Severity};

/// The TLSA owner name for SMTP on port 25 of `host` (RFC 7672 §2.2).
pub fn owner_for(host: &str) -> String {
    format!("_25._tcp.{}", host.trim_end_matches('.'))
}

/// Whether one record matches the certificate chain a server showed (leaf first). `None`
/// when it cannot be decided from digests (matching type 0, full data, which RFC 7671 §10.1.2
/// advises against, or an unknown parameter).
pub fn matches(record: &TlsaRecord, chain: &[CertificateDigests]) -> Option<bool> {
    // Full data (matching type 0) and unknown parameters are not decided from digests.
    if !matches!((record.selector, record.matching), (0 | 1, 1 | 2)) {
        return None;
    }
    let pick = |digests: &CertificateDigests| -> Option<String> {
        let digest = match (record.selector, record.matching) {
            (0, 1) => &digests.sha256,
            (0, 2) => &digests.sha512,
            (1, 1) => &digests.spki_sha256,
            _ => &digests.spki_sha512,
        };
        // A key that could not be read has no digest: that decides nothing.
        (!digest.is_empty()).then(|| digest.clone())
    };
    let data = record.data.to_ascii_lowercase();
    let candidates: &[CertificateDigests] = match record.usage {
        // End-entity usages match the leaf only.
        1 | 3 => chain.get(..1).unwrap_or_default(),
        // Trust-anchor usages match a certificate of the chain above the leaf.
        0 | 2 => chain.get(1..).unwrap_or_default(),
        _ => return None,
    };
    let mut any = false;
    for digests in candidates {
        let digest = pick(digests)?;
        any |= !data.is_empty() && digest == data;
    }
    Some(any)
}

/// What the audit says about one MX host's TLSA records: `validated` is the resolver's AD
/// flag; `seen` is the chain a live check of that host saw (leaf first), with where it was
/// seen, when one was made.
pub fn judge(
    host: &str,
    records: &[TlsaRecord],
    validated: bool,
    seen: Option<(&[CertificateDigests], u16)>,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if records.is_empty() {
        return findings;
    }
    if !validated {
        findings.push(Finding::new(
            "dane-not-validated",
            Severity::Warn,
            format!("{host} publishes TLSA records, but the resolver did not validate them with DNSSEC, so senders ignore them (RFC 7672 §2.2)."),
            "Sign the zone with DNSSEC (and publish the DS record at the parent), or remove the TLSA records.",
        ));
        return findings;
    }
    let unusual: Vec<&TlsaRecord> = records
        .iter()
        .filter(|record| !matches!(record.usage, 2 | 3))
        .collect();
    if !unusual.is_empty() {
        findings.push(Finding::new(
            "dane-pkix-usage",
            Severity::Warn,
            format!("{host} has TLSA records with usage 0 or 1 (PKIX), which SMTP senders treat as unusable (RFC 7672 §3.1.3)."),
            "Use usage 3 (DANE-EE) with selector 1 and SHA-256 (3 1 1), or usage 2 (DANE-TA).",
        ));
    }
    if records.iter().any(|record| record.matching == 0) {
        findings.push(Finding::new(
            "dane-full-data",
            Severity::Info,
            format!("{host} has TLSA records with matching type 0 (the full data); digests are easier to keep in step (RFC 7671 §10.1.2)."),
            "Prefer SHA-256 digests (matching type 1).",
        ));
    }
    let Some((chain, port)) = seen else {
        findings.push(Finding::new(
            "dane-not-compared",
            Severity::Info,
            format!("{host} publishes DNSSEC-validated TLSA records; no live check of this host was made to compare them with its certificate."),
            "Run the audit with --ports all (port 25) to compare the records with the certificate.",
        ));
        return findings;
    };
    let verdicts: Vec<Option<bool>> = records
        .iter()
        .filter(|record| matches!(record.usage, 2 | 3))
        .map(|record| matches(record, chain))
        .collect();
    // Port 25 is what senders see; another port of the host may show another certificate, and
    // a trust anchor is often not in the chain a server sends (RFC 7671 §5.2.2).
    let conclusive = port == 25
        && records
            .iter()
            .filter(|record| matches!(record.usage, 2 | 3))
            .all(|record| record.usage == 3);
    if verdicts.contains(&Some(true)) {
        findings.push(Finding::new(
            "dane-matches",
            Severity::Info,
            format!("A DNSSEC-validated TLSA record of {host} matches the certificate seen on port {port}."),
            "Before changing the certificate or its key, publish the new TLSA record next to the old one.",
        ));
    } else if verdicts.contains(&None) {
        findings.push(Finding::new(
            "dane-not-compared",
            Severity::Info,
            format!("The TLSA records of {host} could not all be compared with the certificate seen on port {port} (full data or an unreadable key)."),
            "Prefer 3 1 1 records (SHA-256 of the public key).",
        ));
    } else if verdicts.contains(&Some(false)) && !conclusive {
        findings.push(Finding::new(
            "dane-mismatch-elsewhere",
            Severity::Warn,
            format!("No TLSA record of {host} matches the certificate seen on port {port}; port 25 (what senders see) was not compared{}.", if port == 25 { " with an end-entity record" } else { "" }),
            "Check port 25 (portolan audit --ports all) and publish a TLSA record for the certificate it shows.",
        ));
    } else if verdicts.contains(&Some(false)) {
        findings.push(Finding::new(
            "dane-mismatch",
            Severity::Fail,
            format!("No TLSA record of {host} matches the certificate seen on port {port}: DANE senders will not deliver mail to it (RFC 7672 §2.2)."),
            "Publish a TLSA record for the certificate in use (for DANE-EE: 3 1 1 and the SHA-256 of its public key), keeping the old one until caches expire.",
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(usage: u8, selector: u8, matching: u8, data: &str) -> TlsaRecord {
        TlsaRecord {
            usage,
            selector,
            matching,
            data: data.into(),
        }
    }

    fn chain() -> Vec<CertificateDigests> {
        vec![
            CertificateDigests {
                sha256: "aa".into(),
                sha512: "bb".into(),
                spki_sha256: "cc".into(),
                spki_sha512: "dd".into(),
            },
            CertificateDigests {
                sha256: "11".into(),
                sha512: "22".into(),
                spki_sha256: "33".into(),
                spki_sha512: "44".into(),
            },
        ]
    }

    #[test]
    fn each_usage_selector_and_matching_type_picks_its_digest() {
        let chain = chain();
        // RFC 6698 §2.1: usage, selector, matching type.
        assert_eq!(matches(&record(3, 1, 1, "CC"), &chain), Some(true));
        assert_eq!(matches(&record(3, 0, 1, "aa"), &chain), Some(true));
        assert_eq!(matches(&record(3, 1, 2, "dd"), &chain), Some(true));
        assert_eq!(matches(&record(3, 0, 2, "bb"), &chain), Some(true));
        assert_eq!(
            matches(&record(3, 1, 1, "33"), &chain),
            Some(false),
            "EE is the leaf only"
        );
        assert_eq!(
            matches(&record(2, 1, 1, "33"), &chain),
            Some(true),
            "TA is above the leaf"
        );
        assert_eq!(matches(&record(2, 0, 1, "aa"), &chain), Some(false));
        assert_eq!(
            matches(&record(3, 1, 0, "cc"), &chain),
            None,
            "full data is not decided"
        );
        assert_eq!(matches(&record(7, 1, 1, "cc"), &chain), None);
        assert_eq!(matches(&record(2, 1, 1, "33"), &chain[..1]), Some(false));
    }

    #[test]
    fn judgements_follow_rfc_7672() {
        let chain = chain();
        let good = [record(3, 1, 1, "cc")];
        let ids = |findings: Vec<Finding>| findings.iter().map(|f| f.id).collect::<Vec<_>>();
        assert_eq!(
            ids(judge("mx.example", &good, true, Some((&chain, 25)))),
            ["dane-matches"]
        );
        assert_eq!(
            ids(judge(
                "mx.example",
                &[record(3, 1, 1, "ff")],
                true,
                Some((&chain, 25))
            )),
            ["dane-mismatch"]
        );
        assert_eq!(
            ids(judge("mx.example", &good, false, Some((&chain, 25)))),
            ["dane-not-validated"]
        );
        assert_eq!(
            ids(judge("mx.example", &good, true, None)),
            ["dane-not-compared"]
        );
        assert_eq!(
            ids(judge(
                "mx.example",
                &[record(1, 1, 1, "cc"), record(3, 1, 1, "cc")],
                true,
                Some((&chain, 25))
            )),
            ["dane-pkix-usage", "dane-matches"]
        );
        assert!(judge("mx.example", &[], true, None).is_empty());
        // Only port 25 and an end-entity record make a mismatch conclusive.
        assert_eq!(
            ids(judge(
                "mx.example",
                &[record(3, 1, 1, "ff")],
                true,
                Some((&chain, 993))
            )),
            ["dane-mismatch-elsewhere"]
        );
        assert_eq!(
            ids(judge(
                "mx.example",
                &[record(2, 1, 1, "ff")],
                true,
                Some((&chain, 25))
            )),
            ["dane-mismatch-elsewhere"]
        );
        assert_eq!(
            ids(judge(
                "mx.example",
                &[record(3, 1, 0, "cc"), record(3, 1, 1, "ff")],
                true,
                Some((&chain, 25))
            )),
            ["dane-full-data", "dane-not-compared"]
        );
        let unreadable = vec![CertificateDigests {
            sha256: "aa".into(),
            ..CertificateDigests::default()
        }];
        assert_eq!(
            matches(&record(3, 1, 1, ""), &unreadable),
            None,
            "no key, no verdict"
        );
        assert_eq!(owner_for("mx.example.com."), "_25._tcp.mx.example.com");
    }
}
