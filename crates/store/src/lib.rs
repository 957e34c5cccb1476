//! Persistence of gongkai: schema, migrations and one repository module per aggregate, over
//! SQLite (default, one file) or PostgreSQL (several stateless app servers), chosen by the URL.
//!
//! # Design choice: one `AnyPool` and portable SQL
//!
//! The store talks to both databases through sqlx's `Any` driver with one set of queries, rather
//! than an enum of a `SqlitePool` and a `PgPool` with every query written (or macro-expanded)
//! twice. Why:
//!
//! - The SQL we need is the common subset: `$1…$n` placeholders work on both (sqlx-sqlite binds
//!   `$N` by number), both have `RETURNING`, `ON CONFLICT … DO UPDATE/NOTHING`,
//!   `WITH RECURSIVE`, partial and expression indexes. Only two statements differ (the job claim
//!   adds `FOR UPDATE SKIP LOCKED` on PostgreSQL; `integrity_check`), chosen by [`Backend`].
//! - `Any` maps only integers, text, floats, blobs and booleans, so the schema sticks to
//!   those: instants are fixed-width RFC 3339 UTC text (sorts as time; `COLLATE "C"` on
//!   PostgreSQL), booleans INTEGER 0/1, JSON as TEXT. That costs nothing here: the audit chain
//!   hashes stored text byte for byte anyway, and one representation on both backends means
//!   one set of row decoders and tests that compare like with like.
//! - A typed-pool enum would double every query site or push every function through a macro,
//!   and transactions would need an enum too; generic code over `sqlx::Database` needs heavy
//!   trait bounds. The cost of `Any` (values converted once more, no compile-time `query!`
//!   checking) is small next to that — `query!` only checks against one database anyway.
//! - Connection settings that `Any` URLs cannot carry (SQLite WAL, `synchronous=FULL`,
//!   `foreign_keys`, `busy_timeout`) are applied with `after_connect`; SQLite write
//!   transactions start with `BEGIN IMMEDIATE` via `begin_with`.
//!
//! # Writes and the audit trail
//!
//! Every business write goes through a [`WriteTx`] from [`Store::begin`], and the repository
//! function that writes also appends its [`AuditEntry`] in the same transaction.
//! [`WriteTx::commit`] refuses (rolls back, [`StoreError::MissingAudit`]) a business
//! transaction without an audit entry, so a forgotten entry fails every test that touches it.
//! Each aggregate has a handle (`store.organs()`, `store.users()`, …) whose methods run one
//! transaction each; the `pub async fn …(tx: &mut WriteTx, …)` functions in the modules let a
//! caller combine several writes in one transaction.
//!
//! Time comes from the store's [`Clock`] ([`ManualClock`] in tests), never from `Utc::now()` in
//! a repository.
//!
//! # Use
//!
//! ```no_run
//! use gongkai_store::{Actor, NewOrgan, OrganContact, OrganKind, Store};
//!
//! # async fn demo() -> gongkai_store::Result<()> {
//! let store = Store::connect("sqlite://data/gongkai.db?mode=rwc").await?;
//! store.migrate().await?;
//!
//! let organ = store
//!     .organs()
//!     .create(
//!         &Actor::system(),
//!         &NewOrgan {
//!             parent_id: None,
//!             name: "某区人民政府".into(),
//!             credit_code: None,
//!             kind: OrganKind::Government,
//!             contact: OrganContact::default(),
//!         },
//!     )
//!     .await?;
//!
//! // Login form: check the password (throttled, audited), then start a session and put
//! // `token.expose()` in an HttpOnly cookie.
//! let ip = Some("192.0.2.10".parse().unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()));
//! let user = store.users().authenticate("zhangsan", "Gongkai-2026x", ip).await?;
//! let (token, _session) = store.sessions().create(user.id, ip, Some("Mozilla/5.0")).await?;
//!
//! // Every request: the cookie's token → the session (with its CSRF token) and the user.
//! if let Some(active) = store.sessions().load(token.expose()).await? {
//!     let _roles = store.users().roles(active.user.id).await?;
//!     let _csrf = &active.session.csrf_token;
//! }
//! # let _ = organ;
//! # Ok(())
//! # }
//! ```

pub mod annual_reports;
pub mod applications;
pub mod audit;
mod auth;
pub mod batch_audits;
pub mod challenges;
mod clock;
mod db;
pub mod departments;
mod domain;
mod error;
pub mod inspections;
pub mod items;
pub mod jobs;
pub mod letters;
pub mod organs;
pub mod password;
pub mod sessions;
pub mod supervision;
pub mod users;

pub use annual_reports::{
    AnnualReport, AnnualReports, FigureEntry, FigureKey, Narrative, ReportFigures, ReportStatus,
    ReportSummary, ReportVersion,
};
pub use applications::{
    Application, ApplicationEvent, ApplicationSummary, Applications, NewApplication, OpenCase,
    OpenFilter, OpenPage,
};
pub use audit::{
    AuditEntry, AuditFilter, AuditLog, AuditPage, AuditRecord, ChainProblem, ChainProblemKind,
    ChainReport,
};
pub use auth::{ACCOUNT_MAX_FAILURES, FAILURE_WINDOW, IP_MAX_FAILURES, LOCK_DURATION};
pub use challenges::{
    Challenge, ChallengeFilter, ChallengeInput, ChallengeSummary, Challenges, Table4Block,
    Table4Cell, Table4Tally,
};
pub use clock::{Clock, ManualClock, SystemClock, china_date};
pub use db::{Actor, Backend, Store, StoreOptions, WriteTx};
pub use departments::{Department, Departments};
pub use domain::{CreditCode, OrganKind, Role, Username};
pub use error::{Result, StoreError, ValidationError};
pub use gongkai_law::CreditCodeError;
pub use items::{
    ApproveInput, Attachment, EditorialRights, ImportedItem, IndexChange, IndexDocument, Item,
    ItemContent, ItemForIndex, ItemPage, ItemSummary, ItemVersion, Items, NewAttachment,
    PublicFilter, ReferenceKind, ReferenceTerm, RevisionInput, TimelinessTally, WithholdInput,
    WorkFilter, WorkItem,
};
pub use jobs::{Enqueued, FailOutcome, Job, JobRecord, JobState, Jobs, NewJob};
pub use organs::{NewOrgan, Organ, OrganContact, Organs};
pub use password::Password;
pub use sessions::{ActiveSession, Session, SessionToken, Sessions};
pub use users::{NewUser, RoleGrant, User, Users};

impl Store {
    /// Organs and their hierarchy.
    pub fn organs(&self) -> Organs<'_> {
        Organs { store: self }
    }

    /// Departments (科室) of organs.
    pub fn departments(&self) -> Departments<'_> {
        Departments { store: self }
    }

    /// Accounts, roles and login.
    pub fn users(&self) -> Users<'_> {
        Users { store: self }
    }

    /// Login sessions.
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { store: self }
    }

    /// The audit log.
    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog { store: self }
    }

    /// Items of proactive disclosure (主动公开) and their reference data.
    pub fn items(&self) -> Items<'_> {
        Items { store: self }
    }

    /// Disclosure applications (依申请公开) and their clock.
    pub fn applications(&self) -> Applications<'_> {
        Applications { store: self }
    }

    /// Letters to applicants: edited templates and issued letters.
    pub fn letters(&self) -> letters::Letters<'_> {
        letters::Letters { store: self }
    }

    /// The register of 行政复议 and 行政诉讼 cases (条例第五十一条) and its table-四 tally.
    pub fn challenges(&self) -> Challenges<'_> {
        Challenges { store: self }
    }

    /// The annual reports (年度报告) as organs edit, review and publish them.
    pub fn annual_reports(&self) -> AnnualReports<'_> {
        AnnualReports { store: self }
    }

    /// Batch audits of published annual reports by a supervising organ, and decisions on findings.
    pub fn batch_audits(&self) -> batch_audits::BatchAudits<'_> {
        batch_audits::BatchAudits { store: self }
    }

    /// Reads of the supervision dashboard (监督保障) over an organ's subtree, and its scoring
    /// weights.
    pub fn supervision(&self) -> supervision::Supervision<'_> {
        supervision::Supervision { store: self }
    }

    /// Inspections (监督检查) of the organs below, their 通报 and the organs' 整改.
    pub fn inspections(&self) -> inspections::Inspections<'_> {
        inspections::Inspections { store: self }
    }

    /// Background jobs.
    pub fn jobs(&self) -> Jobs<'_> {
        Jobs { store: self }
    }

    /// Walks the audit hash chain; see [`AuditLog::verify_chain`].
    pub async fn verify_audit_chain(&self) -> Result<ChainReport> {
        self.audit().verify_chain().await
    }
}
