//! Building the result screen's data: the only place that composes portolan-core's `setup`
//! for the browser (the page never runs the engine or a generator itself, so its first screen
//! stays small). Live checks, when the user made some, go through the same `setup`.

use portolan_core::clients::Client;
use portolan_core::discovery::confirm_guesses;
use portolan_core::engine::{Ranked, RoleAdvice};
use portolan_core::lang::Lang;
use portolan_core::model::{
    AuthMethod, Discovery, LiveCheck, OfferedService, Security, Source, Trust,
};
use portolan_core::setup::{self, Choices, Export, ExportOptions, Setup};
use portolan_core::MailInput;

use super::markup;
use super::words::{tr, tr_all, tr_lines};
use crate::messages::probe::Target;
use crate::messages::report::{Download, ProbedGuess, Report, RoleReport, ServerView};
use crate::strings;

impl Report {
    /// Runs the engine and the generators for one discovery result, the live checks made so
    /// far (guesses among them confirmed or dropped) and a client.
    pub fn build(
        input: &MailInput,
        discovery: &Discovery,
        checks: &[LiveCheck],
        client: Option<&Client>,
        offline: bool,
    ) -> Report {
        let confirmed;
        let discovery = if checks.is_empty() {
            discovery
        } else {
            confirmed = confirm_guesses(discovery, checks);
            &confirmed
        };
        let setup = setup::prepare(input, discovery, checks, client, &Choices::default());
        let write =
            |export| setup::export(export, &setup.settings, client, &ExportOptions::default()).ok();
        // The instructions shown are in the reader's language; the download stays English.
        let instructions = write(Export::Instructions).map(|text| tr_lines(&text));
        let steps = client
            .and_then(|client| portolan_core::clients::marked_steps(client, &setup.settings).ok())
            .map(|steps| tr_all(&steps))
            .unwrap_or_default();
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
        // Written in English like every other text here (the page's own words among them),
        // then translated once, below and in the markup.
        let before_you_start = strings::in_lang(Lang::En, || warnings(&setup, discovery, offline));
        Report {
            warnings: tr_all(&before_you_start.actions),
            incoming: role_report(&recommendation.incoming, &setup),
            outgoing: role_report(&recommendation.outgoing, &setup),
            services: discovery.services.iter().map(service_line).collect(),
            probed: discovery
                .probed
                .iter()
                .map(|probed| ProbedGuess {
                    host: probed.host.clone(),
                    port: probed.port,
                    confirmed: probed.confirmed,
                })
                .collect(),
            instructions,
            steps,
            downloads,
            why_html: markup::why(
                &before_you_start.notes,
                [
                    (strings::RESULT_INCOMING(), &recommendation.incoming),
                    (strings::RESULT_OUTGOING(), &recommendation.outgoing),
                ],
            ),
            alternatives_html: markup::alternatives([
                &recommendation.incoming,
                &recommendation.outgoing,
            ]),
            lookups_html: markup::lookups(&discovery.lookups),
            // Filled in by the worker, which knows the page's address.
            link: None,
            qr_svg: None,
        }
    }
}

/// One offered service in one sentence: what it is, where, and how far to trust it.
fn service_line(service: &OfferedService) -> String {
    let mut line = format!(
        "{} ({}): {}. {}",
        service.service.label(),
        service.service.purpose(),
        service.endpoint.describe(),
        service.found
    );
    if service
        .trust
        .contains(&Trust::ThirdPartyTargetNeedsConfirmation)
    {
        line.push_str(" The server is outside your domain: confirm it belongs to your provider.");
    }
    tr(&line)
}

fn role_report(advice: &RoleAdvice, setup: &Setup) -> RoleReport {
    RoleReport {
        recommended: advice.recommended.as_ref().map(server_view),
        login: advice
            .recommended
            .as_ref()
            .map(|ranked| setup.settings.login_for(&ranked.candidate))
            .unwrap_or_default(),
        others: advice
            .alternatives
            .iter()
            .chain(advice.rejected.iter())
            .map(server_view)
            .collect(),
    }
}

/// One setting in the words the result screen shows.
fn server_view(ranked: &Ranked) -> ServerView {
    let candidate = &ranked.candidate;
    let auth = if candidate.auth.is_empty() {
        strings::auth(AuthMethod::PasswordCleartext).to_owned()
    } else {
        let words: Vec<&str> = candidate
            .auth
            .iter()
            .map(|method| strings::auth(*method))
            .collect();
        words.join(", ")
    };
    ServerView {
        target: Target {
            protocol: candidate.protocol,
            host: candidate.host.clone(),
            port: candidate.port,
            security: candidate.security,
        },
        grade: ranked.grade,
        guess: candidate.source == Source::Guess,
        needs_confirmation: ranked.needs_confirmation,
        auth,
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

/// What the result says besides the settings, in a fixed order: what the user must act on
/// before starting ("Before you start"), and what is only good to know ("Why these
/// settings").
struct BeforeYouStart {
    actions: Vec<String>,
    notes: Vec<String>,
}

/// True for a provider note that already says what the generic sign-in warnings say.
fn speaks_of_sign_in(note: &str) -> bool {
    let note = note.to_ascii_lowercase();
    note.contains("oauth")
        || note.contains("app password")
        || note.contains("app-specific password")
}

/// The warnings and notes that apply (see [`BeforeYouStart`]).
fn warnings(setup: &Setup, discovery: &Discovery, offline: bool) -> BeforeYouStart {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    // A provider found through the MX comes first: the user must confirm it (the draft's
    // rule), and its registrable domain is named.
    if let Some(found) = discovery.provider.as_ref().filter(|p| p.needs_confirmation) {
        out.push(found.reason.clone());
    }
    // A second resolver that contradicts the first is as serious: name both answers.
    for conflict in &discovery.resolver_conflicts {
        let answers: Vec<String> = conflict
            .answers
            .iter()
            .map(|answer| format!("{} says {}", answer.resolver, answer.records.join(", ")))
            .collect();
        out.push(format!(
            "{} ({}.)",
            conflict.description,
            answers.join("; ")
        ));
    }
    // With lookups off, say where the settings come from; unless the site's own preset named
    // every server shown, which "Why these settings" says already.
    let all_from_site = [
        &setup.recommendation.incoming,
        &setup.recommendation.outgoing,
    ]
    .into_iter()
    .all(|advice| {
        advice
            .recommended
            .as_ref()
            .is_some_and(|ranked| ranked.candidate.source == Source::Preset)
    });
    if offline {
        if !all_from_site {
            notes.push(strings::OFFLINE_NOTE().to_owned());
        }
    } else if !discovery.lookups.is_empty()
        && discovery
            .lookups
            .iter()
            .filter(|lookup| lookup.record_type == "SRV" || lookup.record_type == "MX")
            .all(|lookup| lookup.rcode == "TIMEOUT" || lookup.rcode == "ERROR")
    {
        out.push(strings::RESOLVER_FAILED().to_owned());
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
    // The provider's own words on signing in, when it has some, instead of the generic ones.
    let provider_says_it = setup
        .provider
        .is_some_and(|provider| provider.notes.iter().any(|note| speaks_of_sign_in(note)));
    let generic_sign_in = if auth_needs(AuthMethod::Oauth2) {
        Some(strings::OAUTH_WARNING())
    } else if auth_needs(AuthMethod::AppPassword) {
        Some(strings::APP_PASSWORD_WARNING())
    } else {
        None
    };
    out.extend(
        generic_sign_in
            .filter(|_| !provider_says_it)
            .map(str::to_owned),
    );
    if let Some(provider) = setup.provider {
        if let Some(enable) = provider.quirks.enable_first {
            out.push(format!("{} ({})", enable.what, enable.url));
        }
        out.extend(provider.notes.iter().map(|note| (*note).to_owned()));
    }
    if chosen.iter().any(|ranked| ranked.needs_confirmation) {
        out.push(strings::CONFIRM_WARNING().to_owned());
    }
    if chosen
        .iter()
        .any(|ranked| ranked.candidate.security == Security::Starttls)
    {
        notes.push(strings::STARTTLS_WARNING().to_owned());
    }
    if chosen.iter().any(|ranked| {
        ranked.candidate.source == Source::Guess
            && !ranked.candidate.trust.contains(&Trust::ProbeVerified)
    }) {
        out.push(strings::GUESS_WARNING().to_owned());
    }
    // Services the domain (or the provider list) says are not offered, once each: good to
    // know, nothing to do.
    for unavailable in &discovery.unavailable {
        if !out.contains(&unavailable.reason) && !notes.contains(&unavailable.reason) {
            notes.push(unavailable.reason.clone());
        }
    }
    for conflict in &discovery.conflicts {
        notes.push(conflict.description.clone());
    }
    BeforeYouStart {
        actions: out,
        notes,
    }
}
