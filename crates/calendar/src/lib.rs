//! The official working-day calendar of the People's Republic of China.
//!
//! Deadlines under the 《政府信息公开条例》 are counted in 工作日 (Arts 26, 30, 32, 33). A working day
//! is Monday–Friday, minus the official holidays, plus the weekend days that the State Council's
//! yearly notice turns into working days (调休上班). See `spec/legal-rules.md` §D.
//!
//! The data for 2007–2026 is embedded in the binary (`data/cn-holidays.json`). Later years are added
//! at run time from a file of the same format ([`Calendar::import_year_file`]), because the State
//! Council publishes each year's schedule only in Oct–Dec of the year before.
//!
//! Asking about a day in a year without data is an explicit [`CalendarError::YearNotLoaded`]: the
//! calendar fails closed rather than guess, since a guessed deadline can be a wrong legal deadline.
//!
//! This crate is pure: no IO. Reading and storing year files is the caller's job.

mod data;
mod error;

pub use data::{YearData, parse_year_file};
pub use error::CalendarError;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// The kind of a calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// Monday–Friday, not a holiday.
    Workday,
    /// A Saturday or Sunday made a working day by the State Council notice (调休上班).
    AdjustedWorkday,
    /// A day inside an official holiday block (法定节假日及调休放假).
    Holiday,
    /// An ordinary Saturday or Sunday.
    Weekend,
}

impl DayKind {
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Workday | DayKind::AdjustedWorkday)
    }

    /// The Chinese words for this kind, as shown to users.
    pub fn label(self) -> &'static str {
        match self {
            DayKind::Workday => "工作日",
            DayKind::AdjustedWorkday => "调休上班",
            DayKind::Holiday => "法定节假日",
            DayKind::Weekend => "周末休息日",
        }
    }
}

/// The working-day calendar: the official schedule for every year it knows.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
}

/// The holiday file shipped with gongkai (2007–2026), copied from `shared/data/cn-holidays.json`.
const OFFICIAL_DATA: &str = include_str!("../../../data/cn-holidays.json");

impl Calendar {
    /// The calendar with the embedded official data (2007–2026).
    pub fn official() -> Self {
        // The embedded file is checked by the test `embedded_data_parses`; an error here would mean a
        // broken build, so falling back to an empty calendar (which refuses every date) is safe.
        let years = parse_year_file(OFFICIAL_DATA).unwrap_or_default();
        Calendar { years }
    }

    /// A calendar with no data at all; every question is answered with `YearNotLoaded`.
    pub fn empty() -> Self {
        Calendar {
            years: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) years from the text of a file in the `cn-holidays.json` format.
    /// Returns the years that the file contained. Nothing is changed if the file is invalid.
    pub fn import_year_file(&mut self, json: &str) -> Result<Vec<i32>, CalendarError> {
        let parsed = parse_year_file(json)?;
        let years: Vec<i32> = parsed.keys().copied().collect();
        self.years.extend(parsed);
        Ok(years)
    }

    /// The years this calendar has data for, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// The data of one year, if loaded.
    pub fn year(&self, year: i32) -> Option<&YearData> {
        self.years.get(&year)
    }

    /// What kind of day `date` is.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let year = self
            .years
            .get(&date.year())
            .ok_or(CalendarError::YearNotLoaded { year: date.year() })?;
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        Ok(if year.workdays.contains(&date) {
            DayKind::AdjustedWorkday
        } else if year.holidays.contains(&date) {
            DayKind::Holiday
        } else if weekend {
            DayKind::Weekend
        } else {
            DayKind::Workday
        })
    }

    /// `is_working_day(d) = d ∈ workdays OR (Mon–Fri AND d ∉ holidays)` (legal-rules.md §D.1).
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working())
    }

    /// The `n`-th working day after `start`. The start day itself is not counted (《民法典》 Art 201:
    /// 开始的当日不计入; legal-rules.md §A.6). `n = 0` returns `start` unchanged.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        // Check the start year even when n = 0, so that a date outside the data never passes silently.
        self.day_kind(start)?;
        let mut date = start;
        let mut counted = 0;
        while counted < n {
            date = next_day(date)?;
            if self.is_working_day(date)? {
                counted += 1;
            }
        }
        Ok(date)
    }

    /// The number of working days `d` with `from < d <= to`, so that
    /// `working_days_between(a, add_working_days(a, n)) == n`. Negative when `to < from`.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, CalendarError> {
        let (lo, hi, sign) = if from <= to {
            (from, to, 1)
        } else {
            (to, from, -1)
        };
        self.day_kind(lo)?;
        self.day_kind(hi)?;
        let mut count = 0i64;
        let mut date = lo;
        while date < hi {
            date = next_day(date)?;
            if self.is_working_day(date)? {
                count += 1;
            }
        }
        Ok(sign * count)
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let mut d = date;
        while !self.is_working_day(d)? {
            d = next_day(d)?;
        }
        Ok(d)
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar::official()
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(1))
        .ok_or(CalendarError::DateOutOfRange { date })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn embedded_data_parses_and_covers_2007_to_2026() {
        let years = parse_year_file(OFFICIAL_DATA).expect("embedded data must parse");
        let list: Vec<i32> = years.keys().copied().collect();
        assert_eq!(list, (2007..=2026).collect::<Vec<_>>());
    }

    #[test]
    fn adjusted_workday_2026_02_14_is_working() {
        let cal = Calendar::official();
        assert_eq!(
            cal.day_kind(d("2026-02-14")).unwrap(),
            DayKind::AdjustedWorkday
        );
        assert_eq!(cal.day_kind(d("2026-02-16")).unwrap(), DayKind::Holiday);
        assert_eq!(cal.day_kind(d("2026-03-07")).unwrap(), DayKind::Weekend);
        assert_eq!(cal.day_kind(d("2026-03-09")).unwrap(), DayKind::Workday);
    }

    #[test]
    fn unknown_year_is_an_error_naming_the_year() {
        let cal = Calendar::official();
        let err = cal.is_working_day(d("2027-03-01")).unwrap_err();
        assert_eq!(err, CalendarError::YearNotLoaded { year: 2027 });
        let msg = err.to_string();
        assert!(msg.contains("2027"), "{msg}");
        assert!(msg.contains("gongkai calendar import"), "{msg}");
        // A deadline that runs from 2026 into 2027 is refused too, never guessed.
        assert!(cal.add_working_days(d("2026-12-20"), 20).is_err());
    }

    #[test]
    fn working_days_per_year_match_the_spec() {
        // legal-rules.md §D.1: working days per year from the package.
        let cal = Calendar::official();
        for (year, expected) in [
            (2019, 250),
            (2020, 249),
            (2021, 250),
            (2022, 249),
            (2023, 249),
            (2024, 251),
            (2025, 248),
            (2026, 248),
        ] {
            let last_of_previous = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
            let count = cal
                .working_days_between(
                    last_of_previous,
                    NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
                )
                .unwrap()
                + i64::from(cal.is_working_day(last_of_previous).unwrap());
            assert_eq!(count, expected, "year {year}");
        }
    }

    #[test]
    fn zero_days_returns_the_start() {
        let cal = Calendar::official();
        assert_eq!(
            cal.add_working_days(d("2025-01-20"), 0).unwrap(),
            d("2025-01-20")
        );
    }
}
