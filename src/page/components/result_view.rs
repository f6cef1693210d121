//! The result: recommended settings per role, warnings, why, alternatives, what was looked
//! up, step-by-step instructions, and downloads. Everything shown comes from the engine
//! worker's [`Report`]; this component only lays it out.

use std::rc::Rc;

use portolan_core::clients::{TOKEN_END, TOKEN_START};
use portolan_core::lang::Lang;
use portolan_core::MailInput;
use yew::prelude::*;

use crate::messages::report::{Report, RoleReport};
use crate::page::components::copy_button::CopyButton;
use crate::page::components::download_link::DownloadLink;
use crate::page::components::server_table::ServerTable;
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct ResultViewProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub input: MailInput,
    pub report: Rc<Report>,
    /// The chosen client's name (`None`: other / not listed).
    pub client_name: Option<AttrValue>,
    pub milliseconds: u64,
}

fn role_section(lang: Lang, id: &str, title: &str, role: &RoleReport) -> Html {
    match &role.recommended {
        Some(server) => html! {
            <ServerTable {lang} id={id.to_owned()} title={title.to_owned()} server={server.clone()}
                         login={role.login.clone()} />
        },
        None => html! {
            <section class="server" id={id.to_owned()}>
                <h3>{ title }</h3>
                <p class="error">{ strings::NO_SERVER() }</p>
            </section>
        },
    }
}

/// One step: its words, and each value to type (between the core's token marks) as a
/// highlighted button that copies it.
fn step_with_tokens(lang: Lang, step: &str) -> Html {
    let mut parts = Vec::new();
    let mut rest = step;
    while let Some(start) = rest.find(TOKEN_START) {
        parts.push(html! { { rest[..start].to_owned() } });
        let after = &rest[start + TOKEN_START.len_utf8()..];
        let end = after.find(TOKEN_END).unwrap_or(after.len());
        let value = AttrValue::from(after[..end].to_owned());
        parts
            .push(html! { <CopyButton {lang} value={value.clone()} what={value} as_token=true /> });
        rest = after.get(end + TOKEN_END.len_utf8()..).unwrap_or("");
    }
    parts.push(html! { { rest.to_owned() } });
    parts.into_iter().collect::<Html>()
}

/// Markup the engine worker made (and escaped) for a part that is only read.
pub fn worker_markup(html: &str) -> Html {
    Html::from_html_unchecked(AttrValue::from(html.to_owned()))
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
            strings::ALTERNATIVES_HEADING(),
            strings::REFUSED_HEADING()
        )
    } else {
        strings::ALTERNATIVES_HEADING().to_owned()
    };

    html! {
        <section class="result" aria-labelledby="result-heading">
            <h2 id="result-heading">{ strings::result_heading(&who, props.client_name.as_deref()) }</h2>
            <p class="hint" id="lookup-time">{ strings::lookup_time(props.milliseconds) }</p>
            if !report.warnings.is_empty() {
                <section class="warnings" aria-labelledby="warnings-heading">
                    <h3 id="warnings-heading">{ strings::WARNINGS_HEADING() }</h3>
                    <ul>{ for report.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                </section>
            }
            <div class="servers">
                { role_section(props.lang, "incoming", strings::RESULT_INCOMING(), &report.incoming) }
                { role_section(props.lang, "outgoing", strings::RESULT_OUTGOING(), &report.outgoing) }
            </div>
            <details class="why" id="why">
                <summary>{ strings::WHY_HEADING() }</summary>
                { worker_markup(&report.why_html) }
            </details>
            <details class="alternatives-box" id="alternatives">
                <summary>{ alternatives_heading }</summary>
                { worker_markup(&report.alternatives_html) }
            </details>
            if !report.services.is_empty() {
                <section class="services" id="services" aria-labelledby="services-heading">
                    <h3 id="services-heading">{ strings::SERVICES_HEADING() }</h3>
                    <ul>{ for report.services.iter().map(|line| html! { <li>{ line.clone() }</li> }) }</ul>
                </section>
            }
            { worker_markup(&report.lookups_html) }
            if let Some(text) = report.instructions.clone() {
                <section class="instructions" aria-labelledby="instructions-heading">
                    <h3 id="instructions-heading">{ strings::INSTRUCTIONS_HEADING() }</h3>
                    if !report.steps.is_empty() {
                        <p class="hint">{ strings::STEPS_TOKENS_HINT() }</p>
                        <ol class="steps-list" id="steps">
                            { for report.steps.iter().map(|step| html! { <li>{ step_with_tokens(props.lang, step) }</li> }) }
                        </ol>
                    }
                    <details class="plain-instructions">
                        <summary>{ strings::INSTRUCTIONS_AS_TEXT() }</summary>
                        <pre id="instructions-text">{ text.clone() }</pre>
                    </details>
                    <CopyButton lang={props.lang} value={text} what={strings::INSTRUCTIONS_HEADING()} />
                </section>
            }
            if let (Some(link), Some(svg)) = (report.link.clone(), report.qr_svg.clone()) {
                <section class="qr no-print" id="qr" aria-labelledby="qr-heading">
                    <h3 id="qr-heading">{ strings::QR_HEADING() }</h3>
                    <div class="qr-code" role="img" aria-label={strings::QR_LABEL()}>
                        { Html::from_html_unchecked(AttrValue::from(svg)) }
                    </div>
                    <p class="hint qr-link">{ link }</p>
                </section>
            }
            <section class="downloads" aria-labelledby="downloads-heading">
                <h3 id="downloads-heading">{ strings::DOWNLOADS_HEADING() }</h3>
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
                                { " " }<CopyButton lang={props.lang} value={download.content.clone()} what={title} />
                            </li>
                        }
                    }) }
                </ul>
            </section>
        </section>
    }
}
