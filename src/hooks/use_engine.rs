//! Connects the state to the engine worker: starts it once the first render is on screen,
//! sends it what the state asks for (a verdict on the typed text, a lookup, a result screen),
//! and reports every answer back as an action.

use yew::prelude::*;

use crate::protocol::Request;
use crate::services::engine_client::EngineClient;
use crate::state::{Action, AppState};

/// The wait for one resolver before falling back to the next.
const RESOLVER_TIMEOUT_MS: u32 = 2_500;

#[hook]
pub fn use_engine(state: UseReducerHandle<AppState>) {
    let engine = {
        let state = state.clone();
        use_memo((), move |()| {
            EngineClient::new(Callback::from(move |response| {
                if let Some(action) = Option::<Action>::from(response) {
                    state.dispatch(action);
                }
            }))
        })
    };
    {
        // Effects run after the render is committed: the worker is fetched only then, and the
        // requests below wait in the client until it is ready.
        let engine = engine.clone();
        use_effect_with((), move |()| engine.start());
    }

    {
        let engine = engine.clone();
        let text = state.address_text.clone();
        let checked = state.current_parse().is_some();
        use_effect_with(text, move |text| {
            if !checked {
                engine.send(&Request::Parse { text: text.clone() });
            }
        });
    }

    {
        let engine = engine.clone();
        let pending = state
            .pending_lookup()
            .map(|(generation, input)| (generation, input.clone(), state.resolver.resolvers()));
        let generation = pending.as_ref().map(|(generation, _, _)| *generation);
        use_effect_with(generation, move |_| {
            if let Some((generation, input, resolvers)) = pending {
                engine.send(&Request::Lookup {
                    generation,
                    input,
                    resolvers,
                    timeout_ms: RESOLVER_TIMEOUT_MS,
                });
            }
        });
    }

    let wanted = state.pending_report();
    use_effect_with(wanted, move |wanted| {
        if let Some((generation, client)) = wanted.clone() {
            engine.send(&Request::Prepare { generation, client });
        }
    });
}
