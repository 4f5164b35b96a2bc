//! The parser: shell source text to the AST in [`ast`].
//!
//! Owns lexing, the POSIX grammar (plus the bash extensions pidsh accepts),
//! here-documents and alias substitution at parse time. Knows nothing of
//! processes or variables. Three outcomes: a complete command, an
//! *incomplete* input (more lines needed: PS2, the line editor's validator),
//! or a syntax error with line and column.

pub mod ast;
mod grammar;
mod lexer;
mod memo;
#[cfg(test)]
mod tests;
pub mod unparse;

use std::fmt;
use std::sync::{Mutex, PoisonError};

use ast::List;
use grammar::Core;
use memo::Subscripts;

/// Alias name → replacement text, as the parser consults it.
pub type Aliases = rustc_hash::FxHashMap<String, String>;

/// Why parsing stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The input ended where more was needed (open quote, `if` without
    /// `fi`, missing here-document body, trailing `|` or `&&`).
    Incomplete,
    /// The input can never parse.
    Syntax,
    /// A syntax error inside a compound assignment `a=(…)`, which bash
    /// parses apart: outside POSIX mode it reports it and goes on with the
    /// next line.
    InAssignment,
}

/// A parse failure, with where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Incomplete or a real syntax error.
    pub kind: ParseErrorKind,
    /// 1-based line of the offending token.
    pub line: u32,
    /// 1-based column of the offending token.
    pub col: u32,
    /// The message without location, e.g. ``syntax error near unexpected token `fi'``.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a text one complete command at a time, so that aliases defined by
/// one command affect the following lines.
#[derive(Debug, Clone)]
pub struct Parser<'a> {
    source: &'a str,
    pos: usize,
    line: u32,
    extglob: bool,
    /// What scans found about the `[`s of the text, kept from one command
    /// to the next while no alias can change how the text reads: a scan
    /// for a `]` may run through the commands that follow.
    subscripts: Subscripts,
    /// Warnings met while reading, with their lines, for the shell to show
    /// ([`Parser::take_warnings`]).
    warnings: Vec<(u32, String)>,
}

impl<'a> Parser<'a> {
    /// `first_line`: the line number of the first line of `source` (for eval / functions).
    pub fn new(source: &'a str, first_line: u32) -> Self {
        Parser {
            source,
            pos: 0,
            line: first_line,
            extglob: true,
            subscripts: Subscripts::default(),
            warnings: Vec::new(),
        }
    }

    /// Whether the following commands are parsed with bash's `extglob`
    /// (`@(a|b)` and friends in words; on unless told otherwise). The
    /// right side of `[[ x == p ]]` reads them either way.
    pub fn set_extglob(&mut self, on: bool) {
        if on != self.extglob {
            self.subscripts.clear();
        }
        self.extglob = on;
    }

    /// Parses the next complete command: everything up to and including the
    /// newline that ends it at top level (a `List` of one or more and-or
    /// lists; `a; b & c` on one line is one `List`), with any here-document
    /// bodies that follow that line. Skips blank lines and comments.
    /// `Ok(None)` at end of input. Aliases are substituted as they are now.
    ///
    /// After an error the parser skips to the end of the offending line (to
    /// the end of input for an incomplete one), so calling again makes
    /// progress.
    pub fn next_command(&mut self, aliases: &Aliases) -> Result<Option<List>, ParseError> {
        let (source, start, first_line) = (self.source, self.pos, self.line);
        let extglob = self.extglob;
        if !aliases.is_empty() {
            self.subscripts.clear();
        }
        let known = Mutex::new(std::mem::take(&mut self.subscripts));
        let (r, (stop, line, _)) = grammar::with_deep_fallback(|max_depth| {
            let mut core = Core::new(source, start, first_line, aliases);
            core.max_depth = max_depth;
            core.extglob = extglob;
            let mut known = known.lock().unwrap_or_else(PoisonError::into_inner);
            core.subscripts = std::mem::take(&mut *known);
            let r = core
                .next_command()
                .map(|list| (list, std::mem::take(&mut core.warnings)));
            *known = std::mem::take(&mut core.subscripts);
            let (pos, line) = match r {
                Ok(_) => core.resume_point(),
                Err(_) => (core.cur.pos, core.cur.line),
            };
            (r, (pos, line, false))
        });
        if aliases.is_empty() {
            self.subscripts = known.into_inner().unwrap_or_else(PoisonError::into_inner);
        }
        let r = r.map(|(list, warnings)| {
            self.warnings.extend(warnings);
            list
        });
        match &r {
            Ok(_) => (self.pos, self.line) = (stop, line),
            Err(e) if e.kind == ParseErrorKind::Incomplete => {
                self.line += count_newlines(self.source.get(self.pos..).unwrap_or_default());
                self.pos = self.source.len();
            }
            Err(_) => {
                // Skip past the line where parsing stopped.
                let at = stop.max(self.pos);
                let end = self
                    .source
                    .get(at..)
                    .and_then(|s| s.find('\n'))
                    .map_or(self.source.len(), |i| at + i + 1);
                self.line += count_newlines(self.source.get(self.pos..end).unwrap_or_default());
                self.pos = end;
            }
        }
        r
    }

    /// The warnings of the commands read so far (bash's "here-document at
    /// line N delimited by end-of-file"), each with the line where reading
    /// was, emptied.
    pub fn take_warnings(&mut self) -> Vec<(u32, String)> {
        std::mem::take(&mut self.warnings)
    }

    /// Byte offset in `source` up to which input has been consumed.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Current line number.
    pub fn line(&self) -> u32 {
        self.line
    }
}

fn count_newlines(s: &str) -> u32 {
    u32::try_from(s.bytes().filter(|&b| b == b'\n').count()).unwrap_or(u32::MAX)
}

/// Parses a whole text (no aliases), e.g. for `-n` checks and tests.
/// A here-document without its delimiter ends at the end of the text.
pub fn parse_program(source: &str) -> Result<List, ParseError> {
    let aliases = Aliases::default();
    grammar::with_deep_fallback(|max_depth| {
        let mut core = Core::new(source, 0, 1, &aliases);
        core.max_depth = max_depth;
        (core.parse_program(), (0, 0, false))
    })
    .0
}

/// `true` when `source` needs more lines before it can run: it ends inside
/// a quote, a substitution or a compound command, after `|`, `&&` or a
/// line continuation, or before a here-document's delimiter (for PS2 and
/// the line editor's validator). A syntax error is not incomplete.
pub fn is_incomplete(source: &str) -> bool {
    let aliases = Aliases::default();
    let (r, (_, _, backslash_at_eof)) = grammar::with_deep_fallback(|max_depth| {
        let mut core = Core::new(source, 0, 1, &aliases);
        core.max_depth = max_depth;
        core.strict_eof = true;
        let r = core.parse_program();
        (r, (0, 0, core.cur.backslash_at_eof))
    });
    match r {
        Err(e) => e.kind == ParseErrorKind::Incomplete,
        Ok(_) => backslash_at_eof,
    }
}

/// Where the first command of `source` (whole lines) ends, judged as
/// [`is_incomplete`] judges a text but in one pass over the lines, for a
/// reader that must not take a line beyond that command: just after its
/// last line and any here-document bodies; the end of the text when it
/// holds only blank and comment lines; the end of the line of a syntax
/// error. `None` while more lines are needed.
pub fn first_command_end(source: &str) -> Option<usize> {
    match first_command(source, 1, &Aliases::default(), true) {
        FirstCommand::Incomplete => None,
        FirstCommand::Complete(_, end) | FirstCommand::Error(end) => Some(end),
    }
}

/// The first command of a text of whole lines, as [`first_command`]
/// finds it.
#[derive(Debug)]
pub enum FirstCommand {
    /// More lines are needed.
    Incomplete,
    /// The command (`None` for blank and comment lines only) and the
    /// offset where it ends (see [`first_command_end`]).
    Complete(Option<List>, usize),
    /// A syntax error, on the line that ends at this offset.
    Error(usize),
}

/// Parses the first command of `source` (whole lines, the first numbered
/// `first_line`) with these aliases and `extglob`, as
/// [`Parser::next_command`] would, but an input that ends inside the
/// command is incomplete rather than cut short, so that the command is
/// run only once all its lines are there (see [`first_command_end`]).
pub fn first_command(
    source: &str,
    first_line: u32,
    aliases: &Aliases,
    extglob: bool,
) -> FirstCommand {
    let (r, (stop, _, backslash_at_eof)) = grammar::with_deep_fallback(|max_depth| {
        let mut core = Core::new(source, 0, first_line, aliases);
        core.max_depth = max_depth;
        core.extglob = extglob;
        core.strict_eof = true;
        let r = core.next_command();
        let stop = match r {
            Ok(_) => core.resume_point().0,
            Err(_) => core.cur.pos,
        };
        (r, (stop, 0, core.cur.backslash_at_eof))
    });
    match r {
        Err(e) if e.kind == ParseErrorKind::Incomplete => FirstCommand::Incomplete,
        Ok(_) if backslash_at_eof => FirstCommand::Incomplete,
        Ok(list) => FirstCommand::Complete(list, stop.min(source.len())),
        Err(_) => FirstCommand::Error(
            source
                .get(stop..)
                .and_then(|s| s.find('\n'))
                .map_or(source.len(), |i| stop + i + 1),
        ),
    }
}
