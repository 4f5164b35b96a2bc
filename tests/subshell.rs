//! Subshell environments run in-process: each case changes something
//! inside `( … )`, `$( … )` or a pipeline stage, then proves the parent
//! is untouched.
#![allow(clippy::unwrap_used)]

mod common;

use common::check_stdout_on_backends as check;

#[test]
fn parent_state_is_untouched() {
    check(&[
        ("variables", "x=1; (x=2; echo $x); echo $x", "2\n1\n"),
        (
            "variables_in_command_substitution",
            "x=1; y=$(x=2; echo $x); echo $x $y",
            "1 2\n",
        ),
        (
            "variables_in_pipeline_stage",
            "x=1; echo | x=3; echo x | { read x; }; echo $x",
            "1\n",
        ),
        (
            "functions",
            "f() { echo outer; }; (f() { echo inner; }; f); f",
            "inner\nouter\n",
        ),
        (
            "unset_function",
            "f() { echo kept; }; (unset -f f); f",
            "kept\n",
        ),
        ("cwd", "cd /; (cd /tmp; pwd); pwd", "/tmp\n/\n"),
        (
            "cwd_of_children",
            "cd /; (cd /tmp; /bin/pwd); /bin/pwd",
            "/tmp\n/\n",
        ),
        (
            "cwd_in_command_substitution",
            "cd /; d=$(cd /tmp && pwd); echo $d $(pwd)",
            "/tmp /\n",
        ),
        (
            "cwd_in_concurrent_stage",
            "cd /; (cd /tmp; sleep 0.1; pwd) | cat; pwd",
            "/tmp\n/\n",
        ),
        (
            "umask",
            "umask 022; (umask 077; umask); umask",
            "0077\n0022\n",
        ),
        (
            "umask_of_children",
            "umask 022; (umask 077; sh -c umask); sh -c umask",
            "0077\n0022\n",
        ),
        (
            "traps",
            "trap 'echo parent-exit' EXIT; (trap 'echo sub-exit' EXIT); echo body",
            "sub-exit\nbody\nparent-exit\n",
        ),
        (
            "fds",
            "(exec 3>/dev/null); echo hi >&3 2>/dev/null || echo closed",
            "closed\n",
        ),
        (
            "options",
            "(set -e; set -u); case $- in *e*|*u*) echo leaked;; *) echo clean;; esac",
            "clean\n",
        ),
        ("exit", "(exit 7); echo $?; x=$(exit 3); echo $?", "7\n3\n"),
        (
            "positional_parameters",
            "set -- a b; (set -- z; echo $1); echo $1",
            "z\na\n",
        ),
        ("aliases", "alias q='echo alias'\n(unalias q)\nq", "alias\n"),
    ]);
}

#[test]
fn pipelines_of_shell_code() {
    check(&[
        (
            "read_splits_fields",
            "echo a b c | while read x y; do echo \"$y\"; done",
            "b c\n",
        ),
        (
            "stage_ends_when_reader_goes",
            "yes_like() { while :; do echo y; done; }; yes_like | head -n 1",
            "y\n",
        ),
        (
            "sigpipe_status_141",
            "f() { while :; do echo y; done; }; f | head -n 1 > /dev/null; echo $?",
            "0\n",
        ),
        (
            "pipefail_sees_141",
            "set -o pipefail; f() { while :; do echo y; done; }; f | head -n 1 >/dev/null; echo $?",
            "141\n",
        ),
        ("group_feeds_sort", "{ echo b; echo a; } | sort", "a\nb\n"),
        (
            "function_to_function",
            "f() { echo one; echo two; }; g() { while read l; do echo \"<$l>\"; done; }; f | g",
            "<one>\n<two>\n",
        ),
        (
            "big_command_substitution",
            "x=$(i=0; while [ $i -lt 200000 ]; do echo 0123456789; i=$((i+1)); done); echo ${#x}",
            "2199999\n",
        ),
        (
            "background_function_is_a_job",
            "f() { sleep 5 >/dev/null 2>&1; }; f & kill $!; wait $!; echo $?",
            "143\n",
        ),
        (
            "background_group_sees_state",
            "v=state; g() { echo \"$v $1\"; }; { g arg; } & wait",
            "state arg\n",
        ),
        (
            "background_job_runs_no_exit_trap_of_its_parent",
            "trap 'echo bye' EXIT; { echo hi; } & wait; f() { echo f; }; f & wait",
            "hi\nf\nbye\n",
        ),
        (
            "background_job_has_no_trap_commands_of_its_parent",
            "trap 'echo caught' USR1; { kill -USR1 $BASHPID; echo survived; } & wait $!; echo $?",
            "138\n",
        ),
    ]);
}
