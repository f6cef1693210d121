//! A tiny HTTPS file server on loopback, played by `openssl s_server -WWW`: it serves the
//! given files (relative paths) with a certificate for `localhost` and `127.0.0.1` from a
//! fresh test CA, for what a domain publishes over HTTPS (an MTA-STS policy). One connection
//! at a time, HTTP/1.0 answers; it stops when dropped.

use std::path::PathBuf;

use super::legacy_tls::OpensslServer;
use crate::TestkitError;

/// A running HTTPS file server.
pub struct HttpsFiles {
    /// The TLS port on 127.0.0.1.
    pub port: u16,
    /// The test CA that signed the server's certificate (PEM).
    pub ca_file: PathBuf,
    _server: OpensslServer,
}

impl HttpsFiles {
    /// Serves `files`: (path relative to the root, like `.well-known/mta-sts.txt`, content).
    pub fn start(files: &[(&str, &str)]) -> Result<HttpsFiles, TestkitError> {
        let server = OpensslServer::start(&["-WWW"], files)?;
        Ok(HttpsFiles {
            port: server.port,
            ca_file: server.ca_file.clone(),
            _server: server,
        })
    }

    /// The URL of `path` (relative, no leading slash), under the name the certificate has.
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}/{path}", self.port)
    }
}
