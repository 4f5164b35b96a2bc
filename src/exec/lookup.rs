//! Command lookup and user-space spawn templates.
//!
//! A command found on `PATH` is cached with an `O_PATH` descriptor of its
//! executable, the user-space twin of the kernel's proposed
//! `spawn_template_create`: later spawns use `execveat(fd, "", …,
//! AT_EMPTY_PATH)` and skip the path walk. `hash` lists and clears the
//! cache; assigning `PATH` clears it.

use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{AccessFlags, access};

use crate::bytes::to_path;
use crate::spawn::Program;

/// A resolved command.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The full path.
    pub path: PathBuf,
    /// An `O_PATH` descriptor of the file, when it could be opened.
    pub template: Option<Arc<OwnedFd>>,
    /// Times used since cached (`hash` shows it).
    pub hits: u32,
    /// Device and inode the template refers to: a file replaced at the
    /// same path (a reinstalled program) gets a fresh template.
    identity: Option<(u64, u64)>,
    /// Used since the eviction's clock hand last passed it.
    recently_used: bool,
}

impl Resolved {
    /// How a spawn should name the program: the cached descriptor, or the path.
    pub fn program(&self) -> Program {
        match &self.template {
            Some(fd) => Program::Fd(fd.as_raw_fd()),
            None => Program::Path(path_cstring(&self.path)),
        }
    }
}

/// Converts a path to a C string (a path never holds NUL).
pub fn path_cstring(path: &Path) -> CString {
    CString::new(path.as_os_str().as_bytes()).unwrap_or_default()
}

/// The command cache (`hash`).
#[derive(Debug, Clone, Default)]
pub struct CommandCache {
    /// Shared with copies (subshells) until one of them changes it.
    entries: Arc<FxHashMap<String, Resolved>>,
    /// The names whose entries hold a template descriptor, in the order
    /// the templates were opened: the clock hand of a second-chance
    /// (CLOCK) eviction that keeps their number bounded.
    templated: Arc<VecDeque<String>>,
}

/// At most this many template descriptors are kept open (fewer under a
/// low descriptor limit: see [`template_budget`]); an evicted command
/// keeps its path and runs by path.
const MAX_TEMPLATES: usize = 64;

/// How many templates may be open: [`MAX_TEMPLATES`], and never more than
/// a sixteenth of the soft descriptor limit — but at least one: the
/// template just opened is about to be used by its raw number (see
/// [`Resolved::program`]) and must not be closed first.
fn template_budget() -> usize {
    use nix::sys::resource::{Resource, getrlimit};
    let soft = getrlimit(Resource::RLIMIT_NOFILE).map_or(u64::MAX, |(soft, _)| soft);
    usize::try_from(soft / 16)
        .map_or(MAX_TEMPLATES, |share| share.min(MAX_TEMPLATES))
        .max(1)
}

impl CommandCache {
    /// Finds `name` on `path_var`, using and filling the cache. A cached
    /// path that is gone is still what runs (and fails), as in bash,
    /// unless `recheck` (`shopt -s checkhash`, POSIX mode): then `PATH` is
    /// searched again.
    pub fn resolve(
        &mut self,
        name: &str,
        path_var: Option<&str>,
        recheck: bool,
    ) -> Option<Resolved> {
        if recheck
            && self
                .entries
                .get(name)
                .is_some_and(|e| !is_executable_file(&e.path))
        {
            self.remove(name);
        }
        if let Some(hit) = Arc::make_mut(&mut self.entries).get_mut(name) {
            match identity_of(&hit.path) {
                None => {
                    hit.hits += 1;
                    return Some(Resolved {
                        template: None,
                        ..hit.clone()
                    });
                }
                Some(id) if Some(id) != hit.identity => {
                    let queued = hit.template.is_some();
                    hit.template = open_template(&hit.path);
                    hit.identity = Some(id);
                    if !queued && hit.template.is_some() {
                        hit.hits += 1;
                        let found = hit.clone();
                        Arc::make_mut(&mut self.templated).push_back(name.to_string());
                        self.evict_templates();
                        return Some(found);
                    }
                }
                Some(_) => {}
            }
            hit.hits += 1;
            hit.recently_used = true;
            return Some(hit.clone());
        }
        let path = search_path(name, path_var)?;
        let resolved = Resolved {
            template: open_template(&path),
            identity: identity_of(&path),
            path,
            hits: 1,
            recently_used: false,
        };
        Arc::make_mut(&mut self.entries).insert(name.to_string(), resolved.clone());
        if resolved.template.is_some() {
            Arc::make_mut(&mut self.templated).push_back(name.to_string());
            self.evict_templates();
        }
        Some(resolved)
    }

    /// Closes templates past the budget: the clock hand passes the oldest
    /// first, sparing once (and clearing the mark of) each one used since
    /// it last came round. Each pass over an entry clears its mark, so the
    /// work per new command is constant on average.
    fn evict_templates(&mut self) {
        let budget = template_budget();
        while self.templated.len() > budget {
            let Some(name) = Arc::make_mut(&mut self.templated).pop_front() else {
                return;
            };
            let entries = Arc::make_mut(&mut self.entries);
            let Some(entry) = entries.get_mut(&name).filter(|e| e.template.is_some()) else {
                continue;
            };
            if std::mem::take(&mut entry.recently_used) {
                Arc::make_mut(&mut self.templated).push_back(name);
            } else {
                entry.template = None;
            }
        }
    }

    /// The cached path of `name`, without counting a use.
    pub fn cached_path(&self, name: &str) -> Option<&Path> {
        self.entries.get(name).map(|r| r.path.as_path())
    }

    /// Stops using the template descriptor for `name` (a script run through
    /// `execveat` of a close-on-exec descriptor cannot reopen itself).
    pub fn forget_template(&mut self, name: &str) {
        if let Some(e) = Arc::make_mut(&mut self.entries).get_mut(name) {
            e.template = None;
        }
        self.forget_templated(name);
    }

    /// `hash -r`, or a change of `PATH`.
    pub fn clear(&mut self) {
        Arc::make_mut(&mut self.entries).clear();
        Arc::make_mut(&mut self.templated).clear();
    }

    /// Removes one name; false when it was not cached.
    pub fn remove(&mut self, name: &str) -> bool {
        if !self.entries.contains_key(name) {
            return false;
        }
        Arc::make_mut(&mut self.entries).remove(name);
        self.forget_templated(name);
        true
    }

    /// `hash -p path name`, `BASH_CMDS[name]=path`: `name` runs `path`,
    /// which need not exist.
    pub fn insert_path(&mut self, name: &str, path: PathBuf) {
        self.remove(name);
        let resolved = Resolved {
            template: None,
            identity: None,
            path,
            hits: 0,
            recently_used: false,
        };
        Arc::make_mut(&mut self.entries).insert(name.to_string(), resolved);
    }

    fn forget_templated(&mut self, name: &str) {
        if self.templated.iter().any(|n| n == name) {
            Arc::make_mut(&mut self.templated).retain(|n| n != name);
        }
    }

    /// How many template descriptors are open.
    pub fn open_templates(&self) -> usize {
        self.entries
            .values()
            .filter(|e| e.template.is_some())
            .count()
    }

    /// `hash`: entries sorted by name.
    pub fn entries(&self) -> Vec<(&String, &Resolved)> {
        let mut v: Vec<_> = self.entries.iter().collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    }
}

fn open_template(path: &Path) -> Option<Arc<OwnedFd>> {
    open(path, OFlag::O_PATH | OFlag::O_CLOEXEC, Mode::empty())
        .ok()
        .map(Arc::new)
}

fn identity_of(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// What an unset `PATH` searches: the current directory (bash, dash).
const UNSET_PATH: &str = "";

/// Every executable regular file named `name` in `PATH`, in order
/// (`type -a`).
pub fn executables_in_path(name: &str, path_var: Option<&str>) -> Vec<PathBuf> {
    let path_var = path_var.unwrap_or(UNSET_PATH);
    path_var
        .split(':')
        .map(|dir| to_path(if dir.is_empty() { "." } else { dir }).join(to_path(name)))
        .filter(|candidate| is_executable_file(candidate))
        .collect()
}

/// A regular file this process may execute.
pub fn is_executable_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file()) && access(path, AccessFlags::X_OK).is_ok()
}

/// Searches `PATH` for an executable regular file named `name`; the first
/// existing non-executable file is returned when nothing executable exists
/// (so that the caller reports "Permission denied", as shells do).
pub fn search_path(name: &str, path_var: Option<&str>) -> Option<PathBuf> {
    let path_var = path_var.unwrap_or(UNSET_PATH);
    let mut first_existing = None;
    for dir in path_var.split(':') {
        let dir = if dir.is_empty() { "." } else { dir };
        let candidate = to_path(dir).join(to_path(name));
        let Ok(meta) = std::fs::metadata(&candidate) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        if access(&candidate, AccessFlags::X_OK).is_ok() {
            return Some(candidate);
        }
        first_existing.get_or_insert(candidate);
    }
    first_existing
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A directory of `n` commands (symbolic links to `true`).
    fn commands(n: usize) -> (PathBuf, String) {
        let dir = std::env::temp_dir().join(format!("pidsh-lookup-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let target = search_path("true", Some("/usr/bin:/bin")).unwrap();
        for i in 0..n {
            std::os::unix::fs::symlink(&target, dir.join(format!("c{i}"))).unwrap();
        }
        let path = dir.to_string_lossy().into_owned();
        (dir, path)
    }

    #[test]
    fn templates_stay_within_the_budget_and_the_busy_one_keeps_its() {
        let (dir, path) = commands(3 * MAX_TEMPLATES);
        let mut cache = CommandCache::default();
        for i in 0..3 * MAX_TEMPLATES {
            assert!(
                cache
                    .resolve(&format!("c{i}"), Some(&path), false)
                    .is_some()
            );
            // c0 is used all the time: the clock spares it.
            assert!(cache.resolve("c0", Some(&path), false).is_some());
        }
        assert!(cache.open_templates() <= template_budget());
        assert!(cache.entries.get("c0").unwrap().template.is_some());
        // Every command is still found, by path when it has no template.
        let last = format!("c{}", 3 * MAX_TEMPLATES - 1);
        assert!(cache.resolve("c1", Some(&path), false).is_some());
        assert!(cache.entries.get(&last).unwrap().template.is_some());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
