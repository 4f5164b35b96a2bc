//! Thin wrappers over the Linux syscalls nix 0.30 lacks: `pidfd_open`,
//! `pidfd_send_signal` and `close_range`.
//!
//! One syscall per function, errors as [`Errno`]. Waiting on a pidfd needs no
//! wrapper: `nix::sys::wait::waitid(Id::PIDFd(fd), …)` does it.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::unistd::Pid;

/// `pidfd_open(pid, 0)`: a close-on-exec pidfd for a process (Linux 5.3).
///
/// Race-free only while the caller has not reaped `pid`: a child that exited
/// but was not waited for keeps its pid.
pub fn pidfd_open(pid: Pid) -> nix::Result<OwnedFd> {
    // SAFETY: pidfd_open takes two integers and returns a new descriptor or
    // -1; no memory is passed.
    let ret = unsafe { libc::syscall(libc::SYS_pidfd_open, pid.as_raw(), 0) };
    let fd = Errno::result(ret)?;
    let fd = RawFd::try_from(fd).map_err(|_| Errno::EBADF)?;
    // SAFETY: the kernel just returned this descriptor to us and nobody else
    // owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `pidfd_send_signal(pidfd, sig, NULL, 0)` (Linux 5.1). `None` sends no
/// signal and only checks that the process can be signalled.
pub fn pidfd_send_signal(pidfd: BorrowedFd<'_>, sig: Option<Signal>) -> nix::Result<()> {
    let sig = sig.map_or(0, |s| s as libc::c_int);
    // SAFETY: a null siginfo is allowed (the kernel fills one as kill()
    // would); the descriptor is borrowed, so it stays open for the call.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd.as_raw_fd(),
            sig,
            std::ptr::null::<libc::siginfo_t>(),
            0,
        )
    };
    Errno::result(ret).map(drop)
}

/// `close_range(first, last, flags)` (Linux 5.9): closes, or with
/// `libc::CLOSE_RANGE_CLOEXEC` marks close-on-exec, every descriptor in
/// `first..=last`.
///
/// # Safety
///
/// Closing descriptors behind the back of their owners (an `OwnedFd`, a
/// `File`) makes them close a number that may since have been reused. The
/// caller must own every descriptor in the range, or be a child about to
/// exec.
pub unsafe fn close_range(first: u32, last: u32, flags: libc::c_uint) -> nix::Result<()> {
    // SAFETY: three integers, no memory; the ownership contract is the
    // caller's (see `# Safety`).
    let ret = unsafe { libc::syscall(libc::SYS_close_range, first, last, flags) };
    Errno::result(ret).map(drop)
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn pidfd_of_self_can_be_signalled_with_signal_zero() {
        let fd = match pidfd_open(nix::unistd::getpid()) {
            Ok(fd) => fd,
            Err(Errno::ENOSYS) => return,
            Err(e) => panic!("pidfd_open: {e}"),
        };
        assert_eq!(pidfd_send_signal(fd.as_fd(), None), Ok(()));
    }

    #[test]
    fn pidfd_open_of_a_free_pid_fails() {
        // pid_max is at most 2^22, so this pid cannot exist.
        let err = pidfd_open(Pid::from_raw(i32::MAX - 1));
        assert!(matches!(
            err,
            Err(Errno::ESRCH | Errno::EINVAL | Errno::ENOSYS)
        ));
    }
}
