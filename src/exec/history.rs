//! The command history the `history` builtin works on.
//!
//! An interactive shell records each command line it reads here (seeded
//! from the line editor's saved history at start-up); `history -s` adds
//! lines in any shell. The line editor keeps its own copy for recall:
//! `cleared` tells it that `history -c` ran. Files read and written by
//! `history -r/-n/-a/-w` hold one entry per line, as bash's do.
//!
//! Which lines are kept is decided here, at the moment a line is added,
//! from the variables as they are then ([`Rules`]): setting `HISTCONTROL`
//! or `HISTIGNORE` at the prompt takes effect on the next line.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use crate::expand::pattern::{Pattern, escape};

/// What `HISTCONTROL` and `HISTIGNORE` ask to leave out.
#[derive(Debug, Default)]
pub struct Rules {
    /// `ignorespace`: lines starting with a blank.
    pub ignore_space: bool,
    /// `ignoredups`: a line equal to the one before.
    pub ignore_dups: bool,
    /// `erasedups`: earlier copies of the line are removed.
    pub erase_dups: bool,
    /// `HISTIGNORE`'s patterns, matched against the whole line (`&` is the
    /// line before).
    pub ignore: Vec<String>,
}

impl Rules {
    /// The rules `HISTCONTROL` and `HISTIGNORE` (colon-separated) set.
    pub fn new(control: Option<&str>, ignore: Option<&str>) -> Rules {
        let mut rules = Rules::default();
        for word in control.unwrap_or_default().split(':') {
            match word {
                "ignorespace" => rules.ignore_space = true,
                "ignoredups" => rules.ignore_dups = true,
                "ignoreboth" => (rules.ignore_space, rules.ignore_dups) = (true, true),
                "erasedups" => rules.erase_dups = true,
                _ => {}
            }
        }
        rules.ignore = ignore
            .unwrap_or_default()
            .split(':')
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        rules
    }
}

/// The entries, oldest first.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<String>,
    /// `history -c` ran since the line editor last looked.
    pub cleared: bool,
    /// Entries already in the history file (`history -a` appends the rest).
    pub saved: usize,
    /// Lines of the history file already read (`history -n` reads the rest).
    pub lines_read: usize,
    /// Entries added since the shell started (bash appends rather than
    /// rewrites the file at exit when these are fewer than the list).
    pub added: usize,
    /// Changes with every change to the list (the line editor's copy
    /// follows it).
    pub generation: u64,
    /// Entries dropped off the front by `HISTSIZE` since the list was last
    /// cleared: numbers go on from where they were, as bash numbers them.
    dropped: usize,
}

impl History {
    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// The number `history` shows for the entry at `index` (0-based).
    pub fn number(&self, index: usize) -> usize {
        self.dropped + index + 1
    }

    /// The index of the entry numbered `number`, if there is one.
    pub fn index_of(&self, number: usize) -> Option<usize> {
        number
            .checked_sub(self.dropped + 1)
            .filter(|&i| i < self.entries.len())
    }

    /// The number the next entry will get (bash's `history_base +
    /// history_length`).
    pub fn next_number(&self) -> usize {
        self.number(self.entries.len())
    }

    /// Adds an entry; keeps at most `limit` (the newest).
    pub fn push(&mut self, line: &str, limit: Option<usize>) {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.trim().is_empty() {
            return;
        }
        self.entries.push(line.to_string());
        self.generation += 1;
        if let Some(limit) = limit {
            self.truncate_to(limit);
        }
    }

    /// Adds a command line the shell read, unless `rules` leave it out;
    /// whether it was added.
    pub fn add(&mut self, line: &str, rules: &Rules, limit: Option<usize>) -> bool {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let previous = self.entries.last().map(String::as_str);
        let ignored = (rules.ignore_space && line.starts_with([' ', '\t']))
            || (rules.ignore_dups && previous == Some(line))
            || rules.ignore.iter().any(|p| {
                let pattern = p.replace('&', &escape(previous.unwrap_or("")));
                Pattern::new(&pattern).matches(line)
            });
        if ignored || line.trim().is_empty() || limit == Some(0) {
            return false;
        }
        if rules.erase_dups {
            while let Some(i) = self.entries.iter().position(|e| e == line) {
                self.delete(i);
            }
        }
        self.push(line, limit);
        self.added += 1;
        true
    }

    /// Puts `line` in place of the newest entry (`fc -s` runs a command
    /// in place of itself).
    pub fn replace_last(&mut self, line: &str) {
        if let Some(last) = self.entries.last_mut() {
            *last = line.to_string();
            self.generation += 1;
        }
    }

    /// Keeps only the newest `limit` entries.
    pub fn truncate_to(&mut self, limit: usize) {
        if self.entries.len() > limit {
            let excess = self.entries.len() - limit;
            self.entries.drain(..excess);
            self.generation += 1;
            self.dropped += excess;
            self.saved = self.saved.saturating_sub(excess);
        }
    }

    /// `HISTSIZE` assigned: keeps only the newest `limit` entries, and
    /// numbers them as bash does: readline's `stifle_history` sets the
    /// first number to how many it dropped, so the first kept entry gets
    /// the number of the last one dropped.
    pub fn stifle(&mut self, limit: usize) {
        if self.entries.len() > limit {
            let excess = self.entries.len() - limit;
            self.truncate_to(limit);
            self.dropped = excess - 1;
        }
    }

    /// `history -c`.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.generation += 1;
        self.dropped = 0;
        self.saved = 0;
        self.cleared = true;
    }

    /// Removes the entry at `index` (0-based); false when there is none.
    pub fn delete(&mut self, index: usize) -> bool {
        if index >= self.entries.len() {
            return false;
        }
        self.entries.remove(index);
        self.generation += 1;
        if index < self.saved {
            self.saved -= 1;
        }
        true
    }
}

/// Creates the history file's directory (mode 0700) if it is missing.
fn make_parent(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir);
    }
}

/// Appends `lines` to the history file, creating it (mode 0600, in a
/// directory of mode 0700) if needed.
pub fn append_lines(path: &Path, lines: &[String]) -> std::io::Result<()> {
    make_parent(path);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(&crate::bytes::encode(&join_lines(lines)))
}

/// Replaces the history file's contents with `lines`, keeping its mode.
pub fn write_lines(path: &Path, lines: &[String]) -> std::io::Result<()> {
    make_parent(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .create(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(&crate::bytes::encode(&join_lines(lines)))
}

/// The lines of the history file.
pub fn read_lines(path: &Path) -> std::io::Result<Vec<String>> {
    let text = crate::bytes::decode_vec(std::fs::read(path)?);
    Ok(text.lines().map(str::to_string).collect())
}

/// Keeps only the last `limit` lines of the history file (`HISTFILESIZE`).
pub fn truncate_file(path: &Path, limit: usize) -> std::io::Result<()> {
    let lines = read_lines(path)?;
    if lines.len() > limit {
        write_lines(path, &lines[lines.len() - limit..])?;
    }
    Ok(())
}

fn join_lines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_skips_blank_lines_and_keeps_the_newest() {
        let mut h = History::default();
        for line in ["a\n", "  ", "b", "c"] {
            h.push(line, Some(2));
        }
        assert_eq!(h.entries(), ["b", "c"]);
        assert!(h.delete(0));
        assert!(!h.delete(5));
        assert_eq!(h.entries(), ["c"]);
    }

    #[test]
    fn numbers_go_on_past_dropped_entries_until_cleared() {
        let mut h = History::default();
        for line in ["a", "b", "c"] {
            h.push(line, Some(2));
        }
        assert_eq!((h.number(0), h.next_number()), (2, 4));
        assert_eq!(
            (h.index_of(3), h.index_of(1), h.index_of(4)),
            (Some(1), None, None)
        );
        h.clear();
        assert_eq!(h.next_number(), 1);
    }

    #[test]
    fn rules_leave_lines_out() {
        let mut h = History::default();
        let rules = Rules::new(Some("ignoreboth:erasedups"), Some("ls:cd *"));
        for line in ["a", " secret", "a", "ls", "cd /tmp", "b", "a"] {
            h.add(line, &rules, None);
        }
        assert_eq!(h.entries(), ["b", "a"]);
        let mut h = History::default();
        let rules = Rules::new(None, Some("&"));
        for line in ["x", "x", "y"] {
            h.add(line, &rules, None);
        }
        assert_eq!(h.entries(), ["x", "y"]);
    }
}
