//! What the result screen shows, worked out in the engine worker (`engine_worker::report`)
//! from the discovery, the live checks and the chosen client, and sent to the page as plain
//! data: words ready to show, and only the few small enums the page acts on (a server's
//! protocol and security, to check it; a grade, to colour its badge). The page never decodes
//! the core's `Ranked`, `Candidate` or `Lookup`: their decoders alone would weigh more than
//! the first screen can spare.

use portolan_core::engine::Grade;
use serde::{Deserialize, Serialize};

use crate::messages::probe::Target;

/// One line of "Why these settings".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhyLine {
    pub text: String,
    /// The rule it cites (`RFC 8314 §3.3`, ...), when it cites one.
    #[serde(default)]
    pub citation: Option<String>,
}

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
    /// Where it was found, in words.
    pub source: String,
    /// How far it is trusted, in words, one entry per mark.
    pub trust: Vec<String>,
    /// The ways to log in, in words.
    pub auth: String,
    /// Why it is graded so: the engine's reasons with their citations, then the source's.
    pub why: Vec<WhyLine>,
}

/// One role's part of the result.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoleReport {
    /// The recommended setting, if any is usable.
    pub recommended: Option<ServerView>,
    /// The login name for the recommended setting, the address filled in.
    pub login: String,
    /// The engine's one-line summary for this role.
    pub summary: String,
    /// Usable alternatives, then the rejected settings.
    pub others: Vec<ServerView>,
}

/// One row of "What was looked up".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookupRow {
    pub name: String,
    pub record_type: String,
    /// The answer's code, whether DNSSEC validated it, and any error, in words.
    pub result: String,
    pub milliseconds: u64,
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
    /// What is only good to know (lookups off, a service the domain does not offer, STARTTLS,
    /// sources that disagree), shown under "Why these settings".
    #[serde(default)]
    pub notes: Vec<String>,
    pub incoming: RoleReport,
    pub outgoing: RoleReport,
    /// What the account also offers besides IMAP, POP3 and SMTP, one sentence each (the
    /// service, what it is for, where, and how it was found). Plain strings, as the warnings
    /// are, so the page decodes nothing new for them.
    #[serde(default)]
    pub services: Vec<String>,
    /// What was looked up, for the "What was looked up" table.
    pub lookups: Vec<LookupRow>,
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
