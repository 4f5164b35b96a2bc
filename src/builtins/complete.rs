//! `complete`, `compgen` and `compopt` (bash's programmable completion):
//! record how a command's arguments complete, generate the matches of a
//! specification, change the options of one. The machinery is in
//! [`crate::completion`].

use crate::completion::{Action, Options, Spec, Special, program};
use crate::exec::Shell;
use crate::exec::eval::Status;

const COMPLETE_USAGE: &str = "complete: usage: complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [name ...]";
const COMPGEN_USAGE: &str = "compgen: usage: compgen [-V varname] [-abcdefgjksuv] [-o option] [-A action] [-G globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P prefix] [-S suffix] [word]";
const COMPOPT_USAGE: &str = "compopt: usage: compopt [-o|+o option] [-DEI] [name ...]";

/// What the options of `complete` or `compgen` said.
#[derive(Debug, Default)]
struct Parsed {
    spec: Spec,
    /// `+o` options (compopt).
    off: Options,
    print: bool,
    remove: bool,
    special: Vec<Special>,
    /// `compgen -V name` (bash 5.3): the matches go into this array.
    into: Option<String>,
    /// Any option that describes a specification was given.
    describes: bool,
    operands: Vec<String>,
}

/// Why the options could not be read, as bash words it.
enum ParseError {
    /// An option letter this builtin does not take.
    Usage(String),
    /// A bad value (status 2, no usage line).
    Value(String),
}

/// Parses `args` for the builtin `name`; `letters` are the one-letter
/// options it takes besides those taking a value.
fn parse(name: &str, args: &[String], letters: &str) -> Result<Parsed, ParseError> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            break;
        }
        let (on, flags) = match (arg.strip_prefix('-'), arg.strip_prefix('+')) {
            (Some(f), _) if !f.is_empty() => (true, f),
            (_, Some(f)) if name == "compopt" && f == "o" => (false, f),
            _ => {
                i -= 1;
                break;
            }
        };
        for (at, c) in flags.char_indices() {
            if "oAGWFCXPS".contains(c) || (c == 'V' && name == "compgen") {
                let rest = &flags[at + 1..];
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else if let Some(v) = args.get(i) {
                    i += 1;
                    v.clone()
                } else {
                    return Err(ParseError::Usage(format!(
                        "-{c}: option requires an argument"
                    )));
                };
                take_value(&mut p, c, value, on)?;
                break;
            }
            if !letters.contains(c) {
                return Err(ParseError::Usage(format!("-{c}: invalid option")));
            }
            take_letter(&mut p, c);
        }
    }
    p.operands = args[i..].to_vec();
    // -D takes precedence over -E, and both over -I (bash).
    p.special.sort();
    p.special.truncate(1);
    Ok(p)
}

fn take_letter(p: &mut Parsed, c: char) {
    match c {
        'p' => p.print = true,
        'r' => p.remove = true,
        'D' => p.special.push(Special::Default),
        'E' => p.special.push(Special::Empty),
        'I' => p.special.push(Special::Initial),
        _ => {
            if let Some(action) = Action::by_letter(c) {
                p.spec.actions.push(action);
                p.describes = true;
            }
        }
    }
}

fn take_value(p: &mut Parsed, c: char, value: String, on: bool) -> Result<(), ParseError> {
    if c == 'V' {
        if !crate::expand::is_name(&value) {
            return Err(ParseError::Value(format!(
                "`{value}': not a valid identifier"
            )));
        }
        p.into = Some(value);
        return Ok(());
    }
    p.describes = true;
    match c {
        'o' => {
            let flag = Options::flag(&value)
                .ok_or_else(|| ParseError::Value(format!("{value}: invalid option name")))?;
            if on {
                p.spec.options.set(flag, true);
            } else {
                p.off.set(flag, true);
            }
        }
        'A' => {
            let action = Action::by_name(&value)
                .ok_or_else(|| ParseError::Value(format!("{value}: invalid action name")))?;
            p.spec.actions.push(action);
        }
        'G' => p.spec.glob = Some(value),
        'W' => p.spec.words = Some(value),
        'F' => p.spec.function = Some(value),
        'C' => p.spec.command = Some(value),
        'X' => p.spec.filter = Some(value),
        'P' => p.spec.prefix = Some(value),
        _ => p.spec.suffix = Some(value),
    }
    Ok(())
}

/// Reports a parse error the way bash does for `name`.
fn parse_failed(sh: &mut Shell, name: &str, usage: &str, e: ParseError) -> Status {
    match e {
        ParseError::Usage(msg) => {
            sh.report(&format!("{name}: {msg}"));
            sh.write_stderr(&format!("{usage}\n"));
            Ok(2)
        }
        ParseError::Value(msg) => sh.builtin_error(name, &msg, 2),
    }
}

/// `complete [-abcdefgjksuv] [-pr] [-DEI] [-o option] [-A action] [-G
/// globpat] [-W wordlist] [-F function] [-C command] [-X filterpat] [-P
/// prefix] [-S suffix] [name …]`.
pub fn complete(sh: &mut Shell, argv: &[String]) -> Status {
    let p = match parse("complete", &argv[1..], "abcdefgjksuvprDEI") {
        Ok(p) => p,
        Err(e) => return parse_failed(sh, "complete", COMPLETE_USAGE, e),
    };
    if p.remove {
        return remove(sh, &p);
    }
    if p.print || (!p.describes && p.special.is_empty()) {
        return print(sh, &p);
    }
    if p.operands.is_empty() && p.special.is_empty() {
        sh.write_stderr(&format!("{COMPLETE_USAGE}\n"));
        return Ok(2);
    }
    let table = sh.completion.table_mut();
    for special in &p.special {
        table.special.insert(*special, p.spec.clone());
    }
    if p.special.is_empty() {
        for name in &p.operands {
            table.commands.insert(name.clone(), p.spec.clone());
        }
    }
    Ok(0)
}

fn print(sh: &mut Shell, p: &Parsed) -> Status {
    let mut out = String::new();
    let mut status = 0;
    let table = sh.completion.table.clone();
    if p.operands.is_empty() && p.special.is_empty() {
        for (name, spec) in table.commands.entries() {
            out.push_str(&format!("{} {}\n", spec.describe(), quote_name(name)));
        }
        for (special, spec) in &table.special {
            out.push_str(&format!("{} {}\n", spec.describe(), special.flag()));
        }
    }
    for special in &p.special {
        if let Some(spec) = table.special.get(special) {
            out.push_str(&format!("{} {}\n", spec.describe(), special.flag()));
        }
    }
    for name in &p.operands {
        match table.commands.value(name) {
            Some(spec) => out.push_str(&format!("{} {}\n", spec.describe(), quote_name(name))),
            None => {
                let msg = format!("{name}: no completion specification");
                status = sh.builtin_error("complete", &msg, 1)?;
            }
        }
    }
    if !sh.print("complete", &out)? {
        return Ok(1);
    }
    Ok(status)
}

fn quote_name(name: &str) -> String {
    crate::parser::unparse::quote(name)
}

fn remove(sh: &mut Shell, p: &Parsed) -> Status {
    let mut status = 0;
    if p.operands.is_empty() && p.special.is_empty() {
        *sh.completion.table_mut() = Default::default();
        return Ok(0);
    }
    for special in &p.special {
        sh.completion.table_mut().special.remove(special);
    }
    for name in &p.operands {
        if sh.completion.table_mut().commands.remove(name).is_none() {
            let msg = format!("{name}: no completion specification");
            status = sh.builtin_error("complete", &msg, 1)?;
        }
    }
    Ok(status)
}

/// `compgen [option…] [word]`: the matches of the specification the
/// options describe, for `word`, one a line; status 1 when there are none.
pub fn compgen(sh: &mut Shell, argv: &[String]) -> Status {
    let p = match parse("compgen", &argv[1..], "abcdefgjksuv") {
        Ok(p) => p,
        Err(e) => return parse_failed(sh, "compgen", COMPGEN_USAGE, e),
    };
    let word = p.operands.first().cloned().unwrap_or_default();
    if !p.describes {
        return Ok(0);
    }
    if let Some(f) = &p.spec.function {
        sh.report("compgen: warning: -F option may not work as you expect");
        if !sh.state.functions.contains_key(f) {
            sh.report(&format!("completion: function `{f}' not found"));
            return Ok(1);
        }
    }
    let spec = p.spec;
    let mut matches = program::generate(sh, &spec, &word, None)?;
    if let Some(command) = &spec.command {
        sh.report("compgen: warning: -C option may not work as you expect");
        // bash passes its own name as the command word, and no word
        // before the one completed.
        let mut call = program::Call::new(sh, &word, word.len(), 9);
        call.name = "compgen".to_string();
        matches.extend(program::run_command(sh, command, &call));
    }
    add_fallbacks(sh, spec.options, &word, &mut matches);
    if let Some(name) = &p.into {
        let status = i32::from(matches.is_empty());
        let array = crate::exec::state::Array::Indexed(matches.into_iter().enumerate().collect());
        if let Err(e) = sh.state.vars.set_array(name, array) {
            return sh.builtin_error("compgen", &e.to_string(), 1);
        }
        return Ok(status);
    }
    if matches.is_empty() {
        return Ok(1);
    }
    let out: String = matches.iter().map(|m| format!("{m}\n")).collect();
    Ok(if sh.print("compgen", &out)? { 0 } else { 1 })
}

/// `-o plusdirs`, and `-o dirnames`/`-o default` when nothing matched.
fn add_fallbacks(sh: &Shell, options: Options, word: &str, matches: &mut Vec<String>) {
    use crate::completion::actions::{FileKind, files};
    if options.has("plusdirs") {
        matches.extend(files(sh, word, FileKind::Directory));
    }
    if matches.is_empty() && options.has("dirnames") {
        matches.extend(files(sh, word, FileKind::Directory));
    }
    if matches.is_empty() && options.has("default") {
        matches.extend(files(sh, word, FileKind::Any));
    }
}

/// `compopt [-o|+o option] [-DEI] [name …]`: changes the options of the
/// named specifications, or of the completion being made (in a
/// completion function).
pub fn compopt(sh: &mut Shell, argv: &[String]) -> Status {
    let p = match parse("compopt", &argv[1..], "DEI") {
        Ok(p) => p,
        Err(e) => return parse_failed(sh, "compopt", COMPOPT_USAGE, e),
    };
    let change = |options: &mut Options| {
        for (name, flag) in crate::completion::OPTION_NAMES {
            if p.spec.options.has(name) {
                options.set(*flag, true);
            }
            if p.off.has(name) {
                options.set(*flag, false);
            }
        }
    };
    if p.operands.is_empty() && p.special.is_empty() {
        let Some(options) = sh.completion.running.as_mut() else {
            return sh.builtin_error("compopt", "not currently executing completion function", 1);
        };
        change(options);
        return Ok(0);
    }
    if !p.describes {
        return print_options(sh, &p);
    }
    let mut status = 0;
    for special in &p.special {
        if let Some(spec) = sh.completion.table_mut().special.get_mut(special) {
            change(&mut spec.options);
        }
    }
    for name in &p.operands {
        match sh.completion.table_mut().commands.value_mut(name) {
            Some(spec) => change(&mut spec.options),
            None => {
                let msg = format!("{name}: no completion specification");
                status = sh.builtin_error("compopt", &msg, 1)?;
            }
        }
    }
    Ok(status)
}

/// `compopt NAME…` without options: each specification's options, all of
/// them, on (`-o`) or off (`+o`).
fn print_options(sh: &mut Shell, p: &Parsed) -> Status {
    let table = sh.completion.table.clone();
    let named = p
        .special
        .iter()
        .map(|s| (table.special.get(s), s.flag().to_string()))
        .chain(
            p.operands
                .iter()
                .map(|n| (table.commands.value(n), quote_name(n))),
        );
    let mut out = String::new();
    let mut status = 0;
    for (spec, name) in named.collect::<Vec<_>>() {
        let Some(spec) = spec else {
            let msg = format!("{name}: no completion specification");
            status = sh.builtin_error("compopt", &msg, 1)?;
            continue;
        };
        out.push_str("compopt");
        for (option, _) in crate::completion::OPTION_NAMES {
            let sign = if spec.options.has(option) { '-' } else { '+' };
            out.push_str(&format!(" {sign}o {option}"));
        }
        out.push_str(&format!(" {name}\n"));
    }
    if !sh.print("compopt", &out)? {
        return Ok(1);
    }
    Ok(status)
}
