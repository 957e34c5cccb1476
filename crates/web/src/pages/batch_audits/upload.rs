//! The list of batches, the upload form, and a new batch from uploaded files or ZIPs.

use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::batch_audits::{self, NewBatchFile};

use super::{LAW, Notice, base, local_time};
use crate::batch_audit::{UploadedReport, accept_upload, audit_files, files_dir, store_file};
use crate::error::{AppError, AppResult};
use crate::pages::organs::load;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

struct BatchRow {
    id: i64,
    name: String,
    created_at: String,
    file_count: i64,
}

#[derive(askama::Template)]
#[template(path = "batch_audits.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    batches: Vec<BatchRow>,
    error: Option<String>,
    max_files: usize,
    max_mb: usize,
    upload_mb: usize,
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<ListPage> {
    let organ = load(state, organ_id).await?;
    let batches = state
        .store()
        .batch_audits()
        .list(organ_id)
        .await?
        .into_iter()
        .map(|b| BatchRow {
            id: b.id,
            name: b.name,
            created_at: local_time(b.created_at),
            file_count: b.file_count,
        })
        .collect();
    Ok(ListPage {
        layout: Layout::admin(format!("批量审核年度报告：{}", organ.name), user)
            .with_notice(notice),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        batches,
        error,
        max_files: crate::batch_audit::MAX_FILES,
        max_mb: crate::batch_audit::MAX_FILE_BYTES / (1024 * 1024),
        upload_mb: crate::guard::MULTIPART_LIMIT / (1024 * 1024),
    })
}

/// `GET …/batch-audits`: the batches and the upload form.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let page = list_page(&state, &user, organ_id, q.ok.as_deref(), None).await?;
    Ok(html(&page)?.into_response())
}

fn bad_upload(e: impl std::fmt::Display) -> String {
    format!("上传的表单无法读取（{e}）。请返回上一页，重新选择文件后提交")
}

/// Reads the form: the batch name and every file (ZIPs unpacked).
async fn read_form(multipart: &mut Multipart) -> Result<(String, Vec<UploadedReport>), String> {
    let mut name = String::new();
    let mut reports = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("files") => {
                let file_name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(bad_upload)?;
                // A browser sends one empty part when no file was chosen.
                if bytes.is_empty() && file_name.is_empty() {
                    continue;
                }
                accept_upload(&file_name, bytes.to_vec(), &mut reports)?;
            }
            Some("name") => name = field.text().await.map_err(bad_upload)?,
            _ => {}
        }
    }
    if reports.is_empty() {
        return Err(
            "没有收到年度报告文件。请点“选择文件”选好报告（可多选）或装有报告的 ZIP 压缩包后再提交"
                .to_owned(),
        );
    }
    Ok((name, reports))
}

/// `POST …/batch-audits`: stores the files, audits them all and opens the batch.
pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let refuse = async |message: String| -> AppResult<Response> {
        let page = list_page(&state, &user, organ_id, None, Some(message)).await?;
        Ok((StatusCode::BAD_REQUEST, html(&page)?).into_response())
    };
    let (name, reports) = match read_form(&mut multipart).await {
        Ok(r) => r,
        Err(message) => return refuse(message).await,
    };
    let name = if name.trim().is_empty() {
        format!("{} 上传的 {} 份报告", state.today(), reports.len())
    } else {
        name
    };
    let dir = files_dir(&state.config().data_dir);
    let audited = tokio::task::spawn_blocking(move || {
        let mut stored = Vec::with_capacity(reports.len());
        for r in &reports {
            let sha256 = store_file(&dir, &r.bytes).map_err(|e| {
                format!("保存上传文件失败：{e}。请检查数据目录的磁盘空间和写入权限")
            })?;
            stored.push(sha256);
        }
        let results = audit_files(&reports);
        Ok::<_, String>(
            reports
                .iter()
                .zip(stored)
                .zip(results)
                .map(|((r, sha256), result)| NewBatchFile {
                    file_name: r.name.clone(),
                    sha256,
                    size_bytes: i64::try_from(r.bytes.len()).unwrap_or(i64::MAX),
                    result_json: serde_json::to_string(&result).unwrap_or_default(),
                })
                .collect::<Vec<_>>(),
        )
    })
    .await
    .map_err(|e| AppError::Internal(format!("审核任务中断：{e}")))?;
    let files = match audited {
        Ok(f) => f,
        Err(message) => return Err(AppError::Unavailable(message)),
    };
    let created = state
        .store()
        .write(&user.actor(), async |tx| {
            batch_audits::create_batch(tx, organ_id, &name, &files).await
        })
        .await;
    match created {
        Ok(id) => {
            Ok(Redirect::to(&format!("{}/{id}?ok=batch_audited", base(organ_id))).into_response())
        }
        Err(e) if !e.is_internal() => refuse(e.to_string()).await,
        Err(e) => Err(e.into()),
    }
}
