//! Shell pattern matching, the one matcher of `case`, `${x#p}`, `${x/p/r}`,
//! `[[ x == p ]]` and pathname expansion: `*`, `?`, bracket expressions with
//! ranges, `!`/`^` negation and `[:class:]`, and with
//! [`MatchOptions::extglob`] bash's groups `?(a|b)`, `*(…)`, `+(…)`, `@(…)`
//! and `!(…)`, nested to any depth.
//!
//! Patterns arrive as text where a backslash quotes the next character:
//! the expander escapes every character that was quoted in the source.
//!
//! A pattern without groups is matched by the classic greedy walk that
//! remembers the last `*`. Everything else works on *sets of positions*:
//! each element of a pattern takes the positions where it may start to the
//! positions where it may end, so backtracking (`*(a|ab)c`) is exact and the
//! cost stays polynomial; what one group alternative matches from one
//! position is computed once per match.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// How a pattern is read and matched (bash `shopt` options and context).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatchOptions {
    /// `?(…)`, `*(…)`, `+(…)`, `@(…)` and `!(…)` are groups (`extglob`).
    pub extglob: bool,
    /// Letters match either case (`nocasematch`, `nocaseglob`).
    pub nocase: bool,
    /// A `.` that starts the text is matched only by a literal `.`: no
    /// wildcard, bracket expression or `!(…)` covers it (file names without
    /// `dotglob`).
    pub leading_dot: bool,
}

/// One element of a compiled pattern.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Literal(char),
    AnyChar,
    AnyString,
    Bracket {
        negated: bool,
        items: Vec<BracketItem>,
    },
    Group {
        op: GroupOp,
        alternatives: Vec<Alternative>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum BracketItem {
    Char(char),
    Range(char, char),
    Class(String),
}

/// What an extglob group matches of its alternatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupOp {
    /// `?(…)`: zero or one.
    Optional,
    /// `*(…)`: zero or more.
    Star,
    /// `+(…)`: one or more.
    Plus,
    /// `@(…)`: exactly one.
    One,
    /// `!(…)`: anything that none of them matches.
    Not,
}

/// One `|`-separated sub-pattern of a group; `id` numbers it within the
/// pattern (the key of the memo).
#[derive(Debug, Clone, PartialEq)]
struct Alternative {
    id: usize,
    tokens: Vec<Token>,
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    tokens: Vec<Token>,
    options: MatchOptions,
    /// How many group alternatives there are (0: no groups).
    alternatives: usize,
}

/// Groups nested deeper than this are read as plain characters, which
/// keeps the recursion of reading and matching bounded.
const MAX_GROUP_DEPTH: usize = 64;

/// Quotes every pattern-special character of `text` with a backslash, so
/// that it matches only itself (also inside an extglob group).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '*' | '?' | '[' | ']' | '\\' | '!' | '^' | '-' | '(' | ')' | '|' | '@' | '+'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Removes the backslash quoting of a pattern text.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            } else {
                out.push('\\');
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl Pattern {
    /// Compiles a pattern text with the default options (no extglob).
    pub fn new(text: &str) -> Pattern {
        Pattern::with_options(text, MatchOptions::default())
    }

    /// Compiles a pattern text.
    pub fn with_options(text: &str, options: MatchOptions) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let mut reader = Reader {
            chars: &chars,
            i: 0,
            extglob: options.extglob,
            depth: 0,
            alternatives: 0,
            last_close: chars.iter().rposition(|&c| c == ']'),
        };
        let tokens = reader.sequence(false);
        Pattern {
            tokens,
            options,
            alternatives: reader.alternatives,
        }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        if self.alternatives == 0 {
            return self.matches_plain(&chars);
        }
        let mut search = Search::new(&chars, self.options);
        search
            .sequence(&self.tokens, Positions::one(0))
            .contains(chars.len())
    }

    /// Whether the pattern is a plain string (no wildcards).
    pub fn is_literal(&self) -> bool {
        self.tokens.iter().all(|t| matches!(t, Token::Literal(_)))
    }

    /// The greedy walk for a pattern without groups: on a mismatch, the
    /// last `*` takes one more character.
    fn matches_plain(&self, text: &[char]) -> bool {
        let toks = &self.tokens;
        if self.options.leading_dot
            && text.first() == Some(&'.')
            && toks.first() != Some(&Token::Literal('.'))
        {
            return false;
        }
        let nocase = self.options.nocase;
        let (mut t, mut s) = (0usize, 0usize);
        let mut star: Option<(usize, usize)> = None;
        while s < text.len() {
            if t < toks.len() {
                match &toks[t] {
                    Token::AnyString => {
                        star = Some((t, s));
                        t += 1;
                        continue;
                    }
                    tok if single_matches(tok, text[s], nocase) => {
                        t += 1;
                        s += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            match star {
                Some((st, ss)) => {
                    t = st + 1;
                    s = ss + 1;
                    star = Some((st, ss + 1));
                }
                None => return false,
            }
        }
        toks[t..].iter().all(|tok| *tok == Token::AnyString)
    }

    /// Where matches of the whole pattern starting at char index `start`
    /// may end.
    fn ends_from(&self, search: &mut Search<'_>, start: usize) -> Positions {
        search.sequence(&self.tokens, Positions::one(start))
    }

    /// Byte length of the shortest (or longest) prefix of `text` that matches.
    pub fn match_prefix(&self, text: &str, longest: bool) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut search = Search::new(&chars, self.options);
        let found = self.ends_from(&mut search, 0);
        let n = if longest {
            found.last(chars.len())
        } else {
            found.first()
        };
        n.map(|n| byte_offset(text, n))
    }

    /// Byte offset where the shortest (or longest) matching suffix starts.
    pub fn match_suffix(&self, text: &str, longest: bool) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let mut search = Search::new(&chars, self.options);
        let mut matches_from =
            |start: usize| self.ends_from(&mut search, start).contains(chars.len());
        let start = if longest {
            (0..=chars.len()).find(|&s| matches_from(s))
        } else {
            (0..=chars.len()).rev().find(|&s| matches_from(s))
        };
        start.map(|n| byte_offset(text, n))
    }

    /// The matches `${x/p/r}` (`all`: `${x//p/r}`) replaces, as byte
    /// ranges: the leftmost, then longest, match; with `all`, again after
    /// its end (one character on after an empty match) until the end of
    /// the text. The text is
    /// decoded and searched once for all of them, so replacing every match
    /// costs a walk of the text, not one per match.
    pub fn find_all(&self, text: &str, all: bool) -> Vec<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let mut offsets = Offsets::new(text);
        let mut search = Search::new(&chars, self.options);
        let mut found = Vec::new();
        let mut from = 0;
        while from <= chars.len() {
            let next = (from..=chars.len()).find_map(|start| {
                let end = self.ends_from(&mut search, start).last(chars.len())?;
                Some((start, end))
            });
            let Some((start, end)) = next else {
                break;
            };
            found.push((offsets.at(start), offsets.at(end)));
            from = if end == start { start + 1 } else { end };
            // bash stops at the end of the text: no empty match there
            // after another (`${x//*/r}` is one `r`).
            if !all || from >= chars.len() {
                break;
            }
        }
        found
    }
}

/// Reads a pattern text into tokens.
struct Reader<'a> {
    chars: &'a [char],
    i: usize,
    extglob: bool,
    /// Groups open around the current position.
    depth: usize,
    /// Alternatives numbered so far.
    alternatives: usize,
    /// Where the last `]` is: a `[` after it opens no bracket expression,
    /// known without a search (a pattern of many `[` stays linear).
    last_close: Option<usize>,
}

impl Reader<'_> {
    /// Tokens up to the end of the text or, in a group, up to the `|` or
    /// `)` that ends the alternative. Inside a group a plain `(` nests:
    /// up to its `)`, `|` and `)` are ordinary characters (as in bash).
    fn sequence(&mut self, in_group: bool) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut parens = 0usize;
        while let Some(&c) = self.chars.get(self.i) {
            if in_group && parens == 0 && (c == '|' || c == ')') {
                break;
            }
            if self.starts_group(c) {
                match self.group(c) {
                    Some(group) => tokens.push(group),
                    // bash compares the rest of an unclosed group's pattern
                    // as plain text, its prefix character included.
                    None => self.rest_as_text(&mut tokens),
                }
                continue;
            }
            self.i += 1;
            match c {
                '\\' => {
                    let quoted = self.chars.get(self.i).copied();
                    self.i += usize::from(quoted.is_some());
                    tokens.push(Token::Literal(quoted.unwrap_or('\\')));
                }
                '*' => {
                    if tokens.last() != Some(&Token::AnyString) {
                        tokens.push(Token::AnyString);
                    }
                }
                '?' => tokens.push(Token::AnyChar),
                '[' if self.last_close.is_none_or(|end| end < self.i) => {
                    tokens.push(Token::Literal('['));
                }
                '[' => match parse_bracket(self.chars, self.i) {
                    Some((token, next)) => {
                        tokens.push(token);
                        self.i = next;
                    }
                    None => tokens.push(Token::Literal('[')),
                },
                '(' if in_group => {
                    parens += 1;
                    tokens.push(Token::Literal('('));
                }
                ')' if in_group => {
                    parens -= 1;
                    tokens.push(Token::Literal(')'));
                }
                _ => tokens.push(Token::Literal(c)),
            }
        }
        tokens
    }

    /// Whether an extglob group starts here.
    fn starts_group(&self, c: char) -> bool {
        self.extglob
            && self.depth < MAX_GROUP_DEPTH
            && matches!(c, '?' | '*' | '+' | '@' | '!')
            && self.chars.get(self.i + 1) == Some(&'(')
    }

    /// The group whose prefix character is at the current position; `None`
    /// (and the position unchanged) when it has no closing `)`.
    fn group(&mut self, prefix: char) -> Option<Token> {
        let start = self.i;
        self.i += 2;
        self.depth += 1;
        let mut alternatives = Vec::new();
        let closed = loop {
            let tokens = self.sequence(true);
            alternatives.push(Alternative {
                id: self.alternatives,
                tokens,
            });
            self.alternatives += 1;
            match self.chars.get(self.i) {
                Some('|') => self.i += 1,
                Some(')') => {
                    self.i += 1;
                    break true;
                }
                _ => break false,
            }
        };
        self.depth -= 1;
        if !closed {
            self.i = start;
            return None;
        }
        let op = match prefix {
            '?' => GroupOp::Optional,
            '*' => GroupOp::Star,
            '+' => GroupOp::Plus,
            '@' => GroupOp::One,
            _ => GroupOp::Not,
        };
        Some(Token::Group { op, alternatives })
    }

    /// The rest of the text as literal characters (backslashes removed).
    fn rest_as_text(&mut self, tokens: &mut Vec<Token>) {
        while let Some(&c) = self.chars.get(self.i) {
            self.i += 1;
            let c = match (c, self.chars.get(self.i)) {
                ('\\', Some(&quoted)) => {
                    self.i += 1;
                    quoted
                }
                _ => c,
            };
            tokens.push(Token::Literal(c));
        }
    }
}

/// A set of char positions in a text of length `n`: the positions in
/// `list` (sorted, all below `tail`) and every position from `tail` to `n`.
/// A `*` makes a tail, so "anything from here on" costs nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Positions {
    list: Vec<usize>,
    tail: Option<usize>,
}

impl Positions {
    fn one(p: usize) -> Positions {
        Positions {
            list: vec![p],
            tail: None,
        }
    }

    fn starting_at(p: usize) -> Positions {
        Positions {
            list: Vec::new(),
            tail: Some(p),
        }
    }

    /// A set from any positions (unsorted, with repeats) and a tail.
    fn build(mut list: Vec<usize>, tail: Option<usize>) -> Positions {
        if let Some(t) = tail {
            list.retain(|&p| p < t);
        }
        list.sort_unstable();
        list.dedup();
        Positions { list, tail }
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty() && self.tail.is_none()
    }

    fn contains(&self, p: usize) -> bool {
        self.tail.is_some_and(|t| p >= t) || self.list.binary_search(&p).is_ok()
    }

    fn first(&self) -> Option<usize> {
        self.list.first().copied().or(self.tail)
    }

    /// The largest position, given the length of the text.
    fn last(&self, n: usize) -> Option<usize> {
        match self.tail {
            Some(t) if t <= n => Some(n),
            _ => self.list.last().copied(),
        }
    }

    /// Every position, in order.
    fn iter(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        let tail = self.tail.into_iter().flat_map(move |t| t..=n);
        self.list.iter().copied().chain(tail)
    }
}

/// Collects sets into one.
#[derive(Default)]
struct Union {
    list: Vec<usize>,
    tail: Option<usize>,
}

impl Union {
    fn add(&mut self, set: &Positions) {
        self.list.extend_from_slice(&set.list);
        if let Some(t) = set.tail {
            self.tail = Some(self.tail.map_or(t, |old| old.min(t)));
        }
    }

    fn finish(self) -> Positions {
        Positions::build(self.list, self.tail)
    }
}

/// Memo entries (positions stored) beyond which results are recomputed
/// rather than kept, so that a long text cannot use unbounded memory.
const MEMO_LIMIT: usize = 1 << 20;

/// The state of matching one pattern against one text.
struct Search<'a> {
    text: &'a [char],
    options: MatchOptions,
    /// (alternative id, start) → where that alternative's matches end.
    memo: HashMap<(usize, usize), Rc<Positions>>,
    memo_size: usize,
}

impl<'a> Search<'a> {
    fn new(text: &'a [char], options: MatchOptions) -> Search<'a> {
        Search {
            text,
            options,
            memo: HashMap::new(),
            memo_size: 0,
        }
    }

    /// Where `tokens` may end when they start at any of `start`.
    fn sequence(&mut self, tokens: &[Token], start: Positions) -> Positions {
        let mut cur = start;
        for token in tokens {
            if cur.is_empty() {
                break;
            }
            cur = self.step(token, &cur);
        }
        cur
    }

    /// A leading `.` that only a literal `.` may match, at position `p`.
    fn hidden_dot(&self, p: usize) -> bool {
        self.options.leading_dot && p == 0 && self.text.first() == Some(&'.')
    }

    fn step(&mut self, token: &Token, cur: &Positions) -> Positions {
        let n = self.text.len();
        match token {
            Token::AnyString => match cur.iter(n).find(|&p| !self.hidden_dot(p)) {
                Some(p) => Positions::starting_at(p),
                None => Positions::default(),
            },
            // Repetition from many starts is one closure over all of them.
            Token::Group {
                op: op @ (GroupOp::Star | GroupOp::Plus),
                alternatives,
            } => self.repeated(alternatives, cur, *op == GroupOp::Star),
            Token::Group { op, alternatives } => {
                let mut all = Union::default();
                for p in cur.iter(n) {
                    all.add(&self.group(*op, alternatives, p));
                }
                all.finish()
            }
            single => {
                let wildcard = !matches!(single, Token::Literal(_));
                let list = cur
                    .iter(n)
                    .filter(|&p| {
                        p < n
                            && !(wildcard && self.hidden_dot(p))
                            && single_matches(single, self.text[p], self.options.nocase)
                    })
                    .map(|p| p + 1)
                    .collect();
                Positions { list, tail: None }
            }
        }
    }

    /// Where a `?(…)`, `@(…)` or `!(…)` group starting at `p` may end.
    fn group(&mut self, op: GroupOp, alternatives: &[Alternative], p: usize) -> Positions {
        match op {
            GroupOp::One => self.any_of(alternatives, p),
            GroupOp::Optional => {
                let mut all = Union::default();
                all.add(&Positions::one(p));
                all.add(&self.any_of(alternatives, p));
                all.finish()
            }
            GroupOp::Not => self.none_of(alternatives, p),
            GroupOp::Star | GroupOp::Plus => {
                let zero = op == GroupOp::Star;
                self.repeated(alternatives, &Positions::one(p), zero)
            }
        }
    }

    /// Where one of the alternatives, starting at `p`, may end.
    fn any_of(&mut self, alternatives: &[Alternative], p: usize) -> Positions {
        let mut all = Union::default();
        for alternative in alternatives {
            all.add(&self.alternative(alternative, p));
        }
        all.finish()
    }

    fn alternative(&mut self, alternative: &Alternative, p: usize) -> Rc<Positions> {
        let key = (alternative.id, p);
        if let Some(known) = self.memo.get(&key) {
            return Rc::clone(known);
        }
        let ends = Rc::new(self.sequence(&alternative.tokens, Positions::one(p)));
        if self.memo_size < MEMO_LIMIT {
            self.memo_size += ends.list.len() + 1;
            self.memo.insert(key, Rc::clone(&ends));
        }
        ends
    }

    /// `*(…)` (`zero`) and `+(…)`: the positions reachable from any of
    /// `starts` by (zero or) one or more matches of the alternatives, one
    /// after the other.
    fn repeated(
        &mut self,
        alternatives: &[Alternative],
        starts: &Positions,
        zero: bool,
    ) -> Positions {
        let n = self.text.len();
        // Matches only go forward: whatever follows a position in the tail
        // is in the tail too, so a tail needs no further work.
        let mut tail = if zero { starts.tail } else { None };
        let mut reached = BTreeSet::new();
        let mut work = Vec::new();
        for p in starts.iter(n) {
            if tail.is_some_and(|t| p >= t) {
                break;
            }
            work.push(p);
            if zero {
                reached.insert(p);
            }
        }
        while let Some(q) = work.pop() {
            let ends = self.any_of(alternatives, q);
            if let Some(t) = ends.tail {
                tail = Some(tail.map_or(t, |old| old.min(t)));
            }
            for &e in &ends.list {
                if tail.is_none_or(|t| e < t) && reached.insert(e) {
                    work.push(e);
                }
            }
        }
        Positions::build(reached.into_iter().collect(), tail)
    }

    /// `!(…)`: the positions `e` from `p` such that no alternative matches
    /// the text from `p` to `e`.
    fn none_of(&mut self, alternatives: &[Alternative], p: usize) -> Positions {
        if self.hidden_dot(p) {
            return Positions::default();
        }
        let n = self.text.len();
        let matched = self.any_of(alternatives, p);
        let (upto, tail) = match (matched.tail, matched.list.last()) {
            (Some(t), _) => (t, None),
            (None, Some(&last)) => (last + 1, Some(last + 1)),
            (None, None) => (p, Some(p)),
        };
        let list = (p..upto.min(n + 1))
            .filter(|&e| !matched.contains(e))
            .collect();
        Positions::build(list, tail.filter(|&t| t <= n))
    }
}

/// Byte offset of each char index, plus the total length at the end.
/// The byte offset of character `n` of `text` (its length for `n` at the
/// end): computed when needed rather than kept for every character, which
/// would cost eight bytes per byte of a long value.
fn byte_offset(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// Byte offsets of ascending character positions, walking the text once.
struct Offsets<'a> {
    text: &'a str,
    /// The last position asked for and its byte offset.
    char_pos: usize,
    byte_pos: usize,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Offsets<'a> {
        Offsets {
            text,
            char_pos: 0,
            byte_pos: 0,
        }
    }

    /// The byte offset of character `n`, not before the last one asked.
    fn at(&mut self, n: usize) -> usize {
        let rest = &self.text[self.byte_pos..];
        let skip = n.saturating_sub(self.char_pos);
        self.byte_pos += rest.char_indices().nth(skip).map_or(rest.len(), |(i, _)| i);
        self.char_pos = self.char_pos.max(n);
        self.byte_pos
    }
}

/// The one lower-case form of `c`, when it has one.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn single_matches(token: &Token, c: char, nocase: bool) -> bool {
    match token {
        Token::Literal(l) => *l == c || (nocase && fold(*l) == fold(c)),
        Token::AnyChar => true,
        Token::AnyString | Token::Group { .. } => false,
        Token::Bracket { negated, items } => {
            let hit = if nocase {
                let f = fold(c);
                items.iter().any(|item| match item {
                    BracketItem::Char(x) => fold(*x) == f,
                    BracketItem::Range(a, b) => fold(*a) <= f && f <= fold(*b),
                    BracketItem::Class(name) => class_matches(name, c),
                })
            } else {
                items.iter().any(|item| match item {
                    BracketItem::Char(x) => *x == c,
                    BracketItem::Range(a, b) => *a <= c && c <= *b,
                    BracketItem::Class(name) => class_matches(name, c),
                })
            };
            hit != *negated
        }
    }
}

fn class_matches(name: &str, c: char) -> bool {
    match name {
        "alpha" => c.is_alphabetic(),
        "digit" => c.is_ascii_digit(),
        "alnum" => c.is_alphanumeric(),
        "upper" => c.is_uppercase(),
        "lower" => c.is_lowercase(),
        "space" => c.is_whitespace(),
        "blank" => c == ' ' || c == '\t',
        "punct" => c.is_ascii_punctuation(),
        "print" => !c.is_control(),
        "graph" => !c.is_control() && !c.is_whitespace(),
        "cntrl" => c.is_control(),
        "xdigit" => c.is_ascii_hexdigit(),
        "ascii" => c.is_ascii(),
        _ => false,
    }
}

/// `[.x.]` (a collating symbol) or `[=x=]` (an equivalence class) at
/// `i`: its one character (`None` for a longer name) and the index after
/// it. In the C and UTF-8 locales each stands for the character itself.
fn collating_element(chars: &[char], i: usize) -> Option<(Option<char>, usize)> {
    let delim = *chars.get(i + 1).filter(|&&d| d == '.' || d == '=')?;
    // The element may itself be `]` (`[[.].]]`): search from after it, up
    // to the next `]` (a name holds none), so the search stays short.
    let start = i + 2;
    let mut end = None;
    for j in start + 1..chars.len().saturating_sub(1) {
        if chars[j] == delim && chars[j + 1] == ']' {
            end = Some(j);
            break;
        }
        if chars[j] == ']' {
            return None;
        }
    }
    let end = end?;
    let element = match &chars[start..end] {
        [one] => Some(*one),
        name => named_character(&name.iter().collect::<String>()),
    };
    Some((element, end + 2))
}

/// A character by its POSIX portable-character-set name (`[.hyphen.]`).
fn named_character(name: &str) -> Option<char> {
    const NAMES: &[(&str, char)] = &[
        ("NUL", '\0'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("carriage-return", '\r'),
        ("space", ' '),
        ("exclamation-mark", '!'),
        ("quotation-mark", '"'),
        ("number-sign", '#'),
        ("dollar-sign", '$'),
        ("percent-sign", '%'),
        ("ampersand", '&'),
        ("apostrophe", '\''),
        ("left-parenthesis", '('),
        ("right-parenthesis", ')'),
        ("asterisk", '*'),
        ("plus-sign", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("hyphen-minus", '-'),
        ("period", '.'),
        ("full-stop", '.'),
        ("slash", '/'),
        ("solidus", '/'),
        ("zero", '0'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less-than-sign", '<'),
        ("equals-sign", '='),
        ("greater-than-sign", '>'),
        ("question-mark", '?'),
        ("commercial-at", '@'),
        ("left-square-bracket", '['),
        ("backslash", '\\'),
        ("reverse-solidus", '\\'),
        ("right-square-bracket", ']'),
        ("circumflex", '^'),
        ("underscore", '_'),
        ("low-line", '_'),
        ("grave-accent", '`'),
        ("left-brace", '{'),
        ("left-curly-bracket", '{'),
        ("vertical-line", '|'),
        ("right-brace", '}'),
        ("right-curly-bracket", '}'),
        ("tilde", '~'),
    ];
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// The name of a `[:name:]` class whose name starts at `i`, and the index
/// after its `:]`. A name is letters only (`[:alpha:]`); anything else is
/// no class, so the search never runs past the name.
fn class_name(chars: &[char], i: usize) -> Option<(String, usize)> {
    let len = chars[i.min(chars.len())..]
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .count();
    let end = i + len;
    (chars.get(end) == Some(&':') && chars.get(end + 1) == Some(&']'))
        .then(|| (chars[i..end].iter().collect(), end + 2))
}

/// Parses a bracket expression starting just after `[`; returns the token
/// and the index after `]`, or `None` when there is no closing `]`.
fn parse_bracket(chars: &[char], mut i: usize) -> Option<(Token, usize)> {
    let mut negated = false;
    if matches!(chars.get(i), Some('!') | Some('^')) {
        negated = true;
        i += 1;
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            return Some((Token::Bracket { negated, items }, i + 1));
        }
        first = false;
        let (lo, next) = if c == '[' && chars.get(i + 1) == Some(&':') {
            if let Some((name, after)) = class_name(chars, i + 2) {
                items.push(BracketItem::Class(name));
                i = after;
                continue;
            }
            ('[', i + 1)
        } else if let Some((element, after)) = collating_element(chars, i) {
            match element {
                Some(one) => (one, after),
                None => {
                    // A multi-character element this matcher does not
                    // know: it matches nothing, as in a locale without it.
                    items.push(BracketItem::Class(String::new()));
                    i = after;
                    continue;
                }
            }
        } else if c == '\\' {
            (*chars.get(i + 1)?, i + 2)
        } else {
            (c, i + 1)
        };
        i = next;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let (hi, after) = if chars.get(i + 1) == Some(&'\\') {
                (*chars.get(i + 2)?, i + 3)
            } else if let Some((end, after)) = collating_element(chars, i + 1) {
                // `[[.a.]-[.z.]]`: a collating symbol ends the range; one
                // this matcher does not know makes a range of nothing.
                let Some(one) = end else {
                    i = after;
                    continue;
                };
                (one, after)
            } else {
                (chars[i + 1], i + 2)
            };
            items.push(BracketItem::Range(lo, hi));
            i = after;
        } else {
            items.push(BracketItem::Char(lo));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unclosed_brackets_and_classes_are_text() {
        assert!(Pattern::new("[[:[[:").matches("[[:[[:"));
        assert!(Pattern::new("[[:foo:]a]").matches("a"));
        assert!(Pattern::new("[[:a:b]").matches(":"));
        assert!(Pattern::new("[[:alpha:]]").matches("b"));
        let many = "[[:".repeat(4000);
        assert!(Pattern::new(&many).matches(&many));
    }

    #[test]
    fn star_question_and_brackets() {
        let cases = [
            ("*", "", true),
            ("a*c", "abbbc", true),
            ("a*c", "abbb", false),
            ("?", "x", true),
            ("?", "", false),
            ("[a-c]x", "bx", true),
            ("[!a-c]x", "bx", false),
            ("[[:digit:]]*", "7up", true),
            ("\\*", "*", true),
            ("\\*", "a", false),
            ("[]]", "]", true),
            ("[", "[", true),
            ("*.rs", "main.rs", true),
        ];
        for (p, t, want) in cases {
            assert_eq!(Pattern::new(p).matches(t), want, "{p} vs {t}");
        }
    }

    #[test]
    fn prefix_and_suffix_lengths() {
        let p = Pattern::new("*/");
        assert_eq!(p.match_prefix("a/b/c", false), Some(2));
        assert_eq!(p.match_prefix("a/b/c", true), Some(4));
        let s = Pattern::new(".*");
        assert_eq!(s.match_suffix("f.tar.gz", false), Some(5));
        assert_eq!(s.match_suffix("f.tar.gz", true), Some(1));
    }

    /// Each (pattern, text) pair was checked against bash with
    /// `case 'text' in pattern) ...`; the pattern text uses the same
    /// backslash quoting as the source of a `case` pattern.
    #[test]
    fn matches_like_bash_case() {
        let cases: &[(&str, &str, bool)] = &[
            (r"\*", "*", true),
            (r"\*", "a", false),
            (r"\\", r"\", true),
            (r"\\", "a", false),
            (r"a\?c", "a?c", true),
            (r"a\?c", "abc", false),
            ("[]]", "]", true),
            ("[]]", "a", false),
            ("[]a]", "a", true),
            ("[]a]", "]", true),
            ("[]a]", "b", false),
            ("[!]]", "]", false),
            ("[!]]", "a", true),
            ("[^]]", "]", false),
            ("[^]]", "a", true),
            ("[]-a]", "_", true),
            ("[]-a]", "^", true),
            ("[]-a]", "b", false),
            ("[]-a]", "]", true),
            ("[a-c]", "b", true),
            ("[a-c]", "d", false),
            ("[a-c]", "-", false),
            ("[a-]", "-", true),
            ("[a-]", "a", true),
            ("[a-]", "b", false),
            ("[-a]", "-", true),
            ("[-a]", "a", true),
            ("[!a-c]", "d", true),
            ("[!a-c]", "b", false),
            ("[^a-c]", "d", true),
            ("[^a-c]", "b", false),
            ("[[:alpha:]]", "a", true),
            ("[[:alpha:]]", "1", false),
            ("[[:alpha:][:digit:]]", "1", true),
            ("[[:alpha:][:digit:]]", "a", true),
            ("[[:alpha:][:digit:]]", "-", false),
            ("[![:alpha:]]", "1", true),
            ("[![:alpha:]]", "a", false),
            ("[[:upper:]]", "A", true),
            ("[[:upper:]]", "a", false),
            ("[[:lower:]]", "a", true),
            ("[[:lower:]]", "A", false),
            ("[[:space:]]", " ", true),
            ("[[:space:]]", "\t", true),
            ("[[:space:]]", "a", false),
            ("[[:blank:]]", " ", true),
            ("[[:blank:]]", "\t", true),
            ("[[:blank:]]", "\n", false),
            ("[[:punct:]]", "!", true),
            ("[[:punct:]]", "a", false),
            ("[[:xdigit:]]", "f", true),
            ("[[:xdigit:]]", "g", false),
            ("[[:xdigit:]]", "F", true),
            ("[[:alnum:]_]", "_", true),
            ("[[.a.]]", "a", true),
            ("[[.a.]]", "b", false),
            ("[[=a=]]", "a", true),
            ("[[.-.]]", "-", true),
            ("[[.a.]-c]", "b", true),
            ("[[.].]]", "]", true),
            ("[![.a.]]", "a", false),
            ("[[.space.]]", " ", true),
            ("[[.grave-accent.]]", " ", false),
            ("[[:alnum:]_]", "a", true),
            ("[[:alnum:]_]", "-", false),
            ("[[:digit:]]", "5", true),
            ("[[:digit:]]", "x", false),
            ("[[:bogus:]]", "b", false),
            ("[[:bogus:]]", "[", false),
            (r"[\]]", "]", true),
            (r"[\]]", r"\", false),
            (r"[\!a]", "!", true),
            (r"[\!a]", "a", true),
            (r"[\!a]", "b", false),
            (r"[a\-z]", "-", true),
            (r"[a\-z]", "b", false),
            (r"[a\-z]", "a", true),
            (r"[a\-z]", "z", true),
            ("[", "[", true),
            ("[a", "[a", true),
            ("[a", "a", false),
            ("a[", "a[", true),
            ("[!]", "[!]", true),
            ("[!]", "a", false),
            ("[]", "[]", true),
            ("*", "", true),
            ("*", "abc", true),
            ("**", "abc", true),
            ("a*b*c", "abxbc", true),
            ("a*b*c", "abxb", false),
            ("*a", "ba", true),
            ("*a", "ab", false),
            ("?*", "", false),
            ("?*", "x", true),
            ("*.txt", ".txt", true),
            ("*.txt", "a.txt", true),
            ("*.txt", "a.txt.gz", false),
            ("[.]", ".", true),
            (r"\[a]", "[a]", true),
            (r"\[a]", "a", false),
            ("[[]", "[", true),
            ("?", "é", true),
            ("?", "ab", false),
            ("[é]", "é", true),
            ("[é]", "e", false),
            (r"a\\", r"a\", true),
            (r"[\\]", r"\", true),
            (r"[a\]b]", "b", true),
            (r"[a\]b]", "]", true),
            (r"[a\]b]", r"\", false),
            ("[a-c][!x]?", "bya", true),
            ("[a-c][!x]?", "bxa", false),
            ("*[0-9]", "abc1", true),
            ("*[0-9]", "abc", false),
            ("[z-a]", "m", false),
            ("[z-a]", "z", false),
            ("[z-a]", "a", false),
            ("[*]", "*", true),
            ("[*]", "a", false),
            ("[?]", "?", true),
            ("[?]", "a", false),
            ("a*", "a", true),
            ("a*", "ba", false),
            ("*x*y*", "axbyc", true),
            ("*x*y*", "ayxb", false),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter(|(p, t, want)| Pattern::new(p).matches(t) != *want)
            .map(|(p, t, want)| format!("{p:?} vs {t:?}: want {want}"))
            .collect();
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn prefix_removal_offsets() {
        // x=abc; ${x#*} is abc, ${x##*} is empty, ${x#z} is abc
        let star = Pattern::new("*");
        assert_eq!(star.match_prefix("abc", false), Some(0));
        assert_eq!(star.match_prefix("abc", true), Some(3));
        assert_eq!(Pattern::new("z").match_prefix("abc", false), None);
        // x=aXbXc; ${x#*X} is bXc, ${x##*X} is c
        let p = Pattern::new("*X");
        assert_eq!(p.match_prefix("aXbXc", false), Some(2));
        assert_eq!(p.match_prefix("aXbXc", true), Some(4));
        // x='a\b'; ${x#a\\} is b
        assert_eq!(Pattern::new(r"a\\").match_prefix(r"a\b", false), Some(2));
        // x=é.txt; ${x#*.} is txt: the offset is in bytes
        assert_eq!(Pattern::new("*.").match_prefix("é.txt", false), Some(3));
        // an empty pattern matches the empty prefix
        assert_eq!(Pattern::new("").match_prefix("abc", true), Some(0));
    }

    #[test]
    fn suffix_removal_offsets() {
        // x='a*'; ${x%\*} is a
        assert_eq!(Pattern::new(r"\*").match_suffix("a*", false), Some(1));
        // x=aXbXc; ${x%X*} is aXb, ${x%%X*} is a
        let p = Pattern::new("X*");
        assert_eq!(p.match_suffix("aXbXc", false), Some(3));
        assert_eq!(p.match_suffix("aXbXc", true), Some(1));
        // x=abc123; ${x%[0-9]*} is abc12, ${x%%[0-9]*} is abc
        let d = Pattern::new("[0-9]*");
        assert_eq!(d.match_suffix("abc123", false), Some(5));
        assert_eq!(d.match_suffix("abc123", true), Some(3));
        // x=aaa; ${x%a*} is aa, ${x%%a*} is empty
        let a = Pattern::new("a*");
        assert_eq!(a.match_suffix("aaa", false), Some(2));
        assert_eq!(a.match_suffix("aaa", true), Some(0));
        // x=é.txt; ${x%.*} is é: the offset is in bytes
        assert_eq!(Pattern::new(".*").match_suffix("é.txt", false), Some(2));
        // ${x%} removes nothing; ${x%z} does not match
        assert_eq!(Pattern::new("").match_suffix("abc", false), Some(3));
        assert_eq!(Pattern::new("z").match_suffix("abc", true), None);
    }

    #[test]
    fn find_is_leftmost_then_longest() {
        // x=banana; ${x/an/X} is bXana, ${x/a*a/X} is bX,
        // ${x//an/X} is bXXa (the second search starts after the first)
        assert_eq!(Pattern::new("an").find_all("banana", false), [(1, 3)]);
        assert_eq!(Pattern::new("a*a").find_all("banana", false), [(1, 6)]);
        assert_eq!(
            Pattern::new("an").find_all("banana", true),
            [(1, 3), (3, 5)]
        );
        assert_eq!(Pattern::new("z").find_all("banana", true), []);
        // byte offsets with multi-byte characters
        assert_eq!(Pattern::new("b").find_all("éb", false), [(2, 3)]);
        // empty matches move one character on and stop at the end
        assert_eq!(Pattern::new("*").find_all("ab", true), [(0, 2)]);
        assert_eq!(Pattern::new("").find_all("", true), [(0, 0)]);
    }

    #[test]
    fn escape_round_trips() {
        for text in [
            "a*b",
            "[x]",
            r"back\slash",
            "!^-",
            "plain",
            "é?",
            "@(a|b)",
            "+(x)",
        ] {
            let escaped = escape(text);
            for options in [MatchOptions::default(), extglob()] {
                let pattern = Pattern::with_options(&escaped, options);
                assert!(pattern.matches(text), "{text:?}");
                assert!(pattern.is_literal(), "{text:?}");
            }
            assert_eq!(unescape(&escaped), text);
        }
        assert!(Pattern::new(r"a\*").is_literal());
        assert!(!Pattern::new("a*").is_literal());
        assert!(!Pattern::with_options("@(a)", extglob()).is_literal());
        assert!(Pattern::new("@(a)").is_literal());
    }

    fn extglob() -> MatchOptions {
        MatchOptions {
            extglob: true,
            ..MatchOptions::default()
        }
    }

    /// Each (pattern, text) pair was checked against bash with
    /// `p=PATTERN; [[ TEXT == $p ]]` (extglob is always on there).
    #[test]
    fn extglob_matches_like_bash() {
        let cases: &[(&str, &str, bool)] = &[
            (r"@(a|b)", "a", true),
            (r"@(a|b)", "b", true),
            (r"@(a|b)", "ab", false),
            (r"@(a|b)", "", false),
            (r"?(a|b)", "", true),
            (r"?(a|b)", "a", true),
            (r"?(a|b)", "aa", false),
            (r"*(a|b)", "", true),
            (r"*(a|b)", "abba", true),
            (r"*(a|b)", "abc", false),
            (r"+(a|b)", "", false),
            (r"+(a|b)", "abab", true),
            (r"!(a|b)", "", true),
            (r"!(a|b)", "a", false),
            (r"!(a|b)", "ab", true),
            (r"!(a|b)", "c", true),
            (r"*(a|ab)c", "ababc", true),
            (r"*(a|ab)c", "abac", true),
            (r"*(a|ab)c", "aabc", true),
            (r"*(a|ab)c", "abbc", false),
            (r"+(ab|a)b", "aab", true),
            (r"+(ab|a)b", "ab", true),
            (r"+(ab|a)b", "b", false),
            (r"a!(b)c", "abc", false),
            (r"a!(b)c", "ac", true),
            (r"a!(b)c", "abbc", true),
            (r"a!(b)*", "ab", true),
            (r"!(*.c)", "x.c", false),
            (r"!(*.c)", "x.h", true),
            (r"!(*.c)", ".c", false),
            (r"*(foo*)", "foofoo_foo__foo___", true),
            (r"*(foo*)", "Xoofoo", false),
            (r"--@(help|verbose=@(1|2))", "--verbose=2", true),
            (r"--@(help|verbose=@(1|2))", "--verbose=", false),
            (r"@(a(b)c)", "a(b)c", true),
            (r"@(a(b)c)", "abc", false),
            (r"@([|]|x)", "|", true),
            (r"@([|]|x)", "x", true),
            (r"@(a\|b)", "a|b", true),
            (r"@(a\|b)", "a", false),
            (r"@()", "", true),
            (r"@()", "x", false),
            (r"@(||)", "", true),
            (r"@(a||b)", "", true),
            (r"*(a|)b", "aab", true),
            (r"*(|a)b", "aab", true),
            (r"!()", "", false),
            (r"!()", "x", true),
            (r"!(x)y", "y", true),
            (r"!(x)y", "xy", false),
            (r"!(x)y", "xxy", true),
            (r"!(*)", "", false),
            (r"!(*)", "a", false),
            (r"@(?)", "é", true),
            (r"+([0-9])", "123", true),
            (r"+([0-9])", "12a", false),
            (r"*([[:alpha:]])", "abc", true),
            (r"@(*)", "", true),
            (r"*(@(a)b)", "abab", true),
            (r"*(@(a)b)", "aba", false),
            (r"?(a)?(b)?(c)", "ac", true),
            (r"?(a)?(b)?(c)", "ca", false),
            (r"!(a)!(b)", "ab", true),
            (r"!(a)!(b)", "a", true),
            (r"!(a)!(b)", "", true),
            (r"+(+(a))", "aaa", true),
            (r"@(a|b", "@(a|b", true),
            (r"*(a", "*(a", true),
            (r"*(a", "xx(a", false),
            (r"x@(a", "x@(a", true),
            (r"@(a)@(", "a@(", true),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter(|(p, t, want)| Pattern::with_options(p, extglob()).matches(t) != *want)
            .map(|(p, t, want)| format!("{p:?} vs {t:?}: want {want}"))
            .collect();
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn extglob_off_reads_groups_as_text() {
        assert!(Pattern::new("@(a|b)").matches("@(a|b)"));
        assert!(!Pattern::new("@(a|b)").matches("a"));
        // `*(` is then a `*` and a `(`
        assert!(Pattern::new("*(a)").matches("xx(a)"));
    }

    #[test]
    fn extglob_does_not_blow_up() {
        let text = "a".repeat(300) + "b";
        let p = Pattern::with_options("*(a|aa|aaa)*(a|aa)c", extglob());
        assert!(!p.matches(&text));
        let p = Pattern::with_options("+(*(a)*(a))b", extglob());
        assert!(p.matches(&text));
        let p = Pattern::with_options("*(*(a)|!(b))b", extglob());
        assert!(p.matches(&text));
        let nested = "@(".repeat(500) + "a" + &")".repeat(500);
        assert!(!Pattern::with_options(&nested, extglob()).matches("b"));
    }

    #[test]
    fn extglob_prefix_suffix_and_find() {
        // shopt -s extglob; x=foo.py.cc; checked with bash:
        let x = "foo.py.cc";
        let p = |t: &str| Pattern::with_options(t, extglob());
        // ${x%.@(py|cc)*} is foo.py, ${x%%.@(py|cc)*} is foo
        assert_eq!(p(".@(py|cc)*").match_suffix(x, false), Some(6));
        assert_eq!(p(".@(py|cc)*").match_suffix(x, true), Some(3));
        // ${x#*(f|o)} removes nothing, ${x##*(f|o)} is .py.cc
        assert_eq!(p("*(f|o)").match_prefix(x, false), Some(0));
        assert_eq!(p("*(f|o)").match_prefix(x, true), Some(3));
        // ${x/+(o)/0} is f0.py.cc; ${x/!(f)/Z} is Z
        assert_eq!(p("+(o)").find_all(x, false), [(1, 3)]);
        assert_eq!(p("!(f)").find_all(x, false), [(0, 9)]);
        // y=aXbXc: ${y#!(X)} removes nothing, ${y##!(X)} all,
        // ${y%!(X)} nothing, ${y%%!(a)} all
        let y = "aXbXc";
        assert_eq!(p("!(X)").match_prefix(y, false), Some(0));
        assert_eq!(p("!(X)").match_prefix(y, true), Some(5));
        assert_eq!(p("!(X)").match_suffix(y, false), Some(5));
        assert_eq!(p("!(a)").match_suffix(y, true), Some(0));
    }

    /// Checked with bash: `shopt -s nocasematch; [[ TEXT == PATTERN ]]`.
    #[test]
    fn nocase_folds_letters_and_ranges_but_not_classes() {
        let nocase = MatchOptions {
            nocase: true,
            ..extglob()
        };
        let cases: &[(&str, &str, bool)] = &[
            ("a*", "ABC", true),
            ("ab?", "ABC", true),
            ("[A-Z]", "b", true),
            ("[a-z]", "B", true),
            ("[!A-Z]", "b", false),
            ("[[:upper:]]", "a", false),
            ("[[:lower:]]", "A", false),
            ("@(x|abc)", "ABC", true),
            ("É", "é", true),
        ];
        for (p, t, want) in cases {
            let got = Pattern::with_options(p, nocase).matches(t);
            assert_eq!(got, *want, "{p} vs {t}");
        }
        assert!(!Pattern::new("a*").matches("ABC"));
    }

    /// File names without dotglob; each (pattern, name) pair as bash's
    /// pathname expansion (with extglob) decides it.
    #[test]
    fn leading_dot_needs_a_literal_dot() {
        let names = MatchOptions {
            leading_dot: true,
            ..extglob()
        };
        let cases: &[(&str, &str, bool)] = &[
            ("*", ".hid", false),
            ("*hid", ".hid", false),
            ("?hid", ".hid", false),
            ("[.]hid", ".hid", false),
            (".*", ".hid", true),
            (r"\.hid", ".hid", true),
            ("!(*.c)", ".hid", false),
            ("!(x)", "a", true),
            (".!(x)", ".hid", true),
            ("@(.hid|a.c)", ".hid", true),
            ("@(.)*", ".hid", true),
            ("@(*)", ".hid", false),
            ("@(*)", "a", true),
            ("*(.)*", ".hid", true),
            ("*(.)*", "a.c", true),
            ("!(.hid)", ".x.c", false),
            ("?(.)hid", ".hid", true),
            ("+(.h)id", ".hid", true),
            ("@(*|.hid)", ".hid", true),
            ("*", "a.c", true),
        ];
        for (p, t, want) in cases {
            let got = Pattern::with_options(p, names).matches(t);
            assert_eq!(got, *want, "{p} vs {t}");
        }
    }
}
