//! A pseudo-terminal harness shared by the interactive tests: the real
//! `pidsh` binary on a pty, keys in, and the screen (as a terminal emulator
//! would draw it) out.
//!
//! The screen is kept by `vt100`, which also tells where the cursor is:
//! reedline asks the terminal for the cursor position (`ESC [ 6 n`) before
//! each prompt, and we answer as a real terminal would. No timed
//! assertions: each step waits for what should appear, with a generous
//! deadline, and a failure shows the screen.
//!
//! The shell's processes are seen through `/proc` ([`Proc`]); dropping a
//! [`Term`] kills the shell and everything it started (with
//! `PIDSH_PTY_DUMP` set, it first prints the final screen).
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// The prompt every test shell shows (`PS1`).
pub const PROMPT: &str = "pidsh-test$ ";
/// How long any one wait may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(60);
/// The terminal's size.
pub const ROWS: u16 = 30;
/// The terminal's size.
pub const COLS: u16 = 100;

/// A home directory of its own for each test, removed at the end.
pub struct TempHome(pub PathBuf);

impl TempHome {
    pub fn new() -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "pidsh-interactive-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempHome(dir)
    }

    pub fn histfile(&self) -> PathBuf {
        self.0.join("state/pidsh/history")
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One shell on one terminal.
pub struct Term {
    screen: Arc<Mutex<vt100::Parser>>,
    /// Every cursor shape asked for so far (see [`note_cursor_styles`]).
    cursor_styles: Arc<Mutex<Vec<u8>>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    /// The shell's pid.
    pid: i32,
    /// Processes seen as the shell's descendants, killed on drop if still
    /// there (a job may outlive the shell, reparented away from it).
    seen: Mutex<Vec<Proc>>,
    /// Kept open while the shell runs; dropping it ends the reader thread.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

/// Feeds output to the emulator and answers cursor-position queries.
/// The cursor shapes a program asked for (the digit of each `ESC [ N q`,
/// DECSCUSR), which the screen model does not keep.
fn note_cursor_styles(bytes: &[u8], styles: &Mutex<Vec<u8>>) {
    let mut styles = styles.lock().unwrap();
    for w in bytes.windows(5) {
        if w[0] == 0x1b && w[1] == b'[' && w[2].is_ascii_digit() && w[3] == b' ' && w[4] == b'q' {
            styles.push(w[2] - b'0');
        }
    }
}

fn pump(
    mut reader: Box<dyn Read + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    styles: Arc<Mutex<Vec<u8>>>,
) {
    const QUERY: &[u8] = b"\x1b[6n";
    let mut buf = [0u8; 4096];
    // A query split across two reads: keep the tail of the previous read.
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        note_cursor_styles(&buf[..n], &styles);
        carry.extend_from_slice(&buf[..n]);
        let mut start = 0;
        while let Some(at) = carry[start..]
            .windows(QUERY.len())
            .position(|w| w == QUERY)
            .map(|p| start + p)
        {
            let (row, col) = {
                let mut s = screen.lock().unwrap();
                s.process(&carry[start..at]);
                s.screen().cursor_position()
            };
            let answer = format!("\x1b[{};{}R", row + 1, col + 1);
            let mut w = writer.lock().unwrap();
            let _ = w.write_all(answer.as_bytes());
            let _ = w.flush();
            start = at + QUERY.len();
        }
        // Hold back a possible start of a query (at most 3 bytes).
        let keep = (1..QUERY.len())
            .rev()
            .find(|&k| carry.len() - start >= k && carry.ends_with(&QUERY[..k]))
            .unwrap_or(0);
        let end = carry.len() - keep;
        screen.lock().unwrap().process(&carry[start..end]);
        carry.drain(..end);
    }
}

impl Term {
    /// Starts `pidsh` in `home` (also its working directory), with `PS1`
    /// set to [`PROMPT`].
    pub fn start(home: &TempHome) -> Term {
        let term = Term::start_with(home, Some(PROMPT));
        term.wait_for("the first prompt", |s| s.prompt_line().is_some());
        term
    }

    /// Starts `pidsh` with `PS1` in its environment, or none.
    pub fn start_with(home: &TempHome, ps1: Option<&str>) -> Term {
        let env: Vec<(&str, &str)> = ps1.map(|p| ("PS1", p)).into_iter().collect();
        Term::start_command(home, &[], &env)
    }

    /// Starts `pidsh` with `args`, and `env` added to (or replacing) the
    /// usual environment.
    pub fn start_command(home: &TempHome, args: &[&str], env: &[(&str, &str)]) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pidsh"));
        cmd.args(args);
        cmd.env_clear();
        cmd.env("HOME", &home.0);
        cmd.env("HISTFILE", home.histfile());
        cmd.env(
            "PATH",
            std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
        );
        cmd.env("TERM", "xterm");
        cmd.env("LANG", "C.UTF-8");
        for (name, value) in env {
            cmd.env(name, value);
        }
        cmd.cwd(&home.0);
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let pid = child.process_id().unwrap() as i32;
        let reader = pty.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        let cursor_styles = Arc::new(Mutex::new(Vec::new()));
        {
            let (screen, writer) = (Arc::clone(&screen), Arc::clone(&writer));
            let styles = Arc::clone(&cursor_styles);
            std::thread::spawn(move || pump(reader, screen, writer, styles));
        }
        Term {
            screen,
            writer,
            cursor_styles,
            child,
            pid,
            seen: Mutex::new(Vec::new()),
            _master: pty.master,
        }
    }

    /// The cursor shapes asked for so far, oldest first (DECSCUSR codes:
    /// 0 the terminal's own, 2 block, 5 blinking bar).
    #[allow(dead_code)]
    pub fn cursor_styles(&self) -> Vec<u8> {
        self.cursor_styles.lock().unwrap().clone()
    }

    /// The shell's pid.
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Types `keys` (raw bytes: `\r` is Enter, `\t` Tab, `\x03` Ctrl-C …).
    pub fn keys(&self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    pub fn snapshot(&self) -> Screen {
        let s = self.screen.lock().unwrap();
        let screen = s.screen();
        let cells = (0..ROWS)
            .map(|row| {
                (0..COLS)
                    .map(|col| {
                        screen
                            .cell(row, col)
                            .map_or((vt100::Color::Default, false), |c| (c.fgcolor(), c.dim()))
                    })
                    .collect()
            })
            .collect();
        Screen {
            rows: screen.rows(0, COLS).collect(),
            cursor: screen.cursor_position(),
            cells,
        }
    }

    /// Waits until `ready` holds for the screen; fails showing it.
    pub fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen {
        let start = Instant::now();
        loop {
            let screen = self.snapshot();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "waited {DEADLINE:?} for {what}; the screen:\n{}",
                    screen.text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the line with the cursor is the prompt followed by `text`.
    pub fn wait_for_input_line(&self, text: &str) -> Screen {
        self.wait_for(&format!("the input line {text:?}"), |s| {
            s.cursor_line().trim_end() == format!("{PROMPT}{text}").trim_end()
        })
    }

    /// Waits until `n` prompts are on the screen and the cursor is on the last.
    pub fn wait_for_prompts(&self, n: usize) -> Screen {
        self.wait_for(&format!("{n} prompts"), |s| {
            s.count_lines_starting(PROMPT) >= n && s.prompt_line() == Some(s.cursor.0 as usize)
        })
    }

    /// Waits until the cursor is on the last prompt, with nothing typed.
    pub fn wait_for_fresh_prompt(&self) -> Screen {
        self.wait_for("an empty prompt", |s| {
            s.cursor_line().trim_end() == PROMPT.trim_end()
                && s.prompt_line() == Some(s.cursor.0 as usize)
        })
    }

    pub fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "the shell did not exit; the screen:\n{}",
                    self.snapshot().text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the shell is still running (not exited, not a zombie).
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The shell's direct children now (remembered for the cleanup).
    pub fn children(&self) -> Vec<Proc> {
        let children: Vec<Proc> = all_procs()
            .into_iter()
            .filter(|p| p.ppid == self.pid)
            .collect();
        self.remember(&children);
        children
    }

    /// Everything below the shell now (remembered for the cleanup).
    pub fn descendants(&self) -> Vec<Proc> {
        let procs = all_procs();
        let mut by_parent: HashMap<i32, Vec<&Proc>> = HashMap::new();
        for p in &procs {
            by_parent.entry(p.ppid).or_default().push(p);
        }
        let mut found = Vec::new();
        let mut todo = vec![self.pid];
        while let Some(parent) = todo.pop() {
            for p in by_parent.get(&parent).into_iter().flatten() {
                todo.push(p.pid);
                found.push((*p).clone());
            }
        }
        self.remember(&found);
        found
    }

    fn remember(&self, procs: &[Proc]) {
        let mut seen = self.seen.lock().unwrap();
        for p in procs {
            if !seen.iter().any(|s| s.same_process(p)) {
                seen.push(p.clone());
            }
        }
    }

    /// Waits until `ready` holds for the shell's children; fails showing
    /// them and the screen.
    pub fn wait_for_children(&self, what: &str, ready: impl Fn(&[Proc]) -> bool) -> Vec<Proc> {
        let start = Instant::now();
        loop {
            let children = self.children();
            if ready(&children) {
                return children;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "waited {DEADLINE:?} for {what}; the shell's children: {children:#?}\nthe screen:\n{}",
                    self.snapshot().text()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the shell's children named `names` (one each, in any
    /// order) are all running in the foreground of the terminal, sleeping
    /// (not stopped); returns them in the order of `names`.
    ///
    /// Keys typed before this would race the shell's handing over the
    /// terminal: Ctrl-C or Ctrl-Z could reach the shell's own process
    /// group, or be read as a literal byte while the terminal is raw.
    pub fn wait_for_foreground(&self, names: &[&str]) -> Vec<Proc> {
        let children = self.wait_for_children(
            &format!("{names:?} in the foreground, not stopped"),
            |children| {
                names.iter().all(|name| {
                    children.iter().any(|p| {
                        p.comm == *name && p.state != 'T' && p.state != 'Z' && p.tpgid == p.pgrp
                    })
                })
            },
        );
        names
            .iter()
            .map(|name| {
                children
                    .iter()
                    .find(|p| p.comm == *name && p.tpgid == p.pgrp)
                    .unwrap()
                    .clone()
            })
            .collect()
    }

    /// What the shell's file descriptors refer to (`/dev/pts/0`,
    /// `anon_inode:[pidfd]`, …).
    pub fn fd_links(&self) -> Vec<String> {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid))
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
            .map(|link| link.to_string_lossy().into_owned())
            .collect()
    }

    /// How many file descriptors the shell has open.
    pub fn fd_count(&self) -> usize {
        self.fd_links().len()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if std::env::var_os("PIDSH_PTY_DUMP").is_some() {
            eprintln!("the final screen:\n{}", self.snapshot().text());
        }
        // Everything below the shell, and whatever was seen below it before
        // (a job outlives an exited shell); collected before any kill so
        // that no process is reparented away in between.
        let mut doomed = self.descendants();
        doomed.extend(self.seen.lock().unwrap().iter().cloned());
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        for p in doomed {
            if p.refresh().is_some_and(|now| now.same_process(&p)) {
                // SAFETY: kill(2) with a pid of a process checked just now
                // to be the one the shell started; no memory involved.
                unsafe {
                    libc::kill(p.pid, libc::SIGKILL);
                }
            }
        }
    }
}

/// A process, as `/proc/PID/stat` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    /// The command name (`comm`, at most 15 bytes).
    pub comm: String,
    /// `R`, `S`, `D`, `T` (stopped), `Z` (zombie), …
    pub state: char,
    pub ppid: i32,
    pub pgrp: i32,
    /// The foreground process group of its controlling terminal.
    pub tpgid: i32,
    /// Start time, in clock ticks after boot: with the pid, names the process.
    pub starttime: u64,
}

impl Proc {
    /// The process `pid` now, if it exists.
    pub fn read(pid: i32) -> Option<Proc> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let open = stat.find('(')?;
        let close = stat.rfind(')')?;
        let comm = stat[open + 1..close].to_string();
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        Some(Proc {
            pid,
            comm,
            state: fields.first()?.chars().next()?,
            ppid: fields.get(1)?.parse().ok()?,
            pgrp: fields.get(2)?.parse().ok()?,
            tpgid: fields.get(5)?.parse().ok()?,
            starttime: fields.get(19)?.parse().ok()?,
        })
    }

    /// The same pid now (maybe another process by now: see
    /// [`Proc::same_process`]).
    pub fn refresh(&self) -> Option<Proc> {
        Proc::read(self.pid)
    }

    /// Whether `other` is this process (not a later one with its pid).
    pub fn same_process(&self, other: &Proc) -> bool {
        self.pid == other.pid && self.starttime == other.starttime
    }

    /// Its state now, or `None` if it is gone (or its pid was reused).
    pub fn state_now(&self) -> Option<char> {
        self.refresh()
            .filter(|now| now.same_process(self))
            .map(|now| now.state)
    }
}

/// Every process on the system now.
pub fn all_procs() -> Vec<Proc> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(Proc::read)
        .collect()
}

/// What the terminal shows.
pub struct Screen {
    pub rows: Vec<String>,
    pub cursor: (u16, u16),
    /// Per row and column: the colour and whether it is dimmed.
    pub cells: Vec<Vec<(vt100::Color, bool)>>,
}

impl Screen {
    pub fn text(&self) -> String {
        self.rows.join("\n")
    }

    pub fn cursor_line(&self) -> &str {
        self.rows
            .get(self.cursor.0 as usize)
            .map_or("", String::as_str)
    }

    /// The last row that starts with the prompt.
    pub fn prompt_line(&self) -> Option<usize> {
        self.rows.iter().rposition(|r| r.starts_with(PROMPT))
    }

    pub fn count_lines_starting(&self, prefix: &str) -> usize {
        self.rows.iter().filter(|r| r.starts_with(prefix)).count()
    }

    pub fn has_line(&self, line: &str) -> bool {
        self.rows.iter().any(|r| r.trim_end() == line)
    }

    /// Whether some row contains every one of `parts`.
    pub fn has_line_with(&self, parts: &[&str]) -> bool {
        self.rows
            .iter()
            .any(|r| parts.iter().all(|part| r.contains(part)))
    }

    /// The rows after the last one that is exactly `line` (all rows if none).
    pub fn rows_after(&self, line: &str) -> &[String] {
        match self.rows.iter().rposition(|r| r.trim_end() == line) {
            Some(i) => &self.rows[i + 1..],
            None => &self.rows,
        }
    }

    /// The colour and dimness of the input at `index` (a column after the
    /// prompt) on the cursor's row.
    pub fn input_cell(&self, index: usize) -> (vt100::Color, bool) {
        self.cells[self.cursor.0 as usize][PROMPT.len() + index]
    }

    pub fn count_lines(&self, line: &str) -> usize {
        self.rows.iter().filter(|r| r.trim_end() == line).count()
    }
}

// Steps a person takes at the prompt, shared by the job-control tests.

/// Types `line`, waits until it shows at the prompt (perhaps with a
/// history hint after it), and presses Enter.
pub fn run(term: &Term, line: &str) {
    term.keys(line);
    let typed = format!("{PROMPT}{line}");
    term.wait_for(&format!("the input line {line:?}"), |s| {
        s.prompt_line() == Some(s.cursor.0 as usize) && s.cursor_line().starts_with(&typed)
    });
    term.keys("\r");
}

/// The output of `line`: the rows after the last row showing it typed at
/// the prompt, up to the next prompt (without empty rows).
pub fn output_of<'s>(screen: &'s Screen, line: &str) -> Vec<&'s str> {
    let typed = format!("{PROMPT}{line}");
    rows_text(screen.rows_after(&typed))
        .into_iter()
        .take_while(|r| !r.starts_with(PROMPT.trim_end()))
        .collect()
}

/// Waits until `line`'s output satisfies `ready` and a fresh prompt
/// follows it.
pub fn wait_for_output(term: &Term, line: &str, what: &str, ready: impl Fn(&[&str]) -> bool) {
    let typed = format!("{PROMPT}{line}");
    term.wait_for(what, |s| {
        s.rows.iter().any(|r| r.trim_end() == typed)
            && s.prompt_line() == Some(s.cursor.0 as usize)
            && s.cursor_line().trim_end() == PROMPT.trim_end()
            && s.prompt_line() > s.rows.iter().rposition(|r| r.trim_end() == typed)
            && ready(&output_of(s, line))
    });
}

/// Waits until every one of `procs` is in a state `ok` accepts (`None`:
/// gone); fails showing the states and the screen.
pub fn wait_for_states(term: &Term, what: &str, procs: &[Proc], ok: impl Fn(Option<char>) -> bool) {
    let start = std::time::Instant::now();
    loop {
        let states: Vec<(i32, &str, Option<char>)> = procs
            .iter()
            .map(|p| (p.pid, p.comm.as_str(), p.state_now()))
            .collect();
        if states.iter().all(|(_, _, s)| ok(*s)) {
            return;
        }
        if start.elapsed() > DEADLINE {
            panic!(
                "waited {DEADLINE:?} for {what}; (pid, name, state): {states:?}\nthe screen:\n{}",
                term.snapshot().text()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

pub fn is_stopped(state: Option<char>) -> bool {
    state == Some('T')
}

pub fn is_running(state: Option<char>) -> bool {
    matches!(state, Some('S' | 'R' | 'D'))
}

pub fn is_gone(state: Option<char>) -> bool {
    state.is_none()
}

/// The rows, trimmed, without empty ones.
pub fn rows_text(rows: &[String]) -> Vec<&str> {
    rows.iter()
        .map(|r| r.trim_end())
        .filter(|r| !r.is_empty())
        .collect()
}

/// `echo $?` shows `status`.
pub fn assert_status(term: &Term, status: &str) {
    run(term, "echo $?");
    wait_for_output(term, "echo $?", &format!("$? = {status}"), |rows| {
        rows == [status]
    });
}
