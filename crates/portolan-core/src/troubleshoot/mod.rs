//! The troubleshooter: from what a mail app said to the likely cause and the fix.
//!
//! API: [`explain`]`(text, situation)` scans pasted text ([`scan`]) for SMTP reply codes,
//! enhanced status codes, IMAP and POP3 response codes, Outlook's error numbers and known
//! phrases, ranks the catalogue's entries ([`catalogue`]) by what matched, and, given the
//! user's [`Situation`] (their settings, provider and whether a relay can check live), adds
//! sentences in their own settings' terms. Nothing matched gives an honest "not recognised"
//! with the general checklist. Pure and deterministic, like the rest of the core.

pub mod catalogue;
mod scan;
mod situation;

use serde::Serialize;

pub use catalogue::{entries, Entry, Pattern};
pub use scan::{scan, Scanned, MAX_SCANNED_BYTES};
pub use situation::Situation;

/// How likely a cause is, among an entry's causes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Likelihood {
    High,
    Medium,
    Low,
}

impl Likelihood {
    /// The likelihood in words, as the CLI and the browser show it.
    pub fn words(self) -> &'static str {
        match self {
            Likelihood::High => "likely",
            Likelihood::Medium => "possible",
            Likelihood::Low => "less likely",
        }
    }
}

/// What a cause is about, so the user's situation can be tied to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    /// The user name or password is wrong.
    Credentials,
    /// The provider wants an app password, not the account password.
    AppPassword,
    /// The provider wants OAuth2 (modern sign-in), not a password.
    OAuth2,
    /// Access for mail apps must be switched on in the web settings first.
    EnableAccess,
    /// Sending needs the app to sign in first.
    SignInToSend,
    /// The port or the encryption setting does not fit the server.
    PortOrSecurity,
    /// The server's certificate is not trusted, has expired or names another host.
    Certificate,
    /// The network, a firewall or the server is not reachable.
    Network,
    /// Too many connections or messages.
    Limits,
    /// The server or the mailbox is busy or unavailable for now.
    Temporary,
    /// Something about the message or its recipients, not the set-up.
    Message,
    /// The server's or provider's policy refuses it.
    Policy,
}

/// One possible cause and its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub cause: &'static str,
    pub fix: &'static str,
    pub likelihood: Likelihood,
    pub topic: Topic,
}

/// One matched entry, for the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The entry's stable id, like `smtp-5.7.8`.
    pub id: &'static str,
    /// The code as people know it, like `535 5.7.8` (or a short name for a phrase).
    pub code: &'static str,
    pub meaning: &'static str,
    /// Most likely first.
    pub causes: Vec<TiedCause>,
    /// What in the text matched, as found.
    pub matched: Vec<String>,
    /// A live check that would confirm the cause, when a relay is available.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_check: Option<String>,
    #[serde(skip)]
    pub score: u32,
}

/// A cause with what it means in the user's own settings, when that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TiedCause {
    pub cause: &'static str,
    pub fix: &'static str,
    pub likelihood: Likelihood,
    pub topic: Topic,
    /// The fix in the user's own settings' terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_your_settings: Option<String>,
}

/// What the troubleshooter says about a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Best first; empty when nothing was recognised.
    pub matches: Vec<Match>,
    pub recognised: bool,
    /// When nothing was recognised: what to check, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<&'static str>,
}

/// The most matches returned.
pub const MAX_MATCHES: usize = 5;

/// The checklist for a message nothing in the catalogue explains.
pub const GENERAL_CHECKLIST: &[&str] = &[
    "Check the user name: most providers want the whole email address.",
    "Check the password by signing in to the provider's web mail; if your provider needs an app password (Gmail, Yahoo, iCloud, AOL), make one and use it instead.",
    "Check the servers and ports: IMAP 993 and sending 465 with SSL/TLS, or 587 with STARTTLS; never port 25 for sending from a mail app.",
    "Check that access for mail apps (IMAP/POP) is switched on in the provider's web settings.",
    "Try another network (mobile data instead of Wi-Fi): some networks block mail ports.",
];

/// Explains `text` (a log line, a dialog's words, a code), tied to `situation` when given.
pub fn explain(text: &str, situation: Option<&Situation>) -> Explanation {
    let scanned = scan(text);
    let mut matches: Vec<Match> = entries()
        .iter()
        .filter_map(|entry| score(entry, &scanned))
        .collect();
    // Best score first; the catalogue's order breaks ties, so the output is stable.
    matches.sort_by_key(|found| std::cmp::Reverse(found.score));
    matches.truncate(MAX_MATCHES);
    if let Some(situation) = situation {
        let mut situation = situation.clone();
        situation
            .ports_mentioned
            .extend(scanned.ports.iter().copied());
        for found in &mut matches {
            situation.tie(found);
        }
    }
    let recognised = !matches.is_empty();
    Explanation {
        matches,
        recognised,
        checklist: if recognised {
            Vec::new()
        } else {
            GENERAL_CHECKLIST.to_vec()
        },
    }
}

/// The entry's score for the scanned text: the sum of its matched patterns' weights, `None`
/// when nothing matched or only a weak pattern did that the entry does not stand on alone.
fn score(entry: &'static Entry, scanned: &Scanned) -> Option<Match> {
    let mut total = 0;
    let mut matched = Vec::new();
    let mut strong = false;
    let mut phrase = false;
    for pattern in entry.patterns {
        if let Some((weight, text)) = pattern.matches(scanned) {
            total += weight;
            strong |= weight >= catalogue::STRONG;
            phrase |= matches!(pattern, Pattern::Phrase(_));
            matched.push(text);
        }
    }
    if total == 0 || !(strong || entry.weak_alone) || (entry.needs_phrase && !phrase) {
        return None;
    }
    let mut causes: Vec<TiedCause> = entry
        .causes
        .iter()
        .map(|cause| TiedCause {
            cause: cause.cause,
            fix: cause.fix,
            likelihood: cause.likelihood,
            topic: cause.topic,
            in_your_settings: None,
        })
        .collect();
    causes.sort_by_key(|cause| cause.likelihood);
    Some(Match {
        id: entry.id,
        code: entry.code,
        meaning: entry.meaning,
        causes,
        matched,
        live_check: None,
        score: total,
    })
}

#[cfg(test)]
mod tests;
