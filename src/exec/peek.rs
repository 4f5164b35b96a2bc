//! Looking ahead in a pipe without taking anything from it.
//!
//! A script read from a pipe must not be taken past the command about to
//! run: the command may read the rest of the pipe itself (`curl … | sh`
//! with a `read` in it). Reading a line at a time and asking the parser
//! after each line whether the command is finished costs a parse of the
//! whole unfinished command per line, quadratic in a long `( … )`.
//! `tee(2)` copies what the pipe holds into a pipe of our own and leaves
//! it where it was, so the reader can see many lines at once, find where
//! the command ends in one parse, and then take exactly that much. A
//! command longer than the pipe holds (1 MiB once widened) still costs a
//! parse of it per pipe-full.

use std::os::fd::{AsFd, OwnedFd};

use nix::errno::Errno;
use nix::fcntl::{OFlag, SpliceFFlags, tee};

/// How much one look copies at most (a pipe holds 64 KiB by default).
const LOOK_AHEAD: usize = 1 << 20;

/// A private pipe that copies of standard input pass through.
pub struct PipePeek {
    read: OwnedFd,
    write: OwnedFd,
}

impl PipePeek {
    /// A peeker for standard input, when it is a pipe or FIFO (what
    /// `tee` works on).
    pub fn for_stdin() -> Option<PipePeek> {
        let stat = nix::sys::stat::fstat(std::io::stdin()).ok()?;
        if stat.st_mode & libc::S_IFMT != libc::S_IFIFO {
            return None;
        }
        // Out of the way of the script's own descriptors (`exec 7>f`, or
        // a script that lists /proc/$$/fd).
        let (read, write) = nix::unistd::pipe2(OFlag::O_CLOEXEC).ok()?;
        let read = crate::sys::fd::move_high(read).ok()?;
        let write = crate::sys::fd::move_high(write).ok()?;
        // A bigger private pipe lets one look see more of the script (the
        // kernel may refuse; 64 KiB then).
        let size = libc::c_int::try_from(LOOK_AHEAD).unwrap_or(libc::c_int::MAX);
        let _ = nix::fcntl::fcntl(&write, nix::fcntl::FcntlArg::F_SETPIPE_SZ(size));
        Some(PipePeek { read, write })
    }

    /// Lets the pipe on standard input hold more (as much as a look
    /// copies), so that a long command needs fewer looks and parses.
    /// Only the writer notices: it can write further ahead.
    pub fn widen_stdin(&self) {
        let size = libc::c_int::try_from(LOOK_AHEAD).unwrap_or(libc::c_int::MAX);
        let _ = nix::fcntl::fcntl(std::io::stdin(), nix::fcntl::FcntlArg::F_SETPIPE_SZ(size));
    }

    /// What standard input holds now, waiting until it holds something;
    /// empty at the end of input. Nothing is taken from it.
    pub fn look(&self) -> Result<Vec<u8>, Errno> {
        let n = loop {
            match tee(
                std::io::stdin(),
                &self.write,
                LOOK_AHEAD,
                SpliceFFlags::empty(),
            ) {
                Err(Errno::EINTR) => continue,
                other => break other?,
            }
        };
        let mut copy = vec![0; n];
        let mut got = 0;
        while got < n {
            match nix::unistd::read(self.read.as_fd(), &mut copy[got..]) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(Errno::EINTR) => {}
                Err(e) => return Err(e),
            }
        }
        copy.truncate(got);
        Ok(copy)
    }
}

/// Takes exactly `n` bytes from standard input (all already there).
pub fn take_stdin(n: usize) -> Vec<u8> {
    let mut bytes = vec![0; n];
    let mut got = 0;
    while got < n {
        match crate::sys::fd::read(0, &mut bytes[got..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => got += k,
        }
    }
    bytes.truncate(got);
    bytes
}
