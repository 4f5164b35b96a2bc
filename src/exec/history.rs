//! The command history the `history` builtin works on.
//!
//! An interactive shell records each command line it reads here (seeded
//! from the line editor's saved history at start-up); `history -s` adds
//! lines in any shell. The line editor keeps its own copy for recall:
//! `cleared` tells it that `history -c` ran. Files read and written by
//! `history -r/-n/-a/-w` hold one entry per line, as bash's do.

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
}

impl History {
    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Adds an entry; keeps at most `limit` (the newest).
    pub fn push(&mut self, line: &str, limit: Option<usize>) {
        let line = line.strip_suffix('\n').unwrap_or(line);
        if line.trim().is_empty() {
            return;
        }
        self.entries.push(line.to_string());
        if let Some(limit) = limit {
            self.truncate_to(limit);
        }
    }

    /// Keeps only the newest `limit` entries.
    pub fn truncate_to(&mut self, limit: usize) {
        if self.entries.len() > limit {
            let excess = self.entries.len() - limit;
            self.entries.drain(..excess);
            self.saved = self.saved.saturating_sub(excess);
        }
    }

    /// `history -c`.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.saved = 0;
        self.cleared = true;
    }

    /// Removes the entry at `index` (0-based); false when there is none.
    pub fn delete(&mut self, index: usize) -> bool {
        if index >= self.entries.len() {
            return false;
        }
        self.entries.remove(index);
        if index < self.saved {
            self.saved -= 1;
        }
        true
    }
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
}
