//! The child side of a spawn: everything that runs between the clone (or the
//! reference fork) and the exec. Nothing else in the crate runs there.
//!
//! ```text
//!  ╔══════════════════════════════════════════════════════════════════╗
//!  ║ RUNS IN THE CHILD: DO NOT ALLOCATE, LOCK, PANIC OR UNWIND.       ║
//!  ║ Under CLONE_VM the child shares the parent's memory, heap and    ║
//!  ║ TLS; another parent thread may hold the malloc lock. Only raw    ║
//!  ║ syscalls on data prepared before the clone ([`Prepared`]).       ║
//!  ╚══════════════════════════════════════════════════════════════════╝
//! ```
//!
//! The sequence, shared by every backend that runs our code in the child
//! (`clone-vfork`, `fork`; `posix_spawn` runs glibc's equivalent):
//!
//! 1. Signals arrive here all blocked (the parent blocked them before the
//!    clone). Every signal with a handler is reset to `SIG_DFL`: a parent
//!    handler must never run on the shared memory, and exec would reset it
//!    anyway. Ignored signals stay ignored unless a `SigDefault` op says
//!    otherwise; a `SigIgnore` op sets `SIG_IGN`, which survives exec.
//! 2. The ops, in order, each one raw syscall or two.
//! 3. The signal mask: the `SigMask` op's set, else the parent's mask from
//!    before the clone; then `execve` / `execveat(fd, "", AT_EMPTY_PATH)`.
//!
//! Signals stay blocked through step 2 on purpose: `tcsetpgrp` from a
//! background group is allowed without `SIGTTOU` when `SIGTTOU` is blocked
//! (the kernel's `tty_check_change` treats blocked like ignored), which is
//! what lets a job's first stage take the terminal before exec.
//!
//! Errno is read through `__errno_location`, which under CLONE_VM is the
//! parent thread's errno slot: harmless, the parent thread is suspended
//! until the exec and reads errno only after.
//!
//! The fence is also a lint: indexing that may panic, explicit panics and
//! arithmetic that may overflow (a panic in debug builds) are denied here.

#![deny(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::ffi::{CStr, c_char, c_int, c_long, c_void};
use std::os::fd::RawFd;

use crate::spawn::{ProcessGroup, SpawnOp, SpawnStep};

// rt_sigaction's struct: the handler is the first field and the struct is at
// most four words on these architectures. mips, sparc and alpha order it
// differently.
#[cfg(any(
    target_arch = "mips",
    target_arch = "mips64",
    target_arch = "sparc",
    target_arch = "sparc64"
))]
compile_error!("child.rs: the kernel sigaction layout of this architecture is not handled");

/// The kernel's signal set as `rt_sigprocmask`/`rt_sigaction` take it:
/// bit `n - 1` is signal `n`, 64 signals.
pub(super) type KernelSigset = u64;

/// `sizeof(kernel sigset_t)`, the last argument of the `rt_sig*` syscalls.
const KSIGSET_SIZE: usize = 8;

/// The highest signal number.
const MAX_SIGNAL: c_int = 64;

/// `struct sigaction` as the kernel reads it (handler first; we only ever
/// read the handler and write `SIG_DFL` or `SIG_IGN` with the rest zero).
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    rest: [usize; 3],
}

/// "No descriptor" in [`Prepared::keep`].
pub(super) const NO_FD: RawFd = -1;

/// What to exec, as raw pointers into data the parent keeps alive.
#[derive(Clone, Copy)]
pub(super) enum Exec {
    /// `execve(path, …)`.
    Path(*const c_char),
    /// `execveat(fd, "", …, AT_EMPTY_PATH)`.
    Fd(RawFd),
}

impl Exec {
    /// What to exec for `program`, pointing into it (it must outlive the
    /// exec).
    pub(super) fn of(program: &crate::spawn::Program) -> Exec {
        match program {
            crate::spawn::Program::Path(path) => Exec::Path(path.as_ptr()),
            crate::spawn::Program::Fd(fd) => Exec::Fd(*fd),
        }
    }
}

/// Everything the child needs, built by the parent before the clone. The
/// pointers borrow from the [`crate::spawn::Spawn`] and from
/// null-terminated pointer arrays the parent owns until the spawn returns.
pub(super) struct Prepared<'a> {
    /// The program.
    pub exec: Exec,
    /// Null-terminated `argv`.
    pub argv: *const *const c_char,
    /// Null-terminated `envp`.
    pub envp: *const *const c_char,
    /// The ops, applied in order.
    pub ops: &'a [SpawnOp],
    /// The parent's signal mask from before it blocked everything.
    pub mask: KernelSigset,
    /// Signals that have a handler in the parent (bit `sig - 1`): the
    /// child resets exactly these, instead of asking about all 64.
    pub handled: KernelSigset,
}

/// Why the child did not exec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Failure {
    /// The errno.
    pub errno: c_int,
    /// `Some(i)`: op `i`; `None`: the exec itself.
    pub op: Option<usize>,
}

impl Failure {
    /// The public step this failure maps to.
    pub(super) fn step(self) -> SpawnStep {
        match self.op {
            Some(i) => SpawnStep::Op(i),
            None => SpawnStep::Exec,
        }
    }

    /// The 16 bytes the `fork` backend writes down its pipe: errno, then the
    /// op index (or `u64::MAX` for the exec), native endian.
    pub(super) fn encode(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        let (a, b) = out.split_at_mut(8);
        a.copy_from_slice(&i64::from(self.errno).to_ne_bytes());
        let op = match self.op {
            Some(i) => i as u64,
            None => u64::MAX,
        };
        b.copy_from_slice(&op.to_ne_bytes());
        out
    }

    /// The inverse of [`Failure::encode`] (parent side).
    pub(super) fn decode(bytes: [u8; 16]) -> Failure {
        let mut a = [0u8; 8];
        let mut b = [0u8; 8];
        a.copy_from_slice(&bytes[..8]);
        b.copy_from_slice(&bytes[8..]);
        let errno = c_int::try_from(i64::from_ne_bytes(a)).unwrap_or(libc::EIO);
        let op = match u64::from_ne_bytes(b) {
            u64::MAX => None,
            i => usize::try_from(i).ok(),
        };
        Failure { errno, op }
    }
}

/// The slot a CLONE_VM child writes its failure into before `_exit(127)`;
/// the parent reads it once `clone` returns (the vfork wait orders the
/// writes before the return).
pub(super) struct Shared<'a> {
    /// The plan, prepared.
    pub prepared: Prepared<'a>,
    /// Set by the child only when it did not exec.
    pub failure: Option<Failure>,
}

/// Entry point of the `clone-vfork` backend's child, called by glibc's `clone()`
/// on the prepared stack. Never returns: execs or `_exit(127)`s.
///
/// RUNS IN THE CHILD: DO NOT ALLOCATE.
pub(super) extern "C" fn clone_entry(arg: *mut c_void) -> c_int {
    let shared = arg.cast::<Shared<'_>>();
    // SAFETY: `arg` is the `&mut Shared` the parent passed to clone(); the
    // parent thread is suspended (CLONE_VFORK) until we exec or exit, so
    // nothing else touches it meanwhile.
    let prepared = unsafe { &(*shared).prepared };
    let failure = configure_and_exec(prepared, NO_FD);
    // SAFETY: as above; the parent reads the slot only after we are gone.
    unsafe { std::ptr::write_volatile(&raw mut (*shared).failure, Some(failure)) };
    // SAFETY: _exit is a bare exit_group syscall: no atexit handlers, no
    // stdio flushing of the parent's buffers.
    unsafe { libc::_exit(127) }
}

/// Entry point of the clone probe's child: exits at once.
///
/// RUNS IN THE CHILD: DO NOT ALLOCATE.
pub(super) extern "C" fn probe_entry(_arg: *mut c_void) -> c_int {
    // SAFETY: see `clone_entry`.
    unsafe { libc::_exit(0) }
}

/// The `fork` backend's child: configure, exec, or report through
/// `report_fd` (a close-on-exec pipe) and `_exit(127)`.
///
/// RUNS IN THE CHILD: DO NOT ALLOCATE. (After fork in a threaded parent the
/// same rules hold: another thread may have held the malloc lock.)
pub(super) fn fork_child(prepared: &Prepared<'_>, report_fd: RawFd) -> ! {
    let failure = configure_and_exec(prepared, report_fd);
    let bytes = failure.encode();
    // SAFETY: a write of a live 16-byte buffer; a short or failed write
    // leaves the parent seeing an exec success and a status of 127, which
    // is the best left to do.
    unsafe { libc::write(report_fd, bytes.as_ptr().cast(), bytes.len()) };
    // SAFETY: see `clone_entry`.
    unsafe { libc::_exit(127) }
}

/// Descriptors the child needs until exec but the ops know nothing of: the
/// program's `O_PATH` fd and the `fork` backend's report pipe. An op that
/// targets one of their numbers first moves it out of the way; `CloseFrom`
/// skips them. Both are close-on-exec, so the exec'd program never sees
/// them.
struct State {
    keep: [RawFd; 2],
    mask: KernelSigset,
}

/// The calling thread's errno.
fn errno() -> c_int {
    // SAFETY: __errno_location returns the thread's errno slot, valid for
    // the thread's lifetime.
    unsafe { *libc::__errno_location() }
}

/// -1 → the errno; anything else → the value.
fn check(ret: c_long) -> Result<c_long, c_int> {
    if ret == -1 { Err(errno()) } else { Ok(ret) }
}

/// `fcntl` with an integer argument.
fn fcntl(fd: RawFd, cmd: c_int, arg: c_int) -> Result<c_int, c_int> {
    // SAFETY: F_GETFD/F_SETFD/F_DUPFD_CLOEXEC take an int; no memory.
    let ret = unsafe { libc::fcntl(fd, cmd, arg) };
    check(c_long::from(ret)).map(|_| ret)
}

/// `dup3(src, dst, 0)` (`dup2` is missing on aarch64; callers ensure
/// `src != dst`).
fn dup3(src: RawFd, dst: RawFd) -> Result<(), c_int> {
    // SAFETY: integers only.
    check(unsafe { libc::syscall(libc::SYS_dup3, src, dst, 0) }).map(drop)
}

/// `close(fd)`, errors ignored: on Linux the descriptor is gone either way.
fn close(fd: RawFd) {
    // SAFETY: the child owns its (copied) descriptor table; closing a number
    // the ops asked for is the point.
    unsafe { libc::syscall(libc::SYS_close, fd) };
}

/// `rt_sigprocmask(SIG_SETMASK, set)`.
fn set_mask(set: KernelSigset) {
    // SAFETY: `set` lives on our stack for the call; a null old set is
    // allowed.
    unsafe {
        libc::syscall(
            libc::SYS_rt_sigprocmask,
            libc::SIG_SETMASK,
            &raw const set,
            std::ptr::null_mut::<KernelSigset>(),
            KSIGSET_SIZE,
        )
    };
}

/// `rt_sigaction(sig, SIG_DFL)`.
fn set_default(sig: c_int) -> Result<(), c_int> {
    set_action(sig, libc::SIG_DFL)
}

/// `rt_sigaction(sig, SIG_IGN)`.
fn set_ignore(sig: c_int) -> Result<(), c_int> {
    set_action(sig, libc::SIG_IGN)
}

/// `rt_sigaction(sig, handler)` with no flags and an empty mask; `handler`
/// is `SIG_DFL` or `SIG_IGN`, never a function (none may run here).
fn set_action(sig: c_int, handler: usize) -> Result<(), c_int> {
    let action = KernelSigaction {
        handler,
        rest: [0; 3],
    };
    // SAFETY: `action` is a kernel sigaction with a SIG_DFL or SIG_IGN
    // handler, no flags and an empty mask, live for the call; a null old
    // action is allowed.
    check(unsafe {
        libc::syscall(
            libc::SYS_rt_sigaction,
            sig,
            &raw const action,
            std::ptr::null_mut::<KernelSigaction>(),
            KSIGSET_SIZE,
        )
    })
    .map(drop)
}

/// The signals that currently have a handler (bit `sig - 1`).
///
/// Called in the parent, before the clone.
pub(super) fn handled_signals() -> KernelSigset {
    let mut set: KernelSigset = 0;
    for sig in 1..=MAX_SIGNAL {
        if sig == libc::SIGKILL || sig == libc::SIGSTOP {
            continue;
        }
        if let Some(h) = handler_of(sig)
            && h != libc::SIG_DFL
            && h != libc::SIG_IGN
        {
            set |= signal_bit(sig);
        }
    }
    set
}

/// The handler of `sig` (`SIG_DFL`, `SIG_IGN` or a function address).
/// Raw `rt_sigaction`, so it also answers for glibc's internal signals,
/// which `sigaction` refuses; the parent uses it too.
pub(super) fn handler_of(sig: c_int) -> Option<usize> {
    let mut old = KernelSigaction {
        handler: 0,
        rest: [0; 3],
    };
    // SAFETY: a null new action only reads; `old` is large enough for the
    // kernel's struct and live for the call.
    let ret = unsafe {
        libc::syscall(
            libc::SYS_rt_sigaction,
            sig,
            std::ptr::null::<KernelSigaction>(),
            &raw mut old,
            KSIGSET_SIZE,
        )
    };
    check(ret).ok().map(|_| old.handler)
}

/// A signal number we accept in ops: `1..=64`.
fn valid_signal(sig: i32) -> Result<c_int, c_int> {
    if (1..=MAX_SIGNAL).contains(&sig) {
        Ok(sig)
    } else {
        Err(libc::EINVAL)
    }
}

/// The kernel set of these signals, `EINVAL` on a number out of range.
pub(super) fn kernel_sigset(sigs: &[i32]) -> Result<KernelSigset, c_int> {
    let mut set: KernelSigset = 0;
    for &sig in sigs {
        let sig = valid_signal(sig)?;
        set |= signal_bit(sig);
    }
    Ok(set)
}

impl State {
    /// Moves any kept descriptor numbered `fd` to a free number so that an
    /// op may overwrite or close `fd`.
    fn protect(&mut self, fd: RawFd) -> Result<(), c_int> {
        for slot in self.keep.iter_mut() {
            if *slot == fd && fd >= 0 {
                *slot = fcntl(fd, libc::F_DUPFD_CLOEXEC, 3)?;
            }
        }
        Ok(())
    }

    /// Closes `from..` except the kept descriptors.
    fn close_from(&self, from: RawFd) -> Result<(), c_int> {
        let Ok(mut lo) = u32::try_from(from) else {
            return Err(libc::EBADF);
        };
        let mut keep = self.keep;
        if keep[0] > keep[1] {
            keep.swap(0, 1);
        }
        for k in keep {
            let Ok(k) = u32::try_from(k) else { continue };
            if k < lo {
                continue;
            }
            if k > lo {
                // k > lo >= 0: no wrap.
                close_range(lo, k.wrapping_sub(1))?;
            }
            lo = k.saturating_add(1);
        }
        close_range(lo, u32::MAX)
    }

    fn apply(&mut self, op: &SpawnOp) -> Result<(), c_int> {
        match op {
            SpawnOp::Dup2 { src, dst } if src == dst => {
                let flags = fcntl(*src, libc::F_GETFD, 0)?;
                fcntl(*src, libc::F_SETFD, flags & !libc::FD_CLOEXEC).map(drop)
            }
            SpawnOp::Dup2 { src, dst } => {
                // A bad source must fail as EBADF before we move anything.
                fcntl(*src, libc::F_GETFD, 0)?;
                self.protect(*dst)?;
                dup3(*src, *dst)
            }
            SpawnOp::Open {
                path,
                flags,
                mode,
                fd,
            } => {
                self.protect(*fd)?;
                // SAFETY: `path` is a NUL-terminated CString owned by the plan,
                // which the parent keeps alive until we exec.
                let tmp = check(unsafe {
                    libc::syscall(
                        libc::SYS_openat,
                        libc::AT_FDCWD,
                        path.as_ptr(),
                        *flags & !libc::O_CLOEXEC,
                        *mode,
                    )
                })?;
                let tmp = RawFd::try_from(tmp).map_err(|_| libc::EBADF)?;
                if tmp != *fd {
                    let moved = dup3(tmp, *fd);
                    close(tmp);
                    moved?;
                }
                Ok(())
            }
            SpawnOp::Close(fd) => {
                self.protect(*fd)?;
                close(*fd);
                Ok(())
            }
            SpawnOp::CloseFrom(fd) => self.close_from(*fd),
            SpawnOp::Chdir(path) => {
                // SAFETY: NUL-terminated, owned by the plan (see Open).
                check(unsafe { libc::syscall(libc::SYS_chdir, path.as_ptr()) }).map(drop)
            }
            SpawnOp::Fchdir(fd) => {
                // SAFETY: integers only.
                check(unsafe { libc::syscall(libc::SYS_fchdir, *fd) }).map(drop)
            }
            SpawnOp::SetPgid(group) => {
                let pgid = match group {
                    ProcessGroup::New => 0,
                    ProcessGroup::Join(pgid) => pgid.as_raw(),
                };
                // SAFETY: integers only.
                check(unsafe { libc::syscall(libc::SYS_setpgid, 0, pgid) }).map(drop)
            }
            SpawnOp::Tcsetpgrp(fd) => {
                // SAFETY: integers only.
                let pgrp = check(unsafe { libc::syscall(libc::SYS_getpgid, 0) })?;
                let pgrp = libc::pid_t::try_from(pgrp).map_err(|_| libc::ESRCH)?;
                // SIGTTOU is blocked here, so a background group may take the
                // terminal (see the module docs).
                // SAFETY: TIOCSPGRP reads one pid_t through the pointer, which
                // lives on our stack for the call.
                check(c_long::from(unsafe {
                    libc::ioctl(*fd, libc::TIOCSPGRP, &raw const pgrp)
                }))
                .map(drop)
            }
            SpawnOp::Setsid => {
                // SAFETY: no arguments.
                check(unsafe { libc::syscall(libc::SYS_setsid) }).map(drop)
            }
            SpawnOp::SigDefault(sigs) => {
                for &sig in sigs {
                    let sig = valid_signal(sig)?;
                    // Their action cannot change; they are always default.
                    if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                        set_default(sig)?;
                    }
                }
                Ok(())
            }
            SpawnOp::SigIgnore(sigs) => {
                for &sig in sigs {
                    let sig = valid_signal(sig)?;
                    // They cannot be ignored; skipped as in `SigDefault`.
                    if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                        set_ignore(sig)?;
                    }
                }
                Ok(())
            }
            SpawnOp::SigMask(sigs) => {
                self.mask = kernel_sigset(sigs)?;
                Ok(())
            }
            SpawnOp::Umask(mask) => {
                // SAFETY: integer only; umask cannot fail.
                unsafe { libc::syscall(libc::SYS_umask, *mask & 0o7777) };
                Ok(())
            }
        }
    }
}

/// `close_range(lo, hi, 0)`, or a loop up to `RLIMIT_NOFILE` on kernels
/// before 5.9.
fn close_range(lo: u32, hi: u32) -> Result<(), c_int> {
    // SAFETY: integers only; the child owns its descriptor table.
    let ret = unsafe { libc::syscall(libc::SYS_close_range, lo, hi, 0) };
    match check(ret) {
        Ok(_) => Ok(()),
        Err(libc::ENOSYS) => {
            let mut lim = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: `lim` is live for the call.
            check(c_long::from(unsafe {
                libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut lim)
            }))?;
            let top = u32::try_from(lim.rlim_cur)
                .unwrap_or(u32::MAX)
                .min(hi.saturating_add(1));
            let mut fd = lo;
            while fd < top {
                close(RawFd::try_from(fd).unwrap_or(RawFd::MAX));
                fd = fd.saturating_add(1);
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Steps 1–3 of the module docs. Returns only on failure.
///
/// RUNS IN THE CHILD: DO NOT ALLOCATE.
pub(super) fn configure_and_exec(p: &Prepared<'_>, report_fd: RawFd) -> Failure {
    let program_fd = match p.exec {
        Exec::Fd(fd) => fd,
        Exec::Path(_) => NO_FD,
    };
    let mut st = State {
        keep: [program_fd, report_fd],
        mask: p.mask,
    };
    if program_fd >= 0 {
        // The template fd must not outlive the exec, whatever the caller
        // opened it with; a bad fd shows up as execveat's EBADF.
        let _ = fcntl(program_fd, libc::F_SETFD, libc::FD_CLOEXEC);
    }

    // A handler must not run in this child, which shares the parent's
    // memory, between the mask restore below and the exec.
    for sig in 1..=MAX_SIGNAL {
        if p.handled & signal_bit(sig) != 0 {
            let _ = set_default(sig);
        }
    }

    for (i, op) in p.ops.iter().enumerate() {
        if let Err(errno) = st.apply(op) {
            return Failure { errno, op: Some(i) };
        }
    }

    set_mask(st.mask);
    let ret = match p.exec {
        // SAFETY: path, argv and envp are NUL-terminated / null-terminated
        // arrays the parent built and keeps alive until we exec.
        Exec::Path(path) => unsafe { libc::syscall(libc::SYS_execve, path, p.argv, p.envp) },
        Exec::Fd(_) => {
            let empty: &CStr = c"";
            // SAFETY: as above; `empty` is a static C string and the fd is
            // the (possibly moved) program descriptor.
            unsafe {
                libc::syscall(
                    libc::SYS_execveat,
                    st.keep[0],
                    empty.as_ptr(),
                    p.argv,
                    p.envp,
                    libc::AT_EMPTY_PATH,
                )
            }
        }
    };
    let errno = check(ret).err().unwrap_or(libc::EIO);
    // Block again so that no signal with its default action kills us before
    // the parent hears why.
    set_mask(!0);
    Failure { errno, op: None }
}

/// The bit of signal `sig` (1..=64) in a kernel signal set; 0 for any
/// other number.
fn signal_bit(sig: c_int) -> KernelSigset {
    u32::try_from(sig.wrapping_sub(1))
        .ok()
        .and_then(|shift| (1 as KernelSigset).checked_shl(shift))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_survives_the_pipe_encoding() {
        for f in [
            Failure {
                errno: libc::ENOENT,
                op: None,
            },
            Failure {
                errno: libc::EBADF,
                op: Some(3),
            },
        ] {
            assert_eq!(Failure::decode(f.encode()), f);
        }
    }

    #[test]
    fn sigset_sets_bit_n_minus_one_and_rejects_out_of_range() {
        assert_eq!(kernel_sigset(&[1, 64]), Ok(1 | 1 << 63));
        assert_eq!(kernel_sigset(&[libc::SIGUSR1]), Ok(1 << 9));
        assert_eq!(kernel_sigset(&[0]), Err(libc::EINVAL));
        assert_eq!(kernel_sigset(&[65]), Err(libc::EINVAL));
    }
}
