//! The file-creation mask: `umask`.
//!
//! The top-level shell changes the process's umask; an in-process subshell
//! keeps its own (`Shell::umask`, see `exec/context.rs`).

use nix::sys::stat::{Mode, umask as sys_umask};

use crate::exec::Shell;
use crate::exec::eval::Status;

/// `umask [-pS] [mode]`.
pub fn umask(sh: &mut Shell, argv: &[String]) -> Status {
    let mut symbolic = false;
    let mut reusable = false;
    let mut operands = Vec::new();
    for (i, a) in argv[1..].iter().enumerate() {
        match a.as_str() {
            "-S" => symbolic = true,
            "-p" => reusable = true,
            "--" => {
                operands.extend(argv[i + 2..].iter());
                break;
            }
            _ if a.starts_with('-') && a.len() > 1 => {
                let msg = format!("{a}: invalid option\numask: usage: umask [-p] [-S] [mode]");
                return sh.builtin_error("umask", &msg, 2);
            }
            _ => operands.push(a),
        }
    }
    if operands.len() > 1 {
        return sh.builtin_error("umask", "too many arguments", 2);
    }
    let current = sh.current_umask();
    let Some(arg) = operands.first() else {
        let shown = if symbolic {
            symbolic_form(current)
        } else {
            format!("{current:04o}")
        };
        let out = match (reusable, symbolic) {
            (true, true) => format!("umask -S {shown}\n"),
            (true, false) => format!("umask {shown}\n"),
            _ => format!("{shown}\n"),
        };
        return Ok(if sh.print("umask", &out)? { 0 } else { 1 });
    };
    let new = if arg.starts_with(|c: char| c.is_ascii_digit()) {
        // Only the permission bits of a long number count, as in dash,
        // ksh and zsh (bash refuses past 07777); a digit that is not
        // octal is bash's "out of range".
        let octal = arg.bytes().all(|b| (b'0'..b'8').contains(&b));
        octal
            .then(|| &arg[arg.len().saturating_sub(3)..])
            .and_then(|low| u32::from_str_radix(low, 8).ok())
            .ok_or_else(|| format!("{arg}: octal number out of range"))
    } else {
        parse_symbolic(arg, current)
    };
    let new = match new {
        Ok(new) => new,
        Err(msg) => return sh.builtin_error("umask", &msg, 1),
    };
    if !sh.owns_process {
        sh.state.umask = Some(new);
    } else {
        sys_umask(Mode::from_bits_truncate(new));
    }
    Ok(0)
}

/// `u=rwx,g=rx,o=rx` for a mask.
fn symbolic_form(mask: u32) -> String {
    let perms = |shift: u32| {
        let allowed = !mask >> shift & 7;
        [(4, 'r'), (2, 'w'), (1, 'x')]
            .iter()
            .filter(|(bit, _)| allowed & bit != 0)
            .map(|(_, c)| *c)
            .collect::<String>()
    };
    format!("u={},g={},o={}", perms(6), perms(3), perms(0))
}

/// Applies a symbolic mode to the permissions a mask allows, as chmod
/// does: clauses `[ugoa]*([-+=][rwxXst]*|[-+=][ugo])+` separated by
/// commas; `u`/`g`/`o` after an operator copy that class's current bits.
/// An error names the first character out of place, in bash's words.
fn parse_symbolic(spec: &str, mask: u32) -> Result<u32, String> {
    let bad_operator = |c: Option<&char>| {
        let c = c.map(|c| c.to_string()).unwrap_or_default();
        format!("`{c}': invalid symbolic mode operator")
    };
    let mut allowed = !mask & 0o777;
    for clause in spec.split(',') {
        let chars: Vec<char> = clause.chars().collect();
        let mut i = 0;
        let mut who = 0;
        while let Some(c) = chars.get(i) {
            who |= match c {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => break,
            };
            i += 1;
        }
        if who == 0 {
            who = 0o777;
        }
        if i == chars.len() {
            return Err(bad_operator(None));
        }
        while i < chars.len() {
            let op = chars[i];
            if !matches!(op, '+' | '-' | '=') {
                return Err(bad_operator(Some(&op)));
            }
            i += 1;
            let mut perm = 0;
            while let Some(&c) = chars.get(i) {
                if matches!(c, '+' | '-' | '=') {
                    break;
                }
                let copy = |shift: u32| ((allowed >> shift) & 7) * 0o111;
                perm |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' | 'X' => 0o111,
                    's' | 't' => 0,
                    'u' => copy(6),
                    'g' => copy(3),
                    'o' => copy(0),
                    _ => return Err(format!("`{c}': invalid symbolic mode character")),
                };
                i += 1;
            }
            let bits = perm & who;
            match op {
                '=' => allowed = (allowed & !who) | bits,
                '+' => allowed |= bits,
                _ => allowed &= !bits,
            }
        }
    }
    Ok(!allowed & 0o777)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbolic_modes_apply_like_chmod() {
        let cases: &[(&str, u32, Option<u32>)] = &[
            ("u=rwx,g=rx,o=", 0o022, Some(0o027)),
            ("a-w", 0o022, Some(0o222)),
            ("u+r+w+x", 0o777, Some(0o077)),
            ("a=u", 0o022, Some(0o000)),
            ("g-r", 0o000, Some(0o040)),
            ("a+x+wr-r", 0o777, Some(0o444)),
            ("z+r", 0o022, None),
            ("u", 0o022, None),
        ];
        for (spec, mask, want) in cases {
            assert_eq!(
                parse_symbolic(spec, *mask).ok(),
                *want,
                "{spec} on {mask:o}"
            );
        }
        let err = |spec| parse_symbolic(spec, 0o022).expect_err(spec);
        assert_eq!(err("g=p"), "`p': invalid symbolic mode character");
        assert_eq!(err("u:rwx"), "`:': invalid symbolic mode operator");
        assert_eq!(symbolic_form(0o022), "u=rwx,g=rx,o=rx");
    }
}
