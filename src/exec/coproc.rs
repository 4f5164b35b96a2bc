//! `coproc` (bash): a background command joined to the shell by two pipes.
//!
//! `coproc NAME cmd` starts `cmd` as a job with its standard input and
//! output on pipes; the shell keeps the other ends at high numbers of its
//! fd table, `NAME[0]` to read what the command writes and `NAME[1]` to
//! write to it, and its pid in `NAME_PID`. The ends are private to shell
//! code (programs started by exec do not inherit them, as with bash's
//! close-on-exec descriptors). When the command has ended and been
//! collected, the shell closes its ends and unsets `NAME` and
//! `NAME_PID`; an end that `exec` moved or closed reads `-1`.

use std::os::fd::{OwnedFd, RawFd};
use std::sync::{Arc, Weak};

use crate::parser::ast::{AndOr, Command, Coproc, Pipeline};
use crate::sys::fd as syscalls;

use super::eval::Status;
use super::fdtable::{FdEntry, FdTable};
use super::state::{Array, ArrayKey, Shell};

/// Where the shell's ends of a coprocess start looking for free numbers,
/// downwards (bash's numbers: the first coprocess reads 63, writes 60).
const HIGHEST_END: RawFd = 63;

/// A coprocess the shell started and has not yet retired.
#[derive(Debug, Clone)]
pub struct Coprocess {
    name: String,
    pid: i32,
    /// The shell's ends (reading, writing): table number and descriptor
    /// (not kept open from here: `exec {n}>&-` must close it).
    ends: [Option<(RawFd, Weak<OwnedFd>)>; 2],
}

impl Shell {
    /// Runs `coproc`: starts the command and sets `NAME` and `NAME_PID`.
    pub fn run_coproc(&mut self, coproc: &Coproc) -> Status {
        self.retire_coprocesses();
        for live in &self.coprocs {
            let message = format!(
                "warning: execute_coproc: coproc [{}:{}] still exists",
                live.pid, live.name
            );
            self.report(&message);
        }
        let pipes = syscalls::pipe().and_then(|a| syscalls::pipe().map(|b| (a, b)));
        let ((to_read, to_write), (from_read, from_write)) = match pipes {
            Ok(pipes) => pipes,
            Err(e) => {
                self.report(&format!("coproc: pipe: {}", super::error::describe(e)));
                return Ok(1);
            }
        };
        let mut table = self.fds.clone();
        table.set_owned(0, to_read);
        table.set_owned(1, from_write);
        let Some(pid) = self.start_async(&lone_command(&coproc.body), table) else {
            return Ok(1);
        };
        let reading = self.fds.highest_free_at_most(HIGHEST_END);
        let writing = self.fds.nth_free_below(reading, 3);
        let ends = [(reading, from_read), (writing, to_write)].map(|(number, end)| {
            let end = Arc::new(end);
            let weak = Arc::downgrade(&end);
            self.fds.set_private(number, end);
            Some((number, weak))
        });
        let values = [reading, writing].map(|n| n.to_string());
        let name = &coproc.name;
        let set = self
            .state
            .vars
            .set_array(
                name,
                Array::Indexed(values.into_iter().enumerate().collect()),
            )
            .and_then(|()| self.state.vars.set(&format!("{name}_PID"), pid.to_string()));
        if let Err(e) = set {
            self.report(&e.to_string());
        }
        self.coprocs.push(Coprocess {
            name: name.clone(),
            pid,
            ends,
        });
        Ok(0)
    }

    /// Between commands: a coprocess whose command has been collected is
    /// retired (its ends closed, `NAME` and `NAME_PID` unset); an end that
    /// no longer holds the coprocess's descriptor (moved or closed by
    /// `exec`) reads `-1` in `NAME`.
    pub fn retire_coprocesses(&mut self) {
        if self.coprocs.is_empty() {
            return;
        }
        let coprocs = std::mem::take(&mut self.coprocs);
        for mut coproc in coprocs {
            if self.jobs.has_ended(coproc.pid) {
                self.retire(&coproc);
                continue;
            }
            for (index, end) in coproc.ends.iter_mut().enumerate() {
                if end.as_ref().is_some_and(|e| !holds(&self.fds, e)) {
                    *end = None;
                    let key = ArrayKey::Index(index as i64);
                    let _ = self.state.vars.set_element(&coproc.name, key, "-1".into());
                }
            }
            self.coprocs.push(coproc);
        }
    }

    fn retire(&mut self, coproc: &Coprocess) {
        for end in coproc.ends.iter().flatten() {
            if holds(&self.fds, end) {
                self.fds.close(end.0);
            }
        }
        let _ = self.state.vars.unset(&coproc.name);
        let _ = self.state.vars.unset(&format!("{}_PID", coproc.name));
    }
}

/// Whether the table still has the coprocess's descriptor at its number.
fn holds(table: &FdTable, (number, end): &(RawFd, Weak<OwnedFd>)) -> bool {
    matches!(table.get(*number), Some(FdEntry::Owned(fd)) if Weak::ptr_eq(&Arc::downgrade(fd), end))
}

/// `command` as an and-or list of its own.
fn lone_command(command: &Command) -> AndOr {
    AndOr {
        first: Pipeline {
            negated: false,
            timed: false,
            time_posix: false,
            commands: vec![command.clone()],
            stderr_too: vec![false],
            span: Default::default(),
        },
        rest: Vec::new(),
    }
}
