//! A here-document that the end of the script ends: bash's warning (with
//! the line reading stopped at and the line of the `<<`), the body kept,
//! its last line ended by a newline, and the script goes on.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Case, check_files, run_c};

const W: &str = "warning: here-document at line";

#[test]
fn the_end_of_the_file_ends_a_here_document_with_a_warning() {
    let cases: &[Case] = &[
        (
            "after a complete line",
            "echo 1\ncat <<EOF\nhi\n",
            "1\nhi\n",
            "s.sh: line 3: warning: here-document at line 2 delimited by end-of-file (wanted `EOF')\n",
            0,
        ),
        (
            "a last line without its newline, tabs stripped",
            "cat <<-END\n\tx\n\ty",
            "x\ny\n",
            "s.sh: line 3: warning: here-document at line 1 delimited by end-of-file (wanted `END')\n",
            0,
        ),
        (
            "no body at all",
            "cat <<EOF",
            "",
            "s.sh: line 1: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\n",
            0,
        ),
    ];
    check_files(cases);
}

#[test]
fn a_command_string_names_the_shell_and_a_quoted_body_stays_literal() {
    let run = run_c("cat <<'EOF'\n$x");
    assert_eq!(run.stdout, "$x\n");
    assert_eq!(
        run.stderr,
        format!("pidsh: line 2: {W} 1 delimited by end-of-file (wanted `EOF')\n")
    );
    assert_eq!(run.status, 0);
}

#[test]
fn an_unterminated_here_document_uses_the_rest_of_a_command_string() {
    let run = run_c("cat <<EOF\nabc");
    assert_eq!(run.stdout, "abc\n");
    assert_eq!(
        run.stderr,
        format!("pidsh: line 2: {W} 1 delimited by end-of-file (wanted `EOF')\n")
    );
    assert_eq!(run.status, 0);
}

#[test]
fn a_delimited_here_document_gives_no_warning() {
    let run = run_c("cat <<EOF\nhi\nEOF\necho after");
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("hi\nafter\n", "")
    );
}
