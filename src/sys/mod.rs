//! Thin wrappers over the Linux syscalls nix 0.30 lacks: `pidfd_open`,
//! `pidfd_send_signal`, `close_range`, `sigqueue` and `TIOCGWINSZ`, plus `confstr`; the one thing
//! pidsh must learn before the Rust runtime starts: whether SIGPIPE was
//! ignored when the process was started; and the part of the runtime's
//! start-up the executable keeps ([`start`]).
//!
//! One syscall per function, errors as [`Errno`]. Waiting on a pidfd needs no
//! wrapper: `nix::sys::wait::waitid(Id::PIDFd(fd), …)` does it.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::unistd::Pid;

pub mod fd;

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

/// SIGPIPE was ignored when the process started (see
/// [`sigpipe_ignored_at_start`]).
static SIGPIPE_IGNORED_AT_START: AtomicBool = AtomicBool::new(false);

/// Bit `fd` set: standard descriptor `fd` (0, 1 or 2) was closed when the
/// process started.
static STD_FDS_CLOSED_AT_START: AtomicU8 = AtomicU8::new(0);

/// Notes what the Rust runtime changes before `main`, as `execve` left
/// it: SIGPIPE's disposition (the runtime ignores SIGPIPE; stable Rust has
/// no way to opt out: the `on-broken-pipe` switch is nightly-only), and
/// which of descriptors 0–2 were closed (the runtime opens `/dev/null` on
/// them). The C runtime calls this earlier, from `.init_array`.
extern "C" fn note_process_at_start() {
    note_sigpipe_at_start();
    let mut closed = 0u8;
    for fd in 0..3 {
        // SAFETY: F_GETFD takes an int and touches no memory; a closed
        // descriptor answers EBADF.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            closed |= 1 << fd;
        }
    }
    STD_FDS_CLOSED_AT_START.store(closed, Ordering::SeqCst);
}

/// What the Rust runtime's `main` would have done that the shell relies
/// on, for the `pidsh` executable, which skips it (see `main.rs`):
/// descriptors 0–2 that were closed are opened on `/dev/null` (so that
/// the shell's first own descriptor does not take their number), and
/// SIGPIPE is ignored until the shell sets its disposition. Call it first.
pub fn start() {
    for _ in std_fds_closed_at_start() {
        // The lowest free number is the closed one: those below are open.
        let placeholder = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null");
        if let Ok(file) = placeholder {
            // The number stays taken for the life of the process.
            let _ = std::os::fd::IntoRawFd::into_raw_fd(file);
        }
    }
    let ignore = nix::sys::signal::SigAction::new(
        nix::sys::signal::SigHandler::SigIgn,
        nix::sys::signal::SaFlags::empty(),
        nix::sys::signal::SigSet::empty(),
    );
    // SAFETY: ignoring a signal installs no handler; the disposition at
    // start was recorded before (`note_process_at_start`).
    let _ = unsafe { nix::sys::signal::sigaction(Signal::SIGPIPE, &ignore) };
}

/// An address just below the top of the main thread's stack: where the
/// kernel put the executable's name, the first thing it copies to the new
/// stack (arguments and environment follow, below it). `None` when the
/// C library does not say.
pub fn main_stack_top() -> Option<usize> {
    // SAFETY: getauxval reads the auxiliary vector the C library saved at
    // start; it takes an integer and returns 0 for a missing entry.
    let name = unsafe { libc::getauxval(libc::AT_EXECFN) };
    usize::try_from(name).ok().filter(|&address| address != 0)
}

/// Makes the kernel extend the main thread's stack mapping down to the
/// page holding `bottom`, now, while `ulimit -s` allows it: the stack
/// then needs no growth above that address, which a lower `ulimit -s`
/// set later (the shell's own `ulimit -s 256`) would refuse with SIGSEGV.
/// Only the one page is touched; the rest stays unallocated. The caller
/// runs on the main thread, `bottom` lies below its stack, and the soft
/// `RLIMIT_STACK` covers the distance.
pub fn extend_main_stack(bottom: usize) {
    let page = bottom & !4095;
    // SAFETY: the address lies in the range the kernel reserves for the
    // main thread's stack to grow into (no other mapping is placed within
    // `RLIMIT_STACK` of it, and the caller keeps within that limit): the
    // access extends the stack mapping and reads a fresh zero page, which
    // no Rust object occupies. The access below the stack pointer is
    // allowed since Linux 4.20 (x86) and earlier elsewhere; pidsh needs
    // newer kernels anyway (pidfds, `close_range`).
    let _ = unsafe { std::ptr::read_volatile(page as *const u8) };
}

/// Which of descriptors 0–2 were closed when the process started (they
/// hold the runtime's `/dev/null` now, which the shell does not offer as
/// them: `echo hi >&-` fails as in other shells).
pub fn std_fds_closed_at_start() -> impl Iterator<Item = RawFd> {
    let closed = STD_FDS_CLOSED_AT_START.load(Ordering::SeqCst);
    (0..3).filter(move |fd| closed & (1 << fd) != 0)
}

/// The handler address of `sig`'s disposition (`SIG_DFL`, `SIG_IGN` or
/// a function), read without changing it.
fn disposition(sig: libc::c_int) -> Option<libc::sighandler_t> {
    let mut old = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: a null new action makes sigaction only read the current one
    // into `old`, a live and zeroed struct of the right type.
    let ret = unsafe { libc::sigaction(sig, std::ptr::null(), old.as_mut_ptr()) };
    // SAFETY: sigaction succeeded and filled `old` (it was zeroed before,
    // so every byte is initialised either way).
    (ret == 0).then(|| unsafe { old.assume_init() }.sa_sigaction)
}

/// `getgroups`: the process's supplementary group ids. (nix's version
/// first asks `sysconf` for the largest possible number of groups, which
/// glibc reads from a `/proc` file.)
pub fn supplementary_groups() -> nix::Result<Vec<libc::gid_t>> {
    loop {
        // SAFETY: a size of 0 makes getgroups only count the groups; the
        // null list is not touched.
        let count = Errno::result(unsafe { libc::getgroups(0, std::ptr::null_mut()) })?;
        if count == 0 {
            return Ok(Vec::new());
        }
        let mut list: Vec<libc::gid_t> = vec![0; usize::try_from(count).unwrap_or(0)];
        // SAFETY: `list` has room for `count` ids, the size passed.
        let filled = unsafe { libc::getgroups(count, list.as_mut_ptr()) };
        match Errno::result(filled) {
            Ok(filled) => {
                list.truncate(usize::try_from(filled).unwrap_or(0));
                return Ok(list);
            }
            // The groups grew between the two calls: count again.
            Err(Errno::EINVAL) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// Whether `sig` (a number, real-time signals too) is ignored.
pub fn signal_ignored(sig: libc::c_int) -> bool {
    disposition(sig).is_some_and(|handler| handler == libc::SIG_IGN)
}

/// Whether a handler function is installed for `sig` (neither the
/// default nor ignored).
pub fn signal_caught(sig: Signal) -> bool {
    disposition(sig as libc::c_int)
        .is_some_and(|handler| handler != libc::SIG_DFL && handler != libc::SIG_IGN)
}

fn note_sigpipe_at_start() {
    if let Some(handler) = disposition(libc::SIGPIPE) {
        SIGPIPE_IGNORED_AT_START.store(handler == libc::SIG_IGN, Ordering::SeqCst);
    }
}

// SAFETY: `.init_array` holds pointers to functions the C runtime calls
// before `main`, with `(argc, argv, envp)`, which a function taking no
// arguments may ignore under the C calling convention. The function only
// reads a disposition and descriptor flags and stores atomics: it needs
// nothing of the Rust runtime, which is not set up yet.
#[used]
#[unsafe(link_section = ".init_array")]
static NOTE_PROCESS_AT_START: extern "C" fn() = note_process_at_start;

/// Whether SIGPIPE was ignored when the process started (as `execve` left
/// it, before the Rust runtime ignored it).
pub fn sigpipe_ignored_at_start() -> bool {
    SIGPIPE_IGNORED_AT_START.load(Ordering::SeqCst)
}

/// `sigqueue(pid, sig, 0)`: sends a signal whose `si_code` is `SI_QUEUE`,
/// so that a handler can tell it from the `SI_USER` signal the kernel
/// raises in a thread that writes to a pipe without a reader.
pub fn sigqueue(pid: Pid, sig: Signal) -> nix::Result<()> {
    let value = libc::sigval {
        sival_ptr: std::ptr::null_mut(),
    };
    // SAFETY: sigqueue takes integers and a value passed by copy; the
    // pointer inside it is never dereferenced.
    let ret = unsafe { libc::sigqueue(pid.as_raw(), sig as libc::c_int, value) };
    Errno::result(ret).map(drop)
}

/// `confstr(_CS_PATH)`: a `PATH` that finds the standard utilities
/// (`command -p`); `/bin:/usr/bin` if the C library has none.
pub fn default_path() -> String {
    let mut buf = vec![0u8; 256];
    // SAFETY: confstr writes at most `buf.len()` bytes, NUL included, into
    // the buffer we own, and returns the length it needs.
    let needed = unsafe { libc::confstr(libc::_CS_PATH, buf.as_mut_ptr().cast(), buf.len()) };
    if needed == 0 || needed > buf.len() {
        return "/bin:/usr/bin".to_string();
    }
    buf.truncate(needed - 1);
    String::from_utf8(buf).unwrap_or_else(|_| "/bin:/usr/bin".to_string())
}

/// `ioctl(fd, TIOCGWINSZ)`: the terminal's size as (columns, rows).
pub fn window_size(fd: BorrowedFd<'_>) -> nix::Result<(u16, u16)> {
    // SAFETY: all-zero is a valid `winsize` (plain integers).
    let mut size: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the struct we own.
    let ret = unsafe { libc::ioctl(fd.as_raw_fd(), libc::TIOCGWINSZ, &mut size) };
    Errno::result(ret).map(|_| (size.ws_col, size.ws_row))
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn the_default_path_finds_the_standard_utilities() {
        let path = default_path();
        assert!(
            path.split(':').any(|d| d == "/bin" || d == "/usr/bin"),
            "{path}"
        );
    }

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
