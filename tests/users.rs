//! The user database as the shell uses it: `~name`, the prompt's `\u`,
//! and `$SHELL` when the environment has none. The expected values come
//! from `/etc/passwd` itself, read here.
//!
//! A name the file does not list must leave `~name` as it is — not end
//! the shell: a static C library that loaded the system's name-service
//! modules for it crashed (`~nosuchuser`, status 139).
#![allow(clippy::unwrap_used)]

mod common;

use common::{pidsh, run_c};

/// The `(name, home, shell)` of the first `/etc/passwd` entry that
/// `pick` accepts by name and uid.
fn passwd_entry(pick: impl Fn(&str, u32) -> bool) -> Option<(String, String, String)> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        let (name, uid) = (fields.first()?, fields.get(2)?.parse().ok()?);
        pick(name, uid).then(|| {
            let field = |i: usize| fields.get(i).copied().unwrap_or_default().to_string();
            (name.to_string(), field(5), field(6))
        })
    })
}

fn current_uid() -> u32 {
    let out = pidsh().args(["-c", "echo $UID"]).output().unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn tilde_name_is_the_home_directory_the_passwd_file_gives() {
    let (_, home, _) = passwd_entry(|name, _| name == "root").expect("root in /etc/passwd");
    let r = run_c("echo ~root ~root/x");
    assert_eq!(
        (r.stdout, r.stderr, r.status),
        (format!("{home} {home}/x\n"), String::new(), 0)
    );
}

#[test]
fn tilde_with_an_unknown_name_stays_as_written() {
    let script = "echo ~no_such_user_of_pidsh ~no_such_user_of_pidsh/x ~1x ~-s; echo \"st=$?\"";
    let r = run_c(script);
    let want = "~no_such_user_of_pidsh ~no_such_user_of_pidsh/x ~1x ~-s\nst=0\n";
    assert_eq!(
        (r.stdout.as_str(), r.stderr.as_str(), r.status),
        (want, "", 0)
    );
}

#[test]
fn shell_and_user_name_come_from_the_entry_of_the_real_user() {
    let uid = current_uid();
    let Some((name, _, shell)) = passwd_entry(|_, u| u == uid) else {
        eprintln!("uid {uid} is not in /etc/passwd: nothing to compare with");
        return;
    };
    let out = pidsh()
        .env_clear()
        .args(["-c", r#"p='\u'; echo "$SHELL ${p@P}""#])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, format!("{shell} {name}\n"));
}
