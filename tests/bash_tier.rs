//! bash behaviours the Oils spec suite's bash tier checks and bash 5.2
//! passes: each case runs a script file (`s.sh`) through the real binary
//! and compares stdout, stderr and status exactly with what bash printed
//! for the same file.
#![allow(clippy::unwrap_used)]

mod common;

use common::check_files as check;

/// Expansions, arithmetic, tests and declarations.
#[test]
fn expansions_tests_and_declarations() {
    check(&[
        (
            "brace_ranges_ignore_the_step_sign",
            "echo {1..8..0}\necho {5..1..2}\necho {a..k..-2}\necho {1..3..-1}\necho {Y..b..2}\n",
            "1 2 3 4 5 6 7 8\n5 3 1\na c e g i k\n1 2 3\nY [ ] _ a\n",
            "",
            0,
        ),
        (
            "assoc_keys_in_arithmetic_lose_quotes",
            r#"declare -A A=([spam]=42)
(( x = A['spam'] )); echo $x
echo $(( A["spam"] + 1 ))
"#,
            r#"42
43
"#,
            r#""#,
            0,
        ),
        (
            "debug_trap_runs_for_each_pipeline_stage",
            r#"trap 'echo "  [$LINENO] $BASH_COMMAND"' DEBUG
false | false | false
echo x |
  cat
{ echo a; echo b; } | wc -l
trap - DEBUG
"#,
            r#"  [2] false
  [2] false
  [2] false
  [3] echo x
  [4] cat
x
  [5] wc -l
2
  [6] trap - DEBUG
"#,
            r#""#,
            0,
        ),
        (
            "declare_F_under_extdebug_says_where",
            r#"shopt -s extdebug
add () { :; }

function g {
  :
}
declare -F add g
"#,
            r#"add 2 s.sh
g 4 s.sh
"#,
            r#""#,
            0,
        ),
        (
            "declare_without_value_exists",
            r#"declare x
declare -p x
echo "${x-unset}"
[[ -v x ]]; echo $?
function f { local x; declare -p x; }
x=1
f
"#,
            r#"declare -- x
unset
1
declare -- x
"#,
            r#""#,
            0,
        ),
        (
            "empty_arith_for_condition",
            r#"for (( i=0 ; ; i++ )); do echo $i; [[ $i -ge 2 ]] && break; done
for (( ; ; )); do echo one; break; done
"#,
            r#"0
1
2
one
"#,
            r#""#,
            0,
        ),
        (
            "indirect_attribute_transform",
            r#"a=(1 2 3); declare -A d=([0]=x); declare -i n=1
for r in a 'a[0]' d 'd[0]' n; do echo "${!r@a}"; done
"#,
            r#"a
a
A
A
i
"#,
            r#""#,
            0,
        ),
        (
            "octal_operands_of_dbracket_eq",
            r#"[[ 15 -eq 017 ]] && echo octal
[[ -0123 -eq -83 ]] && echo negative
x=0x0f; [[ $x -eq 15 ]] && echo hex
[[ 010 -lt 9 ]] && echo lt
"#,
            r#"octal
negative
hex
lt
"#,
            r#""#,
            0,
        ),
        (
            "patsub_slash_and_empty_patterns",
            r#"x='/_/'; echo ${x////c} ${x//'/'/c}
x='slash / brace } hi'; echo ${x///}
x=-foo-; echo ${x//$foo$bar/bar} ${x/$foo/b} ${x/#$foo/b} ${x/%/b}
y=a/b; echo ${y///X} ${y////X} ${y/#//X}
"#,
            r#"c_c c_c
slash brace } hi
-foo- -foo- b-foo- -foo-b
a/b aXb /Xa/b
"#,
            r#""#,
            0,
        ),
        (
            "redirection_words_are_brace_expanded",
            r#"echo hi > a-{one,two}; echo status=$?
echo hi > b{1,}; echo status=$?
echo hi > c{1,2}d; echo status=$?
"#,
            r#"status=1
status=1
status=1
"#,
            r#"s.sh: line 1: a-{one,two}: ambiguous redirect
s.sh: line 2: b{1,}: ambiguous redirect
s.sh: line 3: c{1,2}d: ambiguous redirect
"#,
            0,
        ),
        (
            "set_e_ends_the_shell_after_an_error_bash_survives",
            r#"set -e
shopt -s failglob
if echo *.ZZ; then :; fi
echo not reached
"#,
            r#""#,
            r#"s.sh: line 3: no match: *.ZZ
"#,
            1,
        ),
        (
            "substring_without_offset_is_bad",
            r#"s=123; a=(1 2)
echo ${s:}
echo "${a[@]:}"
echo ${s: }
"#,
            r#"123
"#,
            r#"s.sh: line 2: ${s:}: bad substitution
s.sh: line 3: ${a[@]:}: bad substitution
"#,
            0,
        ),
        (
            "v_with_arithmetic_subscripts",
            r#"a=(1 2 3 ''); i=1
test -v 'a[1+1]'; echo $?
test -v 'a[4+1]'; echo $?
[[ -v a[i+2] ]]; echo $?
[[ -v a[-1] ]]; echo $?
[[ -v a[-5] ]]; echo $?
declare -A m=([k]=v); [[ -v m[k] ]]; echo $?; [[ -v m[j] ]]; echo $?
"#,
            r#"0
1
0
0
1
0
1
"#,
            r#"s.sh: line 6: a: bad array subscript
"#,
            0,
        ),
    ]);
}

/// The arrays bash computes when they are read: `BASH_ARGV`, `BASH_ARGC`
/// (under `extdebug`), `DIRSTACK`, `FUNCNAME`; and arrays made from
/// scalars.
#[test]
fn computed_arrays() {
    check(&[
        (
            "dirstack_elements_change_the_stack",
            "cd /\npushd /tmp >/dev/null\npushd /usr >/dev/null\nDIRSTACK[2]=/etc\ndirs\npushd +9\npopd -9\ndirs 7 2>/dev/null; echo $?\n",
            "/usr /tmp /etc\n2\n",
            "s.sh: line 6: pushd: +9: directory stack index out of range\ns.sh: line 7: popd: -9: directory stack index out of range\n",
            0,
        ),
        (
            "bash_argv_and_argc_under_extdebug",
            r#"f() { echo "[${BASH_ARGV[*]}] [${BASH_ARGC[*]}]"; g x; }
g() { echo "[${BASH_ARGV[*]}] [${BASH_ARGC[*]}] ${#BASH_ARGV[@]}"; }
f a b
shopt -s extdebug
f a b
echo "[${BASH_ARGV[*]}] [${BASH_ARGC[*]}]"
"#,
            r#"[] []
[] [] 0
[b a] [2 0]
[x b a] [1 2 0] 3
[] [0]
"#,
            r#""#,
            0,
        ),
        (
            "declare_a_keeps_the_scalar_as_element_0",
            r#"a=abcde; declare -a a; echo ${a[0]} ${#a[@]}
h=x; declare -A h; declare -p h
declare -a e; declare -p e
"#,
            r#"abcde 1
declare -A h=([0]="x" )
declare -a e
"#,
            r#""#,
            0,
        ),
        (
            "dirstack_and_call_stack_arrays",
            r#"cd /
pushd /tmp >/dev/null
echo "${DIRSTACK[@]}" ${#DIRSTACK[@]}
f() { declare -p FUNCNAME; }
f
declare -p FUNCNAME
declare -a | grep -e FUNCNAME -e BASH_LINENO
"#,
            r#"/tmp / 2
declare -a FUNCNAME=([0]="f" [1]="main")
declare -a FUNCNAME
declare -a BASH_LINENO=([0]="0")
declare -a FUNCNAME
"#,
            r#""#,
            0,
        ),
    ]);
}

/// Grammar and builtins bash 5.3 accepts: `! !`, `time time`, the order
/// of `complete -p`, `compgen -V`, help topics.
#[test]
fn grammar_and_completion_builtins() {
    check(&[
        (
            "complete_p_lists_in_bash_table_order",
            r#"complete -f cat; complete -d cd; complete -c eval; complete -v -S '=' declare
complete -A signal kill; complete -j -P '%' fg; complete -a unalias
complete -p
"#,
            r#"complete -a unalias
complete -d cd
complete -A signal kill
complete -c eval
complete -j -P '%' fg
complete -v -S '=' declare
complete -f cat
"#,
            r#""#,
            0,
        ),
        (
            "double_negation_and_repeated_time",
            r#"TIMEFORMAT=
!
echo $?
! !
echo $?
! ! true
echo $?
time time echo a
time -p -- echo b 2>/dev/null
"#,
            r#"1
0
0
a
b
"#,
            r#"real 0.00
user 0.00
sys 0.00
"#,
            0,
        ),
        (
            "compgen_v_stores_the_matches_in_an_array",
            "alias fee=1 fi=2 fo=3\ncompgen -a -X 'fo*' -V vv -P '-- ' f; echo $?\necho ${#vv[@]}\ncompgen -V bad-name -b; echo $?\ncompgen -V e -W 'x y' z; echo $? ${#e[@]}\ncompgen -A helptopic f\n",
            "0\n2\n2\n1 0\nfalse\nfc\nfg\nfor\nfor ((\nfunction\n",
            "s.sh: line 4: compgen: `bad-name': not a valid identifier\n",
            0,
        ),
    ]);
}
