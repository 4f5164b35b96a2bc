//! The interactive front end: start-up files, the prompt and the read–run
//! loop on the reedline line editor — the only module that knows reedline.
//!
//! Layout: [`prompt`] turns `PS1`/`PS2` into text; [`editor`] assembles
//! reedline (keys, history, menu, validator); [`highlight`] and
//! [`complete`] read the shell through a [`snapshot`] taken before each
//! line, and share the tokenizer in [`scan`]. Without a terminal (`pidsh -i
//! < file`) a plain line reader stands in for the editor.

mod abbrev;
mod bindings;
mod complete;
mod context;
mod edit_buffer;
mod editor;
mod highlight;
mod history;
mod keys;
mod lscolors;
mod piped;
mod prompt;
mod scan;
mod snapshot;
mod wake;

use nix::sys::termios::{LocalFlags, SetArg, Termios, tcgetattr, tcsetattr};
use reedline::Signal;
use std::io::Write;

use crate::exec::Shell;
use crate::exec::eval::Unwind;
use crate::exec::scope::Input;
use crate::sys::fd as syscalls;

/// Runs a start-up file if there is one; `Some(status)` when it ran
/// `exit`. Its messages name it and the line (`pidsh: /etc/profile: line
/// 3: …`); `return` ends it, as in a file read by `.`.
fn source_if_exists(sh: &mut Shell, path: &str) -> Option<i32> {
    let bytes = std::fs::read(crate::bytes::to_path(path)).ok()?;
    let status = sh
        .scoped(|c| {
            c.startup_file = Some(path.into());
            c.source_depth += 1;
        })
        .run_source_text(&crate::bytes::decode_vec(bytes));
    match status {
        Err(Unwind::Exit(code)) => {
            sh.run_exit_trap();
            Some(code)
        }
        _ => None,
    }
}

/// Reads one line from standard input (without the newline); `None` at end of input.
fn read_plain_line() -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match syscalls::read(0, &mut byte) {
            Ok(0) => {
                return (!bytes.is_empty()).then(|| crate::bytes::decode_vec(bytes));
            }
            Ok(_) if byte[0] == b'\n' => return Some(crate::bytes::decode_vec(bytes)),
            Ok(_) => bytes.push(byte[0]),
            Err(_) => {
                if crate::jobs::signals::take_interrupt().is_some() {
                    bytes.clear();
                    return Some(String::new());
                }
                return None;
            }
        }
    }
}

/// Which start-up files a shell reads, in this order: for a login shell
/// the system profile and `~/.profile`; for an interactive one the system
/// rc file and `~/.pidshrc`, or the `--rcfile` file instead of both.
#[derive(Debug, Clone)]
pub struct Startup {
    /// Read the profiles.
    pub login: bool,
    /// `None`: no rc file; `Some(None)`: the usual ones; `Some(Some(f))`: `f`.
    pub rc: Option<Option<String>>,
    /// `/etc/profile`.
    pub system_profile: String,
    /// `/etc/pidshrc`.
    pub system_rc: String,
}

impl Startup {
    /// The files for a login and/or interactive shell.
    pub fn new(login: bool, rc: Option<Option<String>>) -> Startup {
        Startup {
            login,
            rc,
            system_profile: "/etc/profile".into(),
            system_rc: "/etc/pidshrc".into(),
        }
    }
}

/// Variables only an interactive shell sets: `HISTFILE` (under the XDG
/// state directory) unless the user set one, and a `PS1` unless one was
/// inherited (or the shell runs in POSIX mode): coloured at a terminal,
/// bash's plain `\s-\v\$ ` without one.
pub fn set_defaults(sh: &mut Shell) {
    // `set -b` is on by default: job completion is reported at once.
    sh.state.options.notify = true;
    sh.state.options.history = true;
    sh.state.options.histexpand = !sh.state.options.posix;
    if sh.state.vars.get("HISTFILE").is_none() {
        let state = sh
            .state
            .vars
            .get("XDG_STATE_HOME")
            .map(str::to_string)
            .or_else(|| home_dir(sh).map(|h| format!("{h}/.local/state")));
        if let Some(dir) = state {
            let _ = sh.assign("HISTFILE", format!("{dir}/pidsh/history"));
        }
    }
    // `Shell::new` gives every shell a plain `$ `; the environment is the
    // only place a user's own PS1 can come from before the rc file runs.
    // Colours only for a person at a terminal (not `pidsh -i < file`).
    let on_terminal = nix::unistd::isatty(std::io::stdin()).unwrap_or(false)
        && nix::unistd::isatty(std::io::stderr()).unwrap_or(false);
    if std::env::var_os("PS1").is_none() && !sh.state.options.posix {
        // Without a terminal, bash's own default: `pidsh-0.1$ `.
        let default = if on_terminal {
            prompt::DEFAULT_PS1
        } else {
            prompt::PLAIN_PS1
        };
        let _ = sh.assign("PS1", default.to_string());
    }
}

/// `COLUMNS` and `LINES` from the terminal's size (bash's `shopt
/// checkwinsize`): at start, before each prompt and so after each
/// foreground job and each resize.
pub fn check_window_size(sh: &mut Shell) {
    if !sh.shopt_on("checkwinsize") {
        return;
    }
    let size = [2, 0, 1]
        .into_iter()
        .find_map(|fd| syscalls::window_size(fd).ok())
        .filter(|&(columns, rows)| columns > 0 && rows > 0);
    if let Some((columns, rows)) = size {
        let _ = sh.assign("COLUMNS", columns.to_string());
        let _ = sh.assign("LINES", rows.to_string());
    }
}

/// `$HOME`, or the user's home directory from the password database.
fn home_dir(sh: &Shell) -> Option<String> {
    sh.state
        .vars
        .get("HOME")
        .map(str::to_string)
        .or_else(|| crate::users::current().map(|u| u.home.clone()))
}

/// Reads the profiles (login shells) and the rc files; `Some(status)`
/// when one of them ran `exit`.
pub fn read_startup_files(sh: &mut Shell, startup: &Startup) -> Option<i32> {
    let home = home_dir(sh);
    let in_home = |name: &str| home.as_ref().map(|h| format!("{h}/{name}"));
    if startup.login {
        // Debian's /etc/profile sets `PS1='$ '` for every shell but bash:
        // the prompt in place (pidsh's, or one from the environment)
        // stays, unless the user's own files set another (a prompt for
        // every user goes in the system rc file).
        let before = sh.state.vars.get("PS1").map(str::to_string);
        let status = source_if_exists(sh, &startup.system_profile);
        if let Some(before) = before {
            let _ = sh.assign("PS1", before);
        }
        if status.is_some() {
            return status;
        }
        if let Some(status) = in_home(".profile").and_then(|f| source_if_exists(sh, &f)) {
            return Some(status);
        }
    }
    match &startup.rc {
        Some(Some(file)) => source_if_exists(sh, file),
        Some(None) => source_if_exists(sh, &startup.system_rc)
            .or_else(|| in_home(".pidshrc").and_then(|f| source_if_exists(sh, &f))),
        None => None,
    }
}

/// The interactive loop; returns the exit status.
pub fn run(sh: &mut Shell, startup: &Startup) -> i32 {
    let on_terminal = nix::unistd::isatty(std::io::stdin()).unwrap_or(false);
    if on_terminal {
        // As readline, before the rc files (whose `set -o vi` wins).
        sh.read_inputrc_at_start();
    }
    if let Some(status) = read_startup_files(sh, startup) {
        return status;
    }
    history::load(sh);
    // `\#` numbers the commands read from here on.
    sh.state.command_number = 1;
    if !on_terminal {
        return run_plain(sh);
    }
    let status = run_editor(sh);
    history::save_at_exit(sh);
    status
}

/// Runs `PROMPT_COMMAND` (each element, if it is an array) before a
/// prompt, as bash does; `$?` is the last command's before and after.
/// `Some(status)` when it ran `exit`.
fn run_prompt_command(sh: &mut Shell) -> Option<i32> {
    let commands = match sh.state.vars.array("PROMPT_COMMAND") {
        Some(array) => array.values(),
        None => sh
            .state
            .vars
            .get("PROMPT_COMMAND")
            .map(str::to_string)
            .into_iter()
            .collect(),
    };
    let status = sh.state.last_status;
    for command in commands.iter().filter(|c| !c.trim().is_empty()) {
        sh.state.last_status = status;
        if let Err(Unwind::Exit(code)) = sh.run_source_text(&format!("{command}\n")) {
            sh.run_exit_trap();
            return Some(code);
        }
    }
    sh.state.last_status = status;
    None
}

/// Runs a command line read at the prompt: its commands are the shell's
/// input (`\#` counts them).
fn run_typed(sh: &mut Shell, code: &str) -> crate::exec::eval::Status {
    sh.scoped(|c| c.input = Input::Prompt).run_source_text(code)
}

/// The read–run loop without a line editor, for `pidsh -i` on a pipe or
/// file (and if the editor fails).
fn run_plain(sh: &mut Shell) -> i32 {
    let status = run_plain_loop(sh);
    history::save_at_exit(sh);
    status
}

fn run_plain_loop(sh: &mut Shell) -> i32 {
    let mut buffer = String::new();
    let mut keys = piped::Keys::default();
    sh.jobs.keep_notices();
    loop {
        sh.jobs.reap();
        sh.print_job_notices();
        if buffer.is_empty()
            && let Some(status) = run_prompt_command(sh)
        {
            return status;
        }
        let prompt = if buffer.is_empty() {
            prompt::render(sh, "PS1", "$ ")
        } else {
            prompt::render(sh, "PS2", "> ")
        };
        sh.write_stderr(&prompt);
        let Some(line) = keys.next_line(sh, read_plain_line) else {
            sh.write_stderr("exit\n");
            sh.run_exit_trap();
            return sh.state.last_status;
        };
        // bash's line editor shows what it read from a pipe or file after
        // the prompt, as a terminal would have echoed it.
        if !nix::unistd::isatty(std::io::stdin()).unwrap_or(false) {
            sh.write_stderr(&format!("{line}\n"));
        }
        buffer.push_str(&line);
        buffer.push('\n');
        if crate::parser::is_incomplete(&buffer) {
            continue;
        }
        let code = std::mem::take(&mut buffer);
        let Some(code) = history::expand(sh, &code) else {
            continue;
        };
        history::remember(sh, &code);
        if let Err(Unwind::Exit(status)) = run_typed(sh, &code) {
            sh.run_exit_trap();
            return status;
        }
        if sh.state.last_status == 128 + libc::SIGINT {
            // The job died of Ctrl-C: start the prompt on a fresh line.
            sh.write_stderr("\n");
        }
    }
}

/// The terminal modes the user works in, kept across commands.
///
/// reedline (through crossterm) saves whatever mode the terminal is in when
/// `read_line` starts and restores it afterwards, so a program that left
/// the terminal raw would make every later command run raw. We keep the
/// last *sane* mode (canonical input, echo and signals on) and put it back
/// before each line; a command that sets a sane mode on purpose (`stty
/// -ixon`, `stty erase ^H`) changes the kept one, as in bash. (Under job
/// control `jobs::terminal` also puts the shell's modes back after each
/// foreground job; this is the line editor's own guarantee, which holds
/// without job control too.)
struct TtyModes {
    saved: Option<Termios>,
}

impl TtyModes {
    fn new() -> Self {
        TtyModes {
            saved: tcgetattr(std::io::stdin()).ok().filter(is_sane),
        }
    }

    /// After a command: keep its mode if sane, else put ours back.
    fn after_command(&mut self) {
        match tcgetattr(std::io::stdin()) {
            Ok(mode) if is_sane(&mode) => self.saved = Some(mode),
            _ => self.restore(),
        }
    }

    fn restore(&self) {
        if let Some(mode) = &self.saved {
            let _ = tcsetattr(std::io::stdin(), SetArg::TCSADRAIN, mode);
        }
    }

    /// Before a line: our mode back, and the terminal's foreground process
    /// group back to the shell if a job that owned it is gone (the shell
    /// ignores SIGTTOU, so it may take it from the background).
    fn reclaim(&self) {
        self.restore();
        let stdin = std::io::stdin();
        let ours = nix::unistd::getpgrp();
        if nix::unistd::tcgetpgrp(&stdin).is_ok_and(|fg| fg != ours) {
            let _ = nix::unistd::tcsetpgrp(&stdin, ours);
        }
    }
}

fn is_sane(mode: &Termios) -> bool {
    mode.local_flags
        .contains(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG)
}

/// Which key bindings the options ask for: `set -o vi` and `set -o emacs`
/// each turn the other off, as in bash.
fn wants_vi(sh: &mut Shell, was_vi: bool) -> bool {
    if sh.state.options.vi && sh.state.options.emacs {
        // Both on: the one that just changed wins.
        if was_vi {
            sh.state.options.vi = false;
        } else {
            sh.state.options.emacs = false;
        }
    }
    sh.state.options.vi
}

fn run_editor(sh: &mut Shell) -> i32 {
    let shared = snapshot::Shared::default();
    let mut vi = wants_vi(sh, false);
    let mut word = editor::last_word(sh);
    let mut bound = sh.readline.bindings.clone();
    let wake = wake::EditorWake::default();
    let mut line_editor = editor::build(sh, &shared, &wake);
    // The editor's copy of the history follows the shell's list.
    let mut mirrored = None;
    // Background jobs that end while a line is edited are announced at
    // once, above it (`set +b` defers them to the next prompt); those that
    // end while a command runs, before the next prompt.
    let printer = reedline::ExternalPrinter::<String>::default();
    let notices = wake::EditorNotices::new(wake.clone(), printer.sender());
    if let Some(watcher) = crate::jobs::watch::Watcher::start(Box::new(notices)) {
        if let Some(poke) = watcher.poke_handle() {
            wake.set_poke(poke);
        }
        sh.jobs.set_watcher(watcher);
        line_editor = line_editor.with_external_printer(printer);
    }
    let mut terminal = TtyModes::new();
    let mut first_line = true;
    sh.jobs.keep_notices();
    loop {
        sh.jobs.reap();
        sh.print_job_notices();
        check_window_size(sh);
        if let Some(status) = run_prompt_command(sh) {
            return status;
        }
        shared.refresh(sh);
        let want_vi = wants_vi(sh, vi);
        let want_word = editor::last_word(sh);
        if want_vi != vi || want_word != word || sh.readline.bindings != bound {
            vi = want_vi;
            word = want_word;
            bound = sh.readline.bindings.clone();
            let keys = editor::edit_mode(vi, &word, &wake, &shared, &bound);
            line_editor = line_editor.with_edit_mode(keys);
        }
        if mirrored != Some(sh.history.generation) {
            line_editor = history::mirror(line_editor, sh);
            mirrored = Some(sh.history.generation);
        }
        let prompt = prompt::ShellPrompt::new(sh);
        line_editor = line_editor.with_poll_interval(wake.new_line(sh, first_line));
        terminal.reclaim();
        // A Ctrl-C typed while a command ran has done its work.
        let _ = crate::jobs::signals::take_interrupt();
        sh.jobs.announce_at_once(sh.state.options.notify);
        let read = line_editor.read_line(&prompt);
        sh.jobs.announce_at_once(false);
        if vi {
            // The mode's cursor shape is the editor's: commands get the
            // terminal's own back (DECSCUSR 0).
            let mut out = std::io::stdout();
            let _ = out.write_all(b"\x1b[0 q").and_then(|()| out.flush());
        }
        shared.adopt(sh);
        let signal = match read {
            Ok(signal) => signal,
            Err(e) => {
                let message = format!("{}: line editor: {e}\n", sh.error_prefix);
                sh.write_stderr(&message);
                return run_plain(sh);
            }
        };
        if std::mem::take(&mut first_line) {
            // crossterm installed its SIGWINCH handler (signal-hook) on the
            // first read: children must reset it like the shell's own.
            crate::spawn::backend::dispositions_changed();
        }
        match signal {
            Signal::Success(line) => {
                // The editor stored the line itself: only the shell's
                // rules decide what Up offers.
                mirrored = None;
                if line.trim().is_empty() {
                    continue;
                }
                let Some(line) = history::expand(sh, &line) else {
                    continue;
                };
                history::remember(sh, &line);
                let status = run_typed(sh, &format!("{line}\n"));
                terminal.after_command();
                // Written at once, so that a closed terminal loses nothing.
                history::append_new(sh);
                if let Err(Unwind::Exit(status)) = status {
                    sh.run_exit_trap();
                    return status;
                }
                if sh.state.last_status == 128 + libc::SIGINT {
                    // The job died of Ctrl-C: start the prompt on a fresh line.
                    sh.write_stderr("\n");
                }
            }
            Signal::CtrlC => {
                // As bash: the abandoned line stays on the screen, marked.
                sh.write_stderr("^C\n");
                sh.state.last_status = 128 + libc::SIGINT;
            }
            Signal::CtrlD if sh.state.options.ignoreeof => {
                sh.write_stderr("Use \"exit\" to leave the shell.\n");
            }
            Signal::CtrlD if sh.warn_about_stopped_jobs() => {}
            Signal::CtrlD => {
                sh.write_stderr("exit\n");
                sh.run_exit_trap();
                return sh.state.last_status;
            }
            Signal::HostCommand(request) if request == edit_buffer::REQUEST => {
                edit_buffer::edit(sh, &mut line_editor);
                terminal.after_command();
            }
            Signal::HostCommand(request) => {
                if let Some(code) = request.strip_prefix(bindings::COMMAND_REQUEST) {
                    bindings::run_command(sh, &mut line_editor, code);
                    terminal.after_command();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A login shell keeps its own prompt through a Debian-style system
    /// profile, and takes the one the user's own profile sets.
    #[test]
    fn the_system_profile_does_not_replace_the_default_prompt() {
        let dir = std::env::temp_dir().join(format!("pidsh-startup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let profile = dir.join("profile");
        std::fs::write(
            &profile,
            "if [ \"${PS1-}\" ]; then PS1='$ '; fi\nSEEN=yes\n",
        )
        .unwrap();
        let mut startup = Startup::new(true, None);
        startup.system_profile = profile.to_string_lossy().into_owned();
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        let _ = sh.assign("HOME", dir.to_string_lossy().into_owned());
        let _ = sh.assign("PS1", prompt::DEFAULT_PS1.to_string());
        assert_eq!(read_startup_files(&mut sh, &startup), None);
        assert_eq!(sh.state.vars.get("SEEN"), Some("yes"));
        assert_eq!(sh.state.vars.get("PS1"), Some(prompt::DEFAULT_PS1));
        std::fs::write(dir.join(".profile"), "PS1='mine> '\n").unwrap();
        assert_eq!(read_startup_files(&mut sh, &startup), None);
        assert_eq!(sh.state.vars.get("PS1"), Some("mine> "));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
