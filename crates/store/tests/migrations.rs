//! Connecting, migrating from empty, health checks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::each_backend;
use gongkai_store::{Backend, Store, StoreError};

#[tokio::test]
async fn migrations_run_from_empty_and_are_idempotent() {
    each_backend(|db| async move {
        // Already migrated by the harness from an empty database; a second run is a no-op
        // (what happens when several app servers start at once).
        db.store.migrate().await.unwrap();
        let other = db.another_store().await;
        other.migrate().await.unwrap();
        for table in [
            "organs",
            "departments",
            "users",
            "user_roles",
            "sessions",
            "login_attempts",
            "audit_log",
            "jobs",
        ] {
            assert_eq!(db.count(table).await, 0, "{table}");
        }
        assert_eq!(db.count("audit_head").await, 1);
        assert!(db.store.integrity_check().await.unwrap().is_empty());
        let report = db.store.verify_audit_chain().await.unwrap();
        assert!(report.is_ok());
        assert_eq!(report.head_seq, 0);
        other.close().await;
    })
    .await;
}

#[tokio::test]
async fn sqlite_pragmas_are_set() {
    each_backend(|db| async move {
        if db.backend() != Backend::Sqlite {
            return;
        }
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        // journal_mode is stored in the file: set by the store's connections.
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        // The per-connection settings, checked on a store connection.
        let (sync, fk, timeout) = gongkai_store_pragmas(&db.store).await;
        assert_eq!(sync, 2, "synchronous=FULL");
        assert_eq!(fk, 1, "foreign_keys=ON");
        assert_eq!(timeout, 5000, "busy_timeout");
    })
    .await;
}

/// Reads the per-connection pragmas through the store's own pool.
async fn gongkai_store_pragmas(store: &Store) -> (i64, i64, i64) {
    let pool = store.raw_pool();
    let mut conn = pool.acquire().await.unwrap();
    let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    (sync, fk, timeout)
}

#[tokio::test]
async fn backend_is_chosen_by_url_scheme() {
    assert_eq!(
        Backend::from_url("sqlite://x.db?mode=rwc").unwrap(),
        Backend::Sqlite
    );
    assert_eq!(Backend::from_url("sqlite:x.db").unwrap(), Backend::Sqlite);
    assert_eq!(
        Backend::from_url("postgres://u@h/db").unwrap(),
        Backend::Postgres
    );
    assert_eq!(
        Backend::from_url("postgresql://u@h/db").unwrap(),
        Backend::Postgres
    );
    let err = Store::connect("mysql://u@h/db").await.unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl));
    assert!(err.to_string().contains("sqlite://"));
    assert!(err.is_internal());
}

#[tokio::test]
async fn an_instance_secret_is_created_once_and_shared_by_every_server() {
    each_backend(|db| async move {
        let other = db.another_store().await;
        let (a, b) = tokio::join!(
            db.store.instance_secret("login_form_key"),
            other.instance_secret("login_form_key")
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len(), 32);
        assert_eq!(a, b, "two servers must agree on the key");
        assert_eq!(db.store.instance_secret("login_form_key").await.unwrap(), a);
        assert_ne!(db.store.instance_secret("another").await.unwrap(), a);
        other.close().await;
    })
    .await;
}
