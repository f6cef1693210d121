//! What the account also offers besides IMAP, POP3 and SMTP: JMAP, CalDAV and CardDAV from
//! their SRV records, and every service section of the domain's autoconfig 1.2 file. Shown
//! to the user and written into the files that know them; never ranked against the mail
//! servers.
//!
//! From DNS, the URL is built as the RFC says a client does: for CalDAV and CardDAV the SRV
//! target and port with the TXT record's `path=` (RFC 6764 §4), or `/.well-known/caldav` and
//! `/.well-known/carddav` without one (§5); for JMAP the target and port with
//! `/.well-known/jmap` (RFC 8620 §2.2). The first record in RFC 2782 order is the one shown.

use crate::address::MailInput;
use crate::dns::Outcome;
use crate::formats::autoconfig;
use crate::model::{url_parts, OfferedService, ServiceEndpoint, ServiceKind, Source, Trust};

use super::answered::{responses, Answered};
use super::plan::{Purpose, Service};
use super::published::{Fetched, FileKind};
use super::srv::{explicitly_not_offered, order_deterministic};
use super::trust::within_domain;

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
    let mut unique: Vec<OfferedService> = Vec::new();
    for service in services {
        match unique
            .iter_mut()
            .find(|seen| seen.service == service.service && seen.endpoint == service.endpoint)
        {
            Some(seen) => {
                seen.found = format!("{} Also in {}", seen.found, service.found);
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
                .filter(|path| path.starts_with('/'))
        }),
        _ => None,
    })
}

/// The well-known path a client starts from when DNS names no context path.
fn well_known(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::Jmap => "/.well-known/jmap",
        ServiceKind::Caldav => "/.well-known/caldav",
        ServiceKind::Carddav => "/.well-known/carddav",
        _ => "/",
    }
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
        let Some(record) = order_deterministic(records)
            .into_iter()
            .find(|record| record.port != 0)
        else {
            continue;
        };
        let path = match service {
            Service::Caldavs | Service::Carddavs => context_path(answers, service),
            _ => None,
        }
        .unwrap_or_else(|| well_known(kind).to_owned());
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
        let mut trust = vec![if within_domain(&record.target, domain) {
            Trust::SameDomain
        } else {
            Trust::ThirdPartyTargetNeedsConfirmation
        }];
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
            service.trust = vec![match host {
                Some(host) if within_domain(host, &input.domain.ascii) => Trust::SameDomain,
                _ => Trust::ThirdPartyTargetNeedsConfirmation,
            }];
            Some(service)
        })
        .collect()
}
