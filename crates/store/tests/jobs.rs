//! Background jobs: dedup, exclusive claims under concurrency, leases, retry backoff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use chrono::Duration;
use common::each_backend;
use gongkai_store::jobs::{BACKOFF_MAX, backoff};
use gongkai_store::{Enqueued, FailOutcome, JobState, NewJob, Store, StoreError};
use serde_json::json;

#[test]
fn backoff_doubles_and_is_capped() {
    assert_eq!(backoff(1), Duration::seconds(30));
    assert_eq!(backoff(2), Duration::seconds(60));
    assert_eq!(backoff(3), Duration::seconds(120));
    assert_eq!(backoff(0), Duration::seconds(30));
    assert_eq!(backoff(20), BACKOFF_MAX);
    assert_eq!(backoff(i64::MAX), BACKOFF_MAX);
}

#[tokio::test]
async fn enqueue_dedup_and_claim_order() {
    each_backend(|db| async move {
        let jobs = db.store.jobs();
        let t0 = common::t0();
        let later = jobs
            .enqueue(
                &NewJob::new("mail.send", json!({"to": "a@example.cn"}))
                    .run_at(t0 + Duration::hours(1)),
            )
            .await
            .unwrap();
        let first = jobs
            .enqueue(
                &NewJob::new("reminder.deadline", json!({"application": 42, "day": 15}))
                    .dedup_key("reminder:application:42:day-15"),
            )
            .await
            .unwrap();
        assert!(matches!(first, Enqueued::Created(_)));
        let again = jobs
            .enqueue(
                &NewJob::new("reminder.deadline", json!({"application": 42, "day": 15}))
                    .dedup_key("reminder:application:42:day-15"),
            )
            .await
            .unwrap();
        assert_eq!(again, Enqueued::Duplicate(first.id()));
        // Jobs without a key never collide.
        let second = jobs
            .enqueue(&NewJob::new("reindex", json!(null)))
            .await
            .unwrap();
        let third = jobs
            .enqueue(&NewJob::new("reindex", json!(null)))
            .await
            .unwrap();
        assert_ne!(second.id(), third.id());
        assert_eq!(db.count("jobs").await, 4);

        // Due jobs in run_at order (ties by id); the future one waits.
        let lease = Duration::minutes(5);
        let j1 = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!(j1.id, first.id());
        assert_eq!(j1.kind, "reminder.deadline");
        assert_eq!(j1.payload, json!({"application": 42, "day": 15}));
        assert_eq!(j1.attempts, 1);
        assert_eq!(j1.locked_until, t0 + lease);
        let j2 = jobs.claim_due(lease).await.unwrap().unwrap();
        let j3 = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!((j2.id, j3.id), (second.id(), third.id()));
        assert!(jobs.claim_due(lease).await.unwrap().is_none());
        assert_eq!(
            jobs.get(j1.id).await.unwrap().unwrap().state,
            JobState::Running
        );

        jobs.complete(&j1).await.unwrap();
        let rec = jobs.get(j1.id).await.unwrap().unwrap();
        assert_eq!(rec.state, JobState::Done);
        assert_eq!(rec.done_at, Some(t0));
        assert_eq!(
            rec.dedup_key.as_deref(),
            Some("reminder:application:42:day-15")
        );
        // Completing twice: the lease is gone.
        assert!(matches!(
            jobs.complete(&j1).await.unwrap_err(),
            StoreError::LeaseLost
        ));
        // A finished job's key still deduplicates.
        let after_done = jobs
            .enqueue(
                &NewJob::new("reminder.deadline", json!({}))
                    .dedup_key("reminder:application:42:day-15"),
            )
            .await
            .unwrap();
        assert_eq!(after_done, Enqueued::Duplicate(first.id()));

        db.clock.advance(Duration::hours(1));
        jobs.complete(&j2).await.unwrap();
        jobs.complete(&j3).await.unwrap();
        let j4 = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!(j4.id, later.id());
        assert!(jobs.get(12345).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn retry_backoff_then_dead() {
    each_backend(|db| async move {
        let jobs = db.store.jobs();
        let id = jobs
            .enqueue(&NewJob::new("mail.send", json!({"to": "x"})).max_attempts(3))
            .await
            .unwrap()
            .id();
        let lease = Duration::minutes(1);

        let j = jobs.claim_due(lease).await.unwrap().unwrap();
        let now = db.store.now();
        assert_eq!(
            jobs.fail(&j, "SMTP 连接超时").await.unwrap(),
            FailOutcome::RetryAt(now + Duration::seconds(30))
        );
        let rec = jobs.get(id).await.unwrap().unwrap();
        assert_eq!(rec.state, JobState::Pending);
        assert_eq!(rec.last_error.as_deref(), Some("SMTP 连接超时"));
        assert_eq!(rec.attempts, 1);
        // Not before the backoff.
        db.clock.advance(Duration::seconds(29));
        assert!(jobs.claim_due(lease).await.unwrap().is_none());
        db.clock.advance(Duration::seconds(1));
        let j = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!(j.attempts, 2);
        let now = db.store.now();
        assert_eq!(
            jobs.fail(&j, "again").await.unwrap(),
            FailOutcome::RetryAt(now + Duration::seconds(60))
        );
        db.clock.advance(Duration::seconds(60));
        let j = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!(j.attempts, 3);
        assert_eq!(
            jobs.fail(&j, &"长".repeat(5000)).await.unwrap(),
            FailOutcome::Dead
        );
        let rec = jobs.get(id).await.unwrap().unwrap();
        assert_eq!(rec.state, JobState::Dead);
        assert_eq!(rec.last_error.unwrap().chars().count(), 2000);
        db.clock.advance(Duration::days(1));
        assert!(jobs.claim_due(lease).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn expired_lease_is_taken_over_and_the_late_worker_is_refused() {
    each_backend(|db| async move {
        let jobs = db.store.jobs();
        let id = jobs
            .enqueue(&NewJob::new("report.build", json!({"year": 2026})).max_attempts(2))
            .await
            .unwrap()
            .id();
        let slow = jobs.claim_due(Duration::minutes(5)).await.unwrap().unwrap();
        // Within the lease nobody else gets it.
        db.clock.advance(Duration::minutes(4));
        assert!(
            jobs.claim_due(Duration::minutes(5))
                .await
                .unwrap()
                .is_none()
        );
        // After it, another worker does.
        db.clock.advance(Duration::minutes(2));
        let fresh = jobs.claim_due(Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!(fresh.id, id);
        assert_eq!(fresh.attempts, 2);
        assert!(matches!(
            jobs.complete(&slow).await.unwrap_err(),
            StoreError::LeaseLost
        ));
        assert!(matches!(
            jobs.fail(&slow, "late").await.unwrap_err(),
            StoreError::LeaseLost
        ));
        // The second worker dies too: after its lease the job is out of attempts → dead.
        db.clock.advance(Duration::minutes(6));
        assert!(
            jobs.claim_due(Duration::minutes(5))
                .await
                .unwrap()
                .is_none()
        );
        let rec = jobs.get(id).await.unwrap().unwrap();
        assert_eq!(rec.state, JobState::Dead);
        assert!(rec.last_error.unwrap().contains("租约"));
    })
    .await;
}

async fn drain(store: Store, workers: usize) -> Vec<i64> {
    let mut handles = Vec::new();
    for _ in 0..workers {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            while let Some(job) = store.jobs().claim_due(Duration::minutes(10)).await.unwrap() {
                mine.push(job.id);
                store.jobs().complete(&job).await.unwrap();
            }
            mine
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn claims_are_exclusive_under_concurrency() {
    each_backend(|db| async move {
        let n = 120;
        for i in 0..n {
            db.store
                .jobs()
                .enqueue(&NewJob::new("work", json!({ "i": i })))
                .await
                .unwrap();
        }
        // Workers on two independent pools (two processes) drain the queue together.
        let other = db.another_store().await;
        let a = tokio::spawn(drain(db.store.clone(), 6));
        let b = tokio::spawn(drain(other.clone(), 6));
        let mut ids = a.await.unwrap();
        ids.extend(b.await.unwrap());
        let unique: HashSet<i64> = ids.iter().copied().collect();
        assert_eq!(ids.len(), n, "every job claimed exactly once");
        assert_eq!(unique.len(), n, "no job claimed twice");
        for id in unique {
            let rec = db.store.jobs().get(id).await.unwrap().unwrap();
            assert_eq!((rec.state, rec.attempts), (JobState::Done, 1));
        }
        other.close().await;
    })
    .await;
}
