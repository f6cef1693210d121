//! Servers with outdated TLS, played by `openssl s_server` with implicit TLS on a free
//! loopback port and an RSA certificate signed by a fresh test CA (RSA, because the legacy
//! suites use RSA key exchange). s_server answers connections one after another, for as long
//! as it runs (no `-naccept`); `-www` keeps it from reading its standard input, and a
//! client that sends nothing just waits for its own timeout.
//!
//! What Debian 12's OpenSSL 3.0 really negotiates, checked with `openssl s_client`:
//! - [`LegacyTlsServer`]: only TLS 1.0 (`-tls1`, `DEFAULT@SECLEVEL=0`); a TLS 1.0 client at
//!   `SECLEVEL=0` gets `ECDHE-RSA-AES256-SHA`; TLS 1.1, 1.2 and 1.3 clients are refused with
//!   a protocol-version alert.
//! - [`WeakCipherServer`]: only TLS 1.2 and only [`WEAK_CIPHERS`]; a client offering
//!   `AES128-SHA` or `AES256-SHA` gets it, one offering only ECDHE or AEAD suites gets a
//!   handshake-failure alert, TLS 1.3 a protocol-version alert. 3DES (`DES-CBC3-SHA`) and
//!   RC4 are not in this OpenSSL build at all, even at `SECLEVEL=0`.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::certificates::{CertificateKind, KeyType, TestCa};
use crate::{free_port, io, require, terminate, Starting, TempDir, TestkitError};

/// The suites [`WeakCipherServer`] offers: AES-CBC with HMAC-SHA-1 and RSA key exchange (no
/// forward secrecy), the weakest suites Debian's OpenSSL 3.0 still has apart from the NULL
/// (unencrypted) ones.
pub const WEAK_CIPHERS: &str = "AES128-SHA:AES256-SHA:@SECLEVEL=0";

/// How many ports a start tries.
const START_ATTEMPTS: usize = 3;
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A server that speaks only TLS 1.0 (implicit TLS); stops when dropped.
pub struct LegacyTlsServer {
    /// The TLS port on 127.0.0.1.
    pub port: u16,
    /// The test CA that signed the server's certificate (PEM).
    pub ca_file: PathBuf,
    _server: OpensslServer,
}

/// A server that speaks only TLS 1.2 with [`WEAK_CIPHERS`] (implicit TLS); stops when
/// dropped.
pub struct WeakCipherServer {
    /// The TLS port on 127.0.0.1.
    pub port: u16,
    /// The test CA that signed the server's certificate (PEM).
    pub ca_file: PathBuf,
    _server: OpensslServer,
}

impl LegacyTlsServer {
    /// Starts `openssl s_server -tls1 -cipher DEFAULT@SECLEVEL=0`.
    pub fn start() -> Result<LegacyTlsServer, TestkitError> {
        let server =
            OpensslServer::start(&["-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-www"], &[])?;
        Ok(LegacyTlsServer {
            port: server.port,
            ca_file: server.ca_file.clone(),
            _server: server,
        })
    }
}

impl WeakCipherServer {
    /// Starts `openssl s_server -tls1_2 -cipher AES128-SHA:AES256-SHA:@SECLEVEL=0`.
    pub fn start() -> Result<WeakCipherServer, TestkitError> {
        let server = OpensslServer::start(&["-tls1_2", "-cipher", WEAK_CIPHERS, "-www"], &[])?;
        Ok(WeakCipherServer {
            port: server.port,
            ca_file: server.ca_file.clone(),
            _server: server,
        })
    }
}

/// A running `openssl s_server` with its temp dir.
pub(crate) struct OpensslServer {
    pub(crate) port: u16,
    pub(crate) ca_file: PathBuf,
    child: Child,
    _dir: TempDir,
}

impl OpensslServer {
    /// Makes the CA and an RSA server certificate, writes `files` (relative path, content)
    /// into the directory s_server runs in, then starts s_server with `args`, retrying on a
    /// new port when the picked one was taken meanwhile.
    pub(crate) fn start(
        args: &[&str],
        files: &[(&str, &str)],
    ) -> Result<OpensslServer, TestkitError> {
        let openssl = require("openssl", "openssl")?;
        let dir = TempDir::new("portolan-s-server")?;
        for (path, content) in files {
            let target = dir.path().join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io("create a served directory"))?;
            }
            std::fs::write(&target, content).map_err(io("write a served file"))?;
        }
        let ca = TestCa::generate()?;
        let ca_file = dir.path().join("ca.pem");
        ca.write(&ca_file)?;
        let files = ca
            .issue(CertificateKind::Valid, KeyType::Rsa2048)?
            .write(dir.path(), "server")?;
        let log = dir.path().join("s_server.log");
        let mut failures = Vec::new();
        for attempt in 1..=START_ATTEMPTS {
            let port = free_port()?;
            let output = std::fs::File::create(&log).map_err(io("create s_server.log"))?;
            let errors = output.try_clone().map_err(io("open s_server.log"))?;
            let mut child = Command::new(&openssl)
                .arg("s_server")
                .arg("-accept")
                .arg(format!("127.0.0.1:{port}"))
                .arg("-cert")
                .arg(&files.cert)
                .arg("-key")
                .arg(&files.key)
                .args(args)
                .current_dir(dir.path())
                .stdin(Stdio::null())
                .stdout(output)
                .stderr(errors)
                .spawn()
                .map_err(io("start openssl s_server"))?;
            let ready = Starting {
                what: "openssl s_server",
                child: &mut child,
                logs: std::slice::from_ref(&log),
            }
            .wait(READY_TIMEOUT, || {
                TcpStream::connect(("127.0.0.1", port)).is_ok()
            });
            match ready {
                Ok(()) => {
                    return Ok(OpensslServer {
                        port,
                        ca_file,
                        child,
                        _dir: dir,
                    })
                }
                Err(TestkitError::NotReady(failure)) => {
                    terminate(&mut child, Duration::from_secs(2));
                    failures.push(format!("attempt {attempt}: {failure}"));
                }
                Err(other) => {
                    terminate(&mut child, Duration::from_secs(2));
                    return Err(other);
                }
            }
        }
        Err(TestkitError::NotReady(format!(
            "openssl s_server did not start in {START_ATTEMPTS} attempts:\n{}",
            failures.join("\n\n")
        )))
    }
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        terminate(&mut self.child, Duration::from_secs(2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// What `openssl s_client` reports for one handshake: the protocol and cipher, or the
    /// failure. It trusts only `ca_file` and checks the name `localhost`.
    fn s_client(port: u16, ca_file: &Path, args: &[&str]) -> Result<(String, String), String> {
        let output = Command::new("timeout")
            .arg("20")
            .arg("openssl")
            .arg("s_client")
            .arg("-connect")
            .arg(format!("127.0.0.1:{port}"))
            .arg("-CAfile")
            .arg(ca_file)
            .args(["-verify_hostname", "localhost", "-verify_return_error"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl s_client");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let field = |name: &str| {
            text.lines()
                .find_map(|line| line.trim().strip_prefix(name))
                .map(|value| value.trim_start_matches([' ', ':']).trim().to_owned())
        };
        match (
            field("Protocol"),
            field("Cipher    :"),
            output.status.success(),
        ) {
            (Some(protocol), Some(cipher), true) if cipher != "0000" => Ok((protocol, cipher)),
            _ => Err(text),
        }
    }

    #[test]
    fn the_legacy_server_speaks_only_tls_1_0_to_one_client_after_another() {
        let server = LegacyTlsServer::start().expect("s_server starts");
        for _ in 0..3 {
            let (protocol, cipher) = s_client(
                server.port,
                &server.ca_file,
                &["-tls1", "-cipher", "DEFAULT@SECLEVEL=0"],
            )
            .expect("a TLS 1.0 handshake");
            assert_eq!(protocol, "TLSv1");
            assert_eq!(cipher, "ECDHE-RSA-AES256-SHA");
        }
        for newer in ["-tls1_1", "-tls1_2", "-tls1_3"] {
            let refused = s_client(
                server.port,
                &server.ca_file,
                &[newer, "-cipher", "DEFAULT@SECLEVEL=0"],
            );
            assert!(refused.is_err(), "{newer}: {refused:?}");
        }
    }

    #[test]
    fn the_weak_cipher_server_offers_only_cbc_sha1_suites_over_tls_1_2() {
        let server = WeakCipherServer::start().expect("s_server starts");
        for suite in ["AES128-SHA", "AES256-SHA"] {
            let (protocol, cipher) = s_client(
                server.port,
                &server.ca_file,
                &["-tls1_2", "-cipher", &format!("{suite}:@SECLEVEL=0")],
            )
            .expect("a handshake with the weak suite");
            assert_eq!((protocol.as_str(), cipher.as_str()), ("TLSv1.2", suite));
        }
        // A client with modern suites only, or TLS 1.3, gets nowhere.
        let modern = s_client(
            server.port,
            &server.ca_file,
            &[
                "-tls1_2",
                "-cipher",
                "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA",
            ],
        );
        assert!(modern.is_err(), "{modern:?}");
        let tls13 = s_client(server.port, &server.ca_file, &["-tls1_3"]);
        assert!(tls13.is_err(), "{tls13:?}");
    }
}
