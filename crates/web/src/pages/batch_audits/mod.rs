//! 批量审核年度报告 (监督检查, issue 8): a supervising organ uploads published annual reports of
//! the organs it supervises — also of organs that do not use gongkai — and the auditor checks each
//! one, pairing consecutive years of the same organ for the cross-year checks. Each finding can be
//! confirmed or dismissed with a comment; decisions are kept per report organ, year, check and
//! cells, so re-running the audit keeps them. Findings export to Excel.
//!
//! Routes under `/admin/organs/{organ_id}/batch-audits`, all
//! [`Permission::Supervise`](crate::authz::Permission::Supervise).

mod decisions;
mod export;
mod show;
mod upload;

pub use decisions::{decide, rerun};
pub use export::export;
pub use show::{file, show};
pub use upload::{create, list};

use std::collections::HashMap;

use gongkai_store::batch_audits::{AuditBatch, BatchFile, FindingDecision, FindingKey};
use serde::Deserialize;

use crate::batch_audit::FileResult;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The legal line of every batch-audit page.
pub(crate) const LAW: &str = "《条例》第四十七条：政府信息公开工作主管部门应当加强对政府信息公开工作的日常指导和监督检查；第五十条：年度报告应当包括主动公开、收到和处理申请、行政复议和诉讼、存在的问题及改进等情况。";

pub(crate) fn base(organ_id: i64) -> String {
    format!("/admin/organs/{organ_id}/batch-audits")
}

#[derive(Deserialize)]
pub struct Notice {
    ok: Option<String>,
}

/// An instant as Beijing time (UTC+8, no daylight saving).
pub(crate) fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(china) => t.with_timezone(&china).format("%Y-%m-%d %H:%M").to_string(),
        None => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The batch, if it belongs to the organ the permission was checked on (otherwise 404: a batch
/// of another organ is never shown, whatever id is typed).
pub(crate) async fn load_batch(
    state: &AppState,
    organ_id: i64,
    batch_id: i64,
) -> AppResult<AuditBatch> {
    state
        .store()
        .batch_audits()
        .get(batch_id)
        .await?
        .filter(|b| b.organ_id == organ_id)
        .ok_or(AppError::NotFound)
}

/// A file with its parsed result.
pub(crate) struct Audited {
    pub(crate) file: BatchFile,
    pub(crate) result: FileResult,
}

pub(crate) async fn load_files(state: &AppState, batch_id: i64) -> AppResult<Vec<Audited>> {
    Ok(state
        .store()
        .batch_audits()
        .files(batch_id)
        .await?
        .into_iter()
        .map(|file| Audited {
            result: FileResult::parse(&file.result_json),
            file,
        })
        .collect())
}

pub(crate) async fn decisions_of(
    state: &AppState,
    organ_id: i64,
) -> AppResult<HashMap<FindingKey, FindingDecision>> {
    Ok(state
        .store()
        .batch_audits()
        .decisions(organ_id)
        .await?
        .into_iter()
        .map(|d| (d.key.clone(), d))
        .collect())
}
