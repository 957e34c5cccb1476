//! The case page: the case, its links (the application, the reconsideration it follows), where it
//! counts in table 四, and — for those who handle cases — the claimant's full name (each such
//! view logged) and the edit link.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use gongkai_law::{ChallengeResult, table4_column};
use gongkai_store::challenges::mask_name;
use gongkai_store::{AuditEntry, Challenge};

use super::{LAW_LINE, load_case};
use crate::authz::{self, Permission};
use crate::error::AppResult;
use crate::guard::OrganChain;
use crate::pages::organs::NoticeQuery;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "challenge_show.html")]
struct ShowPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    case: Challenge,
    /// The claimant as this viewer may see it.
    claimant: String,
    full: bool,
    /// (id, tracking number) of the linked application.
    application: Option<(i64, String)>,
    /// (id, 案号) of the reconsideration this litigation follows.
    follows: Option<(i64, String)>,
    /// Where the case counts in table 四, in words.
    counting: String,
    can_handle: bool,
}

/// `GET …/challenges/{challenge_id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, challenge_id)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    let organ = crate::pages::organs::load(&state, organ_id).await?;
    let case = load_case(&state, organ_id, challenge_id).await?;
    let can_handle = authz::allows(&user.roles, Permission::ApplicationHandle, &chain);
    let claimant = if can_handle {
        // Every view of the full name is logged, as for applications.
        let mut tx = state.store().begin(&user.actor()).await?;
        tx.audit(
            AuditEntry::new("challenge.view_pii", "challenge", challenge_id).organ(Some(organ_id)),
        )
        .await?;
        tx.commit().await?;
        case.claimant_name.clone()
    } else {
        mask_name(&case.claimant_name)
    };
    let application = match case.application_id {
        Some(id) => state
            .store()
            .applications()
            .get(id)
            .await?
            .map(|a| (a.id, a.tracking_no)),
        None => None,
    };
    let follows = match case.follows_id {
        Some(id) => state
            .store()
            .challenges()
            .get(id)
            .await?
            .map(|c| (c.id, c.case_no)),
        None => None,
    };
    let year = case.filed_on.year();
    // The law crate's rule, stated for this case (条例第五十条, 30号 table 四).
    let counting = match table4_column(&case.facts(), year) {
        None => {
            "本机关仅作为复议机关共同被告，由原行政机关计入年度报告表四，本机关不计入。".to_owned()
        }
        Some(column) => {
            let mut s = format!(
                "计入 {year} 年度报告表四“{}”栏的“{}”。",
                case.kind.label(),
                column.label()
            );
            if column == ChallengeResult::Pending && case.result.is_decided() {
                s.push_str(&format!(
                    "（{year} 年 12 月 31 日尚未审结；次年审结的不再重复计入。）"
                ));
            }
            s
        }
    };
    let page = ShowPage {
        layout: Layout::admin(format!("行政复议、行政诉讼 {}", case.case_no), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        claimant,
        full: can_handle,
        application,
        follows,
        counting,
        can_handle,
        case,
    };
    Ok(html(&page)?.into_response())
}
