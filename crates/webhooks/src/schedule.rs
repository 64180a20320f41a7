//! When to try a delivery again (docs/webhooks.md): about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
//! 14 h, 20 h, 24 h — some three days — with jitter, honouring `Retry-After` up to twice the
//! step it replaces.

use chrono::Duration;

/// The wait after the n-th failed attempt (1-based); `None` when the schedule is over.
const STEPS: [i64; 9] = [
    5,
    5 * 60,
    30 * 60,
    2 * 3600,
    5 * 3600,
    10 * 3600,
    14 * 3600,
    20 * 3600,
    24 * 3600,
];

/// Attempts a delivery gets in all: the first and one per step.
pub const MAX_ATTEMPTS: i32 = STEPS.len() as i32 + 1;

/// The step after `attempts` failures, before jitter.
pub fn step(attempts: i32) -> Option<Duration> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    STEPS.get(index).map(|s| Duration::seconds(*s))
}

/// The wait before the next attempt: the step, ±10 % (`jitter` in -1.0..=1.0 picks where),
/// or what the receiver asked in `Retry-After`, capped at twice the step so a partner
/// cannot park its deliveries for ever. `None`: give up.
pub fn next_wait(attempts: i32, jitter: f64, retry_after: Option<Duration>) -> Option<Duration> {
    let step = step(attempts)?;
    if let Some(asked) = retry_after.filter(|a| *a > Duration::zero()) {
        return Some(asked.min(step * 2));
    }
    let spread = step.num_milliseconds() as f64 * 0.1 * jitter.clamp(-1.0, 1.0);
    Some(step + Duration::milliseconds(spread as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_spans_about_three_days() {
        let total: i64 = (1..MAX_ATTEMPTS)
            .map(|n| step(n).unwrap().num_seconds())
            .sum();
        assert!(
            (3 * 86_400 - 6 * 3600..=3 * 86_400 + 6 * 3600).contains(&total),
            "{total}"
        );
        assert_eq!(step(1), Some(Duration::seconds(5)));
        assert_eq!(step(MAX_ATTEMPTS), None);
        assert_eq!(step(0), None);
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        let low = next_wait(2, -1.0, None).unwrap();
        let high = next_wait(2, 1.0, None).unwrap();
        assert_eq!(low, Duration::seconds(270));
        assert_eq!(high, Duration::seconds(330));
    }

    #[test]
    fn retry_after_is_honoured_up_to_twice_the_step() {
        assert_eq!(
            next_wait(1, 0.0, Some(Duration::seconds(8))),
            Some(Duration::seconds(8))
        );
        assert_eq!(
            next_wait(1, 0.0, Some(Duration::hours(5))),
            Some(Duration::seconds(10)),
            "capped"
        );
        assert_eq!(
            next_wait(MAX_ATTEMPTS, 0.0, Some(Duration::seconds(1))),
            None
        );
    }
}
