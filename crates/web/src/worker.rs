//! The background job worker: one per server process, spawned and stopped with the server like
//! the search indexer. It runs the reminder sweep (`reminders.rs`) at start and every
//! [`SWEEP_INTERVAL`], and runs due jobs from the shared `jobs` table: at each
//! [`POLL_INTERVAL`], or at once when a request on this server enqueued one.
//!
//! # Several servers, one database
//!
//! Claims are exclusive (`gongkai_store::jobs`: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the
//! single write lock on SQLite): however many servers poll, one job is leased to one worker at a
//! time, so a mail is not sent twice by two live workers. A worker claims only the kinds it can
//! run (a server with mail off leaves `mail.send` jobs to one that has it).
//!
//! # At least once, not exactly once
//!
//! If the process dies after the SMTP server accepted a mail but before `complete` was written,
//! the job's lease ([`LEASE`]) runs out and a worker sends it again: a duplicate is possible
//! in that window, a lost mail is not. The window is one SMTP round trip plus one database
//! write; every retry of a job carries the same Message-ID (from its idempotency id), so mail
//! systems that deduplicate by Message-ID show it once. The lease is much longer than the SMTP
//! timeout (`mail::mailer::SMTP_TIMEOUT`), so a slow but live send never loses its lease. On
//! shutdown the worker finishes the job in hand before it stops (it does not abandon a send
//! half-way).
//!
//! A failed send is recorded with `Jobs::fail` and retried with exponential backoff (30 s,
//! 1 min, … up to 6 h; after 8 attempts the job is given up and keeps its last error).

use std::sync::Arc;
use std::time::Duration;

use gongkai_calendar::Calendar;
use gongkai_store::{FailOutcome, Job, Store, StoreError};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::error::ConfigError;
use crate::mail::{MAIL_SEND, Mailer, OutgoingMail};
use crate::reminders::{self, ReminderSettings, SweepReport};

/// How long a claimed job is leased to this worker.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// How often the worker looks for due jobs when nothing woke it.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);
/// How often the reminder sweep runs (also once at start).
pub const SWEEP_INTERVAL: Duration = Duration::from_secs(10 * 60);
/// Jobs run in one go before the worker checks whether it should stop or sweep.
const DRAIN_MAX: usize = 100;

/// What became of one claimed job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    Done {
        id: i64,
    },
    /// Failed; tried again from this instant.
    Retry {
        id: i64,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// Failed for the last time.
    Dead {
        id: i64,
    },
    /// Ran, but another worker had taken the job over (this one's lease ran out meanwhile).
    LeaseLost {
        id: i64,
    },
}

struct Inner {
    store: Store,
    calendar: Calendar,
    mailer: Option<Mailer>,
    reminders: ReminderSettings,
}

/// The worker of one server (cheap to clone).
#[derive(Clone)]
pub struct Worker(Arc<Inner>);

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("mailer", &self.0.mailer)
            .field("reminders", &self.0.reminders)
            .finish_non_exhaustive()
    }
}

impl Worker {
    pub fn new(
        store: Store,
        calendar: Calendar,
        mailer: Option<Mailer>,
        reminders: ReminderSettings,
    ) -> Worker {
        Worker(Arc::new(Inner {
            store,
            calendar,
            mailer,
            reminders,
        }))
    }

    /// The worker the configuration describes (mail transport, reminder days, public URL).
    pub fn from_config(
        store: Store,
        calendar: Calendar,
        config: &Config,
    ) -> Result<Worker, ConfigError> {
        let mailer = Mailer::from_config(config)?;
        Ok(Worker::new(
            store,
            calendar,
            mailer,
            ReminderSettings {
                working_days: config.reminder_working_days,
                public_url: config.public_url.clone(),
                report: crate::report_reminders::ReportReminderSettings {
                    days: config.report_reminder_days,
                    grassroots_deadline: config.report_deadline_grassroots,
                    public_url: config.public_url.clone(),
                },
            },
        ))
    }

    /// The mail transport, if mail is configured.
    pub fn mailer(&self) -> Option<&Mailer> {
        self.0.mailer.as_ref()
    }

    /// The job kinds this worker can run.
    fn kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        if self.0.mailer.is_some() {
            kinds.push(MAIL_SEND);
        }
        kinds
    }

    /// Queues the reminders due today. Reminders are mails: without mail configured, nothing
    /// is queued (they would pile up and all go out the day mail is switched on).
    pub async fn sweep(&self) -> Result<SweepReport, StoreError> {
        if self.0.mailer.is_none() {
            return Ok(SweepReport::default());
        }
        let mut report =
            reminders::sweep(&self.0.store, &self.0.calendar, &self.0.reminders).await?;
        report.reports_enqueued =
            crate::report_reminders::sweep(&self.0.store, &self.0.reminders.report)
                .await?
                .enqueued;
        Ok(report)
    }

    /// Claims one due job this worker can run and runs it; `None` when nothing is due.
    pub async fn run_one(&self) -> Result<Option<JobOutcome>, StoreError> {
        let kinds = self.kinds();
        if kinds.is_empty() {
            return Ok(None);
        }
        let Some(job) = self.0.store.jobs().claim_due_of(&kinds, LEASE).await? else {
            return Ok(None);
        };
        let result = self.run(&job).await;
        let jobs = self.0.store.jobs();
        let outcome = match result {
            Ok(()) => match jobs.complete(&job).await {
                Ok(()) => JobOutcome::Done { id: job.id },
                Err(StoreError::LeaseLost) => JobOutcome::LeaseLost { id: job.id },
                Err(e) => return Err(e),
            },
            Err(error) => match jobs.fail(&job, &error).await {
                Ok(FailOutcome::RetryAt(at)) => {
                    tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, retry_at = %at, "job failed; will retry");
                    JobOutcome::Retry { id: job.id, at }
                }
                Ok(FailOutcome::Dead) => {
                    tracing::error!(job = job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed for the last time; given up");
                    JobOutcome::Dead { id: job.id }
                }
                Err(StoreError::LeaseLost) => JobOutcome::LeaseLost { id: job.id },
                Err(e) => return Err(e),
            },
        };
        if let JobOutcome::LeaseLost { id } = outcome {
            tracing::warn!(
                job = id,
                "job lease ran out while it ran; another worker has taken it over"
            );
        }
        Ok(Some(outcome))
    }

    /// Runs due jobs until none is left (at most a bounded number per call).
    pub async fn drain(&self) -> Result<Vec<JobOutcome>, StoreError> {
        let mut outcomes = Vec::new();
        while outcomes.len() < DRAIN_MAX {
            match self.run_one().await? {
                Some(outcome) => outcomes.push(outcome),
                None => break,
            }
        }
        Ok(outcomes)
    }

    /// Dispatches on the job kind. The error text is stored with the job for the administrator.
    async fn run(&self, job: &Job) -> Result<(), String> {
        match job.kind.as_str() {
            MAIL_SEND => {
                let mail: OutgoingMail = serde_json::from_value(job.payload.clone())
                    .map_err(|e| format!("邮件任务的参数无效：{e}"))?;
                let Some(mailer) = &self.0.mailer else {
                    return Err("本服务器未配置邮件发送（mail_transport = off）".to_owned());
                };
                mailer
                    .send(&mail, job.id, self.0.store.now())
                    .await
                    .map_err(|e| e.to_string())?;
                // No address in the log: applicants' addresses are personal data.
                tracing::info!(job = job.id, "mail sent");
                Ok(())
            }
            other => Err(format!("未知的任务类型“{other}”：本版本无法处理")),
        }
    }

    /// Starts the loop: a sweep now and every [`SWEEP_INTERVAL`]; due jobs at every
    /// [`POLL_INTERVAL`] or when `nudge` fires; until `stop` turns true (or its sender is
    /// dropped). A job in hand is finished before stopping.
    pub fn spawn(&self, mut stop: watch::Receiver<bool>, nudge: Arc<Notify>) -> JoinHandle<()> {
        let worker = self.clone();
        tokio::spawn(async move {
            let mut next_sweep = tokio::time::Instant::now();
            loop {
                if *stop.borrow() {
                    break;
                }
                if tokio::time::Instant::now() >= next_sweep {
                    next_sweep = tokio::time::Instant::now() + SWEEP_INTERVAL;
                    // A sweep only enqueues (each job its own short transaction): safe to
                    // abandon at shutdown.
                    tokio::select! {
                        biased;
                        changed = stop.changed() => {
                            if changed.is_err() { break; }
                            continue;
                        }
                        report = worker.sweep() => {
                            if let Err(e) = report {
                                tracing::warn!(error = %e, "reminder sweep failed; retrying at the next sweep");
                            }
                        }
                    }
                }
                // Job by job, checking for stop in between: never abandon a send half-way.
                let mut ran = 0;
                while ran < DRAIN_MAX && !*stop.borrow() {
                    match worker.run_one().await {
                        Ok(Some(_)) => ran += 1,
                        Ok(None) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "job worker: database error; retrying");
                            break;
                        }
                    }
                }
                if ran == DRAIN_MAX {
                    continue; // more may be due: no pause
                }
                tokio::select! {
                    biased;
                    changed = stop.changed() => {
                        if changed.is_err() { break; }
                    }
                    () = nudge.notified() => {}
                    () = tokio::time::sleep(POLL_INTERVAL) => {}
                }
            }
        })
    }
}
