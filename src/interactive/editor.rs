//! Assembles the line editor: key bindings (emacs, or vi after `set -o
//! vi`; what keys do beyond reedline's tables is in [`super::keys`]), the
//! completion menu on Tab, Alt-. for the last word, the hinter (history:
//! see [`super::history`]), the highlighter and the validator that asks
//! the parser whether the command is complete.

use nu_ansi_term::Style;
use reedline::{
    ColumnarMenu, CursorConfig, DefaultHinter, EditCommand, EditMode, Emacs, KeyCode, KeyModifiers,
    Keybindings, MenuBuilder, Reedline, ReedlineEvent, ReedlineMenu, ValidationResult, Validator,
    Vi, default_emacs_keybindings, default_vi_insert_keybindings, default_vi_normal_keybindings,
    default_vi_visual_keybindings,
};

use super::complete::ShellCompleter;
use super::highlight::ShellHighlighter;
use super::keys::ShellKeys;
use super::snapshot::Shared;
use super::wake::EditorWake;
use crate::exec::Shell;
use crate::exec::keybind::KeyBinding;

pub const COMPLETION_MENU: &str = "completion_menu";

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

/// Alt-. inserts the last word of the previous command line (bash's
/// `yank-last-arg`, as `!$` finds it); the binding carries the word, so
/// the edit mode is remade when it changes.
fn add_last_word_key(keys: &mut Keybindings, last_word: &str) {
    if !last_word.is_empty() {
        keys.add_binding(
            KeyModifiers::ALT,
            KeyCode::Char('.'),
            ReedlineEvent::Edit(vec![EditCommand::InsertString(last_word.to_string())]),
        );
    }
}

/// Ctrl-_ undoes, as in readline (reedline has only Ctrl-Z). The
/// terminal sends it as byte 0x1f, which reads as Ctrl-7; terminals that
/// report keys in full send Ctrl-_ or Ctrl-/.
fn add_undo_keys(keys: &mut Keybindings) {
    for c in ['7', '_', '/'] {
        keys.add_binding(
            KeyModifiers::CONTROL,
            KeyCode::Char(c),
            ReedlineEvent::Edit(vec![EditCommand::Undo]),
        );
    }
}

/// Alt-E, Alt-V and Ctrl-X open the line in an external editor
/// ([`super::edit_buffer`]).
fn add_editor_keys(keys: &mut Keybindings) {
    let request = || ReedlineEvent::ExecuteHostCommand(super::edit_buffer::REQUEST.to_string());
    keys.add_binding(KeyModifiers::ALT, KeyCode::Char('e'), request());
    keys.add_binding(KeyModifiers::ALT, KeyCode::Char('v'), request());
    keys.add_binding(KeyModifiers::CONTROL, KeyCode::Char('x'), request());
}

/// The key bindings: vi (insert, normal, visual) or emacs, with Tab
/// completion in both, and the `user`'s from `bind` and the inputrc over
/// them (in vi mode, the insert keymap's, as bash's `bind` changes). In emacs mode Alt-. inserts `last_word`; in vi
/// insert mode Escape followed by a key is that key in normal mode, as in
/// readline, so only Alt-V (edit the line, as `v` does in bash) is bound
/// to an Alt chord there.
pub fn edit_mode(
    vi: bool,
    last_word: &str,
    wake: &EditorWake,
    shared: &Shared,
    user: &[KeyBinding],
) -> Box<dyn EditMode> {
    if vi {
        let mut insert = default_vi_insert_keybindings();
        add_completion_keys(&mut insert);
        add_undo_keys(&mut insert);
        insert.add_binding(
            KeyModifiers::ALT,
            KeyCode::Char('v'),
            ReedlineEvent::ExecuteHostCommand(super::edit_buffer::REQUEST.to_string()),
        );
        insert.add_binding(
            KeyModifiers::CONTROL,
            KeyCode::Char('x'),
            ReedlineEvent::ExecuteHostCommand(super::edit_buffer::REQUEST.to_string()),
        );
        super::bindings::add(&mut insert, user);
        let vi = Vi::new(
            insert,
            default_vi_normal_keybindings(),
            default_vi_visual_keybindings(),
        );
        Box::new(ShellKeys::new(
            Box::new(vi),
            true,
            wake.clone(),
            shared.clone(),
        ))
    } else {
        let mut keys = default_emacs_keybindings();
        add_completion_keys(&mut keys);
        add_undo_keys(&mut keys);
        add_last_word_key(&mut keys, last_word);
        add_editor_keys(&mut keys);
        super::bindings::add(&mut keys, user);
        Box::new(ShellKeys::new(
            Box::new(Emacs::new(keys)),
            false,
            wake.clone(),
            shared.clone(),
        ))
    }
}

/// The last word of the newest history entry (`!$`), or nothing.
pub fn last_word(sh: &Shell) -> String {
    sh.history
        .entries()
        .last()
        .and_then(|line| crate::exec::histexpand::tokenize(line).pop())
        .unwrap_or_default()
}

/// In vi mode the cursor shows the mode, as in fish and vim: a bar while
/// inserting, a block in normal and visual mode. Emacs keys leave the
/// terminal's own cursor alone.
fn vi_cursors() -> CursorConfig {
    use crossterm::cursor::SetCursorStyle;
    CursorConfig {
        vi_insert: Some(SetCursorStyle::BlinkingBar),
        vi_normal: Some(SetCursorStyle::SteadyBlock),
        vi_visual: Some(SetCursorStyle::SteadyBlock),
        ..CursorConfig::default()
    }
}

/// A line editor for `sh`, its helpers reading `shared`.
pub fn build(sh: &Shell, shared: &Shared, wake: &EditorWake) -> Reedline {
    let menu = ColumnarMenu::default()
        .with_name(COMPLETION_MENU)
        .with_marker("");
    Reedline::create()
        .with_highlighter(Box::new(ShellHighlighter::new(shared.clone())))
        .with_completer(Box::new(ShellCompleter::new(shared.clone(), wake.clone())))
        .with_menu(ReedlineMenu::EngineCompleter(Box::new(menu)))
        .with_quick_completions(true)
        .with_partial_completions(true)
        .with_hinter(Box::new(
            DefaultHinter::default().with_style(Style::new().dimmed()),
        ))
        .with_validator(Box::new(ShellValidator))
        .with_edit_mode(edit_mode(
            sh.state.options.vi,
            &last_word(sh),
            wake,
            shared,
            &sh.readline.bindings,
        ))
        .with_cursor_config(vi_cursors())
        .use_bracketed_paste(true)
}
