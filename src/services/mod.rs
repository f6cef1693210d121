//! Network services of the browser app. Only hooks call these; components never do.

pub mod discovery;
pub mod fetch;
