//! The steps posted from the case page. Each parses its form into one [`ClockEvent`], and the
//! store appends it only if the officer saw the current version and the whole timeline stays
//! one the law allows; a refusal shows the case page again with the Chinese reason.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_law::{ClockEvent, ConsultationParty, FeeDecision, Money, Outcome};
use gongkai_store::StoreError;
use gongkai_store::applications::{DeliveredDocument, DeliveryMethod};

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

    /// Records `event` against the version the form was rendered with, with the step's
    /// `details` (what to correct, the fee decision, what was withheld…) kept beside it.
    async fn record(
        &self,
        f: &Fields,
        event: ClockEvent,
        details: serde_json::Value,
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
            let (app, _) = gongkai_store::applications::record_event_with(
                &mut tx,
                self.ids.1,
                event,
                &details,
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
    ctx.record(
        &f,
        ClockEvent::CorrectionNotice {
            on,
            period_working_days: period,
        },
        serde_json::json!({ "what": what }),
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
        serde_json::json!({}),
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
        serde_json::json!({}),
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
        serde_json::json!({}),
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
        serde_json::json!({}),
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
    ctx.record(
        &f,
        ClockEvent::Withdrawn { on },
        serde_json::json!({}),
        "application_closed",
    )
    .await
}

/// The reply, with its legal outcome. A refusal in whole or in part must say why (Art 36(3):
/// 告知申请人不予公开并说明理由; Art 37: the withheld part and its reason), so those outcomes
/// need the reason and, for 部分公开, each withheld part with its legal basis.
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
    let details = match reply_details(&state, ids.1, &f, outcome).await? {
        Ok(d) => d,
        Err(message) => return ctx.refuse(message).await,
    };
    ctx.record(
        &f,
        ClockEvent::Replied { on, outcome },
        details,
        "application_closed",
    )
    .await
}

/// Rows of withheld parts the reply form offers.
pub const WITHHELD_ROWS: usize = 5;
/// Longest reason or withheld-part description.
const REASON_MAX: usize = 2000;

/// The details of a reply: the reason, the withheld parts, the earlier case a 重复申请 repeats.
async fn reply_details(
    state: &AppState,
    application_id: i64,
    f: &Fields,
    outcome: Outcome,
) -> AppResult<Result<serde_json::Value, String>> {
    let reason = f.get("reason").trim().to_owned();
    if reason.chars().count() > REASON_MAX {
        return Ok(Err(format!("理由说明不能超过 {REASON_MAX} 个字符，请删减")));
    }
    let mut withheld = Vec::new();
    let mut grounds = Vec::new();
    for i in 1..=WITHHELD_ROWS {
        let what = f.get(&format!("withheld_what_{i}")).trim().to_owned();
        let basis = f.get(&format!("withheld_basis_{i}"));
        if what.is_empty() && basis.is_empty() {
            continue;
        }
        if what.chars().count() > REASON_MAX {
            return Ok(Err(format!("第{i}项不予公开的内容过长，请删减")));
        }
        let Some(basis) = Outcome::from_key(basis).ok().filter(|o| o.is_denial()) else {
            return Ok(Err(format!(
                "第{i}项不予公开的内容：请选择不予公开的依据（条例第十四条至第十六条）"
            )));
        };
        if what.is_empty() {
            return Ok(Err(format!("第{i}项：请写明不予公开的是哪一部分信息")));
        }
        grounds.push(basis);
        withheld.push(serde_json::json!({
            "what": what,
            "basis": basis.key(),
            "basis_label": basis.label(),
            "article": basis.article(),
        }));
    }
    if let Err(message) = outcome.check_reply(&reason, &grounds) {
        return Ok(Err(message));
    }
    let mut details = serde_json::json!({ "reason": reason, "withheld": withheld });
    if outcome == Outcome::NotProcessedRepeated
        && let Some(earlier) = f.opt("repeat_of")
    {
        let Ok(earlier_id) = earlier.parse::<i64>() else {
            return Ok(Err("重复申请所对应的原申请无效，请从提示中选择".to_owned()));
        };
        let matches = state
            .store()
            .applications()
            .repeat_matches(application_id, 0)
            .await?;
        let Some(m) = matches.iter().find(|m| m.id == earlier_id) else {
            return Ok(Err(
                "所选的原申请不是该申请人已答复的申请，请核对（条例第三十六条第（六）项）"
                    .to_owned(),
            ));
        };
        details["repeat_of"] = serde_json::json!({
            "id": m.id,
            "tracking_no": m.tracking_no,
            "replied_on": m.replied_on,
        });
    }
    Ok(Ok(details))
}

/// 收费通知 (国办函〔2020〕109号): the amount comes from the calculator — per piece from the
/// applicant's number of applications in the natural month (counted by the store), per page from
/// the page count — never typed.
pub async fn fee_notice(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let app = load_case(&state, ids.0, ids.1).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "收费通知送达日期");
    let decision = match f.get("standard") {
        "per_piece" => {
            let nth = state.store().applications().nth_in_month(ids.1).await?;
            FeeDecision::per_piece(nth)
        }
        "per_page" => {
            let Ok(pages) = f.get("pages").trim().parse::<u32>() else {
                return ctx
                    .refuse("按量计收：请填写提供信息的页数（正整数）".to_owned())
                    .await;
            };
            FeeDecision::per_page(pages, app.provision_form)
        }
        _ => {
            return ctx
                .refuse(
                    "请选择收费标准：按件计收或按量计收（国办函〔2020〕109号第三条：同一申请只能选择一种）"
                        .to_owned(),
                )
                .await;
        }
    };
    let decision = match decision {
        Ok(d) => d,
        Err(e) => return ctx.refuse(e.to_string()).await,
    };
    if decision.amount == Money::ZERO {
        return ctx
            .refuse(format!(
                "{}本申请不收费，无需发出收费通知",
                decision.summary()
            ))
            .await;
    }
    let Some(payment) = f.opt("payment_method") else {
        return ctx
            .refuse("请写明缴纳方式（收费通知应载明收费依据、标准、数额和缴纳方式）".to_owned())
            .await;
    };
    if payment.chars().count() > 500 {
        return ctx
            .refuse("缴纳方式不能超过 500 个字符，请删减".to_owned())
            .await;
    }
    let details = serde_json::json!({
        "decision": decision,
        "summary": decision.summary(),
        "lines": decision.breakdown.lines(),
        "payment_method": payment,
    });
    ctx.record(
        &f,
        ClockEvent::FeeNotice {
            on,
            amount: decision.amount,
        },
        details,
        "application_fee_notice",
    )
    .await
}

/// The applicant paid the fee.
pub async fn fee_paid(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "缴费日期");
    let receipt = f.get("receipt").trim().to_owned();
    if receipt.chars().count() > 100 {
        return ctx.refuse("票据号码不能超过 100 个字符".to_owned()).await;
    }
    ctx.record(
        &f,
        ClockEvent::FeePaid { on },
        serde_json::json!({ "receipt": receipt }),
        "application_step",
    )
    .await
}

/// 送达: a document reached the applicant.
pub async fn delivery(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let on = date_or_refuse!(ctx, f, "on", "送达日期");
    let Some(document) = DeliveredDocument::from_key(f.get("document")) else {
        return ctx.refuse("请选择送达的文书".to_owned()).await;
    };
    let Some(method) = DeliveryMethod::from_key(f.get("method")) else {
        return ctx.refuse("请选择送达方式".to_owned()).await;
    };
    let note = f.get("note").to_owned();
    let result = state
        .store()
        .write(&user.actor(), async |tx| {
            gongkai_store::applications::record_delivery(tx, ids.1, document, method, on, &note)
                .await
        })
        .await
        .map(|_| ());
    ctx.finish(result, "application_delivery").await
}

/// The assigned 科室's answer (承办意见), with the outcome it proposes.
pub async fn opinion(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(ids): Ids,
    body: Bytes,
) -> AppResult<Response> {
    let ctx = begin(&state, &user, &chain, ids).await?;
    let f = Fields::parse(&body);
    let proposed = match f.opt("proposed_outcome") {
        None => None,
        Some(k) => match Outcome::from_key(k) {
            Ok(o) => Some(o),
            Err(_) => {
                return ctx
                    .refuse("拟办理结果无效，请从列表中选择".to_owned())
                    .await;
            }
        },
    };
    let text = f.get("body").to_owned();
    let result = state
        .store()
        .write(&user.actor(), async |tx| {
            gongkai_store::applications::record_opinion(tx, ids.1, &text, proposed).await
        })
        .await
        .map(|_| ());
    ctx.finish(result, "application_opinion").await
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
