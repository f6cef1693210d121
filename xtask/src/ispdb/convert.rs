//! From Thunderbird's ISP database files to Portolan's entries: what is kept, what is dropped
//! and why.
//!
//! The rules, each reported when it applies so nothing changes silently:
//! - A plaintext server is dropped: Portolan never recommends sending a password in the clear.
//!   A provider that lists nothing else is kept as unencrypted-only: its plaintext servers
//!   stay only to name the hosts Portolan then tries with encryption, and a note says why.
//! - Servers of types Portolan does not set up (Exchange, EWS, Graph, OWA) are dropped.
//! - The username typo `%EMAILADDRESS` (no closing `%`) is read as `%EMAILADDRESS%`.
//! - A port other than RFC 8314's for its security keeps a note saying where it comes from.
//! - Help links are kept only over https; an `<enable visiturl>` page counts as help (the
//!   first `<enable>` becomes the "switch access on first" quirk).
//! - Names and notes never carry a placeholder: a display name that is one gives way to the
//!   id, and hosts named after the domain read "your domain" in notes.
//! - A provider left without any usable server at all is not imported.

use std::collections::BTreeMap;

use portolan_core::formats::autoconfig::{self, ClientConfig, LocalizedText, SocketType};
use portolan_core::model::{AuthMethod, Protocol, Security, UsernameForm};

/// One provider as Portolan will store it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The file it came from, like `1und1.de.xml`.
    pub file: String,
    pub id: String,
    pub name: String,
    pub domains: Vec<String>,
    pub servers: Vec<ServerEntry>,
    /// Every listed server is unencrypted: they are kept only to name the hosts to try with
    /// encryption.
    pub unencrypted_only: bool,
    pub auth: Vec<AuthMethod>,
    pub notes: Vec<String>,
    pub help: Vec<String>,
    /// issuer, scope, authorisation URL, token URL.
    pub oauth2: Option<[String; 4]>,
    /// Access to switch on first: the sentence and its page.
    pub enable_first: Option<(String, String)>,
    /// The curated entry for the same provider, filled in by the comparison.
    pub curated: Option<String>,
}

/// One server as Portolan will store it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerEntry {
    pub protocol: Protocol,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: UsernameForm,
    pub note: String,
}

/// Something the conversion changed or left out, for the import report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Remark {
    pub file: String,
    pub text: String,
}

/// Converts every file (name, parsed file) in the order given; the caller sorts by name.
pub fn convert(files: &[(String, ClientConfig)]) -> (Vec<Entry>, Vec<Remark>) {
    let mut remarks = Vec::new();
    let mut entries = Vec::new();
    let mut domain_owner: BTreeMap<String, String> = BTreeMap::new();
    for (file, config) in files {
        let mut remark = |text: String| {
            remarks.push(Remark {
                file: file.clone(),
                text,
            })
        };
        for provider in &config.providers {
            let Some(mut entry) = convert_provider(file, config, provider, &mut remark) else {
                continue;
            };
            entry
                .domains
                .retain(|domain| match domain_owner.get(domain) {
                    Some(owner) => {
                        remark(format!(
                            "domain {domain} is already listed by {owner}; kept there only"
                        ));
                        false
                    }
                    None => {
                        domain_owner.insert(domain.clone(), file.clone());
                        true
                    }
                });
            entries.push(entry);
        }
    }
    // Ids must be unique; a file whose name is not its id gives way and is stored under its
    // file name (Zoho's regional files all say `zoho.com`).
    entries.sort_by(|a, b| {
        let named_after = |entry: &Entry| entry.file.trim_end_matches(".xml") != entry.id;
        a.id.cmp(&b.id)
            .then(named_after(a).cmp(&named_after(b)))
            .then(a.file.cmp(&b.file))
    });
    let mut used: BTreeMap<String, String> = BTreeMap::new();
    for entry in &mut entries {
        if used.contains_key(&entry.id) {
            let stem = entry.file.trim_end_matches(".xml").to_owned();
            remarks.push(Remark {
                file: entry.file.clone(),
                text: format!(
                    "id {} is taken by {}; stored as {stem}",
                    entry.id, used[&entry.id]
                ),
            });
            entry.id = stem;
        }
        used.insert(entry.id.clone(), entry.file.clone());
    }
    entries.sort_by(|a, b| a.id.cmp(&b.id).then(a.file.cmp(&b.file)));
    remarks.sort();
    (entries, remarks)
}

fn convert_provider(
    file: &str,
    config: &ClientConfig,
    provider: &autoconfig::EmailProvider,
    remark: &mut impl FnMut(String),
) -> Option<Entry> {
    let id = provider
        .id
        .as_deref()
        .map(|id| id.trim().to_ascii_lowercase())
        .unwrap_or_else(|| file.trim_end_matches(".xml").to_owned());
    let is_host_name = |name: &str| {
        portolan_core::address::parse_domain(name).is_ok_and(|domain| domain.ascii == name)
    };
    let mut domains: Vec<String> = Vec::new();
    for domain in &provider.domains {
        let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        if !domain.is_empty() && !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    // Ids are host names (Mozilla's rule, and Thunderbird for Android's): otherwise the
    // file's name, or the first domain.
    let stem = file.trim_end_matches(".xml").to_ascii_lowercase();
    let id = if is_host_name(&id) {
        id
    } else if let Some(name) = [&stem]
        .into_iter()
        .chain(domains.first())
        .find(|name| is_host_name(name))
    {
        remark(format!("id {id:?} is not a host name; stored as {name}"));
        name.clone()
    } else {
        remark(format!("not imported: id {id:?} is not a host name"));
        return None;
    };
    let mut servers: Vec<ServerEntry> = Vec::new();
    let mut auth: Vec<AuthMethod> = Vec::new();
    let mut unencrypted: Vec<ServerEntry> = Vec::new();
    for server in provider.incoming.iter().chain(&provider.outgoing) {
        let Some(kept) = convert_server(server, remark) else {
            if let Some(plain) = plain_server(server) {
                if !unencrypted.contains(&plain) {
                    unencrypted.push(plain);
                }
            }
            continue;
        };
        for method in server.auth_methods() {
            if !auth.contains(&method) {
                auth.push(method);
            }
        }
        if !servers.contains(&kept) {
            servers.push(kept);
        }
    }
    let unencrypted_only = servers.is_empty() && !unencrypted.is_empty();
    if servers.is_empty() && !unencrypted_only {
        remark(format!(
            "not imported: {id} has no server Portolan can recommend"
        ));
        return None;
    }
    let listed = |servers: &[ServerEntry]| {
        servers
            .iter()
            .map(|s| {
                let host = s
                    .host
                    .replace(autoconfig::PLACEHOLDER_DOMAIN, "your domain");
                format!("{host}:{}", s.port)
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if unencrypted_only {
        remark(format!(
            "kept as unencrypted-only (never recommended; its hosts are tried with encryption): \
             {id} lists only {}",
            listed(&unencrypted)
        ));
        servers = unencrypted.clone();
    }
    if auth.is_empty() {
        remark("no usable authentication listed; password-cleartext assumed".to_owned());
        auth.push(AuthMethod::PasswordCleartext);
    }
    let mut help: Vec<String> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    if unencrypted_only {
        notes.push(format!(
            "Thunderbird's ISP database lists only unencrypted servers for this provider ({}); \
             Portolan never recommends sending a password in the clear, so it tries the same \
             hosts with encryption instead: check them live before use, or ask the provider.",
            listed(&servers)
        ));
    }
    let links = provider
        .documentation
        .iter()
        .map(|doc| doc.url.as_str())
        .chain(
            provider
                .enable
                .iter()
                .filter_map(|e| e.visit_url.as_deref()),
        );
    for url in links {
        let url = url.trim();
        if !url.starts_with("https://") {
            remark(format!("help link dropped (not https): {url}"));
        } else if !help.iter().any(|known| known == url) {
            help.push(url.to_owned());
        }
    }
    // The first `<enable>` becomes the "switch access on first" quirk, with its page (or the
    // first help page); without any https page it stays a note.
    let mut enable_first = None;
    for enable in &provider.enable {
        let what = english(&enable.instructions)
            .map(|text| sentence(&format!("First, in the web settings: {text}")))
            .unwrap_or_else(|| {
                "Turn on access for mail programs in the provider's web settings first.".to_owned()
            });
        let page = enable
            .visit_url
            .as_deref()
            .map(str::trim)
            .filter(|url| url.starts_with("https://"))
            .or_else(|| help.first().map(String::as_str))
            .map(str::to_owned);
        match page {
            Some(url) if enable_first.is_none() => enable_first = Some((what, url)),
            _ => notes.push(what),
        }
    }
    let oauth2 = config.oauth2.as_ref().and_then(|o| {
        Some([
            o.issuer.clone()?,
            o.scope.clone()?,
            o.auth_url.clone()?,
            o.token_url.clone()?,
        ])
    });
    let name = english(&provider.display_names)
        .or_else(|| english(&provider.display_short_names))
        .filter(|name| !name.contains('%'))
        .unwrap_or_else(|| id.clone());
    Some(Entry {
        file: file.to_owned(),
        id,
        name,
        domains,
        servers,
        unencrypted_only,
        auth,
        notes,
        help,
        oauth2,
        enable_first,
        curated: None,
    })
}

fn convert_server(
    server: &autoconfig::Server,
    remark: &mut impl FnMut(String),
) -> Option<ServerEntry> {
    let host = server
        .hostname
        .as_deref()
        .map(|host| host.trim().trim_end_matches('.').to_ascii_lowercase())
        .unwrap_or_default();
    let described = format!(
        "{} server {}:{}",
        server.server_type_raw,
        host,
        server.port_raw.as_deref().unwrap_or("?")
    );
    let Some(protocol) = server.server_type.protocol() else {
        remark(format!(
            "{described} dropped: Portolan does not set up this type"
        ));
        return None;
    };
    if server.socket_type == SocketType::Plain {
        remark(format!("{described} dropped: plaintext"));
        return None;
    }
    let (Some(security), Some(port)) = (server.socket_type.security(), server.port()) else {
        remark(format!(
            "{described} dropped: socket type or port unreadable"
        ));
        return None;
    };
    let Some(host) = table_host(server) else {
        remark(format!(
            "{described} dropped: its host name depends on more than the domain"
        ));
        return None;
    };
    let (username, repaired) = username_of(server);
    if repaired {
        remark(format!(
            "{described}: username `%EMAILADDRESS` read as `%EMAILADDRESS%`"
        ));
    }
    let standard = protocol.default_port(security);
    let note = if port == standard {
        String::new()
    } else {
        format!("Thunderbird's ISP database lists port {port} for this server.")
    };
    Some(ServerEntry {
        protocol,
        host,
        port,
        security,
        username,
        note,
    })
}

/// A plaintext IMAP, POP3 or SMTP server with a fixed host and a readable port.
fn plain_server(server: &autoconfig::Server) -> Option<ServerEntry> {
    let protocol = server.server_type.protocol()?;
    if server.socket_type != SocketType::Plain {
        return None;
    }
    Some(ServerEntry {
        protocol,
        host: table_host(server)?,
        port: server.port()?,
        security: Security::Plain,
        username: username_of(server).0,
        note: String::new(),
    })
}

/// The host name as the table stores it: lower case, no trailing dot, `%EMAILDOMAIN%` the
/// only placeholder allowed; `None` when empty or named after more than the domain.
fn table_host(server: &autoconfig::Server) -> Option<String> {
    let host = server
        .hostname
        .as_deref()?
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase()
        .replace("%emaildomain%", autoconfig::PLACEHOLDER_DOMAIN);
    let fixed = host.replace(autoconfig::PLACEHOLDER_DOMAIN, "");
    (!host.is_empty() && !fixed.contains('%')).then_some(host)
}

/// The user-name form, and whether the `%EMAILADDRESS` typo (no closing `%`) was repaired.
fn username_of(server: &autoconfig::Server) -> (UsernameForm, bool) {
    let raw = server
        .username
        .as_deref()
        .unwrap_or(autoconfig::PLACEHOLDER_ADDRESS)
        .trim();
    if raw == "%EMAILADDRESS" {
        (UsernameForm::EmailAddress, true)
    } else {
        (portolan_core::formats::username_form(raw), false)
    }
}

/// The English text (or the text without a language) of a localised list.
fn english(texts: &[LocalizedText]) -> Option<String> {
    texts
        .iter()
        .find(|text| matches!(text.lang.as_deref(), None | Some("en")))
        .or_else(|| texts.first())
        .map(|text| text.text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|text| !text.is_empty())
}

/// The text as one plain sentence: ending with exactly one full stop.
fn sentence(text: &str) -> String {
    format!("{}.", text.trim().trim_end_matches(['.', '!', '?', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> (Vec<Entry>, Vec<Remark>) {
        let config = autoconfig::parse(xml).unwrap();
        convert(&[("example.net.xml".to_owned(), config)])
    }

    const FILE: &str = r#"<clientConfig version="1.1">
  <emailProvider id="Example.NET">
    <domain>example.net</domain>
    <domain>Example.org</domain>
    <displayName>Example</displayName>
    <incomingServer type="imap">
      <hostname>imap.example.net</hostname><port>143</port><socketType>plain</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.net</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS</username><authentication>OAuth2</authentication>
      <authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="exchange"><hostname>ews.example.net</hostname></incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.net</hostname><port>25</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%.%EMAILDOMAIN%</username>
    </outgoingServer>
    <enable visiturl="https://example.net/settings">
      <instruction>Allow IMAP</instruction>
    </enable>
    <documentation url="http://example.net/help"/>
  </emailProvider>
</clientConfig>"#;

    #[test]
    fn plaintext_and_foreign_types_are_dropped_and_reported() {
        let (entries, remarks) = read(FILE);
        let entry = &entries[0];
        assert_eq!(entry.id, "example.net");
        assert_eq!(entry.domains, ["example.net", "example.org"]);
        let endpoints: Vec<_> = entry
            .servers
            .iter()
            .map(|s| (s.host.as_str(), s.port, s.security))
            .collect();
        assert_eq!(
            endpoints,
            [
                ("imap.example.net", 993, Security::Tls),
                ("smtp.example.net", 25, Security::Starttls)
            ]
        );
        let texts: Vec<&str> = remarks.iter().map(|r| r.text.as_str()).collect();
        assert!(texts.iter().any(|t| t.contains("143 dropped: plaintext")));
        assert!(texts.iter().any(|t| t.contains("exchange server")));
        assert!(texts.iter().any(|t| t.contains("not https")));
        assert!(texts.iter().any(|t| t.contains("read as `%EMAILADDRESS%`")));
    }

    #[test]
    fn usernames_auth_notes_and_links_are_carried_over() {
        let (entries, _) = read(FILE);
        let entry = &entries[0];
        assert_eq!(entry.servers[0].username, UsernameForm::EmailAddress);
        assert_eq!(
            entry.servers[1].username,
            UsernameForm::Other("%EMAILLOCALPART%.%EMAILDOMAIN%".to_owned())
        );
        assert_eq!(
            entry.servers[1].note,
            "Thunderbird's ISP database lists port 25 for this server."
        );
        assert_eq!(
            entry.auth,
            [AuthMethod::Oauth2, AuthMethod::PasswordCleartext]
        );
        assert!(entry.notes.is_empty());
        assert_eq!(
            entry.enable_first,
            Some((
                "First, in the web settings: Allow IMAP.".to_owned(),
                "https://example.net/settings".to_owned()
            ))
        );
        assert_eq!(entry.help, ["https://example.net/settings"]);
    }

    #[test]
    fn a_provider_with_only_plaintext_servers_is_known_without_servers() {
        let only_plain = FILE
            .replace("<socketType>SSL", "<socketType>plain")
            .replace("<socketType>STARTTLS", "<socketType>plain");
        let (entries, remarks) = read(&only_plain);
        let entry = &entries[0];
        assert!(entry.unencrypted_only);
        assert!(entry.servers.iter().all(|s| s.security == Security::Plain));
        assert!(
            entry.notes[0].contains("imap.example.net:143"),
            "{:?}",
            entry.notes
        );
        assert!(remarks
            .iter()
            .any(|r| r.text.starts_with("kept as unencrypted-only")));
    }

    #[test]
    fn a_domain_in_two_files_stays_with_the_first() {
        let config = autoconfig::parse(FILE).unwrap();
        let second = autoconfig::parse(&FILE.replace("Example.NET", "other.example")).unwrap();
        let (entries, remarks) = convert(&[
            ("example.net.xml".to_owned(), config),
            ("other.example.xml".to_owned(), second),
        ]);
        assert_eq!(entries[1].id, "other.example");
        assert!(entries[1].domains.is_empty());
        assert!(remarks
            .iter()
            .any(|r| r.file == "other.example.xml" && r.text.contains("already listed")));
    }
}
