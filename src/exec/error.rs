//! Errors of execution, each with the message a user sees and the POSIX
//! exit status it maps to — in one place.

use std::fmt;

use nix::errno::Errno;

use crate::expand::ExpandError;

/// A failure while running a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecError {
    /// No such command (127).
    CommandNotFound(String),
    /// Found but cannot be executed: permission, directory (126).
    CannotExecute(String, Errno),
    /// A missing file named with a slash (127).
    NoSuchFile(String),
    /// A redirection target could not be opened (1).
    Redirect(String, Errno),
    /// `>&N` with N not open (1).
    BadFd(String),
    /// A redirection word expanded to zero or several fields (1).
    AmbiguousRedirect(String),
    /// `>` onto an existing file under `set -C` (1).
    Clobber(String),
    /// An expansion failed.
    Expand(ExpandError),
    /// Assignment to a readonly variable (1).
    Readonly(String),
    /// A builtin's own error: message and status.
    Builtin(String, i32),
    /// Something the OS refused while setting up a command.
    System(String, Errno),
    /// Already reported to the user (through the command's own
    /// redirections); only the status remains.
    Reported(i32),
}

impl ExecError {
    /// The exit status this error gives.
    pub fn status(&self) -> i32 {
        match self {
            ExecError::CommandNotFound(_) | ExecError::NoSuchFile(_) => 127,
            ExecError::CannotExecute(..) => 126,
            ExecError::Expand(e) => e.status,
            ExecError::Builtin(_, s) | ExecError::Reported(s) => *s,
            _ => 1,
        }
    }
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecError::CommandNotFound(name) => write!(f, "{name}: command not found"),
            ExecError::CannotExecute(name, Errno::EISDIR) => write!(f, "{name}: Is a directory"),
            ExecError::CannotExecute(name, e) | ExecError::Redirect(name, e) => {
                write!(f, "{name}: {}", describe(*e))
            }
            ExecError::System(what, e) => write!(f, "{what}: {}", describe(*e)),
            ExecError::NoSuchFile(name) => write!(f, "{name}: No such file or directory"),
            ExecError::BadFd(fd) => write!(f, "{fd}: Bad file descriptor"),
            ExecError::AmbiguousRedirect(word) => write!(f, "{word}: ambiguous redirect"),
            ExecError::Clobber(name) => write!(f, "{name}: cannot overwrite existing file"),
            ExecError::Expand(e) => write!(f, "{e}"),
            ExecError::Readonly(name) => write!(f, "{name}: readonly variable"),
            ExecError::Builtin(msg, _) => f.write_str(msg),
            ExecError::Reported(_) => Ok(()),
        }
    }
}

impl std::error::Error for ExecError {}

impl From<ExpandError> for ExecError {
    fn from(e: ExpandError) -> ExecError {
        ExecError::Expand(e)
    }
}

/// The C library's wording of an errno, as shells print it.
pub fn describe(e: Errno) -> &'static str {
    match e {
        Errno::ENOENT => "No such file or directory",
        Errno::EACCES => "Permission denied",
        Errno::EISDIR => "Is a directory",
        Errno::ENOTDIR => "Not a directory",
        Errno::EBADF => "Bad file descriptor",
        Errno::EEXIST => "File exists",
        Errno::ENOEXEC => "Exec format error",
        Errno::E2BIG => "Argument list too long",
        _ => e.desc(),
    }
}

/// The wording of an I/O error, as shells print it.
pub fn describe_io(e: &std::io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(code) => describe(Errno::from_raw(code)),
        None => "I/O error",
    }
}
