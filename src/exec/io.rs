//! Writing through the fd table: builtin output, error messages.

use nix::errno::Errno;

use super::eval::Unwind;
use super::state::{Shell, TrapAction};
use crate::sys::fd as syscalls;

impl Shell {
    /// The raw descriptor behind shell fd `fd`, if open.
    pub fn raw_fd(&self, fd: i32) -> Option<i32> {
        self.fds.get(fd).map(super::fdtable::FdEntry::raw)
    }

    /// Writes to shell fd `fd` through the table.
    pub fn write_fd(&self, fd: i32, bytes: &[u8]) -> Result<(), Errno> {
        match self.fds.get(fd) {
            Some(super::fdtable::FdEntry::Capture(capture)) => capture.write(bytes),
            Some(entry) => syscalls::write_all(entry.raw(), bytes),
            None => Err(Errno::EBADF),
        }
    }

    /// Builtin output on standard output: shell text, written as the bytes
    /// it stands for (see [`crate::bytes`]).
    pub fn print(&mut self, builtin: &str, text: &str) -> Result<bool, Unwind> {
        self.print_bytes(builtin, &crate::bytes::encode(text))
    }

    /// Builtin output already in bytes. A reader that went away is
    /// [`Shell::broken_pipe`]; other failures are reported as `NAME: write
    /// error` and answer `Ok(false)` (the builtin then returns status 1).
    pub fn print_bytes(&mut self, builtin: &str, bytes: &[u8]) -> Result<bool, Unwind> {
        match self.write_fd(1, bytes) {
            Ok(()) => Ok(true),
            Err(Errno::EPIPE) => self.broken_pipe(builtin),
            Err(e) => {
                self.report_write_error(builtin, e);
                Ok(false)
            }
        }
    }

    fn report_write_error(&self, builtin: &str, e: Errno) {
        self.report(&format!(
            "{builtin}: write error: {}",
            super::error::describe(e)
        ));
    }

    /// A write met a pipe without a reader: what SIGPIPE would do to a
    /// process in this context's place. At its default it ends the
    /// context: an in-process subshell with status 141, a context that
    /// owns its process by the signal itself (after its EXIT trap).
    /// Ignored (on entry, or by `trap ''` of the context), the write fails
    /// as any other; trapped by the context itself, the trap runs after
    /// the failure is reported. (The kernel's own SIGPIPE for the write is
    /// let go by the shell's handler: see `jobs::signals`.)
    fn broken_pipe(&mut self, builtin: &str) -> Result<bool, Unwind> {
        let trap = self.state.traps.get(&libc::SIGPIPE).cloned();
        if self.ignored_signals.contains(&libc::SIGPIPE) || trap == Some(TrapAction::Ignore) {
            self.report_write_error(builtin, Errno::EPIPE);
            return Ok(false);
        }
        if let Some(TrapAction::Command(code)) = trap {
            self.report_write_error(builtin, Errno::EPIPE);
            if !self.ctx.running_trap {
                self.run_trap_code(&code)?;
            }
            return Ok(false);
        }
        if self.owns_process {
            // As bash does (and a subshell here), the EXIT trap runs first.
            self.state.last_status = 141;
            self.run_exit_trap();
            crate::jobs::signals::die_of(nix::sys::signal::Signal::SIGPIPE);
        }
        Err(Unwind::Exit(141))
    }

    /// Writes to standard error, ignoring failures (there is nowhere left
    /// to report them).
    pub fn write_stderr(&self, text: &str) {
        let _ = self.write_fd(2, &crate::bytes::encode(text));
    }

    /// Prints an error message in the usual form: `pidsh: line N: msg`
    /// (non-interactive) or `pidsh: msg` (interactive).
    pub fn report(&self, message: &str) {
        self.report_in("", message);
    }

    /// As [`Shell::report`], with `context` (`eval: `, `-c: `) before the
    /// line number, where bash names the text a syntax error is in.
    pub fn report_in(&self, context: &str, message: &str) {
        let line = if let Some(file) = &self.ctx.startup_file {
            let prefix = &self.error_prefix;
            format!("{prefix}: {file}: line {}: {message}\n", self.line)
        } else if self.state.options.interactive || self.line == 0 {
            format!("{}: {context}{message}\n", self.error_prefix)
        } else {
            // bash names the file the running code comes from
            // (`${BASH_SOURCE[0]}`): a `.` script, or where the running
            // function was defined.
            let file = self.call_frames.last().map(|f| f.file.as_str());
            let prefix = file.filter(|f| !f.is_empty()).unwrap_or(&self.error_prefix);
            format!("{prefix}: {context}line {}: {message}\n", self.line)
        };
        self.write_stderr(&line);
    }
}
