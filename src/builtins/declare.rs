//! `declare`/`typeset` (attributes and listing) and `let` (arithmetic as
//! a command).
//!
//! Attributes: export, readonly, arrays (`-a`, `-A`), namerefs (`-n`),
//! integer (`-i`) and case (`-l`, `-u`, `-c`); the last three change what later
//! assignments store (see `Shell::apply_value_attributes`). `local` is
//! `declare` inside a function; `export` and `readonly` share the
//! assignment of operands (`name+=value`, `name=(…)`).

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::state::{Array, LetterCase, Var};
use crate::expand::is_name;
use crate::parser::unparse::double_quote;

/// The options of one `declare` call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Flags {
    print: bool,
    functions: bool,
    function_names: bool,
    global: bool,
    /// `Some(true)` for `-i`, `Some(false)` for `+i`.
    integer: Option<bool>,
    /// `-l` / `-u` / `-c`: `Some(Some(case))`; `+l` / `+u` / `+c`:
    /// `Some(None)`.
    case: Option<Option<LetterCase>>,
    /// `-n`: a nameref; `+n` takes it away.
    nameref: Option<bool>,
    /// `Some(true)` for `-x`, `Some(false)` for `+x`.
    export: Option<bool>,
    readonly: bool,
    /// `+r`: an error for a readonly name (the attribute never goes).
    unreadonly: bool,
    /// The first of `-a`, `-A`, `-i`, `-n` given, which `-f` refuses.
    not_for_functions: Option<char>,
    /// Declared names are local to the function (`local`, or `declare`
    /// inside a function without `-g`).
    local: bool,
    /// `-a`: an indexed array.
    indexed: bool,
    /// `-A`: an associative array.
    assoc: bool,
    /// `-I`: a local starts with the value and attributes of the variable
    /// it shadows.
    inherit: bool,
    /// `-t` / `+t`: the trace attribute (of functions, with `-f`).
    trace: Option<bool>,
}

impl Flags {
    /// `-l`/`-u`/`-c` (`on`) or `+l`/`+u`/`+c`: two different cases in
    /// one call cancel out (bash turns the others off with each).
    fn set_case(&mut self, on: bool, case: LetterCase) {
        self.case = match self.case {
            Some(Some(old)) if on && old != case => Some(None),
            _ => Some(on.then_some(case)),
        };
    }
}

/// `declare [-aAfFgiprx] [+x] [name[=value]…]` (also `typeset`).
pub fn declare(sh: &mut Shell, argv: &[String]) -> Status {
    let name = argv[0].as_str();
    let (mut flags, operands) = match parse_flags(&argv[1..]) {
        Ok(parsed) => parsed,
        Err(msg) => return sh.builtin_error(name, &msg, 2),
    };
    flags.local = sh.state.vars.in_function() && !flags.global;
    if flags.functions || flags.function_names {
        return print_functions(sh, name, &flags, operands);
    }
    if operands.is_empty() {
        return print_all(sh, name, &flags);
    }
    if flags.print {
        // bash 5.2 shows what the name means here, even with `-g`.
        return print_named(sh, name, operands);
    }
    if flags.global && sh.state.vars.any_locals() {
        // `declare -g` works on the globals, even where locals shadow them.
        let shown = sh.state.vars.show_globals();
        let status = declare_operands(sh, name, &flags, operands);
        sh.state.vars.hide_globals(shown);
        return status;
    }
    declare_operands(sh, name, &flags, operands)
}

/// Splits the leading `-x`/`+x` words from the operands.
fn parse_flags(args: &[String]) -> Result<(Flags, &[String]), String> {
    let mut flags = Flags::default();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        if arg == "--" {
            i += 1;
            break;
        }
        let on = match arg.as_bytes().first() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => break,
        };
        if arg.len() < 2 {
            break;
        }
        for c in arg[1..].chars() {
            if on && matches!(c, 'a' | 'A' | 'i' | 'n') {
                flags.not_for_functions.get_or_insert(c);
            }
            match c {
                'p' => flags.print = true,
                'f' => flags.functions = true,
                'F' => flags.function_names = true,
                'g' => flags.global = true,
                'i' => flags.integer = Some(on),
                'l' => flags.set_case(on, LetterCase::Lower),
                'u' => flags.set_case(on, LetterCase::Upper),
                'c' => flags.set_case(on, LetterCase::Capitalize),
                'n' => flags.nameref = Some(on),
                'x' => flags.export = Some(on),
                'r' if on => flags.readonly = true,
                'r' => flags.unreadonly = true,
                't' => flags.trace = Some(on),
                'I' => flags.inherit = on,
                'a' => flags.indexed = on,
                'A' => flags.assoc = on,
                _ => {
                    return Err(format!(
                        "{}{c}: invalid option\ndeclare: usage: declare [-aAfFgiIlnrtux] [name[=value] ...] or declare -p [-aAfFilnrtux] [name ...]",
                        &arg[..1]
                    ));
                }
            }
        }
        i += 1;
    }
    Ok((flags, &args[i..]))
}

/// `local [-aAilnrux] name[=value]…` (only inside functions).
pub fn local(sh: &mut Shell, argv: &[String]) -> Status {
    if !sh.state.vars.in_function() {
        return sh.builtin_error("local", "can only be used in a function", 1);
    }
    declare(sh, argv)
}

/// `export [-n] name[=value]…` with operands: marks (or `-n` unmarks)
/// each for export after assigning its value (`-a`/`-A`: arrays, which
/// bash accepts as `readonly` does).
pub fn export_operands(
    sh: &mut Shell,
    args: &[String],
    unexport: bool,
    indexed: bool,
    assoc: bool,
) -> Status {
    let flags = Flags {
        export: Some(!unexport),
        indexed,
        assoc,
        ..Flags::default()
    };
    declare_operands(sh, "export", &flags, args)
}

/// `readonly [-aA] name[=value]…` with operands (`-a`/`-A`: arrays).
pub fn readonly_operands(sh: &mut Shell, args: &[String], indexed: bool, assoc: bool) -> Status {
    let flags = Flags {
        readonly: true,
        indexed,
        assoc,
        ..Flags::default()
    };
    declare_operands(sh, "readonly", &flags, args)
}

fn declare_operands(sh: &mut Shell, builtin: &str, flags: &Flags, args: &[String]) -> Status {
    let mut status = 0;
    for arg in args {
        if arg == "-" && flags.local {
            // `local -`: the `set` options come back when the function returns.
            sh.save_options_until_return();
            continue;
        }
        let name = arg.split_once('=').map_or(arg.as_str(), |(n, _)| n);
        let name = name.strip_suffix('+').unwrap_or(name);
        if matches!(builtin, "export" | "readonly")
            && !is_name(name)
            && crate::exec::arrays::split_subscript(name).is_some()
        {
            // `export a[1]`, `readonly a[1]=v`: only `declare` takes elements.
            let msg = format!("`{name}': not a valid identifier");
            status = sh.builtin_error(builtin, &msg, 1)?;
            continue;
        }
        if let Err(msg) = declare_one(sh, flags, arg) {
            status = declaration_error(sh, builtin, &msg)?;
        }
    }
    Ok(status)
}

/// `declare a[i]=v` assigns the element (`a[i]+=v` appends);
/// `declare -a a[n]` declares the array, as bash does.
fn declare_element(
    sh: &mut Shell,
    flags: &Flags,
    array: &str,
    element: &str,
    value: Option<&str>,
    append: bool,
) -> Result<(), String> {
    let array_flags = Flags {
        indexed: !flags.assoc,
        ..flags.clone()
    };
    declare_one(sh, &array_flags, array)?;
    let Some(value) = value else {
        return Ok(());
    };
    // The subscript goes through quote removal, as bash expands it.
    let element = &crate::expand::unquote_subscript(element);
    let value = if append {
        let old = sh.element_of(element).unwrap_or_default();
        format!("{old}{value}")
    } else {
        value.to_string()
    };
    sh.assign_target(element, value).map_err(|e| e.to_string())
}

/// Makes `name` an array; a value it had becomes element 0 (key `0` of
/// an associative array), as in bash.
fn scalar_to_array(sh: &mut Shell, name: &str, assoc: bool) -> Result<(), String> {
    let old = sh.state.vars.get(name).map(str::to_string);
    let mut array = if assoc {
        Array::Assoc(Default::default())
    } else {
        Array::Indexed(Default::default())
    };
    if let Some(old) = old {
        array.set(crate::exec::state::ArrayKey::Index(0), old);
    }
    sh.state
        .vars
        .set_array(name, array)
        .map_err(|e| e.to_string())
}

/// Reports why an operand failed. bash does not name `readonly` and
/// `export` in a message about a readonly variable (`x: readonly variable`).
fn declaration_error(sh: &mut Shell, builtin: &str, msg: &str) -> Status {
    if matches!(builtin, "readonly" | "export") && msg.ends_with(": readonly variable") {
        return sh.builtin_error_unnamed(builtin, msg, 1);
    }
    sh.builtin_error(builtin, msg, 1)
}

/// Declares one `name[=value]` or `name+=value`: local first when asked,
/// then the attributes that shape values, then the value, then export and
/// readonly.
fn declare_one(sh: &mut Shell, flags: &Flags, arg: &str) -> Result<(), String> {
    let (name, value) = match arg.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (arg, None),
    };
    let (name, append) = match name.strip_suffix('+') {
        Some(n) if value.is_some() => (n, true),
        _ => (name, false),
    };
    if let Some((array, _)) = crate::exec::arrays::split_subscript(name) {
        if flags.nameref == Some(true) {
            return Err(format!("{name}: reference variable cannot be an array"));
        }
        return declare_element(sh, flags, array, name, value, append);
    }
    if !is_name(name) {
        return Err(format!("`{arg}': not a valid identifier"));
    }
    let readonly = sh.state.vars.var(name).is_some_and(|v| v.readonly);
    if readonly && (value.is_some() || flags.export == Some(false) || flags.unreadonly) {
        return Err(format!("{name}: readonly variable"));
    }
    if flags.local && !readonly {
        let inherit = flags.inherit || sh.shopt_on("localvar_inherit");
        sh.state.vars.make_local(name, inherit);
    }
    // `+n` comes after the value, which still goes through the reference
    // (bash: `declare +n ref=x` assigns the target, then `ref` is plain).
    if flags.nameref == Some(true) {
        if let Some(target) = value {
            if target == name {
                return Err(format!(
                    "{name}: nameref variable self references not allowed"
                ));
            }
            let valid = is_name(target) || crate::exec::arrays::split_subscript(target).is_some();
            if !valid {
                return Err(format!(
                    "`{target}': invalid variable name for name reference"
                ));
            }
        }
        // `-an`: the array wins, as in bash; an array cannot become one.
        if !(flags.indexed || flags.assoc) {
            if sh.state.vars.var(name).is_some_and(|v| v.array.is_some()) {
                return Err(format!("{name}: reference variable cannot be an array"));
            }
            return sh
                .state
                .vars
                .set_nameref(name, value.map(str::to_string))
                .map_err(|e| e.to_string());
        }
    }
    if flags.integer.is_some() || flags.case.is_some() {
        sh.state
            .vars
            .set_value_attributes(name, flags.integer, flags.case);
    }
    if let Some(v) = value
        && v.starts_with('(')
        && v.ends_with(')')
    {
        sh.assign_array_text(name, v, append, flags.assoc)
            .map_err(|e| e.to_string())?;
    } else if let Some(v) = value {
        let v = if append {
            sh.appended_value(name, v)
        } else {
            v.to_string()
        };
        if (flags.indexed || flags.assoc) && sh.state.vars.array(name).is_none() {
            // `declare -a x=v`: an array whose element 0 is v (bash).
            scalar_to_array(sh, name, flags.assoc)?;
        }
        sh.assign(name, v).map_err(|e| e.to_string())?;
    } else if (flags.indexed || flags.assoc) && sh.state.vars.array(name).is_none() {
        let had_value = sh.state.vars.get(name).is_some();
        scalar_to_array(sh, name, flags.assoc)?;
        if let (false, Some(v)) = (had_value, sh.state.vars.var_mut(name)) {
            v.unassigned = true;
        }
    } else if value.is_none() && sh.state.vars.var(name).is_none() {
        sh.state.vars.declare(name);
    }
    if flags.nameref == Some(false)
        && let Some(v) = sh.state.vars.var_mut(name)
    {
        v.nameref = false;
    }
    match flags.export {
        Some(true) => sh.state.vars.export(name),
        Some(false) => sh.state.vars.unexport(name),
        None => {}
    }
    if flags.readonly {
        sh.state.vars.make_readonly(name);
    }
    Ok(())
}

/// `export -f name…` (`export -n -f`: `exported` false), `declare -fx
/// name…`: marks functions to pass to children; without names, lists the
/// exported ones.
pub fn export_functions(sh: &mut Shell, builtin: &str, names: &[String], exported: bool) -> Status {
    if names.is_empty() {
        let flags = Flags {
            functions: true,
            export: Some(true),
            ..Flags::default()
        };
        return print_functions(sh, builtin, &flags, names);
    }
    let mut status = 0;
    for name in names {
        if !sh.state.functions.contains_key(name) {
            status = sh.builtin_error(builtin, &format!("{name}: not a function"), 1)?;
            continue;
        }
        // bash: an environment name cannot hold `=`, and a name with `/`
        // would never be looked up as a function in the child.
        if exported && name.contains(['=', '/']) {
            status = sh.builtin_error(builtin, &format!("{name}: cannot export"), 1)?;
            continue;
        }
        let list = &mut sh.state.exported_functions;
        list.retain(|f| f != name);
        if exported {
            list.push(name.clone());
        }
    }
    Ok(status)
}

/// `declare -ft name…` (`+ft`: `traced` false): the functions see the
/// caller's DEBUG and RETURN traps.
fn trace_functions(sh: &mut Shell, names: &[String], traced: bool) -> Status {
    let mut status = 0;
    for name in names {
        if !sh.state.functions.contains_key(name) {
            // bash fails quietly.
            status = 1;
            continue;
        }
        let list = &mut sh.state.traced_functions;
        list.retain(|f| f != name);
        if traced {
            list.push(name.clone());
        }
    }
    Ok(status)
}

/// A function's attributes as `declare -F` lists them (`frtx`).
fn function_letters(sh: &Shell, name: &String) -> String {
    let mut letters = String::from("f");
    let st = &sh.state;
    for (on, c) in [
        (st.readonly_functions.contains(name), 'r'),
        (st.traced_functions.contains(name), 't'),
        (st.exported_functions.contains(name), 'x'),
    ] {
        if on {
            letters.push(c);
        }
    }
    letters
}

/// `declare -fr name…` / `readonly -f name…` (readonly functions stay
/// so: `+r` is an error), with the trace and export attributes of the
/// same call; `None` when there are no names or no readonly change.
fn function_attributes(
    sh: &mut Shell,
    builtin: &str,
    flags: &Flags,
    names: &[String],
) -> Result<Option<i32>, crate::exec::eval::Unwind> {
    if names.is_empty() || !(flags.readonly || flags.unreadonly) {
        return Ok(None);
    }
    let mut status = 0;
    for name in names {
        if !sh.state.functions.contains_key(name) {
            // `declare` fails quietly, `readonly` says so.
            if builtin == "readonly" {
                sh.builtin_error(builtin, &format!("{name}: not a function"), 1)?;
            }
            status = 1;
            continue;
        }
        let readonly = sh.state.readonly_functions.contains(name);
        if flags.unreadonly && readonly {
            status = sh.builtin_error(builtin, &format!("{name}: readonly function"), 1)?;
            continue;
        }
        if flags.readonly && !readonly {
            sh.state.readonly_functions.push(name.clone());
        }
    }
    let rest = Flags {
        readonly: false,
        unreadonly: false,
        ..flags.clone()
    };
    if rest.trace.is_some() || rest.export.is_some() {
        status = status.max(print_functions(sh, builtin, &rest, names)?);
    }
    Ok(Some(status))
}

/// `readonly -f [name…]`: marks functions readonly, or lists those that
/// are.
pub fn readonly_functions(sh: &mut Shell, names: &[String]) -> Status {
    let flags = Flags {
        functions: true,
        readonly: true,
        ..Flags::default()
    };
    print_functions(sh, "readonly", &flags, names)
}

/// `declare -f` / `-F`, with or without names; with `-x` and names, marks
/// them for export.
fn print_functions(sh: &mut Shell, builtin: &str, flags: &Flags, names: &[String]) -> Status {
    if let Some(c) = flags.not_for_functions {
        return sh.builtin_error(builtin, &format!("-{c}: invalid option"), 1);
    }
    if names.iter().any(|n| n.contains('=')) {
        return sh.builtin_error(builtin, "cannot use `-f' to make functions", 1);
    }
    if let Some(status) = function_attributes(sh, builtin, flags, names)? {
        return Ok(status);
    }
    if let (Some(on), false) = (flags.trace, names.is_empty()) {
        return trace_functions(sh, names, on);
    }
    if let (Some(on), false) = (flags.export, names.is_empty()) {
        return export_functions(sh, builtin, names, on);
    }
    let exported_only = flags.export == Some(true);
    let readonly_only = flags.readonly;
    let mut wanted: Vec<String> = if names.is_empty() {
        sh.state
            .functions
            .keys()
            .filter(|n| !exported_only || sh.state.exported_functions.contains(n))
            .filter(|n| !readonly_only || sh.state.readonly_functions.contains(n))
            .cloned()
            .collect()
    } else {
        names.to_vec()
    };
    if names.is_empty() {
        wanted.sort();
    }
    let mut out = String::new();
    let mut status = 0;
    for name in &wanted {
        let Some(f) = sh.state.functions.get(name) else {
            if flags.print {
                // `declare -fp name` says so (bash); `declare -f` is quiet.
                sh.builtin_error(builtin, &format!("{name}: not found"), 1)?;
            }
            status = 1;
            continue;
        };
        let letters = function_letters(sh, name);
        if flags.function_names && names.is_empty() {
            out.push_str(&format!("declare -{letters} {name}\n"));
        } else if flags.function_names && sh.shopt_on("extdebug") {
            // bash: where it was defined.
            let file = match sh.state.function_files.get(name) {
                Some(file) if !file.is_empty() => file.clone(),
                _ => "main".to_string(),
            };
            out.push_str(&format!("{name} {} {file}\n", f.line));
        } else if flags.function_names {
            out.push_str(&format!("{name}\n"));
        } else {
            out.push_str(&crate::parser::unparse::function_definition(f));
            if !out.ends_with('\n') {
                out.push('\n');
            }
            if (exported_only || readonly_only) && names.is_empty() {
                out.push_str(&format!("declare -{letters} {name}\n"));
            }
        }
    }
    if !sh.print(builtin, &out)? {
        return Ok(1);
    }
    Ok(status)
}

/// `declare` / `declare -p` / `declare -x` without names: every variable
/// (with those attributes), sorted.
fn print_all(sh: &mut Shell, builtin: &str, flags: &Flags) -> Status {
    let dynamic = dynamic_arrays(sh);
    let dynamic = dynamic.iter().map(|(n, v)| (n.as_str(), v));
    let mut vars: Vec<(&str, &Var)> = sh
        .state
        .vars
        .iter()
        .chain(dynamic)
        .filter(|(_, v)| flags.export != Some(true) || v.exported)
        .filter(|(_, v)| !flags.readonly || v.readonly)
        .filter(|(_, v)| flags.nameref != Some(true) || v.nameref)
        .filter(|(_, v)| flags.integer != Some(true) || v.integer)
        .filter(|(_, v)| !flags.indexed || matches!(v.array, Some(Array::Indexed(_))))
        .filter(|(_, v)| !flags.assoc || matches!(v.array, Some(Array::Assoc(_))))
        .filter(|(_, v)| match flags.case {
            Some(Some(case)) => v.case == Some(case),
            _ => true,
        })
        .collect();
    vars.sort_by(|a, b| a.0.cmp(b.0));
    // Plain `declare` lists like `set`; with an option, as declarations.
    let plain = Flags {
        local: false,
        ..flags.clone()
    } == Flags::default();
    let out: String = vars
        .iter()
        .map(|(n, v)| match &v.value {
            Some(value) if plain => format!("{n}={}\n", crate::parser::unparse::quote_value(value)),
            None if plain => match &v.array {
                Some(array) if !v.unassigned => format!("{n}={}\n", array_literal(array)),
                _ => String::new(),
            },
            _ => declaration(n, v),
        })
        .collect();
    Ok(if sh.print(builtin, &out)? { 0 } else { 1 })
}

/// The arrays bash computes when they are read (the call stack, the
/// directory stack), as `declare` lists them; not those a script set.
fn dynamic_arrays(sh: &Shell) -> Vec<(String, Var)> {
    let names = [
        "BASH_ARGC",
        "BASH_ARGV",
        "BASH_LINENO",
        "BASH_SOURCE",
        "DIRSTACK",
        "FUNCNAME",
    ];
    names
        .into_iter()
        .filter(|name| sh.state.vars.var(name).is_none())
        .map(|name| {
            let values = sh.dynamic_array(name);
            let var = Var {
                unassigned: values.is_none() && name == "FUNCNAME",
                array: Some(Array::Indexed(
                    values.unwrap_or_default().into_iter().enumerate().collect(),
                )),
                ..Var::default()
            };
            (name.to_string(), var)
        })
        .collect()
}

/// `declare -p name…`.
fn print_named(sh: &mut Shell, builtin: &str, names: &[String]) -> Status {
    let mut out = String::new();
    let mut status = 0;
    let dynamic = dynamic_arrays(sh);
    for name in names {
        let computed = dynamic.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        match sh.state.vars.var(name).or(computed) {
            Some(v) => out.push_str(&declaration(name, v)),
            None => status = sh.builtin_error(builtin, &format!("{name}: not found"), 1)?,
        }
    }
    if !sh.print(builtin, &out)? {
        return Ok(1);
    }
    Ok(status)
}

/// One `declare -p` line: `declare -rx name="value"`.
pub fn declaration(name: &str, v: &Var) -> String {
    let letters = v.attribute_letters();
    let attrs = if letters.is_empty() {
        "--".to_string()
    } else {
        format!("-{letters}")
    };
    if let Some(array) = &v.array {
        if v.unassigned && array.is_empty() {
            return format!("declare {attrs} {name}\n");
        }
        return format!("declare {attrs} {name}={}\n", array_literal(array));
    }
    match &v.value {
        Some(value) => format!("declare {attrs} {name}={}\n", double_quote(value)),
        None => format!("declare {attrs} {name}\n"),
    }
}

/// An array as `declare -p` and `set` print it: `([0]="a" [1]="b")`.
pub fn array_literal(array: &Array) -> String {
    let keys = array.keys();
    let values = array.values();
    let pairs = keys
        .iter()
        .map(String::as_str)
        .zip(values.iter().map(String::as_str));
    crate::parser::unparse::array_literal(pairs, matches!(array, Array::Assoc(_)))
}

/// `let expr…`: status 0 when the last value is non-zero.
pub fn let_(sh: &mut Shell, argv: &[String]) -> Status {
    // A leading `--` ends the (absent) options; other words starting with
    // `-` are expressions (`let -1`).
    let exprs = match argv.get(1) {
        Some(first) if first == "--" => &argv[2..],
        _ => argv.get(1..).unwrap_or_default(),
    };
    if exprs.is_empty() {
        return sh.builtin_error("let", "expression expected", 1);
    }
    let mut last = 0;
    for expr in exprs {
        match crate::expand::arith_text(sh, expr) {
            Ok(v) => last = v,
            Err(e) => return sh.builtin_error("let", &e.to_string(), 1),
        }
    }
    Ok(if last == 0 { 1 } else { 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_quote_like_bash() {
        let v = Var {
            value: Some("a \"b\" $c".into()),
            exported: true,
            readonly: true,
            ..Var::default()
        };
        assert_eq!(declaration("x", &v), "declare -rx x=\"a \\\"b\\\" \\$c\"\n");
        assert_eq!(declaration("y", &Var::default()), "declare -- y\n");
    }

    #[test]
    fn plus_x_unexports_and_plus_r_is_noted() {
        let args = ["+x".to_string(), "v".to_string()];
        let (flags, rest) = parse_flags(&args).expect("valid");
        assert_eq!(flags.export, Some(false));
        assert_eq!(rest.len(), 1);
        // `+r` is refused name by name, for readonly ones only.
        let (flags, _) = parse_flags(&["+r".to_string()]).expect("valid");
        assert!(flags.unreadonly);
        let (flags, _) = parse_flags(&["-ni".to_string()]).expect("valid");
        assert_eq!((flags.nameref, flags.integer), (Some(true), Some(true)));
    }
}
