//! Assembles the line editor: key bindings (emacs, or vi after `set -o
//! vi`), the completion menu on Tab, history in `$HISTFILE`, the hinter,
//! the highlighter and the validator that asks the parser whether the
//! command is complete.

use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;

use nu_ansi_term::Style;
use reedline::{
    ColumnarMenu, DefaultHinter, EditMode, Emacs, FileBackedHistory, KeyCode, KeyModifiers,
    Keybindings, MenuBuilder, Reedline, ReedlineEvent, ReedlineMenu, SearchDirection, SearchQuery,
    ValidationResult, Validator, Vi, default_emacs_keybindings, default_vi_insert_keybindings,
    default_vi_normal_keybindings, default_vi_visual_keybindings,
};

use super::complete::ShellCompleter;
use super::highlight::ShellHighlighter;
use super::snapshot::Shared;
use crate::exec::Shell;

const COMPLETION_MENU: &str = "completion_menu";

/// Enter runs the command only when the parser has all of it (`if true;
/// then` goes on to a `PS2` line).
struct ShellValidator;

impl Validator for ShellValidator {
    fn validate(&self, line: &str) -> ValidationResult {
        // reedline hands over the text without the final newline; a
        // here-document's delimiter line needs it to count as ended.
        if crate::parser::is_incomplete(&format!("{line}\n")) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Complete
        }
    }
}

fn add_completion_keys(keys: &mut Keybindings) {
    keys.add_binding(
        KeyModifiers::NONE,
        KeyCode::Tab,
        ReedlineEvent::UntilFound(vec![
            ReedlineEvent::Menu(COMPLETION_MENU.to_string()),
            ReedlineEvent::MenuNext,
        ]),
    );
    keys.add_binding(
        KeyModifiers::SHIFT,
        KeyCode::BackTab,
        ReedlineEvent::MenuPrevious,
    );
}

/// The key bindings: vi (insert, normal, visual) or emacs, with Tab
/// completion in both.
pub fn edit_mode(vi: bool) -> Box<dyn EditMode> {
    if vi {
        let mut insert = default_vi_insert_keybindings();
        add_completion_keys(&mut insert);
        Box::new(Vi::new(
            insert,
            default_vi_normal_keybindings(),
            default_vi_visual_keybindings(),
        ))
    } else {
        let mut keys = default_emacs_keybindings();
        add_completion_keys(&mut keys);
        Box::new(Emacs::new(keys))
    }
}

/// Opens (creating it, mode 0600, in a directory of mode 0700) the history
/// file. reedline appends to the file in place, so the mode it was created
/// with stays.
fn open_history(path: &Path, capacity: usize) -> Option<FileBackedHistory> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir);
    }
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .ok()?;
    FileBackedHistory::with_file(capacity, path.to_path_buf()).ok()
}

/// The lines the editor's saved history holds, oldest first (to seed the
/// shell's own list for the `history` builtin).
pub fn saved_lines(editor: &Reedline) -> Vec<String> {
    let query = SearchQuery::everything(SearchDirection::Forward, None);
    editor
        .history()
        .search(query)
        .map(|items| items.into_iter().map(|i| i.command_line).collect())
        .unwrap_or_default()
}

/// After `history -c`: the editor forgets its history too. The file is
/// emptied in place (keeping its private mode) and read afresh.
pub fn forget_history(editor: Reedline, sh: &Shell) -> Reedline {
    let Some(path) = sh.vars.get("HISTFILE").filter(|f| !f.is_empty()) else {
        return editor.with_history(Box::new(
            FileBackedHistory::new(HISTORY_CAPACITY).unwrap_or_default(),
        ));
    };
    let path = crate::bytes::to_path(path).into_owned();
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path);
    match open_history(&path, history_capacity(sh)) {
        Some(history) => editor.with_history(Box::new(history)),
        None => editor,
    }
}

fn history_capacity(sh: &Shell) -> usize {
    sh.vars
        .get("HISTSIZE")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(HISTORY_CAPACITY)
}

/// Entries kept when `HISTSIZE` says nothing usable.
const HISTORY_CAPACITY: usize = 10_000;

/// A line editor for `sh`, its helpers reading `shared`.
pub fn build(sh: &Shell, shared: &Shared) -> Reedline {
    let menu = ColumnarMenu::default()
        .with_name(COMPLETION_MENU)
        .with_marker("");
    let mut editor = Reedline::create()
        .with_highlighter(Box::new(ShellHighlighter::new(shared.clone())))
        .with_completer(Box::new(ShellCompleter::new(shared.clone())))
        .with_menu(ReedlineMenu::EngineCompleter(Box::new(menu)))
        .with_quick_completions(true)
        .with_partial_completions(true)
        .with_hinter(Box::new(
            DefaultHinter::default().with_style(Style::new().dimmed()),
        ))
        .with_validator(Box::new(ShellValidator))
        .with_edit_mode(edit_mode(sh.options.vi))
        .use_bracketed_paste(true);
    let capacity = history_capacity(sh);
    if let Some(history) = sh
        .vars
        .get("HISTFILE")
        .filter(|f| !f.is_empty())
        .and_then(|f| open_history(Path::new(f), capacity))
    {
        editor = editor.with_history(Box::new(history));
    }
    // bash's HISTCONTROL=ignorespace: a line typed with a leading blank
    // is not remembered.
    if sh.vars.get("HISTCONTROL").is_some_and(|c| {
        c.split(':')
            .any(|w| w == "ignorespace" || w == "ignoreboth")
    }) {
        editor = editor.with_history_exclusion_prefix(Some(" ".to_string()));
    }
    editor
}
