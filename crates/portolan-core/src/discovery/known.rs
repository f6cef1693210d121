//! The offline sources: Portolan's provider knowledge base (by domain, or by the domain's MX
//! hosts) and host-name guesses.

use crate::address::MailInput;
use crate::dns::MxRecord;
use crate::model::{Candidate, Source};
use crate::{guess, knowledge};

/// Candidates from the knowledge base: the domain's own entry, or, failing that, the provider
/// that hosts the domain's mail according to its MX records (best preference first).
pub fn knowledge_candidates(input: &MailInput, mx: &[MxRecord]) -> Vec<Candidate> {
    if let Some(provider) = knowledge::by_domain(&input.domain.ascii) {
        return provider.candidates(input, Source::KnowledgeBase);
    }
    let mut sorted: Vec<&MxRecord> = mx.iter().filter(|record| record.exchange != ".").collect();
    sorted.sort();
    let hosts: Vec<&str> = sorted
        .iter()
        .map(|record| record.exchange.as_str())
        .collect();
    if hosts.is_empty() {
        return Vec::new();
    }
    match knowledge::by_mx(&hosts) {
        Some((provider, matched)) => provider.candidates_via_mx(input, &matched),
        None => Vec::new(),
    }
}

/// Guessed candidates, each marked unverified by the guess module.
pub fn guess_candidates(input: &MailInput) -> Vec<Candidate> {
    guess::guesses(&input.domain)
}
