//! From what a check saw to findings: each with its stable id, its severity, a message in plain
//! words and the fix in one sentence. Ordered by severity (worst first), then by id, so the
//! output never flaps. The grade is the worst severity's.

use portolan_core::model::{
    offered_mechanisms, Finding, FindingId, InjectionVerdict, LiveCheck, LoginOutcome, Protocol,
    Security, Severity, IMAP_LOGIN_COMMAND,
};

use crate::hello::ScanQuestion;
use crate::probe::{Failure, Step};

/// Days before expiry from which a certificate is worth a warning.
const EXPIRY_WARNING_DAYS: i64 = 30;
/// Days before expiry from which it is urgent.
const EXPIRY_URGENT_DAYS: i64 = 7;

/// What the findings need beyond the report.
pub struct Context<'a> {
    pub failure: Option<&'a Failure>,
    pub timeout_ms: u64,
    /// The certificate key's strength in bits, when a certificate was read.
    pub key_bits: Option<usize>,
    pub weak_signature: bool,
    pub email_domain: Option<&'a str>,
    /// Scan questions that got no answer, with why.
    pub inconclusive_scans: &'a [(ScanQuestion, String)],
}

/// Every finding for `check`, worst first.
pub fn derive(check: &LiveCheck, context: &Context<'_>) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut add = |id, severity, message: String, fix: &str| {
        found.push(Finding {
            id,
            severity,
            message,
            fix: fix.to_owned(),
        })
    };
    let endpoint = format!("{}:{}", check.host, check.port);
    let port = check.port;
    if let Some(failure) = context.failure {
        let text = failure.describe(context.timeout_ms);
        match failure {
            Failure::Unreachable(_) => add(
                FindingId::Unreachable,
                Severity::High,
                format!("{endpoint}: {text}."),
                "Check the host name and port, and that the server listens there and no firewall blocks it.",
            ),
            Failure::Closed(_) => add(
                FindingId::ConnectionClosed,
                Severity::High,
                format!("{endpoint}: {text}."),
                "Look in the server's log for why it drops the connection (a connection limit, or TLS expected where plain text arrived).",
            ),
            Failure::Timeout(Step::Greeting) => add(
                FindingId::NoGreeting,
                Severity::High,
                format!("{endpoint}: {text}."),
                "Make sure a mail server, not another service, listens on this port, and that it is not overloaded.",
            ),
            Failure::Timeout(_) | Failure::Protocol(..) | Failure::LineTooLong(_) => add(
                FindingId::ProtocolError,
                Severity::High,
                format!("{endpoint}: {text}."),
                "Make sure the service on this port speaks the expected protocol; the server's log says more.",
            ),
            Failure::GreetingRefused(_) => add(
                FindingId::GreetingRefused,
                Severity::High,
                format!("{endpoint}: {text}."),
                "The server refuses new connections: check its connection limits and blocklists.",
            ),
            Failure::StarttlsMissing => add(
                FindingId::StarttlsMissing,
                Severity::High,
                format!("{endpoint} does not offer STARTTLS: passwords and mail would cross the network unencrypted."),
                "Enable STARTTLS on this port, or better, offer implicit TLS (993, 995, 465).",
            ),
            Failure::StarttlsRefused(_) => add(
                FindingId::StarttlsFailed,
                Severity::High,
                format!("{endpoint} advertises STARTTLS but {text}."),
                "Fix the server's TLS set-up (certificate and key readable, TLS enabled for this service).",
            ),
            Failure::TlsSetup(_) | Failure::TlsHandshake(_) => add(
                FindingId::TlsHandshakeFailed,
                Severity::High,
                format!(
                    "{endpoint}: {text}{}.",
                    if check.security == Security::Starttls {
                        " (after STARTTLS was accepted)"
                    } else {
                        ""
                    }
                ),
                "Enable TLS 1.2 and TLS 1.3 with current cipher suites on this service.",
            ),
        }
    }
    if let Some(certificate) = check.tls.as_ref().and_then(|tls| tls.certificate.as_ref()) {
        let names = if certificate.sans.is_empty() {
            certificate.subject.clone()
        } else {
            certificate.sans.join(", ")
        };
        if certificate.days_left < 0 {
            add(
                FindingId::CertificateExpired,
                Severity::High,
                format!(
                    "The certificate for {} expired {} days ago ({}).",
                    check.host, -certificate.days_left, certificate.not_after
                ),
                "Renew the certificate and reload the server.",
            );
        } else if certificate.chain_error.as_deref() == Some("the certificate is not valid yet") {
            add(
                FindingId::CertificateNotYetValid,
                Severity::High,
                format!(
                    "The certificate for {} is only valid from {}.",
                    check.host, certificate.not_before
                ),
                "Check the server's clock, or install a certificate valid now.",
            );
        } else if certificate.self_signed {
            add(
                FindingId::CertificateSelfSigned,
                Severity::High,
                format!("The certificate for {} is self-signed: mail apps will refuse it or ask the user to trust it blindly.", check.host),
                "Install a certificate from a public certificate authority (Let's Encrypt is free).",
            );
        } else if let Some(error) = &certificate.chain_error {
            add(
                FindingId::CertificateUntrusted,
                Severity::High,
                format!("The certificate for {} is not trusted: {error} (issuer: {}).", check.host, certificate.issuer),
                "Install a certificate from a public certificate authority, with the full intermediate chain.",
            );
        } else if certificate.days_left <= EXPIRY_WARNING_DAYS {
            add(
                FindingId::CertificateExpiresSoon,
                if certificate.days_left <= EXPIRY_URGENT_DAYS {
                    Severity::Medium
                } else {
                    Severity::Low
                },
                format!(
                    "The certificate for {} expires in {} days ({}).",
                    check.host, certificate.days_left, certificate.not_after
                ),
                "Renew it now, and automate renewal (ACME).",
            );
        }
        if !certificate.name_matches {
            add(
                FindingId::CertificateNameMismatch,
                Severity::High,
                format!("The certificate is for {names}, not for {}: mail apps will refuse the connection.", check.host),
                "Install a certificate that names this host, or tell users the host name the certificate has.",
            );
        }
        if let (Some(false), Some(domain)) = (certificate.domain_matches, context.email_domain) {
            add(
                FindingId::CertificateNotForDomain,
                Severity::Info,
                format!("The certificate names {names}, not the mail domain {domain}: confirm that {} really hosts mail for {domain} (RFC 7817).", check.host),
                "Nothing to fix on the server; the user should confirm the provider before trusting it.",
            );
        }
        let weak_key = match context.key_bits {
            Some(bits) if certificate.key.starts_with("RSA") => bits < 2048,
            Some(bits) if certificate.key.starts_with("ECDSA") => bits < 256,
            _ => false,
        };
        if weak_key {
            add(
                FindingId::WeakKey,
                Severity::Medium,
                format!("The certificate's key ({}) is too short.", certificate.key),
                "Issue a new certificate with an RSA key of at least 2048 bits or an ECDSA P-256 key.",
            );
        }
        if context.weak_signature {
            add(
                FindingId::WeakSignature,
                Severity::Medium,
                format!(
                    "The certificate is signed with {}, which is broken.",
                    certificate.signature
                ),
                "Issue a new certificate signed with SHA-256 or better.",
            );
        }
    }
    if check
        .tls
        .as_ref()
        .is_some_and(|tls| tls.version == "TLSv1.2")
    {
        add(
            FindingId::Tls12Only,
            Severity::Low,
            format!("{endpoint} negotiates TLS 1.2 at best."),
            "Enable TLS 1.3: it is faster and drops legacy algorithms.",
        );
    }
    for version in &check.legacy_tls_accepted {
        add(
            FindingId::LegacyTlsAccepted,
            if version == "SSLv3" {
                Severity::High
            } else {
                Severity::Medium
            },
            format!("{version} accepted on {endpoint}."),
            &format!("Disable {version}: allow only TLS 1.2 and 1.3."),
        );
    }
    for suite in &check.weak_ciphers_accepted {
        let severity = if suite.contains("RC4")
            || suite.contains("NULL")
            || suite.contains("EXPORT")
            || suite.contains("_DES_")
        {
            Severity::High
        } else if suite.contains("3DES") {
            Severity::Medium
        } else {
            Severity::Low
        };
        add(
            FindingId::WeakCipherAccepted,
            severity,
            format!("Weak cipher suite {suite} accepted on {endpoint}."),
            "Allow only AEAD suites (AES-GCM, ChaCha20-Poly1305) with ECDHE.",
        );
    }
    if check.starttls_injection == Some(InjectionVerdict::Vulnerable) {
        add(
            FindingId::StarttlsInjection,
            Severity::High,
            format!("{endpoint} answered, inside TLS, a command sent in plaintext right after STARTTLS (CVE-2011-0411): an attacker on the path can inject commands."),
            "Update the server software: it must discard buffered input when TLS starts.",
        );
    }
    plaintext_exposure(check, &endpoint, &mut add);
    if check.protocol == Protocol::Submission && port == 25 {
        add(
            FindingId::Port25Submission,
            Severity::Low,
            "Port 25 is for mail servers relaying to each other; mail apps should submit on 465 or 587.".to_owned(),
            "Point mail apps at 465 (implicit TLS) or 587 (STARTTLS).",
        );
    }
    if check.tls.is_some()
        && context.failure.is_none()
        && offered_mechanisms(check.protocol, &check.capabilities.after_tls).is_empty()
        && !(check.protocol == Protocol::Submission && port == 25)
    {
        add(
            FindingId::NoAuthMechanism,
            Severity::Medium,
            format!("{endpoint} offers no way to log in, even after TLS."),
            "Enable authentication (SASL PLAIN/LOGIN inside TLS) for this service.",
        );
    }
    if let Some(login) = &check.login {
        let (id, words) = match login.outcome {
            LoginOutcome::Succeeded => (FindingId::LoginSucceeded, "succeeded"),
            LoginOutcome::Failed => (FindingId::LoginFailed, "failed"),
            LoginOutcome::Skipped => (FindingId::LoginSkipped, "was not attempted"),
        };
        let how = login
            .mechanism
            .as_deref()
            .map(|mechanism| format!(" with {mechanism}"))
            .unwrap_or_default();
        add(
            id,
            Severity::Info,
            format!("The login test{how} {words}: {}", login.detail),
            match login.outcome {
                LoginOutcome::Succeeded => "Nothing to fix.",
                LoginOutcome::Failed => {
                    "Check the user name and password (or app password) with the provider."
                }
                LoginOutcome::Skipped => "Fix the problems above first.",
            },
        );
    }
    if !context.inconclusive_scans.is_empty() && check.tls.is_some() {
        let which: Vec<String> = context
            .inconclusive_scans
            .iter()
            .map(|(question, why)| format!("{} ({why})", question_words(*question)))
            .collect();
        add(
            FindingId::ScanIncomplete,
            Severity::Info,
            format!("Some scans got no answer: {}.", which.join("; ")),
            "Run the check again; a server that limits connections per client may refuse some.",
        );
    }
    found.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));
    found
}

/// AUTH offered before STARTTLS, a missing LOGINDISABLED, a port with no encryption at all.
fn plaintext_exposure(
    check: &LiveCheck,
    endpoint: &str,
    add: &mut impl FnMut(FindingId, Severity, String, &str),
) {
    let before = &check.capabilities.before_tls;
    match check.security {
        Security::Plain => add(
            FindingId::PlaintextPort,
            Severity::High,
            format!("{endpoint} has no encryption: passwords and mail cross the network readable."),
            "Offer implicit TLS (993, 995, 465) and turn plain-text login off.",
        ),
        Security::Starttls if !before.is_empty() => {
            let offered: Vec<String> = offered_mechanisms(check.protocol, before)
                .into_iter()
                .filter(|m| m != IMAP_LOGIN_COMMAND)
                .collect();
            if !offered.is_empty() {
                add(
                    FindingId::AuthBeforeTls,
                    Severity::Medium,
                    format!(
                        "AUTH {} offered before STARTTLS on {}: a misconfigured app could send the password unencrypted.",
                        offered.join(" "),
                        check.port
                    ),
                    "Offer authentication only after STARTTLS (postfix: smtpd_tls_auth_only = yes; dovecot: disable_plaintext_auth = yes).",
                );
            }
            let disabled = before
                .iter()
                .any(|capability| capability.eq_ignore_ascii_case("LOGINDISABLED"));
            if check.protocol == Protocol::Imap && !disabled {
                add(
                    FindingId::LoginNotDisabled,
                    Severity::Medium,
                    format!("IMAP LOGIN is allowed before STARTTLS on {} (no LOGINDISABLED).", check.port),
                    "Refuse LOGIN before TLS (dovecot: disable_plaintext_auth = yes), so the server announces LOGINDISABLED.",
                );
            }
        }
        _ => {}
    }
}

fn question_words(question: ScanQuestion) -> String {
    match question {
        ScanQuestion::Version(version) => version.name().to_owned(),
        ScanQuestion::Ciphers(family) => format!("{} suites", family.name()),
    }
}
