//! `abbr` (as fish): abbreviations that the line editor expands in place
//! when a command name typed at the prompt is followed by Space or Enter
//! (`abbr -a gco git checkout`; `gco` + Space shows `git checkout `).
//! They are the interactive shell's: scripts may define them (the rc
//! file does) but nothing expands them outside the line editor.

use std::sync::Arc;

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::parser::unparse::quote;

const USAGE: &str = "abbr: usage: abbr [-a] name expansion ... | abbr -e name ... | abbr -r old new | abbr -q name ... | abbr -l | abbr [-s]";

/// What one `abbr` call asks for.
enum Request<'a> {
    /// `abbr`, `abbr -s`: every abbreviation as the command that makes it.
    Show,
    /// `abbr -l`: the names.
    List,
    /// `abbr -a NAME WORDS…` (or `abbr NAME WORDS…`).
    Add(&'a str, String),
    /// `abbr -e NAME…`.
    Erase(&'a [String]),
    /// `abbr -r OLD NEW`.
    Rename(&'a str, &'a str),
    /// `abbr -q NAME…`: whether any exists.
    Query(&'a [String]),
}

/// `abbr [option] [name [expansion …]]`.
pub fn abbr(sh: &mut Shell, argv: &[String]) -> Status {
    let request = match parse(&argv[1..]) {
        Ok(request) => request,
        Err(msg) => return sh.builtin_error("abbr", &format!("{msg}\n{USAGE}"), 2),
    };
    match request {
        Request::Show => print(sh, |name, expansion| {
            format!("abbr -a -- {} {}\n", quote(name), quote(expansion))
        }),
        Request::List => print(sh, |name, _| format!("{name}\n")),
        Request::Add(name, expansion) => add(sh, name, expansion),
        Request::Erase(names) => erase(sh, names),
        Request::Rename(old, new) => rename(sh, old, new),
        Request::Query(names) => {
            let known = &sh.state.abbreviations;
            Ok(if names.iter().any(|n| known.contains_key(n)) {
                0
            } else {
                1
            })
        }
    }
}

fn parse(args: &[String]) -> Result<Request<'_>, String> {
    let (option, rest) = match args.first().map(String::as_str) {
        Some("--") => (None, &args[1..]),
        Some(opt) if opt.starts_with('-') && opt.len() > 1 => {
            let rest = &args[1..];
            let rest = rest.strip_prefix(&["--".to_string()][..]).unwrap_or(rest);
            (Some(opt), rest)
        }
        _ => (None, args),
    };
    match (option, rest) {
        (None | Some("-s" | "--show"), []) => Ok(Request::Show),
        (Some("-l" | "--list"), []) => Ok(Request::List),
        (None | Some("-a" | "--add"), [name, words @ ..]) if !words.is_empty() => {
            Ok(Request::Add(name, words.join(" ")))
        }
        (Some("-a" | "--add") | None, [name]) => Err(format!("{name}: no expansion given")),
        (Some("-e" | "--erase"), names) if !names.is_empty() => Ok(Request::Erase(names)),
        (Some("-r" | "--rename"), [old, new]) => Ok(Request::Rename(old, new)),
        (Some("-q" | "--query"), names) => Ok(Request::Query(names)),
        (
            Some(opt @ ("-s" | "--show" | "-l" | "--list" | "-e" | "--erase" | "-r" | "--rename")),
            _,
        ) => Err(format!("{opt}: wrong number of arguments")),
        (Some(opt), _) => Err(format!("{opt}: invalid option")),
        (None, _) => Err("no expansion given".to_string()),
    }
}

/// An abbreviation's name is one word a command name could be.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || "|&;<>()$`\\\"'".contains(c))
}

fn add(sh: &mut Shell, name: &str, expansion: String) -> Status {
    if !valid_name(name) {
        return sh.builtin_error(
            "abbr",
            &format!("`{name}': not a valid abbreviation name"),
            1,
        );
    }
    Arc::make_mut(&mut sh.state.abbreviations).insert(name.to_string(), expansion);
    Ok(0)
}

fn erase(sh: &mut Shell, names: &[String]) -> Status {
    let mut status = 0;
    for name in names {
        if Arc::make_mut(&mut sh.state.abbreviations)
            .remove(name)
            .is_none()
        {
            status = sh.builtin_error("abbr", &format!("{name}: no such abbreviation"), 1)?;
        }
    }
    Ok(status)
}

fn rename(sh: &mut Shell, old: &str, new: &str) -> Status {
    if !valid_name(new) {
        return sh.builtin_error(
            "abbr",
            &format!("`{new}': not a valid abbreviation name"),
            1,
        );
    }
    if sh.state.abbreviations.contains_key(new) {
        return sh.builtin_error("abbr", &format!("{new}: abbreviation exists already"), 1);
    }
    let table = Arc::make_mut(&mut sh.state.abbreviations);
    match table.remove(old) {
        Some(expansion) => {
            table.insert(new.to_string(), expansion);
            Ok(0)
        }
        None => sh.builtin_error("abbr", &format!("{old}: no such abbreviation"), 1),
    }
}

/// Prints one line per abbreviation, in name order.
fn print(sh: &mut Shell, line: impl Fn(&str, &str) -> String) -> Status {
    let out: String = sh
        .state
        .abbreviations
        .iter()
        .map(|(name, expansion)| line(name, expansion))
        .collect();
    Ok(if sh.print("abbr", &out)? { 0 } else { 1 })
}
