//! Prompt strings: bash-style backslash escapes in `PS1`/`PS2`, followed by
//! parameter expansion, and the [`reedline::Prompt`] that shows them.

use std::borrow::Cow;

use reedline::{Color, Prompt, PromptEditMode, PromptHistorySearch, PromptHistorySearchStatus};

use crate::exec::Shell;

/// The prompt of an interactive shell whose user set none: `user@host:cwd$ `
/// in green and blue (bash's Debian default, coloured).
pub const DEFAULT_PS1: &str = r"\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ ";

/// Expands the bash-style escapes of a prompt string: `\u \h \H \w \W \$
/// \n \\ \j \s \v \t \T \A \d \e \a \r \NNN` (octal) and `\[ \]` (dropped:
/// the line editor measures the prompt without its escape sequences); the
/// result is then subject to parameter expansion.
pub fn expand_prompt(sh: &mut Shell, ps: &str) -> String {
    let mut out = String::new();
    let mut chars = ps.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => out.push_str(&user_name()),
            Some('h') => out.push_str(host_name().split('.').next().unwrap_or_default()),
            Some('H') => out.push_str(&host_name()),
            Some('w') => out.push_str(&tilde_cwd(sh)),
            Some('W') => {
                let cwd = tilde_cwd(sh);
                let last = cwd
                    .rsplit('/')
                    .next()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("/");
                out.push_str(if cwd == "~" { "~" } else { last });
            }
            Some('$') => out.push(if nix::unistd::geteuid().is_root() {
                '#'
            } else {
                '$'
            }),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('e') => out.push('\x1b'),
            Some('j') => out.push_str(&sh.jobs.jobs().len().to_string()),
            Some('s') => out.push_str(
                sh.arg0
                    .rsplit('/')
                    .next()
                    .filter(|s| !s.is_empty())
                    .unwrap_or("pidsh"),
            ),
            Some('v') => out.push_str(env!("CARGO_PKG_VERSION")),
            Some('t') => out.push_str(&clock("%H:%M:%S")),
            Some('T') => out.push_str(&clock("%I:%M:%S")),
            Some('A') => out.push_str(&clock("%H:%M")),
            Some('d') => out.push_str(&clock("%a %b %d")),
            Some('\\') => out.push('\\'),
            Some('[') | Some(']') => {}
            Some(d @ '0'..='7') => {
                let mut code = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(v) => {
                            code = code * 8 + v;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(code).unwrap_or('?'));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The local time formatted with `strftime`.
fn clock(format: &str) -> String {
    let Ok(format) = std::ffi::CString::new(format) else {
        return String::new();
    };
    // SAFETY: `time(NULL)` only returns the clock; `localtime_r` writes into
    // the `tm` we own; `strftime` writes at most `buf.len()` bytes into `buf`
    // and returns how many it wrote (0 on overflow).
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return String::new();
        }
        let mut buf = [0u8; 64];
        let n = libc::strftime(buf.as_mut_ptr().cast(), buf.len(), format.as_ptr(), &tm);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }
}

fn user_name() -> String {
    nix::unistd::User::from_uid(nix::unistd::geteuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_default()
}

fn host_name() -> String {
    nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn tilde_cwd(sh: &Shell) -> String {
    let cwd = sh.vars.get("PWD").unwrap_or_default().to_string();
    match sh.vars.get("HOME") {
        Some(home) if !home.is_empty() && (cwd == home || cwd.starts_with(&format!("{home}/"))) => {
            format!("~{}", &cwd[home.len()..])
        }
        _ => cwd,
    }
}

/// The value of the prompt variable `name` (`fallback` when unset), with
/// escapes and then parameter expansion applied. Expansion cannot change
/// `$?`: the prompt shows the status, it does not produce one.
pub fn render(sh: &mut Shell, name: &str, fallback: &str) -> String {
    let template = sh.vars.get(name).unwrap_or(fallback).to_string();
    let prompt = expand_prompt(sh, &template);
    if !prompt.contains(['$', '`']) {
        return prompt;
    }
    let saved = sh.last_status;
    let expanded = sh.expand_prompt_string(&prompt).unwrap_or(prompt);
    sh.last_status = saved;
    expanded
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
        let right = if sh.vars.get("RPS1").is_some() {
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
        // PS1 ends with its own `$ `; the vi mode shows in the cursor shape.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_escape_codes() {
        let mut sh = Shell::new("pidsh".into(), Vec::new());
        assert_eq!(
            expand_prompt(&mut sh, r"\033[1m\e[0m\\"),
            "\x1b[1m\x1b[0m\\"
        );
    }

    #[test]
    fn brackets_are_dropped() {
        let mut sh = Shell::new("pidsh".into(), Vec::new());
        assert_eq!(expand_prompt(&mut sh, r"\[x\]y"), "xy");
    }
}
