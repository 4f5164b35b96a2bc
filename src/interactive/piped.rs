//! The editing keys bash's line editor obeys in input that is not a
//! terminal (`bash -i < file`, `printf ... | bash -i`): Ctrl-P and Ctrl-N
//! step through the history, Ctrl-R searches it backwards for the text
//! typed after it, and Ctrl-O runs the line and offers the history entry
//! after it as the next line (readline's `operate-and-get-next`). Other
//! control characters are dropped; Enter runs the line.
//!
//! A line is taken apart key by key only when it holds one of these keys:
//! any other line is run as read.

use std::collections::VecDeque;

use crate::exec::Shell;

const CTRL_N: char = '\x0e';
const CTRL_O: char = '\x0f';
const CTRL_P: char = '\x10';
const CTRL_R: char = '\x12';

/// Keys read but not used yet, and the entry Ctrl-O asked for next.
#[derive(Debug, Default)]
pub struct Keys {
    pending: VecDeque<char>,
    /// The number of the history entry the next line starts as.
    next: Option<usize>,
}

/// Where the line being edited came from.
struct Edit {
    text: String,
    /// The number of the history entry shown, if one is.
    entry: Option<usize>,
    /// The text searched for since Ctrl-R, while searching.
    search: Option<String>,
}

impl Keys {
    /// The next line to run; `None` at the end of input. `read` gives the
    /// next line of input (without its newline).
    pub fn next_line(&mut self, sh: &Shell, read: impl Fn() -> Option<String>) -> Option<String> {
        if self.pending.is_empty() && self.next.is_none() {
            let line = read()?;
            if !line.contains([CTRL_N, CTRL_O, CTRL_P, CTRL_R]) {
                return Some(line);
            }
            self.pending.extend(line.chars());
            self.pending.push_back('\n');
        }
        let entry = self.next.take();
        let mut edit = Edit {
            text: entry.and_then(|n| text_of(sh, n)).unwrap_or_default(),
            entry: entry.filter(|&n| text_of(sh, n).is_some()),
            search: None,
        };
        loop {
            let Some(key) = self.pending.pop_front() else {
                match read() {
                    Some(line) => {
                        self.pending.extend(line.chars());
                        self.pending.push_back('\n');
                        continue;
                    }
                    None if edit.text.is_empty() => return None,
                    None => return Some(edit.text),
                }
            };
            match key {
                '\n' | '\r' => return Some(edit.text),
                CTRL_O => {
                    self.next = edit.entry.map(|n| n + 1);
                    return Some(edit.text);
                }
                _ => edit.key(sh, key),
            }
        }
    }
}

impl Edit {
    fn key(&mut self, sh: &Shell, key: char) {
        match key {
            CTRL_R => {
                let from = self.entry;
                let search = self.search.get_or_insert_with(String::new).clone();
                if !search.is_empty() {
                    self.find(sh, &search, from.map(|n| n.saturating_sub(1)));
                }
            }
            CTRL_P => self.step(sh, -1),
            CTRL_N => self.step(sh, 1),
            c if c.is_control() => self.search = None,
            c => match &mut self.search {
                Some(search) => {
                    search.push(c);
                    let search = search.clone();
                    self.find(sh, &search, self.entry);
                }
                None => self.text.push(c),
            },
        }
    }

    /// Ctrl-P (`by` -1) or Ctrl-N (`by` 1).
    fn step(&mut self, sh: &Shell, by: isize) {
        self.search = None;
        let next = sh.history.next_number();
        let current = self.entry.unwrap_or(next);
        let Some(wanted) = current.checked_add_signed(by) else {
            return;
        };
        if wanted >= next {
            self.entry = None;
            self.text.clear();
        } else if let Some(text) = text_of(sh, wanted) {
            self.entry = Some(wanted);
            self.text = text;
        }
    }

    /// The newest entry containing `search`, at or before the one
    /// numbered `from` (the newest of all when `None`).
    fn find(&mut self, sh: &Shell, search: &str, from: Option<usize>) {
        let entries = sh.history.entries();
        let end = from
            .and_then(|n| sh.history.index_of(n))
            .map_or(entries.len(), |i| i + 1);
        if let Some(i) = entries[..end].iter().rposition(|e| e.contains(search)) {
            self.entry = Some(sh.history.number(i));
            self.text = entries[i].clone();
        }
    }
}

/// The text of the entry numbered `n`.
fn text_of(sh: &Shell, n: usize) -> Option<String> {
    let i = sh.history.index_of(n)?;
    sh.history.entries().get(i).cloned()
}
