//! Copies of the applicant's 身份证明 (条例 Art 29 ¶2(1)) attached to a case: uploaded by staff
//! from the case page (the public form attaches them at submission, `apply.rs`), downloaded only
//! by those who handle the case — each download is a view of personal data and is logged.

use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::AuditEntry;
use gongkai_store::applications::NewAttachment;

use super::show::show_page;
use super::{case_url, load_case, user_message};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::pages::column::download;
use crate::session::CurrentUser;
use crate::state::AppState;
use crate::uploads::{UploadPolicy, store_upload};

/// A file from a form: its name and bytes.
pub struct FormFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Checks the files against the ID-copy policy (type from the content), stores them, and
/// returns what to record. Nothing is recorded by this function.
pub async fn store_id_copies(
    state: &AppState,
    files: Vec<FormFile>,
) -> Result<Result<Vec<NewAttachment>, String>, AppError> {
    let policy = UploadPolicy::id_copies();
    let pairs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|f| (f.name.as_str(), f.bytes.as_slice()))
        .collect();
    let kinds = match policy.check(&pairs) {
        Ok(k) => k,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let mut out = Vec::with_capacity(files.len());
    for (file, kind) in files.into_iter().zip(kinds) {
        let uploads = state.config().data_dir.join("uploads");
        let stored = tokio::task::spawn_blocking(move || {
            store_upload(&uploads, &file.bytes, kind).map(|s| (s, file.name))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        match stored {
            Ok((s, name)) => out.push(NewAttachment {
                file_name: name,
                media_type: kind.mime().to_owned(),
                sha256: s.sha256,
                size_bytes: i64::try_from(s.size).unwrap_or(i64::MAX),
            }),
            Err(e) => return Ok(Err(e.to_string())),
        }
    }
    Ok(Ok(out))
}

/// `POST …/applications/{id}/attachments` (multipart, field `file`).
pub async fn attachment_upload(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, application_id)): Path<(i64, i64)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    load_case(&state, organ_id, application_id).await?;
    let refuse = async |message: String| {
        show_page(
            &state,
            &user,
            &chain,
            (organ_id, application_id),
            None,
            Some(message),
        )
        .await
    };
    let mut files = Vec::new();
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                if field.name() != Some("file") {
                    continue;
                }
                let name = field.file_name().unwrap_or("身份证明").to_owned();
                match field.bytes().await {
                    Ok(b) if !b.is_empty() => files.push(FormFile {
                        name,
                        bytes: b.to_vec(),
                    }),
                    Ok(_) => {}
                    Err(_) => return refuse("上传未完成，请重新选择文件上传".to_owned()).await,
                }
            }
            Ok(None) => break,
            Err(_) => return refuse("上传未完成，请重新选择文件上传".to_owned()).await,
        }
    }
    if files.is_empty() {
        return refuse("请选择要上传的身份证明复印件（PDF、PNG 或 JPEG）".to_owned()).await;
    }
    let news = match store_id_copies(&state, files).await? {
        Ok(n) => n,
        Err(m) => return refuse(m).await,
    };
    let result = state
        .store()
        .write(&user.actor(), async |tx| {
            for new in &news {
                gongkai_store::applications::add_attachment(tx, application_id, new).await?;
            }
            Ok(())
        })
        .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?ok=application_attached",
            case_url(organ_id, application_id)
        ))
        .into_response()),
        Err(e) => {
            let m = user_message(e)?;
            refuse(m).await
        }
    }
}

/// `GET …/applications/{id}/attachments/{attachment_id}`: personal data, never cached, logged.
pub async fn attachment_download(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, application_id, attachment_id)): Path<(i64, i64, i64)>,
) -> AppResult<Response> {
    load_case(&state, organ_id, application_id).await?;
    let file = state
        .store()
        .applications()
        .attachment(application_id, attachment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let data_dir = state.config().data_dir.clone();
    let sha256 = file.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        crate::uploads::path_for(&data_dir, &sha256).and_then(|p| std::fs::read(p).ok())
    })
    .await
    .map_err(|e| AppError::Internal(format!("读取附件失败：{e}")))?
    .ok_or(AppError::NotFound)?;
    state
        .store()
        .write(&user.actor(), async |tx| {
            tx.audit(
                AuditEntry::new("application.view_pii", "application", application_id)
                    .organ(Some(organ_id))
                    .after(serde_json::json!({ "attachment_id": attachment_id })),
            )
            .await
        })
        .await?;
    Ok(download(
        bytes,
        &file.media_type,
        &file.file_name,
        "private, no-store",
    ))
}
