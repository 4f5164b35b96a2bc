//! The controlling terminal of an interactive shell with job control.
//!
//! The shell puts itself in its own process group and takes the terminal;
//! each foreground job gets its own group and the terminal (through the
//! spawn ops `SetPgid`/`Tcsetpgrp`, applied in the child before exec), and
//! the shell takes the terminal back — with its own saved modes — when the
//! job stops or ends, so a program that leaves the terminal raw and dies
//! cannot break the line editor.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::Mutex;

use nix::sys::termios::{SetArg, Termios, tcgetattr, tcsetattr};
use nix::unistd::{Pid, getpgrp, getpid, setpgid, tcgetpgrp, tcsetpgrp};

/// The terminal, held by an interactive shell.
#[derive(Debug)]
pub struct Terminal {
    /// A close-on-exec duplicate of the terminal descriptor.
    fd: OwnedFd,
    /// The shell's own process group.
    shell_pgid: Pid,
    /// The shell's terminal modes, restored whenever it takes the terminal back.
    modes: Mutex<Option<Termios>>,
}

impl Terminal {
    /// Takes the terminal on standard input: the shell leads its own
    /// process group and becomes the foreground group. `None` when standard
    /// input is not a terminal (no job control then).
    pub fn take() -> Option<Terminal> {
        let stdin = std::io::stdin();
        if !nix::unistd::isatty(&stdin).unwrap_or(false) {
            return None;
        }
        let fd = crate::sys::fd::dup_high(stdin.as_raw_fd()).ok()?;
        // Wait until we are in the foreground (a shell started in the
        // background would otherwise steal the terminal), as bash does;
        // one that never gets there goes without job control.
        for _ in 0..100 {
            match tcgetpgrp(&fd) {
                Ok(fg) if fg == getpgrp() => break,
                Ok(_) => crate::jobs::signals::stop_until_foreground(),
                Err(_) => return None,
            }
        }
        if tcgetpgrp(&fd).ok()? != getpgrp() {
            return None;
        }
        let me = getpid();
        if getpgrp() != me {
            let _ = setpgid(me, me);
        }
        let shell_pgid = getpgrp();
        tcsetpgrp(&fd, shell_pgid).ok()?;
        let modes = tcgetattr(&fd).ok();
        Some(Terminal {
            fd,
            shell_pgid,
            modes: Mutex::new(modes),
        })
    }

    /// The descriptor children name in their `Tcsetpgrp` op.
    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// The shell's process group.
    pub fn shell_pgid(&self) -> Pid {
        self.shell_pgid
    }

    /// Gives the terminal to a job's process group (`fg`).
    pub fn give_to(&self, pgid: Pid) {
        let _ = tcsetpgrp(&self.fd, pgid);
    }

    /// The modes the terminal has now (a stopped job's, kept for `fg`).
    pub fn current_modes(&self) -> Option<Termios> {
        tcgetattr(&self.fd).ok()
    }

    /// Sets modes (a job's, before it continues in the foreground).
    pub fn set_modes(&self, modes: &Termios) {
        let _ = tcsetattr(&self.fd, SetArg::TCSADRAIN, modes);
    }

    /// Takes the terminal back and restores the shell's modes.
    pub fn reclaim(&self) {
        let _ = tcsetpgrp(&self.fd, self.shell_pgid);
        let modes = self.modes.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(m) = modes.as_ref() {
            let _ = tcsetattr(&self.fd, SetArg::TCSADRAIN, m);
        }
    }

    /// Records the modes the shell wants (after the user changed them with
    /// `stty` at the prompt, for instance).
    pub fn save_modes(&self) {
        if let Some(m) = self.current_modes() {
            *self.modes.lock().unwrap_or_else(|e| e.into_inner()) = Some(m);
        }
    }
}
