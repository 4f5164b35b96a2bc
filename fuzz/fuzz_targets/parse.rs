//! Fuzz target: `pidsh::fuzzing::parse` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pidsh::fuzzing::parse(data));
