//! The deadline reminder sweep: finds the open applications whose reply due date (条例 Art 33)
//! — and, for cases assigned to a 科室, its internal due date — is `reminder_working_days`
//! working days away or less (or already past), and enqueues one `mail.send` job per recipient.
//!
//! Once per due date: every job carries a dedup key made of the application, the kind of
//! deadline, the due date, the stage (due soon / overdue) and the recipient. The key lives in
//! the jobs table, so neither a second sweep, nor a restart, nor another app server on the same
//! database queues the same reminder again; an extension moves the due date and so makes a new
//! key, i.e. a new reminder. Working days come from the official calendar (holidays and 调休).
//!
//! Who gets what: the organ's 信息公开专员 (role `officer`) get the statutory due date; the
//! 科室承办人 (role `handler`) of the assigned department get the internal due date and the
//! statutory one. Users without an e-mail address are skipped (logged).

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use gongkai_calendar::Calendar;
use gongkai_law::ClockStatus;
use gongkai_store::{Application, Enqueued, Role, Store, StoreError, User};

use crate::mail::OutgoingMail;
use crate::mail::texts::{self, DeadlineKind, Reminder, Stage};

/// Open cases read per query.
const BATCH: u32 = 200;

/// What the sweep needs from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Remind this many working days before a due date, or fewer (`reminder_working_days`).
    pub working_days: u32,
    /// For the link to the case page (`public_url`).
    pub public_url: Option<String>,
    /// The annual report reminders (`report_reminders.rs`).
    pub report: crate::report_reminders::ReportReminderSettings,
}

/// What one sweep did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Open cases looked at.
    pub cases: usize,
    /// Reminder jobs queued now.
    pub enqueued: usize,
    /// Reminders due but queued by an earlier sweep (the dedup key existed).
    pub already_queued: usize,
    /// Users a reminder was due for who have no e-mail address.
    pub without_email: BTreeSet<String>,
    /// Cases whose clock could not be computed (e.g. a year without holiday data).
    pub failed_cases: usize,
    /// Annual report reminders queued now.
    pub reports_enqueued: usize,
}

/// The deadlines of one case that call for a reminder today.
fn due_reminders(
    app: &Application,
    status: ClockStatus,
    statutory_due: Option<NaiveDate>,
    today: NaiveDate,
    working_days: u32,
    calendar: &Calendar,
) -> Result<Vec<(DeadlineKind, NaiveDate, Stage)>, gongkai_calendar::CalendarError> {
    let mut deadlines = Vec::new();
    // Only a running clock has a fixed reply date: while a consultation or a fee wait pauses it
    // (Art 33 ¶3, 109号) the date moves later every working day, and while a correction is
    // awaited (Art 30) there is none yet.
    if status == ClockStatus::Running
        && let Some(due) = statutory_due
    {
        deadlines.push((DeadlineKind::Statutory, due));
    }
    if let (Some(_), Some(internal)) = (app.department_id, app.internal_due_on) {
        deadlines.push((DeadlineKind::Internal, internal));
    }
    let mut out = Vec::new();
    for (kind, due) in deadlines {
        let stage = if today > due {
            Stage::Overdue
        } else {
            let left = calendar.working_days_between(today, due)?;
            if left > i64::from(working_days) {
                continue;
            }
            Stage::DueSoon {
                working_days_left: left,
            }
        };
        out.push((kind, due, stage));
    }
    Ok(out)
}

/// Users by (organ, role, department), read once per sweep.
#[derive(Default)]
struct Recipients(HashMap<(i64, Role, Option<i64>), Vec<User>>);

impl Recipients {
    async fn get(
        &mut self,
        store: &Store,
        organ_id: i64,
        role: Role,
        department_id: Option<i64>,
    ) -> Result<&[User], StoreError> {
        let key = (organ_id, role, department_id);
        let users = match self.0.entry(key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(
                store
                    .users()
                    .holding_role(organ_id, role, department_id)
                    .await?,
            ),
        };
        Ok(users.as_slice())
    }

    /// Who gets a reminder of `kind` for `app`, each user once.
    async fn for_case(
        &mut self,
        store: &Store,
        app: &Application,
        kind: DeadlineKind,
    ) -> Result<Vec<User>, StoreError> {
        let mut users: Vec<User> = Vec::new();
        if kind == DeadlineKind::Statutory {
            users.extend_from_slice(self.get(store, app.organ_id, Role::Officer, None).await?);
        }
        if let Some(dept) = app.department_id {
            users.extend_from_slice(
                self.get(store, app.organ_id, Role::Handler, Some(dept))
                    .await?,
            );
        }
        let mut seen = BTreeSet::new();
        users.retain(|u| seen.insert(u.id));
        Ok(users)
    }
}

/// Runs one sweep for today (the store's clock, China date).
pub async fn sweep(
    store: &Store,
    calendar: &Calendar,
    settings: &ReminderSettings,
) -> Result<SweepReport, StoreError> {
    let today = store.today();
    let mut report = SweepReport::default();
    let mut recipients = Recipients::default();
    let mut organ_names: HashMap<i64, String> = HashMap::new();
    let mut after = 0;
    loop {
        let batch = store.applications().open_timelines(after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.application.id;
        for open in &batch {
            let app = &open.application;
            if open.events.is_empty() {
                continue;
            }
            report.cases += 1;
            let clock = match gongkai_law::evaluate(&open.events, today, calendar) {
                Ok(clock) => clock,
                Err(e) => {
                    report.failed_cases += 1;
                    tracing::warn!(application = app.id, error = %e, "reminder sweep: clock not computable, case skipped");
                    continue;
                }
            };
            if clock.status.is_closed() {
                continue;
            }
            let due = match due_reminders(
                app,
                clock.status,
                clock.due_date,
                today,
                settings.working_days,
                calendar,
            ) {
                Ok(due) => due,
                Err(e) => {
                    report.failed_cases += 1;
                    tracing::warn!(application = app.id, error = %e, "reminder sweep: working days not computable, case skipped");
                    continue;
                }
            };
            for (kind, due_on, stage) in due {
                let organ_name = match organ_names.entry(app.organ_id) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(
                        store
                            .organs()
                            .get(app.organ_id)
                            .await?
                            .map(|o| o.name)
                            .unwrap_or_default(),
                    ),
                };
                let organ_name = organ_name.as_str();
                for user in recipients.for_case(store, app, kind).await? {
                    let Some(email) = user.email.as_deref() else {
                        report
                            .without_email
                            .insert(user.username.as_str().to_owned());
                        continue;
                    };
                    let (subject, body) = texts::reminder(&Reminder {
                        recipient_name: &user.display_name,
                        organ_name,
                        tracking_no: &app.tracking_no,
                        kind,
                        due_on,
                        stage,
                        case_link: texts::link(
                            settings.public_url.as_deref(),
                            &crate::pages::applications::case_url(app.organ_id, app.id),
                        ),
                    });
                    let mail = OutgoingMail {
                        to: email.to_owned(),
                        subject,
                        body,
                        // The once-per-due-date key: application, deadline kind, due date,
                        // stage, recipient.
                        idempotency_id: Some(format!(
                            "reminder.{}.{}.{due_on}.{}.u{}",
                            app.id,
                            kind.key(),
                            stage.key(),
                            user.id
                        )),
                    };
                    let job = mail
                        .job()
                        .map_err(|e| StoreError::Corrupt(format!("提醒邮件任务: {e}")))?;
                    match store.jobs().enqueue(&job).await? {
                        Enqueued::Created(_) => report.enqueued += 1,
                        Enqueued::Duplicate(_) => report.already_queued += 1,
                    }
                }
            }
        }
    }
    if !report.without_email.is_empty() {
        tracing::warn!(
            users = ?report.without_email,
            "deadline reminders not sent: these users have no e-mail address (set it on the users page)"
        );
    }
    if report.enqueued > 0 {
        tracing::info!(enqueued = report.enqueued, "deadline reminders queued");
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::Utc;
    use gongkai_law::{ApplicantType, Channel, ProvisionForm};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn case(department_id: Option<i64>, internal_due_on: Option<NaiveDate>) -> Application {
        Application {
            id: 7,
            organ_id: 2,
            tracking_no: "YSQ2026ABCDEF".into(),
            applicant_type: ApplicantType::NaturalPerson,
            applicant_name: "张三".into(),
            id_kind: "resident_id".into(),
            id_number: String::new(),
            phone: String::new(),
            email: String::new(),
            address: String::new(),
            description: String::new(),
            provision_form: ProvisionForm::Paper,
            delivery: String::new(),
            channel: Channel::InPerson,
            received_on: d("2026-09-04"),
            state: ClockStatus::Running,
            due_on: Some(d("2026-10-09")),
            closed_on: None,
            department_id,
            internal_due_on,
            outcome: None,
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_paused_clock_gives_no_statutory_reminder_but_the_internal_date_still_counts() {
        let cal = Calendar::official();
        let app = case(Some(3), Some(d("2026-09-30")));
        let due = Some(d("2026-10-09"));
        // Running, 3 working days before the reply date (29 Sep, 国庆 ahead): statutory due soon;
        // the internal date (30 Sep) is 1 working day away.
        let found =
            due_reminders(&app, ClockStatus::Running, due, d("2026-09-29"), 3, &cal).unwrap();
        assert_eq!(
            found,
            vec![
                (
                    DeadlineKind::Statutory,
                    d("2026-10-09"),
                    Stage::DueSoon {
                        working_days_left: 3
                    }
                ),
                (
                    DeadlineKind::Internal,
                    d("2026-09-30"),
                    Stage::DueSoon {
                        working_days_left: 1
                    }
                ),
            ]
        );
        // While a consultation pauses the clock, the reply date moves every day: no statutory
        // reminder (the internal one stands).
        let paused = due_reminders(
            &app,
            ClockStatus::PausedConsultation,
            due,
            d("2026-09-29"),
            3,
            &cal,
        )
        .unwrap();
        assert_eq!(paused.len(), 1);
        assert_eq!(paused[0].0, DeadlineKind::Internal);
        // An internal date without an assigned department is not a deadline of anyone.
        let unassigned = case(None, Some(d("2026-09-30")));
        let none = due_reminders(
            &unassigned,
            ClockStatus::AwaitingCorrection,
            None,
            d("2026-09-29"),
            3,
            &cal,
        )
        .unwrap();
        assert!(none.is_empty());
        // The day after the reply date: overdue.
        let late = due_reminders(
            &case(None, None),
            ClockStatus::Running,
            due,
            d("2026-10-10"),
            3,
            &cal,
        )
        .unwrap();
        assert_eq!(
            late,
            vec![(DeadlineKind::Statutory, d("2026-10-09"), Stage::Overdue)]
        );
    }
}
