//! The item page of the back office: metadata, the Art 26 clock, the body, attachments, versions,
//! and the workflow steps this user may take in this state.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Months, NaiveDate};
use gongkai_law::editorial::DEFAULT_REREVIEW_MONTHS;
use gongkai_law::{
    EditorialActor, ItemState, PendingTimeliness, SecrecyCheck, Step, WithholdBasis,
    classify_publication, next_state,
};
use gongkai_store::{Attachment, Item, ItemSummary, ItemVersion};

use super::{LAW_LINE, load_item, rights_on};
use crate::error::AppResult;
use crate::guard::OrganChain;
use crate::pages::organs::NoticeQuery;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// A version line.
pub struct VersionLine {
    pub version: i64,
    pub reason: String,
    pub changed_at: String,
    pub title: String,
}

#[derive(Template)]
#[template(path = "item_show.html")]
struct ShowPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    item: Item,
    department: Option<String>,
    clock_line: String,
    clock_late: bool,
    interprets: Option<(i64, String)>,
    interpretations: Vec<ItemSummary>,
    wants_interpretation: bool,
    attachments: Vec<Attachment>,
    versions: Vec<VersionLine>,
    can: Allowed,
    checks: Vec<(&'static str, &'static str)>,
    bases: Vec<(&'static str, &'static str)>,
    validities: Vec<(&'static str, &'static str)>,
    today: NaiveDate,
    rereview_default: NaiveDate,
    error: Option<String>,
}

/// The steps offered on the page: exactly those the workflow would accept from this user.
#[derive(Default)]
pub struct Allowed {
    pub edit: bool,
    pub submit: bool,
    pub review: bool,
    pub own_item: bool,
    pub release: bool,
    pub revise: bool,
    pub withdraw: bool,
    pub attach: bool,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, item_id)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    show_page(
        &state,
        &user,
        &chain,
        organ_id,
        item_id,
        q.ok.as_deref(),
        None,
    )
    .await
}

/// The page, with an optional error from a refused step (then status 400).
pub async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    item_id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<Response> {
    let item = load_item(state, organ_id, item_id).await?;
    let organ = crate::pages::organs::load(state, organ_id).await?;
    let items = state.store().items();
    let rights = rights_on(user, chain, &item);
    let actor = EditorialActor {
        can_write: rights.can_write,
        can_review: rights.can_review,
        is_author: user.user.id > 0 && Some(user.user.id) == item.author_id,
    };
    let allowed = |step| next_state(item.state, step, actor).is_ok();
    let can = Allowed {
        edit: allowed(Step::Edit),
        submit: allowed(Step::Submit),
        review: allowed(Step::Approve),
        own_item: item.state == ItemState::InReview && rights.can_review && actor.is_author,
        release: allowed(Step::Release),
        revise: allowed(Step::Revise),
        withdraw: allowed(Step::Withdraw),
        attach: allowed(Step::Edit) || allowed(Step::Revise),
    };
    let today = state.today();
    let (clock_line, clock_late) = clock_line(state, &item, today);
    let interprets = match item.content.interprets_item_id {
        Some(id) => items.get(id).await?.map(|d| (d.id, d.content.title)),
        None => None,
    };
    let department = match item.content.department_id {
        Some(id) => state.store().departments().get(id).await?.map(|d| d.name),
        None => None,
    };
    let versions = items
        .versions(item_id)
        .await?
        .into_iter()
        .map(version_line)
        .collect();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = ShowPage {
        layout: Layout::admin(item.content.title.clone(), user).with_notice(notice),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        department,
        clock_line,
        clock_late,
        interprets,
        interpretations: items.interpretations_of(item_id).await?,
        wants_interpretation: item.content.genre.wants_interpretation(),
        attachments: items.attachments(item_id).await?,
        versions,
        can,
        checks: SecrecyCheck::ALL
            .iter()
            .map(|c| (c.key(), c.label()))
            .collect(),
        bases: WithholdBasis::ALL
            .iter()
            .map(|b| (b.key(), b.label()))
            .collect(),
        validities: gongkai_law::Validity::ALL
            .iter()
            .map(|v| (v.key(), v.label()))
            .collect(),
        today,
        rereview_default: today
            .checked_add_months(Months::new(DEFAULT_REREVIEW_MONTHS))
            .unwrap_or(today),
        error,
        item,
    };
    Ok((status, html(&page)?).into_response())
}

fn version_line(v: ItemVersion) -> VersionLine {
    let title = v
        .snapshot
        .pointer("/content/title")
        .and_then(|t| t.as_str())
        .unwrap_or("")
        .to_owned();
    VersionLine {
        version: v.version,
        reason: v.reason,
        changed_at: gongkai_store::china_date(v.changed_at).to_string(),
        title,
    }
}

/// The Art 26 line, from the law crate: for a published item its verdict, for one not yet
/// published the working days left (or overdue) until its due date.
fn clock_line(state: &AppState, item: &Item, today: NaiveDate) -> (String, bool) {
    let cal = state.calendar();
    if let Some(published_on) = item.published_on {
        return match classify_publication(item.content.formed_on, published_on, None, cal) {
            Ok(t) => (t.explanation(published_on), t.is_late()),
            Err(e) => (e.to_string(), false),
        };
    }
    if !matches!(item.state, ItemState::Draft | ItemState::InReview) {
        return (String::new(), false);
    }
    match PendingTimeliness::on(item.due_on, today, cal) {
        Ok(t) => (t.explanation(item.content.formed_on), t.is_overdue()),
        Err(e) => (e.to_string(), false),
    }
}
