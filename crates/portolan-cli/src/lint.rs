//! `portolan lint`: checks an autoconfig, Autodiscover or PACC file (and a PACC document's TXT
//! record), or converts it.
//!
//! Exit codes: 0 no errors (warnings allowed), 1 the file has errors, 2 the file could not be
//! read or parsed, or a conversion failed.

use std::path::PathBuf;
use std::process::ExitCode;

use portolan_core::lint::{self, FileKind};

/// The target of `--convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    Autoconfig,
    Autodiscover,
    Pacc,
}

/// The command line of `portolan lint`.
#[derive(Debug, Clone, clap::Args)]
pub struct LintArgs {
    /// The autoconfig, Autodiscover or PACC (JSON) file to check.
    pub file: PathBuf,
    /// For a PACC document: a `_ua-auto-config` TXT value to check its digest against
    /// (`v=UAAC1; a=sha256; d=...`); repeat for several records.
    #[arg(long = "pacc-record", value_name = "TXT")]
    pub pacc_records: Vec<String>,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
    /// Convert the file to the other format and print it instead of linting.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub convert: Option<Target>,
    /// The user's address, for conversions (Autodiscover answers name the login).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,
}

/// Runs `portolan lint`.
pub fn run(args: &LintArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("portolan lint: {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    if let Some(target) = args.convert {
        return convert(args, &text, target);
    }
    let report = match lint::lint_with_records(&text, &args.pacc_records) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("portolan lint: {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    if args.json {
        let value = serde_json::json!({
            "file": args.file.display().to_string(),
            "kind": report.kind,
            "errors": report.has_errors(),
            "findings": report.findings,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        let kind = match report.kind {
            FileKind::Autoconfig => "autoconfig",
            FileKind::Autodiscover => "Autodiscover",
            FileKind::Pacc => "PACC",
            FileKind::Preset => "Portolan preset",
        };
        if report.findings.is_empty() {
            outln!("{}: {kind} file, no problems found.", args.file.display());
        }
        for f in &report.findings {
            let severity = match f.severity {
                lint::Severity::Error => "error",
                lint::Severity::Warning => "warning",
                lint::Severity::Info => "info",
            };
            outln!(
                "{}: {severity}[{}] {}: {}",
                args.file.display(),
                f.code,
                f.location,
                f.message
            );
        }
    }
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn convert(args: &LintArgs, text: &str, target: Target) -> ExitCode {
    let address = match args.address.as_deref().map(portolan_core::parse_input) {
        Some(Ok(input)) => Some(input),
        Some(Err(error)) => {
            eprintln!("portolan lint: --address: {error}");
            return ExitCode::from(2);
        }
        None => None,
    };
    let kind = match target {
        Target::Autoconfig => FileKind::Autoconfig,
        Target::Autodiscover => FileKind::Autodiscover,
        Target::Pacc => FileKind::Pacc,
    };
    match lint::convert(text, kind, address.as_ref()) {
        Ok(conversion) => {
            for note in &conversion.notes {
                eprintln!("portolan lint: {note}");
            }
            out!("{}", conversion.text);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("portolan lint: {}: {error}", args.file.display());
            ExitCode::from(2)
        }
    }
}
