//! Backslash escapes as `echo -e` decodes them (`\n`, `\0nnn`, `\xHH`,
//! `\uHHHH`, `\c` …), used by `echo` and by the `${x@E}` expansion, which sit
//! in different layers; `printf` shares the digit parser.

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
