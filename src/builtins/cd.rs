//! The working directory: `cd` and `pwd`.
//!
//! The top-level shell changes the process's directory; an in-process
//! subshell keeps its own (`Shell::cwd`, see `exec/context.rs`), so its
//! parent never sees the change.

use std::sync::Arc;

use nix::errno::Errno;
use nix::fcntl::{OFlag, open};
use nix::sys::stat::Mode;

use crate::exec::Shell;
use crate::exec::eval::Status;

/// Makes `path` the context's working directory.
fn change_dir(sh: &mut Shell, path: &str) -> Result<(), Errno> {
    // `/dev/fd/N` names the context's descriptor N, not the process's.
    let named = sh.fds.path_by_name(path).transpose()?;
    let on_disk = match &named {
        Some(proc_path) => std::borrow::Cow::Borrowed(proc_path.as_path()),
        None => crate::bytes::to_path(path),
    };
    if sh.owns_process {
        nix::unistd::chdir(on_disk.as_ref())?;
        sh.state.cwd = None;
        return Ok(());
    }
    let flags = OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
    let dir = match sh.cwd_fd() {
        Some(base) if !path.starts_with('/') => {
            crate::sys::fd::openat(base, on_disk.as_ref(), flags, Mode::empty())?
        }
        _ => open(on_disk.as_ref(), flags, Mode::empty())?,
    };
    sh.state.cwd = Some(Arc::new(dir));
    Ok(())
}

/// The context's directory as the kernel names it (`pwd -P`).
fn physical_dir(sh: &Shell) -> Option<String> {
    match sh.cwd_prefix() {
        Some(link) => std::fs::read_link(link)
            .ok()
            .map(|p| crate::bytes::decode_os(p.as_os_str())),
        None => current_dir(),
    }
}

fn is_dir(sh: &Shell, path: &str) -> bool {
    sh.resolve_path(path).is_ok_and(|p| p.is_dir())
}

/// Lexically normalises an absolute path: removes `.`, resolves `..`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for comp in path.split('/') {
        match comp {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// `cd [-L|-P] [dir|-]`.
pub fn cd(sh: &mut Shell, argv: &[String]) -> Status {
    let mut physical = false;
    let mut args: Vec<&String> = Vec::new();
    let mut options_done = false;
    for a in &argv[1..] {
        match a.as_str() {
            "--" if !options_done => options_done = true,
            // Letters combine (`-PL`: the last of -L/-P wins); `-e` only
            // matters with -P, where a failed `pwd` would make it fail.
            flags if !options_done && flags.len() > 1 && flags.starts_with('-') => {
                for c in flags[1..].chars() {
                    match c {
                        'P' => physical = true,
                        'L' => physical = false,
                        'e' => {}
                        _ => {
                            let msg = format!(
                                "-{c}: invalid option\ncd: usage: cd [-L|[-P [-e]] [-@]] [dir]"
                            );
                            return sh.builtin_error("cd", &msg, 2);
                        }
                    }
                }
            }
            _ => {
                options_done = true;
                args.push(a);
            }
        }
    }
    if args.len() > 1 && !sh.state.options.posix {
        return sh.builtin_error("cd", "too many arguments", 1);
    }
    // In POSIX mode extra operands are ignored.
    args.truncate(1);
    let mut print_dir = false;
    let target = match args.first().map(|s| s.as_str()) {
        None | Some("") if args.is_empty() => match sh.state.vars.get("HOME") {
            Some(h) => h.to_string(),
            None => return sh.builtin_error("cd", "HOME not set", 1),
        },
        Some("-") => match sh.state.vars.get("OLDPWD") {
            Some(o) => {
                print_dir = true;
                o.to_string()
            }
            None => return sh.builtin_error("cd", "OLDPWD not set", 1),
        },
        Some(dir) => dir.to_string(),
        None => String::new(),
    };
    match change_directory(sh, &target, physical) {
        Ok(changed) => {
            if print_dir || changed.from_cdpath {
                sh.print("cd", &format!("{}\n", changed.pwd))?;
            }
            Ok(i32::from(changed.readonly))
        }
        Err(msg) => sh.builtin_error("cd", &msg, 1),
    }
}

/// A directory change that happened.
pub struct Changed {
    /// The new `PWD`.
    pub pwd: String,
    /// Whether CDPATH found it.
    pub from_cdpath: bool,
    /// Whether `PWD` or `OLDPWD` was readonly (said; the change stands,
    /// and `cd` fails, as in bash).
    pub readonly: bool,
}

/// Changes the context's directory to `target` as `cd` does (CDPATH,
/// logical `..` unless `physical`), setting `PWD` and `OLDPWD`; or the
/// error message.
pub fn change_directory(sh: &mut Shell, target: &str, physical: bool) -> Result<Changed, String> {
    let target = target.to_string();
    let mut candidates = Vec::new();
    let relative = !target.starts_with('/')
        && !target.starts_with("./")
        && !target.starts_with("../")
        && target != "."
        && target != "..";
    if relative && let Some(cdpath) = sh.state.vars.get("CDPATH") {
        for base in cdpath.split(':').filter(|b| !b.is_empty()) {
            candidates.push((format!("{}/{target}", base.trim_end_matches('/')), true));
        }
    }
    candidates.push((target.clone(), false));
    let old = sh
        .state
        .vars
        .get("PWD")
        .map(str::to_string)
        .or_else(|| physical_dir(sh));
    for (candidate, from_cdpath) in candidates {
        let logical = if candidate.starts_with('/') {
            normalize(&candidate)
        } else {
            normalize(&format!("{}/{candidate}", old.clone().unwrap_or_default()))
        };
        let attempt = if physical {
            candidate.clone()
        } else {
            logical.clone()
        };
        // `BAD/..` must fail even though its logical form exists.
        let physically_there = is_dir(sh, &candidate);
        if !physically_there && (candidate.contains("..") || !is_dir(sh, &attempt)) {
            continue;
        }
        let changed = change_dir(sh, &attempt).or_else(|_| change_dir(sh, &candidate));
        if let Err(e) = changed {
            return Err(format!("{target}: {}", crate::exec::error::describe(e)));
        }
        let new_pwd = if physical {
            physical_dir(sh).unwrap_or(logical)
        } else {
            logical
        };
        let mut readonly = false;
        if let Some(o) = old {
            if let Err(e) = sh.assign("OLDPWD", o) {
                sh.report(&e.to_string());
                readonly = true;
            }
            sh.state.vars.export("OLDPWD");
        }
        if let Err(e) = sh.assign("PWD", new_pwd.clone()) {
            sh.report(&e.to_string());
            readonly = true;
        }
        return Ok(Changed {
            pwd: new_pwd,
            from_cdpath,
            readonly,
        });
    }
    let resolved = sh.resolve_path(&target);
    let errno = match resolved.and_then(|p| nix::sys::stat::stat(p.as_ref())) {
        Ok(_) => nix::errno::Errno::ENOTDIR,
        Err(e) => e,
    };
    Err(format!("{target}: {}", crate::exec::error::describe(errno)))
}

fn current_dir() -> Option<String> {
    std::env::current_dir()
        .ok()
        .map(|p| crate::bytes::decode_os(p.as_os_str()))
}

/// `pwd [-L|-P]`.
pub fn pwd(sh: &mut Shell, argv: &[String]) -> Status {
    let physical = argv.iter().any(|a| a == "-P");
    let logical = sh.state.vars.get("PWD").map(str::to_string).filter(|p| {
        // A removed directory cannot be compared: trust $PWD then.
        p.starts_with('/')
            && (sh
                .resolve_path(p)
                .is_ok_and(|on_disk| crate::sys::fd::same_file(&on_disk, &sh.in_context_dir(".")))
                || std::fs::metadata(sh.in_context_dir(".").as_ref()).is_err())
    });
    let dir = match (physical, logical) {
        (false, Some(l)) => l,
        _ => match physical_dir(sh) {
            Some(d) => d,
            None => return sh.builtin_error("pwd", "cannot determine the current directory", 1),
        },
    };
    Ok(if sh.print("pwd", &format!("{dir}\n"))? {
        0
    } else {
        1
    })
}
