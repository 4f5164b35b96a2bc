//! Programmable completion, as bash has it: the specifications that
//! `complete` records per command ([`Spec`]), the words each action
//! generates ([`actions`]), running a specification against a command line
//! with the `COMP_*` variables ([`program`]), and options with
//! descriptions read from man pages ([`manpage`]).
//!
//! This layer knows the shell's state but not the line editor: the
//! builtins `complete`, `compgen` and `compopt` use it, and so does the
//! interactive completer, which turns its answers into menu entries.

pub mod actions;
pub mod manpage;
pub mod program;
pub mod words;

use std::collections::BTreeMap;
use std::sync::Arc;

/// What an action (`-A NAME`, or its one-letter form) generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// `-a`: alias names.
    Alias,
    /// `-A arrayvar`: names of array variables.
    ArrayVar,
    /// `-A binding`: line-editor function names (none here).
    Binding,
    /// `-b`: builtin names.
    Builtin,
    /// `-c`: command names.
    Command,
    /// `-d`: directory names.
    Directory,
    /// `-A disabled`: disabled builtins (none here).
    Disabled,
    /// `-A enabled`: enabled builtins.
    Enabled,
    /// `-e`: exported variables.
    Export,
    /// `-f`: file names.
    File,
    /// `-A function`: function names.
    Function,
    /// `-g`: group names.
    Group,
    /// `-A helptopic`: topics `help` knows.
    HelpTopic,
    /// `-A hostname`: host names from `$HOSTFILE` or `/etc/hosts`.
    Hostname,
    /// `-j`: job names.
    Job,
    /// `-k`: reserved words.
    Keyword,
    /// `-A running`: names of running jobs.
    Running,
    /// `-s`: service names.
    Service,
    /// `-A setopt`: `set -o` option names.
    SetOpt,
    /// `-A shopt`: `shopt` option names.
    Shopt,
    /// `-A signal`: signal names.
    Signal,
    /// `-A stopped`: names of stopped jobs.
    Stopped,
    /// `-u`: user names.
    User,
    /// `-v`: variable names.
    Variable,
}

/// Each action with its `-A` name and its one-letter option, in the order
/// `complete -p` prints them (letters first, as bash does).
pub const ACTIONS: &[(Action, &str, Option<char>)] = &[
    (Action::Alias, "alias", Some('a')),
    (Action::Builtin, "builtin", Some('b')),
    (Action::Command, "command", Some('c')),
    (Action::Directory, "directory", Some('d')),
    (Action::Export, "export", Some('e')),
    (Action::File, "file", Some('f')),
    (Action::Group, "group", Some('g')),
    (Action::Job, "job", Some('j')),
    (Action::Keyword, "keyword", Some('k')),
    (Action::Service, "service", Some('s')),
    (Action::User, "user", Some('u')),
    (Action::Variable, "variable", Some('v')),
    (Action::ArrayVar, "arrayvar", None),
    (Action::Binding, "binding", None),
    (Action::Disabled, "disabled", None),
    (Action::Enabled, "enabled", None),
    (Action::Function, "function", None),
    (Action::HelpTopic, "helptopic", None),
    (Action::Hostname, "hostname", None),
    (Action::Running, "running", None),
    (Action::SetOpt, "setopt", None),
    (Action::Shopt, "shopt", None),
    (Action::Signal, "signal", None),
    (Action::Stopped, "stopped", None),
];

impl Action {
    /// The action `-A name` means.
    pub fn by_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|a| a.1 == name).map(|a| a.0)
    }

    /// The action of a one-letter option (`-c`).
    pub fn by_letter(letter: char) -> Option<Action> {
        ACTIONS.iter().find(|a| a.2 == Some(letter)).map(|a| a.0)
    }
}

/// The `-o` options of a specification, as a set of flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options(u8);

/// The `-o` option names with their flags, in `complete -p` order.
pub const OPTION_NAMES: &[(&str, u8)] = &[
    ("bashdefault", 1),
    ("default", 2),
    ("dirnames", 4),
    ("filenames", 8),
    ("noquote", 16),
    ("nosort", 32),
    ("nospace", 64),
    ("plusdirs", 128),
];

impl Options {
    /// The flag of an option name.
    pub fn flag(name: &str) -> Option<u8> {
        OPTION_NAMES.iter().find(|o| o.0 == name).map(|o| o.1)
    }

    /// Whether the named option is on.
    pub fn has(self, name: &str) -> bool {
        Options::flag(name).is_some_and(|f| self.0 & f != 0)
    }

    /// Turns a flag on or off.
    pub fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.0 |= flag;
        } else {
            self.0 &= !flag;
        }
    }

    /// The names of the options that are on.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        OPTION_NAMES
            .iter()
            .filter(move |o| self.0 & o.1 != 0)
            .map(|o| o.0)
    }
}

/// One completion specification (`complete` with its options).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    /// `-o` options.
    pub options: Options,
    /// Actions, in the order given.
    pub actions: Vec<Action>,
    /// `-G`: a pathname pattern.
    pub glob: Option<String>,
    /// `-W`: a word list, expanded when used.
    pub words: Option<String>,
    /// `-P`: added before each match.
    pub prefix: Option<String>,
    /// `-S`: added after each match.
    pub suffix: Option<String>,
    /// `-X`: matches of this pattern are removed (kept with a leading `!`).
    pub filter: Option<String>,
    /// `-C`: a command whose output lines are matches.
    pub command: Option<String>,
    /// `-F`: a function that fills `COMPREPLY`.
    pub function: Option<String>,
}

impl Spec {
    /// The options of `complete` that recreate this specification (`complete
    /// -p`), in bash's order.
    pub fn describe(&self) -> String {
        let mut out = String::from("complete");
        for name in self.options.names() {
            out.push_str(&format!(" -o {name}"));
        }
        for (action, name, letter) in ACTIONS {
            if !self.actions.contains(action) {
                continue;
            }
            match letter {
                Some(l) => out.push_str(&format!(" -{l}")),
                None => out.push_str(&format!(" -A {name}")),
            }
        }
        let quoted = [
            ("-G", &self.glob),
            ("-W", &self.words),
            ("-P", &self.prefix),
            ("-S", &self.suffix),
            ("-X", &self.filter),
            ("-C", &self.command),
        ];
        for (flag, value) in quoted {
            if let Some(v) = value {
                out.push_str(&format!(" {flag} {}", single_quote(v)));
            }
        }
        if let Some(f) = &self.function {
            out.push_str(&format!(" -F {f}"));
        }
        out
    }
}

/// `'text'`, with each `'` written as `'\''` (bash's `sh_single_quote`).
pub fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The special specifications `complete` can set besides commands'.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Special {
    /// `-D`: commands without a specification of their own.
    Default,
    /// `-E`: an empty line.
    Empty,
    /// `-I`: the command word itself.
    Initial,
}

impl Special {
    /// The option that names it.
    pub fn flag(self) -> &'static str {
        match self {
            Special::Default => "-D",
            Special::Empty => "-E",
            Special::Initial => "-I",
        }
    }
}

/// The specifications `complete` recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Per command name (or path), in bash's table (512 buckets to
    /// start), so that `complete -p` lists them in bash's order.
    pub commands: crate::exec::assoc::HashTable<Spec, 512>,
    /// `-D`, `-E` and `-I`.
    pub special: BTreeMap<Special, Spec>,
}

/// The completion state of a shell: shared with its copies until one of
/// them changes it (a subshell's `complete` does not reach its parent).
#[derive(Debug, Clone, Default)]
pub struct State {
    /// What `complete` recorded.
    pub table: Arc<Table>,
    /// While a completion function runs: the options of the completion
    /// being made, which `compopt` without names changes.
    pub running: Option<Options>,
    /// The bash-completion main file has been looked for (and read, if
    /// found).
    pub main_file_tried: bool,
}

impl State {
    /// The table, to change it.
    pub fn table_mut(&mut self) -> &mut Table {
        Arc::make_mut(&mut self.table)
    }

    /// The specification for a command word: by the whole word, then by
    /// its last path component (bash).
    pub fn for_command(&self, word: &str) -> Option<&Spec> {
        self.table.commands.value(word).or_else(|| {
            let base = word.rsplit('/').next().unwrap_or(word);
            self.table.commands.value(base)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_as_bash_prints_it() {
        let mut spec = Spec {
            actions: vec![Action::Signal, Action::File, Action::User],
            glob: Some("*.c".into()),
            filter: Some("*.o".into()),
            function: Some("_f".into()),
            ..Spec::default()
        };
        spec.options
            .set(Options::flag("filenames").unwrap_or(0), true);
        spec.options
            .set(Options::flag("default").unwrap_or(0), true);
        assert_eq!(
            spec.describe(),
            "complete -o default -o filenames -f -u -A signal -G '*.c' -X '*.o' -F _f"
        );
    }

    #[test]
    fn actions_by_name_and_letter() {
        assert_eq!(Action::by_name("stopped"), Some(Action::Stopped));
        assert_eq!(Action::by_letter('c'), Some(Action::Command));
        assert_eq!(Action::by_letter('x'), None);
    }
}
