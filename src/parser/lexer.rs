//! Lexing: the character stream (line continuations, alias text pushed in
//! front of the source), tokens, and words with their quoting and
//! expansions (`'…'`, `"…"`, `$'…'`, `$x`, `${…}`, `$(…)`, `` `…` ``,
//! `$((…))`, `~user`, `<(…)`), plus here-document delimiters and bodies.
//!
//! Word reading needs the grammar (a `$(…)` holds a whole command list), so
//! the word functions are methods of the grammar's [`Core`], which owns the
//! [`Cursor`].

use std::rc::Rc;
use std::sync::Arc;

use super::ast::{
    AssignValue, Assignment, HereDoc, List, ParamExp, ParamOp, ReplaceMode, Word, WordPart,
};
use super::grammar::Core;
use super::memo::{Nested, assigns_next, is_depth_error};
use super::{ParseError, ParseErrorKind};

/// The message of a malformed `${…}`.
const BAD_SUBST: &str = "bad substitution";

/// Alias text being read in front of the source.
#[derive(Clone, Debug)]
struct AliasFrame {
    text: Rc<str>,
    pos: usize,
    /// Aliases that must not be expanded again in words read from this text
    /// (POSIX: an alias is not substituted inside its own expansion).
    guard: Rc<Vec<String>>,
}

/// The character stream: the source plus any alias texts pushed in front of
/// it. Positions (`pos`, `line`) always refer to the source; characters that
/// come from alias text do not move them.
#[derive(Clone, Debug)]
pub(crate) struct Cursor<'a> {
    src: &'a str,
    pub(crate) pos: usize,
    pub(crate) line: u32,
    /// Characters between the start of the line and `pos`, kept as the
    /// cursor moves: counting them when asked would cost the length of
    /// the line for every token, quadratic on a long line.
    col: usize,
    frames: Vec<AliasFrame>,
    /// A line continuation or a lone backslash ran into the end of input:
    /// an interactive reader needs another line.
    pub(crate) backslash_at_eof: bool,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(src: &'a str, pos: usize, line: u32) -> Self {
        let pos = pos.min(src.len());
        let before = src.get(..pos).unwrap_or_default();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Cursor {
            src,
            pos,
            line,
            col: before.get(line_start..).map_or(0, |s| s.chars().count()),
            frames: Vec::new(),
            backslash_at_eof: false,
        }
    }

    pub(crate) fn src(&self) -> &'a str {
        self.src
    }

    /// 1-based column (in characters) of the current source position.
    pub(crate) fn col(&self) -> u32 {
        u32::try_from(self.col + 1).unwrap_or(u32::MAX)
    }

    /// The line the last character read belongs to: a newline just read
    /// still ends the line before.
    pub(crate) fn line_of_last_read(&self) -> u32 {
        let after_newline = self.src.get(..self.pos).is_some_and(|s| s.ends_with('\n'));
        if after_newline && self.frames.is_empty() {
            self.line.saturating_sub(1)
        } else {
            self.line
        }
    }

    pub(crate) fn raw_peek(&mut self) -> Option<char> {
        if self.frames.is_empty() {
            // The common case, an ASCII character of the source, without
            // decoding.
            return match self.src.as_bytes().get(self.pos) {
                Some(&b) if b.is_ascii() => Some(char::from(b)),
                Some(_) => self.src.get(self.pos..).and_then(|s| s.chars().next()),
                None => None,
            };
        }
        while let Some(f) = self.frames.last() {
            if let Some(c) = f.text.get(f.pos..).and_then(|s| s.chars().next()) {
                return Some(c);
            }
            self.frames.pop();
        }
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    /// Moves past the run of bytes of the source (not of an alias's text)
    /// that `plain` accepts, all ASCII and none a newline; the run.
    pub(crate) fn take_plain_run(&mut self, plain: impl Fn(u8) -> bool) -> &'a str {
        if !self.frames.is_empty() {
            return "";
        }
        let src: &'a str = self.src;
        let rest = src.get(self.pos..).unwrap_or_default();
        let len = rest
            .bytes()
            .take_while(|&b| b != b'\n' && b.is_ascii() && plain(b))
            .count();
        self.pos += len;
        self.col += len;
        &rest[..len]
    }

    /// The character after the next one, from the same text.
    pub(crate) fn raw_peek2(&mut self) -> Option<char> {
        let first = self.raw_peek()?;
        let rest = match self.frames.last() {
            Some(f) => f.text.get(f.pos + first.len_utf8()..),
            None => self.src.get(self.pos + first.len_utf8()..),
        };
        rest.and_then(|s| s.chars().next())
    }

    pub(crate) fn raw_bump(&mut self) -> Option<char> {
        let c = self.raw_peek()?;
        if let Some(f) = self.frames.last_mut() {
            f.pos += c.len_utf8();
        } else {
            self.pos += c.len_utf8();
            if c == '\n' {
                self.line = self.line.saturating_add(1);
                self.col = 0;
            } else {
                self.col += 1;
            }
        }
        Some(c)
    }

    /// The next character, after removing any backslash-newline pairs.
    pub(crate) fn peek(&mut self) -> Option<char> {
        while self.raw_peek() == Some('\\') && self.raw_peek2() == Some('\n') {
            self.raw_bump();
            self.raw_bump();
            if self.raw_peek().is_none() {
                self.backslash_at_eof = true;
            }
        }
        self.raw_peek()
    }

    pub(crate) fn peek2(&mut self) -> Option<char> {
        self.peek();
        self.raw_peek2()
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        self.peek();
        self.raw_bump()
    }

    /// Consumes `c` if it is next.
    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.raw_bump();
            true
        } else {
            false
        }
    }

    pub(crate) fn push_alias(&mut self, text: &str, guard: Rc<Vec<String>>) {
        self.frames.push(AliasFrame {
            text: Rc::from(text),
            pos: 0,
            guard,
        });
    }

    /// Whether alias text remains to be read before the source goes on.
    pub(crate) fn in_alias_text(&mut self) -> bool {
        self.raw_peek(); // drops exhausted alias texts
        !self.frames.is_empty()
    }

    /// The alias guard for a token starting here, and how many alias texts
    /// are being read.
    pub(crate) fn guard(&mut self) -> (Rc<Vec<String>>, usize) {
        self.raw_peek(); // drops exhausted alias texts
        match self.frames.last() {
            Some(f) => (f.guard.clone(), self.frames.len()),
            None => (Rc::new(Vec::new()), 0),
        }
    }
}

/// Operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Semi,
    DSemi,
    SemiAnd,
    DSemiAnd,
    Amp,
    AndIf,
    Pipe,
    PipeAmp,
    OrIf,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    Clobber,
    LessGreat,
    LessAnd,
    GreatAnd,
    DLess,
    DLessDash,
    TLess,
    AndGreat,
    AndDGreat,
}

impl Op {
    pub(crate) fn text(self) -> &'static str {
        match self {
            Op::Semi => ";",
            Op::DSemi => ";;",
            Op::SemiAnd => ";&",
            Op::DSemiAnd => ";;&",
            Op::Amp => "&",
            Op::AndIf => "&&",
            Op::Pipe => "|",
            Op::PipeAmp => "|&",
            Op::OrIf => "||",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::Clobber => ">|",
            Op::LessGreat => "<>",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::TLess => "<<<",
            Op::AndGreat => "&>",
            Op::AndDGreat => "&>>",
        }
    }

    pub(crate) fn is_redirect(self) -> bool {
        matches!(
            self,
            Op::Less
                | Op::Great
                | Op::DGreat
                | Op::Clobber
                | Op::LessGreat
                | Op::LessAnd
                | Op::GreatAnd
                | Op::DLess
                | Op::DLessDash
                | Op::TLess
                | Op::AndGreat
                | Op::AndDGreat
        )
    }
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokKind {
    Word(Word),
    /// Only lexed in assignment position ([`LexMode::Assign`]).
    Assign(Assignment),
    /// Digits directly before `<` or `>`.
    IoNumber(u32),
    /// `{name}` directly before `<` or `>`.
    IoVar(String),
    Op(Op),
    Newline,
    Eof,
}

/// A token with its position.
#[derive(Debug, Clone)]
pub(crate) struct Tok {
    pub(crate) kind: TokKind,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) line: u32,
    pub(crate) col: u32,
    /// Aliases not to expand in this word.
    pub(crate) guard: Rc<Vec<String>>,
    /// How many alias texts were being read when the token started.
    pub(crate) alias_depth: usize,
}

impl Tok {
    /// The text of an unquoted, expansion-free word.
    pub(crate) fn plain(&self) -> Option<&str> {
        match &self.kind {
            TokKind::Word(w) => w.as_plain_literal(),
            _ => None,
        }
    }

    pub(crate) fn is_word(&self, s: &str) -> bool {
        self.plain() == Some(s)
    }

    pub(crate) fn is_op(&self, op: Op) -> bool {
        self.kind == TokKind::Op(op)
    }
}

/// How words are lexed at this point of the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexMode {
    /// Arguments and everything else.
    Normal,
    /// Before the command name: `name=value` is an assignment.
    Assign,
    /// Arguments of `declare`-like builtins: `name=(…)` is kept as text.
    Decl,
}

/// Where a run of word parts ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// An unquoted shell word: at a blank or an operator character.
    Word,
    /// Inside `"…"`: at the closing quote.
    DQuote,
    /// A here-document body: at the end of the text.
    HereDoc,
    /// A `${…}` word: at the closing `}`.
    Brace,
    /// A `${x/p/r}` pattern: at `/` or `}`.
    BraceSlash,
    /// A `${x:off:len}` offset: at `:` or `}`.
    BraceColon,
    /// A subscript: at the closing `]`.
    Bracket,
    /// Arithmetic: at an unbalanced `)`.
    Arith,
    /// `for ((…;…;…))`: at `;` or an unbalanced `)`.
    ArithSemi,
    /// Inside `@(…)`: at the unbalanced `)`.
    Extglob,
    /// The right side of `=~`: at a blank.
    Regex,
}

/// How backslashes behave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Esc {
    /// Unquoted: any character is escaped.
    Any,
    /// In double quotes: only `$ ` " \` (and `}` inside `${…}`).
    Dq,
    /// In a here-document: only `$ ` \`.
    HereDoc,
}

/// The lexical context of a run of word parts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx {
    pub(crate) stop: Stop,
    /// Plain text becomes `Quoted` rather than `Literal`.
    pub(crate) text_quoted: bool,
    /// `'…'` and `$'…'` quote.
    pub(crate) squote: bool,
    /// `"…"` quotes.
    pub(crate) dquote: bool,
    pub(crate) esc: Esc,
    /// `~user` is recognised at the start.
    pub(crate) tilde: bool,
    /// Assignment value: `~` is also recognised after each unquoted `:`.
    pub(crate) assign: bool,
    /// `@(…)` and friends are read as pattern text.
    pub(crate) extglob: bool,
    /// `<(…)` and `>(…)` are process substitutions.
    pub(crate) procsub: bool,
}

impl Ctx {
    pub(crate) const WORD: Ctx = Ctx {
        stop: Stop::Word,
        text_quoted: false,
        squote: true,
        dquote: true,
        esc: Esc::Any,
        tilde: true,
        assign: false,
        extglob: true,
        procsub: true,
    };
    pub(crate) const DQ: Ctx = Ctx {
        stop: Stop::DQuote,
        text_quoted: true,
        squote: false,
        dquote: false,
        esc: Esc::Dq,
        tilde: false,
        assign: false,
        extglob: false,
        procsub: false,
    };
    pub(crate) const HEREDOC: Ctx = Ctx {
        stop: Stop::HereDoc,
        esc: Esc::HereDoc,
        ..Ctx::DQ
    };
    /// Unquoted pattern or arithmetic text with a given end.
    pub(crate) const fn pattern(stop: Stop) -> Ctx {
        Ctx {
            stop,
            text_quoted: false,
            squote: true,
            dquote: true,
            esc: Esc::Any,
            tilde: false,
            assign: false,
            extglob: false,
            procsub: false,
        }
    }
    /// Arithmetic text with a given end: as a pattern, but a single quote
    /// is an ordinary character (bash: `$(( 'x' ))` is an error).
    pub(crate) const fn arith(stop: Stop) -> Ctx {
        let mut ctx = Ctx::pattern(stop);
        ctx.squote = false;
        ctx
    }
    /// The word of `${x:-word}` and friends; `in_dq` when the `${` is itself
    /// inside double quotes or a here-document.
    const fn param_word(stop: Stop, in_dq: bool) -> Ctx {
        Ctx {
            stop,
            text_quoted: in_dq,
            squote: !in_dq,
            dquote: true,
            esc: if in_dq { Esc::Dq } else { Esc::Any },
            tilde: !in_dq,
            assign: false,
            extglob: false,
            procsub: false,
        }
    }
}

fn push_text(parts: &mut Vec<WordPart>, quoted: bool, s: &str) {
    match (parts.last_mut(), quoted) {
        (Some(WordPart::Literal(t)), false) | (Some(WordPart::Quoted(t)), true) => t.push_str(s),
        _ => parts.push(if quoted {
            WordPart::Quoted(s.to_string())
        } else {
            WordPart::Literal(s.to_string())
        }),
    }
}

fn push_char(parts: &mut Vec<WordPart>, quoted: bool, c: char) {
    let mut b = [0u8; 4];
    push_text(parts, quoted, c.encode_utf8(&mut b));
}

pub(crate) fn is_name(s: &str) -> bool {
    let mut cs = s.chars();
    matches!(cs.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && cs.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

fn is_name_char(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric()
}

/// Decodes the body of `$'…'`. A NUL ends the string, as in bash.
fn decode_ansi_c(raw: &str) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut cs = raw.chars().peekable();
    // `out` holds bytes: escapes give bytes, source characters the bytes
    // they stand for (see `crate::bytes`).
    let push = |out: &mut Vec<u8>, c: char| match crate::bytes::raw_byte(c) {
        Some(b) => out.push(b),
        None => out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
    };
    while let Some(c) = cs.next() {
        if c != '\\' {
            push(&mut out, c);
            continue;
        }
        let Some(e) = cs.next() else {
            out.push(b'\\');
            break;
        };
        match e {
            'n' => out.push(b'\n'),
            't' => out.push(b'\t'),
            'r' => out.push(b'\r'),
            'a' => out.push(7),
            'b' => out.push(8),
            'e' | 'E' => out.push(27),
            'f' => out.push(12),
            'v' => out.push(11),
            '\\' | '\'' | '"' | '?' => push(&mut out, e),
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match cs.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            cs.next();
                        }
                        None => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            // `\x{HHH…}`: every hex digit (bash, after ksh93), the low
            // byte of the value; a `}` right after them is taken, and
            // what else follows is kept (bash 5.3: `\x{41X` is `AX`).
            'x' if cs.peek() == Some(&'{') => {
                cs.next();
                let mut v: u32 = 0;
                while let Some(d) = cs.peek().and_then(|c| c.to_digit(16)) {
                    v = v.wrapping_mul(16).wrapping_add(d);
                    cs.next();
                }
                if cs.peek() == Some(&'}') {
                    cs.next();
                }
                out.push((v & 0xff) as u8);
            }
            'x' | 'u' | 'U' => {
                let max = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut v: u32 = 0;
                let mut n = 0;
                while n < max {
                    match cs.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            v = v.wrapping_mul(16).wrapping_add(d);
                            cs.next();
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    out.push(b'\\');
                    push(&mut out, e);
                } else if e == 'x' {
                    out.push((v & 0xff) as u8);
                } else {
                    push(&mut out, char::from_u32(v).unwrap_or('\u{fffd}'));
                }
            }
            'c' => match cs.next() {
                Some(x) => {
                    // `\c\\` is control-backslash, both backslashes taken.
                    if x == '\\' && cs.peek() == Some(&'\\') {
                        cs.next();
                    }
                    let b = if x == '?' {
                        0x7f
                    } else {
                        (x.to_ascii_uppercase() as u32 & 0x1f) as u8
                    };
                    out.push(b);
                }
                None => out.extend_from_slice(b"\\c"),
            },
            other => {
                out.push(b'\\');
                push(&mut out, other);
            }
        }
    }
    if let Some(nul) = out.iter().position(|&b| b == 0) {
        out.truncate(nul);
    }
    crate::bytes::decode_vec(out)
}

/// A here-document whose body has not been read yet.
#[derive(Debug, Clone)]
pub(crate) struct PendingHereDoc {
    pub(crate) id: usize,
    pub(crate) delim: String,
    pub(crate) strip_tabs: bool,
    pub(crate) quoted: bool,
    /// The line of its `<<` operator.
    pub(crate) line: u32,
}

/// Marker text of a here-document placeholder, replaced once the body is read.
pub(crate) const HEREDOC_MARK: char = '\u{0}';

impl<'a> Core<'a> {
    pub(crate) fn err_here(&mut self, kind: ParseErrorKind, msg: &str) -> ParseError {
        ParseError {
            kind,
            line: self.cur.line,
            col: self.cur.col(),
            message: msg.to_string(),
        }
    }

    fn eof_looking_for(&mut self, what: &str) -> ParseError {
        self.err_here(
            ParseErrorKind::Incomplete,
            &format!("unexpected EOF while looking for matching `{what}'"),
        )
    }

    /// Lexes one token.
    pub(crate) fn lex_token(&mut self, mode: LexMode) -> Result<Tok, ParseError> {
        self.lex_token_at(mode).map(|(tok, _)| tok)
    }

    /// Lexes one token; for a word that is no assignment, also the cursor
    /// at its start (such a word reads the same in every mode).
    pub(crate) fn lex_token_at(
        &mut self,
        mode: LexMode,
    ) -> Result<(Tok, Option<Cursor<'a>>), ParseError> {
        loop {
            match self.cur.peek() {
                Some(' ' | '\t' | '\r') => {
                    self.cur.bump();
                }
                Some('#') => {
                    while let Some(c) = self.cur.raw_peek() {
                        if c == '\n' {
                            break;
                        }
                        self.cur.raw_bump();
                    }
                }
                _ => break,
            }
        }
        let (guard, alias_depth) = self.cur.guard();
        let start = self.cur.pos;
        let line = self.cur.line;
        let col = self.cur.col();
        let mut word_at = None;
        let kind = match self.cur.peek() {
            None => TokKind::Eof,
            Some('\n') => {
                self.cur.bump();
                self.read_pending_heredocs()?;
                TokKind::Newline
            }
            Some(';') => {
                self.cur.bump();
                if self.cur.eat(';') {
                    if self.cur.eat('&') {
                        TokKind::Op(Op::DSemiAnd)
                    } else {
                        TokKind::Op(Op::DSemi)
                    }
                } else if self.cur.eat('&') {
                    TokKind::Op(Op::SemiAnd)
                } else {
                    TokKind::Op(Op::Semi)
                }
            }
            Some('&') => {
                self.cur.bump();
                if self.cur.eat('&') {
                    TokKind::Op(Op::AndIf)
                } else if self.cur.eat('>') {
                    if self.cur.eat('>') {
                        TokKind::Op(Op::AndDGreat)
                    } else {
                        TokKind::Op(Op::AndGreat)
                    }
                } else {
                    TokKind::Op(Op::Amp)
                }
            }
            Some('|') => {
                self.cur.bump();
                if self.cur.eat('|') {
                    TokKind::Op(Op::OrIf)
                } else if self.cur.eat('&') {
                    TokKind::Op(Op::PipeAmp)
                } else {
                    TokKind::Op(Op::Pipe)
                }
            }
            Some('(') => {
                self.cur.bump();
                TokKind::Op(Op::LParen)
            }
            Some(')') => {
                self.cur.bump();
                TokKind::Op(Op::RParen)
            }
            Some('<' | '>') if self.cur.peek2() == Some('(') => {
                self.lex_word(mode, &mut word_at)?
            }
            Some('<') => {
                self.cur.bump();
                if self.cur.eat('<') {
                    if self.cur.eat('<') {
                        TokKind::Op(Op::TLess)
                    } else if self.cur.eat('-') {
                        TokKind::Op(Op::DLessDash)
                    } else {
                        TokKind::Op(Op::DLess)
                    }
                } else if self.cur.eat('&') {
                    TokKind::Op(Op::LessAnd)
                } else if self.cur.eat('>') {
                    TokKind::Op(Op::LessGreat)
                } else {
                    TokKind::Op(Op::Less)
                }
            }
            Some('>') => {
                self.cur.bump();
                if self.cur.eat('>') {
                    TokKind::Op(Op::DGreat)
                } else if self.cur.eat('&') {
                    TokKind::Op(Op::GreatAnd)
                } else if self.cur.eat('|') {
                    TokKind::Op(Op::Clobber)
                } else {
                    TokKind::Op(Op::Great)
                }
            }
            Some(_) => self.lex_word(mode, &mut word_at)?,
        };
        let end = if matches!(kind, TokKind::Newline) {
            start
        } else {
            self.cur.pos
        };
        let tok = Tok {
            kind,
            start,
            end,
            line,
            col,
            guard,
            alias_depth,
        };
        Ok((tok, word_at))
    }

    /// A word, an assignment (not in [`LexMode::Normal`]), an IO number or
    /// an IO variable. `word_at` gets the cursor at the start of anything
    /// but an assignment.
    fn lex_word(
        &mut self,
        mode: LexMode,
        word_at: &mut Option<Cursor<'a>>,
    ) -> Result<TokKind, ParseError> {
        let at = self.cur.clone();
        if mode != LexMode::Normal
            && let Some(k) = self.try_assignment(mode)?
        {
            return Ok(k);
        }
        *word_at = Some(at);
        let mut parts = Vec::new();
        if self.funsub_depth > 0 && self.cur.peek() == Some('}') {
            self.cur.bump();
            return Ok(TokKind::Word(Word::literal("}")));
        }
        self.read_parts(Ctx::WORD, &mut parts)?;
        if parts.is_empty() {
            // Cannot happen for the characters that reach here; consume one
            // anyway so that no input can make the lexer loop.
            if let Some(c) = self.cur.bump() {
                push_char(&mut parts, false, c);
            }
        }
        if let [WordPart::Literal(s)] = parts.as_slice()
            && matches!(self.cur.peek(), Some('<' | '>'))
        {
            if s.bytes().all(|b| b.is_ascii_digit())
                && let Ok(n) = s.parse::<u32>()
            {
                return Ok(TokKind::IoNumber(n));
            }
            if let Some(name) = s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
                && is_name(name)
            {
                return Ok(TokKind::IoVar(name.to_string()));
            }
        }
        Ok(TokKind::Word(Word { parts }))
    }

    /// `name=…`, `name+=…`, `name[i]=…`, `name=(…)` at an assignment position.
    pub(crate) fn try_assignment(&mut self, mode: LexMode) -> Result<Option<TokKind>, ParseError> {
        let snap = self.snapshot();
        let mut name = String::new();
        while let Some(c) = self.cur.peek() {
            if is_name_char(c) && !(name.is_empty() && c.is_ascii_digit()) {
                name.push(c);
                self.cur.bump();
            } else {
                break;
            }
        }
        if name.is_empty() {
            self.rewind(snap);
            return Ok(None);
        }
        let mut index = None;
        if mode == LexMode::Assign && self.cur.peek() == Some('[') {
            index = self.read_assignment_subscript()?;
            if index.is_none() {
                self.rewind(snap);
                return Ok(None);
            }
        }
        let append = self.cur.peek() == Some('+') && self.cur.peek2() == Some('=');
        if append {
            self.cur.bump();
        }
        if !self.cur.eat('=') {
            self.rewind(snap);
            return Ok(None);
        }
        if mode == LexMode::Decl {
            if self.cur.peek() != Some('(') {
                self.rewind(snap);
                return Ok(None);
            }
            // `declare a=(x y)`: the builtin parses the compound value itself
            // (bash accepts `declare 'a=(x y)'` the same way), so keep the
            // parenthesised text verbatim.
            let raw = self.read_balanced_raw()?;
            let op = if append { "+=" } else { "=" };
            return Ok(Some(TokKind::Word(Word {
                parts: vec![
                    WordPart::Literal(format!("{name}{op}")),
                    WordPart::Quoted(raw),
                ],
            })));
        }
        let value = if self.cur.peek() == Some('(') {
            self.cur.bump();
            let mut words = Vec::new();
            loop {
                if let Some(w) = self.keyed_element()? {
                    words.push(w);
                    continue;
                }
                let tok = self.lex_token(LexMode::Normal)?;
                match tok.kind {
                    TokKind::Newline => {}
                    TokKind::Op(Op::RParen) => break,
                    TokKind::Word(w) => words.push(w),
                    TokKind::IoNumber(n) => words.push(Word::literal(&n.to_string())),
                    TokKind::IoVar(v) => words.push(Word::literal(&format!("{{{v}}}"))),
                    _ => {
                        let e = self.unexpected(&tok);
                        return Err(match e.kind {
                            ParseErrorKind::Syntax => ParseError {
                                kind: ParseErrorKind::InAssignment,
                                ..e
                            },
                            _ => e,
                        });
                    }
                }
            }
            AssignValue::Array(words)
        } else {
            let mut parts = Vec::new();
            let ctx = Ctx {
                assign: true,
                ..Ctx::WORD
            };
            self.read_parts(ctx, &mut parts)?;
            AssignValue::Scalar(Word { parts })
        };
        Ok(Some(TokKind::Assign(Assignment {
            name,
            index,
            append,
            value,
        })))
    }

    /// `[key]=value` (or `[key]+=value`) inside `name=( … )`, where the key
    /// may hold blanks (`[foo bar]=x`, bash); `None`, having read nothing,
    /// for any other element.
    fn keyed_element(&mut self) -> Result<Option<Word>, ParseError> {
        while matches!(self.cur.peek(), Some(' ' | '\t')) {
            self.cur.bump();
        }
        if self.cur.peek() != Some('[') {
            return Ok(None);
        }
        let snap = self.cur.clone();
        self.cur.bump();
        let mut parts = vec![WordPart::Literal("[".to_string())];
        let key = Ctx {
            stop: Stop::Bracket,
            tilde: false,
            procsub: false,
            ..Ctx::WORD
        };
        let closed = self.read_parts(key, &mut parts).is_ok() && self.cur.eat(']');
        let assigns = closed
            && (self.cur.peek() == Some('=')
                || (self.cur.peek() == Some('+') && self.cur.peek2() == Some('=')));
        if !assigns {
            self.cur = snap;
            return Ok(None);
        }
        push_char(&mut parts, false, ']');
        self.read_parts(Ctx::WORD, &mut parts)?;
        Ok(Some(Word { parts }))
    }

    /// With `[` next after a name at an assignment position: the subscript
    /// when `]` closes it and `=` or `+=` follows, `None` when the word is
    /// no assignment. A `[` that an earlier scan passed is known to be no
    /// subscript without reading it again (see [`super::memo`]).
    fn read_assignment_subscript(&mut self) -> Result<Option<Word>, ParseError> {
        let (at, known) = self.known_subscript();
        if known == Some(false) {
            return Ok(None);
        }
        self.cur.bump();
        let mut parts = Vec::new();
        self.begin_bracket_scan();
        let read = self.read_parts(Ctx::pattern(Stop::Bracket), &mut parts);
        let hit_limit = matches!(&read, Err(e) if is_depth_error(e));
        self.end_bracket_scan(read.is_err(), hit_limit);
        if let Err(e) = read {
            // The limit is no property of the text: the caller parses
            // again with a higher one.
            if hit_limit {
                return Err(e);
            }
            self.subscripts.extend(at.map(|at| (at, false)));
            return Ok(None);
        }
        self.cur.eat(']');
        let assigns = assigns_next(&self.cur);
        self.subscripts.extend(at.map(|at| (at, assigns)));
        Ok(assigns.then_some(Word { parts }))
    }

    /// `(…)` verbatim, balancing parentheses outside quotes.
    fn read_balanced_raw(&mut self) -> Result<String, ParseError> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            let Some(c) = self.cur.raw_bump() else {
                return Err(self.eof_looking_for(")"));
            };
            out.push(c);
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return Ok(out);
                    }
                }
                '\\' => {
                    if let Some(n) = self.cur.raw_bump() {
                        out.push(n);
                    }
                }
                '\'' | '"' => loop {
                    let Some(n) = self.cur.raw_bump() else {
                        return Err(self.eof_looking_for(&c.to_string()));
                    };
                    out.push(n);
                    if n == c {
                        break;
                    }
                    if n == '\\'
                        && c == '"'
                        && let Some(m) = self.cur.raw_bump()
                    {
                        out.push(m);
                    }
                },
                _ => {}
            }
        }
    }

    fn is_stop(stop: Stop, c: char, depth: usize) -> bool {
        match stop {
            Stop::Word => matches!(
                c,
                ' ' | '\t' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
            ),
            Stop::DQuote => c == '"',
            Stop::HereDoc => false,
            Stop::Brace => c == '}' && depth == 0,
            Stop::BraceSlash => (c == '}' || c == '/') && depth == 0,
            Stop::BraceColon => (c == '}' || c == ':') && depth == 0,
            Stop::Bracket => c == ']' && depth == 0,
            Stop::Arith | Stop::Extglob => c == ')' && depth == 0,
            Stop::ArithSemi => (c == ')' || c == ';') && depth == 0,
            // Inside parentheses blanks and operators are regex text (bash).
            Stop::Regex => {
                depth == 0 && matches!(c, ' ' | '\t' | '\n' | ';' | '&' | ')' | '<' | '>')
            }
        }
    }

    /// Reads word parts in `ctx` up to (not including) its end.
    pub(crate) fn read_parts(
        &mut self,
        ctx: Ctx,
        parts: &mut Vec<WordPart>,
    ) -> Result<(), ParseError> {
        self.enter()?;
        let r = self.read_parts_inner(ctx, parts);
        self.leave();
        r
    }

    fn read_parts_inner(&mut self, ctx: Ctx, parts: &mut Vec<WordPart>) -> Result<(), ParseError> {
        let mut depth = 0usize;
        // `?`s of an offset's `?:` whose `:` has not come (`${s:1 ? 4 : 2}`).
        let mut open_ternaries = 0usize;
        let mut tilde_ok = ctx.tilde && parts.is_empty();
        loop {
            let Some(c) = self.cur.peek() else {
                return match ctx.stop {
                    Stop::Word | Stop::HereDoc | Stop::Regex => Ok(()),
                    Stop::DQuote => Err(self.eof_looking_for("\"")),
                    Stop::Arith | Stop::ArithSemi | Stop::Extglob => Err(self.eof_looking_for(")")),
                    Stop::Bracket => Err(self.eof_looking_for("]")),
                    Stop::Brace | Stop::BraceSlash | Stop::BraceColon => {
                        Err(self.eof_looking_for("}"))
                    }
                };
            };
            if ctx.procsub && (c == '<' || c == '>') && self.cur.peek2() == Some('(') {
                self.cur.bump();
                self.cur.bump();
                let list = self.read_subst_list()?;
                parts.push(WordPart::ProcessSub(list, c == '<'));
                tilde_ok = false;
                continue;
            }
            if ctx.stop == Stop::BraceColon && depth == 0 {
                match c {
                    '?' => open_ternaries += 1,
                    ':' if open_ternaries > 0 => {
                        open_ternaries -= 1;
                        self.cur.bump();
                        push_char(parts, ctx.text_quoted, ':');
                        continue;
                    }
                    _ => {}
                }
            }
            if Self::is_stop(ctx.stop, c, depth) {
                return Ok(());
            }
            let was_tilde_ok = tilde_ok;
            tilde_ok = false;
            match c {
                '\\' => self.read_escape(ctx, parts),
                '\'' if ctx.squote => {
                    self.cur.bump();
                    let mut s = String::new();
                    loop {
                        match self.cur.raw_bump() {
                            None => return Err(self.eof_looking_for("'")),
                            Some('\'') => break,
                            Some(ch) => s.push(ch),
                        }
                    }
                    push_text(parts, true, &s);
                    // `''` must leave a trace so that the word is not empty.
                    if s.is_empty() && !matches!(parts.last(), Some(WordPart::Quoted(_))) {
                        parts.push(WordPart::Quoted(String::new()));
                    }
                }
                '"' if ctx.dquote => {
                    self.cur.bump();
                    // In the word of a double-quoted `${…}`, a backslash
                    // inside inner quotes escapes any character (bash:
                    // `"${x:+"\p"}"` is `p`).
                    let esc = if ctx.text_quoted && ctx.stop == Stop::Brace {
                        Esc::Any
                    } else {
                        Esc::Dq
                    };
                    let inner = self.read_dquoted_with(esc)?;
                    parts.push(WordPart::DoubleQuoted(inner));
                }
                '$' => self.read_dollar(ctx, parts)?,
                '`' => {
                    let p = self.read_backquote(ctx.stop == Stop::DQuote || ctx.text_quoted)?;
                    parts.push(p);
                }
                '~' if was_tilde_ok => {
                    if !self.try_tilde(ctx, parts) {
                        self.cur.bump();
                        push_char(parts, ctx.text_quoted, '~');
                    }
                }
                '@' | '!' | '+' | '*' | '?'
                    if ctx.extglob
                        && (self.extglob || self.cond_pattern)
                        && self.cur.peek2() == Some('(') =>
                {
                    self.cur.bump();
                    self.cur.bump();
                    push_char(parts, false, c);
                    push_char(parts, false, '(');
                    let inner = Ctx {
                        extglob: true,
                        ..Ctx::pattern(Stop::Extglob)
                    };
                    self.read_parts(inner, parts)?;
                    if !self.cur.eat(')') {
                        return Err(self.eof_looking_for(")"));
                    }
                    push_char(parts, false, ')');
                }
                _ => {
                    if ctx.stop == Stop::Bracket && c == '[' {
                        self.note_bracket_open(depth);
                    }
                    self.cur.bump();
                    // A plain `{` inside `${…}` does not nest (bash, dash):
                    // `${x%%[<{(]*}` ends at its first `}`.
                    match (ctx.stop, c) {
                        (Stop::Bracket, '[')
                        | (Stop::Arith | Stop::ArithSemi | Stop::Extglob | Stop::Regex, '(') => {
                            depth += 1
                        }
                        (Stop::Bracket, ']')
                        | (Stop::Arith | Stop::ArithSemi | Stop::Extglob | Stop::Regex, ')') => {
                            depth = depth.saturating_sub(1)
                        }
                        _ => {}
                    }
                    if ctx.stop == Stop::Bracket && c == ']' {
                        self.note_bracket_close(depth);
                    }
                    push_char(parts, ctx.text_quoted, c);
                    if c == ':' && ctx.assign {
                        tilde_ok = true;
                    }
                    if ctx.stop == Stop::Word {
                        // The characters after it that nothing in a word
                        // treats specially, taken at once.
                        let run = self.cur.take_plain_run(|b| {
                            b.is_ascii_alphanumeric()
                                || matches!(b, b'_' | b'-' | b'.' | b'/' | b',' | b'%' | b'=')
                        });
                        if !run.is_empty() {
                            push_text(parts, ctx.text_quoted, run);
                            // A tilde prefix starts only right after `:`.
                            tilde_ok = false;
                        }
                    }
                }
            }
        }
    }

    fn read_escape(&mut self, ctx: Ctx, parts: &mut Vec<WordPart>) {
        self.cur.bump(); // the backslash
        let Some(n) = self.cur.raw_peek() else {
            self.cur.backslash_at_eof = true;
            push_char(parts, ctx.text_quoted, '\\');
            return;
        };
        let escapable = match ctx.esc {
            Esc::Any => true,
            Esc::Dq => {
                matches!(n, '$' | '`' | '"' | '\\')
                    || (n == '}'
                        && matches!(ctx.stop, Stop::Brace | Stop::BraceSlash | Stop::BraceColon))
            }
            Esc::HereDoc => matches!(n, '$' | '`' | '\\'),
        };
        if escapable {
            self.cur.raw_bump();
            push_char(parts, true, n);
        } else {
            push_char(parts, ctx.text_quoted, '\\');
        }
    }

    fn read_dquoted(&mut self) -> Result<Vec<WordPart>, ParseError> {
        self.read_dquoted_with(Esc::Dq)
    }

    /// `"…"` after its opening quote, with backslashes behaving as `esc`.
    fn read_dquoted_with(&mut self, esc: Esc) -> Result<Vec<WordPart>, ParseError> {
        let mut inner = Vec::new();
        self.read_parts(Ctx { esc, ..Ctx::DQ }, &mut inner)?;
        if !self.cur.eat('"') {
            return Err(self.eof_looking_for("\""));
        }
        Ok(inner)
    }

    /// `~` or `~user` ending at `/`, the end of the word, or (in an
    /// assignment) `:`; any quoting or expansion makes it plain text.
    fn try_tilde(&mut self, ctx: Ctx, parts: &mut Vec<WordPart>) -> bool {
        let snap = self.cur.clone();
        self.cur.bump();
        let mut user = String::new();
        loop {
            match self.cur.peek() {
                None => break,
                Some('/') => break,
                Some(':') if ctx.assign => break,
                Some(c) if Self::is_stop(ctx.stop, c, 0) => break,
                Some(c) if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+') => {
                    user.push(c);
                    self.cur.bump();
                }
                Some(_) => {
                    self.cur = snap;
                    return false;
                }
            }
        }
        parts.push(WordPart::Tilde(user));
        true
    }

    fn read_dollar(&mut self, ctx: Ctx, parts: &mut Vec<WordPart>) -> Result<(), ParseError> {
        self.cur.bump(); // `$`
        let in_dq = ctx.text_quoted || ctx.stop == Stop::DQuote;
        // `"${x:-$'\t'}"`: `$'…'` decodes in the word of a double-quoted
        // `${…}` (bash's `extquote`, on by default; not switched off here).
        let ansi_c =
            ctx.squote || (ctx.text_quoted && ctx.stop == Stop::Brace && !self.heredoc_body);
        match self.cur.peek() {
            Some('\'') if ansi_c => {
                self.cur.bump();
                let mut raw = String::new();
                loop {
                    match self.cur.raw_bump() {
                        None => return Err(self.eof_looking_for("'")),
                        Some('\'') => break,
                        Some('\\') => {
                            raw.push('\\');
                            if let Some(n) = self.cur.raw_bump() {
                                raw.push(n);
                            }
                        }
                        Some(ch) => raw.push(ch),
                    }
                }
                let s = decode_ansi_c(&raw);
                push_text(parts, true, &s);
                if s.is_empty() && !matches!(parts.last(), Some(WordPart::Quoted(_))) {
                    parts.push(WordPart::Quoted(String::new()));
                }
            }
            Some('"') if ctx.dquote => {
                self.cur.bump();
                let inner = self.read_dquoted()?;
                parts.push(WordPart::DoubleQuoted(inner));
            }
            Some('(') => {
                self.cur.bump();
                if self.cur.peek() == Some('(') {
                    let snap = self.snapshot();
                    self.cur.bump();
                    if let Some(w) = self.read_arith_body()? {
                        parts.push(WordPart::Arith(w));
                        return Ok(());
                    }
                    self.rewind(snap);
                }
                let list = self.read_subst_list()?;
                parts.push(WordPart::CommandSub(list));
            }
            // `$[expr]`: bash's old form of `$((expr))`.
            Some('[') => {
                self.cur.bump();
                let mut inner = Vec::new();
                self.read_parts(Ctx::pattern(Stop::Bracket), &mut inner)?;
                if !self.cur.eat(']') {
                    return Err(self.eof_looking_for("]"));
                }
                parts.push(WordPart::Arith(Word { parts: inner }));
            }
            Some('{') => {
                self.cur.bump();
                if matches!(self.cur.peek(), Some(' ' | '\t' | '\n' | '|')) {
                    let reply = self.cur.eat('|');
                    let list = self.read_funsub_list()?;
                    parts.push(WordPart::FunSub(list, reply));
                    return Ok(());
                }
                if self.cur.peek() == Some('(') {
                    parts.push(WordPart::Param(Box::new(self.read_invalid_param()?)));
                    return Ok(());
                }
                // bash reports a malformed `${…}` when it is expanded, not
                // when the script is read: keep its text for the error.
                let snap = self.snapshot();
                let p = match self.read_param_braced(in_dq) {
                    Ok(p) => p,
                    Err(e) if e.kind == ParseErrorKind::Syntax && e.message == BAD_SUBST => {
                        self.rewind(snap);
                        self.read_invalid_param()?
                    }
                    Err(e) if e.message.ends_with("`]'") => {
                        self.rewind(snap);
                        self.read_invalid_param().map_err(|_| e)?
                    }
                    Err(e) => return Err(e),
                };
                parts.push(WordPart::Param(Box::new(p)));
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self.cur.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.cur.bump();
                }
                parts.push(plain_param(name));
            }
            Some(c) if c.is_ascii_digit() || "@*#?-$!".contains(c) => {
                self.cur.bump();
                parts.push(plain_param(c.to_string()));
            }
            _ => push_char(parts, ctx.text_quoted, '$'),
        }
        Ok(())
    }

    /// After `((` or `$((`: the text up to the matching `))`. `None` when an
    /// unbalanced single `)` shows it was a subshell after all, which is
    /// noted, so that reading the subshell (whose commands may hold such a
    /// text again) does not try it a second time.
    pub(crate) fn read_arith_body(&mut self) -> Result<Option<Word>, ParseError> {
        let at = self.source_offset();
        if at.is_some_and(|at| self.known_no_arith(at)) {
            return Ok(None);
        }
        let (r, reach) = self.reaching(Self::read_arith_body_once);
        if let (Ok(None), Some(at)) = (&r, at) {
            self.note_no_arith(at, reach);
        }
        r
    }

    fn read_arith_body_once(&mut self) -> Result<Option<Word>, ParseError> {
        let mut parts = Vec::new();
        self.read_parts(Ctx::arith(Stop::Arith), &mut parts)?;
        if !self.cur.eat(')') {
            return Err(self.eof_looking_for(")"));
        }
        if self.cur.eat(')') {
            Ok(Some(Word { parts }))
        } else {
            Ok(None)
        }
    }

    fn read_param_name(&mut self) -> Option<String> {
        match self.cur.peek()? {
            c if c == '_' || c.is_ascii_alphabetic() => {
                let mut name = String::new();
                while let Some(c) = self.cur.peek() {
                    if !is_name_char(c) {
                        break;
                    }
                    name.push(c);
                    self.cur.bump();
                }
                Some(name)
            }
            c if c.is_ascii_digit() => {
                let mut name = String::new();
                while let Some(c) = self.cur.peek() {
                    if !c.is_ascii_digit() {
                        break;
                    }
                    name.push(c);
                    self.cur.bump();
                }
                Some(name)
            }
            c if "@*#?-$!".contains(c) => {
                self.cur.bump();
                Some(c.to_string())
            }
            _ => None,
        }
    }

    fn read_subscript(&mut self, name: &str) -> Result<Option<Word>, ParseError> {
        if !is_name(name) || self.cur.peek() != Some('[') {
            return Ok(None);
        }
        self.cur.bump();
        let mut parts = Vec::new();
        self.read_parts(Ctx::pattern(Stop::Bracket), &mut parts)?;
        if !self.cur.eat(']') {
            return Err(self.eof_looking_for("]"));
        }
        Ok(Some(Word { parts }))
    }

    /// `${(…)…}`: no parameter expansion starts with `(` (zsh's flags
    /// do); its text up to the matching `}` is kept for an error when it
    /// is expanded, so that a script that never reaches it runs.
    fn read_invalid_param(&mut self) -> Result<ParamExp, ParseError> {
        let mut text = String::new();
        let mut depth = 0usize;
        loop {
            match self.cur.bump() {
                None => return Err(self.eof_looking_for("}")),
                Some('}') if depth == 0 => break,
                Some(c) => {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    text.push(c);
                }
            }
        }
        Ok(ParamExp {
            name: String::new(),
            index: None,
            indirect: false,
            op: ParamOp::Invalid { text },
        })
    }

    fn bad_subst(&mut self) -> ParseError {
        self.err_here(ParseErrorKind::Syntax, BAD_SUBST)
    }

    fn read_param_word(&mut self, stop: Stop, in_dq: bool) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        self.read_parts(Ctx::param_word(stop, in_dq), &mut parts)?;
        Ok(Word { parts })
    }

    fn read_pattern_word(&mut self, stop: Stop) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        self.read_parts(Ctx::pattern(stop), &mut parts)?;
        Ok(Word { parts })
    }

    /// The pattern of `${x#p}`, `${x%p}` and `${x/p/r}`, which starts with
    /// a tilde expansion (POSIX 2.6.2, bash; also inside double quotes).
    fn read_strip_pattern_word(&mut self, stop: Stop) -> Result<Word, ParseError> {
        let mut parts = Vec::new();
        let ctx = Ctx {
            tilde: true,
            ..Ctx::pattern(stop)
        };
        self.read_parts(ctx, &mut parts)?;
        Ok(Word { parts })
    }

    /// After `${`.
    fn read_param_braced(&mut self, in_dq: bool) -> Result<ParamExp, ParseError> {
        self.enter()?;
        let r = self.read_param_braced_inner(in_dq);
        self.leave();
        let p = r?;
        if !self.cur.eat('}') {
            if self.cur.peek().is_none() {
                return Err(self.eof_looking_for("}"));
            }
            return Err(self.bad_subst());
        }
        Ok(p)
    }

    fn read_param_braced_inner(&mut self, in_dq: bool) -> Result<ParamExp, ParseError> {
        // `${#x}`: length, unless `#` itself is the parameter (`${#}`, `${#:-w}`).
        // `${#%}`, `${#:}`, `${#=}`, `${#+}`, `${#/}`: `$#` with an
        // operator and nothing after it (bash: bad substitution).
        if self.cur.peek() == Some('#')
            && matches!(self.cur.peek2(), Some('%' | ':' | '=' | '+' | '/'))
        {
            let mut ahead = self.cur.clone();
            ahead.bump();
            ahead.bump();
            if ahead.peek() == Some('}') {
                return Err(self.bad_subst());
            }
        }
        if self.cur.peek() == Some('#') && self.cur.peek2() != Some('}') {
            let snap = self.snapshot();
            self.cur.bump();
            if let Some(name) = self.read_param_name() {
                let index = self.read_subscript(&name)?;
                if self.cur.peek() == Some('}') {
                    return Ok(ParamExp {
                        name,
                        index,
                        indirect: false,
                        op: ParamOp::Length,
                    });
                }
            }
            self.rewind(snap);
        }
        let mut indirect = false;
        // `${!-word}`, `${!:-word}`…: `$!` with an operator, not `${!x}`.
        // `${!?}` too (bash 5.3): `$!` or an error, not `$?` indirect.
        let bang_with_op = self.cur.peek() == Some('!')
            && matches!(self.cur.peek2(), Some('-' | '=' | '?' | '+' | ':'))
            && {
                let mut ahead = self.cur.clone();
                ahead.bump();
                let op = ahead.bump();
                op == Some('?') || ahead.peek().is_some_and(|c| c != '}')
            };
        if self.cur.peek() == Some('!') && self.cur.peek2() != Some('}') && !bang_with_op {
            let snap = self.cur.clone();
            self.cur.bump();
            match self.read_param_name() {
                Some(name) => {
                    indirect = true;
                    if is_name(&name)
                        && matches!(self.cur.peek(), Some('*' | '@'))
                        && self.cur.peek2() == Some('}')
                    {
                        let at = self.cur.bump() == Some('@');
                        return Ok(ParamExp {
                            name,
                            index: None,
                            indirect: false,
                            op: ParamOp::NamesWithPrefix { at },
                        });
                    }
                    let index = self.read_subscript(&name)?;
                    if self.cur.peek() == Some('}')
                        && let Some(ix) = &index
                        && let Some(s @ ("@" | "*")) = ix.as_plain_literal()
                    {
                        return Ok(ParamExp {
                            name,
                            index: None,
                            indirect: false,
                            op: ParamOp::ArrayKeys { at: s == "@" },
                        });
                    }
                    return self.read_param_op(name, index, indirect, in_dq);
                }
                None => self.cur = snap,
            }
        }
        let Some(name) = self.read_param_name() else {
            return Err(if self.cur.peek().is_none() {
                self.eof_looking_for("}")
            } else {
                self.bad_subst()
            });
        };
        let index = self.read_subscript(&name)?;
        self.read_param_op(name, index, indirect, in_dq)
    }

    fn read_param_op(
        &mut self,
        name: String,
        index: Option<Word>,
        indirect: bool,
        in_dq: bool,
    ) -> Result<ParamExp, ParseError> {
        let Some(c) = self.cur.peek() else {
            return Err(self.eof_looking_for("}"));
        };
        let op = match c {
            '}' => ParamOp::Plain,
            ':' => {
                self.cur.bump();
                match self.cur.peek() {
                    Some(o @ ('-' | '=' | '?' | '+')) => {
                        self.cur.bump();
                        let word = self.read_param_word(Stop::Brace, in_dq)?;
                        word_op(o, true, word)
                    }
                    Some('}') => {
                        // `${x:}`: no offset is a bad substitution (bash),
                        // reported when it is expanded.
                        return Ok(no_offset(name, index, indirect));
                    }
                    _ => {
                        let offset = self.read_pattern_word(Stop::BraceColon)?;
                        let length = if self.cur.eat(':') {
                            Some(self.read_pattern_word(Stop::Brace)?)
                        } else {
                            None
                        };
                        ParamOp::Substring { offset, length }
                    }
                }
            }
            '-' | '=' | '?' | '+' => {
                self.cur.bump();
                let word = self.read_param_word(Stop::Brace, in_dq)?;
                word_op(c, false, word)
            }
            '#' | '%' => {
                self.cur.bump();
                let longest = self.cur.eat(c);
                let pattern = self.read_strip_pattern_word(Stop::Brace)?;
                if c == '#' {
                    ParamOp::RemovePrefix { longest, pattern }
                } else {
                    ParamOp::RemoveSuffix { longest, pattern }
                }
            }
            '/' => {
                self.cur.bump();
                let mode = if self.cur.eat('/') {
                    ReplaceMode::All
                } else if self.cur.eat('#') {
                    ReplaceMode::Prefix
                } else if self.cur.eat('%') {
                    ReplaceMode::Suffix
                } else {
                    ReplaceMode::First
                };
                // bash: a `/` right after `//` belongs to the pattern
                // (`${x////c}` replaces each `/`).
                let leading_slash = mode == ReplaceMode::All && self.cur.eat('/');
                let mut pattern = self.read_strip_pattern_word(Stop::BraceSlash)?;
                if leading_slash {
                    pattern.parts.insert(0, WordPart::Literal("/".into()));
                }
                // As for the pattern, quotes in the replacement are quotes
                // even inside "…" (bash 5.2).
                let replacement = if self.cur.eat('/') {
                    self.read_param_word(Stop::Brace, false)?
                } else {
                    Word::default()
                };
                ParamOp::Replace {
                    mode,
                    pattern,
                    replacement,
                }
            }
            '^' | ',' | '~' => {
                self.cur.bump();
                let all = self.cur.eat(c);
                let pattern = self.read_pattern_word(Stop::Brace)?;
                ParamOp::Case {
                    upper: match c {
                        '^' => Some(true),
                        ',' => Some(false),
                        _ => None,
                    },
                    all,
                    pattern,
                }
            }
            '@' if self.cur.peek2().is_some_and(|l| l.is_ascii_alphabetic()) => {
                self.cur.bump();
                let op = self.cur.bump().unwrap_or('Q');
                ParamOp::Transform { op }
            }
            _ => return Err(self.bad_subst()),
        };
        Ok(ParamExp {
            name,
            index,
            indirect,
            op,
        })
    }

    /// `` `…` ``: undo the backslash escapes, then parse the text.
    fn read_backquote(&mut self, in_dq: bool) -> Result<WordPart, ParseError> {
        let list = self.read_nested(Nested::Backquote { in_dq }, |core| {
            core.read_backquote_once(in_dq)
        })?;
        Ok(WordPart::CommandSub(list))
    }

    fn read_backquote_once(&mut self, in_dq: bool) -> Result<Arc<List>, ParseError> {
        self.cur.bump();
        let line = self.cur.line;
        let mut text = String::new();
        loop {
            match self.cur.raw_bump() {
                None => return Err(self.eof_looking_for("`")),
                Some('`') => break,
                Some('\\') => match self.cur.raw_peek() {
                    Some(c @ ('$' | '`' | '\\')) => {
                        self.cur.raw_bump();
                        text.push(c);
                    }
                    Some('"') if in_dq => {
                        self.cur.raw_bump();
                        text.push('"');
                    }
                    Some('\n') => {
                        self.cur.raw_bump();
                    }
                    _ => text.push('\\'),
                },
                Some(c) => text.push(c),
            }
        }
        let mut sub = Core::new(&text, 0, line, self.aliases);
        sub.extglob = self.extglob;
        sub.depth = self.depth + 1;
        sub.max_depth = self.max_depth;
        let r = sub.parse_program();
        self.peak = self.peak.max(sub.peak);
        r.map(Arc::new).map_err(|mut e| {
            e.kind = ParseErrorKind::Syntax;
            e
        })
    }

    /// The delimiter word after `<<`: quote removal only, and whether any
    /// part of it was quoted.
    pub(crate) fn read_heredoc_delim(&mut self) -> Result<Option<(String, bool)>, ParseError> {
        while matches!(self.cur.peek(), Some(' ' | '\t')) {
            self.cur.bump();
        }
        let mut out = String::new();
        let mut quoted = false;
        let mut any = false;
        while let Some(c) = self.cur.peek() {
            if Self::is_stop(Stop::Word, c, 0) {
                break;
            }
            any = true;
            self.cur.bump();
            match c {
                '\\' => {
                    quoted = true;
                    if let Some(n) = self.cur.raw_bump() {
                        out.push(n);
                    }
                }
                '\'' => {
                    quoted = true;
                    loop {
                        match self.cur.raw_bump() {
                            None => return Err(self.eof_looking_for("'")),
                            Some('\'') => break,
                            Some(ch) => out.push(ch),
                        }
                    }
                }
                '"' => {
                    quoted = true;
                    loop {
                        match self.cur.bump() {
                            None => return Err(self.eof_looking_for("\"")),
                            Some('"') => break,
                            Some('\\') => match self.cur.raw_peek() {
                                Some(n @ ('$' | '`' | '"' | '\\')) => {
                                    self.cur.raw_bump();
                                    out.push(n);
                                }
                                _ => out.push('\\'),
                            },
                            Some(ch) => out.push(ch),
                        }
                    }
                }
                '$' if matches!(self.cur.peek(), Some('\'' | '"')) => {
                    // `$'EOF'` / `$"EOF"`: the quotes do the work.
                }
                '$' if matches!(self.cur.peek(), Some('(' | '{')) => {
                    // `<<$(a)`, `<<${a}`: bash takes the text literally.
                    out.push('$');
                    let open = self.cur.peek().unwrap_or('(');
                    let close = if open == '(' { ')' } else { '}' };
                    let mut depth = 0usize;
                    while let Some(ch) = self.cur.bump() {
                        out.push(ch);
                        if ch == open {
                            depth += 1;
                        } else if ch == close {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                    }
                }
                _ => out.push(c),
            }
        }
        Ok(any.then_some((out, quoted)))
    }

    /// bash's warning for a here-document that the end of the text ended
    /// (the body is all there was).
    pub(crate) fn warn_unended_heredoc(&mut self, h: &PendingHereDoc) {
        let message = format!(
            "warning: here-document at line {} delimited by end-of-file (wanted `{}')",
            h.line, h.delim
        );
        self.warnings.push((self.cur.line_of_last_read(), message));
    }

    /// Reads the bodies of the here-documents whose operators were on the
    /// line that just ended.
    fn read_pending_heredocs(&mut self) -> Result<(), ParseError> {
        let pending = std::mem::take(&mut self.pending);
        for h in pending {
            let body = self.read_heredoc_body(&h)?;
            self.bodies.insert(h.id, body);
        }
        Ok(())
    }

    fn read_heredoc_body(&mut self, h: &PendingHereDoc) -> Result<HereDoc, ParseError> {
        let first_line = self.cur.line;
        let mut body = String::new();
        let mut found = false;
        while self.cur.raw_peek().is_some() {
            let mut line = String::new();
            let mut at_start = true;
            let mut newline = false;
            while let Some(c) = self.cur.raw_bump() {
                match c {
                    '\n' => {
                        newline = true;
                        break;
                    }
                    '\t' if h.strip_tabs && at_start => {}
                    '\\' if !h.quoted => {
                        at_start = false;
                        match self.cur.raw_peek() {
                            Some('\n') => {
                                self.cur.raw_bump();
                            }
                            Some(n) => {
                                self.cur.raw_bump();
                                line.push('\\');
                                line.push(n);
                            }
                            None => line.push('\\'),
                        }
                    }
                    _ => {
                        at_start = false;
                        line.push(c);
                    }
                }
            }
            if line == h.delim {
                found = true;
                break;
            }
            body.push_str(&line);
            // A last line that the end of the text cut short still ends
            // with a newline (bash).
            if newline || !line.is_empty() {
                body.push('\n');
            }
        }
        if !found && self.strict_eof {
            return Err(self.err_here(
                ParseErrorKind::Incomplete,
                &format!(
                    "here-document delimited by end-of-file (wanted `{}')",
                    h.delim
                ),
            ));
        }
        if !found {
            self.warn_unended_heredoc(h);
        }
        if h.quoted {
            return Ok(HereDoc {
                body: vec![WordPart::Quoted(body)],
                expand: false,
                delimiter: Some(h.delim.clone()),
                raw: None,
            });
        }
        let raw = body.clone();
        let mut sub = Core::new(&body, 0, first_line, self.aliases);
        sub.extglob = self.extglob;
        sub.heredoc_body = true;
        sub.depth = self.depth + 1;
        sub.max_depth = self.max_depth;
        let mut parts = Vec::new();
        let r = sub
            .read_parts(Ctx::HEREDOC, &mut parts)
            .map(|()| sub.fill_parts(&mut parts));
        self.peak = self.peak.max(sub.peak);
        if let Err(mut e) = r {
            e.kind = ParseErrorKind::Syntax;
            return Err(e);
        }
        Ok(HereDoc {
            body: parts,
            expand: true,
            delimiter: Some(h.delim.clone()),
            raw: Some(raw),
        })
    }
}

fn plain_param(name: String) -> WordPart {
    WordPart::Param(Box::new(ParamExp {
        name,
        index: None,
        indirect: false,
        op: ParamOp::Plain,
    }))
}

/// `${x:}`, kept as an invalid expansion whose text names it.
fn no_offset(name: String, index: Option<Word>, indirect: bool) -> ParamExp {
    let index = index.as_ref().map(crate::parser::unparse::word);
    let index = index.map(|i| format!("[{i}]")).unwrap_or_default();
    let bang = if indirect { "!" } else { "" };
    ParamExp {
        name: String::new(),
        index: None,
        indirect: false,
        op: ParamOp::Invalid {
            text: format!("{bang}{name}{index}:"),
        },
    }
}

fn word_op(c: char, colon: bool, word: Word) -> ParamOp {
    match c {
        '-' => ParamOp::Default { colon, word },
        '=' => ParamOp::Assign { colon, word },
        '?' => ParamOp::Error { colon, word },
        _ => ParamOp::Alternative { colon, word },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c_escapes_decode() {
        let cases = [
            (r"a\nb", "a\nb"),
            (r#"\t\\\'\""#, "\t\\'\""),
            (r"\x41\101\u00e9", "AAé"),
            (r"\e[0m", "\u{1b}[0m"),
            (r"\cA", "\u{1}"),
            (r"a\0b", "a"),
            (r"\q", "\\q"),
            (r"\xc3\xa9", "é"),
        ];
        for (raw, want) in cases {
            assert_eq!(decode_ansi_c(raw), want, "{raw}");
        }
    }

    /// Each token's column was counted from the start of its line: a
    /// line of a million words took minutes to read.
    #[test]
    fn columns_cost_nothing_on_a_long_line() {
        let n = 1_200_000;
        let src = "a ".repeat(n);
        let aliases = super::super::Aliases::default();
        let mut core = Core::new(&src, 0, 1, &aliases);
        let mut last = 0;
        for _ in 0..n {
            last = core.lex_token(LexMode::Normal).unwrap().col;
        }
        assert_eq!(last as usize, 2 * n - 1);
        assert_eq!(core.lex_token(LexMode::Normal).unwrap().kind, TokKind::Eof);
    }

    #[test]
    fn cursor_skips_line_continuations() {
        let mut c = Cursor::new("a\\\nb", 0, 1);
        assert_eq!(c.bump(), Some('a'));
        assert_eq!(c.bump(), Some('b'));
        assert_eq!(c.line, 2);
        assert_eq!(c.bump(), None);
    }
}
