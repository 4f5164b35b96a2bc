//! Prompt strings (`PS1`, `PS2`, `PS4`, `${x@P}`): bash's backslash
//! escapes, then parameter expansion, command substitution and arithmetic.
//! The line editor's prompt (`interactive/prompt.rs`) and xtrace use it.

use super::state::Shell;
use crate::expand;

/// What a prompt string is rendered for: `\!` differs (bash's
/// `prompt_history_number`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptUse {
    /// `PS1` or `PS2` before a line is read: `\!` is the number the line
    /// will get.
    Reading,
    /// `${x@P}`, `PS4`: the command running was recorded already, so `\!`
    /// is its number.
    Running,
}

impl Shell {
    /// A prompt string as the shell shows it: escapes, then expansions.
    /// Expansion cannot change `$?`: the prompt shows the status, it does
    /// not produce one.
    pub fn render_prompt(&mut self, template: &str, usage: PromptUse) -> String {
        if template.contains("\\j") {
            // `\j` counts the jobs still running or stopped.
            self.jobs.refresh();
        }
        let prompt = prompt_escapes(self, template, usage);
        if !prompt.contains(['$', '`', '\\']) {
            return prompt;
        }
        let saved = self.state.last_status;
        let expanded = self.expand_prompt_string(&prompt).unwrap_or(prompt);
        self.state.last_status = saved;
        expanded
    }

    /// Expands `text` as the shell expands a prompt string: parameters,
    /// command substitutions and arithmetic, as in a here-document body.
    pub fn expand_prompt_string(&mut self, text: &str) -> Option<String> {
        let delimiter = "PIDSH_PROMPT_END";
        // A final lone backslash would join the delimiter's line.
        let guard = if text.ends_with('\\') { "\\" } else { "" };
        let source = format!("cat <<{delimiter}\n{text}{guard}\n{delimiter}\n");
        let list = crate::parser::parse_program(&source).ok()?;
        let item = list.items.first()?;
        let crate::parser::ast::Command::Simple(sc) = item.and_or.first.commands.first()? else {
            return None;
        };
        let crate::parser::ast::RedirTarget::HereDoc(doc) = &sc.redirects.first()?.target else {
            return None;
        };
        let mut expanded = expand::expand_quoted_parts(self, &doc.body).ok()?;
        if expanded.ends_with('\n') {
            expanded.pop();
        }
        Some(expanded)
    }
}

/// Expands the bash-style escapes of a prompt string: `\u \h \H \w \W \$
/// \n \\ \j \l \s \v \V \t \T \@ \A \d \D{format} \! \e \a \r \NNN`
/// (octal) and `\[ \]` (dropped: the line editor measures the prompt
/// without its escape sequences). The result is then subject to parameter
/// expansion, so the text an escape stands for is quoted against it (a
/// directory named `$x` stays as it is), and `\$` gives `\$`, as in bash.
fn prompt_escapes(sh: &Shell, ps: &str, usage: PromptUse) -> String {
    let mut out = String::new();
    let mut chars = ps.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(escape) = chars.next() else {
            out.push('\\');
            break;
        };
        match escape {
            '$' if nix::unistd::geteuid().is_root() => out.push('#'),
            '$' => out.push_str("\\$"),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'a' => out.push('\x07'),
            'e' => out.push('\x1b'),
            '\\' => out.push('\\'),
            '[' | ']' => {}
            'D' if chars.peek() == Some(&'{') => {
                chars.next();
                let format: String = chars.by_ref().take_while(|&c| c != '}').collect();
                let format = if format.is_empty() { "%X" } else { &format };
                out.push_str(&quoted(&clock(format)));
            }
            '0'..='7' => {
                let mut code = escape.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(v) => {
                            code = code * 8 + v;
                            chars.next();
                        }
                        None => break,
                    }
                }
                // One byte: `\555` wraps around, as in bash.
                out.push_str(&crate::bytes::decode(&[(code & 0xff) as u8]));
            }
            _ => match text_escape(sh, escape, usage) {
                Some(text) => out.push_str(&quoted(&text)),
                None => {
                    out.push('\\');
                    out.push(escape);
                }
            },
        }
    }
    out
}

/// The text of an escape that stands for a value.
fn text_escape(sh: &Shell, escape: char, usage: PromptUse) -> Option<String> {
    Some(match escape {
        'u' => user_name(),
        'h' => host_name()
            .split('.')
            .next()
            .unwrap_or_default()
            .to_string(),
        'H' => host_name(),
        'w' => tilde_cwd(sh),
        'W' => {
            let cwd = tilde_cwd(sh);
            let last = cwd.rsplit('/').next().filter(|s| !s.is_empty());
            if cwd == "~" { "~" } else { last.unwrap_or("/") }.to_string()
        }
        'j' => sh.jobs.live_count().to_string(),
        'l' => terminal_name(),
        's' => sh
            .state
            .arg0
            .rsplit('/')
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("pidsh")
            .trim_start_matches('-')
            .to_string(),
        'v' => env!("CARGO_PKG_VERSION")
            .rsplit_once('.')
            .map_or(env!("CARGO_PKG_VERSION"), |(major_minor, _)| major_minor)
            .to_string(),
        'V' => env!("CARGO_PKG_VERSION").to_string(),
        't' => clock("%H:%M:%S"),
        'T' => clock("%I:%M:%S"),
        '@' => clock("%I:%M %p"),
        'A' => clock("%H:%M"),
        'd' => clock("%a %b %d"),
        '!' => history_number(sh, usage).to_string(),
        '#' => sh.state.command_number.to_string(),
        _ => return None,
    })
}

/// `\!`: the history number of the line being read or run; 1 while
/// history is off, as in bash.
fn history_number(sh: &Shell, usage: PromptUse) -> usize {
    if !sh.state.options.history {
        return 1;
    }
    let next = sh.history.next_number();
    match usage {
        PromptUse::Reading => next,
        PromptUse::Running => next.saturating_sub(1).max(1),
    }
}

/// `text` with `$`, `` ` `` and `\` quoted against the expansion that
/// follows.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '$' | '`' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The basename of the terminal on standard input, or `tty` (bash's `\l`).
fn terminal_name() -> String {
    nix::unistd::ttyname(std::io::stdin())
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "tty".to_string())
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
    crate::users::current()
        .map(|u| u.name.clone())
        .unwrap_or_default()
}

fn host_name() -> String {
    nix::unistd::gethostname()
        .map(|h| h.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn tilde_cwd(sh: &Shell) -> String {
    let cwd = sh.state.vars.get("PWD").unwrap_or_default().to_string();
    match sh.state.vars.get("HOME") {
        Some(home) if !home.is_empty() && (cwd == home || cwd.starts_with(&format!("{home}/"))) => {
            format!("~{}", &cwd[home.len()..])
        }
        _ => cwd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_escape_codes() {
        let sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        assert_eq!(
            prompt_escapes(&sh, r"\033[1m\e[0m\\", PromptUse::Running),
            "\x1b[1m\x1b[0m\\"
        );
    }

    #[test]
    fn brackets_are_dropped() {
        let sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        assert_eq!(prompt_escapes(&sh, r"\[x\]y", PromptUse::Running), "xy");
    }

    #[test]
    fn values_are_quoted_and_octal_wraps() {
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        let _ = sh.assign("PWD", "/tmp/$x".to_string());
        assert_eq!(
            prompt_escapes(&sh, r"\w\555", PromptUse::Running),
            r"/tmp/\$xm"
        );
    }
}
