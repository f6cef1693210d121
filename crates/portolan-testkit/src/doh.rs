//! dnsdist (DoH front end, plain HTTP on loopback, CORS for browsers) in front of unbound,
//! which serves the given zone as the root zone: every name outside it is NXDOMAIN and nothing
//! is ever asked of the internet.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use portolan_core::dns::{
    encode_query, parse_response, DohMethod, DohRequest, Question, RecordKind,
};

use crate::delay_proxy::DelayProxy;
use crate::{free_port, io, require, Starting, TempDir, TestkitError};

/// The name every zone must answer (an A record), used for health checks.
pub const HEALTH_NAME: &str = "health.test.";

/// What to serve and how.
#[derive(Debug, Clone, Default)]
pub struct DohOptions {
    /// The root zone in master-file format. It must contain `health.test. IN A 127.0.0.1`.
    pub zone: String,
    /// Time added to every answer (between dnsdist and unbound).
    pub delay: Option<Duration>,
    /// Zones whose answers get the AD flag, as a validating resolver would set it.
    pub signed_zones: Vec<String>,
    /// Serve DoH over TLS too (a throwaway self-signed certificate for 127.0.0.1), so browsers
    /// can use HTTP/2 and multiplex every query over one connection, as with real resolvers.
    /// The URL is then the `https` one; clients must accept the certificate.
    pub tls: bool,
}

/// A running dnsdist + unbound pair; both are killed on drop.
pub struct DohServer {
    /// The DoH URL, like `http://127.0.0.1:40123/dns-query`.
    pub url: String,
    children: Vec<Child>,
    _delay: Option<DelayProxy>,
    _dir: TempDir,
}

/// How many sets of ports [`DohServer::start`] tries before giving up.
const START_ATTEMPTS: usize = 3;
/// How long each of the two servers gets to answer its first query.
const READY_TIMEOUT: Duration = Duration::from_secs(20);

impl DohServer {
    /// Starts both servers and waits until a DoH query is answered. A start that fails (a
    /// picked port taken meanwhile, say) is retried on new ports; the error after the last
    /// attempt carries every attempt's logs.
    pub fn start(options: &DohOptions) -> Result<DohServer, TestkitError> {
        for (program, package) in [("unbound", "unbound"), ("dnsdist", "dnsdist")] {
            require(program, package)?;
        }
        let mut failures = Vec::new();
        for attempt in 1..=START_ATTEMPTS {
            match DohServer::try_start(options) {
                Ok(server) => return Ok(server),
                Err(TestkitError::NotReady(failure)) => {
                    failures.push(format!("attempt {attempt}: {failure}"));
                }
                Err(other) => return Err(other),
            }
        }
        Err(TestkitError::NotReady(format!(
            "dnsdist + unbound did not start in {START_ATTEMPTS} attempts:\n{}",
            failures.join("\n\n")
        )))
    }

    /// One attempt on newly picked ports, in a new temp dir.
    fn try_start(options: &DohOptions) -> Result<DohServer, TestkitError> {
        let dir = TempDir::new("portolan-doh")?;
        let dns_port = free_port()?;
        let doh_port = free_port()?;
        let zone = dir.path().join("root.zone");
        std::fs::write(&zone, &options.zone).map_err(io("write the test zone"))?;
        let unbound_conf = dir.path().join("unbound.conf");
        std::fs::write(&unbound_conf, unbound_config(dir.path(), dns_port, &zone))
            .map_err(io("write unbound.conf"))?;
        let delay = match options.delay {
            Some(delay) => Some(DelayProxy::start(
                SocketAddr::from(([127, 0, 0, 1], dns_port)),
                delay,
            )?),
            None => None,
        };
        let backend_port = delay.as_ref().map_or(dns_port, |proxy| proxy.port);
        let tls = if options.tls {
            Some((free_port()?, self_signed_certificate(dir.path())?))
        } else {
            None
        };
        let mut config = dnsdist_config(backend_port, doh_port, &options.signed_zones);
        if let Some((tls_port, files)) = &tls {
            config.push_str(&doh_listener(*tls_port, Some(files)));
        }
        let dnsdist_conf = dir.path().join("dnsdist.conf");
        std::fs::write(&dnsdist_conf, config).map_err(io("write dnsdist.conf"))?;
        let unbound_log = [dir.path().join("unbound.log")];
        let dnsdist_log = [dir.path().join("dnsdist.log")];
        let work_dir = dir.path().to_owned();
        // Built first, so that dropping it on any error below stops what was started.
        let mut server = DohServer {
            url: format!("http://127.0.0.1:{doh_port}/dns-query"),
            children: Vec::new(),
            _delay: delay,
            _dir: dir,
        };
        let health = Question::new(HEALTH_NAME.trim_end_matches('.'), RecordKind::Mx);

        // dnsdist starts only once unbound answers: its first health check then passes, and
        // none of its own sockets can take unbound's port before unbound has bound it.
        let unbound = spawn(
            Command::new("unbound")
                .arg("-d")
                .arg("-c")
                .arg(&unbound_conf),
            &work_dir,
            &unbound_log[0],
        )?;
        server.children.push(unbound);
        let query = encode_query(&health)
            .map_err(|error| TestkitError::NotReady(format!("the health query: {error}")))?;
        Starting {
            what: "unbound",
            child: &mut server.children[0],
            logs: &unbound_log,
        }
        .wait(READY_TIMEOUT, || udp_answers(dns_port, &query, &health))?;

        let dnsdist = spawn(
            Command::new("dnsdist")
                .args(["--supervised", "--disable-syslog", "-C"])
                .arg(&dnsdist_conf),
            &work_dir,
            &dnsdist_log[0],
        )?;
        server.children.push(dnsdist);
        let request = DohRequest::new(&server.url, &health, DohMethod::Get)
            .map_err(|error| TestkitError::NotReady(format!("the DoH health query: {error}")))?;
        let path = request
            .url
            .trim_start_matches(&format!("http://127.0.0.1:{doh_port}"))
            .to_owned();
        // Readiness is checked on the plain listener; the TLS one belongs to the same process.
        Starting {
            what: "dnsdist",
            child: &mut server.children[1],
            logs: &dnsdist_log,
        }
        .wait(READY_TIMEOUT, || {
            http_get(doh_port, &path)
                .and_then(|body| parse_response(&health, &body).ok())
                .is_some()
        })?;
        if let Some((tls_port, _)) = tls {
            server.url = format!("https://127.0.0.1:{tls_port}/dns-query");
        }
        Ok(server)
    }
}

impl Drop for DohServer {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn unbound_config(dir: &Path, port: u16, zone: &Path) -> String {
    format!(
        r#"server:
  interface: 127.0.0.1@{port}
  port: {port}
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "{dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  root-hints: ""
  # unbound answers test. itself by default (RFC 6761); the zone below must be used instead.
  local-zone: "test." nodefault
auth-zone:
  name: "."
  zonefile: "{zone}"
  for-upstream: yes
  for-downstream: no
  fallback-enabled: no
"#,
        dir = dir.display(),
        zone = zone.display()
    )
}

fn dnsdist_config(backend_port: u16, doh_port: u16, signed_zones: &[String]) -> String {
    let mut config = format!(
        r#"setSecurityPollSuffix("")
newServer({{address="127.0.0.1:{backend_port}", checkName="{HEALTH_NAME}"}})
"#
    );
    config.push_str(&doh_listener(doh_port, None));
    for zone in signed_zones {
        config.push_str(&format!(
            "addResponseAction(makeRule(\"{zone}\"), LuaResponseAction(function(dr) dr.dh:setAD(true) return DNSResponseAction.None, \"\" end))\n"
        ));
    }
    config
}

/// One dnsdist DoH listener on loopback, with CORS for browsers: plain HTTP, or HTTPS with the
/// given certificate and key files.
fn doh_listener(port: u16, tls: Option<&(PathBuf, PathBuf)>) -> String {
    let (cert, key) = match tls {
        Some((cert, key)) => (
            format!("\"{}\"", cert.display()),
            format!("\"{}\"", key.display()),
        ),
        None => ("nil".to_owned(), "nil".to_owned()),
    };
    format!(
        r#"addDOHLocal("127.0.0.1:{port}", {cert}, {key}, "/dns-query", {{customResponseHeaders={{["access-control-allow-origin"]="*"}}}})
"#
    )
}

/// A throwaway self-signed certificate for 127.0.0.1 (openssl), valid for two days.
fn self_signed_certificate(dir: &Path) -> Result<(PathBuf, PathBuf), TestkitError> {
    require("openssl", "openssl")?;
    let cert = dir.join("doh-cert.pem");
    let key = dir.join("doh-key.pem");
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(io("run openssl"))?;
    if !status.success() {
        return Err(TestkitError::NotReady(format!(
            "openssl could not make the DoH TLS certificate ({status})"
        )));
    }
    Ok((cert, key))
}

/// Starts `command` in `dir` with its stdout and stderr in `log`.
fn spawn(command: &mut Command, dir: &Path, log: &Path) -> Result<Child, TestkitError> {
    let what = format!("start {:?}", command.get_program());
    let stdout = std::fs::File::create(log).map_err(io(format!("create {}", log.display())))?;
    let stderr = stdout.try_clone().map_err(io(what.clone()))?;
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .map_err(io(what))
}

/// True when a DNS server on 127.0.0.1:`port` answers `query` over UDP. The socket is
/// connected, so a port nobody listens on yet fails at once instead of at the timeout.
fn udp_answers(port: u16, query: &[u8], question: &Question) -> bool {
    let Ok(socket) = UdpSocket::bind("127.0.0.1:0") else {
        return false;
    };
    let sent = socket.connect(("127.0.0.1", port)).is_ok()
        && socket
            .set_read_timeout(Some(Duration::from_millis(500)))
            .is_ok()
        && socket.send(query).is_ok();
    if !sent {
        return false;
    }
    let mut buffer = [0u8; 4096];
    match socket.recv(&mut buffer) {
        Ok(length) => parse_response(question, &buffer[..length]).is_ok(),
        Err(_) => false,
    }
}

/// A plain HTTP/1.1 GET on loopback; the body of a 200 answer.
fn http_get(port: u16, path: &str) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/dns-message\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let split = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    head.starts_with("HTTP/1.1 200")
        .then(|| raw[split + 4..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn serves_the_zone_with_added_delay() {
        let zone = format!(
            "$TTL 300\n. IN SOA ns.test. admin.test. 1 3600 600 86400 300\n. IN NS ns.test.\nns.test. IN A 127.0.0.1\n{HEALTH_NAME} IN A 127.0.0.1\nslow.test. IN MX 10 mx.slow.test.\n"
        );
        let server = DohServer::start(&DohOptions {
            zone,
            delay: Some(Duration::from_millis(100)),
            signed_zones: Vec::new(),
            tls: false,
        })
        .expect("servers start");
        let question = Question::new("slow.test", RecordKind::Mx);
        let request = DohRequest::new(&server.url, &question, DohMethod::Get).expect("request");
        let port: u16 = server
            .url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("port in url");
        let path = request
            .url
            .trim_start_matches(&format!("http://127.0.0.1:{port}"))
            .to_owned();
        let started = Instant::now();
        let body = http_get(port, &path).expect("an answer");
        let elapsed = started.elapsed();
        let response = parse_response(&question, &body).expect("a DNS answer");
        assert!(matches!(
            response.outcome,
            portolan_core::dns::Outcome::Mx(ref records) if records.len() == 1
        ));
        assert!(
            elapsed >= Duration::from_millis(100),
            "the delay is added ({elapsed:?})"
        );
    }

    #[test]
    fn serves_over_tls_too() {
        let zone = format!(
            "$TTL 300\n. IN SOA ns.test. admin.test. 1 3600 600 86400 300\n. IN NS ns.test.\nns.test. IN A 127.0.0.1\n{HEALTH_NAME} IN A 127.0.0.1\n"
        );
        // dnsdist refuses a config with a bad listener line, so starting at all checks it.
        let server = DohServer::start(&DohOptions {
            zone,
            tls: true,
            ..DohOptions::default()
        })
        .expect("servers start");
        assert!(
            server.url.starts_with("https://127.0.0.1:"),
            "{}",
            server.url
        );
    }
}
