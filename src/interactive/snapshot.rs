//! What the highlighter and the completer may know of the shell while the
//! line editor owns the terminal: a copy taken before each `read_line`.
//!
//! reedline keeps its highlighter and completer for the whole session and
//! calls them from inside `read_line`, while the shell is borrowed by the
//! loop; so they read this snapshot instead of the shell, and never hold a
//! reference into it.

use std::collections::{BTreeMap, HashMap, HashSet};
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
    /// The jobs: number and command text.
    pub jobs: Vec<(usize, String)>,
    /// `abbr`'s abbreviations.
    pub abbreviations: Arc<BTreeMap<String, String>>,
}

/// The line as the editor last painted it, for keys that act on its text
/// ([`Shared::painted_line`]).
#[derive(Debug, Default)]
struct PaintedLine {
    text: String,
    cursor: usize,
    /// No key has been read since it was painted.
    current: bool,
}

/// The snapshot shared between the loop (writer) and the editor's helpers.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    snap: Arc<Mutex<Snapshot>>,
    /// A copy of the shell that completion functions run in (see
    /// [`Shared::completion_shell`]).
    shell: Arc<Mutex<CompletionShell>>,
    /// What the highlighter was last asked to paint.
    painted: Arc<Mutex<PaintedLine>>,
}

/// The copy of the shell that completion runs in while the editor owns
/// the terminal.
#[derive(Debug, Default)]
pub struct CompletionShell {
    /// The copy, made before the line (`None` before the first).
    pub shell: Option<Shell>,
    /// Completion ran in it: what it defined goes back to the shell.
    pub used: bool,
}

impl Shared {
    /// The completion shell: a subshell copy of the shell as of the
    /// prompt, whose standard input, output and error are `/dev/null`
    /// (completion never reads keys or prints over the line being
    /// edited; errors of completion functions go nowhere, as in bash).
    pub fn completion_shell(&self) -> MutexGuard<'_, CompletionShell> {
        self.shell.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// After a line: the copy is dropped, and what completion functions
    /// left in it — the specifications and functions the loaders read,
    /// the variables and `shopt`s they set — becomes the shell's, as if
    /// they had run in it (they do in bash).
    pub fn adopt(&self, sh: &mut Shell) {
        let mut guard = self.completion_shell();
        let CompletionShell { shell, used } = &mut *guard;
        // The copy goes in any case: it shares the shell's descriptors,
        // and must not keep one open after the command closes it.
        let copy = shell.take();
        let Some(copy) = copy.filter(|_| std::mem::take(used)) else {
            return;
        };
        sh.completion.table = copy.completion.table.clone();
        sh.completion.main_file_tried = copy.completion.main_file_tried;
        crate::completion::program::keep_functions(sh, &copy);
        sh.state.vars = copy.state.vars;
        sh.state.shopts = copy.state.shopts;
    }

    /// Copies what the editor needs from `sh`.
    pub fn refresh(&self, sh: &Shell) {
        {
            let mut guard = self.completion_shell();
            guard.shell = Some(completion_copy(sh));
            guard.used = false;
        }
        let mut snap = self.lock();
        snap.functions = sh.state.functions.keys().cloned().collect();
        snap.aliases = sh.state.aliases.keys().cloned().collect();
        snap.abbreviations = sh.state.abbreviations.clone();
        snap.variables = sh
            .state
            .vars
            .iter()
            .map(|(name, _)| name.to_string())
            .collect();
        snap.variables.sort();
        snap.values = sh
            .state
            .vars
            .iter()
            .filter_map(|(name, var)| Some((name.to_string(), var.value.clone()?)))
            .collect();
        snap.path = sh.state.vars.get("PATH").map(str::to_string);
        snap.home = sh.state.vars.get("HOME").map(str::to_string);
        snap.generation += 1;
        snap.jobs = sh
            .jobs
            .lines()
            .into_iter()
            .map(|l| (l.number, l.text))
            .collect();
    }

    /// Notes the line being painted (the highlighter sees every paint).
    pub fn note_painted(&self, text: &str, cursor: usize) {
        let mut painted = self.painted.lock().unwrap_or_else(PoisonError::into_inner);
        painted.text.clear();
        painted.text.push_str(text);
        painted.cursor = cursor;
        painted.current = true;
    }

    /// For the key being read (every key calls it): the line and cursor as
    /// the screen shows them when `wanted` and no key was read since they
    /// were painted (keys arriving together are read before the next
    /// paint, so the text is then unknown). It is stale from then on.
    pub fn painted_line(&self, wanted: bool) -> Option<(String, usize)> {
        let mut painted = self.painted.lock().unwrap_or_else(PoisonError::into_inner);
        let current = std::mem::take(&mut painted.current);
        (wanted && current).then(|| (painted.text.clone(), painted.cursor))
    }

    /// Read access (a panic elsewhere cannot poison the editor for good).
    pub fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.snap.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A subshell copy of `sh` with its standard descriptors on `/dev/null`.
fn completion_copy(sh: &Shell) -> Shell {
    use crate::exec::fdtable::FdEntry;
    let mut copy = sh.subshell();
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null");
    if let Ok(file) = null {
        let fd = Arc::new(std::os::fd::OwnedFd::from(file));
        for n in 0..3 {
            copy.fds.set(n, FdEntry::Owned(fd.clone()));
        }
    }
    copy
}
