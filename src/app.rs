//! The root component: owns the state reducer and lays out the screen.

use yew::prelude::*;

use crate::components::address_form::AddressForm;
use crate::components::address_summary::AddressSummary;
use crate::state::{Action, AppState};
use crate::strings;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    use_effect_with((), |()| mark_first_render());

    let on_input = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::EditAddress(text)))
    };
    let on_leave = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::LeaveAddress))
    };
    let on_submit = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::Submit))
    };

    html! {
        <div class="page" data-ready="true">
            <header class="masthead">
                <h1 class="title">{ strings::APP_TITLE }</h1>
                <p class="tagline">{ strings::APP_TAGLINE }</p>
            </header>
            <main class="card" id="main">
                <AddressForm
                    value={state.address_text.clone()}
                    error={state.visible_error().map(strings::address_error)}
                    on_input={on_input}
                    on_leave={on_leave}
                    on_submit={on_submit}
                />
                <AddressSummary
                    parsed={state.parsed.clone().ok()}
                    submitted={state.submitted.is_some()}
                />
                <p class="privacy">{ strings::PRIVACY_LINE }</p>
            </main>
            <footer class="footer">{ strings::FOOTER_SOURCE }</footer>
        </div>
    }
}

/// Marks the first render in the browser's performance timeline; `cargo xtask bench` reads it.
fn mark_first_render() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("portolan-first-render");
    }
}
