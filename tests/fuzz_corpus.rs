//! Replays the fuzz corpus (`fuzz/corpus/<target>/*`: seeds, and every
//! crash the fuzzers found, minimized) through the entry points the fuzz
//! targets call, on stable Rust: each input must be handled — parsed,
//! expanded or evaluated, or refused with an error — without a panic.
#![allow(clippy::unwrap_used)]

use std::path::Path;

fn replay(target: &str, entry: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    for file in files {
        let data = std::fs::read(&file).unwrap();
        let name = file.display().to_string();
        let outcome = std::panic::catch_unwind(|| entry(&data));
        assert!(outcome.is_ok(), "{target}: {name} panicked");
    }
}

#[test]
fn the_parser_handles_its_corpus() {
    replay("parse", pidsh::fuzzing::parse);
}

#[test]
fn the_expander_handles_its_corpus() {
    replay("expand", pidsh::fuzzing::expand);
}

#[test]
fn arithmetic_handles_its_corpus() {
    replay("arith", pidsh::fuzzing::arith);
}
