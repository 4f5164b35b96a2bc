//! `help`: one line per builtin, and each builtin's usage.

use crate::exec::Shell;
use crate::exec::eval::Status;

/// (name, synopsis, one-line summary) for every builtin.
pub const TOPICS: &[(&str, &str, &str)] = &[
    (":", ": [arguments]", "Do nothing, successfully."),
    (
        ".",
        ". file [arguments]",
        "Run the commands of a file in this shell.",
    ),
    (
        "[",
        "[ expression ]",
        "Evaluate a conditional expression (like test).",
    ),
    (
        "alias",
        "alias [name[=value] ...]",
        "Define or list aliases.",
    ),
    ("bg", "bg [job]", "Resume a stopped job in the background."),
    (
        "bind",
        "bind [-vV] [-f filename] [-m keymap] [set variable value]",
        "Set or list readline variables (set editing-mode vi|emacs).",
    ),
    ("break", "break [n]", "Leave the n innermost loops."),
    (
        "builtin",
        "builtin name [arguments]",
        "Run a builtin, bypassing functions.",
    ),
    (
        "caller",
        "caller [n]",
        "Say where the running function was called from (n frames back).",
    ),
    ("cd", "cd [-L|-P] [dir|-]", "Change the working directory."),
    (
        "command",
        "command [-pvV] name [arguments]",
        "Run a command bypassing functions, or describe it.",
    ),
    (
        "compgen",
        "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]",
        "Print the completions of a word that the options describe.",
    ),
    (
        "complete",
        "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]",
        "Say how the arguments of commands complete.",
    ),
    (
        "compopt",
        "compopt [-o|+o option] [-DEI] [name ...]",
        "Change or show the options of a completion.",
    ),
    (
        "continue",
        "continue [n]",
        "Start the next iteration of the n-th enclosing loop.",
    ),
    (
        "declare",
        "declare [-aAfFgilnprux] [name[=value] ...]",
        "Set variable values and attributes, or list them.",
    ),
    (
        "dirs",
        "dirs [-clpv] [+N | -N]",
        "Show (or with -c clear) the directory stack.",
    ),
    (
        "disown",
        "disown [job ...]",
        "Forget jobs: no longer listed, waited for or sent SIGHUP.",
    ),
    (
        "echo",
        "echo [-neE] [arguments]",
        "Write the arguments to standard output.",
    ),
    (
        "eval",
        "eval [arguments]",
        "Run the arguments, joined by spaces, as shell code.",
    ),
    (
        "exec",
        "exec [command [arguments]]",
        "Run a command in place of the shell, or make redirections permanent.",
    ),
    ("exit", "exit [n]", "Leave the shell with status n."),
    (
        "export",
        "export [-n] [name[=value] ...] | export -p",
        "Mark variables for the environment of commands.",
    ),
    ("false", "false", "Fail: return status 1."),
    ("fg", "fg [job]", "Resume a job in the foreground."),
    (
        "getopts",
        "getopts optstring name [arguments]",
        "Parse option arguments one at a time.",
    ),
    (
        "hash",
        "hash [-r] [name ...]",
        "List, fill or clear the cache of command locations and spawn templates.",
    ),
    (
        "help",
        "help [pattern ...]",
        "List builtins, or show the usage of those matching a pattern.",
    ),
    ("jobs", "jobs [-lp] [job ...]", "List background jobs."),
    (
        "kill",
        "kill [-s sig | -sig] pid|job ... | kill -l [sig]",
        "Send a signal to processes or jobs.",
    ),
    (
        "let",
        "let expression ...",
        "Evaluate arithmetic expressions.",
    ),
    (
        "local",
        "local [-aAilnrux] [name[=value] ...]",
        "Make variables local to the running function.",
    ),
    (
        "printf",
        "printf [-v var] format [arguments]",
        "Write formatted output.",
    ),
    (
        "fc",
        "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]",
        "List, edit and run again commands from the history.",
    ),
    ("logout", "logout [n]", "Exit a login shell."),
    (
        "history",
        "history [-c] [-d offset] [n] | -anrw [file] | -s arg...",
        "List, edit and save the command history.",
    ),
    (
        "mapfile",
        "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "Read lines of input into an indexed array (MAPFILE by default).",
    ),
    (
        "popd",
        "popd [-n] [+N | -N]",
        "Remove a directory from the stack and change to the new top.",
    ),
    (
        "pushd",
        "pushd [-n] [+N | -N | dir]",
        "Push a directory onto the stack and change to it, or rotate the stack.",
    ),
    ("pwd", "pwd [-L|-P]", "Print the working directory."),
    (
        "readarray",
        "readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "The same as mapfile.",
    ),
    (
        "read",
        "read [-ers] [-a array] [-d delim] [-n|-N n] [-p prompt] [-t secs] [-u fd] [name ...]",
        "Read a line from standard input into variables.",
    ),
    (
        "readonly",
        "readonly [-p] [name[=value] ...]",
        "Mark variables read-only.",
    ),
    (
        "return",
        "return [n]",
        "Return from a function or sourced file with status n.",
    ),
    (
        "set",
        "set [-abCefhmnuvx] [-o option] [--] [arguments]",
        "Set options and positional parameters, or list variables.",
    ),
    (
        "shift",
        "shift [n]",
        "Drop the first n positional parameters.",
    ),
    (
        "source",
        "source file [arguments]",
        "Run the commands of a file in this shell.",
    ),
    (
        "shopt",
        "shopt [-pqsu] [name ...]",
        "Set, unset or list optional shell behaviours.",
    ),
    (
        "suspend",
        "suspend [-f]",
        "Stop the shell until it is continued.",
    ),
    (
        "test",
        "test [expression]",
        "Evaluate a conditional expression.",
    ),
    (
        "times",
        "times",
        "Print the shell's and its children's user and system times.",
    ),
    (
        "trap",
        "trap [-lp] [[action] condition ...]",
        "Run a command when a signal or EXIT/ERR occurs.",
    ),
    ("true", "true", "Succeed: return status 0."),
    (
        "type",
        "type [-at] name ...",
        "Tell how each name would be interpreted as a command.",
    ),
    (
        "typeset",
        "typeset [-aAfFgilnprux] [name[=value] ...]",
        "Same as declare.",
    ),
    (
        "ulimit",
        "ulimit [-SHa] [-cdfnstuv [limit]]",
        "Show or set resource limits.",
    ),
    (
        "umask",
        "umask [-S] [mode]",
        "Show or set the file creation mask.",
    ),
    ("unalias", "unalias [-a] name ...", "Remove aliases."),
    (
        "unset",
        "unset [-fv] name ...",
        "Remove variables or functions.",
    ),
    (
        "wait",
        "wait [-n] [pid|job ...]",
        "Wait for background jobs and return their status.",
    ),
];

/// A `help` topic matches a name it equals or begins, or as a glob.
fn matches_topic(pattern: &str, name: &str) -> bool {
    name.starts_with(pattern) || crate::expand::pattern::Pattern::new(pattern).matches(name)
}

/// `help [pattern…]`: without arguments, every builtin with its summary;
/// with names or patterns, the usage of each match (an exact name shows
/// only that builtin).
pub fn help(sh: &mut Shell, argv: &[String]) -> Status {
    let patterns: Vec<&String> = argv[1..].iter().filter(|a| !a.starts_with('-')).collect();
    if patterns.is_empty() {
        let width = TOPICS.iter().map(|t| t.0.len()).max().unwrap_or(0);
        let mut out = String::from("pidsh builtins (help NAME shows one's usage):\n\n");
        for (name, _, summary) in TOPICS {
            out.push_str(&format!("{name:<width$}  {summary}\n"));
        }
        return Ok(if sh.print("help", &out)? { 0 } else { 1 });
    }
    let mut out = String::new();
    for pattern in &patterns {
        let exact: Vec<_> = TOPICS.iter().filter(|t| t.0 == pattern.as_str()).collect();
        let found: Vec<_> = if exact.is_empty() {
            TOPICS
                .iter()
                .filter(|t| matches_topic(pattern, t.0))
                .collect()
        } else {
            exact
        };
        if found.is_empty() {
            let msg = format!("no help topics match `{pattern}'.  Try `help' for the list.");
            return sh.builtin_error("help", &msg, 1);
        }
        for (name, synopsis, summary) in found {
            out.push_str(&format!("{name}: {synopsis}\n    {summary}\n"));
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
    fn every_builtin_has_a_topic_and_every_topic_a_builtin() {
        for b in crate::builtins::ALL {
            assert!(
                TOPICS.iter().any(|t| t.0 == b.name),
                "no help for {}",
                b.name
            );
        }
        for t in TOPICS {
            assert!(
                crate::builtins::find(t.0).is_some(),
                "help for missing {}",
                t.0
            );
        }
    }
}
