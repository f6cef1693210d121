//! A whole check of one server: which probes to run (the check itself, one connection per scan
//! question, the injection test), and how their outcomes become one [`LiveCheck`] with findings
//! and a grade. Both drivers (tokio natively, the browser's probe worker) run exactly the plan
//! this module gives, in parallel, and hand the outcomes back to [`assemble`].

use portolan_core::model::{
    CertificateReport, CheckGrade, InjectionVerdict, LiveCheck, Protocol, Security, Timings,
    TlsReport,
};

use crate::certificate;
use crate::findings::{self, Context};
use crate::hello::{LegacyVersion, ScanQuestion, WeakCiphers};
use crate::probe::{Failure, ProbeConfig, ProbeOutcome, ScanAnswer, Step, Task};
use crate::sasl::Credentials;
use crate::tls::TrustAnchors;

/// What to check, and how.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub host: String,
    pub port: u16,
    pub protocol: Protocol,
    pub security: Security,
    /// The email domain, for RFC 7817's name check; `None` without an address.
    pub email_domain: Option<String>,
    pub anchors: TrustAnchors,
    /// The wall-clock time certificates are checked at, in seconds since the Unix epoch.
    pub unix_seconds: u64,
    pub step_timeout_ms: u64,
    /// For the optional login test.
    pub credentials: Option<Credentials>,
    /// Whether to run the legacy-protocol, weak-cipher and injection scans (one connection
    /// each); without them a check is one connection.
    pub scans: bool,
}

/// The probes a check runs, the check itself first. Scans exist only where TLS does; the
/// injection test only for STARTTLS.
pub fn plan(request: &CheckRequest) -> Vec<ProbeConfig> {
    let probe = |task: Task| ProbeConfig {
        host: request.host.clone(),
        port: request.port,
        protocol: request.protocol,
        security: request.security,
        email_domain: request.email_domain.clone(),
        anchors: request.anchors.clone(),
        unix_seconds: request.unix_seconds,
        step_timeout_ms: request.step_timeout_ms,
        task,
        credentials: (task == Task::Check)
            .then(|| request.credentials.clone())
            .flatten(),
    };
    let mut probes = vec![probe(Task::Check)];
    if request.scans && request.security != Security::Plain {
        probes.extend(
            LegacyVersion::ALL
                .map(|version| probe(Task::Scan(ScanQuestion::Version(version))))
                .into_iter()
                .chain(
                    WeakCiphers::ALL.map(|family| probe(Task::Scan(ScanQuestion::Ciphers(family)))),
                ),
        );
        if request.security == Security::Starttls {
            probes.push(probe(Task::Injection));
        }
    }
    probes
}

/// Puts the outcomes of [`plan`]'s probes (in any order) together into the report, with
/// findings and grade. `total_ms` is the wall time of the whole check.
pub fn assemble(request: &CheckRequest, outcomes: &[ProbeOutcome], total_ms: u64) -> LiveCheck {
    let mut check = LiveCheck::new(
        request.host.clone(),
        request.port,
        request.protocol,
        request.security,
    );
    let main = outcomes.iter().find(|outcome| outcome.task == Task::Check);
    if main.is_none() {
        // A driver lost the check's own probe: say so rather than grade what is missing.
        check.error = Some("the check did not finish".into());
    }
    let mut facts = None;
    if let Some(main) = main {
        check.reachable = main.reachable;
        check.banner.clone_from(&main.banner);
        check.capabilities.before_tls.clone_from(&main.before_tls);
        check.capabilities.after_tls.clone_from(&main.after_tls);
        check.login.clone_from(&main.login);
        check.round_trips = main.round_trips;
        check.timings_ms = Timings {
            total: Some(total_ms),
            ..main.timings.clone()
        };
        check.error = main
            .failure
            .as_ref()
            .map(|failure| failure.describe(request.step_timeout_ms));
        if let Some(negotiated) = &main.tls {
            facts = negotiated
                .chain
                .first()
                .and_then(|leaf| certificate::read(leaf.as_ref()));
            let certificate = facts.as_ref().map(|facts| CertificateReport {
                subject: facts.subject.clone(),
                sans: facts.sans.clone(),
                issuer: facts.issuer.clone(),
                not_before: crate::der::rfc3339(facts.not_before),
                not_after: crate::der::rfc3339(facts.not_after),
                days_left: days_between(request.unix_seconds, facts.not_after),
                chain_valid: negotiated.chain_error.is_none(),
                chain_error: negotiated.chain_error.clone(),
                name_matches: negotiated.name_matches,
                domain_matches: negotiated.domain_matches,
                self_signed: facts.self_issued && negotiated.chain_error.is_some(),
                key: facts.key.clone(),
                signature: facts.signature.clone(),
                chain_length: negotiated.chain.len(),
                digests: negotiated
                    .chain
                    .iter()
                    .map(|der| certificate::digests(der.as_ref()))
                    .collect(),
            });
            check.tls = Some(TlsReport {
                version: negotiated.version.clone(),
                cipher: negotiated.cipher.clone(),
                certificate,
            });
        }
    }
    let mut legacy = Vec::new();
    let mut weak = Vec::new();
    let mut inconclusive = Vec::new();
    for outcome in outcomes {
        match (outcome.task, &outcome.scan) {
            (Task::Scan(question @ ScanQuestion::Version(_)), Some(ScanAnswer::Accepted(name))) => {
                legacy.push((question, name.clone()))
            }
            (Task::Scan(question), Some(ScanAnswer::Accepted(name))) => {
                weak.push((question, name.clone()))
            }
            (Task::Scan(question), Some(ScanAnswer::Inconclusive(why))) => {
                inconclusive.push((question, why.clone()))
            }
            // Without a working TLS set-up on the check itself, the injection test says
            // nothing.
            (Task::Injection, _) if check.tls.is_none() => {
                check.starttls_injection = Some(InjectionVerdict::Inconclusive)
            }
            (Task::Injection, _) => check.starttls_injection = outcome.injection,
            _ => {}
        }
    }
    // Stable order: the order of the questions, whatever order the probes finished in.
    legacy.sort();
    weak.sort();
    inconclusive.sort();
    check.legacy_tls_accepted = legacy.into_iter().map(|(_, name)| name).collect();
    check.weak_ciphers_accepted = weak.into_iter().map(|(_, name)| name).collect();
    finish(check, request, main, facts.as_ref(), &inconclusive)
}

fn finish(
    mut check: LiveCheck,
    request: &CheckRequest,
    main: Option<&ProbeOutcome>,
    facts: Option<&certificate::CertificateFacts>,
    inconclusive: &[(ScanQuestion, String)],
) -> LiveCheck {
    let lost = Failure::Protocol(Step::Connecting, "the check did not finish".into());
    let failure: Option<&Failure> = match main {
        Some(main) => main.failure.as_ref(),
        None => Some(&lost),
    };
    let context = Context {
        failure,
        timeout_ms: request.step_timeout_ms,
        key_bits: facts.map(|facts| facts.key_bits),
        weak_signature: facts.is_some_and(|facts| certificate::is_weak_signature(&facts.signature)),
        email_domain: request.email_domain.as_deref(),
        inconclusive_scans: inconclusive,
    };
    check.findings = findings::derive(&check, &context);
    check.grade = check
        .findings
        .iter()
        .map(|finding| finding.severity.grade())
        .max()
        .unwrap_or(CheckGrade::A);
    check
}

/// Whole days from `now` until `until` (negative when past), rounded down.
fn days_between(now: u64, until: i64) -> i64 {
    let now = i64::try_from(now).unwrap_or(i64::MAX);
    (until - now).div_euclid(86_400)
}
