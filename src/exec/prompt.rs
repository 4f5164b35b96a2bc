//! Prompt strings (`PS1`, `PS2`, `PS4`, `${x@P}`): bash's backslash
//! escapes, then parameter expansion, command substitution and arithmetic.
//! The line editor's prompt (`interactive/prompt.rs`) and xtrace use it.

use super::state::Shell;
use crate::expand;

impl Shell {
    /// A prompt string as the shell shows it: escapes, then expansions.
    /// Expansion cannot change `$?`: the prompt shows the status, it does
    /// not produce one.
    pub fn render_prompt(&mut self, template: &str) -> String {
        let prompt = prompt_escapes(self, template);
        if !prompt.contains(['$', '`']) {
            return prompt;
        }
        let saved = self.last_status;
        let expanded = self.expand_prompt_string(&prompt).unwrap_or(prompt);
        self.last_status = saved;
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
/// \n \\ \j \s \v \t \T \A \d \e \a \r \NNN` (octal) and `\[ \]` (dropped:
/// the line editor measures the prompt without its escape sequences); the
/// result is then subject to parameter expansion.
fn prompt_escapes(sh: &Shell, ps: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octal_and_escape_codes() {
        let sh = Shell::new("pidsh".into(), Vec::new());
        assert_eq!(prompt_escapes(&sh, r"\033[1m\e[0m\\"), "\x1b[1m\x1b[0m\\");
    }

    #[test]
    fn brackets_are_dropped() {
        let sh = Shell::new("pidsh".into(), Vec::new());
        assert_eq!(prompt_escapes(&sh, r"\[x\]y"), "xy");
    }
}
