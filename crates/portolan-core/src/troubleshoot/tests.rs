//! The troubleshooter over a corpus of real-shaped messages (dialogs, server replies, pasted
//! logs, other languages' dialogs around the codes), each with the expected top explanation;
//! the catalogue checked whole; and the tie-in to a user's situation.

use super::*;
use crate::address::parse_input;
use crate::discovery::merge;
use crate::setup::{prepare, Choices};

/// (pasted text, the id of the expected top match).
const CORPUS: &[(&str, &str)] = &[
    // Gmail.
    ("534-5.7.9 Application-specific password required. For more information, go to\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor", "gmail-app-password-required"),
    ("[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)", "gmail-app-password-required"),
    ("535-5.7.8 Username and Password not accepted. For more information, go to\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials", "gmail-credentials-not-accepted"),
    ("msmtp: authentication failed (method PLAIN)\nmsmtp: server message: 535-5.7.8 Username and Password not accepted.", "gmail-credentials-not-accepted"),
    ("* NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)", "gmail-credentials-not-accepted"),
    ("534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in via your web browser and\n534-5.7.14 then try again.", "gmail-web-login-required"),
    ("NO [WEBALERT https://accounts.google.com/signin/continue] Web login required.", "gmail-web-login-required"),
    ("* BYE [UNAVAILABLE] Too many simultaneous connections. (Failure)", "gmail-too-many-connections"),
    // Microsoft.
    ("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled", "microsoft-basic-auth-disabled"),
    ("535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [BN0PR04CA0101.namprd04.prod.outlook.com]", "microsoft-basic-auth-disabled"),
    ("AUTHENTICATE failed. BasicAuthBlocked", "microsoft-basic-auth-disabled"),
    // Yahoo / AOL.
    ("NO [AUTHENTICATIONFAILED] LOGIN Invalid credentials", "yahoo-invalid-credentials"),
    // Generic SMTP authentication.
    ("535 5.7.8 Error: authentication failed: authentication failure", "smtp-5.7.8"),
    ("535 Authentication credentials invalid", "smtp-5.7.8"),
    ("SMTP error from remote mail server after AUTH PLAIN: 535 5.7.8 Error: authentication failed", "smtp-5.7.8"),
    ("535 Incorrect authentication data", "smtp-5.7.8"),
    ("530 5.7.0 Authentication required", "smtp-5.7.0-auth-required"),
    ("530 5.7.0 Must issue a STARTTLS command first.", "smtp-5.7.0-auth-required"),
    ("530 Authentication required", "smtp-5.7.0-auth-required"),
    ("534 5.7.9 Authentication mechanism is too weak", "smtp-5.7.9"),
    ("538 5.7.11 Encryption required for requested authentication mechanism", "smtp-5.7.11"),
    // Relaying.
    ("554 5.7.1 <friend@example.org>: Relay access denied", "smtp-relay-denied"),
    ("550 5.7.1 Unable to relay for friend@example.org", "smtp-relay-denied"),
    ("Das Senden der Nachricht ist fehlgeschlagen. Der Server meldet: 554 5.7.1 Relay access denied", "smtp-relay-denied"),
    ("550 relay not permitted", "smtp-relay-denied"),
    ("550 5.7.1 Sender address rejected: not owned by user me@example.com", "smtp-5.7.1"),
    // Sender authentication.
    ("550-5.7.26 This mail has been blocked because the sender is unauthenticated.\n550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.", "smtp-5.7.26"),
    ("550 5.7.23 The message was rejected because of Sender Policy Framework violation", "smtp-5.7.26"),
    ("550 5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy", "smtp-5.7.26"),
    // Recipients and messages.
    ("550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table", "smtp-5.1.1"),
    ("550 5.1.1 The email account that you tried to reach does not exist.", "smtp-5.1.1"),
    ("552 5.2.2 The email account that you tried to reach is over quota.", "smtp-5.2.2"),
    ("452 4.2.2 Mailbox full", "smtp-5.2.2"),
    ("552 5.3.4 Message size exceeds fixed maximum message size", "smtp-5.3.4"),
    // Limits and temporary failures.
    ("550 5.4.5 Daily user sending limit exceeded.", "smtp-rate-limited"),
    ("421 4.7.0 Try again later, closing connection.", "smtp-rate-limited"),
    ("451 4.7.28 Our system has detected an unusual rate of unsolicited mail", "smtp-rate-limited"),
    ("421 Service not available, closing transmission channel", "smtp-421"),
    ("554 Transaction failed", "smtp-554-banner"),
    ("503 5.5.1 Error: need MAIL command", "smtp-5.5.x-protocol"),
    ("503 Bad sequence of commands", "smtp-5.5.x-protocol"),
    // IMAP response codes.
    ("a1 NO [AUTHENTICATIONFAILED] Authentication failed.", "imap-authenticationfailed"),
    ("NO [AUTHORIZATIONFAILED] No such authorization-ID", "imap-authorizationfailed"),
    ("* NO [UNAVAILABLE] User's backend down for maintenance", "imap-unavailable"),
    ("NO [EXPIRED] That password isn't valid any more", "imap-expired"),
    ("* BAD [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.", "imap-privacyrequired"),
    ("NO [CONTACTADMIN] Account suspended", "imap-contactadmin"),
    ("NO [OVERQUOTA] Quota exceeded (mailbox for user is full)", "imap-overquota"),
    ("NO [LIMIT] Too many commands", "imap-limit"),
    ("* OK [ALERT] Your account will be closed on 1 January", "imap-alert"),
    // POP3 response codes.
    ("-ERR [AUTH] Authentication failed.", "pop3-auth"),
    ("-ERR [IN-USE] Unable to lock maildrop: Mailbox is locked by POP server", "pop3-in-use"),
    ("-ERR [SYS/TEMP] Temporary system problem, try again later", "pop3-sys-temp"),
    ("-ERR [SYS/PERM] Your account has been disabled", "pop3-sys-perm"),
    ("-ERR [LOGIN-DELAY] Wait 15 minutes between logins", "pop3-login-delay"),
    // Certificates and TLS.
    ("The certificate for imap.example.com is not trusted because it is self-signed.", "tls-untrusted-certificate"),
    ("Cannot Verify Server Identity. The identity of \"mail.example.com\" cannot be verified by Mail.", "tls-untrusted-certificate"),
    ("msmtp: TLS certificate verification failed: the certificate hasn't got a known issuer", "tls-untrusted-certificate"),
    ("error:0A000086:SSL routines::certificate verify failed (unable to get local issuer certificate)", "tls-untrusted-certificate"),
    ("Add Security Exception: mail.example.com:993 uses an invalid security certificate.", "tls-untrusted-certificate"),
    ("The certificate belongs to a different site, which could mean that someone is trying to impersonate this site.", "tls-name-mismatch"),
    ("hostname mismatch, certificate is not valid for 'mail.mydomain.example'", "tls-name-mismatch"),
    ("The certificate has expired or is not yet valid.", "tls-certificate-expired"),
    ("imap.example.com:993 uses an invalid security certificate. Error code: SEC_ERROR_EXPIRED_CERTIFICATE", "tls-certificate-expired"),
    ("Error code: SSL_ERROR_BAD_CERT_DOMAIN", "tls-name-mismatch"),
    ("SSL_connect: error:0A00010B:SSL routines::wrong version number", "tls-wrong-version-number"),
    ("TLS handshake failed: protocol version", "tls-handshake-failure"),
    ("error:0A000102:SSL routines::unsupported protocol", "tls-handshake-failure"),
    // Connections.
    ("Connection to server imap.example.com timed out.", "connection-timed-out"),
    ("The mail server \"smtp.example.com\" is not responding.", "connection-timed-out"),
    ("msmtp: cannot connect to smtp.example.com, port 25: Connection refused", "connection-refused"),
    ("Could not connect to mail server imap.example.com; the connection was refused.", "connection-refused"),
    ("The server imap.exmaple.com could not be found.", "host-not-found"),
    ("Socket error: failed to resolve imap.example.com: Name or service not known", "host-not-found"),
    ("Connection reset by peer", "connection-reset"),
    // Outlook.
    ("Sending reported error (0x800CCC0E) : 'Outlook cannot synchronize subscribed folders for me@example.com. Error: Cannot connect to the server.'", "outlook-0x800ccc0e"),
    ("Task 'me@example.com - Receiving' reported error (0x800ccc0f) : 'The connection to the server was interrupted.'", "outlook-0x800ccc0e"),
    ("Fehler (0x800CCC1A): Ihr Server unterstützt den von Ihnen angegebenen Verbindungsverschlüsselungstyp nicht.", "outlook-0x800ccc1a"),
    ("Receiving reported error (0x800CCC92) : 'Your e-mail server rejected your login.'", "outlook-0x800ccc92"),
    ("Erreur 0x80042109 : Outlook ne peut pas se connecter à votre serveur de courrier sortant (SMTP).", "outlook-0x80042109"),
    // Client dialogs.
    ("Login to server imap.example.com with username me@example.com failed.", "client-login-failed"),
    ("IMAP command AUTHENTICATE returned response: NO LOGIN failed.", "client-login-failed"),
    ("SASL authentication failed", "client-login-failed"),
    ("Cannot Get Mail. The user name or password for \"Example\" is incorrect.", "client-cannot-get-mail"),
    ("Cannot Send Mail. The message was rejected by the server.", "client-cannot-send-mail"),
    ("Sending of the message failed. An error occurred while sending mail.", "client-cannot-send-mail"),
    ("No authenticators available", "client-no-authenticators"),
];

/// Texts in which nothing should be recognised.
const NOTHING: &[&str] = &[
    "",
    "hello, my mail does not work since yesterday",
    "Port 993 SSL, user me@example.com",
    "🙂🙂🙂",
    "12:30 2026-01-01 version 1.2.3",
];

#[test]
fn every_corpus_message_gets_its_expected_top_explanation() {
    assert!(CORPUS.len() >= 80, "only {} messages", CORPUS.len());
    let mut wrong = Vec::new();
    for (text, expected) in CORPUS {
        let explanation = explain(text, None);
        let top = explanation.matches.first().map(|m| m.id);
        if top != Some(*expected) {
            let ranked: Vec<(&str, u32)> = explanation
                .matches
                .iter()
                .map(|m| (m.id, m.score))
                .collect();
            wrong.push(format!("{text:?}\n  expected {expected}, got {ranked:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn noisy_logs_still_lead_to_the_cause() {
    let log = "Dec 02 10:11:12 laptop msmtp[4242]: host=smtp.gmail.com tls=on auth=on \
               user=me@gmail.com from=me@gmail.com recipients=you@example.org \
               smtpstatus=535 smtpmsg='535-5.7.8 Username and Password not accepted. Learn more \
               at 535 5.7.8 https://support.google.com/mail/?p=BadCredentials' \
               errormsg='authentication failed (method PLAIN)' exitcode=EX_NOPERM";
    assert_eq!(
        explain(log, None).matches[0].id,
        "gmail-credentials-not-accepted"
    );
}

#[test]
fn nothing_recognised_is_said_honestly_with_the_checklist() {
    for text in NOTHING {
        let explanation = explain(text, None);
        assert!(
            !explanation.recognised,
            "{text:?}: {:?}",
            explanation.matches
        );
        assert_eq!(explanation.checklist, GENERAL_CHECKLIST);
    }
    assert!(
        explain("535", None).recognised,
        "a bare reply code still means something"
    );
}

#[test]
fn every_entry_has_a_meaning_causes_and_fixes_and_a_unique_id() {
    let mut ids = std::collections::BTreeSet::new();
    for entry in entries() {
        assert!(ids.insert(entry.id), "{} twice", entry.id);
        assert!(
            !entry.code.is_empty() && entry.meaning.ends_with('.'),
            "{}",
            entry.id
        );
        assert!(!entry.patterns.is_empty(), "{} matches nothing", entry.id);
        assert!(!entry.causes.is_empty(), "{} has no cause", entry.id);
        for cause in entry.causes {
            assert!(
                cause.cause.ends_with('.') && cause.fix.ends_with('.'),
                "{}",
                entry.id
            );
        }
        for pattern in entry.patterns {
            if let Pattern::Phrase(words) = pattern {
                assert_eq!(
                    *words,
                    words.to_lowercase(),
                    "{}: phrases are lower case",
                    entry.id
                );
            }
        }
    }
}

#[test]
fn causes_come_most_likely_first() {
    for (text, _) in CORPUS {
        for found in explain(text, None).matches {
            let order: Vec<Likelihood> = found.causes.iter().map(|c| c.likelihood).collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(order, sorted, "{}", found.id);
        }
    }
}

fn situation_for(
    address: &str,
) -> (
    crate::formats::Settings,
    Option<&'static crate::knowledge::Provider>,
) {
    let input = parse_input(address).unwrap();
    let discovery = merge(&input, &[], &[]);
    let setup = prepare(&input, &discovery, &[], None, &Choices::default());
    (setup.settings, setup.provider)
}

#[test]
fn the_explanation_uses_the_users_own_settings() {
    let (settings, provider) = situation_for("jo@gmail.com");
    let situation = Situation {
        settings: Some(&settings),
        provider,
        relay_available: true,
        ..Situation::default()
    };
    let found = &explain(
        "535 5.7.8 Username and Password not accepted",
        Some(&situation),
    )
    .matches[0];
    let app = found
        .causes
        .iter()
        .find_map(|c| {
            c.in_your_settings
                .clone()
                .filter(|t| t.contains("app password"))
        })
        .expect("the app-password cause names Gmail");
    assert!(app.starts_with("Gmail needs an app password"), "{app}");
    // Port 25 named in the text: the sending advice says so, in the provider's ports.
    let sending = explain(
        "msmtp: cannot connect to smtp.gmail.com, port 25: Connection refused",
        Some(&situation),
    );
    let advice: Vec<String> = sending.matches[0]
        .causes
        .iter()
        .filter_map(|c| c.in_your_settings.clone())
        .collect();
    assert!(
        advice.iter().any(|t| t.contains(
            "You use port 25 for sending: Gmail expects 465 with SSL/TLS or 587 with STARTTLS"
        )),
        "{advice:?}"
    );
    // A certificate error offers the live check that would confirm it.
    let certificate = explain("The certificate is not trusted", Some(&situation));
    assert_eq!(
        certificate.matches[0].live_check.as_deref(),
        Some("Check imap.gmail.com:993 live now: the check shows whether the server answers, its TLS and its certificate.")
    );
    let without_relay = Situation {
        relay_available: false,
        ..situation.clone()
    };
    assert!(
        explain("The certificate is not trusted", Some(&without_relay)).matches[0]
            .live_check
            .is_none()
    );
}

#[test]
fn a_provider_quirk_reaches_the_explanation() {
    let (settings, provider) = situation_for("jo@gmx.de");
    let situation = Situation {
        settings: Some(&settings),
        provider,
        ..Situation::default()
    };
    let found = explain("-ERR [AUTH] Authentication failed.", Some(&situation));
    let tied: Vec<String> = found.matches[0]
        .causes
        .iter()
        .filter_map(|c| c.in_your_settings.clone())
        .collect();
    assert!(
        tied.iter()
            .any(|t| t.starts_with("Turn on POP3/IMAP access in GMX's settings")),
        "{tied:?}"
    );
}

#[test]
fn hostile_and_truncated_text_never_panics() {
    // Fragments that end where a scanner might read past them, glued together in a fixed
    // pseudo-random order (xorshift), plus the corpus itself cut at every character.
    const FRAGMENTS: &[&str] = &[
        "[",
        "]",
        "[A",
        "0x",
        "0x800CCC0",
        "5.",
        "5.7.",
        "535",
        "535-",
        "5.7.8",
        ":",
        "port",
        "port ",
        "ä",
        "😀",
        "\u{0301}",
        "\n",
        "\"",
        "„",
        "-ERR [",
        "* NO [ALERT",
        "..",
        "1.2.3.4",
        "smtp.example.com:",
        "99999",
        "\u{202e}",
        "\0",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..5000 {
        let mut text = String::new();
        for _ in 0..(state % 12) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(FRAGMENTS[(state % FRAGMENTS.len() as u64) as usize]);
        }
        let _ = explain(&text, None);
    }
    for (text, _) in CORPUS {
        for (cut, _) in text.char_indices() {
            let _ = explain(&text[..cut], None);
        }
    }
    let huge = "535 5.7.8 [ALERT] ".repeat(10_000);
    assert!(explain(&huge, None).recognised);
}
