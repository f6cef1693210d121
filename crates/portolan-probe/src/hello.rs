//! The legacy-protocol and weak-cipher scan: hand-built ClientHellos that rustls would never
//! send (SSLv3, TLS 1.0, TLS 1.1; TLS 1.2 offering only weak suites), and a reader for the
//! server's first answer. One question per connection: does the server agree (a ServerHello
//! with that version, or with one of the offered suites), or refuse (an alert, or a close)?
//!
//! Nothing past the ServerHello is needed, so no key exchange happens and no secret is made;
//! the scan only learns what the server is willing to negotiate.

/// A protocol version rustls does not speak, asked about on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LegacyVersion {
    Ssl3,
    Tls10,
    Tls11,
}

impl LegacyVersion {
    pub const ALL: [LegacyVersion; 3] = [
        LegacyVersion::Ssl3,
        LegacyVersion::Tls10,
        LegacyVersion::Tls11,
    ];

    /// The name used in reports (`SSLv3`, `TLSv1.0`, `TLSv1.1`).
    pub fn name(self) -> &'static str {
        match self {
            LegacyVersion::Ssl3 => "SSLv3",
            LegacyVersion::Tls10 => "TLSv1.0",
            LegacyVersion::Tls11 => "TLSv1.1",
        }
    }

    /// The version number on the wire.
    pub(crate) fn wire(self) -> u16 {
        match self {
            LegacyVersion::Ssl3 => 0x0300,
            LegacyVersion::Tls10 => 0x0301,
            LegacyVersion::Tls11 => 0x0302,
        }
    }
}

/// A family of weak cipher suites, asked about on its own over TLS 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WeakCiphers {
    /// RC4 stream ciphers (RFC 7465 forbids them).
    Rc4,
    /// Triple DES: a 64-bit block (Sweet32).
    TripleDes,
    /// No encryption at all.
    Null,
    /// Export-grade and single-DES suites (40/56-bit keys).
    Export,
    /// CBC suites whose only MAC is SHA-1 (obsolete; no AEAD, no forward secrecy for RSA).
    CbcSha1,
}

impl WeakCiphers {
    pub const ALL: [WeakCiphers; 5] = [
        WeakCiphers::Rc4,
        WeakCiphers::TripleDes,
        WeakCiphers::Null,
        WeakCiphers::Export,
        WeakCiphers::CbcSha1,
    ];

    /// The family's name in words.
    pub fn name(self) -> &'static str {
        match self {
            WeakCiphers::Rc4 => "RC4",
            WeakCiphers::TripleDes => "3DES",
            WeakCiphers::Null => "NULL",
            WeakCiphers::Export => "export-grade or DES",
            WeakCiphers::CbcSha1 => "CBC with SHA-1",
        }
    }

    /// The suites offered for this family, by IANA number.
    pub fn suites(self) -> &'static [u16] {
        match self {
            WeakCiphers::Rc4 => &[0x0005, 0x0004, 0xc011, 0xc007, 0x0018],
            WeakCiphers::TripleDes => &[0x000a, 0xc012, 0xc008, 0x0016, 0x0013],
            WeakCiphers::Null => &[0x0001, 0x0002, 0x003b, 0xc010, 0xc006, 0x002c],
            WeakCiphers::Export => &[0x0003, 0x0006, 0x0008, 0x0014, 0x0011, 0x0009, 0x0015],
            WeakCiphers::CbcSha1 => &[
                0xc013, 0xc014, 0xc009, 0xc00a, 0x002f, 0x0035, 0x0033, 0x0039,
            ],
        }
    }
}

/// One scan question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScanQuestion {
    Version(LegacyVersion),
    Ciphers(WeakCiphers),
}

/// The suites a legacy-version hello offers: what old servers speak, strong to weak.
const LEGACY_SUITES: &[u16] = &[
    0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0xc012, 0xc008, 0x0016, 0x000a,
    0xc011, 0xc007, 0x0005, 0x0004,
];

/// The ClientHello record for `question`. `random` fills the hello's 32 random bytes; `sni`
/// is sent when the host is a DNS name (never for SSLv3, which has no extensions).
pub fn client_hello(question: ScanQuestion, sni: Option<&str>, random: [u8; 32]) -> Vec<u8> {
    let (version, suites, modern) = match question {
        ScanQuestion::Version(version) => (version.wire(), LEGACY_SUITES, false),
        ScanQuestion::Ciphers(family) => (0x0303, family.suites(), true),
    };
    let mut body = Vec::with_capacity(256);
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&random);
    body.push(0); // No session id.
    put_u16(&mut body, u16_len(suites.len() * 2));
    for suite in suites {
        body.extend_from_slice(&suite.to_be_bytes());
    }
    body.extend_from_slice(&[1, 0]); // Compression: null only.
    if question != ScanQuestion::Version(LegacyVersion::Ssl3) {
        let extensions = extensions(sni, modern);
        put_u16(&mut body, u16_len(extensions.len()));
        body.extend_from_slice(&extensions);
    }
    let mut handshake = vec![1]; // ClientHello.
    put_u24(&mut handshake, body.len());
    handshake.extend_from_slice(&body);
    let record_version: u16 = if version == 0x0300 { 0x0300 } else { 0x0301 };
    let mut record = vec![22]; // Handshake.
    record.extend_from_slice(&record_version.to_be_bytes());
    put_u16(&mut record, u16_len(handshake.len()));
    record.extend_from_slice(&handshake);
    record
}

fn extensions(sni: Option<&str>, modern: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(name) = sni {
        let mut list = vec![0]; // host_name
        put_u16(&mut list, u16_len(name.len()));
        list.extend_from_slice(name.as_bytes());
        let mut data = Vec::new();
        put_u16(&mut data, u16_len(list.len()));
        data.extend_from_slice(&list);
        extension(&mut out, 0x0000, &data);
    }
    // supported_groups: x25519, secp256r1, secp384r1.
    extension(
        &mut out,
        0x000a,
        &[0, 6, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18],
    );
    // ec_point_formats: uncompressed.
    extension(&mut out, 0x000b, &[1, 0]);
    if modern {
        // signature_algorithms: ECDSA and RSA (PKCS#1 and PSS) with SHA-256/384, and SHA-1
        // for old servers.
        let schemes: [u16; 8] = [
            0x0403, 0x0503, 0x0804, 0x0805, 0x0401, 0x0501, 0x0201, 0x0203,
        ];
        let mut data = Vec::new();
        put_u16(&mut data, u16_len(schemes.len() * 2));
        for scheme in schemes {
            data.extend_from_slice(&scheme.to_be_bytes());
        }
        extension(&mut out, 0x000d, &data);
    }
    // renegotiation_info, empty (RFC 5746).
    extension(&mut out, 0xff01, &[0]);
    out
}

fn extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    put_u16(out, u16_len(data.len()));
    out.extend_from_slice(data);
}

fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_be_bytes());
}

fn put_u24(out: &mut Vec<u8>, value: usize) {
    let bytes = (value as u32).to_be_bytes();
    out.extend_from_slice(&bytes[1..]);
}

/// Lengths here are of small, fixed lists; saturating keeps the arithmetic total.
fn u16_len(length: usize) -> u16 {
    u16::try_from(length).unwrap_or(u16::MAX)
}

/// The server's answer to a scan hello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelloAnswer {
    /// A ServerHello: the version and suite the server chose.
    Agreed { version: u16, suite: u16 },
    /// An alert (its description code): the server refused.
    Refused { alert: u8 },
    /// Something that is not TLS at all.
    NotTls,
}

/// Reads the first record of the server's answer from `bytes`; `None` while more is needed.
pub fn read_answer(bytes: &[u8]) -> Option<HelloAnswer> {
    let header = bytes.get(..5)?;
    let content_type = header[0];
    if header[1] != 3 {
        return Some(HelloAnswer::NotTls);
    }
    let length = usize::from(u16::from_be_bytes([header[3], header[4]]));
    match content_type {
        21 => {
            let alert = bytes.get(5..7)?;
            Some(HelloAnswer::Refused { alert: alert[1] })
        }
        22 => {
            // Type (1), length (3), version (2), random (32), session id length (1).
            let fixed = bytes.get(5..5 + 39)?;
            if fixed[0] != 2 {
                return Some(HelloAnswer::NotTls);
            }
            let version = u16::from_be_bytes([fixed[4], fixed[5]]);
            let session_id = usize::from(fixed[38]);
            let at = 5 + 39 + session_id;
            let suite = bytes.get(at..at + 2)?;
            if length < 39 + session_id + 2 {
                return Some(HelloAnswer::NotTls);
            }
            Some(HelloAnswer::Agreed {
                version,
                suite: u16::from_be_bytes([suite[0], suite[1]]),
            })
        }
        _ => Some(HelloAnswer::NotTls),
    }
}

/// The IANA name of a suite this scan offers (`TLS_RSA_WITH_AES_128_CBC_SHA`).
pub fn suite_name(suite: u16) -> String {
    let name = match suite {
        0x0001 => "TLS_RSA_WITH_NULL_MD5",
        0x0002 => "TLS_RSA_WITH_NULL_SHA",
        0x0003 => "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
        0x0004 => "TLS_RSA_WITH_RC4_128_MD5",
        0x0005 => "TLS_RSA_WITH_RC4_128_SHA",
        0x0006 => "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5",
        0x0008 => "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
        0x0009 => "TLS_RSA_WITH_DES_CBC_SHA",
        0x000a => "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x0011 => "TLS_DHE_DSS_EXPORT_WITH_DES40_CBC_SHA",
        0x0013 => "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA",
        0x0014 => "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
        0x0015 => "TLS_DHE_RSA_WITH_DES_CBC_SHA",
        0x0016 => "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0x0018 => "TLS_DH_anon_WITH_RC4_128_MD5",
        0x002c => "TLS_PSK_WITH_NULL_SHA",
        0x002f => "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0033 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x0039 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x003b => "TLS_RSA_WITH_NULL_SHA256",
        0xc006 => "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
        0xc007 => "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
        0xc008 => "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
        0xc009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xc00a => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xc010 => "TLS_ECDHE_RSA_WITH_NULL_SHA",
        0xc011 => "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
        0xc012 => "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0xc013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xc014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        other => return format!("0x{other:04X}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hellos_are_well_formed_records() {
        for question in LegacyVersion::ALL
            .map(ScanQuestion::Version)
            .into_iter()
            .chain(WeakCiphers::ALL.map(ScanQuestion::Ciphers))
        {
            let record = client_hello(question, Some("mail.example.test"), [7; 32]);
            assert_eq!(record[0], 22, "{question:?}");
            let length = usize::from(u16::from_be_bytes([record[3], record[4]]));
            assert_eq!(record.len(), 5 + length, "{question:?}");
            assert_eq!(record[5], 1, "a ClientHello");
            let body_length =
                usize::from(record[6]) << 16 | usize::from(record[7]) << 8 | usize::from(record[8]);
            assert_eq!(body_length, length - 4);
            let sni = b"mail.example.test";
            let has_sni = record.windows(sni.len()).any(|window| window == sni);
            assert_eq!(
                has_sni,
                question != ScanQuestion::Version(LegacyVersion::Ssl3),
                "{question:?}: SSLv3 hellos carry no extensions"
            );
        }
        let tls10 = client_hello(ScanQuestion::Version(LegacyVersion::Tls10), None, [0; 32]);
        assert_eq!(&tls10[1..3], &[3, 1]);
        assert_eq!(&tls10[9..11], &[3, 1], "client_version TLS 1.0");
        let rc4 = client_hello(ScanQuestion::Ciphers(WeakCiphers::Rc4), None, [0; 32]);
        assert_eq!(&rc4[9..11], &[3, 3], "weak-cipher questions are TLS 1.2");
        let suites_at = 11 + 32 + 1;
        let suites_len = usize::from(u16::from_be_bytes([rc4[suites_at], rc4[suites_at + 1]]));
        assert_eq!(suites_len, WeakCiphers::Rc4.suites().len() * 2);
    }

    #[test]
    fn answers_are_read_from_the_first_record() {
        // A ServerHello for TLS 1.0 with a 32-byte session id, choosing 0x002f.
        let mut hello = vec![22, 3, 1, 0, 0];
        let mut body = vec![2, 0, 0, 0, 3, 1];
        body.extend_from_slice(&[9; 32]);
        body.push(32);
        body.extend_from_slice(&[1; 32]);
        body.extend_from_slice(&[0x00, 0x2f, 0]);
        let length = body.len() as u16;
        hello[3..5].copy_from_slice(&length.to_be_bytes());
        hello.extend_from_slice(&body);
        assert_eq!(
            read_answer(&hello),
            Some(HelloAnswer::Agreed {
                version: 0x0301,
                suite: 0x002f
            })
        );
        for cut in 0..hello.len() - 1 {
            assert_eq!(read_answer(&hello[..cut]), None, "cut at {cut}");
        }
        assert_eq!(
            read_answer(&[21, 3, 3, 0, 2, 2, 70]),
            Some(HelloAnswer::Refused { alert: 70 })
        );
        assert_eq!(
            read_answer(b"220 mail ESMTP\r\n"),
            Some(HelloAnswer::NotTls)
        );
        assert_eq!(suite_name(0x002f), "TLS_RSA_WITH_AES_128_CBC_SHA");
        assert_eq!(suite_name(0x1301), "0x1301");
    }
}
