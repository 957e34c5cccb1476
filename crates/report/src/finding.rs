//! Findings: what a check (or the table reader) says about a report (report-model.md §3).

use crate::model::CellRef;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "提示",
            Severity::Info => "信息",
        }
    }
}

/// Whether the check found a problem or could not run at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The rule is broken (or, for `Info` findings, a fact is reported).
    Failed,
    /// The check could not run: an input it needs is missing (e.g. no previous year, a blank cell).
    NotAssessable,
}

/// One finding. `check` is the stable id of the catalogue (`T3-IDENTITY`, `S-AMBIGUOUS`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: String,
    pub severity: Severity,
    pub status: Status,
    /// The cells the check read, in the canonical address form (`table3.new_received.total`).
    #[serde(default)]
    pub cells: Vec<CellRef>,
    /// What the rule expects, e.g. the sum of the other cells; kept as text for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// What the report shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// A message in Chinese that a 政务公开 officer understands: what is wrong and where.
    pub message: String,
    /// For `S-AMBIGUOUS`: each candidate reading of the cells (same order as `cells`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Vec<String>>,
}

impl Finding {
    pub fn new(check: &str, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            check: check.to_string(),
            severity,
            status: Status::Failed,
            cells: Vec::new(),
            expected: None,
            actual: None,
            message: message.into(),
            candidates: Vec::new(),
        }
    }

    pub fn not_assessable(check: &str, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            status: Status::NotAssessable,
            ..Finding::new(check, severity, message)
        }
    }

    pub fn with_cells(mut self, cells: impl IntoIterator<Item = CellRef>) -> Self {
        self.cells.extend(cells);
        self
    }

    pub fn with_values(mut self, expected: impl fmt::Display, actual: impl fmt::Display) -> Self {
        self.expected = Some(expected.to_string());
        self.actual = Some(actual.to_string());
        self
    }

    /// True for a failed check of severity error: what blocks publishing and sets exit code 1.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error && self.status == Status::Failed
    }
}
