//! Runs the fuzz target's parsing function over its corpus (fuzz/corpus/request_head). Files
//! named `ok-*` must parse (and name a target when they ask for `/v1/tcp`), `partial-*` must ask
//! for more bytes, `bad-*` must be refused; any other file (found by the fuzzer) must merely
//! not panic.

use portolan_relay::request::parse_for_fuzzing;

#[test]
fn corpus_parses_as_its_names_say() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/request_head");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    let mut named = 0;
    for path in &entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        let result = parse_for_fuzzing(&bytes);
        if name.starts_with("ok-") {
            let (head, target) = result
                .unwrap_or_else(|error| panic!("{name}: {error}"))
                .unwrap_or_else(|| panic!("{name}: incomplete"));
            assert_eq!(target.is_some(), head.path == "/v1/tcp", "{name}");
            named += 1;
        } else if name.starts_with("partial-") {
            assert_eq!(result, Ok(None), "{name}");
            named += 1;
        } else if name.starts_with("bad-") {
            assert!(result.is_err(), "{name}: {result:?}");
            named += 1;
        }
    }
    assert!(
        named >= 18,
        "only {named} named corpus files in {}",
        dir.display()
    );
}
