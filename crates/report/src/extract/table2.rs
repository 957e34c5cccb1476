//! Table 二 — 主动公开政府信息情况, in the 2021 layout and in the 2019 layout (legal-rules.md §B.2).
//!
//! Table 二 has no sums: when the cells of a row ran together ("行政规范性文件693665") nothing
//! pins the split, so unless only one split is well formed the cells are left blank and reported
//! `S-AMBIGUOUS` with every candidate.

use super::cells::{self, Column, RowOptions};
use super::normalize::{contains, match_chars};
use super::rows::{self, RowSpec};
use super::tokens::Segment;
use crate::finding::Finding;
use crate::model::{
    CellRef, CellValue, DocumentCounts, DocumentCounts2019, FeeItems2019, ItemCounts2019,
    Procurement2019, Table2, Table2v2019, Table2v2021,
};
use std::ops::Range;
use std::sync::LazyLock;

/// Counts in table 二 stay below a million (a province's 行政处罚 decisions in a year included).
const MAX_DIGITS: usize = 7;

/// A row of table 二, in either layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Regulations,
    NormativeDocuments,
    Licensing,
    OtherExternalServices,
    Penalty,
    Coercion,
    Fees,
    Procurement,
}

impl Row {
    fn key(self) -> &'static str {
        match self {
            Row::Regulations => "regulations",
            Row::NormativeDocuments => "normative_documents",
            Row::Licensing => "licensing",
            Row::OtherExternalServices => "other_external_services",
            Row::Penalty => "penalty",
            Row::Coercion => "coercion",
            Row::Fees => "fees",
            Row::Procurement => "procurement",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Row::Regulations => "规章",
            Row::NormativeDocuments => "行政规范性文件",
            Row::Licensing => "行政许可",
            Row::OtherExternalServices => "其他对外管理服务事项",
            Row::Penalty => "行政处罚",
            Row::Coercion => "行政强制",
            Row::Fees => "行政事业性收费",
            Row::Procurement => "政府集中采购",
        }
    }
}

fn spec(row: Row) -> RowSpec<Row> {
    match row {
        Row::NormativeDocuments => RowSpec::new(row, &["行政规范性文件", "规范性文件"], None),
        Row::Fees => RowSpec::new(row, &["行政事业性收费"], None),
        _ => RowSpec::new(row, &[row.label()], None),
    }
}

static SPECS_2021: LazyLock<Vec<RowSpec<Row>>> = LazyLock::new(|| {
    [
        Row::Regulations,
        Row::NormativeDocuments,
        Row::Licensing,
        Row::Penalty,
        Row::Coercion,
        Row::Fees,
    ]
    .into_iter()
    .map(spec)
    .collect()
});

static SPECS_2019: LazyLock<Vec<RowSpec<Row>>> = LazyLock::new(|| {
    [
        Row::Regulations,
        Row::NormativeDocuments,
        Row::Licensing,
        Row::OtherExternalServices,
        Row::Penalty,
        Row::Coercion,
        Row::Fees,
        Row::Procurement,
    ]
    .into_iter()
    .map(spec)
    .collect()
});

/// Where table 二 has certainly ended: table 三's header.
static STOPS: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    [
        "勾稽关系",
        "收到和处理政府信息公开申请",
        "本年新收政府信息公开申请",
    ]
    .iter()
    .map(|s| match_chars(s))
    .collect()
});

fn stop(segment: &Segment) -> bool {
    STOPS.iter().any(|s| contains(&segment.run, s))
}

/// Words of table 二's header: a reading without any of them is the narrative listing figures
/// ("制定规章0件，行政规范性文件5件"), not the table.
static HEADER: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
    [
        "第二十条",
        "信息内容",
        "本年制发件数",
        "现行有效件数",
        "处理决定数量",
        "本年新制作数量",
        "对外公开总数量",
    ]
    .iter()
    .map(|s| match_chars(s))
    .collect()
});

fn has_header(segments: &[Segment], span: &Range<usize>) -> bool {
    segments
        .get(span.clone())
        .unwrap_or_default()
        .iter()
        .any(|seg| HEADER.iter().any(|h| contains(&seg.run, h)))
}

/// Table 二 read and what could not be settled.
pub(crate) struct Found {
    pub table: Table2,
    pub findings: Vec<Finding>,
}

/// The columns of a row and their canonical keys, per layout.
fn columns(row: Row, format2019: bool) -> (&'static [Column], &'static [&'static str]) {
    use Column::{Amount, Count};
    match (row, format2019) {
        (Row::Regulations | Row::NormativeDocuments, false) => {
            (&[Count, Count, Count], &["issued", "repealed", "in_force"])
        }
        (Row::Regulations | Row::NormativeDocuments, true) => (
            &[Count, Count, Count],
            &["made", "published", "total_public"],
        ),
        (Row::Fees, false) => (&[Amount], &[""]),
        (Row::Fees, true) => (&[Count, Count], &["previous_items", "change"]),
        (Row::Procurement, _) => (&[Count, Amount], &["projects", "amount"]),
        (_, false) => (&[Count], &[""]),
        (_, true) => (
            &[Count, Count, Count],
            &["previous_items", "change", "decisions"],
        ),
    }
}

/// The canonical address of a cell (`table2.normative_documents.issued`, `table2.licensing`,
/// `table2.fees_wan_yuan`).
fn cell_ref(row: Row, column: &str, format2019: bool) -> CellRef {
    let row_key = if row == Row::Fees && !format2019 {
        "fees_wan_yuan"
    } else {
        row.key()
    };
    if column.is_empty() {
        CellRef::new(&["table2", row_key])
    } else {
        CellRef::new(&["table2", row_key, column])
    }
}

/// Reads table 二 from the segments in `range`, in the 2019 layout when `format2019`.
pub(crate) fn read(
    segments: &[Segment],
    range: Range<usize>,
    format2019: bool,
) -> Option<(Found, Range<usize>)> {
    let specs: &[RowSpec<Row>] = if format2019 { &SPECS_2019 } else { &SPECS_2021 };
    let reading = rows::read_rows(segments, specs, range, &stop)?;
    if reading.rows.len() < 2 || !has_header(segments, &reading.span) {
        return None;
    }
    let mut findings = Vec::new();
    let mut cells_of = |row: Row| -> Vec<CellValue> {
        let (cols, keys) = columns(row, format2019);
        let Some(raw) = reading.rows.iter().find(|r| r.key == row) else {
            return vec![CellValue::Blank; cols.len()];
        };
        let options: RowOptions = cells::row_options(raw.values(segments), cols, MAX_DIGITS, None);
        let (cells, open) = cells::settle(&options.options, cols.len());
        if !open.is_empty() {
            let candidates = cells::project(&options.options, &open);
            let refs: Vec<CellRef> = open
                .iter()
                .filter_map(|k| keys.get(*k))
                .map(|key| cell_ref(row, key, format2019))
                .collect();
            let printed = options.glued.unwrap_or_default();
            let message = if candidates.is_empty() {
                format!(
                    "表二“{}”一行的数字连在一起（“{printed}”），拆分方式过多，无法读出，请对照原件核实。",
                    row.label()
                )
            } else {
                format!(
                    "表二“{}”一行的数字连在一起（“{printed}”），表二没有合计可以确定拆分方式，共有{}种读法（{}），无法确定，未采用任何一种；请对照原件核实。",
                    row.label(),
                    candidates.len(),
                    cells::describe(&candidates)
                )
            };
            findings.push(cells::ambiguous(refs, candidates, Some(printed), message));
        }
        cells
    };
    let table = if format2019 {
        let docs = |cells: Vec<CellValue>| {
            let [made, published, total_public] = take3(cells);
            DocumentCounts2019 {
                made,
                published,
                total_public,
            }
        };
        let items = |cells: Vec<CellValue>| {
            let [previous_items, change, decisions] = take3(cells);
            ItemCounts2019 {
                previous_items,
                change,
                decisions,
            }
        };
        let regulations = docs(cells_of(Row::Regulations));
        let normative_documents = docs(cells_of(Row::NormativeDocuments));
        let licensing = items(cells_of(Row::Licensing));
        let other_external_services = items(cells_of(Row::OtherExternalServices));
        let penalty = items(cells_of(Row::Penalty));
        let coercion = items(cells_of(Row::Coercion));
        let [previous_items, change] = take2(cells_of(Row::Fees));
        let [projects, amount] = take2(cells_of(Row::Procurement));
        Table2::F2019(Table2v2019 {
            regulations,
            normative_documents,
            licensing,
            other_external_services,
            penalty,
            coercion,
            fees: FeeItems2019 {
                previous_items,
                change,
            },
            procurement: Procurement2019 { projects, amount },
        })
    } else {
        let docs = |cells: Vec<CellValue>| {
            let [issued, repealed, in_force] = take3(cells);
            DocumentCounts {
                issued,
                repealed,
                in_force,
            }
        };
        let regulations = docs(cells_of(Row::Regulations));
        let normative_documents = docs(cells_of(Row::NormativeDocuments));
        let [licensing] = take1(cells_of(Row::Licensing));
        let [penalty] = take1(cells_of(Row::Penalty));
        let [coercion] = take1(cells_of(Row::Coercion));
        let [fees_wan_yuan] = take1(cells_of(Row::Fees));
        Table2::F2021(Table2v2021 {
            regulations,
            normative_documents,
            licensing,
            penalty,
            coercion,
            fees_wan_yuan,
        })
    };
    Some((Found { table, findings }, reading.span))
}

fn take1(cells: Vec<CellValue>) -> [CellValue; 1] {
    let mut it = cells.into_iter();
    [it.next().unwrap_or_default()]
}

fn take2(cells: Vec<CellValue>) -> [CellValue; 2] {
    let mut it = cells.into_iter();
    [it.next().unwrap_or_default(), it.next().unwrap_or_default()]
}

fn take3(cells: Vec<CellValue>) -> [CellValue; 3] {
    let mut it = cells.into_iter();
    [
        it.next().unwrap_or_default(),
        it.next().unwrap_or_default(),
        it.next().unwrap_or_default(),
    ]
}
