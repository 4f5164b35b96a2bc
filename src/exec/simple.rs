//! Simple commands: assignments, the choice between special builtin,
//! function, builtin and external command, and the spawn of an external
//! command from its plan.

use std::ffi::CString;
use std::os::fd::OwnedFd;
use std::sync::Arc;

use nix::errno::Errno;

use super::builtin::Builtin;
use crate::bytes::to_cstring;
use crate::expand;
use crate::jobs;
use crate::parser::ast::{AssignValue, Assignment, SimpleCommand};

use super::error::ExecError;
use super::eval::{Status, Unwind};
use super::lookup::path_cstring;
use super::redirect::{self, Resolved};
use super::state::{Shell, TrapAction};
use crate::spawn::backend;
use crate::spawn::{Child, Program, Spawn, SpawnOp, SpawnStep};

/// What a command name resolves to.
pub enum Target {
    /// A special builtin (POSIX 2.14).
    Special(Builtin),
    /// A shell function.
    Function(Arc<crate::parser::ast::FunctionDef>),
    /// A regular builtin.
    Builtin(Builtin),
    /// Anything else: a program to execute.
    External,
}

impl Shell {
    /// Decides what `name` runs, in POSIX order.
    pub fn classify(&self, name: &str) -> Target {
        let builtin = self.enabled_builtin(name);
        if let Some(b) = builtin.filter(|b| b.special) {
            return Target::Special(b);
        }
        if let Some(f) = self.state.functions.get(name) {
            return Target::Function(Arc::clone(f));
        }
        if let Some(b) = builtin {
            return Target::Builtin(b);
        }
        Target::External
    }

    /// Runs a simple command in the foreground.
    pub fn run_simple(&mut self, sc: &SimpleCommand) -> Status {
        self.as_one_command(|sh| sh.run_simple_at_depth(sc))
    }

    /// Runs `body` as one command: the process substitutions it makes
    /// (and those of commands nested in it, which close their own first)
    /// are closed when it ends.
    pub(super) fn as_one_command(&mut self, body: impl FnOnce(&mut Shell) -> Status) -> Status {
        let mark = self.procsub_fds.len();
        let r = body(self);
        self.close_process_substitutions(mark);
        r
    }

    fn run_simple_at_depth(&mut self, sc: &SimpleCommand) -> Status {
        self.line = sc.span.line;
        self.cmdsub_status = None;
        let in_trap = self.ctx.running_trap || self.ctx.in_debug_trap || self.ctx.in_err_trap;
        if !in_trap
            && (self.bash_command_read
                || self.state.traps.contains_key(&super::state::DEBUG_TRAP)
                || self.state.traps.contains_key(&super::state::ERR_TRAP))
        {
            // `$BASH_COMMAND`, kept only while something may read it: a
            // trap, or code that names it (printing every command costs).
            self.bash_command = crate::parser::unparse::simple_command(sc);
        }
        if self.debug_trap_skips()? {
            return Ok(0);
        }
        let words = match self.expand_command_words(&sc.words) {
            Ok(w) => w,
            Err(e) => return self.fail(e.into()),
        };
        // `$_`: the last argument of the previous simple command.
        let last = words.last().cloned().unwrap_or_default();
        let r = self.run_expanded(sc, words);
        let _ = self.state.vars.set("_", last);
        r
    }

    fn run_expanded(&mut self, sc: &SimpleCommand, words: Vec<String>) -> Status {
        let Some(name) = words.first() else {
            return self.run_assignments_only(sc);
        };
        match self.classify(name) {
            // Redirections first, then the assignments (POSIX 2.9.1; bash
            // and dash alike).
            Target::Special(b) => self.with_redirects_for(&sc.redirects, true, |sh| {
                match sh.assign_for_special(b, sc, &words)? {
                    Some(failed) => Ok(failed),
                    None => sh.run_builtin(b, &words),
                }
            }),
            // The assignments are expanded (and traced) first, but take
            // effect only after the redirections, as in bash: `a=2 f >&$a`
            // redirects to the old `$a`.
            Target::Function(f) => {
                let values = match self.temporary_assignments(sc, &words)? {
                    Ok(values) => values,
                    Err(failed) => return Ok(failed),
                };
                self.with_redirects(&sc.redirects, |sh| {
                    sh.with_assignments(values, |sh| sh.call_function(&f, words[1..].to_vec()))
                })
            }
            Target::Builtin(b) => {
                let values = match self.temporary_assignments(sc, &words)? {
                    Ok(values) => values,
                    Err(failed) => return Ok(failed),
                };
                self.with_redirects(&sc.redirects, |sh| {
                    sh.with_assignments(values, |sh| sh.run_builtin(b, &words))
                })
            }
            Target::External => {
                let values = match self.expand_assignments(&sc.assignments) {
                    Ok(v) => v,
                    Err(e) => return self.fail(e),
                };
                let values = self.drop_readonly_assignments(values)?;
                self.trace(&values, &words);
                if !self.job_control_active() {
                    return match self.start_external(&words, &values, &sc.redirects) {
                        Ok(child) => {
                            let (status, death) = jobs::wait_child_death(&child);
                            if let Some(death) = death {
                                self.report_signal_death(death, || {
                                    let text = crate::parser::unparse::command(
                                        &crate::parser::ast::Command::Simple(sc.clone()),
                                    );
                                    vec![super::jobcontrol::ReportedProcess {
                                        pid: child.pid,
                                        status,
                                        death: Some(death),
                                        text,
                                    }]
                                });
                            }
                            Ok(status)
                        }
                        Err(e) => self.fail(e),
                    };
                }
                let started = self
                    .scoped(|c| c.placement = super::state::Placement::Lead { foreground: true })
                    .start_external(&words, &values, &sc.redirects);
                match started {
                    Ok(child) => {
                        let text = crate::parser::unparse::command(
                            &crate::parser::ast::Command::Simple(sc.clone()),
                        );
                        let pgid = child.pid;
                        Ok(self.wait_foreground_job(vec![child.into()], text, pgid))
                    }
                    Err(e) => {
                        if let Some(t) = &self.terminal {
                            t.reclaim();
                        }
                        self.fail(e)
                    }
                }
            }
        }
    }

    /// Expands a command's words. Arguments of the declaration builtins
    /// (`export`, `readonly`, `local`, `declare`, `typeset`) that look like
    /// assignments are expanded as assignments: no splitting, no globbing.
    pub fn expand_command_words(
        &mut self,
        words: &[crate::parser::ast::Word],
    ) -> Result<Vec<String>, crate::expand::ExpandError> {
        let declaration = words
            .first()
            .and_then(|w| w.as_plain_literal())
            .and_then(|name| self.builtins.find(name))
            .is_some_and(|b| b.declaration);
        if !declaration {
            // bash (not in POSIX mode) expands tildes after `=` and `:` of
            // any argument that looks like an assignment: `make FOO=~/x`.
            let tildes = !self.state.options.posix
                && words
                    .iter()
                    .skip(1)
                    .any(|w| looks_like_assignment(w) && w.parts.iter().any(has_literal_tilde));
            if !tildes {
                return expand::expand_words(self, words);
            }
            let words: Vec<_> = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i > 0 && looks_like_assignment(w) {
                        with_assignment_tildes(w)
                    } else {
                        w.clone()
                    }
                })
                .collect();
            return expand::expand_words(self, &words);
        }
        let mut out = Vec::with_capacity(words.len());
        for w in words {
            if looks_like_assignment(w) {
                out.push(expand::expand_string(self, &with_assignment_tildes(w))?);
            } else {
                expand::expand_word_into(self, w, &mut out)?;
            }
        }
        Ok(out)
    }

    /// The assignments before a special builtin, which persist; the status
    /// of a failure that stops the command (one that ends the shell is
    /// `Err`).
    fn assign_for_special(
        &mut self,
        b: Builtin,
        sc: &SimpleCommand,
        words: &[String],
    ) -> Result<Option<i32>, Unwind> {
        let values = match self.expand_assignments(&sc.assignments) {
            Ok(v) => v,
            Err(e) => return self.fail(e).map(Some),
        };
        self.trace(&values, words);
        // `a=1 exec cmd`: the command gets `a` in its environment, as in
        // bash and dash (the shell it replaces has no use for the
        // difference).
        let exported = b.name == "exec" && words.len() > 1;
        for (name, value) in values {
            if let Err(e) = self.assign(&name, value) {
                if self.state.options.posix {
                    return self.fail_special(e).map(Some);
                }
                // bash reports it and runs the builtin all the same.
                self.fail(e)?;
                continue;
            }
            if exported {
                self.state.vars.export(&name);
            }
        }
        Ok(None)
    }

    /// An assignment that failed (readonly, bad subscript) where it must
    /// persist: POSIX ends a non-interactive shell; bash abandons the
    /// command line, and so does an interactive shell.
    fn fail_special(&mut self, e: ExecError) -> Status {
        let status = self.fail(e)?;
        if self.ctx.command_prefix {
            Ok(status)
        } else if self.state.options.posix && !self.state.options.interactive {
            Err(Unwind::Exit(status))
        } else {
            Err(Unwind::Discard(status))
        }
    }

    /// `a=1 b=2` with no command: assignments persist; redirections are
    /// performed and undone; the status is that of the last command
    /// substitution, or 0.
    fn run_assignments_only(&mut self, sc: &SimpleCommand) -> Status {
        if sc.redirects.is_empty() {
            return self.assign_persistently(sc);
        }
        // POSIX 2.9.1: the redirections first; they apply to command
        // substitutions in the values too (dash; bash assigns first, which
        // the conformance suite counts as a bash bug).
        self.with_redirects(&sc.redirects, |sh| sh.assign_persistently(sc))
    }

    /// The assignments of a command without a name; the status of the last
    /// command substitution in it (words, redirections, values), or 0.
    fn assign_persistently(&mut self, sc: &SimpleCommand) -> Status {
        for a in &sc.assignments {
            let array_result = match (&a.value, &a.index) {
                (AssignValue::Array(words), _) => {
                    Some(self.assign_array_words(&a.name, words, a.append, false))
                }
                (AssignValue::Scalar(w), Some(index)) => Some(
                    expand::expand_string(self, w)
                        .map_err(ExecError::from)
                        .and_then(|v| self.assign_element(&a.name, index, v, a.append)),
                ),
                _ => None,
            };
            if let Some(r) = array_result {
                if let Err(e) = r {
                    return self.fail_special(e);
                }
                continue;
            }
            match self.append_in_place(a) {
                Some(Ok(())) => continue,
                Some(Err(status)) => return status,
                None => {}
            }
            let (name, value) = match self.expand_assignment(a) {
                Ok(v) => v,
                Err(e) => return self.fail(e),
            };
            self.trace(&[(name.clone(), value.clone())], &[]);
            if let Err(e) = self.assign(&name, value) {
                return self.fail_special(e);
            }
        }
        Ok(self.cmdsub_status.take().unwrap_or(0))
    }

    /// Expands the values of assignments, in order; each value sees the
    /// ones before it (`a=1 b=$a cmd`), without changing the shell.
    pub fn expand_assignments(
        &mut self,
        assignments: &[Assignment],
    ) -> Result<Vec<(String, String)>, ExecError> {
        // `a[1]=x cmd`: reported, and the command runs without it (bash).
        let mut kept = Vec::with_capacity(assignments.len());
        for a in assignments {
            match &a.index {
                Some(index) => {
                    let text = format!("{}[{}]", a.name, crate::parser::unparse::word(index));
                    self.report(&format!("`{text}': not a valid identifier"));
                }
                None => kept.push(a),
            }
        }
        if kept.len() < 2 {
            return kept.iter().map(|a| self.expand_assignment(a)).collect();
        }
        self.state.vars.push_frame();
        let mut out = Vec::with_capacity(kept.len());
        let mut result = Ok(());
        for a in kept {
            match self.expand_assignment(a) {
                Ok((name, value)) => {
                    if !self.state.vars.var(&name).is_some_and(|v| v.readonly) {
                        self.state.vars.make_local(&name, false);
                        let _ = self.state.vars.set(&name, value.clone());
                    }
                    out.push((name, value));
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        self.state.vars.pop_frame();
        result.map(|()| out)
    }

    /// `s+=value` of a plain scalar without copying `s` (a loop of
    /// appends stays linear): `None` when the general path must run (then
    /// nothing was expanded), else done or failed with this status.
    fn append_in_place(&mut self, a: &Assignment) -> Option<Result<(), Status>> {
        let AssignValue::Scalar(w) = &a.value else {
            return None;
        };
        let plain = |sh: &Shell| {
            sh.state.vars.var(&a.name).is_some_and(|v| {
                !v.readonly
                    && !v.nameref
                    && !v.integer
                    && v.case.is_none()
                    && v.array.is_none()
                    && v.value.is_some()
            })
        };
        if !a.append
            || a.index.is_some()
            || self.state.options.xtrace
            || self.state.options.allexport
            || a.name == "PATH"
            || !plain(self)
        {
            return None;
        }
        let value = match expand::expand_string(self, w) {
            Ok(v) => v,
            Err(e) => return Some(Err(self.fail(e.into()))),
        };
        // The expansion may have changed the variable (`s+=${s:=x}`).
        if !self.state.vars.append_in_place(&a.name, &value) {
            let value = self.appended_value(&a.name, &value);
            if let Err(e) = self.assign(&a.name, value) {
                return Some(Err(self.fail_special(e)));
            }
        }
        Some(Ok(()))
    }

    /// The name and value of a prefix assignment (`a=1 cmd`). Arrays have
    /// no place there; bash's answers are kept: `a=(1 2) cmd` assigns the
    /// text `(1 2)` for the command (and `a[1]=x cmd`, see
    /// [`Shell::expand_assignments`]).
    fn expand_assignment(&mut self, a: &Assignment) -> Result<(String, String), ExecError> {
        let w = match &a.value {
            AssignValue::Scalar(w) => w,
            AssignValue::Array(words) => {
                let texts: Vec<String> = words.iter().map(crate::parser::unparse::word).collect();
                return Ok((a.name.clone(), format!("({})", texts.join(" "))));
            }
        };
        let value = expand::expand_string(self, w)?;
        let value = if a.append {
            self.appended_value(&a.name, &value)
        } else {
            value
        };
        Ok((a.name.clone(), value))
    }

    /// What `name+=value` assigns: the old value with `value` after it, or
    /// for an integer variable (`declare -i`) an arithmetic sum.
    pub fn appended_value(&self, name: &str, value: &str) -> String {
        let target = self.state.vars.nameref_target(name).unwrap_or(name);
        let integer = self.state.vars.var(target).is_some_and(|v| v.integer);
        match self.state.vars.get(name) {
            // An empty value counts as 0.
            Some(old) if integer && old.trim().is_empty() => value.to_string(),
            Some(old) if integer => format!("({old})+({value})"),
            Some(old) => format!("{old}{value}"),
            None => value.to_string(),
        }
    }

    /// Assigns a shell variable, honouring readonly, `set -a` and `PATH`.
    pub fn assign(&mut self, name: &str, value: String) -> Result<(), ExecError> {
        if ignores_assignment(name) {
            return Ok(());
        }
        if let Some(target) = self.state.vars.nameref_target(name)
            && target.contains('[')
        {
            // A nameref to an element (`declare -n r='a[1]'`).
            let target = target.to_string();
            return self.assign_target(&target, value);
        }
        let value = self.apply_value_attributes(name, value)?;
        let special = matches!(name, "SECONDS" | "BASH_ARGV0" | "RANDOM").then(|| value.clone());
        self.state
            .vars
            .set(name, value)
            .map_err(|e| ExecError::Readonly(e.0))?;
        match (name, special) {
            ("SECONDS", Some(v)) => self.set_seconds(v.trim().parse().unwrap_or(0)),
            ("RANDOM", Some(v)) => self
                .random
                .set(super::random::Random::seeded(super::random::seed_of(&v))),
            // bash: assigning `BASH_ARGV0` sets `$0`.
            ("BASH_ARGV0", Some(v)) => self.state.arg0 = v,
            _ => {}
        }
        if self.state.options.allexport {
            self.state.vars.export(name);
        }
        if name == "PATH" {
            self.state.commands.clear();
        }
        if name == "OPTIND" {
            // As bash: setting OPTIND starts `getopts` on a new argument.
            self.state.getopts_char = 0;
        }
        if name == "HISTSIZE" || name == "HISTFILESIZE" {
            self.history_limit_changed(name);
        }
        Ok(())
    }

    /// As bash: assigning `HISTSIZE` cuts the list at once, and assigning
    /// `HISTFILESIZE` cuts the history file (`HISTFILE`) at once.
    fn history_limit_changed(&mut self, name: &str) {
        let Some(limit) = self
            .state
            .vars
            .get(name)
            .and_then(|v| v.trim().parse::<usize>().ok())
        else {
            return;
        };
        if name == "HISTSIZE" {
            self.history.stifle(limit);
            return;
        }
        let Some(file) = self.state.vars.get("HISTFILE").filter(|f| !f.is_empty()) else {
            return;
        };
        if let Ok(path) = self.resolve_path(file) {
            // Quietly, as bash: a missing file is nothing to cut.
            let _ = super::history::truncate_file(&path, limit);
        }
    }

    /// A value as the variable's attributes make it: `declare -i`
    /// evaluates it, `-l` / `-u` change its case.
    pub fn apply_value_attributes(
        &mut self,
        name: &str,
        value: String,
    ) -> Result<String, ExecError> {
        if !self.state.vars.any_value_attributes() {
            return Ok(value);
        }
        let target = self.state.vars.nameref_target(name).unwrap_or(name);
        let Some(var) = self.state.vars.var(target) else {
            return Ok(value);
        };
        let (integer, case) = (var.integer, var.case);
        let value = if integer {
            expand::arith_text(self, &value)?.to_string()
        } else {
            value
        };
        Ok(match case {
            Some(case) => case.apply(&value),
            None => value,
        })
    }

    /// The command's assignments, expanded and traced: `Err(status)` when
    /// an expansion failed (reported).
    fn temporary_assignments(
        &mut self,
        sc: &SimpleCommand,
        words: &[String],
    ) -> Result<Result<Vec<(String, String)>, i32>, Unwind> {
        let values = match self.expand_assignments(&sc.assignments) {
            Ok(v) => v,
            Err(e) => return self.fail(e).map(Err),
        };
        let values = self.drop_readonly_assignments(values)?;
        self.trace(&values, words);
        Ok(Ok(values))
    }

    /// Runs `body` with `values` in effect (and exported) only for its
    /// duration, as for regular builtins and functions.
    fn with_assignments(
        &mut self,
        values: Vec<(String, String)>,
        body: impl FnOnce(&mut Shell) -> Status,
    ) -> Status {
        if values.is_empty() {
            return body(self);
        }
        self.state.vars.push_temp_frame();
        for (name, value) in values {
            self.state.vars.make_local(&name, false);
            let _ = self.assign(&name, value);
            self.state.vars.export(&name);
        }
        let r = body(self);
        self.state.vars.pop_frame();
        if self.state.vars.get("PATH").is_some() {
            // A temporary PATH may have filled the cache with its own answers.
            self.state.commands.clear();
        }
        r
    }

    /// Reports each assignment of a command's prefix to a readonly
    /// variable: in POSIX mode the error ends a non-interactive shell;
    /// otherwise the command runs without it, as in bash.
    fn drop_readonly_assignments(
        &mut self,
        values: Vec<(String, String)>,
    ) -> Result<Vec<(String, String)>, Unwind> {
        let mut kept = Vec::with_capacity(values.len());
        for (name, value) in values {
            if self.state.vars.var(&name).is_some_and(|v| v.readonly) {
                self.report(&ExecError::Readonly(name).to_string());
                self.posix_fatal(1)?;
            } else {
                kept.push((name, value));
            }
        }
        Ok(kept)
    }

    /// `set -x`: prints the command about to run, after `$PS4` (expanded).
    pub fn trace(&mut self, assignments: &[(String, String)], words: &[String]) {
        if !self.state.options.xtrace {
            return;
        }
        let mut line = self.expanded_ps4();
        let mut items: Vec<String> = assignments
            .iter()
            .map(|(n, v)| format!("{n}={}", crate::parser::unparse::quote_ansi(v)))
            .collect();
        items.extend(words.iter().map(|w| crate::parser::unparse::quote_ansi(w)));
        line.push_str(&items.join(" "));
        line.push('\n');
        self.write_stderr(&line);
    }

    /// `set -x` for what is not a simple command (`[[ … ]]`, `(( … ))`):
    /// `$PS4` and the text as given.
    pub fn trace_line(&mut self, text: &str) {
        if !self.state.options.xtrace {
            return;
        }
        let mut line = self.expanded_ps4();
        line.push_str(text);
        line.push('\n');
        self.write_stderr(&line);
    }

    /// `$PS4` with its parameter expansions and command substitutions
    /// done (tracing is off meanwhile, so they are not traced themselves).
    fn expanded_ps4(&mut self) -> String {
        let Some(ps4) = self.state.vars.get("PS4").map(str::to_string) else {
            return String::new();
        };
        if !ps4.contains(['$', '`']) {
            return ps4;
        }
        self.state.options.xtrace = false;
        let saved_status = self.state.last_status;
        let text = self.expand_prompt_string(&ps4).unwrap_or(ps4);
        self.state.last_status = saved_status;
        self.state.options.xtrace = true;
        text
    }

    /// Builds the plan of an external command in the current fd table, with
    /// its redirections, and starts it — through a pidsh of its own when a
    /// redirection may wait in `open` (a FIFO: see `exec/blocking.rs`).
    pub fn start_external(
        &mut self,
        words: &[String],
        assignments: &[(String, String)],
        redirects: &[crate::parser::ast::Redirect],
    ) -> Result<Child, ExecError> {
        let steps = redirect::resolve(self, redirects)?;
        let name = words.first().map(String::as_str).unwrap_or_default();
        let started = self
            .plan_external(words, assignments, &steps)
            .and_then(|(spawn, keep)| {
                let r = if super::blocking::may_block(self, &steps) && self.self_exe().is_some() {
                    self.start_through_helper(&spawn, words, assignments, &steps)
                } else {
                    self.spawn_plan(spawn, name)
                };
                drop(keep);
                r
            });
        match started {
            Err(ExecError::CommandNotFound(_))
                if let Some(handled) = self.start_not_found_handler(words, assignments, &steps) =>
            {
                handled
            }
            Err(
                e @ (ExecError::CommandNotFound(_)
                | ExecError::NoSuchFile(_)
                | ExecError::CannotExecute(..)),
            ) => {
                // The message goes where the command's own stderr would
                // have gone: through its redirections.
                let mut table = self.fds.clone();
                let base = self.open_context();
                let _ = redirect::apply_to_table(&steps, &mut table, base);
                self.with_fd_table(table).report(&e.to_string());
                Err(ExecError::Reported(e.status()))
            }
            other => other,
        }
    }

    /// The plan of an external command: program, argv, environment and ops.
    pub fn plan_external(
        &mut self,
        words: &[String],
        assignments: &[(String, String)],
        steps: &[Resolved],
    ) -> Result<(Spawn, Vec<OwnedFd>), ExecError> {
        let name = words.first().map(String::as_str).unwrap_or_default();
        let program = self.resolve_program(name)?;
        let mut spawn = Spawn::new(program);
        for w in words {
            spawn.arg(to_cstring(w));
        }
        spawn.environment(self.environment_with(assignments));
        // The context's directory first: the redirections' `Open` ops in
        // the child resolve relative paths against it.
        let mut ops = self.context_ops();
        ops.extend(self.placement_ops());
        let mut keep = Vec::new();
        super::lower::lower_table(&self.fds, true, &mut ops, &mut keep)?;
        redirect::lower_to_ops(steps, &self.fds, &mut ops, &mut keep)?;
        ops.extend(self.signal_ops());
        for op in ops {
            spawn.op(op);
        }
        Ok((spawn, keep))
    }

    fn resolve_program(&mut self, name: &str) -> Result<Program, ExecError> {
        if name.contains('/') {
            return Ok(Program::Path(to_cstring(name)));
        }
        if let Some(path) = &self.ctx.lookup_path {
            // `command -p`: the default PATH, past the cache of `PATH`'s.
            return match super::lookup::search_path(name, Some(path)) {
                Some(p) => Ok(Program::Path(path_cstring(&p))),
                None => Err(ExecError::CommandNotFound(name.to_string())),
            };
        }
        let path_var = self.state.vars.get("PATH").map(str::to_string);
        let recheck = self.state.options.posix || self.shopt_on("checkhash");
        match self
            .state
            .commands
            .resolve(name, path_var.as_deref(), recheck)
        {
            Some(resolved) => Ok(resolved.program()),
            None => Err(ExecError::CommandNotFound(name.to_string())),
        }
    }

    /// Starts a plan; maps failures to the shell's errors, and runs a file
    /// the kernel refuses (no `#!`) as a pidsh script.
    pub fn spawn_plan(&mut self, spawn: Spawn, name: &str) -> Result<Child, ExecError> {
        self.launch(spawn, name, Launch::Child)
    }

    /// `exec CMD`: the shell becomes the command. Returns only the error
    /// when it could not (the process may be half configured by then).
    pub fn exec_plan(&mut self, spawn: Spawn, name: &str) -> ExecError {
        match self.launch(spawn, name, Launch::InPlace) {
            Err(e) => e,
            Ok(_) => ExecError::System(name.to_string(), Errno::EIO),
        }
    }

    fn launch(&mut self, spawn: Spawn, name: &str, how: Launch) -> Result<Child, ExecError> {
        match how.start(&spawn) {
            Ok(child) => Ok(child),
            Err(e) => match (e.step, e.errno) {
                (SpawnStep::Exec, Errno::ENOENT) if matches!(spawn.program(), Program::Fd(_)) => {
                    // A `#!` script run through a close-on-exec template fd
                    // cannot be reopened by its interpreter: use the path.
                    self.state.commands.forget_template(name);
                    let program = self.resolve_program(name)?;
                    let again = spawn.with_program(program);
                    self.launch(again, name, how)
                }
                (SpawnStep::Exec, Errno::ENOEXEC) => self.spawn_as_script(&spawn, name, how),
                (SpawnStep::Exec, Errno::ENOENT) if name.contains('/') => {
                    Err(ExecError::NoSuchFile(name.to_string()))
                }
                (SpawnStep::Exec, Errno::ENOENT) => {
                    // A remembered path (`hash -p`, or a program removed
                    // since) that is gone: bash names the path.
                    let path = self.program_path(&spawn, name);
                    if path != name && std::fs::symlink_metadata(&path).is_err() {
                        return Err(ExecError::NoSuchFile(path));
                    }
                    Err(ExecError::CommandNotFound(name.to_string()))
                }
                (SpawnStep::Exec, Errno::EACCES)
                    if crate::bytes::to_path(&self.program_path(&spawn, name)).is_dir() =>
                {
                    Err(ExecError::CannotExecute(name.to_string(), Errno::EISDIR))
                }
                (SpawnStep::Exec, errno) => Err(ExecError::CannotExecute(name.to_string(), errno)),
                (SpawnStep::Op(i), errno) => Err(op_error(&spawn, i, errno)),
                (_, errno) => Err(ExecError::System(name.to_string(), errno)),
            },
        }
    }

    fn program_path(&self, spawn: &Spawn, name: &str) -> String {
        match spawn.program() {
            Program::Path(p) => crate::bytes::decode(p.to_bytes()),
            Program::Fd(_) => name.to_string(),
        }
    }

    /// ENOEXEC: the file is a script without `#!`; run it with pidsh itself.
    fn spawn_as_script(
        &mut self,
        spawn: &Spawn,
        name: &str,
        how: Launch,
    ) -> Result<Child, ExecError> {
        let Some(exe) = self.self_exe() else {
            return Err(ExecError::CannotExecute(name.to_string(), Errno::ENOEXEC));
        };
        let script = self.program_path(spawn, name);
        let script = if script.contains('/') {
            script
        } else if let Some(cached) = self.state.commands.cached_path(name) {
            crate::bytes::decode_os(cached.as_os_str())
        } else {
            let path_var = self.state.vars.get("PATH").map(str::to_string);
            super::lookup::search_path(name, path_var.as_deref())
                .map(|p| crate::bytes::decode_os(p.as_os_str()))
                .unwrap_or(script)
        };
        let mut again = Spawn::new(Program::Path(path_cstring(&exe)));
        again.arg(path_cstring(&exe));
        again.arg(to_cstring(&script));
        for a in spawn.argv().iter().skip(1) {
            again.arg(a.clone());
        }
        again.environment(spawn.shared_environment());
        for op in spawn.ops() {
            again.op(op.clone());
        }
        how.start(&again)
            .map_err(|e| ExecError::CannotExecute(name.to_string(), e.errno))
    }

    /// `BASH_FUNC_name%%=() { …; }` for each function `export -f` marked,
    /// the form bash passes functions to its children in.
    fn exported_function_entries(&self) -> Vec<CString> {
        self.state
            .exported_functions
            .iter()
            .filter_map(|name| {
                let f = self.state.functions.get(name)?;
                let text = crate::parser::unparse::function_definition(f);
                let body = &text[text.find('{')?..];
                Some(to_cstring(&format!("BASH_FUNC_{name}%%=() {body}")))
            })
            .collect()
    }

    /// Defines the functions bash passed in `BASH_FUNC_name%%` variables
    /// of the environment (`pidsh --import-functions`; never by default).
    /// Each value must read as exactly one definition of that name:
    /// anything after it (the "shellshock" trick) or any other text makes
    /// the variable ignored.
    pub fn import_functions(&mut self) {
        for (key, value) in std::env::vars_os() {
            let (Some(key), value) = (key.to_str(), crate::bytes::decode_os(&value)) else {
                continue;
            };
            let Some(name) = key
                .strip_prefix("BASH_FUNC_")
                .and_then(|k| k.strip_suffix("%%"))
            else {
                continue;
            };
            if !value.starts_with("() {") || !crate::expand::is_name(name) {
                continue;
            }
            let Ok(list) = crate::parser::parse_program(&format!("{name} {value}")) else {
                continue;
            };
            let [item] = list.items.as_slice() else {
                continue;
            };
            let single = !item.background
                && item.and_or.rest.is_empty()
                && !item.and_or.first.negated
                && !item.and_or.first.timed;
            if let ([crate::parser::ast::Command::FunctionDef(f)], true) =
                (item.and_or.first.commands.as_slice(), single)
                && f.name == name
            {
                self.functions_mut().insert(name.to_string(), Arc::clone(f));
                self.state.exported_functions.push(name.to_string());
            }
        }
    }

    /// The environment for a child: exported variables plus `assignments`.
    pub fn environment_with(&mut self, assignments: &[(String, String)]) -> Arc<Vec<CString>> {
        let base = self.state.vars.environment_cstrings();
        let base = if self.state.exported_functions.is_empty() {
            base
        } else {
            let mut env = (*base).clone();
            env.extend(self.exported_function_entries());
            Arc::new(env)
        };
        if assignments.is_empty() {
            return base;
        }
        let mut env: Vec<CString> = base
            .iter()
            .filter(|e| {
                let bytes = e.as_bytes();
                !assignments.iter().any(|(n, _)| {
                    bytes.starts_with(n.as_bytes()) && bytes.get(n.len()) == Some(&b'=')
                })
            })
            .cloned()
            .collect();
        for (n, v) in assignments {
            env.push(to_cstring(&format!("{n}={v}")));
        }
        Arc::new(env)
    }

    /// The ops that give a child of this context its signal actions: a
    /// `SigDefault` and a `SigIgnore` (each only when not empty), never
    /// naming one signal twice.
    pub fn signal_ops(&self) -> Vec<SpawnOp> {
        let ignore = self.signals_to_ignore();
        let default = self.signals_to_default(&ignore);
        let mut ops = Vec::new();
        if !default.is_empty() {
            ops.push(SpawnOp::SigDefault(default));
        }
        if !ignore.is_empty() {
            ops.push(SpawnOp::SigIgnore(ignore));
        }
        ops
    }

    /// Signals a child must start with ignored: those this context's trap
    /// table ignores (`trap '' SIG`: in a subshell the process itself does
    /// not), and SIGINT and SIGQUIT when it belongs to an asynchronous list
    /// started without job control (POSIX 2.11). Not those ignored when the
    /// shell started: children inherit those as they are.
    pub fn signals_to_ignore(&self) -> Vec<i32> {
        let mut v = self.trap_ignored();
        if self.ctx.async_list {
            v.extend([libc::SIGINT, libc::SIGQUIT]);
        }
        v.retain(|s| !self.ignored_signals.contains(s));
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The signals this context's trap table ignores, in number order.
    pub fn trap_ignored(&self) -> Vec<i32> {
        let mut v: Vec<i32> = self
            .state
            .traps
            .iter()
            .filter(|(n, action)| (1..65).contains(*n) && **action == TrapAction::Ignore)
            .map(|(n, _)| *n)
            .collect();
        v.sort_unstable();
        v
    }

    /// Signals the shell ignores or catches that a child must see at their
    /// default (SIGPIPE always: the shell handles it for its own writes),
    /// except those in `ignore` and those ignored when the shell started.
    fn signals_to_default(&self, ignore: &[i32]) -> Vec<i32> {
        let mut v = vec![libc::SIGPIPE];
        if self.ctx.placement != super::state::Placement::Shell {
            // Under job control the job's own group takes the stop signals.
            v.extend([libc::SIGTSTP, libc::SIGTTIN, libc::SIGTTOU]);
        }
        if self.state.options.interactive {
            // The signals an interactive shell catches or ignores for
            // itself; the stop signals follow the job's placement above.
            v.extend([libc::SIGINT, libc::SIGQUIT, libc::SIGTERM]);
        }
        // A subshell that reset (or trapped) a signal the process ignores
        // for its top-level shell's `trap ''` gives children the default.
        v.extend(self.ignored_by_parent_traps.iter().copied());
        let mut seen = Vec::with_capacity(v.len());
        v.retain(|s| {
            let keep =
                !seen.contains(s) && !ignore.contains(s) && !self.ignored_signals.contains(s);
            seen.push(*s);
            keep
        });
        v
    }
}

/// How a plan is started: as a child, or in place of the shell (`exec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Launch {
    Child,
    InPlace,
}

impl Launch {
    /// Starts `plan`; in place, only a failure comes back.
    fn start(self, plan: &Spawn) -> Result<Child, crate::spawn::SpawnError> {
        match self {
            Launch::Child => plan.spawn(),
            Launch::InPlace => Err(backend::exec_in_place(plan)),
        }
    }
}

/// `name=…` or `name+=…` written literally at the start of a word.
fn looks_like_assignment(word: &crate::parser::ast::Word) -> bool {
    let Some(crate::parser::ast::WordPart::Literal(first)) = word.parts.first() else {
        return false;
    };
    match first.find('=') {
        Some(eq) => {
            let name = first[..eq].strip_suffix('+').unwrap_or(&first[..eq]);
            expand::is_name(name)
        }
        None => false,
    }
}

/// bash's "noassign" variables: assignments to them succeed and change
/// nothing.
pub(super) fn ignores_assignment(name: &str) -> bool {
    matches!(name, "FUNCNAME" | "GROUPS")
}

fn has_literal_tilde(part: &crate::parser::ast::WordPart) -> bool {
    matches!(part, crate::parser::ast::WordPart::Literal(t) if t.contains('~'))
}

/// Tilde prefixes in an assignment-like argument (`export P=~/bin:~x`):
/// after the first `=` and after each `:` of the literal text.
fn with_assignment_tildes(word: &crate::parser::ast::Word) -> crate::parser::ast::Word {
    use crate::parser::ast::{Word, WordPart};
    let mut parts = Vec::with_capacity(word.parts.len());
    let mut seen_equals = false;
    for (index, part) in word.parts.iter().enumerate() {
        let WordPart::Literal(text) = part else {
            parts.push(part.clone());
            continue;
        };
        let next_is_boundary = |rest: &str| {
            rest.is_empty()
                && !matches!(word.parts.get(index + 1), Some(WordPart::Literal(_)) | None)
        };
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            literal.push(c);
            let starts_prefix = (c == '=' && !seen_equals) || (c == ':' && seen_equals);
            if c == '=' {
                seen_equals = true;
            }
            if !starts_prefix || !text[i + 1..].starts_with('~') {
                continue;
            }
            let rest = &text[i + 2..];
            let end = rest.find(['/', ':']).unwrap_or(rest.len());
            let user = &rest[..end];
            if end == rest.len() && next_is_boundary(&rest[end..]) {
                continue;
            }
            parts.push(WordPart::Literal(std::mem::take(&mut literal)));
            parts.push(WordPart::Tilde(user.to_string()));
            for _ in 0..=user.chars().count() {
                chars.next();
            }
        }
        parts.push(WordPart::Literal(literal));
    }
    Word { parts }
}

fn op_error(spawn: &Spawn, index: usize, errno: Errno) -> ExecError {
    match spawn.ops().get(index) {
        Some(SpawnOp::Open { path, .. }) => {
            ExecError::Redirect(crate::bytes::decode(path.to_bytes()), errno)
        }
        Some(SpawnOp::Dup2 { src, .. }) if errno == Errno::EBADF => {
            ExecError::BadFd(src.to_string())
        }
        Some(op) => ExecError::System(op.to_string(), errno),
        None => ExecError::System("spawn".into(), errno),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal_ops_of(sh: &Shell) -> Vec<String> {
        sh.signal_ops().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn signal_ops_never_name_a_signal_twice() {
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        assert_eq!(signal_ops_of(&sh), ["sigdefault SIGPIPE"]);

        // Interactive children get SIGINT back at its default, unless the
        // shell ignores it by `trap ''`: then they ignore it too.
        sh.state.options.interactive = true;
        sh.state.traps.insert(libc::SIGINT, TrapAction::Ignore);
        assert_eq!(
            signal_ops_of(&sh),
            ["sigdefault SIGPIPE,SIGQUIT,SIGTERM", "sigignore SIGINT"]
        );

        // A subshell that reset a signal its top-level shell ignores, in an
        // asynchronous list: the list's ignore wins over the reset.
        sh.state.options.interactive = false;
        let mut sub = sh.subshell();
        sub.state.traps.clear();
        sub.state
            .traps
            .insert(libc::SIGUSR1, TrapAction::Command("echo".into()));
        sub.ignored_by_parent_traps.push(libc::SIGUSR2);
        assert_eq!(sub.ignored_by_parent_traps, [libc::SIGINT, libc::SIGUSR2]);
        assert_eq!(signal_ops_of(&sub), ["sigdefault SIGPIPE,SIGINT,SIGUSR2"]);
        sub.ctx.async_list = true;
        assert_eq!(
            signal_ops_of(&sub),
            ["sigdefault SIGPIPE,SIGUSR2", "sigignore SIGINT,SIGQUIT"]
        );
    }
}
