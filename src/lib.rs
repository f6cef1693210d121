//! Portolan in the browser: a Yew app over portolan-core.
//!
//! Layout by role: `state` holds the reducer (plain logic, tested natively), `components`
//! render props and dispatch actions, `hooks` are the only code that touches services
//! (`services`: DoH over fetch), storage and the URL, and `strings` holds every user-facing
//! text so a second language needs no component changes.

pub mod app;
pub mod client_guess;
pub mod components;
pub mod hooks;
pub mod prefill;
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
