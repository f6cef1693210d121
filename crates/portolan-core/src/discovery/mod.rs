//! Discovery: from an address to ranked, explained server candidates, without I/O.
//!
//! A driver (the CLI, the browser app) asks [`plan`] for the DNS lookups and
//! [`autoconfig_urls`] / [`autodiscover_urls`] for the published files, carries them all out
//! at once, in parallel, and hands everything it got to [`merge`], which returns the
//! [`crate::model::Discovery`] the user sees. Offline, [`merge`] with nothing fetched uses
//! only the knowledge base and guesses.

mod answered;
mod confirm;
mod known;
mod merge;
pub mod mx;
mod pacc;
mod plan;
mod published;
mod rounds;
mod second_opinion;
mod services;
pub mod srv;
mod trust;

pub use answered::{
    ask_resolvers_in_turn, fetch_lookup, read_doh_answer, try_next_resolver, Answered, LookupError,
    MAX_DOH_ANSWER_BYTES,
};
pub use confirm::{confirm_guesses, guesses_to_probe};
pub use merge::merge;
pub use plan::{plan, PlannedQuery, Purpose, Service};
pub use published::{
    autoconfig_candidates, autoconfig_urls, autoconfig_urls_at, autodiscover_candidates,
    autodiscover_srv_urls, autodiscover_urls, candidates_from, Fetched, FileKind, Skipped,
};
pub use rounds::{
    first_batch, ispdb_request, pacc_request, second_round, well_known_requests, FetchBases,
    FetchRequest, ISPDB_SERVICE, MX_AUTOCONFIG, PACC_DOCUMENT, WELL_KNOWN_BASE,
};
pub use second_opinion::add_second_opinion;
pub use services::offered_services;
pub use trust::within_domain;

#[cfg(test)]
mod tests;
