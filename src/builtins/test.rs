//! `test` / `[`: POSIX operators with the argument-count rules, plus
//! `-nt -ot -ef`, `!`, `-a -o` and parentheses. The unary and binary
//! operators are shared with `[[ … ]]`.

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use nix::unistd::{AccessFlags, access};

use crate::exec::Shell;
use crate::exec::eval::Status;

/// Evaluates a unary file or string operator (`-f`, `-z`, …); `None` when
/// `op` is not one.
pub fn unary(sh: &Shell, op: &str, arg: &str) -> Option<bool> {
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
        "-v" if arg.contains('[') => sh.element_of(arg).is_some(),
        "-v" => sh.state.vars.get(arg).is_some(),
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

fn is_binary_op(op: &str) -> bool {
    matches!(
        op,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

struct Parser<'a> {
    sh: &'a Shell,
    args: &'a [String],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.args.get(self.pos).map(String::as_str)
    }

    fn or(&mut self) -> Result<bool, TestError> {
        let mut v = self.and()?;
        while self.peek() == Some("-o") {
            self.pos += 1;
            let r = self.and()?;
            v = v || r;
        }
        Ok(v)
    }

    fn and(&mut self) -> Result<bool, TestError> {
        let mut v = self.not()?;
        while self.peek() == Some("-a") {
            self.pos += 1;
            let r = self.not()?;
            v = v && r;
        }
        Ok(v)
    }

    fn not(&mut self) -> Result<bool, TestError> {
        if self.peek() == Some("!") && self.args.len() > self.pos + 1 {
            self.pos += 1;
            return Ok(!self.not()?);
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<bool, TestError> {
        let Some(first) = self.peek().map(str::to_string) else {
            return Err("argument expected".into());
        };
        if first == "(" {
            self.pos += 1;
            let v = self.or()?;
            if self.peek() != Some(")") {
                return Err("`)' expected".into());
            }
            self.pos += 1;
            return Ok(v);
        }
        if let Some(op) = self.args.get(self.pos + 1).map(String::as_str)
            && is_binary_op(op)
            && let Some(rhs) = self.args.get(self.pos + 2)
        {
            self.pos += 3;
            return binary(self.sh, &first, op, rhs).map(|v| v.unwrap_or(false));
        }
        if first.starts_with('-')
            && let Some(arg) = self.args.get(self.pos + 1)
            && let Some(v) = unary(self.sh, &first, arg)
        {
            self.pos += 2;
            return Ok(v);
        }
        self.pos += 1;
        Ok(!first.is_empty())
    }
}

/// Evaluates `test` arguments by the POSIX argument-count rules.
pub fn evaluate(sh: &Shell, args: &[String]) -> Result<bool, TestError> {
    let a = |i: usize| args[i].as_str();
    match args.len() {
        0 => Ok(false),
        1 => Ok(!args[0].is_empty()),
        2 if a(0) == "!" => Ok(args[1].is_empty()),
        2 => match unary(sh, a(0), a(1)) {
            Some(v) => Ok(v),
            None => Err(format!("{}: unary operator expected", a(0))),
        },
        3 if is_binary_op(a(1)) => binary(sh, a(0), a(1), a(2)).map(|v| v.unwrap_or(false)),
        3 if a(0) == "!" => evaluate(sh, &args[1..]).map(|v| !v),
        3 if a(0) == "(" && a(2) == ")" => Ok(!args[1].is_empty()),
        3 if a(1) == "-a" || a(1) == "-o" => {
            let (l, r) = (!args[0].is_empty(), !args[2].is_empty());
            Ok(if a(1) == "-a" { l && r } else { l || r })
        }
        4 if a(0) == "!" => evaluate(sh, &args[1..]).map(|v| !v),
        4 if a(0) == "(" && a(3) == ")" => evaluate(sh, &args[1..3]),
        _ => {
            let mut p = Parser { sh, args, pos: 0 };
            let v = p.or()?;
            if p.pos < args.len() {
                return Err(format!("{}: too many arguments", args[p.pos]));
            }
            Ok(v)
        }
    }
}

/// `test expr…` and `[ expr… ]`.
pub fn test(sh: &mut Shell, argv: &[String]) -> Status {
    let name = argv[0].as_str();
    let mut args = &argv[1..];
    if name == "[" {
        match args.last() {
            Some(last) if last == "]" => args = &args[..args.len() - 1],
            _ => return sh.builtin_error("[", "missing `]'", 2),
        }
    }
    match evaluate(sh, args) {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(msg) => sh.builtin_error(name, &msg, 2),
    }
}
