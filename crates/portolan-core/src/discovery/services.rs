//! What the account also offers besides IMAP, POP3 and SMTP: JMAP, CalDAV and CardDAV from
//! their SRV records, the verified PACC document's URL protocols (read in `pacc.rs`), and
//! every service section of the domain's autoconfig 1.2 file. Shown
//! to the user and written into the files that know them; never ranked against the mail
//! servers.
//!
//! From DNS, the URL is built as the RFC says a client does: for CalDAV and CardDAV the SRV
//! target and port with the TXT record's `path=` (RFC 6764 §4), or `/.well-known/caldav` and
//! `/.well-known/carddav` without one (§5); for JMAP the target and port with
//! `/.well-known/jmap` (RFC 8620 §2.2). The first record in RFC 2782 order is the one shown;
//! a target that is not a host name, or a path that is not plain, is not shown at all (DNS
//! answers are not trusted to be well-formed).

use crate::address::MailInput;
use crate::dns::Outcome;
use crate::formats::autoconfig;
use crate::model::{is_plain_path, url_parts, OfferedService, ServiceEndpoint, Source, Trust};

use super::answered::{responses, Answered};
use super::plan::{Purpose, Service};
use super::published::{Fetched, FileKind};
use super::srv::{explicitly_not_offered, order_deterministic};
use super::trust::published_host;

/// The services from the SRV answers, the verified PACC document (read by the caller) and
/// the domain's own autoconfig file, one per service and URL, in a stable order (by service,
/// then source).
pub fn offered_services(
    input: &MailInput,
    answers: &[Answered],
    fetched: &[Fetched],
    from_pacc: Vec<OfferedService>,
) -> Vec<OfferedService> {
    let mut services = srv_services(&input.domain.ascii, answers);
    services.extend(from_pacc);
    services.extend(autoconfig_services(input, fetched));
    // A well-known URI counts only for a service nothing more specific names.
    for service in well_known_services(fetched) {
        if !services
            .iter()
            .any(|found| found.service == service.service)
        {
            services.push(service);
        }
    }
    let mut unique: Vec<OfferedService> = Vec::new();
    for service in services {
        match unique
            .iter_mut()
            .find(|seen| seen.service == service.service && seen.endpoint == service.endpoint)
        {
            // The same endpoint from another source: one entry, with what both sources
            // say (a verified source's trust is kept).
            Some(seen) => {
                seen.found = format!("{} Also: {}", seen.found, service.found);
                for trust in service.trust {
                    if let Err(at) = seen.trust.binary_search(&trust) {
                        seen.trust.insert(at, trust);
                    }
                }
            }
            None => unique.push(service),
        }
    }
    unique.sort_by_key(|service| (service.service, service.source));
    unique
}

/// The `path=` value of the TXT record next to a CalDAV or CardDAV SRV record, if any.
fn context_path(answers: &[Answered], service: Service) -> Option<String> {
    responses(answers, Purpose::ContextPath(service)).find_map(|response| match &response.outcome {
        Outcome::Txt(texts) => texts.iter().find_map(|text| {
            text.trim()
                .strip_prefix("path=")
                .map(|path| path.trim().to_owned())
                .filter(|path| is_plain_path(path))
        }),
        _ => None,
    })
}

fn srv_services(domain: &str, answers: &[Answered]) -> Vec<OfferedService> {
    let mut services: Vec<OfferedService> = Vec::new();
    for service in Service::ACCOUNT {
        let Some((kind, secure)) = service.offered() else {
            continue;
        };
        // The plaintext form is shown only when the TLS form is missing.
        if !secure && services.iter().any(|found| found.service == kind) {
            continue;
        }
        let Some((answered, response)) = answers
            .iter()
            .filter(|answered| answered.query.purpose == Purpose::Srv(service))
            .find_map(|answered| Some((answered, answered.result.as_ref().ok()?)))
        else {
            continue;
        };
        let Outcome::Srv(records) = &response.outcome else {
            continue;
        };
        if explicitly_not_offered(records) {
            continue;
        }
        let Some(record) = order_deterministic(records).into_iter().find(|record| {
            record.port != 0
                && crate::formats::check_host(record.target.trim_end_matches('.')).is_ok()
        }) else {
            continue;
        };
        let path = match service {
            Service::Caldavs | Service::Carddavs => context_path(answers, service),
            _ => None,
        }
        .unwrap_or_else(|| kind.well_known_path().unwrap_or("/").to_owned());
        let (scheme, default_port) = if secure { ("https", 443) } else { ("http", 80) };
        let port = if record.port == default_port {
            String::new()
        } else {
            format!(":{}", record.port)
        };
        let owner = &answered.query.question.name;
        let mut found = format!(
            "Published in DNS: {owner} SRV {} {} {} {}.",
            record.priority, record.weight, record.port, record.target
        );
        let mut trust = vec![published_host(&record.target, domain)];
        if response.authentic_data {
            trust.push(Trust::DnssecValidated);
        }
        if !secure {
            trust.push(Trust::Unauthenticated);
            found.push_str(" Only without encryption: Portolan does not write it into any file.");
        }
        trust.sort();
        services.push(OfferedService {
            service: kind,
            endpoint: ServiceEndpoint::Url {
                url: format!("{scheme}://{}{port}{path}", record.target),
            },
            username: None,
            auth: Vec::new(),
            source: Source::Srv,
            trust,
            found,
        });
    }
    services
}

/// The services whose well-known URI on the domain answered with anything but "not found"
/// (a redirect followed, `401`, `207`, ...): clients start there (RFC 6764 §5).
fn well_known_services(fetched: &[Fetched]) -> Vec<OfferedService> {
    fetched
        .iter()
        .filter_map(|fetch| {
            let FileKind::WellKnown(service) = fetch.kind else {
                return None;
            };
            let answered = matches!(fetch.status, 200..=299 | 401 | 403 | 405);
            answered.then(|| OfferedService {
                service,
                endpoint: ServiceEndpoint::Url {
                    url: fetch.url.clone(),
                },
                username: None,
                auth: Vec::new(),
                source: Source::WellKnown,
                trust: vec![Trust::SameDomain],
                found: format!(
                    "{} answered (HTTP {}): the domain offers {} there.",
                    fetch.url,
                    fetch.status,
                    service.label()
                ),
            })
        })
        .collect()
}

/// The services in the domain's own autoconfig file (version 1.2 sections), placeholders
/// filled in.
fn autoconfig_services(input: &MailInput, fetched: &[Fetched]) -> Vec<OfferedService> {
    let Some((url, config)) = fetched
        .iter()
        .filter(|fetch| fetch.kind == FileKind::Autoconfig)
        .find_map(|fetch| {
            let text = fetch.body.as_ref().ok()?;
            Some((fetch.url.as_str(), autoconfig::parse(text).ok()?))
        })
    else {
        return Vec::new();
    };
    let servers = config
        .providers
        .iter()
        .flat_map(|provider| provider.incoming.iter())
        .chain(config.sections.iter().map(|section| &section.server));
    let found = format!("Published in the domain's autoconfig file ({url}).");
    servers
        .filter_map(|server| {
            let mut server = server.clone();
            server.url = server
                .url
                .map(|url| autoconfig::substitute_placeholders(&url, input));
            server.hostname = server
                .hostname
                .map(|host| autoconfig::substitute_placeholders(&host, input));
            let mut service = server.to_service(Source::Autoconfig, &found)?;
            let host = match &service.endpoint {
                ServiceEndpoint::Url { url } => url_parts(url).map(|parts| parts.host),
                ServiceEndpoint::Host { host, .. } => Some(host.as_str()),
            };
            service.trust = vec![
                host.map_or(Trust::ThirdPartyTargetNeedsConfirmation, |host| {
                    published_host(host, &input.domain.ascii)
                }),
            ];
            Some(service)
        })
        .collect()
}
