//! Staff accounts and their roles. Passwords are hashed here (argon2id) before they reach the
//! database; the hash never leaves the crate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::db::{Actor, Store, WriteTx, get_bool, get_ts, ts};
use crate::departments;
use crate::domain::{Role, Username, clean_required};
use crate::error::{Result, StoreError, ValidationError, is_unique_violation};
use crate::organs;
use crate::password::{self, Password};

/// Longest display name accepted.
pub const DISPLAY_NAME_MAX: usize = 64;
/// Longest e-mail address accepted (RFC 5321: 254 octets in a path; ASCII here, so characters).
pub const EMAIL_MAX: usize = 254;

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: Username,
    /// The person's name as shown (e.g. 张三).
    pub display_name: String,
    pub password: Password,
    /// The organ the person works in.
    pub organ_id: i64,
}

/// A stored account (without its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: Username,
    pub display_name: String,
    pub organ_id: i64,
    pub active: bool,
    /// Where deadline reminders go; `None` = the user gets none.
    pub email: Option<String>,
    pub password_changed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// A role held in an organ (optionally limited to one department).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleGrant {
    pub organ_id: i64,
    pub role: Role,
    pub department_id: Option<i64>,
}

macro_rules! user_cols {
    () => {
        "id, username, display_name, organ_id, active, email, password_changed_at, created_at"
    };
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    let username: String = row.try_get("username")?;
    Ok(User {
        id: row.try_get("id")?,
        username: Username::parse(&username)
            .map_err(|e| StoreError::Corrupt(format!("用户名“{username}”: {e}")))?,
        display_name: row.try_get("display_name")?,
        organ_id: row.try_get("organ_id")?,
        active: get_bool(row, "active")?,
        email: row.try_get("email")?,
        password_changed_at: get_ts(row, "password_changed_at")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(crate) async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Option<User>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        user_cols!(),
        " FROM users WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

async fn require_in(tx: &mut WriteTx, id: i64) -> Result<User> {
    get_in(tx, id)
        .await?
        .ok_or_else(|| StoreError::not_found("用户", id))
}

/// The audit view of a user (no hash, obviously).
fn audit_view(user: &User) -> serde_json::Value {
    json!({
        "username": user.username.as_str(),
        "display_name": user.display_name,
        "organ_id": user.organ_id,
        "active": user.active,
    })
}

/// Inserts an account with an already computed password hash (audit `user.create`).
/// Use [`Users::create`], which hashes off the async threads.
pub async fn create(tx: &mut WriteTx, new: &NewUser, password_hash: &str) -> Result<User> {
    let display_name = clean_required("姓名", &new.display_name, DISPLAY_NAME_MAX)?;
    if organs::get_in(tx, new.organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", new.organ_id));
    }
    let now = tx.now();
    let inserted = sqlx::query(
        "INSERT INTO users (username, display_name, password_hash, organ_id, active, \
         password_changed_at, created_at) VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
    )
    .bind(new.username.as_str())
    .bind(&display_name)
    .bind(password_hash)
    .bind(new.organ_id)
    .bind(ts(now))
    .bind(ts(now))
    .fetch_one(tx.conn())
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(e) if is_unique_violation(&e) => {
            return Err(StoreError::DuplicateUsername(new.username.to_string()));
        }
        Err(e) => return Err(e.into()),
    };
    let user = User {
        id,
        username: new.username.clone(),
        display_name,
        organ_id: new.organ_id,
        active: true,
        email: None,
        password_changed_at: now,
        created_at: now,
    };
    tx.audit(
        AuditEntry::new("user.create", "user", id)
            .organ(Some(user.organ_id))
            .after(audit_view(&user)),
    )
    .await?;
    Ok(user)
}

/// Checks and normalises a staff e-mail address: trimmed, the domain lower-cased; empty means
/// "none". Deliberately strict (plain ASCII `local@domain.tld`): an address the SMTP server
/// refuses later would only show up as a failed reminder job nobody reads.
pub fn parse_email(raw: &str) -> Result<Option<String>> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let refuse = |why: &str| {
        Err(StoreError::Rule(format!(
            "电子邮箱“{value}”{why}，请填写形如 zhangsan@example.gov.cn 的地址"
        )))
    };
    if value.chars().count() > EMAIL_MAX {
        return refuse(&format!("超过 {EMAIL_MAX} 个字符"));
    }
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return refuse("含有空格、中文或其他不允许的字符");
    }
    let Some((local, domain)) = value.split_once('@') else {
        return refuse("缺少“@”");
    };
    if domain.contains('@') {
        return refuse("含有多个“@”");
    }
    const SPECIALS: &[char] = &['<', '>', '(', ')', '[', ']', ',', ';', ':', '\\', '"'];
    if local.is_empty() || local.len() > 64 || local.contains(SPECIALS) {
        return refuse("“@”前的部分为空、过长或含有不允许的符号");
    }
    let labels_ok = domain.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !domain.contains('.') || !labels_ok {
        return refuse("“@”后的域名格式不正确");
    }
    Ok(Some(format!("{local}@{}", domain.to_ascii_lowercase())))
}

/// Sets (or with `None`/empty clears) a user's e-mail address (audit `user.set_email`).
/// Returns `false` (and writes nothing) when the address does not change.
pub async fn set_email(tx: &mut WriteTx, user_id: i64, email: Option<&str>) -> Result<bool> {
    let email = parse_email(email.unwrap_or_default())?;
    let before = require_in(tx, user_id).await?;
    if before.email == email {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(email.as_deref())
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    tx.audit(
        AuditEntry::new("user.set_email", "user", user_id)
            .organ(Some(before.organ_id))
            .before(json!({ "email": before.email }))
            .after(json!({ "email": email })),
    )
    .await?;
    Ok(true)
}

/// Deletes every session of a user ("log out everywhere"); returns how many.
pub(crate) async fn delete_sessions_in(tx: &mut WriteTx, user_id: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// Stores a new password hash, ends all the user's sessions (audit `user.set_password`).
pub async fn set_password_hash(tx: &mut WriteTx, user_id: i64, password_hash: &str) -> Result<()> {
    let user = require_in(tx, user_id).await?;
    let now = tx.now();
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(ts(now))
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    let sessions = delete_sessions_in(tx, user_id).await?;
    tx.audit(
        AuditEntry::new("user.set_password", "user", user_id)
            .organ(Some(user.organ_id))
            .after(json!({ "password_changed": true, "sessions_ended": sessions })),
    )
    .await?;
    Ok(())
}

/// Activates or deactivates an account; deactivation ends all its sessions
/// (audit `user.deactivate` / `user.reactivate`). Returns the user as it is now.
pub async fn set_active(tx: &mut WriteTx, user_id: i64, active: bool) -> Result<User> {
    let before = require_in(tx, user_id).await?;
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    if !active {
        delete_sessions_in(tx, user_id).await?;
    }
    let after = User {
        active,
        ..before.clone()
    };
    let action = if active {
        "user.reactivate"
    } else {
        "user.deactivate"
    };
    tx.audit(
        AuditEntry::new(action, "user", user_id)
            .organ(Some(before.organ_id))
            .before(audit_view(&before))
            .after(audit_view(&after)),
    )
    .await?;
    Ok(after)
}

async fn check_grant(tx: &mut WriteTx, user_id: i64, grant: &RoleGrant) -> Result<User> {
    let user = require_in(tx, user_id).await?;
    if organs::get_in(tx, grant.organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", grant.organ_id));
    }
    if let Some(dept_id) = grant.department_id {
        let dept = departments::get_in(tx, dept_id)
            .await?
            .ok_or_else(|| StoreError::not_found("科室", dept_id))?;
        if dept.organ_id != grant.organ_id {
            return Err(ValidationError::DepartmentOutsideOrgan {
                department_id: dept_id,
                organ_id: grant.organ_id,
            }
            .into());
        }
    }
    Ok(user)
}

/// Grants a role (audit `role.grant`). Returns `false` (and writes nothing) if the user already
/// holds it.
pub async fn grant_role(tx: &mut WriteTx, user_id: i64, grant: &RoleGrant) -> Result<bool> {
    check_grant(tx, user_id, grant).await?;
    let held: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM user_roles WHERE user_id = $1 AND organ_id = $2 AND role = $3 \
         AND COALESCE(department_id, 0) = $4",
    )
    .bind(user_id)
    .bind(grant.organ_id)
    .bind(grant.role.code())
    .bind(grant.department_id.unwrap_or(0))
    .fetch_optional(tx.conn())
    .await?;
    if held.is_some() {
        return Ok(false);
    }
    let now = tx.now();
    let inserted = sqlx::query(
        "INSERT INTO user_roles (user_id, organ_id, role, department_id, granted_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(grant.organ_id)
    .bind(grant.role.code())
    .bind(grant.department_id)
    .bind(ts(now))
    .execute(tx.conn())
    .await;
    // A unique violation here means a concurrent grant of the same role won the race: report
    // it as an error (on PostgreSQL the transaction is aborted and must not be committed).
    inserted?;
    tx.audit(
        AuditEntry::new("role.grant", "user", user_id)
            .organ(Some(grant.organ_id))
            .after(grant),
    )
    .await?;
    Ok(true)
}

/// Revokes a role (audit `role.revoke`). Returns `false` if the user did not hold it.
pub async fn revoke_role(tx: &mut WriteTx, user_id: i64, grant: &RoleGrant) -> Result<bool> {
    let deleted = sqlx::query(
        "DELETE FROM user_roles WHERE user_id = $1 AND organ_id = $2 AND role = $3 \
         AND COALESCE(department_id, 0) = $4",
    )
    .bind(user_id)
    .bind(grant.organ_id)
    .bind(grant.role.code())
    .bind(grant.department_id.unwrap_or(0))
    .execute(tx.conn())
    .await?;
    if deleted.rows_affected() == 0 {
        return Ok(false);
    }
    tx.audit(
        AuditEntry::new("role.revoke", "user", user_id)
            .organ(Some(grant.organ_id))
            .before(grant),
    )
    .await?;
    Ok(true)
}

/// Accounts and roles: `store.users()`.
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(crate) store: &'a Store,
}

impl Users<'_> {
    /// Creates an account; hashes the password (argon2id) first. Errors: duplicate user name
    /// ([`StoreError::DuplicateUsername`]), unknown organ, invalid display name.
    pub async fn create(&self, actor: &Actor, new: &NewUser) -> Result<User> {
        let hash = password::hash_async(&new.password).await?;
        let mut tx = self.store.begin(actor).await?;
        let user = create(&mut tx, new, &hash).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn get(&self, id: i64) -> Result<Option<User>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Looks up by user name, case-insensitively. A name that is not even valid finds nothing.
    pub async fn find_by_username(&self, username: &str) -> Result<Option<User>> {
        let Ok(name) = Username::parse(username) else {
            return Ok(None);
        };
        let row = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE username = $1"
        ))
        .bind(name.as_str())
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// The accounts whose home organ is `organ_id`, by user name.
    pub async fn list(&self, organ_id: i64) -> Result<Vec<User>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE organ_id = $1 ORDER BY username"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Sets a new password (checked against the policy for this user's name), then logs the
    /// user out everywhere. Checking the current password first, when a user changes their
    /// own, is the caller's job ([`Users::check_password`]).
    pub async fn set_password(
        &self,
        actor: &Actor,
        user_id: i64,
        new_password: &str,
    ) -> Result<()> {
        let user = self
            .get(user_id)
            .await?
            .ok_or_else(|| StoreError::not_found("用户", user_id))?;
        let password = Password::new(new_password, &user.username)?;
        let hash = password::hash_async(&password).await?;
        let mut tx = self.store.begin(actor).await?;
        set_password_hash(&mut tx, user_id, &hash).await?;
        tx.commit().await
    }

    /// True if `raw` is the user's current password (no throttling: use for re-authentication
    /// of a logged-in user, e.g. before changing the password).
    pub async fn check_password(&self, user_id: i64, raw: &str) -> Result<bool> {
        let hash: Option<String> =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(self.store.pool())
                .await?;
        match hash {
            Some(hash) => Ok(password::verify_async(raw, &hash).await),
            None => {
                password::verify_dummy_async(raw).await;
                Ok(false)
            }
        }
    }

    /// Deactivates an account and ends its sessions.
    pub async fn deactivate(&self, actor: &Actor, user_id: i64) -> Result<User> {
        let mut tx = self.store.begin(actor).await?;
        let user = set_active(&mut tx, user_id, false).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Reactivates an account.
    pub async fn reactivate(&self, actor: &Actor, user_id: i64) -> Result<User> {
        let mut tx = self.store.begin(actor).await?;
        let user = set_active(&mut tx, user_id, true).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Grants a role; `Ok(false)` if already held (nothing written).
    pub async fn grant_role(&self, actor: &Actor, user_id: i64, grant: &RoleGrant) -> Result<bool> {
        let mut tx = self.store.begin(actor).await?;
        if grant_role(&mut tx, user_id, grant).await? {
            tx.commit().await?;
            Ok(true)
        } else {
            tx.rollback().await?;
            Ok(false)
        }
    }

    /// Revokes a role; `Ok(false)` if not held (nothing written).
    pub async fn revoke_role(
        &self,
        actor: &Actor,
        user_id: i64,
        grant: &RoleGrant,
    ) -> Result<bool> {
        let mut tx = self.store.begin(actor).await?;
        if revoke_role(&mut tx, user_id, grant).await? {
            tx.commit().await?;
            Ok(true)
        } else {
            tx.rollback().await?;
            Ok(false)
        }
    }

    /// Sets or clears (`None` or empty) the e-mail address reminders are sent to;
    /// `Ok(false)` if it was already that (nothing written).
    pub async fn set_email(
        &self,
        actor: &Actor,
        user_id: i64,
        email: Option<&str>,
    ) -> Result<bool> {
        let mut tx = self.store.begin(actor).await?;
        if set_email(&mut tx, user_id, email).await? {
            tx.commit().await?;
            Ok(true)
        } else {
            tx.rollback().await?;
            Ok(false)
        }
    }

    /// The active accounts holding `role` in `organ_id`, by user name. With `department_id`,
    /// only grants limited to that department (a 科室承办人 of that 科室); without, any grant
    /// of the role in the organ.
    pub async fn holding_role(
        &self,
        organ_id: i64,
        role: Role,
        department_id: Option<i64>,
    ) -> Result<Vec<User>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            user_cols!(),
            " FROM users WHERE active = 1 AND id IN (SELECT user_id FROM user_roles \
             WHERE organ_id = $1 AND role = $2 AND ($3 = 0 OR department_id = $3)) \
             ORDER BY username"
        ))
        .bind(organ_id)
        .bind(role.code())
        .bind(department_id.unwrap_or(0))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// The roles a user holds, by organ.
    pub async fn roles(&self, user_id: i64) -> Result<Vec<RoleGrant>> {
        let rows = sqlx::query(
            "SELECT organ_id, role, department_id FROM user_roles WHERE user_id = $1 \
             ORDER BY organ_id, role, department_id",
        )
        .bind(user_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let role: String = row.try_get("role")?;
                Ok(RoleGrant {
                    organ_id: row.try_get("organ_id")?,
                    role: Role::from_code(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    department_id: row.try_get("department_id")?,
                })
            })
            .collect()
    }
}
