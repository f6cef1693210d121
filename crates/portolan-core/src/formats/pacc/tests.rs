//! Tests of the PACC reader, the TXT record, the digest check and the writer.

use super::*;
use crate::address::parse_input;

const FULL: &str = include_str!("fixtures/full.json");

#[test]
fn a_full_document_is_read_and_unknown_keys_are_ignored() {
    let document = parse_document(FULL).unwrap();
    assert_eq!(
        document.protocols.imap.as_ref().unwrap().host,
        "imap.example.com"
    );
    assert_eq!(document.submission().unwrap().host, "smtp.example.com");
    assert_eq!(
        document.protocols.unknown.keys().collect::<Vec<_>>(),
        ["future-protocol"]
    );
    let auth = document.authentication.clone().unwrap();
    assert_eq!(
        auth.oauth_public.unwrap().issuer,
        "https://auth.example.com/"
    );
    assert_eq!(
        document.info.provider.short_name.as_deref(),
        Some("Example")
    );
    assert_eq!(document.info.provider.logo[1].width, Some(128));
    assert_eq!(
        document.info.help.as_ref().unwrap().contact,
        ["mailto:it@example.com"]
    );
    let candidates: Vec<String> = document
        .candidates()
        .iter()
        .map(|c| format!("{} {}:{} {:?}", c.protocol.label(), c.host, c.port, c.auth))
        .collect();
    assert_eq!(
        candidates,
        [
            "IMAP imap.example.com:993 [Oauth2, PasswordCleartext]",
            "POP3 pop3.example.com:995 [Oauth2, PasswordCleartext]",
            "SMTP smtp.example.com:465 [Oauth2, PasswordCleartext]",
        ]
    );
    let services: Vec<ServiceKind> = document.services("x").iter().map(|s| s.service).collect();
    assert_eq!(
        services,
        [ServiceKind::Jmap, ServiceKind::Caldav, ServiceKind::Carddav]
    );
}

#[test]
fn submit_is_read_as_the_03_spelling_and_wins_over_smtp() {
    let text = r#"{"protocols": {"submit": {"host": "new.example.com"}, "smtp": {"host": "old.example.com"}},
        "authentication": {"password": false, "oauth-public": {"issuer": "https://id.example.com"}}}"#;
    let document = parse_document(text).unwrap();
    assert_eq!(document.submission().unwrap().host, "new.example.com");
    // An OAuth-only provider: no password method.
    assert_eq!(document.auth_methods(), [AuthMethod::Oauth2]);
}

#[test]
fn what_is_not_a_document_is_a_clear_error() {
    assert!(matches!(parse_document("{"), Err(PaccError::Json(_))));
    assert_eq!(parse_document("[]"), Err(PaccError::NotADocument));
    assert_eq!(
        parse_document(r#"{"protocols": 3}"#),
        Err(PaccError::NotADocument)
    );
    // Wrong types inside are errors too, with serde's words.
    assert!(matches!(
        parse_document(r#"{"protocols": {"imap": {"host": 7}}}"#),
        Err(PaccError::Json(_))
    ));
}

#[test]
fn records_are_read_by_the_rules() {
    let digest = digest_base64(b"x");
    let good = [
        format!("v=UAAC1; a=sha256; d={digest}"),
        format!("d={digest};a=sha256;v=UAAC1;"),
        format!(" v = UAAC1 ; a=SHA256 ; d={digest} ; x=future "),
    ];
    for text in &good {
        let record = parse_record(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(record.algorithm, "sha256");
        assert_eq!(record.digest.len(), 32);
    }
    let bad = [
        (format!("v=UAAC2; a=sha256; d={digest}"), "version"),
        (format!("a=sha256; d={digest}"), "no v="),
        ("v=UAAC1; d=AAAA".to_owned(), "no a="),
        ("v=UAAC1; a=sha256".to_owned(), "no d="),
        ("v=UAAC1; a=sha256; d=!!".to_owned(), "not base64"),
        ("v=UAAC1; a=sha256; d=AAAA".to_owned(), "32 bytes"),
        (format!("v=UAAC1; v=UAAC1; a=sha256; d={digest}"), "twice"),
        (format!("v=UAAC1; a=sha256; d={digest}; é"), "ASCII"),
        ("v=UAAC1; garbage".to_owned(), "tag=value"),
    ];
    for (text, why) in &bad {
        let error = parse_record(text).unwrap_err().to_string();
        assert!(error.contains(why), "{text}: {error}");
    }
}

#[test]
fn the_document_is_trusted_only_when_a_digest_matches_its_exact_bytes() {
    let right = txt_value(FULL);
    let other = txt_value("{}");
    assert_eq!(
        verify(FULL.as_bytes(), &[other.clone(), right.clone()]),
        Verification::Matched
    );
    // One changed byte is a mismatch, and says the document's own digest.
    let changed = FULL.replacen("imap.example.com", "imap.example.org", 1);
    let Verification::Mismatch { digest, records } =
        verify(changed.as_bytes(), std::slice::from_ref(&right))
    else {
        panic!("a mismatch");
    };
    assert_eq!((digest, records), (digest_base64(changed.as_bytes()), 1));
    // SPF and other TXT records at the name are not PACC records.
    assert_eq!(
        verify(FULL.as_bytes(), &["v=spf1 -all".to_owned()]),
        Verification::NoRecord { problems: vec![] }
    );
    let Verification::NoRecord { problems } =
        verify(FULL.as_bytes(), &["v=UAAC1; a=sha256".to_owned()])
    else {
        panic!("no readable record");
    };
    assert!(problems[0].contains("no d="));
    assert!(Verification::Matched
        .describe("_ua-auto-config.example.com")
        .contains("matches"));
}

#[test]
fn generated_documents_read_back_and_their_record_matches() {
    let input = parse_input("example.com").unwrap();
    let imap = Candidate::new(
        Protocol::Imap,
        "imap.example.com",
        993,
        Security::Tls,
        Source::Srv,
    );
    let starttls = Candidate::new(
        Protocol::Imap,
        "imap.example.com",
        143,
        Security::Starttls,
        Source::Srv,
    );
    let smtp = Candidate::new(
        Protocol::Submission,
        "smtp.example.com",
        465,
        Security::Tls,
        Source::Srv,
    );
    let mut settings = Settings::new(input, vec![starttls, imap], vec![smtp]);
    settings.services.push(OfferedService {
        service: ServiceKind::Caldav,
        endpoint: ServiceEndpoint::Url {
            url: "https://dav.example.com/cal/".into(),
        },
        username: None,
        auth: Vec::new(),
        source: Source::Srv,
        trust: Vec::new(),
        found: String::new(),
    });
    let text = generate(&settings).unwrap();
    assert_eq!(text, generate(&settings).unwrap(), "stable bytes");
    let document = parse_document(&text).unwrap();
    assert_eq!(document.protocols.imap.unwrap().host, "imap.example.com");
    assert_eq!(document.protocols.submit, document.protocols.smtp);
    assert_eq!(
        document.protocols.caldav.unwrap().url,
        "https://dav.example.com/cal/"
    );
    assert_eq!(
        verify(text.as_bytes(), &[txt_value(&text)]),
        Verification::Matched
    );
    assert!(txt_line("example.com", &text, 3600)
        .starts_with("_ua-auto-config.example.com. 3600 IN TXT \"v=UAAC1; a=sha256; d="));
    // STARTTLS only cannot be said in PACC: a clear error.
    settings
        .incoming
        .retain(|c| c.security == Security::Starttls);
    assert!(matches!(generate(&settings), Err(FormatError::NoServer(_))));
}

#[test]
fn only_an_https_issuer_is_written() {
    assert_eq!(
        https_issuer("login.example.com").as_deref(),
        Some("https://login.example.com")
    );
    assert_eq!(
        https_issuer("https://login.example.com/tenant").as_deref(),
        Some("https://login.example.com/tenant")
    );
    assert_eq!(https_issuer("http://login.example.com"), None);
    assert_eq!(https_issuer("not a host"), None);
}

#[test]
fn discovery_fetches_the_document_where_this_module_says_it_is() {
    assert_eq!(
        crate::discovery::PACC_DOCUMENT.replace("{domain}", "example.com"),
        document_url("example.com")
    );
}
