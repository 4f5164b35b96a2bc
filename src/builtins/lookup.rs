//! Name lookup builtins: `hash`, `type`, `command`, `alias`, `unalias`.

use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::simple::Target;

/// The options of one `hash` call.
#[derive(Default)]
struct HashOptions {
    /// `-r`: empty the cache first.
    clear: bool,
    /// `-d`: forget the names.
    delete: bool,
    /// `-l`: list as `builtin hash -p path name` (reusable input).
    portable: bool,
    /// `-t`: print where the names are cached.
    targets: bool,
    /// `-p path`: the names run `path`.
    path: Option<String>,
}

const HASH_USAGE: &str = "hash [-lr] [-p pathname] [-dt] [name ...]";

/// `hash [-lr] [-p path] [-dt] [name…]`: lists the cached commands (with
/// their spawn templates), clears the cache, or resolves, sets, forgets
/// or shows names in it, as bash's `hash`.
pub fn hash(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "dlp:rt") {
        Ok(parsed) => parsed,
        Err(e) => return sh.builtin_error("hash", &format!("{e}\nhash: usage: {HASH_USAGE}"), 2),
    };
    let mut o = HashOptions::default();
    for (c, value) in opts {
        match c {
            'r' => o.clear = true,
            'd' => o.delete = true,
            'l' => o.portable = true,
            't' => o.targets = true,
            _ => o.path = value,
        }
    }
    let names = &argv[1 + first..];
    if !sh.state.options.hashall {
        return sh.builtin_error("hash", "hashing disabled", 1);
    }
    if names.is_empty() && (o.delete || o.targets) {
        let letter = if o.delete { 'd' } else { 't' };
        let msg = format!("-{letter}: option requires an argument");
        return sh.builtin_error("hash", &msg, 1);
    }
    if names.is_empty() && !o.clear {
        return list_hashed(sh, o.portable);
    }
    if o.clear {
        sh.state.commands.clear();
    }
    if o.targets {
        return hashed_targets(sh, names, o.portable);
    }
    let mut status = 0;
    for name in names.iter().filter(|n| !n.contains('/')) {
        let failed = if let Some(path) = &o.path {
            hash_path(sh, name, path)?
        } else if o.delete {
            !sh.state.commands.remove(name)
                && sh.builtin_error("hash", &format!("{name}: not found"), 1)? != 0
        } else {
            !hash_name(sh, name) && sh.builtin_error("hash", &format!("{name}: not found"), 1)? != 0
        };
        if failed {
            status = 1;
        }
    }
    Ok(status)
}

/// `hash -p path name`: true when it failed (a directory).
fn hash_path(sh: &mut Shell, name: &str, path: &str) -> Result<bool, crate::exec::eval::Unwind> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        sh.builtin_error("hash", &format!("{path}: Is a directory"), 1)?;
        return Ok(true);
    }
    let path = crate::bytes::to_path(path).to_path_buf();
    sh.state.commands.insert_path(name, path);
    Ok(false)
}

/// `hash name`: looks `name` up again (builtins and functions need no
/// entry); false when it is not found.
fn hash_name(sh: &mut Shell, name: &str) -> bool {
    if sh.enabled_builtin(name).is_some() || sh.state.functions.contains_key(name) {
        return true;
    }
    let path_var = sh.state.vars.get("PATH").map(str::to_string);
    sh.state.commands.remove(name);
    sh.state
        .commands
        .resolve(name, path_var.as_deref(), true)
        .is_some()
}

/// `hash` / `hash -l` without names.
fn list_hashed(sh: &mut Shell, portable: bool) -> Status {
    let entries = sh.state.commands.entries();
    if entries.is_empty() {
        // bash 5.2 and later say nothing for `-l`.
        let out = if portable {
            ""
        } else {
            "hash: hash table empty\n"
        };
        return Ok(if sh.print("hash", out)? { 0 } else { 1 });
    }
    let mut out = String::new();
    if portable {
        for (name, r) in entries {
            out.push_str(&format!("builtin hash -p {} {name}\n", r.path.display()));
        }
        return Ok(if sh.print("hash", &out)? { 0 } else { 1 });
    }
    out.push_str("hits\tcommand\ttemplate\n");
    for (_, r) in entries {
        let template = if r.template.is_some() {
            "O_PATH fd"
        } else {
            "path"
        };
        out.push_str(&format!("{:4}\t{}\t{template}\n", r.hits, r.path.display()));
    }
    Ok(if sh.print("hash", &out)? { 0 } else { 1 })
}

/// `hash -t [-l] name…`: where each name is cached (with its name when
/// there are several, or as `builtin hash -p` with `-l`).
fn hashed_targets(sh: &mut Shell, names: &[String], portable: bool) -> Status {
    let mut status = 0;
    for name in names {
        let Some(path) = sh.state.commands.cached_path(name) else {
            status = sh.builtin_error("hash", &format!("{name}: not found"), 1)?;
            continue;
        };
        let path = path.display().to_string();
        let line = if portable {
            format!("builtin hash -p {path} {name}\n")
        } else if names.len() > 1 {
            format!("{name}\t{path}\n")
        } else {
            format!("{path}\n")
        };
        if !sh.print("hash", &line)? {
            status = 1;
        }
    }
    Ok(status)
}

/// How `type` and `command -v` describe a name.
enum Kind {
    Alias(String),
    Keyword,
    Function,
    Builtin,
    File(String),
    Missing,
}

const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done",
    "in", "function", "time", "{", "}", "!", "[[", "]]", "select",
];

fn kind_of(sh: &mut Shell, name: &str) -> Kind {
    if let Some(a) = sh.state.aliases.get(name) {
        return Kind::Alias(a.clone());
    }
    if KEYWORDS.contains(&name) {
        return Kind::Keyword;
    }
    match sh.classify(name) {
        Target::Function(_) => Kind::Function,
        Target::Special(_) | Target::Builtin(_) => Kind::Builtin,
        Target::External => {
            if name.contains('/') {
                return if crate::bytes::to_path(name).is_file() {
                    Kind::File(name.to_string())
                } else {
                    Kind::Missing
                };
            }
            let path_var = sh
                .ctx
                .lookup_path
                .as_deref()
                .map(str::to_string)
                .or_else(|| sh.state.vars.get("PATH").map(str::to_string));
            match crate::exec::lookup::search_path(name, path_var.as_deref()) {
                Some(p) => Kind::File(crate::bytes::decode_os(p.as_os_str())),
                None => Kind::Missing,
            }
        }
    }
}

/// The options of one `type` call.
#[derive(Debug, Clone, Copy, Default)]
struct TypeFlags {
    /// `-t`: one word per kind.
    terse: bool,
    /// `-a`: every kind and every file, not just the first.
    all: bool,
    /// `-p`: the file's path, and nothing for other kinds.
    path_only: bool,
    /// `-P`: search `PATH` even for builtins and functions.
    force_path: bool,
    /// `-f`: skip functions.
    no_functions: bool,
}

/// Everything `name` could mean, in lookup order (the first one is what
/// runs): alias, keyword, function, builtin, files.
fn meanings(sh: &mut Shell, name: &str, flags: TypeFlags) -> Vec<Kind> {
    let mut found = Vec::new();
    if !flags.force_path {
        if let Some(a) = sh.state.aliases.get(name) {
            found.push(Kind::Alias(a.clone()));
        }
        if KEYWORDS.contains(&name) {
            found.push(Kind::Keyword);
        }
        // The order commands are looked up in: special builtins come
        // before functions, other builtins after them.
        let builtin = sh.enabled_builtin(name);
        if builtin.is_some_and(|b| b.special) {
            found.push(Kind::Builtin);
        }
        if !flags.no_functions && sh.state.functions.contains_key(name) {
            found.push(Kind::Function);
        }
        if builtin.is_some_and(|b| !b.special) {
            found.push(Kind::Builtin);
        }
    }
    let wanted_files = flags.all || flags.force_path || found.is_empty();
    if wanted_files {
        if name.contains('/') {
            if crate::exec::lookup::is_executable_file(&crate::bytes::to_path(name)) {
                found.push(Kind::File(name.to_string()));
            }
        } else {
            let path_var = sh.state.vars.get("PATH").map(str::to_string);
            for p in crate::exec::lookup::executables_in_path(name, path_var.as_deref()) {
                found.push(Kind::File(crate::bytes::decode_os(p.as_os_str())));
            }
        }
    }
    if !flags.all {
        found.truncate(1);
    }
    found
}

/// `type [-afptP] name…`.
pub fn type_(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "afptP") {
        Ok(parsed) => parsed,
        Err(e) => {
            let msg = format!("{e}\ntype: usage: type [-afptP] name [name ...]");
            return sh.builtin_error("type", &msg, 2);
        }
    };
    let mut flags = TypeFlags::default();
    for (letter, _) in opts {
        match letter {
            't' => flags.terse = true,
            'a' => flags.all = true,
            'p' => flags.path_only = true,
            'P' => flags.force_path = true,
            _ => flags.no_functions = true,
        }
    }
    let names = &argv[1 + first..];
    let mut status = 0;
    let mut out = String::new();
    for name in names {
        let found = meanings(sh, name, flags);
        if found.is_empty() {
            status = 1;
            if !flags.terse && !flags.path_only && !flags.force_path {
                sh.report(&format!("type: {name}: not found"));
            }
            continue;
        }
        for kind in found {
            if let Some(line) = describe(sh, name, &kind, flags) {
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    Ok(if sh.print("type", &out)? { status } else { 1 })
}

/// One line of `type` output; `None` where `-p`/`-P` print nothing.
fn describe(sh: &Shell, name: &str, kind: &Kind, flags: TypeFlags) -> Option<String> {
    if flags.path_only || flags.force_path {
        return match kind {
            Kind::File(p) => Some(p.clone()),
            _ => None,
        };
    }
    let terse = flags.terse;
    Some(match (kind, terse) {
        (Kind::Alias(_), true) => "alias".to_string(),
        (Kind::Alias(v), false) => format!("{name} is aliased to `{v}'"),
        (Kind::Keyword, true) => "keyword".to_string(),
        (Kind::Keyword, false) => format!("{name} is a shell keyword"),
        (Kind::Function, true) => "function".to_string(),
        (Kind::Function, false) => function_description(sh, name),
        (Kind::Builtin, true) => "builtin".to_string(),
        (Kind::Builtin, false) => builtin_description(sh, name),
        (Kind::File(_), true) => "file".to_string(),
        (Kind::File(p), false) => format!("{name} is {p}"),
        (Kind::Missing, _) => return None,
    })
}

/// `NAME is a function` and its definition (`type`, `command -V`).
fn function_description(sh: &Shell, name: &str) -> String {
    let body = sh
        .state
        .functions
        .get(name)
        .map(|f| crate::parser::unparse::function_definition(f))
        .unwrap_or_default();
    format!("{name} is a function\n{}", body.trim_end())
}

/// `NAME is a shell builtin`; a special one says so in POSIX mode (bash).
fn builtin_description(sh: &Shell, name: &str) -> String {
    let special = sh.enabled_builtin(name).is_some_and(|b| b.special);
    if special && sh.state.options.posix {
        format!("{name} is a special shell builtin")
    } else {
        format!("{name} is a shell builtin")
    }
}

/// `command [-pVv] name [args…]`: runs a builtin or external command,
/// skipping functions and taking away a special builtin's power to end
/// the shell; `-v`/`-V` describe instead; `-p` looks up the default
/// `PATH`.
pub fn command(sh: &mut Shell, argv: &[String]) -> Status {
    let (opts, first) = match super::options::parse(&argv[1..], "pvV") {
        Ok(parsed) => parsed,
        Err(e) => {
            const USAGE: &str = "command: usage: command [-pVv] command [arg ...]";
            sh.report(&format!("command: {e}\n{USAGE}"));
            return Ok(2);
        }
    };
    let describe = opts.iter().rev().find_map(|(c, _)| match c {
        'v' => Some(false),
        'V' => Some(true),
        _ => None,
    });
    let lookup_path = opts
        .iter()
        .any(|(c, _)| *c == 'p')
        .then(|| std::sync::Arc::from(crate::sys::default_path()));
    let mut sh = sh.scoped(|c| c.lookup_path = lookup_path);
    let args = &argv[1 + first..];
    match describe {
        Some(verbose) => describe_commands(&mut sh, args, verbose),
        None => run_command(&mut sh, args),
    }
}

/// `command -v` / `command -V`.
fn describe_commands(sh: &mut Shell, args: &[String], verbose: bool) -> Status {
    let mut status = 0;
    let mut out = String::new();
    for name in args {
        match (kind_of(sh, name), verbose) {
            (Kind::Alias(v), false) => out.push_str(&format!("alias {name}={}\n", alias_quote(&v))),
            (Kind::Alias(v), true) => out.push_str(&format!("{name} is aliased to `{v}'\n")),
            (Kind::Keyword | Kind::Function | Kind::Builtin, false) => {
                out.push_str(&format!("{name}\n"))
            }
            (Kind::Keyword, true) => out.push_str(&format!("{name} is a shell keyword\n")),
            (Kind::Function, true) => {
                out.push_str(&function_description(sh, name));
                out.push('\n');
            }
            (Kind::Builtin, true) => {
                out.push_str(&builtin_description(sh, name));
                out.push('\n');
            }
            (Kind::File(p), false) => out.push_str(&format!("{p}\n")),
            (Kind::File(p), true) => out.push_str(&format!("{name} is {p}\n")),
            (Kind::Missing, _) => {
                status = 1;
                if verbose {
                    sh.report(&format!("command: {name}: not found"));
                }
            }
        }
    }
    // A failed write is a failure (POSIX, dash; bash says 0).
    Ok(if sh.print("command", &out)? {
        status
    } else {
        1
    })
}

/// `command name args…`: a builtin runs with its errors no longer fatal
/// (POSIX 2.14), anything else as an external command.
fn run_command(sh: &mut Shell, args: &[String]) -> Status {
    let Some(name) = args.first() else {
        return Ok(0);
    };
    if let Some(b) = sh.enabled_builtin(name) {
        return sh.scoped(|c| c.command_prefix = true).run_builtin(b, args);
    }
    match sh.start_external(args, &[], &[]) {
        Ok(child) => Ok(crate::jobs::wait_child(&child)),
        Err(e) => sh.fail(e),
    }
}

/// bash lists alias values in single quotes, always.
fn alias_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', "'\\''"))
}

/// `alias [name[=value]…]`.
pub fn alias(sh: &mut Shell, argv: &[String]) -> Status {
    let mut args = &argv[1..];
    let mut list_all = args.is_empty();
    while let Some(arg) = args.first().filter(|a| a.starts_with('-') && a.len() > 1) {
        args = &args[1..];
        match arg.as_str() {
            "--" => break,
            "-p" => list_all = true,
            _ => {
                let msg = format!(
                    "{}: invalid option\nalias: usage: alias [-p] [name[=value] ... ]",
                    &arg[..2]
                );
                return sh.builtin_error("alias", &msg, 2);
            }
        }
    }
    let mut status = 0;
    let mut out = String::new();
    if list_all {
        let mut all: Vec<(String, String)> = sh
            .state
            .aliases
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        all.sort();
        out = all.iter().map(|(k, v)| alias_line(sh, k, v)).collect();
    }
    for arg in args {
        match arg.split_once('=') {
            Some((name, _)) if !legal_alias_name(name) => {
                status = sh.builtin_error("alias", &format!("`{name}': invalid alias name"), 1)?;
            }
            Some((name, value)) => {
                std::sync::Arc::make_mut(&mut sh.state.aliases)
                    .insert(name.to_string(), value.to_string());
            }
            None => match sh.state.aliases.get(arg.as_str()) {
                Some(v) => out.push_str(&alias_line(sh, arg, v)),
                None => {
                    status = 1;
                    sh.report(&format!("alias: {arg}: not found"));
                }
            },
        }
    }
    // A failed write is a failure (POSIX, dash; bash says 0).
    Ok(if sh.print("alias", &out)? { status } else { 1 })
}

/// Whether `name` can be an alias (bash's `legal_alias_name`): no blanks,
/// operators, quotes, `$`, `` ` ``, `\\` or `/`.
fn legal_alias_name(name: &str) -> bool {
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || "|&;()<>'\"$`\\/".contains(c))
}

/// How `alias` lists one alias, in a form `eval` reads back: bash's
/// `alias name='value'`, or POSIX's `name='value'` in POSIX mode.
fn alias_line(sh: &Shell, name: &str, value: &str) -> String {
    let prefix = match (sh.state.options.posix, name.starts_with('-')) {
        (true, _) => "",
        (false, false) => "alias ",
        (false, true) => "alias -- ",
    };
    format!("{prefix}{name}={}\n", alias_quote(value))
}

/// `unalias [-a] name…`.
pub fn unalias(sh: &mut Shell, argv: &[String]) -> Status {
    let names: Vec<&String> = argv[1..].iter().filter(|a| a.as_str() != "--").collect();
    if names.is_empty() {
        return sh.builtin_usage("unalias", "unalias [-a] name [name ...]");
    }
    if argv.iter().any(|a| a == "-a") {
        std::sync::Arc::make_mut(&mut sh.state.aliases).clear();
        return Ok(0);
    }
    if let Some(option) = names.first().filter(|n| n.len() > 1 && n.starts_with('-')) {
        let msg = format!(
            "{}: invalid option\nunalias: usage: unalias [-a] name [name ...]",
            &option[..2]
        );
        return sh.builtin_error("unalias", &msg, 2);
    }
    let mut status = 0;
    for name in names {
        if std::sync::Arc::make_mut(&mut sh.state.aliases)
            .remove(name.as_str())
            .is_none()
        {
            status = 1;
            sh.report(&format!("unalias: {name}: not found"));
        }
    }
    Ok(status)
}
