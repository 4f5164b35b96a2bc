//! Bytes that are not UTF-8 go through the shell unchanged: in the script,
//! in arguments and the environment, in file names, through `$( )`, `read`,
//! here-documents, pattern operations, and in the hand-over of state to a
//! background pidsh.
#![allow(clippy::unwrap_used)]

mod common;

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Stdio;

/// Runs `pidsh -c script name args…` in `dir` with `env` added; raw stdout
/// and stderr.
fn run_bytes(
    dir: &Path,
    script: &[u8],
    args: &[&[u8]],
    env: &[(&str, &[u8])],
) -> (Vec<u8>, Vec<u8>) {
    let mut cmd = common::pidsh();
    cmd.arg("-c")
        .arg(OsStr::from_bytes(script))
        .arg("sh")
        .current_dir(dir)
        .stdin(Stdio::null());
    for a in args {
        cmd.arg(OsStr::from_bytes(a));
    }
    for (k, v) in env {
        cmd.env(k, OsStr::from_bytes(v));
    }
    let out = cmd.output().unwrap();
    (out.stdout, out.stderr)
}

fn check(script: &[u8], expected: &[u8]) {
    let dir = common::tempdir();
    let (out, err) = run_bytes(&dir, script, &[], &[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        out,
        expected,
        "script {:?}\nstdout {:?}\nstderr {}",
        String::from_utf8_lossy(script),
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
}

#[test]
fn escapes_make_bytes() {
    check(b"printf %s $'a\\xffb'", b"a\xffb");
    check(b"echo -e '\\xfe'", b"\xfe\n");
    check(b"printf '\\375\\n'", b"\xfd\n");
    check(b"x=$'\\xe9t\\xe9'; printf %s \"$x\"", b"\xe9t\xe9");
    // Two escapes that form UTF-8 give the character, not two raw bytes.
    check(
        b"x=$'\\xc3\\xa9'; printf '%s %s' \"$x\" ${#x}",
        "é 1".as_bytes(),
    );
}

#[test]
fn bytes_in_the_script_itself() {
    check(b"echo caf\xe9", b"caf\xe9\n");
    check(b"x='\xff\xfe'; printf '%s' \"$x\"", b"\xff\xfe");
    check(b"cat <<EOF\nline \xfa\nEOF\n", b"line \xfa\n");
    check(
        b"case $'\\xf0' in \xf0) echo yes;; *) echo no;; esac",
        b"yes\n",
    );
}

#[test]
fn command_substitution_and_read_keep_bytes() {
    check(b"x=$(printf 'a\\377b'); printf %s \"$x\"", b"a\xffb");
    check(
        b"x=$(printf 'a\\377b\\n\\n'); printf '[%s]' \"$x\"",
        b"[a\xffb]",
    );
    // External command output goes through the pipe path.
    check(b"x=$(/bin/echo -e 'z\\0376'); printf %s \"$x\"", b"z\xfe");
    check(
        b"printf 'k\\376 v\\375\\n' | { read a b; printf '%s|%s' \"$a\" \"$b\"; }",
        b"k\xfe|v\xfd",
    );
}

#[test]
fn pattern_operations_see_one_character_per_byte() {
    check(
        b"x=$'a\\xffb'; printf '%s|%s|%s' \"${x#a}\" \"${x%b}\" ${#x}",
        b"\xffb|a\xff|3",
    );
    check(
        b"x=$'a\\xffb'; [[ $x == a?b ]] && echo match; y=${x/$'\\xff'/-}; echo $y",
        b"match\na-b\n",
    );
}

/// `=~` hands the bytes to the C library's regex (which, as for bash in a
/// UTF-8 locale, does not let `.` match a byte that is not UTF-8) and
/// `BASH_REMATCH` gets the matched bytes back.
#[test]
fn regex_match_sees_bytes() {
    check(
        b"x=$'a\\xffb\\xc3\\xa9'; [[ $x =~ a(.)b ]]; echo $?; \
          [[ $x =~ ^a($'\\xff')b(.)$ ]]; echo $?; printf '%s|%s|' \"${BASH_REMATCH[@]}\"",
        b"1\n0\na\xffb\xc3\xa9|\xff|\xc3\xa9||",
    );
}

#[test]
fn literal_private_use_characters_round_trip() {
    // U+F600..U+F6FF carry raw bytes inside the shell; a real one in the
    // input must still come out as the same three bytes.
    check("printf %s 'x\u{F6FF}y'".as_bytes(), "x\u{F6FF}y".as_bytes());
    check(
        "x=$(printf '\u{F600}'); printf %s \"$x\"".as_bytes(),
        "\u{F600}".as_bytes(),
    );
}

#[test]
fn arguments_and_environment_keep_bytes() {
    let dir = common::tempdir();
    let (out, _) = run_bytes(
        &dir,
        b"printf '%s|' \"$1\" \"$V\"",
        &[b"a\xfe"],
        &[("V", b"v\xf9")],
    );
    assert_eq!(out, b"a\xfe|v\xf9|");
    // Exported to a child and passed as an argument to it.
    let (out, _) = run_bytes(
        &dir,
        b"export W=$'\\xf8'; /usr/bin/env | grep -a '^W='; /bin/echo \"$1\"",
        &[b"\xf7"],
        &[],
    );
    assert_eq!(out, b"W=\xf8\n\xf7\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn file_names_keep_bytes() {
    let dir = common::tempdir();
    std::fs::create_dir(dir.join(OsStr::from_bytes(b"d\xe9"))).unwrap();
    std::fs::write(dir.join(OsStr::from_bytes(b"caf\xe9")), "content\n").unwrap();
    let script: &[u8] = b"for f in caf*; do printf '%s|' \"$f\"; done
[ -f caf$'\\xe9' ] && echo is-file
cat < caf*
printf new > n$'\\xff' && ls -1 n*
(cd d* && pwd -P | tail -c 4)
cd d$'\\xe9' && printf '%s\\n' \"${PWD##*/}\"";
    let (out, err) = run_bytes(&dir, script, &[], &[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(b"caf\xe9|is-file\ncontent\nn\xff\n/d\xe9\nd\xe9\n"),
        "stderr {}",
        String::from_utf8_lossy(&err)
    );
    assert_eq!(out, b"caf\xe9|is-file\ncontent\nn\xff\n/d\xe9\nd\xe9\n");
}

#[test]
fn background_shell_code_gets_the_same_bytes() {
    // `f &` runs in a self-spawned pidsh: variables, arguments and the
    // function's own source go through the hand-over.
    check(
        b"x=$(printf 'a\\377\\nb'); f() { printf '%s|%s|' \"$x\" \"$1\"; echo $'\\xf0'; }; f \"$x\" & wait",
        b"a\xff\nb|a\xff\nb|\xf0\n",
    );
    check(
        b"export E=$'\\xfa'; { /usr/bin/env | grep -a '^E='; } & wait",
        b"E=\xfa\n",
    );
}
