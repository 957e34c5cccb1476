//! The steps posted from the case page. Each parses its form into one [`ClockEvent`], and the
//! store appends it only if the officer saw the current version and the whole timeline stays
//! one the law allows; a refusal shows the case page again with the Chinese reason.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_law::{ClockEvent, ConsultationParty, Outcome};
use gongkai_store::{AuditEntry, StoreError};

use super::show::{party_key, show_page};
use super::{case_url, load_case, user_message};
use crate::authz;
use crate::error::AppResult;
use crate::guard::OrganChain;
use crate::pages::items::form::{Fields, parse_date};
use crate::session::CurrentUser;
use crate::state::AppState;

type Ids = Path<(i64, i64)>;

/// What a step needs besides its form.
struct Ctx<'a> {
    state: &'a AppState,
    user: &'a CurrentUser,
    chain: &'a [i64],
    ids: (i64, i64),
}

impl Ctx<'_> {
    async fn refuse(&self, message: String) -> AppResult<Response> {
        show_page(
            self.state,
            self.user,
            self.chain,
            self.ids,
            None,
            Some(message),
        )
        .await
    }

    async fn finish(&self, result: Result<(), StoreError>, notice: &str) -> AppResult<Response> {
        match result {
            Ok(()) => Ok(Redirect::to(&format!(
                "{}?ok={notice}",
                case_url(self.ids.0, self.ids.1)
            ))
            .into_response()),
            Err(e) => {
                let message = user_message(e)?;
                self.refuse(message).await
            }
        }
    }

    /// Records `event` against the version the form was rendered with; `note` (e.g. what to
    /// correct) is kept in an audit entry of the same transaction.
    async fn record(
        &self,
        f: &Fields,
        event: ClockEvent,
        note: Option<(&str, serde_json::Value)>,
        notice: &str,
    ) -> AppResult<Response> {
        let Ok(version) = f.get("version").trim().parse::<i64>() else {
            return self
                .refuse("表单缺少案件版本，请刷新页面后重新操作".to_owned())
                .await;
        };
        let extension_days = match &event {
            ClockEvent::Extension { working_days, .. } => Some(*working_days),
            _ => None,
        };
        let result = async {
            let mut tx = self.state.store().begin(&self.user.actor()).await?;
            let (app, _) = gongkai_store::applications::record_event(
                &mut tx,
                self.ids.1,
                event,
                version,
                self.state.calendar(),
            )
            .await?;
            // Art 33 ¶2: an extension is told to the applicant; the notice is queued with the
            // step itself.
            if let Some(days) = extension_days {
                let organ_name = self
                    .state
                    .store()
                    .organs()
                    .get(app.organ_id)
                    .await?
                    .map(|o| o.name)
                    .unwrap_or_default();
                crate::mail::notices::extension_in(&mut tx, self.state, &organ_name, &app, days)
                    .await?;
            }
            if let Some((action, after)) = note {
                tx.audit(
                    AuditEntry::new(action, "application", self.ids.1)
                        .organ(Some(self.ids.0))
                        .after(after),
                )
                .await?;
            }
            tx.commit().await?;
            if extension_days.is_some() {
                self.state.jobs_changed();
            }
            Ok(())
        }
        .await;
        self.finish(result, notice).await
    }
}

macro_rules! date_or_refuse {
    ($ctx:expr, $f:expr, $field:literal, $label:literal) => {
        match parse_date($label, $f.get($field)) {
            Ok(d) => d,
            Err(m) => return $ctx.refuse(m).await,
        }
    };
}

async fn begin<'a>(
    state: &'a AppState,
    user: &'a CurrentUser,
    chain: &'a [i64],
    ids: (i64, i64),
) -> AppResult<Ctx<'a>> {
    // The case must belong to the route's organ (the permission was checked on that organ).
    load_case(state, ids.0, ids.1).await?;
    Ok(Ctx {
        state,
        user,
        chain,
        ids,
    })
}

fn working_days(f: &Fields, field: &str) -> Option<u32> {
    f.get(field).trim().parse::<u32>().ok()
}

/// 补正告知 (条例 Art 30).
pub async fn correction(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "补正告知日期");
    let Some(period) = working_days(&f, "period_working_days") else {
        return ctx
            .refuse("请填写补正期限（工作日数，正整数）".to_owned())
            .await;
    };
    let Some(what) = f.opt("what") else {
        return ctx
            .refuse(
                "请写明需要补正的事项（条例第三十条：一次性告知申请人需要补正的事项）".to_owned(),
            )
            .await;
    };
    if what.chars().count() > 1000 {
        return ctx
            .refuse("需要补正的事项不能超过 1000 个字符，请删减".to_owned())
            .await;
    }
    let note = serde_json::json!({ "what": what });
    ctx.record(
        &f,
        ClockEvent::CorrectionNotice {
            on,
            period_working_days: period,
        },
        Some(("application.correction_items", note)),
        "application_correction",
    )
    .await
}

/// The corrected application was received (Art 30: the period restarts).
pub async fn corrected(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "收到补正申请日期");
    ctx.record(
        &f,
        ClockEvent::CorrectedReceived { on },
        None,
        "application_step",
    )
    .await
}

/// 延期 (Art 33 ¶2): approved by the head of the disclosure office — the officer or the
/// administrator, never a 科室承办人.
pub async fn extension(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    if !authz::may_approve_extension(&user.roles, &chain) {
        return ctx
            .refuse(
                "延长答复期限须经政府信息公开工作机构负责人同意（条例第三十三条第二款）：请由信息公开专员或系统管理员办理延期"
                    .to_owned(),
            )
            .await;
    }
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "延期日期");
    let Some(days) = working_days(&f, "working_days") else {
        return ctx
            .refuse("请填写延长的工作日数（1 至 20 的整数）".to_owned())
            .await;
    };
    ctx.record(
        &f,
        ClockEvent::Extension {
            on,
            working_days: days,
            approver: user.user.display_name.clone(),
        },
        None,
        "application_extension",
    )
    .await
}

/// 征求意见 started (Arts 32, 34).
pub async fn consultation_start(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "征求意见日期");
    let Some(party) = [ConsultationParty::ThirdParty, ConsultationParty::OtherOrgan]
        .into_iter()
        .find(|p| party_key(*p) == f.get("party"))
    else {
        return ctx
            .refuse("请选择征求意见的对象：第三方或其他机关".to_owned())
            .await;
    };
    ctx.record(
        &f,
        ClockEvent::ConsultationStarted { on, party },
        None,
        "application_step",
    )
    .await
}

/// 征求意见 ended.
pub async fn consultation_end(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "征求意见结束日期");
    ctx.record(
        &f,
        ClockEvent::ConsultationEnded { on },
        None,
        "application_step",
    )
    .await
}

/// The applicant withdrew.
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "撤回日期");
    ctx.record(&f, ClockEvent::Withdrawn { on }, None, "application_closed")
        .await
}

/// The reply, with its legal outcome.
pub async fn reply(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "答复日期");
    let Ok(outcome) = Outcome::from_key(f.get("outcome")) else {
        return ctx
            .refuse("请选择办理结果（条例第三十六条）".to_owned())
            .await;
    };
    ctx.record(
        &f,
        ClockEvent::Replied { on, outcome },
        None,
        "application_closed",
    )
    .await
}

/// Assignment to a 科室 with an internal due date (empty 科室: the assignment is cleared).
pub async fn assign(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let department_id = match f.opt("department_id") {
        None => None,
        Some(t) => match t.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return ctx
                    .refuse("承办科室的取值无效，请从列表中选择".to_owned())
                    .await;
            }
        },
    };
    let internal_due_on = match (department_id, f.opt("internal_due_on")) {
        (None, _) | (_, None) => None,
        (Some(_), Some(t)) => match parse_date("内部办理期限", t) {
            Ok(d) => Some(d),
            Err(m) => return ctx.refuse(m).await,
        },
    };
    let result = state
        .store()
        .applications()
        .assign(&user.actor(), ids.1, department_id, internal_due_on)
        .await
        .map(|_| ());
    ctx.finish(result, "application_assigned").await
}
