//! Browser tests: the app rendered into a real DOM in headless Chromium, run by
//! `wasm-bindgen-test-runner` (`cargo xtask test` runs them with `--target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo_timers::future::sleep;
use portolan_app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a browser document")
}

/// Mounts a fresh app into its own element and waits for the first render. Lookups are off
/// (the remembered resolver choice), so no test ever asks a resolver on the internet.
async fn mount() -> Element {
    web_sys::window()
        .and_then(|window| window.local_storage().ok().flatten())
        .expect("local storage")
        .set_item("portolan.resolver", "off")
        .expect("store the resolver choice");
    let root = document().create_element("div").expect("create root");
    document()
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append root");
    yew::Renderer::<App>::with_root(root.clone()).render();
    sleep(Duration::from_millis(20)).await;
    root
}

async fn type_into(root: &Element, text: &str) {
    let input: HtmlInputElement = root
        .query_selector("#address")
        .expect("query")
        .expect("address field")
        .dyn_into()
        .expect("an input element");
    input.set_value(text);
    let event = web_sys::InputEvent::new("input").expect("input event");
    input.dispatch_event(&event).expect("dispatch input");
    sleep(Duration::from_millis(20)).await;
}

/// The first element matching `selector`, waiting for it up to three seconds: the engine
/// answers asynchronously, and a loaded machine answers late.
async fn wait_for(root: &Element, selector: &str, what: &str) -> Element {
    let mut waited = 0;
    loop {
        if let Some(element) = root.query_selector(selector).expect("query") {
            return element;
        }
        assert!(waited < 3_000, "{what} is not shown after {waited} ms");
        sleep(Duration::from_millis(20)).await;
        waited += 20;
    }
}

/// Clicks the first element matching `selector` (`what` names it in failures).
async fn click(root: &Element, selector: &str, what: &str) {
    let element: web_sys::HtmlElement = wait_for(root, selector, what)
        .await
        .dyn_into()
        .expect("an HTML element");
    element.click();
    sleep(Duration::from_millis(20)).await;
}

async fn submit(root: &Element) {
    click(root, "button[type=submit]", "the submit button").await;
}

#[wasm_bindgen_test]
async fn first_screen_has_title_label_and_privacy_line() {
    let root = mount().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Portolan"), "title missing: {text}");
    assert!(
        text.contains("never leaves this browser"),
        "privacy line missing"
    );
    let label = root.query_selector("label[for=address]").expect("query");
    assert!(label.is_some(), "the field has a real label");
}

#[wasm_bindgen_test]
async fn idn_domain_is_shown_in_both_forms() {
    let root = mount().await;
    type_into(&root, "jörg@bücher.example").await;
    let found = wait_for(&root, "#domain-found", "the domain").await;
    let text = found.text_content().unwrap_or_default();
    assert!(text.contains("bücher.example"), "{text}");
    assert!(text.contains("xn--bcher-kva.example"), "{text}");
}

#[wasm_bindgen_test]
async fn bad_input_shows_a_specific_error_and_keeps_the_text() {
    let root = mount().await;
    type_into(&root, "alice@@").await;
    submit(&root).await;
    let error = wait_for(&root, "#address-error", "an error").await;
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    assert!(error.text_content().unwrap_or_default().contains('@'));
    let input: HtmlInputElement = root
        .query_selector("#address")
        .expect("query")
        .expect("field")
        .dyn_into()
        .expect("input");
    assert_eq!(input.value(), "alice@@");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn a_valid_address_goes_straight_to_the_result_with_the_app_as_a_selector() {
    // Headless Chromium on Linux: Thunderbird is the app suggested for this device, so the
    // address leads straight to the result, where the app can be changed.
    let root = mount().await;
    type_into(&root, "alice@example.com").await;
    submit(&root).await;
    let select = wait_for(&root, "#result-client", "the app selector on the result").await;
    let options = select.query_selector_all("option").expect("query").length();
    assert!(
        options >= 19,
        "the whole catalogue plus 'other' is offered, got {options}"
    );
    let chosen: web_sys::HtmlSelectElement = select.dyn_into().expect("a select");
    assert_eq!(chosen.value(), "thunderbird");
    click(&root, "nav.steps button:nth-child(2)", "Change mail app").await;
    let heading = wait_for(&root, "#client-heading", "the client screen").await;
    assert!(heading
        .text_content()
        .unwrap_or_default()
        .contains("mail app"));
    let radios = root
        .query_selector_all("input[name=client]")
        .expect("query")
        .length();
    assert_eq!(radios, options, "the full list is one click away");
}

#[wasm_bindgen_test]
async fn a_known_provider_offline_gets_its_settings_through_the_engine() {
    let root = mount().await;
    type_into(&root, "alice@gmail.com").await;
    submit(&root).await;
    // The lookup (offline) and the result both come from the engine, as JSON messages.
    wait_for(&root, "[data-result-ready=true]", "the result").await;
    let incoming = root
        .query_selector("#incoming")
        .expect("query")
        .expect("the incoming server is shown")
        .text_content()
        .unwrap_or_default();
    assert!(incoming.contains("imap.gmail.com"), "{incoming}");
    assert!(incoming.contains("993"), "{incoming}");
    let heading = root
        .query_selector("#result-heading")
        .expect("query")
        .expect("heading")
        .text_content()
        .unwrap_or_default();
    assert!(heading.contains("Thunderbird"), "{heading}");
    assert!(root
        .query_selector("#download-mobileconfig")
        .expect("query")
        .is_some());
}
