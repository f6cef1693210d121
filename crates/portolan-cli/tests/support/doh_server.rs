//! A real DNS-over-HTTPS server for tests: unbound serves the test zone (as an authoritative
//! root zone, so nothing is ever asked of the internet) and dnsdist puts DoH in front of it.
//! Both bind to 127.0.0.1 on free ports, run from a temp dir, and are killed on drop.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use portolan_core::dns::{parse_response, DohMethod, DohRequest, Outcome, Question, RecordKind};

use super::loopback::free_port;

/// The whole test world, as the root zone. Covered: several SRV priorities and weights,
/// `.` targets, a CNAME chain, targets outside the domain, NXDOMAIN vs NODATA, an IDN domain,
/// an MX at a known provider's host, and a zone the front end marks as DNSSEC-validated.
pub const ROOT_ZONE: &str = r#"$TTL 300
.                               IN SOA ns.test. admin.test. 1 3600 600 86400 300
.                               IN NS  ns.test.
ns.test.                        IN A   127.0.0.1
health.test.                    IN A   127.0.0.1

; sorted.test: priorities and weights, "." targets, a third-party target.
_imaps._tcp.sorted.test.        IN SRV 20 0 993 backup.sorted.test.
_imaps._tcp.sorted.test.        IN SRV 10 10 993 light.sorted.test.
_imaps._tcp.sorted.test.        IN SRV 10 60 993 heavy.sorted.test.
_imap._tcp.sorted.test.         IN SRV 0 0 143 mail.sorted.test.
_submissions._tcp.sorted.test.  IN SRV 0 1 465 smtp.hoster.example.
_submission._tcp.sorted.test.   IN SRV 0 0 587 mail.sorted.test.
_pop3s._tcp.sorted.test.        IN SRV 0 0 0 .
_pop3._tcp.sorted.test.         IN SRV 0 0 0 .
sorted.test.                    IN MX  10 mx.sorted.test.

; cname.test: the SRV name is an alias, two steps away from the record.
_imaps._tcp.cname.test.         IN CNAME alias.target.test.
alias.target.test.              IN CNAME srv.other.test.
srv.other.test.                 IN SRV 0 0 993 imap.cname.test.

; nodata.test: the SRV name exists with another type (NODATA), the rest does not (NXDOMAIN).
_imaps._tcp.nodata.test.        IN TXT "no SRV here"

; hosted.test: a custom domain whose mail Google Workspace receives.
hosted.test.                    IN MX  1 aspmx.l.google.com.
hosted.test.                    IN MX  5 alt1.aspmx.l.google.com.

; bücher.test, in DNS as xn--bcher-kva.test.
_imaps._tcp.xn--bcher-kva.test. IN SRV 0 0 993 mail.xn--bcher-kva.test.
_submissions._tcp.xn--bcher-kva.test. IN SRV 0 0 465 mail.xn--bcher-kva.test.

; signed.test: dnsdist sets the AD flag on answers below it, as a validating resolver would.
_imaps._tcp.signed.test.        IN SRV 0 0 993 imap.signed.test.
"#;

/// A running dnsdist + unbound pair.
pub struct DohServer {
    /// The DoH URL, like `http://127.0.0.1:40123/dns-query`.
    pub url: String,
    children: Vec<Child>,
    _dir: tempfile::TempDir,
}

impl DohServer {
    /// Starts both servers and waits until a DoH query is answered.
    pub fn start() -> Self {
        for (binary, package) in [("unbound", "unbound"), ("dnsdist", "dnsdist")] {
            assert!(
                on_path(binary),
                "`{binary}` is missing: install the Debian package `{package}` (cargo xtask install)"
            );
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let dns_port = free_port();
        let doh_port = free_port();
        let zone = dir.path().join("root.zone");
        std::fs::write(&zone, ROOT_ZONE).expect("write zone");
        let unbound_conf = dir.path().join("unbound.conf");
        std::fs::write(&unbound_conf, unbound_config(dir.path(), dns_port, &zone)).expect("conf");
        let dnsdist_conf = dir.path().join("dnsdist.conf");
        std::fs::write(&dnsdist_conf, dnsdist_config(dns_port, doh_port)).expect("conf");

        let children = vec![
            spawn(
                Command::new("unbound")
                    .arg("-d")
                    .arg("-c")
                    .arg(&unbound_conf),
                dir.path(),
            ),
            spawn(
                Command::new("dnsdist")
                    .arg("--supervised")
                    .arg("--disable-syslog")
                    .arg("-C")
                    .arg(&dnsdist_conf),
                dir.path(),
            ),
        ];
        let server = DohServer {
            url: format!("http://127.0.0.1:{doh_port}/dns-query"),
            children,
            _dir: dir,
        };
        server.wait_ready(doh_port);
        server
    }

    fn wait_ready(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(15);
        let question = Question::new("sorted.test", RecordKind::Mx);
        let request = DohRequest::new(&self.url, &question, DohMethod::Get).expect("request");
        let path = request
            .url
            .trim_start_matches(&format!("http://127.0.0.1:{port}"))
            .to_owned();
        loop {
            if let Some(body) = http_get(port, &path) {
                if let Ok(response) = parse_response(&question, &body) {
                    if matches!(response.outcome, Outcome::Mx(_)) {
                        return;
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "dnsdist + unbound did not answer within 15 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
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

fn dnsdist_config(dns_port: u16, doh_port: u16) -> String {
    format!(
        r#"setSecurityPollSuffix("")
newServer({{address="127.0.0.1:{dns_port}", checkName="health.test."}})
addDOHLocal("127.0.0.1:{doh_port}", nil, nil, "/dns-query", {{customResponseHeaders={{["access-control-allow-origin"]="*"}}}})
addResponseAction(makeRule("signed.test."), LuaResponseAction(function(dr) dr.dh:setAD(true) return DNSResponseAction.None, "" end))
"#
    )
}

fn spawn(command: &mut Command, dir: &Path) -> Child {
    command
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a DNS server")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
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
    if !head.starts_with("HTTP/1.1 200") {
        return None;
    }
    Some(raw[split + 4..].to_vec())
}
