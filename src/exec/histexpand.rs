//! History expansion (`set -H`, on in interactive shells) as bash does it
//! with readline's history library: events (`!!`, `!n`, `!-n`, `!str`,
//! `!?str?`, `!#`), word designators (`:0`, `:n`, `:n-m`, `:^`, `:$`,
//! `:*`, `:n*`, `:n-`, `:%`, and the short forms `!$ !^ !* !%`), the
//! modifiers `:h :t :r :e :p :q :x :s/old/new/ :& :g :a :G`, and
//! `^old^new^` at the start of a line. `histchars` chooses the three
//! characters (`!^#`).
//!
//! What counts as quoted follows bash: single quotes (outside double
//! quotes) and a backslash stop an expansion, so does a `!` followed by a
//! blank, `=`, a shell metacharacter, or a closing double quote, and the
//! shell's own uses of `!` (`[!...]`, `${!name}`, `$!`, `!(...)` with
//! `extglob`). Words are split as the shell would split them, a command
//! substitution or extended pattern staying one word.

/// What expanding a line gave.
#[derive(Debug, PartialEq)]
pub enum Expanded {
    /// Nothing to expand.
    Same,
    /// The new line; `print_only` for `:p` (shown, not run).
    Line {
        /// The expanded line.
        text: String,
        /// `:p`: shown, not run.
        print_only: bool,
    },
}

/// The three characters of `histchars`.
#[derive(Debug, Clone, Copy)]
pub struct Chars {
    /// Starts an expansion (`!`).
    pub expansion: char,
    /// `^old^new` at the start of a line.
    pub subst: Option<char>,
    /// A word starting with it ends expansion on the line (`#`).
    pub comment: Option<char>,
}

impl Chars {
    /// The characters `histchars` names (`None`: expansion is off, as
    /// with an empty `histchars`).
    pub fn from_var(histchars: Option<&str>) -> Option<Chars> {
        let Some(value) = histchars else {
            return Some(Chars::default());
        };
        let mut chars = value.chars();
        let expansion = chars.next()?;
        let subst = chars.next();
        // Characters left out keep their defaults.
        Some(Chars {
            expansion,
            subst: subst.or(Some('^')),
            comment: chars.next().or(Some('#')),
        })
    }
}

impl Default for Chars {
    fn default() -> Chars {
        Chars {
            expansion: '!',
            subst: Some('^'),
            comment: Some('#'),
        }
    }
}

/// What expansions remember from one line to the next: the last `!?str?`
/// search, the word it matched (`%`), and the last substitution (`:&`).
#[derive(Debug, Clone, Default)]
pub struct Memory {
    search: Option<String>,
    search_match: Option<String>,
    lhs: Option<Vec<char>>,
    rhs: Vec<char>,
}

/// The history an expansion reads, and how.
pub struct Events<'a> {
    /// The entries, oldest first.
    pub entries: &'a [String],
    /// The number of the first entry.
    pub first_number: usize,
    /// `histchars`.
    pub chars: Chars,
    /// `shopt -s extglob`: `!(` is a pattern.
    pub extglob: bool,
    /// The quote a line before this one left open (`'` or `"`).
    pub open_quote: Option<char>,
    /// `set -o posix`: double quotes quote `!` too.
    pub posix: bool,
}

impl<'a> Events<'a> {
    /// The entries, numbered from 1, with the default characters.
    pub fn plain(entries: &'a [String]) -> Events<'a> {
        Events {
            entries,
            first_number: 1,
            chars: Chars::default(),
            extglob: false,
            open_quote: None,
            posix: false,
        }
    }
}

/// Characters after `!` that make it no expansion.
const NO_EXPAND: &str = " \t\n\r=;&|()<>";
/// Where the shell splits words.
const WORD_DELIMITERS: &str = " \t\n;&()|<>";
/// Characters that end the string of a `!str` search.
const SEARCH_DELIMITERS: &str = ";&()|<>";
/// Stands for the last word (`$`) in a designator.
const LAST: i64 = i64::MIN / 2;

/// Expands the history references in `line`. The error is bash's message
/// (`!foo: event not found`).
pub fn expand(line: &str, events: &Events, memory: &mut Memory) -> Result<Expanded, String> {
    let bang = events.chars.expansion;
    let mut s: Vec<char> = line.chars().collect();
    if events.chars.subst.is_some() && s.first().copied() == events.chars.subst {
        let mut quick = vec![bang, bang, ':', 's'];
        quick.extend_from_slice(&s);
        s = quick;
    } else if !wants_expansion(&s, events) {
        return Ok(Expanded::Same);
    }
    let mut run = Expansion {
        s: &s,
        events,
        memory,
    };
    run.line()
}

/// One line being expanded.
struct Expansion<'a, 'm> {
    s: &'a [char],
    events: &'a Events<'a>,
    memory: &'m mut Memory,
}

/// Whether `s` holds an expansion at all (readline's first pass, which
/// judges each `!` against the whole line).
fn wants_expansion(s: &[char], events: &Events) -> bool {
    let bang = events.chars.expansion;
    let mut dquote = events.open_quote == Some('"');
    let mut i = 0;
    if events.open_quote == Some('\'') {
        i = single_quoted_end(s, 0, false) + 1;
    }
    while i < s.len() {
        let c = s[i];
        let cc = s.get(i + 1).copied();
        if Some(c) == events.chars.comment && !dquote && starts_word(s, i) {
            return false;
        } else if c == bang {
            let stop = cc.is_none_or(|cc| NO_EXPAND.contains(cc)) || (dquote && cc == Some('"'));
            if !stop && !inhibited(s, i, events) {
                return true;
            }
        } else if dquote && c == '\\' && cc == Some('"') {
            i += 1;
        } else if c == '"' {
            dquote = !dquote;
        } else if !dquote && c == '\'' {
            let dollar = i > 0 && s[i - 1] == '$';
            i = single_quoted_end(s, i + 1, dollar);
            if i >= s.len() {
                return false;
            }
        } else if c == '\\' && (cc == Some('\'') || cc == Some(bang)) {
            i += 1;
        }
        i += 1;
    }
    false
}

/// Whether position `i` starts a word.
fn starts_word(s: &[char], i: usize) -> bool {
    i == 0 || WORD_DELIMITERS.contains(s[i - 1])
}

/// The index of the `'` closing a single-quoted string whose text starts
/// at `from` (the length when it is not closed); `dollar` for `$'...'`,
/// where a backslash escapes.
fn single_quoted_end(s: &[char], from: usize, dollar: bool) -> usize {
    let mut i = from;
    while i < s.len() && s[i] != '\'' {
        if dollar && s[i] == '\\' && i + 1 < s.len() {
            i += 1;
        }
        i += 1;
    }
    i.min(s.len())
}

/// Whether the `!` at `i` is one the shell keeps for itself, or quoted
/// (bash's `bash_history_inhibit_expansion`).
fn inhibited(s: &[char], i: usize, events: &Events) -> bool {
    let after = |from: usize, c: char| s.get(from..).is_some_and(|rest| rest.contains(&c));
    if i > 0 && s[i - 1] == '[' && after(i + 1, ']') {
        return true;
    }
    if i > 1 && s[i - 1] == '{' && s[i - 2] == '$' && after(i + 1, '}') {
        return true;
    }
    if i > 1 && s[i - 1] == '$' {
        return true;
    }
    if events.extglob && i > 1 && s.get(i + 1) == Some(&'(') && after(i + 2, ')') {
        return true;
    }
    let mut start = 0;
    if events.open_quote == Some('\'') {
        let end = single_quoted_end(s, 0, false);
        if end >= s.len() || end >= i {
            return true;
        }
        start = end + 1;
    }
    let bang = events.chars.expansion;
    let mut t = next_unquoted(s, start, bang, events.posix);
    while t < i {
        t = next_unquoted(s, t + 1, bang, events.posix);
    }
    t > i
}

/// The first `bang` at or after `start` that the shell would see
/// unquoted (the length when there is none): backslashes and single
/// quotes quote, a `!` before a closing double quote does not count,
/// and command substitutions start afresh; in `posix` mode double
/// quotes quote it.
fn next_unquoted(s: &[char], start: usize, bang: char, posix: bool) -> usize {
    let mut i = start;
    let mut dquote = false;
    // The double-quote state outside each open `$(` or backquote.
    let mut outer: Vec<bool> = Vec::new();
    let mut backquote = false;
    while i < s.len() {
        let c = s[i];
        if c == '\\' {
            i += 2;
            continue;
        }
        if backquote && c == '`' {
            backquote = false;
            dquote = outer.pop().unwrap_or(false);
        } else if c == '`' {
            backquote = true;
            outer.push(dquote);
            dquote = false;
        } else if dquote && c == bang && (posix || s.get(i + 1) == Some(&'"')) {
            i += usize::from(!posix);
        } else if c == bang {
            return i;
        } else if c == '\'' && !dquote {
            i = single_quoted_end(s, i + 1, false);
        } else if c == '"' {
            dquote = !dquote;
        } else if c == '$' && s.get(i + 1) == Some(&'(') {
            outer.push(dquote);
            dquote = false;
            i += 1;
        } else if c == ')' && !outer.is_empty() && !backquote {
            dquote = outer.pop().unwrap_or(false);
        }
        i += 1;
    }
    s.len()
}

impl Expansion<'_, '_> {
    /// readline's second pass: copies the line, expanding each reference.
    fn line(&mut self) -> Result<Expanded, String> {
        let s = self.s;
        let bang = self.events.chars.expansion;
        let mut dquote = self.events.open_quote == Some('"');
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        if self.events.open_quote == Some('\'') {
            let end = single_quoted_end(s, 0, false);
            out.extend(&s[..(end + 1).min(s.len())]);
            i = end + 1;
        }
        let mut modified = false;
        let mut print_only = false;
        while i < s.len() {
            let c = s[i];
            if c == bang && self.expands_at(i, dquote, &out) {
                let quote = if dquote { Some('"') } else { None };
                let (text, end, print) = self.reference(i, quote, &out)?;
                out.push_str(&text);
                modified = true;
                print_only |= print;
                i = end + 1;
                continue;
            }
            if Some(c) == self.events.chars.comment && !dquote && starts_word(s, i) {
                out.extend(&s[i..]);
                break;
            }
            match c {
                '\\' => {
                    out.extend(&s[i..(i + 2).min(s.len())]);
                    i += 2;
                    continue;
                }
                '"' => dquote = !dquote,
                '\'' if !dquote => {
                    let dollar = i > 0 && s[i - 1] == '$';
                    let end = single_quoted_end(s, i + 1, dollar);
                    out.extend(&s[i..(end + 1).min(s.len())]);
                    i = end + 1;
                    continue;
                }
                _ => {}
            }
            out.push(c);
            i += 1;
        }
        Ok(if modified || print_only {
            Expanded::Line {
                text: out,
                print_only,
            }
        } else {
            Expanded::Same
        })
    }

    /// Whether the `!` at `i` starts an expansion, judged on what the
    /// line has become so far (`out`), as readline judges it.
    fn expands_at(&self, i: usize, dquote: bool, out: &str) -> bool {
        let cc = self.s.get(i + 1).copied();
        if cc.is_none_or(|cc| NO_EXPAND.contains(cc)) || (dquote && cc == Some('"')) {
            return false;
        }
        let mut candidate: Vec<char> = out.chars().collect();
        let at = candidate.len();
        candidate.push(self.s[i]);
        candidate.extend(cc);
        !inhibited(&candidate, at, self.events)
    }

    /// The reference starting at the `!` at `start`: its text, the index
    /// of its last character, and whether it had `:p`.
    fn reference(
        &mut self,
        start: usize,
        quote: Option<char>,
        so_far: &str,
    ) -> Result<(String, usize, bool), String> {
        let s = self.s;
        let mut i = start;
        let next = s.get(start + 1).copied();
        let event = if next.is_some_and(|c| ":$*%^".contains(c)) {
            i += 1;
            self.numbered(self.last_number())
        } else if next == Some('#') {
            i += 2;
            Some(so_far.to_string())
        } else {
            self.event(&mut i, quote)
        };
        let Some(event) = event else {
            return Err(self.error(start, i, "event not found"));
        };
        let spec_start = i;
        let mut text: Vec<char> = match self.word_designator(&event, &mut i) {
            Designated::None => event.chars().collect(),
            Designated::Words(words) => words.chars().collect(),
            Designated::Bad => return Err(self.error(spec_start, i, "bad word specifier")),
        };
        let (quoting, print) = self.modifiers(&mut text, &mut i)?;
        let text: String = text.into_iter().collect();
        let text = match quoting {
            Some('q') => single_quote(&text),
            Some('x') => quote_breaks(&text),
            _ => text,
        };
        Ok((text, i - 1, print))
    }

    fn last_number(&self) -> i64 {
        (self.events.first_number + self.events.entries.len()) as i64 - 1
    }

    /// The entry numbered `n`.
    fn numbered(&self, n: i64) -> Option<String> {
        let index = n - self.events.first_number as i64;
        usize::try_from(index)
            .ok()
            .and_then(|i| self.events.entries.get(i))
            .cloned()
    }

    /// The event after the `!` at `*i` (readline's `get_history_event`);
    /// `*i` ends after it.
    fn event(&mut self, i: &mut usize, quote: Option<char>) -> Option<String> {
        let s = self.s;
        let bang = self.events.chars.expansion;
        *i += 1;
        if s.get(*i) == Some(&bang) {
            *i += 1;
            return self.numbered(self.last_number());
        }
        let negative = s.get(*i) == Some(&'-') && s.get(*i + 1).is_some_and(char::is_ascii_digit);
        if negative {
            *i += 1;
        }
        if s.get(*i).is_some_and(char::is_ascii_digit) {
            let mut n: i64 = 0;
            while let Some(d) = s.get(*i).and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(i64::from(d));
                *i += 1;
            }
            if negative {
                n = self.last_number() + 1 - n;
            }
            return self.numbered(n);
        }
        self.search(i, quote)
    }

    /// `!str` (the newest entry starting with `str`) or `!?str?` (the
    /// newest containing it, remembered for `%` and an empty `!??`) after
    /// the `!` (`*i` at the text); `*i` ends after it.
    fn search(&mut self, i: &mut usize, quote: Option<char>) -> Option<String> {
        let s = self.s;
        let substring = s.get(*i) == Some(&'?');
        if substring {
            *i += 1;
        }
        let from = *i;
        while let Some(&c) = s.get(*i) {
            let ends = if substring {
                c == '?' || c == '\n'
            } else {
                c.is_whitespace()
                    || c == ':'
                    || (*i > from && c == '-')
                    || (c != '-' && "^$*%-".contains(c))
                    || SEARCH_DELIMITERS.contains(c)
                    || Some(c) == quote
            };
            if ends {
                break;
            }
            *i += 1;
        }
        let mut needle: String = s[from..*i].iter().collect();
        if substring && s.get(*i) == Some(&'?') {
            *i += 1;
        }
        if needle.is_empty() && substring {
            needle = self.memory.search.clone()?;
        }
        let entries = self.events.entries;
        if !substring {
            return entries
                .iter()
                .rev()
                .find(|e| e.starts_with(&needle))
                .cloned();
        }
        let (line, at) = entries
            .iter()
            .rev()
            .find_map(|e| e.rfind(&needle).map(|at| (e, at)))?;
        self.memory.search_match = word_at(line, at);
        self.memory.search = Some(needle);
        Some(line.clone())
    }

    /// The word designator at `*i`, if any (readline's
    /// `get_history_word_specifier`).
    fn word_designator(&self, event: &str, i: &mut usize) -> Designated {
        let s = self.s;
        let mut j = *i;
        let colon = s.get(j) == Some(&':');
        if colon {
            j += 1;
        }
        match s.get(j) {
            Some('%') => {
                *i = j + 1;
                return Designated::Words(self.memory.search_match.clone().unwrap_or_default());
            }
            Some('*') => {
                *i = j + 1;
                return Designated::Words(words(event, 1, LAST).unwrap_or_default());
            }
            Some('$') => {
                *i = j + 1;
                return words(event, LAST, LAST).map_or(Designated::Bad, Designated::Words);
            }
            _ => {}
        }
        let first = match s.get(j) {
            Some('-') => 0,
            Some('^') => {
                j += 1;
                1
            }
            Some(c) if c.is_ascii_digit() && colon => number(s, &mut j),
            _ => return Designated::None,
        };
        let last = range_end(s, &mut j, first);
        *i = j;
        if (last >= first || last < 0)
            && let Some(w) = words(event, first, last)
        {
            return Designated::Words(w);
        }
        Designated::Bad
    }

    /// The modifiers from `*i` on, applied to `text`: the quoting asked
    /// for (`q` or `x`) and whether `:p` was given. `*i` ends after them.
    fn modifiers(
        &mut self,
        text: &mut Vec<char>,
        i: &mut usize,
    ) -> Result<(Option<char>, bool), String> {
        let s = self.s;
        let mut quoting = None;
        let mut print = false;
        let start = *i;
        while s.get(*i) == Some(&':') {
            let mut c = s.get(*i + 1).copied();
            let mut global = false;
            if matches!(c, Some('g' | 'a' | 'G')) {
                global = true;
                *i += 1;
                c = s.get(*i + 1).copied();
            }
            match c {
                Some('q' | 'x') => quoting = c,
                Some('p') => print = true,
                Some(c @ ('t' | 'h' | 'r' | 'e')) => path_modifier(text, c),
                Some(c @ ('s' | '&')) => {
                    self.substitution(text, i, c == 's', global, start)?;
                    continue;
                }
                _ => {
                    return Err(self.error(*i + 1, *i + 2, "unrecognized history modifier"));
                }
            }
            *i += 2;
        }
        Ok((quoting, print))
    }

    /// `:s/old/new/` (`read`: a new one) or `:&` (the last one) at `*i`,
    /// on `text`; `*i` ends after it. `start` is where the modifiers
    /// started, for the message.
    fn substitution(
        &mut self,
        text: &mut Vec<char>,
        i: &mut usize,
        read: bool,
        global: bool,
        start: usize,
    ) -> Result<(), String> {
        if !read {
            *i += 2;
        } else if let Some(&delimiter) = self.s.get(*i + 2) {
            *i += 3;
            self.read_substitution(i, delimiter);
        } else {
            // No delimiter: nothing to do.
            *i += 2;
            return Ok(());
        }
        let Some(lhs) = self.memory.lhs.clone().filter(|l| !l.is_empty()) else {
            return Err(self.error(start, *i, "no previous substitution"));
        };
        let rhs = self.memory.rhs.clone();
        if !substitute(text, &lhs, &rhs, global) {
            return Err(self.error(start, *i, "substitution failed"));
        }
        Ok(())
    }

    /// `old/new/` after `:s/`: remembered for `:&`; an empty `old` keeps
    /// the last one (or takes the last `!?` search string), `&` in `new`
    /// stands for `old`.
    fn read_substitution(&mut self, i: &mut usize, delimiter: char) {
        let lhs = pattern(self.s, i, delimiter);
        if !lhs.is_empty() {
            self.memory.lhs = Some(lhs);
        } else if self.memory.lhs.is_none() {
            self.memory.lhs = self.memory.search.as_ref().map(|s| s.chars().collect());
        }
        let rhs = pattern(self.s, i, delimiter);
        let lhs = self.memory.lhs.clone().unwrap_or_default();
        let mut new = Vec::with_capacity(rhs.len());
        let mut k = 0;
        while k < rhs.len() {
            match rhs[k] {
                '&' => new.extend_from_slice(&lhs),
                '\\' if rhs.get(k + 1) == Some(&'&') => {
                    new.push('&');
                    k += 1;
                }
                c => new.push(c),
            }
            k += 1;
        }
        self.memory.rhs = new;
    }

    /// bash's message: the text from `from` to `to`, then `what`.
    fn error(&self, from: usize, to: usize, what: &str) -> String {
        let to = to.min(self.s.len());
        let text: String = self.s.get(from..to).unwrap_or_default().iter().collect();
        format!("{text}: {what}")
    }
}

/// What a word designator picked.
enum Designated {
    /// There was none: the whole event.
    None,
    /// These words, joined by spaces.
    Words(String),
    /// It names words the event does not have.
    Bad,
}

/// The end of a word range whose start is `first`, from `*j`: `^`, `*`
/// (the last word), `-n`, `-$`, `-^`, `-` alone (all but the last word,
/// as -1), or nothing (just `first`).
fn range_end(s: &[char], j: &mut usize, first: i64) -> i64 {
    match s.get(*j) {
        Some('^') => {
            *j += 1;
            1
        }
        Some('*') => {
            *j += 1;
            LAST
        }
        Some('-') => {
            *j += 1;
            match s.get(*j) {
                Some(c) if c.is_ascii_digit() => number(s, j),
                Some('$') => {
                    *j += 1;
                    LAST
                }
                Some('^') => {
                    *j += 1;
                    1
                }
                _ => -1,
            }
        }
        _ => first,
    }
}

/// The decimal number at `*j`.
fn number(s: &[char], j: &mut usize) -> i64 {
    let mut n: i64 = 0;
    while let Some(d) = s.get(*j).and_then(|c| c.to_digit(10)) {
        n = n.saturating_mul(10).saturating_add(i64::from(d));
        *j += 1;
    }
    n
}

/// `:t` (the last part of a path), `:h` (all but it), `:r` (all but a
/// suffix), `:e` (the suffix).
fn path_modifier(text: &mut Vec<char>, modifier: char) {
    let mark = if matches!(modifier, 't' | 'h') {
        '/'
    } else {
        '.'
    };
    let Some(at) = text.iter().rposition(|&c| c == mark) else {
        return;
    };
    match modifier {
        't' => drop(text.drain(..=at)),
        'e' => drop(text.drain(..at)),
        _ => text.truncate(at),
    }
}

/// The text up to the next unescaped `delimiter` (a backslash before it
/// is dropped); `*i` ends after the delimiter.
fn pattern(s: &[char], i: &mut usize, delimiter: char) -> Vec<char> {
    let mut out = Vec::new();
    while let Some(&c) = s.get(*i) {
        if c == delimiter {
            *i += 1;
            break;
        }
        if c == '\\' && s.get(*i + 1) == Some(&delimiter) {
            *i += 1;
            out.push(delimiter);
        } else {
            out.push(c);
        }
        *i += 1;
    }
    out
}

/// Replaces the first (every, when `global`) `lhs` in `text` with `rhs`;
/// false when there was none.
fn substitute(text: &mut Vec<char>, lhs: &[char], rhs: &[char], global: bool) -> bool {
    let mut found = false;
    let mut at = 0;
    while at + lhs.len() <= text.len() {
        if text[at..].starts_with(lhs) {
            text.splice(at..at + lhs.len(), rhs.iter().copied());
            found = true;
            if !global {
                break;
            }
            at += rhs.len();
            continue;
        }
        at += 1;
    }
    found
}

/// Words `first` to `last` of `line` (negative: counted from the end;
/// [`LAST`]: the last word), or `None` when it has no such words.
fn words(line: &str, first: i64, last: i64) -> Option<String> {
    let list = tokenize(line);
    let len = list.len() as i64;
    let resolve = |n: i64| match n {
        LAST => len - 1,
        n if n < 0 => len + n - 1,
        n => n,
    };
    let first = resolve(first);
    let last = resolve(last) + 1;
    if first >= len || last > len || first < 0 || last < 0 || first > last {
        return None;
    }
    Some(list[first as usize..last as usize].join(" "))
}

/// The word of `line` that holds the byte at `at`.
fn word_at(line: &str, at: usize) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let index = line[..at].chars().count();
    spans(&chars)
        .into_iter()
        .find(|&(start, end)| start <= index && index < end)
        .map(|(start, end)| chars[start..end].iter().collect())
}

/// The words of `line`, split as the shell splits them.
pub fn tokenize(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    spans(&chars)
        .into_iter()
        .map(|(start, end)| chars[start..end].iter().collect())
        .collect()
}

/// Where each word of `s` starts and ends (readline's
/// `history_tokenize_internal`).
fn spans(s: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < s.len() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
            i += 1;
        }
        if i >= s.len() || s[i] == '#' {
            return out;
        }
        let start = i;
        i = word_end(s, start);
        if i == start {
            i += 1;
            while i < s.len() && WORD_DELIMITERS.contains(s[i]) {
                i += 1;
            }
        }
        out.push((start, i));
    }
}

/// The end of the word starting at `i` (readline's
/// `history_tokenize_word`): an operator, or a word whose quotes,
/// substitutions and extended patterns are kept whole.
fn word_end(s: &[char], mut i: usize) -> usize {
    let at = |k: usize| s.get(k).copied().unwrap_or('\0');
    let mut delimiter = '\0';
    let mut nest = 0;
    if "()\n".contains(at(i)) {
        return i + 1;
    }
    if at(i).is_ascii_digit() {
        let mut j = i;
        while at(j).is_ascii_digit() {
            j += 1;
        }
        if j >= s.len() {
            return j;
        }
        i = j;
        if at(j) != '<' && at(j) != '>' {
            return word_rest(s, i, delimiter, nest);
        }
    }
    let c = at(i);
    if "<>;&|".contains(c) && c != '\0' {
        let peek = at(i + 1);
        if peek == c {
            if peek == '<' && (at(i + 2) == '-' || at(i + 2) == '<') {
                i += 1;
            }
            return i + 2;
        } else if peek == '&' && (c == '>' || c == '<') {
            let mut j = i + 2;
            while at(j).is_ascii_digit() {
                j += 1;
            }
            if at(j) == '-' {
                j += 1;
            }
            return j;
        } else if (peek == '>' && c == '&') || (peek == '|' && c == '>') {
            return i + 2;
        } else if peek == '(' && (c == '>' || c == '<') {
            i += 2;
            delimiter = ')';
            nest = 1;
            return word_rest(s, i, delimiter, nest);
        }
        return i + 1;
    }
    word_rest(s, i, delimiter, nest)
}

/// The rest of a word from `i`, inside `delimiter` (`nest` levels of
/// parentheses when it is `)`).
fn word_rest(s: &[char], mut i: usize, mut delimiter: char, mut nest: usize) -> usize {
    let quotes = "\"'`";
    if delimiter == '\0' && i < s.len() && quotes.contains(s[i]) {
        delimiter = s[i];
        i += 1;
    }
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '\\' && next == Some('\n') {
            i += 2;
            continue;
        }
        if c == '\\' && delimiter != '\'' && (delimiter != '"' || "\\`\"$".contains(c)) {
            i += 2;
            continue;
        }
        if nest > 0 && c == '(' {
            nest += 1;
        } else if nest > 0 && c == ')' {
            nest -= 1;
            if nest == 0 {
                delimiter = '\0';
            }
        } else if nest == 0 && delimiter != '\0' && c == delimiter {
            delimiter = '\0';
        } else if nest == 0 && delimiter == '\0' && "<>$!@?+*".contains(c) && next == Some('(') {
            i += 2;
            delimiter = ')';
            nest = 1;
            continue;
        } else if delimiter == '\0' && WORD_DELIMITERS.contains(c) {
            break;
        } else if delimiter == '\0' && quotes.contains(c) {
            delimiter = c;
        }
        i += 1;
    }
    i.min(s.len())
}

/// `text` in single quotes (`:q`).
fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// `text` in single quotes, broken into words at blanks (`:x`).
fn quote_breaks(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\'' => out.push_str(r"'\''"),
            ' ' | '\t' | '\n' => {
                out.push('\'');
                out.push(c);
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Expanded {
        Expanded::Line {
            text: text.to_string(),
            print_only: false,
        }
    }

    fn run(text: &str, h: &[String]) -> Result<Expanded, String> {
        expand(text, &Events::plain(h), &mut Memory::default())
    }

    #[test]
    fn events_words_and_modifiers() {
        let h: Vec<String> = ["echo a b c", "ls /usr/lib/x.tar", "cat f"]
            .map(String::from)
            .to_vec();
        assert_eq!(run("!!", &h), Ok(line("cat f")));
        assert_eq!(run("echo !$ !^", &h), Ok(line("echo f f")));
        assert_eq!(
            run("x !1:2-3 !-2:$:h !?x.t?:1:t", &h),
            Ok(line("x b c /usr/lib x.tar"))
        );
        assert_eq!(run("!ec:*", &h), Ok(line("a b c")));
        assert_eq!(run("!ls:1:r:s/usr/opt/", &h), Ok(line("/opt/lib/x")));
        assert_eq!(run("^f^g", &h), Ok(line("cat g")));
        assert_eq!(run("echo '!!' a! != \\!x", &h), Ok(Expanded::Same));
        assert_eq!(run("echo $!x ${!p}", &h), Ok(Expanded::Same));
        assert_eq!(
            run("!!:p", &h),
            Ok(Expanded::Line {
                text: "cat f".into(),
                print_only: true
            })
        );
        assert_eq!(run("!nope", &h), Err("!nope: event not found".to_string()));
        assert_eq!(
            run("!!:z", &h),
            Err("z: unrecognized history modifier".to_string())
        );
        assert_eq!(
            run("echo !1:q !1:x", &h),
            Ok(line("echo 'echo a b c' 'echo' 'a' 'b' 'c'"))
        );
    }

    #[test]
    fn words_split_as_the_shell_does() {
        assert_eq!(
            tokenize("echo /$(echo tmp)/x 2>/dev/null a|b \"c d\""),
            [
                "echo",
                "/$(echo tmp)/x",
                "2>",
                "/dev/null",
                "a",
                "|",
                "b",
                "\"c d\""
            ]
        );
    }

    #[test]
    fn quoting_rules() {
        let h = vec!["echo a".to_string()];
        assert_eq!(
            run("echo \"!!\" \"$(echo '!!')\"", &h),
            Ok(line("echo \"echo a\" \"$(echo '!!')\""))
        );
        assert_eq!(run("echo \"!\" [!a] !; x", &h), Ok(Expanded::Same));
        assert_eq!(
            run("echo \"'!'\"", &h),
            Err("!': event not found".to_string())
        );
    }
}
