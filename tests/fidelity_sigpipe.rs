//! SIGPIPE and the fatal signals as a process would see them: the shell
//! keeps the SIGPIPE disposition it inherited (dies of it, traps it, or
//! keeps it ignored), while shell code running in-process that writes to
//! a pipe without a reader ends as a process in its place would (status
//! 141, or a write error where SIGPIPE is ignored), never running the
//! shell's own trap. Expected results are bash's (and dash's where the
//! two agree), on both spawn backends.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, Stdio};

/// How pidsh is started.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// SIGPIPE at its default, stdout a pipe the test reads.
    Plain,
    /// SIGPIPE ignored by the parent (inherited through `exec`).
    PipeIgnored,
    /// Stdout a pipe whose read end is already closed.
    StdoutClosed,
    /// Both of the above.
    PipeIgnoredStdoutClosed,
}

/// How pidsh ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum End {
    Exit(i32),
    Signal(i32),
}

/// (name, start, script, stdout, stderr, end)
type Case = (
    &'static str,
    Start,
    &'static str,
    &'static str,
    &'static str,
    End,
);

/// Each `{ read -r _ < gone; sleep 0.2; … } | { : > gone; }` stage writes
/// only after its reader has ended: the reader opens the FIFO `gone` last
/// thing, which lets the writer's `read` return.
const CASES: &[Case] = &[
    (
        "kill -s PIPE $$ at the default kills the shell",
        Start::Plain,
        "kill -s PIPE $$; echo survived",
        "",
        "",
        End::Signal(13),
    ),
    (
        "a PIPE trap runs for kill -s PIPE $$",
        Start::Plain,
        "trap 'echo caught' PIPE; kill -s PIPE $$; echo after",
        "caught\nafter\n",
        "",
        End::Exit(0),
    ),
    (
        "SIGPIPE from another process kills the shell",
        Start::Plain,
        "sh -c 'kill -s PIPE $PPID'; echo survived",
        "",
        "",
        End::Signal(13),
    ),
    (
        "SIGPIPE from another process runs the trap",
        Start::Plain,
        "trap 'echo caught' PIPE; sh -c 'kill -s PIPE $PPID'; echo after",
        "caught\nafter\n",
        "",
        End::Exit(0),
    ),
    (
        "kill -s PIPE 0 reaches the shell too",
        Start::Plain,
        "kill -s PIPE 0; echo survived",
        "",
        "",
        End::Signal(13),
    ),
    (
        "trap '' PIPE ignores it, trap - PIPE restores the default",
        Start::Plain,
        "trap '' PIPE; kill -s PIPE $$; echo survived; trap - PIPE; kill -s PIPE $$; echo no",
        "survived\n",
        "",
        End::Signal(13),
    ),
    (
        "SIGPIPE ignored on entry stays ignored and cannot be trapped",
        Start::PipeIgnored,
        "kill -s PIPE $$; echo survived; trap 'echo t' PIPE; kill -s PIPE $$; echo end; trap",
        "survived\nend\ntrap -- '' SIGPIPE\n",
        "",
        End::Exit(0),
    ),
    (
        "a subshell stage's broken pipe does not run the shell's PIPE trap",
        Start::Plain,
        "trap 'exit 3' PIPE; ( while :; do echo x || exit; done ) | true; echo alive",
        "alive\n",
        "",
        End::Exit(0),
    ),
    (
        "a function stage ends with 141",
        Start::Plain,
        "yes_fn(){ while :; do echo y; done; }; yes_fn | head -n1; echo \"${PIPESTATUS[@]}\"",
        "y\n141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "a loop stage stops at its first write",
        Start::Plain,
        "mkfifo gone; { read -r _ < gone; sleep 0.2; for i in 1 2 3; do echo $i; done; \
         echo after >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "the rest of a group stage does not run, and no trap of the shell",
        Start::Plain,
        "trap 'echo trapped' PIPE; mkfifo gone; { read -r _ < gone; sleep 0.2; echo a; \
         echo b >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "a stage that ignores SIGPIPE gets a write error",
        Start::Plain,
        "mkfifo gone; { trap '' PIPE; read -r _ < gone; sleep 0.2; echo a; \
         echo \"st $?\" >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "0 0\n",
        "pidsh: line 1: echo: write error: Broken pipe\nst 1\n",
        End::Exit(0),
    ),
    (
        "a stage inherits the shell's trap ''",
        Start::Plain,
        "trap '' PIPE; mkfifo gone; { read -r _ < gone; sleep 0.2; echo a; echo b >&2; } \
         | { : > gone; }; echo ${PIPESTATUS[@]}",
        "0 0\n",
        "pidsh: line 1: echo: write error: Broken pipe\nb\n",
        End::Exit(0),
    ),
    (
        "a stage that resets the inherited ignore ends with 141",
        Start::Plain,
        "trap '' PIPE; mkfifo gone; { trap - PIPE; read -r _ < gone; sleep 0.2; echo a; \
         echo b >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "a stage's own PIPE trap runs after the write error",
        Start::Plain,
        "mkfifo gone; { trap 'echo caught >&2' PIPE; read -r _ < gone; sleep 0.2; echo a; \
         echo b >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "0 0\n",
        "pidsh: line 1: echo: write error: Broken pipe\ncaught\nb\n",
        End::Exit(0),
    ),
    (
        "a stage inside a command substitution ends with 141",
        Start::Plain,
        "mkfifo gone; f() { read -r _ < gone; sleep 0.2; echo a; echo b >&2; }; \
         x=$(f | { : > gone; }; echo ${PIPESTATUS[@]}); echo \"$x\"",
        "141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "a stage with a trap of its own ends with 141",
        Start::Plain,
        "mkfifo gone; { trap 'echo t' USR1; read -r _ < gone; sleep 0.2; echo a; \
         echo b >&2; } | { : > gone; }; echo ${PIPESTATUS[@]}",
        "141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "a subshell's EXIT trap runs when SIGPIPE ends it",
        Start::Plain,
        "mkfifo gone; ( trap 'echo bye >&2' EXIT; read -r _ < gone; sleep 0.2; echo a; \
         echo b >&2 ) | { : > gone; }; echo ${PIPESTATUS[@]}",
        "141 0\n",
        "bye\n",
        End::Exit(0),
    ),
    (
        "the shell writing to a closed stdout dies of SIGPIPE",
        Start::StdoutClosed,
        "echo a; echo b >&2",
        "",
        "",
        End::Signal(13),
    ),
    (
        "the EXIT trap runs before the shell dies of SIGPIPE",
        Start::StdoutClosed,
        "trap 'echo bye >&2' EXIT; echo a; echo no >&2",
        "",
        "bye\n",
        End::Signal(13),
    ),
    (
        "with trap '' PIPE the shell's writes fail with an error",
        Start::StdoutClosed,
        "trap '' PIPE; echo a; echo \"st $?\" >&2; printf 'x\\n'; echo \"st $?\" >&2",
        "",
        "pidsh: line 1: echo: write error: Broken pipe\nst 1\n\
         pidsh: line 1: printf: write error: Broken pipe\nst 1\n",
        End::Exit(0),
    ),
    (
        "with SIGPIPE ignored on entry the shell's writes fail with an error",
        Start::PipeIgnoredStdoutClosed,
        "echo a; echo \"st $?\" >&2",
        "",
        "pidsh: line 1: echo: write error: Broken pipe\nst 1\n",
        End::Exit(0),
    ),
    (
        "the shell's PIPE trap runs after its own write error",
        Start::StdoutClosed,
        "trap 'echo caught >&2' PIPE; echo a; echo \"st $?\" >&2",
        "",
        "pidsh: line 1: echo: write error: Broken pipe\ncaught\nst 1\n",
        End::Exit(0),
    ),
    (
        "a PIPE trap may end the shell",
        Start::StdoutClosed,
        "trap 'exit 7' PIPE; echo a; echo no >&2",
        "",
        "pidsh: line 1: echo: write error: Broken pipe\n",
        End::Exit(7),
    ),
    (
        "children get SIGPIPE at its default",
        Start::Plain,
        "yes | head -n1; echo ${PIPESTATUS[@]}",
        "y\n141 0\n",
        "",
        End::Exit(0),
    ),
    (
        "children keep SIGPIPE ignored on entry",
        Start::PipeIgnored,
        "yes | head -n1; echo ${PIPESTATUS[@]}",
        "y\n1 0\n",
        "yes: standard output: Broken pipe\n",
        End::Exit(0),
    ),
    (
        "children follow trap '' PIPE and trap - PIPE",
        Start::Plain,
        "trap '' PIPE; yes | head -n1; trap - PIPE; yes | head -n1; echo ${PIPESTATUS[@]}",
        "y\ny\n141 0\n",
        "yes: standard output: Broken pipe\n",
        End::Exit(0),
    ),
];

/// `kill -s SIG $$` of a signal whose default is fatal kills the shell,
/// as in dash and bash (the Rust runtime's own SIGSEGV and SIGBUS handlers
/// would let it survive once).
const FATAL: &[(&str, i32)] = &[
    ("ulimit -c 0; kill -s SEGV $$; echo no", libc::SIGSEGV),
    ("ulimit -c 0; kill -s BUS $$; echo no", libc::SIGBUS),
    ("ulimit -c 0; kill -s FPE $$; echo no", libc::SIGFPE),
    ("ulimit -c 0; kill -s ILL $$; echo no", libc::SIGILL),
    ("ulimit -c 0; kill -s ABRT $$; echo no", libc::SIGABRT),
    ("ulimit -c 0; kill -s SYS $$; echo no", libc::SIGSYS),
    ("ulimit -c 0; kill -s XCPU $$; echo no", libc::SIGXCPU),
];

/// The command that starts pidsh as `start` says, in its own process
/// group (so that `kill 0` reaches no one else) and in `dir`.
fn command(start: Start, script: &str, backend: Option<&str>, dir: &std::path::Path) -> Command {
    let pidsh = env!("CARGO_BIN_EXE_pidsh");
    let mut cmd = if matches!(start, Start::PipeIgnored | Start::PipeIgnoredStdoutClosed) {
        let mut sh = Command::new("/bin/sh");
        sh.arg("-c")
            .arg("trap '' PIPE; exec \"$0\" -c \"$1\"")
            .arg(pidsh)
            .arg(script);
        sh
    } else {
        let mut c = Command::new(pidsh);
        c.arg("-c").arg(script);
        c
    };
    if let Some(b) = backend {
        cmd.env("PIDSH_SPAWN", b);
    }
    cmd.current_dir(dir).stdin(Stdio::null()).process_group(0);
    cmd
}

/// Runs one case: (stdout, stderr, end).
fn run(start: Start, script: &str, backend: Option<&str>) -> (String, String, End) {
    let dir = common::tempdir();
    let mut cmd = command(start, script, backend, &dir);
    let closed = matches!(start, Start::StdoutClosed | Start::PipeIgnoredStdoutClosed);
    if closed {
        let (read, write) = nix::unistd::pipe().unwrap();
        drop(read);
        cmd.stdout(Stdio::from(write));
    } else {
        cmd.stdout(Stdio::piped());
    }
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    drop(cmd);
    let mut stdout = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut stdout).unwrap();
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let end = match status.signal() {
        Some(sig) => End::Signal(sig),
        None => End::Exit(status.code().unwrap()),
    };
    (stdout, stderr, end)
}

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for backend in [None, Some("posix_spawn")] {
        for &(name, start, script, stdout, stderr, end) in cases {
            let got = run(start, script, backend);
            if got != (stdout.to_string(), stderr.to_string(), end) {
                failures.push(format!(
                    "{name} (backend {backend:?}): script {script:?}\n  got {got:?}\n  \
                     want {:?}",
                    (stdout, stderr, end)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn sigpipe_as_a_process_sees_it() {
    check(CASES);
}

#[test]
fn fatal_signals_sent_by_kill_end_the_shell() {
    let cases: Vec<Case> = FATAL
        .iter()
        .map(|&(script, sig)| {
            (
                "fatal signal",
                Start::Plain,
                script,
                "",
                "",
                End::Signal(sig),
            )
        })
        .collect();
    check(&cases);
}
