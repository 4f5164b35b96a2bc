//! Process builtins: `wait`, `trap`, `times`.

use nix::unistd::Pid;

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::state::TrapAction;
use crate::jobs::signals::{self, Disposition};

/// `wait [pid|%job…]`.
pub fn wait(sh: &mut Shell, argv: &[String]) -> Status {
    if argv.len() == 1 {
        if let Err(sig) =
            signals::await_exits(&sh.jobs.live_pidfds(None, None), false, sh.owns_process)
        {
            return Ok(128 + sig);
        }
        return Ok(sh.jobs.wait_all());
    }
    if argv[1] == "-n" {
        let live = sh.jobs.live_pidfds(None, None);
        if !live.is_empty()
            && let Err(sig) = signals::await_exits(&live, true, sh.owns_process)
        {
            return Ok(128 + sig);
        }
        // The next job to finish (any job: arguments narrow nothing yet).
        return Ok(sh.jobs.wait_any().map(|(_, s)| s).unwrap_or(127));
    }
    let mut status = 0;
    for arg in &argv[1..] {
        let target = match arg.strip_prefix('%') {
            Some(_) => super::jobs::find_job(sh, arg).map(|j| (Some(j.number), None)),
            None => arg
                .parse::<i32>()
                .ok()
                .map(|pid| (None, Some(Pid::from_raw(pid)))),
        };
        if let Some((number, pid)) = target
            && (number.is_some() || pid.is_some())
            && let Err(sig) =
                signals::await_exits(&sh.jobs.live_pidfds(number, pid), false, sh.owns_process)
        {
            return Ok(128 + sig);
        }
        status = if arg.starts_with('%') {
            let number = super::jobs::find_job(sh, arg).map(|j| j.number);
            match number.and_then(|n| sh.jobs.wait_job(n)) {
                Some(s) => s,
                None => sh.builtin_error("wait", &format!("{arg}: no such job"), 127)?,
            }
        } else {
            match arg.parse::<i32>() {
                Ok(pid) => match sh.jobs.wait_pid(Pid::from_raw(pid)) {
                    Some(s) => s,
                    // POSIX: 127 for an unknown pid; only bash says so.
                    None if sh.options.posix => 127,
                    None => {
                        let msg = format!("pid {pid} is not a child of this shell");
                        sh.builtin_error("wait", &msg, 127)?
                    }
                },
                Err(_) => {
                    sh.builtin_error("wait", &format!("`{arg}': not a pid or valid job spec"), 2)?
                }
            }
        };
    }
    Ok(status)
}

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
    let args: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "--").collect();
    if args.first().is_some_and(|a| *a == "-l") {
        let table = super::jobs::signal_table();
        return Ok(if sh.print("trap", &table)? { 0 } else { 1 });
    }
    if args.is_empty() || args[0] == "-p" {
        // A subshell lists its parent's traps until it changes one, with
        // the signals it ignores itself (an asynchronous list's).
        let mut listed = sh.traps.clone();
        if let Some(parent) = sh.inherited_traps.as_deref() {
            listed.extend(parent.iter().map(|(k, v)| (*k, v.clone())));
        }
        let mut all: Vec<(i32, TrapAction)> = listed.into_iter().collect();
        // Signals ignored on entry are listed as ignored, as bash does.
        for &sig in &sh.ignored_signals {
            if !sh.traps.contains_key(&sig) {
                all.push((sig, TrapAction::Ignore));
            }
        }
        // `trap -p SIG…` lists only those signals.
        let wanted: Vec<i32> = args
            .iter()
            .skip(1)
            .filter_map(|a| signal_number(a))
            .collect();
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
                signal_name(n, sh.options.posix)
            ));
        }
        return Ok(if sh.print("trap", &out)? { 0 } else { 1 });
    }
    let (action, conditions) =
        if args.len() == 1 || signal_number(args[0]).is_some() && args[0].parse::<i32>().is_ok() {
            (None, &args[..])
        } else {
            (Some(args[0].as_str()), &args[1..])
        };
    let mut status = 0;
    sh.inherited_traps = None;
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
        let interactive = sh.options.interactive;
        let disposition = match action {
            None | Some("-") => {
                sh.traps.remove(&n);
                Disposition::Default
            }
            Some("") => {
                sh.traps.insert(n, TrapAction::Ignore);
                Disposition::Ignore
            }
            Some(code) => {
                sh.traps.insert(n, TrapAction::Command(code.to_string()));
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

/// `times`: user and system time of the shell and of its children.
pub fn times(sh: &mut Shell, _: &[String]) -> Status {
    use nix::sys::resource::{UsageWho, getrusage};
    let fmt = |tv: nix::sys::time::TimeVal| {
        let secs = tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
        format!("{}m{:.3}s", (secs / 60.0) as u64, secs % 60.0)
    };
    let mut out = String::new();
    for who in [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN] {
        if let Ok(u) = getrusage(who) {
            out.push_str(&format!(
                "{} {}\n",
                fmt(u.user_time()),
                fmt(u.system_time())
            ));
        }
    }
    Ok(if sh.print("times", &out)? { 0 } else { 1 })
}

/// `disown [%job…]`: forgets jobs (the current one without arguments).
pub fn disown(sh: &mut Shell, argv: &[String]) -> Status {
    let specs: Vec<String> = if argv.len() > 1 {
        argv[1..].to_vec()
    } else {
        vec!["%+".to_string()]
    };
    let mut status = 0;
    for spec in &specs {
        let number = super::jobs::find_job(sh, spec).map(|j| j.number);
        if !number.is_some_and(|n| sh.jobs.disown(n)) {
            status = sh.builtin_error("disown", &format!("{spec}: no such job"), 1)?;
        }
    }
    Ok(status)
}

/// `logout [n]`: `exit`, in a login shell only.
pub fn logout(sh: &mut Shell, argv: &[String]) -> Status {
    if !sh.shopt_on("login_shell") {
        return sh.builtin_error("logout", "not login shell: use `exit'", 1);
    }
    super::core::exit(sh, argv)
}

/// `suspend`: stops the shell until it gets SIGCONT (not a login shell).
pub fn suspend(sh: &mut Shell, argv: &[String]) -> Status {
    let force = argv.iter().any(|a| a == "-f");
    if sh.shopt_on("login_shell") && !force {
        return sh.builtin_error("suspend", "cannot suspend a login shell", 1);
    }
    // The shell ignores SIGTSTP; SIGSTOP cannot be ignored.
    let _ = nix::sys::signal::kill(nix::unistd::getpid(), nix::sys::signal::Signal::SIGSTOP);
    if let Some(t) = &sh.terminal {
        t.reclaim();
    }
    Ok(0)
}
