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
    /// Starts a field that an unquoted `$*` separated from the one before:
    /// where nothing is split (`v=$*`) the two are joined with the first
    /// character of IFS (POSIX 2.5.2), not a space.
    pub star: bool,
}

impl Piece {
    /// Unquoted source text.
    pub fn literal(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: false,
            split: false,
            star: false,
        }
    }

    /// Quoted text (an empty one still makes a field).
    pub fn quoted(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: true,
            split: false,
            star: false,
        }
    }

    /// The result of an unquoted expansion.
    pub fn expanded(text: impl Into<String>) -> Piece {
        Piece {
            text: text.into(),
            quoted: false,
            split: true,
            star: false,
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
            // IFS whitespace: C's `isspace` characters, as bash has it
            // (POSIX names space, tab and newline; dash keeps to those).
            let white = matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c');
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

    /// Each case mirrors a bash run: `IFS=...; p <word>` where `p` prints
    /// its arguments; `L` is literal source text, `Q` quoted text and `E`
    /// the result of an unquoted expansion.
    fn run_cases(cases: &[(&[Piece], &str, &[&str])]) -> Vec<String> {
        let mut failures = Vec::new();
        for (pieces, ifs, want) in cases {
            let got = texts(split_fields(pieces, ifs));
            if got != *want {
                failures.push(format!(
                    "{pieces:?} with IFS {ifs:?}: got {got:?}, want {want:?}"
                ));
            }
        }
        failures
    }

    #[allow(non_snake_case)]
    fn L(s: &str) -> Piece {
        Piece::literal(s)
    }

    #[allow(non_snake_case)]
    fn Q(s: &str) -> Piece {
        Piece::quoted(s)
    }

    #[allow(non_snake_case)]
    fn E(s: &str) -> Piece {
        Piece::expanded(s)
    }

    #[test]
    fn splits_mixed_white_and_non_white_separators() {
        let failures = run_cases(&[
            // IFS=' :'; x='a : : b'; p $x  =>  <a><><b>
            (&[E("a : : b")], " :", &["a", "", "b"]),
            // x='a: :b'  =>  <a><><b>
            (&[E("a: :b")], " :", &["a", "", "b"]),
            // x='a:  '  =>  <a>
            (&[E("a:  ")], " :", &["a"]),
            // x=' : '  =>  <>
            (&[E(" : ")], " :", &[""]),
            // IFS=:; x='::'  =>  <><>
            (&[E("::")], ":", &["", ""]),
            // IFS=:; x=':a::b:'  =>  <><a><><b>
            (&[E(":a::b:")], ":", &["", "a", "", "b"]),
            // IFS=:; x='a b:c'  =>  <a b><c> (space is not in IFS)
            (&[E("a b:c")], ":", &["a b", "c"]),
            // IFS=$'\t'; x=$'a\t\tb'  =>  <a><b> (tab is IFS white space)
            (&[E("a\t\tb")], "\t", &["a", "b"]),
            // default IFS, newlines and tabs too
            (&[E("\n a\tb \n")], " \t\n", &["a", "b"]),
            // a non-ASCII separator
            (&[E("aéb")], "é", &["a", "b"]),
        ]);
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn splits_across_pieces() {
        let failures = run_cases(&[
            // IFS=:; x='a:'; p ${x}b  =>  <a><b>
            (&[E("a:"), L("b")], ":", &["a", "b"]),
            // IFS=:; x=:; p ${x}b  =>  <><b>
            (&[E(":"), L("b")], ":", &["", "b"]),
            // IFS=:; x=:; p b${x}  =>  <b>
            (&[L("b"), E(":")], ":", &["b"]),
            // IFS=:; x='a:'; y=':b'; p $x$y  =>  <a><><b>
            (&[E("a:"), E(":b")], ":", &["a", "", "b"]),
            // x='a '; y=' b'; p $x$y  =>  <a><b>
            (&[E("a "), E(" b")], " ", &["a", "b"]),
            // IFS=' :'; x=a; y=:; p $x$y  =>  <a>
            (&[E("a"), E(":")], " :", &["a"]),
            // IFS=' :'; x='a '; y=' :b'; p $x$y  =>  <a><b>
            (&[E("a "), E(" :b")], " :", &["a", "b"]),
            // x='a '; p $x'b'  =>  <a><b>
            (&[E("a "), Q("b")], " ", &["a", "b"]),
            // x='a b'; p pre$x'post'  =>  <prea><bpost>
            (&[L("pre"), E("a b"), Q("post")], " ", &["prea", "bpost"]),
            // literal text is never split: IFS=:; p x$x:y with x=a:b
            (&[L("x"), E("a:b"), L(":y")], ":", &["xa", "b:y"]),
            // x='a b'; y='c d'; p $x$y  =>  <a><bc><d>
            (&[E("a b"), E("c d")], " ", &["a", "bc", "d"]),
        ]);
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn empty_fields_and_quoted_empties() {
        let failures = run_cases(&[
            // e=; p $e  =>  no field
            (&[E("")], " ", &[]),
            // x='   '; p $x  =>  no field
            (&[E("   ")], " \t\n", &[]),
            // e=; p $e $e (one word here) => no field
            (&[E(""), E("")], " ", &[]),
            // empty literal text makes no field either
            (&[L(""), E(" ")], " ", &[]),
            // x=' '; p ""$x  =>  <>
            (&[Q(""), E(" ")], " ", &[""]),
            // x=' '; p $x""  =>  <>
            (&[E(" "), Q("")], " ", &[""]),
            // x='a '; p $x""  =>  <a><>
            (&[E("a "), Q("")], " ", &["a", ""]),
            // x=' a'; p ""$x  =>  <><a>
            (&[Q(""), E(" a")], " ", &["", "a"]),
            // IFS=:; x=':'; p ''$x  =>  <>
            (&[Q(""), E(":")], ":", &[""]),
            // IFS=:; x=':'; p $x''  =>  <><>
            (&[E(":"), Q("")], ":", &["", ""]),
            // IFS=:; x=:; p $x  =>  <>
            (&[E(":")], ":", &[""]),
            // IFS=; e=; p $e  =>  no field; p $e''  =>  <>
            (&[E("")], "", &[]),
            (&[E(""), Q("")], "", &[""]),
            // IFS=; x=' a b '; p $x  =>  < a b >
            (&[E(" a b ")], "", &[" a b "]),
        ]);
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn fields_keep_piece_kinds() {
        // `*` from the source stays a pattern piece, quoted text stays
        // quoted, so globbing later sees which characters were quoted.
        let got = split_fields(&[L("*"), E("a b"), Q("*")], " ");
        assert_eq!(
            got,
            vec![
                vec![Piece::literal("*"), Piece::expanded("a")],
                vec![Piece::expanded("b"), Piece::quoted("*")],
            ]
        );
    }
}
