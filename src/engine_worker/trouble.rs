//! The troubleshooter for the "Something went wrong?" panel: explains a pasted message with
//! `portolan_core::troubleshoot`, tied to the settings of the result on screen when there is
//! one, and puts the answer in words for the page.

use portolan_core::clients::Client;
use portolan_core::model::Discovery;
use portolan_core::setup::{self, Choices};
use portolan_core::troubleshoot::{explain, Explanation, Situation};
use portolan_core::MailInput;

use super::markup::{escape, said};
use crate::messages::explanation::ExplanationView;
use crate::strings;

/// One possible cause and its fix, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedCause {
    /// How likely it is, in words ("likely", "possible", "less likely").
    pub likelihood: String,
    pub cause: String,
    pub fix: String,
    /// The fix in the user's own settings' terms, when the result on screen says something.
    pub yours: Option<String>,
}

/// One recognised code or message, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainedMatch {
    /// The code as people know it (`535 5.7.8`), or a short name for a phrase.
    pub code: String,
    pub meaning: String,
    /// Most likely first.
    pub causes: Vec<ExplainedCause>,
    /// The live check that would confirm the cause, when a relay can make it.
    pub live_check: Option<String>,
}

/// The troubleshooter's answer in words, before it becomes markup for the page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Explained {
    /// Best first; empty when nothing was recognised.
    pub matches: Vec<ExplainedMatch>,
    /// When nothing was recognised: what to check, in order.
    pub checklist: Vec<String>,
}

impl Explained {
    /// The answer as the page places it.
    pub fn view(&self) -> ExplanationView {
        let mut html = String::new();
        if self.matches.is_empty() {
            html.push_str(&format!(
                "<p>{}</p><ol>",
                escape(strings::TROUBLE_UNKNOWN())
            ));
            for item in &self.checklist {
                html.push_str(&format!("<li>{}</li>", said(item)));
            }
            html.push_str("</ol>");
        }
        for found in &self.matches {
            html.push_str(&format!(
                "<article class=\"trouble-match\"><h2><code>{}</code> {}</h2><ol class=\"trouble-causes\">",
                said(&found.code),
                said(&found.meaning)
            ));
            for cause in &found.causes {
                html.push_str(&format!(
                    "<li><span class=\"likelihood\">({}) </span>{}<br><span class=\"fix\">{} {}</span>",
                    said(&cause.likelihood),
                    said(&cause.cause),
                    escape(strings::LIVE_FIX()),
                    said(&cause.fix)
                ));
                if let Some(yours) = &cause.yours {
                    html.push_str(&format!(
                        "<p class=\"yours\"><strong>{}</strong> {}</p>",
                        escape(strings::TROUBLE_YOURS()),
                        said(yours)
                    ));
                }
                html.push_str("</li>");
            }
            html.push_str("</ol>");
            if let Some(check) = &found.live_check {
                html.push_str(&format!("<p class=\"trouble-check\">{}</p>", said(check)));
            }
            html.push_str("</article>");
        }
        ExplanationView {
            html,
            live_check: self.matches.iter().any(|found| found.live_check.is_some()),
        }
    }
}

/// The result on screen an explanation is tied to.
pub struct OnScreen<'a> {
    pub input: &'a MailInput,
    pub discovery: &'a Discovery,
    pub client: Option<&'a Client>,
}

/// Explains `text`, in the terms of the settings on screen when given; `relay` says whether
/// a live check could confirm the cause.
pub fn explain_for_page(text: &str, on_screen: Option<OnScreen>, relay: bool) -> Explained {
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
fn view_of(explanation: &Explanation) -> Explained {
    Explained {
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

    /// `text` explained on the result screen of `address` (looked up offline).
    fn explained_for(address: &str, text: &str, relay: bool) -> Explained {
        let input = parse_input(address).expect("valid");
        let discovery = merge(&input, &[], &[]);
        let shown = OnScreen {
            input: &input,
            discovery: &discovery,
            client: None,
        };
        explain_for_page(text, Some(shown), relay)
    }

    #[test]
    fn an_explanation_on_the_result_screen_speaks_of_the_users_settings() {
        let text = "535-5.7.8 Username and Password not accepted.";
        let tied = explained_for("someone@gmail.com", text, false);
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
        let text = "The certificate is not trusted";
        let with_relay = explained_for("alice@example.com", text, true);
        assert!(
            with_relay.matches.iter().any(|m| m.live_check.is_some()),
            "{with_relay:?}"
        );
        let without = explained_for("alice@example.com", text, false);
        assert!(without.matches.iter().all(|m| m.live_check.is_none()));
    }

    #[test]
    fn nothing_recognised_gives_the_checklist() {
        let view = explain_for_page("hello there", None, false);
        assert!(view.matches.is_empty());
        assert!(view.checklist.len() >= 3, "{view:?}");
        let markup = view.view();
        assert_eq!(markup.html.matches("<li>").count(), view.checklist.len());
        assert!(!markup.live_check);
    }

    #[test]
    fn the_markup_escapes_what_was_pasted_and_offers_the_check() {
        let view =
            explained_for("alice@example.com", "The certificate is not trusted", true).view();
        assert!(view.live_check);
        assert!(
            view.html.contains("class=\"trouble-match\""),
            "{}",
            view.html
        );
        assert!(view.html.contains("class=\"trouble-check\""));
        let explained = Explained {
            matches: vec![ExplainedMatch {
                code: "<b>".into(),
                meaning: "x & y".into(),
                causes: Vec::new(),
                live_check: None,
            }],
            checklist: Vec::new(),
        };
        assert!(explained
            .view()
            .html
            .contains("<code>&lt;b&gt;</code> x &amp; y"));
    }
}
