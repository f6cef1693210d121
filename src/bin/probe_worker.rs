//! The probe worker's entry point (Trunk builds it as a Web Worker next to the page, fetched
//! only when a live check starts): it checks servers through the relay. Everything else lives
//! in the library (`probe_worker`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    portolan_app::probe_worker::run();
}
