//! `--plan`: what the parser and lowering turn each pipeline into — the
//! builder ops of every stage — printed without running anything.
//!
//! Words are expanded when that has no side effects beyond the shell's own
//! variables (no command substitution); otherwise they are shown as written.

use crate::expand;
use crate::parser::ast::{Command, List, Pipeline, Word};
use crate::parser::{ParseError, Parser, unparse};

use super::fdtable::FdTable;
use super::redirect;
use super::simple::Target;
use super::state::Shell;
use crate::sys::fd as syscalls;

/// Describes every pipeline of `source`.
pub fn describe_source(sh: &mut Shell, source: &str) -> Result<String, ParseError> {
    let mut parser = Parser::new(source, 1);
    parser.set_extglob(sh.shopt_on("extglob"));
    let mut out = String::new();
    while let Some(list) = parser.next_command(&sh.aliases.clone())? {
        describe_list(sh, &list, &mut out);
    }
    Ok(out)
}

fn describe_list(sh: &mut Shell, list: &List, out: &mut String) {
    for item in &list.items {
        let pipelines =
            std::iter::once(&item.and_or.first).chain(item.and_or.rest.iter().map(|(_, p)| p));
        for p in pipelines {
            describe_pipeline(sh, p, item.background, out);
        }
    }
}

fn words_for_plan(sh: &mut Shell, words: &[Word]) -> Vec<String> {
    if words.iter().any(Word::has_command_substitution) {
        return words.iter().map(unparse::word).collect();
    }
    expand::expand_words(sh, words).unwrap_or_else(|e| vec![format!("<{e}>")])
}

fn describe_pipeline(sh: &mut Shell, p: &Pipeline, background: bool, out: &mut String) {
    let suffix = if background { " &" } else { "" };
    out.push_str(&format!("pipeline: {}{suffix}\n", unparse::pipeline(p)));
    let n = p.commands.len();
    // Every stage's table stays open until the whole pipeline is shown, so
    // that the fd numbers printed for different stages never coincide.
    let mut tables = Vec::new();
    let mut prev_read = None;
    for (i, command) in p.commands.iter().enumerate() {
        let mut table: FdTable = sh.fds.clone();
        if let Some(r) = prev_read.take() {
            table.set_owned(0, r);
        }
        if i + 1 < n
            && let Ok((r, w)) = syscalls::pipe()
        {
            table.set_owned(1, w);
            if p.stderr_too.get(i).copied().unwrap_or(false)
                && let Some(e) = table.get(1).cloned()
            {
                table.set(2, e);
            }
            prev_read = Some(r);
        }
        out.push_str(&format!("stage {}: {}\n", i + 1, unparse::command(command)));
        let outer_async = sh.async_list;
        sh.async_list |= background && !sh.monitor_in_effect();
        out.push_str(&describe_stage(sh, command, table.clone()));
        sh.async_list = outer_async;
        tables.push(table);
    }
}

fn describe_stage(sh: &mut Shell, command: &Command, table: FdTable) -> String {
    let Command::Simple(sc) = command else {
        return "  in-process: shell code on a copy of the state\n".to_string();
    };
    let words = words_for_plan(sh, &sc.words);
    let Some(name) = words.first().cloned() else {
        return "  in-process: assignments only\n".to_string();
    };
    match sh.classify(&name) {
        Target::Special(_) | Target::Builtin(_) => {
            return format!("  in-process: builtin {name}\n");
        }
        Target::Function(_) => return format!("  in-process: function {name}\n"),
        Target::External => {}
    }
    let saved = std::mem::replace(&mut sh.fds, table);
    let described = (|| {
        let values = sh.expand_assignments(&sc.assignments)?;
        let steps = redirect::resolve(sh, &sc.redirects)?;
        let (spawn, _keep) = sh.plan_external(&words, &values, &steps)?;
        Ok::<_, super::error::ExecError>(super::lower::describe_spawn(&spawn, &name))
    })();
    sh.fds = saved;
    match described {
        Ok(text) => text,
        Err(e) => format!("  error: {e}\n"),
    }
}
