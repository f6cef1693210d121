//! A button that copies a value to the clipboard and says so.

use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub value: AttrValue,
    /// What is copied, for screen readers ("Copy server").
    pub what: AttrValue,
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
    let label = format!("{} {}", strings::COPY, props.what);
    html! {
        <button type="button" class="copy" aria-label={label} {onclick}>
            { if *copied { strings::COPIED } else { strings::COPY } }
        </button>
    }
}
