//! `trap`, and signal names and numbers as `trap` and `kill` take them.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::state::TrapAction;
use crate::jobs::signals::{self, Disposition};

/// Signal number for a trap condition name or number (`EXIT`/`0`, `INT`, `SIGINT`, `2`).
pub fn signal_number(name: &str) -> Option<i32> {
    if let Ok(n) = name.parse::<i32>() {
        return (0..65).contains(&n).then_some(n);
    }
    let upper = name.to_ascii_uppercase();
    let bare = upper.strip_prefix("SIG").unwrap_or(&upper);
    if bare == "EXIT" {
        return Some(0);
    }
    match bare {
        "ERR" => return Some(crate::exec::state::ERR_TRAP),
        "DEBUG" => return Some(crate::exec::state::DEBUG_TRAP),
        "RETURN" => return Some(crate::exec::state::RETURN_TRAP),
        _ => {}
    }
    let full = format!("SIG{bare}");
    full.parse::<nix::sys::signal::Signal>()
        .ok()
        .map(|s| s as i32)
}

/// The condition name `trap -p` prints: `EXIT`, `ERR`, `SIGINT`, `SIGRTMIN+2`.
/// A condition's name as `trap` lists it: `SIGINT`, or `INT` in POSIX
/// mode (as bash's POSIX mode and dash write it).
fn signal_name(n: i32, posix: bool) -> String {
    match n {
        crate::exec::state::ERR_TRAP => return "ERR".to_string(),
        crate::exec::state::DEBUG_TRAP => return "DEBUG".to_string(),
        crate::exec::state::RETURN_TRAP => return "RETURN".to_string(),
        _ => {}
    }
    match crate::jobs::signals::bare_name(n) {
        Some(name) if n == 0 || posix => name,
        Some(name) => format!("SIG{name}"),
        None => n.to_string(),
    }
}

/// `trap [action] condition…`, `trap` (list), `trap -p`.
pub fn trap(sh: &mut Shell, argv: &[String]) -> Status {
    let options = argv[1..]
        .iter()
        .take_while(|a| a.len() > 1 && a.starts_with('-') && *a != "--");
    if let Some(bad) = options
        .flat_map(|a| a[1..].chars())
        .find(|c| !matches!(c, 'l' | 'p' | 'P'))
    {
        let msg =
            format!("-{bad}: invalid option\ntrap: usage: trap [-Plp] [[action] signal_spec ...]");
        return sh.builtin_error("trap", &msg, 2);
    }
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "--").collect();
    if args.first().is_some_and(|a| *a == "-l") {
        let table = super::jobs::signal_table();
        return Ok(if sh.print("trap", &table)? { 0 } else { 1 });
    }
    if args.is_empty() || args[0] == "-p" {
        // A subshell lists its parent's traps until it changes one, with
        // the signals it ignores itself (an asynchronous list's).
        let mut listed = sh.state.traps.clone();
        if let Some(parent) = sh.state.inherited_traps.as_deref() {
            listed.extend(parent.iter().map(|(k, v)| (*k, v.clone())));
        }
        let mut all: Vec<(i32, TrapAction)> = listed.into_iter().collect();
        // Signals ignored on entry are listed as ignored, as bash does.
        for &sig in &sh.ignored_signals {
            if !sh.state.traps.contains_key(&sig) {
                all.push((sig, TrapAction::Ignore));
            }
        }
        // `trap -p SIG…` lists only those signals.
        let mut status = 0;
        let mut wanted: Vec<i32> = Vec::new();
        for arg in args.iter().skip(1) {
            match signal_number(arg) {
                Some(n) => wanted.push(n),
                None => {
                    let msg = format!("{arg}: invalid signal specification");
                    status = sh.builtin_error("trap", &msg, 1)?;
                }
            }
        }
        if wanted.is_empty() && args.len() > 1 {
            return Ok(status);
        }
        if !wanted.is_empty() {
            all.retain(|(n, _)| wanted.contains(n));
        }
        all.sort_by_key(|(k, _)| *k);
        let mut out = String::new();
        for (n, action) in all {
            let code = match action {
                TrapAction::Command(c) => c,
                TrapAction::Ignore => String::new(),
            };
            out.push_str(&format!(
                "trap -- {} {}\n",
                crate::parser::unparse::quote(&code),
                signal_name(n, sh.state.options.posix)
            ));
        }
        return Ok(if sh.print("trap", &out)? { status } else { 1 });
    }
    let (action, conditions) =
        if args.len() == 1 || signal_number(args[0]).is_some() && args[0].parse::<i32>().is_ok() {
            (None, &args[..])
        } else {
            (Some(args[0].as_str()), &args[1..])
        };
    let mut status = 0;
    sh.state.inherited_traps = None;
    for cond in conditions {
        let Some(n) = signal_number(cond) else {
            // Reported, but not fatal: bash goes on with the script.
            sh.report(&format!("trap: {cond}: invalid signal specification"));
            status = 1;
            continue;
        };
        if n != 0 && sh.ignored_signals.contains(&n) {
            // POSIX: a signal ignored when a non-interactive shell started
            // cannot be trapped or reset.
            continue;
        }
        let interactive = sh.state.options.interactive;
        let disposition = match action {
            None | Some("-") => {
                sh.state.traps.remove(&n);
                Disposition::Default
            }
            Some("") => {
                sh.state.traps.insert(n, TrapAction::Ignore);
                Disposition::Ignore
            }
            Some(code) => {
                sh.state
                    .traps
                    .insert(n, TrapAction::Command(code.to_string()));
                Disposition::Trap
            }
        };
        // Dispositions belong to the process: an in-process subshell keeps
        // its traps in its own table only, so its parent is untouched.
        if (1..65).contains(&n) && sh.owns_process {
            signals::set_disposition(n, disposition, interactive);
        }
    }
    Ok(status)
}
