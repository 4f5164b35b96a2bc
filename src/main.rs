//! The `pidsh` executable: runs the shell on a thread with a large stack
//! (deep shell recursion ends in the depth-limit error, not an overflow).

use nix::sys::signal::{SigSet, SigmaskHow, pthread_sigmask};

fn main() {
    // Signals are for the shell thread: a handler that ran here instead
    // would race with the command that provoked it (`kill -USR1 $$`), and
    // a fatal one would end the process only after the shell went on. So
    // this thread blocks them before the shell thread exists, and that
    // thread, which inherits the mask, lets them in again.
    let mut inherited = SigSet::empty();
    let _ = pthread_sigmask(
        SigmaskHow::SIG_BLOCK,
        Some(&SigSet::all()),
        Some(&mut inherited),
    );
    let shell = pidsh::exec::threads::spawn("pidsh", move || {
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&inherited), None);
        pidsh::cli::main()
    });
    let status = match shell.map(|handle| handle.join()) {
        Ok(Ok(status)) => status,
        Ok(Err(_)) => 70,
        Err(e) => {
            eprintln!("pidsh: cannot start the shell thread: {e}");
            70
        }
    };
    std::process::exit(status);
}
