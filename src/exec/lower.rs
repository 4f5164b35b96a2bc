//! Lowering: an fd table becomes the `dup2`/`close` ops that give a child
//! exactly that table.

use std::collections::BTreeSet;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use super::error::ExecError;
use super::fdtable::{FdEntry, FdTable};
use crate::spawn::SpawnOp;
use crate::sys::fd as syscalls;

/// Appends the ops that lay out `table` in the child: each shell fd gets
/// its descriptor, the standard and inherited descriptors the table
/// dropped are closed. Every other descriptor of the shell is close-on-exec.
/// For a program started by exec (`for_exec`), the table's private
/// numbers (a coprocess's ends) are left out, as close-on-exec; a
/// self-spawned subshell gets them.
///
/// A source that is also the target of another move would be overwritten
/// before it is read; such a source is first duplicated in the parent to a
/// free high number (kept open in `keep` until the spawn returns).
pub fn lower_table(
    table: &FdTable,
    for_exec: bool,
    ops: &mut Vec<SpawnOp>,
    keep: &mut Vec<OwnedFd>,
) -> Result<(), ExecError> {
    let mut moves: Vec<(RawFd, RawFd)> = Vec::new();
    for (target, entry) in table.iter() {
        if for_exec && !table.passed_on_exec(target) {
            continue;
        }
        let src = entry.raw();
        let inherited_in_place = matches!(entry, FdEntry::Inherited(_)) && src == target;
        if !inherited_in_place {
            moves.push((src, target));
        }
    }
    let targets: BTreeSet<RawFd> = moves.iter().map(|m| m.1).collect();
    for m in &mut moves {
        if m.0 != m.1 && targets.contains(&m.0) {
            let copy = syscalls::dup_high(m.0).map_err(|e| ExecError::System("dup".into(), e))?;
            m.0 = copy.as_raw_fd();
            keep.push(copy);
        }
    }
    for (src, dst) in moves {
        ops.push(SpawnOp::Dup2 { src, dst });
    }
    for fd in [0, 1, 2].iter().chain(table.inherited()) {
        if table.get(*fd).is_none() {
            ops.push(SpawnOp::Close(*fd));
        }
    }
    Ok(())
}
