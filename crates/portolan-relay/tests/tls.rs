//! TLS termination with `--tls-cert/--tls-key`: health over HTTPS and a session over WSS, with a
//! throwaway self-signed certificate made by the `openssl` command (Debian package openssl).

mod support;

use std::process::Command;
use std::sync::Arc;

use futures_util::SinkExt;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;

#[tokio::test]
async fn tls_serves_health_and_sessions() {
    let dir = std::env::temp_dir().join(format!("portolan-relay-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    // A leaf certificate (not a CA), as webpki insists.
    let openssl_config = dir.join("openssl.cnf");
    std::fs::write(
        &openssl_config,
        "[req]\ndistinguished_name=dn\nx509_extensions=leaf\nprompt=no\n[dn]\nCN=localhost\n\
         [leaf]\nbasicConstraints=critical,CA:FALSE\nsubjectAltName=DNS:localhost\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "1", "-config"])
        .arg(&openssl_config)
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command (Debian package openssl) is needed for this test");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );

    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let relay = TestRelay::with_flags(&[
        "--allow-private",
        "--port",
        &port,
        "--shutdown-grace",
        "1",
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ])
    .await;

    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_file(&cert).unwrap())
        .unwrap();
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(config));
    let name = ServerName::try_from("localhost").unwrap();

    let tcp = TcpStream::connect(relay.addr).await.unwrap();
    let mut tls = connector.connect(name.clone(), tcp).await.unwrap();
    tls.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut response = Vec::new();
    let _ = tls.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    assert!(
        response.starts_with("HTTP/1.1 200 OK") && response.ends_with("ok\n"),
        "{response}"
    );

    let tcp = TcpStream::connect(relay.addr).await.unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    let url = format!(
        "wss://localhost:{}/v1/tcp?host=127.0.0.1&port={port}",
        relay.addr.port()
    );
    let (mut client, _) = tokio_tungstenite::client_async(url, tls).await.unwrap();
    client
        .send(tokio_tungstenite::tungstenite::Message::Binary(
            b"over tls".to_vec().into(),
        ))
        .await
        .unwrap();
    let echoed = futures_util::StreamExt::next(&mut client)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(echoed.into_data().as_ref(), b"over tls");
    drop(client);

    // A plain-text client gets nothing served.
    let mut plain = TcpStream::connect(relay.addr).await.unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        plain.read_to_end(&mut reply),
    )
    .await;
    assert!(!String::from_utf8_lossy(&reply).contains("ok\n"));
    relay.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
