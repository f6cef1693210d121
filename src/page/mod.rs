//! The page: the first screen and all UI. `state` (with `live`) holds the reducer, plain logic
//! tested natively; `components` render props and emit callbacks; `hooks` are the only code
//! that touches workers, storage, the network and the URL; `worker_client` is the page's side
//! of both workers; `settings`, `prefill` and `client_guess` read what the user chose, the
//! link and the user agent; `language` picks the language before the first render.

pub mod app;
pub mod client_guess;
pub mod components;
pub mod hooks;
pub mod language;
pub mod live;
pub mod prefill;
pub mod settings;
pub mod state;
pub mod worker_client;
