//! No descriptor leaks into children: a program the shell starts sees
//! exactly 0, 1 and 2 plus what the script gave it (redirections, and
//! descriptors opened by `exec`, which POSIX passes on) — never the
//! shell's own pipes, pidfds, here-document buffers, saved copies of
//! redirected descriptors or directory handles.
//!
//! The child that reports is `ls -ln /proc/self/fd/`: it prints one
//! `N -> target` line per open descriptor, including the one `ls` itself
//! holds on the directory (whose target is `/proc/<pid>/fd`), which is
//! left out. Each case runs under every spawn backend.
//!
//! Before starting pidsh the test marks its own inherited descriptors ≥ 3
//! close-on-exec: pidsh deliberately passes on descriptors it inherited
//! without close-on-exec, like other shells, and the test harness leaks
//! some.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stands for the reporting child in case scripts.
const LSFD: &str = "LSFD";

/// The reporting child.
const LISTING: &str = "ls -ln /proc/self/fd/";

/// The spawn backends every case runs under.
const BACKENDS: [&str; 3] = ["clone-vfork", "posix_spawn", "fork"];

fn cloexec_inherited() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: close_range with CLOSE_RANGE_CLOEXEC closes nothing and
        // takes no memory; it only keeps our descriptors out of children.
        let r = unsafe {
            libc::syscall(
                libc::SYS_close_range,
                3 as libc::c_uint,
                libc::c_uint::MAX,
                libc::CLOSE_RANGE_CLOEXEC as libc::c_uint,
            )
        };
        assert_eq!(
            r,
            0,
            "close_range(CLOEXEC): {}",
            std::io::Error::last_os_error()
        );
    });
}

fn tempdir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pidsh-noleak-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The descriptors one listing shows: fd → link target, without the
/// directory `ls` reads.
type Listing = BTreeMap<i32, String>;

/// Splits `ls -ln` output into listings (each starts with `total`); other
/// lines (the script's own output) are ignored.
fn parse(stdout: &str) -> Vec<Listing> {
    let mut listings: Vec<Listing> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("total ") {
            listings.push(Listing::new());
            continue;
        }
        let Some(listing) = listings.last_mut() else {
            continue;
        };
        if !line.starts_with('l') {
            continue;
        }
        let Some((left, target)) = line.split_once(" -> ") else {
            continue;
        };
        let Some(Ok(fd)) = left.split_whitespace().last().map(str::parse::<i32>) else {
            continue;
        };
        let own_dir = target
            .strip_prefix("/proc/")
            .and_then(|t| t.strip_suffix("/fd"))
            .is_some_and(|pid| pid.bytes().all(|b| b.is_ascii_digit()));
        if !own_dir {
            listing.insert(fd, target.to_string());
        }
    }
    listings
}

/// One expected descriptor: its number and a piece its target must
/// contain (`""`: anything).
type Want = (i32, &'static str);

/// Runs `script` (with [`LSFD`] standing for the listing) under `backend`;
/// `Err` says how the descriptors the child saw differ from `want` (one
/// entry per listing, in output order).
fn run(script: &str, backend: &str, want: &[&[Want]]) -> Result<(), String> {
    cloexec_inherited();
    let dir = tempdir();
    let script = script.replace(LSFD, LISTING);
    let out = Command::new(env!("CARGO_BIN_EXE_pidsh"))
        .arg("-c")
        .arg(&script)
        .current_dir(&dir)
        .env("PIDSH_SPAWN", backend)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let _ = fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let got = parse(&stdout);
    let context = || {
        format!(
            "script {script:?}\n    status {:?}\n    stdout {stdout:?}\n    stderr {stderr:?}",
            out.status.code()
        )
    };
    if got.len() != want.len() {
        return Err(format!(
            "{} listing(s), want {}\n    {}",
            got.len(),
            want.len(),
            context()
        ));
    }
    for (i, (listing, want)) in got.iter().zip(want).enumerate() {
        let fds: Vec<i32> = listing.keys().copied().collect();
        let want_fds: Vec<i32> = want.iter().map(|w| w.0).collect();
        if fds != want_fds {
            return Err(format!(
                "listing {i}: descriptors {fds:?}, want {want_fds:?}\n    {listing:?}\n    {}",
                context()
            ));
        }
        for (fd, piece) in want.iter() {
            if !listing[fd].contains(piece) {
                return Err(format!(
                    "listing {i}: fd {fd} -> {:?}, want a target containing {piece:?}\n    {}",
                    listing[fd],
                    context()
                ));
            }
        }
    }
    Ok(())
}

/// Runs one case under every backend; fails naming each backend that
/// leaked (or lost) a descriptor.
fn check(name: &str, script: &str, want: &[&[Want]]) {
    let failures: Vec<String> = BACKENDS
        .iter()
        .filter_map(|b| run(script, b, want).err().map(|e| format!("[{b}] {e}")))
        .collect();
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

/// `name: script => [fd, fd = "target piece", …];` makes a test that
/// expects one listing showing exactly those descriptors;
/// `name: script => [[…], […]];` expects several listings, in order.
macro_rules! cases {
    ($($name:ident: $script:expr => [$($fd:literal $(= $piece:literal)?),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                check(
                    stringify!($name),
                    $script,
                    &[&[$(($fd, concat!("" $(, $piece)?))),*]],
                );
            }
        )*
    };
}

macro_rules! multi_cases {
    ($($name:ident: $script:expr => [$([$($fd:literal $(= $piece:literal)?),* $(,)?]),* $(,)?];)*) => {
        $(
            #[test]
            fn $name() {
                check(
                    stringify!($name),
                    $script,
                    &[$(&[$(($fd, concat!("" $(, $piece)?))),*]),*],
                );
            }
        )*
    };
}

// Plain commands and every kind of redirection.
cases! {
    plain_command_sees_only_0_1_2:
        "LSFD" => [0 = "/dev/null", 1 = "pipe:", 2 = "pipe:"];
    output_redirection_replaces_stdout:
        "LSFD > o; cat o" => [0, 1 = "/o", 2];
    append_redirection_replaces_stdout:
        ": > o; LSFD >> o; cat o" => [0, 1 = "/o", 2];
    clobber_redirection_replaces_stdout:
        "LSFD >| o; cat o" => [0, 1 = "/o", 2];
    input_redirection_replaces_stdin:
        ": > i; LSFD < i" => [0 = "/i", 1, 2];
    read_write_redirection_on_stdin:
        "LSFD <> rw" => [0 = "/rw", 1, 2];
    read_write_redirection_on_fd_3:
        "LSFD 3<> rw" => [0, 1, 2, 3 = "/rw"];
    stderr_dup_of_stdout:
        "LSFD 2>&1" => [0, 1 = "pipe:", 2 = "pipe:"];
    stdout_dup_of_stderr:
        "{ LSFD >&2; } 2>&1" => [0, 1 = "pipe:", 2 = "pipe:"];
    numbered_output_redirection:
        "LSFD 3> file" => [0, 1, 2, 3 = "/file"];
    numbered_input_redirection:
        ": > file; LSFD 4< file" => [0, 1, 2, 4 = "/file"];
    high_numbered_redirection:
        "LSFD 9> nine" => [0, 1, 2, 9 = "/nine"];
    dup_then_close_moves_a_descriptor:
        "LSFD 3> x 4>&3 3>&-" => [0, 1, 2, 4 = "/x"];
    input_dup_of_redirected_fd:
        ": > f; LSFD 5< f 6<&5" => [0, 1, 2, 5 = "/f", 6 = "/f"];
    closed_stderr_is_absent:
        "LSFD 2>&-" => [0, 1];
    closed_stdin_is_absent:
        "LSFD <&-" => [1, 2];
    closing_an_exec_descriptor_hides_it:
        "exec 5> f; LSFD 5>&-" => [0, 1, 2];
    both_outputs_redirection:
        "LSFD &> o; cat o" => [0, 1 = "/o", 2 = "/o"];
    here_document_on_stdin:
        "LSFD <<EOF\nhello\nEOF" => [0, 1, 2];
    here_document_on_fd_3:
        "LSFD 3<<EOF\nhello\nEOF" => [0, 1, 2, 3];
    quoted_here_document_with_tabs_stripped:
        "LSFD <<-'EOF'\n\thello $x\n\tEOF" => [0, 1, 2];
    here_string_on_stdin:
        "LSFD <<< hello" => [0, 1, 2];
    several_redirections_together:
        ": > i; LSFD < i 3> a 4>> b 2> c" => [0 = "/i", 1, 2 = "/c", 3 = "/a", 4 = "/b"];
}

// Pipelines, command substitution and background jobs.
cases! {
    first_pipeline_stage:
        "LSFD | cat" => [0 = "/dev/null", 1 = "pipe:", 2];
    middle_pipeline_stage:
        "echo | LSFD | cat" => [0 = "pipe:", 1 = "pipe:", 2];
    last_pipeline_stage:
        "echo | LSFD" => [0 = "pipe:", 1 = "pipe:", 2];
    middle_of_a_long_pipeline:
        "echo | cat | cat | LSFD | cat | cat" => [0 = "pipe:", 1 = "pipe:", 2];
    pipeline_after_builtin_stage:
        "for i in 1 2; do echo $i; done | LSFD" => [0 = "pipe:", 1, 2];
    pipeline_stage_with_its_own_redirection:
        "echo | LSFD 3> x | cat" => [0, 1, 2, 3 = "/x"];
    negated_pipeline:
        "! LSFD | cat" => [0, 1, 2];
    external_command_substitution:
        "x=$(LSFD); echo \"$x\"" => [0, 1 = "pipe:", 2];
    command_substitution_as_argument:
        "echo \"$(LSFD)\"" => [0, 1, 2];
    pipeline_inside_command_substitution:
        "echo \"$(echo | LSFD | cat)\"" => [0 = "pipe:", 1 = "pipe:", 2];
    redirection_inside_command_substitution:
        "echo \"$(LSFD 3> x)\"" => [0, 1, 2, 3 = "/x"];
    nested_command_substitution:
        "echo \"$(echo \"$(LSFD)\")\"" => [0, 1, 2];
    subshell_inside_command_substitution:
        "echo \"$( (LSFD) )\"" => [0, 1, 2];
    background_command:
        "LSFD & wait" => [0, 1, 2];
    background_pipeline:
        "echo | LSFD & wait" => [0 = "pipe:", 1, 2];
    background_command_with_redirection:
        "LSFD 3> x & wait" => [0, 1, 2, 3 = "/x"];
    background_subshell:
        "(LSFD) & wait" => [0, 1, 2];
}

// Descriptors opened by `exec` are passed on; everything else the shell
// holds is not.
cases! {
    exec_descriptor_is_inherited:
        "exec 5> f; LSFD" => [0, 1, 2, 5 = "/f"];
    exec_input_descriptor_is_inherited:
        ": > f; exec 6< f; LSFD" => [0, 1, 2, 6 = "/f"];
    exec_dup_of_stdin_is_inherited:
        "exec 7<&0; LSFD" => [0, 1, 2, 7 = "/dev/null"];
    exec_descriptor_reaches_every_pipeline_stage:
        "exec 5> f; echo | LSFD | cat" => [0, 1, 2, 5 = "/f"];
    exec_descriptor_reaches_command_substitution:
        "exec 5> f; echo \"$(LSFD)\"" => [0, 1, 2, 5 = "/f"];
    exec_descriptor_reaches_background_job:
        "exec 5> f; LSFD & wait" => [0, 1, 2, 5 = "/f"];
    exec_descriptor_closed_again_is_gone:
        "exec 5> f; exec 5>&-; LSFD" => [0, 1, 2];
    exec_redirecting_stdout_and_saving_it:
        "exec 3>&1; exec > o; LSFD; exec >&3 3>&-; cat o" => [0, 1 = "/o", 2, 3 = "pipe:"];
    exec_moving_a_descriptor:
        "exec 5> f; exec 6>&5 5>&-; LSFD" => [0, 1, 2, 6 = "/f"];
}

// Shell code: functions, subshells, groups, loops, eval.
cases! {
    inside_a_function:
        "f() { LSFD; }; f" => [0, 1, 2];
    function_call_with_redirection:
        "f() { LSFD; }; f 3> x" => [0, 1, 2, 3 = "/x"];
    function_body_with_redirection:
        "f() { LSFD; } 4> y; f" => [0, 1, 2, 4 = "/y"];
    function_with_stdout_redirected:
        "f() { LSFD; }; f > o; cat o" => [0, 1 = "/o", 2];
    function_in_a_pipeline:
        "f() { LSFD; }; echo | f | cat" => [0 = "pipe:", 1 = "pipe:", 2];
    function_with_here_document:
        "f() { LSFD; }; f <<EOF\nx\nEOF" => [0, 1, 2];
    local_exec_inside_function:
        "f() { exec 6> y; LSFD; }; f" => [0, 1, 2, 6 = "/y"];
    inside_a_subshell:
        "(LSFD)" => [0, 1, 2];
    subshell_with_redirection:
        "(LSFD) 3> x" => [0, 1, 2, 3 = "/x"];
    exec_inside_a_subshell:
        "(exec 6> y; LSFD)" => [0, 1, 2, 6 = "/y"];
    nested_subshells_with_redirections:
        "( (LSFD) 4> b ) 3> a" => [0, 1, 2, 3 = "/a", 4 = "/b"];
    subshell_in_a_pipeline:
        "echo | (LSFD) | cat" => [0 = "pipe:", 1 = "pipe:", 2];
    brace_group_with_redirection:
        "{ LSFD; } 3> x" => [0, 1, 2, 3 = "/x"];
    for_loop_with_redirection:
        "for i in 1; do LSFD; done 3> x" => [0, 1, 2, 3 = "/x"];
    while_loop_with_input_redirection:
        "echo a > i; n=0; while [ $n = 0 ]; do LSFD; n=1; done < i" => [0 = "/i", 1, 2];
    if_with_redirection:
        "if true; then LSFD; fi 3> x" => [0, 1, 2, 3 = "/x"];
    case_in_a_pipeline:
        "echo | case x in x) LSFD;; esac | cat" => [0 = "pipe:", 1, 2];
    eval_with_redirection:
        "eval 'LSFD 3> x'" => [0, 1, 2, 3 = "/x"];
    command_builtin:
        "command LSFD" => [0, 1, 2];
    assignment_prefix:
        "X=1 LSFD" => [0, 1, 2];
}

// Nothing lingers after the shell has done something with descriptors.
cases! {
    after_command_substitutions:
        "x=$(echo in); y=$(/bin/echo ext); LSFD" => [0, 1, 2];
    after_a_pipeline:
        "echo | cat | cat > /dev/null; LSFD" => [0, 1, 2];
    after_a_background_job:
        "sleep 0 & LSFD; wait" => [0, 1, 2];
    after_a_finished_background_job:
        "sleep 0 & wait; LSFD" => [0, 1, 2];
    after_a_builtin_with_redirections:
        "echo hi 3> x > /dev/null; LSFD" => [0, 1, 2];
    after_a_function_call_with_redirection:
        "f() { :; }; f 3> x; LSFD" => [0, 1, 2];
    after_a_brace_group_with_redirection:
        "{ :; } 3> x 4< x; LSFD" => [0, 1, 2];
    after_a_subshell_with_exec:
        "(exec 6> y); LSFD" => [0, 1, 2];
    after_a_here_document:
        "cat <<EOF > /dev/null\nx\nEOF\nLSFD" => [0, 1, 2];
    after_a_here_string_to_a_builtin:
        "true <<< word; LSFD" => [0, 1, 2];
    after_a_failed_redirection:
        "cat < /nonexistent 2> /dev/null; LSFD" => [0, 1, 2];
    after_a_missing_command:
        "nosuchcmd_zz 2> /dev/null; LSFD" => [0, 1, 2];
    after_a_failing_builtin_redirection:
        ": > /nonexistent/x 2> /dev/null; LSFD" => [0, 1, 2];
    after_cd:
        "cd /; cd - > /dev/null; LSFD" => [0, 1, 2];
    after_a_while_loop_with_redirection:
        "echo a > i; n=0; while [ $n = 0 ]; do n=1; done < i; LSFD" => [0, 1, 2];
    after_a_command_substitution_pipeline:
        "x=$(echo a | cat | tr a b); LSFD" => [0, 1, 2];
}

// Scripts with more than one listing, checked in order.
multi_cases! {
    exec_descriptor_visible_until_closed:
        "exec 5> f; LSFD; exec 5>&-; LSFD" => [[0, 1, 2, 5 = "/f"], [0, 1, 2]];
    redirection_does_not_outlive_its_command:
        "LSFD 3> x; LSFD" => [[0, 1, 2, 3 = "/x"], [0, 1, 2]];
    function_redirection_does_not_outlive_the_call:
        "f() { LSFD; }; f 3> x; f" => [[0, 1, 2, 3 = "/x"], [0, 1, 2]];
    subshell_exec_does_not_outlive_the_subshell:
        "(exec 6> y; LSFD); LSFD" => [[0, 1, 2, 6 = "/y"], [0, 1, 2]];
    repeated_spawns_leave_nothing_behind:
        "for i in 1 2 3; do x=$(LSFD | cat); done; echo \"$x\"; LSFD" => [[0, 1, 2], [0, 1, 2]];
}
