//! Builtins: functions over the execution state, one module per family.
//!
//! Special builtins (POSIX 2.14) are looked up before functions and keep
//! their prefix assignments; an error in one ends a non-interactive shell.

mod caller;
mod cd;
mod complete;
mod core;
mod declare;
mod dirs;
mod echo;
mod enable;
pub mod fc;
mod getopts;
mod help;
pub mod history;
mod jobs;
mod lookup;
mod mapfile;
mod misc;
mod options;
mod printf;
pub use printf::shell_quote;
mod read;
pub mod shopt;
pub mod test;
mod times;
mod trap;
mod umask;
mod vars;

use crate::exec::Shell;
use crate::exec::eval::{Status, Unwind};

/// A builtin's entry point: the shell and `argv` (with the name first).
pub type BuiltinFn = fn(&mut Shell, &[String]) -> Status;

/// A builtin utility and what the evaluator must know about it.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// Its name.
    pub name: &'static str,
    /// Its code.
    pub run: BuiltinFn,
    /// A POSIX special builtin: found before functions, keeps its prefix
    /// assignments, and its errors end a non-interactive shell.
    pub special: bool,
    /// A declaration utility (POSIX 2.9.1): arguments that look like
    /// assignments expand as assignments (no splitting, no globbing).
    pub declaration: bool,
    /// May wait for input or processes, or run other commands: as a stage
    /// of a job-controlled pipeline it must be a process of the job, which
    /// Ctrl-Z can stop. Builtins without it only report the shell's state
    /// and return, so they stay in-process even there (`jobs | wc -l`).
    pub waits_or_runs: bool,
    /// Changes what belongs to the process (resource limits): a subshell
    /// that uses it is a process of its own, so the change stays there.
    pub needs_process: bool,
    /// `NAME --help` prints its help and fails with 2 (bash); the few
    /// that take `--help` as an ordinary word (`echo`, `test`…) do not.
    pub help_option: bool,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Builtin({})", self.name)
    }
}

const fn special_builtin(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        special: true,
        ..regular_builtin(name, run)
    }
}

const fn regular_builtin(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        name,
        run,
        special: false,
        declaration: false,
        waits_or_runs: false,
        needs_process: false,
        help_option: true,
    }
}

impl Builtin {
    const fn declaration(self) -> Builtin {
        Builtin {
            declaration: true,
            ..self
        }
    }

    const fn waits_or_runs(self) -> Builtin {
        Builtin {
            waits_or_runs: true,
            ..self
        }
    }

    const fn needs_process(self) -> Builtin {
        Builtin {
            needs_process: true,
            ..self
        }
    }

    const fn no_help_option(self) -> Builtin {
        Builtin {
            help_option: false,
            ..self
        }
    }
}

/// Every builtin.
pub const ALL: &[Builtin] = &[
    special_builtin(":", core::colon).no_help_option(),
    special_builtin(".", core::dot).waits_or_runs(),
    special_builtin("break", core::break_),
    special_builtin("continue", core::continue_),
    special_builtin("eval", core::eval).waits_or_runs(),
    special_builtin("exec", core::exec).waits_or_runs(),
    special_builtin("exit", core::exit),
    special_builtin("export", vars::export).declaration(),
    special_builtin("readonly", vars::readonly).declaration(),
    special_builtin("return", core::return_),
    special_builtin("set", vars::set),
    special_builtin("shift", vars::shift),
    special_builtin("times", times::times),
    special_builtin("trap", trap::trap),
    special_builtin("unset", vars::unset),
    regular_builtin("complete", complete::complete),
    regular_builtin("compgen", complete::compgen),
    regular_builtin("compopt", complete::compopt),
    regular_builtin("alias", lookup::alias),
    regular_builtin("bg", jobs::bg).waits_or_runs(),
    regular_builtin("builtin", misc::builtin).waits_or_runs(),
    regular_builtin("cd", cd::cd),
    regular_builtin("command", lookup::command).waits_or_runs(),
    regular_builtin("declare", declare::declare).declaration(),
    regular_builtin("echo", echo::echo).no_help_option(),
    regular_builtin("enable", enable::enable),
    regular_builtin("false", core::false_).no_help_option(),
    regular_builtin("fg", jobs::fg).waits_or_runs(),
    regular_builtin("getopts", getopts::getopts),
    regular_builtin("caller", caller::caller),
    regular_builtin("hash", lookup::hash),
    regular_builtin("help", help::help),
    regular_builtin("disown", jobs::disown),
    regular_builtin("jobs", jobs::jobs),
    regular_builtin("kill", jobs::kill),
    regular_builtin("let", declare::let_),
    regular_builtin("printf", printf::printf),
    regular_builtin("read", read::read).waits_or_runs(),
    regular_builtin("test", test::test).no_help_option(),
    regular_builtin("[", test::test).no_help_option(),
    regular_builtin("local", declare::local).declaration(),
    regular_builtin("pwd", cd::pwd),
    regular_builtin("pushd", dirs::pushd),
    regular_builtin("history", history::history),
    regular_builtin("fc", fc::fc),
    regular_builtin("logout", core::logout),
    regular_builtin("mapfile", mapfile::mapfile).waits_or_runs(),
    regular_builtin("readarray", mapfile::mapfile).waits_or_runs(),
    regular_builtin("popd", dirs::popd),
    regular_builtin("dirs", dirs::dirs),
    regular_builtin("shopt", shopt::shopt),
    regular_builtin("source", core::dot).waits_or_runs(),
    regular_builtin("true", core::true_).no_help_option(),
    regular_builtin("type", lookup::type_),
    regular_builtin("typeset", declare::declare).declaration(),
    regular_builtin("ulimit", misc::ulimit).needs_process(),
    regular_builtin("umask", umask::umask),
    regular_builtin("unalias", lookup::unalias),
    regular_builtin("suspend", jobs::suspend).waits_or_runs(),
    regular_builtin("wait", jobs::wait).waits_or_runs(),
];

/// A special builtin by name.
pub fn special(name: &str) -> Option<Builtin> {
    find(name).filter(|b| b.special)
}

/// Any builtin by name (every simple command asks, so it is one hash
/// lookup rather than a scan of the table).
pub fn find(name: &str) -> Option<Builtin> {
    static BY_NAME: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Builtin>> =
        std::sync::OnceLock::new();
    BY_NAME
        .get_or_init(|| ALL.iter().map(|b| (b.name, *b)).collect())
        .get(name)
        .copied()
}

impl Shell {
    /// The builtin `name`, unless `enable -n` turned it off.
    pub fn enabled_builtin(&self, name: &str) -> Option<Builtin> {
        let b = find(name)?;
        let disabled = &self.state.disabled_builtins;
        (disabled.is_empty() || !disabled.iter().any(|d| d == name)).then_some(b)
    }

    /// Runs a builtin with its arguments (name first).
    pub fn run_builtin(&mut self, b: Builtin, argv: &[String]) -> Status {
        if b.help_option && argv.get(1).is_some_and(|a| a == "--help") {
            let topic = ["help".to_string(), b.name.to_string()];
            return help::help(self, &topic).map(|_| 2);
        }
        (b.run)(self, argv)
    }

    /// Reports a builtin's error (`NAME: message`) and gives `status`; for
    /// a special builtin a non-interactive shell in POSIX mode then exits
    /// (bash goes on).
    pub fn builtin_error(&mut self, name: &str, message: &str, status: i32) -> Status {
        self.builtin_error_unnamed(name, &format!("{name}: {message}"), status)
    }

    /// A builtin called without what it needs: `NAME: usage: …` on a line
    /// of its own, without the script and line bash leaves out there too.
    pub fn builtin_usage(&mut self, name: &str, usage: &str) -> Status {
        self.write_stderr(&format!("{name}: usage: {usage}\n"));
        Ok(2)
    }

    /// As [`Shell::builtin_error`], for a message that does not start with
    /// the builtin's name.
    pub fn builtin_error_unnamed(&mut self, name: &str, message: &str, status: i32) -> Status {
        self.report(message);
        let is_special = special(name).is_some();
        if is_special
            && self.state.options.posix
            && !self.state.options.interactive
            && !self.ctx.command_prefix
        {
            return Err(Unwind::Exit(status));
        }
        Ok(status)
    }
}
