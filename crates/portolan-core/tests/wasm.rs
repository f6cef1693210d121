//! The core in a real browser: the same code paths as the native tests, compiled to wasm32 and
//! run in headless Chromium (IDNA tables, error texts).
#![cfg(target_arch = "wasm32")]

use portolan_core::{parse_input, AddressError};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn idna_conversion_works_in_wasm() {
    let parsed = parse_input("jörg@bücher.example").expect("valid address");
    assert_eq!(parsed.domain.ascii, "xn--bcher-kva.example");
    assert_eq!(parsed.domain.unicode, "bücher.example");
}

#[wasm_bindgen_test]
fn errors_are_specific_in_wasm() {
    assert_eq!(
        parse_input("alice@[192.0.2.1]"),
        Err(AddressError::IpLiteral)
    );
    assert_eq!(
        parse_input("xn--abc-.example"),
        Err(AddressError::FakeAceLabel {
            label: "xn--abc-".into()
        })
    );
}
