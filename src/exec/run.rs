//! Running source text: the read–parse–execute loop shared by scripts,
//! `-c`, `eval`, `.` and traps, and the shell's start-up state.

use std::collections::HashMap;

use crate::expand::{ExpandEnv, ExpandError};
use crate::jobs::JobTable;
use crate::parser::ast::List;
use crate::parser::Parser;

use super::eval::{Status, Unwind};
use super::fdtable::FdTable;
use super::lookup::CommandCache;
use super::state::{Options, Shell, Vars};

/// How running a whole script ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunOutcome {
    /// It ran to the end (or `exit`): the shell's exit status.
    Finished(i32),
}

impl Shell {
    /// A new top-level shell: variables from the environment, fds from the
    /// process, default options.
    pub fn new(arg0: String, positional: Vec<String>) -> Shell {
        let mut vars = Vars::default();
        for (k, v) in std::env::vars_os() {
            let (Some(k), v) = (k.to_str(), v.to_string_lossy().into_owned()) else {
                continue;
            };
            if crate::expand::is_name(k) {
                let _ = vars.set(k, v);
                vars.export(k);
            }
        }
        let own_pid = nix::unistd::getpid().as_raw();
        let shell_pid = vars
            .get(super::handover::PARENT_PID_VAR)
            .and_then(|p| p.parse().ok())
            .unwrap_or(own_pid);
        let _ = vars.unset(super::handover::PARENT_PID_VAR);
        let _ = vars.set("IFS", " \t\n");
        let _ = vars.set("PS2", "> ");
        let _ = vars.set("PS4", "+ ");
        let _ = vars.set("OPTIND", "1");
        let _ = vars.set("PPID", nix::unistd::getppid().as_raw().to_string());
        if vars.get("PS1").is_none() {
            let prompt = if nix::unistd::geteuid().is_root() { "# " } else { "$ " };
            let _ = vars.set("PS1", prompt);
        }
        let cwd = std::env::current_dir().ok().map(|p| p.to_string_lossy().into_owned());
        let pwd_ok = vars.get("PWD").is_some_and(|p| {
            p.starts_with('/') && same_dir(p, cwd.as_deref().unwrap_or("."))
        });
        if !pwd_ok && let Some(c) = cwd {
            let _ = vars.set("PWD", c);
        }
        let self_exe = std::env::current_exe().ok();
        Shell {
            vars,
            functions: HashMap::new(),
            aliases: HashMap::new(),
            options: Options {
                hashall: true,
                ..Options::default()
            },
            arg0,
            positional,
            last_status: 0,
            last_bg_pid: None,
            shell_pid,
            fds: FdTable::from_process(),
            commands: CommandCache::default(),
            jobs: JobTable::default(),
            traps: HashMap::new(),
            error_prefix: "pidsh".to_string(),
            line: 0,
            loop_depth: 0,
            call_depth: 0,
            source_depth: 0,
            subshell_depth: 0,
            errexit_suppressed: 0,
            cwd_to_restore: None,
            umask_to_restore: None,
            ignored_signals: Vec::new(),
            self_exe,
            getopts_char: 0,
            persist_redirections: false,
        }
    }

    /// Parses and runs `source` one complete command at a time (so that
    /// aliases defined on one line apply to the next, and commands before
    /// a syntax error run). A syntax error gives status 2.
    pub fn run_source_text(&mut self, source: &str) -> Status {
        self.run_source_from(source, 1)
    }

    /// As [`Shell::run_source_text`], numbering lines from `first_line`.
    pub fn run_source_from(&mut self, source: &str, first_line: u32) -> Status {
        let mut parser = Parser::new(source, first_line);
        let mut status = 0;
        loop {
            let aliases = self.aliases.clone();
            match parser.next_command(&aliases) {
                Ok(None) => return Ok(status),
                Ok(Some(list)) => {
                    if self.options.noexec && !self.options.interactive {
                        continue;
                    }
                    status = self.run_list(&list)?;
                    self.jobs.reap();
                }
                Err(e) => return self.syntax_error(&e),
            }
        }
    }

    /// Reports a syntax error: status 2, and a non-interactive shell stops.
    fn syntax_error(&mut self, e: &crate::parser::ParseError) -> Status {
        self.line = e.line;
        self.report(&e.message);
        self.last_status = 2;
        if self.options.interactive {
            return Ok(2);
        }
        Err(Unwind::Exit(2))
    }

    /// Runs the script on standard input. When it is a regular file, the
    /// file offset is kept just after the command being run, as bash does,
    /// so a command that reads standard input reads the rest of the script;
    /// the shell then goes on from wherever that command left the offset.
    pub fn run_stdin(&mut self) -> RunOutcome {
        let status = match self.run_stdin_commands() {
            Ok(s) | Err(Unwind::Exit(s)) | Err(Unwind::Return(s)) => s,
            Err(Unwind::Break(_)) | Err(Unwind::Continue(_)) => self.last_status,
        };
        self.last_status = status;
        self.run_exit_trap();
        RunOutcome::Finished(self.last_status)
    }

    fn run_stdin_commands(&mut self) -> Status {
        use nix::unistd::{Whence, lseek};
        let stdin = std::io::stdin();
        let mut base = lseek(&stdin, 0, Whence::SeekCur).ok();
        let mut text = read_rest_of_stdin();
        let mut first_line = 1;
        let mut status = 0;
        'reread: loop {
            let mut parser = Parser::new(&text, first_line);
            loop {
                let aliases = self.aliases.clone();
                let list = match parser.next_command(&aliases) {
                    Ok(None) => return Ok(status),
                    Ok(Some(list)) => list,
                    Err(e) => return self.syntax_error(&e),
                };
                let Some(start) = base else {
                    status = self.run_list(&list)?;
                    self.jobs.reap();
                    continue;
                };
                let expected = start + parser.offset() as i64;
                let _ = lseek(&stdin, expected, Whence::SeekSet);
                status = self.run_list(&list)?;
                self.jobs.reap();
                let now = lseek(&stdin, 0, Whence::SeekCur).unwrap_or(expected);
                if now != expected {
                    base = Some(now);
                    first_line = parser.line();
                    text = read_rest_of_stdin();
                    continue 'reread;
                }
            }
        }
    }

    /// Runs a whole script (or `-c` text) as the top level: unwinds end
    /// here, the EXIT trap runs, and the exit status comes back.
    pub fn run_main(&mut self, source: &str) -> RunOutcome {
        let status = match self.run_source_text(source) {
            Ok(s) | Err(Unwind::Exit(s)) | Err(Unwind::Return(s)) => s,
            Err(Unwind::Break(_)) | Err(Unwind::Continue(_)) => self.last_status,
        };
        self.last_status = status;
        self.run_exit_trap();
        RunOutcome::Finished(self.last_status)
    }

    /// Runs an already parsed list at top level (interactive use).
    pub fn run_top_level(&mut self, list: &List) -> Result<i32, i32> {
        match self.run_list(list) {
            Ok(s) => {
                self.last_status = s;
                Ok(s)
            }
            Err(Unwind::Exit(s)) => Err(s),
            Err(Unwind::Return(s)) => Ok(s),
            Err(_) => Ok(self.last_status),
        }
    }
}

fn read_rest_of_stdin() -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    let _ = std::io::stdin().lock().read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn same_dir(a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

impl ExpandEnv for Shell {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "LINENO" => Some(self.line.to_string()),
            _ => self.vars.get(name).map(str::to_string),
        }
    }

    fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        self.assign(name, value).map_err(|e| e.to_string())
    }

    fn positional(&self) -> Vec<String> {
        self.positional.clone()
    }

    fn arg0(&self) -> String {
        self.arg0.clone()
    }

    fn special(&self, name: char) -> Option<String> {
        match name {
            '?' => Some(self.last_status.to_string()),
            '-' => Some(self.options.flags()),
            '$' => Some(self.shell_pid.to_string()),
            '!' => self.last_bg_pid.map(|p| p.to_string()),
            _ => None,
        }
    }

    fn command_substitution(&mut self, body: &List) -> Result<String, ExpandError> {
        let (text, status) = self.capture_output(body)?;
        self.last_status = status;
        Ok(text)
    }

    fn nounset(&self) -> bool {
        self.options.nounset
    }

    fn noglob(&self) -> bool {
        self.options.noglob
    }

    fn home_of(&self, user: &str) -> Option<String> {
        nix::unistd::User::from_name(user)
            .ok()
            .flatten()
            .map(|u| u.dir.to_string_lossy().into_owned())
    }
}
