//! The offline sources: Portolan's provider knowledge base (by domain, or by the domain's MX
//! hosts) and host-name guesses.

use super::mx::MxProvider;
use crate::address::MailInput;
use crate::guess;
use crate::knowledge::{Access, Provider};
use crate::model::{Candidate, Protocol, Security, Source, Trust, Unavailable};

/// Candidates from the knowledge base: the domain's own entry (`own`, from
/// [`knowledge::by_domain`]), or, failing that, the provider that hosts the domain's mail
/// according to its best MX record (see [`super::mx`]), each marked as needing the user's
/// confirmation with the provider's registrable domain named.
pub fn knowledge_candidates(
    input: &MailInput,
    own: Option<&Provider>,
    via_mx: Option<&MxProvider>,
) -> Vec<Candidate> {
    if let Some(provider) = own {
        return provider.candidates(input, Source::KnowledgeBase);
    }
    let Some(found) = via_mx else {
        return Vec::new();
    };
    let reason = super::mx::confirmation_reason(&found.names, found.provider.name);
    found
        .provider
        .candidates_via_mx(input, &found.names.host)
        .into_iter()
        .map(|mut candidate| {
            super::trust::add(&mut candidate, Trust::ThirdPartyTargetNeedsConfirmation);
            candidate.reasons.insert(1, reason.clone());
            candidate
        })
        .collect()
}

/// What the knowledge base says the domain's own provider (`own`), when it offers no
/// mail-client access, does not offer: Tuta and HEY have no IMAP, POP3 or SMTP, and a closed
/// service has nothing. Guesses must not pretend otherwise.
pub fn known_unavailable(own: Option<&Provider>) -> Vec<Unavailable> {
    let Some(provider) = own else {
        return Vec::new();
    };
    if !matches!(provider.access, Access::ProviderAppsOnly | Access::Closed) {
        return Vec::new();
    }
    let why = provider
        .notes
        .first()
        .map(|note| (*note).to_owned())
        .unwrap_or_else(|| format!("{} offers no access for mail apps.", provider.name));
    [Protocol::Imap, Protocol::Pop3, Protocol::Submission]
        .into_iter()
        .map(|protocol| Unavailable {
            protocol,
            security: Security::Tls,
            record: format!("{} (Portolan's provider list)", provider.id),
            reason: why.clone(),
        })
        .collect()
}

/// Guessed candidates, each marked unverified by the guess module.
pub fn guess_candidates(input: &MailInput) -> Vec<Candidate> {
    guess::guesses(&input.domain)
}
