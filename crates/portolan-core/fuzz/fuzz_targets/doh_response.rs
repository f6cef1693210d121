//! Fuzzes the DoH answer reader: any bytes from a resolver give an answer or an error, never a
//! panic, and CNAME chains stay bounded.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::dns::{parse_response, Question, RecordKind};

fuzz_target!(|data: &[u8]| {
    for question in [
        Question::new("_imaps._tcp.example.com", RecordKind::Srv),
        Question::new("example.com", RecordKind::Mx),
    ] {
        if let Ok(response) = parse_response(&question, data) {
            assert!(response.cname_chain.len() <= 8);
        }
    }
});
