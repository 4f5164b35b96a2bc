//! `getopts optstring name [args…]`, as bash: `OPTIND` names the argument
//! being parsed and only moves past a bundle (`-ab`) once its last letter
//! is taken; the position inside the bundle is `Shell::getopts_char`.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::expand::is_name;

/// What one call found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Found {
    /// An option letter and its argument (`None` for a plain flag).
    Option(char, Option<String>),
    /// A letter not in the optstring.
    Unknown(char),
    /// An option whose argument is missing.
    MissingArgument(char),
    /// No more options.
    End,
}

/// The parsing position: `OPTIND` and the letter inside its argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cursor {
    optind: usize,
    /// 0 when the next call starts a new argument.
    letter: usize,
}

/// `getopts optstring name [arg…]`.
pub fn getopts(sh: &mut Shell, argv: &[String]) -> Status {
    const USAGE: &str = "getopts optstring name [arg ...]";
    // getopts has no options of its own: `--` ends them, `-x` is invalid.
    let argv = match argv.get(1).map(String::as_str) {
        Some("--") => &argv[1..],
        Some(first) if first.len() > 1 && first.starts_with('-') => {
            let option = first.chars().take(2).collect::<String>();
            let msg = format!("{option}: invalid option\ngetopts: usage: {USAGE}");
            return sh.builtin_error("getopts", &msg, 2);
        }
        _ => argv,
    };
    if argv.len() < 3 {
        return sh.builtin_usage("getopts", USAGE);
    }
    let (optstring, name) = (&argv[1], &argv[2]);
    let args: Vec<String> = if argv.len() > 3 {
        argv[3..].to_vec()
    } else {
        sh.state.positional.clone()
    };
    let optind = sh
        .state
        .vars
        .get("OPTIND")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1);
    let mut cursor = Cursor {
        optind: optind.unwrap_or(1),
        letter: if optind.is_some() {
            sh.state.getopts_char
        } else {
            0
        },
    };
    let silent = optstring.starts_with(':') || !reports_errors(sh);
    let found = next_option(optstring.trim_start_matches(':'), &args, &mut cursor);
    if let Err(e) = sh.assign("OPTIND", cursor.optind.to_string()) {
        return sh.builtin_error("getopts", &e.to_string(), 1);
    }
    // After the assignment, which resets it.
    sh.state.getopts_char = cursor.letter;
    let (value, optarg, status) = match found {
        // A flag without argument leaves OPTARG unset (POSIX, bash).
        Found::Option(c, arg) => (c.to_string(), arg, 0),
        Found::Unknown(c) if silent => ("?".to_string(), Some(c.to_string()), 0),
        Found::Unknown(c) => {
            complain(sh, &format!("illegal option -- {c}"));
            ("?".to_string(), None, 0)
        }
        Found::MissingArgument(c) if silent => (":".to_string(), Some(c.to_string()), 0),
        Found::MissingArgument(c) => {
            complain(sh, &format!("option requires an argument -- {c}"));
            ("?".to_string(), None, 0)
        }
        Found::End => ("?".to_string(), None, 1),
    };
    // As bash: a failed OPTARG assignment is reported and getopts goes
    // on; OPTARG is unset as bash's getopts does it, readonly or not, and
    // not through a nameref.
    match optarg {
        Some(v) => {
            if let Err(e) = sh.assign("OPTARG", v) {
                sh.builtin_error_unnamed("getopts", &e.to_string(), 1)?;
            }
        }
        None => sh.state.vars.remove_exactly("OPTARG"),
    }
    if !is_name(name) {
        return sh.builtin_error("getopts", &format!("`{name}': not a valid identifier"), 2);
    }
    if let Err(e) = sh.assign(name, value) {
        return sh.builtin_error_unnamed("getopts", &e.to_string(), 1);
    }
    Ok(status)
}

/// Whether getopts prints its own diagnostics: `OPTERR` unset, empty, or
/// a number (its leading digits, as C's `atoi`) other than 0.
fn reports_errors(sh: &Shell) -> bool {
    let Some(value) = sh.state.vars.get("OPTERR").filter(|v| !v.is_empty()) else {
        return true;
    };
    let digits = value.trim_start().trim_start_matches(['+', '-']);
    digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .any(|d| d != b'0')
}

/// Bash words getopts' own diagnostics with `$0`, not the usual prefix;
/// where `$0` is the shell's own path, pidsh's messages shorten it to the
/// name (the usual prefix), so this one does too.
fn complain(sh: &Shell, message: &str) {
    let own_path = crate::bytes::to_path(&sh.state.arg0)
        .file_name()
        .is_some_and(|n| crate::bytes::decode_os(n) == sh.error_prefix);
    let who = if own_path {
        &sh.error_prefix
    } else {
        &sh.state.arg0
    };
    sh.write_stderr(&format!("{who}: {message}\n"));
}

/// Takes the next option from `args` and advances the cursor.
fn next_option(optstring: &str, args: &[String], cur: &mut Cursor) -> Found {
    let chars: Vec<char> = match args.get(cur.optind - 1) {
        Some(arg) => arg.chars().collect(),
        None => {
            // Past the end (new, fewer arguments): bash points just after
            // the last one.
            cur.optind = cur.optind.min(args.len() + 1);
            cur.letter = 0;
            return Found::End;
        }
    };
    // A stale position (OPTIND reset, or different arguments) starts over
    // at the beginning of the argument.
    if cur.letter >= chars.len() || chars.first() != Some(&'-') {
        cur.letter = 0;
    }
    if cur.letter == 0 {
        if chars.len() < 2 || chars[0] != '-' {
            return Found::End;
        }
        if chars == ['-', '-'] {
            cur.optind += 1;
            return Found::End;
        }
        cur.letter = 1;
    }
    let c = chars[cur.letter];
    cur.letter += 1;
    let at_end = cur.letter >= chars.len();
    let advance = |cur: &mut Cursor, by: usize| {
        cur.optind += by;
        cur.letter = 0;
    };
    let Some(takes_arg) = option_kind(optstring, c) else {
        if at_end {
            advance(cur, 1);
        }
        return Found::Unknown(c);
    };
    if !takes_arg {
        if at_end {
            advance(cur, 1);
        }
        return Found::Option(c, None);
    }
    if !at_end {
        let rest: String = chars[cur.letter..].iter().collect();
        advance(cur, 1);
        return Found::Option(c, Some(rest));
    }
    match args.get(cur.optind) {
        Some(next) => {
            let next = next.clone();
            advance(cur, 2);
            Found::Option(c, Some(next))
        }
        None => {
            advance(cur, 1);
            Found::MissingArgument(c)
        }
    }
}

/// Whether `c` is an option taking an argument; `None` if not an option.
fn option_kind(optstring: &str, c: char) -> Option<bool> {
    if c == ':' {
        return None;
    }
    let at = optstring.find(c)?;
    Some(optstring[at + c.len_utf8()..].starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(optstring: &str, args: &[&str]) -> Vec<(Found, usize)> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut cur = Cursor {
            optind: 1,
            letter: 0,
        };
        let mut out = Vec::new();
        loop {
            let f = next_option(optstring, &args, &mut cur);
            let end = f == Found::End;
            out.push((f, cur.optind));
            if end {
                return out;
            }
        }
    }

    #[test]
    fn bundle_keeps_optind_until_its_last_letter() {
        assert_eq!(
            all("abc:", &["-abc10"]),
            vec![
                (Found::Option('a', None), 1),
                (Found::Option('b', None), 1),
                (Found::Option('c', Some("10".into())), 2),
                (Found::End, 2),
            ]
        );
    }

    #[test]
    fn separate_argument_and_double_dash() {
        assert_eq!(
            all("hc:", &["-c", "foo", "--", "-h"]),
            vec![(Found::Option('c', Some("foo".into())), 3), (Found::End, 4)]
        );
    }

    #[test]
    fn errors_are_reported_as_values() {
        assert_eq!(all("a:", &["-Z"])[0], (Found::Unknown('Z'), 2));
        assert_eq!(all("a:", &["-a"])[0], (Found::MissingArgument('a'), 2));
    }

    #[test]
    fn operands_and_lone_dash_end_parsing() {
        assert_eq!(all("h", &["x", "-h"]), vec![(Found::End, 1)]);
        assert_eq!(all("h", &["-"]), vec![(Found::End, 1)]);
    }
}
