//! The interactive shell on a pseudo-terminal, driven like a person: keys
//! go in, and the screen (as a terminal emulator would draw it) comes out.
//! The harness is in `tests/pty`: no timed assertions, each step waits for
//! what should appear, with a generous deadline, and a failure shows the
//! screen.
#![allow(clippy::unwrap_used)]

mod pty;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use pty::{PROMPT, TempHome, Term};

#[test]
fn typing_a_command_runs_it() {
    let home = TempHome::new();
    let term = Term::start(&home);
    // The quotes keep the typed line from containing the output.
    term.keys("echo hel''lo\r");
    let screen = term.wait_for("hello", |s| s.has_line("hello"));
    assert!(screen.has_line(&format!("{PROMPT}echo hel''lo")));
    term.wait_for_prompts(2);
}

#[test]
fn if_then_continues_on_a_second_line() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("if true; then\r");
    term.wait_for("the PS2 prompt", |s| s.cursor_line().starts_with("> "));
    term.keys("echo in''side\r");
    term.wait_for("a third line", |s| s.count_lines_starting("> ") >= 2);
    let screen = term.snapshot();
    assert!(
        !screen.has_line("inside"),
        "ran before fi:\n{}",
        screen.text()
    );
    term.keys("fi\r");
    let screen = term.wait_for("inside", |s| s.has_line("inside"));
    assert!(screen.has_line("> fi"), "{}", screen.text());
    term.wait_for_prompts(2);
}

#[test]
fn tab_completes_a_builtin() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("ech\t");
    term.wait_for_input_line("echo");
    // The completion ends with a space: the next word follows directly.
    term.keys("com''pleted\r");
    term.wait_for("completed", |s| s.has_line("completed"));
}

#[test]
fn tab_completes_a_file_with_spaces() {
    let home = TempHome::new();
    std::fs::write(home.0.join("my file.txt"), "contents of my file\n").unwrap();
    let term = Term::start(&home);
    term.keys("cat my\t");
    term.wait_for_input_line(r"cat my\ file.txt");
    term.keys("\r");
    term.wait_for("the file's contents", |s| s.has_line("contents of my file"));
}

#[test]
fn tab_completes_a_directory_with_a_slash() {
    let home = TempHome::new();
    std::fs::create_dir(home.0.join("subdir")).unwrap();
    std::fs::write(home.0.join("subdir/inner"), "").unwrap();
    let term = Term::start(&home);
    term.keys("ls sub\t");
    term.wait_for_input_line("ls subdir/");
    term.keys("\t");
    term.wait_for_input_line("ls subdir/inner");
}

#[test]
fn up_arrow_recalls_previous_command() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo o''ne\r");
    term.wait_for("one", |s| s.has_line("one"));
    term.wait_for_prompts(2);
    term.keys("echo t''wo\r");
    term.wait_for("two", |s| s.has_line("two"));
    term.wait_for_prompts(3);
    term.keys("\x1b[A");
    term.wait_for_input_line("echo t''wo");
    term.keys("\x1b[A");
    term.wait_for_input_line("echo o''ne");
    term.keys("\r");
    term.wait_for("one a second time", |s| s.count_lines("one") == 2);
}

#[test]
fn history_persists_to_histfile_with_mode_0600() {
    let home = TempHome::new();
    {
        let mut term = Term::start(&home);
        term.keys("echo per''sisted\r");
        term.wait_for("persisted", |s| s.has_line("persisted"));
        term.wait_for_prompts(2);
        let text = std::fs::read_to_string(home.histfile()).unwrap();
        assert!(text.contains("echo per''sisted"), "history file: {text:?}");
        let mode = std::fs::metadata(home.histfile())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        term.keys("\x04");
        term.wait_for_exit();
    }
    let term = Term::start(&home);
    term.keys("\x1b[A");
    term.wait_for_input_line("echo per''sisted");
}

#[test]
fn history_lists_earlier_sessions_and_c_forgets_them() {
    let home = TempHome::new();
    {
        let mut term = Term::start(&home);
        term.keys("echo from-the-first''-session\r");
        term.wait_for_prompts(2);
        term.keys("\x04");
        term.wait_for_exit();
    }
    let term = Term::start(&home);
    term.keys("history\r");
    let screen = term.wait_for("the listing", |s| s.has_line("    2  history"));
    assert!(
        screen.has_line("    1  echo from-the-first''-session"),
        "{}",
        screen.text()
    );
    term.wait_for_prompts(2);
    term.keys("history -c\r");
    term.wait_for_prompts(3);
    // Forgotten by the editor too: the up arrow has nothing to recall
    // but the lines typed since.
    term.keys("echo af''ter\r");
    term.wait_for("after", |s| s.has_line("after"));
    term.wait_for_prompts(4);
    term.keys("\x1b[A\x1b[A\x1b[A");
    term.wait_for_input_line("echo af''ter");
    let mode = std::fs::metadata(home.histfile())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
}

#[test]
fn history_in_a_pipeline_lists_this_shells_history() {
    // Under job control shell-code stages become processes; a builtin
    // that reports the shell's own state must still see it.
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo mar''ker\r");
    term.wait_for_prompts(2);
    term.keys("history | tail -n 2 | head -n 1\r");
    term.wait_for("the listing", |s| s.has_line("    1  echo mar''ker"));
}

#[test]
fn exec_gives_the_command_default_signals() {
    // The interactive shell ignores the stop signals and SIGQUIT/SIGTERM
    // for itself; a program that replaces it must not inherit that.
    let home = TempHome::new();
    let term = Term::start(&home);
    // Bits of SIGQUIT, SIGTERM, SIGTSTP, SIGTTIN and SIGTTOU.
    term.keys(
        "exec sh -c 'm=$(sed -n \"s/^SigIgn:[[:space:]]*//p\" /proc/$$/status); echo ignored=$(( 0x$m & 0x384004 )); sleep 5'\r",
    );
    term.wait_for("the command's own mask", |s| s.has_line("ignored=0"));
}

#[test]
fn prompt_command_runs_before_each_prompt_and_sees_the_status() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("PROMPT_COMMAND='echo pc-$?'\r");
    term.wait_for("the first run", |s| s.has_line("pc-0"));
    term.keys("false\r");
    term.wait_for("the status of false", |s| s.has_line("pc-1"));
    term.keys("echo $?\r");
    // PROMPT_COMMAND did not change `$?`.
    term.wait_for("1 again", |s| s.has_line("1"));
}

#[test]
fn ctrl_c_at_prompt_gives_a_new_prompt() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo aban''doned");
    term.wait_for_input_line("echo aban''doned");
    term.keys("\x03");
    term.wait_for_prompts(2);
    term.keys("echo \"status $?\"\r");
    let screen = term.wait_for("the status", |s| s.has_line("status 130"));
    assert!(!screen.has_line("abandoned"), "{}", screen.text());
}

#[test]
fn ctrl_c_stops_a_running_command_not_the_shell() {
    let home = TempHome::new();
    let term = Term::start(&home);
    // `exec`: once "started" shows, the process that gets Ctrl-C is running.
    term.keys("sh -c 'echo sta\"\"rted; exec sleep 100'\r");
    term.wait_for("the command to start", |s| s.has_line("started"));
    term.keys("\x03");
    term.wait_for_prompts(2);
    term.keys("echo al''ive\r");
    term.wait_for("the shell alive", |s| s.has_line("alive"));
}

#[test]
fn ctrl_d_exits() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    term.keys("\x04");
    let status = term.wait_for_exit();
    assert!(status.success(), "{status:?}");
    // Written before the exit, but the screen may not have caught up yet.
    term.wait_for("exit", |s| s.rows.iter().any(|r| r.contains("exit")));
}

#[test]
fn ctrl_d_with_ignoreeof_does_not_exit() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    term.keys("set -o ignoreeof\r");
    term.wait_for_prompts(2);
    term.keys("\x04");
    term.wait_for("the hint", |s| {
        s.rows
            .iter()
            .any(|r| r.contains("Use \"exit\" to leave the shell."))
    });
    term.wait_for_prompts(3);
    term.keys("exit 3\r");
    let status = term.wait_for_exit();
    assert_eq!(status.exit_code(), 3);
}

#[test]
fn raw_mode_left_by_a_program_is_repaired() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("stty raw -echo\r");
    term.wait_for_prompts(2);
    // Editing works: a typo fixed with Backspace.
    term.keys("echo fiX\x7fne\r");
    // Output in raw mode would not return to column 0 (no ONLCR).
    term.wait_for("fine at the start of a line", |s| s.has_line("fine"));
    term.wait_for_prompts(3);
    term.keys("stty -a\r");
    let screen = term.wait_for("stty's report", |s| {
        s.rows.iter().any(|r| r.contains("icanon"))
    });
    let text = screen.text();
    assert!(
        !text.contains("-icanon") && !text.contains("-echo "),
        "{text}"
    );
}

#[test]
fn set_o_vi_switches_to_vi_keys() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("set -o vi\r");
    term.wait_for_prompts(2);
    term.keys("echo vi-modes");
    term.wait_for_input_line("echo vi-modes");
    // Escape alone, then `x` deletes the character under the cursor.
    term.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    term.keys("x");
    term.wait_for_input_line("echo vi-mode");
    term.keys("\r");
    term.wait_for("the edited line's output", |s| s.has_line("vi-mode"));
}

/// The timeouts of the shell's threads waiting in `epoll_wait` or
/// `epoll_pwait` (from `/proc/PID/task/*/syscall`: number, then arguments;
/// the timeout is the fourth).
fn epoll_timeouts(pid: i32) -> Vec<i64> {
    #[cfg(target_arch = "x86_64")]
    const EPOLL_WAITS: [&str; 2] = ["232", "281"];
    #[cfg(not(target_arch = "x86_64"))]
    const EPOLL_WAITS: [&str; 1] = ["22"];
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).unwrap();
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("syscall")).ok())
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if !EPOLL_WAITS.contains(fields.first()?) {
                return None;
            }
            let raw = u64::from_str_radix(fields.get(4)?.trim_start_matches("0x"), 16).ok()?;
            // An `int`: -1 is no timeout.
            Some(i64::from(raw as u32 as i32))
        })
        .collect()
}

/// An idle prompt sleeps until a key or a job's end, with no timer: the
/// line editor waits without a short timeout. A job that ends while the
/// user types is still announced at once, the typed text kept.
#[test]
fn idle_prompt_has_no_timer_and_job_notices_still_arrive() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let mut timeouts = Vec::new();
    for _ in 0..200 {
        timeouts = epoll_timeouts(term.pid());
        if !timeouts.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        !timeouts.is_empty() && timeouts.iter().all(|t| !(0..60_000).contains(t)),
        "the editor waits with a timeout: {timeouts:?} ms"
    );
    term.keys("sleep 0.2 &\r");
    term.wait_for_prompts(2);
    term.keys("echo typed");
    // The notice and the line redrawn under it arrive as separate writes:
    // wait for the screen to show both.
    let typed_line = format!("{PROMPT}echo typed");
    term.wait_for("the Done notice, then the line, no key pressed", |s| {
        s.has_line_with(&["[1]", "Done", "sleep 0.2"]) && s.cursor_line().trim_end() == typed_line
    });
}

/// `~/.inputrc`'s `set editing-mode vi` is honoured at start (its key
/// bindings skipped quietly), and `bind 'set editing-mode emacs'` at the
/// prompt switches back, as in bash.
#[test]
fn inputrc_editing_mode_and_bind() {
    let home = TempHome::new();
    std::fs::write(
        home.0.join(".inputrc"),
        "\"\\e[A\": history-search-backward\n$if mode=emacs\nset bell-style none\n$endif\nset editing-mode vi\n",
    )
    .unwrap();
    let term = Term::start(&home);
    term.keys("echo vi-rc");
    term.wait_for_input_line("echo vi-rc");
    term.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    term.keys("x\r");
    term.wait_for("the vi-edited line's output", |s| s.has_line("vi-r"));
    term.keys("bind 'set editing-mode emacs'; set -o | grep '^vi'\r");
    term.wait_for("vi off", |s| {
        s.rows
            .iter()
            .any(|r| r.starts_with("vi ") && r.ends_with("off"))
    });
    assert!(
        !term.snapshot().text().contains("bind:"),
        "{}",
        term.snapshot().text()
    );
}

/// Ctrl-R, part of an earlier command, Enter: the command found runs at
/// once, as in bash; Escape and Ctrl-G end a search as in readline.
#[test]
fn ctrl_r_then_enter_runs_the_found_command() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo found-it\r");
    term.wait_for_prompts(2);
    term.keys("echo other\r");
    term.wait_for_prompts(3);
    term.keys("\x12");
    term.wait_for("the search prompt", |s| {
        s.cursor_line().contains("reverse-i-search")
    });
    term.keys("und-i");
    term.wait_for("the match", |s| s.cursor_line().contains("echo found-it"));
    term.keys("\r");
    let screen = term.wait_for_prompts(4);
    assert_eq!(
        screen
            .rows
            .iter()
            .filter(|r| r.as_str() == "found-it")
            .count(),
        2,
        "{}",
        screen.text()
    );
    // Escape ends the search keeping the line found; Ctrl-G abandons it
    // for the line as it was (readline).
    term.keys("\x12oth");
    term.wait_for("the second match", |s| {
        s.cursor_line().contains("echo other")
    });
    term.keys("\x1b");
    term.wait_for_input_line("echo other");
    term.keys("\x15mine\x12und-i");
    term.wait_for("the third match", |s| {
        s.cursor_line().contains("echo found-it")
    });
    term.keys("\x07");
    term.wait_for_input_line("mine");
}

/// Ctrl-_ undoes the last edit, as in readline.
#[test]
fn ctrl_underscore_undoes() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo un do");
    term.wait_for_input_line("echo un do");
    // Ctrl-W deletes the word before the cursor; Ctrl-_ brings it back.
    term.keys("\x17");
    term.wait_for_input_line("echo un ");
    term.keys("\x1f");
    term.wait_for_input_line("echo un do");
    term.keys("\r");
    term.wait_for("the restored line's output", |s| s.has_line("un do"));
}

/// Text, Escape and Enter arriving together (a paste, a slow link) are
/// read as the keys they are: the line runs as typed.
#[test]
fn vi_text_escape_and_enter_in_one_burst() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("set -o vi\r");
    term.wait_for_prompts(2);
    term.keys("echo hello world\x1b\r");
    term.wait_for("the line's output", |s| s.has_line("hello world"));
    // Escape then a motion in one burst: `0` goes to the start, `x`
    // deletes there.
    term.keys("Xecho again\x1b0x\r");
    term.wait_for("the edited line's output", |s| s.has_line("again"));
}

#[test]
fn plain_reader_without_a_terminal() {
    let home = TempHome::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pidsh"))
        .arg("-i")
        .env("HOME", &home.0)
        .env("PS1", "$ ")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"if true; then\necho piped\nfi\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped\n");
    assert!(out.status.success());
}

#[test]
fn default_prompt_shows_user_host_and_directory() {
    let home = TempHome::new();
    let term = Term::start_with(&home, None);
    // HOME is the working directory: `\w` shows `~`.
    let screen = term.wait_for("user@host:~$ ", |s| {
        let line = s.cursor_line().trim_end();
        line.contains('@') && (line.ends_with(":~$") || line.ends_with(":~#"))
    });
    let row = screen.cursor.0 as usize;
    assert_eq!(
        screen.cells[row][0].0,
        vt100::Color::Idx(2),
        "user@host in green"
    );
}

#[test]
fn unknown_command_is_red_and_known_is_green() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("no-such-command-xyz");
    term.wait_for("red", |s| {
        s.cursor_line().contains("xyz") && s.input_cell(0).0 == vt100::Color::Idx(1)
    });
    // Ctrl-U clears the line.
    term.keys("\x15echo 'quoted'");
    let screen = term.wait_for("green", |s| {
        s.cursor_line().contains("quoted'") && s.input_cell(0).0 == vt100::Color::Idx(2)
    });
    assert_eq!(
        screen.input_cell(6).0,
        vt100::Color::Idx(3),
        "string in yellow"
    );
}

#[test]
fn history_hint_appears_dimmed() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo sugg''ested\r");
    term.wait_for("suggested", |s| s.has_line("suggested"));
    term.wait_for_prompts(2);
    term.keys("echo su");
    let screen = term.wait_for_input_line("echo sugg''ested");
    assert!(!screen.input_cell(0).1, "typed text is not dimmed");
    assert!(screen.input_cell(8).1, "the hint is dimmed");
    // Right arrow takes the hint.
    term.keys("\x1b[C\r");
    term.wait_for("suggested again", |s| s.count_lines("suggested") == 2);
}

#[test]
fn alt_dot_inserts_the_last_word_of_the_previous_command() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo one tw''o\r");
    term.wait_for("two", |s| s.has_line("one two"));
    term.wait_for_prompts(2);
    term.keys("echo got \x1b.\r");
    term.wait_for("the last word inserted", |s| s.has_line("got two"));
}

#[test]
fn ctrl_c_keeps_the_abandoned_line_on_the_screen() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.wait_for_prompts(1);
    term.keys("echo never run");
    term.wait_for_input_line("echo never run");
    term.keys("\x03");
    let screen = term.wait_for("^C", |s| s.has_line("^C"));
    assert!(
        screen.has_line(&format!("{PROMPT}echo never run")),
        "{}",
        screen.text()
    );
    term.keys("echo status=$?\r");
    term.wait_for("the status of Ctrl-C", |s| s.has_line("status=130"));
}

#[test]
fn alt_e_edits_the_line_in_the_editor_and_puts_it_back() {
    let home = TempHome::new();
    let editor = home.0.join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nsed -i \"s/draft/edi''ted/\" \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor = editor.to_string_lossy().into_owned();
    let term = Term::start_command(&home, &[], &[("PS1", PROMPT), ("VISUAL", &editor)]);
    term.wait_for_prompts(1);
    term.keys("echo draft");
    term.wait_for_input_line("echo draft");
    term.keys("\x1be");
    term.wait_for_input_line("echo edi''ted");
    term.keys("\r");
    term.wait_for("the edited line run", |s| s.has_line("edited"));
}

/// `v` in vi normal mode edits the line in `$VISUAL` too (bash's
/// `edit-and-execute-command` there).
#[test]
fn vi_v_edits_the_line_in_the_editor() {
    let home = TempHome::new();
    let editor = home.0.join("editor.sh");
    std::fs::write(&editor, "#!/bin/sh\nsed -i \"s/draft/edi''ted/\" \"$1\"\n").unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor = editor.to_string_lossy().into_owned();
    let term = Term::start_command(&home, &[], &[("PS1", PROMPT), ("VISUAL", &editor)]);
    term.keys("set -o vi\r");
    term.wait_for_prompts(2);
    term.keys("echo draft");
    term.wait_for_input_line("echo draft");
    term.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    term.keys("v");
    term.wait_for_input_line("echo edi''ted");
    term.keys("\r");
    term.wait_for("the edited line run", |s| s.has_line("edited"));
}

#[test]
fn vi_mode_shows_in_the_cursor_and_commands_get_the_terminals_own() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("set -o vi\r");
    term.wait_for_prompts(2);
    term.keys("echo x");
    term.wait_for_input_line("echo x");
    term.wait_for("a bar cursor while inserting", |_| {
        term.cursor_styles().last() == Some(&5)
    });
    term.keys("\x1b");
    term.wait_for("a block cursor in normal mode", |_| {
        term.cursor_styles().last() == Some(&2)
    });
    term.keys("\r");
    term.wait_for("x", |s| s.has_line("x"));
    let styles = term.cursor_styles();
    assert!(
        styles.contains(&0),
        "no reset before the command: {styles:?}"
    );
}

/// Abbreviations as fish: a command name typed at the prompt becomes its
/// expansion on Space or Enter, an argument of the same name stays.
#[test]
fn abbreviations_expand_on_space_and_enter() {
    let home = TempHome::new();
    std::fs::write(home.0.join(".pidshrc"), "abbr -a gco echo git checkout\n").unwrap();
    let term = Term::start(&home);
    term.keys("gco");
    term.wait_for_input_line("gco");
    term.keys(" ");
    term.wait_for_input_line("echo git checkout ");
    term.keys("main\r");
    term.wait_for("the expanded command's output", |s| {
        s.has_line("git checkout main")
    });
    term.wait_for_prompts(2);
    term.keys("gco");
    term.wait_for_input_line("gco");
    term.keys("\r");
    term.wait_for("Enter expands too", |s| s.has_line("git checkout"));
    term.wait_for_prompts(3);
    term.keys("echo gco");
    term.wait_for_input_line("echo gco");
    term.keys(" x\r");
    term.wait_for("an argument is left alone", |s| s.has_line("gco x"));
}

/// Key bindings as bash's: a macro from `~/.inputrc`, a readline function
/// and `bind -x` code that reads and rewrites the line through
/// `READLINE_LINE` and `READLINE_POINT`.
#[test]
fn bind_keys_to_macros_functions_and_shell_code() {
    let home = TempHome::new();
    std::fs::write(
        home.0.join(".inputrc"),
        "\"\\C-t\": \"echo from-macro\"\nControl-y: beginning-of-line\n",
    )
    .unwrap();
    let term = Term::start(&home);
    term.keys("\x14");
    term.wait_for_input_line("echo from-macro");
    term.keys("\r");
    term.wait_for("the macro's command ran", |s| s.has_line("from-macro"));
    term.wait_for_prompts(2);
    term.keys("bind -x '\"\\C-g\": READLINE_LINE=\"echo [$READLINE_LINE]\"; READLINE_POINT=0'\r");
    term.wait_for_prompts(3);
    term.keys("abc");
    term.wait_for_input_line("abc");
    term.keys("\x07");
    term.wait_for_input_line("echo [abc]");
    // The cursor is where the code put it: at the start.
    term.keys("#");
    term.wait_for_input_line("#echo [abc]");
    term.keys("\x19x");
    term.wait_for_input_line("x#echo [abc]");
    term.keys("\x05\x15");
    term.wait_for_input_line("");
    term.keys("bind '\"\\C-x\\C-e\": kill-line'; echo status=$?\r");
    term.wait_for("a sequence of keys is refused", |s| s.has_line("status=1"));
}
