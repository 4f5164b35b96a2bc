//! The shell's own signal dispositions.
//!
//! Non-interactive: note which signals were ignored on entry (they stay
//! ignored for children, POSIX 2.11). Interactive: the shell ignores
//! SIGQUIT, SIGTERM and the job-control stops, and turns SIGINT into a
//! flag that running shell code polls; children get the defaults back
//! through `SigDefault` ops.

use std::sync::atomic::{AtomicBool, Ordering};

use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};

use crate::exec::Shell;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn note_interrupt(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

/// Whether SIGINT arrived since the last call (and clears the flag).
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Ordering::SeqCst)
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
    // SAFETY: the only handler installed is `note_interrupt`, which only
    // stores to an atomic (async-signal-safe).
    let _ = unsafe { sigaction(sig, &action) };
}

/// Sets up the shell's dispositions for its mode.
pub fn setup(sh: &mut Shell, interactive: bool) {
    const WATCHED: [Signal; 6] = [
        Signal::SIGINT,
        Signal::SIGQUIT,
        Signal::SIGTERM,
        Signal::SIGHUP,
        Signal::SIGUSR1,
        Signal::SIGUSR2,
    ];
    for sig in WATCHED {
        if current_handler(sig) == Some(SigHandler::SigIgn) && !interactive {
            sh.ignored_signals.push(sig as i32);
        }
    }
    if interactive {
        set_handler(Signal::SIGINT, SigHandler::Handler(note_interrupt));
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
}
