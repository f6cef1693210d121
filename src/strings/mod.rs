//! Every user-facing text of the page, in English (`en.rs`) and German (`de.rs`), in the
//! language chosen now.
//!
//! Components never spell out words: they call these. The two files have the same items, so
//! a text missing in one of them does not compile. The language is per thread: the page sets
//! it at start-up and when the reader switches, a worker for each request (the request names
//! it).

mod de;
mod en;

use std::cell::{Cell, RefCell};

use portolan_core::engine::Grade;
use portolan_core::lang::Lang;
use portolan_core::model::{AuthMethod, Security, Source, Trust};

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// The language texts are given in now.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// Gives every later text in `lang`.
pub fn set_lang(lang: Lang) {
    CURRENT.with(|current| current.set(lang));
}

/// Every fixed text of the page in English and German, for the workers' catalogue (a worker
/// keeps some in its data, such as a lookup's note, and translates them when it shows them).
pub const PAIRS: [&[(&str, &str)]; 2] = [START_PAIRS, LATER_PAIRS];

/// Runs `make` with texts in `lang`, then goes back to the language before.
pub fn in_lang<T>(lang: Lang, make: impl FnOnce() -> T) -> T {
    let before = self::lang();
    set_lang(lang);
    let made = make();
    set_lang(before);
    made
}

/// A client's name, a platform's label or a client's systems in the current language.
pub fn named(text: &'static str) -> &'static str {
    portolan_core::clients::in_lang(text, lang())
}

/// The texts of the screens after the first, and of what the first screen shows only after an
/// answer of the engine worker (the progress line, the domain of a valid address, a preset's
/// message, the audit link and screen, Settings and the troubleshooter, which are shown once
/// the engine worker that serves them is there): the page does not carry them. The worker
/// sends them in the reader's language ([`later_texts`]); until they are in, each is empty.
/// One function per text, as for the others.
macro_rules! later_texts {
    ($($name:ident),* $(,)?) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Later {
            $($name,)*
        }

        $(
            #[allow(non_snake_case)]
            pub fn $name() -> &'static str {
                later(Later::$name as usize)
            }
        )*

        /// The later texts in `lang`, in order, as the engine worker sends them.
        pub fn later_texts(lang: Lang) -> &'static [&'static str] {
            static ENGLISH: &[&str] = &[$(en::$name),*];
            static GERMAN: &[&str] = &[$(de::$name),*];
            match lang {
                Lang::En => ENGLISH,
                Lang::De => GERMAN,
            }
        }

        /// Makes the later texts available in this thread from the copy compiled in: for the
        /// workers, which carry every text (the page's copy comes from the engine worker).
        pub fn keep_compiled_later_texts() {
            LATER.with(|held| {
                *held.borrow_mut() = Lang::ALL
                    .into_iter()
                    .map(|lang| (lang, later_texts(lang)))
                    .collect();
            });
        }

        /// Every later text: English and German.
        const LATER_PAIRS: &[(&str, &str)] = &[$((en::$name, de::$name)),*];
    };
}

thread_local! {
    /// The later texts as the engine worker sent them, per language (each kept for the page's
    /// life once it came: at most one copy per language).
    static LATER: RefCell<Vec<(Lang, &'static [&'static str])>> = const { RefCell::new(Vec::new()) };
}

/// Later text `index` in the current language; empty until the engine worker sent them.
fn later(index: usize) -> &'static str {
    let lang = lang();
    LATER.with(|held| {
        held.borrow()
            .iter()
            .find(|(held_lang, _)| *held_lang == lang)
            .and_then(|(_, texts)| texts.get(index).copied())
            .unwrap_or("")
    })
}

/// True when the later texts of `lang` are in.
pub fn has_later_texts(lang: Lang) -> bool {
    LATER.with(|held| {
        held.borrow()
            .iter()
            .any(|(held_lang, _)| *held_lang == lang)
    })
}

/// Keeps the later texts the engine worker sent for `lang` (the first set per language).
pub fn keep_later_texts(lang: Lang, texts: Vec<String>) {
    LATER.with(|held| {
        let mut held = held.borrow_mut();
        if held.iter().all(|(held_lang, _)| *held_lang != lang) {
            let texts: Vec<&'static str> = texts
                .into_iter()
                .map(|text| &*Box::leak(text.into_boxed_str()))
                .collect();
            held.push((lang, Box::leak(texts.into_boxed_slice())));
        }
    });
}

/// One function per text compiled in, each giving the current language's: the first screen's
/// (both languages are in the page, so the first render is in the reader's at once) and the
/// workers' own, which the page never calls and so does not link.
macro_rules! texts {
    ($($name:ident),* $(,)?) => {
        $(
            #[allow(non_snake_case)]
            pub fn $name() -> &'static str {
                match lang() {
                    Lang::En => en::$name,
                    Lang::De => de::$name,
                }
            }
        )*

        /// The texts compiled in: English and German.
        const START_PAIRS: &[(&str, &str)] = &[$((en::$name, de::$name)),*];
    };
}

texts! {
    APP_TITLE,
    APP_TAGLINE,
    ADDRESS_LABEL,
    ADDRESS_PLACEHOLDER,
    ADDRESS_HINT,
    CONTINUE_BUTTON,
    PRIVACY_LINE,
    FOOTER_SOURCE,
    LANGUAGE_LABEL,
    COL_SOURCE,
    OFFLINE_NOTE,
    RESOLVER_FAILED,
    GUESS_WARNING,
    STARTTLS_WARNING,
    CONFIRM_WARNING,
    OAUTH_WARNING,
    APP_PASSWORD_WARNING,
    LOOKUPS_HEADING,
    COL_NAME,
    COL_TYPE,
    COL_RESULT,
    COL_TIME,
    PUBLISHED_BLOCKED,
    ISPDB_BLOCKED,
    LIVE_TLS,
    LIVE_CERTIFICATE,
    LIVE_NAMES,
    LIVE_ISSUER,
    LOGIN_SUCCEEDED,
    LOGIN_FAILED,
    LOGIN_SKIPPED,
    TROUBLE_UNKNOWN,
    TROUBLE_YOURS,
    AUDIT_CHECKLIST,
    AUDIT_PORTS,
    AUDIT_RECORDS,
    AUDIT_CLOSED,
    AUDIT_FAIL,
    AUDIT_WARN,
    AUDIT_INFO,
    AUDIT_PASS,
    AUDIT_GONE,
}

later_texts! {
    CLIENT_HEADING,
    CLIENT_SEARCH_LABEL,
    CLIENT_SEARCH_PLACEHOLDER,
    CLIENT_OTHER_GROUP,
    CLIENT_OTHER,
    CLIENT_SUGGESTED,
    CLIENT_CONTINUE,
    CLIENT_NONE_MATCH,
    RESULT_CLIENT_LABEL,
    RESULT_INCOMING,
    RESULT_OUTGOING,
    COL_SERVER,
    COL_PORT,
    COL_SECURITY,
    COL_USERNAME,
    COL_AUTH,
    COL_PROTOCOL,
    COL_GRADE,
    COPY,
    COPIED,
    WHY_HEADING,
    ALTERNATIVES_HEADING,
    REFUSED_HEADING,
    WARNINGS_HEADING,
    INSTRUCTIONS_HEADING,
    DOWNLOADS_HEADING,
    NO_SERVER,
    SERVICES_HEADING,
    LIVE_HEADING,
    LIVE_INTRO,
    LIVE_CHECK_BUTTON,
    LIVE_CHECK_AGAIN,
    LIVE_CANCEL,
    LIVE_CANCELLED,
    LIVE_NO_RELAY,
    LIVE_RELAY_COMMAND,
    LIVE_RELAY_UNKNOWN,
    LIVE_VIA_OWN,
    LIVE_VIA,
    LIVE_GUESSES_PROBED,
    LIVE_GUESS_ANSWERED,
    LIVE_GUESS_SILENT,
    LIVE_FIX,
    LIVE_NOT_REACHABLE,
    LIVE_WORKER_FAILED,
    LOGIN_HEADING,
    LOGIN_HINT,
    LOGIN_PASSWORD_LABEL,
    LOGIN_BUTTON,
    STEPS_TOKENS_HINT,
    INSTRUCTIONS_AS_TEXT,
    QR_HEADING,
    QR_LABEL,
    RESULT_HEADING_IN,
    RESULT_HEADING_FOR,
    LOOKUP_TIME,
    SECURITY_TLS,
    SECURITY_STARTTLS,
    SECURITY_PLAIN,
    GRADE_BEST,
    GRADE_GOOD,
    GRADE_FALLBACK,
    GRADE_UNUSABLE,
    GRADE_REFUSED,
    DOWNLOAD_LABEL,
    EXPORT_AUTOCONFIG,
    EXPORT_AUTODISCOVER,
    EXPORT_MOBILECONFIG,
    EXPORT_DNS_ZONE,
    EXPORT_NEOMUTT,
    EXPORT_AERC,
    EXPORT_MSMTP,
    EXPORT_MBSYNC,
    EXPORT_FETCHMAIL,
    EXPORT_OFFLINEIMAP,
    EXPORT_INSTRUCTIONS,
    EXPORT_FILE,
    STEP_CONNECTING,
    STEP_GREETING,
    STEP_CAPABILITIES,
    STEP_STARTTLS,
    STEP_TLS_HANDSHAKE,
    STEP_CAPABILITIES_AFTER_TLS,
    STEP_LOGIN,
    STEP_SCANNING,
    LOGIN_CONFIRM,
    AUDIT_BUTTON,
    AUDIT_CHECK_PORTS,
    AUDIT_DOMAIN_LABEL,
    AUDIT_FILES,
    AUDIT_HEADING,
    AUDIT_INTRO,
    AUDIT_LINK,
    AUDIT_PRINT,
    AUDIT_RUNNING,
    AUDIT_SELECTORS_LABEL,
    BACK_TO_ADDRESS,
    BACK_TO_CLIENT,
    PROGRESS_LOOKING_UP,
    PROGRESS_SLOW,
    STEPS_LABEL,
    LOOKUPS_OFF_BY_SITE,
    DOMAIN_FOUND,
    DOMAIN_ASCII_FORM,
    PRESET_ERROR,
    RELAY_BAD_URL,
    RELAY_CLEAR,
    RELAY_LABEL,
    RELAY_LEGEND,
    RELAY_NOTE,
    RELAY_PLACEHOLDER,
    RELAY_SAVE,
    RESOLVER_CLOUDFLARE,
    RESOLVER_COMPARED,
    RESOLVER_CUSTOM,
    RESOLVER_CUSTOM_LABEL,
    RESOLVER_GOOGLE,
    RESOLVER_LEGEND,
    RESOLVER_NOTE,
    RESOLVER_OFF,
    RESOLVER_QUAD9,
    RESOLVER_SAVE,
    RESOLVER_URL_PLACEHOLDER,
    RESOLVER_URL_SCHEME,
    RESOLVER_URL_SPACES,
    SETTINGS_HEADING,
    TROUBLE_BUTTON,
    TROUBLE_HEADING,
    TROUBLE_LABEL,
    TROUBLE_ON_START,
    TROUBLE_PLACEHOLDER,
    TROUBLE_WAITING,
}

pub fn engine_failed(detail: &str) -> String {
    match lang() {
        Lang::En => en::engine_failed(detail),
        Lang::De => de::engine_failed(detail),
    }
}

pub fn source(source: Source) -> &'static str {
    match lang() {
        Lang::En => en::source(source),
        Lang::De => de::source(source),
    }
}

pub fn trust(trust: Trust) -> &'static str {
    match lang() {
        Lang::En => en::trust(trust),
        Lang::De => de::trust(trust),
    }
}

pub fn auth(method: AuthMethod) -> &'static str {
    match lang() {
        Lang::En => en::auth(method),
        Lang::De => de::auth(method),
    }
}

pub fn expires_in(days: i64) -> String {
    match lang() {
        Lang::En => en::expires_in(days),
        Lang::De => de::expires_in(days),
    }
}

pub fn check_grade(grade: portolan_core::model::CheckGrade) -> &'static str {
    match lang() {
        Lang::En => en::check_grade(grade),
        Lang::De => de::check_grade(grade),
    }
}

pub fn audit_summary(score: u8, fail: usize, warn: usize, pass: usize) -> String {
    match lang() {
        Lang::En => en::audit_summary(score, fail, warn, pass),
        Lang::De => de::audit_summary(score, fail, warn, pass),
    }
}

pub fn finding_severity(id: &str) -> &'static str {
    match lang() {
        Lang::En => en::finding_severity(id),
        Lang::De => de::finding_severity(id),
    }
}

/// `template` with each `{name}` replaced by its value, in one pass (a value that holds a
/// hole's name, such as an address typed with braces, stays as it is).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let known = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = values.iter().find(|(hole, _)| *hole == name)?.1;
            Some((value, close))
        });
        match known {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The result screen's heading.
pub fn result_heading(who: &str, client: Option<&str>) -> String {
    match client {
        Some(client) => fill(RESULT_HEADING_IN(), &[("who", who), ("client", client)]),
        None => fill(RESULT_HEADING_FOR(), &[("who", who)]),
    }
}

/// How long the lookups took, for the status line.
pub fn lookup_time(milliseconds: u64) -> String {
    fill(
        LOOKUP_TIME(),
        &[("milliseconds", &milliseconds.to_string())],
    )
}

/// The label of a download link.
pub fn download_label(what: &str) -> String {
    fill(DOWNLOAD_LABEL(), &[("what", what)])
}

/// The confirmation asked before a password goes to a server outside the user's domain.
pub fn login_confirm(host: &str) -> String {
    fill(LOGIN_CONFIRM(), &[("host", host)])
}

pub fn security(security: Security) -> &'static str {
    match security {
        Security::Tls => SECURITY_TLS(),
        Security::Starttls => SECURITY_STARTTLS(),
        Security::Plain => SECURITY_PLAIN(),
    }
}

pub fn grade(grade: Grade) -> &'static str {
    match grade {
        Grade::Best => GRADE_BEST(),
        Grade::Good => GRADE_GOOD(),
        Grade::Fallback => GRADE_FALLBACK(),
        Grade::Unusable => GRADE_UNUSABLE(),
        Grade::Refused => GRADE_REFUSED(),
    }
}

/// A short description of each export, by its `--format` name.
pub fn export_title(name: &str) -> &'static str {
    match name {
        "autoconfig" => EXPORT_AUTOCONFIG(),
        "autodiscover" => EXPORT_AUTODISCOVER(),
        "mobileconfig" => EXPORT_MOBILECONFIG(),
        "dns-zone" => EXPORT_DNS_ZONE(),
        "neomutt" => EXPORT_NEOMUTT(),
        "aerc" => EXPORT_AERC(),
        "msmtp" => EXPORT_MSMTP(),
        "mbsync" => EXPORT_MBSYNC(),
        "fetchmail" => EXPORT_FETCHMAIL(),
        "offlineimap" => EXPORT_OFFLINEIMAP(),
        "instructions" => EXPORT_INSTRUCTIONS(),
        _ => EXPORT_FILE(),
    }
}

/// What a running check is doing.
pub fn live_step(step: crate::messages::probe::Step) -> &'static str {
    use crate::messages::probe::Step;
    match step {
        Step::Connecting => STEP_CONNECTING(),
        Step::Greeting => STEP_GREETING(),
        Step::Capabilities => STEP_CAPABILITIES(),
        Step::Starttls => STEP_STARTTLS(),
        Step::TlsHandshake => STEP_TLS_HANDSHAKE(),
        Step::CapabilitiesAfterTls => STEP_CAPABILITIES_AFTER_TLS(),
        Step::Login => STEP_LOGIN(),
        Step::Scanning => STEP_SCANNING(),
    }
}

/// The confirmation shown for a valid input, naming the domain in the form people read.
pub fn domain_found(unicode: &str) -> String {
    fill(DOMAIN_FOUND(), &[("unicode", unicode)])
}

/// Shown beside an internationalised domain: the form DNS uses.
pub fn domain_ascii_form(ascii: &str) -> String {
    fill(DOMAIN_ASCII_FORM(), &[("ascii", ascii)])
}

/// Shown when the site's provider preset could not be used.
pub fn preset_error(error: &str) -> String {
    fill(PRESET_ERROR(), &[("error", error)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_filled_once_whatever_the_values_hold() {
        assert_eq!(
            fill(
                "Settings for {who} in {client}",
                &[("who", "{client}@x.example"), ("client", "Mutt")]
            ),
            "Settings for {client}@x.example in Mutt"
        );
        assert_eq!(fill("{unknown} and {", &[("who", "x")]), "{unknown} and {");
    }
}
