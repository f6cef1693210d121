//! Table-style tests of the whole pure discovery: planned answers and fetched files in, the
//! ranked and explained result out.

use super::*;
use crate::address::{parse_input, MailInput};
use crate::dns::{MxRecord, Outcome, Rcode, Response, SrvRecord};
use crate::model::{
    Candidate, Protocol, Security, ServiceEndpoint, ServiceKind, Source, Trust, UsernameForm,
};

const HOSTED: &str = include_str!("fixtures/autoconfig-hosted.xml");
const MALFORMED: &str = include_str!("fixtures/autoconfig-malformed.xml");
const HTML: &str = include_str!("fixtures/autoconfig-html.html");
const INCOMPLETE: &str = include_str!("fixtures/autoconfig-incomplete.xml");
const POX: &str = include_str!("fixtures/autodiscover-pox.xml");
const POX_REDIRECT: &str = include_str!("fixtures/autodiscover-redirect.xml");
const POX_ERROR: &str = include_str!("fixtures/autodiscover-error.xml");
const POX_MALFORMED: &str = include_str!("fixtures/autodiscover-malformed.xml");

fn srv(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
    SrvRecord {
        priority,
        weight,
        port,
        target: target.into(),
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
                Purpose::Audit(_) => unreachable!("discovery plans no audit lookups"),
            };
            let (outcome, ad) = given
                .iter()
                .find(|(name, _, _)| *name == label)
                .map(|(_, outcome, ad)| (outcome.clone(), *ad))
                .unwrap_or((Outcome::NxDomain, false));
            let rcode = if outcome == Outcome::NxDomain {
                Rcode::NxDomain
            } else {
                Rcode::NoError
            };
            Answered {
                query,
                resolver: "https://dns.test/dns-query".into(),
                milliseconds: 3,
                result: Ok(Response {
                    rcode,
                    authentic_data: ad,
                    outcome,
                    cname_chain: Vec::new(),
                }),
            }
        })
        .collect()
}

/// A fetched autoconfig file: `body` served with HTTP 200 at `url`.
fn autoconfig_file(url: &str, body: &str) -> Fetched {
    Fetched {
        kind: FileKind::Autoconfig,
        url: url.into(),
        status: 200,
        body: Ok(body.into()),
        milliseconds: 12,
    }
}

fn endpoints(candidates: &[Candidate]) -> Vec<String> {
    candidates
        .iter()
        .map(|c| {
            format!(
                "{} {}:{} {} {}",
                c.protocol.label(),
                c.host,
                c.port,
                c.security.as_str(),
                c.source.as_str()
            )
        })
        .collect()
}

#[test]
fn srv_records_are_ranked_and_explained() {
    let input = parse_input("jane@example.org").unwrap();
    let given = answers(
        &input,
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
    );
    let result = merge(&input, &given, &[]);
    assert_eq!(
        endpoints(&result.incoming),
        [
            "IMAP heavy.example.org:993 tls srv",
            "IMAP light.example.org:993 tls srv",
            "IMAP backup.example.org:993 tls srv",
            "IMAP imap.example.org:143 starttls srv",
        ]
    );
    assert_eq!(
        endpoints(&result.outgoing),
        ["SMTP smtp.provider.example:465 tls srv"]
    );
    let heavy = &result.incoming[0];
    assert_eq!(heavy.trust, [Trust::DnssecValidated, Trust::SameDomain]);
    assert!(heavy.reasons[0].contains("_imaps._tcp.example.org SRV 10 9 993 heavy.example.org"));
    assert_eq!(result.incoming[3].trust, [Trust::SameDomain]);
    assert_eq!(
        result.outgoing[0].trust,
        [Trust::ThirdPartyTargetNeedsConfirmation]
    );
    assert_eq!(result.unavailable.len(), 1);
    assert_eq!(result.unavailable[0].protocol, Protocol::Pop3);
    assert_eq!(result.unavailable[0].security, Security::Starttls);
    assert_eq!(result.unavailable[0].record, "_pop3._tcp.example.org");
    assert_eq!(
        result.lookups.len(),
        plan(&parse_input("jane@example.org").unwrap()).len()
    );
    assert_eq!(result.lookups[2].rcode, "NOERROR");
    assert!(result.lookups[2].ad);
    assert_eq!(result.lookups[4].rcode, "NXDOMAIN");
    assert_eq!(result.address.as_deref(), Some("jane@example.org"));
}

#[test]
fn mx_at_a_known_provider_gives_its_servers() {
    let input = parse_input("jane@custom-domain.example").unwrap();
    let given = answers(
        &input,
        &[(
            "MX",
            Outcome::Mx(vec![
                MxRecord {
                    preference: 10,
                    exchange: "alt1.aspmx.l.google.com".into(),
                },
                MxRecord {
                    preference: 1,
                    exchange: "aspmx.l.google.com".into(),
                },
            ]),
            false,
        )],
    );
    let result = merge(&input, &given, &[]);
    assert!(!result.incoming.is_empty());
    assert!(result
        .incoming
        .iter()
        .chain(&result.outgoing)
        .all(|c| c.source == Source::Mx && c.trust.contains(&Trust::KnownProvider)));
    assert!(
        result.incoming[0].host.ends_with("gmail.com"),
        "{:?}",
        result.incoming[0]
    );
    assert!(result.incoming[0].reasons[0].contains("aspmx.l.google.com"));
}

#[test]
fn offline_uses_only_the_knowledge_base() {
    let input = parse_input("someone@gmail.com").unwrap();
    let result = merge(&input, &[], &[]);
    assert!(result.lookups.is_empty());
    assert!(result.conflicts.is_empty());
    assert_eq!(result.incoming[0].source, Source::KnowledgeBase);
    assert_eq!(result.incoming[0].host, "imap.gmail.com");
    assert_eq!(result.incoming[0].security, Security::Tls);
    assert!(result.outgoing.iter().all(|c| c.host == "smtp.gmail.com"));
}

#[test]
fn srv_disagreeing_with_the_knowledge_base_is_a_conflict() {
    let input = parse_input("someone@gmail.com").unwrap();
    let given = answers(
        &input,
        &[
            (
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 0, 993, "imap.elsewhere.example")]),
                false,
            ),
            ("_pop3s._tcp", Outcome::Srv(vec![srv(0, 0, 0, ".")]), false),
        ],
    );
    let result = merge(&input, &given, &[]);
    assert_eq!(result.incoming[0].host, "imap.elsewhere.example");
    let descriptions: Vec<&str> = result
        .conflicts
        .iter()
        .map(|conflict| conflict.description.as_str())
        .collect();
    assert!(
        descriptions
            .iter()
            .any(|d| d.contains("srv gives imap.elsewhere.example:993 (tls)")
                && d.contains("knowledge-base gives imap.gmail.com:993 (tls)")),
        "{descriptions:?}"
    );
    assert!(
        descriptions
            .iter()
            .any(|d| d
                .starts_with("_pop3s._tcp.gmail.com says POP3 with implicit TLS is not offered")),
        "{descriptions:?}"
    );
}

#[test]
fn autoconfig_placeholders_are_resolved_and_plain_goes_last() {
    let input = parse_input("jane@example.net").unwrap();
    let candidates = autoconfig_candidates(&input, HOSTED).unwrap();
    assert_eq!(
        endpoints(&candidates),
        [
            "IMAP imap.example.net:993 tls autoconfig",
            "IMAP imap.example.net:143 starttls autoconfig",
            "POP3 pop.example-hosting.net:995 tls autoconfig",
            "POP3 pop.example-hosting.net:110 plain autoconfig",
            "SMTP smtp.example.net:465 tls autoconfig",
            "SMTP smtp.example.net:587 starttls autoconfig",
        ]
    );
    assert_eq!(candidates[0].username, UsernameForm::EmailAddress);
    assert_eq!(candidates[2].username, UsernameForm::LocalPart);
    // "%EMAILLOCALPART%@%EMAILDOMAIN%" is the whole address once filled in.
    assert_eq!(candidates[4].username, UsernameForm::EmailAddress);
    assert_eq!(
        candidates[2].trust,
        [Trust::ThirdPartyTargetNeedsConfirmation]
    );
    assert!(candidates[3].trust.contains(&Trust::Unauthenticated));

    let fetched = [autoconfig_file(
        "https://autoconfig.example.net/mail/config-v1.1.xml",
        HOSTED,
    )];
    let result = merge(&input, &[], &fetched);
    let last = result.incoming.last().unwrap();
    assert_eq!((last.port, last.security), (110, Security::Plain));
    assert!(result.incoming[0].reasons[0].contains("https://autoconfig.example.net/"));
    assert_eq!(result.lookups[0].record_type, "AUTOCONFIG");
    assert_eq!(result.lookups[0].rcode, "HTTP 200");
}

#[test]
fn the_same_endpoint_from_two_sources_appears_once() {
    let input = parse_input("jane@example.net").unwrap();
    let given = answers(
        &input,
        &[(
            "_imaps._tcp",
            Outcome::Srv(vec![srv(0, 0, 993, "imap.example.net")]),
            false,
        )],
    );
    let fetched = [autoconfig_file(
        "https://example.net/.well-known/autoconfig/mail/config-v1.1.xml",
        HOSTED,
    )];
    let result = merge(&input, &given, &fetched);
    let imaps: Vec<&Candidate> = result
        .incoming
        .iter()
        .filter(|c| c.host == "imap.example.net" && c.port == 993)
        .collect();
    assert_eq!(imaps.len(), 1);
    assert_eq!(imaps[0].source, Source::Srv);
    assert!(imaps[0]
        .auth
        .contains(&crate::model::AuthMethod::PasswordCleartext));
    assert!(imaps[0]
        .reasons
        .iter()
        .any(|r| r.starts_with("Also given by autoconfig")));
}

#[test]
fn broken_published_files_are_skipped_with_a_reason() {
    let input = parse_input("jane@example.net").unwrap();
    for (text, expected) in [
        (MALFORMED, "not well-formed XML"),
        (HTML, "not well-formed XML"),
        (INCOMPLETE, "names no usable mail server"),
    ] {
        let fetched = [autoconfig_file("https://autoconfig.example.net/x", text)];
        let (candidates, skipped) = candidates_from(&input, FileKind::Autoconfig, &fetched);
        assert!(candidates.is_empty());
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].url, "https://autoconfig.example.net/x");
        assert!(
            skipped[0].reason.contains(expected) || skipped[0].reason.contains("root element"),
            "{skipped:?}"
        );
    }
}

#[test]
fn a_fetched_file_that_was_not_used_says_why_in_its_lookup() {
    let input = parse_input("jane@example.net").unwrap();
    let fetched = [
        autoconfig_file("https://autoconfig.example.net/broken", MALFORMED),
        autoconfig_file("https://example.net/.well-known/autoconfig", HOSTED),
    ];
    let result = merge(&input, &[], &fetched);
    assert!(result.incoming[0].reasons[0].contains("/.well-known/autoconfig"));
    let broken = &result.lookups[0];
    assert_eq!(broken.name, "https://autoconfig.example.net/broken");
    assert_eq!(broken.rcode, "HTTP 200");
    let why = broken.error.as_deref().unwrap_or_default();
    assert!(
        why.contains("not well-formed XML") || why.contains("root element"),
        "{why:?}"
    );
    assert_eq!(result.lookups[1].error, None, "the file that was used");
}

#[test]
fn autodiscover_pox_becomes_candidates() {
    let input = parse_input("jane@example.com").unwrap();
    let candidates = autodiscover_candidates(&input, POX).unwrap();
    assert_eq!(
        endpoints(&candidates),
        [
            "IMAP mail.example.com:993 tls autodiscover",
            "POP3 mail.example.com:995 tls autodiscover",
            "SMTP mail.example.com:587 starttls autodiscover",
        ]
    );
    assert_eq!(candidates[0].username, UsernameForm::EmailAddress);
    assert_eq!(candidates[1].username, UsernameForm::LocalPart);
    assert_eq!(candidates[0].trust, [Trust::SameDomain]);

    let redirect = autodiscover_candidates(&input, POX_REDIRECT).unwrap_err();
    assert!(
        redirect.contains("autodiscover.elsewhere.example"),
        "{redirect}"
    );
    let error = autodiscover_candidates(&input, POX_ERROR).unwrap_err();
    assert!(
        error.contains("600") && error.contains("Invalid Request"),
        "{error}"
    );
    assert!(autodiscover_candidates(&input, POX_MALFORMED).is_err());
}

#[test]
fn failed_lookups_are_reported_not_hidden() {
    let input = parse_input("jane@example.org").unwrap();
    let mut given = answers(&input, &[]);
    given[0].result = Err(LookupError::Timeout(2000));
    given[1].result = Err(LookupError::Http(403));
    let result = merge(&input, &given, &[]);
    assert_eq!(result.lookups[0].rcode, "TIMEOUT");
    assert_eq!(result.lookups[1].rcode, "ERROR");
    assert_eq!(
        result.lookups[1].error.as_deref(),
        Some("the resolver answered HTTP 403")
    );
}

#[test]
fn guesses_fill_empty_roles_and_say_when_the_domain_does_not_exist() {
    let input = parse_input("jane@nowhere.example").unwrap();
    let result = merge(&input, &answers(&input, &[]), &[]);
    assert!(!result.incoming.is_empty() && !result.outgoing.is_empty());
    for candidate in result.incoming.iter().chain(&result.outgoing) {
        assert_eq!(candidate.source, Source::Guess);
        assert_eq!(candidate.trust, [Trust::Unverified]);
        assert!(
            candidate
                .reasons
                .iter()
                .any(|r| r.contains("does not exist (NXDOMAIN)")),
            "{:?}",
            candidate.reasons
        );
    }
    // Offline nothing is known about the domain's existence, so no such claim is made.
    let offline = merge(&input, &[], &[]);
    assert!(offline
        .incoming
        .iter()
        .all(|c| !c.reasons.iter().any(|r| r.contains("NXDOMAIN"))));
}

#[test]
fn a_provider_without_mail_access_gets_no_guesses_and_says_why() {
    let input = parse_input("someone@tuta.com").unwrap();
    let result = merge(&input, &[], &[]);
    assert!(result.incoming.is_empty(), "{:?}", result.incoming);
    assert!(result.outgoing.is_empty(), "{:?}", result.outgoing);
    let protocols: Vec<Protocol> = result.unavailable.iter().map(|u| u.protocol).collect();
    assert_eq!(
        protocols,
        [Protocol::Imap, Protocol::Pop3, Protocol::Submission]
    );
    assert!(
        result.unavailable.iter().all(|u| u.reason.contains("IMAP")),
        "{:?}",
        result.unavailable
    );
}

#[test]
fn autodiscover_srv_targets_become_urls() {
    let input = parse_input("jane@example.com").unwrap();
    let given = answers(
        &input,
        &[(
            "_autodiscover._tcp",
            Outcome::Srv(vec![
                srv(10, 0, 8443, "backup.host.example"),
                srv(0, 0, 443, "autodiscover.host.example"),
            ]),
            false,
        )],
    );
    assert_eq!(
        autodiscover_srv_urls(&input, &given),
        [
            "https://autodiscover.host.example/autodiscover/autodiscover.xml",
            "https://backup.host.example:8443/autodiscover/autodiscover.xml",
        ]
    );
    let domain_only = parse_input("example.com").unwrap();
    assert!(autodiscover_srv_urls(&domain_only, &given).is_empty());
}

fn mx_answer(exchange: &str) -> (&'static str, Outcome, bool) {
    (
        "MX",
        Outcome::Mx(vec![MxRecord {
            preference: 10,
            exchange: exchange.into(),
        }]),
        false,
    )
}

#[test]
fn an_mx_at_a_provider_only_the_ispdb_knows_gives_its_settings_to_confirm() {
    let input = parse_input("kim@bakery.example").unwrap();
    let answered = answers(&input, &[mx_answer("mx.relay.A1.net.")]);
    let result = merge(&input, &answered, &[]);
    let imap = &result.incoming[0];
    assert_eq!(
        (imap.host.as_str(), imap.source),
        ("securemail.a1.net", Source::Mx)
    );
    assert!(imap
        .trust
        .contains(&Trust::ThirdPartyTargetNeedsConfirmation));
    assert!(
        imap.reasons.iter().any(|r| r.contains("mx.relay.a1.net")
            && r.contains("confirm that a1.net is your mail provider")),
        "{:?}",
        imap.reasons
    );
    let found = result.provider.clone().unwrap();
    assert_eq!(found.registrable_domain.as_deref(), Some("a1.net"));
    assert!(found.needs_confirmation);
    // The set-up uses the MX provider's knowledge (its name and help) too.
    let setup = crate::setup::prepare(&input, &result, &[], None, &Default::default());
    assert_eq!(setup.provider.map(|p| p.id), Some("a1.net"));
    // The knowledge decided: no second round is needed.
    let bases = FetchBases::default();
    assert!(second_round(&input, &answered, &[], &bases).is_empty());
}

#[test]
fn an_unknown_mx_asks_its_provider_in_a_second_round() {
    let input = parse_input("kim@bakery.example").unwrap();
    let answered = answers(&input, &[mx_answer("mx1.mail.hosting-company.net")]);
    let bases = FetchBases::default();
    let second = second_round(&input, &answered, &[], &bases);
    let urls: Vec<(FileKind, &str)> = second.iter().map(|r| (r.kind, r.url.as_str())).collect();
    assert_eq!(
        urls,
        [
            (
                FileKind::MxAutoconfig,
                "https://autoconfig.mail.hosting-company.net/mail/config-v1.1.xml"
            ),
            (
                FileKind::MxAutoconfig,
                "https://autoconfig.hosting-company.net/mail/config-v1.1.xml"
            ),
            (
                FileKind::MxIspdbService,
                "https://autoconfig.thunderbird.net/v1.1/hosting-company.net"
            ),
        ]
    );
    // A found file from MXFULL becomes candidates that need confirmation.
    let fetched = [Fetched {
        kind: FileKind::MxAutoconfig,
        ..autoconfig_file(&second[0].url, HOSTED)
    }];
    let result = merge(&input, &answered, &fetched);
    let top = &result.incoming[0];
    assert_eq!(top.source, Source::Mx);
    assert!(top
        .trust
        .contains(&Trust::ThirdPartyTargetNeedsConfirmation));
    assert!(top.reasons[0].contains("MX record points at"));
    // Nothing is asked when the domain decides in the first batch (an SRV record).
    let decided = answers(
        &input,
        &[
            mx_answer("mx1.mail.hosting-company.net"),
            (
                "_imaps._tcp",
                Outcome::Srv(vec![srv(0, 0, 993, "imap.bakery.example")]),
                false,
            ),
        ],
    );
    assert!(second_round(&input, &decided, &[], &bases).is_empty());
    // Nor without network bases (tests, --no-fetch).
    assert!(second_round(&input, &answered, &[], &FetchBases::none()).is_empty());
}

#[test]
fn the_live_ispdb_is_asked_only_for_domains_the_bundled_knowledge_does_not_know() {
    let bases = FetchBases::default();
    let known = parse_input("a@gmail.com").unwrap();
    assert!(ispdb_request(&known, &bases).is_none());
    let unknown = parse_input("a@bakery.example").unwrap();
    let request = ispdb_request(&unknown, &bases).unwrap();
    assert_eq!(
        request.url,
        "https://autoconfig.thunderbird.net/v1.1/bakery.example"
    );
    let fetched = [Fetched {
        kind: FileKind::IspdbService,
        ..autoconfig_file(&request.url, HOSTED)
    }];
    let result = merge(&unknown, &[], &fetched);
    let top = &result.incoming[0];
    assert_eq!(top.source, Source::KnowledgeBase);
    assert!(top.reasons[0].contains("Thunderbird's ISP database service"));
    let report: Vec<&str> = result
        .lookups
        .iter()
        .map(|l| l.record_type.as_str())
        .collect();
    assert!(report.contains(&"ISPDB"), "{report:?}");
}

#[test]
fn an_mx_at_an_unencrypted_only_provider_never_gives_plaintext() {
    let input = parse_input("kim@bakery.example").unwrap();
    let answered = answers(&input, &[mx_answer("mx.nifty.com")]);
    let result = merge(&input, &answered, &[]);
    assert!(!result.incoming.is_empty());
    assert!(
        result
            .incoming
            .iter()
            .chain(&result.outgoing)
            .all(|c| c.security != Security::Plain),
        "{:?}",
        endpoints(&result.incoming)
    );
}

#[test]
fn a_domain_that_decides_by_itself_keeps_its_own_rules_whatever_its_mx() {
    // Its own SRV records, and an MX at Google: Gmail's quirks must not reach its set-up.
    let input = parse_input("kim@bakery.example").unwrap();
    let answered = answers(
        &input,
        &[
            mx_answer("aspmx.l.google.com"),
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
    );
    let result = merge(&input, &answered, &[]);
    assert_eq!(result.incoming[0].host, "imap.bakery.example");
    let setup = crate::setup::prepare(&input, &result, &[], None, &Default::default());
    assert!(setup.provider.is_none());
    assert!(!setup.settings.quirks.server_saves_sent);
    assert!(setup.settings.oauth2.is_none());
}

#[test]
fn a_self_hosted_mx_asks_nothing_twice() {
    let input = parse_input("kim@bakery.co.uk").unwrap();
    let answered = answers(&input, &[mx_answer("mail.bakery.co.uk")]);
    assert!(second_round(&input, &answered, &[], &FetchBases::default()).is_empty());
}

const WITH_SERVICES: &str = include_str!("fixtures/autoconfig-1.2-services.xml");

/// What the account also offers, as `service url-or-host source`.
fn services_of(discovery: &crate::model::Discovery) -> Vec<String> {
    discovery
        .services
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s.service.label(),
                s.endpoint.describe(),
                s.source.as_str()
            )
        })
        .collect()
}

#[test]
fn jmap_caldav_and_carddav_are_found_through_srv_with_their_paths() {
    let input = parse_input("jane@example.com").unwrap();
    let found = merge(
        &input,
        &answers(
            &input,
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
                // Without TLS only, and not the TLS form: shown, marked, never written.
                (
                    "_carddav._tcp",
                    Outcome::Srv(vec![srv(0, 1, 80, "dav.other.example")]),
                    false,
                ),
                // The TLS form says "not offered": nothing for it.
                (
                    "_caldav._tcp",
                    Outcome::Srv(vec![srv(0, 0, 80, "dav.example.com")]),
                    false,
                ),
            ],
        ),
        &[],
    );
    assert_eq!(
        services_of(&found),
        [
            "JMAP https://jmap.example.com/.well-known/jmap srv",
            "CalDAV https://dav.example.com:8443/dav/calendars/ srv",
            "CardDAV http://dav.other.example/.well-known/carddav srv",
        ]
    );
    assert_eq!(
        found.services[0].trust,
        [Trust::DnssecValidated, Trust::SameDomain]
    );
    assert_eq!(
        found.services[2].trust,
        [
            Trust::ThirdPartyTargetNeedsConfirmation,
            Trust::Unauthenticated
        ]
    );
    assert!(found.services[2].found.contains("without encryption"));
    // The mail result is untouched by them.
    assert!(found.incoming.iter().all(|c| c.source == Source::Guess));
}

#[test]
fn autoconfig_1_2_sections_are_offered_services_with_placeholders_filled() {
    let input = parse_input("jane@example.com").unwrap();
    let found = merge(
        &input,
        &answers(
            &input,
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
    );
    assert_eq!(
        services_of(&found),
        [
            "JMAP https://api.example.com/jmap/session autoconfig",
            "CalDAV https://dav.example.com/.well-known/caldav srv",
            "CalDAV https://dav.example.com/cal/example.com/jane autoconfig",
            "ManageSieve imap.example.com:4190 (STARTTLS) autoconfig",
            "Exchange ActiveSync https://eas.example.net/Microsoft-Server-ActiveSync autoconfig",
        ]
    );
    let sieve = &found.services[3];
    assert_eq!(
        sieve.endpoint,
        ServiceEndpoint::Host {
            host: "imap.example.com".into(),
            port: 4190,
            security: Security::Starttls
        }
    );
    assert_eq!(found.services[4].service, ServiceKind::ActiveSync);
    assert_eq!(
        found.services[4].trust,
        [Trust::ThirdPartyTargetNeedsConfirmation]
    );
    // IMAP and SMTP from the same file are still the mail candidates.
    assert_eq!(found.incoming[0].host, "imap.example.com");
}

const PACC: &str = include_str!("fixtures/pacc.json");

fn pacc_file(body: &str) -> Fetched {
    Fetched {
        kind: FileKind::Pacc,
        url: "https://ua-auto-config.example.com/.well-known/user-agent-configuration.json".into(),
        status: 200,
        body: Ok(body.into()),
        milliseconds: 9,
    }
}

#[test]
fn a_pacc_document_whose_digest_matches_gives_candidates_and_services() {
    let input = parse_input("jane@example.com").unwrap();
    let record = crate::formats::pacc::txt_value(PACC);
    let found = merge(
        &input,
        &answers(
            &input,
            &[(
                "TXT _ua-auto-config",
                Outcome::Txt(vec!["v=spf1 -all".into(), record]),
                true,
            )],
        ),
        &[pacc_file(PACC)],
    );
    assert_eq!(
        endpoints(&found.incoming)[..2],
        [
            "IMAP imap.example.com:993 tls pacc",
            "POP3 pop3.example.com:995 tls pacc"
        ]
    );
    assert_eq!(
        endpoints(&found.outgoing)[0],
        "SMTP smtp.example.com:465 tls pacc"
    );
    let imap = &found.incoming[0];
    assert!(
        imap.reasons[1]
            .contains("SHA-256 digest matches the TXT record _ua-auto-config.example.com"),
        "{:?}",
        imap.reasons
    );
    assert_eq!(imap.trust, [Trust::DnssecValidated, Trust::SameDomain]);
    assert!(services_of(&found).contains(&"JMAP https://jmap.example.com/session pacc".to_owned()));
    let row = found
        .lookups
        .iter()
        .find(|l| l.record_type == "PACC")
        .unwrap();
    assert_eq!(row.error, None);
}

#[test]
fn a_pacc_document_whose_digest_does_not_match_is_not_used_and_says_why() {
    let input = parse_input("jane@example.com").unwrap();
    let record = crate::formats::pacc::txt_value(PACC);
    let tampered = PACC.replace("imap.example.com", "imap.attacker.example");
    for (txt, why) in [
        (vec![record], "matches none of the 1 TXT record(s)"),
        (
            vec![],
            "there is no TXT record at _ua-auto-config.example.com",
        ),
    ] {
        let given = [("TXT _ua-auto-config", Outcome::Txt(txt), false)];
        let found = merge(&input, &answers(&input, &given), &[pacc_file(&tampered)]);
        assert!(found.incoming.iter().all(|c| c.source != Source::Pacc));
        assert!(found.services.is_empty());
        let row = found
            .lookups
            .iter()
            .find(|l| l.record_type == "PACC")
            .unwrap();
        let error = row.error.as_deref().unwrap_or_default();
        assert!(
            error.starts_with("Not used") && error.contains(why),
            "{error}"
        );
    }
    // What is not JSON says so too.
    let found = merge(&input, &answers(&input, &[]), &[pacc_file("<html>")]);
    let row = found
        .lookups
        .iter()
        .find(|l| l.record_type == "PACC")
        .unwrap();
    assert!(row
        .error
        .as_deref()
        .unwrap_or_default()
        .contains("not valid JSON"));
}

#[test]
fn a_second_resolver_that_disagrees_is_a_conflict_with_both_answers() {
    let input = parse_input("jane@example.com").unwrap();
    let first = answers(
        &input,
        &[
            (
                "_imaps._tcp",
                Outcome::Srv(vec![
                    srv(0, 1, 993, "imap.example.com"),
                    srv(10, 1, 993, "b.example.com"),
                ]),
                false,
            ),
            (
                "MX",
                Outcome::Mx(vec![MxRecord {
                    preference: 10,
                    exchange: "mx.example.com".into(),
                }]),
                false,
            ),
        ],
    );
    let mut second = answers(
        &input,
        &[
            // The same records in another order and case: no disagreement.
            (
                "_imaps._tcp",
                Outcome::Srv(vec![
                    srv(10, 1, 993, "B.example.com."),
                    srv(0, 1, 993, "imap.example.com"),
                ]),
                true,
            ),
            // Another mail server: a disagreement.
            (
                "MX",
                Outcome::Mx(vec![MxRecord {
                    preference: 10,
                    exchange: "mx.attacker.example".into(),
                }]),
                false,
            ),
            // A name the first says does not exist.
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
    // A second resolver that could not answer contradicts nothing.
    second[3].result = Err(LookupError::Timeout(3000));
    let mut found = merge(&input, &first, &[]);
    let before = found.lookups.len();
    add_second_opinion(&mut found, &first, &second);
    assert_eq!(found.lookups.len(), before + second.len());
    let conflicts: Vec<(String, Vec<Vec<String>>)> = found
        .resolver_conflicts
        .iter()
        .map(|c| {
            (
                format!("{} {}", c.record_type, c.name),
                c.answers.iter().map(|a| a.records.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        conflicts,
        [
            (
                "SRV _submissions._tcp.example.com".to_owned(),
                vec![
                    vec!["no such name (NXDOMAIN)".to_owned()],
                    vec!["SRV 0 1 465 smtp.attacker.example".to_owned()]
                ]
            ),
            (
                "MX example.com".to_owned(),
                vec![
                    vec!["MX 10 mx.example.com".to_owned()],
                    vec!["MX 10 mx.attacker.example".to_owned()]
                ]
            ),
        ]
    );
    assert_eq!(
        found.resolver_conflicts[1].answers[1].resolver,
        "https://second.test/dns-query"
    );
}

fn well_known(service: ServiceKind, status: u16) -> Fetched {
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
}

#[test]
fn a_well_known_uri_that_answers_names_a_service_nothing_else_named() {
    let input = parse_input("jane@example.com").unwrap();
    let found = merge(
        &input,
        &answers(
            &input,
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
        ],
    );
    assert_eq!(
        services_of(&found),
        [
            "CalDAV https://example.com/.well-known/caldav well-known",
            "CardDAV https://dav.example.com/.well-known/carddav srv",
        ]
    );
    assert!(found.services[0].found.contains("HTTP 401"));
    // Each fetch is in the lookups report with its status.
    let rows: Vec<&str> = found
        .lookups
        .iter()
        .filter(|l| l.record_type.starts_with("WELL-KNOWN"))
        .map(|l| l.rcode.as_str())
        .collect();
    assert_eq!(rows, ["HTTP 404", "HTTP 401", "HTTP 207"]);
}
