//! Connects the state to the engine worker: starts it once the first render is on screen,
//! sends it what the state asks for (a verdict on the typed text, a lookup, a result screen),
//! and turns every answer into an action.

use std::rc::Rc;

use portolan_core::lang::Lang;
use yew::prelude::*;

use crate::messages::engine::{Request, Response};
use crate::page::hooks::switch_language::switch_language;
use crate::page::settings::ResolverChoice;
use crate::page::state::{Action, AppState, ReportFor, TroubleQuestion};
use crate::page::worker_client::{WorkerClient, WorkerKind};
use crate::strings;

/// The wait for one resolver before falling back to the next.
const RESOLVER_TIMEOUT_MS: u32 = 2_500;

/// The engine worker, as the page sees it.
pub struct EngineWorkerKind;

impl WorkerKind for EngineWorkerKind {
    type Request = Request;
    type Response = Response;
    const SCRIPT: &'static str = "./portolan-engine_loader.js";

    fn is_ready(response: &Response) -> bool {
        *response == Response::Ready
    }

    fn failed(message: String) -> Response {
        Response::Failed { message }
    }
}

/// The action an engine answer leads to (`Ready` needs none).
fn action_for(response: Response) -> Option<Action> {
    match response {
        // Kept by the hook itself (see `use_engine_worker`).
        Response::Ready | Response::Texts { .. } => None,
        Response::Preset {
            lookups_off,
            resolver,
            relay,
            branding,
            error,
            lang,
        } => Some(Action::PresetKnown {
            lookups_off,
            resolver: resolver.as_deref().and_then(ResolverChoice::from_storage),
            relay,
            branding,
            error,
            lang,
        }),
        Response::Parsed { text, result, lang } => Some(Action::Parsed { text, result, lang }),
        Response::LookedUp {
            generation,
            milliseconds,
        } => Some(Action::LookupFinished {
            generation,
            milliseconds,
        }),
        Response::Prepared {
            generation,
            client,
            live,
            report,
            lang,
        } => Some(Action::ReportReady(ReportFor {
            generation,
            client,
            live,
            report: Rc::new(*report),
            lang,
        })),
        Response::Explained {
            text,
            generation,
            client,
            explanation,
            lang,
        } => Some(Action::Explained {
            question: TroubleQuestion {
                text,
                generation,
                client,
            },
            explanation: Rc::new(explanation),
            lang,
        }),
        Response::Audited { generation, view } => Some(Action::Audited {
            generation,
            view: Rc::new(*view),
        }),
        Response::Failed { message } => Some(Action::EngineFailed(message)),
    }
}

/// The client: the real worker, or with the `inline-engine` feature the engine inside the page
/// (for the in-browser component tests, which have no worker file to load).
fn client(on_response: Callback<Response>) -> WorkerClient<EngineWorkerKind> {
    #[cfg(feature = "inline-engine")]
    {
        use std::cell::RefCell;

        use crate::engine_worker::{answer, EngineWorker};
        use crate::messages::encode;

        let worker = Rc::new(RefCell::new(EngineWorker::default()));
        WorkerClient::in_page(
            Rc::new(move |text: String| {
                let worker = worker.clone();
                Box::pin(async move { encode(&answer(worker, &text).await) })
            }),
            on_response,
        )
    }
    #[cfg(not(feature = "inline-engine"))]
    WorkerClient::new(on_response)
}

/// Runs the engine worker for the page; returns the language switch (which asks the worker
/// for the new language's texts, and switches when they are in).
#[hook]
pub fn use_engine_worker(state: UseReducerHandle<AppState>) -> Callback<Lang> {
    let engine = {
        let state = state.clone();
        use_memo((), move |()| {
            client(Callback::from(move |response| {
                if let Response::Texts { lang, texts } = response {
                    strings::keep_later_texts(lang, texts);
                    if lang == strings::lang() {
                        state.dispatch(Action::TextsArrived);
                    } else {
                        switch_language(&state, lang);
                    }
                    return;
                }
                if let Some(action) = action_for(response) {
                    state.dispatch(action);
                }
            }))
        })
    };
    let switch = {
        // Through the engine worker, which sends that language's later texts; at once when
        // they are in already, or when the worker failed (the first screen has both).
        let engine = engine.clone();
        let state = state.clone();
        Callback::from(move |lang: Lang| {
            if strings::has_later_texts(lang) || state.engine_error.is_some() {
                switch_language(&state, lang);
            } else {
                engine.send(&Request::Texts { lang });
            }
        })
    };
    {
        // Effects run after the render is committed: the worker is fetched only then, and the
        // requests below wait in the client until it is ready.
        let engine = engine.clone();
        let lang = state.lang;
        use_effect_with((), move |()| {
            engine.send(&Request::Texts { lang });
            engine.send(&Request::Preset { lang });
            engine.start();
        });
    }

    {
        let engine = engine.clone();
        let text = state.address_text.clone();
        let checked = state.current_parse().is_some();
        use_effect_with((text, state.lang), move |(text, lang)| {
            if !checked {
                engine.send(&Request::Parse {
                    text: text.clone(),
                    lang: *lang,
                });
            }
        });
    }

    {
        let engine = engine.clone();
        let pending = state
            .pending_lookup()
            .map(|(generation, input)| (generation, input.clone(), state.resolver.resolvers()));
        let second_resolver = state.resolver.second_resolver();
        let generation = pending.as_ref().map(|(generation, _, _)| *generation);
        use_effect_with(generation, move |_| {
            if let Some((generation, input, resolvers)) = pending {
                engine.send(&Request::Lookup {
                    generation,
                    input,
                    resolvers,
                    second_resolver,
                    timeout_ms: RESOLVER_TIMEOUT_MS,
                });
            }
        });
    }

    {
        let engine = engine.clone();
        let question = state.pending_question().cloned();
        let relay = state.live.relay_url().is_some();
        use_effect_with((question, state.lang), move |(question, lang)| {
            if let Some(question) = question.clone() {
                engine.send(&Request::Explain {
                    text: question.text,
                    generation: question.generation,
                    client: question.client,
                    relay,
                    lang: *lang,
                });
            }
        });
    }

    {
        let engine = engine.clone();
        let pending = state.pending_audit();
        let resolvers = state.resolver.resolvers();
        let generation = pending.as_ref().map(|(generation, _, _)| *generation);
        let lang = state.lang;
        use_effect_with(generation, move |_| {
            if let Some((generation, domain, selectors)) = pending {
                engine.send(&Request::Audit {
                    generation,
                    domain,
                    selectors,
                    resolvers,
                    timeout_ms: RESOLVER_TIMEOUT_MS,
                    lang,
                });
            }
        });
    }
    {
        let engine = engine.clone();
        let pending = state.pending_audit_checks();
        let checks = state.live.audit_checks();
        let lang = state.lang;
        use_effect_with(pending, move |pending| {
            if let Some((generation, _)) = *pending {
                engine.send(&Request::AuditChecks {
                    generation,
                    checks,
                    lang,
                });
            }
        });
    }
    {
        // A preset that could not be used is named again when its message is not in the
        // reader's language (reading the same file again changes nothing else).
        let engine = engine.clone();
        let stale = state.preset.error.is_some() && state.preset.lang != state.lang;
        use_effect_with((stale, state.lang), move |(stale, lang)| {
            if *stale {
                engine.send(&Request::Preset { lang: *lang });
            }
        });
    }
    {
        // An audit on screen in another language than the reader's (a switch during or after
        // it) is judged again, with the live checks it had: the worker keeps what it gathered.
        let engine = engine.clone();
        let stale = state
            .audit
            .view
            .as_ref()
            .filter(|view| view.lang != state.lang && view.error.is_none() && !state.audit.running)
            .map(|_| state.audit.generation);
        let checks = state.live.audit_checks();
        use_effect_with((stale, state.lang), move |(stale, lang)| {
            if let Some(generation) = *stale {
                engine.send(&Request::AuditChecks {
                    generation,
                    checks,
                    lang: *lang,
                });
            }
        });
    }

    let wanted = state.pending_report();
    let checks = state.live.checks();
    use_effect_with((wanted, state.lang), move |(wanted, lang)| {
        if let Some((generation, client, live)) = wanted.clone() {
            engine.send(&Request::Prepare {
                generation,
                client,
                live,
                checks,
                lang: *lang,
            });
        }
    });
    switch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::report::Report;

    #[test]
    fn every_engine_answer_but_ready_becomes_an_action() {
        assert_eq!(action_for(Response::Ready), None);
        assert_eq!(
            action_for(Response::Failed {
                message: "x".into()
            }),
            Some(Action::EngineFailed("x".into()))
        );
        let Some(Action::ReportReady(made)) = action_for(Response::Prepared {
            generation: 3,
            client: None,
            live: 2,
            report: Box::new(Report::default()),
            lang: portolan_core::lang::Lang::En,
        }) else {
            panic!("a report action");
        };
        assert_eq!((made.generation, made.live), (3, 2));
    }
}
