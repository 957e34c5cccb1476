//! Test harness: every test body runs on a fresh SQLite file and, when
//! `GONGKAI_TEST_DATABASE_URL` is set (e.g. `postgres://postgres@127.0.0.1:5432/postgres`), on
//! a freshly created PostgreSQL database that is dropped afterwards (even if the body panics).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use gongkai_store::{
    Actor, Backend, CreditCode, ManualClock, NewOrgan, NewUser, Organ, OrganContact, OrganKind,
    Password, Store, StoreOptions, User, Username,
};
use sqlx::{AssertSqlSafe, Connection};

pub const PG_ENV: &str = "GONGKAI_TEST_DATABASE_URL";

/// The instant every test starts at.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 1, 0, 0).unwrap()
}

pub struct TestDb {
    pub store: Store,
    pub clock: ManualClock,
    pub url: String,
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// A second, independent pool on the same database (like a second process).
    pub async fn another_store(&self) -> Store {
        Store::connect_with(
            &self.url,
            StoreOptions {
                max_connections: Some(5),
                clock: Arc::new(self.clock.clone()),
            },
        )
        .await
        .unwrap()
    }

    /// Runs raw SQL outside the store (to play the attacker, or to inspect).
    pub async fn raw(&self, sql: &str) {
        let mut conn = sqlx::AnyConnection::connect(&self.url).await.unwrap();
        sqlx::raw_sql(AssertSqlSafe(sql.to_owned()))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }

    pub async fn count(&self, table: &str) -> i64 {
        let mut conn = sqlx::AnyConnection::connect(&self.url).await.unwrap();
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        n
    }

    /// Disables the append-only triggers of audit_log (an attacker with database access).
    pub async fn disable_audit_triggers(&self) {
        match self.backend() {
            Backend::Sqlite => {
                self.raw("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
                    .await
            }
            Backend::Postgres => {
                self.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
                    .await
            }
        }
    }

    pub fn admin(&self) -> Actor {
        Actor::system()
    }

    /// A top-level organ with a valid credit code built from `n`.
    pub async fn organ(&self, name: &str, parent: Option<i64>) -> Organ {
        self.store
            .organs()
            .create(
                &self.admin(),
                &NewOrgan {
                    parent_id: parent,
                    name: name.to_owned(),
                    credit_code: None,
                    kind: OrganKind::Department,
                    contact: OrganContact::default(),
                },
            )
            .await
            .unwrap()
    }

    pub async fn user(&self, username: &str, password: &str, organ_id: i64) -> User {
        let name = Username::parse(username).unwrap();
        self.store
            .users()
            .create(
                &self.admin(),
                &NewUser {
                    password: Password::new(password, &name).unwrap(),
                    username: name,
                    display_name: "测试用户".to_owned(),
                    organ_id,
                },
            )
            .await
            .unwrap()
    }
}

/// A valid credit code: `body` (17 characters) plus its computed check character.
pub fn credit_code(body: &str) -> CreditCode {
    let check = CreditCode::check_char_for(body).unwrap();
    CreditCode::parse(&format!("{body}{check}")).unwrap()
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The temporary directory is returned separately and kept by the harness until the body has
/// finished: a body that only uses some fields of `TestDb` captures only those.
async fn sqlite_db() -> (TestDb, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gongkai.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let clock = ManualClock::new(t0());
    let store = Store::connect_with(
        &url,
        StoreOptions {
            max_connections: None,
            clock: Arc::new(clock.clone()),
        },
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    (TestDb { store, clock, url }, dir)
}

/// `url` with its database name replaced.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| i + authority_start);
    let mut out = format!("{}/{}", &base[..path_start], db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

async fn create_pg_db(admin_url: &str) -> (TestDb, String) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "gongkai_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    );
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
    let url = with_database(admin_url, &name);
    let clock = ManualClock::new(t0());
    let store = Store::connect_with(
        &url,
        StoreOptions {
            max_connections: Some(8),
            clock: Arc::new(clock.clone()),
        },
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    (TestDb { store, clock, url }, name)
}

async fn drop_pg_db(admin_url: &str, name: &str) {
    let mut admin = sqlx::PgConnection::connect(admin_url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    admin.close().await.unwrap();
}

fn rethrow(result: Result<(), tokio::task::JoinError>, backend: &str) {
    if let Err(e) = result {
        if e.is_panic() {
            eprintln!("test failed on {backend}");
            std::panic::resume_unwind(e.into_panic());
        }
        panic!("test task on {backend} did not finish: {e}");
    }
}

/// Runs `body` on SQLite, then on PostgreSQL if configured.
pub async fn each_backend<F, Fut>(body: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (db, dir) = sqlite_db().await;
    rethrow(tokio::spawn(body(db)).await, "SQLite");
    drop(dir);

    if let Ok(admin_url) = std::env::var(PG_ENV) {
        sqlx::any::install_default_drivers();
        let (db, name) = create_pg_db(&admin_url).await;
        let result = tokio::spawn(body(db)).await;
        drop_pg_db(&admin_url, &name).await;
        rethrow(result, "PostgreSQL");
    }
}
