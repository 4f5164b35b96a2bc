//! The words each action generates for a word being completed: names the
//! shell knows (commands, variables, options, jobs, signals), names of the
//! system (users, groups, services, hosts) and files.

use std::collections::BTreeSet;
use std::path::Path;

use super::Action;
use crate::exec::Shell;

/// The matches of `action` for `word` (those starting with it).
pub fn generate(sh: &Shell, action: Action, word: &str) -> Vec<String> {
    let starting = |names: Vec<String>| -> Vec<String> {
        names.into_iter().filter(|n| n.starts_with(word)).collect()
    };
    match action {
        Action::File => all_files(sh, word, FileKind::Any),
        Action::Directory => all_files(sh, word, FileKind::Directory),
        Action::Command => commands(sh, word),
        Action::Alias => starting(sorted(sh.state.aliases.keys().cloned().collect())),
        Action::Builtin => starting(builtins()),
        Action::Enabled => starting(enabled(sh, true)),
        Action::Disabled => starting(enabled(sh, false)),
        Action::HelpTopic => starting(help_topics()),
        Action::Binding => Vec::new(),
        Action::Function => starting(sorted(sh.state.functions.keys().cloned().collect())),
        Action::Keyword => starting(keywords()),
        Action::Variable => starting(variables(sh, |_| true)),
        Action::Export => starting(variables(sh, |v| v.exported)),
        Action::ArrayVar => starting(variables(sh, |v| v.array.is_some())),
        Action::SetOpt => starting(set_options()),
        Action::Shopt => starting(shopts()),
        Action::Signal => starting(signals()),
        Action::Job => starting(jobs(sh, |_| true)),
        Action::Running => starting(jobs(sh, |stopped| !stopped)),
        Action::Stopped => starting(jobs(sh, |stopped| stopped)),
        Action::User => starting(database_names("/etc/passwd")),
        Action::Group => starting(database_names("/etc/group")),
        Action::Service => starting(services()),
        Action::Hostname => starting(hosts(sh)),
    }
}

/// `names` in the order bash lists aliases and functions: sorted.
fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// The builtins' names, sorted as bash lists them.
fn builtins() -> Vec<String> {
    let mut names: Vec<String> = crate::builtins::ALL
        .iter()
        .map(|b| b.name.to_string())
        .collect();
    names.sort();
    names
}

/// The builtins `enable -n` has (`on` false) or has not turned off.
fn enabled(sh: &Shell, on: bool) -> Vec<String> {
    let disabled = &sh.state.disabled_builtins;
    builtins()
        .into_iter()
        .filter(|name| disabled.contains(name) != on)
        .collect()
}

/// What bash's `help` has a page for besides the builtins: the shell's
/// grammar (bash 5.3's list).
const GRAMMAR_TOPICS: &[&str] = &[
    "!",
    "%",
    "(( ... ))",
    "[[ ... ]]",
    "case",
    "coproc",
    "for",
    "for ((",
    "function",
    "if",
    "select",
    "time",
    "until",
    "variables",
    "while",
    "{ ... }",
];

/// `compgen -A helptopic`: the builtins and the grammar's topics, sorted.
fn help_topics() -> Vec<String> {
    let mut topics = builtins();
    topics.extend(GRAMMAR_TOPICS.iter().map(|t| t.to_string()));
    topics.sort();
    topics
}

fn keywords() -> Vec<String> {
    KEYWORDS.iter().map(|k| k.to_string()).collect()
}

/// The reserved words, as `compgen -k` lists them.
pub const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until", "do",
    "done", "in", "function", "time", "{", "}", "!", "[[", "]]", "coproc",
];

fn variables(sh: &Shell, keep: impl Fn(&crate::exec::state::Var) -> bool) -> Vec<String> {
    sh.state
        .vars
        .iter()
        .filter(|(_, v)| keep(v))
        .map(|(n, _)| n.to_string())
        .collect()
}

fn set_options() -> Vec<String> {
    crate::exec::state::OPTION_NAMES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect()
}

fn shopts() -> Vec<String> {
    crate::exec::shopts::NAMES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect()
}

fn signals() -> Vec<String> {
    (1..=libc::SIGRTMAX())
        .filter_map(crate::jobs::signals::bare_name)
        .map(|n| format!("SIG{n}"))
        .collect()
}

/// The command of each job (its first word, as bash's job names).
fn jobs(sh: &Shell, keep: impl Fn(bool) -> bool) -> Vec<String> {
    sh.jobs
        .lines()
        .into_iter()
        .filter(|l| keep(l.stopped))
        .filter_map(|l| l.text.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The first field of each line of a colon-separated database file.
fn database_names(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let names: BTreeSet<String> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split(':').next())
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    names.into_iter().collect()
}

/// Service names and aliases from `/etc/services`.
fn services() -> Vec<String> {
    let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(name) = fields.next() else {
            continue;
        };
        names.insert(name.to_string());
        // The port/protocol field, then aliases.
        names.extend(fields.skip(1).map(str::to_string));
    }
    names.into_iter().collect()
}

/// Host names from `$HOSTFILE`, else `/etc/hosts`.
fn hosts(sh: &Shell) -> Vec<String> {
    let file = sh
        .state
        .vars
        .get("HOSTFILE")
        .filter(|f| !f.is_empty())
        .unwrap_or("/etc/hosts");
    let text = std::fs::read_to_string(crate::bytes::to_path(file)).unwrap_or_default();
    let mut names = BTreeSet::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        names.extend(line.split_whitespace().skip(1).map(str::to_string));
    }
    names.into_iter().collect()
}

/// Reserved words, aliases, builtins, functions and executables on
/// `$PATH`; with a `/` in the word, the executables and directories it
/// names.
fn commands(sh: &Shell, word: &str) -> Vec<String> {
    if word.contains('/') {
        return files(sh, word, FileKind::Command);
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    names.extend(keywords());
    names.extend(sh.state.aliases.keys().cloned());
    names.extend(builtins());
    names.extend(sh.state.functions.keys().cloned());
    for dir in sh.state.vars.get("PATH").unwrap_or("").split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        names.extend(executables_in(Path::new(dir), word));
    }
    names.into_iter().filter(|n| n.starts_with(word)).collect()
}

fn executables_in(dir: &Path, prefix: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(n, _)| n.starts_with(prefix))
        .filter(|(_, p)| is_executable_file(p))
        .map(|(n, _)| n)
        .collect()
}

/// A regular file (after links) that someone may execute.
pub fn is_executable_file(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Which files a file action wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Every file.
    Any,
    /// Directories only.
    Directory,
    /// Directories and executables.
    Command,
}

/// `~` or `~user` at the start of a path replaced by the home directory,
/// for reading it.
pub fn tilde_expand(path: &str, home: Option<&str>) -> Option<String> {
    let Some(rest) = path.strip_prefix('~') else {
        return Some(path.to_string());
    };
    let (user, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let home = if user.is_empty() {
        home.map(str::to_string)
    } else {
        crate::users::by_name(user).map(|u| u.home)
    }?;
    Some(format!("{home}{tail}"))
}

/// The files whose paths start with `word`, written with its directory
/// part as typed; `.` and `..` are left out, and other names starting with
/// a dot too unless the word's last part starts with one.
pub fn files(sh: &Shell, word: &str, kind: FileKind) -> Vec<String> {
    list_files(sh, word, kind, false)
}

/// [`files`] as bash's `compgen` lists them: names starting with a dot
/// too (readline's `match-hidden-files`), but never `.` and `..`.
pub fn all_files(sh: &Shell, word: &str, kind: FileKind) -> Vec<String> {
    list_files(sh, word, kind, true)
}

fn list_files(sh: &Shell, word: &str, kind: FileKind, hidden: bool) -> Vec<String> {
    let split = word.rfind('/').map_or(0, |n| n + 1);
    let (dir, prefix) = word.split_at(split);
    let Some(read_from) = tilde_expand(dir, sh.state.vars.get("HOME")) else {
        return Vec::new();
    };
    let read_from = if read_from.is_empty() {
        ".".to_string()
    } else {
        read_from
    };
    let Ok(entries) = std::fs::read_dir(sh.in_context_dir(&read_from)) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| Some((e.file_name().into_string().ok()?, e.path())))
        .filter(|(n, _)| {
            n.starts_with(prefix) && (hidden || prefix.starts_with('.') || !n.starts_with('.'))
        })
        .filter(|(_, p)| match kind {
            FileKind::Any => true,
            FileKind::Directory => p.is_dir(),
            FileKind::Command => p.is_dir() || is_executable_file(p),
        })
        .map(|(n, _)| format!("{dir}{n}"))
        .collect();
    out.sort();
    out
}

/// Directories for `cd`: those under the current directory, then those
/// under each `CDPATH` entry (a word starting with `/`, `./` or `../`
/// only the former).
pub fn cd_directories(sh: &Shell, word: &str) -> Vec<String> {
    let mut out = files(sh, word, FileKind::Directory);
    let relative = !(word.starts_with('/') || word.starts_with("./") || word.starts_with("../"));
    if relative && let Some(cdpath) = sh.state.vars.get("CDPATH") {
        for base in cdpath.split(':').filter(|b| !b.is_empty()) {
            let base = base.trim_end_matches('/');
            for found in files(sh, &format!("{base}/{word}"), FileKind::Directory) {
                let name = found[base.len() + 1..].to_string();
                if !out.contains(&name) {
                    out.push(name);
                }
            }
        }
    }
    out
}
