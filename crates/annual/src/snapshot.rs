//! The report as it is shown, downloaded and frozen on publication: the tables, the narrative,
//! the records behind each cell, the checks' findings with the explanations given, and the
//! figures from other systems with their sources. A published version stores exactly this JSON,
//! so what the public page, the downloads and the drill-down show can never drift from what was
//! published, whatever happens to the records later.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gongkai_report::{CellRef, Finding, ReportTables};
use gongkai_store::{Narrative, ReportFigures};
use serde::{Deserialize, Serialize};

use crate::{Facts, RecordRef};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSnapshot {
    pub organ_id: i64,
    pub organ: String,
    pub year: i32,
    /// The published version number; `None` for a draft.
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
    pub tables: ReportTables,
    pub narrative: Narrative,
    #[serde(default)]
    pub cells: BTreeMap<CellRef, Vec<RecordRef>>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Explanation of each warning, by [`finding_key`].
    #[serde(default)]
    pub explanations: BTreeMap<String, String>,
    #[serde(default)]
    pub figures: ReportFigures,
    #[serde(default)]
    pub facts: Facts,
}

impl ReportSnapshot {
    /// 某机关2023年政府信息公开工作年度报告.
    pub fn title(&self) -> String {
        format!("{}{}年政府信息公开工作年度报告", self.organ, self.year)
    }

    /// Reads a stored snapshot.
    pub fn from_json(value: &serde_json::Value) -> Result<ReportSnapshot, serde_json::Error> {
        ReportSnapshot::deserialize(value)
    }

    /// The canonical report JSON (report-model.md): the tables plus what the report says about
    /// itself.
    pub fn canonical_json(&self) -> serde_json::Value {
        serde_json::json!({
            "organ": self.organ,
            "year": self.year,
            "version": self.version,
            "published_on": self.published_on,
            "tables": self.tables,
            "narrative": self.narrative,
            "findings": self.findings,
            "explanations": self.explanations,
            "figures_sources": self.figures,
            "cells": self.cells,
        })
    }
}

/// The key a warning's explanation is stored under: the check and the cells it read (stable
/// across rebuilds while the same problem persists).
pub fn finding_key(finding: &Finding) -> String {
    let cells: Vec<&str> = finding.cells.iter().map(|c| c.0.as_str()).collect();
    format!("{}@{}", finding.check, cells.join(","))
}
