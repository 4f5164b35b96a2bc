//! `history`: list, clear, delete and add entries of the command history,
//! and move them to and from the history file (`HISTFILE`), as bash does.

use super::options;
use crate::exec::Shell;
use crate::exec::eval::{Status, Unwind};
use crate::exec::histexpand::Expanded;
use crate::exec::history::{append_lines, file_limit, size_limit, truncate_file, write_lines};

const USAGE: &str = "history: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]";

/// What `history`'s options ask for (bash's `acd:npsrw`).
#[derive(Default)]
struct Flags {
    clear: bool,
    delete: Option<String>,
    /// `-a`, `-n`, `-r` or `-w`: at most one.
    file_ops: Vec<char>,
    push: bool,
    print: bool,
}

/// Splits the options from the operands, as bash's option parser does
/// (`-ca`, `-d5`, `--`); a usage error's message.
fn parse(args: &[String]) -> Result<(Flags, &[String]), String> {
    let (opts, first) = options::parse(args, "cpsanrwd:").map_err(|e| e.to_string())?;
    let mut flags = Flags::default();
    for (letter, value) in opts {
        match letter {
            'c' => flags.clear = true,
            'p' => flags.print = true,
            's' => flags.push = true,
            'd' => flags.delete = value,
            _ => flags.file_ops.push(letter),
        }
    }
    Ok((flags, &args[first..]))
}

/// `history [n]`, `-c`, `-d offset`, `-s args`, `-p args`, `-a|-n|-r|-w
/// [file]`, as bash reads them.
pub fn history(sh: &mut Shell, argv: &[String]) -> Status {
    if let Some(limit) = size_limit(sh) {
        sh.history.truncate_to(limit);
    }
    let (flags, operands) = match parse(&argv[1..]) {
        Ok(parsed) => parsed,
        Err(message) => return sh.builtin_error("history", &format!("{message}\n{USAGE}"), 2),
    };
    let mut file_ops = flags.file_ops.clone();
    file_ops.dedup();
    if file_ops.len() > 1 {
        return sh.builtin_error("history", "cannot use more than one of -anrw", 1);
    }
    if flags.clear {
        sh.history.clear();
        if operands.is_empty() {
            return Ok(0);
        }
    }
    if flags.push {
        if !operands.is_empty() {
            let limit = size_limit(sh);
            sh.history.push(&operands.join(" "), limit);
        }
        return Ok(0);
    }
    if flags.print {
        return print_expanded(sh, operands);
    }
    if let Some(offset) = &flags.delete {
        return delete(sh, offset);
    }
    match file_ops.first() {
        Some(&op) => file_operation(sh, op, operands.first().map(String::as_str)),
        None if flags.clear => Ok(0),
        None => list_last(sh, operands),
    }
}

/// `history -p`: each argument after history expansion, one per line.
fn print_expanded(sh: &mut Shell, args: &[String]) -> Status {
    let mut out = String::new();
    for arg in args {
        match crate::exec::history::expand(sh, arg, None) {
            Ok(Expanded::Line { text, .. }) => out.push_str(&text),
            Ok(Expanded::Same) => out.push_str(arg),
            Err(_) => {
                let message = format!("{arg}: history expansion failed");
                return sh.builtin_error("history", &message, 1);
            }
        }
        out.push('\n');
    }
    Ok(if sh.print("history", &out)? { 0 } else { 1 })
}

/// `history [n]`: a count that is not a number fails with 1; a second
/// operand abandons the rest of the command line, as in bash.
fn list_last(sh: &mut Shell, operands: &[String]) -> Status {
    let Some(count) = operands.first() else {
        return list(sh, None);
    };
    let Ok(n) = count.parse::<i64>() else {
        let msg = format!("{count}: numeric argument required");
        return sh.builtin_error("history", &msg, 1);
    };
    if operands.len() > 1 {
        sh.builtin_error("history", "too many arguments", 1)?;
        return Err(Unwind::Discard(1));
    }
    list(sh, Some(n.unsigned_abs() as usize))
}

/// Prints the entries (the last `last` of them) with their numbers.
fn list(sh: &mut Shell, last: Option<usize>) -> Status {
    let entries = sh.history.entries();
    let skip = last.map_or(0, |n| entries.len().saturating_sub(n));
    let out: String = entries
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| format!("{:5}  {line}\n", sh.history.number(i)))
        .collect();
    Ok(if sh.print("history", &out)? { 0 } else { 1 })
}

/// `history -d offset`: an entry's number; a negative one counts back
/// from the end.
fn delete(sh: &mut Shell, offset: &str) -> Status {
    let len = sh.history.entries().len() as i64;
    let index = match offset.parse::<i64>() {
        Ok(n) if n > 0 => usize::try_from(n).ok().and_then(|n| sh.history.index_of(n)),
        Ok(n) if n < 0 && len + n >= 0 => usize::try_from(len + n).ok(),
        _ => None,
    };
    if !index.is_some_and(|i| sh.history.delete(i)) {
        let msg = format!("{offset}: history position out of range");
        return sh.builtin_error("history", &msg, 1);
    }
    Ok(0)
}

/// `-a` appends new entries to the file, `-w` writes them all, `-r` reads
/// the whole file, `-n` the lines not read yet.
fn file_operation(sh: &mut Shell, op: char, file: Option<&str>) -> Status {
    let path = match file
        .map(str::to_string)
        .or_else(|| sh.state.vars.get("HISTFILE").map(str::to_string))
    {
        Some(p) if !p.is_empty() => p,
        _ => return sh.builtin_error("history", "HISTFILE is not set", 1),
    };
    let on_disk = match sh.resolve_path(&path) {
        Ok(on_disk) => on_disk.into_owned(),
        Err(e) => {
            let msg = format!("{path}: {}", crate::exec::error::describe(e));
            return sh.builtin_error("history", &msg, 1);
        }
    };
    let result = match op {
        'a' | 'w' => {
            let from = if op == 'a' { sh.history.saved } else { 0 };
            let lines = &sh.history.entries()[from.min(sh.history.entries().len())..];
            let written = if op == 'a' {
                append_lines(&on_disk, lines)
            } else {
                write_lines(&on_disk, lines)
            };
            let written = match file_limit(sh) {
                Some(limit) => written.and_then(|()| truncate_file(&on_disk, limit)),
                None => written,
            };
            written.map(|()| sh.history.saved = sh.history.entries().len())
        }
        _ => std::fs::read(&on_disk).map(|bytes| {
            let text = crate::bytes::decode_vec(bytes);
            let skip = if op == 'n' { sh.history.lines_read } else { 0 };
            let limit = size_limit(sh);
            let mut read = 0;
            for line in text.lines() {
                read += 1;
                if read > skip {
                    sh.history.push(line, limit);
                }
            }
            sh.history.lines_read = read;
        }),
    };
    match result {
        Ok(()) => Ok(0),
        Err(e) => {
            let msg = format!("{path}: {}", crate::exec::error::describe_io(&e));
            sh.builtin_error("history", &msg, 1)
        }
    }
}
