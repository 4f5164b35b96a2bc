//! Job control in the evaluator: process groups and the terminal for
//! foreground jobs, stops (Ctrl-Z) turning a foreground job into a stopped
//! one, and `fg`/`bg`.

use nix::sys::signal::Signal;
use nix::unistd::Pid;

use crate::jobs::{self, Death, Foreground, Process};

use super::state::{Placement, Shell};
use crate::spawn::{ProcessGroup, SpawnOp};

/// A process of a foreground command, for [`Shell::report_signal_death`].
pub struct ReportedProcess {
    /// Its process id.
    pub pid: Pid,
    /// Its shell status (exit code, or 128 + the signal).
    pub status: i32,
    /// The signal it died of, if it did.
    pub death: Option<Death>,
    /// Its command, as `unparse` writes it.
    pub text: String,
}

impl ReportedProcess {
    /// bash's words for how it ended: `Done`, `Exit 3`, `Killed`.
    fn status_words(&self) -> String {
        match (self.death, self.status) {
            (Some(death), _) => death
                .report()
                .unwrap_or_else(|| crate::jobs::signals::description(death.signal)),
            (None, 0) => "Done".to_string(),
            (None, code) => format!("Exit {code}"),
        }
    }
}

impl Shell {
    /// Whether this context does job control: the top-level shell with
    /// `set -m`. Every job then gets a process group of its own; only a
    /// shell holding a terminal also hands it to the foreground job (POSIX
    /// job control does not need one: `set -m` in a script, `pidsh -m`).
    pub fn job_control_active(&self) -> bool {
        self.state.options.monitor && self.ctx.subshell_depth == 0
    }

    /// Takes over the signals found ignored at start ([`crate::jobs::signals::setup`]).
    pub fn note_ignored_at_start(&mut self, ignored: crate::jobs::signals::IgnoredAtStart) {
        self.ignored_signals.extend(ignored.beyond_trap);
        for sig in ignored.as_traps {
            self.state
                .traps
                .insert(sig, super::state::TrapAction::Ignore);
        }
    }

    /// SIGHUP was ignored when the shell started (`nohup`): it forwards none.
    pub fn hangup_ignored(&self) -> bool {
        self.state.traps.get(&libc::SIGHUP) == Some(&super::state::TrapAction::Ignore)
    }

    /// Whether job control is on for the asynchronous lists this context
    /// starts: `set -m` in the top-level shell (a subshell has none, as in
    /// bash). Without it they ignore SIGINT and SIGQUIT (POSIX 2.11).
    pub fn monitor_in_effect(&self) -> bool {
        self.state.options.monitor && self.ctx.subshell_depth == 0
    }

    /// The ops that place a child in its job's process group, and give a
    /// foreground job's leader the terminal before it execs (so no member
    /// can run, or be reaped, before the group owns the terminal).
    pub fn placement_ops(&self) -> Vec<SpawnOp> {
        match (self.ctx.placement, &self.terminal) {
            (Placement::Shell, _) => Vec::new(),
            (Placement::Lead { foreground: true }, Some(t)) => vec![
                SpawnOp::SetPgid(ProcessGroup::New),
                SpawnOp::Tcsetpgrp(t.raw_fd()),
            ],
            (Placement::Lead { .. }, _) => vec![SpawnOp::SetPgid(ProcessGroup::New)],
            (Placement::Join(pgid), _) => vec![SpawnOp::SetPgid(ProcessGroup::Join(pgid))],
        }
    }

    /// Waits for a foreground job under job control. When it stops, it
    /// becomes a stopped job (`[1]+  Stopped  text`) and the status is
    /// 128 + SIGTSTP; either way the shell takes the terminal back.
    pub fn wait_foreground_job(&mut self, processes: Vec<Process>, text: String, pgid: Pid) -> i32 {
        let outcome = jobs::wait_foreground(processes, true);
        let modes = self.terminal.as_ref().and_then(|t| t.current_modes());
        if let Some(t) = &self.terminal {
            t.reclaim();
        }
        match outcome {
            Foreground::Done(statuses, death) => {
                if let Some(death) = death
                    && self.state.options.interactive
                {
                    if let Some(line) = death.report() {
                        self.write_stderr(&format!("{line}\n"));
                    }
                    if let Some(sig) = death.keyboard_signal() {
                        self.act_on_keyboard_signal(sig);
                    }
                }
                self.set_pipestatus(&statuses);
                let last = statuses.last().copied().unwrap_or(0);
                if self.state.options.pipefail {
                    return statuses
                        .iter()
                        .rev()
                        .find(|&&s| s != 0)
                        .copied()
                        .unwrap_or(0);
                }
                last
            }
            Foreground::Stopped(processes, sig) => {
                let number = self.jobs.add_job(processes, text.clone(), Some(pgid), true);
                if let Some(job) = self.jobs.get_mut(number) {
                    job.modes = modes;
                }
                // On a terminal the `^Z` echo ends the line.
                let newline = if self.terminal.is_some() { "\n" } else { "" };
                self.write_stderr(&format!(
                    "{newline}[{number}]+  Stopped                 {text}\n"
                ));
                if self.state.options.interactive {
                    // The rest of the loop or list is abandoned, as in bash.
                    jobs::signals::note_interrupt_by(sig);
                }
                128 + sig
            }
        }
    }

    /// A foreground job died of the terminal's SIGINT or SIGQUIT, which
    /// job control sent to its group only: an interactive shell acts as
    /// if it had received the signal itself — its trap runs (if set), and
    /// the rest of the command line is abandoned unless it is ignored.
    fn act_on_keyboard_signal(&mut self, sig: i32) {
        match self.state.traps.get(&sig) {
            Some(super::state::TrapAction::Ignore) => {}
            Some(super::state::TrapAction::Command(_)) => {
                jobs::signals::note_trapped_signal(sig);
                jobs::signals::note_interrupt_by(sig);
            }
            None => jobs::signals::note_interrupt_by(sig),
        }
    }

    /// What a non-interactive shell says when a foreground command whose
    /// last process died of `death` ends, on standard error, as bash does:
    /// `s.sh: line 3:  1491 Segmentation fault      ./prog`, a line per
    /// process of a pipeline (`      1492 Killed                  | cat`,
    /// the status left blank where it repeats the one above); only
    /// `Terminated` for SIGTERM or a signal the shell traps; nothing for
    /// SIGINT and SIGPIPE, or inside a command substitution. `processes`
    /// lists the command's processes (a pipeline's stages that ran in the
    /// shell have none). An interactive shell reports through
    /// [`Shell::wait_foreground_job`].
    pub fn report_signal_death(
        &mut self,
        death: Death,
        processes: impl FnOnce() -> Vec<ReportedProcess>,
    ) {
        if self.state.options.interactive || self.ctx.in_substitution {
            return;
        }
        let Some(description) = death.report() else {
            return;
        };
        let trapped = self.state.traps.contains_key(&death.signal);
        if death.signal == libc::SIGTERM || trapped {
            self.write_stderr(&format!("{description}\n"));
            return;
        }
        let mut previous = String::new();
        for (i, process) in processes().into_iter().enumerate() {
            let status = process.status_words();
            // A status that repeats the one above is left out, in two
            // columns fewer (bash's layout).
            let shown = if status == previous {
                " ".repeat(23)
            } else {
                format!(" {status:<24}")
            };
            let pid = process.pid.as_raw();
            if i == 0 {
                self.report(&format!("{pid:>5}{shown}{}", process.text));
            } else {
                let line = format!("     {pid:>5}{shown}| {}\n", process.text);
                self.write_stderr(&line);
            }
            previous = status;
        }
    }

    /// An interactive shell's report of the jobs that ended since the last
    /// one (`[1]+  Done  sleep 1`), before a prompt or after `wait`.
    pub fn print_job_notices(&mut self) {
        for notice in self.jobs.take_notices() {
            self.write_stderr(&format!("{notice}\n"));
        }
    }

    /// Before an interactive shell exits: the first attempt with stopped
    /// jobs only warns (true); the next one exits.
    pub fn warn_about_stopped_jobs(&mut self) -> bool {
        if !self.job_control_active() || self.stopped_jobs_warned {
            return false;
        }
        self.jobs.reap();
        if !self.jobs.any_stopped() {
            return false;
        }
        self.stopped_jobs_warned = true;
        self.write_stderr("There are stopped jobs.\n");
        true
    }

    /// `fg`: continues a job in the foreground (with the terminal, when
    /// the shell has one).
    pub fn foreground(&mut self, number: usize) -> Result<i32, String> {
        let Some(job) = self.jobs.take(number) else {
            return Err(format!("%{number}: no such job"));
        };
        // bash shows the command on standard output.
        let _ = self.print("fg", &format!("{}\n", job.text));
        let pgid = job.pgid.unwrap_or_else(|| {
            job.processes
                .first()
                .map(|p| p.pid)
                .unwrap_or(Pid::from_raw(0))
        });
        if let Some(terminal) = &self.terminal {
            terminal.give_to(pgid);
            if let Some(modes) = &job.modes {
                terminal.set_modes(modes);
            }
        }
        continue_job(&job.processes, pgid);
        Ok(self.wait_foreground_job(job.processes, job.text, pgid))
    }

    /// `bg`: continues a stopped job in the background.
    pub fn background(&mut self, number: usize) -> Result<(), String> {
        let Some(job) = self.jobs.get_mut(number) else {
            return Err(format!("%{number}: no such job"));
        };
        if !job.stopped {
            // Not an error in bash: a warning, and status 0.
            self.report(&format!("bg: job {number} already in background"));
            return Ok(());
        }
        job.stopped = false;
        let pgid = job.pgid;
        let line = format!("[{number}]+ {} &\n", job.text);
        match pgid {
            Some(g) => continue_job(&job.processes, g),
            None => {
                for p in &job.processes {
                    let _ = nix::sys::signal::kill(p.pid, Signal::SIGCONT);
                }
            }
        }
        let _ = self.print("bg", &line);
        Ok(())
    }
}

/// SIGCONT to the whole group (members that already ended are gone).
fn continue_job(processes: &[Process], pgid: Pid) {
    if nix::sys::signal::killpg(pgid, Signal::SIGCONT).is_err() {
        for p in processes {
            let _ = nix::sys::signal::kill(p.pid, Signal::SIGCONT);
        }
    }
}
