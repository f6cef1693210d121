//! How well Portolan's offline answer agrees with Thunderbird's ISP database: for every domain
//! the ISPDB lists with an IMAP server, is Portolan's top IMAP pick (discovery with no network
//! at all, so only the bundled knowledge and guesses count) the ISPDB's first IMAP server, or
//! the same host with stronger security? Read straight from the ISPDB files, not from the
//! generated table, so a wrong import shows up here.

use std::collections::BTreeSet;

use portolan_core::discovery::merge;
use portolan_core::formats::autoconfig::{self, ClientConfig};
use portolan_core::model::{Protocol, Security};
use portolan_core::parse_input;

/// The result of the comparison.
#[derive(Debug, Default)]
pub struct Agreement {
    /// Domains with an IMAP server in the ISPDB.
    pub domains: usize,
    /// The same host, port and security.
    pub equal: usize,
    /// The same host with stronger security (implicit TLS for STARTTLS or plaintext).
    pub stronger: usize,
    /// Every other domain, with what the ISPDB says and what Portolan picks.
    pub disagreements: Vec<String>,
    /// Domains the ISPDB lists without any IMAP server (not counted).
    pub without_imap: usize,
}

impl Agreement {
    /// The share of agreeing domains, in percent.
    pub fn percent(&self) -> f64 {
        if self.domains == 0 {
            return 0.0;
        }
        (self.equal + self.stronger) as f64 * 100.0 / self.domains as f64
    }
}

/// Compares every domain of the parsed ISPDB files (in the order given; a domain listed twice
/// counts once, for its first file).
pub fn agreement(files: &[(String, ClientConfig)]) -> Agreement {
    let mut result = Agreement::default();
    let mut seen = BTreeSet::new();
    for (_, config) in files {
        for provider in &config.providers {
            let first_imap = provider
                .incoming
                .iter()
                .filter_map(|server| server.to_candidate(portolan_core::model::Source::Autoconfig))
                .find(|candidate| candidate.protocol == Protocol::Imap);
            for domain in &provider.domains {
                let domain = domain.trim().to_ascii_lowercase();
                if !seen.insert(domain.clone()) {
                    continue;
                }
                let Some(expected) = &first_imap else {
                    result.without_imap += 1;
                    continue;
                };
                result.domains += 1;
                let picked = parse_input(&domain).ok().and_then(|input| {
                    merge(&input, &[], &[])
                        .incoming
                        .into_iter()
                        .find(|candidate| candidate.protocol == Protocol::Imap)
                });
                let expected_host = expected
                    .host
                    .replace("%emaildomain%", &domain)
                    .replace(autoconfig::PLACEHOLDER_DOMAIN, &domain);
                let expected_text = format!(
                    "{}:{} {}",
                    expected_host,
                    expected.port,
                    expected.security.as_str()
                );
                match picked {
                    Some(pick)
                        if (pick.host.as_str(), pick.port, pick.security)
                            == (expected_host.as_str(), expected.port, expected.security) =>
                    {
                        result.equal += 1
                    }
                    Some(pick)
                        if pick.host == expected_host
                            && stronger(pick.security, expected.security) =>
                    {
                        result.stronger += 1
                    }
                    Some(pick) => result.disagreements.push(format!(
                        "{domain}: ISPDB {expected_text}, Portolan {}:{} {} (from {})",
                        pick.host,
                        pick.port,
                        pick.security.as_str(),
                        pick.source.as_str()
                    )),
                    None => result.disagreements.push(format!(
                        "{domain}: ISPDB {expected_text}, Portolan has no IMAP pick"
                    )),
                }
            }
        }
    }
    result
}

fn stronger(picked: Security, listed: Security) -> bool {
    let rank = |security| match security {
        Security::Tls => 2,
        Security::Starttls => 1,
        Security::Plain => 0,
    };
    rank(picked) > rank(listed)
}
