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
use portolan_core::formats::{mobileconfig, FormatError, OAuth2, OAuth2Mechanism, Settings};
use portolan_core::lint;
use portolan_core::model::{
    AuthMethod, Candidate, OfferedService, Protocol, Role, Security, ServiceEndpoint, ServiceKind,
    Source, UsernameForm,
};
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
    let text = autoconfig::generate(&settings("example.com"), autoconfig::Version::V1_1).unwrap();
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

/// The fixture's settings with CalDAV and CardDAV found for the account.
fn settings_with_dav(address: &str) -> Settings {
    let mut s = settings(address);
    let dav = |service, url: &str, username| OfferedService {
        service,
        endpoint: ServiceEndpoint::Url { url: url.into() },
        username,
        auth: Vec::new(),
        source: Source::Srv,
        trust: Vec::new(),
        found: String::new(),
    };
    s.services = vec![
        dav(
            ServiceKind::Jmap,
            "https://jmap.example.com/.well-known/jmap",
            None,
        ),
        dav(
            ServiceKind::Caldav,
            "https://dav.example.com:8443/cal/users/",
            Some(UsernameForm::LocalPart),
        ),
        // Plain HTTP is never written; the HTTPS one after it is.
        dav(ServiceKind::Carddav, "http://dav.example.com/card/", None),
        dav(
            ServiceKind::Carddav,
            "https://dav.example.com/.well-known/carddav",
            None,
        ),
    ];
    s
}

#[test]
fn mobileconfig_carries_caldav_and_carddav_payloads_a_plist_reader_accepts() {
    let text = mobileconfig::generate(&settings_with_dav("jane.doe@example.com")).unwrap();
    let value = plist::Value::from_reader_xml(text.as_bytes()).unwrap();
    let payloads = value.as_dictionary().unwrap()["PayloadContent"]
        .as_array()
        .unwrap();
    let types: Vec<&str> = payloads
        .iter()
        .map(|p| {
            p.as_dictionary().unwrap()["PayloadType"]
                .as_string()
                .unwrap()
        })
        .collect();
    assert_eq!(
        types,
        [
            "com.apple.mail.managed",
            "com.apple.caldav.account",
            "com.apple.carddav.account"
        ]
    );
    let caldav = payloads[1].as_dictionary().unwrap();
    assert_eq!(
        caldav["CalDAVHostName"].as_string(),
        Some("dav.example.com")
    );
    assert_eq!(caldav["CalDAVPort"].as_unsigned_integer(), Some(8443));
    assert_eq!(
        caldav["CalDAVPrincipalURL"].as_string(),
        Some("https://dav.example.com:8443/cal/users/")
    );
    assert_eq!(caldav["CalDAVUseSSL"].as_boolean(), Some(true));
    assert_eq!(caldav["CalDAVUsername"].as_string(), Some("jane.doe"));
    let carddav = payloads[2].as_dictionary().unwrap();
    assert_eq!(carddav["CardDAVPort"].as_unsigned_integer(), Some(443));
    // A well-known URL is left to the device (RFC 6764 §5).
    assert!(!carddav.contains_key("CardDAVPrincipalURL"));
    assert_eq!(
        carddav["CardDAVUsername"].as_string(),
        Some("jane.doe@example.com")
    );
    let uuids: std::collections::BTreeSet<&str> = payloads
        .iter()
        .map(|p| {
            p.as_dictionary().unwrap()["PayloadUUID"]
                .as_string()
                .unwrap()
        })
        .collect();
    assert_eq!(uuids.len(), 3, "every payload has its own UUID");
}

#[test]
fn zone_lines_publish_jmap_caldav_and_carddav_with_their_paths() {
    let text =
        dns_zone::generate(&settings_with_dav("example.com"), &ZoneOptions::default()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("dav") || line.contains("jmap"))
        .collect();
    assert_eq!(
        lines,
        [
            "_jmap._tcp.example.com. 3600 IN SRV 0 1 443 jmap.example.com.",
            "_caldavs._tcp.example.com. 3600 IN SRV 0 1 8443 dav.example.com.",
            "_caldavs._tcp.example.com. 3600 IN TXT \"path=/cal/users/\"",
            "_caldav._tcp.example.com. 3600 IN SRV 0 0 0 .  ; not offered without TLS",
            "_carddavs._tcp.example.com. 3600 IN SRV 0 1 443 dav.example.com.",
            "_carddav._tcp.example.com. 3600 IN SRV 0 0 0 .  ; not offered without TLS",
        ]
    );
    // Without services, the zone is what it always was.
    assert!(
        !dns_zone::generate(&settings("example.com"), &ZoneOptions::default())
            .unwrap()
            .contains("_caldavs")
    );
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

/// The fixture in OAuth2 mode, with `mechanism` and the given token command (or the
/// placeholder).
fn oauth2_settings(mechanism: OAuth2Mechanism, token_command: Option<&str>) -> Settings {
    let mut s = settings("jane.doe@example.com");
    s.password_command = Some("pass show mail/jane".into());
    s.oauth2 = Some(OAuth2 {
        token_command: token_command.map(str::to_string),
        mechanism,
    });
    s
}

#[test]
fn oauth2_snippets_golden_with_the_placeholder_token_command() {
    let s = oauth2_settings(OAuth2Mechanism::default(), None);
    for tool in Tool::ALL {
        let text = snippets::generate(tool, &s).unwrap();
        golden(&format!("{}-oauth2.txt", tool.name()), &text);
        assert!(
            text.contains("oama access jane.doe@example.com"),
            "{}: the placeholder token command is missing:\n{text}",
            tool.name()
        );
        assert!(
            text.contains("# That command is a placeholder"),
            "{}: the placeholder is not called one:\n{text}",
            tool.name()
        );
    }
}

/// What each tool's OAuth2 snippet must say for each mechanism asked for: the tool's own
/// setting names, from its manual.
fn oauth2_lines(tool: Tool, mechanism: OAuth2Mechanism) -> &'static [&'static str] {
    use OAuth2Mechanism::{OAuthBearer, XOAuth2};
    match (tool, mechanism) {
        (Tool::Msmtp, OAuthBearer) => &["auth oauthbearer\n", "passwordeval \"get-token\"\n"],
        (Tool::Msmtp, XOAuth2) => &["auth xoauth2\n", "passwordeval \"get-token\"\n"],
        (Tool::Aerc, OAuthBearer) => &[
            "source = imaps+oauthbearer://jane.doe%40example.com@mail.example.com:993\n",
            "source-cred-cmd = get-token\n",
            "outgoing = smtps+oauthbearer://jane.doe%40example.com@smtp.example.com:465\n",
            "outgoing-cred-cmd = get-token\n",
            "outgoing-cred-cmd-cache = false\n",
        ],
        (Tool::Aerc, XOAuth2) => &[
            "source = imaps+xoauth2://jane.doe%40example.com@mail.example.com:993\n",
            "outgoing = smtps+xoauth2://jane.doe%40example.com@smtp.example.com:465\n",
        ],
        (Tool::Mbsync, _) => &["PassCmd \"get-token\"\n", "AuthMechs XOAUTH2\n"],
        (Tool::Neomutt, OAuthBearer) => &[
            "set imap_authenticators = \"oauthbearer:xoauth2\"\n",
            "set imap_oauth_refresh_command = \"get-token\"\n",
            "set smtp_authenticators = \"oauthbearer:xoauth2\"\n",
            "set smtp_oauth_refresh_command = \"get-token\"\n",
        ],
        (Tool::Neomutt, XOAuth2) => &[
            "set imap_authenticators = \"xoauth2:oauthbearer\"\n",
            "set smtp_authenticators = \"xoauth2:oauthbearer\"\n",
        ],
        (Tool::Offlineimap, _) => &[
            "auth_mechanisms = XOAUTH2\n",
            "oauth2_access_token_eval = __import__('subprocess').run('get-token', shell=True",
        ],
        (Tool::Fetchmail, _) => &[
            "poll mail.example.com protocol IMAP port 993\n    auth oauthbearer\n",
            "password <what get-token prints>\n",
        ],
    }
}

#[test]
fn oauth2_snippets_use_each_tools_own_mechanism_and_never_ask_for_a_password() {
    for mechanism in OAuth2Mechanism::ALL {
        let s = oauth2_settings(mechanism, Some("get-token"));
        for tool in Tool::ALL {
            let text = snippets::generate(tool, &s).unwrap();
            let name = tool.name();
            for line in oauth2_lines(tool, mechanism) {
                assert!(
                    text.contains(line),
                    "{name} ({mechanism:?}) lacks {line:?}:\n{text}"
                );
            }
            assert!(text.contains("Sign-in is OAuth2"), "{name}:\n{text}");
            assert!(!text.contains("placeholder"), "{name}:\n{text}");
            // The password command and every password setting are gone.
            for never in ["pass show", "_pass = ", "remotepass", "The password"] {
                assert!(!text.contains(never), "{name} still has {never:?}:\n{text}");
            }
            // No comment tells the user to type or keep a password; only fetchmail's says
            // that the token goes where its password would.
            for comment in text.lines().filter(|line| line.starts_with('#')) {
                let allowed = tool == Tool::Fetchmail
                    && (comment.contains("access token where it takes a password")
                        || comment.contains("password <what get-token prints>"));
                assert!(
                    allowed || !comment.to_lowercase().contains("password"),
                    "{name}: a comment speaks of a password: {comment:?}"
                );
            }
        }
    }
}

#[test]
fn oauth2_snippets_handle_pop3_starttls_and_odd_commands() {
    // POP3 preferred: NeoMutt signs in to POP3 with OAUTHBEARER (it has no XOAUTH2 there);
    // fetchmail's OAuth2 is IMAP only, so it keeps to IMAP.
    let mut s = oauth2_settings(OAuth2Mechanism::XOAuth2, Some("get-token"));
    let pop3 = s
        .incoming
        .iter()
        .position(|c| c.protocol == Protocol::Pop3)
        .unwrap();
    let first = s.incoming.remove(pop3);
    s.incoming.insert(0, first);
    let neomutt = snippets::generate(Tool::Neomutt, &s).unwrap();
    assert!(
        neomutt.contains("set pop_authenticators = \"oauthbearer\"\nset pop_oauth_refresh_command = \"get-token\"\n"),
        "{neomutt}"
    );
    let fetchmail = snippets::generate(Tool::Fetchmail, &s).unwrap();
    assert!(fetchmail.contains("protocol IMAP"), "{fetchmail}");

    // STARTTLS servers: the mechanism goes on the plain scheme (aerc's imap+xoauth2://).
    let mut s = oauth2_settings(OAuth2Mechanism::XOAuth2, Some("get-token"));
    s.incoming.retain(|c| c.security == Security::Starttls);
    s.outgoing.retain(|c| c.security == Security::Starttls);
    let aerc = snippets::generate(Tool::Aerc, &s).unwrap();
    assert!(
        aerc.contains("source = imap+xoauth2://jane.doe%40example.com@mail.example.com:143\n"),
        "{aerc}"
    );
    assert!(
        aerc.contains("outgoing = smtp+xoauth2://jane.doe%40example.com@smtp.example.com:587\n"),
        "{aerc}"
    );

    // NeoMutt runs the token command itself, so quotes, backticks and `$` are escaped, not
    // refused (its password command has to fit inside "`...`").
    let s = oauth2_settings(
        OAuth2Mechanism::OAuthBearer,
        Some("helper --user \"$USER\" `x`"),
    );
    let neomutt = snippets::generate(Tool::Neomutt, &s).unwrap();
    assert!(
        neomutt.contains(
            "set imap_oauth_refresh_command = \"helper --user \\\"\\$USER\\\" \\`x\\`\"\n"
        ),
        "{neomutt}"
    );

    // A line break in the token command is refused by every tool, fetchmail included (its
    // header quotes the command).
    let s = oauth2_settings(OAuth2Mechanism::OAuthBearer, Some("get-token\nauth off"));
    assert_every_tool_refuses(Tool::ALL, &s, "a newline in the token command");
}

#[test]
fn without_oauth2_the_snippets_are_the_password_ones() {
    // The default leaves OAuth2 off, and off gives exactly the password snippets (their
    // golden files, byte for byte, in `snippets_golden_and_never_hold_a_password`).
    let mut s = settings("jane.doe@example.com");
    assert_eq!(s.oauth2, None);
    s.password_command = Some("pass show mail/jane".into());
    let mut with = s.clone();
    with.oauth2 = Some(OAuth2::default());
    for tool in Tool::ALL {
        let password = snippets::generate(tool, &s).unwrap();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/golden")
            .join(format!("{}.txt", tool.name()));
        assert_eq!(
            password,
            std::fs::read_to_string(path).unwrap(),
            "{}",
            tool.name()
        );
        assert_ne!(
            password,
            snippets::generate(tool, &with).unwrap(),
            "{}",
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
fn marked_steps_are_the_plain_steps_with_every_value_marked() {
    let s = settings("jane.doe@example.com");
    for client in clients::all() {
        let text = clients::instructions(client, &s).unwrap();
        let steps = clients::marked_steps(client, &s).unwrap();
        assert_eq!(steps.len(), client.steps().len(), "{}", client.id);
        for (number, (step, template)) in steps.iter().zip(client.steps()).enumerate() {
            let plain: String = step
                .chars()
                .filter(|c| *c != clients::TOKEN_START && *c != clients::TOKEN_END)
                .collect();
            assert!(
                text.contains(&format!("{}. {plain}\n", number + 1)),
                "{}: step {} differs from the plain text",
                client.id,
                number + 1
            );
            // One marked value per placeholder in the step's template, each well formed.
            assert_eq!(
                step.matches(clients::TOKEN_START).count(),
                template.matches('{').count(),
                "{}: {step}",
                client.id
            );
            assert_eq!(
                step.matches(clients::TOKEN_START).count(),
                step.matches(clients::TOKEN_END).count()
            );
        }
    }
    let thunderbird = clients::by_id("thunderbird").unwrap();
    let steps = clients::marked_steps(thunderbird, &s).unwrap();
    assert!(
        steps
            .iter()
            .any(|step| step.contains("\u{E000}mail.example.com\u{E001}")),
        "{steps:?}"
    );
}

#[test]
fn forbidden_xml_characters_are_rejected_with_a_clear_error() {
    let mut s = settings("jane.doe@example.com");
    s.provider_name = Some("Bad\u{0}Name".into());
    for result in [
        autoconfig::generate(&s, autoconfig::Version::V1_1),
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
