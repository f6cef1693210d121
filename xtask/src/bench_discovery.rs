//! `cargo xtask bench`, discovery part: the whole `portolan discover` against a real DoH
//! server (dnsdist + unbound on loopback) whose answers are delayed by 100 ms, so the wall time
//! shows whether the eight lookups went out as one parallel batch (about 100 ms) or one after
//! another (about 800 ms). Prints medians; asserts nothing.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{on_path, step};
use crate::{build, TaskError};

/// The delay added to every answer of the DoH server.
const DELAY: Duration = Duration::from_millis(100);
/// Timed runs per variant (after one warm-up run).
const RUNS: usize = 9;

const ZONE: &str = r#"$TTL 300
.                               IN SOA ns.test. admin.test. 1 3600 600 86400 300
.                               IN NS  ns.test.
ns.test.                        IN A   127.0.0.1
health.test.                    IN A   127.0.0.1
_imaps._tcp.sorted.test.        IN SRV 10 60 993 heavy.sorted.test.
_imaps._tcp.sorted.test.        IN SRV 10 10 993 light.sorted.test.
_imap._tcp.sorted.test.         IN SRV 0 0 143 mail.sorted.test.
_submissions._tcp.sorted.test.  IN SRV 0 1 465 smtp.hoster.example.
_submission._tcp.sorted.test.   IN SRV 0 0 587 mail.sorted.test.
_pop3._tcp.sorted.test.         IN SRV 0 0 0 .
sorted.test.                    IN MX  10 mx.sorted.test.
"#;

pub fn run() -> Result<(), TaskError> {
    for (binary, package) in [("unbound", "unbound"), ("dnsdist", "dnsdist")] {
        if !on_path(binary) {
            return Err(TaskError::Setup(format!(
                "`{binary}` is missing: install the Debian package `{package}` (cargo xtask install)"
            )));
        }
    }
    let portolan = build::native_binary("portolan-cli", "portolan")?;
    step("discovery latency: 8 DoH lookups against dnsdist + unbound, answers delayed 100 ms");
    let servers = Servers::start()?;
    let direct = format!("http://127.0.0.1:{}/dns-query", servers.doh_port);
    wait_ready(&portolan, &direct)?;
    let proxy_port = start_delaying_proxy(servers.doh_port, DELAY)?;
    let delayed = format!("http://127.0.0.1:{proxy_port}/dns-query");

    let parallel = measure(&portolan, &delayed, &[])?;
    let sequential = measure(&portolan, &delayed, &["--sequential-dns"])?;
    let baseline = measure(&portolan, &delayed, &["--offline"])?;
    print_line("whole discovery, one parallel batch", &parallel);
    print_line("same 8 lookups one after another", &sequential);
    print_line("process start + offline merge only", &baseline);
    println!(
        "target: whole discovery <= 150 ms with a 100 ms resolver (median above: {:.1} ms)",
        median(&parallel)
    );
    Ok(())
}

fn print_line(label: &str, samples: &[f64]) {
    println!(
        "{label:<40} median {:>7.1} ms  (min {:.1}, max {:.1}, {} runs)",
        median(samples),
        samples.iter().copied().fold(f64::INFINITY, f64::min),
        samples.iter().copied().fold(0.0, f64::max),
        samples.len()
    );
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the discovery once to warm up, then `RUNS` times, returning wall times in ms.
fn measure(portolan: &Path, resolver: &str, extra: &[&str]) -> Result<Vec<f64>, TaskError> {
    let mut samples = Vec::with_capacity(RUNS);
    for run in 0..=RUNS {
        let started = Instant::now();
        let output = discover(portolan, resolver, extra)?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        if !extra.contains(&"--offline") && !output.contains("\"NOERROR\"") {
            return Err(TaskError::Setup(format!(
                "the benchmark's discovery got no answer from the DoH server:\n{output}"
            )));
        }
        if run > 0 {
            samples.push(elapsed);
        }
    }
    Ok(samples)
}

fn discover(portolan: &Path, resolver: &str, extra: &[&str]) -> Result<String, TaskError> {
    let text = format!(
        "{} discover --json --no-fetch --doh {resolver}",
        portolan.display()
    );
    let output = Command::new(portolan)
        .args(["discover", "--json", "--no-fetch", "--doh", resolver])
        .args(extra)
        .arg("jane@sorted.test")
        .output()
        .map_err(|source| TaskError::Spawn {
            command: text.clone(),
            source,
        })?;
    if !output.status.success() {
        return Err(TaskError::Failed {
            command: text,
            status: output.status.to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

fn wait_ready(portolan: &Path, resolver: &str) -> Result<(), TaskError> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if discover(portolan, resolver, &["--timeout-ms", "500"])?.contains("\"NOERROR\"") {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(TaskError::Setup(
                "dnsdist + unbound did not answer within 15 s".into(),
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// unbound (the zone, as an authoritative root: nothing is ever asked of the internet) and
/// dnsdist (DoH over plain HTTP on loopback), killed on drop.
struct Servers {
    doh_port: u16,
    children: Vec<Child>,
    dir: PathBuf,
}

impl Servers {
    fn start() -> Result<Self, TaskError> {
        let dir = std::env::temp_dir().join(format!("portolan-bench-dns-{}", std::process::id()));
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| TaskError::Io { path, source }
        };
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let dns_port = free_port()?;
        let doh_port = free_port()?;
        let zone = dir.join("root.zone");
        std::fs::write(&zone, ZONE).map_err(io(&zone))?;
        let unbound_conf = dir.join("unbound.conf");
        std::fs::write(
            &unbound_conf,
            format!(
                "server:\n  interface: 127.0.0.1@{dns_port}\n  port: {dns_port}\n  do-ip6: no\n  \
                 do-daemonize: no\n  username: \"\"\n  chroot: \"\"\n  directory: \"{dir}\"\n  \
                 pidfile: \"\"\n  use-syslog: no\n  logfile: \"\"\n  do-not-query-localhost: no\n  \
                 access-control: 127.0.0.0/8 allow\n  module-config: \"iterator\"\n  root-hints: \"\"\n  \
                 local-zone: \"test.\" nodefault\nauth-zone:\n  name: \".\"\n  zonefile: \"{zone}\"\n  \
                 for-upstream: yes\n  for-downstream: no\n  fallback-enabled: no\n",
                dir = dir.display(),
                zone = zone.display()
            ),
        )
        .map_err(io(&unbound_conf))?;
        let dnsdist_conf = dir.join("dnsdist.conf");
        std::fs::write(
            &dnsdist_conf,
            format!(
                "setSecurityPollSuffix(\"\")\nnewServer({{address=\"127.0.0.1:{dns_port}\", checkName=\"health.test.\"}})\n\
                 addDOHLocal(\"127.0.0.1:{doh_port}\", nil, nil, \"/dns-query\")\n"
            ),
        )
        .map_err(io(&dnsdist_conf))?;
        let mut servers = Servers {
            doh_port,
            children: Vec::new(),
            dir: dir.clone(),
        };
        servers.children.push(spawn(
            Command::new("unbound")
                .arg("-d")
                .arg("-c")
                .arg(&unbound_conf),
            &dir,
        )?);
        servers.children.push(spawn(
            Command::new("dnsdist")
                .args(["--supervised", "--disable-syslog", "-C"])
                .arg(&dnsdist_conf),
            &dir,
        )?);
        Ok(servers)
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn spawn(command: &mut Command, dir: &Path) -> Result<Child, TaskError> {
    let text = format!("{:?}", command);
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| TaskError::Spawn {
            command: text,
            source,
        })
}

fn free_port() -> Result<u16, TaskError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|source| TaskError::Io {
            path: "127.0.0.1:0".into(),
            source,
        })
}

/// A TCP proxy on loopback that passes requests through at once and holds every chunk of the
/// answer until `delay` after it arrived: a resolver 100 ms away, for every connection at once.
fn start_delaying_proxy(upstream: u16, delay: Duration) -> Result<u16, TaskError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|source| TaskError::Io {
        path: "127.0.0.1:0".into(),
        source,
    })?;
    let port = listener
        .local_addr()
        .map_err(|source| TaskError::Io {
            path: "proxy".into(),
            source,
        })?
        .port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || proxy_connection(client, upstream, delay));
        }
    });
    Ok(port)
}

fn proxy_connection(client: TcpStream, upstream: u16, delay: Duration) {
    let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (Ok(mut client_read), Ok(mut server_write)) = (client.try_clone(), server.try_clone())
    else {
        return;
    };
    std::thread::spawn(move || {
        let mut buffer = [0u8; 16384];
        while let Ok(read) = client_read.read(&mut buffer) {
            if read == 0 || server_write.write_all(&buffer[..read]).is_err() {
                break;
            }
        }
        let _ = server_write.shutdown(Shutdown::Write);
    });
    let (mut server_read, mut client_write) = (server, client);
    let mut buffer = [0u8; 16384];
    while let Ok(read) = server_read.read(&mut buffer) {
        if read == 0 {
            break;
        }
        let due = Instant::now() + delay;
        std::thread::sleep(due.saturating_duration_since(Instant::now()));
        if client_write.write_all(&buffer[..read]).is_err() {
            break;
        }
    }
    let _ = client_write.shutdown(Shutdown::Write);
}
