//! The fuzz targets' bodies (`fuzz/`), also run over the checked-in corpus on stable Rust by
//! `tests/fuzz_corpus.rs`: whatever a server sends, the probes answer or fail cleanly.

use portolan_core::model::{Protocol, Security};

use crate::check::{assemble, plan, CheckRequest};
use crate::hello::{LegacyVersion, ScanQuestion};
use crate::lines::LineBuffer;
use crate::probe::{Probe, Task};
use crate::reply::{Collector, Expect, MAX_RESPONSE_LINES};
use crate::tls::TrustAnchors;

/// Every response shape over the lines in `data`: no panic, and responses stay bounded.
pub fn replies(data: &[u8]) {
    let shapes = [
        Expect::Smtp,
        Expect::ImapGreeting,
        Expect::ImapTagged {
            tag: "p1".into(),
            continuation: true,
        },
        Expect::Pop3Status,
        Expect::Pop3Multi,
        Expect::Pop3Sasl,
    ];
    for expect in shapes {
        let mut lines = LineBuffer::default();
        if lines.push(data).is_err() {
            continue;
        }
        let mut collector = Collector::new(expect.clone());
        while let Some(line) = lines.next_line() {
            match collector.push_line(&line) {
                Ok(Some(response)) => {
                    assert!(format!("{response:?}").lines().count() <= MAX_RESPONSE_LINES * 4);
                    collector = Collector::new(expect.clone());
                }
                Ok(None) => {}
                Err(_) => break,
            }
        }
    }
}

/// A probe of each protocol, security and task fed `data` as everything the server sends
/// (split in two), then a close: it always finishes, and the report assembles.
pub fn server_bytes(data: &[u8]) {
    let Ok(anchors) = TrustAnchors::new(&[]) else {
        return;
    };
    let split = data
        .first()
        .map_or(0, |first| usize::from(*first))
        .min(data.len());
    for protocol in [Protocol::Imap, Protocol::Pop3, Protocol::Submission] {
        for security in [Security::Tls, Security::Starttls, Security::Plain] {
            for task in [
                Task::Check,
                Task::Injection,
                Task::Scan(ScanQuestion::Version(LegacyVersion::Tls10)),
            ] {
                let request = CheckRequest {
                    host: "mail.example.test".into(),
                    port: 993,
                    protocol,
                    security,
                    email_domain: Some("example.test".into()),
                    anchors: anchors.clone(),
                    unix_seconds: 1_798_761_600,
                    step_timeout_ms: 1_000,
                    credentials: None,
                    scans: false,
                };
                let Some(mut config) = plan(&request).into_iter().next() else {
                    continue;
                };
                config.task = task;
                let mut probe = Probe::new(config, 0);
                probe.handle_connected(1);
                probe.handle_input(2, &data[..split]);
                while probe.poll_transmit().is_some() {}
                probe.handle_input(3, &data[split..]);
                probe.handle_closed(4);
                probe.handle_timeout(10_000);
                assert!(probe.is_finished(), "{protocol:?} {security:?} {task:?}");
                let _ = assemble(&request, &[probe.into_outcome()], 5);
            }
        }
    }
}

/// The certificate reader over arbitrary DER: a description or `None`, never a panic.
pub fn certificate(data: &[u8]) {
    let _ = crate::certificate::read(data);
}
