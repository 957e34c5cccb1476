//! The annual report (年度报告, 条例 Arts 49–50, in the format of 国办公开办函〔2021〕30号) built
//! from an organ's records: table 二 from its 规章 and 行政规范性文件 plus the figures entered from
//! other systems, table 三 from its applications, table 四 from its register of 行政复议 and
//! 行政诉讼. Every cell keeps the records it counts, and the auditor's check catalogue runs on the
//! result, so a built report is held to the same rules as a published one.

pub mod document;
pub mod figures_import;
pub mod many;
pub mod narrative;
pub mod snapshot;
pub mod workflow;
pub mod xlsx;

use std::collections::BTreeMap;

use gongkai_calendar::Calendar;
use gongkai_law::{CaseDates, Genre, PublicationChannel, Validity};
use gongkai_report::build::{self, CaseFacts, DocumentFacts, DocumentKind, OtherFigures};
use gongkai_report::checks::{CheckInput, run_checks};
use gongkai_report::{
    CellRef, CellValue, Finding, ReportFormat, ReportTables, ReviewBlock, Table2, Table4,
};
use gongkai_store::applications::ReportCase;
use gongkai_store::challenges::{Table4Block, Table4Cell, Table4Tally};
use gongkai_store::items::ReportDocument;
use gongkai_store::{Organ, Store};
use serde::{Deserialize, Serialize};

/// A record behind a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RecordRef {
    Application(i64),
    Item(i64),
    Challenge(i64),
}

/// Facts for the narrative sections, computed from the records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// Items published in the year (一、总体情况 / 主动公开).
    pub published_items: i64,
    /// Published in the year per channel (key, label, count); an item on two channels counts on both.
    pub channels: Vec<(String, String, i64)>,
    /// Items published in the year on the organ's own site (column or portal), and only
    /// elsewhere (media, boards …).
    pub on_site_items: i64,
    pub off_site_items: i64,
    /// Applications received in the year (table 三, 本年新收).
    pub received_applications: i64,
    /// Processing fees (信息处理费) paid in the year, in 分, and the cases that paid them
    /// (section 六).
    pub fees_collected_fen: i64,
    pub fee_cases: Vec<i64>,
}

/// A built report: the canonical tables, the records behind each cell, the checks' findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuiltReport {
    pub tables: ReportTables,
    pub cells: BTreeMap<CellRef, Vec<RecordRef>>,
    pub findings: Vec<Finding>,
    pub facts: Facts,
}

#[derive(Debug, thiserror::Error)]
pub enum AnnualError {
    #[error(transparent)]
    Store(#[from] gongkai_store::StoreError),
    #[error(transparent)]
    Table(#[from] build::BuildError),
    #[error(
        "依申请公开申请（记录编号 {id}）的日期无法计入年度报告：{source}；请在案件页面核对收到和办结日期"
    )]
    CaseDates {
        id: i64,
        source: gongkai_law::YearStatusError,
    },
    #[error("找不到编号为 {0} 的机关")]
    UnknownOrgan(i64),
    #[error("年度报告还不能提交或发布：\n{}", .0.join("\n"))]
    Blocked(Vec<String>),
    #[error("{0}年度报告尚未建立：请先在“年度报告”页面打开该年度")]
    NotOpened(i32),
}

fn document_kind(genre: Genre) -> Option<DocumentKind> {
    match genre {
        Genre::Regulation => Some(DocumentKind::Regulation),
        Genre::NormativeDocument => Some(DocumentKind::NormativeDocument),
        _ => None,
    }
}

fn block(tally: &Table4Block) -> ReviewBlock {
    let n = |c: &Table4Cell| CellValue::Number(i64::from(c.count));
    ReviewBlock::from_values([
        n(&tally.upheld),
        n(&tally.corrected),
        n(&tally.other),
        n(&tally.pending),
        n(&tally.total),
    ])
}

/// The records of one organ that its report of a year is built from (what the store gives for
/// the organ, by itself or batched with other organs).
pub(crate) struct OrganRecords {
    pub documents: Vec<ReportDocument>,
    pub cases: Vec<ReportCase>,
    pub tally: Table4Tally,
    pub published_items: i64,
    pub channels: Vec<(PublicationChannel, i64)>,
    /// (on the organ's own site, only elsewhere): [`Facts::on_site_items`].
    pub site_split: (i64, i64),
    pub fees: Vec<gongkai_store::applications::FeeCollected>,
}

/// Builds the report of `organ_id` for `year`.
pub async fn build_report(
    store: &Store,
    calendar: &Calendar,
    organ_id: i64,
    year: i32,
    other: &OtherFigures,
) -> Result<BuiltReport, AnnualError> {
    let organ = store
        .organs()
        .get(organ_id)
        .await?
        .ok_or(AnnualError::UnknownOrgan(organ_id))?;
    let records = OrganRecords {
        documents: store.items().report_documents(organ_id).await?,
        cases: store
            .applications()
            .report_cases(organ_id, year, calendar)
            .await?,
        tally: store.challenges().tally(organ_id, year).await?,
        published_items: store.items().published_count(organ_id, year).await?,
        channels: store.items().channel_counts(organ_id, year).await?,
        site_split: store.items().site_split(organ_id, year).await?,
        fees: store.applications().fees_collected(organ_id, year).await?,
    };
    assemble(&organ, year, other, records)
}

/// The report of `organ` for `year` from its records: the pure part of the build.
pub(crate) fn assemble(
    organ: &Organ,
    year: i32,
    other: &OtherFigures,
    records: OrganRecords,
) -> Result<BuiltReport, AnnualError> {
    let mut cells: BTreeMap<CellRef, Vec<RecordRef>> = BTreeMap::new();

    // Table 二.
    let documents: Vec<DocumentFacts<i64>> = records
        .documents
        .into_iter()
        .filter_map(|d| {
            let kind = document_kind(d.genre)?;
            let ended = matches!(d.validity, Some(Validity::Expired | Validity::Repealed));
            Some(DocumentFacts {
                id: d.id,
                kind,
                made_on: d.formed_on,
                ended_on: if ended { d.validity_changed_on } else { None },
            })
        })
        .collect();
    let t2 = build::table2(&documents, other, year);
    for (cell, ids) in t2.cells {
        cells.insert(cell, ids.into_iter().map(RecordRef::Item).collect());
    }

    // Table 三.
    let mut cases = Vec::with_capacity(records.cases.len());
    for case in records.cases {
        // A case the year rules cannot place must not silently drop out of the report.
        let dates = CaseDates::new(case.received_on, case.closed_on).map_err(|source| {
            AnnualError::CaseDates {
                id: case.id,
                source,
            }
        })?;
        cases.push(CaseFacts {
            id: case.id,
            applicant: case.applicant_type,
            dates,
            result: case.result_row,
        });
    }
    let t3 = build::table3(&cases, year)?;
    for (cell, ids) in t3.cells {
        cells.insert(cell, ids.into_iter().map(RecordRef::Application).collect());
    }

    // Table 四.
    let tally = &records.tally;
    let table4 = Table4 {
        reconsideration: block(&tally.reconsideration),
        litigation_direct: block(&tally.litigation_direct),
        litigation_after_reconsideration: block(&tally.litigation_after_reconsideration),
    };
    for (key, b) in [
        ("reconsideration", &tally.reconsideration),
        ("litigation_direct", &tally.litigation_direct),
        (
            "litigation_after_reconsideration",
            &tally.litigation_after_reconsideration,
        ),
    ] {
        for (column, cell) in [
            ("upheld", &b.upheld),
            ("corrected", &b.corrected),
            ("other", &b.other),
            ("pending", &b.pending),
            ("total", &b.total),
        ] {
            cells.insert(
                CellRef::new(&["table4", key, column]),
                cell.ids.iter().copied().map(RecordRef::Challenge).collect(),
            );
        }
    }

    let tables = ReportTables {
        organ: Some(organ.name.clone()),
        year: Some(year),
        format: ReportFormat::F2021,
        table2: Some(Table2::F2021(t2.table)),
        table3: Some(t3.table),
        table4: Some(table4),
    };
    let findings = run_checks(&CheckInput::new(&tables), None);
    let facts = Facts {
        on_site_items: records.site_split.0,
        off_site_items: records.site_split.1,
        received_applications: tables
            .table3
            .as_ref()
            .and_then(|t| t.get(&gongkai_report::Table3Row::NewReceived))
            .and_then(|c| c.total.number())
            .unwrap_or(0),
        fees_collected_fen: records.fees.iter().map(|f| f.amount.fen()).sum(),
        fee_cases: records.fees.iter().map(|f| f.application_id).collect(),
        published_items: records.published_items,
        channels: records
            .channels
            .into_iter()
            .map(|(c, n)| (c.key().to_owned(), c.label().to_owned(), n))
            .collect(),
    };
    Ok(BuiltReport {
        tables,
        cells,
        findings,
        facts,
    })
}
