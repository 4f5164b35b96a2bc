//! Option parsing shared by the builtins that take `getopt`-style flags:
//! bundled letters (`-rs`), arguments attached or separate (`-d:` / `-d :`),
//! `--` to end the options. Bash words its errors the same way for all of
//! them, so the messages live here too.

/// Why the options could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptError {
    /// A letter that is not in the spec.
    Invalid(char),
    /// An option that needs an argument came last.
    MissingArgument(char),
}

impl std::fmt::Display for OptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptError::Invalid(c) => write!(f, "-{c}: invalid option"),
            OptError::MissingArgument(c) => write!(f, "-{c}: option requires an argument"),
        }
    }
}

/// Parsed options: each letter with its argument, in order, and the index
/// in `args` of the first operand.
pub type Parsed = (Vec<(char, Option<String>)>, usize);

/// Parses `args` (without the builtin's name) against `spec`, where a
/// letter followed by `:` takes an argument. Parsing stops at the first
/// word that is not an option (`-` alone is an operand) or after `--`.
pub fn parse(args: &[String], spec: &str) -> Result<Parsed, OptError> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" {
            return Ok((found, i + 1));
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            break;
        };
        i += 1;
        for (at, c) in letters.char_indices() {
            match takes_argument(spec, c) {
                None => return Err(OptError::Invalid(c)),
                Some(false) => found.push((c, None)),
                Some(true) => {
                    let rest = &letters[at + c.len_utf8()..];
                    let value = if !rest.is_empty() {
                        rest.to_string()
                    } else if let Some(next) = args.get(i) {
                        i += 1;
                        next.clone()
                    } else {
                        return Err(OptError::MissingArgument(c));
                    };
                    found.push((c, Some(value)));
                    break;
                }
            }
        }
    }
    Ok((found, i))
}

/// Whether `c` takes an argument under `spec`; `None` when not an option.
fn takes_argument(spec: &str, c: char) -> Option<bool> {
    if c == ':' {
        return None;
    }
    let at = spec.find(c)?;
    Some(spec[at + c.len_utf8()..].starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn bundled_flags_and_attached_argument() {
        let (opts, rest) = parse(&words("-rn1 x"), "rn:").expect("valid");
        assert_eq!(opts, vec![('r', None), ('n', Some("1".into()))]);
        assert_eq!(rest, 1);
    }

    #[test]
    fn separate_argument_may_look_like_an_option() {
        let (opts, rest) = parse(&words("-n -1"), "n:").expect("valid");
        assert_eq!(opts, vec![('n', Some("-1".into()))]);
        assert_eq!(rest, 2);
    }

    #[test]
    fn double_dash_and_lone_dash_end_options() {
        assert_eq!(parse(&words("-r -- -x"), "r"), Ok((vec![('r', None)], 2)));
        assert_eq!(parse(&words("- x"), "r"), Ok((vec![], 0)));
    }

    #[test]
    fn errors_name_the_letter() {
        assert_eq!(parse(&words("-q"), "r"), Err(OptError::Invalid('q')));
        assert_eq!(
            parse(&words("-d"), "d:"),
            Err(OptError::MissingArgument('d'))
        );
        assert_eq!(parse(&words("-:"), "d:"), Err(OptError::Invalid(':')));
    }
}
