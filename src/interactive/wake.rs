//! How the line editor hears of a finished background job without waking
//! up on a timer.
//!
//! reedline reads its external printer (where the job watcher puts
//! `[1]+  Done …`) only between terminal events, and with a printer it
//! polls for events on a timer (ten times a second by default), so an idle
//! prompt would never sleep. Instead the editor waits without a timeout,
//! and the watcher, having queued a notice, raises SIGWINCH on its own
//! thread: crossterm's SIGWINCH handler wakes the editor, which prints the
//! notice and redraws the line (the size has not changed). While `trap`
//! takes SIGWINCH over, crossterm no longer hears it, and the timer is
//! used again.
//!
//! The same wake-up lets Enter in a Ctrl-R search run the line it found,
//! as in bash: reedline's search only puts the line in the buffer, so the
//! key handling asks for a wake-up and reads it as Enter once more.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::exec::Shell;

/// The editor's wait for input when SIGWINCH wakes it: a day, in effect
/// for ever.
const UNTIMED: Duration = Duration::from_secs(24 * 60 * 60);

/// reedline's own interval, for when SIGWINCH is trapped.
const TIMED: Duration = Duration::from_millis(100);

/// What the editor's wake-ups share with the job watcher's thread and
/// the key handling ([`super::keys`]).
#[derive(Clone, Default)]
pub struct EditorWake(Arc<State>);

#[derive(Default)]
struct State {
    /// The watcher may wake the editor with SIGWINCH (no `trap` on it).
    free: AtomicBool,
    /// A history search is open (Ctrl-R).
    searching: AtomicBool,
    /// Enter accepted a search's line: the wake-up that follows submits it.
    submit: AtomicBool,
}

impl EditorWake {
    /// Called on the watcher's thread after a notice was queued.
    pub fn notify(&self) {
        self.raise();
    }

    /// Wakes the editor; false when SIGWINCH is trapped.
    fn raise(&self) -> bool {
        let free = self.0.free.load(Ordering::SeqCst);
        if free {
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH);
        }
        free
    }

    /// Before each line: no search open, nothing to submit, and how long
    /// the editor may wait for a key: for ever while SIGWINCH reaches
    /// crossterm's handler — not trapped, and the handler in place (it is
    /// installed by the first read; `trap - WINCH` removes it for good).
    pub fn new_line(&self, sh: &Shell, first: bool) -> Duration {
        self.0.searching.store(false, Ordering::SeqCst);
        self.0.submit.store(false, Ordering::SeqCst);
        let handled = first || crate::sys::signal_caught(nix::sys::signal::Signal::SIGWINCH);
        let free = handled && !sh.state.traps.contains_key(&libc::SIGWINCH);
        self.0.free.store(free, Ordering::SeqCst);
        if free { UNTIMED } else { TIMED }
    }

    /// Whether a history search is open.
    pub fn searching(&self) -> bool {
        self.0.searching.load(Ordering::SeqCst)
    }

    /// A history search opened or closed.
    pub fn set_searching(&self, on: bool) {
        self.0.searching.store(on, Ordering::SeqCst);
    }

    /// Enter accepted a search's line: asks for a wake-up to submit it.
    pub fn submit_soon(&self) {
        self.0.submit.store(true, Ordering::SeqCst);
        if !self.raise() {
            self.0.submit.store(false, Ordering::SeqCst);
        }
    }

    /// Whether a wake-up is the one [`EditorWake::submit_soon`] asked for.
    pub fn take_submit(&self) -> bool {
        self.0.submit.swap(false, Ordering::SeqCst)
    }
}
