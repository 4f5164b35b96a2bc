//! Differential tests of the spawn backends: the same plan, run by `clone-vfork`,
//! `posix_spawn` and `fork`, must leave the child in the same state.
//!
//! Each plan starts `/bin/cat` reading a pipe, so the child stays blocked
//! after exec while we read its state from `/proc/<pid>` (descriptors and
//! their flags, cwd, process group, session, signal masks, umask, environ,
//! cmdline, exe). Then we feed the pipe, close it, reap the child and read
//! any file it wrote. Per-run names (the temp dir, the pipe's inode) are
//! normalised before comparing.
//!
//! Process-wide state (signal dispositions, umask, unreaped children) is
//! shared by the test threads, so every test holds [`lock`].

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::ffi::CString;
use std::fs;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::fcntl::{OFlag, open};
use nix::sys::signal::{SigHandler, Signal, signal};
use nix::sys::stat::Mode;
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, dup3, getpgrp, getpid, getsid, pipe2, write};
use pidsh::spawn::backend::{self, Backend, NAMES};
use pidsh::spawn::{Child, ProcessGroup, Program, Spawn, SpawnError, SpawnOp, SpawnStep};

static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    static CLOEXEC: std::sync::Once = std::sync::Once::new();
    // Whatever started this test binary may have left descriptors open
    // without close-on-exec (the shell does the same at startup: it owns
    // only close-on-exec descriptors).
    // SAFETY: CLOSE_RANGE_CLOEXEC closes nothing; it only keeps our
    // descriptors out of children.
    CLOEXEC.call_once(|| unsafe {
        pidsh::sys::close_range(3, u32::MAX, libc::CLOSE_RANGE_CLOEXEC).unwrap();
    });
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn cs(s: &str) -> CString {
    CString::new(s).unwrap()
}

fn cpath(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).unwrap()
}

fn backends() -> Vec<&'static dyn Backend> {
    NAMES.iter().map(|n| backend::by_name(n).unwrap()).collect()
}

/// Per-run resources: a fresh temp dir and a close-on-exec pipe whose read
/// end becomes the child's stdin.
struct Fixture {
    dir: PathBuf,
    pipe_r: OwnedFd,
    pipe_w: Option<OwnedFd>,
    /// Descriptors the plan needs kept open until the child is reaped.
    hold: Vec<OwnedFd>,
    /// A process group leader started for the plan to join.
    leader: Option<Pid>,
}

impl Fixture {
    fn new() -> Fixture {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pidsh-spawn-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(dir.join("sub")).unwrap();
        let (pipe_r, pipe_w) = pipe2(OFlag::O_CLOEXEC).unwrap();
        Fixture {
            dir,
            pipe_r,
            pipe_w: Some(pipe_w),
            hold: Vec::new(),
            leader: None,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn r(&self) -> RawFd {
        self.pipe_r.as_raw_fd()
    }

    /// Opens `path` close-on-exec in the parent, at exactly `at` if given.
    fn open_at(&mut self, path: &Path, flags: OFlag, at: Option<RawFd>) -> RawFd {
        let fd = open(
            path,
            flags | OFlag::O_CLOEXEC,
            Mode::from_bits_truncate(0o644),
        )
        .unwrap();
        let fd = match at {
            Some(n) => {
                let mut target = unsafe_owned(n);
                dup3(&fd, &mut target, OFlag::O_CLOEXEC).unwrap();
                target
            }
            None => fd,
        };
        let raw = fd.as_raw_fd();
        self.hold.push(fd);
        raw
    }

    /// Replaces a label's per-run value by the label.
    fn normalise(&self, s: &str) -> String {
        let pipe = fs::read_link(format!("/proc/self/fd/{}", self.r())).unwrap();
        let dir = fs::canonicalize(&self.dir).unwrap();
        s.replace(&*dir.to_string_lossy(), "$TMP")
            .replace(&*pipe.to_string_lossy(), "pipe")
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// An `OwnedFd` for a number the test is about to overwrite with `dup3`.
fn unsafe_owned(n: RawFd) -> OwnedFd {
    // SAFETY: the test holds the lock and uses numbers (40–49) nothing else
    // in this binary opens; dup3 replaces whatever is there.
    unsafe { OwnedFd::from_raw_fd(n) }
}

/// A signal disposition set for one test and restored on drop, even when
/// the test panics (a leaked `SIG_IGN` would show in every later child).
struct Disposition(Signal, SigHandler);

impl Disposition {
    fn set(sig: Signal, handler: SigHandler) -> Disposition {
        // SAFETY: the handlers the tests install (SIG_IGN, `on_usr2`) are
        // async-signal-safe; the lock keeps other tests out meanwhile.
        Disposition(sig, unsafe { signal(sig, handler) }.unwrap())
    }
}

impl Drop for Disposition {
    fn drop(&mut self) {
        // SAFETY: restoring what was there before `set`.
        let _ = unsafe { signal(self.0, self.1) };
    }
}

/// glibc's internal signal `sig` (32 or 33, which `sigaction` refuses) set
/// to `SIG_DFL` with the raw syscall, and restored on drop.
struct RawDefault {
    sig: libc::c_int,
    /// The kernel's `struct sigaction` (at most four words here).
    old: [u64; 4],
}

impl RawDefault {
    fn set(sig: libc::c_int) -> RawDefault {
        let default = [0u64; 4];
        let mut old = [0u64; 4];
        // SAFETY: both buffers are large enough for the kernel's struct and
        // live for the call; all-zero is SIG_DFL with no flags. Nothing in
        // the test binary sends these signals.
        let r = unsafe {
            libc::syscall(
                libc::SYS_rt_sigaction,
                sig,
                default.as_ptr(),
                old.as_mut_ptr(),
                8usize,
            )
        };
        assert_eq!(r, 0, "rt_sigaction({sig})");
        RawDefault { sig, old }
    }
}

impl Drop for RawDefault {
    fn drop(&mut self) {
        // SAFETY: restores the action read in `set`.
        unsafe {
            libc::syscall(
                libc::SYS_rt_sigaction,
                self.sig,
                self.old.as_ptr(),
                std::ptr::null_mut::<u64>(),
                8usize,
            )
        };
    }
}

/// What a child looks like from `/proc`, with per-run names normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Observed {
    /// fd → (target, `flags:` of fdinfo).
    fds: BTreeMap<RawFd, (String, String)>,
    cwd: String,
    exe: String,
    pgrp: &'static str,
    session: &'static str,
    tpgid: &'static str,
    sig_blk: String,
    sig_ign: String,
    sig_cgt: String,
    umask: String,
    environ: Vec<String>,
    cmdline: Vec<String>,
    /// Exit status after stdin is closed.
    status: String,
    /// Files of the temp dir and their contents after the child exited.
    files: BTreeMap<String, String>,
}

fn stat_fields(pid: Pid) -> Vec<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after "pid (comm) ": state ppid pgrp session tty_nr tpgid …
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    rest.split_whitespace().map(str::to_owned).collect()
}

/// Waits until the child sleeps (blocked reading the pipe).
fn wait_blocked(pid: Pid) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while stat_fields(pid)[0] != "S" {
        assert!(Instant::now() < deadline, "child {pid} never blocked");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn relation(x: i32, pid: Pid, leader: Option<Pid>) -> &'static str {
    if x == pid.as_raw() {
        "self"
    } else if Some(x) == leader.map(Pid::as_raw) {
        "leader"
    } else if x == getpgrp().as_raw() || x == getsid(None).unwrap().as_raw() {
        "parent"
    } else if x <= 0 {
        "none"
    } else {
        "other"
    }
}

fn status_field(status: &str, name: &str) -> String {
    status
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .unwrap_or("?")
        .trim()
        .to_owned()
}

fn nul_list(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|b| *b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

fn observe_fds(fx: &Fixture, pid: Pid) -> BTreeMap<RawFd, (String, String)> {
    let mut fds = BTreeMap::new();
    for entry in fs::read_dir(format!("/proc/{pid}/fd")).unwrap() {
        let entry = entry.unwrap();
        let n: RawFd = entry.file_name().to_string_lossy().parse().unwrap();
        let target = fs::read_link(entry.path()).unwrap();
        let info = fs::read_to_string(format!("/proc/{pid}/fdinfo/{n}")).unwrap();
        let flags = status_field(&info, "flags");
        fds.insert(n, (fx.normalise(&target.to_string_lossy()), flags));
    }
    fds
}

/// Reads the child's state, then feeds and closes its stdin and reaps it.
fn observe(fx: &mut Fixture, child: Child, leader: Option<Pid>, input: &str) -> Observed {
    let pid = child.pid;
    assert!(child.pidfd.is_some(), "this kernel has pidfds");
    wait_blocked(pid);
    // Stable twice in a row: cat opened nothing else meanwhile.
    let mut fds = observe_fds(fx, pid);
    loop {
        std::thread::sleep(Duration::from_millis(5));
        let again = observe_fds(fx, pid);
        if again == fds {
            break;
        }
        fds = again;
    }
    let stat = stat_fields(pid);
    let field = |i: usize| stat[i].parse::<i32>().unwrap();
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let link = |what: &str| {
        fx.normalise(
            &fs::read_link(format!("/proc/{pid}/{what}"))
                .unwrap()
                .to_string_lossy(),
        )
    };
    let mut obs = Observed {
        fds,
        cwd: link("cwd"),
        exe: link("exe"),
        pgrp: relation(field(2), pid, leader),
        session: relation(field(3), pid, leader),
        tpgid: relation(field(5), pid, leader),
        sig_blk: status_field(&status, "SigBlk"),
        sig_ign: status_field(&status, "SigIgn"),
        sig_cgt: status_field(&status, "SigCgt"),
        umask: status_field(&status, "Umask"),
        environ: nul_list(&fs::read(format!("/proc/{pid}/environ")).unwrap()),
        cmdline: nul_list(&fs::read(format!("/proc/{pid}/cmdline")).unwrap()),
        status: String::new(),
        files: BTreeMap::new(),
    };
    let w = fx.pipe_w.take().unwrap();
    write(&w, input.as_bytes()).unwrap();
    drop(w);
    obs.status = format!("{:?}", reap(pid));
    for entry in fs::read_dir(&fx.dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            obs.files
                .insert(entry.file_name().to_string_lossy().into_owned(), text);
        }
    }
    obs
}

fn reap(pid: Pid) -> WaitStatus {
    loop {
        match waitpid(pid, None) {
            Err(Errno::EINTR) => continue,
            other => {
                let status = other.unwrap();
                return match status {
                    WaitStatus::Exited(_, code) => WaitStatus::Exited(Pid::from_raw(0), code),
                    WaitStatus::Signaled(_, sig, core) => {
                        WaitStatus::Signaled(Pid::from_raw(0), sig, core)
                    }
                    other => other,
                };
            }
        }
    }
}

/// `cat` with stdin on the fixture's pipe, a fixed environment, then the
/// plan's own ops.
fn cat(fx: &Fixture) -> Spawn {
    let mut plan = Spawn::new(Program::Path(cs("/bin/cat")));
    plan.arg(cs("cat"))
        .env(cs("PATH=/usr/bin:/bin"))
        .env(cs("PIDSH_TEST=two words"))
        .dup2(fx.r(), 0);
    plan
}

/// Runs `build` once per backend and checks that every backend leaves the
/// child in the same state; returns that state.
fn differential(
    build: impl Fn(&mut Fixture) -> Spawn,
    setup: impl Fn(&dyn Backend) -> Option<Pid>,
) -> Observed {
    let mut seen: Vec<(&str, Observed)> = Vec::new();
    for b in backends() {
        let mut fx = Fixture::new();
        let leader = setup(b);
        fx.leader = leader;
        let plan = build(&mut fx);
        let child = b
            .spawn(&plan)
            .unwrap_or_else(|e| panic!("{}: {e} at {}", b.name(), e.step));
        let obs = observe(&mut fx, child, leader, "hello\n");
        if let Some(leader) = leader {
            let _ = nix::sys::signal::kill(leader, Signal::SIGKILL);
            reap(leader);
        }
        seen.push((b.name(), obs));
    }
    let (first, reference) = &seen[0];
    for (name, obs) in &seen[1..] {
        assert_eq!(
            obs, reference,
            "{name} differs from {first}\n{name}: {obs:#?}\n{first}: {reference:#?}"
        );
    }
    seen.swap_remove(0).1
}

fn no_setup(_: &dyn Backend) -> Option<Pid> {
    None
}

fn sigbit(sig: Signal) -> u64 {
    1 << (sig as i32 - 1)
}

fn hex(s: &str) -> u64 {
    u64::from_str_radix(s, 16).unwrap()
}

#[test]
fn argv_env_and_stdin_from_a_pipe() {
    let _g = lock();
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.arg(cs("-"));
            plan
        },
        no_setup,
    );
    assert_eq!(obs.cmdline, ["cat", "-"]);
    assert_eq!(obs.environ, ["PATH=/usr/bin:/bin", "PIDSH_TEST=two words"]);
    assert_eq!(obs.fds[&0].0, "pipe");
    assert_eq!(obs.pgrp, "parent");
    assert_eq!(obs.session, "parent");
    assert_eq!(obs.sig_blk, "0000000000000000");
    assert_eq!(obs.sig_cgt, "0000000000000000");
    assert_eq!(obs.status, "Exited(Pid(0), 0)");
}

#[test]
fn dup2_of_a_file_and_open_with_trunc_and_append() {
    let _g = lock();
    let obs = differential(
        |fx| {
            fs::write(fx.path("trunc"), "old contents\n").unwrap();
            fs::write(fx.path("append"), "x\n").unwrap();
            let out = fx.open_at(&fx.path("dup"), OFlag::O_WRONLY | OFlag::O_CREAT, None);
            let mut plan = cat(fx);
            plan.dup2(out, 1)
                .open(
                    cpath(&fx.path("trunc")),
                    libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC,
                    0o666,
                    5,
                )
                .open(
                    cpath(&fx.path("append")),
                    libc::O_WRONLY | libc::O_APPEND,
                    0,
                    6,
                )
                .open(
                    cpath(&fx.path("created")),
                    libc::O_WRONLY | libc::O_CREAT | libc::O_CLOEXEC,
                    0o600,
                    7,
                );
            plan
        },
        no_setup,
    );
    assert_eq!(obs.files["dup"], "hello\n");
    assert_eq!(obs.files["trunc"], "");
    assert_eq!(obs.files["append"], "x\n");
    assert_eq!(obs.files["created"], "");
    assert_eq!(obs.fds[&1].0, "$TMP/dup");
    assert_eq!(obs.fds[&5].0, "$TMP/trunc");
    assert_eq!(obs.fds[&6].0, "$TMP/append");
    // O_CLOEXEC in an Open op is dropped: the child keeps fd 7.
    assert_eq!(obs.fds[&7].0, "$TMP/created");
    for fd in [0, 1, 5, 6, 7] {
        let flags = u32::from_str_radix(&obs.fds[&fd].1, 8).unwrap();
        assert_eq!(
            flags & libc::O_CLOEXEC as u32,
            0,
            "fd {fd} is close-on-exec"
        );
    }
    let append = u32::from_str_radix(&obs.fds[&6].1, 8).unwrap();
    assert_ne!(append & libc::O_APPEND as u32, 0);
}

#[test]
fn open_onto_stdout_writes_there_and_append_appends() {
    let _g = lock();
    let obs = differential(
        |fx| {
            fs::write(fx.path("log"), "x\n").unwrap();
            let mut plan = cat(fx);
            plan.open(
                cpath(&fx.path("log")),
                libc::O_WRONLY | libc::O_APPEND,
                0,
                1,
            );
            plan
        },
        no_setup,
    );
    assert_eq!(obs.files["log"], "x\nhello\n");
}

#[test]
fn dup2_onto_itself_clears_close_on_exec_and_close_closes() {
    let _g = lock();
    let obs = differential(
        |fx| {
            let keep = fx.open_at(&fx.path("keep"), OFlag::O_RDWR | OFlag::O_CREAT, Some(40));
            let mut plan = cat(fx);
            plan.dup2(keep, keep).close(2).close(33);
            plan
        },
        no_setup,
    );
    assert_eq!(obs.fds[&40].0, "$TMP/keep");
    assert!(!obs.fds.contains_key(&2));
}

#[test]
fn children_see_exactly_0_1_2_and_what_the_plan_names() {
    let _g = lock();
    let obs = differential(
        |fx| {
            // Extra descriptors of the "shell", all close-on-exec.
            for name in ["a", "b", "c"] {
                fx.open_at(&fx.path(name), OFlag::O_RDWR | OFlag::O_CREAT, None);
            }
            let named = fx.open_at(&fx.path("named"), OFlag::O_RDWR | OFlag::O_CREAT, None);
            let mut plan = cat(fx);
            plan.dup2(named, 9);
            plan
        },
        no_setup,
    );
    assert_eq!(obs.fds.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 9]);
}

#[test]
fn close_from_drops_an_inherited_descriptor() {
    let _g = lock();
    let leaky = |close: bool| {
        move |fx: &mut Fixture| {
            // Not close-on-exec: inherited unless the plan closes it.
            let fd = open(
                &fx.path("leak"),
                OFlag::O_RDWR | OFlag::O_CREAT,
                Mode::from_bits_truncate(0o644),
            )
            .unwrap();
            let mut target = unsafe_owned(41);
            dup3(&fd, &mut target, OFlag::empty()).unwrap();
            fx.hold.push(target);
            let mut plan = cat(fx);
            plan.dup2(fx.r(), 3);
            if close {
                plan.close_from(4);
            }
            plan
        }
    };
    let inherited = differential(leaky(false), no_setup);
    assert_eq!(inherited.fds[&41].0, "$TMP/leak");
    let closed = differential(leaky(true), no_setup);
    assert_eq!(closed.fds.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 3]);
}

#[test]
fn chdir_and_fchdir() {
    let _g = lock();
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.chdir(cpath(&fx.dir));
            plan
        },
        no_setup,
    );
    assert_eq!(obs.cwd, "$TMP");
    let obs = differential(
        |fx| {
            let dir = fx.open_at(&fx.path("sub"), OFlag::O_RDONLY | OFlag::O_DIRECTORY, None);
            let mut plan = cat(fx);
            plan.chdir(cs("/")).fchdir(dir);
            plan
        },
        no_setup,
    );
    assert_eq!(obs.cwd, "$TMP/sub");
}

#[test]
fn setpgid_new_and_join_and_setsid() {
    let _g = lock();
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.setpgid(ProcessGroup::New);
            plan
        },
        no_setup,
    );
    assert_eq!((obs.pgrp, obs.session), ("self", "parent"));

    // The leader is started by the same backend; the member joins it.
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.op(SpawnOp::SetPgid(ProcessGroup::Join(fx.leader.unwrap())));
            plan
        },
        |b| {
            let mut plan = Spawn::new(Program::Path(cs("/bin/sleep")));
            plan.arg(cs("sleep"))
                .arg(cs("30"))
                .setpgid(ProcessGroup::New);
            Some(b.spawn(&plan).unwrap().pid)
        },
    );
    assert_eq!((obs.pgrp, obs.session), ("leader", "parent"));

    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.setsid();
            plan
        },
        no_setup,
    );
    assert_eq!((obs.pgrp, obs.session, obs.tpgid), ("self", "self", "none"));
}

#[test]
fn sigdefault_undoes_an_ignored_signal_and_sigmask_sets_the_mask() {
    let _g = lock();
    let usr1 = Disposition::set(Signal::SIGUSR1, SigHandler::SigIgn);
    let ignored = differential(|fx| cat(fx), no_setup);
    let defaulted = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigdefault(vec![libc::SIGUSR1, libc::SIGKILL]);
            plan
        },
        no_setup,
    );
    drop(usr1);
    assert_ne!(hex(&ignored.sig_ign) & sigbit(Signal::SIGUSR1), 0);
    assert_eq!(hex(&defaulted.sig_ign) & sigbit(Signal::SIGUSR1), 0);

    let masked = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigmask(vec![libc::SIGUSR2, libc::SIGTERM]);
            plan
        },
        no_setup,
    );
    assert_eq!(
        hex(&masked.sig_blk),
        sigbit(Signal::SIGUSR2) | sigbit(Signal::SIGTERM)
    );
}

#[test]
fn sigignore_ignores_and_the_later_signal_op_wins() {
    let _g = lock();
    // A handled signal too: the posix_spawn backend ignores it in the
    // parent for the length of the call, where glibc's child would reset it.
    let _usr2 = Disposition::set(Signal::SIGUSR2, SigHandler::Handler(on_usr2));
    let ignored = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigignore(vec![libc::SIGUSR1, libc::SIGUSR2, libc::SIGKILL]);
            plan
        },
        no_setup,
    );
    assert_eq!(
        hex(&ignored.sig_ign) & (sigbit(Signal::SIGUSR1) | sigbit(Signal::SIGUSR2)),
        sigbit(Signal::SIGUSR1) | sigbit(Signal::SIGUSR2)
    );
    assert_eq!(hex(&ignored.sig_cgt) & sigbit(Signal::SIGUSR2), 0);

    let default_last = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigignore(vec![libc::SIGUSR1])
                .sigdefault(vec![libc::SIGUSR1]);
            plan
        },
        no_setup,
    );
    assert_eq!(hex(&default_last.sig_ign) & sigbit(Signal::SIGUSR1), 0);

    let ignore_last = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigdefault(vec![libc::SIGUSR1])
                .sigignore(vec![libc::SIGUSR1]);
            plan
        },
        no_setup,
    );
    assert_ne!(hex(&ignore_last.sig_ign) & sigbit(Signal::SIGUSR1), 0);

    // glibc's own signals: the posix_spawn backend cannot change them in
    // the parent, and glibc's child ignores them unless told otherwise; the
    // child must still get what the other backends give it. (A test binary
    // started through posix_spawn, as cargo starts it, inherits 32 ignored.)
    let _cancel = RawDefault::set(32);
    let _setxid = RawDefault::set(33);
    let plain = differential(|fx| cat(fx), no_setup);
    assert_eq!(hex(&plain.sig_ign) & (3 << 31), 0);
    let internal = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.sigignore(vec![33, libc::SIGRTMIN() + 2]);
            plan
        },
        no_setup,
    );
    let rt = 1u64 << (libc::SIGRTMIN() + 2 - 1);
    assert_eq!(hex(&internal.sig_ign) & (3 << 31 | rt), 1 << 32 | rt);
}

#[test]
fn umask_is_the_childs_own() {
    let _g = lock();
    // SAFETY: umask cannot fail.
    let before = unsafe { libc::umask(0o022) };
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            plan.umask(0o027);
            plan
        },
        no_setup,
    );
    // SAFETY: as above.
    let after = unsafe { libc::umask(before) };
    assert_eq!(obs.umask, "0027");
    assert_eq!(after, 0o022, "the parent's umask is unchanged");
}

#[test]
fn program_from_an_o_path_descriptor() {
    let _g = lock();
    let from_fd = |close_from: bool, overwrite: bool| {
        move |fx: &mut Fixture| {
            let exe = fx.open_at(Path::new("/bin/cat"), OFlag::O_PATH, Some(42));
            let mut plan = Spawn::new(Program::Fd(exe));
            plan.arg(cs("cat")).dup2(fx.r(), 0);
            if close_from {
                // Closes the template's number too: backends must still
                // exec it.
                plan.close_from(3);
            }
            if overwrite {
                // Reuses the template's number for something else.
                plan.dup2(fx.r(), exe);
            }
            plan
        }
    };
    let by_path = differential(|fx| cat(fx), no_setup);
    let obs = differential(from_fd(false, false), no_setup);
    assert_eq!(obs.exe, by_path.exe);
    assert_eq!(obs.fds.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
    let obs = differential(from_fd(true, false), no_setup);
    assert_eq!(obs.exe, by_path.exe);
    assert_eq!(obs.fds.keys().copied().collect::<Vec<_>>(), [0, 1, 2]);
    let obs = differential(from_fd(false, true), no_setup);
    assert_eq!(obs.exe, by_path.exe);
    assert_eq!(obs.fds.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 42]);
    assert_eq!(obs.fds[&42].0, "pipe");
}

#[test]
fn tcsetpgrp_on_a_new_controlling_terminal() {
    let _g = lock();
    let Ok(master) = nix::pty::posix_openpt(OFlag::O_RDWR | OFlag::O_NOCTTY | OFlag::O_CLOEXEC)
    else {
        return;
    };
    nix::pty::grantpt(&master).unwrap();
    nix::pty::unlockpt(&master).unwrap();
    let pts = nix::pty::ptsname_r(&master).unwrap();
    let obs = differential(
        |fx| {
            let mut plan = cat(fx);
            // A session leader opening a tty without O_NOCTTY acquires it.
            plan.setsid()
                .open(cs(&pts), libc::O_RDWR, 0, 3)
                .tcsetpgrp(3);
            plan
        },
        no_setup,
    );
    assert_eq!((obs.session, obs.tpgid), ("self", "self"));
}

fn expect_error(plan: &Spawn) -> Vec<(String, SpawnError)> {
    backends()
        .into_iter()
        .map(|b| {
            let err = match b.spawn(plan) {
                Ok(child) => {
                    reap(child.pid);
                    panic!("{}: spawn succeeded", b.name())
                }
                Err(e) => e,
            };
            // The failed child was reaped: no zombie is left.
            assert_eq!(
                waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)),
                Err(Errno::ECHILD),
                "{}",
                b.name()
            );
            (b.name().to_owned(), err)
        })
        .collect()
}

fn assert_error(plan: &Spawn, errno: Errno, step: SpawnStep) {
    for (name, err) in expect_error(plan) {
        assert_eq!(
            err,
            SpawnError {
                errno,
                step: step.clone()
            },
            "{name}"
        );
    }
}

#[test]
fn a_missing_program_is_enoent_at_exec() {
    let _g = lock();
    let mut plan = Spawn::new(Program::Path(cs("/nonexistent/pidsh-test")));
    plan.arg(cs("x")).umask(0o22);
    assert_error(&plan, Errno::ENOENT, SpawnStep::Exec);
    // Closing every descriptor must not lose the report (the fork
    // backend's pipe survives CloseFrom).
    plan.close_from(0);
    assert_error(&plan, Errno::ENOENT, SpawnStep::Exec);
}

#[test]
fn a_non_executable_file_is_eacces_at_exec() {
    let _g = lock();
    let fx = Fixture::new();
    let file = fx.path("not-exec");
    fs::write(&file, "#!/bin/true\n").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    let mut plan = Spawn::new(Program::Path(cpath(&file)));
    plan.arg(cs("x"));
    assert_error(&plan, Errno::EACCES, SpawnStep::Exec);
}

#[test]
fn a_bad_dup2_source_is_ebadf_at_its_op() {
    let _g = lock();
    let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
    plan.arg(cs("true")).umask(0o22).dup2(1, 1).dup2(900, 5);
    assert_error(&plan, Errno::EBADF, SpawnStep::Op(2));
}

#[test]
fn failing_open_and_chdir_are_blamed_on_their_ops() {
    let _g = lock();
    let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
    plan.arg(cs("true")).open(
        cs("/nonexistent-pidsh-dir/out"),
        libc::O_WRONLY | libc::O_CREAT,
        0o666,
        1,
    );
    assert_error(&plan, Errno::ENOENT, SpawnStep::Op(0));
    let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
    plan.arg(cs("true"))
        .close(5)
        .chdir(cs("/nonexistent-pidsh-dir"));
    assert_error(&plan, Errno::ENOENT, SpawnStep::Op(1));
}

#[test]
fn an_invalid_signal_number_is_einval_at_its_op() {
    let _g = lock();
    let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
    plan.arg(cs("true")).sigmask(vec![libc::SIGINT, 0]);
    assert_error(&plan, Errno::EINVAL, SpawnStep::Op(0));
}

/// The calling thread's mask and every disposition, as comparable data.
fn signal_state() -> (Vec<bool>, Vec<Option<usize>>) {
    let mut mask = std::mem::MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: a null new set only reads the mask into `mask`.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, std::ptr::null(), mask.as_mut_ptr()) };
    // SAFETY: filled in just above.
    let mask = unsafe { mask.assume_init() };
    let blocked = (1..=64)
        // SAFETY: `mask` is an initialised set.
        .map(|s| unsafe { libc::sigismember(&mask, s) } == 1)
        .collect();
    let actions = (1..=64)
        .map(|s| {
            let mut old = std::mem::MaybeUninit::<libc::sigaction>::zeroed();
            // SAFETY: a null new action only reads into `old`.
            let r = unsafe { libc::sigaction(s, std::ptr::null(), old.as_mut_ptr()) };
            // SAFETY: zero-initialised, filled in on success.
            (r == 0).then(|| unsafe { old.assume_init() }.sa_sigaction)
        })
        .collect();
    (blocked, actions)
}

extern "C" fn on_usr2(_: libc::c_int) {}

#[test]
fn the_parents_signal_state_survives_spawns() {
    let _g = lock();
    let _old_usr2 = Disposition::set(Signal::SIGUSR2, SigHandler::Handler(on_usr2));
    let _old_usr1 = Disposition::set(Signal::SIGUSR1, SigHandler::SigIgn);
    let mut winch = nix::sys::signal::SigSet::empty();
    winch.add(Signal::SIGWINCH);
    winch.thread_block().unwrap();

    let before = signal_state();
    for b in backends() {
        let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
        plan.arg(cs("true"))
            .sigdefault(vec![libc::SIGUSR1])
            .sigignore(vec![libc::SIGUSR2, libc::SIGINT, 33]);
        let child = b.spawn(&plan).unwrap();
        assert_eq!(reap(child.pid), WaitStatus::Exited(Pid::from_raw(0), 0));
        let mut bad = Spawn::new(Program::Path(cs("/nonexistent/x")));
        bad.arg(cs("x"));
        assert!(b.spawn(&bad).is_err());
        assert_eq!(signal_state(), before, "{}", b.name());
    }

    winch.thread_unblock().unwrap();
}

#[test]
fn exit_status_and_pidfd_readiness() {
    let _g = lock();
    for b in backends() {
        let mut plan = Spawn::new(Program::Path(cs("/bin/false")));
        plan.arg(cs("false"));
        let child = b.spawn(&plan).unwrap();
        let pidfd = child.pidfd.unwrap();
        let mut fds = [nix::poll::PollFd::new(
            std::os::fd::AsFd::as_fd(&pidfd),
            nix::poll::PollFlags::POLLIN,
        )];
        let n = nix::poll::poll(&mut fds, nix::poll::PollTimeout::from(5000u16)).unwrap();
        assert_eq!(n, 1, "{}: pidfd readable once the child exits", b.name());
        assert_eq!(
            reap(child.pid),
            WaitStatus::Exited(Pid::from_raw(0), 1),
            "{}",
            b.name()
        );
    }
}

#[test]
fn threads_spawn_concurrently() {
    let _g = lock();
    let before = signal_state();
    for b in backends() {
        std::thread::scope(|s| {
            for t in 0..4 {
                s.spawn(move || {
                    for i in 0..10 {
                        let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
                        plan.arg(cs("true"));
                        if (t + i) % 2 == 0 {
                            // posix_spawn sets and restores these in the
                            // parent: concurrent spawns must not mix that up.
                            plan.sigignore(vec![libc::SIGUSR1, libc::SIGINT]);
                        }
                        let child = b.spawn(&plan).unwrap();
                        assert_eq!(reap(child.pid), WaitStatus::Exited(Pid::from_raw(0), 0));
                    }
                });
            }
        });
        assert_eq!(signal_state(), before, "{}", b.name());
    }
}

#[test]
fn the_selected_backend_spawns() {
    let _g = lock();
    assert!(backend::describe().contains(backend::current().name()));
    let mut plan = Spawn::new(Program::Path(cs("/bin/true")));
    plan.arg(cs("true"));
    let child = plan.spawn().unwrap();
    assert_eq!(reap(child.pid), WaitStatus::Exited(Pid::from_raw(0), 0));
    let _ = getpid();
}

#[test]
fn old_backend_name_still_selects_clone_vfork() {
    // Other tests count this process's children.
    let _guard = lock();
    assert_eq!(NAMES[0], "clone-vfork");
    let old = backend::by_name("clone3").map(|b| b.name());
    assert_eq!(old, Some("clone-vfork"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pidsh"))
        .arg("--version")
        .env("PIDSH_SPAWN", "clone3")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("spawn backend: clone-vfork ("), "{text}");
}
