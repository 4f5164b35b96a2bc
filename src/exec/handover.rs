//! Handing shell state to a self-spawned pidsh (`f &`, `{ …; } &`): the
//! state becomes a script prefix — variables, exports, `shopt` options,
//! functions, `set` options, ignored signals — followed by the code to
//! run, passed with `-c`. The `shopt` lines come before the functions,
//! whose text may need `extglob` to parse.
//!
//! Values are written in single quotes (`unparse::quote`), functions as
//! their unparsed source, so newlines and quotes survive; bytes that are not
//! UTF-8 ride in the text as `crate::bytes` characters and become the same
//! bytes in the argument, which the child decodes back. The round trip is
//! checked by `tests/bytes.rs` and `tests/subshell.rs`.
//!
//! The child is a subshell, so a trap's command does not carry over; an
//! ignored signal does. The child starts with those signals already
//! ignored (`SigIgnore` ops: a background job ignores SIGINT and SIGQUIT
//! from its first instruction), and learns from [`IGNORED_ON_ENTRY_VAR`]
//! which of its ignored signals the *parent* had ignored on entry: only
//! those are beyond `trap`. The others are `trap ''` lines of the prefix,
//! so the job may still trap or reset them, as in bash.

use crate::parser::ast::Command;
use crate::parser::unparse;

use super::state::{OPTION_NAMES, Shell};

/// Environment variable through which the child learns the parent's `$$`
/// (a subshell keeps its parent's `$$`).
pub const PARENT_PID_VAR: &str = "PIDSH_SHELL_PID";

/// Environment variable through which the child learns which signals the
/// parent shell had ignored on entry (`2,3`; empty for none): the child's
/// own start-up sees more signals ignored than that.
pub const IGNORED_ON_ENTRY_VAR: &str = "PIDSH_IGNORED_ON_ENTRY";

/// Variables the child computes for itself.
const OWN_VARIABLES: &[&str] = &[
    "PPID",
    "UID",
    "EUID",
    "SHLVL",
    "_",
    PARENT_PID_VAR,
    IGNORED_ON_ENTRY_VAR,
];

/// The value of [`IGNORED_ON_ENTRY_VAR`] for a child of `sh`.
pub fn ignored_on_entry(sh: &Shell) -> String {
    let numbers: Vec<String> = sh.ignored_signals.iter().map(i32::to_string).collect();
    numbers.join(",")
}

/// Parses [`IGNORED_ON_ENTRY_VAR`]'s value; numbers out of range are
/// dropped.
pub fn parse_ignored_on_entry(value: &str) -> Vec<i32> {
    value
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .filter(|n| (1..65).contains(n))
        .collect()
}

/// The script that recreates `sh`'s state and then runs `command`.
/// `ignored`: the signals the child starts with ignored (besides those
/// ignored on entry), recorded as its `trap ''`s.
pub fn script_for(sh: &Shell, command: &Command, ignored: &[i32]) -> String {
    let mut out = String::new();
    let mut vars: Vec<_> = sh.vars.iter().collect();
    vars.sort_by(|a, b| a.0.cmp(b.0));
    for (name, var) in &vars {
        if OWN_VARIABLES.contains(&name.as_str()) {
            continue;
        }
        if let Some(v) = &var.value {
            out.push_str(&format!("{name}={}\n", unparse::quote(v)));
        }
        if var.exported {
            out.push_str(&format!("export {name}\n"));
        }
        if var.readonly {
            out.push_str(&format!("readonly {name}\n"));
        }
    }
    for (name, default) in crate::builtins::shopt::NAMES {
        let on = sh.shopt_on(name);
        if on != *default {
            let flag = if on { 's' } else { 'u' };
            out.push_str(&format!("shopt -{flag} {name}\n"));
        }
    }
    let mut functions: Vec<_> = sh.functions.values().collect();
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    for f in functions {
        out.push_str(&unparse::function_compact(f));
        out.push('\n');
    }
    for (name, _) in OPTION_NAMES {
        if sh.options.get(name) && !matches!(*name, "monitor" | "vi" | "emacs") {
            out.push_str(&format!("set -o {name}\n"));
        }
    }
    // The child is a subshell: a trap's command is not inherited (an EXIT
    // trap would run in both shells), an ignored signal is.
    for n in ignored {
        out.push_str(&format!("trap -- '' {n}\n"));
    }
    out.push_str(&unparse::command(command));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_on_entry_round_trips() {
        assert_eq!(parse_ignored_on_entry("2,3"), [2, 3]);
        assert_eq!(parse_ignored_on_entry(""), Vec::<i32>::new());
        assert_eq!(parse_ignored_on_entry("0,x,65,15"), [15]);
    }
}
