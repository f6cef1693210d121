//! Hooks: the only place where the app touches services, storage and the page's URL.

pub mod use_engine;
pub mod use_startup;
