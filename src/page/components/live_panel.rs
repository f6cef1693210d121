//! The live-check panel of the result: what a check would need (a relay) when there is none;
//! otherwise the "Check these servers" button, a line per server with its progress and then
//! its grade, findings and fixes, TLS and certificate; what the probed guesses did; and the
//! optional login test. Data in through props, intentions out through callbacks.

use std::rc::Rc;

use portolan_core::lang::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::messages::probe::{CheckedServer, Step, Target};
use crate::messages::report::ProbedGuess;
use crate::page::components::result_view::worker_markup;
use crate::page::live::{LiveState, Purpose, RelayStatus, Run, RunState};
use crate::strings;

#[derive(Properties, PartialEq)]
pub struct LivePanelProps {
    /// The language its words are in: a switch renders it again.
    pub lang: Lang,
    pub live: LiveState,
    /// Guesses the result says were probed.
    pub probed: Vec<ProbedGuess>,
    /// The login name of the recommended incoming server, for the login test.
    pub login_user: String,
    /// Whether there is a recommended incoming server to test a login on.
    pub can_login: bool,
    /// The incoming server's host when it is outside the user's domain: the user confirms it
    /// before the password goes there (RFC 7817 §3).
    pub confirm_host: Option<AttrValue>,
    pub on_check: Callback<()>,
    pub on_cancel: Callback<()>,
    pub on_login: Callback<String>,
}

fn endpoint(target: &Target) -> String {
    format!(
        "{} {}:{} ({})",
        target.protocol.label(),
        target.host,
        target.port,
        strings::security(target.security)
    )
}

fn grade_class(grade: &str) -> &'static str {
    match grade {
        "A" | "B" => "badge grade-good",
        "C" => "badge grade-fallback",
        _ => "badge grade-bad",
    }
}

fn run_line(run: &Run) -> Html {
    let status = match &run.state {
        RunState::Waiting => {
            html! { <span class="step">{ strings::live_step(Step::Connecting) }</span> }
        }
        RunState::Running(step) => html! {
            <span class="step"><span class="spinner" aria-hidden="true"></span>{ strings::live_step(*step) }</span>
        },
        RunState::Cancelled => html! { <span class="step">{ strings::LIVE_CANCELLED() }</span> },
        RunState::Done(checked) if !checked.view.reachable => html! {
            <span class="badge grade-bad" title={checked.view.grade_words.clone()}>{ strings::LIVE_NOT_REACHABLE() }</span>
        },
        RunState::Done(checked) => html! {
            <span class={grade_class(&checked.view.grade)} title={checked.view.grade_words.clone()}>
                { format!("{} {}", strings::COL_GRADE(), checked.view.grade) }
            </span>
        },
    };
    let done: Option<&Rc<CheckedServer>> = match &run.state {
        RunState::Done(checked) => Some(checked),
        _ => None,
    };
    html! {
        <li class="live-run" data-run-state={match run.state { RunState::Done(_) => "done", RunState::Cancelled => "cancelled", _ => "running" }}>
            <div class="live-line"><code>{ endpoint(&run.target) }</code>{ " " }{ status }</div>
            if let Some(checked) = done {
                { worker_markup(&checked.view.html) }
            }
        </li>
    }
}

#[function_component(LivePanel)]
pub fn live_panel(props: &LivePanelProps) -> Html {
    let password = use_node_ref();
    let confirmed = use_state(|| false);
    let live = &props.live;
    let busy = live.busy();
    let on_check = {
        let on_check = props.on_check.clone();
        Callback::from(move |_: MouseEvent| on_check.emit(()))
    };
    let on_cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let on_login = {
        let on_login = props.on_login.clone();
        let password = password.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(field) = password.cast::<HtmlInputElement>() {
                let secret = field.value();
                // The field is emptied at once: the password lives on only in the one request.
                field.set_value("");
                if !secret.is_empty() {
                    on_login.emit(secret);
                }
            }
        })
    };
    let checks: Vec<&Run> = live
        .runs
        .iter()
        .filter(|run| !matches!(run.purpose, Purpose::Guess | Purpose::Audit))
        .collect();
    let body = match &live.relay {
        RelayStatus::Unknown => html! { <p class="hint">{ strings::LIVE_RELAY_UNKNOWN() }</p> },
        RelayStatus::Missing => html! {
            <div class="no-relay" id="no-relay">
                <p>{ strings::LIVE_NO_RELAY() }</p>
                <pre><code>{ strings::LIVE_RELAY_COMMAND() }</code></pre>
            </div>
        },
        RelayStatus::Available { url, same_origin } => html! {
            <>
                <p class="hint" id="relay-in-use">
                    if *same_origin { { strings::LIVE_VIA_OWN() } } else { { format!("{} {url}", strings::LIVE_VIA()) } }
                </p>
                <div class="field-row">
                    if busy {
                        <button type="button" class="secondary" id="cancel-checks" onclick={on_cancel}>{ strings::LIVE_CANCEL() }</button>
                    } else {
                        <button type="button" class="primary" id="check-servers" onclick={on_check}>
                            { if checks.is_empty() { strings::LIVE_CHECK_BUTTON() } else { strings::LIVE_CHECK_AGAIN() } }
                        </button>
                    }
                </div>
            </>
        },
    };
    let guesses = (!props.probed.is_empty()).then(|| html! {
        <div class="probed" id="probed-guesses">
            <p>{ strings::LIVE_GUESSES_PROBED() }</p>
            <ul>
                { for props.probed.iter().map(|probed| html! {
                    <li data-confirmed={probed.confirmed.to_string()}>
                        <code>{ format!("{}:{}", probed.host, probed.port) }</code>
                        { format!(" — {}", if probed.confirmed { strings::LIVE_GUESS_ANSWERED() } else { strings::LIVE_GUESS_SILENT() }) }
                    </li>
                }) }
            </ul>
        </div>
    });
    let on_confirm = {
        let confirmed = confirmed.clone();
        Callback::from(move |event: Event| {
            confirmed.set(event.target_unchecked_into::<HtmlInputElement>().checked());
        })
    };
    let blocked = busy || (props.confirm_host.is_some() && !*confirmed);
    let login_form = (props.can_login && live.relay_url().is_some()).then(|| html! {
        <form class="login-test" id="login-test" onsubmit={on_login} autocomplete="off">
            <h4>{ strings::LOGIN_HEADING() }</h4>
            if let Some(host) = &props.confirm_host {
                <p class="confirm-host">
                    <input type="checkbox" id="login-confirm" checked={*confirmed} onchange={on_confirm} />
                    <label for="login-confirm">{ strings::login_confirm(host) }</label>
                </p>
            }
            <label for="login-password" class="field-label">{ format!("{} {}", strings::LOGIN_PASSWORD_LABEL(), props.login_user) }</label>
            <div class="field-row">
                <input id="login-password" type="password" ref={password} autocomplete="off" disabled={busy} />
                <button type="submit" class="secondary" disabled={blocked}>{ strings::LOGIN_BUTTON() }</button>
            </div>
            <p class="hint">{ strings::LOGIN_HINT() }</p>
        </form>
    });
    html! {
        <section class="live" id="live-check" aria-labelledby="live-heading">
            <h3 id="live-heading">{ strings::LIVE_HEADING() }</h3>
            <p class="hint">{ strings::LIVE_INTRO() }</p>
            if let Some(error) = &live.error {
                <p class="error" role="alert">{ format!("{}: {error}", strings::LIVE_WORKER_FAILED()) }</p>
            }
            { body }
            <div role="status" aria-live="polite">
                if !checks.is_empty() {
                    <ul class="live-runs" id="live-runs">{ for checks.iter().map(|run| run_line(run)) }</ul>
                }
                { for guesses }
            </div>
            { for login_form }
        </section>
    }
}
