//! Brace expansion (bash): `a{b,c}d` → `abd acd`, `{1..5}`, `{a..e}`,
//! `{01..10..2}`, nested. It runs first, on the word's unquoted text:
//! quoted text and expansions are carried along untouched.

use crate::parser::ast::{Word, WordPart};

/// A word cut into unquoted characters and opaque parts.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Char(char),
    Part(WordPart),
}

/// Most words one word's braces may produce (a guard against
/// `{1..999999999}` or `{a,b}` × 40 exhausting memory).
const MAX_WORDS: u128 = 1 << 20;

/// Most characters all those words may hold together.
const MAX_TOKENS: u128 = 1 << 25;

/// Expands the braces of `word`; `None` when it has none to expand. An
/// expansion past [`MAX_WORDS`] words is an error, found by counting
/// before any word is made.
pub fn expand(word: &Word) -> Result<Option<Vec<Word>>, super::ExpandError> {
    let has_brace = word
        .parts
        .iter()
        .any(|p| matches!(p, WordPart::Literal(s) if s.contains('{')));
    if !has_brace {
        return Ok(None);
    }
    let toks = tokens(word);
    let (count, tokens) = count_words(&toks);
    if count > MAX_WORDS || tokens > MAX_TOKENS {
        let shown = crate::parser::unparse::word(word);
        let shown: String = shown.chars().take(40).collect();
        return Err(super::ExpandError::new(format!(
            "{shown}…: brace expansion: too many words ({count} words of \
             {tokens} characters; at most {MAX_WORDS} words of {MAX_TOKENS})"
        )));
    }
    let words = expand_toks(&toks);
    if words.len() == 1 && words[0] == toks {
        return Ok(None);
    }
    Ok(Some(words.into_iter().map(|t| to_word(&t)).collect()))
}

/// How many words [`expand_toks`] makes of `toks`, and how many tokens
/// they hold together, without making them: the first brace expression's
/// choices (each with its own braces) joined with every word of what
/// follows it. Saturates.
fn count_words(toks: &[Tok]) -> (u128, u128) {
    let mut start = 0;
    while let Some(open) = find_char(toks, '{', start) {
        if let Some((close, alternatives)) = brace_body(toks, open) {
            let (mut choices, mut choice_tokens) = (0u128, 0u128);
            for alt in &alternatives {
                let (n, len) = count_words(alt);
                choices = choices.saturating_add(n);
                choice_tokens = choice_tokens.saturating_add(len);
            }
            let (tails, tail_tokens) = count_words(&toks[close + 1..]);
            let words = choices.saturating_mul(tails);
            let tokens = (open as u128)
                .saturating_mul(words)
                .saturating_add(choice_tokens.saturating_mul(tails))
                .saturating_add(choices.saturating_mul(tail_tokens));
            return (words, tokens);
        }
        start = open + 1;
    }
    (1, toks.len() as u128)
}

fn tokens(word: &Word) -> Vec<Tok> {
    let mut toks = Vec::new();
    for part in &word.parts {
        match part {
            WordPart::Literal(s) => toks.extend(s.chars().map(Tok::Char)),
            other => toks.push(Tok::Part(other.clone())),
        }
    }
    toks
}

fn to_word(toks: &[Tok]) -> Word {
    let mut parts = Vec::new();
    let mut text = String::new();
    for t in toks {
        match t {
            Tok::Char(c) => text.push(*c),
            Tok::Part(p) => {
                if !text.is_empty() {
                    parts.push(WordPart::Literal(std::mem::take(&mut text)));
                }
                parts.push(p.clone());
            }
        }
    }
    if !text.is_empty() {
        parts.push(WordPart::Literal(text));
    }
    // A word that brace expansion made start with `~` gets its tilde
    // prefix now (`~{/src,root}` → `~/src ~root`), as in bash.
    if let Some(WordPart::Literal(first)) = parts.first()
        && let Some(rest) = first.strip_prefix('~')
    {
        let end = rest.find('/').unwrap_or(rest.len());
        let user = rest[..end].to_string();
        let tail = rest[end..].to_string();
        parts.remove(0);
        if !tail.is_empty() {
            parts.insert(0, WordPart::Literal(tail));
        }
        parts.insert(0, WordPart::Tilde(user));
    }
    Word { parts }
}

/// Expands the first valid brace expression — each alternative with its
/// own braces — and the rest after it, once, then joins every choice with
/// every tail (work in proportion to the words made).
fn expand_toks(toks: &[Tok]) -> Vec<Vec<Tok>> {
    let mut start = 0;
    while let Some(open) = find_char(toks, '{', start) {
        if let Some((close, alternatives)) = brace_body(toks, open) {
            let prefix = &toks[..open];
            let tails = expand_toks(&toks[close + 1..]);
            let mut out = Vec::new();
            for alt in &alternatives {
                for choice in expand_toks(alt) {
                    for tail in &tails {
                        let mut word = Vec::with_capacity(prefix.len() + choice.len() + tail.len());
                        word.extend_from_slice(prefix);
                        word.extend_from_slice(&choice);
                        word.extend_from_slice(tail);
                        out.push(word);
                    }
                }
            }
            return out;
        }
        start = open + 1;
    }
    vec![toks.to_vec()]
}

fn find_char(toks: &[Tok], c: char, from: usize) -> Option<usize> {
    (from..toks.len()).find(|&i| toks[i] == Tok::Char(c))
}

/// For `{` at `open`: the index of its `}` and the alternatives, when the
/// body is a comma list (at least one top-level comma) or a sequence.
fn brace_body(toks: &[Tok], open: usize) -> Option<(usize, Vec<Vec<Tok>>)> {
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut i = open + 1;
    while i < toks.len() {
        match &toks[i] {
            Tok::Char('{') => depth += 1,
            Tok::Char('}') if depth == 0 => {
                let body = &toks[open + 1..i];
                if !commas.is_empty() {
                    let mut alts = Vec::new();
                    let mut from = open + 1;
                    for &c in &commas {
                        alts.push(toks[from..c].to_vec());
                        from = c + 1;
                    }
                    alts.push(toks[from..i].to_vec());
                    return Some((i, alts));
                }
                return sequence(body).map(|alts| (i, alts));
            }
            Tok::Char('}') => depth -= 1,
            Tok::Char(',') if depth == 0 => commas.push(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// `x..y[..step]` with integers or single letters.
fn sequence(body: &[Tok]) -> Option<Vec<Vec<Tok>>> {
    let text: String = body
        .iter()
        .map(|t| match t {
            Tok::Char(c) => Some(*c),
            Tok::Part(_) => None,
        })
        .collect::<Option<String>>()?;
    let pieces: Vec<&str> = text.split("..").collect();
    let (from, to, step) = match pieces.as_slice() {
        [a, b] => (*a, *b, None),
        [a, b, s] => (*a, *b, Some(s.parse::<i64>().ok()?)),
        _ => return None,
    };
    let words: Vec<String> = if let (Ok(a), Ok(b)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let width = [from, to]
            .iter()
            .filter(|s| {
                s.trim_start_matches('-').starts_with('0') && s.trim_start_matches('-').len() > 1
            })
            .map(|s| s.len())
            .max()
            .unwrap_or(0);
        numbers(a, b, step)?
            .into_iter()
            .map(|n| {
                if width > 0 {
                    if n < 0 {
                        format!("-{:0w$}", -n, w = width.saturating_sub(1))
                    } else {
                        format!("{n:0width$}")
                    }
                } else {
                    n.to_string()
                }
            })
            .collect()
    } else {
        // Letters of both cases make a range over what lies between
        // them in ASCII (`{Z..a}`), as in bash.
        let (a, b) = (single_letter(from)?, single_letter(to)?);
        numbers(a as i64, b as i64, step)?
            .into_iter()
            .filter_map(|n| char::from_u32(n as u32).map(String::from))
            .collect()
    };
    Some(
        words
            .into_iter()
            .map(|w| w.chars().map(Tok::Char).collect())
            .collect(),
    )
}

fn single_letter(s: &str) -> Option<char> {
    let mut chars = s.chars();
    let c = chars.next()?;
    (chars.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

/// The numbers from `a` to `b` by `step`: as in bash, the step's sign is
/// ignored (the direction is from a to b) and 0 counts as 1.
fn numbers(a: i64, b: i64, step: Option<i64>) -> Option<Vec<i64>> {
    let size = step.map_or(1, i64::unsigned_abs).max(1);
    let size = i64::try_from(size).ok()?;
    let step = if a <= b { size } else { -size };
    let count = ((b - a) / step).unsigned_abs() as usize + 1;
    if count as u128 > MAX_WORDS {
        return None;
    }
    Some((0..count as i64).map(|k| a + k * step).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        match expand(&Word::literal(src)).ok().flatten() {
            Some(words) => words
                .iter()
                .map(|w| w.as_plain_literal().unwrap_or("").to_string())
                .collect(),
            None => vec![src.to_string()],
        }
    }

    #[test]
    fn too_many_words_is_an_error_found_before_making_any() {
        let forty = "{a,b}".repeat(40);
        let e = expand(&Word::literal(&forty)).err().map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|m| m.contains("too many words (1099511627776")),
            "{e:?}"
        );
        // Within the bound, every word is made.
        let twelve = "{a,b}".repeat(12);
        assert_eq!(texts(&twelve).len(), 1 << 12);
    }

    #[test]
    fn lists_sequences_and_nesting() {
        let cases: &[(&str, &[&str])] = &[
            ("a{b,c}d", &["abd", "acd"]),
            ("{a,b}{1,2}", &["a1", "a2", "b1", "b2"]),
            ("{1..3}", &["1", "2", "3"]),
            ("{3..1}", &["3", "2", "1"]),
            ("{01..03}", &["01", "02", "03"]),
            ("{1..7..3}", &["1", "4", "7"]),
            ("{a..c}", &["a", "b", "c"]),
            ("{a,{b,c}}", &["a", "b", "c"]),
            ("{a}", &["{a}"]),
            ("{}", &["{}"]),
            ("{1..3..0}", &["1", "2", "3"]),
            ("{1..8..-3}", &["1", "4", "7"]),
            ("{5..1..2}", &["5", "3", "1"]),
            ("x{,y}", &["x", "xy"]),
        ];
        for (src, want) in cases {
            assert_eq!(texts(src), *want, "{src}");
        }
    }
}
