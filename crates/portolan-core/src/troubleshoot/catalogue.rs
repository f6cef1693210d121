//! The catalogue: what mail servers, TLS and mail apps say when something fails, what it
//! means, and the likely causes with their fixes, most likely first. Each entry cites its
//! source in a comment above it.
//!
//! Patterns are alternatives that add up: an entry matched by an enhanced status code and a
//! phrase outranks one matched by the code alone. A bare SMTP reply code is weak evidence
//! (535 could be any provider's wording), so an entry whose only match is weak is shown only
//! when it is marked `weak_alone` (the generic entry for that reply).

use super::scan::Scanned;
use super::{Cause, Likelihood, Topic};

/// A weight at or above which a pattern is enough on its own.
pub const STRONG: u32 = 4;

/// What an entry is recognised by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// An SMTP reply code (weak: weight 2).
    Reply(u16),
    /// An enhanced status code, like `5.7.8` (weight 5).
    Enhanced(&'static str),
    /// A bracketed IMAP or POP3 response code, upper case, like `AUTHENTICATIONFAILED`
    /// (weight 5).
    Bracketed(&'static str),
    /// A Windows error number as Outlook shows it, upper case, like `0x800CCC0E` (weight 6).
    Hex(&'static str),
    /// Words, lower case, found anywhere in the folded text (weight 4, more for longer
    /// phrases).
    Phrase(&'static str),
}

impl Pattern {
    /// The weight and the matched text, when the pattern is in the scanned text.
    pub fn matches(&self, scanned: &Scanned) -> Option<(u32, String)> {
        match *self {
            Pattern::Reply(code) => scanned
                .replies
                .contains(&code)
                .then(|| (2, code.to_string())),
            Pattern::Enhanced(code) => scanned
                .enhanced
                .iter()
                .any(|found| found == code)
                .then(|| (5, code.to_owned())),
            Pattern::Bracketed(code) => scanned
                .bracketed
                .iter()
                .any(|found| found == code)
                .then(|| (5, format!("[{code}]"))),
            Pattern::Hex(code) => scanned
                .hex
                .iter()
                .any(|found| found == code)
                .then(|| (6, code.to_owned())),
            Pattern::Phrase(words) => scanned.folded.contains(words).then(|| {
                let bonus = u32::try_from(words.len() / 12).unwrap_or(3).min(3);
                (STRONG + bonus, words.to_owned())
            }),
        }
    }
}

/// One thing a mail app or server says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Stable id, kebab-case.
    pub id: &'static str,
    /// The code as people know it, or a short name for a message without one.
    pub code: &'static str,
    pub meaning: &'static str,
    pub patterns: &'static [Pattern],
    pub causes: &'static [Cause],
    /// Shown even when only weak patterns (a bare reply code) matched.
    pub weak_alone: bool,
    /// Shown only when one of its phrases matched: a provider's entry that also lists the
    /// generic codes it shares (so its words win between equals), which alone prove nothing.
    pub needs_phrase: bool,
}

/// Every entry, in a fixed order (which also breaks ties between equal scores).
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

use Likelihood::{High, Low, Medium};
use Pattern::{Bracketed, Enhanced, Hex, Phrase, Reply};

const fn cause(
    likelihood: Likelihood,
    topic: Topic,
    cause: &'static str,
    fix: &'static str,
) -> Cause {
    Cause {
        cause,
        fix,
        likelihood,
        topic,
    }
}

const BASE: Entry = Entry {
    id: "",
    code: "",
    meaning: "",
    patterns: &[],
    causes: &[],
    weak_alone: false,
    needs_phrase: false,
};

// Causes shared by several entries.
const WRONG_PASSWORD: Cause = cause(
    High,
    Topic::Credentials,
    "The user name or the password is wrong.",
    "Sign in to the provider's web mail with the same user name and password; most providers want the whole email address as the user name.",
);
const NEEDS_APP_PASSWORD: Cause = cause(
    High,
    Topic::AppPassword,
    "The provider does not accept the account password in mail apps (Gmail, Yahoo, iCloud, AOL and others, or any account with two-step verification).",
    "Make an app password in the account's security settings and use it instead of the account password, or use an app that signs in with OAuth2.",
);
const NEEDS_OAUTH2: Cause = cause(
    Medium,
    Topic::OAuth2,
    "The provider accepts only OAuth2 (modern sign-in through its own page), not a password.",
    "Use an app that signs in with OAuth2 for this provider (Thunderbird, Apple Mail's provider account type, Outlook).",
);
const ACCESS_OFF: Cause = cause(
    Medium,
    Topic::EnableAccess,
    "Access for mail apps (IMAP, POP or SMTP) is switched off in the account.",
    "Switch on IMAP/POP access in the provider's web settings, then try again.",
);
const PORT_OR_SECURITY: Cause = cause(
    High,
    Topic::PortOrSecurity,
    "The port and the encryption setting do not fit together (SSL/TLS on a STARTTLS port, or the other way round).",
    "Use port 993 with SSL/TLS for IMAP, 995 with SSL/TLS for POP3, and 465 with SSL/TLS or 587 with STARTTLS for sending.",
);
const NETWORK_BLOCKS: Cause = cause(
    Medium,
    Topic::Network,
    "The network blocks the port (hotel, school and company networks often block mail ports), or a firewall or antivirus program intercepts it.",
    "Try another network such as mobile data; if that works, ask the network's owner or use port 465 or 587 for sending, never 25.",
);
const SERVER_NAME_WRONG: Cause = cause(
    Medium,
    Topic::PortOrSecurity,
    "The server name is wrong or has a typing error.",
    "Compare the server name with the provider's published settings.",
);
const SERVER_DOWN: Cause = cause(
    Low,
    Topic::Temporary,
    "The provider's server is down or overloaded.",
    "Check the provider's status page and try again later.",
);
const UNTRUSTED_CERT: Cause = cause(
    High,
    Topic::Certificate,
    "The server's certificate is not from an authority the device trusts (self-signed, or a missing intermediate certificate).",
    "Do not accept it blindly: check that the server name is the provider's; a provider's server must have a certificate from a public authority, so tell the provider if it does not.",
);
const NAME_MISMATCH: Cause = cause(
    High,
    Topic::Certificate,
    "The certificate is for another name than the server name in the settings (for example your own domain instead of the hosting company's server).",
    "Use the server name the certificate is for, usually the hosting company's own (like mail.hoster.example), not mail.yourdomain.",
);
const EXPIRED_CERT: Cause = cause(
    Medium,
    Topic::Certificate,
    "The certificate has expired, or the device's clock is wrong.",
    "Check the device's date and time; if they are right, the provider must renew the certificate.",
);
const INTERCEPTED: Cause = cause(
    Low,
    Topic::Certificate,
    "Something on the network (an antivirus program, a company proxy, a captive portal) is intercepting the encrypted connection.",
    "Try another network or switch off the antivirus program's mail scanning.",
);

// Sources:
// - RFC 5321 §4.2 (reply codes), RFC 3463 and the IANA "SMTP Enhanced Status Codes" registry
//   (https://www.iana.org/assignments/smtp-enhanced-status-codes/), RFC 4954 §6 (AUTH replies
//   530, 534, 535, 538), RFC 5248.
// - RFC 5530 (IMAP response codes), RFC 2449 §8 and RFC 3206 (POP3 response codes).
// - RFC 8446 §6 (TLS alerts).
// - Provider help pages named next to their entries; client messages as the clients print them
//   (the source strings of Thunderbird's imapMsgs/smtp properties, msmtp, mbsync, neomutt, and
//   Microsoft's list of Outlook error numbers).
static ENTRIES: &[Entry] = &[
    // Provider messages first: they are the most specific.
    // Gmail: "534-5.7.9 Application-specific password required" (Gmail Help, "Sign in with
    // app passwords", https://support.google.com/accounts/answer/185833).
    Entry {
        id: "gmail-app-password-required",
        code: "534 5.7.9 (Gmail)",
        meaning: "Gmail refuses the account password: this account needs an app password (2-Step Verification is on) or OAuth2.",
        patterns: &[
            Phrase("application-specific password required"),
            Phrase("application-specific password"),
            Enhanced("5.7.9"),
            Reply(534),
            Bracketed("ALERT"),
        ],
        causes: &[NEEDS_APP_PASSWORD, NEEDS_OAUTH2],
        needs_phrase: true,
        ..BASE
    },
    // Gmail: "535-5.7.8 Username and Password not accepted" and the IMAP
    // "[AUTHENTICATIONFAILED] Invalid credentials (Failure)" (Gmail Help, "Can't sign in to
    // your email client", https://support.google.com/mail/answer/7126229).
    Entry {
        id: "gmail-credentials-not-accepted",
        code: "535 5.7.8 (Gmail)",
        meaning: "Gmail did not accept the user name and password.",
        patterns: &[
            Phrase("username and password not accepted"),
            Phrase("badcredentials"),
            Phrase("invalid credentials (failure)"),
            // The generic codes too, so Gmail's words decide between equals.
            Enhanced("5.7.8"),
            Reply(535),
            Bracketed("AUTHENTICATIONFAILED"),
        ],
        causes: &[NEEDS_APP_PASSWORD, WRONG_PASSWORD, NEEDS_OAUTH2],
        needs_phrase: true,
        ..BASE
    },
    // Gmail: "Please log in via your web browser" / "Web login required" (Gmail Help,
    // https://support.google.com/mail/answer/7126229, "WebLoginRequired").
    Entry {
        id: "gmail-web-login-required",
        code: "534 5.7.14 (Gmail)",
        meaning: "Google blocked the sign-in as suspicious and wants you to sign in through a web browser first.",
        patterns: &[
            Phrase("please log in via your web browser"),
            Phrase("web login required"),
            Phrase("webloginrequired"),
            Enhanced("5.7.14"),
            Reply(534),
        ],
        causes: &[
            cause(High, Topic::Policy, "Google saw the sign-in from a new place or app and blocked it.", "Sign in to Gmail in a web browser on the same device, confirm it was you, then try the app again."),
            NEEDS_APP_PASSWORD,
        ],
        needs_phrase: true,
        ..BASE
    },
    // Gmail: "[ALERT] Application-specific password required" and "Too many simultaneous
    // connections" (Gmail Help, https://support.google.com/mail/answer/97150).
    Entry {
        id: "gmail-too-many-connections",
        code: "Too many simultaneous connections",
        meaning: "The account has more IMAP connections open than the provider allows (Gmail: 15).",
        patterns: &[Phrase("too many simultaneous connections"), Phrase("too many connections")],
        causes: &[
            cause(High, Topic::Limits, "Several apps or devices keep connections open to the same account.", "Close mail apps you do not use, or lower the number of connections the app may open (in Thunderbird: server settings → advanced → cached connections)."),
        ],
        ..BASE
    },
    // Microsoft 365: "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is
    // disabled for the Tenant" and "basic authentication is disabled" (Microsoft Learn,
    // "Enable or disable SMTP AUTH in Exchange Online",
    // https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission).
    Entry {
        id: "microsoft-basic-auth-disabled",
        code: "535 5.7.139 (Microsoft)",
        meaning: "Microsoft refuses password sign-in: basic authentication (or SMTP AUTH) is switched off for the account or the organisation.",
        patterns: &[
            Enhanced("5.7.139"),
            Phrase("smtpclientauthentication is disabled"),
            Phrase("basic authentication is disabled"),
            Phrase("basicauthblocked"),
        ],
        causes: &[
            cause(High, Topic::OAuth2, "Outlook.com and Microsoft 365 accept only OAuth2 (modern authentication) in mail apps.", "Use an app that signs in with OAuth2 (Thunderbird, Outlook, Apple Mail's Microsoft Exchange account type)."),
            cause(Medium, Topic::Policy, "The organisation's administrator has switched SMTP AUTH off.", "Ask the administrator to allow authenticated SMTP for your mailbox."),
        ],
        ..BASE
    },
    // Yahoo and AOL: "[AUTHENTICATIONFAILED] LOGIN Invalid credentials" for the account
    // password (Yahoo Help, "Generate and manage third-party app passwords",
    // https://help.yahoo.com/kb/SLN15241.html).
    Entry {
        id: "yahoo-invalid-credentials",
        code: "[AUTHENTICATIONFAILED] (Yahoo, AOL)",
        meaning: "Yahoo or AOL did not accept the password: mail apps need an app password there.",
        patterns: &[
            Phrase("login invalid credentials"),
            Phrase("yahoo mail requires an app password"),
            Bracketed("AUTHENTICATIONFAILED"),
        ],
        causes: &[NEEDS_APP_PASSWORD, WRONG_PASSWORD],
        needs_phrase: true,
        ..BASE
    },
    // SMTP authentication (RFC 4954 §6, IANA registry).
    Entry {
        id: "smtp-5.7.8",
        code: "535 5.7.8",
        meaning: "The outgoing server did not accept the user name and password.",
        patterns: &[Enhanced("5.7.8"), Reply(535), Phrase("authentication credentials invalid"), Phrase("authentication failed")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, ACCESS_OFF],
        weak_alone: true,
        ..BASE
    },
    Entry {
        id: "smtp-5.7.0-auth-required",
        code: "530 5.7.0",
        meaning: "The outgoing server wants the app to sign in before it sends anything.",
        patterns: &[Reply(530), Phrase("authentication required"), Phrase("must issue a starttls command first")],
        causes: &[
            cause(High, Topic::SignInToSend, "Sending is set up without signing in (\"no authentication\").", "Turn on \"my outgoing server requires authentication\" and use the same user name and password as for incoming mail."),
            cause(Medium, Topic::PortOrSecurity, "The app did not start encryption before signing in (the server says to issue STARTTLS first).", "Use port 587 with STARTTLS, or 465 with SSL/TLS."),
        ],
        weak_alone: true,
        ..BASE
    },
    Entry {
        id: "smtp-5.7.9",
        code: "534 5.7.9",
        meaning: "The server wants a stronger sign-in method than the one the app used.",
        patterns: &[Enhanced("5.7.9"), Reply(534), Phrase("authentication mechanism is too weak")],
        causes: &[NEEDS_APP_PASSWORD, NEEDS_OAUTH2],
        weak_alone: true,
        ..BASE
    },
    Entry {
        id: "smtp-5.7.11",
        code: "538 5.7.11",
        meaning: "The server refuses to sign in without encryption.",
        patterns: &[Enhanced("5.7.11"), Reply(538), Phrase("encryption required for requested authentication mechanism")],
        causes: &[PORT_OR_SECURITY],
        weak_alone: true,
        ..BASE
    },
    // Relaying (RFC 5321 §3.6, IANA 5.7.1).
    Entry {
        id: "smtp-relay-denied",
        code: "554 5.7.1 Relay access denied",
        meaning: "The outgoing server will not pass the message on: it does not know you as one of its users.",
        patterns: &[Phrase("relay access denied"), Phrase("relaying denied"), Phrase("relay not permitted"), Phrase("unable to relay"), Phrase("we do not relay")],
        causes: &[
            cause(High, Topic::SignInToSend, "The app sends without signing in, so the server treats it as a stranger.", "Turn on \"my outgoing server requires authentication\" with the same user name and password."),
            cause(Medium, Topic::PortOrSecurity, "Sending goes to port 25 (the port between mail servers), which takes mail only for its own domains.", "Use port 587 with STARTTLS or 465 with SSL/TLS for sending."),
            cause(Low, Topic::PortOrSecurity, "The outgoing server is another provider's, not your own provider's.", "Use your own provider's outgoing server."),
        ],
        ..BASE
    },
    Entry {
        id: "smtp-5.7.1",
        code: "550 5.7.1",
        meaning: "The server refused the message for a policy reason (the sender, the recipient or the content).",
        patterns: &[Enhanced("5.7.1")],
        causes: &[
            cause(High, Topic::Policy, "The sender address is not one the account may send as.", "Send from the address of the account you signed in with, or add the other address as an alias at the provider."),
            cause(Medium, Topic::SignInToSend, "The app sends without signing in.", "Turn on \"my outgoing server requires authentication\"."),
            cause(Low, Topic::Message, "The recipient's server refused the message as spam.", "Read the rest of the server's answer: it usually names the reason."),
        ],
        ..BASE
    },
    // Sender authentication failures (IANA 5.7.23 SPF, 5.7.25 reverse DNS, 5.7.26 DMARC/multiple).
    Entry {
        id: "smtp-5.7.26",
        code: "550 5.7.26",
        meaning: "The recipient's server refused the message because the sender's domain did not pass DMARC/SPF/DKIM checks.",
        patterns: &[Enhanced("5.7.26"), Enhanced("5.7.23"), Enhanced("5.7.25"), Phrase("unauthenticated email"), Phrase("dmarc policy")],
        causes: &[
            cause(High, Topic::Policy, "The message was sent through a server the sender's domain does not list (SPF) or without a valid DKIM signature.", "Send through your own provider's outgoing server; if you run the domain, fix its SPF, DKIM and DMARC records."),
        ],
        ..BASE
    },
    // Recipients and mailboxes (IANA 5.1.1, 5.2.2, 5.3.4, 5.5.x).
    Entry {
        id: "smtp-5.1.1",
        code: "550 5.1.1",
        meaning: "The recipient's address does not exist.",
        patterns: &[Enhanced("5.1.1"), Phrase("user unknown"), Phrase("no such user"), Phrase("recipient address rejected")],
        causes: &[cause(High, Topic::Message, "The recipient's address has a typing error or no longer exists.", "Check the address with the recipient; the set-up is fine.")],
        ..BASE
    },
    Entry {
        id: "smtp-5.2.2",
        code: "552 5.2.2",
        meaning: "The recipient's mailbox is full.",
        patterns: &[Enhanced("5.2.2"), Phrase("mailbox full"), Phrase("over quota")],
        causes: &[cause(High, Topic::Message, "The recipient has used up their storage.", "Tell the recipient another way; the set-up is fine.")],
        ..BASE
    },
    Entry {
        id: "smtp-5.3.4",
        code: "552 5.3.4",
        meaning: "The message is larger than the server accepts.",
        patterns: &[Enhanced("5.3.4"), Phrase("message size exceeds"), Phrase("message too large")],
        causes: &[cause(High, Topic::Message, "The attachments make the message too large (often above 25 MB).", "Send the file through a sharing link instead of as an attachment.")],
        ..BASE
    },
    // Rate limits and temporary failures (RFC 5321 4yz; IANA 4.7.0, 4.7.28, 5.4.5, 4.2.1).
    Entry {
        id: "smtp-rate-limited",
        code: "421 / 4.7.0 / 5.4.5",
        meaning: "The server slows you down: too many messages, recipients or sign-ins in a short time.",
        patterns: &[Enhanced("4.7.0"), Enhanced("4.7.28"), Enhanced("5.4.5"), Enhanced("4.2.1"), Phrase("daily user sending limit exceeded"), Phrase("sending limit"), Phrase("rate limit"), Phrase("try again later")],
        causes: &[
            cause(High, Topic::Limits, "The account hit the provider's sending or sign-in limit.", "Wait (an hour, or a day for daily limits) and send fewer messages at once."),
            cause(Medium, Topic::Temporary, "The server is busy.", "Try again later; the app retries by itself."),
        ],
        ..BASE
    },
    Entry {
        id: "smtp-421",
        code: "421",
        meaning: "The server is closing the connection: it is not available right now.",
        patterns: &[Reply(421), Phrase("service not available"), Phrase("closing transmission channel")],
        causes: &[SERVER_DOWN, NETWORK_BLOCKS],
        weak_alone: true,
        ..BASE
    },
    Entry {
        id: "smtp-554-banner",
        code: "554",
        meaning: "The server refused the transaction; on connect, it refuses to talk to your address.",
        patterns: &[Reply(554), Phrase("transaction failed")],
        causes: &[
            cause(High, Topic::Network, "Your internet address is on a block list (common on port 25 from home connections).", "Send through your provider's server on port 587 or 465 with sign-in, not directly on port 25."),
            cause(Medium, Topic::Policy, "The server refused the message for a reason given in the rest of its answer.", "Read the rest of the answer; it usually names the reason."),
        ],
        weak_alone: true,
        ..BASE
    },
    Entry {
        id: "smtp-5.5.x-protocol",
        code: "500 / 502 / 503 / 5.5.1",
        meaning: "The server did not understand a command, or got it in the wrong order.",
        patterns: &[Enhanced("5.5.1"), Enhanced("5.5.2"), Reply(503), Phrase("bad sequence of commands"), Phrase("command not implemented")],
        causes: &[
            cause(High, Topic::PortOrSecurity, "The app speaks the wrong protocol on this port, or tries to sign in before encryption.", "Use 587 with STARTTLS or 465 with SSL/TLS for sending, 993 with SSL/TLS for IMAP."),
            cause(Low, Topic::Network, "Something on the network (an antivirus program, a firewall) changes the conversation.", "Try another network or switch off the antivirus program's mail scanning."),
        ],
        ..BASE
    },
    // IMAP response codes (RFC 5530 §3).
    Entry {
        id: "imap-authenticationfailed",
        code: "[AUTHENTICATIONFAILED]",
        meaning: "The incoming (IMAP) server did not accept the user name and password.",
        patterns: &[Bracketed("AUTHENTICATIONFAILED"), Phrase("authenticationfailed")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, ACCESS_OFF],
        ..BASE
    },
    Entry {
        id: "imap-authorizationfailed",
        code: "[AUTHORIZATIONFAILED]",
        meaning: "The sign-in worked, but this user may not use the mailbox asked for.",
        patterns: &[Bracketed("AUTHORIZATIONFAILED")],
        causes: &[cause(High, Topic::Credentials, "The user name names another mailbox than the one you may use (a shared or delegated mailbox).", "Sign in as the mailbox's own user, or ask the administrator for access.")],
        ..BASE
    },
    Entry {
        id: "imap-unavailable",
        code: "[UNAVAILABLE]",
        meaning: "The server cannot sign you in right now (a temporary fault on its side).",
        patterns: &[Bracketed("UNAVAILABLE"), Phrase("temporarily unavailable")],
        causes: &[SERVER_DOWN, ACCESS_OFF],
        ..BASE
    },
    Entry {
        id: "imap-expired",
        code: "[EXPIRED]",
        meaning: "The password (or the account) has expired.",
        patterns: &[Bracketed("EXPIRED")],
        causes: &[cause(High, Topic::Credentials, "The password must be changed.", "Change the password in the provider's web mail, then use the new one.")],
        ..BASE
    },
    Entry {
        id: "imap-privacyrequired",
        code: "[PRIVACYREQUIRED]",
        meaning: "The server refuses to sign in without encryption.",
        patterns: &[Bracketed("PRIVACYREQUIRED"), Phrase("plaintext authentication disallowed"), Phrase("logindisabled")],
        causes: &[PORT_OR_SECURITY],
        ..BASE
    },
    Entry {
        id: "imap-contactadmin",
        code: "[CONTACTADMIN]",
        meaning: "The server wants you to contact the administrator: the account is blocked or needs attention.",
        patterns: &[Bracketed("CONTACTADMIN")],
        causes: &[cause(High, Topic::Policy, "The account is locked, suspended or not allowed to use IMAP.", "Sign in to the web mail to see why, or contact the provider.")],
        ..BASE
    },
    Entry {
        id: "imap-overquota",
        code: "[OVERQUOTA]",
        meaning: "The mailbox is full.",
        patterns: &[Bracketed("OVERQUOTA"), Phrase("quota exceeded")],
        causes: &[cause(High, Topic::Limits, "The account has used up its storage.", "Delete or archive large messages and empty the trash.")],
        ..BASE
    },
    Entry {
        id: "imap-limit",
        code: "[LIMIT]",
        meaning: "The server refuses because of a limit: connections, size or requests.",
        patterns: &[Bracketed("LIMIT"), Bracketed("INUSE")],
        causes: &[cause(High, Topic::Limits, "Too many connections or requests from your apps at once.", "Close other mail apps on the same account and try again.")],
        ..BASE
    },
    Entry {
        id: "imap-alert",
        code: "[ALERT]",
        meaning: "The server sent a message it says you must read; its text after [ALERT] is the explanation.",
        patterns: &[Bracketed("ALERT")],
        causes: &[cause(High, Topic::Policy, "The server names the problem in the text that follows [ALERT].", "Read that text; it often asks for an app password or a web sign-in.")],
        ..BASE
    },
    // POP3 response codes (RFC 2449 §8, RFC 3206).
    Entry {
        id: "pop3-auth",
        code: "-ERR [AUTH]",
        meaning: "The POP3 server did not accept the user name and password.",
        patterns: &[Bracketed("AUTH"), Phrase("-err [auth]")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, ACCESS_OFF],
        ..BASE
    },
    Entry {
        id: "pop3-in-use",
        code: "-ERR [IN-USE]",
        meaning: "Another app is reading the same POP3 mailbox right now.",
        patterns: &[Bracketed("IN-USE"), Phrase("-err [in-use]"), Phrase("mailbox is locked"), Phrase("maildrop already locked")],
        causes: &[cause(High, Topic::Limits, "Another device or app is connected to the mailbox with POP3.", "Close the other app, or switch every device to IMAP.")],
        ..BASE
    },
    Entry {
        id: "pop3-sys-temp",
        code: "-ERR [SYS/TEMP]",
        meaning: "The POP3 server has a temporary problem.",
        patterns: &[Bracketed("SYS/TEMP"), Phrase("-err [sys/temp]")],
        causes: &[SERVER_DOWN],
        ..BASE
    },
    Entry {
        id: "pop3-sys-perm",
        code: "-ERR [SYS/PERM]",
        meaning: "The POP3 server has a lasting problem with the mailbox.",
        patterns: &[Bracketed("SYS/PERM"), Phrase("-err [sys/perm]")],
        causes: &[cause(High, Topic::Policy, "The mailbox is damaged or disabled for POP3.", "Contact the provider.")],
        ..BASE
    },
    Entry {
        id: "pop3-login-delay",
        code: "-ERR [LOGIN-DELAY]",
        meaning: "The POP3 server allows a new sign-in only after some minutes.",
        patterns: &[Bracketed("LOGIN-DELAY"), Phrase("-err [login-delay]")],
        causes: &[cause(High, Topic::Limits, "The app checks for mail more often than the provider allows.", "Check for new mail less often (every 10 to 15 minutes).")],
        ..BASE
    },
    // Certificates and TLS (RFC 8446 §6.2 alerts; the wording of OpenSSL, rustls, Thunderbird,
    // Apple and Android dialogs; the NSS error names Thunderbird shows, from NSS's
    // `lib/util/secerr.h` and `lib/ssl/sslerr.h`, and mozilla::pkix's `pkixnss.h`).
    Entry {
        id: "tls-untrusted-certificate",
        code: "Certificate not trusted",
        meaning: "The app does not trust the server's certificate, so it will not send the password over this connection.",
        patterns: &[
            Phrase("certificate is not trusted"),
            Phrase("cannot verify server identity"),
            Phrase("self signed certificate"),
            Phrase("self-signed certificate"),
            Phrase("unable to get local issuer certificate"),
            Phrase("unknown ca"),
            Phrase("unknownissuer"),
            Phrase("invalid certificate"),
            Phrase("certificate verify failed"),
            Phrase("certificate verification failed"),
            Phrase("known issuer"),
            Phrase("is not trusted"),
            Phrase("self-signed"),
            Phrase("security exception"),
            Phrase("sec_error_unknown_issuer"),
            Phrase("mozilla_pkix_error_self_signed_cert"),
        ],
        causes: &[UNTRUSTED_CERT, NAME_MISMATCH, INTERCEPTED],
        ..BASE
    },
    Entry {
        id: "tls-name-mismatch",
        code: "Certificate name mismatch",
        meaning: "The server's certificate is for another name than the server name in the settings.",
        patterns: &[
            Phrase("hostname mismatch"),
            Phrase("does not match"),
            Phrase("certificate belongs to a different site"),
            Phrase("not valid for"),
            Phrase("notvalidforname"),
            Phrase("domain mismatch"),
            Phrase("ssl_error_bad_cert_domain"),
        ],
        causes: &[NAME_MISMATCH, INTERCEPTED],
        ..BASE
    },
    Entry {
        id: "tls-certificate-expired",
        code: "Certificate expired",
        meaning: "The server's certificate has expired (or the device's clock is wrong).",
        patterns: &[
            Phrase("certificate has expired"),
            Phrase("certificate expired"),
            Phrase("expired certificate"),
            Phrase("certificate is expired"),
            Phrase("sec_error_expired_certificate"),
        ],
        causes: &[EXPIRED_CERT],
        ..BASE
    },
    Entry {
        id: "tls-wrong-version-number",
        code: "TLS wrong version number",
        meaning: "The app started TLS at once, but the server expected plain text first (or the other way round).",
        patterns: &[Phrase("wrong version number"), Phrase("packet length too long"), Phrase("unexpected eof while reading")],
        causes: &[PORT_OR_SECURITY],
        ..BASE
    },
    Entry {
        id: "tls-handshake-failure",
        code: "TLS handshake failure",
        meaning: "The app and the server could not agree on encryption.",
        patterns: &[Phrase("handshake failure"), Phrase("handshake failed"), Phrase("protocol version"), Phrase("no protocols available"), Phrase("unsupported protocol"), Phrase("tls negotiation failed")],
        causes: &[
            cause(High, Topic::Certificate, "The server only speaks old TLS versions (1.0 or 1.1) that the app no longer accepts, or the other way round.", "Ask the provider to support TLS 1.2 or 1.3; do not lower the app's security settings."),
            PORT_OR_SECURITY,
        ],
        ..BASE
    },
    // Connections.
    Entry {
        id: "connection-timed-out",
        code: "Connection timed out",
        meaning: "The app got no answer from the server at all.",
        patterns: &[Phrase("timed out"), Phrase("timeout"), Phrase("not responding"), Phrase("is not responding")],
        causes: &[NETWORK_BLOCKS, SERVER_NAME_WRONG, SERVER_DOWN],
        ..BASE
    },
    Entry {
        id: "connection-refused",
        code: "Connection refused",
        meaning: "The server's computer answered, but nothing listens on that port.",
        patterns: &[Phrase("connection refused"), Phrase("connection was refused"), Phrase("econnrefused")],
        causes: &[
            cause(High, Topic::PortOrSecurity, "The port is wrong for this server.", "Use the provider's published ports: 993 (IMAP), 995 (POP3), 465 or 587 (sending)."),
            SERVER_NAME_WRONG,
            NETWORK_BLOCKS,
        ],
        ..BASE
    },
    Entry {
        id: "host-not-found",
        code: "Server not found",
        meaning: "The server name does not exist in DNS.",
        patterns: &[Phrase("could not be found"), Phrase("name or service not known"), Phrase("host not found"), Phrase("unknown host"), Phrase("nodename nor servname"), Phrase("could not resolve")],
        causes: &[SERVER_NAME_WRONG, cause(Low, Topic::Network, "There is no internet connection, or the network's DNS fails.", "Check the internet connection.")],
        ..BASE
    },
    Entry {
        id: "connection-reset",
        code: "Connection reset",
        meaning: "The connection was cut in the middle of the conversation.",
        patterns: &[Phrase("connection reset"), Phrase("connection was reset"), Phrase("connection interrupted"), Phrase("broken pipe"), Phrase("connection closed unexpectedly")],
        causes: &[PORT_OR_SECURITY, NETWORK_BLOCKS, INTERCEPTED],
        ..BASE
    },
    // Outlook's numbered errors (Microsoft Support, "Troubleshoot Outlook email errors", the
    // 0x800CCCxx list of the Internet Mail error codes).
    Entry {
        id: "outlook-0x800ccc0e",
        code: "0x800CCC0E",
        meaning: "Outlook could not connect to the server.",
        patterns: &[Hex("0x800CCC0E"), Hex("0x800CCC0F"), Hex("0x8004210A")],
        causes: &[PORT_OR_SECURITY, NETWORK_BLOCKS, SERVER_NAME_WRONG],
        ..BASE
    },
    Entry {
        id: "outlook-0x800ccc1a",
        code: "0x800CCC1A",
        meaning: "Outlook and the server do not agree on encryption (SSL/TLS or STARTTLS) for this port.",
        patterns: &[Hex("0x800CCC1A")],
        causes: &[PORT_OR_SECURITY],
        ..BASE
    },
    Entry {
        id: "outlook-0x800ccc92",
        code: "0x800CCC92 / 0x800CCC90",
        meaning: "The incoming server refused Outlook's sign-in.",
        patterns: &[Hex("0x800CCC92"), Hex("0x800CCC90"), Hex("0x800CCC91")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, ACCESS_OFF],
        ..BASE
    },
    Entry {
        id: "outlook-0x80042109",
        code: "0x80042109 / 0x8004210B",
        meaning: "Outlook could not reach the outgoing server.",
        patterns: &[Hex("0x80042109"), Hex("0x8004210B"), Hex("0x800CCC67"), Hex("0x800CCC78")],
        causes: &[
            cause(High, Topic::PortOrSecurity, "The outgoing port or encryption is wrong, often port 25.", "Use 587 with STARTTLS or 465 with SSL/TLS."),
            cause(Medium, Topic::SignInToSend, "Outgoing sign-in is off.", "Tick \"My outgoing server (SMTP) requires authentication\"."),
            NETWORK_BLOCKS,
        ],
        ..BASE
    },
    // Client dialogs (Thunderbird's messenger/imapMsgs and smtp strings, Apple Mail and iOS,
    // Thunderbird for Android/K-9, the Gmail app, msmtp, mbsync, neomutt).
    Entry {
        id: "client-login-failed",
        code: "Login failed",
        meaning: "The app's sign-in was refused (Thunderbird: \"Login to server … failed\"; mbsync: \"LOGIN failed\"; neomutt: \"Login failed\").",
        patterns: &[Phrase("login to server"), Phrase("login failed"), Phrase("unable to authenticate"), Phrase("authentication failed (method"), Phrase("sasl authentication failed"), Phrase("incorrect username or password"), Phrase("password is incorrect"), Phrase("wrong password")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, NEEDS_OAUTH2, ACCESS_OFF],
        ..BASE
    },
    Entry {
        id: "client-cannot-get-mail",
        code: "Cannot Get Mail",
        meaning: "Apple Mail or iPhone Mail could not fetch mail: the sign-in or the connection failed.",
        patterns: &[Phrase("cannot get mail"), Phrase("can’t get mail"), Phrase("cant get mail"), Phrase("can't get mail")],
        causes: &[WRONG_PASSWORD, NEEDS_APP_PASSWORD, PORT_OR_SECURITY, NETWORK_BLOCKS],
        ..BASE
    },
    Entry {
        id: "client-cannot-send-mail",
        code: "Cannot Send Mail / Sending failed",
        meaning: "The app could not send: the outgoing server refused it or could not be reached (Apple: \"Cannot Send Mail\"; Thunderbird: \"Sending of the message failed\").",
        patterns: &[Phrase("cannot send mail"), Phrase("cannot send message"), Phrase("sending of the message failed"), Phrase("unable to send"), Phrase("failed to send"), Phrase("smtp server is not responding")],
        causes: &[
            cause(High, Topic::PortOrSecurity, "The outgoing port or encryption is wrong, often port 25.", "Use 587 with STARTTLS or 465 with SSL/TLS."),
            cause(High, Topic::SignInToSend, "Outgoing sign-in is off or uses another password.", "Turn on outgoing authentication with the same user name and password as incoming."),
            NETWORK_BLOCKS,
        ],
        ..BASE
    },
    Entry {
        id: "client-no-authenticators",
        code: "No authenticators available",
        meaning: "The app and the server share no sign-in method the app may use (neomutt, msmtp).",
        patterns: &[Phrase("no authenticators available"), Phrase("authentication method not supported"), Phrase("server does not support authentication"), Phrase("does not support the requested authentication")],
        causes: &[
            cause(High, Topic::PortOrSecurity, "The server offers sign-in only after encryption starts, and encryption is off.", "Turn on SSL/TLS (465, 993) or STARTTLS (587)."),
            NEEDS_OAUTH2,
        ],
        ..BASE
    },
];
