//! Fuzz target: `pidsh::fuzzing::arith` on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pidsh::fuzzing::arith(data));
