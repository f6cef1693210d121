//! Fuzzes `portolan_probe::fuzzing::server_bytes`: see its documentation for the properties checked.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| portolan_probe::fuzzing::server_bytes(data));
