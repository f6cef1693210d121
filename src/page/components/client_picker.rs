//! The mail-app chooser: searchable, grouped by platform, with the likely one pre-selected and
//! "other / not listed" for generic settings.

use portolan_core::clients::{self, Client, Platform};
use portolan_core::lang::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::strings;

/// The radio value for "other / not listed".
const OTHER: &str = "other";

#[derive(Properties, PartialEq)]
pub struct ClientPickerProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub search: AttrValue,
    /// The pre-selected client id.
    pub selected: Option<AttrValue>,
    /// The client guessed from this device.
    pub suggested: Option<AttrValue>,
    pub on_search: Callback<String>,
    /// The chosen client id (`None`: other / not listed).
    pub on_choose: Callback<Option<String>>,
}

/// The clients matching a search, grouped by platform in catalogue order.
pub fn grouped(search: &str) -> Vec<(Platform, Vec<&'static Client>)> {
    let needle = search.trim().to_ascii_lowercase();
    let mut groups: Vec<(Platform, Vec<&'static Client>)> = Vec::new();
    for client in clients::all() {
        let matches = needle.is_empty()
            || client.name.to_ascii_lowercase().contains(&needle)
            || strings::named(client.name)
                .to_ascii_lowercase()
                .contains(&needle)
            || client.id.contains(&needle)
            || client.runs_on.to_ascii_lowercase().contains(&needle)
            || client
                .platform
                .label()
                .to_ascii_lowercase()
                .contains(&needle);
        if !matches {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(platform, _)| *platform == client.platform)
        {
            Some((_, members)) => members.push(client),
            None => groups.push((client.platform, vec![client])),
        }
    }
    groups
}

#[function_component(ClientPicker)]
pub fn client_picker(props: &ClientPickerProps) -> Html {
    let chosen = use_state(|| {
        props
            .selected
            .as_ref()
            .map(|id| id.to_string())
            .unwrap_or_else(|| OTHER.to_owned())
    });
    let oninput = props
        .on_search
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |event: Event| {
            chosen.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let onsubmit = {
        let chosen = chosen.clone();
        let on_choose = props.on_choose.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let id = (*chosen != OTHER).then(|| (*chosen).clone());
            on_choose.emit(id);
        })
    };
    let groups = grouped(&props.search);
    let radio = |value: &str, label: Html| {
        let id = format!("client-{value}");
        html! {
            <li class="client-option">
                <input type="radio" name="client" id={id.clone()} value={value.to_owned()}
                       checked={*chosen == value} onchange={onchange.clone()} />
                <label for={id}>{ label }</label>
            </li>
        }
    };

    html! {
        <form class="client-picker" {onsubmit}>
            <h2 id="client-heading">{ strings::CLIENT_HEADING() }</h2>
            <label for="client-search" class="field-label">{ strings::CLIENT_SEARCH_LABEL() }</label>
            <input id="client-search" type="search" class="search" autocomplete="off"
                   placeholder={strings::CLIENT_SEARCH_PLACEHOLDER()}
                   value={props.search.clone()} {oninput} />
            if groups.is_empty() {
                <p class="hint" role="status">{ strings::CLIENT_NONE_MATCH() }</p>
            }
            { for groups.iter().map(|(platform, members)| html! {
                <fieldset class="client-group">
                    <legend>{ strings::named(platform.label()) }</legend>
                    <ul>
                        { for members.iter().map(|client| {
                            let suggested = props.suggested.as_deref() == Some(client.id);
                            radio(client.id, html! {
                                <>
                                    <span class="client-name">{ strings::named(client.name) }</span>
                                    <span class="client-runs-on">{ strings::named(client.runs_on) }</span>
                                    if suggested {
                                        <span class="badge">{ strings::CLIENT_SUGGESTED() }</span>
                                    }
                                </>
                            })
                        }) }
                    </ul>
                </fieldset>
            }) }
            <fieldset class="client-group">
                <legend>{ strings::CLIENT_OTHER_GROUP() }</legend>
                <ul>{ radio(OTHER, html! { <span class="client-name">{ strings::CLIENT_OTHER() }</span> }) }</ul>
            </fieldset>
            <button type="submit" class="primary">{ strings::CLIENT_CONTINUE() }</button>
        </form>
    }
}
