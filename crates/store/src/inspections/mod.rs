//! Inspections (监督检查), 通报 and 整改 (issue 8).
//!
//! A supervising organ opens an inspection ([`Inspection`]) on one organ of its subtree, or on
//! that organ and every organ below it; records the problems found ([`Problem`]), each for one
//! organ of the scope and optionally linked to a record of that organ ([`RecordLink`]); then
//! issues one 通报 ([`Notice`]) with a rectification deadline of N working days from the issue
//! date. The 通报 is frozen when issued (its typeset document is stored as JSON), and the list of
//! problems is closed with it: a problem found later belongs to a new inspection. After the
//! 通报, each organ answers its own problems (整改情况) and the supervisor closes (整改到位,
//! 销号) or reopens them (退回重新整改): [`ProblemState`].
//!
//! Legal basis: 《条例》第四十七条 (日常指导和监督检查; 责令改正), 第五十二、五十三条 (由上一级
//! 行政机关或者主管部门责令改正); the practice of 考核、通报、限期整改 described in section 一(五) of
//! the seed report (新华区西市场街道 2023).
//!
//! What counts as overdue (逾期) is defined once, in [`overdue::is_overdue`]; the grouped
//! [`Inspections::overdue_for`] for the dashboard applies the same rule in SQL.

pub mod overdue;
mod read;
mod write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::db::{Store, get_opt_ts, get_ts};
use crate::error::{Result, StoreError};
use crate::items::get_opt_date;

pub use overdue::is_overdue;
pub use read::{InspectionSummary, OrganProblem};
pub use write::{
    NewInspection, NoticeFacts, NoticeInput, NoticeOrgan, NoticeProblem, ProblemInput, answer,
    close, edit_problem, issue_notice, open, record_problem, rectification_deadline, reopen,
};

/// Longest inspection title.
pub const TITLE_MAX: usize = 200;
/// Longest description of what is inspected, of a problem, of an answer or a comment.
pub const TEXT_MAX: usize = 5_000;
/// Longest 文号.
pub const DOC_NO_MAX: usize = 100;
/// Longest 通报 text.
pub const NOTICE_TEXT_MAX: usize = 20_000;
/// Longest report-cell address of a link.
pub const CELL_MAX: usize = 120;
/// The longest rectification period that can be set, in working days (about a year).
pub const DEADLINE_DAYS_MAX: u32 = 250;

/// What an inspection looks at (the seed report names 信息公布时间、公开渠道、内容严谨).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InspectionKind {
    /// 发布时效 (条例第二十六条: 20 working days).
    Timeliness,
    /// 发布渠道.
    Channels,
    /// 信息准确性.
    Accuracy,
    /// 年度报告 (条例第四十九、五十条).
    AnnualReport,
    /// 依申请公开办理.
    Applications,
    /// 其他.
    Other,
}

impl InspectionKind {
    pub const ALL: [InspectionKind; 6] = [
        InspectionKind::Timeliness,
        InspectionKind::Channels,
        InspectionKind::Accuracy,
        InspectionKind::AnnualReport,
        InspectionKind::Applications,
        InspectionKind::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            InspectionKind::Timeliness => "timeliness",
            InspectionKind::Channels => "channels",
            InspectionKind::Accuracy => "accuracy",
            InspectionKind::AnnualReport => "annual_report",
            InspectionKind::Applications => "applications",
            InspectionKind::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            InspectionKind::Timeliness => "发布时效",
            InspectionKind::Channels => "发布渠道",
            InspectionKind::Accuracy => "信息准确性",
            InspectionKind::AnnualReport => "年度报告",
            InspectionKind::Applications => "依申请公开办理",
            InspectionKind::Other => "其他",
        }
    }

    pub fn parse(key: &str) -> Option<InspectionKind> {
        InspectionKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a problem stands: 待整改 → 已反馈 → 已销号, or 已反馈 → 退回重新整改 → 已反馈 → ….
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemState {
    /// 待整改: recorded (and, once the 通报 is issued, waiting for the organ's answer).
    Pending,
    /// 已反馈: the organ answered; the supervisor checks it.
    Answered,
    /// 已销号: the supervisor found the rectification done (整改到位). Final.
    Closed,
    /// 退回重新整改: the supervisor sent the answer back with a comment; the organ answers again.
    Reopened,
}

impl ProblemState {
    pub const ALL: [ProblemState; 4] = [
        ProblemState::Pending,
        ProblemState::Answered,
        ProblemState::Closed,
        ProblemState::Reopened,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ProblemState::Pending => "pending",
            ProblemState::Answered => "answered",
            ProblemState::Closed => "closed",
            ProblemState::Reopened => "reopened",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProblemState::Pending => "待整改",
            ProblemState::Answered => "已反馈",
            ProblemState::Closed => "已销号",
            ProblemState::Reopened => "退回重新整改",
        }
    }

    pub fn parse(key: &str) -> Option<ProblemState> {
        ProblemState::ALL.into_iter().find(|s| s.key() == key)
    }

    /// True when the next step is the organ's (it may answer).
    pub fn awaits_organ(self) -> bool {
        matches!(self, ProblemState::Pending | ProblemState::Reopened)
    }
}

/// A record of the problem's organ that the problem is about. Pages link it to the record's own
/// page (the item, the case, the report cell's drill-down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordLink {
    /// 主动公开信息 (items.id).
    Item { id: i64 },
    /// 依申请公开申请 (applications.id).
    Application { id: i64 },
    /// 行政复议、行政诉讼案件 (challenges.id).
    Challenge { id: i64 },
    /// A cell of the organ's annual report of `year` (addresses as in the report model,
    /// e.g. `table3.new_received.total`).
    ReportCell { year: i32, cell: String },
}

impl RecordLink {
    pub fn kind_key(&self) -> &'static str {
        match self {
            RecordLink::Item { .. } => "item",
            RecordLink::Application { .. } => "application",
            RecordLink::Challenge { .. } => "challenge",
            RecordLink::ReportCell { .. } => "report_cell",
        }
    }

    pub fn kind_label(&self) -> &'static str {
        match self {
            RecordLink::Item { .. } => "主动公开信息",
            RecordLink::Application { .. } => "依申请公开申请",
            RecordLink::Challenge { .. } => "行政复议、行政诉讼案件",
            RecordLink::ReportCell { .. } => "年度报告单元格",
        }
    }

    /// The back-office page of the record (of organ `organ_id`).
    pub fn href(&self, organ_id: i64) -> String {
        match self {
            RecordLink::Item { id } => format!("/admin/organs/{organ_id}/items/{id}"),
            RecordLink::Application { id } => {
                format!("/admin/organs/{organ_id}/applications/{id}")
            }
            RecordLink::Challenge { id } => format!("/admin/organs/{organ_id}/challenges/{id}"),
            RecordLink::ReportCell { year, cell } => {
                format!("/admin/organs/{organ_id}/reports/{year}/cells/{cell}")
            }
        }
    }
}

/// An issued 通报.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub doc_no: String,
    pub text: String,
    pub issued_on: NaiveDate,
    /// 整改期限 in working days, counted from the day after `issued_on`.
    pub deadline_days: u32,
    /// The last day of the rectification period ([`rectification_deadline`]).
    pub deadline_on: NaiveDate,
    /// The frozen typeset document (JSON of the web crate's `Document`).
    pub document_json: String,
    pub issued_by: Option<i64>,
    pub issued_at: DateTime<Utc>,
}

/// An inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub id: i64,
    /// The supervising organ.
    pub organ_id: i64,
    /// The inspected organ.
    pub scope_organ_id: i64,
    /// True: the inspected organ and every organ below it.
    pub include_below: bool,
    pub title: String,
    pub kind: InspectionKind,
    pub subject: String,
    pub opened_by: Option<i64>,
    pub opened_at: DateTime<Utc>,
    pub notice: Option<Notice>,
}

/// A problem found by an inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub id: i64,
    pub inspection_id: i64,
    pub organ_id: i64,
    pub description: String,
    pub link: Option<RecordLink>,
    pub state: ProblemState,
    /// The organ's latest answer (整改情况).
    pub rectification: String,
    /// When the organ says the rectification was done.
    pub done_on: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    /// The supervisor's latest comment (reopening or closing).
    pub comment: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// What happened to a problem after the 通报.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The organ answered (反馈整改情况).
    Answer,
    /// The supervisor closed it (整改到位，销号).
    Close,
    /// The supervisor sent it back (退回重新整改).
    Reopen,
}

impl EventKind {
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Answer => "answer",
            EventKind::Close => "close",
            EventKind::Reopen => "reopen",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Answer => "反馈整改情况",
            EventKind::Close => "整改到位，销号",
            EventKind::Reopen => "退回重新整改",
        }
    }

    fn parse(key: &str) -> Option<EventKind> {
        [EventKind::Answer, EventKind::Close, EventKind::Reopen]
            .into_iter()
            .find(|k| k.key() == key)
    }
}

/// One step of a problem's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemEvent {
    pub id: i64,
    pub problem_id: i64,
    pub kind: EventKind,
    pub text: String,
    pub done_on: Option<NaiveDate>,
    pub by_user: Option<i64>,
    pub at: DateTime<Utc>,
}

/// The handle: `store.inspections()`.
pub struct Inspections<'a> {
    pub(crate) store: &'a Store,
}

pub(crate) const INSPECTION_COLUMNS: &str = "i.id, i.organ_id, i.scope_organ_id, i.include_below, \
     i.title, i.kind, i.subject, i.opened_by, i.opened_at, i.notice_doc_no, i.notice_text, \
     i.issued_on, i.deadline_days, i.deadline_on, i.notice_json, i.issued_by, i.issued_at";

pub(crate) const PROBLEM_COLUMNS: &str = "p.id, p.inspection_id, p.organ_id, p.description, \
     p.link_kind, p.link_id, p.link_year, p.link_cell, p.state, p.rectification, p.done_on, \
     p.answered_at, p.comment, p.created_at, p.updated_at, p.version";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_owned())
}

pub(crate) fn inspection_from_row(row: &AnyRow) -> Result<Inspection> {
    let kind: String = row.try_get("kind")?;
    let issued_on = get_opt_date(row, "issued_on")?;
    let notice = match issued_on {
        None => None,
        Some(issued_on) => {
            let days: i64 = row
                .try_get::<Option<i64>, _>("deadline_days")?
                .ok_or_else(|| corrupt("通报缺少整改期限"))?;
            Some(Notice {
                doc_no: row
                    .try_get::<Option<String>, _>("notice_doc_no")?
                    .unwrap_or_default(),
                text: row
                    .try_get::<Option<String>, _>("notice_text")?
                    .unwrap_or_default(),
                issued_on,
                deadline_days: u32::try_from(days)
                    .map_err(|_| corrupt(&format!("整改期限 {days}")))?,
                deadline_on: get_opt_date(row, "deadline_on")?
                    .ok_or_else(|| corrupt("通报缺少整改截止日期"))?,
                document_json: row
                    .try_get::<Option<String>, _>("notice_json")?
                    .unwrap_or_default(),
                issued_by: row.try_get("issued_by")?,
                issued_at: get_opt_ts(row, "issued_at")?
                    .ok_or_else(|| corrupt("通报缺少印发时间"))?,
            })
        }
    };
    Ok(Inspection {
        id: row.try_get("id")?,
        organ_id: row.try_get("organ_id")?,
        scope_organ_id: row.try_get("scope_organ_id")?,
        include_below: crate::db::get_bool(row, "include_below")?,
        title: row.try_get("title")?,
        kind: InspectionKind::parse(&kind).ok_or_else(|| corrupt(&format!("检查类别“{kind}”")))?,
        subject: row.try_get("subject")?,
        opened_by: row.try_get("opened_by")?,
        opened_at: get_ts(row, "opened_at")?,
        notice,
    })
}

fn link_from_row(row: &AnyRow) -> Result<Option<RecordLink>> {
    let kind: Option<String> = row.try_get("link_kind")?;
    let id: Option<i64> = row.try_get("link_id")?;
    let year: Option<i64> = row.try_get("link_year")?;
    let cell: Option<String> = row.try_get("link_cell")?;
    let bad = || corrupt("问题关联的记录");
    Ok(match kind.as_deref() {
        None => None,
        Some("item") => Some(RecordLink::Item {
            id: id.ok_or_else(bad)?,
        }),
        Some("application") => Some(RecordLink::Application {
            id: id.ok_or_else(bad)?,
        }),
        Some("challenge") => Some(RecordLink::Challenge {
            id: id.ok_or_else(bad)?,
        }),
        Some("report_cell") => Some(RecordLink::ReportCell {
            year: year.and_then(|y| i32::try_from(y).ok()).ok_or_else(bad)?,
            cell: cell.ok_or_else(bad)?,
        }),
        Some(_) => return Err(bad()),
    })
}

pub(crate) fn problem_from_row(row: &AnyRow) -> Result<Problem> {
    let state: String = row.try_get("state")?;
    Ok(Problem {
        id: row.try_get("id")?,
        inspection_id: row.try_get("inspection_id")?,
        organ_id: row.try_get("organ_id")?,
        description: row.try_get("description")?,
        link: link_from_row(row)?,
        state: ProblemState::parse(&state).ok_or_else(|| corrupt(&format!("问题状态“{state}”")))?,
        rectification: row.try_get("rectification")?,
        done_on: get_opt_date(row, "done_on")?,
        answered_at: get_opt_ts(row, "answered_at")?,
        comment: row.try_get("comment")?,
        created_at: get_ts(row, "created_at")?,
        updated_at: get_ts(row, "updated_at")?,
        version: row.try_get("version")?,
    })
}

pub(crate) fn event_from_row(row: &AnyRow) -> Result<ProblemEvent> {
    let kind: String = row.try_get("kind")?;
    Ok(ProblemEvent {
        id: row.try_get("id")?,
        problem_id: row.try_get("problem_id")?,
        kind: EventKind::parse(&kind).ok_or_else(|| corrupt(&format!("整改记录“{kind}”")))?,
        text: row.try_get("text")?,
        done_on: get_opt_date(row, "done_on")?,
        by_user: row.try_get("by_user")?,
        at: get_ts(row, "at")?,
    })
}
