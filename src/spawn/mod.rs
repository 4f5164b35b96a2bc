//! The spawn builder: a child process described as plain data, then started
//! in one step by a backend.
//!
//! `Spawn::new(program)` + argv + env + a list of [`SpawnOp`]s is the whole
//! description of a child; nothing here runs code in the child. The ops are
//! applied in order, in the child, between clone and exec. Backends live in
//! [`backend`].

use std::ffi::CString;
use std::fmt;
use std::os::fd::{OwnedFd, RawFd};
use std::sync::Arc;

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::unistd::Pid;

pub mod backend;

/// What to execute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Program {
    /// A path, passed to `execve`.
    Path(CString),
    /// An `O_PATH` descriptor of the executable (a cached spawn template),
    /// executed with `execveat(fd, "", AT_EMPTY_PATH)`. The caller keeps it
    /// open until `spawn` returns.
    Fd(RawFd),
}

/// Which process group the child joins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessGroup {
    /// A new group led by the child (`setpgid(0, 0)`).
    New,
    /// An existing group (`setpgid(0, pgid)`).
    Join(Pid),
}

/// One configuration step applied in the child before exec, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpawnOp {
    /// `dup2(src, dst)`; when `src == dst`, clears close-on-exec instead.
    Dup2 {
        /// A descriptor open in the parent.
        src: RawFd,
        /// The number the child sees.
        dst: RawFd,
    },
    /// `open(path, flags, mode)` then move it to `fd`.
    Open {
        /// The file.
        path: CString,
        /// `O_*` flags.
        flags: i32,
        /// Creation mode.
        mode: u32,
        /// The number the child sees.
        fd: RawFd,
    },
    /// `close(fd)`.
    Close(RawFd),
    /// Close every descriptor from this number up (`close_range`).
    CloseFrom(RawFd),
    /// `chdir(path)`.
    Chdir(CString),
    /// `fchdir(fd)`.
    Fchdir(RawFd),
    /// `setpgid(0, …)`.
    SetPgid(ProcessGroup),
    /// Make the child's process group the foreground group of the terminal
    /// open on this descriptor.
    Tcsetpgrp(RawFd),
    /// `setsid()`.
    Setsid,
    /// Reset these signals to `SIG_DFL`.
    SigDefault(Vec<i32>),
    /// Set these signals to `SIG_IGN` (an ignored disposition survives
    /// exec). A signal named by both a `SigDefault` and a `SigIgnore` ends
    /// up as the later op says; the shell never lists one in both.
    SigIgnore(Vec<i32>),
    /// Set the signal mask to exactly these signals.
    SigMask(Vec<i32>),
    /// `umask(mask)`.
    Umask(u32),
}

/// A child described as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spawn {
    program: Program,
    argv: Vec<CString>,
    /// Shared with the shell's cached environment: a spawn copies nothing.
    env: Arc<Vec<CString>>,
    ops: Vec<SpawnOp>,
}

/// A started child: its pid and, where the kernel has them, its pidfd.
#[derive(Debug)]
pub struct Child {
    /// The process id.
    pub pid: Pid,
    /// A pidfd for the process (`None` on the no-pidfd fallback, or when
    /// descriptors run short: see `syscalls::keep_if_room`).
    pub pidfd: Option<OwnedFd>,
}

/// The step of a spawn that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpawnStep {
    /// Creating the process (clone, fork, posix_spawn).
    Create,
    /// Applying the op at this index of the op list.
    Op(usize),
    /// `execve`/`execveat`.
    Exec,
    /// Obtaining the pidfd.
    Pidfd,
}

/// A spawn that failed, with the errno and the step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpawnError {
    /// The error number.
    pub errno: Errno,
    /// Where it happened.
    pub step: SpawnStep,
}

impl fmt::Display for SpawnError {
    /// Only the errno's text (`No such file or directory`): the caller knows
    /// the command name and builds the user's line; `step` says what failed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.errno.desc())
    }
}

impl fmt::Display for SpawnStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnStep::Create => f.write_str("create"),
            SpawnStep::Op(i) => write!(f, "op {i}"),
            SpawnStep::Exec => f.write_str("exec"),
            SpawnStep::Pidfd => f.write_str("pidfd"),
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Program::Path(p) => f.write_str(&p.to_string_lossy()),
            Program::Fd(fd) => write!(f, "fd {fd}"),
        }
    }
}

/// `SIGINT,SIGTSTP`, or the bare number of a signal nix does not name.
fn fmt_signals(f: &mut fmt::Formatter<'_>, sigs: &[i32]) -> fmt::Result {
    if sigs.is_empty() {
        return f.write_str("-");
    }
    for (i, &sig) in sigs.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        match Signal::try_from(sig) {
            Ok(s) => f.write_str(s.as_str())?,
            Err(_) => write!(f, "{sig}")?,
        }
    }
    Ok(())
}

/// `O_WRONLY|O_CREAT|O_TRUNC`; unknown bits are shown in octal.
fn fmt_open_flags(f: &mut fmt::Formatter<'_>, flags: i32) -> fmt::Result {
    f.write_str(match flags & libc::O_ACCMODE {
        libc::O_RDONLY => "O_RDONLY",
        libc::O_WRONLY => "O_WRONLY",
        libc::O_RDWR => "O_RDWR",
        _ => "O_ACCMODE",
    })?;
    let named = [
        (libc::O_CREAT, "O_CREAT"),
        (libc::O_EXCL, "O_EXCL"),
        (libc::O_NOCTTY, "O_NOCTTY"),
        (libc::O_TRUNC, "O_TRUNC"),
        (libc::O_APPEND, "O_APPEND"),
        (libc::O_NONBLOCK, "O_NONBLOCK"),
        (libc::O_DIRECTORY, "O_DIRECTORY"),
        (libc::O_NOFOLLOW, "O_NOFOLLOW"),
        (libc::O_CLOEXEC, "O_CLOEXEC"),
    ];
    let mut rest = flags & !libc::O_ACCMODE;
    for (bit, name) in named {
        if rest & bit != 0 {
            write!(f, "|{name}")?;
            rest &= !bit;
        }
    }
    if rest != 0 {
        write!(f, "|{rest:#o}")?;
    }
    Ok(())
}

impl fmt::Display for SpawnOp {
    /// One line per op, as `--plan` prints it: `dup2 5 1`,
    /// `open "out" O_WRONLY|O_CREAT|O_TRUNC 0666 1`, `sigdefault SIGINT`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpawnOp::Dup2 { src, dst } if src == dst => write!(f, "inherit {src}"),
            SpawnOp::Dup2 { src, dst } => write!(f, "dup2 {src} {dst}"),
            SpawnOp::Open {
                path,
                flags,
                mode,
                fd,
            } => {
                write!(f, "open {path:?} ")?;
                fmt_open_flags(f, *flags)?;
                write!(f, " {mode:04o} {fd}")
            }
            SpawnOp::Close(fd) => write!(f, "close {fd}"),
            SpawnOp::CloseFrom(fd) => write!(f, "closefrom {fd}"),
            SpawnOp::Chdir(path) => write!(f, "chdir {path:?}"),
            SpawnOp::Fchdir(fd) => write!(f, "fchdir {fd}"),
            SpawnOp::SetPgid(ProcessGroup::New) => f.write_str("setpgid new"),
            SpawnOp::SetPgid(ProcessGroup::Join(pgid)) => write!(f, "setpgid {pgid}"),
            SpawnOp::Tcsetpgrp(fd) => write!(f, "tcsetpgrp {fd}"),
            SpawnOp::Setsid => f.write_str("setsid"),
            SpawnOp::SigDefault(sigs) => {
                f.write_str("sigdefault ")?;
                fmt_signals(f, sigs)
            }
            SpawnOp::SigIgnore(sigs) => {
                f.write_str("sigignore ")?;
                fmt_signals(f, sigs)
            }
            SpawnOp::SigMask(sigs) => {
                f.write_str("sigmask ")?;
                fmt_signals(f, sigs)
            }
            SpawnOp::Umask(mask) => write!(f, "umask {mask:04o}"),
        }
    }
}

impl std::error::Error for SpawnError {}

impl fmt::Display for Spawn {
    /// The whole spawn, one line each for the program, argv, the size of
    /// the environment and every op in order: what `--plan` prints and
    /// what `PIDSH_TRACE_SPAWN=1` writes as each child starts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let arg0 = self.argv.first().map(|a| a.to_string_lossy());
        match &self.program {
            Program::Path(p) => writeln!(f, "  exec {:?}", p.to_string_lossy())?,
            Program::Fd(fd) => {
                let name = arg0.as_deref().unwrap_or("");
                writeln!(f, "  execveat template fd {fd} ({name})")?;
            }
        }
        f.write_str("  argv")?;
        for arg in &self.argv {
            let arg = arg.to_string_lossy();
            let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
            if !arg.is_empty() && arg.chars().all(plain) {
                write!(f, " {arg}")?;
            } else {
                write!(f, " {arg:?}")?;
            }
        }
        writeln!(f, "\n  env {} variables", self.env.len())?;
        for op in &self.ops {
            writeln!(f, "  {op}")?;
        }
        Ok(())
    }
}

/// With `PIDSH_TRACE_SPAWN=1` in the environment at start, each spawn is
/// written to the process's standard error just before the backend runs
/// it: the same text `--plan` prints for it, so the two can be compared.
fn trace(spawn: &Spawn) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let on = *ON.get_or_init(|| std::env::var_os("PIDSH_TRACE_SPAWN").is_some_and(|v| v == "1"));
    if on {
        let text = format!("spawn:\n{spawn}");
        let _ = crate::sys::fd::write_all(2, text.as_bytes());
    }
}

impl Spawn {
    /// A child that will execute `program` with no arguments, no
    /// environment and no ops.
    pub fn new(program: Program) -> Spawn {
        Spawn {
            program,
            argv: Vec::new(),
            env: Arc::default(),
            ops: Vec::new(),
        }
    }

    /// Appends one argument (`argv[0]` first).
    pub fn arg(&mut self, arg: CString) -> &mut Self {
        self.argv.push(arg);
        self
    }

    /// Appends one `NAME=value` environment entry.
    pub fn env(&mut self, entry: CString) -> &mut Self {
        Arc::make_mut(&mut self.env).push(entry);
        self
    }

    /// Sets the whole environment, shared rather than copied.
    pub fn environment(&mut self, env: Arc<Vec<CString>>) -> &mut Self {
        self.env = env;
        self
    }

    /// Replaces `argv[0]` (`exec -a name`).
    pub fn set_arg0(&mut self, arg0: CString) -> &mut Self {
        match self.argv.first_mut() {
            Some(first) => *first = arg0,
            None => self.argv.push(arg0),
        }
        self
    }

    /// The same child with another program (argv, environment and ops kept).
    pub fn with_program(&self, program: Program) -> Spawn {
        Spawn {
            program,
            ..self.clone()
        }
    }

    /// The environment, as shared.
    pub fn shared_environment(&self) -> Arc<Vec<CString>> {
        Arc::clone(&self.env)
    }

    /// Appends one op.
    pub fn op(&mut self, op: SpawnOp) -> &mut Self {
        self.ops.push(op);
        self
    }

    /// The program.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// The arguments.
    pub fn argv(&self) -> &[CString] {
        &self.argv
    }

    /// The environment.
    pub fn envp(&self) -> &[CString] {
        &self.env
    }

    /// The ops, in order.
    pub fn ops(&self) -> &[SpawnOp] {
        &self.ops
    }

    /// Appends several arguments.
    pub fn args<I: IntoIterator<Item = CString>>(&mut self, args: I) -> &mut Self {
        self.argv.extend(args);
        self
    }

    /// `dup2(src, dst)` in the child; `src == dst` clears close-on-exec.
    pub fn dup2(&mut self, src: RawFd, dst: RawFd) -> &mut Self {
        self.op(SpawnOp::Dup2 { src, dst })
    }

    /// Opens `path` in the child and moves it to `fd`. `O_CLOEXEC` in
    /// `flags` is ignored: the child is meant to keep the descriptor.
    pub fn open(&mut self, path: CString, flags: i32, mode: u32, fd: RawFd) -> &mut Self {
        self.op(SpawnOp::Open {
            path,
            flags,
            mode,
            fd,
        })
    }

    /// Closes `fd` in the child (no error if it is not open).
    pub fn close(&mut self, fd: RawFd) -> &mut Self {
        self.op(SpawnOp::Close(fd))
    }

    /// Closes every descriptor from `fd` up in the child.
    pub fn close_from(&mut self, fd: RawFd) -> &mut Self {
        self.op(SpawnOp::CloseFrom(fd))
    }

    /// Changes the child's directory to `path`.
    pub fn chdir(&mut self, path: CString) -> &mut Self {
        self.op(SpawnOp::Chdir(path))
    }

    /// Changes the child's directory to the directory open on `fd`.
    pub fn fchdir(&mut self, fd: RawFd) -> &mut Self {
        self.op(SpawnOp::Fchdir(fd))
    }

    /// Puts the child in a new or an existing process group.
    pub fn setpgid(&mut self, group: ProcessGroup) -> &mut Self {
        self.op(SpawnOp::SetPgid(group))
    }

    /// Makes the child's group the terminal's foreground group.
    pub fn tcsetpgrp(&mut self, tty: RawFd) -> &mut Self {
        self.op(SpawnOp::Tcsetpgrp(tty))
    }

    /// Starts a new session led by the child.
    pub fn setsid(&mut self) -> &mut Self {
        self.op(SpawnOp::Setsid)
    }

    /// Resets these signals to their default action in the child.
    pub fn sigdefault(&mut self, sigs: Vec<i32>) -> &mut Self {
        self.op(SpawnOp::SigDefault(sigs))
    }

    /// Sets these signals to be ignored in the child.
    pub fn sigignore(&mut self, sigs: Vec<i32>) -> &mut Self {
        self.op(SpawnOp::SigIgnore(sigs))
    }

    /// Sets the child's signal mask to exactly these signals.
    pub fn sigmask(&mut self, sigs: Vec<i32>) -> &mut Self {
        self.op(SpawnOp::SigMask(sigs))
    }

    /// Sets the child's umask.
    pub fn umask(&mut self, mask: u32) -> &mut Self {
        self.op(SpawnOp::Umask(mask))
    }

    /// Starts the child with the backend chosen at startup
    /// ([`backend::current`]); returns once it has exec'd or failed.
    pub fn spawn(&self) -> Result<Child, SpawnError> {
        trace(self);
        let child = backend::current().spawn(self)?;
        Ok(Child {
            pid: child.pid,
            pidfd: child.pidfd.and_then(crate::sys::fd::keep_if_room),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ops_print_as_plan_lines() {
        let lines: Vec<String> = [
            SpawnOp::Dup2 { src: 5, dst: 1 },
            SpawnOp::Dup2 { src: 3, dst: 3 },
            SpawnOp::Open {
                path: c"out".to_owned(),
                flags: libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
                mode: 0o666,
                fd: 1,
            },
            SpawnOp::SetPgid(ProcessGroup::Join(Pid::from_raw(42))),
            SpawnOp::SigDefault(vec![libc::SIGINT, libc::SIGTSTP]),
            SpawnOp::SigIgnore(vec![libc::SIGINT, libc::SIGQUIT, 40]),
            SpawnOp::SigMask(vec![]),
            SpawnOp::Umask(0o22),
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            lines,
            [
                "dup2 5 1",
                "inherit 3",
                "open \"out\" O_WRONLY|O_CREAT|O_TRUNC 0666 1",
                "setpgid 42",
                "sigdefault SIGINT,SIGTSTP",
                "sigignore SIGINT,SIGQUIT,40",
                "sigmask -",
                "umask 0022",
            ]
        );
    }
}
