//! Feeds the fuzz corpus (crates/portolan-core/fuzz/corpus/parse_input) through the address
//! parser on stable Rust, with the same properties the fuzz target checks: no panic, and
//! whatever is accepted is a valid DNS name that parses again to itself.

use std::path::PathBuf;

use portolan_core::address::{parse_input, MAX_DOMAIN_LEN, MAX_LABEL_LEN};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/parse_input");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("read {}: {error}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_input_parses_or_fails_cleanly() {
    let files = corpus();
    assert!(
        files.len() >= 20,
        "the corpus is missing: {} files",
        files.len()
    );
    let mut accepted = 0;
    let mut rejected = 0;
    for (name, bytes) in files {
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match std::panic::catch_unwind(|| parse_input(text)) {
            Err(_) => panic!("{name}: parse_input panicked on {text:?}"),
            Ok(Err(error)) => {
                rejected += 1;
                assert!(!error.to_string().is_empty(), "{name}: empty error message");
            }
            Ok(Ok(parsed)) => {
                accepted += 1;
                let ascii = &parsed.domain.ascii;
                assert!(
                    ascii.is_ascii() && ascii.len() <= MAX_DOMAIN_LEN,
                    "{name}: {ascii}"
                );
                assert!(
                    ascii
                        .split('.')
                        .all(|label| !label.is_empty() && label.len() <= MAX_LABEL_LEN),
                    "{name}: {ascii}"
                );
                let again = parse_input(ascii).unwrap_or_else(|error| {
                    panic!("{name}: the ASCII form {ascii:?} does not parse again: {error}")
                });
                assert_eq!(&again.domain.ascii, ascii, "{name}");
            }
        }
    }
    // The corpus holds both good and bad inputs; if one side vanished, the seeds were lost.
    assert!(accepted >= 5, "only {accepted} inputs accepted");
    assert!(rejected >= 10, "only {rejected} inputs rejected");
}
