//! What a driver fetches over HTTPS, and when: the files of the first batch (sent together
//! with the DNS questions) and the second round, which only the first batch's answers can
//! name. Both drivers (the CLI and the browser's engine worker) follow these rules.
//!
//! The second round is asked for only when it can change the result:
//! - Microsoft's Autodiscover redirect, when the `_autodiscover._tcp` SRV record names a host
//!   and the standard Autodiscover URLs gave nothing;
//! - the MX path (see [`super::mx`]), when nothing decided in the first batch: no SRV record,
//!   no published or live-ISPDB file, and nothing the bundled knowledge knows about the domain
//!   or its MX.

use crate::address::MailInput;
use crate::knowledge;
use crate::model::ServiceKind;

use super::answered::Answered;
use super::mx::{self, MxDepth, MxNames};
use super::published::{
    autoconfig_urls, autodiscover_srv_urls, autodiscover_urls, candidates_from, Fetched, FileKind,
};
use super::srv::srv_candidates;
use super::trust::within_domain;

/// One HTTPS fetch a driver makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    pub kind: FileKind,
    pub url: String,
}

/// Where the fetches go: the real services by default; tests point them at loopback servers
/// (`None` leaves that kind of fetch out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchBases {
    /// Thunderbird's ISP database service, `{domain}` standing for the domain asked about.
    pub ispdb_service: Option<String>,
    /// The MX provider's autoconfig URL, `{domain}` standing for `MXFULL` or `MXBASE`.
    pub mx_autoconfig: Option<String>,
    /// The PACC document's URL, `{domain}` standing for the domain.
    pub pacc: Option<String>,
    /// Where the services' well-known URIs are asked, `{domain}` standing for the domain
    /// (`https://{domain}` by default; the paths are added).
    pub well_known: Option<String>,
}

/// Thunderbird's ISP database service, as Thunderbird asks it.
pub const ISPDB_SERVICE: &str = "https://autoconfig.thunderbird.net/v1.1/{domain}";
/// The autoconfig location of an MX provider (draft-ietf-mailmaint-autoconfig).
pub const MX_AUTOCONFIG: &str = "https://autoconfig.{domain}/mail/config-v1.1.xml";
/// Where the services' well-known URIs live: the domain itself (RFC 8615).
pub const WELL_KNOWN_BASE: &str = "https://{domain}";
/// The PACC document's location (draft-ietf-mailmaint-pacc).
pub const PACC_DOCUMENT: &str =
    "https://ua-auto-config.{domain}/.well-known/user-agent-configuration.json";

impl Default for FetchBases {
    fn default() -> Self {
        FetchBases {
            ispdb_service: Some(ISPDB_SERVICE.to_owned()),
            mx_autoconfig: Some(MX_AUTOCONFIG.to_owned()),
            pacc: Some(PACC_DOCUMENT.to_owned()),
            well_known: Some(WELL_KNOWN_BASE.to_owned()),
        }
    }
}

impl FetchBases {
    /// No live ISPDB and no MX-provider fetches.
    pub fn none() -> Self {
        FetchBases {
            ispdb_service: None,
            mx_autoconfig: None,
            pacc: None,
            well_known: None,
        }
    }

    fn ispdb_url(&self, domain: &str) -> Option<String> {
        self.ispdb_service
            .as_ref()
            .map(|template| template.replace("{domain}", domain))
    }
}

/// The first batch's files: the domain's autoconfig, Autodiscover and PACC document, the
/// services' well-known URIs, and,
/// when the bundled knowledge does not know the domain, Thunderbird's ISP database service
/// (as Thunderbird asks it).
pub fn first_batch(input: &MailInput, bases: &FetchBases) -> Vec<FetchRequest> {
    let mut requests: Vec<FetchRequest> = autoconfig_urls(input)
        .into_iter()
        .map(|url| FetchRequest {
            kind: FileKind::Autoconfig,
            url,
        })
        .collect();
    requests.extend(
        autodiscover_urls(input)
            .into_iter()
            .map(|url| FetchRequest {
                kind: FileKind::Autodiscover,
                url,
            }),
    );
    requests.extend(ispdb_request(input, bases));
    requests.extend(pacc_request(input, bases));
    requests.extend(well_known_requests(input, bases));
    requests
}

/// The well-known URIs of JMAP, CalDAV and CardDAV on the domain (RFC 8620 §2.2, RFC 6764
/// §5), asked with the rest of the first batch.
pub fn well_known_requests(input: &MailInput, bases: &FetchBases) -> Vec<FetchRequest> {
    let Some(base) = &bases.well_known else {
        return Vec::new();
    };
    let base = base.replace("{domain}", &input.domain.ascii);
    [ServiceKind::Jmap, ServiceKind::Caldav, ServiceKind::Carddav]
        .into_iter()
        .filter_map(|service| {
            Some(FetchRequest {
                kind: FileKind::WellKnown(service),
                url: format!(
                    "{}{}",
                    base.trim_end_matches('/'),
                    service.well_known_path()?
                ),
            })
        })
        .collect()
}

/// The PACC document's fetch (the digest's TXT record is in the DNS batch beside it).
pub fn pacc_request(input: &MailInput, bases: &FetchBases) -> Option<FetchRequest> {
    bases.pacc.as_ref().map(|template| FetchRequest {
        kind: FileKind::Pacc,
        url: template.replace("{domain}", &input.domain.ascii),
    })
}

/// The live ISPDB question for a domain the bundled knowledge does not know.
pub fn ispdb_request(input: &MailInput, bases: &FetchBases) -> Option<FetchRequest> {
    if knowledge::by_domain(&input.domain.ascii).is_some() {
        return None;
    }
    bases
        .ispdb_url(&input.domain.ascii)
        .map(|url| FetchRequest {
            kind: FileKind::IspdbService,
            url,
        })
}

/// The second round for what the first batch brought back; empty when it is not needed.
pub fn second_round(
    input: &MailInput,
    answers: &[Answered],
    fetched: &[Fetched],
    bases: &FetchBases,
) -> Vec<FetchRequest> {
    let mut requests = Vec::new();
    let redirect = autodiscover_srv_urls(input, answers);
    if !redirect.is_empty()
        && candidates_from(input, FileKind::Autodiscover, fetched)
            .0
            .is_empty()
    {
        requests.extend(redirect.into_iter().map(|url| FetchRequest {
            kind: FileKind::Autodiscover,
            url,
        }));
    }
    if let Some(names) = undecided_mx(input, answers, fetched) {
        requests.extend(mx_requests(&names, bases));
    }
    requests
}

/// The MX names, when the first batch decided nothing and the MX path has to.
fn undecided_mx(input: &MailInput, answers: &[Answered], fetched: &[Fetched]) -> Option<MxNames> {
    let domain = input.domain.ascii.as_str();
    let published = [
        FileKind::Autoconfig,
        FileKind::Autodiscover,
        FileKind::IspdbService,
    ]
    .into_iter()
    .any(|kind| !candidates_from(input, kind, fetched).0.is_empty());
    if published
        || !srv_candidates(domain, answers).0.is_empty()
        || knowledge::by_domain(domain).is_some()
    {
        return None;
    }
    let records = mx::mx_records(answers);
    if mx::provider_for(&records, MxDepth::Full).is_some() {
        return None;
    }
    // A self-hosted domain's MX names the domain itself: the first batch asked it already.
    mx::mx_names(&records).filter(|names| !within_domain(&names.base, domain))
}

/// The MX provider's autoconfig (`MXFULL`, then `MXBASE`) and the live ISPDB for `MXBASE`.
fn mx_requests(names: &MxNames, bases: &FetchBases) -> Vec<FetchRequest> {
    let mut requests: Vec<FetchRequest> = Vec::new();
    if let Some(template) = &bases.mx_autoconfig {
        requests.extend(
            names
                .full
                .iter()
                .chain([&names.base])
                .map(|name| FetchRequest {
                    kind: FileKind::MxAutoconfig,
                    url: template.replace("{domain}", name),
                }),
        );
        requests.dedup();
    }
    requests.extend(bases.ispdb_url(&names.base).map(|url| FetchRequest {
        kind: FileKind::MxIspdbService,
        url,
    }));
    requests
}
