//! `cargo bench --bench shells`: pidsh side by side with dash and bash (and
//! zsh, mksh and `busybox sh` when they are installed), plus the physical
//! limit of spawning `/bin/true` from a tiny program.
//!
//! Every workload is a small script, the same text for every shell,
//! generated into a temporary directory. Shells run interleaved (A B A B …):
//! one warm-up round, then `PIDSH_BENCH_RUNS` rounds; the figure kept is the
//! median whole-process wall time. The "spawn cost against shell size" part
//! builds a large variable first, then times 200 `:` against 200 `/bin/true`
//! inside the same process (markers written to a pipe and time-stamped as
//! they arrive), so the seconds spent building the variable do not drown the
//! spawn cost.
//!
//! The run regenerates `docs/benchmarks.md` and `docs/spawn-vs-heap.svg`
//! (set `PIDSH_BENCH_NO_DOCS=1` to only print). Nothing here asserts on
//! time: a shell that prints the wrong answer is reported as failing.
//!
//! Environment:
//! - `PIDSH_BENCH_RUNS`: timed rounds per workload (default 3).
//! - `PIDSH_BENCH_HEAP_MIB`: variable sizes in MiB (default `0,256,1024`;
//!   add `4096` for pidsh at 4 GiB when memory allows).
//! - `PIDSH_BENCH_HEAP_RUNS`: samples per shell and size (default 3 below
//!   256 MiB, 1 from 256 MiB on; each sample already averages 200 spawns).
//! - `PIDSH_BENCH_PEER_MAX_MIB`: largest size peers are run at (default 1024).
//! - `PIDSH_BENCH_NO_DOCS`: when set, do not rewrite the docs.
//! - `PIDSH_BENCH_ONLY`: comma-separated parts to run (`workloads`, `limit`,
//!   `heap`, `scaling`, or `startup`: the start-up rows of `workloads`
//!   alone); a partial run only prints, except that a run of `scaling`
//!   alone rewrites its own section of the docs.
//! - `PIDSH_BENCH_SCALING_RUNS`: timed rounds per size in the scaling
//!   section (default 1).
//! - `PIDSH_BENCH_SCALING_ROWS`: comma-separated pieces of row names; the
//!   scaling section runs only the rows whose name holds one (such a run
//!   only prints), e.g. `PIDSH_BENCH_ONLY=scaling
//!   PIDSH_BENCH_SCALING_ROWS=nested cargo bench --bench shells`.

#![allow(clippy::unwrap_used)]

mod scaling;

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The shell under test, built by cargo (release profile) before the bench.
const PIDSH: &str = env!("CARGO_BIN_EXE_pidsh");
/// Spawns timed in one sample of the heap workload.
const HEAP_SPAWNS: u32 = 200;
/// The heap sample's spawns come in this many blocks, each `:` lines then
/// `/bin/true` lines, so one process gives several estimates.
const HEAP_BLOCKS: u32 = 5;
/// Spawns timed in one sample of the limit.
const LIMIT_SPAWNS: u32 = 1000;
/// Longest a single ordinary workload run may take before it is killed.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);

// ---------------------------------------------------------------- shells --

#[derive(Clone)]
struct Shell {
    /// Name in tables.
    label: String,
    /// Program and leading arguments (`busybox sh`).
    argv: Vec<String>,
    /// `PIDSH_SPAWN` for pidsh; `None` leaves it unset.
    spawn: Option<&'static str>,
    /// Version line for the docs.
    version: String,
}

impl Shell {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.argv[0]);
        cmd.args(&self.argv[1..]);
        cmd.env_remove("PIDSH_SPAWN");
        if let Some(backend) = self.spawn {
            cmd.env("PIDSH_SPAWN", backend);
        }
        cmd
    }
}

fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_string())
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn package_version(name: &str) -> Option<String> {
    let v = first_line("dpkg-query", &["-W", "-f=${Version}", name])
        .or_else(|| first_line("rpm", &["-q", "--qf", "%{VERSION}", name]))?;
    Some(format!("{name} {v} (package version)"))
}

fn pidsh(label: &str, spawn: Option<&'static str>) -> Shell {
    let version = first_line(PIDSH, &["--version"]).unwrap_or_else(|| "pidsh".into());
    Shell {
        label: label.into(),
        argv: vec![PIDSH.into()],
        spawn,
        version,
    }
}

/// Peers found on PATH, and the names that were not.
fn peers() -> (Vec<Shell>, Vec<&'static str>) {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in ["dash", "bash", "zsh", "mksh", "busybox"] {
        let Some(path) = on_path(name) else {
            missing.push(name);
            continue;
        };
        let path = path.to_string_lossy().into_owned();
        let (label, argv, version) = match name {
            "dash" => ("dash", vec![path], package_version("dash")),
            "bash" => (
                "bash",
                vec![path.clone()],
                first_line(&path, &["--version"]),
            ),
            "zsh" => ("zsh", vec![path.clone()], first_line(&path, &["--version"])),
            "mksh" => (
                "mksh",
                vec![path.clone()],
                first_line(&path, &["-c", "echo $KSH_VERSION"]),
            ),
            _ => (
                "busybox sh",
                vec![path.clone(), "sh".into()],
                first_line(&path, &["--help"]),
            ),
        };
        found.push(Shell {
            label: label.into(),
            argv,
            spawn: None,
            version: version.unwrap_or_else(|| format!("{name} (version unknown)")),
        });
    }
    (found, missing)
}

// -------------------------------------------------------------- watchdog --

/// One long-lived thread that kills a run that overstays, so arming it
/// costs a channel send rather than a thread start inside the timed span.
struct Watchdog {
    tx: Sender<Option<(u32, Duration)>>,
}

impl Watchdog {
    fn new() -> Self {
        let (tx, rx) = mpsc::channel::<Option<(u32, Duration)>>();
        thread::spawn(move || {
            while let Ok(msg) = rx.recv() {
                let Some((pid, timeout)) = msg else { continue };
                match rx.recv_timeout(timeout) {
                    Ok(_) => {}
                    Err(RecvTimeoutError::Timeout) => {
                        // SAFETY: plain syscall on a pid we spawned and have
                        // not reaped yet (the main thread is still waiting).
                        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
                        if rx.recv().is_err() {
                            return;
                        }
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        Watchdog { tx }
    }

    fn wait(&self, child: &mut Child, timeout: Duration) -> std::io::Result<ExitStatus> {
        self.tx.send(Some((child.id(), timeout))).unwrap();
        let status = child.wait();
        self.tx.send(None).unwrap();
        status
    }
}

// ------------------------------------------------------------- workloads --

struct Workload {
    /// Row label.
    name: &'static str,
    /// Arguments after the shell: `-c true` or the script file.
    args: Vec<String>,
    /// Exact standard output a correct shell prints.
    expect: String,
    /// Also run on the other pidsh backends.
    per_backend: bool,
    /// Standard input.
    input: Input,
    /// Runs per shell instead of the bench's usual few: a start-up is
    /// short enough for its median to need hundreds.
    runs: Option<usize>,
}

/// Runs per shell of a start-up row (about 1 ms each).
const START_UP_RUNS: usize = 400;

/// What a workload's standard input is.
enum Input {
    /// `/dev/null`.
    Null,
    /// This file of the directory, opened for reading.
    File(String),
    /// A pipe that a thread of the bench fills with this file.
    Pipe(String),
}

fn repeat_lines(line: &str, n: usize) -> String {
    let mut s = String::with_capacity((line.len() + 1) * n);
    for _ in 0..n {
        s.push_str(line);
        s.push('\n');
    }
    s
}

fn write_workloads(dir: &Path) -> Vec<Workload> {
    let mut lines = String::new();
    for i in 0..100_000 {
        writeln!(lines, "line {i} of the input").unwrap();
    }
    fs::write(dir.join("lines.txt"), lines).unwrap();

    let scripts: [(&str, &str, String, &str, bool); 10] = [
        (
            "1000 × `/bin/true`",
            "true.sh",
            repeat_lines("/bin/true", 1000) + "echo done\n",
            "done\n",
            true,
        ),
        (
            "300 × `/bin/true | /bin/true | /bin/true`",
            "pipe.sh",
            repeat_lines("/bin/true | /bin/true | /bin/true", 300) + "echo done\n",
            "done\n",
            true,
        ),
        (
            "1000 × `x=$(echo hi)`",
            "subst_builtin.sh",
            repeat_lines("x=$(echo hi)", 1000) + "echo $x\n",
            "hi\n",
            true,
        ),
        (
            "1000 × `( : )` (in-process)",
            "subshell.sh",
            repeat_lines("( : )", 1000) + "echo done\n",
            "done\n",
            true,
        ),
        (
            "300 × `( trap '' USR1 )` (a process)",
            "subshell_process.sh",
            repeat_lines("( trap '' USR1 )", 300) + "echo done\n",
            "done\n",
            true,
        ),
        (
            "100 × `( trap '' USR1 )` with a 10 MiB variable",
            "subshell_process_big.sh",
            "x=$(head -c 10485760 /dev/zero | tr '\\0' a)\n".to_string()
                + &repeat_lines("( trap '' USR1 )", 100)
                + "echo ${#x}\n",
            "10485760\n",
            false,
        ),
        (
            "1000 × `x=$(/bin/echo hi)`",
            "subst_external.sh",
            repeat_lines("x=$(/bin/echo hi)", 1000) + "echo $x\n",
            "hi\n",
            true,
        ),
        (
            "200000 × `i=$((i+1))` (while loop)",
            "arith.sh",
            "i=0\nwhile [ $i -lt 200000 ]; do\n  i=$((i+1))\ndone\necho $i\n".into(),
            "200000\n",
            false,
        ),
        (
            "50000 function calls (while loop)",
            "func.sh",
            "n=0\nf() {\n  n=$((n+1))\n}\ni=0\nwhile [ $i -lt 50000 ]; do\n  f\n  i=$((i+1))\ndone\necho $n\n"
                .into(),
            "50000\n",
            false,
        ),
        (
            "`while read` over 100000 lines",
            "read.sh",
            "n=0\nwhile read -r l; do\n  n=$((n+1))\ndone < lines.txt\necho $n\n".into(),
            "100000\n",
            false,
        ),
    ];
    fs::write(dir.join("empty.sh"), "").unwrap();
    let mut out = vec![
        Workload {
            name: "startup: `sh -c true`",
            args: vec!["-c".into(), "true".into()],
            expect: String::new(),
            per_backend: true,
            input: Input::Null,
            runs: Some(START_UP_RUNS),
        },
        Workload {
            name: "startup: `sh empty.sh` (an empty script file)",
            args: vec!["empty.sh".into()],
            expect: String::new(),
            per_backend: false,
            input: Input::Null,
            runs: Some(START_UP_RUNS),
        },
    ];
    for (name, file, text, expect, per_backend) in scripts {
        fs::write(dir.join(file), text).unwrap();
        out.push(Workload {
            name,
            args: vec![file.into()],
            expect: expect.into(),
            per_backend,
            input: Input::Null,
            runs: None,
        });
    }
    out
}

// --------------------------------------------------------- per iteration --

/// Iterations of a per-iteration loop: enough that pidsh's loop outlasts
/// the noise of a process start, few enough that bash's forks finish in
/// seconds.
const LOOP_ITERATIONS: usize = 4000;

/// A loop measured per iteration: one script, run with `$1` =
/// [`LOOP_ITERATIONS`] and with `$1` = 0; per iteration = (time of N
/// iterations − time of 0 iterations) ÷ N, so the start-up and the exit
/// cancel out and only the turns remain.
struct PerIteration {
    /// Row label.
    name: &'static str,
    /// The run with `$1` = N.
    full: Workload,
    /// The same script with `$1` = 0.
    empty: Workload,
}

/// The per-iteration loops: `x=$(echo hi)`, and the same loop with a
/// plain assignment, whose cost the substitution's row includes.
fn write_per_iteration(dir: &Path) -> Vec<PerIteration> {
    let loops = [
        (
            "`x=$(echo hi)`, per iteration",
            "loop_subst.sh",
            "x=$(echo hi)",
        ),
        (
            "`x=hi` (the loop alone), per iteration",
            "loop_plain.sh",
            "x=hi",
        ),
    ];
    loops
        .into_iter()
        .map(|(name, file, body)| {
            let text = format!(
                "n=$1\ni=0\nwhile [ $i -lt $n ]; do\n  {body}\n  i=$((i+1))\ndone\necho done\n"
            );
            fs::write(dir.join(file), text).unwrap();
            let run = |n: usize| Workload {
                name,
                args: vec![file.into(), n.to_string()],
                expect: "done\n".into(),
                per_backend: false,
                input: Input::Null,
                runs: None,
            };
            PerIteration {
                name,
                full: run(LOOP_ITERATIONS),
                empty: run(0),
            }
        })
        .collect()
}

/// Microseconds per iteration from the two runs' samples.
fn per_iteration_us(full: &Samples, empty: &Samples) -> Result<f64, String> {
    let full = full.as_ref().map_err(Clone::clone)?;
    let empty = empty.as_ref().map_err(Clone::clone)?;
    match (median(full), median(empty)) {
        (Some(f), Some(e)) => {
            Ok((f.as_secs_f64() - e.as_secs_f64()) * 1e6 / LOOP_ITERATIONS as f64)
        }
        _ => Err("no samples".into()),
    }
}

/// One whole-process run: wall time, or why it is not a valid sample.
fn run_once(dog: &Watchdog, shell: &Shell, w: &Workload, dir: &Path) -> Result<Duration, String> {
    let out_path = dir.join("stdout.txt");
    let err_path = dir.join("stderr.txt");
    let mut cmd = shell.command();
    cmd.args(&w.args)
        .current_dir(dir)
        .stdout(fs::File::create(&out_path).unwrap())
        .stderr(fs::File::create(&err_path).unwrap());
    let feed = match &w.input {
        Input::Null => {
            cmd.stdin(Stdio::null());
            None
        }
        Input::File(name) => {
            cmd.stdin(fs::File::open(dir.join(name)).unwrap());
            None
        }
        Input::Pipe(name) => {
            cmd.stdin(Stdio::piped());
            Some(fs::read(dir.join(name)).unwrap())
        }
    };
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let writer = feed.map(|bytes| {
        let mut stdin = child.stdin.take().unwrap();
        thread::spawn(move || {
            use std::io::Write as _;
            // The shell may stop reading early: a failed write is its answer.
            let _ = stdin.write_all(&bytes);
        })
    });
    let status = dog.wait(&mut child, RUN_TIMEOUT);
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    let elapsed = start.elapsed();
    let status = status.map_err(|e| format!("wait: {e}"))?;
    let out = fs::read_to_string(&out_path).unwrap_or_default();
    if elapsed >= RUN_TIMEOUT {
        return Err(format!("killed after {} s", RUN_TIMEOUT.as_secs()));
    }
    if !status.success() || out != w.expect {
        let err = fs::read_to_string(&err_path).unwrap_or_default();
        let err = err.lines().next().unwrap_or("").trim().to_string();
        let mut why = format!("{status}, printed {:?}", short(&out));
        if !err.is_empty() {
            write!(why, ", stderr: {err:?}").unwrap();
        }
        return Err(why);
    }
    Ok(elapsed)
}

fn short(s: &str) -> String {
    if s.len() <= 40 {
        return s.to_string();
    }
    let mut end = 40;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Samples of one shell on one workload, or its first failure.
type Samples = Result<Vec<Duration>, String>;

/// Warm-up then `runs` interleaved rounds over `shells`.
fn measure(
    dog: &Watchdog,
    shells: &[Shell],
    w: &Workload,
    dir: &Path,
    runs: usize,
    extra: &mut dyn FnMut(usize),
) -> Vec<Samples> {
    let mut results: Vec<Samples> = vec![Ok(Vec::new()); shells.len()];
    for round in 0..=runs {
        for (shell, result) in shells.iter().zip(results.iter_mut()) {
            let Ok(samples) = result else { continue };
            match run_once(dog, shell, w, dir) {
                Ok(t) if round > 0 => samples.push(t),
                Ok(_) => {}
                Err(why) => *result = Err(why),
            }
        }
        extra(round);
    }
    results
}

fn median(samples: &[Duration]) -> Option<Duration> {
    let mut v = samples.to_vec();
    v.sort();
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2]),
        n => Some((v[n / 2 - 1] + v[n / 2]) / 2),
    }
}

fn median_f(samples: &[f64]) -> Option<f64> {
    let mut v = samples.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[n / 2]),
        n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 100.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

fn us(x: f64) -> String {
    if x.abs() < 100.0 {
        format!("{x:.1} µs")
    } else if x.abs() < 10_000.0 {
        format!("{x:.0} µs")
    } else {
        format!("{:.1} ms", x / 1e3)
    }
}

fn ratio(a: Option<Duration>, b: Option<Duration>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.2}", a.as_secs_f64() / b.as_secs_f64()),
        _ => "—".into(),
    }
}

// ------------------------------------------------------------ heap / spawn --

/// One sample of the heap workload: seconds to build the variable and
/// microseconds per spawn, one estimate per block.
#[derive(Clone)]
struct HeapSample {
    build: f64,
    per_spawn_us: Vec<f64>,
}

/// Median per-spawn cost over every block of every sample.
fn heap_median(samples: &[HeapSample]) -> Option<f64> {
    let all: Vec<f64> = samples
        .iter()
        .flat_map(|s| s.per_spawn_us.iter().copied())
        .collect();
    median_f(&all)
}

fn write_heap_script(dir: &Path, mib: u64) -> String {
    let file = format!("heap_{mib}.sh");
    let per_block = (HEAP_SPAWNS / HEAP_BLOCKS) as usize;
    let mut s = format!(
        "x=$(head -c {} /dev/zero | tr '\\0' a)\necho built\n",
        mib << 20
    );
    for _ in 0..HEAP_BLOCKS {
        s += &repeat_lines(":", per_block);
        s += "echo noop\n";
        s += &repeat_lines("/bin/true", per_block);
        s += "echo spawned\n";
    }
    s += "echo ${#x}\n";
    fs::write(dir.join(&file), s).unwrap();
    file
}

fn run_heap(
    dog: &Watchdog,
    shell: &Shell,
    file: &str,
    mib: u64,
    dir: &Path,
) -> Result<HeapSample, String> {
    let err_path = dir.join("stderr.txt");
    let mut cmd = shell.command();
    cmd.arg(file)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(fs::File::create(&err_path).unwrap());
    // Generous: building 1 GiB takes ~20 s, forking 200 times from it ~10 s.
    let timeout = Duration::from_secs(120 + 90 * (mib >> 10));
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let stdout = child.stdout.take().unwrap();
    arm(dog, &child, timeout);
    let mut marks = Vec::new();
    let mut lines = Vec::new();
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    while reader.read_line(&mut line).unwrap_or(0) > 0 {
        marks.push(Instant::now());
        lines.push(line.trim_end().to_string());
        line.clear();
    }
    let status = child.wait();
    dog.tx.send(None).unwrap();
    let status = status.map_err(|e| format!("wait: {e}"))?;
    let mut want = vec!["built".to_string()];
    for _ in 0..HEAP_BLOCKS {
        want.push("noop".into());
        want.push("spawned".into());
    }
    want.push((mib << 20).to_string());
    if !status.success() || lines != want {
        let err = fs::read_to_string(&err_path).unwrap_or_default();
        let err = err.lines().next().unwrap_or("").trim().to_string();
        return Err(format!(
            "{status}, printed {:?}, stderr: {err:?}",
            short(&lines.join(" "))
        ));
    }
    let per_block = f64::from(HEAP_SPAWNS / HEAP_BLOCKS);
    let blocks = marks[..marks.len() - 1]
        .windows(3)
        .step_by(2)
        .map(|w| {
            let noop = (w[1] - w[0]).as_secs_f64();
            let spawns = (w[2] - w[1]).as_secs_f64();
            (spawns - noop) / per_block * 1e6
        })
        .collect();
    Ok(HeapSample {
        build: (marks[0] - start).as_secs_f64(),
        per_spawn_us: blocks,
    })
}

fn arm(dog: &Watchdog, child: &Child, timeout: Duration) {
    dog.tx.send(Some((child.id(), timeout))).unwrap();
}

fn mem_available_mib() -> u64 {
    let info = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    info.lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kib| kib >> 10)
}

fn size_label(mib: u64) -> String {
    if mib == 0 {
        "0".into()
    } else if mib.is_multiple_of(1024) {
        format!("{} GiB", mib / 1024)
    } else {
        format!("{mib} MiB")
    }
}

// ----------------------------------------------------------------- limit --

/// What the clone child needs; built before the loop so the child only
/// calls `execve`.
struct ExecArgs {
    path: CString,
    argv: [*const c_char; 2],
    envp: [*const c_char; 1],
}

extern "C" fn clone_child(arg: *mut c_void) -> c_int {
    // SAFETY: `arg` points at the parent's `ExecArgs`, alive and untouched
    // while the parent is suspended (CLONE_VFORK); execve and _exit are
    // async-signal-safe.
    unsafe {
        let a = &*(arg as *const ExecArgs);
        libc::execve(a.path.as_ptr(), a.argv.as_ptr(), a.envp.as_ptr());
        libc::_exit(127)
    }
}

fn wait_pid(pid: libc::pid_t) {
    let mut status = 0;
    // SAFETY: waiting for our own child; `status` is a valid out-pointer.
    let r = unsafe { libc::waitpid(pid, &mut status, 0) };
    assert!(r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
}

/// `n` × `/bin/true` through glibc's `posix_spawn`, waited one by one.
fn limit_posix_spawn(args: &ExecArgs, n: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..n {
        let mut pid = 0;
        // SAFETY: valid NUL-terminated path, argv and envp arrays; null
        // file actions and attributes are allowed.
        let r = unsafe {
            libc::posix_spawn(
                &mut pid,
                args.path.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                args.argv.as_ptr() as *const *mut c_char,
                args.envp.as_ptr() as *const *mut c_char,
            )
        };
        assert_eq!(r, 0, "posix_spawn");
        wait_pid(pid);
    }
    start.elapsed()
}

/// `n` × `/bin/true` through `clone(CLONE_VM|CLONE_VFORK)` on one reused
/// stack, with no signal handling at all: the floor.
fn limit_clone_vfork(args: &ExecArgs, n: u32) -> Duration {
    let mut stack = vec![0u128; 4096]; // 64 KiB, 16-byte aligned
    let start = Instant::now();
    for _ in 0..n {
        // SAFETY: the stack is ours and outlives the child, which runs on
        // it only until execve (the parent is suspended until then); the
        // top of a Vec<u128> is 16-byte aligned as x86-64 requires.
        let pid = unsafe {
            let top = stack.as_mut_ptr().add(stack.len()) as *mut c_void;
            libc::clone(
                clone_child,
                top,
                libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
                args as *const ExecArgs as *mut c_void,
            )
        };
        assert!(pid > 0, "clone");
        wait_pid(pid);
    }
    start.elapsed()
}

/// The limit's samples, taken one round at a time so that they interleave
/// with the shells' runs of the same 1000 spawns.
struct Limit {
    args: ExecArgs,
    posix_spawn: Vec<Duration>,
    clone: Vec<Duration>,
}

impl Limit {
    fn new() -> Self {
        let path = CString::new("/bin/true").unwrap();
        let mut args = ExecArgs {
            argv: [std::ptr::null(); 2],
            envp: [std::ptr::null()],
            path,
        };
        args.argv[0] = args.path.as_ptr();
        Limit {
            args,
            posix_spawn: Vec::new(),
            clone: Vec::new(),
        }
    }

    /// One round; round 0 is the warm-up and is not kept.
    fn round(&mut self, round: usize) {
        let a = limit_posix_spawn(&self.args, LIMIT_SPAWNS);
        let b = limit_clone_vfork(&self.args, LIMIT_SPAWNS);
        if round > 0 {
            self.posix_spawn.push(a);
            self.clone.push(b);
        }
    }
}

// --------------------------------------------------------------- machine --

fn loadavg() -> String {
    let l = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

fn machine() -> Vec<(String, String)> {
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown".into(), |(_, v)| v.trim().to_string());
    let nproc = thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1048576.0)
        });
    // SAFETY: returns a pointer to a static NUL-terminated string.
    let glibc = unsafe { CStr::from_ptr(libc::gnu_get_libc_version()) };
    vec![
        ("kernel (`uname -r`)".into(), kernel.trim().to_string()),
        ("CPUs (`nproc`)".into(), nproc.to_string()),
        ("CPU model".into(), cpu),
        ("memory".into(), mem),
        ("glibc".into(), glibc.to_string_lossy().into_owned()),
        ("date (UTC)".into(), utc_now()),
    ]
}

fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60
    )
}

// ------------------------------------------------------------------- svg --

/// A hand-written line chart: per-spawn latency (log scale) against the
/// size of the variable the shell built first.
fn svg_chart(sizes: &[u64], series: &[(String, Vec<(u64, f64)>)], limit: Option<f64>) -> String {
    const W: f64 = 760.0;
    const H: f64 = 460.0;
    let (left, right, top, bottom) = (90.0, 210.0, 50.0, 70.0);
    let pw = W - left - right;
    let ph = H - top - bottom;
    let xmax = sizes.iter().copied().max().unwrap_or(1).max(1) as f64;
    let values: Vec<f64> = series
        .iter()
        .flat_map(|(_, pts)| pts.iter().map(|p| p.1))
        .chain(limit)
        .filter(|v| *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let (dlo, dhi) = if values.is_empty() {
        (0, 3)
    } else {
        (
            lo.log10().floor() as i32,
            (hi.log10().ceil() as i32).max(lo.log10().floor() as i32 + 1),
        )
    };
    let x = |mib: u64| left + mib as f64 / xmax * pw;
    let y = |v: f64| top + ph - (v.log10() - f64::from(dlo)) / f64::from(dhi - dlo) * ph;
    let mut s = String::new();
    writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
    )
    .unwrap();
    writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#).unwrap();
    writeln!(
        s,
        r#"<text x="{}" y="24" text-anchor="middle" font-size="15">Cost of one spawn of /bin/true against the shell's heap</text>"#,
        left + pw / 2.0
    )
    .unwrap();
    // Horizontal grid: decades.
    for d in dlo..=dhi {
        let v = 10f64.powi(d);
        let yy = y(v);
        writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/>"##,
            left + pw
        )
        .unwrap();
        let label = if d >= 3 {
            format!("{} ms", 10f64.powi(d - 3))
        } else {
            format!("{v} µs")
        };
        writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{label}</text>"#,
            left - 8.0,
            yy + 4.0
        )
        .unwrap();
    }
    // Vertical ticks: the sizes measured.
    for &mib in sizes {
        let xx = x(mib);
        writeln!(
            s,
            r##"<line x1="{xx:.1}" y1="{top}" x2="{xx:.1}" y2="{:.1}" stroke="#eee"/>"##,
            top + ph
        )
        .unwrap();
        writeln!(
            s,
            r#"<text x="{xx:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            top + ph + 18.0,
            size_label(mib)
        )
        .unwrap();
    }
    writeln!(
        s,
        r##"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>"##
    )
    .unwrap();
    writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">size of the variable the shell built before spawning</text>"#,
        left + pw / 2.0,
        H - 22.0
    )
    .unwrap();
    writeln!(
        s,
        r#"<text transform="translate(22 {:.1}) rotate(-90)" text-anchor="middle">time per spawn (log scale)</text>"#,
        top + ph / 2.0
    )
    .unwrap();
    let colours = [
        "#1f77b4", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
    ];
    if let Some(v) = limit.filter(|v| *v > 0.0) {
        let yy = y(v);
        writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#777" stroke-width="1.5" stroke-dasharray="2 3"/>"##,
            left + pw
        )
        .unwrap();
        let ly = top + 10.0 + 22.0 * series.len() as f64;
        let lx = left + pw + 16.0;
        writeln!(
            s,
            r##"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="#777" stroke-width="1.5" stroke-dasharray="2 3"/>"##,
            lx + 28.0
        )
        .unwrap();
        writeln!(
            s,
            r#"<text x="{}" y="{}">limit (raw vfork clone)</text>"#,
            lx + 36.0,
            ly + 4.0
        )
        .unwrap();
    }
    for (i, (name, pts)) in series.iter().enumerate() {
        let colour = colours[i % colours.len()];
        let dash = if name.starts_with("pidsh") {
            ""
        } else {
            r#" stroke-dasharray="6 4""#
        };
        let pts: Vec<(f64, f64)> = pts
            .iter()
            .filter(|p| p.1 > 0.0)
            .map(|&(m, v)| (x(m), y(v)))
            .collect();
        if pts.len() > 1 {
            let path: Vec<String> = pts.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            writeln!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
                path.join(" ")
            )
            .unwrap();
        }
        for (a, b) in &pts {
            writeln!(
                s,
                r#"<circle cx="{a:.1}" cy="{b:.1}" r="3.5" fill="{colour}"/>"#
            )
            .unwrap();
        }
        let ly = top + 10.0 + 22.0 * i as f64;
        let lx = left + pw + 16.0;
        writeln!(
            s,
            r#"<line x1="{lx}" y1="{ly}" x2="{}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>"#,
            lx + 28.0
        )
        .unwrap();
        writeln!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            lx + 36.0,
            ly + 4.0,
            xml(name)
        )
        .unwrap();
    }
    s.push_str("</svg>\n");
    s
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ------------------------------------------------------------------ main --

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

fn main() {
    let bench_start = Instant::now();
    let load_start = loadavg();
    let runs = env_usize("PIDSH_BENCH_RUNS", 3).max(1);
    let peer_max = env_usize("PIDSH_BENCH_PEER_MAX_MIB", 1024) as u64;
    let sizes: Vec<u64> = std::env::var("PIDSH_BENCH_HEAP_MIB")
        .unwrap_or_else(|_| "0,256,1024".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let heap_runs_env = std::env::var("PIDSH_BENCH_HEAP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok());
    let only = std::env::var("PIDSH_BENCH_ONLY").ok();
    let part = |name: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|p| p.trim() == name))
    };
    // A partial run prints, it does not rewrite the docs.
    let write_docs = std::env::var_os("PIDSH_BENCH_NO_DOCS").is_none() && only.is_none();

    let dir = std::env::temp_dir().join(format!("pidsh-bench-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let dog = Watchdog::new();

    let main_pidsh = pidsh("pidsh", None);
    let (peers, missing) = peers();
    println!("pidsh: {}", main_pidsh.version);
    for p in &peers {
        println!("peer: {} — {}", p.label, p.version);
    }
    if !missing.is_empty() {
        println!("not on PATH (skipped): {}", missing.join(", "));
    }
    let backends = [
        pidsh("pidsh clone-vfork", Some("clone-vfork")),
        pidsh("pidsh posix_spawn", Some("posix_spawn")),
        pidsh("pidsh fork", Some("fork")),
    ];

    // Ordinary workloads.
    let workloads = write_workloads(&dir);
    let mut shells = vec![main_pidsh.clone()];
    shells.extend(peers.iter().cloned());
    let mut table: Vec<(&Workload, Vec<Samples>)> = Vec::new();
    let mut backend_table: Vec<(&Workload, Vec<Samples>)> = Vec::new();
    let mut limit = Limit::new();
    let start_up_row = |w: &&Workload| w.runs.is_some();
    for w in workloads
        .iter()
        .filter(|w| part("workloads") || (part("startup") && start_up_row(w)))
    {
        let runs = w.runs.unwrap_or(runs);
        println!("\n{} ({runs} runs after a warm-up)", w.name);
        let mut extra = |round: usize| {
            if w.args[0] == "true.sh" && part("limit") {
                limit.round(round);
            }
        };
        let results = measure(&dog, &shells, w, &dir, runs, &mut extra);
        print_results(&shells, &results);
        table.push((w, results));
        if w.per_backend {
            let results = measure(&dog, &backends[1..], w, &dir, runs, &mut |_| {});
            print_results(&backends[1..], &results);
            backend_table.push((w, results));
        }
    }

    // Per iteration: N turns against 0, shells interleaved.
    let per_iteration = write_per_iteration(&dir);
    let mut loop_table: Vec<(&PerIteration, Vec<Result<f64, String>>)> = Vec::new();
    for l in per_iteration.iter().filter(|_| part("workloads")) {
        println!(
            "\n{} ({LOOP_ITERATIONS} turns against 0, {runs} runs each)",
            l.name
        );
        let full = measure(&dog, &shells, &l.full, &dir, runs, &mut |_| {});
        let empty = measure(&dog, &shells, &l.empty, &dir, runs, &mut |_| {});
        let cells: Vec<Result<f64, String>> = full
            .iter()
            .zip(&empty)
            .map(|(f, e)| per_iteration_us(f, e))
            .collect();
        for (shell, c) in shells.iter().zip(&cells) {
            match c {
                Ok(x) => println!("  {:<18} {:>10} per iteration", shell.label, us(*x)),
                Err(why) => println!("  {:<18} FAILS: {why}", shell.label),
            }
        }
        loop_table.push((l, cells));
    }

    // The limit.
    if part("limit") && limit.clone.is_empty() {
        for round in 0..=runs {
            limit.round(round);
        }
    }
    let lim_ps_med = median(&limit.posix_spawn);
    let lim_cl_med = median(&limit.clone);
    let per =
        |d: Option<Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1e6 / f64::from(LIMIT_SPAWNS));
    if part("limit") {
        println!("\nlimit: {LIMIT_SPAWNS} × /bin/true from a tiny program");
        println!(
            "  posix_spawn: {} total, {} per spawn",
            lim_ps_med.map_or("—".into(), ms),
            us(per(lim_ps_med))
        );
        println!(
            "  clone(CLONE_VM|CLONE_VFORK): {} total, {} per spawn",
            lim_cl_med.map_or("—".into(), ms),
            us(per(lim_cl_med))
        );
    }

    // Spawn cost against shell size.
    let mut heap_shells: Vec<Shell> = backends.to_vec();
    heap_shells.extend(peers.iter().cloned());
    // Per shell, per size: samples or failure / skip reason.
    let mut heap: Vec<Vec<Result<Vec<HeapSample>, String>>> = vec![Vec::new(); heap_shells.len()];
    let mut heap_counts = Vec::new();
    for &mib in sizes.iter().filter(|_| part("heap")) {
        let file = write_heap_script(&dir, mib);
        let samples = heap_runs_env.unwrap_or(if mib < 256 { 3 } else { 1 });
        heap_counts.push(samples);
        // Building the variable through $( ) peaks at about twice its size.
        let fits = mem_available_mib() > 3 * mib + 1024;
        println!(
            "\nspawn cost with a {} variable ({samples} samples of {HEAP_SPAWNS} spawns)",
            size_label(mib)
        );
        let mut cells: Vec<Result<Vec<HeapSample>, String>> = heap_shells
            .iter()
            .map(|s| {
                if !fits {
                    Err("skipped: not enough memory".into())
                } else if s.spawn.is_none() && mib > peer_max {
                    Err("skipped (peers stop at PIDSH_BENCH_PEER_MAX_MIB)".into())
                } else {
                    Ok(Vec::new())
                }
            })
            .collect();
        for _ in 0..samples {
            for (shell, cell) in heap_shells.iter().zip(cells.iter_mut()) {
                let Ok(v) = cell else { continue };
                match run_heap(&dog, shell, &file, mib, &dir) {
                    Ok(s) => v.push(s),
                    Err(why) => *cell = Err(why),
                }
            }
        }
        for (shell, (cell, col)) in heap_shells
            .iter()
            .zip(cells.into_iter().zip(heap.iter_mut()))
        {
            match &cell {
                Ok(v) => {
                    let build: Vec<f64> = v.iter().map(|s| s.build).collect();
                    let blocks: Vec<String> = v
                        .iter()
                        .flat_map(|s| s.per_spawn_us.iter().map(|x| format!("{x:.0}")))
                        .collect();
                    println!(
                        "  {:<18} {:>10} per spawn   (building the variable: {:.2} s; blocks, µs: {})",
                        shell.label,
                        heap_median(v).map_or("—".into(), us),
                        median_f(&build).unwrap_or(0.0),
                        blocks.join(" ")
                    );
                }
                Err(why) => println!("  {:<18} {why}", shell.label),
            }
            col.push(cell);
        }
    }
    // Scaling: pidsh, bash and dash at N, 4N, 16N.
    let scaling_runs = env_usize("PIDSH_BENCH_SCALING_RUNS", 1).max(1);
    let mut scaling_shells = vec![main_pidsh.clone()];
    scaling_shells.extend(
        peers
            .iter()
            .filter(|p| p.label == "bash" || p.label == "dash")
            .cloned(),
    );
    let scaling = part("scaling").then(|| scaling::run(&dog, &scaling_shells, &dir, scaling_runs));
    let scaling_doc = scaling.as_ref().map(|rows| {
        (
            scaling::markdown(rows, &scaling_shells, scaling_runs),
            scaling::svg(rows, &scaling_shells),
        )
    });

    let elapsed = bench_start.elapsed();
    println!("\nbench took {:.0} s", elapsed.as_secs_f64());

    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let scaling_alone = only.as_deref().is_some_and(|o| o.trim() == "scaling")
        && std::env::var_os(scaling::ROWS_VAR).is_none();
    if scaling_alone
        && std::env::var_os("PIDSH_BENCH_NO_DOCS").is_none()
        && let Some((section, svg)) = &scaling_doc
    {
        let path = docs.join("benchmarks.md");
        let old = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, scaling::splice(&old, section)).unwrap();
        fs::write(docs.join("scaling.svg"), svg).unwrap();
        println!("wrote the scaling section of docs/benchmarks.md and docs/scaling.svg");
    }
    if !write_docs {
        let _ = fs::remove_dir_all(&dir);
        return;
    }
    let doc = Doc {
        runs,
        shells: &shells,
        backends: &backends[1..],
        missing: &missing,
        table: &table,
        loop_table: &loop_table,
        backend_table: &backend_table,
        limit: (lim_ps_med, lim_cl_med),
        sizes: &sizes,
        heap_shells: &heap_shells,
        heap: &heap,
        heap_counts: &heap_counts,
        elapsed,
        load: format!("{load_start} → {}", loadavg()),
    };
    fs::create_dir_all(&docs).unwrap();
    let mut text = doc.markdown();
    if let Some((section, svg)) = &scaling_doc {
        text = scaling::splice(&text, section);
        fs::write(docs.join("scaling.svg"), svg).unwrap();
    }
    fs::write(docs.join("benchmarks.md"), text).unwrap();
    let series: Vec<(String, Vec<(u64, f64)>)> = heap_shells
        .iter()
        .zip(&heap)
        .map(|(sh, cells)| {
            let pts = sizes
                .iter()
                .zip(cells)
                .filter_map(|(&m, c)| {
                    let v = c.as_ref().ok()?;
                    Some((m, heap_median(v)?))
                })
                .collect();
            (sh.label.clone(), pts)
        })
        .collect();
    fs::write(
        docs.join("spawn-vs-heap.svg"),
        svg_chart(
            &sizes,
            &series,
            lim_cl_med.map(|d| d.as_secs_f64() * 1e6 / f64::from(LIMIT_SPAWNS)),
        ),
    )
    .unwrap();
    println!("wrote docs/benchmarks.md and docs/spawn-vs-heap.svg");
    let _ = fs::remove_dir_all(&dir);
}

fn print_results(shells: &[Shell], results: &[Samples]) {
    for (shell, r) in shells.iter().zip(results) {
        match r {
            Ok(v) => {
                let all: Vec<String> = v
                    .iter()
                    .map(|d| format!("{:.1}", d.as_secs_f64() * 1e3))
                    .collect();
                println!(
                    "  {:<18} median {:>10}   runs (ms): {}",
                    shell.label,
                    median(v).map_or("—".into(), ms),
                    all.join(" ")
                );
            }
            Err(why) => println!("  {:<18} FAILS: {why}", shell.label),
        }
    }
}

// ------------------------------------------------------------------ docs --

struct Doc<'a> {
    runs: usize,
    shells: &'a [Shell],
    backends: &'a [Shell],
    missing: &'a [&'static str],
    table: &'a [(&'a Workload, Vec<Samples>)],
    loop_table: &'a [(&'a PerIteration, Vec<Result<f64, String>>)],
    backend_table: &'a [(&'a Workload, Vec<Samples>)],
    limit: (Option<Duration>, Option<Duration>),
    sizes: &'a [u64],
    heap_shells: &'a [Shell],
    heap: &'a [Vec<Result<Vec<HeapSample>, String>>],
    heap_counts: &'a [usize],
    elapsed: Duration,
    /// Load averages when the bench started and ended.
    load: String,
}

fn cell(r: &Samples) -> String {
    match r {
        Ok(v) => median(v).map_or("—".into(), ms),
        Err(_) => "fails¹".into(),
    }
}

impl Doc<'_> {
    /// The per-iteration table, below the workloads.
    fn per_iteration_markdown(&self, md: &mut String, failures: &mut Vec<String>) {
        if self.loop_table.is_empty() {
            return;
        }
        md.push_str("\n### Per iteration\n\n");
        writeln!(
            md,
            "The script `n=$1; i=0; while [ $i -lt $n ]; do BODY; i=$((i+1)); done`, run \
             whole-process with `$1` = {LOOP_ITERATIONS} and with `$1` = 0 ({} runs each \
             after a warm-up, shells interleaved); a cell is (median time of \
             {LOOP_ITERATIONS} turns − median time of 0 turns) ÷ {LOOP_ITERATIONS}: the cost \
             of one turn, start-up and exit cancelled out. The first row is what a user \
             timing a loop of `x=$(echo hi)` sees; the second is the same loop with `x=hi`, \
             so the difference between the rows is the substitution's own cost. Ratios are \
             pidsh ÷ peer.\n",
            self.runs
        )
        .unwrap();
        let peers = &self.shells[1..];
        let (head, rule) = ratio_table_head("loop body", peers);
        writeln!(md, "{head}\n{rule}").unwrap();
        let cell_us = |c: &Result<f64, String>| match c {
            Ok(x) => us(*x),
            Err(_) => "fails¹".into(),
        };
        let mut rows: Vec<(String, Vec<Result<f64, String>>)> = self
            .loop_table
            .iter()
            .map(|(l, cells)| (l.name.replace('|', "\\|"), cells.clone()))
            .collect();
        if let [(_, with), (_, without)] = self.loop_table {
            let own = with
                .iter()
                .zip(without)
                .map(|(a, b)| match (a, b) {
                    (Ok(a), Ok(b)) => Ok(a - b),
                    _ => Err("a loop failed".to_string()),
                })
                .collect();
            rows.push(("`$(echo hi)` alone (first row − second)".into(), own));
        }
        for (name, cells) in &rows {
            let mut row = format!("| {name} |");
            for c in cells {
                write!(row, " {} |", cell_us(c)).unwrap();
            }
            for c in &cells[1..] {
                let r = match (&cells[0], c) {
                    (Ok(p), Ok(q)) if *q > 0.0 => format!("{:.2}", p / q),
                    _ => "—".into(),
                };
                write!(row, " {r} |").unwrap();
            }
            writeln!(md, "{row}").unwrap();
        }
        for (l, cells) in self.loop_table {
            for (sh, c) in self.shells.iter().zip(cells) {
                if let Err(why) = c {
                    failures.push(format!("{} on {}: {}", sh.label, l.name, why));
                }
            }
        }
    }

    fn markdown(&self) -> String {
        let mut s = String::new();
        let md = &mut s;
        md.push_str("# Benchmarks\n\n");
        md.push_str(
            "Generated by `cargo bench --bench shells` (`benches/shells.rs`); do not edit by hand, \
             run the bench again. Nothing in it asserts on time.\n\n",
        );
        md.push_str("## Machine\n\n| | |\n|---|---|\n");
        for (k, v) in machine() {
            writeln!(md, "| {k} | {v} |").unwrap();
        }
        writeln!(
            md,
            "| bench wall time | {:.0} s |",
            self.elapsed.as_secs_f64()
        )
        .unwrap();
        writeln!(
            md,
            "| load average (1, 5, 15 min), start → end | {} |",
            self.load
        )
        .unwrap();
        md.push_str("\n## Shells\n\n");
        for sh in self.shells {
            writeln!(md, "- **{}**: {}", sh.label, sh.version).unwrap();
        }
        if !self.missing.is_empty() {
            let names: Vec<String> = self.missing.iter().map(|m| format!("`{m}`")).collect();
            writeln!(md, "- not installed, so not measured: {}", names.join(", ")).unwrap();
        }

        // Main table.
        md.push_str("\n## Workloads\n\n");
        writeln!(
            md,
            "Whole-process wall time of `SHELL script` (the same script text for every shell), \
             median of {} runs after one warm-up run ({START_UP_RUNS} for the start-up rows), \
             shells interleaved run by run. \
             Ratios are pidsh ÷ peer: **below 1 means pidsh is faster**. The limit is \
             {LIMIT_SPAWNS} × `/bin/true` from a tiny program with glibc's `posix_spawn` \
             (see [below](#the-limit)).\n",
            self.runs
        )
        .unwrap();
        let peers = &self.shells[1..];
        let (mut head, mut rule) = ratio_table_head("workload", peers);
        head.push_str(" pidsh/limit |");
        rule.push_str("--:|");
        writeln!(md, "{head}\n{rule}").unwrap();
        let mut failures = Vec::new();
        for (w, results) in self.table {
            let mut row = format!("| {} |", w.name.replace('|', "\\|"));
            for r in results {
                write!(row, " {} |", cell(r)).unwrap();
            }
            let p = results[0].as_ref().ok().and_then(|v| median(v));
            for r in &results[1..] {
                let q = r.as_ref().ok().and_then(|v| median(v));
                write!(row, " {} |", ratio(p, q)).unwrap();
            }
            let lim = if w.args.first().is_some_and(|a| a == "true.sh") {
                ratio(p, self.limit.0)
            } else {
                "—".into()
            };
            write!(row, " {lim} |").unwrap();
            writeln!(md, "{row}").unwrap();
            for (sh, r) in self.shells.iter().zip(results) {
                if let Err(why) = r {
                    failures.push(format!("{} on {}: {}", sh.label, w.name, why));
                }
            }
        }
        md.push_str(
            "\nThe `$( )` and `while` rows run inside the shell: a loop costs one `[` test \
             and one `$(( ))` per turn, in every shell alike. The `/bin/true` rows are \
             unrolled (one command per line), so 1000 × `/bin/true` is issue 2's \
             \"first number\".\n",
        );

        self.per_iteration_markdown(md, &mut failures);

        // Backends.
        md.push_str("\n### pidsh by spawn backend\n\n");
        md.push_str(
            "`PIDSH_SPAWN` selects how pidsh starts children; the column *pidsh* above is \
             the default (clone-vfork, falling back to posix_spawn if the kernel refuses).\n\n",
        );
        let mut head = String::from("| workload | pidsh (default) |");
        let mut rule = String::from("|---|--:|");
        for b in self.backends {
            write!(head, " {} |", b.label).unwrap();
            rule.push_str("--:|");
        }
        writeln!(md, "{head}\n{rule}").unwrap();
        for (w, results) in self.backend_table {
            let main = self
                .table
                .iter()
                .find(|(t, _)| t.name == w.name)
                .map_or("—".into(), |(_, r)| cell(&r[0]));
            let mut row = format!("| {} | {main} |", w.name.replace('|', "\\|"));
            for (b, r) in self.backends.iter().zip(results) {
                write!(row, " {} |", cell(r)).unwrap();
                if let Err(why) = r {
                    failures.push(format!("{} on {}: {}", b.label, w.name, why));
                }
            }
            writeln!(md, "{row}").unwrap();
        }
        if !failures.is_empty() {
            md.push_str(
                "\n¹ A run printed the wrong output or failed, so the cell has no time:\n\n",
            );
            for f in &failures {
                writeln!(md, "- {}", f.replace('|', "\\|")).unwrap();
            }
        }

        // Heap.
        md.push_str("\n## Spawn cost against shell size\n\n");
        writeln!(
            md,
            "The shell first builds a variable with `x=$(head -c SIZE /dev/zero | tr '\\0' a)` \
             and prints a marker; then, {HEAP_BLOCKS} times over, it runs {per_block} × `:` \
             and prints a marker, runs {per_block} × `/bin/true` and prints a marker \
             ({HEAP_SPAWNS} spawns in all). The bench time-stamps the markers as they arrive \
             through a pipe; per block, per spawn = (time of the `/bin/true` lines − time of \
             the `:` lines) ÷ {per_block}, that is (time with the spawns − time with 0 spawns) \
             ÷ spawns, with the same variable in the same process, and without the seconds \
             spent building the variable in the difference. A cell is the median over all \
             blocks of all samples; the column heads say how many processes (samples) ran.\n",
            per_block = HEAP_SPAWNS / HEAP_BLOCKS
        )
        .unwrap();
        md.push_str(
            "dash already spawns *simple* commands with vfork, so its line stays flat here \
             (it forks for pipelines, `$( )`, subshells and `&`); bash forks, and so does \
             pidsh's opt-in `fork` backend, which exists for comparison.\n\n",
        );
        md.push_str("![per-spawn latency against heap size](spawn-vs-heap.svg)\n\n");
        let mut head = String::from("| shell |");
        let mut rule = String::from("|---|");
        for (&m, n) in self.sizes.iter().zip(self.heap_counts) {
            write!(head, " {} ({n}×) |", size_label(m)).unwrap();
            rule.push_str("--:|");
        }
        writeln!(md, "Time per spawn:\n\n{head}\n{rule}").unwrap();
        let mut build_rows = String::new();
        let mut notes = Vec::new();
        for (sh, cells) in self.heap_shells.iter().zip(self.heap) {
            let mut row = format!("| {} |", sh.label);
            let mut brow = format!("| {} |", sh.label);
            for (&m, c) in self.sizes.iter().zip(cells) {
                match c {
                    Ok(v) => {
                        let b: Vec<f64> = v.iter().map(|x| x.build).collect();
                        write!(row, " {} |", heap_median(v).map_or("—".into(), us)).unwrap();
                        write!(
                            brow,
                            " {} |",
                            median_f(&b).map_or("—".into(), |b| format!("{b:.2} s"))
                        )
                        .unwrap();
                    }
                    Err(why) if why.starts_with("skipped") => {
                        row.push_str(" — |");
                        brow.push_str(" — |");
                    }
                    Err(why) => {
                        row.push_str(" fails² |");
                        brow.push_str(" fails² |");
                        notes.push(format!("{} at {}: {}", sh.label, size_label(m), why));
                    }
                }
            }
            writeln!(md, "{row}").unwrap();
            writeln!(build_rows, "{brow}").unwrap();
        }
        let per = |d: Option<Duration>| {
            d.map_or("—".into(), |d| {
                us(d.as_secs_f64() * 1e6 / f64::from(LIMIT_SPAWNS))
            })
        };
        writeln!(
            md,
            "| *limit: posix_spawn* | {} |\n| *limit: clone(VM\\|VFORK)* | {} |",
            per(self.limit.0),
            per(self.limit.1)
        )
        .unwrap();
        md.push_str(
            "\n— : not run (peers stop at 1 GiB; sizes above that run only when the machine \
             has the memory).\n",
        );
        writeln!(
            md,
            "\nTime to build the variable (same runs):\n\n{head}\n{rule}\n{build_rows}"
        )
        .unwrap();
        if !notes.is_empty() {
            md.push_str("² Failed:\n\n");
            for n in &notes {
                writeln!(md, "- {}", n.replace('|', "\\|")).unwrap();
            }
            md.push('\n');
        }

        // Limit.
        md.push_str("## The limit\n\n");
        writeln!(
            md,
            "A tiny program (inside the bench binary) starting `/bin/true` {LIMIT_SPAWNS} times \
             and waiting for each, median of {} runs, run in turn with the shells' runs of \
             1000 × `/bin/true` so that both see the same machine:\n",
            self.runs
        )
        .unwrap();
        md.push_str("| method | 1000 spawns | per spawn |\n|---|--:|--:|\n");
        for (name, d) in [
            ("glibc `posix_spawn`", self.limit.0),
            (
                "`clone(CLONE_VM\\|CLONE_VFORK)`, reused stack, no signal work",
                self.limit.1,
            ),
        ] {
            writeln!(md, "| {name} | {} | {} |", d.map_or("—".into(), ms), per(d)).unwrap();
        }
        md.push_str(
            "\n## Running it\n\n```sh\ncargo bench --bench shells\n```\n\n\
             Cargo builds `pidsh` in release mode for the bench. Environment: \
             `PIDSH_BENCH_RUNS` (default 3), `PIDSH_BENCH_HEAP_MIB` (default `0,256,1024`; \
             add `4096` for pidsh at 4 GiB), `PIDSH_BENCH_HEAP_RUNS`, \
             `PIDSH_BENCH_PEER_MAX_MIB` (default 1024), `PIDSH_BENCH_NO_DOCS=1` to print \
             without rewriting this page, `PIDSH_BENCH_ONLY=workloads,limit,heap` (any \
             subset; a partial run only prints). Peers are looked up on `PATH`: `dash`, `bash`, \
             `zsh`, `mksh`, `busybox` (as `busybox sh`).\n",
        );
        s
    }
}

/// The head and rule of a table of pidsh against `peers`: a column per
/// shell, then a ratio column per peer (pidsh ÷ peer).
fn ratio_table_head(first: &str, peers: &[Shell]) -> (String, String) {
    let mut head = format!("| {first} | pidsh |");
    let mut rule = String::from("|---|--:|");
    for p in peers {
        write!(head, " {} |", p.label).unwrap();
        rule.push_str("--:|");
    }
    for p in peers {
        write!(head, " pidsh/{} |", p.label).unwrap();
        rule.push_str("--:|");
    }
    (head, rule)
}
