//! In-process code that no script can tell from a process: subshells that
//! signals, traps and pids reach as they would reach a process, a
//! hand-over to self-spawned subshells that carries the whole state, and
//! expansions that run in the subshell of the command they belong to.
//!
//! Every expected output is what bash prints (and dash, where the script
//! is POSIX). Each case runs on the default spawn backend and on
//! `posix_spawn`.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::BACKENDS;

/// (name, script, expected stdout, expected status); stderr must be empty.
type Case = (&'static str, &'static str, &'static str, i32);

/// Runs `pidsh -c script` in a fresh directory on `backend`.
fn run(backend: &str, script: &str) -> common::Run {
    let dir = common::tempdir();
    let r = common::run_on(backend, script, &dir, "");
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Runs every case on every backend; fails with all mismatches at once.
fn check(cases: &[Case]) {
    common::check_table(
        &BACKENDS,
        cases,
        |(name, script, ..)| format!("{name}: {script:?}"),
        |(_, _, stdout, status)| common::Expect {
            stdout,
            stderr: Some(""),
            status: *status,
        },
        |backend, (_, script, ..)| run(backend, script),
    );
}

#[test]
fn signals_meet_the_subshell_not_the_shell() {
    check(&[
        (
            "trap_runs_inside_the_substitution",
            r#"x=$(trap 'echo trapped' USR1; kill -s USR1 $BASHPID; echo after); echo "x=[$x]""#,
            "x=[trapped\nafter]\n",
            0,
        ),
        (
            "ignored_in_the_subshell_only",
            r#"(trap '' HUP; sh -c 'kill -HUP $PPID'; echo ok); echo after"#,
            "ok\nafter\n",
            0,
        ),
        (
            "dollar_dollar_is_the_main_shell",
            r#"trap "echo t" USR1; (kill -s USR1 $$; :); echo x"#,
            "t\nx\n",
            0,
        ),
        (
            "a_trapped_subshell_keeps_its_parents_traps_apart",
            r#"trap 'echo parent' USR1; (trap 'echo child' USR1; kill -s USR1 $BASHPID; :); echo done"#,
            "child\ndone\n",
            0,
        ),
        (
            "bashpid_is_the_process_running_the_code",
            r#"echo $(( $$ == BASHPID )); (echo $(( $$ != BASHPID ))); x=$(echo $BASHPID); [ "$x" != $$ ] && echo differs"#,
            "1\n1\ndiffers\n",
            0,
        ),
        (
            "a_childs_parent_is_the_subshell",
            r#"(sh -c 'echo $PPID' >f; echo $BASHPID >g); [ "$(cat f)" = "$(cat g)" ] && echo same"#,
            "same\n",
            0,
        ),
        (
            "a_subshell_process_keeps_what_is_ignored",
            r#"trap '' USR2; (trap -p USR2; kill -s USR2 $BASHPID; echo alive)"#,
            "trap -- '' SIGUSR2\nalive\n",
            0,
        ),
    ]);
}

#[test]
fn an_inherited_trap_is_reset_in_a_subshell_process() {
    // The subshell dies of SIGTERM; bash and dash then say `Terminated`
    // on stderr, which pidsh does not (yet): compare stdout and status.
    for backend in BACKENDS {
        let r = run(
            backend,
            r#"trap 'echo t' TERM; (sh -c 'kill -TERM $PPID'; echo no); echo "after $?""#,
        );
        assert_eq!(
            (r.stdout.as_str(), r.status),
            ("after 143\n", 0),
            "{backend}: {r:?}"
        );
    }
}

/// Starts `pidsh -c script`, waits for its first line (`ready`), sends
/// `signal` `count` times, then closes the script's standard input (a
/// script may wait for that end of input to know every signal was sent),
/// and returns the rest of stdout and the status.
fn signal_during(backend: &str, script: &str, signal: i32, count: usize) -> (String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pidsh"))
        .env("PIDSH_SPAWN", backend)
        .arg("-c")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert_eq!(first, "ready\n");
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let signal = nix::sys::signal::Signal::try_from(signal).unwrap();
    for _ in 0..count {
        nix::sys::signal::kill(pid, signal).unwrap();
    }
    drop(child.stdin.take());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).unwrap();
    let status = child.wait().unwrap().code().unwrap_or(-1);
    (rest, status)
}

#[test]
fn a_signal_caught_while_in_process_code_runs_is_not_lost() {
    for backend in BACKENDS {
        for body in [
            "x=$(sleep 2; echo y)",
            "(sleep 2)",
            "{ sleep 2; echo y; } | cat >/dev/null",
        ] {
            let script = format!("trap 'echo TERM; exit 5' TERM; echo ready; {body}; echo done");
            let got = signal_during(backend, &script, libc::SIGTERM, 1);
            assert_eq!(got, ("TERM\n".to_string(), 5), "{backend}: {body}");
        }
        // Many signals during one substitution: the trap runs once, after
        // it. (The substitution itself says `ready`, so no signal comes
        // before it, and it ends at the end of its input, once every
        // signal was sent, however slow the machine.)
        let script = "n=0; trap 'n=$((n+1))' USR1; exec 3>&1; \
            x=$(echo ready >&3; read -r l; echo y); echo \"n=$n x=$x\"";
        let got = signal_during(backend, script, libc::SIGUSR1, 1000);
        assert_eq!(got, ("n=1 x=y\n".to_string(), 0), "{backend}");
    }
}

#[test]
fn the_hand_over_is_complete() {
    check(&[
        (
            "every_kind_of_variable",
            r#"a=(1 2 3); a[10]=x; declare -A m=([k]=v); declare -i n=5; declare -l lo=ABC; declare -u up=abc; declare -r ro=1; declare -x ex=e; declare -n ref=a
f(){ echo "${#a[@]} $? ${m[k]} ${!m[@]} ${#m[@]} $n $lo $up $ro $ex ${ref[1]}"; n+=1; echo $n; lo=XY; echo $lo; }; false; f & wait"#,
            "4 1 v k 1 5 abc ABC 1 e 2\n6\nxy\n",
            0,
        ),
        (
            "declare_p_is_the_same",
            r#"a=(x 'y z'); declare -A m=([k]=v); declare -ir i=3; declare -x e=1; declare -p a m i e >fg; { declare -p a m i e; } >bg & wait; cmp fg bg && echo same"#,
            "same\n",
            0,
        ),
        (
            "positional_status_and_bang",
            r#"set -- a 'b c'; sleep 0 & p=$!; wait; false; { echo "$# $2 $?"; [ "$!" = "$p" ] && echo bang; } & wait"#,
            "2 b c 1\nbang\n",
            0,
        ),
        (
            "options_shopts_traps_cwd_umask_fds",
            r#"set -o pipefail -u; shopt -s extglob; trap '' USR1; cd /; umask 027; exec 3>"$OLDPWD/out"
{ case $- in *u*) echo u; esac; shopt -p extglob; set -o | grep pipefail; trap -p USR1; pwd; umask; echo fd3 >&3; } & wait; cat "$OLDPWD/out""#,
            "u\nshopt -s extglob\npipefail       \ton\ntrap -- '' SIGUSR1\n/\n0027\nfd3\n",
            0,
        ),
        (
            "functions_and_locals",
            r#"g(){ echo "g $1"; }; f(){ local v=loc; { echo "$v ${FUNCNAME[*]}"; g x; local w=1; return 3; } & wait $!; echo "st=$?"; }; f"#,
            "loc f\ng x\nst=3\n",
            0,
        ),
        (
            "a_big_state_travels_outside_argv",
            // The job's line comes first: the shell waits before its own.
            r#"x=$(printf '%0300000d' 0); { echo ${#x}; } & wait "$!" && echo bang"#,
            "300000\nbang\n",
            0,
        ),
        (
            "no_value_in_a_childs_cmdline_or_environment",
            r#"secret=hunter2; { sleep 1; } & case $(tr '\0' ' ' </proc/$!/cmdline; tr '\0' ' ' </proc/$!/environ) in *hunter2*) echo leaked;; *) echo clean;; esac; wait"#,
            "clean\n",
            0,
        ),
    ]);
}

/// The call stack (`BASH_SOURCE`, `BASH_LINENO`, `FUNCNAME`, `caller`)
/// and `getopts`' place inside a bundled argument reach a subshell that
/// runs as a process, as they reach one that runs in-process.
#[test]
fn the_hand_over_carries_the_call_stack_and_getopts_position() {
    let script = r#"printf 'f() { { echo "${BASH_SOURCE[*]}|${BASH_LINENO[*]}|${FUNCNAME[*]}"; caller 0; } & wait; }\n' >lib.sh
. ./lib.sh
g() { f; }
g
set -- -abc; getopts abc o; { getopts abc o; echo $o; } & wait
"#;
    let r = common::run_file(script, None);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        ("./lib.sh s.sh s.sh|3 4 0|f g main\n3 g s.sh\nb\n", "", 0)
    );
}

#[test]
fn a_ten_mib_variable_survives_a_background_function() {
    for backend in BACKENDS {
        let r = run(
            backend,
            r#"x=$(head -c 10485760 /dev/zero | tr '\0' a); f(){ echo ${#x}; }; f & wait"#,
        );
        assert_eq!(
            (r.stdout.as_str(), r.status),
            ("10485760\n", 0),
            "{backend}: {r:?}"
        );
    }
}

#[test]
fn the_environment_cannot_set_the_shells_identity() {
    for var in ["PIDSH_SHELL_PID=1", "PIDSH_IGNORED_ON_ENTRY=2"] {
        let (name, value) = var.split_once('=').unwrap();
        let out = common::pidsh()
            .env(name, value)
            .arg("-c")
            .arg("echo $(( $$ == BASHPID )); trap 'echo int' INT; kill -s INT $$")
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "1\nint\n", "{var}");
    }
}

#[test]
fn expansions_run_where_the_command_runs() {
    check(&[
        (
            "external_stage_assigns_in_its_subshell",
            r#"unset n; ls ${n:=/dev/null} | cat; echo "n=$n""#,
            "/dev/null\nn=\n",
            0,
        ),
        (
            "a_command_name_is_expanded_once",
            r#"i=0; a=(echo printf); ${a[$((i++))]} hi | cat; echo $i"#,
            "hi\n0\n",
            0,
        ),
        (
            "external_substitution",
            r#"unset n; x=$(/bin/echo ${n:=6}); echo "n=$n x=$x""#,
            "n= x=6\n",
            0,
        ),
        (
            "background_external",
            r#"unset n; /bin/true ${n:=1} & wait; echo "n=$n""#,
            "n=\n",
            0,
        ),
        (
            "expanded_name_of_shell_code",
            r#"f(){ echo "f:$*"; }; c=f; $c x 'y z' | cat; c=echo; $c a | cat"#,
            "f:x y z\na\n",
            0,
        ),
    ]);
}
