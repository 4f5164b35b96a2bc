//! Pipelines of several commands, background lists and command
//! substitution.
//!
//! External stages are spawned directly with their pipe ends as `dup2` ops.
//! Stages that are shell code (builtins, functions, compound commands) run
//! in-process on a thread, on a copy of the state whose fd table holds the
//! pipe ends, so a stage blocked on a full pipe never blocks the others.

use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::expand::ExpandError;
use crate::jobs::{self, Process};
use crate::parser::ast::{AndOr, Command, List, Pipeline, SimpleCommand, Word, WordPart};

use super::eval::{Status, Unwind};
use super::fdtable::{Capture, FdEntry, FdTable};
use super::simple::Target;
use super::state::{Placement, Shell};
use crate::sys::fd as syscalls;

/// How [`Shell::start_simple_in_subshell`] left a simple command.
enum Started {
    /// An external command: started, or why not.
    External(Result<Process, NoProcess>),
    /// Shell code, its words already expanded.
    ShellCode(Command),
    /// Not started and not expanded.
    NotYet,
}

/// A started pipeline stage.
enum Stage {
    Process(Process),
    Thread(JoinHandle<i32>),
    Done(i32),
    /// The last stage under `lastpipe` left this shell's code with an
    /// unwind (`exit`, `return`, `break`): it goes on once every stage
    /// is waited for. The status is `$?` at that point.
    Unwound(Unwind, i32),
    /// The system refused it a pipe, process or thread: the pipeline
    /// fails with this status whatever its last stage does.
    Refused(i32),
}

/// Why an external stage has no process.
enum NoProcess {
    /// The command's own failure (not found, a redirection, an
    /// expansion): its status, as the command alone would have.
    Failed(i32),
    /// The system refused a process (descriptors, memory, processes).
    Refused(i32),
}

impl NoProcess {
    fn status(&self) -> i32 {
        match self {
            NoProcess::Failed(s) | NoProcess::Refused(s) => *s,
        }
    }

    fn into_stage(self) -> Stage {
        match self {
            NoProcess::Failed(s) => Stage::Done(s),
            NoProcess::Refused(s) => Stage::Refused(s),
        }
    }
}

/// How a pipeline runs its stages of shell code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ShellCode {
    /// On threads of this shell (no job control: nothing to stop).
    Threads,
    /// As pidsh processes (a background job).
    Processes,
    /// As pidsh processes, except builtins that only report this shell's
    /// state (a foreground job: its processes can be stopped).
    ProcessesButStateBuiltins,
}

impl ShellCode {
    /// How a pipeline placed as the shell places it runs its shell code:
    /// `job` is `Some(foreground)` for a job of its own (job control),
    /// `None` otherwise.
    pub(super) fn for_pipeline(background: bool, job: Option<bool>) -> ShellCode {
        match (background, job) {
            (true, _) => ShellCode::Processes,
            (false, Some(_)) => ShellCode::ProcessesButStateBuiltins,
            (false, None) => ShellCode::Threads,
        }
    }
}

/// The descriptors of each stage of a pipeline: `base` with the previous
/// stage's pipe as standard input and, but for the last, a new pipe as
/// standard output (and error, for `|&`). Each pipe is made when the stage
/// writing to it is reached, so starting a long pipeline holds two pipes
/// at a time. Running a pipeline and `--plan` both lay out stages with it.
pub(super) struct StageTables<'p> {
    pipeline: &'p Pipeline,
    next: usize,
    prev_read: Option<OwnedFd>,
}

impl<'p> StageTables<'p> {
    pub(super) fn new(pipeline: &'p Pipeline) -> StageTables<'p> {
        StageTables {
            pipeline,
            next: 0,
            prev_read: None,
        }
    }

    /// The next stage: its index, command and descriptors; `Err` when the
    /// system refused a pipe (the stages after it cannot run).
    pub(super) fn next(
        &mut self,
        base: &FdTable,
    ) -> Option<Result<(usize, &'p Command, FdTable), nix::errno::Errno>> {
        let i = self.next;
        let command = self.pipeline.commands.get(i)?;
        self.next += 1;
        let mut table = base.clone();
        if let Some(r) = self.prev_read.take() {
            table.set_owned(0, r);
        }
        if i + 1 < self.pipeline.commands.len() {
            let (r, w) = match syscalls::pipe() {
                Ok(ends) => ends,
                Err(e) => {
                    self.next = self.pipeline.commands.len();
                    return Some(Err(e));
                }
            };
            table.set_owned(1, w);
            if self.pipeline.stderr_too.get(i).copied().unwrap_or(false)
                && let Some(out) = table.get(1).cloned()
            {
                table.set(2, out);
            }
            self.prev_read = Some(r);
        }
        Some(Ok((i, command, table)))
    }
}

impl Shell {
    /// bash runs the DEBUG trap in the shell before it starts each stage
    /// that is a simple command (the stages themselves, subshells, do not
    /// inherit it); under `lastpipe` the last stage runs it itself.
    fn debug_trap_for_stages(&mut self, p: &Pipeline) -> Result<(), Unwind> {
        if !self.state.traps.contains_key(&super::state::DEBUG_TRAP) {
            return Ok(());
        }
        let in_shell = usize::from(self.shopt_on("lastpipe") && !self.job_control_active());
        let started = &p.commands[..p.commands.len() - in_shell];
        for command in started {
            if let Command::Simple(sc) = command {
                self.line = sc.span.line;
                self.bash_command = crate::parser::unparse::simple_command(sc);
                self.run_debug_trap()?;
            }
        }
        Ok(())
    }

    /// Runs `a | b | …` in the foreground; the status is the last stage's
    /// (or, with `pipefail`, the last non-zero one).
    pub fn run_multi_pipeline(&mut self, p: &Pipeline) -> Status {
        self.debug_trap_for_stages(p)?;
        if self.job_control_active() {
            return Ok(self.run_controlled_pipeline(p));
        }
        let lastpipe = self.shopt_on("lastpipe");
        let stages = self
            .scoped(|c| c.lastpipe = lastpipe)
            .start_pipeline(p, ShellCode::Threads);
        let refused = refused_status(&stages);
        let mut unwound = None;
        // The stages that were processes: (stage, pid, status, death).
        let mut processes = Vec::new();
        let statuses: Vec<i32> = stages
            .into_iter()
            .enumerate()
            .map(|(i, stage)| match stage {
                Stage::Unwound(unwind, status) => {
                    unwound = Some(unwind);
                    status
                }
                Stage::Process(process) => {
                    let (status, death) =
                        jobs::wait_process_death(process.pid, process.pidfd.as_ref());
                    processes.push((i, process.pid, status, death));
                    status
                }
                stage => wait_stage(stage),
            })
            .collect();
        self.report_pipeline_death(p, statuses.len(), processes);
        self.set_pipestatus(&statuses);
        if let Some(unwind) = unwound {
            // `exit` in the last stage under `lastpipe` leaves this shell.
            return Err(unwind);
        }
        let last = statuses.last().copied().unwrap_or(0);
        if let Some(status) = refused {
            // Part of the pipeline never ran: it failed, whatever the rest did.
            return Ok(status);
        }
        if self.state.options.pipefail {
            return Ok(statuses
                .iter()
                .rev()
                .find(|&&s| s != 0)
                .copied()
                .unwrap_or(0));
        }
        Ok(last)
    }

    /// [`Shell::report_signal_death`] for a pipeline whose last stage was
    /// a process that died of a signal: its processes, with their texts.
    fn report_pipeline_death(
        &mut self,
        p: &Pipeline,
        stages: usize,
        processes: Vec<(usize, nix::unistd::Pid, i32, Option<jobs::Death>)>,
    ) {
        let Some(&(last, _, _, Some(death))) = processes.last() else {
            return;
        };
        if last + 1 != stages {
            return;
        }
        self.report_signal_death(death, || {
            processes
                .into_iter()
                .map(
                    |(i, pid, status, death)| super::jobcontrol::ReportedProcess {
                        pid,
                        status,
                        death,
                        text: p
                            .commands
                            .get(i)
                            .map(crate::parser::unparse::command)
                            .unwrap_or_default(),
                    },
                )
                .collect()
        });
    }

    /// `PIPESTATUS` (bash): the statuses of the last pipeline's stages.
    pub fn set_pipestatus(&mut self, statuses: &[i32]) {
        if let Some(super::state::Array::Indexed(current)) = self.state.vars.array("PIPESTATUS")
            && current.len() == statuses.len()
            && current
                .values()
                .zip(statuses)
                .all(|(v, s)| v.parse() == Ok(*s))
        {
            return;
        }
        let values = statuses.iter().map(|s| s.to_string()).enumerate().collect();
        let _ = self
            .state
            .vars
            .set_array("PIPESTATUS", super::state::Array::Indexed(values));
    }

    /// A foreground pipeline as one job: its own process group, which owns
    /// the terminal until it stops or ends. Stages of shell code run as
    /// pidsh processes of the group (as background shell code does), so
    /// Ctrl-Z stops the whole pipeline and `fg` continues it.
    fn run_controlled_pipeline(&mut self, p: &Pipeline) -> i32 {
        let stages = self.start_pipeline_as_job(p, true);
        let pgid = stages.iter().find_map(|s| match s {
            Stage::Process(p) => Some(p.pid),
            _ => None,
        });
        let refused = refused_status(&stages);
        let mut processes = Vec::new();
        let mut statuses = Vec::new();
        for stage in stages {
            match stage {
                Stage::Process(p) => processes.push(p),
                other => statuses.push(wait_stage(other)),
            }
        }
        match pgid {
            Some(pgid) => {
                let text = crate::parser::unparse::pipeline(p);
                let status = self.wait_foreground_job(processes, text, pgid);
                refused.unwrap_or(status)
            }
            None => {
                if let Some(t) = &self.terminal {
                    t.reclaim();
                }
                statuses.last().copied().unwrap_or(1)
            }
        }
    }

    /// Starts a pipeline with each process placed in the job's group: the
    /// first leads it (and, in the foreground, takes the terminal). Shell
    /// code stages become processes too: a thread cannot be stopped.
    fn start_pipeline_as_job(&mut self, p: &Pipeline, foreground: bool) -> Vec<Stage> {
        self.scoped(|c| c.placement = Placement::Lead { foreground })
            .start_pipeline_placed(p, ShellCode::ProcessesButStateBuiltins)
    }

    fn start_pipeline(&mut self, p: &Pipeline, code: ShellCode) -> Vec<Stage> {
        self.start_pipeline_placed(p, code)
    }

    /// Starts the stages; after the first process, later ones join its
    /// group when a placement is in force.
    fn start_pipeline_placed(&mut self, p: &Pipeline, code: ShellCode) -> Vec<Stage> {
        let n = p.commands.len();
        let mut stages = Vec::with_capacity(n);
        let mut wiring = StageTables::new(p);
        while let Some(next) = wiring.next(&self.fds) {
            let (i, command, table) = match next {
                Ok(stage) => stage,
                Err(e) => {
                    self.report(&format!("pipe: {}", super::error::describe(e)));
                    stages.push(Stage::Refused(1));
                    break;
                }
            };
            let stage = if self.ctx.lastpipe && i + 1 == n {
                // `shopt -s lastpipe`: the last stage runs in this shell, so
                // `… | read x` sets x here. The others already run.
                let mut here = self.with_fd_table(table);
                here.ctx.lastpipe = false;
                match here.run_command(command) {
                    Ok(status) => Stage::Done(status),
                    Err(unwind) => Stage::Unwound(unwind, here.state.last_status),
                }
            } else {
                self.start_stage(command, table, code)
            };
            if let (Stage::Process(proc_), Placement::Lead { .. }) = (&stage, self.ctx.placement) {
                // For the rest of the job's scope (`start_pipeline_as_job`).
                self.ctx.placement = Placement::Join(proc_.pid);
            }
            stages.push(stage);
        }
        stages
    }

    /// Starts one stage with `table` as its descriptors. Its words are
    /// expanded once, in the stage's own subshell: nothing they assign
    /// reaches this shell.
    fn start_stage(&mut self, command: &Command, table: FdTable, code: ShellCode) -> Stage {
        let mut command = std::borrow::Cow::Borrowed(command);
        if let Command::Simple(sc) = command.as_ref()
            && self.may_start_external(sc)
        {
            let mut sub = self.stage_subshell(table.clone());
            let started = sub.start_simple_in_subshell(sc);
            self.state.commands = sub.state.commands.clone();
            match started {
                Started::External(Ok(process)) => return Stage::Process(process),
                Started::External(Err(failure)) => return failure.into_stage(),
                Started::ShellCode(expanded) => command = std::borrow::Cow::Owned(expanded),
                Started::NotYet => {}
            }
        }
        let command = command.as_ref();
        if self.stage_is_process(command, code) {
            return match self.spawn_self(command, table) {
                Ok(p) => Stage::Process(p),
                Err(status) => Stage::Done(status),
            };
        }
        let mut sub = self.subshell();
        sub.fds = table;
        let command = command.clone();
        let thread = super::threads::spawn("pidsh-stage", move || {
            sub.finish_subshell(|sh| sh.run_command(&command))
        });
        match thread {
            Ok(handle) => Stage::Thread(handle),
            Err(e) => {
                self.report(&format!("cannot start pipeline stage: {e}"));
                Stage::Refused(1)
            }
        }
    }

    /// Whether a stage of shell code runs as a pidsh process of its own
    /// rather than on a thread of this one.
    pub(super) fn stage_is_process(&self, command: &Command, code: ShellCode) -> bool {
        match code {
            ShellCode::Threads => self.command_needs_process(command),
            ShellCode::Processes => true,
            ShellCode::ProcessesButStateBuiltins => !self.is_state_builtin_stage(command),
        }
    }

    /// A subshell of this context for one stage: `table` as its
    /// descriptors, in the job's process group.
    fn stage_subshell(&self, table: FdTable) -> Shell {
        let mut sub = self.subshell();
        sub.fds = table;
        sub.ctx.placement = self.ctx.placement;
        sub
    }

    /// Starts a simple command of a subshell (this context) if it is an
    /// external one, expanding its words here and only once. A command
    /// whose name needs expanding comes back expanded when it turns out to
    /// be shell code (its fields as quoted words), so that the stage does
    /// not expand them again; one whose words run commands is left to the
    /// stage (`NotYet`), which expands them itself.
    fn start_simple_in_subshell(&mut self, sc: &SimpleCommand) -> Started {
        let Some(first) = sc.words.first() else {
            return Started::NotYet;
        };
        if let Some(name) = first.as_plain_literal() {
            if !self.is_external_name(name) {
                return Started::NotYet;
            }
            self.line = sc.span.line;
            return match crate::expand::expand_words(self, &sc.words) {
                Ok(words) => Started::External(self.start_expanded_external(sc, &words)),
                Err(e) => {
                    Started::External(Err(NoProcess::Failed(self.fail(e.into()).unwrap_or(1))))
                }
            };
        }
        if sc.words.iter().any(|w| w.has_command_substitution()) {
            return Started::NotYet;
        }
        self.line = sc.span.line;
        let words = match crate::expand::expand_words(self, &sc.words) {
            Ok(words) => words,
            Err(e) => {
                let status = self.fail(e.into()).unwrap_or(1);
                return Started::External(Err(NoProcess::Failed(status)));
            }
        };
        match words.first() {
            Some(name) if self.is_external_name(name) => {
                Started::External(self.start_expanded_external(sc, &words))
            }
            _ => Started::ShellCode(Command::Simple(SimpleCommand {
                words: words
                    .into_iter()
                    .map(|w| Word {
                        parts: vec![WordPart::Quoted(w)],
                    })
                    .collect(),
                ..sc.clone()
            })),
        }
    }

    /// Whether [`Shell::start_simple_in_subshell`] may start `sc`: its
    /// name is that of an external command, or is found by an expansion
    /// that runs no command.
    fn may_start_external(&self, sc: &SimpleCommand) -> bool {
        match sc.words.first().map(|w| w.as_plain_literal()) {
            None => false,
            Some(Some(name)) => self.is_external_name(name),
            Some(None) => !sc.words.iter().any(|w| w.has_command_substitution()),
        }
    }

    /// Whether a command name found by expansion runs an external command.
    fn is_external_name(&self, name: &str) -> bool {
        matches!(self.classify(name), Target::External) && !self.state.aliases.contains_key(name)
    }

    /// Whether a stage is a builtin that reports this shell's own state and
    /// returns at once (`history | tail`, `jobs | wc -l`, `alias | grep`):
    /// it stays a thread even in a job-controlled pipeline, since a pidsh
    /// process of its own would not have the history, the jobs and the
    /// rest. Builtins that wait for input or processes, or run other
    /// commands, are not among them.
    fn is_state_builtin_stage(&self, command: &Command) -> bool {
        let Command::Simple(sc) = command else {
            return false;
        };
        let Some(name) = sc.words.first().and_then(|w| w.as_plain_literal()) else {
            return false;
        };
        !self.state.aliases.contains_key(name)
            && matches!(self.classify(name), Target::Special(b) | Target::Builtin(b) if !b.waits_or_runs)
    }

    /// Starts a simple external command whose words are expanded,
    /// without waiting.
    fn start_expanded_external(
        &mut self,
        sc: &SimpleCommand,
        words: &[String],
    ) -> Result<Process, NoProcess> {
        let values = match self.expand_assignments(&sc.assignments) {
            Ok(v) => v,
            Err(e) => return Err(NoProcess::Failed(self.fail(e).unwrap_or(1))),
        };
        self.trace(&values, words);
        match self.start_external(words, &values, &sc.redirects) {
            Ok(child) => Ok(Process::from(child)),
            Err(e) => {
                let refused = matches!(e, super::error::ExecError::System(..));
                let status = self.fail(e).unwrap_or(1);
                Err(if refused {
                    NoProcess::Refused(status)
                } else {
                    NoProcess::Failed(status)
                })
            }
        }
    }

    /// Runs an and-or list in the background: external pipelines as their
    /// own processes, shell code in a self-spawned pidsh.
    pub fn run_background(&mut self, ao: &AndOr) -> Status {
        let table = self.background_table();
        self.start_async(ao, table);
        Ok(0)
    }

    /// Starts an and-or list in the background with `table` as its
    /// descriptors and adds it to the jobs; the pid of its last process
    /// (also `$!`), if one started.
    pub(super) fn start_async(&mut self, ao: &AndOr, table: FdTable) -> Option<i32> {
        let text = crate::parser::unparse::and_or(ao);
        let controlled = self.job_control_active();
        // Without job control the list's processes start with SIGINT and
        // SIGQUIT ignored (POSIX 2.11; see `Shell::signal_ops`).
        let uncontrolled = !self.monitor_in_effect();
        let processes = self
            .scoped(|c| {
                if controlled {
                    c.placement = Placement::Lead { foreground: false };
                }
                c.async_list |= uncontrolled;
            })
            .start_background(ao, table);
        let last = processes.last()?.pid.as_raw();
        self.state.last_bg_pid = Some(last);
        let pgid = controlled.then(|| processes[0].pid);
        let number = self.jobs.add_job(processes, text, pgid, false);
        if self.state.options.interactive {
            self.write_stderr(&format!("[{number}] {last}\n"));
        }
        Some(last)
    }

    /// Starts the processes of a background and-or list with `table` as
    /// their descriptors: a lone pipeline's stages, else one pidsh running
    /// the whole list.
    fn start_background(&mut self, ao: &AndOr, table: FdTable) -> Vec<Process> {
        if ao.rest.is_empty() && !ao.first.negated {
            self.with_fd_table(table)
                .start_pipeline(&ao.first, ShellCode::Processes)
                .into_iter()
                .filter_map(|s| match s {
                    Stage::Process(p) => Some(p),
                    Stage::Thread(h) => {
                        let _ = h.join();
                        None
                    }
                    Stage::Done(_) | Stage::Refused(_) | Stage::Unwound(..) => None,
                })
                .collect()
        } else {
            let group = Command::Compound(
                crate::parser::ast::CompoundCommand::BraceGroup(List {
                    items: vec![crate::parser::ast::ListItem {
                        and_or: ao.clone(),
                        background: false,
                    }],
                }),
                Vec::new(),
            );
            match self.spawn_self(&group, table) {
                Ok(p) => vec![p],
                Err(_) => Vec::new(),
            }
        }
    }

    /// The descriptors of an asynchronous list: this context's, with
    /// standard input from `/dev/null` when job control is off (POSIX 2.9.3).
    pub(super) fn background_table(&self) -> FdTable {
        let mut table = self.fds.clone();
        if !self.state.options.monitor
            && let Ok(null) = nix::fcntl::open(
                "/dev/null",
                nix::fcntl::OFlag::O_RDONLY | nix::fcntl::OFlag::O_CLOEXEC,
                nix::sys::stat::Mode::empty(),
            )
        {
            table.set_owned(0, null);
        }
        table
    }

    /// Runs `$(…)` in-process on a copy of the state; its output comes
    /// back through a pipe read by a helper thread, so output of any size
    /// works, whether builtins or external commands write it.
    pub fn capture_output(&mut self, body: &List) -> Result<(String, i32), ExpandError> {
        self.capture_output_as(body, |sh| sh.list_needs_process(body))
    }

    /// [`Shell::capture_output`] of the body of a `$( )` in the syntax
    /// tree: the reading for the process rule is kept for the next time
    /// (a loop runs the same body again and again).
    pub fn capture_substitution(&mut self, body: &Arc<List>) -> Result<(String, i32), ExpandError> {
        self.capture_output_as(body, |sh| sh.substitution_needs_process(body))
    }

    fn capture_output_as(
        &mut self,
        body: &List,
        needs_process: impl FnOnce(&Shell) -> bool,
    ) -> Result<(String, i32), ExpandError> {
        if let Some(sc) = single_simple_command(body)
            && let Some(captured) = self.capture_external(sc)
        {
            return captured;
        }
        if needs_process(self) {
            return self.capture_process_output(body);
        }
        let capture = Arc::new(Capture::default());
        let mut sub = self.subshell();
        sub.enter_command_substitution();
        sub.fds.set(1, FdEntry::Capture(Arc::clone(&capture)));
        let status = sub.finish_subshell(|sh| sh.run_list(body));
        drop(sub);
        Ok((substitution_text(capture.finish()), status))
    }

    /// What a subshell becomes to run `$( )`: outside POSIX mode bash
    /// turns `set -e` off in it, unless `shopt -s inherit_errexit`.
    pub(super) fn enter_command_substitution(&mut self) {
        self.ctx.in_substitution = true;
        if !self.state.options.posix && !self.shopt_on("inherit_errexit") {
            self.state.options.errexit = false;
        }
    }

    /// `<(list)` / `>(list)` (bash): the list runs concurrently on a thread
    /// with its stdout (or stdin) on a pipe; the other end stays open in
    /// this shell's table under its own number N, so both the shell and its
    /// children can open `/dev/fd/N`. It is closed when the command ends.
    pub fn start_process_substitution(
        &mut self,
        body: &List,
        input: bool,
    ) -> Result<String, ExpandError> {
        let failed = |e| {
            ExpandError::new(format!(
                "process substitution: {}",
                super::error::describe(e)
            ))
        };
        let (r, w) = syscalls::pipe().map_err(failed)?;
        let (ours, theirs) = if input { (r, w) } else { (w, r) };
        // The number must be free both in the process and in the table.
        let mut low = 63;
        let ours = loop {
            let candidate = syscalls::dup_at_least(ours.as_raw_fd(), low).map_err(failed)?;
            if self.fds.get(candidate.as_raw_fd()).is_none() {
                break candidate;
            }
            low = candidate.as_raw_fd() + 1;
        };
        let number = ours.as_raw_fd();
        // `>( … )` reads what the shell writes, and may still be reading
        // when the shell exits: only a process of its own outlives it, as
        // in bash (a thread would die with the shell, its input unread).
        if !input || self.bang_read || self.list_needs_process(body) {
            self.start_procsub_process(body, input, theirs)?;
            self.fds.set_owned(number, ours);
            self.procsub_fds.push(number);
            return Ok(format!("/dev/fd/{number}"));
        }
        let mut sub = self.subshell();
        for n in &self.procsub_fds {
            sub.fds.close(*n);
        }
        sub.fds.set_owned(if input { 1 } else { 0 }, theirs);
        let body = body.clone();
        super::threads::spawn("pidsh-procsub", move || {
            sub.finish_subshell(|sh| sh.run_list(&body));
        })
        .map_err(|e| {
            ExpandError::new(format!("process substitution: cannot start a thread: {e}"))
        })?;
        self.fds.set_owned(number, ours);
        self.procsub_fds.push(number);
        Ok(format!("/dev/fd/{number}"))
    }

    /// A process substitution as a pidsh process of its own, with
    /// `theirs` as its stdout (`input`) or stdin: when something may read
    /// `$!` (which then names it, for `wait $!`) or its code needs a
    /// process.
    fn start_procsub_process(
        &mut self,
        body: &List,
        input: bool,
        theirs: std::os::fd::OwnedFd,
    ) -> Result<(), ExpandError> {
        let mut table = self.fds.clone();
        for n in &self.procsub_fds {
            table.close(*n);
        }
        table.set_owned(if input { 1 } else { 0 }, theirs);
        let group = super::isolate::brace_group(body);
        let process = self
            .spawn_self(&group, table)
            .map_err(|_| ExpandError::new("process substitution: cannot start a process"))?;
        self.state.last_bg_pid = Some(process.pid.as_raw());
        self.jobs.add_procsub(process);
        Ok(())
    }

    /// Closes the shell's ends of the process substitutions made since
    /// `mark` (a length of `procsub_fds`: the command that used them has
    /// ended).
    pub fn close_process_substitutions(&mut self, mark: usize) {
        if self.procsub_fds.len() > mark {
            for n in self.procsub_fds.split_off(mark) {
                self.fds.close(n);
            }
        }
    }

    /// `$(cmd args)` where `cmd` is external: spawned, from the
    /// substitution's subshell, with its stdout on a pipe that this thread
    /// reads to the end, then waited for — no reader thread. `None` when
    /// it is not an external command after all (its words are then not
    /// expanded yet).
    fn capture_external(
        &mut self,
        sc: &SimpleCommand,
    ) -> Option<Result<(String, i32), ExpandError>> {
        if !self.may_start_external(sc) {
            return None;
        }
        let (read_end, write_end) = match syscalls::pipe() {
            Ok(pipe) => pipe,
            Err(e) => {
                let message = format!("pipe: {}", super::error::describe(e));
                return Some(Err(ExpandError::new(message)));
            }
        };
        let mut table = self.fds.clone();
        table.set_owned(1, write_end);
        let mut sub = self.stage_subshell(table);
        let started = match sub.start_simple_in_subshell(sc) {
            Started::External(started) => started,
            Started::ShellCode(_) | Started::NotYet => return None,
        };
        self.state.commands = sub.state.commands.clone();
        // Dropping the subshell drops its copy of the write end, so the
        // read below ends when the child (and its children) close it.
        drop(sub);
        let mut bytes = Vec::new();
        let _ = std::fs::File::from(read_end).read_to_end(&mut bytes);
        let status = match started {
            Ok(p) => jobs::wait_process(p.pid, p.pidfd.as_ref()),
            Err(failure) => failure.status(),
        };
        Some(Ok((substitution_text(bytes), status)))
    }
}

/// The one simple command a `$( )` body consists of, if that is all it is.
fn single_simple_command(body: &List) -> Option<&SimpleCommand> {
    let [item] = body.items.as_slice() else {
        return None;
    };
    if item.background || !item.and_or.rest.is_empty() || item.and_or.first.negated {
        return None;
    }
    match item.and_or.first.commands.as_slice() {
        [Command::Simple(sc)] => Some(sc),
        _ => None,
    }
}

/// The status of the first stage the system refused to start, if any.
fn refused_status(stages: &[Stage]) -> Option<i32> {
    stages.iter().find_map(|s| match s {
        Stage::Refused(status) => Some(*status),
        _ => None,
    })
}

fn wait_stage(stage: Stage) -> i32 {
    match stage {
        Stage::Process(p) => jobs::wait_process(p.pid, p.pidfd.as_ref()),
        Stage::Thread(handle) => handle.join().unwrap_or(1),
        Stage::Done(status) | Stage::Refused(status) | Stage::Unwound(_, status) => status,
    }
}

/// The value of a command substitution from the output it captured:
/// trailing newlines removed (POSIX 2.6.3), other bytes kept as they are.
pub fn substitution_text(mut bytes: Vec<u8>) -> String {
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    crate::bytes::decode_vec(bytes)
}
