//! The check catalogue of `spec/report-model.md` §3: the rules a published annual report
//! (政府信息公开工作年度报告) must pass, run over the canonical tables and, where known, the
//! running text, the publication date and last year's report.
//!
//! One module per check family:
//!
//! | module | ids |
//! |---|---|
//! | [`structure`] | `S-SECTIONS`, `S-TABLE-MISSING`, `S-CELL-BLANK`, `S-CELL-NUMBER` |
//! | [`table3`] | `T3-IDENTITY`, `T3-OUTCOMES`, `T3-ROW-TOTAL` |
//! | [`table4`] | `T4-TOTAL` |
//! | [`cross_year`] | `X-CARRYOVER`, `X-IN-FORCE`, `X-COPY` |
//! | [`narrative`] | `N-NO-APPLICATIONS`, `N-FIGURES` |
//! | [`timeliness`] | `D-PUBLISHED-LATE` |
//!
//! `S-FORMAT` and `S-AMBIGUOUS` are emitted by the table reader, not here.
//!
//! Conventions shared by every check:
//!
//! - A check that cannot run says so with a finding of status [`Status::NotAssessable`] and
//!   severity [`Severity::Info`] (report-model.md §3: "say so instead of passing"); it never
//!   passes or fails on a blank cell. A blank or "/" cell is never read as 0.
//! - A broken rule gives one finding per failing column / row / block, with `cells`, `expected`
//!   (what the rule computes from the other cells) and `actual` (what the report prints).
//! - Cells of last year's report are addressed with a `previous.` prefix
//!   (`previous.table3.carried_forward.total`).
//! - Messages are Chinese, name the place with the printed row and column labels, and where
//!   useful say what to do.

use crate::finding::{Finding, Severity, Status};
use crate::model::{CellRef, ReportTables};
use chrono::{Datelike, NaiveDate};

mod cells;
pub mod cross_year;
pub mod narrative;
pub mod structure;
pub mod table3;
pub mod table4;
mod text;
pub mod timeliness;

/// The stable ids of the catalogue (report-model.md §3).
pub mod ids {
    pub const S_FORMAT: &str = "S-FORMAT";
    pub const S_SECTIONS: &str = "S-SECTIONS";
    pub const S_TABLE_MISSING: &str = "S-TABLE-MISSING";
    pub const S_CELL_BLANK: &str = "S-CELL-BLANK";
    pub const S_CELL_NUMBER: &str = "S-CELL-NUMBER";
    pub const S_AMBIGUOUS: &str = "S-AMBIGUOUS";
    pub const T3_IDENTITY: &str = "T3-IDENTITY";
    pub const T3_OUTCOMES: &str = "T3-OUTCOMES";
    pub const T3_ROW_TOTAL: &str = "T3-ROW-TOTAL";
    pub const T4_TOTAL: &str = "T4-TOTAL";
    pub const X_CARRYOVER: &str = "X-CARRYOVER";
    pub const X_IN_FORCE: &str = "X-IN-FORCE";
    pub const X_COPY: &str = "X-COPY";
    pub const N_NO_APPLICATIONS: &str = "N-NO-APPLICATIONS";
    pub const N_FIGURES: &str = "N-FIGURES";
    pub const D_PUBLISHED_LATE: &str = "D-PUBLISHED-LATE";
}

/// What kind of organ published the report: it fixes the statutory publication date
/// (条例 Art 49, legal-rules.md §A.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganKind {
    /// 县级以上人民政府部门: before 31 January (Art 49 ¶1).
    Department,
    /// 县级以上地方人民政府 (本级政府): before 31 March (Art 49 ¶2).
    Government,
    /// 街道办事处 / 乡镇: not named in Art 49; local rules set the date. Default 31 January
    /// (legal-rules.md §A.5); set [`CheckInput::deadline`] for a local rule (e.g. 20 February).
    Grassroots,
}

impl OrganKind {
    /// The statutory last day for publishing the report on `report_year`.
    ///
    /// Art 49 says "每年1月31日前" / "每年3月31日前"; the date itself is taken as still in time.
    /// The statute gives no roll-over for a weekend (UNCONFIRMED, legal-rules.md §A.5), so none
    /// is applied.
    pub fn statutory_deadline(self, report_year: i32) -> Option<NaiveDate> {
        let year = report_year.checked_add(1)?;
        match self {
            OrganKind::Department | OrganKind::Grassroots => NaiveDate::from_ymd_opt(year, 1, 31),
            OrganKind::Government => NaiveDate::from_ymd_opt(year, 3, 31),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrganKind::Department => "政府部门",
            OrganKind::Government => "人民政府",
            OrganKind::Grassroots => "街道办事处/乡镇",
        }
    }
}

/// One report as the checks see it.
#[derive(Debug, Clone, Copy)]
pub struct CheckInput<'a> {
    pub tables: &'a ReportTables,
    /// The document's running text (narrative sections 一–六), if known.
    pub text: Option<&'a str>,
    /// The publication date, if known (for `D-PUBLISHED-LATE`).
    pub published_on: Option<NaiveDate>,
    /// The kind of organ, if known: fixes the statutory date.
    pub organ_kind: Option<OrganKind>,
    /// A configured last day for publication (a local rule); overrides the date implied by
    /// `organ_kind`.
    pub deadline: Option<NaiveDate>,
    /// Cells the table reader could not read unambiguously (`S-AMBIGUOUS`): left blank by the
    /// reader, so they are not reported as blank cells of the report.
    pub unreadable_cells: &'a [CellRef],
}

impl<'a> CheckInput<'a> {
    /// Tables only: no text, no date, no organ kind.
    pub fn new(tables: &'a ReportTables) -> Self {
        CheckInput {
            tables,
            text: None,
            published_on: None,
            organ_kind: None,
            deadline: None,
            unreadable_cells: &[],
        }
    }

    pub fn with_unreadable_cells(mut self, cells: &'a [CellRef]) -> Self {
        self.unreadable_cells = cells;
        self
    }

    pub fn with_text(mut self, text: &'a str) -> Self {
        self.text = Some(text);
        self
    }

    pub fn with_published_on(mut self, date: NaiveDate) -> Self {
        self.published_on = Some(date);
        self
    }

    pub fn with_organ_kind(mut self, kind: OrganKind) -> Self {
        self.organ_kind = Some(kind);
        self
    }

    pub fn with_deadline(mut self, deadline: NaiveDate) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// The year the report covers, as a label for messages ("2022年度").
    pub(crate) fn year_label(&self) -> String {
        year_label(self.tables.year)
    }
}

pub(crate) fn year_label(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("{y}年度"),
        None => "（年度不详）".to_string(),
    }
}

/// Runs the whole catalogue on `current`; the cross-year checks (`X-*`) run only when
/// `previous` (last year's report of the same organ) is given.
///
/// Findings come errors first, then warnings, then info, each group in catalogue order.
pub fn run_checks(current: &CheckInput, previous: Option<&CheckInput>) -> Vec<Finding> {
    let tables = current.tables;
    let mut findings = Vec::new();
    // The text normalised once, for every check that reads it.
    let text = current.text.map(text::Text::new);

    findings.extend(structure::check_sections_in(text.as_ref()));
    findings.extend(structure::check_tables_present(tables));
    findings.extend(structure::check_cells(tables, current.unreadable_cells));
    if let Some(t3) = &tables.table3 {
        findings.extend(table3::check_identity(t3));
        findings.extend(table3::check_outcomes(t3));
        findings.extend(table3::check_row_totals(t3));
    }
    if let Some(t4) = &tables.table4 {
        findings.extend(table4::check_totals(t4));
    }
    if let Some(previous) = previous {
        findings.extend(cross_year::check_in(current, text.as_ref(), previous));
    }
    findings.extend(narrative::check_in(tables, text.as_ref()));
    findings.extend(timeliness::check_published_late(current));

    sort_findings(&mut findings);
    findings
}

/// Errors first, then warnings, then info; failed before not-assessable within a severity;
/// otherwise the order of emission (the sort is stable).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|f| (f.severity, f.status != Status::Failed));
}

/// A date as officers write it: 2023年1月31日.
pub(crate) fn date_label(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// A not-assessable finding (always severity info, see the module doc).
pub(crate) fn not_assessable(check: &str, message: impl Into<String>) -> Finding {
    Finding::not_assessable(check, Severity::Info, message)
}
