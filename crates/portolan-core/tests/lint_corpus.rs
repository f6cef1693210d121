//! The lint corpus: good and bad autoconfig and Autodiscover files under tests/lint/, each
//! with the exact findings (code and severity) it must produce, and conversions between the
//! two formats.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use portolan_core::formats::autoconfig;
use portolan_core::formats::autodiscover::{self, AutodiscoverResponse};
use portolan_core::lint::{self, convert, FileKind, LintError, Severity};
use portolan_core::parse_input;

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

use Severity::{Error as E, Info as I, Warning as W};

/// The findings a file must produce, in order: (code, severity).
type Expected = &'static [(&'static str, Severity)];

/// (file, kind, expected findings in order).
const CORPUS: &[(&str, FileKind, Expected)] = &[
    ("good-autoconfig.xml", FileKind::Autoconfig, &[]),
    ("good-autodiscover.xml", FileKind::Autodiscover, &[]),
    (
        "bad-plain-server.xml",
        FileKind::Autoconfig,
        &[("plain-server", E)],
    ),
    (
        "bad-id-not-hostname.xml",
        FileKind::Autoconfig,
        &[("id-not-hostname", E)],
    ),
    (
        "bad-missing-username.xml",
        FileKind::Autoconfig,
        &[("missing-username", E)],
    ),
    (
        "bad-unknown-socket-type.xml",
        FileKind::Autoconfig,
        &[("unknown-socket-type", E), ("no-implicit-tls", W)],
    ),
    (
        "warn-starttls-only-port-25.xml",
        FileKind::Autoconfig,
        &[
            ("port-25", W),
            ("no-implicit-tls", W),
            ("no-implicit-tls", W),
        ],
    ),
    (
        "warn-spelling-and-mismatch.xml",
        FileKind::Autoconfig,
        &[
            ("socket-type-spelling", W),
            ("port-security-mismatch", W),
            ("no-implicit-tls", W),
        ],
    ),
    (
        "bad-port-no-outgoing.xml",
        FileKind::Autoconfig,
        &[("no-outgoing", E), ("bad-port", E)],
    ),
    (
        "bad-spa.xml",
        FileKind::Autodiscover,
        &[("spa-not-off", E), ("spa-not-off", E)],
    ),
    (
        "bad-encryption-tls-implicit.xml",
        FileKind::Autodiscover,
        &[
            ("encryption-tls-on-implicit-port", E),
            ("encryption-tls-on-implicit-port", E),
        ],
    ),
    (
        "bad-autodiscover-plain.xml",
        FileKind::Autodiscover,
        &[("plain-server", E), ("ssl-on-starttls-port", W)],
    ),
    (
        "warn-misspelled-placeholder.xml",
        FileKind::Autoconfig,
        &[("unknown-placeholder", W)],
    ),
    (
        "info-redirect.xml",
        FileKind::Autodiscover,
        &[("redirect", I)],
    ),
    ("good-autoconfig-1.2.xml", FileKind::Autoconfig, &[]),
    (
        "warn-1.2-elements-in-1.1.xml",
        FileKind::Autoconfig,
        &[("oauth2-without-endpoints", I), ("newer-than-version", W)],
    ),
    (
        "bad-1.2-values.xml",
        FileKind::Autoconfig,
        &[
            ("unknown-domain-purpose", W),
            ("sasl-without-fallback", I),
            ("url-not-https", E),
            ("http-bearer", E),
            ("missing-url", E),
            ("unknown-authentication", W),
            ("unknown-authentication", W),
            ("section-type-mismatch", W),
            ("oauth2-without-endpoints", W),
        ],
    ),
    (
        "bad-1.2-plain-sieve.xml",
        FileKind::Autoconfig,
        &[("plain-server", E), ("plain-server", E)],
    ),
    (
        "good-pacc.json",
        FileKind::Pacc,
        // Clean; the one remark is the TXT record to publish with it.
        &[("pacc-record", I)],
    ),
    (
        "bad-pacc.json",
        FileKind::Pacc,
        &[
            ("submission-spelling", I),
            ("missing-hostname", E),
            ("url-not-https", E),
            ("url-port", W),
            ("unknown-protocol", I),
            ("no-authentication", E),
            ("no-provider-name", W),
            ("pacc-record", I),
        ],
    ),
    (
        "bad-autodiscover-error.xml",
        FileKind::Autodiscover,
        &[("autodiscover-error", E)],
    ),
];

#[test]
fn every_corpus_file_gives_exactly_its_expected_findings() {
    for (file, kind, expected) in CORPUS {
        let report = lint::lint(&read(file)).unwrap();
        assert_eq!(report.kind, *kind, "{file}");
        let actual: Vec<(&str, Severity)> = report
            .findings
            .iter()
            .map(|f| (f.code, f.severity))
            .collect();
        assert_eq!(&actual, expected, "{file}: {:#?}", report.findings);
        assert_eq!(
            report.has_errors(),
            expected.iter().any(|(_, s)| *s == Severity::Error),
            "{file}"
        );
        for finding in &report.findings {
            assert!(
                finding.message.ends_with('.') || finding.message.ends_with(')'),
                "{file}: {}",
                finding.message
            );
            assert!(!finding.location.is_empty());
        }
    }
}

#[test]
fn messages_name_the_problem_in_plain_words() {
    let report = lint::lint(&read("bad-encryption-tls-implicit.xml")).unwrap();
    assert!(report.findings[0]
        .message
        .contains("Outlook reads TLS as STARTTLS"));
    assert!(report.findings[0].location.contains("IMAP"));
    let report = lint::lint(&read("bad-id-not-hostname.xml")).unwrap();
    assert!(report.findings[0].message.contains("\"Example Mail\""));
}

#[test]
fn broken_or_foreign_files_are_errors_not_findings() {
    assert!(matches!(
        lint::lint(&read("not-xml.xml")),
        Err(LintError::Format(_))
    ));
    assert_eq!(lint::lint("<html/>"), Err(LintError::UnknownKind));
}

#[test]
fn autoconfig_converts_to_autodiscover_and_back() {
    let address = parse_input("jane@example.com").unwrap();
    let converted = convert(
        &read("bad-plain-server.xml"),
        FileKind::Autodiscover,
        Some(&address),
    )
    .unwrap();
    assert_eq!(
        converted.notes,
        vec!["Dropped the unencrypted POP3 server pop.example.com:110."]
    );
    assert!(lint::lint(&converted.text).unwrap().findings.is_empty());
    let AutodiscoverResponse::Account(account) = autodiscover::parse(&converted.text).unwrap()
    else {
        panic!()
    };
    assert_eq!(account.protocols.len(), 2);
    assert_eq!(
        account.protocols[0].login_name.as_deref(),
        Some("jane@example.com")
    );

    let back = convert(&converted.text, FileKind::Autoconfig, None).unwrap();
    let config = autoconfig::parse(&back.text).unwrap();
    let provider = &config.providers[0];
    assert_eq!(provider.id.as_deref(), Some("example.com"));
    assert_eq!(
        provider.incoming[0].username.as_deref(),
        Some("%EMAILADDRESS%")
    );
    assert_eq!(
        provider.incoming[0].hostname.as_deref(),
        Some("imap.example.com")
    );
    assert!(lint::lint(&back.text).unwrap().findings.is_empty());
}

#[test]
fn autodiscover_fixes_encryption_when_converted_through_portolan() {
    let address = parse_input("jane@example.com").unwrap();
    let to_autoconfig = convert(
        &read("bad-encryption-tls-implicit.xml"),
        FileKind::Autoconfig,
        Some(&address),
    )
    .unwrap();
    // The file said STARTTLS (Encryption TLS) on 993: the conversion keeps what it says, and
    // the linter flags the mismatch in the result.
    let report = lint::lint(&to_autoconfig.text).unwrap();
    assert!(report.codes().contains(&"port-security-mismatch"));
    assert!(matches!(
        convert(&read("good-autoconfig.xml"), FileKind::Autodiscover, None),
        Err(LintError::Format(_))
    ));
}

#[test]
fn a_pacc_documents_record_is_checked_against_its_exact_bytes() {
    let text = read("good-pacc.json");
    let record = portolan_core::formats::pacc::txt_value(&text);
    let matched = lint::lint_with_records(&text, std::slice::from_ref(&record)).unwrap();
    assert!(matched.findings.is_empty(), "{:#?}", matched.findings);
    let changed = text.replace("Example Mail", "Example Mail ");
    let mismatch = lint::lint_with_records(&changed, &[record]).unwrap();
    assert_eq!(mismatch.codes(), ["pacc-digest-mismatch"]);
    assert!(mismatch.findings[0]
        .message
        .contains(&portolan_core::formats::pacc::txt_value(&changed)));
    let unreadable =
        lint::lint_with_records(&text, &["v=UAAC1; a=sha256; d=AAAA".to_owned()]).unwrap();
    assert_eq!(unreadable.codes(), ["pacc-record-invalid"]);
    // Records are for PACC documents only.
    assert_eq!(
        lint::lint_with_records(&read("good-autoconfig.xml"), &["x".to_owned()]),
        Err(LintError::RecordsWithoutPacc)
    );
    assert!(matches!(lint::lint("{ not json"), Err(LintError::Pacc(_))));
}
