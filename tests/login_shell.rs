//! A shell people keep as their login shell, tried on a pseudo-terminal as
//! a person would: history that follows the variables set at the prompt,
//! the history file, and start-up as a login shell.
#![allow(clippy::unwrap_used)]

mod common;
mod pty;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;

use pty::{PROMPT, TempHome, Term, output_of, run, wait_for_output};

/// What `pidsh ARGS` printed with `input` on standard input (not a
/// terminal), in `home`, with only `HOME` and `PATH` set and `env` added.
fn run_in(home: &TempHome, args: &[&str], env: &[(&str, &str)], input: &str) -> common::Run {
    let mut cmd = common::pidsh();
    cmd.args(args)
        .env_clear()
        .env("HOME", &home.0)
        .env("PATH", "/usr/bin:/bin")
        .envs(env.iter().copied())
        .current_dir(&home.0);
    common::feed(cmd, input)
}

fn histfile_text(home: &TempHome) -> String {
    std::fs::read_to_string(home.histfile()).unwrap_or_default()
}

/// Runs `line` and waits for the prompt after it.
fn run_quietly(term: &Term, line: &str) {
    run(term, line);
    wait_for_output(term, line, &format!("{line:?} done"), |_| true);
}

#[test]
fn ignorespace_set_at_the_prompt_hides_the_line_everywhere() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTCONTROL=ignorespace");
    run_quietly(&term, "echo vis''ible");
    run_quietly(&term, " echo sec''ret");
    // Up offers the line before the hidden one.
    term.keys("\x1b[A");
    term.wait_for_input_line("echo vis''ible");
    term.keys("\x15");
    run(&term, "history");
    wait_for_output(&term, "history", "the listing", |rows| {
        rows.iter().any(|r| r.ends_with("  history"))
    });
    let screen = term.snapshot();
    let listing = output_of(&screen, "history");
    assert!(
        !listing.iter().any(|r| r.contains("sec''ret")),
        "{listing:?}"
    );
    let text = histfile_text(&home);
    assert!(text.contains("echo vis''ible\n"), "history file: {text:?}");
    assert!(!text.contains("sec''ret"), "history file: {text:?}");
}

#[test]
fn unset_histfile_stops_saving_and_histignore_applies() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTIGNORE='ls*:echo skip*'");
    run_quietly(&term, "echo skip''ped");
    run_quietly(&term, "echo ke''pt");
    run_quietly(&term, "unset HISTFILE");
    run_quietly(&term, "echo not-sa''ved");
    let text = histfile_text(&home);
    assert!(text.contains("echo ke''pt\n"), "history file: {text:?}");
    assert!(!text.contains("skip''ped"), "history file: {text:?}");
    assert!(!text.contains("not-sa''ved"), "history file: {text:?}");
    // Still in this shell's list, and offered by Up.
    term.keys("\x1b[A");
    term.wait_for_input_line("echo not-sa''ved");
}

#[test]
fn erasedups_and_histsize_shape_the_list() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "HISTCONTROL=erasedups");
    for line in ["echo a", "echo b", "echo a"] {
        run_quietly(&term, line);
    }
    run_quietly(&term, "HISTSIZE=3");
    run(&term, "history");
    // (bash numbers them from 2: its numbering of dropped entries differs)
    wait_for_output(&term, "history", "the listing", |rows| {
        let lines: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.trim_start().split_once("  "))
            .map(|(_, l)| l)
            .collect();
        lines == ["echo a", "HISTSIZE=3", "history"]
    });
}

#[test]
fn a_missing_history_directory_is_created_private_and_silently() {
    let home = TempHome::new();
    let file = home.0.join("new/dir/history");
    let file_name = file.to_str().unwrap().to_string();
    let mut term = Term::start_command(&home, &[], &[("PS1", PROMPT), ("HISTFILE", &file_name)]);
    term.wait_for_fresh_prompt();
    run_quietly(&term, "echo some''thing");
    term.keys("exit\r");
    term.wait_for_exit();
    let screen = term.snapshot();
    assert!(
        !screen.text().contains("pidsh:"),
        "an error was shown:\n{}",
        screen.text()
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("echo some''thing\n"), "{text:?}");
    let mode = std::fs::metadata(home.0.join("new/dir"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o700, "mode {mode:o}");
}

#[test]
fn fc_lists_ranges_and_runs_commands_again() {
    let home = TempHome::new();
    let input = "echo hello world\nfc -s hello=bye\nfc -l\nfc -lr 1 2\nfc -ln -1\n\
                 fc -s nomatch\necho st=$?\nset +o history\necho hidden\nset -o history\nhistory\n";
    let run = run_in(&home, &["--norc", "-i"], &[], input);
    // As bash prints it.
    let expected = "hello world\nbye world\n\
                    1\t echo hello world\n2\t echo bye world\n\
                    2\t echo bye world\n1\t echo hello world\n\
                    \t fc -lr 1 2\n\
                    st=1\nhidden\n\
                    \x20   1  echo hello world\n    2  echo bye world\n    3  fc -l\n\
                    \x20   4  fc -lr 1 2\n    5  fc -ln -1\n    6  fc -s nomatch\n\
                    \x20   7  echo st=$?\n    8  set +o history\n    9  history\n";
    assert_eq!(run.stdout, expected, "stderr: {}", run.stderr);
    assert!(run.stderr.contains("echo bye world\n"), "{}", run.stderr);
    assert!(
        run.stderr.contains("pidsh: fc: no command found"),
        "{}",
        run.stderr
    );
}

/// `\#` counts the commands read from the script, not those functions,
/// `eval` and subshells run (0 for `-c` text); `\!` is the history number
/// of the command running, 1 while history is off; `\j` the jobs still
/// running. Checked against bash, line for line.
#[test]
fn prompt_counts_commands_history_and_jobs() {
    let home = TempHome::new();
    let script = "PS1='\\# \\! \\j'; echo \"${PS1@P}\"\n\
                  f() { echo \"${PS1@P}\"; }; f; f\n\
                  eval 'echo \"${PS1@P}\"'; (echo \"${PS1@P}\")\n\
                  set -o history\necho \"${PS1@P}\"\necho \"${PS1@P}\"\n\
                  sleep 10 & echo \"${PS1@P}\"; echo \"$(echo \"${PS1@P}\")\"; kill %1\n\
                  wait; echo \"${PS1@P}\"\n";
    std::fs::write(home.0.join("p.sh"), script).unwrap();
    let run = run_in(&home, &["p.sh"], &[], "");
    let expected = "1 1 0\n2 1 0\n2 1 0\n3 1 0\n3 1 0\n5 1 0\n6 2 0\n7 3 1\n7 3 1\n8 4 0\n";
    assert_eq!(run.stdout, expected, "{run:?}");
    let run = run_in(&home, &["-c", script], &[], "");
    let expected = "0 1 0\n0 1 0\n0 1 0\n0 1 0\n0 1 0\n0 1 0\n0 2 0\n0 3 1\n0 3 1\n0 4 0\n";
    assert_eq!(run.stdout, expected, "{run:?}");
}

/// A command typed over several lines is one history entry, joined as
/// bash's `cmdhist` joins it, in the list and in the file. Checked
/// against bash.
#[test]
fn multi_line_commands_are_one_history_entry() {
    let home = TempHome::new();
    let input = "if true\nthen echo c\nfi\nf() {\n echo x\n}\nhistory\n";
    let run = run_in(&home, &["--norc", "-i"], &[("HISTFILE", "h")], input);
    let entries = "if true; then echo c; fi\nf() {  echo x; }\nhistory\n";
    let listed: String = entries
        .lines()
        .enumerate()
        .map(|(i, e)| format!("{:5}  {e}\n", i + 1))
        .collect();
    assert_eq!(run.stdout, format!("c\n{listed}"), "{run:?}");
    let file = std::fs::read_to_string(home.0.join("h")).unwrap();
    assert_eq!(file, entries);
}

/// `pidsh -i -c` records its text in the history only after `set -o
/// history`, as bash does.
#[test]
fn interactive_command_text_is_recorded_after_set_o_history() {
    let home = TempHome::new();
    let text = "echo b\nhistory\nset -o history\necho c\nhistory";
    let run = run_in(&home, &["--norc", "-i", "-c", text], &[], "");
    assert_eq!(
        run.stdout, "b\nc\n    1  echo c\n    2  history\n",
        "{run:?}"
    );
}

/// An interactive shell without a terminal and without an inherited
/// `PS1` prompts with bash's plain default, `\s-\v\$ `.
#[test]
fn plain_default_prompt_without_a_terminal() {
    let home = TempHome::new();
    let run = run_in(&home, &["--norc", "-i", "-c", "echo \"$PS1\""], &[], "");
    assert_eq!(run.stdout, "\\s-\\v\\$ \n", "{run:?}");
    let run = run_in(&home, &["--norc", "-i"], &[], "echo hi\n");
    let version: Vec<&str> = env!("CARGO_PKG_VERSION").split('.').collect();
    let prompt = format!("pidsh-{}.{}", version[0], version[1]);
    assert!(run.stderr.starts_with(&prompt), "{run:?}");
}

#[test]
fn prompt_escapes_are_quoted_against_expansion() {
    let home = TempHome::new();
    std::fs::create_dir(home.0.join("a$x")).unwrap();
    let script = r#"cd "a\$x"; PS1="\w|\W|\\\\\$|\555|\D{%Y}|\l|\@"; echo "${PS1@P}""#;
    let run = run_in(&home, &["-c", script], &[("x", "X")], "");
    // bash: ~/a$x|a$x|$|m|<year>|tty|<hh:mm AM/PM>
    let fields: Vec<&str> = run.stdout.trim_end().split('|').collect();
    assert_eq!(fields[..4], ["~/a$x", "a$x", "$", "m"], "{}", run.stdout);
    assert!(
        fields[4].len() == 4 && fields[4].starts_with("20"),
        "{fields:?}"
    );
    assert_eq!(fields[5], "tty");
    assert!(
        fields[6].ends_with("AM") || fields[6].ends_with("PM"),
        "{fields:?}"
    );
}

#[test]
fn an_rc_file_error_names_the_file_and_line_and_exit_there_ends_the_shell() {
    let home = TempHome::new();
    let rc = home.0.join("rc");
    std::fs::write(&rc, "true\nnosuchcmd-xyz\nfoo >\n").unwrap();
    let rc_name = rc.to_str().unwrap();
    let run = run_in(
        &home,
        &["--rcfile", rc_name, "-i", "-c", "echo hi"],
        &[],
        "",
    );
    assert_eq!(run.stdout, "hi\n");
    assert!(
        run.stderr.contains(&format!(
            "pidsh: {rc_name}: line 2: nosuchcmd-xyz: command not found"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("pidsh: {rc_name}: line 3: syntax error")),
        "{}",
        run.stderr
    );
    std::fs::write(&rc, "echo one\nexit 42\necho two\n").unwrap();
    let run = run_in(
        &home,
        &["--rcfile", rc_name, "-i", "-c", "echo hello"],
        &[],
        "",
    );
    assert_eq!((run.stdout.as_str(), run.status), ("one\n", 42));
    let run = run_in(&home, &["--rcfile", rc_name, "-i"], &[], "echo hello\n");
    assert_eq!((run.stdout.as_str(), run.status), ("one\n", 42));
}

#[test]
fn a_login_shell_reads_the_profile_even_with_c() {
    let home = TempHome::new();
    std::fs::write(home.0.join(".profile"), "echo from-profile\nFROM=profile\n").unwrap();
    std::fs::write(home.0.join(".pidshrc"), "echo from-rc\n").unwrap();
    let script = "echo $FROM $SHLVL; shopt -q login_shell && echo login";
    let run = run_in(&home, &["-l", "-c", script], &[("SHLVL", "4")], "");
    // bash -l -c: the same (it reads ~/.profile when it has no
    // ~/.bash_profile), and no rc file.
    assert!(
        run.stdout.ends_with("from-profile\nprofile 5\nlogin\n"),
        "{run:?}"
    );
    let run = run_in(&home, &["-c", script], &[], "");
    assert_eq!(run.stdout, "1\n", "{run:?}");
    let run = run_in(
        &home,
        &["-l", "--noprofile", "-c", "echo ${FROM-none}"],
        &[],
        "",
    );
    assert_eq!(run.stdout, "none\n", "{run:?}");
}

#[test]
fn argv0_with_a_dash_makes_a_login_shell() {
    use std::os::unix::process::CommandExt;
    let home = TempHome::new();
    std::fs::write(home.0.join(".profile"), "FROM=profile\n").unwrap();
    let out = common::pidsh()
        .arg0("-pidsh")
        .args([
            "-c",
            "echo $0 $FROM; shopt -q login_shell && echo login; logout 7",
        ])
        .env_clear()
        .env("HOME", &home.0)
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "-pidsh profile\nlogin\n"
    );
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn columns_and_lines_follow_the_terminal() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run(&term, "echo $COLUMNS $LINES $SHLVL");
    wait_for_output(&term, "echo $COLUMNS $LINES $SHLVL", "the size", |rows| {
        rows == ["100 30 1"]
    });
}

#[test]
fn an_interactive_login_shell_reads_profile_then_rc() {
    let home = TempHome::new();
    std::fs::write(home.0.join(".profile"), "ORDER=profile\n").unwrap();
    std::fs::write(home.0.join(".pidshrc"), "ORDER=$ORDER,rc\n").unwrap();
    let term = Term::start_command(&home, &["-l"], &[("PS1", PROMPT)]);
    term.wait_for_fresh_prompt();
    run(&term, "echo $ORDER $0");
    wait_for_output(&term, "echo $ORDER $0", "the order", |rows| {
        rows.len() == 1 && rows[0].starts_with("profile,rc ")
    });
}

#[test]
fn help_prints_the_usage_with_the_start_up_files() {
    let home = TempHome::new();
    let run = run_in(&home, &["--help"], &[], "");
    assert_eq!(run.status, 0);
    for part in [
        "--login",
        "--rcfile FILE",
        "--noprofile",
        "~/.pidshrc",
        "HISTFILE",
    ] {
        assert!(run.stdout.contains(part), "{part}: {}", run.stdout);
    }
}

#[test]
fn posix_mode_reads_the_file_env_names() {
    let home = TempHome::new();
    std::fs::write(home.0.join("envrc"), "echo from-env\n").unwrap();
    std::fs::write(home.0.join(".pidshrc"), "echo from-rc\n").unwrap();
    let env = [("ENV", "$HOME/envrc")];
    // bash --posix -i: the same.
    let run = run_in(&home, &["--posix", "-i"], &env, "echo hi\n");
    assert_eq!(run.stdout, "from-env\nhi\n", "{run:?}");
    let run = run_in(&home, &["-i"], &env, "echo hi\n");
    assert_eq!(run.stdout, "from-rc\nhi\n", "{run:?}");
}

#[test]
fn history_expansion_at_the_prompt_shows_and_stores_the_line() {
    let home = TempHome::new();
    let term = Term::start(&home);
    run_quietly(&term, "echo one two");
    run(&term, "echo !$ !^");
    // As bash: the expanded line is shown, then run, and recorded.
    wait_for_output(&term, "echo !$ !^", "the expansion", |rows| {
        rows == ["echo two one", "two one"]
    });
    run(&term, "^two^2");
    wait_for_output(&term, "^two^2", "the substitution", |rows| {
        rows == ["echo 2 one", "2 one"]
    });
    term.keys("\x1b[A");
    term.wait_for_input_line("echo 2 one");
    term.keys("\x15");
    // Not in scripts; `history -p` expands its arguments (as bash).
    let script = "echo a; echo !!; history -s echo x y; history -p '!!' '!$'";
    let run = run_in(&home, &["-c", script], &[], "");
    assert_eq!(run.stdout, "a\n!!\necho x y\ny\n");
}

/// An interactive shell reading a pipe obeys the line editor's history
/// keys as bash does: Ctrl-P steps back, Ctrl-R searches, Ctrl-O runs a
/// line and offers the entry after it; `-n` runs nothing and each line
/// read is shown after the prompt. Checked against bash.
#[test]
fn history_keys_in_piped_input() {
    let home = TempHome::new();
    let input = "echo 0\necho \"(left\nmid\nright)\"\necho A\necho B\n\x10\x10\x10\x0f\x0f\n";
    let run = run_in(&home, &["--norc", "-i"], &[("HISTFILE", "")], input);
    let block = "(left\nmid\nright)\nA\nB\n";
    assert_eq!(run.stdout, format!("0\n{block}{block}"), "{run:?}");
    let input = "echo one\necho two\n\x12one\n";
    let run = run_in(&home, &["--norc", "-i"], &[("HISTFILE", "")], input);
    assert_eq!(run.stdout, "one\ntwo\none\n", "{run:?}");
    let run = run_in(&home, &["--norc", "-in"], &[("PS1", "$ ")], "echo hi\n");
    assert_eq!(run.stdout, "", "{run:?}");
    assert!(run.stderr.ends_with("$ echo hi\n$ exit\n"), "{run:?}");
}

/// An interactive shell expands each line of a typed command on its own
/// and shows the lines that changed; `:p` records without running; a
/// failed expansion drops the command. Checked against bash.
#[test]
fn interactive_history_expansion_line_by_line() {
    let home = TempHome::new();
    let input = "echo a b\necho !!:2 !$\n!!:p\nhistory\n^b^c\necho \"x\n!!\"\n";
    let run = run_in(&home, &["--norc", "-i"], &[("HISTFILE", "")], input);
    let expected =
        "a b\nb b\n    1  echo a b\n    2  echo b b\n    3  echo b b\n    4  history\nx\nhistory\n";
    assert_eq!(run.stdout, expected, "{run:?}");
    for shown in [
        "echo b b\n",
        "pidsh: :s^b^c: substitution failed\n",
        "\nhistory\"\n",
    ] {
        assert!(run.stderr.contains(shown), "{shown:?} in {run:?}");
    }
}
