//! DKIM key records (RFC 6376 §3.6.1) at `<selector>._domainkey.<domain>`: read faithfully,
//! the key's type and size found from its DER encoding, then judged (RFC 8301: RSA keys below
//! 1024 bits must not be used, 2048 are recommended; SHA-1 must not be used).

use base64::Engine as _;
use serde::Serialize;

use super::{Finding, RecordError, Severity};

/// The key's algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyType {
    Rsa,
    Ed25519,
}

/// A DKIM key record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DkimKey {
    pub key_type: KeyType,
    /// The key's size in bits (the RSA modulus, or 256 for Ed25519); `None` when revoked.
    pub bits: Option<u32>,
    /// `p=` is empty: the key has been revoked (RFC 6376 §3.6.1).
    pub revoked: bool,
    /// `t=y`: the domain is testing DKIM, and verifiers may treat failures as no signature.
    pub testing: bool,
    /// `h=`: the hash algorithms allowed (empty: any).
    pub hashes: Vec<String>,
}

/// Reads a key record.
pub fn parse(text: &str) -> Result<DkimKey, RecordError> {
    let mut key_type = KeyType::Rsa;
    let mut public_key: Option<String> = None;
    let mut testing = false;
    let mut hashes = Vec::new();
    for (index, super::Tag { name, value, part }) in super::tag_list(text.split(';'), "DKIM tag")?
        .into_iter()
        .enumerate()
    {
        let invalid = |what| RecordError::InvalidTerm {
            term: part.to_owned(),
            what,
        };
        match name.as_str() {
            "v" if index == 0 && value == "DKIM1" => {}
            "v" => {
                return Err(RecordError::WrongVersion {
                    expected: "v=DKIM1 (first, when present)",
                })
            }
            "k" => {
                key_type = match value.to_ascii_lowercase().as_str() {
                    "rsa" => KeyType::Rsa,
                    "ed25519" => KeyType::Ed25519,
                    _ => return Err(invalid("key type (rsa or ed25519)")),
                }
            }
            // Base64 may be folded with white space inside the TXT strings.
            "p" => public_key = Some(value.split_whitespace().collect()),
            "t" => testing = value.split(':').any(|flag| flag.trim() == "y"),
            "h" => {
                hashes = value
                    .split(':')
                    .map(|hash| hash.trim().to_ascii_lowercase())
                    .collect()
            }
            _ => {}
        }
    }
    let public_key = public_key.ok_or(RecordError::Missing { name: "p tag" })?;
    if public_key.is_empty() {
        return Ok(DkimKey {
            key_type,
            bits: None,
            revoked: true,
            testing,
            hashes,
        });
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(&public_key)
        .map_err(|_| RecordError::InvalidTerm {
            term: public_key.clone(),
            what: "base64 public key",
        })?;
    let bits = match key_type {
        KeyType::Rsa => rsa_modulus_bits(&der),
        KeyType::Ed25519 => (der.len() == 32).then_some(256),
    }
    .ok_or_else(|| RecordError::InvalidTerm {
        term: public_key.clone(),
        what: "public key of the given type",
    })?;
    Ok(DkimKey {
        key_type,
        bits: Some(bits),
        revoked: false,
        testing,
        hashes,
    })
}

/// One DER element: its tag and contents, and the rest after it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let length = rest[..count]
            .iter()
            .fold(0usize, |total, byte| (total << 8) | usize::from(*byte));
        (length, &rest[count..])
    };
    (rest.len() >= length).then(|| (tag, &rest[..length], &rest[length..]))
}

/// The RSA modulus size in bits, from a SubjectPublicKeyInfo (what `p=` holds) or a bare
/// RSAPublicKey.
fn rsa_modulus_bits(der: &[u8]) -> Option<u32> {
    let (tag, outer, _) = der_element(der)?;
    if tag != 0x30 {
        return None;
    }
    let (first_tag, _algorithm, rest) = der_element(outer)?;
    let rsa_public_key = match first_tag {
        // SubjectPublicKeyInfo: AlgorithmIdentifier, then a BIT STRING holding the key.
        0x30 => {
            let (bit_tag, bits, _) = der_element(rest)?;
            if bit_tag != 0x03 || bits.first() != Some(&0) {
                return None;
            }
            let (inner_tag, inner, _) = der_element(&bits[1..])?;
            (inner_tag == 0x30).then_some(inner)?
        }
        // A bare RSAPublicKey: the modulus comes first.
        0x02 => outer,
        _ => return None,
    };
    let (modulus_tag, modulus, _) = der_element(rsa_public_key)?;
    if modulus_tag != 0x02 {
        return None;
    }
    let significant: &[u8] = {
        let start = modulus.iter().position(|byte| *byte != 0)?;
        &modulus[start..]
    };
    let leading = significant.first()?.leading_zeros();
    u32::try_from(significant.len() * 8)
        .ok()
        .map(|bits| bits - leading)
}

/// What the audit says about a selector's key.
pub fn judge(selector: &str, key: &DkimKey) -> Vec<Finding> {
    let mut findings = Vec::new();
    if key.revoked {
        findings.push(Finding::new(
            "dkim-revoked",
            Severity::Info,
            format!("The DKIM key of selector {selector} is revoked (empty p=)."),
            "Nothing to do if the selector is retired; otherwise publish its public key.",
        ));
    }
    if let (KeyType::Rsa, Some(bits)) = (key.key_type, key.bits) {
        if bits < 1024 {
            findings.push(Finding::new(
                "dkim-rsa-too-short",
                Severity::Fail,
                format!("The DKIM key of selector {selector} is RSA with {bits} bits: verifiers must ignore keys this short (RFC 8301)."),
                "Make a 2048-bit RSA key (or Ed25519 next to it) and sign with it.",
            ));
        } else if bits < 2048 {
            findings.push(Finding::new(
                "dkim-rsa-1024",
                Severity::Warn,
                format!("The DKIM key of selector {selector} is RSA with {bits} bits; 2048 are recommended (RFC 8301)."),
                "Make a 2048-bit RSA key and switch to it under a new selector.",
            ));
        }
    }
    if key.testing {
        findings.push(Finding::new(
            "dkim-testing",
            Severity::Warn,
            format!("The DKIM key of selector {selector} is marked as testing (t=y): verifiers may ignore failed signatures."),
            "Remove t=y once signing works.",
        ));
    }
    if !key.hashes.is_empty() && key.hashes.iter().all(|hash| hash == "sha1") {
        findings.push(Finding::new(
            "dkim-sha1-only",
            Severity::Fail,
            format!("The DKIM key of selector {selector} allows only SHA-1, which verifiers must not accept (RFC 8301)."),
            "Remove h=sha1 (or set h=sha256) and sign with rsa-sha256.",
        ));
    }
    findings.sort_by_key(|finding| finding.severity);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A SubjectPublicKeyInfo for an RSA key with a modulus of `bits` bits (all ones) and
    /// exponent 65537, DER-encoded as a DKIM record holds it.
    fn spki(bits: usize) -> String {
        fn element(tag: u8, content: &[u8]) -> Vec<u8> {
            let mut out = vec![tag];
            match content.len() {
                len if len < 0x80 => out.push(len as u8),
                len if len < 0x100 => out.extend([0x81, len as u8]),
                len => out.extend([0x82, (len >> 8) as u8, len as u8]),
            }
            out.extend_from_slice(content);
            out
        }
        let mut modulus = vec![0u8];
        modulus.extend(std::iter::repeat_n(0xffu8, bits / 8));
        let rsa = element(
            0x30,
            &[element(0x02, &modulus), element(0x02, &[1, 0, 1])].concat(),
        );
        let algorithm = element(
            0x30,
            &[
                element(
                    0x06,
                    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
                ),
                element(0x05, &[]),
            ]
            .concat(),
        );
        let mut bit_string = vec![0u8];
        bit_string.extend(rsa);
        let der = element(0x30, &[algorithm, element(0x03, &bit_string)].concat());
        base64::engine::general_purpose::STANDARD.encode(der)
    }

    #[test]
    fn key_records_are_read_with_their_sizes() {
        let key = parse(&format!("v=DKIM1; k=rsa; p={}", spki(2048))).unwrap();
        assert_eq!(
            (key.key_type, key.bits, key.revoked),
            (KeyType::Rsa, Some(2048), false)
        );
        let key = parse(&format!("p={}; t=y:s; h=sha256", spki(1024))).unwrap();
        assert_eq!(key.bits, Some(1024));
        assert!(key.testing);
        let ed = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let key = parse(&format!("v=DKIM1; k=ed25519; p={ed}")).unwrap();
        assert_eq!(key.bits, Some(256));
        let revoked = parse("v=DKIM1; p=").unwrap();
        assert!(revoked.revoked && revoked.bits.is_none());
        // Folded base64 (white space inside the value) is one key.
        let folded = spki(2048);
        let (a, b) = folded.split_at(40);
        assert_eq!(parse(&format!("p={a} {b}")).unwrap().bits, Some(2048));
    }

    #[test]
    fn malformed_records_are_errors() {
        for bad in [
            "v=DKIM1; k=rsa".to_owned(),
            "k=rsa; v=DKIM1; p=".to_owned(),
            "v=DKIM2; p=".to_owned(),
            "v=DKIM1; k=dsa; p=".to_owned(),
            "v=DKIM1; p=!!!notbase64".to_owned(),
            "v=DKIM1; p=AAAA".to_owned(),
            format!("v=DKIM1; k=ed25519; p={}", spki(2048)),
            "v=DKIM1; p=; p=".to_owned(),
        ] {
            assert!(
                parse(&bad).is_err(),
                "{bad} was accepted: {:?}",
                parse(&bad)
            );
        }
    }

    #[test]
    fn judgements_follow_rfc_8301() {
        let ids = |text: &str| -> Vec<&'static str> {
            judge("s1", &parse(text).unwrap())
                .iter()
                .map(|f| f.id)
                .collect()
        };
        assert!(ids(&format!("p={}", spki(2048))).is_empty());
        assert_eq!(ids(&format!("p={}", spki(1024))), ["dkim-rsa-1024"]);
        assert_eq!(
            ids(&format!("p={}; h=sha1", spki(512))),
            ["dkim-rsa-too-short", "dkim-sha1-only"]
        );
        assert_eq!(ids(&format!("p={}; t=y", spki(2048))), ["dkim-testing"]);
        assert_eq!(ids("p="), ["dkim-revoked"]);
    }
}
