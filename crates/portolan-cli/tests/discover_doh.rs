//! `portolan discover` against a real DoH server (dnsdist + unbound) on loopback, each test in
//! its own loopback-only network namespace when one can be made.

mod support;

use std::process::Command;
use std::time::Duration;

use portolan_cli::doh::{DohClient, DohConfig};
use portolan_core::discovery::{plan, Purpose, Service};
use portolan_core::dns::{DohMethod, Outcome, Rcode};
use serde_json::Value;

use support::doh_server;
use support::loopback::{self, closed_port, Hanging, StaticHttp};
use support::netns;

/// Runs the CLI with `args` and returns its JSON output.
fn discover_json(args: &[&str]) -> Value {
    let output = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .arg("discover")
        .arg("--json")
        .args(args)
        .output()
        .expect("run portolan");
    assert!(
        output.status.success(),
        "portolan discover failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn endpoints(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|c| {
            format!(
                "{} {}:{} {} {}",
                c["protocol"].as_str().unwrap(),
                c["host"].as_str().unwrap(),
                c["port"],
                c["security"].as_str().unwrap(),
                c["source"].as_str().unwrap()
            )
        })
        .collect()
}

fn lookup<'a>(result: &'a Value, name: &str) -> &'a Value {
    result["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["name"] == name)
        .unwrap_or_else(|| panic!("no lookup for {name}: {}", result["lookups"]))
}

/// A DoH client asking `resolvers` in order with GET, 5 s each.
fn doh_client(resolvers: Vec<String>) -> DohClient {
    DohClient::new(DohConfig {
        resolvers,
        timeout: Duration::from_secs(5),
        method: DohMethod::Get,
    })
    .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn srv_priorities_weights_dot_targets_and_third_party_targets() {
    if !netns::enter("srv_priorities_weights_dot_targets_and_third_party_targets") {
        return;
    }
    let server = doh_server::start();
    let result = discover_json(&["--doh", &server.url, "--no-fetch", "jane@sorted.test"]);
    assert_eq!(result["address"], "jane@sorted.test");
    assert_eq!(result["domain"], "sorted.test");
    assert_eq!(
        endpoints(&result["incoming"]),
        [
            "imap heavy.sorted.test:993 tls srv",
            "imap light.sorted.test:993 tls srv",
            "imap backup.sorted.test:993 tls srv",
            "imap mail.sorted.test:143 starttls srv",
        ]
    );
    assert_eq!(
        endpoints(&result["outgoing"]),
        [
            "submission smtp.hoster.example:465 tls srv",
            "submission mail.sorted.test:587 starttls srv",
        ]
    );
    assert_eq!(
        result["outgoing"][0]["trust"],
        serde_json::json!(["third-party-target-needs-confirmation"])
    );
    assert_eq!(
        result["incoming"][0]["trust"],
        serde_json::json!(["same-domain"])
    );
    assert!(result["incoming"][0]["reasons"][0]
        .as_str()
        .unwrap()
        .contains("SRV 10 60 993 heavy.sorted.test"));
    let unavailable: Vec<String> = result["unavailable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| format!("{} {} {}", u["protocol"], u["security"], u["record"]))
        .collect();
    assert_eq!(
        unavailable,
        [
            "\"pop3\" \"tls\" \"_pop3s._tcp.sorted.test\"",
            "\"pop3\" \"starttls\" \"_pop3._tcp.sorted.test\"",
        ]
    );
    // No POP3 guess contradicts the explicit "not offered".
    assert!(!endpoints(&result["incoming"])
        .iter()
        .any(|e| e.starts_with("pop3")));
    assert_eq!(
        result["lookups"].as_array().unwrap().len(),
        plan(&portolan_core::parse_input("jane@sorted.test").unwrap()).len()
    );
    let imaps = lookup(&result, "_imaps._tcp.sorted.test");
    assert_eq!(imaps["type"], "SRV");
    assert_eq!(imaps["rcode"], "NOERROR");
    assert_eq!(imaps["ad"], false);
    assert_eq!(imaps["resolver"], server.url.as_str());
    assert!(imaps["milliseconds"].is_u64());
    assert_eq!(
        lookup(&result, "_autodiscover._tcp.sorted.test")["rcode"],
        "NXDOMAIN"
    );
}

#[test]
fn cname_chains_nxdomain_and_nodata_through_the_client() {
    if !netns::enter("cname_chains_nxdomain_and_nodata_through_the_client") {
        return;
    }
    let server = doh_server::start();
    let client = doh_client(vec![server.url.clone()]);
    let runtime = runtime();
    let answer = |address: &str, service: Service| {
        let input = portolan_core::parse_input(address).unwrap();
        let query = plan(&input)
            .into_iter()
            .find(|query| query.purpose == Purpose::Srv(service))
            .unwrap();
        runtime.block_on(client.resolve(query)).result.unwrap()
    };

    let chained = answer("x@cname.test", Service::Imaps);
    assert_eq!(chained.cname_chain, ["alias.target.test", "srv.other.test"]);
    let Outcome::Srv(records) = chained.outcome else {
        panic!("expected SRV records at the end of the chain");
    };
    assert_eq!(records[0].target, "imap.cname.test");

    let nodata = answer("x@nodata.test", Service::Imaps);
    assert_eq!(
        (nodata.rcode, nodata.outcome),
        (Rcode::NoError, Outcome::NoData)
    );
    let nxdomain = answer("x@nodata.test", Service::Imap);
    assert_eq!(
        (nxdomain.rcode, nxdomain.outcome),
        (Rcode::NxDomain, Outcome::NxDomain)
    );

    // The CLI explains the alias.
    let result = discover_json(&["--doh", &server.url, "--no-fetch", "x@cname.test"]);
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap imap.cname.test:993 tls srv"
    );
    assert!(result["incoming"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r
            .as_str()
            .unwrap()
            .contains("alias.target.test → srv.other.test")));
}

#[test]
fn idn_domain_is_asked_in_ascii_form() {
    if !netns::enter("idn_domain_is_asked_in_ascii_form") {
        return;
    }
    let server = doh_server::start();
    let result = discover_json(&["--doh", &server.url, "--no-fetch", "jürgen@Bücher.test"]);
    assert_eq!(result["domain"], "xn--bcher-kva.test");
    assert_eq!(result["address"], "jürgen@xn--bcher-kva.test");
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap mail.xn--bcher-kva.test:993 tls srv"
    );
    assert_eq!(
        result["incoming"][0]["trust"],
        serde_json::json!(["same-domain"])
    );
    assert_eq!(
        lookup(&result, "_imaps._tcp.xn--bcher-kva.test")["rcode"],
        "NOERROR"
    );
}

#[test]
fn mx_at_google_means_google_workspace() {
    if !netns::enter("mx_at_google_means_google_workspace") {
        return;
    }
    let server = doh_server::start();
    let result = discover_json(&["--doh", &server.url, "--no-fetch", "boss@hosted.test"]);
    let incoming = endpoints(&result["incoming"]);
    assert_eq!(
        incoming[0], "imap imap.gmail.com:993 tls mx",
        "{incoming:?}"
    );
    assert!(result["outgoing"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["source"] == "mx" && c["host"] == "smtp.gmail.com"));
    let reasons = result["incoming"][0]["reasons"].to_string();
    assert!(reasons.contains("aspmx.l.google.com"), "{reasons}");
    assert!(result["incoming"][0]["trust"]
        .as_array()
        .unwrap()
        .contains(&Value::from("known-provider")));
    assert_eq!(lookup(&result, "hosted.test")["type"], "MX");
}

#[test]
fn mx_hosted_domains_get_their_providers_settings_to_confirm() {
    if !netns::enter("mx_hosted_domains_get_their_providers_settings_to_confirm") {
        return;
    }
    let server = doh_server::start();
    // The imported ISPDB knows the MX's registrable domain: decided without a second round.
    let ispdb = StaticHttp::start(404, "text/plain", "unknown".to_owned());
    let provider = StaticHttp::start(404, "text/plain", "none".to_owned());
    // Discovery with every fetch on loopback: the domain's own file, the ISPDB service and
    // the MX provider's file (`mx_files`).
    let discover_with = |mx_files: &StaticHttp, address: &str| {
        discover_json(&[
            "--doh",
            &server.url,
            "--autoconfig-url",
            &provider.url("/own/mail/config-v1.1.xml"),
            "--ispdb-url",
            &ispdb.url("/v1.1/{domain}"),
            "--mx-autoconfig-url",
            &mx_files.url("/mx/{domain}/mail/config-v1.1.xml"),
            address,
        ])
    };
    let by_knowledge = discover_with(&provider, "kim@mx-ispdb.test");
    let top = &by_knowledge["incoming"][0];
    assert_eq!(
        (top["host"].as_str(), top["source"].as_str()),
        (Some("securemail.a1.net"), Some("mx"))
    );
    assert!(top["trust"]
        .as_array()
        .unwrap()
        .contains(&Value::from("third-party-target-needs-confirmation")));
    assert!(top["reasons"]
        .to_string()
        .contains("confirm that a1.net is your mail provider"));
    let found = &by_knowledge["provider"];
    assert_eq!(found["registrable_domain"], "a1.net");
    assert_eq!(found["found_by"], "mx");
    assert_eq!(found["knowledge"], "ispdb");
    assert_eq!(found["needs_confirmation"], true);
    let asked: Vec<String> = provider.requests.lock().unwrap().clone();
    assert!(
        asked.iter().all(|line| !line.contains("/mx/")),
        "no second round was needed: {asked:?}"
    );
    // Nothing bundled knows the MX: the second round asks MXFULL, MXBASE and the ISPDB for
    // MXBASE, and the MX provider's file decides.
    let file = include_str!("../../portolan-core/src/discovery/fixtures/autoconfig-hosted.xml");
    let mx_provider = StaticHttp::start(200, "text/xml", file.to_owned());
    let second = discover_with(&mx_provider, "kim@mx-unknown.test");
    let mut asked = mx_provider.requests.lock().unwrap().clone();
    asked.sort();
    assert_eq!(
        asked,
        [
            // The address itself does not go to a provider found only through the MX.
            "GET /mx/hosting-company.net/mail/config-v1.1.xml HTTP/1.1",
            "GET /mx/mail.hosting-company.net/mail/config-v1.1.xml HTTP/1.1",
        ]
    );
    let ispdb_asked = ispdb.requests.lock().unwrap().clone();
    assert!(
        ispdb_asked.contains(&"GET /v1.1/mx-unknown.test HTTP/1.1".to_owned()),
        "{ispdb_asked:?}"
    );
    assert!(
        ispdb_asked.contains(&"GET /v1.1/hosting-company.net HTTP/1.1".to_owned()),
        "{ispdb_asked:?}"
    );
    let top = &second["incoming"][0];
    assert_eq!(
        (top["host"].as_str(), top["source"].as_str()),
        (Some("imap.mx-unknown.test"), Some("mx"))
    );
    let kinds: Vec<&str> = second["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|entry| entry["type"].as_str())
        .collect();
    assert!(
        kinds.contains(&"AUTOCONFIG-MX") && kinds.contains(&"ISPDB-MX"),
        "{kinds:?}"
    );
}

#[test]
fn ad_flag_marks_candidates_dnssec_validated() {
    if !netns::enter("ad_flag_marks_candidates_dnssec_validated") {
        return;
    }
    let server = doh_server::start();
    let result = discover_json(&[
        "--doh",
        &server.url,
        "--no-fetch",
        "--post",
        "a@signed.test",
    ]);
    assert_eq!(lookup(&result, "_imaps._tcp.signed.test")["ad"], true);
    assert_eq!(
        result["incoming"][0]["trust"],
        serde_json::json!(["dnssec-validated", "same-domain"])
    );
    // The unsigned zone in the same run has no AD flag.
    let plain = discover_json(&["--doh", &server.url, "--no-fetch", "a@sorted.test"]);
    assert_eq!(lookup(&plain, "_imaps._tcp.sorted.test")["ad"], false);
}

#[test]
fn refused_and_hanging_resolvers_fall_back_to_the_next() {
    if !netns::enter("refused_and_hanging_resolvers_fall_back_to_the_next") {
        return;
    }
    let server = doh_server::start();
    let hanging = Hanging::start();
    let closed = loopback::url(closed_port(), "/dns-query");
    let hung = hanging.url("/dns-query");
    let result = discover_json(&[
        "--doh",
        &closed,
        "--doh",
        &hung,
        "--doh",
        &server.url,
        "--timeout-ms",
        "300",
        "--no-fetch",
        "jane@sorted.test",
    ]);
    for entry in result["lookups"].as_array().unwrap() {
        assert_eq!(entry["resolver"], server.url.as_str(), "{entry}");
        assert_ne!(entry["rcode"], "TIMEOUT");
    }
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap heavy.sorted.test:993 tls srv"
    );
    // The queries really went to the hanging resolver after the refused one, and moved on.
    assert!(*hanging.connections.lock().unwrap() >= 1);

    // With only broken resolvers, every lookup says what happened, and guesses remain.
    let failed = discover_json(&[
        "--doh",
        &closed,
        "--doh",
        &hung,
        "--timeout-ms",
        "200",
        "--no-fetch",
        "jane@sorted.test",
    ]);
    for entry in failed["lookups"].as_array().unwrap() {
        assert_eq!(entry["rcode"], "TIMEOUT", "{entry}");
        assert_eq!(entry["resolver"], hung.as_str());
    }
    assert!(failed["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["source"] == "guess"));
    let only_closed = discover_json(&["--doh", &closed, "--no-fetch", "jane@sorted.test"]);
    let first = &only_closed["lookups"][0];
    assert_eq!(first["rcode"], "ERROR");
    assert!(first["error"]
        .as_str()
        .unwrap()
        .contains("could not reach the resolver"));
}

#[test]
fn published_autoconfig_is_fetched_and_merged() {
    if !netns::enter("published_autoconfig_is_fetched_and_merged") {
        return;
    }
    let server = doh_server::start();
    let file = include_str!("../../portolan-core/src/discovery/fixtures/autoconfig-hosted.xml");
    let autoconfig = StaticHttp::start(200, "text/xml", file.to_owned());
    let missing = StaticHttp::start(404, "text/html", "not here".to_owned());
    let result = discover_json(&[
        "--doh",
        &server.url,
        "--autoconfig-url",
        &missing.url("/.well-known/autoconfig/mail/config-v1.1.xml"),
        "--autoconfig-url",
        &autoconfig.url("/mail/config-v1.1.xml"),
        "jane@nodata.test",
    ]);
    let requests = autoconfig.requests.lock().unwrap().clone();
    assert_eq!(
        requests,
        ["GET /mail/config-v1.1.xml?emailaddress=jane%40nodata.test HTTP/1.1"]
    );
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap imap.nodata.test:993 tls autoconfig"
    );
    let last = result["incoming"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["port"].as_u64(), last["security"].as_str()),
        (Some(110), Some("plain"))
    );
    let fetches: Vec<String> = result["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["type"] == "AUTOCONFIG")
        .map(|entry| entry["rcode"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fetches, ["HTTP 404", "HTTP 200"]);
}

#[test]
fn offline_asks_no_resolver() {
    if !netns::enter("offline_asks_no_resolver") {
        return;
    }
    let hanging = Hanging::start();
    let resolver = hanging.url("/dns-query");
    let result = discover_json(&["--offline", "--doh", &resolver, "someone@gmail.com"]);
    assert_eq!(*hanging.connections.lock().unwrap(), 0);
    assert_eq!(result["lookups"], serde_json::json!([]));
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap imap.gmail.com:993 tls knowledge-base"
    );
}

#[test]
fn bad_responses_are_reported_and_skipped() {
    if !netns::enter("bad_responses_are_reported_and_skipped") {
        return;
    }
    let server = doh_server::start();
    let html = StaticHttp::start(200, "text/html", "<html>captive portal</html>".to_owned());
    let garbage = StaticHttp::start(200, "application/dns-message", "not dns".to_owned());
    let forbidden = StaticHttp::start(403, "text/plain", "no".to_owned());
    let runtime = runtime();
    let input = portolan_core::parse_input("jane@sorted.test").unwrap();
    let query = plan(&input).remove(2);
    let ask =
        |resolvers: Vec<String>| runtime.block_on(doh_client(resolvers).resolve(query.clone()));
    let errors: Vec<String> = [&html, &garbage, &forbidden]
        .iter()
        .map(|bad| {
            ask(vec![bad.url("/dns-query")])
                .result
                .unwrap_err()
                .to_string()
        })
        .collect();
    assert!(
        errors[0].contains("content type \"text/html\""),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("the answer is not a DNS message"),
        "{errors:?}"
    );
    assert_eq!(errors[2], "the resolver answered HTTP 403");

    // Each of them is skipped in favour of the next resolver.
    let answered = ask(vec![
        html.url("/dns-query"),
        garbage.url("/dns-query"),
        forbidden.url("/dns-query"),
        server.url.clone(),
    ]);
    assert_eq!(answered.resolver, server.url);
    assert_eq!(answered.result.unwrap().rcode, Rcode::NoError);
    // One request from the first check above, one from the fallback run.
    assert_eq!(html.requests.lock().unwrap().len(), 2);
    assert!(html.requests.lock().unwrap()[0].starts_with("GET /dns-query?dns="));
}

#[test]
fn autodiscover_is_posted_and_merged_and_bare_domains_skip_it() {
    if !netns::enter("autodiscover_is_posted_and_merged_and_bare_domains_skip_it") {
        return;
    }
    let server = doh_server::start();
    let pox = include_str!("../../portolan-core/src/discovery/fixtures/autodiscover-pox.xml");
    let autodiscover =
        StaticHttp::start(200, "text/xml", pox.replace("example.com", "nodata.test"));
    let url = autodiscover.url("/autodiscover/autodiscover.xml");
    let result = discover_json(&[
        "--doh",
        &server.url,
        "--autodiscover-url",
        &url,
        "jane@nodata.test",
    ]);
    assert_eq!(
        autodiscover.requests.lock().unwrap().clone(),
        ["POST /autodiscover/autodiscover.xml HTTP/1.1"]
    );
    assert_eq!(
        endpoints(&result["incoming"])[0],
        "imap mail.nodata.test:993 tls autodiscover"
    );
    assert_eq!(
        endpoints(&result["outgoing"])[0],
        "submission mail.nodata.test:587 starttls autodiscover"
    );
    assert_eq!(lookup(&result, &url)["rcode"], "HTTP 200");

    // A bare domain names no mailbox, so nothing is posted; the address is null.
    let bare = discover_json(&[
        "--doh",
        &server.url,
        "--autodiscover-url",
        &url,
        "nodata.test",
    ]);
    assert_eq!(bare["address"], Value::Null);
    assert_eq!(autodiscover.requests.lock().unwrap().len(), 1);
}

#[test]
fn human_output_explains_refusals_conflicts_and_lookups() {
    if !netns::enter("human_output_explains_refusals_conflicts_and_lookups") {
        return;
    }
    let server = doh_server::start();
    let output = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args([
            "discover",
            "--doh",
            &server.url,
            "--no-fetch",
            "jane@sorted.test",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "Mail servers for jane@sorted.test",
        "  1. IMAP heavy.sorted.test:993 tls  [srv; same-domain]",
        "  1. SMTP smtp.hoster.example:465 tls  [srv; third-party-target-needs-confirmation]",
        "Not offered by the domain:",
        "_pop3._tcp.sorted.test has an SRV record with target \".\"",
        "Lookups:",
        "NXDOMAIN",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let invalid = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["discover", "--offline", "jane@"])
        .output()
        .unwrap();
    assert_eq!(invalid.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("nothing after the @"));
    let bad_resolver = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["discover", "--doh", "dns.example", "jane@sorted.test"])
        .output()
        .unwrap();
    assert_eq!(bad_resolver.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_resolver.stderr).contains("full URL"));
}

#[test]
fn every_planned_lookup_is_in_flight_at_once() {
    if !netns::enter("every_planned_lookup_is_in_flight_at_once") {
        return;
    }
    // A resolver that never answers: asked one after another, only one query could be waiting
    // at a time until the 10 s timeout; asked as one batch, all of them wait together.
    let hanging = Hanging::start();
    let resolver = hanging.url("/dns-query");
    let mut child = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(["discover", "--json", "--no-fetch", "--timeout-ms", "10000"])
        .args(["--doh", &resolver, "jane@sorted.test"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let planned = plan(&portolan_core::parse_input("jane@sorted.test").unwrap()).len();
    let mut seen = 0;
    for _ in 0..160 {
        seen = *hanging.connections.lock().unwrap();
        if seen >= planned || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let still_waiting = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        still_waiting,
        "the command ended before its queries could time out"
    );
    assert_eq!(seen, planned, "queries waiting at the same time");
}

#[test]
fn jmap_caldav_and_carddav_are_discovered_in_the_same_batch() {
    if !netns::enter("jmap_caldav_and_carddav_are_discovered_in_the_same_batch") {
        return;
    }
    let doh = doh_server::start();
    let result = discover_json(&["--no-fetch", "--doh", &doh.url, "jane@services.test"]);
    let services: Vec<String> = result["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s["service"].as_str().unwrap(),
                s["endpoint"]["url"].as_str().unwrap_or("-"),
                s["source"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        services,
        [
            "jmap https://jmap.services.test/.well-known/jmap srv",
            "caldav https://dav.services.test/dav/calendars/ srv",
            "carddav https://dav.services.test:8443/.well-known/carddav srv",
        ]
    );
    // Each new lookup is in the report with its answer.
    assert_eq!(
        lookup(&result, "_jmap._tcp.services.test")["rcode"],
        "NOERROR"
    );
    let paths: Vec<&Value> = result["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["name"] == "_caldavs._tcp.services.test" && l["type"] == "TXT")
        .collect();
    assert_eq!(paths.len(), 1, "{}", result["lookups"]);
    assert_eq!(
        lookup(&result, "_carddav._tcp.services.test")["rcode"],
        "NOERROR"
    );
    // The text output lists them as what the account also offers.
    let text = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args([
            "discover",
            "--no-fetch",
            "--doh",
            &doh.url,
            "jane@services.test",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("The account also offers:"), "{text}");
    assert!(text.contains("CalDAV"), "{text}");
}

#[test]
fn a_pacc_document_is_used_only_when_its_txt_digest_matches() {
    if !netns::enter("a_pacc_document_is_used_only_when_its_txt_digest_matches") {
        return;
    }
    let document = include_str!("../../portolan-core/src/discovery/fixtures/pacc.json");
    let record = portolan_core::formats::pacc::txt_value(document);
    let other = portolan_core::formats::pacc::txt_value("{}");
    let server = doh_server::start_with(&format!(
        "_ua-auto-config.pacc.test. IN TXT \"{record}\"\n_ua-auto-config.paccbad.test. IN TXT \"{other}\"\n"
    ));
    let pacc = StaticHttp::start(200, "application/json", document.to_owned());
    let missing = StaticHttp::start(404, "text/html", "not here".to_owned());
    let discover = |address: &str| {
        discover_json(&[
            "--doh",
            &server.url,
            "--autoconfig-url",
            &missing.url("/mail/config-v1.1.xml"),
            "--pacc-url",
            &pacc.url("/.well-known/user-agent-configuration.json?d={domain}"),
            address,
        ])
    };
    let good = discover("jane@pacc.test");
    assert_eq!(
        endpoints(&good["incoming"])[0],
        "imap imap.example.com:993 tls pacc"
    );
    let reasons = good["incoming"][0]["reasons"].to_string();
    assert!(
        reasons.contains("SHA-256 digest matches the TXT record _ua-auto-config.pacc.test"),
        "{reasons}"
    );
    assert_eq!(lookup(&good, "_ua-auto-config.pacc.test")["type"], "TXT");
    assert!(good["services"]
        .to_string()
        .contains("https://jmap.example.com/session"));

    let bad = discover("jane@paccbad.test");
    assert!(endpoints(&bad["incoming"])
        .iter()
        .all(|e| !e.ends_with("pacc")));
    let row = bad["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["type"] == "PACC")
        .expect("the PACC fetch in the lookups");
    assert!(
        row["error"]
            .as_str()
            .unwrap()
            .contains("matches none of the 1 TXT record(s)"),
        "{row}"
    );
    let requests = pacc.requests.lock().unwrap().clone();
    assert_eq!(
        requests,
        [
            "GET /.well-known/user-agent-configuration.json?d=pacc.test HTTP/1.1",
            "GET /.well-known/user-agent-configuration.json?d=paccbad.test HTTP/1.1"
        ]
    );
}

#[test]
fn a_second_resolver_that_answers_differently_is_shown_with_both_answers() {
    if !netns::enter("a_second_resolver_that_answers_differently_is_shown_with_both_answers") {
        return;
    }
    let first = doh_server::start();
    // The second resolver has been told of another mail server for the domain.
    let second = doh_server::start_with("sorted.test. IN MX 5 mx.attacker.example.");
    let result = discover_json(&[
        "--no-fetch",
        "--doh",
        &first.url,
        "--second-doh",
        &second.url,
        "jane@sorted.test",
    ]);
    let conflicts = result["resolver_conflicts"].as_array().expect("conflicts");
    assert_eq!(conflicts.len(), 1, "{}", result["resolver_conflicts"]);
    assert_eq!(conflicts[0]["name"], "sorted.test");
    assert_eq!(conflicts[0]["type"], "MX");
    assert_eq!(
        conflicts[0]["answers"][0]["records"],
        serde_json::json!(["MX 10 mx.sorted.test"])
    );
    assert_eq!(
        conflicts[0]["answers"][1]["records"],
        serde_json::json!(["MX 10 mx.sorted.test", "MX 5 mx.attacker.example"])
    );
    assert_eq!(conflicts[0]["answers"][1]["resolver"], second.url.as_str());
    // Both resolvers' lookups are in the report.
    let planned = plan(&portolan_core::parse_input("jane@sorted.test").unwrap()).len();
    assert_eq!(result["lookups"].as_array().unwrap().len(), 2 * planned);
    // Two resolvers that agree give no conflict.
    let agreeing = doh_server::start();
    let result = discover_json(&[
        "--no-fetch",
        "--doh",
        &first.url,
        "--second-doh",
        &agreeing.url,
        "jane@sorted.test",
    ]);
    assert!(result.get("resolver_conflicts").is_none(), "{result}");
}

#[test]
fn well_known_uris_that_answer_name_the_services() {
    if !netns::enter("well_known_uris_that_answer_name_the_services") {
        return;
    }
    let server = doh_server::start();
    let missing = StaticHttp::start(404, "text/html", "not here".to_owned());
    let login = StaticHttp::start(401, "text/plain", "log in first".to_owned());
    let discover = |base: &str| {
        discover_json(&[
            "--doh",
            &server.url,
            "--autoconfig-url",
            &missing.url("/mail/config-v1.1.xml"),
            "--well-known-url",
            base,
            "jane@nodata.test",
        ])
    };
    // A server that asks for a login at every well-known URI offers all three there.
    let answered = discover(&login.url("/{domain}"));
    let services: Vec<String> = answered["services"]
        .as_array()
        .expect("services")
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s["service"].as_str().unwrap(),
                s["source"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        services,
        ["jmap well-known", "caldav well-known", "carddav well-known"]
    );
    // Asked at once, so they arrive in any order.
    let mut requests = login.requests.lock().unwrap().clone();
    requests.sort();
    assert_eq!(
        requests,
        [
            "GET /nodata.test/.well-known/caldav HTTP/1.1",
            "GET /nodata.test/.well-known/carddav HTTP/1.1",
            "GET /nodata.test/.well-known/jmap HTTP/1.1"
        ]
    );
    // "Not found" names nothing.
    let none = discover(&missing.url("/{domain}"));
    assert!(none.get("services").is_none(), "{none}");
}
