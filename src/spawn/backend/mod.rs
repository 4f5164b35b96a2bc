//! Spawn backends: the ways a [`Spawn`] becomes a running child, and the
//! choice among them.
//!
//! One trait, three implementations, chosen once per process from
//! `PIDSH_SPAWN=clone-vfork|posix_spawn|fork` (default `clone-vfork`; the
//! old name `clone3` is still accepted):
//!
//! - [`clone_vfork`]: glibc's `clone()` with `CLONE_VM|CLONE_VFORK|CLONE_PIDFD`
//!   on a reused stack; our own child code (`child.rs`) applies the ops.
//! - [`posix_spawn`]: glibc `posix_spawn` with file actions and attributes,
//!   then `pidfd_open`.
//! - [`fork`]: the fork-then-configure reference, for benchmarks and
//!   differential tests only.
//!
//! Fallbacks: the first time the kernel refuses the clone itself (seccomp
//! answering `EPERM`, a kernel answering `ENOSYS`), [`current`] switches to
//! `posix_spawn` for good (`--version` probes once to say which runs); when the kernel
//! has no pidfds, children come back with `pidfd: None` and callers wait on
//! the pid. [`describe`] says which one runs and why.

mod child;
pub mod clone_vfork;
pub mod fork;
pub mod posix_spawn;

use std::ffi::{CString, c_char};
use std::os::fd::OwnedFd;
use std::sync::OnceLock;

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

use crate::spawn::{Child, Spawn, SpawnError, SpawnStep};
use child::KernelSigset;

/// A way to start a child described by a [`Spawn`].
pub trait Backend: Sync {
    /// The name users select it by (`PIDSH_SPAWN=…`) and `--version` shows.
    fn name(&self) -> &'static str;
    /// Starts the child; returns once it has exec'd or failed.
    fn spawn(&self, plan: &Spawn) -> Result<Child, SpawnError>;
    /// How it creates the child, for `--version` (e.g. the clone flags).
    fn detail(&self) -> &'static str {
        ""
    }
}

static CLONE_VFORK: clone_vfork::CloneVfork = clone_vfork::CloneVfork;
static POSIX_SPAWN: posix_spawn::PosixSpawn = posix_spawn::PosixSpawn;
static FORK: fork::Fork = fork::Fork;

/// The names [`by_name`] knows, default first.
pub const NAMES: [&str; 3] = ["clone-vfork", "posix_spawn", "fork"];

/// The backend called `name`, without probing or fallback (tests and
/// benchmarks pick one explicitly). `clone3` is the name the default
/// backend had before it was named for what it calls; scripts that set
/// `PIDSH_SPAWN=clone3` keep working.
pub fn by_name(name: &str) -> Option<&'static dyn Backend> {
    match name {
        "clone-vfork" | "clone3" => Some(&CLONE_VFORK),
        "posix_spawn" => Some(&POSIX_SPAWN),
        "fork" => Some(&FORK),
        _ => None,
    }
}

/// The backend chosen at first use, and why.
struct Selection {
    backend: &'static dyn Backend,
    /// Empty, or why this is not what was asked for.
    note: String,
}

fn selection() -> &'static Selection {
    static SELECTION: OnceLock<Selection> = OnceLock::new();
    SELECTION.get_or_init(|| {
        let asked = std::env::var("PIDSH_SPAWN").ok();
        let mut note = String::new();
        let wanted = match asked.as_deref() {
            None | Some("") => &CLONE_VFORK as &dyn Backend,
            Some(name) => by_name(name).unwrap_or_else(|| {
                note = format!("PIDSH_SPAWN={name} is not a backend; using clone-vfork");
                &CLONE_VFORK
            }),
        };
        if asked.as_deref().is_some_and(|name| by_name(name).is_some()) || !note.is_empty() {
            return Selection {
                backend: wanted,
                note,
            };
        }
        Selection {
            backend: &AUTO,
            note,
        }
    })
}

/// The default: `clone-vfork`, falling back to `posix_spawn` the first time the
/// kernel refuses the clone itself (seccomp profiles in containers often
/// answer EPERM or ENOSYS). No probe at start-up: a probe would cost one
/// extra process on every shell start.
struct Auto {
    refused: OnceLock<Errno>,
}

static AUTO: Auto = Auto {
    refused: OnceLock::new(),
};

impl Backend for Auto {
    fn name(&self) -> &'static str {
        match self.refused.get() {
            Some(_) => POSIX_SPAWN.name(),
            None => CLONE_VFORK.name(),
        }
    }

    fn spawn(&self, plan: &Spawn) -> Result<Child, SpawnError> {
        if self.refused.get().is_some() {
            return POSIX_SPAWN.spawn(plan);
        }
        match CLONE_VFORK.spawn(plan) {
            Err(e)
                if e.step == crate::spawn::SpawnStep::Create
                    && matches!(e.errno, Errno::EPERM | Errno::ENOSYS | Errno::EINVAL) =>
            {
                let _ = self.refused.set(e.errno);
                POSIX_SPAWN.spawn(plan)
            }
            other => other,
        }
    }

    fn detail(&self) -> &'static str {
        match self.refused.get() {
            Some(_) => POSIX_SPAWN.detail(),
            None => CLONE_VFORK.detail(),
        }
    }
}

/// Bumped whenever the shell changes a signal's disposition, so that the
/// set of handled signals is asked of the kernel again.
static DISPOSITIONS_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// Tells the backends that a signal handler was installed or removed.
pub fn dispositions_changed() {
    DISPOSITIONS_GENERATION.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
}

/// Changes the process's signal dispositions through `f`, then tells the
/// backends. `f` runs while no `posix_spawn` spawn is under way: that
/// backend sets and restores dispositions around its call for `SigIgnore`
/// ops, and must neither undo this change nor pass it to its child.
pub fn change_dispositions<T>(f: impl FnOnce() -> T) -> T {
    let result = posix_spawn::exclusively(f);
    dispositions_changed();
    result
}

/// The signals with a handler, cached per generation of dispositions:
/// asking the kernel costs 64 `rt_sigaction` calls.
fn handled_signals() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static CACHED_GENERATION: AtomicU64 = AtomicU64::new(0);
    static CACHED_SET: AtomicU64 = AtomicU64::new(0);
    let generation = DISPOSITIONS_GENERATION.load(Ordering::SeqCst);
    if CACHED_GENERATION.load(Ordering::SeqCst) == generation {
        return CACHED_SET.load(Ordering::SeqCst);
    }
    let set = child::handled_signals();
    CACHED_SET.store(set, Ordering::SeqCst);
    CACHED_GENERATION.store(generation, Ordering::SeqCst);
    set
}

/// The backend this process spawns with: `PIDSH_SPAWN`, or `clone-vfork`
/// switching to `posix_spawn` the first time the kernel refuses the clone.
pub fn current() -> &'static dyn Backend {
    selection().backend
}

/// One line for `--version`:
/// `spawn backend: clone-vfork (glibc clone(): CLONE_VM|CLONE_VFORK|CLONE_PIDFD)`.
pub fn describe() -> String {
    let sel = selection();
    if sel.backend.name() == CLONE_VFORK.name()
        && let Err(errno) = clone_vfork::probe()
    {
        let _ = AUTO.refused.set(errno);
    }
    let mut out = format!("spawn backend: {}", sel.backend.name());
    let detail = sel.backend.detail();
    if !detail.is_empty() {
        out.push_str(&format!(" ({detail})"));
    }
    if let Some(errno) = AUTO.refused.get() {
        out.push_str(&format!(
            "; fallback: clone(CLONE_VM|CLONE_VFORK|CLONE_PIDFD) answered {errno}"
        ));
    }
    if !sel.note.is_empty() {
        out.push_str(&format!("; {}", sel.note));
    }
    if !pidfd_available() {
        out.push_str("; no pidfds: waiting by pid");
    }
    out
}

/// Whether the kernel gives out pidfds (`pidfd_open`, Linux 5.3).
pub fn pidfd_available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        !matches!(
            crate::sys::pidfd_open(nix::unistd::getpid()),
            Err(Errno::ENOSYS)
        )
    })
}

/// A null-terminated array of pointers into `items`, for `argv`/`envp`.
/// Borrowing `items` keeps the strings alive as long as the array.
struct CArray<'a> {
    ptrs: Vec<*const c_char>,
    _items: std::marker::PhantomData<&'a [CString]>,
}

impl<'a> CArray<'a> {
    fn new(items: &'a [CString]) -> CArray<'a> {
        let mut ptrs = Vec::with_capacity(items.len() + 1);
        ptrs.extend(items.iter().map(|s| s.as_ptr()));
        ptrs.push(std::ptr::null());
        CArray {
            ptrs,
            _items: std::marker::PhantomData,
        }
    }

    fn as_ptr(&self) -> *const *const c_char {
        self.ptrs.as_ptr()
    }
}

/// Every signal blocked in the calling thread for the guard's lifetime, so
/// that no handler runs in a child that shares our memory before it resets
/// its dispositions. Raw `rt_sigprocmask`: glibc's `pthread_sigmask` would
/// leave its two internal signals open.
struct AllSignalsBlocked {
    old: KernelSigset,
}

impl AllSignalsBlocked {
    fn new() -> AllSignalsBlocked {
        let all: KernelSigset = !0;
        let mut old: KernelSigset = 0;
        // SAFETY: both sets are live 8-byte kernel sigsets on our stack.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                &raw const all,
                &raw mut old,
                std::mem::size_of::<KernelSigset>(),
            )
        };
        AllSignalsBlocked { old }
    }
}

impl Drop for AllSignalsBlocked {
    fn drop(&mut self) {
        // SAFETY: `self.old` is a live kernel sigset; a null old set is
        // allowed.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigprocmask,
                libc::SIG_SETMASK,
                &raw const self.old,
                std::ptr::null_mut::<KernelSigset>(),
                std::mem::size_of::<KernelSigset>(),
            )
        };
    }
}

/// `exec CMD`: configures this very process as the plan says and execs its
/// program in place, with the child side's own code (the ops, the signal
/// resets, the mask): the shell becomes the command, keeping its pid, so
/// `$$`, a container's PID 1 and the parent's wait carry over. Returns
/// only on failure, when the process may already carry some of the plan's
/// changes: the caller must not go on as the shell it was.
pub fn exec_in_place(plan: &Spawn) -> SpawnError {
    let argv = CArray::new(plan.argv());
    let envp = CArray::new(plan.envp());
    let exec = child::Exec::of(plan.program());
    let blocked = AllSignalsBlocked::new();
    let prepared = child::Prepared {
        exec,
        argv: argv.as_ptr(),
        envp: envp.as_ptr(),
        ops: plan.ops(),
        mask: blocked.old,
        handled: handled_signals(),
    };
    let failure = child::configure_and_exec(&prepared, child::NO_FD);
    drop(blocked);
    SpawnError {
        errno: Errno::from_raw(failure.errno),
        step: failure.step(),
    }
}

/// Waits for a child that failed before exec, so it leaves no zombie.
fn reap(pid: Pid) {
    loop {
        match waitpid(pid, Some(WaitPidFlag::__WALL)) {
            Err(Errno::EINTR) => continue,
            _ => return,
        }
    }
}

/// A pidfd for a child we have not reaped: `Ok(None)` on kernels without
/// pidfds, and when the descriptor table is full (the child runs and is
/// waited for by pid, as the clone backend does when `CLONE_PIDFD` finds no
/// room). On any other failure the child is killed and reaped.
fn open_pidfd(pid: Pid) -> Result<Option<OwnedFd>, SpawnError> {
    match crate::sys::pidfd_open(pid) {
        Ok(fd) => Ok(Some(fd)),
        Err(Errno::ENOSYS | Errno::EMFILE | Errno::ENFILE) => Ok(None),
        Err(errno) => {
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            reap(pid);
            Err(SpawnError {
                errno,
                step: SpawnStep::Pidfd,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_resolves_to_itself() {
        for name in NAMES {
            assert_eq!(by_name(name).map(|b| b.name()), Some(name));
        }
        assert!(by_name("vfork").is_none());
    }

    #[test]
    fn describe_names_the_current_backend() {
        let line = describe();
        assert!(line.starts_with("spawn backend: "), "{line}");
        assert!(line.contains(current().name()), "{line}");
    }

    #[test]
    fn c_array_is_null_terminated() {
        let items = [c"a".to_owned(), c"b".to_owned()];
        let arr = CArray::new(&items);
        assert_eq!(arr.ptrs.len(), 3);
        assert!(arr.ptrs[2].is_null());
    }
}
