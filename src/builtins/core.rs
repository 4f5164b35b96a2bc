//! Control builtins: `:`, `true`, `false`, `exit`, `return`, `break`,
//! `continue`, `eval`, `.`/`source`, `exec`.

use crate::exec::Shell;
use crate::exec::eval::{Status, Unwind};

/// `:` — does nothing, successfully.
pub fn colon(_: &mut Shell, _: &[String]) -> Status {
    Ok(0)
}

/// `true`.
pub fn true_(_: &mut Shell, _: &[String]) -> Status {
    Ok(0)
}

/// `false`.
pub fn false_(_: &mut Shell, _: &[String]) -> Status {
    Ok(1)
}

/// Parses an optional numeric status argument (`exit N`, `return N`).
fn status_arg(sh: &mut Shell, argv: &[String]) -> Result<i32, Status> {
    match argv.get(1) {
        None => Ok(sh.state.last_status),
        Some(text) => match text.trim().parse::<i64>() {
            Ok(n) => Ok((n & 0xff) as i32),
            Err(_) => {
                Err(sh.builtin_error(&argv[0], &format!("{text}: numeric argument required"), 2))
            }
        },
    }
}

/// `exit [n]`.
pub fn exit(sh: &mut Shell, argv: &[String]) -> Status {
    if argv.len() > 2 {
        // bash 5.3: a usage error (2), and the shell goes on, in POSIX
        // mode too.
        sh.report("exit: too many arguments");
        return Ok(2);
    }
    if sh.warn_about_stopped_jobs() {
        return Ok(1);
    }
    if argv.len() == 1
        && let Some(before) = sh.ctx.status_before_trap
    {
        // In a trap, the last command is the one before the trap (POSIX).
        return Err(Unwind::Exit(before));
    }
    let status = match status_arg(sh, argv) {
        Ok(s) => s,
        Err(Ok(s)) | Err(Err(Unwind::Exit(s))) => return Err(Unwind::Exit(s)),
        Err(other) => return other,
    };
    Err(Unwind::Exit(status))
}

/// `return [n]`.
pub fn return_(sh: &mut Shell, argv: &[String]) -> Status {
    let skip = usize::from(argv.get(1).is_some_and(|a| a == "--"));
    let in_function = sh.call_depth() > 0 || sh.ctx.source_depth > 0;
    if argv.len() > 2 + skip {
        // bash 5.3: a usage error wherever the `return` is; a function
        // returns with it.
        sh.report("return: too many arguments");
        let status = 2;
        return if in_function {
            Err(Unwind::Return(status))
        } else {
            Ok(status)
        };
    }
    let args: Vec<String> = argv[..1].iter().chain(&argv[1 + skip..]).cloned().collect();
    let status = match status_arg(sh, &args) {
        Ok(s) => s,
        // bash 5.3 returns with the usage error's status.
        Err(Ok(s)) if in_function => return Err(Unwind::Return(s)),
        Err(r) => return r,
    };
    if sh.call_depth() == 0 && sh.ctx.source_depth == 0 && !sh.ctx.running_trap {
        // Outside a function or `.` script (POSIX leaves it unspecified)
        // bash complains and goes on with 2; in POSIX mode `return` leaves
        // the shell with the status, as dash does, complaining as bash
        // does (unless `command` took its special-ness away).
        sh.report("return: can only `return' from a function or sourced script");
        if sh.state.options.posix && !sh.ctx.command_prefix {
            return Err(Unwind::Exit(status));
        }
        return Ok(2);
    }
    Err(Unwind::Return(status))
}

/// The count of `break n` / `continue n`, inside a loop. A count below 1
/// leaves every enclosing loop with status 1, as in bash; a word that is
/// no number ends the shell, as in bash (status 1).
fn loop_count(sh: &mut Shell, argv: &[String]) -> Result<u32, Status> {
    let skip = usize::from(argv.get(1).is_some_and(|a| a == "--"));
    let Some(t) = argv.get(1 + skip) else {
        sh.state.last_status = 0;
        return Ok(1);
    };
    if argv.len() > 2 + skip {
        // bash (in both modes) leaves the loops and abandons the rest of
        // the command line; 5.3 with the status of a usage error (2).
        sh.report(&format!("{}: too many arguments", argv[0]));
        sh.state.last_status = 2;
        return Err(Err(Unwind::Discard(2)));
    }
    match t.trim().parse::<i64>() {
        Ok(n) if n >= 1 => {
            sh.state.last_status = 0;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        }
        Ok(_) => {
            sh.report(&format!("{}: {t}: loop count out of range", argv[0]));
            sh.state.last_status = 1;
            Err(Err(Unwind::Break(sh.ctx.loop_depth)))
        }
        Err(_) => {
            // bash ends the shell (with 128; 1 as the conformance suite).
            sh.report(&format!("{}: {t}: numeric argument required", argv[0]));
            Err(Err(Unwind::Exit(1)))
        }
    }
}

/// `break [n]`.
pub fn break_(sh: &mut Shell, argv: &[String]) -> Status {
    if sh.ctx.loop_depth == 0 {
        return outside_loop(sh, "break");
    }
    let n = match loop_count(sh, argv) {
        Ok(n) => n,
        Err(r) => return r,
    };
    Err(Unwind::Break(n.min(sh.ctx.loop_depth)))
}

/// `break` or `continue` with no loop to leave: bash warns, the status
/// stays 0 and the shell goes on.
fn outside_loop(sh: &mut Shell, builtin: &str) -> Status {
    sh.report(&format!(
        "{builtin}: only meaningful in a `for', `while', or `until' loop"
    ));
    Ok(0)
}

/// `continue [n]`.
pub fn continue_(sh: &mut Shell, argv: &[String]) -> Status {
    if sh.ctx.loop_depth == 0 {
        return outside_loop(sh, "continue");
    }
    let n = match loop_count(sh, argv) {
        Ok(n) => n,
        Err(r) => return r,
    };
    Err(Unwind::Continue(n.min(sh.ctx.loop_depth)))
}

/// `eval args…`: joins the arguments with spaces and runs the result.
pub fn eval(sh: &mut Shell, argv: &[String]) -> Status {
    let mut args = &argv[1..];
    match args.first().map(String::as_str) {
        Some("--") => args = &args[1..],
        Some(opt) if opt.starts_with('-') && opt.len() > 1 => {
            let msg = format!("{opt}: invalid option\neval: usage: eval [arg ...]");
            sh.report(&format!("eval: {msg}"));
            return Ok(2);
        }
        _ => {}
    }
    let code = args.join(" ");
    // Its lines are numbered on from the line of the `eval`, as in bash.
    let line = sh.line.max(1);
    sh.scoped(|c| c.eval_depth += 1)
        .run_source_from(&code, line)
}

/// The options of `.`: `-p path` (searched instead of `PATH`), and the
/// index of the first operand.
fn dot_options(args: &[String]) -> Result<(Option<String>, usize), String> {
    let mut search = None;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "--" => return Ok((search, i + 1)),
            "-p" => {
                let dirs = args.get(i + 1).ok_or("-p: option requires an argument")?;
                search = Some(dirs.clone());
                i += 2;
            }
            a if a.len() > 1 && a.starts_with('-') => {
                let letter: String = a.chars().take(2).collect();
                return Err(format!("{letter}: invalid option"));
            }
            _ => break,
        }
    }
    Ok((search, i))
}

/// The first regular file `name` in the `:`-separated `dirs` (`.` for an
/// empty entry, or when `dirs` is empty) — `.` needs it readable, not
/// executable.
fn readable_in(name: &str, dirs: &str) -> Option<std::path::PathBuf> {
    dirs.split(':')
        .map(|d| crate::bytes::to_path(if d.is_empty() { "." } else { d }).join(name))
        .find(|p| p.is_file())
}

/// `. file [args]` / `source file [args]`.
pub fn dot(sh: &mut Shell, argv: &[String]) -> Status {
    let builtin = argv[0].as_str();
    let usage = format!("{builtin}: usage: {builtin} [-p path] filename [arguments]");
    let (search, first) = match dot_options(&argv[1..]) {
        Ok(parsed) => parsed,
        Err(msg) => return sh.builtin_error(builtin, &format!("{msg}\n{usage}"), 2),
    };
    let argv: Vec<String> = std::iter::once(argv[0].clone())
        .chain(argv[1 + first..].iter().cloned())
        .collect();
    let argv = argv.as_slice();
    let Some(name) = argv.get(1) else {
        let msg = format!("filename argument required\n{usage}");
        return sh.builtin_error(&argv[0], &msg, 2);
    };
    let path = if name.contains('/') {
        Some(sh.resolve_path(name).map(std::borrow::Cow::into_owned))
    } else if let Some(dirs) = &search {
        // `-p path`: only there (an empty entry is the current directory).
        readable_in(name, dirs).map(Ok)
    } else {
        let path_var = sh.state.vars.get("PATH").map(str::to_string);
        let on_path = sh.shopt_on("sourcepath");
        on_path
            .then(|| crate::exec::lookup::search_path(name, path_var.as_deref()))
            .flatten()
            .filter(|p| p.is_file())
            .or_else(|| {
                // bash outside POSIX mode tries the current directory.
                let here = crate::bytes::to_path(name);
                (!sh.state.options.posix && here.is_file()).then(|| here.into_owned())
            })
            .map(Ok)
    };
    let read = |p: std::path::PathBuf| std::fs::read(p);
    let text = match path.map(|p| p.map_err(std::io::Error::from).and_then(read)) {
        Some(Ok(bytes)) => crate::bytes::decode_vec(bytes),
        Some(Err(e)) => {
            // bash names the file, not the builtin. Not fatal to bash
            // (status 1); fatal in POSIX mode.
            sh.report(&format!("{name}: {}", crate::exec::error::describe_io(&e)));
            return sh.posix_fatal(1);
        }
        // Outside POSIX mode bash tries the current directory last, and
        // says what opening the name there said.
        None if !sh.state.options.posix && search.is_none() => {
            sh.report(&format!("{name}: No such file or directory"));
            return sh.posix_fatal(1);
        }
        None => {
            sh.report(&format!("{}: {name}: file not found", argv[0]));
            return sh.posix_fatal(1);
        }
    };
    let saved_positional =
        (argv.len() > 2).then(|| std::mem::replace(&mut sh.state.positional, argv[2..].to_vec()));
    let args = argv.get(2..).unwrap_or_default();
    let caller_args = match &saved_positional {
        _ if !sh.shopt_on("extdebug") => Vec::new(),
        Some(saved) => saved.clone(),
        None => sh.state.positional.clone(),
    };
    sh.push_call_frame("source", name.clone(), args, &caller_args);
    let sets_before = sh.positional_sets;
    let line = sh.line;
    let r = sh.scoped(|c| c.source_depth += 1).run_source_text(&text);
    sh.line = line;
    sh.call_frames.pop();
    // What the script set with `set` stays (bash); its arguments go.
    if let (Some(p), true) = (saved_positional, sh.positional_sets == sets_before) {
        sh.state.positional = p;
    }
    let r = match r {
        Err(Unwind::Return(s)) => Ok(s),
        other => other,
    };
    match r {
        Ok(status) => {
            sh.state.last_status = status;
            sh.run_return_trap()?;
            Ok(status)
        }
        other => other,
    }
}

/// `exec [cmd args…]`: with a command, replaces the shell by it (here: runs
/// it and exits with its status, since the shell never execs itself away
/// while it may hold jobs); without one, makes the redirections permanent.
pub fn exec(sh: &mut Shell, argv: &[String]) -> Status {
    const USAGE: &str =
        "exec: usage: exec [-cl] [-a name] [command [argument ...]] [redirection ...]";
    let (opts, first) = match super::options::parse(&argv[1..], "a:cl") {
        Ok(parsed) => parsed,
        Err(e) => return sh.builtin_error("exec", &format!("{e}\n{USAGE}"), 2),
    };
    let mut arg0 = None;
    let (mut login, mut clear_env) = (false, false);
    for (letter, value) in opts {
        match letter {
            'a' => arg0 = value,
            'l' => login = true,
            _ => clear_env = true,
        }
    }
    let words = &argv[1 + first..];
    if words.is_empty() {
        sh.keep_redirections();
        return Ok(0);
    }
    let (mut spawn, keep) = match sh.plan_external(words, &[], &[]) {
        Ok(planned) => planned,
        Err(e) => {
            // Nothing has changed yet: an interactive shell goes on.
            let status = e.status();
            sh.report(&e.to_string());
            return if sh.state.options.interactive && sh.ctx.subshell_depth == 0 {
                Ok(status)
            } else {
                Err(Unwind::Exit(status))
            };
        }
    };
    let name = arg0.unwrap_or_else(|| words[0].clone());
    let name = if login { format!("-{name}") } else { name };
    spawn.set_arg0(crate::bytes::to_cstring(&name));
    if clear_env {
        spawn.environment(std::sync::Arc::new(Vec::new()));
    }
    if !sh.owns_process {
        // An in-process subshell is not a process of its own: the command
        // runs as a child and its status ends the subshell.
        let started = sh.spawn_plan(spawn, &words[0]);
        drop(keep);
        return match started {
            Ok(child) => Err(Unwind::Exit(crate::jobs::wait_child(&child))),
            Err(e) => {
                let status = e.status();
                sh.report(&e.to_string());
                Err(Unwind::Exit(status))
            }
        };
    }
    if sh.state.options.interactive {
        // The command takes the shell's place: the stop signals the
        // interactive shell ignores for itself go back to their defaults.
        let stops: Vec<i32> = [libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU]
            .into_iter()
            .filter(|s| !sh.ignored_signals.contains(s))
            .collect();
        spawn.sigdefault(stops);
    }
    let e = sh.exec_plan(spawn, &words[0]);
    drop(keep);
    let status = e.status();
    sh.report(&e.to_string());
    Err(Unwind::Exit(status))
}

/// `logout [n]`: `exit`, in a login shell only.
pub fn logout(sh: &mut Shell, argv: &[String]) -> Status {
    if !sh.shopt_on("login_shell") {
        return sh.builtin_error("logout", "not login shell: use `exit'", 1);
    }
    exit(sh, argv)
}
