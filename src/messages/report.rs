//! What the result screen shows, worked out in the engine worker (`engine_worker::report`)
//! from the discovery, the live checks and the chosen client, and sent to the page as plain
//! data.

use portolan_core::engine::{Grade, Ranked};
use portolan_core::model::{Lookup, Probed};
use serde::{Deserialize, Serialize};

/// One role's part of the result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    /// The recommended setting, if any is usable.
    pub recommended: Option<Ranked>,
    /// The login name for the recommended setting, the address filled in.
    pub login: String,
    /// The engine's one-line summary for this role.
    pub summary: String,
    /// Usable alternatives, then the rejected settings.
    pub others: Vec<Ranked>,
}

/// One file offered for download.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Download {
    /// The export's stable name (`mobileconfig`, `autoconfig`, `neomutt`, ...).
    pub name: String,
    pub file_name: String,
    pub content_type: String,
    pub content: String,
}

/// Everything the result screen shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The warnings that apply, in a fixed order.
    pub warnings: Vec<String>,
    pub incoming: RoleReport,
    pub outgoing: RoleReport,
    /// What was looked up, for the "What was looked up" table.
    pub lookups: Vec<Lookup>,
    /// Guesses a live check probed, confirmed or not.
    #[serde(default)]
    pub probed: Vec<Probed>,
    /// Step-by-step instructions for the client, when it has them.
    pub instructions: Option<String>,
    /// The client's own snippet first, then the standard files.
    pub downloads: Vec<Download>,
}

impl Report {
    /// True when a setting was refused outright (plaintext), so the list of others is titled
    /// so. Only rejected settings can be refused; the usable alternatives never are.
    pub fn has_refused(&self) -> bool {
        [&self.incoming, &self.outgoing]
            .iter()
            .any(|role| role.others.iter().any(|r| r.grade == Grade::Refused))
    }
}
