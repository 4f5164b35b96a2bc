//! What the evaluator knows of a builtin (its flags: special,
//! declaration utility, may wait, needs a process, answers `--help`) and
//! the table of builtins a shell is given when it is made. The `builtins`
//! module fills the table; the evaluator dispatches through it and never
//! names a builtin's code.

use rustc_hash::FxHashMap;

use super::Shell;
use super::eval::{Status, Unwind};

/// A builtin's entry point: the shell and `argv` (with the name first).
pub type BuiltinFn = fn(&mut Shell, &[String]) -> Status;

/// A builtin utility and what the evaluator must know about it.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// Its name.
    pub name: &'static str,
    /// Its usage line for `help NAME` (`cd [-L|-P] [dir|-]`).
    pub synopsis: &'static str,
    /// What it does, in one line, for `help`.
    pub summary: &'static str,
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

/// A POSIX special builtin with the default flags: its name, code, usage
/// line and one-line summary.
pub const fn special_builtin(
    name: &'static str,
    run: BuiltinFn,
    synopsis: &'static str,
    summary: &'static str,
) -> Builtin {
    Builtin {
        special: true,
        ..regular_builtin(name, run, synopsis, summary)
    }
}

/// A regular builtin with the default flags: its name, code, usage line
/// and one-line summary.
pub const fn regular_builtin(
    name: &'static str,
    run: BuiltinFn,
    synopsis: &'static str,
    summary: &'static str,
) -> Builtin {
    Builtin {
        name,
        synopsis,
        summary,
        run,
        special: false,
        declaration: false,
        waits_or_runs: false,
        needs_process: false,
        help_option: true,
    }
}

impl Builtin {
    /// The same builtin, with this flag.
    pub const fn declaration(self) -> Builtin {
        Builtin {
            declaration: true,
            ..self
        }
    }

    /// The same builtin, with this flag.
    pub const fn waits_or_runs(self) -> Builtin {
        Builtin {
            waits_or_runs: true,
            ..self
        }
    }

    /// The same builtin, with this flag.
    pub const fn needs_process(self) -> Builtin {
        Builtin {
            needs_process: true,
            ..self
        }
    }

    /// The same builtin, with this flag.
    pub const fn no_help_option(self) -> Builtin {
        Builtin {
            help_option: false,
            ..self
        }
    }
}

/// The builtins a shell knows, by name (every simple command asks, so a
/// lookup is one hash probe).
pub struct BuiltinTable {
    all: &'static [Builtin],
    /// Name → position in `all` (a small map: built at every start).
    by_name: FxHashMap<&'static str, usize>,
}

impl std::fmt::Debug for BuiltinTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BuiltinTable({} builtins)", self.all.len())
    }
}

impl BuiltinTable {
    /// The table of `all`, in that order.
    pub fn new(all: &'static [Builtin]) -> BuiltinTable {
        let by_name = all.iter().enumerate().map(|(i, b)| (b.name, i)).collect();
        BuiltinTable { all, by_name }
    }

    /// Every builtin, in the table's order.
    pub fn all(&self) -> &'static [Builtin] {
        self.all
    }

    /// Any builtin by name.
    pub fn find(&self, name: &str) -> Option<Builtin> {
        let &index = self.by_name.get(name)?;
        self.all.get(index).copied()
    }

    /// A special builtin by name.
    pub fn special(&self, name: &str) -> Option<Builtin> {
        self.find(name).filter(|b| b.special)
    }

    /// A regular builtin by name.
    pub fn regular(&self, name: &str) -> Option<Builtin> {
        self.find(name).filter(|b| !b.special)
    }
}

impl Shell {
    /// The builtin `name`, unless `enable -n` turned it off.
    pub fn enabled_builtin(&self, name: &str) -> Option<Builtin> {
        let b = self.builtins.find(name)?;
        let disabled = &self.state.disabled_builtins;
        (disabled.is_empty() || !disabled.iter().any(|d| d == name)).then_some(b)
    }

    /// Runs a builtin with its arguments (name first); `NAME --help` runs
    /// `help NAME` and gives 2, as bash.
    pub fn run_builtin(&mut self, b: Builtin, argv: &[String]) -> Status {
        let wants_help = b.help_option && argv.get(1).is_some_and(|a| a == "--help");
        if wants_help && let Some(help) = self.builtins.find("help") {
            let topic = ["help".to_string(), b.name.to_string()];
            return (help.run)(self, &topic).map(|_| 2);
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
        let is_special = self.builtins.special(name).is_some();
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
