//! The no-fork invariant, checked from outside with ptrace.
//!
//! The test traces the real `pidsh` binary and every task it (or anything
//! it starts) creates, over a script that exercises pipelines,
//! redirections, background jobs, command substitution, subshells,
//! functions, here-documents and failing commands. Each creation is
//! classified from the kernel's ptrace event:
//!
//! - `PTRACE_EVENT_VFORK` (the clone had `CLONE_VFORK`): allowed when the
//!   child also shares the parent's memory (`kcmp(KCMP_VM)`), which is the
//!   vfork-style spawn the shell is built on;
//! - `PTRACE_EVENT_CLONE` (exit signal other than `SIGCHLD`): allowed when
//!   the new task is a thread of the same process (same `Tgid`) — the
//!   shell runs pipeline stages and `$( … )` readers on threads;
//! - anything else — `PTRACE_EVENT_FORK`, a clone that made a new process
//!   without `CLONE_VFORK`, a "vfork" without `CLONE_VM` — is a fork.
//!
//! With the default backend (and with `posix_spawn`) there must be no fork
//! and at least one vfork; with `PIDSH_SPAWN=fork` forks must be seen, so
//! the tracer cannot pass vacuously. The script's output is checked too.
//!
//! The test process itself may fork: it starts the tracee with
//! `std::process::Command` and `PTRACE_TRACEME`. Only the shell's
//! invariant matters. If ptrace is not permitted the test fails with a
//! message saying so; it never skips.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::ffi::c_int;
use std::fmt;
use std::fs::{self, File};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::ptrace::{self, Event, Options};
use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;

/// The script traced: every construct that makes the shell start
/// something, subshells that must be processes among them. The external programs it runs (`tr`, `cat`, `ls`, `sleep`,
/// `/bin/echo`, `/bin/true`, `/bin/false`) never fork themselves, so every
/// fork seen would be the shell's.
const SCRIPT: &str = r#"echo a | tr a b | cat > out; cat < out; ls /nonexistent 2>/dev/null; nosuchcmd_zz 2>/dev/null
x=$(echo sub); y=$(/bin/echo ext); (cd /; /bin/true); f() { /bin/echo "f $1"; }; f 1 | cat
sleep 0 & wait; { /bin/true; } & wait; cat <<EOF
doc $x $y
EOF
/bin/false || /bin/echo "failed $?"
(/bin/echo sub | tr s S)
r=$(cat < out | tr b c); echo "r=$r"
cat <<< "here string" | tr a-z A-Z
for w in $(cat out); do /bin/echo "for $w"; done < out
(trap '' USR1; /bin/echo "process $(( BASHPID != $$ ))"); p=$(echo $BASHPID); { trap 'echo t' HUP; } | cat
"#;

/// What [`SCRIPT`] prints.
const EXPECTED: &str = "b\nf 1\ndoc sub ext\nfailed 1\nSub\nr=c\nHERE STRING\nfor b\nprocess 1\n";

/// How long a traced run may take before the watchdog kills it.
const TIMEOUT: Duration = Duration::from_secs(60);

/// `waitpid(-1, __WALL)` sees every child of this process, so traced runs
/// must not overlap each other (and nothing else in this binary starts
/// children).
static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// How a traced task came into being.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `PTRACE_EVENT_VFORK` whose child shares the parent's memory.
    Vfork,
    /// `PTRACE_EVENT_CLONE` whose child is a thread of the parent's process.
    Thread,
    /// `PTRACE_EVENT_FORK`.
    Fork,
    /// `PTRACE_EVENT_CLONE` whose child is a new process: a fork by
    /// another name.
    ProcessClone,
    /// `PTRACE_EVENT_VFORK` whose child has its own memory: a fork that
    /// merely suspends the parent.
    VforkWithoutVm,
}

impl Kind {
    fn is_fork(self) -> bool {
        matches!(self, Kind::Fork | Kind::ProcessClone | Kind::VforkWithoutVm)
    }
}

/// One task creation seen by the tracer.
#[derive(Debug)]
struct Birth {
    kind: Kind,
    parent: i32,
    /// `/proc/<parent>/exe` when the event was seen.
    parent_exe: String,
    child: i32,
}

impl fmt::Display for Birth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?}: {} ({}) -> {}",
            self.kind, self.parent, self.parent_exe, self.child
        )
    }
}

/// Everything one traced run produced.
#[derive(Debug, Default)]
struct Trace {
    births: Vec<Birth>,
    /// `/proc/<pid>/exe` after each `PTRACE_EVENT_EXEC`.
    execs: Vec<String>,
    /// Tasks still alive when the shell had exited (killed by the tracer).
    stragglers: Vec<i32>,
    timed_out: bool,
    /// The shell's exit code, or `None` if a signal ended it.
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Trace {
    fn count(&self, kind: Kind) -> usize {
        self.births.iter().filter(|b| b.kind == kind).count()
    }

    fn forks(&self) -> Vec<&Birth> {
        self.births.iter().filter(|b| b.kind.is_fork()).collect()
    }

    /// Everything worth showing when an assertion fails.
    fn report(&self) -> String {
        let births: Vec<String> = self.births.iter().map(|b| format!("  {b}")).collect();
        format!(
            "exit code {:?}, timed out {}, stragglers {:?}\nstdout {:?}\nstderr {:?}\nexecs {:?}\nbirths:\n{}",
            self.code,
            self.timed_out,
            self.stragglers,
            self.stdout,
            self.stderr,
            self.execs,
            births.join("\n")
        )
    }
}

fn tempdir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pidsh-nofork-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn exe_of(pid: i32) -> String {
    fs::read_link(format!("/proc/{pid}/exe"))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|e| format!("<{e}>"))
}

/// The thread group (process) of task `tid`, from `/proc/<tid>/status`.
fn tgid_of(tid: i32) -> Option<i32> {
    let status = fs::read_to_string(format!("/proc/{tid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Tgid:"))
        .and_then(|v| v.trim().parse().ok())
}

/// Whether tasks `a` and `b` share one address space: `kcmp(KCMP_VM)`.
/// `None` when the kernel cannot say (no `kcmp`).
fn same_vm(a: i32, b: i32) -> Option<bool> {
    const KCMP_VM: libc::c_long = 1;
    // SAFETY: kcmp with KCMP_VM compares two tasks' mm pointers; the two
    // trailing arguments are unused and no memory is passed.
    let r = unsafe {
        libc::syscall(
            libc::SYS_kcmp,
            libc::c_long::from(a),
            libc::c_long::from(b),
            KCMP_VM,
            0 as libc::c_long,
            0 as libc::c_long,
        )
    };
    match r {
        0 => Some(true),
        1 | 2 => Some(false),
        _ => None,
    }
}

/// `waitpid(-1, __WALL)`, raw: nix's decoder rejects stops by real-time
/// signals, and an undecodable stop would leave a tracee stopped forever.
fn wait_any() -> Result<(i32, c_int), Errno> {
    let mut status: c_int = 0;
    loop {
        // SAFETY: waitpid only writes `status`.
        let pid = unsafe { libc::waitpid(-1, &raw mut status, libc::__WALL) };
        if pid >= 0 {
            return Ok((pid, status));
        }
        match Errno::last() {
            Errno::EINTR => continue,
            e => return Err(e),
        }
    }
}

/// Restarts a stopped tracee, delivering `sig` (0: none).
fn resume(pid: i32, sig: c_int) {
    let target = Pid::from_raw(pid);
    let result = if sig == 0 {
        ptrace::cont(target, None)
    } else if let Ok(signal) = Signal::try_from(sig) {
        ptrace::cont(target, signal)
    } else {
        // A real-time signal, which nix's `Signal` cannot name.
        // SAFETY: PTRACE_CONT takes no memory; `data` is the signal number.
        let r = unsafe {
            libc::ptrace(
                libc::PTRACE_CONT,
                pid,
                std::ptr::null_mut::<libc::c_void>(),
                libc::c_long::from(sig),
            )
        };
        if r == -1 { Err(Errno::last()) } else { Ok(()) }
    };
    match result {
        // ESRCH: the tracee was killed (SIGKILL) since it stopped.
        Ok(()) | Err(Errno::ESRCH) => {}
        Err(e) => panic!("PTRACE_CONT {pid} with signal {sig}: {e}"),
    }
}

/// Kills the run if it is not done within [`TIMEOUT`]: the process group
/// the shell leads and every task the tracer knows to be alive.
struct Watchdog {
    done: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    fired: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(group: i32, alive: Arc<Mutex<BTreeSet<i32>>>) -> Watchdog {
        let (done, rx) = mpsc::channel::<()>();
        let fired = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&fired);
        let thread = std::thread::spawn(move || {
            if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(TIMEOUT) {
                flag.store(true, Ordering::SeqCst);
                let _ = killpg(Pid::from_raw(group), Signal::SIGKILL);
                let alive = alive.lock().unwrap_or_else(|e| e.into_inner());
                for &pid in alive.iter() {
                    let _ = kill(Pid::from_raw(pid), Signal::SIGKILL);
                }
            }
        });
        Watchdog {
            done: Some(done),
            thread: Some(thread),
            fired,
        }
    }

    /// Stops the watchdog; whether it had fired.
    fn stop(mut self) -> bool {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
        self.fired.load(Ordering::SeqCst)
    }
}

/// Runs `pidsh -c script` under ptrace, following every task, with
/// `PIDSH_SPAWN=backend` (`None`: unset, the default backend).
fn trace(script: &str, backend: Option<&str>) -> Trace {
    let _guard = lock();
    let dir = tempdir();
    let work = dir.join("work");
    fs::create_dir_all(&work).unwrap();
    let out_path = dir.join("stdout");
    let err_path = dir.join("stderr");

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pidsh"));
    cmd.arg("-c")
        .arg(script)
        .current_dir(&work)
        .stdin(Stdio::null())
        .stdout(File::create(&out_path).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .process_group(0);
    match backend {
        Some(b) => cmd.env("PIDSH_SPAWN", b),
        None => cmd.env_remove("PIDSH_SPAWN"),
    };
    // SAFETY: PTRACE_TRACEME is a single async-signal-safe syscall; it
    // touches no memory shared with the parent.
    unsafe {
        cmd.pre_exec(|| ptrace::traceme().map_err(std::io::Error::from));
    }
    // The tracer is the thread that forked the tracee: this one. Every
    // ptrace request below must come from it.
    let child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) => panic!(
            "cannot start pidsh under ptrace (PTRACE_TRACEME or exec failed: {e}); \
             this test needs ptrace and does not skip — allow ptrace (CAP_SYS_PTRACE, \
             yama ptrace_scope, seccomp) where it runs"
        ),
    };
    let root = i32::try_from(child.id()).unwrap();
    // We reap the shell ourselves; `Child` has nothing left to do.
    drop(child);

    let alive = Arc::new(Mutex::new(BTreeSet::from([root])));
    let watchdog = Watchdog::start(root, Arc::clone(&alive));
    let mut t = Trace::default();

    // The tracee stops with SIGTRAP after its exec; from then on follow
    // everything it creates.
    let (pid, status) = wait_any().unwrap();
    assert_eq!(pid, root, "first stop from an unknown task");
    assert!(
        libc::WIFSTOPPED(status) && libc::WSTOPSIG(status) == libc::SIGTRAP,
        "pidsh did not stop at exec under PTRACE_TRACEME (status {status:#x})"
    );
    let options = Options::PTRACE_O_TRACEFORK
        | Options::PTRACE_O_TRACEVFORK
        | Options::PTRACE_O_TRACECLONE
        | Options::PTRACE_O_TRACEEXEC
        | Options::PTRACE_O_EXITKILL;
    if let Err(e) = ptrace::setoptions(Pid::from_raw(root), options) {
        panic!("PTRACE_SETOPTIONS on pidsh failed: {e}; this test needs ptrace");
    }
    resume(root, 0);

    // Tasks whose initial SIGSTOP has been consumed (the root never gets
    // one): a SIGSTOP for any of them is a real signal.
    let mut started: BTreeSet<i32> = BTreeSet::from([root]);
    // New tasks seen at their initial stop before their parent's creation
    // event: held stopped until the event has been classified, so a vfork
    // child cannot exec (and leave the shared memory) before `kcmp` looks.
    let mut held: BTreeSet<i32> = BTreeSet::new();
    // New tasks announced by their parent's event, initial stop not yet seen.
    let mut announced: BTreeSet<i32> = BTreeSet::new();
    let mut root_done = false;

    loop {
        let (pid, status) = match wait_any() {
            Ok(x) => x,
            Err(Errno::ECHILD) => break,
            Err(e) => panic!("waitpid: {e}"),
        };
        if libc::WIFEXITED(status) || libc::WIFSIGNALED(status) {
            alive.lock().unwrap().remove(&pid);
            started.remove(&pid);
            held.remove(&pid);
            announced.remove(&pid);
            if pid == root {
                root_done = true;
                t.code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
                // Everything the script started was waited for; anything
                // left is reported, then killed so the run ends.
                let left: Vec<i32> = alive.lock().unwrap().iter().copied().collect();
                for &p in &left {
                    let _ = kill(Pid::from_raw(p), Signal::SIGKILL);
                }
                t.stragglers = left;
            }
            continue;
        }
        if !libc::WIFSTOPPED(status) {
            continue;
        }
        let sig = libc::WSTOPSIG(status);
        let event = status >> 16;
        if event != 0 {
            on_event(pid, event, &mut t, &alive, &mut held, &mut announced);
            if event == Event::PTRACE_EVENT_EXEC as c_int {
                t.execs.push(exe_of(pid));
            }
            resume(pid, 0);
            continue;
        }
        if !started.contains(&pid) {
            // A new task's first stop: its initial SIGSTOP, swallowed.
            started.insert(pid);
            alive.lock().unwrap().insert(pid);
            if announced.remove(&pid) {
                resume(pid, 0);
            } else {
                held.insert(pid);
            }
            continue;
        }
        let group_stop = matches!(
            sig,
            libc::SIGSTOP | libc::SIGTSTP | libc::SIGTTIN | libc::SIGTTOU
        ) && ptrace::getsiginfo(Pid::from_raw(pid)) == Err(Errno::EINVAL);
        if group_stop {
            // Without PTRACE_SEIZE, restarting a group-stopped tracee lets
            // it run on; the script never stops a job, so that is fine.
            resume(pid, 0);
        } else {
            // A signal on its way to the tracee: deliver it.
            resume(pid, sig);
        }
    }
    for pid in std::mem::take(&mut held) {
        resume(pid, 0);
    }
    t.timed_out = watchdog.stop();
    assert!(root_done || t.timed_out, "the tracer lost pidsh");
    t.stdout = fs::read_to_string(&out_path).unwrap();
    t.stderr = fs::read_to_string(&err_path).unwrap();
    let _ = fs::remove_dir_all(&dir);
    t
}

/// Classifies a creation event and lets a held child go.
fn on_event(
    pid: i32,
    event: c_int,
    t: &mut Trace,
    alive: &Mutex<BTreeSet<i32>>,
    held: &mut BTreeSet<i32>,
    announced: &mut BTreeSet<i32>,
) {
    let fork = Event::PTRACE_EVENT_FORK as c_int;
    let vfork = Event::PTRACE_EVENT_VFORK as c_int;
    let clone = Event::PTRACE_EVENT_CLONE as c_int;
    if event != fork && event != vfork && event != clone {
        return;
    }
    let msg = ptrace::getevent(Pid::from_raw(pid)).unwrap();
    let child = i32::try_from(msg).unwrap();
    let kind = if event == fork {
        Kind::Fork
    } else if event == vfork {
        // The child has not run a user instruction yet (held, or not yet
        // at its initial stop), so it still has the memory it was born
        // with.
        match same_vm(pid, child) {
            Some(false) => Kind::VforkWithoutVm,
            Some(true) | None => Kind::Vfork,
        }
    } else {
        match (tgid_of(pid), tgid_of(child)) {
            (Some(a), Some(b)) if a == b => Kind::Thread,
            _ => Kind::ProcessClone,
        }
    };
    t.births.push(Birth {
        kind,
        parent: pid,
        parent_exe: exe_of(pid),
        child,
    });
    alive.lock().unwrap().insert(child);
    if held.remove(&child) {
        resume(child, 0);
    } else {
        announced.insert(child);
    }
}

/// Traces [`SCRIPT`] with `PIDSH_SPAWN=backend` and checks its output and
/// that it forked exactly when `forks_expected`.
fn check(name: &str, backend: Option<&str>, forks_expected: bool) {
    let t = trace(SCRIPT, backend);
    let pidsh = fs::canonicalize(env!("CARGO_BIN_EXE_pidsh"))
        .unwrap()
        .display()
        .to_string();
    let report = t.report();
    assert!(
        !t.timed_out,
        "{name}: the run took over {TIMEOUT:?}\n{report}"
    );
    assert_eq!(t.stdout, EXPECTED, "{name}: wrong output\n{report}");
    assert_eq!(t.code, Some(0), "{name}: wrong exit status\n{report}");
    assert!(
        t.stragglers.is_empty(),
        "{name}: tasks outlived the shell\n{report}"
    );
    assert!(
        t.execs.len() >= 10,
        "{name}: the tracer saw too few execs to have followed the children\n{report}"
    );
    let forks = t.forks();
    if forks_expected {
        assert!(
            t.count(Kind::Fork) > 0,
            "{name}: the fork backend was traced but no fork was seen: the tracer is blind\n{report}"
        );
        assert!(
            forks.iter().all(|b| b.parent_exe == pidsh),
            "{name}: something other than pidsh ({pidsh}) forked\n{report}"
        );
    } else {
        assert!(forks.is_empty(), "{name}: pidsh forked\n{report}");
        assert!(
            t.births
                .iter()
                .any(|b| b.kind == Kind::Vfork && b.parent_exe == pidsh),
            "{name}: pidsh made no vfork-style spawn: the tracer is blind\n{report}"
        );
    }
}

#[test]
fn default_backend_never_forks() {
    check("default_backend_never_forks", None, false);
}

#[test]
fn clone_vfork_backend_never_forks() {
    check(
        "clone_vfork_backend_never_forks",
        Some("clone-vfork"),
        false,
    );
}

#[test]
fn posix_spawn_backend_never_forks() {
    check(
        "posix_spawn_backend_never_forks",
        Some("posix_spawn"),
        false,
    );
}

/// The reference backend really forks; seeing it proves the tracer can see
/// forks at all.
#[test]
fn fork_reference_backend_is_seen_forking() {
    check("fork_reference_backend_is_seen_forking", Some("fork"), true);
}

/// Command substitution of shell code costs no process at all: the only
/// tasks the shell creates for it are threads.
#[test]
fn command_substitution_of_shell_code_starts_no_process() {
    let script = "f() { echo c; }; x=$(echo a); y=$( (echo b) ); z=$(f); echo $x$y$z\n";
    let t = trace(script, None);
    let report = t.report();
    assert!(!t.timed_out, "the run took over {TIMEOUT:?}\n{report}");
    assert_eq!(t.stdout, "abc\n", "wrong output\n{report}");
    let processes: Vec<&Birth> = t.births.iter().filter(|b| b.kind != Kind::Thread).collect();
    assert!(
        processes.is_empty(),
        "command substitution started processes: {processes:?}\n{report}"
    );
    // The same tracer does see the processes of an external command
    // substitution, so the empty list above is not blindness.
    let t = trace("x=$(/bin/echo a); echo $x\n", None);
    assert!(
        t.births.iter().any(|b| b.kind == Kind::Vfork),
        "the tracer saw no spawn for $(/bin/echo)\n{}",
        t.report()
    );
}
