//! The recommendation engine: from candidates (and live-check results, when there are any) to
//! one recommended setting per role, ranked alternatives, and the reasons, citing the rules.
//!
//! API: [`recommend`]`(&EngineInput) -> Recommendation`. Pure and deterministic: the same
//! input always gives the same output, and ties keep the order discovery gave (which already
//! follows RFC 6186 priority and weight and the source ranking).
//!
//! The rules, in the order they are applied to each candidate:
//! 1. Plain text is refused: the password would cross the network readable (RFC 8314 §3).
//! 2. Port 25 is for server-to-server relay (RFC 5321); clients submit on 465/587 (RFC 6409).
//! 3. A failed live check (no answer, TLS failure, bad certificate) makes a candidate unusable;
//!    a certificate whose name does not match is an RFC 7817 §3 failure; a server that offers
//!    no login the client can do (no PLAIN/LOGIN, and OAuth2 only for a client without it) is
//!    unusable too.
//! 4. Network constraints (blocked ports, "only these ports are open") make it unusable.
//! 5. The client's abilities (no POP3, no implicit TLS for SMTP) make it unusable.
//! 6. Grades: implicit TLS with a verified certificate is best, implicit TLS not yet checked
//!    next, STARTTLS a fallback (RFC 8314 §3.3 prefers implicit TLS).
//! 7. IMAP is preferred to POP3 unless the policy says otherwise (POP3 keeps mail on one
//!    device only).
//! 8. A target outside the user's domain needs the user's confirmation (RFC 7817 §3).

use serde::{Deserialize, Serialize};

use crate::clients::Client;
use crate::model::{Candidate, CheckOutcome, LiveCheck, Protocol, Role, Security, Source, Trust};

/// What the network allows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Constraints {
    /// Ports known to be blocked on the user's network (port 25 often is).
    #[serde(default)]
    pub blocked_ports: Vec<u16>,
    /// When set, only these ports are open (a strict guest network, say).
    #[serde(default)]
    pub open_ports_only: Option<Vec<u16>>,
}

impl Constraints {
    fn allows(&self, port: u16) -> bool {
        !self.blocked_ports.contains(&port)
            && self
                .open_ports_only
                .as_ref()
                .is_none_or(|open| open.contains(&port))
    }
}

/// Which incoming protocol the user prefers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IncomingPreference {
    /// IMAP: mail stays on the server and every device sees the same folders.
    #[default]
    Imap,
    /// POP3: mail is downloaded to one device (and usually removed from the server).
    Pop3,
}

/// How strict the engine is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub incoming: IncomingPreference,
    /// Whether STARTTLS may be recommended at all when nothing better exists.
    pub allow_starttls: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            incoming: IncomingPreference::Imap,
            allow_starttls: true,
        }
    }
}

/// Everything the engine looks at.
#[derive(Debug, Clone, Copy)]
pub struct EngineInput<'a> {
    /// Incoming and outgoing candidates together or apart; order within a protocol matters.
    pub candidates: &'a [Candidate],
    pub checks: &'a [LiveCheck],
    pub client: Option<&'a Client>,
    pub constraints: &'a Constraints,
    pub policy: Policy,
}

/// How good a setting is, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grade {
    /// Implicit TLS, and a live check verified the certificate.
    Best,
    /// Implicit TLS, not (yet) checked live.
    Good,
    /// STARTTLS: encrypted, but the upgrade can be stripped by an attacker on the path.
    Fallback,
    /// Secure in principle but cannot be used here (network, client, failed check).
    Unusable,
    /// Refused: plain text, or port 25.
    Refused,
}

/// The rule a reason rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    ImplicitTlsFirst,
    StarttlsFallback,
    PlaintextRefused,
    Port25Relay,
    SrvPriority,
    NameCheck,
    LiveCheck,
    Network,
    ClientSupport,
    ImapVsPop3,
    SourceRank,
}

impl Rule {
    /// The document the rule comes from.
    pub fn citation(self) -> &'static str {
        match self {
            Rule::ImplicitTlsFirst => "RFC 8314 §3.3",
            Rule::StarttlsFallback => "RFC 8314 §3.3, RFC 3207",
            Rule::PlaintextRefused => "RFC 8314 §3",
            Rule::Port25Relay => "RFC 6409 §1, RFC 5321",
            Rule::SrvPriority => "RFC 6186 §3.4",
            Rule::NameCheck => "RFC 7817 §3",
            Rule::LiveCheck => "live check",
            Rule::Network => "network",
            Rule::ClientSupport => "client",
            Rule::ImapVsPop3 => "RFC 9051 / RFC 1939",
            Rule::SourceRank => "source",
        }
    }
}

/// One plain-language reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: Rule,
    pub citation: String,
    pub text: String,
}

impl Reason {
    fn new(rule: Rule, text: impl Into<String>) -> Self {
        Reason {
            rule,
            citation: rule.citation().to_string(),
            text: text.into(),
        }
    }
}

/// A candidate with its grade and the reasons for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub candidate: Candidate,
    pub grade: Grade,
    /// The user must confirm the server name before trusting it (RFC 7817 §3).
    pub needs_confirmation: bool,
    pub reasons: Vec<Reason>,
}

/// The advice for one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAdvice {
    pub role: Role,
    /// The best usable setting, or `None` when nothing is usable.
    pub recommended: Option<Ranked>,
    /// Other usable settings, best first.
    pub alternatives: Vec<Ranked>,
    /// Settings that must not or cannot be used, with the reasons.
    pub rejected: Vec<Ranked>,
    /// A one-paragraph summary for people.
    pub summary: String,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub incoming: RoleAdvice,
    pub outgoing: RoleAdvice,
}

impl Recommendation {
    /// The recommended candidate followed by the alternatives, per role: the order generators
    /// take in [`crate::formats::Settings`].
    pub fn ordered(&self, role: Role) -> Vec<Candidate> {
        let advice = match role {
            Role::Incoming => &self.incoming,
            Role::Outgoing => &self.outgoing,
        };
        advice
            .recommended
            .iter()
            .chain(advice.alternatives.iter())
            .map(|ranked| ranked.candidate.clone())
            .collect()
    }
}

/// Ranks the candidates and picks one per role.
pub fn recommend(input: &EngineInput<'_>) -> Recommendation {
    let mut seen: Vec<(Protocol, &str, u16, Security)> = Vec::new();
    let mut incoming: Vec<(usize, Ranked)> = Vec::new();
    let mut outgoing: Vec<(usize, Ranked)> = Vec::new();
    for (index, candidate) in input.candidates.iter().enumerate() {
        let key = candidate.endpoint();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let ranked = grade(candidate, input);
        match candidate.protocol.role() {
            Role::Incoming => incoming.push((index, ranked)),
            Role::Outgoing => outgoing.push((index, ranked)),
        }
    }
    Recommendation {
        incoming: advise(Role::Incoming, incoming, input),
        outgoing: advise(Role::Outgoing, outgoing, input),
    }
}

fn grade(candidate: &Candidate, input: &EngineInput<'_>) -> Ranked {
    let mut reasons = Vec::new();
    let endpoint = format!(
        "{} {}:{}",
        candidate.protocol.label(),
        candidate.host,
        candidate.port
    );
    let mut grade = match candidate.security {
        Security::Tls => {
            reasons.push(Reason::new(
                Rule::ImplicitTlsFirst,
                format!("{endpoint} uses implicit TLS: the connection is encrypted from the first byte, which RFC 8314 recommends over STARTTLS."),
            ));
            Grade::Good
        }
        Security::Starttls => {
            reasons.push(Reason::new(
                Rule::StarttlsFallback,
                format!("{endpoint} uses STARTTLS: encrypted after an upgrade that an attacker on the path can try to strip, so it is only a fallback when implicit TLS is not offered."),
            ));
            if input.policy.allow_starttls {
                Grade::Fallback
            } else {
                reasons.push(Reason::new(
                    Rule::StarttlsFallback,
                    "The chosen policy allows implicit TLS only, so STARTTLS is not used.",
                ));
                Grade::Unusable
            }
        }
        Security::Plain => {
            reasons.push(Reason::new(
                Rule::PlaintextRefused,
                format!("{endpoint} has no encryption: the password and every message would cross the network readable, so Portolan never recommends it."),
            ));
            Grade::Refused
        }
    };
    if candidate.protocol == Protocol::Submission && candidate.port == 25 {
        reasons.push(Reason::new(
            Rule::Port25Relay,
            "Port 25 is for mail servers relaying to each other; mail programs submit on 465 (implicit TLS) or 587, and many networks block 25.",
        ));
        grade = Grade::Refused;
    }
    if candidate.source == Source::Srv {
        reasons.push(Reason::new(
            Rule::SrvPriority,
            "Published as an SRV record by the domain; records keep the order their priority and weight give.",
        ));
    }
    if let Some(check) = input.checks.iter().find(|check| check.is_for(candidate)) {
        let outcome = check.outcome();
        let (rule, text) = match outcome {
            CheckOutcome::Verified => (Rule::LiveCheck, "A live check connected, completed TLS and found a valid certificate for this name.".to_string()),
            CheckOutcome::Unreachable => (Rule::LiveCheck, "A live check got no answer on this port.".to_string()),
            CheckOutcome::TlsFailed => (Rule::LiveCheck, "A live check reached the server but TLS failed.".to_string()),
            CheckOutcome::CertificateInvalid => (Rule::LiveCheck, "A live check found a certificate that is expired or not from a trusted authority.".to_string()),
            CheckOutcome::NameMismatch => (Rule::NameCheck, format!("A live check found a certificate that is not valid for {}: the client would refuse it (RFC 7817 §3 requires the name to match).", candidate.host)),
            CheckOutcome::ProtocolFailed => (Rule::LiveCheck, "A live check completed TLS, but the server did not complete the mail conversation.".to_string()),
        };
        let text = match check.problem() {
            Some(detail) => format!("{text} ({detail})"),
            None => text,
        };
        reasons.push(Reason::new(rule, text));
        if outcome != CheckOutcome::Verified {
            grade = grade.max(Grade::Unusable);
        } else {
            if grade == Grade::Good {
                grade = Grade::Best;
            }
            if candidate.source == Source::Guess {
                reasons.push(Reason::new(
                    Rule::LiveCheck,
                    "This server was only a guess; the live check confirms it is real and set up correctly.",
                ));
            }
        }
        if let Some(problem) = login_problem(check, input.client) {
            reasons.push(Reason::new(Rule::LiveCheck, problem));
            grade = grade.max(Grade::Unusable);
        }
    }
    if !input.constraints.allows(candidate.port) {
        reasons.push(Reason::new(
            Rule::Network,
            format!("Port {} is blocked on this network.", candidate.port),
        ));
        grade = grade.max(Grade::Unusable);
    }
    if let Some(client) = input.client {
        let caps = &client.capabilities;
        let unsupported = match (candidate.protocol, candidate.security) {
            (Protocol::Imap, _) if !caps.imap => Some("does not read mail over IMAP"),
            (Protocol::Pop3, _) if !caps.pop3 => Some("does not read mail over POP3"),
            (Protocol::Submission, _) if !caps.smtp => Some("does not send mail"),
            (Protocol::Submission, Security::Tls) if !caps.smtp_implicit_tls => {
                Some("cannot send with implicit TLS")
            }
            (_, Security::Starttls) if !caps.starttls => Some("cannot use STARTTLS"),
            _ => None,
        };
        if let Some(what) = unsupported {
            reasons.push(Reason::new(
                Rule::ClientSupport,
                format!("{} {what}.", client.name),
            ));
            grade = grade.max(Grade::Unusable);
        }
    }
    if candidate.protocol == Protocol::Pop3 && input.policy.incoming == IncomingPreference::Imap {
        reasons.push(Reason::new(
            Rule::ImapVsPop3,
            "POP3 downloads mail to one device; IMAP keeps folders in sync on every device, so IMAP comes first.",
        ));
    }
    let needs_confirmation = candidate
        .trust
        .contains(&Trust::ThirdPartyTargetNeedsConfirmation);
    if needs_confirmation {
        reasons.push(Reason::new(
            Rule::NameCheck,
            format!("{} is outside your domain: confirm that this provider really hosts your mail before trusting its certificate.", candidate.host),
        ));
    }
    reasons.push(Reason::new(
        Rule::SourceRank,
        format!("Found through {}.", source_words(candidate.source)),
    ));
    Ranked {
        candidate: candidate.clone(),
        grade,
        needs_confirmation,
        reasons,
    }
}

/// Whether the mechanisms a live check saw allow a login this client can do: a password
/// (PLAIN or LOGIN inside TLS) or, for clients that support it, OAuth2. `None` when fine or
/// when the check reported no mechanisms.
fn login_problem(check: &LiveCheck, client: Option<&Client>) -> Option<String> {
    let mechanisms = check.auth_mechanisms();
    if mechanisms.is_empty() {
        return None;
    }
    let has = |names: &[&str]| {
        mechanisms
            .iter()
            .any(|m| names.iter().any(|n| m.eq_ignore_ascii_case(n)))
    };
    let password = has(&[
        "PLAIN",
        "LOGIN",
        crate::model::POP3_USER_PASS,
        crate::model::IMAP_LOGIN_COMMAND,
    ]);
    let oauth = has(&["XOAUTH2", "OAUTHBEARER"]);
    let client_oauth = client.is_none_or(|c| c.capabilities.oauth2);
    if password || (oauth && client_oauth) {
        return None;
    }
    let offered = mechanisms.join(", ");
    Some(match client {
        Some(c) if oauth => format!(
            "The server only offers {offered}; {} cannot sign in with OAuth2.",
            c.name
        ),
        _ => format!("The server offers no login this client can use (only {offered})."),
    })
}

fn source_words(source: Source) -> &'static str {
    match source {
        Source::Preset => "the settings given to Portolan (a provider's preset or a settings file)",
        Source::Srv => "the domain's SRV records",
        Source::Pacc => "the domain's PACC document",
        Source::Autoconfig => "the domain's autoconfig file",
        Source::Autodiscover => "the domain's Autodiscover answer",
        Source::WellKnown => "a well-known address on the domain",
        Source::KnowledgeBase => "Portolan's provider list",
        Source::Mx => "the domain's MX records and Portolan's provider list",
        Source::Guess => "a guess from common server names (unverified)",
    }
}

fn advise(role: Role, mut ranked: Vec<(usize, Ranked)>, input: &EngineInput<'_>) -> RoleAdvice {
    let pop_rank = |r: &Ranked| -> u8 {
        let is_pop = r.candidate.protocol == Protocol::Pop3;
        match input.policy.incoming {
            IncomingPreference::Imap => u8::from(is_pop),
            IncomingPreference::Pop3 => u8::from(!is_pop),
        }
    };
    ranked.sort_by_key(|(index, r)| (r.grade, pop_rank(r), r.needs_confirmation, *index));
    let (usable, rejected): (Vec<Ranked>, Vec<Ranked>) = ranked
        .into_iter()
        .map(|(_, r)| r)
        .partition(|r| r.grade <= Grade::Fallback);
    let mut usable = usable.into_iter();
    let recommended = usable.next();
    let alternatives: Vec<Ranked> = usable.collect();
    let what = match role {
        Role::Incoming => "reading mail",
        Role::Outgoing => "sending mail",
    };
    let summary = match &recommended {
        Some(best) => {
            let c = &best.candidate;
            let security = c.security.in_words();
            let mut text = format!(
                "For {what} use {} at {} port {} with {security}.",
                c.protocol.label(),
                c.host,
                c.port
            );
            if best.grade == Grade::Fallback {
                text.push_str(" No implicit-TLS server is usable, so this STARTTLS server is the fallback.");
            }
            if best.needs_confirmation {
                text.push_str(" Confirm the server name first: it is outside your domain.");
            }
            text
        }
        None if rejected.is_empty() => format!("Nothing was found for {what}."),
        None => format!(
            "No usable server for {what}: every candidate was refused or cannot be used here (see the reasons)."
        ),
    };
    RoleAdvice {
        role,
        recommended,
        alternatives,
        rejected,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AuthMethod, CertificateReport, TlsReport};

    fn candidate(protocol: Protocol, host: &str, port: u16, security: Security) -> Candidate {
        Candidate {
            auth: vec![AuthMethod::PasswordCleartext],
            ..Candidate::new(protocol, host, port, security, Source::KnowledgeBase)
        }
    }

    fn run(
        candidates: &[Candidate],
        checks: &[LiveCheck],
        constraints: &Constraints,
        client: Option<&Client>,
        policy: Policy,
    ) -> Recommendation {
        recommend(&EngineInput {
            candidates,
            checks,
            client,
            constraints,
            policy,
        })
    }

    /// [`run`] without live checks, network constraints or a client.
    fn run_plain(candidates: &[Candidate], policy: Policy) -> Recommendation {
        run(candidates, &[], &Constraints::default(), None, policy)
    }

    /// A live check of an IMAP endpoint on `mail.example.com` with the given outcome,
    /// offering `mechanisms` after TLS (and LOGINDISABLED, so only those count). A name
    /// mismatch shows a certificate for `other.example`.
    fn live_check(
        port: u16,
        security: Security,
        outcome: CheckOutcome,
        mechanisms: &[&str],
    ) -> LiveCheck {
        let mut check = LiveCheck::new("mail.example.com", port, Protocol::Imap, security);
        check.reachable = outcome != CheckOutcome::Unreachable;
        let name_matches = outcome != CheckOutcome::NameMismatch;
        let chain_valid = outcome != CheckOutcome::CertificateInvalid;
        if check.reachable && outcome != CheckOutcome::TlsFailed {
            check.tls = Some(TlsReport {
                version: "TLSv1.3".into(),
                cipher: "TLS13_AES_128_GCM_SHA256".into(),
                certificate: Some(CertificateReport {
                    subject: "CN=mail.example.com".into(),
                    sans: vec![if name_matches {
                        "mail.example.com"
                    } else {
                        "other.example"
                    }
                    .into()],
                    issuer: "CN=Test CA".into(),
                    not_before: "2026-01-01T00:00:00Z".into(),
                    not_after: "2027-01-01T00:00:00Z".into(),
                    days_left: 60,
                    chain_valid,
                    chain_error: (!chain_valid).then(|| "expired".into()),
                    name_matches,
                    domain_matches: None,
                    self_signed: false,
                    key: "ECDSA P-256".into(),
                    signature: "ecdsa-with-SHA256".into(),
                    chain_length: 2,
                    digests: Vec::new(),
                }),
            });
        }
        if !mechanisms.is_empty() {
            check.capabilities.after_tls = std::iter::once("LOGINDISABLED".to_string())
                .chain(mechanisms.iter().map(|m| format!("AUTH={m}")))
                .collect();
        }
        check
    }

    fn all_kinds() -> Vec<Candidate> {
        vec![
            candidate(Protocol::Imap, "mail.example.com", 143, Security::Starttls),
            candidate(Protocol::Pop3, "mail.example.com", 995, Security::Tls),
            candidate(Protocol::Imap, "mail.example.com", 993, Security::Tls),
            candidate(Protocol::Imap, "mail.example.com", 143, Security::Plain),
            candidate(
                Protocol::Submission,
                "mail.example.com",
                25,
                Security::Starttls,
            ),
            candidate(
                Protocol::Submission,
                "mail.example.com",
                587,
                Security::Starttls,
            ),
            candidate(Protocol::Submission, "mail.example.com", 465, Security::Tls),
        ]
    }

    #[test]
    fn implicit_tls_imap_first_then_pop3_then_starttls_and_plain_refused() {
        let rec = run_plain(&all_kinds(), Policy::default());
        let inc = &rec.incoming;
        let best = inc.recommended.as_ref().unwrap();
        assert_eq!((best.candidate.port, best.grade), (993, Grade::Good));
        let alt: Vec<u16> = inc.alternatives.iter().map(|r| r.candidate.port).collect();
        assert_eq!(alt, vec![995, 143]);
        assert_eq!(inc.rejected.len(), 1);
        assert_eq!(inc.rejected[0].grade, Grade::Refused);
        assert!(inc.rejected[0]
            .reasons
            .iter()
            .any(|r| r.rule == Rule::PlaintextRefused));
        let out = &rec.outgoing;
        assert_eq!(out.recommended.as_ref().unwrap().candidate.port, 465);
        assert_eq!(out.alternatives[0].candidate.port, 587);
        assert_eq!(out.rejected[0].candidate.port, 25);
        assert!(out.rejected[0]
            .reasons
            .iter()
            .any(|r| r.rule == Rule::Port25Relay && r.citation.contains("RFC 6409")));
        assert!(out.summary.contains("465"));
    }

    #[test]
    fn pop3_policy_puts_pop3_first() {
        let policy = Policy {
            incoming: IncomingPreference::Pop3,
            allow_starttls: true,
        };
        let rec = run_plain(&all_kinds(), policy);
        assert_eq!(
            rec.incoming.recommended.unwrap().candidate.protocol,
            Protocol::Pop3
        );
    }

    #[test]
    fn constraints_and_failed_checks_make_candidates_unusable() {
        let constraints = Constraints {
            blocked_ports: vec![465],
            open_ports_only: None,
        };
        let checks = vec![
            LiveCheck {
                host: "MAIL.example.com".into(),
                ..live_check(993, Security::Tls, CheckOutcome::NameMismatch, &[])
            },
            live_check(143, Security::Starttls, CheckOutcome::Verified, &["PLAIN"]),
        ];
        let rec = run(&all_kinds(), &checks, &constraints, None, Policy::default());
        assert_eq!(
            rec.outgoing.recommended.as_ref().unwrap().candidate.port,
            587
        );
        assert_eq!(
            rec.outgoing.recommended.as_ref().unwrap().grade,
            Grade::Fallback
        );
        assert!(rec.outgoing.summary.contains("fallback"));
        let rejected_993 = rec
            .incoming
            .rejected
            .iter()
            .find(|r| r.candidate.port == 993)
            .unwrap();
        assert_eq!(rejected_993.grade, Grade::Unusable);
        assert!(rejected_993
            .reasons
            .iter()
            .any(|r| r.rule == Rule::NameCheck && r.text.contains("other.example")));
        assert_eq!(
            rec.incoming.recommended.as_ref().unwrap().candidate.port,
            995
        );

        let only = Constraints {
            blocked_ports: vec![],
            open_ports_only: Some(vec![443, 587]),
        };
        let rec = run(&all_kinds(), &[], &only, None, Policy::default());
        assert!(rec.incoming.recommended.is_none());
        assert!(rec.incoming.summary.contains("No usable server"));
        assert_eq!(rec.outgoing.recommended.unwrap().candidate.port, 587);
    }

    #[test]
    fn verified_implicit_tls_is_best_and_client_limits_apply() {
        let checks = vec![live_check(993, Security::Tls, CheckOutcome::Verified, &[])];
        let rec = run(
            &all_kinds(),
            &checks,
            &Constraints::default(),
            None,
            Policy::default(),
        );
        assert_eq!(rec.incoming.recommended.unwrap().grade, Grade::Best);

        let geary = crate::clients::by_id("geary").unwrap();
        let policy = Policy {
            incoming: IncomingPreference::Pop3,
            allow_starttls: true,
        };
        let rec = run(
            &all_kinds(),
            &[],
            &Constraints::default(),
            Some(geary),
            policy,
        );
        assert_eq!(
            rec.incoming.recommended.unwrap().candidate.protocol,
            Protocol::Imap
        );
        let pop = rec
            .incoming
            .rejected
            .iter()
            .find(|r| r.candidate.protocol == Protocol::Pop3)
            .unwrap();
        assert!(pop
            .reasons
            .iter()
            .any(|r| r.rule == Rule::ClientSupport && r.text.contains("Geary")));
    }

    #[test]
    fn offered_login_mechanisms_must_suit_the_client() {
        let check = |mechanisms: &[&str]| {
            live_check(993, Security::Tls, CheckOutcome::Verified, mechanisms)
        };
        let best = |checks: &[LiveCheck], client: Option<&Client>| {
            run(
                &all_kinds(),
                checks,
                &Constraints::default(),
                client,
                Policy::default(),
            )
            .incoming
            .recommended
            .unwrap()
        };
        assert_eq!(best(&[check(&["PLAIN", "LOGIN"])], None).grade, Grade::Best);
        let samsung = crate::clients::by_id("samsung-email").unwrap();
        let only_oauth = [check(&["XOAUTH2"])];
        let chosen = best(&only_oauth, Some(samsung));
        assert_eq!(
            chosen.candidate.port, 995,
            "993 offers only OAuth2, which the client lacks"
        );
        let thunderbird = crate::clients::by_id("thunderbird").unwrap();
        assert_eq!(best(&only_oauth, Some(thunderbird)).candidate.port, 993);
    }

    #[test]
    fn no_starttls_policy_explains_itself() {
        let policy = Policy {
            incoming: IncomingPreference::Imap,
            allow_starttls: false,
        };
        let rec = run_plain(&all_kinds(), policy);
        let rejected = rec
            .outgoing
            .rejected
            .iter()
            .find(|r| r.candidate.port == 587)
            .unwrap();
        assert_eq!(rejected.grade, Grade::Unusable);
        assert!(rejected
            .reasons
            .iter()
            .any(|r| r.text.contains("implicit TLS only")));
    }

    #[test]
    fn third_party_targets_rank_after_same_grade_and_need_confirmation() {
        let mut foreign = candidate(Protocol::Imap, "imap.hoster.example", 993, Security::Tls);
        foreign.trust = vec![Trust::ThirdPartyTargetNeedsConfirmation];
        foreign.source = Source::Srv;
        let own = candidate(Protocol::Imap, "imap.example.com", 993, Security::Tls);
        let rec = run_plain(&[foreign, own], Policy::default());
        assert_eq!(
            rec.incoming.recommended.as_ref().unwrap().candidate.host,
            "imap.example.com"
        );
        let alt = &rec.incoming.alternatives[0];
        assert!(alt.needs_confirmation);
        assert!(alt.reasons.iter().any(|r| r.rule == Rule::SrvPriority));
    }

    #[test]
    fn duplicates_are_merged_and_output_is_deterministic() {
        let mut candidates = all_kinds();
        candidates.push(candidate(
            Protocol::Imap,
            "mail.example.com",
            993,
            Security::Tls,
        ));
        let a = run_plain(&candidates, Policy::default());
        let b = run_plain(&candidates, Policy::default());
        assert_eq!(a, b);
        assert_eq!(a.ordered(Role::Incoming).len(), 3);
        assert_eq!(
            a.ordered(Role::Outgoing)
                .iter()
                .map(|c| c.port)
                .collect::<Vec<_>>(),
            vec![465, 587]
        );
    }
}
