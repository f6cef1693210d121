//! Portolan in the browser: a Yew app over portolan-core.
//!
//! Layout by role: `state` holds the reducer (plain logic, tested natively), `components`
//! render props and dispatch actions, `strings` holds every user-facing text so a second
//! language needs no component changes. Services (DoH fetch, WebSocket) will live behind hooks.

pub mod app;
pub mod components;
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
