//! Sliding-window limits ("at most 1 in 60 s and 5 in an hour"), decided from the times of earlier
//! events. The store keeps the events, so every app server sees the same counts.

/// At most `max` events in any `window_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub window_ms: i64,
    pub max: u32,
}

impl Window {
    pub const fn per_seconds(max: u32, seconds: i64) -> Window {
        Window {
            window_ms: seconds * 1000,
            max,
        }
    }
}

/// Refused: try again after this many milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub i64);

impl RetryAfter {
    /// Whole seconds, rounded up, for a `Retry-After` header.
    pub fn seconds(self) -> i64 {
        (self.0 + 999) / 1000
    }
}

/// Whether one more event may happen at `now_ms`, given the times of earlier events (any order).
/// When several windows refuse, the longest wait wins.
pub fn check(earlier_ms: &[i64], now_ms: i64, windows: &[Window]) -> Result<(), RetryAfter> {
    let mut wait = 0i64;
    for w in windows {
        let start = now_ms - w.window_ms;
        let mut inside: Vec<i64> = earlier_ms
            .iter()
            .copied()
            .filter(|&t| t > start && t <= now_ms)
            .collect();
        if inside.len() as u64 >= u64::from(w.max) {
            inside.sort_unstable();
            // The event that must leave the window before one more fits.
            let blocking = inside[inside.len() - w.max as usize];
            wait = wait.max(blocking + w.window_ms - now_ms);
        }
    }
    if wait > 0 {
        Err(RetryAfter(wait))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OTP_SENDS: [Window; 2] = [Window::per_seconds(1, 60), Window::per_seconds(5, 3600)];

    #[test]
    fn first_event_is_allowed() {
        assert_eq!(check(&[], 1_000_000, &OTP_SENDS), Ok(()));
    }

    #[test]
    fn one_per_minute() {
        let now = 10_000_000;
        assert_eq!(
            check(&[now - 20_000], now, &OTP_SENDS),
            Err(RetryAfter(40_000))
        );
        assert_eq!(RetryAfter(40_000).seconds(), 40);
        assert_eq!(RetryAfter(40_001).seconds(), 41);
        // Exactly 60 s later the window has moved on.
        assert_eq!(check(&[now - 60_000], now, &OTP_SENDS), Ok(()));
    }

    #[test]
    fn five_per_hour_counts_the_oldest_that_must_expire() {
        let now = 100_000_000;
        let sends: Vec<i64> = (1..=5).map(|i| now - i * 600_000).collect(); // 10..50 min ago
        // The oldest of the five (50 min ago) leaves the hour in 10 min.
        assert_eq!(check(&sends, now, &OTP_SENDS), Err(RetryAfter(600_000)));
        // Events older than the window do not count.
        let old: Vec<i64> = (1..=5).map(|i| now - 3_600_000 - i).collect();
        assert_eq!(check(&old, now, &OTP_SENDS), Ok(()));
    }

    #[test]
    fn the_longest_wait_wins_and_order_does_not_matter() {
        let now = 100_000_000;
        let sends = vec![
            now - 1_000,
            now - 1_200_000,
            now - 2_400_000,
            now - 600_000,
            now - 1_800_000,
        ];
        assert_eq!(
            check(&sends, now, &OTP_SENDS),
            Err(RetryAfter(3_600_000 - 2_400_000))
        );
    }

    #[test]
    fn future_events_are_ignored() {
        // Clock skew between servers must not lock anyone out forever.
        let now = 1_000_000;
        assert_eq!(check(&[now + 5_000], now, &OTP_SENDS), Ok(()));
    }
}
