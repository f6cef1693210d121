//! What the result screen shows, worked out in the engine worker from the discovery and the
//! chosen client, and sent to the page as plain data.
//!
//! [`Report::build`] is the only place that composes portolan-core's `setup` for the browser;
//! the page never runs the engine or a generator itself, so its first screen stays small.

use portolan_core::clients::Client;
use portolan_core::engine::{Grade, Ranked, RoleAdvice};
use portolan_core::model::{AuthMethod, Discovery, Lookup, Security, Source};
use portolan_core::setup::{self, Choices, Export, ExportOptions, Setup};
use portolan_core::MailInput;
use serde::{Deserialize, Serialize};

use crate::strings;

/// One role's part of the result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    /// The recommended setting, if any is usable.
    pub recommended: Option<Ranked>,
    /// The login name for the recommended setting, the address filled in.
    pub login: String,
    /// The engine's one-line summary for this role.
    pub summary: String,
    /// Usable alternatives, then the rejected settings.
    pub others: Vec<Ranked>,
}

/// One file offered for download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// The export's stable name (`mobileconfig`, `autoconfig`, `neomutt`, ...).
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    pub content: String,
}

/// Everything the result screen shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The warnings that apply, in a fixed order.
    pub warnings: Vec<String>,
    pub incoming: RoleReport,
    pub outgoing: RoleReport,
    /// What was looked up, for the "What was looked up" table.
    pub lookups: Vec<Lookup>,
    /// Step-by-step instructions for the client, when it has them.
    pub instructions: Option<String>,
    /// The client's own snippet first, then the standard files.
    pub downloads: Vec<Download>,
}

impl Report {
    /// Runs the engine and the generators for one discovery result and client.
    pub fn build(
        input: &MailInput,
        discovery: &Discovery,
        client: Option<&Client>,
        offline: bool,
    ) -> Report {
        let setup = setup::prepare(input, discovery, &[], client, &Choices::default());
        let write =
            |export| setup::export(export, &setup.settings, client, &ExportOptions::default()).ok();
        let instructions = write(Export::Instructions);
        let downloads = exports_for(client)
            .into_iter()
            .filter_map(|export| {
                write(export).map(|content| Download {
                    name: export.name().to_owned(),
                    file_name: export.file_name(input),
                    content_type: export.content_type().to_owned(),
                    content,
                })
            })
            .collect();
        let recommendation = &setup.recommendation;
        Report {
            warnings: warnings(&setup, discovery, offline),
            incoming: role_report(&recommendation.incoming, &setup),
            outgoing: role_report(&recommendation.outgoing, &setup),
            lookups: discovery.lookups.clone(),
            instructions,
            downloads,
        }
    }

    /// True when a setting was refused outright (plaintext), so the list of others is titled
    /// so. Only rejected settings can be refused; the usable alternatives never are.
    pub fn has_refused(&self) -> bool {
        [&self.incoming, &self.outgoing]
            .iter()
            .any(|role| role.others.iter().any(|r| r.grade == Grade::Refused))
    }
}

fn role_report(advice: &RoleAdvice, setup: &Setup) -> RoleReport {
    RoleReport {
        recommended: advice.recommended.clone(),
        login: advice
            .recommended
            .as_ref()
            .map(|ranked| setup.settings.login_for(&ranked.candidate))
            .unwrap_or_default(),
        summary: advice.summary.clone(),
        others: advice
            .alternatives
            .iter()
            .chain(advice.rejected.iter())
            .cloned()
            .collect(),
    }
}

/// The exports offered for a client: its own snippet first, then the standard files.
fn exports_for(client: Option<&Client>) -> Vec<Export> {
    let mut list: Vec<Export> = client.and_then(Export::for_client).into_iter().collect();
    for standard in [
        Export::Mobileconfig,
        Export::Autoconfig,
        Export::Autodiscover,
    ] {
        if !list.contains(&standard) {
            list.push(standard);
        }
    }
    list
}

/// The warnings that apply, in a fixed order.
fn warnings(setup: &Setup, discovery: &Discovery, offline: bool) -> Vec<String> {
    let mut out = Vec::new();
    if offline {
        out.push(strings::OFFLINE_NOTE.to_owned());
    } else if !discovery.lookups.is_empty()
        && discovery
            .lookups
            .iter()
            .filter(|lookup| lookup.record_type == "SRV" || lookup.record_type == "MX")
            .all(|lookup| lookup.rcode == "TIMEOUT" || lookup.rcode == "ERROR")
    {
        out.push(strings::RESOLVER_FAILED.to_owned());
    }
    let chosen: Vec<&Ranked> = [
        &setup.recommendation.incoming,
        &setup.recommendation.outgoing,
    ]
    .into_iter()
    .filter_map(|advice| advice.recommended.as_ref())
    .collect();
    let auth_needs = |method: AuthMethod| {
        chosen
            .iter()
            .any(|ranked| ranked.candidate.auth.first() == Some(&method))
            || setup
                .provider
                .is_some_and(|provider| provider.auth.first() == Some(&method))
    };
    if auth_needs(AuthMethod::Oauth2) {
        out.push(strings::OAUTH_WARNING.to_owned());
    } else if auth_needs(AuthMethod::AppPassword) {
        out.push(strings::APP_PASSWORD_WARNING.to_owned());
    }
    if let Some(provider) = setup.provider {
        out.extend(provider.notes.iter().map(|note| (*note).to_owned()));
    }
    if chosen.iter().any(|ranked| ranked.needs_confirmation) {
        out.push(strings::CONFIRM_WARNING.to_owned());
    }
    if chosen
        .iter()
        .any(|ranked| ranked.candidate.security == Security::Starttls)
    {
        out.push(strings::STARTTLS_WARNING.to_owned());
    }
    if chosen
        .iter()
        .any(|ranked| ranked.candidate.source == Source::Guess)
    {
        out.push(strings::GUESS_WARNING.to_owned());
    }
    // Services the domain (or the provider list) says are not offered, once each.
    for unavailable in &discovery.unavailable {
        if !out.contains(&unavailable.reason) {
            out.push(unavailable.reason.clone());
        }
    }
    for conflict in &discovery.conflicts {
        out.push(conflict.description.clone());
    }
    out
}
