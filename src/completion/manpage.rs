//! Options with a one-line description each, read from a command's man
//! page.

use crate::exec::Shell;

/// An option and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionDoc {
    /// `-l`, `--all`, `--color=`.
    pub name: String,
    /// One line.
    pub description: String,
}

/// The options the man page of `command` documents.
pub fn options(_sh: &Shell, _command: &str) -> Vec<OptionDoc> {
    Vec::new()
}
