//! A context's own working directory, umask and descriptor names.
//!
//! The top-level shell uses the process's. An in-process subshell that runs
//! `cd` or `umask` keeps its own instead (`Shell::cwd`, `Shell::umask`), so
//! nothing it does reaches its parent or a concurrent pipeline stage: the
//! paths the shell opens itself resolve against the directory fd, and
//! children get `Fchdir`/`Umask` ops. Likewise `/dev/stdin`, `/dev/fd/N`
//! and the like name the context's fd table, not the process's
//! descriptors.

use std::borrow::Cow;
use std::os::fd::{AsRawFd, RawFd};
use std::path::Path;

use nix::errno::Errno;

use super::state::Shell;
use crate::spawn::SpawnOp;

impl Shell {
    /// The directory descriptor relative paths resolve against, when this
    /// context has its own.
    pub fn cwd_fd(&self) -> Option<RawFd> {
        self.state.cwd.as_ref().map(|fd| fd.as_raw_fd())
    }

    /// `path` as the shell itself must open or stat it in this context.
    /// A name of a descriptor (`/dev/stdin`, `/dev/fd/N`, …) reaches the
    /// one the context's fd table has at that number, as in a child
    /// (`ENOENT` when the table has none; see
    /// [`crate::sys::fd::parse_fd_name`]). Other paths go through
    /// [`Shell::in_context_dir`].
    pub fn resolve_path<'a>(&self, path: &'a str) -> Result<Cow<'a, Path>, Errno> {
        match self.fds.path_by_name(path) {
            Some(named) => named.map(Cow::Owned),
            None => Ok(self.in_context_dir(path)),
        }
    }

    /// `path` unchanged when absolute or when the context uses the
    /// process's directory; otherwise through `/proc/self/fd/N` of the
    /// context's directory.
    pub fn in_context_dir<'a>(&self, path: &'a str) -> Cow<'a, Path> {
        let on_disk = crate::bytes::to_path(path);
        match self.cwd_fd() {
            Some(fd) if !path.starts_with('/') => {
                Cow::Owned(Path::new(&format!("/proc/self/fd/{fd}")).join(on_disk))
            }
            _ => on_disk,
        }
    }

    /// The prefix [`Shell::in_context_dir`] puts before relative paths, if any.
    pub fn cwd_prefix(&self) -> Option<String> {
        self.cwd_fd().map(|fd| format!("/proc/self/fd/{fd}"))
    }

    /// The ops that give a child this context's directory and umask.
    pub fn context_ops(&self) -> Vec<SpawnOp> {
        let mut ops = Vec::new();
        if let Some(fd) = self.cwd_fd() {
            ops.push(SpawnOp::Fchdir(fd));
        }
        if let Some(mask) = self.state.umask {
            ops.push(SpawnOp::Umask(mask));
        }
        ops
    }

    /// How the shell itself opens files in this context.
    pub fn open_context(&self) -> super::redirect::OpenContext {
        super::redirect::OpenContext {
            dir: self.cwd_fd(),
            umask: self.state.umask,
        }
    }

    /// The umask in effect for this context.
    pub fn current_umask(&self) -> u32 {
        self.state.umask.unwrap_or_else(|| {
            let mask = nix::sys::stat::umask(nix::sys::stat::Mode::empty());
            nix::sys::stat::umask(mask);
            mask.bits()
        })
    }
}
