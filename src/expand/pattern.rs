//! Shell pattern matching (`case`, `${x#p}`, `[[ x == p ]]`): `*`, `?`,
//! bracket expressions with ranges, `!`/`^` negation and `[:class:]`.
//!
//! Patterns arrive as text where a backslash quotes the next character:
//! the expander escapes every character that was quoted in the source.

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
}

#[derive(Debug, Clone, PartialEq)]
enum BracketItem {
    Char(char),
    Range(char, char),
    Class(String),
}

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    tokens: Vec<Token>,
}

/// Quotes every pattern-special character of `text` with a backslash, so
/// that it matches only itself.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\' | '!' | '^' | '-') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `text` (with backslash quoting) has any unquoted `*`, `?` or `[`.
pub fn has_pattern_chars(text: &str) -> bool {
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
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
    /// Compiles a pattern text.
    pub fn new(text: &str) -> Pattern {
        let chars: Vec<char> = text.chars().collect();
        let mut tokens = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\\' => {
                    i += 1;
                    tokens.push(Token::Literal(chars.get(i).copied().unwrap_or('\\')));
                }
                '*' => {
                    if tokens.last() != Some(&Token::AnyString) {
                        tokens.push(Token::AnyString);
                    }
                }
                '?' => tokens.push(Token::AnyChar),
                '[' => match parse_bracket(&chars, i + 1) {
                    Some((token, next)) => {
                        tokens.push(token);
                        i = next;
                        continue;
                    }
                    None => tokens.push(Token::Literal('[')),
                },
                _ => tokens.push(Token::Literal(c)),
            }
            i += 1;
        }
        Pattern { tokens }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        self.matches_chars(&chars)
    }

    /// Whether the pattern is a plain string (no wildcards).
    pub fn is_literal(&self) -> bool {
        self.tokens.iter().all(|t| matches!(t, Token::Literal(_)))
    }

    fn matches_chars(&self, text: &[char]) -> bool {
        let toks = &self.tokens;
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
                    tok if single_matches(tok, text[s]) => {
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

    /// Byte length of the shortest (or longest) prefix of `text` that matches.
    pub fn match_prefix(&self, text: &str, longest: bool) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let ends = char_boundaries(text);
        let mut candidates: Box<dyn Iterator<Item = usize>> = if longest {
            Box::new((0..=chars.len()).rev())
        } else {
            Box::new(0..=chars.len())
        };
        candidates
            .find(|&n| self.matches_chars(&chars[..n]))
            .map(|n| ends[n])
    }

    /// Byte offset where the shortest (or longest) matching suffix starts.
    pub fn match_suffix(&self, text: &str, longest: bool) -> Option<usize> {
        let chars: Vec<char> = text.chars().collect();
        let ends = char_boundaries(text);
        let mut candidates: Box<dyn Iterator<Item = usize>> = if longest {
            Box::new(0..=chars.len())
        } else {
            Box::new((0..=chars.len()).rev())
        };
        candidates
            .find(|&start| self.matches_chars(&chars[start..]))
            .map(|n| ends[n])
    }

    /// The first (leftmost, then longest) match in `text` starting at or
    /// after char index `from`: (byte start, byte end).
    pub fn find(&self, text: &str, from_byte: usize) -> Option<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let ends = char_boundaries(text);
        let first = ends.iter().position(|&b| b >= from_byte)?;
        for start in first..=chars.len() {
            for end in (start..=chars.len()).rev() {
                if self.matches_chars(&chars[start..end]) {
                    return Some((ends[start], ends[end]));
                }
            }
        }
        None
    }
}

/// Byte offset of each char index, plus the total length at the end.
fn char_boundaries(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    v.push(text.len());
    v
}

fn single_matches(token: &Token, c: char) -> bool {
    match token {
        Token::Literal(l) => *l == c,
        Token::AnyChar => true,
        Token::AnyString => false,
        Token::Bracket { negated, items } => {
            let hit = items.iter().any(|item| match item {
                BracketItem::Char(x) => *x == c,
                BracketItem::Range(a, b) => *a <= c && c <= *b,
                BracketItem::Class(name) => class_matches(name, c),
            });
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
        _ => false,
    }
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
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name: String = rest[..end].to_string();
                items.push(BracketItem::Class(name.clone()));
                i += 2 + name.chars().count() + 2;
                continue;
            }
            ('[', i + 1)
        } else if c == '\\' {
            (*chars.get(i + 1)?, i + 2)
        } else {
            (c, i + 1)
        };
        i = next;
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let (hi, after) = if chars.get(i + 1) == Some(&'\\') {
                (*chars.get(i + 2)?, i + 3)
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
        assert_eq!(Pattern::new("an").find("banana", 0), Some((1, 3)));
        assert_eq!(Pattern::new("a*a").find("banana", 0), Some((1, 6)));
        assert_eq!(Pattern::new("an").find("banana", 3), Some((3, 5)));
        assert_eq!(Pattern::new("z").find("banana", 0), None);
        // byte offsets with multi-byte characters
        assert_eq!(Pattern::new("b").find("éb", 0), Some((2, 3)));
    }

    #[test]
    fn escape_round_trips_and_detects_specials() {
        for text in ["a*b", "[x]", r"back\slash", "!^-", "plain", "é?"] {
            let escaped = escape(text);
            assert!(Pattern::new(&escaped).matches(text), "{text:?}");
            assert!(!has_pattern_chars(&escaped), "{text:?}");
            assert_eq!(unescape(&escaped), text);
        }
        assert!(has_pattern_chars("a*"));
        assert!(has_pattern_chars("[ab]"));
        assert!(has_pattern_chars("?"));
        assert!(!has_pattern_chars(r"\*\?\["));
        assert!(Pattern::new(r"a\*").is_literal());
        assert!(!Pattern::new("a*").is_literal());
    }
}
