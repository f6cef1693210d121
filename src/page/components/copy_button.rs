//! A button that copies a value to the clipboard and says so.

use portolan_core::lang::Lang;
use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub value: AttrValue,
    /// What is copied, for screen readers ("Copy server").
    pub what: AttrValue,
    /// Shown as the value itself, highlighted (a token in the steps), instead of "Copy".
    #[prop_or_default]
    pub as_token: bool,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let value = props.value.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&value);
                copied.set(true);
            }
        })
    };
    let label = format!("{} {}", strings::COPY(), props.what);
    if props.as_token {
        return html! {
            <button type="button" class="token" aria-label={label} title={strings::COPY()} {onclick}>
                { props.value.clone() }
                if *copied { <span class="token-copied">{ " ✓" }</span> }
            </button>
        };
    }
    html! {
        <button type="button" class="copy" aria-label={label} {onclick}>
            { if *copied { strings::COPIED() } else { strings::COPY() } }
        </button>
    }
}
