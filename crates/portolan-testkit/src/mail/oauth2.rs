//! OAuth2 for the test dovecot, offline: an HS256 key ([`OAuth2Key`]) and access tokens
//! signed with it (JWTs, RFC 7519), which dovecot 2.3's `oauth2` passdb checks itself
//! (`introspection_mode = local`) with no authorization server anywhere.
//!
//! dovecot looks the key up in a dictionary under `shared/<azp>/<alg>/<kid>`; a token with
//! no `azp` claim and no `kid` header is looked up as `default/HS256/default`, which for the
//! `fs:posix` dictionary is that file below the dictionary's folder, holding the key in
//! base64. A token is accepted when its signature verifies, `exp` is in the future, and its
//! `sub` claim (the passdb's `username_attribute`) is the user who signs in.
//!
//! HMAC-SHA256 comes from rustls's ring provider, which the testkit has already: the HKDF of
//! the TLS 1.3 SHA-256 suites signs with exactly that HMAC.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256;
use rustls::crypto::tls13::OkmBlock;

use super::USER;
use crate::{io, TestkitError};

/// How long [`OAuth2Key::token_for_test_user`]'s tokens are valid.
const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

/// The claims a test token carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// `sub`: who the token is for; dovecot compares it with the login name.
    pub subject: String,
    /// `exp`: when it expires, in seconds since the Unix epoch.
    pub expires_at: u64,
}

impl TokenClaims {
    /// Claims for `subject`, expiring `lifetime` from now.
    pub fn for_user(subject: &str, lifetime: Duration) -> TokenClaims {
        TokenClaims {
            subject: subject.to_owned(),
            expires_at: now().saturating_add(lifetime.as_secs()),
        }
    }

    /// Claims for `subject` that expired `ago` ago: a token dovecot must refuse.
    pub fn expired(subject: &str, ago: Duration) -> TokenClaims {
        TokenClaims {
            subject: subject.to_owned(),
            expires_at: now().saturating_sub(ago.as_secs()),
        }
    }
}

/// An HS256 key that signs test access tokens; the servers trust the one in
/// [`super::MailServers::oauth2`], and any other key's tokens are forgeries.
pub struct OAuth2Key {
    secret: [u8; 32],
}

impl OAuth2Key {
    /// A new random key.
    pub fn generate() -> Result<OAuth2Key, TestkitError> {
        let mut secret = [0u8; 32];
        rustls::crypto::ring::default_provider()
            .secure_random
            .fill(&mut secret)
            .map_err(|_| TestkitError::Tls {
                what: "make an OAuth2 test key".into(),
                detail: "no random bytes from the ring provider".into(),
            })?;
        Ok(OAuth2Key { secret })
    }

    /// A signed access token (`header.payload.signature`, base64url without padding) with
    /// `claims`, issued an hour before it expires.
    pub fn token(&self, claims: &TokenClaims) -> Result<String, TestkitError> {
        if claims.subject.contains(['"', '\\']) || claims.subject.chars().any(char::is_control) {
            return Err(TestkitError::Tls {
                what: "make an OAuth2 test token".into(),
                detail: format!("the subject {:?} needs JSON escaping", claims.subject),
            });
        }
        let header = r#"{"alg":"HS256","typ":"JWT"}"#;
        let issued_at = claims.expires_at.saturating_sub(TOKEN_LIFETIME.as_secs());
        let payload = format!(
            r#"{{"sub":"{}","iat":{issued_at},"exp":{}}}"#,
            claims.subject, claims.expires_at
        );
        let signed = format!(
            "{}.{}",
            base64(header.as_bytes(), URL_SAFE, false),
            base64(payload.as_bytes(), URL_SAFE, false)
        );
        let signature = self.hmac_sha256(signed.as_bytes())?;
        Ok(format!("{signed}.{}", base64(&signature, URL_SAFE, false)))
    }

    /// A token for the test user ([`USER`]), valid for the next hour.
    pub fn token_for_test_user(&self) -> Result<String, TestkitError> {
        self.token(&TokenClaims::for_user(USER, TOKEN_LIFETIME))
    }

    /// Writes the key where dovecot's `fs:posix` dictionary at `dir` finds it for tokens
    /// without `azp` and `kid` (`default/HS256/default`), base64-encoded; returns `dir`.
    pub(crate) fn write_dictionary(&self, dir: &Path) -> Result<PathBuf, TestkitError> {
        let folder = dir.join("default/HS256");
        fs::create_dir_all(&folder).map_err(io("create the OAuth2 key dictionary"))?;
        fs::write(folder.join("default"), base64(&self.secret, STANDARD, true))
            .map_err(io("write the OAuth2 key"))?;
        Ok(dir.to_owned())
    }

    /// HMAC-SHA256 of `message` under the key.
    fn hmac_sha256(&self, message: &[u8]) -> Result<Vec<u8>, TestkitError> {
        let suite = TLS13_AES_128_GCM_SHA256
            .tls13()
            .ok_or_else(|| TestkitError::Tls {
                what: "sign an OAuth2 test token".into(),
                detail: "TLS13_AES_128_GCM_SHA256 is not a TLS 1.3 suite".into(),
            })?;
        let tag = suite
            .hkdf_provider
            .hmac_sign(&OkmBlock::new(&self.secret), message);
        Ok(tag.as_ref().to_vec())
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The base64 alphabet of RFC 4648 section 4.
pub(crate) const STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The base64url alphabet of RFC 4648 section 5, which JWTs use.
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64 with `alphabet`, `=`-padded when `pad`.
pub(crate) fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let sextets = [
            b[0] >> 2,
            ((b[0] & 0x03) << 4) | (b[1] >> 4),
            ((b[1] & 0x0f) << 2) | (b[2] >> 6),
            b[2] & 0x3f,
        ];
        // One byte makes two characters, two make three, three make four.
        for sextet in &sextets[..chunk.len() + 1] {
            out.push(char::from(alphabet[usize::from(*sextet)]));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in vectors {
            assert_eq!(base64(input.as_bytes(), STANDARD, true), expected);
            assert_eq!(
                base64(input.as_bytes(), URL_SAFE, false),
                expected.trim_end_matches('=')
            );
        }
        assert_eq!(base64(&[0xfb, 0xff], URL_SAFE, false), "-_8");
    }

    #[test]
    fn hmac_sha256_matches_rfc_4231_test_case_1() {
        // Test case 1's key is twenty 0x0b bytes. HMAC pads a key shorter than its block
        // with zeros, so the same twenty bytes followed by twelve zeros give the same tag.
        let mut key = OAuth2Key { secret: [0; 32] };
        key.secret[..20].copy_from_slice(&[0x0b; 20]);
        let tag = key.hmac_sha256(b"Hi There").expect("hmac");
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    #[test]
    fn tokens_have_three_parts_and_the_claims() {
        let key = OAuth2Key::generate().expect("key");
        let token = key.token_for_test_user().expect("token");
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3, "{token}");
        assert_eq!(parts[0], "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
        assert!(token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
        let other = OAuth2Key::generate().expect("key");
        assert_ne!(
            other
                .token_for_test_user()
                .expect("token")
                .rsplit('.')
                .next(),
            parts.last().copied(),
            "another key signs differently"
        );
    }
}
