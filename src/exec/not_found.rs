//! `command_not_found_handle`: when a command is not found and the user
//! defined a function of that name, it runs with the command's words as
//! its arguments, and its status is the command's. bash runs it in the
//! child it forked for the command, so nothing it changes reaches the
//! shell; pidsh starts it as a pidsh process of its own, which also serves
//! pipeline stages, `$( )` and jobs alike.

use super::error::ExecError;
use super::redirect::Resolved;
use super::state::Shell;
use crate::spawn::Child;

/// The handler's name, as bash calls it.
const HANDLER: &str = "command_not_found_handle";

impl Shell {
    /// The handler started for `words`, a command that was not found, in
    /// place of the command; `None` when there is no handler to run. A
    /// command missing inside the handler itself is reported as usual
    /// (bash would call the handler again, without end).
    pub(super) fn start_not_found_handler(
        &mut self,
        words: &[String],
        assignments: &[(String, String)],
        steps: &[Resolved],
    ) -> Option<Result<Child, ExecError>> {
        if !self.state.functions.contains_key(HANDLER)
            || self.function_names.iter().any(|f| f == HANDLER)
        {
            return None;
        }
        let mut argv = vec![HANDLER];
        argv.extend(words.iter().map(String::as_str));
        let command = super::blocking::literal_command(&argv, assignments, steps);
        let table = self.fds.clone();
        Some(match self.spawn_self(&command, table) {
            Ok(p) => Ok(Child {
                pid: p.pid,
                pidfd: p.pidfd,
            }),
            Err(status) => Err(ExecError::Reported(status)),
        })
    }
}
