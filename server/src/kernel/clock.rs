//! The time: every stored time is Unix milliseconds; days and minutes are China time (UTC+8).

use domain::calendar::Date;
use domain::sorting::supervision::Minute;

/// Milliseconds since the Unix epoch: every stored time is in these.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Day number and minute of a moment in China time.
pub fn china_day_minute(unix_ms: i64) -> (i64, Minute) {
    let day = Date::of_china_time(unix_ms).day_number();
    let minute = (unix_ms + domain::calendar::CHINA_OFFSET_MS)
        .div_euclid(60_000)
        .rem_euclid(24 * 60);
    (day, Minute::try_from(minute).unwrap_or_default())
}
