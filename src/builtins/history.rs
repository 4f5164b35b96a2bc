//! `history`: list, clear, delete and add entries of the command history,
//! and move them to and from the history file (`HISTFILE`), as bash does.

use super::options;
use crate::exec::Shell;
use crate::exec::eval::{Status, Unwind};
use crate::exec::histexpand::Expanded;
use crate::exec::history::{
    append_text, file_limit, read_file, size_limit, stamps, truncate_file, write_text,
};

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
            push(sh, &operands.join(" "));
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

/// `history -s`: the arguments as one entry, in place of the line that
/// ran `history` (when it was added, and only for the first `-s` of that
/// line), under `HISTCONTROL` and `HISTIGNORE`, as in bash.
fn push(sh: &mut Shell, line: &str) {
    let count = sh.history.entries().len();
    if sh.state.options.history && !sh.history.pushed && sh.history.last_added && count > 0 {
        sh.history.delete(count - 1);
    }
    let rules = crate::exec::history::rules(sh);
    let limit = size_limit(sh);
    sh.history.add(line, &rules, limit);
    sh.history.pushed = true;
}

/// `history -p`: each argument after history expansion, one per line.
fn print_expanded(sh: &mut Shell, args: &[String]) -> Status {
    // The line that ran `history -p` leaves the history first, so that
    // `!!` is the command before it (bash removes it).
    let count = sh.history.entries().len();
    if sh.state.options.history && !sh.history.pushed && sh.history.last_added && count > 0 {
        sh.history.delete(count - 1);
        sh.history.last_added = false;
    }
    let mut out = String::new();
    let mut status = 0;
    for arg in args {
        match crate::exec::history::expand(sh, arg, None) {
            Ok(Expanded::Line { text, .. }) => out.push_str(&text),
            Ok(Expanded::Same) => out.push_str(arg),
            Err(_) => {
                // The others are still shown, as in bash.
                let message = format!("{arg}: history expansion failed");
                status = sh.builtin_error("history", &message, 1)?;
                continue;
            }
        }
        out.push('\n');
    }
    Ok(if sh.print("history", &out)? {
        status
    } else {
        1
    })
}

/// `history [n]`: a count that is not a number is a usage error (2, as
/// in bash 5.3); a second operand abandons the rest of the command line,
/// as in bash (with 2, as 5.3).
fn list_last(sh: &mut Shell, operands: &[String]) -> Status {
    let Some(count) = operands.first() else {
        return list(sh, None);
    };
    let Ok(n) = count.parse::<i64>() else {
        let msg = format!("{count}: numeric argument required");
        return sh.builtin_error("history", &msg, 2);
    };
    if operands.len() > 1 {
        sh.builtin_error("history", "too many arguments", 2)?;
        return Err(Unwind::Discard(2));
    }
    list(sh, Some(n.unsigned_abs() as usize))
}

/// Prints the entries (the last `last` of them) with their numbers.
fn list(sh: &mut Shell, last: Option<usize>) -> Status {
    let entries = sh.history.entries();
    let skip = last.map_or(0, |n| entries.len().saturating_sub(n));
    // `HISTTIMEFORMAT` shows each entry's time, through strftime(3).
    let format = sh.state.vars.get("HISTTIMEFORMAT").map(str::as_bytes);
    let out: String = entries
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| {
            let time = format.map_or(String::new(), |f| {
                let t = crate::builtins::printf::strftime_local(f, sh.history.time(i));
                crate::bytes::decode_vec(t)
            });
            format!("{:5}  {time}{line}\n", sh.history.number(i))
        })
        .collect();
    Ok(if sh.print("history", &out)? { 0 } else { 1 })
}

/// `history -d offset` or `-d start-end`: entries by number; a negative
/// number counts back from the end (`-1` is the newest).
fn delete(sh: &mut Shell, offset: &str) -> Status {
    let split = offset
        .get(1..)
        .and_then(|rest| rest.find('-'))
        .map(|i| i + 1);
    let Some(split) = split else {
        let Ok(n) = offset.parse::<i64>() else {
            let msg = format!("{offset}: invalid number");
            return sh.builtin_error("history", &msg, 1);
        };
        if !position(sh, n).is_some_and(|i| sh.history.delete(i)) {
            return out_of_range(sh, offset);
        }
        return Ok(0);
    };
    let (first, last) = (&offset[..split], &offset[split + 1..]);
    let (Ok(a), Ok(b)) = (first.parse::<i64>(), last.parse::<i64>()) else {
        return out_of_range(sh, offset);
    };
    let Some(from) = position(sh, a) else {
        return out_of_range(sh, first);
    };
    let Some(to) = position(sh, b) else {
        return out_of_range(sh, last);
    };
    if from > to {
        return out_of_range(sh, first);
    }
    for _ in from..=to {
        sh.history.delete(from);
    }
    Ok(0)
}

/// The index of the entry `n` names for `history -d`.
fn position(sh: &Shell, n: i64) -> Option<usize> {
    let len = sh.history.entries().len() as i64;
    match n {
        n if n < 0 => usize::try_from(len + n).ok(),
        n => usize::try_from(n).ok().and_then(|n| sh.history.index_of(n)),
    }
}

fn out_of_range(sh: &mut Shell, what: &str) -> Status {
    let msg = format!("{what}: history position out of range");
    sh.builtin_error("history", &msg, 1)
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
            let from = from.min(sh.history.entries().len());
            let text = sh.history.file_text(from, stamps(sh));
            let written = if op == 'a' {
                append_text(&on_disk, &text)
            } else {
                write_text(&on_disk, &text)
            };
            let written = match file_limit(sh) {
                Some(limit) => written.and_then(|()| truncate_file(&on_disk, limit)),
                None => written,
            };
            written.map(|()| sh.history.saved = sh.history.entries().len())
        }
        _ => {
            let skip = if op == 'n' { sh.history.lines_read } else { 0 };
            read_file(sh, &on_disk, skip).map(|lines| sh.history.lines_read = lines)
        }
    };
    match result {
        Ok(()) => Ok(0),
        Err(e) => {
            let msg = format!("{path}: {}", crate::exec::error::describe_io(&e));
            sh.builtin_error("history", &msg, 1)
        }
    }
}
