//! Issuing the 通报 (frozen as a typeset document) and downloading it as Word or PDF.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::inspections::{self, NoticeInput};
use gongkai_typeset::Document;
use serde::Deserialize;

use super::document::notice_document;
use super::{base, load_inspection};
use crate::error::{AppError, AppResult};
use crate::pages::column::download as file_response;
use crate::session::CurrentUser;
use crate::state::AppState;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[derive(Deserialize)]
pub struct IssueForm {
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    deadline_days: String,
    #[serde(default)]
    text: String,
}

/// `POST …/inspections/{inspection_id}/notice`: issues the 通报 today, with the deadline counted
/// in working days on the official calendar, and freezes its document.
pub async fn issue(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id)): Path<(i64, i64)>,
    Form(form): Form<IssueForm>,
) -> AppResult<Response> {
    load_inspection(&state, organ_id, inspection_id).await?;
    let deadline_days: u32 = form.deadline_days.trim().parse().map_err(|_| {
        AppError::BadRequest(
            "请填写整改期限：工作日的天数（整数，如 10），从通报印发的次日起计算".to_owned(),
        )
    })?;
    let input = NoticeInput {
        doc_no: form.doc_no,
        text: form.text,
        deadline_days,
    };
    let calendar = state.calendar();
    state
        .store()
        .write(&user.actor(), async |tx| {
            inspections::issue_notice(tx, calendar, inspection_id, &input, |facts| {
                serde_json::to_string(&notice_document(facts)).unwrap_or_default()
            })
            .await
        })
        .await?;
    Ok(Redirect::to(&format!(
        "{}/{inspection_id}?ok=notice_issued",
        base(organ_id)
    ))
    .into_response())
}

/// `GET …/inspections/{inspection_id}/notice/{format}` (`docx` or `pdf`): the issued 通报 as it
/// was frozen.
pub async fn download(
    State(state): State<AppState>,
    Path((organ_id, inspection_id, format)): Path<(i64, i64, String)>,
) -> AppResult<Response> {
    let inspection = load_inspection(&state, organ_id, inspection_id).await?;
    let notice = inspection.notice.ok_or(AppError::NotFound)?;
    let document: Document = serde_json::from_str(&notice.document_json)
        .map_err(|e| AppError::Internal(format!("通报文档无法读取：{e}")))?;
    let name = format!("{}.{format}", document.title);
    match format.as_str() {
        "docx" => {
            let bytes = gongkai_typeset::to_docx(&document, &gongkai_typeset::DocxStyle::default())
                .map_err(|e| AppError::Internal(format!("生成 Word 文件失败：{e}")))?;
            Ok(file_response(bytes, DOCX, &name, "private, no-store"))
        }
        "pdf" => {
            let bytes = crate::pdf_render::render(&state, document).await?;
            Ok(file_response(
                bytes,
                "application/pdf",
                &name,
                "private, no-store",
            ))
        }
        _ => Err(AppError::NotFound),
    }
}
