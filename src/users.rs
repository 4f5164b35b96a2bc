//! The user database: a user's home directory and login shell, for
//! `~name`, the prompt's `\u`, `$SHELL` and a missing `$HOME`.
//!
//! The executable is linked statically where it can be (`build.rs`), and
//! a static C library cannot use the database's modules named in
//! `/etc/nsswitch.conf` (`libnss_systemd`, LDAP, …): they are shared
//! libraries built for the shared C library, and loading one crashes the
//! process. So `/etc/passwd` is read here, and a user it does not list is
//! asked of `getent passwd` — the C library's own program, which loads
//! those modules in a process of its own. Only a name the file lacks
//! costs a process; the current user is looked up once.

use std::collections::HashMap;
use std::ffi::CString;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::sync::{Mutex, OnceLock};

use crate::spawn::{Program, Spawn};

/// One entry of the user database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The login name.
    pub name: String,
    /// The numeric user id.
    pub uid: u32,
    /// The home directory.
    pub home: String,
    /// The login shell (empty when the entry names none).
    pub shell: String,
}

/// The local database file.
const PASSWD_FILE: &str = "/etc/passwd";

/// Where the C library installs `getent`.
const GETENT_PATHS: &[&str] = &["/usr/bin/getent", "/bin/getent"];

/// What a lookup searches by.
#[derive(Debug, Clone, Copy)]
enum Key<'a> {
    Name(&'a str),
    Uid(u32),
}

impl Key<'_> {
    fn matches(&self, user: &User) -> bool {
        match *self {
            Key::Name(name) => user.name == name,
            Key::Uid(uid) => user.uid == uid,
        }
    }

    /// The key as `getent` takes it.
    fn text(&self) -> String {
        match *self {
            Key::Name(name) => name.to_string(),
            Key::Uid(uid) => uid.to_string(),
        }
    }
}

/// The user named `name`, if the database has one.
pub fn by_name(name: &str) -> Option<User> {
    // A name that could not be in the database: `getent` would take a
    // number for a user id, and an option for an option.
    if name.is_empty() || name.starts_with('-') || name.bytes().all(|b| b.is_ascii_digit()) {
        return from_file(Key::Name(name));
    }
    lookup(Key::Name(name))
}

/// The user whose id is `uid`, if the database has one.
pub fn by_uid(uid: u32) -> Option<User> {
    lookup(Key::Uid(uid))
}

/// The user the shell runs as (its real user id), looked up once.
pub fn current() -> Option<&'static User> {
    static CURRENT: OnceLock<Option<User>> = OnceLock::new();
    CURRENT
        .get_or_init(|| by_uid(nix::unistd::getuid().as_raw()))
        .as_ref()
}

fn lookup(key: Key) -> Option<User> {
    from_file(key).or_else(|| asked_of_getent(key))
}

/// [`from_getent`], asked once per key for the life of the process: a
/// loop expanding `~name` for a name the file lacks starts one process,
/// not one per turn.
fn asked_of_getent(key: Key) -> Option<User> {
    type Answers = HashMap<(bool, String), Option<User>, rustc_hash::FxBuildHasher>;
    static ANSWERS: Mutex<Answers> = Mutex::new(HashMap::with_hasher(rustc_hash::FxBuildHasher));
    let cache_key = (matches!(key, Key::Uid(_)), key.text());
    if let Some(answer) = ANSWERS.lock().ok().and_then(|a| a.get(&cache_key).cloned()) {
        return answer;
    }
    let answer = from_getent(key);
    if let Ok(mut answers) = ANSWERS.lock() {
        answers.insert(cache_key, answer.clone());
    }
    answer
}

/// The first entry of `/etc/passwd` that matches, as the C library's
/// `files` source finds it.
fn from_file(key: Key) -> Option<User> {
    let bytes = std::fs::read(PASSWD_FILE).ok()?;
    first_match(&crate::bytes::decode_vec(bytes), key)
}

fn first_match(text: &str, key: Key) -> Option<User> {
    text.lines()
        .filter_map(parse_entry)
        .find(|user| key.matches(user))
}

/// One `name:password:uid:gid:gecos:home:shell` line; `None` for a line
/// that is not an entry (blank, a comment, NIS's `+`/`-` lines).
fn parse_entry(line: &str) -> Option<User> {
    if line.starts_with(['#', '+', '-']) {
        return None;
    }
    let mut fields = line.split(':');
    let name = fields.next().filter(|n| !n.is_empty())?;
    let uid = fields.nth(1)?.parse().ok()?;
    let home = fields.nth(2)?;
    let shell = fields.next().unwrap_or_default();
    Some(User {
        name: name.to_string(),
        uid,
        home: home.to_string(),
        shell: shell.to_string(),
    })
}

/// Asks `getent passwd KEY`, which consults every source the system's
/// `nsswitch.conf` names; `None` when it finds nothing or cannot run.
fn from_getent(key: Key) -> Option<User> {
    let program = GETENT_PATHS
        .iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let (read_end, write_end) = nix::unistd::pipe2(nix::fcntl::OFlag::O_CLOEXEC).ok()?;
    let path = CString::new(*program).ok()?;
    let mut spawn = Spawn::new(Program::Path(path));
    spawn.arg(c"getent".to_owned());
    spawn.arg(c"passwd".to_owned());
    spawn.arg(crate::bytes::to_cstring(&key.text()));
    spawn.open(c"/dev/null".to_owned(), libc::O_RDONLY, 0, 0);
    spawn.dup2(write_end.as_raw_fd(), 1);
    spawn.open(c"/dev/null".to_owned(), libc::O_WRONLY, 0, 2);
    let child = spawn.spawn().ok()?;
    drop(write_end);
    let mut output = Vec::new();
    let read = std::fs::File::from(read_end).read_to_end(&mut output);
    let status = crate::jobs::wait_child(&child);
    if read.is_err() || status != 0 {
        return None;
    }
    first_match(&crate::bytes::decode_vec(output), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
root:x:0:0:root:/root:/bin/bash
# a comment
+nisuser::::::
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nohome:x:1001:1001::
short:x:1002:1002:gecos:/home/short
ann:x:1000:1000:Ann,,,:/home/ann:/bin/zsh
ann:x:1003:1003:second:/elsewhere:/bin/sh
";

    #[test]
    fn finds_a_user_by_name_and_by_id() {
        let ann = first_match(FILE, Key::Name("ann")).expect("ann");
        assert_eq!(
            ann,
            User {
                name: "ann".into(),
                uid: 1000,
                home: "/home/ann".into(),
                shell: "/bin/zsh".into(),
            }
        );
        assert_eq!(
            first_match(FILE, Key::Uid(1)).map(|u| u.name),
            Some("daemon".into())
        );
    }

    #[test]
    fn the_first_entry_of_a_name_wins() {
        let ann = first_match(FILE, Key::Name("ann")).expect("ann");
        assert_eq!(ann.home, "/home/ann");
    }

    #[test]
    fn an_entry_without_a_shell_has_an_empty_one() {
        let short = first_match(FILE, Key::Name("short")).expect("short");
        assert_eq!(
            (short.home.as_str(), short.shell.as_str()),
            ("/home/short", "")
        );
        let nohome = first_match(FILE, Key::Name("nohome")).expect("nohome");
        assert_eq!((nohome.home.as_str(), nohome.shell.as_str()), ("", ""));
    }

    #[test]
    fn comments_and_nis_lines_are_not_users() {
        assert_eq!(first_match(FILE, Key::Name("# a comment")), None);
        assert_eq!(first_match(FILE, Key::Name("+nisuser")), None);
        assert_eq!(first_match(FILE, Key::Name("nisuser")), None);
        assert_eq!(first_match(FILE, Key::Name("nobody-here")), None);
    }

    #[test]
    fn a_number_or_an_option_is_not_asked_of_getent() {
        // `~0` and `~-x` are not user names; a lookup must not take them
        // for a user id or an option.
        assert_eq!(by_name("4294967295"), None);
        assert_eq!(by_name("-s"), None);
    }
}
