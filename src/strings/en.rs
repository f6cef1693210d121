//! Every user-facing text of the page, in English; `de.rs` has the same items in German.

use portolan_core::model::{AuthMethod, Source, Trust};

pub const APP_TITLE: &str = "Portolan";
pub const APP_TAGLINE: &str = "Find the right settings for your mail app.";
pub const ADDRESS_LABEL: &str = "Your email address or domain";
pub const ADDRESS_PLACEHOLDER: &str = "name@example.com";
pub const ADDRESS_HINT: &str = "For example alice@example.com, or just example.com.";
pub const CONTINUE_BUTTON: &str = "Find settings";
pub const PRIVACY_LINE: &str = "Your address never leaves this browser. Only domain names are looked up, through the DNS-over-HTTPS resolver you choose.";
pub const FOOTER_SOURCE: &str = "Portolan runs entirely in your browser.";
/// The label of the language menu.
pub const LANGUAGE_LABEL: &str = "Language";

pub const CLIENT_HEADING: &str = "Which mail app do you use?";
pub const CLIENT_SEARCH_LABEL: &str = "Search mail apps";
pub const CLIENT_SEARCH_PLACEHOLDER: &str = "Thunderbird, iPhone, neomutt…";
pub const CLIENT_OTHER_GROUP: &str = "Other";
pub const CLIENT_OTHER: &str = "Other / not listed (generic settings)";
pub const CLIENT_SUGGESTED: &str = "suggested for this device";
pub const CLIENT_CONTINUE: &str = "Show my settings";
pub const CLIENT_NONE_MATCH: &str =
    "No mail app matches that search. Choose “Other / not listed” for generic settings.";
pub const STEPS_LABEL: &str = "Steps";
pub const BACK_TO_ADDRESS: &str = "Change address";
pub const BACK_TO_CLIENT: &str = "Change mail app";
pub const RESULT_CLIENT_LABEL: &str = "Settings for";

pub const PROGRESS_LOOKING_UP: &str = "Looking up the mail servers…";
pub const PROGRESS_SLOW: &str = "The DNS resolver is slow to answer. Still waiting a moment; if it does not answer, you will get the settings from Portolan's provider list and guesses.";
pub const RESULT_INCOMING: &str = "Incoming mail";
pub const RESULT_OUTGOING: &str = "Outgoing mail (SMTP)";
pub const COL_SERVER: &str = "Server";
pub const COL_PORT: &str = "Port";
pub const COL_SECURITY: &str = "Security";
pub const COL_USERNAME: &str = "Username";
pub const COL_AUTH: &str = "Authentication";
pub const COL_PROTOCOL: &str = "Protocol";
pub const COL_SOURCE: &str = "Found in";
pub const COL_GRADE: &str = "Grade";
pub const COPY: &str = "Copy";
pub const COPIED: &str = "Copied";
pub const WHY_HEADING: &str = "Why these settings";
pub const ALTERNATIVES_HEADING: &str = "Alternatives";
pub const REFUSED_HEADING: &str = "Not recommended";
pub const WARNINGS_HEADING: &str = "Before you start";
pub const INSTRUCTIONS_HEADING: &str = "Step by step";
pub const DOWNLOADS_HEADING: &str = "Files and snippets";
pub const NO_SERVER: &str = "No usable server was found for this. Check the address, or ask your provider for its IMAP and SMTP settings.";
pub const OFFLINE_NOTE: &str = "Lookups are off: these settings come from Portolan's built-in provider list and educated guesses only.";
pub const RESOLVER_FAILED: &str = "The DNS resolver could not be reached (or did not answer in time). The settings below come from what still works: the built-in provider list and guesses. Try another resolver in Settings.";
pub const GUESS_WARNING: &str = "Some settings are guesses from common server names and are unverified: they need a live check or your provider's confirmation.";
pub const STARTTLS_WARNING: &str = "This server offers only STARTTLS: the connection starts unencrypted and is then upgraded. It is acceptable, but implicit TLS is safer when your provider offers it.";
pub const CONFIRM_WARNING: &str = "The server's name is outside your domain. Before you trust it, confirm with your provider that it really serves your mail (RFC 7817).";
pub const OAUTH_WARNING: &str = "This provider needs OAuth2 sign-in (a browser window opens when you add the account) or an app password; your normal password may not work.";
pub const APP_PASSWORD_WARNING: &str = "This provider requires an app password: create one in your account's security settings and use it instead of your normal password.";

pub const LOOKUPS_HEADING: &str = "What was looked up";
pub const SERVICES_HEADING: &str = "Your account also offers";
pub const COL_NAME: &str = "Name";
pub const COL_TYPE: &str = "Type";
pub const COL_RESULT: &str = "Result";
pub const COL_TIME: &str = "Time";
pub const PUBLISHED_BLOCKED: &str =
    "the browser could not read it: the server does not allow it (CORS) or cannot be reached";
pub const ISPDB_BLOCKED: &str = "the browser could not read Thunderbird's ISP database \
     service: it does not allow cross-origin reads from other sites (CORS), or it cannot be \
     reached; the command-line tool asks it without this limit";
pub const SETTINGS_HEADING: &str = "Settings";
pub const RESOLVER_LEGEND: &str = "DNS-over-HTTPS resolver";
pub const RESOLVER_CLOUDFLARE: &str = "Cloudflare";
pub const RESOLVER_GOOGLE: &str = "Google";
pub const RESOLVER_QUAD9: &str = "Quad9";
pub const RESOLVER_COMPARED: &str = "Cloudflare, compared with Quad9 (a second opinion)";
pub const RESOLVER_CUSTOM: &str = "Custom URL";
pub const RESOLVER_OFF: &str = "Off (offline: built-in list and guesses only)";
pub const RESOLVER_CUSTOM_LABEL: &str = "Resolver URL";
pub const RESOLVER_URL_PLACEHOLDER: &str = "https://dns.example/dns-query";
pub const RESOLVER_SAVE: &str = "Use this resolver";
pub const RESOLVER_URL_SCHEME: &str =
    "The resolver URL must start with https:// (plain http only for a resolver on this computer).";
pub const RESOLVER_URL_SPACES: &str = "The resolver URL cannot contain spaces.";
pub const RESOLVER_NOTE: &str = "Your choice is remembered in this browser only.";

pub const DOMAIN_FOUND: &str = "Domain: {unicode}";

pub const DOMAIN_ASCII_FORM: &str = "(in DNS: {ascii})";

/// When the engine worker could not start or failed: what happened and what to do.
pub fn engine_failed(detail: &str) -> String {
    format!(
        "Portolan could not start its lookup engine ({detail}). Reload the page to try again; \
         what you typed is kept in the field."
    )
}

pub const RESULT_HEADING_IN: &str = "Settings for {who} in {client}";
pub const RESULT_HEADING_FOR: &str = "Settings for {who}";

pub const LOOKUP_TIME: &str = "Found in {milliseconds} ms.";

pub const SECURITY_TLS: &str = "SSL/TLS (implicit TLS)";
pub const SECURITY_STARTTLS: &str = "STARTTLS";
pub const SECURITY_PLAIN: &str = "None (refused)";

pub const GRADE_BEST: &str = "Best";
pub const GRADE_GOOD: &str = "Recommended";
pub const GRADE_FALLBACK: &str = "Fallback";
pub const GRADE_UNUSABLE: &str = "Unusable here";
pub const GRADE_REFUSED: &str = "Refused";

pub fn source(source: Source) -> &'static str {
    match source {
        Source::Preset => "your provider's preset",
        Source::Srv => "the domain's DNS SRV records",
        Source::Pacc => "the domain's PACC document",
        Source::Autoconfig => "the domain's autoconfig file",
        Source::Autodiscover => "the domain's Autodiscover answer",
        Source::WellKnown => "a well-known address on the domain",
        Source::KnowledgeBase => "Portolan's provider list",
        Source::Mx => "the domain's MX records and Portolan's provider list",
        Source::Guess => "a guess (unverified)",
    }
}

pub fn trust(trust: Trust) -> &'static str {
    match trust {
        Trust::DnssecValidated => "DNSSEC-validated",
        Trust::SameDomain => "inside your domain",
        Trust::KnownProvider => "known provider",
        Trust::ThirdPartyTargetNeedsConfirmation => "outside your domain: confirm first",
        Trust::Unauthenticated => "unauthenticated source",
        Trust::Unverified => "unverified",
        Trust::ProbeVerified => "confirmed by a live check",
    }
}

pub fn auth(method: AuthMethod) -> &'static str {
    match method {
        AuthMethod::PasswordCleartext => "Normal password",
        AuthMethod::PasswordEncrypted => "Encrypted password",
        AuthMethod::Oauth2 => "OAuth2",
        AuthMethod::AppPassword => "App password",
        AuthMethod::ClientCertificate => "TLS certificate",
        AuthMethod::Gssapi => "Kerberos / GSSAPI",
        AuthMethod::Ntlm => "NTLM",
    }
}

pub const DOWNLOAD_LABEL: &str = "Download {what}";

pub const EXPORT_AUTOCONFIG: &str = "Thunderbird autoconfig (config-v1.1.xml)";
pub const EXPORT_AUTODISCOVER: &str = "Outlook Autodiscover (autodiscover.xml)";
pub const EXPORT_MOBILECONFIG: &str = "Apple profile (.mobileconfig)";
pub const EXPORT_DNS_ZONE: &str = "DNS records for the domain";
pub const EXPORT_NEOMUTT: &str = "neomutt configuration";
pub const EXPORT_AERC: &str = "aerc accounts.conf";
pub const EXPORT_MSMTP: &str = "msmtp configuration";
pub const EXPORT_MBSYNC: &str = "mbsync configuration";
pub const EXPORT_FETCHMAIL: &str = "fetchmail configuration";
pub const EXPORT_OFFLINEIMAP: &str = "offlineimap configuration";
pub const EXPORT_INSTRUCTIONS: &str = "Instructions as text";
pub const EXPORT_FILE: &str = "File";

// Live checks.
pub const LIVE_HEADING: &str = "Live check";
pub const LIVE_INTRO: &str = "Portolan can connect to these servers from your browser, through a relay that only passes encrypted bytes along, and check their TLS, certificate and login methods.";
pub const LIVE_CHECK_BUTTON: &str = "Check these servers";
pub const LIVE_CHECK_AGAIN: &str = "Check again";
pub const LIVE_CANCEL: &str = "Cancel";
pub const LIVE_CANCELLED: &str = "cancelled";
pub const LIVE_NO_RELAY: &str = "Live checks need a relay: a small server that passes your browser's encrypted connection on to the mail server. Your provider may run one (ask for its address and enter it in Settings), or run your own with one command:";
pub const LIVE_RELAY_COMMAND: &str = "portolan-relay --static dist/";
pub const LIVE_RELAY_UNKNOWN: &str = "Looking for a relay…";
pub const LIVE_VIA_OWN: &str = "Checks go through this site's relay.";
pub const LIVE_VIA: &str = "Checks go through the relay at";
pub const LIVE_GUESSES_PROBED: &str =
    "Nothing was published for this domain, so Portolan tried the usual server names live:";
pub const LIVE_GUESS_ANSWERED: &str = "answered";
pub const LIVE_GUESS_SILENT: &str = "no usable answer";
pub const LIVE_TLS: &str = "TLS";
pub const LIVE_CERTIFICATE: &str = "Certificate";
pub const LIVE_NAMES: &str = "names";
pub const LIVE_ISSUER: &str = "issued by";
pub const LIVE_FIX: &str = "Fix:";
pub const LIVE_NOT_REACHABLE: &str = "Not reachable";
pub const LIVE_WORKER_FAILED: &str = "Live checks could not start";
pub const LOGIN_HEADING: &str = "Test your login (optional)";
pub const LOGIN_HINT: &str = "Your password is used once, inside the encrypted connection and only after the server's certificate checked out. It is not stored, and the field is cleared after the attempt.";
pub const LOGIN_PASSWORD_LABEL: &str = "Password for";
pub const LOGIN_BUTTON: &str = "Test login";
pub const LOGIN_SUCCEEDED: &str = "Login succeeded";
pub const LOGIN_FAILED: &str = "Login failed";
pub const LOGIN_SKIPPED: &str = "Login not attempted";
pub const RELAY_LEGEND: &str = "Relay for live checks";
pub const RELAY_LABEL: &str = "Relay URL";
pub const RELAY_PLACEHOLDER: &str = "https://relay.example.org/";
pub const RELAY_SAVE: &str = "Use this relay";
pub const RELAY_CLEAR: &str = "Forget";
pub const RELAY_NOTE: &str = "Remembered in this browser only. The relay sees which server you check, never what is said inside TLS.";
pub const RELAY_BAD_URL: &str =
    "Give the relay's full address, starting with https:// (or http:// on this computer).";

pub const STEP_CONNECTING: &str = "connecting…";
pub const STEP_GREETING: &str = "waiting for the greeting…";
pub const STEP_CAPABILITIES: &str = "reading capabilities…";
pub const STEP_STARTTLS: &str = "starting TLS (STARTTLS)…";
pub const STEP_TLS_HANDSHAKE: &str = "TLS handshake…";
pub const STEP_CAPABILITIES_AFTER_TLS: &str = "reading capabilities after TLS…";
pub const STEP_LOGIN: &str = "logging in…";
pub const STEP_SCANNING: &str = "scanning…";

/// A certificate's expiry in days, in words.
pub fn expires_in(days: i64) -> String {
    match days {
        days if days < 0 => format!("expired {} days ago", -days),
        0 => "expires today".to_owned(),
        1 => "expires tomorrow".to_owned(),
        days => format!("expires in {days} days"),
    }
}

/// A server's grade, in words, for screen readers and the title.
pub fn check_grade(grade: portolan_core::model::CheckGrade) -> &'static str {
    use portolan_core::model::CheckGrade;
    match grade {
        CheckGrade::A => "A: nothing to fix",
        CheckGrade::B => "B: minor points",
        CheckGrade::C => "C: a weakness to fix",
        CheckGrade::F => "F: unusable or unsafe",
    }
}

pub const LOGIN_CONFIRM: &str =
    "{host} is outside your domain. I confirm that it runs my mail, and my password may go there.";

pub const TROUBLE_HEADING: &str = "Something went wrong?";
pub const TROUBLE_LABEL: &str =
    "Paste what your mail app said: the error message, a code or a log line.";
pub const TROUBLE_PLACEHOLDER: &str = "535 5.7.8 Authentication failed";
pub const TROUBLE_BUTTON: &str = "Explain";
pub const TROUBLE_WAITING: &str = "Looking it up…";
pub const TROUBLE_UNKNOWN: &str =
    "Portolan does not recognise this message. Check these, in this order:";
pub const TROUBLE_YOURS: &str = "In your settings:";
pub const TROUBLE_ON_START: &str =
    "Look up your address first, and the explanation will speak of your own settings.";

pub const AUDIT_LINK: &str = "For providers: audit a domain's mail set-up";
pub const AUDIT_HEADING: &str = "Audit a domain's mail set-up";
pub const AUDIT_INTRO: &str = "For the people who run mail servers: what the domain publishes for mail apps and for other mail servers, what to change, and the files to publish.";
pub const AUDIT_DOMAIN_LABEL: &str = "Domain";
pub const AUDIT_SELECTORS_LABEL: &str = "DKIM selectors (optional, separated by commas)";
pub const AUDIT_BUTTON: &str = "Run the audit";
pub const AUDIT_RUNNING: &str = "Auditing…";
pub const AUDIT_CHECK_PORTS: &str = "Check the ports live";
pub const AUDIT_PRINT: &str = "Print";
pub const AUDIT_CHECKLIST: &str = "Checklist";
pub const AUDIT_PORTS: &str = "Ports";
pub const AUDIT_RECORDS: &str = "Published records";
pub const AUDIT_FILES: &str = "Files to publish";
pub const AUDIT_CLOSED: &str = "closed";
pub const AUDIT_FAIL: &str = "Fail";
pub const AUDIT_WARN: &str = "Warn";
pub const AUDIT_INFO: &str = "Info";
pub const AUDIT_PASS: &str = "Pass";
pub const AUDIT_GONE: &str = "This audit is no longer held by the page: run it again.";

/// The audit's one-line summary.
pub fn audit_summary(score: u8, fail: usize, warn: usize, pass: usize) -> String {
    format!("{score} of 100 points: {fail} failing, {warn} warnings, {pass} passing.")
}

/// Said in Settings when the site's preset turned network lookups off.
pub const LOOKUPS_OFF_BY_SITE: &str =
    "This site turned network lookups off: Portolan uses its own knowledge and the servers the site names.";

pub const PRESET_ERROR: &str =
    "This site's settings for Portolan could not be used, so Portolan runs without them. {error}";

/// Above the ordered steps.
pub const STEPS_TOKENS_HINT: &str = "Type or choose the highlighted values; click one to copy it.";
/// The plain-text form of the steps, folded away.
pub const INSTRUCTIONS_AS_TEXT: &str = "The same steps as plain text";

/// The QR code on the result.
pub const QR_HEADING: &str = "On your phone";
pub const QR_LABEL: &str = "QR code: scan it with your phone's camera to open this result there";

/// A live-check finding's severity (its id: `info`, `low`, `medium`, `high`), in words.
pub fn finding_severity(id: &str) -> &'static str {
    match id {
        "info" => "info",
        "low" => "low",
        "medium" => "medium",
        "high" => "high",
        _ => "",
    }
}
