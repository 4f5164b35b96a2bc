//! The abstract syntax tree the parser produces and the evaluator walks.
//!
//! Plain data: no behaviour beyond small helpers. Parse once, run many times —
//! loops and functions keep their subtrees (functions behind an `Arc`, so that shell code can run on threads).

use std::sync::Arc;

/// A position in the source text, for error messages and `$LINENO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
    /// 1-based line number of `start`.
    pub line: u32,
}

/// A sequence of and-or lists separated by `;`, `&` or newlines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct List {
    /// The items, in source order.
    pub items: Vec<ListItem>,
}

/// One and-or list with its terminator.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// The commands.
    pub and_or: AndOr,
    /// Terminated by `&`: run asynchronously.
    pub background: bool,
}

/// `p1 && p2 || p3 …`
#[derive(Debug, Clone, PartialEq)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The rest, each with the operator before it.
    pub rest: Vec<(AndOrOp, Pipeline)>,
}

/// The operator between two pipelines of an and-or list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AndOrOp {
    /// `&&`
    And,
    /// `||`
    Or,
}

/// `[!] cmd1 | cmd2 | …`
#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// Preceded by `!`.
    pub negated: bool,
    /// Preceded by the `time` keyword (bash).
    pub timed: bool,
    /// `time -p`: the report in POSIX's format, whatever `TIMEFORMAT` says.
    pub time_posix: bool,
    /// At least one command.
    pub commands: Vec<Command>,
    /// `|&` after command i (bash): stderr joins stdout; same length as `commands`.
    pub stderr_too: Vec<bool>,
    /// Source position of the whole pipeline.
    pub span: Span,
}

/// One command of a pipeline.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Assignments, words and redirections.
    Simple(SimpleCommand),
    /// A compound command with the redirections that follow it.
    Compound(CompoundCommand, Vec<Redirect>),
    /// `name() compound [redirections]` or `function name …`.
    FunctionDef(Arc<FunctionDef>),
    /// `coproc [NAME] command` (bash).
    Coproc(Arc<Coproc>),
}

/// `coproc NAME compound-command` or `coproc simple-command`: the command
/// runs in the background with its standard input and output on pipes
/// whose other ends the shell keeps in `NAME[1]` and `NAME[0]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coproc {
    /// The array that receives the descriptors (`COPROC` when not given).
    pub name: String,
    /// Whether the name was written (only before a compound command).
    pub named: bool,
    /// The command.
    pub body: Command,
}

/// `A=1 B=2 cmd arg1 arg2 >out`
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimpleCommand {
    /// Leading `name=value` words.
    pub assignments: Vec<Assignment>,
    /// Command name and arguments, unexpanded.
    pub words: Vec<Word>,
    /// Redirections, in source order (wherever they appeared among the words).
    pub redirects: Vec<Redirect>,
    /// Where the command starts.
    pub span: Span,
}

/// `name=value`, `name+=value`, `name[i]=value`, `name=(a b c)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The variable name.
    pub name: String,
    /// `name[index]=…` (bash arrays): the index, unexpanded.
    pub index: Option<Word>,
    /// `+=` rather than `=`.
    pub append: bool,
    /// The value.
    pub value: AssignValue,
}

/// The right-hand side of an assignment.
#[derive(Debug, Clone, PartialEq)]
pub enum AssignValue {
    /// `name=word` (the word may be empty).
    Scalar(Word),
    /// `name=(w1 w2 …)` (bash).
    Array(Vec<Word>),
}

/// A word: the concatenation of its parts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Word {
    /// The parts, in order.
    pub parts: Vec<WordPart>,
}

/// A piece of a word.
#[derive(Debug, Clone, PartialEq)]
pub enum WordPart {
    /// Unquoted text: subject to brace expansion, field splitting does not
    /// apply, but `* ? [` are pattern characters.
    Literal(String),
    /// Quoted text with no expansions: `'…'`, `$'…'` (escapes already
    /// decoded), a backslash-escaped character, or literal text inside `"…"`.
    Quoted(String),
    /// `"…"`: its parts are expanded but never split or globbed.
    DoubleQuoted(Vec<WordPart>),
    /// `$name`, `${…}`.
    Param(Box<ParamExp>),
    /// `$(…)` or `` `…` ``, parsed.
    CommandSub(Arc<List>),
    /// `${ list; }` (bash 5.3): the list runs in this shell, as a function
    /// body (`local`, `return`), and its output is the value; with `reply`
    /// (`${| list; }`) the value is what it left in `REPLY`.
    FunSub(Arc<List>, bool),
    /// `$((…))`: the expression text, itself expanded (parameters, command
    /// substitutions, quote removal) before it is evaluated.
    Arith(Word),
    /// `~` or `~user` at the start of a word (or after `:`/`=` in an assignment value).
    Tilde(String),
    /// `<(…)` (true) or `>(…)` (false): process substitution (bash).
    ProcessSub(Arc<List>, bool),
}

/// A parameter expansion.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamExp {
    /// `name`, a positional number (`1`, `10`), or a special (`@ * # ? - $ ! 0`).
    pub name: String,
    /// `${name[index]}` (bash arrays), unexpanded; `@`/`*` are words too.
    pub index: Option<Word>,
    /// `${!name}` (bash indirection).
    pub indirect: bool,
    /// What to do with the value.
    pub op: ParamOp,
}

/// The operation of a parameter expansion.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamOp {
    /// `$x`, `${x}`.
    Plain,
    /// `${#x}`.
    Length,
    /// `${x-w}`, `${x:-w}` (colon: also when empty).
    Default {
        /// Colon form.
        colon: bool,
        /// The word.
        word: Word,
    },
    /// `${x=w}`, `${x:=w}`.
    Assign {
        /// Colon form.
        colon: bool,
        /// The word.
        word: Word,
    },
    /// `${x?w}`, `${x:?w}`.
    Error {
        /// Colon form.
        colon: bool,
        /// The message (may be empty).
        word: Word,
    },
    /// `${x+w}`, `${x:+w}`.
    Alternative {
        /// Colon form.
        colon: bool,
        /// The word.
        word: Word,
    },
    /// `${x#p}` / `${x##p}`.
    RemovePrefix {
        /// `##`.
        longest: bool,
        /// The pattern.
        pattern: Word,
    },
    /// `${x%p}` / `${x%%p}`.
    RemoveSuffix {
        /// `%%`.
        longest: bool,
        /// The pattern.
        pattern: Word,
    },
    /// `${x/p/r}`, `${x//p/r}`, `${x/#p/r}`, `${x/%p/r}` (bash).
    Replace {
        /// Which occurrences.
        mode: ReplaceMode,
        /// The pattern.
        pattern: Word,
        /// The replacement (empty when omitted).
        replacement: Word,
    },
    /// `${x:offset}` / `${x:offset:length}` (bash); texts are arithmetic.
    Substring {
        /// The offset expression.
        offset: Word,
        /// The length expression.
        length: Option<Word>,
    },
    /// `${x^p}`, `${x^^p}`, `${x,p}`, `${x,,p}`, `${x~p}`, `${x~~p}` (bash).
    Case {
        /// `^` (`Some(true)`), `,` (`Some(false)`) or `~` (`None`: the
        /// case of each letter is swapped).
        upper: Option<bool>,
        /// Doubled: every match, not just the first character.
        all: bool,
        /// The pattern (empty: any character).
        pattern: Word,
    },
    /// `${!prefix*}` / `${!prefix@}` (bash): names starting with `name`.
    NamesWithPrefix {
        /// `@` rather than `*`.
        at: bool,
    },
    /// `${!name[@]}` / `${!name[*]}` (bash): the indices of an array.
    ArrayKeys {
        /// `@` rather than `*`.
        at: bool,
    },
    /// `${x@Q}`, `${x@P}`, `${x@a}`, `${x@U}`, … (bash): a transformation
    /// named by one letter (the parser accepts any ASCII letter; an unknown
    /// one is a runtime "bad substitution", as in bash).
    Transform {
        /// The letter after `@`.
        op: char,
    },
    /// `${(M)x}` and other text no parameter expansion has (zsh's flags in
    /// a branch meant for zsh): an error only when expanded, as in bash
    /// and dash. Holds the text between the braces.
    Invalid {
        /// The text between `${` and `}`.
        text: String,
    },
}

/// Which matches `${x/p/r}` replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplaceMode {
    /// `/`: the first.
    First,
    /// `//`: all.
    All,
    /// `/#`: a match at the start.
    Prefix,
    /// `/%`: a match at the end.
    Suffix,
}

/// A redirection.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    /// The explicit fd number (`2>`), if any.
    pub fd: Option<u32>,
    /// `{name}>file` (bash): the shell picks the fd and stores it in `name`.
    pub fd_var: Option<String>,
    /// The operator.
    pub op: RedirOp,
    /// The file, fd or here-document.
    pub target: RedirTarget,
}

/// Redirection operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`
    Input,
    /// `>`
    Output,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupInput,
    /// `>&`
    DupOutput,
    /// `<<` (false) or `<<-` (true: leading tabs stripped).
    HereDoc {
        /// `<<-`.
        strip_tabs: bool,
    },
    /// `<<<` (bash).
    HereString,
    /// `&>` (bash): stdout and stderr to a file.
    OutputBoth,
    /// `&>>` (bash).
    AppendBoth,
}

/// What a redirection points at.
#[derive(Debug, Clone, PartialEq)]
pub enum RedirTarget {
    /// A file name, an fd number, or `-`.
    Word(Word),
    /// A here-document's body.
    HereDoc(HereDoc),
}

/// A here-document body.
#[derive(Debug, Clone, PartialEq)]
pub struct HereDoc {
    /// The body, tabs already stripped for `<<-`. When `expand` is false it
    /// is one `Quoted` part; otherwise its parts are expanded as inside
    /// double quotes (`Quoted` text, `Param`, `CommandSub`, `Arith`).
    pub body: Vec<WordPart>,
    /// The delimiter was unquoted: the body undergoes expansion.
    pub expand: bool,
    /// The delimiter as the script wrote it, quotes removed (`None`: one
    /// the shell made up), which `type` and `declare -f` print back.
    pub delimiter: Option<String>,
    /// An expanding body as the script wrote it (`${x}` stays `${x}`),
    /// printed back as it is.
    pub raw: Option<String>,
}

/// Compound commands.
#[derive(Debug, Clone, PartialEq)]
pub enum CompoundCommand {
    /// `{ list; }`
    BraceGroup(List),
    /// `( list )`
    Subshell(List),
    /// `if c1; then b1; elif c2; then b2; else b3; fi`
    If {
        /// `(condition, body)` for `if` and each `elif`.
        branches: Vec<(List, List)>,
        /// The `else` body.
        else_branch: Option<List>,
    },
    /// `while c; do b; done` (until = false) or `until c; do b; done` (until = true).
    Loop {
        /// `until` rather than `while`.
        until: bool,
        /// The condition.
        condition: List,
        /// The body.
        body: List,
    },
    /// `for name [in words]; do body; done`.
    For {
        /// The loop variable.
        var: String,
        /// `None`: no `in` (iterate over `"$@"`).
        words: Option<Vec<Word>>,
        /// The body.
        body: List,
    },
    /// `select name [in words]; do body; done` (bash, ksh): a numbered
    /// menu on standard error, a choice read into `REPLY`.
    Select {
        /// The variable set to the chosen word.
        var: String,
        /// `None`: no `in` (the positional parameters).
        words: Option<Vec<Word>>,
        /// The body.
        body: List,
    },
    /// `for ((init; cond; step)); do body; done` (bash); the texts are arithmetic.
    ArithFor {
        /// Initialisation expression (may be empty).
        init: Word,
        /// Condition (empty: true).
        condition: Word,
        /// Step expression.
        step: Word,
        /// The body.
        body: List,
    },
    /// `case word in pattern) list ;; esac`
    Case {
        /// The subject.
        word: Word,
        /// The arms, in order.
        arms: Vec<CaseArm>,
    },
    /// `(( expr ))` (bash).
    Arith(Word),
    /// `[[ expr ]]` (bash).
    Cond(CondExpr),
}

/// One arm of a `case`.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseArm {
    /// `p1|p2|…`
    pub patterns: Vec<Word>,
    /// The body.
    pub body: List,
    /// What follows the body.
    pub terminator: CaseTerminator,
}

/// How a `case` arm ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseTerminator {
    /// `;;` (or the last arm without one).
    Break,
    /// `;&`: run the next arm's body too.
    FallThrough,
    /// `;;&`: test the next arms' patterns too.
    Continue,
}

/// A function definition.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    /// The name.
    pub name: String,
    /// The body: a compound command with its redirections.
    pub body: Arc<Command>,
    /// The source text of the whole definition, for `type`, `declare -f`
    /// and handing functions to a self-spawned shell.
    pub source: String,
    /// The line the definition starts on (`declare -F` under `extdebug`).
    pub line: u32,
}

/// An expression inside `[[ … ]]`.
#[derive(Debug, Clone, PartialEq)]
pub enum CondExpr {
    /// `-f word`, `-z word`, …: the operator without its dash (`"f"`).
    Unary(String, Word),
    /// `a == b`, `a -eq b`, `a =~ b`, `a < b`, …: the operator as written.
    /// For `==`, `!=` and `=` the right side is a pattern; for `=~` a regex.
    Binary(Word, String, Word),
    /// A lone word: true when non-empty.
    Word(Word),
    /// `! e`
    Not(Box<CondExpr>),
    /// `a && b`
    And(Box<CondExpr>, Box<CondExpr>),
    /// `a || b`
    Or(Box<CondExpr>, Box<CondExpr>),
}

impl Word {
    /// A word made of one unquoted literal.
    pub fn literal(text: &str) -> Word {
        Word {
            parts: vec![WordPart::Literal(text.to_string())],
        }
    }

    /// Whether expanding the word runs commands (`$( )`, backquotes,
    /// process substitution), anywhere inside it.
    pub fn has_command_substitution(&self) -> bool {
        parts_run_commands(&self.parts)
    }

    /// Whether the word is nothing but unquoted blanks (or nothing).
    pub fn is_blank(&self) -> bool {
        self.parts.iter().all(|p| match p {
            WordPart::Literal(s) => s.trim().is_empty(),
            _ => false,
        })
    }

    /// The text of the word if it has no expansions and no quoting at all.
    pub fn as_plain_literal(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Literal(s)] => Some(s),
            _ => None,
        }
    }
}

fn parts_run_commands(parts: &[WordPart]) -> bool {
    parts.iter().any(|p| match p {
        WordPart::CommandSub(_) | WordPart::ProcessSub(..) | WordPart::FunSub(..) => true,
        WordPart::DoubleQuoted(inner) => parts_run_commands(inner),
        WordPart::Arith(w) => w.has_command_substitution(),
        WordPart::Param(pe) => {
            pe.index
                .as_ref()
                .is_some_and(Word::has_command_substitution)
                || param_op_words(&pe.op).any(Word::has_command_substitution)
        }
        WordPart::Literal(_) | WordPart::Quoted(_) | WordPart::Tilde(_) => false,
    })
}

fn param_op_words(op: &ParamOp) -> impl Iterator<Item = &Word> {
    let words: Vec<&Word> = match op {
        ParamOp::Default { word, .. }
        | ParamOp::Assign { word, .. }
        | ParamOp::Error { word, .. }
        | ParamOp::Alternative { word, .. } => vec![word],
        ParamOp::RemovePrefix { pattern, .. }
        | ParamOp::RemoveSuffix { pattern, .. }
        | ParamOp::Case { pattern, .. } => vec![pattern],
        ParamOp::Replace {
            pattern,
            replacement,
            ..
        } => vec![pattern, replacement],
        ParamOp::Substring { offset, length } => {
            std::iter::once(offset).chain(length.as_ref()).collect()
        }
        ParamOp::Plain
        | ParamOp::Length
        | ParamOp::NamesWithPrefix { .. }
        | ParamOp::ArrayKeys { .. }
        | ParamOp::Transform { .. }
        | ParamOp::Invalid { .. } => Vec::new(),
    };
    words.into_iter()
}
