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
}
