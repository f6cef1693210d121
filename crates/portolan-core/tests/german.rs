//! Every text the core writes for a user has its German: realistic scenarios of each area
//! (clients, troubleshooting, provider knowledge, discovery and the engine, lint, audit) gather
//! the texts a user reads, and each must be covered by the core's German catalogue
//! (`portolan_core::i18n`). A failure lists every text without German, with where it came
//! from, so a whole area can be fixed at once.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use base64::Engine as _;
use portolan_core::audit::gather::{self, AuditRecord, PortSet, PortTarget};
use portolan_core::audit::report::{self, Gathered, Gathering};
use portolan_core::clients;
use portolan_core::discovery::{
    add_second_opinion, candidates_from, confirm_guesses, merge, plan, Answered, Fetched, FileKind,
    LookupError, PlannedQuery, Purpose, Service,
};
use portolan_core::dns::{MxRecord, Outcome, Rcode, Response, SrvRecord, TlsaRecord};
use portolan_core::i18n::Catalogue;
use portolan_core::knowledge;
use portolan_core::lint;
use portolan_core::model::{
    CertificateDigests, CertificateReport, Discovery, LiveCheck, Protocol, Security, ServiceKind,
    TlsReport,
};
use portolan_core::preset::Preset;
use portolan_core::setup::{self, Choices};
use portolan_core::troubleshoot::{self, Likelihood, Match, Situation, TiedCause};
use portolan_core::{parse_input, MailInput};

// ---------------------------------------------------------------------------------------------
// Gathering and checking.

/// The texts of one area, each with where it came from.
struct Texts {
    area: &'static str,
    /// Text → the first place it was seen.
    texts: BTreeMap<String, String>,
}

impl Texts {
    fn new(area: &'static str) -> Texts {
        Texts {
            area,
            texts: BTreeMap::new(),
        }
    }

    /// Adds `text` (seen at `origin`), unless it has no letters (a number, a rule line).
    fn add(&mut self, origin: impl std::fmt::Display, text: impl AsRef<str>) {
        let text = text.as_ref();
        if !text.chars().any(char::is_alphabetic) {
            return;
        }
        self.texts
            .entry(text.to_owned())
            .or_insert_with(|| origin.to_string());
    }

    fn add_all<T: AsRef<str>>(
        &mut self,
        origin: impl std::fmt::Display,
        texts: impl IntoIterator<Item = T>,
    ) {
        let origin = origin.to_string();
        for text in texts {
            self.add(&origin, text);
        }
    }

    /// Asserts that `catalogue` covers every text, listing all that it does not.
    fn assert_covered_by(&self, catalogue: &Catalogue) {
        let misses: Vec<String> = self
            .texts
            .iter()
            .filter(|(text, _)| catalogue.german(text).is_none())
            .map(|(text, origin)| format!("  [{origin}] {text:?}"))
            .collect();
        eprintln!(
            "{}: {} texts gathered, {} without German",
            self.area,
            self.texts.len(),
            misses.len()
        );
        assert!(
            misses.is_empty(),
            "{}: {} of {} texts have no German:\n{}",
            self.area,
            misses.len(),
            self.texts.len(),
            misses.join("\n")
        );
    }
}

fn catalogue() -> &'static Catalogue {
    Catalogue::core_german().expect("the core's German tables are consistent")
}

fn input(text: &str) -> MailInput {
    parse_input(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

// ---------------------------------------------------------------------------------------------
// Planned answers and fetched files, as in the discovery module's own tests.

fn srv(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
    SrvRecord {
        priority,
        weight,
        port,
        target: target.into(),
    }
}

fn mx(exchange: &str) -> (&'static str, Outcome, bool) {
    (
        "MX",
        Outcome::Mx(vec![MxRecord {
            preference: 10,
            exchange: exchange.into(),
        }]),
        false,
    )
}

fn response(outcome: Outcome, ad: bool) -> Response {
    let rcode = match outcome {
        Outcome::NxDomain => Rcode::NxDomain,
        Outcome::ServFail => Rcode::ServFail,
        _ => Rcode::NoError,
    };
    Response {
        rcode,
        authentic_data: ad,
        outcome,
        cname_chain: Vec::new(),
    }
}

fn answered(query: PlannedQuery, result: Result<Response, LookupError>) -> Answered {
    Answered {
        query,
        resolver: "https://dns.test/dns-query".into(),
        milliseconds: 3,
        result,
    }
}

/// Answers for every planned query: the given outcomes by label, NXDOMAIN for the rest.
fn answers(input: &MailInput, given: &[(&str, Outcome, bool)]) -> Vec<Answered> {
    plan(input)
        .into_iter()
        .map(|query| {
            let label = match query.purpose {
                Purpose::Srv(service) => service.label(),
                Purpose::ContextPath(Service::Caldavs) => "TXT _caldavs._tcp",
                Purpose::ContextPath(_) => "TXT _carddavs._tcp",
                Purpose::PaccDigest => "TXT _ua-auto-config",
                Purpose::Mx => "MX",
                Purpose::Audit(_) => "audit",
            };
            let (outcome, ad) = given
                .iter()
                .find(|(name, _, _)| *name == label)
                .map(|(_, outcome, ad)| (outcome.clone(), *ad))
                .unwrap_or((Outcome::NxDomain, false));
            answered(query, Ok(response(outcome, ad)))
        })
        .collect()
}

fn fetched(kind: FileKind, url: &str, status: u16, body: Result<&str, &str>) -> Fetched {
    Fetched {
        kind,
        url: url.into(),
        status,
        body: body.map(str::to_owned).map_err(str::to_owned),
        milliseconds: 12,
    }
}

fn autoconfig_file(url: &str, body: &str) -> Fetched {
    fetched(FileKind::Autoconfig, url, 200, Ok(body))
}

const HOSTED: &str = include_str!("../src/discovery/fixtures/autoconfig-hosted.xml");
const MALFORMED: &str = include_str!("../src/discovery/fixtures/autoconfig-malformed.xml");
const HTML: &str = include_str!("../src/discovery/fixtures/autoconfig-html.html");
const INCOMPLETE: &str = include_str!("../src/discovery/fixtures/autoconfig-incomplete.xml");
const WITH_SERVICES: &str = include_str!("../src/discovery/fixtures/autoconfig-1.2-services.xml");
const POX: &str = include_str!("../src/discovery/fixtures/autodiscover-pox.xml");
const POX_REDIRECT: &str = include_str!("../src/discovery/fixtures/autodiscover-redirect.xml");
const POX_ERROR: &str = include_str!("../src/discovery/fixtures/autodiscover-error.xml");
const POX_MALFORMED: &str = include_str!("../src/discovery/fixtures/autodiscover-malformed.xml");
const PACC: &str = include_str!("../src/discovery/fixtures/pacc.json");

/// A live check of `host:port` that verified: TLS 1.3 and a valid certificate for its name.
fn verified_check(host: &str, port: u16, protocol: Protocol, security: Security) -> LiveCheck {
    let mut check = LiveCheck::new(host, port, protocol, security);
    check.reachable = true;
    check.tls = Some(TlsReport {
        version: "TLSv1.3".into(),
        cipher: "TLS13_AES_256_GCM_SHA384".into(),
        certificate: Some(CertificateReport {
            subject: format!("CN={host}"),
            sans: vec![host.to_owned()],
            issuer: "CN=Test CA".into(),
            not_before: "2026-01-01T00:00:00Z".into(),
            not_after: "2027-01-01T00:00:00Z".into(),
            days_left: 60,
            chain_valid: true,
            chain_error: None,
            name_matches: true,
            domain_matches: Some(true),
            self_signed: false,
            key: "ECDSA P-256".into(),
            signature: "ecdsa-with-SHA256".into(),
            chain_length: 2,
            digests: vec![CertificateDigests {
                sha256: format!("aa{port}"),
                sha512: "bb".into(),
                spki_sha256: "cc".into(),
                spki_sha512: "dd".into(),
            }],
        }),
    });
    check
}

/// A live check of `host:port` that could not connect.
fn failed_check(host: &str, port: u16, protocol: Protocol, security: Security) -> LiveCheck {
    let mut check = LiveCheck::new(host, port, protocol, security);
    check.error = Some("no connection: connection refused".into());
    check
}

/// The discovery scenarios: (label, input, discovery), from the discovery module's tests and
/// a few more.
fn discoveries() -> Vec<(String, MailInput, Discovery)> {
    let mut out = Vec::new();
    let mut push = |label: &str, input: MailInput, discovery: Discovery| {
        out.push((label.to_owned(), input, discovery));
    };

    // SRV: implicit TLS, STARTTLS, POP3, a target outside the domain, "not offered".
    let org = input("jane@example.org");
    push(
        "srv ranked",
        org.clone(),
        merge(
            &org,
            &answers(
                &org,
                &[
                    (
                        "_imaps._tcp",
                        Outcome::Srv(vec![
                            srv(20, 0, 993, "backup.example.org"),
                            srv(10, 1, 993, "light.example.org"),
                            srv(10, 9, 993, "heavy.example.org"),
                        ]),
                        true,
                    ),
                    (
                        "_imap._tcp",
                        Outcome::Srv(vec![srv(0, 0, 143, "imap.example.org")]),
                        false,
                    ),
                    ("_pop3._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
                    (
                        "_submissions._tcp",
                        Outcome::Srv(vec![srv(0, 0, 465, "smtp.provider.example")]),
                        false,
                    ),
                    ("_submission._tcp", Outcome::NoData, false),
                ],
            ),
            &[],
        ),
    );
    push(
        "srv implicit TLS",
        org.clone(),
        merge(
            &org,
            &answers(
                &org,
                &[
                    (
                        "_imaps._tcp",
                        Outcome::Srv(vec![srv(0, 1, 993, "imap.example.org")]),
                        true,
                    ),
                    (
                        "_submissions._tcp",
                        Outcome::Srv(vec![srv(0, 1, 465, "smtp.example.org")]),
                        true,
                    ),
                ],
            ),
            &[],
        ),
    );
    push(
        "srv STARTTLS",
        org.clone(),
        merge(
            &org,
            &answers(
                &org,
                &[
                    (
                        "_imap._tcp",
                        Outcome::Srv(vec![srv(0, 1, 143, "mail.example.org")]),
                        false,
                    ),
                    (
                        "_submission._tcp",
                        Outcome::Srv(vec![srv(0, 1, 587, "mail.example.org")]),
                        false,
                    ),
                    ("_imaps._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
                    (
                        "_submissions._tcp",
                        Outcome::Srv(vec![srv(0, 0, 0, ".")]),
                        false,
                    ),
                ],
            ),
            &[],
        ),
    );
    push(
        "srv POP3",
        org.clone(),
        merge(
            &org,
            &answers(
                &org,
                &[
                    (
                        "_pop3s._tcp",
                        Outcome::Srv(vec![srv(0, 1, 995, "pop.example.org")]),
                        false,
                    ),
                    (
                        "_pop3._tcp",
                        Outcome::Srv(vec![srv(0, 1, 110, "pop.example.org")]),
                        false,
                    ),
                    (
                        "_submission._tcp",
                        Outcome::Srv(vec![srv(0, 1, 587, "smtp.example.org")]),
                        false,
                    ),
                    ("_imaps._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
                    ("_imap._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
                ],
            ),
            &[],
        ),
    );

    // MX at known providers, and at providers only the ISPDB knows.
    let custom = input("jane@custom-domain.example");
    push(
        "mx google",
        custom.clone(),
        merge(&custom, &answers(&custom, &[mx("aspmx.l.google.com")]), &[]),
    );
    let bakery = input("kim@bakery.example");
    for exchange in [
        "mx.relay.A1.net.",
        "mx1.mail.hosting-company.net",
        "mx.nifty.com",
        "mail.protection.outlook.com",
        "mx01.ionos.de",
    ] {
        push(
            &format!("mx {exchange}"),
            bakery.clone(),
            merge(&bakery, &answers(&bakery, &[mx(exchange)]), &[]),
        );
    }
    // An unknown MX's own autoconfig, then the ISPDB service.
    push(
        "mx autoconfig",
        bakery.clone(),
        merge(
            &bakery,
            &answers(&bakery, &[mx("mx1.mail.hosting-company.net")]),
            &[fetched(
                FileKind::MxAutoconfig,
                "https://autoconfig.mail.hosting-company.net/mail/config-v1.1.xml",
                200,
                Ok(HOSTED),
            )],
        ),
    );
    push(
        "mx ispdb",
        bakery.clone(),
        merge(
            &bakery,
            &answers(&bakery, &[mx("mx1.mail.hosting-company.net")]),
            &[fetched(
                FileKind::MxIspdbService,
                "https://autoconfig.thunderbird.net/v1.1/hosting-company.net",
                200,
                Ok(HOSTED),
            )],
        ),
    );
    push(
        "ispdb service",
        bakery.clone(),
        merge(
            &bakery,
            &[],
            &[fetched(
                FileKind::IspdbService,
                "https://autoconfig.thunderbird.net/v1.1/bakery.example",
                200,
                Ok(HOSTED),
            )],
        ),
    );
    // A domain with its own SRV records and an MX at Google.
    push(
        "own srv, mx google",
        bakery.clone(),
        merge(
            &bakery,
            &answers(
                &bakery,
                &[
                    mx("aspmx.l.google.com"),
                    (
                        "_imaps._tcp",
                        Outcome::Srv(vec![srv(0, 0, 993, "imap.bakery.example")]),
                        false,
                    ),
                    (
                        "_submissions._tcp",
                        Outcome::Srv(vec![srv(0, 0, 465, "smtp.bakery.example")]),
                        false,
                    ),
                ],
            ),
            &[],
        ),
    );

    // SRV that disagrees with the knowledge base.
    let gmail = input("someone@gmail.com");
    push(
        "srv conflict",
        gmail.clone(),
        merge(
            &gmail,
            &answers(
                &gmail,
                &[
                    (
                        "_imaps._tcp",
                        Outcome::Srv(vec![srv(0, 0, 993, "imap.elsewhere.example")]),
                        false,
                    ),
                    ("_pop3s._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
                    (
                        "_submission._tcp",
                        Outcome::Srv(vec![srv(0, 0, 587, "smtp.elsewhere.example")]),
                        false,
                    ),
                ],
            ),
            &[],
        ),
    );

    // Published files: good, broken, and the same endpoint twice.
    let net = input("jane@example.net");
    push(
        "autoconfig hosted",
        net.clone(),
        merge(
            &net,
            &[],
            &[autoconfig_file(
                "https://autoconfig.example.net/mail/config-v1.1.xml",
                HOSTED,
            )],
        ),
    );
    push(
        "srv and autoconfig",
        net.clone(),
        merge(
            &net,
            &answers(
                &net,
                &[(
                    "_imaps._tcp",
                    Outcome::Srv(vec![srv(0, 0, 993, "imap.example.net")]),
                    false,
                )],
            ),
            &[autoconfig_file(
                "https://example.net/.well-known/autoconfig/mail/config-v1.1.xml",
                HOSTED,
            )],
        ),
    );
    for (name, body) in [
        ("malformed", MALFORMED),
        ("html", HTML),
        ("incomplete", INCOMPLETE),
    ] {
        push(
            &format!("autoconfig {name}"),
            net.clone(),
            merge(
                &net,
                &answers(&net, &[]),
                &[
                    autoconfig_file("https://autoconfig.example.net/broken", body),
                    fetched(
                        FileKind::Autoconfig,
                        "https://example.net/.well-known/autoconfig/mail/config-v1.1.xml",
                        404,
                        Err("HTTP 404"),
                    ),
                ],
            ),
        );
    }
    let com = input("jane@example.com");
    for (name, body) in [
        ("pox", POX),
        ("redirect", POX_REDIRECT),
        ("error", POX_ERROR),
        ("malformed", POX_MALFORMED),
    ] {
        push(
            &format!("autodiscover {name}"),
            com.clone(),
            merge(
                &com,
                &answers(&com, &[]),
                &[fetched(
                    FileKind::Autodiscover,
                    "https://autodiscover.example.com/autodiscover/autodiscover.xml",
                    200,
                    Ok(body),
                )],
            ),
        );
    }

    // Lookups that failed in every way a driver reports.
    let mut failing = answers(&org, &[]);
    let errors = [
        LookupError::Timeout(2000),
        LookupError::Http(403),
        LookupError::Transport("the network is down".into()),
        LookupError::ContentType("text/html".into()),
        LookupError::NoResolver,
    ];
    for (answered, error) in failing.iter_mut().zip(errors) {
        answered.result = Err(error);
    }
    if let Some(answered) = failing.get_mut(6) {
        answered.result = Ok(response(Outcome::ServFail, false));
    }
    if let Some(answered) = failing.get_mut(7) {
        answered.result = Ok(response(Outcome::Failed(Rcode::Refused), false));
    }
    push("failed lookups", org.clone(), merge(&org, &failing, &[]));
    // Everything failed.
    let mut all_failed = answers(&org, &[]);
    for answered in &mut all_failed {
        answered.result = Err(LookupError::Timeout(3000));
    }
    push(
        "all lookups failed",
        org.clone(),
        merge(&org, &all_failed, &[]),
    );

    // Guesses: a domain that does not exist, and offline.
    let nowhere = input("jane@nowhere.example");
    let guessed = merge(&nowhere, &answers(&nowhere, &[]), &[]);
    push("guesses nxdomain", nowhere.clone(), guessed.clone());
    push(
        "guesses offline",
        nowhere.clone(),
        merge(&nowhere, &[], &[]),
    );
    // Guesses confirmed, and dropped, by live checks.
    let checks: Vec<LiveCheck> = guessed
        .incoming
        .iter()
        .chain(&guessed.outgoing)
        .enumerate()
        .map(|(index, c)| {
            if index % 2 == 0 {
                verified_check(&c.host, c.port, c.protocol, c.security)
            } else {
                failed_check(&c.host, c.port, c.protocol, c.security)
            }
        })
        .collect();
    push(
        "guesses probed",
        nowhere.clone(),
        confirm_guesses(&guessed, &checks),
    );
    let failing_checks: Vec<LiveCheck> = guessed
        .incoming
        .iter()
        .chain(&guessed.outgoing)
        .map(|c| {
            let mut check = verified_check(&c.host, c.port, c.protocol, c.security);
            if let Some(cert) = check.tls.as_mut().and_then(|t| t.certificate.as_mut()) {
                cert.name_matches = false;
                cert.chain_valid = false;
                cert.chain_error = Some("the certificate has expired".into());
            }
            check
        })
        .collect();
    push(
        "guesses probed, bad certificates",
        nowhere.clone(),
        confirm_guesses(&guessed, &failing_checks),
    );

    // Offered services: SRV with paths, autoconfig 1.2, well-known URIs.
    push(
        "services srv",
        com.clone(),
        merge(
            &com,
            &answers(
                &com,
                &[
                    (
                        "_jmap._tcp",
                        Outcome::Srv(vec![srv(0, 1, 443, "jmap.example.com")]),
                        true,
                    ),
                    (
                        "_caldavs._tcp",
                        Outcome::Srv(vec![srv(0, 1, 8443, "dav.example.com")]),
                        false,
                    ),
                    (
                        "TXT _caldavs._tcp",
                        Outcome::Txt(vec!["path=/dav/calendars/".into()]),
                        false,
                    ),
                    (
                        "_carddav._tcp",
                        Outcome::Srv(vec![srv(0, 1, 80, "dav.other.example")]),
                        false,
                    ),
                    (
                        "_caldav._tcp",
                        Outcome::Srv(vec![srv(0, 0, 80, "dav.example.com")]),
                        false,
                    ),
                ],
            ),
            &[],
        ),
    );
    push(
        "services autoconfig 1.2",
        com.clone(),
        merge(
            &com,
            &answers(
                &com,
                &[(
                    "_caldavs._tcp",
                    Outcome::Srv(vec![srv(0, 1, 443, "dav.example.com")]),
                    false,
                )],
            ),
            &[autoconfig_file(
                "https://autoconfig.example.com/mail/config-v1.1.xml",
                WITH_SERVICES,
            )],
        ),
    );
    let well_known = |service: ServiceKind, status: u16| {
        let path = service.well_known_path().unwrap_or("/");
        Fetched {
            kind: FileKind::WellKnown(service),
            url: format!("https://example.com{path}"),
            status,
            body: if status == 200 {
                Ok(String::new())
            } else {
                Err(format!("HTTP {status}"))
            },
            milliseconds: 7,
        }
    };
    push(
        "services well-known",
        com.clone(),
        merge(
            &com,
            &answers(
                &com,
                &[(
                    "_carddavs._tcp",
                    Outcome::Srv(vec![srv(0, 1, 443, "dav.example.com")]),
                    false,
                )],
            ),
            &[
                well_known(ServiceKind::Jmap, 404),
                well_known(ServiceKind::Caldav, 401),
                well_known(ServiceKind::Carddav, 207),
                well_known(ServiceKind::Jmap, 200),
            ],
        ),
    );

    // PACC: matching, tampered, without a record, not JSON.
    let pacc = |body: &str| {
        fetched(
            FileKind::Pacc,
            "https://ua-auto-config.example.com/.well-known/user-agent-configuration.json",
            200,
            Ok(body),
        )
    };
    let record = portolan_core::formats::pacc::txt_value(PACC);
    push(
        "pacc",
        com.clone(),
        merge(
            &com,
            &answers(
                &com,
                &[(
                    "TXT _ua-auto-config",
                    Outcome::Txt(vec!["v=spf1 -all".into(), record.clone()]),
                    true,
                )],
            ),
            &[pacc(PACC)],
        ),
    );
    let tampered = PACC.replace("imap.example.com", "imap.attacker.example");
    for (label, txt) in [("pacc tampered", vec![record]), ("pacc no txt", vec![])] {
        push(
            label,
            com.clone(),
            merge(
                &com,
                &answers(&com, &[("TXT _ua-auto-config", Outcome::Txt(txt), false)]),
                &[pacc(&tampered)],
            ),
        );
    }
    push(
        "pacc not json",
        com.clone(),
        merge(&com, &answers(&com, &[]), &[pacc("<html>")]),
    );

    // A second resolver that disagrees.
    let first = answers(
        &com,
        &[
            (
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 1, 993, "imap.example.com")]),
                false,
            ),
            mx("mx.example.com"),
        ],
    );
    let mut second = answers(
        &com,
        &[
            (
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 1, 993, "imap.example.com")]),
                true,
            ),
            mx("mx.attacker.example"),
            (
                "_submissions._tcp",
                Outcome::Srv(vec![srv(0, 1, 465, "smtp.attacker.example")]),
                false,
            ),
        ],
    );
    for answered in &mut second {
        answered.resolver = "https://second.test/dns-query".into();
    }
    let mut found = merge(&com, &first, &[]);
    add_second_opinion(&mut found, &first, &second);
    push("second opinion", com.clone(), found);

    // A site's own preset.
    let preset = Preset::parse(
        br#"{"version": 1, "provider": {"name": "Example Mail"}, "domains": ["example.com"],
            "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.net", "port": 993, "security": "tls"}],
                        "outgoing": [{"protocol": "smtp", "host": "smtp.example.net", "port": 465, "security": "tls"}]}}"#,
    )
    .expect("valid preset");
    let mut preset_found = merge(
        &com,
        &answers(
            &com,
            &[(
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 1, 993, "mail.example.com")]),
                false,
            )],
        ),
        &[],
    );
    preset.apply(&mut preset_found);
    push("preset", com.clone(), preset_found);
    let anonymous = Preset::parse(
        br#"{"version": 1, "domains": ["example.com"],
            "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.net", "port": 993, "security": "tls"}]}}"#,
    )
    .expect("valid preset");
    let mut anonymous_found = merge(&com, &[], &[]);
    anonymous.apply(&mut anonymous_found);
    push("preset without a name", com.clone(), anonymous_found);

    // Every provider the knowledge base knows, offline and with a full address.
    for provider in knowledge::providers() {
        let Some(domain) = provider.domains.first() else {
            continue;
        };
        let Ok(address) = parse_input(&format!("someone@{domain}")) else {
            continue;
        };
        let discovery = merge(&address, &[], &[]);
        push(&format!("provider {}", provider.id), address, discovery);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Clients.

/// True when `text` has a word that is not a name: one in lower case that is not a system's
/// name (iOS, macOS, iPadOS).
fn has_english_words(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .any(|word| {
            word.starts_with(|c: char| c.is_lowercase())
                && !matches!(word, "iOS" | "iPadOS" | "macOS")
        })
}

/// A client's instructions, line by line as the app translates them: the "N. " number off.
fn instruction_lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(|line| {
            let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits > 0 && line[digits..].starts_with(". ") {
                &line[digits + 2..]
            } else {
                line
            }
        })
        .collect()
}

#[test]
fn every_client_text_has_german() {
    let mut texts = Texts::new("clients");
    let scenarios = discoveries();
    // The client scenarios: a few realistic discoveries and every curated provider.
    let wanted = |label: &str| {
        label.starts_with("srv ")
            || label.starts_with("provider ")
                && knowledge::curated()
                    .iter()
                    .any(|p| label == format!("provider {}", p.id))
            || matches!(
                label,
                "mx google" | "autoconfig hosted" | "guesses nxdomain"
            )
    };
    for (label, input, discovery) in scenarios.iter().filter(|(label, ..)| wanted(label)) {
        for client in clients::all() {
            let setup = setup::prepare(input, discovery, &[], Some(client), &Choices::default());
            if let Ok(steps) = clients::marked_steps(client, &setup.settings) {
                texts.add_all(format!("{label} / {} step", client.id), steps);
            }
            if let Ok(text) = clients::instructions(client, &setup.settings) {
                texts.add_all(
                    format!("{label} / {} instructions", client.id),
                    instruction_lines(&text),
                );
            }
        }
    }
    for client in clients::all() {
        texts.add_all(format!("{} note", client.id), client.notes());
        // Names alone ("Desktop", "Windows, macOS", "Linux (KDE)") read the same in German.
        for (what, text) in [
            ("platform", client.platform.label()),
            ("runs on", client.runs_on),
        ] {
            if has_english_words(text) {
                texts.add(format!("{} {what}", client.id), text);
            }
        }
    }
    texts.assert_covered_by(catalogue());
}

// ---------------------------------------------------------------------------------------------
// Troubleshooting.

#[test]
fn every_troubleshooting_text_has_german() {
    let mut texts = Texts::new("troubleshoot");
    for entry in troubleshoot::entries() {
        // The code is what the software says ("535 5.7.8", "Cannot Get Mail"), quoted as is.
        texts.add(format!("{} meaning", entry.id), entry.meaning);
        for cause in entry.causes {
            texts.add(format!("{} cause", entry.id), cause.cause);
            texts.add(format!("{} fix", entry.id), cause.fix);
        }
    }
    texts.add_all("general checklist", troubleshoot::GENERAL_CHECKLIST);
    for likelihood in [Likelihood::High, Likelihood::Medium, Likelihood::Low] {
        texts.add("likelihood", likelihood.words());
    }
    // The causes tied to the user's own situation: each entry under several settings.
    let scenarios = discoveries();
    let wanted = [
        "srv implicit TLS",
        "srv STARTTLS",
        "srv POP3",
        "mx google",
        "guesses nxdomain",
        "provider gmail.com",
        "provider outlook.com",
        "provider yahoo.com",
        "provider icloud.com",
        "provider gmx.net",
        "provider web.de",
        "provider aol.com",
        "provider t-online.de",
        "provider proton.me",
    ];
    for (label, input, discovery) in scenarios
        .iter()
        .filter(|(label, ..)| wanted.contains(&label.as_str()) || label.starts_with("provider "))
    {
        let setup = setup::prepare(input, discovery, &[], None, &Choices::default());
        for ports in [vec![], vec![25], vec![587, 25]] {
            for situation in [
                Situation {
                    settings: Some(&setup.settings),
                    provider: setup.provider,
                    ports_mentioned: ports.clone(),
                    relay_available: true,
                },
                Situation {
                    settings: None,
                    provider: setup.provider,
                    ports_mentioned: ports.clone(),
                    relay_available: false,
                },
            ] {
                for entry in troubleshoot::entries() {
                    let mut found = Match {
                        id: entry.id,
                        code: entry.code,
                        meaning: entry.meaning,
                        causes: entry
                            .causes
                            .iter()
                            .map(|cause| TiedCause {
                                cause: cause.cause,
                                fix: cause.fix,
                                likelihood: cause.likelihood,
                                topic: cause.topic,
                                in_your_settings: None,
                            })
                            .collect(),
                        matched: Vec::new(),
                        live_check: None,
                        score: 1,
                    };
                    situation.tie(&mut found);
                    let origin = format!("{label} / {}", entry.id);
                    texts.add_all(&origin, found.live_check.iter());
                    texts.add_all(
                        &origin,
                        found
                            .causes
                            .iter()
                            .filter_map(|c| c.in_your_settings.clone()),
                    );
                }
            }
        }
    }
    // And through explain, as the app calls it.
    for pasted in [
        "535-5.7.8 Username and Password not accepted.",
        "The certificate is not trusted",
        "hello there",
        "554 5.7.1 Relay access denied",
        "Connection timed out on port 25",
    ] {
        let explanation = troubleshoot::explain(pasted, None);
        texts.add_all(pasted, explanation.checklist.iter());
        for found in &explanation.matches {
            texts.add(pasted, found.meaning);
        }
    }
    texts.assert_covered_by(catalogue());
}

// ---------------------------------------------------------------------------------------------
// Provider knowledge.

#[test]
fn every_provider_note_has_german() {
    let mut texts = Texts::new("knowledge");
    for provider in knowledge::providers() {
        texts.add_all(format!("{} note", provider.id), provider.notes.iter());
        for server in provider.servers {
            if !server.note.is_empty() {
                texts.add(
                    format!("{} {} server note", provider.id, server.host),
                    server.note,
                );
            }
        }
        if let Some(enable) = provider.quirks.enable_first {
            texts.add(format!("{} enable first", provider.id), enable.what);
            texts.add(
                format!("{} enable first (with URL)", provider.id),
                format!("{} ({})", enable.what, enable.url),
            );
        }
    }
    texts.assert_covered_by(catalogue());
}

// ---------------------------------------------------------------------------------------------
// Discovery and the engine.

fn gather_discovery(texts: &mut Texts, label: &str, input: &MailInput, discovery: &Discovery) {
    for candidate in discovery.incoming.iter().chain(&discovery.outgoing) {
        texts.add_all(
            format!("{label} / reason of {}:{}", candidate.host, candidate.port),
            candidate.reasons.iter(),
        );
    }
    for unavailable in &discovery.unavailable {
        texts.add(format!("{label} / unavailable"), &unavailable.reason);
    }
    for conflict in &discovery.conflicts {
        texts.add(format!("{label} / conflict"), &conflict.description);
    }
    for conflict in &discovery.resolver_conflicts {
        texts.add(
            format!("{label} / resolver conflict"),
            &conflict.description,
        );
    }
    if let Some(provider) = &discovery.provider {
        texts.add(format!("{label} / provider"), &provider.reason);
    }
    for service in &discovery.services {
        texts.add(format!("{label} / service found"), &service.found);
        texts.add(
            format!("{label} / service purpose"),
            service.service.purpose(),
        );
    }
    for lookup in &discovery.lookups {
        // "HTTP 404" alone is a protocol's status, the same in German.
        let status_only = |error: &str| {
            error
                .strip_prefix("HTTP ")
                .is_some_and(|code| code.chars().all(|c| c.is_ascii_digit()))
        };
        if let Some(error) = lookup.error.as_deref().filter(|error| !status_only(error)) {
            texts.add(format!("{label} / lookup {} error", lookup.name), error);
        }
    }
    for probed in &discovery.probed {
        texts.add(format!("{label} / probed"), &probed.detail);
    }
    let thunderbird = clients::by_id("thunderbird");
    let geary = clients::by_id("geary");
    for client in [None, thunderbird, geary] {
        let setup = setup::prepare(input, discovery, &[], client, &Choices::default());
        for advice in [
            &setup.recommendation.incoming,
            &setup.recommendation.outgoing,
        ] {
            texts.add(format!("{label} / summary"), &advice.summary);
            for ranked in advice
                .recommended
                .iter()
                .chain(&advice.alternatives)
                .chain(&advice.rejected)
            {
                for reason in &ranked.reasons {
                    texts.add(
                        format!(
                            "{label} / ranked {}:{} ({:?})",
                            ranked.candidate.host, ranked.candidate.port, reason.rule
                        ),
                        &reason.text,
                    );
                }
            }
        }
    }
}

#[test]
fn every_discovery_and_engine_text_has_german() {
    let mut texts = Texts::new("discovery");
    for (label, input, discovery) in &discoveries() {
        gather_discovery(&mut texts, label, input, discovery);
    }
    // The engine with live checks: verified, failed, and refused settings.
    let org = input("jane@example.org");
    let found = merge(
        &org,
        &answers(
            &org,
            &[
                (
                    "_imaps._tcp",
                    Outcome::Srv(vec![srv(0, 1, 993, "imap.example.org")]),
                    false,
                ),
                (
                    "_imap._tcp",
                    Outcome::Srv(vec![srv(0, 1, 143, "imap.example.org")]),
                    false,
                ),
                (
                    "_submissions._tcp",
                    Outcome::Srv(vec![srv(0, 1, 465, "smtp.example.org")]),
                    false,
                ),
                (
                    "_submission._tcp",
                    Outcome::Srv(vec![srv(0, 1, 587, "smtp.example.org")]),
                    false,
                ),
            ],
        ),
        &[],
    );
    let mut expired = verified_check("imap.example.org", 993, Protocol::Imap, Security::Tls);
    if let Some(cert) = expired.tls.as_mut().and_then(|t| t.certificate.as_mut()) {
        cert.days_left = -3;
        cert.chain_valid = false;
        cert.chain_error = Some("the certificate has expired".into());
    }
    let check_sets = [
        vec![
            verified_check("imap.example.org", 993, Protocol::Imap, Security::Tls),
            verified_check("smtp.example.org", 465, Protocol::Submission, Security::Tls),
        ],
        vec![
            failed_check("imap.example.org", 993, Protocol::Imap, Security::Tls),
            failed_check("smtp.example.org", 465, Protocol::Submission, Security::Tls),
        ],
        vec![
            expired,
            verified_check("imap.example.org", 143, Protocol::Imap, Security::Starttls),
        ],
    ];
    for (index, checks) in check_sets.iter().enumerate() {
        let setup = setup::prepare(&org, &found, checks, None, &Choices::default());
        for advice in [
            &setup.recommendation.incoming,
            &setup.recommendation.outgoing,
        ] {
            texts.add(format!("checks {index} / summary"), &advice.summary);
            for ranked in advice
                .recommended
                .iter()
                .chain(&advice.alternatives)
                .chain(&advice.rejected)
            {
                for reason in &ranked.reasons {
                    texts.add(
                        format!("checks {index} / ranked ({:?})", reason.rule),
                        &reason.text,
                    );
                }
            }
        }
    }
    // Published files skipped, with why.
    let net = input("jane@example.net");
    for body in [MALFORMED, HTML, INCOMPLETE] {
        let (_, skipped) = candidates_from(
            &net,
            FileKind::Autoconfig,
            &[autoconfig_file("https://autoconfig.example.net/x", body)],
        );
        for skip in skipped {
            texts.add("skipped autoconfig", skip.reason);
        }
    }
    for body in [POX_REDIRECT, POX_ERROR, POX_MALFORMED] {
        let (_, skipped) = candidates_from(
            &net,
            FileKind::Autodiscover,
            &[fetched(
                FileKind::Autodiscover,
                "https://autodiscover.example.net/autodiscover/autodiscover.xml",
                200,
                Ok(body),
            )],
        );
        for skip in skipped {
            texts.add("skipped autodiscover", skip.reason);
        }
    }
    // What a typed address or domain can get wrong.
    let long_label = "a".repeat(64);
    let long_domain = format!("{}.com", ["abcdefghij"; 25].join("."));
    let bad_inputs = [
        String::new(),
        "   ".into(),
        "jane example.com".into(),
        "jane@exa mple.com".into(),
        "@example.com".into(),
        "jane@".into(),
        format!("{}@example.com", "j".repeat(65)),
        ".jane@example.com".into(),
        "jane.@example.com".into(),
        "ja..ne@example.com".into(),
        "ja(ne@example.com".into(),
        "ja ne@example.com".into(),
        "jane@example..com".into(),
        "jane@.example.com".into(),
        format!("jane@{long_label}.com"),
        format!("jane@{long_domain}"),
        "jane@exa_mple.com".into(),
        "jane@exa!mple.com".into(),
        "jane@-example.com".into(),
        "jane@example-.com".into(),
        "jane@xn--example-.com".into(),
        "jane@xn--abc.com".into(),
        "jane@xn--zz.com".into(),
        "jane@localhost".into(),
        "localhost".into(),
        "jane@example.123".into(),
        "192.168.0.1".into(),
        "jane@[192.168.0.1]".into(),
        "jane@@example.com".into(),
        "jane@exam@ple.com".into(),
        "mailto:jane@example.com".into(),
        "jane@example.com>".into(),
        "<jane@example.com".into(),
        "Jane <jane@example.com>".into(),
        "\"ja@ne\"@example.com".into(),
        "jane@ex\u{200b}ample.com".into(),
        "jane@exa\u{1F600}mple.com".into(),
        "https://example.com/".into(),
    ];
    for bad in &bad_inputs {
        if let Err(error) = parse_input(bad) {
            texts.add(format!("address {bad:?}"), error.to_string());
        }
    }
    // What a site's portolan.json can get wrong.
    let bad_presets = [
        r#"{"version": 2}"#,
        r#"{"version": 1, "colour": {}}"#,
        r#"{"version": 1, "theme": {"accent": "red; background: url(x)"}}"#,
        r##"{"version": 1, "theme": {"shadow": "#000"}}"##,
        r#"{"version": 1, "provider": {"name": "X", "logo": "https://cdn.example/x.svg"}}"#,
        r#"{"version": 1, "provider": {"name": " "}}"#,
        r#"{"version": 1, "provider": {"name": "X", "help": [{"label": "a", "url": "http://x.example"}]}}"#,
        r#"{"version": 1, "provider": {"name": "X", "help": [{"label": " ", "url": "https://x.example"}]}}"#,
        r#"{"version": 1, "domains": ["a..b"]}"#,
        r#"{"version": 1, "domains": ["localhost"]}"#,
        r#"{"version": 1, "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 143, "security": "plain"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "smtp", "host": "imap.example.com", "port": 993, "security": "tls"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"outgoing": [{"protocol": "imap", "host": "smtp.example.com", "port": 465, "security": "tls"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"outgoing": [{"protocol": "smtp", "host": "not a host", "port": 465, "security": "tls"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"outgoing": [{"protocol": "smtp", "host": "smtp.example.com", "port": 70000, "security": "tls"}]}}"#,
        r#"{"version": 1, "resolver": "http://doh.example.com"}"#,
        r#"{"version": 1, "relay": "ws://relay.example.com"}"#,
        r#"{"version": 1, "embed": {"parent-origin": "https://help.example.com/page"}}"#,
        "not json",
        r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "TLS"}]}}"#,
        r#"{"version": 1, "domains": ["example.com"], "servers": {"incoming": [{"protocol": "imap", "host": "imap.example.com", "port": 993, "security": "tls", "auth": ["password", "kerberos"]}]}}"#,
    ];
    for bad in bad_presets {
        if let Err(error) = Preset::parse(bad.as_bytes()) {
            texts.add(format!("preset {bad}"), error.to_string());
        }
    }
    texts.assert_covered_by(catalogue());
}

// ---------------------------------------------------------------------------------------------
// Lint.

#[test]
fn every_lint_finding_has_german() {
    let mut texts = Texts::new("lint");
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .expect("the lint corpus")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("readable");
        match lint::lint(&text) {
            Ok(report) => {
                for finding in &report.findings {
                    texts.add(format!("{name} {}", finding.code), &finding.message);
                }
            }
            Err(error) => texts.add(format!("{name} error"), error.to_string()),
        }
        // Converting between the formats, with its notes.
        for target in [lint::FileKind::Autoconfig, lint::FileKind::Autodiscover] {
            match lint::convert(&text, target, None) {
                Ok(conversion) => texts.add_all(format!("{name} conversion"), conversion.notes),
                Err(error) => texts.add(format!("{name} conversion error"), error.to_string()),
            }
        }
    }
    for foreign in ["<html/>", "{\"version\": 1, \"domains\": [\"a..b\"]}", "{}"] {
        match lint::lint(foreign) {
            Ok(report) => {
                for finding in &report.findings {
                    texts.add(format!("{foreign} {}", finding.code), &finding.message);
                }
            }
            Err(error) => texts.add(format!("{foreign} error"), error.to_string()),
        }
    }
    texts.assert_covered_by(catalogue());
}

// ---------------------------------------------------------------------------------------------
// Audit.

/// An RSA SubjectPublicKeyInfo of `bits` bits, as a DKIM record holds it.
fn spki(bits: usize) -> String {
    fn element(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        match content.len() {
            len if len < 0x80 => out.push(len as u8),
            len if len < 0x100 => out.extend([0x81, len as u8]),
            len => out.extend([0x82, (len >> 8) as u8, len as u8]),
        }
        out.extend_from_slice(content);
        out
    }
    let mut modulus = vec![0u8];
    modulus.extend(std::iter::repeat_n(0xffu8, bits / 8));
    let rsa = element(
        0x30,
        &[element(0x02, &modulus), element(0x02, &[1, 0, 1])].concat(),
    );
    let algorithm = element(
        0x30,
        &[
            element(
                0x06,
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01],
            ),
            element(0x05, &[]),
        ]
        .concat(),
    );
    let mut bit_string = vec![0u8];
    bit_string.extend(rsa);
    let der = element(0x30, &[algorithm, element(0x03, &bit_string)].concat());
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// What one audit scenario's DNS says (each `None` is "no such record").
#[derive(Clone, Default)]
struct Zone {
    mx: Option<Outcome>,
    spf: Option<Outcome>,
    /// SPF include targets and their answers.
    includes: Vec<(&'static str, Result<Outcome, LookupError>)>,
    dmarc: Option<Outcome>,
    dkim: Vec<(&'static str, Option<Outcome>)>,
    mta_sts: Option<Outcome>,
    policy: Option<(u16, Result<String, String>)>,
    tls_rpt: Option<Outcome>,
    bimi: Option<Outcome>,
    tlsa: Option<Result<Outcome, LookupError>>,
    tlsa_validated: bool,
    srv: bool,
    autoconfig: Option<&'static str>,
    /// Ports checked live: all verified, or those given.
    checks: Vec<LiveCheck>,
    failed: bool,
}

fn txt(records: &[&str]) -> Option<Outcome> {
    Some(Outcome::Txt(
        records.iter().map(|r| (*r).to_owned()).collect(),
    ))
}

fn audit_items(texts: &mut Texts, label: &str, zone: &Zone) {
    let domain = "example.com";
    let input = input(domain);
    let selectors: Vec<String> = zone.dkim.iter().map(|(s, _)| (*s).to_owned()).collect();
    let srv_given: Vec<(&str, Outcome, bool)> = if zone.srv {
        vec![
            (
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 1, 993, "mail.example.com")]),
                true,
            ),
            (
                "_submissions._tcp",
                Outcome::Srv(vec![srv(0, 1, 465, "mail.example.com")]),
                true,
            ),
        ]
    } else {
        Vec::new()
    };
    let mut discovery_answers = answers(&input, &srv_given);
    for answered in &mut discovery_answers {
        if answered.query.purpose == Purpose::Mx {
            answered.result = Ok(response(
                zone.mx.clone().unwrap_or(Outcome::NxDomain),
                false,
            ));
        }
        if zone.failed {
            answered.result = Err(LookupError::Timeout(3000));
        }
    }
    let mut all = discovery_answers.clone();
    for query in gather::first_lookups(domain, &selectors) {
        let outcome = match query.purpose {
            Purpose::Audit(AuditRecord::Spf) => zone.spf.clone(),
            Purpose::Audit(AuditRecord::Dmarc) => zone.dmarc.clone(),
            Purpose::Audit(AuditRecord::MtaSts) => zone.mta_sts.clone(),
            Purpose::Audit(AuditRecord::TlsRpt) => zone.tls_rpt.clone(),
            Purpose::Audit(AuditRecord::Bimi) => zone.bimi.clone(),
            Purpose::Audit(AuditRecord::Dkim) => zone
                .dkim
                .iter()
                .find(|(selector, _)| query.question.name.starts_with(&format!("{selector}.")))
                .and_then(|(_, outcome)| outcome.clone()),
            _ => None,
        };
        let result = if zone.failed {
            Err(LookupError::Http(503))
        } else {
            Ok(response(outcome.unwrap_or(Outcome::NxDomain), false))
        };
        all.push(answered(query, result));
    }
    for _ in 0..gather::MAX_FOLLOW_UP_ROUNDS {
        let next = gather::follow_ups(&all);
        if next.is_empty() {
            break;
        }
        for query in next {
            let result = match query.purpose {
                Purpose::Audit(AuditRecord::SpfInclude) => zone
                    .includes
                    .iter()
                    .find(|(name, _)| *name == query.question.name)
                    .map(|(_, result)| result.clone().map(|o| response(o, false)))
                    .unwrap_or(Ok(response(Outcome::NxDomain, false))),
                Purpose::Audit(AuditRecord::Tlsa) => match &zone.tlsa {
                    Some(result) => result.clone().map(|o| response(o, zone.tlsa_validated)),
                    None => Ok(response(Outcome::NxDomain, false)),
                },
                _ => Ok(response(Outcome::NxDomain, false)),
            };
            all.push(answered(query, result));
        }
    }
    let mut files = Vec::new();
    if let Some((status, body)) = &zone.policy {
        files.push(Fetched {
            kind: FileKind::MtaStsPolicy,
            url: gather::policy_url(domain),
            status: *status,
            body: body.clone(),
            milliseconds: 20,
        });
    }
    if let Some(body) = zone.autoconfig {
        files.push(autoconfig_file(
            "https://autoconfig.example.com/mail/config-v1.1.xml",
            body,
        ));
    }
    let discovery = merge(&input, &discovery_answers, &files);
    let targets = gather::port_targets(&discovery, &gather::mx_hosts(&all), PortSet::All);
    let checks: Vec<(PortTarget, LiveCheck)> = targets
        .into_iter()
        .filter_map(|target| {
            zone.checks
                .iter()
                .find(|check| check.host == target.host && check.port == target.port)
                .map(|check| (target, check.clone()))
        })
        .collect();
    for browser in [false, true] {
        let report = report::assemble(&Gathered {
            input: &input,
            discovery: &discovery,
            answers: &all,
            fetched: &files,
            checks: &checks,
            dkim_selectors: &selectors,
            ports: PortSet::All,
            unix_seconds: 1_798_761_600,
            gathering: Gathering::default(),
            browser,
        });
        for item in &report.items {
            texts.add(format!("{label} / {} message", item.id), &item.message);
            texts.add(format!("{label} / {} fix", item.id), &item.fix);
        }
        for file in &report.publish {
            texts.add(format!("{label} / publish {}", file.name), &file.place);
        }
    }
}

#[test]
fn every_audit_item_has_german() {
    let mut texts = Texts::new("audit");
    let mx_host = || {
        Some(Outcome::Mx(vec![MxRecord {
            preference: 10,
            exchange: "mail.example.com".into(),
        }]))
    };
    let good_policy =
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n".to_owned();
    let leaf_digests = CertificateDigests {
        sha256: "aa".into(),
        sha512: "bb".into(),
        spki_sha256: "cc".into(),
        spki_sha512: "dd".into(),
    };
    let checked = |port: u16, protocol: Protocol, security: Security| {
        let mut check = verified_check("mail.example.com", port, protocol, security);
        if let Some(cert) = check.tls.as_mut().and_then(|t| t.certificate.as_mut()) {
            cert.digests = vec![leaf_digests.clone()];
        }
        check
    };
    let good = Zone {
        mx: mx_host(),
        spf: txt(&["v=spf1 mx -all"]),
        dmarc: txt(&["v=DMARC1; p=reject; rua=mailto:dmarc@example.com"]),
        dkim: vec![("mail", txt(&[&format!("v=DKIM1; k=rsa; p={}", spki(2048))]))],
        mta_sts: txt(&["v=STSv1; id=20240101"]),
        policy: Some((200, Ok(good_policy.clone()))),
        tls_rpt: txt(&["v=TLSRPTv1; rua=mailto:tls@example.com"]),
        bimi: txt(&["v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem"]),
        tlsa: Some(Ok(Outcome::Tlsa(vec![TlsaRecord {
            usage: 3,
            selector: 1,
            matching: 1,
            data: "cc".into(),
        }]))),
        tlsa_validated: true,
        srv: true,
        autoconfig: Some(HOSTED),
        checks: vec![
            checked(993, Protocol::Imap, Security::Tls),
            checked(465, Protocol::Submission, Security::Tls),
            checked(25, Protocol::Submission, Security::Starttls),
        ],
        ..Zone::default()
    };
    audit_items(&mut texts, "good", &good);
    audit_items(&mut texts, "empty", &Zone::default());
    audit_items(
        &mut texts,
        "failed",
        &Zone {
            failed: true,
            ..Zone::default()
        },
    );
    audit_items(
        &mut texts,
        "null mx",
        &Zone {
            mx: Some(Outcome::Mx(vec![MxRecord {
                preference: 0,
                exchange: ".".into(),
            }])),
            ..Zone::default()
        },
    );
    // SPF in many shapes.
    for spf in [
        "v=spf1",
        "v=spf1 +all",
        "v=spf1 mx all",
        "v=spf1 mx ?all",
        "v=spf1 mx ~all",
        "v=spf1 mx",
        "v=spf1 ptr -all",
        "v=spf1 include -all",
        "v=spf1 ip4:300.1.1.1 -all",
        "v=spf1 foo:bar -all",
        "v=spf1 redirect=a.example redirect=b.example",
        "v=spf1 a/-1 -all",
        "v=spf1 include:broken.example include:failed.example include:good.example -all",
        "v=spf1 a mx a:a.example a:b.example a:c.example mx:d.example mx:e.example exists:f.example include:good.example include:big.example -all",
        "v=spf1 redirect=_spf.example.com",
        "v=spf1 include:%{d}.example -all",
    ] {
        audit_items(
            &mut texts,
            &format!("spf {spf}"),
            &Zone {
                mx: mx_host(),
                spf: txt(&[spf]),
                includes: vec![
                    ("broken.example", Ok(Outcome::Txt(vec!["v=spf1 foo".into()]))),
                    ("failed.example", Err(LookupError::Timeout(2000))),
                    ("good.example", Ok(Outcome::Txt(vec!["v=spf1 ip4:192.0.2.0/24 -all".into()]))),
                    (
                        "big.example",
                        Ok(Outcome::Txt(vec![
                            "v=spf1 a mx a:g.example a:h.example a:i.example mx:j.example -all"
                                .into(),
                        ])),
                    ),
                ],
                ..Zone::default()
            },
        );
    }
    audit_items(
        &mut texts,
        "spf twice",
        &Zone {
            spf: txt(&["v=spf1 mx -all", "v=spf1 a -all"]),
            ..Zone::default()
        },
    );
    audit_items(
        &mut texts,
        "spf servfail",
        &Zone {
            spf: Some(Outcome::ServFail),
            dmarc: Some(Outcome::Failed(Rcode::Refused)),
            ..Zone::default()
        },
    );
    // DMARC in many shapes.
    for dmarc in [
        "v=DMARC1",
        "v=DMARC1; p=block",
        "v=DMARC1; p=none",
        "v=DMARC1; p=none; rua=mailto:d@example.com",
        "v=DMARC1; p=quarantine; rua=mailto:d@example.com; pct=25",
        "v=DMARC1; p=reject",
        "v=DMARC1; p=reject; adkim=x",
        "v=DMARC1; p=reject; broken",
        "v=DMARC1; p=reject; p=none",
        "v=DMARC1; p=reject; pct=101",
        "v=DMARC1; p=reject; rua=dmarc@example.com",
        "v=DMARC1; p=reject; sp=none; pct=50; rua=mailto:r@example.com",
        "v=DMARC1; rua=mailto:a@example.com",
        "v=DMARC1; p=reject; rua=mailto:r@thirdparty.example.net",
    ] {
        audit_items(
            &mut texts,
            &format!("dmarc {dmarc}"),
            &Zone {
                dmarc: txt(&[dmarc]),
                ..Zone::default()
            },
        );
    }
    audit_items(
        &mut texts,
        "dmarc twice",
        &Zone {
            dmarc: txt(&["v=DMARC1; p=none", "v=DMARC1; p=reject"]),
            ..Zone::default()
        },
    );
    // DKIM keys.
    let ed = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let dkim_keys = [
        ("strong", Some(format!("v=DKIM1; k=rsa; p={}", spki(2048)))),
        ("weak", Some(format!("v=DKIM1; k=rsa; p={}", spki(1024)))),
        ("tiny", Some(format!("v=DKIM1; k=rsa; p={}", spki(512)))),
        ("testing", Some(format!("p={}; t=y:s; h=sha1", spki(2048)))),
        ("ed", Some(format!("v=DKIM1; k=ed25519; p={ed}"))),
        ("revoked", Some("v=DKIM1; p=".to_owned())),
        ("broken", Some("v=DKIM1; k=rsa; p=!!!".to_owned())),
        ("unknown", Some("v=DKIM1; k=dsa; p=AAAA".to_owned())),
        ("missing", None),
    ];
    let dkim: Vec<(&'static str, Option<Outcome>)> = dkim_keys
        .iter()
        .map(|(selector, record)| {
            (
                *selector,
                record.as_ref().map(|r| Outcome::Txt(vec![r.clone()])),
            )
        })
        .collect();
    audit_items(
        &mut texts,
        "dkim",
        &Zone {
            dkim,
            ..Zone::default()
        },
    );
    // MTA-STS and TLS-RPT.
    let policies: Vec<(u16, Result<String, String>)> = vec![
        (200, Ok(good_policy.clone())),
        (
            200,
            Ok("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n".into()),
        ),
        (
            200,
            Ok("version: STSv1\nmode: none\nmx: mail.example.com\nmax_age: 86400\n".into()),
        ),
        (
            200,
            Ok("version: STSv1\nmode: enforce\nmx: other.example.net\nmax_age: 60\n".into()),
        ),
        (200, Ok("mode: enforce\nmax_age: 1\nmx: a.example".into())),
        (
            200,
            Ok("version: STSv1\nmode: block\nmax_age: 1\nmx: a.example".into()),
        ),
        (
            200,
            Ok("version: STSv1\nmode: enforce\nmx: a.example".into()),
        ),
        (
            200,
            Ok("version: STSv1\nmode: enforce\nmax_age: 86400".into()),
        ),
        (
            200,
            Ok("version: STSv1\nmode: enforce\nmax_age: 31557601\nmx: a.example".into()),
        ),
        (404, Ok(String::new())),
        (0, Err("the connection was refused".into())),
        (
            0,
            Err(portolan_core::audit::report::BLOCKED_IN_BROWSER.to_owned()),
        ),
    ];
    for (index, policy) in policies.into_iter().enumerate() {
        audit_items(
            &mut texts,
            &format!("mta-sts policy {index}"),
            &Zone {
                mx: mx_host(),
                mta_sts: txt(&["v=STSv1; id=20240101"]),
                policy: Some(policy),
                ..Zone::default()
            },
        );
    }
    for (record, tls_rpt) in [
        ("v=STSv1;", "v=TLSRPTv1;"),
        (
            "v=STSv1; id=not-alnum!",
            "v=TLSRPTv1; rua=reports@example.com",
        ),
        ("v=STSv2; id=1", "v=TLSRPTv2; rua=mailto:a@example.com"),
    ] {
        audit_items(
            &mut texts,
            &format!("mta-sts {record}"),
            &Zone {
                mta_sts: txt(&[record]),
                tls_rpt: txt(&[tls_rpt]),
                ..Zone::default()
            },
        );
    }
    audit_items(
        &mut texts,
        "mta-sts twice",
        &Zone {
            mta_sts: txt(&["v=STSv1; id=1", "v=STSv1; id=2"]),
            tls_rpt: txt(&[
                "v=TLSRPTv1; rua=mailto:a@example.com",
                "v=TLSRPTv1; rua=mailto:b@example.com",
            ]),
            bimi: txt(&[
                "v=BIMI1; l=https://a.example/l.svg",
                "v=BIMI1; l=https://b.example/l.svg",
            ]),
            ..Zone::default()
        },
    );
    // BIMI.
    for bimi in [
        "v=BIMI1",
        "v=BIMI1; a=https://x/a.pem",
        "v=BIMI1; l=",
        "v=BIMI1; l=; a=;",
        "v=BIMI1; l=http://example.com/logo.svg",
        "v=BIMI1; l=https://example.com/logo.svg",
    ] {
        audit_items(
            &mut texts,
            &format!("bimi {bimi}"),
            &Zone {
                bimi: txt(&[bimi]),
                ..Zone::default()
            },
        );
    }
    // DANE.
    let tlsa = |usage: u8, data: &str| TlsaRecord {
        usage,
        selector: 1,
        matching: 1,
        data: data.into(),
    };
    let tlsa_cases: Vec<(Result<Outcome, LookupError>, bool, bool)> = vec![
        (Ok(Outcome::Tlsa(vec![tlsa(3, "cc")])), true, true),
        (Ok(Outcome::Tlsa(vec![tlsa(3, "ff")])), true, true),
        (Ok(Outcome::Tlsa(vec![tlsa(3, "cc")])), false, true),
        (Ok(Outcome::Tlsa(vec![tlsa(3, "cc")])), true, false),
        (
            Ok(Outcome::Tlsa(vec![tlsa(1, "cc"), tlsa(3, "cc")])),
            true,
            true,
        ),
        (Ok(Outcome::Tlsa(vec![tlsa(0, "cc")])), true, true),
        (
            Ok(Outcome::Tlsa(vec![TlsaRecord {
                usage: 3,
                selector: 1,
                matching: 0,
                data: "cc".into(),
            }])),
            true,
            true,
        ),
        (
            Ok(Outcome::Tlsa(vec![TlsaRecord {
                usage: 7,
                selector: 1,
                matching: 1,
                data: "cc".into(),
            }])),
            true,
            true,
        ),
        (Ok(Outcome::ServFail), true, true),
        (Err(LookupError::Timeout(2000)), true, true),
    ];
    for (index, (result, validated, checked_25)) in tlsa_cases.into_iter().enumerate() {
        audit_items(
            &mut texts,
            &format!("dane {index}"),
            &Zone {
                mx: mx_host(),
                tlsa: Some(result),
                tlsa_validated: validated,
                checks: if checked_25 {
                    vec![checked(25, Protocol::Submission, Security::Starttls)]
                } else {
                    Vec::new()
                },
                ..Zone::default()
            },
        );
    }
    // The ports: closed, POP3 running, certificates that differ, and problems a check found.
    let mut pop = checked(995, Protocol::Pop3, Security::Tls);
    if let Some(cert) = pop.tls.as_mut().and_then(|t| t.certificate.as_mut()) {
        cert.digests[0].sha256 = "ee".into();
    }
    let mut closed = LiveCheck::new("mail.example.com", 993, Protocol::Imap, Security::Tls);
    closed.error = Some("no connection: connection refused".into());
    audit_items(
        &mut texts,
        "ports",
        &Zone {
            mx: mx_host(),
            srv: true,
            checks: vec![
                checked(993, Protocol::Imap, Security::Tls),
                pop,
                checked(110, Protocol::Pop3, Security::Starttls),
            ],
            ..Zone::default()
        },
    );
    audit_items(
        &mut texts,
        "ports closed",
        &Zone {
            mx: mx_host(),
            srv: true,
            checks: vec![closed],
            ..Zone::default()
        },
    );
    // Published autoconfig files with problems.
    for (index, body) in [
        include_str!("lint/bad-plain-server.xml"),
        include_str!("lint/warn-starttls-only-port-25.xml"),
        include_str!("lint/bad-port-no-outgoing.xml"),
        include_str!("lint/warn-spelling-and-mismatch.xml"),
        include_str!("lint/bad-1.2-values.xml"),
        include_str!("lint/bad-id-not-hostname.xml"),
        MALFORMED,
    ]
    .into_iter()
    .enumerate()
    {
        audit_items(
            &mut texts,
            &format!("autoconfig {index}"),
            &Zone {
                srv: true,
                autoconfig: Some(body),
                ..Zone::default()
            },
        );
    }
    // A selector that is not one.
    if let Err(error) = gather::check_selectors(&["bad selector".to_owned()]) {
        texts.add("selector", error);
    }
    texts.assert_covered_by(catalogue());
}
