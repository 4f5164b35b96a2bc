//! The signal actions a shell's children start with: `trap ''` in an
//! in-process subshell reaches the commands it starts (and `trap -` there
//! gives back a default the process itself does not have), and an
//! asynchronous list without job control ignores SIGINT and SIGQUIT (POSIX
//! 2.11) — external commands, pipelines and self-spawned shell code alike —
//! while the list itself may still trap or reset them, as in bash.
//!
//! The reporting child is `sed` printing the `SigIgn` mask of
//! `/proc/<pid>/status` (`ign self`: the `sed` itself, a child of the
//! context that runs it; `ign $!`: a background process). Every case runs
//! under every spawn backend. pidsh is started with every signal at its
//! default action, whatever the test harness inherited, so the masks are
//! exact (SIGINT is bit 0x2, SIGQUIT 0x4, SIGUSR1 0x200, SIGUSR2 0x800).
//!
//! Nothing here can hang: background processes are killed and waited for,
//! and a signal a job sends itself either runs its trap or ends the job.

#![allow(clippy::unwrap_used)]

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

mod common;

/// The spawn backends every case runs under.
const BACKENDS: [&str; 3] = ["clone-vfork", "posix_spawn", "fork"];

/// Defines `ign PID`: prints that process's `SigIgn` mask.
const IGN: &str = "ign() { sed -n 's/^SigIgn:[[:space:]]*//p' /proc/$1/status; }\n";

/// (name, script after [`IGN`], exact stdout)
type Case = common::StdoutCase;

/// Runs `pidsh -c` under `backend`, with every signal at its default and
/// `$PIDSH` naming the binary.
fn run(backend: &str, script: &str) -> common::Run {
    let dir = common::tempdir();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pidsh"));
    cmd.arg("-c")
        .arg(format!("{IGN}{script}"))
        .current_dir(&dir)
        .env("PIDSH_SPAWN", backend)
        .env("PIDSH", env!("CARGO_BIN_EXE_pidsh"))
        .stdin(Stdio::null());
    // SAFETY: between fork and exec the closure makes raw rt_sigaction
    // calls only (async-signal-safe), with an all-zero kernel sigaction
    // (SIG_DFL, no flags, empty mask) on its stack. Raw, because glibc's
    // sigaction refuses 32 and 33, and a process started by posix_spawn
    // (as cargo starts this test) inherits 32 ignored.
    unsafe {
        cmd.pre_exec(|| {
            let default = [0u64; 4];
            for sig in 1..=64 {
                if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                    libc::syscall(
                        libc::SYS_rt_sigaction,
                        sig,
                        default.as_ptr(),
                        std::ptr::null_mut::<u64>(),
                        8usize,
                    );
                }
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    common::Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

/// Runs every case under every backend; fails with all mismatches at once.
fn check(cases: &[Case]) {
    common::check_stdout_table(&BACKENDS, cases, run);
}

#[test]
fn a_subshells_trap_ignore_reaches_its_children() {
    check(&[
        (
            "foreground_child",
            "(trap '' INT; ign self); ign self",
            "0000000000000002\n0000000000000000\n",
        ),
        (
            "background_child_and_the_parent_after",
            // The example of the design: bit 0x2 in the subshell's job (and
            // 0x4 too: a background job), nothing in the parent's children
            // or in the shell process itself afterwards.
            "(trap '' INT; sleep 5 & ign $!; kill $!; wait); ign self; echo $(( 0x$(ign $$) & 6 ))",
            "0000000000000006\n0000000000000000\n0\n",
        ),
        (
            "pipeline_stage_thread",
            "echo | (trap '' USR2; ign self); (trap '' USR2; ign self | cat); ign self",
            "0000000000000800\n0000000000000800\n0000000000000000\n",
        ),
        (
            "command_substitution",
            "x=$(trap '' USR2; ign self); echo $x; y=$(ign self); echo $y",
            "0000000000000800\n0000000000000000\n",
        ),
        (
            "nested_subshells_keep_it",
            "(trap '' USR1; (ign self; (ign self)))",
            "0000000000000200\n0000000000000200\n",
        ),
    ]);
}

#[test]
fn a_subshells_trap_reset_gives_children_the_default() {
    check(&[
        (
            "reset_and_trapped",
            "trap '' USR1; (trap - USR1; ign self); (trap 'echo x' USR1; ign self); (ign self); ign self",
            "0000000000000000\n0000000000000000\n0000000000000200\n0000000000000200\n",
        ),
        (
            "reset_two_levels_up",
            "trap '' USR1; (trap - USR1; (ign self)); ( (trap - USR1; ign self) )",
            "0000000000000000\n0000000000000000\n",
        ),
        (
            "ignored_on_entry_stays_ignored",
            // The inner shell starts with SIGINT ignored: POSIX keeps it so.
            "trap '' INT; \"$PIDSH\" -c '(trap - INT; sed -n \"s/^SigIgn:[[:space:]]*//p\" /proc/self/status)'",
            "0000000000000002\n",
        ),
    ]);
}

#[test]
fn an_asynchronous_list_ignores_sigint_and_sigquit() {
    check(&[
        (
            "external_command",
            "sleep 5 & ign $!; kill $!; wait; ign self",
            "0000000000000006\n0000000000000000\n",
        ),
        (
            "pipeline",
            "sleep 5 | sleep 5 & ign $!; kill %1; wait",
            "0000000000000006\n",
        ),
        (
            "function_and_group",
            "f() { ign self; }; f & wait; { ign self; (ign self); } & wait; { ign self; } | cat & wait",
            "0000000000000006\n0000000000000006\n0000000000000006\n0000000000000006\n",
        ),
        (
            "and_or_list",
            "true && ign self & wait",
            "0000000000000006\n",
        ),
        (
            "with_trap_ignores_of_a_subshell",
            "(trap '' USR1; f() { ign self; }; f & wait)",
            "0000000000000206\n",
        ),
        (
            "inside_a_background_job",
            "{ sleep 5 & ign $!; kill $!; wait; } & wait",
            "0000000000000006\n",
        ),
    ]);
}

#[test]
fn job_control_keeps_sigint_and_sigquit() {
    check(&[
        (
            "set_m",
            "set -m; sleep 5 & ign $!; kill $!; wait; f() { ign self; }; f & wait",
            "0000000000000000\n0000000000000000\n",
        ),
        (
            "but_not_in_a_subshell",
            "set -m; (sleep 5 & ign $!; kill $!; wait)",
            "0000000000000006\n",
        ),
    ]);
}

#[test]
fn a_background_job_may_trap_or_reset_what_it_ignores() {
    check(&[
        (
            "trap_int",
            "{ trap 'echo got' INT; kill -INT $BASHPID; echo after; } & wait",
            "got\nafter\n",
        ),
        (
            "trap_in_a_function",
            "f() { trap 'echo got' QUIT; kill -QUIT $BASHPID; echo after; }; f & wait",
            "got\nafter\n",
        ),
        (
            "reset",
            "{ trap - INT; ign self; (trap - QUIT; ign self); } & wait",
            "0000000000000004\n0000000000000000\n",
        ),
        (
            "listed_as_ignored",
            "trap '' USR1; { trap; kill -USR1 $BASHPID; echo survived; } & wait $!; echo $?",
            "trap -- '' SIGINT\ntrap -- '' SIGQUIT\ntrap -- '' SIGUSR1\nsurvived\n0\n",
        ),
        (
            "parent_ignore_reset_in_the_job",
            "trap '' USR1; { trap - USR1; ign self; } & wait",
            "0000000000000006\n",
        ),
        (
            "not_what_was_ignored_on_entry",
            // The inner shell started with SIGINT ignored: its background
            // job can neither trap nor reset it.
            "trap '' INT; \"$PIDSH\" -c '{ trap - INT; trap \"echo got\" INT; kill -INT $BASHPID; echo after; sed -n \"s/^SigIgn:[[:space:]]*//p\" /proc/self/status; } & wait'",
            "after\n0000000000000006\n",
        ),
    ]);
}

#[test]
fn plan_shows_the_ignores_of_a_background_job() {
    let plan = |args: &[&str]| {
        let out = common::pidsh().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = plan(&["--plan", "-c", "sleep 1 &"]);
    assert!(text.contains("  sigignore SIGINT,SIGQUIT\n"), "{text}");
    let text = plan(&["--plan", "-c", "sleep 1"]);
    assert!(!text.contains("sigignore"), "{text}");
    let text = plan(&["-m", "--plan", "-c", "sleep 1 &"]);
    assert!(!text.contains("sigignore"), "{text}");
}

/// Any signal ignored when a script's shell starts stays ignored: `trap`
/// cannot catch it, and `trap -p` lists it as ignored (bash does the same).
#[test]
fn every_signal_ignored_on_entry_stays_ignored() {
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "trap '' HUP ALRM; exec '{}' -c 'trap \"echo caught\" ALRM; trap -p; kill -ALRM $$; echo alive'",
            env!("CARGO_BIN_EXE_pidsh")
        ))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "trap -- '' SIGHUP\ntrap -- '' SIGALRM\nalive\n"
    );
}
