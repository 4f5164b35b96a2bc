//! `$RANDOM` as bash computes it: the Park–Miller "minimal standard"
//! generator, its 31-bit state folded to 15 bits, never the same number
//! twice in a row; assigning `RANDOM` seeds it, so a seeded sequence is
//! bash's (`RANDOM=42` then `$RANDOM` is 17772).

/// The generator's state (bash's `rseed` and `last_random_value`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Random {
    seed: u32,
    last: u32,
    /// Seed from the clock at the first use: a subshell's generator,
    /// reseeded only if the subshell reads `$RANDOM`, since reading the
    /// clock and the pid costs more than the rest of `$(echo hi)`.
    seed_on_use: bool,
}

impl Random {
    /// A generator seeded from the clock and the process and thread, as a
    /// new shell or subshell gets (bash: time of day xor pid).
    pub fn from_clock() -> Random {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as u32 ^ d.subsec_micros())
            .unwrap_or(1);
        let thread = {
            use std::hash::BuildHasher;
            std::collections::hash_map::RandomState::new().hash_one(std::thread::current().id())
                as u32
        };
        Random::seeded(nanos ^ std::process::id() ^ thread)
    }

    /// A generator seeded with `seed` (`RANDOM=seed`).
    pub fn seeded(seed: u32) -> Random {
        Random {
            seed,
            last: 0,
            seed_on_use: false,
        }
    }

    /// A generator that [`Random::from_clock`] seeds when it is first
    /// used (a subshell's).
    pub fn seeded_on_use() -> Random {
        Random {
            seed: 0,
            last: 0,
            seed_on_use: true,
        }
    }

    /// The next value, 0–32767, different from the one before.
    pub fn next_value(&mut self) -> u32 {
        if self.seed_on_use {
            *self = Random::from_clock();
        }
        loop {
            self.seed = minimal_standard(self.seed);
            let value = ((self.seed >> 16) ^ (self.seed & 0xffff)) & 0x7fff;
            if value != self.last {
                self.last = value;
                return value;
            }
        }
    }
}

/// The seed `RANDOM=value` gives: the leading integer of `value`, as C's
/// `strtoimax`, wrapped to 32 bits.
pub fn seed_of(value: &str) -> u32 {
    let t = value.trim_start();
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    (if negative { n.wrapping_neg() } else { n }) as u32
}

/// One step of the minimal standard generator (Park and Miller, CACM
/// 1988), in Schrage's form; 0 restarts from bash's fixed seed.
fn minimal_standard(last: u32) -> u32 {
    let x = if last == 0 { 123_459_876 } else { last } as i64;
    let (hi, lo) = (x / 127_773, x % 127_773);
    let t = 16_807 * lo - 2_836 * hi;
    (if t < 0 { t + 0x7fff_ffff } else { t }) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_sequences_are_bashs() {
        let mut r = Random::seeded(42);
        assert_eq!(r.next_value(), 17772);
        let mut r = Random::seeded(1);
        let first: Vec<u32> = (0..3).map(|_| r.next_value()).collect();
        assert_eq!(first, [16807, 10791, 19566]);
        let mut r = Random::seeded(0);
        assert_eq!((r.next_value(), r.next_value()), (20814, 24386));
        assert_eq!(Random::seeded(-5i64 as u32).next_value(), 17653);
        assert_eq!(Random::seeded(99_999_999_999i64 as u32).next_value(), 19962);
    }
}
