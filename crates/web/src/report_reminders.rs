//! Reminders before the annual report's last day (条例第四十九条: 31 January for departments,
//! 31 March for 县级以上人民政府; 街道/乡镇 by local rule, `report_deadline_grassroots`): from
//! `report_reminder_days` days before that day, the officers (信息公开专员) of every organ whose
//! report on last year is not published get one mail, and one more once the day has passed.
//! Once per stage: the dedup key names the organ, the year, the stage and the recipient, so
//! neither a second sweep nor a restart nor another server queues it again.

use chrono::{Datelike, NaiveDate};
use gongkai_annual::workflow::deadline as report_deadline;
use gongkai_store::{Enqueued, Role, Store, StoreError};

use crate::mail::OutgoingMail;
use crate::mail::texts;

/// What the sweep needs from the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportReminderSettings {
    /// Remind this many days before the last day (0: never).
    pub days: u32,
    /// The local last day for 街道/乡镇 (month, day).
    pub grassroots_deadline: Option<(u32, u32)>,
    pub public_url: Option<String>,
}

/// Which reminder is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStage {
    /// The last day is `days_left` days away (0: today).
    DueSoon {
        days_left: i64,
    },
    Overdue,
}

impl ReportStage {
    fn key(self) -> &'static str {
        match self {
            ReportStage::DueSoon { .. } => "due_soon",
            ReportStage::Overdue => "overdue",
        }
    }
}

/// The reminder due `today` for a report whose last day is `deadline`, if any.
pub fn stage(deadline: NaiveDate, today: NaiveDate, days: u32) -> Option<ReportStage> {
    if days == 0 {
        return None;
    }
    let left = (deadline - today).num_days();
    if left < 0 {
        Some(ReportStage::Overdue)
    } else if left <= i64::from(days) {
        Some(ReportStage::DueSoon { days_left: left })
    } else {
        None
    }
}

fn mail_text(
    recipient: &str,
    organ: &str,
    year: i32,
    deadline: NaiveDate,
    stage: ReportStage,
    link: Option<String>,
) -> (String, String) {
    let day = format!(
        "{}年{}月{}日",
        deadline.year(),
        deadline.month(),
        deadline.day()
    );
    let (subject, status) = match stage {
        ReportStage::DueSoon { days_left: 0 } => (
            format!("【今日到期】{organ}{year}年度政府信息公开工作年度报告今天须公布"),
            format!("公布期限为今天（{day}），报告尚未发布。"),
        ),
        ReportStage::DueSoon { days_left } => (
            format!("【到期提醒】{organ}{year}年度报告距公布期限还有 {days_left} 天"),
            format!("公布期限为 {day}，还有 {days_left} 天，报告尚未发布。"),
        ),
        ReportStage::Overdue => (
            format!("【已逾期】{organ}{year}年度政府信息公开工作年度报告尚未公布"),
            format!("公布期限 {day} 已过，报告仍未发布，请尽快审核发布。"),
        ),
    };
    let where_ = link.map_or_else(
        || "请登录政府信息公开平台后台，在“年度报告”中办理。".to_owned(),
        |l| format!("年度报告页面：{l}"),
    );
    (
        subject,
        format!(
            "{recipient}：\n\n{organ}{year}年度政府信息公开工作年度报告的{status}\n\n{where_}\n\n依据：《中华人民共和国政府信息公开条例》第四十九条、第五十条。\n\n——\n本邮件由政府信息公开平台自动发送，请勿直接回复。\n"
        ),
    )
}

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSweep {
    pub enqueued: usize,
    pub already_queued: usize,
}

/// Queues the reminders due today for last year's reports.
pub async fn sweep(
    store: &Store,
    settings: &ReportReminderSettings,
) -> Result<ReportSweep, StoreError> {
    let mut out = ReportSweep::default();
    if settings.days == 0 {
        return Ok(out);
    }
    let today = store.today();
    let year = today.year() - 1;
    for organ in store.organs().list().await? {
        let Some(deadline) = report_deadline(organ.kind, year, settings.grassroots_deadline) else {
            continue;
        };
        let Some(stage) = stage(deadline, today, settings.days) else {
            continue;
        };
        let published = store
            .annual_reports()
            .latest_published(&[organ.id], year)
            .await?;
        if published.contains_key(&organ.id) {
            continue;
        }
        for user in store
            .users()
            .holding_role(organ.id, Role::Officer, None)
            .await?
        {
            let Some(email) = user.email.as_deref() else {
                continue;
            };
            let (subject, body) = mail_text(
                &user.display_name,
                &organ.name,
                year,
                deadline,
                stage,
                texts::link(
                    settings.public_url.as_deref(),
                    &crate::pages::reports::report_url(organ.id, year),
                ),
            );
            let mail = OutgoingMail {
                to: email.to_owned(),
                subject,
                body,
                idempotency_id: Some(format!(
                    "annual-report.{}.{year}.{}.u{}",
                    organ.id,
                    stage.key(),
                    user.id
                )),
            };
            let job = mail
                .job()
                .map_err(|e| StoreError::Corrupt(format!("年度报告提醒邮件任务: {e}")))?;
            match store.jobs().enqueue(&job).await? {
                Enqueued::Created(_) => out.enqueued += 1,
                Enqueued::Duplicate(_) => out.already_queued += 1,
            }
        }
    }
    if out.enqueued > 0 {
        tracing::info!(enqueued = out.enqueued, "annual report reminders queued");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_store::OrganKind;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_last_day_follows_article_49_and_the_local_rule_for_subdistricts() {
        assert_eq!(
            report_deadline(OrganKind::Department, 2025, None),
            Some(d("2026-01-31"))
        );
        assert_eq!(
            report_deadline(OrganKind::Government, 2025, None),
            Some(d("2026-03-31"))
        );
        assert_eq!(
            report_deadline(OrganKind::Subdistrict, 2025, None),
            Some(d("2026-01-31"))
        );
        assert_eq!(
            report_deadline(OrganKind::Township, 2025, Some((2, 20))),
            Some(d("2026-02-20"))
        );
        // The local rule is for 街道/乡镇 only.
        assert_eq!(
            report_deadline(OrganKind::Government, 2025, Some((2, 20))),
            Some(d("2026-03-31"))
        );
    }

    #[test]
    fn reminders_start_the_configured_days_before_and_turn_overdue_after_the_day() {
        let last = d("2026-01-31");
        assert_eq!(stage(last, d("2026-01-15"), 15), None);
        assert_eq!(
            stage(last, d("2026-01-16"), 15),
            Some(ReportStage::DueSoon { days_left: 15 })
        );
        assert_eq!(
            stage(last, d("2026-01-31"), 15),
            Some(ReportStage::DueSoon { days_left: 0 })
        );
        assert_eq!(stage(last, d("2026-02-01"), 15), Some(ReportStage::Overdue));
        assert_eq!(stage(last, d("2026-02-01"), 0), None);
    }
}
