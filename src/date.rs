//! Calendar dates from seconds since the epoch and back (UTC), for messages and `APELINT_NOW`;
//! the civil-date arithmetic of Howard Hinnant's `days_from_civil`, so no date crate is needed.

/// `YYYY-MM-DD` for a time in seconds since the epoch.
pub fn format(seconds: i64) -> String {
    let (year, month, day) = civil(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Seconds since the epoch for `YYYY-MM-DD` (midnight UTC), or for a plain number of seconds.
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    let mut parts = text.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400)
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The current time, or `APELINT_NOW` (a date or seconds) for reproducible runs.
pub fn now() -> i64 {
    if let Some(fixed) = std::env::var("APELINT_NOW").ok().and_then(|text| parse(&text)) {
        return fixed;
    }
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(format(0), "1970-01-01");
        assert_eq!(parse("2024-02-29"), Some(1_709_164_800));
        assert_eq!(format(1_709_164_800), "2024-02-29");
        assert_eq!(format(parse("2026-11-26").unwrap() + 3600), "2026-11-26");
        assert_eq!(parse("1700000000"), Some(1_700_000_000));
        assert_eq!(parse("2024-13-01"), None);
        assert_eq!(parse("yesterday"), None);
    }
}
