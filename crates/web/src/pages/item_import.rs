//! 导入信息台账: the upload form and its result (`/admin/organs/{organ_id}/items/import`).
//!
//! The whole file is checked first ([`crate::item_import::parse_ledger`]); only a file without a
//! single error is imported, in one transaction (`store.items().import`), so a ledger never goes
//! in half.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::organs::load;
use super::{Layout, html};
use crate::error::{AppError, AppResult};
use crate::item_import::{LedgerOrgan, RowError, parse_ledger, reference_sets};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "item_import.html")]
struct ImportPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    /// The file the result is about.
    file_name: Option<String>,
    /// Items imported (or, for a check only, that would be).
    imported: Option<usize>,
    dry_run: bool,
    /// A problem with the whole file (unreadable, not a table, store refusal).
    error: Option<String>,
    errors: Vec<RowError>,
    warnings: Vec<String>,
}

impl ImportPage {
    fn new(layout: Layout, organ_id: i64, organ_name: String) -> ImportPage {
        ImportPage {
            layout,
            organ_id,
            organ_name,
            file_name: None,
            imported: None,
            dry_run: false,
            error: None,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

pub async fn form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let page = ImportPage::new(
        Layout::admin(format!("导入信息台账：{}", organ.name), &user),
        organ_id,
        organ.name,
    );
    Ok(html(&page)?.into_response())
}

fn bad_upload(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!(
        "上传的表单无法读取（{e}）。请返回上一页，重新选择文件后提交"
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut dry_run = false;
    while let Some(field) = multipart.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("file") => {
                let name = field
                    .file_name()
                    .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_owned())
                    .unwrap_or_default();
                let bytes = field.bytes().await.map_err(bad_upload)?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                }
            }
            Some("dry_run") => dry_run = true,
            _ => {}
        }
    }
    let mut page = ImportPage::new(
        Layout::admin(format!("导入信息台账：{}", organ.name), &user),
        organ_id,
        organ.name.clone(),
    );
    page.dry_run = dry_run;
    let Some((file_name, bytes)) = file else {
        page.error =
            Some("没有收到文件。请点“选择文件”选好台账（.xlsx、.xls 或 .csv）后再提交".to_owned());
        return Ok((StatusCode::BAD_REQUEST, html(&page)?).into_response());
    };
    page.file_name = Some(file_name.clone());
    let table = match gongkai_docs::read_table(&bytes, &file_name) {
        Ok(t) => t,
        Err(e) => {
            page.error = Some(e.to_string());
            return Ok((StatusCode::BAD_REQUEST, html(&page)?).into_response());
        }
    };
    let terms = reference_sets(state.store()).await?;
    let ledger_organ = LedgerOrgan {
        name: organ.name.clone(),
        departments: state.store().departments().list(organ_id).await?,
    };
    let ledger = match parse_ledger(&table, &terms, &ledger_organ) {
        Ok(l) => l,
        Err(rejected) => {
            page.errors = rejected.errors;
            page.warnings = rejected.warnings;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
    };
    page.warnings = ledger.warnings;
    if dry_run {
        page.imported = Some(ledger.items.len());
        return Ok(html(&page)?.into_response());
    }
    let source = format!("台账文件 {file_name}");
    match state
        .store()
        .items()
        .import(
            &user.actor(),
            organ_id,
            &ledger.items,
            &source,
            state.calendar(),
        )
        .await
    {
        Ok(ids) => {
            state.search_changed();
            page.imported = Some(ids.len());
            Ok(html(&page)?.into_response())
        }
        Err(e) if !e.is_internal() => {
            page.error = Some(format!("未导入任何信息：{e}。请改正后重新导入整份文件"));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
