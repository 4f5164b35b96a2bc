//! Watching background jobs from a thread, so that an interactive shell can
//! announce `[1]+  Done  sleep 1` the moment a job ends — while the user is
//! editing a line — instead of at the next prompt.
//!
//! The watcher holds duplicates of the members' pidfds (a pidfd becomes
//! readable when its process exits) and peeks at exit statuses with
//! `WNOWAIT`, so the shell still reaps its children itself.
//!
//! It announces only while the editor reads a line: a job that ends while
//! a command runs is held, and the shell reports it before drawing the
//! next prompt, as bash does — a notice queued for the editor would be
//! drawn after the prompt, above a command's output. Who reports a job is
//! settled by its [`Claim`]: the first of the watcher and the shell to
//! take it, so no job is reported twice or never. A notice claimed goes
//! to the editor only when it can take it (it waits for a key); until
//! then the watcher keeps it, and the editor pokes the watcher ([`Poke`])
//! when it next waits.

use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{Id, WaitPidFlag, waitid};

/// Where announcements go: the line editor, which takes notices only
/// while it waits for a key (see `interactive/wake.rs`).
pub trait Announcer: Send {
    /// Hands `notices` to the editor if it can take them now, and wakes
    /// it to print them; gives back those it could not take. Whoever
    /// gives some back pokes the watcher ([`Poke`]) when they can go.
    fn offer(&mut self, notices: Vec<String>) -> Vec<String>;
}

/// The right to report a job's end, shared by the job and the watcher:
/// whoever takes it first reports.
pub type Claim = Arc<AtomicBool>;

/// Takes `claim`; true when no one had.
pub fn take_claim(claim: &Claim) -> bool {
    !claim.swap(true, Ordering::SeqCst)
}

/// What the shell tells the watcher.
enum Message {
    /// Watch a new background job.
    Watch(Watched),
    /// Stop watching job N (`disown`): it is announced no more.
    Forget(usize),
}

/// A job handed to the watcher.
struct Watched {
    number: usize,
    text: String,
    pidfds: Vec<OwnedFd>,
    claim: Claim,
}

/// The watcher thread's handle.
pub struct Watcher {
    jobs: Mutex<Sender<Message>>,
    wake: OwnedFd,
    /// The editor is reading a line and `set -b` is on: announce at once;
    /// otherwise hold ended jobs for the shell's prompt-time report.
    at_once: Arc<AtomicBool>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

impl Watcher {
    /// Starts the thread; `announcer` is offered a line per finished job.
    pub fn start(announcer: Box<dyn Announcer>) -> Option<Watcher> {
        // Non-blocking: a watcher busy handing notices to the editor
        // must never stall the shell starting jobs.
        let flags = nix::fcntl::OFlag::O_CLOEXEC | nix::fcntl::OFlag::O_NONBLOCK;
        let (wake_read, wake) = nix::unistd::pipe2(flags).ok()?;
        let (tx, rx) = channel();
        let at_once = Arc::new(AtomicBool::new(false));
        let watcher_at_once = Arc::clone(&at_once);
        std::thread::Builder::new()
            .name("pidsh-jobs".into())
            .stack_size(128 << 10)
            .spawn(move || run(rx, wake_read, announcer, watcher_at_once))
            .ok()?;
        Some(Watcher {
            jobs: Mutex::new(tx),
            wake,
            at_once,
        })
    }

    /// Watches a new background job (its pidfds are duplicated).
    pub fn watch(&self, number: usize, text: &str, pidfds: Vec<OwnedFd>, claim: Claim) {
        self.send(Message::Watch(Watched {
            number,
            text: text.to_string(),
            pidfds,
            claim,
        }));
    }

    /// Announce at once from now on (the editor reads a line, `set -b`),
    /// or hold ended jobs for the prompt (a command runs). Held jobs are
    /// announced when it turns on, unless the shell reported them first.
    pub fn set_at_once(&self, on: bool) {
        let was = self.at_once.swap(on, Ordering::SeqCst);
        if on && !was {
            let _ = nix::unistd::write(&self.wake, b"a");
        }
    }

    /// A handle that makes the watcher offer its notices again (on a
    /// descriptor out of the way of the user's).
    pub fn poke_handle(&self) -> Option<Poke> {
        crate::sys::fd::dup_high(self.wake.as_raw_fd())
            .ok()
            .map(Poke)
    }

    /// Stops watching job `number` (it left the table without ending).
    pub fn forget(&self, number: usize) {
        self.send(Message::Forget(number));
    }

    fn send(&self, message: Message) {
        if let Ok(tx) = self.jobs.lock()
            && tx.send(message).is_ok()
        {
            let _ = nix::unistd::write(&self.wake, b"j");
        }
    }
}

/// Wakes the watcher to offer the notices it holds once more.
pub struct Poke(OwnedFd);

impl Poke {
    /// The editor can take notices now.
    pub fn poke(&self) {
        let _ = nix::unistd::write(&self.0, b"p");
    }
}

fn run(
    rx: Receiver<Message>,
    wake: OwnedFd,
    mut announcer: Box<dyn Announcer>,
    at_once: Arc<AtomicBool>,
) {
    let mut jobs: Vec<Watched> = Vec::new();
    // Ended while a command ran: the shell reports them unless the editor
    // is reading again first.
    let mut held: Vec<Ended> = Vec::new();
    // Claimed, and not yet taken by the editor.
    let mut told: Vec<String> = Vec::new();
    loop {
        let mut fds = vec![PollFd::new(wake.as_fd(), PollFlags::POLLIN)];
        for job in &jobs {
            for fd in &job.pidfds {
                fds.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
            }
        }
        if poll(&mut fds, PollTimeout::NONE).is_err() {
            continue;
        }
        let woken = fds[0].revents().is_some_and(|r| !r.is_empty());
        drop(fds);
        if woken {
            if !drain_wake(&wake) {
                return;
            }
            for message in rx.try_iter() {
                match message {
                    Message::Watch(job) => jobs.push(job),
                    Message::Forget(number) => {
                        jobs.retain(|j| j.number != number);
                        held.retain(|j| j.number != number);
                    }
                }
            }
        }
        let (ended, running): (Vec<Watched>, Vec<Watched>) = std::mem::take(&mut jobs)
            .into_iter()
            .partition(|job| job.pidfds.iter().all(exited));
        jobs = running;
        held.extend(ended.into_iter().map(Ended::from));
        // Reported by the shell already: nothing left to do.
        held.retain(|job| !job.claim.load(Ordering::SeqCst));
        if at_once.load(Ordering::SeqCst) {
            let won = held.drain(..).filter(|job| take_claim(&job.claim));
            told.extend(won.map(|job| job.notice));
        }
        if !told.is_empty() {
            told = announcer.offer(std::mem::take(&mut told));
        }
    }
}

/// A watched job that has ended, its pidfds closed.
struct Ended {
    number: usize,
    notice: String,
    claim: Claim,
}

impl From<Watched> for Ended {
    fn from(job: Watched) -> Ended {
        let status = job.pidfds.last().and_then(peek_status).unwrap_or(0);
        Ended {
            number: job.number,
            notice: super::notice_line(job.number, status, &job.text),
            claim: job.claim,
        }
    }
}

/// Empties the wake pipe; false when the shell's end is closed.
fn drain_wake(wake: &OwnedFd) -> bool {
    let mut buf = [0u8; 64];
    loop {
        match nix::unistd::read(wake, &mut buf) {
            Ok(0) => return false,
            Ok(n) if n == buf.len() => continue,
            Ok(_) | Err(_) => return true,
        }
    }
}

/// A pidfd is readable once its process has exited.
fn exited(fd: &OwnedFd) -> bool {
    let mut one = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
    matches!(poll(&mut one, PollTimeout::ZERO), Ok(n) if n > 0)
}

/// The exit status without reaping (`WNOWAIT`): the shell reaps later.
fn peek_status(fd: &OwnedFd) -> Option<i32> {
    let status = waitid(
        Id::PIDFd(fd.as_fd()),
        WaitPidFlag::WEXITED | WaitPidFlag::WNOWAIT | WaitPidFlag::WNOHANG,
    )
    .ok()?;
    super::shell_status(status)
}
