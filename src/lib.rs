//! Portolan in the browser: a Yew app over portolan-core.
//!
//! Two wasm binaries share this library. The page (`portolan-app`, the first screen) holds the
//! UI: `state` holds the reducer (plain logic, tested natively), `components` render props and
//! dispatch actions, `hooks` are the only code that touches services, storage and the URL, and
//! `strings` holds every user-facing text so a second language needs no component changes.
//! The engine worker (`portolan-engine`, loaded after the first render) runs `engine`: address
//! parsing, DoH lookups (`services`), the engine and the generators, building a `report`. The
//! two talk in `protocol` messages.

pub mod app;
pub mod client_guess;
pub mod components;
pub mod engine;
pub mod hooks;
pub mod prefill;
pub mod protocol;
pub mod report;
pub mod services;
pub mod settings;
pub mod state;
pub mod strings;

pub use app::App;

/// Mounts the app into the page's `#app` element (or `<body>` when there is none).
pub fn start() {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
