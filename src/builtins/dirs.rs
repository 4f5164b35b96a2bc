//! Working directory and file-creation mask: `cd`, `pwd`, `umask`.
//!
//! The top-level shell changes the process's directory and umask; an
//! in-process subshell keeps its own (`Shell::cwd`, `Shell::umask`, see
//! `exec/context.rs`), so its parent never sees the change.

use std::sync::Arc;

use nix::errno::Errno;
use nix::fcntl::{OFlag, open, openat};
use nix::sys::stat::{Mode, umask as sys_umask};

use crate::exec::Shell;
use crate::exec::eval::Status;

/// Makes `path` the context's working directory.
fn change_dir(sh: &mut Shell, path: &str) -> Result<(), Errno> {
    if sh.subshell_depth == 0 {
        nix::unistd::chdir(path)?;
        sh.cwd = None;
        return Ok(());
    }
    let flags = OFlag::O_PATH | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC;
    let dir = match sh.cwd_fd() {
        Some(base) if !path.starts_with('/') => openat(
            crate::exec::syscalls::borrow(base),
            path,
            flags,
            Mode::empty(),
        )?,
        _ => open(path, flags, Mode::empty())?,
    };
    sh.cwd = Some(Arc::new(dir));
    Ok(())
}

/// The context's directory as the kernel names it (`pwd -P`).
fn physical_dir(sh: &Shell) -> Option<String> {
    match sh.cwd_prefix() {
        Some(link) => std::fs::read_link(link)
            .ok()
            .map(|p| p.to_string_lossy().into_owned()),
        None => current_dir(),
    }
}

fn is_dir(sh: &Shell, path: &str) -> bool {
    std::path::Path::new(sh.resolve_path(path).as_ref()).is_dir()
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
    for a in &argv[1..] {
        match a.as_str() {
            "-P" => physical = true,
            "-L" => physical = false,
            _ => args.push(a),
        }
    }
    if args.len() > 1 {
        return sh.builtin_error("cd", "too many arguments", 1);
    }
    let mut print_dir = false;
    let target = match args.first().map(|s| s.as_str()) {
        None | Some("") if args.is_empty() => match sh.vars.get("HOME") {
            Some(h) => h.to_string(),
            None => return sh.builtin_error("cd", "HOME not set", 1),
        },
        Some("-") => match sh.vars.get("OLDPWD") {
            Some(o) => {
                print_dir = true;
                o.to_string()
            }
            None => return sh.builtin_error("cd", "OLDPWD not set", 1),
        },
        Some(dir) => dir.to_string(),
        None => String::new(),
    };
    let mut candidates = Vec::new();
    let relative = !target.starts_with('/')
        && !target.starts_with("./")
        && !target.starts_with("../")
        && target != "."
        && target != "..";
    if relative && let Some(cdpath) = sh.vars.get("CDPATH") {
        for base in cdpath.split(':').filter(|b| !b.is_empty()) {
            candidates.push((format!("{}/{target}", base.trim_end_matches('/')), true));
        }
    }
    candidates.push((target.clone(), false));
    let old = sh
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
        if !is_dir(sh, &attempt) && !is_dir(sh, &candidate) {
            continue;
        }
        let changed = change_dir(sh, &attempt).or_else(|_| change_dir(sh, &candidate));
        if let Err(e) = changed {
            let msg = format!("{target}: {}", crate::exec::error::describe(e));
            return sh.builtin_error("cd", &msg, 1);
        }
        let new_pwd = if physical {
            physical_dir(sh).unwrap_or(logical)
        } else {
            logical
        };
        if let Some(o) = old {
            let _ = sh.assign("OLDPWD", o);
        }
        let _ = sh.assign("PWD", new_pwd.clone());
        if print_dir || from_cdpath {
            sh.print("cd", format!("{new_pwd}\n").as_bytes())?;
        }
        return Ok(0);
    }
    let errno = match nix::sys::stat::stat(sh.resolve_path(&target).as_ref()) {
        Ok(_) => nix::errno::Errno::ENOTDIR,
        Err(e) => e,
    };
    let msg = format!("{target}: {}", crate::exec::error::describe(errno));
    sh.builtin_error("cd", &msg, 1)
}

fn current_dir() -> Option<String> {
    std::env::current_dir()
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// `pwd [-L|-P]`.
pub fn pwd(sh: &mut Shell, argv: &[String]) -> Status {
    let physical = argv.iter().any(|a| a == "-P");
    let logical = sh
        .vars
        .get("PWD")
        .map(str::to_string)
        .filter(|p| p.starts_with('/') && same_file(p, sh.resolve_path(".").as_ref()));
    let dir = match (physical, logical) {
        (false, Some(l)) => l,
        _ => match physical_dir(sh) {
            Some(d) => d,
            None => return sh.builtin_error("pwd", "cannot determine the current directory", 1),
        },
    };
    Ok(if sh.print("pwd", format!("{dir}\n").as_bytes())? {
        0
    } else {
        1
    })
}

fn same_file(a: &str, b: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// `umask [-S] [mode]`.
pub fn umask(sh: &mut Shell, argv: &[String]) -> Status {
    let symbolic = argv.iter().any(|a| a == "-S");
    let mode_arg = argv[1..].iter().find(|a| !a.starts_with('-'));
    let current = sh.current_umask();
    let Some(arg) = mode_arg else {
        let out = if symbolic {
            let perms = |shift: u32| {
                let allowed = !current >> shift & 7;
                let mut s = String::new();
                for (bit, c) in [(4, 'r'), (2, 'w'), (1, 'x')] {
                    if allowed & bit != 0 {
                        s.push(c);
                    }
                }
                s
            };
            format!("u={},g={},o={}\n", perms(6), perms(3), perms(0))
        } else {
            format!("{current:04o}\n")
        };
        return Ok(if sh.print("umask", out.as_bytes())? {
            0
        } else {
            1
        });
    };
    let new = if arg.chars().all(|c| c.is_digit(8)) {
        u32::from_str_radix(arg, 8).ok()
    } else {
        parse_symbolic(arg, current)
    };
    let Some(new) = new.filter(|m| *m <= 0o777) else {
        return sh.builtin_error(
            "umask",
            &format!("{arg}: invalid symbolic mode operator"),
            1,
        );
    };
    if sh.subshell_depth > 0 {
        sh.umask = Some(new);
    } else {
        sys_umask(Mode::from_bits_truncate(new));
    }
    Ok(0)
}

/// Applies a symbolic mode (`u=rwx,g-w,o+r`) to the permissions a mask allows.
fn parse_symbolic(spec: &str, mask: u32) -> Option<u32> {
    let mut allowed = !mask & 0o777;
    for clause in spec.split(',') {
        let op_pos = clause.find(['=', '+', '-'])?;
        let (who, rest) = clause.split_at(op_pos);
        let mut who_bits = 0;
        for c in who.chars() {
            who_bits |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => return None,
            };
        }
        if who.is_empty() {
            who_bits = 0o777;
        }
        let op = rest.chars().next()?;
        let mut perm = 0;
        for c in rest[1..].chars() {
            perm |= match c {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return None,
            };
        }
        let bits = perm & who_bits;
        match op {
            '=' => allowed = (allowed & !who_bits) | bits,
            '+' => allowed |= bits,
            _ => allowed &= !bits,
        }
    }
    Some(!allowed & 0o777)
}
