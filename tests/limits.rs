//! At the limits: many distinct commands, many children, a low `ulimit
//! -n`, descriptor numbers past the limit, standard descriptors closed
//! when the shell starts, and a small address space (`ulimit -v`). Each limit is set inside the
//! script (never on the test runner); expected outputs are bash's.
#![allow(clippy::unwrap_used)]

mod common;

use common::{BACKENDS, Expect, check_table, run_on, tempdir};

struct Case {
    name: &'static str,
    script: String,
    stdout: &'static str,
    stderr: Option<&'static str>,
    status: i32,
}

fn cases(dir: &std::path::Path) -> Vec<Case> {
    let bin = env!("CARGO_BIN_EXE_pidsh");
    let commands = dir.join("commands");
    std::fs::create_dir_all(&commands).unwrap();
    for i in 0..1100 {
        let link = commands.join(format!("c{i}"));
        if !link.exists() {
            std::os::unix::fs::symlink("/bin/true", link).unwrap();
        }
    }
    vec![
        Case {
            name: "1100 distinct commands do not use up 1024 descriptors",
            script: format!(
                "ulimit -n 1024; PATH='{}':$PATH; i=0; while [ $i -lt 1100 ]; do c$i || echo fail; i=$((i+1)); done; echo ok | cat; echo $(ls '{}' | wc -l)",
                commands.display(),
                commands.display()
            ),
            stdout: "ok\n1100\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "more children than descriptors all start and are waited for",
            script: "ulimit -n 256; i=0; while [ $i -lt 300 ]; do sleep 3 & i=$((i+1)); done; \
                     echo $(jobs -p | wc -l); wait; echo $(echo done | cat)"
                .to_string(),
            stdout: "300\ndone\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "here-documents, here-strings, substitutions and a long pipeline under ulimit -n 20",
            script: "ulimit -n 20\ncat <<EOF\nheredoc\nEOF\ncat <<< herestring; cat <(echo procsub); x=$(echo sub); echo $x\n\
                     echo p | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat | cat; echo $?"
                .to_string(),
            stdout: "heredoc\nherestring\nprocsub\nsub\np\n0\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            // A shell started with 0-2 only (its parent is pidsh), so the
            // count is exact: under 7 descriptors a pidfd rarely fits, and
            // children start without one (waited for by pid).
            name: "a nine-stage pipeline under ulimit -n 7",
            script: format!(
                "'{bin}' -c 'ulimit -n 7; echo p | cat | cat | cat | cat | cat | cat | cat | cat; echo $?'"
            ),
            stdout: "p\n0\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "a pipeline refused its pipes fails with a message; the shell goes on",
            script: "ulimit -n 4; echo a | cat | cat; echo \"st=$?\"".to_string(),
            stdout: "st=1\n",
            stderr: Some("pidsh: line 1: pipe: Too many open files\n"),
            status: 0,
        },
        Case {
            name: "a descriptor opened before ulimit -n lowers the limit still reaches children",
            script: "exec 50>fd50; ulimit -n 20; readlink /proc/self/fd/50 | sed 's|.*/||'; echo shell >&50; cat fd50"
                .to_string(),
            stdout: "fd50\nshell\n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "a descriptor past the limit is a bad descriptor; the shell goes on",
            script: "ulimit -n 50; exec 60>&1; echo $?; echo after".to_string(),
            stdout: "1\nafter\n",
            stderr: Some("pidsh: line 1: 60: Bad file descriptor\n"),
            status: 0,
        },
        Case {
            name: "a number too big for a descriptor is not a file name",
            script: "echo x >&99999999999; echo $?; ls 99999999999 2>/dev/null || echo no file".to_string(),
            stdout: "1\nno file\n",
            stderr: Some("pidsh: line 1: 99999999999: Bad file descriptor\n"),
            status: 0,
        },
        Case {
            // 200 MB: room for a debug build's own image; a release build
            // runs in 100 MB. (Stacks of 256 MiB each did not fit at all.)
            name: "shell code runs in 200 MB of address space; deep recursion still ends cleanly",
            script: format!(
                "ulimit -v 200000; exec '{bin}' -c 'echo hi | cat; {{ echo a; echo b; }} | {{ read x; echo $x; }}; f(){{ f; }}; f'"
            ),
            stdout: "hi\na\n",
            stderr: Some("pidsh: line 1: f: maximum function nesting level exceeded (1000)\n"),
            status: 1,
        },
        Case {
            name: "every listing builtin fails when its output cannot be written",
            script: "sleep 1 & trap 'echo t' USR1; alias a=b; true >/dev/null; ls >/dev/null
                     for c in 'type ls' 'set -o' 'set +o' 'command -V ls' jobs 'declare -p PATH' \
                     trap alias 'export -p' hash 'ulimit -a' shopt 'kill -l' set pwd 'echo x'; do
                     eval \"$c\" >/dev/full 2>/dev/null; printf '%s ' $?; done; echo"
                .to_string(),
            stdout: "1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 \n",
            stderr: Some(""),
            status: 0,
        },
        Case {
            name: "standard output closed at start stays closed",
            script: format!("'{bin}' -c 'echo hi; echo $? >&2' >&-"),
            stdout: "",
            stderr: Some("pidsh: line 1: echo: write error: Bad file descriptor\n1\n"),
            status: 0,
        },
    ]
}

#[test]
fn the_shell_works_at_the_descriptor_limits() {
    let dir = tempdir();
    check_table(
        &BACKENDS,
        &cases(&dir),
        |c| c.name.to_string(),
        |c| Expect {
            stdout: c.stdout,
            stderr: c.stderr,
            status: c.status,
        },
        |backend, c| run_on(backend, &c.script, &dir, ""),
    );
}
