//! Syntax colours for the line being edited.
//!
//! One [`scan`] and at most one parse per keystroke: the scan classifies
//! every byte (keywords, command names, quotes, expansions, redirections,
//! comments); command names are then looked up as the shell would
//! (reserved word, builtin, function, alias, `$PATH`) and shown green when
//! they exist and red when they do not; the parser marks a real syntax
//! error (an *incomplete* line is not one). `$PATH` lookups are cached
//! until the next prompt.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use nu_ansi_term::{Color, Style};
use reedline::{Highlighter, StyledText};

use super::scan::{Class, KEYWORDS, scan, unquote};
use super::snapshot::Shared;
use crate::parser::ParseErrorKind;

/// Colours the command line from the shell's point of view.
pub struct ShellHighlighter {
    shared: Shared,
    /// `$PATH` lookups of this prompt: (snapshot generation, name → found).
    found: Mutex<(u64, HashMap<String, bool>)>,
}

impl ShellHighlighter {
    /// A highlighter reading the shell's state from `shared`.
    pub fn new(shared: Shared) -> Self {
        ShellHighlighter {
            shared,
            found: Mutex::new((0, HashMap::new())),
        }
    }

    /// Whether `name` would run something (without running or spawning
    /// anything): the order of `Shell::classify`, then `$PATH`.
    fn exists(&self, name: &str) -> bool {
        if name.contains('/') {
            return is_executable(std::path::Path::new(name));
        }
        if KEYWORDS.contains(&name) || crate::builtins::find(name).is_some() {
            return true;
        }
        let (generation, path) = {
            let snap = self.shared.lock();
            if snap.functions.contains(name) || snap.aliases.contains(name) {
                return true;
            }
            (snap.generation, snap.path.clone())
        };
        let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        if found.0 != generation {
            *found = (generation, HashMap::new());
        }
        if let Some(&hit) = found.1.get(name) {
            return hit;
        }
        let hit = crate::exec::lookup::search_path(name, path.as_deref()).is_some();
        found.1.insert(name.to_string(), hit);
        hit
    }
}

/// A regular file with an execute bit.
pub fn is_executable(path: &std::path::Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn style_of(class: Class) -> Style {
    match class {
        Class::Plain | Class::Command => Style::new(),
        Class::Keyword => Style::new().fg(Color::Purple).bold(),
        Class::Assignment | Class::Expansion => Style::new().fg(Color::Cyan),
        Class::Quoted => Style::new().fg(Color::Yellow),
        Class::Operator => Style::new().bold(),
        Class::Redirect => Style::new().fg(Color::LightBlue),
        Class::Comment => Style::new().fg(Color::Fixed(244)),
    }
}

/// The byte offset of a 1-based line and character column in `text`.
fn offset_of(text: &str, line: u32, col: u32) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(n) => start += n + 1,
            None => return text.len(),
        }
    }
    text[start..]
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(text.len(), |(i, _)| start + i)
}

impl Highlighter for ShellHighlighter {
    fn highlight(&self, line: &str, cursor: usize) -> StyledText {
        self.shared.note_painted(line, cursor);
        let scan = scan(line);
        let mut styles: Vec<Style> = scan.classes.iter().map(|&c| style_of(c)).collect();
        for word in scan.words.iter().filter(|w| w.command) {
            let text = &line[word.start..word.end];
            if text.contains(['$', '`']) {
                continue;
            }
            let style = if self.exists(&unquote(text)) {
                Style::new().fg(Color::Green)
            } else {
                Style::new().fg(Color::Red)
            };
            let range = word.start..word.end;
            for (s, c) in styles[range.clone()].iter_mut().zip(&scan.classes[range]) {
                if *c == Class::Command {
                    *s = style;
                }
            }
        }
        if let Err(e) = crate::parser::parse_program(line)
            && e.kind != ParseErrorKind::Incomplete
        {
            let at = offset_of(line, e.line, e.col);
            let end = line[at..]
                .find([' ', '\t', '\n'])
                .map_or(line.len(), |n| at + n.max(1));
            for s in &mut styles[at..end] {
                *s = Style::new().fg(Color::White).on(Color::Red);
            }
        }
        let mut out = StyledText::new();
        let mut start = 0;
        for i in 1..=line.len() {
            if i == line.len() || (line.is_char_boundary(i) && styles[i] != styles[start]) {
                out.push((styles[start], line[start..i].to_string()));
                start = i;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours(line: &str) -> Vec<(Style, String)> {
        ShellHighlighter::new(Shared::default())
            .highlight(line, line.len())
            .buffer
    }

    #[test]
    fn builtin_is_green_unknown_is_red() {
        let parts = colours("echo hi; no-such-command-here");
        assert_eq!(parts[0], (Style::new().fg(Color::Green), "echo".into()));
        let last = parts.last().cloned().unwrap_or_default();
        assert_eq!(last.0, Style::new().fg(Color::Red));
    }

    #[test]
    fn syntax_error_is_marked() {
        let parts = colours("echo fi; fi");
        let last = parts.last().cloned().unwrap_or_default();
        assert_eq!(
            last,
            (Style::new().fg(Color::White).on(Color::Red), "fi".into())
        );
    }

    #[test]
    fn incomplete_is_not_an_error() {
        let parts = colours("if true; then");
        assert!(parts.iter().all(|(s, _)| s.background.is_none()));
    }

    #[test]
    fn offsets() {
        assert_eq!(offset_of("ab\ncé d", 2, 4), 7);
    }
}
