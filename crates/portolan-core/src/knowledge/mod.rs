//! The bundled provider knowledge base, looked up by the email domain or, for custom domains,
//! by where the domain's MX records point. Two tables: `data.rs`, curated by hand from the
//! providers' own help (it wins for every domain it lists), and `ispdb.rs`, generated from
//! Thunderbird's ISP database by `cargo xtask import-ispdb`.
//!
//! The data is a static Rust table (`data.rs`) rather than an embedded TOML or JSON file. A
//! table costs nothing at start-up (no parsing, no allocation), cannot fail at run time, keeps
//! serde_json and a TOML parser out of the wasm bundle, and lets the compiler check every
//! protocol, security and authentication name. The validation test in this module checks what
//! the compiler cannot: host names, ports, links, duplicates and MX rules.
//!
//! Lookups are linear scans over a few hundred entries: microseconds, done once per discovery,
//! so no index is built.

mod data;
#[rustfmt::skip]
mod ispdb;

use serde::Serialize;

use crate::model::{AuthMethod, Candidate, Protocol, Security, Source, Trust, UsernameForm};
use crate::MailInput;

/// One mail provider as its own help pages describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// A host-name-like identifier, such as `fastmail.com` (Mozilla's `emailProvider id` rule).
    pub id: &'static str,
    /// The name people know the provider by.
    pub name: &'static str,
    /// The email domains whose addresses the provider serves (its own, not customers').
    pub domains: &'static [&'static str],
    /// Whether and how mail clients can reach the provider at all.
    pub access: Access,
    /// The published servers, in the provider's order of preference within each protocol.
    pub servers: &'static [Server],
    /// Accepted ways to sign in, best first.
    pub auth: &'static [AuthMethod],
    /// Things a person must know or do, as plain sentences.
    pub notes: &'static [&'static str],
    /// The provider's own help pages (https).
    pub help: &'static [&'static str],
    /// MX host suffixes that identify a custom domain hosted by this provider. A rule matches
    /// an MX host equal to it or ending in `.` followed by it (on a label boundary).
    pub mx: &'static [&'static str],
    /// Where a mail client gets an OAuth2 token, for providers that offer OAuth2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth2: Option<OAuth2Endpoints>,
    /// Which table the entry comes from.
    pub origin: Origin,
    /// Facts beyond the servers that decide whether mail works.
    pub quirks: Quirks,
    /// The built-in account type Apple Mail offers for this provider (it signs in with
    /// OAuth2 and needs no server settings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub apple_account_type: Option<AppleAccountType>,
    /// The provider's page for making an app password, where it has one (one of `help`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_password_page: Option<&'static str>,
}

/// The names of a provider's account type in Apple's "add account" lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AppleAccountType {
    /// Mail on macOS (Mail → Add Account…).
    pub macos: &'static str,
    /// iPhone and iPad (Settings → Mail → Mail Accounts → Add Account).
    pub ios: &'static str,
}

/// What a provider does differently, in ways that decide whether mail works. Every value in
/// the curated table cites its source in a comment next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quirks {
    /// Mail programs are refused until access is switched on in the provider's web settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable_first: Option<EnableFirst>,
    /// The provider's SMTP server files a copy of every message sent through it in the Sent
    /// folder by itself: a client that also saves one duplicates every sent message.
    pub server_saves_sent: bool,
    /// The special folders' names on the server, where a client must be told them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folders: Option<Folders>,
    /// The most IMAP connections one account may hold at once, where the provider says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_imap_connections: Option<u16>,
}

/// No quirks known.
pub const NO_QUIRKS: Quirks = Quirks {
    enable_first: None,
    server_saves_sent: false,
    folders: None,
    max_imap_connections: None,
};

/// Access for mail programs that must be switched on first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EnableFirst {
    /// What to do, as one plain sentence.
    pub what: &'static str,
    /// The page where it is done, or the provider's help on it (https).
    pub url: &'static str,
}

/// Special folders as the server names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Folders {
    pub sent: &'static str,
    pub drafts: &'static str,
    pub trash: &'static str,
    pub junk: &'static str,
}

/// Where an entry of the knowledge base comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// Written by hand from the provider's own help pages (`data.rs`).
    Curated,
    /// Imported from Thunderbird's ISP database (`ispdb.rs`, generated, MPL-2.0).
    Ispdb {
        /// The curated entry for the same provider, when there is one: it wins for every
        /// domain both list, because it knows more (OAuth2, app passwords, notes, help).
        curated: Option<&'static str>,
    },
}

/// A provider's OAuth2 issuer, scopes and endpoints (autoconfig's `<oAuth2>` element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OAuth2Endpoints {
    pub issuer: &'static str,
    /// Space-separated scopes.
    pub scope: &'static str,
    pub auth_url: &'static str,
    pub token_url: &'static str,
    /// The provider takes the token only with the XOAUTH2 mechanism, not OAUTHBEARER.
    pub xoauth2_only: bool,
}

/// How mail clients can reach a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Standard IMAP/POP3/SMTP servers on the internet.
    Standard,
    /// Only through a program the user runs on their own computer (Proton Mail Bridge).
    LocalBridge,
    /// No IMAP, POP3 or SMTP at all: only the provider's own apps and web mail.
    ProviderAppsOnly,
    /// The service has shut down.
    Closed,
    /// The only servers known (from Thunderbird's ISP database) are unencrypted, which
    /// Portolan never recommends: the entry keeps them only to name their hosts, its note says
    /// so, and those hosts guessed with encryption, confirmed by a live check, stand in.
    UnencryptedOnly,
}

/// One published server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Server {
    pub protocol: Protocol,
    /// Host name in ASCII form, without a trailing dot (or `127.0.0.1` for a local bridge).
    pub host: &'static str,
    pub port: u16,
    pub security: Security,
    /// What to type as the user name.
    pub username: Username,
    /// Anything unusual about this server, as a sentence; empty when there is nothing.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'static str,
}

impl Server {
    /// The host name for an address at `domain_ascii`: the imported table names some hosts
    /// after the user's domain (`mail.%EMAILDOMAIN%`).
    pub fn host_for(&self, domain_ascii: &str) -> String {
        self.host
            .replace(crate::formats::autoconfig::PLACEHOLDER_DOMAIN, domain_ascii)
    }
}

/// The user name a provider's server expects, in the knowledge base's compact form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Username {
    /// The whole email address.
    EmailAddress,
    /// The part before the `@` (the provider's login name).
    LocalPart,
    /// Any other form, as an autoconfig template such as `%EMAILLOCALPART%.%EMAILDOMAIN%`.
    Template(&'static str),
}

impl Username {
    /// The shared model's form of this user name.
    pub fn form(self) -> UsernameForm {
        match self {
            Username::EmailAddress => UsernameForm::EmailAddress,
            Username::LocalPart => UsernameForm::LocalPart,
            Username::Template(template) => UsernameForm::Other(template.to_owned()),
        }
    }
}

/// Which MX host matched which rule, for the explanation shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MxMatch {
    /// The MX host as found, lower case and without a trailing dot.
    pub mx_host: String,
    /// The knowledge-base rule (a host suffix) that it matched.
    pub rule: &'static str,
}

/// The curated entries, in a fixed order.
pub fn curated() -> &'static [Provider] {
    data::PROVIDERS
}

/// The entries imported from Thunderbird's ISP database, ordered by id.
pub fn imported() -> &'static [Provider] {
    ispdb::PROVIDERS
}

/// Every entry of the knowledge base: the curated ones first, then the imported ones.
pub fn providers() -> impl Iterator<Item = &'static Provider> {
    curated().iter().chain(imported())
}

/// The provider for the email domain `domain_ascii`, matched exactly (ignoring case and one
/// trailing dot): a curated entry that lists the domain, else the imported entry that does,
/// which gives way to its curated twin when it has one. Subdomains do not match:
/// `mail.gmail.com` is not a Gmail address domain.
pub fn by_domain(domain_ascii: &str) -> Option<&'static Provider> {
    let domain = trim_dot(domain_ascii);
    let lists = |provider: &&'static Provider| {
        provider
            .domains
            .iter()
            .any(|known| known.eq_ignore_ascii_case(domain))
    };
    curated().iter().find(lists).or_else(|| {
        let imported = imported().iter().find(lists)?;
        Some(imported.curated_twin().unwrap_or(imported))
    })
}

/// The entry a [`crate::model::ProviderMatch`] names: `id` in the table it names.
pub fn by_table_id(table: crate::model::KnowledgeTable, id: &str) -> Option<&'static Provider> {
    let entries = match table {
        crate::model::KnowledgeTable::Curated => curated(),
        crate::model::KnowledgeTable::Ispdb => imported(),
        crate::model::KnowledgeTable::IspdbService | crate::model::KnowledgeTable::ProviderFile => {
            return None
        }
    };
    entries
        .iter()
        .find(|provider| provider.id.eq_ignore_ascii_case(id))
}

/// The provider with this id, ignoring case: the curated entry when both tables use the id.
pub fn by_id(id: &str) -> Option<&'static Provider> {
    providers().find(|provider| provider.id.eq_ignore_ascii_case(id))
}

/// The provider that hosts a custom domain, judged from its MX hosts.
///
/// The hosts are tried in the order given (the caller passes them by MX preference, best
/// first); the first host that matches any rule decides. When several rules match one host,
/// the longest (most specific) wins. Host names may carry a trailing dot and any case.
pub fn by_mx(mx_hosts: &[&str]) -> Option<(&'static Provider, MxMatch)> {
    mx_hosts.iter().find_map(|raw| {
        let host = trim_dot(raw).to_ascii_lowercase();
        let (provider, rule) = best_rule_for(&host)?;
        Some((
            provider,
            MxMatch {
                mx_host: host,
                rule,
            },
        ))
    })
}

/// True when `host` is `suffix` or ends with `.suffix`: a match on a label boundary, so
/// `google.com` matches `aspmx.l.google.com` but not `evilgoogle.com`. Both are compared
/// without regard to case.
pub fn matches_suffix(host: &str, suffix: &str) -> bool {
    let host = trim_dot(host);
    if host.len() == suffix.len() {
        return host.eq_ignore_ascii_case(suffix);
    }
    if host.len() < suffix.len() + 1 {
        return false;
    }
    let split = host.len() - suffix.len();
    // `split` is a char boundary only when the tail is ASCII-aligned; `get` keeps it safe.
    match (host.get(..split), host.get(split..)) {
        (Some(head), Some(tail)) => head.ends_with('.') && tail.eq_ignore_ascii_case(suffix),
        _ => false,
    }
}

fn best_rule_for(host: &str) -> Option<(&'static Provider, &'static str)> {
    providers()
        .flat_map(|provider| provider.mx.iter().map(move |rule| (provider, *rule)))
        .filter(|(_, rule)| matches_suffix(host, rule))
        // The longest rule wins; on a tie the curated entry (listed first) does.
        .max_by_key(|(provider, rule)| (rule.len(), provider.origin == Origin::Curated))
}

fn trim_dot(name: &str) -> &str {
    name.strip_suffix('.').unwrap_or(name)
}

impl Provider {
    /// The table this entry is in.
    pub fn table(&self) -> crate::model::KnowledgeTable {
        match self.origin {
            Origin::Curated => crate::model::KnowledgeTable::Curated,
            Origin::Ispdb { .. } => crate::model::KnowledgeTable::Ispdb,
        }
    }

    /// For an imported entry, the curated entry of the same provider.
    pub fn curated_twin(&self) -> Option<&'static Provider> {
        match self.origin {
            Origin::Ispdb {
                curated: Some(id), ..
            } => curated()
                .iter()
                .find(|provider| provider.id.eq_ignore_ascii_case(id)),
            _ => None,
        }
    }

    /// True when the provider publishes an IMAP server (possibly a local bridge).
    pub fn offers_imap(&self) -> bool {
        self.offers(Protocol::Imap)
    }

    /// True when the provider publishes a POP3 server.
    pub fn offers_pop3(&self) -> bool {
        self.offers(Protocol::Pop3)
    }

    /// True when the provider publishes a submission (SMTP) server.
    pub fn offers_submission(&self) -> bool {
        self.offers(Protocol::Submission)
    }

    /// True when the provider publishes a server for `protocol`.
    pub fn offers(&self, protocol: Protocol) -> bool {
        self.servers
            .iter()
            .any(|server| server.protocol == protocol)
    }

    /// True when the account password alone does not work for mail clients: an app password
    /// (or OAuth2, where listed) is needed.
    pub fn requires_app_password(&self) -> bool {
        AuthMethod::needs_app_password(self.auth)
    }

    /// True when OAuth2 is the only way in.
    pub fn requires_oauth2(&self) -> bool {
        AuthMethod::only_oauth2(self.auth)
    }

    /// An unencrypted-only provider's hosts (each once per protocol, in the table's order),
    /// guessed with implicit TLS and STARTTLS, unverified until a live check.
    fn hosts_with_encryption(&self, input: &MailInput, why: &str) -> Vec<Candidate> {
        let mut seen: Vec<(Protocol, String)> = Vec::new();
        let mut out = Vec::new();
        for server in self.servers {
            let host = server.host_for(&input.domain.ascii);
            if seen.contains(&(server.protocol, host.clone())) {
                continue;
            }
            for mut guess in crate::guess::encrypted_instead_of(server.protocol, &host, server.port)
            {
                guess.reasons.push(why.to_owned());
                out.push(guess);
            }
            seen.push((server.protocol, host));
        }
        out
    }

    /// The provider's servers as candidates for `input`, IMAP then POP3 then submission,
    /// implicit TLS before STARTTLS within each protocol.
    ///
    /// `source` is [`Source::KnowledgeBase`] when the email domain itself is the provider's,
    /// and [`Source::Mx`] when the domain's MX records led here (prefer
    /// [`Provider::candidates_via_mx`] then, which names the MX host). A provider without
    /// servers (see [`Provider::access`]) yields none; its notes say why.
    pub fn candidates(&self, input: &MailInput, source: Source) -> Vec<Candidate> {
        let why = match source {
            Source::Mx => format!(
                "Your domain's MX records point at {}'s mail servers, so {} hosts this mailbox.",
                self.name, self.name
            ),
            _ if matches!(self.origin, Origin::Ispdb { .. }) => format!(
                "Thunderbird's ISP database lists these settings for @{} addresses ({}).",
                input.domain.ascii, self.name
            ),
            _ => format!(
                "{}'s published settings for @{} addresses.",
                self.name, input.domain.ascii
            ),
        };
        self.build(input, source, &why)
    }

    /// Like [`Provider::candidates`] for a custom domain found through its MX records, with
    /// the MX host named in the reasons.
    pub fn candidates_via_mx(&self, input: &MailInput, mx_host: &str) -> Vec<Candidate> {
        let why = format!(
            "Your domain's MX points at {mx_host}, which is {}: {}'s published settings.",
            self.name, self.name
        );
        self.build(input, Source::Mx, &why)
    }

    /// The candidates, for every caller: an unencrypted-only provider's hosts become guesses
    /// with encryption (never its plaintext servers).
    fn build(&self, input: &MailInput, source: Source, why: &str) -> Vec<Candidate> {
        if self.access == Access::UnencryptedOnly {
            return self.hosts_with_encryption(input, why);
        }
        let mut servers: Vec<&Server> = self.servers.iter().collect();
        // A stable sort keeps the provider's own order among equal protocol and security.
        servers.sort_by_key(|server| (server.protocol, server.security));
        servers
            .into_iter()
            .map(|server| self.candidate(server, input, source, why))
            .collect()
    }

    fn candidate(
        &self,
        server: &Server,
        input: &MailInput,
        source: Source,
        why: &str,
    ) -> Candidate {
        let mut reasons = vec![why.to_owned(), self.security_reason(server)];
        if !server.note.is_empty() {
            reasons.push(server.note.to_owned());
        }
        reasons.extend(self.notes.iter().map(|note| (*note).to_owned()));
        let host = server.host_for(&input.domain.ascii);
        let mut trust = vec![Trust::KnownProvider];
        if matches_suffix(&host, &input.domain.ascii) {
            trust.push(Trust::SameDomain);
        }
        trust.sort();
        trust.dedup();
        Candidate {
            username: server.username.form(),
            auth: self.auth.to_vec(),
            trust,
            reasons,
            ..Candidate::new(server.protocol, host, server.port, server.security, source)
        }
    }

    /// Why this server's security is what it is, citing RFC 8314.
    fn security_reason(&self, server: &Server) -> String {
        let label = server.protocol.label();
        match server.security {
            Security::Tls => format!(
                "{label} with implicit TLS on port {} (RFC 8314 prefers implicit TLS).",
                server.port
            ),
            Security::Starttls => {
                match self.servers.iter().find(|other| {
                    other.protocol == server.protocol && other.security == Security::Tls
                }) {
                    Some(tls) => format!(
                        "{label} with STARTTLS on port {}: a fallback for networks that block \
                     implicit TLS on port {}.",
                        server.port, tls.port
                    ),
                    None => format!(
                        "{label} with STARTTLS on port {}: {} publishes no implicit-TLS port for \
                     {label}.",
                        server.port, self.name
                    ),
                }
            }
            Security::Plain => format!(
                "{label} without encryption on port {}: never recommended.",
                server.port
            ),
        }
    }
}

#[cfg(test)]
mod tests;
