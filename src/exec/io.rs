//! Writing through the fd table: builtin output, error messages.

use nix::errno::Errno;

use super::eval::Unwind;
use super::state::Shell;
use super::syscalls;

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

    /// Builtin output already in bytes. A reader that went away ends the
    /// whole (sub)shell with status 141, as SIGPIPE would end a process;
    /// other failures are reported as `NAME: write error` and answer
    /// `Ok(false)` (the builtin then returns status 1).
    pub fn print_bytes(&mut self, builtin: &str, bytes: &[u8]) -> Result<bool, Unwind> {
        match self.write_fd(1, bytes) {
            Ok(()) => Ok(true),
            Err(Errno::EPIPE) => Err(Unwind::Exit(141)),
            Err(e) => {
                self.report(&format!(
                    "{builtin}: write error: {}",
                    super::error::describe(e)
                ));
                Ok(false)
            }
        }
    }

    /// Writes to standard error, ignoring failures (there is nowhere left
    /// to report them).
    pub fn write_stderr(&self, text: &str) {
        let _ = self.write_fd(2, &crate::bytes::encode(text));
    }

    /// Prints an error message in the usual form: `pidsh: line N: msg`
    /// (non-interactive) or `pidsh: msg` (interactive).
    pub fn report(&self, message: &str) {
        let line = if self.options.interactive || self.line == 0 {
            format!("{}: {message}\n", self.error_prefix)
        } else {
            format!("{}: line {}: {message}\n", self.error_prefix, self.line)
        };
        self.write_stderr(&line);
    }
}
