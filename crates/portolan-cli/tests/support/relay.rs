//! The relay, in this process, on a thread and runtime of its own: `--allow-private` (the
//! test servers are on loopback, which a real relay refuses) and only the ports a test names,
//! with per-client limits raised so a test's many checks are not rate-limited.

use std::net::SocketAddr;
use std::sync::Arc;

use portolan_relay::{Config, Relay, Settings, SystemResolver};
use tokio::sync::oneshot;

/// A running relay; stops when dropped.
pub struct TestRelay {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestRelay {
    /// A relay that allows exactly `ports`.
    pub fn start(ports: &[u16]) -> TestRelay {
        use clap::Parser;
        let ports: Vec<String> = ports.iter().map(u16::to_string).collect();
        let config = Config::try_parse_from([
            "portolan-relay",
            "--listen",
            "127.0.0.1:0",
            "--allow-private",
            "--port",
            &ports.join(","),
            "--max-sessions-per-ip",
            "256",
            "--rate-per-minute",
            "100000",
            "--shutdown-grace",
            "0",
        ])
        .expect("relay flags");
        let settings = Settings::try_from(config).expect("relay settings");
        let (addr_sender, addr_receiver) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the relay");
            runtime.block_on(async move {
                let relay = Relay::bind(settings, Arc::new(SystemResolver))
                    .await
                    .expect("the relay binds");
                addr_sender
                    .send(relay.local_addr())
                    .expect("the test waits");
                relay
                    .run(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("the relay runs");
            });
        });
        let addr = addr_receiver.recv().expect("the relay's address");
        TestRelay {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The URL `portolan check --relay` takes.
    pub fn url(&self) -> String {
        format!("ws://{}/", self.addr)
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
