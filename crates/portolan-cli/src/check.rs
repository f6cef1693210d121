//! `portolan check`: live checks of mail servers, natively or through the relay. Given a host,
//! it checks that host (one port, or every usual client port); given only an address, it
//! discovers that address's servers and checks the recommended ones, moving on to the next
//! alternative when one turns out unusable, and says what the recommendation becomes.
//!
//! Exit codes: 0 every server checked is usable with at most minor findings (grade A or B);
//! 1 a server has real problems (grade C or F) or none answered; 2 the check could not run
//! (bad input, an unreadable CA file, no password).

use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _};
use std::process::ExitCode;
use std::time::Duration;

use portolan_core::clients;
use portolan_core::model::{CheckGrade, InjectionVerdict, LiveCheck, Protocol, Role, Security};
use portolan_core::setup::{self, Choices};
use portolan_core::MailInput;
use portolan_probe::Credentials;
use zeroize::Zeroizing;

use crate::discover::{check_resolvers, discover, DiscoverOptions, Published};
use crate::probing::{transport, trust_anchors, ConnectTo, Endpoint, Prober};

/// The ports `portolan check HOST` tries when neither a port nor a protocol is given: every
/// client port, implicit TLS first.
const CLIENT_PORTS: [(Protocol, u16, Security); 6] = [
    (Protocol::Imap, 993, Security::Tls),
    (Protocol::Imap, 143, Security::Starttls),
    (Protocol::Pop3, 995, Security::Tls),
    (Protocol::Pop3, 110, Security::Starttls),
    (Protocol::Submission, 465, Security::Tls),
    (Protocol::Submission, 587, Security::Starttls),
];

/// How many alternatives per role are tried when the recommended server turns out unusable.
const MAX_TRIES_PER_ROLE: usize = 3;

/// The command line of `portolan check`.
#[derive(Debug, Clone, clap::Args)]
pub struct CheckArgs {
    /// The server to check (a host name or IP address); or an email address, which checks
    /// that address's recommended servers (like `--address` without a host).
    pub host: Option<String>,
    /// The port; default: the protocol's standard port, or every client port when neither
    /// this nor --protocol is given.
    #[arg(long)]
    pub port: Option<u16>,
    /// The protocol; default: from the port.
    #[arg(long, value_parser = ["smtp", "submission", "imap", "pop3"])]
    pub protocol: Option<String>,
    /// Implicit TLS or STARTTLS; default: from the port (993, 995, 465 are implicit TLS).
    #[arg(long, value_parser = ["tls", "starttls"])]
    pub security: Option<String>,
    /// Your email address: its domain is checked against the certificate (RFC 7817), it is
    /// the login name, and without a host its recommended servers are checked.
    #[arg(long, value_name = "USER@DOMAIN")]
    pub address: Option<String>,
    /// A CA certificate (PEM) to trust besides the public roots (intranets, tests).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<std::path::PathBuf>,
    /// Check through this relay (`ws://`, `wss://`, `http://`, `https://`), as the browser does.
    #[arg(long, value_name = "URL")]
    pub relay: Option<String>,
    /// Also test logging in (after a verified TLS set-up only). The password comes from
    /// --password-command, or from standard input; never from the command line.
    #[arg(long)]
    pub login: bool,
    /// The user name for --login; default: the address.
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// A command that prints the password (for --login), run with `sh -c`.
    #[arg(long, value_name = "CMD")]
    pub password_command: Option<String>,
    /// The longest wait for any one step, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub timeout_ms: u64,
    /// Connect to TO_HOST:TO_PORT when checking HOST:PORT (the certificate is still checked
    /// for HOST), as curl's option of the same name; repeatable.
    #[arg(long = "connect-to", value_name = "HOST:PORT:TO_HOST:TO_PORT")]
    pub connect_to: Vec<ConnectTo>,
    /// Skip the legacy-protocol, weak-cipher and injection scans (one connection per server).
    #[arg(long)]
    pub no_scan: bool,
    /// Print a JSON array, one object per server (the schema is in the README).
    #[arg(long)]
    pub json: bool,
    /// For discovery (an address without a host): a DNS-over-HTTPS resolver URL; repeatable.
    #[arg(long = "doh", value_name = "URL")]
    pub doh: Vec<String>,
    /// For discovery: only the knowledge base and guesses, no DNS.
    #[arg(long)]
    pub offline: bool,
    /// For discovery: do not fetch the domain's autoconfig and Autodiscover files.
    #[arg(long)]
    pub no_fetch: bool,
}

/// Runs `portolan check`.
pub fn run(args: &CheckArgs) -> ExitCode {
    match check(args) {
        Ok(Done { output, code }) => {
            out!("{output}");
            code
        }
        Err(message) => {
            eprintln!("portolan check: {message}");
            ExitCode::from(2)
        }
    }
}

/// What to print and how to exit.
struct Done {
    output: String,
    code: ExitCode,
}

fn check(args: &CheckArgs) -> Result<Done, String> {
    let (host, address) = split_target(args)?;
    let host_given = host.is_some();
    let input = address
        .as_deref()
        .map(|address| {
            portolan_core::parse_input(address).map_err(|error| format!("{address:?}: {error}"))
        })
        .transpose()?;
    if host.is_none()
        && input
            .as_ref()
            .is_none_or(|input| input.local_part.is_none())
    {
        return Err(
            "give a host to check, or an email address (--address) whose servers to check".into(),
        );
    }
    check_resolvers(&args.doh)?;
    let anchors = trust_anchors(args.ca.as_deref())?;
    let transport = transport(args.relay.as_deref())?;
    let credentials = if args.login {
        Some(credentials(args, input.as_ref())?)
    } else {
        None
    };
    let mut prober = Prober::new(
        transport,
        anchors,
        Duration::from_millis(args.timeout_ms.max(1)),
        !args.no_scan,
    );
    prober.connect_to = args.connect_to.clone();
    let domain = input.as_ref().map(|input| input.domain.ascii.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    let (checks, after) = match host {
        Some(host) => {
            let endpoints = endpoints(args, &host)?;
            let requests = endpoints
                .into_iter()
                .map(|endpoint| prober.request(endpoint, domain.clone(), credentials.clone()))
                .collect();
            (runtime.block_on(prober.check_all(requests)), None)
        }
        None => {
            let input = input.ok_or("an address is needed")?;
            let (checks, summary) =
                runtime.block_on(check_address(args, &input, &prober, credentials))?;
            (checks, Some(summary))
        }
    };
    let open: Vec<&LiveCheck> = checks.iter().filter(|check| check.reachable).collect();
    let all_ports = host_given && args.port.is_none() && args.protocol.is_none();
    let failed = if all_ports {
        // Scanning every client port: closed ports are fine, open ones must be good.
        open.is_empty() || open.iter().any(|check| check.grade > CheckGrade::B)
    } else {
        checks.iter().any(|check| check.grade > CheckGrade::B)
    };
    let output = if args.json {
        serde_json::to_string_pretty(&checks)
            .map(|text| format!("{text}\n"))
            .map_err(|error| format!("cannot write JSON: {error}"))?
    } else {
        render(&checks, after.as_deref())
    };
    Ok(Done {
        output,
        code: if failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    })
}

/// The host and the address: a positional argument with an `@` is an address.
fn split_target(args: &CheckArgs) -> Result<(Option<String>, Option<String>), String> {
    match (&args.host, &args.address) {
        (Some(target), None) if target.contains('@') => Ok((None, Some(target.clone()))),
        (Some(target), Some(_)) if target.contains('@') => {
            Err(format!("{target:?} is an address; give the host to check, or leave it out to check the address's servers"))
        }
        (host, address) => Ok((host.clone(), address.clone())),
    }
}

/// The endpoints a host check covers.
fn endpoints(args: &CheckArgs, host: &str) -> Result<Vec<Endpoint>, String> {
    if host.trim().is_empty() || host.contains(['/', ' ', '@']) {
        return Err(format!("{host:?} is not a host name or IP address"));
    }
    let protocol = args.protocol.as_deref().map(|name| match name {
        "imap" => Protocol::Imap,
        "pop3" => Protocol::Pop3,
        _ => Protocol::Submission,
    });
    let security = args.security.as_deref().map(|name| match name {
        "tls" => Security::Tls,
        _ => Security::Starttls,
    });
    let endpoint = |protocol, port, security| Endpoint {
        host: host.to_owned(),
        port,
        protocol,
        security,
    };
    Ok(match (protocol, args.port) {
        (None, None) => CLIENT_PORTS
            .iter()
            .filter(|(_, _, tls)| security.is_none_or(|wanted| wanted == *tls))
            .map(|(protocol, port, tls)| endpoint(*protocol, *port, *tls))
            .collect(),
        (protocol, Some(port)) => {
            let known = CLIENT_PORTS
                .iter()
                .chain(&[(Protocol::Submission, 25, Security::Starttls)])
                .find(|(_, standard, _)| *standard == port)
                .copied();
            let protocol = protocol.or(known.map(|(protocol, _, _)| protocol)).ok_or_else(|| {
                format!("port {port} is not a standard mail port: say which protocol with --protocol")
            })?;
            let security = security
                .or(known.map(|(_, _, security)| security))
                .unwrap_or(Security::Starttls);
            vec![endpoint(protocol, port, security)]
        }
        (Some(protocol), None) => {
            let security = security.unwrap_or(Security::Tls);
            vec![endpoint(
                protocol,
                protocol.default_port(security),
                security,
            )]
        }
    })
}

/// The login's user and password: the password from the command or standard input, held
/// only for the attempt.
fn credentials(args: &CheckArgs, input: Option<&MailInput>) -> Result<Credentials, String> {
    let user = args
        .user
        .clone()
        .or_else(|| input.and_then(MailInput::address_ascii))
        .ok_or("--login needs the user name: give --address or --user")?;
    let password = match &args.password_command {
        Some(command) => {
            let output = std::process::Command::new("sh")
                .args(["-c", command])
                .stderr(std::process::Stdio::inherit())
                .output()
                .map_err(|error| format!("--password-command could not run: {error}"))?;
            if !output.status.success() {
                return Err(format!("--password-command failed ({})", output.status));
            }
            first_line(&Zeroizing::new(output.stdout))
        }
        None if std::io::stdin().is_terminal() => {
            let prompt = format!("Password for {user}: ");
            Zeroizing::new(
                rpassword::prompt_password(prompt)
                    .map_err(|error| format!("cannot read the password: {error}"))?,
            )
        }
        None => {
            let mut line = Zeroizing::new(String::new());
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|error| {
                    format!("cannot read the password from standard input: {error}")
                })?;
            first_line(line.as_bytes())
        }
    };
    if password.is_empty() {
        return Err("the password is empty".into());
    }
    Ok(Credentials::new(user, password.as_str()))
}

/// The first line of `bytes`, held in memory that is wiped when dropped.
fn first_line(bytes: &[u8]) -> Zeroizing<String> {
    Zeroizing::new(
        String::from_utf8_lossy(bytes)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Discovers the address's servers, checks the recommended one per role, and while it turns
/// out unusable, the next alternative; returns the checks and the recommendation after them.
async fn check_address(
    args: &CheckArgs,
    input: &MailInput,
    prober: &Prober,
    credentials: Option<Credentials>,
) -> Result<(Vec<LiveCheck>, String), String> {
    let mut options = DiscoverOptions {
        offline: args.offline,
        ..DiscoverOptions::default()
    };
    if !args.doh.is_empty() {
        options.doh.resolvers = args.doh.clone();
    }
    if args.no_fetch {
        options.published = Published::Skip;
        options.bases = portolan_core::discovery::FetchBases::none();
    }
    let discovery = discover(input, &options)
        .await
        .map_err(|error| error.to_string())?;
    let client = clients::by_id("thunderbird");
    let domain = Some(input.domain.ascii.clone());
    let mut checks: Vec<LiveCheck> = Vec::new();
    for _ in 0..MAX_TRIES_PER_ROLE {
        let setup = setup::prepare(input, &discovery, &checks, client, &Choices::default());
        let unchecked: Vec<Endpoint> = [Role::Incoming, Role::Outgoing]
            .into_iter()
            .filter_map(|role| setup.recommendation.ordered(role).into_iter().next())
            .filter(|candidate| !checks.iter().any(|check| check.is_for(candidate)))
            .map(|candidate| Endpoint::of(&candidate))
            .collect();
        if unchecked.is_empty() {
            break;
        }
        let requests = unchecked
            .into_iter()
            .map(|endpoint| prober.request(endpoint, domain.clone(), credentials.clone()))
            .collect();
        checks.extend(prober.check_all(requests).await);
    }
    let setup = setup::prepare(input, &discovery, &checks, client, &Choices::default());
    let summary = format!(
        "{}\n{}",
        setup.recommendation.incoming.summary, setup.recommendation.outgoing.summary
    );
    Ok((checks, summary))
}

/// The text people read.
fn render(checks: &[LiveCheck], recommendation: Option<&str>) -> String {
    let mut out = String::new();
    for (index, check) in checks.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        render_one(&mut out, check);
    }
    if let Some(summary) = recommendation {
        let _ = writeln!(out, "\nRecommendation after the checks:\n{summary}");
    }
    out
}

fn render_one(out: &mut String, check: &LiveCheck) {
    let _ = writeln!(
        out,
        "{} {}:{} ({}): grade {}",
        check.protocol.label(),
        check.host,
        check.port,
        check.security.in_words(),
        check.grade.as_str()
    );
    if !check.reachable {
        let _ = writeln!(
            out,
            "  not reachable: {}",
            check.error.as_deref().unwrap_or("no connection")
        );
        return;
    }
    if let Some(banner) = &check.banner {
        let _ = writeln!(out, "  greeting: {banner}");
    }
    if !check.capabilities.before_tls.is_empty() {
        let _ = writeln!(
            out,
            "  before TLS: {}",
            check.capabilities.before_tls.join(", ")
        );
    }
    if let Some(tls) = &check.tls {
        let _ = writeln!(out, "  TLS: {}, {}", tls.version, tls.cipher);
        if let Some(certificate) = &tls.certificate {
            let _ = writeln!(
                out,
                "  certificate: {} (names: {}), issued by {}",
                certificate.subject,
                certificate.sans.join(", "),
                certificate.issuer
            );
            let _ = writeln!(
                out,
                "    valid until {} ({} days), {}, {}, key {}, signature {}",
                certificate.not_after,
                certificate.days_left,
                match &certificate.chain_error {
                    None => "chain trusted".to_owned(),
                    Some(error) => format!("NOT trusted: {error}"),
                },
                if certificate.name_matches {
                    "name matches"
                } else {
                    "NAME DOES NOT MATCH"
                },
                certificate.key,
                certificate.signature
            );
        }
        let _ = writeln!(
            out,
            "  after TLS: {}",
            if check.capabilities.after_tls.is_empty() {
                "(none listed)".to_owned()
            } else {
                check.capabilities.after_tls.join(", ")
            }
        );
    }
    let none = |list: &[String]| {
        if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "  legacy TLS accepted: {}; weak ciphers accepted: {}",
        none(&check.legacy_tls_accepted),
        none(&check.weak_ciphers_accepted)
    );
    if let Some(verdict) = check.starttls_injection {
        let words = match verdict {
            InjectionVerdict::NotVulnerable => "not vulnerable",
            InjectionVerdict::Vulnerable => "VULNERABLE",
            InjectionVerdict::Inconclusive => "inconclusive",
        };
        let _ = writeln!(out, "  STARTTLS injection: {words}");
    }
    if let Some(error) = &check.error {
        let _ = writeln!(out, "  stopped: {error}");
    }
    for finding in &check.findings {
        let _ = writeln!(
            out,
            "  [{}] {}: {}\n      fix: {}",
            finding.severity.as_str(),
            finding.id.as_str(),
            finding.message,
            finding.fix
        );
    }
    let timings = &check.timings_ms;
    let part = |name: &str, value: Option<u64>| value.map(|ms| format!("{name} {ms} ms"));
    let parts: Vec<String> = [
        part("connect", timings.connect),
        part("greeting", timings.greeting),
        part("STARTTLS", timings.starttls),
        part("TLS handshake", timings.tls_handshake),
        part("capabilities", timings.capabilities),
        part("login", timings.login),
        part("total", timings.total),
    ]
    .into_iter()
    .flatten()
    .collect();
    let _ = writeln!(out, "  timings: {}", parts.join(", "));
}
