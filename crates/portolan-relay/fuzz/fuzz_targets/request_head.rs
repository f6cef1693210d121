//! Fuzzes what a client controls before anything is connected: the HTTP request head and the
//! `/v1/tcp` query. The parser must never panic; whatever it accepts must be self-consistent.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_relay::request::{parse_for_fuzzing, TargetHost};

fuzz_target!(|data: &[u8]| {
    if let Ok(Some((head, target))) = parse_for_fuzzing(data) {
        assert!(head.path.starts_with('/'));
        if let Some(target) = target {
            assert_ne!(target.port, 0);
            if let TargetHost::Name(name) = &target.host {
                assert!(!name.is_empty() && name.len() <= 253);
                assert!(name.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'-'
                    || b == b'.'));
            }
        }
    }
});
