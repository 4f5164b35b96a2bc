//! Fuzz target: `pidsh::fuzzing::expand` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pidsh::fuzzing::expand(data));
