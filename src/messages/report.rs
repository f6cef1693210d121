//! What the result screen shows, worked out in the engine worker (`engine_worker::report`)
//! from the discovery, the live checks and the chosen client, and sent to the page as plain
//! data: words ready to show, and only the few small enums the page acts on (a server's
//! protocol and security, to check it; a grade, to colour its badge). The page never decodes
//! the core's `Ranked`, `Candidate` or `Lookup`: their decoders alone would weigh more than
//! the first screen can spare.

use portolan_core::engine::Grade;
use serde::{Deserialize, Serialize};

use crate::messages::probe::Target;

/// One server setting, as the result screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerView {
    /// Where it is and how it is secured: also what a live check of it is sent.
    pub target: Target,
    pub grade: Grade,
    /// Whether it is a guess (so a live check is offered to confirm it).
    pub guess: bool,
    /// Whether the user must confirm the host with the provider first (RFC 7817 §3).
    pub needs_confirmation: bool,
    /// The ways to log in, in words.
    pub auth: String,
}

/// The CSS class of a grade badge (the page's tables and the worker's markup share it).
pub fn grade_class(grade: Grade) -> &'static str {
    match grade {
        Grade::Best | Grade::Good => "badge grade-good",
        Grade::Fallback => "badge grade-fallback",
        Grade::Unusable | Grade::Refused => "badge grade-bad",
    }
}

/// One role's part of the result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    /// The recommended setting, if any is usable.
    pub recommended: Option<ServerView>,
    /// The login name for the recommended setting, the address filled in.
    pub login: String,
    /// Usable alternatives, then the rejected settings.
    pub others: Vec<ServerView>,
}

/// A guess a live check probed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbedGuess {
    pub host: String,
    pub port: u16,
    /// It answered with a verified TLS set-up, so it stays.
    pub confirmed: bool,
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
    /// What the user must act on before starting, in a fixed order ("Before you start").
    pub warnings: Vec<String>,
    pub incoming: RoleReport,
    pub outgoing: RoleReport,
    /// What the account also offers besides IMAP, POP3 and SMTP, one sentence each (the
    /// service, what it is for, where, and how it was found). Plain strings, as the warnings
    /// are, so the page decodes nothing new for them.
    #[serde(default)]
    pub services: Vec<String>,
    /// Guesses a live check probed, confirmed or not.
    #[serde(default)]
    pub probed: Vec<ProbedGuess>,
    /// Step-by-step instructions for the client, when it has them (the plain text, to copy).
    pub instructions: Option<String>,
    /// The same steps one by one, each value to type between `TOKEN_START` and `TOKEN_END`
    /// (see `portolan_core::clients::marked_steps`), for the ordered list.
    #[serde(default)]
    pub steps: Vec<String>,
    /// The client's own snippet first, then the standard files.
    pub downloads: Vec<Download>,
    /// The parts of the result that are only read, as markup the worker made (escaped there;
    /// see `engine_worker::markup`), so the page decodes and renders none of their details:
    /// "Why these settings" (what is good to know, then each role's reasons, source and
    /// trust), the alternatives' tables, and "What was looked up" (empty: nothing was).
    #[serde(default)]
    pub why_html: String,
    #[serde(default)]
    pub alternatives_html: String,
    #[serde(default)]
    pub lookups_html: String,
    /// The link that opens this result on a phone, and its QR code (an SVG element), when
    /// the worker knows the page's address.
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub qr_svg: Option<String>,
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
