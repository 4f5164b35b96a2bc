//! The unary and binary primaries of `test` and `[[ … ]]`: file tests
//! (paths resolved in the context: its own directory, its own descriptors
//! for `/dev/fd/N`), string and integer comparisons, `-v` and `-o`. The
//! evaluator's, because `[[ ]]` is syntax; the `test` builtin parses its
//! arguments and asks here.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use nix::unistd::{AccessFlags, access};

use super::Shell;

/// Evaluates a unary file or string operator (`-f`, `-z`, …); `None` when
/// `op` is not one.
pub fn unary(sh: &mut Shell, op: &str, arg: &str) -> Option<bool> {
    if op == "-v" {
        return Some(sh.is_set(arg));
    }
    let sh = &*sh;
    // File operands resolve in the context: its own directory, its own
    // descriptors for `/dev/fd/N` and the like.
    let file = || sh.resolve_path(arg).map_err(std::io::Error::from);
    let meta = || file().and_then(|f| std::fs::metadata(f.as_ref()));
    let access = |mode| file().is_ok_and(|f| access(f.as_ref(), mode).is_ok());
    Some(match op {
        "-z" => arg.is_empty(),
        "-n" => !arg.is_empty(),
        "-e" | "-a" => meta().is_ok(),
        "-f" => meta().is_ok_and(|m| m.is_file()),
        "-d" => meta().is_ok_and(|m| m.is_dir()),
        "-b" => meta().is_ok_and(|m| m.file_type().is_block_device()),
        "-c" => meta().is_ok_and(|m| m.file_type().is_char_device()),
        "-p" => meta().is_ok_and(|m| m.file_type().is_fifo()),
        "-S" => meta().is_ok_and(|m| m.file_type().is_socket()),
        "-L" | "-h" => file()
            .and_then(|f| std::fs::symlink_metadata(f.as_ref()))
            .is_ok_and(|m| m.file_type().is_symlink()),
        "-s" => meta().is_ok_and(|m| m.len() > 0),
        "-g" => meta().is_ok_and(|m| m.permissions().mode() & 0o2000 != 0),
        "-u" => meta().is_ok_and(|m| m.permissions().mode() & 0o4000 != 0),
        "-k" => meta().is_ok_and(|m| m.permissions().mode() & 0o1000 != 0),
        "-r" => access(AccessFlags::R_OK),
        "-w" => access(AccessFlags::W_OK),
        "-x" => access(AccessFlags::X_OK),
        "-O" => meta().is_ok_and(|m| m.uid() == nix::unistd::geteuid().as_raw()),
        "-G" => meta().is_ok_and(|m| m.gid() == nix::unistd::getegid().as_raw()),
        "-N" => meta().is_ok_and(|m| m.mtime() >= m.atime()),
        "-t" => arg
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|fd| sh.raw_fd(fd))
            .is_some_and(crate::sys::fd::isatty),
        "-o" => sh.state.options.get(arg),
        _ => return None,
    })
}

/// An error from `test` operands.
pub type TestError = String;

fn integer(s: &str) -> Result<i64, TestError> {
    s.trim()
        .parse::<i64>()
        .map_err(|_| format!("{s}: integer expression expected"))
}

/// A file operand's metadata, the path resolved in the context.
fn metadata(sh: &Shell, path: &str) -> Option<std::fs::Metadata> {
    let on_disk = sh.resolve_path(path).ok()?;
    std::fs::metadata(on_disk.as_ref()).ok()
}

fn modified(sh: &Shell, path: &str) -> Option<std::time::SystemTime> {
    metadata(sh, path).and_then(|m| m.modified().ok())
}

/// Evaluates a binary operator; `Ok(None)` when `op` is not one.
pub fn binary(sh: &Shell, lhs: &str, op: &str, rhs: &str) -> Result<Option<bool>, TestError> {
    Ok(Some(match op {
        "=" | "==" => lhs == rhs,
        "!=" => lhs != rhs,
        "<" => lhs < rhs,
        ">" => lhs > rhs,
        "-eq" => integer(lhs)? == integer(rhs)?,
        "-ne" => integer(lhs)? != integer(rhs)?,
        "-lt" => integer(lhs)? < integer(rhs)?,
        "-le" => integer(lhs)? <= integer(rhs)?,
        "-gt" => integer(lhs)? > integer(rhs)?,
        "-ge" => integer(lhs)? >= integer(rhs)?,
        "-nt" => match (modified(sh, lhs), modified(sh, rhs)) {
            (Some(a), Some(b)) => a > b,
            (Some(_), None) => true,
            _ => false,
        },
        "-ot" => match (modified(sh, lhs), modified(sh, rhs)) {
            (Some(a), Some(b)) => a < b,
            (None, Some(_)) => true,
            _ => false,
        },
        "-ef" => match (metadata(sh, lhs), metadata(sh, rhs)) {
            (Some(a), Some(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        },
        _ => return Ok(None),
    }))
}
