//! What a live check of one server found: the `portolan check --json` shape, the probe worker's
//! answer to the page, and what the engine reads to decide whether a server is usable.
//!
//! The probes (crate `portolan-probe`) fill these in; everything here is plain data plus the
//! few readings every consumer needs (the outcome the engine grades by, the login mechanisms
//! offered), so the page can show a report without linking any TLS code. The serialised names
//! are a public contract, like the rest of the model.

use serde::{Deserialize, Serialize};

use super::{Protocol, Security};

/// The result of checking one server: one object of `portolan check --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveCheck {
    /// The host name (or address) that was checked, as given.
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// Whether a connection was made at all.
    pub reachable: bool,
    /// The server's greeting, as sent (control characters replaced), when one arrived.
    #[serde(default)]
    pub banner: Option<String>,
    #[serde(default)]
    pub capabilities: Capabilities,
    /// What the TLS handshake negotiated and the certificate it showed; `None` when no
    /// handshake completed.
    #[serde(default)]
    pub tls: Option<TlsReport>,
    /// Old protocol versions the server still accepts (`SSLv3`, `TLSv1.0`, `TLSv1.1`), from
    /// one hand-built ClientHello per version.
    #[serde(default)]
    pub legacy_tls_accepted: Vec<String>,
    /// Weak cipher suites the server agreed to when offered nothing else, by IANA name.
    #[serde(default)]
    pub weak_ciphers_accepted: Vec<String>,
    /// Whether commands pipelined after STARTTLS were answered inside TLS (CVE-2011-0411);
    /// `None` when not tested (implicit TLS, or no STARTTLS).
    #[serde(default)]
    pub starttls_injection: Option<InjectionVerdict>,
    /// The optional login test; `None` when none was asked for.
    #[serde(default)]
    pub login: Option<LoginReport>,
    pub grade: CheckGrade,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub timings_ms: Timings,
    /// Round trips the main conversation waited for the server (connect not counted).
    #[serde(default)]
    pub round_trips: u32,
    /// What stopped the check early, in plain words; `None` when it ran to the end.
    #[serde(default)]
    pub error: Option<String>,
}

/// The capabilities (IMAP), extensions (SMTP EHLO) or CAPA lines (POP3) the server listed,
/// before and after TLS, as sent (upper-cased keywords, arguments kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    #[serde(default)]
    pub before_tls: Vec<String>,
    #[serde(default)]
    pub after_tls: Vec<String>,
}

/// What TLS negotiated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TlsReport {
    /// `TLSv1.3` or `TLSv1.2`.
    pub version: String,
    /// The IANA name, like `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// The leaf certificate; `None` when the server sent none.
    #[serde(default)]
    pub certificate: Option<CertificateReport>,
}

/// The server's certificate, as far as a user or an admin needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateReport {
    /// The subject's distinguished name, like `CN=mail.example.net`.
    pub subject: String,
    /// The subject alternative names (DNS names and IP addresses).
    pub sans: Vec<String>,
    pub issuer: String,
    /// RFC 3339 UTC times, like `2026-12-01T00:00:00Z`.
    pub not_before: String,
    pub not_after: String,
    /// Whole days from the check until `not_after` (negative once expired).
    pub days_left: i64,
    /// The chain leads to a trusted root and every certificate in it is valid now.
    pub chain_valid: bool,
    /// Why the chain is not valid, in plain words; `None` when it is.
    #[serde(default)]
    pub chain_error: Option<String>,
    /// The certificate is valid for the host that was checked.
    pub name_matches: bool,
    /// RFC 7817: whether the certificate also names the email domain; `None` when no address
    /// was given or the host is the domain itself.
    #[serde(default)]
    pub domain_matches: Option<bool>,
    /// Subject and issuer are the same and the chain is not trusted.
    pub self_signed: bool,
    /// The public key, like `ECDSA P-256` or `RSA 2048`.
    pub key: String,
    /// The signature algorithm, like `ecdsa-with-SHA256`.
    pub signature: String,
    /// Certificates the server sent, the leaf included.
    pub chain_length: usize,
    /// The digests of each certificate the server sent, the leaf first, for comparing
    /// certificates across ports and with DANE TLSA records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<CertificateDigests>,
}

/// The SHA-256 and SHA-512 digests of one certificate and of its public key (the DER
/// SubjectPublicKeyInfo), lower-case hex: what DANE TLSA records (RFC 6698 §2.1.2) match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateDigests {
    pub sha256: String,
    pub sha512: String,
    pub spki_sha256: String,
    pub spki_sha512: String,
}

/// The STARTTLS command injection verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InjectionVerdict {
    /// The pipelined command was not answered inside TLS.
    NotVulnerable,
    /// The server answered the command that was sent in plaintext after STARTTLS, inside TLS.
    Vulnerable,
    /// The test could not finish (no TLS, connection lost).
    Inconclusive,
}

/// The login test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginReport {
    pub outcome: LoginOutcome,
    /// The mechanism used (`PLAIN`, `LOGIN`, `SCRAM-SHA-256`, `USER`), when one was tried.
    #[serde(default)]
    pub mechanism: Option<String>,
    /// The server's words (or why the test was skipped).
    pub detail: String,
}

/// How the login test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoginOutcome {
    Succeeded,
    Failed,
    /// Not attempted: the certificate was not verified, no TLS, or no usable mechanism.
    Skipped,
}

/// A server's grade, from its worst finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CheckGrade {
    /// Nothing to fix.
    A,
    /// Works securely; something minor to improve.
    B,
    /// Works, with a weakness worth fixing soon.
    C,
    /// Unusable or unsafe as it is.
    F,
}

impl CheckGrade {
    /// The letter, for text output.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckGrade::A => "A",
            CheckGrade::B => "B",
            CheckGrade::C => "C",
            CheckGrade::F => "F",
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Worth knowing; nothing to fix.
    Info,
    Low,
    Medium,
    /// The server cannot be used safely as it is.
    High,
}

impl Severity {
    /// The name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// The grade a server gets when this is its worst finding.
    pub fn grade(self) -> CheckGrade {
        match self {
            Severity::Info => CheckGrade::A,
            Severity::Low => CheckGrade::B,
            Severity::Medium => CheckGrade::C,
            Severity::High => CheckGrade::F,
        }
    }
}

/// One thing a check found, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

/// The stable identifier of each kind of finding (the `id` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingId {
    Unreachable,
    ConnectionClosed,
    NoGreeting,
    GreetingRefused,
    ProtocolError,
    StarttlsMissing,
    StarttlsFailed,
    TlsHandshakeFailed,
    CertificateUntrusted,
    CertificateSelfSigned,
    CertificateExpired,
    CertificateNotYetValid,
    CertificateExpiresSoon,
    CertificateNameMismatch,
    CertificateNotForDomain,
    WeakKey,
    WeakSignature,
    Tls12Only,
    LegacyTlsAccepted,
    WeakCipherAccepted,
    StarttlsInjection,
    AuthBeforeTls,
    LoginNotDisabled,
    PlaintextPort,
    #[serde(rename = "port-25-submission")]
    Port25Submission,
    NoAuthMechanism,
    LoginSucceeded,
    LoginFailed,
    LoginSkipped,
    ScanIncomplete,
}

impl FindingId {
    /// The name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingId::Unreachable => "unreachable",
            FindingId::ConnectionClosed => "connection-closed",
            FindingId::NoGreeting => "no-greeting",
            FindingId::GreetingRefused => "greeting-refused",
            FindingId::ProtocolError => "protocol-error",
            FindingId::StarttlsMissing => "starttls-missing",
            FindingId::StarttlsFailed => "starttls-failed",
            FindingId::TlsHandshakeFailed => "tls-handshake-failed",
            FindingId::CertificateUntrusted => "certificate-untrusted",
            FindingId::CertificateSelfSigned => "certificate-self-signed",
            FindingId::CertificateExpired => "certificate-expired",
            FindingId::CertificateNotYetValid => "certificate-not-yet-valid",
            FindingId::CertificateExpiresSoon => "certificate-expires-soon",
            FindingId::CertificateNameMismatch => "certificate-name-mismatch",
            FindingId::CertificateNotForDomain => "certificate-not-for-domain",
            FindingId::WeakKey => "weak-key",
            FindingId::WeakSignature => "weak-signature",
            FindingId::Tls12Only => "tls12-only",
            FindingId::LegacyTlsAccepted => "legacy-tls-accepted",
            FindingId::WeakCipherAccepted => "weak-cipher-accepted",
            FindingId::StarttlsInjection => "starttls-injection",
            FindingId::AuthBeforeTls => "auth-before-tls",
            FindingId::LoginNotDisabled => "login-not-disabled",
            FindingId::PlaintextPort => "plaintext-port",
            FindingId::Port25Submission => "port-25-submission",
            FindingId::NoAuthMechanism => "no-auth-mechanism",
            FindingId::LoginSucceeded => "login-succeeded",
            FindingId::LoginFailed => "login-failed",
            FindingId::LoginSkipped => "login-skipped",
            FindingId::ScanIncomplete => "scan-incomplete",
        }
    }
}

/// How long each step took, in milliseconds; `None` for steps that did not happen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timings {
    #[serde(default)]
    pub connect: Option<u64>,
    #[serde(default)]
    pub greeting: Option<u64>,
    #[serde(default)]
    pub starttls: Option<u64>,
    #[serde(default)]
    pub tls_handshake: Option<u64>,
    #[serde(default)]
    pub capabilities: Option<u64>,
    #[serde(default)]
    pub login: Option<u64>,
    /// From the start of the check to its report, scans included.
    #[serde(default)]
    pub total: Option<u64>,
}

/// What a live check means for a recommendation, in one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckOutcome {
    /// TLS worked and the certificate is valid for the host name.
    Verified,
    /// Nothing answered (refused, timed out).
    Unreachable,
    /// The server answered but TLS (or STARTTLS) failed.
    TlsFailed,
    /// The certificate chain is not trusted or has expired.
    CertificateInvalid,
    /// The certificate is valid but not for this host name (RFC 7817 §3 / RFC 6125).
    NameMismatch,
    /// TLS and the certificate were fine, but the server did not complete the conversation
    /// (no greeting, turned the client away, answered something else).
    ProtocolFailed,
}

impl LiveCheck {
    /// An empty report for an endpoint, before anything is known: unreachable, grade F.
    pub fn new(host: impl Into<String>, port: u16, protocol: Protocol, security: Security) -> Self {
        LiveCheck {
            host: host.into(),
            port,
            protocol,
            security,
            reachable: false,
            banner: None,
            capabilities: Capabilities::default(),
            tls: None,
            legacy_tls_accepted: Vec::new(),
            weak_ciphers_accepted: Vec::new(),
            starttls_injection: None,
            login: None,
            grade: CheckGrade::F,
            findings: Vec::new(),
            timings_ms: Timings::default(),
            round_trips: 0,
            error: None,
        }
    }

    /// The endpoint this check is about, in the shape [`super::Candidate::endpoint`] gives.
    pub fn endpoint(&self) -> (Protocol, &str, u16, Security) {
        (self.protocol, self.host.as_str(), self.port, self.security)
    }

    /// Whether this check is about the candidate's endpoint (host names compared without
    /// regard to case).
    pub fn is_for(&self, candidate: &super::Candidate) -> bool {
        self.protocol == candidate.protocol
            && self.host.eq_ignore_ascii_case(&candidate.host)
            && self.port == candidate.port
            && self.security == candidate.security
    }

    /// The one-word outcome the engine grades by.
    pub fn outcome(&self) -> CheckOutcome {
        if !self.reachable {
            return CheckOutcome::Unreachable;
        }
        match self.tls.as_ref().and_then(|tls| tls.certificate.as_ref()) {
            None => CheckOutcome::TlsFailed,
            Some(certificate) if !certificate.chain_valid => CheckOutcome::CertificateInvalid,
            Some(certificate) if !certificate.name_matches => CheckOutcome::NameMismatch,
            Some(_) if self.error.is_some() => CheckOutcome::ProtocolFailed,
            Some(_) => CheckOutcome::Verified,
        }
    }

    /// The capabilities that count: those after TLS when TLS happened, else those before.
    pub fn effective_capabilities(&self) -> &[String] {
        if self.tls.is_some() {
            &self.capabilities.after_tls
        } else {
            &self.capabilities.before_tls
        }
    }

    /// The login mechanisms the server offers once secured, upper-cased: SASL mechanism names
    /// (`PLAIN`, `LOGIN`, `XOAUTH2`, ...), plus [`POP3_USER_PASS`] and [`IMAP_LOGIN_COMMAND`]
    /// for the protocols' own password commands.
    pub fn auth_mechanisms(&self) -> Vec<String> {
        offered_mechanisms(self.protocol, self.effective_capabilities())
    }

    /// A short description of why the check is not [`CheckOutcome::Verified`], for reasons
    /// shown to people; `None` when it is.
    pub fn problem(&self) -> Option<String> {
        if let Some(error) = &self.error {
            return Some(error.clone());
        }
        let certificate = self.tls.as_ref()?.certificate.as_ref()?;
        if let Some(error) = &certificate.chain_error {
            return Some(error.clone());
        }
        (!certificate.name_matches).then(|| {
            format!(
                "the certificate names {}",
                if certificate.sans.is_empty() {
                    certificate.subject.clone()
                } else {
                    certificate.sans.join(", ")
                }
            )
        })
    }
}

/// The name [`offered_mechanisms`] gives POP3's `USER`/`PASS` commands.
pub const POP3_USER_PASS: &str = "USER";
/// The name [`offered_mechanisms`] gives IMAP's own `LOGIN` command (allowed unless the server
/// announces `LOGINDISABLED`); the SASL mechanism `AUTH=LOGIN` is `LOGIN`.
pub const IMAP_LOGIN_COMMAND: &str = "IMAP-LOGIN";

/// The login mechanisms in a capability list, by the protocol's own syntax: IMAP
/// `AUTH=PLAIN` (and its LOGIN command unless `LOGINDISABLED`), SMTP `AUTH PLAIN LOGIN` (and
/// the old `AUTH=PLAIN` form), POP3 `SASL PLAIN` and `USER`.
pub fn offered_mechanisms(protocol: Protocol, capabilities: &[String]) -> Vec<String> {
    let mut mechanisms: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        let name = name.to_ascii_uppercase();
        if !name.is_empty() && !mechanisms.contains(&name) {
            mechanisms.push(name);
        }
    };
    let has = |keyword: &str| {
        capabilities
            .iter()
            .any(|capability| capability.eq_ignore_ascii_case(keyword))
    };
    for capability in capabilities {
        let mut words = capability.split_whitespace();
        let first = words.next().unwrap_or_default();
        match protocol {
            Protocol::Imap => {
                if let Some(name) = strip_prefix_ignore_case(first, "AUTH=") {
                    add(name);
                }
            }
            Protocol::Submission => {
                if first.eq_ignore_ascii_case("AUTH") {
                    words.for_each(&mut add);
                } else if let Some(rest) = strip_prefix_ignore_case(first, "AUTH=") {
                    add(rest);
                    words.for_each(&mut add);
                }
            }
            Protocol::Pop3 => {
                if first.eq_ignore_ascii_case("SASL") {
                    words.for_each(&mut add);
                } else if first.eq_ignore_ascii_case(POP3_USER_PASS) {
                    add(POP3_USER_PASS);
                }
            }
        }
    }
    if protocol == Protocol::Imap && !capabilities.is_empty() && !has("LOGINDISABLED") {
        add(IMAP_LOGIN_COMMAND);
    }
    mechanisms
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn mechanisms_are_read_in_each_protocols_syntax() {
        assert_eq!(
            offered_mechanisms(
                Protocol::Imap,
                &caps(&["IMAP4rev1", "AUTH=PLAIN", "auth=xoauth2", "LOGINDISABLED"])
            ),
            vec!["PLAIN", "XOAUTH2"]
        );
        assert_eq!(
            offered_mechanisms(Protocol::Imap, &caps(&["IMAP4rev1", "STARTTLS"])),
            vec![IMAP_LOGIN_COMMAND],
            "an IMAP server without LOGINDISABLED accepts the LOGIN command"
        );
        assert_eq!(
            offered_mechanisms(
                Protocol::Submission,
                &caps(&["PIPELINING", "AUTH PLAIN LOGIN", "AUTH=LOGIN", "8BITMIME"])
            ),
            vec!["PLAIN", "LOGIN"]
        );
        assert_eq!(
            offered_mechanisms(Protocol::Pop3, &caps(&["TOP", "USER", "SASL PLAIN LOGIN"])),
            vec!["USER", "PLAIN", "LOGIN"]
        );
        assert!(offered_mechanisms(Protocol::Pop3, &[]).is_empty());
    }

    #[test]
    fn the_outcome_follows_reachability_tls_chain_and_name() {
        let mut check = LiveCheck::new("mail.example.com", 993, Protocol::Imap, Security::Tls);
        assert_eq!(check.outcome(), CheckOutcome::Unreachable);
        check.reachable = true;
        assert_eq!(check.outcome(), CheckOutcome::TlsFailed);
        let mut certificate = CertificateReport {
            subject: "CN=other.example".into(),
            sans: vec!["other.example".into()],
            issuer: "CN=Test CA".into(),
            not_before: "2026-01-01T00:00:00Z".into(),
            not_after: "2027-01-01T00:00:00Z".into(),
            days_left: 30,
            chain_valid: true,
            chain_error: None,
            name_matches: false,
            domain_matches: None,
            self_signed: false,
            key: "ECDSA P-256".into(),
            signature: "ecdsa-with-SHA256".into(),
            chain_length: 2,
            digests: Vec::new(),
        };
        check.tls = Some(TlsReport {
            version: "TLSv1.3".into(),
            cipher: "TLS13_AES_128_GCM_SHA256".into(),
            certificate: Some(certificate.clone()),
        });
        assert_eq!(check.outcome(), CheckOutcome::NameMismatch);
        assert_eq!(
            check.problem().as_deref(),
            Some("the certificate names other.example")
        );
        certificate.chain_valid = false;
        certificate.chain_error = Some("expired".into());
        check.tls.as_mut().unwrap().certificate = Some(certificate.clone());
        assert_eq!(check.outcome(), CheckOutcome::CertificateInvalid);
        certificate.chain_valid = true;
        certificate.chain_error = None;
        certificate.name_matches = true;
        check.tls.as_mut().unwrap().certificate = Some(certificate);
        assert_eq!(check.outcome(), CheckOutcome::Verified);
        assert_eq!(check.problem(), None);
        check.error = Some("no answer within 5000 ms while waiting for the greeting".into());
        assert_eq!(
            check.outcome(),
            CheckOutcome::ProtocolFailed,
            "TLS alone is not a working mail server"
        );
    }

    #[test]
    fn json_names_are_the_documented_ones() {
        let mut check = LiveCheck::new(
            "mail.example.com",
            587,
            Protocol::Submission,
            Security::Starttls,
        );
        check.findings.push(Finding {
            id: FindingId::AuthBeforeTls,
            severity: Severity::High,
            message: "m".into(),
            fix: "f".into(),
        });
        check.starttls_injection = Some(InjectionVerdict::NotVulnerable);
        let json = serde_json::to_value(&check).unwrap();
        for field in [
            "host",
            "port",
            "protocol",
            "security",
            "reachable",
            "banner",
            "capabilities",
            "tls",
            "legacy_tls_accepted",
            "weak_ciphers_accepted",
            "starttls_injection",
            "login",
            "grade",
            "findings",
            "timings_ms",
        ] {
            assert!(json.get(field).is_some(), "{field} missing from {json}");
        }
        assert_eq!(json["capabilities"]["before_tls"], serde_json::json!([]));
        assert_eq!(json["grade"], "F");
        assert_eq!(json["findings"][0]["id"], "auth-before-tls");
        assert_eq!(json["findings"][0]["severity"], "high");
        assert_eq!(json["starttls_injection"], "not-vulnerable");
        for id in [
            FindingId::Port25Submission,
            FindingId::Tls12Only,
            FindingId::ScanIncomplete,
        ] {
            assert_eq!(serde_json::to_value(id).unwrap(), id.as_str());
        }
        let back: LiveCheck = serde_json::from_value(json).unwrap();
        assert_eq!(back, check);
    }
}
