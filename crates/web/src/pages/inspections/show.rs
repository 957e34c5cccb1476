//! One inspection: what is inspected, the problems found with their state and history, the
//! forms to record problems and issue the 通报 (before it is issued), the decisions after.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_store::inspections::{ProblemEvent, ProblemState, RecordLink, is_overdue};

use super::{LAW, Notice, chinese_date, link_line, load_inspection};
use crate::error::AppResult;
use crate::pages::batch_audits::local_time;
use crate::pages::organs::load;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// The rectification periods previewed on the issue form (working days).
const PREVIEW_DAYS: [u32; 4] = [5, 10, 15, 20];

pub(crate) struct EventView {
    pub(crate) at: String,
    pub(crate) label: &'static str,
    pub(crate) text: String,
    pub(crate) done_on: String,
}

pub(crate) fn event_views(events: &[ProblemEvent], problem_id: i64) -> Vec<EventView> {
    events
        .iter()
        .filter(|e| e.problem_id == problem_id)
        .map(|e| EventView {
            at: local_time(e.at),
            label: e.kind.label(),
            text: e.text.clone(),
            done_on: e.done_on.map(chinese_date).unwrap_or_default(),
        })
        .collect()
}

pub(crate) struct ProblemView {
    pub(crate) id: i64,
    pub(crate) number: usize,
    pub(crate) organ_id: i64,
    pub(crate) organ_name: String,
    pub(crate) description: String,
    pub(crate) link: Option<(String, String)>,
    pub(crate) state_key: &'static str,
    pub(crate) state_label: &'static str,
    pub(crate) overdue: bool,
    pub(crate) rectification: String,
    pub(crate) done_on: String,
    pub(crate) comment: String,
    pub(crate) events: Vec<EventView>,
    /// The supervisor may close or reopen it now.
    pub(crate) decidable: bool,
    // The edit form's current values.
    pub(crate) link_kind: &'static str,
    pub(crate) link_id: String,
    pub(crate) link_year: String,
    pub(crate) link_cell: String,
}

struct NoticeView {
    doc_no: String,
    issued_on: String,
    deadline_days: u32,
    deadline_on: String,
}

#[derive(askama::Template)]
#[template(path = "inspection_show.html")]
struct ShowPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    id: i64,
    title: String,
    kind: &'static str,
    scope: String,
    subject: String,
    opened_at: String,
    notice: Option<NoticeView>,
    problems: Vec<ProblemView>,
    /// The organs a problem can be recorded for (the inspection's scope).
    scope_organs: Vec<(i64, String)>,
    /// (working days, the deadline if issued today).
    preview: Vec<(u32, String)>,
    today: String,
    /// What the new-problem form shows: empty, or what was typed when it was refused.
    draft: ProblemDraft,
    /// Why the new-problem form was refused (shown above it).
    error: Option<String>,
}

/// The values of the new-problem form, kept when a submission is refused so that nothing typed
/// is lost.
#[derive(Debug, Clone, Default)]
pub(crate) struct ProblemDraft {
    pub(crate) organ_id: i64,
    pub(crate) description: String,
    pub(crate) link_kind: String,
    pub(crate) link_id: String,
    pub(crate) link_year: String,
    pub(crate) link_cell: String,
}

fn link_fields(link: Option<&RecordLink>) -> (&'static str, String, String, String) {
    match link {
        None => ("none", String::new(), String::new(), String::new()),
        Some(RecordLink::ReportCell { year, cell }) => {
            ("report_cell", String::new(), year.to_string(), cell.clone())
        }
        Some(
            l @ (RecordLink::Item { id }
            | RecordLink::Application { id }
            | RecordLink::Challenge { id }),
        ) => (l.kind_key(), id.to_string(), String::new(), String::new()),
    }
}

/// `GET …/inspections/{inspection_id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, inspection_id)): Path<(i64, i64)>,
    Query(q): Query<Notice>,
) -> AppResult<Response> {
    render(
        &state,
        &user,
        organ_id,
        inspection_id,
        q.ok.as_deref(),
        ProblemDraft::default(),
        None,
    )
    .await
}

/// The inspection page; with `error`, answered 400 with the refused problem's `draft` in its
/// form.
pub(crate) async fn render(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    inspection_id: i64,
    ok: Option<&str>,
    draft: ProblemDraft,
    error: Option<String>,
) -> AppResult<Response> {
    let organ = load(state, organ_id).await?;
    let inspection = load_inspection(state, organ_id, inspection_id).await?;
    let store = state.store();
    let scope_list = if inspection.include_below {
        store.organs().subtree(inspection.scope_organ_id).await?
    } else {
        store
            .organs()
            .get(inspection.scope_organ_id)
            .await?
            .into_iter()
            .collect()
    };
    let names: HashMap<i64, String> = scope_list.iter().map(|o| (o.id, o.name.clone())).collect();
    let scope_name = names
        .get(&inspection.scope_organ_id)
        .cloned()
        .unwrap_or_default();
    let problems = store.inspections().problems(inspection_id).await?;
    let ids: Vec<i64> = problems.iter().map(|p| p.id).collect();
    let events = store.inspections().events(&ids).await?;
    let today = state.today();
    let deadline = inspection.notice.as_ref().map(|n| n.deadline_on);
    let problems = problems
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let (link_kind, link_id, link_year, link_cell) = link_fields(p.link.as_ref());
            ProblemView {
                id: p.id,
                number: i + 1,
                organ_id: p.organ_id,
                organ_name: names
                    .get(&p.organ_id)
                    .cloned()
                    .unwrap_or_else(|| format!("机关（编号 {}）", p.organ_id)),
                description: p.description.clone(),
                link: p.link.as_ref().map(|l| link_line(l, p.organ_id)),
                state_key: p.state.key(),
                state_label: p.state.label(),
                overdue: is_overdue(p.state, deadline, today),
                rectification: p.rectification.clone(),
                done_on: p.done_on.map(chinese_date).unwrap_or_default(),
                comment: p.comment.clone(),
                events: event_views(&events, p.id),
                decidable: deadline.is_some() && p.state == ProblemState::Answered,
                link_kind,
                link_id,
                link_year,
                link_cell,
            }
        })
        .collect();
    let preview = PREVIEW_DAYS
        .iter()
        .map(|days| {
            let date = state
                .calendar()
                .add_working_days(today, *days)
                .map_or_else(|e| e.to_string(), chinese_date);
            (*days, date)
        })
        .collect();
    let scope_organs = crate::pages::organs::tree(&scope_list)
        .into_iter()
        .map(|row| (row.id, format!("{}{}", "　".repeat(row.depth), row.name)))
        .collect();
    let page = ShowPage {
        layout: Layout::admin(format!("检查：{}", inspection.title), user).with_notice(ok),
        law: LAW,
        organ_id,
        organ_name: organ.name,
        id: inspection.id,
        title: inspection.title,
        kind: inspection.kind.label(),
        scope: if inspection.include_below {
            format!("{scope_name}及其下级机关")
        } else {
            scope_name
        },
        subject: inspection.subject,
        opened_at: local_time(inspection.opened_at),
        notice: inspection.notice.map(|n| NoticeView {
            doc_no: n.doc_no,
            issued_on: chinese_date(n.issued_on),
            deadline_days: n.deadline_days,
            deadline_on: chinese_date(n.deadline_on),
        }),
        problems,
        scope_organs,
        preview,
        today: chinese_date(today),
        draft,
        error: error.clone(),
    };
    let body = html(&page)?;
    Ok(match error {
        Some(_) => (StatusCode::BAD_REQUEST, body).into_response(),
        None => body.into_response(),
    })
}
