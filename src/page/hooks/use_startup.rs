//! Start-up: prefill from the URL (`email`, `domain`, `client`) and the remembered resolver,
//! and remember the resolver whenever it changes; and the hand-over of the site's branding to
//! the embedding script.

use yew::prelude::*;

use crate::page::client_guess::likely_client;
use crate::page::prefill;
use crate::page::settings::ResolverChoice;
use crate::page::state::{Action, AppState};

const RESOLVER_KEY: &str = "portolan.resolver";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads the URL and storage once, on the first render; writes the resolver on change.
#[hook]
pub fn use_startup(state: UseReducerHandle<AppState>) {
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            let window = web_sys::window();
            let query = window
                .as_ref()
                .and_then(|window| window.location().search().ok())
                .unwrap_or_default();
            let from_link = prefill::from_query(&query);
            let resolver = storage()
                .and_then(|storage| storage.get_item(RESOLVER_KEY).ok().flatten())
                .and_then(|stored| ResolverChoice::from_storage(&stored));
            let suggested = window
                .and_then(|window| window.navigator().user_agent().ok())
                .and_then(|agent| likely_client(&agent).map(str::to_owned));
            state.dispatch(Action::Prefill {
                address: from_link.address,
                client: from_link.client,
                suggested_client: suggested,
                resolver,
            });
        });
    }
    // Only a choice the user made is remembered: not the default, nor a site preset's.
    let resolver = state.resolver_chosen.then(|| state.resolver.clone());
    use_effect_with(resolver, |resolver| {
        if let (Some(storage), Some(resolver)) = (storage(), resolver) {
            let _ = storage.set_item(RESOLVER_KEY, &resolver.to_storage());
        }
    });
}

/// Puts the site's branding (JSON from the engine worker's reading of the preset) where the
/// embedding script (`static/embed.js`) picks it up: `data-portolan-brand` on `<html>`.
#[hook]
pub fn use_branding(branding: Option<String>) {
    use_effect_with(branding, |branding| {
        let root = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element());
        if let (Some(root), Some(branding)) = (root, branding) {
            let _ = root.set_attribute("data-portolan-brand", branding);
        }
    });
}
