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

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::exec::Shell;

/// The editor's wait for input when SIGWINCH wakes it: a day, in effect
/// for ever.
const UNTIMED: Duration = Duration::from_secs(24 * 60 * 60);

/// reedline's own interval, for when SIGWINCH is trapped.
const TIMED: Duration = Duration::from_millis(100);

/// Whether the watcher may wake the editor with SIGWINCH (no `trap` on
/// it), shared with the watcher's thread.
#[derive(Clone, Default)]
pub struct EditorWake(Arc<AtomicBool>);

impl EditorWake {
    /// Called on the watcher's thread after a notice was queued.
    pub fn notify(&self) {
        if self.0.load(Ordering::SeqCst) {
            let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH);
        }
    }

    /// Before each line: how long the editor may wait for a key, as the
    /// traps now allow.
    pub fn poll_interval(&self, sh: &Shell) -> Duration {
        let free = !sh.state.traps.contains_key(&libc::SIGWINCH);
        self.0.store(free, Ordering::SeqCst);
        if free { UNTIMED } else { TIMED }
    }
}
