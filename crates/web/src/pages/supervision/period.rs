//! The dashboard's period (`from`/`to`, default: this year to today), the report year (`year`,
//! default: the year before the period's end year) and the quick links.

use chrono::{Datelike, NaiveDate};
use gongkai_store::supervision::Period;
use serde::Deserialize;

use crate::error::AppError;

/// Longest period: the monthly charts stay readable and the month-end counts few.
pub const MAX_MONTHS: i32 = 60;

/// The query string of every dashboard URL.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DashQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub year: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub ok: Option<String>,
}

/// What the query asks for, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub period: Period,
    pub report_year: i32,
    /// The `to` asked for was after today and was cut to today (nothing is counted in the
    /// future: items and cases do not exist yet).
    pub cut_to_today: bool,
}

fn filled(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn date(text: &str, what: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
        AppError::BadRequest(format!(
            "{what}“{text}”无效：请按“年-月-日”填写，例如 2026-01-01"
        ))
    })
}

fn first_of_year(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
}

/// Reads `from`, `to` and `year` of `q` for `today`.
pub fn choose(q: &DashQuery, today: NaiveDate) -> Result<Chosen, AppError> {
    let from = match filled(q.from.as_deref()) {
        Some(t) => date(t, "开始日期")?,
        None => first_of_year(today.year()).unwrap_or(today),
    };
    let asked_to = match filled(q.to.as_deref()) {
        Some(t) => date(t, "结束日期")?,
        None => today,
    };
    let to = asked_to.min(today);
    if from > to {
        return Err(AppError::BadRequest(format!(
            "开始日期 {from} 晚于结束日期 {to}（结束日期最晚为今天）：请调整期间后再查询"
        )));
    }
    let months = (to.year() - from.year()) * 12 + to.month0() as i32 - from.month0() as i32 + 1;
    if months > MAX_MONTHS {
        return Err(AppError::BadRequest(format!(
            "期间跨 {months} 个月，最长 {MAX_MONTHS} 个月：请缩短期间后再查询"
        )));
    }
    let report_year = match filled(q.year.as_deref()) {
        Some(t) => crate::pages::reports::parse_year(t)?,
        None => to.year() - 1,
    };
    Ok(Chosen {
        period: Period { from, to },
        report_year,
        cut_to_today: asked_to > today,
    })
}

/// A quick link: its label and its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickLink {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// 去年, 今年, and each quarter of this year that has begun.
pub fn quick_links(today: NaiveDate) -> Vec<QuickLink> {
    let year = today.year();
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (
        NaiveDate::from_ymd_opt(year - 1, 1, 1),
        NaiveDate::from_ymd_opt(year - 1, 12, 31),
    ) {
        out.push(QuickLink {
            label: format!("{}年全年", year - 1),
            from: a,
            to: b,
        });
    }
    if let Some(a) = first_of_year(year) {
        out.push(QuickLink {
            label: format!("{year}年至今"),
            from: a,
            to: today,
        });
    }
    for (q, (m1, m2, d2)) in [(1, 3, 31), (4, 6, 30), (7, 9, 30), (10, 12, 31)]
        .into_iter()
        .enumerate()
    {
        if let (Some(a), Some(b)) = (
            NaiveDate::from_ymd_opt(year, m1, 1),
            NaiveDate::from_ymd_opt(year, m2, d2),
        ) && a <= today
        {
            out.push(QuickLink {
                label: format!("{year}年第{}季度", ["一", "二", "三", "四"][q]),
                from: a,
                to: b.min(today),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn the_default_is_this_year_to_today_and_the_report_year_before() {
        let c = choose(&DashQuery::default(), d("2026-11-25")).unwrap();
        assert_eq!(c.period.from, d("2026-01-01"));
        assert_eq!(c.period.to, d("2026-11-25"));
        assert_eq!(c.report_year, 2025);
        assert!(!c.cut_to_today);
    }

    #[test]
    fn a_future_end_is_cut_to_today_and_bad_dates_are_refused() {
        let q = DashQuery {
            from: Some("2026-10-01".into()),
            to: Some("2026-12-31".into()),
            ..DashQuery::default()
        };
        let c = choose(&q, d("2026-11-25")).unwrap();
        assert_eq!(c.period.to, d("2026-11-25"));
        assert!(c.cut_to_today);
        let bad = DashQuery {
            from: Some("2026-13-01".into()),
            ..DashQuery::default()
        };
        assert!(choose(&bad, d("2026-11-25")).is_err());
        let reversed = DashQuery {
            from: Some("2026-11-01".into()),
            to: Some("2026-10-01".into()),
            ..DashQuery::default()
        };
        assert!(choose(&reversed, d("2026-11-25")).is_err());
    }

    #[test]
    fn quarters_that_have_begun_are_offered() {
        let links = quick_links(d("2026-05-10"));
        let labels: Vec<&str> = links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "2025年全年",
                "2026年至今",
                "2026年第一季度",
                "2026年第二季度"
            ]
        );
        assert_eq!(links[3].to, d("2026-05-10"));
    }
}
