//! The provider quirks reach the outputs: what to switch on first (instructions, autoconfig),
//! a server that files sent mail itself (snippets save no second copy), special folders and
//! connection limits (instructions); and aerc's STARTTLS switch.

use portolan_core::clients;
use portolan_core::discovery::merge;
use portolan_core::formats::snippets::Tool;
use portolan_core::parse_input;
use portolan_core::setup::{export, prepare, Choices, Export, ExportOptions};

/// Every export for an address, offline (bundled knowledge only), through the set-up.
fn exported(address: &str, what: Export, client: &str) -> String {
    let input = parse_input(address).unwrap();
    let discovery = merge(&input, &[], &[]);
    let client = clients::by_id(client);
    let setup = prepare(&input, &discovery, &[], client, &Choices::default());
    export(what, &setup.settings, client, &ExportOptions::default()).unwrap()
}

#[test]
fn gmail_snippets_leave_saving_sent_mail_to_the_server() {
    let neomutt = exported("jo@gmail.com", Export::Snippet(Tool::Neomutt), "neomutt");
    assert!(neomutt.contains("unset record"), "{neomutt}");
    assert!(
        neomutt.contains("Gmail does not accept your account password here"),
        "the password variant names the app password: {neomutt}"
    );
    assert!(
        !neomutt.lines().any(|l| l.starts_with("set record")),
        "{neomutt}"
    );
    assert!(
        neomutt.contains("set postponed = \"+[Gmail]/Drafts\""),
        "{neomutt}"
    );
    let aerc = exported("jo@gmail.com", Export::Snippet(Tool::Aerc), "aerc");
    assert!(!aerc.contains("copy-to ="), "{aerc}");
    // Elsewhere a copy is saved, in the plain folder names.
    let posteo = exported("jo@posteo.de", Export::Snippet(Tool::Neomutt), "neomutt");
    assert!(posteo.contains("set record = \"+Sent\""), "{posteo}");
    assert!(!posteo.contains("app password"), "{posteo}");
    let aerc = exported("jo@posteo.de", Export::Snippet(Tool::Aerc), "aerc");
    assert!(aerc.contains("copy-to = Sent"), "{aerc}");
}

#[test]
fn gmail_instructions_name_the_quirks() {
    let text = exported("jo@gmail.com", Export::Instructions, "thunderbird");
    assert!(text.contains("Sent folder by itself"), "{text}");
    assert!(text.contains("[Gmail]/Sent Mail"), "{text}");
    assert!(text.contains("at most 15 IMAP connections"), "{text}");
}

#[test]
fn gmx_says_to_switch_access_on_first_in_instructions_and_autoconfig() {
    let text = exported("jo@gmx.de", Export::Instructions, "thunderbird");
    assert!(
        text.contains("Before you start: Turn on POP3/IMAP access in GMX's settings"),
        "{text}"
    );
    let file = exported("jo@gmx.de", Export::Autoconfig, "thunderbird");
    assert!(
        file.contains("<enable visiturl=\"https://hilfe.gmx.net/pop-imap/einschalten.html\">"),
        "{file}"
    );
    let parsed = portolan_core::formats::autoconfig::parse(&file).unwrap();
    assert_eq!(parsed.providers[0].enable.len(), 1);
    let plain = exported("jo@posteo.de", Export::Instructions, "thunderbird");
    assert!(!plain.contains("Before you start"), "{plain}");
}

#[test]
fn aerc_sends_with_starttls_when_the_server_is_starttls_only() {
    // Microsoft 365 (Outlook.com) publishes sending only with STARTTLS on 587.
    let aerc = exported("jo@outlook.com", Export::Snippet(Tool::Aerc), "aerc");
    assert!(aerc.contains("outgoing = smtp+xoauth2://"), "{aerc}");
    assert!(aerc.contains("smtp-starttls = true"), "{aerc}");
    let implicit = exported("jo@posteo.de", Export::Snippet(Tool::Aerc), "aerc");
    assert!(!implicit.contains("smtp-starttls"), "{implicit}");
}

#[test]
fn an_oauth2_only_provider_gets_the_oauth2_snippet_by_default() {
    let msmtp = exported("jo@outlook.com", Export::Snippet(Tool::Msmtp), "msmtp");
    assert!(
        msmtp.contains("auth xoauth2"),
        "Microsoft takes XOAUTH2 only: {msmtp}"
    );
    assert!(!msmtp.contains("pass show"), "{msmtp}");
    // Asked for the password variant anyway, the header says it cannot work.
    let input = parse_input("jo@outlook.com").unwrap();
    let discovery = merge(&input, &[], &[]);
    let mut setup = prepare(&input, &discovery, &[], None, &Choices::default());
    setup.settings.oauth2 = None;
    let text = export(
        Export::Snippet(Tool::Msmtp),
        &setup.settings,
        None,
        &ExportOptions::default(),
    )
    .unwrap();
    assert!(text.contains("accepts only OAuth2"), "{text}");
}
