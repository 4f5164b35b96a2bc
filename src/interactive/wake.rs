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
//!
//! A wake-up is raised only while the editor waits for a key, never while
//! it paints. crossterm (0.29) waits for the terminal and for its SIGWINCH
//! pipe in one edge-triggered epoll set, and when one wait reports both it
//! returns the resize and forgets that the terminal was readable too: what
//! had arrived there is not seen until more arrives. The editor asks the
//! terminal where the cursor is (`ESC [6n`) as it paints a prompt and
//! after each resize; a wake-up landing with the answer left the answer
//! unread, the editor gave up after 2 s, and the next prompt read the
//! stale answer and was drawn a row off. So the watcher raises SIGWINCH
//! only between [`EditorWake::waiting`] (the editor is about to wait) and
//! [`EditorWake::busy`] (it read an event), once per wait; a wake-up asked
//! for while the editor is busy is owed, and raised by the editor itself
//! when it next waits, with nothing of its own in flight.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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
    /// When a wake-up may be raised.
    gate: Mutex<Gate>,
}

/// Whether the editor waits for a key, and whether it is owed a wake-up.
#[derive(Default)]
struct Gate {
    /// The editor waits (or is about to) and no wake-up is on its way:
    /// raising SIGWINCH now cannot meet a cursor-position answer.
    waiting: bool,
    /// A wake-up was asked for while the editor was busy.
    owed: bool,
}

impl EditorWake {
    /// Called on the watcher's thread after a notice was queued.
    pub fn notify(&self) {
        self.request();
    }

    /// Asks for a wake-up: at once if the editor waits for a key, else
    /// when it next does. False when SIGWINCH is trapped.
    fn request(&self) -> bool {
        if !self.0.free.load(Ordering::SeqCst) {
            return false;
        }
        let mut gate = self.gate();
        if std::mem::take(&mut gate.waiting) {
            raise_sigwinch();
        } else {
            gate.owed = true;
        }
        true
    }

    /// Called by the editor right before it waits for a key (reedline
    /// polls its completer there, once per turn of its input loop): pays
    /// an owed wake-up, or lets the watcher raise one.
    pub fn waiting(&self) {
        let mut gate = self.gate();
        if std::mem::take(&mut gate.owed) && self.0.free.load(Ordering::SeqCst) {
            // Caught before the wait starts: the wait ends at once, with
            // no cursor-position question asked.
            raise_sigwinch();
        } else {
            gate.waiting = true;
        }
    }

    /// Called as the editor handles an event it read: from here to its
    /// next wait it may paint and ask where the cursor is.
    pub fn busy(&self) {
        self.gate().waiting = false;
    }

    fn gate(&self) -> MutexGuard<'_, Gate> {
        self.0.gate.lock().unwrap_or_else(|e| e.into_inner())
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
        // Notices queued before the line are printed as it starts.
        *self.gate() = Gate::default();
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
        if !self.request() {
            self.0.submit.store(false, Ordering::SeqCst);
        }
    }

    /// Whether a wake-up is the one [`EditorWake::submit_soon`] asked for.
    pub fn take_submit(&self) -> bool {
        self.0.submit.swap(false, Ordering::SeqCst)
    }
}

/// Wakes the editor: crossterm's SIGWINCH handler writes to the pipe its
/// wait watches (the size has not changed).
fn raise_sigwinch() {
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH);
}
