//! `times`: the user and system time of the shell and its children.

use crate::exec::Shell;
use crate::exec::eval::Status;

/// `times`: user and system time of the shell and of its children.
pub fn times(sh: &mut Shell, _: &[String]) -> Status {
    use nix::sys::resource::{UsageWho, getrusage};
    let fmt = |tv: nix::sys::time::TimeVal| {
        let secs = tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
        format!("{}m{:.3}s", (secs / 60.0) as u64, secs % 60.0)
    };
    let mut out = String::new();
    for who in [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN] {
        if let Ok(u) = getrusage(who) {
            out.push_str(&format!(
                "{} {}\n",
                fmt(u.user_time()),
                fmt(u.system_time())
            ));
        }
    }
    Ok(if sh.print("times", &out)? { 0 } else { 1 })
}
