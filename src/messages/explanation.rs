//! What the "Something went wrong?" panel shows: the troubleshooter's explanation of a pasted
//! message, worked out in the engine worker (`portolan_core::troubleshoot`) and sent to the
//! page as words ready to show.

use serde::{Deserialize, Serialize};

/// One possible cause and its fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainedCause {
    /// How likely it is, in words ("likely", "possible", "less likely").
    pub likelihood: String,
    pub cause: String,
    pub fix: String,
    /// The fix in the user's own settings' terms, when the result on screen says something.
    #[serde(default)]
    pub yours: Option<String>,
}

/// One recognised code or message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainedMatch {
    /// The code as people know it (`535 5.7.8`), or a short name for a phrase.
    pub code: String,
    pub meaning: String,
    /// Most likely first.
    pub causes: Vec<ExplainedCause>,
    /// The live check that would confirm the cause, when a relay can make it.
    #[serde(default)]
    pub live_check: Option<String>,
}

/// The troubleshooter's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplanationView {
    /// Best first; empty when nothing was recognised.
    pub matches: Vec<ExplainedMatch>,
    /// When nothing was recognised: what to check, in order.
    pub checklist: Vec<String>,
}
