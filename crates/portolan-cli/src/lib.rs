//! The `portolan` command's library: the native drivers that carry out what portolan-core
//! plans (DNS over HTTPS, fetching published files), shared by the subcommands and tests.

#[macro_use]
mod output;
pub mod audit;
pub mod check;
pub mod discover;
pub mod doh;
mod fetch;
mod http;
pub mod pipe;
pub mod probing;
