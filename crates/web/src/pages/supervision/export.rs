//! The dashboard table as CSV and Excel: the columns of [`COLUMNS`] in the same order with the
//! same cell text as the page (sorted as the page was), then the totals row.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::columns::{COLUMNS, Links, Rendered, render_row, render_totals};
use super::period::DashQuery;
use super::{Dashboard, base, load};
use crate::error::{AppError, AppResult};
use crate::pages::column::download;
use crate::session::CurrentUser;
use crate::state::AppState;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The header and the rendered rows, totals last.
fn table(d: &Dashboard, organ_id: i64) -> (Vec<&'static str>, Vec<Vec<Rendered>>) {
    let base = base(organ_id);
    let links = Links {
        base: &base,
        period: &d.chosen.period,
    };
    let mut rows: Vec<Vec<Rendered>> = d.rows.iter().map(|r| render_row(r, &links)).collect();
    rows.push(render_totals(&d.totals, &links));
    (COLUMNS.iter().map(|c| c.label).collect(), rows)
}

fn file_name(d: &Dashboard, ext: &str) -> String {
    format!(
        "监督保障看板_{}_{}至{}.{ext}",
        d.organ.name, d.chosen.period.from, d.chosen.period.to
    )
}

/// A CSV field: quoted when needed; text a spreadsheet would run as a formula gets a leading `'`
/// (organ names are typed by people).
fn csv_field(text: &str, number: bool) -> String {
    let guarded = if !number && text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The CSV text (UTF-8 with a byte-order mark so that Excel opens the Chinese correctly).
pub(crate) fn csv_text(header: &[&str], rows: &[Vec<Rendered>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(
        &header
            .iter()
            .map(|h| csv_field(h, false))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for row in rows {
        out.push_str(
            &row.iter()
                .map(|c| csv_field(&c.text, c.number.is_some()))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// `GET …/supervision/export.csv`.
pub async fn csv(
    State(state): State<AppState>,
    Extension(_user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<DashQuery>,
) -> AppResult<Response> {
    let d = load(&state, organ_id, &q).await?;
    let (header, rows) = table(&d, organ_id);
    Ok(download(
        csv_text(&header, &rows).into_bytes(),
        "text/csv; charset=utf-8",
        &file_name(&d, "csv"),
        "private, no-store",
    ))
}

fn workbook(header: &[&str], rows: &[Vec<Rendered>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("监督保障看板")?;
    let bold = Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            match cell.number {
                // Counts are far below 2^53: exact as f64.
                #[allow(clippy::cast_precision_loss)]
                Some(n) => sheet.write_number(r, c, n as f64)?,
                // Text stays text: an organ name never becomes a formula.
                None => sheet.write_string(r, c, &cell.text)?,
            };
        }
    }
    book.save_to_buffer()
}

/// `GET …/supervision/export.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    Extension(_user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<DashQuery>,
) -> AppResult<Response> {
    let d = load(&state, organ_id, &q).await?;
    let (header, rows) = table(&d, organ_id);
    let bytes = workbook(&header, &rows)
        .map_err(|e| AppError::Internal(format!("生成 Excel 失败：{e}")))?;
    Ok(download(
        bytes,
        XLSX,
        &file_name(&d, "xlsx"),
        "private, no-store",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("甲街道", false), "甲街道");
        assert_eq!(csv_field("a,b", false), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\"", false), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=1+1", false), "'=1+1");
        assert_eq!(csv_field("-3", true), "-3");
    }
}
