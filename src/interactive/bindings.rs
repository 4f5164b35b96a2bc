//! The user's key bindings (`bind`, an inputrc; read by `exec/keybind.rs`)
//! as reedline bindings, and running `bind -x` commands on the line.

use reedline::{EditCommand, KeyCode, KeyModifiers, Keybindings, Reedline, ReedlineEvent};

use crate::exec::Shell;
use crate::exec::keybind::{Action, Key, KeyBinding, KeyName};

/// What a `bind -x` key sends the read–run loop: this, then the command.
pub const COMMAND_REQUEST: &str = "pidsh:bind-x:";

/// Adds `bindings` to `keys`, over what the keys did before.
pub fn add(keys: &mut Keybindings, bindings: &[KeyBinding]) {
    for binding in bindings {
        if let Some(event) = event_of(&binding.action) {
            let (modifiers, code) = key_of(binding.key);
            keys.add_binding(modifiers, code, event);
        }
    }
}

fn key_of(key: Key) -> (KeyModifiers, KeyCode) {
    let mut modifiers = KeyModifiers::NONE;
    if key.ctrl {
        modifiers |= KeyModifiers::CONTROL;
    }
    if key.alt {
        modifiers |= KeyModifiers::ALT;
    }
    let code = match key.name {
        KeyName::Char(c) => KeyCode::Char(c),
        KeyName::Enter => KeyCode::Enter,
        KeyName::Tab => KeyCode::Tab,
        KeyName::Backspace => KeyCode::Backspace,
        KeyName::Esc => KeyCode::Esc,
        KeyName::Up => KeyCode::Up,
        KeyName::Down => KeyCode::Down,
        KeyName::Left => KeyCode::Left,
        KeyName::Right => KeyCode::Right,
        KeyName::Home => KeyCode::Home,
        KeyName::End => KeyCode::End,
        KeyName::Delete => KeyCode::Delete,
        KeyName::Insert => KeyCode::Insert,
        KeyName::PageUp => KeyCode::PageUp,
        KeyName::PageDown => KeyCode::PageDown,
    };
    (modifiers, code)
}

fn event_of(action: &Action) -> Option<ReedlineEvent> {
    match action {
        Action::Function(name) => function(name),
        Action::Macro(text) => Some(ReedlineEvent::Edit(vec![EditCommand::InsertString(
            text.clone(),
        )])),
        Action::Command(code) => Some(ReedlineEvent::ExecuteHostCommand(format!(
            "{COMMAND_REQUEST}{code}"
        ))),
    }
}

/// A readline function as the line editor's event.
fn function(name: &str) -> Option<ReedlineEvent> {
    let edit = |command| ReedlineEvent::Edit(vec![command]);
    let select = false;
    Some(match name {
        "accept-line" => ReedlineEvent::Enter,
        "backward-char" => edit(EditCommand::MoveLeft { select }),
        "backward-delete-char" => edit(EditCommand::Backspace),
        "backward-kill-line" | "unix-line-discard" => edit(EditCommand::CutFromLineStart),
        "backward-kill-word" | "unix-word-rubout" => edit(EditCommand::CutWordLeft),
        "backward-word" => edit(EditCommand::MoveWordLeft { select }),
        "beginning-of-history" => ReedlineEvent::ToStart,
        "beginning-of-line" => edit(EditCommand::MoveToLineStart { select }),
        "capitalize-word" => edit(EditCommand::CapitalizeChar),
        "clear-screen" => ReedlineEvent::ClearScreen,
        "complete" | "menu-complete" => ReedlineEvent::UntilFound(vec![
            ReedlineEvent::Menu(super::editor::COMPLETION_MENU.to_string()),
            ReedlineEvent::MenuNext,
        ]),
        "menu-complete-backward" => ReedlineEvent::MenuPrevious,
        "delete-char" => edit(EditCommand::Delete),
        "downcase-word" => edit(EditCommand::LowercaseWord),
        "edit-and-execute-command" => {
            ReedlineEvent::ExecuteHostCommand(super::edit_buffer::REQUEST.to_string())
        }
        "end-of-history" => ReedlineEvent::ToEnd,
        "end-of-line" => edit(EditCommand::MoveToLineEnd { select }),
        "forward-char" => edit(EditCommand::MoveRight { select }),
        "forward-word" => edit(EditCommand::MoveWordRight { select }),
        "history-search-backward" | "previous-history" => ReedlineEvent::Up,
        "history-search-forward" | "next-history" => ReedlineEvent::Down,
        "kill-line" => edit(EditCommand::CutToLineEnd),
        "kill-whole-line" => edit(EditCommand::CutCurrentLine),
        "kill-word" => edit(EditCommand::CutWordRight),
        "redo" => edit(EditCommand::Redo),
        "reverse-search-history" => ReedlineEvent::SearchHistory,
        "transpose-chars" => edit(EditCommand::SwapGraphemes),
        "transpose-words" => edit(EditCommand::SwapWords),
        "undo" => edit(EditCommand::Undo),
        "upcase-word" => edit(EditCommand::UppercaseWord),
        "yank" => edit(EditCommand::PasteCutBufferBefore),
        _ => return None,
    })
}

/// A `bind -x` key: runs `code` with `READLINE_LINE` and `READLINE_POINT`
/// (in characters) holding the line and the cursor, then puts the line
/// and cursor it left back, as bash does, on a fresh prompt below what it
/// printed. `$?` is kept.
pub fn run_command(sh: &mut Shell, line_editor: &mut Reedline, code: &str) {
    let line = line_editor.current_buffer_contents().to_string();
    let point = line_editor.current_insertion_point();
    let chars_before = line.get(..point).map_or(0, |s| s.chars().count());
    let _ = sh.state.vars.set("READLINE_LINE", line.clone());
    let _ = sh
        .state
        .vars
        .set("READLINE_POINT", chars_before.to_string());
    let saved_status = sh.state.last_status;
    // What it prints goes below the line, which is drawn again after it.
    sh.write_stderr("\n");
    let _ = sh.run_source_text(&format!("{code}\n"));
    sh.state.last_status = saved_status;
    let new_line = sh
        .state
        .vars
        .get("READLINE_LINE")
        .unwrap_or_default()
        .to_string();
    let new_point: usize = sh
        .state
        .vars
        .get("READLINE_POINT")
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(chars_before);
    let _ = sh.state.vars.unset("READLINE_LINE");
    let _ = sh.state.vars.unset("READLINE_POINT");
    let position = new_line
        .char_indices()
        .nth(new_point)
        .map_or(new_line.len(), |(i, _)| i);
    line_editor.run_edit_commands(&[
        EditCommand::Clear,
        EditCommand::InsertString(new_line),
        EditCommand::MoveToPosition {
            position,
            select: false,
        },
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_function_has_an_event() {
        for name in crate::exec::keybind::FUNCTIONS {
            assert!(function(name).is_some(), "{name}");
        }
    }
}
