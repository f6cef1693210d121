//! The mail app on the result screen: a selector over the whole catalogue, so changing the app
//! is one step and the result follows at once. The page comes here straight from the address
//! when the app is known (suggested for this device, or named by a link).

use portolan_core::lang::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::page::components::client_picker::grouped;
use crate::strings;

/// The option value for "other / not listed".
const OTHER: &str = "other";

#[derive(Properties, PartialEq)]
pub struct ClientSelectProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    /// The chosen client id (`None`: other / not listed).
    pub selected: Option<AttrValue>,
    /// A new choice (`None`: other / not listed); the result follows it.
    pub on_choose: Callback<Option<String>>,
}

#[function_component(ClientSelect)]
pub fn client_select(props: &ClientSelectProps) -> Html {
    let onchange = props.on_choose.reform(|event: Event| {
        let value = event.target_unchecked_into::<HtmlSelectElement>().value();
        (value != OTHER).then_some(value)
    });
    let selected = props.selected.as_deref().unwrap_or(OTHER);
    let option = |value: &str, label: String| {
        html! { <option value={value.to_owned()} selected={selected == value}>{ label }</option> }
    };
    html! {
        <p class="client-select no-print">
            <label for="result-client">{ strings::RESULT_CLIENT_LABEL() }</label>{ " " }
            <select id="result-client" {onchange}>
                { for grouped("").iter().map(|(platform, members)| html! {
                    <optgroup label={strings::named(platform.label())}>
                        { for members.iter().map(|client| option(client.id, strings::named(client.name).to_owned())) }
                    </optgroup>
                }) }
                <optgroup label={strings::CLIENT_OTHER_GROUP()}>
                    { option(OTHER, strings::CLIENT_OTHER().to_owned()) }
                </optgroup>
            </select>
        </p>
    }
}
