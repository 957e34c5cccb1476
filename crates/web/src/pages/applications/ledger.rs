//! The case ledger (台账) as an Excel file for any date range of receipt: one row per
//! application with its clock, its outcome and the table-三 row it counts in, and where it
//! stands in the year (本年新收 / 上年结转 / 结转下年度, derived from its dates by the law crate).
//! Personal data is masked unless the viewer handles the cases; a full export is logged.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use gongkai_law::{CaseDates, ClockState, YearStatus};
use gongkai_store::AuditEntry;
use gongkai_store::applications::LedgerRow;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

use super::{department_names, user_message};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::pages::column::download;
use crate::pages::items::form::parse_date;
use crate::session::CurrentUser;
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Deserialize)]
pub struct LedgerQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The year flags of a case as the words of table 三 (e.g. "本年新收；结转下年度").
pub fn year_words(status: YearStatus) -> String {
    let mut words = Vec::new();
    if status.new_received {
        words.push("本年新收");
    }
    if status.carried_over {
        words.push("上年结转");
    }
    if status.processed {
        words.push("本年办结");
    }
    if status.carried_forward {
        words.push("结转下年度");
    }
    if words.is_empty() {
        "不计入本年度".to_owned()
    } else {
        words.join("；")
    }
}

/// Where the case stands in `year`, from its clock (receipt and closing dates).
pub fn year_status_of(clock: &ClockState, year: i32) -> Option<YearStatus> {
    CaseDates::from_clock(clock).ok().map(|d| d.status(year))
}

/// A date of the query, or `default` when left empty.
fn day_or(label: &str, value: Option<&str>, default: NaiveDate) -> Result<NaiveDate, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => parse_date(label, v),
    }
}

/// `GET /admin/organs/{organ_id}/applications-ledger.xlsx?from=YYYY-MM-DD&to=YYYY-MM-DD`
/// (default: this year up to today).
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<LedgerQuery>,
) -> AppResult<Response> {
    let today = state.today();
    let start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let range = day_or("起始日期", q.from.as_deref(), start)
        .and_then(|from| day_or("截止日期", q.to.as_deref(), today).map(|to| (from, to)));
    let (from, to) = match range {
        Ok(r) => r,
        Err(m) => return Err(AppError::BadRequest(m)),
    };
    let rows = match state
        .store()
        .applications()
        .ledger(organ_id, from, to, state.calendar())
        .await
    {
        Ok(r) => r,
        Err(e) => return Err(AppError::BadRequest(user_message(e)?)),
    };
    let full = authz::allows(&user.roles, Permission::ApplicationHandle, &chain);
    if full {
        state
            .store()
            .write(&user.actor(), async |tx| {
                tx.audit(
                    AuditEntry::new("application.export_pii", "organ", organ_id)
                        .organ(Some(organ_id))
                        .after(serde_json::json!({ "from": from, "to": to, "rows": rows.len() })),
                )
                .await
            })
            .await?;
    }
    let names = department_names(&state, organ_id).await?;
    let bytes = workbook(&rows, &names, full, to.year())
        .map_err(|e| AppError::Internal(format!("生成台账失败：{e}")))?;
    let file = format!("依申请公开台账_{from}_{to}.xlsx");
    Ok(download(bytes, XLSX, &file, "private, no-store"))
}

const HEADERS: [&str; 19] = [
    "申请编号",
    "收到申请之日",
    "收到渠道",
    "申请人类型",
    "申请人",
    "证件号码",
    "联系电话",
    "电子邮箱",
    "所需信息",
    "提供形式",
    "承办科室",
    "办理状态",
    "答复期限",
    "办结日期",
    "办理结果",
    "法律依据",
    "计入年报表三的行",
    "是否逾期答复",
    "年度统计",
];

fn workbook(
    rows: &[LedgerRow],
    departments: &std::collections::HashMap<i64, String>,
    full: bool,
    year: i32,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("台账")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let app = &row.case;
        let masked = app.summary();
        let (id, phone, email) = if full {
            (app.id_number.clone(), app.phone.clone(), app.email.clone())
        } else {
            (
                masked.id_number_masked,
                masked.phone_masked,
                masked.email_masked,
            )
        };
        let opt_date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let outcome = row.clock.outcome;
        let values: [String; 19] = [
            app.tracking_no.clone(),
            app.received_on.to_string(),
            app.channel.label().to_owned(),
            app.applicant_type.description().to_owned(),
            app.applicant_name.clone(),
            id,
            phone,
            email,
            app.description.clone(),
            app.provision_form.label().to_owned(),
            app.department_id
                .and_then(|d| departments.get(&d).cloned())
                .unwrap_or_default(),
            row.clock.status.label().to_owned(),
            opt_date(row.clock.due_date),
            opt_date(row.clock.closed_on),
            outcome.map(|o| o.label().to_owned()).unwrap_or_default(),
            outcome.map(|o| o.article().to_owned()).unwrap_or_default(),
            row.clock
                .result_row
                .map(|r| r.label().to_owned())
                .unwrap_or_default(),
            if row.clock.replied_late || row.clock.overdue {
                "是".to_owned()
            } else {
                "否".to_owned()
            },
            year_status_of(&row.clock, year)
                .map(|s| format!("{year}年：{}", year_words(s)))
                .unwrap_or_default(),
        ];
        for (c, v) in values.iter().enumerate() {
            sheet.write_string(r, u16::try_from(c).unwrap_or(0), v)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}
