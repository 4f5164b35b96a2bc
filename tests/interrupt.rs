//! Ctrl-C, Ctrl-\ and Ctrl-Z abandon the whole command line, not one
//! process, and the signals an interactive shell passes on — driven on a
//! pseudo-terminal like a person would.
//!
//! With job control the foreground job has a process group of its own, so
//! the terminal's SIGINT reaches the job and never the shell; the shell
//! must still leave the loop, list or function it was running when the
//! job died of the signal (bash's rule), and go back to the prompt with
//! 128 + the signal. No timed assertions: keys are typed once the job
//! holds the terminal, and every step waits with a generous deadline.
#![allow(clippy::unwrap_used)]

mod pty;

use pty::{
    DEADLINE, Proc, TempHome, Term, assert_status, is_gone, is_stopped, output_of, run,
    wait_for_output, wait_for_states,
};

/// Types `line`, waits for `sleep` to hold the terminal, then types `key`
/// and waits for the prompt to come back.
fn interrupt(term: &Term, line: &str, key: &str) -> Vec<Proc> {
    run(term, line);
    let sleep = term.wait_for_foreground(&["sleep"]);
    term.keys(key);
    term.wait_for_fresh_prompt();
    sleep
}

/// Nothing was printed between `line` and the prompt after it but the
/// echo of the key (`^C`) and what `allowed` accepts.
fn assert_quiet(term: &Term, line: &str, allowed: &[&str]) {
    let screen = term.snapshot();
    let rows = output_of(&screen, line);
    let unexpected: Vec<&&str> = rows
        .iter()
        .filter(|r| !r.starts_with('^') && !allowed.contains(r))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{line:?} went on after the interrupt: {unexpected:?}\nthe screen:\n{}",
        screen.text()
    );
}

/// `$P` names the pidsh under test (its path is longer than a line).
fn name_the_binary(term: &Term) {
    term.keys(&format!("P='{}'\r", env!("CARGO_BIN_EXE_pidsh")));
    term.wait_for_fresh_prompt();
}

#[test]
fn ctrl_c_ends_a_loop() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let line = "while true; do sleep 30; done; echo after";
    let sleep = interrupt(&term, line, "\x03");
    wait_for_states(&term, "sleep ended", &sleep, is_gone);
    assert_quiet(&term, line, &[]);
    assert_status(&term, "130");
    // Another signal is reported, and ends only the job.
    let killed = "sleep 30; echo after";
    let sleep = {
        run(&term, killed);
        term.wait_for_foreground(&["sleep"])
    };
    let pid = nix::unistd::Pid::from_raw(sleep[0].pid);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    wait_for_output(&term, killed, "Terminated, then after", |rows| {
        rows == ["Terminated", "after"]
    });
    // A second loop is stopped just as well (nothing left over).
    let sleep = interrupt(&term, "until false; do sleep 30; done", "\x03");
    wait_for_states(&term, "sleep ended", &sleep, is_gone);
    assert_status(&term, "130");
}

#[test]
fn ctrl_c_ends_a_list_and_a_function() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let list = "sleep 30; echo after";
    interrupt(&term, list, "\x03");
    assert_quiet(&term, list, &[]);
    assert_status(&term, "130");

    let function = "f(){ sleep 30; echo in f; }; f; echo after f";
    interrupt(&term, function, "\x03");
    assert_quiet(&term, function, &[]);
    assert_status(&term, "130");
}

#[test]
fn ctrl_c_ends_read_and_what_follows() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let line = "read x; echo got=$x";
    run(&term, line);
    // The line was taken (the cursor left it); `read` waits on the
    // terminal in the shell's own process group.
    term.wait_for("the line run", |s| {
        s.prompt_line() != Some(s.cursor.0 as usize)
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    term.keys("\x03");
    term.wait_for_fresh_prompt();
    assert_quiet(&term, line, &[]);
    assert_status(&term, "130");
}

#[test]
fn ctrl_backslash_ends_a_loop_with_131() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let line = "while :; do sleep 30; done";
    let sleep = interrupt(&term, line, "\x1c");
    wait_for_states(&term, "sleep ended", &sleep, is_gone);
    // As bash, the shell says how the job died (not for SIGINT).
    let screen = term.snapshot();
    let rows = output_of(&screen, line);
    assert!(
        rows.len() == 1 && rows[0].starts_with("^\\Quit"),
        "{rows:?}\n{}",
        screen.text()
    );
    assert_status(&term, "131");
}

#[test]
fn the_int_trap_runs_and_the_loop_ends() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "trap 'echo caught INT' INT");
    term.wait_for_fresh_prompt();
    let line = "for i in 1 2 3; do sleep 30; echo i=$i; done";
    interrupt(&term, line, "\x03");
    term.wait_for("the trap's output", |s| {
        output_of(s, line).iter().any(|r| r.ends_with("caught INT"))
    });
    assert_quiet(&term, line, &["^Ccaught INT", "caught INT"]);
    assert_status(&term, "130");
}

#[test]
fn a_program_that_handles_sigint_itself_does_not_end_the_list() {
    let home = TempHome::new();
    let term = Term::start(&home);
    // A shell script that catches SIGINT and exits 0: it did not die *of*
    // the signal, so the list goes on (as in bash).
    name_the_binary(&term);
    let line = "\"$P\" -c 'trap \"exit 0\" INT; while :; do sleep 30; done'; echo survived";
    run(&term, line);
    term.wait_for_foreground(&["pidsh"]);
    // Its loop runs (so its trap is set) once its sleep exists.
    let start = std::time::Instant::now();
    while !term.descendants().iter().any(|p| p.comm == "sleep") {
        assert!(start.elapsed() < DEADLINE, "no sleep under the inner shell");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    term.keys("\x03");
    term.wait_for("survived", |s| {
        output_of(s, line).iter().any(|r| r.ends_with("survived"))
    });
    assert_status(&term, "0");
}

#[test]
fn ctrl_z_stops_the_process_and_abandons_the_loop() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let line = "while true; do sleep 3; done";
    let sleep = interrupt(&term, line, "\x1a");
    term.wait_for("the Stopped line", |s| {
        s.has_line("[1]+  Stopped                 sleep 3")
    });
    wait_for_states(&term, "sleep stopped", &sleep, is_stopped);
    assert_status(&term, "148");
    // `fg` continues the sleep only: once it ends, the prompt is back.
    run(&term, "fg");
    wait_for_output(&term, "fg", "fg ends with the sleep", |rows| {
        rows == ["sleep 3"]
    });
    wait_for_states(&term, "sleep ended", &sleep, is_gone);
    let children = term.children();
    assert!(children.is_empty(), "the loop went on: {children:?}");
}

#[test]
fn signals_ignored_on_entry_stay_ignored_in_children() {
    let home = TempHome::new();
    let term = Term::start(&home);
    name_the_binary(&term);
    // An interactive pidsh started with SIGTERM ignored (as by `nohup`-like
    // parents): its children inherit the ignore, as in dash.
    let line = "trap '' TERM; echo 'sh -c \"kill -TERM \\$\\$; echo ok\"' | \"$P\" -i 2>&-";
    run(&term, line);
    wait_for_output(&term, line, "ok", |rows| rows == ["ok"]);
}

#[test]
fn a_shell_started_in_the_background_leaves_the_terminal_alone() {
    let home = TempHome::new();
    let term = Term::start(&home);
    name_the_binary(&term);
    run(&term, "PS1='inner> ' \"$P\" -i &");
    let inner = term.wait_for_children("the inner shell stopped", |c| {
        c.iter().any(|p| p.comm == "pidsh" && p.state == 'T')
    });
    assert!(inner.iter().all(|p| p.tpgid != p.pgrp), "{inner:?}");
    run(&term, "echo still outer");
    wait_for_output(
        &term,
        "echo still outer",
        "the outer shell's echo",
        |rows| rows.contains(&"still outer"),
    );
    run(&term, "fg");
    term.wait_for("the inner prompt", |s| {
        s.cursor_line().trim_end() == "inner>"
    });
    term.keys("exit\r");
    term.wait_for_fresh_prompt();
    run(&term, "echo back");
    wait_for_output(&term, "echo back", "the outer shell again", |rows| {
        rows.contains(&"back")
    });
}

#[test]
fn a_disowned_job_is_not_announced() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "sleep 1 & disown");
    term.wait_for_fresh_prompt();
    let sleep = term.wait_for_children("the disowned sleep", |c| {
        c.iter().any(|p| p.comm == "sleep")
    });
    wait_for_states(&term, "sleep ended", &sleep, |s| {
        s.is_none() || s == Some('Z')
    });
    run(&term, "jobs; echo mark");
    wait_for_output(&term, "jobs; echo mark", "no jobs, the mark", |rows| {
        rows == ["mark"]
    });
    let screen = term.snapshot();
    assert!(
        !screen.text().contains("Done"),
        "the disowned job was announced:\n{}",
        screen.text()
    );
}

#[test]
fn a_hangup_reaches_the_jobs() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    run(&term, "sleep 101 &");
    term.wait_for_fresh_prompt();
    let running = term.wait_for_children("sleep 101", |c| c.iter().any(|p| p.comm == "sleep"));
    let stopped = interrupt(&term, "sleep 102", "\x1a");
    wait_for_states(&term, "sleep 102 stopped", &stopped, is_stopped);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(term.pid()),
        nix::sys::signal::Signal::SIGHUP,
    )
    .unwrap();
    term.wait_for_exit();
    let all: Vec<Proc> = running.into_iter().chain(stopped).collect();
    wait_for_states(&term, "both jobs ended", &all, |s| {
        s.is_none() || s == Some('Z')
    });
}
