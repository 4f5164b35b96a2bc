//! `fc`: list, edit and run again commands from the history, as bash and
//! POSIX describe it (`-l -n -r`, `-e editor`, `-s [old=new] [first]`).
//!
//! Numbers name entries as `history` numbers them; a negative number
//! counts back from the `fc` command itself, and a word names the newest
//! command starting with it. The `fc` command's own entry (the last one,
//! in an interactive shell that records history) is never listed or run:
//! `fc -s` and `fc -e` put the command they run in its place.

use crate::exec::Shell;
use crate::exec::eval::Status;

const USAGE: &str = "fc: usage: fc [-e ename] [-lnr] [first] [last] or fc -s [pat=rep] [command]";

/// The parsed command line.
#[derive(Default)]
struct Request {
    list: bool,
    numbers: bool,
    reverse: bool,
    again: bool,
    editor: Option<String>,
    operands: Vec<String>,
}

fn parse(argv: &[String]) -> Result<Request, String> {
    let mut req = Request {
        numbers: true,
        ..Request::default()
    };
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        // A negative number is an operand, not an option.
        if arg == "--" {
            i += 1;
            break;
        }
        if !arg.starts_with('-')
            || arg.len() < 2
            || arg[1..].starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        for c in arg[1..].chars() {
            match c {
                'l' => req.list = true,
                'n' => req.numbers = false,
                'r' => req.reverse = true,
                's' => req.again = true,
                'e' => {
                    i += 1;
                    let editor = argv.get(i).ok_or("-e: option requires an argument")?;
                    req.editor = Some(editor.clone());
                }
                _ => return Err(format!("-{c}: invalid option")),
            }
        }
        i += 1;
    }
    req.operands = argv[i..].to_vec();
    if req.editor.as_deref() == Some("-") {
        req.again = true;
    }
    Ok(req)
}

/// `fc`.
pub fn fc(sh: &mut Shell, argv: &[String]) -> Status {
    let req = match parse(argv) {
        Ok(req) => req,
        Err(msg) => return sh.builtin_error("fc", &format!("{msg}\n{USAGE}"), 2),
    };
    if req.list {
        return list(sh, &req);
    }
    if req.again {
        return again(sh, &req);
    }
    edit(sh, &req)
}

/// The entries `fc` may name: all but its own.
fn earlier(sh: &Shell) -> &[String] {
    let entries = sh.history.entries();
    // The line that ran `fc` is the newest entry when lines are recorded.
    if sh.state.options.history && !entries.is_empty() {
        &entries[..entries.len() - 1]
    } else {
        entries
    }
}

/// The 0-based index `spec` names among `entries` (the first numbered
/// `first`), clamped into range for numbers; `None` for a word no command
/// starts with.
fn find(entries: &[String], first: usize, spec: &str) -> Option<usize> {
    let len = entries.len() as i64;
    match spec.parse::<i64>() {
        // `fc`'s own entry is number len + 1, so -1 is the one before it.
        Ok(n) if n < 0 => Some((len + n).clamp(0, len - 1) as usize),
        Ok(0) => Some((len - 1) as usize),
        Ok(n) => Some((n - first as i64).clamp(0, len - 1) as usize),
        Err(_) => entries.iter().rposition(|e| e.starts_with(spec)),
    }
}

/// `fc -l [-nr] [first [last]]`: by default the last 16 commands.
fn list(sh: &mut Shell, req: &Request) -> Status {
    let base = sh.history.number(0);
    let entries = earlier(sh);
    if entries.is_empty() {
        return Ok(0);
    }
    // Operands after the second are ignored, as in bash.
    let first = req.operands.first().map_or("-16", String::as_str);
    let last = req.operands.get(1).map_or("-1", String::as_str);
    let (Some(from), Some(to)) = (find(entries, base, first), find(entries, base, last)) else {
        return sh.builtin_error("fc", "history specification out of range", 1);
    };
    // Newest first for `-r` or a range given backwards (`-r` does not
    // undo it, as in bash).
    let (lo, hi) = (from.min(to), from.max(to));
    let mut picked: Vec<usize> = (lo..=hi).collect();
    if req.reverse || from > to {
        picked.reverse();
    }
    let out: String = picked
        .iter()
        .map(|&i| {
            let number = if req.numbers {
                (i + base).to_string()
            } else {
                String::new()
            };
            format!("{number}\t {}\n", entries[i])
        })
        .collect();
    Ok(if sh.print("fc", &out)? { 0 } else { 1 })
}

/// `fc -s [old=new] [first]`: the command, changed, shown and run again.
fn again(sh: &mut Shell, req: &Request) -> Status {
    let (changes, rest): (Vec<&String>, Vec<&String>) =
        req.operands.iter().partition(|o| o.contains('='));
    let base = sh.history.number(0);
    let entries = earlier(sh);
    let spec = rest.first().map_or("-1", |s| s.as_str());
    let Some(index) = (!entries.is_empty())
        .then(|| find(entries, base, spec))
        .flatten()
    else {
        return sh.builtin_error("fc", "no command found", 1);
    };
    let mut command = entries[index].clone();
    for change in changes {
        if let Some((old, new)) = change.split_once('=')
            && !old.is_empty()
        {
            command = command.replace(old, new);
        }
    }
    run_again(sh, &command)
}

/// Shows `command` on standard error, records it in place of the `fc`
/// command, and runs it.
fn run_again(sh: &mut Shell, command: &str) -> Status {
    sh.write_stderr(&format!("{command}\n"));
    if sh.state.options.interactive && sh.state.options.history {
        sh.history.replace_last(command);
    }
    let code = format!("{command}\n");
    sh.scoped(|c| c.eval_depth += 1).run_source_text(&code)
}

/// `fc [-e editor] [first [last]]`: the commands go to a file, the editor
/// (`FCEDIT`, `EDITOR`, `vi`) edits it, and what it holds then is run.
fn edit(sh: &mut Shell, req: &Request) -> Status {
    let base = sh.history.number(0);
    let entries = earlier(sh);
    let spec_first = req.operands.first().map_or("-1", String::as_str);
    let spec_last = req.operands.get(1).map_or(spec_first, String::as_str);
    let range = if entries.is_empty() {
        None
    } else {
        find(entries, base, spec_first).zip(find(entries, base, spec_last))
    };
    let Some((from, to)) = range else {
        return sh.builtin_error("fc", "history specification out of range", 1);
    };
    let (lo, hi) = (from.min(to), from.max(to));
    let mut picked: Vec<&String> = entries[lo..=hi].iter().collect();
    if req.reverse || from > to {
        picked.reverse();
    }
    let text: String = picked.iter().map(|e| format!("{e}\n")).collect();
    let editor = req
        .editor
        .clone()
        .or_else(|| sh.state.vars.get("FCEDIT").map(str::to_string))
        .or_else(|| sh.state.vars.get("EDITOR").map(str::to_string))
        .unwrap_or_else(|| "vi".to_string());
    let path = match write_temporary(&text) {
        Ok(path) => path,
        Err(e) => {
            let msg = format!("temporary file: {}", crate::exec::error::describe_io(&e));
            return sh.builtin_error("fc", &msg, 1);
        }
    };
    let quoted = format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"));
    let status = sh.run_source_text(&format!("{editor} {quoted}\n"));
    let edited = std::fs::read(&path).map(crate::bytes::decode_vec);
    let _ = std::fs::remove_file(&path);
    match (status, edited) {
        (Ok(0), Ok(edited)) if !edited.trim().is_empty() => {
            run_again(sh, edited.trim_end_matches('\n'))
        }
        (Ok(0), _) => Ok(0),
        (Ok(n), _) => Ok(n),
        (Err(e), _) => Err(e),
    }
}

/// A new private file holding `text`, for the editor.
fn write_temporary(text: &str) -> std::io::Result<std::path::PathBuf> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut attempt = 0;
    loop {
        let name = format!("pidsh-fc-{}-{attempt}.sh", std::process::id());
        let path = std::env::temp_dir().join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(&crate::bytes::encode(text))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}
