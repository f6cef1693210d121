//! `portolan clients`: lists the client catalogue, grouped by platform.

use std::process::ExitCode;

use portolan_core::clients::{self, Delivery};

/// The command line of `portolan clients`.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientsArgs {
    /// Print the catalogue as JSON (ids, capabilities, delivery, steps).
    #[arg(long)]
    pub json: bool,
}

/// Runs `portolan clients`.
pub fn run(args: &ClientsArgs) -> ExitCode {
    let all = clients::all();
    if args.json {
        match serde_json::to_string_pretty(all) {
            Ok(text) => outln!("{text}"),
            Err(error) => {
                eprintln!("portolan clients: {error}");
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    let mut platform = None;
    for client in all {
        if platform != Some(client.platform) {
            platform = Some(client.platform);
            outln!("{}:", client.platform.label());
        }
        let delivery = match client.delivery {
            Delivery::Autoconfig => "finds settings via autoconfig".to_string(),
            Delivery::Autodiscover => "finds settings via Autodiscover".to_string(),
            Delivery::Mobileconfig => "install a .mobileconfig profile".to_string(),
            Delivery::ManualSteps => "follow the steps (--format instructions)".to_string(),
            Delivery::ConfigFile(format) => format!("config file (--format {format})"),
        };
        outln!(
            "  {:<20} {} ({}): {delivery}",
            client.id,
            client.name,
            client.runs_on
        );
    }
    ExitCode::SUCCESS
}
