//! `portolan audit <domain>`: a provider's whole mail set-up at once. Discovery as users see
//! it, the audit's own records (SPF, DMARC, DKIM, MTA-STS and its policy, TLS-RPT, BIMI) and
//! then what their answers call for (SPF includes, TLSA per MX host), and a live check of every
//! client port of every mail host, all following `portolan_core::audit::gather`; then
//! `portolan_core::audit::report::assemble` judges it. Printed for people or as JSON.
//!
//! Exit codes: 0 nothing fails, 1 items fail, 2 the audit could not run.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use portolan_core::audit::checklist::Status;
use portolan_core::audit::gather::{self, PortSet, PortTarget};
use portolan_core::audit::report::{self, AuditReport, Gathered, Gathering};
use portolan_core::discovery::{self, Answered, FetchBases, FileKind};
use portolan_core::model::LiveCheck;
use portolan_core::MailInput;

use crate::discover::{check_resolvers, gather as gather_discovery, DiscoverOptions, Published};
use crate::doh::DohClient;
use crate::fetch::{self, FetchPlan};
use crate::probing::{transport, trust_anchors, ConnectTo, Endpoint, Prober};

/// The command line of `portolan audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// The domain to audit (for an email address, its domain).
    pub domain: String,
    /// Which ports to check on each mail host: `client` (993, 143, 995, 110, 465, 587) or
    /// `all` (those and 25 on the MX hosts).
    #[arg(long, value_parser = ["client", "all"], default_value = "client")]
    pub ports: String,
    /// A DKIM selector to check (`<selector>._domainkey.<domain>`); repeatable.
    #[arg(long = "dkim-selector", value_name = "SELECTOR")]
    pub dkim_selector: Vec<String>,
    /// Check the ports through this relay (`ws://`, `wss://`, `http://`, `https://`).
    #[arg(long, value_name = "URL")]
    pub relay: Option<String>,
    /// A CA certificate (PEM) to trust besides the public roots, for the mail servers and the
    /// MTA-STS policy (intranets, tests).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Print one JSON object (the schema is in the README) instead of text.
    #[arg(long)]
    pub json: bool,
    /// A DNS-over-HTTPS resolver URL; repeat it to give fallbacks, tried in order.
    #[arg(long = "doh", value_name = "URL")]
    pub doh: Vec<String>,
    /// How long to wait for one resolver before trying the next, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 3000)]
    pub timeout_ms: u64,
    /// The longest wait for any one step of a port check, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5_000,
          value_parser = clap::value_parser!(u64).range(1..=600_000))]
    pub probe_timeout_ms: u64,
    /// Connect to TO_HOST:TO_PORT when checking HOST:PORT (the certificate is still checked
    /// for HOST); repeatable.
    #[arg(long = "connect-to", value_name = "HOST:PORT:TO_HOST:TO_PORT")]
    pub connect_to: Vec<ConnectTo>,
    /// Skip the legacy-protocol, weak-cipher and injection scans (one connection per port).
    #[arg(long)]
    pub no_scan: bool,
    /// Fetch autoconfig from these URLs instead of the domain's own (for tests).
    #[arg(long, hide = true, value_name = "URL")]
    pub autoconfig_url: Vec<String>,
    /// Fetch the MTA-STS policy from this URL instead of the domain's own (for tests).
    #[arg(long, hide = true, value_name = "URL")]
    pub mta_sts_url: Option<String>,
}

/// Runs `portolan audit`.
pub fn run(args: &AuditArgs) -> ExitCode {
    match audit(args) {
        Ok(report) => {
            if args.json {
                match serde_json::to_string_pretty(&report) {
                    Ok(text) => outln!("{text}"),
                    Err(error) => {
                        eprintln!("portolan audit: cannot write JSON: {error}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                out!("{}", render(&report));
            }
            if report.counts.fail > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("portolan audit: {message}");
            ExitCode::from(2)
        }
    }
}

/// Runs the whole audit; the error is the message for stderr.
pub fn audit(args: &AuditArgs) -> Result<AuditReport, String> {
    let typed = portolan_core::parse_input(&args.domain)
        .map_err(|error| format!("{:?}: {error}", args.domain))?;
    // An address stands for its domain: the audit is about the provider, not a person.
    let input = portolan_core::parse_input(&typed.domain.ascii)
        .map_err(|error| format!("{:?}: {error}", typed.domain.ascii))?;
    check_resolvers(&args.doh)?;
    gather::check_selectors(&args.dkim_selector)
        .map_err(|error| format!("--dkim-selector {error}"))?;
    let ports = if args.ports == "all" {
        PortSet::All
    } else {
        PortSet::Client
    };
    let mut prober = Prober::new(
        transport(args.relay.as_deref())?,
        trust_anchors(args.ca.as_deref())?,
        Duration::from_millis(args.probe_timeout_ms),
        !args.no_scan,
    );
    prober.connect_to = args.connect_to.clone();
    let policy_client = policy_client(args.ca.as_deref())?;
    let options = discover_options(args);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    let gathered = runtime.block_on(gather_all(
        &input,
        args,
        &options,
        ports,
        &prober,
        &policy_client,
    ))?;
    let unix_seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
    Ok(report::assemble(&Gathered {
        input: &input,
        discovery: &gathered.discovery,
        answers: &gathered.answers,
        fetched: &gathered.fetched,
        checks: &gathered.checks,
        dkim_selectors: &args.dkim_selector,
        ports,
        unix_seconds,
        gathering: gathered.gathering,
        browser: false,
    }))
}

/// What the drivers brought back.
struct Collected {
    discovery: portolan_core::model::Discovery,
    answers: Vec<Answered>,
    fetched: Vec<portolan_core::discovery::Fetched>,
    checks: Vec<(PortTarget, LiveCheck)>,
    gathering: Gathering,
}

/// Discovery's options for the audit: the given resolvers; the domain's own autoconfig (or
/// the test URLs); no Autodiscover (it answers addresses, and the audit has none).
fn discover_options(args: &AuditArgs) -> DiscoverOptions {
    let mut options = DiscoverOptions::default();
    if !args.doh.is_empty() {
        options.doh.resolvers = args.doh.clone();
    }
    options.doh.timeout = Duration::from_millis(args.timeout_ms.max(1));
    if !args.autoconfig_url.is_empty() {
        options.published = Published::At {
            autoconfig: args.autoconfig_url.clone(),
            autodiscover: Vec::new(),
        };
        options.bases = FetchBases::none();
    }
    options
}

/// The client for the MTA-STS policy: HTTPS, no redirects (RFC 8461 §3.3), and the extra CA.
fn policy_client(ca: Option<&std::path::Path>) -> Result<reqwest::Client, String> {
    let mut builder = crate::http::client_builder().redirect(reqwest::redirect::Policy::none());
    if let Some(path) = ca {
        let pem =
            std::fs::read(path).map_err(|error| format!("--ca {}: {error}", path.display()))?;
        for certificate in reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|error| format!("--ca {}: {error}", path.display()))?
        {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder
        .build()
        .map_err(|error| format!("the HTTP client could not be built: {error}"))
}

/// Gathers everything: round one (discovery, the audit's records, the MTA-STS policy) at
/// once; then, side by side, the follow-up lookups and the port checks.
async fn gather_all(
    input: &MailInput,
    args: &AuditArgs,
    options: &DiscoverOptions,
    ports: PortSet,
    prober: &Prober,
    policy_client: &reqwest::Client,
) -> Result<Collected, String> {
    let started = Instant::now();
    let domain = input.domain.ascii.clone();
    let doh = DohClient::new(options.doh.clone()).map_err(|error| error.to_string())?;
    let policy = FetchPlan {
        kind: FileKind::MtaStsPolicy,
        url: args
            .mta_sts_url
            .clone()
            .unwrap_or_else(|| gather::policy_url(&domain)),
        address: None,
    };
    let (found, mut answers, policy) = tokio::join!(
        gather_discovery(input, options),
        doh.resolve_all(gather::first_lookups(&domain, &args.dkim_selector)),
        fetch::fetch_all(policy_client, vec![policy], options.fetch_timeout),
    );
    let (discovery_answers, mut fetched) = found.map_err(|error| error.to_string())?;
    fetched.extend(policy);
    let discovery = discovery::merge(input, &discovery_answers, &fetched);
    answers.extend(discovery_answers);
    // Without a single DNS answer there is nothing to judge (a failed resolver is not a
    // domain with every record missing), and nothing is checked.
    if answers.iter().all(|answered| answered.result.is_err()) {
        return Err(format!(
            "no DNS answer from {}: check the resolver (--doh) and the network",
            options.doh.resolvers.join(", ")
        ));
    }
    let mx = gather::mx_hosts(&answers);
    let targets = gather::port_targets(&discovery, &mx, ports);
    let requests = targets
        .iter()
        .map(|target| {
            prober.request(
                Endpoint {
                    host: target.host.clone(),
                    port: target.port,
                    protocol: target.protocol,
                    security: target.security,
                },
                // The host names are checked; the address domain (RFC 7817) is a user's
                // concern, not the provider's.
                None,
                None,
            )
        })
        .collect();
    let follow = async {
        let mut more = Vec::new();
        let mut rounds = 1;
        for _ in 0..gather::MAX_FOLLOW_UP_ROUNDS {
            let all: Vec<Answered> = answers.iter().chain(more.iter()).cloned().collect();
            let next = gather::follow_ups(&all);
            if next.is_empty() {
                break;
            }
            more.extend(doh.resolve_all(next).await);
            rounds += 1;
        }
        (more, rounds)
    };
    let ((more, dns_rounds), checks) = tokio::join!(follow, prober.check_all(requests));
    answers.extend(more);
    Ok(Collected {
        discovery,
        answers,
        fetched,
        checks: targets.into_iter().zip(checks).collect(),
        gathering: Gathering {
            dns_rounds,
            milliseconds: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        },
    })
}

/// Text from the audited domain (TXT records, banners) made safe for a terminal: control
/// characters, escape sequences among them, are shown as `\u{..}`.
fn printable(text: &str) -> String {
    // The MTA-STS policy's CRLF line ends are line ends here.
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The report for people.
fn render(report: &AuditReport) -> String {
    printable(&render_raw(report))
}

fn render_raw(report: &AuditReport) -> String {
    let mut out = format!(
        "Audit of {}: grade {} ({} of 100) — {} failing, {} warnings, {} passing\n",
        report.domain,
        report.grade,
        report.score,
        report.counts.fail,
        report.counts.warn,
        report.counts.pass
    );
    for item in &report.items {
        let status = match item.status {
            Status::Fail => "FAIL",
            Status::Warn => "WARN",
            Status::Info => "INFO",
            Status::Pass => "PASS",
        };
        out.push_str(&format!(
            "\n{status} {} [{}] {}\n     {}\n",
            item.id,
            item.subject,
            item.severity.as_str(),
            item.message
        ));
        if item.status != Status::Pass {
            out.push_str(&format!("     Fix: {}\n", item.fix));
        }
    }
    out.push_str("\nPorts:\n");
    for port in &report.ports {
        let state = match &port.check {
            Some(check) => format!("open, grade {:?}", check.grade),
            None => "closed".to_owned(),
        };
        out.push_str(&format!(
            "  {}:{} {} ({}): {state}\n",
            port.host,
            port.port,
            port.protocol.label(),
            port.found_in.join(", ")
        ));
    }
    out.push_str("\nFiles to publish:\n");
    for file in &report.publish {
        out.push_str(&format!(
            "\n=== {} ({}) ===\n{}\n{}",
            file.file_name, file.name, file.place, file.content
        ));
        if !file.content.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_from_the_domain_never_reach_the_terminal() {
        assert_eq!(
            printable("ok\u{1b}[31mred\ttab\r\nline\r"),
            "ok\\u{1b}[31mred\\u{9}tab\nline\\u{d}"
        );
    }
}
