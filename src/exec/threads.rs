//! Threads that run shell code: pipeline stages, process substitutions,
//! and the shell itself once its nesting outgrows the process's main
//! thread. Their stacks are sized to the address space the process may
//! use (`ulimit -v`), and each knows where its stack ends, so deep
//! recursion stops with the shell's nesting error rather than a stack
//! overflow however small the stack had to be.
//!
//! The shell starts on the main thread ([`run_shell`]), whose stack the
//! kernel grows up to `ulimit -s` only: starting a thread at once would
//! cost a `pidsh -c true` about a third of its time (a clone, a 256 MiB
//! mapping, and a malloc arena of its own). Shell code moves to a
//! big-stack thread when it nests deeper than a budget of the main stack
//! ([`with_stack_room`]); the main thread waits with every signal blocked,
//! so signals reach the thread that runs the shell, as they would without
//! the move.

use std::cell::Cell;
use std::thread::{Builder, JoinHandle};

use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};

/// The stack a shell-code thread gets when the address space is not
/// limited: deep recursion in functions must end in the depth-limit
/// error, not a stack overflow.
const FULL_STACK: usize = 256 << 20;

/// Never less than this, whatever the limit.
const MIN_STACK: usize = 2 << 20;

/// Stack kept free below the nesting check, for the error's own work and
/// for what a single level may need.
const RESERVE: usize = 512 << 10;

/// How much of the main thread's stack shell code may use before it moves
/// to a big-stack thread: far more than the shallow nesting of most
/// scripts, a quarter of the usual 8 MiB `ulimit -s`.
const MAIN_BUDGET: usize = 2 << 20;

/// Main stack below [`MAIN_BUDGET`] kept for what shell code runs between
/// two checks (a parse's 48 shallow levels take 720 KiB in a debug build).
const MAIN_MARGIN: usize = 1 << 20;

thread_local! {
    /// The lowest stack address shell code may reach on this thread (0:
    /// not a shell-code thread, no check).
    static STACK_FLOOR: Cell<usize> = const { Cell::new(0) };

    /// On the main thread running the shell: below this stack address,
    /// shell code moves to a big-stack thread (0: never moves).
    static MOVE_BELOW: Cell<usize> = const { Cell::new(0) };
}

/// The stack size for a shell-code thread: [`FULL_STACK`], or an eighth of
/// the soft `RLIMIT_AS` when that is smaller (a stack is reserved whole
/// when the thread starts, and counts against the limit).
pub fn stack_size() -> usize {
    use nix::sys::resource::{Resource, getrlimit};
    match getrlimit(Resource::RLIMIT_AS) {
        Ok((soft, _)) if soft != libc::RLIM_INFINITY => usize::try_from(soft / 8)
            .unwrap_or(FULL_STACK)
            .clamp(MIN_STACK, FULL_STACK),
        _ => FULL_STACK,
    }
}

/// Starts `body` on a shell-code thread named `name`. When the address
/// space is short (other threads' stacks and allocator arenas count too),
/// smaller stacks are tried before giving up.
pub fn spawn<T: Send + 'static>(
    name: &str,
    body: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<JoinHandle<T>> {
    // Kept here until a thread takes it, so that a failed start can retry.
    let body = std::sync::Arc::new(std::sync::Mutex::new(Some(body)));
    let mut size = stack_size();
    loop {
        let taken = std::sync::Arc::clone(&body);
        let started = Builder::new()
            .name(name.to_string())
            .stack_size(size)
            .spawn(move || {
                note_stack(size);
                let body = taken.lock().ok().and_then(|mut b| b.take());
                match body {
                    Some(run) => run(),
                    // Each attempt either fails to start (leaving the body)
                    // or starts and takes it: only one thread ever runs.
                    None => unreachable!("a shell-code thread's body runs once"),
                }
            });
        match started {
            Ok(handle) => return Ok(handle),
            Err(e) if size <= MIN_STACK => return Err(e),
            Err(_) => size = (size / 4).max(MIN_STACK),
        }
    }
}

/// Runs the shell, `body`, from the process's main thread: on it when
/// `ulimit -s` lets its stack reach [`MAIN_BUDGET`] and [`MAIN_MARGIN`]
/// below this point, shell code moving to a big-stack thread once it has
/// used the budget ([`with_stack_room`]); else on a big-stack thread at
/// once.
pub fn run_shell<T: Send>(body: impl FnOnce() -> T + Send) -> T {
    use nix::sys::resource::{Resource, getrlimit};
    let here = stack_address();
    let bottom = here.saturating_sub(MAIN_BUDGET + MAIN_MARGIN);
    // The arguments and environment above count against the limit too.
    let top = crate::sys::main_stack_top().unwrap_or(here).max(here) + 4096;
    let room = match getrlimit(Resource::RLIMIT_STACK) {
        Ok((soft, _)) if soft == libc::RLIM_INFINITY => usize::MAX,
        Ok((soft, _)) => usize::try_from(soft).unwrap_or(usize::MAX),
        Err(_) => 0,
    };
    if room < top - bottom {
        // Should no thread start: half the stack the limit allows.
        return on_big_stack(body, here.saturating_sub(room / 2));
    }
    // The budget and the margin are mapped now, out of reach of a later
    // `ulimit -s` (the stack would otherwise have to grow into them).
    crate::sys::extend_main_stack(bottom);
    MOVE_BELOW.with(|below| below.set(here.saturating_sub(MAIN_BUDGET).max(1)));
    body()
}

/// Runs `body` on this thread or, when this is the main thread and shell
/// code has used up its budget of the stack, on a new big-stack thread
/// (this one waits). Should no thread start, `body` runs here, and the
/// nesting check ends deeper nesting with its error from here on.
pub fn with_stack_room<T: Send>(body: impl FnOnce() -> T + Send) -> T {
    let below = MOVE_BELOW.with(Cell::get);
    if below == 0 || stack_address() >= below {
        return body();
    }
    on_big_stack(body, below)
}

/// Runs `body` on a new big-stack thread while this one waits with every
/// signal blocked (the new thread lets in what this one did). Should no
/// thread start, `body` runs here, with `floor` as this stack's limit for
/// the nesting check and no further moves.
fn on_big_stack<T: Send>(body: impl FnOnce() -> T + Send, floor: usize) -> T {
    // Kept here until a thread takes it, so that a failed start can retry.
    let slot = std::sync::Mutex::new(Some(body));
    let mut blocked = SigSet::empty();
    let _ = pthread_sigmask(
        SigmaskHow::SIG_BLOCK,
        Some(&SigSet::all()),
        Some(&mut blocked),
    );
    let mut size = stack_size();
    let (taken, mask) = (&slot, &blocked);
    let ran = std::thread::scope(|scope| {
        loop {
            let started = Builder::new()
                .name("pidsh".to_string())
                .stack_size(size)
                .spawn_scoped(scope, move || {
                    note_stack(size);
                    let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(mask), None);
                    let body = taken.lock().ok().and_then(|mut b| b.take());
                    body.map(|run| run())
                });
            match started {
                Ok(handle) => break Some(handle.join()),
                Err(_) if size <= MIN_STACK => break None,
                Err(_) => size = (size / 4).max(MIN_STACK),
            }
        }
    });
    let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&blocked), None);
    match ran {
        Some(Ok(Some(value))) => value,
        Some(Err(panic)) => std::panic::resume_unwind(panic),
        // No thread started (or none took the body): on this stack.
        Some(Ok(None)) | None => {
            STACK_FLOOR.with(|limit| limit.set(floor));
            MOVE_BELOW.with(|below| below.set(0));
            match slot.into_inner().ok().flatten() {
                Some(run) => run(),
                None => unreachable!("a body no thread took is still in its slot"),
            }
        }
    }
}

/// Records where this thread's stack ends, from an address near its top.
fn note_stack(size: usize) {
    let here = stack_address();
    STACK_FLOOR.with(|floor| floor.set(here.saturating_sub(size) + RESERVE));
}

/// An address in the current stack frame.
#[inline(never)]
fn stack_address() -> usize {
    let marker = 0u8;
    std::ptr::addr_of!(marker) as usize
}

/// Whether this thread's stack is nearly used up (another level of
/// nesting could overflow it).
pub fn stack_nearly_full() -> bool {
    let floor = STACK_FLOOR.with(Cell::get);
    floor != 0 && stack_address() < floor
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shell_thread_sees_its_stack_fill() {
        fn descend(depth: usize) -> usize {
            if stack_nearly_full() {
                return depth;
            }
            let pad = [0u8; 4096];
            std::hint::black_box(&pad);
            descend(depth + 1) + std::hint::black_box(0)
        }
        let depth = spawn("test", || descend(0)).map(|h| h.join());
        assert!(matches!(depth, Ok(Ok(d)) if d > 0));
        assert!(!stack_nearly_full(), "not a shell-code thread");
    }
}
