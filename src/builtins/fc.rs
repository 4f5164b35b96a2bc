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

/// The entries `fc` may name: all but its own, when it was added (bash
/// looks at whether the line that ran `fc` went into the history).
fn earlier(sh: &Shell) -> &[String] {
    let entries = sh.history.entries();
    if sh.state.options.history && sh.history.last_added && !entries.is_empty() {
        &entries[..entries.len() - 1]
    } else {
        entries
    }
}

/// Where a spec is used: it changes how numbers out of range are taken.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// The first of a listed range.
    FirstListed,
    /// Any other.
    Other,
}

/// The 0-based index `spec` names (bash's `fc_gethnum`): a negative
/// number counts back from the newest entry `fc` may name (`last`), `0`
/// is that entry and `-0` the newest of all (`real_last`); a positive
/// number is an entry's number, taken into range (one past the end
/// starts a listed range at the oldest entry, as in bash 5.3); a word
/// names the newest command starting with it. `None` for a word no
/// command starts with.
fn find(sh: &Shell, last: usize, spec: &str, role: Role) -> Option<usize> {
    let entries = sh.history.entries();
    let real_last = entries.len().saturating_sub(1);
    let (negative, digits) = match spec.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, spec),
    };
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 {
        return entries[..=last].iter().rposition(|e| e.starts_with(spec));
    }
    let n: i64 = digits[..len].parse().unwrap_or(i64::MAX);
    let last = last as i64;
    let index = match (negative, n) {
        (true, 0) => real_last as i64,
        (false, 0) => last,
        (true, n) => (last + 1 - n).max(0),
        (false, n) => {
            let index = n.saturating_sub(sh.history.number(0) as i64);
            if index > last {
                if role == Role::FirstListed { 0 } else { last }
            } else {
                index.max(0)
            }
        }
    };
    usize::try_from(index).ok()
}

/// `fc -l [-nr] [first [last]]`: by default the last 16 commands.
fn list(sh: &mut Shell, req: &Request) -> Status {
    let base = sh.history.number(0);
    let usable = earlier(sh).len();
    if usable == 0 {
        return sh.builtin_error("fc", "history specification out of range", 1);
    }
    let last = usable - 1;
    let real_last = sh.history.entries().len() - 1;
    // Operands after the second are ignored, as in bash.
    let (from, to) = match req.operands.first() {
        None => (Some(last.saturating_sub(15)), Some(last)),
        Some(first) => {
            let from = find(sh, last, first, Role::FirstListed);
            let to = match req.operands.get(1) {
                Some(spec) => find(sh, last, spec, Role::Other),
                None if from == Some(real_last) => Some(real_last),
                None => Some(last),
            };
            (from, to)
        }
    };
    let (Some(from), Some(to)) = (from, to) else {
        return sh.builtin_error("fc", "no command found", 1);
    };
    // Newest first for `-r` or a range given backwards (`-r` does not
    // undo it, as in bash).
    let (lo, hi) = (from.min(to), from.max(to));
    let mut picked: Vec<usize> = (lo..=hi).collect();
    if req.reverse || from > to {
        picked.reverse();
    }
    let entries = sh.history.entries();
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
    let split = req
        .operands
        .iter()
        .position(|o| !o.contains('='))
        .unwrap_or(req.operands.len());
    let (changes, rest) = req.operands.split_at(split);
    let usable = earlier(sh).len();
    let own = usable < sh.history.entries().len();
    let spec = rest.first().map_or("-1", String::as_str);
    let found = usable
        .checked_sub(1)
        .and_then(|last| find(sh, last, spec, Role::Other))
        // `-0` names `fc`'s own line.
        .filter(|&i| !(own && i == usable));
    let Some(index) = found else {
        return sh.builtin_error("fc", "no command found", 1);
    };
    let mut command = sh.history.entries()[index].clone();
    for change in changes {
        if let Some((old, new)) = change.split_once('=')
            && !old.is_empty()
        {
            command = command.replace(old, new);
        }
    }
    sh.write_stderr(&format!("{command}\n"));
    run_again(sh, &command)
}

/// Records `command` in place of the `fc` command (under the usual rules)
/// and runs it.
fn run_again(sh: &mut Shell, command: &str) -> Status {
    // A command that runs `fc` again would nest without end (bash's
    // stack overflows): stop before the stack is used up.
    if crate::exec::threads::stack_nearly_full() {
        return sh.builtin_error("fc", "maximum nesting level exceeded", 1);
    }
    if sh.state.options.history {
        let entries = sh.history.entries().len();
        if sh.history.last_added && entries > 0 {
            sh.history.delete(entries - 1);
        }
        let rules = crate::exec::history::rules(sh);
        let limit = crate::exec::history::size_limit(sh);
        sh.history.add(command, &rules, limit);
    }
    let code = format!("{command}\n");
    sh.scoped(|c| c.eval_depth += 1).run_source_text(&code)
}

/// `fc [-e editor] [first [last]]`: the commands go to a file, the editor
/// (`FCEDIT`, `EDITOR`, `vi`) edits it, and what it holds then is run.
fn edit(sh: &mut Shell, req: &Request) -> Status {
    let usable = earlier(sh).len();
    let real_last = sh.history.entries().len().saturating_sub(1);
    let own = usable < sh.history.entries().len();
    let range = usable.checked_sub(1).and_then(|last| {
        let first = req.operands.first().map_or("-1", String::as_str);
        let from = find(sh, last, first, Role::Other)?;
        let to = match req.operands.get(1) {
            Some(spec) => find(sh, last, spec, Role::Other)?,
            None => from,
        };
        Some((from, to))
    });
    // `fc -0` names `fc`'s own line.
    let range = range.filter(|&(from, to)| !(own && (from == real_last || to == real_last)));
    let Some((from, to)) = range else {
        return sh.builtin_error("fc", "history specification out of range", 1);
    };
    let entries = sh.history.entries();
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
            let command = edited.trim_end_matches('\n');
            sh.write_stderr(&format!("{command}\n"));
            run_again(sh, command)
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
