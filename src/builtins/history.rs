//! `history`: list, clear, delete and add entries of the command history,
//! and move them to and from the history file (`HISTFILE`), as bash does.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::histexpand::Expanded;
use crate::exec::history::{Rules, append_lines, truncate_file, write_lines};

const USAGE: &str = "history: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]";

/// `HISTSIZE`, when it is a number.
pub fn size_limit(sh: &Shell) -> Option<usize> {
    sh.state
        .vars
        .get("HISTSIZE")
        .and_then(|n| n.trim().parse().ok())
}

/// `HISTFILESIZE`, when it is a number: the history file keeps that many
/// lines.
pub fn file_limit(sh: &Shell) -> Option<usize> {
    sh.state
        .vars
        .get("HISTFILESIZE")
        .and_then(|n| n.trim().parse().ok())
}

/// What `HISTCONTROL` and `HISTIGNORE` say now.
pub fn rules(sh: &Shell) -> Rules {
    Rules::new(
        sh.state.vars.get("HISTCONTROL"),
        sh.state.vars.get("HISTIGNORE"),
    )
}

/// `history [n]`, `-c`, `-d offset`, `-s args`, `-a|-n|-r|-w [file]`.
pub fn history(sh: &mut Shell, argv: &[String]) -> Status {
    if let Some(limit) = size_limit(sh) {
        sh.history.truncate_to(limit);
    }
    let args = &argv[1..];
    let Some(first) = args.first().map(String::as_str) else {
        return list(sh, None);
    };
    match first {
        "-c" => {
            sh.history.clear();
            Ok(0)
        }
        "-d" => delete(sh, args.get(1).map(String::as_str)),
        "-s" => {
            let line = args[1..].join(" ");
            let limit = size_limit(sh);
            sh.history.push(&line, limit);
            Ok(0)
        }
        "-a" | "-n" | "-r" | "-w" => file_operation(sh, first, args.get(1).map(String::as_str)),
        "-p" => {
            // Each argument after history expansion, one per line.
            let mut out = String::new();
            for arg in &args[1..] {
                match crate::exec::histexpand::expand(arg, sh.history.entries()) {
                    Ok(Expanded::Line { text, .. }) => out.push_str(&text),
                    Ok(Expanded::Same) => out.push_str(arg),
                    Err(message) => return sh.builtin_error("history", &message, 1),
                }
                out.push('\n');
            }
            Ok(if sh.print("history", &out)? { 0 } else { 1 })
        }
        "--" => list_last(sh, args.get(1).map(String::as_str), args.get(2)),
        _ if first.starts_with('-') && first.len() > 1 && first.parse::<i64>().is_err() => {
            sh.builtin_error("history", &format!("{first}: invalid option\n{USAGE}"), 2)
        }
        _ => list_last(sh, Some(first), args.get(1)),
    }
}

fn list_last(sh: &mut Shell, count: Option<&str>, extra: Option<&String>) -> Status {
    if extra.is_some() {
        return sh.builtin_error("history", "too many arguments", 2);
    }
    let Some(count) = count else {
        return list(sh, None);
    };
    match count.parse::<usize>() {
        Ok(n) => list(sh, Some(n)),
        Err(_) => {
            let msg = format!("{count}: numeric argument required");
            sh.builtin_error("history", &msg, 2)
        }
    }
}

/// Prints the entries (the last `last` of them) numbered from 1.
fn list(sh: &mut Shell, last: Option<usize>) -> Status {
    let entries = sh.history.entries();
    let skip = last.map_or(0, |n| entries.len().saturating_sub(n));
    let out: String = entries
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, line)| format!("{:5}  {line}\n", i + 1))
        .collect();
    Ok(if sh.print("history", &out)? { 0 } else { 1 })
}

/// `history -d offset`: 1-based; negative counts back from the end.
fn delete(sh: &mut Shell, offset: Option<&str>) -> Status {
    let Some(offset) = offset else {
        return sh.builtin_error(
            "history",
            &format!("-d: option requires an argument\n{USAGE}"),
            2,
        );
    };
    let len = sh.history.entries().len() as i64;
    let index = match offset.parse::<i64>() {
        Ok(n) if n > 0 => n - 1,
        Ok(n) if n < 0 => len + n,
        _ => -1,
    };
    if index < 0 || !sh.history.delete(index as usize) {
        let msg = format!("{offset}: history position out of range");
        return sh.builtin_error("history", &msg, 1);
    }
    Ok(0)
}

/// `-a` appends new entries to the file, `-w` writes them all, `-r` reads
/// the whole file, `-n` the lines not read yet.
fn file_operation(sh: &mut Shell, op: &str, file: Option<&str>) -> Status {
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
        "-a" | "-w" => {
            let from = if op == "-a" { sh.history.saved } else { 0 };
            let lines = &sh.history.entries()[from.min(sh.history.entries().len())..];
            let written = if op == "-a" {
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
            let skip = if op == "-n" { sh.history.lines_read } else { 0 };
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
