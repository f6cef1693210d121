//! Real servers on loopback for tests and benchmarks, started from Debian's packages (or
//! written here in Rust) in a temp dir, bound to 127.0.0.1 on free ports, and stopped when
//! dropped.
//!
//! - [`DohServer`] (`doh`, `delay_proxy`): unbound serving a test root zone (so nothing is
//!   ever asked of the internet) behind dnsdist's DNS-over-HTTPS front end, with CORS for
//!   browsers and an optional delay (a UDP proxy between the two) to stand in for a distant
//!   resolver.
//! - [`mail`]: mail servers for the clients and probes under test — real dovecot + postfix
//!   ([`mail::MailServers`], well or badly configured on request), `openssl s_server` with
//!   outdated TLS ([`mail::LegacyTlsServer`], [`mail::WeakCipherServer`]), scripted
//!   misbehaving servers ([`mail::ScriptedServer`], STARTTLS injection included), and the
//!   test CA with valid, expired, wrong-name and self-signed certificates (rcgen).
//! - [`TcpProxy`] (`tcp_proxy`): a TCP forwarder whose connections come from 127.0.0.2, with
//!   an optional added delay per direction; it fronts every [`mail::MailServers`] port.
//! - [`netns::enter`]: run a test inside a loopback-only network namespace.
//! - [`Starting`] (`startup`): wait for a just-started server, with its logs in any failure.
//! - Here: [`TestkitError`], free ports, finding programs, and the temp dir every server
//!   runs from.

mod delay_proxy;
mod doh;
pub mod mail;
pub mod netns;
mod startup;
mod tcp_proxy;
pub mod transcript_relay;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use doh::{DohOptions, DohServer};
pub use startup::Starting;
pub use tcp_proxy::{ProxyOptions, TcpProxy, PROXY_SOURCE};

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
    /// A helper command ran and failed; the text has its output.
    #[error("`{command}` failed ({status}):\n{output}")]
    Command {
        command: String,
        status: String,
        output: String,
    },
    /// A certificate or a TLS configuration could not be made.
    #[error("{what}: {detail}")]
    Tls { what: String, detail: String },
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

/// The full path of `program` on PATH, or in /usr/sbin or /sbin (where Debian puts the
/// servers, and which a non-root PATH may lack).
pub fn find_program(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// The full path of `program`, or an error naming the Debian package that installs it.
pub fn require(program: &'static str, package: &'static str) -> Result<PathBuf, TestkitError> {
    find_program(program).ok_or(TestkitError::Missing { program, package })
}

/// Runs `command` to completion; its standard output, or an error with everything it printed.
pub(crate) fn run(command: &mut Command) -> Result<String, TestkitError> {
    let output = command
        .output()
        .map_err(io(format!("run {:?}", command.get_program())))?;
    if !output.status.success() {
        return Err(TestkitError::Command {
            command: format!("{command:?}"),
            status: output.status.to_string(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Asks `child` to stop (SIGTERM), waits up to `grace`, then kills it. Always reaps it.
pub(crate) fn terminate(child: &mut Child, grace: Duration) {
    if let Ok(Some(_)) = child.try_wait() {
        return;
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stderr(Stdio::null())
        .status();
    let deadline = Instant::now() + grace;
    while Instant::now() < deadline {
        if !matches!(child.try_wait(), Ok(None)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A fresh temp dir under the system temp dir, removed by [`TempDir`]'s drop.
pub(crate) struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty directory: named from the process, a counter and the clock, and created
    /// with `create_dir` (which fails on an existing directory), so servers started at the
    /// same moment from parallel threads never share one.
    pub(crate) fn new(prefix: &str) -> Result<TempDir, TestkitError> {
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or(0);
        loop {
            let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("{prefix}-{}-{count}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir(path)),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(error) => {
                    return Err(TestkitError::Io {
                        what: format!("create {}", path.display()),
                        source: error,
                    })
                }
            }
        }
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
