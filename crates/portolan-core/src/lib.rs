//! Portolan's core: every piece of logic, and no I/O.
//!
//! This crate knows nothing about sockets, clocks, HTTP clients or the DOM. Drivers at the edges
//! (the browser app, the CLI, the relay's tests) feed it bytes and time and carry out what it
//! asks for. It builds for `wasm32-unknown-unknown` and natively, and is tested on both.

pub mod address;
pub mod audit;
pub mod civil;
pub mod clients;
pub mod discovery;
pub mod dns;
pub mod engine;
pub mod formats;
pub mod guess;
pub mod i18n;
pub mod knowledge;
pub mod lang;
pub mod link;
pub mod lint;
pub mod model;
pub mod preset;
pub mod resolver_url;
pub mod setup;
pub mod troubleshoot;

pub use address::{parse_input, AddressError, Domain, MailInput};
