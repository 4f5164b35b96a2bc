//! POSIX exactly (XCU chapter 2 and the utilities' pages): the errors that
//! end a non-interactive shell, `command`, redirections and assignments,
//! traps, expansions, aliases as tokens.
//!
//! Each case says the mode it runs in: `Bash` (pidsh's default, whose
//! expected output is what bash prints) or `Posix` (`--posix`, expected
//! what dash prints, which is POSIX's answer where bash differs; the
//! status of a fatal error is dash's 2). Where a case is plain POSIX, bash
//! and dash agree on it. Every case runs on the default and the
//! `posix_spawn` backend.
#![allow(clippy::unwrap_used)]

mod common;

use std::os::unix::process::CommandExt;
use std::process::Stdio;

use common::BACKENDS;

#[derive(Clone, Copy, Debug)]
enum Mode {
    Bash,
    Posix,
}
use Mode::{Bash, Posix};

/// (name, mode, script, expected stdout, expected stderr, status).
type Case = (
    &'static str,
    Mode,
    &'static str,
    &'static str,
    &'static str,
    i32,
);

/// Runs `pidsh [--posix] -c script` on `backend` in a fresh directory.
fn run(backend: &str, mode: Mode, script: &str) -> common::Run {
    let dir = common::tempdir();
    let mut cmd = common::pidsh();
    if matches!(mode, Posix) {
        cmd.arg("--posix");
    }
    let out = cmd
        .env("PIDSH_SPAWN", backend)
        .arg("-c")
        .arg(script)
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    common::Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

fn check(cases: &[Case]) {
    common::check_table(
        &BACKENDS,
        cases,
        |(name, mode, script, ..)| format!("{name} ({mode:?}): {script:?}"),
        |(_, _, _, stdout, stderr, status)| common::Expect {
            stdout,
            stderr: Some(stderr),
            status: *status,
        },
        |backend, (_, mode, script, ..)| run(backend, *mode, script),
    );
}

#[test]
fn posix_errors_end_a_noninteractive_shell() {
    check(&[
        (
            "readonly before a regular builtin",
            Posix,
            "readonly a=a; a=b cd /; echo not reached",
            "",
            "pidsh: line 1: a: readonly variable\n",
            2,
        ),
        (
            "readonly before a regular builtin, bash goes on without it",
            Bash,
            "readonly a=a; a=b cd /; echo reached $?",
            "reached 0\n",
            "pidsh: line 1: a: readonly variable\n",
            0,
        ),
        (
            "readonly before a function",
            Posix,
            "readonly a=a; f() { echo f; }; a=b f; echo not reached",
            "",
            "pidsh: line 1: a: readonly variable\n",
            2,
        ),
        (
            "readonly before a function, bash runs it",
            Bash,
            "readonly a=a; f() { echo f $a; }; a=b f; echo reached",
            "f a\nreached\n",
            "pidsh: line 1: a: readonly variable\n",
            0,
        ),
        (
            "readonly before an external command: it never runs",
            Posix,
            "readonly a=a; a=b sh -c 'echo ran $a'; echo not reached",
            "",
            "pidsh: line 1: a: readonly variable\n",
            2,
        ),
        (
            "readonly before an external command, bash runs it without",
            Bash,
            "readonly a=a; a=b sh -c 'echo ran $a'; echo reached",
            "ran\nreached\n",
            "pidsh: line 1: a: readonly variable\n",
            0,
        ),
        (
            "redirection error on a special builtin",
            Posix,
            ": <nofile; echo not reached",
            "",
            "pidsh: line 1: nofile: No such file or directory\n",
            2,
        ),
        (
            "redirection error on a special builtin, bash goes on",
            Bash,
            ": <nofile; echo reached $?",
            "reached 1\n",
            "pidsh: line 1: nofile: No such file or directory\n",
            0,
        ),
        (
            "redirection error on a regular builtin is not fatal",
            Posix,
            "echo x <nofile; echo reached $?",
            "reached 1\n",
            "pidsh: line 1: nofile: No such file or directory\n",
            0,
        ),
        (
            "syntax error inside eval",
            Posix,
            "eval fi; echo not reached",
            "",
            "pidsh: syntax error near unexpected token `fi'\npidsh: `fi'\n",
            2,
        ),
        (
            "syntax error inside eval, bash goes on",
            Bash,
            "eval fi; echo reached $?",
            "reached 2\n",
            "pidsh: syntax error near unexpected token `fi'\npidsh: `fi'\n",
            0,
        ),
        (
            "syntax error inside a dot script",
            Posix,
            "echo 'if' >f; . ./f; echo not reached",
            "",
            "./f: line 2: syntax error: unexpected end of file from `if' command on line 1\n",
            2,
        ),
        (
            "dot of a missing file",
            Posix,
            ". ./missing; echo not reached",
            "",
            "pidsh: line 1: ./missing: No such file or directory\n",
            2,
        ),
        (
            "dot of a missing file, bash goes on",
            Bash,
            ". ./missing; echo reached $?",
            "reached 1\n",
            "pidsh: line 1: ./missing: No such file or directory\n",
            0,
        ),
        (
            "a fatal error ends only the subshell",
            Posix,
            "(: <nofile; echo not reached); echo after $?",
            "after 2\n",
            "pidsh: line 1: nofile: No such file or directory\n",
            0,
        ),
    ]);
}

#[test]
fn command_takes_away_special_builtin_errors() {
    let modes = [Bash, Posix];
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "command set +o nosuch; echo survived $?",
            "survived 2\n",
            "pidsh: line 1: set: nosuch: invalid option name\n",
            "set with a bad option",
        ),
        (
            "readonly R=1; command unset -v R; echo survived $?",
            "survived 1\n",
            "pidsh: line 1: unset: R: cannot unset: readonly variable\n",
            "unset of a readonly variable",
        ),
        (
            "command : <nofile; echo survived $?",
            "survived 1\n",
            "pidsh: line 1: nofile: No such file or directory\n",
            "redirection error",
        ),
        (
            "command eval fi; echo survived $?",
            "survived 2\n",
            "pidsh: syntax error near unexpected token `fi'\npidsh: `fi'\n",
            "syntax error in eval",
        ),
        (
            "command . ./missing; echo survived $?",
            "survived 1\n",
            "pidsh: line 1: ./missing: No such file or directory\n",
            "dot of a missing file",
        ),
    ];
    let mut table = Vec::new();
    for mode in modes {
        for (script, stdout, stderr, name) in cases {
            table.push((*name, mode, *script, *stdout, *stderr, 0));
        }
    }
    check(&table);
}

#[test]
fn command_options() {
    let ls = ["/usr/bin/ls", "/bin/ls"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .unwrap();
    let default_path_first = String::from_utf8(
        std::process::Command::new("getconf")
            .arg("PATH")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // `command -p` finds ls where the C library's default PATH puts it.
    let found = default_path_first
        .trim()
        .split(':')
        .map(|d| format!("{d}/ls"))
        .find(|p| std::path::Path::new(p).exists())
        .unwrap_or_else(|| ls.to_string());
    let script = "PATH=/dev/null; command -p -v ls; command -pv ls; command -vp ls; \
                  command -pV ls; command -p ls /dev/null; command -p env | command -p grep -c '^PATH=/dev/null$'";
    let want = format!("{found}\n{found}\n{found}\nls is {found}\n/dev/null\n1\n");
    for backend in BACKENDS {
        let r = run(backend, Bash, script);
        assert_eq!(
            (r.stdout.as_str(), r.stderr.as_str(), r.status),
            (want.as_str(), "", 0)
        );
    }
    check(&[
        (
            "an invalid option is an error, not a command",
            Bash,
            "command -@ x; echo $?",
            "2\n",
            "pidsh: line 1: command: -@: invalid option\ncommand: usage: command [-pVv] command [arg ...]\n",
            0,
        ),
        (
            "-- ends the options",
            Bash,
            "command -- echo hi",
            "hi\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn invocation_as_sh_and_dollar_zero() {
    let dir = common::tempdir();
    // Run as `sh` (argv[0]): POSIX mode.
    let out = common::pidsh()
        .arg0("sh")
        .arg("-c")
        .arg(": <nofile; echo not reached")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert_eq!(out.status.code(), Some(2));
    // `$0` is the path as given; a first operand `-` is skipped.
    let exe = env!("CARGO_BIN_EXE_pidsh");
    let out = common::pidsh().arg("-c").arg("echo $0").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{exe}\n"));
    let mut cmd = common::pidsh();
    cmd.args(["-s", "-", "x"]);
    let out = common::feed(cmd, "echo $# $1\n");
    assert_eq!(out.stdout, "1 x\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn redirections_and_assignments() {
    check(&[
        (
            "exec in a redirected group keeps its descriptor",
            Bash,
            "{ exec 5>x; } >/dev/null; echo hi >&5; cat x",
            "hi\n",
            "",
            0,
        ),
        (
            "exec in a redirected function keeps its descriptor",
            Posix,
            "f() { exec 6>x; echo in; }; f >/dev/null; echo there >&6; cat x",
            "there\n",
            "",
            0,
        ),
        (
            "the group's own redirection is still undone",
            Bash,
            "{ exec >y; } >/dev/null; echo hi; cat y",
            "hi\n",
            "",
            0,
        ),
        (
            "a descriptor the group redirected is restored over exec's",
            Bash,
            "{ exec 5>x; } 5>/dev/null; echo hi >&5",
            "",
            "pidsh: line 1: 5: Bad file descriptor\n",
            1,
        ),
        (
            "POSIX mode: no pathname expansion of a redirection word",
            Posix,
            "echo STAR >'in*'; echo A >inA; cat <in*",
            "STAR\n",
            "",
            0,
        ),
        (
            "POSIX mode: no field splitting of a redirection word",
            Posix,
            "f='a b'; echo hi >$f; cat 'a b'",
            "hi\n",
            "",
            0,
        ),
        (
            "bash mode: a pattern matching two files is ambiguous",
            Bash,
            "echo STAR >'in*'; echo A >inA; cat <in*",
            "",
            "pidsh: line 1: in*: ambiguous redirect\n",
            1,
        ),
        (
            "status of a command substitution in a redirection",
            Bash,
            ">/dev/null$(exit 17); echo $?; $(exit 3) >/dev/null; echo $?",
            "17\n3\n",
            "",
            0,
        ),
        (
            "same in POSIX mode",
            Posix,
            ">/dev/null$(exit 17); echo $?; $(exit 3) >/dev/null; echo $?",
            "17\n3\n",
            "",
            0,
        ),
        (
            "POSIX order without a command: redirections, then assignments",
            Posix,
            "echo old >f; v=$(cat f) >f; echo \"[$v]\"; x=$(exit 4) >/dev/null$(exit 5); echo $?",
            "[]\n4\n",
            "",
            0,
        ),
        // bash assigns first here ("[old]", 5); pidsh keeps POSIX's order
        // in both modes, as the conformance suite asks.
        (
            "POSIX order without a command, in bash mode too",
            Bash,
            "echo old >f; v=$(cat f) >f; echo \"[$v]\"; x=$(exit 4) >/dev/null$(exit 5); echo $?",
            "[]\n4\n",
            "",
            0,
        ),
        (
            "special builtin: redirections, then assignments",
            Bash,
            "echo old >f; v=$(cat f) : >f; echo \"[$v]\"",
            "[]\n",
            "",
            0,
        ),
        (
            "an assignment before exec goes into the command's environment",
            Posix,
            "VAR=x exec sh -c 'echo $VAR'",
            "x\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn traps() {
    check(&[
        (
            "exit without operand in an EXIT trap: the status from before it",
            Bash,
            "trap '(exit 1); exit' EXIT; (exit 2); exit",
            "",
            "",
            2,
        ),
        (
            "same after a failing command in the trap",
            Posix,
            "trap 'false; exit' EXIT; exit 3",
            "",
            "",
            3,
        ),
        (
            "a subshell's exit in the trap is its own",
            Bash,
            "trap '(false; exit); echo $?' EXIT; true",
            "1\n",
            "",
            0,
        ),
        (
            "POSIX mode: in a signal trap too",
            Posix,
            "trap 'false; exit' USR1; kill -s USR1 $$; echo not reached",
            "",
            "",
            0,
        ),
        (
            "bash mode: a signal trap's exit takes the trap's last status",
            Bash,
            "trap 'false; exit' USR1; kill -s USR1 $$; echo not reached",
            "",
            "",
            1,
        ),
        (
            "a subshell lists its parent's traps until it changes one",
            Bash,
            "trap 'echo t' EXIT; t=$(trap); echo \"$t\"; (trap); (trap 'echo x' INT; trap)",
            "trap -- 'echo t' EXIT\ntrap -- 'echo t' EXIT\ntrap -- 'echo x' SIGINT\nt\n",
            "",
            0,
        ),
        (
            "a subshell that is a process lists them too",
            Bash,
            "trap 'echo t' EXIT; (trap; : $BASHPID); x=$(trap; : $BASHPID); echo \"$x\"",
            "trap -- 'echo t' EXIT\ntrap -- 'echo t' EXIT\nt\n",
            "",
            0,
        ),
        // POSIX and bash's POSIX mode (dash lists nothing in a subshell).
        (
            "POSIX mode lists signals without SIG",
            Posix,
            "trap 'echo u' USR1; (trap); trap '' QUIT; x=$(trap); echo \"$x\"",
            "trap -- 'echo u' USR1\ntrap -- '' QUIT\ntrap -- 'echo u' USR1\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn trap_pending_at_the_end_of_standard_input() {
    for backend in BACKENDS {
        let mut cmd = common::pidsh();
        cmd.env("PIDSH_SPAWN", backend);
        let out = common::feed(cmd, "trap \"echo trapped\" USR1\nkill -s USR1 $$\n");
        assert_eq!(out.stdout, "trapped\n");
    }
}

#[test]
fn expansions_and_the_rest() {
    check(&[
        (
            "unquoted $* where nothing is split joins with IFS's first character",
            Bash,
            "set -- a 'b c' d; IFS=:; v=$*; echo \"$v\"; unset u; : ${u=$*}; echo \"$u\"; \
             case $* in 'a:b c:d') echo case;; esac; export e=$*; echo \"$e\"; \
             f() { local l=$*; echo \"$l\"; }; f \"$@\"; p1=1 p2=2; w=${!p*}; echo \"$w\"",
            "a:b c:d\na:b c:d\ncase\na:b c:d\na:b c:d\np1:p2\n",
            "",
            0,
        ),
        (
            "$@ joins with spaces, an empty IFS joins $* with nothing",
            Posix,
            "set -- a 'b c' d; IFS=:; v=$@; echo \"$v\"; IFS=; v=$*; echo \"$v\"; unset IFS; v=$*; echo \"$v\"",
            "a b c d\nab cd\na b c d\n",
            "",
            0,
        ),
        (
            "tilde expansion in the pattern of ${a#~}",
            Bash,
            "HOME=/home/foo a=/home/foo/bar; echo \"${a#~}\" ${a/~/X} ${a%~} ${a#~/}; b='~x'; echo ${b#\\~}",
            "/bar X/bar /home/foo/bar bar\nx\n",
            "",
            0,
        ),
        // POSIX and bash (dash matches none of them).
        (
            "collating symbols and equivalence classes",
            Posix,
            "for c in a - b ']' x; do case $c in [[.a.]]) echo 1;; [[.-.]]) echo 2;; \
             [[=b=]]) echo 3;; [[.].]]) echo 4;; [[.a.]-z]) echo 5;; esac; done",
            "1\n2\n3\n4\n5\n",
            "",
            0,
        ),
        // bash (dash takes it for 0); bash's status is 127.
        (
            "set -u: an unset variable in arithmetic",
            Bash,
            "set -u; x=1; echo $((x+1)) $((0 && z)); echo $((z)); echo not reached",
            "2 0\n",
            "pidsh: line 1: z: unbound variable\n",
            1,
        ),
        (
            "getopts leaves OPTARG unset after a flag",
            Posix,
            "OPTARG=x; getopts ab: o -a; echo \"$o ${OPTARG-unset}\"",
            "a unset\n",
            "",
            0,
        ),
        (
            "break and continue leave $? at 0",
            Bash,
            "for i in 1 2; do [ $i = 2 ] && break; done; echo $?; \
             for i in 1 2; do false; [ $i = 2 ] && continue; done; echo $?",
            "0\n0\n",
            "",
            0,
        ),
        (
            "under set -e a loop left by break goes on",
            Posix,
            "set -e; for i in 1 2; do [ $i = 2 ] && break; done; echo went on",
            "went on\n",
            "",
            0,
        ),
        (
            "POSIX mode: wait for a pid that is not a child, quietly",
            Posix,
            "wait 1; echo $?",
            "127\n",
            "",
            0,
        ),
        (
            "bash mode: wait for a pid that is not a child says so",
            Bash,
            "wait 1; echo $?",
            "127\n",
            "pidsh: line 1: wait: pid 1 is not a child of this shell\n",
            0,
        ),
        (
            "cd: an empty CDPATH entry is the current directory",
            Posix,
            "mkdir sub; CDPATH=/nonexistent:; cd sub >/dev/null; echo ${PWD##*/}",
            "sub\n",
            "",
            0,
        ),
        (
            "cd: -L and -P combine, the last wins",
            Bash,
            "mkdir sub; ln -s sub lnk; cd -PL lnk; echo ${PWD##*/}; cd ..; cd -LP lnk; echo ${PWD##*/}",
            "lnk\nsub\n",
            "",
            0,
        ),
        (
            "cd: an invalid option",
            Bash,
            "cd -x; echo $?",
            "2\n",
            "pidsh: line 1: cd: -x: invalid option\ncd: usage: cd [-L|[-P [-e]] [-@]] [dir]\n",
            0,
        ),
        (
            "a here-document begun before a $( ) with its own",
            Bash,
            "cat <<EOF; x=$(cat <<E2\ninner\nE2\n); echo \"$x\"\nouter\nEOF",
            "outer\ninner\n",
            "",
            0,
        ),
        (
            "a here-document begun before a $( ) over two lines",
            Posix,
            "cat <<EOF; echo $(echo\necho x)\nouter\nEOF",
            "outer\nx\n",
            "",
            0,
        ),
        (
            "type, command -v and alias fail when their output cannot be written",
            Bash,
            "alias a=b; type ls >/dev/full; echo $?; command -v ls >/dev/full; echo $?; \
             alias a >/dev/full; echo $?",
            "1\n1\n1\n",
            "pidsh: line 1: type: write error: No space left on device\n\
             pidsh: line 1: command: write error: No space left on device\n\
             pidsh: line 1: alias: write error: No space left on device\n",
            0,
        ),
        (
            "alias lists in bash's form",
            Bash,
            "alias a=b c='x y'; alias a; alias",
            "alias a='b'\nalias a='b'\nalias c='x y'\n",
            "",
            0,
        ),
        (
            "alias lists in POSIX's form in POSIX mode",
            Posix,
            "alias a=b c='x y'; alias a; alias",
            "a='b'\na='b'\nc='x y'\n",
            "",
            0,
        ),
    ]);
}

/// Aliases as tokens: expected what dash and bash's POSIX mode print
/// (bash's default mode expands no aliases in a script; pidsh does).
#[test]
fn aliases_are_tokens() {
    check(&[
        (
            "aliases for { and }",
            Bash,
            "alias begin={ end=}\nif true; then begin echo ABC; end; fi",
            "ABC\n",
            "",
            0,
        ),
        (
            "an alias for !",
            Posix,
            "alias not='! '\nnot false && echo negated",
            "negated\n",
            "",
            0,
        ),
        (
            "an empty alias on a line of its own",
            Bash,
            "alias a=\na\necho ok",
            "ok\n",
            "",
            0,
        ),
        (
            "an alias that closes a group and opens a function",
            Posix,
            "alias B='}; f() { '\n{ echo a; B echo body; }; f",
            "a\nbody\n",
            "",
            0,
        ),
        (
            "a chain across trailing blanks and a line continuation",
            Bash,
            "alias e='echo ' x='hello ' n=''\ne \\\nx n ok",
            "hello ok\n",
            "",
            0,
        ),
        (
            "the first word of a blank-ended alias's text is a candidate too",
            Posix,
            "alias e='echo ' x='y ' y=z a='b ' b=echo d=D\ne x w; a d",
            "z w\nD\n",
            "",
            0,
        ),
        (
            "the chain ends with its command",
            Bash,
            "alias a='echo ' w='while ' y=Y\na; echo y; w echo y; do break; done",
            "\ny\ny\n",
            "",
            0,
        ),
        (
            "the words of for through aliases",
            Posix,
            "alias FOR1='for ' FOR2='FOR1 ' eye1='i ' eye2='eye1 ' IN='in ' onetwo='$one \"2\" '\n\
             one=1\nFOR2 eye2 IN onetwo 3; do echo $i; done",
            "1\n2\n3\n",
            "",
            0,
        ),
        (
            "an alias for do",
            Posix,
            "alias d='do echo'\nfor i in 1 2; d $i; done",
            "1\n2\n",
            "",
            0,
        ),
        (
            "a reserved word is no alias candidate",
            Bash,
            "alias if=echo\nif true; then echo y; fi",
            "y\n",
            "",
            0,
        ),
        (
            "a case pattern is not in command position",
            Posix,
            "alias a=echo\ncase a in\na) a in;;\nesac",
            "in\n",
            "",
            0,
        ),
        (
            "an alias with newlines runs all its lines",
            Bash,
            "alias e_='echo 1\necho 2\necho 3'\nvar='echo foo'\ne_ ${var}\necho after",
            "1\n2\n3 echo foo\nafter\n",
            "",
            0,
        ),
        (
            "an alias ending in an operator and a newline",
            Posix,
            "alias t1='echo one && echo two;\necho four'\nt1",
            "one\ntwo\nfour\n",
            "",
            0,
        ),
    ]);
}
