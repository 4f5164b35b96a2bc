//! Running a completion specification: the matches of its actions, `-G`
//! pattern and `-W` words, then its `-F` function (called with the
//! `COMP_*` variables set, its `COMPREPLY` read back) or `-C` command,
//! filtered by `-X` and framed by `-P`/`-S` — bash's order.
//!
//! Which specification applies to a command follows bash with the
//! bash-completion package: the command's own, else the `-D` default; a
//! function that answers 124 has loaded a new specification, and the
//! lookup starts again. When nothing applies, pidsh looks itself where the
//! package's loader would: it reads the package's main file
//! (`bash-completion/bash_completion` under `$XDG_DATA_DIRS`) once, and
//! failing that a per-command file (`bash-completion/completions/NAME`).

use std::sync::Arc;

use super::words::{self, Split};
use super::{Options, Spec, actions};
use crate::exec::Shell;
use crate::exec::eval::Unwind;
use crate::exec::state::Array;
use crate::expand::pattern::{MatchOptions, Pattern};

/// The command line a specification completes (the current command only,
/// as `COMP_LINE`), with the cursor.
#[derive(Debug, Clone)]
pub struct Call {
    /// `COMP_LINE`.
    pub line: String,
    /// `COMP_POINT` (bytes).
    pub point: usize,
    /// `COMP_TYPE`: 9 for a completion, 63 for a listing (second Tab).
    pub kind: u8,
    /// The line split into `COMP_WORDS`.
    pub split: Split,
    /// `$1` of the function or command: the command word (`compgen -C`
    /// passes its own name).
    pub name: String,
}

impl Call {
    /// The call for `line` with the cursor at `point`, split by the
    /// shell's `COMP_WORDBREAKS`.
    pub fn new(sh: &Shell, line: &str, point: usize, kind: u8) -> Call {
        let breaks = sh
            .state
            .vars
            .get("COMP_WORDBREAKS")
            .unwrap_or(words::DEFAULT_WORDBREAKS);
        let split = words::split(line, point, breaks);
        Call {
            line: line.to_string(),
            point,
            kind,
            name: split.words.first().cloned().unwrap_or_default(),
            split,
        }
    }

    /// The command word (`COMP_WORDS[0]`).
    pub fn command(&self) -> &str {
        &self.name
    }

    fn previous(&self) -> &str {
        match self.split.cword.checked_sub(1) {
            Some(n) => &self.split.words[n],
            None => "",
        }
    }
}

/// What a specification produced.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// The matches, in the order produced.
    pub matches: Vec<String>,
    /// Its options, as `compopt` left them.
    pub options: Options,
    /// The function was interrupted (Ctrl-C).
    pub interrupted: bool,
}

/// Why a specification's function asked for another try.
const RETRY: i32 = 124;

/// The matches of `spec` for `word`; with a `call`, its function and
/// command run too (the interactive completer; `compgen -F` does not run
/// them). `Err` when the function asked for another try (124) or was
/// interrupted.
pub fn generate(
    sh: &mut Shell,
    spec: &Spec,
    word: &str,
    call: Option<&Call>,
) -> Result<Vec<String>, Unwind> {
    let mut out = Vec::new();
    for action in &spec.actions {
        out.extend(actions::generate(sh, *action, word));
    }
    if let Some(pattern) = &spec.glob {
        out.extend(glob(sh, pattern));
    }
    if let Some(list) = &spec.words {
        out.extend(
            word_list(sh, list)
                .into_iter()
                .filter(|w| w.starts_with(word)),
        );
    }
    if let Some(call) = call {
        if let Some(function) = &spec.function {
            out.extend(run_function(sh, function, call)?);
        }
        if let Some(command) = &spec.command {
            out.extend(run_command(sh, command, call));
        }
    }
    if let Some(filter) = &spec.filter {
        out = apply_filter(sh, out, filter, word);
    }
    let (prefix, suffix) = (
        spec.prefix.as_deref().unwrap_or(""),
        spec.suffix.as_deref().unwrap_or(""),
    );
    if !prefix.is_empty() || !suffix.is_empty() {
        out = out
            .into_iter()
            .map(|m| format!("{prefix}{m}{suffix}"))
            .collect();
    }
    Ok(out)
}

fn matching(sh: &Shell, leading_dot: bool) -> MatchOptions {
    MatchOptions {
        extglob: sh.shopt_on("extglob"),
        nocase: false,
        leading_dot,
    }
}

fn glob(sh: &Shell, pattern: &str) -> Vec<String> {
    let prefix = sh.cwd_prefix();
    crate::expand::glob::expand(pattern, prefix.as_deref(), matching(sh, true), false)
}

/// The words of a `-W` list: split at `IFS` characters outside quotes,
/// then each expanded as a word (parameters, command substitution,
/// splitting of what they produce, quote removal), as bash does.
pub fn word_list(sh: &mut Shell, list: &str) -> Vec<String> {
    let ifs = sh.state.vars.get("IFS").unwrap_or(" \t\n").to_string();
    let mut out = Vec::new();
    for piece in split_unquoted(list, &ifs) {
        let Ok(program) = crate::parser::parse_program(&format!(": {piece}\n")) else {
            continue;
        };
        let Some(item) = program.items.first() else {
            continue;
        };
        let Some(crate::parser::ast::Command::Simple(simple)) = item.and_or.first.commands.first()
        else {
            continue;
        };
        out.extend(crate::expand::expand_words(sh, &simple.words[1..]).unwrap_or_default());
    }
    out
}

/// `text` cut at the characters of `ifs` that stand outside quotes; a
/// blank left inside a piece (not in `IFS`) gets a backslash, so that the
/// piece stays one word when parsed.
fn split_unquoted(text: &str, ifs: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    // Nesting of `$(`, `${` and `(`: a blank inside is part of the word.
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '$') if matches!(chars.peek(), Some('(' | '{')) => {
                current.push(c);
                current.extend(chars.next());
                depth += 1;
            }
            (None, '(') if depth > 0 => {
                depth += 1;
                current.push(c);
            }
            (None, ')' | '}') if depth > 0 => {
                depth -= 1;
                current.push(c);
            }
            (None, c) if depth > 0 => current.push(c),
            (None | Some('"'), '\\') => {
                current.push(c);
                current.extend(chars.next());
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, c) if ifs.contains(c) => {
                if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
            }
            (None, ' ' | '\t' | '\n') => {
                current.push('\\');
                current.push(c);
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// `-X`: `&` stands for the word being completed (`\&` for itself); a
/// leading `!` keeps the matches instead of removing them.
fn apply_filter(sh: &Shell, matches: Vec<String>, filter: &str, word: &str) -> Vec<String> {
    let (keep, filter) = match filter.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, filter),
    };
    let mut text = String::new();
    let mut chars = filter.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.as_str().starts_with('&') => {
                chars.next();
                text.push('&');
            }
            '&' => text.push_str(&crate::expand::pattern::escape(word)),
            c => text.push(c),
        }
    }
    let pattern = Pattern::with_options(&text, matching(sh, false));
    matches
        .into_iter()
        .filter(|m| pattern.matches(m) == keep)
        .collect()
}

fn set_comp_variables(sh: &mut Shell, call: &Call, export: bool) {
    let words: std::collections::BTreeMap<usize, String> =
        call.split.words.iter().cloned().enumerate().collect();
    let _ = sh.state.vars.set_array("COMP_WORDS", Array::Indexed(words));
    let scalars = [
        ("COMP_LINE", call.line.clone()),
        (
            "COMP_POINT",
            call.line[..call.point].chars().count().to_string(),
        ),
        ("COMP_CWORD", call.split.cword.to_string()),
        ("COMP_TYPE", call.kind.to_string()),
        ("COMP_KEY", "9".to_string()),
    ];
    for (name, value) in scalars {
        let _ = sh.state.vars.set(name, value);
        if export {
            sh.state.vars.export(name);
        }
    }
}

fn unset_comp_variables(sh: &mut Shell) {
    for name in [
        "COMP_WORDS",
        "COMP_LINE",
        "COMP_POINT",
        "COMP_CWORD",
        "COMP_TYPE",
        "COMP_KEY",
    ] {
        let _ = sh.state.vars.unset(name);
    }
}

/// Calls a `-F` function as bash does (`$1` the command, `$2` the word,
/// `$3` the word before) and returns its `COMPREPLY`.
fn run_function(sh: &mut Shell, name: &str, call: &Call) -> Result<Vec<String>, Unwind> {
    let Some(function) = sh.state.functions.get(name).cloned() else {
        return Ok(Vec::new());
    };
    set_comp_variables(sh, call, false);
    let _ = sh.state.vars.unset("COMPREPLY");
    let args = vec![
        call.command().to_string(),
        call.split.current.clone(),
        call.previous().to_string(),
    ];
    let result = sh.call_function(&function, args);
    let reply = match sh.state.vars.array("COMPREPLY") {
        Some(array) => array.values(),
        None => sh
            .state
            .vars
            .get("COMPREPLY")
            .map(|v| vec![v.to_string()])
            .unwrap_or_default(),
    };
    let _ = sh.state.vars.unset("COMPREPLY");
    unset_comp_variables(sh);
    match result {
        Ok(RETRY) => Err(Unwind::Return(RETRY)),
        Err(Unwind::Interrupt(sig)) => Err(Unwind::Interrupt(sig)),
        _ => Ok(reply),
    }
}

/// Runs a `-C` command (`$1 $2 $3` as for a function, the `COMP_*`
/// variables in its environment); each line of its output is a match.
pub fn run_command(sh: &mut Shell, command: &str, call: &Call) -> Vec<String> {
    use crate::parser::unparse::quote;
    let source = format!(
        "{command} {} {} {}\n",
        quote(call.command()),
        quote(&call.split.current),
        quote(call.previous())
    );
    let Ok(body) = crate::parser::parse_program(&source) else {
        return Vec::new();
    };
    set_comp_variables(sh, call, true);
    let output = sh.capture_output(&body);
    unset_comp_variables(sh);
    match output {
        Ok((text, _)) => text.lines().map(str::to_string).collect(),
        Err(_) => Vec::new(),
    }
}

/// Completes the word at the cursor as an argument of `call`'s command by
/// its specification; `None` when no specification applies.
pub fn complete_arguments(sh: &mut Shell, call: &Call) -> Option<Answer> {
    load_main_file(sh);
    let command = call.command().to_string();
    let mut own_loader_tried = false;
    for _ in 0..4 {
        let spec = match sh.completion.for_command(&command) {
            Some(spec) => spec.clone(),
            None => match sh.completion.table.special.get(&super::Special::Default) {
                Some(spec) => spec.clone(),
                None if !own_loader_tried => {
                    own_loader_tried = true;
                    if load_command_file(sh, &command) {
                        continue;
                    }
                    return None;
                }
                None => return None,
            },
        };
        sh.completion.running = Some(spec.options);
        let result = generate(sh, &spec, &call.split.current, Some(call));
        let options = sh.completion.running.take().unwrap_or(spec.options);
        match result {
            Ok(matches) => {
                return Some(Answer {
                    matches,
                    options,
                    interrupted: false,
                });
            }
            Err(Unwind::Return(RETRY)) => continue,
            Err(_) => {
                return Some(Answer {
                    interrupted: true,
                    ..Answer::default()
                });
            }
        }
    }
    None
}

/// Completes by the special specification `which` (`-E` for an empty
/// line, `-I` for a command word); `None` when it is not set.
pub fn complete_special(sh: &mut Shell, call: &Call, which: super::Special) -> Option<Answer> {
    let spec = sh.completion.table.special.get(&which)?.clone();
    sh.completion.running = Some(spec.options);
    let result = generate(sh, &spec, &call.split.current, Some(call));
    let options = sh.completion.running.take().unwrap_or(spec.options);
    Some(match result {
        Ok(matches) => Answer {
            matches,
            options,
            interrupted: false,
        },
        Err(_) => Answer {
            interrupted: true,
            ..Answer::default()
        },
    })
}

/// The directories completion files are looked for in: the user's
/// (`$BASH_COMPLETION_USER_DIR`, else `$XDG_DATA_HOME/bash-completion`),
/// then `bash-completion` under each of `$XDG_DATA_DIRS`.
fn data_dirs(sh: &Shell) -> Vec<String> {
    let mut dirs = Vec::new();
    let user = sh
        .state
        .vars
        .get("BASH_COMPLETION_USER_DIR")
        .map(str::to_string)
        .or_else(|| {
            sh.state
                .vars
                .get("XDG_DATA_HOME")
                .map(|d| format!("{d}/bash-completion"))
        })
        .or_else(|| {
            sh.state
                .vars
                .get("HOME")
                .map(|h| format!("{h}/.local/share/bash-completion"))
        });
    dirs.extend(user);
    let system = sh
        .state
        .vars
        .get("XDG_DATA_DIRS")
        .filter(|d| !d.is_empty())
        .unwrap_or("/usr/local/share:/usr/share");
    dirs.extend(
        system
            .split(':')
            .filter(|d| !d.is_empty())
            .map(|d| format!("{d}/bash-completion")),
    );
    dirs
}

/// Reads the bash-completion package's main file the first time a
/// completion needs it (bash users source it from their `.bashrc`; pidsh
/// reads it on demand, so that a shell that never completes never pays
/// for it). Not when a `-D` specification is already set: the user has a
/// loader of their own.
fn load_main_file(sh: &mut Shell) {
    if sh.completion.main_file_tried {
        return;
    }
    sh.completion.main_file_tried = true;
    if sh
        .completion
        .table
        .special
        .contains_key(&super::Special::Default)
        || sh.state.vars.get("BASH_COMPLETION_VERSINFO").is_some()
    {
        return;
    }
    let found = data_dirs(sh)
        .into_iter()
        .skip(1)
        .map(|d| format!("{d}/bash_completion"))
        .find(|f| std::path::Path::new(f).is_file());
    if let Some(file) = found {
        source(sh, &file);
    }
}

fn source(sh: &mut Shell, file: &str) {
    let quoted = crate::parser::unparse::quote(file);
    let _ = sh.run_source_text(&format!(". {quoted}\n"));
}

/// bash-completion's lazy loading for one command, done by pidsh when the
/// package's loader is not there: the first of `NAME`, `NAME.bash` and
/// `_NAME` in a `completions` directory is read. Whether a specification
/// for the command exists afterwards.
fn load_command_file(sh: &mut Shell, command: &str) -> bool {
    let name = command.rsplit('/').next().unwrap_or(command);
    if name.is_empty() || name.starts_with('.') {
        return false;
    }
    for dir in data_dirs(sh) {
        for file in [name.to_string(), format!("{name}.bash"), format!("_{name}")] {
            let path = format!("{dir}/completions/{file}");
            if std::path::Path::new(&path).is_file() {
                source(sh, &path);
                return sh.completion.for_command(command).is_some();
            }
        }
    }
    false
}

/// Whether the bash-completion package's main file was read.
pub fn main_file_loaded(sh: &Shell) -> bool {
    sh.state.vars.get("BASH_COMPLETION_VERSINFO").is_some()
}

/// The function table of `from` when it differs from `to`'s: what a
/// completion defined (functions sourced by a loader) stays for the next.
pub fn keep_functions(to: &mut Shell, from: &Shell) {
    if !Arc::ptr_eq(&to.state.functions, &from.state.functions) {
        to.state.functions = from.state.functions.clone();
        to.state.functions_version = from.state.functions_version;
    }
}
