//! Shell text and the bytes outside: non-UTF-8 bytes carried in `String`s.
//!
//! Values inside the shell are `String`s, but arguments, the environment,
//! file names and pipes are bytes, and nothing says those bytes are UTF-8.
//! A byte that is not part of valid UTF-8 is carried as one private-use
//! character, U+F600 + byte (the scheme fish uses), so it survives
//! assignment, expansion, pattern matching and the hand-over to a child
//! shell, and becomes the same byte again when it leaves the shell.
//!
//! The two directions are exact inverses for any input: a literal
//! U+F600..=U+F6FF in the bytes is itself carried as its three bytes, so
//! `encode(&decode(b)) == b` always.
//!
//! Rule of the code base: `&str` / `String` is shell text (this form),
//! `&[u8]` is bytes as they are outside. Convert only where one becomes the
//! other: [`decode`] when reading (files, pipes, `argv`, the environment,
//! directory entries), [`encode`] and its helpers when writing, spawning or
//! naming a file.

use std::borrow::Cow;
use std::ffi::{CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// The first of the 256 characters that stand for raw bytes.
const RAW_BASE: u32 = 0xF600;
/// UTF-8 lead byte of every character in the raw range (U+F600..=U+F6FF
/// encode as `EF 98 80` ..= `EF 9B BF`).
const RAW_LEAD: u8 = 0xEF;

/// The character that carries raw byte `b`.
pub fn raw_char(b: u8) -> char {
    char::from_u32(RAW_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The byte a character carries, when it is one of the raw characters.
pub fn raw_byte(c: char) -> Option<u8> {
    let n = u32::from(c);
    (RAW_BASE..RAW_BASE + 256)
        .contains(&n)
        .then(|| (n - RAW_BASE) as u8)
}

/// Shell text from bytes read from outside.
pub fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) if !has_raw_chars(text) => text.to_string(),
        _ => decode_slow(bytes),
    }
}

/// [`decode`] that reuses the buffer when the bytes are plain UTF-8.
pub fn decode_vec(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) if !has_raw_chars(&text) => text,
        Ok(text) => decode_slow(text.as_bytes()),
        Err(e) => decode_slow(e.as_bytes()),
    }
}

/// Shell text from an OS string (`argv`, environment, directory entries).
pub fn decode_os(os: &OsStr) -> String {
    decode(os.as_bytes())
}

fn decode_slow(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if raw_byte(c).is_some() {
                let mut buf = [0u8; 4];
                out.extend(c.encode_utf8(&mut buf).bytes().map(raw_char));
            } else {
                out.push(c);
            }
        }
        out.extend(chunk.invalid().iter().copied().map(raw_char));
    }
    out
}

/// Whether the text holds any raw-byte character.
fn has_raw_chars(text: &str) -> bool {
    // Cheap first: every raw character starts with the byte 0xEF.
    text.as_bytes().contains(&RAW_LEAD) && text.chars().any(|c| raw_byte(c).is_some())
}

/// The bytes shell text stands for.
pub fn encode(text: &str) -> Cow<'_, [u8]> {
    if !has_raw_chars(text) {
        return Cow::Borrowed(text.as_bytes());
    }
    let mut out = Vec::with_capacity(text.len());
    encode_into(text, &mut out);
    Cow::Owned(out)
}

/// Appends the bytes shell text stands for.
pub fn encode_into(text: &str, out: &mut Vec<u8>) {
    if !has_raw_chars(text) {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let mut buf = [0u8; 4];
    for c in text.chars() {
        match raw_byte(c) {
            Some(b) => out.push(b),
            None => out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
        }
    }
}

/// The file name shell text stands for.
pub fn to_path(text: &str) -> Cow<'_, Path> {
    match encode(text) {
        Cow::Borrowed(b) => Cow::Borrowed(Path::new(OsStr::from_bytes(b))),
        Cow::Owned(v) => Cow::Owned(std::path::PathBuf::from(
            <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(v),
        )),
    }
}

/// A C string of the bytes shell text stands for (cut at a NUL, which no
/// C string can hold).
pub fn to_cstring(text: &str) -> CString {
    let mut bytes = encode(text).into_owned();
    if let Some(end) = bytes.iter().position(|&b| b == 0) {
        bytes.truncate(end);
    }
    CString::new(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_passes_through() {
        assert_eq!(decode("héllo".as_bytes()), "héllo");
        assert_eq!(encode("héllo").as_ref(), "héllo".as_bytes());
        assert!(matches!(encode("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn invalid_bytes_round_trip() {
        let bytes = b"a\xffb\xc3(\x80\xe2\x82";
        let text = decode(bytes);
        assert_eq!(text.chars().count(), 8);
        assert_eq!(encode(&text).as_ref(), bytes);
        assert_eq!(decode_vec(bytes.to_vec()), text);
    }

    #[test]
    fn literal_raw_range_characters_round_trip() {
        let bytes = "x\u{F641}y\u{F6FF}".as_bytes();
        let text = decode(bytes);
        assert_eq!(text.chars().count(), 8, "each of the two is 3 raw bytes");
        assert_eq!(encode(&text).as_ref(), bytes);
    }

    #[test]
    fn every_byte_sequence_of_length_two_round_trips() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                let bytes = [a, b, 0xEF, 0x98, 0x80];
                assert_eq!(encode(&decode(&bytes)).as_ref(), bytes);
            }
        }
    }

    #[test]
    fn paths_and_c_strings_carry_the_bytes() {
        let text = decode(b"dir/\xe9t\xe9");
        assert_eq!(to_path(&text).as_os_str().as_bytes(), b"dir/\xe9t\xe9");
        assert_eq!(to_cstring(&text).as_bytes(), b"dir/\xe9t\xe9");
        assert_eq!(to_cstring("a\0b").as_bytes(), b"a");
    }
}
