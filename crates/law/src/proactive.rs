//! The deadline for proactive disclosure (主动公开), 条例 Art 26.
//!
//! "属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。法律、法规对
//! 政府信息公开的期限另有规定的，从其规定。" The start day is not counted (legal-rules.md §A.6).

use crate::error::ProactiveError;
use chrono::NaiveDate;
use gongkai_calendar::{Calendar, CalendarError};
use serde::{Deserialize, Serialize};

/// 条例 Art 26: 20 working days from the day the information is formed or changed.
pub const PROACTIVE_DISCLOSURE_WORKING_DAYS: u32 = 20;

/// The last day to publish information formed or changed on `formed_or_changed_on` (条例 Art 26).
pub fn proactive_due_date(
    formed_or_changed_on: NaiveDate,
    calendar: &Calendar,
) -> Result<NaiveDate, CalendarError> {
    proactive_due_date_with_period(formed_or_changed_on, None, calendar)
}

/// As [`proactive_due_date`], with the period another 法律、法规 sets for this item in place of the
/// 20 working days when `statutory_period_working_days` is given (条例 Art 26, second sentence).
/// A period of 0 means the same day.
pub fn proactive_due_date_with_period(
    formed_or_changed_on: NaiveDate,
    statutory_period_working_days: Option<u32>,
    calendar: &Calendar,
) -> Result<NaiveDate, CalendarError> {
    let period = statutory_period_working_days.unwrap_or(PROACTIVE_DISCLOSURE_WORKING_DAYS);
    calendar.add_working_days(formed_or_changed_on, period)
}

/// Whether an item was published within its period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PublicationTimeliness {
    /// Published on or before the due date.
    OnTime { due_date: NaiveDate },
    /// Published after the due date. `working_days_late` counts the working days after the due
    /// date up to and including the publication day; it is 0 when publication fell on the rest
    /// days right after the due date (still late: the due date is a calendar date).
    Late {
        due_date: NaiveDate,
        working_days_late: u32,
        calendar_days_late: u32,
    },
}

impl PublicationTimeliness {
    pub fn is_late(&self) -> bool {
        matches!(self, PublicationTimeliness::Late { .. })
    }

    pub fn due_date(&self) -> NaiveDate {
        match self {
            PublicationTimeliness::OnTime { due_date }
            | PublicationTimeliness::Late { due_date, .. } => *due_date,
        }
    }

    /// One Chinese sentence for the item's record, e.g.
    /// "公开期限至2025-02-05（条例第二十六条），实际于2025-02-07公开，逾期2个工作日。"
    pub fn explanation(&self, published_on: NaiveDate) -> String {
        match self {
            PublicationTimeliness::OnTime { due_date } => {
                format!(
                    "公开期限至{due_date}（条例第二十六条），实际于{published_on}公开，按时公开。"
                )
            }
            PublicationTimeliness::Late {
                due_date,
                working_days_late,
                calendar_days_late,
            } => {
                if *working_days_late > 0 {
                    format!(
                        "公开期限至{due_date}（条例第二十六条），实际于{published_on}公开，\
                         逾期{working_days_late}个工作日。"
                    )
                } else {
                    format!(
                        "公开期限至{due_date}（条例第二十六条），实际于{published_on}公开，\
                         晚于期限{calendar_days_late}天。"
                    )
                }
            }
        }
    }
}

/// Classifies a publication on `published_on` of information formed or changed on
/// `formed_or_changed_on`, with an optional statutory period in place of Art 26's 20 working days.
pub fn classify_publication(
    formed_or_changed_on: NaiveDate,
    published_on: NaiveDate,
    statutory_period_working_days: Option<u32>,
    calendar: &Calendar,
) -> Result<PublicationTimeliness, ProactiveError> {
    if published_on < formed_or_changed_on {
        return Err(ProactiveError::PublishedBeforeFormed {
            formed_on: formed_or_changed_on,
            published_on,
        });
    }
    let due_date = proactive_due_date_with_period(
        formed_or_changed_on,
        statutory_period_working_days,
        calendar,
    )?;
    if published_on <= due_date {
        return Ok(PublicationTimeliness::OnTime { due_date });
    }
    let working = calendar.working_days_between(due_date, published_on)?;
    let calendar_days = (published_on - due_date).num_days();
    Ok(PublicationTimeliness::Late {
        due_date,
        working_days_late: u32::try_from(working).unwrap_or(u32::MAX),
        calendar_days_late: u32::try_from(calendar_days).unwrap_or(u32::MAX),
    })
}

/// Where unpublished information stands against its Art 26 due date on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PendingTimeliness {
    /// Still in time: `working_days_left` working days after today up to and including the due
    /// date (0 on the due date itself).
    InTime {
        due_date: NaiveDate,
        working_days_left: i64,
    },
    /// The due date has passed: `working_days_late` working days after it up to today.
    Overdue {
        due_date: NaiveDate,
        working_days_late: i64,
    },
}

impl PendingTimeliness {
    /// Art 26 status on `today` of information due on `due_date`.
    pub fn on(
        due_date: NaiveDate,
        today: NaiveDate,
        calendar: &Calendar,
    ) -> Result<PendingTimeliness, CalendarError> {
        if today <= due_date {
            Ok(PendingTimeliness::InTime {
                due_date,
                working_days_left: calendar.working_days_between(today, due_date)?,
            })
        } else {
            Ok(PendingTimeliness::Overdue {
                due_date,
                working_days_late: calendar.working_days_between(due_date, today)?,
            })
        }
    }

    pub fn is_overdue(&self) -> bool {
        matches!(self, PendingTimeliness::Overdue { .. })
    }

    /// One Chinese sentence for the item's page.
    pub fn explanation(&self, formed_on: NaiveDate) -> String {
        match self {
            PendingTimeliness::InTime {
                due_date,
                working_days_left,
            } => format!(
                "成文日期 {formed_on}，依条例第二十六条应于 {due_date} 前公开，还剩 {working_days_left} 个工作日。"
            ),
            PendingTimeliness::Overdue {
                due_date,
                working_days_late,
            } => format!(
                "成文日期 {formed_on}，公开期限 {due_date} 已过，已逾期 {working_days_late} 个工作日：请尽快审核发布（条例第二十六条）。"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn art_26_vector_2024_12_31() {
        // legal-rules.md §D.3: formed 2024-12-31 → due 2025-02-05 (across 元旦 and 春节).
        let cal = Calendar::official();
        assert_eq!(
            proactive_due_date(d("2024-12-31"), &cal).unwrap(),
            d("2025-02-05")
        );
    }

    #[test]
    fn statutory_override_replaces_20_days() {
        let cal = Calendar::official();
        // 2025-01-20 + 7 working days: 21,22,23,24,26(调休),27, then 02-05.
        assert_eq!(
            proactive_due_date_with_period(d("2025-01-20"), Some(7), &cal).unwrap(),
            d("2025-02-05")
        );
        assert_eq!(
            proactive_due_date_with_period(d("2025-01-20"), Some(0), &cal).unwrap(),
            d("2025-01-20")
        );
    }

    #[test]
    fn classification() {
        let cal = Calendar::official();
        let formed = d("2024-12-31");
        let on_time = classify_publication(formed, d("2025-02-05"), None, &cal).unwrap();
        assert_eq!(
            on_time,
            PublicationTimeliness::OnTime {
                due_date: d("2025-02-05")
            }
        );
        assert!(!on_time.is_late());

        let late = classify_publication(formed, d("2025-02-07"), None, &cal).unwrap();
        assert_eq!(
            late,
            PublicationTimeliness::Late {
                due_date: d("2025-02-05"),
                working_days_late: 2,
                calendar_days_late: 2
            }
        );
        assert_eq!(
            late.explanation(d("2025-02-07")),
            "公开期限至2025-02-05（条例第二十六条），实际于2025-02-07公开，逾期2个工作日。"
        );

        // A 4-day statutory period from Monday 2025-03-03 ends Friday 03-07; publication on
        // Sunday 03-09 is late by calendar date with no working day in between.
        let sunday = d("2025-03-09");
        let t = classify_publication(d("2025-03-03"), sunday, Some(4), &cal).unwrap();
        assert_eq!(
            t,
            PublicationTimeliness::Late {
                due_date: d("2025-03-07"),
                working_days_late: 0,
                calendar_days_late: 2
            }
        );
        assert_eq!(
            t.explanation(sunday),
            "公开期限至2025-03-07（条例第二十六条），实际于2025-03-09公开，晚于期限2天。"
        );
    }

    #[test]
    fn publication_before_formation_is_an_error() {
        let cal = Calendar::official();
        let err = classify_publication(d("2025-03-01"), d("2025-02-01"), None, &cal).unwrap_err();
        assert!(matches!(err, ProactiveError::PublishedBeforeFormed { .. }));
    }

    #[test]
    fn unloaded_year_is_an_error() {
        let cal = Calendar::official();
        assert!(proactive_due_date(d("2026-12-20"), &cal).is_err());
        let err = classify_publication(d("2026-12-20"), d("2027-01-30"), None, &cal).unwrap_err();
        assert!(err.to_string().contains("2027"), "{err}");
    }

    #[test]
    fn unpublished_information_is_in_time_until_its_due_date_then_overdue() {
        let cal = Calendar::official();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Due 2025-02-21 (formed 2025-01-20): on 2025-02-19 two working days are left.
        let due = proactive_due_date(d("2025-01-20"), &cal).unwrap();
        assert_eq!(
            PendingTimeliness::on(due, d("2025-02-19"), &cal).unwrap(),
            PendingTimeliness::InTime {
                due_date: due,
                working_days_left: 2
            }
        );
        assert_eq!(
            PendingTimeliness::on(due, due, &cal).unwrap(),
            PendingTimeliness::InTime {
                due_date: due,
                working_days_left: 0
            }
        );
        let late = PendingTimeliness::on(due, d("2025-02-25"), &cal).unwrap();
        assert_eq!(
            late,
            PendingTimeliness::Overdue {
                due_date: due,
                working_days_late: 2
            }
        );
        assert!(
            late.explanation(d("2025-01-20"))
                .contains("已逾期 2 个工作日")
        );
        assert!(
            PendingTimeliness::on(due, d("2031-01-01"), &cal).is_err(),
            "unknown year"
        );
    }
}
