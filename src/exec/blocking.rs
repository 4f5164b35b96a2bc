//! Redirections whose `open(2)` may wait for another process — a FIFO
//! waits until its other end is opened.
//!
//! The vfork-style parent sleeps, with every signal blocked, until its
//! child execs, so such an open must never run in a spawned child: the
//! whole shell would hang, deaf to SIGTERM and SIGINT, until some other
//! process opened the other end. A command whose redirections may block is
//! started instead through a self-spawned pidsh that runs
//! `exec -a NAME -- PROGRAM ARGS… REDIRECTIONS` with everything already
//! expanded: the open blocks only that process, which then becomes the
//! command (same pid, so the shell waits for it, or lists it as a job, as
//! for any child).

use std::os::fd::RawFd;

use nix::fcntl::OFlag;
use nix::sys::stat::SFlag;

use crate::parser::ast::{
    AssignValue, Assignment, Command, HereDoc, RedirOp, RedirTarget, Redirect, SimpleCommand, Span,
    Word, WordPart,
};

use super::error::ExecError;
use super::redirect::Resolved;
use super::state::Shell;
use crate::spawn::{Child, Program, Spawn};

/// `f_type` of the filesystem of anonymous pipes (`PIPEFS_MAGIC`).
const PIPEFS_MAGIC: nix::sys::statfs::FsType = nix::sys::statfs::FsType(0x5049_5045);

/// Whether any `Open` of `steps` may wait for another process.
pub fn may_block(sh: &Shell, steps: &[Resolved]) -> bool {
    steps.iter().any(|step| match step {
        Resolved::Open { path, flags, .. } => open_may_block(sh, path, *flags),
        _ => false,
    })
}

/// Opening `path` may wait: a named FIFO opened for reading or writing
/// only (until the other end is opened; `O_RDWR` never waits on Linux, nor
/// does an anonymous pipe reached through `/dev/fd/N`), a block device, or
/// a character device other than those known to open at once. A path that
/// does not exist (it is created as a regular file, or the open fails),
/// a regular file, a directory or a socket opens or fails at once.
fn open_may_block(sh: &Shell, path: &str, flags: OFlag) -> bool {
    // A descriptor name means the context's descriptor, not the process's.
    let fd = crate::sys::fd::parse_fd_name(path)
        .filter(|(_, rest)| rest.is_empty())
        .and_then(|(n, _)| sh.fds.raw(n));
    let found = match fd {
        Some(fd) => crate::sys::fd::fstat(fd),
        None => nix::sys::stat::stat(sh.in_context_dir(path).as_ref()),
    };
    let Ok(st) = found else {
        return false;
    };
    match SFlag::from_bits_truncate(st.st_mode & SFlag::S_IFMT.bits()) {
        SFlag::S_IFIFO => {
            (flags & OFlag::O_ACCMODE) != OFlag::O_RDWR && !is_anonymous_pipe(sh, path, fd)
        }
        SFlag::S_IFCHR => !opens_at_once(st.st_rdev),
        SFlag::S_IFBLK => true,
        _ => false,
    }
}

/// Whether the FIFO at `path` (or `fd`) lives on pipefs: an anonymous
/// pipe always has both ends open somewhere, so opening it never waits.
fn is_anonymous_pipe(sh: &Shell, path: &str, fd: Option<RawFd>) -> bool {
    let fs = match fd {
        Some(fd) => crate::sys::fd::fstatfs(fd),
        None => nix::sys::statfs::statfs(sh.in_context_dir(path).as_ref()),
    };
    fs.is_ok_and(|fs| fs.filesystem_type() == PIPEFS_MAGIC)
}

/// Character devices whose open never waits: the memory devices
/// (`/dev/null`, `/dev/zero`, `/dev/urandom`, … major 1), `/dev/tty`,
/// `/dev/console` and `/dev/ptmx` (major 5) and pseudo-terminals (136–143).
/// Others (serial lines waiting for carrier, tape drives, …) may wait.
fn opens_at_once(rdev: libc::dev_t) -> bool {
    matches!(nix::sys::stat::major(rdev), 1 | 5 | 136..=143)
}

impl Shell {
    /// Starts the command planned as `spawn` (from `words`, `assignments`
    /// and the redirection `steps`) through a pidsh of its own, which opens
    /// the files and then execs the command in place.
    pub(super) fn start_through_helper(
        &mut self,
        spawn: &Spawn,
        words: &[String],
        assignments: &[(String, String)],
        steps: &[Resolved],
    ) -> Result<Child, ExecError> {
        let program = self.program_file(spawn, words.first().map_or("", String::as_str));
        let command = exec_command(&program, words, assignments, steps);
        // The command was traced here already; the helper only execs it.
        let traced = (self.state.options.xtrace, self.state.options.verbose);
        (self.state.options.xtrace, self.state.options.verbose) = (false, false);
        let table = self.fds.clone();
        let started = self.spawn_self(&command, table);
        (self.state.options.xtrace, self.state.options.verbose) = traced;
        match started {
            Ok(p) => Ok(Child {
                pid: p.pid,
                pidfd: p.pidfd,
            }),
            Err(status) => Err(ExecError::Reported(status)),
        }
    }

    /// The file the plan executes, as a path the helper will not look up
    /// again (it has a `/`): the helper must run what this shell found.
    fn program_file(&self, spawn: &Spawn, name: &str) -> String {
        let path = match spawn.program() {
            Program::Path(p) => crate::bytes::decode(p.to_bytes()),
            Program::Fd(_) => self.state.commands.cached_path(name).map_or_else(
                || name.to_string(),
                |p| crate::bytes::decode_os(p.as_os_str()),
            ),
        };
        if path.contains('/') {
            path
        } else {
            format!("./{path}")
        }
    }
}

/// `NAME=VALUE… exec -a ARGV0 -- PROGRAM ARGS… REDIRECTIONS`, every part a
/// quoted literal: nothing is expanded twice.
fn exec_command(
    program: &str,
    words: &[String],
    assignments: &[(String, String)],
    steps: &[Resolved],
) -> Command {
    let argv0 = words.first().map_or(program, String::as_str);
    let mut argv = vec!["exec", "-a", argv0, "--", program];
    argv.extend(words.iter().skip(1).map(String::as_str));
    literal_command(&argv, assignments, steps)
}

/// `NAME=VALUE… ARGV… REDIRECTIONS`, every part a quoted literal.
pub(super) fn literal_command(
    argv: &[&str],
    assignments: &[(String, String)],
    steps: &[Resolved],
) -> Command {
    Command::Simple(SimpleCommand {
        assignments: assignments
            .iter()
            .map(|(name, value)| Assignment {
                name: name.clone(),
                index: None,
                append: false,
                value: AssignValue::Scalar(literal(value)),
            })
            .collect(),
        words: argv.iter().copied().map(literal).collect(),
        redirects: steps.iter().map(as_redirect).collect(),
        span: Span {
            start: 0,
            end: 0,
            line: 1,
        },
    })
}

/// `text` as a word that expands to exactly it (bare when that is safe,
/// for a readable hand-over script).
fn literal(text: &str) -> Word {
    let part = if crate::parser::unparse::quote(text) == text {
        WordPart::Literal(text.to_string())
    } else {
        WordPart::Quoted(text.to_string())
    };
    Word { parts: vec![part] }
}

/// A resolved step written back as a redirection that does exactly it.
fn as_redirect(step: &Resolved) -> Redirect {
    let (fd, op, target) = match step {
        Resolved::Open { fd, path, flags } => (*fd, open_op(*flags), literal(path)),
        Resolved::Dup { fd, src } => (*fd, RedirOp::DupOutput, literal(&src.to_string())),
        Resolved::Close { fd } => (*fd, RedirOp::DupOutput, literal("-")),
        Resolved::Content { fd, data } => {
            let doc = HereDoc {
                body: vec![WordPart::Quoted(crate::bytes::decode(data))],
                expand: false,
                delimiter: None,
                raw: None,
            };
            return Redirect {
                fd: u32::try_from(*fd).ok(),
                fd_var: None,
                op: RedirOp::HereDoc { strip_tabs: false },
                target: RedirTarget::HereDoc(doc),
            };
        }
    };
    Redirect {
        fd: u32::try_from(fd).ok(),
        fd_var: None,
        op,
        target: RedirTarget::Word(target),
    }
}

/// The operator that opens with `flags`. `>` without `O_TRUNC` comes from
/// `set -C`, which the helper has too (and which a FIFO passes).
fn open_op(flags: OFlag) -> RedirOp {
    let access = flags & OFlag::O_ACCMODE;
    if access == OFlag::O_RDONLY {
        RedirOp::Input
    } else if access == OFlag::O_RDWR {
        RedirOp::ReadWrite
    } else if flags.contains(OFlag::O_APPEND) {
        RedirOp::Append
    } else if flags.contains(OFlag::O_TRUNC) {
        RedirOp::Clobber
    } else {
        RedirOp::Output
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_come_back_as_the_same_redirections() {
        let steps = [
            Resolved::Open {
                fd: 0,
                path: "it's".into(),
                flags: OFlag::O_RDONLY,
            },
            Resolved::Open {
                fd: 1,
                path: "out".into(),
                flags: OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_TRUNC,
            },
            Resolved::Open {
                fd: 3,
                path: "log".into(),
                flags: OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_APPEND,
            },
            Resolved::Dup { fd: 2, src: 1 },
            Resolved::Close { fd: 4 },
            Resolved::Content {
                fd: 5,
                data: b"a b\n".to_vec(),
            },
        ];
        let words = ["cat".to_string(), "-u".to_string()];
        let vars = [("A".to_string(), "x y".to_string())];
        let text =
            crate::parser::unparse::command(&exec_command("/bin/cat", &words, &vars, &steps));
        assert_eq!(
            text,
            "A='x y' exec -a cat -- /bin/cat -u 0< 'it'\\''s' 1>| out 3>> log 2>&1 4>&- 5<<'EOF'\na b\nEOF\n"
        );
    }
}
