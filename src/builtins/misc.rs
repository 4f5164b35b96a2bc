//! Small builtins: `builtin`, `ulimit`.

use nix::sys::resource::{Resource, getrlimit, setrlimit};

use std::os::fd::RawFd;

use crate::exec::Shell;
use crate::exec::eval::Status;

/// `builtin name [args…]`: runs the builtin even if a function shadows it.
pub fn builtin(sh: &mut Shell, argv: &[String]) -> Status {
    let skip = if argv.get(1).is_some_and(|a| a == "--") {
        2
    } else {
        1
    };
    let Some(name) = argv.get(skip) else {
        return Ok(0);
    };
    if skip == 1 && name.len() > 1 && name.starts_with('-') {
        let msg = format!(
            "{}: invalid option\nbuiltin: usage: builtin [shell-builtin [arg ...]]",
            name.chars().take(2).collect::<String>()
        );
        return sh.builtin_error("builtin", &msg, 2);
    }
    match sh.enabled_builtin(name) {
        // Its own redirection frame: `builtin exec >f` keeps nothing, as
        // in bash (where `command exec >f` does keep it, as POSIX says).
        Some(b) => {
            sh.in_redirection_frame(|sh| sh.run_builtin(b, &argv[skip..]))
                .0
        }
        None => sh.builtin_error("builtin", &format!("{name}: not a shell builtin"), 1),
    }
}

/// One `ulimit` resource: its letter, the kernel resource, the unit the
/// user sees it in (a multiplier of the kernel's), and how `-a` names it.
struct Limit {
    letter: char,
    resource: Resource,
    scale: u64,
    description: &'static str,
    unit: Option<&'static str>,
}

const LIMITS: &[Limit] = &[
    limit(
        'c',
        Resource::RLIMIT_CORE,
        1024,
        "core file size",
        Some("blocks"),
    ),
    limit(
        'd',
        Resource::RLIMIT_DATA,
        1024,
        "data seg size",
        Some("kbytes"),
    ),
    limit('e', Resource::RLIMIT_NICE, 1, "scheduling priority", None),
    limit(
        'f',
        Resource::RLIMIT_FSIZE,
        1024,
        "file size",
        Some("blocks"),
    ),
    limit('i', Resource::RLIMIT_SIGPENDING, 1, "pending signals", None),
    limit(
        'l',
        Resource::RLIMIT_MEMLOCK,
        1024,
        "max locked memory",
        Some("kbytes"),
    ),
    limit(
        'm',
        Resource::RLIMIT_RSS,
        1024,
        "max memory size",
        Some("kbytes"),
    ),
    limit('n', Resource::RLIMIT_NOFILE, 1, "open files", None),
    limit(
        'q',
        Resource::RLIMIT_MSGQUEUE,
        1,
        "POSIX message queues",
        Some("bytes"),
    ),
    limit('r', Resource::RLIMIT_RTPRIO, 1, "real-time priority", None),
    limit(
        's',
        Resource::RLIMIT_STACK,
        1024,
        "stack size",
        Some("kbytes"),
    ),
    limit('t', Resource::RLIMIT_CPU, 1, "cpu time", Some("seconds")),
    limit('u', Resource::RLIMIT_NPROC, 1, "max user processes", None),
    limit(
        'v',
        Resource::RLIMIT_AS,
        1024,
        "virtual memory",
        Some("kbytes"),
    ),
    limit('x', Resource::RLIMIT_LOCKS, 1, "file locks", None),
];

const fn limit(
    letter: char,
    resource: Resource,
    scale: u64,
    description: &'static str,
    unit: Option<&'static str>,
) -> Limit {
    Limit {
        letter,
        resource,
        scale,
        description,
        unit,
    }
}

/// What `ulimit` was asked.
#[derive(Debug, Default)]
struct UlimitRequest {
    all: bool,
    hard: bool,
    soft: bool,
    letters: Vec<char>,
    value: Option<String>,
}

/// `ulimit [-SHa] [-cdefilmnqrstuvx] [limit]`. Limits belong to the shell
/// process, so children started afterwards inherit them.
pub fn ulimit(sh: &mut Shell, argv: &[String]) -> Status {
    let req = match parse_ulimit(&argv[1..]) {
        Ok(r) => r,
        Err(msg) => return sh.builtin_error("ulimit", &msg, 2),
    };
    let mut out = String::new();
    let mut status = 0;
    let chosen: Vec<&Limit> = if req.all {
        LIMITS.iter().collect()
    } else {
        req.letters
            .iter()
            .filter_map(|c| LIMITS.iter().find(|l| l.letter == *c))
            .collect()
    };
    if let Some(value) = &req.value
        && !req.all
    {
        // Limits are per process and a subshell shares the shell's, so
        // there it changes only the soft limit, which can be put back.
        let soft_only = req.soft || (!sh.owns_process && !req.hard);
        if req.letters.contains(&'n')
            && let Ok(limit) = value.parse::<RawFd>()
        {
            sh.fds.settle_at_or_above(limit);
        }
        for l in &chosen {
            if let Err(msg) = set_limit(l, value, req.hard, soft_only) {
                status = sh.builtin_error("ulimit", &msg, 1)?;
            }
        }
        return Ok(status);
    }
    for l in &chosen {
        let labelled = req.all || chosen.len() > 1;
        match show_limit(l, req.hard, labelled) {
            Ok(line) => out.push_str(&line),
            Err(msg) => status = sh.builtin_error("ulimit", &msg, 1)?,
        }
    }
    if !sh.print("ulimit", &out)? {
        return Ok(1);
    }
    Ok(status)
}

fn parse_ulimit(args: &[String]) -> Result<UlimitRequest, String> {
    let mut req = UlimitRequest::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            break;
        };
        if letters == "-" {
            i += 1;
            break;
        }
        for c in letters.chars() {
            match c {
                'a' => req.all = true,
                'H' => req.hard = true,
                'S' => req.soft = true,
                c if LIMITS.iter().any(|l| l.letter == c) => req.letters.push(c),
                c => {
                    return Err(format!(
                        "-{c}: invalid option\nulimit: usage: ulimit [-SHabcdefiklmnpqrstuvxPRT] [limit]"
                    ));
                }
            }
        }
        i += 1;
    }
    req.value = args.get(i).cloned();
    if args.len() > i + 1 {
        return Err("too many arguments".to_string());
    }
    if req.letters.is_empty() {
        req.letters.push('f');
    }
    Ok(req)
}

/// One limit for display: bare, or as a line of `ulimit -a`.
fn show_limit(l: &Limit, hard: bool, labelled: bool) -> Result<String, String> {
    let (soft_value, hard_value) = getrlimit(l.resource).map_err(|e| {
        format!(
            "{}: cannot get limit: {}",
            l.description,
            crate::exec::error::describe(e)
        )
    })?;
    let raw = if hard { hard_value } else { soft_value };
    let value = if raw == libc::RLIM_INFINITY {
        "unlimited".to_string()
    } else {
        (raw / l.scale).to_string()
    };
    if !labelled {
        return Ok(format!("{value}\n"));
    }
    let unit = match l.unit {
        Some(u) => format!("({u}, -{}) ", l.letter),
        None => format!("(-{}) ", l.letter),
    };
    Ok(format!("{:<20} {unit:>20}{value}\n", l.description))
}

/// Sets a limit (`unlimited`, `hard`, `soft` or a number in the limit's
/// unit); both soft and hard unless `-S` or `-H` narrows it.
fn set_limit(l: &Limit, value: &str, hard: bool, soft: bool) -> Result<(), String> {
    let (cur_soft, cur_hard) = getrlimit(l.resource).map_err(|e| {
        format!(
            "{}: cannot get limit: {}",
            l.description,
            crate::exec::error::describe(e)
        )
    })?;
    let new = match value {
        "unlimited" => libc::RLIM_INFINITY,
        "hard" => cur_hard,
        "soft" => cur_soft,
        v => Some(v)
            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u64>().ok())
            .and_then(|n| n.checked_mul(l.scale))
            .ok_or_else(|| format!("{v}: invalid number"))?,
    };
    let (set_soft, set_hard) = match (soft, hard) {
        (true, false) => (new, cur_hard),
        (false, true) => (cur_soft.min(new), new),
        _ => (new, new),
    };
    setrlimit(l.resource, set_soft, set_hard).map_err(|e| {
        format!(
            "{}: cannot modify limit: {}",
            l.description,
            crate::exec::error::describe(e)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_lines_up_like_bash() {
        let l = &LIMITS[0];
        let line = show_limit(l, false, true).expect("getrlimit");
        assert!(line.starts_with("core file size              (blocks, -c) "));
    }

    #[test]
    fn default_resource_is_file_size() {
        let req = parse_ulimit(&[]).expect("valid");
        assert_eq!(req.letters, ['f']);
        assert!(parse_ulimit(&["-Z".to_string()]).is_err());
        assert!(parse_ulimit(&["1".to_string(), "2".to_string()]).is_err());
    }
}
