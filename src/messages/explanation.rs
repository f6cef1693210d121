//! What the "Something went wrong?" panel shows: the troubleshooter's explanation of a pasted
//! message, worked out in the engine worker (`portolan_core::troubleshoot`) and sent to the
//! page as markup ready to place (meaning, causes most likely first, fixes, the fix in the
//! user's own settings), so the page decodes none of its parts.

use serde::{Deserialize, Serialize};

/// The troubleshooter's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplanationView {
    /// The answer as markup the worker made and escaped (`engine_worker::trouble`).
    pub html: String,
    /// A live check would confirm a cause: the page offers its button.
    #[serde(default)]
    pub live_check: bool,
}
