//! The `pidsh` executable: runs the shell on a thread with a large stack
//! (deep shell recursion ends in the depth-limit error, not an overflow).

fn main() {
    let shell = std::thread::Builder::new()
        .name("pidsh".into())
        .stack_size(pidsh::exec::SHELL_THREAD_STACK)
        .spawn(pidsh::cli::main);
    let status = match shell.map(|handle| handle.join()) {
        Ok(Ok(status)) => status,
        _ => 70,
    };
    std::process::exit(status);
}
