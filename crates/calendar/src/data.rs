//! The `cn-holidays.json` file format: `{ "YYYY": { "holidays": [...], "workdays": [...] } }`.

use crate::CalendarError;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// One year of the official schedule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearData {
    /// Every calendar day inside an official holiday block, weekend days included.
    pub holidays: BTreeSet<NaiveDate>,
    /// Weekend days made working days (调休上班).
    pub workdays: BTreeSet<NaiveDate>,
}

#[derive(serde::Deserialize)]
struct RawYear {
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

/// Parses and validates a holiday file. Keys starting with `_` (comments) are ignored.
pub fn parse_year_file(json: &str) -> Result<BTreeMap<i32, YearData>, CalendarError> {
    let raw: BTreeMap<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| CalendarError::InvalidJson(e.to_string()))?;
    let mut years = BTreeMap::new();
    for (key, value) in raw {
        if key.starts_with('_') {
            continue;
        }
        let year: i32 = key
            .parse()
            .ok()
            .filter(|y| (1949..=9999).contains(y) && key.len() == 4)
            .ok_or_else(|| CalendarError::InvalidYear(key.clone()))?;
        let raw_year: RawYear = serde_json::from_value(value)
            .map_err(|e| CalendarError::InvalidJson(format!("{year} 年：{e}")))?;
        let holidays = parse_dates(year, &raw_year.holidays)?;
        let workdays = parse_dates(year, &raw_year.workdays)?;
        if let Some(date) = holidays.intersection(&workdays).next() {
            return Err(CalendarError::BothHolidayAndWorkday { date: *date });
        }
        if let Some(date) = workdays
            .iter()
            .find(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        {
            return Err(CalendarError::WorkdayNotOnWeekend { date: *date });
        }
        years.insert(year, YearData { holidays, workdays });
    }
    if years.is_empty() {
        return Err(CalendarError::NoYears);
    }
    Ok(years)
}

fn parse_dates(year: i32, values: &[String]) -> Result<BTreeSet<NaiveDate>, CalendarError> {
    values
        .iter()
        .map(|value| {
            let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
                CalendarError::InvalidDate {
                    year,
                    value: value.clone(),
                }
            })?;
            if date.year() != year {
                return Err(CalendarError::DateOutsideYear { year, date });
            }
            Ok(date)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_a_workday_that_is_not_a_weekend() {
        let err = parse_year_file(r#"{"2027": {"holidays": [], "workdays": ["2027-03-01"]}}"#)
            .unwrap_err();
        assert!(matches!(err, CalendarError::WorkdayNotOnWeekend { .. }));
    }

    #[test]
    fn rejects_a_date_of_another_year() {
        let err = parse_year_file(r#"{"2027": {"holidays": ["2026-12-31"]}}"#).unwrap_err();
        assert!(matches!(
            err,
            CalendarError::DateOutsideYear { year: 2027, .. }
        ));
    }

    #[test]
    fn rejects_garbage_with_a_chinese_message() {
        let err = parse_year_file("not json").unwrap_err();
        assert!(err.to_string().contains("不是有效的 JSON"));
        assert!(matches!(
            parse_year_file(r#"{"27": {}}"#).unwrap_err(),
            CalendarError::InvalidYear(_)
        ));
        assert!(matches!(
            parse_year_file(r#"{"2027": {"holidays": ["2027-02-30"]}}"#).unwrap_err(),
            CalendarError::InvalidDate { .. }
        ));
        assert_eq!(parse_year_file("{}").unwrap_err(), CalendarError::NoYears);
    }

    #[test]
    fn ignores_comment_keys() {
        let years = parse_year_file(
            r#"{"_comment": "x", "2027": {"holidays": ["2027-01-01"], "workdays": []}}"#,
        )
        .unwrap();
        assert_eq!(years.len(), 1);
    }
}
