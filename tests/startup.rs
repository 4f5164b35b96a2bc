//! What the shell learns and sets up when it starts, now that most of it is
//! found late or cheaply: `$$` and `$PPID`, signals ignored on entry,
//! the descriptors it inherited (low and high), `PWD`, `GROUPS`, its own
//! executable for self-spawns, and the nesting limit of shell code that
//! starts on the main thread and moves to a big-stack thread (also under
//! a small `ulimit -s`, given before the shell starts or by the shell).
#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Command, Stdio};

use common::{Case, check_cases, pidsh, run_c, tempdir};

const NESTING: &str = "pidsh: line 1: f: maximum function nesting level exceeded (1000)\n";

const CASES: &[Case] = &[
    (
        "a function that calls itself without end stops at the nesting limit",
        "f() { f; }; f; echo not reached",
        "",
        NESTING,
        1,
    ),
    (
        "recursion through eval and a brace group stops at the nesting limit",
        "f() { eval '{ f; }'; }; f; echo not reached",
        "",
        NESTING,
        1,
    ),
    (
        "recursion through command substitution stops at the nesting limit",
        "f() { echo $(f); }; f; echo \"st=$?\"",
        "\nst=0\n",
        NESTING,
        0,
    ),
    (
        "a trap on a signal not ignored at start runs",
        "trap 'echo got' USR1; kill -s USR1 $$; echo after",
        "got\nafter\n",
        "",
        0,
    ),
    (
        "a subshell that traps a signal runs as a pidsh process",
        "( trap 'echo sub' USR1; kill -s USR1 $BASHPID; echo in-sub ); echo done",
        "sub\nin-sub\ndone\n",
        "",
        0,
    ),
    (
        "a script without #! runs in pidsh itself",
        "printf 'echo from-script $#\\n' > s; chmod +x s; ./s a b",
        "from-script 2\n",
        "",
        0,
    ),
    (
        "GROUPS starts with the real group id",
        "[ \"${GROUPS[0]}\" = \"$(id -g)\" ] && echo same",
        "same\n",
        "",
        0,
    ),
];

#[test]
fn the_shell_starts_as_it_should() {
    check_cases("", CASES);
}

#[test]
fn dollar_dollar_is_the_shell_process() {
    let child = pidsh()
        .args(["-c", "echo $$"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{pid}\n"));
}

#[test]
fn ppid_is_the_process_that_started_the_shell() {
    let run = run_c("echo $PPID");
    assert_eq!(run.stdout, format!("{}\n", std::process::id()));
}

#[test]
fn signals_ignored_on_entry_stay_ignored_and_untrappable() {
    let inner = "trap - USR1; trap 'echo caught' TERM; trap -p; \
                 kill -s TERM $$; kill -s USR1 $$; echo alive";
    let outer = format!(
        "trap '' USR1 TERM; exec '{}' -c \"{inner}\"",
        env!("CARGO_BIN_EXE_pidsh")
    );
    let out = Command::new("sh")
        .args(["-c", &outer])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "trap -- '' SIGUSR1\ntrap -- '' SIGTERM\nalive\n"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn inherited_descriptors_low_and_high_reach_commands() {
    // 70 is beyond the file table a process starts with (64 entries).
    let script = format!(
        "exec 5>five 70>seventy; '{}' -c 'echo low >&5; echo high >&70; echo $?'; cat five seventy",
        env!("CARGO_BIN_EXE_pidsh")
    );
    let run = run_c(&script);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("0\nlow\nhigh\n", "")
    );
}

#[test]
fn pwd_from_the_environment_is_kept_only_when_it_names_the_directory() {
    let dir = tempdir();
    let real = dir.join("real");
    std::fs::create_dir_all(&real).unwrap();
    let link = dir.join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let real = real.canonicalize().unwrap();
    let pwd_given = |pwd: &std::path::Path| {
        let out = pidsh()
            .args(["-c", "echo \"$PWD\""])
            .current_dir(&real)
            .env("PWD", pwd)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = |p: &std::path::Path| format!("{}\n", p.display());
    assert_eq!(pwd_given(&link), shown(&link), "a symbolic link to it");
    assert_eq!(pwd_given(&real), shown(&real), "its own name");
    assert_eq!(pwd_given(&dir), shown(&real), "another directory");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn deep_compound_nesting_runs_to_the_end() {
    // Deeper than the main thread's share of the stack in a debug build:
    // the shell moves to a big-stack thread and goes on.
    let depth = 400;
    let script = format!(
        "{}echo deep{}",
        "if true; then { ".repeat(depth),
        " ; } fi".repeat(depth)
    );
    let run = run_c(&script);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str(), run.status),
        ("deep\n", "", 0)
    );
}

#[test]
fn a_small_stack_limit_still_parses_and_runs_deep_nesting() {
    // Under `ulimit -s 256` the shell starts on a big-stack thread at once.
    let depth = 400;
    let deep = format!(
        "{}echo deep{}",
        "if true; then { ".repeat(depth),
        " ; } fi".repeat(depth)
    );
    let script = format!(
        "ulimit -s 256; '{}' -c '{deep}; f() {{ f; }}; f'",
        env!("CARGO_BIN_EXE_pidsh")
    );
    let run = run_c(&script);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("deep\n", NESTING)
    );
}

#[test]
fn a_stack_limit_lowered_by_the_shell_itself_still_ends_cleanly() {
    let deep = format!(
        "{}echo deep{}",
        "if true; then { ".repeat(400),
        " ; } fi".repeat(400)
    );
    let run = run_c(&format!(
        "ulimit -s 256; {deep}; eval '{deep}'; f() {{ f; }}; f"
    ));
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("deep\ndeep\n", NESTING)
    );
}
