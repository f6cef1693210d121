//! Optional TLS termination with rustls (ring provider), for running without a reverse proxy.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

use crate::RelayError;

/// Loads a PEM certificate chain and private key and builds an acceptor (HTTP/1.1 only).
pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, RelayError> {
    let tls_error = |detail: String| RelayError::Tls(detail);
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|error| tls_error(format!("{}: {error}", cert.display())))?
        .collect::<Result<_, _>>()
        .map_err(|error| tls_error(format!("{}: {error}", cert.display())))?;
    if certs.is_empty() {
        return Err(tls_error(format!("{}: no certificates", cert.display())));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|error| tls_error(format!("{}: {error}", key.display())))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| tls_error(error.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|error| tls_error(error.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
