//! The client side of the SASL mechanisms the login test uses: PLAIN (RFC 4616), LOGIN (the
//! de-facto `Username:`/`Password:` exchange) and SCRAM-SHA-256 (RFC 5802, RFC 7677), which
//! proves the password without sending it and checks the server's proof in return.
//!
//! The password is held in a [`Credentials`] value that wipes itself when dropped and never
//! shows up in `Debug` output.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::{digest, hmac, pbkdf2};
use zeroize::Zeroizing;

/// A user name and password for the one login attempt.
#[derive(Clone)]
pub struct Credentials {
    pub user: String,
    password: Zeroizing<String>,
}

impl Credentials {
    pub fn new(user: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            user: user.into(),
            password: Zeroizing::new(password.into()),
        }
    }

    /// The password, for building the one message that carries it.
    pub(crate) fn password(&self) -> &str {
        &self.password
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .field("password", &"(hidden)")
            .finish()
    }
}

/// A mechanism the login test can use, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mechanism {
    ScramSha256,
    Plain,
    Login,
}

impl Mechanism {
    /// The SASL name.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::ScramSha256 => "SCRAM-SHA-256",
            Mechanism::Plain => "PLAIN",
            Mechanism::Login => "LOGIN",
        }
    }

    /// The mechanism to test with among those offered (upper-case SASL names): PLAIN first,
    /// since the login only ever happens inside verified TLS and PLAIN is what mail apps use
    /// (a server may list SCRAM-SHA-256 without having the stored keys for every user); LOGIN
    /// next; SCRAM-SHA-256 when nothing else is offered.
    pub fn choose(offered: &[String]) -> Option<Mechanism> {
        [Mechanism::Plain, Mechanism::Login, Mechanism::ScramSha256]
            .into_iter()
            .find(|mechanism| offered.iter().any(|name| name == mechanism.name()))
    }
}

/// PLAIN's one message, base64-encoded: `\0user\0password`.
pub fn plain_response(credentials: &Credentials) -> Zeroizing<String> {
    let mut message = Zeroizing::new(Vec::new());
    message.push(0);
    message.extend_from_slice(credentials.user.as_bytes());
    message.push(0);
    message.extend_from_slice(credentials.password().as_bytes());
    Zeroizing::new(STANDARD.encode(&*message))
}

/// LOGIN's answer to a server prompt (base64): the user name unless the prompt asks for the
/// password. Prompts are `Username:` and `Password:` by convention.
pub fn login_response(credentials: &Credentials, prompt_base64: &str) -> Zeroizing<String> {
    let prompt = STANDARD
        .decode(prompt_base64.trim())
        .map(|bytes| String::from_utf8_lossy(&bytes).to_ascii_lowercase())
        .unwrap_or_default();
    let answer = if prompt.contains("pass") {
        credentials.password()
    } else {
        credentials.user.as_str()
    };
    Zeroizing::new(STANDARD.encode(answer.as_bytes()))
}

/// Why a SCRAM exchange failed on the client's side.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScramError {
    #[error("the server's SCRAM message is malformed: {0}")]
    Malformed(&'static str),
    #[error("the server's nonce does not extend the client's")]
    Nonce,
    #[error("the server asked for {0} iterations, outside 4096..=10000000")]
    Iterations(u64),
    #[error("the server's signature is wrong: it does not know the password")]
    ServerSignature,
    #[error("the server reported an error: {0}")]
    Server(String),
}

/// A SCRAM-SHA-256 exchange in progress.
pub struct Scram {
    client_nonce: String,
    client_first_bare: String,
    server_signature: Option<Vec<u8>>,
}

impl Scram {
    /// Starts an exchange with a fresh client nonce (random bytes, base64).
    pub fn start(credentials: &Credentials, nonce: &[u8]) -> (Scram, String) {
        let client_nonce = STANDARD.encode(nonce);
        let user = credentials.user.replace('=', "=3D").replace(',', "=2C");
        let client_first_bare = format!("n={user},r={client_nonce}");
        let first = STANDARD.encode(format!("n,,{client_first_bare}"));
        (
            Scram {
                client_nonce,
                client_first_bare,
                server_signature: None,
            },
            first,
        )
    }

    /// Answers the server-first message (base64) with the client-final message (base64).
    pub fn answer(
        &mut self,
        credentials: &Credentials,
        server_first_base64: &str,
    ) -> Result<Zeroizing<String>, ScramError> {
        let server_first = decode(server_first_base64)?;
        let field = |name: char| {
            server_first
                .split(',')
                .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
        };
        let nonce = field('r').ok_or(ScramError::Malformed("no nonce"))?;
        if !nonce.starts_with(&self.client_nonce) || nonce.len() == self.client_nonce.len() {
            return Err(ScramError::Nonce);
        }
        let salt = STANDARD
            .decode(field('s').ok_or(ScramError::Malformed("no salt"))?)
            .map_err(|_| ScramError::Malformed("salt is not base64"))?;
        let iterations: u64 = field('i')
            .and_then(|text| text.parse().ok())
            .ok_or(ScramError::Malformed("no iteration count"))?;
        let count = u32::try_from(iterations)
            .ok()
            .filter(|count| (4096..=10_000_000).contains(count))
            .and_then(std::num::NonZeroU32::new)
            .ok_or(ScramError::Iterations(iterations))?;
        let mut salted = Zeroizing::new([0u8; 32]);
        pbkdf2::derive(
            pbkdf2::PBKDF2_HMAC_SHA256,
            count,
            &salt,
            credentials.password().as_bytes(),
            &mut salted[..],
        );
        let salted_key = hmac::Key::new(hmac::HMAC_SHA256, &salted[..]);
        let client_key = hmac::sign(&salted_key, b"Client Key");
        let stored_key = digest::digest(&digest::SHA256, client_key.as_ref());
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let client_signature = hmac::sign(
            &hmac::Key::new(hmac::HMAC_SHA256, stored_key.as_ref()),
            auth_message.as_bytes(),
        );
        let proof: Vec<u8> = client_key
            .as_ref()
            .iter()
            .zip(client_signature.as_ref())
            .map(|(key, signature)| key ^ signature)
            .collect();
        let server_key = hmac::sign(&salted_key, b"Server Key");
        self.server_signature = Some(
            hmac::sign(
                &hmac::Key::new(hmac::HMAC_SHA256, server_key.as_ref()),
                auth_message.as_bytes(),
            )
            .as_ref()
            .to_vec(),
        );
        Ok(Zeroizing::new(STANDARD.encode(format!(
            "{without_proof},p={}",
            STANDARD.encode(proof)
        ))))
    }

    /// Checks the server-final message (base64): the server must prove it knows the password.
    pub fn verify(&self, server_final_base64: &str) -> Result<(), ScramError> {
        let server_final = decode(server_final_base64)?;
        if let Some(error) = server_final.strip_prefix("e=") {
            return Err(ScramError::Server(error.to_owned()));
        }
        let signature = server_final
            .strip_prefix("v=")
            .and_then(|value| STANDARD.decode(value).ok())
            .ok_or(ScramError::Malformed("no server signature"))?;
        match &self.server_signature {
            Some(expected) if *expected == signature => Ok(()),
            _ => Err(ScramError::ServerSignature),
        }
    }
}

fn decode(base64: &str) -> Result<String, ScramError> {
    STANDARD
        .decode(base64.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(ScramError::Malformed("not base64 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_login_messages() {
        let credentials = Credentials::new("alice@example.test", "secret");
        assert_eq!(
            STANDARD.decode(&*plain_response(&credentials)).unwrap(),
            b"\0alice@example.test\0secret"
        );
        assert_eq!(
            *login_response(&credentials, "VXNlcm5hbWU6"),
            STANDARD.encode("alice@example.test")
        );
        assert_eq!(
            *login_response(&credentials, "UGFzc3dvcmQ6"),
            STANDARD.encode("secret")
        );
        assert!(!format!("{credentials:?}").contains("secret"));
        assert_eq!(
            Mechanism::choose(&["LOGIN".into(), "PLAIN".into()]),
            Some(Mechanism::Plain)
        );
        assert_eq!(Mechanism::choose(&["XOAUTH2".into()]), None);
    }

    /// The example exchange of RFC 7677 §3 (user `user`, password `pencil`).
    #[test]
    fn scram_sha_256_matches_rfc_7677() {
        let credentials = Credentials::new("user", "pencil");
        let nonce = STANDARD.decode("rOprNGfwEbeRWgbNEkqO").unwrap();
        let (mut scram, first) = Scram::start(&credentials, &nonce);
        assert_eq!(
            STANDARD.decode(first).unwrap(),
            b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
        );
        let server_first = STANDARD.encode(
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        );
        let last = scram.answer(&credentials, &server_first).unwrap();
        assert_eq!(
            String::from_utf8(STANDARD.decode(&*last).unwrap()).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        assert_eq!(
            scram.verify(&STANDARD.encode("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")),
            Ok(())
        );
        assert_eq!(
            scram.verify(&STANDARD.encode("v=AAAA")),
            Err(ScramError::ServerSignature)
        );
        assert_eq!(
            scram.verify(&STANDARD.encode("e=invalid-proof")),
            Err(ScramError::Server("invalid-proof".into()))
        );
    }

    #[test]
    fn scram_refuses_a_foreign_nonce_and_absurd_iterations() {
        let credentials = Credentials::new("user", "pencil");
        let (mut scram, _) = Scram::start(&credentials, b"abc");
        let foreign = STANDARD.encode("r=other,s=QSXCR+Q6sek8bf92,i=4096");
        assert_eq!(
            scram.answer(&credentials, &foreign).err(),
            Some(ScramError::Nonce)
        );
        let nonce = STANDARD.encode(b"abc");
        let huge = STANDARD.encode(format!("r={nonce}x,s=QSXCR+Q6sek8bf92,i=99999999999"));
        assert_eq!(
            scram.answer(&credentials, &huge).err(),
            Some(ScramError::Iterations(99_999_999_999))
        );
        assert!(matches!(
            scram.answer(&credentials, "%%%"),
            Err(ScramError::Malformed(_))
        ));
    }
}
