//! Golden-file tests for every generated format, plus re-parsing checks: the XML formats are
//! read back with Portolan's own readers (and the plist crate for .mobileconfig), and the
//! generated provider files must lint clean. Regenerate the golden files with
//! `UPDATE_GOLDEN=1 cargo test -p portolan-core --test generators`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use portolan_core::clients;
use portolan_core::engine::{recommend, Constraints, EngineInput, Policy};
use portolan_core::formats::autoconfig::{self, SocketType};
use portolan_core::formats::autodiscover::{self, AutodiscoverResponse};
use portolan_core::formats::dns_zone::{self, ZoneOptions};
use portolan_core::formats::snippets::{self, Tool};
use portolan_core::formats::{mobileconfig, FormatError, Settings};
use portolan_core::lint;
use portolan_core::model::{AuthMethod, Candidate, Protocol, Role, Security, Source, UsernameForm};
use portolan_core::parse_input;

fn candidate(protocol: Protocol, host: &str, port: u16, security: Security) -> Candidate {
    Candidate {
        auth: vec![AuthMethod::PasswordCleartext],
        ..Candidate::new(protocol, host, port, security, Source::KnowledgeBase)
    }
}

/// The fixture: every kind of server, including a plain one that must never be written,
/// ranked by the engine exactly as the CLI does.
fn settings(address: &str) -> Settings {
    let candidates = vec![
        candidate(Protocol::Imap, "mail.example.com", 143, Security::Plain),
        candidate(Protocol::Imap, "mail.example.com", 143, Security::Starttls),
        candidate(Protocol::Imap, "mail.example.com", 993, Security::Tls),
        candidate(Protocol::Pop3, "pop.example.com", 995, Security::Tls),
        candidate(
            Protocol::Submission,
            "smtp.example.com",
            587,
            Security::Starttls,
        ),
        candidate(Protocol::Submission, "smtp.example.com", 465, Security::Tls),
    ];
    let recommendation = recommend(&EngineInput {
        candidates: &candidates,
        checks: &[],
        client: None,
        constraints: &Constraints::default(),
        policy: Policy::default(),
    });
    let mut settings = Settings::new(
        parse_input(address).unwrap(),
        recommendation.ordered(Role::Incoming),
        recommendation.ordered(Role::Outgoing),
    );
    settings.provider_name = Some("Example & Sons <Mail>".into());
    settings.real_name = Some("Jane \"JD\" Doe".into());
    settings.documentation = vec![(
        "https://example.com/help?a=1&b=2".into(),
        "Set-up help".into(),
    )];
    settings
}

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual, expected,
        "{name} differs from its golden file (UPDATE_GOLDEN=1 regenerates)"
    );
}

#[test]
fn autoconfig_golden_reparses_and_lints_clean() {
    let text = autoconfig::generate(&settings("example.com")).unwrap();
    golden("autoconfig.xml", &text);
    let config = autoconfig::parse(&text).unwrap();
    let provider = &config.providers[0];
    assert_eq!(provider.id.as_deref(), Some("example.com"));
    assert_eq!(provider.display_names[0].text, "Example & Sons <Mail>");
    assert_eq!(
        provider.incoming.len(),
        3,
        "the plain server must be left out"
    );
    assert!(provider
        .incoming
        .iter()
        .chain(&provider.outgoing)
        .all(|s| s.socket_type != SocketType::Plain
            && s.username.as_deref() == Some("%EMAILADDRESS%")));
    assert_eq!(provider.incoming[0].port(), Some(993));
    assert_eq!(provider.outgoing[0].port(), Some(465));
    assert_eq!(
        provider.documentation[0].url,
        "https://example.com/help?a=1&b=2"
    );
    let report = lint::lint(&text).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn autodiscover_golden_reparses_and_lints_clean() {
    let text = autodiscover::generate(&settings("jane.doe@example.com")).unwrap();
    golden("autodiscover.xml", &text);
    let AutodiscoverResponse::Account(account) = autodiscover::parse(&text).unwrap() else {
        panic!("not an account")
    };
    let types: Vec<&str> = account
        .protocols
        .iter()
        .map(|p| p.type_raw.as_str())
        .collect();
    assert_eq!(types, vec!["IMAP", "POP3", "SMTP"]);
    for p in &account.protocols {
        assert_eq!(p.spa.as_deref(), Some("off"));
        assert_eq!(p.login_name.as_deref(), Some("jane.doe@example.com"));
        if matches!(p.port(), Some(993 | 995 | 465)) {
            assert_eq!(p.encryption.as_deref(), Some("SSL"));
        }
    }
    let report = lint::lint(&text).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!(
        autodiscover::generate(&settings("example.com")),
        Err(FormatError::NeedsAddress)
    );
}

#[test]
fn mobileconfig_golden_reads_as_a_plist() {
    let text = mobileconfig::generate(&settings("jane.doe@example.com")).unwrap();
    golden("profile.mobileconfig", &text);
    assert_eq!(
        mobileconfig::CONTENT_TYPE,
        "application/x-apple-aspen-config"
    );
    let value = plist::Value::from_reader_xml(text.as_bytes()).unwrap();
    let root = value.as_dictionary().unwrap();
    assert_eq!(root["PayloadType"].as_string(), Some("Configuration"));
    let mail = root["PayloadContent"].as_array().unwrap()[0]
        .as_dictionary()
        .unwrap();
    assert_eq!(
        mail["PayloadType"].as_string(),
        Some("com.apple.mail.managed")
    );
    assert_eq!(
        mail["IncomingMailServerPortNumber"].as_unsigned_integer(),
        Some(993)
    );
    assert_eq!(
        mail["OutgoingMailServerPortNumber"].as_unsigned_integer(),
        Some(465)
    );
    assert_eq!(mail["IncomingMailServerUseSSL"].as_boolean(), Some(true));
    assert_eq!(
        mail["EmailAccountName"].as_string(),
        Some("Jane \"JD\" Doe")
    );
    assert_eq!(
        mail["EmailAddress"].as_string(),
        Some("jane.doe@example.com")
    );
    // Stable: the same input gives the same UUIDs; another address gives others.
    assert_eq!(
        text,
        mobileconfig::generate(&settings("jane.doe@example.com")).unwrap()
    );
    let other = mobileconfig::generate(&settings("john@example.com")).unwrap();
    let uuid = root["PayloadUUID"].as_string().unwrap();
    assert!(!other.contains(uuid));
}

#[test]
fn mobileconfig_for_a_bare_domain_leaves_the_user_to_the_device() {
    let text = mobileconfig::generate(&settings("example.com")).unwrap();
    let value = plist::Value::from_reader_xml(text.as_bytes()).unwrap();
    let root = value.as_dictionary().unwrap();
    let mail = root["PayloadContent"].as_array().unwrap()[0]
        .as_dictionary()
        .unwrap();
    assert!(!mail.contains_key("EmailAddress"));
    assert!(!mail.contains_key("IncomingMailServerUsername"));
    assert_eq!(
        mail["IncomingMailServerHostName"].as_string(),
        Some("mail.example.com")
    );
}

#[test]
fn dns_zone_golden_has_srv_records_and_not_offered_markers() {
    let text = dns_zone::generate(&settings("example.com"), &ZoneOptions::default()).unwrap();
    golden("zone.txt", &text);
    assert!(text.contains("_imaps._tcp.example.com. 3600 IN SRV 0 1 993 mail.example.com.\n"));
    assert!(text.contains("_imap._tcp.example.com. 3600 IN SRV 10 1 143 mail.example.com.\n"));
    assert!(text.contains("_pop3._tcp.example.com. 3600 IN SRV 0 0 0 ."));
    assert!(text.contains("_submissions._tcp.example.com. 3600 IN SRV 0 1 465 smtp.example.com.\n"));
    assert!(text.contains("autoconfig.example.com. 3600 IN CNAME example.com.\n"));
    assert!(text.contains(
        "_autodiscover._tcp.example.com. 3600 IN SRV 0 1 443 autodiscover.example.com.\n"
    ));
    let web = ZoneOptions {
        ttl: 300,
        web_host: Some("www.example.net".into()),
    };
    let text = dns_zone::generate(&settings("example.com"), &web).unwrap();
    assert!(text.contains("autodiscover.example.com. 300 IN CNAME www.example.net.\n"));
}

#[test]
fn snippets_golden_and_never_hold_a_password() {
    let mut s = settings("jane.doe@example.com");
    s.password_command = Some("pass show mail/jane".into());
    for tool in Tool::ALL {
        let text = snippets::generate(tool, &s).unwrap();
        golden(&format!("{}.txt", tool.name()), &text);
        let secret_source = if tool == Tool::Fetchmail {
            "~/.netrc"
        } else {
            "pass show mail/jane"
        };
        assert!(
            text.contains(secret_source),
            "{} does not say where the password comes from",
            tool.name()
        );
    }
    s.ca_file = Some("/tmp/ca.pem".into());
    for tool in Tool::ALL {
        let text = snippets::generate(tool, &s).unwrap();
        assert!(
            text.contains("/tmp/ca.pem"),
            "{} ignores the CA file",
            tool.name()
        );
    }
}

/// Asserts that every tool's snippet refuses the settings with [`FormatError::BadValue`].
fn assert_every_tool_refuses(tools: impl IntoIterator<Item = Tool>, s: &Settings, what: &str) {
    for tool in tools {
        assert!(
            matches!(
                snippets::generate(tool, s),
                Err(FormatError::BadValue { .. })
            ),
            "{} accepted {what}",
            tool.name()
        );
    }
}

#[test]
fn snippets_refuse_values_that_would_break_their_syntax() {
    // fetchmail runs no password command (it reads ~/.netrc), so it is not asked here.
    let mut s = settings("jane.doe@example.com");
    s.password_command = Some("pass show x\nhost evil.example".into());
    let but_fetchmail = Tool::ALL.into_iter().filter(|t| *t != Tool::Fetchmail);
    assert_every_tool_refuses(but_fetchmail, &s, "a newline");
    let mut s = settings("jane.doe@example.com");
    for candidate in s.incoming.iter_mut().chain(s.outgoing.iter_mut()) {
        candidate.username = UsernameForm::Other("jane\nauth off".into());
    }
    assert_every_tool_refuses(Tool::ALL, &s, "a newline in the user name");
    let mut s = settings("jane.doe@example.com");
    s.outgoing[0].host = "smtp.example.com\nauth off".into();
    assert!(snippets::generate(Tool::Msmtp, &s).is_err());
}

#[test]
fn instructions_golden_for_every_client() {
    let s = settings("jane.doe@example.com");
    let mut all = String::new();
    for client in clients::all() {
        let text = clients::instructions(client, &s).unwrap();
        assert!(
            !text.contains('{'),
            "{}: unfilled placeholder in\n{text}",
            client.id
        );
        all.push_str(&text);
        all.push_str("\n----\n\n");
    }
    golden("instructions.txt", &all);
}

#[test]
fn forbidden_xml_characters_are_rejected_with_a_clear_error() {
    let mut s = settings("jane.doe@example.com");
    s.provider_name = Some("Bad\u{0}Name".into());
    for result in [
        autoconfig::generate(&s),
        autodiscover::generate(&s),
        mobileconfig::generate(&{
            let mut t = s.clone();
            t.provider_name = None;
            t.real_name = Some("Bell\u{7}".into());
            t
        }),
    ] {
        let error = result.unwrap_err();
        assert!(
            matches!(error, FormatError::ForbiddenCharacter { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("XML 1.0 does not allow"));
    }
}
