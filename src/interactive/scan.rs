//! A light, forgiving tokenizer of the line being edited, shared by the
//! highlighter and the completer.
//!
//! The parser's lexer is private to the parser and stops at the first
//! error; the editor needs something else: a class for every byte of a
//! half-typed line (open quotes, unbalanced `$(`) and the word under the
//! cursor, on every keystroke. Real syntax errors still come from the
//! parser (see `highlight`). All the characters this looks at are ASCII,
//! so byte positions where classes change are always char boundaries.

/// What a byte of the line is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Blanks and ordinary argument text.
    Plain,
    /// A word in command position (the highlighter decides whether it exists).
    Command,
    /// A reserved word (`if`, `then`, `done`, `{` …).
    Keyword,
    /// `NAME=` of an assignment.
    Assignment,
    /// Text inside `'…'` or `"…"`, with the quotes.
    Quoted,
    /// `$name`, `${…}`, `$(…)`, `$((…))`, `` `…` ``.
    Expansion,
    /// `;`, `&`, `|`, `&&`, `||`, `(`, `)`, newline.
    Operator,
    /// A redirection operator (`>`, `2>&1`, `<<` …).
    Redirect,
    /// `# …` to the end of the line.
    Comment,
}

/// A word of the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset just past it.
    pub end: usize,
    /// It stands where a command name goes.
    pub command: bool,
    /// The line ends inside a quote that this word opened (`'` or `"`).
    pub open_quote: Option<char>,
}

/// The result of [`scan`].
#[derive(Debug, Clone)]
pub struct Scan {
    /// One class per byte of the line.
    pub classes: Vec<Class>,
    /// The words, in order.
    pub words: Vec<Word>,
    /// A word starting at the end of the line would be a command name.
    pub command_next: bool,
    /// A word starting at the end of the line would be a redirection target.
    pub target_next: bool,
}

/// Reserved words that can start a command (after them another command
/// may follow).
const OPENERS: &[&str] = &[
    "if", "then", "else", "elif", "do", "while", "until", "!", "{", "time",
];
/// Reserved words that end a compound command.
const CLOSERS: &[&str] = &["fi", "done", "esac", "}"];
/// Reserved words followed by a name, then `in`.
const NAMERS: &[&str] = &["for", "select", "case"];
/// Every reserved word the shell knows, for the completer too.
pub const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "select", "in", "function", "time", "{", "}", "!", "[[", "]]",
];

fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The length of `NAME=`, `NAME+=` or `NAME[…]=` at the start of `word`.
pub fn assignment_len(word: &[u8]) -> Option<usize> {
    if !word.first().copied().is_some_and(is_name_start) {
        return None;
    }
    let mut i = 1;
    while i < word.len() && is_name_char(word[i]) {
        i += 1;
    }
    if word.get(i) == Some(&b'[') {
        i += word[i..].iter().position(|&c| c == b']')? + 1;
    }
    if word.get(i) == Some(&b'+') {
        i += 1;
    }
    (word.get(i) == Some(&b'=')).then_some(i + 1)
}

struct Scanner<'a> {
    b: &'a [u8],
    classes: Vec<Class>,
    words: Vec<Word>,
    command_next: bool,
    target_next: bool,
    /// Words until `in` is a keyword: 2 right after `for`/`case`, 1 after its name.
    in_countdown: u8,
}

impl Scanner<'_> {
    fn paint(&mut self, from: usize, to: usize, class: Class) {
        let to = to.min(self.b.len());
        for c in &mut self.classes[from.min(to)..to] {
            *c = class;
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// The end of the expansion starting with `$` at `i` (`i + 1` when the
    /// `$` is literal).
    fn dollar(&self, i: usize) -> usize {
        match self.at(i + 1) {
            b'(' => self.closing(i + 2, b'(', b')'),
            b'{' => self.closing(i + 2, b'{', b'}'),
            c if is_name_start(c) => {
                let mut j = i + 2;
                while j < self.b.len() && is_name_char(self.b[j]) {
                    j += 1;
                }
                j
            }
            c if c.is_ascii_digit() || b"@*#?$!-".contains(&c) => i + 2,
            _ => i + 1,
        }
    }

    /// The position just past the bracket that closes an `open` before
    /// `from` (or the end of the line), skipping quotes.
    fn closing(&self, from: usize, open: u8, close: u8) -> usize {
        let mut depth = 1;
        let mut i = from;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 1,
                b'\'' => match self.b[i + 1..].iter().position(|&c| c == b'\'') {
                    Some(n) => i += n + 1,
                    None => return self.b.len(),
                },
                b'"' => i = self.dquote_end(i + 1).saturating_sub(1),
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.b.len()
    }

    /// Just past the `"` closing a double quote whose text starts at `from`
    /// (the end of the line when it is open).
    fn dquote_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 1,
                b'"' => return i + 1,
                b'$' => {
                    i = self.dollar(i);
                    continue;
                }
                b'`' => {
                    i = self.backquote_end(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        self.b.len()
    }

    fn backquote_end(&self, from: usize) -> usize {
        let mut i = from;
        while i < self.b.len() {
            match self.b[i] {
                b'\\' => i += 1,
                b'`' => return i + 1,
                _ => {}
            }
            i += 1;
        }
        self.b.len()
    }

    /// Scans the word at `i`, painting its quotes and expansions; returns
    /// its end and the quote left open at the end of the line.
    fn word(&mut self, start: usize) -> (usize, Option<char>) {
        let mut i = start;
        let mut open = None;
        while i < self.b.len() {
            let c = self.b[i];
            if is_meta(c) {
                break;
            }
            match c {
                b'\\' => i = (i + 2).min(self.b.len()),
                b'\'' => {
                    let end = match self.b[i + 1..].iter().position(|&c| c == b'\'') {
                        Some(n) => i + n + 2,
                        None => {
                            open = Some('\'');
                            self.b.len()
                        }
                    };
                    self.paint(i, end, Class::Quoted);
                    i = end;
                }
                b'"' => {
                    let end = self.dquote_end(i + 1);
                    if end == self.b.len() && (end == i + 1 || self.b[end - 1] != b'"') {
                        open = Some('"');
                    }
                    self.paint(i, end, Class::Quoted);
                    // Expansions inside keep their own colour.
                    let mut j = i + 1;
                    while j < end {
                        match self.b[j] {
                            b'\\' => j += 2,
                            b'$' => {
                                let e = self.dollar(j).min(end);
                                if e > j + 1 {
                                    self.paint(j, e, Class::Expansion);
                                }
                                j = e.max(j + 1);
                            }
                            b'`' => {
                                let e = self.backquote_end(j + 1).min(end);
                                self.paint(j, e, Class::Expansion);
                                j = e;
                            }
                            _ => j += 1,
                        }
                    }
                    i = end;
                }
                b'$' => {
                    let end = self.dollar(i);
                    if end > i + 1 {
                        self.paint(i, end, Class::Expansion);
                    }
                    i = end;
                }
                b'`' => {
                    let end = self.backquote_end(i + 1);
                    self.paint(i, end, Class::Expansion);
                    i = end;
                }
                _ => i += 1,
            }
        }
        (i, open)
    }

    /// A redirection operator at `i` (with its fd number), if there is one.
    fn redirect_len(&self, i: usize) -> Option<usize> {
        let mut j = i;
        while self.at(j).is_ascii_digit() {
            j += 1;
        }
        let ops: &[&[u8]] = match self.at(j) {
            b'<' => &[b"<<<", b"<<-", b"<<", b"<&", b"<>", b"<"],
            b'>' => &[b">>", b">&", b">|", b">"],
            b'&' if j == i => &[b"&>>", b"&>"],
            _ => return None,
        };
        let rest = &self.b[j..];
        let op = ops.iter().find(|op| rest.starts_with(op))?;
        // `<(…)` and `>(…)` are process substitutions, not redirections.
        if op.len() == 1 && self.at(j + 1) == b'(' {
            return None;
        }
        let mut end = j + op.len();
        // `2>&1`, `>&-`: the target comes glued to the operator.
        if op.ends_with(b"&") {
            while self.at(end).is_ascii_digit() || self.at(end) == b'-' {
                end += 1;
            }
            if end > j + op.len() {
                return Some(end - i);
            }
        }
        Some(end - i)
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.b.len() {
            let c = self.b[i];
            if c == b' ' || c == b'\t' {
                i += 1;
                continue;
            }
            if c == b'#' {
                let end = self.b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.b.len(), |n| i + n);
                self.paint(i, end, Class::Comment);
                i = end;
                continue;
            }
            if let Some(n) = self.redirect_len(i) {
                self.paint(i, i + n, Class::Redirect);
                let glued = self.b[i..i + n]
                    .last()
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'-')
                    && self.b[i..i + n].contains(&b'&');
                self.target_next = !glued;
                i += n;
                continue;
            }
            if is_meta(c) {
                let rest = &self.b[i..];
                let ops: [&[u8]; 10] = [
                    b";;&", b";;", b";&", b"&&", b"||", b"|&", b";", b"&", b"|", b"\n",
                ];
                let n = ops
                    .iter()
                    .find(|op| rest.starts_with(op))
                    .map_or(1, |op| op.len());
                self.paint(i, i + n, Class::Operator);
                self.command_next = c != b')';
                self.target_next = false;
                self.in_countdown = 0;
                i += n;
                continue;
            }
            let (end, open) = self.word(i);
            let text = &self.b[i..end];
            let mut command = false;
            if self.target_next {
                self.target_next = false;
            } else if self.in_countdown == 1 && text == b"in" {
                self.paint(i, end, Class::Keyword);
                self.in_countdown = 0;
            } else if self.command_next {
                if let Some(n) = assignment_len(text) {
                    self.paint(i, i + n, Class::Assignment);
                } else if OPENERS.iter().any(|k| k.as_bytes() == text) || text == b"[[" {
                    self.paint(i, end, Class::Keyword);
                    self.command_next = text != b"[[";
                } else if CLOSERS.iter().any(|k| k.as_bytes() == text) {
                    self.paint(i, end, Class::Keyword);
                    self.command_next = false;
                } else if NAMERS.iter().any(|k| k.as_bytes() == text) || text == b"function" {
                    self.paint(i, end, Class::Keyword);
                    self.command_next = false;
                    self.in_countdown = if text == b"function" { 0 } else { 3 };
                } else {
                    for c in &mut self.classes[i..end] {
                        if *c == Class::Plain {
                            *c = Class::Command;
                        }
                    }
                    command = true;
                    self.command_next = false;
                }
            } else if text == b"]]" {
                self.paint(i, end, Class::Keyword);
            }
            self.in_countdown = self.in_countdown.saturating_sub(1);
            // The name after `for`/`case` counts the countdown down to 1 so that
            // the word after it can be `in`.
            self.words.push(Word {
                start: i,
                end,
                command,
                open_quote: open,
            });
            i = end;
        }
    }
}

/// Classifies every byte of `line` and lists its words.
pub fn scan(line: &str) -> Scan {
    let mut s = Scanner {
        b: line.as_bytes(),
        classes: vec![Class::Plain; line.len()],
        words: Vec::new(),
        command_next: true,
        target_next: false,
        in_countdown: 0,
    };
    s.run();
    Scan {
        classes: s.classes,
        words: s.words,
        command_next: s.command_next,
        target_next: s.target_next,
    }
}

/// The text of a word with its quotes and backslashes removed (expansions
/// are left as written).
pub fn unquote(word: &str) -> String {
    let mut out = String::new();
    let mut chars = word.chars();
    let mut dquote = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' if !dquote => out.extend(chars.next()),
            '\\' => match chars.next() {
                Some(n @ ('$' | '`' | '"' | '\\')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            },
            '\'' if !dquote => {
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    out.push(q);
                }
            }
            '"' => dquote = !dquote,
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> String {
        scan(line)
            .classes
            .iter()
            .map(|c| match c {
                Class::Plain => '.',
                Class::Command => 'c',
                Class::Keyword => 'k',
                Class::Assignment => 'a',
                Class::Quoted => 'q',
                Class::Expansion => 'e',
                Class::Operator => 'o',
                Class::Redirect => 'r',
                Class::Comment => '#',
            })
            .collect()
    }

    #[test]
    fn commands_keywords_and_arguments() {
        assert_eq!(classes("if ls x; then y"), "kk.cc..o.kkkk.c");
    }

    #[test]
    fn quotes_expansions_and_redirections() {
        assert_eq!(classes(r#"echo "a$x" 2>&1 >f"#), r#"cccc.qqeeq.rrrr.r."#);
    }

    #[test]
    fn assignment_keeps_command_position() {
        assert_eq!(classes("A=1 ls"), "aa..cc");
    }

    #[test]
    fn for_in() {
        assert_eq!(classes("for i in 1"), "kkk...kk..");
    }

    #[test]
    fn open_quote_is_reported() {
        let s = scan("ls 'my fi");
        assert_eq!(s.words[1].open_quote, Some('\''));
    }

    #[test]
    fn comment_and_pipe() {
        assert_eq!(classes("a | b # c"), "c.o.c.###");
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#"my\ fi'le s'"x\"y""#), "my file sx\"y");
    }
}
