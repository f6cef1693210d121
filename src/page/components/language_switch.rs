//! The language menu: every language Portolan speaks, each named in itself.

use portolan_core::lang::Lang;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::strings;

#[derive(Properties, PartialEq)]
pub struct LanguageSwitchProps {
    pub lang: Lang,
    pub on_change: Callback<Lang>,
}

#[function_component(LanguageSwitch)]
pub fn language_switch(props: &LanguageSwitchProps) -> Html {
    let onchange = props.on_change.reform(|event: Event| {
        let tag = event
            .target_dyn_into::<HtmlSelectElement>()
            .map(|select| select.value())
            .unwrap_or_default();
        Lang::from_tag(&tag).unwrap_or_default()
    });
    html! {
        <p class="language no-print">
            <label for="language">{ strings::LANGUAGE_LABEL() }</label>
            <select id="language" {onchange}>
                { for Lang::ALL.into_iter().map(|lang| html! {
                    <option value={lang.tag()} lang={lang.tag()} selected={lang == props.lang}>{ lang.endonym() }</option>
                }) }
            </select>
        </p>
    }
}
