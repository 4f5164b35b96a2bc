//! `bind`: readline's settings (`exec/inputrc.rs`) and key bindings
//! (`exec/keybind.rs`). pidsh honours `set editing-mode vi|emacs`, keeps
//! the other variables for `bind -v`, binds single keys to readline
//! functions, macros and shell code (`-x`, `-r` to unbind), and refuses
//! what its line editor cannot do: sequences of several keys and the
//! options that list bindings or keymaps.

use super::options;
use crate::exec::Shell;
use crate::exec::eval::Status;
use crate::exec::inputrc::{KEYMAPS, Refused};
use crate::exec::keybind::{Action, FUNCTIONS, parse_binding};

const USAGE: &str = "bind: usage: bind [-lpsvPSVX] [-m keymap] [-f filename] [-q name] [-u name] [-r keyseq] [-x keyseq:shell-command] [keyseq:readline-function or readline-command]";

/// What the options ask for.
#[derive(Default)]
struct Request {
    list_variables: bool,
    describe_variables: bool,
    files: Vec<String>,
    keymap: Option<String>,
    /// `-x KEYSEQ:COMMAND`.
    commands: Vec<String>,
    /// `-r KEYSEQ`.
    removals: Vec<String>,
    /// An option for key bindings, which cannot be honoured.
    unsupported: Option<char>,
}

/// bash's options: `lpsvPSVX` and `m: f: q: u: r: x:`.
fn parse(args: &[String]) -> Result<(Request, &[String]), String> {
    let (opts, first) = options::parse(args, "lpsvPSVXm:f:q:u:r:x:").map_err(|e| e.to_string())?;
    let mut request = Request::default();
    for (letter, value) in opts {
        match (letter, value) {
            ('v', _) => request.list_variables = true,
            ('V', _) => request.describe_variables = true,
            ('m', Some(value)) => request.keymap = Some(value),
            ('f', Some(value)) => request.files.push(value),
            ('x', Some(value)) => request.commands.push(value),
            ('r', Some(value)) => request.removals.push(value),
            _ => {
                request.unsupported.get_or_insert(letter);
            }
        }
    }
    Ok((request, &args[first..]))
}

/// `bind`.
pub fn bind(sh: &mut Shell, argv: &[String]) -> Status {
    if !sh.state.options.interactive {
        sh.report("bind: warning: line editing not enabled");
    }
    let (request, operands) = match parse(&argv[1..]) {
        Ok(parsed) => parsed,
        Err(message) => return sh.builtin_error("bind", &format!("{message}\n{USAGE}"), 2),
    };
    if let Some(keymap) = &request.keymap
        && !KEYMAPS.contains(&keymap.as_str())
    {
        return sh.builtin_error("bind", &format!("`{keymap}': invalid keymap name"), 1);
    }
    if let Some(letter) = request.unsupported {
        let message = format!(
            "-{letter}: not supported: pidsh's line editor cannot list its key bindings or keymaps"
        );
        return sh.builtin_error("bind", &message, 1);
    }
    let mut status = 0;
    for file in &request.files {
        status = status.max(read_file(sh, file)?);
    }
    if request.list_variables || request.describe_variables {
        let out: String = sh
            .readline
            .listing(sh.state.options.interactive.then_some(sh.state.options.vi))
            .into_iter()
            .map(|(name, value)| {
                if request.list_variables {
                    format!("set {name} {value}\n")
                } else {
                    format!("{name} is set to `{value}'\n")
                }
            })
            .collect();
        if !sh.print("bind", &out)? {
            status = 1;
        }
    }
    for line in operands {
        warn_of_unknown_function(sh, line);
        let effect = sh.readline.line(line);
        if let Some(refusal) = sh.apply_effect(effect) {
            status = sh.builtin_error("bind", &cannot_bind(&refusal), 1)?;
        }
    }
    for line in &request.commands {
        match parse_binding(line, true) {
            Ok(binding) => sh.readline.bind(binding),
            Err(reason) => {
                status = sh.builtin_error("bind", &cannot_bind(&format!("{line}: {reason}")), 1)?;
            }
        }
    }
    for keyseq in &request.removals {
        match parse_binding(&format!("\"{keyseq}\": x"), false) {
            Ok(binding) => sh.readline.unbind(binding.key),
            Err(reason) => {
                status = sh.builtin_error("bind", &format!("{keyseq}: {reason}"), 1)?;
            }
        }
    }
    Ok(status)
}

/// `bind -f FILE`: every line, as an inputrc.
fn read_file(sh: &mut Shell, file: &str) -> Status {
    let text = match sh.resolve_path(file).map(|p| std::fs::read(&*p)) {
        Ok(Ok(bytes)) => crate::bytes::decode_vec(bytes),
        Ok(Err(e)) => {
            let reason = crate::exec::error::describe_io(&e);
            return sh.builtin_error("bind", &format!("{file}: cannot read: {reason}"), 1);
        }
        Err(e) => {
            let reason = crate::exec::error::describe(e);
            return sh.builtin_error("bind", &format!("{file}: cannot read: {reason}"), 1);
        }
    };
    let mut status = 0;
    for refused in sh.apply_inputrc(&text) {
        let message = match refused {
            Refused::Binding(refusal) => cannot_bind(&refusal),
            Refused::Unreadable(path, e) => format!(
                "{}: cannot read: {}",
                path.display(),
                crate::exec::error::describe_io(&e)
            ),
        };
        status = sh.builtin_error("bind", &message, 1)?;
    }
    Ok(status)
}

/// Readline's warning for a key bound to a function it does not know
/// (the binding is kept and does nothing; the status stays 0, as bash).
fn warn_of_unknown_function(sh: &mut Shell, line: &str) {
    if let Ok(binding) = parse_binding(line, false)
        && let Action::Function(name) = &binding.action
        && !FUNCTIONS.contains(&name.as_str())
    {
        sh.write_stderr(&format!("readline: {name}: unknown function name\n"));
    }
}

/// A key binding refused: the line and why.
fn cannot_bind(refusal: &str) -> String {
    format!("cannot bind {refusal}")
}
