//! A shell people keep as their login shell, tried on a pseudo-terminal as
//! a person would: history that follows the variables set at the prompt,
//! the history file, and start-up as a login shell.
#![allow(clippy::unwrap_used)]

mod pty;

use std::os::unix::fs::PermissionsExt;

use pty::{PROMPT, TempHome, Term, output_of, run, wait_for_output};

fn histfile_text(home: &TempHome) -> String {
    std::fs::read_to_string(home.histfile()).unwrap_or_default()
}

/// Runs `line` and waits for the prompt after it.
fn run_quietly(term: &Term, line: &str) {
    run(term, line);
    wait_for_output(term, line, &format!("{line:?} done"), |_| true);
}

#[test]
fn ignorespace_set_at_the_prompt_hides_the_line_everywhere() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTCONTROL=ignorespace");
    run_quietly(&term, "echo vis''ible");
    run_quietly(&term, " echo sec''ret");
    // Up offers the line before the hidden one.
    term.keys("\x1b[A");
    term.wait_for_input_line("echo vis''ible");
    term.keys("\x15");
    run(&term, "history");
    wait_for_output(&term, "history", "the listing", |rows| {
        rows.iter().any(|r| r.ends_with("  history"))
    });
    let screen = term.snapshot();
    let listing = output_of(&screen, "history");
    assert!(
        !listing.iter().any(|r| r.contains("sec''ret")),
        "{listing:?}"
    );
    let text = histfile_text(&home);
    assert!(text.contains("echo vis''ible\n"), "history file: {text:?}");
    assert!(!text.contains("sec''ret"), "history file: {text:?}");
}

#[test]
fn unset_histfile_stops_saving_and_histignore_applies() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTIGNORE='ls*:echo skip*'");
    run_quietly(&term, "echo skip''ped");
    run_quietly(&term, "echo ke''pt");
    run_quietly(&term, "unset HISTFILE");
    run_quietly(&term, "echo not-sa''ved");
    let text = histfile_text(&home);
    assert!(text.contains("echo ke''pt\n"), "history file: {text:?}");
    assert!(!text.contains("skip''ped"), "history file: {text:?}");
    assert!(!text.contains("not-sa''ved"), "history file: {text:?}");
    // Still in this shell's list, and offered by Up.
    term.keys("\x1b[A");
    term.wait_for_input_line("echo not-sa''ved");
}

#[test]
fn erasedups_and_histsize_shape_the_list() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTCONTROL=erasedups");
    for line in ["echo a", "echo b", "echo a"] {
        run_quietly(&term, line);
    }
    run_quietly(&term, "HISTSIZE=3");
    run(&term, "history");
    // (bash numbers them from 2: its numbering of dropped entries differs)
    wait_for_output(&term, "history", "the listing", |rows| {
        let lines: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.trim_start().split_once("  "))
            .map(|(_, l)| l)
            .collect();
        lines == ["echo a", "HISTSIZE=3", "history"]
    });
}

#[test]
fn a_missing_history_directory_is_created_private_and_silently() {
    let home = TempHome::new();
    let file = home.0.join("new/dir/history");
    let file_name = file.to_str().unwrap().to_string();
    let mut term = Term::start_command(&home, &[], &[("PS1", PROMPT), ("HISTFILE", &file_name)]);
    term.wait_for_fresh_prompt();
    run_quietly(&term, "echo some''thing");
    term.keys("exit\r");
    term.wait_for_exit();
    let screen = term.snapshot();
    assert!(
        !screen.text().contains("pidsh:"),
        "an error was shown:\n{}",
        screen.text()
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("echo some''thing\n"), "{text:?}");
    let mode = std::fs::metadata(home.0.join("new/dir"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "mode {mode:o}");
}
