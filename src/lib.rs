//! Portolan in the browser: a Yew app over portolan-core, as three wasm binaries over this one
//! library.
//!
//! - `page` — the first screen and all UI (bin `portolan-app`): state, components, hooks, and
//!   the client of the two workers. It links no engine, DNS or TLS code.
//! - `engine_worker` — the engine worker (bin `portolan-engine`, started after the first
//!   render): address parsing, DoH lookups, the recommendation and the generators, each
//!   answer a `messages::engine` message.
//! - `probe_worker` — the probe worker (bin `portolan-probe-worker`, fetched only when a live
//!   check starts): `portolan-probe` over a WebSocket to the relay, TLS inside the worker.
//! - `messages` — what crosses between them, as JSON text; `worker_scope` — how a worker
//!   takes messages and answers; `strings` — every user-facing text; `markup` — escaping for
//!   the markup the workers make.

pub mod engine_worker;
pub mod markup;
pub mod messages;
pub mod page;
pub mod probe_worker;
pub mod strings;
pub mod worker_scope;

pub use page::app::App;

/// Mounts the app into the page's `#app` element (or `<body>` when there is none).
pub fn start() {
    let lang = page::language::initial();
    strings::set_lang(lang);
    page::language::mark_document(lang);
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
