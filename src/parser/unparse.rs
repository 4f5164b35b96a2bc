//! Unparsing: the AST in [`super::ast`] back to shell source text.
//!
//! Owns every AST → text conversion: the compact one-line form used to hand
//! code to a self-spawned shell (`pidsh -c TEXT`), for xtrace-like output and
//! for `--plan`, the bash `declare -f` style multi-line listing of functions
//! (`type f`, `declare -f`), and [`quote`] for quoting arbitrary strings as
//! one shell word.
//!
//! The text re-parses to the same AST (modulo spans and
//! [`FunctionDef::source`]) for every AST the parser can produce. Two
//! deliberate exceptions, both only for trees the parser never builds: an
//! empty list where the grammar needs a command prints as `:`, and an empty
//! word in argument position prints as `''`. The bash-style function listing
//! wraps a body that is not a brace group in `{ … }`, as bash does.
//!
//! Quoting follows the parser's reading: quoted text prints in single quotes
//! (a lone escaped punctuation character as `\c`); inside `"${x:-…}"` and in
//! here-documents, operator words use double-quote escapes (`'` stays bare,
//! which pidsh accepts and bash does not) and patterns use single quotes.
//!
//! Here-documents: the operator is printed with a delimiter that does not
//! occur as a line of the body (quoted when the body is not expanded), and the
//! body follows the next newline; the compact form forces a newline after a
//! command that has pending here-document bodies.

use super::ast::*;

/// Prints a list in the compact one-line form: items joined by `"; "` or
/// `" & "`, a trailing `&` kept.
///
/// Here-document bodies force a newline after the command that owns them,
/// so the text is one line only when there are none.
pub fn list(l: &List) -> String {
    let mut p = Printer::new(false);
    p.list_inline(l, false);
    p.finish()
}

/// Prints an and-or list (`p1 && p2 || p3`) in compact form, without a
/// terminator (as shown for a background job).
pub fn and_or(a: &AndOr) -> String {
    let mut p = Printer::new(false);
    p.and_or(a);
    p.finish()
}

/// Prints a pipeline (`time`, `!`, `|` and `|&` included) in compact form.
pub fn pipeline(pl: &Pipeline) -> String {
    let mut p = Printer::new(false);
    p.pipeline(pl);
    p.finish()
}

/// Prints one command in compact form; a function definition prints as
/// `name() { …; }`.
pub fn command(c: &Command) -> String {
    let mut p = Printer::new(false);
    p.command(c);
    p.finish()
}

/// Prints one simple command in compact form (`$BASH_COMMAND`).
pub fn simple_command(s: &SimpleCommand) -> String {
    let mut p = Printer::new(false);
    p.simple(s);
    p.finish()
}

/// Prints a word, quoted so that it parses back to the same parts.
///
/// A word with no parts prints as `''` so that it still counts as a word.
pub fn word(w: &Word) -> String {
    let s = render_parts(&w.parts, Ctx::Unquoted);
    match w.parts.first() {
        _ if s.is_empty() => "''".to_string(),
        // Would start a comment (not from the parser).
        Some(WordPart::Literal(l)) if l.starts_with('#') => format!("\\{s}"),
        _ => s,
    }
}

/// Prints a function definition in bash `declare -f` style: `name () `, then
/// the body braces on their own lines with a 4-space indent, `;` after each
/// command but the last of a group, no trailing newline. As in bash, the
/// `name () ` and `{ ` lines end with a space:
///
/// ```text
/// f ()
/// {
///     echo hi
/// }
/// ```
///
/// A body that is not a brace group is wrapped in `{ … }`, as bash does.
pub fn function_definition(f: &FunctionDef) -> String {
    let mut p = Printer::new(true);
    p.function_multiline(f, false);
    p.finish()
}

/// Prints a function definition in the compact one-line form:
/// `name() { body; }` (with the body's redirections).
pub fn function_compact(f: &FunctionDef) -> String {
    let mut p = Printer::new(false);
    p.function_compact(f);
    p.finish()
}

/// Quotes an arbitrary string as one shell word.
///
/// Bare when it is non-empty and made only of `[A-Za-z0-9_@%+=:,./-]`;
/// otherwise in single quotes, each embedded `'` written as `\'` outside
/// them (`it's` → `'it'\''s'`); the empty string is `''`.
pub fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        s.to_string()
    } else {
        single_quote(s)
    }
}

/// `"value"` with `"`, `\`, `$` and `` ` `` escaped, as bash's `declare -p`
/// prints a value (one with control characters as `$'…'`).
pub fn double_quote(s: &str) -> String {
    if s.chars().any(unprintable) {
        return quote_ansi(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Whether `s` holds a character special to the shell where it stands
/// (bash's `sh_contains_shell_metas`): blanks, quotes, operators, glob
/// characters, `$`, `` ` ``, `!`, braces, `^`, a leading `#`, and `~` at
/// the start or after `=` or `:`.
fn has_shell_metas(s: &str) -> bool {
    s.char_indices().any(|(i, c)| match c {
        ' ' | '\t' | '\n' | '\'' | '"' | '\\' | '|' | '&' | ';' | '(' | ')' | '<' | '>' | '!'
        | '{' | '}' | '*' | '[' | '?' | ']' | '^' | '$' | '`' => true,
        '~' => i == 0 || matches!(s.as_bytes()[i - 1], b'=' | b':'),
        '#' => i == 0,
        _ => false,
    })
}

/// A value as `set` lists it (bash): bare unless it holds a character
/// special to the shell, then in single quotes, or `$'…'` when it holds a
/// control character.
pub fn quote_value(s: &str) -> String {
    if s.chars().any(unprintable) {
        ansi_c_quote(s)
    } else if has_shell_metas(s) {
        single_quote(s)
    } else {
        s.to_string()
    }
}

/// An associative array's key as `declare -p` prints it: bare unless it
/// holds a character special to the shell (bash's `sh_contains_shell_metas`),
/// then double-quoted.
pub fn assoc_key(key: &str) -> String {
    if key.chars().any(unprintable) {
        ansi_c_quote(key)
    } else if has_shell_metas(key) || key.is_empty() {
        double_quote(key)
    } else {
        key.to_string()
    }
}

/// An array's elements as `declare -p` prints them: `([0]="a" [1]="b")`,
/// a non-empty associative array with the space bash leaves before `)`.
pub fn array_literal<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>, assoc: bool) -> String {
    let items: Vec<String> = pairs
        .map(|(k, v)| {
            let key = if assoc { assoc_key(k) } else { k.to_string() };
            format!("[{key}]={}", double_quote(v))
        })
        .collect();
    if assoc && !items.is_empty() {
        format!("({} )", items.join(" "))
    } else {
        format!("({})", items.join(" "))
    }
}

/// Quotes `s` as bash's xtrace does: bare when safe, `'…'` when that
/// suffices, and `$'…'` (ANSI-C quoting) when `s` holds a quote, a
/// backslash or a control character.
pub fn quote_ansi(s: &str) -> String {
    let needs_ansi = s.chars().any(|c| c == '\'' || c == '\\' || unprintable(c));
    if !needs_ansi {
        return quote(s);
    }
    ansi_c_quote(s)
}

/// A character that quoting writes as an escape: a control character, or
/// a byte that is not part of valid UTF-8.
pub fn unprintable(c: char) -> bool {
    c.is_control() || crate::bytes::raw_byte(c).is_some()
}

/// `s` as `$'…'`, with bash's escapes (`ansic_quote`): `\n`, `\t`, `\E`
/// and the like, other control bytes in octal.
pub fn ansi_c_quote(s: &str) -> String {
    let mut out = String::from("$'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            '\u{1b}' => out.push_str("\\E"),
            c if c.is_ascii_control() => out.push_str(&format!("\\{:03o}", c as u32)),
            c if let Some(b) = crate::bytes::raw_byte(c) => out.push_str(&format!("\\{b:03o}")),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Single-quotes `s` (always quoted; `''` when empty). Embedded quotes become
/// `\'` between quoted runs, without empty `''` runs around them.
fn single_quote(s: &str) -> String {
    if s.is_empty() {
        return "''".to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    for (i, seg) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str("\\'");
        }
        if !seg.is_empty() {
            out.push('\'');
            out.push_str(seg);
            out.push('\'');
        }
    }
    out
}

/// Words that are reserved at the start of a command (the parser's set:
/// `in` and `]]` are ordinary command names there).
const RESERVED: &[&str] = &[
    "!", "{", "}", "[[", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for",
    "function", "if", "select", "then", "time", "until", "while",
];

// ---------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------

/// The quoting context a word part is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Plain shell text.
    Unquoted,
    /// Directly inside `"…"`.
    Dq,
    /// A word of a `${…}` operator inside `"…"` or a here-document.
    DqParam,
    /// A pattern of a `${…}` operator inside `"…"` or a here-document.
    DqPattern,
    /// An expanded here-document body.
    HereDoc,
}

/// Renders parts one after another. Rendered back to front so that a plain
/// parameter knows what follows it (to decide between `$x` and `${x}`).
fn render_parts(parts: &[WordPart], ctx: Ctx) -> String {
    let mut pieces: Vec<String> = Vec::with_capacity(parts.len());
    let mut next: Option<char> = None;
    for part in parts.iter().rev() {
        let s = render_part(part, ctx, next);
        next = s.chars().next().or(next);
        pieces.push(s);
    }
    pieces.reverse();
    pieces.concat()
}

/// Backslash-escapes `$`, backquote, `\` and the characters in `extra`.
fn escape(s: &str, extra: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '$' | '`' | '\\') || extra.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders quoted text in `ctx`.
fn render_quoted(s: &str, ctx: Ctx) -> String {
    match ctx {
        Ctx::Unquoted => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                // One escaped character, as it is usually written: `\*`.
                (Some(c), None) if c.is_ascii_punctuation() || c == ' ' => format!("\\{c}"),
                _ => single_quote(s),
            }
        }
        Ctx::Dq => escape(s, "\""),
        // Double-quote rules: `'`, `&`, `~` are plain text here.
        Ctx::DqParam => escape(s, "\"}"),
        // Single quotes do quote in a pattern, even inside `"…"`.
        Ctx::DqPattern => single_quote(s),
        Ctx::HereDoc => escape(s, ""),
    }
}

fn render_part(part: &WordPart, ctx: Ctx, next: Option<char>) -> String {
    match part {
        WordPart::Literal(s) => s.clone(),
        WordPart::Quoted(s) => render_quoted(s, ctx),
        WordPart::DoubleQuoted(inner) => match ctx {
            Ctx::Unquoted | Ctx::DqParam | Ctx::DqPattern => {
                format!("\"{}\"", render_parts(inner, Ctx::Dq))
            }
            // Nested double quotes cannot occur here: print the contents.
            Ctx::Dq => render_parts(inner, Ctx::Dq),
            Ctx::HereDoc => format!("\"{}\"", render_parts(inner, Ctx::HereDoc)),
        },
        WordPart::Param(p) => render_param(p, ctx, next),
        WordPart::CommandSub(l) => format!("$({})", sub_list(l)),
        WordPart::FunSub(l, reply) => {
            let open = if *reply { "${|" } else { "${" };
            format!("{open} {}; }}", list(l))
        }
        WordPart::Arith(w) => {
            let inner_ctx = if ctx == Ctx::Unquoted {
                Ctx::Unquoted
            } else {
                Ctx::HereDoc
            };
            format!("$(({}))", render_parts(&w.parts, inner_ctx))
        }
        WordPart::Tilde(u) => format!("~{u}"),
        WordPart::ProcessSub(l, input) => {
            format!("{}({})", if *input { '<' } else { '>' }, sub_list(l))
        }
    }
}

/// A list inside `$(…)`, `<(…)`: compact, with a space before a leading `(`
/// so that `$( (a) )` does not read as arithmetic.
fn sub_list(l: &List) -> String {
    let s = list(l);
    if s.starts_with('(') {
        format!(" {s} ")
    } else {
        s
    }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `$name` is enough (no braces needed) before `next`.
fn short_form_ok(name: &str, next: Option<char>) -> bool {
    let glues_to_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '[';
    match name.as_bytes() {
        [b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!'] => true,
        [d] if d.is_ascii_digit() => !next.is_some_and(|c| c.is_ascii_digit()),
        _ => is_name(name) && !next.is_some_and(glues_to_name),
    }
}

fn render_param(p: &ParamExp, ctx: Ctx, next: Option<char>) -> String {
    let (word_ctx, pat_ctx) = match ctx {
        Ctx::Unquoted => (Ctx::Unquoted, Ctx::Unquoted),
        _ => (Ctx::DqParam, Ctx::DqPattern),
    };
    let w = |w: &Word| render_parts(&w.parts, word_ctx);
    // A literal (unquoted) pattern starting with a character that would
    // extend the operator gets a backslash (not from the parser).
    let pat = |w: &Word, clash: &[char]| {
        let text = render_parts(&w.parts, pat_ctx);
        match w.parts.first() {
            Some(WordPart::Literal(l)) if l.starts_with(clash) => format!("\\{text}"),
            _ => text,
        }
    };
    let colon = |c: bool| if c { ":" } else { "" };

    if p.op == ParamOp::Plain && p.index.is_none() && !p.indirect && short_form_ok(&p.name, next) {
        return format!("${}", p.name);
    }

    let mut out = String::from("${");
    match &p.op {
        ParamOp::NamesWithPrefix { at } => {
            out.push('!');
            out.push_str(&p.name);
            out.push(if *at { '@' } else { '*' });
            out.push('}');
            return out;
        }
        ParamOp::ArrayKeys { at } => {
            out.push('!');
            out.push_str(&p.name);
            out.push_str(if *at { "[@]}" } else { "[*]}" });
            return out;
        }
        ParamOp::Length => out.push('#'),
        _ => {}
    }
    if p.indirect {
        out.push('!');
    }
    out.push_str(&p.name);
    if let Some(index) = &p.index {
        out.push('[');
        out.push_str(&render_parts(&index.parts, Ctx::Unquoted));
        out.push(']');
    }
    match &p.op {
        ParamOp::Plain | ParamOp::Length => {}
        ParamOp::NamesWithPrefix { .. } | ParamOp::ArrayKeys { .. } => {}
        ParamOp::Default { colon: c, word } => {
            out.push_str(colon(*c));
            out.push('-');
            out.push_str(&w(word));
        }
        ParamOp::Assign { colon: c, word } => {
            out.push_str(colon(*c));
            out.push('=');
            out.push_str(&w(word));
        }
        ParamOp::Error { colon: c, word } => {
            out.push_str(colon(*c));
            out.push('?');
            out.push_str(&w(word));
        }
        ParamOp::Alternative { colon: c, word } => {
            out.push_str(colon(*c));
            out.push('+');
            out.push_str(&w(word));
        }
        ParamOp::RemovePrefix { longest, pattern } => {
            out.push_str(if *longest { "##" } else { "#" });
            out.push_str(&pat(pattern, if *longest { &[] } else { &['#'] }));
        }
        ParamOp::RemoveSuffix { longest, pattern } => {
            out.push_str(if *longest { "%%" } else { "%" });
            out.push_str(&pat(pattern, if *longest { &[] } else { &['%'] }));
        }
        ParamOp::Replace {
            mode,
            pattern,
            replacement,
        } => {
            out.push_str(match mode {
                ReplaceMode::First => "/",
                ReplaceMode::All => "//",
                ReplaceMode::Prefix => "/#",
                ReplaceMode::Suffix => "/%",
            });
            let clash: &[char] = match mode {
                ReplaceMode::First => &['/', '#', '%'],
                _ => &[],
            };
            out.push_str(&pat(pattern, clash));
            if !replacement.parts.is_empty() {
                out.push('/');
                out.push_str(&w(replacement));
            }
        }
        ParamOp::Substring { offset, length } => {
            out.push(':');
            let o = w(offset);
            // `${x:-1}` would be a default value: `${x: -1}`.
            if o.starts_with(['-', '=', '?', '+']) {
                out.push(' ');
            }
            out.push_str(&o);
            if let Some(len) = length {
                out.push(':');
                out.push_str(&w(len));
            }
        }
        ParamOp::Case {
            upper,
            all,
            pattern,
        } => {
            let c = match upper {
                Some(true) => "^",
                Some(false) => ",",
                None => "~",
            };
            out.push_str(c);
            if *all {
                out.push_str(c);
            }
            out.push_str(&pat(pattern, &[]));
        }
        ParamOp::Transform { op } => {
            out.push('@');
            out.push(*op);
        }
        ParamOp::Invalid { text } => return format!("${{{text}}}"),
    }
    out.push('}');
    out
}

/// `name=`, `name+=`, `name[i]=` at the start of `s`.
fn looks_like_assignment(s: &str) -> bool {
    let Some(eq) = s.find('=') else {
        return false;
    };
    let head = &s[..eq];
    let head = head.strip_suffix('+').unwrap_or(head);
    let name = match head.find('[') {
        Some(open) if head.ends_with(']') => &head[..open],
        Some(_) => return false,
        None => head,
    };
    is_name(name)
}

// ---------------------------------------------------------------------------
// Here-documents
// ---------------------------------------------------------------------------

/// The literal target of `>&W` / `<&W`, if the word is plain text.
fn dup_target(r: &Redirect) -> Option<&str> {
    match &r.target {
        RedirTarget::Word(w) => w.as_plain_literal(),
        RedirTarget::HereDoc(_) => None,
    }
}

/// The descriptor bash prints before a duplication written without one:
/// `1` for `>&N`, `0` for `<&N`, when N is a number or `-` (a word that
/// expands stays as written: `>&$x` may mean `&>`).
fn implied_dup_fd(r: &Redirect) -> Option<&'static str> {
    let target = dup_target(r)?;
    if target != "-" && !target.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match r.op {
        RedirOp::DupOutput => Some("1"),
        RedirOp::DupInput => Some("0"),
        _ => None,
    }
}

/// The body text of a here-document as it must appear in the source.
fn heredoc_text(h: &HereDoc) -> String {
    if h.expand {
        render_parts(&h.body, Ctx::HereDoc)
    } else {
        h.body
            .iter()
            .map(|p| match p {
                WordPart::Literal(s) | WordPart::Quoted(s) => s.clone(),
                other => render_part(other, Ctx::HereDoc, None),
            })
            .collect()
    }
}

/// A delimiter that no line of `body` matches (leading tabs ignored).
fn heredoc_delimiter(body: &str) -> String {
    let lines: Vec<&str> = body.lines().map(|l| l.trim_start_matches('\t')).collect();
    let mut n = 0usize;
    loop {
        let cand = if n == 0 {
            "EOF".to_string()
        } else {
            format!("EOF{n}")
        };
        if !lines.contains(&cand.as_str()) {
            return cand;
        }
        n += 1;
    }
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/// The text being built, with the state needed for layout.
struct Printer {
    out: String,
    /// bash `declare -f` layout rather than the compact one.
    multiline: bool,
    /// Indent level (multi-line layout only).
    indent: usize,
    /// Here-document bodies (with their delimiter lines) waiting for the next
    /// newline.
    pending: Vec<String>,
    /// Nothing written on the current line yet.
    at_line_start: bool,
    /// The list printed last ended with `&`.
    last_bg: bool,
}

impl Printer {
    fn new(multiline: bool) -> Self {
        Printer {
            out: String::new(),
            multiline,
            indent: 0,
            pending: Vec::new(),
            at_line_start: false,
            last_bg: false,
        }
    }

    /// The text, with any pending here-document bodies flushed.
    fn finish(mut self) -> String {
        if !self.pending.is_empty() {
            self.newline();
        }
        self.out
    }

    fn write(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if self.at_line_start {
            if self.multiline {
                for _ in 0..self.indent {
                    self.out.push_str("    ");
                }
            }
            self.at_line_start = false;
        }
        self.out.push_str(s);
    }

    /// Ends the line; pending here-document bodies follow it.
    fn newline(&mut self) {
        self.out.push('\n');
        let bodies = !self.pending.is_empty();
        for body in self.pending.drain(..) {
            self.out.push_str(&body);
        }
        if bodies && self.multiline {
            // bash leaves an empty line after the delimiter in a listing.
            self.out.push('\n');
        }
        self.at_line_start = true;
    }

    /// Writes a keyword that closes a list (`then`, `fi`, `}`, …), with the
    /// `; ` needed when the list was not already terminated.
    fn close(&mut self, kw: &str) {
        if self.at_line_start {
            self.write(kw);
        } else if self.last_bg {
            self.write(" ");
            self.write(kw);
        } else {
            self.write("; ");
            self.write(kw);
        }
    }

    /// `if … elif …` in bash's listing, which has no `elif`: each `elif`
    /// is an `if` in the `else` of the one before, closed by `fi;`.
    fn if_as_nested_else(&mut self, branches: &[(List, List)], else_branch: Option<&List>) {
        for (i, (cond, body)) in branches.iter().enumerate() {
            if i > 0 {
                self.close("else");
                self.indent += 1;
                self.newline();
            }
            self.write("if ");
            self.list_inline(cond, true);
            self.close("then");
            self.body(body, true);
        }
        if let Some(e) = else_branch {
            self.close("else");
            self.body(e, true);
        }
        for i in (0..branches.len()).rev() {
            self.close("fi");
            if i > 0 {
                self.write(";");
                self.indent -= 1;
                self.newline();
            }
        }
    }

    /// A list on the current line. With `required`, an empty list prints
    /// as `:` so that the grammar is satisfied.
    fn list_inline(&mut self, l: &List, required: bool) {
        if l.items.is_empty() {
            if required {
                self.write(":");
            }
            self.last_bg = false;
            return;
        }
        let n = l.items.len();
        for (i, item) in l.items.iter().enumerate() {
            self.and_or(&item.and_or);
            if item.background {
                self.write(" &");
            }
            let last = i + 1 == n;
            if !self.pending.is_empty() {
                self.newline();
            } else if !last {
                self.write(if item.background { " " } else { "; " });
            }
        }
        self.last_bg = l.items.last().is_some_and(|i| i.background);
    }

    /// A list one item per line (multi-line layout), `;` after each but the
    /// last (and after the last too with `trailing_semi`, as bash prints
    /// `then`/`else`/`do` bodies). Does not end the last line.
    fn list_block(&mut self, l: &List, trailing_semi: bool) {
        if l.items.is_empty() {
            self.write(":");
        }
        let n = l.items.len();
        for (i, item) in l.items.iter().enumerate() {
            self.and_or(&item.and_or);
            if item.background {
                self.write(" &");
            }
            let last = i + 1 == n;
            if (!last || trailing_semi) && !item.background && self.pending.is_empty() {
                self.write(";");
            }
            if !last {
                // bash keeps what follows `&` on its line.
                if item.background && self.pending.is_empty() {
                    self.write(" ");
                } else {
                    self.newline();
                }
            }
        }
        self.last_bg = false;
    }

    /// The body after `then`, `do`, `{`: inline after a space, or indented
    /// on its own lines (leaving the printer at the start of the next line;
    /// `trailing_semi` as for [`Printer::list_block`]).
    fn body(&mut self, l: &List, trailing_semi: bool) {
        if self.multiline {
            self.indent += 1;
            self.newline();
            self.list_block(l, trailing_semi);
            self.indent -= 1;
            self.newline();
        } else {
            self.write(" ");
            self.list_inline(l, true);
        }
    }

    fn and_or(&mut self, a: &AndOr) {
        self.pipeline(&a.first);
        for (op, p) in &a.rest {
            self.write(match op {
                AndOrOp::And => " && ",
                AndOrOp::Or => " || ",
            });
            self.pipeline(p);
        }
    }

    fn pipeline(&mut self, p: &Pipeline) {
        if p.timed {
            self.write(if p.time_posix { "time -p" } else { "time" });
            if p.negated || !p.commands.is_empty() {
                self.write(" ");
            }
        }
        if p.negated {
            self.write("!");
            if !p.commands.is_empty() {
                self.write(" ");
            }
        }
        let n = p.commands.len();
        for (i, c) in p.commands.iter().enumerate() {
            self.command(c);
            if i + 1 < n {
                let both = p.stderr_too.get(i).copied().unwrap_or(false);
                // bash's listing spells `|&` out as what it means.
                self.write(match (both, self.multiline) {
                    (true, true) => " 2>&1 | ",
                    (true, false) => " |& ",
                    (false, _) => " | ",
                });
            }
        }
    }

    fn command(&mut self, c: &Command) {
        match c {
            Command::Simple(s) => self.simple(s),
            Command::Compound(cc, redirs) => {
                self.compound(cc);
                self.redirects(redirs);
            }
            Command::FunctionDef(f) => {
                if self.multiline {
                    self.function_multiline(f, true);
                } else {
                    self.function_compact(f);
                }
            }
            Command::Coproc(c) => {
                self.write("coproc ");
                if c.named {
                    self.write(&c.name);
                    self.write(" ");
                }
                self.command(&c.body);
            }
        }
    }

    fn simple(&mut self, s: &SimpleCommand) {
        let mut first = true;
        for a in &s.assignments {
            if !first {
                self.write(" ");
            }
            first = false;
            self.assignment(a);
        }
        for (i, w) in s.words.iter().enumerate() {
            if !first {
                self.write(" ");
            }
            first = false;
            let mut text = word(w);
            if i == 0 {
                text = protect_command_name(w, text, s.assignments.is_empty());
            }
            self.write(&text);
        }
        if first {
            // Only redirections: no leading space.
            for (i, r) in s.redirects.iter().enumerate() {
                if i > 0 {
                    self.write(" ");
                }
                self.redirect(r);
            }
        } else {
            self.redirects(&s.redirects);
        }
    }

    fn assignment(&mut self, a: &Assignment) {
        let mut text = a.name.clone();
        if let Some(index) = &a.index {
            text.push('[');
            text.push_str(&render_parts(&index.parts, Ctx::Unquoted));
            text.push(']');
        }
        text.push_str(if a.append { "+=" } else { "=" });
        match &a.value {
            AssignValue::Scalar(w) => text.push_str(&render_parts(&w.parts, Ctx::Unquoted)),
            AssignValue::Array(ws) => {
                text.push('(');
                let items: Vec<String> = ws.iter().map(word).collect();
                text.push_str(&items.join(" "));
                text.push(')');
            }
        }
        self.write(&text);
    }

    /// Each redirection preceded by a space.
    fn redirects(&mut self, rs: &[Redirect]) {
        for r in rs {
            self.write(" ");
            self.redirect(r);
        }
    }

    fn redirect(&mut self, r: &Redirect) {
        let mut text = String::new();
        if let Some(var) = &r.fd_var {
            text.push('{');
            text.push_str(var);
            text.push('}');
        } else if let Some(fd) = r.fd {
            text.push_str(&fd.to_string());
        } else if let Some(fd) = implied_dup_fd(r) {
            // bash names the descriptor a duplication applies to:
            // `>&2` prints as `1>&2`, `<&3` as `0<&3`, `<&-` as `0>&-`.
            text.push_str(fd);
            if fd == "0" && dup_target(r) == Some("-") {
                text.push_str(">&");
                text.push('-');
                return self.write(&text);
            }
        }
        let (op, spaced) = match r.op {
            RedirOp::Input => ("<", true),
            RedirOp::Output => (">", true),
            RedirOp::Clobber => (">|", true),
            RedirOp::Append => (">>", true),
            RedirOp::ReadWrite => ("<>", true),
            RedirOp::DupInput => ("<&", false),
            RedirOp::DupOutput => (">&", false),
            RedirOp::HereDoc { strip_tabs: false } => ("<<", false),
            RedirOp::HereDoc { strip_tabs: true } => ("<<-", false),
            RedirOp::HereString => ("<<<", true),
            RedirOp::OutputBoth => ("&>", true),
            RedirOp::AppendBoth => ("&>>", true),
        };
        text.push_str(op);
        match &r.target {
            RedirTarget::Word(w) => {
                let t = word(w);
                if spaced || t.starts_with(['<', '>', '&', '|', '(']) {
                    text.push(' ');
                }
                text.push_str(&t);
            }
            RedirTarget::HereDoc(h) => {
                // As the script wrote it where that is known (bash).
                let mut body = match (&h.raw, h.expand) {
                    (Some(raw), true) => raw.clone(),
                    _ => heredoc_text(h),
                };
                if !body.is_empty() && !body.ends_with('\n') {
                    body.push('\n');
                }
                let delim = match &h.delimiter {
                    Some(d)
                        if !d.is_empty()
                            && !body.lines().any(|l| l.trim_start_matches('\t') == d) =>
                    {
                        d.clone()
                    }
                    _ => heredoc_delimiter(&body),
                };
                if h.expand {
                    text.push_str(&delim);
                } else {
                    text.push('\'');
                    text.push_str(&delim);
                    text.push('\'');
                }
                body.push_str(&delim);
                body.push('\n');
                self.pending.push(body);
            }
        }
        self.write(&text);
    }

    fn compound(&mut self, c: &CompoundCommand) {
        match c {
            CompoundCommand::BraceGroup(l) => {
                if self.multiline {
                    self.write("{ ");
                    self.body(l, false);
                    self.write("}");
                } else {
                    self.write("{ ");
                    self.list_inline(l, true);
                    self.close("}");
                }
            }
            CompoundCommand::Subshell(l) => {
                self.write("( ");
                self.list_inline(l, true);
                if self.at_line_start {
                    self.write(")");
                } else {
                    self.write(" )");
                }
            }
            CompoundCommand::If {
                branches,
                else_branch,
            } if self.multiline && branches.len() > 1 => {
                self.if_as_nested_else(branches, else_branch.as_ref());
            }
            CompoundCommand::If {
                branches,
                else_branch,
            } => {
                for (i, (cond, body)) in branches.iter().enumerate() {
                    if i == 0 {
                        self.write("if ");
                    } else {
                        self.close("elif ");
                    }
                    self.list_inline(cond, true);
                    self.close("then");
                    self.body(body, true);
                }
                if branches.is_empty() {
                    // Not from the parser; keep the text parseable.
                    self.write("if :; then :");
                }
                if let Some(e) = else_branch {
                    self.close("else");
                    self.body(e, true);
                }
                self.close("fi");
            }
            CompoundCommand::Loop {
                until,
                condition,
                body,
            } => {
                self.write(if *until { "until " } else { "while " });
                self.list_inline(condition, true);
                self.close("do");
                self.body(body, true);
                self.close("done");
            }
            CompoundCommand::For { var, words, body }
            | CompoundCommand::Select { var, words, body } => {
                let keyword = if matches!(c, CompoundCommand::Select { .. }) {
                    "select"
                } else {
                    "for"
                };
                let mut head = format!("{keyword} {var}");
                match words {
                    Some(ws) => {
                        head.push_str(" in");
                        for w in ws {
                            head.push(' ');
                            head.push_str(&word(w));
                        }
                    }
                    // What no `in` means, written out as bash does.
                    None => head.push_str(" in \"$@\""),
                }
                self.write(&head);
                self.loop_do(body);
            }
            CompoundCommand::ArithFor {
                init,
                condition,
                step,
                body,
            } => {
                let head = format!(
                    "for (({};{};{}))",
                    render_parts(&init.parts, Ctx::Unquoted),
                    render_parts(&condition.parts, Ctx::Unquoted),
                    render_parts(&step.parts, Ctx::Unquoted)
                );
                self.write(&head);
                self.loop_do(body);
            }
            CompoundCommand::Case { word: w, arms } => self.case(w, arms),
            CompoundCommand::Arith(w) => {
                let text = format!("(({}))", render_parts(&w.parts, Ctx::Unquoted));
                self.write(&text);
            }
            CompoundCommand::Cond(e) => {
                let text = format!("[[ {} ]]", cond_expr(e, 0));
                self.write(&text);
            }
        }
    }

    /// `; do body; done` after a `for` head (`do` on its own line in the
    /// multi-line layout, as bash prints it).
    fn loop_do(&mut self, body: &List) {
        if self.multiline {
            self.write(";");
            self.newline();
            self.write("do");
        } else {
            self.write("; do");
        }
        self.body(body, true);
        self.close("done");
    }

    fn case(&mut self, subject: &Word, arms: &[CaseArm]) {
        let head = format!("case {} in", word(subject));
        self.write(&head);
        let sep = if self.multiline { " | " } else { "|" };
        if self.multiline {
            self.write(" ");
            self.indent += 1;
        }
        for arm in arms {
            let pats: Vec<String> = arm.patterns.iter().map(word).collect();
            let mut pats = pats.join(sep);
            if pats.is_empty() {
                pats.push_str("''");
            }
            if pats == "esac" || pats.starts_with("esac ") || pats.starts_with("esac|") {
                pats.insert(0, '(');
            }
            pats.push(')');
            let term = match arm.terminator {
                CaseTerminator::Break => ";;",
                CaseTerminator::FallThrough => ";&",
                CaseTerminator::Continue => ";;&",
            };
            if self.multiline {
                self.newline();
                self.write(&pats);
                self.indent += 1;
                if !arm.body.items.is_empty() {
                    self.newline();
                    self.list_block(&arm.body, false);
                }
                self.indent -= 1;
                self.newline();
                self.write(term);
            } else {
                self.write(" ");
                self.write(&pats);
                self.write(" ");
                if !arm.body.items.is_empty() {
                    self.list_inline(&arm.body, false);
                    if self.last_bg && !self.at_line_start {
                        self.write(" ");
                    }
                }
                self.write(term);
            }
        }
        if self.multiline {
            self.indent -= 1;
            self.newline();
            self.write("esac");
        } else {
            self.write(" esac");
        }
    }

    fn function_compact(&mut self, f: &FunctionDef) {
        self.write(&f.name);
        self.write("() ");
        self.command(&f.body);
    }

    /// bash `declare -f` layout; `nested` adds the `function` keyword, as
    /// bash does for a definition inside a function.
    fn function_multiline(&mut self, f: &FunctionDef, nested: bool) {
        if nested {
            self.write("function ");
        }
        self.write(&f.name);
        self.write(" () ");
        self.newline();
        match f.body.as_ref() {
            Command::Compound(CompoundCommand::BraceGroup(l), redirs) => {
                self.write("{ ");
                self.body(l, false);
                self.write("}");
                self.redirects(redirs);
            }
            other => {
                self.write("{ ");
                self.indent += 1;
                self.newline();
                self.command(other);
                self.indent -= 1;
                self.newline();
                self.write("}");
            }
        }
    }
}

/// Prefixes a backslash to a first word that would otherwise read as a
/// reserved word or an assignment (only possible for trees the parser
/// did not build).
fn protect_command_name(w: &Word, text: String, no_assignments: bool) -> String {
    match w.parts.first() {
        Some(WordPart::Literal(lit)) => {
            if no_assignments && w.parts.len() == 1 && RESERVED.contains(&lit.as_str()) {
                format!("\\{text}")
            } else if looks_like_assignment(lit) {
                match text.find('=') {
                    Some(eq) => format!("{}\\{}", &text[..eq], &text[eq..]),
                    None => text,
                }
            } else {
                text
            }
        }
        _ => text,
    }
}

/// Binding strength of a `[[ … ]]` expression: `||` 1, `&&` 2, `!` 3,
/// primaries 4.
fn cond_prec(e: &CondExpr) -> u8 {
    match e {
        CondExpr::Or(..) => 1,
        CondExpr::And(..) => 2,
        CondExpr::Not(_) => 3,
        CondExpr::Unary(..) | CondExpr::Binary(..) | CondExpr::Word(_) => 4,
    }
}

/// Prints `e`, parenthesised when it binds less tightly than `min`.
fn cond_expr(e: &CondExpr, min: u8) -> String {
    let text = match e {
        CondExpr::Unary(op, w) => format!("-{op} {}", word(w)),
        CondExpr::Binary(l, op, r) => format!("{} {op} {}", word(l), word(r)),
        CondExpr::Word(w) => word(w),
        CondExpr::Not(inner) => format!("! {}", cond_expr(inner, 3)),
        CondExpr::And(l, r) => format!("{} && {}", cond_expr(l, 2), cond_expr(r, 3)),
        CondExpr::Or(l, r) => format!("{} || {}", cond_expr(l, 1), cond_expr(r, 2)),
    };
    if cond_prec(e) < min {
        format!("( {text} )")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::sync::Arc;

    fn lit(s: &str) -> Word {
        Word::literal(s)
    }

    fn wp(parts: Vec<WordPart>) -> Word {
        Word { parts }
    }

    fn q(s: &str) -> WordPart {
        WordPart::Quoted(s.to_string())
    }

    fn l(s: &str) -> WordPart {
        WordPart::Literal(s.to_string())
    }

    fn param(name: &str, op: ParamOp) -> WordPart {
        WordPart::Param(Box::new(ParamExp {
            name: name.to_string(),
            index: None,
            indirect: false,
            op,
        }))
    }

    fn var(name: &str) -> WordPart {
        param(name, ParamOp::Plain)
    }

    fn simple_words(words: Vec<Word>) -> Command {
        Command::Simple(SimpleCommand {
            words,
            ..Default::default()
        })
    }

    fn sc(words: &[&str]) -> Command {
        simple_words(words.iter().map(|w| lit(w)).collect())
    }

    fn pl(commands: Vec<Command>) -> Pipeline {
        let n = commands.len();
        Pipeline {
            negated: false,
            timed: false,
            time_posix: false,
            commands,
            stderr_too: vec![false; n],
            span: Span::default(),
        }
    }

    fn ao(c: Command) -> AndOr {
        AndOr {
            first: pl(vec![c]),
            rest: vec![],
        }
    }

    fn item(c: Command, background: bool) -> ListItem {
        ListItem {
            and_or: ao(c),
            background,
        }
    }

    fn lst(cmds: Vec<Command>) -> List {
        List {
            items: cmds.into_iter().map(|c| item(c, false)).collect(),
        }
    }

    fn compound(c: CompoundCommand) -> Command {
        Command::Compound(c, vec![])
    }

    fn func(name: &str, body: Command) -> FunctionDef {
        FunctionDef {
            name: name.to_string(),
            body: Arc::new(body),
            source: String::new(),
            line: 1,
        }
    }

    fn redir(fd: Option<u32>, op: RedirOp, target: &str) -> Redirect {
        Redirect {
            fd,
            fd_var: None,
            op,
            target: RedirTarget::Word(lit(target)),
        }
    }

    fn heredoc(body: Vec<WordPart>, expand: bool, strip_tabs: bool) -> Redirect {
        Redirect {
            fd: None,
            fd_var: None,
            op: RedirOp::HereDoc { strip_tabs },
            target: RedirTarget::HereDoc(HereDoc {
                body,
                expand,
                delimiter: None,
                raw: None,
            }),
        }
    }

    #[test]
    fn quote_strings() {
        assert_eq!(quote(""), "''");
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote("a/b.c-d_e:f,g=h+i@j%k"), "a/b.c-d_e:f,g=h+i@j%k");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("'"), "\\'");
        assert_eq!(quote("''"), "\\'\\'");
        assert_eq!(quote("'a'"), "\\''a'\\'");
        assert_eq!(quote("a\nb"), "'a\nb'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("\"x\""), "'\"x\"'");
        assert_eq!(quote("héllo"), "'héllo'");
        assert_eq!(quote("~"), "'~'");
        assert_eq!(quote("*"), "'*'");
        assert_eq!(quote("a\\b"), "'a\\b'");
    }

    #[test]
    fn words() {
        assert_eq!(word(&lit("abc")), "abc");
        assert_eq!(word(&Word::default()), "''");
        assert_eq!(word(&wp(vec![q("")])), "''");
        assert_eq!(word(&wp(vec![q("a b")])), "'a b'");
        assert_eq!(word(&wp(vec![q("a'b")])), "'a'\\''b'");
        assert_eq!(word(&wp(vec![l("a"), q("*"), l("b")])), "a\\*b");
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![
                q("x is "),
                var("x"),
                q(" $`\"\\ 'q'")
            ])])),
            "\"x is $x \\$\\`\\\"\\\\ 'q'\""
        );
        assert_eq!(word(&wp(vec![WordPart::DoubleQuoted(vec![])])), "\"\"");
        assert_eq!(
            word(&wp(vec![WordPart::Tilde(String::new()), l("/x")])),
            "~/x"
        );
        assert_eq!(word(&wp(vec![WordPart::Tilde("bob".into())])), "~bob");
    }

    #[test]
    fn params_short_and_braced() {
        assert_eq!(word(&wp(vec![var("x")])), "$x");
        assert_eq!(word(&wp(vec![var("x"), l("y")])), "${x}y");
        assert_eq!(word(&wp(vec![var("x"), l("[1]")])), "${x}[1]");
        assert_eq!(word(&wp(vec![var("x"), l("-y")])), "$x-y");
        assert_eq!(word(&wp(vec![var("x"), q("y")])), "$x'y'");
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![var("x"), q("y")])])),
            "\"${x}y\""
        );
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![
                var("x"),
                q(""),
                q("y")
            ])])),
            "\"${x}y\""
        );
        assert_eq!(word(&wp(vec![var("1"), l("0")])), "${1}0");
        assert_eq!(word(&wp(vec![var("1"), l("a")])), "$1a");
        assert_eq!(word(&wp(vec![var("10")])), "${10}");
        assert_eq!(word(&wp(vec![var("@")])), "$@");
        assert_eq!(word(&wp(vec![var("?"), l("x")])), "$?x");
        assert_eq!(word(&wp(vec![var("$")])), "$$");
        assert_eq!(word(&wp(vec![var("#")])), "$#");
    }

    #[test]
    fn param_ops() {
        let w = |op| word(&wp(vec![param("x", op)]));
        let d = || lit("d");
        assert_eq!(w(ParamOp::Length), "${#x}");
        assert_eq!(
            w(ParamOp::Default {
                colon: true,
                word: d()
            }),
            "${x:-d}"
        );
        assert_eq!(
            w(ParamOp::Default {
                colon: false,
                word: d()
            }),
            "${x-d}"
        );
        assert_eq!(
            w(ParamOp::Assign {
                colon: true,
                word: d()
            }),
            "${x:=d}"
        );
        assert_eq!(
            w(ParamOp::Assign {
                colon: false,
                word: d()
            }),
            "${x=d}"
        );
        assert_eq!(
            w(ParamOp::Error {
                colon: true,
                word: Word::default()
            }),
            "${x:?}"
        );
        assert_eq!(
            w(ParamOp::Error {
                colon: false,
                word: d()
            }),
            "${x?d}"
        );
        assert_eq!(
            w(ParamOp::Alternative {
                colon: true,
                word: d()
            }),
            "${x:+d}"
        );
        assert_eq!(
            w(ParamOp::Alternative {
                colon: false,
                word: d()
            }),
            "${x+d}"
        );
        assert_eq!(
            w(ParamOp::RemovePrefix {
                longest: false,
                pattern: lit("*/")
            }),
            "${x#*/}"
        );
        assert_eq!(
            w(ParamOp::RemovePrefix {
                longest: true,
                pattern: lit("*/")
            }),
            "${x##*/}"
        );
        assert_eq!(
            w(ParamOp::RemoveSuffix {
                longest: false,
                pattern: lit(".*")
            }),
            "${x%.*}"
        );
        assert_eq!(
            w(ParamOp::RemoveSuffix {
                longest: true,
                pattern: lit(".*")
            }),
            "${x%%.*}"
        );
        let rep = |mode, r: &str| {
            w(ParamOp::Replace {
                mode,
                pattern: lit("a"),
                replacement: if r.is_empty() {
                    Word::default()
                } else {
                    lit(r)
                },
            })
        };
        assert_eq!(rep(ReplaceMode::First, "b"), "${x/a/b}");
        assert_eq!(rep(ReplaceMode::All, "b"), "${x//a/b}");
        assert_eq!(rep(ReplaceMode::Prefix, "b"), "${x/#a/b}");
        assert_eq!(rep(ReplaceMode::Suffix, ""), "${x/%a}");
        assert_eq!(
            w(ParamOp::Substring {
                offset: lit("1"),
                length: Some(lit("2"))
            }),
            "${x:1:2}"
        );
        assert_eq!(
            w(ParamOp::Substring {
                offset: lit("-1"),
                length: None
            }),
            "${x: -1}"
        );
        assert_eq!(
            w(ParamOp::Case {
                upper: Some(true),
                all: false,
                pattern: Word::default()
            }),
            "${x^}"
        );
        assert_eq!(
            w(ParamOp::Case {
                upper: Some(true),
                all: true,
                pattern: Word::default()
            }),
            "${x^^}"
        );
        assert_eq!(
            w(ParamOp::Case {
                upper: Some(false),
                all: false,
                pattern: lit("[ab]")
            }),
            "${x,[ab]}"
        );
        assert_eq!(
            w(ParamOp::Case {
                upper: Some(false),
                all: true,
                pattern: Word::default()
            }),
            "${x,,}"
        );
        assert_eq!(w(ParamOp::Transform { op: 'Q' }), "${x@Q}");
        assert_eq!(w(ParamOp::NamesWithPrefix { at: false }), "${!x*}");
        assert_eq!(w(ParamOp::NamesWithPrefix { at: true }), "${!x@}");
        assert_eq!(w(ParamOp::ArrayKeys { at: true }), "${!x[@]}");
        assert_eq!(w(ParamOp::ArrayKeys { at: false }), "${!x[*]}");

        let indexed = WordPart::Param(Box::new(ParamExp {
            name: "a".into(),
            index: Some(lit("@")),
            indirect: false,
            op: ParamOp::Length,
        }));
        assert_eq!(word(&wp(vec![indexed])), "${#a[@]}");
        let indirect = WordPart::Param(Box::new(ParamExp {
            name: "p".into(),
            index: None,
            indirect: true,
            op: ParamOp::Plain,
        }));
        assert_eq!(word(&wp(vec![indirect])), "${!p}");
        let at = WordPart::Param(Box::new(ParamExp {
            name: "a".into(),
            index: Some(lit("i")),
            indirect: false,
            op: ParamOp::Plain,
        }));
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![at])])),
            "\"${a[i]}\""
        );
    }

    #[test]
    fn param_words_in_double_quotes() {
        let dq = |op| word(&wp(vec![WordPart::DoubleQuoted(vec![param("x", op)])]));
        assert_eq!(
            dq(ParamOp::Default {
                colon: true,
                word: wp(vec![q("a}b $c")])
            }),
            "\"${x:-a\\}b \\$c}\""
        );
        assert_eq!(
            dq(ParamOp::Default {
                colon: true,
                word: wp(vec![WordPart::DoubleQuoted(vec![q("a b")])])
            }),
            "\"${x:-\"a b\"}\""
        );
        assert_eq!(
            dq(ParamOp::RemovePrefix {
                longest: false,
                pattern: wp(vec![q("*"), l("*")])
            }),
            "\"${x#'*'*}\""
        );
        // Unquoted: quoted parts in single quotes.
        assert_eq!(
            word(&wp(vec![param(
                "x",
                ParamOp::Default {
                    colon: true,
                    word: wp(vec![q("a b")])
                }
            )])),
            "${x:-'a b'}"
        );
    }

    #[test]
    fn replacement_and_heredoc_params() {
        let rep = WordPart::Param(Box::new(ParamExp {
            name: "x".into(),
            index: None,
            indirect: false,
            op: ParamOp::Replace {
                mode: ReplaceMode::All,
                pattern: wp(vec![q("#")]),
                replacement: wp(vec![q("&'~}")]),
            },
        }));
        assert_eq!(word(&wp(vec![rep.clone()])), "${x//\\#/'&'\\''~}'}");
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![rep.clone()])])),
            "\"${x//'#'/&'~\\}}\""
        );
        let first = WordPart::Param(Box::new(ParamExp {
            name: "x".into(),
            index: None,
            indirect: false,
            op: ParamOp::Replace {
                mode: ReplaceMode::First,
                pattern: lit("/a"),
                replacement: Word::default(),
            },
        }));
        assert_eq!(word(&wp(vec![first])), "${x/\\/a}");
        let dflt = param(
            "y",
            ParamOp::Default {
                colon: true,
                word: wp(vec![q("it's")]),
            },
        );
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![dflt.clone()])])),
            "\"${y:-it's}\""
        );
        let cat = Command::Simple(SimpleCommand {
            words: vec![lit("cat")],
            redirects: vec![heredoc(vec![q("a\n"), dflt, rep, q("\n")], true, false)],
            ..Default::default()
        });
        assert_eq!(
            command(&cat),
            "cat <<EOF\na\n${y:-it's}${x//'#'/&'~\\}}\nEOF\n"
        );
        assert_eq!(word(&lit("#x")), "\\#x");
    }

    #[test]
    fn substitutions() {
        let inner = Arc::new(lst(vec![sc(&["echo", "hi"])]));
        assert_eq!(
            word(&wp(vec![WordPart::CommandSub(inner.clone())])),
            "$(echo hi)"
        );
        assert_eq!(
            word(&wp(vec![WordPart::DoubleQuoted(vec![
                WordPart::CommandSub(inner.clone())
            ])])),
            "\"$(echo hi)\""
        );
        let sub = Arc::new(lst(vec![compound(CompoundCommand::Subshell(lst(vec![
            sc(&["a"]),
        ])))]));
        assert_eq!(word(&wp(vec![WordPart::CommandSub(sub)])), "$( ( a ) )");
        assert_eq!(
            word(&wp(vec![WordPart::ProcessSub(inner.clone(), true)])),
            "<(echo hi)"
        );
        assert_eq!(
            word(&wp(vec![WordPart::ProcessSub(inner, false)])),
            ">(echo hi)"
        );
        assert_eq!(
            word(&wp(vec![WordPart::Arith(wp(vec![l("1 + "), var("x")]))])),
            "$((1 + $x))"
        );
    }

    #[test]
    fn simple_commands_and_assignments() {
        let c = Command::Simple(SimpleCommand {
            assignments: vec![
                Assignment {
                    name: "a".into(),
                    index: None,
                    append: false,
                    value: AssignValue::Scalar(Word::default()),
                },
                Assignment {
                    name: "b".into(),
                    index: None,
                    append: true,
                    value: AssignValue::Scalar(wp(vec![q("x y")])),
                },
                Assignment {
                    name: "c".into(),
                    index: Some(wp(vec![var("i")])),
                    append: false,
                    value: AssignValue::Scalar(lit("1")),
                },
                Assignment {
                    name: "d".into(),
                    index: None,
                    append: false,
                    value: AssignValue::Array(vec![lit("1"), wp(vec![q("2 3")]), lit("[k]=v")]),
                },
            ],
            words: vec![lit("cmd"), lit("arg")],
            redirects: vec![
                redir(None, RedirOp::Output, "out"),
                redir(Some(2), RedirOp::DupOutput, "1"),
                redir(None, RedirOp::Input, "in"),
            ],
            span: Span::default(),
        });
        assert_eq!(
            command(&c),
            "a= b+='x y' c[$i]=1 d=(1 '2 3' [k]=v) cmd arg > out 2>&1 < in"
        );
        let only_redir = Command::Simple(SimpleCommand {
            redirects: vec![redir(None, RedirOp::Clobber, "f")],
            ..Default::default()
        });
        assert_eq!(command(&only_redir), ">| f");
    }

    #[test]
    fn redirection_operators() {
        let one = |r| {
            command(&Command::Simple(SimpleCommand {
                words: vec![lit("c")],
                redirects: vec![r],
                ..Default::default()
            }))
        };
        assert_eq!(one(redir(None, RedirOp::Append, "f")), "c >> f");
        assert_eq!(one(redir(Some(3), RedirOp::ReadWrite, "f")), "c 3<> f");
        assert_eq!(one(redir(Some(0), RedirOp::DupInput, "-")), "c 0<&-");
        assert_eq!(one(redir(None, RedirOp::HereString, "s")), "c <<< s");
        assert_eq!(one(redir(None, RedirOp::OutputBoth, "e")), "c &> e");
        assert_eq!(one(redir(None, RedirOp::AppendBoth, "e")), "c &>> e");
        let var = Redirect {
            fd: None,
            fd_var: Some("fd".into()),
            op: RedirOp::Output,
            target: RedirTarget::Word(lit("x")),
        };
        assert_eq!(one(var), "c {fd}> x");
        let psub = Redirect {
            fd: None,
            fd_var: None,
            op: RedirOp::Output,
            target: RedirTarget::Word(wp(vec![WordPart::ProcessSub(
                Arc::new(lst(vec![sc(&["cat"])])),
                false,
            )])),
        };
        assert_eq!(one(psub), "c > >(cat)");
    }

    #[test]
    fn reserved_and_assignment_like_words_are_protected() {
        assert_eq!(command(&sc(&["if"])), "\\if");
        assert_eq!(command(&sc(&["{"])), "\\{");
        assert_eq!(command(&sc(&["a=b", "c=d"])), "a\\=b c=d");
        assert_eq!(command(&sc(&["echo", "if"])), "echo if");
    }

    #[test]
    fn lists_and_pipelines() {
        let l = List {
            items: vec![
                item(sc(&["a"]), true),
                item(sc(&["b"]), false),
                ListItem {
                    and_or: AndOr {
                        first: pl(vec![sc(&["c"])]),
                        rest: vec![
                            (AndOrOp::And, pl(vec![sc(&["d"])])),
                            (AndOrOp::Or, pl(vec![sc(&["e"])])),
                        ],
                    },
                    background: true,
                },
            ],
        };
        assert_eq!(list(&l), "a & b; c && d || e &");
        assert_eq!(and_or(&l.items[2].and_or), "c && d || e");
        assert_eq!(list(&List::default()), "");

        let mut p = pl(vec![sc(&["a"]), sc(&["b"]), sc(&["c"])]);
        p.negated = true;
        p.timed = true;
        p.stderr_too = vec![true, false, false];
        assert_eq!(pipeline(&p), "time ! a |& b | c");
    }

    #[test]
    fn compound_commands() {
        let ab = || lst(vec![sc(&["a"]), sc(&["b"])]);
        let c = |x: &str| lst(vec![sc(&[x])]);
        assert_eq!(
            command(&compound(CompoundCommand::BraceGroup(ab()))),
            "{ a; b; }"
        );
        assert_eq!(
            command(&compound(CompoundCommand::Subshell(ab()))),
            "( a; b )"
        );
        assert_eq!(
            command(&compound(CompoundCommand::BraceGroup(List {
                items: vec![item(sc(&["a"]), true)]
            }))),
            "{ a & }"
        );
        assert_eq!(
            command(&compound(CompoundCommand::BraceGroup(List::default()))),
            "{ :; }"
        );
        let iff = CompoundCommand::If {
            branches: vec![(c("t1"), c("b1")), (c("t2"), c("b2"))],
            else_branch: Some(c("b3")),
        };
        assert_eq!(
            command(&compound(iff)),
            "if t1; then b1; elif t2; then b2; else b3; fi"
        );
        let wh = CompoundCommand::Loop {
            until: false,
            condition: c("t"),
            body: ab(),
        };
        assert_eq!(command(&compound(wh)), "while t; do a; b; done");
        let un = CompoundCommand::Loop {
            until: true,
            condition: c("t"),
            body: c("a"),
        };
        assert_eq!(command(&compound(un)), "until t; do a; done");
        let f1 = CompoundCommand::For {
            var: "i".into(),
            words: Some(vec![lit("x"), wp(vec![q("y z")])]),
            body: c("a"),
        };
        assert_eq!(command(&compound(f1)), "for i in x 'y z'; do a; done");
        let f2 = CompoundCommand::For {
            var: "i".into(),
            words: None,
            body: c("a"),
        };
        assert_eq!(command(&compound(f2)), "for i in \"$@\"; do a; done");
        let f3 = CompoundCommand::For {
            var: "i".into(),
            words: Some(vec![]),
            body: c("a"),
        };
        assert_eq!(command(&compound(f3)), "for i in; do a; done");
        let af = CompoundCommand::ArithFor {
            init: lit("i=0"),
            condition: lit("i<3"),
            step: lit("i++"),
            body: c("a"),
        };
        assert_eq!(command(&compound(af)), "for ((i=0;i<3;i++)); do a; done");
        assert_eq!(
            command(&compound(CompoundCommand::Arith(lit(" x++ ")))),
            "(( x++ ))"
        );
        let redirected = Command::Compound(
            CompoundCommand::BraceGroup(c("a")),
            vec![redir(None, RedirOp::Output, "/dev/null")],
        );
        assert_eq!(command(&redirected), "{ a; } > /dev/null");
    }

    #[test]
    fn case_command() {
        let cs = CompoundCommand::Case {
            word: wp(vec![var("x")]),
            arms: vec![
                CaseArm {
                    patterns: vec![lit("a"), lit("b*")],
                    body: lst(vec![sc(&["echo", "a"])]),
                    terminator: CaseTerminator::Break,
                },
                CaseArm {
                    patterns: vec![wp(vec![q("c d")])],
                    body: lst(vec![sc(&["c"])]),
                    terminator: CaseTerminator::FallThrough,
                },
                CaseArm {
                    patterns: vec![lit("esac")],
                    body: List::default(),
                    terminator: CaseTerminator::Continue,
                },
                CaseArm {
                    patterns: vec![lit("*")],
                    body: List {
                        items: vec![item(sc(&["bg"]), true)],
                    },
                    terminator: CaseTerminator::Break,
                },
            ],
        };
        assert_eq!(
            command(&compound(cs.clone())),
            "case $x in a|b*) echo a;; 'c d') c;& (esac) ;;& *) bg & ;; esac"
        );
        let f = func(
            "f",
            compound(CompoundCommand::BraceGroup(lst(vec![compound(cs)]))),
        );
        assert_eq!(
            function_definition(&f),
            "f () \n{ \n    case $x in \n        a | b*)\n            echo a\n        ;;\n        \
             'c d')\n            c\n        ;&\n        (esac)\n        ;;&\n        *)\n            \
             bg &\n        ;;\n    esac\n}"
        );
    }

    #[test]
    fn cond_expressions() {
        let b = |e| command(&compound(CompoundCommand::Cond(e)));
        let u = |op: &str, w: &str| CondExpr::Unary(op.into(), lit(w));
        let bin = |a: &str, op: &str, c: &str| CondExpr::Binary(lit(a), op.into(), lit(c));
        assert_eq!(b(u("f", "x")), "[[ -f x ]]");
        assert_eq!(b(bin("a", "==", "b*")), "[[ a == b* ]]");
        assert_eq!(b(CondExpr::Word(wp(vec![var("x")]))), "[[ $x ]]");
        // a && (b || c)
        let e = CondExpr::And(
            Box::new(u("f", "x")),
            Box::new(CondExpr::Or(
                Box::new(bin("a", "==", "b")),
                Box::new(CondExpr::Not(Box::new(u("z", "c")))),
            )),
        );
        assert_eq!(b(e), "[[ -f x && ( a == b || ! -z c ) ]]");
        // (a || b) || c needs no parentheses; a || (b || c) does.
        let left = CondExpr::Or(
            Box::new(CondExpr::Or(Box::new(u("a", "1")), Box::new(u("a", "2")))),
            Box::new(u("a", "3")),
        );
        assert_eq!(b(left), "[[ -a 1 || -a 2 || -a 3 ]]");
        let right = CondExpr::Or(
            Box::new(u("a", "1")),
            Box::new(CondExpr::Or(Box::new(u("a", "2")), Box::new(u("a", "3")))),
        );
        assert_eq!(b(right), "[[ -a 1 || ( -a 2 || -a 3 ) ]]");
        let not_and = CondExpr::Not(Box::new(CondExpr::And(
            Box::new(u("a", "1")),
            Box::new(u("a", "2")),
        )));
        assert_eq!(b(not_and), "[[ ! ( -a 1 && -a 2 ) ]]");
        let and_or = CondExpr::Or(
            Box::new(CondExpr::And(Box::new(u("a", "1")), Box::new(u("a", "2")))),
            Box::new(u("a", "3")),
        );
        assert_eq!(b(and_or), "[[ -a 1 && -a 2 || -a 3 ]]");
    }

    #[test]
    fn heredocs_compact() {
        let cat = Command::Simple(SimpleCommand {
            words: vec![lit("cat")],
            redirects: vec![heredoc(vec![q("hello $x\n")], false, false)],
            ..Default::default()
        });
        assert_eq!(command(&cat), "cat <<'EOF'\nhello $x\nEOF\n");
        let l = lst(vec![cat.clone(), sc(&["echo", "done"])]);
        assert_eq!(list(&l), "cat <<'EOF'\nhello $x\nEOF\necho done");

        let expanding = Command::Simple(SimpleCommand {
            words: vec![lit("cat")],
            redirects: vec![heredoc(
                vec![q("a \"q\" $ ` \\ "), var("x"), q("\nEOF\n")],
                true,
                true,
            )],
            ..Default::default()
        });
        assert_eq!(
            command(&expanding),
            "cat <<-EOF1\na \"q\" \\$ \\` \\\\ $x\nEOF\nEOF1\n"
        );

        // A here-document inside a brace group, piped: the body comes before `}`.
        let grp = compound(CompoundCommand::BraceGroup(lst(vec![cat.clone()])));
        let p = Pipeline {
            stderr_too: vec![false, false],
            ..pl(vec![grp, sc(&["grep", "x"])])
        };
        assert_eq!(
            list(&List {
                items: vec![ListItem {
                    and_or: AndOr {
                        first: p,
                        rest: vec![]
                    },
                    background: true
                }]
            }),
            "{ cat <<'EOF'\nhello $x\nEOF\n} | grep x &"
        );

        // Background command with a here-document, then another.
        let l2 = List {
            items: vec![item(cat.clone(), true), item(sc(&["b"]), false)],
        };
        assert_eq!(list(&l2), "cat <<'EOF' &\nhello $x\nEOF\nb");

        // In an `if` condition.
        let iff = CompoundCommand::If {
            branches: vec![(lst(vec![cat.clone()]), lst(vec![sc(&["y"])]))],
            else_branch: None,
        };
        assert_eq!(
            command(&compound(iff)),
            "if cat <<'EOF'\nhello $x\nEOF\nthen y; fi"
        );

        // Inside a command substitution.
        let sub = wp(vec![WordPart::CommandSub(Arc::new(lst(vec![cat])))]);
        assert_eq!(word(&sub), "$(cat <<'EOF'\nhello $x\nEOF\n)");

        // Empty body.
        let empty = Command::Simple(SimpleCommand {
            words: vec![lit("cat")],
            redirects: vec![heredoc(vec![], true, false)],
            ..Default::default()
        });
        assert_eq!(command(&empty), "cat <<EOF\nEOF\n");
    }

    #[test]
    fn function_forms() {
        let body = compound(CompoundCommand::BraceGroup(lst(vec![sc(&["echo", "hi"])])));
        let f = func("f", body);
        assert_eq!(function_definition(&f), "f () \n{ \n    echo hi\n}");
        assert_eq!(function_compact(&f), "f() { echo hi; }");
        assert_eq!(
            command(&Command::FunctionDef(Arc::new(f.clone()))),
            "f() { echo hi; }"
        );

        let sub = Command::Compound(
            CompoundCommand::Subshell(lst(vec![sc(&["echo"])])),
            vec![redir(None, RedirOp::Output, "out")],
        );
        let g = func("g", sub);
        assert_eq!(function_compact(&g), "g() ( echo ) > out");
        assert_eq!(function_definition(&g), "g () \n{ \n    ( echo ) > out\n}");

        let redirected = Command::Compound(
            CompoundCommand::BraceGroup(lst(vec![sc(&[":"])])),
            vec![redir(None, RedirOp::Output, "out")],
        );
        assert_eq!(
            function_definition(&func("h", redirected)),
            "h () \n{ \n    :\n} > out"
        );
    }

    #[test]
    fn function_multiline_layout_matches_bash() {
        let c = |x: &str| lst(vec![sc(&[x])]);
        let body = List {
            items: vec![
                item(sc(&["echo", "hi"]), false),
                item(
                    compound(CompoundCommand::If {
                        branches: vec![(c("true"), c("a")), (c("false"), c("b"))],
                        else_branch: Some(c("c")),
                    }),
                    false,
                ),
                item(
                    compound(CompoundCommand::For {
                        var: "i".into(),
                        words: Some(vec![lit("a"), lit("b")]),
                        body: c("x"),
                    }),
                    false,
                ),
                item(
                    compound(CompoundCommand::Loop {
                        until: false,
                        condition: c("true"),
                        body: c("break"),
                    }),
                    false,
                ),
                item(compound(CompoundCommand::Subshell(c("s"))), false),
                item(
                    Command::FunctionDef(Arc::new(func(
                        "inner",
                        compound(CompoundCommand::BraceGroup(c("x"))),
                    ))),
                    false,
                ),
                item(
                    Command::Compound(
                        CompoundCommand::BraceGroup(c("grp")),
                        vec![redir(None, RedirOp::Output, "/dev/null")],
                    ),
                    false,
                ),
                item(sc(&["last"]), true),
            ],
        };
        let f = func("f", compound(CompoundCommand::BraceGroup(body)));
        let expected = "\
f () 
{ 
    echo hi;
    if true; then
        a;
    else
        if false; then
            b;
        else
            c;
        fi;
    fi;
    for i in a b;
    do
        x;
    done;
    while true; do
        break;
    done;
    ( s );
    function inner () 
    { 
        x
    };
    { 
        grp
    } > /dev/null;
    last &
}";
        assert_eq!(function_definition(&f), expected);
    }

    #[test]
    fn heredoc_in_function_listing() {
        let cat = Command::Simple(SimpleCommand {
            words: vec![lit("cat")],
            redirects: vec![heredoc(vec![q("body\n")], false, false)],
            ..Default::default()
        });
        let f = func(
            "f",
            compound(CompoundCommand::BraceGroup(lst(vec![cat, sc(&["echo"])]))),
        );
        assert_eq!(
            function_definition(&f),
            // bash leaves an empty line after the delimiter.
            "f () \n{ \n    cat <<'EOF'\nbody\nEOF\n\n    echo\n}"
        );
    }
}
