//! The `time` keyword: wall-clock, user and system time of a pipeline.

use std::time::Instant;

use nix::sys::resource::{Usage, UsageWho, getrusage};
use nix::sys::time::TimeVal;

/// Measurements taken when a timed pipeline starts.
pub struct Timer {
    wall: Instant,
    own: Option<Usage>,
    children: Option<Usage>,
}

fn seconds(tv: TimeVal) -> f64 {
    tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6
}

fn format_time(secs: f64) -> String {
    let secs = secs.max(0.0);
    format!("{}m{:.3}s", (secs / 60.0) as u64, secs % 60.0)
}

impl Timer {
    /// Starts measuring.
    pub fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            own: getrusage(UsageWho::RUSAGE_SELF).ok(),
            children: getrusage(UsageWho::RUSAGE_CHILDREN).ok(),
        }
    }

    /// The bash-style report: `real`, `user`, `sys` lines.
    pub fn report(&self) -> String {
        let real = self.wall.elapsed().as_secs_f64();
        let delta = |who, before: &Option<Usage>| -> (f64, f64) {
            match (getrusage(who), before) {
                (Ok(now), Some(b)) => (
                    seconds(now.user_time()) - seconds(b.user_time()),
                    seconds(now.system_time()) - seconds(b.system_time()),
                ),
                _ => (0.0, 0.0),
            }
        };
        let (u1, s1) = delta(UsageWho::RUSAGE_SELF, &self.own);
        let (u2, s2) = delta(UsageWho::RUSAGE_CHILDREN, &self.children);
        format!(
            "\nreal\t{}\nuser\t{}\nsys\t{}\n",
            format_time(real),
            format_time(u1 + u2),
            format_time(s1 + s2)
        )
    }
}
