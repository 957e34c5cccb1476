//! The drill-down: the records behind one number of the dashboard, each linking to its own
//! page. `organ=` must be in the supervising organ's subtree (404 otherwise); without it the list
//! is the whole subtree's (the totals row).

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use gongkai_store::supervision::{Measure, Period, Records};
use serde::Deserialize;

use super::columns::RECTIFICATIONS_OVERDUE;
use super::period::{DashQuery, choose};
use super::{LAW, base, period_query};
use crate::error::{AppError, AppResult};
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct RecordsQuery {
    organ: Option<String>,
    measure: Option<String>,
    from: Option<String>,
    to: Option<String>,
    year: Option<String>,
}

struct Line {
    href: String,
    organ: String,
    reference: String,
    title: String,
    dates: Vec<String>,
    state: String,
}

#[derive(Template)]
#[template(path = "supervision_records.html")]
struct Page {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    scope: String,
    measure: &'static str,
    from: String,
    to: String,
    back: String,
    headers: [&'static str; 4],
    lines: Vec<Line>,
    /// Without `measure=`: the measures to choose from.
    choices: Vec<Choice>,
}

struct Choice {
    label: &'static str,
    href: String,
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned())
}

/// `GET /admin/organs/{organ_id}/supervision/records?organ=X&measure=M&from=&to=`.
pub async fn records(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Query(q): Query<RecordsQuery>,
) -> AppResult<Html<String>> {
    // Without `measure=`: the list of measures to choose from (for the whole subtree).
    let wanted = q
        .measure
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let overdue_rectifications = wanted == Some(RECTIFICATIONS_OVERDUE);
    let measure = match wanted.filter(|_| !overdue_rectifications) {
        None => None,
        Some(key) => Some(Measure::parse(key).ok_or_else(|| {
            AppError::BadRequest(format!(
                "指标“{key}”不存在：请从监督保障看板上的数字进入明细"
            ))
        })?),
    };
    let chosen = choose(
        &DashQuery {
            from: q.from.clone(),
            to: q.to.clone(),
            year: q.year.clone(),
            ..DashQuery::default()
        },
        state.today(),
    )?;
    let subtree = state.store().organs().subtree(organ_id).await?;
    let root = subtree
        .iter()
        .find(|o| o.id == organ_id)
        .ok_or(AppError::NotFound)?
        .name
        .clone();
    let names: HashMap<i64, String> = subtree.iter().map(|o| (o.id, o.name.clone())).collect();
    // An organ outside the subtree is "not found", whatever id is typed.
    let (ids, scope) = match q.organ.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => {
            let id: i64 = text.parse().map_err(|_| AppError::NotFound)?;
            let name = names.get(&id).ok_or(AppError::NotFound)?.clone();
            (vec![id], name)
        }
        None => (
            subtree.iter().map(|o| o.id).collect(),
            format!("{root}及下级机关（合计）"),
        ),
    };
    let period = chosen.period;
    let content = if overdue_rectifications {
        overdue_rectifications_table(&state, &ids).await?
    } else if let Some(measure) = measure {
        let found = state
            .store()
            .supervision()
            .records(measure, &ids, &period)
            .await?;
        measure_table(measure, found, &names)
    } else {
        Content {
            label: "选择要查看明细的指标",
            headers: ["", "", "", ""],
            lines: Vec::new(),
            choices: choices(organ_id, &period),
        }
    };
    html(&Page {
        layout: Layout::admin(format!("{scope}：{}", content.label), &user),
        law: LAW,
        organ_id,
        organ_name: root,
        scope,
        measure: content.label,
        from: period.from.to_string(),
        to: period.to.to_string(),
        back: format!("{}?{}", base(organ_id), period_query(&chosen)),
        headers: content.headers,
        lines: content.lines,
        choices: content.choices,
    })
}

/// What the page lists: its name, the table (or, without a measure, the measures to choose).
struct Content {
    label: &'static str,
    headers: [&'static str; 4],
    lines: Vec<Line>,
    choices: Vec<Choice>,
}

/// Every measure's drill-down, and the inspections' overdue rectifications.
fn choices(organ_id: i64, period: &Period) -> Vec<Choice> {
    let href = |key: &str| {
        format!(
            "{}/records?measure={key}&from={}&to={}",
            base(organ_id),
            period.from,
            period.to
        )
    };
    Measure::ALL
        .iter()
        .map(|m| Choice {
            label: m.label(),
            href: href(m.key()),
        })
        .chain(std::iter::once(Choice {
            label: OVERDUE_RECTIFICATIONS_LABEL,
            href: href(RECTIFICATIONS_OVERDUE),
        }))
        .collect()
}

const OVERDUE_RECTIFICATIONS_LABEL: &str = "逾期未整改的问题（截至今日）";

/// The problems overdue today (the dashboard's 逾期未整改), each linking to its inspection.
async fn overdue_rectifications_table(state: &AppState, ids: &[i64]) -> AppResult<Content> {
    let problems = state
        .store()
        .inspections()
        .overdue_list(ids, state.today())
        .await?;
    let lines = problems
        .into_iter()
        .map(|p| Line {
            href: format!(
                "/admin/organs/{}/inspections/{}",
                p.supervising_organ_id, p.inspection_id
            ),
            organ: p.organ_name,
            reference: p.doc_no,
            title: p.problem.description,
            dates: vec![p.issued_on.to_string(), p.deadline_on.to_string()],
            state: p.problem.state.label().to_owned(),
        })
        .collect();
    Ok(Content {
        label: OVERDUE_RECTIFICATIONS_LABEL,
        headers: ["通报文号", "问题", "印发日期 / 整改期限", "状态"],
        lines,
        choices: Vec::new(),
    })
}

/// The records a measure counts, each linking to its own page.
fn measure_table(measure: Measure, found: Records, names: &HashMap<i64, String>) -> Content {
    let organ_of = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let (headers, lines) = match found {
        Records::Items(items) => (
            ["索引号", "名称", "成文日期 / 公开期限 / 发布日期", "状态"],
            items
                .into_iter()
                .map(|i| Line {
                    href: format!("/admin/organs/{}/items/{}", i.organ_id, i.id),
                    organ: organ_of(i.organ_id),
                    reference: i.index_no.unwrap_or_else(|| format!("#{}", i.id)),
                    title: i.title,
                    dates: vec![
                        i.formed_on.to_string(),
                        i.due_on.to_string(),
                        day(i.published_on),
                    ],
                    state: i.state.label().to_owned(),
                })
                .collect::<Vec<_>>(),
        ),
        Records::Applications(cases) => (
            ["申请编号", "—", "收到申请 / 答复期限 / 办结", "办理状态"],
            cases
                .into_iter()
                .map(|a| Line {
                    href: format!("/admin/organs/{}/applications/{}", a.organ_id, a.id),
                    organ: organ_of(a.organ_id),
                    reference: a.tracking_no,
                    title: String::new(),
                    dates: vec![a.received_on.to_string(), day(a.due_on), day(a.closed_on)],
                    state: a.state.label().to_owned(),
                })
                .collect(),
        ),
        Records::Challenges(cases) => (
            ["案号", "类别", "立案 / 审结", "结果"],
            cases
                .into_iter()
                .map(|c| Line {
                    href: format!("/admin/organs/{}/challenges/{}", c.organ_id, c.id),
                    organ: organ_of(c.organ_id),
                    reference: c.case_no,
                    title: c.kind.label().to_owned(),
                    dates: vec![c.filed_on.to_string(), day(c.decided_on)],
                    state: c.result.label().to_owned(),
                })
                .collect(),
        ),
    };
    Content {
        label: measure.label(),
        headers,
        lines,
        choices: Vec::new(),
    }
}
