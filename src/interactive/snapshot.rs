//! What the highlighter and the completer may know of the shell while the
//! line editor owns the terminal: a copy taken before each `read_line`.
//!
//! reedline keeps its highlighter and completer for the whole session and
//! calls them from inside `read_line`, while the shell is borrowed by the
//! loop; so they read this snapshot instead of the shell, and never hold a
//! reference into it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::exec::Shell;

/// The names and values the editor needs, as of the last prompt.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// Function names.
    pub functions: HashSet<String>,
    /// Alias names.
    pub aliases: HashSet<String>,
    /// Variable names (set or declared).
    pub variables: Vec<String>,
    /// Values of the set variables, for `$VAR/` in a path being completed.
    pub values: HashMap<String, String>,
    /// `$PATH`.
    pub path: Option<String>,
    /// `$HOME`.
    pub home: Option<String>,
    /// Bumped at every refresh: caches keyed on the shell's state expire.
    pub generation: u64,
}

/// The snapshot shared between the loop (writer) and the editor's helpers.
#[derive(Debug, Clone, Default)]
pub struct Shared(Arc<Mutex<Snapshot>>);

impl Shared {
    /// Copies what the editor needs from `sh`.
    pub fn refresh(&self, sh: &Shell) {
        let mut snap = self.lock();
        snap.functions = sh.functions.keys().cloned().collect();
        snap.aliases = sh.aliases.keys().cloned().collect();
        snap.variables = sh.vars.iter().map(|(name, _)| name.to_string()).collect();
        snap.variables.sort();
        snap.values = sh
            .vars
            .iter()
            .filter_map(|(name, var)| Some((name.to_string(), var.value.clone()?)))
            .collect();
        snap.path = sh.vars.get("PATH").map(str::to_string);
        snap.home = sh.vars.get("HOME").map(str::to_string);
        snap.generation += 1;
    }

    /// Read access (a panic elsewhere cannot poison the editor for good).
    pub fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
