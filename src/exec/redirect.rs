//! Redirections: expanded once into [`Resolved`] steps, then either applied
//! to an fd table (builtins, functions, compound commands, `exec`) or
//! lowered to spawn ops (external commands). The shell's own descriptors
//! are never touched.

use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::Path;

use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;

use crate::bytes::to_path;
use crate::expand;
use crate::parser::ast::{RedirOp, RedirTarget, Redirect, WordPart};

use super::error::ExecError;
use super::fdtable::{FdEntry, FdTable, proc_path};
use super::state::Shell;
use crate::spawn::SpawnOp;
use crate::sys::fd as syscalls;
use crate::sys::fd::parse_fd_name;

/// One expanded redirection step, in the fd space of the command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Open `path` with `flags` onto `fd`.
    Open {
        /// Target fd.
        fd: RawFd,
        /// The file.
        path: String,
        /// Open flags (without close-on-exec).
        flags: OFlag,
    },
    /// Make `fd` a copy of `src`.
    Dup {
        /// Target fd.
        fd: RawFd,
        /// Source fd.
        src: RawFd,
    },
    /// Close `fd`.
    Close {
        /// Target fd.
        fd: RawFd,
    },
    /// Feed `data` on `fd` (here-documents, here-strings).
    Content {
        /// Target fd.
        fd: RawFd,
        /// The bytes.
        data: Vec<u8>,
    },
}

impl Resolved {
    /// The descriptor the step changes.
    pub fn fd(&self) -> RawFd {
        match self {
            Resolved::Open { fd, .. }
            | Resolved::Dup { fd, .. }
            | Resolved::Close { fd }
            | Resolved::Content { fd, .. } => *fd,
        }
    }
}

const CREATE_MODE: u32 = 0o666;

/// Expands redirections into steps.
pub fn resolve(sh: &mut Shell, redirects: &[Redirect]) -> Result<Vec<Resolved>, ExecError> {
    let mut out = Vec::new();
    for r in redirects {
        resolve_one(sh, r, &mut out)?;
    }
    Ok(out)
}

fn default_fd(op: RedirOp) -> RawFd {
    match op {
        RedirOp::Input
        | RedirOp::ReadWrite
        | RedirOp::DupInput
        | RedirOp::HereDoc { .. }
        | RedirOp::HereString => 0,
        _ => 1,
    }
}

/// `n>&-` or `n<&-`.
fn closes(r: &Redirect) -> bool {
    matches!(r.op, RedirOp::DupInput | RedirOp::DupOutput)
        && matches!(&r.target, RedirTarget::Word(w) if w.as_plain_literal() == Some("-"))
}

fn resolve_one(sh: &mut Shell, r: &Redirect, out: &mut Vec<Resolved>) -> Result<(), ExecError> {
    let fd = match (&r.fd_var, r.fd) {
        (Some(var), _) if closes(r) => {
            // `{var}>&-` closes the descriptor numbered by `var` (bash).
            let number = sh.state.vars.get(var).and_then(|v| v.parse::<RawFd>().ok());
            let fd = number.ok_or_else(|| ExecError::AmbiguousRedirect(var.clone()))?;
            out.push(Resolved::Close { fd });
            return Ok(());
        }
        (Some(var), _) => {
            let fd = sh.fds.lowest_free(10);
            sh.state
                .vars
                .set(var, fd.to_string())
                .map_err(|e| ExecError::Readonly(e.0))?;
            fd
        }
        (None, Some(n)) => n as RawFd,
        (None, None) => default_fd(r.op),
    };
    if !within_descriptor_limit(fd) {
        // The table would accept it, but no process could have it.
        return Err(ExecError::BadFd(fd.to_string()));
    }
    let word = match &r.target {
        RedirTarget::HereDoc(doc) => {
            let text = if doc.expand {
                expand::expand_quoted_parts(sh, &doc.body)?
            } else {
                doc.body
                    .iter()
                    .map(|p| match p {
                        WordPart::Quoted(s) | WordPart::Literal(s) => s.as_str(),
                        _ => "",
                    })
                    .collect()
            };
            out.push(Resolved::Content {
                fd,
                data: crate::bytes::encode(&text).into_owned(),
            });
            return Ok(());
        }
        RedirTarget::Word(w) => w,
    };
    if r.op == RedirOp::HereString {
        let mut text = expand::expand_string(sh, word)?;
        text.push('\n');
        out.push(Resolved::Content {
            fd,
            // Bytes that are not UTF-8 leave the shell as themselves.
            data: crate::bytes::encode(&text).into_owned(),
        });
        return Ok(());
    }
    let fields = if sh.state.options.posix && !sh.state.options.interactive {
        // POSIX 2.7: neither field splitting nor pathname expansion (dash,
        // bash's POSIX mode).
        vec![expand::expand_string(sh, word)?]
    } else {
        // bash: brace expansion too (`> a-{1,2}` is ambiguous).
        expand::expand_words(sh, std::slice::from_ref(word))?
    };
    let target = match fields.as_slice() {
        [one] => one.clone(),
        _ => {
            let shown = crate::parser::unparse::word(word);
            return Err(ExecError::AmbiguousRedirect(shown));
        }
    };
    let write_flags = OFlag::O_WRONLY | OFlag::O_CREAT;
    let open = |path: String, flags: OFlag| Resolved::Open { fd, path, flags };
    match r.op {
        RedirOp::Input => out.push(open(target, OFlag::O_RDONLY)),
        RedirOp::ReadWrite => out.push(open(target, OFlag::O_RDWR | OFlag::O_CREAT)),
        RedirOp::Output if sh.state.options.noclobber => {
            check_clobber(sh, &target)?;
            out.push(open(target, write_flags));
        }
        RedirOp::Output | RedirOp::Clobber => out.push(open(target, write_flags | OFlag::O_TRUNC)),
        RedirOp::Append => out.push(open(target, write_flags | OFlag::O_APPEND)),
        RedirOp::OutputBoth | RedirOp::AppendBoth => {
            let extra = if r.op == RedirOp::AppendBoth {
                OFlag::O_APPEND
            } else if sh.state.options.noclobber {
                check_clobber(sh, &target)?;
                OFlag::empty()
            } else {
                OFlag::O_TRUNC
            };
            out.push(Resolved::Open {
                fd: 1,
                path: target,
                flags: write_flags | extra,
            });
            out.push(Resolved::Dup { fd: 2, src: 1 });
        }
        RedirOp::DupInput | RedirOp::DupOutput => {
            // Only digits name a descriptor (`-1` is no number here: bash
            // calls it an ambiguous redirect).
            let number = |s: &str| {
                (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse::<RawFd>().ok())
                    .flatten()
            };
            if target == "-" {
                out.push(Resolved::Close { fd });
            } else if let Some(src) = number(&target) {
                out.push(Resolved::Dup { fd, src });
            } else if let Some(src) = target.strip_suffix('-').and_then(number) {
                out.push(Resolved::Dup { fd, src });
                out.push(Resolved::Close { fd: src });
            } else if !target.is_empty() && target.bytes().all(|b| b.is_ascii_digit()) {
                // A descriptor number too big for any process.
                return Err(ExecError::BadFd(target));
            } else if r.op == RedirOp::DupOutput && r.fd.is_none() {
                out.push(Resolved::Open {
                    fd: 1,
                    path: target,
                    flags: write_flags | OFlag::O_TRUNC,
                });
                out.push(Resolved::Dup { fd: 2, src: 1 });
            } else {
                return Err(ExecError::AmbiguousRedirect(target));
            }
        }
        RedirOp::HereDoc { .. } | RedirOp::HereString => {}
    }
    Ok(())
}

/// Whether descriptor `fd` can exist under the soft `RLIMIT_NOFILE`.
fn within_descriptor_limit(fd: RawFd) -> bool {
    use nix::sys::resource::{Resource, getrlimit};
    let soft = getrlimit(Resource::RLIMIT_NOFILE).map_or(u64::MAX, |(soft, _)| soft);
    u64::try_from(fd).is_ok_and(|n| n < soft)
}

/// `set -C`: `>` may not truncate an existing regular file.
fn check_clobber(sh: &Shell, path: &str) -> Result<(), ExecError> {
    let resolved = sh.resolve_path(path).map_err(std::io::Error::from);
    match resolved.and_then(|on_disk| std::fs::metadata(on_disk.as_ref())) {
        Ok(meta) if meta.is_file() => Err(ExecError::Clobber(path.to_string())),
        _ => Ok(()),
    }
}

/// Where and how the shell itself opens redirection targets: the
/// context's own directory and umask, when it has them.
#[derive(Debug, Clone, Copy, Default)]
pub struct OpenContext {
    /// Relative paths resolve against this directory.
    pub dir: Option<RawFd>,
    /// Files are created with this umask applied (the process umask still
    /// applies on top: a subshell can make creation stricter, not looser).
    pub umask: Option<u32>,
}

/// Opens a file for the shell itself (close-on-exec) in `ctx`.
fn open_for_shell(ctx: OpenContext, path: &str, flags: OFlag) -> Result<OwnedFd, ExecError> {
    open_in(ctx, &to_path(path), flags).map_err(|e| ExecError::Redirect(path.to_string(), e))
}

fn open_in(ctx: OpenContext, path: &Path, flags: OFlag) -> Result<OwnedFd, Errno> {
    let flags = flags | OFlag::O_CLOEXEC;
    let mode = Mode::from_bits_truncate(CREATE_MODE & !ctx.umask.unwrap_or(0));
    match ctx.dir {
        Some(dir) => crate::sys::fd::openat(dir, path, flags, mode),
        None => nix::fcntl::open(path, flags, mode),
    }
}

/// Opens `path` onto `fd` of `table`. A name of a descriptor
/// (`/dev/stdout`, `/dev/fd/N`, …) means the table's entry at that number,
/// reopened through the kernel as a child would reopen it (a regular file
/// gets a new offset, `O_TRUNC` truncates); a capture, which has no file
/// to reopen, is shared as `>&N` would share it.
fn open_onto(
    table: &mut FdTable,
    fd: RawFd,
    path: &str,
    flags: OFlag,
    ctx: OpenContext,
) -> Result<(), ExecError> {
    let fail = |e| ExecError::Redirect(path.to_string(), e);
    let owned = match table.entry_by_name(path) {
        None => open_for_shell(ctx, path, flags)?,
        Some(Err(e)) => return Err(fail(e)),
        Some(Ok((FdEntry::Capture(capture), ""))) => {
            let entry = FdEntry::Capture(capture.clone());
            table.set(fd, entry);
            return Ok(());
        }
        Some(Ok((entry, rest))) => {
            let on_disk = proc_path(entry, rest).map_err(fail)?;
            open_in(ctx, &on_disk, flags).map_err(fail)?
        }
    };
    table.set_owned(fd, owned);
    Ok(())
}

/// Applies steps to an fd table (the shell opens the files, in `ctx`).
pub fn apply_to_table(
    steps: &[Resolved],
    table: &mut FdTable,
    ctx: OpenContext,
) -> Result<(), ExecError> {
    for step in steps {
        match step {
            Resolved::Open { fd, path, flags } => open_onto(table, *fd, path, *flags, ctx)?,
            Resolved::Dup { fd, src } => {
                if fd == src {
                    if table.get(*src).is_none() {
                        return Err(ExecError::BadFd(src.to_string()));
                    }
                    continue;
                }
                let entry = table
                    .get(*src)
                    .cloned()
                    .ok_or_else(|| ExecError::BadFd(src.to_string()))?;
                table.set(*fd, entry);
            }
            Resolved::Close { fd } => table.close(*fd),
            Resolved::Content { fd, data } => {
                let owned = syscalls::content_fd(data)
                    .map_err(|e| ExecError::System("here-document".into(), e))?;
                table.set_owned(*fd, owned);
            }
        }
    }
    Ok(())
}

/// Lowers steps to spawn ops in the child's fd space, where `table` has
/// already been laid out. Descriptors the parent must keep open until the
/// spawn returns are pushed onto `keep`.
pub fn lower_to_ops(
    steps: &[Resolved],
    table: &FdTable,
    ops: &mut Vec<SpawnOp>,
    keep: &mut Vec<OwnedFd>,
) -> Result<(), ExecError> {
    let mut open_fds: Vec<RawFd> = table.iter().map(|(fd, _)| fd).collect();
    for step in steps {
        match step {
            Resolved::Open { fd, path, flags } => {
                // The child resolves a name like `/dev/fd/N` through its own
                // descriptors, which are the table's, except for the
                // shell's internal close-on-exec ones still open until exec:
                // close N first so that a number the table lacks is
                // `ENOENT` there too.
                if let Some((named, _)) = parse_fd_name(path)
                    && !open_fds.contains(&named)
                {
                    ops.push(SpawnOp::Close(named));
                }
                ops.push(SpawnOp::Open {
                    path: std::ffi::CString::new(crate::bytes::encode(path))
                        .map_err(|_| ExecError::Redirect(path.clone(), Errno::EINVAL))?,
                    flags: flags.bits(),
                    mode: CREATE_MODE,
                    fd: *fd,
                });
                open_fds.push(*fd);
            }
            Resolved::Dup { fd, src } => {
                if !open_fds.contains(src) {
                    return Err(ExecError::BadFd(src.to_string()));
                }
                if fd != src {
                    ops.push(SpawnOp::Dup2 {
                        src: *src,
                        dst: *fd,
                    });
                    open_fds.push(*fd);
                }
            }
            Resolved::Close { fd } => {
                ops.push(SpawnOp::Close(*fd));
                open_fds.retain(|f| f != fd);
            }
            Resolved::Content { fd, data } => {
                let owned = syscalls::content_fd(data)
                    .and_then(syscalls::move_high)
                    .map_err(|e| ExecError::System("here-document".into(), e))?;
                ops.push(SpawnOp::Dup2 {
                    src: owned.as_raw_fd(),
                    dst: *fd,
                });
                keep.push(owned);
                open_fds.push(*fd);
            }
        }
    }
    Ok(())
}
