//! Watching background jobs from a thread, so that an interactive shell can
//! announce `[1]+  Done  sleep 1` the moment a job ends — while the user is
//! editing a line — instead of at the next prompt.
//!
//! The watcher holds duplicates of the members' pidfds (a pidfd becomes
//! readable when its process exits) and peeks at exit statuses with
//! `WNOWAIT`, so the shell still reaps its children itself.

use std::collections::HashSet;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::wait::{Id, WaitPidFlag, waitid};

/// Where announcements go (the line editor's external printer).
pub type Announce = Box<dyn Fn(String) + Send>;

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
}

/// The watcher thread's handle.
pub struct Watcher {
    jobs: Mutex<Sender<Message>>,
    wake: OwnedFd,
    /// Jobs already announced, so the prompt-time notice is skipped.
    announced: Arc<Mutex<HashSet<usize>>>,
    /// `set -b`: announce at once; otherwise leave it to the prompt.
    pub at_once: Arc<AtomicBool>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

impl Watcher {
    /// Starts the thread; `announce` receives one line per finished job.
    pub fn start(announce: Announce) -> Option<Watcher> {
        let (wake_read, wake) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).ok()?;
        let (tx, rx) = channel();
        let announced = Arc::new(Mutex::new(HashSet::new()));
        let at_once = Arc::new(AtomicBool::new(true));
        let state = (Arc::clone(&announced), Arc::clone(&at_once));
        std::thread::Builder::new()
            .name("pidsh-jobs".into())
            .stack_size(128 << 10)
            .spawn(move || run(rx, wake_read, announce, state.0, state.1))
            .ok()?;
        Some(Watcher {
            jobs: Mutex::new(tx),
            wake,
            announced,
            at_once,
        })
    }

    /// Watches a new background job (its pidfds are duplicated).
    pub fn watch(&self, number: usize, text: &str, pidfds: Vec<OwnedFd>) {
        self.send(Message::Watch(Watched {
            number,
            text: text.to_string(),
            pidfds,
        }));
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

    /// Whether job `number` was announced already (and forgets it).
    pub fn take_announced(&self, number: usize) -> bool {
        self.announced
            .lock()
            .map(|mut set| set.remove(&number))
            .unwrap_or(false)
    }
}

fn run(
    rx: Receiver<Message>,
    wake: OwnedFd,
    announce: Announce,
    announced: Arc<Mutex<HashSet<usize>>>,
    at_once: Arc<AtomicBool>,
) {
    let mut jobs: Vec<Watched> = Vec::new();
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
            let mut buf = [0u8; 64];
            if matches!(nix::unistd::read(&wake, &mut buf), Ok(0)) {
                return;
            }
            for message in rx.try_iter() {
                match message {
                    Message::Watch(job) => jobs.push(job),
                    Message::Forget(number) => jobs.retain(|j| j.number != number),
                }
            }
        }
        let mut still = Vec::new();
        for job in jobs.drain(..) {
            if !job.pidfds.iter().all(exited) {
                still.push(job);
                continue;
            }
            if at_once.load(Ordering::SeqCst) {
                let status = job.pidfds.last().and_then(peek_status).unwrap_or(0);
                if let Ok(mut set) = announced.lock() {
                    set.insert(job.number);
                }
                announce(super::notice_line(job.number, status, &job.text));
            }
        }
        jobs = still;
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
