//! A script read from a pipe: each command runs before anything after it
//! is taken from the pipe, so commands that read standard input read the
//! lines that follow them, however long the command before was. Standard
//! output and status are bash 5.2's (`… | bash`); error messages are in
//! pidsh's form, with the line number dash gives (bash names none for
//! standard input).
#![allow(clippy::unwrap_used)]

mod common;
use common::run_stdin;

/// A `( … )` of `lines` lines.
fn long_subshell(lines: usize) -> String {
    let mut text = String::from("(\n");
    for i in 0..lines {
        text.push_str(&format!("  : line {i}\n"));
    }
    text.push_str("  echo sub\n)\n");
    text
}

fn check(name: &str, script: &str, stdout: &str, stderr: &str, status: i32) {
    let r = run_stdin(script);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        (stdout, stderr, status),
        "{name}"
    );
}

#[test]
fn a_command_after_a_long_one_reads_the_next_line() {
    let script = format!("{}read x\nthe data\necho \"got $x\"\n", long_subshell(500));
    check("short", &script, "sub\ngot the data\n", "", 0);
}

#[test]
fn a_command_longer_than_the_pipe_holds() {
    // About 1.3 MB: more than one look at the pipe can see.
    let script = format!(
        "{}read x\nthe data\necho \"got $x\"\n",
        long_subshell(100_000)
    );
    check("long", &script, "sub\ngot the data\n", "", 0);
}

#[test]
fn here_documents_continuations_and_a_last_line_without_newline() {
    let script = "cat <<E\nbody\nE\nread y\nY\necho \"$y\" \\\n  more\necho a |\ncat\necho end";
    check("mixed", script, "body\nY more\na\nend\n", "", 0);
}

#[test]
fn a_syntax_error_after_a_long_command_names_its_line() {
    let script = format!("{}fi\necho after\n", long_subshell(300));
    check(
        "syntax",
        &script,
        "sub\n",
        "pidsh: line 304: syntax error near unexpected token `fi'\npidsh: line 304: `fi'\n",
        2,
    );
}

#[test]
fn an_unfinished_command_at_the_end_of_input() {
    check(
        "eof",
        "echo a\n( echo b\n",
        "a\n",
        "pidsh: line 3: syntax error: unexpected end of file from `(' command on line 2\n",
        2,
    );
}

#[test]
fn reading_from_a_pipe_leaves_the_low_descriptors_free() {
    // The reader's own pipe must not take a number a script may use (3 is
    // the glob's own look at the directory, in bash too).
    let script = "for f in /proc/$$/fd/*; do n=${f##*/}; case $n in [3-9]) echo \"open $n\";; esac; done\necho hi 1>&7 || echo failed\n";
    let r = run_stdin(script);
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        (
            "open 3\nfailed\n",
            "pidsh: line 2: 7: Bad file descriptor\n",
            0
        )
    );
}
