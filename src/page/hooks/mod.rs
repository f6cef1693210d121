//! Hooks: the only place where the page touches its workers, the network, storage and the
//! URL. Each worker's hook also turns that worker's answers into actions.

pub mod switch_language;
pub mod use_engine_worker;
pub mod use_probe_worker;
pub mod use_startup;
