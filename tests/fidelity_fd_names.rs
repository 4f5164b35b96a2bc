//! Names of descriptors (`/dev/stdin`, `/dev/stdout`, `/dev/stderr`,
//! `/dev/fd/N`, `/proc/self/fd/N`) opened or tested by the shell itself must
//! reach what the context's fd table has at that number, exactly as a child
//! process would — not the shell process's own descriptor N. Expected
//! outputs are those of bash (and dash, where it has the feature).
#![allow(clippy::unwrap_used)]

mod common;

/// (name, standard input fed through a pipe, script, stdout, stderr, status).
type Case = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
);

/// A directory with `ans` ("answer"), `src.sh` (`echo sourced`) and `d/f`.
fn fixture() -> std::path::PathBuf {
    let dir = common::tempdir();
    std::fs::write(dir.join("ans"), "answer\n").unwrap();
    std::fs::write(dir.join("src.sh"), "echo sourced\n").unwrap();
    std::fs::create_dir(dir.join("d")).unwrap();
    std::fs::write(dir.join("d/f"), "inside\n").unwrap();
    dir
}

fn run(backend: &str, input: &str, script: &str) -> common::Run {
    let dir = fixture();
    let r = common::run_on(backend, script, &dir, input);
    let _ = std::fs::remove_dir_all(&dir);
    r
}

fn check(cases: &[Case]) {
    common::check_table(
        &common::BACKENDS,
        cases,
        |(name, _, script, ..)| format!("{name}: script {script:?}"),
        |(_, _, _, stdout, stderr, status)| common::Expect {
            stdout,
            stderr: Some(stderr),
            status: *status,
        },
        |backend, (_, input, script, ..)| run(backend, input, script),
    );
}

#[test]
fn standard_names_follow_redirections() {
    check(&[
        (
            "read </dev/stdin in a redirected group",
            "REAL\n",
            r#"{ read x </dev/stdin; echo "got [$x]"; } <ans; read y; echo "[$y]""#,
            "got [answer]\n[REAL]\n",
            "",
            0,
        ),
        (
            ">/dev/stderr and >/dev/stdout",
            "",
            r#"{ echo err >/dev/stderr; } 2>/dev/null; x=$(echo out >/dev/stdout); echo "x=[$x]""#,
            "x=[out]\n",
            "",
            0,
        ),
        (
            "a pipeline stage reads its own stdin",
            "REAL\n",
            r#"echo x | { read v </dev/stdin; echo "[$v]"; }"#,
            "[x]\n",
            "",
            0,
        ),
        (
            "a subshell's stderr",
            "",
            "( echo sub >/dev/stderr ) 2>&1 | tr a-z A-Z; { echo e1 >/dev/fd/2; } 2>&1 | tr a-z A-Z",
            "SUB\nE1\n",
            "",
            0,
        ),
        (
            "mapfile",
            "l1\nl2\n",
            r#"mapfile -t a </dev/stdin; echo "${a[*]}"; { mapfile -t b </dev/stdin; echo "${b[*]}"; } <ans"#,
            "l1 l2\nanswer\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn reopening_a_file_truncates_it_as_the_kernel_does() {
    check(&[
        (
            ">/dev/stdout reopens the group's file",
            "",
            "{ echo a; echo b >/dev/stdout; } >file; cat file",
            "b\n",
            "",
            0,
        ),
        (
            ">&1 shares it",
            "",
            "{ echo a; echo b >&1; } >file; cat file",
            "a\nb\n",
            "",
            0,
        ),
        (
            "> and >> through /dev/fd/3",
            "",
            "exec 3>out; echo one >&3; echo two >/dev/fd/3; echo three >>/dev/fd/3; cat out",
            "two\nthree\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn numbered_names_follow_the_table() {
    check(&[
        (
            "exec 3<file; /dev/fd/3 and /proc/self/fd/3",
            "",
            r#"ls >/dev/null; exec 5<ans; read x </dev/fd/5; echo "[$x]"; read z </proc/self/fd/5; echo "[$z]""#,
            "[answer]\n[answer]\n",
            "",
            0,
        ),
        (
            "inside { …; } 3<file",
            "",
            r#"ls >/dev/null; { read y </dev/fd/3; echo "[$y]"; } 3<ans"#,
            "[answer]\n",
            "",
            0,
        ),
        (
            "a number the table does not have",
            "",
            "read x </dev/fd/7; echo st=$?",
            "st=1\n",
            "pidsh: line 1: /dev/fd/7: No such file or directory\n",
            0,
        ),
        (
            "a number the table closed while the process has one",
            "",
            "exec 3<ans; exec 3<&-; ls >/dev/null; [ -e /dev/fd/3 ] && echo e || echo none; \
             read x </dev/fd/3; echo st=$?; cat </dev/fd/3; echo st=$?",
            "none\nst=1\nst=1\n",
            "pidsh: line 1: /dev/fd/3: No such file or directory\n\
             pidsh: line 1: /dev/fd/3: No such file or directory\n",
            0,
        ),
        (
            "cd into a directory descriptor",
            "",
            "ls >/dev/null; { cd /dev/fd/3 && cat f; } 3<d; (exec 4<.; cd /; cat /dev/fd/4/f)",
            "inside\ninside\n",
            "",
            0,
        ),
        (
            "$PWD of cd /dev/fd/3",
            "",
            "ls >/dev/null; exec 3<d; cd /dev/fd/3; pwd; cat f",
            "/dev/fd/3\ninside\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn sourcing_and_substitution_read_the_table() {
    check(&[
        (
            "source /dev/stdin",
            "echo wrong\n",
            "source /dev/stdin <<<'echo hi'",
            "hi\n",
            "",
            0,
        ),
        (
            ". /dev/fd/3 in a redirected group",
            "",
            "{ . /dev/fd/3 3<src.sh; } 3<ans; echo st=$?",
            "sourced\nst=0\n",
            "",
            0,
        ),
        (
            "$(< /dev/stdin)",
            "outer\n",
            r#"{ x=$(< /dev/stdin); echo "[$x]"; } <ans; read z; echo "[$z]""#,
            "[answer]\n[outer]\n",
            "",
            0,
        ),
        (
            "$(< /dev/fd/N) of a missing fd",
            "",
            r#"ls >/dev/null; x=$(< /dev/fd/3); echo "[$x] $?""#,
            "[] 1\n",
            "pidsh: line 1: /dev/fd/3: No such file or directory\n",
            0,
        ),
        (
            "capture: >/dev/stdout and 2>/dev/stdout write into it",
            "",
            r#"x=$(echo a; echo b >/dev/stdout; { echo c >&2; } 2>/dev/stdout); echo "[$x]"; y=$( { echo cap >/dev/fd/3; } 3>&1 ); echo "[$y]""#,
            "[a\nb\nc]\n[cap]\n",
            "",
            0,
        ),
        (
            "process substitution",
            "",
            r#"while read l; do echo "<$l>"; done < <(echo p1; echo p2); cat <(echo p3); read q < <(echo p4); echo $q; f() { read a <"$1"; echo "f:$a"; }; f <(echo p5)"#,
            "<p1>\n<p2>\np3\np4\nf:p5\n",
            "",
            0,
        ),
    ]);
}

#[test]
fn file_tests_see_the_table() {
    check(&[
        (
            "-p on a redirected stdin",
            "x\n",
            "{ [ -p /dev/stdin ] && echo pipe || echo no; } </dev/null; \
             [ -p /dev/stdin ] && echo pipe || echo no; \
             { [[ -p /dev/stdin ]] && echo pipe || echo no; } </dev/null",
            "no\npipe\nno\n",
            "",
            0,
        ),
        (
            "-f -r -w -e -c",
            "x\n",
            "{ [ -f /dev/stdin ] && echo file; [ -r /dev/stdin ] && echo r; \
             [ -w /dev/stdin ] && echo w; [ -e /dev/fd/3 ] && echo e3; \
             [ -e /dev/fd/4 ] || echo no4; [ -c /dev/stdin ] || echo notc; } <ans 3<ans",
            "file\nr\nw\ne3\nno4\nnotc\n",
            "",
            0,
        ),
        (
            "-c -t -S on /dev/null",
            "x\n",
            "{ [ -c /dev/stdin ] && echo c; [ -t 0 ] || echo not-t; [ -S /dev/stdin ] || echo not-S; } </dev/null",
            "c\nnot-t\nnot-S\n",
            "",
            0,
        ),
        (
            "-ef",
            "x\n",
            "[ ans -ef /dev/fd/3 ] 3<ans && echo same; [[ /dev/stdin -ef ans ]] || echo differ",
            "same\ndiffer\n",
            "",
            0,
        ),
        (
            "-p on the capture",
            "",
            r#"x=$([ -p /dev/stdout ] && echo pipe); echo "[$x]""#,
            "[pipe]\n",
            "",
            0,
        ),
    ]);
}
