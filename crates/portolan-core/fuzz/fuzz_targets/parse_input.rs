//! Fuzzes the address parser: any bytes, as text, must give a value or a specific error, never a
//! panic; and whatever it accepts must be a valid DNS name that parses again to itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use portolan_core::address::{parse_input, MAX_DOMAIN_LEN, MAX_LABEL_LEN};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = parse_input(text) {
        let ascii = &parsed.domain.ascii;
        assert!(ascii.len() <= MAX_DOMAIN_LEN, "{ascii}");
        assert!(ascii
            .split('.')
            .all(|label| !label.is_empty() && label.len() <= MAX_LABEL_LEN));
        assert!(ascii.is_ascii());
        let again = parse_input(ascii).expect("the ASCII form parses again");
        assert_eq!(&again.domain.ascii, ascii);
    }
});
