//! Field splitting: the results of unquoted expansions are cut at `IFS`
//! characters; literal and quoted text never is.

/// A run of expanded text with how it may be treated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Came from quoted source: not split, not a pattern.
    pub quoted: bool,
    /// Came from an unquoted expansion: subject to field splitting.
    pub split: bool,
}

impl Piece {
    /// Unquoted source text.
    pub fn literal(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: false,
            split: false,
        }
    }

    /// Quoted text (an empty one still makes a field).
    pub fn quoted(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: true,
            split: false,
        }
    }

    /// The result of an unquoted expansion.
    pub fn expanded(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: false,
            split: true,
        }
    }
}

/// Splits one group of pieces into fields, per POSIX 2.6.5: IFS white
/// space at the edges is dropped, runs of it separate fields, and each
/// other IFS character ends a field (possibly empty). A field with no
/// text from literal or quoted source and no characters is dropped.
pub fn split_fields(pieces: &[Piece], ifs: &str) -> Vec<Vec<Piece>> {
    let mut fields = Vec::new();
    let mut current: Vec<Piece> = Vec::new();
    let mut started = false;
    let mut after_white_delimiter = false;
    for piece in pieces {
        if !piece.split || ifs.is_empty() {
            if piece.quoted || !piece.text.is_empty() {
                started = true;
                after_white_delimiter = false;
            }
            current.push(piece.clone());
            continue;
        }
        let mut run = String::new();
        for c in piece.text.chars() {
            if !ifs.contains(c) {
                run.push(c);
                started = true;
                after_white_delimiter = false;
                continue;
            }
            if !run.is_empty() {
                current.push(Piece::expanded(std::mem::take(&mut run)));
            }
            let white = matches!(c, ' ' | '\t' | '\n');
            if white {
                if started {
                    fields.push(std::mem::take(&mut current));
                    started = false;
                    after_white_delimiter = true;
                }
            } else {
                if started || !after_white_delimiter {
                    fields.push(std::mem::take(&mut current));
                }
                current.clear();
                started = false;
                after_white_delimiter = false;
            }
        }
        if !run.is_empty() {
            current.push(Piece::expanded(run));
        }
    }
    if started {
        fields.push(current);
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(fields: Vec<Vec<Piece>>) -> Vec<String> {
        fields
            .into_iter()
            .map(|f| f.into_iter().map(|p| p.text).collect())
            .collect()
    }

    #[test]
    fn splits_like_posix() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("  a  b ", " \t\n", &["a", "b"]),
            ("a::b", ":", &["a", "", "b"]),
            ("a:", ":", &["a"]),
            ("a : b", " :", &["a", "b"]),
            ("  :a", " :", &["", "a"]),
            ("", " ", &[]),
            ("a b", "", &["a b"]),
        ];
        for (text, ifs, want) in cases {
            let got = texts(split_fields(&[Piece::expanded(*text)], ifs));
            assert_eq!(got, *want, "{text:?} with IFS {ifs:?}");
        }
    }

    #[test]
    fn quoted_empty_makes_a_field() {
        let got = split_fields(&[Piece::quoted("")], " ");
        assert_eq!(got.len(), 1);
    }

    #[test]
    fn literal_joins_expansion_edges() {
        let got = texts(split_fields(
            &[
                Piece::literal("x"),
                Piece::expanded("a b"),
                Piece::literal("y"),
            ],
            " ",
        ));
        assert_eq!(got, ["xa", "by"]);
    }
}
