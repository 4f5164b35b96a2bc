//! Asynchronous fidelity, against what dash and bash do: a command whose
//! redirection blocks in `open` (a FIFO without its other end) never
//! freezes the shell, and a subshell never waits for its own background
//! jobs — which are still reaped, leaving no zombie and no descriptor.
//!
//! Every run has a time limit: a regression kills the shell under test and
//! fails instead of hanging the suite. Every case runs on the default spawn
//! backend and on `posix_spawn`.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::Case;

const BACKENDS: [Option<&str>; 2] = [None, Some("posix_spawn")];

/// Far beyond what any case needs: reaching it means the shell hung.
const LIMIT: Duration = Duration::from_secs(10);

/// A pidsh running a script in a directory of its own.
struct Run {
    child: Child,
    dir: PathBuf,
    script: String,
    backend: Option<&'static str>,
}

/// How a run ended.
struct Ended {
    stdout: String,
    stderr: String,
    status: Option<i32>,
    signal: Option<i32>,
}

impl Run {
    /// Starts `pidsh -c script` in a fresh directory; its output goes to
    /// files beside it, so nothing waits for a pipe the script's background
    /// jobs may hold open.
    fn start(script: &str, backend: Option<&'static str>) -> Run {
        let dir = common::tempdir();
        let mut command = common::pidsh();
        command
            .arg("-c")
            .arg(script)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(File::create(dir.with_extension("out")).unwrap())
            .stderr(File::create(dir.with_extension("err")).unwrap());
        if let Some(b) = backend {
            command.env("PIDSH_SPAWN", b);
        }
        Run {
            child: command.spawn().unwrap(),
            dir,
            script: script.to_string(),
            backend,
        }
    }

    fn describe(&self) -> String {
        format!("{:?} (backend {:?})", self.script, self.backend)
    }

    /// Waits for the shell to end, killing it (and failing) at the limit.
    fn finish(&mut self) -> Ended {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > LIMIT {
                let _ = self.child.kill();
                let _ = self.child.wait();
                release_fifos(&self.dir);
                panic!("pidsh hung: {}", self.describe());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let read = |ext| std::fs::read_to_string(self.dir.with_extension(ext)).unwrap();
        Ended {
            stdout: read("out"),
            stderr: read("err"),
            status: status.code(),
            signal: status.signal(),
        }
    }

    /// Unblocks whatever still waits on the directory's FIFOs, then
    /// removes the directory.
    fn clean_up(self) {
        release_fifos(&self.dir);
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_file(self.dir.with_extension("out"));
        let _ = std::fs::remove_file(self.dir.with_extension("err"));
    }
}

/// Opens each FIFO under `dir` for reading and writing (which never
/// blocks) and closes it again: a process blocked opening it goes on and
/// sees end of file, or a broken pipe.
fn release_fifos(dir: &Path) {
    use std::os::unix::fs::FileTypeExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            release_fifos(&entry.path());
        } else if kind.is_fifo() {
            drop(
                std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .open(entry.path()),
            );
        }
    }
}

/// Runs each case on both backends; fails with every mismatch at once.
fn check_limited(cases: &[Case]) {
    let mut failures = Vec::new();
    for backend in BACKENDS {
        for (name, script, stdout, stderr, status) in cases {
            let mut run = Run::start(script, backend);
            let r = run.finish();
            run.clean_up();
            if r.stdout != *stdout || r.stderr != *stderr || r.status != Some(*status) {
                failures.push(format!(
                    "{name} (backend {backend:?}): script {script:?}\n  stdout {:?} (want {stdout:?})\n  stderr {:?} (want {stderr:?})\n  status {:?} (want {status})",
                    r.stdout, r.stderr, r.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn a_child_blocked_opening_a_fifo_never_freezes_the_shell() {
    check_limited(&[
        (
            "background writer, foreground reader",
            "mkfifo f; /bin/true >f & echo reached; cat f; echo rc=$?",
            "reached\nrc=0\n",
            "",
            0,
        ),
        (
            "background reader",
            "mkfifo f; cat <f & echo x >f; wait; echo done",
            "x\ndone\n",
            "",
            0,
        ),
        (
            "foreground reader",
            "mkfifo f; { sleep 0.3; echo hi >f; } & cat <f; echo st=$?",
            "hi\nst=0\n",
            "",
            0,
        ),
        (
            "the command keeps its assignments and its status",
            "mkfifo f; echo hi >f & A='x y' sh -c 'echo \"$A\"; cat; exit 3' <f; echo st=$?",
            "x y\nhi\nst=3\n",
            "",
            0,
        ),
        (
            "$! is the command's own process",
            "mkfifo f; sh -c 'exit 5' >f & p=$!; cat f; wait $p; echo $?",
            "5\n",
            "",
            0,
        ),
        (
            "traced once",
            "mkfifo f; echo z >f & set -x; cat <f; set +x",
            "z\n",
            "+ cat\n+ set +x\n",
            0,
        ),
        (
            "with a here-document",
            "mkfifo f; cat f & cat <<EOF >f\nline\nEOF\nwait",
            "line\n",
            "",
            0,
        ),
        (
            "a pipeline stage",
            "mkfifo f; echo a >f & cat <f | tr a b",
            "b\n",
            "",
            0,
        ),
        (
            "a command substitution",
            "mkfifo f; echo a >f & x=$(cat <f); echo \"[$x]\"",
            "[a]\n",
            "",
            0,
        ),
        (
            "noclobber lets a FIFO be written",
            "set -C; mkfifo f; cat f & /bin/echo c >f; wait",
            "c\n",
            "",
            0,
        ),
        (
            "stdout and stderr into it",
            "mkfifo f; cat f & sh -c 'echo out; echo err >&2' >f 2>&1; wait",
            "out\nerr\n",
            "",
            0,
        ),
        (
            "relative to a subshell's directory",
            "mkdir d; mkfifo d/g; (cd d; cat g & /bin/echo x >g; wait)",
            "x\n",
            "",
            0,
        ),
        (
            "a subshell's background writer",
            "mkfifo f; (sh -c 'exit 4' >f &); cat f; echo st=$?",
            "st=0\n",
            "",
            0,
        ),
        (
            "exec passes its assignments on",
            "a=1 exec sh -c 'echo $a'",
            "1\n",
            "",
            0,
        ),
        (
            "exec in a subshell passes its assignments on",
            "(b=2 exec sh -c 'echo $b'); echo ${b-unset}",
            "2\nunset\n",
            "",
            0,
        ),
    ]);
}

/// Whether this process ignores `sig` (then so would the shell: a signal
/// ignored on entry stays ignored).
fn ignored_here(sig: i32) -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let mask = status
        .lines()
        .find_map(|l| l.strip_prefix("SigIgn:"))
        .map(|m| u64::from_str_radix(m.trim(), 16).unwrap())
        .unwrap();
    mask & (1 << (sig - 1)) != 0
}

/// The shell waiting for a foreground command blocked opening a FIFO still
/// dies of SIGTERM, and of SIGINT (non-interactive), as dash does.
#[test]
fn a_signal_reaches_the_shell_while_its_command_blocks_opening() {
    let mut failures = Vec::new();
    for (sig, name) in [(15, "TERM"), (2, "INT")] {
        if ignored_here(sig) {
            eprintln!("signal {sig} is ignored here: not checked");
            continue;
        }
        for backend in BACKENDS {
            let mut run = Run::start("mkfifo f; cat <f; echo after", backend);
            let fifo = run.dir.join("f");
            let start = Instant::now();
            while !fifo.exists() && start.elapsed() < LIMIT {
                std::thread::sleep(Duration::from_millis(20));
            }
            // Time to reach the open (generous: machines are loaded).
            std::thread::sleep(Duration::from_secs(1));
            let sent = common::pidsh()
                .arg("-c")
                .arg(format!("kill -s {name} {}", run.child.id()))
                .status()
                .unwrap();
            assert!(sent.success());
            let r = run.finish();
            run.clean_up();
            if r.signal != Some(sig) || !r.stdout.is_empty() {
                failures.push(format!(
                    "signal {sig}, backend {backend:?}: ended by {:?} (status {:?}), stdout {:?}",
                    r.signal, r.status, r.stdout
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// A background job started inside a subshell ends after the marker file
/// appears: `touch marker` after a 3 s sleep, its output away from the
/// shell's (or the harness would wait for the pipe).
const LATE_JOB: &str = "sh -c 'sleep 3; touch marker' >/dev/null 2>&1 &";

/// A subshell does not wait for its own background jobs: the shell is done
/// (and printed `after`) while the job still sleeps — the marker does not
/// exist yet when the shell has ended. The job still runs to its end.
#[test]
fn a_subshell_does_not_wait_for_its_background_jobs() {
    let shell_job = "{ sleep 3; touch marker; } >/dev/null 2>&1 &";
    let cases = [
        (format!("({shell_job}); echo after"), "after\n"),
        (format!("({LATE_JOB}); echo after"), "after\n"),
        (format!("({LATE_JOB}); wait; echo after"), "after\n"),
        (
            format!("true & p=$!; ({LATE_JOB}); [ \"$!\" = \"$p\" ] && echo after"),
            "after\n",
        ),
        (format!("({LATE_JOB}); jobs; echo after"), "after\n"),
        (format!("x=$({LATE_JOB}); echo \"after$x\""), "after\n"),
        (format!("{{ {LATE_JOB} }} | cat; echo after"), "after\n"),
        (format!("cat <({LATE_JOB}); echo after"), "after\n"),
        (format!("({LATE_JOB})"), ""),
    ];
    let mut runs = Vec::new();
    for backend in BACKENDS {
        for (script, want) in &cases {
            runs.push((Run::start(script, backend), *want));
        }
    }
    let mut failures = Vec::new();
    for (run, want) in &mut runs {
        let r = run.finish();
        let marker = run.dir.join("marker").exists();
        if r.stdout != *want || !r.stderr.is_empty() || r.status != Some(0) || marker {
            failures.push(format!(
                "{}: stdout {:?}, stderr {:?}, status {:?}, marker already there: {marker}",
                run.describe(),
                r.stdout,
                r.stderr,
                r.status
            ));
        }
    }
    for (run, _) in runs {
        let marker = run.dir.join("marker");
        let start = Instant::now();
        while !marker.exists() && start.elapsed() < LIMIT {
            std::thread::sleep(Duration::from_millis(50));
        }
        if !marker.exists() {
            failures.push(format!("{}: the job never ended", run.describe()));
        }
        run.clean_up();
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// What holds the output open is still waited for, as in bash:
/// `$( … & )` and a pipeline read to the end of their pipe.
#[test]
fn a_job_holding_the_output_is_still_waited_for() {
    check_limited(&[
        (
            "command substitution",
            "x=$(sh -c 'sleep 1; touch marker' &); test -e marker && echo waited",
            "waited\n",
            "",
            0,
        ),
        (
            "pipeline stage",
            "{ sh -c 'sleep 1; touch marker' & } | cat; test -e marker && echo waited",
            "waited\n",
            "",
            0,
        ),
    ]);
}

/// The orphaned jobs of many subshells are reaped: no zombie children and
/// no more descriptors after the loop than before it.
#[test]
fn orphaned_jobs_leave_no_zombie_and_no_descriptor() {
    let script = r#"
count_fds() { n=0; for f in /proc/$$/fd/*; do n=$((n+1)); done; echo $n; }
zombies() {
  z=0
  for t in /proc/$$/task/*/children; do
    read -r kids < "$t"
    for k in $kids; do
      read -r st < /proc/$k/stat
      case $st in *") Z "*) z=$((z+1));; esac
    done
  done
  echo $z
}
seq 1 >/dev/null; (/bin/true &); sleep 0.5
before=$(count_fds)
for i in $(seq 500); do (true &); (/bin/true &); done
# `jobs` collects what ended, as between commands; the last jobs may need
# a moment to end on a loaded machine.
for try in 1 2 3 4 5 6 7 8; do
  sleep 0.5; jobs
  grew=$(( $(count_fds) - before )) z=$(zombies)
  [ "$grew" -le 0 ] && [ "$z" = 0 ] && break
done
echo fds_grew=$grew
echo zombies=$z
"#;
    check_limited(&[(
        "a loop of (cmd &)",
        script,
        "fds_grew=0\nzombies=0\n",
        "",
        0,
    )]);
}
