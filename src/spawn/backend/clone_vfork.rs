//! The default backend, `clone-vfork`: a vfork-style clone that
//! returns a pidfd, with our own child code applying the ops.
//!
//! What it really calls: glibc's `clone()` wrapper with
//! `CLONE_VM | CLONE_VFORK | CLONE_PIDFD | SIGCHLD` (the `clone` syscall, not
//! `clone3`) on a stack this thread maps once and reuses. The pidfd comes
//! back through the `parent_tid` argument, atomically with the pid. Raw
//! `clone3` would add `CLONE_CLEAR_SIGHAND`, but returning into the child on
//! a new stack needs an assembly trampoline, which glibc's wrapper already
//! is; so the child resets handled signals itself (`child.rs`). The
//! `clone` syscall is also what default container seccomp profiles allow
//! (they answer `clone3` with `ENOSYS`). Earlier versions called this
//! backend `clone3`; that name is still accepted in `PIDSH_SPAWN`.
//!
//! Why it is safe to share memory with the child: the parent thread is
//! suspended by `CLONE_VFORK` until the child execs or exits; the child only
//! reads data prepared before the clone and writes one `Shared` slot;
//! every signal is blocked around the clone, and the child resets handlers
//! before unblocking, so no parent handler runs on the shared memory.

use std::cell::RefCell;
use std::ffi::{c_int, c_void};
use std::os::fd::{FromRawFd, OwnedFd};

use nix::errno::Errno;
use nix::unistd::Pid;

use super::child::{self, Exec, Prepared, Shared};
use super::{AllSignalsBlocked, Backend, CArray, reap};
use crate::spawn::{Child, Spawn, SpawnError, SpawnStep};

/// `CLONE_VM|CLONE_VFORK|CLONE_PIDFD` on glibc's `clone()`; see the module
/// docs.
#[derive(Debug, Clone, Copy, Default)]
pub struct CloneVfork;

/// The flags, exit signal included.
const FLAGS: c_int = libc::CLONE_VM | libc::CLONE_VFORK | libc::CLONE_PIDFD | libc::SIGCHLD;

/// The child's stack: 256 KiB reserved (touched pages only are backed), and
/// a guard page below it so an overflow faults instead of scribbling on the
/// parent's heap.
const STACK_SIZE: usize = 256 * 1024;

/// One mapped stack per thread: a thread spawns one child at a time and is
/// suspended until that child execs, so the stack is never used twice at
/// once.
struct Stack {
    base: *mut c_void,
    len: usize,
}

impl Stack {
    fn map() -> Result<Stack, Errno> {
        // SAFETY: sysconf has no memory arguments.
        let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
        let len = STACK_SIZE + page;
        // SAFETY: a fresh anonymous private mapping; no existing memory is
        // affected.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_STACK | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(Errno::last());
        }
        // SAFETY: the first page lies inside the mapping we just made.
        if unsafe { libc::mprotect(base, page, libc::PROT_NONE) } != 0 {
            let err = Errno::last();
            // SAFETY: unmapping exactly what we mapped.
            unsafe { libc::munmap(base, len) };
            return Err(err);
        }
        Ok(Stack { base, len })
    }

    /// The initial stack pointer: the top, 16-byte aligned (stacks grow
    /// down on every architecture glibc's clone supports here).
    fn top(&self) -> *mut c_void {
        let top = self.base as usize + self.len;
        (top & !15) as *mut c_void
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // SAFETY: unmapping exactly what `map` mapped; no child runs on it
        // (a child only runs while this thread is inside `clone`).
        unsafe { libc::munmap(self.base, self.len) };
    }
}

thread_local! {
    static STACK: RefCell<Option<Stack>> = const { RefCell::new(None) };
}

/// Runs `f` with this thread's child stack top, mapping it on first use.
fn with_stack<T>(f: impl FnOnce(*mut c_void) -> T) -> Result<T, Errno> {
    STACK.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(Stack::map()?);
        }
        match slot.as_ref() {
            Some(stack) => Ok(f(stack.top())),
            None => Err(Errno::ENOMEM),
        }
    })
}

/// One vfork-style clone of a child that exits at once: `Err` when the
/// kernel or a seccomp filter refuses the flags.
pub(super) fn probe() -> Result<(), Errno> {
    let mut pidfd: c_int = -1;
    let pid = with_stack(|top| {
        let _blocked = AllSignalsBlocked::new();
        // SAFETY: `probe_entry` only calls _exit; the stack is ours and
        // unused; `pidfd` outlives the call (the kernel writes it before
        // clone returns).
        let pid = unsafe {
            libc::clone(
                child::probe_entry,
                top,
                FLAGS,
                std::ptr::null_mut(),
                &raw mut pidfd,
            )
        };
        if pid == -1 {
            Err(Errno::last())
        } else {
            Ok(pid)
        }
    })??;
    if pidfd >= 0 {
        // SAFETY: the kernel installed this descriptor for us.
        drop(unsafe { OwnedFd::from_raw_fd(pidfd) });
    }
    reap(Pid::from_raw(pid));
    Ok(())
}

impl CloneVfork {
    /// One `clone` with `flags` on this thread's stack: the child runs
    /// `shared`'s plan; the pid, or why the kernel refused.
    fn clone_child(
        &self,
        shared: &mut Shared,
        flags: c_int,
        pidfd: &mut c_int,
    ) -> Result<Result<c_int, Errno>, Errno> {
        with_stack(|top| {
            let blocked = AllSignalsBlocked::new();
            shared.prepared.mask = blocked.old;
            // SAFETY: `clone_entry` runs on our private stack and follows
            // child.rs's rules; `shared`, the argv/envp arrays and the plan
            // outlive the call, and CLONE_VFORK keeps this thread inside
            // clone() until the child has exec'd or exited. `pidfd` is
            // written by the kernel before clone returns.
            let pid = unsafe {
                libc::clone(
                    child::clone_entry,
                    top,
                    flags,
                    (shared as *mut Shared).cast::<c_void>(),
                    pidfd as *mut c_int,
                )
            };
            if pid == -1 {
                Err(Errno::last())
            } else {
                Ok(pid)
            }
        })
    }
}

impl Backend for CloneVfork {
    fn name(&self) -> &'static str {
        "clone-vfork"
    }

    fn detail(&self) -> &'static str {
        "glibc clone(): CLONE_VM|CLONE_VFORK|CLONE_PIDFD, reused stack"
    }

    fn spawn(&self, plan: &Spawn) -> Result<Child, SpawnError> {
        let argv = CArray::new(plan.argv());
        let envp = CArray::new(plan.envp());
        let exec = Exec::of(plan.program());
        let mut shared = Shared {
            prepared: Prepared {
                exec,
                argv: argv.as_ptr(),
                envp: envp.as_ptr(),
                ops: plan.ops(),
                mask: 0,
                handled: super::handled_signals(),
            },
            failure: None,
        };
        let mut pidfd: c_int = -1;
        let mut flags = FLAGS;
        let created = loop {
            let attempt = self.clone_child(&mut shared, flags, &mut pidfd);
            // No descriptor left for the pidfd: the child can still start,
            // to be waited for by pid.
            if matches!(attempt, Ok(Err(Errno::EMFILE | Errno::ENFILE)))
                && flags & libc::CLONE_PIDFD != 0
            {
                flags &= !libc::CLONE_PIDFD;
                continue;
            }
            break attempt;
        };
        let pid = match created {
            Ok(Ok(pid)) => Pid::from_raw(pid),
            Ok(Err(errno)) | Err(errno) => {
                return Err(SpawnError {
                    errno,
                    step: SpawnStep::Create,
                });
            }
        };
        // Kernels before 5.2 ignore CLONE_PIDFD and leave -1 in place.
        let pidfd = (pidfd >= 0).then(|| {
            // SAFETY: the kernel installed this close-on-exec descriptor for
            // us and nobody else owns it.
            unsafe { OwnedFd::from_raw_fd(pidfd) }
        });
        // SAFETY: the child is gone or exec'd (CLONE_VFORK), so nothing
        // writes the slot any more; volatile because it was written by a
        // context the compiler cannot see.
        let failure = unsafe { std::ptr::read_volatile(&raw const shared.failure) };
        match failure {
            None => Ok(Child { pid, pidfd }),
            Some(failure) => {
                drop(pidfd);
                reap(pid);
                Err(SpawnError {
                    errno: Errno::from_raw(failure.errno),
                    step: failure.step(),
                })
            }
        }
    }
}
