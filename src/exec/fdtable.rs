//! The fd table: shell fd number → descriptor, per execution context.
//!
//! Redirections edit a copy of the table for one command and never the
//! shell's own descriptors (invariant 2). Builtins write through it; for an
//! external command it is lowered to `dup2` ops ([`super::lower`]).

use std::collections::BTreeMap;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::sync::Arc;

/// What a shell fd number refers to.
#[derive(Debug, Clone)]
pub enum FdEntry {
    /// One of the descriptors the shell process was started with, at the
    /// same number; not owned, never closed by the table.
    Inherited(RawFd),
    /// A descriptor the shell opened (always `O_CLOEXEC`), shared by every
    /// table that refers to it; closed when the last reference goes.
    Owned(Arc<OwnedFd>),
}

impl FdEntry {
    /// The real descriptor number in the shell process.
    pub fn raw(&self) -> RawFd {
        match self {
            FdEntry::Inherited(fd) => *fd,
            FdEntry::Owned(fd) => fd.as_raw_fd(),
        }
    }
}

/// A context's descriptors.
#[derive(Debug, Clone, Default)]
pub struct FdTable {
    map: BTreeMap<RawFd, FdEntry>,
    /// Descriptors the process inherited (open without close-on-exec in
    /// the shell process); a child must not see one the table dropped.
    inherited: Vec<RawFd>,
}

impl FdTable {
    /// The table of a new shell: every descriptor the process inherited
    /// without close-on-exec (0–2 and any others the caller passed).
    pub fn from_process() -> FdTable {
        let mut table = FdTable::default();
        let listed: Vec<RawFd> = std::fs::read_dir("/proc/self/fd")
            .map(|dir| {
                dir.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse().ok()))
                    .collect()
            })
            .unwrap_or_else(|_| vec![0, 1, 2]);
        for fd in listed {
            if super::syscalls::is_open_without_cloexec(fd) {
                table.map.insert(fd, FdEntry::Inherited(fd));
                table.inherited.push(fd);
            }
        }
        table.inherited.sort_unstable();
        table
    }

    /// The entry at a shell fd number.
    pub fn get(&self, fd: RawFd) -> Option<&FdEntry> {
        self.map.get(&fd)
    }

    /// The real descriptor behind a shell fd number.
    pub fn raw(&self, fd: RawFd) -> Option<RawFd> {
        self.map.get(&fd).map(FdEntry::raw)
    }

    /// Points `fd` at an entry.
    pub fn set(&mut self, fd: RawFd, entry: FdEntry) {
        self.map.insert(fd, entry);
    }

    /// Points `fd` at a descriptor the shell just opened.
    pub fn set_owned(&mut self, fd: RawFd, owned: OwnedFd) {
        self.map.insert(fd, FdEntry::Owned(Arc::new(owned)));
    }

    /// `n>&-`.
    pub fn close(&mut self, fd: RawFd) {
        self.map.remove(&fd);
    }

    /// Every mapping, in fd order.
    pub fn iter(&self) -> impl Iterator<Item = (RawFd, &FdEntry)> {
        self.map.iter().map(|(k, v)| (*k, v))
    }

    /// Descriptors inherited at startup that a child must not see unless
    /// the table maps them.
    pub fn inherited(&self) -> &[RawFd] {
        &self.inherited
    }

    /// The lowest fd number ≥ `from` that the table does not use.
    pub fn lowest_free(&self, from: RawFd) -> RawFd {
        let mut fd = from;
        while self.map.contains_key(&fd) {
            fd += 1;
        }
        fd
    }
}
