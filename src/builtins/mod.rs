//! Builtins: functions over the execution state, one module per family.
//!
//! Special builtins (POSIX 2.14) are looked up before functions and keep
//! their prefix assignments; an error in one ends a non-interactive shell.

mod abbr;
mod bind;
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

pub use crate::exec::builtin::{Builtin, BuiltinFn, BuiltinTable};
use crate::exec::builtin::{regular_builtin, special_builtin};

/// Every builtin.
pub const ALL: &[Builtin] = &[
    special_builtin(
        ":",
        core::colon,
        ": [arguments]",
        "Do nothing, successfully.",
    ).no_help_option(),
    special_builtin(
        ".",
        core::dot,
        ". [-p path] filename [arguments]",
        "Run the commands of a file in this shell.",
    ).waits_or_runs(),
    special_builtin(
        "break",
        core::break_,
        "break [n]",
        "Leave the n innermost loops.",
    ),
    special_builtin(
        "continue",
        core::continue_,
        "continue [n]",
        "Start the next iteration of the n-th enclosing loop.",
    ),
    special_builtin(
        "eval",
        core::eval,
        "eval [arguments]",
        "Run the arguments, joined by spaces, as shell code.",
    ).waits_or_runs(),
    special_builtin(
        "exec",
        core::exec,
        "exec [command [arguments]]",
        "Run a command in place of the shell, or make redirections permanent.",
    ).waits_or_runs(),
    special_builtin(
        "exit",
        core::exit,
        "exit [n]",
        "Leave the shell with status n.",
    ),
    special_builtin(
        "export",
        vars::export,
        "export [-n] [name[=value] ...] | export -p",
        "Mark variables for the environment of commands.",
    ).declaration(),
    special_builtin(
        "readonly",
        vars::readonly,
        "readonly [-aAf] [name[=value] ...] or readonly -p",
        "Mark variables read-only.",
    ).declaration(),
    special_builtin(
        "return",
        core::return_,
        "return [n]",
        "Return from a function or sourced file with status n.",
    ),
    special_builtin(
        "set",
        vars::set,
        "set [-abCefhmnuvx] [-o option] [--] [arguments]",
        "Set options and positional parameters, or list variables.",
    ),
    special_builtin(
        "shift",
        vars::shift,
        "shift [n]",
        "Drop the first n positional parameters.",
    ),
    special_builtin(
        "times",
        times::times,
        "times",
        "Print the shell's and its children's user and system times.",
    ),
    special_builtin(
        "trap",
        trap::trap,
        "trap [-lp] [[action] condition ...]",
        "Run a command when a signal or EXIT/ERR occurs.",
    ),
    special_builtin(
        "unset",
        vars::unset,
        "unset [-fv] name ...",
        "Remove variables or functions.",
    ),
    regular_builtin(
        "complete",
        complete::complete,
        "complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]",
        "Say how the arguments of commands complete.",
    ),
    regular_builtin(
        "compgen",
        complete::compgen,
        "compgen [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]",
        "Print the completions of a word that the options describe.",
    ),
    regular_builtin(
        "compopt",
        complete::compopt,
        "compopt [-o|+o option] [-DEI] [name ...]",
        "Change or show the options of a completion.",
    ),
    regular_builtin(
        "abbr",
        abbr::abbr,
        "abbr [-a] name expansion ... | abbr -e name ... | abbr -r old new | abbr -q name ... | abbr -l | abbr [-s]",
        "Define, list or erase abbreviations the line editor expands (as fish).",
    ),
    regular_builtin(
        "alias",
        lookup::alias,
        "alias [name[=value] ...]",
        "Define or list aliases.",
    ),
    regular_builtin(
        "bg",
        jobs::bg,
        "bg [job]",
        "Resume a stopped job in the background.",
    ).waits_or_runs(),
    regular_builtin(
        "bind",
        bind::bind,
        "bind [-vV] [-f filename] [-m keymap] [set variable value]",
        "Set or list readline variables (set editing-mode vi|emacs).",
    ),
    regular_builtin(
        "builtin",
        misc::builtin,
        "builtin [shell-builtin [arg ...]]",
        "Run a builtin, bypassing functions.",
    ).waits_or_runs(),
    regular_builtin(
        "cd",
        cd::cd,
        "cd [-L|-P] [dir|-]",
        "Change the working directory.",
    ),
    regular_builtin(
        "command",
        lookup::command,
        "command [-pvV] name [arguments]",
        "Run a command bypassing functions, or describe it.",
    ).waits_or_runs(),
    regular_builtin(
        "declare",
        declare::declare,
        "declare [-aAfFgilnprux] [name[=value] ...]",
        "Set variable values and attributes, or list them.",
    ).declaration(),
    regular_builtin(
        "echo",
        echo::echo,
        "echo [-neE] [arguments]",
        "Write the arguments to standard output.",
    ).no_help_option(),
    regular_builtin(
        "enable",
        enable::enable,
        "enable [-a] [-dnps] [-f filename] [name ...]",
        "List builtins, or turn them off (-n) and on again.",
    ),
    regular_builtin(
        "false",
        core::false_,
        "false",
        "Fail: return status 1.",
    ).no_help_option(),
    regular_builtin(
        "fg",
        jobs::fg,
        "fg [job]",
        "Resume a job in the foreground.",
    ).waits_or_runs(),
    regular_builtin(
        "getopts",
        getopts::getopts,
        "getopts optstring name [arguments]",
        "Parse option arguments one at a time.",
    ),
    regular_builtin(
        "caller",
        caller::caller,
        "caller [n]",
        "Say where the running function was called from (n frames back).",
    ),
    regular_builtin(
        "hash",
        lookup::hash,
        "hash [-r] [name ...]",
        "List, fill or clear the cache of command locations and spawn templates.",
    ),
    regular_builtin(
        "help",
        help::help,
        "help [-dms] [pattern ...]",
        "List builtins, or show the usage of those matching a pattern.",
    ),
    regular_builtin(
        "disown",
        jobs::disown,
        "disown [job ...]",
        "Forget jobs: no longer listed, waited for or sent SIGHUP.",
    ),
    regular_builtin(
        "jobs",
        jobs::jobs,
        "jobs [-lp] [job ...]",
        "List background jobs.",
    ),
    regular_builtin(
        "kill",
        jobs::kill,
        "kill [-s sig | -sig] pid|job ... | kill -l [sig]",
        "Send a signal to processes or jobs.",
    ),
    regular_builtin(
        "let",
        declare::let_,
        "let expression ...",
        "Evaluate arithmetic expressions.",
    ),
    regular_builtin(
        "printf",
        printf::printf,
        "printf [-v var] format [arguments]",
        "Write formatted output.",
    ),
    regular_builtin(
        "read",
        read::read,
        "read [-Eers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]",
        "Read a line from standard input into variables.",
    ).waits_or_runs(),
    regular_builtin(
        "test",
        test::test,
        "test [expression]",
        "Evaluate a conditional expression.",
    ).no_help_option(),
    regular_builtin(
        "[",
        test::test,
        "[ expression ]",
        "Evaluate a conditional expression (like test).",
    ).no_help_option(),
    regular_builtin(
        "local",
        declare::local,
        "local [-aAilnrux] [name[=value] ...]",
        "Make variables local to the running function.",
    ).declaration(),
    regular_builtin(
        "pwd",
        cd::pwd,
        "pwd [-L|-P]",
        "Print the working directory.",
    ),
    regular_builtin(
        "pushd",
        dirs::pushd,
        "pushd [-n] [+N | -N | dir]",
        "Push a directory onto the stack and change to it, or rotate the stack.",
    ),
    regular_builtin(
        "history",
        history::history,
        "history [-c] [-d offset] [n] | -anrw [file] | -s arg...",
        "List, edit and save the command history.",
    ),
    regular_builtin(
        "fc",
        fc::fc,
        "fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]",
        "List, edit and run again commands from the history.",
    ),
    regular_builtin(
        "logout",
        core::logout,
        "logout [n]",
        "Exit a login shell.",
    ),
    regular_builtin(
        "mapfile",
        mapfile::mapfile,
        "mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "Read lines of input into an indexed array (MAPFILE by default).",
    ).waits_or_runs(),
    regular_builtin(
        "readarray",
        mapfile::mapfile,
        "readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]",
        "The same as mapfile.",
    ).waits_or_runs(),
    regular_builtin(
        "popd",
        dirs::popd,
        "popd [-n] [+N | -N]",
        "Remove a directory from the stack and change to the new top.",
    ),
    regular_builtin(
        "dirs",
        dirs::dirs,
        "dirs [-clpv] [+N | -N]",
        "Show (or with -c clear) the directory stack.",
    ),
    regular_builtin(
        "shopt",
        shopt::shopt,
        "shopt [-pqsu] [name ...]",
        "Set, unset or list optional shell behaviours.",
    ),
    regular_builtin(
        "source",
        core::dot,
        "source [-p path] filename [arguments]",
        "Run the commands of a file in this shell.",
    ).waits_or_runs(),
    regular_builtin(
        "true",
        core::true_,
        "true",
        "Succeed: return status 0.",
    ).no_help_option(),
    regular_builtin(
        "type",
        lookup::type_,
        "type [-at] name ...",
        "Tell how each name would be interpreted as a command.",
    ),
    regular_builtin(
        "typeset",
        declare::declare,
        "typeset [-aAfFgilnprux] [name[=value] ...]",
        "Same as declare.",
    ).declaration(),
    regular_builtin(
        "ulimit",
        misc::ulimit,
        "ulimit [-SHa] [-cdfnstuv [limit]]",
        "Show or set resource limits.",
    ).needs_process(),
    regular_builtin(
        "umask",
        umask::umask,
        "umask [-S] [mode]",
        "Show or set the file creation mask.",
    ),
    regular_builtin(
        "unalias",
        lookup::unalias,
        "unalias [-a] name ...",
        "Remove aliases.",
    ),
    regular_builtin(
        "suspend",
        jobs::suspend,
        "suspend [-f]",
        "Stop the shell until it is continued.",
    ).waits_or_runs(),
    regular_builtin(
        "wait",
        jobs::wait,
        "wait [-n] [pid|job ...]",
        "Wait for background jobs and return their status.",
    ).waits_or_runs(),
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
