//! The interactive shell on a pseudo-terminal, driven like a person: keys
//! go in, and the screen (as a terminal emulator would draw it) comes out.
//!
//! The screen is kept by `vt100`, which also tells where the cursor is:
//! reedline asks the terminal for the cursor position (`ESC [ 6 n`) before
//! each prompt, and we answer as a real terminal would. No timed
//! assertions: each step waits for what should appear, with a generous
//! deadline, and a failure shows the screen.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

const PROMPT: &str = "pidsh-test$ ";
const DEADLINE: Duration = Duration::from_secs(60);
const ROWS: u16 = 30;
const COLS: u16 = 100;

/// A home directory of its own for each test, removed at the end.
struct TempHome(PathBuf);

impl TempHome {
    fn new() -> Self {
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

    fn histfile(&self) -> PathBuf {
        self.0.join("state/pidsh/history")
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One shell on one terminal.
struct Term {
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    child: Box<dyn Child + Send + Sync>,
    /// Kept open while the shell runs; dropping it ends the reader thread.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

/// Feeds output to the emulator and answers cursor-position queries.
fn pump(
    mut reader: Box<dyn Read + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
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
    fn start(home: &TempHome) -> Term {
        let term = Term::start_with(home, Some(PROMPT));
        term.wait_for("the first prompt", |s| s.prompt_line().is_some());
        term
    }

    /// Starts `pidsh` with `PS1` in its environment, or none.
    fn start_with(home: &TempHome, ps1: Option<&str>) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_pidsh"));
        cmd.env_clear();
        cmd.env("HOME", &home.0);
        cmd.env("HISTFILE", home.histfile());
        cmd.env(
            "PATH",
            std::env::var("PATH").unwrap_or_else(|_| "/usr/bin:/bin".into()),
        );
        cmd.env("TERM", "xterm");
        if let Some(ps1) = ps1 {
            cmd.env("PS1", ps1);
        }
        cmd.env("LANG", "C.UTF-8");
        cmd.cwd(&home.0);
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let reader = pty.master.try_clone_reader().unwrap();
        let writer = Arc::new(Mutex::new(pty.master.take_writer().unwrap()));
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(ROWS).unwrap(),
            std::num::NonZeroU16::new(COLS).unwrap(),
            0,
        )));
        {
            let (screen, writer) = (Arc::clone(&screen), Arc::clone(&writer));
            std::thread::spawn(move || pump(reader, screen, writer));
        }
        Term {
            screen,
            writer,
            child,
            _master: pty.master,
        }
    }

    /// Types `keys` (raw bytes: `\r` is Enter, `\t` Tab, `\x03` Ctrl-C …).
    fn keys(&self, keys: &str) {
        let mut w = self.writer.lock().unwrap();
        w.write_all(keys.as_bytes()).unwrap();
        w.flush().unwrap();
    }

    fn snapshot(&self) -> Screen {
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
    fn wait_for(&self, what: &str, ready: impl Fn(&Screen) -> bool) -> Screen {
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
    fn wait_for_input_line(&self, text: &str) -> Screen {
        self.wait_for(&format!("the input line {text:?}"), |s| {
            s.cursor_line().trim_end() == format!("{PROMPT}{text}").trim_end()
        })
    }

    /// Waits until `n` prompts are on the screen and the cursor is on the last.
    fn wait_for_prompts(&self, n: usize) -> Screen {
        self.wait_for(&format!("{n} prompts"), |s| {
            s.count_lines_starting(PROMPT) >= n && s.prompt_line() == Some(s.cursor.0 as usize)
        })
    }

    fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
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
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// What the terminal shows.
struct Screen {
    rows: Vec<String>,
    cursor: (u16, u16),
    /// Per row and column: the colour and whether it is dimmed.
    cells: Vec<Vec<(vt100::Color, bool)>>,
}

impl Screen {
    fn text(&self) -> String {
        self.rows.join("\n")
    }

    fn cursor_line(&self) -> &str {
        self.rows
            .get(self.cursor.0 as usize)
            .map_or("", String::as_str)
    }

    /// The last row that starts with the prompt.
    fn prompt_line(&self) -> Option<usize> {
        self.rows.iter().rposition(|r| r.starts_with(PROMPT))
    }

    fn count_lines_starting(&self, prefix: &str) -> usize {
        self.rows.iter().filter(|r| r.starts_with(prefix)).count()
    }

    fn has_line(&self, line: &str) -> bool {
        self.rows.iter().any(|r| r.trim_end() == line)
    }

    /// The colour and dimness of the input at `index` (a column after the
    /// prompt) on the cursor's row.
    fn input_cell(&self, index: usize) -> (vt100::Color, bool) {
        self.cells[self.cursor.0 as usize][PROMPT.len() + index]
    }

    fn count_lines(&self, line: &str) -> usize {
        self.rows.iter().filter(|r| r.trim_end() == line).count()
    }
}

#[test]
fn typing_a_command_runs_it() {
    let home = TempHome::new();
    let term = Term::start(&home);
    // The quotes keep the typed line from containing the output.
    term.keys("echo hel''lo\r");
    let screen = term.wait_for("hello", |s| s.has_line("hello"));
    assert!(screen.has_line(&format!("{PROMPT}echo hel''lo")));
    term.wait_for_prompts(2);
}

#[test]
fn if_then_continues_on_a_second_line() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("if true; then\r");
    term.wait_for("the PS2 prompt", |s| s.cursor_line().starts_with("> "));
    term.keys("echo in''side\r");
    term.wait_for("a third line", |s| s.count_lines_starting("> ") >= 2);
    let screen = term.snapshot();
    assert!(
        !screen.has_line("inside"),
        "ran before fi:\n{}",
        screen.text()
    );
    term.keys("fi\r");
    let screen = term.wait_for("inside", |s| s.has_line("inside"));
    assert!(screen.has_line("> fi"), "{}", screen.text());
    term.wait_for_prompts(2);
}

#[test]
fn tab_completes_a_builtin() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("ech\t");
    term.wait_for_input_line("echo");
    // The completion ends with a space: the next word follows directly.
    term.keys("com''pleted\r");
    term.wait_for("completed", |s| s.has_line("completed"));
}

#[test]
fn tab_completes_a_file_with_spaces() {
    let home = TempHome::new();
    std::fs::write(home.0.join("my file.txt"), "contents of my file\n").unwrap();
    let term = Term::start(&home);
    term.keys("cat my\t");
    term.wait_for_input_line(r"cat my\ file.txt");
    term.keys("\r");
    term.wait_for("the file's contents", |s| s.has_line("contents of my file"));
}

#[test]
fn tab_completes_a_directory_with_a_slash() {
    let home = TempHome::new();
    std::fs::create_dir(home.0.join("subdir")).unwrap();
    std::fs::write(home.0.join("subdir/inner"), "").unwrap();
    let term = Term::start(&home);
    term.keys("ls sub\t");
    term.wait_for_input_line("ls subdir/");
    term.keys("\t");
    term.wait_for_input_line("ls subdir/inner");
}

#[test]
fn up_arrow_recalls_previous_command() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo o''ne\r");
    term.wait_for("one", |s| s.has_line("one"));
    term.wait_for_prompts(2);
    term.keys("echo t''wo\r");
    term.wait_for("two", |s| s.has_line("two"));
    term.wait_for_prompts(3);
    term.keys("\x1b[A");
    term.wait_for_input_line("echo t''wo");
    term.keys("\x1b[A");
    term.wait_for_input_line("echo o''ne");
    term.keys("\r");
    term.wait_for("one a second time", |s| s.count_lines("one") == 2);
}

#[test]
fn history_persists_to_histfile_with_mode_0600() {
    let home = TempHome::new();
    {
        let mut term = Term::start(&home);
        term.keys("echo per''sisted\r");
        term.wait_for("persisted", |s| s.has_line("persisted"));
        term.wait_for_prompts(2);
        let text = std::fs::read_to_string(home.histfile()).unwrap();
        assert!(text.contains("echo per''sisted"), "history file: {text:?}");
        let mode = std::fs::metadata(home.histfile())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "mode {mode:o}");
        term.keys("\x04");
        term.wait_for_exit();
    }
    let term = Term::start(&home);
    term.keys("\x1b[A");
    term.wait_for_input_line("echo per''sisted");
}

#[test]
fn ctrl_c_at_prompt_gives_a_new_prompt() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo aban''doned");
    term.wait_for_input_line("echo aban''doned");
    term.keys("\x03");
    term.wait_for_prompts(2);
    term.keys("echo \"status $?\"\r");
    let screen = term.wait_for("the status", |s| s.has_line("status 130"));
    assert!(!screen.has_line("abandoned"), "{}", screen.text());
}

#[test]
fn ctrl_c_stops_a_running_command_not_the_shell() {
    let home = TempHome::new();
    let term = Term::start(&home);
    // `exec`: once "started" shows, the process that gets Ctrl-C is running.
    term.keys("sh -c 'echo sta\"\"rted; exec sleep 100'\r");
    term.wait_for("the command to start", |s| s.has_line("started"));
    term.keys("\x03");
    term.wait_for_prompts(2);
    term.keys("echo al''ive\r");
    term.wait_for("the shell alive", |s| s.has_line("alive"));
}

#[test]
fn ctrl_d_exits() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    term.keys("\x04");
    let status = term.wait_for_exit();
    assert!(status.success(), "{status:?}");
    let screen = term.snapshot();
    assert!(
        screen.rows.iter().any(|r| r.contains("exit")),
        "{}",
        screen.text()
    );
}

#[test]
fn ctrl_d_with_ignoreeof_does_not_exit() {
    let home = TempHome::new();
    let mut term = Term::start(&home);
    term.keys("set -o ignoreeof\r");
    term.wait_for_prompts(2);
    term.keys("\x04");
    term.wait_for("the hint", |s| {
        s.rows
            .iter()
            .any(|r| r.contains("Use \"exit\" to leave the shell."))
    });
    term.wait_for_prompts(3);
    term.keys("exit 3\r");
    let status = term.wait_for_exit();
    assert_eq!(status.exit_code(), 3);
}

#[test]
fn raw_mode_left_by_a_program_is_repaired() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("stty raw -echo\r");
    term.wait_for_prompts(2);
    // Editing works: a typo fixed with Backspace.
    term.keys("echo fiX\x7fne\r");
    // Output in raw mode would not return to column 0 (no ONLCR).
    term.wait_for("fine at the start of a line", |s| s.has_line("fine"));
    term.wait_for_prompts(3);
    term.keys("stty -a\r");
    let screen = term.wait_for("stty's report", |s| {
        s.rows.iter().any(|r| r.contains("icanon"))
    });
    let text = screen.text();
    assert!(
        !text.contains("-icanon") && !text.contains("-echo "),
        "{text}"
    );
}

#[test]
fn set_o_vi_switches_to_vi_keys() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("set -o vi\r");
    term.wait_for_prompts(2);
    term.keys("echo vi-modes");
    term.wait_for_input_line("echo vi-modes");
    // Escape alone, then `x` deletes the character under the cursor.
    term.keys("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    term.keys("x");
    term.wait_for_input_line("echo vi-mode");
    term.keys("\r");
    term.wait_for("the edited line's output", |s| s.has_line("vi-mode"));
}

#[test]
fn plain_reader_without_a_terminal() {
    let home = TempHome::new();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pidsh"))
        .arg("-i")
        .env("HOME", &home.0)
        .env("PS1", "$ ")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(b"if true; then\necho piped\nfi\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "piped\n");
    assert!(out.status.success());
}

#[test]
fn default_prompt_shows_user_host_and_directory() {
    let home = TempHome::new();
    let term = Term::start_with(&home, None);
    // HOME is the working directory: `\w` shows `~`.
    let screen = term.wait_for("user@host:~$ ", |s| {
        let line = s.cursor_line().trim_end();
        line.contains('@') && (line.ends_with(":~$") || line.ends_with(":~#"))
    });
    let row = screen.cursor.0 as usize;
    assert_eq!(
        screen.cells[row][0].0,
        vt100::Color::Idx(2),
        "user@host in green"
    );
}

#[test]
fn unknown_command_is_red_and_known_is_green() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("no-such-command-xyz");
    term.wait_for("red", |s| {
        s.cursor_line().contains("xyz") && s.input_cell(0).0 == vt100::Color::Idx(1)
    });
    // Ctrl-U clears the line.
    term.keys("\x15echo 'quoted'");
    let screen = term.wait_for("green", |s| {
        s.cursor_line().contains("quoted'") && s.input_cell(0).0 == vt100::Color::Idx(2)
    });
    assert_eq!(
        screen.input_cell(6).0,
        vt100::Color::Idx(3),
        "string in yellow"
    );
}

#[test]
fn history_hint_appears_dimmed() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.keys("echo sugg''ested\r");
    term.wait_for("suggested", |s| s.has_line("suggested"));
    term.wait_for_prompts(2);
    term.keys("echo su");
    let screen = term.wait_for_input_line("echo sugg''ested");
    assert!(!screen.input_cell(0).1, "typed text is not dimmed");
    assert!(screen.input_cell(8).1, "the hint is dimmed");
    // Right arrow takes the hint.
    term.keys("\x1b[C\r");
    term.wait_for("suggested again", |s| s.count_lines("suggested") == 2);
}
