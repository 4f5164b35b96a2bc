//! The fast path of `$( )`: a substitution of shell code runs on a copy of
//! the state that shares the variables and keeps only its own changes, and
//! the reading that decides whether it must be a process is kept between
//! runs of the same body. Each case changes something inside `$( )` — past
//! the number of changes a copy keeps beside the shared map, in loops that
//! run the same body again, with the code it calls redefined between
//! turns — and shows what the substitution saw and that the shell is
//! untouched (what bash prints, checked by hand).
#![allow(clippy::unwrap_used)]

mod common;

use common::check_stdout_on_backends as check;

#[test]
fn variables_changed_inside_stay_inside() {
    check(&[
        (
            "many_variables",
            r#"x=$(i=0; while [ $i -lt 40 ]; do i=$((i+1)); eval "v$i=$i"; done; echo $v1 $v40); echo "$x [${v1-unset}] [${v40-unset}]""#,
            "1 40 [unset] [unset]\n",
        ),
        (
            "unset_after_many_changes",
            "x=$( i=0; while [ $i -lt 50 ]; do i=$((i+1)); eval \"w$i=$i\"; done; unset w3; echo ${w3-gone} $w50 ); echo $x ${w50-unset}",
            "gone 50 unset\n",
        ),
        (
            "unset_of_the_shells_variables",
            r#"a=1; export b=2; x=$(unset a b; echo "${a-none} ${b-none}"; printenv b || echo gone); echo "$x"; echo $a $b; printenv b"#,
            "none none\ngone\n1 2\n2\n",
        ),
        (
            "export_reaches_its_children_only",
            r#"x=$(export c=3; printenv c); echo "$x ${c-unset}"; printenv c || echo no"#,
            "3 unset\nno\n",
        ),
        (
            "set_lists_the_copy",
            r#"a=1; x=$(b=2; unset a; set | grep -E '^(a|b)='); echo "$x""#,
            "b=2\n",
        ),
        (
            "a_loop_of_substitutions_starts_from_the_shell_each_time",
            "n=0; for i in 1 2 3; do y=$(n=$((n+10)); echo $n); done; echo $y $n",
            "10 0\n",
        ),
        (
            "locals_of_the_calling_function",
            "f() { local v=inner; echo $(echo $v; v=changed); echo $v; }; v=outer; f; echo $v",
            "inner\ninner\nouter\n",
        ),
        (
            "arrays",
            "a=(1 2 3); x=$(a[1]=x; unset 'a[0]'; echo ${a[@]}); echo $x; echo ${a[@]}",
            "x 3\n1 2 3\n",
        ),
        (
            "integer_attribute",
            "declare -i n=5; x=$(n+=1; echo $n); echo $x $n",
            "6 5\n",
        ),
        (
            "nameref",
            "declare -n r=t; t=1; x=$(r=2; echo $t); echo $x $t",
            "2 1\n",
        ),
        (
            "readonly_assignment_fails_and_keeps_the_value",
            r#"readonly r=1; y=$( (r=3) 2>/dev/null; echo "[$r]"); echo "$y""#,
            "[1]\n",
        ),
        (
            "nested",
            "a=1; x=$(a=2; y=$(a=3; echo $a); echo $a $y); echo $x $a",
            "2 3 1\n",
        ),
        (
            "the_shell_changes_variables_while_a_thread_shares_them",
            r#"x=1; exec 3< <(sleep 0.2; echo "in $x"); x=2; i=0; while [ $i -lt 40 ]; do i=$((i+1)); eval "p$i=$i"; done; read -r line <&3; echo "$line $x $p40""#,
            "in 1 2 40\n",
        ),
    ]);
}

#[test]
fn the_rest_of_the_state_stays_inside() {
    check(&[
        (
            "exit_status",
            "x=$(exit 3); echo $?; x=$(echo a; exit 4; echo b); echo \"$x $?\"",
            "3\na 4\n",
        ),
        (
            "exit_trap",
            "trap 'echo parent' EXIT; x=$(trap 'echo sub' EXIT; echo body); echo \"[$x]\"",
            "[body\nsub]\nparent\n",
        ),
        (
            "options",
            "x=$(set -f; echo $-); case $- in *f*) echo leaked;; *) echo kept;; esac",
            "kept\n",
        ),
        (
            "cwd",
            "cd /; x=$(cd /tmp; pwd); echo $x $PWD $(pwd)",
            "/tmp / /\n",
        ),
        (
            "descriptors",
            "x=$(exec 5>/dev/null; echo ok); { echo >&5; } 2>/dev/null || echo closed",
            "closed\n",
        ),
        (
            "functions",
            "x=$(f() { echo g; }; f); f 2>/dev/null || echo nof",
            "nof\n",
        ),
        (
            "limits",
            "x=$(ulimit -n 100; ulimit -n); echo $x; [ \"$(ulimit -n)\" != 100 ] && echo isolated",
            "100\nisolated\n",
        ),
        (
            "random_seeded_inside_and_outside",
            "RANDOM=42; x=$(echo $RANDOM); echo $RANDOM; b=$(RANDOM=42; echo $RANDOM); echo $b",
            "17772\n17772\n",
        ),
    ]);
}

#[test]
fn a_body_run_again_sees_the_code_as_it_is_now() {
    check(&[
        (
            "function_redefined_to_need_a_process",
            r#"f() { echo $$; }; for i in 1 2; do p=$(f); [ "$p" = "$$" ] && echo same || echo differs; f() { echo $BASHPID; }; done"#,
            "same\ndiffers\n",
        ),
        (
            "function_redefined",
            "g() { echo one; }; for i in 1 2 3; do x=$(g); echo $x; g() { echo two; }; done",
            "one\ntwo\ntwo\n",
        ),
        (
            "function_defined_after_the_first_turn",
            "for i in 1 2 3; do x=$(h 2>/dev/null || echo none); echo $x; h() { echo defined; }; done",
            "none\ndefined\ndefined\n",
        ),
        (
            "function_calling_one_that_is_redefined",
            r#"k() { echo $$; }; j() { k; }; for i in 1 2; do p=$(j); [ "$p" = "$$" ] && echo same || echo differs; k() { echo $BASHPID; }; done"#,
            "same\ndiffers\n",
        ),
    ]);
}
