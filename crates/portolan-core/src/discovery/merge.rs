//! Merging every source into one ranked, explained result.
//!
//! Ranking, in order of weight:
//! 1. Plaintext last, whatever its source: Portolan never recommends sending a password in the
//!    clear.
//! 2. The source: what the domain itself publishes (SRV, then autoconfig, then Autodiscover)
//!    before Portolan's curated knowledge, then the knowledge matched through MX, then guesses.
//! 3. IMAP before POP3: IMAP keeps mail and folders on the server for every device.
//! 4. Implicit TLS before STARTTLS (RFC 8314 §5.1).
//! 5. The order within the source (RFC 2782 order for SRV, file order for published files).
//!
//! The same endpoint from several sources appears once, under its best source, with the
//! trust markers and reasons of all of them. Sources that disagree are reported as conflicts.

use std::collections::{BTreeMap, BTreeSet};

use crate::address::MailInput;
use crate::dns::Outcome;
use crate::knowledge;
use crate::model::{
    Candidate, Conflict, Discovery, FoundBy, KnowledgeTable, Protocol, ProviderMatch, Role,
    Security, Source,
};

use super::answered::{fetch_lookup, responses, Answered};
use super::known::{guess_candidates, knowledge_candidates, known_unavailable};
use super::mx::{MxDepth, MxProvider};
use super::plan::Purpose;
use super::published::{candidates_from, Fetched, FileKind};
use super::srv::{describe_security, srv_candidates};
use super::trust;

/// Merges the answers to the planned lookups and the fetched published files into the final
/// result. With no answers and no fetches (offline), only the knowledge base and guesses count.
pub fn merge(input: &MailInput, answers: &[Answered], fetched: &[Fetched]) -> Discovery {
    let domain = input.domain.ascii.as_str();
    let (srv, mut unavailable) = srv_candidates(domain, answers);
    let own_provider = knowledge::by_domain(domain);
    // A provider known to offer no mail-client access gets no guesses either.
    let without_access = known_unavailable(own_provider);
    let guesses_allowed = without_access.is_empty();
    unavailable.extend(without_access);
    let (autoconfig, mut skipped) = candidates_from(input, FileKind::Autoconfig, fetched);
    let from_pacc = super::pacc::from_pacc(input, answers, fetched);
    skipped.extend(from_pacc.skipped.clone());
    let mut from_files = |kind| {
        let (candidates, skipped_here) = candidates_from(input, kind, fetched);
        skipped.extend(skipped_here);
        candidates
    };
    let autodiscover = from_files(FileKind::Autodiscover);

    let ispdb_service = from_files(FileKind::IspdbService);
    // The MX provider's own file first; the live ISPDB answer for it only without one.
    let mut via_mx = from_files(FileKind::MxAutoconfig);
    let mut via_mx_told_by = KnowledgeTable::ProviderFile;
    let via_mx_ispdb = from_files(FileKind::MxIspdbService);
    if via_mx.is_empty() {
        via_mx = via_mx_ispdb;
        via_mx_told_by = KnowledgeTable::IspdbService;
    }
    let mx = super::mx::mx_records(answers);
    // The MX path proper (MXFULL, MXBASE) only when nothing the domain publishes decided;
    // the curated MX rules are always compared.
    let decided = !(srv.is_empty()
        && from_pacc.candidates.is_empty()
        && autoconfig.is_empty()
        && autodiscover.is_empty()
        && ispdb_service.is_empty());
    let depth = if decided {
        MxDepth::RulesOnly
    } else {
        MxDepth::Full
    };
    let via_mx_knowledge = own_provider
        .is_none()
        .then(|| super::mx::provider_for(&mx, depth))
        .flatten();
    let known = knowledge_candidates(input, own_provider, via_mx_knowledge.as_ref());
    // Files fetched in the MX path's second round count only when nothing else decided.
    if decided || via_mx_knowledge.is_some() {
        via_mx.clear();
    }
    let provider = provider_match(input, own_provider, via_mx_knowledge).or_else(|| {
        let names = super::mx::mx_names(&mx).filter(|_| !via_mx.is_empty())?;
        Some(ProviderMatch {
            id: names.base.clone(),
            name: names.base.clone(),
            knowledge: via_mx_told_by,
            found_by: FoundBy::Mx,
            reason: super::mx::confirmation_reason(&names, &names.base),
            mx_host: Some(names.host),
            registrable_domain: Some(names.base),
            needs_confirmation: true,
        })
    });
    let domain_missing =
        responses(answers, Purpose::Mx).any(|response| response.outcome == Outcome::NxDomain);

    let mut found: Vec<Candidate> = srv
        .into_iter()
        .chain(from_pacc.candidates)
        .chain(autoconfig)
        .chain(autodiscover)
        .chain(ispdb_service)
        .chain(known)
        .chain(via_mx)
        .collect();
    let mut conflicts = conflicts_between_sources(&found);
    conflicts.extend(conflicts_with_unavailable(&found, &unavailable));

    // Guesses only fill a role nothing better covers, and never contradict an explicit "no".
    let covered: BTreeSet<Role> = found.iter().map(|c| c.protocol.role()).collect();
    let guesses = if guesses_allowed {
        guess_candidates(input)
    } else {
        Vec::new()
    };
    for mut guess in guesses {
        let role = guess.protocol.role();
        let refused = unavailable
            .iter()
            .any(|u| u.protocol == guess.protocol && u.security == guess.security);
        if covered.contains(&role) || refused {
            continue;
        }
        guess.reasons.push(format!(
            "No SRV record, published file or known provider names a server for {} mail.",
            match role {
                Role::Incoming => "incoming",
                Role::Outgoing => "outgoing",
            }
        ));
        if domain_missing {
            guess.reasons.push(format!(
                "DNS says {domain} does not exist (NXDOMAIN), so this guess will most likely fail."
            ));
        }
        found.push(guess);
    }

    let ranked = rank(dedupe(found));
    let (incoming, outgoing): (Vec<Candidate>, Vec<Candidate>) = ranked
        .into_iter()
        .partition(|candidate| candidate.protocol.role() == Role::Incoming);

    let mut lookups: Vec<_> = answers.iter().map(Answered::to_lookup).collect();
    // A file that came back but could not be used says why, next to its fetch.
    lookups.extend(fetched.iter().map(|fetch| {
        let mut lookup = fetch_lookup(fetch);
        if lookup.error.is_none() {
            lookup.error = skipped
                .iter()
                .find(|skip| skip.url == fetch.url)
                .map(|skip| skip.reason.clone());
        }
        lookup
    }));

    Discovery {
        address: input.address_ascii(),
        domain: input.domain.ascii.clone(),
        incoming,
        outgoing,
        unavailable,
        conflicts,
        lookups,
        probed: Vec::new(),
        provider,
        services: super::services::offered_services(input, answers, fetched, from_pacc.services),
        resolver_conflicts: Vec::new(),
    }
}

/// The provider the knowledge names: the domain's own, or the one its MX points at.
fn provider_match(
    input: &MailInput,
    own: Option<&knowledge::Provider>,
    via_mx: Option<MxProvider>,
) -> Option<ProviderMatch> {
    if let Some(provider) = own {
        return Some(ProviderMatch {
            id: provider.id.to_owned(),
            name: provider.name.to_owned(),
            knowledge: provider.table(),
            found_by: FoundBy::Domain,
            mx_host: None,
            registrable_domain: None,
            needs_confirmation: false,
            reason: format!(
                "{} is {}'s own domain in Portolan's provider list.",
                input.domain.ascii, provider.name
            ),
        });
    }
    let found = via_mx?;
    Some(ProviderMatch {
        id: found.provider.id.to_owned(),
        name: found.provider.name.to_owned(),
        knowledge: found.provider.table(),
        found_by: FoundBy::Mx,
        reason: super::mx::confirmation_reason(&found.names, found.provider.name),
        mx_host: Some(found.names.host),
        registrable_domain: Some(found.names.base),
        needs_confirmation: true,
    })
}

/// One entry per endpoint, under its best source, with the others' trust and reasons.
fn dedupe(candidates: Vec<Candidate>) -> Vec<(usize, Candidate)> {
    let mut kept: Vec<(usize, Candidate)> = Vec::new();
    let mut position_in_source: BTreeMap<Source, usize> = BTreeMap::new();
    for candidate in candidates {
        let index = position_in_source.entry(candidate.source).or_insert(0);
        let this_index = *index;
        *index += 1;
        let existing = kept
            .iter_mut()
            .find(|(_, other)| other.endpoint() == candidate.endpoint());
        match existing {
            None => kept.push((this_index, candidate)),
            Some((kept_index, best)) => {
                let worse = if candidate.source < best.source {
                    *kept_index = this_index;
                    std::mem::replace(best, candidate)
                } else {
                    candidate
                };
                for marker in &worse.trust {
                    trust::add(best, *marker);
                }
                if best.auth.is_empty() {
                    best.auth = worse.auth;
                }
                best.reasons.push(format!(
                    "Also given by {}{}",
                    worse.source.as_str(),
                    worse
                        .reasons
                        .first()
                        .map(|reason| format!(": {reason}"))
                        .unwrap_or_else(|| ".".into())
                ));
            }
        }
    }
    kept
}

fn rank(mut candidates: Vec<(usize, Candidate)>) -> Vec<Candidate> {
    candidates.sort_by(|(a_index, a), (b_index, b)| {
        (a.security == Security::Plain)
            .cmp(&(b.security == Security::Plain))
            .then(a.source.cmp(&b.source))
            .then(a.protocol.cmp(&b.protocol))
            .then(a.security.cmp(&b.security))
            .then(a_index.cmp(b_index))
            .then(a.host.cmp(&b.host))
            .then(a.port.cmp(&b.port))
    });
    candidates
        .into_iter()
        .map(|(_, candidate)| candidate)
        .collect()
}

type Endpoint = (String, u16, Security);

/// For each protocol, the best source's servers against every other source's: when they share
/// no endpoint, the sources disagree.
fn conflicts_between_sources(candidates: &[Candidate]) -> Vec<Conflict> {
    let mut by_protocol: BTreeMap<Protocol, BTreeMap<Source, BTreeSet<Endpoint>>> = BTreeMap::new();
    for candidate in candidates {
        by_protocol
            .entry(candidate.protocol)
            .or_default()
            .entry(candidate.source)
            .or_default()
            .insert((candidate.host.clone(), candidate.port, candidate.security));
    }
    let mut conflicts = Vec::new();
    for (protocol, sources) in by_protocol {
        let mut iter = sources.iter();
        let Some((top_source, top)) = iter.next() else {
            continue;
        };
        for (source, endpoints) in iter {
            if top.is_disjoint(endpoints) {
                conflicts.push(Conflict {
                    protocol,
                    sources: vec![*top_source, *source],
                    description: format!(
                        "For {}, {} gives {} but {} gives {}.",
                        protocol.label(),
                        top_source.as_str(),
                        describe(top),
                        source.as_str(),
                        describe(endpoints)
                    ),
                });
            }
        }
    }
    conflicts
}

/// A service the domain says it does not offer, while another source lists it.
fn conflicts_with_unavailable(
    candidates: &[Candidate],
    unavailable: &[crate::model::Unavailable],
) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    for refused in unavailable {
        let mut offering: BTreeMap<Source, BTreeSet<Endpoint>> = BTreeMap::new();
        for candidate in candidates.iter().filter(|c| {
            c.protocol == refused.protocol
                && c.security == refused.security
                && c.source != Source::Srv
        }) {
            offering.entry(candidate.source).or_default().insert((
                candidate.host.clone(),
                candidate.port,
                candidate.security,
            ));
        }
        for (source, endpoints) in offering {
            conflicts.push(Conflict {
                protocol: refused.protocol,
                sources: vec![Source::Srv, source],
                description: format!(
                    "{} says {} with {} is not offered, but {} gives {}.",
                    refused.record,
                    refused.protocol.label(),
                    describe_security(refused.security),
                    source.as_str(),
                    describe(&endpoints)
                ),
            });
        }
    }
    conflicts
}

fn describe(endpoints: &BTreeSet<Endpoint>) -> String {
    endpoints
        .iter()
        .map(|(host, port, security)| format!("{host}:{port} ({})", security.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
