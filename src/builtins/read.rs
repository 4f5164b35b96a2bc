//! `read`: one line (or record) from a shell fd, split into variables.
//!
//! Input is consumed exactly up to the delimiter, so whatever follows stays
//! for the next command (`while read l; do …; done < file`, or a script
//! that the shell itself reads from the same stdin). On a regular file we
//! read a chunk and seek back over the unused part; on anything else we
//! read one byte at a time, as there is no way to give bytes back.

use std::os::fd::RawFd;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::PollTimeout;

use super::options::{self, OptError};
use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::expand::is_name;
use crate::sys::fd as syscalls;

const USAGE: &str = "read: usage: read [-Eers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]";

/// Status of a `read` that timed out: 128 + SIGALRM, as bash.
const TIMEOUT_STATUS: i32 = 142;

/// What the options asked for.
#[derive(Debug, Clone, PartialEq)]
struct Request {
    raw: bool,
    silent: bool,
    prompt: Option<String>,
    timeout: Option<Duration>,
    delim: u8,
    /// `-n`: stop after this many characters (or at the delimiter).
    nchars: Option<usize>,
    /// `-N`: exactly `nchars` characters; the delimiter is ordinary and the
    /// text is not split.
    exact: bool,
    fd: i32,
    names: Vec<String>,
    /// `-a NAME`: every field into this indexed array.
    array: Option<String>,
}

/// A usage problem: the message and the status.
type UsageError = (String, i32);

/// `read [-rs] [-d delim] [-n|-N nchars] [-p prompt] [-t timeout] [-u fd] [name…]`.
pub fn read(sh: &mut Shell, argv: &[String]) -> Status {
    let req = match parse_request(&argv[1..]) {
        Ok(r) => r,
        Err((msg, status)) => return sh.builtin_error("read", &msg, status),
    };
    if let Some(bad) = req.names.iter().chain(&req.array).find(|n| !is_name(n)) {
        return sh.builtin_error("read", &format!("`{bad}': not a valid identifier"), 1);
    }
    let Some(fd) = sh.raw_fd(req.fd) else {
        let msg = format!("{}: invalid file descriptor: Bad file descriptor", req.fd);
        return sh.builtin_error("read", &msg, 1);
    };
    let is_tty = syscalls::isatty(fd);
    if req.timeout == Some(Duration::ZERO) {
        return Ok(if input_ready(fd) { 0 } else { 1 });
    }
    if let Some(p) = &req.prompt
        && is_tty
    {
        sh.write_stderr(p);
    }
    let echo_guard = if req.silent && is_tty {
        EchoOff::new(fd)
    } else {
        None
    };
    let mut input = Input::new(fd, req.timeout, sh.state.options.interactive);
    let outcome = read_record(&mut input, &req);
    input.give_back();
    drop(echo_guard);
    let (text, status) = match outcome {
        Ok((text, ended)) => (text, if ended == End::Eof { 1 } else { 0 }),
        Err((text, Failure::Timeout)) => (text, TIMEOUT_STATUS),
        Err((_, Failure::Interrupted)) => return Ok(130),
        Err((_, Failure::Os(e))) => {
            let msg = format!(
                "read error: {}: {}",
                req.fd,
                crate::exec::error::describe(e)
            );
            return sh.builtin_error("read", &msg, 1);
        }
    };
    let ifs = sh
        .state
        .vars
        .get("IFS")
        .unwrap_or(" \t\n")
        .as_bytes()
        .to_vec();
    if let Some(array) = &req.array {
        let fields = split_all(&text, &ifs);
        let values = crate::exec::state::Array::Indexed(fields.into_iter().enumerate().collect());
        if let Err(e) = sh.state.vars.set_array(array, values) {
            // bash: `x: readonly variable`, without `read: `; 2 as bash
            // 5.3 (POSIX: an assignment error is greater than 1).
            return sh.builtin_error_unnamed("read", &e.to_string(), 2);
        }
        return Ok(status);
    }
    let values = if req.names.is_empty() || req.exact {
        whole(&text, req.names.len().max(1))
    } else {
        split_fields(&text, &ifs, req.names.len())
    };
    let names = if req.names.is_empty() {
        vec!["REPLY".to_string()]
    } else {
        req.names.clone()
    };
    for (name, value) in names.iter().zip(values) {
        if let Err(e) = sh.assign(name, value) {
            return sh.builtin_error_unnamed("read", &e.to_string(), 2);
        }
    }
    Ok(status)
}

fn parse_request(args: &[String]) -> Result<Request, UsageError> {
    let usage = |e: OptError| (format!("{e}\n{USAGE}"), 2);
    let (opts, first) = options::parse(args, "rseEa:d:i:n:N:p:t:u:").map_err(usage)?;
    let mut req = Request {
        raw: false,
        silent: false,
        prompt: None,
        timeout: None,
        delim: b'\n',
        nchars: None,
        exact: false,
        fd: 0,
        names: args[first..].to_vec(),
        array: None,
    };
    for (c, value) in opts {
        let value = value.unwrap_or_default();
        match c {
            'r' => req.raw = true,
            's' => req.silent = true,
            'p' => req.prompt = Some(value),
            'd' => req.delim = crate::bytes::encode(&value).first().copied().unwrap_or(0),
            'n' | 'N' => {
                req.nchars = Some(parse_count(&value)?);
                req.exact = c == 'N';
            }
            't' => req.timeout = Some(parse_timeout(&value)?),
            'u' => req.fd = parse_fd(&value)?,
            'a' => req.array = Some(value.clone()),
            // -e / -E (readline, with bash's completion for -E) and -i (its
            // initial text) only matter with a
            // line editor on a terminal; plain reading is what they fall
            // back to.
            _ => {}
        }
    }
    Ok(req)
}

fn parse_count(s: &str) -> Result<usize, UsageError> {
    s.parse::<usize>()
        .map_err(|_| (format!("{s}: invalid number"), 2))
}

fn parse_timeout(s: &str) -> Result<Duration, UsageError> {
    let bad = || (format!("{s}: invalid timeout specification"), 2);
    let valid = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.') && s != ".";
    if !valid {
        return Err(bad());
    }
    let secs: f64 = s.parse().map_err(|_| bad())?;
    // Longer than a Duration holds is as good as forever.
    Ok(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

fn parse_fd(s: &str) -> Result<i32, UsageError> {
    s.parse::<i32>()
        .ok()
        .filter(|fd| *fd >= 0)
        .ok_or_else(|| (format!("{s}: invalid file descriptor specification"), 2))
}

/// `read -t 0`: whether a read would return at once (data or EOF).
fn input_ready(fd: RawFd) -> bool {
    matches!(syscalls::poll_readable(fd, PollTimeout::ZERO), Ok(n) if n > 0)
}

/// Turns terminal echo off for `read -s`, back on when dropped.
struct EchoOff {
    fd: RawFd,
    saved: nix::sys::termios::Termios,
}

impl EchoOff {
    fn new(fd: RawFd) -> Option<EchoOff> {
        use nix::sys::termios::LocalFlags;
        let saved = syscalls::tcgetattr(fd).ok()?;
        let mut quiet = saved.clone();
        quiet.local_flags.remove(LocalFlags::ECHO);
        syscalls::tcsetattr(fd, &quiet).ok()?;
        Some(EchoOff { fd, saved })
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        let _ = syscalls::tcsetattr(self.fd, &self.saved);
    }
}

/// Why reading stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    Timeout,
    /// SIGINT in an interactive shell.
    Interrupted,
    Os(Errno),
}

/// Why a record ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Delimiter,
    Count,
    Eof,
}

/// A byte source over a raw fd that never consumes past what it hands out
/// (after [`Input::give_back`]).
struct Input {
    fd: RawFd,
    buf: Vec<u8>,
    pos: usize,
    /// A regular file: chunks may be read and the rest sought back over.
    seekable: bool,
    deadline: Option<Instant>,
    /// An interactive shell: Ctrl-C must end the wait.
    interruptible: bool,
}

impl Input {
    fn new(fd: RawFd, timeout: Option<Duration>, interruptible: bool) -> Input {
        let seekable = syscalls::fstat(fd)
            .map(|st| st.st_mode & libc::S_IFMT == libc::S_IFREG)
            .unwrap_or(false);
        Input {
            fd,
            buf: Vec::new(),
            pos: 0,
            seekable,
            deadline: timeout.and_then(|t| Instant::now().checked_add(t)),
            interruptible,
        }
    }

    /// The next byte; `None` at end of input.
    fn next(&mut self) -> Result<Option<u8>, Failure> {
        if self.pos < self.buf.len() {
            self.pos += 1;
            return Ok(Some(self.buf[self.pos - 1]));
        }
        self.wait_readable()?;
        let mut chunk = [0u8; 256];
        let want = if self.seekable { chunk.len() } else { 1 };
        let n = syscalls::read(self.fd, &mut chunk[..want]).map_err(Failure::Os)?;
        if n == 0 {
            return Ok(None);
        }
        self.buf.clear();
        self.buf.extend_from_slice(&chunk[..n]);
        self.pos = 1;
        Ok(Some(self.buf[0]))
    }

    /// Gives back the byte [`Input::next`] just returned.
    fn unread(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// Waits until the fd is readable, the `-t` deadline passes or (in an
    /// interactive shell) SIGINT arrives. The shell's SIGINT handler uses
    /// SA_RESTART, so a blocked read(2) would never return; poll(2) is
    /// never restarted and so reports the signal. The interrupt stays
    /// noted: it abandons the rest of the command line too.
    fn wait_readable(&self) -> Result<(), Failure> {
        if self.deadline.is_none() && !self.interruptible {
            return Ok(());
        }
        loop {
            let timeout = match self.deadline {
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    let ms = i32::try_from(left.as_millis()).unwrap_or(i32::MAX);
                    PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX)
                }
                None => PollTimeout::NONE,
            };
            match syscalls::poll_readable(self.fd, timeout) {
                Ok(0) => return Err(Failure::Timeout),
                Ok(_) => return Ok(()),
                Err(Errno::EINTR)
                    if self.interruptible && crate::jobs::signals::interrupt_pending() =>
                {
                    return Err(Failure::Interrupted);
                }
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(Failure::Os(e)),
            }
        }
    }

    /// Seeks back over bytes read ahead but not used.
    fn give_back(&mut self) {
        let unused = self.buf.len() - self.pos;
        if unused > 0 {
            let _ = syscalls::lseek(self.fd, -(unused as i64), nix::unistd::Whence::SeekCur);
        }
        self.buf.clear();
        self.pos = 0;
    }
}

/// One character of input and whether a backslash quoted it (quoted
/// characters never split fields and are never trimmed).
type Char = (u8, bool);

/// Reads one record: up to the delimiter (not kept), the character count
/// or the end of input. Backslash-newline is dropped and backslash quotes
/// the next character, unless `-r`. On failure, what was read so far comes
/// with the error.
fn read_record(input: &mut Input, req: &Request) -> Result<(Vec<Char>, End), (Vec<Char>, Failure)> {
    let mut text: Vec<Char> = Vec::new();
    let mut count = 0;
    loop {
        if req.nchars.is_some_and(|n| count >= n) {
            return Ok((text, End::Count));
        }
        let b = match input.next() {
            Ok(Some(b)) => b,
            Ok(None) => return Ok((text, End::Eof)),
            Err(e) => return Err((text, e)),
        };
        if b == req.delim && !req.exact {
            return Ok((text, End::Delimiter));
        }
        if b == 0 {
            // Bash drops NUL bytes: they cannot be part of a variable.
            continue;
        }
        if b == b'\\' && !req.raw {
            match input.next() {
                Ok(Some(b'\n')) => continue,
                Ok(Some(next)) => {
                    text.push((next, true));
                    count += 1;
                    continue_utf8(input, next, &mut text).map_err(|e| (text.clone(), e))?;
                    continue;
                }
                Ok(None) => return Ok((text, End::Eof)),
                Err(e) => return Err((text, e)),
            }
        }
        text.push((b, false));
        count += 1;
        continue_utf8(input, b, &mut text).map_err(|e| (text.clone(), e))?;
    }
}

/// `-n` counts characters, not bytes: after a UTF-8 lead byte, takes the
/// continuation bytes that belong to it (only those).
fn continue_utf8(input: &mut Input, lead: u8, text: &mut Vec<Char>) -> Result<(), Failure> {
    let extra = match lead {
        0xC0..=0xDF => 1,
        0xE0..=0xEF => 2,
        0xF0..=0xF7 => 3,
        _ => 0,
    };
    let quoted = text.last().is_some_and(|c| c.1);
    for _ in 0..extra {
        match input.next()? {
            Some(b @ 0x80..=0xBF) => text.push((b, quoted)),
            // Not a continuation: a byte of its own (a NUL delimiter after
            // an invalid lead byte still ends the record).
            Some(_) => {
                input.unread();
                break;
            }
            None => break,
        }
    }
    Ok(())
}

fn to_string(chars: &[Char]) -> String {
    crate::bytes::decode_vec(chars.iter().map(|c| c.0).collect())
}

/// No splitting (`REPLY`, `-N`): all of it to the first name.
fn whole(text: &[Char], n: usize) -> Vec<String> {
    let mut values = vec![to_string(text)];
    values.resize(n, String::new());
    values
}

/// Splits `text` into `n` values as POSIX `read` does: IFS whitespace
/// around fields is trimmed, each other IFS character ends a field, and
/// the last name takes the rest of the line with its separators — except
/// that a rest which is one field and its terminator gives just the field.
fn split_fields(text: &[Char], ifs: &[u8], n: usize) -> Vec<String> {
    let sp = Splitter { text, ifs };
    let mut values = Vec::with_capacity(n);
    let mut pos = sp.skip_spaces(0);
    for _ in 1..n {
        let (end, next) = sp.field_at(pos);
        values.push(to_string(&text[pos..end.max(pos)]));
        pos = next.max(pos);
    }
    let rest = &text[pos.min(text.len())..];
    let (end, next) = sp.field_at(pos);
    let last = if next >= text.len() {
        to_string(&text[pos.min(text.len())..end.max(pos).min(text.len())])
    } else {
        let mut keep = rest.len();
        while keep > 0 && sp.is_space(&rest[keep - 1]) {
            keep -= 1;
        }
        to_string(&rest[..keep])
    };
    values.push(last);
    values
}

/// `read -a`: every field of `text`, as field splitting makes them (the
/// empty field after a last separator is none: `a::` is `a` and one
/// empty field).
fn split_all(text: &[Char], ifs: &[u8]) -> Vec<String> {
    let sp = Splitter { text, ifs };
    let mut values = Vec::new();
    let mut pos = sp.skip_spaces(0);
    while pos < text.len() {
        let (end, next) = sp.field_at(pos);
        values.push(to_string(&text[pos..end.max(pos)]));
        pos = next.max(pos + 1);
    }
    values
}

/// Field splitting of `read`'s input by IFS.
struct Splitter<'a> {
    text: &'a [Char],
    ifs: &'a [u8],
}

impl Splitter<'_> {
    fn is_ifs(&self, c: &Char) -> bool {
        !c.1 && self.ifs.contains(&c.0)
    }

    /// IFS whitespace is every C `isspace` character, as bash has it.
    fn is_space(&self, c: &Char) -> bool {
        self.is_ifs(c) && matches!(c.0, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
    }

    fn skip_spaces(&self, mut pos: usize) -> usize {
        while pos < self.text.len() && self.is_space(&self.text[pos]) {
            pos += 1;
        }
        pos
    }

    /// A field and its terminator: spaces, at most one other IFS
    /// character, spaces. Answers (field end, position after the
    /// terminator).
    fn field_at(&self, start: usize) -> (usize, usize) {
        let text = self.text;
        let mut end = start;
        while end < text.len() && !self.is_ifs(&text[end]) {
            end += 1;
        }
        let mut pos = self.skip_spaces(end);
        if pos < text.len() && self.is_ifs(&text[pos]) && !self.is_space(&text[pos]) {
            pos = self.skip_spaces(pos + 1);
        }
        (end, pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Vec<Char> {
        s.bytes().map(|b| (b, false)).collect()
    }

    fn split(s: &str, ifs: &str, n: usize) -> Vec<String> {
        split_fields(&plain(s), ifs.as_bytes(), n)
    }

    #[test]
    fn last_name_takes_the_rest_with_inner_separators() {
        assert_eq!(
            split("hello world  test   ", " \t\n", 2),
            ["hello", "world  test"]
        );
        assert_eq!(split("  A B C D E ", " \t\n", 3), ["A", "B", "C D E"]);
    }

    #[test]
    fn missing_fields_are_empty() {
        assert_eq!(split("A B", " ", 3), ["A", "B", ""]);
        assert_eq!(split("", " ", 2), ["", ""]);
    }

    #[test]
    fn one_trailing_delimiter_is_dropped_from_the_last_field() {
        assert_eq!(split("a:b:", ":", 2), ["a", "b"]);
        assert_eq!(split("xax   ", "x ", 2), ["", "a"]);
        assert_eq!(split("xaxx  ", "x ", 2), ["", "axx"]);
        assert_eq!(split("a ax  x  x", "x ", 2), ["a", "ax  x  x"]);
        assert_eq!(split("xxx", "x ", 2), ["", "xx"]);
    }

    #[test]
    fn quoted_characters_do_not_split_or_trim() {
        let mut text = plain("x");
        text.push((b' ', true));
        text.push((b' ', false));
        text.push((b' ', true));
        assert_eq!(split_fields(&text, b"x ", 2), ["", "   "]);
    }

    #[test]
    fn empty_ifs_keeps_the_line_whole() {
        assert_eq!(split("  a b  ", "", 2), ["  a b  ", ""]);
    }

    #[test]
    fn timeouts_and_counts_are_validated() {
        assert!(parse_timeout("0.5").is_ok());
        assert!(parse_timeout("-0.5").is_err());
        assert!(parse_timeout("x").is_err());
        assert!(parse_timeout("99999999999999999999999").is_ok());
        assert!(parse_count("-1").is_err());
        assert!(parse_fd("-3").is_err());
    }
}
