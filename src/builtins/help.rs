//! `help`: one line per builtin, and each builtin's usage, from the
//! table the shell was made with (each entry carries its own help).

use crate::exec::Shell;
use crate::exec::builtin::Builtin;
use crate::exec::eval::Status;

/// A `help` topic matches a name it equals or begins, or as a glob.
fn matches_topic(pattern: &str, name: &str) -> bool {
    name.starts_with(pattern) || crate::expand::pattern::Pattern::new(pattern).matches(name)
}

/// `help [pattern…]`: without arguments, every builtin with its summary;
/// with names or patterns, the usage of each match (an exact name shows
/// only that builtin).
pub fn help(sh: &mut Shell, argv: &[String]) -> Status {
    let mut topics: Vec<Builtin> = sh.builtins.all().to_vec();
    topics.sort_by_key(|b| b.name);
    topics.dedup_by_key(|b| b.name);
    let patterns: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if patterns.is_empty() {
        let width = topics.iter().map(|b| b.name.len()).max().unwrap_or(0);
        let mut out = String::from("pidsh builtins (help NAME shows one's usage):\n\n");
        for b in &topics {
            out.push_str(&format!("{:<width$}  {}\n", b.name, b.summary));
        }
        return Ok(if sh.print("help", &out)? { 0 } else { 1 });
    }
    let mut out = String::new();
    for pattern in &patterns {
        let exact: Vec<_> = topics
            .iter()
            .filter(|b| b.name == pattern.as_str())
            .collect();
        let found: Vec<_> = if exact.is_empty() {
            topics
                .iter()
                .filter(|b| matches_topic(pattern, b.name))
                .collect()
        } else {
            exact
        };
        if found.is_empty() {
            let msg = format!("no help topics match `{pattern}'.  Try `help' for the list.");
            return sh.builtin_error("help", &msg, 1);
        }
        for b in found {
            out.push_str(&format!("{}: {}\n    {}\n", b.name, b.synopsis, b.summary));
        }
    }
    Ok(if sh.print("help", &out)? { 0 } else { 1 })
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
