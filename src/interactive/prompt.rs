//! Prompt strings: bash-style backslash escapes in `PS1`/`PS2`, followed by
//! parameter expansion, and the [`reedline::Prompt`] that shows them.

use std::borrow::Cow;

use reedline::{Color, Prompt, PromptEditMode, PromptHistorySearch, PromptHistorySearchStatus};

use crate::exec::Shell;
use crate::exec::prompt::PromptUse;

/// The prompt of an interactive shell whose user set none: `user@host:cwd$ `
/// in green and blue (bash's Debian default, coloured).
pub const DEFAULT_PS1: &str = r"\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ ";

/// The prompt of an interactive shell without a terminal whose user set
/// none: bash's default (`pidsh-0.1$ `).
pub const PLAIN_PS1: &str = r"\s-\v\$ ";

/// The value of the prompt variable `name` (`fallback` when unset),
/// rendered (see [`Shell::render_prompt`]).
pub fn render(sh: &mut Shell, name: &str, fallback: &str) -> String {
    let template = sh.state.vars.get(name).unwrap_or(fallback).to_string();
    sh.render_prompt(&template, PromptUse::Reading)
}

/// The prompts for one `read_line`, rendered before it starts (the line
/// editor cannot reach the shell while it runs).
#[derive(Debug, Clone, Default)]
pub struct ShellPrompt {
    /// `PS1`.
    pub left: String,
    /// `RPS1` (zsh's name), empty when unset.
    pub right: String,
    /// `PS2`, shown before each continuation line.
    pub continuation: String,
}

impl ShellPrompt {
    /// Renders `PS1`, `RPS1` and `PS2` for the next line.
    pub fn new(sh: &mut Shell) -> Self {
        let right = if sh.state.vars.get("RPS1").is_some() {
            render(sh, "RPS1", "")
        } else {
            String::new()
        };
        ShellPrompt {
            left: render(sh, "PS1", "$ "),
            right,
            continuation: render(sh, "PS2", "> "),
        }
    }
}

impl Prompt for ShellPrompt {
    fn render_prompt_left(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.left)
    }

    fn render_prompt_right(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.right)
    }

    fn render_prompt_indicator(&self, _mode: PromptEditMode) -> Cow<'_, str> {
        // PS1 ends with its own `$ `; the vi mode shows in the cursor shape
        // (see `editor::vi_cursors`).
        Cow::Borrowed("")
    }

    fn render_prompt_multiline_indicator(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.continuation)
    }

    fn render_prompt_history_search_indicator(
        &self,
        history_search: PromptHistorySearch,
    ) -> Cow<'_, str> {
        let failing = match history_search.status {
            PromptHistorySearchStatus::Passing => "",
            PromptHistorySearchStatus::Failing => "failing ",
        };
        Cow::Owned(format!(
            "({failing}reverse-i-search)`{}': ",
            history_search.term
        ))
    }

    // The user's PS1 carries its own colours (or none, as in other shells):
    // reedline must not tint it.
    fn get_prompt_color(&self) -> Color {
        Color::Default
    }

    fn get_prompt_multiline_color(&self) -> Color {
        Color::Default
    }

    fn get_indicator_color(&self) -> Color {
        Color::Default
    }

    fn get_prompt_right_color(&self) -> Color {
        Color::Default
    }
}
