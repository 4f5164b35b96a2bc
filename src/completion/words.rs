//! The command line as a completion function sees it: `COMP_WORDS` split
//! the way bash splits it (blanks between words; runs of
//! `COMP_WORDBREAKS` characters such as `=`, `:` or `>` are words of their
//! own; quotes, backslashes and `$( )` keep a word together), the index of
//! the word at the cursor, and the word as the line editor completes it.

/// bash's default `COMP_WORDBREAKS`.
pub const DEFAULT_WORDBREAKS: &str = " \t\n\"'><=;|&(:";

/// A command line split for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// `COMP_WORDS`.
    pub words: Vec<String>,
    /// `COMP_CWORD`.
    pub cword: usize,
    /// The word being completed (`$2` of a completion function): the text
    /// from the start of the word to the cursor, without an opening quote
    /// that is not closed.
    pub current: String,
}

/// Splits `line` for a cursor at byte `point`, with `breaks` as
/// `COMP_WORDBREAKS`.
pub fn split(line: &str, point: usize, breaks: &str) -> Split {
    let point = point.min(line.len());
    let b = line.as_bytes();
    let is_blank = |c: u8| matches!(c, b' ' | b'\t' | b'\n');
    let is_break =
        |c: u8| !is_blank(c) && c != b'"' && c != b'\'' && breaks.as_bytes().contains(&c);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_blank(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        if is_break(b[i]) {
            while i < b.len() && is_break(b[i]) {
                i += 1;
            }
        } else {
            while i < b.len() && !is_blank(b[i]) && !is_break(b[i]) {
                i = skip_one(b, i);
            }
        }
        spans.push((start, i));
    }
    let at = spans.iter().position(|&(s, e)| s <= point && point <= e);
    let (cword, current) = match at {
        Some(n) => {
            let (s, _) = spans[n];
            let text = &line[s..point];
            let current = if is_break(b[s]) {
                String::new()
            } else {
                strip_open_quote(text)
            };
            (n, current)
        }
        None => {
            // In the blanks between words: an empty word there.
            let n = spans.iter().filter(|&&(_, e)| e < point).count();
            spans.insert(n, (point, point));
            (n, String::new())
        }
    };
    let words = spans.iter().map(|&(s, e)| line[s..e].to_string()).collect();
    Split {
        words,
        cword,
        current,
    }
}

/// The index just past the character or quoted part starting at `i`.
fn skip_one(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'\\' => (i + 2).min(b.len()),
        q @ (b'\'' | b'"' | b'`') => {
            let mut j = i + 1;
            while j < b.len() && b[j] != q {
                j += if q != b'\'' && b[j] == b'\\' { 2 } else { 1 };
            }
            (j + 1).min(b.len())
        }
        b'$' if matches!(b.get(i + 1), Some(b'(' | b'{')) => {
            let (open, close) = if b[i + 1] == b'(' {
                (b'(', b')')
            } else {
                (b'{', b'}')
            };
            let mut depth = 0;
            let mut j = i + 1;
            while j < b.len() {
                if b[j] == open {
                    depth += 1;
                } else if b[j] == close {
                    depth -= 1;
                    if depth == 0 {
                        return j + 1;
                    }
                }
                j += 1;
            }
            b.len()
        }
        c => i + utf8_len(c),
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

/// `'a b` → `a b`: the line editor completes inside a quote the user
/// opened (bash passes the word so).
fn strip_open_quote(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(q @ ('\'' | '"')) if !chars.as_str().contains(q) => chars.as_str().to_string(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, point: usize, words: &[&str], cword: usize, current: &str) {
        let s = split(line, point, DEFAULT_WORDBREAKS);
        assert_eq!(s.words, words, "{line}");
        assert_eq!((s.cword, s.current.as_str()), (cword, current), "{line}");
    }

    /// Each case as bash 5.2 gave it to a completion function.
    #[test]
    fn split_as_bash_does() {
        check(
            "mycmd --opt=val ar",
            18,
            &["mycmd", "--opt", "=", "val", "ar"],
            4,
            "ar",
        );
        check(
            "mycmd a \"b c\" d",
            15,
            &["mycmd", "a", "\"b c\"", "d"],
            3,
            "d",
        );
        check("mycmd a:b c", 11, &["mycmd", "a", ":", "b", "c"], 4, "c");
        check(
            "mycmd a $(echo b) ",
            18,
            &["mycmd", "a", "$(echo b)", ""],
            3,
            "",
        );
        check(
            "mycmd a >out b",
            14,
            &["mycmd", "a", ">", "out", "b"],
            4,
            "b",
        );
        check("mycmd 'a b", 10, &["mycmd", "'a b"], 1, "a b");
        check("mycmd a b  ", 11, &["mycmd", "a", "b", ""], 3, "");
        check("mycmd ab cd", 8, &["mycmd", "ab", "cd"], 1, "ab");
        check("mycmd --opt= cd", 12, &["mycmd", "--opt", "=", "cd"], 2, "");
        check("mycmd a\\ b cd", 10, &["mycmd", "a\\ b", "cd"], 1, "a\\ b");
    }
}
