//! Helpers shared by the integration tests: run the real pidsh binary.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The binary under test.
pub fn pidsh() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pidsh"))
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

fn finish(out: Output) -> Run {
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

/// Writes the script to `s.sh` in a fresh directory and runs
/// `pidsh [flag] s.sh` there (standard input null), so messages are
/// prefixed with `s.sh: `.
#[allow(dead_code)]
pub fn run_file(script: &str, flag: Option<&str>) -> Run {
    let dir = tempdir();
    let mut cmd = pidsh();
    cmd.args(flag);
    let run = run_file_in(cmd, script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    run
}

/// Writes the script to `s.sh` in `dir` (beside files a test put there)
/// and runs `cmd s.sh` there, standard input null.
pub fn run_file_in(mut cmd: Command, script: &str, dir: &std::path::Path) -> Run {
    std::fs::write(dir.join("s.sh"), script).unwrap();
    cmd.arg("s.sh").current_dir(dir).stdin(Stdio::null());
    finish(cmd.output().unwrap())
}

/// Runs every case as a script file (`pidsh s.sh`, see [`run_file`]) and
/// fails with all the mismatches at once.
pub fn check_files(cases: &[Case]) {
    check_with(cases, |script| run_file(script, None));
}

/// Runs `pidsh -c script` in `dir`.
pub fn run_c_in(script: &str, dir: &std::path::Path) -> Run {
    finish(
        pidsh()
            .arg("-c")
            .arg(script)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .unwrap(),
    )
}

/// Runs `pidsh -c script` in a fresh temporary directory.
pub fn run_c(script: &str) -> Run {
    let dir = tempdir();
    let r = run_c_in(script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Runs pidsh with `script` on standard input.
pub fn run_stdin(script: &str) -> Run {
    let dir = tempdir();
    let mut cmd = pidsh();
    cmd.current_dir(&dir);
    let r = feed(cmd, script);
    let _ = std::fs::remove_dir_all(&dir);
    r
}

/// Runs `cmd` with `input` on its standard input (null when empty) and
/// its output captured. The program may end without reading: a failed
/// write is fine.
pub fn feed(mut cmd: Command, input: &str) -> Run {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if input.is_empty() {
        return finish(cmd.stdin(Stdio::null()).output().unwrap());
    }
    let mut child = cmd.stdin(Stdio::piped()).spawn().unwrap();
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    finish(child.wait_with_output().unwrap())
}

/// A new empty directory under the system temp dir.
pub fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pidsh-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One table case: (name, script, stdout, stderr, status).
pub type Case = (&'static str, &'static str, &'static str, &'static str, i32);

/// Every case whose run differs from it (exact stdout, stderr and
/// status), described for the failure report.
pub fn mismatches(cases: &[Case], run: impl Fn(&str) -> Run) -> Vec<String> {
    cases
        .iter()
        .filter_map(|(name, script, stdout, stderr, status)| {
            let want = Expect {
                stdout,
                stderr: Some(stderr),
                status: *status,
            };
            mismatch(&format!("{name}: script {script:?}"), &run(script), &want)
        })
        .collect()
}

/// Runs every case with `run` and fails with all the mismatches at once.
pub fn check_with(cases: &[Case], run: impl Fn(&str) -> Run) {
    let failures = mismatches(cases, run);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Runs every case with `pidsh -c (prefix + script)` and fails with all the
/// mismatches at once (exact stdout, stderr and status).
pub fn check_cases(prefix: &str, cases: &[Case]) {
    check_with(cases, |script| run_c(&format!("{prefix}{script}")));
}

/// Known gaps: cases where pidsh still differs from what bash does (the
/// expectation). Each is an expected failure that fails loudly once it
/// passes, naming the case, so that a fixed gap moves to the test of its
/// construct instead of hiding here.
pub fn check_gaps(cases: &[Case], run: impl Fn(&str) -> Run) {
    let fixed: Vec<&str> = cases
        .iter()
        .filter(|case| mismatches(std::slice::from_ref(*case), &run).is_empty())
        .map(|case| case.0)
        .collect();
    assert!(
        fixed.is_empty(),
        "known gaps now behave as bash: move them to their tests: {fixed:?}"
    );
}

/// A case whose script must exit 0 with exactly this stdout (stderr is
/// not compared): (name, script, stdout).
pub type StdoutCase = (&'static str, &'static str, &'static str);

/// Runs every [`StdoutCase`] on each of `backends` with
/// `run(backend, script)`.
#[allow(dead_code)]
pub fn check_stdout_table(
    backends: &[&str],
    cases: &[StdoutCase],
    run: impl Fn(&str, &str) -> Run,
) {
    check_table(
        backends,
        cases,
        |(name, script, _)| format!("{name}: {script:?}"),
        |(_, _, stdout)| Expect {
            stdout,
            stderr: None,
            status: 0,
        },
        |backend, (_, script, _)| run(backend, script),
    );
}

/// Runs every [`StdoutCase`] as `pidsh -c` in a fresh directory on each
/// spawn backend of [`BACKENDS`].
pub fn check_stdout_on_backends(cases: &[StdoutCase]) {
    check_stdout_table(&BACKENDS, cases, |backend, script| {
        run_on(backend, script, &tempdir(), "")
    });
}

/// How a run differs from what was expected, or `None`.
pub fn mismatch(label: &str, r: &Run, want: &Expect<'_>) -> Option<String> {
    let same = r.stdout == want.stdout
        && want.stderr.is_none_or(|e| r.stderr == e)
        && r.status == want.status;
    (!same).then(|| {
        format!(
            "{label}\n  stdout {:?} (want {:?})\n  stderr {:?} (want {:?})\n  status {} (want {})",
            r.stdout, want.stdout, r.stderr, want.stderr, r.status, want.status
        )
    })
}

/// The spawn backends table cases run under: the default and the one
/// containers fall back to.
pub const BACKENDS: [&str; 2] = ["clone-vfork", "posix_spawn"];

/// What a case expects: exact stdout and status, and exact stderr unless
/// `None`.
pub struct Expect<'a> {
    pub stdout: &'a str,
    pub stderr: Option<&'a str>,
    pub status: i32,
}

/// Runs `pidsh -c script` in `dir` on `backend` (`PIDSH_SPAWN`), with
/// `input` on standard input (null when empty).
pub fn run_on(backend: &str, script: &str, dir: &std::path::Path, input: &str) -> Run {
    let mut cmd = pidsh();
    cmd.env("PIDSH_SPAWN", backend)
        .arg("-c")
        .arg(script)
        .current_dir(dir);
    feed(cmd, input)
}

/// The one table runner: runs every case on every backend with `run`,
/// compares with what `expect` says, and fails with every mismatch at
/// once (`name` names a case in the report).
pub fn check_table<C>(
    backends: &[&str],
    cases: &[C],
    name: impl Fn(&C) -> String,
    expect: impl Fn(&C) -> Expect<'_>,
    run: impl Fn(&str, &C) -> Run,
) {
    let mut failures = Vec::new();
    for backend in backends {
        for case in cases {
            let label = format!("{backend} {}:", name(case));
            failures.extend(mismatch(&label, &run(backend, case), &expect(case)));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
