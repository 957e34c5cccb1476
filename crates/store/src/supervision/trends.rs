//! Monthly series of a subtree for the dashboard's charts: items published, applications
//! received and closed per month (one grouped query per chunk of organs), and applications
//! overdue at each month's end (the [`Measure::ApplicationsOverdue`] count with the month's last
//! day as the period end: one grouped query per month and chunk).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;

use super::{Measure, Period, Supervision};
use crate::error::Result;
use crate::items::{ID_CHUNK, ids_query};

/// One month of a series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    pub value: i64,
}

/// A monthly series over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    pub measure: Measure,
    pub points: Vec<MonthPoint>,
}

/// The months the period touches, each with its part of the period.
pub fn months(period: &Period) -> Vec<(String, Period)> {
    let mut out = Vec::new();
    let mut start = period.from;
    while start <= period.to {
        let next = if start.month() == 12 {
            NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
        };
        let Some(next) = next else { break };
        let end = next.pred_opt().unwrap_or(next).min(period.to);
        out.push((
            format!("{:04}-{:02}", start.year(), start.month()),
            Period {
                from: start,
                to: end,
            },
        ));
        start = next;
    }
    out
}

impl Measure {
    /// The date column a month groups by, for the measures counted by one date in the period.
    fn month_column(self) -> Option<&'static str> {
        match self {
            Measure::ItemsPublished => Some("published_on"),
            Measure::ApplicationsReceived => Some("received_on"),
            Measure::ApplicationsClosed => Some("closed_on"),
            _ => None,
        }
    }
}

impl Supervision<'_> {
    /// The monthly series of `measure` summed over `organ_ids`. Measures dated by one column
    /// (published, received, closed) group by its month; the others are counted at each month's
    /// end with that day as the period end (used for the overdue applications).
    pub async fn monthly(
        &self,
        measure: Measure,
        organ_ids: &[i64],
        period: &Period,
    ) -> Result<Series> {
        let months = months(period);
        let mut points: Vec<MonthPoint> = months
            .iter()
            .map(|(m, _)| MonthPoint {
                month: m.clone(),
                value: 0,
            })
            .collect();
        if let Some(column) = measure.month_column() {
            for chunk in organ_ids.chunks(ID_CHUNK) {
                let n = chunk.len();
                let (condition, binds) = measure.condition(period, n + 1);
                let mut query = ids_query(chunk, |list| {
                    format!(
                        "SELECT substr(r.{column}, 1, 7) AS month, COUNT(*) AS n FROM {} r \
                         WHERE r.organ_id IN ({}) AND {condition} GROUP BY substr(r.{column}, 1, 7)",
                        measure.table().name(),
                        list
                    )
                });
                for b in binds {
                    query = query.bind(b);
                }
                for row in &query.fetch_all(self.store.pool()).await? {
                    let month: String = row.try_get("month")?;
                    let n: i64 = row.try_get("n")?;
                    if let Some(p) = points.iter_mut().find(|p| p.month == month) {
                        p.value += n;
                    }
                }
            }
        } else {
            // Counted at each month's end: the measure's own condition with that day as the
            // period's end, one `SUM(CASE …)` per month, so each chunk of organs is read once
            // (not once per month).
            for chunk in organ_ids.chunks(ID_CHUNK) {
                let n = chunk.len();
                let mut sums = Vec::with_capacity(months.len());
                let mut binds = Vec::new();
                for (k, (_, part)) in months.iter().enumerate() {
                    let at_end = Period {
                        from: period.from,
                        to: part.to,
                    };
                    let (condition, values) = measure.condition(&at_end, n + 1 + binds.len());
                    sums.push(format!(
                        "SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS m{k}"
                    ));
                    binds.extend(values);
                }
                let mut query = ids_query(chunk, |list| {
                    format!(
                        "SELECT {} FROM {} r WHERE r.organ_id IN ({})",
                        sums.join(", "),
                        measure.table().name(),
                        list
                    )
                });
                for b in binds {
                    query = query.bind(b);
                }
                if let Some(row) = query.fetch_optional(self.store.pool()).await? {
                    for (k, point) in points.iter_mut().enumerate() {
                        // NULL when the organs have no row at all.
                        let value: Option<i64> = row.try_get(format!("m{k}").as_str())?;
                        point.value += value.unwrap_or(0);
                    }
                }
            }
        }
        Ok(Series { measure, points })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn months_cover_the_period_and_cut_its_ends() {
        let m = months(&Period {
            from: d("2025-11-15"),
            to: d("2026-02-10"),
        });
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(m[0].1.from, d("2025-11-15"));
        assert_eq!(m[1].1.to, d("2025-12-31"));
        assert_eq!(m[3].1.to, d("2026-02-10"));
    }
}
