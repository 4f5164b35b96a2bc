//! `help`: one line per builtin, and each builtin's usage, from the
//! table the shell was made with (each entry carries its own help).

use crate::exec::Shell;
use crate::exec::builtin::Builtin;
use crate::exec::eval::Status;

/// A `help` topic matches a name it equals or begins, or as a glob.
fn matches_topic(pattern: &str, name: &str) -> bool {
    name.starts_with(pattern) || matches_exactly(pattern, name)
}

/// The first of bash's two passes: the name itself, or a glob of it.
fn matches_exactly(pattern: &str, name: &str) -> bool {
    name == pattern || crate::expand::pattern::Pattern::new(pattern).matches(name)
}

/// How `help` shows a topic.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// The usage line and the summary.
    Usage,
    /// `-s`: the usage line only.
    Synopsis,
    /// `-d`: `name - summary`.
    Description,
}

const USAGE: &str = "help: usage: help [-dms] [pattern ...]";

/// `help [-dms] [pattern…]`: without patterns, every builtin with its
/// summary; with names or patterns (bash's two passes: the names a
/// pattern equals or matches as a glob, else those it begins), the usage
/// of each match (`-s`: the usage line alone, `-d`: a one-line
/// description; `-m` is the default form).
pub fn help(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "dms") {
        Ok(parsed) => parsed,
        Err(e) => return sh.builtin_error("help", &format!("{e}\n{USAGE}"), 2),
    };
    let form = match opts.iter().map(|(c, _)| *c).find(|c| *c != 'm') {
        Some('s') => Form::Synopsis,
        Some('d') => Form::Description,
        _ => Form::Usage,
    };
    let mut topics: Vec<Builtin> = sh.builtins.all().to_vec();
    topics.sort_by_key(|b| b.name);
    topics.dedup_by_key(|b| b.name);
    let patterns = &argv[1 + first..];
    if patterns.is_empty() {
        let width = topics.iter().map(|b| b.name.len()).max().unwrap_or(0);
        let mut out = String::from("pidsh builtins (help NAME shows one's usage):\n\n");
        for b in &topics {
            out.push_str(&format!("{:<width$}  {}\n", b.name, b.summary));
        }
        return Ok(if sh.print("help", &out)? { 0 } else { 1 });
    }
    let mut out = String::new();
    if patterns[0].contains(['*', '?', '[']) {
        let s = if patterns.len() > 1 { "s" } else { "" };
        out.push_str(&format!(
            "Shell commands matching keyword{s} `{}'\n\n",
            patterns.join(", ")
        ));
    }
    let mut status = 0;
    for pattern in patterns {
        let mut found: Vec<_> = topics
            .iter()
            .filter(|b| matches_exactly(pattern, b.name))
            .collect();
        if found.is_empty() {
            found = topics
                .iter()
                .filter(|b| matches_topic(pattern, b.name))
                .collect();
        }
        if found.is_empty() {
            let msg = format!(
                "no help topics match `{pattern}'.  Try `help help' or `man -k {pattern}' or `info {pattern}'."
            );
            status = sh.builtin_error("help", &msg, 1)?;
            continue;
        }
        for b in found {
            out.push_str(&match form {
                Form::Usage => format!("{}: {}\n    {}\n", b.name, b.synopsis, b.summary),
                Form::Synopsis => format!("{}: {}\n", b.name, b.synopsis),
                Form::Description => format!("{} - {}\n", b.name, b.summary),
            });
        }
    }
    if !sh.print("help", &out)? {
        return Ok(1);
    }
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_match_by_prefix_or_glob() {
        assert!(matches_topic("re", "read"));
        assert!(matches_topic("*opts", "getopts"));
        assert!(!matches_topic("zz", "read"));
    }

    #[test]
    fn every_builtin_has_a_usage_and_a_summary() {
        for b in crate::builtins::ALL {
            let usage_names_it = b.synopsis.split(' ').next() == Some(b.name);
            assert!(usage_names_it, "usage of {}: {}", b.name, b.synopsis);
            assert!(!b.summary.is_empty(), "no summary for {}", b.name);
        }
    }
}
