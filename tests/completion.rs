//! Completion: `complete`, `compgen` and `compopt` against what bash
//! prints for the same calls (recorded as fixtures), and Tab on a
//! pseudo-terminal — the context of the word (after `sudo`, inside `$(`,
//! an assignment's value, `cd`'s directories), completion scripts in the
//! bash-completion style run in-process, options with descriptions from a
//! man page, and Ctrl-C on a completion function that never ends.
//!
//! The scripts and the man page are small fixtures of our own under
//! `tests/fixtures/completion/`; nothing here depends on the
//! bash-completion package being installed.
#![allow(clippy::unwrap_used)]

mod common;
mod pty;

use std::path::PathBuf;

use pty::{PROMPT, TempHome, Term};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/completion")
}

/// Every `compgen`/`complete`/`compopt` call of the fixture script prints
/// what bash 5.2 printed for it (`compgen.expected`).
#[test]
fn compgen_complete_and_compopt_print_what_bash_prints() {
    let dir = common::tempdir();
    std::fs::copy(fixtures().join("compgen.sh"), dir.join("compgen.sh")).unwrap();
    let out = common::pidsh()
        .arg("compgen.sh")
        .current_dir(&dir)
        .env_clear()
        .env("HOME", &dir)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let expected = std::fs::read_to_string(fixtures().join("compgen.expected")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A shell whose completion files are the fixtures (`with_main`: the
/// stand-in for bash-completion's main file too), `extra` added to its
/// environment.
fn start(home: &TempHome, with_main: bool, extra: &[(&str, &str)]) -> Term {
    let share = if with_main {
        fixtures().join("share")
    } else {
        fixtures().join("empty")
    };
    let share = share.to_string_lossy().into_owned();
    let man = fixtures().join("man").to_string_lossy().into_owned();
    let mut env = vec![
        ("PS1", PROMPT),
        ("XDG_DATA_DIRS", share.as_str()),
        ("MANPATH", man.as_str()),
    ];
    env.extend_from_slice(extra);
    let term = Term::start_command(home, &[], &env);
    term.wait_for("the first prompt", |s| s.prompt_line().is_some());
    term
}

#[test]
fn a_command_name_after_sudo_and_inside_command_substitution() {
    let home = TempHome::new();
    let term = start(&home, false, &[]);
    term.keys("sudo ech\t");
    term.wait_for_input_line("sudo echo ");
    term.keys("\x15echo $(ech\t");
    term.wait_for_input_line("echo $(echo ");
}

#[test]
fn an_assignment_value_completes_as_a_path() {
    let home = TempHome::new();
    std::fs::write(home.0.join("plumbing.txt"), "").unwrap();
    let term = start(&home, false, &[]);
    let dir = home.0.to_string_lossy().into_owned();
    term.keys(&format!("X={dir}/pl\t"));
    term.wait_for_input_line(&format!("X={dir}/plumbing.txt "));
}

#[test]
fn cd_offers_directories_only_and_those_under_cdpath() {
    let home = TempHome::new();
    std::fs::create_dir(home.0.join("dir1")).unwrap();
    std::fs::write(home.0.join("dfile"), "").unwrap();
    std::fs::create_dir_all(home.0.join("base/cdonly")).unwrap();
    let cdpath = home.0.join("base").to_string_lossy().into_owned();
    let term = start(&home, false, &[("CDPATH", &cdpath)]);
    // One candidate (the file is left out), and no space after its `/`.
    term.keys("cd d\t");
    term.wait_for_input_line("cd dir1/");
    term.keys("\x15cd cdo\t");
    term.wait_for_input_line("cd cdonly/");
}

#[test]
fn a_completion_script_runs_with_comp_words() {
    let home = TempHome::new();
    let term = start(&home, true, &[]);
    term.keys("frobctl res\t");
    term.wait_for_input_line("frobctl restart ");
    // The script offers --force only after `restart` (COMP_WORDS[1]).
    term.keys("--f\t");
    term.wait_for_input_line("frobctl restart --force ");
    term.keys("\x15frobctl stop --q\t");
    term.wait_for_input_line("frobctl stop --quiet ");
    // What the loader read stays: the function is the shell's now.
    term.keys("\x15type -t _frob''ctl\r");
    term.wait_for("the function", |s| s.has_line("function"));
}

#[test]
fn options_come_with_descriptions_from_the_man_page() {
    let home = TempHome::new();
    let term = start(&home, false, &[]);
    term.keys("frob --ver\t");
    let screen = term.wait_for("the menu", |s| {
        s.has_line_with(&["--verbose", "Say more about what is done"])
            && s.has_line_with(&["--version", "output version information and exit"])
    });
    // Descriptions are shown, never typed.
    assert!(
        screen.has_line(&format!("{PROMPT}frob --ver")),
        "{}",
        screen.text()
    );
    term.keys("\x03");
    term.wait_for_prompts(2);
    term.keys("frob --q\t");
    term.wait_for_input_line("frob --quiet ");
    // Parsed once, then read from the cache.
    assert!(home.0.join(".cache/pidsh/man-options/frob").is_file());
}

#[test]
fn ctrl_c_interrupts_a_completion_function_that_never_ends() {
    let home = TempHome::new();
    let term = start(&home, true, &[]);
    term.keys("slowpoke \t");
    // Give the function time to be running (orders events only).
    std::thread::sleep(std::time::Duration::from_millis(500));
    term.keys("\x03");
    term.keys("x");
    term.wait_for_input_line("slowpoke x");
    term.keys("\x15echo al''ive\r");
    term.wait_for("the command", |s| s.has_line("alive"));
}

#[test]
fn empty_line_and_initial_word_specifications() {
    let home = TempHome::new();
    let term = start(&home, false, &[]);
    term.keys("complete -E -W alpha; complete -I -W initial\r");
    term.wait_for_prompts(2);
    term.keys("\t");
    term.wait_for_input_line("alpha ");
    term.keys("\x15ini\t");
    term.wait_for_input_line("initial ");
}
