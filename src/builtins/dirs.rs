//! The directory stack of bash: `pushd`, `popd` and `dirs`.
//!
//! Entry 0 is always the current directory (`$PWD`); the entries below it
//! live in `Shell::dir_stack`, so a plain `cd` replaces entry 0, as in
//! bash. Directory changes go through `cd`'s own `change_directory`.

use crate::exec::Shell;
use crate::exec::eval::Status;

const PUSHD_USAGE: &str = "pushd: usage: pushd [-n] [+N | -N | dir]";
const POPD_USAGE: &str = "popd: usage: popd [-n] [+N | -N]";
const DIRS_USAGE: &str = "dirs: usage: dirs [-clpv] [+N] [-N]";

/// How `dirs` prints the stack.
#[derive(Debug, Clone, Copy, Default)]
struct Listing {
    /// `-l`: full paths, no `~`.
    long: bool,
    /// `-p`: one entry per line.
    per_line: bool,
    /// `-v`: one per line, numbered.
    numbered: bool,
}

/// `+N` / `-N`: an entry counted from the top or from the bottom.
fn stack_index(arg: &str, len: usize) -> Option<Result<usize, ()>> {
    let (from_top, digits) = match arg.as_bytes().first() {
        Some(b'+') => (true, &arg[1..]),
        Some(b'-') => (false, &arg[1..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: usize = digits.parse().ok()?;
    Some(match (from_top, n < len) {
        (true, true) => Ok(n),
        (false, true) => Ok(len - 1 - n),
        _ => Err(()),
    })
}

fn full_stack(sh: &Shell) -> Vec<String> {
    let top = sh.state.vars.get("PWD").unwrap_or_default().to_string();
    std::iter::once(top)
        .chain(sh.state.dir_stack.iter().cloned())
        .collect()
}

/// `/home/me/x` as `~/x` when `$HOME` is `/home/me`.
fn with_tilde(sh: &Shell, path: &str) -> String {
    match sh
        .state
        .vars
        .get("HOME")
        .filter(|h| !h.is_empty() && *h != "/")
    {
        Some(home) if path == home => "~".to_string(),
        Some(home) => match path.strip_prefix(home) {
            Some(rest) if rest.starts_with('/') => format!("~{rest}"),
            _ => path.to_string(),
        },
        None => path.to_string(),
    }
}

fn print_stack(sh: &mut Shell, builtin: &str, listing: Listing) -> Status {
    let entries: Vec<String> = full_stack(sh)
        .iter()
        .map(|e| {
            if listing.long {
                e.clone()
            } else {
                with_tilde(sh, e)
            }
        })
        .collect();
    let out = if listing.numbered {
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{i:2}  {e}\n"))
            .collect()
    } else if listing.per_line {
        entries.iter().map(|e| format!("{e}\n")).collect()
    } else {
        format!("{}\n", entries.join(" "))
    };
    Ok(if sh.print(builtin, &out)? { 0 } else { 1 })
}

/// Makes `dir` the current directory for `builtin`; false after
/// reporting why not.
fn go_to(sh: &mut Shell, builtin: &str, dir: &str) -> Result<bool, crate::exec::eval::Unwind> {
    match super::cd::change_directory(sh, dir, false) {
        Ok(_) => Ok(true),
        Err(msg) => {
            sh.builtin_error(builtin, &msg, 1)?;
            Ok(false)
        }
    }
}

/// `dirs [-clpv] [+N | -N]`.
pub fn dirs(sh: &mut Shell, argv: &[String]) -> Status {
    let mut listing = Listing::default();
    let mut pick = None;
    for arg in &argv[1..] {
        if arg == "--" {
            continue;
        }
        let len = sh.state.dir_stack.len() + 1;
        if let Some(index) = stack_index(arg, len) {
            let Ok(index) = index else {
                let msg = format!("{}: directory stack index out of range", &arg[1..]);
                return sh.builtin_error("dirs", &msg, 1);
            };
            pick = Some(index);
            continue;
        }
        let Some(flags) = arg.strip_prefix('-').filter(|f| !f.is_empty()) else {
            return sh.builtin_error("dirs", &format!("{arg}: invalid option\n{DIRS_USAGE}"), 2);
        };
        for c in flags.chars() {
            match c {
                'c' => sh.state.dir_stack.clear(),
                'l' => listing.long = true,
                'p' => listing.per_line = true,
                'v' => listing.numbered = true,
                _ => {
                    // bash 5.3 reads `-m` as a bad `-N`.
                    let msg = format!("{arg}: invalid number\n{DIRS_USAGE}");
                    return sh.builtin_error("dirs", &msg, 2);
                }
            }
        }
        if flags.contains('c') {
            return Ok(0);
        }
    }
    match pick {
        Some(index) => {
            let entry = full_stack(sh).swap_remove(index);
            let entry = if listing.long {
                entry
            } else {
                with_tilde(sh, &entry)
            };
            Ok(if sh.print("dirs", &format!("{entry}\n"))? {
                0
            } else {
                1
            })
        }
        None => print_stack(sh, "dirs", listing),
    }
}

/// `pushd [-n] [dir | +N | -N]`.
pub fn pushd(sh: &mut Shell, argv: &[String]) -> Status {
    let (no_change, operands) = split_n(&argv[1..]);
    if operands.len() > 1 {
        return sh.builtin_error("pushd", "too many arguments", 1);
    }
    let old = sh.state.vars.get("PWD").unwrap_or_default().to_string();
    let Some(arg) = operands.first() else {
        // No operand: swap the top two entries.
        let Some(second) = sh.state.dir_stack.first().cloned() else {
            return sh.builtin_error("pushd", "no other directory", 1);
        };
        if !no_change {
            if !go_to(sh, "pushd", &second)? {
                return Ok(1);
            }
            sh.state.dir_stack[0] = old;
        }
        return print_stack(sh, "pushd", Listing::default());
    };
    let len = sh.state.dir_stack.len() + 1;
    if let Some(index) = stack_index(arg, len) {
        let Ok(index) = index else {
            // bash 5.3 names the index with its sign.
            let msg = format!("{arg}: directory stack index out of range");
            return sh.builtin_error("pushd", &msg, 1);
        };
        // Rotate so that entry `index` comes to the top.
        let mut stack = full_stack(sh);
        stack.rotate_left(index);
        if !go_to(sh, "pushd", &stack[0])? {
            return Ok(1);
        }
        sh.state.dir_stack = stack.split_off(1);
        return print_stack(sh, "pushd", Listing::default());
    }
    if arg.starts_with('-') && arg.len() > 1 {
        // bash 5.3 reads `-m` as a bad `-N`.
        let msg = format!("{arg}: invalid number\n{PUSHD_USAGE}");
        return sh.builtin_error("pushd", &msg, 2);
    }
    if no_change {
        sh.state.dir_stack.insert(0, arg.to_string());
    } else {
        if !go_to(sh, "pushd", arg)? {
            return Ok(1);
        }
        sh.state.dir_stack.insert(0, old);
    }
    print_stack(sh, "pushd", Listing::default())
}

/// `popd [-n] [+N | -N]`.
pub fn popd(sh: &mut Shell, argv: &[String]) -> Status {
    let (no_change, operands) = split_n(&argv[1..]);
    // bash: what follows `--` is not looked at.
    let mut leading = argv[1..].iter().take_while(|a| *a == "-n" || *a == "--");
    let operands = if leading.any(|a| a == "--") {
        &[]
    } else {
        operands
    };
    let len = sh.state.dir_stack.len() + 1;
    let index = match operands {
        [] => 0,
        [arg] => match stack_index(arg, len) {
            Some(Ok(index)) => index,
            Some(Err(())) => {
                let msg = format!("{arg}: directory stack index out of range");
                return sh.builtin_error("popd", &msg, 1);
            }
            None if arg.starts_with(['-', '+']) => {
                let msg = format!("{arg}: invalid number\n{POPD_USAGE}");
                return sh.builtin_error("popd", &msg, 2);
            }
            None => {
                let msg = format!("{arg}: invalid argument\n{POPD_USAGE}");
                return sh.builtin_error("popd", &msg, 2);
            }
        },
        _ => return sh.builtin_error("popd", "too many arguments", 1),
    };
    if sh.state.dir_stack.is_empty() {
        return sh.builtin_error("popd", "directory stack empty", 1);
    }
    match (index, no_change) {
        // Removing the top means going to the next one (unless -n, which
        // removes the next one instead).
        (0, false) => {
            let next = sh.state.dir_stack[0].clone();
            if !go_to(sh, "popd", &next)? {
                return Ok(1);
            }
            sh.state.dir_stack.remove(0);
        }
        (0, true) => {
            sh.state.dir_stack.remove(0);
        }
        (i, _) => {
            sh.state.dir_stack.remove(i - 1);
        }
    }
    print_stack(sh, "popd", Listing::default())
}

/// Takes the `-n` flags off the front.
fn split_n(args: &[String]) -> (bool, &[String]) {
    let mut rest = args;
    let mut no_change = false;
    while let Some(first) = rest.first() {
        match first.as_str() {
            "-n" => no_change = true,
            "--" => {
                rest = &rest[1..];
                break;
            }
            _ => break,
        }
        rest = &rest[1..];
    }
    (no_change, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_count_from_either_end() {
        assert_eq!(stack_index("+0", 3), Some(Ok(0)));
        assert_eq!(stack_index("-0", 3), Some(Ok(2)));
        assert_eq!(stack_index("+3", 3), Some(Err(())));
        assert_eq!(stack_index("dir", 3), None);
        assert_eq!(stack_index("-n", 3), None);
    }
}
