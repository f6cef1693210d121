//! The vocabulary every layer shares: protocols, security, where a setting came from, how far
//! it is trusted, and the server candidate that discovery produces and the engine and
//! generators consume.
//!
//! The serialised names (`tls`, `starttls`, `knowledge-base`, ...) are a public contract: the
//! CLI's `--json` output and `--settings` files use them.

use serde::{Deserialize, Serialize};

mod check;
mod service;

pub use check::{
    offered_mechanisms, Capabilities, CertificateDigests, CertificateReport, CheckGrade,
    CheckOutcome, Finding, FindingId, InjectionVerdict, LiveCheck, LoginOutcome, LoginReport,
    Severity, Timings, TlsReport, IMAP_LOGIN_COMMAND, POP3_USER_PASS,
};
pub use service::{
    is_plain_path, url_parts, OfferedService, ServiceEndpoint, ServiceKind, UrlParts,
};

/// A mail protocol a client speaks to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Protocol {
    Imap,
    Pop3,
    /// Message submission (RFC 6409), the outgoing side.
    Submission,
}

impl Protocol {
    /// The direction this protocol serves.
    pub fn role(self) -> Role {
        match self {
            Protocol::Imap | Protocol::Pop3 => Role::Incoming,
            Protocol::Submission => Role::Outgoing,
        }
    }

    /// The short name people know ("IMAP", "POP3", "SMTP").
    pub fn label(self) -> &'static str {
        match self {
            Protocol::Imap => "IMAP",
            Protocol::Pop3 => "POP3",
            Protocol::Submission => "SMTP",
        }
    }

    /// The standard port for this protocol with the given security (RFC 8314 §7, RFC 6409).
    pub fn default_port(self, security: Security) -> u16 {
        match (self, security) {
            (Protocol::Imap, Security::Tls) => 993,
            (Protocol::Imap, _) => 143,
            (Protocol::Pop3, Security::Tls) => 995,
            (Protocol::Pop3, _) => 110,
            (Protocol::Submission, Security::Tls) => 465,
            (Protocol::Submission, _) => 587,
        }
    }
}

/// Incoming mail (read) or outgoing mail (send).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Incoming,
    Outgoing,
}

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Security {
    /// Implicit TLS: TLS from the first byte (RFC 8314), the preferred form.
    Tls,
    /// A plaintext connection upgraded with STARTTLS/STLS: acceptable only as a fallback.
    Starttls,
    /// No encryption at all: never recommended; kept only to report what a source said.
    Plain,
}

impl Security {
    /// The name used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::Plain => "plain",
        }
    }

    /// The same in words, for sentences in summaries and instructions.
    pub fn in_words(self) -> &'static str {
        match self {
            Security::Tls => "implicit TLS",
            Security::Starttls => "STARTTLS",
            Security::Plain => "no encryption",
        }
    }
}

/// Where a candidate came from. Ordered roughly by how much it says about the real server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Settings given by the embedding provider (or a settings file): taken as they are.
    Preset,
    /// An RFC 6186 / RFC 8314 SRV record of the domain.
    Srv,
    /// The domain's PACC document (draft-ietf-mailmaint-pacc), vouched for by its TXT digest.
    Pacc,
    /// The domain's published Mozilla autoconfig file.
    Autoconfig,
    /// The domain's published Microsoft Autodiscover answer.
    Autodiscover,
    /// A well-known URI on the domain that answered (`/.well-known/caldav`, RFC 6764 §5; and
    /// JMAP's and CardDAV's): for the services the account also offers.
    WellKnown,
    /// Portolan's bundled provider knowledge base, matched by the domain itself.
    KnowledgeBase,
    /// The knowledge base, matched through the domain's MX records (a hosted custom domain).
    Mx,
    /// A guess from common host names; unverified until a live check.
    Guess,
}

impl Source {
    /// The name used in JSON and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Preset => "preset",
            Source::Srv => "srv",
            Source::Pacc => "pacc",
            Source::Autoconfig => "autoconfig",
            Source::Autodiscover => "autodiscover",
            Source::WellKnown => "well-known",
            Source::KnowledgeBase => "knowledge-base",
            Source::Mx => "mx",
            Source::Guess => "guess",
        }
    }
}

/// Why a candidate may (or may not) be believed. A candidate may carry several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    /// The DNS answer carried the AD flag: the resolver validated it with DNSSEC.
    DnssecValidated,
    /// The server's host name is the user's domain or below it.
    SameDomain,
    /// Curated, public facts about a known provider.
    KnownProvider,
    /// An SRV (or other published) target outside the user's domain: RFC 7817 §3 says the
    /// user must confirm it before the client trusts a certificate for that name.
    ThirdPartyTargetNeedsConfirmation,
    /// Fetched over plain HTTP or otherwise unauthenticated.
    Unauthenticated,
    /// Nothing backs it yet; a live check must confirm it.
    Unverified,
    /// A guess that a live probe confirmed: the server answered with a valid TLS set-up and a
    /// certificate for its name.
    ProbeVerified,
}

impl Trust {
    /// The name used in JSON and in the CLI's text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Trust::DnssecValidated => "dnssec-validated",
            Trust::SameDomain => "same-domain",
            Trust::KnownProvider => "known-provider",
            Trust::ThirdPartyTargetNeedsConfirmation => "third-party-target-needs-confirmation",
            Trust::Unauthenticated => "unauthenticated",
            Trust::Unverified => "unverified",
            Trust::ProbeVerified => "probe-verified",
        }
    }
}

/// The form of the user name a server expects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum UsernameForm {
    /// The whole email address (`%EMAILADDRESS%`).
    EmailAddress,
    /// The part before the `@` (`%EMAILLOCALPART%`).
    LocalPart,
    /// A fixed or templated value, as given by the source.
    Other(String),
}

impl UsernameForm {
    /// The form a concrete login takes for `input`: the whole address, the part before the
    /// `@`, or the login itself when it is neither.
    pub fn of_login(login: &str, input: &crate::address::MailInput) -> UsernameForm {
        if input.address_ascii().as_deref() == Some(login) {
            UsernameForm::EmailAddress
        } else if input.local_part.as_deref() == Some(login) {
            UsernameForm::LocalPart
        } else {
            UsernameForm::Other(login.to_owned())
        }
    }
}

/// An authentication method, in the words of Mozilla's autoconfig where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthMethod {
    /// The account password (PLAIN/LOGIN inside TLS).
    PasswordCleartext,
    /// CRAM-MD5 or similar challenge-response with the password.
    PasswordEncrypted,
    /// OAuth2 (XOAUTH2 / OAUTHBEARER) through the provider's sign-in page.
    Oauth2,
    /// A password generated for one app in the provider's account settings.
    AppPassword,
    /// TLS client certificate.
    ClientCertificate,
    /// Kerberos / GSSAPI.
    Gssapi,
    /// NTLM (Microsoft).
    Ntlm,
}

impl AuthMethod {
    /// True when a list of accepted methods takes an app password but not the account
    /// password (Gmail, Yahoo, iCloud, …).
    pub fn needs_app_password(accepted: &[AuthMethod]) -> bool {
        accepted.contains(&AuthMethod::AppPassword)
            && !accepted.contains(&AuthMethod::PasswordCleartext)
    }

    /// True when a list of accepted methods is OAuth2 and nothing else (Outlook.com,
    /// Microsoft 365).
    pub fn only_oauth2(accepted: &[AuthMethod]) -> bool {
        accepted == [AuthMethod::Oauth2]
    }
}

/// One way to reach one service: everything a client needs, plus provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub protocol: Protocol,
    /// Host name in ASCII form, no trailing dot.
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: UsernameForm,
    /// Accepted authentication methods, best first. Empty means "not known".
    #[serde(default)]
    pub auth: Vec<AuthMethod>,
    pub source: Source,
    /// Trust markers, sorted, without duplicates.
    #[serde(default)]
    pub trust: Vec<Trust>,
    /// Plain-language reasons, in the order they apply.
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl Candidate {
    /// A candidate with the common defaults: the whole address as user name, no known
    /// authentication methods, and no trust markers or reasons yet.
    pub fn new(
        protocol: Protocol,
        host: impl Into<String>,
        port: u16,
        security: Security,
        source: Source,
    ) -> Candidate {
        Candidate {
            protocol,
            host: host.into(),
            port,
            security,
            username: UsernameForm::EmailAddress,
            auth: Vec::new(),
            source,
            trust: Vec::new(),
            reasons: Vec::new(),
        }
    }

    /// The identity two candidates share when they describe the same endpoint.
    pub fn endpoint(&self) -> (Protocol, &str, u16, Security) {
        (self.protocol, self.host.as_str(), self.port, self.security)
    }
}

/// A service the domain explicitly does not offer (an SRV record whose target is `.`,
/// RFC 2782 / RFC 6186 §3.4). A hard no, shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unavailable {
    pub protocol: Protocol,
    pub security: Security,
    /// The SRV owner name that said so, like `_pop3._tcp.example.com`.
    pub record: String,
    pub reason: String,
}

/// Two sources that disagree about the same service; reported, never hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub protocol: Protocol,
    /// The sources involved, in rank order.
    pub sources: Vec<Source>,
    /// What differs, in plain words.
    pub description: String,
}

/// One DNS query made during discovery, for the `lookups` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    /// The name asked about, like `_imaps._tcp.example.com`.
    pub name: String,
    /// The record type, like `SRV` or `MX`.
    #[serde(rename = "type")]
    pub record_type: String,
    /// The resolver URL that answered (or the last one tried).
    pub resolver: String,
    /// `NOERROR`, `NXDOMAIN`, `SERVFAIL`, ... or `TIMEOUT` / `ERROR` when nothing usable came back.
    pub rcode: String,
    /// The AD flag: the resolver validated the answer with DNSSEC.
    pub ad: bool,
    /// Wall time of the query in milliseconds, as measured by the driver.
    pub milliseconds: u64,
    /// Any problem, in plain words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The whole result of discovery for one address: the `portolan discover --json` shape, and the
/// shape `portolan generate --settings FILE.json` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discovery {
    /// The address as given (or `null` for a bare domain).
    pub address: Option<String>,
    /// The domain in ASCII form.
    pub domain: String,
    /// Incoming candidates (IMAP and POP3), best first.
    pub incoming: Vec<Candidate>,
    /// Outgoing candidates (submission), best first.
    pub outgoing: Vec<Candidate>,
    #[serde(default)]
    pub unavailable: Vec<Unavailable>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    #[serde(default)]
    pub lookups: Vec<Lookup>,
    /// Guesses a live probe tried (`discover --probe`), confirmed or not; absent when nothing
    /// was probed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probed: Vec<Probed>,
    /// The mail provider Portolan's knowledge names for the address, and how it was found;
    /// absent when none is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<ProviderMatch>,
    /// What the account also offers besides IMAP, POP3 and SMTP (JMAP, CalDAV, CardDAV, ...),
    /// in a stable order; shown, never recommended in place of IMAP.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<OfferedService>,
    /// Questions a second, independent resolver answered differently (asked only when one is
    /// configured), with both answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resolver_conflicts: Vec<ResolverConflict>,
}

/// One resolver's answer to a question, as comparable record lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolverAnswer {
    pub resolver: String,
    /// The records, one per line, sorted (`SRV 0 1 993 imap.example.com`), or what the
    /// resolver said instead (`no such name (NXDOMAIN)`).
    pub records: Vec<String>,
}

/// Two resolvers that disagree about one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolverConflict {
    pub name: String,
    #[serde(rename = "type")]
    pub record_type: String,
    /// The first resolver's answer, then the second's.
    pub answers: Vec<ResolverAnswer>,
    /// What it means, in plain words.
    pub description: String,
}

/// The provider the knowledge base names for an address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderMatch {
    /// The knowledge base's id (a host name).
    pub id: String,
    pub name: String,
    /// Which table knows it (or, on the MX path, which file told).
    pub knowledge: KnowledgeTable,
    /// How it was found.
    pub found_by: FoundBy,
    /// For `mx`: the domain's best MX host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mx_host: Option<String>,
    /// For `mx`: the provider's registrable domain (the MX host's, through the Public Suffix
    /// List), the name to show the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrable_domain: Option<String>,
    /// The user must confirm the provider before trusting its servers (the MX path).
    pub needs_confirmation: bool,
    /// Why, in plain words.
    pub reason: String,
}

/// The table of the knowledge base an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KnowledgeTable {
    /// Written by hand from the provider's help pages.
    Curated,
    /// Imported from Thunderbird's ISP database.
    Ispdb,
    /// No table: Thunderbird's ISP database service answered live (the MX path).
    IspdbService,
    /// No table: the MX provider's own autoconfig file (the MX path).
    ProviderFile,
}

/// How the provider was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// The address's own domain is the provider's.
    Domain,
    /// The domain's MX record points at the provider.
    Mx,
}

/// A guessed server that was probed live, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Probed {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// It answered with a verified TLS set-up, so it stays, marked `probe-verified`.
    pub confirmed: bool,
    pub outcome: CheckOutcome,
    /// What the probe found, in plain words.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_are_the_documented_ones() {
        let candidate = Candidate {
            protocol: Protocol::Submission,
            host: "smtp.example.com".into(),
            port: 465,
            security: Security::Tls,
            username: UsernameForm::EmailAddress,
            auth: vec![AuthMethod::PasswordCleartext],
            source: Source::KnowledgeBase,
            trust: vec![Trust::ThirdPartyTargetNeedsConfirmation],
            reasons: vec!["r".into()],
        };
        let json = serde_json::to_value(&candidate).unwrap();
        assert_eq!(json["protocol"], "submission");
        assert_eq!(json["security"], "tls");
        assert_eq!(json["source"], "knowledge-base");
        assert_eq!(json["username"], "email-address");
        assert_eq!(json["auth"][0], "password-cleartext");
        assert_eq!(json["trust"][0], "third-party-target-needs-confirmation");
        let back: Candidate = serde_json::from_value(json).unwrap();
        assert_eq!(back, candidate);
        for trust in [
            Trust::DnssecValidated,
            Trust::SameDomain,
            Trust::KnownProvider,
            Trust::ThirdPartyTargetNeedsConfirmation,
            Trust::Unauthenticated,
            Trust::Unverified,
            Trust::ProbeVerified,
        ] {
            assert_eq!(serde_json::to_value(trust).unwrap(), trust.as_str());
        }
    }

    #[test]
    fn default_ports_follow_rfc_8314() {
        assert_eq!(Protocol::Imap.default_port(Security::Tls), 993);
        assert_eq!(Protocol::Imap.default_port(Security::Starttls), 143);
        assert_eq!(Protocol::Pop3.default_port(Security::Tls), 995);
        assert_eq!(Protocol::Submission.default_port(Security::Tls), 465);
        assert_eq!(Protocol::Submission.default_port(Security::Starttls), 587);
        assert_eq!(Protocol::Submission.role(), Role::Outgoing);
    }
}
