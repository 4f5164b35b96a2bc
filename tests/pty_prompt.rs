//! The prompt keeps its place while background jobs end around it.
//!
//! A job killed at the prompt ends just as the next prompt is drawn, and
//! its notice wakes the line editor at the moment the editor asks the
//! terminal where the cursor is (`ESC [6n`). Such a wake-up once left the
//! terminal's answer unread: the editor gave up after 2 s, the next prompt
//! read the stale answer, and from then on every prompt was drawn a row
//! too high, over the last line of output. Each round here checks that a
//! command's output is still right under it. No timed assertions: every
//! step waits, with a generous deadline, and a failure shows the screen.
#![allow(clippy::unwrap_used)]

mod pty;

use pty::{PROMPT, TempHome, Term, run, wait_for_output};

/// Rounds of kill-then-echo: each round is one chance for the race.
const ROUNDS: usize = 12;

#[test]
fn output_stays_under_its_command_while_killed_jobs_are_announced() {
    let home = TempHome::new();
    let term = Term::start(&home);
    term.wait_for_fresh_prompt();
    for round in 1..=ROUNDS {
        let job = format!("sleep 10{round} &");
        run(&term, &job);
        term.wait_for(&format!("round {round}: job 1 started"), |s| {
            s.rows_after(&format!("{PROMPT}{job}"))
                .first()
                .is_some_and(|r| r.starts_with("[1] "))
        });
        term.wait_for_fresh_prompt();
        run(&term, "kill %1");
        term.wait_for(&format!("round {round}: the notice of its end"), |s| {
            s.rows_after(&format!("{PROMPT}kill %1"))
                .iter()
                .any(|r| r.contains("Terminated") && r.contains(&format!("sleep 10{round}")))
        });
        term.wait_for_fresh_prompt();
        let echo = format!("echo round-{round}");
        run(&term, &echo);
        let expected = format!("round-{round}");
        wait_for_output(
            &term,
            &echo,
            &format!("round {round}: its output"),
            |rows| rows.first() == Some(&expected.as_str()),
        );
        term.wait_for_fresh_prompt();
    }
}
