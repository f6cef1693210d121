//! Real servers on loopback for tests and benchmarks, started from Debian's packages in a temp
//! dir, bound to 127.0.0.1 on free ports, and stopped when dropped.
//!
//! - [`DohServer`]: unbound serving a test root zone (so nothing is ever asked of the
//!   internet) behind dnsdist's DNS-over-HTTPS front end, with CORS for browsers and an
//!   optional delay (a UDP proxy between the two) to stand in for a distant resolver.
//! - [`netns::enter`]: run a test inside a loopback-only network namespace.
//! - [`Starting`]: wait for a just-started server, with its logs in any failure.

mod delay_proxy;
mod doh;
pub mod netns;
mod startup;

use std::net::TcpListener;
use std::path::PathBuf;

pub use doh::{DohOptions, DohServer};
pub use startup::Starting;

/// Why a test server could not be started.
#[derive(Debug, thiserror::Error)]
pub enum TestkitError {
    #[error(
        "`{program}` is missing: install the Debian package `{package}` (cargo xtask install)"
    )]
    Missing {
        program: &'static str,
        package: &'static str,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    /// A server exited or did not answer in time; the text includes its logs.
    #[error("{0}")]
    NotReady(String),
}

/// Wraps an I/O error with what was being done.
fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> TestkitError {
    let what = what.into();
    move |source| TestkitError::Io { what, source }
}

/// A free TCP port on 127.0.0.1 (the OS picks it; there is a small window before it is used).
pub fn free_port() -> Result<u16, TestkitError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(io("find a free port"))?;
    let port = listener
        .local_addr()
        .map_err(io("find a free port"))?
        .port();
    Ok(port)
}

/// The full path of `program` on PATH.
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A fresh temp dir under the system temp dir, removed by [`TempDir`]'s drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    pub(crate) fn new(prefix: &str) -> Result<TempDir, TestkitError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(io(format!("create {}", path.display())))?;
        Ok(TempDir(path))
    }

    pub(crate) fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
