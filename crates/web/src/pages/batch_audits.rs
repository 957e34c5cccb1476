//! 批量审核年度报告 (监督检查, issue 8): a supervising organ uploads published annual reports of
//! the organs it supervises — also of organs that do not use gongkai — and the auditor checks each
//! one, pairing consecutive years of the same organ for the cross-year checks. Each finding can be
//! confirmed or dismissed with a comment; decisions are kept per report organ, year, check and
//! cells, so re-running the audit keeps them. Findings export to Excel.
//!
//! Routes under `/admin/organs/{organ_id}/batch-audits`, all [`Permission::Supervise`]
//! (crate::authz::Permission::Supervise).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_report::batch::counts;
use gongkai_store::batch_audits::{
    self, AuditBatch, BatchFile, Decision, FindingDecision, FindingKey, NewBatchFile,
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

use super::organs::load;
use super::reports::grid::{Grid, table_grids};
use super::{Layout, html};
use crate::batch_audit::{
    FileResult, UploadedReport, accept_upload, audit_files, cells_text, files_dir, store_file,
    stored_path,
};
use crate::error::{AppError, AppResult};
use crate::pages::column::download;
use crate::session::CurrentUser;
use crate::state::AppState;

/// The legal line of every batch-audit page.
const LAW: &str = "《条例》第四十七条：政府信息公开工作主管部门应当加强对政府信息公开工作的日常指导和监督检查；第五十条：年度报告应当包括主动公开、收到和处理申请、行政复议和诉讼、存在的问题及改进等情况。";

fn base(organ_id: i64) -> String {
    format!("/admin/organs/{organ_id}/batch-audits")
}

#[derive(Deserialize)]
pub struct Notice {
    ok: Option<String>,
}

struct BatchRow {
    id: i64,
    name: String,
    created_at: String,
    file_count: i64,
}

#[derive(Template)]
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

/// An instant as Beijing time (UTC+8, no daylight saving).
fn local_time(t: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(china) => t.with_timezone(&china).format("%Y-%m-%d %H:%M").to_string(),
        None => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
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

/// The batch, if it belongs to the organ the permission was checked on (otherwise 404: a batch
/// of another organ is never shown, whatever id is typed).
async fn load_batch(state: &AppState, organ_id: i64, batch_id: i64) -> AppResult<AuditBatch> {
    state
        .store()
        .batch_audits()
        .get(batch_id)
        .await?
        .filter(|b| b.organ_id == organ_id)
        .ok_or(AppError::NotFound)
}

/// A file with its parsed result.
struct Audited {
    file: BatchFile,
    result: FileResult,
}

async fn load_files(state: &AppState, batch_id: i64) -> AppResult<Vec<Audited>> {
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

async fn decisions_of(
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

struct ReportRow {
    file_id: i64,
    file_name: String,
    year: String,
    errors: usize,
    warnings: usize,
    confirmed: usize,
    dismissed: usize,
    previous: Option<(i64, String)>,
}

struct OrganGroup {
    organ: String,
    rows: Vec<ReportRow>,
}

struct Unreadable {
    file_name: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "batch_audit.html")]
struct BatchPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    batch_id: i64,
    batch_name: String,
    audited_at: String,
    groups: Vec<OrganGroup>,
    unreadable: Vec<Unreadable>,
}

/// `GET …/batch-audits/{batch_id}`: one table per report organ, a row per year.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id)): Path<(i64, i64)>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let batch = load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let decisions = decisions_of(&state, organ_id).await?;
    let mut groups: BTreeMap<String, Vec<(i32, ReportRow)>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for a in &files {
        if let Some(reason) = &a.result.error {
            unreadable.push(Unreadable {
                file_name: a.file.file_name.clone(),
                reason: reason.clone(),
            });
            continue;
        }
        let (errors, warnings) = counts(&a.result.findings);
        let decided: Vec<Decision> = a
            .result
            .findings
            .iter()
            .filter_map(|f| decisions.get(&a.result.key(&a.file.file_name, f)))
            .map(|d| d.decision)
            .collect();
        let previous = a
            .result
            .previous
            .and_then(|p| {
                files
                    .iter()
                    .find(|o| usize::try_from(o.file.position).ok() == Some(p))
            })
            .map(|o| (o.file.id, o.file.file_name.clone()));
        let organ_name = a
            .result
            .tables
            .as_ref()
            .and_then(|t| t.organ.clone())
            .unwrap_or_else(|| "（报告中未写明机关）".to_owned());
        let year = a.result.tables.as_ref().and_then(|t| t.year);
        groups.entry(organ_name).or_default().push((
            year.unwrap_or(0),
            ReportRow {
                file_id: a.file.id,
                file_name: a.file.file_name.clone(),
                year: year
                    .map(|y| y.to_string())
                    .unwrap_or_else(|| "未写明".to_owned()),
                errors,
                warnings,
                confirmed: decided
                    .iter()
                    .filter(|d| **d == Decision::Confirmed)
                    .count(),
                dismissed: decided
                    .iter()
                    .filter(|d| **d == Decision::Dismissed)
                    .count(),
                previous,
            },
        ));
    }
    let groups = groups
        .into_iter()
        .map(|(organ, mut rows)| {
            rows.sort_by_key(|(year, _)| *year);
            OrganGroup {
                organ,
                rows: rows.into_iter().map(|(_, r)| r).collect(),
            }
        })
        .collect();
    let page = BatchPage {
        layout: Layout::admin(format!("批量审核：{}", batch.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        batch_id,
        batch_name: batch.name,
        audited_at: local_time(batch.audited_at),
        groups,
        unreadable,
    };
    Ok(html(&page)?.into_response())
}

struct FindingRow {
    check: String,
    severity: &'static str,
    failed: bool,
    message: String,
    cells: Vec<String>,
    cells_joined: String,
    expected: String,
    actual: String,
    decision: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "batch_audit_file.html")]
struct FilePage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    batch_id: i64,
    batch_name: String,
    file_id: i64,
    file_name: String,
    report_organ: String,
    year: String,
    error: Option<String>,
    previous: Option<(i64, String)>,
    next: Vec<(i64, String)>,
    findings: Vec<FindingRow>,
    grids: Vec<Grid>,
}

/// `GET …/batch-audits/{batch_id}/files/{file_id}`: one report's findings, its tables with the
/// cells the findings concern marked, and its pairing with the other years.
pub async fn file(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, batch_id, file_id)): Path<(i64, i64, i64)>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let batch = load_batch(&state, organ_id, batch_id).await?;
    let files = load_files(&state, batch_id).await?;
    let a = files
        .iter()
        .find(|a| a.file.id == file_id)
        .ok_or(AppError::NotFound)?;
    let decisions = decisions_of(&state, organ_id).await?;
    let position = usize::try_from(a.file.position).ok();
    let by_position = |p: usize| {
        files
            .iter()
            .find(|o| usize::try_from(o.file.position).ok() == Some(p))
            .map(|o| (o.file.id, o.file.file_name.clone()))
    };
    let findings: Vec<FindingRow> = a
        .result
        .findings
        .iter()
        .map(|f| {
            let decided = decisions.get(&a.result.key(&a.file.file_name, f));
            FindingRow {
                check: f.check.clone(),
                severity: f.severity.label(),
                failed: f.status == gongkai_report::Status::Failed,
                message: f.message.clone(),
                cells: f.cells.iter().map(|c| c.0.clone()).collect(),
                cells_joined: cells_text(f),
                expected: f.expected.clone().unwrap_or_default(),
                actual: f.actual.clone().unwrap_or_default(),
                decision: decided
                    .map(|d| d.decision.key().to_owned())
                    .unwrap_or_default(),
                comment: decided.map(|d| d.comment.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let marked: std::collections::HashSet<&str> = a
        .result
        .findings
        .iter()
        .flat_map(|f| f.cells.iter().map(|c| c.0.as_str()))
        .collect();
    let mut grids = a
        .result
        .tables
        .as_ref()
        .map(|t| table_grids(t, &|_| None))
        .unwrap_or_default();
    for g in &mut grids {
        for r in &mut g.rows {
            for c in &mut r.cells {
                c.marked = marked.contains(c.address.as_str());
            }
        }
    }
    let tables = a.result.tables.as_ref();
    let page = FilePage {
        layout: Layout::admin(format!("批量审核：{}", a.file.file_name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        batch_id,
        batch_name: batch.name,
        file_id,
        file_name: a.file.file_name.clone(),
        report_organ: tables.and_then(|t| t.organ.clone()).unwrap_or_default(),
        year: tables
            .and_then(|t| t.year)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        error: a.result.error.clone(),
        previous: a.result.previous.and_then(by_position),
        next: files
            .iter()
            .filter(|o| o.result.previous.is_some() && o.result.previous == position)
            .map(|o| (o.file.id, o.file.file_name.clone()))
            .collect(),
        findings,
        grids,
    };
    Ok(html(&page)?.into_response())
}

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
