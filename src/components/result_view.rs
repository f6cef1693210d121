//! The result: recommended settings per role, warnings, why, alternatives, step-by-step
//! instructions, and downloads. Everything shown is computed by portolan-core from the
//! discovery result and the chosen client.

use std::rc::Rc;

use portolan_core::clients::Client;
use portolan_core::engine::{Grade, Ranked, RoleAdvice};
use portolan_core::model::{AuthMethod, Discovery, Security, Source, Trust};
use portolan_core::setup::{self, Choices, Export, ExportOptions, Setup};
use portolan_core::MailInput;
use yew::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::components::download_link::DownloadLink;
use crate::components::server_table::{grade_class, ServerTable};
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub input: MailInput,
    pub discovery: Rc<Discovery>,
    pub client: Option<&'static Client>,
    pub milliseconds: u64,
    pub offline: bool,
}

/// The warnings that apply, in a fixed order.
pub fn warnings(setup: &Setup, discovery: &Discovery, offline: bool) -> Vec<String> {
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

fn role_section(id: &str, title: &str, advice: &RoleAdvice, setup: &Setup) -> Html {
    match &advice.recommended {
        Some(ranked) => html! {
            <ServerTable id={id.to_owned()} title={title.to_owned()} ranked={ranked.clone()}
                         login={setup.settings.login_for(&ranked.candidate)} />
        },
        None => html! {
            <section class="server" id={id.to_owned()}>
                <h3>{ title }</h3>
                <p class="error">{ strings::NO_SERVER }</p>
            </section>
        },
    }
}

fn why(advice: &RoleAdvice, title: &str) -> Html {
    let Some(ranked) = &advice.recommended else {
        return html! {};
    };
    let candidate = &ranked.candidate;
    html! {
        <div class="why-role">
            <h4>{ title }</h4>
            <p>{ advice.summary.clone() }</p>
            <ul>
                { for ranked.reasons.iter().map(|reason| html! {
                    <li>{ reason.text.clone() }{ " " }<span class="cite">{ format!("({})", reason.citation) }</span></li>
                }) }
                { for candidate.reasons.iter().map(|reason| html! { <li>{ reason.clone() }</li> }) }
                <li>{ format!("{}: {}", strings::COL_SOURCE, strings::source(candidate.source)) }
                    { for candidate.trust.iter().map(|trust: &Trust| html! {
                        <>{ " · " }<span class="trust">{ strings::trust(*trust) }</span></>
                    }) }
                </li>
            </ul>
        </div>
    }
}

fn alternatives(advice: &RoleAdvice) -> Html {
    let rows: Vec<&Ranked> = advice
        .alternatives
        .iter()
        .chain(advice.rejected.iter())
        .collect();
    if rows.is_empty() {
        return html! {};
    }
    html! {
        <table class="alternatives">
            <thead><tr>
                <th scope="col">{ strings::COL_PROTOCOL }</th>
                <th scope="col">{ strings::COL_SERVER }</th>
                <th scope="col">{ strings::COL_PORT }</th>
                <th scope="col">{ strings::COL_SECURITY }</th>
                <th scope="col">{ strings::COL_SOURCE }</th>
                <th scope="col">{ strings::COL_GRADE }</th>
            </tr></thead>
            <tbody>
                { for rows.into_iter().map(|ranked| {
                    let c = &ranked.candidate;
                    let title = ranked.reasons.iter().map(|r| r.text.clone()).collect::<Vec<_>>().join(" ");
                    html! {
                        <tr title={title}>
                            <td>{ c.protocol.label() }</td>
                            <td><code>{ c.host.clone() }</code></td>
                            <td>{ c.port }</td>
                            <td>{ strings::security(c.security) }</td>
                            <td>{ strings::source(c.source) }</td>
                            <td><span class={grade_class(ranked.grade)}>{ strings::grade(ranked.grade) }</span></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

fn lookups(discovery: &Discovery) -> Html {
    if discovery.lookups.is_empty() {
        return html! {};
    }
    html! {
        <details class="lookups-box" id="lookups">
            <summary>{ strings::LOOKUPS_HEADING }</summary>
            <table class="alternatives">
                <thead><tr>
                    <th scope="col">{ strings::COL_NAME }</th>
                    <th scope="col">{ strings::COL_TYPE }</th>
                    <th scope="col">{ strings::COL_RESULT }</th>
                    <th scope="col">{ strings::COL_TIME }</th>
                </tr></thead>
                <tbody>
                    { for discovery.lookups.iter().map(|lookup| html! {
                        <tr>
                            <td><code>{ lookup.name.clone() }</code></td>
                            <td>{ lookup.record_type.clone() }</td>
                            <td>
                                { lookup.rcode.clone() }
                                if lookup.ad { { " (DNSSEC)" } }
                                if let Some(error) = &lookup.error { { format!(": {error}") } }
                            </td>
                            <td>{ format!("{} ms", lookup.milliseconds) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
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

/// Everything the result shows that is computed from the discovery and the client: worked
/// out once per result (not on every render).
struct Prepared {
    setup: Setup,
    warnings: Vec<String>,
    instructions: Option<String>,
    /// The files offered, with their contents.
    downloads: Vec<(Export, String)>,
}

impl Prepared {
    fn new(
        input: &MailInput,
        discovery: &Discovery,
        client: Option<&'static Client>,
        offline: bool,
    ) -> Prepared {
        let setup = setup::prepare(input, discovery, client, &Choices::default());
        let write =
            |export| setup::export(export, &setup.settings, client, &ExportOptions::default()).ok();
        let instructions = write(Export::Instructions);
        let downloads = exports_for(client)
            .into_iter()
            .filter_map(|export| write(export).map(|content| (export, content)))
            .collect();
        Prepared {
            warnings: warnings(&setup, discovery, offline),
            instructions,
            downloads,
            setup,
        }
    }
}

#[function_component(ResultView)]
pub fn result_view(props: &ResultViewProps) -> Html {
    let prepared = use_memo(
        (
            props.input.clone(),
            props.discovery.clone(),
            props.client.map(|c| c.id),
            props.offline,
        ),
        |(input, discovery, _, offline)| Prepared::new(input, discovery, props.client, *offline),
    );
    let Prepared {
        setup,
        warnings,
        instructions,
        downloads,
    } = &*prepared;
    let recommendation = &setup.recommendation;
    let who = props
        .input
        .address_unicode()
        .unwrap_or_else(|| props.input.domain.unicode.clone());
    let has_refused = [&recommendation.incoming, &recommendation.outgoing]
        .iter()
        .any(|advice| advice.rejected.iter().any(|r| r.grade == Grade::Refused));

    html! {
        <section class="result" aria-labelledby="result-heading">
            <h2 id="result-heading">{ strings::result_heading(&who, props.client.map(|c| c.name)) }</h2>
            <p class="hint" id="lookup-time">{ strings::lookup_time(props.milliseconds) }</p>
            if !warnings.is_empty() {
                <section class="warnings" aria-labelledby="warnings-heading">
                    <h3 id="warnings-heading">{ strings::WARNINGS_HEADING }</h3>
                    <ul>{ for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                </section>
            }
            <div class="servers">
                { role_section("incoming", strings::RESULT_INCOMING, &recommendation.incoming, setup) }
                { role_section("outgoing", strings::RESULT_OUTGOING, &recommendation.outgoing, setup) }
            </div>
            <details class="why" id="why">
                <summary>{ strings::WHY_HEADING }</summary>
                { why(&recommendation.incoming, strings::RESULT_INCOMING) }
                { why(&recommendation.outgoing, strings::RESULT_OUTGOING) }
            </details>
            <details class="alternatives-box" id="alternatives">
                <summary>{ if has_refused { format!("{} / {}", strings::ALTERNATIVES_HEADING, strings::REFUSED_HEADING) } else { strings::ALTERNATIVES_HEADING.to_owned() } }</summary>
                { alternatives(&recommendation.incoming) }
                { alternatives(&recommendation.outgoing) }
            </details>
            { lookups(&props.discovery) }
            if let Some(text) = instructions.clone() {
                <section class="instructions" aria-labelledby="instructions-heading">
                    <h3 id="instructions-heading">{ strings::INSTRUCTIONS_HEADING }</h3>
                    <pre id="instructions-text">{ text.clone() }</pre>
                    <CopyButton value={text} what={strings::INSTRUCTIONS_HEADING} />
                </section>
            }
            <section class="downloads" aria-labelledby="downloads-heading">
                <h3 id="downloads-heading">{ strings::DOWNLOADS_HEADING }</h3>
                <ul>
                    { for downloads.iter().map(|(export, content)| {
                        let title = strings::export_title(export.name());
                        html! {
                            <li>
                                <DownloadLink id={format!("download-{}", export.name())}
                                    content={content.clone()}
                                    file_name={export.file_name(&props.input)}
                                    content_type={export.content_type()}
                                    label={strings::download_label(title)} />
                                { " " }<CopyButton value={content.clone()} what={title} />
                            </li>
                        }
                    }) }
                </ul>
            </section>
        </section>
    }
}
