//! The portable backend, selected as `posix_spawn`: glibc `posix_spawn`
//! (itself a `CLONE_VM|CLONE_VFORK` clone) with file actions and attributes,
//! then `pidfd_open(pid)`, which is race-free because nobody has reaped the
//! child yet. It is the fallback where the kernel refuses the clone.
//!
//! How the ops map, and where the mapping is not exact:
//!
//! | op | posix_spawn |
//! |----|-------------|
//! | `Dup2`, `Open`, `Close`, `CloseFrom`, `Chdir`, `Fchdir`, `Tcsetpgrp` | file actions `adddup2`, `addopen`, `addclose`, `addclosefrom_np`, `addchdir_np`, `addfchdir_np`, `addtcsetpgrp_np`, in op order |
//! | `Setsid`, `SetPgid` | attributes `SETSID`, `SETPGROUP`: glibc applies them *before* every file action, whatever their place in the list; the last `SetPgid` wins |
//! | `SigDefault` | `SETSIGDEF` (glibc also resets every handled signal, as we do). glibc's own signals 32 and 33 are always added unless the shell ignores them: its child would otherwise ignore them |
//! | `SigIgnore` | none exists: the parent sets these signals to `SIG_IGN` around the call and restores its own actions after (see below); they are kept out of `SETSIGDEF`. A signal named by both `SigDefault` and `SigIgnore` gets what the later op says |
//! | `SigMask` | `SETSIGMASK`, the last one wins |
//! | `Dup2` of a descriptor onto itself at or above the soft `RLIMIT_NOFILE` | glibc refuses such numbers (`EBADF`), though the descriptor exists (opened before `ulimit -n` lowered the limit): the parent clears its close-on-exec flag around the call instead, so the child inherits it in place |
//! | `Umask` | none exists: the parent sets its own umask around the call (the child inherits it) and restores it. Another thread of the shell creating a file in that window sees the child's umask; an `Open` with `O_CREAT` placed before the `Umask` op gets the new umask too |
//!
//! Why `SigIgnore` works that way: glibc's child resets a signal the
//! parent *handles* to `SIG_DFL`, but leaves one the parent *ignores*
//! ignored, reading the action at that moment; an ignored action survives
//! the exec. So for the length of the `posix_spawn` call (the child has
//! exec'd when it returns: glibc uses `CLONE_VFORK`) the shell process
//! ignores those signals itself. The price, paid only by spawns with a
//! `SigIgnore` op: one of those signals that reaches the shell in that
//! window is ignored by the shell too (a trap does not run, a default
//! action does not happen), and one already pending is discarded, as
//! setting `SIG_IGN` does. glibc's own signals (32, 33) cannot be changed
//! in the parent; left out of `SETSIGDEF`, glibc's child sets them to
//! `SIG_IGN` itself.
//!
//! Dispositions and the umask belong to the process, so the spawns that
//! change them (a `SigIgnore` or `Umask` op) run one at a time and alone,
//! under a lock every spawn of this backend takes (shared by the others),
//! and so does the shell's `trap` ([`super::change_dispositions`]):
//! otherwise two threads could interleave their set-and-restore and leave
//! the shell with a child's setting, or one thread's child could inherit
//! another's.
//!
//! `Program::Fd` cannot be `execveat`'d: the child execs the path the parent
//! reads back from `/proc/self/fd/N`. Not `/proc/self/fd/N` itself: the ops
//! may close `N`, and a `#!` script would hand its interpreter a
//! `/proc/self/fd/N` that close-on-exec has already closed. So on this
//! backend a template degrades to its path (a file replaced since it was
//! cached is the new file), and scripts run where `execveat` would answer
//! `ENOENT`.
//!
//! glibc reports only an errno, not which action failed. On failure we
//! replay the plan in the parent, without side effects, to find the first op
//! that visibly fails with that errno (a source descriptor that is not
//! open, a path that does not resolve); otherwise the exec is blamed.

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_int};
use std::mem::MaybeUninit;
use std::os::fd::RawFd;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use nix::errno::Errno;
use nix::unistd::Pid;

use super::child::{self, kernel_sigset};
use super::{Backend, CArray, open_pidfd};
use crate::spawn::{Child, ProcessGroup, Program, Spawn, SpawnError, SpawnOp, SpawnStep};

/// glibc `posix_spawn` + `pidfd_open`; see the module docs.
#[derive(Debug, Clone, Copy, Default)]
pub struct PosixSpawn;

/// An initialised `posix_spawn_file_actions_t`, destroyed on drop.
struct FileActions(libc::posix_spawn_file_actions_t);

impl FileActions {
    fn new() -> Result<FileActions, Errno> {
        let mut raw = MaybeUninit::<libc::posix_spawn_file_actions_t>::uninit();
        // SAFETY: init writes the whole struct; we only assume it
        // initialised after init reports success.
        let ret = unsafe { libc::posix_spawn_file_actions_init(raw.as_mut_ptr()) };
        if ret != 0 {
            return Err(Errno::from_raw(ret));
        }
        // SAFETY: initialised just above. glibc's struct holds no pointer
        // to itself, so moving it is fine.
        Ok(FileActions(unsafe { raw.assume_init() }))
    }
}

impl Drop for FileActions {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, destroyed once.
        unsafe { libc::posix_spawn_file_actions_destroy(&raw mut self.0) };
    }
}

/// An initialised `posix_spawnattr_t`, destroyed on drop.
struct Attr(libc::posix_spawnattr_t);

impl Attr {
    fn new() -> Result<Attr, Errno> {
        let mut raw = MaybeUninit::<libc::posix_spawnattr_t>::uninit();
        // SAFETY: as for `FileActions::new`.
        let ret = unsafe { libc::posix_spawnattr_init(raw.as_mut_ptr()) };
        if ret != 0 {
            return Err(Errno::from_raw(ret));
        }
        // SAFETY: initialised just above; a plain struct.
        Ok(Attr(unsafe { raw.assume_init() }))
    }
}

impl Drop for Attr {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`, destroyed once.
        unsafe { libc::posix_spawnattr_destroy(&raw mut self.0) };
    }
}

/// posix_spawn's return convention: 0 or an errno.
fn ret(code: c_int) -> Result<(), Errno> {
    if code == 0 {
        Ok(())
    } else {
        Err(Errno::from_raw(code))
    }
}

/// A glibc `sigset_t` holding exactly the signals of a kernel set.
///
/// Built bit by bit rather than with `sigaddset`, which refuses glibc's
/// internal signals (32 and 33): we need them in the `SETSIGDEF` set (see
/// [`internal_not_ignored`]).
fn libc_sigset(set: u64) -> libc::sigset_t {
    const WORDS: usize =
        std::mem::size_of::<libc::sigset_t>() / std::mem::size_of::<libc::c_ulong>();
    let mut words: [libc::c_ulong; WORDS] = [0; WORDS];
    let bits = libc::c_ulong::BITS as usize;
    for sig in 1..=64usize {
        if set & (1u64 << (sig - 1)) != 0
            && let Some(w) = words.get_mut((sig - 1) / bits)
        {
            *w |= 1 << ((sig - 1) % bits);
        }
    }
    // SAFETY: glibc's sigset_t is exactly an array of unsigned longs with
    // bit (n - 1) for signal n, the layout sigaddset itself writes.
    unsafe { std::mem::transmute::<[libc::c_ulong; WORDS], libc::sigset_t>(words) }
}

/// glibc's internal signals, `SIGCANCEL` 32 and `SIGSETXID` 33.
const INTERNAL_SIGNALS: u64 = 1 << (32 - 1) | 1 << (33 - 1);

/// Signals whose action cannot change.
const UNCHANGEABLE: u64 = 1 << (libc::SIGKILL - 1) | 1 << (libc::SIGSTOP - 1);

/// glibc's internal signals (`SIGCANCEL` 32, `SIGSETXID` 33) that this
/// process does not ignore. glibc's posix_spawn child sets these signals
/// to `SIG_IGN` unless `SETSIGDEF` names them — whether the parent handles
/// them or not — and an ignored disposition survives exec: listing them in
/// `SETSIGDEF` (checked first) gives the exec'd program what the other
/// backends give it, the default action.
fn internal_not_ignored() -> u64 {
    [32, 33]
        .into_iter()
        .filter(|&sig| child::handler_of(sig).is_some_and(|h| h != libc::SIG_IGN))
        .fold(0, |set, sig| set | 1 << (sig - 1))
}

/// The file actions and attributes of a plan.
struct Lowered {
    actions: FileActions,
    attr: Attr,
    umask: Option<u32>,
    /// Signals the parent ignores for the length of the call.
    ignore: u64,
    /// Descriptors the parent leaves open across exec for the length of
    /// the call (inherited in place, above the limit glibc checks).
    inherit: Vec<RawFd>,
}

fn lower(plan: &Spawn) -> Result<Lowered, SpawnError> {
    let create = |errno| SpawnError {
        errno,
        step: SpawnStep::Create,
    };
    let mut actions = FileActions::new().map_err(create)?;
    let mut attr = Attr::new().map_err(create)?;
    // POSIX_SPAWN_USEVFORK is a no-op on glibc ≥ 2.24 (it always vforks);
    // set for older ones.
    let mut flags: c_int = libc::POSIX_SPAWN_USEVFORK.into();
    let mut sigdef: u64 = 0;
    let mut sigign: u64 = 0;
    let mut umask = None;
    let mut inherit = Vec::new();
    let fa = &raw mut actions.0;
    let at = &raw mut attr.0;
    for (i, op) in plan.ops().iter().enumerate() {
        let at_op = |errno| SpawnError {
            errno,
            step: SpawnStep::Op(i),
        };
        // In every arm: `fa`/`at` point to initialised objects owned by this
        // function, and glibc copies the paths it is given.
        match op {
            SpawnOp::Dup2 { src, dst } => {
                // SAFETY: see the note above the match.
                match ret(unsafe { libc::posix_spawn_file_actions_adddup2(fa, *src, *dst) }) {
                    Err(Errno::EBADF) if src == dst && is_open(*src) => {
                        inherit.push(*src);
                        Ok(())
                    }
                    other => other,
                }
            }
            SpawnOp::Open {
                path,
                flags: oflags,
                mode,
                fd,
            } => {
                // SAFETY: see the note above the match.
                ret(unsafe {
                    libc::posix_spawn_file_actions_addopen(
                        fa,
                        *fd,
                        path.as_ptr(),
                        *oflags & !libc::O_CLOEXEC,
                        *mode,
                    )
                })
            }
            SpawnOp::Close(fd) => {
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawn_file_actions_addclose(fa, *fd) })
            }
            SpawnOp::CloseFrom(fd) => {
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawn_file_actions_addclosefrom_np(fa, *fd) })
            }
            SpawnOp::Chdir(path) => {
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawn_file_actions_addchdir_np(fa, path.as_ptr()) })
            }
            SpawnOp::Fchdir(fd) => {
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawn_file_actions_addfchdir_np(fa, *fd) })
            }
            SpawnOp::Tcsetpgrp(fd) => {
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawn_file_actions_addtcsetpgrp_np(fa, *fd) })
            }
            SpawnOp::SetPgid(group) => {
                flags |= libc::POSIX_SPAWN_SETPGROUP;
                let pgid = match group {
                    ProcessGroup::New => 0,
                    ProcessGroup::Join(pgid) => pgid.as_raw(),
                };
                // SAFETY: see the note above the match.
                ret(unsafe { libc::posix_spawnattr_setpgroup(at, pgid) })
            }
            SpawnOp::Setsid => {
                flags |= c_int::from(libc::POSIX_SPAWN_SETSID);
                Ok(())
            }
            SpawnOp::SigDefault(sigs) => {
                flags |= libc::POSIX_SPAWN_SETSIGDEF;
                kernel_sigset(sigs)
                    .map(|set| {
                        sigdef |= set;
                        sigign &= !set;
                    })
                    .map_err(Errno::from_raw)
            }
            SpawnOp::SigIgnore(sigs) => kernel_sigset(sigs)
                .map(|set| {
                    sigign |= set & !UNCHANGEABLE;
                    sigdef &= !set;
                })
                .map_err(Errno::from_raw),
            SpawnOp::SigMask(sigs) => {
                flags |= libc::POSIX_SPAWN_SETSIGMASK;
                kernel_sigset(sigs)
                    .map_err(Errno::from_raw)
                    .and_then(|set| {
                        let set = libc_sigset(set);
                        // SAFETY: see the note above the match.
                        ret(unsafe { libc::posix_spawnattr_setsigmask(at, &raw const set) })
                    })
            }
            SpawnOp::Umask(mask) => {
                umask = Some(*mask & 0o7777);
                Ok(())
            }
        }
        .map_err(at_op)?;
    }
    // An internal signal to be ignored stays out of the set: glibc's child
    // ignores those itself (see the module docs).
    let internal = internal_not_ignored() & !sigign;
    if internal != 0 {
        flags |= libc::POSIX_SPAWN_SETSIGDEF;
    }
    let sigdef = libc_sigset(sigdef | internal);
    // SAFETY: `at` is initialised; the set is copied.
    ret(unsafe { libc::posix_spawnattr_setsigdefault(at, &raw const sigdef) }).map_err(create)?;
    let flags = libc::c_short::try_from(flags).map_err(|_| create(Errno::EINVAL))?;
    // SAFETY: as above.
    ret(unsafe { libc::posix_spawnattr_setflags(at, flags) }).map_err(create)?;
    Ok(Lowered {
        actions,
        attr,
        umask,
        ignore: sigign & !INTERNAL_SIGNALS,
        inherit,
    })
}

/// Whether `fd` is open in this process.
fn is_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD takes no memory; a closed number answers EBADF.
    unsafe { libc::fcntl(fd, libc::F_GETFD) >= 0 }
}

/// Clears close-on-exec on descriptors for the guard's lifetime, then sets
/// it again (see the module docs).
struct InheritGuard<'a>(&'a [RawFd]);

impl InheritGuard<'_> {
    fn set(fds: &[RawFd]) -> InheritGuard<'_> {
        for &fd in fds {
            // SAFETY: F_SETFD takes an int; the descriptor stays the
            // caller's, only its flag changes.
            unsafe { libc::fcntl(fd, libc::F_SETFD, 0) };
        }
        InheritGuard(fds)
    }
}

impl Drop for InheritGuard<'_> {
    fn drop(&mut self) {
        for &fd in self.0 {
            // SAFETY: as in `set`.
            unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
        }
    }
}

/// The path to exec for a program. For a template descriptor, the path it
/// was opened by, read back from `/proc/self/fd/N` (see the module docs).
fn program_path(plan: &Spawn) -> Result<CString, SpawnError> {
    let exec_error = |errno| SpawnError {
        errno,
        step: SpawnStep::Exec,
    };
    match plan.program() {
        Program::Path(path) => Ok(path.clone()),
        Program::Fd(fd) => {
            let path = std::fs::read_link(format!("/proc/self/fd/{fd}")).map_err(|e| {
                exec_error(Errno::from_raw(e.raw_os_error().unwrap_or(libc::EBADF)))
            })?;
            CString::new(path.into_os_string().into_vec()).map_err(|_| exec_error(Errno::EINVAL))
        }
    }
}

/// Sets the process umask for the guard's lifetime.
struct UmaskGuard(Option<libc::mode_t>);

impl UmaskGuard {
    fn set(mask: Option<u32>) -> UmaskGuard {
        // SAFETY: umask takes an integer and cannot fail.
        UmaskGuard(mask.map(|m| unsafe { libc::umask(m) }))
    }
}

impl Drop for UmaskGuard {
    fn drop(&mut self) {
        if let Some(old) = self.0 {
            // SAFETY: as above.
            unsafe { libc::umask(old) };
        }
    }
}

/// Sets signals to `SIG_IGN` in this process for the guard's lifetime, then
/// restores their actions exactly (see the module docs).
struct IgnoreGuard(Vec<(c_int, libc::sigaction)>);

impl IgnoreGuard {
    fn set(set: u64) -> IgnoreGuard {
        let mut saved = Vec::new();
        for sig in 1..=64 {
            if set & (1u64 << (sig - 1)) == 0 {
                continue;
            }
            // SAFETY: all-zero is a valid `sigaction` (SIG_DFL, no flags,
            // empty mask); only the handler is changed.
            let mut ignore: libc::sigaction = unsafe { std::mem::zeroed() };
            ignore.sa_sigaction = libc::SIG_IGN;
            // SAFETY: as above; filled in by the call.
            let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
            // SAFETY: both structs are live for the call; SIG_IGN runs no
            // code. A signal glibc refuses is simply not changed.
            if unsafe { libc::sigaction(sig, &raw const ignore, &raw mut old) } == 0 {
                saved.push((sig, old));
            }
        }
        IgnoreGuard(saved)
    }
}

impl Drop for IgnoreGuard {
    fn drop(&mut self) {
        for (sig, old) in &self.0 {
            // SAFETY: restores exactly the action `set` replaced.
            unsafe { libc::sigaction(*sig, old, std::ptr::null_mut()) };
        }
        if !self.0.is_empty() {
            // Another thread may have cached the handled signals meanwhile.
            super::dispositions_changed();
        }
    }
}

/// Taken by every spawn of this backend: shared by plain ones, exclusively
/// by the ones that change the process's dispositions, umask or
/// close-on-exec flags, and by
/// [`super::change_dispositions`] (see the module docs).
static PROCESS_STATE: RwLock<()> = RwLock::new(());

/// A hold on [`PROCESS_STATE`], released on drop.
struct ProcessState {
    _shared: Option<RwLockReadGuard<'static, ()>>,
    _exclusive: Option<RwLockWriteGuard<'static, ()>>,
}

impl ProcessState {
    fn hold(exclusive: bool) -> ProcessState {
        // The lock guards no data: a panic while it was held leaves nothing
        // half-changed that poisoning would protect.
        if exclusive {
            ProcessState {
                _shared: None,
                _exclusive: Some(
                    PROCESS_STATE
                        .write()
                        .unwrap_or_else(PoisonError::into_inner),
                ),
            }
        } else {
            ProcessState {
                _shared: Some(PROCESS_STATE.read().unwrap_or_else(PoisonError::into_inner)),
                _exclusive: None,
            }
        }
    }
}

/// Runs `f`, which changes the process's signal dispositions, while no
/// spawn of this backend is running.
pub(super) fn exclusively<T>(f: impl FnOnce() -> T) -> T {
    let _held = ProcessState::hold(true);
    f()
}

/// Whether `fd` is open in this process.
fn fd_open(fd: RawFd) -> bool {
    // SAFETY: F_GETFD takes no argument and touches no memory.
    unsafe { libc::fcntl(fd, libc::F_GETFD) != -1 }
}

/// The errno `access(path, mode)` answers, if any.
fn access_errno(path: &CStr, mode: c_int) -> Option<Errno> {
    // SAFETY: a NUL-terminated path, live for the call.
    let r = unsafe { libc::access(path.as_ptr(), mode) };
    (r != 0).then(Errno::last)
}

/// The op to blame for `errno`, found by replaying the plan in the parent
/// without side effects (see the module docs); the exec when none fits.
fn guess_step(plan: &Spawn, errno: Errno) -> SpawnStep {
    // Descriptor state as the ops change it: Some(open?) overrides the
    // parent's table; `closed_from` covers CloseFrom.
    let mut fds: HashMap<RawFd, bool> = HashMap::new();
    let mut closed_from = RawFd::MAX;
    let is_open = |fds: &HashMap<RawFd, bool>, closed_from: RawFd, fd: RawFd| {
        fds.get(&fd)
            .copied()
            .unwrap_or_else(|| fd < closed_from && fd_open(fd))
    };
    let mut moved_dir = false;
    for (i, op) in plan.ops().iter().enumerate() {
        let blame = match op {
            SpawnOp::Dup2 { src, dst } => {
                let bad = !is_open(&fds, closed_from, *src);
                fds.insert(*dst, true);
                bad && errno == Errno::EBADF
            }
            SpawnOp::Open {
                path, flags, fd, ..
            } => {
                // `/dev/fd/N` of a descriptor the ops closed: the parent
                // may still have its own N open.
                let named_closed = std::str::from_utf8(path.as_bytes())
                    .ok()
                    .and_then(crate::sys::fd::parse_fd_name)
                    .is_some_and(|(n, _)| !is_open(&fds, closed_from, n));
                fds.insert(*fd, true);
                let relative = !path.as_bytes().starts_with(b"/");
                if named_closed {
                    errno == Errno::ENOENT
                } else if relative && moved_dir {
                    false
                } else if flags & libc::O_CREAT != 0 {
                    // Creating: the directory must be searchable and
                    // writable.
                    let dir = std::path::Path::new(std::ffi::OsStr::from_bytes(path.as_bytes()))
                        .parent()
                        .map(|d| {
                            if d.as_os_str().is_empty() {
                                ".".as_ref()
                            } else {
                                d
                            }
                        })
                        .and_then(|d| CString::new(d.as_os_str().as_bytes()).ok());
                    let exists = access_errno(path, libc::F_OK).is_none();
                    let dir_err = dir.and_then(|d| access_errno(&d, libc::W_OK | libc::X_OK));
                    (!exists && dir_err == Some(errno))
                        || access_errno(path, libc::W_OK) == Some(errno) && exists
                } else {
                    let mode = match flags & libc::O_ACCMODE {
                        libc::O_WRONLY => libc::W_OK,
                        libc::O_RDWR => libc::R_OK | libc::W_OK,
                        _ => libc::R_OK,
                    };
                    access_errno(path, mode) == Some(errno)
                }
            }
            SpawnOp::Close(fd) => {
                fds.insert(*fd, false);
                false
            }
            SpawnOp::CloseFrom(from) => {
                fds.retain(|fd, _| fd < from);
                closed_from = closed_from.min(*from);
                false
            }
            SpawnOp::Chdir(path) => {
                let relative = !path.as_bytes().starts_with(b"/");
                let bad = !(relative && moved_dir) && access_errno(path, libc::X_OK) == Some(errno);
                moved_dir = true;
                bad
            }
            SpawnOp::Fchdir(fd) => {
                moved_dir = true;
                errno == Errno::EBADF && !is_open(&fds, closed_from, *fd)
            }
            SpawnOp::Tcsetpgrp(fd) => match fds.get(fd) {
                // Opened by an earlier op: nothing to check in the parent.
                Some(true) => false,
                Some(false) => errno == Errno::EBADF,
                None => {
                    // SAFETY: isatty only inspects the descriptor.
                    let tty = fd < &closed_from && unsafe { libc::isatty(*fd) } == 1;
                    matches!(errno, Errno::EBADF | Errno::ENOTTY) && !tty
                }
            },
            SpawnOp::SetPgid(_) | SpawnOp::Setsid => errno == Errno::EPERM,
            SpawnOp::SigDefault(_)
            | SpawnOp::SigIgnore(_)
            | SpawnOp::SigMask(_)
            | SpawnOp::Umask(_) => false,
        };
        if blame {
            return SpawnStep::Op(i);
        }
    }
    SpawnStep::Exec
}

impl Backend for PosixSpawn {
    fn name(&self) -> &'static str {
        "posix_spawn"
    }

    fn detail(&self) -> &'static str {
        "glibc posix_spawn + pidfd_open"
    }

    fn spawn(&self, plan: &Spawn) -> Result<Child, SpawnError> {
        let mut lowered = lower(plan)?;
        let path = program_path(plan)?;
        let argv = CArray::new(plan.argv());
        let envp = CArray::new(plan.envp());
        let mut pid: libc::pid_t = 0;
        let code = {
            let changes_parent =
                lowered.umask.is_some() || lowered.ignore != 0 || !lowered.inherit.is_empty();
            let _held = ProcessState::hold(changes_parent);
            let _umask = UmaskGuard::set(lowered.umask);
            let _ignore = IgnoreGuard::set(lowered.ignore);
            let _inherit = InheritGuard::set(&lowered.inherit);
            // SAFETY: every pointer is live for the call: the path, the
            // null-terminated argv/envp arrays (which borrow the plan), and
            // the initialised actions and attributes. posix_spawn's
            // signature takes `*const *mut c_char` but never writes them.
            unsafe {
                libc::posix_spawn(
                    &raw mut pid,
                    path.as_ptr(),
                    &raw const lowered.actions.0,
                    &raw const lowered.attr.0,
                    argv.as_ptr().cast(),
                    envp.as_ptr().cast(),
                )
            }
        };
        // Keep `lowered` alive, and mutable for glibc, across the call.
        let _ = &mut lowered;
        if code != 0 {
            let errno = Errno::from_raw(code);
            return Err(SpawnError {
                errno,
                step: guess_step(plan, errno),
            });
        }
        let pid = Pid::from_raw(pid);
        Ok(Child {
            pid,
            pidfd: open_pidfd(pid)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_dup2_source_is_blamed_on_its_op() {
        let mut plan = Spawn::new(Program::Path(c"/bin/true".to_owned()));
        plan.umask(0o22).dup2(1_000_000, 5);
        assert_eq!(guess_step(&plan, Errno::EBADF), SpawnStep::Op(1));
    }

    #[test]
    fn an_unexplained_enoent_is_blamed_on_the_exec() {
        let mut plan = Spawn::new(Program::Path(c"/nonexistent/x".to_owned()));
        plan.dup2(1, 1);
        assert_eq!(guess_step(&plan, Errno::ENOENT), SpawnStep::Exec);
    }

    #[test]
    fn an_open_in_a_missing_directory_is_blamed_on_its_op() {
        let mut plan = Spawn::new(Program::Path(c"/bin/true".to_owned()));
        plan.open(
            c"/nonexistent-dir/f".to_owned(),
            libc::O_WRONLY | libc::O_CREAT,
            0o666,
            1,
        );
        assert_eq!(guess_step(&plan, Errno::ENOENT), SpawnStep::Op(0));
    }

    #[test]
    fn program_fd_execs_the_path_it_was_opened_by() {
        let fd = nix::fcntl::open(
            "/",
            nix::fcntl::OFlag::O_PATH | nix::fcntl::OFlag::O_CLOEXEC,
            nix::sys::stat::Mode::empty(),
        );
        let Ok(fd) = fd else { return };
        let plan = Spawn::new(Program::Fd(std::os::fd::AsRawFd::as_raw_fd(&fd)));
        assert_eq!(program_path(&plan).ok(), Some(c"/".to_owned()));
    }
}
