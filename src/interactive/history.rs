//! The history file of an interactive shell, and the line editor's copy of
//! the history.
//!
//! The shell's own list (`Shell::history`) is the one that counts: each
//! line is added to it under the rules the variables give at that moment
//! (`HISTCONTROL`, `HISTIGNORE`, `HISTSIZE`, `set -o history`), and the
//! line editor's list, which Up and the hints read, is rebuilt from it
//! whenever it changes — a line the rules left out is never offered. The
//! file named by `HISTFILE` *now* is read after the start-up files and
//! written in bash's one-line-per-entry form; `unset HISTFILE` stops all
//! writing. Errors writing it are not reported: a missing or read-only
//! history file must not get in the way of the shell.

use reedline::{FileBackedHistory, HistoryItem, Reedline};

use crate::exec::Shell;
use crate::exec::histexpand::Expanded;
use crate::exec::history::LineScan;
use crate::exec::history::{append_text, read_file, stamps, truncate_file, write_text};
use crate::exec::history::{file_limit, rules, size_limit};

/// Where the history file is, if `HISTFILE` names one.
fn histfile(sh: &Shell) -> Option<std::path::PathBuf> {
    let name = sh.state.vars.get("HISTFILE").filter(|f| !f.is_empty())?;
    sh.resolve_path(name).ok().map(|p| p.into_owned())
}

/// At start-up, after the rc files: the history file is cut to
/// `HISTFILESIZE` lines and read.
pub fn load(sh: &mut Shell) {
    let Some(path) = histfile(sh) else {
        return;
    };
    if let Some(limit) = file_limit(sh) {
        let _ = truncate_file(&path, limit);
    }
    let Ok(lines) = read_file(sh, &path, 0) else {
        return;
    };
    sh.history.lines_read = lines;
    sh.history.saved = sh.history.entries().len();
    sh.history.added = 0;
}

/// A typed command after history expansion (`set -H`, with `set -o
/// history`): each of its lines is expanded (here-document bodies
/// excepted) and, when it changed, shown, as in bash. `None` when there
/// is nothing to run: an expansion failed (reported), or `:p` asked only
/// to show it (and record it).
pub fn expand(sh: &mut Shell, code: &str) -> Option<String> {
    if !(sh.state.options.histexpand && sh.state.options.history) {
        return Some(code.to_string());
    }
    let mut scan = LineScan::default();
    let mut out = String::with_capacity(code.len());
    let mut print_only = false;
    for raw in code.split_inclusive('\n') {
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let text = if scan.in_here_doc() {
            line.to_string()
        } else {
            match crate::exec::history::expand(sh, line, scan.open_quote()) {
                Ok(Expanded::Same) => line.to_string(),
                Ok(Expanded::Line {
                    text,
                    print_only: p,
                }) => {
                    sh.write_stderr(&format!("{text}\n"));
                    print_only |= p;
                    text
                }
                Err(message) => {
                    sh.report(&message);
                    return None;
                }
            }
        };
        scan.read(&text);
        out.push_str(&text);
        if raw.ends_with('\n') {
            out.push('\n');
        }
    }
    if print_only {
        remember(sh, &out);
        return None;
    }
    Some(out)
}

/// Records a command line the user entered, if `set -o history` is on and
/// the rules keep it.
pub fn remember(sh: &mut Shell, line: &str) {
    if !sh.state.options.history {
        return;
    }
    let rules = rules(sh);
    let limit = size_limit(sh);
    sh.history.add(line, &rules, limit);
}

/// Appends the entries not in the history file yet (at a terminal, after
/// each command, so that a closed terminal loses nothing).
pub fn append_new(sh: &mut Shell) {
    let Some(path) = histfile(sh) else {
        return;
    };
    let entries = sh.history.entries();
    let from = sh.history.saved.min(entries.len());
    if from == entries.len() {
        return;
    }
    let _ = append_text(&path, &sh.history.file_text(from, stamps(sh)));
    sh.history.saved = sh.history.entries().len();
    if let Some(limit) = file_limit(sh) {
        let _ = truncate_file(&path, limit);
    }
}

/// At exit, as bash: the new entries are appended (`shopt -s histappend`,
/// or fewer new entries than the list holds), or else the list replaces
/// the file; then the file is cut to `HISTFILESIZE` lines.
pub fn save_at_exit(sh: &mut Shell) {
    let Some(path) = histfile(sh) else {
        return;
    };
    let entries = sh.history.entries();
    if sh.shopt_on("histappend") || sh.history.added < entries.len() {
        append_new(sh);
    } else {
        let _ = write_text(&path, &sh.history.file_text(0, stamps(sh)));
        sh.history.saved = entries.len();
    }
    if let Some(limit) = file_limit(sh) {
        let _ = truncate_file(&path, limit);
    }
}

/// Makes the line editor's history the shell's list again.
pub fn mirror(editor: Reedline, sh: &Shell) -> Reedline {
    // Room for the line the editor adds itself when Enter is pressed.
    let Ok(mut copy) = FileBackedHistory::new(sh.history.entries().len() + 1) else {
        return editor;
    };
    for line in sh.history.entries() {
        let _ = reedline::History::save(&mut copy, HistoryItem::from_command_line(line));
    }
    editor.with_history(Box::new(copy))
}
