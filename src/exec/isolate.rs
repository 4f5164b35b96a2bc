//! Which subshells must be processes, and starting them as pidsh
//! processes of their own (never by `fork`).
//!
//! A subshell (`( … )`, `$( … )`, a pipeline stage of shell code) runs
//! in-process on a copy of the state whenever no script could tell. What
//! gives the emulation away is the process itself: a signal sent to the
//! subshell's pid, a trap or an ignored signal (dispositions belong to a
//! process), its pid (`$BASHPID`, or `$PPID` in a child), and resource
//! limits. So, before it starts, the subshell's code — and the code of
//! every function it names, transitively — is read for what reaches
//! those: a `trap` that sets or ignores a real signal (one that only lists
//! traps or sets EXIT, ERR, DEBUG or RETURN is run by an in-process
//! subshell itself), and, anywhere in the text of a word, the words
//! `trap`, `ulimit`, `BASHPID` and `PPID` (also inside quotes: `sh -c
//! 'kill $PPID'` signals its parent, `eval 'trap … INT'` sets a trap). If
//! one is found, the subshell runs as `pidsh --subshell N`, started by the
//! spawn builder with the state handed over through a memfd at fd N
//! ([`SubshellState`]). The reading is deliberately coarse: a word that
//! only looks like one of them (`echo trap`) costs a process, never
//! correctness. Code the reading cannot see — text built at run time for
//! `eval`, a file read by `.` — stays in-process.
//!
//! Background shell code and, under job control, pipeline stages of
//! shell code are always processes: job control must be able to stop
//! them.

use std::io::Read;
use std::os::fd::OwnedFd;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, Weak};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::expand::ExpandError;
use crate::jobs::{self, Process};
use crate::parser::ast::{
    AssignValue, Command, CompoundCommand, List, Pipeline, RedirTarget, Redirect, SimpleCommand,
    Word,
};
use crate::parser::unparse;

use super::fdtable::FdTable;
use super::handover::SubshellState;
use super::state::{Placement, Shell, TrapAction};
use crate::spawn::{Program, Spawn, SpawnOp};
use crate::sys::fd as syscalls;

/// Variables that make a subshell a process wherever they appear (see the
/// module's comment); builtins do so by their `needs_process` flag.
const PROCESS_VARIABLES: &[&str] = &["BASHPID", "PPID"];

/// Conditions whose trap an in-process subshell runs itself.
const PSEUDO_SIGNALS: &[&str] = &["EXIT", "SIGEXIT", "0", "ERR", "DEBUG", "RETURN"];

/// A planned self-spawn: the spawn, and what must stay open until it ran
/// (the table holding the hand-over's memfd, copies made by lowering).
pub struct SelfSpawn {
    /// The spawn.
    pub spawn: Spawn,
    keep: (FdTable, Vec<std::os::fd::OwnedFd>),
}

/// The first descriptor number tried for the hand-over in the child.
const HANDOVER_FD: i32 = 10;

impl Shell {
    /// Whether a subshell running `list` must be a process.
    pub fn list_needs_process(&self, list: &List) -> bool {
        let mut reading = Reading::new(self);
        reading.list(list) || self.functions_need_process(reading.calls)
    }

    /// [`Shell::list_needs_process`] for the body of a `$( )` in the
    /// syntax tree: what the reading of the body found is kept (per
    /// thread and version of the function table, as for functions), so a
    /// loop of `$(echo hi)` does not read its text again on every turn.
    pub fn substitution_needs_process(&self, body: &Arc<List>) -> bool {
        let summary = self.substitution_summary(body);
        summary.process
            || (!summary.calls.is_empty() && self.functions_need_process(summary.calls.clone()))
    }

    fn substitution_summary(&self, body: &Arc<List>) -> Rc<Summary> {
        let version = self.state.functions_version;
        let key = Arc::as_ptr(body) as usize;
        let kept = SUBSTITUTIONS.with(|cache| cache.borrow_mut().get(version, key));
        if let Some(summary) = kept {
            return summary;
        }
        let mut reading = Reading::new(self);
        let process = reading.list(body);
        let summary = Rc::new(Summary {
            process,
            calls: reading.calls,
        });
        SUBSTITUTIONS.with(|cache| cache.borrow_mut().keep(version, body, Rc::clone(&summary)));
        summary
    }

    /// Whether a pipeline stage running `command` must be a process.
    pub fn command_needs_process(&self, command: &Command) -> bool {
        let mut reading = Reading::new(self);
        reading.command(command) || self.functions_need_process(reading.calls)
    }

    /// Whether any of the functions `names`, or a function they name,
    /// transitively, has what makes a process. Each function is read once
    /// per version of the function table (its [`Summary`] is kept), so a
    /// loop of `$(f)` does not read `f`'s code again on every turn.
    fn functions_need_process(&self, mut pending: Vec<String>) -> bool {
        let mut seen: FxHashSet<String> = FxHashSet::default();
        while let Some(name) = pending.pop() {
            let Some(summary) = self.function_summary(&name) else {
                continue;
            };
            if summary.process {
                return true;
            }
            seen.insert(name);
            pending.extend(summary.calls.iter().filter(|c| !seen.contains(*c)).cloned());
        }
        false
    }

    /// What a function's own code holds for the rule (cached per thread
    /// and version of the function table).
    fn function_summary(&self, name: &str) -> Option<Rc<Summary>> {
        SUMMARIES.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.0 != self.state.functions_version {
                *cache = (self.state.functions_version, FxHashMap::default());
            }
            if let Some(summary) = cache.1.get(name) {
                return Some(Rc::clone(summary));
            }
            let f = self.state.functions.get(name)?;
            let mut reading = Reading::new(self);
            let process = reading.command(&f.body);
            let summary = Rc::new(Summary {
                process,
                calls: reading.calls,
            });
            cache.1.insert(name.to_string(), Rc::clone(&summary));
            Some(summary)
        })
    }

    /// Starts `command` as a subshell in a pidsh process of its own, with
    /// `table` as its descriptors and the state of a subshell of this
    /// context handed over through a memfd.
    pub fn spawn_self(&mut self, command: &Command, table: FdTable) -> Result<Process, i32> {
        self.spawn_self_as(command, table, |_| {})
    }

    /// [`Shell::spawn_self`] for a subshell whose copy of the state
    /// `adjust` changes first (a command substitution's options).
    fn spawn_self_as(
        &mut self,
        command: &Command,
        table: FdTable,
        adjust: impl FnOnce(&mut Shell),
    ) -> Result<Process, i32> {
        let planned = self.plan_self_as(command, table, adjust)?;
        let started = self.spawn_plan(planned.spawn, "pidsh");
        drop(planned.keep);
        match started {
            Ok(child) => Ok(Process::from(child)),
            Err(e) => Err(self.fail(e).unwrap_or(1)),
        }
    }

    /// The spawn that starts `command` as a pidsh process of its own (see
    /// [`Shell::spawn_self`]), with the descriptors it needs kept open
    /// until it has started; `--plan` prints the same value.
    pub fn plan_self(&mut self, command: &Command, table: FdTable) -> Result<SelfSpawn, i32> {
        self.plan_self_as(command, table, |_| {})
    }

    fn plan_self_as(
        &mut self,
        command: &Command,
        table: FdTable,
        adjust: impl FnOnce(&mut Shell),
    ) -> Result<SelfSpawn, i32> {
        let Some(exe) = self.self_exe() else {
            self.report("cannot find the pidsh executable to run a subshell");
            return Err(1);
        };
        // The child shell starts with the dispositions a child command
        // would get (Ctrl-Z must be able to stop it under job control;
        // SIGINT and SIGQUIT ignored in an asynchronous list without it).
        let signal_ops = self.signal_ops();
        let mut sub = self.subshell();
        for op in &signal_ops {
            if let SpawnOp::SigIgnore(signals) = op {
                // Its own `trap ''`s, which it may still change.
                for sig in signals {
                    sub.state.traps.insert(*sig, TrapAction::Ignore);
                }
            }
        }
        // Those `trap ''`s now say what its children get: an asynchronous
        // list's SIGINT and SIGQUIT among them, which it may reset.
        sub.ctx.async_list = false;
        adjust(&mut sub);
        let data = SubshellState::of(&sub).encode(&unparse::command(command));
        drop(sub);
        let state_fd = match syscalls::content_fd(&data) {
            Ok(fd) => fd,
            Err(e) => {
                let message = format!("cannot hand over a subshell: {}", super::error::describe(e));
                self.report(&message);
                return Err(1);
            }
        };
        let mut table = table;
        let number = (HANDOVER_FD..)
            .find(|n| table.get(*n).is_none())
            .unwrap_or(HANDOVER_FD);
        table.set_owned(number, state_fd);
        let exe_c = super::lookup::path_cstring(&exe);
        let mut spawn = Spawn::new(Program::Path(exe_c.clone()));
        spawn.arg(exe_c);
        spawn.arg(crate::bytes::to_cstring("--subshell"));
        spawn.arg(crate::bytes::to_cstring(&number.to_string()));
        spawn.environment(self.environment_with(&[]));
        let mut ops = self.context_ops();
        ops.extend(self.placement_ops());
        let mut keep = Vec::new();
        if let Err(e) = super::lower::lower_table(&table, false, &mut ops, &mut keep) {
            return Err(self.fail(e).unwrap_or(1));
        }
        ops.extend(signal_ops);
        for op in ops {
            spawn.op(op);
        }
        Ok(SelfSpawn {
            spawn,
            keep: (table, keep),
        })
    }

    /// `( list )` as a process: waited for, as a foreground job under job
    /// control (Ctrl-Z stops it).
    pub fn run_subshell_process(&mut self, list: &List) -> i32 {
        let group = brace_group(list);
        let controlled = self.job_control_active();
        let table = self.fds.clone();
        let started = self
            .scoped(|c| {
                if controlled {
                    c.placement = Placement::Lead { foreground: true };
                }
            })
            .spawn_self(&group, table);
        match started {
            Ok(process) if controlled => {
                let pgid = process.pid;
                let text = format!("( {} )", unparse::list(list));
                self.wait_foreground_job(vec![process], text, pgid)
            }
            Ok(process) => {
                let (status, death) = jobs::wait_process_death(process.pid, process.pidfd.as_ref());
                if let Some(death) = death {
                    self.report_signal_death(death, || {
                        vec![super::jobcontrol::ReportedProcess {
                            pid: process.pid,
                            status,
                            death: Some(death),
                            text: format!("( {} )", unparse::list(list)),
                        }]
                    });
                }
                status
            }
            Err(status) => {
                if let Some(t) = &self.terminal {
                    t.reclaim();
                }
                status
            }
        }
    }

    /// `$( list )` as a process: its output comes back through a pipe.
    pub fn capture_process_output(&mut self, body: &List) -> Result<(String, i32), ExpandError> {
        let (read_end, write_end) = syscalls::pipe()
            .map_err(|e| ExpandError::new(format!("pipe: {}", super::error::describe(e))))?;
        let mut table = self.fds.clone();
        table.set_owned(1, write_end);
        // `spawn_self` drops its table, and with it the shell's copy of the
        // write end: the read below ends when the subshell and its
        // children close theirs.
        let started =
            self.spawn_self_as(&brace_group(body), table, Shell::enter_command_substitution);
        let bytes = read_to_end(read_end);
        let status = match started {
            Ok(p) => jobs::wait_process(p.pid, p.pidfd.as_ref()),
            Err(status) => status,
        };
        Ok((super::pipeline::substitution_text(bytes), status))
    }
}

/// What the rule found in one function's own code.
struct Summary {
    /// Something in it makes a process.
    process: bool,
    /// The functions it names.
    calls: Vec<String>,
}

thread_local! {
    /// Functions' summaries, for one version of the function table.
    static SUMMARIES: RefCell<(u64, FxHashMap<String, Rc<Summary>>)> =
        RefCell::new((0, FxHashMap::default()));
    /// The summaries of `$( )` bodies, for one version of the function table.
    static SUBSTITUTIONS: RefCell<SubstitutionSummaries> = RefCell::default();
}

/// The most `$( )` bodies whose summaries are kept; past it, those of
/// bodies no syntax tree holds any more are dropped, then all.
const MAX_SUBSTITUTIONS: usize = 256;

/// The summaries of `$( )` bodies, by the address of the body in the
/// syntax tree. Each entry holds a weak reference to its body, so the
/// memory at that address cannot be reused for another body while the
/// entry exists: an address names one body for as long as it is a key.
#[derive(Default)]
struct SubstitutionSummaries {
    version: u64,
    entries: FxHashMap<usize, (Weak<List>, Rc<Summary>)>,
}

impl SubstitutionSummaries {
    fn get(&mut self, version: u64, key: usize) -> Option<Rc<Summary>> {
        if self.version != version {
            self.version = version;
            self.entries.clear();
            return None;
        }
        self.entries
            .get(&key)
            .map(|(_, summary)| Rc::clone(summary))
    }

    fn keep(&mut self, version: u64, body: &Arc<List>, summary: Rc<Summary>) {
        if self.version != version {
            self.version = version;
            self.entries.clear();
        }
        if self.entries.len() >= MAX_SUBSTITUTIONS {
            self.entries.retain(|_, (body, _)| body.strong_count() > 0);
            if self.entries.len() >= MAX_SUBSTITUTIONS / 2 {
                self.entries.clear();
            }
        }
        let key = Arc::as_ptr(body) as usize;
        self.entries.insert(key, (Arc::downgrade(body), summary));
    }
}

/// One reading of a piece of code, for what only a process can do (see the
/// module's comment); the functions it names are collected, not read.
struct Reading<'s> {
    sh: &'s Shell,
    /// Functions named in the code.
    calls: Vec<String>,
}

impl<'s> Reading<'s> {
    fn new(sh: &'s Shell) -> Self {
        Reading {
            sh,
            calls: Vec::new(),
        }
    }

    fn list(&mut self, list: &List) -> bool {
        list.items.iter().any(|item| {
            let ao = &item.and_or;
            self.pipeline(&ao.first) || ao.rest.iter().any(|(_, p)| self.pipeline(p))
        })
    }

    fn pipeline(&mut self, p: &Pipeline) -> bool {
        p.commands.iter().any(|c| self.command(c))
    }

    fn command(&mut self, command: &Command) -> bool {
        match command {
            Command::Simple(sc) => self.simple(sc),
            Command::Compound(cc, redirects) => {
                self.compound(cc) || redirects.iter().any(|r| self.redirect(r))
            }
            Command::FunctionDef(f) => self.command(&f.body),
            Command::Coproc(c) => self.command(&c.body),
        }
    }

    fn simple(&mut self, sc: &SimpleCommand) -> bool {
        let mut words = sc.words.as_slice();
        if sc.words.first().and_then(|w| w.as_plain_literal()) == Some("trap") {
            if !harmless_trap(&sc.words[1..]) {
                return true;
            }
            words = &sc.words[1..];
        }
        words.iter().any(|w| self.text(&unparse::word(w)))
            || sc.redirects.iter().any(|r| self.redirect(r))
            || sc.assignments.iter().any(|a| {
                a.index
                    .as_ref()
                    .is_some_and(|w| self.text(&unparse::word(w)))
                    || match &a.value {
                        AssignValue::Scalar(w) => self.text(&unparse::word(w)),
                        AssignValue::Array(ws) => ws.iter().any(|w| self.text(&unparse::word(w))),
                    }
            })
    }

    fn redirect(&mut self, r: &Redirect) -> bool {
        match &r.target {
            RedirTarget::Word(w) => self.text(&unparse::word(w)),
            RedirTarget::HereDoc(doc) => {
                let body = Word {
                    parts: doc.body.clone(),
                };
                self.text(&unparse::word(&body))
            }
        }
    }

    fn compound(&mut self, cc: &CompoundCommand) -> bool {
        match cc {
            CompoundCommand::BraceGroup(l) | CompoundCommand::Subshell(l) => self.list(l),
            CompoundCommand::If {
                branches,
                else_branch,
            } => {
                branches.iter().any(|(c, b)| self.list(c) || self.list(b))
                    || else_branch.as_ref().is_some_and(|b| self.list(b))
            }
            CompoundCommand::Loop {
                condition, body, ..
            } => self.list(condition) || self.list(body),
            CompoundCommand::For { words, body, .. }
            | CompoundCommand::Select { words, body, .. } => {
                words.iter().flatten().any(|w| self.text(&unparse::word(w))) || self.list(body)
            }
            CompoundCommand::ArithFor {
                init,
                condition,
                step,
                body,
            } => {
                [init, condition, step]
                    .iter()
                    .any(|w| self.text(&unparse::word(w)))
                    || self.list(body)
            }
            CompoundCommand::Case { word, arms } => {
                self.text(&unparse::word(word))
                    || arms.iter().any(|arm| {
                        arm.patterns.iter().any(|p| self.text(&unparse::word(p)))
                            || self.list(&arm.body)
                    })
            }
            CompoundCommand::Arith(_) | CompoundCommand::Cond(_) => {
                let text = unparse::command(&Command::Compound(cc.clone(), Vec::new()));
                self.text(&text)
            }
        }
    }

    /// Reads the text of a word (or of an expression): the names in
    /// [`PROCESS_VARIABLES`], builtins that need a process and a `trap` in code it may run (`eval`, `sh -c`
    /// make no difference to this reading) decide; a function it names is
    /// noted, to be read after.
    fn text(&mut self, text: &str) -> bool {
        for word in text.split(is_separator).filter(|w| !w.is_empty()) {
            let needs_process = self.sh.builtins.find(word).is_some_and(|b| b.needs_process);
            if needs_process || PROCESS_VARIABLES.contains(&word) || word == "trap" {
                return true;
            }
            if self.sh.state.functions.contains_key(word) {
                self.calls.push(word.to_string());
            }
        }
        false
    }
}

/// Whether a `trap` with these arguments leaves the signal dispositions
/// alone: it lists traps, or sets only conditions a subshell handles
/// itself (EXIT, ERR, DEBUG, RETURN).
fn harmless_trap(args: &[Word]) -> bool {
    let args = match args.first().and_then(|w| w.as_plain_literal()) {
        Some("--") => &args[1..],
        _ => args,
    };
    match args.first().map(|w| w.as_plain_literal()) {
        None | Some(Some("-p" | "-l")) => true,
        _ => {
            // The action may be any word; the conditions must be literal.
            let conditions = if args.len() > 1 { &args[1..] } else { args };
            conditions.iter().all(|w| {
                w.as_plain_literal()
                    .is_some_and(|c| PSEUDO_SIGNALS.iter().any(|p| p.eq_ignore_ascii_case(c)))
            })
        }
    }
}

/// The code of a subshell as the command its process runs: the process is
/// the subshell, so the list needs no `( )` of its own.
pub(super) fn brace_group(list: &List) -> Command {
    Command::Compound(CompoundCommand::BraceGroup(list.clone()), Vec::new())
}

/// Word boundaries for [`Shell::needs_process`]: blanks, operators,
/// quotes and the characters of expansions.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || "\"'`$\\;|&()<>{}[]=,*/%!?#^~".contains(c)
}

fn read_to_end(fd: OwnedFd) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = std::fs::File::from(fd).read_to_end(&mut bytes);
    bytes
}

/// The child's side: `pidsh --subshell N`. Reads the state and the
/// program from fd N (closing it), becomes that subshell (with the
/// program's `builtins`) and runs the program; the exit status.
pub fn run_handed_over(fd: Option<&str>, builtins: &'static super::builtin::BuiltinTable) -> i32 {
    let bytes = match fd
        .and_then(|n| n.parse().ok())
        .map(syscalls::read_handed_over)
    {
        Some(Ok(bytes)) => bytes,
        _ => {
            eprintln!("pidsh: --subshell: no state to read");
            return 2;
        }
    };
    let (state, program) = match SubshellState::decode(&bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            eprintln!("pidsh: {e}");
            return 2;
        }
    };
    drop(bytes);
    let mut sh = Shell::new(state.arg0.clone(), state.positional.clone(), builtins);
    let ignored = crate::jobs::signals::setup(false, Some(&state.ignored_on_entry));
    sh.note_ignored_at_start(ignored);
    let line = state.line.max(1);
    state.apply(&mut sh);
    let status = sh.run_main_from(&program, line);
    // As the top-level shell (`cli`): the process ends now, so the state
    // is not freed piece by piece.
    std::mem::forget(sh);
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs_process(sh: &Shell, code: &str) -> bool {
        let list = crate::parser::Parser::new(code, 1)
            .next_command(&Default::default())
            .ok()
            .flatten()
            .expect("parses");
        sh.list_needs_process(&list)
    }

    #[test]
    fn what_makes_a_subshell_a_process() {
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        let _ = sh.run_source_text("f() { trap '' INT; }; g() { f; }; h() { echo h; }");
        for code in [
            "trap 'echo t' USR1",
            "trap '' HUP; sh -c 'echo'",
            "trap - INT",
            "trap 'x' EXIT INT",
            "trap \"$a\" $sig",
            "echo $BASHPID",
            "echo ${BASHPID}",
            "x=$((BASHPID + 1))",
            "sh -c 'kill $PPID'",
            "eval 'trap \"\" INT'",
            "ulimit -n 10",
            "g",
            "if true; then g; fi",
            "h | g",
            "case x in x) echo $BASHPID;; esac",
            "for i in a; do cat <<EOF\n$BASHPID\nEOF\ndone",
        ] {
            assert!(needs_process(&sh, code), "{code:?} should be a process");
        }
        for code in [
            "echo hi",
            "trap",
            "trap -p",
            "trap -l",
            "trap 'rm -f \"$tmp\"' EXIT",
            "trap -- 'echo e' exit ERR",
            "h; echo $$ $PPIDX",
            "x=$(echo hi); [[ $x == hi ]]",
        ] {
            assert!(!needs_process(&sh, code), "{code:?} should stay in-process");
        }
        // A function redefined is read again.
        let _ = sh.run_source_text("h() { trap 'echo t' USR1; }");
        assert!(needs_process(&sh, "echo; h"));
        let _ = sh.run_source_text("unset -f f");
        assert!(!needs_process(&sh, "g"));
    }
}
