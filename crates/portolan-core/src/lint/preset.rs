//! Lint rules for a Portolan provider preset (`portolan.json`): the validation of
//! `portolan_core::preset` as an error finding, and remarks on a valid preset that work
//! differently from what a provider may expect.

use super::{finding, Finding, Severity};
use crate::preset::{Preset, PRESET_FILE};

/// The findings for the text of a preset file.
pub fn lint_preset(text: &str) -> Vec<Finding> {
    let preset = match Preset::parse(text.as_bytes()) {
        Ok(preset) => preset,
        Err(error) => {
            return vec![finding(
                Severity::Error,
                "preset-invalid",
                PRESET_FILE,
                format!("{error}. Portolan ignores the whole file until this is fixed."),
            )]
        }
    };
    let mut out = Vec::new();
    match preset.parent_origin.as_deref() {
        None => out.push(finding(
            Severity::Info,
            "preset-no-parent-origin",
            "embed",
            "No embed.parent-origin: Portolan posts no events to a page that frames it.".into(),
        )),
        Some(origin) if origin.starts_with("http://") && !is_loopback_origin(origin) => {
            out.push(finding(
                Severity::Warning,
                "preset-parent-origin-http",
                "embed.parent-origin",
                format!("{origin} is not HTTPS: anyone on the network path can read the events sent there."),
            ))
        }
        Some(_) => {}
    }
    if !preset.lookups && preset.incoming.is_empty() && preset.outgoing.is_empty() {
        out.push(finding(
            Severity::Warning,
            "preset-lookups-off-without-servers",
            "lookups",
            "Lookups are off and the preset names no servers: users get only Portolan's provider list and guesses.".into(),
        ));
    }
    out
}

fn is_loopback_origin(origin: &str) -> bool {
    let host = origin.trim_start_matches("http://");
    host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        lint_preset(text)
            .iter()
            .map(|finding| finding.code)
            .collect()
    }

    #[test]
    fn a_preset_is_judged_by_its_validation_and_its_effects() {
        assert_eq!(
            codes(r#"{"version": 1, "colour": "red"}"#),
            ["preset-invalid"]
        );
        assert!(lint_preset(r#"{"version": 1, "colour": "red"}"#)[0]
            .message
            .contains("unknown field `colour`"));
        assert_eq!(
            codes(r#"{"version": 1, "lookups": false}"#),
            [
                "preset-no-parent-origin",
                "preset-lookups-off-without-servers"
            ]
        );
        assert_eq!(
            codes(r#"{"version": 1, "embed": {"parent-origin": "http://help.example.com"}}"#),
            ["preset-parent-origin-http"]
        );
        assert!(
            codes(r#"{"version": 1, "embed": {"parent-origin": "http://127.0.0.1:8080"}}"#)
                .is_empty()
        );
        assert!(
            codes(r#"{"version": 1, "embed": {"parent-origin": "https://help.example.com"}}"#)
                .is_empty()
        );
    }
}
