//! Load on loopback, bounded in time: 2,000 sessions open at once, each echoing through the
//! relay to a local TCP echo server. Prints memory and throughput; asserts only correctness
//! (every byte back, every session counted, everything closed afterwards).

mod support;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use support::*;
use tokio::sync::Semaphore;

const SESSIONS: usize = 2_000;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_concurrent_echo_sessions() {
    // The relay binary's own start-up step: the soft limit up to the hard one.
    let limit = portolan_relay::raise_nofile_limit().expect("RLIMIT_NOFILE can be read and raised");
    assert!(
        limit >= 4 * SESSIONS as u64 + 256,
        "RLIMIT_NOFILE hard limit {limit} is too low"
    );
    let target = TestTarget::start(Behaviour::Echo).await;
    let port = target.port().to_string();
    let sessions = SESSIONS.to_string();
    let relay = TestRelay::with_flags(&[
        "--allow-private",
        "--port",
        &port,
        "--max-sessions",
        &sessions,
        "--max-sessions-per-ip",
        &sessions,
        "--rate-per-minute",
        "100000",
        "--shutdown-grace",
        "1",
    ])
    .await;
    let url = Arc::new(relay.url("127.0.0.1", target.port()));
    let rss_before = rss_kib();
    let started = Instant::now();
    let run = async {
        let gate = Arc::new(Semaphore::new(128));
        let mut opening = Vec::with_capacity(SESSIONS);
        for index in 0..SESSIONS {
            let gate = Arc::clone(&gate);
            let url = Arc::clone(&url);
            opening.push(tokio::spawn(async move {
                let _slot = gate.acquire().await.unwrap();
                let mut client = connect(&url).await;
                let payload = format!("session {index} says hello").into_bytes();
                assert_eq!(echo(&mut client, &payload).await, payload);
                client
            }));
        }
        let mut clients = Vec::with_capacity(SESSIONS);
        for task in opening {
            clients.push(task.await.unwrap());
        }
        clients
    };
    let mut clients = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("2,000 sessions did not open within 60 s");
    let opened_in = started.elapsed();
    assert_eq!(
        relay.metrics.sessions_active.load(Ordering::SeqCst),
        SESSIONS as u64
    );
    assert_eq!(target.accepted(), SESSIONS);
    let rss_open = rss_kib();

    // A second round while every session is open: 2,000 × 4 KiB each way.
    let block = vec![0xa5u8; 4096];
    let round = Instant::now();
    let echoes = clients.iter_mut().map(|client| {
        let block = block.clone();
        async move { echo(client, &block).await.len() }
    });
    let carried: usize = tokio::time::timeout(
        Duration::from_secs(60),
        futures_util::future::join_all(echoes),
    )
    .await
    .expect("the second round did not finish within 60 s")
    .into_iter()
    .sum();
    assert_eq!(carried, SESSIONS * block.len());
    let round_time = round.elapsed();
    println!(
        "load: {SESSIONS} sessions opened in {:.2} s; RSS +{} KiB ({:.1} KiB per session, relay + clients + echo server in one process); second round {:.1} MB each way in {:.2} s ({:.1} MB/s through the relay)",
        opened_in.as_secs_f64(),
        rss_open.saturating_sub(rss_before),
        rss_open.saturating_sub(rss_before) as f64 / SESSIONS as f64,
        carried as f64 / 1e6,
        round_time.as_secs_f64(),
        2.0 * carried as f64 / 1e6 / round_time.as_secs_f64(),
    );

    let closing = clients.iter_mut().map(|client| async move {
        let _ = client.close(None).await;
    });
    futures_util::future::join_all(closing).await;
    drop(clients);
    wait_until("every session closed", Duration::from_secs(10), || {
        relay.metrics.sessions_active.load(Ordering::SeqCst) == 0
    })
    .await;
    assert_eq!(relay.metrics.sessions_active.load(Ordering::SeqCst), 0);
    assert_eq!(
        relay.metrics.sessions_started.load(Ordering::SeqCst),
        SESSIONS as u64
    );
    relay.stop().await;
}
