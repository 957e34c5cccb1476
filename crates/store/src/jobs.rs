//! Background jobs shared by every process on the database (reminders, mail, reindexing).
//!
//! A worker loop calls [`Jobs::claim_due`] with a lease, runs the job, then [`Jobs::complete`]
//! or [`Jobs::fail`]. A claim is exclusive: PostgreSQL picks the row with
//! `FOR UPDATE SKIP LOCKED`; SQLite runs the claim as one `UPDATE … WHERE id = (SELECT … LIMIT 1)`
//! under its single write lock. If a worker dies, its lease runs out and another worker takes
//! the job again; the random lock token makes the dead worker's late `complete`/`fail` fail
//! with [`StoreError::LeaseLost`] instead of overwriting the new run.
//!
//! Jobs are technical records, not business changes: they are not audited (the business
//! writes a job makes are).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::canonical_json;
use crate::db::{Backend, Store, WriteTx, get_opt_ts, get_ts, ts};
use crate::error::{Result, StoreError};

/// Attempts before a job is given up ("dead"), unless set per job.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 8;
/// Wait after the first failure; doubles with every further failure…
pub const BACKOFF_BASE: Duration = Duration::seconds(30);
/// …up to this.
pub const BACKOFF_MAX: Duration = Duration::hours(6);
const ERROR_MAX: usize = 2000;

/// The wait before retrying after the `attempts`-th failed attempt:
/// `BACKOFF_BASE · 2^(attempts−1)`, at most [`BACKOFF_MAX`].
pub fn backoff(attempts: i64) -> Duration {
    let exp = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    let factor = 2i64.saturating_pow(exp);
    let seconds = BACKOFF_BASE.num_seconds().saturating_mul(factor);
    Duration::seconds(seconds.min(BACKOFF_MAX.num_seconds()))
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What to do (the worker dispatches on it), e.g. `reminder.deadline`.
    pub kind: String,
    pub payload: Value,
    /// Not before; `None` = now.
    pub run_at: Option<DateTime<Utc>>,
    /// At most one job with this key ever exists (e.g. `reminder:application:42:day-15`):
    /// enqueueing it again returns the existing job. Include a date or version in the key to
    /// allow a repeat.
    pub dedup_key: Option<String>,
    pub max_attempts: Option<i64>,
}

impl NewJob {
    pub fn new(kind: &str, payload: Value) -> Self {
        NewJob {
            kind: kind.to_owned(),
            payload,
            run_at: None,
            dedup_key: None,
            max_attempts: None,
        }
    }

    pub fn run_at(mut self, at: DateTime<Utc>) -> Self {
        self.run_at = Some(at);
        self
    }

    pub fn dedup_key(mut self, key: &str) -> Self {
        self.dedup_key = Some(key.to_owned());
        self
    }

    pub fn max_attempts(mut self, n: i64) -> Self {
        self.max_attempts = Some(n.max(1));
        self
    }
}

/// The result of [`Jobs::enqueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    Created(i64),
    /// A job with the same dedup key already existed; nothing was added.
    Duplicate(i64),
}

impl Enqueued {
    pub fn id(self) -> i64 {
        match self {
            Enqueued::Created(id) | Enqueued::Duplicate(id) => id,
        }
    }
}

/// A claimed job, leased to this worker until `locked_until`.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: Value,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    pub locked_until: DateTime<Utc>,
    lock_token: String,
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for `run_at` or for a worker.
    Pending,
    /// Leased to a worker.
    Running,
    Done,
    /// Given up after `max_attempts`.
    Dead,
}

/// A stored job, for inspection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobRecord {
    pub id: i64,
    pub kind: String,
    pub payload: Value,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub locked_until: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
    pub dead_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub dedup_key: Option<String>,
    pub created_at: DateTime<Utc>,
    pub state: JobState,
}

/// The result of [`Jobs::fail`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOutcome {
    /// Will be tried again at this instant.
    RetryAt(DateTime<Utc>),
    /// Out of attempts.
    Dead,
}

fn parse_payload(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("任务参数: {e}")))
}

fn job_from_row(row: &AnyRow, lock_token: String) -> Result<Job> {
    let payload: String = row.try_get("payload_json")?;
    Ok(Job {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: parse_payload(&payload)?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
        locked_until: get_ts(row, "locked_until")?,
        lock_token,
    })
}

fn record_from_row(row: &AnyRow, now: DateTime<Utc>) -> Result<JobRecord> {
    let payload: String = row.try_get("payload_json")?;
    let locked_until = get_opt_ts(row, "locked_until")?;
    let done_at = get_opt_ts(row, "done_at")?;
    let dead_at = get_opt_ts(row, "dead_at")?;
    let state = if done_at.is_some() {
        JobState::Done
    } else if dead_at.is_some() {
        JobState::Dead
    } else if locked_until.is_some_and(|t| t > now) {
        JobState::Running
    } else {
        JobState::Pending
    };
    Ok(JobRecord {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        payload: parse_payload(&payload)?,
        run_at: get_ts(row, "run_at")?,
        attempts: row.try_get("attempts")?,
        max_attempts: row.try_get("max_attempts")?,
        locked_until,
        done_at,
        dead_at,
        last_error: row.try_get("last_error")?,
        dedup_key: row.try_get("dedup_key")?,
        created_at: get_ts(row, "created_at")?,
        state,
    })
}

/// Adds a job inside the caller's transaction (or finds the one with the same dedup key), so
/// that a business write and the job it calls for (e.g. the applicant's confirmation mail)
/// are committed together or not at all.
pub async fn enqueue(tx: &mut WriteTx, job: &NewJob) -> Result<Enqueued> {
    let now = tx.now();
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload_json, run_at, attempts, max_attempts, dedup_key, \
         created_at) VALUES ($1, $2, $3, 0, $4, $5, $6) \
         ON CONFLICT (dedup_key) DO NOTHING RETURNING id",
    )
    .bind(&job.kind)
    .bind(canonical_json(&job.payload))
    .bind(ts(job.run_at.unwrap_or(now)))
    .bind(job.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS).max(1))
    .bind(job.dedup_key.as_deref())
    .bind(ts(now))
    .fetch_optional(tx.conn())
    .await?;
    Ok(match inserted {
        Some(id) => Enqueued::Created(id),
        None => {
            let id: i64 = sqlx::query_scalar("SELECT id FROM jobs WHERE dedup_key = $1")
                .bind(job.dedup_key.as_deref())
                .fetch_one(tx.conn())
                .await?;
            Enqueued::Duplicate(id)
        }
    })
}

/// Background jobs: `store.jobs()`.
#[derive(Debug, Clone, Copy)]
pub struct Jobs<'a> {
    pub(crate) store: &'a Store,
}

impl Jobs<'_> {
    /// Adds a job (or finds the one with the same dedup key).
    pub async fn enqueue(&self, job: &NewJob) -> Result<Enqueued> {
        let mut tx = self.store.begin_technical().await?;
        let outcome = enqueue(&mut tx, job).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Claims the next due job of any kind; see [`Jobs::claim_due_of`].
    pub async fn claim_due(&self, lease: Duration) -> Result<Option<Job>> {
        self.claim_due_of(&[], lease).await
    }

    /// Claims the next due job (earliest `run_at` first) whose kind is one of `kinds` (any
    /// kind when empty) for `lease`, or `None` if nothing is due. A worker names the kinds it
    /// can run, so a server without (say) mail configured leaves mail jobs to one that has it.
    /// Jobs whose lease ran out `max_attempts` times (a worker died each time) are marked dead
    /// here.
    pub async fn claim_due_of(&self, kinds: &[&str], lease: Duration) -> Result<Option<Job>> {
        let token = {
            let mut bytes = [0u8; 16];
            getrandom::fill(&mut bytes).map_err(|_| StoreError::Randomness)?;
            hex::encode(bytes)
        };
        let mut tx = self.store.begin_technical().await?;
        let now = tx.now();
        sqlx::query(
            "UPDATE jobs SET dead_at = $1, \
             last_error = COALESCE(last_error, '租约多次过期：处理进程可能已中断') \
             WHERE done_at IS NULL AND dead_at IS NULL AND attempts >= max_attempts \
             AND locked_until IS NOT NULL AND locked_until <= $2",
        )
        .bind(ts(now))
        .bind(ts(now))
        .execute(tx.conn())
        .await?;
        let lock = match tx.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let kind_filter = if kinds.is_empty() {
            String::new()
        } else {
            let placeholders: Vec<String> =
                (0..kinds.len()).map(|i| format!("${}", i + 5)).collect();
            format!(" AND kind IN ({})", placeholders.join(", "))
        };
        let sql = format!(
            "UPDATE jobs SET locked_until = $1, lock_token = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs WHERE done_at IS NULL AND dead_at IS NULL \
             AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $4) \
             AND attempts < max_attempts{kind_filter} \
             ORDER BY run_at, id LIMIT 1{lock}) \
             RETURNING id, kind, payload_json, attempts, max_attempts, locked_until"
        );
        let mut query = crate::items::dyn_query(sql)
            .bind(ts(now + lease))
            .bind(token.clone())
            .bind(ts(now))
            .bind(ts(now));
        for kind in kinds {
            query = query.bind((*kind).to_owned());
        }
        let row = query.fetch_optional(tx.conn()).await?;
        let job = row.map(|r| job_from_row(&r, token)).transpose()?;
        tx.commit().await?;
        Ok(job)
    }

    /// Marks a claimed job done. [`StoreError::LeaseLost`] if another worker has taken it since.
    pub async fn complete(&self, job: &Job) -> Result<()> {
        let mut tx = self.store.begin_technical().await?;
        let now = tx.now();
        let done = sqlx::query(
            "UPDATE jobs SET done_at = $1, locked_until = NULL, lock_token = NULL \
             WHERE id = $2 AND lock_token = $3 AND done_at IS NULL AND dead_at IS NULL",
        )
        .bind(ts(now))
        .bind(job.id)
        .bind(&job.lock_token)
        .execute(tx.conn())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::LeaseLost);
        }
        tx.commit().await
    }

    /// Records a failed attempt: retried after [`backoff`] or, out of attempts, marked dead.
    pub async fn fail(&self, job: &Job, error: &str) -> Result<FailOutcome> {
        let error: String = error.chars().take(ERROR_MAX).collect();
        let mut tx = self.store.begin_technical().await?;
        let now = tx.now();
        let outcome = if job.attempts >= job.max_attempts {
            FailOutcome::Dead
        } else {
            FailOutcome::RetryAt(now + backoff(job.attempts))
        };
        let updated = match outcome {
            FailOutcome::Dead => {
                sqlx::query(
                    "UPDATE jobs SET dead_at = $1, last_error = $2, locked_until = NULL, \
                     lock_token = NULL WHERE id = $3 AND lock_token = $4 \
                     AND done_at IS NULL AND dead_at IS NULL",
                )
                .bind(ts(now))
                .bind(&error)
                .bind(job.id)
                .bind(&job.lock_token)
                .execute(tx.conn())
                .await?
            }
            FailOutcome::RetryAt(at) => {
                sqlx::query(
                    "UPDATE jobs SET run_at = $1, last_error = $2, locked_until = NULL, \
                     lock_token = NULL WHERE id = $3 AND lock_token = $4 \
                     AND done_at IS NULL AND dead_at IS NULL",
                )
                .bind(ts(at))
                .bind(&error)
                .bind(job.id)
                .bind(&job.lock_token)
                .execute(tx.conn())
                .await?
            }
        };
        if updated.rows_affected() == 0 {
            return Err(StoreError::LeaseLost);
        }
        tx.commit().await?;
        Ok(outcome)
    }

    /// A job by id.
    pub async fn get(&self, id: i64) -> Result<Option<JobRecord>> {
        let row = sqlx::query(
            "SELECT id, kind, payload_json, run_at, attempts, max_attempts, locked_until, \
             done_at, dead_at, last_error, dedup_key, created_at FROM jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        let now = self.store.now();
        row.map(|r| record_from_row(&r, now)).transpose()
    }
}
