//! Tests of the knowledge base: every entry validated, and the lookups and candidates checked.

use std::collections::BTreeMap;

use super::*;
use crate::address::{parse_domain, parse_input};

/// Checks that `name` is a valid, lower-case, ASCII host name as the address parser sees it.
fn check_host_name(what: &str, name: &str, errors: &mut Vec<String>) {
    match parse_domain(name) {
        Ok(domain) if domain.ascii == name => {}
        Ok(domain) => errors.push(format!(
            "{what} {name:?} is not canonical ({:?})",
            domain.ascii
        )),
        Err(err) => errors.push(format!("{what} {name:?} is not a valid host name: {err}")),
    }
}

fn check_server(provider: &Provider, server: &Server, errors: &mut Vec<String>) {
    let at = format!("{} server {}:{}", provider.id, server.host, server.port);
    if server.host == "127.0.0.1" {
        if provider.access != Access::LocalBridge || server.note.is_empty() {
            errors.push(format!(
                "{at}: loopback only for a local bridge, with a note"
            ));
        }
    } else {
        check_host_name(
            &format!("{} server", provider.id),
            &server.host_for("example.com"),
            errors,
        );
    }
    // Plaintext servers are kept only to say what not to use (and which hosts to try with
    // encryption) for a provider that publishes nothing else; they are never recommended.
    let unencrypted_only = provider.access == Access::UnencryptedOnly;
    if (server.security == Security::Plain) != unencrypted_only {
        errors.push(format!(
            "{at}: plaintext servers are never listed, except (only) for unencrypted-only providers"
        ));
    }
    if unencrypted_only {
        return;
    }
    let standard = server.protocol.default_port(server.security);
    if server.port != standard && server.note.is_empty() {
        errors.push(format!(
            "{at}: {:?} with {} needs port {standard} unless a note documents the exception",
            server.protocol,
            server.security.as_str()
        ));
    }
}

fn check_access(provider: &Provider, errors: &mut Vec<String>) {
    let id = provider.id;
    let curated = provider.origin == Origin::Curated;
    match provider.access {
        // An imported entry may know only one direction (the ISPDB lists no outgoing server
        // for some providers, or only a plaintext one, which the import drops): guesses and
        // live checks fill the other.
        Access::Standard if !curated => {
            if provider.servers.is_empty() {
                errors.push(format!("{id}: imported without any server"));
            }
            if provider.auth.is_empty() {
                errors.push(format!("{id}: no authentication method"));
            }
        }
        Access::Standard | Access::LocalBridge => {
            if !(provider.offers_imap() || provider.offers_pop3()) {
                errors.push(format!("{id}: offers mail but has no incoming server"));
            }
            if !provider.offers_submission() {
                errors.push(format!("{id}: offers mail but has no outgoing server"));
            }
            if provider.auth.is_empty() {
                errors.push(format!("{id}: no authentication method"));
            }
        }
        Access::UnencryptedOnly => {
            if provider.servers.is_empty() || provider.notes.is_empty() {
                errors.push(format!(
                    "{id}: unencrypted-only needs its servers and a note"
                ));
            }
        }
        Access::ProviderAppsOnly | Access::Closed => {
            if !provider.servers.is_empty() {
                errors.push(format!(
                    "{id}: lists servers but says clients cannot connect"
                ));
            }
            if provider.notes.is_empty() {
                errors.push(format!("{id}: has no servers and no note explaining why"));
            }
        }
    }
    if provider.access == Access::LocalBridge
        && provider.servers.iter().any(|s| s.host != "127.0.0.1")
    {
        errors.push(format!("{id}: a local bridge listens on 127.0.0.1 only"));
    }
}

fn check_texts(provider: &Provider, errors: &mut Vec<String>) {
    let id = provider.id;
    // What people read never carries an autoconfig placeholder.
    let read: Vec<&str> = [provider.name]
        .into_iter()
        .chain(provider.notes.iter().copied())
        .chain(provider.servers.iter().map(|s| s.note))
        .collect();
    if read.iter().any(|text| text.contains('%')) {
        errors.push(format!("{id}: a name or note holds a placeholder"));
    }
    if provider.name.trim().is_empty() {
        errors.push(format!("{id}: empty name"));
    }
    for note in provider
        .notes
        .iter()
        .chain(provider.servers.iter().map(|s| &s.note))
    {
        let sentence = note.ends_with('.') && note.starts_with(char::is_alphanumeric);
        if !note.is_empty() && !sentence {
            errors.push(format!("{id}: note is not a plain sentence: {note:?}"));
        }
    }
    let imported = provider.origin != Origin::Curated;
    if let Some(page) = provider.app_password_page {
        if !provider.help.contains(&page) {
            errors.push(format!(
                "{id}: the app-password page is not one of its help links"
            ));
        }
    }
    if let Some(enable) = provider.quirks.enable_first {
        let sentence = enable.what.ends_with('.') && enable.what.starts_with(char::is_alphanumeric);
        if !sentence || !enable.url.starts_with("https://") {
            errors.push(format!(
                "{id}: enable-first needs a sentence and an https page"
            ));
        }
    }
    if provider.help.is_empty() && provider.access != Access::Closed && !imported {
        errors.push(format!("{id}: no help link"));
    }
    for link in provider.help {
        let host = link
            .strip_prefix("https://")
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
        match host {
            Some(host) => check_host_name(&format!("{id} help link host"), host, errors),
            None => errors.push(format!("{id}: help link is not https: {link}")),
        }
    }
}

#[test]
fn every_entry_is_valid() {
    let mut errors = Vec::new();
    for table in [curated(), imported()] {
        check_table(table, &mut errors);
    }
    for provider in imported() {
        if let Origin::Ispdb { curated: Some(id) } = provider.origin {
            if provider.curated_twin().map(|twin| twin.id) != Some(id) {
                errors.push(format!(
                    "{}: its curated twin {id} does not exist",
                    provider.id
                ));
            }
        }
    }
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Checks one table: ids, domains and MX rules unique within it, every entry valid.
fn check_table(table: &'static [Provider], errors: &mut Vec<String>) {
    let mut ids = BTreeMap::new();
    let mut domains = BTreeMap::new();
    let mut rules = BTreeMap::new();
    for provider in table {
        check_host_name("id", provider.id, errors);
        if let Some(other) = ids.insert(provider.id, provider.name) {
            errors.push(format!("id {} is used twice ({other})", provider.id));
        }
        for domain in provider.domains {
            check_host_name(&format!("{} domain", provider.id), domain, errors);
            if let Some(other) = domains.insert(*domain, provider.id) {
                errors.push(format!("domain {domain} is in {other} and {}", provider.id));
            }
        }
        for rule in provider.mx {
            check_host_name(&format!("{} MX rule", provider.id), rule, errors);
            if let Some(other) = rules.insert(*rule, provider.id) {
                errors.push(format!("MX rule {rule} is in {other} and {}", provider.id));
            }
        }
        for server in provider.servers {
            check_server(provider, server, errors);
        }
        check_access(provider, errors);
        check_texts(provider, errors);
    }
}

#[test]
fn the_validation_catches_bad_entries() {
    // The checks above must be able to fail: feed them entries that break each rule.
    const BAD_PORT: Server = Server {
        protocol: Protocol::Imap,
        host: "imap.example.com",
        port: 143,
        security: Security::Tls,
        username: Username::EmailAddress,
        note: "",
    };
    const PLAIN: Server = Server {
        security: Security::Plain,
        port: 143,
        ..BAD_PORT
    };
    const LOOPBACK: Server = Server {
        host: "127.0.0.1",
        port: 993,
        ..BAD_PORT
    };
    static SERVERS: [Server; 3] = [BAD_PORT, PLAIN, LOOPBACK];
    let provider = Provider {
        id: "Bad_Id",
        name: " ",
        domains: &[],
        access: Access::Standard,
        servers: &SERVERS,
        auth: &[],
        notes: &["no full stop"],
        help: &["http://example.com/help"],
        mx: &[],
        oauth2: None,
        origin: Origin::Curated,
        quirks: NO_QUIRKS,
        apple_account_type: None,
        app_password_page: None,
    };
    let mut errors = Vec::new();
    check_host_name("id", provider.id, &mut errors);
    for server in provider.servers {
        check_server(&provider, server, &mut errors);
    }
    check_access(&provider, &mut errors);
    check_texts(&provider, &mut errors);
    let all = errors.join("\n");
    for expected in [
        "id \"Bad_Id\"",
        "needs port 993",
        "plaintext servers are never listed",
        "loopback only for a local bridge",
        "no outgoing server",
        "no authentication method",
        "empty name",
        "not a plain sentence",
        "not https",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}

#[test]
fn the_table_covers_at_least_sixty_providers() {
    assert!(curated().len() >= 60, "only {} providers", curated().len());
    for id in [
        "gmail.com",
        "workspace.google.com",
        "outlook.com",
        "microsoft365.com",
        "yahoo.com",
        "aol.com",
        "icloud.com",
        "fastmail.com",
        "proton.me",
        "zoho.com",
        "gmx.net",
        "web.de",
        "mail.com",
        "yandex.com",
        "mail.ru",
        "ionos.de",
        "ovhcloud.com",
        "gandi.net",
        "migadu.com",
        "mailbox.org",
        "posteo.de",
        "runbox.com",
        "tuta.com",
        "hostinger.com",
        "privateemail.com",
        "secureserver.net",
        "emailsrvr.com",
        "comcast.net",
    ] {
        assert!(by_id(id).is_some(), "{id} is missing");
    }
}

#[test]
fn lookup_by_domain_is_exact_and_ignores_case() {
    assert_eq!(by_domain("gmail.com").map(|p| p.id), Some("gmail.com"));
    assert_eq!(
        by_domain("GoogleMail.COM.").map(|p| p.id),
        Some("gmail.com")
    );
    assert_eq!(
        by_domain("hotmail.co.uk").map(|p| p.id),
        Some("outlook.com")
    );
    assert_eq!(by_domain("verizon.net").map(|p| p.id), Some("aol.com"));
    assert_eq!(by_domain("pm.me").map(|p| p.id), Some("proton.me"));
    assert_eq!(by_domain("mail.gmail.com"), None, "subdomains do not match");
    assert_eq!(by_domain("xgmail.com"), None);
    assert_eq!(by_domain("example.com"), None);
    assert_eq!(by_id("FASTMAIL.COM").map(|p| p.name), Some("Fastmail"));
    assert_eq!(by_id("nonexistent.example"), None);
}

#[test]
fn suffix_matching_respects_label_boundaries() {
    let cases = [
        ("aspmx.l.google.com", "google.com", true),
        ("google.com", "google.com", true),
        ("google.com.", "google.com", true),
        ("ASPMX.L.GOOGLE.COM", "google.com", true),
        ("evilgoogle.com", "google.com", false),
        ("google.com.evil.example", "google.com", false),
        ("oogle.com", "google.com", false),
        (".google.com", "google.com", true),
        ("mx.zoho.com.au", "zoho.com", false),
        ("ünïcode.google.com", "google.com", true),
        ("é", "google.com", false),
    ];
    for (host, suffix, expected) in cases {
        assert_eq!(matches_suffix(host, suffix), expected, "{host} vs {suffix}");
    }
}

#[test]
fn lookup_by_mx_names_the_host_and_rule() {
    let (provider, matched) = by_mx(&["ALT1.ASPMX.L.GOOGLE.COM."]).unwrap();
    assert_eq!(provider.id, "workspace.google.com");
    assert_eq!(matched.mx_host, "alt1.aspmx.l.google.com");
    assert_eq!(matched.rule, "google.com");

    let (provider, matched) =
        by_mx(&["mx.example.net", "contoso-com.mail.protection.outlook.com"]).unwrap();
    assert_eq!(provider.id, "microsoft365.com");
    assert_eq!(matched.mx_host, "contoso-com.mail.protection.outlook.com");

    let cases = [
        ("in1-smtp.messagingengine.com", Some("fastmail.com")),
        ("mx.zoho.com", Some("workplace.zoho.com")),
        ("mx.zoho.eu", Some("workplace.zoho.eu")),
        ("mx.zoho.com.au", Some("workplace.zoho.com.au")),
        ("aspmx1.migadu.com", Some("migadu.com")),
        ("mx00.ionos.de", Some("ionos.de")),
        ("mx01.kundenserver.de", Some("ionos.de")),
        ("mail.protonmail.ch", Some("proton.me")),
        ("mail.tutanota.de", Some("tuta.com")),
        ("mx1.emailsrvr.com", Some("emailsrvr.com")),
        ("mx1.privateemail.com", Some("privateemail.com")),
        ("smtp.secureserver.net", Some("secureserver.net")),
        ("mx1.mail.ovh.net", Some("ovhcloud.com")),
        ("mxext1.mailbox.org", Some("mailbox.org")),
        ("mx01.mail.icloud.com", Some("icloud.com")),
        ("evilgoogle.com", None),
        ("outlook.com.evil.example", None),
        ("protection.outlook.com", None),
        ("mx.example.com", None),
    ];
    for (host, expected) in cases {
        assert_eq!(
            by_mx(&[host]).map(|(p, _)| p.id),
            expected,
            "MX {host} matched the wrong provider"
        );
    }
    assert!(by_mx(&[]).is_none());
}

#[test]
fn the_first_matching_mx_host_decides() {
    let (provider, matched) =
        by_mx(&["in1-smtp.messagingengine.com", "aspmx.l.google.com"]).unwrap();
    assert_eq!(provider.id, "fastmail.com");
    assert_eq!(matched.rule, "messagingengine.com");
}

#[test]
fn a_custom_domain_gets_the_hosts_settings_through_mx() {
    let input = parse_input("alice@example.org").unwrap();
    let (provider, matched) = by_mx(&["aspmx.l.google.com."]).unwrap();
    let candidates = provider.candidates_via_mx(&input, &matched.mx_host);
    let summary: Vec<(Protocol, &str, u16, Security)> =
        candidates.iter().map(Candidate::endpoint).collect();
    assert_eq!(
        summary,
        [
            (Protocol::Imap, "imap.gmail.com", 993, Security::Tls),
            (Protocol::Pop3, "pop.gmail.com", 995, Security::Tls),
            (Protocol::Submission, "smtp.gmail.com", 465, Security::Tls),
            (
                Protocol::Submission,
                "smtp.gmail.com",
                587,
                Security::Starttls
            ),
        ]
    );
    for candidate in &candidates {
        assert_eq!(candidate.source, Source::Mx);
        assert_eq!(candidate.trust, vec![Trust::KnownProvider]);
        assert_eq!(candidate.username, UsernameForm::EmailAddress);
        assert_eq!(
            candidate.auth,
            vec![AuthMethod::Oauth2, AuthMethod::AppPassword]
        );
        assert!(
            candidate.reasons[0]
                .contains("MX points at aspmx.l.google.com, which is Google Workspace"),
            "{:?}",
            candidate.reasons
        );
    }
    assert!(candidates[0].reasons[1].contains("implicit TLS on port 993"));
    assert!(candidates[3].reasons[1].contains("fallback"));

    let generic = provider.candidates(&input, Source::Mx);
    assert!(generic[0].reasons[0].contains("MX records point at Google Workspace"));
}

#[test]
fn a_providers_own_domain_is_same_domain_and_cites_the_provider() {
    let input = parse_input("bob@gmail.com").unwrap();
    let provider = by_domain(&input.domain.ascii).unwrap();
    let candidates = provider.candidates(&input, Source::KnowledgeBase);
    let imap = &candidates[0];
    assert_eq!(imap.host, "imap.gmail.com");
    assert_eq!(imap.source, Source::KnowledgeBase);
    assert_eq!(imap.trust, vec![Trust::SameDomain, Trust::KnownProvider]);
    assert!(imap.reasons[0].contains("Gmail's published settings for @gmail.com"));
    assert!(imap.reasons.iter().any(|r| r.contains("app password")));

    // googlemail.com addresses use gmail.com hosts: known, but not the same domain.
    let other = parse_input("bob@googlemail.com").unwrap();
    let candidates = provider.candidates(&other, Source::KnowledgeBase);
    assert_eq!(candidates[0].trust, vec![Trust::KnownProvider]);
}

#[test]
fn starttls_only_sending_is_explained() {
    let input = parse_input("carol@outlook.com").unwrap();
    let provider = by_domain("outlook.com").unwrap();
    assert!(provider.requires_oauth2());
    let candidates = provider.candidates(&input, Source::KnowledgeBase);
    let smtp = candidates
        .iter()
        .find(|c| c.protocol == Protocol::Submission)
        .unwrap();
    assert_eq!(
        smtp.endpoint(),
        (
            Protocol::Submission,
            "smtp-mail.outlook.com",
            587,
            Security::Starttls
        )
    );
    assert!(
        smtp.reasons[1].contains("publishes no implicit-TLS port"),
        "{:?}",
        smtp.reasons
    );
}

#[test]
fn icloud_signs_in_to_imap_with_the_local_part() {
    let input = parse_input("dana@icloud.com").unwrap();
    let candidates = by_domain("icloud.com")
        .unwrap()
        .candidates(&input, Source::KnowledgeBase);
    assert_eq!(candidates[0].username, UsernameForm::LocalPart);
    assert_eq!(candidates[1].username, UsernameForm::EmailAddress);
    assert!(by_domain("icloud.com").unwrap().requires_app_password());
}

#[test]
fn proton_goes_through_the_local_bridge() {
    let input = parse_input("erin@proton.me").unwrap();
    let provider = by_domain("proton.me").unwrap();
    assert_eq!(provider.access, Access::LocalBridge);
    let candidates = provider.candidates(&input, Source::KnowledgeBase);
    let endpoints: Vec<_> = candidates.iter().map(Candidate::endpoint).collect();
    assert_eq!(
        endpoints,
        [
            (Protocol::Imap, "127.0.0.1", 1143, Security::Starttls),
            (Protocol::Submission, "127.0.0.1", 1025, Security::Starttls),
        ]
    );
    assert!(candidates[0]
        .reasons
        .iter()
        .any(|r| r.contains("Proton Mail Bridge")));
}

#[test]
fn providers_without_mail_access_say_why() {
    let input = parse_input("frank@tuta.com").unwrap();
    for domain in ["tuta.com", "tutanota.com", "hey.com", "skiff.com"] {
        let provider = by_domain(domain).unwrap();
        assert!(!provider.offers_imap(), "{domain}");
        assert!(provider
            .candidates(&input, Source::KnowledgeBase)
            .is_empty());
        assert!(
            provider.notes.iter().any(|n| n.contains("IMAP")),
            "{domain}"
        );
    }
}

#[test]
fn providers_serialise_with_the_documented_names() {
    let json = serde_json::to_value(by_id("proton.me").unwrap()).unwrap();
    assert_eq!(json["id"], "proton.me");
    assert_eq!(json["access"], "local-bridge");
    assert_eq!(json["servers"][0]["protocol"], "imap");
    assert_eq!(json["servers"][0]["security"], "starttls");
    assert_eq!(json["servers"][0]["username"], "email-address");
    assert_eq!(json["auth"][0], "app-password");
    let json = serde_json::to_value(by_id("gmail.com").unwrap()).unwrap();
    assert!(
        json["servers"][0].get("note").is_none(),
        "empty notes are left out"
    );
    assert_eq!(json["mx"], serde_json::json!([]));
}

#[test]
fn every_mx_rule_leads_back_to_its_provider() {
    for provider in providers() {
        for rule in provider.mx {
            let host = format!("mx1.{rule}.");
            let (found, matched) = by_mx(&[host.as_str()]).unwrap();
            assert_eq!(
                found.id, provider.id,
                "MX {host} is claimed by another rule"
            );
            assert_eq!(matched.rule, *rule);
        }
    }
}

#[test]
fn every_providers_candidates_are_ordered_and_explained() {
    for provider in providers() {
        let domain = provider.domains.first().copied().unwrap_or("example.org");
        let input = parse_input(&format!("someone@{domain}")).unwrap();
        let candidates = provider.candidates(&input, Source::KnowledgeBase);
        if provider.access == Access::UnencryptedOnly {
            // Never the listed plaintext servers: their hosts, guessed with encryption.
            assert!(!candidates.is_empty(), "{}", provider.id);
            assert!(
                candidates
                    .iter()
                    .all(|c| c.security != Security::Plain && c.source == Source::Guess),
                "{}",
                provider.id
            );
            continue;
        }
        assert_eq!(candidates.len(), provider.servers.len(), "{}", provider.id);
        let keys: Vec<_> = candidates
            .iter()
            .map(|c| (c.protocol, c.security))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            keys, sorted,
            "{}: implicit TLS must come first",
            provider.id
        );
        let mut endpoints: Vec<_> = candidates.iter().map(Candidate::endpoint).collect();
        endpoints.sort();
        endpoints.dedup();
        assert_eq!(
            endpoints.len(),
            candidates.len(),
            "{}: duplicate server",
            provider.id
        );
        for candidate in &candidates {
            assert!(candidate.trust.contains(&Trust::KnownProvider));
            assert!(candidate.reasons.len() >= 2, "{}", provider.id);
            assert!(candidate.reasons[0].contains(provider.name));
            assert!(candidate.reasons[1].contains(&candidate.port.to_string()));
            assert!(!candidate.auth.is_empty());
        }
    }
}

#[test]
fn imported_entries_answer_for_domains_only_the_ispdb_knows() {
    // The example: 1&1's brands are served by imap.1und1.de, not a guess.
    let input = parse_input("someone@online.de").unwrap();
    let provider = by_domain("online.de").expect("online.de is in the ISPDB");
    assert!(matches!(provider.origin, Origin::Ispdb { .. }));
    let candidates = provider.candidates(&input, Source::KnowledgeBase);
    assert_eq!(candidates[0].host, "imap.1und1.de");
    assert_eq!(
        (candidates[0].port, candidates[0].security),
        (993, Security::Tls)
    );
    assert!(candidates[0].reasons[0].contains("Thunderbird's ISP database"));
    assert!(candidates.iter().all(|c| c.security != Security::Plain));
}

#[test]
fn a_curated_twin_wins_for_the_domains_the_ispdb_adds() {
    // The ISPDB lists google.com under Gmail; the curated Gmail entry answers for it.
    let imported = imported()
        .iter()
        .find(|p| p.domains.contains(&"google.com"))
        .expect("the ISPDB lists google.com");
    assert_eq!(imported.curated_twin().map(|p| p.id), Some("gmail.com"));
    let provider = by_domain("google.com").unwrap();
    assert_eq!(provider.id, "gmail.com");
    assert_eq!(provider.origin, Origin::Curated);
    assert!(provider.oauth2.is_some());
}

#[test]
fn hosts_named_after_the_domain_are_filled_in() {
    let provider = by_domain("inbox.lv").expect("inbox.lv is in the ISPDB");
    let input = parse_input("a@inbox.lv").unwrap();
    let imap = provider
        .candidates(&input, Source::KnowledgeBase)
        .into_iter()
        .find(|c| c.protocol == Protocol::Imap)
        .unwrap();
    assert_eq!(imap.host, "mail.inbox.lv");
    assert!(imap.trust.contains(&Trust::SameDomain));
}

#[test]
fn a_provider_with_only_unencrypted_servers_is_known_but_gets_encrypted_guesses() {
    let provider = by_domain("nifty.com").expect("nifty.com is in the ISPDB");
    assert_eq!(provider.access, Access::UnencryptedOnly);
    assert!(provider
        .servers
        .iter()
        .all(|s| s.security == Security::Plain));
    assert!(provider.notes[0].contains("only unencrypted servers"));
    let input = parse_input("taro@nifty.com").unwrap();
    let result = crate::discovery::merge(&input, &[], &[]);
    assert!(!result.incoming.is_empty());
    assert!(result
        .incoming
        .iter()
        .chain(&result.outgoing)
        .all(|c| c.source == Source::Guess && c.security != Security::Plain));
    // The hosts the ISPDB names come first, with encryption.
    let listed = provider
        .servers
        .iter()
        .find(|s| s.protocol == result.incoming[0].protocol);
    assert_eq!(
        Some(result.incoming[0].host.as_str()),
        listed.map(|s| s.host)
    );
    assert_eq!(result.incoming[0].security, Security::Tls);
    let setup = crate::setup::prepare(&input, &result, &[], None, &Default::default());
    assert_eq!(setup.provider.map(|p| p.id), Some("nifty.com"));
}
