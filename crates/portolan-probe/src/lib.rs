//! Portolan's live checks as sans-IO state machines: no sockets, no clock, no runtime. A driver
//! (tokio natively in `portolan check`, a WebSocket to the relay in the browser's probe worker)
//! feeds each [`Probe`] bytes and time and carries out what it asks; the same code runs in
//! both places, TLS included (rustls with the ring provider, verified against the webpki roots
//! at a wall-clock time passed in).
//!
//! A separate crate from portolan-core, so rustls, ring and the root store stay out of the page
//! and the engine worker; it uses the core only for the model types it reports in.
//!
//! Codemap:
//! - [`check`]: which probes a check runs ([`check::plan`]) and how their outcomes become one
//!   [`portolan_core::model::LiveCheck`] ([`check::assemble`]);
//! - [`probe`]: one connection's conversation, the state machine ([`Probe`]);
//! - `dialogue`: what SMTP, IMAP and POP3 say at each step; `reply`: reading their answers;
//!   `lines`: bounded line splitting; `login`, `sasl`: the optional login test;
//! - `tls`: rustls as a transform over buffers, recording (not enforcing) verification;
//!   `certificate`, `der`: what a certificate says, for people;
//! - `hello`: hand-built ClientHellos for the legacy-version and weak-cipher scans;
//! - `findings`: from what was seen to findings with fixes, and the grade.

mod certificate;
pub mod check;
mod der;
mod dialogue;
mod findings;
#[doc(hidden)]
pub mod fuzzing;
pub mod hello;
mod lines;
mod login;
pub mod probe;
pub mod reply;
mod sasl;
mod tls;

pub use check::{assemble, plan, CheckRequest};
pub use probe::{Event, Failure, Millis, Probe, ProbeConfig, ProbeOutcome, ScanAnswer, Step, Task};
pub use sasl::Credentials;
pub use tls::{Negotiated, TlsSetupError, TrustAnchors};
