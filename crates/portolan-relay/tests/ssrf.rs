//! The SSRF matrix and the other handshake refusals: every refused address class, as a literal
//! and through a name (a table-driven resolver), refused with the right reason and with no TCP
//! connect attempted; wrong ports, wrong Origin, over-limit clients.
//!
//! Tests that name non-loopback targets run inside a loopback-only network namespace, so even a
//! broken policy could not send a packet off this machine.

mod support;

use portolan_relay_wire::RefusalReason;
use std::net::IpAddr;
use std::sync::Arc;

use portolan_relay::TableResolver;
use support::*;

/// Every refused class with a literal address from it (URL-encoded for the query).
const LITERALS: &[(&str, &str)] = &[
    ("0.0.0.0", "unspecified"),
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("10.0.0.1", "private"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.1", "shared_address_space"),
    ("169.254.169.254", "link_local"),
    ("255.255.255.255", "broadcast"),
    ("224.0.0.1", "multicast"),
    ("192.0.2.1", "documentation"),
    ("198.51.100.7", "documentation"),
    ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"),
    ("192.0.0.8", "protocol_assignment"),
    ("240.0.0.1", "reserved"),
    ("%5B::1%5D", "loopback"),
    ("%5B::%5D", "unspecified"),
    ("::1", "loopback"),
    ("%5Bfc00::1%5D", "unique_local"),
    ("%5Bfd12:3456::1%5D", "unique_local"),
    ("%5Bfe80::1%5D", "link_local"),
    ("%5Bfec0::1%5D", "site_local"),
    ("%5Bff02::1%5D", "multicast"),
    ("%5B::ffff:127.0.0.1%5D", "loopback"),
    ("%5B::ffff:10.0.0.1%5D", "private"),
    ("%5B::ffff:169.254.169.254%5D", "link_local"),
    ("%5B::127.0.0.1%5D", "ipv4_compatible"),
    ("%5B64:ff9b::10.0.0.1%5D", "private"),
    ("%5B64:ff9b::7f00:1%5D", "loopback"),
    ("%5B64:ff9b:1::1%5D", "local_nat64"),
    ("%5B2002:7f00:1::%5D", "loopback"),
    ("%5B2002:c0a8:101::1%5D", "private"),
    ("%5B2001:db8::1%5D", "documentation"),
    ("%5B2001::1%5D", "protocol_assignment"),
    ("%5B100::1%5D", "discard_only"),
];

/// A name for each refused class, resolving to addresses of that class only.
fn names() -> Vec<(&'static str, Vec<IpAddr>, &'static str)> {
    let ip = |text: &str| -> IpAddr { text.parse().unwrap() };
    vec![
        ("localhost", vec![ip("127.0.0.1")], "loopback"),
        ("loopback6.test", vec![ip("::1")], "loopback"),
        ("unspecified.test", vec![ip("0.0.0.0")], "unspecified"),
        ("private.test", vec![ip("10.1.2.3")], "private"),
        (
            "private-many.test",
            vec![ip("192.168.0.10"), ip("127.0.0.1")],
            "private",
        ),
        (
            "cgnat.test",
            vec![ip("100.100.100.100")],
            "shared_address_space",
        ),
        ("metadata.test", vec![ip("169.254.169.254")], "link_local"),
        ("broadcast.test", vec![ip("255.255.255.255")], "broadcast"),
        ("multicast.test", vec![ip("239.1.1.1")], "multicast"),
        ("docs.test", vec![ip("203.0.113.5")], "documentation"),
        ("bench.test", vec![ip("198.19.0.1")], "benchmarking"),
        ("reserved.test", vec![ip("250.0.0.1")], "reserved"),
        ("ula.test", vec![ip("fd00::1")], "unique_local"),
        ("linklocal6.test", vec![ip("fe80::1")], "link_local"),
        ("mapped.test", vec![ip("::ffff:127.0.0.1")], "loopback"),
        ("compat.test", vec![ip("::10.0.0.1")], "ipv4_compatible"),
        ("nat64.test", vec![ip("64:ff9b::a00:1")], "private"),
        ("sixtofour.test", vec![ip("2002:a9fe:a9fe::")], "link_local"),
        (
            "teredo.test",
            vec![ip("2001:0:4136:e378:8000:63bf:3fff:fdd2")],
            "protocol_assignment",
        ),
    ]
}

fn resolver() -> TableResolver {
    names()
        .into_iter()
        .fold(TableResolver::new(), |table, (name, addrs, _)| {
            table.with(name, &addrs)
        })
}

#[test]
fn ssrf_matrix_refuses_every_class_without_connecting() {
    if !inside_loopback_netns("ssrf_matrix_refuses_every_class_without_connecting") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // The counting listener stands in for any target: if the policy let anything through,
        // a loopback connect would show up here (and anything else fails in this namespace).
        let target = TestTarget::start(Behaviour::Echo).await;
        let port = target.port().to_string();
        let relay = TestRelay::start(settings(&["--port", &port]), Arc::new(resolver())).await;
        let mut checked = 0;
        let cases = LITERALS
            .iter()
            .map(|(host, class)| (host.to_string(), *class))
            .chain(
                names()
                    .into_iter()
                    .map(|(name, _, class)| (name.to_owned(), class)),
            );
        for (host, class) in cases {
            let request = upgrade_request(&format!("host={host}&port={port}"), "");
            let (status, head, body) = raw_http(relay.addr, &request).await;
            assert_eq!(status, 403, "{host}: {head}\n{body}");
            let json: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(
                json["error"],
                RefusalReason::AddressNotAllowed.as_str(),
                "{host}: {body}"
            );
            assert_eq!(
                json["detail"],
                format!("the target address is {class}"),
                "{host}: {body}"
            );
            checked += 1;
        }
        assert_eq!(checked, LITERALS.len() + names().len());
        assert_eq!(target.accepted(), 0, "a refused target was connected to");
        assert_eq!(
            relay
                .metrics
                .connect_attempts
                .load(std::sync::atomic::Ordering::SeqCst),
            0
        );
        assert_eq!(
            relay
                .metrics
                .refusals(RefusalReason::AddressNotAllowed.as_str()),
            checked as u64
        );
        relay.stop().await;

        // Control: the same listener is reached when the operator lifts the rule, so the zero
        // above means "refused", not "unreachable".
        let open = TestRelay::start(
            settings(&["--port", &port, "--allow-private"]),
            Arc::new(resolver()),
        )
        .await;
        let mut client = connect(&open.url("localhost", target.port())).await;
        assert_eq!(echo(&mut client, b"ping").await, b"ping");
        assert_eq!(target.accepted(), 1);
        drop(client);
        open.stop().await;
    });
}

#[tokio::test]
async fn wrong_ports_are_refused_before_resolving() {
    let relay = TestRelay::with_flags(&[]).await;
    for port in ["22", "25", "80", "443", "8080", "0", "65536", "x"] {
        let (status, _, body) = raw_http(
            relay.addr,
            &upgrade_request(&format!("host=127.0.0.1&port={port}"), ""),
        )
        .await;
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        match port {
            "0" | "65536" | "x" => {
                assert_eq!(
                    (status, json["error"].as_str()),
                    (400, Some("bad_request")),
                    "{port}"
                )
            }
            _ => assert_eq!(
                (status, json["error"].as_str()),
                (403, Some(RefusalReason::PortNotAllowed.as_str())),
                "{port}"
            ),
        }
    }
    assert_eq!(
        relay
            .metrics
            .refusals(RefusalReason::PortNotAllowed.as_str()),
        5
    );
    relay.stop().await;
}

#[tokio::test]
async fn origins_are_checked() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let relay = TestRelay::with_flags(&[
        "--port",
        &port,
        "--allow-private",
        "--allowed-origin",
        "https://app.example",
    ])
    .await;
    let url = relay.url("127.0.0.1", target.port());
    let (status, body) = refusal(
        try_connect(&url, Some("https://evil.example"))
            .await
            .unwrap_err(),
    );
    assert_eq!(status, 403);
    assert!(
        body.contains(RefusalReason::OriginNotAllowed.as_str()),
        "{body}"
    );
    let mut allowed = try_connect(&url, Some("https://app.example"))
        .await
        .unwrap();
    assert_eq!(echo(&mut allowed, b"hello").await, b"hello");
    // Non-browser clients send no Origin at all.
    let mut plain = try_connect(&url, None).await.unwrap();
    assert_eq!(echo(&mut plain, b"x").await, b"x");
    assert_eq!(target.accepted(), 2);
    drop((allowed, plain));
    relay.stop().await;
}

#[tokio::test]
async fn over_limit_clients_are_refused() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let url = |relay: &TestRelay| relay.url("127.0.0.1", target.port());

    // Per client.
    let relay = TestRelay::with_flags(&[
        "--port",
        &port,
        "--allow-private",
        "--max-sessions-per-ip",
        "2",
    ])
    .await;
    let first = connect(&url(&relay)).await;
    let mut second = connect(&url(&relay)).await;
    let (status, body) = refusal(try_connect(&url(&relay), None).await.unwrap_err());
    assert_eq!(status, 429);
    assert!(
        body.contains(RefusalReason::TooManySessionsFromClient.as_str()),
        "{body}"
    );
    drop(first);
    let mut third = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        if let Ok(client) = try_connect(&url(&relay), None).await {
            third = Some(client);
            break;
        }
    }
    let mut third = third.expect("a slot frees when a session ends");
    assert_eq!(echo(&mut third, b"3").await, b"3");
    assert_eq!(echo(&mut second, b"2").await, b"2");
    drop((second, third));
    relay.stop().await;

    // In total.
    let relay =
        TestRelay::with_flags(&["--port", &port, "--allow-private", "--max-sessions", "1"]).await;
    let only = connect(&url(&relay)).await;
    let (status, body) = refusal(try_connect(&url(&relay), None).await.unwrap_err());
    assert_eq!(status, 503);
    assert!(
        body.contains(RefusalReason::TooManySessions.as_str()),
        "{body}"
    );
    drop(only);
    relay.stop().await;

    // Per minute.
    let relay =
        TestRelay::with_flags(&["--port", &port, "--allow-private", "--rate-per-minute", "3"])
            .await;
    for _ in 0..3 {
        drop(connect(&url(&relay)).await);
    }
    let (status, body) = refusal(try_connect(&url(&relay), None).await.unwrap_err());
    assert_eq!(status, 429);
    assert!(body.contains(RefusalReason::RateLimited.as_str()), "{body}");
    assert_eq!(
        relay.metrics.refusals(RefusalReason::RateLimited.as_str()),
        1
    );
    relay.stop().await;
}

#[tokio::test]
async fn malformed_requests_are_refused() {
    let relay = TestRelay::with_flags(&[]).await;
    let cases: &[(&str, u16, &str)] = &[
        (
            "GET /v1/tcp?host=127.0.0.1&port=993 HTTP/1.1\r\nHost: x\r\n\r\n",
            426,
            "not_websocket",
        ),
        (
            &upgrade_request("host=a..b&port=993", ""),
            400,
            "bad_request",
        ),
        (
            &upgrade_request("host=a.example&port=993&extra=1", ""),
            400,
            "bad_request",
        ),
        ("GARBAGE\r\n\r\n", 400, "bad_request"),
        (
            "POST /v1/tcp HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
            400,
            "bad_request",
        ),
    ];
    for (request, status, error) in cases {
        let (got, head, body) = raw_http(relay.addr, request).await;
        assert_eq!(got, *status, "{request:?}: {head}");
        assert!(body.contains(error), "{request:?}: {body}");
    }
    let huge = format!("GET / HTTP/1.1\r\nX-Pad: {}\r\n\r\n", "a".repeat(9000));
    assert_eq!(raw_http(relay.addr, &huge).await.0, 431);
    relay.stop().await;
}

/// A resolver that counts its lookups and answers differently each time, as a rebinding DNS
/// server would: first the echo target, then something else.
struct RebindingResolver {
    calls: std::sync::atomic::AtomicUsize,
    first: IpAddr,
}

impl portolan_relay::Resolver for RebindingResolver {
    fn resolve<'a>(&'a self, _host: &'a str) -> portolan_relay::resolve::ResolveFuture<'a> {
        let call = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let answer = if call == 0 {
            vec![self.first]
        } else {
            vec!["127.0.0.2".parse().unwrap()]
        };
        Box::pin(std::future::ready(Ok(answer)))
    }
}

#[tokio::test]
async fn names_are_resolved_once_and_the_vetted_address_is_used() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let resolver = Arc::new(RebindingResolver {
        calls: std::sync::atomic::AtomicUsize::new(0),
        first: "127.0.0.1".parse().unwrap(),
    });
    let relay = TestRelay::start(
        settings(&["--port", &port, "--allow-private"]),
        Arc::clone(&resolver) as Arc<dyn portolan_relay::Resolver>,
    )
    .await;
    let mut client = connect(&relay.url("rebind.test", target.port())).await;
    assert_eq!(echo(&mut client, b"once").await, b"once");
    assert_eq!(resolver.calls.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(target.accepted(), 1);
    drop(client);
    relay.stop().await;
}

#[tokio::test]
async fn later_vetted_addresses_are_tried_when_the_first_fails() {
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let ip = |text: &str| -> IpAddr { text.parse().unwrap() };
    // Nothing listens on 127.0.0.2 at that port, so the first connect is refused at once.
    let resolver = TableResolver::new().with("two.test", &[ip("127.0.0.2"), ip("127.0.0.1")]);
    let relay = TestRelay::start(
        settings(&["--port", &port, "--allow-private"]),
        Arc::new(resolver),
    )
    .await;
    let mut client = connect(&relay.url("two.test", target.port())).await;
    assert_eq!(echo(&mut client, b"second").await, b"second");
    assert_eq!(target.accepted(), 1);
    assert_eq!(
        relay
            .metrics
            .connect_attempts
            .load(std::sync::atomic::Ordering::SeqCst),
        2
    );
    drop(client);
    relay.stop().await;
}
