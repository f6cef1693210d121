//! Admission control: sessions in total, sessions per client, and new sessions per client per
//! minute (a token bucket). A granted session holds a [`SessionPermit`]; dropping it gives the
//! slot back.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Why admission was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitRefusal {
    /// The relay as a whole is full.
    TotalSessions,
    /// This client already has its share of open sessions.
    SessionsPerClient,
    /// This client opened too many sessions in the last minute.
    Rate,
}

#[derive(Debug)]
struct ClientState {
    active: usize,
    tokens: f64,
    refilled: Instant,
}

#[derive(Debug)]
struct GateState {
    total: usize,
    clients: HashMap<IpAddr, ClientState>,
    admissions: u64,
}

/// Shared admission state.
#[derive(Debug)]
pub struct Gate {
    max_total: usize,
    max_per_client: usize,
    rate_per_minute: f64,
    state: Mutex<GateState>,
}

/// One admitted session; dropping it releases the slot.
#[derive(Debug)]
pub struct SessionPermit {
    gate: Arc<Gate>,
    client: IpAddr,
}

/// The key a client is counted under: its IPv4 address, or the /64 of its IPv6 address (one
/// host usually owns a whole /64).
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
    }
}

impl Gate {
    /// A gate with the given limits (each at least 1).
    pub fn new(max_total: usize, max_per_client: usize, rate_per_minute: u32) -> Arc<Self> {
        Arc::new(Gate {
            max_total: max_total.max(1),
            max_per_client: max_per_client.max(1),
            rate_per_minute: f64::from(rate_per_minute.max(1)),
            state: Mutex::new(GateState {
                total: 0,
                clients: HashMap::new(),
                admissions: 0,
            }),
        })
    }

    /// Sessions open now.
    pub fn active(&self) -> usize {
        self.state.lock().map(|state| state.total).unwrap_or(0)
    }

    /// Admits one session for `client` at `now`, or says which limit refused it. Every attempt
    /// that gets past the total and per-client limits spends a rate token.
    pub fn admit(
        self: &Arc<Self>,
        client: IpAddr,
        now: Instant,
    ) -> Result<SessionPermit, LimitRefusal> {
        let key = client_key(client);
        let mut state = self.state.lock().map_err(|_| LimitRefusal::TotalSessions)?;
        state.admissions += 1;
        if state.admissions % 1024 == 0 {
            self.prune(&mut state, now);
        }
        if state.total >= self.max_total {
            return Err(LimitRefusal::TotalSessions);
        }
        let capacity = self.rate_per_minute;
        let entry = state.clients.entry(key).or_insert(ClientState {
            active: 0,
            tokens: capacity,
            refilled: now,
        });
        refill(entry, capacity, now);
        if entry.active >= self.max_per_client {
            return Err(LimitRefusal::SessionsPerClient);
        }
        if entry.tokens < 1.0 {
            return Err(LimitRefusal::Rate);
        }
        entry.tokens -= 1.0;
        entry.active += 1;
        state.total += 1;
        Ok(SessionPermit {
            gate: Arc::clone(self),
            client: key,
        })
    }

    /// Forgets clients with nothing open whose bucket has refilled, so the table stays small.
    fn prune(&self, state: &mut GateState, now: Instant) {
        let capacity = self.rate_per_minute;
        state.clients.retain(|_, client| {
            refill(client, capacity, now);
            client.active > 0 || client.tokens < capacity
        });
    }

    fn release(&self, client: IpAddr) {
        if let Ok(mut state) = self.state.lock() {
            state.total = state.total.saturating_sub(1);
            if let Some(entry) = state.clients.get_mut(&client) {
                entry.active = entry.active.saturating_sub(1);
            }
        }
    }
}

fn refill(client: &mut ClientState, capacity: f64, now: Instant) {
    let elapsed = now.saturating_duration_since(client.refilled).as_secs_f64();
    client.tokens = (client.tokens + elapsed * capacity / 60.0).min(capacity);
    client.refilled = now;
}

impl Drop for SessionPermit {
    fn drop(&mut self) {
        self.gate.release(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn per_client_and_total_limits() {
        let gate = Gate::new(3, 2, 100);
        let now = Instant::now();
        let a1 = gate.admit(ip("192.0.2.1"), now).unwrap();
        let _a2 = gate.admit(ip("192.0.2.1"), now).unwrap();
        assert_eq!(
            gate.admit(ip("192.0.2.1"), now).unwrap_err(),
            LimitRefusal::SessionsPerClient
        );
        let _b1 = gate.admit(ip("192.0.2.2"), now).unwrap();
        assert_eq!(
            gate.admit(ip("192.0.2.3"), now).unwrap_err(),
            LimitRefusal::TotalSessions
        );
        drop(a1);
        assert_eq!(gate.active(), 2);
        assert!(gate.admit(ip("192.0.2.1"), now).is_ok());
    }

    #[test]
    fn rate_refills_over_a_minute() {
        let gate = Gate::new(100, 100, 3);
        let start = Instant::now();
        for _ in 0..3 {
            drop(gate.admit(ip("192.0.2.9"), start).unwrap());
        }
        assert_eq!(
            gate.admit(ip("192.0.2.9"), start).unwrap_err(),
            LimitRefusal::Rate
        );
        assert!(gate.admit(ip("192.0.2.10"), start).is_ok());
        assert_eq!(
            gate.admit(ip("192.0.2.9"), start + Duration::from_secs(10))
                .unwrap_err(),
            LimitRefusal::Rate
        );
        assert!(gate
            .admit(ip("192.0.2.9"), start + Duration::from_secs(21))
            .is_ok());
    }

    #[test]
    fn ipv6_clients_count_per_64() {
        assert_eq!(client_key(ip("2001:db8:1:2:3:4:5:6")), ip("2001:db8:1:2::"));
        assert_eq!(client_key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
        let gate = Gate::new(10, 1, 100);
        let now = Instant::now();
        let _first = gate.admit(ip("2001:db8::1"), now).unwrap();
        assert_eq!(
            gate.admit(ip("2001:db8::ffff"), now).unwrap_err(),
            LimitRefusal::SessionsPerClient
        );
    }
}
