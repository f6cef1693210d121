//! The result: recommended settings per role, warnings, why, alternatives, what was looked
//! up, step-by-step instructions, and downloads. Everything shown comes from the engine
//! worker's [`Report`]; this component only lays it out.

use std::rc::Rc;

use portolan_core::clients::{TOKEN_END, TOKEN_START};
use portolan_core::MailInput;
use yew::prelude::*;

use crate::messages::report::{LookupRow, Report, RoleReport, ServerView};
use crate::page::components::copy_button::CopyButton;
use crate::page::components::download_link::DownloadLink;
use crate::page::components::server_table::{grade_class, ServerTable};
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    pub input: MailInput,
    pub report: Rc<Report>,
    /// The chosen client's name (`None`: other / not listed).
    pub client_name: Option<AttrValue>,
    pub milliseconds: u64,
}

fn role_section(id: &str, title: &str, role: &RoleReport) -> Html {
    match &role.recommended {
        Some(server) => html! {
            <ServerTable id={id.to_owned()} title={title.to_owned()} server={server.clone()}
                         login={role.login.clone()} />
        },
        None => html! {
            <section class="server" id={id.to_owned()}>
                <h3>{ title }</h3>
                <p class="error">{ strings::NO_SERVER }</p>
            </section>
        },
    }
}

/// One step: its words, and each value to type (between the core's token marks) as a
/// highlighted button that copies it.
fn step_with_tokens(step: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = step;
    while let Some(start) = rest.find(TOKEN_START) {
        parts.push(html! { { rest[..start].to_owned() } });
        let after = &rest[start + TOKEN_START.len_utf8()..];
        let end = after.find(TOKEN_END).unwrap_or(after.len());
        let value = AttrValue::from(after[..end].to_owned());
        parts.push(html! { <CopyButton value={value.clone()} what={value} as_token=true /> });
        rest = after.get(end + TOKEN_END.len_utf8()..).unwrap_or("");
    }
    parts.push(html! { { rest.to_owned() } });
    parts.into_iter().collect::<Html>()
}

fn why(role: &RoleReport, title: &str) -> Html {
    let Some(server) = &role.recommended else {
        return html! {};
    };
    html! {
        <div class="why-role">
            <h4>{ title }</h4>
            <p>{ role.summary.clone() }</p>
            <ul>
                { for server.why.iter().map(|line| html! {
                    <li>
                        { line.text.clone() }
                        if let Some(citation) = &line.citation {
                            { " " }<span class="cite">{ format!("({citation})") }</span>
                        }
                    </li>
                }) }
                <li>{ format!("{}: {}", strings::COL_SOURCE, server.source) }
                    { for server.trust.iter().map(|trust| html! {
                        <>{ " · " }<span class="trust">{ trust.clone() }</span></>
                    }) }
                </li>
            </ul>
        </div>
    }
}

/// A table's header row, one column heading each.
fn head(columns: &[&'static str]) -> Html {
    html! {
        <thead><tr>
            { for columns.iter().map(|column| html! { <th scope="col">{ *column }</th> }) }
        </tr></thead>
    }
}

fn alternatives(role: &RoleReport) -> Html {
    if role.others.is_empty() {
        return html! {};
    }
    html! {
        <table class="alternatives">
            { head(&[
                strings::COL_PROTOCOL,
                strings::COL_SERVER,
                strings::COL_PORT,
                strings::COL_SECURITY,
                strings::COL_SOURCE,
                strings::COL_GRADE,
            ]) }
            <tbody>
                { for role.others.iter().map(|server: &ServerView| {
                    let target = &server.target;
                    let title = server.why.iter().map(|line| line.text.as_str()).collect::<Vec<_>>().join(" ");
                    html! {
                        <tr title={title}>
                            <td>{ target.protocol.label() }</td>
                            <td><code>{ target.host.clone() }</code></td>
                            <td>{ target.port }</td>
                            <td>{ strings::security(target.security) }</td>
                            <td>{ server.source.clone() }</td>
                            <td><span class={grade_class(server.grade)}>{ strings::grade(server.grade) }</span></td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

fn lookups(lookups: &[LookupRow]) -> Html {
    if lookups.is_empty() {
        return html! {};
    }
    html! {
        <details class="lookups-box" id="lookups">
            <summary>{ strings::LOOKUPS_HEADING }</summary>
            <table class="alternatives">
                { head(&[strings::COL_NAME, strings::COL_TYPE, strings::COL_RESULT, strings::COL_TIME]) }
                <tbody>
                    { for lookups.iter().map(|lookup| html! {
                        <tr>
                            <td><code>{ lookup.name.clone() }</code></td>
                            <td>{ lookup.record_type.clone() }</td>
                            <td>{ lookup.result.clone() }</td>
                            <td class="time">{ format!("{} ms", lookup.milliseconds) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </details>
    }
}

#[function_component(ResultView)]
pub fn result_view(props: &ResultViewProps) -> Html {
    let report = &*props.report;
    let who = props
        .input
        .address_unicode()
        .unwrap_or_else(|| props.input.domain.unicode.clone());
    let alternatives_heading = if report.has_refused() {
        format!(
            "{} / {}",
            strings::ALTERNATIVES_HEADING,
            strings::REFUSED_HEADING
        )
    } else {
        strings::ALTERNATIVES_HEADING.to_owned()
    };

    html! {
        <section class="result" aria-labelledby="result-heading">
            <h2 id="result-heading">{ strings::result_heading(&who, props.client_name.as_deref()) }</h2>
            <p class="hint" id="lookup-time">{ strings::lookup_time(props.milliseconds) }</p>
            if !report.warnings.is_empty() {
                <section class="warnings" aria-labelledby="warnings-heading">
                    <h3 id="warnings-heading">{ strings::WARNINGS_HEADING }</h3>
                    <ul>{ for report.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                </section>
            }
            <div class="servers">
                { role_section("incoming", strings::RESULT_INCOMING, &report.incoming) }
                { role_section("outgoing", strings::RESULT_OUTGOING, &report.outgoing) }
            </div>
            <details class="why" id="why">
                <summary>{ strings::WHY_HEADING }</summary>
                if !report.notes.is_empty() {
                    <ul class="notes" id="notes">{ for report.notes.iter().map(|note| html! { <li>{ note.clone() }</li> }) }</ul>
                }
                { why(&report.incoming, strings::RESULT_INCOMING) }
                { why(&report.outgoing, strings::RESULT_OUTGOING) }
            </details>
            <details class="alternatives-box" id="alternatives">
                <summary>{ alternatives_heading }</summary>
                { alternatives(&report.incoming) }
                { alternatives(&report.outgoing) }
            </details>
            if !report.services.is_empty() {
                <section class="services" id="services" aria-labelledby="services-heading">
                    <h3 id="services-heading">{ strings::SERVICES_HEADING }</h3>
                    <ul>{ for report.services.iter().map(|line| html! { <li>{ line.clone() }</li> }) }</ul>
                </section>
            }
            { lookups(&report.lookups) }
            if let Some(text) = report.instructions.clone() {
                <section class="instructions" aria-labelledby="instructions-heading">
                    <h3 id="instructions-heading">{ strings::INSTRUCTIONS_HEADING }</h3>
                    if !report.steps.is_empty() {
                        <p class="hint">{ strings::STEPS_TOKENS_HINT }</p>
                        <ol class="steps-list" id="steps">
                            { for report.steps.iter().map(|step| html! { <li>{ step_with_tokens(step) }</li> }) }
                        </ol>
                    }
                    <details class="plain-instructions">
                        <summary>{ strings::INSTRUCTIONS_AS_TEXT }</summary>
                        <pre id="instructions-text">{ text.clone() }</pre>
                    </details>
                    <CopyButton value={text} what={strings::INSTRUCTIONS_HEADING} />
                </section>
            }
            if let (Some(link), Some(svg)) = (report.link.clone(), report.qr_svg.clone()) {
                <section class="qr no-print" id="qr" aria-labelledby="qr-heading">
                    <h3 id="qr-heading">{ strings::QR_HEADING }</h3>
                    <div class="qr-code" role="img" aria-label={strings::QR_LABEL}>
                        { Html::from_html_unchecked(AttrValue::from(svg)) }
                    </div>
                    <p class="hint qr-link">{ link }</p>
                </section>
            }
            <section class="downloads" aria-labelledby="downloads-heading">
                <h3 id="downloads-heading">{ strings::DOWNLOADS_HEADING }</h3>
                <ul>
                    { for report.downloads.iter().map(|download| {
                        let title = strings::export_title(&download.name);
                        html! {
                            <li>
                                <DownloadLink id={format!("download-{}", download.name)}
                                    content={download.content.clone()}
                                    file_name={download.file_name.clone()}
                                    content_type={download.content_type.clone()}
                                    label={strings::download_label(title)} />
                                { " " }<CopyButton value={download.content.clone()} what={title} />
                            </li>
                        }
                    }) }
                </ul>
            </section>
        </section>
    }
}
