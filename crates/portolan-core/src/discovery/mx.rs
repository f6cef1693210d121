//! MX-based lookup (draft-ietf-mailmaint-autoconfig, "MX": as Thunderbird and Thunderbird for
//! Android do): when nothing the domain publishes and nothing Portolan knows about the domain
//! itself decides, its highest-priority MX host names the provider that hosts its mail.
//!
//! From the MX host two names are derived: `MXFULL`, the host minus its first label
//! (`mx01.mail.example.net` → `mail.example.net`), and `MXBASE`, its registrable domain through
//! the Public Suffix List (`example.net`; the `publicsuffix` crate over a compact copy of the
//! list bundled in `data/psl/`). The knowledge base is asked for both, `MXFULL` first:
//! a subdomain of the MX can name the product (`mail.protection.outlook.com` is Microsoft 365,
//! while `outlook.com` alone is the consumer service). When the knowledge base knows neither,
//! the second round fetches `https://autoconfig.MXFULL/mail/config-v1.1.xml` and the same for
//! `MXBASE`.
//!
//! Nothing found this way is authenticated (the MX answer could be forged, and the provider is
//! not the user's domain), so every candidate is marked as needing the user's confirmation,
//! with the provider's registrable domain named.

use serde::{Deserialize, Serialize};

use crate::dns::{MxRecord, Outcome};
use crate::knowledge::{self, Provider};

use super::answered::{responses, Answered};
use super::plan::Purpose;

/// The names derived from the best MX host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MxNames {
    /// The highest-priority MX host, lower case, without a trailing dot.
    pub host: String,
    /// The host minus its first label; `None` when that would leave less than a registrable
    /// domain.
    pub full: Option<String>,
    /// The host's registrable domain (Public Suffix List).
    pub base: String,
}

/// The MX records of the answers, the null MX (`.`, RFC 7505) left out.
pub fn mx_records(answers: &[Answered]) -> Vec<MxRecord> {
    responses(answers, Purpose::Mx)
        .filter_map(|response| match &response.outcome {
            Outcome::Mx(records) => Some(records),
            _ => None,
        })
        .flatten()
        .filter(|record| record.exchange != "." && !record.exchange.is_empty())
        .cloned()
        .collect()
}

/// The highest-priority MX host (ties broken by name, so the result is stable); `None`
/// without a usable MX.
pub fn best_host(records: &[MxRecord]) -> Option<&str> {
    records
        .iter()
        .filter(|record| record.exchange != "." && !record.exchange.is_empty())
        .min()
        .map(|record| record.exchange.as_str())
}

/// The names for the highest-priority MX; `None` without a usable MX.
pub fn mx_names(records: &[MxRecord]) -> Option<MxNames> {
    names_for(best_host(records)?)
}

/// The names for one MX host.
pub fn names_for(host: &str) -> Option<MxNames> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let base = registrable_domain(&host)?;
    let full = host
        .split_once('.')
        .map(|(_, rest)| rest.to_owned())
        .filter(|rest| rest.len() > base.len() || *rest == base);
    Some(MxNames { host, full, base })
}

/// The Public Suffix List, rules only (see `data/psl/SOURCE.md`; MPL-2.0).
const PUBLIC_SUFFIX_RULES: &str = include_str!("../../data/psl/public_suffix_rules.txt");

/// The list, parsed once, on the first MX lookup (a few milliseconds); `None` only if the
/// bundled copy could not be read, which a test rules out.
fn public_suffixes() -> Option<&'static publicsuffix::List> {
    static LIST: std::sync::OnceLock<Option<publicsuffix::List>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| PUBLIC_SUFFIX_RULES.parse().ok())
        .as_ref()
}

/// The registrable domain of `host` (its public suffix plus one label), through the Public
/// Suffix List (the `publicsuffix` crate over the bundled copy); `None` for a public suffix
/// itself or a name the list cannot place.
pub fn registrable_domain(host: &str) -> Option<String> {
    use publicsuffix::Psl;
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let domain = public_suffixes()?.domain(host.as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
}

/// How the knowledge base matched the MX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MxProvider {
    pub provider: &'static Provider,
    pub names: MxNames,
    /// Which name matched: an MX rule (a host suffix), `MXFULL` or `MXBASE`.
    pub matched: String,
}

/// How far the knowledge is asked about the MX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MxDepth {
    /// Only the curated MX rules (host suffixes): what a domain that decided by itself (SRV,
    /// published files) is still compared with.
    RulesOnly,
    /// The rules, then `MXFULL` and `MXBASE` as provider domains: the MX path proper, for a
    /// domain nothing else decided.
    Full,
}

/// The provider the knowledge base names for the MX: a curated MX rule first (most specific
/// host suffix), then, at [`MxDepth::Full`], `MXFULL`, then `MXBASE` as an email domain of a
/// known provider. The Public Suffix List is read only when needed.
pub fn provider_for(records: &[MxRecord], depth: MxDepth) -> Option<MxProvider> {
    let host = best_host(records)?;
    if let Some((provider, matched)) = knowledge::by_mx(&[host]) {
        let mut names = names_for(host).unwrap_or_else(|| MxNames {
            host: matched.mx_host.clone(),
            full: None,
            base: matched.rule.to_owned(),
        });
        if names.base.is_empty() {
            names.base = matched.rule.to_owned();
        }
        return Some(MxProvider {
            provider,
            matched: matched.rule.to_owned(),
            names,
        });
    }
    if depth == MxDepth::RulesOnly {
        return None;
    }
    let names = names_for(host)?;
    let by_name =
        |name: &str| knowledge::by_domain(name).map(|provider| (provider, name.to_owned()));
    let (provider, matched) = names
        .full
        .as_deref()
        .and_then(by_name)
        .or_else(|| by_name(&names.base))?;
    Some(MxProvider {
        provider,
        names,
        matched,
    })
}

/// Why a configuration found through the MX needs the user's confirmation, naming the
/// provider's registrable domain.
pub fn confirmation_reason(names: &MxNames, provider_name: &str) -> String {
    format!(
        "Found through your domain's MX record ({}), which points at {} ({provider_name}). \
         An MX record is not proof of who hosts your mailbox: confirm that {} is your mail \
         provider before you enter your password.",
        names.host, names.base, names.base
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mx(preference: u16, exchange: &str) -> MxRecord {
        MxRecord {
            preference,
            exchange: exchange.to_owned(),
        }
    }

    #[test]
    fn full_and_base_follow_the_public_suffix_list() {
        let names = names_for("Example-com.mail.protection.outlook.com.").unwrap();
        assert_eq!(names.host, "example-com.mail.protection.outlook.com");
        assert_eq!(names.full.as_deref(), Some("mail.protection.outlook.com"));
        assert_eq!(names.base, "outlook.com");
        let uk = names_for("mx00.ionos.co.uk").unwrap();
        assert_eq!(
            (uk.full.as_deref(), uk.base.as_str()),
            (Some("ionos.co.uk"), "ionos.co.uk")
        );
        // Below the registrable domain there is no MXFULL.
        let short = names_for("example.co.uk").unwrap();
        assert_eq!((short.full, short.base.as_str()), (None, "example.co.uk"));
        assert!(names_for("co.uk").is_none());
        // Wildcard and exception rules of the list: `*.ck` with `!www.ck`.
        assert_eq!(registrable_domain("mx.www.ck").as_deref(), Some("www.ck"));
        assert_eq!(
            registrable_domain("mx.shop.example.ck").as_deref(),
            Some("shop.example.ck")
        );
    }

    #[test]
    fn the_bundled_list_is_read_whole() {
        let rules = PUBLIC_SUFFIX_RULES
            .lines()
            .filter(|line| !line.starts_with("//"))
            .count();
        assert!(rules > 9000, "{rules} rules");
        assert!(PUBLIC_SUFFIX_RULES
            .starts_with("// This Source Code Form is subject to the terms of the Mozilla Public"));
        assert!(public_suffixes().is_some());
    }

    #[test]
    fn the_highest_priority_mx_decides() {
        let records = [
            mx(20, "backup.example.net"),
            mx(10, "mx1.mailhost.example.org"),
        ];
        assert_eq!(mx_names(&records).unwrap().host, "mx1.mailhost.example.org");
        assert!(mx_names(&[]).is_none());
    }

    #[test]
    fn a_subdomain_of_the_mx_names_the_product() {
        // Microsoft 365 through MXFULL (or its MX rule), not Outlook.com through MXBASE.
        let office = provider_for(
            &[mx(0, "contoso-com.mail.protection.outlook.com")],
            MxDepth::Full,
        )
        .unwrap();
        assert_eq!(office.provider.name, "Microsoft 365");
        // A curated MX rule comes first: IONOS's customer MX hosts lead to IONOS.
        let ionos = provider_for(&[mx(10, "mx00.kundenserver.de")], MxDepth::Full).unwrap();
        assert_eq!(
            (ionos.provider.id, ionos.matched.as_str()),
            ("ionos.de", "kundenserver.de")
        );
        // A provider only the ISPDB lists is found through MXFULL or MXBASE.
        let hosted = provider_for(&[mx(10, "mx.relay.a1.net")], MxDepth::Full).unwrap();
        assert_eq!(hosted.matched, "a1.net");
        assert!(hosted
            .provider
            .servers
            .iter()
            .any(|s| s.host == "securemail.a1.net"));
        assert!(provider_for(&[mx(10, "mx.unknown-host.example")], MxDepth::Full).is_none());
        // Rules only (the domain decided by itself): the ISPDB-only provider is not asked.
        assert!(provider_for(&[mx(10, "mx.relay.a1.net")], MxDepth::RulesOnly).is_none());
        assert!(provider_for(&[mx(10, "mx00.kundenserver.de")], MxDepth::RulesOnly).is_some());
    }
}
