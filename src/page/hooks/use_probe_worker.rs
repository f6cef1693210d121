//! Connects the live-check state to the probe worker and the relay:
//! - finds out whether the page's own server is a relay (`/healthz`, after the first render)
//!   and reads and remembers the relay URL of the settings (never from the URL);
//! - starts the probe worker the first time a check is due (never before: users who do not
//!   check never download it), sends the checks the state lists, and cancels the ones the
//!   state cancelled;
//! - turns the worker's answers into actions;
//! - takes the login test's password from the field to the one request that needs it, so it
//!   never enters the state and is gone after.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::messages::probe::{LoginSecret, Request, Response};
use crate::page::live::{Purpose, RelayStatus};
use crate::page::state::{Action, AppState};
use crate::page::worker_client::{WorkerClient, WorkerKind};

/// The longest wait for any one step of a check, in milliseconds.
const STEP_TIMEOUT_MS: u64 = 8_000;
/// Where the relay URL of the settings is remembered.
const RELAY_KEY: &str = "portolan.relay";

/// The probe worker, as the page sees it.
pub struct ProbeWorkerKind;

impl WorkerKind for ProbeWorkerKind {
    type Request = Request;
    type Response = Response;
    const SCRIPT: &'static str = "./portolan-probe-worker_loader.js";

    fn is_ready(response: &Response) -> bool {
        *response == Response::Ready
    }

    fn failed(message: String) -> Response {
        Response::Failed { message }
    }
}

/// The action a probe-worker answer leads to (`Ready` needs none).
fn action_for(response: Response) -> Option<Action> {
    match response {
        Response::Ready => None,
        Response::Progress { id, step } => Some(Action::CheckProgress { id, step }),
        Response::Checked { id, checked } => Some(Action::CheckDone { id, checked }),
        Response::Failed { message } => Some(Action::ProbeWorkerFailed(message)),
    }
}

/// What the page's components can ask of the probe worker beyond what the state says.
#[derive(Clone, PartialEq)]
pub struct ProbeControls {
    /// Runs the login test with this password (taken once, then dropped).
    pub login: Callback<String>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[hook]
pub fn use_probe_worker(state: UseReducerHandle<AppState>) -> ProbeControls {
    let worker = {
        let state = state.clone();
        use_memo((), move |()| {
            WorkerClient::<ProbeWorkerKind>::new(Callback::from(move |response| {
                if let Some(action) = action_for(response) {
                    state.dispatch(action);
                }
            }))
        })
    };
    let password = use_mut_ref(|| None::<String>);

    {
        // After the first render: the remembered relay, then whether this site is one.
        let state = state.clone();
        use_effect_with((), move |()| {
            let remembered =
                storage().and_then(|storage| storage.get_item(RELAY_KEY).ok().flatten());
            if let Some(url) = remembered {
                state.dispatch(Action::SetRelay(Some(url)));
            }
            wasm_bindgen_futures::spawn_local(async move {
                state.dispatch(Action::RelayFound(own_relay().await));
            });
        });
    }
    {
        let setting = state.live.relay_setting.clone();
        use_effect_with(setting, |setting| {
            if let Some(storage) = storage() {
                let _ = match setting {
                    Some(url) => storage.set_item(RELAY_KEY, url),
                    None => storage.remove_item(RELAY_KEY),
                };
            }
        });
    }
    {
        // Send what the state lists as waiting.
        let worker = worker.clone();
        let state_handle = state.clone();
        let password = password.clone();
        let waiting: Vec<u32> = state.live.waiting().iter().map(|run| run.id).collect();
        use_effect_with(waiting, move |waiting| {
            if waiting.is_empty() {
                return;
            }
            let state = &*state_handle;
            let Some(relay) = state.live.relay_url() else {
                return;
            };
            // The user's address domain, for RFC 7817's check; the audit's ports have none.
            let email_domain = state
                .submitted
                .as_ref()
                .map(|input| input.domain.ascii.clone());
            worker.start();
            let unix_seconds = (js_sys::Date::now() / 1000.0) as u64;
            let login_user = state
                .current_report()
                .map(|report| report.incoming.login.clone())
                .unwrap_or_default();
            for run in state.live.waiting() {
                let login = (run.purpose == Purpose::Login)
                    .then(|| password.borrow_mut().take())
                    .flatten()
                    .map(|password| LoginSecret {
                        user: login_user.clone(),
                        password,
                    });
                worker.send(&Request::Check {
                    id: run.id,
                    relay: relay.to_owned(),
                    target: run.target.clone(),
                    email_domain: email_domain
                        .clone()
                        .filter(|_| run.purpose != Purpose::Audit),
                    scans: matches!(run.purpose, Purpose::Check | Purpose::Audit),
                    timeout_ms: STEP_TIMEOUT_MS,
                    unix_seconds,
                    login,
                    lang: state.lang,
                });
            }
            state_handle.dispatch(Action::ChecksSent(waiting.clone()));
        });
    }
    {
        // Finished checks in words again when they are not in the reader's language (a
        // switch during or after the check).
        let worker = worker.clone();
        let stale = state.live.checks_not_in(state.lang);
        let ids: Vec<u32> = stale.iter().map(|(id, _)| *id).collect();
        use_effect_with((state.lang, ids), move |(lang, _)| {
            if !stale.is_empty() && worker.is_started() {
                worker.send(&Request::Reword {
                    lang: *lang,
                    checks: stale,
                });
            }
        });
    }
    {
        // Stop in the worker what the state cancelled or dropped.
        let worker = worker.clone();
        let stopped = state.live.stopped();
        use_effect_with(stopped, move |stopped| {
            if !stopped.is_empty() && worker.is_started() {
                worker.send(&Request::Cancel {
                    ids: stopped.to_vec(),
                });
            }
        });
    }
    let login = {
        let state = state.clone();
        let password: Rc<RefCell<Option<String>>> = password;
        Callback::from(move |secret: String| {
            // Kept only when the state will start the test, so the send above takes it at
            // once; otherwise it is dropped here.
            let starts = state
                .current_report()
                .is_some_and(|report| state.live.can_login(report));
            if starts {
                *password.borrow_mut() = Some(secret);
                state.dispatch(Action::StartLogin);
            }
        })
    };
    ProbeControls { login }
}

/// Whether the page's own server is a relay: `/healthz` at the site's root answers `ok`
/// (a static host's fallback page does not).
async fn own_relay() -> RelayStatus {
    let Some(window) = web_sys::window() else {
        return RelayStatus::Missing;
    };
    let Ok(origin) = window.location().origin() else {
        return RelayStatus::Missing;
    };
    let url = format!("{origin}{}", portolan_relay_wire::HEALTH_PATH);
    let Ok(response) = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&url)).await
    else {
        return RelayStatus::Missing;
    };
    let Ok(response) = response.dyn_into::<web_sys::Response>() else {
        return RelayStatus::Missing;
    };
    if !response.ok() {
        return RelayStatus::Missing;
    }
    let text = match response.text() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|value| value.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if text.trim() == "ok" {
        RelayStatus::Available {
            url: format!("{origin}/"),
            same_origin: true,
        }
    } else {
        RelayStatus::Missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::probe::CheckedServer;
    use crate::messages::probe::Step;

    #[test]
    fn every_probe_answer_but_ready_becomes_an_action() {
        assert_eq!(action_for(Response::Ready), None);
        assert_eq!(
            action_for(Response::Progress {
                id: 2,
                step: Step::Greeting
            }),
            Some(Action::CheckProgress {
                id: 2,
                step: Step::Greeting
            })
        );
        let checked = Box::new(CheckedServer {
            view: Default::default(),
            report: "{}".into(),
            lang: Default::default(),
        });
        assert_eq!(
            action_for(Response::Checked {
                id: 3,
                checked: checked.clone()
            }),
            Some(Action::CheckDone { id: 3, checked })
        );
        assert_eq!(
            action_for(Response::Failed {
                message: "x".into()
            }),
            Some(Action::ProbeWorkerFailed("x".into()))
        );
    }
}
