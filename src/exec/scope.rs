//! The execution context, and the scopes that change it.
//!
//! [`ExecContext`] is where the command being run sits: the job it joins,
//! the conditions, loops, `.` files, `eval`s, traps and subshells around it.
//! It is not state a command leaves behind: a change to it lasts exactly as
//! long as the construct that made it. So nothing sets a field before a
//! call and resets it after; [`Shell::scoped`] returns a [`Scope`] that
//! derefs to the shell and puts the context back when dropped, on every way
//! out (a status, an error, `break`, `return`, `exit`).
//!
//! ```ignore
//! // `if`'s condition: `set -e` is off inside, back on after.
//! self.scoped(|c| c.errexit_suppressed += 1).run_list(condition)
//! ```
//!
//! [`Shell::with_fd_table`] does the same for the whole fd table (a
//! pipeline stage run here, `lastpipe`).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use super::fdtable::FdTable;
use super::state::{Placement, Shell};

/// Where the command being run sits. A subshell starts from its parent's
/// (see `Shell::subshell` for what it resets) and a self-spawned one
/// receives the part that outlives a process boundary (`handover.rs`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecContext {
    /// Where the process being spawned goes under job control: the job's
    /// new group, an earlier member's, or the shell's own.
    pub placement: Placement,
    /// An asynchronous list is being started without job control (also in
    /// the subshells made meanwhile, its command substitutions): its
    /// processes start with SIGINT and SIGQUIT ignored (POSIX 2.11).
    pub async_list: bool,
    /// A pipeline is being started under `shopt -s lastpipe`: its last
    /// stage runs in this shell.
    pub lastpipe: bool,
    /// Nesting of loops, for `break`/`continue` (a function call starts
    /// from none).
    pub loop_depth: u32,
    /// Nesting of `.` scripts, for `return`.
    pub source_depth: u32,
    /// Nesting of `eval` (a syntax error there does not end the shell).
    pub eval_depth: u32,
    /// Nesting of subshell environments (`exit` ends only the innermost;
    /// `$BASH_SUBSHELL`).
    pub subshell_depth: u32,
    /// Conditions (`if`, `while`, a non-final `&&`, `!`) around the
    /// command: `set -e` is off while any is.
    pub errexit_suppressed: u32,
    /// A builtin runs under the `command` prefix: its errors, and those of
    /// the code it runs (`command eval …`), do not end the shell (POSIX
    /// 2.14; dash).
    pub command_prefix: bool,
    /// `command -p`: commands are looked up on this default `PATH`
    /// (`confstr(_CS_PATH)`), without changing the variable.
    pub lookup_path: Option<Arc<str>>,
    /// A trap's code is running (traps do not nest).
    pub running_trap: bool,
    /// `exit` without an operand in a trap: the status from before the
    /// trap (POSIX mode; `None` outside traps and in bash mode).
    pub status_before_trap: Option<i32>,
    /// The start-up file being read: messages name it and the line, even
    /// in an interactive shell.
    pub startup_file: Option<Arc<str>>,
    /// The DEBUG trap is running (it does not run for its own commands).
    pub in_debug_trap: bool,
    /// The ERR trap is running (likewise).
    pub in_err_trap: bool,
    /// The signal whose trap is running: `$BASH_TRAPSIG`.
    pub trap_signal: Option<i32>,
    /// A command substitution's commands are running (also in the
    /// subshells it makes): a command that dies of a signal there is not
    /// reported, as in bash.
    pub in_substitution: bool,
    /// The commands being run are the shell's input, and from where: what
    /// `\#` counts and `set -o history` records.
    pub input: Input,
}

/// Where the commands at the top level come from, when they are the
/// shell's input rather than code it runs for itself (start-up files,
/// `PROMPT_COMMAND`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Input {
    /// Code the shell runs for itself.
    #[default]
    Own,
    /// A script file or standard input: each command is counted (`\#`)
    /// and, under `set -o history`, recorded as it is read.
    Script,
    /// `-c` text: recorded, not counted (bash).
    CommandString,
    /// A line typed at the prompt: counted; the read–run loop records
    /// the line itself, after history expansion.
    Prompt,
}

impl Input {
    /// Whether `\#` counts its commands.
    pub fn counts(self) -> bool {
        matches!(self, Input::Script | Input::Prompt)
    }

    /// Whether its commands are added to the history as they are read.
    pub fn records(self) -> bool {
        matches!(self, Input::Script | Input::CommandString)
    }
}

impl ExecContext {
    /// The context a subshell of this one starts in: one level deeper, in
    /// no job of its own yet, outside any loop.
    pub fn for_subshell(&self) -> ExecContext {
        ExecContext {
            subshell_depth: self.subshell_depth + 1,
            placement: Placement::Shell,
            loop_depth: 0,
            // A trap's `exit` means the trap's shell, not a subshell in it.
            status_before_trap: None,
            ..self.clone()
        }
    }
}

/// A change to the execution context (and, for [`Shell::with_fd_table`],
/// the fd table) that lasts until this value is dropped. Derefs to the
/// shell, so the code inside runs on it as usual.
pub struct Scope<'a> {
    shell: &'a mut Shell,
    /// The context to put back (`None`: nothing was changed).
    outer_context: Option<ExecContext>,
    outer_fds: Option<FdTable>,
}

impl Shell {
    /// Runs what follows with the context changed by `change`, until the
    /// returned scope is dropped.
    pub fn scoped(&mut self, change: impl FnOnce(&mut ExecContext)) -> Scope<'_> {
        self.scoped_if(true, change)
    }

    /// As [`Shell::scoped`] when `when`; otherwise a scope that changes
    /// nothing and costs nothing (the common case of conditions that rarely
    /// hold, on paths every command takes).
    pub fn scoped_if(&mut self, when: bool, change: impl FnOnce(&mut ExecContext)) -> Scope<'_> {
        let outer_context = when.then(|| {
            let outer = self.ctx.clone();
            change(&mut self.ctx);
            outer
        });
        Scope {
            shell: self,
            outer_context,
            outer_fds: None,
        }
    }

    /// Runs what follows with `table` as the fd table, until the returned
    /// scope is dropped (the shell's own table comes back then).
    pub fn with_fd_table(&mut self, table: FdTable) -> Scope<'_> {
        let outer_fds = std::mem::replace(&mut self.fds, table);
        let outer_context = Some(self.ctx.clone());
        Scope {
            shell: self,
            outer_context,
            outer_fds: Some(outer_fds),
        }
    }
}

impl Deref for Scope<'_> {
    type Target = Shell;

    fn deref(&self) -> &Shell {
        self.shell
    }
}

impl DerefMut for Scope<'_> {
    fn deref_mut(&mut self) -> &mut Shell {
        self.shell
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        if let Some(outer) = self.outer_context.take() {
            self.shell.ctx = outer;
        }
        if let Some(fds) = self.outer_fds.take() {
            self.shell.fds = fds;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Changes the context in nested scopes and leaves by an error.
    fn nested_scopes_then_error(sh: &mut Shell) -> Result<(), ()> {
        let mut inner = sh.scoped(|c| c.loop_depth += 1);
        assert_eq!(inner.ctx.loop_depth, 1);
        inner.ctx.placement = Placement::Lead { foreground: true };
        let mut nested = inner.scoped(|c| c.running_trap = true);
        assert!(nested.ctx.running_trap && nested.ctx.loop_depth == 1);
        nested.ctx.eval_depth = 7;
        Err(())
    }

    #[test]
    fn a_scope_restores_the_context_on_every_way_out() {
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        assert!(nested_scopes_then_error(&mut sh).is_err());
        assert_eq!(sh.ctx, ExecContext::default());
    }

    #[test]
    fn a_table_scope_gives_the_shell_its_own_table_back() {
        let mut sh = Shell::new("pidsh".into(), Vec::new(), crate::builtins::table());
        let own: Vec<_> = sh.fds.iter().map(|(fd, _)| fd).collect();
        {
            let mut stage = sh.with_fd_table(FdTable::default());
            assert_eq!(stage.fds.iter().count(), 0);
            stage.ctx.async_list = true;
        }
        assert_eq!(sh.fds.iter().map(|(fd, _)| fd).collect::<Vec<_>>(), own);
        assert!(!sh.ctx.async_list);
    }
}
