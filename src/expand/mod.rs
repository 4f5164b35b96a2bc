//! Word expansion (POSIX XCU 2.6): tilde, parameters, command substitution,
//! arithmetic, field splitting, pathname expansion and quote removal.
//!
//! Knows nothing of spawning: command substitution and variables are
//! reached through the [`ExpandEnv`] trait, which the evaluator implements.

pub mod arith;
mod brace;
pub mod glob;
mod param;
pub mod pattern;
pub mod regex;
mod split;

use std::fmt;
use std::sync::Arc;

use crate::parser::ast::{List, Word, WordPart};

pub use param::{evaluate_text as arith_text, is_name};
pub use split::Piece;

/// What expansion needs from the shell.
pub trait ExpandEnv {
    /// A variable's value, if set.
    fn var(&self, name: &str) -> Option<String>;
    /// Assigns a variable (`${x:=w}`, arithmetic).
    fn set_var(&mut self, name: &str, value: String) -> Result<(), String>;
    /// `$1 …`.
    fn positional(&self) -> Vec<String>;
    /// `$n` (1-based), without copying the others.
    fn positional_at(&self, n: usize) -> Option<String>;
    /// `$#`.
    fn positional_count(&self) -> usize;
    /// `$0`.
    fn arg0(&self) -> String;
    /// The elements of an array variable (`None`: not an array).
    fn array_values(&self, name: &str) -> Option<Vec<String>>;
    /// The indices or keys of an array variable (`None`: not an array).
    fn array_keys(&self, name: &str) -> Option<Vec<String>>;
    /// `${#name[@]}`: the number of elements of an array, without listing
    /// them.
    fn array_len(&self, name: &str) -> Option<usize> {
        self.array_values(name).map(|v| v.len())
    }
    /// An array's indices or keys with their values, in order, and whether
    /// it is associative (`None`: not an array): `${a[@]@K}`, and slices
    /// of sparse arrays, which count indices.
    fn array_pairs(&self, _name: &str) -> Option<(Vec<(String, String)>, bool)> {
        None
    }
    /// Whether `name` is an associative array (its subscripts are strings).
    fn is_assoc(&self, name: &str) -> bool;
    /// `${name[i]}` of an indexed array (or of a scalar: index 0).
    fn element_by_index(&self, name: &str, index: i64) -> Option<String>;
    /// `${name[key]}` of an associative array.
    fn element_by_key(&self, name: &str, key: &str) -> Option<String>;
    /// Assigns `name[index]` (arithmetic on an indexed array or a scalar).
    fn set_element_by_index(&mut self, name: &str, index: i64, value: String)
    -> Result<(), String>;
    /// Assigns `name[key]` of an associative array.
    fn set_element_by_key(&mut self, name: &str, key: &str, value: String) -> Result<(), String>;
    /// `${x@P}`: a string expanded as a prompt.
    fn render_prompt(&mut self, text: &str) -> String {
        text.to_string()
    }
    /// `${x@a}`: the variable's attribute letters (`declare -p` order).
    fn attribute_letters(&self, _name: &str) -> String {
        String::new()
    }
    /// `$IFS`, or the default `" \t\n"` when it is unset (asked once per
    /// word: no copy).
    fn ifs(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.var("IFS").unwrap_or_else(|| " \t\n".to_string()))
    }
    /// The variable a nameref (`declare -n`) stands for: `${!ref}`.
    fn nameref_target(&self, _name: &str) -> Option<String> {
        None
    }
    /// All variable names, for `${!prefix*}`.
    fn variable_names(&self) -> Vec<String>;
    /// `shopt` options that change pattern matching and pathname expansion.
    fn glob_options(&self) -> GlobOptions {
        GlobOptions::default()
    }
    /// Where relative paths resolve when the context has a directory of its
    /// own (`/proc/self/fd/N`); `None`: the process's directory.
    fn cwd_prefix(&self) -> Option<String>;
    /// `$?`, `$-`, `$$`, `$!` (and `$LINENO`-like specials): `None` when unset.
    fn special(&self, name: char) -> Option<String>;
    /// Runs `$(…)`: its standard output, trailing newlines removed. The
    /// body comes as the syntax tree holds it, so that what is learnt
    /// about it can be kept for the next time it runs.
    fn command_substitution(&mut self, body: &Arc<List>) -> Result<String, ExpandError>;
    /// Runs `${ list; }` in this shell: its standard output, trailing
    /// newlines removed; with `reply`, what it left in `REPLY`.
    fn function_substitution(&mut self, body: &List, reply: bool) -> Result<String, ExpandError> {
        let _ = (body, reply);
        Err(ExpandError::new("${ list; } is not supported here"))
    }
    /// Starts `<(…)` (`input`) or `>(…)` concurrently; the `/dev/fd/N` path
    /// the command sees.
    fn process_substitution(&mut self, body: &List, input: bool) -> Result<String, ExpandError> {
        let _ = (body, input);
        Err(ExpandError::new(
            "process substitution is not supported here",
        ))
    }
    /// `set -u`.
    fn nounset(&self) -> bool;
    /// `set -B` (on unless turned off): brace expansion.
    fn brace_expansion(&self) -> bool {
        true
    }
    /// `set -f`.
    fn noglob(&self) -> bool;
    /// The directory stack as `dirs` lists it, `$PWD` first: `~N`.
    fn directory_stack(&self) -> Vec<String> {
        Vec::new()
    }
    /// A user's home directory, for `~user`.
    fn home_of(&self, user: &str) -> Option<String>;
}

/// How patterns are matched and pathname expansion treats them (bash's
/// `shopt` options).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GlobOptions {
    /// `nullglob`: a pattern that matches nothing expands to nothing.
    pub nullglob: bool,
    /// `failglob`: a pattern that matches nothing is an error.
    pub failglob: bool,
    /// `dotglob`: wildcards match names starting with `.` (not `.`/`..`).
    pub dotglob: bool,
    /// `extglob`: `?(…)`, `*(…)`, `+(…)`, `@(…)`, `!(…)` in patterns.
    pub extglob: bool,
    /// `nocaseglob`: file names match regardless of case.
    pub nocaseglob: bool,
    /// `nocasematch`: `case`, `[[ ]]` and `${x/p/r}` match regardless of case.
    pub nocasematch: bool,
    /// `globstar`: a path component `**` matches any depth of directories.
    pub globstar: bool,
    /// `patsub_replacement`: an unquoted `&` in the replacement of
    /// `${x/p/r}` stands for the text matched.
    pub patsub_replacement: bool,
}

impl GlobOptions {
    /// How patterns of `case` and `${x#p}` match (`nocase` as given).
    pub fn matching(&self, nocase: bool) -> pattern::MatchOptions {
        pattern::MatchOptions {
            extglob: self.extglob,
            nocase,
            leading_dot: false,
        }
    }
}

/// An expansion failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// The message, e.g. `x: parameter not set`.
    pub message: String,
    /// The exit status it carries.
    pub status: i32,
    /// Ends a non-interactive shell in every mode (`${x:?}`, `set -u`);
    /// bash survives the others outside POSIX mode.
    pub fatal: bool,
}

impl ExpandError {
    /// An error with status 1.
    pub fn new(message: impl Into<String>) -> ExpandError {
        ExpandError {
            message: message.into(),
            status: 1,
            fatal: false,
        }
    }

    /// An error with status 1 that ends a non-interactive shell even in
    /// bash's mode: an unset parameter under `${x:?}` or `set -u`.
    pub fn fatal(message: impl Into<String>) -> ExpandError {
        ExpandError {
            fatal: true,
            ..ExpandError::new(message)
        }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// Expands command words into fields: all expansions, field splitting,
/// pathname expansion, quote removal.
pub fn expand_words(env: &mut dyn ExpandEnv, words: &[Word]) -> Result<Vec<String>, ExpandError> {
    let mut out = Vec::new();
    let braces = env.brace_expansion();
    for word in words {
        let expanded = if braces { brace::expand(word)? } else { None };
        match expanded {
            Some(expanded) => {
                for w in &expanded {
                    expand_word_into(env, w, &mut out)?;
                }
            }
            None => expand_word_into(env, word, &mut out)?,
        }
    }
    Ok(out)
}

/// Expands one word into zero or more fields.
pub fn expand_word_into(
    env: &mut dyn ExpandEnv,
    word: &Word,
    out: &mut Vec<String>,
) -> Result<(), ExpandError> {
    // Fast path: plain text that can be neither split nor a pattern.
    if let [WordPart::Literal(text) | WordPart::Quoted(text)] = word.parts.as_slice()
        && (matches!(word.parts[0], WordPart::Quoted(_)) || !could_be_pattern(text))
    {
        out.push(text.clone());
        return Ok(());
    }
    if let Some(value) = lone_variable_value(env, word) {
        let ifs = env.ifs();
        if !value.is_empty()
            && !value.contains(|c| ifs.contains(c))
            && (env.noglob() || !could_be_pattern(&value))
        {
            out.push(value);
            return Ok(());
        }
        for field in split::split_fields(&[Piece::expanded(value)], &ifs) {
            glob_field(env, &field, out)?;
        }
        return Ok(());
    }
    let mut groups = param::expand_parts(env, &word.parts, false)?;
    let ifs = env.ifs();
    // Fast path: one piece that stays one field as it is (`$i`, `"$x"`).
    if let [group] = groups.as_mut_slice()
        && let [piece] = group.as_mut_slice()
        && (piece.quoted || !piece.text.is_empty())
        && (!piece.split || !piece.text.contains(|c| ifs.contains(c)))
        && (piece.quoted || env.noglob() || !could_be_pattern(&piece.text))
    {
        out.push(std::mem::take(&mut piece.text));
        return Ok(());
    }
    for group in groups {
        for field in split::split_fields(&group, &ifs) {
            glob_field(env, &field, out)?;
        }
    }
    Ok(())
}

/// The value of a word that is one unquoted `$name` of a set variable,
/// read once (`$RANDOM` changes with each read): what the general
/// expansion would make one expanded piece of, without its groups.
fn lone_variable_value(env: &mut dyn ExpandEnv, word: &Word) -> Option<String> {
    let [WordPart::Param(p)] = word.parts.as_slice() else {
        return None;
    };
    let plain = p.op == crate::parser::ast::ParamOp::Plain && p.index.is_none() && !p.indirect;
    if !plain || !is_name(&p.name) {
        return None;
    }
    env.var(&p.name)
}

/// Whether unquoted text could match other names as a pattern: `*`, `?`,
/// an extglob group's `(`, or a `[` that a `]` may close (`[` alone, as in
/// `[ -f x ]`, cannot).
fn could_be_pattern(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(|&b| b == b'*' || b == b'?' || b == b'(')
        || bytes
            .iter()
            .position(|&b| b == b'[')
            .is_some_and(|i| bytes[i..].contains(&b']'))
}

/// Expands a word to one string: no field splitting, no pathname expansion
/// (assignments, redirection targets, `case` subjects, here-strings).
pub fn expand_string(env: &mut dyn ExpandEnv, word: &Word) -> Result<String, ExpandError> {
    match word.parts.as_slice() {
        [WordPart::Literal(text) | WordPart::Quoted(text)] => return Ok(text.clone()),
        // `i=$((i + 1))`: the number, without pieces to join.
        [WordPart::Arith(expr)] => return Ok(param::eval_arith(env, expr)?.to_string()),
        _ => {}
    }
    let groups = param::expand_parts(env, &word.parts, false)?;
    if groups.iter().any(|g| g.first().is_some_and(|p| p.star)) {
        return Ok(join_star_groups(&groups, &param::star_separator(env)));
    }
    Ok(join_groups(&groups, " "))
}

/// Joins groups where nothing is split: `$*`'s fields with `star_sep`,
/// others (`$@`'s) with a space, as bash does.
fn join_star_groups(groups: &[Vec<Piece>], star_sep: &str) -> String {
    let mut out = String::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            let star = group.first().is_some_and(|p| p.star);
            out.push_str(if star { star_sep } else { " " });
        }
        for piece in group {
            out.push_str(&piece.text);
        }
    }
    out
}

/// Expands parts as inside double quotes (here-document bodies).
pub fn expand_quoted_parts(
    env: &mut dyn ExpandEnv,
    parts: &[WordPart],
) -> Result<String, ExpandError> {
    let groups = param::expand_parts(env, parts, true)?;
    Ok(join_groups(&groups, " "))
}

/// Expands a word into a pattern text: quoted characters are escaped with
/// a backslash so that [`pattern::Pattern`] matches them literally.
pub fn expand_pattern(env: &mut dyn ExpandEnv, word: &Word) -> Result<String, ExpandError> {
    let groups = param::expand_parts(env, &word.parts, false)?;
    let mut out = String::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            // `$*` joins with IFS's first character, unquoted: a pattern
            // character there matches (bash).
            match group.first() {
                Some(p) if p.star => out.push_str(&param::star_separator(env)),
                _ => out.push(' '),
            }
        }
        for piece in group {
            if piece.quoted {
                out.push_str(&pattern::escape(&piece.text));
            } else {
                out.push_str(&piece.text);
            }
        }
    }
    Ok(out)
}

/// Expands the right side of `=~` into an extended regex: characters
/// quoted in the source match literally (see [`regex::quote`]); the text
/// of unquoted expansions is regex syntax.
pub fn expand_regex(env: &mut dyn ExpandEnv, word: &Word) -> Result<String, ExpandError> {
    let groups = param::expand_parts(env, &word.parts, false)?;
    let mut chars = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            chars.push((' ', true));
        }
        for piece in group {
            chars.extend(piece.text.chars().map(|c| (c, piece.quoted)));
        }
    }
    Ok(regex::quote(&chars))
}

fn join_groups(groups: &[Vec<Piece>], sep: &str) -> String {
    let mut out = String::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        for piece in group {
            out.push_str(&piece.text);
        }
    }
    out
}

/// Pathname expansion of one field, or its quote-removed text.
fn glob_field(
    env: &dyn ExpandEnv,
    field: &[Piece],
    out: &mut Vec<String>,
) -> Result<(), ExpandError> {
    let plain: String = field.iter().map(|p| p.text.as_str()).collect();
    let options = env.glob_options();
    let specials: &[char] = if options.extglob {
        &['*', '?', '[', '(']
    } else {
        &['*', '?', '[']
    };
    let active = !env.noglob() && field.iter().any(|p| !p.quoted && p.text.contains(specials));
    if !active {
        out.push(plain);
        return Ok(());
    }
    let mut pattern = String::new();
    for piece in field {
        if piece.quoted {
            pattern.push_str(&pattern::escape(&piece.text));
        } else {
            pattern.push_str(&piece.text);
        }
    }
    let matching = pattern::MatchOptions {
        extglob: options.extglob,
        nocase: options.nocaseglob,
        leading_dot: !options.dotglob,
    };
    // `[` alone (as in `[ -f x ]`) is no bracket expression: no directory
    // needs reading for a pattern that can only match itself.
    if pattern::Pattern::with_options(&pattern, matching).is_literal() {
        out.push(plain);
        return Ok(());
    }
    let prefix = env.cwd_prefix();
    let matches = glob::expand(&pattern, prefix.as_deref(), matching, options.globstar);
    if !matches.is_empty() {
        out.extend(matches);
    } else if options.failglob {
        return Err(ExpandError::new(format!("no match: {plain}")));
    } else if !options.nullglob {
        out.push(plain);
    }
    Ok(())
}

/// `a["k"]` → `a[k]`: the quotes of a subscript written in a `declare`
/// argument, or of an associative array's key in arithmetic
/// (`(( x = A['k'] ))`), are removed.
pub fn unquote_subscript(element: &str) -> String {
    let mut out = String::with_capacity(element.len());
    let mut quote = None;
    for c in element.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (_, c) => out.push(c),
        }
    }
    out
}
