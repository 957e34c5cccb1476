//! The report as files: DOCX (Word/WPS), PDF (A4, CJK fonts, page numbers), XLSX (the three
//! tables), HTML (a whole page) and JSON (the canonical model with the records behind each
//! cell). The same function serves the draft in the back office and the published versions in
//! the column, so both are the same document.

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongkai_annual::document::report_document;
use gongkai_annual::snapshot::ReportSnapshot;
use gongkai_annual::workflow;

use super::{annual_messages, parse_year};
use crate::error::{AppError, AppResult};
use crate::session::CurrentUser;
use crate::state::AppState;

/// A file format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFile {
    Docx,
    Pdf,
    Xlsx,
    Html,
    Json,
}

impl ReportFile {
    pub fn parse(text: &str) -> AppResult<ReportFile> {
        Ok(match text {
            "docx" => ReportFile::Docx,
            "pdf" => ReportFile::Pdf,
            "xlsx" => ReportFile::Xlsx,
            "html" => ReportFile::Html,
            "json" => ReportFile::Json,
            _ => return Err(AppError::NotFound),
        })
    }

    fn extension(self) -> &'static str {
        match self {
            ReportFile::Docx => "docx",
            ReportFile::Pdf => "pdf",
            ReportFile::Xlsx => "xlsx",
            ReportFile::Html => "html",
            ReportFile::Json => "json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ReportFile::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            ReportFile::Pdf => "application/pdf",
            ReportFile::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ReportFile::Html => "text/html; charset=utf-8",
            ReportFile::Json => "application/json",
        }
    }
}

/// RFC 5987 encoding of a UTF-8 file name for `Content-Disposition`.
fn encode_filename(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file of `report` in `format`, as a download.
pub async fn respond(
    state: &AppState,
    report: &ReportSnapshot,
    format: ReportFile,
) -> AppResult<Response> {
    let document = report_document(report);
    let bytes = match format {
        ReportFile::Docx => {
            gongkai_typeset::to_docx(&document, &gongkai_typeset::DocxStyle::default())
                .map_err(|e| AppError::Internal(format!("生成 Word 文件失败：{e}")))?
        }
        ReportFile::Pdf => crate::pdf_render::render(state, document).await?,
        ReportFile::Xlsx => gongkai_annual::xlsx::report_xlsx(report)
            .map_err(|e| AppError::Internal(format!("生成 Excel 文件失败：{e}")))?,
        ReportFile::Html => gongkai_typeset::to_html_page(&document)
            .map_err(|e| AppError::Internal(format!("生成网页失败：{e}")))?
            .into_bytes(),
        ReportFile::Json => serde_json::to_vec_pretty(&report.canonical_json())
            .map_err(|e| AppError::Internal(e.to_string()))?,
    };
    let version = report
        .version
        .map_or_else(|| "草稿".to_owned(), |n| format!("第{n}版"));
    let name = format!("{}（{version}）.{}", report.title(), format.extension());
    Ok((
        [
            (CONTENT_TYPE, format.content_type().to_owned()),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"report-{}.{}\"; filename*=UTF-8''{}",
                    report.year,
                    format.extension(),
                    encode_filename(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET …/reports/{year}/draft/{format}`: the report as built now.
pub async fn draft_file(
    State(state): State<AppState>,
    Extension(_user): Extension<CurrentUser>,
    Path((organ_id, year, format)): Path<(i64, String, String)>,
) -> AppResult<Response> {
    let year = parse_year(&year)?;
    let format = ReportFile::parse(&format)?;
    let prepared = workflow::prepare(
        state.store(),
        state.calendar(),
        organ_id,
        year,
        super::timing(&state),
    )
    .await
    .map_err(|e| match annual_messages(e) {
        Ok(m) => AppError::BadRequest(m.join("；")),
        Err(e) => e,
    })?;
    respond(&state, &prepared.snapshot, format).await
}
