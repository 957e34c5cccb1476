//! The table reader of the auditor: finds tables 二, 三 and 四 of a published 政府信息公开工作年度报告
//! and reads every cell as printed into the canonical model (report-model.md §2).
//!
//! How, in order (one module each):
//!
//! 1. `tokens`: the document becomes a sequence of segments — a run of label text followed by
//!    the values printed after it — whatever the layout (HTML/DOCX tables, `pdftotext -layout`
//!    lines, tab-separated text, or page text whose cells ran together). Page numbers are dropped.
//! 2. `meta`: organ and year from the title; the format from table 二's column names, else from
//!    the year.
//! 3. Table 三, then table 四 after it, then table 二 before it (`table3`, `table4`, `table2`):
//!    rows are recognised by fuzzy label matching ([`labels`]) in printed order (`rows`); values
//!    that ran together are split under the tables' own sums ([`split`]).
//!
//! What the reader says itself: `S-FORMAT` (the format, or that it cannot be told) and
//! `S-AMBIGUOUS` (cells that ran together in more than one way that fits the sums: the candidates
//! are listed, the cells are left blank and none is chosen). A table that is not found is `None`;
//! saying so (`S-TABLE-MISSING`) and every arithmetic check are the check catalogue's job.
//!
//! Pure and deterministic: no IO, no global state besides the label tables built once.

mod cells;
pub mod labels;
mod meta;
mod normalize;
mod rows;
pub mod split;
mod table2;
mod table3;
mod table4;
mod tokens;

use crate::finding::{Finding, Severity};
use crate::model::{ReportFormat, ReportTables, Table3Row};
use gongkai_docs::Document;

/// The id of the format finding.
pub const S_FORMAT: &str = "S-FORMAT";
/// The id of the finding on cells that cannot be told apart.
pub const S_AMBIGUOUS: &str = cells::S_AMBIGUOUS;

/// What the reader got out of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Extraction {
    /// Organ, year, format and the tables found (`None` when not found).
    pub tables: ReportTables,
    /// `S-FORMAT` (info: the format detected; error: it cannot be told) and `S-AMBIGUOUS`
    /// (warning: cells with more than one reading, with the candidates).
    pub findings: Vec<Finding>,
    /// The running text of the document, for the narrative checks.
    pub text: String,
}

/// Reads the tables of an annual report (see the module documentation). Never panics; a document
/// that is not a report gives no tables and an `S-FORMAT` error.
pub fn extract(doc: &Document) -> Extraction {
    let flat = tokens::flatten(doc);
    let title = meta::title(doc);
    let year = title.year.or_else(|| meta::year_from_text(&flat.text));
    let markers = meta::markers(&flat.text);
    let hint = meta::format_hint(&markers, year);
    let segments = flat.segments.as_slice();
    let all = 0..segments.len();

    let t3 = table3::read(segments, all.clone());
    let after_t3 = t3.as_ref().map_or(0, |(_, span)| span.end);
    let t4 = table4::read(segments, after_t3..segments.len()).or_else(|| {
        // Table 四 printed before table 三 (never seen, but cheap to allow).
        t3.as_ref()
            .and_then(|(_, span)| table4::read(segments, 0..span.start))
    });
    let before_t3 = 0..t3.as_ref().map_or(segments.len(), |(_, span)| span.start);
    let t2 = match hint {
        Some(ReportFormat::F2019) => table2::read(segments, before_t3, true),
        Some(ReportFormat::F2021) => table2::read(segments, before_t3, false),
        Some(ReportFormat::Pre2019) | None => table2::read(segments, before_t3.clone(), false)
            .or_else(|| table2::read(segments, before_t3, true)),
    };

    let any_table = t2.is_some() || t3.is_some() || t4.is_some();
    let t3_shape = t3.as_ref().map(|(found, _)| {
        let subrows = [
            Table3Row::OtherOverdueCorrection,
            Table3Row::OtherOverdueFee,
            Table3Row::OtherOther,
        ]
        .iter()
        .any(|r| found.table.contains_key(r));
        if subrows {
            ReportFormat::F2021
        } else {
            ReportFormat::F2019
        }
    });
    let decided: Option<(ReportFormat, String)> = if markers.f2021 != markers.f2019 {
        let format = if markers.f2021 > markers.f2019 {
            ReportFormat::F2021
        } else {
            ReportFormat::F2019
        };
        let basis = if format == ReportFormat::F2021 {
            "表二的列名（本年制发件数、本年废止件数、现行有效件数）"
        } else {
            "表二的列名（本年新制作数量、本年新公开数量、对外公开总数量等）"
        };
        Some((format, basis.to_string()))
    } else if let Some(y) = year.filter(|y| *y >= 2019) {
        let format = if y >= 2021 {
            ReportFormat::F2021
        } else {
            ReportFormat::F2019
        };
        Some((format, format!("报告年度（{y}年）")))
    } else if !any_table && (markers.pre2019 || year.is_some()) {
        let basis = match year {
            Some(y) => format!("报告年度（{y}年），且没有现行格式的表二、表三、表四"),
            None => "“政府信息公开情况统计表”，且没有现行格式的表二、表三、表四".to_string(),
        };
        Some((ReportFormat::Pre2019, basis))
    } else {
        t3_shape.map(|format| {
            (
                format,
                "表三的行（“（六）其他处理”是否分列三个子项）；标题中没有报告年度".to_string(),
            )
        })
    };

    let mut findings = Vec::new();
    let format = match &decided {
        Some((format, basis)) => {
            let message = if *format == ReportFormat::Pre2019 {
                format!(
                    "本报告为{}：只有自由格式的统计表，不按现行格式读取表二、表三、表四（依据：{basis}）。",
                    format.label()
                )
            } else {
                format!("报告格式：{}（依据：{basis}）。", format.label())
            };
            findings.push(Finding::new(S_FORMAT, Severity::Info, message));
            *format
        }
        None => {
            findings.push(Finding::new(
                S_FORMAT,
                Severity::Error,
                "无法判断报告格式：没有找到表二、表三的表头，标题中也没有报告年度。请确认文件是政府信息公开工作年度报告，且不是扫描图片。",
            ));
            // The model needs a format; the current one is the only reasonable default.
            ReportFormat::F2021
        }
    };

    let mut tables = ReportTables {
        organ: title.organ,
        year,
        format,
        table2: None,
        table3: None,
        table4: None,
    };
    if format != ReportFormat::Pre2019 {
        if let Some((found, _)) = t2 {
            tables.table2 = Some(found.table);
            findings.extend(found.findings);
        }
        if let Some((found, _)) = t3 {
            tables.table3 = Some(found.table);
            findings.extend(found.findings);
        }
        if let Some((found, _)) = t4 {
            tables.table4 = Some(found.table);
            findings.extend(found.findings);
        }
    }
    Extraction {
        tables,
        findings,
        text: doc.plain_text(),
    }
}
