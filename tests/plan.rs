//! `--plan` prints what a run starts: for the same script, the spawns it
//! lists are, op for op, the spawns a traced run (`PIDSH_TRACE_SPAWN=1`)
//! hands to the backend, with and without job control.

#![allow(clippy::unwrap_used)]

mod common;

/// Stdout of `--plan` (or stderr of a traced run) for `script`.
fn output(plan: bool, monitor: bool, script: &str) -> String {
    let mut cmd = common::pidsh();
    cmd.env("PIDSH_TRACE_SPAWN", "1");
    if monitor {
        cmd.arg("-m");
    }
    if plan {
        cmd.arg("--plan");
    }
    cmd.args(["-c", script]).current_dir(common::tempdir());
    let out = cmd.output().unwrap();
    let text = if plan { out.stdout } else { out.stderr };
    String::from_utf8_lossy(&text).into_owned()
}

/// Descriptor numbers of the shell's own (pipe ends, templates, the group
/// leader's pid) differ between a plan and a run: they are blanked.
fn normalise(line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    match words.as_slice() {
        ["dup2", _, dst] => format!("dup2 _ {dst}"),
        ["setpgid", "new"] => line.to_string(),
        ["setpgid", ..] => "setpgid <leader>".to_string(),
        ["execveat", "template", "fd", _, name] => format!("execveat template fd _ {name}"),
        _ => line.to_string(),
    }
}

/// The spawns of a plan's text, one list of normalised lines each.
fn planned_spawns(plan: &str) -> Vec<Vec<String>> {
    let mut spawns: Vec<Vec<String>> = Vec::new();
    let mut inside = false;
    for line in plan.lines() {
        let Some(op) = line.strip_prefix("  ") else {
            inside = false;
            continue;
        };
        if op.starts_with("exec ") || op.starts_with("execveat ") {
            spawns.push(Vec::new());
            inside = true;
        } else if op.starts_with("in-process") || op.starts_with("process:") {
            inside = false;
            continue;
        }
        if inside && let Some(last) = spawns.last_mut() {
            last.push(normalise(op));
        }
    }
    spawns
}

/// The spawns a traced run wrote, in the same form.
fn traced_spawns(trace: &str) -> Vec<Vec<String>> {
    let mut spawns: Vec<Vec<String>> = Vec::new();
    for line in trace.lines() {
        if line == "spawn:" {
            spawns.push(Vec::new());
        } else if let Some(op) = line.strip_prefix("  ")
            && let Some(last) = spawns.last_mut()
        {
            last.push(normalise(op));
        }
    }
    spawns
}

const SCRIPTS: &[&str] = &[
    "sleep 0",
    "true | cat",
    "echo hi | tr a-z A-Z > out",
    "printf 'a\\nb\\n' | { read x; echo $x; } | wc -l",
    "ls /dev/null 2>&1 | cat > /dev/null &\nwait",
    "cat < /dev/null |& cat",
    "true && true &\nwait",
];

#[test]
fn plan_and_traced_run_agree_op_for_op() {
    for monitor in [false, true] {
        for script in SCRIPTS {
            let plan = output(true, monitor, script);
            let planned = planned_spawns(&plan);
            let traced = traced_spawns(&output(false, monitor, script));
            assert!(
                !planned.is_empty(),
                "-m {monitor}: {script}: no spawn in\n{plan}"
            );
            assert_eq!(planned, traced, "-m {monitor}: {script}\nplan:\n{plan}");
        }
    }
}

#[test]
fn plan_shows_the_process_group_of_a_job() {
    let plan = output(true, true, "ls | wc -l");
    let spawns = planned_spawns(&plan);
    assert_eq!(spawns.len(), 2, "{plan}");
    assert!(spawns[0].contains(&"setpgid new".to_string()), "{plan}");
    assert!(
        spawns[1].contains(&"setpgid <leader>".to_string()),
        "{plan}"
    );
    let plan = output(true, false, "ls | wc -l");
    assert!(!plan.contains("setpgid"), "{plan}");
}

#[test]
fn plan_as_json_lists_pipelines_and_stages() {
    let out = common::pidsh()
        .args(["--plan=json", "-c", "ls \"a b\" | wc -l"])
        .current_dir(common::tempdir())
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&out.stdout);
    assert!(
        json.starts_with("[{\"pipeline\":\"ls \\\"a b\\\" | wc -l\",\"stages\":[{\"command\":\"ls \\\"a b\\\"\",\"lines\":["),
        "{json}"
    );
    assert!(json.contains("\"argv ls \\\"a b\\\"\""), "{json}");
    assert!(
        json.contains("{\"command\":\"wc -l\",\"lines\":["),
        "{json}"
    );
    assert_eq!(out.status.code(), Some(0));
}
