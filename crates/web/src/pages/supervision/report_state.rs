//! Where an organ's annual report stands for supervision (条例第四十九条): judged with the one
//! deadline rule, `gongkai_annual::workflow::deadline` (via `reports::deadline`, which adds the
//! configured local last day of 街道/乡镇).

use chrono::NaiveDate;
use gongkai_annual::workflow::{Punctuality, punctuality};
use gongkai_store::ReportStatus;
use gongkai_store::supervision::ReportProgress;

/// The six states the dashboard shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportState {
    /// No report of the year opened, deadline not passed.
    NotStarted,
    /// Being written, deadline not passed.
    Draft,
    /// Waiting for the reviewer, deadline not passed.
    InReview,
    /// First published on or before the deadline.
    OnTime,
    /// First published after the deadline.
    Late,
    /// Not published and the deadline has passed.
    Overdue,
}

impl ReportState {
    pub fn label(self) -> &'static str {
        match self {
            ReportState::NotStarted => "未开始",
            ReportState::Draft => "草稿",
            ReportState::InReview => "审核中",
            ReportState::OnTime => "按时公开",
            ReportState::Late => "逾期公开",
            ReportState::Overdue => "逾期未公开",
        }
    }

    /// Sorting order: the worst first.
    pub fn order(self) -> i64 {
        match self {
            ReportState::Overdue => 0,
            ReportState::Late => 1,
            ReportState::NotStarted => 2,
            ReportState::Draft => 3,
            ReportState::InReview => 4,
            ReportState::OnTime => 5,
        }
    }

    /// Published (on time or late) or overdue: the criterion has a value; otherwise the
    /// deadline has not come and the report is not judged yet.
    pub fn judged(self) -> Option<bool> {
        match self {
            ReportState::OnTime => Some(true),
            ReportState::Late | ReportState::Overdue => Some(false),
            ReportState::NotStarted | ReportState::Draft | ReportState::InReview => None,
        }
    }

    pub const ALL: [ReportState; 6] = [
        ReportState::NotStarted,
        ReportState::Draft,
        ReportState::InReview,
        ReportState::OnTime,
        ReportState::Late,
        ReportState::Overdue,
    ];
}

/// The state of a report with `progress` (None: never opened) whose last day is `deadline`
/// (None: no statutory day known — judged as not yet due), seen on `today`. A report counts as
/// published from its first version: a later 更正 does not move that date.
pub fn classify(
    progress: Option<&ReportProgress>,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> ReportState {
    match punctuality(deadline, progress.and_then(|p| p.first_published_on), today) {
        Punctuality::OnTime => ReportState::OnTime,
        Punctuality::Late => ReportState::Late,
        Punctuality::Overdue => ReportState::Overdue,
        Punctuality::NotDue => match progress.map(|p| p.status) {
            None => ReportState::NotStarted,
            Some(ReportStatus::InReview) => ReportState::InReview,
            Some(ReportStatus::Draft | ReportStatus::Published) => ReportState::Draft,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn progress(status: ReportStatus, published: Option<&str>) -> ReportProgress {
        ReportProgress {
            report_id: 1,
            status,
            first_published_on: published.map(d),
        }
    }

    #[test]
    fn a_report_is_judged_by_its_first_publication_against_the_deadline() {
        let deadline = Some(d("2026-01-31"));
        let today = d("2026-03-01");
        let on_time = progress(ReportStatus::Draft, Some("2026-01-31"));
        assert_eq!(
            classify(Some(&on_time), deadline, today),
            ReportState::OnTime
        );
        let late = progress(ReportStatus::Published, Some("2026-02-01"));
        assert_eq!(classify(Some(&late), deadline, today), ReportState::Late);
        let draft = progress(ReportStatus::Draft, None);
        assert_eq!(
            classify(Some(&draft), deadline, today),
            ReportState::Overdue
        );
        assert_eq!(classify(None, deadline, today), ReportState::Overdue);
        let early = d("2026-01-20");
        assert_eq!(classify(Some(&draft), deadline, early), ReportState::Draft);
        assert_eq!(classify(None, deadline, early), ReportState::NotStarted);
        let review = progress(ReportStatus::InReview, None);
        assert_eq!(
            classify(Some(&review), deadline, early),
            ReportState::InReview
        );
    }
}
