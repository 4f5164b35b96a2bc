//! Jobs: children started by the shell, waited for through their pidfds.
//!
//! Owns the job table (background jobs, `$!`, `wait`) and the translation
//! of wait results into shell statuses. Exits are read with
//! `waitid(P_PIDFD, …)`; where the kernel gave no pidfd, `waitid(P_PID, …)`.

use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::Pid;

pub mod signals;
pub mod terminal;
pub mod watch;

use crate::spawn::Child;

/// One process of a job.
#[derive(Debug)]
pub struct Process {
    /// Its pid.
    pub pid: Pid,
    /// Its pidfd, if the kernel gave one.
    pub pidfd: Option<OwnedFd>,
    /// Its shell status once it ended.
    pub status: Option<i32>,
}

impl From<Child> for Process {
    fn from(child: Child) -> Process {
        Process {
            pid: child.pid,
            pidfd: child.pidfd,
            status: None,
        }
    }
}

/// A background or stopped job.
#[derive(Debug)]
pub struct Job {
    /// Job number (`%1`).
    pub number: usize,
    /// The processes, in pipeline order.
    pub processes: Vec<Process>,
    /// The command text, for `jobs`.
    pub text: String,
    /// Its process group, under job control.
    pub pgid: Option<Pid>,
    /// Stopped (Ctrl-Z, SIGTTIN, …) rather than running.
    pub stopped: bool,
    /// The terminal modes it had when it stopped, given back on `fg`.
    pub modes: Option<nix::sys::termios::Termios>,
    /// Taken by whoever reports its end: the watcher or the table.
    claim: watch::Claim,
}

/// How waiting for a foreground job ended.
#[derive(Debug)]
pub enum Foreground {
    /// Every process ended: their statuses, in pipeline order, and the
    /// signal that killed the last member killed by one, if any.
    Done(Vec<i32>, Option<Death>),
    /// The job stopped: its processes (some may have ended), to keep,
    /// and the signal that stopped it.
    Stopped(Vec<Process>, i32),
}

/// Waits for a foreground job's processes; with `stops`, a stopped member
/// ends the wait (pidfds report exits only, so stops come from
/// `waitid(WSTOPPED)` on each member).
pub fn wait_foreground(mut processes: Vec<Process>, stops: bool) -> Foreground {
    let mut death = None;
    for i in 0..processes.len() {
        if processes[i].status.is_some() {
            continue;
        }
        match wait_member(&processes[i], stops) {
            WaitStatus::Stopped(_, sig) => return Foreground::Stopped(processes, sig as i32),
            WaitStatus::Signaled(_, sig, core_dumped) => {
                death = Some(Death {
                    signal: sig as i32,
                    core_dumped,
                });
                processes[i].status = Some(128 + sig as i32);
            }
            status => processes[i].status = shell_status(status),
        }
    }
    let statuses = processes.iter().map(|p| p.status.unwrap_or(0)).collect();
    Foreground::Done(statuses, death)
}

/// How a process died of a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Death {
    /// The signal.
    pub signal: i32,
    /// It left a core file.
    pub core_dumped: bool,
}

impl Death {
    /// The keyboard's SIGINT or SIGQUIT, which the shell acts on as if
    /// it had received it (bash's rule: the job must have died *of* it).
    pub fn keyboard_signal(&self) -> Option<i32> {
        [libc::SIGINT, libc::SIGQUIT]
            .contains(&self.signal)
            .then_some(self.signal)
    }

    /// What an interactive shell says about it (bash): nothing for SIGINT
    /// and SIGPIPE, else `Terminated`, `Quit (core dumped)`, ….
    pub fn report(&self) -> Option<String> {
        if [libc::SIGINT, libc::SIGPIPE].contains(&self.signal) {
            return None;
        }
        let core = if self.core_dumped {
            " (core dumped)"
        } else {
            ""
        };
        Some(format!("{}{core}", signals::description(self.signal)))
    }
}

/// Blocks until the process ends or, with `stops`, stops; how.
fn wait_member(p: &Process, stops: bool) -> WaitStatus {
    let mut flags = WaitPidFlag::WEXITED;
    if stops {
        flags |= WaitPidFlag::WSTOPPED;
    }
    loop {
        let result = match &p.pidfd {
            Some(fd) => waitid(Id::PIDFd(fd.as_fd()), flags),
            None => waitid(Id::Pid(p.pid), flags),
        };
        match result {
            Ok(status @ WaitStatus::Stopped(..)) => return status,
            Ok(status) if shell_status(status).is_some() => return status,
            Ok(_) | Err(Errno::EINTR) => continue,
            Err(_) => return WaitStatus::Exited(p.pid, 127),
        }
    }
}

impl Job {
    /// Collects what its processes did since last asked, without blocking.
    fn refresh(&mut self) {
        for p in &mut self.processes {
            if p.status.is_some() {
                continue;
            }
            match try_wait(p) {
                Change::Ended(s) => {
                    // Reaped: the pidfd has nothing more to say.
                    p.status = Some(s);
                    p.pidfd = None;
                }
                Change::Stopped => self.stopped = true,
                Change::Continued => self.stopped = false,
                Change::Nothing => {}
            }
        }
    }

    /// Stops forwarding SIGHUP to the job's group (it left the table).
    fn release_group(&self) {
        if let Some(g) = self.pgid {
            signals::unregister_group(g.as_raw());
        }
    }

    /// `Running`, `Stopped`, `Done`, `Exit N` or the signal's description.
    pub fn state_text(&self) -> String {
        match self.status() {
            None if self.stopped => "Stopped".to_string(),
            None => "Running".to_string(),
            Some(s) => describe_end(s),
        }
    }

    /// The job's status: its last process's.
    pub fn status(&self) -> Option<i32> {
        if self.processes.iter().all(|p| p.status.is_some()) {
            self.processes.last().and_then(|p| p.status)
        } else {
            None
        }
    }
}

/// How many finished jobs a non-interactive shell keeps for `wait %N`.
const MAX_KEPT_FINISHED: usize = 1000;
/// How many statuses of finished processes are kept for `wait PID`
/// (POSIX asks for at least `CHILD_MAX`).
const MAX_REMEMBERED: usize = 8192;
/// Open pidfds below which adding a job never stops to collect.
const MIN_TIDY_AT: usize = 64;

/// The background jobs of a shell.
#[derive(Debug, Default)]
pub struct JobTable {
    jobs: Vec<Job>,
    /// The interactive shell's watcher, announcing finished jobs at once.
    watcher: Option<Arc<watch::Watcher>>,
    /// Lines about finished jobs, not yet shown.
    notices: Vec<String>,
    /// An interactive shell shows [`JobTable::take_notices`] at its
    /// prompt; other shells keep no notices.
    reporting: bool,
    /// Statuses of finished background processes not yet asked for by
    /// `wait PID` (the newest [`MAX_REMEMBERED`]).
    finished: Vec<(Pid, i32)>,
    /// Open pidfds at which adding a job first collects ended ones.
    tidy_at: usize,
    /// This table's `jobs` lines, made once for the subshells started
    /// while nothing changes (every `&mut self` method drops them).
    listing: std::sync::OnceLock<Arc<[JobLine]>>,
    /// The last process substitution started as a process: `$!` names
    /// it, and `wait $!` (or `wait`) waits for it, as in bash. Earlier
    /// ones become orphans, reaped without anyone waiting.
    procsub: Option<Process>,
    /// In a `$( )` or pipeline stage: the lines of the shell's jobs, which
    /// `jobs` shows there as bash does (`kill $(jobs -p)`); they are not
    /// this context's jobs (it cannot wait for or signal them by `%N`).
    inherited: Option<Arc<[JobLine]>>,
}

/// A job as `jobs` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLine {
    /// Its number (`%N`).
    pub number: usize,
    /// Its first process (its group leader under job control).
    pub pid: i32,
    /// The command text.
    pub text: String,
    /// `Running`, `Stopped`, `Done`, `Exit N` or the signal's description.
    pub state: String,
    /// Stopped rather than running or done (no ` &` after the text).
    pub stopped: bool,
    /// Its status once it has ended.
    pub ended: Option<i32>,
    /// `+` current, `-` previous, or a space.
    pub mark: char,
}

impl Clone for JobTable {
    /// A subshell starts with no jobs of its own: the parent's children are
    /// not its children. It keeps their lines, for `jobs`.
    fn clone(&self) -> JobTable {
        let lines = if self.jobs.is_empty() {
            self.inherited.clone()
        } else {
            Some(Arc::clone(
                self.listing.get_or_init(|| self.own_lines().into()),
            ))
        };
        JobTable {
            inherited: lines,
            ..JobTable::default()
        }
    }
}

impl JobTable {
    /// Adds a running background job; returns its number.
    pub fn add(&mut self, processes: Vec<Process>, text: String) -> usize {
        self.listing.take();
        self.add_job(processes, text, None, false)
    }

    /// Adds a job with its process group and state; returns its number.
    pub fn add_job(
        &mut self,
        processes: Vec<Process>,
        text: String,
        pgid: Option<Pid>,
        stopped: bool,
    ) -> usize {
        self.listing.take();
        self.forget_announced();
        self.tidy_if_crowded();
        let number = self.jobs.iter().map(|j| j.number).max().unwrap_or(0) + 1;
        if let Some(g) = pgid {
            signals::register_group(g.as_raw());
        }
        let claim = watch::Claim::default();
        if !stopped && let Some(w) = &self.watcher {
            let dups: Vec<OwnedFd> = processes
                .iter()
                .filter_map(|p| p.pidfd.as_ref().and_then(|fd| fd.try_clone().ok()))
                .filter_map(crate::sys::fd::keep_if_room)
                .collect();
            if dups.len() == processes.len() {
                w.watch(number, &text, dups, Arc::clone(&claim));
            }
        }
        self.jobs.push(Job {
            number,
            processes,
            text,
            pgid,
            stopped,
            modes: None,
            claim,
        });
        number
    }

    /// Announces finished background jobs at once through `watcher`.
    pub fn set_watcher(&mut self, watcher: watch::Watcher) {
        self.watcher = Some(Arc::new(watcher));
    }

    /// Whether finished jobs are announced at once: on while the editor
    /// reads a line under `set -b`, off while a command runs (the table
    /// reports them before the next prompt).
    pub fn announce_at_once(&self, on: bool) {
        if let Some(w) = &self.watcher {
            w.set_at_once(on);
        }
    }

    /// Takes job `number` out of the table (for `fg`).
    pub fn take(&mut self, number: usize) -> Option<Job> {
        self.listing.take();
        let index = self.jobs.iter().position(|j| j.number == number)?;
        Some(self.remove_at(index))
    }

    /// Removes the job at `index`; its group no longer gets a forwarded
    /// SIGHUP, and its end is not announced (`fg`, `wait %N` took it).
    fn remove_at(&mut self, index: usize) -> Job {
        let job = self.jobs.remove(index);
        watch::take_claim(&job.claim);
        job.release_group();
        job
    }

    /// Takes every finished job out of the table.
    fn take_finished(&mut self) -> Vec<Job> {
        let (done, running): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| j.status().is_some());
        self.jobs = running;
        for job in &done {
            job.release_group();
        }
        done
    }

    /// Keeps a finished job's statuses for a later `wait PID`.
    fn remember(&mut self, job: Job) {
        for p in job.processes {
            if let Some(s) = p.status {
                self.finished.push((p.pid, s));
            }
        }
        if self.finished.len() > MAX_REMEMBERED {
            let excess = self.finished.len() - MAX_REMEMBERED;
            self.finished.drain(..excess);
        }
    }

    /// Whether the process `pid` has been collected: no job holds it
    /// running (its status is known, or it was waited for and forgotten).
    pub fn has_ended(&self, pid: i32) -> bool {
        !self.jobs.iter().any(|j| {
            j.processes
                .iter()
                .any(|p| p.pid.as_raw() == pid && p.status.is_none())
        })
    }

    /// The job with this number.
    pub fn get_mut(&mut self, number: usize) -> Option<&mut Job> {
        self.listing.take();
        self.jobs.iter_mut().find(|j| j.number == number)
    }

    /// The current job (`%+`, `%%`) and the previous one (`%-`), as
    /// indices into [`JobTable::jobs`]: the most recently started stopped
    /// jobs come first, then the most recent running ones, as in bash.
    pub fn current_and_previous(&self) -> (Option<usize>, Option<usize>) {
        let stopped = self
            .jobs
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, j)| j.stopped);
        let running = self
            .jobs
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, j)| !j.stopped);
        let mut order = stopped.chain(running).map(|(i, _)| i);
        (order.next(), order.next())
    }

    /// The lines `jobs` shows: this table's jobs, or else those of the
    /// shell this subshell was copied from.
    pub fn lines(&self) -> Vec<JobLine> {
        match &self.inherited {
            Some(lines) if self.jobs.is_empty() => lines.to_vec(),
            _ => self.own_lines(),
        }
    }

    fn own_lines(&self) -> Vec<JobLine> {
        let (current, previous) = self.current_and_previous();
        let mark = |i| match Some(i) {
            m if m == current => '+',
            m if m == previous => '-',
            _ => ' ',
        };
        self.jobs
            .iter()
            .enumerate()
            .map(|(i, job)| JobLine {
                number: job.number,
                pid: job.processes.first().map_or(0, |p| p.pid.as_raw()),
                text: job.text.clone(),
                state: job.state_text(),
                stopped: job.stopped,
                ended: job.status(),
                mark: mark(i),
            })
            .collect()
    }

    /// How many jobs are running or stopped (the prompt's `\j`): this
    /// table's, or else those of the shell this subshell was copied from.
    pub fn live_count(&self) -> usize {
        match &self.inherited {
            Some(lines) if self.jobs.is_empty() => {
                lines.iter().filter(|l| l.ended.is_none()).count()
            }
            _ => self.jobs.iter().filter(|j| j.status().is_none()).count(),
        }
    }

    /// A `( … )` subshell shows no jobs of its shell (bash).
    pub fn forget_inherited(&mut self) {
        self.inherited = None;
    }

    /// Whether any job is stopped (exiting then warns first).
    pub fn any_stopped(&self) -> bool {
        self.jobs.iter().any(|j| j.stopped)
    }

    /// From now on, keeps a notice of each ended job for the prompt (an
    /// interactive shell).
    pub fn keep_notices(&mut self) {
        self.reporting = true;
    }

    /// Messages about jobs that finished since the last call, for an
    /// interactive shell to print (`[1]+  Done  sleep 1`).
    pub fn take_notices(&mut self) -> Vec<String> {
        self.listing.take();
        std::mem::take(&mut self.notices)
    }

    /// The jobs, in number order.
    pub fn jobs(&self) -> &[Job] {
        &self.jobs
    }

    /// Reaps whatever has ended, without blocking; removes finished jobs,
    /// remembering each process's status for a later `wait PID`.
    pub fn reap(&mut self) {
        self.listing.take();
        self.refresh();
        for job in self.take_finished() {
            self.report(&job);
            self.remember(job);
        }
    }

    /// Keeps the notice of `job`'s end for the prompt, unless the watcher
    /// announced it already or no one shows notices.
    fn report(&mut self, job: &Job) {
        if watch::take_claim(&job.claim)
            && self.reporting
            && let Some(status) = job.status()
        {
            self.notices
                .push(notice_line(job.number, status, &job.text));
        }
    }

    /// What a non-interactive shell does between commands: collects what
    /// has ended but keeps finished jobs in the table, as bash does, so a
    /// later `wait %N` or `jobs` still finds them. An ended process's pidfd
    /// is closed (its status is known); past [`MAX_KEPT_FINISHED`] finished
    /// jobs the oldest become remembered statuses for `wait PID`.
    pub fn settle(&mut self) {
        self.listing.take();
        self.refresh();
        self.trim_finished();
    }

    /// Moves the oldest finished jobs past [`MAX_KEPT_FINISHED`] to the
    /// remembered statuses.
    fn trim_finished(&mut self) {
        let mut kept = self.jobs.iter().filter(|j| j.status().is_some()).count();
        while kept > MAX_KEPT_FINISHED {
            let Some(oldest) = self.jobs.iter().position(|j| j.status().is_some()) else {
                break;
            };
            let job = self.remove_at(oldest);
            self.remember(job);
            kept -= 1;
        }
    }

    /// Before a job is added: when many pidfds are open, collects what has
    /// ended, so a loop that starts thousands of background commands holds
    /// only the running ones open (the check doubles its threshold, so the
    /// cost stays linear).
    fn tidy_if_crowded(&mut self) {
        let open = |jobs: &[Job]| {
            jobs.iter()
                .flat_map(|j| &j.processes)
                .filter(|p| p.pidfd.is_some())
                .count()
        };
        if open(&self.jobs) < self.tidy_at.max(MIN_TIDY_AT) {
            return;
        }
        self.refresh();
        self.trim_finished();
        self.tidy_at = 2 * open(&self.jobs);
    }

    /// Duplicates of the pidfds of unfinished processes: of job `number`,
    /// of the process `pid`, or of every job (both `None`) — for
    /// [`signals::await_exits`].
    pub fn live_pidfds(&self, number: Option<usize>, pid: Option<Pid>) -> Vec<OwnedFd> {
        self.jobs
            .iter()
            .filter(|j| number.is_none_or(|n| j.number == n) && !j.stopped)
            .flat_map(|j| &j.processes)
            .filter(|p| p.status.is_none() && pid.is_none_or(|pid| p.pid == pid))
            .filter_map(|p| p.pidfd.as_ref()?.try_clone().ok())
            .collect()
    }

    /// At the end of a subshell: its unfinished processes become orphans,
    /// reaped later without anyone waiting for them (see [`ORPHANS`]).
    pub fn orphan_all(&mut self) {
        self.listing.take();
        let mut running: Vec<Process> = self.procsub.take().into_iter().collect();
        for job in std::mem::take(&mut self.jobs) {
            job.release_group();
            running.extend(job.processes.into_iter().filter(|p| p.status.is_none()));
        }
        self.finished.clear();
        if running.is_empty() {
            return;
        }
        orphans().adopt(running);
    }

    /// `wait`: waits for every job; returns 0.
    pub fn wait_all(&mut self) -> i32 {
        self.listing.take();
        // bash 5.1 and later: the last process substitution too.
        let _ = self.wait_procsub(None);
        for job in &mut self.jobs {
            for p in &mut job.processes {
                if p.status.is_none() {
                    p.status = Some(wait_process(p.pid, p.pidfd.as_ref()));
                }
            }
        }
        // An interactive shell still reports them (bash).
        for job in std::mem::take(&mut self.jobs) {
            self.report(&job);
            job.release_group();
        }
        self.finished.clear();
        0
    }

    /// Keeps `p`, a process substitution just started, as the one `$!`
    /// names; the one before is left to be reaped.
    pub fn add_procsub(&mut self, p: Process) {
        self.listing.take();
        if let Some(old) = self.procsub.replace(p) {
            orphans().adopt(vec![old]);
        }
    }

    /// Waits for the last process substitution if it is `pid` (any pid
    /// when `None`); its status.
    fn wait_procsub(&mut self, pid: Option<Pid>) -> Option<i32> {
        if pid.is_some_and(|pid| self.procsub.as_ref().is_none_or(|p| p.pid != pid)) {
            return None;
        }
        let p = self.procsub.take()?;
        Some(
            p.status
                .unwrap_or_else(|| wait_process(p.pid, p.pidfd.as_ref())),
        )
    }

    /// `wait PID`: its status, or `None` when it is not a child of this shell.
    pub fn wait_pid(&mut self, pid: Pid) -> Option<i32> {
        self.listing.take();
        if let Some(pos) = self.finished.iter().position(|(p, _)| *p == pid) {
            return Some(self.finished.remove(pos).1);
        }
        if let Some(status) = self.wait_procsub(Some(pid)) {
            return Some(status);
        }
        let job_index = self
            .jobs
            .iter()
            .position(|j| j.processes.iter().any(|p| p.pid == pid))?;
        let job = &mut self.jobs[job_index];
        let mut result = None;
        for p in &mut job.processes {
            if p.pid == pid && p.status.is_none() {
                p.status = Some(wait_process(p.pid, p.pidfd.as_ref()));
            }
            if p.pid == pid {
                result = p.status;
            }
        }
        if job.status().is_some() || job.processes.iter().all(|p| p.status.is_some()) {
            let job = self.remove_at(job_index);
            for p in job.processes {
                if let Some(s) = p.status
                    && p.pid != pid
                {
                    self.finished.push((p.pid, s));
                }
            }
        }
        result
    }

    /// `wait -n`: waits until any job ends (polling the members' pidfds);
    /// the pid of its last process (`$!` when it started) and its status.
    /// `None` when there is no job to wait for.
    pub fn wait_any(&mut self) -> Option<(i32, i32)> {
        self.listing.take();
        loop {
            self.refresh();
            if let Some(pos) = self.jobs.iter().position(|j| j.status().is_some()) {
                let job = self.remove_at(pos);
                let pid = job.processes.last().map_or(0, |p| p.pid.as_raw());
                return job.status().map(|s| (pid, s));
            }
            let running: Vec<&OwnedFd> = self
                .jobs
                .iter()
                .filter(|j| !j.stopped)
                .flat_map(|j| j.processes.iter())
                .filter(|p| p.status.is_none())
                .filter_map(|p| p.pidfd.as_ref())
                .collect();
            if running.is_empty() {
                return None;
            }
            let mut fds: Vec<nix::poll::PollFd> = running
                .iter()
                .map(|fd| nix::poll::PollFd::new(fd.as_fd(), nix::poll::PollFlags::POLLIN))
                .collect();
            let _ = nix::poll::poll(&mut fds, nix::poll::PollTimeout::NONE);
        }
    }

    /// Updates every job's state (exits, stops, continues) without
    /// removing or announcing anything — for `jobs`, which shows them.
    /// Orphans that ended are reaped too.
    pub fn refresh(&mut self) {
        self.listing.take();
        reap_orphans();
        for job in &mut self.jobs {
            job.refresh();
        }
    }

    /// Drops the jobs that the watcher has announced already (they have
    /// ended): `jobs` shows a job's end only when no notice did, and the
    /// next job takes the number, as in bash once it has told of a job.
    pub fn forget_announced(&mut self) {
        // Only the watcher claims a job still in the table.
        let claimed = |j: &Job| j.claim.load(Ordering::SeqCst);
        if self.watcher.is_none() || !self.jobs.iter().any(claimed) {
            return;
        }
        self.listing.take();
        for job in self.jobs.iter_mut().filter(|j| claimed(j)) {
            job.refresh();
        }
        let (announced, kept): (Vec<Job>, Vec<Job>) = std::mem::take(&mut self.jobs)
            .into_iter()
            .partition(|j| j.status().is_some() && j.claim.load(Ordering::SeqCst));
        self.jobs = kept;
        for job in announced {
            job.release_group();
            self.remember(job);
        }
    }

    /// Drops finished jobs that `jobs` has just shown (no notice follows).
    pub fn forget_finished(&mut self) {
        self.listing.take();
        for job in self.take_finished() {
            watch::take_claim(&job.claim);
            self.remember(job);
        }
    }

    /// `disown`: forgets a job (it is no longer waited for, listed or sent
    /// SIGHUP).
    pub fn disown(&mut self, number: usize) -> bool {
        self.listing.take();
        let Some(job) = self.take(number) else {
            return false;
        };
        if let Some(w) = &self.watcher {
            w.forget(number);
        }
        // Still the shell's children: reaped without being announced.
        let running = job.processes.into_iter().filter(|p| p.status.is_none());
        orphans().processes.extend(running);
        true
    }

    /// `wait %N`: waits for every process of job N; its status.
    pub fn wait_job(&mut self, number: usize) -> Option<i32> {
        self.listing.take();
        let index = self.jobs.iter().position(|j| j.number == number)?;
        let mut job = self.remove_at(index);
        for p in &mut job.processes {
            if p.status.is_none() {
                p.status = Some(wait_process(p.pid, p.pidfd.as_ref()));
            }
        }
        job.status()
    }
}

/// Children of this process that no shell context waits for any more: the
/// background jobs of subshells that have ended. In bash such a job is
/// the child of the subshell's own process, which exits without waiting;
/// here the process is this one, so the job must still be reaped — without
/// blocking, whenever a job table is refreshed — leaving no zombie and no
/// pidfd behind. Nothing waits for them, lists them or reports them.
static ORPHANS: Mutex<Orphans> = Mutex::new(Orphans {
    processes: Vec::new(),
    tidy_at: 0,
});

#[derive(Debug)]
struct Orphans {
    processes: Vec<Process>,
    /// Past this many, adding orphans first reaps those that ended.
    tidy_at: usize,
}

impl Orphans {
    /// Takes `processes` in. Many at once (a loop of `(cmd &)` or of
    /// process substitutions): collects the ended ones, doubling the
    /// threshold so the cost stays linear.
    fn adopt(&mut self, processes: Vec<Process>) {
        self.processes.extend(processes);
        if self.processes.len() >= self.tidy_at.max(MIN_TIDY_AT) {
            self.reap();
            self.tidy_at = 2 * self.processes.len();
        }
    }

    /// Reaps the ones that have ended, without blocking.
    fn reap(&mut self) {
        self.processes.retain(|p| {
            matches!(
                try_wait(p),
                Change::Stopped | Change::Continued | Change::Nothing
            )
        });
    }
}

fn orphans() -> std::sync::MutexGuard<'static, Orphans> {
    ORPHANS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reaps the orphans that have ended, without blocking.
fn reap_orphans() {
    let mut orphans = orphans();
    if !orphans.processes.is_empty() {
        orphans.reap();
    }
}

/// Blocks until the process ends; its shell status (exit code, or 128 +
/// signal number).
pub fn wait_process(pid: Pid, pidfd: Option<&OwnedFd>) -> i32 {
    wait_process_death(pid, pidfd).0
}

/// As [`wait_process`], with the signal it died of, if it did.
pub fn wait_process_death(pid: Pid, pidfd: Option<&OwnedFd>) -> (i32, Option<Death>) {
    loop {
        let result = match pidfd {
            Some(fd) => waitid(Id::PIDFd(fd.as_fd()), WaitPidFlag::WEXITED),
            None => waitid(Id::Pid(pid), WaitPidFlag::WEXITED),
        };
        match result {
            Ok(WaitStatus::Signaled(_, sig, core_dumped)) => {
                let death = Death {
                    signal: sig as i32,
                    core_dumped,
                };
                return (128 + sig as i32, Some(death));
            }
            Ok(status) => {
                if let Some(s) = shell_status(status) {
                    return (s, None);
                }
            }
            Err(Errno::EINTR) => continue,
            Err(_) => return (127, None),
        }
    }
}

/// As [`wait_child`], with the signal it died of, if it did.
pub fn wait_child_death(child: &Child) -> (i32, Option<Death>) {
    wait_process_death(child.pid, child.pidfd.as_ref())
}

/// Waits for a started child.
pub fn wait_child(child: &Child) -> i32 {
    wait_process(child.pid, child.pidfd.as_ref())
}

/// What a non-blocking look at a process found.
enum Change {
    Ended(i32),
    Stopped,
    Continued,
    Nothing,
}

fn try_wait(p: &Process) -> Change {
    let flags = WaitPidFlag::WEXITED
        | WaitPidFlag::WSTOPPED
        | WaitPidFlag::WCONTINUED
        | WaitPidFlag::WNOHANG;
    let result = match &p.pidfd {
        Some(fd) => waitid(Id::PIDFd(fd.as_fd()), flags),
        None => waitid(Id::Pid(p.pid), flags),
    };
    match result {
        Ok(WaitStatus::Stopped(..)) => Change::Stopped,
        Ok(WaitStatus::Continued(_)) => Change::Continued,
        Ok(status) => match shell_status(status) {
            Some(s) => Change::Ended(s),
            None => Change::Nothing,
        },
        Err(_) => Change::Ended(127),
    }
}

/// The line announcing a finished job: `[1]   Done                  sleep 1`.
pub fn notice_line(number: usize, status: i32, text: &str) -> String {
    format!("[{number}]   {:<22}{text}", describe_end(status))
}

/// How `jobs` and notices describe a job that ended with `status`:
/// `Done`, `Exit 3`, `Terminated`, `Killed`, …
pub fn describe_end(status: i32) -> String {
    match status {
        0 => "Done".to_string(),
        s if s > 128 => signals::description(s - 128),
        s => format!("Exit {s}"),
    }
}

/// The shell's `$?` for a wait result: exit code or 128 + signal.
pub fn shell_status(status: WaitStatus) -> Option<i32> {
    match status {
        WaitStatus::Exited(_, code) => Some(code),
        WaitStatus::Signaled(_, sig, _) => Some(128 + sig as i32),
        _ => None,
    }
}
