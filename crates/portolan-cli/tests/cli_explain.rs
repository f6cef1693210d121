//! `portolan explain`: a pasted error in, the likely cause and the fix out, tied to the
//! address's settings; JSON as documented; exit codes 0, 1 and 2.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn portolan(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_portolan"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run portolan");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_gmail_error_is_explained_in_the_users_terms_as_json() {
    let output = portolan(
        &[
            "explain",
            "--json",
            "--address",
            "jo@gmail.com",
            "535-5.7.8 Username and Password not accepted. Learn more at 535 5.7.8 https://support.google.com/mail/?p=BadCredentials",
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["recognised"], true);
    let top = &json["matches"][0];
    assert_eq!(top["code"], "535 5.7.8 (Gmail)");
    assert!(top["meaning"]
        .as_str()
        .unwrap()
        .contains("Gmail did not accept"));
    let causes = top["causes"].as_array().unwrap();
    assert_eq!(causes[0]["likelihood"], "high");
    assert!(causes[0]["fix"].as_str().unwrap().contains("app password"));
    assert!(causes.iter().any(|cause| cause["in_your_settings"]
        .as_str()
        .is_some_and(|text| text.starts_with("Gmail needs an app password"))));
}

#[test]
fn text_from_standard_input_and_plain_output() {
    let output = portolan(
        &["explain", "-"],
        Some("Dec 2 10:00 host msmtp: cannot connect to smtp.example.com, port 25: Connection refused\n"),
    );
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Connection refused: "), "{text}");
    assert!(
        text.contains("Fix: Use the provider's published ports"),
        "{text}"
    );
}

#[test]
fn nothing_recognised_exits_1_with_the_checklist_and_bad_input_exits_2() {
    let output = portolan(&["explain", "my mail is broken"], None);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Not recognised"), "{text}");
    assert!(text.contains("1. Check the user name"), "{text}");
    let bad = portolan(&["explain", "--address", "jo@", "535"], None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--address \"jo@\""));
}
