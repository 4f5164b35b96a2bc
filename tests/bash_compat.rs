//! bash's behaviour where it goes beyond POSIX, case by case: each case
//! runs a script file through the real binary and compares stdout, stderr
//! and exit status exactly. Every expectation was taken from bash 5.2 run
//! on the same file (`bash s.sh`, or `bash --posix s.sh` for the POSIX
//! cases).
#![allow(clippy::unwrap_used)]

mod common;

/// (name, flag, script, stdout, stderr, status)
type Case = (
    &'static str,
    Option<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    i32,
);

/// Writes each script to `s.sh` in a fresh directory, runs `pidsh [flag]
/// s.sh` there (so messages read `s.sh: line N: …`), and fails with every
/// mismatch at once.
fn check_files(cases: &[Case]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, flag, script, stdout, stderr, status)| {
            let want = common::Expect {
                stdout,
                stderr: Some(stderr),
                status: *status,
            };
            let label = format!("{name}: script {script:?}");
            common::mismatch(&label, &common::run_file(script, *flag), &want)
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Errors bash survives outside POSIX mode: an expansion error, a readonly
/// assignment, `break 0` abandon the rest of the command line (the
/// command of an `eval`, a subshell) and the script goes on; special
/// builtins' usage errors and arithmetic commands just fail. POSIX mode
/// exits where POSIX says so.
#[test]
fn errors_bash_survives() {
    check_files(&[
        (
            "break_and_continue_take_double_dash",
            None,
            "for i in 1 2; do echo $i; break --; done\nfor i in 1 2; do for j in 3; do continue -- 2; done; echo no; done; echo ok\n",
            "1\nok\n",
            "",
            0,
        ),
        (
            "expansion_error_abandons_the_rest_of_the_line",
            None,
            "echo $((1/0)); echo same\necho next $?\n",
            "next 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "error_in_a_function_abandons_the_calling_line",
            None,
            "f() { echo $((1/0)); echo in-f; }; f; echo same\necho next $?\n",
            "next 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "eval_goes_on_with_its_next_command",
            None,
            "nl=$(printf \"\\nx\"); eval \"echo \\$((1/0)); echo a${nl%x}echo b\"; echo after $?\n",
            "b\nafter 0\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "subshell_ends_with_status_1",
            None,
            "( echo $((1/0)); echo in ); echo after $?\n",
            "after 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "eval_in_a_subshell_ends_the_subshell",
            None,
            "nl=$(printf \"\\nx\"); ( eval \"echo \\$((1/0))${nl%x}echo b\"; echo c ); echo after $?\n",
            "after 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "command_substitution_ends_with_status_1",
            None,
            "echo \"[$(echo $((1/0)); echo in)]\" $?\n",
            "[] 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "loop_is_abandoned",
            None,
            "for i in 1 2; do echo $((1/0)); done; echo same\necho next $?\n",
            "next 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "readonly_assignment_abandons_the_line",
            None,
            "readonly r=1; r=2; echo same\necho next $?\n",
            "next 1\n",
            "s.sh: line 1: r: readonly variable\n",
            0,
        ),
        (
            "readonly_before_special_builtin_still_runs_it",
            None,
            "readonly r=1; r=2 :; echo same $?\n",
            "same 0\n",
            "s.sh: line 1: r: readonly variable\n",
            0,
        ),
        (
            "special_builtin_usage_errors_go_on",
            None,
            "set -o bogus; echo a $?\necho next $?\n",
            "a 2\nnext 0\n",
            "s.sh: line 1: set: bogus: invalid option name\n",
            0,
        ),
        (
            "shift_out_of_range_is_quiet_without_shift_verbose",
            None,
            "shift 5; echo $?\nshopt -s shift_verbose; shift 5; echo $?\n",
            "1\n1\n",
            "s.sh: line 2: shift: 5: shift count out of range\n",
            0,
        ),
        (
            "arithmetic_command_errors_fail_with_1",
            None,
            "((1/0)); echo a $?\nfor ((i=1/0;;)); do :; done; echo b $?\n[[ 1/0 -eq 1 ]]; echo c $?\n",
            "a 1\nb 1\nc 1\n",
            "s.sh: line 1: ((: 1/0: division by 0 (error token is \"0\")\ns.sh: line 2: ((: i=1/0: division by 0 (error token is \"0\")\ns.sh: line 3: [[: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "unbound_variable_still_ends_the_script",
            None,
            "set -u; echo $x; echo same\necho next\n",
            "",
            "s.sh: line 1: x: unbound variable\n",
            1,
        ),
        (
            "null_or_unset_error_still_ends_the_script",
            None,
            "echo ${x:?gone}; echo same\necho next\n",
            "",
            "s.sh: line 1: x: gone\n",
            1,
        ),
        (
            "failglob_abandons_the_line",
            None,
            "shopt -s failglob; echo /nonexistent*; echo same\necho next $?\n",
            "next 1\n",
            "s.sh: line 1: no match: /nonexistent*\n",
            0,
        ),
        (
            "compound_assignment_syntax_error_goes_on",
            None,
            "a=(x & y)\necho after $?\n",
            "after 1\n",
            "s.sh: line 1: syntax error near unexpected token `&'\ns.sh: line 1: `a=(x & y)'\n",
            0,
        ),
        (
            "other_syntax_errors_still_end_the_script",
            None,
            "echo one\necho (\necho after\n",
            "one\n",
            "s.sh: line 2: syntax error near unexpected token `newline'\ns.sh: line 2: `echo ('\n",
            2,
        ),
        (
            "break_zero_leaves_every_loop_with_status_1",
            None,
            "for i in 1; do for j in 2; do break 0; done; echo no; done; echo same $?\n",
            "same 1\n",
            "s.sh: line 1: break: 0: loop count out of range\n",
            0,
        ),
        (
            "posix_expansion_error_ends_the_script",
            Some("--posix"),
            "echo $((1/0)); echo same\necho next $?\n",
            "",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            1,
        ),
        (
            "posix_readonly_assignment_ends_the_script",
            Some("--posix"),
            "readonly r=1; r=2; echo same\necho next $?\n",
            "",
            "s.sh: line 1: r: readonly variable\n",
            1,
        ),
        (
            "posix_special_builtin_usage_error_ends_the_script",
            Some("--posix"),
            "set -o bogus; echo a $?\necho next\n",
            "",
            "s.sh: line 1: set: bogus: invalid option name\n",
            2,
        ),
        (
            "posix_compound_assignment_syntax_error_ends_the_script",
            Some("--posix"),
            "a=(x & y)\necho after $?\n",
            "",
            "s.sh: line 1: syntax error near unexpected token `&'\ns.sh: line 1: `a=(x & y)'\n",
            1,
        ),
        (
            "posix_arithmetic_command_error_goes_on",
            Some("--posix"),
            "((1/0)); echo a $?\n",
            "a 1\n",
            "s.sh: line 1: ((: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "posix_subshell_expansion_error_ends_only_the_subshell",
            Some("--posix"),
            "( echo $((1/0)); echo in ); echo after $?\n",
            "after 1\n",
            "s.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
    ]);
}

/// Hangs the bash suite found: getopts under a recursive `local OPTIND`,
/// `return` in a trap, `select` over nothing, `kill -sHUP`. The scripts
/// are bounded so that a regression fails rather than hangs.
#[test]
fn former_hangs() {
    check_files(&[
        (
            "getopts_with_local_optind_in_recursion",
            None,
            "n=0\nf() { local OPTIND=1 opt; while getopts \":abcxyz\" opt; do echo \"$opt\"; ((n++ > 20)) && return; [[ $opt = y ]] && f -abc; done; }\nf -xyz\n",
            "x\ny\na\nb\nc\nz\n",
            "",
            1,
        ),
        (
            "optind_assignment_restarts_getopts",
            None,
            "getopts ab o -ab; echo $o; OPTIND=1; getopts ab o -ab; echo $o $OPTIND\n",
            "a\na 1\n",
            "",
            0,
        ),
        (
            "return_in_a_signal_trap_leaves_the_function",
            None,
            "f() { trap 'echo in-trap; return 5' USR1; kill -USR1 $$; echo after-kill; }\nf; echo \"f=$?\"\n",
            "in-trap\nf=5\n",
            "",
            0,
        ),
        (
            "return_in_the_debug_trap_leaves_the_function",
            None,
            "g() { trap '[[ $FUNCNAME = g ]] && return 7' DEBUG; echo g-body; }\ng; echo \"g=$?\"\n",
            "g=7\n",
            "",
            0,
        ),
        (
            "return_in_a_trap_ends_a_loop_in_the_function",
            None,
            "trap 'echo t; return 3' USR2\nh() { kill -USR2 $$; for i in 1 2 3; do echo loop; done; }\nh; echo \"h=$?\"\n",
            "t\nh=3\n",
            "",
            0,
        ),
        (
            "select_over_an_empty_list_does_nothing",
            None,
            "select x in; do echo $x; done; echo st=$?\n",
            "st=0\n",
            "",
            0,
        ),
        (
            "kill_with_attached_signal_names",
            None,
            "exec 2>/dev/null\nsleep 5 & p=$!; kill -sHUP $p; wait $p; echo $?\nsleep 5 & p=$!; kill -n9 $p; wait $p; echo $?\nkill -s9 $$ 2>&1; echo $?\n",
            "129\n137\ns.sh: line 4: kill: s9: invalid signal specification\n1\n",
            "",
            0,
        ),
    ]);
}

/// bash's call-stack and clock variables and `caller`: `BASH_SOURCE`,
/// `BASH_LINENO`, `FUNCNAME` (with `.` scripts as `source`), error
/// messages naming the file the code comes from, `BASH_SUBSHELL`,
/// `EPOCHSECONDS`, `EPOCHREALTIME`, `SRANDOM`, `FUNCNEST`, `BASH_COMMAND`.
#[test]
fn call_stack_and_clock_variables() {
    check_files(&[
        (
            "bash_command_in_debug_and_err_traps",
            None,
            "trap 'echo \"cmd=$BASH_COMMAND\"' DEBUG; true x \"a b\" >/dev/null; trap - DEBUG\ntrap 'echo err=$BASH_COMMAND' ERR; false y\n",
            "cmd=true x \"a b\" > /dev/null\ncmd=trap - DEBUG\nerr=false y\n",
            "",
            1,
        ),
        (
            "call_stack_arrays",
            None,
            "printf 'g() { echo \"${BASH_SOURCE[*]}|${BASH_LINENO[*]}|${FUNCNAME[*]}\"; }\\n' > lib.sh\nf() { echo \"${BASH_SOURCE[*]}|${BASH_LINENO[*]}|${FUNCNAME[*]}\"; g; }\n. ./lib.sh\necho \"top: ${BASH_SOURCE[*]}|${BASH_LINENO[*]}|${FUNCNAME[*]}\"\nf\n",
            "top: s.sh|0|\ns.sh s.sh|5 0|f main\n./lib.sh s.sh s.sh|2 5 0|g f main\n",
            "",
            0,
        ),
        (
            "caller_walks_the_stack",
            None,
            "caller; echo \"top=$?\"; caller 0; echo \"top0=$?\"\nf() { caller; caller 0; caller 1; echo \"c1=$?\"; caller 2; echo \"c2=$?\"; }\ng() { f; }\ng\ncaller x; echo $?\n",
            "0 NULL\ntop=0\ntop0=1\n3 s.sh\n3 g s.sh\n4 main s.sh\nc1=0\nc2=1\n2\n",
            "s.sh: line 5: caller: x: invalid number\ncaller: usage: caller [expr]\n",
            0,
        ),
        (
            "errors_name_the_sourced_file",
            None,
            "printf 'echo $((1/0)); echo a\\necho b\\n' > d.sh\nh() { echo $((1/0)); }\n. ./d.sh\necho after $?\n",
            "b\nafter 0\n",
            "./d.sh: line 1: 1/0: division by 0 (error token is \"0\")\n",
            0,
        ),
        (
            "bash_subshell_counts_nesting",
            None,
            "echo $BASH_SUBSHELL $(echo $BASH_SUBSHELL) $( (echo $BASH_SUBSHELL) ); (echo $BASH_SUBSHELL)\n",
            "0 1 2\n1\n",
            "",
            0,
        ),
        (
            "epoch_and_srandom",
            None,
            "[[ $EPOCHSECONDS =~ ^[0-9]+$ ]] && echo s\n[[ $EPOCHREALTIME =~ ^[0-9]+[.][0-9]{6}$ ]] && echo r\n[[ $SRANDOM =~ ^[0-9]+$ && $SRANDOM != \"$SRANDOM\" ]] || echo n\n",
            "s\nr\n",
            "",
            0,
        ),
        (
            "funcnest_limits_nesting",
            None,
            "FUNCNEST=3; n=0; g() { n=$((n+1)); g; }; g; echo same\necho \"next $? $n\"\n",
            "next 1 3\n",
            "s.sh: line 1: g: maximum function nesting level exceeded (3)\n",
            0,
        ),
    ]);
}

/// Expansions: `${x@K}`, `${x@k}`, `${x@A}` of scalars; brace expansion
/// in `a=(…)` and `declare a=(…)`.
#[test]
fn expansions() {
    check_files(&[
        (
            "transforms_k_and_a_of_scalars",
            None,
            "empty=; x=x; echo ${x@K} ${empty@K} ${undef@K} ${x@k}\necho ${x@A} ${empty@A} ${undef@A}\ndeclare -r x; echo ${x@A}; declare -i n=3; echo ${n@A}\n",
            "'x' '' 'x'\nx='x' empty=''\ndeclare -r x='x'\ndeclare -i n='3'\n",
            "",
            0,
        ),
        (
            "brace_expansion_in_array_assignments",
            None,
            "a=({1..3}); echo \"${a[@]}\"; declare -a b=({1..3} x{a,b}); echo \"${b[@]}\"; c=(\"{a,b}\" \\{x,y\\}); echo \"${c[@]}\"\n",
            "1 2 3\n1 2 3 xa xb\n{a,b} {x,y}\n",
            "",
            0,
        ),
    ]);
}
