//! What the "For providers" screen shows: the provider audit of a domain, worked out in the
//! engine worker (`engine_worker::audit`) and sent to the page ready to show. The checklist
//! and facts come as markup the worker wrote with every text escaped (the page only places
//! it), the files to publish and the JSON as downloads, and the ports a live check can
//! confirm as check targets.

use serde::{Deserialize, Serialize};

use crate::messages::probe::Target;
use crate::messages::report::Download;

/// The audit, for the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    /// The domain audited (Unicode form), or what was typed when it is not a domain.
    pub domain: String,
    /// Why the audit could not run (a bad domain), in the words the form shows.
    #[serde(default)]
    pub error: Option<String>,
    /// `A` to `F`.
    pub grade: String,
    /// One line: score and counts.
    pub summary: String,
    /// The checklist, ports and published records, as escaped markup.
    pub html: String,
    /// The files to publish, then the report as JSON.
    pub downloads: Vec<Download>,
    /// The ports to check live, when a relay can.
    pub targets: Vec<Target>,
    /// The language of its words.
    #[serde(default)]
    pub lang: portolan_core::lang::Lang,
}
