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

use reedline::{Completer, CompletionResult, Span, Suggestion};

use super::highlight::is_executable;
use super::scan::{KEYWORDS, Word, scan, unquote};
use super::snapshot::{Shared, Snapshot};

/// The shell's completer.
pub struct ShellCompleter {
    shared: Shared,
    /// Executables per `$PATH` directory, with the directory's mtime.
    path_cache: HashMap<PathBuf, (Option<SystemTime>, Vec<String>)>,
}

impl ShellCompleter {
    /// A completer reading the shell's state from `shared`.
    pub fn new(shared: Shared) -> Self {
        ShellCompleter {
            shared,
            path_cache: HashMap::new(),
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

/// `~`, `~/…` and `~user/…` at the start of `dir` replaced by the home
/// directory, for reading it.
fn expand_tilde(dir: &str, home: Option<&str>) -> Option<String> {
    let Some(rest) = dir.strip_prefix('~') else {
        return Some(dir.to_string());
    };
    let (user, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let home = if user.is_empty() {
        home.map(str::to_string)
    } else {
        nix::unistd::User::from_name(user)
            .ok()
            .flatten()
            .map(|u| u.dir.to_string_lossy().into_owned())
    }?;
    Some(format!("{home}{tail}"))
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
    let Some(read_from) = expand_tilde(&dir, snap.home.as_deref()) else {
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
    let mut found: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok().map(|n| (n, e.path())))
        .filter(|(name, _)| {
            name.starts_with(prefix) && (prefix.starts_with('.') || !name.starts_with('.'))
        })
        .filter_map(|(name, path)| {
            let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
            (!executables || is_dir || is_executable(&path)).then_some((name, is_dir))
        })
        .collect();
    found.sort();
    // The quote the user opened in the last part of the word, if any.
    let opened = word
        .open_quote
        .filter(|_| open_quote_at_end(raw_dir).is_none());
    found
        .into_iter()
        .map(|(name, is_dir)| {
            let mut value = format!("{raw_dir}{}", quote_name(&name, raw_dir, opened, !is_dir));
            if is_dir {
                value.push('/');
            }
            Suggestion {
                value,
                display_override: Some(if is_dir { format!("{name}/") } else { name }),
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
        let scanned = scan(before);
        let word = match scanned.words.last() {
            Some(w) if w.end == before.len() && !before.ends_with([' ', '\t']) => w.clone(),
            _ => Word {
                start: before.len(),
                end: before.len(),
                command: scanned.command_next && !scanned.target_next,
                open_quote: None,
            },
        };
        let raw = &before[word.start..word.end];
        let span = Span::new(word.start, word.end);

        if word.open_quote != Some('\'')
            && let Some((at, brace, name)) = variable_at_end(raw)
        {
            let names = self.shared.lock().variables.clone();
            return names
                .into_iter()
                .filter(|n| n.starts_with(name))
                .map(|n| Suggestion {
                    value: if brace {
                        format!("${{{n}}}")
                    } else {
                        format!("${n}")
                    },
                    span: Span::new(word.start + at, word.end),
                    ..Suggestion::default()
                })
                .collect();
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
        let typed = unquote(raw);
        if word.command && !typed.contains('/') {
            return self
                .commands(&typed)
                .into_iter()
                .map(|n| Suggestion {
                    value: quote_name(&n, "", word.open_quote, true),
                    display_override: Some(n),
                    span,
                    append_whitespace: true,
                    ..Suggestion::default()
                })
                .collect();
        }
        let snap = self.shared.lock().clone();
        files(before, &word, &snap, word.command)
    }
}

impl Completer for ShellCompleter {
    fn complete(&mut self, line: &str, pos: usize) -> CompletionResult {
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
        CompletionResult::fresh(suggestions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_match_gives_an_empty_edit_instead_of_an_empty_menu() {
        let mut completer = ShellCompleter::new(super::super::snapshot::Shared::default());
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
        let mut c = ShellCompleter::new(Shared::default());
        let s = c.suggestions("ech", 3);
        assert!(s.iter().any(|s| s.value == "echo" && s.append_whitespace));
    }
}
