//! `--plan`: what each pipeline of a script would start, printed without
//! running anything.
//!
//! The plan is made by the code that runs: stages are laid out by
//! [`StageTables`], placed in process groups as the job code places them,
//! and each process is the [`Spawn`](crate::spawn::Spawn) value that
//! `plan_external` or `plan_self` builds for the run; its text is that
//! value's `Display`, which `PIDSH_TRACE_SPAWN=1` also writes as each child
//! starts, so a plan and a traced run can be compared op for op.
//!
//! Words are expanded when that has no side effects beyond the shell's own
//! variables (no command substitution); otherwise they are shown as written.

use crate::expand;
use crate::parser::ast::{AndOr, Command, CompoundCommand, List, ListItem, Pipeline, Word};
use crate::parser::{ParseError, Parser, unparse};

use super::fdtable::FdTable;
use super::pipeline::{ShellCode, StageTables};
use super::redirect;
use super::simple::Target;
use super::state::{Placement, Shell};

/// The group a later stage joins is its first process's, unknown until it
/// runs: the plan shows this line for it.
const JOIN_LEADER: &str = "  setpgid <pid of the job's first process>\n";

/// How `--plan` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Indented lines for people.
    Text,
    /// One JSON document for tools (`--plan=json`).
    Json,
}

/// Describes every pipeline of `source`.
pub fn describe_source(sh: &mut Shell, source: &str, format: Format) -> Result<String, ParseError> {
    let mut parser = Parser::new(source, 1);
    parser.set_extglob(sh.shopt_on("extglob"));
    let mut out = String::new();
    while let Some(list) = parser.next_command(&sh.state.aliases.clone())? {
        describe_list(sh, &list, &mut out);
    }
    Ok(match format {
        Format::Text => out,
        Format::Json => to_json(&out),
    })
}

fn describe_list(sh: &mut Shell, list: &List, out: &mut String) {
    for item in &list.items {
        let ao = &item.and_or;
        if item.background && (!ao.rest.is_empty() || ao.first.negated) {
            describe_background_list(sh, ao, out);
            continue;
        }
        let pipelines = std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p));
        for p in pipelines {
            describe_pipeline(sh, p, item.background, out);
        }
    }
}

/// `a && b &`: one pidsh process runs the whole list (`run_background`).
fn describe_background_list(sh: &mut Shell, ao: &AndOr, out: &mut String) {
    out.push_str(&format!("list: {} &\n", unparse::and_or(ao)));
    let group = Command::Compound(
        CompoundCommand::BraceGroup(List {
            items: vec![ListItem {
                and_or: ao.clone(),
                background: false,
            }],
        }),
        Vec::new(),
    );
    let controlled = sh.job_control_active();
    let uncontrolled = !sh.monitor_in_effect();
    let mut sh = sh.scoped(|c| {
        c.async_list |= uncontrolled;
        c.placement = match controlled {
            true => Placement::Lead { foreground: false },
            false => Placement::Shell,
        };
    });
    let table = sh.background_table();
    out.push_str(&describe_self_spawn(&mut sh, &group, table));
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
    // Under job control the pipeline is a job of its own group (a
    // foreground one takes the terminal); `Some(foreground)`.
    let job = sh.job_control_active().then_some(!background);
    let in_this_shell = p.commands.len() == 1 && !background;
    let code = ShellCode::for_pipeline(background, job);
    let uncontrolled = !sh.monitor_in_effect();
    let mut sh = sh.scoped(|c| c.async_list |= background && uncontrolled);
    // Every stage's table stays open until the whole pipeline is shown, so
    // that the fd numbers printed for different stages never coincide.
    let mut tables = Vec::new();
    let mut leader_planned = false;
    let base = match background {
        true => sh.background_table(),
        false => sh.fds.clone(),
    };
    let mut wiring = StageTables::new(p);
    while let Some(next) = wiring.next(&base) {
        let (i, command, table) = match next {
            Ok(stage) => stage,
            Err(e) => {
                out.push_str(&format!("  error: pipe: {}\n", super::error::describe(e)));
                break;
            }
        };
        out.push_str(&format!("stage {}: {}\n", i + 1, unparse::command(command)));
        sh.ctx.placement = match (job, leader_planned) {
            (None, _) => Placement::Shell,
            (Some(foreground), false) => Placement::Lead { foreground },
            // Any pid stands in for the leader's; its line is replaced.
            (Some(_), true) => Placement::Join(nix::unistd::getpid()),
        };
        let stage = Stage {
            command,
            table: table.clone(),
            code,
            in_this_shell,
        };
        let (text, is_process) = describe_stage(&mut sh, stage);
        leader_planned |= is_process;
        out.push_str(&text);
        tables.push(table);
    }
}

/// One stage to describe, and how its pipeline runs shell code.
struct Stage<'c> {
    command: &'c Command,
    table: FdTable,
    code: ShellCode,
    /// A pipeline of one foreground command: it runs in this shell.
    in_this_shell: bool,
}

/// The stage's text, and whether it is a process (the first one leads the
/// job's group).
fn describe_stage(sh: &mut Shell, stage: Stage) -> (String, bool) {
    let shell_code = |sh: &mut Shell, what: String| {
        if stage.in_this_shell {
            (format!("  in-process: {what} in this shell\n"), false)
        } else if sh.stage_is_process(stage.command, stage.code) {
            let text = describe_self_spawn(sh, stage.command, stage.table.clone());
            (format!("  process: pidsh running {what}\n{text}"), true)
        } else {
            (
                format!("  in-process: {what} on a thread, on a copy of the state\n"),
                false,
            )
        }
    };
    let Command::Simple(sc) = stage.command else {
        return shell_code(sh, "shell code".to_string());
    };
    let words = words_for_plan(sh, &sc.words);
    let Some(name) = words.first().cloned() else {
        return shell_code(sh, "assignments".to_string());
    };
    match sh.classify(&name) {
        Target::Special(_) | Target::Builtin(_) => {
            return shell_code(sh, format!("builtin {name}"));
        }
        Target::Function(_) => return shell_code(sh, format!("function {name}")),
        Target::External => {}
    }
    let described = (|| {
        let mut sh = sh.with_fd_table(stage.table);
        let values = sh.expand_assignments(&sc.assignments)?;
        let steps = redirect::resolve(&mut sh, &sc.redirects)?;
        let (spawn, _keep) = sh.plan_external(&words, &values, &steps)?;
        Ok::<_, super::error::ExecError>(spawn.to_string())
    })();
    match described {
        Ok(text) => (name_the_leader(sh, text), true),
        Err(e) => (format!("  error: {e}\n"), false),
    }
}

/// The self-spawn `plan_self` builds for shell code run as a process.
fn describe_self_spawn(sh: &mut Shell, command: &Command, table: FdTable) -> String {
    match sh.plan_self(command, table) {
        Ok(planned) => name_the_leader(sh, planned.spawn.to_string()),
        Err(status) => format!("  error: no self-spawn (status {status})\n"),
    }
}

/// Replaces the stand-in pid of a stage that joins its job's group.
fn name_the_leader(sh: &Shell, text: String) -> String {
    match sh.ctx.placement {
        Placement::Join(stand_in) => text.replace(&format!("  setpgid {stand_in}\n"), JOIN_LEADER),
        _ => text,
    }
}

/// The text plan as JSON: a list of pipelines (`{"pipeline": text,
/// "stages": [...]}`), each stage `{"command": text, "lines": [...]}`
/// holding the stage's lines (how it runs, then the spawn's program, argv,
/// environment size and ops, in order). Built from the text so that the
/// two forms cannot say different things.
fn to_json(text: &str) -> String {
    /// A stage's command and lines; a pipeline's text and stages.
    type StageLines = (String, Vec<String>);
    let mut pipelines: Vec<(String, Vec<StageLines>)> = Vec::new();
    for line in text.lines() {
        if let Some(head) = line
            .strip_prefix("pipeline: ")
            .or(line.strip_prefix("list: "))
        {
            pipelines.push((head.to_string(), Vec::new()));
        } else if let Some(rest) = line.strip_prefix("stage ")
            && let Some((_, command)) = rest.split_once(": ")
            && let Some(p) = pipelines.last_mut()
        {
            p.1.push((command.to_string(), Vec::new()));
        } else if let Some(p) = pipelines.last_mut() {
            if p.1.is_empty() {
                // A background list is one stage: the list itself.
                p.1.push((p.0.clone(), Vec::new()));
            }
            if let Some(stage) = p.1.last_mut() {
                stage.1.push(line.trim_start().to_string());
            }
        }
    }
    let stage_json = |(command, lines): &StageLines| {
        let lines: Vec<String> = lines.iter().map(|l| json_string(l)).collect();
        format!(
            "{{\"command\":{},\"lines\":[{}]}}",
            json_string(command),
            lines.join(",")
        )
    };
    let pipeline_json = |(text, stages): &(String, Vec<StageLines>)| {
        let stages: Vec<String> = stages.iter().map(stage_json).collect();
        format!(
            "{{\"pipeline\":{},\"stages\":[{}]}}",
            json_string(text),
            stages.join(",")
        )
    };
    let all: Vec<String> = pipelines.iter().map(pipeline_json).collect();
    format!("[{}]\n", all.join(",\n"))
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::{json_string, to_json};

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    #[test]
    fn json_groups_lines_by_pipeline_and_stage() {
        let text = "pipeline: a | b\nstage 1: a\n  argv a\nstage 2: b\n  argv b\n  dup2 3 0\nlist: x && y &\n  argv pidsh\n";
        let json = to_json(text);
        assert_eq!(
            json,
            "[{\"pipeline\":\"a | b\",\"stages\":[{\"command\":\"a\",\"lines\":[\"argv a\"]},{\"command\":\"b\",\"lines\":[\"argv b\",\"dup2 3 0\"]}]},\n{\"pipeline\":\"x && y &\",\"stages\":[{\"command\":\"x && y &\",\"lines\":[\"argv pidsh\"]}]}]\n"
        );
    }
}
