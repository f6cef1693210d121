//! Helpers shared by the CLI's integration tests: a real DoH server (dnsdist + unbound) on
//! loopback, small loopback HTTP and TCP servers, the loopback-only network namespace, an
//! in-process relay, and running the real mail tools against the test mail servers.

#![allow(dead_code)]

pub mod doh_server;
pub mod loopback;
pub mod netns;
pub mod relay;
pub mod tools;
