//! Files the domain publishes over HTTPS: Mozilla autoconfig and Microsoft Autodiscover. The
//! URLs to fetch, and the fetched text turned into candidates with placeholders resolved.

use crate::address::MailInput;
use crate::formats::{autoconfig, autodiscover, percent_encode};
use crate::model::{Candidate, ServiceKind, Source, Trust, UsernameForm};

use super::answered::{responses, Answered};
use super::plan::{Purpose, Service};
use super::srv::order_deterministic;
use super::trust;
use crate::dns::Outcome;

/// Which kind of published file a fetch was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    /// Mozilla autoconfig, fetched with GET.
    Autoconfig,
    /// Microsoft Autodiscover (POX), fetched with a POST of [`autodiscover::request_body`].
    Autodiscover,
    /// The autoconfig file of the provider the domain's MX points at (`autoconfig.MXFULL`,
    /// `autoconfig.MXBASE`), fetched in the second round.
    MxAutoconfig,
    /// Thunderbird's ISP database service, asked live for a domain the bundled knowledge does
    /// not know (`https://autoconfig.thunderbird.net/v1.1/DOMAIN`).
    IspdbService,
    /// The same service asked for the registrable domain of the MX (`MXBASE`), in the second
    /// round.
    MxIspdbService,
    /// The domain's MTA-STS policy (RFC 8461 §3.2), fetched by the provider audit only.
    MtaStsPolicy,
    /// The domain's PACC document (draft-ietf-mailmaint-pacc), trusted only when its digest
    /// matches the `_ua-auto-config` TXT record.
    Pacc,
    /// A service's well-known URI on the domain (`/.well-known/jmap`, `caldav`, `carddav`):
    /// any answer but "not found" says the domain offers it there.
    WellKnown(ServiceKind),
}

impl FileKind {
    /// The upper-case name used in the `lookups` report.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Autoconfig => "AUTOCONFIG",
            FileKind::Autodiscover => "AUTODISCOVER",
            FileKind::MxAutoconfig => "AUTOCONFIG-MX",
            FileKind::IspdbService => "ISPDB",
            FileKind::MxIspdbService => "ISPDB-MX",
            FileKind::MtaStsPolicy => "MTA-STS",
            FileKind::Pacc => "PACC",
            FileKind::WellKnown(ServiceKind::Jmap) => "WELL-KNOWN-JMAP",
            FileKind::WellKnown(ServiceKind::Caldav) => "WELL-KNOWN-CALDAV",
            FileKind::WellKnown(ServiceKind::Carddav) => "WELL-KNOWN-CARDDAV",
            FileKind::WellKnown(_) => "WELL-KNOWN",
        }
    }
}

/// What a driver got when it fetched one published file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub kind: FileKind,
    pub url: String,
    /// The HTTP status (0 when no answer came back).
    pub status: u16,
    /// The body of a successful answer, or what went wrong.
    pub body: Result<String, String>,
    /// Wall time, as measured by the driver.
    pub milliseconds: u64,
}

/// The autoconfig URLs for `input`, most specific first: the `autoconfig.` subdomain with the
/// address as a query parameter, then the domain's `.well-known` location. Only HTTPS: a file
/// fetched over plain HTTP could be swapped by anyone on the path.
pub fn autoconfig_urls(input: &MailInput) -> Vec<String> {
    autoconfig_urls_at(
        input,
        &[
            format!(
                "https://autoconfig.{}/mail/config-v1.1.xml",
                input.domain.ascii
            ),
            format!(
                "https://{}/.well-known/autoconfig/mail/config-v1.1.xml",
                input.domain.ascii
            ),
        ],
    )
}

/// The same URLs on other bases (tests use loopback servers): each base gets the
/// `emailaddress` query parameter when there is an address.
pub fn autoconfig_urls_at(input: &MailInput, bases: &[String]) -> Vec<String> {
    let address = input
        .address_ascii()
        .map(|address| percent_encode(&address));
    bases
        .iter()
        .map(|base| match &address {
            Some(address) => {
                let separator = if base.contains('?') { '&' } else { '?' };
                format!("{base}{separator}emailaddress={address}")
            }
            None => base.clone(),
        })
        .collect()
}

/// The Autodiscover URLs for `input` (POST targets), or none for a bare domain: the request
/// names the address.
pub fn autodiscover_urls(input: &MailInput) -> Vec<String> {
    if input.local_part.is_none() {
        return Vec::new();
    }
    vec![
        format!(
            "https://autodiscover.{}/autodiscover/autodiscover.xml",
            input.domain.ascii
        ),
        format!(
            "https://{}/autodiscover/autodiscover.xml",
            input.domain.ascii
        ),
    ]
}

/// Autodiscover URLs named by the domain's `_autodiscover._tcp` SRV records (Microsoft's
/// DNS-based redirect), in RFC 2782 order; none for a bare domain. A driver fetches these in a
/// second step, only when the SRV lookup found a target.
pub fn autodiscover_srv_urls(input: &MailInput, answers: &[Answered]) -> Vec<String> {
    if input.local_part.is_none() {
        return Vec::new();
    }
    responses(answers, Purpose::Srv(Service::Autodiscover))
        .filter_map(|response| match &response.outcome {
            Outcome::Srv(records) => Some(order_deterministic(records)),
            _ => None,
        })
        .flatten()
        .map(|record| {
            if record.port == 443 {
                format!("https://{}/autodiscover/autodiscover.xml", record.target)
            } else {
                format!(
                    "https://{}:{}/autodiscover/autodiscover.xml",
                    record.target, record.port
                )
            }
        })
        .collect()
}

/// A fetched file that gave no candidates, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The URL the file came from.
    pub url: String,
    /// Why it was not used, in plain words.
    pub reason: String,
}

/// Candidates from the first fetched file of `kind` that parses, with the reason each file
/// before it was not used.
pub fn candidates_from(
    input: &MailInput,
    kind: FileKind,
    fetched: &[Fetched],
) -> (Vec<Candidate>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    for fetch in fetched.iter().filter(|fetch| fetch.kind == kind) {
        let body = match &fetch.body {
            Ok(body) => body,
            Err(error) => {
                skipped.push(Skipped {
                    url: fetch.url.clone(),
                    reason: error.clone(),
                });
                continue;
            }
        };
        let parsed = match kind {
            FileKind::Autodiscover => autodiscover_candidates(input, body),
            _ => autoconfig_candidates(input, body),
        };
        let reason = match parsed {
            Ok(mut candidates) if !candidates.is_empty() => {
                for candidate in &mut candidates {
                    mark_as_fetched(candidate, kind, &fetch.url);
                }
                return (candidates, skipped);
            }
            Ok(_) => "the file names no usable mail server.".to_owned(),
            Err(error) => error,
        };
        skipped.push(Skipped {
            url: fetch.url.clone(),
            reason,
        });
    }
    (Vec::new(), skipped)
}

/// Says where a fetched candidate came from; what came through the MX also needs the user's
/// confirmation, and what came from the ISPDB service counts as that knowledge.
fn mark_as_fetched(candidate: &mut Candidate, kind: FileKind, url: &str) {
    let origin = match kind {
        FileKind::Autoconfig
        | FileKind::Autodiscover
        | FileKind::MtaStsPolicy
        | FileKind::Pacc
        | FileKind::WellKnown(_) => {
            format!("Published by the domain at {url}.")
        }
        FileKind::MxAutoconfig | FileKind::MxIspdbService => {
            candidate.source = Source::Mx;
            trust::add(candidate, Trust::ThirdPartyTargetNeedsConfirmation);
            let what = if kind == FileKind::MxAutoconfig {
                "Published at"
            } else {
                "Listed by Thunderbird's ISP database service at"
            };
            format!(
                "{what} {url} for the provider your domain's MX record points at; confirm \
                 that this provider hosts your mail before you enter your password."
            )
        }
        FileKind::IspdbService => {
            candidate.source = Source::KnowledgeBase;
            format!(
                "From Thunderbird's ISP database service ({url}), asked live because \
                 Portolan's bundled list does not know this domain."
            )
        }
    };
    candidate.reasons.insert(0, origin);
}

/// Parses an autoconfig file into candidates for `input`, placeholders resolved.
pub fn autoconfig_candidates(input: &MailInput, text: &str) -> Result<Vec<Candidate>, String> {
    let config = autoconfig::parse(text).map_err(|error| error.to_string())?;
    let mut candidates = Vec::new();
    for provider in &config.providers {
        for server in provider.incoming.iter().chain(&provider.outgoing) {
            let mut server = server.clone();
            server.hostname = server
                .hostname
                .map(|host| autoconfig::substitute_placeholders(&host, input));
            let Some(candidate) = server.to_candidate(Source::Autoconfig) else {
                continue;
            };
            candidates.push(finish(input, candidate));
        }
    }
    Ok(candidates)
}

/// Parses an Autodiscover POX response into candidates for `input`.
pub fn autodiscover_candidates(input: &MailInput, text: &str) -> Result<Vec<Candidate>, String> {
    let response = autodiscover::parse(text).map_err(|error| error.to_string())?;
    let account = match response {
        autodiscover::AutodiscoverResponse::Account(account) => account,
        autodiscover::AutodiscoverResponse::Error { code, message } => {
            return Err(format!(
                "the server answered with an error ({}{})",
                code.unwrap_or_default(),
                message.map(|text| format!(": {text}")).unwrap_or_default()
            ))
        }
    };
    match account.action() {
        autodiscover::Action::RedirectAddr(address) => {
            return Err(format!(
                "the server redirects to the address {address}, which Portolan does not follow"
            ));
        }
        autodiscover::Action::RedirectUrl(url) => {
            return Err(format!(
                "the server redirects to {url}, which Portolan does not follow"
            ));
        }
        _ => {}
    }
    Ok(account
        .protocols
        .iter()
        .filter_map(|block| {
            let mut block = block.clone();
            block.server = block
                .server
                .map(|host| autoconfig::substitute_placeholders(&host, input));
            block.to_candidate(Source::Autodiscover)
        })
        .map(|candidate| finish(input, candidate))
        .collect())
}

/// Resolves the user-name template, marks trust and explains plaintext.
fn finish(input: &MailInput, mut candidate: Candidate) -> Candidate {
    candidate.username = resolve_username(input, &candidate.username);
    trust::mark_published(&mut candidate, &input.domain.ascii);
    if candidate.security == crate::model::Security::Plain {
        trust::add(&mut candidate, Trust::Unauthenticated);
        candidate.reasons.push(
            "The file offers this server without encryption: the password would travel in the clear."
                .into(),
        );
    }
    candidate
}

/// Maps a templated user name onto the known forms once the placeholders are filled in.
fn resolve_username(input: &MailInput, form: &UsernameForm) -> UsernameForm {
    let UsernameForm::Other(template) = form else {
        return form.clone();
    };
    UsernameForm::of_login(&autoconfig::substitute_placeholders(template, input), input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::parse_input;

    #[test]
    fn autoconfig_urls_carry_the_encoded_address() {
        let input = parse_input("a+b@Bücher.example").unwrap();
        assert_eq!(
            autoconfig_urls(&input),
            [
                "https://autoconfig.xn--bcher-kva.example/mail/config-v1.1.xml?emailaddress=a%2Bb%40xn--bcher-kva.example",
                "https://xn--bcher-kva.example/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=a%2Bb%40xn--bcher-kva.example",
            ]
        );
        let domain_only = parse_input("example.com").unwrap();
        assert_eq!(
            autoconfig_urls(&domain_only)[0],
            "https://autoconfig.example.com/mail/config-v1.1.xml"
        );
        assert!(autodiscover_urls(&domain_only).is_empty());
        assert_eq!(autodiscover_urls(&input).len(), 2);
    }
}
