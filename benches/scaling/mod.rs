//! The scaling section: each workload at N, 4N and 16N for pidsh and its
//! peers in one run, with the growth factor per 4× of N (1 ≈ flat,
//! 4 = linear, 16 = quadratic), so a cost that grows faster than the work
//! shows as a number rather than as a cliff someone falls off later.
//!
//! A run of this section alone (`PIDSH_BENCH_ONLY=scaling`) rewrites only
//! its part of `docs/benchmarks.md` (between two markers) and its plot,
//! `docs/scaling.svg`; `PIDSH_BENCH_NO_DOCS` keeps both as they are, and
//! so does a run of some rows only (`PIDSH_BENCH_SCALING_ROWS`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

use super::{Input, Samples, Shell, Watchdog, Workload, measure, median, ms};

/// The markers around the section in `docs/benchmarks.md`.
pub const BEGIN: &str = "<!-- scaling: begin -->";
/// See [`BEGIN`].
pub const END: &str = "<!-- scaling: end -->";

/// The sizes a workload runs at: N, 4N, 16N.
const FACTORS: [usize; 3] = [1, 4, 16];

/// One workload family: a script for each N.
struct Family {
    /// Row label, with `N` standing for the size.
    name: &'static str,
    /// The smallest N.
    n: usize,
    /// What N counts (`lines`, `MiB`…), for the table.
    unit: &'static str,
    /// Whether dash can run it (bash arrays and `+=` it cannot).
    posix: bool,
    /// Writes what the run at `n` needs into the directory: the script
    /// (and its data), how it is fed, and the output a correct shell
    /// prints.
    make: fn(&Path, usize) -> (Vec<String>, Input, String),
}

/// A `( … )` of `n` lines.
fn long_subshell(n: usize) -> String {
    let mut s = String::from("(\n");
    for i in 0..n {
        writeln!(s, "  : line {i}").unwrap();
    }
    s.push_str("  echo done\n)\n");
    s
}

/// `mib` MiB of comma-separated text, one 1000-byte line per KiB or so.
fn text_mib(mib: usize) -> String {
    let line = "abcdefghi,".repeat(100) + "\n";
    line.repeat(mib * 1024 * 1024 / line.len())
}

fn script(dir: &Path, file: &str, text: &str) -> Vec<String> {
    fs::write(dir.join(file), text).unwrap();
    vec![file.to_string()]
}

fn families() -> Vec<Family> {
    vec![
        Family {
            name: "`( … )` of N lines, read from a pipe",
            n: 1000,
            unit: "lines",
            posix: true,
            make: |dir, n| {
                fs::write(dir.join("sub.sh"), long_subshell(n)).unwrap();
                (vec![], Input::Pipe("sub.sh".into()), "done\n".into())
            },
        },
        Family {
            name: "`( … )` of N lines, read from a file on stdin",
            n: 1000,
            unit: "lines",
            posix: true,
            make: |dir, n| {
                fs::write(dir.join("sub.sh"), long_subshell(n)).unwrap();
                (vec![], Input::File("sub.sh".into()), "done\n".into())
            },
        },
        Family {
            name: "N keys into an associative array",
            n: 5000,
            unit: "keys",
            posix: false,
            make: |dir, n| {
                let text = format!(
                    "declare -A a\ni=0\nwhile [ $i -lt {n} ]; do\n  a[k$i]=$i\n  i=$((i+1))\ndone\necho ${{#a[@]}}\n"
                );
                (
                    script(dir, "assoc.sh", &text),
                    Input::Null,
                    format!("{n}\n"),
                )
            },
        },
        Family {
            name: "N × `a+=(x)`",
            n: 1250,
            unit: "appends",
            posix: false,
            make: |dir, n| {
                let text = format!(
                    "a=()\ni=0\nwhile [ $i -lt {n} ]; do\n  a+=(x)\n  i=$((i+1))\ndone\necho ${{#a[@]}}\n"
                );
                (
                    script(dir, "append.sh", &text),
                    Input::Null,
                    format!("{n}\n"),
                )
            },
        },
        Family {
            name: "N × `s+=x`",
            n: 5000,
            unit: "appends",
            posix: false,
            make: |dir, n| {
                let text = format!(
                    "s=\ni=0\nwhile [ $i -lt {n} ]; do\n  s+=x\n  i=$((i+1))\ndone\necho ${{#s}}\n"
                );
                (
                    script(dir, "sappend.sh", &text),
                    Input::Null,
                    format!("{n}\n"),
                )
            },
        },
        Family {
            name: "N alias definitions, one per line",
            n: 2000,
            unit: "aliases",
            posix: true,
            make: |dir, n| {
                let text: String = (0..n).map(|i| format!("alias a{i}=echo\n")).collect();
                (
                    script(dir, "aliases.sh", &(text + "echo done\n")),
                    Input::Null,
                    "done\n".into(),
                )
            },
        },
        Family {
            name: "N × `x=$(echo hi)`",
            n: 1000,
            unit: "substitutions",
            posix: true,
            make: |dir, n| {
                let text = "x=$(echo hi)\n".repeat(n) + "echo $x\n";
                (script(dir, "subst.sh", &text), Input::Null, "hi\n".into())
            },
        },
        Family {
            name: "`x=$(cat file)` of N MiB",
            n: 1,
            unit: "MiB",
            posix: true,
            make: |dir, n| {
                let data = text_mib(n);
                fs::write(dir.join("data.txt"), &data).unwrap();
                let text = "x=$(cat data.txt)\necho ${#x}\n";
                let len = data.trim_end_matches('\n').len();
                (script(dir, "cat.sh", text), Input::Null, format!("{len}\n"))
            },
        },
        Family {
            name: "`${x#*,}` on N MiB",
            n: 1,
            unit: "MiB",
            posix: true,
            make: |dir, n| {
                let data = text_mib(n);
                fs::write(dir.join("data.txt"), &data).unwrap();
                let text = "x=$(cat data.txt)\ny=${x#*,}\necho ${#y}\n";
                let len = data.trim_end_matches('\n').len() - 10;
                (
                    script(dir, "strip.sh", text),
                    Input::Null,
                    format!("{len}\n"),
                )
            },
        },
        Family {
            name: "`${x//a/b}` on N KiB",
            n: 16,
            unit: "KiB",
            posix: false,
            make: |dir, n| {
                let line = "abcdefghi,".repeat(100) + "\n";
                let data = line.repeat(n * 1024 / line.len());
                fs::write(dir.join("data.txt"), &data).unwrap();
                let text = "x=$(cat data.txt)\ny=${x//a/b}\necho ${#y}\n";
                let len = data.trim_end_matches('\n').len();
                (
                    script(dir, "patsub.sh", text),
                    Input::Null,
                    format!("{len}\n"),
                )
            },
        },
        Family {
            name: "`case` on a pattern of N × `[[:` (no bracket closes)",
            n: 1000,
            unit: "`[[:`",
            posix: true,
            make: |dir, n| {
                let pattern = "[[:".repeat(n);
                let text = format!("case x in {pattern}) echo match;; *) echo none;; esac\n");
                (
                    script(dir, "brackets.sh", &text),
                    Input::Null,
                    "none\n".to_string(),
                )
            },
        },
        Family {
            // Each level used to read the one inside it twice (as the
            // lookahead, then as an argument): 2^N.
            name: "`echo $(echo $(… x))` nested N deep",
            n: 8,
            unit: "levels",
            posix: true,
            make: |dir, n| {
                let text = format!("echo {}x{}\n", "$(echo ".repeat(n), ")".repeat(n));
                (script(dir, "nest.sh", &text), Input::Null, "x\n".into())
            },
        },
        Family {
            name: "here-document of N MiB",
            n: 1,
            unit: "MiB",
            posix: true,
            make: |dir, n| {
                let data = text_mib(n);
                let text = format!("cat <<'EOF' | wc -c\n{data}EOF\n");
                (
                    script(dir, "heredoc.sh", &text),
                    Input::Null,
                    format!("{}\n", data.len()),
                )
            },
        },
        Family {
            name: "`read` of an N MiB line",
            n: 1,
            unit: "MiB",
            posix: true,
            make: |dir, n| {
                fs::write(dir.join("line.txt"), "x".repeat(n << 20) + "\n").unwrap();
                let text = "read -r l < line.txt\necho ${#l}\n";
                (
                    script(dir, "readline.sh", text),
                    Input::Null,
                    format!("{}\n", n << 20),
                )
            },
        },
        Family {
            name: "`while read` over N lines",
            n: 25_000,
            unit: "lines",
            posix: true,
            make: |dir, n| {
                let mut lines = String::new();
                for i in 0..n {
                    writeln!(lines, "line {i} of the input").unwrap();
                }
                fs::write(dir.join("lines.txt"), lines).unwrap();
                let text = "n=0\nwhile read -r l; do\n  n=$((n+1))\ndone < lines.txt\necho $n\n";
                (
                    script(dir, "readloop.sh", text),
                    Input::Null,
                    format!("{n}\n"),
                )
            },
        },
    ]
}

/// The environment variable naming the rows to run (see [`chosen`]).
pub const ROWS_VAR: &str = "PIDSH_BENCH_SCALING_ROWS";

/// The families whose name holds one of the comma-separated pieces of
/// [`ROWS_VAR`]; all of them when it is unset.
fn chosen(families: Vec<Family>) -> Vec<Family> {
    let Ok(pieces) = std::env::var(ROWS_VAR) else {
        return families;
    };
    families
        .into_iter()
        .filter(|f| {
            pieces
                .split(',')
                .map(str::trim)
                .any(|p| !p.is_empty() && f.name.contains(p))
        })
        .collect()
}

/// Times per shell at N, 4N, 16N (or why a shell has none).
pub struct Row {
    name: String,
    n: usize,
    unit: &'static str,
    /// Per shell: one cell per size; `None` where the shell is not run.
    cells: Vec<Option<Vec<Samples>>>,
}

/// Runs every family on `shells` (pidsh first), `runs` rounds after a
/// warm-up at each size.
pub fn run(dog: &Watchdog, shells: &[Shell], dir: &Path, runs: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for family in chosen(families()) {
        println!(
            "\nscaling: {} (N = {} {})",
            family.name, family.n, family.unit
        );
        let runs_on: Vec<bool> = shells
            .iter()
            .map(|s| family.posix || s.label != "dash")
            .collect();
        let mut cells: Vec<Option<Vec<Samples>>> =
            runs_on.iter().map(|&on| on.then(Vec::new)).collect();
        for factor in FACTORS {
            let n = family.n * factor;
            let (args, input, expect) = (family.make)(dir, n);
            let w = Workload {
                name: family.name,
                args,
                expect,
                per_backend: false,
                input,
                runs: None,
            };
            let chosen: Vec<Shell> = shells
                .iter()
                .zip(&runs_on)
                .filter(|(_, on)| **on)
                .map(|(s, _)| s.clone())
                .collect();
            let mut results = measure(dog, &chosen, &w, dir, runs, &mut |_| {}).into_iter();
            for (shell, cell) in shells.iter().zip(cells.iter_mut()) {
                let Some(cell) = cell else { continue };
                let r = results.next().unwrap_or_else(|| Err("not run".into()));
                match &r {
                    Ok(v) => println!(
                        "  {:<8} N×{factor:<3} {:>10}",
                        shell.label,
                        median(v).map_or("—".into(), ms)
                    ),
                    Err(why) => println!("  {:<8} N×{factor:<3} FAILS: {why}", shell.label),
                }
                cell.push(r);
            }
        }
        rows.push(Row {
            name: family.name.to_string(),
            n: family.n,
            unit: family.unit,
            cells,
        });
    }
    rows
}

/// Growth per 4× of N, from the times at N and 16N (their ratio's square
/// root): 1 flat, 4 linear, 16 quadratic.
fn growth(cells: &[Samples]) -> Option<f64> {
    let at = |i: usize| {
        cells
            .get(i)?
            .as_ref()
            .ok()
            .and_then(|v| median(v))
            .map(|d| d.as_secs_f64())
    };
    let (first, last) = (at(0)?, at(FACTORS.len() - 1)?);
    (first > 0.0).then(|| (last / first).sqrt())
}

fn cell(r: &Samples) -> String {
    match r {
        Ok(v) => median(v).map_or("—".into(), ms),
        Err(_) => "fails".into(),
    }
}

/// The section of `docs/benchmarks.md`, between its markers.
pub fn markdown(rows: &[Row], shells: &[Shell], runs: usize) -> String {
    let mut md = format!("{BEGIN}\n## Scaling\n\n");
    writeln!(
        md,
        "Each workload at N, 4N and 16N (N in the first column), whole-process wall time, \
         median of {runs} run(s) after a warm-up, shells interleaved. *Growth* is the \
         factor per 4× of N, √(time at 16N ÷ time at N): **1 is flat, 4 linear, 16 \
         quadratic**; start-up makes small sizes look flatter than they are. \
         `PIDSH_BENCH_ONLY=scaling cargo bench --bench shells` reruns this section alone. \
         Plot: [scaling.svg](scaling.svg).\n"
    )
    .unwrap();
    md.push_str("| workload | shell | N | 4N | 16N | growth per 4× |\n|---|---|--:|--:|--:|--:|\n");
    let mut failures = Vec::new();
    for row in rows {
        for (shell, cells) in shells.iter().zip(&row.cells) {
            let name = format!("{}, N = {} {}", row.name, row.n, row.unit).replace('|', "\\|");
            let Some(cells) = cells else {
                writeln!(md, "| {name} | {} | n/a | n/a | n/a | — |", shell.label).unwrap();
                continue;
            };
            let times: Vec<String> = cells.iter().map(cell).collect();
            let g = growth(cells).map_or("—".into(), |g| format!("{g:.1}"));
            writeln!(
                md,
                "| {name} | {} | {} | {g} |",
                shell.label,
                times.join(" | ")
            )
            .unwrap();
            for r in cells {
                if let Err(why) = r {
                    failures.push(format!("{} on {}: {why}", shell.label, row.name));
                }
            }
        }
    }
    if !failures.is_empty() {
        md.push_str("\nFailed runs (no time):\n\n");
        for f in failures {
            writeln!(md, "- {}", f.replace('|', "\\|")).unwrap();
        }
    }
    md.push_str("\n![time against N](scaling.svg)\n");
    writeln!(md, "{END}").unwrap();
    md
}

/// `doc` with its scaling section replaced by `section` (or added at
/// the end when it has none).
pub fn splice(doc: &str, section: &str) -> String {
    match (doc.find(BEGIN), doc.find(END)) {
        (Some(b), Some(e)) if b < e => {
            let after = &doc[e + END.len()..];
            format!("{}{}{}", &doc[..b], section.trim_end(), after)
        }
        _ => format!("{}\n{}", doc.trim_end(), section),
    }
}

/// Small multiples: per workload, time against N on log–log axes, one
/// line per shell.
pub fn svg(rows: &[Row], shells: &[Shell]) -> String {
    const COLS: usize = 4;
    const PW: f64 = 200.0;
    const PH: f64 = 150.0;
    const GAP: f64 = 50.0;
    let colours = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e"];
    let nrows = rows.len().div_ceil(COLS);
    let width = COLS as f64 * (PW + GAP) + GAP;
    let height = nrows as f64 * (PH + 2.0 * GAP) + 60.0;
    let mut s = String::new();
    writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">"#
    )
    .unwrap();
    writeln!(
        s,
        r#"<rect width="{width}" height="{height}" fill="white"/>"#
    )
    .unwrap();
    writeln!(
        s,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="14">Time against N (log–log; a linear cost has the slope of the dashed line)</text>"#,
        width / 2.0
    )
    .unwrap();
    for (i, (shell, colour)) in shells.iter().zip(colours).enumerate() {
        let x = GAP + i as f64 * 90.0;
        writeln!(
            s,
            r#"<rect x="{x}" y="32" width="12" height="4" fill="{colour}"/><text x="{}" y="38">{}</text>"#,
            x + 16.0,
            super::xml(&shell.label)
        )
        .unwrap();
    }
    for (k, row) in rows.iter().enumerate() {
        let ox = GAP + (k % COLS) as f64 * (PW + GAP);
        let oy = 60.0 + GAP + (k / COLS) as f64 * (PH + 2.0 * GAP);
        panel(&mut s, row, ox, oy, (PW, PH), &colours);
    }
    s.push_str("</svg>\n");
    s
}

fn panel(s: &mut String, row: &Row, ox: f64, oy: f64, (pw, ph): (f64, f64), colours: &[&str]) {
    let secs = |r: &Samples| -> Option<f64> {
        r.as_ref()
            .ok()
            .and_then(|v| median(v))
            .map(|d: Duration| d.as_secs_f64())
    };
    let all: Vec<f64> = row
        .cells
        .iter()
        .flatten()
        .flatten()
        .filter_map(secs)
        .filter(|t| *t > 0.0)
        .collect();
    let lo = all
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .log10()
        .floor();
    let hi = all
        .iter()
        .copied()
        .fold(1e-6, f64::max)
        .log10()
        .ceil()
        .max(lo + 1.0);
    let x = |i: usize| ox + i as f64 / (FACTORS.len() - 1) as f64 * pw;
    let y = |t: f64| oy + ph - (t.log10() - lo) / (hi - lo) * ph;
    // Two title lines: the names are longer than a panel is wide.
    writeln!(
        s,
        r##"<text x="{x}" y="{}" text-anchor="middle" font-size="9">{}</text><text x="{x}" y="{}" text-anchor="middle" font-size="9">N = {} {}</text><rect x="{ox}" y="{oy}" width="{pw}" height="{ph}" fill="none" stroke="#999"/>"##,
        oy - 18.0,
        super::xml(&row.name),
        oy - 6.0,
        row.n,
        row.unit,
        x = ox + pw / 2.0,
    )
    .unwrap();
    for d in (lo as i32)..=(hi as i32) {
        let label = match d {
            d if d < 0 => format!("{} ms", 10f64.powi(d + 3)),
            d => format!("{} s", 10f64.powi(d)),
        };
        writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="8">{label}</text>"##,
            ox - 3.0,
            y(10f64.powi(d)) + 3.0
        )
        .unwrap();
    }
    for (i, f) in FACTORS.iter().enumerate() {
        writeln!(
            s,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="8">{f}N</text>"##,
            x(i),
            oy + ph + 12.0
        )
        .unwrap();
    }
    // The slope of a linear cost, from the bottom-left corner.
    let t0 = 10f64.powf(lo);
    writeln!(
        s,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#bbb" stroke-dasharray="4 3"/>"##,
        x(0),
        y(t0),
        x(FACTORS.len() - 1),
        y(t0 * FACTORS[FACTORS.len() - 1] as f64)
    )
    .unwrap();
    for (cells, colour) in row.cells.iter().zip(colours) {
        let Some(cells) = cells else { continue };
        let pts: Vec<String> = cells
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                secs(r)
                    .filter(|t| *t > 0.0)
                    .map(|t| format!("{:.1},{:.1}", x(i), y(t)))
            })
            .collect();
        writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            pts.join(" ")
        )
        .unwrap();
    }
}
