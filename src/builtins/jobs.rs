//! Job control builtins: `jobs`, `fg`, `bg`, `kill` (which takes job
//! specs as well as pids), `wait`, `disown` and `suspend`.
//!
//! A job's processes are signalled through their pidfds when the kernel
//! gave one: a pidfd names the process itself, so a signal cannot reach an
//! unrelated process that reused a reaped child's pid.

use std::os::fd::AsFd;

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::unistd::Pid;

use super::trap::signal_number;
use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::jobs::Job;
use crate::jobs::signals::{self, bare_name as signal_name};

const USAGE: &str =
    "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";

/// `kill [-s sigspec | -n signum | -sigspec] pid|%job…`, `kill -l [sig…]`.
pub fn kill(sh: &mut Shell, argv: &[String]) -> Status {
    // A job a notice has told of is gone, as in bash.
    sh.jobs.forget_announced();
    let mut args = &argv[1..];
    let mut signal = libc::SIGTERM;
    if let Some(first) = args.first() {
        match first.as_str() {
            "-l" | "-L" => return list(sh, &args[1..]),
            "-s" | "-n" => {
                let Some(spec) = args.get(1) else {
                    return sh.builtin_error(
                        "kill",
                        &format!("{first}: option requires an argument"),
                        2,
                    );
                };
                match signal_number(spec) {
                    Some(n) => signal = n,
                    None => return invalid_signal(sh, spec),
                }
                args = &args[2..];
            }
            "--" => args = &args[1..],
            s if s.len() > 1 && s.starts_with('-') => {
                // `-sHUP` and `-n9` as bash reads them (when the whole word
                // is no signal, as `-sigkill` is): the letter is dropped
                // before a name or a number respectively.
                let spec = match s.as_bytes().get(1..3) {
                    _ if signal_number(&s[1..]).is_some() => &s[1..],
                    Some([b's', c]) if c.is_ascii_alphabetic() => &s[2..],
                    Some([b'n', c]) if c.is_ascii_digit() => &s[2..],
                    _ => &s[1..],
                };
                match signal_number(spec) {
                    Some(n) => signal = n,
                    None => return invalid_signal(sh, spec),
                }
                args = &args[1..];
            }
            _ => {}
        }
    }
    if args.first().is_some_and(|a| a == "--") {
        args = &args[1..];
    }
    if args.is_empty() {
        sh.write_stderr(&format!("{USAGE}\n"));
        return Ok(2);
    }
    let mut status = 0;
    for target in args {
        if let Err(msg) = signal_target(sh, target, signal) {
            status = sh.builtin_error("kill", &msg, 1)?;
        }
    }
    Ok(status)
}

fn invalid_signal(sh: &mut Shell, spec: &str) -> Status {
    sh.builtin_error("kill", &format!("{spec}: invalid signal specification"), 1)
}

/// Sends `signal` to a pid (negative: a process group) or a job.
fn signal_target(sh: &Shell, target: &str, signal: i32) -> Result<(), String> {
    if target.starts_with('%') {
        let job = find_job(sh, target).ok_or_else(|| format!("{target}: no such job"))?;
        for p in &job.processes {
            if p.status.is_some() {
                continue;
            }
            let sent = match (&p.pidfd, Signal::try_from(signal)) {
                (Some(fd), Ok(sig)) => crate::sys::pidfd_send_signal(fd.as_fd(), Some(sig)),
                _ => send(p.pid.as_raw(), signal),
            };
            // A member that already exited (not yet reaped) is not an error.
            if let Err(e) = sent
                && e != Errno::ESRCH
            {
                return Err(format!("{target}: {}", crate::exec::error::describe(e)));
            }
        }
        return Ok(());
    }
    let pid: i32 = target
        .parse()
        .map_err(|_| format!("`{target}': not a pid or valid job spec"))?;
    send(pid, signal).map_err(|e| format!("({pid}) - {}", crate::exec::error::describe(e)))
}

fn send(pid: i32, signal: i32) -> Result<(), Errno> {
    let own = nix::unistd::getpid().as_raw();
    if signal == libc::SIGPIPE && pid == own {
        return own_sigpipe();
    }
    let own_group = -nix::unistd::getpgrp().as_raw();
    if pid == own && signal != 0 {
        return signal_this_thread(signal);
    }
    // SAFETY: kill(2) takes two integers; no memory is involved.
    Errno::result(unsafe { libc::kill(pid, signal) })?;
    if matches!(signal, libc::SIGSTOP | libc::SIGKILL) && (pid == 0 || pid == own_group) {
        signal_this_thread(signal)?;
    }
    if signal == libc::SIGPIPE && (pid == 0 || pid == own_group) {
        // The copy that reached this shell looks like the kernel's SIGPIPE
        // for a write of its own, which the shell lets go.
        own_sigpipe()?;
    }
    Ok(())
}

/// A signal for the shell's own process, delivered to the thread running
/// `kill` itself: the kernel acts on it before the system call returns,
/// so `kill -s STOP $$; echo resumed` stops before the echo, as in a
/// single-threaded shell. (Sent to the process, SIGSTOP and SIGKILL may be
/// taken by an idle thread while this one runs on.)
fn signal_this_thread(signal: i32) -> Result<(), Errno> {
    let signal = Signal::try_from(signal)?;
    nix::sys::pthread::pthread_kill(nix::sys::pthread::pthread_self(), signal)
}

/// SIGPIPE for this very shell, sent so that its handler can tell it from
/// the kernel's SIGPIPE for a write (see `jobs::signals`).
fn own_sigpipe() -> Result<(), Errno> {
    crate::sys::sigqueue(nix::unistd::getpid(), Signal::SIGPIPE)
}

/// A job by spec: `%N`, `%%`/`%+`/`%` (current: the newest), `%-` (the
/// one before), `%name` (command starts with), `%?text` (contains).
pub fn find_job<'a>(sh: &'a Shell, spec: &str) -> Option<&'a Job> {
    let jobs = sh.jobs.jobs();
    let rest = spec.strip_prefix('%').unwrap_or(spec);
    let (current, previous) = sh.jobs.current_and_previous();
    match rest {
        "" | "%" | "+" => current.and_then(|i| jobs.get(i)),
        "-" => previous.or(current).and_then(|i| jobs.get(i)),
        _ => {
            if let Ok(n) = rest.parse::<usize>() {
                return jobs.iter().find(|j| j.number == n);
            }
            let mut matching = jobs.iter().filter(|j| match rest.strip_prefix('?') {
                Some(text) => j.text.contains(text),
                None => j.text.starts_with(rest),
            });
            let first = matching.next();
            // An ambiguous spec names no job.
            if matching.next().is_some() {
                None
            } else {
                first
            }
        }
    }
}

/// `kill -l`: the table of signals; with arguments, names ↔ numbers (an
/// exit status above 128 stands for its signal).
fn list(sh: &mut Shell, args: &[String]) -> Status {
    if args.is_empty() {
        let out = signal_table();
        return Ok(if sh.print("kill", &out)? { 0 } else { 1 });
    }
    let mut out = String::new();
    let mut status = 0;
    for arg in args {
        let line = match arg.parse::<i64>() {
            Ok(n) => {
                let n = if n > 128 { n - 128 } else { n };
                i32::try_from(n).ok().and_then(signal_name)
            }
            Err(_) => signal_number(arg)
                .filter(|n| *n != 0)
                .map(|n| n.to_string()),
        };
        match line {
            Some(l) => {
                out.push_str(&l);
                out.push('\n');
            }
            None => {
                status =
                    sh.builtin_error("kill", &format!("{arg}: invalid signal specification"), 1)?
            }
        }
    }
    if !sh.print("kill", &out)? {
        return Ok(1);
    }
    Ok(status)
}

/// The table `kill -l` prints: five `N) SIGNAME` columns a line.
pub fn signal_table() -> String {
    let mut out = String::new();
    let mut column = 0;
    for n in 1..=libc::SIGRTMAX() {
        let Some(name) = signal_name(n) else {
            continue;
        };
        out.push_str(&format!("{n:2}) SIG{name}"));
        column += 1;
        out.push(if column % 5 == 0 { '\n' } else { '\t' });
    }
    if !out.ends_with('\n') {
        out.pop();
        out.push('\n');
    }
    out
}

/// `jobs [-lp] [%job…]`: `[N]+  Running                 text &`.
pub fn jobs(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "lpnrs") {
        Ok(parsed) => parsed,
        Err(e) => {
            let msg =
                format!("{e}\njobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]");
            return sh.builtin_error("jobs", &msg, 2);
        }
    };
    let long = opts.iter().any(|(c, _)| *c == 'l');
    let pids_only = opts.iter().any(|(c, _)| *c == 'p');
    let mut selected: Vec<usize> = Vec::new();
    let mut status = 0;
    for spec in &argv[1 + first..] {
        match find_job(sh, spec) {
            Some(job) => selected.push(job.number),
            None => status = sh.builtin_error("jobs", &format!("{spec}: no such job"), 1)?,
        }
    }
    let all = argv.len() == 1 + first;
    sh.jobs.refresh();
    sh.jobs.forget_announced();
    let mut out = String::new();
    for line in sh.jobs.lines() {
        if !all && !selected.contains(&line.number) {
            continue;
        }
        if pids_only {
            out.push_str(&format!("{}\n", line.pid));
            continue;
        }
        let pid_column = if long {
            format!(" {}", line.pid)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "[{}]{}{pid_column}  {:<24}{}{}\n",
            line.number,
            line.mark,
            line.state,
            line.text,
            if line.stopped { "" } else { " &" }
        ));
    }
    // Finished jobs are shown once, here, and then forgotten.
    sh.jobs.forget_finished();
    if !sh.print("jobs", &out)? {
        return Ok(1);
    }
    Ok(status)
}

/// The job a `fg`/`bg` argument names (the current job without one).
fn job_number(sh: &Shell, argv: &[String]) -> Result<usize, String> {
    let spec = argv.get(1).map(String::as_str).unwrap_or("%+");
    find_job(sh, spec)
        .map(|j| j.number)
        .ok_or_else(|| format!("{spec}: no such job"))
}

/// `fg [%job]`: continues a job in the foreground, with the terminal.
pub fn fg(sh: &mut Shell, argv: &[String]) -> Status {
    // A job a notice has told of is gone, as in bash.
    sh.jobs.forget_announced();
    if !sh.job_control_active() {
        return sh.builtin_error("fg", "no job control", 1);
    }
    let number = match job_number(sh, argv) {
        Ok(n) => n,
        Err(msg) => return sh.builtin_error("fg", &msg, 1),
    };
    match sh.foreground(number) {
        Ok(status) => Ok(status),
        Err(msg) => sh.builtin_error("fg", &msg, 1),
    }
}

/// `bg [%job]`: continues a stopped job in the background.
pub fn bg(sh: &mut Shell, argv: &[String]) -> Status {
    // A job a notice has told of is gone, as in bash.
    sh.jobs.forget_announced();
    if !sh.job_control_active() {
        return sh.builtin_error("bg", "no job control", 1);
    }
    let number = match job_number(sh, argv) {
        Ok(n) => n,
        Err(msg) => return sh.builtin_error("bg", &msg, 1),
    };
    match sh.background(number) {
        Ok(()) => Ok(0),
        Err(msg) => sh.builtin_error("bg", &msg, 1),
    }
}

/// `wait [pid|%job…]`.
pub fn wait(sh: &mut Shell, argv: &[String]) -> Status {
    // A job a notice has told of is gone, as in bash.
    sh.jobs.forget_announced();
    const USAGE: &str = "wait: usage: wait [-fn] [-p var] [id ...]";
    let mut any = false;
    let mut var: Option<&str> = None;
    let mut i = 1;
    while let Some(arg) = argv.get(i).filter(|a| a.starts_with('-') && a.len() > 1) {
        i += 1;
        if arg == "--" {
            break;
        }
        for c in arg[1..].chars() {
            match c {
                'n' => any = true,
                // Waiting for a job to end is what `wait` does anyway.
                'f' => {}
                'p' => match argv.get(i) {
                    Some(name) => {
                        var = Some(name);
                        i += 1;
                    }
                    None => {
                        let msg = format!("-p: option requires an argument\n{USAGE}");
                        return sh.builtin_error("wait", &msg, 2);
                    }
                },
                _ => {
                    return sh.builtin_error("wait", &format!("-{c}: invalid option\n{USAGE}"), 2);
                }
            }
        }
    }
    let ids = &argv[i..];
    if let Some(name) = var {
        if !crate::expand::is_name(name) {
            return sh.builtin_error("wait", &format!("`{name}': not a valid identifier"), 2);
        }
        // bash unsets it first: it stays unset when nothing was waited for.
        let _ = sh.state.vars.unset(name);
    }
    let (status, waited) = if any {
        wait_next(sh)?
    } else if ids.is_empty() {
        if let Err(sig) =
            signals::await_exits(&sh.jobs.live_pidfds(None, None), false, sh.owns_process)
        {
            return Ok(128 + sig);
        }
        let status = sh.jobs.wait_all();
        // An interactive shell reports them at once, as bash does.
        sh.print_job_notices();
        (status, None)
    } else {
        wait_ids(sh, ids)?
    };
    if let (Some(name), Some(id)) = (var, waited)
        && let Err(e) = sh.assign(name, id)
    {
        return sh.fail(e);
    }
    Ok(status)
}

/// `wait -n`: the next job to finish (any job: ids narrow nothing yet),
/// with the pid it reports.
fn wait_next(sh: &mut Shell) -> Result<(i32, Option<String>), crate::exec::eval::Unwind> {
    let live = sh.jobs.live_pidfds(None, None);
    if !live.is_empty()
        && let Err(sig) = signals::await_exits(&live, true, sh.owns_process)
    {
        return Ok((128 + sig, None));
    }
    Ok(match sh.jobs.wait_any() {
        Some((pid, status)) => (status, Some(pid.to_string())),
        None => (127, None),
    })
}

/// `wait ID…`: each pid or job in turn; the status and id of the last.
fn wait_ids(
    sh: &mut Shell,
    ids: &[String],
) -> Result<(i32, Option<String>), crate::exec::eval::Unwind> {
    let mut status = 0;
    let mut waited = None;
    for arg in ids {
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
            return Ok((128 + sig, waited));
        }
        status = if arg.starts_with('%') {
            let job = super::jobs::find_job(sh, arg)
                .map(|j| (j.number, j.processes.last().map(|p| p.pid.as_raw())));
            match job.and_then(|(n, pid)| Some((sh.jobs.wait_job(n)?, pid))) {
                Some((s, pid)) => {
                    waited = pid.map(|p| p.to_string());
                    s
                }
                None => sh.builtin_error("wait", &format!("{arg}: no such job"), 127)?,
            }
        } else {
            match arg.parse::<i32>() {
                Ok(pid) => match sh.jobs.wait_pid(Pid::from_raw(pid)) {
                    Some(s) => {
                        waited = Some(pid.to_string());
                        s
                    }
                    // POSIX: 127 for an unknown pid; only bash says so.
                    None if sh.state.options.posix => 127,
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
    Ok((status, waited))
}

/// `disown [%job…]`: forgets jobs (the current one without arguments).
pub fn disown(sh: &mut Shell, argv: &[String]) -> Status {
    // A job a notice has told of is gone, as in bash.
    sh.jobs.forget_announced();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names_without_prefix() {
        assert_eq!(signal_name(0).as_deref(), Some("EXIT"));
        assert_eq!(signal_name(15).as_deref(), Some("TERM"));
        assert_eq!(signal_name(libc::SIGRTMIN()).as_deref(), Some("RTMIN"));
        assert_eq!(
            signal_name(libc::SIGRTMIN() + 1).as_deref(),
            Some("RTMIN+1")
        );
        assert_eq!(signal_name(9999), None);
        assert_eq!(signal_name(-3), None);
    }

    #[test]
    fn table_lists_hup_first_and_ends_with_newline() {
        let t = signal_table();
        assert!(t.starts_with(" 1) SIGHUP\t 2) SIGINT"));
        assert!(t.ends_with('\n'));
    }
}
