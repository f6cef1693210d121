//! `portolan generate`: settings (from a file, from discovery, or offline from the knowledge
//! base and guesses) → the engine's recommendation → one generated format on stdout.
//!
//! `--oauth2` (with `--token-command`, `--oauth2-mechanism`) makes a terminal snippet sign in
//! with OAuth2 instead of a password; with any other format it is refused, since those files
//! have no token command to carry.
//!
//! Exit codes: 0 written; 2 bad input (address, settings file, unknown client, `--oauth2`
//! with a format other than a snippet) or nothing usable to write.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use portolan_core::clients;
use portolan_core::engine::{Constraints, IncomingPreference, Policy, Recommendation};
use portolan_core::formats::autoconfig;
use portolan_core::formats::snippets::Tool;
use portolan_core::formats::{OAuth2, OAuth2Mechanism};
use portolan_core::model::{Discovery, LiveCheck};
use portolan_core::setup::{self, Choices, Export, ExportOptions};
use portolan_core::MailInput;

/// The command line of `portolan generate`.
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// An email address (a bare domain works for autoconfig, mobileconfig and dns-zone).
    pub address: String,
    /// What to generate.
    #[arg(long, value_parser = export_parser())]
    pub format: Export,
    /// The mail client (see `portolan clients`): its limits shape the recommendation, and
    /// `--format instructions` writes its steps.
    #[arg(long, value_name = "NAME")]
    pub client: Option<String>,
    /// Read the settings from a JSON file in the shape `portolan discover --json` prints.
    #[arg(long, value_name = "FILE.json")]
    pub settings: Option<PathBuf>,
    /// No network: use Portolan's knowledge base and common-name guesses.
    #[arg(long)]
    pub offline: bool,
    /// Your name, for From lines and profiles.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The command that prints your password (snippets run it; default `pass show email/ADDRESS`).
    #[arg(long, value_name = "COMMAND", conflicts_with = "oauth2")]
    pub password_command: Option<String>,
    /// Terminal snippets only: sign in with OAuth2 (each tool's own mechanism, the access
    /// token from --token-command) instead of a password.
    #[arg(long)]
    pub oauth2: bool,
    /// With --oauth2: the command that prints a current access token (default: the
    /// placeholder `oama access ADDRESS`, to replace with your OAuth2 helper's).
    #[arg(long, value_name = "COMMAND", requires = "oauth2")]
    pub token_command: Option<String>,
    /// With --oauth2: the mechanism for msmtp and aerc, tried first by neomutt (mbsync and
    /// offlineimap do XOAUTH2 only, fetchmail OAUTHBEARER first). Microsoft 365 takes only
    /// xoauth2.
    #[arg(long, value_name = "NAME", requires = "oauth2", value_parser = mechanism_parser())]
    pub oauth2_mechanism: Option<OAuth2Mechanism>,
    /// A CA certificate file the snippets should trust (self-hosted or test servers).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<String>,
    /// The local maildir for mbsync and offlineimap (default ~/Mail/ACCOUNT).
    #[arg(long, value_name = "DIR")]
    pub maildir: Option<String>,
    /// A port that is blocked on your network; repeat as needed.
    #[arg(long = "blocked-port", value_name = "PORT")]
    pub blocked_ports: Vec<u16>,
    /// Only these ports are open on your network (comma-separated).
    #[arg(long, value_name = "PORTS", value_delimiter = ',')]
    pub only_ports: Option<Vec<u16>>,
    /// Prefer POP3 to IMAP for incoming mail.
    #[arg(long)]
    pub pop3: bool,
    /// Never recommend STARTTLS, only implicit TLS.
    #[arg(long)]
    pub no_starttls: bool,
    /// For dns-zone: the web server that serves autoconfig and Autodiscover (default: the domain).
    #[arg(long, value_name = "HOST")]
    pub web_host: Option<String>,
    /// For autoconfig: the version to write, 1.1 (what today's clients read) or 1.2
    /// (draft-ietf-mailmaint-autoconfig: OAuth2 endpoints, JMAP, CalDAV, CardDAV).
    #[arg(long, value_name = "VERSION", default_value = "1.1", value_parser = autoconfig_version_parser())]
    pub autoconfig_version: autoconfig::Version,
    /// Print the engine's recommendation and reasons on stderr.
    #[arg(long)]
    pub explain: bool,
    /// For live discovery: a DNS-over-HTTPS resolver URL; repeat it to give fallbacks.
    #[arg(long = "doh", value_name = "URL")]
    pub doh: Vec<String>,
    /// For live discovery: do not fetch the domain's autoconfig and Autodiscover files.
    #[arg(long)]
    pub no_fetch: bool,
    /// Probing of guessed servers (--probe trusts --ca-file's CA besides the public roots).
    #[command(flatten)]
    pub probing: portolan_cli::probing::ProbeArgs,
}

/// The `--format` names are the core's export names, so the CLI offers every export the
/// browser app does, under the same name.
fn export_parser() -> impl TypedValueParser<Value = Export> {
    PossibleValuesParser::new(Export::all().into_iter().map(Export::name))
        .try_map(|name| Export::from_name(&name).ok_or("not an export name"))
}

/// The `--autoconfig-version` values are the core's version names.
fn autoconfig_version_parser() -> impl TypedValueParser<Value = autoconfig::Version> {
    PossibleValuesParser::new(
        autoconfig::Version::ALL
            .into_iter()
            .map(autoconfig::Version::as_str),
    )
    .try_map(|name| autoconfig::Version::from_name(&name).ok_or("not an autoconfig version"))
}

/// The `--oauth2-mechanism` names are the core's lower-case mechanism names.
fn mechanism_parser() -> impl TypedValueParser<Value = OAuth2Mechanism> {
    PossibleValuesParser::new(OAuth2Mechanism::ALL.into_iter().map(OAuth2Mechanism::name))
        .try_map(|name| OAuth2Mechanism::from_name(&name).ok_or("not a mechanism name"))
}

/// Runs `portolan generate`.
pub fn run(args: &GenerateArgs) -> ExitCode {
    match generate(args) {
        Ok(text) => {
            out!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("portolan generate: {message}");
            ExitCode::from(2)
        }
    }
}

/// Does the work; the error is the message for stderr.
pub fn generate(args: &GenerateArgs) -> Result<String, String> {
    let input = portolan_core::parse_input(&args.address)
        .map_err(|error| format!("{:?}: {error}", args.address))?;
    portolan_cli::discover::check_resolvers(&args.doh)?;
    let client = match &args.client {
        Some(name) => Some(clients::by_id(name).ok_or_else(|| {
            let ids: Vec<&str> = clients::all().iter().map(|c| c.id).collect();
            format!("unknown client {name:?}; known clients: {}", ids.join(", "))
        })?),
        None => None,
    };
    if args.oauth2 && !matches!(args.format, Export::Snippet(_)) {
        let tools: Vec<&str> = Tool::ALL.into_iter().map(Tool::name).collect();
        return Err(format!(
            "--oauth2 is for the terminal snippets ({}), not --format {}",
            tools.join(", "),
            args.format.name()
        ));
    }
    if args.format == Export::Instructions && client.is_none() {
        return Err("--format instructions needs --client NAME (see `portolan clients`)".into());
    }
    let (discovery, checks) = obtain(args, &input)?;
    let choices = Choices {
        constraints: Constraints {
            blocked_ports: args.blocked_ports.clone(),
            open_ports_only: args.only_ports.clone(),
        },
        policy: Policy {
            incoming: if args.pop3 {
                IncomingPreference::Pop3
            } else {
                IncomingPreference::Imap
            },
            allow_starttls: !args.no_starttls,
        },
    };
    let mut setup = setup::prepare(&input, &discovery, &checks, client, &choices);
    if args.explain {
        eprint!("{}", explain(&setup.recommendation));
    }
    setup.settings.real_name = args.name.clone();
    setup.settings.password_command = args.password_command.clone();
    if args.password_command.is_some() {
        // The user chose a password command: the password variant, even where the provider
        // would get OAuth2 by default (its header then says the password will not work).
        setup.settings.oauth2 = None;
    }
    if args.oauth2 {
        setup.settings.oauth2 = Some(OAuth2 {
            token_command: args.token_command.clone(),
            mechanism: args.oauth2_mechanism.unwrap_or_default(),
        });
    }
    setup.settings.ca_file = args.ca_file.clone();
    let options = ExportOptions {
        maildir: args.maildir.clone(),
        web_host: args.web_host.clone(),
        autoconfig_version: args.autoconfig_version,
    };
    setup::export(args.format, &setup.settings, client, &options).map_err(|error| error.to_string())
}

/// The settings: from the file, offline, or by live discovery (falling back to offline); with
/// `--probe`, the guesses among them probed, and the checks made.
fn obtain(args: &GenerateArgs, input: &MailInput) -> Result<(Discovery, Vec<LiveCheck>), String> {
    let prober = portolan_cli::discover::probing_for(
        &args.probing,
        args.offline,
        args.ca_file.as_deref().map(std::path::Path::new),
    )?;
    if let Some(path) = &args.settings {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        let discovery = serde_json::from_str::<Discovery>(&text).map_err(|error| {
            format!(
                "{}: not a settings file in the `portolan discover --json` shape: {error}",
                path.display()
            )
        })?;
        if prober.is_some() {
            return Err(
                "--probe probes what discovery guessed; a settings file has no discovery to probe"
                    .into(),
            );
        }
        return Ok((discovery, Vec::new()));
    }
    if args.offline {
        return Ok((portolan_core::discovery::merge(input, &[], &[]), Vec::new()));
    }
    let mut options = portolan_cli::discover::DiscoverOptions::default();
    if !args.doh.is_empty() {
        options.doh.resolvers = args.doh.clone();
    }
    if args.no_fetch {
        options.published = portolan_cli::discover::Published::Skip;
        options.bases = portolan_core::discovery::FetchBases::none();
    }
    match portolan_cli::discover::discover_blocking(input, &options, prober.as_ref()) {
        Ok(found) => Ok(found),
        Err(message) => {
            eprintln!("portolan generate: discovery failed ({message}); using the knowledge base and guesses instead");
            Ok((portolan_core::discovery::merge(input, &[], &[]), Vec::new()))
        }
    }
}

/// The recommendation in plain text, with every reason and its citation.
pub fn explain(recommendation: &Recommendation) -> String {
    let mut out = String::new();
    for advice in [&recommendation.incoming, &recommendation.outgoing] {
        out.push_str(&format!("{}\n", advice.summary));
        let all = advice
            .recommended
            .iter()
            .map(|r| ("recommended", r))
            .chain(advice.alternatives.iter().map(|r| ("alternative", r)))
            .chain(advice.rejected.iter().map(|r| ("rejected", r)));
        for (label, ranked) in all {
            let c = &ranked.candidate;
            out.push_str(&format!(
                "  {label}: {} {}:{} {} (grade {:?})\n",
                c.protocol.label(),
                c.host,
                c.port,
                c.security.as_str(),
                ranked.grade
            ));
            for reason in &ranked.reasons {
                out.push_str(&format!("    - {} [{}]\n", reason.text, reason.citation));
            }
        }
    }
    out
}
