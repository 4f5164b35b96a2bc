//! The fd table: shell fd number → descriptor, per execution context.
//!
//! Redirections edit a copy of the table for one command and never the
//! shell's own descriptors (invariant 2). Builtins write through it; for an
//! external command it is lowered to `dup2` ops ([`super::lower`]).

use crate::sys::fd::parse_fd_name;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use nix::errno::Errno;

/// What a shell fd number refers to.
#[derive(Debug, Clone)]
pub enum FdEntry {
    /// One of the descriptors the shell process was started with, at the
    /// same number; not owned, never closed by the table.
    Inherited(RawFd),
    /// A descriptor the shell opened (always `O_CLOEXEC`), shared by every
    /// table that refers to it; closed when the last reference goes.
    Owned(Arc<OwnedFd>),
    /// The standard output of a command substitution: builtins append to
    /// memory; a pipe is made only when a child needs a real descriptor.
    Capture(Arc<Capture>),
}

/// Output collected for `$( … )`.
///
/// Builtins write into memory without a syscall. The first time a real
/// descriptor is needed (a child is spawned onto it), a pipe is created
/// with a thread that reads it; from then on builtins write through the
/// pipe too, so the order of output is kept.
#[derive(Debug, Default)]
pub struct Capture {
    state: Mutex<CaptureState>,
}

#[derive(Debug, Default)]
struct CaptureState {
    data: Vec<u8>,
    pipe: Option<(OwnedFd, JoinHandle<Vec<u8>>)>,
}

impl Capture {
    fn state(&self) -> std::sync::MutexGuard<'_, CaptureState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends output.
    pub fn write(&self, bytes: &[u8]) -> Result<(), Errno> {
        let mut state = self.state();
        match &state.pipe {
            Some((w, _)) => crate::sys::fd::write_all(w.as_raw_fd(), bytes),
            None => {
                state.data.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// A descriptor children can write to (the pipe, made on first use).
    pub fn raw_fd(&self) -> Result<RawFd, Errno> {
        let mut state = self.state();
        if let Some((w, _)) = &state.pipe {
            return Ok(w.as_raw_fd());
        }
        let (r, w) = crate::sys::fd::pipe()?;
        let reader = std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(move || {
                let mut out = Vec::new();
                let _ = std::fs::File::from(r).read_to_end(&mut out);
                out
            })
            .map_err(|_| Errno::EAGAIN)?;
        let raw = w.as_raw_fd();
        state.pipe = Some((w, reader));
        Ok(raw)
    }

    /// Everything written, once the writers are done: the shell's own
    /// write end is closed here, and the pipe (if any) read to its end.
    pub fn finish(&self) -> Vec<u8> {
        let mut state = self.state();
        if let Some((w, reader)) = state.pipe.take() {
            drop(w);
            let piped = reader.join().unwrap_or_default();
            state.data.extend_from_slice(&piped);
        }
        std::mem::take(&mut state.data)
    }
}

impl FdEntry {
    /// The real descriptor number in the shell process.
    pub fn raw(&self) -> RawFd {
        match self {
            FdEntry::Inherited(fd) => *fd,
            FdEntry::Owned(fd) => fd.as_raw_fd(),
            FdEntry::Capture(c) => c.raw_fd().unwrap_or(-1),
        }
    }
}

/// Shell fd number → entry: 0–2 in place, the rest in a tree, so that
/// copying a table that maps only the standard descriptors (every `$( )`
/// and subshell copies one) allocates nothing.
#[derive(Debug, Clone, Default)]
struct FdMap {
    standard: [Option<FdEntry>; 3],
    others: BTreeMap<RawFd, FdEntry>,
}

impl FdMap {
    fn standard_slot(&mut self, fd: RawFd) -> Option<&mut Option<FdEntry>> {
        usize::try_from(fd)
            .ok()
            .and_then(|i| self.standard.get_mut(i))
    }

    fn get(&self, fd: &RawFd) -> Option<&FdEntry> {
        match usize::try_from(*fd).ok().and_then(|i| self.standard.get(i)) {
            Some(slot) => slot.as_ref(),
            None => self.others.get(fd),
        }
    }

    fn contains_key(&self, fd: &RawFd) -> bool {
        self.get(fd).is_some()
    }

    fn insert(&mut self, fd: RawFd, entry: FdEntry) {
        match self.standard_slot(fd) {
            Some(slot) => *slot = Some(entry),
            None => {
                self.others.insert(fd, entry);
            }
        }
    }

    fn remove(&mut self, fd: &RawFd) {
        match self.standard_slot(*fd) {
            Some(slot) => *slot = None,
            None => {
                self.others.remove(fd);
            }
        }
    }

    /// Every mapping, in fd order.
    fn iter(&self) -> impl Iterator<Item = (&RawFd, &FdEntry)> {
        const STANDARD: [RawFd; 3] = [0, 1, 2];
        let standard = STANDARD
            .iter()
            .zip(&self.standard)
            .filter_map(|(fd, slot)| Some((fd, slot.as_ref()?)));
        standard.chain(self.others.iter())
    }
}

/// A context's descriptors.
#[derive(Debug, Clone, Default)]
pub struct FdTable {
    map: FdMap,
    /// Descriptors the process inherited (open without close-on-exec in
    /// the shell process); a child must not see one the table dropped.
    /// Shared by every copy: it never changes after start-up.
    inherited: Arc<[RawFd]>,
    /// Numbers a program started by exec does not receive, as if their
    /// descriptors were close-on-exec in a shell that forks (a coprocess's
    /// ends: `cat` must not hold the write end of its own input). Shell
    /// code, self-spawned subshells included, sees them; a redirection
    /// that names one passes it on.
    private: BTreeSet<RawFd>,
}

impl FdTable {
    /// The table of a new shell: every descriptor the process inherited
    /// without close-on-exec (0–2 and any others the caller passed; not
    /// one of 0–2 that was closed when it started).
    pub fn from_process() -> FdTable {
        let mut table = FdTable::default();
        let listed = crate::sys::fd::open_fds();
        let closed_at_start: Vec<RawFd> = crate::sys::std_fds_closed_at_start().collect();
        for &fd in &closed_at_start {
            // The runtime's placeholder keeps the number taken, for no child.
            crate::sys::fd::set_cloexec(fd);
        }
        let mut inherited = Vec::new();
        for fd in listed {
            if crate::sys::fd::is_open_without_cloexec(fd) {
                table.map.insert(fd, FdEntry::Inherited(fd));
                inherited.push(fd);
            }
        }
        inherited.sort_unstable();
        table.inherited = inherited.into();
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
        self.forget_private(fd);
        self.map.insert(fd, entry);
    }

    /// Points `fd` at a descriptor the shell just opened.
    pub fn set_owned(&mut self, fd: RawFd, owned: OwnedFd) {
        self.set(fd, FdEntry::Owned(Arc::new(owned)));
    }

    /// Points `fd` at a descriptor programs started by exec do not get
    /// (see `private`).
    pub fn set_private(&mut self, fd: RawFd, owned: Arc<OwnedFd>) {
        self.map.insert(fd, FdEntry::Owned(owned));
        self.private.insert(fd);
    }

    fn forget_private(&mut self, fd: RawFd) {
        if !self.private.is_empty() {
            self.private.remove(&fd);
        }
    }

    /// Whether a program started by exec receives `fd`.
    pub fn passed_on_exec(&self, fd: RawFd) -> bool {
        self.private.is_empty() || !self.private.contains(&fd)
    }

    /// Before the descriptor limit drops to `limit`: every shell fd at or
    /// above it whose descriptor lives elsewhere moves to its own number
    /// (close-on-exec; children get it by an `inherit` op), where a child
    /// can still receive it once no new descriptor may be made that high.
    /// bash keeps such fds at their numbers anyway. A number the shell
    /// uses for something else is left alone.
    pub fn settle_at_or_above(&mut self, limit: RawFd) {
        let moves: Vec<(RawFd, RawFd)> = self
            .map
            .iter()
            .filter(|(n, e)| **n >= limit && matches!(e, FdEntry::Owned(_)) && e.raw() != **n)
            .map(|(n, e)| (*n, e.raw()))
            .collect();
        for (n, raw) in moves {
            if crate::sys::fd::is_open(n) {
                continue;
            }
            if let Ok(placed) = crate::sys::fd::dup_to(raw, n) {
                self.set_owned(n, placed);
            }
        }
    }

    /// `n>&-`.
    pub fn close(&mut self, fd: RawFd) {
        self.forget_private(fd);
        self.map.remove(&fd);
    }

    /// Puts `fds` back as they are in `saved`: the end of a redirection,
    /// which undoes its own changes and keeps those an `exec` made
    /// meanwhile (`{ exec 5>f; } >/dev/null` leaves 5 open).
    pub fn restore(&mut self, saved: &FdTable, fds: impl IntoIterator<Item = RawFd>) {
        for fd in fds {
            match saved.get(fd) {
                Some(entry) => self.set(fd, entry.clone()),
                None => self.close(fd),
            }
            if !saved.passed_on_exec(fd) {
                self.private.insert(fd);
            }
        }
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

    /// The entry a path naming a descriptor (see [`parse_fd_name`]) stands
    /// for, with the rest of the path after the number: what a child whose
    /// descriptors were laid out from this table would reach through the
    /// kernel's `/dev/fd`. `ENOENT`, as the kernel answers, when the table
    /// has no such fd, whatever the shell process holds at that number.
    /// `None` for paths that name no descriptor.
    pub fn entry_by_name<'a>(&self, path: &'a str) -> Option<Result<(&FdEntry, &'a str), Errno>> {
        let (fd, rest) = parse_fd_name(path)?;
        Some(self.get(fd).map(|entry| (entry, rest)).ok_or(Errno::ENOENT))
    }

    /// A path naming a descriptor, rewritten to the shell process's own
    /// descriptor behind the table's entry (`/proc/self/fd/RAW…`), so that
    /// opening or stat-ing it reaches what a child would. `None` for paths
    /// that name no descriptor.
    pub fn path_by_name(&self, path: &str) -> Option<Result<PathBuf, Errno>> {
        Some(
            self.entry_by_name(path)?
                .and_then(|(entry, rest)| proc_path(entry, rest)),
        )
    }

    /// The highest number at most `at_most` (and at least 10, the
    /// numbers below being the user's) that the table does not use, else
    /// the lowest free one above.
    pub fn highest_free_at_most(&self, at_most: RawFd) -> RawFd {
        self.nth_free_below(at_most + 1, 1)
    }

    /// The `n`th highest free number below `below` and not below 10, else
    /// the lowest free one above `below`.
    pub fn nth_free_below(&self, below: RawFd, n: usize) -> RawFd {
        (10..below)
            .rev()
            .filter(|fd| !self.map.contains_key(fd))
            .nth(n.saturating_sub(1))
            .unwrap_or_else(|| self.lowest_free(below.max(10)))
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

/// `/proc/self/fd/RAW` for an entry's real descriptor (a capture gets its
/// pipe), followed by `rest`.
pub fn proc_path(entry: &FdEntry, rest: &str) -> Result<PathBuf, Errno> {
    let raw = match entry {
        FdEntry::Capture(capture) => capture.raw_fd()?,
        other => other.raw(),
    };
    Ok(PathBuf::from(format!("/proc/self/fd/{raw}{rest}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_lists_its_descriptors_in_order_standard_ones_included() {
        let mut table = FdTable::default();
        for fd in [7, 2, 0, 12, 1] {
            table.set(fd, FdEntry::Inherited(fd));
        }
        table.close(1);
        table.close(12);
        let listed: Vec<RawFd> = table.iter().map(|(fd, _)| fd).collect();
        assert_eq!(listed, [0, 2, 7]);
        assert!(table.get(1).is_none());
        assert_eq!(table.raw(7), Some(7));
        assert_eq!(table.lowest_free(0), 1);
        let copy = table.clone();
        table.close(0);
        assert_eq!(copy.raw(0), Some(0));
        assert!(table.get(0).is_none());
    }
}
