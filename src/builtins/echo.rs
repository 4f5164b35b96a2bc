//! `echo`, as bash: `-n` (no newline), `-e` (interpret escapes), `-E`
//! (don't; the default).

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

/// Decodes `echo -e` escapes into `out`; true when `\c` stopped output.
pub fn decode_escapes(bytes: &[u8], out: &mut Vec<u8>) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'\\' || i + 1 >= bytes.len() {
            out.push(b);
            i += 1;
            continue;
        }
        i += 1;
        let c = bytes[i];
        i += 1;
        match c {
            b'n' => out.push(b'\n'),
            b't' => out.push(b'\t'),
            b'r' => out.push(b'\r'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'e' | b'E' => out.push(27),
            b'f' => out.push(12),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'c' => return true,
            b'0' => {
                let (v, used) = parse_radix(&bytes[i..], 8, 3);
                out.push(v as u8);
                i += used;
            }
            b'x' => {
                let (v, used) = parse_radix(&bytes[i..], 16, 2);
                if used == 0 {
                    out.extend_from_slice(b"\\x");
                } else {
                    out.push(v as u8);
                    i += used;
                }
            }
            b'u' | b'U' => {
                let max = if c == b'u' { 4 } else { 8 };
                let (v, used) = parse_radix(&bytes[i..], 16, max);
                if used == 0 {
                    out.push(b'\\');
                    out.push(c);
                } else {
                    let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    i += used;
                }
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    false
}

/// Parses up to `max` digits in `radix`: (value, digits used).
pub fn parse_radix(bytes: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v = 0u32;
    let mut used = 0;
    while used < max {
        let Some(d) = bytes.get(used).and_then(|b| (*b as char).to_digit(radix)) else {
            break;
        };
        v = v.wrapping_mul(radix).wrapping_add(d);
        used += 1;
    }
    (v, used)
}
