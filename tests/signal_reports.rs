//! What a non-interactive shell says when a foreground command dies of a
//! signal, as bash says it (dash says only the signal's description):
//! `s.sh: line 2:  1234 Killed                  cmd` on standard error;
//! only `Terminated` for SIGTERM and for a signal the shell traps; nothing
//! for SIGINT, SIGPIPE, or inside a command substitution.
#![allow(clippy::unwrap_used)]

mod common;

use common::{pidsh, run_file_in, tempdir};

/// Runs `script` as `s.sh`, where `$victim` is a command that kills
/// itself with the signal it is given (a pidsh of its own); standard
/// error with process ids written as `PID`, and standard output.
fn run(script: &str) -> (String, String) {
    let dir = tempdir();
    let mut cmd = pidsh();
    cmd.env("PIDSH", env!("CARGO_BIN_EXE_pidsh"));
    let r = run_file_in(cmd, script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    (without_pids(&r.stderr), r.stdout)
}

/// `line 2:  1234 Killed` → `line 2:  PID Killed`, and a pipeline's
/// next lines `      1235 Killed  | cmd` → `     PID Killed  | cmd`.
fn without_pids(text: &str) -> String {
    let pid_dropped = |rest: &str| {
        let rest = rest.trim_start();
        rest.trim_start_matches(|c: char| c.is_ascii_digit())
            .to_string()
    };
    text.lines()
        .map(|line| match line.split_once(": ") {
            Some((head, rest)) if head.ends_with(".sh") => {
                let (line_no, rest) = rest.split_once(": ").unwrap_or((rest, ""));
                format!("{head}: {line_no}:  PID{}\n", pid_dropped(rest))
            }
            _ if line.starts_with("     ") => format!("     PID{}\n", pid_dropped(line)),
            _ => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn a_command_killed_by_a_signal_is_reported_with_line_pid_and_text() {
    let script = "echo before\n\"$PIDSH\" -c 'kill -s KILL $$'\necho \"st=$?\"\n";
    let (stderr, stdout) = run(script);
    assert_eq!(stdout, "before\nst=137\n");
    let want = "s.sh: line 2:  PID Killed                  \"$PIDSH\" -c 'kill -s KILL $$'\n";
    assert_eq!(stderr, want);
}

#[test]
fn segmentation_fault_and_hangup_are_reported_too() {
    let script = "\"$PIDSH\" -c 'kill -s SEGV $$'\n\"$PIDSH\" -c 'kill -s HUP $$'\n";
    let (stderr, _) = run(script);
    let want = "s.sh: line 1:  PID Segmentation fault      \"$PIDSH\" -c 'kill -s SEGV $$'\n\
                s.sh: line 2:  PID Hangup                  \"$PIDSH\" -c 'kill -s HUP $$'\n";
    assert_eq!(stderr, want);
}

#[test]
fn sigterm_and_a_trapped_signal_give_only_the_description() {
    let script = "\"$PIDSH\" -c 'kill -s TERM $$'\ntrap 'echo caught' USR1\n\
                  \"$PIDSH\" -c 'kill -s USR1 $$'\necho done\n";
    let (stderr, stdout) = run(script);
    assert_eq!(stderr, "Terminated\nUser defined signal 1\n");
    assert_eq!(stdout, "done\n");
}

#[test]
fn sigint_sigpipe_a_substitution_and_a_background_job_say_nothing() {
    let script = "\"$PIDSH\" -c 'kill -s INT $$'\n\"$PIDSH\" -c 'kill -s PIPE $$'\n\
                  x=$(\"$PIDSH\" -c 'kill -s KILL $$')\n\
                  \"$PIDSH\" -c 'kill -s KILL $$' &\nwait $!\necho \"st=$?\"\n";
    let (stderr, stdout) = run(script);
    assert_eq!((stderr.as_str(), stdout.as_str()), ("", "st=137\n"));
}

#[test]
fn a_pipeline_lists_its_processes_leaving_out_a_repeated_status() {
    let script = "\"$PIDSH\" -c 'exit 3' | \"$PIDSH\" -c 'kill -s HUP $$'\n\
                  \"$PIDSH\" -c 'kill -s KILL $$' | \"$PIDSH\" -c 'kill -s KILL $$'\n\
                  \"$PIDSH\" -c 'kill -s KILL $$' | \"$PIDSH\" -c 'exit 0'\n";
    let (stderr, _) = run(script);
    let want = "s.sh: line 1:  PID Exit 3                  \"$PIDSH\" -c 'exit 3'\n     \
                PID Hangup                  | \"$PIDSH\" -c 'kill -s HUP $$'\n\
                s.sh: line 2:  PID Killed                  \"$PIDSH\" -c 'kill -s KILL $$'\n     \
                PID                       | \"$PIDSH\" -c 'kill -s KILL $$'\n";
    assert_eq!(stderr, want);
}
