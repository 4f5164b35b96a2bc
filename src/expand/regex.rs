//! Regular expressions for `[[ text =~ regex ]]`: POSIX extended regexes
//! through the C library's `regcomp`/`regexec`, and the regex text of a
//! `=~` word, where what the source quoted matches literally.
//!
//! Shell text carries raw bytes as private-use characters
//! ([`crate::bytes`]): the regex and the text are encoded to their bytes
//! before they reach the library, and the byte ranges it reports are decoded
//! back. Matching runs under a UTF-8 `LC_CTYPE` (set for the calling thread
//! only, around each call), so that `.` is one character, as it is to
//! pidsh's own patterns.

use std::ffi::CString;
use std::mem::MaybeUninit;
use std::sync::OnceLock;

use crate::bytes;

/// A compiled regex; freed on drop.
pub struct Regex {
    /// Boxed so that the compiled state never moves.
    raw: Box<libc::regex_t>,
    /// Its number of parenthesised groups, counted from the pattern (the
    /// library's own count, `re_nsub`, sits in a struct the `libc` crate
    /// keeps opaque).
    groups: usize,
}

/// The regex could not be compiled (bash reports nothing: status 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidRegex;

impl Regex {
    /// Compiles `pattern` as an extended regex; `ignore_case` for
    /// `nocasematch`.
    pub fn new(pattern: &str, ignore_case: bool) -> Result<Regex, InvalidRegex> {
        let groups = count_groups(pattern);
        let pattern = bytes::to_cstring(pattern);
        let mut flags = libc::REG_EXTENDED;
        if ignore_case {
            flags |= libc::REG_ICASE;
        }
        let mut raw: Box<MaybeUninit<libc::regex_t>> = Box::new(MaybeUninit::uninit());
        let status = with_utf8_ctype(|| {
            // SAFETY: `raw` is writable memory for one `regex_t`, which
            // regcomp initialises; `pattern` is a NUL-terminated string that
            // outlives the call.
            unsafe { libc::regcomp(raw.as_mut_ptr(), pattern.as_ptr(), flags) }
        });
        if status != 0 {
            // A failed regcomp leaves nothing to free.
            return Err(InvalidRegex);
        }
        // SAFETY: regcomp returned 0, so it initialised the `regex_t`.
        let raw = unsafe { raw.assume_init() };
        Ok(Regex { raw, groups })
    }

    /// The first match in `text`: the matched text, then each group's
    /// (`None` for a group that took no part in the match). `None` when
    /// nothing matches.
    pub fn captures(&self, text: &str) -> Option<Vec<Option<String>>> {
        let subject: CString = bytes::to_cstring(text);
        let unset = libc::regmatch_t {
            rm_so: -1,
            rm_eo: -1,
        };
        let mut found = vec![unset; self.groups + 1];
        let status = with_utf8_ctype(|| {
            // SAFETY: `raw` is a compiled regex, `subject` a NUL-terminated
            // string and `found` has room for exactly the `len()` entries
            // passed; none of them is kept after the call.
            unsafe {
                libc::regexec(
                    &*self.raw,
                    subject.as_ptr(),
                    found.len(),
                    found.as_mut_ptr(),
                    0,
                )
            }
        });
        if status != 0 {
            return None;
        }
        let subject = subject.as_bytes();
        let span = |m: &libc::regmatch_t| {
            let start = usize::try_from(m.rm_so).ok()?;
            let end = usize::try_from(m.rm_eo).ok()?;
            subject.get(start..end).map(bytes::decode)
        };
        Some(found.iter().map(span).collect())
    }
}

impl Drop for Regex {
    fn drop(&mut self) {
        // SAFETY: `raw` was compiled by regcomp and is freed only here.
        unsafe { libc::regfree(&mut *self.raw) }
    }
}

/// The parenthesised groups of an extended regex that compiled: every `(`
/// outside a bracket expression and not escaped opens one.
fn count_groups(pattern: &str) -> usize {
    let chars: Vec<(char, bool)> = pattern.chars().map(|c| (c, false)).collect();
    let mut groups = 0;
    let mut i = 0;
    while let Some(&(c, _)) = chars.get(i) {
        i = match c {
            '\\' => i + 2,
            '[' => bracket_end(&chars, i).map_or(i + 1, |end| end + 1),
            '(' => {
                groups += 1;
                i + 1
            }
            _ => i + 1,
        };
    }
    groups
}

/// A C locale object, usable from any thread.
struct Locale(libc::locale_t);

// SAFETY: a locale object is never changed after `newlocale` made it, and
// glibc lets any thread install it with `uselocale`; it is never freed.
unsafe impl Send for Locale {}
// SAFETY: as above, shared use only reads it.
unsafe impl Sync for Locale {}

/// `LC_CTYPE` of `C.UTF-8`, when the C library has it.
fn utf8_ctype() -> Option<&'static Locale> {
    static LOCALE: OnceLock<Option<Locale>> = OnceLock::new();
    LOCALE
        .get_or_init(|| {
            let name = c"C.UTF-8";
            // SAFETY: `name` is a NUL-terminated string and a null base
            // asks for a new object; null comes back on failure.
            let locale = unsafe {
                libc::newlocale(libc::LC_CTYPE_MASK, name.as_ptr(), std::ptr::null_mut())
            };
            (!locale.is_null()).then_some(Locale(locale))
        })
        .as_ref()
}

/// Runs `f` with the thread's locale switched to a UTF-8 `LC_CTYPE`.
fn with_utf8_ctype<T>(f: impl FnOnce() -> T) -> T {
    let Some(locale) = utf8_ctype() else {
        return f();
    };
    // SAFETY: `locale.0` is a valid locale object that lives for the rest
    // of the process; uselocale only changes this thread's locale and
    // returns the previous one.
    let previous = unsafe { libc::uselocale(locale.0) };
    let result = f();
    if !previous.is_null() {
        // SAFETY: `previous` is what uselocale just returned: the locale
        // this thread had, still valid.
        unsafe { libc::uselocale(previous) };
    }
    result
}

/// The regex text of `=~`'s right side, from its characters marked
/// quoted or not (as bash 5.2 builds it): a quoted character that is
/// special in an extended regex gets a backslash, except inside a bracket
/// expression opened by an unquoted `[`, where every character is copied
/// as it is (`["a-z"]` is the range `[a-z]`).
pub fn quote(chars: &[(char, bool)]) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while let Some(&(c, quoted)) = chars.get(i) {
        if !quoted
            && c == '['
            && let Some(end) = bracket_end(chars, i)
        {
            out.extend(chars[i..=end].iter().map(|&(c, _)| c));
            i = end + 1;
            continue;
        }
        if quoted && is_ere_special(c) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Characters with a meaning in an extended regex outside brackets.
fn is_ere_special(c: char) -> bool {
    matches!(
        c,
        '.' | '[' | '\\' | '(' | ')' | '*' | '+' | '?' | '{' | '|' | '^' | '$'
    )
}

/// Where the bracket expression opened by the `[` at `open` closes: the
/// first unquoted `]` after the optional `^`, a leading `]` and the
/// characters of `[:class:]`, `[=c=]` and `[.sym.]`. `None` when it does
/// not close (the `[` is then an ordinary character).
fn bracket_end(chars: &[(char, bool)], open: usize) -> Option<usize> {
    let is = |i: usize, want: char| chars.get(i) == Some(&(want, false));
    let mut i = open + 1;
    if is(i, '^') {
        i += 1;
    }
    if is(i, ']') {
        i += 1;
    }
    // The closing delimiter of an open `[:`, `[=` or `[.`.
    let mut inner: Option<char> = None;
    let mut first = true;
    loop {
        let &(c, quoted) = chars.get(i)?;
        if !first && !quoted && c == ']' {
            return Some(i);
        }
        first = false;
        i += 1;
        if quoted {
            continue;
        }
        match (c, chars.get(i)) {
            ('[', Some(&(d @ (':' | '=' | '.'), false))) => {
                inner = Some(d);
                i += 1;
                // `]` may be the character of `[=]=]` and `[.].]`.
                if d != ':' && is(i, ']') {
                    i += 1;
                }
            }
            (d, Some(&(']', false))) if inner == Some(d) => {
                inner = None;
                i += 1;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_counted_outside_brackets_and_escapes() {
        assert_eq!(count_groups("(a)(b)?(x)?"), 3);
        assert_eq!(count_groups("[(]b"), 0);
        assert_eq!(count_groups("a\\(b"), 0);
        assert_eq!(count_groups("([[:alpha:]])([](])"), 2);
        assert_eq!(count_groups("((a)|b)+"), 2);
        assert_eq!(count_groups("[unclosed(x)"), 1);
    }

    fn marked(parts: &[(&str, bool)]) -> Vec<(char, bool)> {
        parts
            .iter()
            .flat_map(|(text, quoted)| text.chars().map(move |c| (c, *quoted)))
            .collect()
    }

    #[test]
    fn quoted_specials_get_a_backslash() {
        assert_eq!(quote(&marked(&[("a", false), (".b", true)])), r"a\.b");
        assert_eq!(quote(&marked(&[("{}]|", true)])), r"\{}]\|");
        assert_eq!(quote(&marked(&[("^(a b)$", true)])), r"\^\(a b\)\$");
        assert_eq!(quote(&marked(&[("^(a b)$", false)])), "^(a b)$");
    }

    #[test]
    fn brackets_copy_quoted_characters() {
        assert_eq!(
            quote(&marked(&[("[", false), ("a-z", true), ("]", false)])),
            "[a-z]"
        );
        assert_eq!(
            quote(&marked(&[("[", false), ("]", true), ("]", false)])),
            "[]]"
        );
        assert_eq!(
            quote(&marked(&[("[[:alpha:]", false), (".", true), ("]", false)])),
            "[[:alpha:].]"
        );
        // Unclosed: the `[` is ordinary and quoted characters are escaped.
        assert_eq!(quote(&marked(&[("[", false), (".", true)])), r"[\.");
    }

    #[test]
    fn matches_and_groups() {
        let re = Regex::new("([a-z]+)([0-9]+)(x)?", false).expect("valid");
        let got = re.captures("--foo123").expect("match");
        let want = [Some("foo123"), Some("foo"), Some("123"), None];
        assert_eq!(got, want.map(|s| s.map(String::from)));
        assert_eq!(re.captures("failed"), None);
        assert!(Regex::new("(", false).is_err());
        assert!(Regex::new("a{1", false).is_err());
    }

    #[test]
    fn characters_not_bytes() {
        let re = Regex::new("^.$", false).expect("valid");
        assert!(re.captures("μ").is_some());
        let re = Regex::new("^ABC$", true).expect("valid");
        assert!(re.captures("abc").is_some());
    }

    /// As with bash in a UTF-8 locale, `.` does not match a byte that is
    /// not UTF-8, but the byte itself does; offsets are bytes.
    #[test]
    fn raw_bytes_round_trip() {
        let text = bytes::decode(b"a\xffb\xc3\xa9");
        assert!(
            Regex::new("a(.*)b", false)
                .expect("valid")
                .captures(&text)
                .is_none()
        );
        let re = Regex::new(&bytes::decode(b"a(\xff)b(.)$"), false).expect("valid");
        let got = re.captures(&text).expect("match");
        assert_eq!(got[0].as_deref(), Some(text.as_str()));
        assert_eq!(
            got[1].as_deref().map(bytes::encode),
            Some(b"\xff"[..].into())
        );
        assert_eq!(got[2].as_deref(), Some("é"));
    }
}
