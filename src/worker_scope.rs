//! What both workers do the same way inside their Web Worker: take the page's messages (JSON
//! text) and post answers back. The engine worker answers each request once; the probe worker
//! posts progress as it goes, so handlers get a [`Replier`] to post with as often as they like.

use serde::Serialize;

use crate::messages::encode;

/// Posts messages to the page.
#[derive(Clone)]
pub struct Replier {
    #[cfg(target_arch = "wasm32")]
    scope: web_sys::DedicatedWorkerGlobalScope,
}

impl Replier {
    /// Posts one message as JSON text. A failed post means the page is gone; there is nobody
    /// left to tell.
    pub fn post<T: Serialize>(&self, message: &T) {
        let text = encode(message);
        #[cfg(target_arch = "wasm32")]
        {
            let _ = self
                .scope
                .post_message(&wasm_bindgen::JsValue::from_str(&text));
        }
        #[cfg(not(target_arch = "wasm32"))]
        drop(text);
    }
}

/// Calls `handle` with every message the page posts (as text) and a [`Replier`]; returns the
/// replier for messages the worker sends on its own (its `Ready`).
#[cfg(target_arch = "wasm32")]
pub fn serve(mut handle: impl FnMut(String, Replier) + 'static) -> Replier {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replier = Replier {
        scope: scope.clone(),
    };
    let on_message = {
        let replier = replier.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            handle(text, replier.clone());
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    replier
}
