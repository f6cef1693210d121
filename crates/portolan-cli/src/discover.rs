//! `portolan discover`: every DNS lookup and published-file fetch for an address at once, then
//! portolan-core's merge into ranked, explained candidates, printed for people or as JSON.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use portolan_core::discovery::{self, autoconfig_urls_at, Answered, FetchBases, Fetched, FileKind};
use portolan_core::dns::DohMethod;
use portolan_core::model::{Candidate, Discovery, LiveCheck};
use portolan_core::MailInput;
use thiserror::Error;

use crate::doh::{DohClient, DohConfig, DohError};
use crate::fetch::{self, FetchPlan};
use crate::probing::Prober;

/// The command line of `portolan discover`.
#[derive(Debug, Clone, clap::Args)]
pub struct DiscoverArgs {
    /// An email address or a bare domain.
    pub address: String,
    /// A DNS-over-HTTPS resolver URL; repeat it to give fallbacks, tried in order.
    /// Default: Cloudflare, then Google, then Quad9.
    #[arg(long = "doh", value_name = "URL")]
    pub doh: Vec<String>,
    /// Use only Portolan's knowledge base and guesses: no network at all.
    #[arg(long)]
    pub offline: bool,
    /// Also ask every question of this second, independent DoH resolver, in the same batch;
    /// answers that differ are reported as conflicts with both answers.
    #[arg(long = "second-doh", value_name = "URL")]
    pub second_doh: Option<String>,
    /// Print one JSON object (the schema is in the README) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Send DNS queries with POST instead of GET.
    #[arg(long)]
    pub post: bool,
    /// How long to wait for one resolver before trying the next, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 3000)]
    pub timeout_ms: u64,
    /// Do not fetch the domain's autoconfig and Autodiscover files.
    #[arg(long)]
    pub no_fetch: bool,
    /// Fetch autoconfig from these URLs instead of the domain's own (for tests).
    #[arg(long, hide = true, value_name = "URL")]
    pub autoconfig_url: Vec<String>,
    /// POST Autodiscover requests to these URLs instead of the domain's own (for tests).
    #[arg(long, hide = true, value_name = "URL")]
    pub autodiscover_url: Vec<String>,
    /// Ask this URL instead of Thunderbird's ISP database service, `{domain}` standing for
    /// the domain (for tests).
    #[arg(long, hide = true, value_name = "TEMPLATE")]
    pub ispdb_url: Option<String>,
    /// Fetch an MX provider's autoconfig from this URL instead, `{domain}` standing for
    /// MXFULL or MXBASE (for tests).
    #[arg(long, hide = true, value_name = "TEMPLATE")]
    pub mx_autoconfig_url: Option<String>,
    /// Fetch the PACC document from this URL instead, `{domain}` standing for the domain (for
    /// tests).
    #[arg(long, hide = true, value_name = "TEMPLATE")]
    pub pacc_url: Option<String>,
    /// Ask the services' well-known URIs under this base instead of `https://{domain}`
    /// (for tests).
    #[arg(long, hide = true, value_name = "TEMPLATE")]
    pub well_known_url: Option<String>,
    /// Send the DNS queries one after another instead of all at once (for the benchmark's
    /// contrast only).
    #[arg(long, hide = true)]
    pub sequential_dns: bool,
    #[command(flatten)]
    pub probing: crate::probing::ProbeArgs,
    /// For --probe: a CA certificate (PEM) to trust besides the public roots.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<std::path::PathBuf>,
}

/// Which published files to fetch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// The domain's standard autoconfig and Autodiscover URLs.
    Standard,
    /// These URLs instead (the autoconfig ones get the `emailaddress` parameter added).
    At {
        autoconfig: Vec<String>,
        autodiscover: Vec<String>,
    },
    /// None.
    Skip,
}

/// Everything discovery needs to know besides the address.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    pub doh: DohConfig,
    /// A second resolver asked the same questions at the same time, for its opinion.
    pub second_doh: Option<DohConfig>,
    /// No network: knowledge base and guesses only.
    pub offline: bool,
    pub published: Published,
    /// Where the live ISPDB and MX-provider fetches go (the real services by default).
    pub bases: FetchBases,
    /// The longest wait for one published file.
    pub fetch_timeout: Duration,
    /// Send the DNS queries one after another (the benchmark's contrast); normally false.
    pub sequential_dns: bool,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            doh: DohConfig::default(),
            second_doh: None,
            offline: false,
            published: Published::Standard,
            bases: FetchBases::default(),
            fetch_timeout: Duration::from_secs(5),
            sequential_dns: false,
        }
    }
}

/// Why discovery could not run at all (failed lookups are part of the result instead).
#[derive(Debug, Error)]
pub enum DiscoverError {
    #[error(transparent)]
    Doh(#[from] DohError),
    #[error("the HTTP client could not be built: {0}")]
    Http(#[from] reqwest::Error),
}

/// Discovers the servers for `input`: all DNS lookups and file fetches in one parallel batch,
/// then the merge. Offline, nothing touches the network.
pub async fn discover(
    input: &MailInput,
    options: &DiscoverOptions,
) -> Result<Discovery, DiscoverError> {
    if options.offline {
        return Ok(discovery::merge(input, &[], &[]));
    }
    // The second resolver gets the same questions at the same time as the first.
    let second_opinion = async {
        match &options.second_doh {
            Some(config) => Ok::<_, DiscoverError>(Some(
                DohClient::new(config.clone())?
                    .resolve_all(discovery::plan(input))
                    .await,
            )),
            None => Ok(None),
        }
    };
    let (gathered, second) = tokio::join!(gather(input, options), second_opinion);
    let (answers, fetched) = gathered?;
    let mut result = discovery::merge(input, &answers, &fetched);
    if let Some(second) = second? {
        discovery::add_second_opinion(&mut result, &answers, &second);
    }
    Ok(result)
}

/// Discovery's lookups and fetches, before the merge (the audit reads them too): the first
/// batch all at once, then the second round when the first batch's answers call for it.
pub async fn gather(
    input: &MailInput,
    options: &DiscoverOptions,
) -> Result<(Vec<Answered>, Vec<Fetched>), DiscoverError> {
    let client = DohClient::new(options.doh.clone())?;
    let plans = fetch_plans(input, &options.published, &options.bases);
    let http = fetch::client()?;
    let queries = discovery::plan(input);
    let lookups = async {
        if options.sequential_dns {
            client.resolve_sequentially(queries).await
        } else {
            client.resolve_all(queries).await
        }
    };
    let (answers, mut fetched) = tokio::join!(
        lookups,
        fetch::fetch_all(&http, plans, options.fetch_timeout)
    );
    // The second round (Microsoft's Autodiscover redirect, the MX path), only when the first
    // batch's answers call for it.
    // Microsoft's redirect is followed only when the domain's own files are fetched: with
    // --no-fetch (or the tests' URLs) the address never goes to an SRV-named host.
    let second: Vec<_> = discovery::second_round(input, &answers, &fetched, &options.bases)
        .into_iter()
        .filter(|request| {
            request.kind != FileKind::Autodiscover || options.published == Published::Standard
        })
        .collect();
    if !second.is_empty() {
        let plans = second
            .into_iter()
            .map(|request| FetchPlan {
                kind: request.kind,
                url: request.url,
                address: input.address_ascii(),
            })
            .collect();
        fetched.extend(fetch::fetch_all(&http, plans, options.fetch_timeout).await);
    }
    Ok((answers, fetched))
}

/// The files to fetch for `input`.
fn fetch_plans(input: &MailInput, published: &Published, bases: &FetchBases) -> Vec<FetchPlan> {
    let (autoconfig, autodiscover) = match published {
        Published::Skip => return Vec::new(),
        // The core's first batch, as the browser's engine worker sends it too.
        Published::Standard => {
            let address = input.address_ascii();
            return discovery::first_batch(input, bases)
                .into_iter()
                .map(|request| FetchPlan {
                    kind: request.kind,
                    url: request.url,
                    address: address.clone(),
                })
                .collect();
        }
        Published::At {
            autoconfig,
            autodiscover,
        } => (
            autoconfig_urls_at(input, autoconfig),
            if input.local_part.is_some() {
                autodiscover.clone()
            } else {
                Vec::new()
            },
        ),
    };
    let mut plans = plans_for(input, FileKind::Autoconfig, autoconfig);
    plans.extend(plans_for(input, FileKind::Autodiscover, autodiscover));
    for request in [
        discovery::ispdb_request(input, bases),
        discovery::pacc_request(input, bases),
    ]
    .into_iter()
    .flatten()
    .chain(discovery::well_known_requests(input, bases))
    {
        plans.extend(plans_for(input, request.kind, vec![request.url]));
    }
    plans
}

/// One fetch of `kind` for each URL, for `input`'s address.
fn plans_for(input: &MailInput, kind: FileKind, urls: Vec<String>) -> Vec<FetchPlan> {
    let address = input.address_ascii();
    urls.into_iter()
        .map(|url| FetchPlan {
            kind,
            url,
            address: address.clone(),
        })
        .collect()
}

/// Runs `portolan discover` and returns the exit code: 0 with a result, 2 when the input is
/// invalid or discovery could not run.
pub fn run(args: &DiscoverArgs) -> ExitCode {
    let input = match portolan_core::parse_input(&args.address) {
        Ok(input) => input,
        Err(error) => {
            eprintln!("portolan discover: {:?}: {error}", args.address);
            return ExitCode::from(2);
        }
    };
    let mut resolvers = args.doh.clone();
    resolvers.extend(args.second_doh.clone());
    if let Err(message) = check_resolvers(&resolvers) {
        eprintln!("portolan discover: {message}");
        return ExitCode::from(2);
    }
    let prober = match probing_for(&args.probing, args.offline, args.ca.as_deref()) {
        Ok(prober) => prober,
        Err(message) => {
            eprintln!("portolan discover: {message}");
            return ExitCode::from(2);
        }
    };
    let options = options_from(args);
    match discover_blocking(&input, &options, prober.as_ref()) {
        Ok((result, _)) => {
            if args.json {
                match serde_json::to_string_pretty(&result) {
                    Ok(text) => outln!("{text}"),
                    Err(error) => {
                        eprintln!("portolan discover: cannot write JSON: {error}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                out!("{}", render(&input, &result));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("portolan discover: {message}");
            ExitCode::from(2)
        }
    }
}

/// Checks that every `--doh` value is a full http(s) URL; the error is the message for stderr.
pub fn check_resolvers(urls: &[String]) -> Result<(), String> {
    match urls.iter().find(|url| {
        let lower = url.to_ascii_lowercase();
        !(lower.starts_with("https://") || lower.starts_with("http://"))
    }) {
        Some(bad) => Err(format!(
            "--doh {bad:?}: give the resolver's full URL, like https://cloudflare-dns.com/dns-query"
        )),
        None => Ok(()),
    }
}

/// The prober `--probe` asks for, if it does; an error for options that contradict it.
pub fn probing_for(
    args: &crate::probing::ProbeArgs,
    offline: bool,
    ca_file: Option<&std::path::Path>,
) -> Result<Option<Prober>, String> {
    if !args.probe {
        return Ok(None);
    }
    if offline {
        return Err("--offline promises no network, and --probe connects to the guessed servers: choose one".into());
    }
    args.prober(ca_file).map(Some)
}

/// Runs [`discover`] to the end on a runtime of its own, for the synchronous commands, and
/// with a prober confirms the guesses by probing them; the checks made come back too. The
/// error is the message for stderr.
pub fn discover_blocking(
    input: &MailInput,
    options: &DiscoverOptions,
    prober: Option<&Prober>,
) -> Result<(Discovery, Vec<LiveCheck>), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(async {
        let found = discover(input, options)
            .await
            .map_err(|error| error.to_string())?;
        Ok(match prober {
            Some(prober) => crate::probing::confirm_guesses(prober, input, &found).await,
            None => (found, Vec::new()),
        })
    })
}

/// The options the command line asks for.
pub fn options_from(args: &DiscoverArgs) -> DiscoverOptions {
    let mut options = DiscoverOptions::default();
    if !args.doh.is_empty() {
        options.doh.resolvers = args.doh.clone();
    }
    options.doh.timeout = Duration::from_millis(args.timeout_ms.max(1));
    options.doh.method = if args.post {
        DohMethod::Post
    } else {
        DohMethod::Get
    };
    options.second_doh = args.second_doh.as_ref().map(|url| DohConfig {
        resolvers: vec![url.clone()],
        ..options.doh.clone()
    });
    options.offline = args.offline;
    options.sequential_dns = args.sequential_dns;
    options.published = if args.no_fetch {
        Published::Skip
    } else if !args.autoconfig_url.is_empty() || !args.autodiscover_url.is_empty() {
        Published::At {
            autoconfig: args.autoconfig_url.clone(),
            autodiscover: args.autodiscover_url.clone(),
        }
    } else {
        Published::Standard
    };
    // Only the standard mode asks the real services; the test modes ask what they name.
    let real = options.published == Published::Standard;
    let template = |given: &Option<String>, default: &str| {
        given.clone().or_else(|| real.then(|| default.to_owned()))
    };
    options.bases = FetchBases {
        ispdb_service: template(&args.ispdb_url, discovery::ISPDB_SERVICE),
        mx_autoconfig: template(&args.mx_autoconfig_url, discovery::MX_AUTOCONFIG),
        pacc: template(&args.pacc_url, discovery::PACC_DOCUMENT),
        well_known: template(&args.well_known_url, discovery::WELL_KNOWN_BASE),
    };
    if args.no_fetch {
        options.bases = FetchBases::none();
    }
    options
}

/// The text people read.
fn render(input: &MailInput, result: &Discovery) -> String {
    let mut out = String::new();
    let who = input
        .address_unicode()
        .unwrap_or_else(|| input.domain.unicode.clone());
    let _ = writeln!(out, "Mail servers for {who}");
    if input.domain.is_internationalised() {
        let _ = writeln!(
            out,
            "Domain: {} (in DNS: {})",
            input.domain.unicode, input.domain.ascii
        );
    }
    if let Some(provider) = &result.provider {
        match &provider.registrable_domain {
            Some(domain) => {
                let _ = writeln!(
                    out,
                    "Provider: {} ({domain}), found through the MX record: CONFIRM before use",
                    provider.name
                );
                let _ = writeln!(out, "  {}", provider.reason);
            }
            None => {
                let _ = writeln!(out, "Provider: {}", provider.name);
            }
        }
    }
    section(
        &mut out,
        "Incoming (read mail), best first",
        &result.incoming,
    );
    section(
        &mut out,
        "Outgoing (send mail), best first",
        &result.outgoing,
    );
    if !result.services.is_empty() {
        let _ = writeln!(out, "\nThe account also offers:");
        for service in &result.services {
            let trust: Vec<&str> = service.trust.iter().map(|t| t.as_str()).collect();
            let _ = writeln!(
                out,
                "  {:<21} {}  [{}; {}]",
                service.service.label(),
                service.endpoint.describe(),
                service.source.as_str(),
                trust.join(", ")
            );
            let _ = writeln!(
                out,
                "      for {}. {}",
                service.service.purpose(),
                service.found
            );
        }
    }
    if !result.resolver_conflicts.is_empty() {
        let _ = writeln!(out, "\nResolvers disagree:");
        for conflict in &result.resolver_conflicts {
            let _ = writeln!(out, "  - {}", conflict.description);
            for answer in &conflict.answers {
                let _ = writeln!(
                    out,
                    "      {}: {}",
                    answer.resolver,
                    answer.records.join("; ")
                );
            }
        }
    }
    if !result.unavailable.is_empty() {
        let _ = writeln!(out, "\nNot offered by the domain:");
        for refused in &result.unavailable {
            let _ = writeln!(out, "  - {}", refused.reason);
        }
    }
    if !result.conflicts.is_empty() {
        let _ = writeln!(out, "\nSources disagree:");
        for conflict in &result.conflicts {
            let _ = writeln!(out, "  - {}", conflict.description);
        }
    }
    if !result.probed.is_empty() {
        let confirmed = result
            .probed
            .iter()
            .filter(|probed| probed.confirmed)
            .count();
        let _ = writeln!(
            out,
            "\nGuesses probed live ({confirmed} of {} confirmed):",
            result.probed.len()
        );
        for probed in &result.probed {
            let _ = writeln!(
                out,
                "  {} {}",
                if probed.confirmed {
                    "confirmed  "
                } else {
                    "unconfirmed"
                },
                probed.detail
            );
        }
    }
    if !result.lookups.is_empty() {
        let _ = writeln!(out, "\nLookups:");
        for lookup in &result.lookups {
            let _ = writeln!(
                out,
                "  {:<12} {:<48} {:<9}{} {:>5} ms  via {}{}",
                lookup.record_type,
                lookup.name,
                lookup.rcode,
                if lookup.ad { " AD" } else { "   " },
                lookup.milliseconds,
                lookup.resolver,
                lookup
                    .error
                    .as_ref()
                    .map(|error| format!(" ({error})"))
                    .unwrap_or_default()
            );
        }
    }
    out
}

fn section(out: &mut String, title: &str, candidates: &[Candidate]) {
    let _ = writeln!(out, "\n{title}:");
    if candidates.is_empty() {
        let _ = writeln!(out, "  (none found)");
    }
    for (number, candidate) in candidates.iter().enumerate() {
        let trust: Vec<&str> = candidate.trust.iter().map(|trust| trust.as_str()).collect();
        let _ = writeln!(
            out,
            "  {}. {} {}:{} {}  [{}; {}]",
            number + 1,
            candidate.protocol.label(),
            candidate.host,
            candidate.port,
            candidate.security.as_str(),
            candidate.source.as_str(),
            trust.join(", ")
        );
        for reason in &candidate.reasons {
            let _ = writeln!(out, "       {reason}");
        }
    }
}
