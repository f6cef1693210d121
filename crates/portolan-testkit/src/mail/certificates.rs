//! The throw-away test CA and the server certificates the test servers present: valid,
//! expired, for the wrong name, or self-signed. They are made in memory with rcgen (ECDSA
//! P-256 keys, or an RSA 2048 key from `openssl genrsa` where a legacy cipher suite needs RSA
//! key exchange) and written as PEM files where a server reads its certificate from disk.
//!
//! Every certificate for `localhost` names `DNS:localhost` and `IP:127.0.0.1`, so clients can
//! connect by either name. Tests make a client trust the CA by passing its PEM file (or its
//! DER) as an extra trust anchor; nothing is installed system-wide.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::{Duration, OffsetDateTime};

use crate::{io, require, TestkitError};

/// The test CA's subject common name.
pub const CA_NAME: &str = "Portolan Test CA";
/// The one name a [`CertificateKind::WrongName`] certificate is for.
pub const WRONG_NAME: &str = "wrong-name.example";

/// Which server certificate a test server presents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CertificateKind {
    /// Signed by the test CA for `localhost` and `127.0.0.1`, valid from a day ago for 60
    /// days (so no "expires soon" warning), for server authentication.
    #[default]
    Valid,
    /// As [`Valid`](Self::Valid), but valid only from 60 to 30 days ago.
    Expired,
    /// Signed by the test CA and current, but its common name and only name are
    /// [`WRONG_NAME`].
    WrongName,
    /// Names and dates as [`Valid`](Self::Valid), but signed by its own key, not the test CA.
    SelfSigned,
}

/// The key type of a server certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyType {
    /// ECDSA on P-256: what dovecot, postfix and the scripted servers use.
    #[default]
    EcdsaP256,
    /// RSA 2048 (made by `openssl genrsa`): needed for the RSA key exchange of the legacy
    /// cipher suites `openssl s_server` offers.
    Rsa2048,
}

/// The test CA; it signs the server certificates and is the trust anchor tests pass on.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    der: CertificateDer<'static>,
    pem: String,
}

/// A server certificate with its private key.
pub struct ServerCertificate {
    /// Which kind of certificate this is.
    pub kind: CertificateKind,
    der: CertificateDer<'static>,
    pem: String,
    key_der: Vec<u8>,
    key_pem: String,
}

/// Where a server certificate and its key were written.
#[derive(Debug, Clone)]
pub struct CertificateFiles {
    /// The certificate, PEM.
    pub cert: PathBuf,
    /// The private key, PEM (PKCS #8), readable by every user so server processes that
    /// dropped their privileges can still read it.
    pub key: PathBuf,
}

impl TestCa {
    /// A new CA ("CN=Portolan Test CA", ECDSA P-256), valid from 90 days ago for 180 days so
    /// that it covers every certificate it signs, the expired one included.
    pub fn generate() -> Result<TestCa, TestkitError> {
        let key = KeyPair::generate().map_err(certificate_error("make the test CA's key"))?;
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        params.distinguished_name = common_name(CA_NAME);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        params.not_before = now - Duration::days(90);
        params.not_after = now + Duration::days(90);
        let certificate = params
            .self_signed(&key)
            .map_err(certificate_error("sign the test CA"))?;
        Ok(TestCa {
            der: certificate.der().clone(),
            pem: certificate.pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The CA certificate, DER (for a rustls root store).
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// Writes the CA certificate to `path` (PEM), the file tests pass as a trust anchor.
    pub fn write(&self, path: &Path) -> Result<(), TestkitError> {
        std::fs::write(path, &self.pem).map_err(io(format!("write {}", path.display())))
    }

    /// A new server certificate of `kind` with a new key of `key_type`.
    pub fn issue(
        &self,
        kind: CertificateKind,
        key_type: KeyType,
    ) -> Result<ServerCertificate, TestkitError> {
        self.issue_with_names(kind, key_type, &[])
    }

    /// As [`TestCa::issue`], with `extra_names` (DNS names) after `localhost` and `127.0.0.1`
    /// (a wrong-name certificate keeps its one wrong name): for servers a test reaches under
    /// other host names, such as guessed ones.
    pub fn issue_with_names(
        &self,
        kind: CertificateKind,
        key_type: KeyType,
        extra_names: &[String],
    ) -> Result<ServerCertificate, TestkitError> {
        let key = match key_type {
            KeyType::EcdsaP256 => {
                KeyPair::generate().map_err(certificate_error("make a server key"))?
            }
            KeyType::Rsa2048 => rsa_key()?,
        };
        let now = OffsetDateTime::now_utc();
        let (name, names) = match kind {
            CertificateKind::WrongName => (WRONG_NAME, vec![WRONG_NAME.to_owned()]),
            _ => (
                "localhost",
                ["localhost", "127.0.0.1"]
                    .into_iter()
                    .map(str::to_owned)
                    .chain(extra_names.iter().cloned())
                    .collect(),
            ),
        };
        let mut params =
            CertificateParams::new(names).map_err(certificate_error("name a server"))?;
        params.distinguished_name = common_name(name);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = match key_type {
            KeyType::EcdsaP256 => vec![KeyUsagePurpose::DigitalSignature],
            // RSA key exchange encrypts the premaster secret to the certificate's key.
            KeyType::Rsa2048 => vec![
                KeyUsagePurpose::DigitalSignature,
                KeyUsagePurpose::KeyEncipherment,
            ],
        };
        (params.not_before, params.not_after) = match kind {
            CertificateKind::Expired => (now - Duration::days(60), now - Duration::days(30)),
            _ => (now - Duration::days(1), now + Duration::days(60)),
        };
        let certificate = match kind {
            CertificateKind::SelfSigned => params.self_signed(&key),
            _ => {
                params.use_authority_key_identifier_extension = true;
                params.signed_by(&key, &self.issuer)
            }
        }
        .map_err(certificate_error("sign a server certificate"))?;
        Ok(ServerCertificate {
            kind,
            der: certificate.der().clone(),
            pem: certificate.pem(),
            key_der: key.serialize_der(),
            key_pem: key.serialize_pem(),
        })
    }
}

impl ServerCertificate {
    /// The certificate, DER.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.der
    }

    /// The certificate, PEM.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// The private key, PEM (PKCS #8).
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// Writes `{name}.pem` and `{name}.key` into `dir`.
    pub fn write(&self, dir: &Path, name: &str) -> Result<CertificateFiles, TestkitError> {
        use std::os::unix::fs::PermissionsExt;
        let files = CertificateFiles {
            cert: dir.join(format!("{name}.pem")),
            key: dir.join(format!("{name}.key")),
        };
        for (path, text) in [(&files.cert, &self.pem), (&files.key, &self.key_pem)] {
            std::fs::write(path, text).map_err(io(format!("write {}", path.display())))?;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))
                .map_err(io(format!("make {} readable", path.display())))?;
        }
        Ok(files)
    }

    /// A rustls server configuration presenting this certificate (TLS 1.2 and 1.3, ring).
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, TestkitError> {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(tls_error("choose the TLS versions"))?
        .with_no_client_auth()
        .with_single_cert(vec![self.der.clone()], key)
        .map_err(tls_error("load the server certificate"))?;
        Ok(Arc::new(config))
    }
}

/// A rustls client configuration that trusts only `ca` (TLS 1.2 and 1.3, ring): how a test
/// plays a client that was given the test CA.
pub fn client_config(ca: &CertificateDer<'_>) -> Result<Arc<rustls::ClientConfig>, TestkitError> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(ca.clone().into_owned())
        .map_err(tls_error("trust the test CA"))?;
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(tls_error("choose the TLS versions"))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A distinguished name with only a common name.
fn common_name(name: &str) -> DistinguishedName {
    let mut distinguished_name = DistinguishedName::new();
    distinguished_name.push(DnType::CommonName, name);
    distinguished_name
}

/// A new RSA 2048 key: ring cannot generate RSA keys, so `openssl genrsa` does, and rcgen
/// loads the PKCS #8 PEM it prints.
fn rsa_key() -> Result<KeyPair, TestkitError> {
    let openssl = require("openssl", "openssl")?;
    let pem = crate::run(Command::new(openssl).args(["genrsa", "2048"]))?;
    KeyPair::from_pem(&pem).map_err(certificate_error("load the RSA key from openssl"))
}

fn certificate_error(what: &'static str) -> impl FnOnce(rcgen::Error) -> TestkitError {
    move |error| TestkitError::Tls {
        what: what.to_owned(),
        detail: error.to_string(),
    }
}

fn tls_error(what: &'static str) -> impl FnOnce(rustls::Error) -> TestkitError {
    move |error| TestkitError::Tls {
        what: what.to_owned(),
        detail: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustls::client::danger::ServerCertVerifier;
    use rustls::pki_types::{ServerName, UnixTime};
    use rustls::CertificateError;
    use x509_parser::extensions::GeneralName;
    use x509_parser::prelude::{FromDer, X509Certificate};

    const DAY: i64 = 24 * 60 * 60;

    fn now() -> i64 {
        OffsetDateTime::now_utc().unix_timestamp()
    }

    /// What rustls (webpki) says about `certificate` for `name` at `at` (Unix seconds), with
    /// only `ca` trusted: Ok, or the certificate error.
    fn verify(
        ca: &TestCa,
        certificate: &ServerCertificate,
        name: &str,
        at: i64,
    ) -> Result<(), CertificateError> {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(ca.der().clone())
            .expect("the CA is a trust anchor");
        let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            Arc::new(rustls::crypto::ring::default_provider()),
        )
        .build()
        .expect("a verifier");
        let name = ServerName::try_from(name.to_owned()).expect("a server name");
        let at = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
            u64::try_from(at).expect("after 1970"),
        ));
        match verifier.verify_server_cert(certificate.der(), &[], &name, &[], at) {
            Ok(_) => Ok(()),
            Err(rustls::Error::InvalidCertificate(error)) => Err(error),
            Err(other) => panic!("not a certificate error: {other}"),
        }
    }

    fn parse<'a>(der: &'a CertificateDer<'_>) -> X509Certificate<'a> {
        X509Certificate::from_der(der.as_ref())
            .expect("a well-formed certificate")
            .1
    }

    /// The subject alternative names as text: `DNS:name` or `IP:a.b.c.d`.
    fn names(certificate: &X509Certificate<'_>) -> Vec<String> {
        let extension = certificate
            .subject_alternative_name()
            .expect("one SAN extension")
            .expect("a SAN extension");
        extension
            .value
            .general_names
            .iter()
            .map(|name| match name {
                GeneralName::DNSName(dns) => format!("DNS:{dns}"),
                GeneralName::IPAddress(ip) => format!(
                    "IP:{}",
                    ip.iter().map(u8::to_string).collect::<Vec<_>>().join(".")
                ),
                other => format!("{other:?}"),
            })
            .collect()
    }

    /// Asserts `actual` (Unix seconds) lies within ten minutes of `expected`.
    fn assert_near(what: &str, actual: i64, expected: i64) {
        assert!(
            (actual - expected).abs() < 600,
            "{what}: {actual} is not near {expected}"
        );
    }

    #[test]
    fn the_ca_is_a_ca_named_portolan_test_ca() {
        let ca = TestCa::generate().expect("a CA");
        let parsed = parse(ca.der());
        assert_eq!(parsed.subject().to_string(), "CN=Portolan Test CA");
        assert_eq!(parsed.issuer().to_string(), "CN=Portolan Test CA");
        assert!(parsed.is_ca());
        assert!(ca.pem().starts_with("-----BEGIN CERTIFICATE-----"));
    }

    #[test]
    fn a_valid_certificate_is_for_localhost_and_current() {
        let ca = TestCa::generate().expect("a CA");
        let certificate = ca
            .issue(CertificateKind::Valid, KeyType::EcdsaP256)
            .expect("a certificate");
        let parsed = parse(certificate.der());
        assert_eq!(parsed.subject().to_string(), "CN=localhost");
        assert_eq!(parsed.issuer().to_string(), "CN=Portolan Test CA");
        assert_eq!(names(&parsed), ["DNS:localhost", "IP:127.0.0.1"]);
        let usage = parsed
            .extended_key_usage()
            .expect("one EKU extension")
            .expect("an EKU extension");
        assert!(usage.value.server_auth && !usage.value.client_auth);
        assert!(!parsed.is_ca());
        assert_near(
            "notBefore",
            parsed.validity().not_before.timestamp(),
            now() - DAY,
        );
        assert_near(
            "notAfter",
            parsed.validity().not_after.timestamp(),
            now() + 60 * DAY,
        );
        assert_eq!(verify(&ca, &certificate, "localhost", now()), Ok(()));
        assert_eq!(verify(&ca, &certificate, "127.0.0.1", now()), Ok(()));
        assert!(certificate
            .key_pem()
            .starts_with("-----BEGIN PRIVATE KEY-----"));
    }

    #[test]
    fn an_expired_certificate_ended_thirty_days_ago() {
        let ca = TestCa::generate().expect("a CA");
        let certificate = ca
            .issue(CertificateKind::Expired, KeyType::EcdsaP256)
            .expect("a certificate");
        let parsed = parse(certificate.der());
        assert_eq!(parsed.subject().to_string(), "CN=localhost");
        assert_eq!(parsed.issuer().to_string(), "CN=Portolan Test CA");
        assert_eq!(names(&parsed), ["DNS:localhost", "IP:127.0.0.1"]);
        assert_near(
            "notBefore",
            parsed.validity().not_before.timestamp(),
            now() - 60 * DAY,
        );
        assert_near(
            "notAfter",
            parsed.validity().not_after.timestamp(),
            now() - 30 * DAY,
        );
        let error = verify(&ca, &certificate, "localhost", now()).expect_err("expired");
        assert!(
            matches!(
                error,
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            ),
            "{error:?}"
        );
        // Nothing else is wrong with it: 45 days ago it was fine.
        assert_eq!(
            verify(&ca, &certificate, "localhost", now() - 45 * DAY),
            Ok(())
        );
    }

    #[test]
    fn a_wrong_name_certificate_names_only_the_wrong_name() {
        let ca = TestCa::generate().expect("a CA");
        let certificate = ca
            .issue(CertificateKind::WrongName, KeyType::EcdsaP256)
            .expect("a certificate");
        let parsed = parse(certificate.der());
        assert_eq!(parsed.subject().to_string(), "CN=wrong-name.example");
        assert_eq!(parsed.issuer().to_string(), "CN=Portolan Test CA");
        assert_eq!(names(&parsed), ["DNS:wrong-name.example"]);
        for name in ["localhost", "127.0.0.1"] {
            let error = verify(&ca, &certificate, name, now()).expect_err("wrong name");
            assert!(
                matches!(
                    error,
                    CertificateError::NotValidForName
                        | CertificateError::NotValidForNameContext { .. }
                ),
                "{name}: {error:?}"
            );
        }
        assert_eq!(verify(&ca, &certificate, WRONG_NAME, now()), Ok(()));
    }

    #[test]
    fn a_self_signed_certificate_is_its_own_issuer() {
        let ca = TestCa::generate().expect("a CA");
        let certificate = ca
            .issue(CertificateKind::SelfSigned, KeyType::EcdsaP256)
            .expect("a certificate");
        let parsed = parse(certificate.der());
        assert_eq!(parsed.subject().to_string(), "CN=localhost");
        assert_eq!(parsed.issuer().to_string(), "CN=localhost");
        assert_eq!(names(&parsed), ["DNS:localhost", "IP:127.0.0.1"]);
        assert_near(
            "notAfter",
            parsed.validity().not_after.timestamp(),
            now() + 60 * DAY,
        );
        assert_eq!(
            verify(&ca, &certificate, "localhost", now()),
            Err(CertificateError::UnknownIssuer)
        );
    }

    #[test]
    fn an_rsa_certificate_is_signed_by_the_ca_with_an_rsa_key() {
        let ca = TestCa::generate().expect("a CA");
        let certificate = ca
            .issue(CertificateKind::Valid, KeyType::Rsa2048)
            .expect("a certificate");
        let parsed = parse(certificate.der());
        assert_eq!(
            parsed.public_key().algorithm.algorithm,
            x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION
        );
        assert_eq!(names(&parsed), ["DNS:localhost", "IP:127.0.0.1"]);
        assert_eq!(verify(&ca, &certificate, "localhost", now()), Ok(()));
    }

    #[test]
    fn files_are_written_as_pem() {
        let dir = crate::TempDir::new("portolan-certificates-test").expect("temp dir");
        let ca = TestCa::generate().expect("a CA");
        let files = ca
            .issue(CertificateKind::Valid, KeyType::EcdsaP256)
            .expect("a certificate")
            .write(dir.path(), "server")
            .expect("written");
        let cert = std::fs::read_to_string(&files.cert).expect("cert file");
        let key = std::fs::read_to_string(&files.key).expect("key file");
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----"), "{cert}");
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
    }
}
