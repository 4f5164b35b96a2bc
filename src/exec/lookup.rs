//! Command lookup and user-space spawn templates.
//!
//! A command found on `PATH` is cached with an `O_PATH` descriptor of its
//! executable, the user-space twin of the kernel's proposed
//! `spawn_template_create`: later spawns use `execveat(fd, "", …,
//! AT_EMPTY_PATH)` and skip the path walk. `hash` lists and clears the
//! cache; assigning `PATH` clears it.

use rustc_hash::FxHashMap;
use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;
use nix::unistd::{AccessFlags, access};

use super::spawn::Program;
use crate::bytes::to_path;

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
}

impl CommandCache {
    /// Finds `name` on `path_var`, using and filling the cache.
    pub fn resolve(&mut self, name: &str, path_var: Option<&str>) -> Option<Resolved> {
        if let Some(hit) = Arc::make_mut(&mut self.entries).get_mut(name) {
            match identity_of(&hit.path) {
                // Gone: like bash, the remembered path is still what runs
                // (and fails); the next lookup searches again.
                None => {
                    let gone = hit.clone();
                    Arc::make_mut(&mut self.entries).remove(name);
                    return Some(Resolved {
                        template: None,
                        ..gone
                    });
                }
                Some(id) if Some(id) != hit.identity => {
                    hit.template = open_template(&hit.path);
                    hit.identity = Some(id);
                }
                Some(_) => {}
            }
            hit.hits += 1;
            return Some(hit.clone());
        }
        let path = search_path(name, path_var)?;
        let resolved = Resolved {
            template: open_template(&path),
            identity: identity_of(&path),
            path,
            hits: 1,
        };
        Arc::make_mut(&mut self.entries).insert(name.to_string(), resolved.clone());
        Some(resolved)
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
    }

    /// `hash -r`, or a change of `PATH`.
    pub fn clear(&mut self) {
        Arc::make_mut(&mut self.entries).clear();
    }

    /// Removes one name.
    pub fn remove(&mut self, name: &str) {
        Arc::make_mut(&mut self.entries).remove(name);
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

/// Every executable regular file named `name` in `PATH`, in order
/// (`type -a`).
pub fn executables_in_path(name: &str, path_var: Option<&str>) -> Vec<PathBuf> {
    let path_var = path_var.unwrap_or("/usr/local/bin:/usr/bin:/bin");
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
    let path_var = path_var.unwrap_or("/usr/local/bin:/usr/bin:/bin");
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
