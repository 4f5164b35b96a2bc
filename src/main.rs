//! The `pidsh` executable: runs the shell on a thread with a large stack
//! (deep shell recursion ends in the depth-limit error, not an overflow).

use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};

fn main() {
    let shell = std::thread::Builder::new()
        .name("pidsh".into())
        .stack_size(pidsh::exec::SHELL_THREAD_STACK)
        .spawn(pidsh::cli::main);
    // Signals are for the shell thread: a handler that ran here instead
    // would race with the command that provoked it (`kill -USR1 $$`).
    let _ = pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&SigSet::all()), None);
    let status = match shell.map(|handle| handle.join()) {
        Ok(Ok(status)) => status,
        _ => 70,
    };
    std::process::exit(status);
}
