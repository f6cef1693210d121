//! TLS inside the probe: a rustls client (ring provider, TLS 1.3 and 1.2) driven as a
//! transform over byte buffers, so the same code runs over a TCP socket natively and over the
//! relay's WebSocket in the browser.
//!
//! Verification is recorded, not enforced: the verifier asks rustls-webpki about the chain
//! (against the webpki roots plus any extra CA, at the wall-clock time passed in) and keeps the
//! verdict, then lets the handshake finish, so the report can show what the server presented
//! even when it is wrong. The probe reads the verdict and never sends credentials unless the
//! chain verified and the name matched.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{
    CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::SigningKey;
use rustls::time_provider::TimeProvider;
use rustls::SignatureScheme;
use rustls::{
    CertificateError, ClientConfig, ClientConnection, DigitallySignedStruct, RootCertStore,
};
use thiserror::Error;

/// Why a TLS session could not be set up at all (before any byte was sent).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TlsSetupError {
    #[error("{0:?} is not a host name or IP address TLS can check")]
    ServerName(String),
    #[error("the trust anchors could not be used: {0}")]
    Roots(String),
    #[error("the TLS client could not be set up: {0}")]
    Config(String),
}

/// The certificates a check trusts: the webpki roots (Mozilla's list) plus any extra CA the
/// user gave (`--ca`, for intranets and tests). Built once and shared by every probe.
#[derive(Debug, Clone)]
pub struct TrustAnchors {
    roots: Arc<RootCertStore>,
}

impl TrustAnchors {
    /// The webpki roots and the extra CA certificates (DER).
    pub fn new(extra: &[CertificateDer<'static>]) -> Result<TrustAnchors, TlsSetupError> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for certificate in extra {
            roots
                .add(certificate.clone())
                .map_err(|error| TlsSetupError::Roots(error.to_string()))?;
        }
        Ok(TrustAnchors {
            roots: Arc::new(roots),
        })
    }

    /// Reads extra CA certificates from PEM text (one or more `BEGIN CERTIFICATE` blocks).
    pub fn pem_certificates(pem: &[u8]) -> Result<Vec<CertificateDer<'static>>, TlsSetupError> {
        use rustls::pki_types::pem::PemObject;
        let certificates = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| TlsSetupError::Roots(format!("not PEM certificates: {error}")))?;
        if certificates.is_empty() {
            return Err(TlsSetupError::Roots(
                "no BEGIN CERTIFICATE block found".into(),
            ));
        }
        Ok(certificates)
    }
}

/// What the verifier saw: the chain as sent and webpki's verdict on it.
#[derive(Debug, Clone)]
struct Presented {
    chain: Vec<CertificateDer<'static>>,
    verdict: Result<(), rustls::Error>,
}

/// What a finished handshake established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The IANA name of the cipher suite.
    pub cipher: String,
    /// The certificates as the server sent them, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// Why the chain is not trusted, in plain words; `None` when it is (name aside).
    pub chain_error: Option<String>,
    /// The leaf is valid for the host that was checked.
    pub name_matches: bool,
    /// RFC 7817: the leaf is valid for the email domain; `None` when not asked.
    pub domain_matches: Option<bool>,
}

/// One client TLS session over an abstract byte pipe.
pub struct TlsSession {
    connection: ClientConnection,
    /// Decrypted bytes not handed out yet.
    received: Vec<u8>,
    presented: Arc<Mutex<Option<Presented>>>,
    host: ServerName<'static>,
    domain: Option<ServerName<'static>>,
}

impl TlsSession {
    /// Starts a session with `host` (SNI and name check), trusting `anchors`, validating
    /// certificates at `unix_seconds`. `domain` is the email domain for RFC 7817's second
    /// name check, when it differs from the host.
    pub fn new(
        host: &str,
        domain: Option<&str>,
        anchors: &TrustAnchors,
        unix_seconds: u64,
    ) -> Result<TlsSession, TlsSetupError> {
        let host = server_name(host)?;
        let domain = domain.map(server_name).transpose()?;
        let provider = Arc::new(client_provider());
        let webpki =
            WebPkiServerVerifier::builder_with_provider(anchors.roots.clone(), provider.clone())
                .build()
                .map_err(|error| TlsSetupError::Config(error.to_string()))?;
        let presented = Arc::new(Mutex::new(None));
        let verifier = Arc::new(RecordingVerifier {
            webpki,
            presented: presented.clone(),
        });
        let config = ClientConfig::builder_with_details(
            provider,
            Arc::new(PassedInTime(UnixTime::since_unix_epoch(
                std::time::Duration::from_secs(unix_seconds),
            ))),
        )
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|error| TlsSetupError::Config(error.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
        let connection = ClientConnection::new(Arc::new(config), host.clone())
            .map_err(|error| TlsSetupError::Config(error.to_string()))?;
        Ok(TlsSession {
            connection,
            received: Vec::new(),
            presented,
            host,
            domain,
        })
    }

    /// Feeds bytes from the server. An error is fatal for the session (an alert from the
    /// server, a protocol violation); its alert, if any, is in [`TlsSession::outgoing`].
    ///
    /// Decrypted data is taken out as each record is processed (rustls stops accepting input
    /// while too much of it waits unread), and handed out by [`TlsSession::plaintext`].
    pub fn receive(&mut self, mut bytes: &[u8]) -> Result<(), rustls::Error> {
        while !bytes.is_empty() {
            match self.connection.read_tls(&mut bytes) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) => return Err(rustls::Error::General(error.to_string())),
            }
            self.connection.process_new_packets()?;
            self.drain_plaintext();
        }
        Ok(())
    }

    fn drain_plaintext(&mut self) {
        let mut chunk = [0u8; 4096];
        loop {
            match self.connection.reader().read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(read) => self.received.extend_from_slice(&chunk[..read]),
            }
        }
    }

    /// The server closed the connection: lets rustls see the end of the stream.
    pub fn receive_end(&mut self) -> Result<(), rustls::Error> {
        let mut empty: &[u8] = &[];
        let _ = self.connection.read_tls(&mut empty);
        self.connection.process_new_packets().map(|_| ())
    }

    /// Bytes to send to the server (handshake messages, alerts, encrypted data).
    pub fn outgoing(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while self.connection.wants_write() {
            if self.connection.write_tls(&mut out).is_err() {
                break;
            }
        }
        out
    }

    /// Decrypted bytes the server sent since the last call.
    pub fn plaintext(&mut self) -> Vec<u8> {
        self.drain_plaintext();
        std::mem::take(&mut self.received)
    }

    /// Queues bytes to send encrypted (collect them with [`TlsSession::outgoing`]).
    pub fn send(&mut self, bytes: &[u8]) {
        // Writing to rustls's buffer only fails when the session is already closed; the
        // probe notices that on its next read.
        let _ = self.connection.writer().write_all(bytes);
    }

    /// Queues a close_notify alert.
    pub fn close(&mut self) {
        self.connection.send_close_notify();
    }

    pub fn is_handshaking(&self) -> bool {
        self.connection.is_handshaking()
    }

    /// What the handshake established; `None` while it is still going on.
    pub fn negotiated(&self) -> Option<Negotiated> {
        if self.connection.is_handshaking() {
            return None;
        }
        let version = match self.connection.protocol_version()? {
            rustls::ProtocolVersion::TLSv1_3 => "TLSv1.3".to_owned(),
            rustls::ProtocolVersion::TLSv1_2 => "TLSv1.2".to_owned(),
            other => format!("{other:?}"),
        };
        let suite = self.connection.negotiated_cipher_suite()?.suite();
        let cipher = suite
            .as_str()
            .map_or_else(|| format!("{suite:?}"), str::to_owned);
        let presented = self.presented.lock().ok()?.clone()?;
        let chain_error = presented.verdict.as_ref().err().and_then(chain_problem);
        let leaf = presented.chain.first();
        let valid_for = |name: &ServerName<'_>| {
            leaf.and_then(|der| webpki::EndEntityCert::try_from(der).ok())
                .is_some_and(|cert| cert.verify_is_valid_for_subject_name(name).is_ok())
        };
        Some(Negotiated {
            version,
            cipher,
            chain_error,
            name_matches: valid_for(&self.host),
            domain_matches: self.domain.as_ref().map(valid_for),
            chain: presented.chain,
        })
    }
}

/// The chain problem in plain words, or `None` when webpki's only complaint was the name
/// (the name is checked separately).
fn chain_problem(error: &rustls::Error) -> Option<String> {
    let rustls::Error::InvalidCertificate(problem) = error else {
        return Some(format!("the certificate could not be checked: {error}"));
    };
    Some(match problem {
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            return None
        }
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
            "the certificate has expired".into()
        }
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
            "the certificate is not valid yet".into()
        }
        CertificateError::UnknownIssuer => {
            "the certificate is not issued by a trusted certificate authority".into()
        }
        CertificateError::BadSignature => "a signature in the certificate chain is invalid".into(),
        CertificateError::Revoked => "the certificate has been revoked".into(),
        CertificateError::InvalidPurpose | CertificateError::InvalidPurposeContext { .. } => {
            "the certificate is not meant for TLS servers".into()
        }
        other => format!("the certificate is not valid: {other}"),
    })
}

/// The probe's crypto: ring's primitives, chosen for a client that only verifies.
///
/// - Cipher suites: AES-GCM only. Every TLS 1.3 server has AES-128-GCM (RFC 8446 §9.1), and
///   TLS 1.2 mail servers offer ECDHE with AES-GCM; leaving ChaCha20-Poly1305 out keeps its
///   code out of the browser's probe worker.
/// - Key exchange: X25519, P-256 and P-384.
/// - Signatures: ECDSA (P-256, P-384) and RSA (PKCS#1 v1.5 and PSS, 2048 to 8192 bits),
///   verification only. No Ed25519: public CAs do not issue Ed25519 server certificates, and
///   leaving it out keeps its verification code (and SHA-512) out of the probe worker.
/// - No private-key loader: the probe never signs (no client certificates), which keeps
///   ring's signing code out as well.
fn client_provider() -> CryptoProvider {
    use rustls::crypto::ring::{cipher_suite, kx_group};
    CryptoProvider {
        cipher_suites: vec![
            cipher_suite::TLS13_AES_256_GCM_SHA384,
            cipher_suite::TLS13_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        ],
        kx_groups: vec![kx_group::X25519, kx_group::SECP256R1, kx_group::SECP384R1],
        signature_verification_algorithms: VERIFICATION_ALGORITHMS,
        secure_random: &SystemRandomness,
        key_provider: &NoPrivateKeys,
    }
}

/// The signature algorithms certificates and handshakes are verified with, and which TLS
/// signature scheme each may stand for (in TLS 1.2 an ECDSA scheme does not fix the curve).
static VERIFICATION_ALGORITHMS: WebPkiSupportedAlgorithms = {
    use webpki::ring as alg;
    WebPkiSupportedAlgorithms {
        all: &[
            alg::ECDSA_P256_SHA256,
            alg::ECDSA_P256_SHA384,
            alg::ECDSA_P384_SHA256,
            alg::ECDSA_P384_SHA384,
            alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
            alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
            alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
            alg::RSA_PKCS1_2048_8192_SHA256,
            alg::RSA_PKCS1_2048_8192_SHA384,
            alg::RSA_PKCS1_2048_8192_SHA512,
            alg::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
            alg::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
            alg::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
        ],
        mapping: &[
            (
                SignatureScheme::ECDSA_NISTP256_SHA256,
                &[alg::ECDSA_P256_SHA256, alg::ECDSA_P384_SHA256],
            ),
            (
                SignatureScheme::ECDSA_NISTP384_SHA384,
                &[alg::ECDSA_P384_SHA384, alg::ECDSA_P256_SHA384],
            ),
            (
                SignatureScheme::RSA_PSS_SHA256,
                &[alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY],
            ),
            (
                SignatureScheme::RSA_PSS_SHA384,
                &[alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY],
            ),
            (
                SignatureScheme::RSA_PSS_SHA512,
                &[alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY],
            ),
            (
                SignatureScheme::RSA_PKCS1_SHA256,
                &[alg::RSA_PKCS1_2048_8192_SHA256],
            ),
            (
                SignatureScheme::RSA_PKCS1_SHA384,
                &[alg::RSA_PKCS1_2048_8192_SHA384],
            ),
            (
                SignatureScheme::RSA_PKCS1_SHA512,
                &[alg::RSA_PKCS1_2048_8192_SHA512],
            ),
        ],
    }
};

/// Randomness for the handshake, from the system (the Web Crypto API in the browser).
#[derive(Debug)]
struct SystemRandomness;

impl SecureRandom for SystemRandomness {
    fn fill(&self, buffer: &mut [u8]) -> Result<(), GetRandomFailed> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), buffer)
            .map_err(|_| GetRandomFailed)
    }
}

/// A key provider that has no keys to give.
#[derive(Debug)]
struct NoPrivateKeys;

impl KeyProvider for NoPrivateKeys {
    fn load_private_key(
        &self,
        _key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Err(rustls::Error::General(
            "the probe uses no private keys".into(),
        ))
    }
}

fn server_name(host: &str) -> Result<ServerName<'static>, TlsSetupError> {
    let bare = host
        .strip_prefix('[')
        .and_then(|inner| inner.strip_suffix(']'))
        .unwrap_or(host);
    ServerName::try_from(bare.to_owned()).map_err(|_| TlsSetupError::ServerName(host.to_owned()))
}

/// The wall-clock time the driver passed in (`SystemTime` does not exist in the browser).
#[derive(Debug)]
struct PassedInTime(UnixTime);

impl TimeProvider for PassedInTime {
    fn current_time(&self) -> Option<UnixTime> {
        Some(self.0)
    }
}

/// Asks webpki, records the answer, and lets the handshake go on.
#[derive(Debug)]
struct RecordingVerifier {
    webpki: Arc<WebPkiServerVerifier>,
    presented: Arc<Mutex<Option<Presented>>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .webpki
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ());
        let chain = std::iter::once(end_entity)
            .chain(intermediates)
            .map(|der| der.clone().into_owned())
            .collect();
        if let Ok(mut slot) = self.presented.lock() {
            *slot = Some(Presented { chain, verdict });
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}
