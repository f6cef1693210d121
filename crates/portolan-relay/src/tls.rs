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
    let file_error = |path: &Path, error: &dyn std::fmt::Display| {
        RelayError::Tls(format!("{}: {error}", path.display()))
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect())
        .map_err(|error| file_error(cert, &error))?;
    if certs.is_empty() {
        return Err(file_error(cert, &"no certificates"));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|error| file_error(key, &error))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| RelayError::Tls(error.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|error| RelayError::Tls(error.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
