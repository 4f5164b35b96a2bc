//! Expansion of word parts into groups of pieces: parameters (every POSIX
//! `${…}` form and the common bash ones), command substitution, arithmetic
//! and tilde. Groups are separated where `"$@"` separates fields.

use crate::parser::ast::{ParamExp, ParamOp, ReplaceMode, Word, WordPart};
use crate::parser::unparse;

use super::arith::{self, ArithVars, Subscript};
use super::pattern::{MatchOptions, Pattern};
use super::split::Piece;
use super::{ExpandEnv, ExpandError, expand_pattern};

/// Expanded pieces, grouped into the fields `"$@"` forces.
pub(super) type Groups = Vec<Vec<Piece>>;

struct Builder {
    groups: Groups,
    quoted: bool,
    /// A quoted `"$@"` (or `"${a[@]}"`) gave no fields.
    vanished_at: bool,
    /// Unquoted `$@` gives one value, its fields joined by spaces (in
    /// the word of `${x-word}` when IFS is not null, as bash does).
    join_at: bool,
}

impl Builder {
    fn new(quoted: bool) -> Builder {
        Builder {
            groups: vec![Vec::new()],
            quoted,
            vanished_at: false,
            join_at: false,
        }
    }

    fn push(&mut self, piece: Piece) {
        if let Some(last) = self.groups.last_mut() {
            last.push(piece);
        }
    }

    fn push_value(&mut self, text: String) {
        let piece = if self.quoted {
            Piece::quoted(text)
        } else {
            Piece::expanded(text)
        };
        self.push(piece);
    }

    fn break_group(&mut self) {
        self.groups.push(Vec::new());
    }

    fn append(&mut self, mut other: Groups) {
        if other.is_empty() {
            return;
        }
        let first = other.remove(0);
        if let Some(last) = self.groups.last_mut() {
            last.extend(first);
        }
        self.groups.extend(other);
    }
}

/// Expands `parts`; `quoted` means inside double quotes.
pub(super) fn expand_parts(
    env: &mut dyn ExpandEnv,
    parts: &[WordPart],
    quoted: bool,
) -> Result<Groups, ExpandError> {
    Ok(expand_parts_noting_at(env, parts, quoted)?.groups)
}

/// `"…"`: its pieces, or none at all when a `"$@"` in it gave no fields
/// and the rest is empty too (bash: `"$x$@"` with no positional
/// parameters and `x` empty is no word).
fn expand_double_quoted(
    env: &mut dyn ExpandEnv,
    inner: &[WordPart],
) -> Result<Groups, ExpandError> {
    let b = expand_parts_noting_at(env, inner, true)?;
    let empty = || b.groups.iter().flatten().all(|p| p.text.is_empty());
    if b.vanished_at && b.groups.len() == 1 && empty() {
        return Ok(vec![Vec::new()]);
    }
    Ok(b.groups)
}

fn expand_parts_noting_at(
    env: &mut dyn ExpandEnv,
    parts: &[WordPart],
    quoted: bool,
) -> Result<Builder, ExpandError> {
    expand_into(env, parts, Builder::new(quoted))
}

/// The word of `${x-word}` / `${x+word}`: unquoted, its `$@` is one
/// value joined by spaces unless IFS is null (bash: with `IFS=:`,
/// `${x-$@}` is one field).
fn expand_param_word(
    env: &mut dyn ExpandEnv,
    parts: &[WordPart],
    quoted: bool,
) -> Result<Groups, ExpandError> {
    let mut b = Builder::new(quoted);
    b.join_at = !quoted && !env.ifs().is_empty();
    Ok(expand_into(env, parts, b)?.groups)
}

fn expand_into(
    env: &mut dyn ExpandEnv,
    parts: &[WordPart],
    mut b: Builder,
) -> Result<Builder, ExpandError> {
    let quoted = b.quoted;
    for part in parts {
        match part {
            WordPart::Literal(s) if quoted => b.push(Piece::quoted(s.clone())),
            WordPart::Literal(s) => b.push(Piece::literal(s.clone())),
            WordPart::Quoted(s) => b.push(Piece::quoted(s.clone())),
            WordPart::DoubleQuoted(inner) => {
                if inner.is_empty() {
                    b.push(Piece::quoted(""));
                } else {
                    b.append(expand_double_quoted(env, inner)?);
                }
            }
            WordPart::Param(p) => expand_param(env, p, &mut b)?,
            WordPart::CommandSub(list) => {
                let text = env.command_substitution(list)?;
                b.push_value(text);
            }
            WordPart::FunSub(list, reply) => {
                let text = env.function_substitution(list, *reply)?;
                b.push_value(text);
            }
            WordPart::Arith(expr) => {
                let value = eval_arith(env, expr)?;
                b.push_value(value.to_string());
            }
            WordPart::Tilde(user) => {
                let home = tilde_prefix(env, user);
                match home {
                    Some(h) => b.push(Piece::quoted(h)),
                    None => b.push(Piece::literal(format!("~{user}"))),
                }
            }
            WordPart::ProcessSub(body, input) => {
                let path = env.process_substitution(body, *input)?;
                b.push(Piece::quoted(path));
            }
        }
    }
    Ok(b)
}

/// What `~PREFIX` stands for: `$HOME`, `$PWD` (`~+`), `$OLDPWD` (`~-`), an
/// entry of the directory stack (`~N`, `~+N`, `~-N`, as `dirs` counts),
/// or a user's home directory; `None` leaves the word as it is.
fn tilde_prefix(env: &dyn ExpandEnv, prefix: &str) -> Option<String> {
    match prefix {
        "" => env.var("HOME"),
        "+" => env.var("PWD"),
        "-" => env.var("OLDPWD"),
        _ => {
            let (from_top, digits) = match prefix.as_bytes()[0] {
                b'+' => (true, &prefix[1..]),
                b'-' => (false, &prefix[1..]),
                _ => (true, prefix),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return env.home_of(prefix);
            }
            let stack = env.directory_stack();
            let n: usize = digits.parse().ok()?;
            let i = if from_top {
                n
            } else {
                stack.len().checked_sub(n + 1)?
            };
            stack.into_iter().nth(i)
        }
    }
}

/// Evaluates an arithmetic word.
pub(super) fn eval_arith(env: &mut dyn ExpandEnv, expr: &Word) -> Result<i64, ExpandError> {
    let text = super::expand_string(env, expr)?;
    evaluate_text(env, &text)
}

/// Evaluates arithmetic text against the shell's variables.
pub fn evaluate_text(env: &mut dyn ExpandEnv, text: &str) -> Result<i64, ExpandError> {
    /// The shell's variables, and the first unset one used under `set -u`.
    struct Vars<'a>(&'a mut dyn ExpandEnv, Option<String>);
    impl ArithVars for Vars<'_> {
        fn note_unset(&mut self, name: &str) {
            if self.1.is_none() && self.0.nounset() {
                self.1 = Some(name.to_string());
            }
        }
        fn get(&mut self, name: &str) -> Option<String> {
            self.0.var(name)
        }
        fn set(&mut self, name: &str, value: i64) -> Result<(), String> {
            self.0.set_var(name, value.to_string())
        }
        fn is_assoc(&self, name: &str) -> bool {
            self.0.is_assoc(name)
        }
        fn get_element(&mut self, name: &str, subscript: &Subscript) -> Option<String> {
            match subscript {
                Subscript::Index(i) => self.0.element_by_index(name, *i),
                Subscript::Key(k) => self.0.element_by_key(name, k),
            }
        }
        fn set_element(
            &mut self,
            name: &str,
            subscript: &Subscript,
            value: i64,
        ) -> Result<(), String> {
            match subscript {
                Subscript::Index(i) => self.0.set_element_by_index(name, *i, value.to_string()),
                Subscript::Key(k) => self.0.set_element_by_key(name, k, value.to_string()),
            }
        }
    }
    let mut vars = Vars(env, None);
    let result = arith::evaluate(text, &mut vars);
    if let Some(name) = vars.1 {
        return Err(ExpandError::fatal(format!("{name}: unbound variable")));
    }
    result.map_err(|e| ExpandError::new(e.to_string()))
}

/// The value of a parameter: one string, several (`$@`), or unset.
enum Value {
    Unset,
    One(String),
    Many(Vec<String>, bool),
}

impl Value {
    fn is_set(&self) -> bool {
        match self {
            Value::Unset => false,
            Value::One(_) => true,
            Value::Many(v, _) => !v.is_empty(),
        }
    }

    /// Unset or empty; a quoted `"$*"` counts as empty when its elements
    /// joined by the first IFS character are, `$@` (and unquoted `$*`) when
    /// it is `""` alone.
    fn is_null(&self, env: &dyn ExpandEnv, quoted: bool) -> bool {
        match self {
            Value::Unset => true,
            Value::One(s) => s.is_empty(),
            Value::Many(v, false) if quoted => join_star(env, v).is_empty(),
            Value::Many(v, _) => v.is_empty() || (v.len() == 1 && v[0].is_empty()),
        }
    }
}

/// Whether a subscript is `[@]` or `[*]`: `Some(true)` for `@`.
fn whole_array_subscript(index: &Word) -> Option<bool> {
    match index.as_plain_literal() {
        Some("@") => Some(true),
        Some("*") => Some(false),
        _ => None,
    }
}

/// `${#a[@]}` of an array: its length, counted without copying the
/// elements (a loop testing it stays linear).
fn whole_array_length(env: &dyn ExpandEnv, p: &ParamExp) -> Option<usize> {
    if !matches!(p.op, ParamOp::Length) || p.indirect {
        return None;
    }
    whole_array_subscript(p.index.as_ref()?)?;
    env.array_len(&p.name)
}

/// `name[index]`: one element, or all of them for `[@]`/`[*]`.
fn lookup_subscript(
    env: &mut dyn ExpandEnv,
    name: &str,
    index: &Word,
) -> Result<Value, ExpandError> {
    if let Some(at) = whole_array_subscript(index) {
        return Ok(match env.array_values(name) {
            Some(values) => Value::Many(values, at),
            None => match lookup_name(env, name) {
                Value::One(s) => Value::Many(vec![s], at),
                _ => Value::Many(Vec::new(), at),
            },
        });
    }
    let element = if env.is_assoc(name) {
        let key = super::expand_string(env, index)?;
        env.element_by_key(name, &key)
    } else {
        let i = eval_arith(env, index)?;
        env.element_by_index(name, i)
    };
    Ok(match element {
        Some(v) => Value::One(v),
        None => Value::Unset,
    })
}

fn lookup(env: &mut dyn ExpandEnv, p: &ParamExp) -> Result<Value, ExpandError> {
    let name = p.name.as_str();
    if let ParamOp::ArrayKeys { at } = p.op {
        let keys = env
            .array_keys(name)
            .unwrap_or_else(|| match lookup_name(env, name) {
                Value::One(_) => vec!["0".to_string()],
                _ => Vec::new(),
            });
        return Ok(Value::Many(keys, at));
    }
    if let ParamOp::NamesWithPrefix { at } = p.op {
        let mut names: Vec<String> = env
            .variable_names()
            .into_iter()
            .filter(|n| n.starts_with(name))
            .collect();
        names.sort();
        return Ok(Value::Many(names, at));
    }
    if let Some(index) = &p.index
        && !p.indirect
    {
        return lookup_subscript(env, name, index);
    }
    if p.indirect
        && p.index.is_none()
        && let Some(target) = env.nameref_target(name)
    {
        // `${!ref}` of a nameref is the name it refers to (bash).
        return Ok(Value::One(target));
    }
    let mut value = match &p.index {
        // `${!a[i]}`: indirect through an element.
        Some(index) if p.indirect => lookup_subscript(env, name, index)?,
        _ => lookup_name(env, name),
    };
    if p.indirect
        && !matches!(
            p.op,
            ParamOp::NamesWithPrefix { .. } | ParamOp::ArrayKeys { .. }
        )
    {
        value = match value {
            Value::One(target) if !target.is_empty() => match target.split_once('[') {
                Some((array, rest)) if rest.ends_with(']') && crate::expand::is_name(array) => {
                    let index = Word::literal(&rest[..rest.len() - 1]);
                    lookup_subscript(env, array, &index)?
                }
                _ if is_parameter_name(&target) => lookup_name(env, &target),
                _ => {
                    return Err(ExpandError::new(format!("{target}: invalid variable name")));
                }
            },
            Value::One(_) | Value::Unset => {
                return Err(ExpandError::new(format!(
                    "{name}: invalid indirect expansion"
                )));
            }
            Value::Many(v, at) => Value::Many(v, at),
        };
    }
    Ok(value)
}

/// Whether `${!x}` may name `name`: a variable, a positional parameter
/// or a special one (bash: anything else is an invalid variable name).
fn is_parameter_name(name: &str) -> bool {
    crate::expand::is_name(name)
        || name.bytes().all(|b| b.is_ascii_digit())
        || matches!(name, "@" | "*" | "#" | "?" | "-" | "$" | "!")
}

fn lookup_name(env: &mut dyn ExpandEnv, name: &str) -> Value {
    match name {
        "@" => Value::Many(env.positional(), true),
        "*" => Value::Many(env.positional(), false),
        "#" => Value::One(env.positional_count().to_string()),
        "0" => Value::One(env.arg0()),
        _ if name.chars().all(|c| c.is_ascii_digit()) => {
            let n: usize = name.parse().unwrap_or(usize::MAX);
            match env.positional_at(n) {
                Some(v) => Value::One(v),
                None => Value::Unset,
            }
        }
        _ if name.len() == 1 && !name.starts_with(|c: char| c.is_alphanumeric() || c == '_') => {
            match name.chars().next().and_then(|c| env.special(c)) {
                Some(v) => Value::One(v),
                None => Value::Unset,
            }
        }
        _ => match env.var(name) {
            Some(v) => Value::One(v),
            None => Value::Unset,
        },
    }
}

fn join_star(env: &dyn ExpandEnv, items: &[String]) -> String {
    items.join(&star_separator(env))
}

/// What joins the values of `$*`: the first character of IFS, a space
/// when IFS is unset, nothing when it is empty.
pub(super) fn star_separator(env: &dyn ExpandEnv) -> String {
    match env.var("IFS") {
        Some(ifs) => ifs.chars().next().map(String::from).unwrap_or_default(),
        None => " ".to_string(),
    }
}

fn expand_param(env: &mut dyn ExpandEnv, p: &ParamExp, b: &mut Builder) -> Result<(), ExpandError> {
    if let ParamOp::Invalid { text } = &p.op {
        return Err(ExpandError::new(format!("${{{text}}}: bad substitution")));
    }
    if let Some(n) = whole_array_length(env, p) {
        b.push_value(n.to_string());
        return Ok(());
    }
    let value = lookup(env, p)?;
    let name = p.name.as_str();
    match &p.op {
        ParamOp::Plain => {
            check_unset(env, p, &value)?;
            push(env, b, value);
        }
        ParamOp::Length => {
            check_unset(env, p, &value)?;
            // `${#a[@]}` of a name that is not set at all is unbound too.
            let whole = p.index.as_ref().and_then(whole_array_subscript).is_some();
            if whole && env.nounset() && env.array_values(name).is_none() && env.var(name).is_none()
            {
                return Err(ExpandError::fatal(format!("{name}: unbound variable")));
            }
            let n = match value {
                Value::Many(v, _) => v.len(),
                Value::One(s) => s.chars().count(),
                Value::Unset => 0,
            };
            b.push_value(n.to_string());
        }
        ParamOp::Default { colon, word } | ParamOp::Alternative { colon, word } => {
            let present = if *colon {
                !value.is_null(env, b.quoted)
            } else {
                value.is_set()
            };
            let use_word = matches!(p.op, ParamOp::Default { .. }) != present;
            if use_word {
                let mut groups = expand_param_word(env, &word.parts, b.quoted)?;
                if !b.quoted {
                    // Unquoted, the word's own unquoted text is split too:
                    // ${x:-a "b c"} gives two fields.
                    for piece in groups.iter_mut().flatten() {
                        if !piece.quoted {
                            piece.split = true;
                        }
                    }
                }
                push_groups(b, groups);
            } else if present {
                push(env, b, value);
            } else if b.quoted && !matches!(value, Value::Many(_, true)) {
                // An empty `"${a[@]+…}"` vanishes like an empty "$@".
                b.push(Piece::quoted(""));
            }
        }
        ParamOp::Assign { colon, word } => {
            let present = if *colon {
                !value.is_null(env, b.quoted)
            } else {
                value.is_set()
            };
            if present {
                push(env, b, value);
            } else {
                if !is_name(name) {
                    return Err(ExpandError::new(format!(
                        "${name}: cannot assign in this way"
                    )));
                }
                let text = super::expand_string(env, word)?;
                env.set_var(name, text.clone()).map_err(ExpandError::new)?;
                // The value as stored: `declare -i`, `-u`… shaped it.
                let stored = match p.index {
                    None => env.var(name).unwrap_or(text),
                    Some(_) => text,
                };
                b.push_value(stored);
            }
        }
        ParamOp::Error { colon, word } => {
            let present = if *colon {
                !value.is_null(env, b.quoted)
            } else {
                value.is_set()
            };
            if present {
                push(env, b, value);
            } else {
                let msg = super::expand_string(env, word)?;
                let msg = if msg.is_empty() && !*colon {
                    "parameter not set".to_string()
                } else if msg.is_empty() {
                    "parameter null or not set".to_string()
                } else {
                    msg
                };
                return Err(ExpandError::fatal(format!("{name}: {msg}")));
            }
        }
        ParamOp::RemovePrefix { longest, pattern } | ParamOp::RemoveSuffix { longest, pattern } => {
            check_unset(env, p, &value)?;
            let options = env.glob_options().matching(false);
            let pat = Pattern::with_options(&expand_pattern(env, pattern)?, options);
            let prefix = matches!(p.op, ParamOp::RemovePrefix { .. });
            let strip = |s: String| -> String {
                if prefix {
                    match pat.match_prefix(&s, *longest) {
                        Some(n) => s[n..].to_string(),
                        None => s,
                    }
                } else {
                    match pat.match_suffix(&s, *longest) {
                        Some(n) => s[..n].to_string(),
                        None => s,
                    }
                }
            };
            push(env, b, map_value(value, strip));
        }
        ParamOp::Replace {
            mode,
            pattern,
            replacement,
        } => {
            check_unset(env, p, &value)?;
            // bash's `nocasematch` covers `${x/p/r}` but not `${x#p}`.
            let glob = env.glob_options();
            let options = glob.matching(glob.nocasematch);
            let pat_text = expand_pattern(env, pattern)?;
            if pat_text.is_empty() && matches!(mode, ReplaceMode::First | ReplaceMode::All) {
                // An empty pattern matches nothing (bash), though anchored
                // (`${x/#/p}`) it inserts.
                push(env, b, value);
                return Ok(());
            }
            let pat = Pattern::with_options(&pat_text, options);
            let rep = if glob.patsub_replacement {
                expand_replacement(env, replacement)?
            } else {
                vec![RepPart::Text(super::expand_string(env, replacement)?)]
            };
            push(env, b, map_value(value, |s| replace(&pat, *mode, &rep, &s)));
        }
        ParamOp::Substring { offset, length } => {
            check_unset(env, p, &value)?;
            let off = eval_arith(env, offset).map_err(|e| naming_parameter(p, e))?;
            let len = match length {
                Some(l) => Some(eval_arith(env, l).map_err(|e| naming_parameter(p, e))?),
                None => None,
            };
            let positional = p.index.is_none() && matches!(name, "@" | "*");
            // `${f[@]:0:1}` of a scalar slices its value, as `${f:0:1}`.
            let scalar = p.index.as_ref().and_then(whole_array_subscript).is_some()
                && env.array_len(name).is_none();
            let value = match value {
                Value::Many(mut items, _) if scalar && items.len() == 1 => {
                    Value::One(items.remove(0))
                }
                value => value,
            };
            let value = match value {
                Value::Many(_, at) if !positional && let Some(pairs) = indexed_pairs(env, p) => {
                    Value::Many(sparse_slice(pairs, off, len)?, at)
                }
                Value::Many(items, at) if !positional => {
                    let start = if off < 0 {
                        items.len() as i64 + off
                    } else {
                        off
                    };
                    if start < 0 {
                        Value::Many(Vec::new(), at)
                    } else {
                        Value::Many(slice(&items, start, len)?, at)
                    }
                }
                Value::Many(items, at) => {
                    let mut all = items;
                    if off == 0 {
                        all.insert(0, env.arg0());
                    } else {
                        all.insert(0, String::new());
                    }
                    let start = if off < 0 {
                        all.len() as i64 - 1 + off + 1
                    } else {
                        off
                    };
                    Value::Many(slice(&all, start.max(0), len)?, at)
                }
                Value::One(s) => {
                    let chars: Vec<char> = s.chars().collect();
                    let start = if off < 0 {
                        chars.len() as i64 + off
                    } else {
                        off
                    };
                    if start < 0 {
                        Value::One(String::new())
                    } else {
                        Value::One(slice(&chars, start, len)?.into_iter().collect())
                    }
                }
                Value::Unset => Value::Unset,
            };
            push(env, b, value);
        }
        ParamOp::Case {
            upper,
            all,
            pattern,
        } => {
            check_unset(env, p, &value)?;
            let pat_text = expand_pattern(env, pattern)?;
            let pat = if pat_text.is_empty() {
                None
            } else {
                // bash reads this pattern with extglob whatever the option.
                let options = MatchOptions {
                    extglob: true,
                    ..MatchOptions::default()
                };
                Some(Pattern::with_options(&pat_text, options))
            };
            let convert = |s: String| change_case(&s, *upper, *all, pat.as_ref());
            push(env, b, map_value(value, convert));
        }
        ParamOp::Transform { op } => {
            check_unset(env, p, &value)?;
            let op = *op;
            if let Some(value) = whole_array_transform(env, p, op) {
                push(env, b, value);
                return Ok(());
            }
            // `${!r@a}`: the attributes of the variable `r` names (of
            // its array for `r='a[0]'`).
            let subject = match p.indirect.then(|| env.var(name)).flatten() {
                Some(target) => target.split('[').next().unwrap_or_default().to_string(),
                None => name.to_string(),
            };
            let name = subject.as_str();
            let transformed = match op {
                // `K`/`k` list an array's keys too; of a scalar, as `Q`.
                'Q' | 'K' | 'k' => map_value(value, |s| quote_always(&s)),
                'A' => {
                    // The assignment that recreates the variable.
                    let letters = env.attribute_letters(name);
                    let declare = if letters.is_empty() {
                        String::new()
                    } else {
                        format!("declare -{letters} ")
                    };
                    map_value(value, |s| format!("{declare}{name}={}", quote_always(&s)))
                }
                'P' => map_value(value, |s| env.render_prompt(&s)),
                'a' => {
                    // A declared but empty array still has its letters.
                    let letters = env.attribute_letters(name);
                    match value {
                        Value::Unset if !letters.is_empty() => Value::One(letters),
                        value => map_value(value, |_| letters.clone()),
                    }
                }
                'U' => map_value(value, |s| s.to_uppercase()),
                'L' => map_value(value, |s| s.to_lowercase()),
                'u' => map_value(value, |s| change_case(&s, Some(true), false, None)),
                'E' => map_value(value, |s| {
                    let mut out = Vec::new();
                    crate::escapes::decode_escapes(&crate::bytes::encode(&s), &mut out);
                    crate::bytes::decode_vec(out)
                }),
                _ => {
                    return Err(ExpandError::new(format!(
                        "${{{name}@{op}}}: bad substitution"
                    )));
                }
            };
            push(env, b, transformed);
        }
        ParamOp::NamesWithPrefix { .. } | ParamOp::ArrayKeys { .. } | ParamOp::Invalid { .. } => {
            push(env, b, value)
        }
    }
    Ok(())
}

/// `${a[@]@K}`, `${a[@]@k}` and `${a[@]@A}` of an array: its keys and
/// values as one string of `key "value"` pairs, as alternating fields, or
/// as the `declare` command that recreates it (three fields, as bash
/// gives them). `None` for other transformations and for scalars.
fn whole_array_transform(env: &dyn ExpandEnv, p: &ParamExp, op: char) -> Option<Value> {
    let at = whole_array_subscript(p.index.as_ref()?)?;
    if p.indirect || !matches!(op, 'K' | 'k' | 'A') {
        return None;
    }
    let (pairs, assoc) = env.array_pairs(&p.name)?;
    Some(match op {
        'K' => {
            let key = |k: &str| {
                if assoc {
                    unparse::assoc_key(k)
                } else {
                    k.to_string()
                }
            };
            let items: Vec<String> = pairs
                .iter()
                .map(|(k, v)| format!("{} {}", key(k), unparse::double_quote(v)))
                .collect();
            // bash leaves a space after an associative array's last value.
            let tail = if assoc && !items.is_empty() { " " } else { "" };
            Value::One(format!("{}{tail}", items.join(" ")))
        }
        'k' => Value::Many(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(), at),
        _ => {
            let letters = env.attribute_letters(&p.name);
            let literal =
                unparse::array_literal(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), assoc);
            let words = vec![
                "declare".to_string(),
                format!("-{letters}"),
                format!("{}={literal}", p.name),
            ];
            Value::Many(words, at)
        }
    })
}

/// The elements of `${a[@]…}` with their indices, when `a` is an indexed
/// array: a slice of it counts indices, not positions.
fn indexed_pairs(env: &dyn ExpandEnv, p: &ParamExp) -> Option<Vec<(i64, String)>> {
    whole_array_subscript(p.index.as_ref()?)?;
    match env.array_pairs(&p.name)? {
        (pairs, false) => Some(
            pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k.parse().ok()?, v)))
                .collect(),
        ),
        (_, true) => None,
    }
}

/// `${a[@]:offset:length}` of an indexed array: the elements whose index
/// is at least `offset` (a negative offset counts back from one past the
/// last index), at most `length` of them.
fn sparse_slice(
    pairs: Vec<(i64, String)>,
    offset: i64,
    length: Option<i64>,
) -> Result<Vec<String>, ExpandError> {
    if let Some(l) = length.filter(|l| *l < 0) {
        return Err(ExpandError::new(format!("{l}: substring expression < 0")));
    }
    let end = pairs.last().map_or(0, |(i, _)| i + 1);
    let start = if offset < 0 { end + offset } else { offset };
    if start < 0 {
        return Ok(Vec::new());
    }
    let count = length.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
    Ok(pairs
        .into_iter()
        .filter(|(i, _)| *i >= start)
        .take(count)
        .map(|(_, v)| v)
        .collect())
}

fn slice<T: Clone>(items: &[T], start: i64, len: Option<i64>) -> Result<Vec<T>, ExpandError> {
    let start = (start.max(0) as usize).min(items.len());
    let end = match len {
        None => items.len(),
        Some(l) if l < 0 => {
            let end = items.len() as i64 + l;
            if end < start as i64 {
                return Err(ExpandError::new(format!("{l}: substring expression < 0")));
            }
            end as usize
        }
        Some(l) => (start + l as usize).min(items.len()),
    };
    Ok(items[start..end].to_vec())
}

/// A piece of the replacement of `${x/p/r}`.
enum RepPart {
    Text(String),
    /// An unquoted `&` under `shopt -s patsub_replacement`: the text matched.
    Match,
}

/// The replacement word under `patsub_replacement` (bash 5.2's default):
/// an unquoted `&` stands for the match; a quoted one (`\&`, `"&"`, `'&'`)
/// is itself, and so is `\&` in the text of an unquoted expansion.
fn expand_replacement(env: &mut dyn ExpandEnv, word: &Word) -> Result<Vec<RepPart>, ExpandError> {
    let groups = expand_parts(env, &word.parts, false)?;
    let mut parts = Vec::new();
    let mut text = String::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        for piece in group {
            if piece.quoted {
                text.push_str(&piece.text);
                continue;
            }
            let mut chars = piece.text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'&') => {
                        chars.next();
                        text.push('&');
                    }
                    '&' => {
                        parts.push(RepPart::Text(std::mem::take(&mut text)));
                        parts.push(RepPart::Match);
                    }
                    c => text.push(c),
                }
            }
        }
    }
    parts.push(RepPart::Text(text));
    Ok(parts)
}

/// Appends the replacement for the match `matched`.
fn push_replacement(out: &mut String, rep: &[RepPart], matched: &str) {
    for part in rep {
        match part {
            RepPart::Text(t) => out.push_str(t),
            RepPart::Match => out.push_str(matched),
        }
    }
}

fn replace(pat: &Pattern, mode: ReplaceMode, rep: &[RepPart], s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    match mode {
        ReplaceMode::Prefix => match pat.match_prefix(s, true) {
            Some(n) => {
                push_replacement(&mut out, rep, &s[..n]);
                out.push_str(&s[n..]);
                out
            }
            None => s.to_string(),
        },
        ReplaceMode::Suffix => match pat.match_suffix(s, true) {
            Some(n) => {
                out.push_str(&s[..n]);
                push_replacement(&mut out, rep, &s[n..]);
                out
            }
            None => s.to_string(),
        },
        ReplaceMode::First | ReplaceMode::All => {
            let mut pos = 0;
            for (start, end) in pat.find_all(s, mode == ReplaceMode::All) {
                out.push_str(&s[pos..start]);
                push_replacement(&mut out, rep, &s[start..end]);
                // After an empty match the character there stays.
                pos = start;
                if end > start {
                    pos = end;
                }
            }
            out.push_str(&s[pos..]);
            out
        }
    }
}

/// Changes the case of the first character (or of all, `all`) that
/// `pat` matches: to upper (`Some(true)`), lower, or swapped (`None`).
fn change_case(s: &str, upper: Option<bool>, all: bool, pat: Option<&Pattern>) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let eligible = (all || i == 0) && pat.is_none_or(|p| p.matches(&c.to_string()));
        if eligible {
            match upper.unwrap_or(c.is_lowercase()) {
                true => out.extend(c.to_uppercase()),
                false => out.extend(c.to_lowercase()),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `${x@Q}`: quoted so that it reads back as the same word, always in
/// quotes (bash).
fn quote_always(s: &str) -> String {
    if s.chars().any(unparse::unprintable) {
        return unparse::ansi_c_quote(s);
    }
    let quoted = unparse::quote(s);
    if quoted.starts_with('\'') {
        quoted
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn map_value(value: Value, mut f: impl FnMut(String) -> String) -> Value {
    match value {
        Value::Unset => Value::Unset,
        Value::One(s) => Value::One(f(s)),
        Value::Many(v, at) => Value::Many(v.into_iter().map(f).collect(), at),
    }
}

/// An arithmetic error in `${x:off:len}` names the parameter first, as
/// bash does (`x: %: arithmetic syntax error…`, `a[@]: …`).
fn naming_parameter(p: &ParamExp, mut e: ExpandError) -> ExpandError {
    if !e.fatal {
        let index = p
            .index
            .as_ref()
            .map(|w| format!("[{}]", crate::parser::unparse::word(w)))
            .unwrap_or_default();
        e.message = format!("{}{index}: {}", p.name, e.message);
    }
    e
}

fn check_unset(env: &dyn ExpandEnv, p: &ParamExp, value: &Value) -> Result<(), ExpandError> {
    let whole_array = p.index.as_ref().and_then(whole_array_subscript).is_some();
    if env.nounset() && !value.is_set() && !whole_array && !matches!(p.name.as_str(), "@" | "*") {
        // bash names the element as written: `a[$i]: unbound variable`.
        let index = p
            .index
            .as_ref()
            .map(|w| format!("[{}]", crate::parser::unparse::word(w)))
            .unwrap_or_default();
        return Err(ExpandError::fatal(format!(
            "{}{index}: unbound variable",
            p.name
        )));
    }
    Ok(())
}

fn push(env: &dyn ExpandEnv, b: &mut Builder, value: Value) {
    match value {
        Value::Unset => {
            if b.quoted {
                b.push(Piece::quoted(""));
            }
        }
        Value::One(s) => b.push_value(s),
        Value::Many(items, at) => {
            if b.quoted && at && items.is_empty() {
                b.vanished_at = true;
            }
            if b.quoted && !at {
                b.push(Piece::quoted(join_star(env, &items)));
                return;
            }
            if b.join_at && at {
                b.push_value(items.join(" "));
                return;
            }
            for (i, item) in items.into_iter().enumerate() {
                if i > 0 {
                    b.break_group();
                    b.push_value(item);
                    if let Some(piece) = b.groups.last_mut().and_then(|g| g.last_mut()) {
                        piece.star = !at;
                    }
                } else {
                    b.push_value(item);
                }
            }
        }
    }
}

fn push_groups(b: &mut Builder, groups: Groups) {
    let empty = groups.iter().all(Vec::is_empty);
    if empty && b.quoted {
        b.push(Piece::quoted(""));
    } else {
        b.append(groups);
    }
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::fuzzing::FakeEnv;

    /// The fields of `text` with `x` set to `value` (bash's results).
    fn with_x(value: &str, text: &str) -> Vec<String> {
        FakeEnv::with_vars(&[("x", value)])
            .fields(text)
            .unwrap_or_default()
    }

    #[test]
    fn defaults_and_alternatives() {
        assert_eq!(FakeEnv::default().fields("${x:-a b}").unwrap(), ["a", "b"]);
        assert_eq!(
            FakeEnv::default().fields("\"${x-d}\" ${x+set}").unwrap(),
            ["d"]
        );
        assert_eq!(with_x("", "${x:-d} \"${x-d}\""), ["d", ""]);
        assert_eq!(with_x("v", "${x:+alt} ${x:?no}"), ["alt", "v"]);
        assert!(FakeEnv::default().fields("${x:?unset}").is_err());
    }

    #[test]
    fn prefixes_and_suffixes() {
        assert_eq!(with_x("a,b,c", "${x#*,} ${x##*,}"), ["b,c", "c"]);
        assert_eq!(with_x("f.tar.gz", "${x%.*} ${x%%.*}"), ["f.tar", "f"]);
        assert_eq!(with_x("abc", "${x#z} ${x%}"), ["abc", "abc"]);
    }

    #[test]
    fn length_substrings_and_replacement() {
        assert_eq!(
            with_x("héllo", "${#x} ${x:1:3} ${x: -2}"),
            ["5", "éll", "lo"]
        );
        assert_eq!(with_x("aXbXc", "${x/X/-} ${x//X/-}"), ["a-bXc", "a-b-c"]);
        assert_eq!(with_x("abc", "${x/#a/A} ${x/%c/C}"), ["Abc", "abC"]);
    }

    #[test]
    fn case_and_quoting_operators() {
        assert_eq!(
            with_x("hello World", "\"${x^^}\" \"${x,,}\" \"${x^}\""),
            ["HELLO WORLD", "hello world", "Hello World"]
        );
        assert_eq!(with_x("it's", "${x@Q}"), ["'it'\\''s'"]);
    }

    #[test]
    fn unquoted_results_split_on_ifs() {
        assert_eq!(with_x(" a  b ", "$x \"$x\""), ["a", "b", " a  b "]);
        let mut env = FakeEnv::with_vars(&[("x", "a:b"), ("IFS", ":")]);
        assert_eq!(env.fields("$x").unwrap(), ["a", "b"]);
    }
}
