//! Password login with throttling persisted in `login_attempts`, so that it holds across
//! restarts and across the app servers of a PostgreSQL deployment.
//!
//! Two counters are kept: one per account (`user:<name>`) and one per client address
//! (`ip:<address>`, IPv6 by /64 since one client usually owns a whole /64). Failures are counted
//! in a window of [`FAILURE_WINDOW`]; reaching the limit locks that key for [`LOCK_DURATION`].
//! The address limit is higher than the account limit because an office's staff often share
//! one NAT address. A successful login clears the account counter but not the address counter
//! (otherwise one valid account would let an attacker reset it while guessing others).

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use sqlx::Row;

use crate::audit::AuditEntry;
use crate::db::{Actor, ts};
use crate::error::{Result, StoreError};
use crate::password;
use crate::users::{User, Users, user_from_row};

/// Failures of one account within [`FAILURE_WINDOW`] that lock it.
pub const ACCOUNT_MAX_FAILURES: i64 = 5;
/// Failures from one client address within [`FAILURE_WINDOW`] that lock it.
pub const IP_MAX_FAILURES: i64 = 20;
/// How long failures are remembered.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);
/// How long a lock lasts.
pub const LOCK_DURATION: Duration = Duration::minutes(15);

/// The counter key of an account (the name as typed, normalised, bounded).
fn account_key(username: &str) -> String {
    let name: String = username.trim().to_lowercase().chars().take(64).collect();
    format!("user:{name}")
}

/// The counter key of a client address (IPv6 per /64).
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("ip:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("ip:{v4}"),
            None => {
                let s = v6.segments();
                format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl Users<'_> {
    /// Checks a user name and password from the login form.
    ///
    /// Errors: [`StoreError::LoginLocked`] when the account or the address is locked (checked
    /// before the password, which is then not even verified); [`StoreError::InvalidCredentials`]
    /// for an unknown user or a wrong password (the same error and about the same time for
    /// both: a dummy hash is verified for unknown users); [`StoreError::AccountDisabled`] for a
    /// correct password of a deactivated account. Success and failure are audited
    /// (`auth.login_succeeded`, `auth.login_failed`). The session is created separately with
    /// `store.sessions().create(…)`.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
        ip: Option<IpAddr>,
    ) -> Result<User> {
        let store = self.store;
        let now = store.now();
        let account = account_key(username);
        let address = ip.map(ip_key);

        // 1. Locked?
        let locked: Vec<String> = sqlx::query_scalar(
            "SELECT locked_until FROM login_attempts \
             WHERE key IN ($1, $2) AND locked_until IS NOT NULL AND locked_until > $3",
        )
        .bind(&account)
        .bind(address.as_deref().unwrap_or(""))
        .bind(ts(now))
        .fetch_all(store.pool())
        .await?;
        if let Some(until) = locked.iter().max() {
            let until = crate::db::parse_ts(until)?;
            let seconds = (until - now).num_seconds().max(1);
            return Err(StoreError::LoginLocked {
                until,
                minutes: (seconds + 59) / 60,
            });
        }

        // 2. The account and its hash.
        let row = match crate::domain::Username::parse(username) {
            Ok(name) => {
                sqlx::query(
                    "SELECT id, username, display_name, organ_id, active, email, \
                     password_changed_at, created_at, password_hash FROM users WHERE username = $1",
                )
                .bind(name.as_str())
                .fetch_optional(store.pool())
                .await?
            }
            Err(_) => None,
        };
        let (user, verified) = match row {
            Some(row) => {
                let user = user_from_row(&row)?;
                let hash: String = row.try_get("password_hash")?;
                let ok = password::verify_async(password, &hash).await;
                (Some(user), ok)
            }
            None => {
                password::verify_dummy_async(password).await;
                (None, false)
            }
        };

        // 3. Record the outcome.
        match user {
            Some(user) if verified && user.active => {
                let mut tx = store.begin(&Actor::user(user.id, ip)).await?;
                sqlx::query("DELETE FROM login_attempts WHERE key = $1")
                    .bind(&account)
                    .execute(tx.conn())
                    .await?;
                tx.audit(
                    AuditEntry::new("auth.login_succeeded", "user", user.id)
                        .organ(Some(user.organ_id)),
                )
                .await?;
                tx.commit().await?;
                Ok(user)
            }
            Some(user) if verified => {
                let mut tx = store.begin(&Actor::anonymous(ip)).await?;
                tx.audit(
                    AuditEntry::new("auth.login_failed", "user", user.id)
                        .organ(Some(user.organ_id))
                        .after(json!({ "username": user.username.as_str(), "reason": "disabled" })),
                )
                .await?;
                tx.commit().await?;
                Err(StoreError::AccountDisabled)
            }
            user => {
                let mut tx = store.begin(&Actor::anonymous(ip)).await?;
                let mut keys = vec![(account.clone(), ACCOUNT_MAX_FAILURES)];
                if let Some(address) = &address {
                    keys.push((address.clone(), IP_MAX_FAILURES));
                }
                let mut locked_now = Vec::new();
                for (key, max) in keys {
                    let failures = record_failure(&mut tx, &key, now).await?;
                    if failures >= max {
                        sqlx::query("UPDATE login_attempts SET locked_until = $1 WHERE key = $2")
                            .bind(ts(now + LOCK_DURATION))
                            .bind(&key)
                            .execute(tx.conn())
                            .await?;
                        locked_now.push(key);
                    }
                }
                let attempted: String = username.trim().chars().take(64).collect();
                let (entity_id, organ_id) = match &user {
                    Some(u) => (u.id.to_string(), Some(u.organ_id)),
                    None => ("unknown".to_owned(), None),
                };
                tx.audit(
                    AuditEntry::new("auth.login_failed", "user", entity_id)
                        .organ(organ_id)
                        .after(json!({
                            "username": attempted,
                            "reason": if user.is_some() { "bad_password" } else { "unknown_user" },
                            "locked": locked_now,
                        })),
                )
                .await?;
                tx.commit().await?;
                Err(StoreError::InvalidCredentials)
            }
        }
    }
}

impl Users<'_> {
    /// Clears the failed-login counter and lock of an account (an administrator helping a
    /// locked-out colleague; audit `auth.unlock`). Address locks are left to expire. Returns
    /// whether there was anything to clear.
    pub async fn unlock_login(&self, actor: &Actor, username: &str) -> Result<bool> {
        let key = account_key(username);
        let mut tx = self.store.begin(actor).await?;
        let done = sqlx::query("DELETE FROM login_attempts WHERE key = $1")
            .bind(&key)
            .execute(tx.conn())
            .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        tx.audit(
            AuditEntry::new("auth.unlock", "login", key.trim_start_matches("user:"))
                .after(json!({ "cleared": true })),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes counters whose window and lock are both over (run from a periodic job).
    pub async fn purge_stale_login_attempts(&self) -> Result<u64> {
        let now = self.store.now();
        let mut tx = self.store.begin_technical().await?;
        let done = sqlx::query(
            "DELETE FROM login_attempts WHERE first_failure_at <= $1 \
             AND (locked_until IS NULL OR locked_until <= $2)",
        )
        .bind(ts(now - FAILURE_WINDOW))
        .bind(ts(now))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

/// Adds one failure to `key` (starting a new window if the old one is over or its lock has
/// ended); returns the failures in the current window.
async fn record_failure(tx: &mut crate::db::WriteTx, key: &str, now: DateTime<Utc>) -> Result<i64> {
    let row = sqlx::query(
        "INSERT INTO login_attempts (key, failures, first_failure_at, locked_until) \
         VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (key) DO UPDATE SET \
           failures = CASE WHEN login_attempts.first_failure_at <= $3 \
                             OR login_attempts.locked_until <= $2 \
                           THEN 1 ELSE login_attempts.failures + 1 END, \
           first_failure_at = CASE WHEN login_attempts.first_failure_at <= $3 \
                                     OR login_attempts.locked_until <= $2 \
                                   THEN $2 ELSE login_attempts.first_failure_at END, \
           locked_until = CASE WHEN login_attempts.locked_until <= $2 \
                               THEN NULL ELSE login_attempts.locked_until END \
         RETURNING failures",
    )
    .bind(key)
    .bind(ts(now))
    .bind(ts(now - FAILURE_WINDOW))
    .fetch_one(tx.conn())
    .await?;
    Ok(row.try_get("failures")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalised() {
        assert_eq!(account_key("  ZhangSan "), "user:zhangsan");
        assert_eq!(ip_key("10.1.2.3".parse().unwrap()), "ip:10.1.2.3");
        assert_eq!(
            ip_key("2001:db8:1:2:3:4:5:6".parse().unwrap()),
            "ip:2001:db8:1:2::/64"
        );
        assert_eq!(ip_key("::ffff:10.1.2.3".parse().unwrap()), "ip:10.1.2.3");
    }
}
