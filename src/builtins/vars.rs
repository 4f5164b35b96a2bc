//! Variable and option builtins: `export`, `readonly`, `unset`, `local`,
//! `set`, `shift`.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::state::OPTION_NAMES;
use crate::expand::is_name;
use crate::parser::unparse::{quote, quote_value};

/// `export` / `readonly` without names: the variables with that attribute
/// (`arrays`: only arrays), as bash lists them — `declare -x name="v"`,
/// or in POSIX mode `export name='v'` (arrays `readonly -a name=(…)`).
fn list_attribute(
    sh: &mut Shell,
    builtin: &str,
    pick: fn(&crate::exec::state::Var) -> bool,
    arrays: bool,
) -> Status {
    let mut vars: Vec<(&str, &crate::exec::state::Var)> = sh
        .state
        .vars
        .iter()
        .filter(|(_, v)| pick(v) && (!arrays || v.array.is_some()))
        .collect();
    vars.sort_by(|a, b| a.0.cmp(b.0));
    let posix = sh.state.options.posix;
    let mut out = String::new();
    for (name, var) in vars {
        if !posix {
            out.push_str(&super::declare::declaration(name, var));
            continue;
        }
        match (&var.array, &var.value) {
            (Some(array), _) => {
                let letter = if matches!(array, crate::exec::state::Array::Assoc(_)) {
                    'A'
                } else {
                    'a'
                };
                let literal = super::declare::array_literal(array);
                out.push_str(&format!("{builtin} -{letter} {name}={literal}\n"));
            }
            (None, Some(v)) => out.push_str(&format!("{builtin} {name}={}\n", quote(v))),
            (None, None) => out.push_str(&format!("{builtin} {name}\n")),
        }
    }
    Ok(if sh.print(builtin, &out)? { 0 } else { 1 })
}

/// `export [-fnp] name[=value]…` (`-f`: the names are functions).
pub fn export(sh: &mut Shell, argv: &[String]) -> Status {
    let mut args = &argv[1..];
    let mut unexport = false;
    let mut functions = false;
    let (mut indexed, mut assoc) = (false, false);
    while let Some(first) = args.first().filter(|a| a.starts_with('-') && a.len() > 1) {
        args = &args[1..];
        if first == "--" {
            break;
        }
        for c in first[1..].chars() {
            match c {
                'p' => {}
                'n' => unexport = true,
                'f' => functions = true,
                'a' => indexed = true,
                'A' => assoc = true,
                _ => {
                    let msg = format!(
                        "-{c}: invalid option\nexport: usage: export [-fn] [name[=value] ...] or export -p"
                    );
                    return sh.builtin_error("export", &msg, 2);
                }
            }
        }
    }
    if functions {
        return super::declare::export_functions(sh, "export", args, !unexport);
    }
    if args.is_empty() {
        return list_attribute(sh, "export", |v| v.exported, indexed || assoc);
    }
    super::declare::export_operands(sh, args, unexport, indexed, assoc)
}

/// `readonly [-p] name[=value]…`.
pub fn readonly(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "aAfnp") {
        Ok(parsed) => parsed,
        Err(e) => {
            let msg =
                format!("{e}\nreadonly: usage: readonly [-aAf] [name[=value] ...] or readonly -p");
            return sh.builtin_error("readonly", &msg, 2);
        }
    };
    let indexed = opts.iter().any(|(c, _)| *c == 'a');
    let assoc = opts.iter().any(|(c, _)| *c == 'A');
    let args = &argv[1 + first..];
    if opts.iter().any(|(c, _)| *c == 'f') {
        return super::declare::readonly_functions(sh, args);
    }
    if args.is_empty() {
        return list_attribute(sh, "readonly", |v| v.readonly, indexed || assoc);
    }
    super::declare::readonly_operands(sh, args, indexed, assoc)
}

/// The variables bash 5.3 refuses to unset: the shell keeps them for
/// its call frames.
const UNSETTABLE: &[&str] = &["BASH_LINENO", "BASH_SOURCE"];

/// `unset [-v|-f|-n] name…`.
pub fn unset(sh: &mut Shell, argv: &[String]) -> Status {
    let mut functions = false;
    let mut vars_only = false;
    let mut namerefs = false;
    let mut args = &argv[1..];
    while let Some(first) = args.first().filter(|a| a.len() > 1 && a.starts_with('-')) {
        args = &args[1..];
        if first == "--" {
            break;
        }
        for c in first[1..].chars() {
            match c {
                'f' => functions = true,
                'v' => vars_only = true,
                'n' => namerefs = true,
                _ => {
                    let msg = format!(
                        "-{c}: invalid option\nunset: usage: unset [-f] [-v] [-n] [name ...]"
                    );
                    return sh.builtin_error("unset", &msg, 2);
                }
            }
        }
    }
    if functions && vars_only {
        let msg = "cannot simultaneously unset a function and a variable";
        return sh.builtin_error("unset", msg, 1);
    }
    let mut status = 0;
    for name in args {
        let names_function = functions || (sh.state.vars.var(name).is_none() && !vars_only);
        if names_function && sh.state.readonly_functions.contains(name) {
            let msg = format!("{name}: cannot unset: readonly function");
            status = sh.builtin_error("unset", &msg, 1)?;
            continue;
        }
        if functions {
            sh.functions_mut().remove(name);
            sh.state.exported_functions.retain(|f| f != name);
            continue;
        }
        if UNSETTABLE.contains(&name.as_str()) {
            status = sh.builtin_error("unset", &format!("{name}: cannot unset"), 1)?;
            continue;
        }
        if !functions && name.contains('[') {
            match sh.unset_element(name) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => {
                    status = sh.builtin_error("unset", &e.to_string(), 1)?;
                    continue;
                }
            }
        }
        if !is_name(name) {
            if !vars_only {
                // bash: no variable has the name, so it is a function's (if
                // any), unset quietly.
                if sh.functions_mut().remove(name).is_some() {
                    sh.state.exported_functions.retain(|f| f != name);
                }
                continue;
            }
            status = sh.builtin_error("unset", &format!("`{name}': not a valid identifier"), 1)?;
            continue;
        }
        if sh.state.vars.var(name).is_none()
            && !vars_only
            && sh.state.functions.contains_key(name)
            && sh.functions_mut().remove(name).is_some()
        {
            sh.state.exported_functions.retain(|f| f != name);
            continue;
        }
        let unset = if namerefs {
            sh.state.vars.unset_nameref(name)
        } else {
            sh.state.vars.unset(name)
        };
        if let Err(e) = unset {
            status = sh.builtin_error(
                "unset",
                &format!("{}: cannot unset: readonly variable", e.0),
                1,
            )?;
        }
        if name == "PATH" {
            sh.state.commands.clear();
        }
    }
    Ok(status)
}

/// `shift [n]`.
pub fn shift(sh: &mut Shell, argv: &[String]) -> Status {
    let skip = usize::from(argv.get(1).is_some_and(|a| a == "--"));
    let argv: Vec<String> = std::iter::once(argv[0].clone())
        .chain(argv[1 + skip..].iter().cloned())
        .collect();
    if argv.len() > 2 {
        // Not fatal in POSIX mode either (bash 5.3).
        sh.report("shift: too many arguments");
        return Ok(2);
    }
    let n = match argv.get(1).map(|a| a.trim().parse::<i64>()) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            // Status 2 as dash (bash says 1).
            let msg = format!("{}: numeric argument required", argv[1]);
            return sh.builtin_error("shift", &msg, 2);
        }
    };
    let out_of_range = format!("{n}: shift count out of range");
    let Ok(n) = usize::try_from(n) else {
        return sh.builtin_error("shift", &out_of_range, 1);
    };
    if n > sh.state.positional.len() {
        // bash says so only with `shopt -s shift_verbose` or in POSIX mode.
        if sh.state.options.posix || sh.shopt_on("shift_verbose") {
            return sh.builtin_error("shift", &out_of_range, 1);
        }
        return Ok(1);
    }
    sh.state.positional.drain(..n);
    Ok(0)
}

/// `set [-+options] [-o name] [--] [args…]`.
pub fn set(sh: &mut Shell, argv: &[String]) -> Status {
    let r = set_options_and_arguments(sh, argv);
    sh.refresh_option_variables();
    r
}

fn set_options_and_arguments(sh: &mut Shell, argv: &[String]) -> Status {
    if argv.len() == 1 {
        return print_variables(sh);
    }
    let mut i = 1;
    // A listing (`set -o`) that could not be written fails the command.
    let mut status = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        if arg == "--" {
            sh.state.positional = argv[i + 1..].to_vec();
            sh.positional_sets += 1;
            return Ok(status);
        }
        if arg == "-" {
            sh.state.options.verbose = false;
            sh.state.options.xtrace = false;
            i += 1;
            break;
        }
        let on = match arg.chars().next() {
            Some('-') => true,
            Some('+') => false,
            _ => break,
        };
        let flags = &arg[1..];
        // Each `o` among the letters takes the next word as an option name
        // (`set -euo pipefail`); without one (or before an option word, as
        // in `set -o -B`) it lists the options.
        let mut names_taken = 0;
        for letter in flags.chars() {
            if letter == 'o' {
                let next = argv
                    .get(i + 1 + names_taken)
                    .filter(|w| !(w.len() > 1 && w.starts_with(['-', '+'])));
                match next {
                    Some(name) => {
                        if let Err(msg) = set_named(sh, name, on) {
                            return sh.builtin_error("set", &msg, 2);
                        }
                        names_taken += 1;
                    }
                    None => status = status.max(print_options(sh, on)?),
                }
                continue;
            }
            let Some(name) = crate::exec::state::Options::name_of_letter(letter) else {
                let msg = format!(
                    "{}{letter}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]",
                    &arg[..1]
                );
                return sh.builtin_error("set", &msg, 2);
            };
            if let Err(msg) = set_named(sh, name, on) {
                return sh.builtin_error("set", &msg, 2);
            }
        }
        i += 1 + names_taken;
    }
    if i < argv.len() {
        sh.state.positional = argv[i..].to_vec();
        sh.positional_sets += 1;
    }
    Ok(status)
}

fn set_named(sh: &mut Shell, name: &str, on: bool) -> Result<(), String> {
    // `set -n` is ignored by an interactive shell (`pidsh -in` is not).
    if name == "noexec" && on && sh.state.options.interactive {
        return Ok(());
    }
    if sh.state.options.set_named(name, on) {
        if name == "history" && on {
            crate::exec::history::switched_on(sh);
        }
        Ok(())
    } else {
        Err(format!("{name}: invalid option name"))
    }
}

fn print_options(sh: &mut Shell, human: bool) -> Status {
    let mut out = String::new();
    for (name, _) in OPTION_NAMES {
        let on = sh.state.options.get(name);
        if human {
            out.push_str(&format!("{name:<15}\t{}\n", if on { "on" } else { "off" }));
        } else {
            out.push_str(&format!("set {}o {name}\n", if on { '-' } else { '+' }));
        }
    }
    Ok(if sh.print("set", &out)? { 0 } else { 1 })
}

fn print_variables(sh: &mut Shell) -> Status {
    let mut vars: Vec<(String, String)> = sh
        .state
        .vars
        .iter()
        .filter_map(|(k, v)| match (&v.array, &v.value) {
            (Some(array), _) => Some((k.to_string(), super::declare::array_literal(array))),
            (None, Some(val)) => Some((k.to_string(), quote_value(val))),
            (None, None) => None,
        })
        .collect();
    vars.sort();
    let mut out = String::new();
    for (k, v) in vars {
        out.push_str(&format!("{k}={v}\n"));
    }
    Ok(if sh.print("set", &out)? { 0 } else { 1 })
}
