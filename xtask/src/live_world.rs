//! The world the browser's live checks meet in the end-to-end tests and the app benchmark:
//! real dovecot + postfix (well configured, with an expired certificate, with a wrong name),
//! DNS records in the test zone that point domains at them, guessed names on their standard
//! ports, a port that does not answer, a port the relay refuses, and a recording proxy that
//! proves what the relay forwarded. Everything on 127.0.0.1; the relay that serves the app
//! gets the flags that let it reach these servers and nothing else.
//!
//! The domains (all under the test zone; `localhost` is every SRV target, since the test
//! certificates name it):
//! - `good.live.test`: implicit TLS for IMAP and submission.
//! - `expired.live.test`, `wrongname.live.test`: the same, with a bad certificate.
//! - `example.test`: STARTTLS only (IMAP 143-style, submission 587-style), through recording
//!   proxies; the test user `alice@example.test` logs in here.
//! - `dead.live.test`: the preferred IMAP port does not answer; the second one does.
//! - `refused.live.test`: its IMAP port is not on the relay's allowlist.
//! - `slow.live.test`: its IMAP server accepts and never says a word.
//! - `guess.live.test`: publishes nothing; `imap.` and `smtp.guess.live.test` answer on 993 and
//!   465 (the relay pins just those names to 127.0.0.1), the other guesses get no answer.
//! - `audit.live.test`: for the provider audit in the browser: SRV and MX name those two hosts,
//!   SPF passes, DMARC only reports (`p=none`), and nothing else is published.

use std::path::{Path, PathBuf};
use std::time::Duration;

use portolan_testkit::mail::{
    CertificateKind, MailOptions, MailServers, Script, ScriptedServer, PASSWORD,
};
use portolan_testkit::{free_port, ProxyOptions, TcpProxy};

use crate::process::step;
use crate::TaskError;

/// The guessed names that answer, on their standard ports.
const ANSWERING_GUESSES: [&str; 2] = ["imap.guess.live.test", "smtp.guess.live.test"];

/// Everything running; stops when dropped.
pub struct LiveWorld {
    _good: MailServers,
    _expired: MailServers,
    _wrong_name: MailServers,
    _proxies: Vec<TcpProxy>,
    _silent: ScriptedServer,
    /// The base path of the recording of what the relay forwarded to `example.test`'s servers
    /// (`.up` towards them, `.down` back).
    pub record: PathBuf,
    /// Resource records to add to the test zone.
    pub zone_records: String,
    /// Flags for the relay that serves the app.
    pub relay_args: Vec<String>,
    /// The test user's password (the test servers' only secret).
    pub password: &'static str,
    /// The test CAs of the three server sets, one PEM bundle.
    ca_bundle: String,
}

fn mail(options: MailOptions) -> Result<MailServers, TaskError> {
    MailServers::start_with(&options)
        .map_err(|error| TaskError::Setup(format!("test mail servers: {error}")))
}

fn proxy(upstream: u16, options: ProxyOptions) -> Result<TcpProxy, TaskError> {
    TcpProxy::start_with(upstream, &options).map_err(|error| {
        TaskError::Setup(format!(
            "a proxy to port {upstream}: {error} (is something else using the port?)"
        ))
    })
}

fn imaps(servers: &MailServers) -> Result<u16, TaskError> {
    servers.imaps.ok_or_else(|| {
        TaskError::Setup("the test mail servers have no implicit-TLS IMAP port".into())
    })
}

impl LiveWorld {
    /// Starts it all; `delay` is added one way in each direction between the relay and the
    /// servers (for the benchmark), `scratch` holds the recordings.
    pub fn start(delay: Option<Duration>, scratch: &Path) -> Result<LiveWorld, TaskError> {
        step("live-check servers: dovecot + postfix (good, expired, wrong name) on loopback");
        let good = mail(MailOptions {
            delay,
            extra_names: ANSWERING_GUESSES.map(str::to_owned).to_vec(),
            ..MailOptions::default()
        })?;
        let expired = mail(MailOptions {
            certificate: CertificateKind::Expired,
            delay,
            ..MailOptions::default()
        })?;
        let wrong_name = mail(MailOptions {
            certificate: CertificateKind::WrongName,
            delay,
            ..MailOptions::default()
        })?;
        std::fs::create_dir_all(scratch).map_err(|source| TaskError::Io {
            path: scratch.display().to_string(),
            source,
        })?;
        let record = scratch.join("relay-forwarded");
        for suffix in ["up", "down"] {
            let _ = std::fs::remove_file(record.with_extension(suffix));
        }
        let recorded = |upstream| {
            proxy(
                upstream,
                ProxyOptions {
                    record: Some(record.clone()),
                    ..ProxyOptions::default()
                },
            )
        };
        let blind_imap = recorded(good.imap)?;
        let blind_submission = recorded(good.submission)?;
        let at_standard_port = |port, upstream| {
            proxy(
                upstream,
                ProxyOptions {
                    listen: Some(port),
                    ..ProxyOptions::default()
                },
            )
        };
        let guess_imaps = at_standard_port(993, imaps(&good)?)?;
        let guess_submissions = at_standard_port(465, good.submissions)?;
        let silent = ScriptedServer::start(Script::Silent)
            .map_err(|error| TaskError::Setup(format!("the silent server: {error}")))?;
        let dead = free_port().map_err(|error| TaskError::Setup(error.to_string()))?;
        let refused = free_port().map_err(|error| TaskError::Setup(error.to_string()))?;

        let srv = |service: &str, domain: &str, priority: u16, port: u16| {
            format!("_{service}._tcp.{domain}. IN SRV {priority} 0 {port} localhost.\n")
        };
        let mut zone = String::from("; The live-check world (added by cargo xtask).\n");
        zone += &srv("imaps", "good.live.test", 0, imaps(&good)?);
        zone += &srv("submissions", "good.live.test", 0, good.submissions);
        zone += &srv("imaps", "expired.live.test", 0, imaps(&expired)?);
        zone += &srv("submissions", "expired.live.test", 0, expired.submissions);
        zone += &srv("imaps", "wrongname.live.test", 0, imaps(&wrong_name)?);
        zone += &srv(
            "submissions",
            "wrongname.live.test",
            0,
            wrong_name.submissions,
        );
        zone += &srv("imap", "example.test", 0, blind_imap.port);
        zone += &srv("submission", "example.test", 0, blind_submission.port);
        zone += &srv("imaps", "dead.live.test", 0, dead);
        zone += &srv("imaps", "dead.live.test", 10, imaps(&good)?);
        zone += &srv("submissions", "dead.live.test", 0, good.submissions);
        zone += &srv("imaps", "refused.live.test", 0, refused);
        zone += &srv("imap", "slow.live.test", 0, silent.port);
        zone += &srv("submissions", "slow.live.test", 0, good.submissions);
        zone += &srv("submissions", "refused.live.test", 0, good.submissions);
        zone += "_imaps._tcp.audit.live.test. IN SRV 0 1 993 imap.guess.live.test.\n\
                 _submissions._tcp.audit.live.test. IN SRV 0 1 465 smtp.guess.live.test.\n\
                 audit.live.test. IN MX 10 smtp.guess.live.test.\n\
                 audit.live.test. IN TXT \"v=spf1 mx -all\"\n\
                 _dmarc.audit.live.test. IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@audit.live.test\"\n";

        let mut ports: Vec<u16> = vec![110, 143, 465, 587, 993, 995, dead, silent.port];
        for servers in [&good, &expired, &wrong_name] {
            ports.extend([
                imaps(servers)?,
                servers.submissions,
                servers.imap,
                servers.submission,
            ]);
        }
        ports.extend([blind_imap.port, blind_submission.port]);
        ports.sort_unstable();
        ports.dedup();
        let port_list: Vec<String> = ports.iter().map(u16::to_string).collect();
        let mut relay_args = vec![
            "--allow-private".to_owned(),
            "--port".to_owned(),
            port_list.join(","),
            "--max-sessions-per-ip".to_owned(),
            "64".to_owned(),
            "--rate-per-minute".to_owned(),
            "100000".to_owned(),
            "--resolve".to_owned(),
            "localhost=127.0.0.1".to_owned(),
        ];
        for name in ANSWERING_GUESSES {
            relay_args.extend(["--resolve".to_owned(), format!("{name}=127.0.0.1")]);
        }
        let mut ca_bundle = String::new();
        for servers in [&good, &expired, &wrong_name] {
            ca_bundle.push_str(
                &std::fs::read_to_string(&servers.ca_file).map_err(|source| TaskError::Io {
                    path: servers.ca_file.display().to_string(),
                    source,
                })?,
            );
        }
        Ok(LiveWorld {
            ca_bundle,
            _good: good,
            _expired: expired,
            _wrong_name: wrong_name,
            _proxies: vec![blind_imap, blind_submission, guess_imaps, guess_submissions],
            _silent: silent,
            record,
            zone_records: zone,
            relay_args,
            password: PASSWORD,
        })
    }

    /// A copy of `dist` in `into` with the test CAs as the site's own CA file (the probe
    /// worker trusts them besides the public roots, as an intranet's would), for the relay to
    /// serve; `dist` itself stays as built.
    pub fn site(&self, dist: &Path, into: &Path) -> Result<PathBuf, TaskError> {
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| TaskError::Io { path, source }
        };
        let _ = std::fs::remove_dir_all(into);
        std::fs::create_dir_all(into).map_err(io(into))?;
        for entry in std::fs::read_dir(dist).map_err(io(dist))? {
            let entry = entry.map_err(io(dist))?;
            let target = into.join(entry.file_name());
            std::fs::copy(entry.path(), &target).map_err(io(&target))?;
        }
        let ca = into.join("portolan-ca.pem");
        std::fs::write(&ca, &self.ca_bundle).map_err(io(&ca))?;
        Ok(into.to_path_buf())
    }
}
