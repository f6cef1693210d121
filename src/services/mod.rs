//! Services of the browser app. Only hooks (in the page) and the engine (in the worker) call
//! these; components never do.

pub mod discovery;
pub mod engine_client;
pub mod fetch;
