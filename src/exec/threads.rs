//! Threads that run shell code: the shell itself, pipeline stages and
//! process substitutions. Their stacks are sized to the address space the
//! process may use (`ulimit -v`), and each knows where its stack ends, so
//! deep recursion stops with the shell's nesting error rather than a
//! stack overflow however small the stack had to be.

use std::cell::Cell;
use std::thread::{Builder, JoinHandle};

/// The stack a shell-code thread gets when the address space is not
/// limited: deep recursion in functions must end in the depth-limit
/// error, not a stack overflow.
const FULL_STACK: usize = 256 << 20;

/// Never less than this, whatever the limit.
const MIN_STACK: usize = 2 << 20;

/// Stack kept free below the nesting check, for the error's own work and
/// for what a single level may need.
const RESERVE: usize = 512 << 10;

thread_local! {
    /// The lowest stack address shell code may reach on this thread (0:
    /// not a shell-code thread, no check).
    static STACK_FLOOR: Cell<usize> = const { Cell::new(0) };
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
