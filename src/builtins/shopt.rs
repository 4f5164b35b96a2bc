//! `shopt` (bash): the shell's optional behaviours that are not `set -o`
//! options. Those with an effect here: `nullglob`, `failglob`, `dotglob`,
//! `lastpipe`, `xpg_echo`; the others are accepted and listed.

use crate::exec::Shell;
use crate::exec::eval::Status;

/// Every name `shopt` knows, with its default.
pub const NAMES: &[(&str, bool)] = &[
    ("autocd", false),
    ("cdable_vars", false),
    ("checkwinsize", true),
    ("cmdhist", true),
    ("dotglob", false),
    ("expand_aliases", true),
    ("extdebug", false),
    ("extglob", false),
    ("extquote", true),
    ("failglob", false),
    ("globskipdots", true),
    ("globstar", false),
    ("histappend", false),
    ("inherit_errexit", false),
    ("interactive_comments", true),
    ("lastpipe", false),
    ("nocaseglob", false),
    ("nocasematch", false),
    ("nullglob", false),
    ("progcomp", true),
    ("promptvars", true),
    ("sourcepath", true),
    ("xpg_echo", false),
];

/// The enabled names of a new shell.
pub fn defaults() -> Vec<&'static str> {
    NAMES
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect()
}

impl Shell {
    /// Whether a `shopt` option is on.
    pub fn shopt_on(&self, name: &str) -> bool {
        self.shopts.contains(&name)
    }
}

/// `shopt [-s|-u] [-pq] [name…]`.
pub fn shopt(sh: &mut Shell, argv: &[String]) -> Status {
    let mut set = None;
    let mut quiet = false;
    let mut reusable = false;
    let mut names = Vec::new();
    for arg in &argv[1..] {
        match arg.as_str() {
            "-s" => set = Some(true),
            "-u" => set = Some(false),
            "-q" => quiet = true,
            "-p" => reusable = true,
            "-o" => {}
            _ => names.push(arg.as_str()),
        }
    }
    let mut status = 0;
    for name in &names {
        if !NAMES.iter().any(|(n, _)| n == name) {
            status = sh.builtin_error("shopt", &format!("{name}: invalid shell option name"), 1)?;
        }
    }
    let known: Vec<&'static str> = NAMES
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| names.is_empty() || names.contains(n))
        .collect();
    if let Some(on) = set {
        for name in known {
            sh.shopts.retain(|n| *n != name);
            if on {
                sh.shopts.push(name);
            }
        }
        return Ok(status);
    }
    let mut out = String::new();
    for name in known {
        let on = sh.shopt_on(name);
        if !on && !names.is_empty() && status == 0 {
            status = 1;
        }
        if quiet {
            continue;
        }
        if reusable {
            out.push_str(&format!("shopt {} {name}\n", if on { "-s" } else { "-u" }));
        } else {
            out.push_str(&format!("{name:<20}\t{}\n", if on { "on" } else { "off" }));
        }
    }
    if !sh.print("shopt", out.as_bytes())? {
        return Ok(1);
    }
    Ok(status)
}
