//! `enable`: lists builtins, and turns them off and on again. A builtin
//! turned off (`enable -n NAME`) is not found by name: a function or the
//! program on `PATH` runs instead. Loading builtins from shared objects
//! (`-f`, `-d`) is not supported.

use super::options;
use crate::exec::Shell;
use crate::exec::eval::Status;

const USAGE: &str = "enable: usage: enable [-a] [-dnps] [-f filename] [name ...]";

/// The options of one `enable` call.
#[derive(Default)]
struct Flags {
    /// `-a`: list every builtin, saying which are off.
    all: bool,
    /// `-n`: turn off (or list those that are off).
    disable: bool,
    /// `-s`: only POSIX special builtins.
    special: bool,
    /// `-f FILE`: load from a shared object.
    file: Option<String>,
    /// `-d`: remove a loaded builtin.
    delete: bool,
}

/// `enable [-a] [-dnps] [-f filename] [name …]`.
pub fn enable(sh: &mut Shell, argv: &[String]) -> Status {
    let (flags, names) = match parse(&argv[1..]) {
        Ok(parsed) => parsed,
        Err(msg) => return sh.builtin_error("enable", &format!("{msg}\n{USAGE}"), 2),
    };
    if let Some(file) = &flags.file {
        let msg = format!("cannot open shared object {file}: loadable builtins are not supported");
        return sh.builtin_error("enable", &msg, 1);
    }
    if names.is_empty() {
        return list(sh, &flags);
    }
    let mut status = 0;
    for name in names {
        if crate::builtins::find(name).is_none() {
            status = sh.builtin_error("enable", &format!("{name}: not a shell builtin"), 1)?;
            continue;
        }
        if flags.delete {
            let msg = format!("{name}: not dynamically loaded");
            status = sh.builtin_error("enable", &msg, 1)?;
            continue;
        }
        let disabled = &mut sh.state.disabled_builtins;
        disabled.retain(|d| d != name);
        if flags.disable {
            disabled.push(name.clone());
        }
    }
    Ok(status)
}

fn parse(args: &[String]) -> Result<(Flags, &[String]), String> {
    let (opts, first) = options::parse(args, "anspdf:").map_err(|e| e.to_string())?;
    let mut flags = Flags::default();
    for (letter, value) in opts {
        match letter {
            'a' => flags.all = true,
            'n' => flags.disable = true,
            's' => flags.special = true,
            'd' => flags.delete = true,
            'f' => flags.file = value,
            _ => {}
        }
    }
    Ok((flags, &args[first..]))
}

/// `enable NAME` per builtin that is on (`-n`: `enable -n NAME` per one
/// that is off; `-a`: both), sorted by name as bash lists them.
fn list(sh: &mut Shell, flags: &Flags) -> Status {
    let mut names: Vec<(&str, bool)> = crate::builtins::ALL
        .iter()
        .filter(|b| !flags.special || b.special)
        .map(|b| (b.name, sh.enabled_builtin(b.name).is_none()))
        .filter(|(_, off)| flags.all || *off == flags.disable)
        .collect();
    names.sort_unstable();
    let out: String = names
        .iter()
        .map(|(name, off)| {
            if *off {
                format!("enable -n {name}\n")
            } else {
                format!("enable {name}\n")
            }
        })
        .collect();
    Ok(if sh.print("enable", &out)? { 0 } else { 1 })
}
