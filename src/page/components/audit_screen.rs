//! The "For providers" screen: a domain (and DKIM selectors) in, the audit out: grade and
//! summary, the checklist, ports and published records (markup the engine worker wrote with
//! every text escaped), the files to publish and the JSON as downloads, "Check the ports
//! live" when a relay is there, and Print (the print stylesheet keeps only the report).

use std::rc::Rc;

use portolan_core::lang::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::messages::audit::AuditView;
use crate::page::components::copy_button::CopyButton;
use crate::page::components::download_link::DownloadLink;
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct AuditScreenProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub domain: AttrValue,
    pub selectors: AttrValue,
    pub running: bool,
    pub view: Option<Rc<AuditView>>,
    /// Live checks can be made (a relay) and none runs now.
    pub can_check: bool,
    /// Ports are being checked now.
    pub checking: bool,
    pub on_domain: Callback<String>,
    pub on_selectors: Callback<String>,
    pub on_run: Callback<()>,
    pub on_check: Callback<()>,
}

fn field_text(event: InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

fn report(view: &AuditView, props: &AuditScreenProps) -> Html {
    if let Some(error) = &view.error {
        return html! { <p class="error" role="alert" id="audit-error">{ error.clone() }</p> };
    }
    let print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });
    let (files, json): (Vec<_>, Vec<_>) = view
        .downloads
        .iter()
        .partition(|download| download.name != "audit-json");
    html! {
        <section class="audit-report" id="audit-report" aria-labelledby="audit-report-heading">
            <h3 id="audit-report-heading">
                { view.domain.clone() }{ " " }
                <span class={format!("badge audit-grade grade-{}", view.grade.to_ascii_lowercase())}>{ view.grade.clone() }</span>
            </h3>
            <p id="audit-summary">{ view.summary.clone() }</p>
            <div class="audit-actions no-print">
                if props.can_check && !view.targets.is_empty() {
                    <button type="button" class="primary" id="audit-check-ports" onclick={props.on_check.reform(|_: MouseEvent| ())}>
                        { format!("{} ({})", strings::AUDIT_CHECK_PORTS(), view.targets.len()) }
                    </button>
                }
                if props.checking {
                    <span class="hint" role="status"><span class="spinner" aria-hidden="true"></span>{ strings::AUDIT_RUNNING() }</span>
                }
                <button type="button" class="secondary" onclick={print}>{ strings::AUDIT_PRINT() }</button>
                { for json.iter().map(|download| html! {
                    <DownloadLink id={"audit-json"} content={download.content.clone()} file_name={download.file_name.clone()}
                        content_type={download.content_type.clone()} label={strings::download_label("JSON")} />
                }) }
            </div>
            <div class="audit-body" id="audit-body">{ Html::from_html_unchecked(AttrValue::from(view.html.clone())) }</div>
            <h3 id="audit-files-heading">{ strings::AUDIT_FILES() }</h3>
            <ul class="audit-files" aria-labelledby="audit-files-heading">
                { for files.iter().map(|download| html! {
                    <li>
                        <DownloadLink id={format!("audit-{}", download.name)} content={download.content.clone()}
                            file_name={download.file_name.clone()} content_type={download.content_type.clone()}
                            label={download.file_name.clone()} />
                        { " " }<CopyButton lang={props.lang} value={download.content.clone()} what={download.file_name.clone()} />
                        <pre>{ download.content.clone() }</pre>
                    </li>
                }) }
            </ul>
        </section>
    }
}

#[function_component(AuditScreen)]
pub fn audit_screen(props: &AuditScreenProps) -> Html {
    let onsubmit = props
        .on_run
        .reform(|event: SubmitEvent| event.prevent_default());
    html! {
        <section class="audit" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{ strings::AUDIT_HEADING() }</h2>
            <p class="hint no-print">{ strings::AUDIT_INTRO() }</p>
            <form class="audit-form no-print" novalidate=true {onsubmit}>
                <label for="audit-domain" class="field-label">{ strings::AUDIT_DOMAIN_LABEL() }</label>
                <input id="audit-domain" type="text" inputmode="url" autocapitalize="off" spellcheck="false"
                       placeholder="example.com" value={props.domain.clone()}
                       oninput={props.on_domain.reform(field_text)} />
                <label for="audit-selectors" class="field-label">{ strings::AUDIT_SELECTORS_LABEL() }</label>
                <input id="audit-selectors" type="text" autocapitalize="off" spellcheck="false"
                       value={props.selectors.clone()} oninput={props.on_selectors.reform(field_text)} />
                <button type="submit" class="primary">{ strings::AUDIT_BUTTON() }</button>
            </form>
            if props.running {
                <p class="hint" role="status"><span class="spinner" aria-hidden="true"></span>{ strings::AUDIT_RUNNING() }</p>
            } else if let Some(view) = &props.view {
                { report(view, props) }
            }
        </section>
    }
}
