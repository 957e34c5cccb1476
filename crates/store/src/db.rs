//! The [`Store`] (a connection pool plus the clock), write transactions ([`WriteTx`]) and the
//! encoding helpers shared by the repository modules.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::clock::{Clock, SystemClock, now_micros};
use crate::error::{Result, StoreError};

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The database behind a [`Store`], chosen by the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://path/to/file.db?mode=rwc` — one machine, nothing to install.
    Sqlite,
    /// `postgres://user@host/db` — one database behind several stateless app servers.
    Postgres,
}

impl Backend {
    /// The backend for a database URL.
    pub fn from_url(url: &str) -> Result<Backend> {
        let lower = url.trim_start().to_ascii_lowercase();
        if lower.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }
}

/// Who is doing a write: recorded in the audit entry of every business write.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    /// The logged-in user, or `None` for the system itself (jobs, CLI, migrations).
    pub user_id: Option<i64>,
    /// The client address of the request, when there is one.
    pub ip: Option<IpAddr>,
}

impl Actor {
    /// The platform itself (background jobs, command-line administration).
    pub fn system() -> Actor {
        Actor::default()
    }

    /// A logged-in user acting from `ip`.
    pub fn user(user_id: i64, ip: Option<IpAddr>) -> Actor {
        Actor {
            user_id: Some(user_id),
            ip,
        }
    }

    /// Someone not logged in (a login attempt, a public form) from `ip`.
    pub fn anonymous(ip: Option<IpAddr>) -> Actor {
        Actor { user_id: None, ip }
    }
}

/// Options for [`Store::connect_with`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Pool size; default 8 for SQLite (one writer at a time anyway), 10 for PostgreSQL.
    pub max_connections: Option<u32>,
    /// Where "now" comes from; tests inject a [`crate::ManualClock`].
    pub clock: Arc<dyn Clock>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: None,
            clock: Arc::new(SystemClock),
        }
    }
}

/// The database: a pool of connections, the backend it talks to and the clock. Cheap to clone
/// (share one per process).
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    clock: Arc<dyn Clock>,
    /// SQLite has one writer at a time: in-process writers queue here (fairly, without holding
    /// a connection) instead of spinning in SQLite's busy handler. Other processes are still
    /// kept out by `BEGIN IMMEDIATE` + `busy_timeout`.
    write_lock: Arc<Mutex<()>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to `url` (`sqlite://…?mode=rwc` or `postgres://…`) with default options. Call
    /// [`Store::migrate`] next.
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, StoreOptions::default()).await
    }

    /// Connects with explicit options.
    pub async fn connect_with(url: &str, options: StoreOptions) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(options.max_connections.unwrap_or(8))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // WAL: readers do not block the writer. synchronous=FULL: a commit
                            // that returned survives power loss / SIGKILL. foreign_keys is off
                            // by default in SQLite. busy_timeout: wait up to 5 s for another
                            // process's write lock before failing. mmap_size: read the file
                            // through a memory map shared by all connections instead of one
                            // pread copy per page (the district report reads ~1 GB of pages;
                            // docs/performance.md); cache_size: 16 MiB of parsed pages each.
                            sqlx::raw_sql(
                                "PRAGMA journal_mode = WAL; \
                                 PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; \
                                 PRAGMA busy_timeout = 5000; \
                                 PRAGMA mmap_size = 2147483648; \
                                 PRAGMA cache_size = -16384;",
                            )
                            .execute(conn)
                            .await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(options.max_connections.unwrap_or(10))
                    .connect(url)
                    .await?
            }
        };
        Ok(Store {
            pool,
            backend,
            clock: options.clock,
            write_lock: Arc::new(Mutex::new(())),
        })
    }

    /// Applies the pending migrations of this backend (`migrations/sqlite` or
    /// `migrations/postgres`). Safe to run from several processes at once.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The current instant from the store's clock (microsecond precision).
    pub fn now(&self) -> DateTime<Utc> {
        now_micros(self.clock.as_ref())
    }

    /// Today in China by the store's clock (see [`crate::china_date`]).
    pub fn today(&self) -> chrono::NaiveDate {
        crate::clock::china_date(self.now())
    }

    /// The pool, for reads inside this crate.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The raw pool, for diagnostics and tests only: writes through it bypass the audit trail.
    #[doc(hidden)]
    pub fn raw_pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a business write on behalf of `actor`. [`WriteTx::commit`] refuses (and rolls back)
    /// unless at least one audit entry was appended with [`WriteTx::audit`].
    pub async fn begin(&self, actor: &Actor) -> Result<WriteTx> {
        self.begin_inner(actor.clone(), true).await
    }

    /// A write that is not a business change (sessions, login counters, jobs): no audit needed.
    pub(crate) async fn begin_technical(&self) -> Result<WriteTx> {
        self.begin_inner(Actor::system(), false).await
    }

    async fn begin_inner(&self, actor: Actor, require_audit: bool) -> Result<WriteTx> {
        let (guard, tx) = match self.backend {
            Backend::Sqlite => {
                let guard = Arc::clone(&self.write_lock).lock_owned().await;
                // IMMEDIATE takes the write lock now; a deferred transaction that reads first
                // could fail with SQLITE_BUSY when it later tries to write.
                let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
                (Some(guard), tx)
            }
            Backend::Postgres => (None, self.pool.begin().await?),
        };
        Ok(WriteTx {
            tx,
            backend: self.backend,
            clock: Arc::clone(&self.clock),
            actor,
            require_audit,
            audited: 0,
            _guard: guard,
        })
    }

    /// Runs `step` in one write transaction by `actor` and commits it: the one-transaction form of
    /// a repository's `pub async fn …(tx, …)` functions.
    pub async fn write<T>(
        &self,
        actor: &Actor,
        step: impl AsyncFnOnce(&mut WriteTx) -> Result<T>,
    ) -> Result<T> {
        let mut tx = self.begin(actor).await?;
        let out = step(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// A random 32-byte secret shared by every server of this deployment, created on first use.
    /// Concurrent first calls from several servers agree: the first insert wins, and everyone
    /// reads the stored value back.
    pub async fn instance_secret(&self, name: &str) -> Result<Vec<u8>> {
        let mut fresh = [0u8; 32];
        getrandom::fill(&mut fresh).map_err(|_| StoreError::Randomness)?;
        sqlx::query("INSERT INTO instance_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(hex::encode(fresh))
            .execute(&self.pool)
            .await?;
        let stored: String =
            sqlx::query_scalar("SELECT value FROM instance_secrets WHERE name = $1")
                .bind(name)
                .fetch_one(&self.pool)
                .await?;
        hex::decode(stored.trim())
            .map_err(|_| StoreError::Corrupt(format!("instance_secrets.{name}")))
    }

    /// A cheap round trip to the database (health checks).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Checks the database file (SQLite `PRAGMA integrity_check`) or that the server answers
    /// (PostgreSQL). Returns the problems found; empty means healthy.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        match self.backend {
            Backend::Sqlite => {
                let rows = sqlx::query("PRAGMA integrity_check")
                    .fetch_all(self.pool())
                    .await?;
                let mut problems = Vec::new();
                for row in rows {
                    let line: String = row.try_get(0)?;
                    if line != "ok" {
                        problems.push(line);
                    }
                }
                Ok(problems)
            }
            Backend::Postgres => {
                let one: i64 = sqlx::query_scalar("SELECT 1")
                    .fetch_one(self.pool())
                    .await?;
                if one == 1 {
                    Ok(Vec::new())
                } else {
                    Ok(vec![format!("SELECT 1 returned {one}")])
                }
            }
        }
    }
}

/// A write transaction. SQLite: `BEGIN IMMEDIATE` (the write lock is taken at once);
/// PostgreSQL: `READ COMMITTED`, with the audit chain head row locked by the first
/// [`WriteTx::audit`] until commit. Dropping it without [`WriteTx::commit`] rolls back.
///
/// After any error inside the transaction, drop it: on PostgreSQL a failed statement aborts the
/// transaction, and a later `COMMIT` silently rolls back.
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    backend: Backend,
    clock: Arc<dyn Clock>,
    actor: Actor,
    require_audit: bool,
    pub(crate) audited: usize,
    // Declared last: released after the transaction is dropped.
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// What to append to a `SELECT` of one row that this transaction goes on to change: a row
    /// lock until commit on PostgreSQL (READ COMMITTED would let two writers both read the same
    /// version); nothing on SQLite, whose write transactions are already serialised by
    /// `BEGIN IMMEDIATE`.
    pub fn row_lock(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// Who is writing.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The current instant from the store's clock.
    pub fn now(&self) -> DateTime<Utc> {
        now_micros(self.clock.as_ref())
    }

    /// Today in China by the store's clock (see [`crate::china_date`]).
    pub fn today(&self) -> chrono::NaiveDate {
        crate::clock::china_date(self.now())
    }

    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }

    /// Commits. A business write without an audit entry is rolled back and reported as
    /// [`StoreError::MissingAudit`].
    pub async fn commit(self) -> Result<()> {
        if self.require_audit && self.audited == 0 {
            self.tx.rollback().await?;
            return Err(StoreError::MissingAudit);
        }
        self.tx.commit().await?;
        Ok(())
    }

    /// Rolls back explicitly (dropping does the same).
    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

// ---- encoding helpers -------------------------------------------------------------------

/// Instants are stored as fixed-width RFC 3339 UTC text (`2026-11-25T08:30:00.000000Z`), which
/// sorts chronologically as text on both backends.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("时间“{s}”: {e}")))
}

pub(crate) fn get_ts(row: &AnyRow, col: &str) -> Result<DateTime<Utc>> {
    let s: String = row.try_get(col)?;
    parse_ts(&s)
}

pub(crate) fn get_opt_ts(row: &AnyRow, col: &str) -> Result<Option<DateTime<Utc>>> {
    let s: Option<String> = row.try_get(col)?;
    s.as_deref().map(parse_ts).transpose()
}

pub(crate) fn get_bool(row: &AnyRow, col: &str) -> Result<bool> {
    let v: i64 = row.try_get(col)?;
    Ok(v != 0)
}

/// Parses an optional stored IP address (ignoring anything unparseable).
pub(crate) fn get_opt_ip(row: &AnyRow, col: &str) -> Result<Option<IpAddr>> {
    let s: Option<String> = row.try_get(col)?;
    Ok(s.and_then(|s| s.parse().ok()))
}
