//! The evaluator: lists, and-or lists, pipelines of one command, compound
//! commands, functions, subshell environments and `set -e`.

use std::sync::Arc;

use crate::expand;
use crate::parser::ast::{
    AndOr, AndOrOp, CaseTerminator, Command, CompoundCommand, FunctionDef, List, Pipeline,
};

use super::error::ExecError;
use super::redirect;
use super::state::Shell;

/// A non-local exit from running code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unwind {
    /// `break n`: leave n enclosing loops.
    Break(u32),
    /// `continue n`.
    Continue(u32),
    /// `return n` from a function or `.` script.
    Return(i32),
    /// `exit n`, `set -e`, or a fatal error: leave the (sub)shell.
    Exit(i32),
    /// Ctrl-C in an interactive shell (or a foreground job that died of
    /// SIGINT or SIGQUIT, or stopped): abandon the command line being run
    /// (in-process loops included) and go back to the prompt with 128 +
    /// the signal.
    Interrupt(i32),
    /// An error bash survives (a bad substitution, an arithmetic error, an
    /// assignment to a readonly variable): abandon the rest of the
    /// top-level command being run — the line, or the command of an
    /// `eval` or `.` text — and go on with the next one, `$?` = N. A
    /// subshell it reaches ends with N.
    Discard(i32),
}

/// The outcome of running code: a status, or an unwind in progress.
pub type Status = Result<i32, Unwind>;

/// Deepest function nesting before `maximum function nesting level exceeded`.
const MAX_CALL_DEPTH: u32 = 1000;

impl Shell {
    /// `FUNCNEST` (bash): the deepest function nesting allowed, when set
    /// to a number above 0.
    fn funcnest(&self) -> Option<u32> {
        self.state
            .vars
            .get("FUNCNEST")
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|n| *n > 0)
    }

    /// How many function calls are running.
    pub fn call_depth(&self) -> u32 {
        u32::try_from(self.function_names.len()).unwrap_or(u32::MAX)
    }

    /// Runs a list.
    pub fn run_list(&mut self, list: &List) -> Status {
        let mut status = 0;
        for item in &list.items {
            self.check_interrupt()?;
            status = if item.background {
                self.run_background(&item.and_or)?
            } else {
                self.run_and_or(&item.and_or)?
            };
        }
        Ok(status)
    }

    /// Runs a list as a condition (`if`, `while`): `set -e` does not apply.
    fn run_condition(&mut self, list: &List) -> Status {
        self.scoped(|c| c.errexit_suppressed += 1).run_list(list)
    }

    fn run_and_or(&mut self, ao: &AndOr) -> Status {
        let last = ao.rest.len();
        let mut status = self.run_pipeline_checked(&ao.first, last > 0)?;
        let mut final_ran = last == 0;
        for (i, (op, pipeline)) in ao.rest.iter().enumerate() {
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                status = self.run_pipeline_checked(pipeline, i + 1 < last)?;
                final_ran = i + 1 == last;
            }
        }
        // A failure that short-circuited the list stays exempt from `set -e`
        // in whatever compound command returns it.
        if !final_ran {
            self.errexit_exempt = true;
        }
        Ok(status)
    }

    /// Runs a pipeline and applies `set -e` unless it is a non-final part
    /// of an and-or list, negated, or inside a condition.
    fn run_pipeline_checked(&mut self, p: &Pipeline, not_last: bool) -> Status {
        self.errexit_exempt = false;
        let status = self
            .scoped_if(not_last, |c| c.errexit_suppressed += 1)
            .run_pipeline(p)?;
        self.state.last_status = status;
        if p.negated {
            self.errexit_exempt = true;
        }
        if status != 0 && !not_last && !self.errexit_exempt && self.ctx.errexit_suppressed == 0 {
            self.run_err_trap();
            if self.state.options.errexit {
                return Err(Unwind::Exit(status));
            }
        }
        Ok(status)
    }

    fn run_pipeline(&mut self, p: &Pipeline) -> Status {
        if p.span.line > 0 {
            // `$LINENO` and messages for compound commands ([[, ((, for…).
            self.line = p.span.line;
        }
        let started = p.timed.then(super::timing::Timer::start);
        let mut sh = self.scoped_if(p.negated, |c| c.errexit_suppressed += 1);
        let r = match p.commands.as_slice() {
            [single] => {
                let r = sh.run_command(single);
                if let (Ok(status), Command::Simple(_)) = (&r, single) {
                    sh.set_pipestatus(&[*status]);
                }
                r
            }
            _ => sh.run_multi_pipeline(p),
        };
        if let Some(timer) = started {
            let format = if p.time_posix {
                Some(super::timing::POSIX_FORMAT.to_string())
            } else {
                sh.state.vars.get("TIMEFORMAT").map(str::to_string)
            };
            match timer.report(format.as_deref()) {
                Ok(report) if !report.is_empty() => sh.write_stderr(&report),
                Ok(_) => {}
                Err(message) => sh.report(&message),
            }
        }
        let status = r?;
        Ok(if p.negated {
            (status == 0) as i32
        } else {
            status
        })
    }

    /// Runs one command in the foreground.
    pub fn run_command(&mut self, command: &Command) -> Status {
        // Every level of nesting passes here: deep enough on the main
        // thread, the rest runs on a big-stack thread.
        super::threads::with_stack_room(|| self.run_command_here(command))
    }

    fn run_command_here(&mut self, command: &Command) -> Status {
        match command {
            Command::Simple(sc) => self.run_simple(sc),
            Command::Compound(cc, redirects) if redirects.is_empty() => self.run_compound(cc),
            Command::Compound(cc, redirects) => {
                self.with_redirects(redirects, |sh| sh.run_compound(cc))
            }
            Command::FunctionDef(f) => {
                if self.state.readonly_functions.contains(&f.name) {
                    // bash names the line the definition ends on.
                    let start = self.line;
                    let lines = f.source.trim_end().matches('\n').count();
                    self.line = start + u32::try_from(lines).unwrap_or(0);
                    self.report(&format!("{}: readonly function", f.name));
                    self.line = start;
                    return Ok(1);
                }
                self.functions_mut().insert(f.name.clone(), Arc::clone(f));
                let file = self.current_file();
                if self.state.function_files.get(&f.name) != Some(&file) {
                    Arc::make_mut(&mut self.state.function_files).insert(f.name.clone(), file);
                }
                Ok(0)
            }
            Command::Coproc(c) => self.run_coproc(c),
        }
    }

    /// Runs `body` with `redirects` applied to a copy of the fd table.
    pub fn with_redirects(
        &mut self,
        redirects: &[crate::parser::ast::Redirect],
        body: impl FnOnce(&mut Shell) -> Status,
    ) -> Status {
        self.with_redirects_for(redirects, false, body)
    }

    /// As [`Shell::with_redirects`]; for a special builtin (`special`) a
    /// failed redirection is one of the errors POSIX makes fatal.
    pub fn with_redirects_for(
        &mut self,
        redirects: &[crate::parser::ast::Redirect],
        special: bool,
        body: impl FnOnce(&mut Shell) -> Status,
    ) -> Status {
        self.as_one_command(|sh| sh.with_redirects_at_depth(redirects, special, body))
    }

    fn with_redirects_at_depth(
        &mut self,
        redirects: &[crate::parser::ast::Redirect],
        special: bool,
        body: impl FnOnce(&mut Shell) -> Status,
    ) -> Status {
        if redirects.is_empty() {
            // Nothing to apply or undo; a frame all the same, so that a
            // bare `exec` keeps nothing of an enclosing command's.
            return self.in_redirection_frame(body).0;
        }
        let steps = match redirect::resolve(self, redirects) {
            Ok(steps) => steps,
            Err(e) => return self.fail_redirect(e, special),
        };
        let saved = self.fds.clone();
        let base = self.open_context();
        if let Err(e) = redirect::apply_to_table(&steps, &mut self.fds, base) {
            // Reported where the redirections before it sent stderr, as
            // bash does (`cmd 2>&1 >&9` writes the error to stdout).
            let r = self.fail_redirect(e, special);
            self.fds = saved;
            return r;
        }
        let (r, kept) = self.in_redirection_frame(body);
        if !kept {
            self.fds
                .restore(&saved, steps.iter().map(redirect::Resolved::fd));
        }
        r
    }

    /// Runs `body` as one redirected command; whether `exec` made its
    /// redirections the shell's own meanwhile.
    pub fn in_redirection_frame(
        &mut self,
        body: impl FnOnce(&mut Shell) -> Status,
    ) -> (Status, bool) {
        self.redirections_kept.push();
        let r = body(self);
        let kept = self.redirections_kept.pop();
        (r, kept)
    }

    /// `exec` without a command: the redirections of the command being
    /// run stay when it ends (`command exec >f` too: they are the
    /// `command` command's).
    pub fn keep_redirections(&mut self) {
        self.redirections_kept.keep_innermost();
    }

    /// Reports an error and gives its status; an expansion error unwinds
    /// (see [`Shell::expansion_failed`]).
    pub fn fail(&mut self, e: ExecError) -> Status {
        if !matches!(e, ExecError::Reported(_)) {
            self.report(&e.to_string());
        }
        let status = e.status();
        self.state.last_status = status;
        match e {
            ExecError::Expand(e) => Err(self.expansion_failed(e.fatal, status)),
            _ => Ok(status),
        }
    }

    /// After an expansion error: POSIX ends a non-interactive shell, and
    /// so does bash for a `fatal` one; otherwise bash abandons the rest of
    /// the command line and goes on with the next (an interactive shell
    /// too, in both modes).
    pub fn expansion_failed(&self, fatal: bool, status: i32) -> Unwind {
        if !self.state.options.interactive && (fatal || self.state.options.posix) {
            Unwind::Exit(status)
        } else {
            Unwind::Discard(status)
        }
    }

    fn fail_redirect(&mut self, e: ExecError, special: bool) -> Status {
        let status = self.fail(e)?;
        if special {
            return self.posix_fatal(status);
        }
        Ok(status)
    }

    /// A `for`/`select` variable that could not be assigned: an
    /// assignment error, which ends a non-interactive shell in POSIX mode
    /// (with its status, as bash).
    fn loop_variable_failed(&self, status: i32) -> Status {
        if self.state.options.posix && !self.state.options.interactive {
            return Err(Unwind::Exit(status));
        }
        Ok(status)
    }

    /// An error POSIX 2.8.1 makes fatal where bash goes on: in POSIX mode
    /// it ends a non-interactive shell with status 2 (as dash), unless a
    /// `command` prefix took the special-ness away; otherwise `status`.
    pub fn posix_fatal(&self, status: i32) -> Status {
        if self.state.options.posix && !self.state.options.interactive && !self.ctx.command_prefix {
            return Err(Unwind::Exit(2));
        }
        Ok(status)
    }

    fn run_compound(&mut self, cc: &CompoundCommand) -> Status {
        match cc {
            CompoundCommand::BraceGroup(list) => self.run_list(list),
            CompoundCommand::Subshell(list) => {
                let status = if self.list_needs_process(list) {
                    self.run_subshell_process(list)
                } else {
                    self.run_subshell(|sh| {
                        sh.jobs.forget_inherited();
                        sh.run_list(list)
                    })
                };
                self.errexit_exempt = false;
                Ok(status)
            }
            CompoundCommand::If {
                branches,
                else_branch,
            } => {
                for (condition, body) in branches {
                    if self.run_condition(condition)? == 0 {
                        return self.run_list(body);
                    }
                }
                match else_branch {
                    Some(body) => self.run_list(body),
                    None => Ok(0),
                }
            }
            CompoundCommand::Loop {
                until,
                condition,
                body,
            } => self.run_loop(*until, condition, body),
            CompoundCommand::For { var, words, body } => self.run_for(var, words.as_deref(), body),
            CompoundCommand::Select { var, words, body } => {
                self.run_select(var, words.as_deref(), body)
            }
            CompoundCommand::ArithFor {
                init,
                condition,
                step,
                body,
            } => self.run_arith_for(init, condition, step, body),
            CompoundCommand::Case { word, arms } => {
                self.run_debug_trap()?;
                self.run_case(word, arms)
            }
            CompoundCommand::Arith(expr) => {
                self.run_debug_trap()?;
                let traced = |sh: &mut Shell, text: &str| {
                    sh.trace_line(&format!("(( {} ))", text.trim()));
                };
                match self.eval_arith_word(expr, traced) {
                    Ok(v) => Ok((v == 0) as i32),
                    Err(outcome) => outcome,
                }
            }
            CompoundCommand::Cond(expr) => {
                self.run_debug_trap()?;
                match super::cond::evaluate(self, expr) {
                    Ok(true) => Ok(0),
                    Ok(false) => Ok(1),
                    Err(e) => self.fail(e),
                }
            }
        }
    }

    /// The value of the expression of `((…))` or `for ((…))`, or the
    /// outcome of its failure: an expansion error unwinds as any other;
    /// an error of the arithmetic itself fails the command with 1
    /// (`((: 1/0: division by 0 …`), in both modes, as in bash.
    fn eval_arith_word(
        &mut self,
        expr: &crate::parser::ast::Word,
        before: impl FnOnce(&mut Shell, &str),
    ) -> Result<i64, Status> {
        let text = match expand::expand_string(self, expr) {
            Ok(text) => text,
            Err(e) => return Err(self.fail(e.into())),
        };
        before(self, &text);
        expand::arith_text(self, &text).map_err(|e| {
            if e.fatal {
                // `set -u`: as fatal as anywhere else.
                return self.fail(e.into());
            }
            self.report(&format!("((: {e}"));
            self.state.last_status = 1;
            Ok(1)
        })
    }

    /// Runs a loop body once, in the loop's scope (`loop_depth` counts
    /// it); `true` when the loop must stop.
    fn loop_body(&mut self, body: &List, status: &mut i32) -> Result<bool, Unwind> {
        let r = self.run_list(body);
        match r {
            Ok(s) => {
                *status = s;
                Ok(false)
            }
            Err(Unwind::Break(n)) if n > 1 => Err(Unwind::Break(n - 1)),
            Err(Unwind::Continue(n)) if n > 1 => Err(Unwind::Continue(n - 1)),
            // The loop's status is then that of `break` / `continue`
            // (0, or 1 for a count out of range).
            Err(Unwind::Break(_)) => {
                *status = self.state.last_status;
                Ok(true)
            }
            Err(Unwind::Continue(_)) => {
                *status = self.state.last_status;
                Ok(false)
            }
            Err(other) => Err(other),
        }
    }

    fn run_loop(&mut self, until: bool, condition: &List, body: &List) -> Status {
        let mut sh = self.scoped(|c| c.loop_depth += 1);
        let mut status = 0;
        loop {
            let c = sh.run_condition(condition);
            let c = match c {
                Ok(c) => c,
                Err(Unwind::Break(n)) if n > 1 => return Err(Unwind::Break(n - 1)),
                Err(Unwind::Break(_)) => break,
                Err(Unwind::Continue(n)) if n > 1 => return Err(Unwind::Continue(n - 1)),
                Err(Unwind::Continue(_)) => continue,
                Err(other) => return Err(other),
            };
            if (c == 0) == until {
                break;
            }
            if sh.loop_body(body, &mut status)? {
                break;
            }
            sh.check_interrupt()?;
        }
        Ok(status)
    }

    /// The words a `for` or `select` goes over: expanded, or the
    /// positional parameters when there is no `in`.
    fn loop_items(
        &mut self,
        words: Option<&[crate::parser::ast::Word]>,
    ) -> Result<Vec<String>, ExecError> {
        match words {
            Some(words) => Ok(expand::expand_words(self, words)?),
            None => Ok(self.state.positional.clone()),
        }
    }

    /// `for 1 in …`: bash reports it when the loop runs, fails it with 1
    /// and goes on; in POSIX mode a non-interactive shell exits with 2, as
    /// for a syntax error.
    fn invalid_loop_variable(&mut self, var: &str) -> Status {
        self.report(&format!("`{var}': not a valid identifier"));
        if self.state.options.posix && !self.state.options.interactive {
            return Err(Unwind::Exit(2));
        }
        Ok(1)
    }

    fn run_for(
        &mut self,
        var: &str,
        words: Option<&[crate::parser::ast::Word]>,
        body: &List,
    ) -> Status {
        if !crate::expand::is_name(var) {
            return self.invalid_loop_variable(var);
        }
        let items = match self.loop_items(words) {
            Ok(items) => items,
            Err(e) => return self.fail(e),
        };
        let mut sh = self.scoped(|c| c.loop_depth += 1);
        let mut status = 0;
        let line = sh.line;
        for item in items {
            sh.line = line;
            sh.run_debug_trap()?;
            // A nameref loop variable is pointed at each word in turn (bash).
            let set = if sh.state.vars.var(var).is_some_and(|v| v.nameref) {
                sh.state.vars.set_nameref(var, Some(item))
            } else {
                sh.state.vars.set(var, item)
            };
            if let Err(e) = set {
                let status = sh.fail(ExecError::Readonly(e.0))?;
                return sh.loop_variable_failed(status);
            }
            if sh.loop_body(body, &mut status)? {
                break;
            }
            sh.check_interrupt()?;
        }
        Ok(status)
    }

    /// `select`: the menu (again after an empty answer), `PS3`, a line
    /// into `REPLY`, `var` set to the chosen word (empty for anything
    /// else), the body; until `break` or the end of input (status 1).
    fn run_select(
        &mut self,
        var: &str,
        words: Option<&[crate::parser::ast::Word]>,
        body: &List,
    ) -> Status {
        if !crate::expand::is_name(var) {
            return self.invalid_loop_variable(var);
        }
        let items = match self.loop_items(words) {
            Ok(items) => items,
            Err(e) => return self.fail(e),
        };
        if items.is_empty() {
            // bash neither prompts nor reads: status 0.
            return Ok(0);
        }
        let columns = self
            .state
            .vars
            .get("COLUMNS")
            .and_then(|c| c.parse().ok())
            .unwrap_or(80);
        let mut sh = self.scoped(|c| c.loop_depth += 1);
        let mut status = 0;
        let mut show_menu = true;
        loop {
            if std::mem::take(&mut show_menu) {
                sh.write_stderr(&select_menu(&items, columns));
            }
            let prompt = sh.state.vars.get("PS3").unwrap_or("#? ").to_string();
            sh.write_stderr(&prompt);
            let read = sh.builtins.find("read").map(|b| b.run);
            let got_line = match read {
                Some(read) => read(&mut sh, &["read".to_string()])? == 0,
                None => false,
            };
            if !got_line {
                let _ = sh.print("select", "\n");
                return Ok(1);
            }
            let reply = sh.state.vars.get("REPLY").unwrap_or_default().to_string();
            if reply.is_empty() {
                show_menu = true;
                continue;
            }
            let chosen = reply
                .trim()
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| items.get(i))
                .cloned()
                .unwrap_or_default();
            if let Err(e) = sh.state.vars.set(var, chosen) {
                let status = sh.fail(ExecError::Readonly(e.0))?;
                return sh.loop_variable_failed(status);
            }
            if sh.loop_body(body, &mut status)? {
                break;
            }
            sh.check_interrupt()?;
        }
        Ok(status)
    }

    fn run_arith_for(
        &mut self,
        init: &crate::parser::ast::Word,
        condition: &crate::parser::ast::Word,
        step: &crate::parser::ast::Word,
        body: &List,
    ) -> Status {
        let line = self.line;
        self.run_debug_trap()?;
        if let Err(outcome) = self.eval_arith_word(init, |_, _| ()) {
            return outcome;
        }
        let mut sh = self.scoped(|c| c.loop_depth += 1);
        let mut status = 0;
        loop {
            sh.line = line;
            sh.run_debug_trap()?;
            // An empty condition (`for (( ; ; ))`) is true.
            let go = condition.is_blank()
                || match sh.eval_arith_word(condition, |_, _| ()) {
                    Ok(v) => v != 0,
                    Err(outcome) => return outcome,
                };
            if !go || sh.loop_body(body, &mut status)? {
                break;
            }
            sh.line = line;
            sh.run_debug_trap()?;
            if let Err(outcome) = sh.eval_arith_word(step, |_, _| ()) {
                return outcome;
            }
            sh.check_interrupt()?;
        }
        Ok(status)
    }

    fn run_case(
        &mut self,
        word: &crate::parser::ast::Word,
        arms: &[crate::parser::ast::CaseArm],
    ) -> Status {
        let subject = match expand::expand_string(self, word) {
            Ok(s) => s,
            Err(e) => return self.fail(e.into()),
        };
        let mut status = 0;
        let mut i = 0;
        let mut falling = false;
        while i < arms.len() {
            let arm = &arms[i];
            let hit = falling || self.case_arm_matches(&subject, arm)?;
            if !hit {
                i += 1;
                continue;
            }
            status = self.run_list(&arm.body)?;
            match arm.terminator {
                CaseTerminator::Break => break,
                CaseTerminator::FallThrough => falling = true,
                CaseTerminator::Continue => falling = false,
            }
            i += 1;
        }
        Ok(status)
    }

    fn case_arm_matches(
        &mut self,
        subject: &str,
        arm: &crate::parser::ast::CaseArm,
    ) -> Result<bool, Unwind> {
        let glob = expand::ExpandEnv::glob_options(self);
        let options = glob.matching(glob.nocasematch);
        for pattern in &arm.patterns {
            match expand::expand_pattern(self, pattern) {
                Ok(p) => {
                    if expand::pattern::Pattern::with_options(&p, options).matches(subject) {
                        return Ok(true);
                    }
                }
                Err(e) => {
                    self.fail(e.into())?;
                    return Ok(false);
                }
            }
        }
        Ok(false)
    }

    /// Runs `body` in a subshell environment: a copy of this state, in this
    /// process. Nothing it changes reaches this shell; `exit` ends only it.
    pub fn run_subshell(&mut self, body: impl FnOnce(&mut Shell) -> Status) -> i32 {
        let mut sub = self.subshell();
        sub.finish_subshell(body)
    }

    /// A copy of this state for a subshell environment.
    pub fn subshell(&self) -> Shell {
        let mut sub = self.clone();
        if self.owns_process {
            // The process's dispositions are this shell's (see
            // `Shell::ignored_by_parent_traps`).
            sub.ignored_by_parent_traps = self.trap_ignored();
        }
        sub.owns_process = false;
        sub.ctx = self.ctx.for_subshell();
        sub.state.enter_subshell();
        // bash reseeds `$RANDOM` in a subshell (here when it is read).
        sub.random.set(super::random::Random::seeded_on_use());
        sub
    }

    /// Runs `body` as the whole of a subshell, then its EXIT trap; its status.
    pub fn finish_subshell(&mut self, body: impl FnOnce(&mut Shell) -> Status) -> i32 {
        let status = match body(self) {
            Ok(s) | Err(Unwind::Exit(s)) | Err(Unwind::Return(s)) | Err(Unwind::Discard(s)) => s,
            Err(Unwind::Break(_)) | Err(Unwind::Continue(_)) => self.state.last_status,
            Err(Unwind::Interrupt(sig)) => {
                // Let the enclosing shell see the Ctrl-C too.
                crate::jobs::signals::note_interrupt_by(sig);
                128 + sig
            }
        };
        self.state.last_status = status;
        self.run_exit_trap();
        // Its background jobs are not waited for (in bash they belong to
        // the subshell's process, which exits without waiting).
        self.jobs.orphan_all();
        self.state.last_status
    }

    /// Calls a function with arguments.
    pub fn call_function(&mut self, f: &FunctionDef, args: Vec<String>) -> Status {
        if self.call_depth() >= MAX_CALL_DEPTH || super::threads::stack_nearly_full() {
            let e = ExecError::Builtin(
                format!(
                    "{}: maximum function nesting level exceeded ({MAX_CALL_DEPTH})",
                    f.name
                ),
                1,
            );
            self.report(&e.to_string());
            return Err(Unwind::Exit(1));
        }
        if let Some(limit) = self.funcnest().filter(|n| self.call_depth() >= *n) {
            // bash abandons the command line.
            let what = format!(
                "{}: maximum function nesting level exceeded ({limit})",
                f.name
            );
            self.report(&what);
            self.state.last_status = 1;
            return Err(Unwind::Discard(1));
        }
        // `break` inside the function does not reach the caller's loops.
        self.scoped(|c| c.loop_depth = 0).run_function_body(f, args)
    }

    /// Runs a function's body as a call: its own positional parameters,
    /// locals, call frame and RETURN trap.
    fn run_function_body(&mut self, f: &FunctionDef, args: Vec<String>) -> Status {
        let saved_positional = std::mem::replace(&mut self.state.positional, args);
        // A function's `set` changes only its own parameters.
        let sets_before = self.positional_sets;
        let saved_getopts = self.state.getopts_char;
        let file = self
            .state
            .function_files
            .get(&f.name)
            .cloned()
            .unwrap_or_default();
        let args = std::mem::take(&mut self.state.positional);
        self.push_call_frame(&f.name, file, &args, &saved_positional);
        self.state.positional = args;
        self.function_names.push(f.name.clone());
        self.state.vars.push_frame();
        let traced = self.state.traced_functions.contains(&f.name);
        let hidden = self.hide_uninherited_traps(traced);
        // bash runs DEBUG once more on entering a function that sees it.
        let mut r = self
            .run_debug_trap()
            .and_then(|()| self.run_command(&f.body));
        if !matches!(r, Err(Unwind::Exit(_))) {
            let status = self.state.last_status;
            self.state.last_status = match r {
                Ok(s) | Err(Unwind::Return(s)) => s,
                _ => status,
            };
            if let Err(e) = self.run_return_trap() {
                r = Err(e);
            }
            self.state.last_status = status;
        }
        self.state.traps.extend(hidden);
        if self.state.vars.is_local_here("OPTIND") {
            // bash keeps the caller's `getopts` position with its OPTIND.
            self.state.getopts_char = saved_getopts;
        }
        self.state.vars.pop_frame();
        self.function_names.pop();
        if let Some(saved) = self.call_frames.pop().and_then(|f| f.saved_options) {
            // `local -` in the function.
            self.state.options = super::state::Options {
                interactive: self.state.options.interactive,
                ..*saved
            };
            self.refresh_option_variables();
        }
        // A function's failure is the call's own: `set -e` applies to it.
        self.errexit_exempt = false;
        self.state.positional = saved_positional;
        self.positional_sets = sets_before;
        match r {
            Err(Unwind::Return(s)) => Ok(s),
            other => other,
        }
    }

    /// `local -`: the `set` options as they are now come back when the
    /// innermost function call returns (once per call: the first wins).
    pub fn save_options_until_return(&mut self) {
        let options = self.state.options.clone();
        if let Some(frame) = self
            .call_frames
            .iter_mut()
            .rev()
            .find(|f| f.name != "source")
            && frame.saved_options.is_none()
        {
            frame.saved_options = Some(Box::new(options));
        }
    }

    /// Runs the EXIT trap once, if set.
    pub fn run_exit_trap(&mut self) {
        if let Some(super::state::TrapAction::Command(code)) = self.state.traps.remove(&0) {
            let saved = self.state.last_status;
            let r = self
                .scoped(|c| c.status_before_trap = Some(saved))
                .run_source_text(&code);
            // `exit N` inside the trap sets the shell's final status.
            self.state.last_status = match r {
                Err(Unwind::Exit(status)) => status,
                _ => saved,
            };
        }
    }

    /// Between commands and loop iterations: an interactive shell's Ctrl-C
    /// abandons the command line; traps of signals that arrived run now.
    /// The trap of a signal runs before the command line is abandoned
    /// (a foreground job that died of SIGINT counts as the shell's own
    /// SIGINT).
    pub fn check_interrupt(&mut self) -> Result<(), Unwind> {
        let interrupt = if self.state.options.interactive {
            crate::jobs::signals::take_interrupt()
        } else {
            None
        };
        self.run_pending_traps()?;
        if let Some(sig) = interrupt {
            self.state.last_status = 128 + sig;
            return Err(Unwind::Interrupt(sig));
        }
        Ok(())
    }

    /// Runs the traps of signals caught since the last check, between
    /// commands (never inside the spawn path). `$?` is kept across them.
    /// Only a context that owns its process runs them: a signal that
    /// arrives while an in-process subshell runs was sent to the shell,
    /// and its trap runs in the shell once the subshell is done.
    pub fn run_pending_traps(&mut self) -> Result<(), Unwind> {
        if self.ctx.running_trap || !self.owns_process {
            return Ok(());
        }
        for sig in crate::jobs::signals::take_pending() {
            let Some(super::state::TrapAction::Command(code)) = self.state.traps.get(&sig).cloned()
            else {
                continue;
            };
            self.scoped(|c| c.trap_signal = Some(sig))
                .run_trap_code(&code)?;
        }
        Ok(())
    }

    pub(super) fn run_trap_code(&mut self, code: &str) -> Result<(), Unwind> {
        self.run_trap_code_at(code, 1).map(drop)
    }

    /// Runs a trap's `code` as if at `line`; the trap's own status (the
    /// shell's `$?` is restored).
    fn run_trap_code_at(&mut self, code: &str, line: u32) -> Result<i32, Unwind> {
        let saved = self.state.last_status;
        // `exit` without operand: the status from before the trap in POSIX
        // mode (dash); bash's is the trap's own last status.
        let before = self.state.options.posix.then_some(saved);
        let r = self
            .scoped(|c| {
                c.running_trap = true;
                c.status_before_trap = before;
            })
            .run_source_from(code, line);
        let status = match r {
            Err(Unwind::Exit(s)) => return Err(Unwind::Exit(s)),
            Err(other @ (Unwind::Break(_) | Unwind::Continue(_))) => return Err(other),
            // `return` in a trap leaves the function (or `.` script) that
            // was running when it fired, as in bash.
            Err(Unwind::Return(s)) if self.call_depth() > 0 || self.ctx.source_depth > 0 => {
                return Err(Unwind::Return(s));
            }
            Ok(s) | Err(Unwind::Return(s)) => s,
            Err(_) => self.state.last_status,
        };
        self.state.last_status = saved;
        Ok(status)
    }

    /// The command of the DEBUG or RETURN trap `key`, unless it is running
    /// already. (Functions do not see the caller's: `call_function` hides
    /// them, see `hide_uninherited_traps`.)
    fn pseudo_trap(&self, key: i32) -> Option<String> {
        let busy = match key {
            super::state::DEBUG_TRAP => self.ctx.in_debug_trap,
            _ => self.ctx.running_trap,
        };
        if busy || self.state.traps.is_empty() {
            return None;
        }
        match self.state.traps.get(&key) {
            Some(super::state::TrapAction::Command(code)) => Some(code.clone()),
            _ => None,
        }
    }

    /// On entering a function: takes away the ERR trap (unless `set -E`)
    /// and the DEBUG and RETURN traps (unless `set -T`), as bash does; the
    /// function may set its own, which then stay.
    fn hide_uninherited_traps(&mut self, traced: bool) -> Vec<(i32, super::state::TrapAction)> {
        use super::state::{DEBUG_TRAP, ERR_TRAP, RETURN_TRAP};
        let mut hidden = Vec::new();
        if self.state.traps.is_empty() {
            // The common case: no trap at all, nothing to look up.
            return hidden;
        }
        let functrace = self.state.options.functrace || traced;
        for (key, inherited) in [
            (ERR_TRAP, self.state.options.errtrace),
            (DEBUG_TRAP, functrace),
            (RETURN_TRAP, functrace),
        ] {
            if !inherited && let Some(action) = self.state.traps.remove(&key) {
                hidden.push((key, action));
            }
        }
        hidden
    }

    /// The DEBUG trap (bash): before each simple command, `for` turn,
    /// arithmetic `for` expression, `case`, `((…))` and `[[…]]`. Its status
    /// is not `$?`; `LINENO` in it is the command's line.
    pub fn run_debug_trap(&mut self) -> Result<(), Unwind> {
        self.debug_trap_skips().map(drop)
    }

    /// Runs the DEBUG trap; whether the command it precedes is skipped:
    /// under `shopt -s extdebug`, when the trap's status is non-zero (2 in
    /// a function or `.` script returns from it instead, as bash does).
    pub fn debug_trap_skips(&mut self) -> Result<bool, Unwind> {
        let Some(code) = self.pseudo_trap(super::state::DEBUG_TRAP) else {
            return Ok(false);
        };
        let line = self.line;
        let status = self
            .scoped(|c| c.in_debug_trap = true)
            .run_trap_code_at(&code, line)?;
        if status == 0 || !self.shopt_on("extdebug") {
            return Ok(false);
        }
        if status == 2 && (self.call_depth() > 0 || self.ctx.source_depth > 0) {
            return Err(Unwind::Return(2));
        }
        Ok(true)
    }

    /// The RETURN trap (bash): when a function or a `.` script ends.
    pub fn run_return_trap(&mut self) -> Result<(), Unwind> {
        match self.pseudo_trap(super::state::RETURN_TRAP) {
            Some(code) => self.run_trap_code_at(&code, self.line).map(drop),
            None => Ok(()),
        }
    }

    /// The ERR trap (bash): after a command fails where `set -e` would apply.
    fn run_err_trap(&mut self) {
        if self.ctx.in_err_trap {
            return;
        }
        if let Some(super::state::TrapAction::Command(code)) =
            self.state.traps.get(&super::state::ERR_TRAP).cloned()
        {
            let line = self.line;
            let _ = self
                .scoped(|c| c.in_err_trap = true)
                .run_trap_code_at(&code, line);
        }
    }
}

/// `select`'s menu as bash lays it out: `N) word` items, numbered down the
/// columns, as many columns as fit in `columns`, padded with tabs and
/// spaces to 8-column tab stops.
fn select_menu(items: &[String], columns: usize) -> String {
    if items.is_empty() {
        return "\n".to_string();
    }
    let digits = |n: usize| n.to_string().len();
    let index_width = digits(items.len());
    let widest = items.iter().map(|w| w.chars().count()).max().unwrap_or(0);
    let cell = widest + index_width + 2 + 2;
    let mut cols = (columns / cell).max(1);
    let mut rows = items.len().div_ceil(cols);
    cols = items.len().div_ceil(rows);
    if rows == 1 {
        rows = cols;
    }
    let first_width = digits(rows);
    let mut out = String::new();
    for row in 0..rows {
        let mut index = row;
        let mut pos = 0;
        loop {
            let width = if pos == 0 { first_width } else { index_width };
            let entry = format!("{:>width$}) {}", index + 1, items[index]);
            let end = pos + width + 2 + items[index].chars().count();
            out.push_str(&entry);
            index += rows;
            if index >= items.len() {
                break;
            }
            pad_to(&mut out, end, pos + cell);
            pos += cell;
        }
        out.push('\n');
    }
    out
}

/// Tabs, then spaces, from column `from` to column `to` (bash's `indent`).
fn pad_to(out: &mut String, mut from: usize, to: usize) {
    while from < to {
        if to / 8 > from / 8 {
            out.push('\t');
            from += 8 - from % 8;
        } else {
            out.push(' ');
            from += 1;
        }
    }
}
