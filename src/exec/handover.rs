//! Handing shell state to a self-spawned pidsh (`f &`, `{ …; } &`): the
//! state becomes a script prefix — variables, exports, `shopt` options,
//! functions, `set` options, traps — followed by the code to run, passed
//! with `-c`. The `shopt` lines come before the functions, whose text may
//! need `extglob` to parse.
//!
//! Values are written in single quotes (`unparse::quote`), functions as
//! their unparsed source, so newlines and quotes survive; bytes that are not
//! UTF-8 ride in the text as `crate::bytes` characters and become the same
//! bytes in the argument, which the child decodes back. The round trip is
//! checked by `tests/bytes.rs` and `tests/subshell.rs`.

use crate::parser::ast::Command;
use crate::parser::unparse;

use super::state::{OPTION_NAMES, Shell, TrapAction};

/// Environment variable through which the child learns the parent's `$$`
/// (a subshell keeps its parent's `$$`).
pub const PARENT_PID_VAR: &str = "PIDSH_SHELL_PID";

/// Variables the child computes for itself.
const OWN_VARIABLES: &[&str] = &["PPID", "UID", "EUID", "SHLVL", "_", PARENT_PID_VAR];

/// The script that recreates `sh`'s state and then runs `command`.
pub fn script_for(sh: &Shell, command: &Command) -> String {
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
    for (n, action) in &sh.traps {
        let code = match action {
            TrapAction::Command(c) => c.clone(),
            TrapAction::Ignore => String::new(),
        };
        out.push_str(&format!("trap -- {} {n}\n", unparse::quote(&code)));
    }
    out.push_str(&unparse::command(command));
    out.push('\n');
    out
}
