//! Tests of the autoconfig reader and writer: a real-shaped 1.1 file, every 1.2 element, and
//! the generator in both versions.

use super::*;
use crate::address::parse_input;
use crate::formats::{FormatError, Settings};
use crate::model::UsernameForm;

const SAMPLE: &str = r#"<?xml version="1.0"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
<domain>example.com</domain>
<domain>example.net</domain>
<displayName>Example &amp; Co</displayName>
<displayName lang="de">Beispiel</displayName>
<displayShortName>Example</displayShortName>
<incomingServer type="imap">
  <hostname>imap.example.com</hostname>
  <port>993</port>
  <socketType>SSL</socketType>
  <username>%EMAILADDRESS%</username>
  <authentication>OAuth2</authentication>
  <authentication>password-cleartext</authentication>
</incomingServer>
<incomingServer type="pop3">
  <hostname>pop.example.com</hostname>
  <port>110</port>
  <socketType>plain</socketType>
  <username>%EMAILLOCALPART%</username>
  <authentication>password-cleartext</authentication>
  <pop3><leaveMessagesOnServer>true</leaveMessagesOnServer></pop3>
</incomingServer>
<outgoingServer type="smtp">
  <hostname>smtp.example.com</hostname>
  <port>465</port>
  <socketType>SSL</socketType>
  <username>%EMAILADDRESS%</username>
  <authentication>password-cleartext</authentication>
</outgoingServer>
<documentation url="https://example.com/help">
  <descr lang="en">Setup help</descr>
</documentation>
  </emailProvider>
</clientConfig>"#;

#[test]
fn parses_every_part_of_a_real_shaped_file() {
    let config = parse(SAMPLE).unwrap();
    assert_eq!(config.version.as_deref(), Some("1.1"));
    let provider = &config.providers[0];
    assert_eq!(provider.id.as_deref(), Some("example.com"));
    assert_eq!(provider.domains, vec!["example.com", "example.net"]);
    assert_eq!(provider.display_names[0].text, "Example & Co");
    assert_eq!(provider.display_names[1].lang.as_deref(), Some("de"));
    assert_eq!(provider.incoming.len(), 2);
    let imap = &provider.incoming[0];
    assert_eq!(imap.server_type, ServerType::Imap);
    assert_eq!(imap.port(), Some(993));
    assert_eq!(imap.socket_type, SocketType::Ssl);
    assert_eq!(
        imap.authentication,
        vec![
            Authentication::named("OAuth2"),
            Authentication::named("password-cleartext")
        ]
    );
    assert_eq!(
        imap.auth_methods(),
        vec![AuthMethod::Oauth2, AuthMethod::PasswordCleartext]
    );
    let pop = &provider.incoming[1];
    assert_eq!(pop.socket_type, SocketType::Plain);
    assert_eq!(pop.socket_type_raw.as_deref(), Some("plain"));
    assert_eq!(provider.documentation[0].url, "https://example.com/help");
    assert_eq!(provider.documentation[0].descriptions[0].text, "Setup help");
}

#[test]
fn enable_instructions_and_oauth2_endpoints_are_read_and_written_back() {
    let text = r#"<clientConfig version="1.1">
  <emailProvider id="example.com">
<domain>example.com</domain>
<enable visiturl="https://example.com/settings">
  <instruction>Turn on IMAP in the settings</instruction>
  <instruction lang="de">IMAP einschalten</instruction>
</enable>
  </emailProvider>
  <oAuth2>
<issuer>login.example.com</issuer>
<scope>mail offline</scope>
<authURL>https://login.example.com/auth</authURL>
<tokenURL>https://login.example.com/token</tokenURL>
  </oAuth2>
</clientConfig>"#;
    let config = parse(text).unwrap();
    let enable = &config.providers[0].enable[0];
    assert_eq!(
        enable.visit_url.as_deref(),
        Some("https://example.com/settings")
    );
    assert_eq!(enable.instructions[0].text, "Turn on IMAP in the settings");
    assert_eq!(enable.instructions[1].lang.as_deref(), Some("de"));
    let oauth2 = config.oauth2.clone().unwrap();
    assert_eq!(oauth2.issuer.as_deref(), Some("login.example.com"));
    assert_eq!(oauth2.scope.as_deref(), Some("mail offline"));
    assert_eq!(
        oauth2.token_url.as_deref(),
        Some("https://login.example.com/token")
    );
    assert_eq!(parse(&write(&config).unwrap()).unwrap(), config);
}

#[test]
fn servers_become_candidates() {
    let config = parse(SAMPLE).unwrap();
    let provider = &config.providers[0];
    let imap = provider.incoming[0]
        .to_candidate(Source::Autoconfig)
        .unwrap();
    assert_eq!(imap.protocol, Protocol::Imap);
    assert_eq!(imap.security, Security::Tls);
    assert_eq!(imap.username, UsernameForm::EmailAddress);
    let pop = provider.incoming[1]
        .to_candidate(Source::Autoconfig)
        .unwrap();
    assert_eq!(pop.username, UsernameForm::LocalPart);
    assert_eq!(pop.security, Security::Plain);
    let smtp = provider.outgoing[0]
        .to_candidate(Source::Autoconfig)
        .unwrap();
    assert_eq!((smtp.protocol, smtp.port), (Protocol::Submission, 465));
}

#[test]
fn placeholders_are_substituted() {
    let input = parse_input("jane.doe@Example.com").unwrap();
    assert_eq!(
        substitute_placeholders("%EMAILLOCALPART%+x@%EMAILDOMAIN% / %EMAILADDRESS%", &input),
        "jane.doe+x@example.com / jane.doe@example.com"
    );
    let bare = parse_input("example.com").unwrap();
    assert_eq!(
        substitute_placeholders("%EMAILADDRESS%@%EMAILDOMAIN%", &bare),
        "%EMAILADDRESS%@example.com"
    );
}

#[test]
fn write_then_parse_is_identity() {
    let config = parse(SAMPLE).unwrap();
    let text = write(&config).unwrap();
    assert_eq!(parse(&text).unwrap(), config);
}

#[test]
fn wrong_root_and_broken_xml_are_errors() {
    assert!(matches!(
        parse("<Autodiscover/>"),
        Err(FormatError::WrongRoot { .. })
    ));
    assert!(matches!(parse("<clientConfig>"), Err(FormatError::Xml(_))));
}

/// A 1.2 file with every element the draft defines, and one it does not.
const VERSION_1_2: &str = r#"<?xml version="1.0"?>
<clientConfig version="1.2">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <domain purpose="mx">mx.example-hosting.net</domain>
    <domain purpose="billing">pay.example.com</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="jmap">
      <url>https://jmap.example.com/.well-known/jmap</url>
      <authentication>OAuth2</authentication>
      <authentication system="http">Basic</authentication>
      <username>%EMAILADDRESS%</username>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.example.com</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <authentication system="sasl">SCRAM-SHA-256-PLUS</authentication>
      <authentication>OAuth</authentication>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
      <futureElement kind="x">ignored</futureElement>
    </incomingServer>
    <incomingServer type="ews"><url>https://mail.example.com/EWS/Exchange.asmx</url></incomingServer>
    <incomingServer type="activesync"><url>https://mail.example.com/Microsoft-Server-ActiveSync</url></incomingServer>
    <incomingServer type="graph"><url>https://graph.microsoft.com/v1.0</url></incomingServer>
    <outgoingServer type="smtp">
      <hostname>smtp.example.com</hostname>
      <port>465</port>
      <socketType>SSL</socketType>
      <authentication>password-cleartext</authentication>
      <username>%EMAILADDRESS%</username>
    </outgoingServer>
  </emailProvider>
  <addressBook type="carddav">
    <url>https://dav.example.com/carddav/</url>
    <authentication system="http">Basic</authentication>
    <username>%EMAILADDRESS%</username>
  </addressBook>
  <calendar type="caldav">
    <url>https://dav.example.com/caldav/</url>
    <authentication system="http">Digest</authentication>
    <username>%EMAILLOCALPART%</username>
  </calendar>
  <setupServer type="managesieve">
    <hostname>sieve.example.com</hostname>
    <port>4190</port>
    <socketType>STARTTLS</socketType>
    <username>%EMAILADDRESS%</username>
  </setupServer>
  <oAuth2>
    <authURL>https://login.example.com/auth</authURL>
    <tokenURL>https://login.example.com/token</tokenURL>
    <issuer>login.example.com</issuer>
    <scope>IMAP SMTP CalDAV CardDAV offline_access</scope>
    <clientID>open</clientID>
  </oAuth2>
  <clientConfigUpdate url="https://example.com/config/mail.xml"/>
  <unknownFutureSection type="x"/>
</clientConfig>"#;

#[test]
fn a_1_2_file_is_read_element_by_element() {
    let config = parse(VERSION_1_2).unwrap();
    assert_eq!(config.version.as_deref(), Some("1.2"));
    let provider = &config.providers[0];
    assert_eq!(provider.domains, ["example.com"]);
    assert_eq!(provider.mx_domains, ["mx.example-hosting.net"]);
    assert_eq!(
        provider.other_purpose_domains,
        [("billing".to_owned(), "pay.example.com".to_owned())]
    );
    let types: Vec<ServerType> = provider.incoming.iter().map(|s| s.server_type).collect();
    assert_eq!(
        types,
        [
            ServerType::Jmap,
            ServerType::Imap,
            ServerType::Ews,
            ServerType::ActiveSync,
            ServerType::Graph
        ]
    );
    let jmap = &provider.incoming[0];
    assert_eq!(
        jmap.url.as_deref(),
        Some("https://jmap.example.com/.well-known/jmap")
    );
    assert_eq!(jmap.authentication[1].system(), AuthSystem::Http);
    assert_eq!(
        jmap.auth_methods(),
        [AuthMethod::Oauth2, AuthMethod::PasswordCleartext]
    );
    // The SASL mechanism, the `OAuth` spelling and the generic fallback, in the file's order.
    let imap = &provider.incoming[1];
    assert_eq!(imap.authentication[0].system(), AuthSystem::Sasl);
    assert_eq!(
        imap.auth_methods(),
        [
            AuthMethod::PasswordEncrypted,
            AuthMethod::Oauth2,
            AuthMethod::PasswordCleartext
        ]
    );
    assert!(imap.to_candidate(Source::Autoconfig).is_some());
    assert!(jmap.to_candidate(Source::Autoconfig).is_none());
    let sections: Vec<(SectionElement, ServerType)> = config
        .sections
        .iter()
        .map(|section| (section.element, section.server.server_type))
        .collect();
    assert_eq!(
        sections,
        [
            (SectionElement::Addressbook, ServerType::CardDav),
            (SectionElement::Calendar, ServerType::CalDav),
            (SectionElement::SetupServer, ServerType::ManageSieve)
        ]
    );
    let oauth2 = config.oauth2.clone().unwrap();
    assert_eq!(oauth2.client_id.as_deref(), Some("open"));
    assert_eq!(oauth2.client_secret, None);
    assert_eq!(
        config.update_url.as_deref(),
        Some("https://example.com/config/mail.xml")
    );
}

#[test]
fn sections_of_1_2_become_offered_services() {
    let config = parse(VERSION_1_2).unwrap();
    let services: Vec<OfferedService> = config.providers[0]
        .incoming
        .iter()
        .chain(config.sections.iter().map(|section| &section.server))
        .filter_map(|server| server.to_service(Source::Autoconfig, "the autoconfig file"))
        .collect();
    let kinds: Vec<ServiceKind> = services.iter().map(|s| s.service).collect();
    assert_eq!(
        kinds,
        [
            ServiceKind::Jmap,
            ServiceKind::Ews,
            ServiceKind::ActiveSync,
            ServiceKind::Graph,
            ServiceKind::Carddav,
            ServiceKind::Caldav,
            ServiceKind::Managesieve
        ]
    );
    assert_eq!(
        services[5].endpoint,
        ServiceEndpoint::Url {
            url: "https://dav.example.com/caldav/".into()
        }
    );
    assert_eq!(services[5].username, Some(UsernameForm::LocalPart));
    assert_eq!(services[5].auth, [AuthMethod::PasswordEncrypted]);
    assert_eq!(
        services[6].endpoint,
        ServiceEndpoint::Host {
            host: "sieve.example.com".into(),
            port: 4190,
            security: Security::Starttls
        }
    );
}

#[test]
fn a_1_2_file_is_written_back_to_the_same_model() {
    let config = parse(VERSION_1_2).unwrap();
    let text = write(&config).unwrap();
    assert!(text.contains(r#"<domain purpose="mx">mx.example-hosting.net</domain>"#));
    assert!(text.contains(r#"<authentication system="sasl">SCRAM-SHA-256-PLUS</authentication>"#));
    assert_eq!(parse(&text).unwrap(), config);
}

#[test]
fn versions_and_section_names_are_read_leniently() {
    assert_eq!(Version::from_name(" 1.2"), Some(Version::V1_2));
    assert_eq!(Version::from_name("2.0"), None);
    assert_eq!(
        SectionElement::from_name("addressBook"),
        Some(SectionElement::Addressbook)
    );
    assert_eq!(ServerType::from_raw("ActiveSync"), ServerType::ActiveSync);
    assert_eq!(ServerType::from_raw("gopher"), ServerType::Other);
    // A version Portolan does not know is still read.
    let future = VERSION_1_2.replace(r#"version="1.2""#, r#"version="7.0""#);
    assert_eq!(parse(&future).unwrap().providers[0].incoming.len(), 5);
}

fn settings_with_services() -> Settings {
    let input = parse_input("example.com").unwrap();
    let imap = Candidate {
        auth: vec![AuthMethod::Oauth2, AuthMethod::PasswordCleartext],
        ..Candidate::new(
            Protocol::Imap,
            "imap.example.com",
            993,
            Security::Tls,
            Source::Srv,
        )
    };
    let smtp = Candidate::new(
        Protocol::Submission,
        "smtp.example.com",
        465,
        Security::Tls,
        Source::Srv,
    );
    let mut settings = Settings::new(input, vec![imap], vec![smtp]);
    let service = |service, endpoint| OfferedService {
        service,
        endpoint,
        username: None,
        auth: Vec::new(),
        source: Source::Srv,
        trust: Vec::new(),
        found: String::new(),
    };
    settings.services = vec![
        service(
            ServiceKind::Jmap,
            ServiceEndpoint::Url {
                url: "https://jmap.example.com/.well-known/jmap".into(),
            },
        ),
        service(
            ServiceKind::Caldav,
            ServiceEndpoint::Url {
                url: "https://dav.example.com/cal/".into(),
            },
        ),
        service(
            ServiceKind::Carddav,
            ServiceEndpoint::Url {
                url: "http://dav.example.com/card/".into(),
            },
        ),
    ];
    settings
}

#[test]
fn version_1_1_is_the_default_and_carries_no_1_2_content() {
    let settings = settings_with_services();
    let text = generate(&settings, Version::default()).unwrap();
    assert!(text.contains(r#"<clientConfig version="1.1">"#));
    assert!(!text.contains("jmap") && !text.contains("<calendar"));
    // Thunderbird's own OAuth2 table serves 1.1 files, so the method stays.
    assert!(text.contains("<authentication>OAuth2</authentication>"));
}

#[test]
fn version_1_2_writes_services_and_names_oauth2_only_with_its_endpoints() {
    let mut settings = settings_with_services();
    let without = parse(&generate(&settings, Version::V1_2).unwrap()).unwrap();
    assert_eq!(without.version.as_deref(), Some("1.2"));
    let imap = &without.providers[0].incoming[0];
    assert_eq!(imap.auth_methods(), [AuthMethod::PasswordCleartext]);
    // JMAP after IMAP; CalDAV over HTTPS written; CardDAV over plain HTTP left out.
    assert_eq!(
        without.providers[0].incoming[1].server_type,
        ServerType::Jmap
    );
    assert_eq!(without.sections.len(), 1);
    assert_eq!(without.sections[0].element, SectionElement::Calendar);

    settings.oauth2_endpoints = Some(OAuth2Endpoints {
        issuer: Some("login.example.com".into()),
        scope: Some("mail".into()),
        auth_url: Some("https://login.example.com/auth".into()),
        token_url: Some("https://login.example.com/token".into()),
        client_id: None,
        client_secret: None,
    });
    let with = parse(&generate(&settings, Version::V1_2).unwrap()).unwrap();
    assert_eq!(
        with.providers[0].incoming[0].auth_methods(),
        [AuthMethod::Oauth2, AuthMethod::PasswordCleartext]
    );
    assert_eq!(with.oauth2, settings.oauth2_endpoints);
}
