//! Writes of the annual report: each checks the state and the version the user saw, writes, and
//! appends its audit entry in the same transaction.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::json;

use super::{
    AnnualReport, NOTE_MAX, Narrative, REPORT_COLUMNS, ReportFigures, ReportStatus, ReportVersion,
    SECTION_MAX, report_from_row,
};
use crate::audit::AuditEntry;
use crate::db::{WriteTx, ts};
use crate::error::{Result, StoreError, ValidationError};
use crate::items::{date_text, dyn_query};

fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = value.trim_end();
    if value.chars().count() > max {
        return Err(ValidationError::TooLong { field, max }.into());
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ValidationError::ControlChars { field }.into());
    }
    Ok(value.replace("\r\n", "\n"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("年度报告 JSON: {e}")))
}

async fn get_in(tx: &mut WriteTx, id: i64) -> Result<AnnualReport> {
    let lock = tx.row_lock();
    let row = dyn_query(format!(
        "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref()
        .map(report_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::not_found("年度报告", id))
}

/// Loads the report for a change: refused when someone changed it since the user saw
/// `expected_version`, or when it is not in one of `allowed` states.
async fn load_for_change(
    tx: &mut WriteTx,
    id: i64,
    expected_version: i64,
    allowed: &[ReportStatus],
) -> Result<AnnualReport> {
    let report = get_in(tx, id).await?;
    if report.version != expected_version {
        return Err(StoreError::StaleVersion {
            current: report.version,
        });
    }
    if !allowed.contains(&report.status) {
        return Err(StoreError::Rule(match report.status {
            ReportStatus::InReview => {
                "年度报告正在审核中，不能修改：如需修改，请审核人先退回".to_owned()
            }
            ReportStatus::Published => {
                "年度报告已发布：如需更正，请先点击“更正已发布的报告”并写明更正原因".to_owned()
            }
            ReportStatus::Draft => "年度报告仍在起草中：请先提交审核".to_owned(),
        }));
    }
    Ok(report)
}

/// One UPDATE of the given columns (already bound as text) plus the version bump, then the
/// audit entry.
async fn update(
    tx: &mut WriteTx,
    before: &AnnualReport,
    action: &str,
    sets: &[(&str, Option<String>)],
    audited: serde_json::Value,
) -> Result<AnnualReport> {
    let now = ts(tx.now());
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (col, _))| format!("{col} = ${}", i + 1))
        .collect();
    let n = sets.len();
    let sql = format!(
        "UPDATE annual_reports SET {}, updated_at = ${}, version = version + 1 \
         WHERE id = ${} AND version = ${}",
        assignments.join(", "),
        n + 1,
        n + 2,
        n + 3
    );
    let mut q = dyn_query(sql);
    for (_, value) in sets {
        q = q.bind(value.clone());
    }
    let done = q
        .bind(now)
        .bind(before.id)
        .bind(before.version)
        .execute(tx.conn())
        .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::StaleVersion {
            current: before.version,
        });
    }
    let after = get_in(tx, before.id).await?;
    tx.audit(
        AuditEntry::new(action, "annual_report", before.id)
            .organ(Some(before.organ_id))
            .after(json!({"year": before.year, "status": after.status.key(), "change": audited})),
    )
    .await?;
    Ok(after)
}

pub async fn open(tx: &mut WriteTx, organ_id: i64, year: i32) -> Result<AnnualReport> {
    if crate::organs::get_in(tx, organ_id).await?.is_none() {
        return Err(StoreError::not_found("机关", organ_id));
    }
    if !(1990..=9999).contains(&year) {
        return Err(StoreError::Rule(format!(
            "年份 {year} 无效：请写作四位数字，如 2025"
        )));
    }
    let now = ts(tx.now());
    // Two officers opening the same year at once both get the one row.
    sqlx::query(
        "INSERT INTO annual_reports (organ_id, year, created_at, updated_at) \
         VALUES ($1, $2, $3, $3) ON CONFLICT (organ_id, year) DO NOTHING",
    )
    .bind(organ_id)
    .bind(i64::from(year))
    .bind(&now)
    .execute(tx.conn())
    .await?;
    let row = dyn_query(format!(
        "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE organ_id = $1 AND year = $2"
    ))
    .bind(organ_id)
    .bind(i64::from(year))
    .fetch_one(tx.conn())
    .await?;
    let report = report_from_row(&row)?;
    if report.created_at == report.updated_at && report.version == 1 {
        tx.audit(
            AuditEntry::new("annual_report.open", "annual_report", report.id)
                .organ(Some(organ_id))
                .after(json!({"year": year})),
        )
        .await?;
    }
    Ok(report)
}

pub async fn save_narrative(
    tx: &mut WriteTx,
    id: i64,
    narrative: &Narrative,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Draft]).await?;
    let clean = Narrative {
        overview: text("一、总体情况", &narrative.overview, SECTION_MAX)?,
        proactive: text(
            "二、主动公开政府信息情况",
            &narrative.proactive,
            SECTION_MAX,
        )?,
        applications: text(
            "三、收到和处理申请情况",
            &narrative.applications,
            SECTION_MAX,
        )?,
        challenges: text(
            "四、行政复议、行政诉讼情况",
            &narrative.challenges,
            SECTION_MAX,
        )?,
        problems: text(
            "五、存在的主要问题及改进情况",
            &narrative.problems,
            SECTION_MAX,
        )?,
        other: text("六、其他需要报告的事项", &narrative.other, SECTION_MAX)?,
    };
    let chars: usize = clean
        .sections()
        .iter()
        .map(|(_, t)| t.chars().count())
        .sum();
    update(
        tx,
        &before,
        "annual_report.narrative",
        &[("narrative", Some(to_json(&clean)?))],
        json!({"characters": chars}),
    )
    .await
}

pub async fn save_figures(
    tx: &mut WriteTx,
    id: i64,
    figures: &ReportFigures,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Draft]).await?;
    let clean = figures.cleaned()?;
    update(
        tx,
        &before,
        "annual_report.figures",
        &[("figures", Some(to_json(&clean)?))],
        serde_json::to_value(&clean).unwrap_or_default(),
    )
    .await
}

pub async fn save_explanations(
    tx: &mut WriteTx,
    id: i64,
    explanations: &BTreeMap<String, String>,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Draft]).await?;
    let mut clean = BTreeMap::new();
    for (key, value) in explanations {
        let value = text("说明", value, NOTE_MAX)?;
        if !value.trim().is_empty() {
            clean.insert(key.clone(), value.trim().to_owned());
        }
    }
    update(
        tx,
        &before,
        "annual_report.explanations",
        &[("explanations", Some(to_json(&clean)?))],
        json!({"count": clean.len()}),
    )
    .await
}

pub async fn save_previous(
    tx: &mut WriteTx,
    id: i64,
    tables: Option<&serde_json::Value>,
    source: &str,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Draft]).await?;
    let source = text("来源文件", source.trim(), 300)?;
    let tables = tables.map(to_json).transpose()?;
    update(
        tx,
        &before,
        "annual_report.previous",
        &[
            ("previous_tables", tables),
            ("previous_source", Some(source.clone())),
        ],
        json!({"source": source}),
    )
    .await
}

pub async fn submit(tx: &mut WriteTx, id: i64, expected_version: i64) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Draft]).await?;
    let by = tx.actor().user_id;
    let at = ts(tx.now());
    update(
        tx,
        &before,
        "annual_report.submit",
        &[
            ("status", Some(ReportStatus::InReview.key().to_owned())),
            ("submitted_at", Some(at)),
            ("review_note", Some(String::new())),
        ],
        json!({}),
    )
    .await?;
    // submitted_by is an integer column: set apart from the text-bound columns above, in the
    // same transaction.
    sqlx::query("UPDATE annual_reports SET submitted_by = $1 WHERE id = $2")
        .bind(by)
        .bind(id)
        .execute(tx.conn())
        .await?;
    get_in(tx, id).await
}

pub async fn send_back(
    tx: &mut WriteTx,
    id: i64,
    note: &str,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::InReview]).await?;
    let note = text("退回意见", note.trim(), NOTE_MAX)?;
    if note.is_empty() {
        return Err(ValidationError::Empty {
            field: "退回意见"
        }
        .into());
    }
    update(
        tx,
        &before,
        "annual_report.send_back",
        &[
            ("status", Some(ReportStatus::Draft.key().to_owned())),
            ("review_note", Some(note.clone())),
        ],
        json!({"note": note}),
    )
    .await
}

pub async fn publish(
    tx: &mut WriteTx,
    id: i64,
    snapshot: &serde_json::Value,
    published_on: NaiveDate,
    expected_version: i64,
) -> Result<(AnnualReport, ReportVersion)> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::InReview]).await?;
    let reviewer = tx.actor().user_id;
    if reviewer.is_some() && reviewer == before.submitted_by {
        return Err(StoreError::Rule(
            "提交审核的人不能审核发布自己提交的年度报告：请由另一位审核人审核".to_owned(),
        ));
    }
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM annual_report_versions WHERE report_id = $1",
    )
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    let now = ts(tx.now());
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO annual_report_versions (report_id, number, reason, snapshot, published_on, \
         published_at, submitted_by, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         RETURNING id",
    )
    .bind(id)
    .bind(number)
    .bind(&before.revision_reason)
    .bind(to_json(snapshot)?)
    .bind(date_text(published_on))
    .bind(&now)
    .bind(before.submitted_by)
    .bind(reviewer)
    .fetch_one(tx.conn())
    .await?;
    let after = update(
        tx,
        &before,
        "annual_report.publish",
        &[
            ("status", Some(ReportStatus::Published.key().to_owned())),
            ("revision_reason", Some(String::new())),
        ],
        json!({"number": number, "reason": before.revision_reason}),
    )
    .await?;
    let row = sqlx::query(
        "SELECT id, report_id, number, reason, published_on, published_at, submitted_by, \
         published_by FROM annual_report_versions WHERE id = $1",
    )
    .bind(version_id)
    .fetch_one(tx.conn())
    .await?;
    Ok((after, super::version_from_row(&row)?))
}

pub async fn revise(
    tx: &mut WriteTx,
    id: i64,
    reason: &str,
    expected_version: i64,
) -> Result<AnnualReport> {
    let before = load_for_change(tx, id, expected_version, &[ReportStatus::Published]).await?;
    let reason = text("更正原因", reason.trim(), NOTE_MAX)?;
    if reason.is_empty() {
        return Err(StoreError::Rule(
            "请写明更正原因：它将与更正后的版本一起向社会公开".to_owned(),
        ));
    }
    update(
        tx,
        &before,
        "annual_report.revise",
        &[
            ("status", Some(ReportStatus::Draft.key().to_owned())),
            ("revision_reason", Some(reason.clone())),
        ],
        json!({"reason": reason}),
    )
    .await
}
