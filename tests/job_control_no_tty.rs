//! Job control without a terminal (POSIX: `set -m`, `pidsh -m`,
//! `pidsh -i -m` with standard input not a terminal): every job in a
//! process group of its own, a stopped foreground job reported and kept
//! (no hang), `jobs`, `fg`, `bg`, `kill %N` and `wait %N` — and the job
//! list as `$( )` and pipeline stages see it. Each case runs on both spawn
//! backends; the expected outputs are bash's.
#![allow(clippy::unwrap_used)]

mod common;

use common::{BACKENDS, Expect, Run, check_table, feed, pidsh};

/// How a case starts pidsh.
#[derive(Clone, Copy)]
enum How {
    /// `pidsh -c SCRIPT`.
    Command,
    /// `pidsh -m -c SCRIPT`.
    MonitorFlag,
    /// `pidsh -i -m` reading SCRIPT on standard input (a pipe).
    InteractiveOnPipe,
}

struct Case {
    name: &'static str,
    how: How,
    script: &'static str,
    stdout: &'static str,
    stderr: Option<&'static str>,
    status: i32,
}

/// Runs a case with `$P` naming pidsh itself (a program that stops
/// itself, with no other shell needed).
fn run_case(backend: &str, case: &Case) -> Run {
    let mut cmd = pidsh();
    cmd.env("PIDSH_SPAWN", backend)
        .env("P", env!("CARGO_BIN_EXE_pidsh"));
    let input = match case.how {
        How::Command => {
            cmd.args(["-c", case.script]);
            ""
        }
        How::MonitorFlag => {
            cmd.args(["-m", "-c", case.script]);
            ""
        }
        How::InteractiveOnPipe => {
            cmd.args(["-i", "-m", "--norc"]).env("PS1", "");
            case.script
        }
    };
    feed(cmd, input)
}

/// The script of the issue: a foreground job that stops itself.
const STOP_THEN_FG: &str = r#"set -m
"$P" -c 'kill -s STOP $$; echo resumed'
echo "status $?"
pid=$(jobs -p)
read -r _ _ _ _ group _ < /proc/$pid/stat
read -r _ _ _ _ shell_group _ < /proc/$$/stat
[ "$group" = "$pid" ] && [ "$group" != "$shell_group" ] && echo "own group"
jobs
fg %1
echo "fg status $?"
"#;

const STOPPED_LINE: &str =
    "[1]+  Stopped                 \"$P\" -c 'kill -s STOP $$; echo resumed'\n";

const STOP_THEN_FG_OUT: &str = "status 147\nown group\n\
[1]+  Stopped                 \"$P\" -c 'kill -s STOP $$; echo resumed'\n\
\"$P\" -c 'kill -s STOP $$; echo resumed'\nresumed\nfg status 0\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "set -m: a stopped foreground job is reported, fg continues it",
            how: How::Command,
            script: STOP_THEN_FG,
            stdout: STOP_THEN_FG_OUT,
            stderr: Some(STOPPED_LINE),
            status: 0,
        },
        Case {
            name: "pidsh -m: the same",
            how: How::MonitorFlag,
            script: &STOP_THEN_FG[7..],
            stdout: STOP_THEN_FG_OUT,
            stderr: Some(STOPPED_LINE),
            status: 0,
        },
        Case {
            name: "pidsh -i -m on a pipe: the same",
            how: How::InteractiveOnPipe,
            script: STOP_THEN_FG,
            stdout: STOP_THEN_FG_OUT,
            stderr: None,
            status: 0,
        },
        Case {
            name: "bg continues a stopped job; wait %1 has its status",
            how: How::Command,
            script: r#"set -m
"$P" -c 'kill -s STOP $$; echo resumed; exit 3' 2>/dev/null
bg %1
wait %1; echo "wait $?""#,
            stdout: "[1]+ \"$P\" -c 'kill -s STOP $$; echo resumed; exit 3' 2> /dev/null &\nresumed\nwait 3\n",
            stderr: None,
            status: 0,
        },
        Case {
            name: "kill %N and wait %N; bg of a running job only warns",
            how: How::Command,
            script: "set -m\nsleep 30 &\nbg %1; echo \"bg $?\"\nkill %1\nwait %1; echo \"wait $?\"",
            stdout: "bg 0\nwait 143\n",
            stderr: Some("pidsh: line 3: bg: job 1 already in background\n"),
            status: 0,
        },
        Case {
            name: "a background job leads a group of its own",
            how: How::Command,
            script: "set -m\nsleep 30 &\nread -r _ _ _ _ g _ < /proc/$!/stat\n[ \"$g\" = \"$!\" ] && echo own; kill $!",
            stdout: "own\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "the current job is the stopped one",
            how: How::Command,
            script: r#"set -m
"$P" -c 'kill -s STOP $$' 2>/dev/null
sleep 30 &
jobs
kill %2; kill -s CONT %1; wait"#,
            stdout: "[1]+  Stopped                 \"$P\" -c 'kill -s STOP $$' 2> /dev/null\n\
[2]-  Running                 sleep 30 &\n",
            stderr: None,
            status: 0,
        },
        Case {
            name: "a shell that stops or kills itself does so before its next command",
            how: How::Command,
            script: r#""$P" -c 'kill -9 $$; echo not reached'; echo $?"#,
            stdout: "137\n",
            // The report of the death names its process id (see
            // tests/signal_reports.rs); the next case checks it whole.
            stderr: None,
            status: 0,
        },
        Case {
            name: "a shell that terminates itself is reported as Terminated",
            how: How::Command,
            script: r#""$P" -c 'kill -s TERM $$; echo not reached'; echo $?"#,
            stdout: "143\n",
            stderr: Some("Terminated\n"),
            status: 0,
        },
        Case {
            name: "without set -m there is no job control",
            how: How::Command,
            script: "sleep 0 & fg; echo $?",
            stdout: "1\n",
            stderr: Some("pidsh: line 1: fg: no job control\n"),
            status: 0,
        },
        Case {
            name: "$( ) and pipeline stages list the shell's jobs; ( ) does not",
            how: How::Command,
            script: "sleep 30 &\n(jobs)\njobs -p | wc -l\necho $(jobs) | sed 's/ *$//'\nkill $(jobs -p); wait $!; echo $?",
            stdout: "1\n[1]+ Running sleep 30 &\n143\n",
            stderr: Some(""),
            status: 0,
        },
    ]
}

#[test]
fn job_control_without_a_terminal() {
    check_table(
        &BACKENDS,
        &cases(),
        |c| c.name.to_string(),
        |c| Expect {
            stdout: c.stdout,
            stderr: c.stderr,
            status: c.status,
        },
        run_case,
    );
}
