//! The reference backend, selected as `fork`: classic fork, the same child
//! code as `clone-vfork` (`child.rs`), exec; errors come back through a
//! close-on-exec pipe. It exists for benchmarks and differential tests and
//! is never chosen unless asked for (`PIDSH_SPAWN=fork`).
//!
//! This is the only place in the crate where `fork` may appear: the shell
//! itself never forks (invariant 1 of the design).

use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::unistd::{Pid, pipe2, read};

use super::child::{self, Exec, Failure, Prepared};
use super::{AllSignalsBlocked, Backend, CArray, open_pidfd, reap};
use crate::spawn::{Child, Spawn, SpawnError, SpawnStep};

/// fork, configure, exec.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fork;

impl Backend for Fork {
    fn name(&self) -> &'static str {
        "fork"
    }

    fn detail(&self) -> &'static str {
        "fork(), then the ops, then exec; reference only"
    }

    fn spawn(&self, plan: &Spawn) -> Result<Child, SpawnError> {
        let create = |errno| SpawnError {
            errno,
            step: SpawnStep::Create,
        };
        let argv = CArray::new(plan.argv());
        let envp = CArray::new(plan.envp());
        let exec = Exec::of(plan.program());
        let (report_r, report_w) = pipe2(OFlag::O_CLOEXEC).map_err(create)?;
        let pid = {
            let blocked = AllSignalsBlocked::new();
            let prepared = Prepared {
                exec,
                argv: argv.as_ptr(),
                envp: envp.as_ptr(),
                ops: plan.ops(),
                mask: blocked.old,
                handled: super::handled_signals(),
            };
            // SAFETY: after fork in a threaded process the child may only
            // make async-signal-safe calls; `fork_child` is child.rs code,
            // which makes raw syscalls only and never returns.
            match unsafe { libc::fork() } {
                -1 => return Err(create(Errno::last())),
                0 => child::fork_child(&prepared, report_w.as_raw_fd()),
                pid => Pid::from_raw(pid),
            }
        };
        drop(report_w);
        let mut buf = [0u8; 16];
        let mut got = 0;
        while got < buf.len() {
            match read(&report_r, &mut buf[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(Errno::EINTR) => continue,
                Err(_) => break,
            }
        }
        if got == buf.len() {
            let failure = Failure::decode(buf);
            reap(pid);
            return Err(SpawnError {
                errno: Errno::from_raw(failure.errno),
                step: failure.step(),
            });
        }
        Ok(Child {
            pid,
            pidfd: open_pidfd(pid)?,
        })
    }
}
