//! What the word at the cursor is: a command name (also after `sudo`,
//! `env`, `time` … and inside `$(`, `` ` ``, `<(`), an argument of some
//! command, a redirection target, the value of an assignment, or a
//! variable name — from the same scan the colours use, on the innermost
//! command the cursor is in.

use super::scan::{Class, Word, assignment_len, scan, unquote};

/// Commands that run the command named by their first operand (after
/// their own options): the word there is a command name again, and
/// arguments after it complete as that command's.
const PRECOMMANDS: &[&str] = &[
    "sudo", "doas", "env", "time", "exec", "command", "nohup", "xargs", "nice", "builtin",
    "stdbuf", "setsid", "chroot", "timeout", "ionice", "taskset", "strace", "watch",
];

/// Options of those commands that take a separate value (`sudo -u root`).
const VALUED: &[&str] = &[
    "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-n", "-s", "-I", "-L", "-d", "-E", "-c",
    "-a", "-o",
];

/// The kind of word at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A command name.
    Command,
    /// An argument of the command that starts at `start` (byte offset in
    /// the whole line), whose name is `name`.
    Argument {
        /// The command's name, unquoted.
        name: String,
        /// Where its words start.
        start: usize,
    },
    /// A file a redirection opens.
    RedirectTarget,
    /// The value of `NAME=value`; the value starts at `at`.
    AssignmentValue {
        /// Byte offset of the value in the whole line.
        at: usize,
    },
}

/// The word at the cursor and what it is.
#[derive(Debug, Clone)]
pub struct Context {
    /// The word (offsets in the whole line).
    pub word: Word,
    /// What it is.
    pub kind: Kind,
}

/// The context of the word ending at the end of `before` (the line up to
/// the cursor).
pub fn at(before: &str) -> Context {
    let offset = innermost_command(before);
    let mut ctx = at_top(&before[offset..]);
    ctx.word.start += offset;
    ctx.word.end += offset;
    match &mut ctx.kind {
        Kind::Argument { start, .. } => *start += offset,
        Kind::AssignmentValue { at } => *at += offset,
        _ => {}
    }
    ctx
}

fn at_top(text: &str) -> Context {
    let scanned = scan(text);
    let word = match scanned.words.last() {
        Some(w) if w.end == text.len() && !text.ends_with([' ', '\t']) => w.clone(),
        _ => Word {
            start: text.len(),
            end: text.len(),
            command: scanned.command_next && !scanned.target_next,
            open_quote: None,
        },
    };
    let segment_start = scanned.classes[..word.start]
        .iter()
        .rposition(|c| matches!(c, Class::Operator | Class::Keyword))
        .map_or(0, |n| n + 1);
    let after_redirect = text[..word.start]
        .trim_end()
        .len()
        .checked_sub(1)
        .is_some_and(|n| scanned.classes[n] == Class::Redirect);
    if after_redirect || (word.start == text.len() && scanned.target_next) {
        return Context {
            word,
            kind: Kind::RedirectTarget,
        };
    }
    let words: Vec<&Word> = scanned
        .words
        .iter()
        .filter(|w| w.start >= segment_start && w.start < word.start)
        .collect();
    let kind = classify(text, &words, &word);
    Context { word, kind }
}

/// Classifies `word` given the words before it in its simple command.
fn classify(text: &str, before: &[&Word], word: &Word) -> Kind {
    let raw = &text[word.start..word.end];
    let Some(first) = before.iter().position(|w| w.command) else {
        // No command yet: a command name, or an assignment's value.
        if let Some(n) = assignment_len(raw.as_bytes()) {
            return Kind::AssignmentValue { at: word.start + n };
        }
        return Kind::Command;
    };
    let mut command = first;
    let mut at = first + 1;
    loop {
        let name = unquote(&text[before[command].start..before[command].end]);
        if !PRECOMMANDS.contains(&name.as_str()) {
            break;
        }
        // Skip the precommand's options (and `env`'s assignments).
        while at < before.len() {
            let w = unquote(&text[before[at].start..before[at].end]);
            if w.starts_with('-') {
                at += if VALUED.contains(&w.as_str()) && name != "env" {
                    2
                } else {
                    1
                };
            } else if (name == "env" && w.contains('='))
                || (name == "timeout" && w.starts_with(|c: char| c.is_ascii_digit()))
            {
                at += 1;
            } else {
                break;
            }
        }
        if at >= before.len() {
            return Kind::Command;
        }
        command = at;
        at += 1;
    }
    let name = unquote(&text[before[command].start..before[command].end]);
    if matches!(
        name.as_str(),
        "export" | "declare" | "local" | "readonly" | "typeset"
    ) && let Some(n) = assignment_len(raw.as_bytes())
    {
        return Kind::AssignmentValue { at: word.start + n };
    }
    Kind::Argument {
        name,
        start: before[command].start,
    }
}

/// The offset where the innermost command substitution, backquote or
/// process substitution still open at the end of `text` starts its
/// command (0 when there is none).
fn innermost_command(text: &str) -> usize {
    let b = text.as_bytes();
    // Openers still open: (offset after the opener, whether it starts a
    // command).
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match (quote, c) {
            (Some(b'\''), b'\'') | (Some(b'"'), b'"') => quote = None,
            (Some(b'\''), _) => {}
            (_, b'\\') => i += 1,
            (None, b'\'' | b'"') => quote = Some(c),
            (_, b'$') if b.get(i + 1) == Some(&b'(') => {
                let arith = b.get(i + 2) == Some(&b'(');
                stack.push((i + 2, !arith));
                i += 1;
            }
            (None, b'<' | b'>') if b.get(i + 1) == Some(&b'(') => {
                stack.push((i + 2, true));
                i += 1;
            }
            (None, b'(') => stack.push((i + 1, false)),
            (_, b')') => {
                stack.pop();
            }
            (_, b'`') => match stack.last() {
                Some(&(at, _)) if at > 0 && b[at - 1] == b'`' => {
                    stack.pop();
                }
                _ => stack.push((i + 1, true)),
            },
            _ => {}
        }
        i += 1;
    }
    let _ = quote;
    stack
        .iter()
        .rev()
        .find(|(_, command)| *command)
        .map_or(0, |&(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(line: &str) -> Kind {
        at(line).kind
    }

    fn argument_of(line: &str) -> Option<String> {
        match kind(line) {
            Kind::Argument { name, .. } => Some(name),
            _ => None,
        }
    }

    #[test]
    fn command_positions() {
        for line in [
            "ech",
            "ls; ech",
            "sudo ech",
            "sudo -u root ech",
            "env A=1 B=2 ech",
            "time ech",
            "nohup ech",
            "xargs -0 ech",
            "echo $(ech",
            "echo `ech",
            "diff <(ech",
            "X=1 ech",
            "if ech",
            "a && ech",
        ] {
            assert_eq!(kind(line), Kind::Command, "{line}");
        }
    }

    #[test]
    fn arguments() {
        assert_eq!(argument_of("sudo ls -").as_deref(), Some("ls"));
        assert_eq!(argument_of("echo $(git ch").as_deref(), Some("git"));
        assert_eq!(argument_of("cd ").as_deref(), Some("cd"));
        assert_eq!(argument_of("X=1 make ").as_deref(), Some("make"));
        let ctx = at("a; sudo git ch");
        assert!(matches!(ctx.kind, Kind::Argument { start: 8, .. }));
    }

    #[test]
    fn other_kinds() {
        assert_eq!(kind("ls > /tm"), Kind::RedirectTarget);
        assert_eq!(kind("ls 2>"), Kind::RedirectTarget);
        assert_eq!(kind("X=/tmp/pl"), Kind::AssignmentValue { at: 2 });
        assert_eq!(kind("export P=/u"), Kind::AssignmentValue { at: 9 });
    }
}
