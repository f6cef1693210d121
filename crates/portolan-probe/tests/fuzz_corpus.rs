//! Runs the fuzz targets' bodies over the checked-in corpus (`fuzz/corpus/server_bytes`: real
//! servers' transcripts, other protocols, TLS fragments, random bytes) and the certificate
//! fixtures, on stable Rust: every input must end in an answer or a clean failure.

use std::path::PathBuf;

use portolan_probe::fuzzing;

fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(dir);
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
fn every_corpus_input_ends_cleanly() {
    let corpus = files("fuzz/corpus/server_bytes");
    assert!(
        corpus.len() >= 20,
        "the corpus is missing: {} files",
        corpus.len()
    );
    for (name, bytes) in &corpus {
        let outcome = std::panic::catch_unwind(|| {
            fuzzing::replies(bytes);
            fuzzing::server_bytes(bytes);
            fuzzing::certificate(bytes);
        });
        assert!(outcome.is_ok(), "{name} made a probe panic");
    }
}

#[test]
fn certificates_cut_anywhere_read_cleanly() {
    let fixtures = files("tests/fixtures");
    let der: Vec<_> = fixtures
        .iter()
        .filter(|(name, _)| name.ends_with(".der"))
        .collect();
    assert_eq!(der.len(), 2);
    for (name, bytes) in der {
        for cut in 0..=bytes.len() {
            let outcome = std::panic::catch_unwind(|| fuzzing::certificate(&bytes[..cut]));
            assert!(outcome.is_ok(), "{name} cut at {cut}");
        }
    }
}
