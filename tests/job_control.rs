//! Job control on a pseudo-terminal, driven like a person: Ctrl-Z, `jobs`,
//! `bg`, `fg`, Ctrl-C, a foreground program reading the terminal, notices
//! of finished jobs, no zombies or leaked pidfds after many jobs, stopped
//! pipelines, and `exit` with a stopped job.
//!
//! The processes are checked through `/proc` (state `T` is stopped). Keys
//! that signal a job are typed only once the job holds the terminal (see
//! [`Term::wait_for_foreground`]). No timed assertions: every step waits,
//! with a generous deadline, and a failure shows the screen.
//! (A program leaving the terminal raw is in `tests/interactive.rs`.)
#![allow(clippy::unwrap_used)]

mod pty;

use pty::{
    DEADLINE, PROMPT, Proc, Screen, TempHome, Term, assert_status, is_gone, is_running, is_stopped,
    output_of, run, wait_for_output, wait_for_states,
};

/// Runs `sleep 100` and stops it with Ctrl-Z, as a person would: the
/// Stopped line, a fresh prompt, and the process in state T. The sleep.
fn stop_sleep_100(term: &Term) -> Vec<Proc> {
    run(term, "sleep 100");
    let sleep = term.wait_for_foreground(&["sleep"]);
    term.keys("\x1a");
    term.wait_for("the Stopped line", |s| {
        s.has_line("[1]+  Stopped                 sleep 100")
    });
    term.wait_for_fresh_prompt();
    wait_for_states(term, "sleep stopped", &sleep, is_stopped);
    sleep
}

#[test]
fn ctrl_z_stops_then_jobs_bg_fg_and_ctrl_c() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let sleep = stop_sleep_100(&term);

    run(&term, "jobs");
    wait_for_output(&term, "jobs", "jobs: Stopped", |rows| {
        rows == ["[1]+  Stopped                 sleep 100"]
    });

    run(&term, "bg");
    wait_for_output(&term, "bg", "bg's line", |rows| {
        rows == ["[1]+ sleep 100 &"]
    });
    wait_for_states(&term, "sleep running again", &sleep, is_running);

    run(&term, "jobs");
    wait_for_output(&term, "jobs", "jobs: Running", |rows| {
        rows == ["[1]+  Running                 sleep 100 &"]
    });

    run(&term, "fg");
    term.wait_for("fg's line", |s| output_of(s, "fg") == ["sleep 100"]);
    let again = term.wait_for_foreground(&["sleep"]);
    assert!(again[0].same_process(&sleep[0]), "{again:?} vs {sleep:?}");
    let screen = term.snapshot();
    assert_ne!(
        screen.prompt_line(),
        Some(screen.cursor.0 as usize),
        "a prompt while sleep runs in the foreground:\n{}",
        screen.text()
    );

    term.keys("\x03");
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "sleep ended and reaped", &sleep, is_gone);
    assert_status(&term, "130");
}

#[test]
fn cat_in_the_foreground_reads_typed_lines() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "cat");
    term.wait_for_foreground(&["cat"]);
    term.keys("typed to cat\r");
    // Once echoed by the terminal, once written back by cat.
    term.wait_for("the line twice", |s| s.count_lines("typed to cat") == 2);
    term.keys("\x04");
    term.wait_for_fresh_prompt();
    // Line editing works again: a typo fixed with Backspace.
    term.keys("echo afX\x7fter\r");
    term.wait_for("after", |s| s.has_line("after"));
    term.wait_for_fresh_prompt();
}

#[test]
fn finished_background_job_is_reported_done() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "sleep 0.2 &");
    term.wait_for_fresh_prompt();
    // Until it has ended (a zombie, or reaped already).
    term.wait_for_children("the background sleep to end", |children| {
        !children.iter().any(|p| p.comm == "sleep" && p.state != 'Z')
    });
    // Notices come before the next prompt (or at once, while editing).
    term.keys("\r");
    let screen = term.wait_for("a Done line for job 1", |s| {
        s.has_line_with(&["[1]", "Done", "sleep 0.2"])
    });
    let done = screen.rows.iter().filter(|r| r.contains("Done")).count();
    assert_eq!(done, 1, "one Done line:\n{}", screen.text());
    term.wait_for_fresh_prompt();
}

#[test]
fn a_job_that_ends_during_a_command_is_reported_before_the_prompt() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.wait_for_fresh_prompt();
    // The job ends while `sleep 1` runs: its notice comes after the
    // command's output and before the next prompt, never drawn over them.
    run(&term, "sleep 0.05 & sleep 1; echo ma''rk");
    let screen = term.wait_for("the Done line and a fresh prompt", |s| {
        s.has_line_with(&["[1]", "Done", "sleep 0.05"])
            && s.cursor_line().trim_end() == PROMPT.trim_end()
    });
    let row = |p: &dyn Fn(&str) -> bool| screen.rows.iter().position(|r| p(r));
    let mark = row(&|r| r.trim_end() == "mark");
    let done = row(&|r| r.contains("Done"));
    let prompt = screen
        .rows
        .iter()
        .rposition(|r| r.starts_with(PROMPT.trim_end()));
    assert!(
        mark < done && done < prompt,
        "mark, then Done, then the prompt:\n{}",
        screen.text()
    );
}

#[test]
fn many_jobs_ending_at_the_prompt_are_all_announced() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.wait_for_fresh_prompt();
    // More jobs than the editor's queue of notices holds at once; they all
    // end while the prompt waits for a key.
    run(&term, "for i in $(seq 25); do sleep 0.5 & done");
    term.wait_for_fresh_prompt();
    let screen = term.wait_for("25 Done lines", |s| {
        s.rows.iter().filter(|r| r.contains("Done")).count() == 25
    });
    for n in 1..=25 {
        assert!(
            screen.has_line_with(&[&format!("[{n}]"), "Done", "sleep 0.5"]),
            "job {n} announced:\n{}",
            screen.text()
        );
    }
    term.keys("echo st''ill\r");
    term.wait_for("still", |s| s.has_line("still"));
}

/// The shell's pid as `echo $$` shows it.
fn shell_pid_from_screen(term: &Term) -> i32 {
    run(term, "echo $$");
    let typed = format!("{PROMPT}echo $$");
    let screen: Screen = term.wait_for("$$", |s| {
        s.rows_after(&typed)
            .first()
            .is_some_and(|r| !r.trim().is_empty() && r.trim().chars().all(|c| c.is_ascii_digit()))
    });
    screen.rows_after(&typed)[0].trim().parse().unwrap()
}

#[test]
fn many_background_jobs_leave_no_zombies_or_fds() {
    let home = TempHome::new();
    let term = Term::start(&home);
    let pid = shell_pid_from_screen(&term);
    assert_eq!(pid, term.pid(), "$$ is the shell's pid");
    term.wait_for_fresh_prompt();
    // `seq` and `sleep` once first: the command cache keeps an `O_PATH`
    // descriptor per program found on PATH (by design, not a leak).
    run(&term, "for i in $(seq 2); do sleep 0.05 & done; wait");
    term.wait_for_prompts(3);
    let fds_before = term.fd_links();

    term.keys(
        "for i in $(seq 200); do sleep 0.05 & done; wait; echo jobs-''start; jobs; echo jobs-''end\r",
    );
    let screen = term.wait_for("jobs-end", |s| s.has_line("jobs-end"));
    let start = screen
        .rows
        .iter()
        .position(|r| r.trim_end() == "jobs-start");
    let end = screen.rows.iter().position(|r| r.trim_end() == "jobs-end");
    assert_eq!(
        start.map(|s| s + 1),
        end,
        "jobs lists nothing after wait:\n{}",
        screen.text()
    );
    term.wait_for_fresh_prompt();

    let children = term.children();
    let zombies: Vec<&Proc> = children.iter().filter(|p| p.state == 'Z').collect();
    assert!(zombies.is_empty(), "zombie children: {zombies:#?}");
    assert!(
        children.is_empty(),
        "children left after wait: {children:#?}"
    );
    let fds_after = term.fd_links();
    assert!(
        fds_after.len().abs_diff(fds_before.len()) <= 1,
        "fds before: {fds_before:?}\nafter: {fds_after:?}"
    );
    assert!(
        !fds_after.iter().any(|l| l.contains("pidfd")),
        "pidfds open with no children: {fds_after:?}"
    );
    // And the shell still works.
    term.keys("echo st''ill\r");
    term.wait_for("still", |s| s.has_line("still"));
}

#[test]
fn foreground_pipeline_completes() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "yes | head -n 1 | cat");
    wait_for_output(&term, "yes | head -n 1 | cat", "y", |rows| rows == ["y"]);
    assert!(term.children().is_empty(), "{:#?}", term.children());
}

#[test]
fn ctrl_z_stops_a_whole_pipeline_and_fg_continues_it() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "sleep 100 | cat");
    let procs = term.wait_for_foreground(&["sleep", "cat"]);
    assert_eq!(
        procs[0].pgrp, procs[1].pgrp,
        "one process group: {procs:#?}"
    );
    term.keys("\x1a");
    term.wait_for("the Stopped line", |s| {
        s.has_line_with(&["[1]+", "Stopped", "sleep 100 | cat"])
    });
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "both stopped", &procs, is_stopped);

    run(&term, "fg");
    term.wait_for("fg's line", |s| output_of(s, "fg") == ["sleep 100 | cat"]);
    let again = term.wait_for_foreground(&["sleep", "cat"]);
    for (a, b) in again.iter().zip(&procs) {
        assert!(a.same_process(b), "{again:#?} vs {procs:#?}");
    }
    wait_for_states(&term, "both continued", &procs, is_running);

    term.keys("\x03");
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "both ended and reaped", &procs, is_gone);
    assert_status(&term, "130");
}

#[test]
fn ctrl_z_stops_a_pipeline_with_a_shell_code_stage() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "yes | while read l; do :; done");
    // The loop runs as a pidsh process in the same group as `yes`.
    let procs = term.wait_for_foreground(&["yes", "pidsh"]);
    assert_eq!(
        procs[0].pgrp, procs[1].pgrp,
        "one process group: {procs:#?}"
    );
    term.keys("\x1a");
    term.wait_for("the Stopped line", |s| {
        s.has_line_with(&["[1]+", "Stopped", "yes | while read l"])
    });
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "both stopped", &procs, is_stopped);
    run(&term, "fg");
    wait_for_states(&term, "both continued", &procs, is_running);
    term.keys("\x03");
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "both ended and reaped", &procs, is_gone);
    assert_status(&term, "130");
}

#[test]
fn exit_with_a_stopped_job_warns_once() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    stop_sleep_100(&term);

    run(&term, "exit");
    wait_for_output(&term, "exit", "the warning", |rows| {
        rows == ["There are stopped jobs."]
    });
    assert!(term.alive(), "the shell exited at the first exit");

    run(&term, "exit");
    term.wait_for_exit();
}

#[test]
fn kill_job_spec_terminates_a_background_job() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "sleep 100 &");
    term.wait_for_fresh_prompt();
    let sleep = term.wait_for_children("the background sleep", |children| {
        children.iter().any(|p| p.comm == "sleep")
    });
    run(&term, "kill %1");
    term.wait_for_fresh_prompt();
    // Dead (a zombie until the shell reaps it at its next prompt) or gone.
    wait_for_states(&term, "sleep dead", &sleep, |s| {
        s.is_none() || s == Some('Z')
    });
    // Its end is told once: by a notice (before the prompt, or above the
    // line being edited) — typing waits for it, as a person would.
    term.keys("\r");
    term.wait_for("the notice of its end", |s| {
        s.has_line_with(&["[1]", "Terminated", "sleep 100"])
    });
    term.wait_for_fresh_prompt();
    run(&term, "jobs; echo listed");
    wait_for_output(&term, "jobs; echo listed", "no job left", |rows| {
        rows == ["listed"]
    });
}

#[test]
fn a_job_whose_end_was_told_frees_its_number() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "sleep 100 &");
    term.wait_for_fresh_prompt();
    run(&term, "kill %1");
    term.keys("\r");
    term.wait_for("the notice of its end", |s| {
        s.has_line_with(&["[1]", "Terminated", "sleep 100"])
    });
    term.wait_for_fresh_prompt();
    // As in bash: the next job is %1 again, and `kill %1` finds it.
    run(&term, "sleep 200 &");
    term.wait_for("job 1 again", |s| {
        s.rows_after(&format!("{PROMPT}sleep 200 &"))
            .first()
            .is_some_and(|r| r.starts_with("[1] "))
    });
    term.wait_for_fresh_prompt();
    run(&term, "kill %1; echo st$?");
    term.wait_for("kill's status", |s| s.has_line("st0"));
}

#[test]
fn shell_code_job_is_stopped_and_continued_like_a_program() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "f() { sleep 100; }; f &");
    term.wait_for_fresh_prompt();
    run(&term, "fg");
    // The sleep is the child of the job's own shell process, in the job's
    // group, which must own the terminal before Ctrl-Z is typed.
    let start = std::time::Instant::now();
    let sleep = loop {
        let found: Vec<Proc> = term
            .descendants()
            .into_iter()
            .filter(|p| p.comm == "sleep" && p.state != 'T' && p.tpgid == p.pgrp)
            .collect();
        if !found.is_empty() {
            break found;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the job never took the terminal:\n{}",
            term.snapshot().text()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    term.keys("\x1a");
    term.wait_for("the Stopped line", |s| {
        s.has_line("[1]+  Stopped                 f")
    });
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "the job's sleep stopped", &sleep, is_stopped);
    run(&term, "bg");
    term.wait_for_fresh_prompt();
    wait_for_states(&term, "the job's sleep running", &sleep, is_running);
    run(&term, "kill %1");
    term.wait_for_fresh_prompt();
}

#[test]
fn a_shell_code_stage_of_a_job_sees_the_whole_state() {
    // Under job control the stage `f` is a pidsh process of the job's
    // group: the state handed to it keeps arrays and `$?`.
    let home = TempHome::new();
    let term = Term::start(&home);
    let line = "a=(1 2 3); declare -A m=([k]=v); f(){ echo ${#a[@]} $? ${m[k]}; }; false; f | cat";
    run(&term, line);
    wait_for_output(&term, line, "f's output", |rows| rows == ["3 1 v"]);
}
