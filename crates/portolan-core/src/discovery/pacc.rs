//! The domain's PACC document in discovery: fetched in the first batch beside its
//! `_ua-auto-config` TXT record, and used only when a digest in that record matches the
//! document's exact bytes. Either way the result says so: on the candidates when it matched,
//! on the fetch's row of the lookups report when it did not.

use crate::address::MailInput;
use crate::dns::Outcome;
use crate::formats::pacc::{self, Verification};
use crate::model::{Candidate, OfferedService, Trust};

use super::answered::{responses, Answered};
use super::plan::Purpose;
use super::published::{Fetched, FileKind, Skipped};
use super::trust;

/// What the PACC document gave.
#[derive(Debug, Default)]
pub(super) struct FromPacc {
    pub candidates: Vec<Candidate>,
    pub services: Vec<OfferedService>,
    /// The fetch that was not used, and why.
    pub skipped: Option<Skipped>,
}

/// Reads the fetched document (the first one that came back) against the TXT answer.
pub(super) fn from_pacc(input: &MailInput, answers: &[Answered], fetched: &[Fetched]) -> FromPacc {
    let Some((url, body)) = fetched
        .iter()
        .filter(|fetch| fetch.kind == FileKind::Pacc)
        .find_map(|fetch| Some((fetch.url.as_str(), fetch.body.as_ref().ok()?)))
    else {
        return FromPacc::default();
    };
    let skip = |reason: String| FromPacc {
        skipped: Some(Skipped {
            url: url.to_owned(),
            reason,
        }),
        ..FromPacc::default()
    };
    let document = match pacc::parse_document(body) {
        Ok(document) => document,
        Err(error) => return skip(error.to_string()),
    };
    let domain = &input.domain.ascii;
    let record = pacc::record_name(domain);
    let mut values: Vec<String> = Vec::new();
    let mut validated = false;
    for response in responses(answers, Purpose::PaccDigest) {
        if let Outcome::Txt(texts) = &response.outcome {
            values.extend(texts.iter().cloned());
            validated |= response.authentic_data;
        }
    }
    let verdict = pacc::verify(body.as_bytes(), &values);
    let sentence = verdict.describe(&record);
    if verdict != Verification::Matched {
        return skip(sentence);
    }
    let origin = format!("Published by the domain in its PACC document at {url}.");
    let mark = |reasons: &mut Vec<String>| {
        reasons.insert(0, origin.clone());
        reasons.insert(1, sentence.clone());
        if validated {
            reasons.push("The resolver validated the TXT record with DNSSEC (AD flag).".into());
        }
    };
    let candidates = document
        .candidates()
        .into_iter()
        .map(|mut candidate| {
            mark(&mut candidate.reasons);
            trust::mark_published(&mut candidate, domain);
            if validated {
                trust::add(&mut candidate, Trust::DnssecValidated);
            }
            candidate
        })
        .collect();
    let services = document
        .services(&format!("{origin} {sentence}"))
        .into_iter()
        .map(|mut service| {
            let host = match &service.endpoint {
                crate::model::ServiceEndpoint::Url { url } => {
                    crate::model::url_parts(url).map(|parts| parts.host.to_owned())
                }
                crate::model::ServiceEndpoint::Host { host, .. } => Some(host.clone()),
            };
            service.trust = vec![
                host.map_or(Trust::ThirdPartyTargetNeedsConfirmation, |host| {
                    trust::published_host(&host, domain)
                }),
            ];
            if validated {
                service.trust.insert(0, Trust::DnssecValidated);
            }
            service
        })
        .collect();
    FromPacc {
        candidates,
        services,
        skipped: None,
    }
}
