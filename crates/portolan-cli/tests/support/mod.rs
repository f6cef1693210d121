//! Helpers shared by the CLI's integration tests: a real DoH server (dnsdist + unbound) on
//! loopback, small loopback HTTP and TCP servers, the loopback-only network namespace, and an
//! in-process relay.

#![allow(dead_code)]

pub mod doh_server;
pub mod loopback;
pub mod netns;
pub mod relay;
