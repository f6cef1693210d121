//! Name resolution behind a trait, so tests can give names any address without touching DNS.
//!
//! The relay resolves a host exactly once per session and connects only to an address it has
//! vetted; it never hands a name to the socket layer, so DNS rebinding has nothing to race.

use std::collections::BTreeMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;

/// A boxed future returned by [`Resolver::resolve`].
pub type ResolveFuture<'a> = Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send + 'a>>;

/// Turns a host name into addresses. Implementations must not connect anywhere.
pub trait Resolver: Send + Sync + 'static {
    /// Resolves `host` (a DNS name, never an IP literal) to its addresses, in preference order.
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a>;
}

/// The operating system's resolver (getaddrinfo through tokio).
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host, 0)).await?;
            let mut ips: Vec<IpAddr> = Vec::new();
            for addr in addrs {
                if !ips.contains(&addr.ip()) {
                    ips.push(addr.ip());
                }
            }
            Ok(ips)
        })
    }
}

/// A resolver answering from a fixed table: for tests, and for operators who want to pin names.
/// Names missing from the table fail as "not found".
#[derive(Debug, Default, Clone)]
pub struct TableResolver {
    entries: BTreeMap<String, Vec<IpAddr>>,
}

impl TableResolver {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the addresses of one name. Names are matched case-insensitively.
    pub fn with(mut self, name: &str, addrs: &[IpAddr]) -> Self {
        self.entries
            .insert(name.to_ascii_lowercase(), addrs.to_vec());
        self
    }
}

impl Resolver for TableResolver {
    fn resolve<'a>(&'a self, host: &'a str) -> ResolveFuture<'a> {
        let answer = match self.entries.get(&host.to_ascii_lowercase()) {
            Some(addrs) => Ok(addrs.clone()),
            None => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "name not in the resolver table",
            )),
        };
        Box::pin(std::future::ready(answer))
    }
}
