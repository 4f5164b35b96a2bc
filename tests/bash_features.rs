//! bash features that bash's own regression suite exercises: each case
//! runs a script file (`s.sh`) through the real binary and compares
//! stdout, stderr and status exactly with what bash 5.2 printed for the
//! same file.
#![allow(clippy::unwrap_used)]

mod common;

use common::check_files as check;

/// Arrays in expansions: `@K`, `@k`, `@A`, indirection through an
/// element, slices of sparse arrays.
#[test]
fn array_expansions() {
    check(&[
        (
            "integer_and_case_attributes_shape_array_elements",
            r#"a=; typeset -i a; a+=7; echo $a
x=(1 2 3 4 5); typeset -i x
x[4]+=7; echo ${x[@]}
x=([0]=7+11); echo ${x[@]}
x=( 1 2 [2]+=7 4 5 ); echo ${x[@]}
x+=( [3]+=9 [5]=9 ); echo ${x[@]}
declare -u u=(x y); u[2]=z; u+=(w); echo ${u[@]}
declare -A h; declare -i h; h[k]=2+2; h[k]+=1; echo ${h[k]}
s=(a b); s+=([1]+=c); echo ${s[@]}
"#,
            r#"7
1 2 3 4 12
18
1 2 7 4 5
1 2 7 13 5 9
X Y Z W
5
a bc
"#,
            r#""#,
            0,
        ),
        (
            "compound_assignment_keys_may_hold_blanks",
            r#"declare -A wheat; wheat=([six]=6 [foo bar]="qux qix" ); declare -p wheat
a=([1]=x [2 + 1]=y); declare -p a
k=K; declare -A h=([$k v]=1 ["q r"]=2 [s]+=3); declare -p h
"#,
            r#"declare -A wheat=([six]="6" ["foo bar"]="qux qix" )
declare -a a=([1]="x" [3]="y")
declare -A h=(["K v"]="1" [s]="3" ["q r"]="2" )
"#,
            r#""#,
            0,
        ),
        (
            "arrays_declared_without_a_value_show_none",
            r#"declare -a x; declare -A y; declare -p x y
x=(); y[k]=v; unset y[k]; declare -p x y
declare -ai n; declare -p n
f() { local -a l; declare -p l; }; f
(declare -p x)
"#,
            r#"declare -a x
declare -A y
declare -a x=()
declare -A y=()
declare -ai n
declare -a l
declare -a x=()
"#,
            r#""#,
            0,
        ),
        (
            "array_transform_K_quotes_keys_and_values",
            r#"a=(x "y z" [5]='$w')
declare -A h=([k]=v ["a b"]="c d")
echo "${a[@]@K}"
echo "${h[@]@K}|"
"#,
            r#"0 "x" 1 "y z" 5 "\$w"
k "v" "a b" "c d" |
"#,
            r#""#,
            0,
        ),
        (
            "array_transform_k_gives_alternating_fields",
            r#"a=(x "y z")
printf '<%s>\n' "${a[@]@k}"
"#,
            r#"<0>
<x>
<1>
<y z>
"#,
            r#""#,
            0,
        ),
        (
            "array_transform_A_is_the_declare_command",
            r#"a=(x "y z" [5]=w)
declare -A h=(["a b"]=1)
declare -r r=(1)
printf '<%s>\n' "${a[@]@A}"
echo "${a[*]@A}"
echo "${h[@]@A}" "${r[@]@A}"
echo "${a[1]@A}"
"#,
            r#"<declare>
<-a>
<a=([0]="x" [1]="y z" [5]="w")>
declare -a a=([0]="x" [1]="y z" [5]="w")
declare -A h=(["a b"]="1" ) declare -ar r=([0]="1")
declare -a a='y z'
"#,
            r#""#,
            0,
        ),
        (
            "indirect_through_an_array_element",
            r#"b=(x y); names=(b "b[1]")
echo ${!names[1]} ${!names[0]:-default}
"#,
            r#"y x
"#,
            r#""#,
            0,
        ),
        (
            "slice_of_a_sparse_array_counts_indices",
            r#"a=([0]=a [5]=b [10]=c)
echo ${a[@]:1}
echo ${a[@]:6:1}
echo ${a[@]: -3}
echo ${a[@]: -6}
echo "[${a[@]: -20}]"
echo ${a[@]:1:-1}
echo after
"#,
            r#"b c
c
c
b c
[]
after
"#,
            r#"s.sh: line 7: -1: substring expression < 0
"#,
            0,
        ),
        (
            "whole_array_slice_of_a_scalar_and_star_in_patterns",
            r#"f=abcd; echo ${f[@]:0:1} ${f[@]:1:2} "${f[*]:1}"
IFS=?; set a c; foo=abcd
echo ${foo#"$*"} "${foo#$*}" "${foo#'a?c'}" "${foo#a?c}"
"#,
            r#"a bc bcd
abcd d abcd d
"#,
            r#""#,
            0,
        ),
        (
            "bad_substitution_is_reported_when_expanded",
            r#"if false; then echo ${x y}; fi
echo ${}; echo same line
echo ${#x:1}
echo next
"#,
            r#"next
"#,
            r#"s.sh: line 2: ${}: bad substitution
s.sh: line 3: ${#x:1}: bad substitution
"#,
            0,
        ),
        (
            "assoc_keys_quoted_in_declare_p",
            r#"declare -A h=(["a b"]=1 ['$x']=2 [a=b]=3)
declare -p h
"#,
            r#"declare -A h=([a=b]="3" ["a b"]="1" ["\$x"]="2" )
"#,
            r#""#,
            0,
        ),
    ]);
}

/// Words: `$'\x{…}'`, the directory stack as `~N`, `&` in `${x/p/r}`,
/// `**` under `globstar`.
#[test]
fn word_expansions() {
    check(&[
        (
            "dollar_bracket_is_arithmetic",
            r#"a=(1 2)
echo $[ 13 * 2 ] $[1+$[2]] "$[3]" $[a[1]*2] \$[
"#,
            r#"26 3 3 4 $[
"#,
            r#""#,
            0,
        ),
        (
            "control_characters_quote_in_octal",
            r#"x=$'a\a\b\e\x01\x7f\n\t'
declare -p x
echo "${x@Q}"
y="it's"
echo "${y@Q}"
"#,
            r#"declare -- x=$'a\a\b\E\001\177\n\t'
$'a\a\b\E\001\177\n\t'
'it'\''s'
"#,
            r#""#,
            0,
        ),
        (
            "ansi_c_braced_hex",
            r#"printf '%s|' $'\x{41}' $'\x{263a}' $'\x{0041}B' $'\x{41'
echo
"#,
            r#"A|:|AB|A|
"#,
            r#""#,
            0,
        ),
        (
            "tilde_directory_stack",
            r#"mkdir -p a b
pushd a >/dev/null; pushd ../b >/dev/null
base=${PWD%/b}
for t in ~0 ~1 ~2 ~-0 ~+1 ~+ ~- ~+0/x ~9 ~1x; do echo "${t#"$base"}"; done
unset OLDPWD; echo ~-
"#,
            r#"/b
/a


/a
/b
/a
/b/x
~9
~1x
~-
"#,
            r#""#,
            0,
        ),
        (
            "patsub_replacement_ampersand_is_the_match",
            r#"x=abcb r='[&]'
echo ${x//b/<&>} ${x//b/\&} "${x//b/<&>}" ${x//b/"&"} ${x//b/'&'}
echo ${x//b/$r} ${x//b/"$r"} ${x//b/\\&} ${x/#a/&&} ${x//?/(&)}
shopt -u patsub_replacement
echo ${x//b/<&>}
"#,
            r#"a<b>c<b> a&c& a<b>c<b> a&c& a&c&
a[b]c[b] a[&]c[&] a\bc\b aabcb (a)(b)(c)(b)
a<&>c<&>
"#,
            r#""#,
            0,
        ),
        (
            "bracket_collating_symbols_and_ascii_class",
            r#"for c in a - p ' ' 4 c $'\t' b; do
  case $c in [[.a.]]) echo "$c: [.a.]";; esac
  case $c in [[.hyphen.]-9]) echo "$c: hyphen range";; esac
  case $c in [[.a.]-[.z.]]) echo "$c: a-z";; esac
  case $c in [[.space.]]) echo "$c: space";; esac
  case $c in [[.a.]-[.zz.]p]) echo "$c: bad range";; esac
  case $c in [[.space.][.tab.][.newline.]]) echo "$c: blank";; esac
  case $c in [[:ascii:]]) ;; *) echo "$c: not ascii";; esac
done
"#,
            r#"a: [.a.]
a: a-z
-: hyphen range
p: a-z
p: bad range
 : space
 : blank
4: hyphen range
c: a-z
	: blank
b: a-z
"#,
            r#""#,
            0,
        ),
        (
            "globstar_repeated_and_at_the_top",
            r#"mkdir -p foo/a bar/foo/e a/a/a
touch top.o foo/x.o
shopt -s globstar
echo **/*.o
echo **/foo*
echo a/** / a/**/** / **/**/a
"#,
            r#"foo/x.o top.o
bar/foo foo
a/ a/a a/a/a / a a/a a/a/a / a a/a a/a/a foo/a
"#,
            r#""#,
            0,
        ),
        (
            "globstar_matches_across_directories",
            r#"mkdir -p d/e/f .h/i d/.j
touch d/x d/e/y d/e/f/z top .dot d/.j/k
ln -s d lnk
shopt -s globstar
echo **
echo d/**
echo **/
echo **/z d/**/y
echo **/e/**
echo *** a**
shopt -s dotglob
echo **/k
shopt -u globstar
echo **/z
"#,
            r#"d d/e d/e/f d/e/f/z d/e/y d/x lnk s.sh top
d/ d/e d/e/f d/e/f/z d/e/y d/x
d/ d/e/ d/e/f/ lnk/
d/e/f/z d/e/y
d/e d/e/f d/e/f/z d/e/y
d lnk s.sh top a**
d/.j/k
**/z
"#,
            r#""#,
            0,
        ),
    ]);
}

/// `declare -g` under a local, `local -I` and `localvar_inherit`,
/// `local -`, `declare -ft`.
#[test]
fn declarations_in_functions() {
    check(&[
        (
            "declare_g_assigns_the_global_under_a_local",
            r#"x=global
f() { local x=local; declare -g x=changed y=new; echo "in: $x $y"; g; }
g() { local x=inner; declare -g x=deeper; echo "g: $x"; }
f
echo "out: $x $y"
h() { declare -ga arr=(1 2); declare -g -i n=3+4; }
h; declare -p arr n
"#,
            r#"in: local new
g: inner
out: deeper new
declare -a arr=([0]="1" [1]="2")
declare -i n="7"
"#,
            r#""#,
            0,
        ),
        (
            "local_I_inherits_value_and_attributes",
            r#"declare -i n=5
export e=exported
f() { local -I n e; declare -p n e; n+=1; echo $n; local -I u; declare -p u; }
f; echo $n
shopt -s localvar_inherit
g() { local n; echo "g: $n"; }
g
"#,
            r#"declare -i n="5"
declare -x e="exported"
6
declare -- u
5
g: 5
"#,
            r#""#,
            0,
        ),
        (
            "declare_ft_gives_a_function_the_debug_trap",
            r#"trap 'echo "${FUNCNAME:-main} debug"' DEBUG
f() {
	echo f body
}
f
declare -ft f
f
trap - DEBUG
declare -ft nosuch; echo $?
"#,
            r#"main debug
f body
main debug
main debug
f debug
f debug
f body
main debug
1
"#,
            r#""#,
            0,
        ),
        (
            "local_dash_restores_set_options",
            r#"opts() { echo "$1: ${-//[^efu]/}"; }
f() { local -; set -u -o noglob; opts in; }
set -e
opts before
f
opts after
g() { local -; set +e; }
g; opts again
"#,
            r#"before: e
in: efu
after: e
again: e
"#,
            r#""#,
            0,
        ),
    ]);
}

/// Builtins and listings: `enable`, `alias -p`, `unalias -a`, `shopt` and
/// `set -o` in bash's formats (`shopt`'s names padded to 20 as bash 5.3
/// does, 5.2 used 15), `wait -n`, `wait -p`.
#[test]
fn builtins_and_listings() {
    check(&[
        // bash 5.3's list and widths (bash 5.2 pads to 15 and lacks
        // array_expand_once and bash_source_fullpath).
        (
            "shopt_s_and_u_without_names_list",
            r#"shopt -s | head -3
shopt -p -u | head -3
shopt -s extglob; shopt -ps | grep -c extglob
shopt -o -p xyz1; echo $?
"#,
            "checkwinsize        \ton\ncmdhist             \ton\ncomplete_fullquote  \ton\n\
         shopt -u array_expand_once\nshopt -u assoc_expand_once\nshopt -u autocd\n1\n1\n",
            "s.sh: line 4: shopt: xyz1: invalid option name\n",
            0,
        ),
        (
            "enable_lists_and_turns_builtins_off",
            r#"enable | head -3
enable -s | head -3
enable -n echo test
enable -n
type echo | sed 's,is /.*,is a file,'
builtin echo hi
enable foo; echo $?
enable echo; enable -n
enable -x; echo $?
enable -n :; : 2>/dev/null; echo $?
"#,
            r#"enable .
enable :
enable [
enable .
enable :
enable break
enable -n echo
enable -n test
echo is a file
1
enable -n test
2
127
"#,
            r#"s.sh: line 6: builtin: echo: not a shell builtin
s.sh: line 7: enable: foo: not a shell builtin
s.sh: line 9: enable: -x: invalid option
enable: usage: enable [-a] [-dnps] [-f filename] [name ...]
"#,
            0,
        ),
        (
            "invalid_alias_names_are_refused",
            r#"alias '\$'=xx; echo $?
alias 'a b'=c a/b=c ok=1; echo $?
alias
"#,
            r#"1
1
alias ok='1'
"#,
            r#"s.sh: line 1: alias: `\$': invalid alias name
s.sh: line 2: alias: `a b': invalid alias name
s.sh: line 2: alias: `a/b': invalid alias name
"#,
            0,
        ),
        (
            "alias_p_and_unalias_a",
            r#"alias a=b c="d e" -- -x=y
alias -p
unalias -a; alias -p; echo $?
"#,
            r#"alias -- -x='y'
alias a='b'
alias c='d e'
0
"#,
            r#"s.sh: line 1: alias: --: not found
"#,
            0,
        ),
        (
            "shopt_and_set_listings",
            r#"shopt extglob nullglob; echo $?
shopt -p extglob
shopt -s extglob; shopt -p extglob
shopt -q nosuch; echo $?
set +o | head -4
set -o | sed -n '2p;11p'
shopt -po errexit
set +B; echo {a,b}; set -B; echo {a,b}
echo $-
"#,
            r#"extglob             	off
nullglob            	off
1
shopt -u extglob
shopt -s extglob
1
set +o allexport
set -o braceexpand
set +o emacs
set +o errexit
braceexpand    	on
interactive-comments	on
set +o errexit
{a,b}
a b
hB
"#,
            r#"s.sh: line 4: shopt: nosuch: invalid shell option name
"#,
            0,
        ),
        (
            "wait_n_and_wait_p",
            r#"(exit 4) & pid=$!
wait -n -p v; echo "$? ${v/$pid/PID}"
(exit 5) & pid=$!
wait -p w $pid; echo "$? ${w/$pid/PID}"
v=x; wait -p v; echo "$? [${v-unset}]"
wait -n; echo $?
wait -p; echo $?
"#,
            r#"4 PID
5 PID
0 [unset]
127
2
"#,
            r#"s.sh: line 7: wait: -p: option requires an argument
wait: usage: wait [-fn] [-p var] [id ...]
"#,
            0,
        ),
    ]);
}

/// `export -f`: functions go to children as bash passes them.
#[test]
fn exported_functions() {
    check(&[(
        "export_f_marks_functions_for_children",
        r#"f() { echo "f $1"; }; g() { local x=1; echo g; }
export -f f g
env | grep -c '^BASH_FUNC_[fg]%%=() {'
declare -fx
export -nf g
declare -F
export -f nosuch; echo $?
unset -f f
env | grep -c BASH_FUNC
"#,
        r#"2
f () 
{ 
    echo "f $1"
}
declare -fx f
g () 
{ 
    local x=1;
    echo g
}
declare -fx g
declare -fx f
declare -f g
1
0
"#,
        r#"s.sh: line 7: export: nosuch: not a function
"#,
        1,
    )]);
}

/// A child pidsh defines the functions in `BASH_FUNC_name%%` variables
/// only when asked (`--import-functions`), and only a value that is one
/// definition of that name: text after it is never run.
#[test]
fn functions_are_imported_only_when_asked() {
    let run = |flag: Option<&str>| {
        let mut cmd = common::pidsh();
        cmd.env("BASH_FUNC_h%%", "() { echo imported $1; }")
            .env("BASH_FUNC_bad%%", "() { echo bad; }; echo INJECTED")
            .args(flag)
            .args(["-c", "h x; type bad >/dev/null 2>&1 || echo no bad"]);
        common::feed(cmd, "")
    };
    let asked = run(Some("--import-functions"));
    assert_eq!(
        (asked.stdout.as_str(), asked.status),
        ("imported x\nno bad\n", 0)
    );
    let not_asked = run(None);
    assert_eq!(not_asked.stdout, "no bad\n");
    assert!(not_asked.stderr.contains("h: command not found"));
    // What `export -f` passes, a child that asks reads back.
    let mut cmd = common::pidsh();
    let script = "f() { echo \"f $1\"; }; export -f f; \"$PIDSH\" --import-functions -c 'f child'";
    cmd.env("PIDSH", env!("CARGO_BIN_EXE_pidsh"))
        .args(["-c", script]);
    let round = common::feed(cmd, "");
    assert_eq!((round.stdout.as_str(), round.status), ("f child\n", 0));
}

/// Variables bash sets: `SHELLOPTS`, `BASHOPTS`, `BASH_ARGV0`, `SECONDS`,
/// `GROUPS`.
#[test]
fn shell_variables() {
    check(&[
        (
            "shellopts_and_bashopts_are_readonly_lists",
            r#"echo $SHELLOPTS
set -u; echo $SHELLOPTS
shopt -s extglob; case :$BASHOPTS: in *:extglob:*) echo extglob listed;; esac
declare -p SHELLOPTS
f() { local -; set -e; echo $SHELLOPTS; }; f; echo $SHELLOPTS
SHELLOPTS=x
echo status $?
"#,
            r#"braceexpand:hashall:interactive-comments
braceexpand:hashall:interactive-comments:nounset
extglob listed
declare -r SHELLOPTS="braceexpand:hashall:interactive-comments:nounset"
braceexpand:errexit:hashall:interactive-comments:nounset
braceexpand:hashall:interactive-comments:nounset
status 1
"#,
            r#"s.sh: line 6: SHELLOPTS: readonly variable
"#,
            0,
        ),
        (
            "bash_argv0_sets_dollar_zero",
            r#"BASH_ARGV0=hello; echo $0 $BASH_ARGV0
f() { BASH_ARGV0="$1"; }; f again; echo $0
"#,
            r#"hello hello
again
"#,
            r#""#,
            0,
        ),
        (
            "seconds_counts_from_an_assigned_value",
            r#"SECONDS=100; echo $SECONDS
"#,
            r#"100
"#,
            r#""#,
            0,
        ),
        (
            "groups_starts_with_the_real_group",
            r#"[[ $GROUPS == $(id -g) && ${#GROUPS[@]} -ge 1 ]] && echo ok
"#,
            r#"ok
"#,
            r#""#,
            0,
        ),
    ]);
}

/// `$BASH_TRAPSIG` (bash 5.3) is the signal whose trap runs; `SHELL`
/// comes from the user's passwd entry when the environment has none;
/// an exported `SHELLOPTS` turns its options on at start.
#[test]
fn trap_signal_shell_and_inherited_shellopts() {
    let r = common::run_file(
        "trap 'echo trap $BASH_TRAPSIG' USR1; kill -USR1 $$; echo ${BASH_TRAPSIG-unset}",
        None,
    );
    assert_eq!((r.stdout.as_str(), r.status), ("trap 10\nunset\n", 0));
    let mut cmd = common::pidsh();
    let login_shell = r#"[ "$SHELL" = "$(getent passwd "$(id -u)" | cut -d: -f7)" ] && echo same"#;
    cmd.env_remove("SHELL").args(["-c", login_shell]);
    assert_eq!(common::feed(cmd, "").stdout, "same\n");
    let mut cmd = common::pidsh();
    cmd.env("SHELLOPTS", "nounset:noglob")
        .args(["-c", "echo $- $SHELLOPTS"]);
    assert_eq!(
        common::feed(cmd, "").stdout,
        "fhuBc braceexpand:hashall:interactive-comments:noglob:nounset\n"
    );
}

/// Smaller bash behaviours the suite found: tildes in assignment-like
/// arguments, variables that ignore assignments, `${x~}`, a readonly
/// variable in arithmetic.
#[test]
fn smaller_behaviours() {
    check(&[
        (
            "tilde_in_assignment_like_arguments",
            r#"HOME=/home/me
echo x=~/a a=b:~/c --opt=~ 1x=~ x=a~ "x"=~ x=~:~ x="~" x=~"/q"
set -o posix
echo x=~/a
"#,
            r#"x=/home/me/a a=b:/home/me/c --opt=~ 1x=~ x=a~ x=~ x=/home/me:/home/me x=~ x=~/q
x=~/a
"#,
            r#""#,
            0,
        ),
        (
            "noassign_variables_ignore_assignments",
            r#"FUNCNAME=42; echo $? "[$FUNCNAME]"
GROUPS[0]=-1; echo $?
[[ ${GROUPS[0]} != -1 ]] && echo unchanged
f() { FUNCNAME=x; echo $FUNCNAME; }; f
"#,
            r#"0 []
0
unchanged
f
"#,
            r#""#,
            0,
        ),
        (
            "case_toggle",
            r#"x=acknowledgement y=AbC
echo ${x~} ${y~~} ${y~} ${x~~[aeiou]} "${y~~}"
"#,
            r#"Acknowledgement aBc abC AcknOwlEdgEmEnt aBc
"#,
            r#""#,
            0,
        ),
        (
            "readonly_in_arithmetic_says_only_that",
            r#"readonly xx=1
echo $(( xx++ ))
echo next
"#,
            r#"next
"#,
            r#"s.sh: line 2: xx: readonly variable
"#,
            0,
        ),
    ]);
}

/// Loops and `time`: a `for` over an invalid name, `break` with too many
/// arguments, `TIMEFORMAT` and `time -p`.
#[test]
fn loops_and_time() {
    check(&[
        (
            "set_lists_values_quoted_only_where_needed",
            r#"a='ab#cd' b='#x' c='x~' d='~x' e=$'a\tb' g='a=~' h='a:~b' i=
set | grep -E '^[a-i]='
"#,
            r#"a=ab#cd
b='#x'
c=x~
d='~x'
e=$'a\tb'
g='a=~'
h='a:~b'
i=
"#,
            r#""#,
            0,
        ),
        (
            "lastpipe_last_stage_can_leave_the_shell",
            r#"shopt -s lastpipe
f() { echo x | return 3; echo no; }
f; echo $?
for i in 1 2; do echo | break; echo no; done; echo done
exit 142 | exit 14
echo not reached
"#,
            r#"3
done
"#,
            r#""#,
            14,
        ),
        (
            "command_substitution_turns_errexit_off",
            r#"set -e
z=$(false; echo goes on); echo "$z"
z=$(: BASHPID; false; echo also in a process); echo "$z"
shopt -s inherit_errexit
z=$(false; echo not reached)
echo not reached either
"#,
            r#"goes on
also in a process
"#,
            r#""#,
            1,
        ),
        (
            "here_documents_print_back_as_written",
            r#"f() {
  cat <<-"Q"
	${HOME} $x
	Q
}
type f
"#,
            r#"f is a function
f () 
{ 
    cat <<-'Q'
${HOME} $x
Q

}
"#,
            r#""#,
            0,
        ),
        (
            "function_listing_names_the_duplicated_descriptor",
            r#"f() { echo a >&2; echo c 2>&1; cat <&3; exec 4>&-; echo >&-; cat <&-; echo >&$x; }
type f
"#,
            r#"f is a function
f () 
{ 
    echo a 1>&2;
    echo c 2>&1;
    cat 0<&3;
    exec 4>&-;
    echo 1>&-;
    cat 0>&-;
    echo >&$x
}
"#,
            r#""#,
            0,
        ),
        (
            "return_outside_a_function_complains_and_goes_on",
            r#"echo a
return 3
echo "b $?"
"#,
            r#"a
b 2
"#,
            r#"s.sh: line 2: return: can only `return' from a function or sourced script
"#,
            0,
        ),
        (
            "for_over_an_invalid_name_fails_when_run",
            r#"for 1 in a b; do echo $1; done; echo same line $?
for "x" in a; do :; done
echo status $?
select 1 in a; do :; done; echo $?
"#,
            r#"same line 1
status 1
1
"#,
            r#"s.sh: line 1: `1': not a valid identifier
s.sh: line 2: `"x"': not a valid identifier
s.sh: line 4: `1': not a valid identifier
"#,
            0,
        ),
        (
            "break_with_too_many_arguments_abandons_the_line",
            r#"for i in 1 2; do echo i$i; break 1 2; echo in; done; echo not here
echo st=$?
"#,
            r#"i1
st=2
"#,
            r#"s.sh: line 1: break: too many arguments
"#,
            0,
        ),
        (
            "timeformat_shapes_the_report",
            r#"TIMEFORMAT='%%|%0R|%0lR|%0U|x'
time true
TIMEFORMAT=
time true
TIMEFORMAT='%0R %y'
time true
echo $?
{ time -p true; } 2>&1 | sed 's/[0-9]/N/g'
"#,
            r#"0
real N.NN
user N.NN
sys N.NN
"#,
            r#"%|0|0m0s|0|x
s.sh: line 6: TIMEFORMAT: `y': invalid format character
"#,
            0,
        ),
    ]);
}

/// Namerefs and attribute listings: `declare +n`, `declare -n`/`-i`/`-a`
/// without names, a nameref as a `for` variable.
#[test]
fn namerefs_and_listings() {
    check(&[
        (
            "export_and_readonly_take_array_options",
            r#"export -a r=(6); declare -p r
readonly p=1
readonly p=4
export p=5
declare p=6
echo "[${!-unset}]" "[${!:-d}]"
"#,
            r#"declare -ax r=([0]="6")
[unset] [d]
"#,
            r#"s.sh: line 3: p: readonly variable
s.sh: line 4: p: readonly variable
s.sh: line 5: declare: p: readonly variable
"#,
            0,
        ),
        (
            "declare_with_a_subscript_assigns_the_element",
            r#"declare -A fluff; fluff[bar]=newval; declare fluff[qux]=assigned; declare -p fluff
declare a[1]=x; declare a[1]+=z; declare -p a
declare -a b[200]; declare -p b
f() { local c[2]=y; declare -p c; }; f
"#,
            r#"declare -A fluff=([qux]="assigned" [bar]="newval" )
declare -a a=([1]="xz")
declare -a b
declare -a c=([2]="y")
"#,
            r#""#,
            0,
        ),
        (
            "export_and_readonly_list_as_declarations",
            r#"readonly r=1; declare -a arr=(1); readonly arr
readonly | grep -E ' (r|arr)='
readonly -a | grep ' arr='
export X='x y'; export | grep ' X='
set -o posix
readonly -a | grep ' arr='
"#,
            r#"declare -ar arr=([0]="1")
declare -r r="1"
declare -ar arr=([0]="1")
declare -x X="x y"
readonly -a arr=([0]="1")
"#,
            r#""#,
            0,
        ),
        (
            "unset_whole_indexed_array_subscript_empties_it",
            r#"a=(1 2); unset a[@]; declare -p a
b=(1 2); unset "b[*]"; declare -p b
declare -A h=([x]=1); unset h[@]; declare -p h
s=x; unset s[@]; echo $?
"#,
            r#"declare -a a=()
declare -a b=()
declare -A h=([x]="1" )
1
"#,
            r#"s.sh: line 4: unset: s: not an array variable
"#,
            0,
        ),
        (
            "namerefs_and_arrays_do_not_mix",
            r#"typeset -n x[3]=y; echo $?
declare -a arr; declare -n arr=foo; echo $?
declare -an z=1; echo $?
declare -an z=y; declare -p z
declare -a q=y; declare -p q
declare -A h=v; declare -p h
s=old; declare -a s+=new; declare -p s
"#,
            r#"1
1
1
declare -a z=([0]="y")
declare -a q=([0]="y")
declare -A h=([0]="v" )
declare -a s=([0]="oldnew")
"#,
            r#"s.sh: line 1: typeset: x[3]: reference variable cannot be an array
s.sh: line 2: declare: arr: reference variable cannot be an array
s.sh: line 3: declare: `1': invalid variable name for name reference
"#,
            0,
        ),
        (
            "declare_element_subscripts_lose_their_quotes",
            r#"declare -A h; declare "h[\"a b\"]=1" "h['c']=2"; declare -p h
declare "a[\" \"]=14"; declare -p a
"#,
            r#"declare -A h=([c]="2" ["a b"]="1" )
declare -a a=([0]="14")
"#,
            r#""#,
            0,
        ),
        (
            "declare_plus_n_assigns_through_then_unsets_the_reference",
            r#"bar=one; foo=bar
typeset -n foo
typeset -n
typeset +n foo=other
echo "$foo $bar"
declare -p foo
"#,
            r#"declare -n foo="bar"
bar other
declare -- foo="bar"
"#,
            r#""#,
            0,
        ),
        (
            "declare_with_attribute_lists_only_those",
            r#"declare -i n=1; declare -a a=(1); declare -A h=([k]=v); declare -l low=X; x=1
declare -i | grep ' n='; declare -a | grep ' a='; declare -A | grep ' h='; declare -l; declare -i | grep -c ' x='
"#,
            r#"declare -i n="1"
declare -a a=([0]="1")
declare -A h=([k]="v" )
declare -l low="x"
0
"#,
            r#""#,
            1,
        ),
        (
            "for_over_a_nameref_points_it_at_each_word",
            r#"first=1 second=2
typeset -n ref=first
for ref in first second; do echo "${!ref}: $ref"; done
"#,
            r#"first: 1
second: 2
"#,
            r#""#,
            0,
        ),
    ]);
}

/// `.` of a missing file, `enable -d`, usage lines.
#[test]
fn dot_and_enable_errors() {
    check(&[
        (
            "builtin_usage_errors",
            r#"cd a b; echo $?
unset -x; echo $?
unalias -x; echo $?
"#,
            r#"1
2
2
"#,
            r#"s.sh: line 1: cd: too many arguments
s.sh: line 2: unset: -x: invalid option
unset: usage: unset [-f] [-v] [-n] [name ...]
s.sh: line 3: unalias: -x: invalid option
unalias: usage: unalias [-a] name [name ...]
"#,
            0,
        ),
        (
            "shift_takes_dash_dash_and_set_prints_its_usage",
            r#"set -- a b; shift -- 1; echo $#
shift -2; echo $?
set -q; echo $?
"#,
            r#"1
1
2
"#,
            r#"s.sh: line 2: shift: -2: shift count out of range
s.sh: line 3: set: -q: invalid option
set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]
"#,
            0,
        ),
        (
            "usage_lines_stand_alone",
            r#"getopts; echo $?
unalias; echo $?
"#,
            r#"2
2
"#,
            r#"getopts: usage: getopts optstring name [arg ...]
unalias: usage: unalias [-a] name [name ...]
"#,
            0,
        ),
        (
            "dot_of_a_missing_file_names_the_file",
            r#". ./nolib; echo $?
. nolib-anywhere; echo $?
"#,
            r#"1
1
"#,
            r#"s.sh: line 1: ./nolib: No such file or directory
s.sh: line 2: nolib-anywhere: No such file or directory
"#,
            0,
        ),
        (
            "enable_d_and_the_environment_underscore",
            r#"enable -d test; echo $?
enable -d nosuch; echo $?
"#,
            r#"1
1
"#,
            r#"s.sh: line 1: enable: test: not dynamically loaded
s.sh: line 2: enable: nosuch: not a shell builtin
"#,
            0,
        ),
    ]);
}

/// The `_` of the environment is not passed on as `$_` (the last
/// argument) changes: `export FOO=BAR; printenv` shows no `_=FOO=BAR`.
#[test]
fn underscore_is_not_exported() {
    let mut cmd = common::pidsh();
    cmd.env("_", "/usr/bin/pidsh")
        .args(["-c", "export FOO=BAR; env | grep -c '^_='"]);
    let r = common::feed(cmd, "");
    assert_eq!(r.stdout, "0\n");
}

/// `pidsh -c CMD NAME`: NAME is `$0` and starts the messages, as in bash.
#[test]
fn command_string_name_starts_messages() {
    let mut cmd = common::pidsh();
    cmd.args(["-c", "nosuch; echo $0", "myname"]);
    let r = common::feed(cmd, "");
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str()),
        ("myname\n", "myname: line 1: nosuch: command not found\n")
    );
}

/// `${ list; }` and `${| list; }` (bash 5.3; expectations from bash 5.3's
/// comsub2 test, as bash 5.2 has neither): the list runs in this shell as
/// a function body would.
#[test]
fn function_substitution() {
    check(&[(
        "function_substitution_runs_in_this_shell",
        r#"echo ${ printf '%s\n' aa bb cc dd; }
echo AA${ printf '%s\n' aa bb; }BB
unset x
echo ${ printf '%s\n' aa bb; x=42 ; return 12; echo ee ff; }
echo outside: $x
xx=${ local y; y=1; echo in; return 3; echo no; }; echo "$xx $? [${y-unset}]"
echo ${| echo 67890; REPLY=12345; }
echo ${ echo aa; },${ echo bb; }
echo $(( ${ echo 14 + 18; }+ 10))
"#,
        "aa bb cc dd\nAAaa bbBB\naa bb\noutside: 42\nin 3 [unset]\n67890\n12345\naa,bb\n42\n",
        "",
        0,
    )]);
}

/// `coproc`: a background command joined to the shell by two pipes; the
/// shell's ends at bash's numbers, given back when the command has ended.
#[test]
fn coprocesses() {
    check(&[
        (
            "a_named_coprocess_echoes_through_its_pipes",
            r#"coproc REFLECT { cat - ; }
case $REFLECT_PID in [0-9]*) echo pid ;; esac
echo ${REFLECT[@]}
echo flop >&${REFLECT[1]}
read line <&${REFLECT[0]}
echo $line
exec {w}>&${REFLECT[1]}-
echo ${REFLECT[@]}
exec {w}>&-
wait $REFLECT_PID; echo status $?
declare -p REFLECT 2>&1 | sed 's/^[^:]*: line [0-9]*: //'
"#,
            "pid\n63 60\nflop\n63 -1\nstatus 0\ndeclare: REFLECT: not found\n",
            "",
            0,
        ),
        (
            "a_simple_command_is_named_coproc_and_ends_are_reused",
            // The first coprocess waits for a line: one that ends at once
            // may be collected, and `COPROC` unset (bash does the same),
            // before the `read` that names it.
            r#"coproc { echo a b c; read; }
read x <&${COPROC[0]}; echo $x
echo >&${COPROC[1]}; wait $COPROC_PID
coproc sed -u s/o/O/
echo ${COPROC[@]}
echo foo >&${COPROC[1]}; read <&${COPROC[0]}; echo $REPLY
"#,
            "a b c\n63 60\nfOo\n",
            "",
            0,
        ),
        (
            "programs_started_by_exec_do_not_inherit_the_ends",
            r#"coproc cat
ls /proc/self/fd | grep -cx -e 63 -e 60
echo done >&${COPROC[1]}; read <&${COPROC[0]}; echo $REPLY
f() { coproc X { echo in; }; }; type f
"#,
            "0\ndone\nf is a function\nf () \n{ \n    coproc X { \n        echo in\n    }\n}\n",
            "",
            0,
        ),
    ]);
}

/// `{var}>&-` closes the descriptor whose number `var` holds.
#[test]
fn variable_descriptors_close_by_their_value() {
    check(&[(
        "closing_through_the_variable",
        r#"exec {w}>out; n=$w; exec {w}>&-; [ "$w" = "$n" ] && [ $n -ge 10 ] && echo kept
ls -l /proc/$$/fd | grep -c /out
exec 7>out; exec {v}>&7-; exec {v}>&-
ls -l /proc/$$/fd | grep -c /out
unset q; exec {q}>&-; echo $?
"#,
        "kept\n0\n0\n1\n",
        "s.sh: line 5: q: ambiguous redirect\n",
        0,
    )]);
}

/// History in scripts (`set -o history`): expansion with `set -H` line by
/// line, `fc`, `history -d/-s/-r/-w` and `HISTTIMEFORMAT`.
#[test]
fn history_in_scripts() {
    check(&[
        (
            "expansion_events_words_and_modifiers",
            r#"set -o history
set -H
echo a b.c d
echo !$:r !^ !!:0
!?b.c?:%:e
^d^e
echo '!!' \!x "!" [!a] ${!p} $!
echo !nope
echo one two; echo !:2:p
echo x y
echo !!:gs/ /_/ !-2:1:q !!:1-$:x
history
"#,
            r#"a b.c d
d a echo
x y
echo_x_y one x y
    1  set -H
    2  echo a b.c d
    3  echo d a echo
    4  .c
    5  echo '!!' \!x "!" [!a] ${!p} $!
    6  echo one two; echo \!x
    7  echo x y
    8  echo echo_x_y 'one' 'x' 'y'
    9  history
"#,
            r#"echo d a echo
.c
s.sh: line 5: .c: command not found
s.sh: line 6: :s^d^e: substitution failed
s.sh: line 6: p: invalid indirect expansion
s.sh: line 7: !nope: event not found
echo one two; echo \!x
echo echo_x_y 'one' 'x' 'y'
"#,
            0,
        ),
        (
            "ignorespace_is_for_a_space_not_a_tab",
            "HISTCONTROL=ignorespace\nset -o history\n\techo tab\n echo space\nhistory\n",
            "tab\nspace\n    1  \techo tab\n    2  history\n",
            "",
            0,
        ),
        (
            "ansi_c_quotes_close_where_the_shell_closes_them",
            "set -o history\nset -H\necho a\nif true; then echo $'it\\'s'\necho !!\nfi\nhistory\n",
            "a\nit's\necho a\n    1  set -H\n    2  echo a\n    3  if true; then echo $'it\\'s'; echo echo a; fi\n    4  history\n",
            "echo echo a\n",
            0,
        ),
        (
            "history_p_leaves_its_own_line_out",
            "set -o history\necho a\nhistory -p \"!!\" \"!-1:0\"\nhistory\n",
            "a\necho a\necho\n    1  echo a\n    2  history\n",
            "",
            0,
        ),
        (
            "fc_and_history_edit_the_list",
            r#"set -o history
echo aa ab
fc -s a=x
fc -s
fc -l
fc -s nope
history -s c; history -s d
history -d 2-3
history
history -d 1-99; history -d -99--1
"#,
            r#"aa ab
xx xb
xx xb
1	 echo aa ab
2	 echo xx xb
3	 echo xx xb
    1  echo aa ab
    2  fc -l
    3  fc -s nope
    4  c
    5  d
    6  history -d 2-3
    7  history
"#,
            r#"echo xx xb
echo xx xb
s.sh: line 6: fc: no command found
s.sh: line 10: history: 99: history position out of range
s.sh: line 10: history: -99: history position out of range
"#,
            1,
        ),
        (
            "history_files_with_times",
            r#"printf '#100\nfirst\n#200\n\nsecond\nmore\n' > hf
HISTTIMEFORMAT='%s '
history -r hf
history
history -w out; cat out
"#,
            r#"    1  100 first
    2  200 second
more
#100
first
#200
second
more
"#,
            r#""#,
            0,
        ),
        (
            "set_o_history_reads_histfile",
            r#"printf 'one\ntwo\n' > hf
HISTFILE=hf
unset HISTSIZE HISTFILESIZE
set -o history
echo $HISTSIZE $HISTFILESIZE
history
set -H
for f in a b; do
  echo !!
done
HISTIGNORE='fc*'
fc -l -2
"#,
            r#"500 500
    1  one
    2  two
    3  echo $HISTSIZE $HISTFILESIZE
    4  history
set -H
set -H
6	 for f in a b; do   echo set -H; done
7	 HISTIGNORE='fc*'
"#,
            r#"  echo set -H
"#,
            0,
        ),
        (
            "here_documents_are_not_expanded",
            r#"set -o history
set -H
echo a
cat <<EOF
x !!
EOF
echo b
x=$(
echo !!
)
echo "$x"
"#,
            r#"a
x !!
b
echo b
"#,
            r#"echo echo b
"#,
            0,
        ),
    ]);
}

/// `declare -c` capitalizes assigned values; `let` skips a leading `--`;
/// `$BASH_COMMAND` without traps; a failing DEBUG trap skips the command
/// under `extdebug`.
#[test]
fn capitalize_let_dashes_and_debug_skips() {
    check(&[
        (
            "declare_c_capitalizes",
            r#"declare -c x="hELLO wORLD"; echo $x; declare -p x
declare -cu y=abc; declare -p y
declare -l z; declare -c z; z=ABC; declare -p z
declare -cxr w=a; declare -p w
declare -c a=(hELLO wORLD); declare -p a
"#,
            r#"Hello world
declare -c x="Hello world"
declare -- y="abc"
declare -c z="Abc"
declare -rxc w="A"
declare -ac a=([0]="Hello" [1]="World")
"#,
            "",
            0,
        ),
        (
            "let_skips_one_leading_double_dash",
            "let -- 2+3; echo $?\nlet -- -- 1; echo $?\nlet --; echo $?\nlet -1; echo $?\n",
            "0\n1\n1\n0\n",
            "s.sh: line 2: let: --: arithmetic syntax error: operand expected (error token is \"-\")\n\
             s.sh: line 3: let: expression expected\n",
            0,
        ),
        (
            "bash_command_without_traps",
            "echo $BASH_COMMAND\nx=$(echo \"$BASH_COMMAND\"); echo \"$x\"\n",
            "echo $BASH_COMMAND\necho \"$BASH_COMMAND\"\n",
            "",
            0,
        ),
        (
            "extdebug_debug_trap_failure_skips_the_command",
            r#"shopt -s extdebug
t() { [[ $skip == 1 ]] && { skip=0; return 1; }; return 0; }
trap t DEBUG
v=1; skip=1
v=2
echo v=$v
trap - DEBUG
r() { [[ $BASH_COMMAND == "echo after" ]] && return 2; return 0; }
g() { echo in g; echo after; echo more; }
trap r DEBUG
g; echo "g=$?"
trap - DEBUG
echo $-; shopt -u extdebug; echo $-
"#,
            "v=1\nin g\ng=2\nhBET\nhB\n",
            "",
            0,
        ),
    ]);
}

/// getopts: `OPTERR`, no options of its own, a readonly `OPTARG` or name
/// as bash handles them; `$'\x{HH'` without its brace (bash 5.3).
#[test]
fn getopts_errors_and_readonly_optarg() {
    check(&[(
        "opterr_options_and_readonly_names",
        r#"OPTERR=0; getopts ab x -c; echo "$x"
f() { local OPTERR=1; OPTIND=1; getopts ab x -d; }; f
OPTIND=1; getopts ab x -e; echo $?
OPTERR=abc; OPTIND=1; getopts ab x -c
OPTERR=; OPTIND=1; getopts ab x -c
getopts -a opts name; echo $?
getopts -- ab y -b; echo $y
set -- -a bb; OPTIND=1
readonly OPTARG
getopts :x x; echo "OPTARG = $OPTARG x = $x"
getopts x x; echo "${OPTARG-unset} x = $x"
readonly V
getopts x V; echo $?
printf '%s|' $'\x{41X' $'\x{41}X' $'\x{}X' $'a\x{4142' | od -An -c
"#,
        r#"?
0
2
?
OPTARG =  x = ?
unset x = ?
1
   A   X   |   A   X   |   |   a   B   |
"#,
        r#"s.sh: illegal option -- d
s.sh: illegal option -- c
s.sh: line 6: getopts: -a: invalid option
getopts: usage: getopts optstring name [arg ...]
s.sh: line 10: OPTARG: readonly variable
s.sh: line 13: V: readonly variable
"#,
        0,
    )]);
}

/// The word of a double-quoted `${…}`: `$'…'` decodes (`extquote`), and
/// inside inner double quotes a backslash escapes any character; `\c\\`.
#[test]
fn quoting_inside_double_quoted_parameter_words() {
    check(&[(
        "ansi_c_and_inner_quotes",
        r#"x=; y=$'a\tb'; s='&v'
printf '<%s>\n' "${x:-$'\t'}" "${y#a$'\t'}" "${x:-'a'}" "${x:-"$'q'"}"
printf '<%s>\n' "${s:+-D="\'$s\'"}" "${s:+"\p"}" "${s:+\p}" "${s:+"\\"}" ${s:+"\p"}
cat <<E
${x:-$'\t'}|${s:+"\p"}|${s:+\p}
E
echo $'\c[\c\\\c]' | od -An -c
"#,
        r#"<	>
<b>
<'a'>
<$'q'>
<-D='&v'>
<p>
<\p>
<\>
<\p>
$'\t'|p|\p
 033 034 035  \n
"#,
        "",
        0,
    )]);
}

/// Syntax errors inside `$( … )` say what was being looked for (bash
/// 5.3), unless the token is the `)`; `in` where a command starts is an
/// error (bash, dash).
#[test]
fn syntax_errors_in_command_substitutions_and_in() {
    check(&[(
        "looking_for_paren_and_reserved_in",
        r#"eval ': $(echo ; done)'
eval ': $( if x; then echo foo )'
eval 'true | in'
eval 'case x in esac|in) echo foo;; esac'
for in in in; do echo $in; done
echo end
"#,
        r#"in
end
"#,
        r#"s.sh: eval: line 1: syntax error near unexpected token `done' while looking for matching `)'
s.sh: eval: line 1: `: $(echo ; done)'
s.sh: eval: line 2: syntax error near unexpected token `)'
s.sh: eval: line 2: `: $( if x; then echo foo )'
s.sh: eval: line 3: syntax error near unexpected token `in'
s.sh: eval: line 3: `true | in'
s.sh: eval: line 4: syntax error near unexpected token `in'
s.sh: eval: line 4: `case x in esac|in) echo foo;; esac'
"#,
        0,
    )]);
}

/// `${#%}`, `${#:}`, `${#=}`, `${#+}`, `${#/}` are bad substitutions; an
/// arithmetic error in `${x:off:len}` names the parameter.
#[test]
fn length_operator_forms_and_substring_errors() {
    check(&[(
        "bad_dollar_hash_operators_and_named_substring_errors",
        r#"set -- a b c
echo ${#:}
echo ${#/}
echo ${#%}
echo ${#=}
echo ${#+}
echo ${#%%} ${#:-x} ${##} ${#-2}
x=abc; a=(1 2)
echo ${x:1:%}
echo ${a[@]:%}
echo ${x:1/0}
echo end
"#,
        r#"3 3 1 3
end
"#,
        r#"s.sh: line 2: ${#:}: bad substitution
s.sh: line 3: ${#/}: bad substitution
s.sh: line 4: ${#%}: bad substitution
s.sh: line 5: ${#=}: bad substitution
s.sh: line 6: ${#+}: bad substitution
s.sh: line 9: x: %: arithmetic syntax error: operand expected (error token is "%")
s.sh: line 10: a[@]: %: arithmetic syntax error: operand expected (error token is "%")
s.sh: line 11: x: 1/0: division by 0 (error token is "0")
"#,
        0,
    )]);
}

/// `"$x$@"` with no positional parameters and `x` empty is no word;
/// `$RANDOM` is bash's generator (seeded by assignment, reseeded in
/// subshells); `${a:=v}` gives the value as stored; bytes that are not
/// UTF-8 quote as octal; an arithmetic error in `a=( … )` leaves the
/// elements before it.
#[test]
fn vanishing_at_random_assign_default_and_array_errors() {
    check(&[(
        "bash_expansion_details",
        r##"recho() { printf '<%s>' "$@"; echo "#$#"; }
set --; xxx=
recho "$xxx$@"; recho "${xxx}$@"; recho "$xxx""$@"; recho "$xxx$@"x; recho "$xxx$*"
y=("$xxx$@"); echo ${#y[@]}
RANDOM=42; echo $RANDOM
RANDOM=1; echo $RANDOM $RANDOM $RANDOM
RANDOM=7; : $(echo $RANDOM); echo $RANDOM
unset a; declare -i a; echo ${a:=4+3}; declare -u A; A=; echo ${A:=foo}
x=$'a\242b'; declare -p x; printf '%q\n' "$x"; echo "${x@Q}"
declare -A h=([$'x\001y']=1); declare -p h
b=( x [1+]=foo y ); declare -p b
unset a; declare -i a; a=( 1 2+ 3 )
declare -p a
"##,
        r#"<>#0
<>#0
<>#1
<x>#1
<>#1
0
17772
16807 10791 19566
19344
7
FOO
declare -- x=$'a\242b'
$'a\242b'
$'a\242b'
declare -A h=([$'x\001y']="1" )
declare -ai a=([0]="1")
"#,
        r#"s.sh: line 11: 1+: arithmetic syntax error: operand expected (error token is "+")
s.sh: line 12: 2+: arithmetic syntax error: operand expected (error token is "+")
"#,
        0,
    )]);
}

/// Function listings as bash prints them: what follows `&` stays on its
/// line, and `elif` is an `if` inside the `else` of the one before.
#[test]
fn listing_background_items_and_elif() {
    check(&[(
        "ampersand_and_nested_else_if",
        r#"f() { a &
b &
}
g() { if a; then b; elif c; then d; elif e; then f; fi; }
h() { if a; then b; elif c; then d; else z; fi > x; }
k() { x & y; z; }
type f g h k
"#,
        r#"f is a function
f () 
{ 
    a & b &
}
g is a function
g () 
{ 
    if a; then
        b;
    else
        if c; then
            d;
        else
            if e; then
                f;
            fi;
        fi;
    fi
}
h is a function
h () 
{ 
    if a; then
        b;
    else
        if c; then
            d;
        else
            z;
        fi;
    fi > x
}
k is a function
k () 
{ 
    x & y;
    z
}
"#,
        "",
        0,
    )]);
}

/// End of input inside a compound command names it and its line (bash
/// 5.3), on the line after an unended last line; `export -f` refuses
/// names holding `=` or `/`.
#[test]
fn end_of_input_in_compound_commands_and_unexportable_names() {
    check(&[(
        "eof_from_command_and_cannot_export",
        r#"eval 'if true; then echo'
eval 'f() {'
eval '( '
eval 'for i in 1; do if :; then'
eval 'echo |'
function foo=bar { :; }
export -f 'foo=bar'; echo $?
function /bin/x { :; }
export -f /bin/x; echo $?
"#,
        r#"1
1
"#,
        r#"s.sh: eval: line 2: syntax error: unexpected end of file from `if' command on line 1
s.sh: eval: line 3: syntax error: unexpected end of file from `{' command on line 2
s.sh: eval: line 4: syntax error: unexpected end of file from `(' command on line 3
s.sh: eval: line 5: syntax error: unexpected end of file from `if' command on line 4
s.sh: eval: line 6: syntax error: unexpected end of file
s.sh: line 7: export: foo=bar: cannot export
s.sh: line 9: export: /bin/x: cannot export
"#,
        0,
    )]);
}

/// Unquoted `$@` in the word of `${x-word}` is one value joined by
/// spaces unless IFS is null; `${!?}` is `$!` with `?` (bash 5.3).
#[test]
fn dollar_at_in_default_words_and_bang_question() {
    check(&[(
        "joined_at_and_bang_error",
        r#"recho() { printf '<%s>' "$@"; echo; }
IFS=:; set -- " a" "b c"
recho ${var-"$@"}
recho ${var-$@}
recho ${var-x$@y}
recho ${var:+$@}; x=1; recho ${x:+$@}
recho ${var-$*}
a=(" p" "q r"); recho ${var-${a[@]}}
IFS=; recho ${var-$@}
unset IFS
echo ${!?}
"#,
        r#"< a><b c>
< a b c>
<x a b cy>
<>
< a b c>
< a><b c>
< p q r>
< a><b c>
"#,
        r#"s.sh: line 11: !: parameter not set
"#,
        1,
    )]);
}

/// A here-string writes bytes that are not UTF-8 as themselves; mapfile
/// values end at a NUL, as shell values do.
#[test]
fn here_string_bytes_and_mapfile_nul_records() {
    check(&[(
        "raw_bytes_and_nul_delimited_records",
        r#"s=$'a\xffb\xffc\xff'
mapfile -t -d $'\xff' array <<<"$s"
declare -p array
cat <<<"$s" | od -An -c
printf 'abc\0def\0' | { mapfile -C echo -c 1 -d '' A; echo "${A[@]}"; }
"#,
        r#"declare -a array=([0]="a" [1]="b" [2]="c" [3]=$'\n')
   a 377   b 377   c 377  \n
0 abc
1 def
abc def
"#,
        "",
        0,
    )]);
}

/// `command -V` shows a function's definition; special builtins say so
/// in POSIX mode; an unset `PATH` searches the current directory (bash,
/// dash).
#[test]
fn describing_commands_and_unset_path() {
    check(&[(
        "command_v_special_builtins_and_unset_path",
        r#"f() { echo x; }
command -V f
type break
set -o posix; type break; command -V break; set +o posix
mkdir -p d && cd d && touch e && chmod +x e
unset PATH
case $(type -p e) in */e) echo found;; esac
e; echo $?
"#,
        r#"f is a function
f () 
{ 
    echo x
}
break is a shell builtin
break is a special shell builtin
break is a special shell builtin
found
0
"#,
        "",
        0,
    )]);
}

/// read: an assignment error is 2 (bash 5.3), as a bad -t/-n value is
/// (a usage error; bash says 1); a
/// NUL or other delimiter after an invalid UTF-8 lead byte still ends the
/// record; every `isspace` character in IFS is IFS whitespace (also in
/// field splitting); `read -a` keeps empty fields but the last.
#[test]
fn read_statuses_delimiters_and_ifs_whitespace() {
    check(&[(
        "read_bash_5_3",
        r##"readonly b
read a b c <<< "a b c"; echo "st=$?"
read -t -3 x < /dev/null; echo "st=$?"
read -n x y < /dev/null; echo "st=$?"
printf 'A\0B\315\0C\226\0' | while IFS= read -rd '' f; do printf '<%q>\n' "$f"; done
printf '%b\200' winter 'spring\0375' summer | while IFS= read -rd $'\200' s; do printf '<%q>\n' "$s"; done
printf '  line\tb \t\r\f\v\n' | { IFS=$'\t\r\f\v'; read v1 v2; printf '[%s][%s]\n' "$v1" "$v2"; }
IFS=: read -a A <<< ":::"; declare -p A
IFS=: read -a A <<< "a::"; declare -p A
IFS=$'\v'; x=$'a\v\vb'; set -- $x; echo $#
"##,
        r##"st=2
st=2
st=2
<A>
<$'B\315'>
<$'C\226'>
<winter>
<$'spring\375'>
<summer>
[  line][b ]
declare -a A=([0]="" [1]="" [2]="")
declare -a A=([0]="a" [1]="")
2
"##,
        r##"s.sh: line 2: b: readonly variable
s.sh: line 3: read: -3: invalid timeout specification
s.sh: line 4: read: x: invalid number
"##,
        0,
    )]);
}

/// `$!` names the last process substitution and `wait $!` gives its
/// status (bash 4.4 and later).
#[test]
fn waiting_for_process_substitutions() {
    check(&[(
        "wait_for_dollar_bang",
        r#"cat <(exit 123) >/dev/null
wait "$!"
echo $?
cat <(echo a) <(echo b)
p=$!; cat <(exit 7) > /dev/null; [ "$p" != "$!" ] && echo new pid
wait; echo waited $?
while read l; do echo "got $l"; done < <(printf '1\n2\n')
"#,
        r#"123
a
b
new pid
waited 0
got 1
got 2
"#,
        "",
        0,
    )]);
}

/// `${ list; }` (bash 5.3) runs without `set -e` outside POSIX mode, as
/// `$( )` does.
#[test]
fn function_substitution_clears_errexit() {
    check(&[(
        "errexit_off_inside",
        r#"set -e
var=value
echo "${
	echo "inside before: $var"
	var=funsub
	false
	echo inside: after false
}" xxx
echo "outside after: $var $-"
"#,
        r#"inside before: value
inside: after false xxx
outside after: funsub ehB
"#,
        "",
        0,
    )]);
}

/// Redirections expand before a builtin's or function's temporary
/// assignments take effect, and an error applying one goes where the
/// redirections before it sent stderr; a `local` starts with the value
/// of a temporary assignment of the call; listings spell `|&` out.
#[test]
fn redirections_before_assignments_and_local_from_temporaries() {
    check(&[(
        "bash_order_and_tempenv_locals",
        r#"a=42
a=2 echo foo 2>&1 >&$a | grep -c 'Bad file'
f() { local -i a; a+=3; echo $a; }
a=4 f
g() { local a; echo "[$a]"; }
h() { g; }
a=6 h
g
k() { echo foo |& cat; }
type k
"#,
        r#"1
7
[6]
[]
k is a function
k () 
{ 
    echo foo 2>&1 | cat
}
"#,
        "",
        0,
    )]);
}

/// Only digits name the descriptor of `<&word` / `n>&word`: `-1` is an
/// ambiguous redirect (bash).
#[test]
fn negative_descriptor_targets_are_ambiguous() {
    check(&[(
        "dup_from_minus_one",
        r#"fd=-1
exec <&$fd
echo st=$?
echo x 3>&$fd
echo st=$?
"#,
        r#"st=1
st=1
"#,
        r#"s.sh: line 2: -1: ambiguous redirect
s.sh: line 4: -1: ambiguous redirect
"#,
        0,
    )]);
}
