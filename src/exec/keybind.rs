//! Key bindings as readline writes them (`"\C-t": kill-line`,
//! `Control-y: yank`, `"\ep": "macro text"`, `bind -x '"\C-g": cmd'`),
//! read into plain values the line editor turns into its own bindings.
//! The line editor binds single keys: a sequence of several keys
//! (`"\C-x\C-e"`) is refused with a reason.

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyName {
    /// A character key.
    Char(char),
    /// Return.
    Enter,
    /// Tab.
    Tab,
    /// Rubout.
    Backspace,
    /// Escape.
    Esc,
    /// The arrows.
    Up,
    /// Down arrow.
    Down,
    /// Left arrow.
    Left,
    /// Right arrow.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Page Up.
    PageUp,
    /// Page Down.
    PageDown,
}

/// One key, with Control and Meta (Alt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Control held.
    pub ctrl: bool,
    /// Meta (Alt) held, or the key came after Escape.
    pub alt: bool,
    /// The key.
    pub name: KeyName,
}

/// What a bound key does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A readline function (`kill-line`); one [`FUNCTIONS`] knows.
    Function(String),
    /// Text typed in (`"\ep": "git push"`).
    Macro(String),
    /// `bind -x`: shell code run with `READLINE_LINE` and `READLINE_POINT`.
    Command(String),
}

/// A key and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    /// The key.
    pub key: Key,
    /// What it does.
    pub action: Action,
}

/// The readline functions a key can be bound to here.
pub const FUNCTIONS: &[&str] = &[
    "accept-line",
    "backward-char",
    "backward-delete-char",
    "backward-kill-line",
    "backward-kill-word",
    "backward-word",
    "beginning-of-history",
    "beginning-of-line",
    "capitalize-word",
    "clear-screen",
    "complete",
    "delete-char",
    "downcase-word",
    "edit-and-execute-command",
    "end-of-history",
    "end-of-line",
    "forward-char",
    "forward-word",
    "history-search-backward",
    "history-search-forward",
    "kill-line",
    "kill-whole-line",
    "kill-word",
    "menu-complete",
    "menu-complete-backward",
    "next-history",
    "previous-history",
    "redo",
    "reverse-search-history",
    "transpose-chars",
    "transpose-words",
    "undo",
    "unix-line-discard",
    "unix-word-rubout",
    "upcase-word",
    "yank",
];

/// Why a binding line cannot be honoured.
pub type Refusal = String;

/// Reads a binding line (`KEYSEQ: FUNCTION`, `KEYSEQ: "MACRO"`); with
/// `command`, the part after the colon is shell code (`bind -x`).
pub fn parse_binding(line: &str, command: bool) -> Result<KeyBinding, Refusal> {
    let line = line.trim();
    let (keys, rest) = if let Some(quoted) = line.strip_prefix('"') {
        let end = closing_quote(quoted, '"').ok_or("no closing `\"' in key binding")?;
        (
            unescape(&quoted[..end], true)?,
            quoted[end + 1..].trim_start(),
        )
    } else {
        let end = line.find(':').ok_or("no `:' in key binding")?;
        (key_name_bytes(line[..end].trim())?, &line[end..])
    };
    let rhs = rest
        .strip_prefix(':')
        .ok_or("no `:' after the key sequence")?
        .trim();
    let key = single_key(&keys)?;
    let action = if command {
        Action::Command(unquote_rhs(rhs)?)
    } else if rhs.starts_with(['"', '\'']) {
        Action::Macro(unquote_rhs(rhs)?)
    } else {
        Action::Function(
            rhs.split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    };
    Ok(KeyBinding { key, action })
}

fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// The text of a quoted right-hand side (a macro, or `bind -x`'s code);
/// an unquoted one as it is.
fn unquote_rhs(rhs: &str) -> Result<String, Refusal> {
    let Some(quote) = rhs.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return Ok(rhs.to_string());
    };
    let inner = &rhs[1..];
    let end = closing_quote(inner, quote).ok_or(format!("no closing `{quote}'"))?;
    let bytes = unescape(&inner[..end], false)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Readline's escapes in a quoted key sequence or macro: `\C-x`, `\M-x`,
/// `\e`, `\\`, `\"`, `\'`, `\a \b \d \f \n \r \t \v`, `\NNN`, `\xHH`.
fn unescape(text: &str, keyseq: bool) -> Result<Vec<u8>, Refusal> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let Some(e) = chars.next() else {
            out.push(b'\\');
            break;
        };
        match e {
            'C' | 'M' if keyseq && chars.peek() == Some(&'-') => {
                chars.next();
                let mut key = chars.next().ok_or("a key is missing after `-'")?;
                let mut meta = e == 'M';
                if key == '\\' {
                    match (chars.next(), chars.next()) {
                        (Some('C'), Some('-')) if meta => {
                            let next = chars.next().ok_or("a key is missing after `-'")?;
                            key = control(next);
                        }
                        (Some('M'), Some('-')) if !meta => {
                            meta = true;
                            let next = chars.next().ok_or("a key is missing after `-'")?;
                            key = control(next);
                        }
                        (Some('e'), _) | (Some(_), _) | (None, _) => {
                            return Err("unsupported escape after \\C- or \\M-".into());
                        }
                    }
                } else if e == 'C' {
                    key = control(key);
                }
                if meta {
                    out.push(0x1b);
                }
                let mut buf = [0; 4];
                out.extend_from_slice(key.encode_utf8(&mut buf).as_bytes());
            }
            'e' => out.push(0x1b),
            'a' => out.push(0x07),
            'b' => out.push(0x08),
            'd' => out.push(0x7f),
            'f' => out.push(0x0c),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(0x0b),
            'x' => {
                let hex: String = std::iter::from_fn(|| chars.next_if(char::is_ascii_hexdigit))
                    .take(2)
                    .collect();
                out.push(u8::from_str_radix(&hex, 16).map_err(|_| "\\x without hex digits")?);
            }
            '0'..='7' => {
                let mut digits = e.to_string();
                digits.extend(
                    std::iter::from_fn(|| chars.next_if(|c| ('0'..='7').contains(c))).take(2),
                );
                out.push(u8::from_str_radix(&digits, 8).map_or(0, |n| n));
            }
            other => {
                let mut buf = [0; 4];
                out.extend_from_slice(other.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    Ok(out)
}

/// The control character of `c` (`t` → 0x14, `?` → DEL).
fn control(c: char) -> char {
    match c {
        '?' => '\x7f',
        c if c.is_ascii() => char::from(c.to_ascii_lowercase() as u8 & 0x1f),
        c => c,
    }
}

/// The bytes of a key written by name: `Control-t`, `C-t`, `Meta-x`,
/// `M-x`, `Rubout`, `Escape`, `Tab`, `Return`, `Space`, `DEL`…
fn key_name_bytes(name: &str) -> Result<Vec<u8>, Refusal> {
    let mut rest = name;
    let (mut ctrl, mut meta) = (false, false);
    loop {
        let lower = rest.to_ascii_lowercase();
        if let Some(n) = ["control-", "c-"].iter().find(|p| lower.starts_with(**p)) {
            ctrl = true;
            rest = &rest[n.len()..];
        } else if let Some(n) = ["meta-", "m-"].iter().find(|p| lower.starts_with(**p)) {
            meta = true;
            rest = &rest[n.len()..];
        } else {
            break;
        }
    }
    let key = match rest.to_ascii_lowercase().as_str() {
        "rubout" | "del" => '\x7f',
        "escape" | "esc" => '\x1b',
        "lfd" | "newline" => '\n',
        "ret" | "return" => '\r',
        "space" | "spc" => ' ',
        "tab" => '\t',
        _ => {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => return Err(format!("{name}: unknown key name")),
            }
        }
    };
    let key = if ctrl { control(key) } else { key };
    let mut out = if meta { vec![0x1b] } else { Vec::new() };
    let mut buf = [0; 4];
    out.extend_from_slice(key.encode_utf8(&mut buf).as_bytes());
    Ok(out)
}

/// The one key a byte sequence stands for, as a terminal sends it.
fn single_key(bytes: &[u8]) -> Result<Key, Refusal> {
    let plain = |name| Key {
        ctrl: false,
        alt: false,
        name,
    };
    let (alt, rest) = match bytes {
        [0x1b, b'[' | b'O', tail @ ..] if !tail.is_empty() => {
            return escape_sequence(tail).ok_or_else(too_many_keys);
        }
        [0x1b, rest @ ..] if !rest.is_empty() => (true, rest),
        _ => (false, bytes),
    };
    let text = std::str::from_utf8(rest).map_err(|_| "not a key".to_string())?;
    let mut chars = text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Err(too_many_keys());
    };
    let mut key = match c {
        '\r' | '\n' => plain(KeyName::Enter),
        '\t' => plain(KeyName::Tab),
        '\x7f' => plain(KeyName::Backspace),
        '\x1b' => plain(KeyName::Esc),
        '\0' => Key {
            ctrl: true,
            alt: false,
            name: KeyName::Char(' '),
        },
        c if (c as u32) < 0x20 => Key {
            ctrl: true,
            alt: false,
            name: KeyName::Char(char::from(c as u8 | 0x60)),
        },
        c => plain(KeyName::Char(c)),
    };
    key.alt = alt;
    Ok(key)
}

/// The keys terminals send as `ESC [ …` or `ESC O …`.
fn escape_sequence(tail: &[u8]) -> Option<Key> {
    let (ctrl, alt, last) = match tail {
        [b'1', b';', m, last] => (
            *m == b'5' || *m == b'7',
            *m == b'3' || *m == b'7',
            &[*last][..],
        ),
        other => (false, false, other),
    };
    let name = match last {
        b"A" => KeyName::Up,
        b"B" => KeyName::Down,
        b"C" => KeyName::Right,
        b"D" => KeyName::Left,
        b"H" | b"1~" | b"7~" => KeyName::Home,
        b"F" | b"4~" | b"8~" => KeyName::End,
        b"2~" => KeyName::Insert,
        b"3~" => KeyName::Delete,
        b"5~" => KeyName::PageUp,
        b"6~" => KeyName::PageDown,
        _ => return None,
    };
    Some(Key { ctrl, alt, name })
}

fn too_many_keys() -> Refusal {
    "the line editor binds single keys, not sequences of several".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(line: &str) -> Key {
        parse_binding(line, false)
            .map(|b| b.key)
            .unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    fn ctrl(c: char) -> Key {
        Key {
            ctrl: true,
            alt: false,
            name: KeyName::Char(c),
        }
    }

    #[test]
    fn keys_as_readline_writes_them() {
        assert_eq!(key(r#""\C-t": kill-line"#), ctrl('t'));
        assert_eq!(key("Control-t: kill-line"), ctrl('t'));
        assert_eq!(key("C-T: kill-line"), ctrl('t'));
        let alt_p = Key {
            ctrl: false,
            alt: true,
            name: KeyName::Char('p'),
        };
        assert_eq!(key(r#""\ep": yank"#), alt_p);
        assert_eq!(key(r#""\M-p": yank"#), alt_p);
        assert_eq!(key("Meta-p: yank"), alt_p);
        assert_eq!(key(r#""\e[A": history-search-backward"#).name, KeyName::Up);
        assert_eq!(
            key(r#""\e[1;5C": forward-word"#),
            Key {
                ctrl: true,
                alt: false,
                name: KeyName::Right,
            }
        );
        assert_eq!(key(r#""\e[3~": delete-char"#).name, KeyName::Delete);
    }

    #[test]
    fn actions() {
        let parse = |line, command| parse_binding(line, command).map(|b| b.action);
        assert_eq!(
            parse(r#""\C-t": kill-line"#, false),
            Ok(Action::Function("kill-line".into()))
        );
        assert_eq!(
            parse(r#""\C-t": "git status\n""#, false),
            Ok(Action::Macro("git status\n".into()))
        );
        assert_eq!(
            parse(r#""\C-g": echo "$READLINE_LINE""#, true),
            Ok(Action::Command("echo \"$READLINE_LINE\"".into()))
        );
        assert_eq!(
            parse(r#""\C-g": 'echo hi'"#, true),
            Ok(Action::Command("echo hi".into()))
        );
    }

    #[test]
    fn sequences_of_keys_and_bad_lines_are_refused() {
        assert!(parse_binding(r#""\C-x\C-e": edit-and-execute-command"#, false).is_err());
        assert!(parse_binding(r#""\C-t kill-line"#, false).is_err());
        assert!(parse_binding("kill-line", false).is_err());
        assert!(parse_binding("Hyper-x: yank", false).is_err());
    }
}
