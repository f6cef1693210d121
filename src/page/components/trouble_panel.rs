//! The "Something went wrong?" panel, on the start screen and under the result: a field for
//! what the mail app said, and the troubleshooter's answer (meaning, causes most likely first,
//! fixes, the fix in the user's own settings, and the live check that would confirm it). Data
//! in through props, intentions out through callbacks.

use std::rc::Rc;

use portolan_core::lang::Lang;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::messages::explanation::ExplanationView;
use crate::page::components::result_view::worker_markup;
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct TroublePanelProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    /// What the user pasted (the panel never loses it).
    pub text: AttrValue,
    /// The answer to the last question, once it came.
    pub answer: Option<Rc<ExplanationView>>,
    /// A question is on its way to the engine.
    pub waiting: bool,
    /// A result is on screen, so the answer speaks of its settings.
    pub tied: bool,
    /// A live check can be started from here (a relay and a result on screen).
    pub can_check: bool,
    pub on_input: Callback<String>,
    pub on_explain: Callback<()>,
    pub on_check: Callback<()>,
}

/// The answer the worker made, and the live check's button when one would confirm a cause.
fn answer(view: &ExplanationView, on_check: Option<&Callback<()>>) -> Html {
    html! {
        <>
            { worker_markup(&view.html) }
            if let (true, Some(on_check)) = (view.live_check, on_check) {
                <p class="trouble-check">
                    <button type="button" class="secondary" onclick={on_check.reform(|_: MouseEvent| ())}>
                        { strings::LIVE_CHECK_BUTTON() }
                    </button>
                </p>
            }
        </>
    }
}

#[function_component(TroublePanel)]
pub fn trouble_panel(props: &TroublePanelProps) -> Html {
    let oninput = props
        .on_input
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlTextAreaElement>().value());
    let onsubmit = props.on_explain.reform(|event: SubmitEvent| {
        event.prevent_default();
    });
    let on_check = props.can_check.then_some(&props.on_check);
    html! {
        <details class="trouble" id="trouble" open={!props.text.is_empty()}>
            <summary>{ strings::TROUBLE_HEADING() }</summary>
            <form class="trouble-form" {onsubmit}>
                <label for="trouble-text" class="field-label">{ strings::TROUBLE_LABEL() }</label>
                <textarea id="trouble-text" rows="3" spellcheck="false"
                          placeholder={strings::TROUBLE_PLACEHOLDER()}
                          value={props.text.clone()} {oninput} />
                <button type="submit" class="secondary">{ strings::TROUBLE_BUTTON() }</button>
                if !props.tied {
                    <p class="hint">{ strings::TROUBLE_ON_START() }</p>
                }
            </form>
            <div id="trouble-answer" aria-live="polite">
                if props.waiting {
                    <p class="hint">{ strings::TROUBLE_WAITING() }</p>
                } else if let Some(view) = &props.answer {
                    { answer(view, on_check) }
                }
            </div>
        </details>
    }
}
