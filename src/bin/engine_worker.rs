//! The engine worker's entry point (Trunk builds it as a Web Worker next to the page): it
//! answers the page's requests. Everything else lives in the library (`engine_worker`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    portolan_app::engine_worker::run();
}
