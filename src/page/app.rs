//! The root component: owns the state reducer, runs the hooks, and lays out the screen.

use portolan_core::clients;
use yew::prelude::*;

use crate::page::components::address_form::AddressForm;
use crate::page::components::address_summary::AddressSummary;
use crate::page::components::audit_screen::AuditScreen;
use crate::page::components::client_picker::ClientPicker;
use crate::page::components::client_select::ClientSelect;
use crate::page::components::language_switch::LanguageSwitch;
use crate::page::components::live_panel::LivePanel;
use crate::page::components::result_view::ResultView;
use crate::page::components::settings_panel::SettingsPanel;
use crate::page::components::trouble_panel::TroublePanel;
use crate::page::hooks::use_engine_worker::use_engine_worker;
use crate::page::hooks::use_probe_worker::use_probe_worker;
use crate::page::hooks::use_startup::{use_branding, use_startup};
use crate::page::settings::ResolverChoice;
use crate::page::state::{Action, AppState, LookupState, Screen};
use crate::strings;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    // First: the mark goes down before the engine worker is even asked for.
    use_effect_with((), |()| mark_first_render());
    use_startup(state.clone());
    use_branding(state.preset.branding.clone());
    let on_lang = use_engine_worker(state.clone());
    let probes = use_probe_worker(state.clone());

    let dispatch = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(make()))
    };
    let on_input = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::EditAddress(text)))
    };
    let on_search = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::SearchClients(text)))
    };
    let on_choose = {
        let state = state.clone();
        Callback::from(move |id: Option<String>| state.dispatch(Action::ChooseClient(id)))
    };
    let on_resolver = {
        let state = state.clone();
        Callback::from(move |choice: ResolverChoice| state.dispatch(Action::SetResolver(choice)))
    };
    let on_relay = {
        let state = state.clone();
        Callback::from(move |url: Option<String>| state.dispatch(Action::SetRelay(url)))
    };
    let on_trouble = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::EditTrouble(text)))
    };
    let on_result = state.screen == Screen::Result;
    let ready = on_result && state.current_report().is_some();
    // The troubleshooter: on the start screen, and under the result once it is there.
    // The troubleshooter and Settings come with the engine worker, which serves them.
    let trouble = (state.texts_ready && (state.screen == Screen::Address || ready)).then(|| {
        html! {
            <TroublePanel lang={state.lang} text={state.trouble.text.clone()}
                          answer={state.trouble_answer()}
                          waiting={state.pending_question().is_some()}
                          tied={ready}
                          can_check={ready && state.live.relay_url().is_some() && !state.live.busy()}
                          on_input={on_trouble}
                          on_explain={dispatch(|| Action::ExplainTrouble)}
                          on_check={dispatch(|| Action::StartChecks)} />
        }
    });
    let go = |screen: Screen| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::GoTo(screen)))
    };

    let body = match state.screen {
        Screen::Address => html! {
            <>
                <AddressForm lang={state.lang}
                    value={state.address_text.clone()}
                    error={state.visible_error().map(str::to_owned)}
                    on_input={on_input}
                    on_leave={dispatch(|| Action::LeaveAddress)}
                    on_submit={dispatch(|| Action::SubmitAddress)}
                />
                <AddressSummary lang={state.lang} parsed={state.current_parse().and_then(|parsed| parsed.clone().ok())} />
                // An audit is all lookups: not offered where the site turned them off (and
                // offered once the engine worker, which runs it, is there).
                // The paragraph is always there, so the form before it is never re-created (and
                // keeps the keyboard's focus) when the link comes.
                <p class="no-print">
                    if state.texts_ready && !state.preset.lookups_off {
                        <button type="button" class="link" id="to-audit" onclick={go(Screen::Audit)}>{ strings::AUDIT_LINK() }</button>
                    }
                </p>
            </>
        },
        Screen::Audit => {
            let on_domain = {
                let state = state.clone();
                Callback::from(move |text: String| state.dispatch(Action::EditAuditDomain(text)))
            };
            let on_selectors = {
                let state = state.clone();
                Callback::from(move |text: String| state.dispatch(Action::EditAuditSelectors(text)))
            };
            html! {
                <>
                    <nav class="steps no-print" aria-label={strings::STEPS_LABEL()}>
                        <button type="button" class="link" onclick={go(Screen::Address)}>{ strings::BACK_TO_ADDRESS() }</button>
                    </nav>
                    <AuditScreen lang={state.lang} domain={state.audit.domain.clone()} selectors={state.audit.selectors.clone()}
                                 running={state.audit.running} view={state.audit.view.clone()}
                                 can_check={state.live.relay_url().is_some() && !state.live.audit_busy()}
                                 checking={state.live.audit_busy()}
                                 on_domain={on_domain} on_selectors={on_selectors}
                                 on_run={dispatch(|| Action::RunAudit)}
                                 on_check={dispatch(|| Action::CheckAuditPorts)} />
                </>
            }
        }
        Screen::Client => html! {
            <>
                <AddressSummary lang={state.lang} parsed={state.submitted.clone()} />
                <button type="button" class="link" onclick={go(Screen::Address)}>{ strings::BACK_TO_ADDRESS() }</button>
                <ClientPicker lang={state.lang}
                    search={state.client_search.clone()}
                    selected={state.client_id.clone().map(AttrValue::from)}
                    suggested={state.suggested_client.clone().map(AttrValue::from)}
                    on_search={on_search}
                    on_choose={on_choose}
                />
            </>
        },
        Screen::Result => {
            let client_name = state
                .client_id
                .as_deref()
                .and_then(clients::by_id)
                .map(|client| AttrValue::from(strings::named(client.name)));
            html! {
                <>
                    <nav class="steps" aria-label={strings::STEPS_LABEL()}>
                        <button type="button" class="link" onclick={go(Screen::Address)}>{ strings::BACK_TO_ADDRESS() }</button>
                        <button type="button" class="link" onclick={go(Screen::Client)}>{ strings::BACK_TO_CLIENT() }</button>
                    </nav>
                    <ClientSelect lang={state.lang} selected={state.client_id.clone().map(AttrValue::from)} on_choose={on_choose.clone()} />
                    { match (&state.lookup, &state.submitted, state.current_report()) {
                        (LookupState::Done { milliseconds, .. }, Some(input), Some(report)) => html! {
                            <>
                                <ResultView lang={state.lang} input={input.clone()} report={report.clone()} {client_name}
                                            milliseconds={*milliseconds} />
                                <LivePanel lang={state.lang} live={state.live.clone()} probed={report.probed.clone()}
                                           login_user={report.incoming.login.clone()}
                                           can_login={report.incoming.recommended.is_some()}
                                           confirm_host={report.incoming.recommended.as_ref()
                                               .filter(|server| server.needs_confirmation)
                                               .map(|server| AttrValue::from(server.target.host.clone()))}
                                           on_check={dispatch(|| Action::StartChecks)}
                                           on_cancel={dispatch(|| Action::CancelChecks)}
                                           on_login={probes.login.clone()} />
                            </>
                        },
                        _ => html! {},
                    } }
                </>
            }
        }
    };
    let running = matches!(state.lookup, LookupState::Running { .. })
        || (on_result && !ready && state.engine_error.is_none());
    let slow = use_slow_flag(running.then_some(state.generation));

    html! {
        <div class="page" data-ready="true" data-preset-known={state.preset.known.to_string()}>
            <header class="masthead">
                <h1 class="title">{ strings::APP_TITLE() }</h1>
                <p class="tagline">{ strings::APP_TAGLINE() }</p>
            </header>
            if let Some(error) = &state.preset.error {
                <p class="error preset-error" role="status" id="preset-error">{ strings::preset_error(error) }</p>
            }
            <main class="card" id="main">
                <div class="progress" role="status" aria-live="polite" id="progress">
                    if let Some(error) = &state.engine_error {
                        <span class="error">{ strings::engine_failed(error) }</span>
                    } else if running && on_result {
                        <span class="spinner" aria-hidden="true"></span>
                        { if slow { strings::PROGRESS_SLOW() } else { strings::PROGRESS_LOOKING_UP() } }
                    }
                </div>
                <div data-result-ready={ready.to_string()}>{ body }</div>
                // Always there, for the same reason: the troubleshooter comes with the worker.
                <div class="trouble-slot">{ for trouble }</div>
                <p class="privacy">{ strings::PRIVACY_LINE() }</p>
            </main>
            <div class="settings-slot">
                if state.texts_ready {
                    <SettingsPanel lang={state.lang} resolver={state.resolver.clone()} on_change={on_resolver}
                                   lookups_off={state.preset.lookups_off}
                                   relay={state.live.relay_setting.clone()} on_relay={on_relay} />
                }
            </div>
            // After everything else: the address stays the first stop for the keyboard.
            <footer class="footer">
                <p>{ strings::FOOTER_SOURCE() }</p>
                <LanguageSwitch lang={state.lang} on_change={on_lang} />
            </footer>
        </div>
    }
}

/// How long lookups may run before the page says the resolver is slow.
const SLOW_AFTER_MS: u32 = 1_200;

/// True once the lookup of `generation` has run for [`SLOW_AFTER_MS`]; false when none runs.
#[hook]
fn use_slow_flag(generation: Option<u32>) -> bool {
    let slow = use_state(|| false);
    {
        let slow = slow.clone();
        use_effect_with(generation, move |generation| {
            slow.set(false);
            let timer = generation.map(|_| {
                gloo_timers::callback::Timeout::new(SLOW_AFTER_MS, move || slow.set(true))
            });
            move || drop(timer)
        });
    }
    *slow
}

/// Marks the first render in the browser's performance timeline; `cargo xtask bench` reads it.
fn mark_first_render() {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark("portolan-first-render");
    }
}
