//! The shell's own signal dispositions.
//!
//! Non-interactive: note which signals were ignored on entry (they stay
//! ignored for children, POSIX 2.11; a self-spawned background job is told
//! which of its ignored signals its parent had ignored on entry).
//! Interactive: the shell ignores SIGQUIT, SIGTERM and the job-control
//! stops, and turns SIGINT into a flag that running shell code polls;
//! children get the defaults back through `SigDefault` ops. Both: SIGPIPE
//! has a handler that lets go the kernel's SIGPIPE for the shell's own
//! writes and gives any other the disposition's effect, and SIGSEGV and
//! SIGBUS are at their defaults.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

/// The signal that abandons an interactive shell's command line, once it
/// came (0: none): SIGINT the shell caught itself, or the SIGINT, SIGQUIT
/// or SIGTSTP that ended or stopped its foreground job.
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

extern "C" fn note_interrupt(_: libc::c_int) {
    INTERRUPTED.store(libc::SIGINT, Ordering::SeqCst);
}

/// The command line is abandoned as if the shell had received `sig`: the
/// foreground job died of it (or stopped by it), and with job control the
/// terminal sent it to the job's group only.
pub fn note_interrupt_by(sig: i32) {
    INTERRUPTED.store(sig, Ordering::SeqCst);
}

/// Whether an interrupt is waiting for the evaluator (the flag stays).
pub fn interrupt_pending() -> bool {
    INTERRUPTED.load(Ordering::SeqCst) != 0
}

/// The signal of the interrupt that came since the last call, if one did
/// (and clears the flag).
pub fn take_interrupt() -> Option<i32> {
    match INTERRUPTED.swap(0, Ordering::SeqCst) {
        0 => None,
        sig => Some(sig),
    }
}

fn current_handler(sig: Signal) -> Option<SigHandler> {
    let probe = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: installing SIG_DFL and immediately restoring the previous
    // action; no handler runs in between that could observe the change
    // (this happens once at start-up, before any child exists).
    let old = unsafe { sigaction(sig, &probe) }.ok()?;
    // SAFETY: restores exactly the action that was in place.
    unsafe { sigaction(sig, &old) }.ok()?;
    Some(old.handler())
}

fn set_handler(sig: Signal, handler: SigHandler) {
    let action = SigAction::new(handler, SaFlags::SA_RESTART, SigSet::empty());
    crate::spawn::backend::change_dispositions(|| {
        // SAFETY: the handlers installed here only store to atomics
        // (async-signal-safe).
        let _ = unsafe { sigaction(sig, &action) };
    });
}

/// Sets up the shell's dispositions for its mode.
///
/// `handed_over`: in a self-spawned subshell, the signals its top-level
/// shell had ignored on entry. The subshell's process starts with more
/// ignored than that (the parent's `trap ''`s, and SIGINT and SIGQUIT of
/// an asynchronous list without job control); only these are beyond
/// `trap`, so that the subshell may still trap or reset the others.
pub fn setup(interactive: bool, handed_over: Option<&[i32]>) -> IgnoredAtStart {
    // Not asked: glibc's own two (32 and 33), no business of `trap`;
    // SIGKILL and SIGSTOP, which cannot be ignored; SIGPIPE, which is
    // ignored before the shell starts (by the runtime, or `sys::start`):
    // its disposition at start comes from `sys` below. One question per
    // signal: reading the kernel's mask from `/proc/self/status` costs
    // more (the file is generated, and the process's `/proc` entries
    // outlive it until it is reaped).
    let not_asked = [libc::SIGKILL, libc::SIGSTOP, libc::SIGPIPE];
    let ignored: Vec<i32> = (1..=64)
        .filter(|&sig| !(32..libc::SIGRTMIN()).contains(&sig) && !not_asked.contains(&sig))
        .filter(|&sig| crate::sys::signal_ignored(sig))
        .collect();
    let pipe_ignored = crate::sys::sigpipe_ignored_at_start();
    let ignored = ignored
        .into_iter()
        .chain(pipe_ignored.then_some(libc::SIGPIPE));
    let mut kept_ignored = Vec::new();
    let mut beyond_trap = Vec::new();
    for sig in ignored {
        let on_entry = handed_over.is_none_or(|list| list.contains(&sig));
        if !on_entry {
            continue;
        }
        if !interactive {
            beyond_trap.push(sig);
        } else if ![libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU].contains(&sig) {
            // POSIX lets an interactive shell reset or catch what was
            // ignored on entry: it starts as a `trap ''`, which children
            // inherit (as in dash) and `trap` can change.
            kept_ignored.push(sig);
        }
    }
    if !pipe_ignored {
        set_handler(Signal::SIGPIPE, SigHandler::SigAction(on_sigpipe));
    }
    default_fault_signals();
    if interactive {
        set_interactive_handlers(&kept_ignored);
    }
    IgnoredAtStart {
        beyond_trap,
        as_traps: kept_ignored,
    }
}

/// The signals ignored when the shell started, as [`setup`] sorted them.
#[derive(Debug, Default)]
pub struct IgnoredAtStart {
    /// Stay ignored for the shell and its children; `trap` cannot catch
    /// them (a non-interactive shell, POSIX).
    pub beyond_trap: Vec<i32>,
    /// Start as `trap '' SIG`, which `trap` may change (an interactive
    /// shell, POSIX; children inherit the ignore as in dash).
    pub as_traps: Vec<i32>,
}

/// An interactive shell catches SIGINT (a flag running code polls) and
/// ignores the signals a terminal or `kill` would end or stop it with;
/// a signal it keeps ignored since entry stays so.
fn set_interactive_handlers(kept_ignored: &[i32]) {
    if !kept_ignored.contains(&libc::SIGINT) {
        set_handler(Signal::SIGINT, SigHandler::Handler(note_interrupt));
    }
    for sig in [
        Signal::SIGQUIT,
        Signal::SIGTERM,
        Signal::SIGTSTP,
        Signal::SIGTTIN,
        Signal::SIGTTOU,
    ] {
        set_handler(sig, SigHandler::SigIgn);
    }
}

/// Stops the shell's process group with SIGTTIN at its default action,
/// as a background process reading its terminal would be: an interactive
/// shell started in the background waits so until it is brought to the
/// foreground (in an orphaned group the kernel drops the stop).
pub fn stop_until_foreground() {
    let previous = current_handler(Signal::SIGTTIN).unwrap_or(SigHandler::SigDfl);
    set_handler(Signal::SIGTTIN, SigHandler::SigDfl);
    let _ = nix::sys::signal::killpg(nix::unistd::getpgrp(), Signal::SIGTTIN);
    set_handler(Signal::SIGTTIN, previous);
}

/// The Rust runtime's `main` catches SIGSEGV and SIGBUS to report stack
/// overflows, and for any other cause resets the default and returns: a
/// fault then recurs and kills, but `kill -s SEGV $$` would be survived
/// once. A shell dies of them as of any other fatal signal, so the default
/// comes back (unless they were ignored at start, when the runtime left
/// them alone). The `pidsh` executable skips that set-up; a program that
/// runs the shell from the runtime's `main` does not.
fn default_fault_signals() {
    for sig in [Signal::SIGSEGV, Signal::SIGBUS] {
        if crate::sys::signal_caught(sig) {
            set_handler(sig, SigHandler::SigDfl);
        }
    }
}

/// SIGPIPE is trapped (its trap runs) rather than at its default (the
/// shell dies of it), while `on_sigpipe` is its handler.
static PIPE_TRAPPED: AtomicBool = AtomicBool::new(false);

/// SIGPIPE's handler whenever the shell does not ignore it. The kernel
/// raises SIGPIPE in a thread that writes to a pipe without a reader; the
/// shell's own writes are shell code of some context (maybe a pipeline
/// stage or subshell), which sees EPIPE and ends as that context would
/// (`Shell::print_bytes`), so the signal itself is let go. Any other
/// SIGPIPE (from another process, or from `kill`, which sends its own
/// process a `SI_QUEUE` signal) acts as the disposition says: the trap's
/// flag, or death by SIGPIPE.
extern "C" fn on_sigpipe(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    if raised_by_own_write(info) {
        return;
    }
    if PIPE_TRAPPED.load(Ordering::SeqCst) {
        note_trapped(sig);
        return;
    }
    // SAFETY: resetting to the default disposition and re-raising are
    // async-signal-safe; the signal stays blocked until the handler
    // returns, and then kills the process as it would have.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// The kernel's own SIGPIPE for a write is `SI_USER` from this process.
fn raised_by_own_write(info: *const libc::siginfo_t) -> bool {
    if info.is_null() {
        return false;
    }
    // SAFETY: the kernel hands an `SA_SIGINFO` handler a valid siginfo;
    // for `SI_USER` its pid field is the sender's.
    let (code, pid) = unsafe { ((*info).si_code, (*info).si_pid()) };
    code == libc::SI_USER && pid == nix::unistd::getpid().as_raw()
}

/// Ends the process by `sig` at its default disposition, as a process
/// whose write met a pipe without a reader dies of SIGPIPE.
pub fn die_of(sig: Signal) -> ! {
    use nix::sys::signal::{SigmaskHow, pthread_sigmask};
    set_handler(sig, SigHandler::SigDfl);
    let mut set = SigSet::empty();
    set.add(sig);
    let _ = pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&set), None);
    let _ = nix::sys::signal::raise(sig);
    // Not reached for a fatal signal; the status a parent would see.
    std::process::exit(128 + sig as i32)
}

/// One flag per signal number: caught and not yet handled by its trap.
static PENDING: [AtomicBool; 65] = [const { AtomicBool::new(false) }; 65];
/// Any flag in `PENDING` is set (a cheap check between commands).
static ANY_PENDING: AtomicBool = AtomicBool::new(false);

extern "C" fn note_trapped(sig: libc::c_int) {
    if let Some(flag) = usize::try_from(sig).ok().and_then(|i| PENDING.get(i)) {
        flag.store(true, Ordering::SeqCst);
        ANY_PENDING.store(true, Ordering::SeqCst);
    }
}

/// Marks `sig` caught, for its trap to run between commands, as if it
/// had been delivered to the shell.
pub fn note_trapped_signal(sig: i32) {
    note_trapped(sig);
}

/// The first trapped signal caught and not yet handled, without clearing
/// it (its trap still runs between commands).
pub fn first_pending() -> Option<i32> {
    if !ANY_PENDING.load(Ordering::SeqCst) {
        return None;
    }
    (1..PENDING.len())
        .find(|&i| PENDING[i].load(Ordering::SeqCst))
        .map(|i| i as i32)
}

/// Blocks until every one of `pidfds` is readable (its process ended) —
/// or, with `any`, the first one — or a trapped signal is caught:
/// `Err(signal)` then. POSIX: `wait` returns at once with 128 + the
/// signal, and the trap runs. Signals are blocked around the check and let
/// in only inside `ppoll`, so none slips between the two. Without
/// `interruptible` (an in-process subshell: the signal was sent to the
/// shell, not to it) caught signals are left for the shell.
pub fn await_exits(pidfds: &[OwnedFd], any: bool, interruptible: bool) -> Result<(), i32> {
    use nix::poll::{PollFd, PollFlags, ppoll};
    use nix::sys::signal::{SigmaskHow, pthread_sigmask};
    let mut old = SigSet::empty();
    let _ = pthread_sigmask(
        SigmaskHow::SIG_SETMASK,
        Some(&SigSet::all()),
        Some(&mut old),
    );
    let mut open: Vec<&OwnedFd> = pidfds.iter().collect();
    let result = loop {
        if let Some(sig) = first_pending().filter(|_| interruptible) {
            break Err(sig);
        }
        if open.is_empty() {
            break Ok(());
        }
        let mut fds: Vec<PollFd> = open
            .iter()
            .map(|fd| PollFd::new(fd.as_fd(), PollFlags::POLLIN))
            .collect();
        match ppoll(&mut fds, None, Some(old)) {
            Ok(_) => {
                let ended: Vec<bool> = fds
                    .iter()
                    .map(|f| f.revents().is_some_and(|r| !r.is_empty()))
                    .collect();
                if any && ended.contains(&true) {
                    break Ok(());
                }
                let mut i = 0;
                open.retain(|_| {
                    i += 1;
                    !ended[i - 1]
                });
            }
            Err(nix::errno::Errno::EINTR) => {}
            Err(_) => break Ok(()),
        }
    };
    let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    result
}

/// Signals caught since the last call, in number order (clears them).
pub fn take_pending() -> Vec<i32> {
    if !ANY_PENDING.swap(false, Ordering::SeqCst) {
        return Vec::new();
    }
    (1..PENDING.len())
        .filter(|&i| PENDING[i].swap(false, Ordering::SeqCst))
        .map(|i| i as i32)
        .collect()
}

/// What the shell itself does on a signal, as `trap` sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    /// Note it for the trap to run between commands.
    Trap,
    /// Ignore it (`trap '' SIG`); children inherit the ignore.
    Ignore,
    /// The shell's own default for its mode (`trap - SIG`).
    Default,
}

/// Applies a `trap` to the shell process.
pub fn set_disposition(sig: i32, disposition: Disposition, interactive: bool) {
    let Ok(signal) = Signal::try_from(sig) else {
        return;
    };
    if matches!(signal, Signal::SIGKILL | Signal::SIGSTOP) {
        return;
    }
    if signal == Signal::SIGPIPE && disposition != Disposition::Ignore {
        PIPE_TRAPPED.store(disposition == Disposition::Trap, Ordering::SeqCst);
        set_handler(signal, SigHandler::SigAction(on_sigpipe));
        return;
    }
    let handler = match disposition {
        Disposition::Trap => SigHandler::Handler(note_trapped),
        Disposition::Ignore => SigHandler::SigIgn,
        Disposition::Default if interactive && signal == Signal::SIGINT => {
            SigHandler::Handler(note_interrupt)
        }
        Disposition::Default
            if interactive
                && matches!(
                    signal,
                    Signal::SIGQUIT
                        | Signal::SIGTERM
                        | Signal::SIGTSTP
                        | Signal::SIGTTIN
                        | Signal::SIGTTOU
                ) =>
        {
            SigHandler::SigIgn
        }
        Disposition::Default => SigHandler::SigDfl,
    };
    set_handler(signal, handler);
}

/// Process groups of the interactive shell's jobs, readable from a signal
/// handler (0 = free slot).
static JOB_GROUPS: [std::sync::atomic::AtomicI32; 128] =
    [const { std::sync::atomic::AtomicI32::new(0) }; 128];

/// Remembers a job's process group, for SIGHUP forwarding.
pub fn register_group(pgid: i32) {
    for slot in &JOB_GROUPS {
        if slot
            .compare_exchange(0, pgid, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
        {
            return;
        }
    }
}

/// Forgets a job's process group.
pub fn unregister_group(pgid: i32) {
    for slot in &JOB_GROUPS {
        let _ = slot.compare_exchange(pgid, 0, Ordering::SeqCst, Ordering::SeqCst);
    }
}

extern "C" fn forward_hangup(sig: libc::c_int) {
    // Only async-signal-safe calls: kill, sigaction (through signal), raise.
    for slot in &JOB_GROUPS {
        let pgid = slot.load(Ordering::SeqCst);
        if pgid > 0 {
            // SAFETY: kill(2) is async-signal-safe and takes plain integers.
            unsafe {
                libc::kill(-pgid, libc::SIGHUP);
                libc::kill(-pgid, libc::SIGCONT);
            }
        }
    }
    // SAFETY: resetting to the default disposition and re-raising are
    // async-signal-safe; the shell then dies of SIGHUP as it would have.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}

/// An interactive shell forwards a hangup to its jobs before dying of it.
pub fn forward_hangups() {
    set_handler(Signal::SIGHUP, SigHandler::Handler(forward_hangup));
}

/// What a signal did, in the C library's words (`strsignal`), as bash
/// reports a job that died of it: `Terminated`, `Killed`, `Quit`.
pub fn description(n: i32) -> String {
    const WORDS: [&str; 31] = [
        "Hangup",
        "Interrupt",
        "Quit",
        "Illegal instruction",
        "Trace/breakpoint trap",
        "Aborted",
        "Bus error",
        "Floating point exception",
        "Killed",
        "User defined signal 1",
        "Segmentation fault",
        "User defined signal 2",
        "Broken pipe",
        "Alarm clock",
        "Terminated",
        "Stack fault",
        "Child exited",
        "Continued",
        "Stopped (signal)",
        "Stopped",
        "Stopped (tty input)",
        "Stopped (tty output)",
        "Urgent I/O condition",
        "CPU time limit exceeded",
        "File size limit exceeded",
        "Virtual timer expired",
        "Profiling timer expired",
        "Window changed",
        "I/O possible",
        "Power failure",
        "Bad system call",
    ];
    match usize::try_from(n - 1).ok().and_then(|i| WORDS.get(i)) {
        Some(words) => (*words).to_string(),
        None => format!("Real-time signal {}", n - libc::SIGRTMIN()),
    }
}

/// A signal's name without `SIG` (`EXIT` for 0, `RTMIN+2` for real-time).
pub fn bare_name(n: i32) -> Option<String> {
    if n == 0 {
        return Some("EXIT".to_string());
    }
    if let Ok(sig) = Signal::try_from(n) {
        return Some(sig.as_str().trim_start_matches("SIG").to_string());
    }
    let (min, max) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    if !(min..=max).contains(&n) {
        return None;
    }
    let middle = min + (max - min) / 2;
    Some(match n {
        n if n == min => "RTMIN".to_string(),
        n if n == max => "RTMAX".to_string(),
        n if n <= middle => format!("RTMIN+{}", n - min),
        n => format!("RTMAX-{}", max - n),
    })
}
