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
//! pipe in one edge-triggered epoll set, and when one wait reports both,
//! the pipe first, it returns the resize and forgets that the terminal was
//! readable too: what had arrived there is not seen until more arrives.
//! The editor asks the terminal where the cursor is (`ESC [6n`) as it
//! paints a prompt and after each resize; a wake-up landing with the
//! answer left the answer unread, the editor gave up after 2 s, and the
//! next prompt read the stale answer and was drawn a row off. So notices
//! are handed over only between [`EditorWake::waiting`] (the editor is
//! about to wait, with no key read ahead) and [`EditorWake::busy`] (it
//! read an event), once per wait, and the wake-up follows them at once;
//! the watcher holds the notices that come while the editor is busy, and
//! is poked to offer them again when it next waits. A notice is thus
//! never printed before its wake-up comes, and no wake-up comes without
//! one to print. Left to crossterm: a real resize, or a key typed in the
//! very instant a wake-up is raised, can still meet an answer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use crate::exec::Shell;
use crate::jobs::watch::{Announcer, Poke};

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
    /// Makes the watcher offer the notices it holds.
    poke: OnceLock<Poke>,
}

/// Whether the editor waits for a key, and what it owes when it next does.
#[derive(Default)]
struct Gate {
    /// The editor waits (or is about to) and no wake-up is on its way:
    /// raising SIGWINCH now cannot meet a cursor-position answer.
    waiting: bool,
    /// The watcher holds notices: poke it when the editor next waits.
    notices_owed: bool,
    /// A search's Enter asked for a wake-up while the editor was busy.
    submit_owed: bool,
}

impl EditorWake {
    /// The watcher to poke when the editor can take its notices.
    pub fn set_poke(&self, poke: Poke) {
        let _ = self.0.poke.set(poke);
    }

    /// Called by the editor right before it waits for a key (reedline
    /// polls its completer there, once per turn of its input loop).
    pub fn waiting(&self) {
        if crossterm::event::poll(Duration::ZERO).unwrap_or(false) {
            // A key already read (typed ahead) or readable: the editor
            // will not wait, and a wake-up raised now would still be on
            // its way when it next asks where the cursor is.
            return;
        }
        let mut gate = self.gate();
        if std::mem::take(&mut gate.submit_owed) && self.free() {
            // Caught before the wait starts: the wait ends at once, with
            // no cursor-position question asked.
            raise_sigwinch();
            return;
        }
        gate.waiting = true;
        if std::mem::take(&mut gate.notices_owed)
            && let Some(poke) = self.0.poke.get()
        {
            poke.poke();
        }
    }

    /// Called as the editor handles an event it read: from here to its
    /// next wait it may paint and ask where the cursor is.
    pub fn busy(&self) {
        self.gate().waiting = false;
    }

    /// Whether notices may be handed over now, taking the editor's wait
    /// for them; if not, the watcher is poked when they may.
    fn reserve(&self) -> bool {
        if !self.free() {
            // The editor polls the printer on its timer.
            return true;
        }
        let mut gate = self.gate();
        let waiting = std::mem::take(&mut gate.waiting);
        if !waiting {
            gate.notices_owed = true;
        }
        waiting
    }

    fn owe_notices(&self) {
        self.gate().notices_owed = true;
    }

    /// Wakes the editor that [`EditorWake::reserve`] found waiting.
    fn wake_reserved(&self) {
        if self.free() {
            raise_sigwinch();
        }
    }

    fn free(&self) -> bool {
        self.0.free.load(Ordering::SeqCst)
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
        let mut gate = self.gate();
        gate.waiting = false;
        gate.submit_owed = false;
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

    /// Enter accepted a search's line: asks for a wake-up to submit it,
    /// raised when the editor next waits.
    pub fn submit_soon(&self) {
        if self.free() {
            self.0.submit.store(true, Ordering::SeqCst);
            self.gate().submit_owed = true;
        }
    }

    /// Whether a wake-up is the one [`EditorWake::submit_soon`] asked for.
    pub fn take_submit(&self) -> bool {
        self.0.submit.swap(false, Ordering::SeqCst)
    }
}

/// The job watcher's way to the editor: reedline's external printer,
/// used only while the editor waits for a key.
pub struct EditorNotices {
    wake: EditorWake,
    printer: SyncSender<String>,
}

impl EditorNotices {
    /// Notices for `printer`, handed over as `wake` allows.
    pub fn new(wake: EditorWake, printer: SyncSender<String>) -> EditorNotices {
        EditorNotices { wake, printer }
    }
}

impl Announcer for EditorNotices {
    fn offer(&mut self, notices: Vec<String>) -> Vec<String> {
        if !self.wake.reserve() {
            return notices;
        }
        let mut rest = Vec::new();
        for notice in notices {
            if !rest.is_empty() {
                rest.push(notice);
                continue;
            }
            match self.printer.try_send(notice) {
                Ok(()) | Err(TrySendError::Disconnected(_)) => {}
                // The printer is full: the rest after the editor has
                // printed these.
                Err(TrySendError::Full(notice)) => rest.push(notice),
            }
        }
        if !rest.is_empty() {
            self.wake.owe_notices();
        }
        self.wake.wake_reserved();
        rest
    }
}

/// Wakes the editor: crossterm's SIGWINCH handler writes to the pipe its
/// wait watches (the size has not changed).
fn raise_sigwinch() {
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGWINCH);
}
