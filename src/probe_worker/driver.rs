//! The browser's probe driver: carries out what portolan-probe's state machines ask over a
//! WebSocket to the relay, with the worker's clock, and runs a check's probes together within
//! a limit on open sessions (the relay allows 16 per client by default).
//!
//! Thin on purpose, like the CLI's driver: what to send, when to wait and what it means live in
//! the probe crate.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use futures::StreamExt;
use portolan_probe::{Event, Probe, ProbeConfig, ProbeOutcome, Step};

use super::socket::{RelaySocket, SocketEvent};

/// Sessions open at once through the relay, across every check of this worker.
pub const MAX_SESSIONS: usize = 12;

/// A counting limit on open sessions, for one thread.
#[derive(Clone, Default)]
pub struct Limiter {
    state: Rc<RefCell<LimiterState>>,
}

#[derive(Default)]
struct LimiterState {
    open: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
}

/// A held place; gives it back when dropped.
pub struct Permit {
    limiter: Limiter,
}

impl Limiter {
    /// Waits for a place.
    pub async fn acquire(&self) -> Permit {
        let wait = {
            let mut state = self.state.borrow_mut();
            if state.open < MAX_SESSIONS {
                state.open += 1;
                None
            } else {
                let (sender, receiver) = oneshot::channel();
                state.waiting.push_back(sender);
                Some(receiver)
            }
        };
        if let Some(receiver) = wait {
            // The place is handed over by the permit that was dropped.
            let _ = receiver.await;
        }
        Permit {
            limiter: self.clone(),
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut state = self.limiter.state.borrow_mut();
        while let Some(next) = state.waiting.pop_front() {
            if next.send(()).is_ok() {
                return;
            }
        }
        state.open = state.open.saturating_sub(1);
    }
}

/// The worker's monotonic clock, in milliseconds.
pub fn now_ms() -> u64 {
    let global: web_sys::WorkerGlobalScope = wasm_bindgen::JsCast::unchecked_into(js_sys::global());
    global
        .performance()
        .map_or_else(js_sys::Date::now, |performance| performance.now()) as u64
}

/// Drives one probe to its end through the relay at `relay`, reporting its steps. Dropping the
/// future stops it (the session closes with the socket).
pub async fn drive(
    config: ProbeConfig,
    relay: &str,
    limiter: &Limiter,
    on_step: &dyn Fn(Step),
) -> ProbeOutcome {
    let _permit = limiter.acquire().await;
    let (host, port) = (config.host.clone(), config.port);
    let mut probe = Probe::new(config, now_ms());
    let opened = RelaySocket::open(relay, &host, port);
    let (mut socket, mut events) = match opened {
        Ok(opened) => opened,
        Err(why) => {
            probe.handle_connect_failed(now_ms(), why);
            return probe.into_outcome();
        }
    };
    loop {
        while let Some(event) = probe.poll_event() {
            if let Event::Step(step) = event {
                on_step(step);
            }
        }
        if socket.is_open() {
            while let Some(bytes) = probe.poll_transmit() {
                if socket.send(&bytes).is_err() {
                    probe.handle_closed(now_ms());
                    break;
                }
            }
        }
        if probe.is_finished() {
            break;
        }
        let wait_ms = probe
            .poll_timeout()
            .map_or(60_000, |deadline| deadline.saturating_sub(now_ms()));
        let timer =
            gloo_timers::future::TimeoutFuture::new(u32::try_from(wait_ms).unwrap_or(u32::MAX));
        match select(events.next(), timer).await {
            Either::Left((Some(SocketEvent::Open), _)) => {
                socket.set_open();
                probe.handle_connected(now_ms());
            }
            Either::Left((Some(SocketEvent::Data(bytes)), _)) => {
                probe.handle_input(now_ms(), &bytes)
            }
            Either::Left((Some(SocketEvent::Closed { connect_failed }), _)) => {
                match (connect_failed, socket.is_open()) {
                    (Some(why), _) => probe.handle_connect_failed(now_ms(), why),
                    (None, false) => probe.handle_connect_failed(
                        now_ms(),
                        "the relay refused the session or could not be reached (it connects only to allowed ports and public addresses)",
                    ),
                    (None, true) => probe.handle_closed(now_ms()),
                }
            }
            Either::Left((None, _)) => probe.handle_closed(now_ms()),
            Either::Right(((), _)) => {
                let now = now_ms();
                if socket.is_open() {
                    probe.handle_timeout(now);
                } else if probe.poll_timeout().is_some_and(|deadline| now >= deadline) {
                    probe.handle_connect_failed(now, "the relay did not open the session in time");
                }
            }
        }
    }
    // The goodbye the probe queued last, then the session closes with the socket.
    if socket.is_open() {
        while let Some(bytes) = probe.poll_transmit() {
            let _ = socket.send(&bytes);
        }
    }
    drop(socket);
    probe.into_outcome()
}
