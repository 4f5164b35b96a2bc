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

pub use crate::exec::builtin::{Builtin, BuiltinFn, BuiltinTable};
use crate::exec::builtin::{regular_builtin, special_builtin};

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

/// The table a shell is made with.
pub fn table() -> &'static BuiltinTable {
    static TABLE: std::sync::OnceLock<BuiltinTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| BuiltinTable::new(ALL))
}

/// Any builtin by name.
pub fn find(name: &str) -> Option<Builtin> {
    table().find(name)
}
