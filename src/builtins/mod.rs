//! Builtins: functions over the execution state, one module per family.
//!
//! Special builtins (POSIX 2.14) are looked up before functions and keep
//! their prefix assignments; an error in one ends a non-interactive shell.

mod caller;
mod core;
mod declare;
mod dirs;
mod dirstack;
mod echo;
pub mod fc;
pub mod history;
pub use echo::decode_escapes;
mod getopts;
mod help;
mod kill;
mod lookup;
mod mapfile;
mod misc;
mod options;
mod printf;
pub use printf::shell_quote;
mod process;
mod read;
pub mod shopt;
pub mod test;
mod vars;

use crate::exec::Shell;
use crate::exec::eval::{Status, Unwind};

/// A builtin's entry point: the shell and `argv` (with the name first).
pub type BuiltinFn = fn(&mut Shell, &[String]) -> Status;

/// A builtin utility.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// Its name.
    pub name: &'static str,
    /// Its code.
    pub run: BuiltinFn,
    /// A POSIX special builtin.
    pub special: bool,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Builtin({})", self.name)
    }
}

const fn special_builtin(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        name,
        run,
        special: true,
    }
}

const fn regular_builtin(name: &'static str, run: BuiltinFn) -> Builtin {
    Builtin {
        name,
        run,
        special: false,
    }
}

/// Every builtin.
pub const ALL: &[Builtin] = &[
    special_builtin(":", core::colon),
    special_builtin(".", core::dot),
    special_builtin("break", core::break_),
    special_builtin("continue", core::continue_),
    special_builtin("eval", core::eval),
    special_builtin("exec", core::exec),
    special_builtin("exit", core::exit),
    special_builtin("export", vars::export),
    special_builtin("readonly", vars::readonly),
    special_builtin("return", core::return_),
    special_builtin("set", vars::set),
    special_builtin("shift", vars::shift),
    special_builtin("times", process::times),
    special_builtin("trap", process::trap),
    special_builtin("unset", vars::unset),
    regular_builtin("alias", lookup::alias),
    regular_builtin("bg", kill::bg),
    regular_builtin("builtin", misc::builtin),
    regular_builtin("cd", dirs::cd),
    regular_builtin("command", lookup::command),
    regular_builtin("declare", declare::declare),
    regular_builtin("echo", echo::echo),
    regular_builtin("false", core::false_),
    regular_builtin("fg", kill::fg),
    regular_builtin("getopts", getopts::getopts),
    regular_builtin("caller", caller::caller),
    regular_builtin("hash", lookup::hash),
    regular_builtin("help", help::help),
    regular_builtin("disown", process::disown),
    regular_builtin("jobs", kill::jobs),
    regular_builtin("kill", kill::kill),
    regular_builtin("let", declare::let_),
    regular_builtin("printf", printf::printf),
    regular_builtin("read", read::read),
    regular_builtin("test", test::test),
    regular_builtin("[", test::test),
    regular_builtin("local", declare::local),
    regular_builtin("pwd", dirs::pwd),
    regular_builtin("pushd", dirstack::pushd),
    regular_builtin("history", history::history),
    regular_builtin("fc", fc::fc),
    regular_builtin("logout", process::logout),
    regular_builtin("mapfile", mapfile::mapfile),
    regular_builtin("readarray", mapfile::mapfile),
    regular_builtin("popd", dirstack::popd),
    regular_builtin("dirs", dirstack::dirs),
    regular_builtin("shopt", shopt::shopt),
    regular_builtin("source", core::dot),
    regular_builtin("true", core::true_),
    regular_builtin("type", lookup::type_),
    regular_builtin("typeset", declare::declare),
    regular_builtin("ulimit", misc::ulimit),
    regular_builtin("umask", dirs::umask),
    regular_builtin("unalias", lookup::unalias),
    regular_builtin("suspend", process::suspend),
    regular_builtin("wait", process::wait),
];

/// A special builtin by name.
pub fn special(name: &str) -> Option<Builtin> {
    find(name).filter(|b| b.special)
}

/// A regular builtin by name.
pub fn regular(name: &str) -> Option<Builtin> {
    find(name).filter(|b| !b.special)
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
    /// Runs a builtin with its arguments (name first).
    pub fn run_builtin(&mut self, b: Builtin, argv: &[String]) -> Status {
        (b.run)(self, argv)
    }

    /// Reports a builtin's error (`NAME: message`) and gives `status`; for
    /// a special builtin a non-interactive shell in POSIX mode then exits
    /// (bash goes on).
    pub fn builtin_error(&mut self, name: &str, message: &str, status: i32) -> Status {
        self.report(&format!("{name}: {message}"));
        let is_special = special(name).is_some();
        if is_special && self.options.posix && !self.options.interactive && !self.command_prefix {
            return Err(Unwind::Exit(status));
        }
        Ok(status)
    }
}
