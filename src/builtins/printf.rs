//! `printf`, as bash: every C conversion plus `%b` (escapes in the
//! argument), `%q` (shell-quoted) and `%(fmt)T` (strftime), the format
//! reused while arguments remain, and `-v var` to assign instead of print.
//!
//! Numeric conversions go through the C library's `snprintf`, so flags,
//! width and precision behave exactly as C (and bash) define them; only
//! the argument parsing is ours.

use super::options::{self, OptError};
use crate::escapes::parse_radix;
use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::expand::is_name;

const USAGE: &str = "printf: usage: printf [-v var] format [arguments]";

/// Widths and precisions beyond this are clamped: bash would try to print
/// gigabytes of padding, which no script means.
const MAX_WIDTH: i64 = 1 << 24;

/// `printf [-v var] format [arguments…]`.
pub fn printf(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match options::parse(&argv[1..], "v:") {
        Ok(parsed) => parsed,
        Err(e) => return usage_error(sh, e),
    };
    let target = opts.into_iter().find_map(|(_, v)| v);
    let rest = &argv[1 + first..];
    let Some(format) = rest.first() else {
        sh.write_stderr(&format!("{USAGE}\n"));
        return Ok(2);
    };
    if let Some(name) = &target
        && !is_name(name)
        && crate::exec::arrays::split_subscript(name).is_none()
    {
        return sh.builtin_error("printf", &format!("`{name}': not a valid identifier"), 2);
    }
    let mut out = Formatter::new(&rest[1..]);
    out.run(&crate::bytes::encode(format));
    let mut status = 0;
    for msg in std::mem::take(&mut out.errors) {
        status = sh.builtin_error("printf", &msg, 1)?;
    }
    for msg in std::mem::take(&mut out.warnings) {
        sh.report(&format!("printf: warning: {msg}"));
    }
    if out.fatal {
        status = 1;
    }
    match target {
        Some(name) => {
            let value = crate::bytes::decode_vec(std::mem::take(&mut out.out));
            if let Err(e) = sh.assign_target(&name, value) {
                return sh.builtin_error("printf", &e.to_string(), 1);
            }
        }
        None => {
            if !sh.print_bytes("printf", &out.out)? {
                return Ok(1);
            }
        }
    }
    Ok(status)
}

fn usage_error(sh: &mut Shell, e: OptError) -> Status {
    sh.builtin_error("printf", &format!("{e}\n{USAGE}"), 2)
}

/// One run of a format over the arguments.
struct Formatter<'a> {
    args: &'a [String],
    next: usize,
    out: Vec<u8>,
    /// Bad numbers: reported, status 1, output goes on.
    errors: Vec<String>,
    /// Out-of-range numbers: bash only warns.
    warnings: Vec<String>,
    /// A bad format: output stops there, status 1.
    fatal: bool,
    /// `\c` in a `%b` argument: output stops there, status 0.
    stopped: bool,
}

/// A parsed conversion: `%[flags][width][.precision]conv`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Spec {
    flags: String,
    width: Option<i64>,
    precision: Option<i64>,
    conv: u8,
}

impl<'a> Formatter<'a> {
    fn new(args: &'a [String]) -> Formatter<'a> {
        Formatter {
            args,
            next: 0,
            out: Vec::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            fatal: false,
            stopped: false,
        }
    }

    /// Applies the format once, then again while arguments remain (only if
    /// it consumed some: a format without conversions is printed once).
    fn run(&mut self, format: &[u8]) {
        loop {
            let before = self.next;
            self.once(format);
            if self.fatal || self.stopped || self.next >= self.args.len() || self.next == before {
                return;
            }
        }
    }

    fn take_arg(&mut self) -> Option<&'a str> {
        let arg = self.args.get(self.next)?;
        self.next += 1;
        Some(arg.as_str())
    }

    fn once(&mut self, f: &[u8]) {
        let mut i = 0;
        while i < f.len() && !self.fatal && !self.stopped {
            match f[i] {
                b'\\' => i += format_escape(&f[i + 1..], &mut self.out) + 1,
                b'%' => i += self.conversion(&f[i..]),
                b => {
                    self.out.push(b);
                    i += 1;
                }
            }
        }
    }

    /// Handles the conversion at the start of `f` (which begins with `%`);
    /// answers how many bytes it took.
    fn conversion(&mut self, f: &[u8]) -> usize {
        let mut i = 1;
        let mut spec = Spec::default();
        while let Some(&c) = f.get(i).filter(|c| b"-+ #0'".contains(c)) {
            spec.flags.push(c as char);
            i += 1;
        }
        spec.width = self.number_field(f, &mut i);
        if f.get(i) == Some(&b'.') {
            i += 1;
            spec.precision = Some(self.number_field(f, &mut i).unwrap_or(0));
        }
        while f.get(i).is_some_and(|c| b"hlLjzt".contains(c)) {
            i += 1;
        }
        let Some(&conv) = f.get(i) else {
            self.bad_format(&f[..i]);
            return i;
        };
        spec.conv = conv;
        if conv == b'(' {
            return self.strftime(f, i, spec);
        }
        self.convert(&spec, &f[..=i]);
        i + 1
    }

    /// A width or precision: digits, or `*` taken from the arguments.
    fn number_field(&mut self, f: &[u8], i: &mut usize) -> Option<i64> {
        if f.get(*i) == Some(&b'*') {
            *i += 1;
            let arg = self.take_arg().unwrap_or("");
            let n = self.integer(arg);
            return Some(n.clamp(-MAX_WIDTH, MAX_WIDTH));
        }
        let start = *i;
        while f.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        let digits = std::str::from_utf8(&f[start..*i]).ok()?;
        if digits.is_empty() {
            return None;
        }
        Some(digits.parse::<i64>().unwrap_or(MAX_WIDTH).min(MAX_WIDTH))
    }

    fn bad_format(&mut self, text: &[u8]) {
        let text = crate::bytes::decode(text);
        self.errors
            .push(format!("`{text}': missing format character"));
        self.fatal = true;
    }

    fn convert(&mut self, spec: &Spec, text: &[u8]) {
        match spec.conv {
            b'%' if text.len() == 2 => self.out.push(b'%'),
            b's' => {
                let arg = self.take_arg().unwrap_or("");
                pad_bytes(&mut self.out, &crate::bytes::encode(arg), spec);
            }
            b'b' => {
                let arg = self.take_arg().unwrap_or("");
                let mut decoded = Vec::new();
                self.stopped = decode_b(arg, &mut decoded);
                pad_bytes(&mut self.out, &decoded, spec);
            }
            b'q' => {
                let arg = self.take_arg().unwrap_or("");
                pad_bytes(
                    &mut self.out,
                    &crate::bytes::encode(&shell_quote(arg)),
                    spec,
                );
            }
            b'c' => {
                let arg = self.take_arg().unwrap_or("");
                let bytes = crate::bytes::encode(arg);
                let first = &bytes[..bytes.len().min(1)];
                let spec = Spec {
                    precision: None,
                    ..spec.clone()
                };
                pad_bytes(&mut self.out, first, &spec);
            }
            b'd' | b'i' | b'u' | b'o' | b'x' | b'X' => {
                let arg = self.take_arg().unwrap_or("");
                let n = self.integer_for(arg, spec.conv);
                c_format(&mut self.out, spec, CArg::Int(n));
            }
            b'e' | b'E' | b'f' | b'F' | b'g' | b'G' | b'a' | b'A' => {
                let arg = self.take_arg().unwrap_or("");
                let x = self.float(arg);
                c_format(&mut self.out, spec, CArg::Float(x));
            }
            _ => {
                let conv = crate::bytes::decode(&text[text.len() - 1..]);
                self.errors
                    .push(format!("`{conv}': invalid format character"));
                self.fatal = true;
            }
        }
    }

    /// `%(fmt)T`: the argument is seconds since the epoch (`-1` or none:
    /// now).
    fn strftime(&mut self, f: &[u8], open: usize, spec: Spec) -> usize {
        let Some(close) = f[open..].windows(2).position(|w| w == b")T") else {
            self.bad_format(f);
            return f.len();
        };
        let fmt = &f[open + 1..open + close];
        let arg = self.take_arg().unwrap_or("-1");
        let secs = match self.integer(arg) {
            n if n < 0 => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
            n => n,
        };
        let text = strftime_local(fmt, secs);
        let spec = Spec { conv: b's', ..spec };
        pad_bytes(&mut self.out, &text, &spec);
        open + close + 2
    }

    fn integer(&mut self, arg: &str) -> i64 {
        let (n, problem) = parse_integer(arg, false);
        self.note(arg, problem);
        n as i64
    }

    /// The argument of an integer conversion: signed for `%d`/`%i`, the
    /// two's complement bits otherwise (`%x` of -1 is all ones).
    fn integer_for(&mut self, arg: &str, conv: u8) -> i128 {
        let unsigned = !matches!(conv, b'd' | b'i');
        let (n, problem) = parse_integer(arg, unsigned);
        self.note(arg, problem);
        n
    }

    fn float(&mut self, arg: &str) -> f64 {
        if let Some(code) = char_code(arg) {
            return code as f64;
        }
        let t = arg.trim_start();
        match t.parse::<f64>() {
            Ok(x) => x,
            Err(_) => {
                // The longest prefix that is a number, as strtod takes it.
                let prefix = (1..=t.len())
                    .rev()
                    .filter(|&n| t.is_char_boundary(n))
                    .find_map(|n| t[..n].parse::<f64>().ok());
                self.note(arg, Some(Problem::Invalid));
                prefix.unwrap_or(0.0)
            }
        }
    }

    fn note(&mut self, arg: &str, problem: Option<Problem>) {
        match problem {
            Some(Problem::Invalid) => self.errors.push(format!("{arg}: invalid number")),
            Some(Problem::Range) => self
                .warnings
                .push(format!("{arg}: Numerical result out of range")),
            None => {}
        }
    }
}

/// What was wrong with a numeric argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Not (entirely) a number: what parsed is used.
    Invalid,
    /// Too big: clamped.
    Range,
}

/// `'c` or `"c`: the code point of the character after the quote (0 if
/// none; the first byte when it is not valid UTF-8).
fn char_code(arg: &str) -> Option<u32> {
    let rest = arg.strip_prefix('\'').or_else(|| arg.strip_prefix('"'))?;
    Some(
        rest.chars()
            .next()
            .map_or(0, |c| match crate::bytes::raw_byte(c) {
                Some(b) => u32::from(b),
                None => c as u32,
            }),
    )
}

/// Parses an integer argument as `strtoimax` would (leading blanks, sign,
/// `0x` hex, `0` octal), with the character-code form. Values are clamped
/// to the range of the conversion (`unsigned`: ±u64::MAX).
fn parse_integer(arg: &str, unsigned: bool) -> (i128, Option<Problem>) {
    if let Some(code) = char_code(arg) {
        return (i128::from(code), None);
    }
    let t = arg.trim_start_matches([' ', '\t', '\n']);
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, hex)
    } else if t.starts_with('0') {
        (8, t)
    } else {
        (10, t)
    };
    let used = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    let mut value: i128 = 0;
    let mut overflow = false;
    for b in digits[..used].bytes() {
        let d = i128::from((b as char).to_digit(radix).unwrap_or(0));
        value = match value
            .checked_mul(i128::from(radix))
            .and_then(|v| v.checked_add(d))
        {
            Some(v) => v,
            None => {
                overflow = true;
                i128::MAX
            }
        };
    }
    if negative {
        value = -value;
    }
    let (lo, hi) = if unsigned {
        (-i128::from(u64::MAX), i128::from(u64::MAX))
    } else {
        (i128::from(i64::MIN), i128::from(i64::MAX))
    };
    let mut problem = None;
    if overflow || value < lo || value > hi {
        value = value.clamp(lo, hi);
        problem = Some(Problem::Range);
    }
    if !arg.is_empty() && (used == 0 || used < digits.len()) {
        problem = Some(Problem::Invalid);
    }
    (value, problem)
}

/// Pads (and with a precision, truncates) bytes to the spec's width.
fn pad_bytes(out: &mut Vec<u8>, bytes: &[u8], spec: &Spec) {
    let bytes = match spec.precision {
        Some(p) if p >= 0 => &bytes[..bytes.len().min(p as usize)],
        _ => bytes,
    };
    let width = spec.width.unwrap_or(0);
    let left = spec.flags.contains('-') || width < 0;
    let pad = (width.unsigned_abs() as usize).saturating_sub(bytes.len());
    if !left {
        out.resize(out.len() + pad, b' ');
    }
    out.extend_from_slice(bytes);
    if left {
        out.resize(out.len() + pad, b' ');
    }
}

/// A numeric argument for [`c_format`].
enum CArg {
    Int(i128),
    Float(f64),
}

/// Formats one number with the C library, from a format rebuilt from the
/// spec (so no user text reaches `snprintf` as a format).
fn c_format(out: &mut Vec<u8>, spec: &Spec, arg: CArg) {
    let mut fmt = String::from("%");
    fmt.extend(spec.flags.chars().filter(|c| *c != '\''));
    if let Some(w) = spec.width {
        fmt.push_str(&w.to_string());
    }
    // A negative precision (from `*`) counts as none, as in C.
    if let Some(p) = spec.precision.filter(|p| *p >= 0) {
        fmt.push_str(&format!(".{p}"));
    }
    let conv = spec.conv as char;
    match arg {
        CArg::Int(_) => fmt.push_str(&format!("ll{conv}")),
        CArg::Float(_) => fmt.push(conv),
    }
    let Ok(cfmt) = std::ffi::CString::new(fmt) else {
        return;
    };
    let call = |buf: &mut [u8]| -> i32 {
        let ptr = buf.as_mut_ptr().cast::<libc::c_char>();
        // SAFETY: the format was built above from validated flags, numbers
        // and one conversion letter matching the single argument's type
        // (`ll` with a 64-bit integer, or a double); snprintf writes at most
        // `buf.len()` bytes into `buf`.
        unsafe {
            match arg {
                CArg::Int(n) if matches!(spec.conv, b'd' | b'i') => {
                    libc::snprintf(ptr, buf.len(), cfmt.as_ptr(), n as libc::c_longlong)
                }
                CArg::Int(n) => {
                    libc::snprintf(ptr, buf.len(), cfmt.as_ptr(), n as u64 as libc::c_ulonglong)
                }
                CArg::Float(x) => libc::snprintf(ptr, buf.len(), cfmt.as_ptr(), x),
            }
        }
    };
    let mut buf = vec![0u8; 64];
    let Ok(needed) = usize::try_from(call(&mut buf)) else {
        return;
    };
    if needed >= buf.len() {
        buf = vec![0u8; needed + 1];
        call(&mut buf);
    }
    out.extend_from_slice(&buf[..needed.min(buf.len())]);
}

/// `strftime(3)` in local time; the format is truncated at its first NUL.
pub(crate) fn strftime_local(fmt: &[u8], secs: i64) -> Vec<u8> {
    let fmt: Vec<u8> = fmt.iter().copied().take_while(|b| *b != 0).collect();
    let Ok(cfmt) = std::ffi::CString::new(fmt) else {
        return Vec::new();
    };
    let t = secs as libc::time_t;
    // SAFETY: zeroed `tm` is a valid value for localtime_r to overwrite.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are to live locals of the right types.
    if unsafe { libc::localtime_r(&t, &mut tm) }.is_null() {
        return Vec::new();
    }
    let mut buf = vec![0u8; 128];
    // SAFETY: strftime writes at most `buf.len()` bytes into `buf`; the
    // format is NUL-terminated and `tm` was filled by localtime_r. Bash's
    // buffer is 128 bytes too: longer results come out empty.
    let n = unsafe {
        libc::strftime(
            buf.as_mut_ptr().cast::<libc::c_char>(),
            buf.len(),
            cfmt.as_ptr(),
            &tm,
        )
    };
    buf.truncate(n);
    buf
}

/// Decodes one escape in the format (after its backslash) into `out`;
/// answers how many bytes after the backslash it used. Unknown escapes
/// stay as written.
fn format_escape(s: &[u8], out: &mut Vec<u8>) -> usize {
    let Some(&c) = s.first() else {
        out.push(b'\\');
        return 0;
    };
    if let Some(b) = simple_escape(c) {
        out.push(b);
        return 1;
    }
    match c {
        b'0'..=b'7' => {
            let (v, used) = parse_radix(s, 8, 3);
            out.push(v as u8);
            used
        }
        b'x' | b'u' | b'U' => 1 + hex_escape(c, &s[1..], out),
        _ => {
            out.push(b'\\');
            out.push(c);
            1
        }
    }
}

/// The one-letter escapes shared by the format and `%b`.
fn simple_escape(c: u8) -> Option<u8> {
    Some(match c {
        b'a' => 7,
        b'b' => 8,
        b'e' | b'E' => 27,
        b'f' => 12,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'v' => 11,
        b'\\' => b'\\',
        b'\'' => b'\'',
        b'"' => b'"',
        b'?' => b'?',
        _ => return None,
    })
}

/// `\xHH`, `\uHHHH`, `\UHHHHHHHH` (after the letter); a letter without
/// digits stays as written. Answers the digits used.
fn hex_escape(letter: u8, digits: &[u8], out: &mut Vec<u8>) -> usize {
    let max = match letter {
        b'x' => 2,
        b'u' => 4,
        _ => 8,
    };
    let (v, used) = parse_radix(digits, 16, max);
    if used == 0 {
        out.push(b'\\');
        out.push(letter);
    } else if letter == b'x' {
        out.push(v as u8);
    } else {
        let ch = char::from_u32(v).unwrap_or('\u{fffd}');
        out.extend_from_slice(ch.encode_utf8(&mut [0u8; 4]).as_bytes());
    }
    used
}

/// `%b`: escapes in the argument, with `\0NNN` and `\NNN` octal; true when
/// `\c` ended all output.
fn decode_b(s: &str, out: &mut Vec<u8>) -> bool {
    let encoded = crate::bytes::encode(s);
    let s: &[u8] = &encoded;
    let mut i = 0;
    while i < s.len() {
        if s[i] != b'\\' || i + 1 >= s.len() {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let c = s[i + 1];
        i += 2;
        if let Some(b) = simple_escape(c).filter(|_| c != b'\'' && c != b'"' && c != b'?') {
            out.push(b);
            continue;
        }
        match c {
            b'c' => return true,
            b'0' => {
                let (v, used) = parse_radix(&s[i..], 8, 3);
                out.push(v as u8);
                i += used;
            }
            b'1'..=b'7' => {
                let (v, used) = parse_radix(&s[i - 1..], 8, 3);
                out.push(v as u8);
                i += used - 1;
            }
            b'x' | b'u' | b'U' => i += hex_escape(c, &s[i..], out),
            _ => {
                out.push(b'\\');
                out.push(c);
            }
        }
    }
    false
}

/// `%q`: a word the shell reads back as `s`. Plain words stay bare, others
/// go in single quotes, and strings with control characters use `$'…'`.
pub fn shell_quote(s: &str) -> String {
    if !s.chars().any(crate::parser::unparse::unprintable) {
        return backslash_quote(s);
    }
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0b' => out.push_str("\\v"),
            '\x0c' => out.push_str("\\f"),
            '\x1b' => out.push_str("\\E"),
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            c if c.is_control() && (c as u32) < 0x100 => {
                out.push_str(&format!("\\{:03o}", c as u32))
            }
            c if let Some(b) = crate::bytes::raw_byte(c) => out.push_str(&format!("\\{b:03o}")),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `%q` without control characters, as bash writes it: a backslash before
/// each character the shell would treat specially (`~` only where tilde
/// expansion could see it, `#` only at the start); `''` for nothing.
fn backslash_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_string();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut previous: Option<char> = None;
    for c in s.chars() {
        let escape = match c {
            ' ' | '\'' | '"' | '\\' | '|' | '&' | ';' | '(' | ')' | '<' | '>' | '!' | '{' | '}'
            | '*' | '[' | '?' | ']' | '^' | '$' | '`' | ',' => true,
            '~' => matches!(previous, None | Some('=') | Some(':')),
            '#' => previous.is_none(),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        previous = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(format: &str, args: &[&str]) -> (String, Vec<String>) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut f = Formatter::new(&args);
        f.run(format.as_bytes());
        (String::from_utf8_lossy(&f.out).into_owned(), f.errors)
    }

    #[test]
    fn integers_parse_like_strtoimax() {
        assert_eq!(parse_integer("0x1f", false), (31, None));
        assert_eq!(parse_integer("010", false), (8, None));
        assert_eq!(parse_integer(" +077", false), (63, None));
        assert_eq!(parse_integer("'a", false), (97, None));
        assert_eq!(parse_integer("'", false), (0, None));
        assert_eq!(parse_integer("3abc", false), (3, Some(Problem::Invalid)));
        assert_eq!(parse_integer("", false), (0, None));
        assert_eq!(parse_integer("-", false), (0, Some(Problem::Invalid)));
        assert_eq!(
            parse_integer("99999999999999999999999", false),
            (i128::from(i64::MAX), Some(Problem::Range))
        );
    }

    #[test]
    fn format_is_reused_for_extra_arguments() {
        assert_eq!(run("-%s-%s-\n", &["a", "b", "c"]).0, "-a-b-\n-c--\n");
    }

    #[test]
    fn numeric_conversions_follow_c() {
        assert_eq!(
            run("[%6.4d][%-5x][%#o][%+d]", &["-42", "42", "8", "1"]).0,
            "[ -0042][2a   ][010][+1]"
        );
        assert_eq!(
            run("%e %g %.2f", &["3.14", "3", "2.5"]).0,
            "3.140000e+00 3 2.50"
        );
        assert_eq!(run("%u", &["-1"]).0, "18446744073709551615");
        assert_eq!(run("[%.*d][%*d]", &["-1", "5", "-3", "7"]).0, "[5][7  ]");
    }

    #[test]
    fn huge_star_width_is_clamped_not_fatal() {
        let (out, _) = run("%*d", &["99999999999999999999", "1"]);
        assert_eq!(out.len(), MAX_WIDTH as usize);
    }

    #[test]
    fn b_escapes_and_stop() {
        let mut out = Vec::new();
        assert!(!decode_b("\\1419\\0141\\x7e", &mut out));
        assert_eq!(out, b"a9a~");
        let mut out = Vec::new();
        assert!(decode_b("ab\\cxy", &mut out));
        assert_eq!(out, b"ab");
    }

    #[test]
    fn quoting_round_trips() {
        assert_eq!(shell_quote("a b"), "a\\ b");
        assert_eq!(shell_quote("~x=~y#z"), "\\~x=\\~y#z");
        assert_eq!(shell_quote("plain"), "plain");
        assert_eq!(shell_quote("a\nb\u{1}'"), "$'a\\nb\\001\\''");
    }

    #[test]
    fn bad_format_character_stops_output() {
        let (out, errors) = run("a%kb", &["1"]);
        assert_eq!(out, "a");
        assert_eq!(errors, ["`k': invalid format character"]);
        let (_, errors) = run("%5", &[]);
        assert_eq!(errors, ["`%5': missing format character"]);
    }
}
