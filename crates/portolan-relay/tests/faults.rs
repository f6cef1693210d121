//! Faults on either side, each handled with the right close code, and nothing leaks: open file
//! descriptors and live tasks return to their baseline afterwards. One test in its own binary,
//! so no other test disturbs the counts.

mod support;

use portolan_relay_wire::CloseCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use futures_util::SinkExt;
use support::*;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;

/// A loopback listener whose accept queue is full, so a further connect hangs (the kernel drops
/// the SYN): the "never answers" target. Returns the listener and the connections filling it.
async fn unanswering_target() -> (tokio::net::TcpListener, Vec<TcpStream>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(1).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..8 {
        match tokio::time::timeout(Duration::from_millis(200), TcpStream::connect(addr)).await {
            Ok(Ok(stream)) => fillers.push(stream),
            _ => break,
        }
    }
    (listener, fillers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_are_handled_and_nothing_leaks() {
    let echo_target = TestTarget::start(Behaviour::Echo).await;
    let flood = TestTarget::start(Behaviour::Flood(200 * 1024)).await;
    let reset = TestTarget::start(Behaviour::ResetAfterRead).await;
    let silent = TestTarget::start(Behaviour::Silent).await;
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let (hung, fillers) = unanswering_target().await;
    let hung_port = hung.local_addr().unwrap().port();
    let ports = [
        echo_target.port(),
        flood.port(),
        reset.port(),
        silent.port(),
        closed_port,
        hung_port,
    ]
    .map(|port| port.to_string())
    .join(",");
    let relay = TestRelay::with_flags(&[
        "--allow-private",
        "--port",
        &ports,
        "--connect-timeout",
        "1",
        "--idle-timeout",
        "1",
        "--max-bytes-up",
        "65536",
        "--max-bytes-down",
        "65536",
        "--shutdown-grace",
        "1",
    ])
    .await;
    let short = TestRelay::with_flags(&[
        "--allow-private",
        "--port",
        &ports,
        "--session-timeout",
        "1",
        "--idle-timeout",
        "30",
    ])
    .await;

    // Warm up once so lazily created resources are in the baseline.
    let mut warm = connect(&relay.url("127.0.0.1", echo_target.port())).await;
    assert_eq!(echo(&mut warm, b"warm").await, b"warm");
    warm.close(None).await.unwrap();
    drop(warm);
    wait_until("the warm-up session ended", Duration::from_secs(5), || {
        relay.metrics.sessions_active.load(Ordering::SeqCst) == 0
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let fds_before = open_fds();
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();

    let refused = async {
        let mut client = connect(&relay.url("127.0.0.1", closed_port)).await;
        let (code, reason) = close_of(&mut client).await;
        assert_eq!(
            CloseCode::from_code(code),
            Some(CloseCode::ConnectFailed),
            "{reason}"
        );
        assert!(reason.contains("refused"), "{reason}");
    };
    let reset_mid_stream = async {
        let mut client = connect(&relay.url("127.0.0.1", reset.port())).await;
        client
            .send(Message::Binary(b"hello".to_vec().into()))
            .await
            .unwrap();
        let (code, reason) = close_of(&mut client).await;
        assert_eq!(
            CloseCode::from_code(code),
            Some(CloseCode::TargetError),
            "{reason}"
        );
    };
    let never_answers = async {
        let mut client = connect(&relay.url("127.0.0.1", hung_port)).await;
        let (code, reason) = close_of(&mut client).await;
        assert_eq!(
            CloseCode::from_code(code),
            Some(CloseCode::ConnectTimeout),
            "{reason}"
        );
    };
    let goes_idle = async {
        let mut client = connect(&relay.url("127.0.0.1", silent.port())).await;
        let (code, reason) = close_of(&mut client).await;
        assert_eq!(
            CloseCode::from_code(code),
            Some(CloseCode::IdleTimeout),
            "{reason}"
        );
    };
    let floods = async {
        let mut client = connect(&relay.url("127.0.0.1", flood.port())).await;
        let mut received = 0usize;
        let code = loop {
            match tokio::time::timeout(
                Duration::from_secs(10),
                futures_util::StreamExt::next(&mut client),
            )
            .await
            {
                Ok(Some(Ok(Message::Binary(bytes)))) => received += bytes.len(),
                Ok(Some(Ok(Message::Close(Some(frame))))) => break u16::from(frame.code),
                other => panic!("unexpected {other:?}"),
            }
        };
        assert_eq!(CloseCode::from_code(code), Some(CloseCode::ByteCap));
        assert!(received <= 65536, "{received} bytes passed a 64 KiB cap");
    };
    let uploads_too_much = async {
        let mut client = connect(&relay.url("127.0.0.1", echo_target.port())).await;
        for _ in 0..3 {
            if client
                .send(Message::Binary(vec![1u8; 30 * 1024].into()))
                .await
                .is_err()
            {
                break;
            }
        }
        let (code, _) = close_of(&mut client).await;
        assert_eq!(CloseCode::from_code(code), Some(CloseCode::ByteCap));
    };
    let too_long = async {
        let mut client = connect(&short.url("127.0.0.1", silent.port())).await;
        let (code, _) = close_of(&mut client).await;
        assert_eq!(CloseCode::from_code(code), Some(CloseCode::SessionTimeout));
    };
    let vanishes = async {
        let client = connect(&relay.url("127.0.0.1", echo_target.port())).await;
        // Dropping the stream closes the TCP connection without a close frame.
        drop(client);
    };
    let vanishes_mid_message = async {
        let url = relay.url("127.0.0.1", echo_target.port());
        let mut client = connect(&url).await;
        assert_eq!(echo(&mut client, b"x").await, b"x");
        // Half a frame header, then gone.
        tokio::io::AsyncWriteExt::write_all(client.get_mut(), &[0x82])
            .await
            .unwrap();
        drop(client);
    };
    tokio::join!(
        refused,
        reset_mid_stream,
        never_answers,
        goes_idle,
        floods,
        uploads_too_much,
        too_long,
        vanishes,
        vanishes_mid_message
    );

    wait_until("every session ended", Duration::from_secs(5), || {
        relay.metrics.sessions_active.load(Ordering::SeqCst) == 0
            && short.metrics.sessions_active.load(Ordering::SeqCst) == 0
    })
    .await;
    let ends = |cause| relay.metrics.ends(cause);
    assert_eq!(ends("connect_failed"), 1);
    assert_eq!(ends("connect_timeout"), 1);
    assert_eq!(ends("target_error"), 1);
    assert_eq!(ends("idle_timeout"), 1);
    assert_eq!(ends("byte_cap"), 2);
    assert_eq!(ends("client_gone"), 2);
    assert_eq!(short.metrics.ends("session_timeout"), 1);

    wait_until(
        "descriptors and tasks are back to the baseline",
        Duration::from_secs(5),
        || {
            open_fds() <= fds_before
                && tokio::runtime::Handle::current()
                    .metrics()
                    .num_alive_tasks()
                    <= tasks_before
        },
    )
    .await;
    drop(fillers);
    drop(hung);
    relay.stop().await;
    short.stop().await;
}
