//! Confirming or dismissing a finding, and re-running the audit of a batch (decisions kept).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::batch_audits::{self, Decision};
use serde::Deserialize;

use super::{base, load_batch, load_files};
use crate::batch_audit::{
    FileResult, UploadedReport, audit_files, cells_text, files_dir, stored_path,
};
use crate::error::{AppError, AppResult};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct DecisionForm {
    check: String,
    #[serde(default)]
    cells: String,
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST …/batch-audits/{batch_id}/files/{file_id}/decisions`: confirms or dismisses one finding.
pub async fn decide(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id, file_id)): Path<(i64, i64, i64)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let a = files
        .iter()
        .find(|a| a.file.id == file_id)
        .ok_or(AppError::NotFound)?;
    let Some(decision) = Decision::parse(&form.decision) else {
        return Err(AppError::BadRequest(
            "请选择“确认”或“排除”后再保存".to_owned(),
        ));
    };
    // Only a finding the audit gave for this report can be decided.
    let finding = a
        .result
        .findings
        .iter()
        .find(|f| f.check == form.check && cells_text(f) == form.cells)
        .ok_or_else(|| {
            AppError::BadRequest(
                "本报告没有这条审核发现（可能已重新审核）。请返回报告页面刷新后再操作".to_owned(),
            )
        })?;
    let key = a.result.key(&a.file.file_name, finding);
    let saved = state
        .store()
        .write(&user.actor(), async |tx| {
            batch_audits::decide(tx, organ_id, &key, decision, &form.comment).await
        })
        .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}/{batch_id}/files/{file_id}?ok=decision_saved",
            base(organ_id)
        ))
        .into_response()),
        Err(e) if !e.is_internal() => Err(AppError::BadRequest(e.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// `POST …/batch-audits/{batch_id}/rerun`: audits every file again (e.g. after the auditor was
/// updated); the decisions stay, being keyed by report and finding.
pub async fn rerun(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    load_batch(&state, organ_id, batch_id).await?;
    let files = state.store().batch_audits().files(batch_id).await?;
    let dir = files_dir(&state.config().data_dir);
    let results = tokio::task::spawn_blocking(move || {
        let reports: Vec<UploadedReport> = files
            .iter()
            .map(|f| UploadedReport {
                name: f.file_name.clone(),
                // A file missing from the data directory is listed as unreadable below.
                bytes: stored_path(&dir, &f.sha256)
                    .and_then(|p| std::fs::read(p).ok())
                    .unwrap_or_default(),
            })
            .collect();
        let mut results = audit_files(&reports);
        for (result, report) in results.iter_mut().zip(&reports) {
            if report.bytes.is_empty() {
                *result = FileResult {
                    error: Some("数据目录中找不到该文件（可能已被删除），请重新上传".to_owned()),
                    ..FileResult::default()
                };
            }
        }
        files
            .iter()
            .zip(results)
            .map(|(f, r)| (f.id, serde_json::to_string(&r).unwrap_or_default()))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| AppError::Internal(format!("审核任务中断：{e}")))?;
    state
        .store()
        .write(&user.actor(), async |tx| {
            batch_audits::store_rerun(tx, batch_id, &results).await
        })
        .await?;
    Ok(Redirect::to(&format!("{}/{batch_id}?ok=batch_rerun", base(organ_id))).into_response())
}
