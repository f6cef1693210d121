//! Reading a certificate for people: subject, names, issuer, validity, key and signature, from
//! the DER the server sent. Verification is rustls-webpki's job (see `tls`); this module only
//! describes. Unknown attribute types and algorithms are shown by their object identifier.

use portolan_core::model::CertificateDigests;

use crate::der::{self, tag, Element, Reader};

/// What a certificate says, in the words a report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The subject as a distinguished name, most significant part last (`CN=…, O=…`).
    pub subject: String,
    /// DNS names and IP addresses from the subject alternative names.
    pub sans: Vec<String>,
    pub issuer: String,
    /// Seconds since the Unix epoch.
    pub not_before: i64,
    pub not_after: i64,
    /// Like `ECDSA P-256`, `RSA 2048`, `Ed25519`.
    pub key: String,
    /// The key's strength in bits (the modulus for RSA, the curve size for EC).
    pub key_bits: usize,
    /// Like `ecdsa-with-SHA256`, `sha256WithRSAEncryption`.
    pub signature: String,
    /// Subject and issuer are the same name.
    pub self_issued: bool,
}

/// The certificate's SubjectPublicKeyInfo, whole, as DER (what a TLSA record with selector 1
/// matches); `None` when it is not a well-formed X.509 certificate.
pub fn subject_public_key_info(certificate: &[u8]) -> Option<&[u8]> {
    let mut outer = Reader::new(certificate);
    let mut certificate = Reader::new(outer.expect(tag::SEQUENCE)?);
    let mut tbs = Reader::new(certificate.expect(tag::SEQUENCE)?);
    tbs.optional(tag::CONTEXT_0);
    tbs.expect(tag::INTEGER)?;
    for _signature_issuer_validity_subject in 0..4 {
        tbs.expect(tag::SEQUENCE)?;
    }
    tbs.whole(tag::SEQUENCE)
}

/// The digests of a DER certificate and of its public key.
pub fn digests(certificate: &[u8]) -> CertificateDigests {
    let hex = |bytes: &[u8], algorithm: &'static ring::digest::Algorithm| {
        portolan_core::dns::hex(ring::digest::digest(algorithm, bytes).as_ref())
    };
    let key = subject_public_key_info(certificate).unwrap_or_default();
    let of_key = |algorithm| {
        if key.is_empty() {
            String::new()
        } else {
            hex(key, algorithm)
        }
    };
    CertificateDigests {
        sha256: hex(certificate, &ring::digest::SHA256),
        sha512: hex(certificate, &ring::digest::SHA512),
        spki_sha256: of_key(&ring::digest::SHA256),
        spki_sha512: of_key(&ring::digest::SHA512),
    }
}

/// Reads the facts from a DER certificate; `None` when it is not a well-formed X.509
/// certificate.
pub fn read(certificate: &[u8]) -> Option<CertificateFacts> {
    let mut outer = Reader::new(certificate);
    let mut certificate = Reader::new(outer.expect(tag::SEQUENCE)?);
    let mut tbs = Reader::new(certificate.expect(tag::SEQUENCE)?);
    let signature = algorithm_name(certificate.expect(tag::SEQUENCE)?);
    tbs.optional(tag::CONTEXT_0);
    tbs.expect(tag::INTEGER)?;
    tbs.expect(tag::SEQUENCE)?;
    let issuer_der = tbs.expect(tag::SEQUENCE)?;
    let mut validity = Reader::new(tbs.expect(tag::SEQUENCE)?);
    let not_before = der::time_seconds(validity.next()?)?;
    let not_after = der::time_seconds(validity.next()?)?;
    let subject_der = tbs.expect(tag::SEQUENCE)?;
    let (key, key_bits) = public_key(tbs.expect(tag::SEQUENCE)?)?;
    let mut sans = Vec::new();
    while let Some(element) = tbs.next() {
        if element.tag == tag::CONTEXT_3 {
            sans = subject_alt_names(element.value).unwrap_or_default();
        }
    }
    Some(CertificateFacts {
        subject: name_text(subject_der),
        sans,
        issuer: name_text(issuer_der),
        not_before,
        not_after,
        key,
        key_bits,
        signature,
        self_issued: subject_der == issuer_der,
    })
}

/// A Name (RDNSequence contents) as `CN=…, O=…`, most specific first as people read it.
fn name_text(name: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut sets = Reader::new(name);
    while let Some(set) = sets.next() {
        let mut attributes = Reader::new(set.value);
        while let Some(attribute) = attributes.next() {
            let mut fields = Reader::new(attribute.value);
            let (Some(oid), Some(value)) = (fields.expect(tag::OID), fields.next()) else {
                continue;
            };
            let label = attribute_label(oid);
            let value = crate::reply::printable(&String::from_utf8_lossy(value.value));
            parts.push(format!("{label}={value}"));
        }
    }
    parts.reverse();
    parts.join(", ")
}

fn attribute_label(oid: &[u8]) -> String {
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x55, 0x04, 0x05] => "serialNumber".into(),
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        other => der::oid_text(other).unwrap_or_else(|| "?".into()),
    }
}

/// The name of an AlgorithmIdentifier's algorithm.
fn algorithm_name(identifier: &[u8]) -> String {
    let oid = Reader::new(identifier).expect(tag::OID).unwrap_or_default();
    let known = match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02] => "ecdsa-with-SHA256",
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03] => "ecdsa-with-SHA384",
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04] => "ecdsa-with-SHA512",
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01] => "ecdsa-with-SHA1",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b] => "sha256WithRSAEncryption",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c] => "sha384WithRSAEncryption",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d] => "sha512WithRSAEncryption",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05] => "sha1WithRSAEncryption",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04] => "md5WithRSAEncryption",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a] => "rsassa-pss",
        [0x2b, 0x65, 0x70] => "Ed25519",
        [0x2b, 0x65, 0x71] => "Ed448",
        other => return der::oid_text(other).unwrap_or_else(|| "unknown".into()),
    };
    known.into()
}

/// True for signature algorithms whose hash is broken (MD5, SHA-1).
pub fn is_weak_signature(name: &str) -> bool {
    matches!(
        name,
        "ecdsa-with-SHA1" | "sha1WithRSAEncryption" | "md5WithRSAEncryption"
    )
}

/// The SubjectPublicKeyInfo's key, described, with its strength in bits.
fn public_key(info: &[u8]) -> Option<(String, usize)> {
    let mut info = Reader::new(info);
    let mut algorithm = Reader::new(info.expect(tag::SEQUENCE)?);
    let oid = algorithm.expect(tag::OID)?;
    let key = info.expect(tag::BIT_STRING)?;
    Some(match oid {
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] => {
            // The bit string holds a leading unused-bits byte, then RSAPublicKey.
            let mut rsa = Reader::new(key.get(1..)?);
            let mut fields = Reader::new(rsa.expect(tag::SEQUENCE)?);
            let bits = der::integer_bits(fields.expect(tag::INTEGER)?);
            (format!("RSA {bits}"), bits)
        }
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => {
            let curve = algorithm.expect(tag::OID).unwrap_or_default();
            let (name, bits) = match curve {
                [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => ("P-256", 256),
                [0x2b, 0x81, 0x04, 0x00, 0x22] => ("P-384", 384),
                [0x2b, 0x81, 0x04, 0x00, 0x23] => ("P-521", 521),
                _ => ("unknown curve", 0),
            };
            (format!("ECDSA {name}"), bits)
        }
        [0x2b, 0x65, 0x70] => ("Ed25519".into(), 256),
        [0x2b, 0x65, 0x71] => ("Ed448".into(), 456),
        other => (der::oid_text(other).unwrap_or_else(|| "unknown".into()), 0),
    })
}

/// DNS names and IP addresses of the subjectAltName extension, from the `[3]` extensions.
fn subject_alt_names(extensions: &[u8]) -> Option<Vec<String>> {
    let mut list = Reader::new(Reader::new(extensions).expect(tag::SEQUENCE)?);
    while let Some(extension) = list.next() {
        let mut fields = Reader::new(extension.value);
        let oid = fields.expect(tag::OID)?;
        fields.optional(tag::BOOLEAN);
        let value = fields.expect(tag::OCTET_STRING)?;
        if oid != [0x55, 0x1d, 0x11] {
            continue;
        }
        let mut names = Reader::new(Reader::new(value).expect(tag::SEQUENCE)?);
        let mut found = Vec::new();
        while let Some(Element { tag, value }) = names.next() {
            match tag {
                tag::SAN_DNS => {
                    found.push(crate::reply::printable(&String::from_utf8_lossy(value)))
                }
                tag::SAN_IP => found.push(ip_text(value)),
                _ => {}
            }
        }
        return Some(found);
    }
    Some(Vec::new())
}

fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(bytes);
            std::net::Ipv6Addr::from(octets).to_string()
        }
        _ => format!("(address of {} bytes)", bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A certificate made with `openssl req -x509 -newkey ec -pkeyopt
    /// ec_paramgen_curve:prime256v1 -subj "/O=Portolan Tests/CN=mail.example.test" -addext
    /// "subjectAltName=DNS:mail.example.test,DNS:*.example.test,IP:192.0.2.7" -days 30`.
    const EC_CERT: &[u8] = include_bytes!("../tests/fixtures/ec-p256.der");

    #[test]
    fn an_ec_certificate_is_described() {
        let facts = read(EC_CERT).expect("a certificate");
        assert_eq!(facts.subject, "CN=mail.example.test, O=Portolan Tests");
        assert_eq!(facts.issuer, facts.subject);
        assert!(facts.self_issued);
        assert_eq!(
            facts.sans,
            vec!["mail.example.test", "*.example.test", "192.0.2.7"]
        );
        assert_eq!(facts.key, "ECDSA P-256");
        assert_eq!(facts.key_bits, 256);
        assert_eq!(facts.signature, "ecdsa-with-SHA256");
        assert_eq!(facts.not_after - facts.not_before, 30 * 86_400);
    }

    #[test]
    fn an_rsa_certificate_is_described() {
        let facts = read(include_bytes!("../tests/fixtures/rsa-3072.der")).expect("a certificate");
        assert_eq!(facts.subject, "CN=rsa.example.test");
        assert_eq!(facts.sans, vec!["rsa.example.test"]);
        assert_eq!((facts.key.as_str(), facts.key_bits), ("RSA 3072", 3072));
        assert_eq!(facts.signature, "sha384WithRSAEncryption");
        assert!(!is_weak_signature(&facts.signature));
        assert!(is_weak_signature("sha1WithRSAEncryption"));
    }

    #[test]
    fn truncated_or_garbage_input_is_none_not_a_panic() {
        for cut in 0..EC_CERT.len() {
            let _ = read(&EC_CERT[..cut]);
        }
        assert_eq!(read(b"not a certificate"), None);
        assert_eq!(read(&[]), None);
    }

    #[test]
    fn the_key_digest_is_the_one_openssl_computes_for_dane() {
        // What `openssl x509 -pubkey | openssl pkey -pubin -outform DER | openssl dgst` gives,
        // the way DANE (RFC 6698 §2.1.2, selector 1) hashes the key; and the certificate's
        // own digest as `openssl dgst` over the DER.
        let run = |arguments: &[&str], input: &[u8]| -> Vec<u8> {
            use std::io::Write;
            let mut child = std::process::Command::new("openssl")
                .args(arguments)
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("openssl runs");
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input)
                .expect("written");
            child.wait_with_output().expect("finished").stdout
        };
        let public_pem = run(&["x509", "-inform", "DER", "-pubkey", "-noout"], EC_CERT);
        let public_der = run(&["pkey", "-pubin", "-outform", "DER"], &public_pem);
        assert_eq!(
            subject_public_key_info(EC_CERT),
            Some(public_der.as_slice())
        );
        let digests = digests(EC_CERT);
        let expected =
            String::from_utf8(run(&["dgst", "-sha256", "-r"], &public_der)).expect("text");
        assert_eq!(
            expected.split_whitespace().next(),
            Some(digests.spki_sha256.as_str())
        );
        let expected = String::from_utf8(run(&["dgst", "-sha512", "-r"], EC_CERT)).expect("text");
        assert_eq!(
            expected.split_whitespace().next(),
            Some(digests.sha512.as_str())
        );
        assert!(subject_public_key_info(&EC_CERT[..40]).is_none());
        assert_eq!(digests_of_garbage(), String::new());
    }

    fn digests_of_garbage() -> String {
        digests(b"not a certificate").spki_sha256
    }
}
