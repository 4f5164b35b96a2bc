//! `caller [n]` (bash): where the running function or `.` script was
//! called from, read off the call stack behind `BASH_LINENO`,
//! `FUNCNAME` and `BASH_SOURCE` (bats and other test frameworks print
//! their stack traces with it).

use crate::exec::Shell;
use crate::exec::eval::Status;

/// `caller`: `LINE FILE` of the current call; `caller N`: `LINE FUNCTION
/// FILE` of frame N (0 is the current call). Status 1 past the stack.
pub fn caller(sh: &mut Shell, argv: &[String]) -> Status {
    let stack = |name| sh.call_stack_array(name).unwrap_or_default();
    let (lines, names, files) = (
        stack("BASH_LINENO"),
        stack("FUNCNAME"),
        stack("BASH_SOURCE"),
    );
    let out = match argv.get(1) {
        None => lines.first().map(|line| {
            let file = files.get(1).map_or("NULL", String::as_str);
            format!("{line} {file}\n")
        }),
        Some(arg) => {
            let Ok(n) = arg.trim().parse::<usize>() else {
                let msg = format!("{arg}: invalid number\ncaller: usage: caller [expr]");
                return sh.builtin_error("caller", &msg, 2);
            };
            match (lines.get(n), names.get(n + 1)) {
                (Some(line), Some(name)) => {
                    let file = files.get(n + 1).map_or("NULL", String::as_str);
                    Some(format!("{line} {name} {file}\n"))
                }
                _ => None,
            }
        }
    };
    match out {
        Some(text) => Ok(if sh.print("caller", &text)? { 0 } else { 1 }),
        None => Ok(1),
    }
}
