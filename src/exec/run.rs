//! Running source text: the read–parse–execute loop shared by scripts,
//! `-c`, `eval`, `.` and traps, and the shell's start-up state.

use std::collections::HashMap;
use std::sync::Arc;

use crate::expand::{ExpandEnv, ExpandError};
use crate::jobs::JobTable;
use crate::parser::ast::List;
use crate::parser::{FirstCommand, Parser};

use super::eval::{Status, Unwind};
use super::fdtable::FdTable;
use super::lookup::CommandCache;
use super::scope::Input;
use super::state::{Options, Shell, ShellState, Var, Vars};

impl Shell {
    /// A new top-level shell: variables from the environment, fds from the
    /// process, default options.
    pub fn new(
        arg0: String,
        positional: Vec<String>,
        builtins: &'static super::builtin::BuiltinTable,
    ) -> Shell {
        let mut vars = Vars::from_environment(std::env::vars_os().filter_map(|(name, value)| {
            let name = name.into_string().ok()?;
            crate::expand::is_name(&name).then(|| (name, crate::bytes::decode_os(&value)))
        }));
        // `$$` is this process unless a parent pidsh hands its own over
        // (`SubshellState`), never from the environment.
        let shell_pid = nix::unistd::getpid().as_raw();
        let _ = vars.set("IFS", " \t\n");
        let _ = vars.set("PS2", "> ");
        let _ = vars.set("PS4", "+ ");
        let _ = vars.set("OPTIND", "1");
        let _ = vars.set("PPID", nix::unistd::getppid().as_raw().to_string());
        let _ = vars.set("UID", nix::unistd::getuid().as_raw().to_string());
        let _ = vars.set("EUID", nix::unistd::geteuid().as_raw().to_string());
        for name in ["PPID", "UID", "EUID"] {
            vars.make_readonly(name);
        }
        let host = nix::unistd::gethostname()
            .map(|h| h.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (name, value) in [
            ("OSTYPE", "linux-gnu"),
            ("HOSTTYPE", std::env::consts::ARCH),
            ("HOSTNAME", host.as_str()),
        ] {
            if vars.get(name).is_none() {
                let _ = vars.set(name, value);
            }
        }
        if vars.get("PATH").is_none() {
            let _ = vars.set(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            );
        }
        let _ = vars.set("_", "");
        // `$_` is the shell's own (the last argument): the `_` the
        // environment gave is not passed on as if it were still true.
        vars.unexport("_");
        set_identity_variables(&mut vars);
        if vars.get("PS1").is_none() {
            let prompt = if nix::unistd::geteuid().is_root() {
                "# "
            } else {
                "$ "
            };
            let _ = vars.set("PS1", prompt);
        }
        let cwd = std::env::current_dir()
            .ok()
            .map(|p| crate::bytes::decode_os(p.as_os_str()));
        // A `PWD` that is the directory's own name needs no stat to check.
        let pwd_ok = vars.get("PWD").is_some_and(|p| {
            p.starts_with('/')
                && (cwd.as_deref() == Some(p)
                    || crate::sys::fd::same_file(
                        &crate::bytes::to_path(p),
                        &crate::bytes::to_path(cwd.as_deref().unwrap_or(".")),
                    ))
        });
        if !pwd_ok && let Some(c) = cwd {
            let _ = vars.set("PWD", c);
        }
        vars.export("PWD");
        Shell {
            state: ShellState {
                vars,
                functions: Arc::default(),
                functions_version: 0,
                aliases: Arc::default(),
                options: Options::default(),
                arg0,
                positional,
                last_status: 0,
                last_bg_pid: None,
                shell_pid,
                commands: CommandCache::default(),
                traps: HashMap::new(),
                inherited_traps: None,
                dir_stack: Vec::new(),
                cwd: None,
                umask: None,
                getopts_char: 0,
                function_files: Default::default(),
                shopts: super::shopts::defaults(),
                disabled_builtins: Vec::new(),
                abbreviations: Default::default(),
                exported_functions: Vec::new(),
                command_number: 0,
                traced_functions: Vec::new(),
                readonly_functions: Vec::new(),
            },
            fds: FdTable::from_process(),
            builtins,
            jobs: JobTable::default(),
            history: Default::default(),
            error_prefix: "pidsh".to_string(),
            line: 0,
            ctx: Default::default(),
            redirections_kept: Default::default(),
            owns_process: true,
            ignored_signals: Vec::new(),
            ignored_by_parent_traps: Vec::new(),
            completion: Default::default(),
            readline: Default::default(),
            cmdsub_status: None,
            function_names: Vec::new(),
            call_frames: Vec::new(),
            bash_command: String::new(),
            bash_command_read: false,
            bang_read: false,
            random: std::cell::Cell::new(super::random::Random::from_clock()),
            in_script_file: false,
            in_command_string: false,
            terminal: None,
            stopped_jobs_warned: false,
            procsub_fds: Vec::new(),
            coprocs: Vec::new(),
            started: std::time::Instant::now(),
            errexit_exempt: false,
            positional_sets: 0,
        }
    }

    /// The path of the running shell executable, for self-spawns; found
    /// when first asked (most shells never spawn themselves, and reading
    /// `/proc/self/exe` at start costs every one of them).
    pub fn self_exe(&self) -> Option<std::path::PathBuf> {
        static SELF_EXE: std::sync::OnceLock<Option<std::path::PathBuf>> =
            std::sync::OnceLock::new();
        SELF_EXE.get_or_init(running_executable).clone()
    }

    /// Parses and runs `source` one complete command at a time (so that
    /// aliases defined on one line apply to the next, and commands before
    /// a syntax error run). A syntax error gives status 2.
    pub fn run_source_text(&mut self, source: &str) -> Status {
        let top_level = self.call_depth() == 0
            && self.ctx.source_depth == 0
            && self.ctx.subshell_depth == 0
            && !self.ctx.running_trap;
        if self.state.options.interactive && top_level {
            // A Ctrl-C that arrived before this command line (at the prompt,
            // or after the last command ended) is not meant for it.
            crate::jobs::signals::take_interrupt();
        }
        self.run_source_from(source, 1)
    }

    /// As [`Shell::run_source_text`], numbering lines from `first_line`.
    pub fn run_source_from(&mut self, source: &str, first_line: u32) -> Status {
        Ok(self.run_commands_in(source, first_line)?.unwrap_or(0))
    }

    /// Runs the commands of `source`; the last one's status, or `None`
    /// when there was none.
    fn run_commands_in(&mut self, source: &str, first_line: u32) -> Result<Option<i32>, Unwind> {
        self.run_commands_from(source, first_line, false)
    }

    /// As [`Shell::run_commands_in`]; `by_lines` when `source` is a
    /// command the shell put together line by line (see
    /// [`Shell::run_lines_expanding`]).
    fn run_commands_from(
        &mut self,
        source: &str,
        first_line: u32,
        by_lines: bool,
    ) -> Result<Option<i32>, Unwind> {
        self.note_source(source);
        let mut parser = Parser::new(source, first_line);
        let mut status = None;
        loop {
            let start = parser.offset();
            if !by_lines && self.expands_history() {
                let line = first_line + source[..start].matches('\n').count() as u32;
                let rest = self.run_lines_expanding(&source[start..], line)?;
                return Ok(rest.or(status));
            }
            parser.set_extglob(self.shopt_on("extglob"));
            // The parser borrows the aliases only while it reads (no copy
            // of the map kept while the command runs: defining an alias
            // would then copy it all, quadratic over a script of aliases).
            let parsed = parser.next_command(&self.state.aliases);
            self.show_parse_warnings(&mut parser);
            match parsed {
                Ok(None) => {
                    // Comment lines read one by one are history entries.
                    if by_lines {
                        self.record_input(source.get(start..));
                    }
                    return Ok(status);
                }
                Ok(Some(list)) => {
                    self.echo_verbose(source, start, parser.offset());
                    self.record_input(source.get(start..parser.offset()));
                    if self.state.options.noexec {
                        continue;
                    }
                    status = Some(self.run_top_command(&list)?);
                    self.collect_jobs();
                    self.count_input_command();
                }
                Err(e) => {
                    let s = self.syntax_error(&e, source, first_line)?;
                    if e.kind != crate::parser::ParseErrorKind::InAssignment {
                        return Ok(Some(s));
                    }
                    status = Some(s);
                }
            }
        }
    }

    /// Whether the lines the shell reads now are history-expanded before
    /// they are parsed: `set -H` and `set -o history` in a script, as in
    /// bash.
    fn expands_history(&self) -> bool {
        self.state.options.histexpand
            && self.state.options.history
            && self.ctx.input == super::scope::Input::Script
            && self.at_input_level()
    }

    /// The rest of a script once history expansion is on: each line is
    /// expanded (and the result shown) before it is parsed, and each
    /// command runs as soon as it is complete, so that the history the
    /// next line refers to is up to date. Here-document bodies are left
    /// alone, as bash leaves them; a line whose expansion fails is
    /// dropped, and `:p` shows a line and records it without running it.
    ///
    /// The lines of one command are found by parsing the text as written
    /// (one command at a time, never the rest of the script), and are
    /// expanded together: the history cannot change in between. Only when
    /// an expansion changed a line is the result parsed again to see
    /// whether it is still complete, so the cost stays linear in the
    /// length of the script.
    fn run_lines_expanding(&mut self, rest: &str, first_line: u32) -> Result<Option<i32>, Unwind> {
        let mut status = None;
        let mut pending = Pending::default();
        let mut pos = 0;
        let mut line_no = first_line;
        while pos < rest.len() {
            let end = pos + self.written_command_len(&rest[pos..], line_no);
            if pending.text.is_empty() {
                pending.first_line = line_no;
            }
            for raw in rest[pos..end].split_inclusive('\n') {
                let line = raw.strip_suffix('\n').unwrap_or(raw);
                let text = if self.expands_history() && !pending.scan.in_here_doc() {
                    self.line = line_no;
                    self.expand_input_line(line, pending.scan.open_quote())
                } else {
                    Some(line.to_string())
                };
                pending.changed |= text.as_deref() != Some(line);
                // A line not run is not counted, as in bash.
                let Some(text) = text else {
                    continue;
                };
                line_no += 1;
                pending.scan.read(&text);
                pending.text.push_str(&text);
                pending.text.push('\n');
            }
            pos = end;
            let complete = !pending.changed || !crate::parser::is_incomplete(&pending.text);
            if complete || pos >= rest.len() {
                let Pending {
                    text, first_line, ..
                } = std::mem::take(&mut pending);
                if let Some(s) = self.run_commands_from(&text, first_line, true)? {
                    status = Some(s);
                }
            }
        }
        Ok(status)
    }

    /// How long the first command of `text` (whole lines) is as written:
    /// through the end of its last line, and at least one line.
    fn written_command_len(&self, text: &str, line: u32) -> usize {
        let extglob = self.shopt_on("extglob");
        let end = match crate::parser::first_command(text, line, &self.state.aliases, extglob) {
            FirstCommand::Complete(_, end) | FirstCommand::Error(end) => end,
            FirstCommand::Incomplete => text.len(),
        };
        let end = end.min(text.len());
        if end > 0 && text.get(..end).is_some_and(|t| t.ends_with('\n')) {
            return end;
        }
        let from = if text.is_char_boundary(end) { end } else { 0 };
        text[from..].find('\n').map_or(text.len(), |i| from + i + 1)
    }

    /// One line of input after history expansion; `None` when it is not
    /// to be run (the expansion failed, or `:p`).
    fn expand_input_line(&mut self, line: &str, open_quote: Option<char>) -> Option<String> {
        use super::histexpand::Expanded;
        match super::history::expand(self, line, open_quote) {
            Ok(Expanded::Same) => Some(line.to_string()),
            Ok(Expanded::Line { text, print_only }) => {
                self.write_stderr(&format!("{text}\n"));
                if print_only {
                    let rules = super::history::rules(self);
                    let limit = super::history::size_limit(self);
                    self.history.add(&text, &rules, limit);
                    return None;
                }
                Some(text)
            }
            Err(message) => {
                self.report(&message);
                None
            }
        }
    }

    /// Whether a command run now is one the shell read as its input: at
    /// the top level, outside functions, `.`, `eval`, traps and subshells.
    fn at_input_level(&self) -> bool {
        self.call_depth() == 0
            && self.ctx.source_depth == 0
            && self.ctx.eval_depth == 0
            && self.ctx.subshell_depth == 0
            && !self.ctx.running_trap
    }

    /// `set -o history` in a script or `-c` text: the command just read
    /// (its text; the comment lines before it each on their own) is
    /// recorded before it runs, as bash records the lines it reads.
    fn record_input(&mut self, text: Option<&str>) {
        if !(self.ctx.input.records() && self.state.options.history && self.at_input_level()) {
            return;
        }
        let Some(text) = text else {
            return;
        };
        let rules = super::history::rules(self);
        let limit = super::history::size_limit(self);
        let mut rest = text;
        // Comment lines before the command are entries of their own.
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if !(trimmed.is_empty() || trimmed.starts_with('#')) {
                break;
            }
            self.history.add(line.trim_end_matches('\n'), &rules, limit);
            rest = &rest[line.len()..];
        }
        self.history.add(rest.trim_end_matches('\n'), &rules, limit);
    }

    /// After a command read from the shell's input ran: `\#` goes up.
    fn count_input_command(&mut self) {
        if self.ctx.input.counts() && self.at_input_level() {
            self.state.command_number += 1;
        }
    }

    /// Runs one command of a script, `-c` text, `eval` or `.` text: an
    /// error bash survives abandons only this command (`Unwind::Discard`).
    /// In a subshell it ends the subshell instead, as in bash, whose
    /// subshell is a process that goes back to its own top level. Under
    /// `set -e` bash ends the shell instead, wherever the error was (even
    /// in an `if` condition).
    fn run_top_command(&mut self, list: &List) -> Status {
        match self.run_list(list) {
            Err(Unwind::Discard(s))
                if self.state.options.errexit && !self.state.options.interactive =>
            {
                Err(Unwind::Exit(s))
            }
            Err(Unwind::Discard(s)) if self.ctx.subshell_depth == 0 => {
                self.state.last_status = s;
                Ok(s)
            }
            other => other,
        }
    }

    /// Standard input that cannot seek back (a pipe): read one line at a
    /// time, byte by byte, and run each command as soon as it is complete,
    /// so that nothing after it is consumed before it runs (as bash does).
    fn run_unseekable_stdin(&mut self) -> Status {
        match super::peek::PipePeek::for_stdin() {
            Some(peek) => self.run_piped_stdin(&peek),
            None => self.run_unseekable_stdin_from(Vec::new(), 1, 0),
        }
    }

    /// Line by line, after `unfinished` (the start of a command already
    /// taken), its first line numbered `first_line`.
    fn run_unseekable_stdin_from(
        &mut self,
        unfinished: Vec<u8>,
        mut first_line: u32,
        mut status: i32,
    ) -> Status {
        let mut buffer = crate::bytes::decode_vec(unfinished);
        loop {
            let Some(line) = read_line_unbuffered() else {
                if buffer.is_empty() {
                    return Ok(status);
                }
                // End of input inside an unfinished command: let the
                // parser report it.
                return self.run_source_from(&buffer, first_line);
            };
            buffer.push_str(&line);
            if crate::parser::is_incomplete(&buffer) {
                continue;
            }
            let code = std::mem::take(&mut buffer);
            // A blank or comment-only line runs nothing and leaves `$?`.
            if let Some(s) = self.run_commands_in(&code, first_line)? {
                status = s;
            }
            first_line += code.matches('\n').count() as u32;
        }
    }

    /// Standard input that is a pipe: look at what it holds without
    /// taking it, find where the command being read ends in one parse of
    /// all the lines seen, take exactly those lines and run them. An
    /// unfinished command takes all the lines seen and looks again, so a
    /// long command costs a parse per pipe-full rather than per line.
    fn run_piped_stdin(&mut self, peek: &super::peek::PipePeek) -> Status {
        let mut unfinished: Vec<u8> = Vec::new();
        let mut first_line = 1;
        let mut status = 0;
        loop {
            let Ok(ahead) = peek.look() else {
                return self.run_unseekable_stdin_from(unfinished, first_line, status);
            };
            if ahead.is_empty() {
                if unfinished.is_empty() {
                    return Ok(status);
                }
                let code = crate::bytes::decode_vec(unfinished);
                return self.run_source_from(&code, first_line);
            }
            // Whole lines only; a partial line belongs to this command.
            let Some(lines) = ahead.iter().rposition(|&b| b == b'\n').map(|i| i + 1) else {
                unfinished.extend(super::peek::take_stdin(ahead.len()));
                continue;
            };
            let mut text = unfinished.clone();
            text.extend_from_slice(&ahead[..lines]);
            let decoded = crate::bytes::decode_vec(text);
            // Parsed as it will run (aliases, extglob), so that a complete
            // command is not parsed a second time.
            let extglob = self.shopt_on("extglob");
            let first =
                crate::parser::first_command(&decoded, first_line, &self.state.aliases, extglob);
            let (list, end) = match first {
                FirstCommand::Incomplete => {
                    peek.widen_stdin();
                    unfinished.extend(super::peek::take_stdin(lines));
                    continue;
                }
                FirstCommand::Complete(list, end) => (Some(list), end),
                FirstCommand::Error(end) => (None, end),
            };
            // The command ends after a newline: find the same newline in
            // the bytes (decoding keeps newlines as they are).
            let newlines = decoded[..end].matches('\n').count();
            let end_byte = unfinished
                .iter()
                .chain(&ahead[..lines])
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .nth(newlines.saturating_sub(1))
                .map_or(unfinished.len() + lines, |(i, _)| i + 1);
            let taken = end_byte.saturating_sub(unfinished.len());
            unfinished.extend(super::peek::take_stdin(taken));
            let code = crate::bytes::decode_vec(std::mem::take(&mut unfinished));
            self.note_source(&code);
            let ran = match list {
                Some(list) => self.run_parsed(&code, list)?,
                // A syntax error: parsed again to be reported.
                None => self.run_commands_in(&code, first_line)?,
            };
            if let Some(s) = ran {
                status = s;
            }
            first_line += code.matches('\n').count() as u32;
        }
    }

    /// Runs one command already parsed from `source` (`None`: blank and
    /// comment lines), as [`Shell::run_commands_in`] runs each of its own.
    fn run_parsed(&mut self, source: &str, list: Option<List>) -> Result<Option<i32>, Unwind> {
        let Some(list) = list else {
            return Ok(None);
        };
        self.echo_verbose(source, 0, source.len());
        self.record_input(Some(source));
        if self.state.options.noexec {
            return Ok(None);
        }
        let status = self.run_top_command(&list)?;
        self.collect_jobs();
        self.count_input_command();
        Ok(Some(status))
    }

    /// `set -v`: the input just read, as it was written.
    fn echo_verbose(&self, source: &str, start: usize, end: usize) {
        if self.state.options.verbose
            && let Some(text) = source.get(start..end)
        {
            self.write_stderr(text);
        }
    }

    /// Reports a syntax error in `source` (whose first line is numbered
    /// `first_line`) and, as bash does, the line it is on: status 2. A
    /// script or `-c` text stops; the text of `eval` or `.` just fails
    /// with 2, as in bash. Outside POSIX mode, one inside a compound
    /// assignment is survived (status 1; the caller goes on); in POSIX
    /// mode it ends the shell with 1.
    /// What the parser warned about while reading the last command, as
    /// bash words it (`line 2: warning: here-document at line 1 …`).
    fn show_parse_warnings(&mut self, parser: &mut Parser) {
        for (line, message) in parser.take_warnings() {
            self.line = line;
            self.report(&message);
        }
    }

    fn syntax_error(
        &mut self,
        e: &crate::parser::ParseError,
        source: &str,
        first_line: u32,
    ) -> Status {
        use crate::parser::ParseErrorKind;
        self.line = e.line;
        // bash names the text in its syntax errors (not in other errors);
        // `eval` text outside a file gets no line number at all.
        let (context, with_line) = if self.ctx.eval_depth > 0 {
            ("eval: ", self.in_script_file || self.ctx.source_depth > 0)
        } else if self.ctx.source_depth > 0 {
            ("", true)
        } else if self.in_command_string && self.call_depth() == 0 && !self.ctx.running_trap {
            ("-c: ", true)
        } else {
            ("", true)
        };
        let say = |sh: &Shell, message: &str| {
            if with_line {
                sh.report_in(context, message);
            } else {
                sh.write_stderr(&format!("{}: {message}\n", sh.error_prefix));
            }
        };
        say(self, &e.message);
        if e.kind != ParseErrorKind::Incomplete && !self.state.options.interactive {
            let index = e.line.saturating_sub(first_line) as usize;
            if let Some(text) = source.split('\n').nth(index) {
                say(self, &format!("`{text}'"));
            }
        }
        if e.kind == ParseErrorKind::InAssignment {
            // Status 1 in both modes; POSIX mode then exits (bash).
            self.state.last_status = 1;
            if self.state.options.posix && !self.state.options.interactive {
                return Err(Unwind::Exit(1));
            }
            return Ok(1);
        }
        self.state.last_status = 2;
        if self.state.options.interactive {
            return Ok(2);
        }
        if self.ctx.source_depth > 0 || self.ctx.eval_depth > 0 {
            // Fatal too in POSIX mode (2.8.1).
            return self.posix_fatal(2);
        }
        Err(Unwind::Exit(2))
    }

    /// Runs the script on standard input. When it is a regular file, the
    /// file offset is kept just after the command being run, as bash does,
    /// so a command that reads standard input reads the rest of the script;
    /// the shell then goes on from wherever that command left the offset.
    pub fn run_stdin(&mut self) -> i32 {
        self.state.command_number = 1;
        let outcome = {
            let mut sh = self.scoped(|c| c.input = Input::Script);
            sh.run_stdin_commands()
                .and_then(|s| sh.run_pending_traps().map(|()| s))
        };
        self.finish_top_level(outcome)
    }

    /// Notes what `source`, about to be parsed, may read that costs to
    /// keep up to date (`$BASH_COMMAND`, `$!` of process substitutions).
    fn note_source(&mut self, source: &str) {
        if !self.bash_command_read && source.contains("BASH_COMMAND") {
            self.bash_command_read = true;
        }
        if !self.bang_read && (source.contains("$!") || source.contains("${!}")) {
            self.bang_read = true;
        }
    }

    fn run_stdin_commands(&mut self) -> Status {
        use nix::unistd::{Whence, lseek};
        let stdin = std::io::stdin();
        let Ok(start) = lseek(&stdin, 0, Whence::SeekCur) else {
            return self.run_unseekable_stdin();
        };
        let mut base = Some(start);
        let mut text = read_rest_of_stdin();
        let mut first_line = 1;
        let mut status = 0;
        'reread: loop {
            self.note_source(&text);
            let mut parser = Parser::new(&text, first_line);
            loop {
                let start = parser.offset();
                parser.set_extglob(self.shopt_on("extglob"));
                let parsed = parser.next_command(&self.state.aliases);
                self.show_parse_warnings(&mut parser);
                self.show_parse_warnings(&mut parser);
                let list = match parsed {
                    Ok(None) => return Ok(status),
                    Ok(Some(list)) => list,
                    Err(e) => {
                        status = self.syntax_error(&e, &text, first_line)?;
                        if e.kind != crate::parser::ParseErrorKind::InAssignment {
                            return Ok(status);
                        }
                        continue;
                    }
                };
                self.echo_verbose(&text, start, parser.offset());
                self.record_input(text.get(start..parser.offset()));
                if self.state.options.noexec {
                    continue;
                }
                let Some(start) = base else {
                    status = self.run_top_command(&list)?;
                    self.collect_jobs();
                    self.count_input_command();
                    continue;
                };
                let expected = start + parser.offset() as i64;
                let _ = lseek(&stdin, expected, Whence::SeekSet);
                status = self.run_top_command(&list)?;
                self.collect_jobs();
                self.count_input_command();
                let now = lseek(&stdin, 0, Whence::SeekCur).unwrap_or(expected);
                if now != expected {
                    base = Some(now);
                    first_line = parser.line();
                    text = read_rest_of_stdin();
                    continue 'reread;
                }
            }
        }
    }

    /// Runs a whole script (or `-c` text) as the top level: unwinds end
    /// here, the EXIT trap runs, and the exit status comes back.
    pub fn run_main(&mut self, source: &str) -> i32 {
        let input = if self.in_command_string {
            Input::CommandString
        } else {
            self.state.command_number = 1;
            Input::Script
        };
        let outcome = {
            let mut sh = self.scoped(|c| c.input = input);
            sh.run_source_text(source)
                .and_then(|s| sh.run_pending_traps().map(|()| s))
        };
        self.finish_top_level(outcome)
    }

    /// As [`Shell::run_main`], for the program of a self-spawned subshell:
    /// its lines numbered from `first_line`, the line it had in the parent.
    pub fn run_main_from(&mut self, source: &str, first_line: u32) -> i32 {
        let outcome = self
            .run_source_from(source, first_line)
            .and_then(|s| self.run_pending_traps().map(|()| s));
        self.finish_top_level(outcome)
    }

    /// Ends a top-level run: the status an unwind leaves, then the EXIT trap.
    fn finish_top_level(&mut self, outcome: Status) -> i32 {
        let status = match outcome {
            Ok(s) | Err(Unwind::Exit(s)) | Err(Unwind::Return(s)) | Err(Unwind::Discard(s)) => s,
            Err(Unwind::Break(_)) | Err(Unwind::Continue(_)) => self.state.last_status,
            Err(Unwind::Interrupt(sig)) => 128 + sig,
        };
        self.state.last_status = status;
        self.run_exit_trap();
        self.state.last_status
    }

    /// Runs an already parsed list at top level (interactive use).
    pub fn run_top_level(&mut self, list: &List) -> Result<i32, i32> {
        match self.run_list(list) {
            Ok(s) => {
                self.state.last_status = s;
                Ok(s)
            }
            Err(Unwind::Exit(s)) => Err(s),
            Err(Unwind::Return(s)) | Err(Unwind::Discard(s)) => {
                self.state.last_status = s;
                Ok(s)
            }
            Err(_) => Ok(self.state.last_status),
        }
    }
}

/// `$(< file)`: a command substitution whose only content is one input
/// redirection.
fn file_read_shorthand(body: &List) -> Option<&crate::parser::ast::Redirect> {
    use crate::parser::ast::{Command, RedirOp};
    let [item] = body.items.as_slice() else {
        return None;
    };
    if item.background || !item.and_or.rest.is_empty() || item.and_or.first.negated {
        return None;
    }
    let [Command::Simple(sc)] = item.and_or.first.commands.as_slice() else {
        return None;
    };
    match (
        sc.words.as_slice(),
        sc.assignments.as_slice(),
        sc.redirects.as_slice(),
    ) {
        ([], [], [r]) if r.op == RedirOp::Input && r.fd.is_none_or(|fd| fd == 0) => Some(r),
        _ => None,
    }
}

/// The running executable's path. Replaced since the shell started (a
/// package upgrade), the kernel names the old file `PATH (deleted)`:
/// then `PATH`, which is what the shell would have found at start.
fn running_executable() -> Option<std::path::PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::env::current_exe().ok()?;
    let original = path.as_os_str().as_bytes().strip_suffix(b" (deleted)");
    match original {
        Some(bytes) if !path.exists() => Some(std::ffi::OsStr::from_bytes(bytes).into()),
        _ => Some(path),
    }
}

/// `GROUPS` (the group ids, the real one first) and, when the
/// environment gave none, `SHELL` (the user's login shell), as bash sets
/// them.
fn set_identity_variables(vars: &mut Vars) {
    let gid = nix::unistd::getgid().as_raw();
    let mut groups = vec![gid];
    if let Ok(others) = crate::sys::supplementary_groups() {
        groups.extend(others.into_iter().filter(|g| *g != gid));
    }
    let array = super::state::Array::Indexed(
        groups
            .iter()
            .enumerate()
            .map(|(i, g)| (i, g.to_string()))
            .collect(),
    );
    let _ = vars.set_array("GROUPS", array);
    if vars.get("SHELL").is_none()
        && let Some(user) = crate::users::current()
    {
        let _ = vars.set("SHELL", user.shell.as_str());
    }
}

impl Shell {
    /// `${ list; }` / `${| list; }` (bash 5.3): the list runs in this shell
    /// as a function body would — `local` makes locals, `return` ends it —
    /// with its standard output captured (or, with `reply`, a local `REPLY`
    /// read back); the value and the list's status.
    fn run_function_substitution(
        &mut self,
        body: &List,
        reply: bool,
    ) -> Result<(String, i32), ExpandError> {
        let capture = Arc::new(super::fdtable::Capture::default());
        let mut table = self.fds.clone();
        if !reply {
            table.set(1, super::fdtable::FdEntry::Capture(Arc::clone(&capture)));
        }
        self.state.vars.push_frame();
        if reply {
            self.state.vars.make_local("REPLY", false);
        }
        // As in `$( )`, bash turns `set -e` off inside outside POSIX mode
        // (unless `inherit_errexit`), and back on afterwards.
        let errexit_off = self.state.options.errexit
            && !self.state.options.posix
            && !self.shopt_on("inherit_errexit");
        if errexit_off {
            self.state.options.errexit = false;
        }
        let r = self
            .with_fd_table(table)
            .scoped(|c| c.source_depth += 1)
            .run_list(body);
        if errexit_off {
            self.state.options.errexit = true;
        }
        let value = if reply {
            self.state.vars.get("REPLY").unwrap_or_default().to_string()
        } else {
            super::pipeline::substitution_text(capture.finish())
        };
        self.state.vars.pop_frame();
        // An expansion cannot carry an unwind: `exit`, `break` or an error
        // that abandons the line end the substitution only, with their
        // status, as a subshell's would.
        let status = match r {
            Ok(s)
            | Err(
                Unwind::Return(s) | Unwind::Exit(s) | Unwind::Discard(s) | Unwind::Interrupt(s),
            ) => s,
            Err(Unwind::Break(_) | Unwind::Continue(_)) => self.state.last_status,
        };
        Ok((value, status))
    }

    /// `$SECONDS`: whole seconds since the shell started, counted from the
    /// value last assigned to it.
    pub fn seconds(&self) -> i64 {
        let now = std::time::Instant::now();
        match now.checked_duration_since(self.started) {
            Some(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            None => -i64::try_from(self.started.duration_since(now).as_secs()).unwrap_or(0) - 1,
        }
    }

    /// `SECONDS=n`: from now on `$SECONDS` counts from `n`.
    pub fn set_seconds(&mut self, n: i64) {
        let now = std::time::Instant::now();
        let by = std::time::Duration::from_secs(n.unsigned_abs());
        let started = if n >= 0 {
            now.checked_sub(by)
        } else {
            now.checked_add(by)
        };
        self.started = started.unwrap_or(now);
    }

    /// `SHELLOPTS` and `BASHOPTS`: the `set -o` and `shopt` options that
    /// are on, as colon lists, readonly; kept up to date by whatever
    /// changes an option.
    pub fn refresh_option_variables(&mut self) {
        let set_o: Vec<&str> = super::state::OPTION_NAMES
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| self.state.options.get(name))
            .collect();
        let shopts: Vec<&str> = super::shopts::NAMES
            .iter()
            .map(|(name, _)| *name)
            .filter(|name| self.shopt_on(name))
            .collect();
        for (name, value) in [
            ("SHELLOPTS", set_o.join(":")),
            ("BASHOPTS", shopts.join(":")),
        ] {
            self.state.vars.make_readonly(name);
            if let Some(var) = self.state.vars.var_mut(name)
                && var.array.is_none()
            {
                var.value = Some(value);
            }
        }
    }

    /// Enters a function call or `.` script (`name` `source`) whose code
    /// comes from `file`, called from the current line.
    /// `args` and `caller_args` are kept only under `extdebug`.
    pub fn push_call_frame(
        &mut self,
        name: &str,
        file: String,
        args: &[String],
        caller_args: &[String],
    ) {
        let kept = |args: &[String]| match self.shopt_on("extdebug") {
            true => args.to_vec(),
            false => Vec::new(),
        };
        let (args, caller_args) = (kept(args), kept(caller_args));
        self.call_frames.push(super::state::CallFrame {
            name: name.to_string(),
            file,
            args,
            caller_args,
            call_line: self.line,
            saved_options: None,
        });
    }

    /// The file the running code comes from: `${BASH_SOURCE[0]}` (empty
    /// for `-c` text, standard input and the keyboard).
    pub fn current_file(&self) -> String {
        match self.call_frames.last() {
            Some(frame) => frame.file.clone(),
            None if self.in_script_file => self.error_prefix.clone(),
            None => String::new(),
        }
    }

    /// bash's call-stack arrays, innermost first: `FUNCNAME`,
    /// `BASH_SOURCE`, `BASH_LINENO` (each ending with `main`, the script
    /// and 0 when a script file runs). `None` for other names, and for
    /// these outside any function or `.` script (except `BASH_SOURCE` in
    /// a script file).
    pub fn call_stack_array(&self, name: &str) -> Option<Vec<String>> {
        if matches!(name, "BASH_ARGV" | "BASH_ARGC") {
            return Some(self.argument_stack(name == "BASH_ARGC"));
        }
        let in_file = self.in_script_file;
        if self.call_frames.is_empty() {
            return match name {
                // A self-spawned subshell knows only the names.
                "FUNCNAME" if !self.function_names.is_empty() => {
                    let mut names: Vec<String> =
                        self.function_names.iter().rev().cloned().collect();
                    names.extend(in_file.then(|| "main".to_string()));
                    Some(names)
                }
                "BASH_SOURCE" if in_file => Some(vec![self.error_prefix.clone()]),
                "BASH_LINENO" if in_file => Some(vec!["0".to_string()]),
                _ => None,
            };
        }
        let frames = self.call_frames.iter().rev();
        let mut values: Vec<String> = match name {
            "FUNCNAME" => frames.map(|f| f.name.clone()).collect(),
            "BASH_SOURCE" => frames.map(|f| f.file.clone()).collect(),
            "BASH_LINENO" => frames.map(|f| f.call_line.to_string()).collect(),
            _ => return None,
        };
        if in_file {
            values.push(match name {
                "FUNCNAME" => "main".to_string(),
                "BASH_SOURCE" => self.error_prefix.clone(),
                _ => "0".to_string(),
            });
        }
        Some(values)
    }

    /// The value of an array bash computes when it is read: the call
    /// stack's (see [`Shell::call_stack_array`]) and `DIRSTACK` (the
    /// current directory, then the stack).
    pub fn dynamic_array(&self, name: &str) -> Option<Vec<String>> {
        if name == "DIRSTACK" {
            let cwd = self.state.vars.get("PWD").unwrap_or_default().to_string();
            return Some(
                std::iter::once(cwd)
                    .chain(self.state.dir_stack.iter().cloned())
                    .collect(),
            );
        }
        self.call_stack_array(name)
    }

    /// `BASH_ARGV` (every frame's arguments, innermost first, each
    /// frame's last first, ending with the shell's own) or `BASH_ARGC`
    /// (how many each frame has): kept only under `extdebug`, as bash.
    fn argument_stack(&self, counts: bool) -> Vec<String> {
        if !self.shopt_on("extdebug") {
            return Vec::new();
        }
        let bottom = match self.call_frames.first() {
            Some(frame) => &frame.caller_args,
            None => &self.state.positional,
        };
        let frames = self.call_frames.iter().rev().map(|f| &f.args);
        let all = frames.chain(std::iter::once(bottom));
        if counts {
            all.map(|args| args.len().to_string()).collect()
        } else {
            all.flat_map(|args| args.iter().rev().cloned()).collect()
        }
    }

    /// Between commands: an interactive shell reaps finished jobs (and
    /// announces them at the prompt); a script keeps them for `wait %N`.
    fn collect_jobs(&mut self) {
        if self.state.options.interactive {
            self.jobs.reap();
        } else {
            self.jobs.settle();
        }
        self.retire_coprocesses();
    }

    fn read_file_substitution(
        &mut self,
        redirect: &crate::parser::ast::Redirect,
    ) -> Result<String, ExpandError> {
        let steps = match super::redirect::resolve(self, std::slice::from_ref(redirect)) {
            Ok(steps) => steps,
            Err(e) => {
                self.report(&e.to_string());
                self.cmdsub_status = Some(1);
                return Ok(String::new());
            }
        };
        let Some(super::redirect::Resolved::Open { path, .. }) = steps.first() else {
            return Ok(String::new());
        };
        let on_disk = self.resolve_path(path).map_err(std::io::Error::from);
        match on_disk.and_then(|p| std::fs::read(p.as_ref())) {
            Ok(bytes) => {
                let text = super::pipeline::substitution_text(bytes);
                self.cmdsub_status = Some(0);
                self.state.last_status = 0;
                Ok(text)
            }
            Err(e) => {
                self.report(&format!("{path}: {}", super::error::describe_io(&e)));
                self.cmdsub_status = Some(1);
                self.state.last_status = 1;
                Ok(String::new())
            }
        }
    }
}

/// One line of standard input including its newline, read a byte at a
/// time so that nothing past it is consumed; `None` at end of input.
fn read_line_unbuffered() -> Option<String> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while let Ok(1) = crate::sys::fd::read(0, &mut byte) {
        bytes.push(byte[0]);
        if byte[0] == b'\n' {
            break;
        }
    }
    (!bytes.is_empty()).then(|| crate::bytes::decode_vec(bytes))
}

fn read_rest_of_stdin() -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    let _ = std::io::stdin().lock().read_to_end(&mut bytes);
    crate::bytes::decode_vec(bytes)
}

/// `$SRANDOM` (bash): 32 bits from the system's random source (the
/// generator behind `$RANDOM` if that fails).
fn random_32_bits() -> u32 {
    use std::io::Read;
    let mut bytes = [0u8; 4];
    let read = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    match read {
        Ok(()) => u32::from_ne_bytes(bytes),
        Err(_) => {
            let mut random = super::random::Random::from_clock();
            (random.next_value() << 17) ^ (random.next_value() << 2) ^ random.next_value()
        }
    }
}

impl ExpandEnv for Shell {
    fn var(&self, name: &str) -> Option<String> {
        match name {
            "LINENO" => Some(self.line.to_string()),
            "RANDOM" => {
                let mut random = self.random.get();
                let value = random.next_value();
                self.random.set(random);
                Some(value.to_string())
            }
            "SECONDS" => Some(self.seconds().to_string()),
            "BASH_ARGV0" => Some(self.state.arg0.clone()),
            "BASH_TRAPSIG" if self.ctx.trap_signal.is_some() => {
                self.ctx.trap_signal.map(|s| s.to_string())
            }
            "BASHPID" => Some(nix::unistd::getpid().as_raw().to_string()),
            "BASH_SUBSHELL" => Some(self.ctx.subshell_depth.to_string()),
            "BASH_COMMAND" => Some(self.bash_command.clone()),
            "EPOCHSECONDS" | "EPOCHREALTIME" => {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap_or_default();
                Some(if name == "EPOCHSECONDS" {
                    now.as_secs().to_string()
                } else {
                    format!("{}.{:06}", now.as_secs(), now.subsec_micros())
                })
            }
            "SRANDOM" => Some(random_32_bits().to_string()),
            "FUNCNAME" | "BASH_SOURCE" | "BASH_LINENO" | "BASH_ARGV" | "BASH_ARGC" | "DIRSTACK" => {
                match self.dynamic_array(name) {
                    Some(values) => values.into_iter().next(),
                    None => self.state.vars.get(name).map(str::to_string),
                }
            }
            _ => match self.state.vars.nameref_target(name) {
                // A nameref to an element (`declare -n r='a[1]'`).
                Some(target) if target.contains('[') => self.element_of(target),
                _ => self.state.vars.get(name).map(str::to_string),
            },
        }
    }

    fn set_var(&mut self, name: &str, value: String) -> Result<(), String> {
        self.assign(name, value).map_err(|e| e.to_string())
    }

    fn positional(&self) -> Vec<String> {
        self.state.positional.clone()
    }

    fn array_values(&self, name: &str) -> Option<Vec<String>> {
        if let Some(values) = self.dynamic_array(name) {
            return Some(values);
        }
        self.state.vars.array(name).map(super::state::Array::values)
    }

    fn array_keys(&self, name: &str) -> Option<Vec<String>> {
        if let Some(values) = self.dynamic_array(name) {
            return Some((0..values.len()).map(|i| i.to_string()).collect());
        }
        self.state.vars.array(name).map(super::state::Array::keys)
    }

    fn array_len(&self, name: &str) -> Option<usize> {
        if let Some(values) = self.dynamic_array(name) {
            return Some(values.len());
        }
        self.state.vars.array(name).map(super::state::Array::len)
    }

    fn array_pairs(&self, name: &str) -> Option<(Vec<(String, String)>, bool)> {
        if let Some(values) = self.dynamic_array(name) {
            let pairs = values.into_iter().enumerate();
            return Some((pairs.map(|(i, v)| (i.to_string(), v)).collect(), false));
        }
        let array = self.state.vars.array(name)?;
        let pairs = array.keys().into_iter().zip(array.values()).collect();
        Some((pairs, matches!(array, super::state::Array::Assoc(_))))
    }

    fn is_assoc(&self, name: &str) -> bool {
        matches!(
            self.state.vars.array(name),
            Some(super::state::Array::Assoc(_))
        )
    }

    fn element_by_index(&self, name: &str, index: i64) -> Option<String> {
        if let Some(names) = self.dynamic_array(name) {
            let i = if index < 0 {
                names.len() as i64 + index
            } else {
                index
            };
            return usize::try_from(i).ok().and_then(|i| names.get(i).cloned());
        }
        match self.state.vars.array(name) {
            Some(array) => array
                .get(&super::state::ArrayKey::Index(index))
                .map(str::to_string),
            None if index == 0 || index == -1 => self.var(name),
            None => None,
        }
    }

    fn element_by_key(&self, name: &str, key: &str) -> Option<String> {
        self.state
            .vars
            .array(name)
            .and_then(|a| a.get(&super::state::ArrayKey::Key(key.to_string())))
            .map(str::to_string)
    }

    fn ifs(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.state.vars.get("IFS").unwrap_or(" \t\n"))
    }

    fn render_prompt(&mut self, text: &str) -> String {
        Shell::render_prompt(self, text, super::prompt::PromptUse::Running)
    }

    fn attribute_letters(&self, name: &str) -> String {
        let target = self.state.vars.nameref_target(name).unwrap_or(name);
        self.state
            .vars
            .var(target)
            .map(Var::attribute_letters)
            .unwrap_or_default()
    }

    fn nameref_target(&self, name: &str) -> Option<String> {
        self.state.vars.nameref_target(name).map(str::to_string)
    }

    fn set_element_by_index(
        &mut self,
        name: &str,
        index: i64,
        value: String,
    ) -> Result<(), String> {
        let key = super::state::ArrayKey::Index(index);
        match self.state.vars.set_element(name, key, value) {
            Ok(true) => Ok(()),
            Ok(false) => Err(format!("{name}[{index}]: bad array subscript")),
            Err(e) => Err(e.to_string()),
        }
    }

    fn set_element_by_key(&mut self, name: &str, key: &str, value: String) -> Result<(), String> {
        let key = super::state::ArrayKey::Key(key.to_string());
        self.state
            .vars
            .set_element(name, key, value)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn cwd_prefix(&self) -> Option<String> {
        Shell::cwd_prefix(self)
    }

    fn glob_options(&self) -> crate::expand::GlobOptions {
        crate::expand::GlobOptions {
            nullglob: self.shopt_on("nullglob"),
            failglob: self.shopt_on("failglob"),
            dotglob: self.shopt_on("dotglob"),
            extglob: self.shopt_on("extglob"),
            nocaseglob: self.shopt_on("nocaseglob"),
            nocasematch: self.shopt_on("nocasematch"),
            patsub_replacement: self.shopt_on("patsub_replacement"),
            globstar: self.shopt_on("globstar"),
        }
    }

    fn variable_names(&self) -> Vec<String> {
        self.state.vars.iter().map(|(k, _)| k.to_string()).collect()
    }

    fn positional_at(&self, n: usize) -> Option<String> {
        n.checked_sub(1)
            .and_then(|i| self.state.positional.get(i))
            .cloned()
    }

    fn positional_count(&self) -> usize {
        self.state.positional.len()
    }

    fn arg0(&self) -> String {
        self.state.arg0.clone()
    }

    fn special(&self, name: char) -> Option<String> {
        match name {
            '?' => Some(self.state.last_status.to_string()),
            '-' => {
                let mut flags = self.state.options.flags();
                if self.in_command_string {
                    flags.push('c');
                }
                Some(flags)
            }
            '$' => Some(self.state.shell_pid.to_string()),
            '!' => self.state.last_bg_pid.map(|p| p.to_string()),
            _ => None,
        }
    }

    fn command_substitution(&mut self, body: &Arc<List>) -> Result<String, ExpandError> {
        if let Some(redirect) = file_read_shorthand(body) {
            return self.read_file_substitution(redirect);
        }
        let (text, status) = self.capture_substitution(body)?;
        self.state.last_status = status;
        self.cmdsub_status = Some(status);
        Ok(text)
    }

    fn function_substitution(&mut self, body: &List, reply: bool) -> Result<String, ExpandError> {
        let (text, status) = self.run_function_substitution(body, reply)?;
        self.state.last_status = status;
        self.cmdsub_status = Some(status);
        Ok(text)
    }

    fn process_substitution(&mut self, body: &List, input: bool) -> Result<String, ExpandError> {
        self.start_process_substitution(body, input)
    }

    fn nounset(&self) -> bool {
        self.state.options.nounset
    }

    fn brace_expansion(&self) -> bool {
        self.state.options.braceexpand
    }

    fn noglob(&self) -> bool {
        self.state.options.noglob
    }

    fn directory_stack(&self) -> Vec<String> {
        let top = self.state.vars.get("PWD").unwrap_or_default().to_string();
        std::iter::once(top)
            .chain(self.state.dir_stack.iter().cloned())
            .collect()
    }

    fn home_of(&self, user: &str) -> Option<String> {
        crate::users::by_name(user).map(|u| u.home)
    }
}

/// Lines read for a command that is not complete yet.
#[derive(Default)]
struct Pending {
    /// The lines, expanded.
    text: String,
    /// The number of the first one.
    first_line: u32,
    /// Quotes and here-documents the lines leave open.
    scan: super::history::LineScan,
    /// An expansion changed or dropped a line.
    changed: bool,
}
