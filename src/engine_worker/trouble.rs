//! The troubleshooter for the "Something went wrong?" panel: explains a pasted message with
//! `portolan_core::troubleshoot`, tied to the settings of the result on screen when there is
//! one, and puts the answer in words for the page.

use portolan_core::clients::Client;
use portolan_core::model::Discovery;
use portolan_core::setup::{self, Choices};
use portolan_core::troubleshoot::{explain, Explanation, Situation};
use portolan_core::MailInput;

use crate::messages::explanation::{ExplainedCause, ExplainedMatch, ExplanationView};

/// The result on screen an explanation is tied to.
pub struct OnScreen<'a> {
    pub input: &'a MailInput,
    pub discovery: &'a Discovery,
    pub client: Option<&'a Client>,
}

/// Explains `text`, in the terms of the settings on screen when given; `relay` says whether
/// a live check could confirm the cause.
pub fn explain_for_page(text: &str, on_screen: Option<OnScreen>, relay: bool) -> ExplanationView {
    let explanation = match on_screen {
        Some(shown) => {
            let setup = setup::prepare(
                shown.input,
                shown.discovery,
                &[],
                shown.client,
                &Choices::default(),
            );
            let situation = Situation {
                settings: Some(&setup.settings),
                provider: setup.provider,
                relay_available: relay,
                ..Situation::default()
            };
            explain(text, Some(&situation))
        }
        None => explain(text, None),
    };
    view_of(&explanation)
}

/// The explanation in words for the page.
fn view_of(explanation: &Explanation) -> ExplanationView {
    ExplanationView {
        matches: explanation
            .matches
            .iter()
            .map(|found| ExplainedMatch {
                code: found.code.to_owned(),
                meaning: found.meaning.to_owned(),
                causes: found
                    .causes
                    .iter()
                    .map(|cause| ExplainedCause {
                        likelihood: cause.likelihood.words().to_owned(),
                        cause: cause.cause.to_owned(),
                        fix: cause.fix.to_owned(),
                        yours: cause.in_your_settings.clone(),
                    })
                    .collect(),
                live_check: found.live_check.clone(),
            })
            .collect(),
        checklist: explanation
            .checklist
            .iter()
            .map(|item| (*item).to_owned())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portolan_core::discovery::merge;
    use portolan_core::parse_input;

    #[test]
    fn an_explanation_on_the_result_screen_speaks_of_the_users_settings() {
        let input = parse_input("someone@gmail.com").expect("valid");
        let discovery = merge(&input, &[], &[]);
        let shown = OnScreen {
            input: &input,
            discovery: &discovery,
            client: None,
        };
        let text = "535-5.7.8 Username and Password not accepted.";
        let tied = explain_for_page(text, Some(shown), false);
        let first = tied.matches.first().expect("recognised");
        assert!(first.code.contains("535"), "{first:?}");
        assert!(
            first.causes.iter().any(|cause| cause
                .yours
                .as_deref()
                .is_some_and(|yours| yours.contains("Gmail"))),
            "{first:?}"
        );
        let untied = explain_for_page(text, None, false);
        assert!(untied.matches[0].causes.iter().all(|c| c.yours.is_none()));
        assert!(untied.checklist.is_empty());
    }

    #[test]
    fn a_certificate_error_offers_the_live_check_only_with_a_relay() {
        let input = parse_input("alice@example.com").expect("valid");
        let discovery = merge(&input, &[], &[]);
        let text = "The certificate is not trusted";
        let shown = || OnScreen {
            input: &input,
            discovery: &discovery,
            client: None,
        };
        let with_relay = explain_for_page(text, Some(shown()), true);
        assert!(
            with_relay.matches.iter().any(|m| m.live_check.is_some()),
            "{with_relay:?}"
        );
        let without = explain_for_page(text, Some(shown()), false);
        assert!(without.matches.iter().all(|m| m.live_check.is_none()));
    }

    #[test]
    fn nothing_recognised_gives_the_checklist() {
        let view = explain_for_page("hello there", None, false);
        assert!(view.matches.is_empty());
        assert!(view.checklist.len() >= 3, "{view:?}");
    }
}
