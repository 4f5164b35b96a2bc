//! Descriptor-level syscall wrappers the evaluator needs: writing through
//! raw shell fds, here-document contents, moving descriptors out of the
//! way of the numbers users name.

use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

use nix::errno::Errno;
use nix::fcntl::{FcntlArg, fcntl};

/// Descriptors the shell holds for its own purposes live at or above this
/// number, out of the way of `3>file`-style numbers.
pub const HIGH_FD: RawFd = 100;

/// Writes all of `data` to a raw descriptor.
pub fn write_all(fd: RawFd, mut data: &[u8]) -> Result<(), Errno> {
    // SAFETY: the descriptor belongs to the shell's fd table, which keeps it
    // open for the duration of this call; a stale number fails with EBADF.
    let fd = unsafe { BorrowedFd::borrow_raw(fd) };
    while !data.is_empty() {
        match nix::unistd::write(fd, data) {
            Ok(n) => data = &data[n..],
            Err(Errno::EINTR) => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads up to `buf.len()` bytes from a raw descriptor.
pub fn read(fd: RawFd, buf: &mut [u8]) -> Result<usize, Errno> {
    loop {
        // SAFETY: as in `write_all`: the table keeps the descriptor open.
        let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
        match nix::unistd::read(borrowed, buf) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// A descriptor positioned at the start of `data` (a memfd).
pub fn content_fd(data: &[u8]) -> Result<OwnedFd, Errno> {
    let fd =
        nix::sys::memfd::memfd_create("pidsh-here-doc", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)?;
    write_all(fd.as_raw_fd(), data)?;
    nix::unistd::lseek(&fd, 0, nix::unistd::Whence::SeekSet)?;
    Ok(fd)
}

/// Reads, from its start, the descriptor a parent pidsh left at `fd` for
/// this process, and closes it (`pidsh --subshell N`).
pub fn read_handed_over(fd: RawFd) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek};
    if fd < 3 || !is_open_without_cloexec(fd) {
        return Err(std::io::Error::from(std::io::ErrorKind::NotFound));
    }
    // SAFETY: the number was named on the command line by the parent that
    // placed the descriptor there for this process alone; it is open (just
    // checked) and nothing else in this process has taken it, since this
    // runs before the shell opens or lists any descriptor.
    let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
    let mut bytes = Vec::new();
    file.rewind()?;
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Duplicates `fd` to a close-on-exec descriptor numbered at least [`HIGH_FD`].
pub fn dup_high(fd: RawFd) -> Result<OwnedFd, Errno> {
    dup_at_least(fd, HIGH_FD)
}

/// Duplicates `fd` to a close-on-exec descriptor numbered at least `low`
/// — or, when `low` is beyond the descriptor limit (`ulimit -n 20`), at
/// least 3: the shell still works, its own descriptors just sit lower.
pub fn dup_at_least(fd: RawFd, low: RawFd) -> Result<OwnedFd, Errno> {
    // SAFETY: F_DUPFD_CLOEXEC only reads the descriptor; an invalid one fails.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    let new = match fcntl(borrowed, FcntlArg::F_DUPFD_CLOEXEC(low)) {
        Err(Errno::EINVAL) if low > 3 => fcntl(borrowed, FcntlArg::F_DUPFD_CLOEXEC(3))?,
        other => other?,
    };
    // SAFETY: fcntl just returned this new descriptor; nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

/// A descriptor the shell holds only to make waiting better (a child's
/// pidfd), kept while it sits in the lower half of the descriptor limit.
/// Past that it is closed (`None`: the caller falls back to the pid), so
/// that many children never leave the shell without descriptors for pipes
/// and redirections: `1100 × sleep 3 &` under `ulimit -n 1024` all start.
/// Descriptors are allocated lowest first, so the number says about how
/// many are open.
pub fn keep_if_room(fd: OwnedFd) -> Option<OwnedFd> {
    use nix::sys::resource::{Resource, getrlimit};
    let soft = getrlimit(Resource::RLIMIT_NOFILE).map_or(u64::MAX, |(soft, _)| soft);
    let number = u64::try_from(fd.as_raw_fd()).unwrap_or(u64::MAX);
    (number < soft / 2).then_some(fd)
}

/// Moves a descriptor to [`HIGH_FD`] or above (closing the original).
pub fn move_high(fd: OwnedFd) -> Result<OwnedFd, Errno> {
    if fd.as_raw_fd() >= HIGH_FD {
        return Ok(fd);
    }
    dup_high(fd.as_raw_fd())
}

/// A close-on-exec pipe: (read, write). Low numbers are fine: lowering
/// resolves any clash between sources and targets.
pub fn pipe() -> Result<(OwnedFd, OwnedFd), Errno> {
    nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC)
}

/// Whether `fd` is open in this process without close-on-exec.
pub fn is_open_without_cloexec(fd: RawFd) -> bool {
    // SAFETY: F_GETFD on any number is harmless; a closed one answers EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    match fcntl(borrowed, FcntlArg::F_GETFD) {
        Ok(flags) => flags & libc::FD_CLOEXEC == 0,
        Err(_) => false,
    }
}

/// The process's open descriptors, lowest first.
///
/// Listing `/proc/self/fd` makes the kernel build an entry for the process
/// and one per descriptor, and tear them down again when the process is
/// reaped: a tenth of a `pidsh -c true`. A process's file table is
/// usually small (it grows only to hold a descriptor opened beyond it,
/// and a fork copies it cut down to the highest open one), and one `poll`
/// over every number it holds finds the open ones; the listing is kept
/// for larger tables (see [`MOST_POLLED`]).
pub fn open_fds() -> Vec<RawFd> {
    polled_fds().unwrap_or_else(listed_fds)
}

/// The largest file table [`open_fds`] polls (a poll costs about as much
/// as a warm listing at this size); below FD_SETSIZE (1024), as
/// [`table_within`] needs.
const MOST_POLLED: RawFd = 512;

/// The open descriptors, found by polling every number below the file
/// table's size, when that is at most [`MOST_POLLED`].
fn polled_fds() -> Option<Vec<RawFd>> {
    // The sizes a table may have: 64 (`NR_OPEN_DEFAULT` on a 64-bit
    // system), then powers of two. Any bound at or above the size will do.
    let mut bound = 64;
    while !table_within(bound) {
        bound *= 2;
        if bound > MOST_POLLED {
            return None;
        }
    }
    let mut polled: Vec<libc::pollfd> = (0..bound)
        .map(|fd| libc::pollfd {
            fd,
            events: 0,
            revents: 0,
        })
        .collect();
    let count = libc::nfds_t::try_from(polled.len()).ok()?;
    // SAFETY: `polled` is a live array of `count` pollfd structs, which
    // poll only reads and fills in; a timeout of 0 does not wait. (More
    // entries than `ulimit -n` fail with EINVAL: the listing then.)
    let ready = unsafe { libc::poll(polled.as_mut_ptr(), count, 0) };
    if ready < 0 {
        return None;
    }
    // A closed descriptor answers POLLNVAL.
    let open = polled
        .iter()
        .filter(|p| p.revents & libc::POLLNVAL == 0)
        .map(|p| p.fd)
        .collect();
    Some(open)
}

/// Whether the process's file table holds no number at or above `bound`
/// (at most [`MOST_POLLED`]), so that every open descriptor is below it.
/// `select` tells: it checks only the numbers the table holds
/// (`core_sys_select` cuts its count to the table's size, fs/select.c),
/// so a set naming `bound`, closed, is empty for a table that ends there,
/// and EBADF for a larger one.
fn table_within(bound: RawFd) -> bool {
    if is_open(bound) {
        return false;
    }
    let mut set = std::mem::MaybeUninit::<libc::fd_set>::zeroed();
    // SAFETY: `set` is a zeroed fd_set (an empty one), and `bound` is
    // below FD_SETSIZE (as MOST_POLLED is).
    unsafe { libc::FD_SET(bound, set.as_mut_ptr()) };
    let mut no_wait = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: one live fd_set for reading, no others, and a live zero
    // timeout (select returns at once); the count covers `bound`.
    let ready = unsafe {
        libc::select(
            bound + 1,
            set.as_mut_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut no_wait,
        )
    };
    ready == 0
}

/// The open descriptors as `/proc/self/fd` lists them (0–2 without
/// `/proc`).
fn listed_fds() -> Vec<RawFd> {
    let mut listed: Vec<RawFd> = std::fs::read_dir("/proc/self/fd")
        .map(|dir| {
            dir.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
                .collect()
        })
        .unwrap_or_else(|_| vec![0, 1, 2]);
    listed.sort_unstable();
    listed
}

/// Whether `fd` is an open descriptor of this process.
pub fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD on any number is harmless; a closed one answers EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    fcntl(borrowed, FcntlArg::F_GETFD).is_ok()
}

/// `dup3(fd, target, O_CLOEXEC)`: a close-on-exec copy of `fd` at exactly
/// `target`, which the caller knows to be free.
pub fn dup_to(fd: RawFd, target: RawFd) -> Result<OwnedFd, Errno> {
    // SAFETY: dup3 takes two numbers and a flag; no memory is involved.
    let ret = unsafe { libc::dup3(fd, target, libc::O_CLOEXEC) };
    // SAFETY: on success `target` is a new descriptor that nothing else owns.
    Errno::result(ret).map(|fd| unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Marks `fd` close-on-exec (a failure leaves it as it was).
pub fn set_cloexec(fd: RawFd) {
    // SAFETY: F_SETFD on any number is harmless; a closed one answers EBADF.
    let borrowed = unsafe { BorrowedFd::borrow_raw(fd) };
    let _ = fcntl(borrowed, FcntlArg::F_SETFD(nix::fcntl::FdFlag::FD_CLOEXEC));
}

/// Whether two paths name the same file (device and inode).
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Borrows a raw descriptor number for the length of one call.
///
/// # Safety
///
/// `fd` must be a descriptor the caller knows to be open (or a number the
/// call merely inspects, failing with `EBADF` when closed), and nothing may
/// close it while the borrow is used. The `'static` lifetime is a lie the
/// caller must keep short: use the result in one call, never store it. The
/// safe wrappers below are what the rest of the shell uses.
pub unsafe fn borrow(fd: RawFd) -> BorrowedFd<'static> {
    // SAFETY: the caller upholds the contract above.
    unsafe { BorrowedFd::borrow_raw(fd) }
}

/// The wrappers below take a descriptor number from the shell's fd table
/// and make one inspecting call on it; a closed number fails with `EBADF`.
macro_rules! by_number {
    ($fd:expr) => {
        // SAFETY: the borrow lives for this one call, which only inspects
        // or adjusts the descriptor; a closed number makes it fail (EBADF).
        unsafe { borrow($fd) }
    };
}

/// `isatty(fd)`, false for a closed descriptor.
pub fn isatty(fd: RawFd) -> bool {
    nix::unistd::isatty(by_number!(fd)).unwrap_or(false)
}

/// `fstat(fd)`.
pub fn fstat(fd: RawFd) -> nix::Result<nix::sys::stat::FileStat> {
    nix::sys::stat::fstat(by_number!(fd))
}

/// `fstatfs(fd)`.
pub fn fstatfs(fd: RawFd) -> nix::Result<nix::sys::statfs::Statfs> {
    nix::sys::statfs::fstatfs(by_number!(fd))
}

/// `openat(dir, path, …)` relative to a directory descriptor.
pub fn openat<P: ?Sized + nix::NixPath>(
    dir: RawFd,
    path: &P,
    flags: nix::fcntl::OFlag,
    mode: nix::sys::stat::Mode,
) -> nix::Result<OwnedFd> {
    nix::fcntl::openat(by_number!(dir), path, flags, mode)
}

/// `lseek(fd, offset, whence)`.
pub fn lseek(fd: RawFd, offset: i64, whence: nix::unistd::Whence) -> nix::Result<i64> {
    nix::unistd::lseek(by_number!(fd), offset, whence)
}

/// Waits up to `timeout` for `fd` to be readable (data or end of file):
/// `poll`'s count, 0 on timeout.
pub fn poll_readable(fd: RawFd, timeout: nix::poll::PollTimeout) -> nix::Result<i32> {
    use nix::poll::{PollFd, PollFlags, poll};
    let mut fds = [PollFd::new(by_number!(fd), PollFlags::POLLIN)];
    poll(&mut fds, timeout)
}

/// The terminal settings of `fd`.
pub fn tcgetattr(fd: RawFd) -> nix::Result<nix::sys::termios::Termios> {
    nix::sys::termios::tcgetattr(by_number!(fd))
}

/// Sets the terminal settings of `fd` at once (`TCSANOW`).
pub fn tcsetattr(fd: RawFd, settings: &nix::sys::termios::Termios) -> nix::Result<()> {
    nix::sys::termios::tcsetattr(by_number!(fd), nix::sys::termios::SetArg::TCSANOW, settings)
}

/// The size of the terminal on `fd` as (columns, rows).
pub fn window_size(fd: RawFd) -> nix::Result<(u16, u16)> {
    super::window_size(by_number!(fd))
}

/// The descriptor a path names through the kernel's descriptor directories
/// — `/dev/stdin`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`,
/// `/proc/self/fd/N`, `/proc/thread-self/fd/N` — and what follows the name
/// (`""`, or `/…` for a path inside a directory descriptor). In-process code
/// must answer these from its fd table, not from the process's descriptors.
///
/// `None` for every other path, including numbers the kernel itself never
/// accepts there (`/dev/fd/007`, `/dev/fd/x`, out of range): the kernel
/// then answers for them, with the same `ENOENT` a child would get.
pub fn parse_fd_name(path: &str) -> Option<(RawFd, &str)> {
    let inside = |rest: &str| rest.is_empty() || rest.starts_with('/');
    for (name, fd) in [("/dev/stdin", 0), ("/dev/stdout", 1), ("/dev/stderr", 2)] {
        if let Some(rest) = path.strip_prefix(name)
            && inside(rest)
        {
            return Some((fd, rest));
        }
    }
    let tail = ["/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"]
        .iter()
        .find_map(|dir| path.strip_prefix(dir))?;
    let (digits, rest) = tail.split_at(tail.find('/').unwrap_or(tail.len()));
    // procfs takes only canonical decimal numbers.
    let canonical =
        digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    digits.parse().ok().map(|fd| (fd, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_descriptors_are_found_low_and_high() {
        let low = content_fd(b"x").expect("a descriptor");
        let high = dup_at_least(low.as_raw_fd(), 200).expect("a high descriptor");
        let found = open_fds();
        assert!(found.contains(&low.as_raw_fd()) && found.contains(&high.as_raw_fd()));
        let (low_fd, high_fd) = (low.as_raw_fd(), high.as_raw_fd());
        drop((low, high));
        let found = open_fds();
        assert!(!found.contains(&low_fd) && !found.contains(&high_fd));
        assert!(found.windows(2).all(|w| w[0] < w[1]), "sorted: {found:?}");
    }

    #[test]
    fn standard_names() {
        assert_eq!(parse_fd_name("/dev/stdin"), Some((0, "")));
        assert_eq!(parse_fd_name("/dev/stdout"), Some((1, "")));
        assert_eq!(parse_fd_name("/dev/stderr"), Some((2, "")));
        assert_eq!(parse_fd_name("/dev/stdin/x"), Some((0, "/x")));
        assert_eq!(parse_fd_name("/dev/stdinx"), None);
        assert_eq!(parse_fd_name("dev/stdin"), None);
    }

    #[test]
    fn numbered_names() {
        assert_eq!(parse_fd_name("/dev/fd/3"), Some((3, "")));
        assert_eq!(parse_fd_name("/dev/fd/0"), Some((0, "")));
        assert_eq!(parse_fd_name("/proc/self/fd/3"), Some((3, "")));
        assert_eq!(parse_fd_name("/proc/thread-self/fd/12"), Some((12, "")));
        assert_eq!(parse_fd_name("/dev/fd/3/x"), Some((3, "/x")));
        assert_eq!(parse_fd_name("/dev/fd/3/"), Some((3, "/")));
    }

    #[test]
    fn names_left_to_the_kernel() {
        assert_eq!(parse_fd_name("/dev/fd/007"), None);
        assert_eq!(parse_fd_name("/dev/fd/"), None);
        assert_eq!(parse_fd_name("/dev/fd"), None);
        assert_eq!(parse_fd_name("/dev/fd/x"), None);
        assert_eq!(parse_fd_name("/dev/fd/-1"), None);
        assert_eq!(parse_fd_name("/dev/fd/99999999999"), None);
        assert_eq!(parse_fd_name("/proc/1/fd/3"), None);
        assert_eq!(parse_fd_name("/dev/null"), None);
    }
}
