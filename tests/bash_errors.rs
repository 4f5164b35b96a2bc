//! Error messages and usage errors of builtins, as bash's `errors` and
//! `builtins` regression tests check them: each case runs a script file
//! (`s.sh`) through the real binary and compares stdout, stderr and status
//! exactly with what bash 5.2 printed for the same file (the `trap` usage
//! line, and the cases of `bash_5_3_usage_errors`, are bash 5.3's, from
//! its suite: see docs/design.md).
#![allow(clippy::unwrap_used)]

mod common;

use common::check_files as check;

/// Readonly functions, `unset`/`declare` usage, subscripts, `hash`,
/// `umask`, `shopt`, `read`, `mapfile`, `trap`, `builtin`, `kill`.
#[test]
fn builtin_errors() {
    check(&[
        (
            "readonly_functions_cannot_be_redefined_unset_or_made_writable",
            r#"f() { echo f; }
readonly -f f
declare -F
f() { echo g; }
echo st=$?
f
unset -f f
echo st=$?
declare -f +r f
echo st=$?
readonly -f nosuch
echo st=$?
declare -Fr
"#,
            r#"declare -fr f
st=1
f
st=1
st=1
st=1
declare -fr f
"#,
            r#"s.sh: line 4: f: readonly function
s.sh: line 7: unset: f: cannot unset: readonly function
s.sh: line 9: declare: f: readonly function
s.sh: line 11: readonly: nosuch: not a function
"#,
            0,
        ),
        (
            "unset_and_declare_f_usage_errors",
            r#"unset -f -v SHELL
echo st=$?
unset -fv SHELL
a() { echo a; }
declare -f -a a
echo st=$?
declare -f a='() { :; }'
echo st=$?
unset a-b /bin/sh
echo st=$?
unset -v a-b
echo st=$?
"#,
            r#"st=1
st=1
st=1
st=0
st=1
"#,
            r#"s.sh: line 1: unset: cannot simultaneously unset a function and a variable
s.sh: line 3: unset: cannot simultaneously unset a function and a variable
s.sh: line 5: declare: -a: invalid option
s.sh: line 7: declare: cannot use `-f' to make functions
s.sh: line 11: unset: `a-b': not a valid identifier
"#,
            0,
        ),
        (
            "bad_subscripts_readonly_attributes_and_unsettable_variables",
            r#"declare -a AA
unset 'AA[-2]'
echo st=$?
s=1
unset 's[-1]'
echo st=$?
declare -r VAR=1
declare +r VAR
echo st=$?
unset BASH_LINENO
echo st=$?
"#,
            r#"st=1
st=1
st=1
st=1
"#,
            r#"s.sh: line 2: unset: [-2]: bad array subscript
s.sh: line 5: unset: s: not an array variable
s.sh: line 8: declare: VAR: readonly variable
s.sh: line 10: unset: BASH_LINENO: cannot unset
"#,
            0,
        ),
        (
            "hash_options_set_show_and_forget_paths",
            r#"hash -v
echo st=$?
hash -d
echo st=$?
hash -p /nosuchdir/nosuchfile cat
hash -t cat
hash -l
hash -p /nosuchdir/nosuchfile cat ls
hash -t cat ls
hash -d cat ls
hash -t cat
echo st=$?
hash -p / root
echo st=$?
hash -p /nosuchdir/nosuchfile cat
cat </dev/null
echo st=$?
set +h
hash ls
echo st=$?
"#,
            r#"st=2
st=1
/nosuchdir/nosuchfile
builtin hash -p /nosuchdir/nosuchfile cat
cat	/nosuchdir/nosuchfile
ls	/nosuchdir/nosuchfile
st=1
st=1
st=127
st=1
"#,
            r#"s.sh: line 1: hash: -v: invalid option
hash: usage: hash [-lr] [-p pathname] [-dt] [name ...]
s.sh: line 3: hash: -d: option requires an argument
s.sh: line 11: hash: cat: not found
s.sh: line 13: hash: /: Is a directory
s.sh: line 16: /nosuchdir/nosuchfile: No such file or directory
s.sh: line 19: hash: hashing disabled
"#,
            0,
        ),
        (
            "umask_shopt_read_mapfile_trap_builtin_kill_messages",
            r#"umask 09
umask u=rwx:g=rwx
umask u:rwx
umask g=p
echo st=$?
shopt -s -u checkhash
echo st=$?
read -a invalid-name </dev/null
echo st=$?
mapfile '' </dev/null
mapfile bad-var </dev/null
trap -p NOSIG
echo st=$?
trap -s NOSIG
echo st=$?
builtin -x
echo st=$?
kill -HUP ''
echo st=$?
"#,
            r#"st=1
st=1
st=1
st=1
st=2
st=2
st=1
"#,
            r#"s.sh: line 1: umask: 09: octal number out of range
s.sh: line 2: umask: `:': invalid symbolic mode character
s.sh: line 3: umask: `:': invalid symbolic mode operator
s.sh: line 4: umask: `p': invalid symbolic mode character
s.sh: line 6: shopt: cannot set and unset shell options simultaneously
s.sh: line 8: read: `invalid-name': not a valid identifier
s.sh: line 10: mapfile: empty array variable name
s.sh: line 11: mapfile: `bad-var': not a valid identifier
s.sh: line 12: trap: NOSIG: invalid signal specification
s.sh: line 14: trap: -s: invalid option
trap: usage: trap [-Plp] [[action] signal_spec ...]
s.sh: line 16: builtin: -x: invalid option
builtin: usage: builtin [shell-builtin [arg ...]]
s.sh: line 18: kill: `': not a pid or valid job spec
"#,
            0,
        ),
        (
            "readonly_pwd_loop_variables_indirection_and_unbound_elements",
            r#"readonly PWD
cd /
echo st=$? $(pwd) ${PWD%%/*}
(set -o posix; for f in 1 2; do readonly f; done; echo not reached)
echo st=$?
x=-3; echo ${!x}
echo st=$?
foo=invalid-ident
echo ${!foo:-unset}
echo st=$?
trap -p -s NOSIG
echo st=$?
set -u
a=(1); i=7
(echo ${a[$i]})
echo st=$?
"#,
            r#"st=1 /
st=1
st=1
st=1
st=2
st=1
"#,
            r#"s.sh: line 2: PWD: readonly variable
s.sh: line 4: f: readonly variable
s.sh: line 6: -3: invalid variable name
s.sh: line 9: invalid-ident: invalid variable name
s.sh: line 11: trap: -s: invalid option
trap: usage: trap [-Plp] [[action] signal_spec ...]
s.sh: line 15: a[$i]: unbound variable
"#,
            0,
        ),
        (
            "element_names_for_export_and_posix_return",
            r#"export AA[4]
echo st=$?
readonly BB[1]=x
echo st=$?
(set -o posix; command return 16 || echo ok; command set -o notanoption || echo ok 2)
(set -o posix; return; echo not reached)
echo end
"#,
            r#"st=1
st=1
ok
ok 2
end
"#,
            r#"s.sh: line 1: export: `AA[4]': not a valid identifier
s.sh: line 3: readonly: `BB[1]': not a valid identifier
s.sh: line 5: return: can only `return' from a function or sourced script
s.sh: line 5: set: notanoption: invalid option name
s.sh: line 6: return: can only `return' from a function or sourced script
"#,
            0,
        ),
        (
            "help_options_and_usage_lines",
            r#"help -x
echo st=$?
help -s help builtin
help -s 'readar*'
help -s mapf
"#,
            r#"st=2
help: help [-dms] [pattern ...]
builtin: builtin [shell-builtin [arg ...]]
Shell commands matching keyword `readar*'

readarray: readarray [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]
mapfile: mapfile [-d delim] [-n count] [-O origin] [-s count] [-t] [-u fd] [-C callback] [-c quantum] [array]
"#,
            r#"s.sh: line 1: help: -x: invalid option
help: usage: help [-dms] [pattern ...]
"#,
            0,
        ),
        (
            "directory_stack_and_declare_fp_errors",
            r#"cd /
pushd /tmp >/dev/null
dirs --
pushd -x
echo st=$?
popd -8
popd +8
popd -- +8
declare -f -p f1 f2
echo st=$?
"#,
            r#"/tmp /
st=2
/
st=1
"#,
            r#"s.sh: line 4: pushd: -x: invalid number
pushd: usage: pushd [-n] [+N | -N | dir]
s.sh: line 6: popd: -8: directory stack index out of range
s.sh: line 7: popd: +8: directory stack index out of range
s.sh: line 9: declare: f1: not found
s.sh: line 9: declare: f2: not found
"#,
            0,
        ),
        (
            "ulimit_usage_and_set_o_before_an_option",
            r#"ulimit -g
echo st=$?
ulimit -c -S -- +1999
echo st=$?
set -o -B | grep -c braceexpand
"#,
            r#"st=2
st=1
1
"#,
            r#"s.sh: line 1: ulimit: -g: invalid option
ulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]
s.sh: line 3: ulimit: +1999: invalid number
"#,
            0,
        ),
    ]);
}

/// Where bash 5.3 words or scores an error differently from 5.2: too
/// many arguments is a usage error (2) for `shift`, `return` and `exit`
/// (which does not exit), a bad `return` operand still returns, and
/// `kill` names a bad operand as `wait` does.
#[test]
fn bash_5_3_usage_errors() {
    check(&[(
        "too_many_arguments_and_bad_operands",
        r#"set -- a b c
shift 1 2
echo st=$?
f() { return abcde; echo in f; }
f
echo st=$?
f() { return 1 2; echo in f; }
f
echo st=$?
exit 1 2
echo st=$?
(set -o posix; exit 1 2; shift 1 2; echo still here)
history x
echo st=$?
kill -HUP @12
echo st=$?
trap -s NOSIG
echo st=$?
"#,
        r#"st=2
st=2
st=2
st=2
still here
st=2
st=1
st=2
"#,
        r#"s.sh: line 2: shift: too many arguments
s.sh: line 4: return: abcde: numeric argument required
s.sh: line 7: return: too many arguments
s.sh: line 10: exit: too many arguments
s.sh: line 12: exit: too many arguments
s.sh: line 12: shift: too many arguments
s.sh: line 13: history: x: numeric argument required
s.sh: line 15: kill: `@12': not a pid or valid job spec
s.sh: line 17: trap: -s: invalid option
trap: usage: trap [-Plp] [[action] signal_spec ...]
"#,
        0,
    )]);
}

/// `.`/`source -p path` (bash 5.3): only `path` is searched (`.` there
/// for the current directory), a file not found there is named with the
/// builtin; options are checked and the usage line shows `-p`.
#[test]
fn source_with_a_search_path() {
    let dir = common::tempdir();
    std::fs::create_dir(dir.join("sdir")).unwrap();
    std::fs::write(dir.join("sdir/lib.sh"), "echo in sdir\n").unwrap();
    std::fs::write(dir.join("here.sh"), "echo here\n").unwrap();
    let script = ". -p sdir lib.sh\nsource -p sdir:. here.sh\n. -p sdir here.sh\necho st=$?\n. -x lib.sh\necho st=$?\n.\necho st=$?\n";
    let out = common::run_file_in(common::pidsh(), script, &dir);
    assert_eq!(out.stdout, "in sdir\nhere\nst=1\nst=2\nst=2\n");
    assert_eq!(
        out.stderr,
        "s.sh: line 3: .: here.sh: file not found\n\
         s.sh: line 5: .: -x: invalid option\n\
         .: usage: . [-p path] filename [arguments]\n\
         s.sh: line 7: .: filename argument required\n\
         .: usage: . [-p path] filename [arguments]\n"
    );
}

/// A `.` script given arguments: what it sets with `set` stays after it
/// (bash), what `shift` or a function's `set` did does not.
#[test]
fn source_keeps_the_parameters_it_sets() {
    let dir = common::tempdir();
    std::fs::write(dir.join("shift.sub"), "shift\n").unwrap();
    std::fs::write(dir.join("set.sub"), "set -- m n o p\n").unwrap();
    std::fs::write(dir.join("func.sub"), "f() { set -- q; }\nf\n").unwrap();
    let script = "set -- a b c\n. ./shift.sub 1 2\necho \"$@\"\n. ./func.sub 1 2\necho \"$@\"\n. ./set.sub x y z\necho \"$@\"\n";
    let out = common::run_file_in(common::pidsh(), script, &dir);
    assert_eq!(out.stdout, "a b c\na b c\nm n o p\n");
}
