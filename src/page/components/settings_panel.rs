//! The settings: which DNS-over-HTTPS resolver to use, or none (offline); and the relay for
//! live checks, when the page's own server is not one.

use portolan_core::lang::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::page::settings::{check_custom_resolver, check_relay_url, Complaint, ResolverChoice};
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct SettingsPanelProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub resolver: ResolverChoice,
    pub on_change: Callback<ResolverChoice>,
    /// The relay URL the user set, if any.
    pub relay: Option<String>,
    /// A new relay URL (`None`: forget it).
    pub on_relay: Callback<Option<String>>,
    /// The site's preset turned network lookups off: the resolver cannot be changed.
    #[prop_or_default]
    pub lookups_off: bool,
}

#[function_component(SettingsPanel)]
pub fn settings_panel(props: &SettingsPanelProps) -> Html {
    let custom_text = use_state(|| match &props.resolver {
        ResolverChoice::Custom(url) => url.clone(),
        _ => String::new(),
    });
    let custom_open = use_state(|| matches!(props.resolver, ResolverChoice::Custom(_)));
    let custom_error = use_state(|| None::<Complaint>);

    let choose = |choice: ResolverChoice| {
        let on_change = props.on_change.clone();
        let custom_open = custom_open.clone();
        Callback::from(move |_: Event| {
            custom_open.set(false);
            on_change.emit(choice.clone());
        })
    };
    let open_custom = {
        let custom_open = custom_open.clone();
        Callback::from(move |_: Event| custom_open.set(true))
    };
    let on_custom_input = {
        let custom_text = custom_text.clone();
        Callback::from(move |event: InputEvent| {
            custom_text.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let save_custom = {
        let custom_text = custom_text.clone();
        let custom_error = custom_error.clone();
        let on_change = props.on_change.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match check_custom_resolver(&custom_text) {
                Ok(url) => {
                    custom_error.set(None);
                    on_change.emit(ResolverChoice::Custom(url));
                }
                Err(message) => custom_error.set(Some(message)),
            }
        })
    };
    let option = |id: &str, label: &str, checked: bool, onchange: Callback<Event>| {
        html! {
            <li>
                <input type="radio" name="resolver" id={id.to_owned()} {checked} {onchange} />
                <label for={id.to_owned()}>{ label.to_owned() }</label>
            </li>
        }
    };
    let relay_text = use_state(|| props.relay.clone().unwrap_or_default());
    let relay_error = use_state(|| None::<Complaint>);
    let on_relay_input = {
        let relay_text = relay_text.clone();
        Callback::from(move |event: InputEvent| {
            relay_text.set(event.target_unchecked_into::<HtmlInputElement>().value());
        })
    };
    let save_relay = {
        let relay_text = relay_text.clone();
        let relay_error = relay_error.clone();
        let on_relay = props.on_relay.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            match check_relay_url(&relay_text) {
                Ok(url) => {
                    relay_error.set(None);
                    on_relay.emit(Some(url));
                }
                Err(message) => relay_error.set(Some(message)),
            }
        })
    };
    let forget_relay = {
        let relay_text = relay_text.clone();
        let on_relay = props.on_relay.clone();
        Callback::from(move |_: MouseEvent| {
            relay_text.set(String::new());
            on_relay.emit(None);
        })
    };
    let current = &props.resolver;
    let custom_selected = *custom_open || matches!(current, ResolverChoice::Custom(_));
    // A fixed choice (a preset, or off), its element id named after its stored form.
    let fixed = |choice: ResolverChoice, label: &str| {
        let checked = !custom_selected && *current == choice;
        let id = format!("resolver-{}", choice.to_storage());
        option(&id, label, checked, choose(choice))
    };

    html! {
        <aside class="settings-region" aria-label={strings::SETTINGS_HEADING()}>
        <details class="settings" id="settings">
            <summary>{ strings::SETTINGS_HEADING() }</summary>
            if props.lookups_off {
                <p class="hint" id="lookups-off">{ strings::LOOKUPS_OFF_BY_SITE() }</p>
            }
            <fieldset disabled={props.lookups_off}>
                <legend>{ strings::RESOLVER_LEGEND() }</legend>
                <ul class="resolver-options">
                    { fixed(ResolverChoice::Cloudflare, strings::RESOLVER_CLOUDFLARE()) }
                    { fixed(ResolverChoice::Google, strings::RESOLVER_GOOGLE()) }
                    { fixed(ResolverChoice::Quad9, strings::RESOLVER_QUAD9()) }
                    { fixed(ResolverChoice::Compared, strings::RESOLVER_COMPARED()) }
                    { option("resolver-custom", strings::RESOLVER_CUSTOM(), custom_selected, open_custom) }
                    { fixed(ResolverChoice::Off, strings::RESOLVER_OFF()) }
                </ul>
            </fieldset>
            if custom_selected {
                <form class="custom-resolver" onsubmit={save_custom} novalidate=true>
                    <label for="resolver-url" class="field-label">{ strings::RESOLVER_CUSTOM_LABEL() }</label>
                    <div class="field-row">
                        <input id="resolver-url" type="url" inputmode="url" value={(*custom_text).clone()}
                               placeholder={strings::RESOLVER_URL_PLACEHOLDER()}
                               aria-invalid={custom_error.is_some().to_string()}
                               aria-describedby="resolver-url-error"
                               oninput={on_custom_input} />
                        <button type="submit" class="secondary">{ strings::RESOLVER_SAVE() }</button>
                    </div>
                    if let Some(complaint) = *custom_error {
                        <p id="resolver-url-error" class="error" role="alert">{ complaint() }</p>
                    }
                </form>
            }
            <p class="hint">{ strings::RESOLVER_NOTE() }</p>
            <form class="relay-setting" onsubmit={save_relay} novalidate=true>
                <fieldset>
                    <legend>{ strings::RELAY_LEGEND() }</legend>
                    <label for="relay-url" class="field-label">{ strings::RELAY_LABEL() }</label>
                    <div class="field-row">
                        <input id="relay-url" type="url" inputmode="url" value={(*relay_text).clone()}
                               placeholder={strings::RELAY_PLACEHOLDER()}
                               aria-invalid={relay_error.is_some().to_string()}
                               aria-describedby="relay-url-error"
                               oninput={on_relay_input} />
                        <button type="submit" class="secondary">{ strings::RELAY_SAVE() }</button>
                        if props.relay.is_some() {
                            <button type="button" class="link" onclick={forget_relay}>{ strings::RELAY_CLEAR() }</button>
                        }
                    </div>
                    if let Some(complaint) = *relay_error {
                        <p id="relay-url-error" class="error" role="alert">{ complaint() }</p>
                    }
                    <p class="hint">{ strings::RELAY_NOTE() }</p>
                </fieldset>
            </form>
        </details>
        </aside>
    }
}
