//! The `portolan` command: the native front end to portolan-core, for admins and scripts.
//!
//! Exit codes: 0 success, 1 the checked thing has problems (lint errors, failed checks),
//! 2 the command could not do its job (bad input, not implemented, I/O failure).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

// The library's `out!`/`outln!`: stdout writes that survive a closed pipe.
#[macro_use]
extern crate portolan_cli;

mod clients;
mod explain;
mod generate;
mod lint;

#[derive(Debug, Parser)]
#[command(
    name = "portolan",
    version,
    about = "Find, check and generate mail client settings"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Audit a domain's whole mail set-up: discovery, ports, SPF, DKIM, DMARC, MTA-STS, DANE.
    Audit(portolan_cli::audit::AuditArgs),
    /// Discover the mail servers for an email address or domain.
    Discover(portolan_cli::discover::DiscoverArgs),
    /// Check mail servers live: banner, STARTTLS, TLS version, certificate, AUTH mechanisms.
    Check(portolan_cli::check::CheckArgs),
    /// Generate client set-up: autoconfig, Autodiscover, mobileconfig, snippets, DNS zone lines.
    Generate(generate::GenerateArgs),
    /// Lint an autoconfig or Autodiscover file, or convert it to the other format.
    Lint(lint::LintArgs),
    /// Explain what a mail app's or server's error means, and how to fix it.
    Explain(explain::ExplainArgs),
    /// List the mail clients Portolan knows, with how to set each one up.
    Clients(clients::ClientsArgs),
}

fn main() -> ExitCode {
    match &Cli::parse().command {
        Command::Audit(args) => portolan_cli::audit::run(args),
        Command::Discover(args) => portolan_cli::discover::run(args),
        Command::Check(args) => portolan_cli::check::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Clients(args) => clients::run(args),
    }
}
