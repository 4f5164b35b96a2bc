//! The grammar: recursive descent over the tokens of [`super::lexer`] —
//! lists, pipelines, simple and compound commands, function definitions,
//! `[[ … ]]`, redirections, alias substitution in command position, and the
//! pass that puts here-document bodies into their redirections.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::ast::{
    AndOr, AndOrOp, CaseArm, CaseTerminator, Command, CompoundCommand, CondExpr, Coproc,
    FunctionDef, HereDoc, List, ListItem, ParamExp, ParamOp, Pipeline, RedirOp, RedirTarget,
    Redirect, SimpleCommand, Span, Word, WordPart,
};
use super::lexer::{
    Ctx, Cursor, HEREDOC_MARK, LexMode, Op, PendingHereDoc, Stop, Tok, TokKind, is_name,
};
use super::memo::{Memo, Nested, Subscripts};
use super::{Aliases, ParseError, ParseErrorKind};

/// Deepest nesting accepted (compound commands, substitutions, quotes),
/// counted in parser recursion levels.
pub(crate) const MAX_DEPTH: usize = 1000;

/// Nesting accepted on the caller's stack. A debug build spends about 15 KiB
/// of stack per level, so this stays well inside a 2 MiB thread stack;
/// deeper input is parsed again on a thread with [`DEEP_STACK`] bytes.
pub(crate) const SHALLOW_DEPTH: usize = 48;

/// Stack for parsing deeply nested input (virtual memory, touched only as
/// deep as the input goes).
pub(crate) const DEEP_STACK: usize = 256 << 20;

/// The message of the nesting-limit error.
pub(crate) const DEPTH_MESSAGE: &str = "maximum nesting depth exceeded";

/// Runs `parse(limit)` with the shallow limit and, if the input is nested
/// deeper than that, again with [`MAX_DEPTH`] on a big-stack thread. The
/// parse must be a pure function of its inputs.
pub(crate) fn with_deep_fallback<T: Send>(
    parse: impl Fn(usize) -> (Result<T, ParseError>, (usize, u32, bool)) + Sync,
) -> (Result<T, ParseError>, (usize, u32, bool)) {
    let first = parse(SHALLOW_DEPTH);
    if !matches!(&first.0, Err(e) if e.message == DEPTH_MESSAGE) {
        return first;
    }
    let parse = &parse;
    std::thread::scope(|s| {
        let h = std::thread::Builder::new()
            .name("pidsh-parse".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(s, move || parse(MAX_DEPTH));
        match h.map(|h| h.join()) {
            Ok(Ok(r)) => r,
            _ => first,
        }
    })
}

/// Parser state over one text: the cursor, one token of lookahead, pending
/// here-documents.
pub(crate) struct Core<'a> {
    pub(crate) cur: Cursor<'a>,
    pub(crate) aliases: &'a Aliases,
    /// The lookahead token.
    peeked: Option<Lookahead<'a>>,
    pub(crate) depth: usize,
    /// The deepest `depth` reached (see [`Memo`]).
    pub(crate) peak: usize,
    /// Nesting limit for this parse.
    pub(crate) max_depth: usize,
    /// Here-documents whose operator has been read but not their body.
    pub(crate) pending: Vec<PendingHereDoc>,
    /// Bodies read, by placeholder id, waiting to be put into the tree.
    pub(crate) bodies: HashMap<usize, HereDoc>,
    next_id: usize,
    /// A missing here-document delimiter is "incomplete" rather than
    /// ending the body at end of input (for interactive continuation).
    pub(crate) strict_eof: bool,
    /// End offset of the last token taken.
    last_end: usize,
    /// Alias whose value ended in a blank: the next word after its text
    /// (tokens read with fewer alias texts open than this) is checked too.
    alias_next: Option<usize>,
    /// The next token starts the text of an alias substituted there: it is
    /// a candidate too (`alias x='y '`, where `y` is an alias as well).
    alias_recheck: bool,
    /// bash's `extglob` as the text is parsed: `@(…)` and friends are part
    /// of words; without it their `(` is an operator (a syntax error).
    pub(crate) extglob: bool,
    /// Reading the right side of `[[ x == p ]]`, where extglob words are
    /// read whatever the option.
    pub(crate) cond_pattern: bool,
    /// Which `[`s of the source open assignment subscripts, as far as
    /// scans have found.
    pub(crate) subscripts: Subscripts,
    /// What was read already, to be given again.
    pub(crate) memo: Memo<'a>,
    /// Inside `${ list; }`: a word starting with `}` is that `}` alone,
    /// the rest belongs to the word around (`AA${ echo x; }BB`).
    pub(crate) funsub_depth: usize,
    /// Reading the body of a here-document, where `$'…'` is never
    /// decoded (not even in a `${…}` word).
    pub(crate) heredoc_body: bool,
    /// What the shell should warn about, with the line where reading was:
    /// here-documents ended by the end of the text.
    pub(crate) warnings: Vec<(u32, String)>,
}

/// The lookahead token and what reading it again in another mode needs.
struct Lookahead<'a> {
    tok: Tok,
    mode: LexMode,
    /// The cursor before the token and the blanks before it.
    before: Cursor<'a>,
    /// How many here-documents were waiting before it.
    pending: usize,
    /// For a word that is no assignment: the cursor at its start and after
    /// it. Such a word reads the same in every mode; another mode can only
    /// make it an assignment.
    word: Option<(Cursor<'a>, Cursor<'a>)>,
}

const RESERVED_CLOSERS: [&str; 8] = ["then", "else", "elif", "fi", "do", "done", "esac", "}"];

/// Words reserved at the start of a command, which are never alias
/// candidates there (POSIX 2.3.1).
const RESERVED_AT_START: [&str; 21] = [
    "!", "{", "}", "[[", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "in", "select", "then", "time", "until", "while",
];

/// A syntax error inside `$( … )` names what was being looked for, unless
/// the unexpected token is the `)` itself (bash 5.3).
fn looking_for_paren(mut e: ParseError) -> ParseError {
    const NEAR: &str = "syntax error near unexpected token `";
    let names_paren = e.message == format!("{NEAR})'");
    if e.kind == ParseErrorKind::Syntax
        && e.message.starts_with(NEAR)
        && !names_paren
        && !e.message.contains(" while looking for matching")
    {
        e.message.push_str(" while looking for matching `)'");
    }
    e
}

/// What [`Core::parse_compound_named`] read.
enum Named {
    /// A compound command, its redirections still to come.
    Compound(CompoundCommand),
    /// A whole command (function definition, coprocess, simple command).
    Done(Command),
    /// An alias was substituted: read the command again.
    Alias,
}

/// End of input inside a compound command says which one, and where it
/// started (bash 5.3: ``unexpected end of file from `{' command on line
/// 3``); the innermost one names itself.
fn eof_in_command(mut e: ParseError, keyword: &str, line: u32) -> ParseError {
    if e.kind == ParseErrorKind::Incomplete && e.message == "syntax error: unexpected end of file" {
        e.message = format!("{} from `{keyword}' command on line {line}", e.message);
    }
    e
}

/// Words that start a compound command.
const COMPOUND_STARTS: [&str; 8] = ["{", "if", "while", "until", "for", "select", "case", "[["];

fn is_compound_start(word: &str) -> bool {
    COMPOUND_STARTS.contains(&word)
}

impl<'a> Core<'a> {
    pub(crate) fn new(src: &'a str, pos: usize, line: u32, aliases: &'a Aliases) -> Self {
        Core {
            cur: Cursor::new(src, pos, line),
            aliases,
            peeked: None,
            depth: 0,
            peak: 0,
            max_depth: SHALLOW_DEPTH,
            pending: Vec::new(),
            warnings: Vec::new(),
            bodies: HashMap::new(),
            next_id: 0,
            strict_eof: false,
            last_end: pos,
            alias_next: None,
            alias_recheck: false,
            heredoc_body: false,
            extglob: true,
            cond_pattern: false,
            subscripts: Subscripts::default(),
            memo: Memo::default(),
            funsub_depth: 0,
        }
    }

    pub(crate) fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        self.peak = self.peak.max(self.depth);
        if self.depth > self.max_depth {
            self.depth -= 1;
            return Err(self.err_here(ParseErrorKind::Syntax, DEPTH_MESSAGE));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Position just past what has been consumed (the lookahead is put back).
    pub(crate) fn resume_point(&self) -> (usize, u32) {
        match &self.peeked {
            Some(p) => (p.before.pos, p.before.line),
            None => (self.cur.pos, self.cur.line),
        }
    }

    // ---- tokens ----

    fn peek(&mut self, mode: LexMode) -> Result<&Tok, ParseError> {
        let stale = match &self.peeked {
            None => true,
            Some(p) => {
                p.mode != mode
                    && matches!(
                        p.tok.kind,
                        TokKind::Word(_)
                            | TokKind::Assign(_)
                            | TokKind::IoNumber(_)
                            | TokKind::IoVar(_)
                    )
            }
        };
        if stale {
            let next = match self.peeked.take() {
                Some(old) => self.relex(old, mode)?,
                None => self.lex_lookahead(mode)?,
            };
            self.peeked = Some(next);
        }
        match &self.peeked {
            Some(p) => Ok(&p.tok),
            None => Err(internal_error()),
        }
    }

    fn lex_lookahead(&mut self, mode: LexMode) -> Result<Lookahead<'a>, ParseError> {
        let before = self.cur.clone();
        let pending = self.pending.len();
        let (tok, word_at) = self.lex_token_at(mode)?;
        let word = word_at.map(|at| (at, self.cur.clone()));
        Ok(Lookahead {
            tok,
            mode,
            before,
            pending,
            word,
        })
    }

    /// The lookahead read in another mode. A word that is no assignment is
    /// only tried as one; anything else is read again from the start.
    fn relex(&mut self, old: Lookahead<'a>, mode: LexMode) -> Result<Lookahead<'a>, ParseError> {
        let Some((at, after)) = &old.word else {
            self.cur = old.before;
            self.pending.truncate(old.pending);
            return self.lex_lookahead(mode);
        };
        if mode == LexMode::Normal {
            self.cur = after.clone();
            return Ok(Lookahead { mode, ..old });
        }
        // Here-documents begun inside the word wait once.
        let inside = self.pending.split_off(old.pending.min(self.pending.len()));
        self.cur = at.clone();
        match self.try_assignment(mode)? {
            Some(kind) => Ok(Lookahead {
                tok: Tok {
                    kind,
                    end: self.cur.pos,
                    ..old.tok
                },
                mode,
                before: old.before,
                pending: old.pending,
                word: None,
            }),
            None => {
                self.cur = after.clone();
                self.pending.truncate(old.pending);
                self.pending.extend(inside);
                Ok(Lookahead { mode, ..old })
            }
        }
    }

    fn take(&mut self, mode: LexMode) -> Result<Tok, ParseError> {
        self.peek(mode)?;
        match self.peeked.take() {
            Some(Lookahead { tok, .. }) => {
                if !matches!(tok.kind, TokKind::Newline | TokKind::Eof) {
                    self.last_end = tok.end;
                }
                Ok(tok)
            }
            None => Err(internal_error()),
        }
    }

    fn tok_text(&self, tok: &Tok) -> String {
        match &tok.kind {
            TokKind::Newline => "newline".to_string(),
            TokKind::Eof => String::new(),
            TokKind::Op(op) => op.text().to_string(),
            _ => {
                if tok.end > tok.start
                    && let Some(s) = self.cur.src().get(tok.start..tok.end)
                {
                    return s.to_string();
                }
                match &tok.kind {
                    TokKind::Word(w) => w.as_plain_literal().unwrap_or("word").to_string(),
                    TokKind::IoNumber(n) => n.to_string(),
                    TokKind::IoVar(v) => format!("{{{v}}}"),
                    _ => "word".to_string(),
                }
            }
        }
    }

    /// The error for an unexpected token; end of input is "incomplete".
    pub(crate) fn unexpected(&self, tok: &Tok) -> ParseError {
        if tok.kind == TokKind::Eof {
            // bash counts a last line without its newline as ended: the
            // end of input is on the line after it.
            let src = self.cur.src();
            let unended = !src.is_empty() && !src.ends_with('\n');
            return ParseError {
                kind: ParseErrorKind::Incomplete,
                line: tok.line + u32::from(unended),
                col: tok.col,
                message: "syntax error: unexpected end of file".to_string(),
            };
        }
        ParseError {
            kind: ParseErrorKind::Syntax,
            line: tok.line,
            col: tok.col,
            message: format!(
                "syntax error near unexpected token `{}'",
                self.tok_text(tok)
            ),
        }
    }

    fn unexpected_next(&mut self, mode: LexMode) -> ParseError {
        match self.peek(mode) {
            Ok(t) => {
                let t = t.clone();
                self.unexpected(&t)
            }
            Err(e) => e,
        }
    }

    fn skip_newlines(&mut self) -> Result<(), ParseError> {
        while self.peek(LexMode::Assign)?.kind == TokKind::Newline {
            self.take(LexMode::Assign)?;
        }
        Ok(())
    }

    fn expect_word(&mut self, w: &str) -> Result<Tok, ParseError> {
        if self.peek(LexMode::Assign)?.is_word(w) {
            self.take(LexMode::Assign)
        } else {
            Err(self.unexpected_next(LexMode::Assign))
        }
    }

    fn expect_op(&mut self, op: Op) -> Result<(), ParseError> {
        if self.peek(LexMode::Normal)?.is_op(op) {
            self.take(LexMode::Normal)?;
            Ok(())
        } else {
            Err(self.unexpected_next(LexMode::Normal))
        }
    }

    /// Substitutes the next token if it is an alias (command position).
    fn try_alias(&mut self, mode: LexMode) -> Result<bool, ParseError> {
        if self.aliases.is_empty() {
            return Ok(false);
        }
        let aliases = self.aliases;
        let tok = self.peek(mode)?;
        let Some(name) = tok.plain() else {
            return Ok(false);
        };
        let Some(value) = aliases.get(name) else {
            return Ok(false);
        };
        if tok.guard.iter().any(|g| g == name) {
            return Ok(false);
        }
        let mut guard = (*tok.guard).clone();
        guard.push(name.to_string());
        let value = value.clone();
        self.take(mode)?;
        self.cur.push_alias(&value, Rc::new(guard));
        // A value ending in a blank makes the word after it a candidate;
        // otherwise the word after an enclosing such value still is.
        if value.ends_with([' ', '\t']) {
            self.alias_next = Some(self.cur.guard().1);
        }
        Ok(true)
    }

    /// Where a command may start: substitutes aliases until the next token
    /// is not one, so that an alias's text is read as tokens — reserved
    /// words, `!`, `{`, `}`, operators, or nothing at all.
    fn substitute_aliases(&mut self) -> Result<(), ParseError> {
        if self.aliases.is_empty() {
            return Ok(());
        }
        loop {
            let tok = self.peek(LexMode::Assign)?;
            if tok.plain().is_some_and(|w| RESERVED_AT_START.contains(&w)) {
                return Ok(());
            }
            if !self.try_alias(LexMode::Assign)? {
                return Ok(());
            }
        }
    }

    /// After an alias whose value ends in a blank: substitutes the next
    /// word if it is an alias too, and then the first word of its text
    /// (arguments, and the words of `for`, as dash and bash's POSIX mode
    /// do). Whether it substituted.
    fn alias_after_blank(&mut self, mode: LexMode) -> Result<bool, ParseError> {
        let recheck = std::mem::take(&mut self.alias_recheck);
        let depth = self.peek(mode)?.alias_depth;
        let beyond = self.alias_next.is_some_and(|d| depth < d);
        if !recheck && !beyond {
            return Ok(false);
        }
        if beyond {
            self.alias_next = None;
        }
        let substituted = self.try_alias(mode)?;
        self.alias_recheck = substituted;
        Ok(substituted)
    }

    /// The words after a blank-ended alias are used up: a later command's
    /// words are candidates only by their own position.
    fn end_alias_chain(&mut self) {
        self.alias_next = None;
        self.alias_recheck = false;
    }

    /// Skips newlines before a command, substituting aliases first (an
    /// empty alias on a line of its own leaves just the newline).
    fn skip_newlines_before_command(&mut self) -> Result<(), ParseError> {
        loop {
            self.substitute_aliases()?;
            if self.peek(LexMode::Assign)?.kind != TokKind::Newline {
                return Ok(());
            }
            self.take(LexMode::Assign)?;
        }
    }

    /// After a newline: whether it came from an alias's text that has
    /// more commands in it, which then belong to this complete command
    /// (`alias two='echo 1\necho 2'`; the source after the alias name goes
    /// on the last line of the text).
    fn more_in_alias_text(&mut self) -> Result<bool, ParseError> {
        if !self.cur.in_alias_text() {
            return Ok(false);
        }
        self.skip_newlines_before_command()?;
        Ok(self.peek(LexMode::Assign)?.kind != TokKind::Eof)
    }

    // ---- lists ----

    /// The next complete command at top level, up to and including its newline.
    pub(crate) fn next_command(&mut self) -> Result<Option<List>, ParseError> {
        loop {
            self.substitute_aliases()?;
            match self.peek(LexMode::Assign)?.kind {
                TokKind::Newline => {
                    self.take(LexMode::Assign)?;
                }
                TokKind::Eof => return Ok(None),
                _ => break,
            }
        }
        let mut items = Vec::new();
        loop {
            let and_or = self.parse_and_or()?;
            let tok = self.peek(LexMode::Normal)?.clone();
            match tok.kind {
                TokKind::Op(op @ (Op::Semi | Op::Amp)) => {
                    self.take(LexMode::Normal)?;
                    items.push(ListItem {
                        and_or,
                        background: op == Op::Amp,
                    });
                    match self.peek(LexMode::Assign)?.kind {
                        TokKind::Newline => {
                            self.take(LexMode::Assign)?;
                            if !self.more_in_alias_text()? {
                                break;
                            }
                        }
                        TokKind::Eof => break,
                        _ => {}
                    }
                }
                TokKind::Newline => {
                    self.take(LexMode::Normal)?;
                    items.push(ListItem {
                        and_or,
                        background: false,
                    });
                    if !self.more_in_alias_text()? {
                        break;
                    }
                }
                TokKind::Eof => {
                    items.push(ListItem {
                        and_or,
                        background: false,
                    });
                    break;
                }
                _ => return Err(self.unexpected(&tok)),
            }
        }
        let mut list = List { items };
        if !self.pending.is_empty() {
            // Operators on a last line without a newline: bodies are empty.
            let pending = std::mem::take(&mut self.pending);
            for h in pending {
                if self.strict_eof {
                    return Err(self.err_here(
                        ParseErrorKind::Incomplete,
                        "here-document delimited by end-of-file",
                    ));
                }
                self.warn_unended_heredoc(&h);
                let body = if h.quoted {
                    vec![WordPart::Quoted(String::new())]
                } else {
                    Vec::new()
                };
                self.bodies.insert(
                    h.id,
                    HereDoc {
                        body,
                        expand: !h.quoted,
                        delimiter: Some(h.delim.clone()),
                        raw: None,
                    },
                );
            }
        }
        self.fill_list(&mut list);
        Ok(Some(list))
    }

    /// A whole text: all its commands in one list.
    pub(crate) fn parse_program(&mut self) -> Result<List, ParseError> {
        let mut all = List::default();
        while let Some(l) = self.next_command()? {
            all.items.extend(l.items);
        }
        Ok(all)
    }

    fn at_closer(&mut self) -> Result<bool, ParseError> {
        let tok = self.peek(LexMode::Assign)?;
        Ok(match &tok.kind {
            TokKind::Eof => true,
            TokKind::Op(Op::RParen | Op::DSemi | Op::SemiAnd | Op::DSemiAnd) => true,
            TokKind::Word(_) => tok.plain().is_some_and(|p| RESERVED_CLOSERS.contains(&p)),
            _ => false,
        })
    }

    /// A compound list: and-or lists up to a closing reserved word or operator.
    fn parse_list(&mut self) -> Result<List, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines_before_command()?;
            if self.at_closer()? {
                break;
            }
            let and_or = self.parse_and_or()?;
            let tok = self.peek(LexMode::Normal)?;
            let background = tok.is_op(Op::Amp);
            let more = matches!(tok.kind, TokKind::Op(Op::Semi | Op::Amp) | TokKind::Newline);
            if more {
                self.take(LexMode::Normal)?;
            }
            items.push(ListItem { and_or, background });
            if !more {
                break;
            }
        }
        Ok(List { items })
    }

    fn parse_nonempty_list(&mut self) -> Result<List, ParseError> {
        let l = self.parse_list()?;
        if l.items.is_empty() {
            return Err(self.unexpected_next(LexMode::Assign));
        }
        Ok(l)
    }

    /// After `$(` or `<(`: a list and the closing `)`, read once (see
    /// [`Memo`]).
    pub(crate) fn read_subst_list(&mut self) -> Result<Arc<List>, ParseError> {
        // A `}` in `$( … )` is an ordinary word again.
        let funsub_depth = std::mem::take(&mut self.funsub_depth);
        let r = self.read_nested(Nested::Subst, |core| {
            core.read_nested_list(|p| p.expect_op(Op::RParen))
                .map(Arc::new)
                .map_err(looking_for_paren)
        });
        self.funsub_depth = funsub_depth;
        r
    }

    /// After `${ ` (or `${|`): the list up to its closing `}` (bash 5.3's
    /// substitution in the current shell), read once.
    pub(crate) fn read_funsub_list(&mut self) -> Result<Arc<List>, ParseError> {
        self.funsub_depth += 1;
        let r = self.read_nested(Nested::FunSub, |core| {
            core.read_nested_list(|p| p.expect_word("}").map(drop))
                .map(Arc::new)
        });
        self.funsub_depth -= 1;
        r
    }

    /// A list nested in a word, ended by what `close` expects.
    fn read_nested_list(
        &mut self,
        close: impl FnOnce(&mut Self) -> Result<(), ParseError>,
    ) -> Result<List, ParseError> {
        // The word being lexed sits inside a token the caller has not
        // produced yet, so there is no lookahead to save.
        let saved_alias_next = self.alias_next.take();
        let saved_recheck = std::mem::take(&mut self.alias_recheck);
        let saved_end = self.last_end;
        let saved_cond_pattern = std::mem::take(&mut self.cond_pattern);
        // Here-documents begun before the `$(` have their bodies after the
        // line the `)` ends, not after a newline inside (POSIX 2.7.4).
        let outer_pending = std::mem::take(&mut self.pending);
        self.enter()?;
        let r = self.parse_list().and_then(|l| {
            close(self)?;
            Ok(l)
        });
        self.leave();
        // A list that ended in an error may leave its lookahead behind;
        // it belongs to the list, not to the word around it.
        self.peeked = None;
        let inner_pending = std::mem::replace(&mut self.pending, outer_pending);
        self.pending.extend(inner_pending);
        self.alias_next = saved_alias_next;
        self.alias_recheck = saved_recheck;
        self.last_end = saved_end;
        self.cond_pattern = saved_cond_pattern;
        r
    }

    fn parse_and_or(&mut self) -> Result<AndOr, ParseError> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek(LexMode::Normal)?.kind {
                TokKind::Op(Op::AndIf) => AndOrOp::And,
                TokKind::Op(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            self.take(LexMode::Normal)?;
            self.skip_newlines()?;
            rest.push((op, self.parse_pipeline()?));
        }
        Ok(AndOr { first, rest })
    }

    fn parse_pipeline(&mut self) -> Result<Pipeline, ParseError> {
        let first = self.peek(LexMode::Assign)?;
        let (start, line) = (first.start, first.line);
        let mut negated = false;
        let mut timed = false;
        let mut time_posix = false;
        let mut prefixed = false;
        loop {
            self.substitute_aliases()?;
            let tok = self.peek(LexMode::Assign)?;
            if tok.is_word("!") {
                self.take(LexMode::Assign)?;
                negated = !negated;
            } else if tok.is_word("time") {
                // `time time cmd` times once (bash).
                self.take(LexMode::Assign)?;
                timed = true;
                if self.peek(LexMode::Normal)?.is_word("-p") {
                    self.take(LexMode::Normal)?;
                    time_posix = true;
                }
                // `time [-p] -- cmd` (bash).
                if self.peek(LexMode::Normal)?.is_word("--") {
                    self.take(LexMode::Normal)?;
                }
            } else {
                break;
            }
            prefixed = true;
        }
        let mut commands = Vec::new();
        let mut stderr_too = Vec::new();
        let bare = prefixed
            && matches!(
                self.peek(LexMode::Assign)?.kind,
                TokKind::Newline
                    | TokKind::Eof
                    | TokKind::Op(Op::Semi | Op::Amp | Op::RParen | Op::AndIf | Op::OrIf)
            );
        if bare {
            // `!`, `! !` or `time` alone: bash accepts them.
            commands.push(Command::Simple(SimpleCommand {
                span: Span {
                    start,
                    end: self.last_end.max(start),
                    line,
                },
                ..SimpleCommand::default()
            }));
            stderr_too.push(false);
        } else {
            loop {
                commands.push(self.parse_command()?);
                stderr_too.push(false);
                let both = match self.peek(LexMode::Normal)?.kind {
                    TokKind::Op(Op::Pipe) => false,
                    TokKind::Op(Op::PipeAmp) => true,
                    _ => break,
                };
                self.take(LexMode::Normal)?;
                if let Some(last) = stderr_too.last_mut() {
                    *last = both;
                }
                self.skip_newlines()?;
            }
        }
        Ok(Pipeline {
            negated,
            timed,
            time_posix,
            commands,
            stderr_too,
            span: Span {
                start,
                end: self.last_end.max(start),
                line,
            },
        })
    }

    // ---- commands ----

    fn parse_command(&mut self) -> Result<Command, ParseError> {
        self.enter()?;
        let r = self.parse_command_inner();
        self.leave();
        r
    }

    fn parse_command_inner(&mut self) -> Result<Command, ParseError> {
        loop {
            let tok = self.peek(LexMode::Assign)?;
            let line = tok.line;
            if tok.is_op(Op::LParen) {
                let cc = self
                    .parse_paren_command()
                    .map_err(|e| eof_in_command(e, "(", line))?;
                return self.finish_compound(cc);
            }
            if let Some(word) = tok.plain() {
                let keyword = word.to_string();
                let cc = self.parse_compound_named(&keyword).map_err(|e| {
                    if is_compound_start(&keyword) {
                        eof_in_command(e, &keyword, line)
                    } else {
                        e
                    }
                })?;
                match cc {
                    Named::Compound(cc) => return self.finish_compound(cc),
                    Named::Done(command) => return Ok(command),
                    Named::Alias => continue,
                }
            }
            return self.parse_simple();
        }
    }

    /// The command that starts with the word `word`: a compound command
    /// (or function or coprocess) it opens, else a simple command.
    fn parse_compound_named(&mut self, word: &str) -> Result<Named, ParseError> {
        let cc = match word {
            "{" => {
                self.take(LexMode::Assign)?;
                let body = self.parse_nonempty_list()?;
                self.expect_word("}")?;
                CompoundCommand::BraceGroup(body)
            }
            "if" => self.parse_if()?,
            "while" | "until" => {
                let until = word == "until";
                self.take(LexMode::Assign)?;
                let condition = self.parse_nonempty_list()?;
                let body = self.parse_do_group()?;
                CompoundCommand::Loop {
                    until,
                    condition,
                    body,
                }
            }
            "for" => self.parse_for()?,
            "select" => match self.parse_for()? {
                CompoundCommand::For { var, words, body } => {
                    CompoundCommand::Select { var, words, body }
                }
                _ => {
                    return Err(self.err_here(
                        ParseErrorKind::Syntax,
                        "syntax error near unexpected token `(('",
                    ));
                }
            },
            "case" => self.parse_case()?,
            "[[" => self.parse_cond()?,
            "function" => return self.parse_function_keyword().map(Named::Done),
            "coproc" => return self.parse_coproc().map(Named::Done),
            // `in` is reserved where a command starts, and starts
            // nothing (bash, dash: `true | in` is an error).
            w if w == "in" || RESERVED_CLOSERS.contains(&w) => {
                let tok = self.peek(LexMode::Assign)?.clone();
                return Err(self.unexpected(&tok));
            }
            _ => {
                if self.try_alias(LexMode::Assign)? {
                    return Ok(Named::Alias);
                }
                return self.parse_simple().map(Named::Done);
            }
        };
        Ok(Named::Compound(cc))
    }

    fn finish_compound(&mut self, cc: CompoundCommand) -> Result<Command, ParseError> {
        let mut redirs = Vec::new();
        while self.at_redirect()? {
            redirs.push(self.parse_redirect()?);
        }
        Ok(Command::Compound(cc, redirs))
    }

    /// `( list )` or `(( expr ))`.
    fn parse_paren_command(&mut self) -> Result<CompoundCommand, ParseError> {
        self.take(LexMode::Assign)?;
        if self.cur.peek() == Some('(') {
            let snap = self.snapshot();
            self.cur.bump();
            if let Some(w) = self.read_arith_body()? {
                self.last_end = self.cur.pos;
                return Ok(CompoundCommand::Arith(w));
            }
            self.rewind(snap);
        }
        let body = self.parse_nonempty_list()?;
        self.expect_op(Op::RParen)?;
        Ok(CompoundCommand::Subshell(body))
    }

    fn parse_if(&mut self) -> Result<CompoundCommand, ParseError> {
        self.take(LexMode::Assign)?;
        let mut branches = Vec::new();
        loop {
            let cond = self.parse_nonempty_list()?;
            self.expect_word("then")?;
            // Empty `then`, `else` and `do` bodies are accepted (as mksh
            // and zsh do; bash and dash reject them).
            let body = self.parse_list()?;
            branches.push((cond, body));
            let tok = self.take(LexMode::Assign)?;
            match tok.plain() {
                Some("elif") => continue,
                Some("else") => {
                    let e = self.parse_list()?;
                    self.expect_word("fi")?;
                    return Ok(CompoundCommand::If {
                        branches,
                        else_branch: Some(e),
                    });
                }
                Some("fi") => {
                    return Ok(CompoundCommand::If {
                        branches,
                        else_branch: None,
                    });
                }
                _ => return Err(self.unexpected(&tok)),
            }
        }
    }

    /// `do list done`, or bash's `{ list }` after a `for` header.
    fn parse_do_group(&mut self) -> Result<List, ParseError> {
        // `do` may come from an alias (dash, bash's POSIX mode).
        self.skip_newlines_before_command()?;
        if self.peek(LexMode::Assign)?.is_word("{") {
            self.take(LexMode::Assign)?;
            let body = self.parse_nonempty_list()?;
            self.expect_word("}")?;
            return Ok(body);
        }
        self.expect_word("do")?;
        let body = self.parse_list()?;
        self.expect_word("done")?;
        Ok(body)
    }

    fn parse_for(&mut self) -> Result<CompoundCommand, ParseError> {
        self.take(LexMode::Assign)?;
        if self.peek(LexMode::Normal)?.is_op(Op::LParen) && self.cur.peek() == Some('(') {
            self.take(LexMode::Normal)?;
            self.cur.bump();
            let mut three = Vec::new();
            for stop in [Stop::ArithSemi, Stop::ArithSemi, Stop::Arith] {
                let mut parts = Vec::new();
                self.read_parts(Ctx::arith(stop), &mut parts)?;
                let want = if stop == Stop::Arith { ')' } else { ';' };
                if self.cur.peek().is_none() {
                    return Err(self.err_here(
                        ParseErrorKind::Incomplete,
                        "unexpected EOF while looking for matching `)'",
                    ));
                }
                if !self.cur.eat(want) {
                    return Err(self.err_here(
                        ParseErrorKind::Syntax,
                        "syntax error: arithmetic expression required",
                    ));
                }
                three.push(Word { parts });
            }
            if !self.cur.eat(')') {
                return Err(self.err_here(
                    ParseErrorKind::Syntax,
                    "syntax error: `((' without matching `))'",
                ));
            }
            self.last_end = self.cur.pos;
            if self.peek(LexMode::Normal)?.is_op(Op::Semi) {
                self.take(LexMode::Normal)?;
            }
            let body = self.parse_do_group()?;
            let mut it = three.into_iter();
            return Ok(CompoundCommand::ArithFor {
                init: it.next().unwrap_or_default(),
                condition: it.next().unwrap_or_default(),
                step: it.next().unwrap_or_default(),
                body,
            });
        }
        while self.alias_after_blank(LexMode::Normal)? {}
        let tok = self.take(LexMode::Normal)?;
        // A word that is no name is an error when the loop runs (bash).
        let var = match tok.plain() {
            Some(n) if is_name(n) => n.to_string(),
            _ if matches!(tok.kind, TokKind::Word(_)) => self.tok_text(&tok),
            _ => return Err(self.unexpected(&tok)),
        };
        let mut words = None;
        if self.peek(LexMode::Normal)?.is_op(Op::Semi) {
            self.take(LexMode::Normal)?;
        } else {
            self.skip_newlines()?;
            while self.alias_after_blank(LexMode::Normal)? {}
            if self.peek(LexMode::Normal)?.is_word("in") {
                self.take(LexMode::Normal)?;
                let mut ws = Vec::new();
                loop {
                    while self.alias_after_blank(LexMode::Normal)? {}
                    let tok = self.take(LexMode::Normal)?;
                    match tok.kind {
                        TokKind::Word(w) => ws.push(w),
                        TokKind::IoNumber(n) => ws.push(Word::literal(&n.to_string())),
                        TokKind::Op(Op::Semi) | TokKind::Newline => break,
                        _ => return Err(self.unexpected(&tok)),
                    }
                }
                words = Some(ws);
            }
        }
        self.end_alias_chain();
        let body = self.parse_do_group()?;
        Ok(CompoundCommand::For { var, words, body })
    }

    fn parse_case(&mut self) -> Result<CompoundCommand, ParseError> {
        self.take(LexMode::Assign)?;
        let tok = self.take(LexMode::Normal)?;
        let TokKind::Word(word) = tok.kind else {
            return Err(self.unexpected(&tok));
        };
        self.skip_newlines()?;
        if !self.peek(LexMode::Normal)?.is_word("in") {
            return Err(self.unexpected_next(LexMode::Normal));
        }
        self.take(LexMode::Normal)?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            let tok = self.peek(LexMode::Normal)?;
            if tok.is_word("esac") {
                self.take(LexMode::Normal)?;
                break;
            }
            if tok.is_op(Op::LParen) {
                self.take(LexMode::Normal)?;
            }
            let mut patterns = Vec::new();
            loop {
                let tok = self.take(LexMode::Normal)?;
                match tok.kind {
                    TokKind::Word(w) => patterns.push(w),
                    TokKind::IoNumber(n) => patterns.push(Word::literal(&n.to_string())),
                    _ => return Err(self.unexpected(&tok)),
                }
                let tok = self.take(LexMode::Normal)?;
                match tok.kind {
                    TokKind::Op(Op::Pipe) => {}
                    TokKind::Op(Op::RParen) => break,
                    _ => return Err(self.unexpected(&tok)),
                }
            }
            let body = self.parse_list()?;
            let tok = self.peek(LexMode::Assign)?;
            let terminator = match tok.kind {
                TokKind::Op(Op::DSemi) => CaseTerminator::Break,
                TokKind::Op(Op::SemiAnd) => CaseTerminator::FallThrough,
                TokKind::Op(Op::DSemiAnd) => CaseTerminator::Continue,
                _ if tok.is_word("esac") => {
                    arms.push(CaseArm {
                        patterns,
                        body,
                        terminator: CaseTerminator::Break,
                    });
                    continue;
                }
                _ => {
                    let tok = tok.clone();
                    return Err(self.unexpected(&tok));
                }
            };
            self.take(LexMode::Assign)?;
            arms.push(CaseArm {
                patterns,
                body,
                terminator,
            });
        }
        Ok(CompoundCommand::Case { word, arms })
    }

    // ---- [[ … ]] ----

    fn parse_cond(&mut self) -> Result<CompoundCommand, ParseError> {
        self.take(LexMode::Assign)?;
        let e = self.parse_cond_or()?;
        self.skip_newlines()?;
        if !self.peek(LexMode::Normal)?.is_word("]]") {
            return Err(self.unexpected_next(LexMode::Normal));
        }
        self.take(LexMode::Normal)?;
        Ok(CompoundCommand::Cond(e))
    }

    fn parse_cond_or(&mut self) -> Result<CondExpr, ParseError> {
        let mut l = self.parse_cond_and()?;
        loop {
            self.skip_newlines()?;
            if !self.peek(LexMode::Normal)?.is_op(Op::OrIf) {
                return Ok(l);
            }
            self.take(LexMode::Normal)?;
            let r = self.parse_cond_and()?;
            l = CondExpr::Or(Box::new(l), Box::new(r));
        }
    }

    fn parse_cond_and(&mut self) -> Result<CondExpr, ParseError> {
        let mut l = self.parse_cond_not()?;
        loop {
            self.skip_newlines()?;
            if !self.peek(LexMode::Normal)?.is_op(Op::AndIf) {
                return Ok(l);
            }
            self.take(LexMode::Normal)?;
            let r = self.parse_cond_not()?;
            l = CondExpr::And(Box::new(l), Box::new(r));
        }
    }

    fn parse_cond_not(&mut self) -> Result<CondExpr, ParseError> {
        self.enter()?;
        let r = self.parse_cond_not_inner();
        self.leave();
        r
    }

    fn cond_word(&mut self) -> Result<Word, ParseError> {
        let tok = self.take(LexMode::Normal)?;
        match tok.kind {
            TokKind::Word(w) => Ok(w),
            TokKind::IoNumber(n) => Ok(Word::literal(&n.to_string())),
            _ => Err(self.unexpected(&tok)),
        }
    }

    fn parse_cond_not_inner(&mut self) -> Result<CondExpr, ParseError> {
        self.skip_newlines()?;
        let tok = self.peek(LexMode::Normal)?;
        if tok.is_word("!") {
            self.take(LexMode::Normal)?;
            return Ok(CondExpr::Not(Box::new(self.parse_cond_not()?)));
        }
        if tok.is_op(Op::LParen) {
            self.take(LexMode::Normal)?;
            let e = self.parse_cond_or()?;
            self.skip_newlines()?;
            self.expect_op(Op::RParen)?;
            return Ok(e);
        }
        if tok.is_word("]]") {
            let tok = tok.clone();
            return Err(self.unexpected(&tok));
        }
        if let Some(op) = tok.plain().filter(|p| is_cond_unary(p)) {
            let op = op[1..].to_string();
            self.take(LexMode::Normal)?;
            let next = self.peek(LexMode::Normal)?;
            let operand =
                matches!(next.kind, TokKind::Word(_) | TokKind::IoNumber(_)) && !next.is_word("]]");
            if operand {
                let w = self.cond_word()?;
                return Ok(CondExpr::Unary(op, w));
            }
            // `[[ -z ]]`, `[[ -n && x ]]`: bash wants the operand.
            let missing = match &next.kind {
                TokKind::Op(Op::AndIf) => Some("&&"),
                TokKind::Op(Op::OrIf) => Some("||"),
                TokKind::Op(Op::RParen) => Some(")"),
                _ if next.is_word("]]") => Some("]]"),
                _ => None,
            };
            if let Some(what) = missing {
                let message = format!("unexpected argument `{what}' to conditional unary operator");
                return Err(self.err_here(ParseErrorKind::Syntax, &message));
            }
            return Ok(CondExpr::Word(Word::literal(&format!("-{op}"))));
        }
        let left = self.cond_word()?;
        let next = self.peek(LexMode::Normal)?;
        let op = match &next.kind {
            TokKind::Op(Op::Less) => Some("<".to_string()),
            TokKind::Op(Op::Great) => Some(">".to_string()),
            _ => next
                .plain()
                .filter(|p| is_cond_binary(p))
                .map(str::to_string),
        };
        let Some(op) = op else {
            return Ok(CondExpr::Word(left));
        };
        self.take(LexMode::Normal)?;
        let right = if op == "=~" {
            self.cond_regex()?
        } else if matches!(op.as_str(), "==" | "=" | "!=") {
            let outer = std::mem::replace(&mut self.cond_pattern, true);
            let word = self.cond_word();
            self.cond_pattern = outer;
            word?
        } else {
            self.cond_word()?
        };
        Ok(CondExpr::Binary(left, op, right))
    }

    /// The right side of `=~`: read up to a blank or an operator outside
    /// parentheses, where quotes still quote; `~` expands at its start.
    fn cond_regex(&mut self) -> Result<Word, ParseError> {
        while matches!(self.cur.peek(), Some(' ' | '\t')) {
            self.cur.bump();
        }
        let mut parts = Vec::new();
        let ctx = Ctx {
            tilde: true,
            ..Ctx::pattern(Stop::Regex)
        };
        self.read_parts(ctx, &mut parts)?;
        if parts.is_empty() {
            return Err(self.unexpected_next(LexMode::Normal));
        }
        if let [WordPart::Literal(text)] = parts.as_slice()
            && text == "]]"
        {
            return Err(self.err_here(
                ParseErrorKind::Syntax,
                "unexpected argument `]]' to conditional binary operator",
            ));
        }
        self.last_end = self.cur.pos;
        Ok(Word { parts })
    }

    // ---- simple commands, functions, redirections ----

    fn at_redirect(&mut self) -> Result<bool, ParseError> {
        Ok(match self.peek(LexMode::Normal)?.kind {
            TokKind::IoNumber(_) | TokKind::IoVar(_) => true,
            TokKind::Op(op) => op.is_redirect(),
            _ => false,
        })
    }

    fn parse_simple(&mut self) -> Result<Command, ParseError> {
        let first = self.peek(LexMode::Assign)?;
        let (start, line) = (first.start, first.line);
        let mut cmd = SimpleCommand::default();
        loop {
            // bash keeps `name=(…)` together in any argument (`let x=( 1 )`,
            // `declare a=(1 2)`); the builtin parses it.
            let mode = if cmd.words.is_empty() {
                LexMode::Assign
            } else {
                LexMode::Decl
            };
            let tok = self.peek(mode)?;
            let tok_depth = tok.alias_depth;
            match &tok.kind {
                TokKind::Assign(_) => {
                    if let TokKind::Assign(a) = self.take(mode)?.kind {
                        cmd.assignments.push(a);
                    }
                }
                TokKind::Word(_) => {
                    if cmd.words.is_empty() {
                        if self.alias_next.is_some_and(|d| tok_depth < d) {
                            // The word after a blank-ended alias is this
                            // command's name, a candidate already.
                            self.end_alias_chain();
                        }
                        if (!cmd.assignments.is_empty() || !cmd.redirects.is_empty())
                            && self.try_alias(mode)?
                        {
                            continue;
                        }
                    } else if self.alias_after_blank(mode)? {
                        continue;
                    }
                    let tok = self.take(mode)?;
                    let TokKind::Word(w) = tok.kind else { continue };
                    if cmd.words.is_empty()
                        && cmd.assignments.is_empty()
                        && cmd.redirects.is_empty()
                        && self.peek(LexMode::Normal)?.is_op(Op::LParen)
                        && let Some(name) = w.as_plain_literal()
                    {
                        let name = name.to_string();
                        return self.parse_function_rest(name, (tok.start, tok.line), false);
                    }
                    cmd.words.push(w);
                }
                TokKind::IoNumber(_) | TokKind::IoVar(_) => {
                    cmd.redirects.push(self.parse_redirect()?);
                }
                TokKind::Op(op) if op.is_redirect() => {
                    cmd.redirects.push(self.parse_redirect()?);
                }
                _ => break,
            }
        }
        self.end_alias_chain();
        if cmd.words.is_empty() && cmd.assignments.is_empty() && cmd.redirects.is_empty() {
            return Err(self.unexpected_next(LexMode::Assign));
        }
        cmd.span = Span {
            start,
            end: self.last_end.max(start),
            line,
        };
        Ok(Command::Simple(cmd))
    }

    fn parse_function_keyword(&mut self) -> Result<Command, ParseError> {
        let kw = self.take(LexMode::Assign)?;
        let tok = self.take(LexMode::Normal)?;
        let name = match tok.plain() {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => return Err(self.unexpected(&tok)),
        };
        let paren = self.peek(LexMode::Normal)?.is_op(Op::LParen);
        self.parse_function_rest(name, (kw.start, kw.line), paren)
    }

    /// After the name (and the `(` is next when `paren`): `( )`, newlines,
    /// then a compound command with its redirections.
    fn parse_function_rest(
        &mut self,
        name: String,
        (start, line): (usize, u32),
        paren: bool,
    ) -> Result<Command, ParseError> {
        let needs_parens = self.peek(LexMode::Normal)?.is_op(Op::LParen);
        if paren || needs_parens {
            self.take(LexMode::Normal)?;
            self.expect_op(Op::RParen)?;
        }
        self.skip_newlines()?;
        let tok = self.peek(LexMode::Assign)?;
        let compound = tok.is_op(Op::LParen) || tok.plain().is_some_and(is_compound_start);
        if !compound {
            let tok = tok.clone();
            return Err(self.unexpected(&tok));
        }
        let body = self.parse_command()?;
        let end = self.last_end.max(start);
        let source = self
            .cur
            .src()
            .get(start..end)
            .unwrap_or_default()
            .to_string();
        Ok(Command::FunctionDef(Arc::new(FunctionDef {
            name,
            body: Arc::new(body),
            source,
            line,
        })))
    }

    /// `coproc NAME compound-command`, `coproc compound-command` or
    /// `coproc simple-command` (bash): a word followed by a compound
    /// command is the name, as bash reads it.
    fn parse_coproc(&mut self) -> Result<Command, ParseError> {
        self.take(LexMode::Assign)?;
        let word = self.peek(LexMode::Assign)?.plain().map(str::to_string);
        let name = word.filter(|w| is_name(w) && !is_compound_start(w) && self.compound_follows());
        if name.is_some() {
            self.take(LexMode::Assign)?;
        }
        let body = self.parse_command()?;
        if matches!(body, Command::FunctionDef(_) | Command::Coproc(_)) {
            return Err(self.err_here(
                ParseErrorKind::Syntax,
                "syntax error: coproc needs a command",
            ));
        }
        Ok(Command::Coproc(Arc::new(Coproc {
            named: name.is_some(),
            name: name.unwrap_or_else(|| "COPROC".to_string()),
            body,
        })))
    }

    /// Whether the text after the lookahead word starts a compound command
    /// on the same line.
    fn compound_follows(&self) -> bool {
        let mut cur = self.cur.clone();
        while matches!(cur.peek(), Some(' ' | '\t')) {
            cur.bump();
        }
        if cur.peek() == Some('(') {
            return true;
        }
        let mut word = String::new();
        while let Some(c) = cur.peek() {
            if c.is_whitespace() || matches!(c, ';' | '&' | '|' | '<' | '>' | '(' | ')') {
                break;
            }
            word.push(c);
            cur.bump();
        }
        is_compound_start(&word)
    }

    fn parse_redirect(&mut self) -> Result<Redirect, ParseError> {
        let mut fd = None;
        let mut fd_var = None;
        let mut tok = self.take(LexMode::Normal)?;
        match tok.kind {
            TokKind::IoNumber(n) => {
                fd = Some(n);
                tok = self.take(LexMode::Normal)?;
            }
            TokKind::IoVar(ref v) => {
                fd_var = Some(v.clone());
                tok = self.take(LexMode::Normal)?;
            }
            _ => {}
        }
        let TokKind::Op(op) = tok.kind else {
            return Err(self.unexpected(&tok));
        };
        let rop = match op {
            Op::Less => RedirOp::Input,
            Op::Great => RedirOp::Output,
            Op::DGreat => RedirOp::Append,
            Op::Clobber => RedirOp::Clobber,
            Op::LessGreat => RedirOp::ReadWrite,
            Op::LessAnd => RedirOp::DupInput,
            Op::GreatAnd => RedirOp::DupOutput,
            Op::TLess => RedirOp::HereString,
            Op::AndGreat => RedirOp::OutputBoth,
            Op::AndDGreat => RedirOp::AppendBoth,
            Op::DLess | Op::DLessDash => {
                let strip_tabs = op == Op::DLessDash;
                let Some((delim, quoted)) = self.read_heredoc_delim()? else {
                    let e = self.unexpected_next(LexMode::Normal);
                    return Err(if e.kind == ParseErrorKind::Incomplete {
                        ParseError {
                            kind: ParseErrorKind::Syntax,
                            message: "syntax error near unexpected token `newline'".into(),
                            ..e
                        }
                    } else {
                        e
                    });
                };
                self.last_end = self.cur.pos;
                let id = self.next_id;
                self.next_id += 1;
                self.pending.push(PendingHereDoc {
                    id,
                    delim,
                    strip_tabs,
                    quoted,
                    line: self.cur.line,
                });
                return Ok(Redirect {
                    fd,
                    fd_var,
                    op: RedirOp::HereDoc { strip_tabs },
                    target: RedirTarget::HereDoc(HereDoc {
                        body: vec![WordPart::Literal(format!("{HEREDOC_MARK}{id}"))],
                        expand: !quoted,
                        delimiter: None,
                        raw: None,
                    }),
                });
            }
            _ => return Err(self.unexpected(&tok)),
        };
        let t = self.take(LexMode::Normal)?;
        let word = match t.kind {
            TokKind::Word(w) => w,
            TokKind::IoNumber(n) => Word::literal(&n.to_string()),
            TokKind::IoVar(ref v) => Word::literal(&format!("{{{v}}}")),
            TokKind::Eof => {
                return Err(ParseError {
                    kind: ParseErrorKind::Syntax,
                    line: t.line,
                    col: t.col,
                    message: "syntax error near unexpected token `newline'".into(),
                });
            }
            _ => return Err(self.unexpected(&t)),
        };
        // bash: `>&word` where word is not a number or `-` means `&>word`.
        let rop = match (rop, fd, word.as_plain_literal()) {
            (RedirOp::DupOutput, None, Some(s)) if !is_fd_word(s) => RedirOp::OutputBoth,
            _ => rop,
        };
        Ok(Redirect {
            fd,
            fd_var,
            op: rop,
            target: RedirTarget::Word(word),
        })
    }

    // ---- here-document bodies into the tree ----

    pub(crate) fn fill_list(&mut self, l: &mut List) {
        if self.bodies.is_empty() {
            return;
        }
        for item in &mut l.items {
            self.fill_pipeline(&mut item.and_or.first);
            for (_, p) in &mut item.and_or.rest {
                self.fill_pipeline(p);
            }
        }
    }

    fn fill_pipeline(&mut self, p: &mut Pipeline) {
        for c in &mut p.commands {
            self.fill_command(c);
        }
    }

    fn fill_command(&mut self, c: &mut Command) {
        if self.bodies.is_empty() {
            return;
        }
        match c {
            Command::Simple(s) => {
                for a in &mut s.assignments {
                    if let Some(i) = &mut a.index {
                        self.fill_parts(&mut i.parts);
                    }
                    match &mut a.value {
                        super::ast::AssignValue::Scalar(w) => self.fill_parts(&mut w.parts),
                        super::ast::AssignValue::Array(ws) => {
                            for w in ws {
                                self.fill_parts(&mut w.parts);
                            }
                        }
                    }
                }
                for w in &mut s.words {
                    self.fill_parts(&mut w.parts);
                }
                self.fill_redirects(&mut s.redirects);
            }
            Command::Compound(cc, redirs) => {
                self.fill_compound(cc);
                self.fill_redirects(redirs);
            }
            Command::FunctionDef(f) => {
                let f = Arc::make_mut(f);
                self.fill_command(Arc::make_mut(&mut f.body));
            }
            Command::Coproc(c) => self.fill_command(&mut Arc::make_mut(c).body),
        }
    }

    fn fill_compound(&mut self, cc: &mut CompoundCommand) {
        match cc {
            CompoundCommand::BraceGroup(l) | CompoundCommand::Subshell(l) => self.fill_list(l),
            CompoundCommand::If {
                branches,
                else_branch,
            } => {
                for (c, b) in branches {
                    self.fill_list(c);
                    self.fill_list(b);
                }
                if let Some(e) = else_branch {
                    self.fill_list(e);
                }
            }
            CompoundCommand::Loop {
                condition, body, ..
            } => {
                self.fill_list(condition);
                self.fill_list(body);
            }
            CompoundCommand::For { words, body, .. }
            | CompoundCommand::Select { words, body, .. } => {
                for w in words.iter_mut().flatten() {
                    self.fill_parts(&mut w.parts);
                }
                self.fill_list(body);
            }
            CompoundCommand::ArithFor {
                init,
                condition,
                step,
                body,
            } => {
                self.fill_parts(&mut init.parts);
                self.fill_parts(&mut condition.parts);
                self.fill_parts(&mut step.parts);
                self.fill_list(body);
            }
            CompoundCommand::Case { word, arms } => {
                self.fill_parts(&mut word.parts);
                for a in arms {
                    for p in &mut a.patterns {
                        self.fill_parts(&mut p.parts);
                    }
                    self.fill_list(&mut a.body);
                }
            }
            CompoundCommand::Arith(w) => self.fill_parts(&mut w.parts),
            CompoundCommand::Cond(e) => self.fill_cond(e),
        }
    }

    fn fill_cond(&mut self, e: &mut CondExpr) {
        match e {
            CondExpr::Unary(_, w) | CondExpr::Word(w) => self.fill_parts(&mut w.parts),
            CondExpr::Binary(a, _, b) => {
                self.fill_parts(&mut a.parts);
                self.fill_parts(&mut b.parts);
            }
            CondExpr::Not(x) => self.fill_cond(x),
            CondExpr::And(a, b) | CondExpr::Or(a, b) => {
                self.fill_cond(a);
                self.fill_cond(b);
            }
        }
    }

    fn fill_redirects(&mut self, rs: &mut [Redirect]) {
        for r in rs {
            match &mut r.target {
                RedirTarget::Word(w) => self.fill_parts(&mut w.parts),
                RedirTarget::HereDoc(h) => {
                    let id = match h.body.as_slice() {
                        [WordPart::Literal(s)] => s
                            .strip_prefix(HEREDOC_MARK)
                            .and_then(|n| n.parse::<usize>().ok()),
                        _ => None,
                    };
                    if let Some(body) = id.and_then(|id| self.bodies.remove(&id)) {
                        *h = body;
                    } else {
                        self.fill_parts(&mut h.body);
                    }
                }
            }
        }
    }

    pub(crate) fn fill_parts(&mut self, parts: &mut [WordPart]) {
        if self.bodies.is_empty() {
            return;
        }
        for p in parts {
            match p {
                WordPart::DoubleQuoted(ps) => self.fill_parts(ps),
                WordPart::Param(pe) => self.fill_param(pe),
                WordPart::CommandSub(l) | WordPart::ProcessSub(l, _) | WordPart::FunSub(l, _) => {
                    self.fill_list(Arc::make_mut(l));
                }
                WordPart::Arith(w) => self.fill_parts(&mut w.parts),
                WordPart::Literal(_) | WordPart::Quoted(_) | WordPart::Tilde(_) => {}
            }
        }
    }

    fn fill_param(&mut self, pe: &mut ParamExp) {
        if let Some(i) = &mut pe.index {
            self.fill_parts(&mut i.parts);
        }
        match &mut pe.op {
            ParamOp::Default { word, .. }
            | ParamOp::Assign { word, .. }
            | ParamOp::Error { word, .. }
            | ParamOp::Alternative { word, .. } => self.fill_parts(&mut word.parts),
            ParamOp::RemovePrefix { pattern, .. }
            | ParamOp::RemoveSuffix { pattern, .. }
            | ParamOp::Case { pattern, .. } => self.fill_parts(&mut pattern.parts),
            ParamOp::Replace {
                pattern,
                replacement,
                ..
            } => {
                self.fill_parts(&mut pattern.parts);
                self.fill_parts(&mut replacement.parts);
            }
            ParamOp::Substring { offset, length } => {
                self.fill_parts(&mut offset.parts);
                if let Some(l) = length {
                    self.fill_parts(&mut l.parts);
                }
            }
            ParamOp::Plain
            | ParamOp::Length
            | ParamOp::NamesWithPrefix { .. }
            | ParamOp::ArrayKeys { .. }
            | ParamOp::Transform { .. }
            | ParamOp::Invalid { .. } => {}
        }
    }
}

fn internal_error() -> ParseError {
    ParseError {
        kind: ParseErrorKind::Syntax,
        line: 0,
        col: 0,
        message: "internal parser error: no lookahead token".to_string(),
    }
}

fn is_fd_word(s: &str) -> bool {
    let digits = s.strip_suffix('-').unwrap_or(s);
    s == "-" || (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn is_cond_unary(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 2 && b[0] == b'-' && b"abcdefghknoprstuvwxzGLNORS".contains(&b[1])
}

fn is_cond_binary(s: &str) -> bool {
    matches!(
        s,
        "==" | "="
            | "!="
            | "=~"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}
