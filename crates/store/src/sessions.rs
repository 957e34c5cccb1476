//! Server-side login sessions.
//!
//! The browser holds a random 256-bit token (64 hex characters); the database holds only its
//! SHA-256, so a copy of the database does not let anyone log in. A session ends after
//! [`IDLE_TIMEOUT`] without requests or [`ABSOLUTE_TIMEOUT`] after login, whichever comes first,
//! and when the user's password changes or the account is deactivated. Each session carries a
//! CSRF synchroniser token for the web layer's forms.

use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Store, get_opt_ip, get_ts, ts};
use crate::error::{Result, StoreError};
use crate::users::{User, user_from_row};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after login, however active.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often (saves a write per request).
pub const TOUCH_INTERVAL: Duration = Duration::seconds(60);
/// Longest user agent kept.
const USER_AGENT_MAX: usize = 512;

/// The raw session token: goes into the cookie, is never stored, never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// The value to put in the cookie.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A stored session.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    /// SHA-256 (hex) of the token: safe to show (e.g. to revoke one session from a list).
    pub id: String,
    pub user_id: i64,
    /// The CSRF token to embed in forms and compare on every non-GET request.
    #[serde(skip)]
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub ip: Option<IpAddr>,
    pub user_agent: Option<String>,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("csrf_token", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("expires_at", &self.expires_at)
            .field("ip", &self.ip)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

/// A valid session and its (active) user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveSession {
    pub session: Session,
    pub user: User,
}

fn random_hex_32() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| StoreError::Randomness)?;
    Ok(hex::encode(bytes))
}

/// The stored id of a raw token, or `None` if the token is not 64 hex characters.
fn token_id(raw: &str) -> Option<String> {
    if raw.len() != 64 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(hex::encode(Sha256::digest(
        raw.to_ascii_lowercase().as_bytes(),
    )))
}

fn session_from_row(row: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: row.try_get("session_id")?,
        user_id: row.try_get("session_user_id")?,
        csrf_token: row.try_get("csrf_token")?,
        created_at: get_ts(row, "session_created_at")?,
        last_seen_at: get_ts(row, "last_seen_at")?,
        expires_at: get_ts(row, "expires_at")?,
        ip: get_opt_ip(row, "ip")?,
        user_agent: row.try_get("user_agent")?,
    })
}

macro_rules! session_cols {
    () => {
        "s.id AS session_id, s.user_id AS session_user_id, s.csrf_token, \
         s.created_at AS session_created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent"
    };
}

/// Sessions: `store.sessions()`.
#[derive(Debug, Clone, Copy)]
pub struct Sessions<'a> {
    pub(crate) store: &'a Store,
}

impl Sessions<'_> {
    /// Starts a session for an active user (after [`crate::Users::authenticate`]). Returns the
    /// raw token — the only time it exists outside the browser — and the session.
    pub async fn create(
        &self,
        user_id: i64,
        ip: Option<IpAddr>,
        user_agent: Option<&str>,
    ) -> Result<(SessionToken, Session)> {
        let token = random_hex_32()?;
        let id = token_id(&token).ok_or(StoreError::Randomness)?;
        let csrf_token = random_hex_32()?;
        let user_agent: Option<String> = user_agent.map(|ua| {
            ua.chars()
                .filter(|c| !c.is_control())
                .take(USER_AGENT_MAX)
                .collect()
        });
        let mut tx = self.store.begin_technical().await?;
        let now = tx.now();
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(tx.conn())
            .await?;
        match active {
            None => return Err(StoreError::not_found("用户", user_id)),
            Some(0) => return Err(StoreError::AccountDisabled),
            Some(_) => {}
        }
        let session = Session {
            id,
            user_id,
            csrf_token,
            created_at: now,
            last_seen_at: now,
            expires_at: now + ABSOLUTE_TIMEOUT,
            ip,
            user_agent,
        };
        sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf_token, created_at, last_seen_at, expires_at, \
             ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&session.id)
        .bind(user_id)
        .bind(&session.csrf_token)
        .bind(ts(session.created_at))
        .bind(ts(session.last_seen_at))
        .bind(ts(session.expires_at))
        .bind(ip.map(|ip| ip.to_string()))
        .bind(session.user_agent.as_deref())
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok((SessionToken(token), session))
    }

    /// The session for a raw token from the cookie, if it is valid: not past its absolute or
    /// idle timeout, user active, created after the last password change. Refreshes
    /// `last_seen_at` when it is older than [`TOUCH_INTERVAL`]. An expired session is deleted.
    pub async fn load(&self, raw_token: &str) -> Result<Option<ActiveSession>> {
        let Some(id) = token_id(raw_token) else {
            return Ok(None);
        };
        let row = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            ", u.id, u.username, u.display_name, u.organ_id, u.active, u.email, \
             u.password_changed_at, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1"
        ))
        .bind(&id)
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut session = session_from_row(&row)?;
        let user = user_from_row(&row)?;
        let now = self.store.now();
        let valid = now < session.expires_at
            && now < session.last_seen_at + IDLE_TIMEOUT
            && user.active
            && session.created_at >= user.password_changed_at;
        if !valid {
            self.delete_by_id(&id).await?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_INTERVAL {
            let mut tx = self.store.begin_technical().await?;
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(ts(now))
                .bind(&id)
                .execute(tx.conn())
                .await?;
            tx.commit().await?;
            session.last_seen_at = now;
        }
        Ok(Some(ActiveSession { session, user }))
    }

    /// Ends the session of a raw token (logout). `false` if there was none.
    pub async fn delete(&self, raw_token: &str) -> Result<bool> {
        match token_id(raw_token) {
            Some(id) => self.delete_by_id(&id).await,
            None => Ok(false),
        }
    }

    /// Ends a session by its stored id (e.g. from [`Sessions::list_for_user`]).
    pub async fn delete_by_id(&self, id: &str) -> Result<bool> {
        let mut tx = self.store.begin_technical().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Ends every session of a user ("log out everywhere"); returns how many.
    pub async fn delete_all_for_user(&self, user_id: i64) -> Result<u64> {
        let mut tx = self.store.begin_technical().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// A user's sessions, newest first (expired ones included until purged).
    pub async fn list_for_user(&self, user_id: i64) -> Result<Vec<Session>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            session_cols!(),
            " FROM sessions s WHERE s.user_id = $1 ORDER BY s.created_at DESC"
        ))
        .bind(user_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    /// Deletes sessions past their absolute or idle timeout (run from a periodic job).
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = self.store.now();
        let mut tx = self.store.begin_technical().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(ts(now))
            .bind(ts(now - IDLE_TIMEOUT))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}
