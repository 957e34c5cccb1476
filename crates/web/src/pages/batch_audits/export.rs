//! The findings of a batch as an Excel file, with the supervisor's decisions.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::Response;
use gongkai_store::batch_audits::{FindingDecision, FindingKey};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::{Audited, decisions_of, load_batch, load_files};
use crate::batch_audit::cells_text;
use crate::error::{AppError, AppResult};
use crate::pages::column::download;
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The columns of the findings export.
pub const EXPORT_HEADERS: [&str; crate::batch_audit::EXPORT_HEADERS_LEN] = [
    "文件",
    "机关",
    "年度",
    "上一年度报告",
    "检查",
    "严重程度",
    "状态",
    "单元格",
    "应为",
    "实为",
    "说明",
    "结论",
    "意见",
];

/// `GET …/batch-audits/{batch_id}/findings.xlsx`: every finding of the batch with its decision;
/// an unreadable file is one row with its reason.
pub async fn export(
    State(state): State<AppState>,
    Path((organ_id, batch_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let batch = load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let decisions = decisions_of(&state, organ_id).await?;
    let bytes = workbook(&files, &decisions)
        .map_err(|e| AppError::Internal(format!("生成 Excel 失败：{e}")))?;
    let name = format!(
        "批量审核_{}_{}.xlsx",
        batch.id,
        batch.audited_at.format("%Y%m%d")
    );
    Ok(download(bytes, XLSX, &name, "private, no-store"))
}

fn workbook(
    files: &[Audited],
    decisions: &HashMap<FindingKey, FindingDecision>,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("审核发现")?;
    let bold = Format::new().set_bold();
    for (c, h) in EXPORT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    let mut row: u32 = 1;
    for a in files {
        let tables = a.result.tables.as_ref();
        let organ = tables.and_then(|t| t.organ.clone()).unwrap_or_default();
        let year = tables
            .and_then(|t| t.year)
            .map(|y| y.to_string())
            .unwrap_or_default();
        let previous = a
            .result
            .previous
            .and_then(|p| {
                files
                    .iter()
                    .find(|o| usize::try_from(o.file.position).ok() == Some(p))
            })
            .map(|o| o.file.file_name.clone())
            .unwrap_or_default();
        if let Some(reason) = &a.result.error {
            let cells = [
                a.file.file_name.as_str(),
                "",
                "",
                "",
                "",
                "",
                "无法读取",
                "",
                "",
                "",
                reason,
            ];
            write_row(sheet, row, &cells)?;
            row += 1;
            continue;
        }
        for f in &a.result.findings {
            let decided = decisions.get(&a.result.key(&a.file.file_name, f));
            let status = match f.status {
                gongkai_report::Status::Failed => "未通过",
                gongkai_report::Status::NotAssessable => "无法判断",
            };
            let cells_joined = cells_text(f);
            let cells = [
                a.file.file_name.as_str(),
                &organ,
                &year,
                &previous,
                &f.check,
                f.severity.label(),
                status,
                &cells_joined,
                f.expected.as_deref().unwrap_or(""),
                f.actual.as_deref().unwrap_or(""),
                &f.message,
                decided.map(|d| d.decision.label()).unwrap_or("未处理"),
                decided.map(|d| d.comment.as_str()).unwrap_or(""),
            ];
            write_row(sheet, row, &cells)?;
            row += 1;
        }
    }
    sheet.autofilter(0, 0, row.saturating_sub(1), 12)?;
    book.save_to_buffer()
}

fn write_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    cells: &[&str],
) -> Result<(), XlsxError> {
    for (c, v) in cells.iter().enumerate() {
        // Strings stay strings: text read from an untrusted report never becomes a formula.
        sheet.write_string(row, u16::try_from(c).unwrap_or(0), *v)?;
    }
    Ok(())
}
