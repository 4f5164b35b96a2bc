//! Readline's settings, as `bind` and inputrc files give them.
//!
//! pidsh's line editor is not readline, so of an inputrc it honours what
//! it can: `set editing-mode vi|emacs` (the same switch as `set -o vi`),
//! and the other variables, which are kept with bash's defaults and listed
//! by `bind -v` but change nothing. Key bindings of single keys
//! (`"\C-t": kill-line`, macros, `bind -x`) are kept for the line editor
//! (`keybind.rs`); what it cannot bind `bind` refuses, and a file read at
//! start-up skips.
//! `$if`/`$else`/`$endif` (on `mode=`, `term=` and the application name)
//! and `$include` are followed as readline follows them.

use std::path::{Path, PathBuf};

/// Readline's boolean variables with bash's defaults, sorted.
const BOOLEANS: &[(&str, bool)] = &[
    ("bind-tty-special-chars", true),
    ("blink-matching-paren", false),
    ("byte-oriented", false),
    ("colored-completion-prefix", false),
    ("colored-stats", false),
    ("completion-ignore-case", false),
    ("completion-map-case", false),
    ("convert-meta", false),
    ("disable-completion", false),
    ("echo-control-characters", true),
    ("enable-active-region", true),
    ("enable-bracketed-paste", true),
    ("enable-keypad", false),
    ("enable-meta-key", true),
    ("expand-tilde", false),
    ("history-preserve-point", false),
    ("horizontal-scroll-mode", false),
    ("input-meta", true),
    ("mark-directories", true),
    ("mark-modified-lines", false),
    ("mark-symlinked-directories", false),
    ("match-hidden-files", true),
    ("menu-complete-display-prefix", false),
    ("meta-flag", true),
    ("output-meta", true),
    ("page-completions", true),
    ("prefer-visible-bell", true),
    ("print-completions-horizontally", false),
    ("revert-all-at-newline", false),
    ("show-all-if-ambiguous", false),
    ("show-all-if-unmodified", false),
    ("show-mode-in-prompt", false),
    ("skip-completed-text", false),
    ("visible-stats", false),
];

/// Readline's other variables with bash's defaults, sorted. `editing-mode`
/// and `keymap` are not kept here: they follow `set -o vi`.
const STRINGS: &[(&str, &str)] = &[
    ("bell-style", "audible"),
    ("comment-begin", "#"),
    ("completion-display-width", "-1"),
    ("completion-prefix-display-length", "0"),
    ("completion-query-items", "100"),
    ("editing-mode", ""),
    ("emacs-mode-string", "@"),
    ("history-size", "0"),
    ("keymap", ""),
    ("keyseq-timeout", "500"),
    ("vi-cmd-mode-string", "(cmd)"),
    ("vi-ins-mode-string", "(ins)"),
];

/// The keymap names readline knows (`set keymap`, `bind -m`).
pub const KEYMAPS: &[&str] = &[
    "emacs",
    "emacs-standard",
    "emacs-meta",
    "emacs-ctlx",
    "vi",
    "vi-move",
    "vi-command",
    "vi-insert",
];

/// The variables' values where they differ from the defaults.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    changed: Vec<(&'static str, String)>,
    /// The keys bound (one binding per key, the newest).
    pub bindings: Vec<super::keybind::KeyBinding>,
}

/// What one line of an inputrc (or one `bind` argument) asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing: a blank line, a comment, a variable set.
    None,
    /// `set editing-mode vi` (true) or `emacs` (false).
    EditingMode(bool),
    /// A key binding: the line.
    Binding(String),
    /// Readline's own complaint (`readline: foo: unknown variable name`),
    /// which does not fail the command.
    Warning(String),
    /// `$include FILE`: the file to read in its place.
    Include(PathBuf),
}

impl Settings {
    /// Binds a key, in place of what it was bound to (a function the line
    /// editor does not know leaves the key doing nothing, as readline).
    pub fn bind(&mut self, binding: super::keybind::KeyBinding) {
        self.bindings.retain(|b| b.key != binding.key);
        self.bindings.push(binding);
    }

    /// `bind -r`: the key does what it does by default again.
    pub fn unbind(&mut self, key: super::keybind::Key) {
        self.bindings.retain(|b| b.key != key);
    }

    /// `set NAME VALUE`.
    fn set(&mut self, name: &str, value: &str) -> Effect {
        if let Some((known, _)) = BOOLEANS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            // As readline: `on` or `1` is on, anything else off.
            let on = value.eq_ignore_ascii_case("on") || value == "1";
            self.put(known, if on { "on" } else { "off" });
            return Effect::None;
        }
        let Some((known, _)) = STRINGS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) else {
            return Effect::Warning(format!("readline: {name}: unknown variable name"));
        };
        match *known {
            "editing-mode" if value == "vi" || value == "emacs" => {
                self.put(known, value);
                Effect::EditingMode(value == "vi")
            }
            "keymap" if KEYMAPS.contains(&value) => Effect::None,
            "editing-mode" | "keymap" => Effect::Warning(format!(
                "readline: {known}: could not set value to `{value}'"
            )),
            _ => {
                self.put(known, value.trim_matches('"'));
                Effect::None
            }
        }
    }

    fn put(&mut self, name: &'static str, value: &str) {
        self.changed.retain(|(n, _)| *n != name);
        self.changed.push((name, value.to_string()));
    }

    fn value<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.changed
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(default, |(_, v)| v.as_str())
    }

    /// Every variable and its value, as `bind -v` lists them: booleans
    /// first, each group sorted. `vi` says which editing mode the line
    /// editor is in (`None` without one: the mode last set here).
    pub fn listing(&self, vi: Option<bool>) -> Vec<(&'static str, String)> {
        let vi = vi.unwrap_or(self.value("editing-mode", "emacs") == "vi");
        let booleans = BOOLEANS.iter().map(|(name, on)| {
            let default = if *on { "on" } else { "off" };
            (*name, self.value(name, default).to_string())
        });
        let strings = STRINGS.iter().map(|(name, default)| {
            let value = match *name {
                "editing-mode" if vi => "vi",
                "editing-mode" => "emacs",
                "keymap" if vi => "vi-insert",
                "keymap" => "emacs",
                _ => self.value(name, default),
            };
            (*name, value.to_string())
        });
        booleans.chain(strings).collect()
    }

    /// Reads the lines of an inputrc text, following its conditionals for
    /// the editing mode `vi` and terminal `term`; the effects, in order
    /// (an `$include` is an effect: the caller reads the file).
    pub fn read(&mut self, text: &str, vi: bool, term: &str) -> Vec<Effect> {
        let mut conditions = Conditions::default();
        let mut vi = vi;
        let mut effects = Vec::new();
        for line in text.lines() {
            let line = line.trim_start();
            if let Some(directive) = line.strip_prefix('$') {
                if let Some(file) = conditions.directive(directive, vi, term)
                    && conditions.active()
                {
                    effects.push(Effect::Include(file));
                }
                continue;
            }
            if !conditions.active() {
                continue;
            }
            let effect = self.line(line);
            if let Effect::EditingMode(on) = effect {
                vi = on;
            }
            if effect != Effect::None {
                effects.push(effect);
            }
        }
        effects
    }

    /// One line that is not a directive.
    pub fn line(&mut self, line: &str) -> Effect {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Effect::None;
        }
        let mut words = line.splitn(2, char::is_whitespace);
        let first = words.next().unwrap_or_default();
        if !first.eq_ignore_ascii_case("set") {
            return Effect::Binding(line.to_string());
        }
        let rest = words.next().unwrap_or_default().trim_start();
        let mut parts = rest.splitn(2, char::is_whitespace);
        let name = parts.next().unwrap_or_default();
        let value = parts.next().unwrap_or_default().trim();
        self.set(name, value)
    }
}

/// The `$if` nesting of an inputrc: for each level, whether its branch is
/// taken and whether any enclosing one is not.
#[derive(Default)]
struct Conditions {
    levels: Vec<(bool, bool)>,
}

impl Conditions {
    fn active(&self) -> bool {
        self.levels.iter().all(|(taken, _)| *taken)
    }

    /// Follows a directive; the file of an `$include`.
    fn directive(&mut self, directive: &str, vi: bool, term: &str) -> Option<PathBuf> {
        let mut words = directive.trim().splitn(2, char::is_whitespace);
        let name = words.next().unwrap_or_default();
        let argument = words.next().unwrap_or_default().trim();
        match name {
            "if" => {
                let outer = self.active();
                self.levels.push((test(argument, vi, term), outer));
            }
            "else" => {
                if let Some(level) = self.levels.last_mut() {
                    level.0 = !level.0;
                }
            }
            "endif" => {
                self.levels.pop();
            }
            "include" => return Some(expand_tilde(argument)),
            _ => {}
        }
        None
    }
}

/// An `$if` test: `mode=vi|emacs`, `term=NAME` (the whole name or the part
/// before `-`), or an application name (pidsh's line editor answers to
/// `pidsh` and, as bash's does, `Bash`). Version tests are false.
fn test(argument: &str, vi: bool, term: &str) -> bool {
    if let Some(mode) = argument.strip_prefix("mode=") {
        return mode == if vi { "vi" } else { "emacs" };
    }
    if let Some(name) = argument.strip_prefix("term=") {
        let short = term.split('-').next().unwrap_or(term);
        return name == term || name == short;
    }
    argument.eq_ignore_ascii_case("pidsh") || argument.eq_ignore_ascii_case("bash")
}

fn expand_tilde(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(path),
    }
}

/// How deep `$include`s may nest (a file including itself stops there).
const MAX_INCLUDES: usize = 16;

impl super::Shell {
    /// Does what the lines of an inputrc text ask: the editing mode
    /// changes (in a shell with a line editor, as in bash), readline's
    /// warnings are printed, included files are read. The key bindings,
    /// which cannot be honoured, come back for the caller to refuse or
    /// skip; a file that cannot be read comes back as its error.
    pub fn apply_inputrc(&mut self, text: &str) -> Vec<Refused> {
        let mut refused = Vec::new();
        self.apply_inputrc_at(text, 0, &mut refused);
        refused
    }

    fn apply_inputrc_at(&mut self, text: &str, depth: usize, refused: &mut Vec<Refused>) {
        let term = self.state.vars.get("TERM").unwrap_or_default().to_string();
        let effects = self.readline.read(text, self.state.options.vi, &term);
        for effect in effects {
            match effect {
                Effect::Include(path) if depth < MAX_INCLUDES => match std::fs::read(&path) {
                    Ok(bytes) => {
                        let text = crate::bytes::decode_vec(bytes);
                        self.apply_inputrc_at(&text, depth + 1, refused);
                    }
                    Err(e) => refused.push(Refused::Unreadable(path, e)),
                },
                other => {
                    if let Some(binding) = self.apply_effect(other) {
                        refused.push(Refused::Binding(binding));
                    }
                }
            }
        }
    }

    /// Does what one line asks; why not, for a key binding that cannot
    /// be honoured.
    pub fn apply_effect(&mut self, effect: Effect) -> Option<String> {
        match effect {
            Effect::EditingMode(vi) if self.state.options.interactive => {
                self.state.options.vi = vi;
                self.state.options.emacs = !vi;
            }
            Effect::Warning(message) => self.write_stderr(&format!("{message}\n")),
            Effect::Binding(line) => match super::keybind::parse_binding(&line, false) {
                Ok(binding) => self.readline.bind(binding),
                Err(reason) => return Some(format!("{line}: {reason}")),
            },
            Effect::None | Effect::EditingMode(_) | Effect::Include(_) => {}
        }
        None
    }

    /// At the start of an interactive shell with a line editor, before
    /// its start-up files: `$INPUTRC`, else `~/.inputrc`, else
    /// `/etc/inputrc`, as readline reads them. Key bindings are skipped
    /// quietly (a system file is full of them).
    pub fn read_inputrc_at_start(&mut self) {
        let home = self.state.vars.get("HOME").map(|h| format!("{h}/.inputrc"));
        let candidates = [self.state.vars.get("INPUTRC").map(str::to_string), home];
        let file = candidates
            .into_iter()
            .flatten()
            .find_map(|f| std::fs::read(crate::bytes::to_path(&f)).ok())
            .or_else(|| std::fs::read("/etc/inputrc").ok());
        if let Some(bytes) = file {
            let _ = self.apply_inputrc(&crate::bytes::decode_vec(bytes));
        }
    }
}

/// What an inputrc asked for that could not be done.
#[derive(Debug)]
pub enum Refused {
    /// A key binding that cannot be honoured: the line and why.
    Binding(String),
    /// An `$include`d file that cannot be read.
    Unreadable(PathBuf, std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_conditionals_and_bindings() {
        let mut settings = Settings::default();
        let text = "# comment\nset editing-mode vi\n$if mode=vi\nset bell-style none\n\
                    \"\\C-t\": transpose-chars\n$else\nset bell-style visible\n$endif\n\
                    $if term=dumb\nset mark-directories off\n$endif\nset foo bar\n";
        let effects = settings.read(text, false, "xterm-256color");
        assert_eq!(
            effects,
            [
                Effect::EditingMode(true),
                Effect::Binding("\"\\C-t\": transpose-chars".into()),
                Effect::Warning("readline: foo: unknown variable name".into()),
            ]
        );
        let listing = settings.listing(None);
        let value = |name| {
            listing
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(value("bell-style"), Some("none"));
        assert_eq!(value("mark-directories"), Some("on"));
        assert_eq!(value("keymap"), Some("vi-insert"));
    }
}
