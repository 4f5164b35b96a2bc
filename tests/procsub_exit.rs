//! Output process substitutions outlive the shell, as in bash: what the
//! shell wrote into `>( … )` is read to the end even when the shell exits
//! at once (the list runs as a process of its own, not on a thread that
//! would die with the shell). Each case runs several times, since the loss
//! this guards against depended on which side was quicker.
#![allow(clippy::unwrap_used)]

mod common;

use common::run_file;

/// Runs `script` `times` times; every run must print `want` and exit with
/// `status`.
fn check_every_time(script: &str, want: &str, status: i32, times: usize) {
    for round in 0..times {
        let run = run_file(script, None);
        assert_eq!(
            (run.stdout.as_str(), run.status),
            (want, status),
            "round {round} of {script:?}; stderr: {}",
            run.stderr
        );
    }
}

#[test]
fn a_program_reading_the_last_command_s_output_finishes_it() {
    check_every_time("{ echo 1; echo 2; echo 3; } > >(tac)\n", "3\n2\n1\n", 0, 20);
}

#[test]
fn shell_code_reading_the_shell_s_own_output_sees_all_of_it() {
    let script = "exec > >(while read -r l; do echo \"[$l]\"; done)\necho a\necho b\n";
    check_every_time(script, "[a]\n[b]\n", 0, 20);
}

#[test]
fn exit_status_is_the_shell_s_own() {
    check_every_time("echo x > >(cat)\nexit 3\n", "x\n", 3, 10);
}
