//! The audit log of an organ: filters (entity, actor, date range, sub-organs), paging, and the
//! hash-chain verification.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use gongkai_store::AuditFilter;
use serde::{Deserialize, Serialize};

use super::organs::load;
use super::{Layout, html};
use crate::authz::{self, Permission, Reach};
use crate::error::AppResult;
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

const PAGE_SIZE: u32 = 50;

#[derive(Deserialize, Serialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub until: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
}

pub struct Row {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub organ: String,
}

pub struct VerifyResult {
    pub ok: bool,
    pub message: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    q: AuditQuery,
    can_subtree: bool,
    entries: Vec<Row>,
    total: i64,
    page: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    verify: Option<VerifyResult>,
    error: Option<String>,
}

/// Dates in the form are China dates (UTC+8): the day starts at 00:00 Beijing time.
fn china_day_start(date: &str) -> Result<Option<DateTime<Utc>>, String> {
    let date = date.trim();
    if date.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| format!("“{date}”不是有效日期，请写成 YYYY-MM-DD"))?;
    let china = FixedOffset::east_opt(8 * 3600).ok_or("时区设置错误")?;
    let start = day.and_hms_opt(0, 0, 0).ok_or("日期无效")?;
    Ok(china
        .from_local_datetime(&start)
        .single()
        .map(|t| t.with_timezone(&Utc)))
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<AuditQuery>,
) -> AppResult<Html<String>> {
    render(&state, &user, &chain, organ_id, q, None).await
}

pub async fn verify(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
) -> AppResult<Html<String>> {
    let report = state.store().verify_audit_chain().await?;
    let result = match &report.problem {
        None => VerifyResult {
            ok: true,
            message: format!(
                "审计日志链校验通过：共 {} 条记录，未发现删除或篡改。",
                report.checked
            ),
        },
        Some(problem) => VerifyResult {
            ok: false,
            message: format!(
                "审计日志链校验未通过：{}。请立即报告系统管理员和保密部门。",
                problem.message()
            ),
        },
    };
    render(
        &state,
        &user,
        &chain,
        organ_id,
        AuditQuery::default(),
        Some(result),
    )
    .await
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    q: AuditQuery,
    verify: Option<VerifyResult>,
) -> AppResult<Html<String>> {
    let organ = load(state, organ_id).await?;
    let can_subtree =
        authz::reach_on(&user.roles, Permission::AuditView, chain) == Some(Reach::Subtree);
    let mut error = None;
    let mut filter = AuditFilter {
        organ_id: Some(organ_id),
        include_suborgans: can_subtree && q.sub.is_some(),
        limit: Some(PAGE_SIZE),
        ..AuditFilter::default()
    };
    if !q.entity.trim().is_empty() {
        filter.entity = Some(q.entity.trim().to_owned());
    }
    let mut no_match = false;
    if !q.actor.trim().is_empty() {
        match state
            .store()
            .users()
            .find_by_username(q.actor.trim())
            .await?
        {
            Some(u) => filter.actor_user_id = Some(u.id),
            None => no_match = true,
        }
    }
    match (china_day_start(&q.from), china_day_start(&q.until)) {
        (Ok(from), Ok(until)) => {
            filter.from = from;
            filter.until = until.map(|u| u + Duration::days(1));
        }
        (Err(e), _) | (_, Err(e)) => error = Some(e),
    }
    let page = q.page.unwrap_or(1).max(1);
    filter.offset = (page - 1).saturating_mul(u64::from(PAGE_SIZE));
    let result = if no_match || error.is_some() {
        gongkai_store::AuditPage {
            entries: Vec::new(),
            total: 0,
        }
    } else {
        state.store().audit().list(&filter).await?
    };

    let mut names: HashMap<i64, String> = HashMap::new();
    let mut organs: HashMap<i64, String> = HashMap::new();
    let mut entries = Vec::new();
    for e in result.entries {
        let actor = match e.actor_user_id {
            Some(id) => match names.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name =
                        state.store().users().get(id).await?.map_or_else(
                            || format!("用户 {id}"),
                            |u| u.username.as_str().to_owned(),
                        );
                    names.insert(id, name.clone());
                    name
                }
            },
            None => "系统或未登录者".to_owned(),
        };
        let organ_name = match e.organ_id {
            Some(id) => match organs.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name = state
                        .store()
                        .organs()
                        .get(id)
                        .await?
                        .map_or_else(|| format!("机关 {id}"), |o| o.name);
                    organs.insert(id, name.clone());
                    name
                }
            },
            None => String::new(),
        };
        entries.push(Row {
            seq: e.seq,
            at: e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            organ: organ_name,
        });
    }
    let total = result.total;
    let href = |p: u64| {
        let mut q = q.clone();
        q.page = Some(p);
        format!(
            "/admin/organs/{organ_id}/audit?{}",
            serde_urlencoded::to_string(&q).unwrap_or_default()
        )
    };
    let shown_until = page.saturating_mul(u64::from(PAGE_SIZE));
    html(&AuditPage {
        layout: Layout::admin(format!("审计日志：{}", organ.name), user),
        organ_id,
        organ_name: organ.name,
        can_subtree,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (u64::try_from(total).unwrap_or(0) > shown_until).then(|| href(page + 1)),
        q,
        entries,
        total,
        page,
        verify,
        error,
    })
}
