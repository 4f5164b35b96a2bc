//! Handing a subshell's state to a self-spawned pidsh: what a subshell
//! copies ([`SubshellState`]), its serialization, and the program the
//! child runs.
//!
//! The state travels through a descriptor (a memfd the child finds at the
//! number named by `pidsh --subshell N`), never through argv or the
//! environment: a value may be secret (argv is world-readable in
//! `/proc/PID/cmdline`) or bigger than the kernel's argument limit, and
//! the shell's identity (`$$`, the signals ignored on entry) must not be
//! something the environment of an ordinary `pidsh` can override.
//!
//! The wire format is a header line, then fields, each a decimal byte
//! length, `:`, and that many bytes of shell text: one pass, no quoting,
//! linear in the size of the state whatever the values hold (newlines,
//! raw bytes as `crate::bytes` characters, quotes). [`SubshellState`]
//! decodes to exactly what it encoded; the unit tests check the round trip
//! over every kind of value and attribute.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::assoc::AssocArray;
use super::scope::ExecContext;
use super::state::{
    Array, CallFrame, LetterCase, OPTION_NAMES, Shell, ShellState, TrapAction, Var, Vars,
};

/// First line of every hand-over: the format's name and version.
const HEADER: &str = "pidsh-subshell 1\n";

/// Everything a subshell inherits from its parent shell, as plain data.
///
/// An in-process subshell is a copy of [`Shell`]; a subshell that must be
/// a process gets this instead, so both must see the same things.
/// [`SubshellState::of`] names every field of the shell and
/// `write_context` every field of its context, so a new field does not
/// compile until it is handed over or said not to be.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SubshellState {
    /// Every variable with its attributes (arrays, `-i -l -u -x -r -n`),
    /// including names declared but unset.
    pub vars: Vec<(String, Var)>,
    /// Active function calls (so `local` and `return` work).
    pub frames: usize,
    /// Function definitions, as their source text.
    pub functions: Vec<String>,
    /// Aliases.
    pub aliases: Vec<(String, String)>,
    /// `set -o` options that are on.
    pub options: Vec<String>,
    /// The shell is interactive (`$-` has `i`).
    pub interactive: bool,
    /// `shopt` options that are on.
    pub shopts: Vec<String>,
    /// Builtins `enable -n` turned off.
    pub disabled_builtins: Vec<String>,
    /// Functions `export -f` marked.
    pub exported_functions: Vec<String>,
    /// Functions `declare -ft` marked.
    pub traced_functions: Vec<String>,
    /// Functions `readonly -f` / `declare -fr` marked.
    pub readonly_functions: Vec<String>,
    /// `$0`.
    pub arg0: String,
    /// `$1 …`.
    pub positional: Vec<String>,
    /// `$?`.
    pub last_status: i32,
    /// `$!`.
    pub last_bg_pid: Option<i32>,
    /// `$$`: the top-level shell's pid.
    pub shell_pid: i32,
    /// Traps: `None` ignores the signal, `Some(code)` runs code.
    pub traps: Vec<(i32, Option<String>)>,
    /// The parent's traps, which `trap` lists until the subshell changes
    /// one (same form); `None` once it has.
    pub listed_traps: Option<Vec<(i32, Option<String>)>>,
    /// Signals ignored when the top-level shell started (beyond `trap`).
    pub ignored_on_entry: Vec<i32>,
    /// `pushd`'s stack.
    pub dir_stack: Vec<String>,
    /// The running functions, outermost first (`FUNCNAME`).
    pub function_names: Vec<String>,
    /// The running function calls and `.` scripts, outermost first
    /// (`BASH_SOURCE`, `BASH_LINENO`, `caller`).
    pub call_frames: Vec<CallFrame>,
    /// The file each function was defined in, sorted by name.
    pub function_files: Vec<(String, String)>,
    /// A script file runs (`FUNCNAME` ends with `main`).
    pub in_script_file: bool,
    /// `-c` text runs (how syntax errors are named).
    pub in_command_string: bool,
    /// `$LINENO` of the command that started the subshell.
    pub line: u32,
    /// `getopts`' position within a bundled argument.
    pub getopts_char: usize,
    /// The prompt's `\#`.
    pub command_number: u64,
    /// Where the subshell's code sits (conditions, loops, traps, `.`
    /// files, `eval`s around it): the part of the execution context that
    /// outlives a process boundary (`write_context`).
    pub ctx: ExecContext,
    /// Name used in messages.
    pub error_prefix: String,
    /// Milliseconds since the top-level shell started (`$SECONDS`).
    pub elapsed_ms: u64,
}

/// A hand-over that cannot be read (truncated, or not one at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverError(String);

impl fmt::Display for HandoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read the subshell's state: {}", self.0)
    }
}

impl SubshellState {
    /// The state of `sh`, which is already the subshell's copy
    /// ([`Shell::subshell`]).
    pub fn of(sh: &Shell) -> SubshellState {
        // Every field is named, so that a new one is either handed over or
        // said not to be: the compiler insists.
        let Shell {
            state:
                ShellState {
                    vars,
                    functions,
                    functions_version: _,
                    aliases,
                    options,
                    arg0,
                    positional,
                    last_status,
                    last_bg_pid,
                    shell_pid,
                    commands: _,
                    traps,
                    inherited_traps,
                    dir_stack,
                    // Given by `Fchdir` and `Umask` ops of the spawn.
                    cwd: _,
                    umask: _,
                    getopts_char,
                    function_files,
                    shopts,
                    // Only the line editor expands them; a subshell has none.
                    abbreviations: _,
                    disabled_builtins,
                    exported_functions,
                    command_number,
                    traced_functions,
                    readonly_functions,
                },
            // Laid out by the spawn; the child's own from there.
            fds: _,
            // The child is made with the same program's table.
            builtins: _,
            // A subshell does not own its parent's jobs.
            jobs: _,
            // The child reads no history (not interactive as a subshell).
            history: _,
            error_prefix,
            ctx,
            line,
            owns_process: _,
            ignored_signals,
            // Folded into the dispositions the spawn gives the child.
            ignored_by_parent_traps: _,
            // Results of the command being run, not yet state.
            cmdsub_status: _,
            errexit_exempt: _,
            // Only `.` compares it, within one process.
            positional_sets: _,
            function_names,
            call_frames,
            bash_command: _,
            // The child notes the name again as it parses its code.
            bash_command_read: _,
            bang_read: _,
            // A new process seeds its own.
            random: _,
            in_script_file,
            in_command_string,
            terminal: _,
            procsub_fds: _,
            coprocs: _,
            stopped_jobs_warned: _,
            started,
            redirections_kept: _,
            completion: _,
            // Settings of the line editor, which a subshell does not run.
            readline: _,
        } = sh;
        let (vars, frames) = vars.snapshot();
        let mut functions: Vec<_> = functions.values().collect();
        functions.sort_by(|a, b| a.name.cmp(&b.name));
        SubshellState {
            vars,
            frames,
            functions: functions.iter().map(|f| f.source.clone()).collect(),
            aliases: sorted(aliases.iter().map(|(k, v)| (k.clone(), v.clone()))),
            options: OPTION_NAMES
                .iter()
                .filter(|(name, _)| options.get(name))
                .map(|(name, _)| name.to_string())
                .collect(),
            interactive: options.interactive,
            shopts: shopts.iter().map(|s| s.to_string()).collect(),
            disabled_builtins: disabled_builtins.clone(),
            exported_functions: exported_functions.clone(),
            traced_functions: traced_functions.clone(),
            readonly_functions: readonly_functions.clone(),
            arg0: arg0.clone(),
            positional: positional.clone(),
            last_status: *last_status,
            last_bg_pid: *last_bg_pid,
            shell_pid: *shell_pid,
            traps: trap_list(traps),
            listed_traps: inherited_traps.as_deref().map(trap_list),
            ignored_on_entry: ignored_signals.clone(),
            dir_stack: dir_stack.clone(),
            function_names: function_names.clone(),
            call_frames: call_frames.clone(),
            function_files: sorted(function_files.iter().map(|(k, v)| (k.clone(), v.clone()))),
            in_script_file: *in_script_file,
            in_command_string: *in_command_string,
            line: *line,
            getopts_char: *getopts_char,
            command_number: *command_number,
            ctx: ctx.clone(),
            error_prefix: error_prefix.clone(),
            elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        }
    }

    /// Makes `sh` (a new shell in the child process) this subshell.
    /// Function definitions are run as code, after the `shopt` options
    /// their text may need (`extglob`).
    pub fn apply(self, sh: &mut Shell) {
        sh.state.vars = Vars::restore(self.vars, self.frames);
        for (name, _) in OPTION_NAMES {
            let on = self.options.iter().any(|o| o == name);
            sh.state.options.set_named(name, on);
        }
        sh.state.options.interactive = self.interactive;
        sh.state.shopts = super::shopts::NAMES
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| self.shopts.iter().any(|s| s == name))
            .collect();
        sh.state.disabled_builtins = self.disabled_builtins;
        sh.state.exported_functions = self.exported_functions;
        sh.state.traced_functions = self.traced_functions;
        sh.state.readonly_functions = self.readonly_functions;
        sh.state.aliases = std::sync::Arc::new(self.aliases.into_iter().collect());
        sh.state.arg0 = self.arg0;
        sh.state.positional = self.positional;
        sh.state.last_bg_pid = self.last_bg_pid;
        sh.state.shell_pid = self.shell_pid;
        sh.state.traps = trap_table(self.traps);
        sh.state.inherited_traps = self
            .listed_traps
            .map(|list| std::sync::Arc::new(trap_table(list)));
        sh.state.dir_stack = self.dir_stack;
        sh.in_script_file = self.in_script_file;
        sh.in_command_string = self.in_command_string;
        sh.state.getopts_char = self.getopts_char;
        sh.state.command_number = self.command_number;
        sh.ctx = self.ctx;
        sh.error_prefix = self.error_prefix;
        if let Some(started) =
            std::time::Instant::now().checked_sub(std::time::Duration::from_millis(self.elapsed_ms))
        {
            sh.started = started;
        }
        for source in &self.functions {
            let _ = sh.run_source_text(source);
        }
        // Set last: defining the functions ran commands.
        sh.function_names = self.function_names;
        sh.call_frames = self.call_frames;
        sh.state.function_files = std::sync::Arc::new(self.function_files.into_iter().collect());
        sh.line = self.line;
        sh.state.last_status = self.last_status;
    }

    /// The bytes of this state followed by the program the child runs.
    pub fn encode(&self, program: &str) -> Vec<u8> {
        let mut w = Writer(HEADER.as_bytes().to_vec());
        w.count(self.vars.len());
        for (name, var) in &self.vars {
            w.text(name);
            write_var(&mut w, var);
        }
        w.count(self.frames);
        w.texts(&self.functions);
        w.count(self.aliases.len());
        for (name, value) in &self.aliases {
            w.text(name);
            w.text(value);
        }
        w.texts(&self.options);
        w.flag(self.interactive);
        w.texts(&self.shopts);
        w.texts(&self.disabled_builtins);
        w.texts(&self.exported_functions);
        w.texts(&self.traced_functions);
        w.texts(&self.readonly_functions);
        w.text(&self.arg0);
        w.texts(&self.positional);
        w.number(self.last_status);
        w.optional(self.last_bg_pid.map(|p| p.to_string()).as_deref());
        w.number(self.shell_pid);
        write_traps(&mut w, &self.traps);
        w.flag(self.listed_traps.is_some());
        write_traps(&mut w, self.listed_traps.as_deref().unwrap_or_default());
        w.numbers(&self.ignored_on_entry);
        w.texts(&self.dir_stack);
        w.texts(&self.function_names);
        w.count(self.call_frames.len());
        for frame in &self.call_frames {
            // `saved_options` stays behind: the subshell never returns
            // from the function that saved them.
            let CallFrame {
                name,
                file,
                call_line,
                args,
                caller_args,
                saved_options: _,
            } = frame;
            w.texts(args);
            w.texts(caller_args);
            w.text(name);
            w.text(file);
            w.number(*call_line);
        }
        w.count(self.function_files.len());
        for (name, file) in &self.function_files {
            w.text(name);
            w.text(file);
        }
        w.flag(self.in_script_file);
        w.flag(self.in_command_string);
        w.number(self.line);
        w.count(self.getopts_char);
        w.number(self.command_number);
        write_context(&mut w, &self.ctx);
        w.text(&self.error_prefix);
        w.number(self.elapsed_ms);
        w.text(program);
        w.0
    }

    /// Reads what [`SubshellState::encode`] wrote: the state and the program.
    pub fn decode(bytes: &[u8]) -> Result<(SubshellState, String), HandoverError> {
        let rest = bytes
            .strip_prefix(HEADER.as_bytes())
            .ok_or_else(|| HandoverError("not a pidsh hand-over".into()))?;
        let mut r = Reader { data: rest };
        let mut state = SubshellState::default();
        for _ in 0..r.count()? {
            let name = r.text()?;
            state.vars.push((name, read_var(&mut r)?));
        }
        state.frames = r.count()?;
        state.functions = r.texts()?;
        for _ in 0..r.count()? {
            state.aliases.push((r.text()?, r.text()?));
        }
        state.options = r.texts()?;
        state.interactive = r.flag()?;
        state.shopts = r.texts()?;
        state.disabled_builtins = r.texts()?;
        state.exported_functions = r.texts()?;
        state.traced_functions = r.texts()?;
        state.readonly_functions = r.texts()?;
        state.arg0 = r.text()?;
        state.positional = r.texts()?;
        state.last_status = r.number()?;
        state.last_bg_pid = r.optional()?.map(|p| parse_number(&p)).transpose()?;
        state.shell_pid = r.number()?;
        state.traps = read_traps(&mut r)?;
        let listed = r.flag()?;
        let listed_traps = read_traps(&mut r)?;
        state.listed_traps = listed.then_some(listed_traps);
        state.ignored_on_entry = r.numbers()?;
        state.dir_stack = r.texts()?;
        state.function_names = r.texts()?;
        for _ in 0..r.count()? {
            let (args, caller_args) = (r.texts()?, r.texts()?);
            state.call_frames.push(CallFrame {
                args,
                caller_args,
                name: r.text()?,
                file: r.text()?,
                call_line: r.number()?,
                saved_options: None,
            });
        }
        for _ in 0..r.count()? {
            state.function_files.push((r.text()?, r.text()?));
        }
        state.in_script_file = r.flag()?;
        state.in_command_string = r.flag()?;
        state.line = r.number()?;
        state.getopts_char = r.count()?;
        state.command_number = r.number()?;
        state.ctx = read_context(&mut r)?;
        state.error_prefix = r.text()?;
        state.elapsed_ms = r.number()?;
        let program = r.text()?;
        Ok((state, program))
    }
}

/// The part of the execution context a self-spawned subshell keeps.
fn write_context(w: &mut Writer, ctx: &ExecContext) {
    // Every field is named, as in `SubshellState::of`.
    let ExecContext {
        // The spawn placed the process; it starts no job of its own.
        placement: _,
        // Only while a pipeline starts.
        lastpipe: _,
        // A subshell reads no input of its own.
        input: _,
        async_list,
        loop_depth,
        source_depth,
        eval_depth,
        subshell_depth,
        errexit_suppressed,
        command_prefix,
        lookup_path,
        running_trap,
        status_before_trap,
        startup_file,
        in_debug_trap,
        in_err_trap,
        trap_signal,
        in_substitution,
    } = ctx;
    for flag in [
        async_list,
        command_prefix,
        running_trap,
        in_debug_trap,
        in_err_trap,
        in_substitution,
    ] {
        w.flag(*flag);
    }
    for number in [
        loop_depth,
        source_depth,
        eval_depth,
        subshell_depth,
        errexit_suppressed,
    ] {
        w.number(number);
    }
    w.optional(lookup_path.as_deref());
    w.optional(status_before_trap.map(|s| s.to_string()).as_deref());
    w.optional(startup_file.as_deref());
    w.optional(trap_signal.map(|s| s.to_string()).as_deref());
}

fn read_context(r: &mut Reader) -> Result<ExecContext, HandoverError> {
    let mut ctx = ExecContext::default();
    for flag in [
        &mut ctx.async_list,
        &mut ctx.command_prefix,
        &mut ctx.running_trap,
        &mut ctx.in_debug_trap,
        &mut ctx.in_err_trap,
        &mut ctx.in_substitution,
    ] {
        *flag = r.flag()?;
    }
    for number in [
        &mut ctx.loop_depth,
        &mut ctx.source_depth,
        &mut ctx.eval_depth,
        &mut ctx.subshell_depth,
        &mut ctx.errexit_suppressed,
    ] {
        *number = r.number()?;
    }
    ctx.lookup_path = r.optional()?.map(Into::into);
    ctx.status_before_trap = r.optional()?.map(|s| parse_number(&s)).transpose()?;
    ctx.startup_file = r.optional()?.map(Into::into);
    ctx.trap_signal = r.optional()?.map(|s| parse_number(&s)).transpose()?;
    Ok(ctx)
}

/// A trap table as the hand-over carries it: `None` ignores, sorted.
fn trap_list(traps: &HashMap<i32, TrapAction>) -> Vec<(i32, Option<String>)> {
    let mut list: Vec<(i32, Option<String>)> = traps
        .iter()
        .map(|(sig, action)| match action {
            TrapAction::Ignore => (*sig, None),
            TrapAction::Command(code) => (*sig, Some(code.clone())),
        })
        .collect();
    list.sort();
    list
}

fn trap_table(list: Vec<(i32, Option<String>)>) -> HashMap<i32, TrapAction> {
    list.into_iter()
        .map(|(sig, code)| (sig, code.map_or(TrapAction::Ignore, TrapAction::Command)))
        .collect()
}

fn write_traps(w: &mut Writer, traps: &[(i32, Option<String>)]) {
    w.count(traps.len());
    for (sig, code) in traps {
        w.number(sig);
        w.optional(code.as_deref());
    }
}

fn read_traps(r: &mut Reader) -> Result<Vec<(i32, Option<String>)>, HandoverError> {
    let mut traps = Vec::new();
    for _ in 0..r.count()? {
        traps.push((r.number()?, r.optional()?));
    }
    Ok(traps)
}

fn sorted(pairs: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut v: Vec<_> = pairs.collect();
    v.sort();
    v
}

fn write_var(w: &mut Writer, var: &Var) {
    let mut attributes = var.attribute_letters();
    if var.value.is_some() {
        // Set, as opposed to declared only (`local x`, `export x`).
        attributes.push('=');
    }
    if var.unassigned {
        attributes.push('~');
    }
    w.text(&attributes);
    w.text(var.value.as_deref().unwrap_or_default());
    match &var.array {
        None => {}
        Some(Array::Indexed(elements)) => {
            w.count(elements.len());
            for (index, value) in elements {
                w.number(index);
                w.text(value);
            }
        }
        Some(Array::Assoc(elements)) => {
            // The layout, so that the copy lists its keys in the same order.
            w.count(elements.bucket_count());
            w.count(elements.len());
            for (key, value) in elements.layout() {
                w.text(key);
                w.text(value);
            }
        }
    }
}

fn read_var(r: &mut Reader) -> Result<Var, HandoverError> {
    let attributes = r.text()?;
    let has = |c| attributes.contains(c);
    let value = r.text()?;
    let array = if has('a') {
        let mut elements = BTreeMap::new();
        for _ in 0..r.count()? {
            elements.insert(r.number()?, r.text()?);
        }
        Some(Array::Indexed(elements))
    } else if has('A') {
        let buckets = r.count()?;
        let mut elements = Vec::new();
        for _ in 0..r.count()? {
            elements.push((r.text()?, r.text()?));
        }
        Some(Array::Assoc(AssocArray::from_layout(buckets, elements)))
    } else {
        None
    };
    Ok(Var {
        value: has('=').then_some(value),
        exported: has('x'),
        readonly: has('r'),
        array,
        nameref: has('n'),
        integer: has('i'),
        unassigned: has('~'),
        case: if has('l') {
            Some(LetterCase::Lower)
        } else if has('u') {
            Some(LetterCase::Upper)
        } else if has('c') {
            Some(LetterCase::Capitalize)
        } else {
            None
        },
    })
}

/// Appends fields: length-prefixed text.
struct Writer(Vec<u8>);

impl Writer {
    fn text(&mut self, s: &str) {
        self.0.extend_from_slice(s.len().to_string().as_bytes());
        self.0.push(b':');
        self.0.extend_from_slice(s.as_bytes());
    }

    fn number(&mut self, n: impl ToString) {
        self.text(&n.to_string());
    }

    fn count(&mut self, n: usize) {
        self.number(n);
    }

    fn flag(&mut self, on: bool) {
        self.text(if on { "1" } else { "0" });
    }

    fn optional(&mut self, value: Option<&str>) {
        self.flag(value.is_some());
        if let Some(v) = value {
            self.text(v);
        }
    }

    fn texts(&mut self, items: &[String]) {
        self.count(items.len());
        for item in items {
            self.text(item);
        }
    }

    fn numbers(&mut self, items: &[i32]) {
        self.count(items.len());
        for item in items {
            self.number(item);
        }
    }
}

/// Reads fields back.
struct Reader<'a> {
    data: &'a [u8],
}

impl Reader<'_> {
    fn text(&mut self) -> Result<String, HandoverError> {
        let colon = self
            .data
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| HandoverError("truncated".into()))?;
        let len: usize = std::str::from_utf8(&self.data[..colon])
            .ok()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| HandoverError("bad field length".into()))?;
        let body = self
            .data
            .get(colon + 1..colon + 1 + len)
            .ok_or_else(|| HandoverError("truncated".into()))?;
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| HandoverError("a field is not text".into()))?;
        self.data = &self.data[colon + 1 + len..];
        Ok(text)
    }

    fn number<T: std::str::FromStr>(&mut self) -> Result<T, HandoverError> {
        parse_number(&self.text()?)
    }

    fn count(&mut self) -> Result<usize, HandoverError> {
        self.number()
    }

    fn flag(&mut self) -> Result<bool, HandoverError> {
        Ok(self.text()? == "1")
    }

    fn optional(&mut self) -> Result<Option<String>, HandoverError> {
        if self.flag()? {
            Ok(Some(self.text()?))
        } else {
            Ok(None)
        }
    }

    fn texts(&mut self) -> Result<Vec<String>, HandoverError> {
        (0..self.count()?).map(|_| self.text()).collect()
    }

    fn numbers(&mut self) -> Result<Vec<i32>, HandoverError> {
        (0..self.count()?).map(|_| self.number()).collect()
    }
}

fn parse_number<T: std::str::FromStr>(text: &str) -> Result<T, HandoverError> {
    text.parse()
        .map_err(|_| HandoverError(format!("bad number {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_kind_of_variable() -> Vec<(String, Var)> {
        let scalar = |value: &str| Var {
            value: Some(value.to_string()),
            ..Var::default()
        };
        vec![
            (
                "plain".into(),
                scalar("two\nlines 'quoted' \"dq\" $x \u{f6ff}"),
            ),
            ("empty".into(), scalar("")),
            (
                "declared".into(),
                Var {
                    exported: true,
                    ..Var::default()
                },
            ),
            (
                "attrs".into(),
                Var {
                    value: Some("42".into()),
                    exported: true,
                    readonly: true,
                    integer: true,
                    ..Var::default()
                },
            ),
            (
                "lower".into(),
                Var {
                    case: Some(LetterCase::Lower),
                    ..scalar("abc")
                },
            ),
            (
                "upper".into(),
                Var {
                    case: Some(LetterCase::Upper),
                    ..scalar("ABC")
                },
            ),
            (
                "ref".into(),
                Var {
                    nameref: true,
                    ..scalar("plain")
                },
            ),
            (
                "indexed".into(),
                Var {
                    array: Some(Array::Indexed(BTreeMap::from([
                        (0, "a b".to_string()),
                        (7, String::new()),
                        (1_000_000_000, "far".to_string()),
                    ]))),
                    ..Var::default()
                },
            ),
            (
                "assoc".into(),
                Var {
                    readonly: true,
                    array: Some(Array::Assoc(
                        [("z key", "1"), ("a", "2:3"), ("", "empty key")]
                            .into_iter()
                            .collect(),
                    )),
                    ..Var::default()
                },
            ),
            (
                "empty_array".into(),
                Var {
                    array: Some(Array::Indexed(BTreeMap::new())),
                    ..Var::default()
                },
            ),
        ]
    }

    #[test]
    fn state_round_trips() {
        let state = SubshellState {
            vars: every_kind_of_variable(),
            frames: 2,
            functions: vec!["f () \n{ \n    echo \"$1\"\n}".into()],
            aliases: vec![("ll".into(), "ls -l".into())],
            options: vec!["errexit".into(), "pipefail".into()],
            interactive: true,
            shopts: vec!["extglob".into()],
            disabled_builtins: vec!["echo".into()],
            exported_functions: vec!["f".into()],
            traced_functions: vec!["f".into()],
            readonly_functions: vec!["f".into()],
            arg0: "script name".into(),
            positional: vec!["a".into(), "".into(), "c d".into()],
            last_status: 3,
            last_bg_pid: Some(1234),
            shell_pid: 99,
            traps: vec![(2, None), (15, Some("echo 'bye'".into()))],
            listed_traps: Some(vec![(0, Some("echo x".into()))]),
            ignored_on_entry: vec![1],
            dir_stack: vec!["/tmp".into()],
            function_names: vec!["f".into()],
            call_frames: vec![
                CallFrame {
                    name: "source".into(),
                    file: "lib.sh".into(),
                    call_line: 4,
                    args: vec!["a".into(), "b c".into()],
                    caller_args: vec!["x".into()],
                    saved_options: None,
                },
                CallFrame {
                    name: "f".into(),
                    file: "lib.sh".into(),
                    call_line: 12,
                    args: Vec::new(),
                    caller_args: Vec::new(),
                    saved_options: None,
                },
            ],
            function_files: vec![("f".into(), "lib.sh".into())],
            in_script_file: true,
            in_command_string: true,
            line: 17,
            getopts_char: 2,
            command_number: 9,
            ctx: ExecContext {
                async_list: true,
                loop_depth: 1,
                source_depth: 1,
                eval_depth: 2,
                subshell_depth: 2,
                errexit_suppressed: 1,
                command_prefix: true,
                lookup_path: Some("/bin:/usr/bin".into()),
                running_trap: true,
                status_before_trap: Some(4),
                startup_file: Some("~/.pidshrc".into()),
                in_debug_trap: true,
                in_err_trap: true,
                ..ExecContext::default()
            },
            error_prefix: "./x.sh".into(),
            elapsed_ms: 1500,
        };
        let program = "echo \"$@\"; (exit 3)\n";
        let bytes = state.encode(program);
        assert_eq!(
            SubshellState::decode(&bytes),
            Ok((state.clone(), program.to_string()))
        );
        let empty = SubshellState::default();
        assert_eq!(
            SubshellState::decode(&empty.encode("")),
            Ok((empty, String::new()))
        );
    }

    #[test]
    fn big_values_round_trip() {
        let big = "x".repeat(1 << 20);
        let state = SubshellState {
            vars: vec![(
                "big".into(),
                Var {
                    value: Some(big.clone()),
                    ..Var::default()
                },
            )],
            ..SubshellState::default()
        };
        let (back, _) = SubshellState::decode(&state.encode(":")).expect("decodes");
        assert_eq!(back.vars[0].1.value.as_deref(), Some(big.as_str()));
    }

    #[test]
    fn damaged_input_is_an_error() {
        let bytes = SubshellState::default().encode("echo hi");
        for cut in [0, HEADER.len(), bytes.len() - 3] {
            assert!(
                SubshellState::decode(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        assert!(SubshellState::decode(b"echo hi").is_err());
    }
}
