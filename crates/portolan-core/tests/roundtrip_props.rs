//! Property tests: any display name, local part or domain (quotes, `<&>`, `</string>`,
//! Unicode) survives writing and re-reading autoconfig, Autodiscover and .mobileconfig (the
//! last read with the `plist` crate); any text with a character XML 1.0 forbids is refused.
#![cfg(not(target_arch = "wasm32"))]

use portolan_core::formats::autodiscover::{self, AutodiscoverResponse};
use portolan_core::formats::{autoconfig, mobileconfig, pacc, FormatError, Settings};
use portolan_core::model::{
    AuthMethod, Candidate, OfferedService, Protocol, Security, ServiceEndpoint, ServiceKind,
    Source, UsernameForm,
};
use portolan_core::parse_input;
use proptest::prelude::*;

fn candidate(protocol: Protocol, host: &str, port: u16) -> Candidate {
    Candidate {
        auth: vec![AuthMethod::PasswordCleartext],
        ..Candidate::new(protocol, host, port, Security::Tls, Source::Preset)
    }
}

fn settings(address: &str, name: &str) -> Option<Settings> {
    let input = parse_input(address).ok()?;
    let mut s = Settings::new(
        input,
        vec![candidate(Protocol::Imap, "imap.example.com", 993)],
        vec![candidate(Protocol::Submission, "smtp.example.com", 465)],
    );
    s.provider_name = Some(name.to_string());
    s.real_name = Some(name.to_string());
    Some(s)
}

/// Names: tricky markup fragments, quotes and Unicode, never starting or ending with white
/// space (readers trim element text).
fn name() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("</string>".to_string()),
        Just("<&>".to_string()),
        Just("\"'".to_string()),
        Just("]]>".to_string()),
        Just("&amp;".to_string()),
        Just("<!--".to_string()),
        "[a-zA-Z0-9 ]{1,4}",
        "[\u{e9}\u{df}\u{4e2d}\u{1f600}\u{202e}\u{fffd}]{1,3}",
        "[\t\n\r]",
    ];
    proptest::collection::vec(piece, 1..6).prop_map(|parts| format!("N{}N", parts.concat()))
}

fn local_part() -> impl Strategy<Value = String> {
    "[a-z0-9][a-z0-9!#$%&'*+/=?^_`{|}~-]{0,10}"
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,8}[a-z0-9]\\.(com|de|org)",
        "[a-z\u{e4}\u{f6}\u{fc}]{1,6}[a-z]\\.(de|at)",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn names_and_addresses_survive_every_xml_format(name in name(), local in local_part(), domain in domain()) {
        let address = format!("{local}@{domain}");
        let Some(s) = settings(&address, &name) else {
            return Err(TestCaseError::reject("the address parser refuses it"));
        };
        let ascii = s.input.address_ascii().unwrap();

        let text = autoconfig::generate(&s, autoconfig::Version::V1_1).unwrap();
        let config = autoconfig::parse(&text).unwrap();
        prop_assert_eq!(&config.providers[0].display_names[0].text, &name);
        prop_assert_eq!(config.providers[0].id.as_deref(), Some(s.input.domain.ascii.as_str()));

        let text = autodiscover::generate(&s).unwrap();
        let AutodiscoverResponse::Account(account) = autodiscover::parse(&text).unwrap() else {
            return Err(TestCaseError::fail("not an account"));
        };
        prop_assert_eq!(account.display_name.as_deref(), Some(name.as_str()));
        prop_assert_eq!(account.protocols[0].login_name.as_deref(), Some(ascii.as_str()));

        let text = mobileconfig::generate(&s).unwrap();
        let value = plist::Value::from_reader_xml(text.as_bytes()).unwrap();
        let root = value.as_dictionary().unwrap();
        let mail = root["PayloadContent"].as_array().unwrap()[0].as_dictionary().unwrap();
        prop_assert_eq!(mail["EmailAccountName"].as_string(), Some(name.as_str()));
        prop_assert_eq!(mail["EmailAddress"].as_string(), Some(ascii.as_str()));
        prop_assert_eq!(mail["IncomingMailServerUsername"].as_string(), Some(ascii.as_str()));
    }

    #[test]
    fn forbidden_characters_are_refused(prefix in "[a-z]{0,5}", bad in prop_oneof![
        (0u32..9).prop_map(|c| char::from_u32(c).unwrap()),
        (11u32..13).prop_map(|c| char::from_u32(c).unwrap()),
        (14u32..32).prop_map(|c| char::from_u32(c).unwrap()),
        Just('\u{FFFE}'),
        Just('\u{FFFF}'),
    ]) {
        let name = format!("{prefix}{bad}x");
        let s = settings("jane@example.com", &name).unwrap();
        for result in [autoconfig::generate(&s, autoconfig::Version::V1_1), autodiscover::generate(&s), mobileconfig::generate(&s)] {
            let error = result.unwrap_err();
            prop_assert!(matches!(error, FormatError::ForbiddenCharacter { code, .. } if code == u32::from(bad)), "{:?}", error);
        }
    }
}

/// One mail server: protocol, host label, port, implicit TLS or STARTTLS, methods.
fn mail_server(protocols: &'static [Protocol]) -> impl Strategy<Value = Candidate> {
    (
        proptest::sample::select(protocols),
        "[a-z][a-z0-9-]{0,6}",
        1u16..,
        any::<bool>(),
        proptest::sample::subsequence(
            vec![
                AuthMethod::Oauth2,
                AuthMethod::PasswordEncrypted,
                AuthMethod::PasswordCleartext,
                AuthMethod::Gssapi,
            ],
            0..3,
        ),
    )
        .prop_map(|(protocol, label, port, tls, auth)| Candidate {
            auth,
            ..Candidate::new(
                protocol,
                format!("{label}.example.com"),
                port,
                if tls {
                    Security::Tls
                } else {
                    Security::Starttls
                },
                Source::Preset,
            )
        })
}

/// One service autoconfig 1.2 writes: JMAP, CalDAV, CardDAV over HTTPS, ManageSieve.
fn writable_service() -> impl Strategy<Value = OfferedService> {
    (
        proptest::sample::select(vec![
            ServiceKind::Jmap,
            ServiceKind::Caldav,
            ServiceKind::Carddav,
            ServiceKind::Managesieve,
        ]),
        "[a-z][a-z0-9/._-]{0,12}",
        1u16..,
    )
        .prop_map(|(service, path, port)| OfferedService {
            service,
            endpoint: if service == ServiceKind::Managesieve {
                ServiceEndpoint::Host {
                    host: "sieve.example.com".into(),
                    port,
                    security: Security::Starttls,
                }
            } else {
                ServiceEndpoint::Url {
                    url: format!("https://dav.example.com/{path}"),
                }
            },
            username: Some(UsernameForm::EmailAddress),
            auth: vec![AuthMethod::PasswordCleartext],
            source: Source::Preset,
            trust: Vec::new(),
            found: String::new(),
        })
}

/// What a client reads back from a written server: the endpoint and the methods.
fn endpoint_and_auth(candidate: &Candidate) -> (Protocol, String, u16, Security, Vec<AuthMethod>) {
    (
        candidate.protocol,
        candidate.host.clone(),
        candidate.port,
        candidate.security,
        candidate.auth.clone(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Settings → autoconfig 1.2 → read back → the same servers, methods and services. OAuth2
    /// is written only with the provider's endpoints (or when it is all a server takes), and
    /// an empty list becomes password-cleartext, as the generator documents.
    #[test]
    fn autoconfig_1_2_round_trips_settings(
        incoming in proptest::collection::vec(mail_server(&[Protocol::Imap, Protocol::Pop3]), 1..4),
        outgoing in proptest::collection::vec(mail_server(&[Protocol::Submission]), 1..3),
        services in proptest::collection::vec(writable_service(), 0..5),
        with_endpoints in any::<bool>(),
    ) {
        let mut s = Settings::new(parse_input("example.com").unwrap(), incoming, outgoing);
        s.services = services;
        if with_endpoints {
            s.oauth2_endpoints = Some(autoconfig::OAuth2Endpoints {
                issuer: Some("login.example.com".into()),
                scope: Some("mail".into()),
                auth_url: Some("https://login.example.com/a".into()),
                token_url: Some("https://login.example.com/t".into()),
                client_id: None,
                client_secret: None,
            });
        }
        let text = autoconfig::generate(&s, autoconfig::Version::V1_2).unwrap();
        let config = autoconfig::parse(&text).unwrap();
        prop_assert_eq!(config.version.as_deref(), Some("1.2"));
        prop_assert_eq!(&config.oauth2, &s.oauth2_endpoints);
        let expected = |candidates: &[Candidate]| -> Vec<_> {
            candidates.iter().map(|c| {
                let mut auth: Vec<AuthMethod> = c.auth.iter().copied()
                    .filter(|m| with_endpoints || *m != AuthMethod::Oauth2).collect();
                // A server that takes only OAuth2 keeps it; an empty list means a password.
                if auth.is_empty() { auth = c.auth.clone(); }
                if auth.is_empty() { auth.push(AuthMethod::PasswordCleartext); }
                endpoint_and_auth(&Candidate { auth, ..c.clone() })
            }).collect()
        };
        let provider = &config.providers[0];
        let read = |servers: &[autoconfig::Server]| -> Vec<_> {
            servers.iter().filter_map(|server| server.to_candidate(Source::Autoconfig)).map(|c| endpoint_and_auth(&c)).collect()
        };
        prop_assert_eq!(read(&provider.incoming), expected(&s.incoming));
        prop_assert_eq!(read(&provider.outgoing), expected(&s.outgoing));
        let mut written: Vec<OfferedService> = provider.incoming.iter()
            .chain(config.sections.iter().map(|section| &section.server))
            .filter_map(|server| server.to_service(Source::Preset, ""))
            .collect();
        // One of each kind is written: the first the settings name.
        let mut wanted: Vec<OfferedService> = Vec::new();
        for service in &s.services {
            if !wanted.iter().any(|seen| seen.service == service.service) {
                wanted.push(service.clone());
            }
        }
        written.sort_by(|a, b| (a.service, &a.endpoint).cmp(&(b.service, &b.endpoint)));
        wanted.sort_by(|a, b| (a.service, &a.endpoint).cmp(&(b.service, &b.endpoint)));
        prop_assert_eq!(written, wanted);
        // What Portolan writes, Portolan's linter passes without an error.
        let report = portolan_core::lint::lint(&text).unwrap();
        prop_assert!(!report.has_errors(), "{:#?}", report.findings);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Settings → PACC document → read back → the first IMAP, POP3 and submission server with
    /// implicit TLS on the standard port, and the HTTPS services; the record written for the
    /// bytes verifies them, and the linter passes the pair without an error.
    #[test]
    fn pacc_round_trips_settings(
        incoming in proptest::collection::vec(mail_server(&[Protocol::Imap, Protocol::Pop3]), 1..4),
        outgoing in proptest::collection::vec(mail_server(&[Protocol::Submission]), 1..3),
        services in proptest::collection::vec(writable_service(), 0..5),
        standard_first in any::<bool>(),
    ) {
        let mut incoming = incoming;
        let mut outgoing = outgoing;
        if standard_first {
            incoming.insert(0, candidate(Protocol::Imap, "imap.example.com", 993));
            outgoing.insert(0, candidate(Protocol::Submission, "smtp.example.com", 465));
        }
        let mut s = Settings::new(parse_input("example.com").unwrap(), incoming, outgoing);
        s.services = services;
        let expressible = |protocol: Protocol, list: &[Candidate]| -> Option<String> {
            list.iter()
                .find(|c| c.protocol == protocol && c.security == Security::Tls && c.port == protocol.default_port(Security::Tls))
                .map(|c| c.host.clone())
        };
        let imap = expressible(Protocol::Imap, &s.incoming);
        let pop3 = expressible(Protocol::Pop3, &s.incoming);
        let submit = expressible(Protocol::Submission, &s.outgoing);
        let written = pacc::generate(&s);
        if (imap.is_none() && pop3.is_none()) || submit.is_none() {
            prop_assert!(matches!(written, Err(FormatError::NoServer(_))));
            return Ok(());
        }
        let text = written.unwrap();
        let document = pacc::parse_document(&text).unwrap();
        prop_assert_eq!(document.protocols.imap.as_ref().map(|s| s.host.clone()), imap);
        prop_assert_eq!(document.protocols.pop3.as_ref().map(|s| s.host.clone()), pop3);
        prop_assert_eq!(document.submission().map(|s| s.host.clone()), submit);
        let mut read: Vec<(ServiceKind, String)> = [
            (ServiceKind::Jmap, &document.protocols.jmap),
            (ServiceKind::Caldav, &document.protocols.caldav),
            (ServiceKind::Carddav, &document.protocols.carddav),
        ].into_iter().filter_map(|(kind, server)| Some((kind, server.as_ref()?.url.clone()))).collect();
        let mut wanted: Vec<(ServiceKind, String)> = Vec::new();
        for service in &s.services {
            if let ServiceEndpoint::Url { url } = &service.endpoint {
                if service.service != ServiceKind::Managesieve && !wanted.iter().any(|(k, _)| *k == service.service) {
                    wanted.push((service.service, url.clone()));
                }
            }
        }
        read.sort();
        wanted.sort();
        prop_assert_eq!(read, wanted);
        let record = pacc::txt_value(&text);
        prop_assert_eq!(pacc::verify(text.as_bytes(), std::slice::from_ref(&record)), pacc::Verification::Matched);
        let report = portolan_core::lint::lint_with_records(&text, &[record]).unwrap();
        prop_assert!(!report.has_errors(), "{:#?}", report.findings);
    }
}
