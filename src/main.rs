//! The `pidsh` executable: the C runtime's `main`, which runs the shell on
//! the process's main thread.
//!
//! The Rust runtime's own `main` is skipped (`no_main`): before a program's
//! `main` it finds the main thread's stack by reading `/proc/self/maps`
//! and installs stack-overflow handlers on an alternate signal stack, for
//! every thread it starts too — a tenth of a `pidsh -c true`, for handlers
//! the shell resets anyway (`jobs::signals`). What the shell needs of that
//! set-up, `sys::start` does: descriptors 0–2 held open and SIGPIPE
//! ignored until the shell sets its own disposition. Deep nesting moves
//! the shell to a big-stack thread, and a `ulimit -s` too small for the
//! main thread's share starts it there (`exec::threads::run_shell`).
#![no_main]

use std::ffi::{c_char, c_int};

// The unwinder (panics unwind; the runtime's backtraces walk the stack)
// linked in from GCC's static `libgcc_eh`, ahead of the shared
// `libgcc_s` that the standard library asks for, which is then not
// needed: one library fewer to load and relocate, and no CPU-model
// probing by its initialiser (slow in a virtual machine) at every start.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[link(name = "gcc_eh", kind = "static")]
unsafe extern "C" {}

/// Called by the C runtime with the process's arguments, which the Rust
/// runtime has recorded already (`std::env::args` reads its copy).
// SAFETY: the only symbol named `main` in the program: `no_main` leaves
// the name to this function, and its signature is the C runtime's.
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    pidsh::sys::start();
    // A panic ends the shell as a failed start of its thread used to:
    // with the panic's message and status 70 (EX_SOFTWARE).
    let shell = || pidsh::exec::threads::run_shell(pidsh::cli::main);
    let status = std::panic::catch_unwind(shell).unwrap_or(70);
    std::process::exit(status)
}
