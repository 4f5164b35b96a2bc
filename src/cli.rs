//! The command line: `pidsh [options] [-c CMD [name [args…]] | FILE [args…]]`,
//! choosing between `-c`, a script file, standard input and the
//! interactive loop, plus `--plan` and `--version`.

use std::io::Read;

use crate::exec::Shell;

/// What the command line asked for.
#[derive(Debug, Default)]
struct Invocation {
    command: Option<String>,
    plan: Option<crate::exec::plan::Format>,
    interactive: bool,
    read_stdin: bool,
    login: bool,
    /// `--norc`: skip the interactive start-up file.
    no_rc: bool,
    /// `--noprofile`: skip the login start-up files.
    no_profile: bool,
    /// `--import-functions`: define the functions bash exported
    /// (`BASH_FUNC_name%%` variables); never done otherwise.
    import_functions: bool,
    /// `--rcfile FILE`: read FILE instead of `~/.pidshrc`.
    rc_file: Option<String>,
    set_options: Vec<(String, bool)>,
    /// `-O name` / `+O name`: bash's `shopt` options.
    shopt_options: Vec<(String, bool)>,
    operands: Vec<String>,
}

const USAGE: &str =
    "usage: pidsh [--plan] [-ilsn…] [-o option] [-c command [name [args…]] | file [args…]]\n";

/// `pidsh --help`.
const HELP: &str = "\
Usage: pidsh [option ...] [-c command [name [arg ...]] | file [arg ...]]

  -c command      run the command string (name becomes $0)
  -s              read commands from standard input
  -i              interactive shell
  -l, --login     login shell: read /etc/profile and ~/.profile first
  -o option       set -o option (and +o to unset); -abCefhmnuvxTE as in set
  -O name         shopt -s name (and +O to unset)
  --posix         POSIX mode (also when run as sh)
  --norc          no rc file (/etc/pidshrc, ~/.pidshrc)
  --import-functions  define the functions bash exported (BASH_FUNC_name%%)
  --noprofile     no login files
  --rcfile FILE   read FILE instead of the rc files
  --plan          show how a command would be started, run nothing
  --plan=json     the same as one JSON document, for tools
  --version       version and spawn backend
  --help          this text

Start-up files, in order: login shells read /etc/profile and ~/.profile;
interactive shells /etc/pidshrc and ~/.pidshrc (in POSIX mode the file
$ENV names). At a terminal, `set editing-mode vi` in $INPUTRC or
~/.inputrc (else /etc/inputrc) is read first. History is kept in
$HISTFILE (by default $XDG_STATE_HOME/pidsh/history, or
~/.local/state/pidsh/history). A shell started as -pidsh is a login shell.
";

fn parse_args(args: &[String]) -> Result<Invocation, String> {
    let mut inv = Invocation::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        match arg.as_str() {
            "--plan" => inv.plan = Some(crate::exec::plan::Format::Text),
            "--plan=json" => inv.plan = Some(crate::exec::plan::Format::Json),
            "--login" => inv.login = true,
            "--posix" => inv.set_options.push(("posix".into(), true)),
            "--norc" => inv.no_rc = true,
            "--import-functions" => inv.import_functions = true,
            "--noprofile" => inv.no_profile = true,
            "--rcfile" => {
                inv.rc_file = Some(
                    args.get(i + 1)
                        .ok_or("--rcfile: file name required")?
                        .clone(),
                );
                i += 1;
            }
            "--" | "-" => {
                // A lone `-` ends the options too, and is not an operand.
                i += 1;
                break;
            }
            "-o" | "+o" => {
                let name = args.get(i + 1).ok_or("-o: option name required")?;
                inv.set_options.push((name.clone(), arg == "-o"));
                i += 1;
            }
            "-O" | "+O" => {
                let name = args.get(i + 1).ok_or("-O: option name required")?;
                inv.shopt_options.push((name.clone(), arg == "-O"));
                i += 1;
            }
            _ if (arg.starts_with('-') || arg.starts_with('+'))
                && arg.len() > 1
                && !arg.starts_with("--") =>
            {
                let on = arg.starts_with('-');
                // `o` and `O` among the letters take the next words as
                // option names (`pidsh -euo pipefail script`).
                let mut names_taken = 0;
                for c in arg[1..].chars() {
                    match c {
                        'o' | 'O' => {
                            names_taken += 1;
                            let name = args
                                .get(i + names_taken)
                                .ok_or(format!("-{c}: option name required"))?
                                .clone();
                            if c == 'o' {
                                inv.set_options.push((name, on));
                            } else {
                                inv.shopt_options.push((name, on));
                            }
                        }
                        'c' if on => {
                            inv.command = Some(String::new());
                        }
                        'i' => inv.interactive = on,
                        'l' => inv.login = on,
                        's' => inv.read_stdin = on,
                        _ => match crate::exec::state::Options::name_of_letter(c) {
                            Some(name) => inv.set_options.push((name.to_string(), on)),
                            None => return Err(format!("{}{c}: invalid option", &arg[..1])),
                        },
                    }
                }
                i += names_taken;
            }
            _ if arg.starts_with("--") => return Err(format!("{arg}: invalid option")),
            _ => break,
        }
        i += 1;
    }
    let mut rest: Vec<String> = args[i..].to_vec();
    if inv.command.is_some() {
        if rest.is_empty() {
            return Err("-c: option requires an argument".into());
        }
        inv.command = Some(rest.remove(0));
    }
    inv.operands = rest;
    Ok(inv)
}

/// Runs pidsh with the process's arguments; the exit status.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args_os()
        .map(|a| crate::bytes::decode_os(&a))
        .collect();
    let arg0 = args.first().cloned().unwrap_or_else(|| "pidsh".into());
    let rest = args.get(1..).unwrap_or_default();
    if rest.first().map(String::as_str) == Some("--subshell") {
        // A subshell that had to be a process: started by a pidsh parent.
        return crate::exec::isolate::run_handed_over(
            rest.get(1).map(String::as_str),
            crate::builtins::table(),
        );
    }
    if rest.first().map(String::as_str) == Some("--version") {
        println!(
            "pidsh {}\n{}",
            env!("CARGO_PKG_VERSION"),
            crate::spawn::backend::describe()
        );
        return 0;
    }
    if rest.first().map(String::as_str) == Some("--help") {
        print!("{HELP}");
        return 0;
    }
    let inv = match parse_args(rest) {
        Ok(inv) => inv,
        Err(msg) => {
            eprint!("pidsh: {msg}\n{USAGE}");
            return 2;
        }
    };
    let login = inv.login || arg0.starts_with('-');
    let shell_name = crate::bytes::to_path(arg0.trim_start_matches('-'))
        .file_name()
        .map(crate::bytes::decode_os)
        .unwrap_or_else(|| "pidsh".into());
    let mut inv = inv;
    if shell_name == "sh" {
        // Run as `sh`: POSIX mode, as bash does.
        inv.set_options.insert(0, ("posix".into(), true));
    }
    // `$0` is the shell's path as given (`-pidsh` for a login shell
    // started by `login`, as bash keeps `-bash`).
    let given = arg0.clone();
    run(inv, shell_name, given, login)
}

fn run(inv: Invocation, shell_name: String, given: String, login: bool) -> i32 {
    let mut operands = inv.operands.clone();
    let (source, arg0, prefix) = if let Some(cmd) = inv.command.clone() {
        // `pidsh -c CMD NAME`: NAME is `$0` and, as in bash, what messages
        // start with.
        let (arg0, prefix) = if operands.is_empty() {
            (given, shell_name.clone())
        } else {
            let name = operands.remove(0);
            (name.clone(), name)
        };
        (Some(cmd), arg0, prefix)
    } else if !inv.read_stdin && !operands.is_empty() {
        let file = operands.remove(0);
        match std::fs::read(crate::bytes::to_path(&file)) {
            Ok(bytes) => (Some(crate::bytes::decode_vec(bytes)), file.clone(), file),
            Err(e) => {
                let status = if e.kind() == std::io::ErrorKind::NotFound {
                    127
                } else {
                    126
                };
                let reason = crate::exec::error::describe_io(&e);
                write_text(
                    std::io::stderr(),
                    &format!("{shell_name}: {file}: {reason}\n"),
                );
                return status;
            }
        }
    } else {
        (None, given, shell_name.clone())
    };
    let in_script_file = inv.command.is_none() && source.is_some();
    let mut sh = Shell::new(arg0, operands, crate::builtins::table());
    sh.error_prefix = prefix;
    sh.in_script_file = in_script_file;
    sh.in_command_string = inv.command.is_some();
    if inv.import_functions {
        sh.import_functions();
    }
    // bash turns on the options an exported `SHELLOPTS` names.
    if let Some(list) = sh.state.vars.get("SHELLOPTS").map(str::to_string) {
        for name in list.split(':') {
            sh.state.options.set_named(name, true);
        }
    }
    for (name, on) in &inv.set_options {
        if !sh.state.options.set_named(name, *on) {
            write_text(
                std::io::stderr(),
                &format!("{shell_name}: {name}: invalid option name\n"),
            );
            return 2;
        }
    }
    for (name, on) in &inv.shopt_options {
        match crate::exec::shopts::NAMES.iter().find(|(n, _)| n == name) {
            Some((known, _)) => crate::builtins::shopt::set_option(&mut sh, known, *on, false),
            None => {
                let message = format!("{shell_name}: {name}: invalid shell option name\n");
                write_text(std::io::stderr(), &message);
                return 2;
            }
        }
    }
    if login {
        crate::builtins::shopt::set_option(&mut sh, "login_shell", true, false);
    }
    sh.refresh_option_variables();
    next_shell_level(&mut sh);
    let stdin_is_tty = nix::unistd::isatty(std::io::stdin()).unwrap_or(false);
    let interactive = inv.interactive || (source.is_none() && stdin_is_tty && inv.plan.is_none());
    if let Some(format) = inv.plan {
        let text = match source {
            Some(s) => s,
            None => read_all_stdin(),
        };
        return match crate::exec::plan::describe_source(&mut sh, &text, format) {
            Ok(out) => {
                write_text(std::io::stdout(), &out);
                0
            }
            Err(e) => {
                let message = format!("{shell_name}: line {}: {}\n", e.line, e.message);
                write_text(std::io::stderr(), &message);
                2
            }
        };
    }
    let ignored = crate::jobs::signals::setup(interactive, None);
    sh.note_ignored_at_start(ignored);
    if interactive {
        sh.state.options.interactive = true;
        if !sh.state.options.vi {
            sh.state.options.emacs = true;
        }
        if source.is_none() {
            // Job control: our own process group, the terminal, `set -m`.
            sh.terminal = crate::jobs::terminal::Terminal::take().map(std::sync::Arc::new);
            // `-m` asks for job control even without a terminal.
            sh.state.options.monitor |= sh.terminal.is_some();
            if sh.state.options.monitor && !sh.hangup_ignored() {
                crate::jobs::signals::forward_hangups();
            }
        }
        crate::interactive::set_defaults(&mut sh);
        if inv.command.is_some() {
            // As bash: `-c` text is recorded only after `set -o history`.
            sh.state.options.history = false;
        }
        sh.refresh_option_variables();
        let rc = if inv.no_rc {
            None
        } else if sh.state.options.posix && inv.rc_file.is_none() {
            // POSIX: the file `$ENV` names (after parameter expansion) —
            // never in a set-user-id or set-group-id shell, where the
            // environment must not choose code to run (as dash).
            let env = same_real_and_effective_ids()
                .then(|| sh.state.vars.get("ENV").map(str::to_string))
                .flatten();
            env.and_then(|e| sh.expand_prompt_string(&e))
                .filter(|f| !f.is_empty())
                .map(Some)
        } else {
            Some(inv.rc_file.clone())
        };
        let startup = crate::interactive::Startup::new(login && !inv.no_profile, rc);
        if source.is_none() {
            return crate::interactive::run(&mut sh, &startup);
        }
        // `pidsh -i -c CMD`: the start-up files first, as bash does.
        crate::interactive::check_window_size(&mut sh);
        if let Some(status) = crate::interactive::read_startup_files(&mut sh, &startup) {
            return status;
        }
    }
    if login && !interactive && !inv.no_profile {
        // `pidsh -l -c CMD`, `pidsh -l script`: the profile, as bash reads it.
        let startup = crate::interactive::Startup::new(true, None);
        if let Some(status) = crate::interactive::read_startup_files(&mut sh, &startup) {
            return status;
        }
    }
    let status = match source {
        Some(text) => sh.run_main(&text),
        None => sh.run_stdin(),
    };
    // The process ends with this status: freeing the shell's state piece
    // by piece first (every variable, table and parsed command) would
    // only cost time. Nothing in it acts when dropped.
    std::mem::forget(sh);
    status
}

/// `SHLVL` goes up by one in each new shell (exported; from 1 when unset
/// or not a number, as in bash).
fn next_shell_level(sh: &mut Shell) {
    let level = sh
        .state
        .vars
        .get("SHLVL")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let next = if level < 0 {
        0
    } else {
        level.saturating_add(1)
    };
    let _ = sh.assign("SHLVL", next.to_string());
    sh.state.vars.export("SHLVL");
}

/// Writes shell text as the bytes it stands for (see [`crate::bytes`]).
fn write_text(mut to: impl std::io::Write, text: &str) {
    let _ = to.write_all(&crate::bytes::encode(text));
}

fn read_all_stdin() -> String {
    let mut bytes = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut bytes);
    crate::bytes::decode_vec(bytes)
}

/// Whether the real and effective user and group ids are the same (the
/// shell does not run set-user-id or set-group-id).
fn same_real_and_effective_ids() -> bool {
    use nix::unistd::{getegid, geteuid, getgid, getuid};
    getuid() == geteuid() && getgid() == getegid()
}
