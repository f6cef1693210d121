//! Mail servers on loopback for tests, each started on free ports, bound to 127.0.0.1 and
//! stopped when dropped:
//!
//! - `servers` — [`MailServers`]: real dovecot (IMAP, POP3) and postfix (submission, SMTP)
//!   behind [`crate::TcpProxy`]s, well configured by default, misconfigured on request
//!   ([`MailOptions`]: a bad certificate, logins before TLS, no STARTTLS, added latency),
//!   and OAuth2 besides passwords on request. `dovecot` and `postfix` each write and run one
//!   of the two.
//! - `oauth2` — [`OAuth2Key`]: the HS256 key dovecot checks OAuth2 access tokens with, and
//!   the tokens (JWTs) it signs, valid, expired or for another user.
//! - `certificates` — [`TestCa`] and the server certificates ([`CertificateKind`]), made with
//!   rcgen.
//! - `legacy_tls` — [`LegacyTlsServer`] (TLS 1.0 only) and [`WeakCipherServer`] (TLS 1.2
//!   with only CBC/SHA-1 suites without forward secrecy): `openssl s_server`.
//! - `https_files` — [`HttpsFiles`]: files served over HTTPS (`openssl s_server -WWW`), for
//!   what a domain publishes on the web, such as its MTA-STS policy.
//! - `scripted` — [`ScriptedServer`]: pure-Rust servers that misbehave on purpose (close
//!   after the greeting, stay silent, send an endless line or gibberish) and the STARTTLS
//!   command-injection server (CVE-2011-0411) with its correct twin.

mod certificates;
mod dovecot;
mod https_files;
mod legacy_tls;
mod oauth2;
mod postfix;
mod scripted;
mod servers;

pub use certificates::{
    client_config, CertificateFiles, CertificateKind, KeyType, ServerCertificate, TestCa, CA_NAME,
    WRONG_NAME,
};
pub use dovecot::{imap_tls_login, tls_login};
pub use https_files::HttpsFiles;
pub use legacy_tls::{LegacyTlsServer, WeakCipherServer, WEAK_CIPHERS};
pub use oauth2::{OAuth2Key, TokenClaims};
pub use scripted::{Script, ScriptedServer};
pub use servers::{MailOptions, MailServers};

/// The test user's login (an address, so `%EMAILADDRESS%` in client settings is exercised).
pub const USER: &str = "alice@example.test";
/// The test user's password.
pub const PASSWORD: &str = "correct-horse-battery-staple";
