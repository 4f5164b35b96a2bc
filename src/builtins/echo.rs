//! `echo`, as bash: `-n` (no newline), `-e` (interpret escapes), `-E`
//! (don't; the default).

use crate::escapes::decode_escapes;
use crate::exec::Shell;
use crate::exec::eval::Status;

/// `echo [-neE] args…`.
pub fn echo(sh: &mut Shell, argv: &[String]) -> Status {
    let mut newline = true;
    let mut escapes = sh.shopt_on("xpg_echo");
    let mut args = &argv[1..];
    while let Some(first) = args.first() {
        let Some(flags) = first.strip_prefix('-') else {
            break;
        };
        if flags.is_empty() || !flags.chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            break;
        }
        for c in flags.chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        args = &args[1..];
    }
    let mut out = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        if escapes {
            if decode_escapes(&crate::bytes::encode(arg), &mut out) {
                newline = false;
                break;
            }
        } else {
            crate::bytes::encode_into(arg, &mut out);
        }
    }
    if newline {
        out.push(b'\n');
    }
    Ok(if sh.print_bytes("echo", &out)? { 0 } else { 1 })
}
