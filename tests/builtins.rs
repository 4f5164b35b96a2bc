//! Builtins end to end: `read`, `printf`, `getopts`, `kill`, `jobs`,
//! `let`, `declare`, `help`, `ulimit`, `builtin`, with their exact
//! stdout, stderr and exit status.
#![allow(clippy::unwrap_used)]

mod common;
use common::{Case, check_cases};

fn check(cases: &[Case]) {
    check_cases("", cases);
}

#[test]
fn read_splits_and_assigns() {
    check(&[
        (
            "last_name_takes_the_rest",
            "echo ' a  b  c d ' | { read x y; echo \"[$x][$y]\"; }",
            "[a][b  c d]\n",
            "",
            0,
        ),
        (
            "missing_fields_are_emptied",
            "y=old; echo a | { read x y; echo \"[$x][$y]\"; }",
            "[a][]\n",
            "",
            0,
        ),
        (
            "reply_is_not_trimmed",
            "echo '  a b  ' | { read; echo \"[$REPLY]\"; }",
            "[  a b  ]\n",
            "",
            0,
        ),
        (
            "backslash_quotes_without_r",
            "echo 'a\\ b\\\\c' | { read x y; echo \"[$x][$y]\"; }",
            "[a b\\c][]\n",
            "",
            0,
        ),
        (
            "raw_keeps_backslashes",
            "echo 'a\\ b' | { read -r x y; echo \"[$x][$y]\"; }",
            "[a\\][b]\n",
            "",
            0,
        ),
        (
            "backslash_newline_continues",
            "printf 'one\\\\\\ntwo\\n' | { read x; echo \"[$x]\"; }",
            "[onetwo]\n",
            "",
            0,
        ),
        (
            "non_space_ifs_keeps_empty_fields",
            "echo 'a::b:' | { IFS=: read x y z; echo \"[$x][$y][$z]\"; }",
            "[a][][b]\n",
            "",
            0,
        ),
        (
            "single_trailing_delimiter_dropped",
            "echo 'a:b:' | { IFS=: read x y; echo \"[$x][$y]\"; }",
            "[a][b]\n",
            "",
            0,
        ),
        (
            "empty_ifs_keeps_line_whole",
            "echo ' a b ' | { IFS= read x; echo \"[$x]\"; }",
            "[ a b ]\n",
            "",
            0,
        ),
        (
            "eof_without_newline_assigns_and_fails",
            "printf 'ZZZ' | { read x; echo \"$? [$x]\"; }",
            "1 [ZZZ]\n",
            "",
            0,
        ),
        (
            "empty_input_fails",
            "read x < /dev/null; echo \"$? [$x]\"",
            "1 []\n",
            "",
            0,
        ),
        (
            "readonly_target_is_an_error",
            "readonly r=1; echo v | read r; echo $?",
            "2\n",
            "pidsh: line 1: r: readonly variable\n",
            0,
        ),
        (
            "invalid_name_is_an_error",
            "echo v | read 'a-b'; echo $?",
            "1\n",
            "pidsh: line 1: read: `a-b': not a valid identifier\n",
            0,
        ),
    ]);
}

#[test]
fn read_options() {
    check(&[
        (
            "n_counts_characters",
            "echo 'héllo' | { read -n 2 x; echo \"[$x]\"; }",
            "[hé]\n",
            "",
            0,
        ),
        (
            "n_stops_at_delimiter",
            "echo 'ab' | { read -n 5 x; echo \"$? [$x]\"; }",
            "0 [ab]\n",
            "",
            0,
        ),
        (
            "n_zero_reads_nothing",
            "echo 'ab' | { read -n 0 x; echo \"$? [$x]\"; }",
            "0 []\n",
            "",
            0,
        ),
        (
            "big_n_ignores_delimiter",
            "printf 'a\\nb\\nc' | { read -N 3 x; echo \"[$x]\"; }",
            "[a\nb]\n",
            "",
            0,
        ),
        (
            "d_sets_the_delimiter",
            "printf 'a,b:c' | { IFS=, read -d : x y; echo \"$? [$x][$y]\"; }",
            "0 [a][b]\n",
            "",
            0,
        ),
        (
            "d_empty_is_nul",
            "printf 'a b\\0c' | { read -r -d '' x; echo \"[$x]\"; }",
            "[a b]\n",
            "",
            0,
        ),
        (
            "u_reads_another_fd",
            "read -u 3 x 3<<EOF\nhi\nEOF\necho \"[$x]\"",
            "[hi]\n",
            "",
            0,
        ),
        (
            "u_closed_fd",
            "read -u 7 x; echo $?",
            "1\n",
            "pidsh: line 1: read: 7: invalid file descriptor: Bad file descriptor\n",
            0,
        ),
        (
            "t_zero_polls",
            "read -t 0 < /dev/null; echo $?",
            "0\n",
            "",
            0,
        ),
        (
            "t_times_out_with_142",
            "sleep 1 | { read -t 0.1 x; echo $?; }",
            "142\n",
            "",
            0,
        ),
        (
            "p_prompt_only_on_a_terminal",
            "echo hi | { read -p 'P> ' x; echo \"[$x]\"; }",
            "[hi]\n",
            "",
            0,
        ),
        (
            "print_shows_what_expands",
            "set -o history; history -s x; history -p a '!nope' b '!x:s/x/y/'; echo st=$?",
            "a\nb\ny\nst=1\n",
            "pidsh: line 1: history: !nope: history expansion failed\n",
            0,
        ),
        (
            "bundled_options",
            "echo hi | { read -rn1 x; echo \"[$x]\"; }",
            "[h]\n",
            "",
            0,
        ),
        (
            "negative_count_is_usage_error",
            "read -n -1; echo $?",
            "2\n",
            "pidsh: line 1: read: -1: invalid number\n",
            0,
        ),
        (
            "bad_timeout_is_usage_error",
            "read -t x; echo $?",
            "2\n",
            "pidsh: line 1: read: x: invalid timeout specification\n",
            0,
        ),
        (
            "unknown_option_prints_usage",
            "read -q; echo $?",
            "2\n",
            "pidsh: line 1: read: -q: invalid option\nread: usage: read [-Eers] [-a array] [-d delim] [-i text] [-n nchars] [-N nchars] [-p prompt] [-t timeout] [-u fd] [name ...]\n",
            0,
        ),
        (
            "directory_is_a_read_error",
            "mkdir d; read x < d; echo $?",
            "1\n",
            "pidsh: line 1: read: read error: 0: Is a directory\n",
            0,
        ),
    ]);
}

#[test]
fn read_leaves_the_rest_of_the_input() {
    check(&[
        (
            "while_read_loop_over_file",
            "printf 'a\\nb\\n' > f; while read l; do echo \"<$l>\"; done < f",
            "<a>\n<b>\n",
            "",
            0,
        ),
        (
            "rest_of_regular_file_for_next_command",
            "printf '1\\n2\\n3\\n' > f; { read a; cat; } < f",
            "2\n3\n",
            "",
            0,
        ),
        (
            "rest_of_pipe_for_next_command",
            "printf '1\\n2\\n3\\n' | { read a; cat; }",
            "2\n3\n",
            "",
            0,
        ),
        (
            "two_reads_from_one_file",
            "printf 'x y\\nz\\n' > f; { read a b; read c; echo \"$a|$b|$c\"; } < f",
            "x|y|z\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn printf_conversions() {
    check(&[
        (
            "strings_with_width_and_precision",
            "printf '[%5s][%-5s][%.2s][%6.4s]\\n' abc abc abc spam-eggs",
            "[  abc][abc  ][ab][  spam]\n",
            "",
            0,
        ),
        (
            "star_width_and_precision",
            "printf '[%*.*s]\\n' 9 3 hello",
            "[      hel]\n",
            "",
            0,
        ),
        (
            "integers",
            "printf '%d %i %u %o %x %X\\n' 42 -42 42 42 255 255",
            "42 -42 42 52 ff FF\n",
            "",
            0,
        ),
        (
            "integer_flags",
            "printf '[%05d][%-4d][%+d][% d][%.3d][%#x][%#o]\\n' 42 7 5 5 7 42 8",
            "[00042][7   ][+5][ 5][007][0x2a][010]\n",
            "",
            0,
        ),
        (
            "numeric_argument_forms",
            "printf '%d %d %d %d\\n' 0x1f 010 \"'a\" ' +7'",
            "31 8 97 7\n",
            "",
            0,
        ),
        (
            "negative_as_unsigned",
            "printf '%u %x\\n' -1 -1",
            "18446744073709551615 ffffffffffffffff\n",
            "",
            0,
        ),
        (
            "floats",
            "printf '%f %.2f %e %E %g %G\\n' 3.14159 3.14159 3.14 3.14 0.0001 1e-10",
            "3.141590 3.14 3.140000e+00 3.140000E+00 0.0001 1E-10\n",
            "",
            0,
        ),
        (
            "char_is_first_byte",
            "printf '%c%c|\\n' ABC x",
            "Ax|\n",
            "",
            0,
        ),
        ("percent_literal", "printf '100%%\\n'", "100%\n", "", 0),
        (
            "b_interprets_escapes",
            "printf '[%b]\\n' 'a\\tb\\0101\\x41'",
            "[a\tbAA]\n",
            "",
            0,
        ),
        (
            "b_backslash_c_stops_everything",
            "printf '%b|%s\\n' 'ab\\cd' x; echo \" $?\"",
            "ab 0\n",
            "",
            0,
        ),
        (
            "q_quotes_for_reuse",
            "printf '%q %q %q\\n' plain 'a b' \"it's\"",
            "plain a\\ b it\\'s\n",
            "",
            0,
        ),
        (
            "q_uses_dollar_quotes_for_controls",
            "printf '%q\\n' \"$(printf 'a\\tb')\"",
            "$'a\\tb'\n",
            "",
            0,
        ),
        (
            "format_escapes",
            "printf 'a\\tb\\101\\x42\\u00e9\\Z\\n'",
            "a\tbAB\u{e9}\\Z\n",
            "",
            0,
        ),
        (
            "format_reused_for_extra_args",
            "printf -- '-%s-%s-\\n' a b c",
            "-a-b-\n-c--\n",
            "",
            0,
        ),
        (
            "missing_args_are_empty_or_zero",
            "printf '[%s][%d]\\n'",
            "[][0]\n",
            "",
            0,
        ),
        (
            "format_without_conversions_printed_once",
            "printf x y z; echo",
            "x\n",
            "",
            0,
        ),
        (
            "v_assigns_instead_of_printing",
            "printf -v out '%05.1f' 3.14159; echo \"[$out]\"",
            "[003.1]\n",
            "",
            0,
        ),
        (
            "strftime",
            "TZ=UTC printf '%(%Y-%m-%d)T\\n' 0",
            "1970-01-01\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn printf_errors() {
    check(&[
        (
            "no_arguments_is_usage",
            "printf; echo $?",
            "2\n",
            "printf: usage: printf [-v var] format [arguments]\n",
            0,
        ),
        (
            "invalid_number_still_prints",
            "printf '%d\\n' 3abc; echo $?",
            "3\n1\n",
            "pidsh: line 1: printf: 3abc: invalid number\n",
            0,
        ),
        (
            "not_a_number_is_zero",
            "printf '%d\\n' xyz; echo $?",
            "0\n1\n",
            "pidsh: line 1: printf: xyz: invalid number\n",
            0,
        ),
        (
            "overflow_clamps_with_warning",
            "printf '%d\\n' 99999999999999999999; echo $?",
            "9223372036854775807\n0\n",
            "pidsh: line 1: printf: warning: 99999999999999999999: Numerical result out of range\n",
            0,
        ),
        (
            "invalid_conversion_stops",
            "printf 'a%kb\\n' 1; echo \" $?\"",
            "a 1\n",
            "pidsh: line 1: printf: `k': invalid format character\n",
            0,
        ),
        (
            "missing_conversion_stops",
            "printf 'a%5'; echo \" $?\"",
            "a 1\n",
            "pidsh: line 1: printf: `%5': missing format character\n",
            0,
        ),
        (
            "v_needs_a_name",
            "printf -v 'a[' x; echo $?",
            "2\n",
            "pidsh: line 1: printf: `a[': not a valid identifier\n",
            0,
        ),
        (
            "huge_star_width_does_not_panic",
            "printf '%*d' 99999999999999999999 1 | wc -c",
            "16777216\n",
            "pidsh: line 1: printf: warning: 99999999999999999999: Numerical result out of range\n",
            0,
        ),
    ]);
}

#[test]
fn getopts_parses_options() {
    check(&[
        (
            "loop_with_argument_and_operands",
            "set -- -h -c foo x y; while getopts hc: o; do echo \"$o ${OPTARG-}\"; done; shift $((OPTIND-1)); echo \"$OPTIND $*\"",
            "h \nc foo\n4 x y\n",
            "",
            0,
        ),
        (
            "bundle_keeps_optind",
            "getopts abc: o -abc10; echo \"$OPTIND $o\"; getopts abc: o -abc10; echo \"$OPTIND $o\"; getopts abc: o -abc10; echo \"$OPTIND $o $OPTARG\"",
            "1 a\n1 b\n2 c 10\n",
            "",
            0,
        ),
        (
            "end_sets_question_mark",
            "getopts a o; echo \"$? $o\"",
            "1 ?\n",
            "",
            0,
        ),
        (
            "double_dash_ends_options",
            "set -- -a -- -b; while getopts ab o; do echo $o; done; echo $OPTIND",
            "a\n3\n",
            "",
            0,
        ),
        (
            "unknown_option_reported",
            "set -- -Z; getopts a o; echo \"$? $o [${OPTARG-unset}]\"",
            "0 ? [unset]\n",
            "pidsh: illegal option -- Z\n",
            0,
        ),
        (
            "missing_argument_reported",
            "set -- -a; getopts a: o; echo \"$? $o\"",
            "0 ?\n",
            "pidsh: option requires an argument -- a\n",
            0,
        ),
        (
            "silent_unknown_option",
            "set -- -Z; getopts :a o; echo \"$o $OPTARG\"",
            "? Z\n",
            "",
            0,
        ),
        (
            "silent_missing_argument",
            "set -- -a; getopts :a: o; echo \"$o $OPTARG\"",
            ": a\n",
            "",
            0,
        ),
        (
            "invalid_name",
            "getopts a 'o-' -a; echo $?",
            "2\n",
            "pidsh: line 1: getopts: `o-': not a valid identifier\n",
            0,
        ),
        (
            "local_optind_in_function",
            "f() { local OPTIND=1; while getopts s o \"$@\"; do echo \"loop $OPTIND\"; done; }; f -s",
            "loop 2\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn kill_and_jobs() {
    check(&[
        (
            "term_by_number",
            "sleep 5 & pid=$!; kill -15 $pid; echo $?; wait $pid; echo $?",
            "0\n143\n",
            "",
            0,
        ),
        (
            "kill_by_name_any_case",
            "sleep 5 & kill -sigKill $!; wait $!; echo $?",
            "137\n",
            "",
            0,
        ),
        (
            "s_and_n_forms",
            "sleep 5 & kill -s TERM $!; wait $!; echo $?; sleep 5 & kill -n 9 $!; wait $!; echo $?",
            "143\n137\n",
            "",
            0,
        ),
        (
            "job_spec",
            "sleep 5 & kill %1; echo $?; wait $!; echo $?",
            "0\n143\n",
            "",
            0,
        ),
        (
            "current_job_spec",
            "sleep 5 & sleep 5 & kill %% %-; echo $?; wait",
            "0\n",
            "",
            0,
        ),
        (
            "no_such_job",
            "kill %3; echo $?",
            "1\n",
            "pidsh: line 1: kill: %3: no such job\n",
            0,
        ),
        (
            "no_such_process",
            "kill 2147483000; echo $?",
            "1\n",
            "pidsh: line 1: kill: (2147483000) - No such process\n",
            0,
        ),
        (
            "not_a_pid",
            "kill HUP; echo $?",
            "1\n",
            "pidsh: line 1: kill: `HUP': not a pid or valid job spec\n",
            0,
        ),
        (
            "invalid_signal",
            "kill -9999 1; echo $?",
            "1\n",
            "pidsh: line 1: kill: 9999: invalid signal specification\n",
            0,
        ),
        (
            "no_operands_is_usage",
            "kill; echo $?",
            "2\n",
            "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n",
            0,
        ),
        (
            "list_translates",
            "kill -l 10 SIGSEGV 134 0",
            "USR1\n11\nABRT\nEXIT\n",
            "",
            0,
        ),
        (
            "list_invalid",
            "kill -l 128; echo $?",
            "1\n",
            "pidsh: line 1: kill: 128: invalid signal specification\n",
            0,
        ),
        (
            "list_table",
            "kill -l | head -1",
            " 1) SIGHUP\t 2) SIGINT\t 3) SIGQUIT\t 4) SIGILL\t 5) SIGTRAP\n",
            "",
            0,
        ),
        (
            "jobs_lists_running",
            "sleep 5 & sleep 5 & jobs; kill %1 %2",
            "[1]-  Running                 sleep 5 &\n[2]+  Running                 sleep 5 &\n",
            "",
            0,
        ),
        (
            "fg_needs_job_control",
            "fg; echo $?",
            "1\n",
            "pidsh: line 1: fg: no job control\n",
            0,
        ),
    ]);
}

#[test]
fn let_declare_and_small_builtins() {
    check(&[
        (
            "let_status_follows_last_value",
            "let 'x=2*3' 'x-6'; echo \"$? $x\"; let x; echo $?",
            "1 6\n0\n",
            "",
            0,
        ),
        (
            "let_without_arguments",
            "let; echo $?",
            "1\n",
            "pidsh: line 1: let: expression expected\n",
            0,
        ),
        (
            "declare_in_function_is_local",
            "f() { declare x=1; echo $x; }; x=g; f; echo $x",
            "1\ng\n",
            "",
            0,
        ),
        (
            "declare_g_is_global",
            "f() { declare -g x=1; }; f; echo $x",
            "1\n",
            "",
            0,
        ),
        (
            "declare_x_exports",
            "declare -x V=1; sh -c 'echo $V'",
            "1\n",
            "",
            0,
        ),
        (
            "declare_r_is_readonly",
            "declare -r R=1; R=2; echo $R",
            "",
            "pidsh: line 1: R: readonly variable\n",
            1,
        ),
        (
            "declare_i_evaluates",
            "declare -i n=2+3; echo $n",
            "5\n",
            "",
            0,
        ),
        (
            "declare_p_prints",
            "x='a \"b\"'; export y=2; declare -p x y",
            "declare -- x=\"a \\\"b\\\"\"\ndeclare -x y=\"2\"\n",
            "",
            0,
        ),
        (
            "typeset_p_missing",
            "typeset -p nosuch; echo $?",
            "1\n",
            "pidsh: line 1: typeset: nosuch: not found\n",
            0,
        ),
        (
            "declare_f_prints_definitions",
            "f() { echo hi; }; declare -f f",
            "f () \n{ \n    echo hi\n}\n",
            "",
            0,
        ),
        (
            "declare_F_lists_names",
            "g() { :; }; f() { :; }; declare -F",
            "declare -f f\ndeclare -f g\n",
            "",
            0,
        ),
        (
            "builtin_skips_functions",
            "echo() { :; }; builtin echo hi",
            "hi\n",
            "",
            0,
        ),
        (
            "builtin_unknown",
            "builtin nosuch; echo $?",
            "1\n",
            "pidsh: line 1: builtin: nosuch: not a shell builtin\n",
            0,
        ),
        (
            "help_prints_usage_of_prefix_match",
            "help getop",
            "getopts: getopts optstring name [arguments]\n    Parse option arguments one at a time.\n",
            "",
            0,
        ),
        (
            "dash_dash_help_prints_the_usage_and_fails_with_2",
            "getopts --help; echo $?; export --help >/dev/null; echo $?; echo --help; true --help; echo $?",
            "getopts: getopts optstring name [arguments]\n    Parse option arguments one at a time.\n2\n2\n--help\n0\n",
            "",
            0,
        ),
        (
            "help_lists_every_builtin_with_a_summary",
            "help | grep -c '^[^ ]* *[A-Z].*\\.$'",
            "62\n",
            "",
            0,
        ),
        (
            "ulimit_sets_and_shows",
            "ulimit -c 0; ulimit -c",
            "0\n",
            "",
            0,
        ),
        (
            "ulimit_all_lines_up",
            "ulimit -a | grep -c '^open files                          (-n) [0-9u]'",
            "1\n",
            "",
            0,
        ),
        (
            "ulimit_bad_option",
            "ulimit -Z; echo $?",
            "2\n",
            "pidsh: line 1: ulimit: -Z: invalid option\nulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]\n",
            0,
        ),
        (
            "ulimit_in_subshell_sets_soft_only",
            "h=$(ulimit -Hc); (ulimit -c 0); test \"$(ulimit -Hc)\" = \"$h\" && echo same",
            "same\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn declare_attributes_namerefs_and_appends() {
    // Each expected output checked against bash.
    check(&[
        (
            "nameref_passes_an_array_by_name",
            "f() { local -n arr=$1; arr+=(x); echo \"${#arr[@]} ${arr[0]}\"; }\na=(1 2); f a; echo \"${a[@]}\"",
            "3 1\n1 2 x\n",
            "",
            0,
        ),
        (
            "nameref_reads_writes_and_names_its_target",
            "declare -n r=v; v=5; echo $r; r=7; echo $v ${!r}; declare -p r",
            "5\n7 v\ndeclare -n r=\"v\"\n",
            "",
            0,
        ),
        (
            "nameref_to_an_element",
            "a=(x y z); declare -n r='a[1]'; echo \"<$r>\"; r=Y; echo ${a[@]}; declare -A m=([k]=v); declare -n q='m[k]'; q=w; echo ${m[k]}",
            "<y>\nx Y z\nw\n",
            "",
            0,
        ),
        (
            "bad_nameref_targets",
            "declare -n r=r; echo $?; declare -n s='a b'; echo $?",
            "1\n1\n",
            "pidsh: line 1: declare: r: nameref variable self references not allowed\npidsh: line 1: declare: `a b': invalid variable name for name reference\n",
            0,
        ),
        (
            "unset_goes_through_unset_n_does_not",
            "declare -n r=v; v=1; unset r; echo \"v=${v-unset}\"; unset -n r; echo \"r=${r-unset}\"",
            "v=unset\nr=unset\n",
            "",
            0,
        ),
        (
            "integer_attribute_evaluates_assignments",
            "declare -i n=1+2; echo $n; n+=4; echo $n; n=n*2; echo $n; declare -p n",
            "3\n7\n14\ndeclare -i n=\"14\"\n",
            "",
            0,
        ),
        (
            "set_and_declare_p_print_arrays_as_bash_does",
            "a=(1 \"2 3\"); declare -A m=([k]=v); set | grep -E '^(a|m)='; declare -p m",
            "a=([0]=\"1\" [1]=\"2 3\")\nm=([k]=\"v\" )\ndeclare -A m=([k]=\"v\" )\n",
            "",
            0,
        ),
        (
            "case_attributes",
            "declare -l lo=HeLLo; declare -u up; up=abc; echo $lo $up; declare -p lo up",
            "hello ABC\ndeclare -l lo=\"hello\"\ndeclare -u up=\"ABC\"\n",
            "",
            0,
        ),
        (
            "local_takes_declare_options",
            "g() { local -i k=2*3; local s=foo; s+=bar; local -a la=(3 4); echo $k $s ${la[1]}; }; g; echo \"la=${la-none}\"",
            "6 foobar 4\nla=none\n",
            "",
            0,
        ),
        (
            "export_and_readonly_append",
            "export PA=a; export PA+=:b; readonly RO+=y; echo $PA $RO; /usr/bin/env | grep '^PA='",
            "a:b y\nPA=a:b\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn directory_stack() {
    // Each expected output checked against bash.
    check(&[
        (
            "push_rotate_pop",
            "cd /; pushd /tmp; pushd /usr; dirs -v; pushd; dirs; pushd +1; popd; dirs -p; popd; popd; echo st=$?",
            "/tmp /\n/usr /tmp /\n 0  /usr\n 1  /tmp\n 2  /\n/tmp /usr /\n/tmp /usr /\n/usr / /tmp\n/ /tmp\n/\n/tmp\n/tmp\nst=1\n",
            "pidsh: line 1: popd: directory stack empty\n",
            0,
        ),
        (
            "usage_errors",
            "pushd a b; echo $?; popd a; echo $?; pushd; echo $?",
            "1\n2\n1\n",
            "pidsh: line 1: pushd: too many arguments\npidsh: line 1: popd: a: invalid argument\npopd: usage: popd [-n] [+N | -N]\npidsh: line 1: pushd: no other directory\n",
            0,
        ),
        (
            "no_change_tilde_and_cd_replacing_the_top",
            "cd /tmp; pushd -n /usr; pwd; popd -n; cd /; HOME=/tmp; cd; pushd /; dirs -l; pushd /nonexist; echo $?",
            "/tmp /usr\n/tmp\n/tmp\n/ ~\n/ /tmp\n1\n",
            "pidsh: line 1: pushd: /nonexist: No such file or directory\n",
            0,
        ),
    ]);
}

#[test]
fn debug_return_and_err_traps() {
    // Expected output checked against bash.
    check(&[
        (
            "debug_return_err",
            "trap 'echo \"  [$LINENO]\"' DEBUG\necho a\nfor x in 1 2; do\n  echo x=$x\ndone\nf() { echo in-f; }\nf\ntrap - DEBUG\ntrap 'echo ret $?' RETURN\ng() { return 3; }\ng\necho after $?\nh() { trap 'echo h-returns' RETURN; echo in-h; }\nh\ntrap 'echo \"err at $LINENO\"' ERR\nfalse\ntrue\n",
            "  [2]\na\n  [3]\n  [4]\nx=1\n  [3]\n  [4]\nx=2\n  [7]\nin-f\n  [8]\nafter 3\nin-h\nh-returns\nerr at 16\n",
            "",
            0,
        ),
        (
            "debug_trap_status_is_not_dollar_question_and_return_ends_it",
            "trap 'echo dbg; false' DEBUG\necho status=$?\n",
            "dbg\nstatus=0\n",
            "",
            0,
        ),
        (
            "set_t_lets_functions_inherit_debug",
            "set -T; trap 'echo dbg' DEBUG; f() { :; }; f",
            "dbg\ndbg\ndbg\n",
            "",
            0,
        ),
        (
            "trap_l_lists_signals",
            "trap -l | grep -c SIGINT",
            "1\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn history_builtin() {
    // Each expected output checked against bash (except where bash, not
    // interactive, ignores a missing HISTFILE).
    check(&[
        (
            "add_list_delete",
            "history -s a b; history -s c; history; history 1; history -d -1; history",
            "    1  a b\n    2  c\n    2  c\n    1  a b\n",
            "",
            0,
        ),
        (
            "write_and_read_a_file",
            "history -s one; history -s two; history -w h; history -c; history; history -r h; history; cat h",
            "    1  one\n    2  two\none\ntwo\n",
            "",
            0,
        ),
        (
            "errors",
            "history -z; echo $?; history -d 9; echo $?; history x; echo $?; unset HISTFILE; history -a; echo $?",
            "2\n1\n2\n1\n",
            "pidsh: line 1: history: -z: invalid option\nhistory: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]\npidsh: line 1: history: 9: history position out of range\npidsh: line 1: history: x: numeric argument required\npidsh: line 1: history: HISTFILE is not set\n",
            0,
        ),
        (
            "usage_errors_as_bash",
            "history -5; echo st=$?\nhistory -a -r; echo st=$?\nhistory 3 extra; echo not-reached\necho st=$?",
            "st=2\nst=1\nst=2\n",
            "pidsh: line 1: history: -5: invalid option\nhistory: usage: history [-c] [-d offset] [n] or history -anrw [filename] or history -ps arg [arg...]\npidsh: line 2: history: cannot use more than one of -anrw\npidsh: line 3: history: too many arguments\n",
            0,
        ),
        (
            "bundled_options",
            "history -s a; history -s b; history -d1; history; history -cs c; history; history -dc; echo st=$?",
            "    1  b\n    1  c\nst=1\n",
            "pidsh: line 1: history: c: invalid number\n",
            0,
        ),
    ]);
}

#[test]
fn bind_sets_readline_variables_and_key_bindings() {
    // Checked against bash, but for sequences of several keys and the
    // listings of bindings, which pidsh refuses.
    check(&[
        (
            "variables_listed_and_set",
            "bind 'set editing-mode vi' 'set bell-style none' 'set Mark-Directories 0' 2>/dev/null\n\
             bind -v 2>/dev/null | grep -E 'editing|keymap|bell-style|mark-dir'; bind -V 2>/dev/null | head -1; bind -v 2>/dev/null | wc -l",
            "set mark-directories off\nset bell-style none\nset editing-mode vi\nset keymap vi-insert\n\
             bind-tty-special-chars is set to `on'\n46\n",
            "",
            0,
        ),
        (
            "readline_warnings_do_not_fail",
            "bind 'set foo bar'; echo st=$?",
            "st=0\n",
            "pidsh: line 1: bind: warning: line editing not enabled\nreadline: foo: unknown variable name\n",
            0,
        ),
        (
            "usage_errors",
            "bind -z; echo st=$?; bind -m nokeymap; echo st=$?; bind -f; echo st=$?",
            "st=2\nst=1\nst=2\n",
            "pidsh: line 1: bind: warning: line editing not enabled\npidsh: line 1: bind: -z: invalid option\nbind: usage: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]\npidsh: line 1: bind: warning: line editing not enabled\npidsh: line 1: bind: `nokeymap': invalid keymap name\n\
             pidsh: line 1: bind: warning: line editing not enabled\npidsh: line 1: bind: -f: option requires an argument\nbind: usage: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]\n",
            0,
        ),
        (
            "files_read_and_key_bindings",
            "printf 'set completion-ignore-case on\\n\"\\\\C-t\": transpose-chars\\n' > rc; bind -f rc 2>/dev/null; echo st=$?\n\
             bind -v 2>/dev/null | grep ignore-case; bind -f nofile 2>/dev/null; echo st=$?; bind -x '\"\\C-t\": date' 2>/dev/null; echo st=$?\n\
             bind '\"\\C-x\\C-t\": kill-line' 2>/dev/null; echo st=$?; bind -p 2>/dev/null; echo st=$?",
            "st=0\nset completion-ignore-case on\nst=1\nst=0\nst=1\nst=1\n",
            "",
            0,
        ),
    ]);
}

/// `set -o history` outside an interactive shell: each command read is
/// recorded before it runs (the line that turned it on is not), comment
/// lines are entries, `HISTSIZE` cuts the list at once and numbers go on
/// as bash numbers them. Checked against bash.
#[test]
fn history_in_a_script() {
    let script = "set -o history; echo on\necho a\n# note\nhistory\nhistory -c\n\
                  echo b; echo c\nf() { history 1; }; f\nHISTSIZE=2\necho d\nhistory\n";
    let expected = "on\na\n    1  echo a\n    2  # note\n    3  history\nb\nc\n\
                    \x20   2  f() { history 1; }; f\nd\n    3  echo d\n    4  history\n";
    for run in [common::run_file(script, None), common::run_c(script)] {
        assert_eq!((run.stdout.as_str(), run.status), (expected, 0), "{run:?}");
    }
}

/// Assigning `HISTFILESIZE` cuts the history file at once, as bash does.
#[test]
fn histfilesize_cuts_the_file_when_assigned() {
    let run = common::run_c(
        "printf 'cmd %s\\n' 1 2 3 4 5 > h; HISTFILE=h; HISTFILESIZE=2; cat h; HISTFILESIZE=x; wc -l < h",
    );
    assert_eq!(run.stdout, "cmd 4\ncmd 5\n2\n", "{run:?}");
}

#[test]
fn type_options() {
    // Each expected output checked against bash.
    check(&[
        (
            "all_meanings_and_paths",
            "mkdir d; printf '#!/bin/sh\\n' > d/pwd; chmod +x d/pwd; PATH=$PWD/d:$PATH\nf() { :; }\ntype -a -t f pwd | head -3; type -ap pwd | head -1 | sed 's|.*/||'; type -P pwd | sed 's|.*/||'",
            "function\nbuiltin\nfile\npwd\npwd\n",
            "",
            0,
        ),
        (
            "p_and_capital_p_on_builtins",
            "type -p cd; echo st=$?; type -P cd; echo st=$?; f() { :; }; type -f f; echo st=$?",
            "st=0\nst=1\nst=1\n",
            "pidsh: line 1: type: f: not found\n",
            0,
        ),
    ]);
}

#[test]
fn unset_and_dynamic_scope() {
    // Each expected output checked against bash.
    check(&[
        (
            "unset_in_the_same_function_leaves_it_unset",
            "x=global; f() { local x=foo; unset x; echo \"x=$x\"; }; f; echo after=$x",
            "x=\nafter=global\n",
            "",
            0,
        ),
        (
            "unset_of_a_callers_local_reveals_what_it_shadowed",
            "x=global; g() { unset x; echo in-g=$x; x=new; }; f() { local x=foo; g; echo in-f=$x; }; f; echo after=$x",
            "in-g=global\nin-f=new\nafter=new\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn mapfile_reads_lines_into_arrays() {
    // Each expected output checked against bash.
    check(&[
        (
            "strip_skip_count_origin",
            "printf '1\\n2\\n3\\n4\\n5\\n' > f; mapfile -t -s 1 -n 2 x < f; declare -p x; a=(p q r); mapfile -t -O 1 a < f; declare -p a",
            "declare -a x=([0]=\"2\" [1]=\"3\")\ndeclare -a a=([0]=\"p\" [1]=\"1\" [2]=\"2\" [3]=\"3\" [4]=\"4\" [5]=\"5\")\n",
            "",
            0,
        ),
        (
            "count_leaves_the_rest_of_the_input",
            "printf '1\\n2\\n3\\n' > f; { mapfile -n 2 -t y; read z; echo \"z=$z ${y[1]}\"; } < f",
            "z=3 2\n",
            "",
            0,
        ),
        (
            "delimiters_default_array_and_kept_newlines",
            "printf 'x:y:z' | { readarray -d : -t w; echo ${w[2]}; }; printf 'a\\nb\\n' | { mapfile; declare -p MAPFILE; }",
            "z\ndeclare -a MAPFILE=([0]=$'a\\n' [1]=$'b\\n')\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn grouped_o_takes_the_next_word() {
    // The strict-mode line of countless scripts (checked against bash).
    check(&[
        (
            "set_euo_pipefail",
            "set -euo pipefail; echo $-; set -o | grep pipefail; false | true; echo not-reached",
            "ehuBc\npipefail       \ton\n",
            "",
            1,
        ),
        (
            "set_plus_euo",
            "set -euo pipefail; set +euo pipefail; false | true; echo $? $-",
            "0 hBc\n",
            "",
            0,
        ),
    ]);
    // The same letters on the command line.
    let out = common::pidsh()
        .args(["-eo", "pipefail", "-c", "false | true; echo not-reached"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn funcname_lists_the_running_functions() {
    // Checked against bash (-c: no `main` at the bottom).
    check(&[(
        "nested",
        "f() { echo \"${FUNCNAME[@]}\" ${#FUNCNAME[@]}; g; }; g() { echo \"$FUNCNAME: ${FUNCNAME[*]} ${FUNCNAME[-1]}\"; }; f; echo \"top:[${FUNCNAME-unset}]\"",
        "f 1\ng: g f f\ntop:[unset]\n",
        "",
        0,
    )]);
}

#[test]
fn unset_expands_a_quoted_subscript() {
    // A stack's pop, as scripts write it (checked against bash).
    check(&[(
        "pop",
        "s=(a b c); unset 's[${#s[@]}-1]'; echo \"${s[@]}\" ${#s[@]}; declare -A m=([k]=v); k=k; unset 'm[$k]'; echo ${#m[@]}",
        "a b 2\n0\n",
        "",
        0,
    )]);
}

#[test]
fn dash_v_sees_array_elements() {
    // Checked against bash.
    check(&[(
        "indexed_and_associative",
        "a=(1 '' 3); i=1; [[ -v a[i] ]] && echo i; [[ -v a[$i] ]] && echo di; test -v 'a[2]' && echo t2; [ -v a[7] ] || echo n7; unset 'a[1]'; [[ -v a[1] ]] || echo gone; declare -A m=([k]=v); [[ -v m[k] ]] && echo k; [[ -v m[z] ]] || echo no-z",
        "i\ndi\nt2\nn7\ngone\nk\nno-z\n",
        "",
        0,
    )]);
}

#[test]
fn err_trap_and_errtrace() {
    // Checked against bash: functions see the ERR trap only under set -E.
    check(&[
        (
            "not_inherited",
            "trap 'echo T' ERR; f() { false; echo in-f; }; f; echo end",
            "in-f\nend\n",
            "",
            0,
        ),
        (
            "errtrace",
            "set -E; trap 'echo T' ERR; f() { false; }; f; echo end",
            "T\nT\nend\n",
            "",
            0,
        ),
        (
            "strict_mode_line",
            "set -Eeuo pipefail; set -o | grep errtrace",
            "errtrace       \ton\n",
            "",
            0,
        ),
    ]);
}
