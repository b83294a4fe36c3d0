//! Calendar dates from seconds since the epoch and back (UTC), for messages and `APELINT_NOW`;
//! the civil-date arithmetic of Howard Hinnant's `days_from_civil`, so no date crate is needed.

/// `YYYY-MM-DD` for a time in seconds since the epoch.
pub fn format(seconds: i64) -> String {
    let (year, month, day) = civil(seconds.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Seconds since the epoch for a calendar day written `YYYY-MM-DD` (midnight UTC); `None` for
/// anything else, a day that does not exist (`2026-02-31`) included.
pub fn parse_day(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A length of time for `apelint trend` (`--since 1y`, `--every 1mo`): calendar months and years,
/// or days and weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub months: i64,
    pub days: i64,
}

impl Span {
    /// `30d`, `2w`, `1mo`, `1y` (also `day`, `week`, `month`, `year`, and plurals); the number is
    /// at least 1.
    pub fn parse(text: &str) -> Result<Span, String> {
        let text = text.trim();
        let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let number: i64 = number.parse().ok().filter(|number| (1..=10_000).contains(number)).ok_or_else(|| {
            format!("`{text}` is not a length of time: write a number from 1 and a unit, like 30d, 2w, 1mo or 1y")
        })?;
        let span = match unit.trim().to_ascii_lowercase().as_str() {
            "d" | "day" | "days" => Span { months: 0, days: number },
            "w" | "week" | "weeks" => Span { months: 0, days: 7 * number },
            "mo" | "month" | "months" => Span { months: number, days: 0 },
            "y" | "year" | "years" => Span { months: 12 * number, days: 0 },
            other => {
                return Err(format!(
                    "`{other}` is not a unit of time: use d (days), w (weeks), mo (months) or y (years)"
                ));
            }
        };
        Ok(span)
    }

    /// `time` moved back by this span `times` times: the same day of an earlier month (the last
    /// day of a shorter month), same time of day.
    pub fn back(self, time: i64, times: i64) -> i64 {
        let (days, seconds) = (time.div_euclid(86_400), time.rem_euclid(86_400));
        let (year, month, day) = civil(days - self.days * times);
        let months = year * 12 + (month - 1) - self.months * times;
        let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
        days_from_civil(year, month, day.min(days_in_month(year, month))) * 86_400 + seconds
    }
}

impl std::fmt::Display for Span {
    /// The shortest way to write it back: `1y`, `6mo`, `2w`, `10d`.
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.months, self.days) {
            (months, 0) if months % 12 == 0 => write!(out, "{}y", months / 12),
            (months, 0) => write!(out, "{months}mo"),
            (0, days) if days % 7 == 0 => write!(out, "{}w", days / 7),
            (months, days) if months > 0 => write!(out, "{months}mo{days}d"),
            (_, days) => write!(out, "{days}d"),
        }
    }
}

/// `APELINT_NOW`: a day (`YYYY-MM-DD`), an RFC 3339 time (`2026-08-22T13:20:35+01:00`, what
/// `git log --format=%cI` and `date -Iseconds` print), or whole seconds since the epoch.
pub fn parse_now(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse().ok().filter(|seconds| *seconds <= MAX_SECONDS);
    }
    match text.get(10..) {
        Some(rest) if !rest.is_empty() => parse_day(text.get(..10)?)?.checked_add(parse_time(rest)?),
        _ => parse_day(text),
    }
}

/// The time of day and offset after an RFC 3339 date (`T13:20:35`, fractions of a second, then `Z`
/// or `+01:00`), as seconds to add to the day's midnight UTC.
fn parse_time(text: &str) -> Option<i64> {
    let text = text.strip_prefix(['T', 't', ' '])?;
    let number = |part: &str, max: i64| -> Option<i64> {
        (part.len() == 2 && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let (hour, minute, second) =
        (number(text.get(0..2)?, 23)?, number(text.get(3..5)?, 59)?, number(text.get(6..8)?, 60)?);
    if text.as_bytes().get(2) != Some(&b':') || text.as_bytes().get(5) != Some(&b':') {
        return None;
    }
    let mut rest = &text[8..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (number(rest.get(1..3)?, 23)? * 3600 + number(rest.get(4..6)?, 59)? * 60)
        }
    };
    Some(hour * 3600 + minute * 60 + second - offset)
}

/// The year 9999's end: later "now"s are typing mistakes.
const MAX_SECONDS: i64 = 253_402_300_799;

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

/// The current time, or `APELINT_NOW` (a day or seconds) for reproducible runs; a value that is
/// neither is an error, not a silent fallback to the clock.
pub fn now() -> Result<i64, String> {
    match std::env::var("APELINT_NOW") {
        Ok(text) if !text.is_empty() => parse_now(&text).ok_or_else(|| {
            format!(
                "APELINT_NOW must be a day (YYYY-MM-DD), a time (2026-08-22T13:20:35+01:00) or seconds since 1970, found `{}`",
                crate::escape::printable(&text)
            )
        }),
        Err(std::env::VarError::NotUnicode(_)) => Err("APELINT_NOW is not UTF-8".to_string()),
        _ => Ok(clock()),
    }
}

/// The system clock, in seconds since the epoch.
pub fn clock() -> i64 {
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
        assert_eq!(parse_day("2024-02-29"), Some(1_709_164_800));
        assert_eq!(format(1_709_164_800), "2024-02-29");
        assert_eq!(format(parse_day("2026-11-26").unwrap() + 3600), "2026-11-26");
        assert_eq!(parse_now("1700000000"), Some(1_700_000_000));
        assert_eq!(parse_now("2026-05-20"), parse_day("2026-05-20"));
    }

    #[test]
    fn rfc3339_times_are_read_with_their_offset() {
        let day = parse_day("2026-08-22").unwrap();
        assert_eq!(parse_now("2026-08-22T13:20:35+01:00"), Some(day + 12 * 3600 + 20 * 60 + 35));
        assert_eq!(parse_now("2026-08-22T13:20:35Z"), Some(day + 13 * 3600 + 20 * 60 + 35));
        assert_eq!(parse_now("2026-08-22 13:20:35.123-02:30"), Some(day + 15 * 3600 + 50 * 60 + 35));
        for bad in [
            "2026-08-22T13:20",
            "2026-08-22T25:00:00Z",
            "2026-08-22T13:20:35",
            "2026-08-22T13:20:35+0100",
            "2026-08-22T13:20:35.Z",
            "2026-08-22x13:20:35Z",
            "2026-02-31T00:00:00Z",
            "2026-08-22T13:20:35+01:00junk",
        ] {
            assert_eq!(parse_now(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_that_do_not_exist_and_other_shapes_are_refused() {
        for bad in [
            "2024-13-01",
            "2026-02-31",
            "2025-02-29",
            "2026-04-31",
            "2026-00-10",
            "2026-01-00",
            "yesterday",
            "1700000000",
            "2026-1-5",
            "2026-01-05T10:00",
            " 2026-01-05",
            "+026-01-05",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
        assert_eq!(parse_now("99999999999999999999"), None);
        assert_eq!(parse_now("-5"), None);
        assert_eq!(parse_now("garbage"), None);
    }

    #[test]
    fn spans_step_back_by_calendar_months() {
        let month = Span::parse("1mo").unwrap();
        let day = |text| parse_day(text).unwrap();
        assert_eq!(month.back(day("2026-03-31"), 1), day("2026-02-28"));
        assert_eq!(month.back(day("2026-03-31"), 12), day("2025-03-31"));
        assert_eq!(Span::parse("1y").unwrap().back(day("2024-02-29"), 1), day("2023-02-28"));
        assert_eq!(Span::parse("2w").unwrap().back(day("2026-01-15"), 1), day("2026-01-01"));
        assert_eq!(Span::parse("30 days"), Ok(Span { months: 0, days: 30 }));
        let written: Vec<String> =
            ["24mo", "6 months", "14d", "3d"].iter().map(|s| Span::parse(s).unwrap().to_string()).collect();
        assert_eq!(written, ["2y", "6mo", "2w", "3d"]);
        assert!(Span::parse("0d").is_err() && Span::parse("1fortnight").is_err() && Span::parse("y").is_err());
    }
}
