//! `portolan explain "<text>" [--address A] [--json]`: what a mail app's error means, its
//! likely causes and their fixes, tied to the address's settings when one is given.
//!
//! The text comes from the argument, or from standard input when the argument is `-` (for a
//! pasted log). With `--address`, the settings are Portolan's offline recommendation for it
//! (bundled knowledge and guesses, no network), so the explanation can say "you use port 25
//! for sending: your provider expects 587 or 465".
//!
//! Exit codes: 0 when something was recognised, 1 when nothing was (the general checklist is
//! printed), 2 for bad input.

use std::io::Read;
use std::process::ExitCode;

use portolan_core::discovery::merge;
use portolan_core::parse_input;
use portolan_core::setup::{prepare, Choices};
use portolan_core::troubleshoot::{explain, Explanation, Situation};

/// The most text read from standard input.
const MAX_INPUT_BYTES: u64 = 1024 * 1024;

/// The command line of `portolan explain`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExplainArgs {
    /// What the mail app or server said: a dialog's words, a log line, a code. `-` reads it
    /// from standard input.
    pub text: String,
    /// Your email address: the explanation then uses its settings and provider.
    #[arg(long)]
    pub address: Option<String>,
    /// Print one JSON object: `matches` with `code`, `meaning`, `causes` [{`cause`, `fix`,
    /// `likelihood`, `in_your_settings`}], and `recognised`.
    #[arg(long)]
    pub json: bool,
}

/// Runs `portolan explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    match explanation_for(args) {
        Ok(explanation) => {
            if args.json {
                match serde_json::to_string_pretty(&explanation) {
                    Ok(text) => outln!("{text}"),
                    Err(error) => {
                        eprintln!("portolan explain: {error}");
                        return ExitCode::from(2);
                    }
                }
            } else {
                outln!("{}", render(&explanation));
            }
            if explanation.recognised {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("portolan explain: {message}");
            ExitCode::from(2)
        }
    }
}

/// The explanation for the command line's text and address.
pub fn explanation_for(args: &ExplainArgs) -> Result<Explanation, String> {
    let text = if args.text == "-" {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_INPUT_BYTES)
            .read_to_string(&mut text)
            .map_err(|error| format!("could not read standard input: {error}"))?;
        text
    } else {
        args.text.clone()
    };
    let Some(address) = &args.address else {
        return Ok(explain(&text, None));
    };
    let input = parse_input(address).map_err(|error| format!("--address {address:?}: {error}"))?;
    let discovery = merge(&input, &[], &[]);
    let setup = prepare(&input, &discovery, &[], None, &Choices::default());
    let situation = Situation {
        settings: Some(&setup.settings),
        provider: setup.provider,
        ..Situation::default()
    };
    Ok(explain(&text, Some(&situation)))
}

/// The explanation for people.
fn render(explanation: &Explanation) -> String {
    let mut out = String::new();
    if !explanation.recognised {
        out.push_str("Not recognised: Portolan knows no code or message in this text.\n");
        out.push_str("Check, in this order:\n");
        for (number, item) in explanation.checklist.iter().enumerate() {
            out.push_str(&format!("  {}. {item}\n", number + 1));
        }
        return out;
    }
    for (index, found) in explanation.matches.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{}: {}\n", found.code, found.meaning));
        for cause in &found.causes {
            out.push_str(&format!(
                "  - ({}) {}\n    Fix: {}\n",
                cause.likelihood.words(),
                cause.cause,
                cause.fix
            ));
            if let Some(yours) = &cause.in_your_settings {
                out.push_str(&format!("    For you: {yours}\n"));
            }
        }
    }
    out
}
