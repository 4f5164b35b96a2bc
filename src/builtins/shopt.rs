//! `shopt` (bash): the shell's optional behaviours that are not `set -o`
//! options. Those with an effect here: `nullglob`, `failglob`, `dotglob`,
//! `extglob`, `nocaseglob`, `nocasematch`, `lastpipe`, `xpg_echo`,
//! `shift_verbose`, `patsub_replacement`, `globstar`; the others (bash 5.2's whole list) are accepted and
//! listed.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::shopts::NAMES;

/// `shopt [-s|-u] [-opq] [name…]`; with `-o`, the `set -o` options.
pub fn shopt(sh: &mut Shell, argv: &[String]) -> Status {
    let r = shopt_inner(sh, argv);
    sh.refresh_option_variables();
    r
}

fn shopt_inner(sh: &mut Shell, argv: &[String]) -> Status {
    let mut set = None;
    let mut quiet = false;
    let mut reusable = false;
    let mut set_options = false;
    let mut names: Vec<&str> = Vec::new();
    let (mut seen_s, mut seen_u) = (false, false);
    for arg in &argv[1..] {
        match arg.strip_prefix('-') {
            Some(flags) if !flags.is_empty() && names.is_empty() => {
                for f in flags.chars() {
                    match f {
                        's' => (set, seen_s) = (Some(true), true),
                        'u' => (set, seen_u) = (Some(false), true),
                        'q' => quiet = true,
                        'p' => reusable = true,
                        'o' => set_options = true,
                        _ => {
                            let msg = format!(
                                "-{f}: invalid option\nshopt: usage: shopt [-pqsu] [-o] [optname ...]"
                            );
                            return sh.builtin_error("shopt", &msg, 2);
                        }
                    }
                }
            }
            _ => names.push(arg.as_str()),
        }
    }
    if seen_s && seen_u {
        let msg = "cannot set and unset shell options simultaneously";
        return sh.builtin_error("shopt", msg, 1);
    }
    let table: Vec<&'static str> = if set_options {
        crate::exec::state::OPTION_NAMES
            .iter()
            .map(|(n, _)| *n)
            .collect()
    } else {
        NAMES.iter().map(|(n, _)| *n).collect()
    };
    // Unknown names are reported; the known ones are still handled.
    let mut status = 0;
    for name in &names {
        if !table.contains(name) {
            let kind = if set_options {
                "option"
            } else {
                "shell option"
            };
            sh.report(&format!("shopt: {name}: invalid {kind} name"));
            status = 1;
        }
    }
    let selected: Vec<&'static str> = table
        .iter()
        .copied()
        .filter(|n| names.is_empty() || names.contains(n))
        .collect();
    if let (Some(on), true) = (set, names.is_empty()) {
        // `shopt -s` / `-u` without names lists the options on / off.
        let listed: Vec<&'static str> = selected
            .into_iter()
            .filter(|name| is_on(sh, name, set_options) == on)
            .collect();
        return list(sh, &listed, reusable, set_options, quiet).map(|ok| if ok { 0 } else { 1 });
    }
    if let Some(on) = set {
        for name in selected {
            set_option(sh, name, on, set_options);
        }
        return Ok(status);
    }
    let any_off = selected.iter().any(|name| !is_on(sh, name, set_options));
    if any_off && !names.is_empty() && status == 0 {
        status = 1;
    }
    if !list(sh, &selected, reusable, set_options, quiet)? {
        return Ok(1);
    }
    Ok(status)
}

fn is_on(sh: &Shell, name: &str, set_options: bool) -> bool {
    if set_options {
        sh.state.options.get(name)
    } else {
        sh.shopt_on(name)
    }
}

/// Lists `names` with their state (`reusable`: as commands); whether the
/// output could be written.
fn list(
    sh: &mut Shell,
    names: &[&str],
    reusable: bool,
    set_options: bool,
    quiet: bool,
) -> Result<bool, crate::exec::eval::Unwind> {
    if quiet {
        return Ok(true);
    }
    let mut out = String::new();
    for name in names {
        let on = is_on(sh, name, set_options);
        let sign = if on { '-' } else { '+' };
        match (reusable, set_options) {
            (true, true) => out.push_str(&format!("set {sign}o {name}\n")),
            (true, false) => {
                out.push_str(&format!("shopt {} {name}\n", if on { "-s" } else { "-u" }))
            }
            // bash 5.3's widths: 15 for `set -o` names, 20 for `shopt`'s.
            (false, true) => out.push_str(&format!("{name:<15}\t{}\n", on_off(on))),
            (false, false) => out.push_str(&format!("{name:<20}\t{}\n", on_off(on))),
        }
    }
    sh.print("shopt", &out)
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

/// Turns one option on or off (`set -o` names with `-o`).
pub fn set_option(sh: &mut Shell, name: &'static str, on: bool, set_options: bool) {
    if set_options {
        sh.state.options.set_named(name, on);
        if name == "history" && on {
            crate::exec::history::switched_on(sh);
        }
        return;
    }
    sh.state.shopts.retain(|n| *n != name);
    if on {
        sh.state.shopts.push(name);
    }
    if name == "extdebug" {
        // bash: `extdebug` turns `set -T` and `set -E` on and off with it.
        sh.state.options.set_named("functrace", on);
        sh.state.options.set_named("errtrace", on);
    }
}
