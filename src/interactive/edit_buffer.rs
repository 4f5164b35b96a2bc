//! Editing the command line in an external editor (Alt-E, Alt-V and
//! Ctrl-X, `v` in vi normal mode: bash's `edit-and-execute-command` is
//! Ctrl-X Ctrl-E and vi's `v`, fish's Alt-E/Alt-V). The line is written to a private file, `$VISUAL` (else
//! `$EDITOR`, else `vi`) runs on it as a foreground command of the shell —
//! with job control, the terminal and default signals, like any other —
//! and what it saved comes back into the line, to be read and run with
//! Enter (fish's way; bash runs it at once).

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;

use reedline::{EditCommand, Reedline};

use crate::exec::Shell;

/// What the key bindings send to ask for the editor.
pub const REQUEST: &str = "pidsh:edit-buffer";

/// Runs the editor on the line being edited and puts the result back.
pub fn edit(sh: &mut Shell, line_editor: &mut Reedline) {
    let text = line_editor.current_buffer_contents().to_string();
    let dir = sh
        .state
        .vars
        .get("TMPDIR")
        .filter(|d| !d.is_empty())
        .unwrap_or("/tmp")
        .to_string();
    let path = std::path::Path::new(&dir).join(format!("pidsh-edit-{}.sh", std::process::id()));
    if let Err(e) = write_private(&path, &text) {
        sh.write_stderr(&format!("\n{}: {e}\n", path.display()));
        return;
    }
    let quoted = crate::parser::unparse::quote(&path.to_string_lossy());
    let saved_status = sh.state.last_status;
    let _ = sh.run_source_text(&format!("${{VISUAL:-${{EDITOR:-vi}}}} {quoted}\n"));
    sh.state.last_status = saved_status;
    let edited = std::fs::read(&path).map(|b| crate::bytes::decode(&b));
    let _ = std::fs::remove_file(&path);
    if let Ok(edited) = edited {
        let edited = edited.strip_suffix('\n').unwrap_or(&edited).to_string();
        line_editor.run_edit_commands(&[EditCommand::Clear, EditCommand::InsertString(edited)]);
    }
}

/// Writes `text` to a new file only its owner can read.
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(&crate::bytes::encode(text))?;
    file.write_all(b"\n")
}
