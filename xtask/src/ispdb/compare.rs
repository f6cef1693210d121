//! The imported entries against the curated table: which curated entry is the same provider
//! (its "twin", which wins for every domain both list), and every point where the two
//! disagree, reported instead of silently resolved.

use std::collections::BTreeSet;

use portolan_core::knowledge::{matches_suffix, Access, Provider};
use portolan_core::model::{AuthMethod, Protocol, Security};

use super::convert::Entry;

/// One disagreement between an imported entry and its curated twin.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Conflict {
    pub imported: String,
    pub curated: String,
    pub text: String,
}

type Endpoint = (Protocol, String, u16, Security);

/// Finds each entry's curated twin (a shared domain, else the same id or a domain the curated
/// entry's MX rules name, together with a shared server host) and lists every disagreement between the two.
pub fn link_and_compare(entries: &mut [Entry], curated: &[Provider]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    for entry in entries.iter_mut() {
        let sharing: Vec<&Provider> = curated
            .iter()
            .filter(|provider| {
                provider
                    .domains
                    .iter()
                    .any(|domain| entry.domains.iter().any(|d| d == domain))
            })
            .collect();
        let shares_a_host = |provider: &Provider| {
            provider
                .servers
                .iter()
                .any(|known| entry.servers.iter().any(|s| s.host == known.host))
        };
        // A curated entry that lists one of the domains is the twin. The same id, or a
        // domain one of its MX rules names, is not enough on its own (Zoho's regional
        // services share one id in the ISPDB; 1&1 and IONOS share MX hosts): a shared server
        // host must confirm it.
        let twin = sharing.first().copied().or_else(|| {
            curated.iter().find(|provider| {
                let same_id = provider.id == entry.id;
                let named_by_rule = provider.mx.iter().any(|rule| {
                    entry
                        .domains
                        .iter()
                        .chain([&entry.id])
                        .any(|domain| matches_suffix(domain, rule))
                });
                (same_id || named_by_rule) && shares_a_host(provider)
            })
        });
        let Some(twin) = twin else {
            continue;
        };
        entry.curated = Some(twin.id.to_owned());
        let mut say = |text: String| {
            conflicts.push(Conflict {
                imported: entry.id.clone(),
                curated: twin.id.to_owned(),
                text,
            })
        };
        for other in sharing.iter().filter(|provider| provider.id != twin.id) {
            say(format!(
                "its domains are split between curated {} and {}; {} wins",
                twin.id, other.id, twin.id
            ));
        }
        compare_pair(entry, twin, &mut say);
    }
    conflicts.sort();
    conflicts
}

fn compare_pair(entry: &Entry, twin: &Provider, say: &mut impl FnMut(String)) {
    let adopted: Vec<&str> = entry
        .domains
        .iter()
        .filter(|domain| !twin.domains.contains(&domain.as_str()))
        .map(String::as_str)
        .collect();
    if !adopted.is_empty() {
        say(format!(
            "domains only the ISPDB lists (served with the curated settings): {}",
            adopted.join(", ")
        ));
    }
    if matches!(twin.access, Access::ProviderAppsOnly | Access::Closed) {
        say("the ISPDB lists servers, the curated entry says mail apps cannot connect".into());
        return;
    }
    let imported: BTreeSet<Endpoint> = entry
        .servers
        .iter()
        .map(|s| (s.protocol, s.host.clone(), s.port, s.security))
        .collect();
    let known: BTreeSet<Endpoint> = twin
        .servers
        .iter()
        .filter(|s| s.host != "127.0.0.1")
        .map(|s| (s.protocol, s.host.to_owned(), s.port, s.security))
        .collect();
    if twin.access == Access::Standard {
        for missing in imported.difference(&known) {
            say(format!("server only in the ISPDB: {}", describe(missing)));
        }
        for extra in known.difference(&imported) {
            say(format!(
                "server only in the curated entry: {}",
                describe(extra)
            ));
        }
    }
    for server in &entry.servers {
        let same = twin.servers.iter().find(|s| {
            (s.protocol, s.host, s.port, s.security)
                == (
                    server.protocol,
                    server.host.as_str(),
                    server.port,
                    server.security,
                )
        });
        if let Some(same) = same {
            if same.username.form() != server.username {
                say(format!(
                    "user name for {}:{}: ISPDB {:?}, curated {:?}",
                    server.host,
                    server.port,
                    server.username,
                    same.username.form()
                ));
            }
        }
    }
    let ispdb_oauth = entry.auth.contains(&AuthMethod::Oauth2);
    let curated_oauth = twin.auth.contains(&AuthMethod::Oauth2);
    if ispdb_oauth != curated_oauth {
        say(format!(
            "OAuth2: the ISPDB {} it, the curated entry {} it",
            if ispdb_oauth {
                "offers"
            } else {
                "does not offer"
            },
            if curated_oauth {
                "offers"
            } else {
                "does not offer"
            }
        ));
    }
    let password_refused = !twin.auth.contains(&AuthMethod::PasswordCleartext);
    if password_refused && entry.auth.contains(&AuthMethod::PasswordCleartext) {
        say(format!(
            "the ISPDB allows the normal password; the curated entry accepts only {}",
            twin.auth
                .iter()
                .map(|method| format!("{method:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    match (&entry.oauth2, twin.oauth2) {
        (Some(imported), None) => say(format!(
            "OAuth2 endpoints only in the ISPDB (issuer {})",
            imported[0]
        )),
        (Some(imported), Some(known))
            if imported[0] != known.issuer
                || imported[2] != known.auth_url
                || imported[3] != known.token_url =>
        {
            say(format!(
                "OAuth2 endpoints differ: ISPDB issuer {} token {}, curated issuer {} token {}",
                imported[0], imported[3], known.issuer, known.token_url
            ))
        }
        _ => {}
    }
}

fn describe((protocol, host, port, security): &Endpoint) -> String {
    format!("{} {host}:{port} ({})", protocol.label(), security.as_str())
}
