//! 检查、通报与整改 (监督检查, issue 8): a supervising organ opens an inspection on an organ of its
//! subtree (or on that organ and every organ below it), records the problems found — each for one
//! organ, optionally linked to a record of that organ —, issues a 通报 with a rectification
//! deadline in working days (a frozen Word/PDF document), and closes or reopens each problem after
//! the organ's answer. The organs answer on their rectification page.
//!
//! Supervisor routes under `/admin/organs/{organ_id}/inspections`
//! ([`Permission::Supervise`](crate::authz::Permission::Supervise), `organ_id` the supervising
//! organ); the organ's page `/admin/organs/{organ_id}/rectifications`
//! ([`Permission::Rectify`](crate::authz::Permission::Rectify)).

mod decide;
mod document;
mod list;
mod notice;
mod problems;
mod rectifications;
mod show;

pub use decide::{close, reopen};
pub use list::{list, open};
pub use notice::{download, issue};
pub use problems::{edit, record};
pub use rectifications::{answer, rectifications};
pub use show::show;

use gongkai_report::build::TABLE3_ROWS_2021;
use gongkai_report::{ReportFormat, ReportTables, Table2, Table3Columns, Table4};
use gongkai_store::inspections::{Inspection, RecordLink};
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The legal line of the inspection pages.
pub(crate) const LAW: &str = "《条例》第四十七条：政府信息公开工作主管部门应当加强对政府信息公开工作的日常指导和监督检查，对行政机关未按照要求开展政府信息公开工作的，予以督促整改或者通报批评；第五十二条、第五十三条：行政机关未建立健全政府信息发布保密审查机制、不依法履行政府信息公开职能、不及时更新公开的政府信息内容等，由上一级行政机关责令改正。";

/// The legal line of the organ's rectification page.
pub(crate) const LAW_RECTIFY: &str = "《条例》第四十七条：对未按照要求开展政府信息公开工作的，主管部门予以督促整改或者通报批评；第五十三条：由上一级行政机关责令改正。请在整改期限内逐项整改并反馈整改情况。";

pub(crate) fn base(organ_id: i64) -> String {
    format!("/admin/organs/{organ_id}/inspections")
}

#[derive(Deserialize)]
pub struct Notice {
    ok: Option<String>,
}

/// The inspection, if the supervising organ of the route opened it (otherwise 404: another
/// office's inspection is never shown, whatever id is typed).
pub(crate) async fn load_inspection(
    state: &AppState,
    organ_id: i64,
    inspection_id: i64,
) -> AppResult<Inspection> {
    state
        .store()
        .inspections()
        .get(inspection_id)
        .await?
        .filter(|i| i.organ_id == organ_id)
        .ok_or(AppError::NotFound)
}

/// A date as 公文 write it: 2026年10月16日.
pub(crate) fn chinese_date(d: chrono::NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// True when `address` is a cell of the annual report's tables (2021 format), as the report
/// pages address them (`table3.new_received.total`).
pub(crate) fn known_cell(address: &str) -> bool {
    let tables = ReportTables {
        organ: None,
        year: None,
        format: ReportFormat::F2021,
        table2: Some(Table2::F2021(Default::default())),
        table3: Some(
            TABLE3_ROWS_2021
                .iter()
                .map(|r| (*r, Table3Columns::default()))
                .collect(),
        ),
        table4: Some(Table4::default()),
    };
    crate::pages::reports::grid::table_grids(&tables, &|_| None)
        .iter()
        .flat_map(|g| g.rows.iter())
        .flat_map(|r| r.cells.iter())
        .any(|c| c.address == address)
}

/// The link fields of the problem form.
#[derive(Default)]
pub(crate) struct LinkFields {
    pub(crate) link_kind: String,
    pub(crate) link_id: String,
    pub(crate) link_year: String,
    pub(crate) link_cell: String,
}

impl LinkFields {
    /// The link the form names for a problem of `organ_id`, where the record may be given by
    /// what people quote (索引号, 申请编号, 案号) instead of its internal number.
    pub(crate) async fn resolve(
        mut self,
        state: &AppState,
        organ_id: i64,
    ) -> AppResult<Option<RecordLink>> {
        let text = self.link_id.trim().to_owned();
        let by_reference = matches!(
            self.link_kind.as_str(),
            "item" | "application" | "challenge"
        ) && !text.is_empty()
            && text.parse::<i64>().is_err();
        if by_reference {
            let found = state
                .store()
                .inspections()
                .find_record(&self.link_kind, organ_id, &text)
                .await?;
            match found {
                Some(id) => self.link_id = id.to_string(),
                None => {
                    let what = match self.link_kind.as_str() {
                        "item" => "索引号",
                        "application" => "申请编号",
                        _ => "案号",
                    };
                    return Err(AppError::BadRequest(format!(
                        "在所选机关的记录中找不到{what}为“{text}”的记录：请核对后重填（也可填写该记录页面网址中的编号），或选择“不关联”"
                    )));
                }
            }
        }
        self.parse().map_err(AppError::BadRequest)
    }

    /// The link the form names, or the Chinese reason it names none that can be stored.
    pub(crate) fn parse(&self) -> Result<Option<RecordLink>, String> {
        let id = || {
            self.link_id.trim().parse::<i64>().map_err(|_| {
                "请填写所关联记录的索引号、申请编号、案号，或该记录页面网址中的编号，或选择“不关联”"
                    .to_owned()
            })
        };
        Ok(Some(match self.link_kind.as_str() {
            "" | "none" => return Ok(None),
            "item" => RecordLink::Item { id: id()? },
            "application" => RecordLink::Application { id: id()? },
            "challenge" => RecordLink::Challenge { id: id()? },
            "report_cell" => {
                let year = self
                    .link_year
                    .trim()
                    .parse::<i32>()
                    .map_err(|_| "请填写年度报告的年度（四位数字，如 2025）".to_owned())?;
                let cell = self.link_cell.trim().to_owned();
                if !known_cell(&cell) {
                    return Err(format!(
                        "“{cell}”不是年度报告表格的单元格地址：请在年度报告页面点开该单元格，复制网址中 cells/ 之后的部分（如 table3.new_received.total）"
                    ));
                }
                RecordLink::ReportCell { year, cell }
            }
            other => return Err(format!("“{other}”不是可关联的记录类型，请从列表中选择")),
        }))
    }
}

/// Describes a problem's link for a page: (text, href).
pub(crate) fn link_line(link: &RecordLink, organ_id: i64) -> (String, String) {
    let text = match link {
        RecordLink::Item { id } | RecordLink::Application { id } | RecordLink::Challenge { id } => {
            format!("{}（编号 {id}）", link.kind_label())
        }
        RecordLink::ReportCell { year, cell } => format!("{year}年度报告 单元格 {cell}"),
    };
    (text, link.href(organ_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_cells_are_known_by_the_addresses_of_the_report_pages() {
        assert!(known_cell("table3.new_received.total"));
        assert!(known_cell("table2.regulations.issued"));
        assert!(known_cell("table4.reconsideration.corrected"));
        assert!(!known_cell("table3.new_received"));
        assert!(!known_cell("table9.x"));
        assert!(!known_cell(""));
    }

    #[test]
    fn the_link_form_refuses_what_it_cannot_store() {
        let fields = |kind: &str, id: &str, year: &str, cell: &str| LinkFields {
            link_kind: kind.into(),
            link_id: id.into(),
            link_year: year.into(),
            link_cell: cell.into(),
        };
        assert_eq!(fields("none", "", "", "").parse(), Ok(None));
        assert_eq!(
            fields("item", "12", "", "").parse(),
            Ok(Some(RecordLink::Item { id: 12 }))
        );
        assert!(fields("item", "十二", "", "").parse().is_err());
        assert!(
            fields("report_cell", "", "2025", "table3.x")
                .parse()
                .is_err()
        );
        assert!(fields("spy", "1", "", "").parse().is_err());
    }
}
