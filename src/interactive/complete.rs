//! Tab completion: command names (reserved words, builtins, functions,
//! aliases, executables on `$PATH`), files and directories (quoted as the
//! shell needs them, `/` after a directory), `$VAR` names and `~user`.
//!
//! The word under the cursor comes from the same scan as the colours. The
//! `$PATH` listing is cached per directory and read again only when the
//! directory's modification time changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use nu_ansi_term::Style;
use reedline::{Completer, CompletionResult, CompletionStatus, Span, Suggestion};

use super::context::{self, Kind};
use super::highlight::is_executable;
use super::lscolors::LsColors;
use super::scan::{KEYWORDS, Word, unquote};
use super::snapshot::{Shared, Snapshot};
use super::wake::EditorWake;
use crate::completion::Special;
use crate::completion::actions::tilde_expand;
use crate::completion::program::Call;

/// The shell's completer.
pub struct ShellCompleter {
    shared: Shared,
    /// Executables per `$PATH` directory, with the directory's mtime.
    path_cache: HashMap<PathBuf, (Option<SystemTime>, Vec<String>)>,
    /// The last request (line, cursor, snapshot generation) and its
    /// answer: reedline asks again for the same line while it opens the
    /// menu, and a completion function should run once per key.
    last: Option<((String, usize, u64), Vec<Suggestion>)>,
    /// Told each time the editor is about to wait for a key.
    wake: EditorWake,
}

impl ShellCompleter {
    /// A completer reading the shell's state from `shared`, telling
    /// `wake` when the editor waits.
    pub fn new(shared: Shared, wake: EditorWake) -> Self {
        ShellCompleter {
            shared,
            path_cache: HashMap::new(),
            last: None,
            wake,
        }
    }

    fn path_executables(&mut self, path: &str, prefix: &str, out: &mut Vec<String>) {
        for dir in path.split(':') {
            let dir = PathBuf::from(if dir.is_empty() { "." } else { dir });
            let mtime = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
            let entry = self.path_cache.entry(dir.clone()).or_default();
            if entry.1.is_empty() || entry.0 != mtime {
                *entry = (mtime, list_executables(&dir));
            }
            out.extend(entry.1.iter().filter(|n| n.starts_with(prefix)).cloned());
        }
    }

    fn commands(&mut self, prefix: &str) -> Vec<String> {
        let mut names: Vec<String> = KEYWORDS
            .iter()
            .copied()
            .chain(crate::builtins::ALL.iter().map(|b| b.name))
            .filter(|n| n.starts_with(prefix))
            .map(str::to_string)
            .collect();
        let path = {
            let snap = self.shared.lock();
            names.extend(
                snap.functions
                    .iter()
                    .chain(snap.aliases.iter())
                    .filter(|n| n.starts_with(prefix))
                    .cloned(),
            );
            snap.path.clone()
        };
        if let Some(path) = path {
            self.path_executables(&path, prefix, &mut names);
        }
        names.sort();
        names.dedup();
        names
    }
}

fn list_executables(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| is_executable(&e.path()))
        .filter_map(|e| e.file_name().into_string().ok())
        .collect()
}

/// Characters that must be escaped in an unquoted word.
fn needs_escape(c: char, first: bool) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\n'
            | '\''
            | '"'
            | '\\'
            | '$'
            | '`'
            | '&'
            | '|'
            | ';'
            | '<'
            | '>'
            | '('
            | ')'
            | '['
            | ']'
            | '*'
            | '?'
            | '!'
            | '{'
            | '}'
    ) || (first && matches!(c, '#' | '~' | '='))
}

/// The quote still open at the end of `raw` (the start of a word).
fn open_quote_at_end(raw: &str) -> Option<char> {
    let mut chars = raw.chars();
    let mut open = None;
    while let Some(c) = chars.next() {
        match (open, c) {
            (None | Some('"'), '\\') => {
                chars.next();
            }
            (None, '\'' | '"') => open = Some(c),
            (Some(q), c) if c == q => open = None,
            _ => {}
        }
    }
    open
}

/// `name` written to follow `before` (the text of the word before it) so
/// that the word means it: inside the quote `before` left open, or the one
/// the user opened after it (`opened`), or with backslashes. `closed`:
/// close the quote (a complete name, not a directory to go on in).
fn quote_name(name: &str, before: &str, opened: Option<char>, closed: bool) -> String {
    let inside = open_quote_at_end(before);
    let style = inside.or(opened);
    let mut out = String::new();
    if inside.is_none()
        && let Some(q) = opened
    {
        out.push(q);
    }
    match style {
        Some('\'') => out.push_str(&name.replace('\'', r"'\''")),
        Some(_) => {
            for c in name.chars() {
                if matches!(c, '"' | '\\' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
        }
        None => {
            for (i, c) in name.chars().enumerate() {
                if needs_escape(c, i == 0 && before.is_empty()) {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    if closed && let Some(q) = style {
        out.push(q);
    }
    out
}

/// `$NAME` and `${NAME}` in `text` replaced by their values.
fn expand_variables(text: &str, values: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        out.push_str(values.get(name).map_or("", String::as_str));
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// Files in the directory part of the word whose names start with its
/// last part; only directories and executables for a command name. The
/// directory part stays as typed; only the name is added, quoted to fit.
fn files(line: &str, word: &Word, snap: &Snapshot, executables: bool) -> Vec<Suggestion> {
    let raw = &line[word.start..word.end];
    let raw_dir = &raw[..raw.rfind('/').map_or(0, |n| n + 1)];
    let typed = unquote(raw);
    let prefix = &typed[typed.rfind('/').map_or(0, |n| n + 1)..];
    let dir = expand_variables(&unquote(raw_dir), &snap.values);
    let Some(read_from) = tilde_expand(&dir, snap.home.as_deref()) else {
        return Vec::new();
    };
    let read_from = if read_from.is_empty() {
        ".".to_string()
    } else {
        read_from
    };
    let Ok(entries) = std::fs::read_dir(&read_from) else {
        return Vec::new();
    };
    let colors = snap.values.get("LS_COLORS").map(|c| LsColors::parse(c));
    let mut found: Vec<(String, bool, Option<Style>)> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok().map(|n| (n, e.path())))
        .filter(|(name, _)| {
            name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'))
        })
        .filter_map(|(name, path)| {
            let target = std::fs::metadata(&path).ok();
            let is_dir = target.as_ref().is_some_and(|m| m.is_dir());
            let style = colors.as_ref().and_then(|c| {
                let link = std::fs::symlink_metadata(&path).ok()?;
                c.style(&name, &link, target.as_ref())
            });
            (!executables || is_dir || is_executable(&path)).then_some((name, is_dir, style))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    // The quote the user opened in the last part of the word, if any.
    let opened = word
        .open_quote
        .filter(|_| open_quote_at_end(raw_dir).is_none());
    found
        .into_iter()
        .map(|(name, is_dir, style)| {
            let mut value = format!("{raw_dir}{}", quote_name(&name, raw_dir, opened, !is_dir));
            if is_dir {
                value.push('/');
            }
            Suggestion {
                value,
                display_override: Some(if is_dir { format!("{name}/") } else { name }),
                style,
                span: Span::new(word.start, word.end),
                append_whitespace: !is_dir,
                ..Suggestion::default()
            }
        })
        .collect()
}

/// The `$NAME` or `${NAME` being typed at the end of `raw`: its offset in
/// `raw`, whether it has the brace, and the name typed so far.
fn variable_at_end(raw: &str) -> Option<(usize, bool, &str)> {
    let name_start = raw
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |n| n + 1);
    let name = &raw[name_start..];
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let before = &raw[..name_start];
    if before.ends_with("${") {
        Some((name_start - 2, true, name))
    } else if before.ends_with('$') {
        Some((name_start - 1, false, name))
    } else {
        None
    }
}

/// Users from the password database whose names start with `prefix`.
fn users(prefix: &str) -> Vec<String> {
    let Ok(passwd) = std::fs::read_to_string("/etc/passwd") else {
        return Vec::new();
    };
    let mut names: Vec<String> = passwd
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|n| !n.is_empty() && n.starts_with(prefix))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

impl ShellCompleter {
    /// The suggestions for the word ending at `pos` in `line`.
    pub fn suggestions(&mut self, line: &str, pos: usize) -> Vec<Suggestion> {
        let before = line.get(..pos).unwrap_or(line);
        let ctx = context::at(before);
        let word = ctx.word.clone();
        let raw = &before[word.start..word.end];
        let span = Span::new(word.start, word.end);

        if word.open_quote != Some('\'')
            && let Some((at, brace, name)) = variable_at_end(raw)
        {
            return self.variables(name, brace, Span::new(word.start + at, word.end));
        }
        if let Some(user) = raw.strip_prefix('~')
            && !user.contains('/')
            && word.open_quote.is_none()
        {
            return users(user)
                .into_iter()
                .map(|n| Suggestion {
                    value: format!("~{n}/"),
                    span,
                    ..Suggestion::default()
                })
                .collect();
        }
        // `complete -E` for an empty line, `complete -I` for a command word.
        let special = match ctx.kind {
            _ if before.trim().is_empty() => Some(Special::Empty),
            Kind::Command => Some(Special::Initial),
            _ => None,
        };
        if let Some(which) = special.filter(|w| self.has_special(*w))
            && let (Some(found), _) = self.programmable(line, pos, word.start, Some(which))
        {
            return found;
        }
        match ctx.kind {
            Kind::Command if !unquote(raw).contains('/') => self.command_names(raw, &word),
            Kind::Command => {
                let snap = self.shared.lock().clone();
                files(before, &word, &snap, true)
            }
            Kind::RedirectTarget => {
                let snap = self.shared.lock().clone();
                files(before, &word, &snap, false)
            }
            Kind::AssignmentValue { at } => {
                // A list of paths (`PATH=/bin:/us`) completes its last one.
                let from = before[at..].rfind(':').map_or(at, |n| at + n + 1);
                let part = Word {
                    start: from.max(word.start),
                    ..word
                };
                let snap = self.shared.lock().clone();
                files(before, &part, &snap, false)
            }
            Kind::Argument { name, start } => self.argument(line, pos, &word, &name, start),
        }
    }

    /// Whether `complete` set the special specification `which`.
    fn has_special(&self, which: Special) -> bool {
        let guard = self.shared.completion_shell();
        guard
            .shell
            .as_ref()
            .is_some_and(|sh| sh.completion.table.special.contains_key(&which))
    }

    fn variables(&self, name: &str, brace: bool, span: Span) -> Vec<Suggestion> {
        let names = self.shared.lock().variables.clone();
        names
            .into_iter()
            .filter(|n| n.starts_with(name))
            .map(|n| Suggestion {
                value: if brace {
                    format!("${{{n}}}")
                } else {
                    format!("${n}")
                },
                span,
                ..Suggestion::default()
            })
            .collect()
    }

    fn command_names(&mut self, raw: &str, word: &Word) -> Vec<Suggestion> {
        let typed = unquote(raw);
        self.commands(&typed)
            .into_iter()
            .map(|n| Suggestion {
                value: quote_name(&n, "", word.open_quote, true),
                display_override: Some(n),
                span: Span::new(word.start, word.end),
                append_whitespace: true,
                ..Suggestion::default()
            })
            .collect()
    }

    /// An argument: job specs after `fg %`, the command's completion
    /// specification (bash's programmable completion), directories for
    /// `cd`, options with descriptions from the man page, else files.
    fn argument(
        &mut self,
        line: &str,
        pos: usize,
        word: &Word,
        name: &str,
        start: usize,
    ) -> Vec<Suggestion> {
        let raw = &line[word.start..word.end];
        if raw.starts_with('%') && JOB_COMMANDS.contains(&name) {
            return self.job_specs(raw, word);
        }
        let typed = unquote(raw);
        let (answer, fallback) = self.programmable(line, pos, start, None);
        // A script that found nothing for an option (bash-completion's
        // minimal fallback completes files only) leaves it to the man page.
        if let Some(found) = answer.filter(|f| !f.is_empty() || !typed.starts_with('-')) {
            return found;
        }
        let snap = self.shared.lock().clone();
        if matches!(name, "cd" | "pushd") && !fallback {
            return self.cd_directories(line, word, &typed);
        }
        if typed.starts_with('-') && !typed.contains('=') {
            let found = self.man_options(name, &typed, word);
            if !found.is_empty() {
                return found;
            }
        }
        files(line, word, &snap, false)
    }

    fn job_specs(&self, raw: &str, word: &Word) -> Vec<Suggestion> {
        let jobs = self.shared.lock().jobs.clone();
        jobs.into_iter()
            .flat_map(|(n, text)| {
                let first = text.split_whitespace().next().unwrap_or("").to_string();
                [(format!("%{n}"), text.clone()), (format!("%{first}"), text)]
            })
            .filter(|(spec, _)| spec.starts_with(raw))
            .map(|(value, text)| Suggestion {
                value,
                description: Some(text),
                span: Span::new(word.start, word.end),
                append_whitespace: true,
                ..Suggestion::default()
            })
            .collect()
    }

    fn cd_directories(&self, line: &str, word: &Word, typed: &str) -> Vec<Suggestion> {
        let mut guard = self.shared.completion_shell();
        let Some(sh) = guard.shell.as_mut() else {
            return Vec::new();
        };
        let found = crate::completion::actions::cd_directories(sh, typed);
        drop(guard);
        let raw = &line[word.start..word.end];
        let raw_dir = &raw[..raw.rfind('/').map_or(0, |n| n + 1)];
        let typed_dir_len = typed.rfind('/').map_or(0, |n| n + 1);
        // The quote the user opened in the last part of the word stays open.
        let opened = word
            .open_quote
            .filter(|_| open_quote_at_end(raw_dir).is_none());
        found
            .into_iter()
            .map(|path| {
                let name = &path[typed_dir_len.min(path.len())..];
                let value = format!("{raw_dir}{}/", quote_name(name, raw_dir, opened, false));
                Suggestion {
                    value,
                    display_override: Some(format!("{name}/")),
                    span: Span::new(word.start, word.end),
                    append_whitespace: false,
                    ..Suggestion::default()
                }
            })
            .collect()
    }

    /// Runs the command's completion specification in the completion
    /// shell. `Some` when it produced an answer to show; the flag says
    /// the specification asked for the shell's default completion.
    fn programmable(
        &mut self,
        line: &str,
        pos: usize,
        start: usize,
        special: Option<Special>,
    ) -> (Option<Vec<Suggestion>>, bool) {
        // reedline asks several times per key press (the menu, the
        // common prefix): `complete` answers repeats from its cache, so
        // this is one Tab, a completion (bash's 9).
        let kind = 9;
        let mut guard = self.shared.completion_shell();
        guard.used = true;
        let Some(sh) = guard.shell.as_mut() else {
            return (None, false);
        };
        let end = command_end(line, pos);
        let call = Call::new(sh, &line[start..end], pos - start, kind);
        let answer = {
            let _signals = KeyboardSignals::on();
            match special {
                None => crate::completion::program::complete_arguments(sh, &call),
                Some(which) => crate::completion::program::complete_special(sh, &call, which),
            }
        };
        let _ = crate::jobs::signals::take_interrupt();
        let loaded = crate::completion::program::main_file_loaded(sh);
        drop(guard);
        let Some(answer) = answer else {
            return (None, false);
        };
        if answer.interrupted {
            return (Some(Vec::new()), false);
        }
        let options = answer.options;
        let wants_default = options.has("default") || options.has("bashdefault");
        if answer.matches.is_empty() && (wants_default || !loaded) {
            return (None, true);
        }
        let current_start = pos - call.split.current.len();
        let opened = line[..current_start]
            .chars()
            .last()
            .filter(|c| matches!(c, '\'' | '"') && call.split.current.len() < pos - start);
        (
            Some(spec_suggestions(
                &answer.matches,
                options,
                Span::new(current_start.min(pos), pos),
                opened,
            )),
            false,
        )
    }
}

/// Commands whose `%` arguments are job specs.
const JOB_COMMANDS: &[&str] = &["fg", "bg", "jobs", "disown", "wait", "kill"];

/// The end of the command the cursor is in: the first `;`, `|`, `&` or
/// newline after it outside quotes, else the end of the line.
fn command_end(line: &str, pos: usize) -> usize {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in line[pos..].char_indices() {
        match (quote, c) {
            _ if escaped => escaped = false,
            (_, '\\') => escaped = true,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ';' | '|' | '&' | '\n') => return pos + i,
            _ => {}
        }
    }
    line.len()
}

/// Menu entries for a specification's matches: quoted as file names with
/// `-o filenames` (unless `noquote`), a `/` after directories, no space
/// after the word with `-o nospace`.
fn spec_suggestions(
    matches: &[String],
    options: crate::completion::Options,
    span: Span,
    opened: Option<char>,
) -> Vec<Suggestion> {
    let filenames = options.has("filenames");
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<Suggestion> = Vec::new();
    for m in matches {
        if !seen.insert(m.clone()) {
            continue;
        }
        let is_dir = filenames && Path::new(m).is_dir();
        let mut value = if filenames && !options.has("noquote") {
            quote_name(m, "", opened, !is_dir)
        } else {
            m.clone()
        };
        if is_dir && !value.ends_with('/') {
            value.push('/');
        }
        let display = if filenames {
            m.rsplit('/')
                .find(|s| !s.is_empty())
                .unwrap_or(m)
                .to_string()
        } else {
            m.clone()
        };
        out.push(Suggestion {
            value,
            display_override: Some(if is_dir {
                format!("{display}/")
            } else {
                display
            }),
            span,
            append_whitespace: !is_dir && !options.has("nospace"),
            ..Suggestion::default()
        });
    }
    if !options.has("nosort") {
        out.sort_by(|a, b| a.value.cmp(&b.value));
    }
    out
}

/// While a completion function runs, the terminal's Ctrl-C sends SIGINT
/// again (the line editor reads it as a key otherwise), so that a slow
/// function can be interrupted: the shell's handler notes it and the
/// function unwinds; its children, in the shell's process group, die of
/// it. The editor's modes come back when this goes.
struct KeyboardSignals(Option<nix::sys::termios::Termios>);

impl KeyboardSignals {
    fn on() -> KeyboardSignals {
        use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
        let Ok(saved) = tcgetattr(std::io::stdin()) else {
            return KeyboardSignals(None);
        };
        let mut with_signals = saved.clone();
        with_signals.local_flags.insert(LocalFlags::ISIG);
        let _ = tcsetattr(std::io::stdin(), SetArg::TCSANOW, &with_signals);
        KeyboardSignals(Some(saved))
    }
}

impl Drop for KeyboardSignals {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            let _ = nix::sys::termios::tcsetattr(
                std::io::stdin(),
                nix::sys::termios::SetArg::TCSANOW,
                saved,
            );
        }
    }
}

impl Completer for ShellCompleter {
    fn complete(&mut self, line: &str, pos: usize) -> CompletionResult {
        let key = (line.to_string(), pos, self.shared.lock().generation);
        if let Some((last, answer)) = &self.last
            && *last == key
        {
            return CompletionResult::fresh(answer.clone());
        }
        let mut suggestions = self.suggestions(line, pos);
        if suggestions.is_empty() {
            // Nothing matches: an empty edit at the cursor, applied at once
            // (quick completions), instead of an empty menu saying so.
            suggestions.push(Suggestion {
                value: String::new(),
                span: Span::new(pos, pos),
                append_whitespace: false,
                ..Suggestion::default()
            });
        }
        self.last = Some((key, suggestions.clone()));
        CompletionResult::fresh(suggestions)
    }

    /// reedline asks this once per turn of its input loop, after painting
    /// and right before it waits for input: the moment a wake-up may be
    /// raised ([`EditorWake::waiting`]). Completions here are never
    /// in the background.
    fn poll_completion(&mut self) -> CompletionStatus {
        self.wake.waiting();
        CompletionStatus::Idle
    }
}

impl ShellCompleter {
    /// Options of `name` with their descriptions, from its man page.
    fn man_options(&self, name: &str, typed: &str, word: &Word) -> Vec<Suggestion> {
        let mut guard = self.shared.completion_shell();
        let Some(sh) = guard.shell.as_mut() else {
            return Vec::new();
        };
        let options = crate::completion::manpage::options(sh, name);
        drop(guard);
        options
            .into_iter()
            .filter(|o| o.name.starts_with(typed))
            .map(|o| Suggestion {
                append_whitespace: !o.name.ends_with('='),
                value: o.name,
                description: (!o.description.is_empty()).then_some(o.description),
                span: Span::new(word.start, word.end),
                ..Suggestion::default()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_match_gives_an_empty_edit_instead_of_an_empty_menu() {
        let mut completer = ShellCompleter::new(
            super::super::snapshot::Shared::default(),
            EditorWake::default(),
        );
        let line = "echo ./no-such-file-zzqq";
        let result = completer.complete(line, line.len());
        let values: Vec<(String, usize, usize)> = result
            .suggestions()
            .iter()
            .map(|s| (s.value.clone(), s.span.start, s.span.end))
            .collect();
        assert_eq!(values, [(String::new(), line.len(), line.len())]);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote_name("my file", "", None, true), r"my\ file");
        assert_eq!(quote_name("a b", "~/", None, true), r"a\ b");
        assert_eq!(quote_name("a b", "~/", Some('\''), true), "'a b'");
        assert_eq!(quote_name("a b", "'my dir/", Some('\''), true), "a b'");
        assert_eq!(quote_name("it's", "", Some('\''), false), r"'it'\''s");
        assert_eq!(quote_name("#x", "", None, true), r"\#x");
        assert_eq!(quote_name("#x", "d/", None, true), "#x");
    }

    #[test]
    fn variables_in_directories() {
        let values = HashMap::from([("HOME".to_string(), "/h".to_string())]);
        assert_eq!(expand_variables("$HOME/x/${HOME}$", &values), "/h/x//h$");
    }

    #[test]
    fn open_quotes() {
        assert_eq!(open_quote_at_end("'a b/"), Some('\''));
        assert_eq!(open_quote_at_end(r#""a\"b"#), Some('"'));
        assert_eq!(open_quote_at_end("'a'b"), None);
    }

    #[test]
    fn variables() {
        assert_eq!(variable_at_end("$HO"), Some((0, false, "HO")));
        assert_eq!(variable_at_end("a${PA"), Some((1, true, "PA")));
        assert_eq!(variable_at_end("abc"), None);
    }

    #[test]
    fn builtins_complete() {
        let mut c = ShellCompleter::new(Shared::default(), EditorWake::default());
        let s = c.suggestions("ech", 3);
        assert!(s.iter().any(|s| s.value == "echo" && s.append_whitespace));
    }
}
