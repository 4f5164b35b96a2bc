//! The interactive front end: start-up files, the prompt and the read–run
//! loop. (A plain line reader for now; the line editor arrives with the
//! interactive issue.)

use crate::exec::Shell;
use crate::exec::syscalls;

/// Expands the bash-style escapes of a prompt string: `\u \h \H \w \W \$
/// \n \\ \j`; the result is then subject to parameter expansion.
pub fn expand_prompt(sh: &mut Shell, ps: &str) -> String {
    let mut out = String::new();
    let mut chars = ps.chars();
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
            Some('j') => out.push_str(&sh.jobs.jobs().len().to_string()),
            Some('\\') => out.push('\\'),
            Some('[') | Some(']') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
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

fn source_if_exists(sh: &mut Shell, path: &str) {
    if let Ok(text) = std::fs::read_to_string(path) {
        let _ = sh.run_source_text(&text);
    }
}

/// Reads one line from standard input (without the newline); `None` at end of input.
fn read_line() -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match syscalls::read(0, &mut byte) {
            Ok(0) => {
                return (!bytes.is_empty()).then(|| String::from_utf8_lossy(&bytes).into_owned());
            }
            Ok(_) if byte[0] == b'\n' => return Some(String::from_utf8_lossy(&bytes).into_owned()),
            Ok(_) => bytes.push(byte[0]),
            Err(_) => {
                if crate::jobs::signals::take_interrupt() {
                    bytes.clear();
                    return Some(String::new());
                }
                return None;
            }
        }
    }
}

/// Which start-up files an interactive shell reads.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// Read `/etc/profile` and `~/.profile`.
    pub login: bool,
    /// `None`: no rc file; `Some(None)`: `~/.pidshrc`; `Some(Some(f))`: `f`.
    pub rc: Option<Option<String>>,
}

/// Variables only an interactive shell sets: `HISTFILE` (under the XDG
/// state directory) unless the user set one.
pub fn set_defaults(sh: &mut Shell) {
    if sh.vars.get("HISTFILE").is_none() {
        let state = sh
            .vars
            .get("XDG_STATE_HOME")
            .map(str::to_string)
            .or_else(|| home_dir(sh).map(|h| format!("{h}/.local/state")));
        if let Some(dir) = state {
            let _ = sh.assign("HISTFILE", format!("{dir}/pidsh/history"));
        }
    }
}

/// `$HOME`, or the user's home directory from the password database.
fn home_dir(sh: &Shell) -> Option<String> {
    sh.vars.get("HOME").map(str::to_string).or_else(|| {
        nix::unistd::User::from_uid(nix::unistd::getuid())
            .ok()
            .flatten()
            .map(|u| u.dir.to_string_lossy().into_owned())
    })
}

/// The interactive loop; returns the exit status.
pub fn run(sh: &mut Shell, startup: &Startup) -> i32 {
    let home = home_dir(sh);
    if startup.login {
        source_if_exists(sh, "/etc/profile");
        if let Some(h) = &home {
            source_if_exists(sh, &format!("{h}/.profile"));
        }
    }
    match &startup.rc {
        Some(Some(file)) => source_if_exists(sh, file),
        Some(None) => {
            if let Some(h) = &home {
                source_if_exists(sh, &format!("{h}/.pidshrc"));
            }
        }
        None => {}
    }
    let mut buffer = String::new();
    loop {
        sh.jobs.reap();
        let ps = if buffer.is_empty() { "PS1" } else { "PS2" };
        let template = sh.vars.get(ps).unwrap_or("$ ").to_string();
        let mut prompt = expand_prompt(sh, &template);
        if prompt.contains(['$', '`']) {
            let saved = sh.last_status;
            prompt = sh.expand_prompt_string(&prompt).unwrap_or(prompt);
            sh.last_status = saved;
        }
        sh.write_stderr(prompt.as_bytes());
        let Some(line) = read_line() else {
            sh.write_stderr(b"exit\n");
            sh.run_exit_trap();
            return sh.last_status;
        };
        buffer.push_str(&line);
        buffer.push('\n');
        if crate::parser::is_incomplete(&buffer) {
            continue;
        }
        let code = std::mem::take(&mut buffer);
        if let Err(crate::exec::eval::Unwind::Exit(status)) = sh.run_source_text(&code) {
            sh.run_exit_trap();
            return status;
        }
        if sh.last_status == 128 + libc::SIGINT {
            // The job died of Ctrl-C: start the prompt on a fresh line.
            sh.write_stderr(b"\n");
        }
    }
}
