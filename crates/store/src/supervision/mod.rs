//! Reads for the supervision dashboard (监督保障, 条例第四十七条): per-organ counts of a period over
//! an organ's subtree, the records behind each count, monthly series, the annual-report progress
//! and the supervising organ's scoring weights.
//!
//! # One condition per measure
//!
//! Every [`Measure`] is ONE SQL condition on one table ([`Measure::condition`]). The dashboard's
//! count ([`Supervision::counts`], `GROUP BY organ_id` over chunks of [`ID_CHUNK`] organs) and the
//! drill-down list ([`Supervision::records`]) are built from that same condition, so the number
//! shown and the records listed cannot differ.
//!
//! # The rules (what each measure counts)
//!
//! - Items (主动公开, 条例第二十六条): published in the period = `state` published or later
//!   withdrawn (it was published) with `published_on` in the period — the rule of
//!   [`crate::Items::timeliness`]. On time = `published_on <= due_on`, where `due_on` is the Art 26
//!   due date the items store computes with the law crate (`gongkai_law::proactive_due_date`: 20
//!   working days after 成文日期) and keeps with every edit of the 成文日期.
//! - 规章 and 行政规范性文件 without a 政策解读: currently published documents of those genres
//!   published in the period that no published interpretation points to (`interprets_item_id`, the
//!   rule of [`crate::Items::missing_interpretations`]).
//! - Applications (条例第三十三条) use the cached columns of the applications store (see
//!   `applications/mod.rs`): `received_on` (Art 31 receipt date), `closed_on` (set by a closing
//!   event: a reply or a withdrawal), `state` and `due_on` (the reply due date as of the last
//!   recorded step). Received = `received_on` in the period; closed = `closed_on` in the period;
//!   replied = closed by a reply in the period; replied late = replied with `closed_on > due_on`
//!   (exact: the law crate's `replied_late` is the reply date after the due date in force at the
//!   reply, which is the cached one). Open at the end = received by the end and not closed by a
//!   reply or withdrawal on or before it. Overdue = open at the end with a cached due date before
//!   the end. Two limits of the cache, stated on the guide page: a case abandoned by the lapse of
//!   the applicant's correction or payment period (条例第三十条, 109号) counts as open until the
//!   officer files it, as on the officer's own open list; and while a consultation or fee wait is
//!   open the cached due date is the one at its start (the clock is paused, so the case is not
//!   counted as overdue for days that do not run).
//! - 复议/诉讼 (条例第五十一条): cases filed in the period, without those where the organ is only
//!   the 复议机关 sued as co-defendant (国办公开办函〔2016〕201号: not counted, as in table 四);
//!   corrected = result 纠正 decided by the end of the period.

mod reports;
mod trends;
mod weights;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gongkai_law::{ChallengeKind, ChallengeResult, ClockStatus};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::items::read::{SUMMARY_COLUMNS, summary_from_row};
use crate::items::{ID_CHUNK, ItemSummary, date_text, get_date, get_opt_date, ids_query};

pub use reports::ReportProgress;
pub use trends::{MonthPoint, Series};
pub use weights::{WEIGHT_MAX, WeightsRecord};

/// The dates a dashboard covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The table a measure counts rows of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RecordTable {
    Items,
    Applications,
    Challenges,
}

impl RecordTable {
    fn name(self) -> &'static str {
        match self {
            RecordTable::Items => "items",
            RecordTable::Applications => "applications",
            RecordTable::Challenges => "challenges",
        }
    }
}

/// What the dashboard counts per organ (the module documentation gives each rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Measure {
    ItemsPublished,
    ItemsOnTime,
    ItemsLate,
    DocumentsPublished,
    DocumentsUninterpreted,
    ApplicationsReceived,
    ApplicationsClosed,
    ApplicationsReplied,
    ApplicationsOpen,
    ApplicationsOverdue,
    RepliesLate,
    Challenges,
    ChallengesCorrected,
}

/// Items published in the period (withdrawn later included: they were published).
const PUBLISHED: &str =
    "r.state IN ('published', 'withdrawn') AND r.published_on >= {from} AND r.published_on <= {to}";
/// 规章 and 行政规范性文件 published in the period and still published.
const DOCUMENTS: &str = "r.state = 'published' AND r.genre IN ('regulation', 'normative_document') \
     AND r.published_on >= {from} AND r.published_on <= {to}";
const NO_INTERPRETATION: &str = " AND NOT EXISTS (SELECT 1 FROM items i \
     WHERE i.interprets_item_id = r.id AND i.state = 'published')";
const REPLIED: &str = "r.state = 'replied' AND r.closed_on >= {from} AND r.closed_on <= {to}";
const OPEN_AT_END: &str = "r.received_on <= {to} AND (r.closed_on IS NULL OR r.closed_on > {to})";
const CHALLENGES: &str =
    "r.co_defendant_reviewer = 0 AND r.filed_on >= {from} AND r.filed_on <= {to}";

impl Measure {
    pub const ALL: [Measure; 13] = [
        Measure::ItemsPublished,
        Measure::ItemsOnTime,
        Measure::ItemsLate,
        Measure::DocumentsPublished,
        Measure::DocumentsUninterpreted,
        Measure::ApplicationsReceived,
        Measure::ApplicationsClosed,
        Measure::ApplicationsReplied,
        Measure::ApplicationsOpen,
        Measure::ApplicationsOverdue,
        Measure::RepliesLate,
        Measure::Challenges,
        Measure::ChallengesCorrected,
    ];

    /// The key in URLs (`measure=`).
    pub fn key(self) -> &'static str {
        match self {
            Measure::ItemsPublished => "items_published",
            Measure::ItemsOnTime => "items_on_time",
            Measure::ItemsLate => "items_late",
            Measure::DocumentsPublished => "documents_published",
            Measure::DocumentsUninterpreted => "documents_uninterpreted",
            Measure::ApplicationsReceived => "applications_received",
            Measure::ApplicationsClosed => "applications_closed",
            Measure::ApplicationsReplied => "applications_replied",
            Measure::ApplicationsOpen => "applications_open",
            Measure::ApplicationsOverdue => "applications_overdue",
            Measure::RepliesLate => "replies_late",
            Measure::Challenges => "challenges",
            Measure::ChallengesCorrected => "challenges_corrected",
        }
    }

    pub fn parse(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The Chinese name (column headers, the drill-down title).
    pub fn label(self) -> &'static str {
        match self {
            Measure::ItemsPublished => "主动公开信息",
            Measure::ItemsOnTime => "按期公开的信息",
            Measure::ItemsLate => "逾期公开的信息",
            Measure::DocumentsPublished => "公开的规章和规范性文件",
            Measure::DocumentsUninterpreted => "未发布政策解读的规章和规范性文件",
            Measure::ApplicationsReceived => "收到的申请",
            Measure::ApplicationsClosed => "办结的申请",
            Measure::ApplicationsReplied => "作出答复的申请",
            Measure::ApplicationsOpen => "期末未办结的申请",
            Measure::ApplicationsOverdue => "逾期未答复的申请",
            Measure::RepliesLate => "超过答复期限作出的答复",
            Measure::Challenges => "行政复议、行政诉讼案件",
            Measure::ChallengesCorrected => "结果纠正的复议、诉讼案件",
        }
    }

    pub fn table(self) -> RecordTable {
        match self {
            Measure::ItemsPublished
            | Measure::ItemsOnTime
            | Measure::ItemsLate
            | Measure::DocumentsPublished
            | Measure::DocumentsUninterpreted => RecordTable::Items,
            Measure::ApplicationsReceived
            | Measure::ApplicationsClosed
            | Measure::ApplicationsReplied
            | Measure::ApplicationsOpen
            | Measure::ApplicationsOverdue
            | Measure::RepliesLate => RecordTable::Applications,
            Measure::Challenges | Measure::ChallengesCorrected => RecordTable::Challenges,
        }
    }

    /// The one condition of the measure on rows `r` of its table, with `{from}` and `{to}`
    /// standing for the period's dates.
    fn template(self) -> String {
        match self {
            Measure::ItemsPublished => PUBLISHED.to_owned(),
            Measure::ItemsOnTime => format!("{PUBLISHED} AND r.published_on <= r.due_on"),
            Measure::ItemsLate => format!("{PUBLISHED} AND r.published_on > r.due_on"),
            Measure::DocumentsPublished => DOCUMENTS.to_owned(),
            Measure::DocumentsUninterpreted => format!("{DOCUMENTS}{NO_INTERPRETATION}"),
            Measure::ApplicationsReceived => {
                "r.received_on >= {from} AND r.received_on <= {to}".to_owned()
            }
            Measure::ApplicationsClosed => {
                "r.closed_on >= {from} AND r.closed_on <= {to}".to_owned()
            }
            Measure::ApplicationsReplied => REPLIED.to_owned(),
            Measure::ApplicationsOpen => OPEN_AT_END.to_owned(),
            Measure::ApplicationsOverdue => {
                format!("{OPEN_AT_END} AND r.due_on IS NOT NULL AND r.due_on < {{to}}")
            }
            Measure::RepliesLate => {
                format!("{REPLIED} AND r.due_on IS NOT NULL AND r.closed_on > r.due_on")
            }
            Measure::Challenges => CHALLENGES.to_owned(),
            Measure::ChallengesCorrected => format!(
                "{CHALLENGES} AND r.result = 'corrected' AND r.decided_on IS NOT NULL \
                 AND r.decided_on <= {{to}}"
            ),
        }
    }

    /// The condition with numbered placeholders from `$first` on, and the values to bind in
    /// that order.
    pub(crate) fn condition(self, period: &Period, first: usize) -> (String, Vec<String>) {
        let template = self.template();
        let mut sql = String::with_capacity(template.len());
        let mut binds = Vec::new();
        let mut rest = template.as_str();
        while let Some(start) = rest.find('{') {
            sql.push_str(&rest[..start]);
            let after = &rest[start..];
            let (value, len) = if after.starts_with("{from}") {
                (period.from, "{from}".len())
            } else if after.starts_with("{to}") {
                (period.to, "{to}".len())
            } else {
                // Not a marker (no condition contains another brace): copy it.
                sql.push('{');
                rest = &after[1..];
                continue;
            };
            binds.push(date_text(value));
            sql.push_str(&format!("${}", first + binds.len() - 1));
            rest = &after[len..];
        }
        sql.push_str(rest);
        (sql, binds)
    }
}

/// One application in a drill-down list (no personal data: the case page has it, masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicationLine {
    pub id: i64,
    pub organ_id: i64,
    pub tracking_no: String,
    pub received_on: NaiveDate,
    pub state: ClockStatus,
    pub due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// One 复议/诉讼 case in a drill-down list (the claimant is not shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeLine {
    pub id: i64,
    pub organ_id: i64,
    pub kind: ChallengeKind,
    pub case_no: String,
    pub filed_on: NaiveDate,
    pub result: ChallengeResult,
    pub decided_on: Option<NaiveDate>,
}

/// The records behind one count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Records {
    Items(Vec<ItemSummary>),
    Applications(Vec<ApplicationLine>),
    Challenges(Vec<ChallengeLine>),
}

impl Records {
    pub fn len(&self) -> usize {
        match self {
            Records::Items(v) => v.len(),
            Records::Applications(v) => v.len(),
            Records::Challenges(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record ids, in list order.
    pub fn ids(&self) -> Vec<i64> {
        match self {
            Records::Items(v) => v.iter().map(|r| r.id).collect(),
            Records::Applications(v) => v.iter().map(|r| r.id).collect(),
            Records::Challenges(v) => v.iter().map(|r| r.id).collect(),
        }
    }
}

const APPLICATION_LINE_COLUMNS: &str =
    "id, organ_id, tracking_no, received_on, state, due_on, closed_on";
const CHALLENGE_LINE_COLUMNS: &str = "id, organ_id, kind, case_no, filed_on, result, decided_on";

fn application_line(row: &AnyRow) -> Result<ApplicationLine> {
    let state: String = row.try_get("state")?;
    Ok(ApplicationLine {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        tracking_no: row.try_get("tracking_no")?,
        received_on: get_date(row, "received_on")?,
        state: crate::applications::from_key("办理状态", &state)?,
        due_on: get_opt_date(row, "due_on")?,
        closed_on: get_opt_date(row, "closed_on")?,
    })
}

fn challenge_line(row: &AnyRow) -> Result<ChallengeLine> {
    let kind: String = row.try_get("kind")?;
    let result: String = row.try_get("result")?;
    Ok(ChallengeLine {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        kind: crate::applications::from_key("复议诉讼类别", &kind)?,
        case_no: row.try_get("case_no")?,
        filed_on: get_date(row, "filed_on")?,
        result: crate::applications::from_key("复议诉讼结果", &result)?,
        decided_on: get_opt_date(row, "decided_on")?,
    })
}

/// Supervision reads: `store.supervision()`.
#[derive(Debug, Clone, Copy)]
pub struct Supervision<'a> {
    pub(crate) store: &'a Store,
}

/// Counts by organ: every organ asked for has an entry (0 when nothing matched).
pub type Counts = BTreeMap<i64, i64>;

impl Supervision<'_> {
    /// The count of `measure` in `period` for each of `organ_ids`: one grouped query per
    /// [`ID_CHUNK`] organs.
    pub async fn counts(
        &self,
        measure: Measure,
        organ_ids: &[i64],
        period: &Period,
    ) -> Result<Counts> {
        let mut out: Counts = organ_ids.iter().map(|id| (*id, 0)).collect();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let (condition, binds) = measure.condition(period, n + 1);
            let mut query = ids_query(chunk, |list| {
                format!(
                    "SELECT r.organ_id AS organ_id, COUNT(*) AS n FROM {} r \
                     WHERE r.organ_id IN ({}) AND {condition} GROUP BY r.organ_id",
                    measure.table().name(),
                    list
                )
            });
            for b in binds {
                query = query.bind(b);
            }
            for row in &query.fetch_all(self.store.pool()).await? {
                out.insert(row.try_get("organ_id")?, row.try_get("n")?);
            }
        }
        Ok(out)
    }

    /// Every measure of [`Measure::ALL`] for `organ_ids`: one grouped query per measure and
    /// chunk of organs.
    pub async fn all_counts(
        &self,
        organ_ids: &[i64],
        period: &Period,
    ) -> Result<BTreeMap<Measure, Counts>> {
        let mut out = BTreeMap::new();
        for measure in Measure::ALL {
            out.insert(measure, self.counts(measure, organ_ids, period).await?);
        }
        Ok(out)
    }

    /// The records `measure` counts for `organ_ids` in `period` — the rows of the same condition
    /// as [`Supervision::counts`] (one query per [`ID_CHUNK`] organs), in date order.
    pub async fn records(
        &self,
        measure: Measure,
        organ_ids: &[i64],
        period: &Period,
    ) -> Result<Records> {
        let (columns, order) = match measure.table() {
            RecordTable::Items => (SUMMARY_COLUMNS, "published_on"),
            RecordTable::Applications => (APPLICATION_LINE_COLUMNS, "received_on"),
            RecordTable::Challenges => (CHALLENGE_LINE_COLUMNS, "filed_on"),
        };
        let mut rows = Vec::new();
        for chunk in organ_ids.chunks(ID_CHUNK) {
            let n = chunk.len();
            let (condition, binds) = measure.condition(period, n + 1);
            let mut query = ids_query(chunk, |list| {
                format!(
                    "SELECT {columns} FROM {} r WHERE r.organ_id IN ({}) AND {condition} \
                     ORDER BY {order}, id",
                    measure.table().name(),
                    list
                )
            });
            for b in binds {
                query = query.bind(b);
            }
            rows.extend(query.fetch_all(self.store.pool()).await?);
        }
        Ok(match measure.table() {
            RecordTable::Items => {
                let mut v: Vec<ItemSummary> =
                    rows.iter().map(summary_from_row).collect::<Result<_>>()?;
                v.sort_by_key(|r| (r.published_on, r.id));
                Records::Items(v)
            }
            RecordTable::Applications => {
                let mut v: Vec<ApplicationLine> =
                    rows.iter().map(application_line).collect::<Result<_>>()?;
                v.sort_by_key(|r| (r.received_on, r.id));
                Records::Applications(v)
            }
            RecordTable::Challenges => {
                let mut v: Vec<ChallengeLine> =
                    rows.iter().map(challenge_line).collect::<Result<_>>()?;
                v.sort_by_key(|r| (r.filed_on, r.id));
                Records::Challenges(v)
            }
        })
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period() -> Period {
        Period {
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default(),
        }
    }

    #[test]
    fn every_marker_becomes_a_numbered_placeholder_with_its_value() {
        let (sql, binds) = Measure::ApplicationsOverdue.condition(&period(), 4);
        assert_eq!(
            sql,
            "r.received_on <= $4 AND (r.closed_on IS NULL OR r.closed_on > $5) \
             AND r.due_on IS NOT NULL AND r.due_on < $6"
        );
        assert_eq!(binds, vec!["2026-03-31"; 3]);
        let (sql, binds) = Measure::ItemsLate.condition(&period(), 2);
        assert!(sql.contains("r.published_on >= $2 AND r.published_on <= $3"));
        assert_eq!(binds, vec!["2026-01-01", "2026-03-31"]);
    }

    #[test]
    fn measure_keys_round_trip() {
        for m in Measure::ALL {
            assert_eq!(Measure::parse(m.key()), Some(m));
            assert!(!m.template().contains("{{"));
        }
        assert_eq!(Measure::parse("nonsense"), None);
    }
}
