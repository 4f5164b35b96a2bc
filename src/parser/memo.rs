//! Reading each piece of the text once, however often the grammar looks
//! at it.
//!
//! Some readings are tentative. `name[…]` at an assignment position is
//! read as a subscript and, when no `=` follows, again as a word;
//! `$((…))` and `((…))` are read as arithmetic and, when a single `)`
//! closes them, again as commands; a lookahead word is read again in
//! another mode. Each costs little by itself, but a `$( )` holds whole
//! commands, which may be tentative in their turn: reading every level of
//! a nest twice costs 2^depth. So a command substitution (or a backquoted
//! one) read once at an offset is handed back when it is read again, a
//! text after `((` found to be no arithmetic is not tried again, and a
//! subscript scan notes, for every `[` it passes, whether that `[` opens an
//! assignment subscript, so that no text is scanned as a subscript twice
//! (a `[` that no `]` closes would otherwise send a scan to the end of the
//! text from every line that starts with `name[`).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::ParseError;
use super::ast::List;
use super::grammar::{Core, DEPTH_MESSAGE};
use super::lexer::{Cursor, PendingHereDoc};

/// What was read at an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Nested {
    /// The body of `$( … )`, `<( … )` or `>( … )`, after the `(`.
    Subst,
    /// `` `…` ``, from its opening backquote; inside double quotes or not.
    Backquote { in_dq: bool },
    /// The body of `${ list; }` or `${| list; }`, after the blank or `|`.
    FunSub,
}

/// A command substitution as it was read, to be given again.
struct Reading<'a> {
    result: Result<Arc<List>, ParseError>,
    /// The cursor after it (after the error, for an error).
    after: Cursor<'a>,
    /// Here-documents begun inside whose bodies come after the line.
    leaked: Vec<PendingHereDoc>,
    /// Nesting depth it was read at.
    depth: usize,
    /// How much deeper than `depth` the reading went.
    reach: usize,
}

/// Whether the `[` at an offset of the source opens an assignment
/// subscript: `]` closes it and `=` or `+=` follows. Plain data about the
/// text, so a [`super::Parser`] keeps it from one command to the next
/// (while no alias and the same `extglob` can change how a `$( )` inside
/// reads).
pub(crate) type Subscripts = FxHashMap<usize, bool>;

/// A subscript scan in progress: the `[`s it passed at its own level that
/// no `]` has closed yet.
struct BracketScan {
    /// The nesting depth of the scan's own level.
    depth: usize,
    /// Offset of each open `[` and the bracket depth inside it; the depths
    /// grow from bottom to top.
    open: Vec<(usize, usize)>,
}

/// The readings of one parse.
#[derive(Default)]
pub(crate) struct Memo<'a> {
    readings: FxHashMap<(usize, Nested), Reading<'a>>,
    scans: Vec<BracketScan>,
    /// Offsets after `((` whose text a single `)` closes, with how deep
    /// reading it went.
    no_arith: FxHashMap<usize, usize>,
}

/// The cursor and the here-documents waiting for their bodies, to go back
/// to after a tentative reading: an operator read inside it must not wait
/// twice.
pub(crate) struct Snapshot<'a> {
    cur: Cursor<'a>,
    pending: usize,
}

pub(crate) fn is_depth_error(e: &ParseError) -> bool {
    e.message == DEPTH_MESSAGE
}

/// Whether `=` or `+=` comes next.
pub(crate) fn assigns_next(cur: &Cursor<'_>) -> bool {
    let mut cur = cur.clone();
    match cur.peek() {
        Some('=') => true,
        Some('+') => cur.peek2() == Some('='),
        _ => false,
    }
}

impl<'a> Core<'a> {
    pub(crate) fn snapshot(&self) -> Snapshot<'a> {
        Snapshot {
            cur: self.cur.clone(),
            pending: self.pending.len(),
        }
    }

    pub(crate) fn rewind(&mut self, snap: Snapshot<'a>) {
        self.cur = snap.cur;
        self.pending.truncate(snap.pending);
    }

    /// Reads what starts here with `read`, or gives back what reading it
    /// gave before, when reading it again would give the same: the text
    /// comes from the source (not an alias), and the nesting limit is as
    /// far away or, for a result that did not hit it, far enough.
    pub(crate) fn read_nested(
        &mut self,
        kind: Nested,
        read: impl FnOnce(&mut Self) -> Result<Arc<List>, ParseError>,
    ) -> Result<Arc<List>, ParseError> {
        let key = self.source_offset().map(|at| (at, kind));
        if let Some(r) = key.and_then(|k| self.memo.readings.get(&k))
            && self.reusable(r)
        {
            self.cur = r.after.clone();
            self.pending.extend(r.leaked.iter().cloned());
            return r.result.clone();
        }
        let pending = self.pending.len();
        let (result, reach) = self.reaching(read);
        if let Some(key) = key {
            let reading = Reading {
                result: result.clone(),
                after: self.cur.clone(),
                leaked: self.pending.get(pending..).unwrap_or_default().to_vec(),
                depth: self.depth,
                reach,
            };
            self.memo.readings.insert(key, reading);
        }
        result
    }

    /// `read`'s result and how much deeper than now it went.
    pub(crate) fn reaching<T>(&mut self, read: impl FnOnce(&mut Self) -> T) -> (T, usize) {
        let outer_peak = std::mem::replace(&mut self.peak, self.depth);
        let result = read(self);
        let reach = self.peak.saturating_sub(self.depth);
        self.peak = self.peak.max(outer_peak);
        (result, reach)
    }

    /// The offset of the cursor, when it reads the source (not an alias).
    pub(crate) fn source_offset(&mut self) -> Option<usize> {
        (!self.cur.in_alias_text()).then_some(self.cur.pos)
    }

    /// Whether the text after `((` here was found to be no arithmetic,
    /// and reading it now would find the same (the nesting limit is as
    /// far away as it was).
    pub(crate) fn known_no_arith(&self, at: usize) -> bool {
        self.memo
            .no_arith
            .get(&at)
            .is_some_and(|&reach| self.depth + reach <= self.max_depth)
    }

    pub(crate) fn note_no_arith(&mut self, at: usize, reach: usize) {
        self.memo.no_arith.insert(at, reach);
    }

    fn reusable(&self, r: &Reading<'_>) -> bool {
        let hit_limit = matches!(&r.result, Err(e) if is_depth_error(e));
        r.depth == self.depth || (!hit_limit && self.depth + r.reach <= self.max_depth)
    }

    /// What an earlier scan found about the `[` next, if it came from the
    /// source and a scan passed it.
    pub(crate) fn known_subscript(&mut self) -> (Option<usize>, Option<bool>) {
        let at = self.source_offset();
        (at, at.and_then(|at| self.subscripts.get(&at).copied()))
    }

    /// Starts noting the `[`s that the `read_parts` about to run passes
    /// at its own level.
    pub(crate) fn begin_bracket_scan(&mut self) {
        self.memo.scans.push(BracketScan {
            depth: self.depth + 1,
            open: Vec::new(),
        });
    }

    /// Ends the scan begun last. `failed`: it ended without its `]`, so
    /// every `[` left open would run into the same end: none opens a
    /// subscript. After the nesting limit nothing is known.
    pub(crate) fn end_bracket_scan(&mut self, failed: bool, hit_limit: bool) {
        let Some(scan) = self.memo.scans.pop() else {
            return;
        };
        if failed && !hit_limit {
            for (at, _) in scan.open {
                self.subscripts.insert(at, false);
            }
        }
    }

    fn scan_here(&mut self) -> Option<&mut BracketScan> {
        let depth = self.depth;
        self.memo.scans.last_mut().filter(|s| s.depth == depth)
    }

    /// A `[` is next, at bracket depth `depth` of a subscript's text.
    pub(crate) fn note_bracket_open(&mut self, depth: usize) {
        if self.scan_here().is_none() || self.cur.in_alias_text() {
            return;
        }
        let at = self.cur.pos;
        if let Some(scan) = self.scan_here() {
            scan.open.push((at, depth + 1));
        }
    }

    /// A `]` was just read, leaving bracket depth `depth`: the `[`s it
    /// closes are settled.
    pub(crate) fn note_bracket_close(&mut self, depth: usize) {
        let mut closed = Vec::new();
        if let Some(scan) = self.scan_here() {
            while let Some(&(at, d)) = scan.open.last()
                && d > depth
            {
                scan.open.pop();
                closed.push(at);
            }
        }
        if closed.is_empty() {
            return;
        }
        let assigns = assigns_next(&self.cur);
        for at in closed {
            self.subscripts.insert(at, assigns);
        }
    }
}
