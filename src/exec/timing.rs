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

impl Timer {
    /// Starts measuring.
    pub fn start() -> Timer {
        Timer {
            wall: Instant::now(),
            own: getrusage(UsageWho::RUSAGE_SELF).ok(),
            children: getrusage(UsageWho::RUSAGE_CHILDREN).ok(),
        }
    }

    /// The report, as `format` says (bash's `TIMEFORMAT`; `None`: its
    /// default, three lines; empty: nothing); an error for an escape it
    /// does not know.
    pub fn report(&self, format: Option<&str>) -> Result<String, String> {
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
        let times = Times {
            real,
            user: u1 + u2,
            sys: s1 + s2,
        };
        match format.unwrap_or(DEFAULT_FORMAT) {
            "" => Ok(String::new()),
            format => Ok(format!("{}\n", times.render(format)?)),
        }
    }
}

/// bash's `TIMEFORMAT` when it is unset.
const DEFAULT_FORMAT: &str = "\nreal\t%3lR\nuser\t%3lU\nsys\t%3lS";

/// `time -p` (POSIX).
pub const POSIX_FORMAT: &str = "real %2R\nuser %2U\nsys %2S";

/// Seconds measured for one timed pipeline.
struct Times {
    real: f64,
    user: f64,
    sys: f64,
}

impl Times {
    /// `TIMEFORMAT`'s escapes: `%%`, `%[p][l]R`, `U`, `S` (seconds with
    /// `p` decimals, 3 by default, `l` as `MmSS.FFFs`) and `%P` (CPU
    /// percentage); anything else is copied.
    fn render(&self, format: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut precision = 3;
            if let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                precision = d.min(3) as usize;
                chars.next();
            }
            let long = chars.next_if_eq(&'l').is_some();
            match chars.next() {
                Some('%') => out.push('%'),
                Some(which @ ('R' | 'U' | 'S')) => {
                    let secs = match which {
                        'R' => self.real,
                        'U' => self.user,
                        _ => self.sys,
                    };
                    out.push_str(&seconds_text(secs.max(0.0), precision, long));
                }
                Some('P') => {
                    let busy = self.user + self.sys;
                    let percent = if self.real > 0.0 {
                        busy / self.real * 100.0
                    } else {
                        0.0
                    };
                    out.push_str(&format!("{percent:.2}"));
                }
                Some(other) => {
                    return Err(format!("TIMEFORMAT: `{other}': invalid format character"));
                }
                None => out.push('%'),
            }
        }
        Ok(out)
    }
}

/// Seconds with `precision` decimals, truncated as bash does; `long`:
/// minutes first (`1m2.500s`).
fn seconds_text(secs: f64, precision: usize, long: bool) -> String {
    let scale = 10u64.pow(precision as u32);
    let units = (secs * scale as f64) as u64;
    let (whole, frac) = (units / scale, units % scale);
    let fraction = if precision == 0 {
        String::new()
    } else {
        format!(".{frac:0precision$}")
    };
    if long {
        format!("{}m{}{fraction}s", whole / 60, whole % 60)
    } else {
        format!("{whole}{fraction}")
    }
}
