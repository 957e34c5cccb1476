//! The annual report (政府信息公开工作年度报告, 条例第四十九、五十条) as the organ works on it: one
//! row per organ and year holding what people write — the narrative sections 一–六, the table-二
//! figures that live in other systems (with their sources), the explanations of the checks'
//! warnings, last year's tables imported from a published file — and the state
//! draft → in_review → published. Publishing freezes a snapshot (an opaque JSON document made by
//! the annual crate: tables, text, the records behind every cell) as a numbered version; later
//! edits of records cannot change it. A revision (更正) goes back to draft with its reason and
//! publishes the next version.
//!
//! The store keeps the states and who did what; whether a report may be submitted (its checks)
//! is decided by the annual crate, which builds the report.

mod figures;
mod write;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Actor, Store, get_opt_ts, get_ts};
use crate::error::{Result, StoreError};
use crate::items::{dyn_query, get_date};

pub use figures::{FigureEntry, FigureKey, ReportFigures};

/// Longest narrative section.
pub const SECTION_MAX: usize = 20_000;
/// Longest explanation of a warning, reason of a revision or review note.
pub const NOTE_MAX: usize = 2_000;

/// Where the report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 起草中: the officer edits.
    Draft,
    /// 待审核: waiting for the reviewer (审核人); nothing can be edited.
    InReview,
    /// 已发布: the latest version is public.
    Published,
}

impl ReportStatus {
    pub fn key(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::InReview => "in_review",
            ReportStatus::Published => "published",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "起草中",
            ReportStatus::InReview => "待审核",
            ReportStatus::Published => "已发布",
        }
    }

    pub(crate) fn parse(key: &str) -> Result<Self> {
        match key {
            "draft" => Ok(ReportStatus::Draft),
            "in_review" => Ok(ReportStatus::InReview),
            "published" => Ok(ReportStatus::Published),
            other => Err(StoreError::Corrupt(format!("年度报告状态“{other}”"))),
        }
    }
}

/// The narrative sections of the official format (国办公开办函〔2021〕30号). Sections 二–四 are
/// tables; their text is an optional note printed above the table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Narrative {
    /// 一、总体情况.
    pub overview: String,
    /// 二、主动公开政府信息情况 (note above table 二).
    pub proactive: String,
    /// 三、收到和处理政府信息公开申请情况 (note above table 三).
    pub applications: String,
    /// 四、政府信息公开行政复议、行政诉讼情况 (note above table 四).
    pub challenges: String,
    /// 五、存在的主要问题及改进情况.
    pub problems: String,
    /// 六、其他需要报告的事项.
    pub other: String,
}

impl Narrative {
    /// (field label, text) in the order of the report.
    pub fn sections(&self) -> [(&'static str, &str); 6] {
        [
            ("一、总体情况", &self.overview),
            ("二、主动公开政府信息情况", &self.proactive),
            ("三、收到和处理政府信息公开申请情况", &self.applications),
            ("四、政府信息公开行政复议、行政诉讼情况", &self.challenges),
            ("五、存在的主要问题及改进情况", &self.problems),
            ("六、其他需要报告的事项", &self.other),
        ]
    }

    pub fn is_empty(&self) -> bool {
        self.sections().iter().all(|(_, t)| t.trim().is_empty())
    }
}

/// An organ's report of one year, as edited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    pub id: i64,
    pub organ_id: i64,
    pub year: i32,
    pub status: ReportStatus,
    /// Empty until someone saves text: the annual crate then pre-fills it from the records.
    pub narrative: Narrative,
    pub figures: ReportFigures,
    /// Explanation of each warning, by the warning's key (check and cells).
    pub explanations: BTreeMap<String, String>,
    /// Last year's tables (canonical JSON) read from its published document.
    pub previous_tables: Option<serde_json::Value>,
    /// Where they were read from (file name, date).
    pub previous_source: String,
    /// Why the published report is being revised (empty before the first publication).
    pub revision_reason: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub review_note: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// A published version, without its snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportVersion {
    pub id: i64,
    pub report_id: i64,
    pub number: i64,
    /// Why this version replaced the previous one (empty for the first).
    pub reason: String,
    pub published_on: NaiveDate,
    pub published_at: DateTime<Utc>,
    pub submitted_by: Option<i64>,
    pub published_by: Option<i64>,
}

/// One year of an organ's reports in lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    pub id: i64,
    pub organ_id: i64,
    pub year: i32,
    pub status: ReportStatus,
    /// The latest published version, if any.
    pub latest: Option<ReportVersion>,
}

pub(crate) const REPORT_COLUMNS: &str = "id, organ_id, year, status, narrative, figures, \
     explanations, previous_tables, previous_source, revision_reason, submitted_by, submitted_at, \
     review_note, created_at, updated_at, version";

const VERSION_COLUMNS: &str =
    "id, report_id, number, reason, published_on, published_at, submitted_by, published_by";

fn json_col<T: serde::de::DeserializeOwned>(row: &AnyRow, col: &str) -> Result<T> {
    let text: String = row.try_get(col)?;
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("年度报告 {col}: {e}")))
}

fn year_of(row: &AnyRow) -> Result<i32> {
    let year: i64 = row.try_get("year")?;
    i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("年度报告年份 {year}")))
}

pub(crate) fn report_from_row(row: &AnyRow) -> Result<AnnualReport> {
    let status: String = row.try_get("status")?;
    let previous: Option<String> = row.try_get("previous_tables")?;
    Ok(AnnualReport {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        year: year_of(row)?,
        status: ReportStatus::parse(&status)?,
        narrative: json_col(row, "narrative")?,
        figures: json_col(row, "figures")?,
        explanations: json_col(row, "explanations")?,
        previous_tables: previous
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("年度报告上年表格: {e}")))?,
        previous_source: row.try_get("previous_source")?,
        revision_reason: row.try_get("revision_reason")?,
        submitted_by: row.try_get("submitted_by")?,
        submitted_at: get_opt_ts(row, "submitted_at")?,
        review_note: row.try_get("review_note")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}

fn version_from_row(row: &AnyRow) -> Result<ReportVersion> {
    Ok(ReportVersion {
        id: row.try_get("id")?,
        report_id: row.try_get("report_id")?,
        number: row.try_get("number")?,
        reason: row.try_get("reason")?,
        published_on: get_date(row, "published_on")?,
        published_at: get_ts(row, "published_at")?,
        submitted_by: row.try_get("submitted_by")?,
        published_by: row.try_get("published_by")?,
    })
}

/// The annual reports: `store.annual_reports()`.
#[derive(Debug, Clone, Copy)]
pub struct AnnualReports<'a> {
    pub(crate) store: &'a Store,
}

impl AnnualReports<'_> {
    /// The report of `organ_id` for `year`, if anyone has opened it.
    pub async fn get(&self, organ_id: i64, year: i32) -> Result<Option<AnnualReport>> {
        let row = dyn_query(format!(
            "SELECT {REPORT_COLUMNS} FROM annual_reports WHERE organ_id = $1 AND year = $2"
        ))
        .bind(organ_id)
        .bind(i64::from(year))
        .fetch_optional(self.store.pool())
        .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// The organ's reports, latest year first, each with its latest published version.
    pub async fn list(&self, organ_id: i64) -> Result<Vec<ReportSummary>> {
        let rows = sqlx::query(
            "SELECT id, organ_id, year, status FROM annual_reports WHERE organ_id = $1 \
             ORDER BY year DESC",
        )
        .bind(organ_id)
        .fetch_all(self.store.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let status: String = row.try_get("status")?;
            out.push(ReportSummary {
                id,
                organ_id: row.try_get("organ_id")?,
                year: year_of(row)?,
                status: ReportStatus::parse(&status)?,
                latest: self.versions(id).await?.pop(),
            });
        }
        Ok(out)
    }

    /// The published versions of report `report_id`, oldest first.
    pub async fn versions(&self, report_id: i64) -> Result<Vec<ReportVersion>> {
        let rows = dyn_query(format!(
            "SELECT {VERSION_COLUMNS} FROM annual_report_versions WHERE report_id = $1 \
             ORDER BY number"
        ))
        .bind(report_id)
        .fetch_all(self.store.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Version `number` of report `report_id` with its frozen snapshot.
    pub async fn snapshot(
        &self,
        report_id: i64,
        number: i64,
    ) -> Result<Option<(ReportVersion, serde_json::Value)>> {
        let row = dyn_query(format!(
            "SELECT {VERSION_COLUMNS}, snapshot FROM annual_report_versions \
             WHERE report_id = $1 AND number = $2"
        ))
        .bind(report_id)
        .bind(number)
        .fetch_optional(self.store.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let version = version_from_row(&row)?;
        let snapshot = json_col(&row, "snapshot")?;
        Ok(Some((version, snapshot)))
    }

    /// The latest published version of each of `organ_ids` for `year`, with its snapshot (organs
    /// without one are absent). One query per 500 organs.
    pub async fn latest_published(
        &self,
        organ_ids: &[i64],
        year: i32,
    ) -> Result<BTreeMap<i64, (ReportVersion, serde_json::Value)>> {
        let mut out = BTreeMap::new();
        for chunk in organ_ids.chunks(500) {
            if chunk.is_empty() {
                continue;
            }
            let list = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            // The ids are integers formatted here, not user text.
            let rows = dyn_query(format!(
                "SELECT r.organ_id AS organ_id, v.id AS id, v.report_id AS report_id, \
                 v.number AS number, v.reason AS reason, v.published_on AS published_on, \
                 v.published_at AS published_at, v.submitted_by AS submitted_by, \
                 v.published_by AS published_by, v.snapshot AS snapshot \
                 FROM annual_reports r JOIN annual_report_versions v ON v.report_id = r.id \
                 WHERE r.year = $1 AND r.organ_id IN ({list}) AND v.number = \
                 (SELECT MAX(number) FROM annual_report_versions w WHERE w.report_id = r.id)"
            ))
            .bind(i64::from(year))
            .fetch_all(self.store.pool())
            .await?;
            for row in &rows {
                let organ_id: i64 = row.try_get("organ_id")?;
                out.insert(
                    organ_id,
                    (version_from_row(row)?, json_col(row, "snapshot")?),
                );
            }
        }
        Ok(out)
    }

    /// Opens the report of `organ_id` for `year`, creating an empty draft the first time.
    pub async fn open(&self, actor: &Actor, organ_id: i64, year: i32) -> Result<AnnualReport> {
        if let Some(report) = self.get(organ_id, year).await? {
            return Ok(report);
        }
        self.store
            .write(actor, async |tx| write::open(tx, organ_id, year).await)
            .await
    }

    /// Saves the narrative sections of a draft.
    pub async fn save_narrative(
        &self,
        actor: &Actor,
        id: i64,
        narrative: &Narrative,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::save_narrative(tx, id, narrative, expected_version).await
            })
            .await
    }

    /// Saves the table-二 figures from other systems of a draft.
    pub async fn save_figures(
        &self,
        actor: &Actor,
        id: i64,
        figures: &ReportFigures,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::save_figures(tx, id, figures, expected_version).await
            })
            .await
    }

    /// Saves the explanations of warnings of a draft (an empty text removes one).
    pub async fn save_explanations(
        &self,
        actor: &Actor,
        id: i64,
        explanations: &BTreeMap<String, String>,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::save_explanations(tx, id, explanations, expected_version).await
            })
            .await
    }

    /// Stores last year's tables read from its published document (`None` removes them).
    pub async fn save_previous(
        &self,
        actor: &Actor,
        id: i64,
        tables: Option<&serde_json::Value>,
        source: &str,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::save_previous(tx, id, tables, source, expected_version).await
            })
            .await
    }

    /// Draft → in review. The caller has checked the report (the annual crate's
    /// `workflow::submit`).
    pub async fn submit(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::submit(tx, id, expected_version).await
            })
            .await
    }

    /// In review → draft, with the reviewer's note.
    pub async fn send_back(
        &self,
        actor: &Actor,
        id: i64,
        note: &str,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::send_back(tx, id, note, expected_version).await
            })
            .await
    }

    /// In review → published: freezes `snapshot` as the next version. The reviewer cannot be
    /// the person who submitted (four eyes, as for items).
    pub async fn publish(
        &self,
        actor: &Actor,
        id: i64,
        snapshot: &serde_json::Value,
        published_on: NaiveDate,
        expected_version: i64,
    ) -> Result<(AnnualReport, ReportVersion)> {
        self.store
            .write(actor, async |tx| {
                write::publish(tx, id, snapshot, published_on, expected_version).await
            })
            .await
    }

    /// Published → draft for a revision (更正), with its reason.
    pub async fn revise(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        expected_version: i64,
    ) -> Result<AnnualReport> {
        self.store
            .write(actor, async |tx| {
                write::revise(tx, id, reason, expected_version).await
            })
            .await
    }
}
