//! Organs (机关): the bodies that disclose, in a hierarchy (a district government, its 局, its
//! 街道/乡镇), with the contact details published in their 政府信息公开指南.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::db::{Actor, Store, WriteTx, get_ts, ts};
use crate::domain::{CreditCode, OrganKind, clean_optional, clean_required};
use crate::error::{Result, StoreError, ValidationError, is_unique_violation};

/// Longest organ name accepted.
pub const NAME_MAX: usize = 200;

/// Contact details of the disclosure office (政府信息公开工作机构), as published in the 指南.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganContact {
    /// 政府信息公开工作机构的名称（如“党政办公室”）.
    pub office_name: Option<String>,
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub office_hours: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl OrganContact {
    /// Trims every field (blank → none) and checks lengths.
    pub fn cleaned(&self) -> Result<OrganContact, ValidationError> {
        Ok(OrganContact {
            office_name: clean_optional(
                "政府信息公开工作机构名称",
                self.office_name.as_deref(),
                200,
            )?,
            address: clean_optional("办公地址", self.address.as_deref(), 300)?,
            postal_code: clean_optional("邮政编码", self.postal_code.as_deref(), 20)?,
            office_hours: clean_optional("办公时间", self.office_hours.as_deref(), 300)?,
            phone: clean_optional("联系电话", self.phone.as_deref(), 100)?,
            fax: clean_optional("传真", self.fax.as_deref(), 100)?,
            email: clean_optional("电子邮箱", self.email.as_deref(), 200)?,
            website: clean_optional("网址", self.website.as_deref(), 300)?,
        })
    }
}

/// A new organ.
#[derive(Debug, Clone)]
pub struct NewOrgan {
    /// The superior organ; `None` for the top of the hierarchy.
    pub parent_id: Option<i64>,
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub kind: OrganKind,
    pub contact: OrganContact,
}

/// A stored organ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organ {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub kind: OrganKind,
    pub contact: OrganContact,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

macro_rules! organ_cols {
    () => {
        "id, parent_id, name, credit_code, kind, address, postal_code, office_hours, phone, fax, \
         email, website, office_name, created_at, updated_at"
    };
}

fn organ_from_row(row: &AnyRow) -> Result<Organ> {
    let code: Option<String> = row.try_get("credit_code")?;
    let credit_code = code
        .as_deref()
        .map(CreditCode::parse)
        .transpose()
        .map_err(|e| StoreError::Corrupt(format!("机关统一社会信用代码: {e}")))?;
    let kind: String = row.try_get("kind")?;
    Ok(Organ {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        name: row.try_get("name")?,
        credit_code,
        kind: OrganKind::from_code(&kind).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        contact: OrganContact {
            office_name: row.try_get("office_name")?,
            address: row.try_get("address")?,
            postal_code: row.try_get("postal_code")?,
            office_hours: row.try_get("office_hours")?,
            phone: row.try_get("phone")?,
            fax: row.try_get("fax")?,
            email: row.try_get("email")?,
            website: row.try_get("website")?,
        },
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
    })
}

/// Reads one organ inside a transaction.
pub(crate) async fn get_in(tx: &mut WriteTx, id: i64) -> Result<Option<Organ>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        organ_cols!(),
        " FROM organs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref().map(organ_from_row).transpose()
}

/// Inserts an organ and its audit entry (`organ.create`).
pub async fn create(tx: &mut WriteTx, new: &NewOrgan) -> Result<Organ> {
    let name = clean_required("机关名称", &new.name, NAME_MAX)?;
    let contact = new.contact.cleaned()?;
    if let Some(parent) = new.parent_id
        && get_in(tx, parent).await?.is_none()
    {
        return Err(StoreError::not_found("上级机关", parent));
    }
    let now = tx.now();
    let code = new.credit_code.as_ref().map(CreditCode::as_str);
    let inserted = sqlx::query(
        "INSERT INTO organs (parent_id, name, credit_code, kind, address, postal_code, \
         office_hours, phone, fax, email, website, created_at, updated_at, office_name) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
    )
    .bind(new.parent_id)
    .bind(&name)
    .bind(code)
    .bind(new.kind.code())
    .bind(contact.address.as_deref())
    .bind(contact.postal_code.as_deref())
    .bind(contact.office_hours.as_deref())
    .bind(contact.phone.as_deref())
    .bind(contact.fax.as_deref())
    .bind(contact.email.as_deref())
    .bind(contact.website.as_deref())
    .bind(ts(now))
    .bind(ts(now))
    .bind(contact.office_name.as_deref())
    .fetch_one(tx.conn())
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(e) if is_unique_violation(&e) => {
            return Err(StoreError::DuplicateCreditCode(
                code.unwrap_or_default().to_owned(),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let organ = Organ {
        id,
        parent_id: new.parent_id,
        name,
        credit_code: new.credit_code.clone(),
        kind: new.kind,
        contact,
        created_at: now,
        updated_at: now,
    };
    tx.audit(
        AuditEntry::new("organ.create", "organ", id)
            .organ(Some(id))
            .after(&organ),
    )
    .await?;
    Ok(organ)
}

/// Replaces the contact details of an organ; audit entry `organ.update_contact` with the
/// contact details before and after.
pub async fn update_contact(
    tx: &mut WriteTx,
    organ_id: i64,
    contact: &OrganContact,
) -> Result<Organ> {
    let contact = contact.cleaned()?;
    let before = get_in(tx, organ_id)
        .await?
        .ok_or_else(|| StoreError::not_found("机关", organ_id))?;
    let now = tx.now();
    sqlx::query(
        "UPDATE organs SET address = $1, postal_code = $2, office_hours = $3, phone = $4, \
         fax = $5, email = $6, website = $7, updated_at = $8, office_name = $10 WHERE id = $9",
    )
    .bind(contact.address.as_deref())
    .bind(contact.postal_code.as_deref())
    .bind(contact.office_hours.as_deref())
    .bind(contact.phone.as_deref())
    .bind(contact.fax.as_deref())
    .bind(contact.email.as_deref())
    .bind(contact.website.as_deref())
    .bind(ts(now))
    .bind(organ_id)
    .bind(contact.office_name.as_deref())
    .execute(tx.conn())
    .await?;
    let after = Organ {
        contact,
        updated_at: now,
        ..before.clone()
    };
    tx.audit(
        AuditEntry::new("organ.update_contact", "organ", organ_id)
            .organ(Some(organ_id))
            .before(&before.contact)
            .after(&after.contact),
    )
    .await?;
    Ok(after)
}

/// Renames an organ and/or sets its 统一社会信用代码 (audit `organ.update_identity` with both
/// values before and after). Errors: empty or over-long name, a code already used by another
/// organ ([`StoreError::DuplicateCreditCode`]).
pub async fn update_identity(
    tx: &mut WriteTx,
    organ_id: i64,
    name: &str,
    credit_code: Option<&CreditCode>,
) -> Result<Organ> {
    let name = clean_required("机关名称", name, NAME_MAX)?;
    let before = get_in(tx, organ_id)
        .await?
        .ok_or_else(|| StoreError::not_found("机关", organ_id))?;
    let now = tx.now();
    let code = credit_code.map(CreditCode::as_str);
    let updated =
        sqlx::query("UPDATE organs SET name = $1, credit_code = $2, updated_at = $3 WHERE id = $4")
            .bind(&name)
            .bind(code)
            .bind(ts(now))
            .bind(organ_id)
            .execute(tx.conn())
            .await;
    match updated {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => {
            return Err(StoreError::DuplicateCreditCode(
                code.unwrap_or_default().to_owned(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let after = Organ {
        name,
        credit_code: credit_code.cloned(),
        updated_at: now,
        ..before.clone()
    };
    tx.audit(
        AuditEntry::new("organ.update_identity", "organ", organ_id)
            .organ(Some(organ_id))
            .before(serde_json::json!({ "name": before.name, "credit_code": before.credit_code }))
            .after(serde_json::json!({ "name": after.name, "credit_code": after.credit_code })),
    )
    .await?;
    Ok(after)
}

/// Organs: `store.organs()`.
#[derive(Debug, Clone, Copy)]
pub struct Organs<'a> {
    pub(crate) store: &'a Store,
}

impl Organs<'_> {
    /// Creates an organ (audited).
    pub async fn create(&self, actor: &Actor, new: &NewOrgan) -> Result<Organ> {
        let mut tx = self.store.begin(actor).await?;
        let organ = create(&mut tx, new).await?;
        tx.commit().await?;
        Ok(organ)
    }

    /// Replaces the 指南 contact details (audited with before/after).
    pub async fn update_contact(
        &self,
        actor: &Actor,
        organ_id: i64,
        contact: &OrganContact,
    ) -> Result<Organ> {
        let mut tx = self.store.begin(actor).await?;
        let organ = update_contact(&mut tx, organ_id, contact).await?;
        tx.commit().await?;
        Ok(organ)
    }

    /// Renames an organ and sets its credit code (audited).
    pub async fn update_identity(
        &self,
        actor: &Actor,
        organ_id: i64,
        name: &str,
        credit_code: Option<&CreditCode>,
    ) -> Result<Organ> {
        let mut tx = self.store.begin(actor).await?;
        let organ = update_identity(&mut tx, organ_id, name, credit_code).await?;
        tx.commit().await?;
        Ok(organ)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Organ>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            organ_cols!(),
            " FROM organs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(organ_from_row).transpose()
    }

    /// The organs of `ids` that exist, by id (one query per [`crate::items::ID_CHUNK`] ids).
    pub async fn get_many(&self, ids: &[i64]) -> Result<Vec<Organ>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(crate::items::ID_CHUNK) {
            let query = crate::items::ids_query(chunk, |list| {
                format!(
                    concat!("SELECT ", organ_cols!(), " FROM organs WHERE id IN ({})"),
                    list
                )
            });
            for row in query.fetch_all(self.store.pool()).await? {
                out.push(organ_from_row(&row)?);
            }
        }
        out.sort_by_key(|o| o.id);
        out.dedup_by_key(|o| o.id);
        Ok(out)
    }

    pub async fn find_by_credit_code(&self, code: &CreditCode) -> Result<Option<Organ>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            organ_cols!(),
            " FROM organs WHERE credit_code = $1"
        ))
        .bind(code.as_str())
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(organ_from_row).transpose()
    }

    /// The organ a person names on the command line: its id, its 统一社会信用代码 or its full
    /// name. Not found or an ambiguous name is a [`StoreError::Rule`] saying what to do.
    pub async fn resolve(&self, key: &str) -> Result<Organ> {
        let key = key.trim();
        if let Ok(id) = key.parse::<i64>()
            && let Some(organ) = self.get(id).await?
        {
            return Ok(organ);
        }
        if let Ok(code) = CreditCode::parse(key)
            && let Some(organ) = self.find_by_credit_code(&code).await?
        {
            return Ok(organ);
        }
        let mut matches: Vec<Organ> = self
            .list()
            .await?
            .into_iter()
            .filter(|o| o.name == key)
            .collect();
        match (matches.pop(), matches.len()) {
            (Some(organ), 0) => Ok(organ),
            (None, _) => Err(StoreError::Rule(format!(
                "找不到机关“{key}”：请填写机关编号、统一社会信用代码或机关全称（可在后台“机关”页面查看）"
            ))),
            (Some(_), n) => Err(StoreError::Rule(format!(
                "名称为“{key}”的机关有 {} 个，请改用机关编号或统一社会信用代码指定",
                n + 1
            ))),
        }
    }

    /// All organs, by id.
    pub async fn list(&self) -> Result<Vec<Organ>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            organ_cols!(),
            " FROM organs ORDER BY id"
        ))
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(organ_from_row).collect()
    }

    /// The organs directly below `organ_id`, by id.
    pub async fn children(&self, organ_id: i64) -> Result<Vec<Organ>> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            organ_cols!(),
            " FROM organs WHERE parent_id = $1 ORDER BY id"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(organ_from_row).collect()
    }

    /// `organ_id` and every organ below it at any depth, by id (what a supervisor of that organ
    /// sees). Empty if the organ does not exist.
    pub async fn subtree(&self, organ_id: i64) -> Result<Vec<Organ>> {
        // UNION (not UNION ALL) ends the recursion even if bad data contained a cycle.
        let rows = sqlx::query(concat!(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM organs WHERE id = $1 \
             UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id) \
             SELECT ",
            organ_cols!(),
            " FROM organs WHERE id IN (SELECT id FROM sub) ORDER BY id"
        ))
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(organ_from_row).collect()
    }

    /// Ids of `organ_id` and all organs below it (for access checks).
    pub async fn subtree_ids(&self, organ_id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM organs WHERE id = $1 \
             UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id) \
             SELECT id FROM sub ORDER BY id",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        Ok(ids)
    }
}
