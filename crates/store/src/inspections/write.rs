//! Writes: open an inspection, record and edit problems, issue the 通报, answer, close and
//! reopen problems. Each checks its rules inside the transaction and appends its audit entry.

use chrono::{Datelike, NaiveDate};
use gongkai_calendar::Calendar;
use serde_json::json;

use super::{
    CELL_MAX, DEADLINE_DAYS_MAX, DOC_NO_MAX, EventKind, INSPECTION_COLUMNS, Inspection,
    InspectionKind, NOTICE_TEXT_MAX, Notice, PROBLEM_COLUMNS, Problem, ProblemState, RecordLink,
    TEXT_MAX, TITLE_MAX, inspection_from_row, problem_from_row,
};
use crate::audit::AuditEntry;
use crate::db::{WriteTx, ts};
use crate::error::{Result, StoreError, ValidationError};
use crate::items::{date_text, dyn_query};

/// What the supervisor enters to open an inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInspection {
    /// The inspected organ: the supervising organ itself or one below it.
    pub scope_organ_id: i64,
    /// True: that organ and every organ below it.
    pub include_below: bool,
    pub title: String,
    pub kind: InspectionKind,
    /// What is inspected, in the supervisor's words.
    pub subject: String,
}

/// A problem as the supervisor records or edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemInput {
    /// The organ the problem was found at (in the inspection's scope).
    pub organ_id: i64,
    pub description: String,
    pub link: Option<RecordLink>,
}

/// What the supervisor enters to issue the 通报.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeInput {
    pub doc_no: String,
    pub text: String,
    /// 整改期限 in working days.
    pub deadline_days: u32,
}

/// One problem as the 通报 lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeProblem {
    pub problem: Problem,
    /// The linked record in words (e.g. 主动公开信息《…》), when there is a link.
    pub link_text: Option<String>,
}

/// An organ's problems in the 通报.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeOrgan {
    pub organ_id: i64,
    pub name: String,
    pub problems: Vec<NoticeProblem>,
}

/// Everything the 通报 document is made of, read in the issuing transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFacts {
    pub inspection: Inspection,
    pub supervising_organ: String,
    pub doc_no: String,
    pub text: String,
    pub issued_on: NaiveDate,
    pub deadline_days: u32,
    pub deadline_on: NaiveDate,
    /// The organs with problems, by organ id; their problems in recording order.
    pub organs: Vec<NoticeOrgan>,
}

/// The last day of a rectification period of `days` working days from `issued_on`: the issue day
/// itself is not counted (《民法典》第二百零一条: 开始的当日不计入), and the days are working days of
/// the official calendar (holidays out, 调休 working weekends in).
pub fn rectification_deadline(
    calendar: &Calendar,
    issued_on: NaiveDate,
    days: u32,
) -> Result<NaiveDate> {
    Ok(calendar.add_working_days(issued_on, days)?)
}

fn text(field: &'static str, value: &str, max: usize, required: bool) -> Result<String> {
    let value = value.trim().replace("\r\n", "\n");
    if required && value.is_empty() {
        return Err(ValidationError::Empty { field }.into());
    }
    if value.chars().count() > max {
        return Err(ValidationError::TooLong { field, max }.into());
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(ValidationError::ControlChars { field }.into());
    }
    Ok(value)
}

fn one_line(field: &'static str, value: &str, max: usize) -> Result<String> {
    let value = text(field, value, max, true)?;
    if value.contains('\n') {
        return Err(ValidationError::ControlChars { field }.into());
    }
    Ok(value)
}

/// True when `organ_id` is `root` or below it.
async fn in_subtree(tx: &mut WriteTx, root: i64, organ_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM organs WHERE id = $1 \
         UNION SELECT o.id FROM organs o JOIN sub ON o.parent_id = sub.id) \
         SELECT COUNT(*) FROM sub WHERE id = $2",
    )
    .bind(root)
    .bind(organ_id)
    .fetch_one(tx.conn())
    .await?;
    Ok(n > 0)
}

async fn organ_name(tx: &mut WriteTx, organ_id: i64) -> Result<String> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM organs WHERE id = $1")
        .bind(organ_id)
        .fetch_optional(tx.conn())
        .await?;
    name.ok_or_else(|| StoreError::not_found("机关", organ_id))
}

pub(crate) async fn inspection_in(tx: &mut WriteTx, id: i64) -> Result<Inspection> {
    let lock = tx.row_lock();
    let row = dyn_query(format!(
        "SELECT {INSPECTION_COLUMNS} FROM inspections i WHERE i.id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref()
        .map(inspection_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::not_found("检查", id))
}

async fn problem_in(tx: &mut WriteTx, id: i64) -> Result<Problem> {
    let lock = tx.row_lock();
    let row = dyn_query(format!(
        "SELECT {PROBLEM_COLUMNS} FROM inspection_problems p WHERE p.id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    row.as_ref()
        .map(problem_from_row)
        .transpose()?
        .ok_or_else(|| StoreError::not_found("整改问题", id))
}

/// Opens an inspection by the supervising organ `organ_id` on an organ of its subtree.
pub async fn open(tx: &mut WriteTx, organ_id: i64, new: &NewInspection) -> Result<i64> {
    let title = one_line("检查名称", &new.title, TITLE_MAX)?;
    let subject = text("检查内容", &new.subject, TEXT_MAX, false)?;
    organ_name(tx, organ_id).await?;
    // 条例第四十七条: the supervision runs over the organs below; an organ elsewhere in the tree
    // is not this office's to inspect.
    if !in_subtree(tx, organ_id, new.scope_organ_id).await? {
        return Err(StoreError::Rule(format!(
            "被检查机关（编号 {}）不是本机关或本机关的下级机关：只能检查本机关监督范围内的机关，请从列表中选择",
            new.scope_organ_id
        )));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspections (organ_id, scope_organ_id, include_below, title, kind, subject, \
         opened_by, opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(organ_id)
    .bind(new.scope_organ_id)
    .bind(i64::from(new.include_below))
    .bind(&title)
    .bind(new.kind.key())
    .bind(&subject)
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("inspection.open", "inspection", id)
            .organ(Some(organ_id))
            .after(json!({
                "scope_organ_id": new.scope_organ_id,
                "include_below": new.include_below,
                "title": title,
                "kind": new.kind,
                "subject": subject,
            })),
    )
    .await?;
    Ok(id)
}

/// Checks a problem against its inspection: the organ is in scope, the text is there, the link
/// is a record of that organ.
async fn check_problem(
    tx: &mut WriteTx,
    inspection: &Inspection,
    input: &ProblemInput,
) -> Result<String> {
    if let Some(notice) = &inspection.notice {
        return Err(StoreError::Rule(format!(
            "本次检查的通报（{}）已于 {} 印发，问题清单已随通报固定，不能再增加或修改：新发现的问题请另开一次检查",
            notice.doc_no, notice.issued_on
        )));
    }
    let description = text("问题描述", &input.description, TEXT_MAX, true)?;
    let in_scope = if inspection.include_below {
        in_subtree(tx, inspection.scope_organ_id, input.organ_id).await?
    } else {
        input.organ_id == inspection.scope_organ_id
    };
    if !in_scope {
        return Err(StoreError::Rule(format!(
            "所选机关（编号 {}）不在本次检查的范围内：请从被检查机关中选择",
            input.organ_id
        )));
    }
    let name = organ_name(tx, input.organ_id).await?;
    let owner_query = match &input.link {
        None => None,
        Some(RecordLink::Item { id }) => Some(("SELECT organ_id FROM items WHERE id = $1", *id)),
        Some(RecordLink::Application { id }) => {
            Some(("SELECT organ_id FROM applications WHERE id = $1", *id))
        }
        Some(RecordLink::Challenge { id }) => {
            Some(("SELECT organ_id FROM challenges WHERE id = $1", *id))
        }
        Some(RecordLink::ReportCell { year, cell }) => {
            let this_year = tx.today().year();
            if !(2008..=this_year).contains(year) {
                return Err(StoreError::Rule(format!(
                    "年度报告的年度“{year}”不对：应在 2008 至 {this_year} 年之间"
                )));
            }
            let cell_ok = !cell.is_empty()
                && cell.chars().count() <= CELL_MAX
                && cell
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
            if !cell_ok {
                return Err(StoreError::Rule(format!(
                    "单元格“{cell}”不是年度报告表格的单元格地址：请在年度报告页面点开该单元格，复制地址栏中 cells/ 之后的部分"
                )));
            }
            None
        }
    };
    if let (Some((sql, id)), Some(link)) = (owner_query, &input.link) {
        let owner: Option<i64> = sqlx::query_scalar(sql)
            .bind(id)
            .fetch_optional(tx.conn())
            .await?;
        match owner {
            Some(o) if o == input.organ_id => {}
            Some(_) => {
                return Err(StoreError::Rule(format!(
                    "所关联的{}（编号 {id}）不属于“{name}”：问题只能关联该机关自己的记录，请核对编号，或改选问题所属的机关",
                    link.kind_label()
                )));
            }
            None => {
                return Err(StoreError::Rule(format!(
                    "所关联的{}（编号 {id}）不存在：请核对编号，或不关联记录",
                    link.kind_label()
                )));
            }
        }
    }
    Ok(description)
}

fn link_columns(
    link: Option<&RecordLink>,
) -> (
    Option<&'static str>,
    Option<i64>,
    Option<i64>,
    Option<String>,
) {
    match link {
        None => (None, None, None, None),
        Some(
            RecordLink::Item { id } | RecordLink::Application { id } | RecordLink::Challenge { id },
        ) => (link.map(RecordLink::kind_key), Some(*id), None, None),
        Some(RecordLink::ReportCell { year, cell }) => (
            Some("report_cell"),
            None,
            Some(i64::from(*year)),
            Some(cell.clone()),
        ),
    }
}

/// Records a problem found by inspection `inspection_id` (before its 通报 is issued).
pub async fn record_problem(
    tx: &mut WriteTx,
    inspection_id: i64,
    input: &ProblemInput,
) -> Result<i64> {
    let inspection = inspection_in(tx, inspection_id).await?;
    let description = check_problem(tx, &inspection, input).await?;
    let (kind, link_id, year, cell) = link_columns(input.link.as_ref());
    let now = ts(tx.now());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspection_problems (inspection_id, organ_id, description, link_kind, \
         link_id, link_year, link_cell, state, created_at, updated_at, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, 1) RETURNING id",
    )
    .bind(inspection_id)
    .bind(input.organ_id)
    .bind(&description)
    .bind(kind)
    .bind(link_id)
    .bind(year)
    .bind(cell)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("inspection.problem.record", "inspection_problem", id)
            .organ(Some(inspection.organ_id))
            .after(json!({
                "inspection_id": inspection_id,
                "organ_id": input.organ_id,
                "description": description,
                "link": input.link,
            })),
    )
    .await?;
    Ok(id)
}

/// Replaces the organ, description and link of problem `problem_id` of inspection
/// `inspection_id` (before the 通报 is issued).
pub async fn edit_problem(
    tx: &mut WriteTx,
    inspection_id: i64,
    problem_id: i64,
    input: &ProblemInput,
) -> Result<()> {
    let inspection = inspection_in(tx, inspection_id).await?;
    let before = problem_in(tx, problem_id).await?;
    if before.inspection_id != inspection_id {
        return Err(StoreError::not_found("整改问题", problem_id));
    }
    let description = check_problem(tx, &inspection, input).await?;
    let (kind, link_id, year, cell) = link_columns(input.link.as_ref());
    sqlx::query(
        "UPDATE inspection_problems SET organ_id = $1, description = $2, link_kind = $3, \
         link_id = $4, link_year = $5, link_cell = $6, updated_at = $7, version = version + 1 \
         WHERE id = $8",
    )
    .bind(input.organ_id)
    .bind(&description)
    .bind(kind)
    .bind(link_id)
    .bind(year)
    .bind(cell)
    .bind(ts(tx.now()))
    .bind(problem_id)
    .execute(tx.conn())
    .await?;
    tx.audit(
        AuditEntry::new("inspection.problem.edit", "inspection_problem", problem_id)
            .organ(Some(inspection.organ_id))
            .before(json!({
                "organ_id": before.organ_id,
                "description": before.description,
                "link": before.link,
            }))
            .after(json!({
                "organ_id": input.organ_id,
                "description": description,
                "link": input.link,
            })),
    )
    .await?;
    Ok(())
}

/// The linked record in words, for the 通报 (read when it is issued, then frozen with it).
async fn link_text(tx: &mut WriteTx, link: &RecordLink) -> Result<String> {
    let (sql, id) = match link {
        RecordLink::Item { id } => ("SELECT title FROM items WHERE id = $1", *id),
        RecordLink::Application { id } => {
            ("SELECT tracking_no FROM applications WHERE id = $1", *id)
        }
        RecordLink::Challenge { id } => ("SELECT case_no FROM challenges WHERE id = $1", *id),
        RecordLink::ReportCell { year, cell } => {
            return Ok(format!("{year}年度政府信息公开工作年度报告 单元格 {cell}"));
        }
    };
    let name: Option<String> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(tx.conn())
        .await?;
    let name = name.unwrap_or_default();
    Ok(match link {
        RecordLink::Item { .. } => format!("主动公开信息《{name}》"),
        RecordLink::Application { .. } => format!("依申请公开申请 {name}"),
        _ => format!("行政复议、行政诉讼案件 {name}"),
    })
}

/// Issues the 通报 of inspection `inspection_id`, dated today, with a deadline of
/// `input.deadline_days` working days on `calendar`. `render` turns the facts into the frozen
/// document (JSON), stored with the 通报: later edits anywhere do not change it.
pub async fn issue_notice(
    tx: &mut WriteTx,
    calendar: &Calendar,
    inspection_id: i64,
    input: &NoticeInput,
    render: impl FnOnce(&NoticeFacts) -> String,
) -> Result<Notice> {
    let inspection = inspection_in(tx, inspection_id).await?;
    if let Some(notice) = &inspection.notice {
        return Err(StoreError::Rule(format!(
            "本次检查的通报已于 {} 印发（{}），不能重复印发",
            notice.issued_on, notice.doc_no
        )));
    }
    let doc_no = one_line("文号", &input.doc_no, DOC_NO_MAX)?;
    let body = text("通报正文", &input.text, NOTICE_TEXT_MAX, true)?;
    if !(1..=DEADLINE_DAYS_MAX).contains(&input.deadline_days) {
        return Err(StoreError::Rule(format!(
            "整改期限应为 1 至 {DEADLINE_DAYS_MAX} 个工作日，请重新填写"
        )));
    }
    let taken: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM inspections WHERE organ_id = $1 AND notice_doc_no = $2 AND id <> $3",
    )
    .bind(inspection.organ_id)
    .bind(&doc_no)
    .bind(inspection_id)
    .fetch_optional(tx.conn())
    .await?;
    if taken.is_some() {
        return Err(StoreError::Rule(format!(
            "文号“{doc_no}”已用于本机关的另一份通报：请核对文号"
        )));
    }
    let rows = dyn_query(format!(
        "SELECT {PROBLEM_COLUMNS}, o.name AS organ_name FROM inspection_problems p \
         JOIN organs o ON o.id = p.organ_id WHERE p.inspection_id = $1 ORDER BY p.organ_id, p.id"
    ))
    .bind(inspection_id)
    .fetch_all(tx.conn())
    .await?;
    if rows.is_empty() {
        return Err(StoreError::Rule(
            "本次检查还没有记录问题，不能印发通报：请先在“检查发现的问题”中逐条记录".to_owned(),
        ));
    }
    let mut organs: Vec<NoticeOrgan> = Vec::new();
    for row in &rows {
        let problem = problem_from_row(row)?;
        let name: String = sqlx::Row::try_get(row, "organ_name")?;
        let link_text = match &problem.link {
            Some(link) => Some(link_text(tx, link).await?),
            None => None,
        };
        let entry = NoticeProblem { problem, link_text };
        match organs.last_mut() {
            Some(o) if o.organ_id == entry.problem.organ_id => o.problems.push(entry),
            _ => organs.push(NoticeOrgan {
                organ_id: entry.problem.organ_id,
                name,
                problems: vec![entry],
            }),
        }
    }
    let issued_on = tx.today();
    let deadline_on = rectification_deadline(calendar, issued_on, input.deadline_days)?;
    let facts = NoticeFacts {
        supervising_organ: organ_name(tx, inspection.organ_id).await?,
        inspection,
        doc_no,
        text: body,
        issued_on,
        deadline_days: input.deadline_days,
        deadline_on,
        organs,
    };
    let document_json = render(&facts);
    let issued_at = tx.now();
    let done = sqlx::query(
        "UPDATE inspections SET notice_doc_no = $1, notice_text = $2, issued_on = $3, \
         deadline_days = $4, deadline_on = $5, notice_json = $6, issued_by = $7, issued_at = $8 \
         WHERE id = $9 AND issued_on IS NULL",
    )
    .bind(&facts.doc_no)
    .bind(&facts.text)
    .bind(date_text(issued_on))
    .bind(i64::from(input.deadline_days))
    .bind(date_text(deadline_on))
    .bind(&document_json)
    .bind(tx.actor().user_id)
    .bind(ts(issued_at))
    .bind(inspection_id)
    .execute(tx.conn())
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Rule(
            "本次检查的通报已由他人印发，请刷新页面查看".to_owned(),
        ));
    }
    let problem_ids: Vec<i64> = facts
        .organs
        .iter()
        .flat_map(|o| o.problems.iter().map(|p| p.problem.id))
        .collect();
    tx.audit(
        AuditEntry::new("inspection.issue_notice", "inspection", inspection_id)
            .organ(Some(facts.inspection.organ_id))
            .after(json!({
                "doc_no": facts.doc_no,
                "issued_on": issued_on,
                "deadline_days": input.deadline_days,
                "deadline_on": deadline_on,
                "problems": problem_ids,
            })),
    )
    .await?;
    Ok(Notice {
        doc_no: facts.doc_no,
        text: facts.text,
        issued_on,
        deadline_days: input.deadline_days,
        deadline_on,
        document_json,
        issued_by: tx.actor().user_id,
        issued_at,
    })
}

async fn add_event(
    tx: &mut WriteTx,
    problem_id: i64,
    kind: EventKind,
    text: &str,
    done_on: Option<NaiveDate>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO inspection_problem_events (problem_id, kind, text, done_on, by_user, at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(problem_id)
    .bind(kind.key())
    .bind(text)
    .bind(done_on.map(date_text))
    .bind(tx.actor().user_id)
    .bind(ts(tx.now()))
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Moves `problem` from `from` to `to` (refused if someone moved it first).
async fn transition(
    tx: &mut WriteTx,
    problem: &Problem,
    to: ProblemState,
    set: &str,
    value: &str,
) -> Result<()> {
    let done = dyn_query(format!(
        "UPDATE inspection_problems SET state = $1, {set} = $2, updated_at = $3, \
         version = version + 1 WHERE id = $4 AND state = $5"
    ))
    .bind(to.key())
    .bind(value)
    .bind(ts(tx.now()))
    .bind(problem.id)
    .bind(problem.state.key())
    .execute(tx.conn())
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::Rule(
            "该问题的状态已被他人改变，请刷新页面后再操作".to_owned(),
        ));
    }
    Ok(())
}

/// The organ `organ_id` answers its problem `problem_id` with its rectification (整改情况) and,
/// optionally, the day it was done. Only problems of an issued 通报, waiting for the organ.
pub async fn answer(
    tx: &mut WriteTx,
    organ_id: i64,
    problem_id: i64,
    rectification: &str,
    done_on: Option<NaiveDate>,
) -> Result<Problem> {
    let before = problem_in(tx, problem_id).await?;
    let inspection = inspection_in(tx, before.inspection_id).await?;
    // Another organ's problem, or one not yet notified, does not exist for this organ.
    if before.organ_id != organ_id || inspection.notice.is_none() {
        return Err(StoreError::not_found("整改问题", problem_id));
    }
    if !before.state.awaits_organ() {
        return Err(StoreError::Rule(format!(
            "该问题当前为“{}”，不需要反馈：监督机关退回后才能再次反馈",
            before.state.label()
        )));
    }
    let rectification = text("整改情况", rectification, TEXT_MAX, true)?;
    if let Some(d) = done_on
        && d > tx.today()
    {
        return Err(StoreError::Rule(format!(
            "整改完成日期 {d} 晚于今天：请填写已经完成整改的日期，尚未完成的请不填"
        )));
    }
    transition(
        tx,
        &before,
        ProblemState::Answered,
        "rectification",
        &rectification,
    )
    .await?;
    sqlx::query("UPDATE inspection_problems SET done_on = $1, answered_at = $2 WHERE id = $3")
        .bind(done_on.map(date_text))
        .bind(ts(tx.now()))
        .bind(problem_id)
        .execute(tx.conn())
        .await?;
    add_event(tx, problem_id, EventKind::Answer, &rectification, done_on).await?;
    tx.audit(
        AuditEntry::new(
            "inspection.problem.answer",
            "inspection_problem",
            problem_id,
        )
        .organ(Some(organ_id))
        .before(json!({ "state": before.state, "rectification": before.rectification }))
        .after(json!({
            "state": ProblemState::Answered,
            "rectification": rectification,
            "done_on": done_on,
        })),
    )
    .await?;
    problem_in(tx, problem_id).await
}

/// Loads problem `problem_id` of inspection `inspection_id` for the supervisor's decision.
async fn answered(tx: &mut WriteTx, inspection_id: i64, problem_id: i64) -> Result<Problem> {
    let problem = problem_in(tx, problem_id).await?;
    if problem.inspection_id != inspection_id {
        return Err(StoreError::not_found("整改问题", problem_id));
    }
    if problem.state != ProblemState::Answered {
        return Err(StoreError::Rule(format!(
            "该问题当前为“{}”：只有机关已反馈整改情况的问题才能销号或退回",
            problem.state.label()
        )));
    }
    Ok(problem)
}

/// The supervisor finds the rectification done (整改到位) and closes (销号) the problem.
pub async fn close(
    tx: &mut WriteTx,
    inspection_id: i64,
    problem_id: i64,
    comment: &str,
) -> Result<()> {
    let before = answered(tx, inspection_id, problem_id).await?;
    let comment = text("意见", comment, TEXT_MAX, false)?;
    transition(tx, &before, ProblemState::Closed, "comment", &comment).await?;
    add_event(tx, problem_id, EventKind::Close, &comment, None).await?;
    tx.audit(
        AuditEntry::new("inspection.problem.close", "inspection_problem", problem_id)
            .organ(Some(before.organ_id))
            .before(json!({ "state": before.state }))
            .after(json!({ "state": ProblemState::Closed, "comment": comment })),
    )
    .await?;
    Ok(())
}

/// The supervisor sends the answer back (退回重新整改) with the reason; the organ answers again.
pub async fn reopen(
    tx: &mut WriteTx,
    inspection_id: i64,
    problem_id: i64,
    comment: &str,
) -> Result<()> {
    let before = answered(tx, inspection_id, problem_id).await?;
    let comment = text("退回理由", comment, TEXT_MAX, true)?;
    transition(tx, &before, ProblemState::Reopened, "comment", &comment).await?;
    add_event(tx, problem_id, EventKind::Reopen, &comment, None).await?;
    tx.audit(
        AuditEntry::new(
            "inspection.problem.reopen",
            "inspection_problem",
            problem_id,
        )
        .organ(Some(before.organ_id))
        .before(json!({ "state": before.state, "rectification": before.rectification }))
        .after(json!({ "state": ProblemState::Reopened, "comment": comment })),
    )
    .await?;
    Ok(())
}
