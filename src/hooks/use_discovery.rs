//! Runs the lookups the state asks for, and reports the result back as an action.

use std::rc::Rc;

use yew::prelude::*;

use crate::services::discovery::{discover, DiscoveryConfig};
use crate::services::fetch::now_ms;
use crate::state::{Action, AppState};

/// The wait for one resolver before falling back to the next.
const RESOLVER_TIMEOUT_MS: u32 = 2_500;

/// Starts a discovery whenever the state has a pending lookup of a new generation.
#[hook]
pub fn use_discovery(state: UseReducerHandle<AppState>) {
    let pending = state
        .pending_lookup()
        .map(|(generation, input)| (generation, input.clone(), state.resolver.clone()));
    let generation = pending.as_ref().map(|(generation, _, _)| *generation);
    use_effect_with(generation, move |_| {
        if let Some((generation, input, resolver)) = pending {
            let config = DiscoveryConfig {
                resolvers: resolver.resolvers(),
                timeout_ms: RESOLVER_TIMEOUT_MS,
            };
            let offline = config.resolvers.is_empty();
            wasm_bindgen_futures::spawn_local(async move {
                let started = now_ms();
                let discovery = discover(&input, &config).await;
                let milliseconds = (now_ms() - started).max(0.0).round() as u64;
                state.dispatch(Action::LookupFinished {
                    generation,
                    discovery: Rc::new(discovery),
                    milliseconds,
                    offline,
                });
            });
        }
    });
}
