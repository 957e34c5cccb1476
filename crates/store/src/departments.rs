//! Departments (科室 / 内设机构): units inside an organ that handle applications.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::db::{Actor, Store, WriteTx, get_ts, ts};
use crate::domain::clean_required;
use crate::error::{Result, StoreError, is_unique_violation};
use crate::organs;

/// Longest department name accepted.
pub const NAME_MAX: usize = 100;

/// A stored department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Department {
    pub id: i64,
    pub organ_id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

fn department_from_row(row: &AnyRow) -> Result<Department> {
    Ok(Department {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        name: row.try_get("name")?,
        created_at: get_ts(row, "created_at")?,
    })
}

pub(crate) async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Option<Department>> {
    let row = sqlx::query("SELECT id, organ_id, name, created_at FROM departments WHERE id = $1")
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    row.as_ref().map(department_from_row).transpose()
}

/// Creates a department in `organ_id` (audit `department.create`). Names are unique per organ.
pub async fn create(tx: &mut WriteTx, organ_id: i64, name: &str) -> Result<Department> {
    let name = clean_required("科室名称", name, NAME_MAX)?;
    if organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    let now = tx.now();
    let inserted = sqlx::query(
        "INSERT INTO departments (organ_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(organ_id)
    .bind(&name)
    .bind(ts(now))
    .fetch_one(tx.conn())
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(e) if is_unique_violation(&e) => return Err(StoreError::DuplicateDepartment(name)),
        Err(e) => return Err(e.into()),
    };
    let department = Department {
        id,
        organ_id,
        name,
        created_at: now,
    };
    tx.audit(
        AuditEntry::new("department.create", "department", id)
            .organ(Some(organ_id))
            .after(&department),
    )
    .await?;
    Ok(department)
}

/// Renames a department (audit `department.rename`).
pub async fn rename(tx: &mut WriteTx, department_id: i64, new_name: &str) -> Result<Department> {
    let name = clean_required("科室名称", new_name, NAME_MAX)?;
    let before = get_in(tx, department_id)
        .await?
        .ok_or_else(|| StoreError::not_found("科室", department_id))?;
    let updated = sqlx::query("UPDATE departments SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(department_id)
        .execute(tx.conn())
        .await;
    match updated {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Err(StoreError::DuplicateDepartment(name)),
        Err(e) => return Err(e.into()),
    }
    let after = Department {
        name,
        ..before.clone()
    };
    tx.audit(
        AuditEntry::new("department.rename", "department", department_id)
            .organ(Some(before.organ_id))
            .before(&before)
            .after(&after),
    )
    .await?;
    Ok(after)
}

/// Departments: `store.departments()`.
#[derive(Debug, Clone, Copy)]
pub struct Departments<'a> {
    pub(crate) store: &'a Store,
}

impl Departments<'_> {
    pub async fn create(&self, actor: &Actor, organ_id: i64, name: &str) -> Result<Department> {
        let mut tx = self.store.begin(actor).await?;
        let d = create(&mut tx, organ_id, name).await?;
        tx.commit().await?;
        Ok(d)
    }

    pub async fn rename(
        &self,
        actor: &Actor,
        department_id: i64,
        new_name: &str,
    ) -> Result<Department> {
        let mut tx = self.store.begin(actor).await?;
        let d = rename(&mut tx, department_id, new_name).await?;
        tx.commit().await?;
        Ok(d)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Department>> {
        let row =
            sqlx::query("SELECT id, organ_id, name, created_at FROM departments WHERE id = $1")
                .bind(id)
                .fetch_optional(self.store.pool())
                .await?;
        row.as_ref().map(department_from_row).transpose()
    }

    /// The departments of an organ, by name.
    pub async fn list(&self, organ_id: i64) -> Result<Vec<Department>> {
        let rows = sqlx::query(
            "SELECT id, organ_id, name, created_at FROM departments WHERE organ_id = $1 \
             ORDER BY name, id",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(department_from_row).collect()
    }
}
