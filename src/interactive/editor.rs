//! Assembles the line editor: key bindings (emacs, or vi after `set -o
//! vi`), the completion menu on Tab, the hinter (history: see
//! [`super::history`]),
//! the highlighter and the validator that asks the parser whether the
//! command is complete.

use nu_ansi_term::Style;
use reedline::{
    ColumnarMenu, DefaultHinter, EditMode, Emacs, KeyCode, KeyModifiers, Keybindings, MenuBuilder,
    Reedline, ReedlineEvent, ReedlineMenu, ValidationResult, Validator, Vi,
    default_emacs_keybindings, default_vi_insert_keybindings, default_vi_normal_keybindings,
    default_vi_visual_keybindings,
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

/// A line editor for `sh`, its helpers reading `shared`.
pub fn build(sh: &Shell, shared: &Shared) -> Reedline {
    let menu = ColumnarMenu::default()
        .with_name(COMPLETION_MENU)
        .with_marker("");
    Reedline::create()
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
        .use_bracketed_paste(true)
}
