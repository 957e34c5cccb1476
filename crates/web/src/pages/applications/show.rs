//! The case page: the applicant (full personal data only for those who handle the case, each
//! such view logged), the clock from the law crate, the timeline and the step forms.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use chrono::NaiveDate;
use gongkai_law::clock::{CONSULTATION_REPLY_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS};
use gongkai_law::{ClockEvent, ClockState, ConsultationParty, FeeDecision, Outcome};
use gongkai_store::applications::{
    ApplicationAttachment, DeliveredDocument, Delivery, DeliveryMethod, Opinion, RepeatMatch,
};
use gongkai_store::{Application, AuditEntry, ChallengeSummary, Department};

use super::ledger::{year_status_of, year_words};

use super::{LAW_LINE, department_names, load_case};
use crate::authz::{self, Permission};
use crate::error::AppResult;
use crate::guard::OrganChain;
use crate::pages::organs::NoticeQuery;
use crate::pages::{Layout, html};
use crate::session::CurrentUser;
use crate::state::AppState;

/// One line of the timeline.
pub struct TimelineLine {
    pub seq: i64,
    pub on: NaiveDate,
    pub label: &'static str,
    pub detail: String,
}

/// The outcomes of one family (予以公开, 不予公开, …), each with its article.
pub struct OutcomeGroup {
    pub heading: &'static str,
    pub outcomes: Vec<(&'static str, String)>,
}

/// What a step's details add to its timeline line (what to correct, the fee decision, the
/// reason and the withheld parts, the earlier case repeated).
pub fn details_text(details: &serde_json::Value) -> String {
    let s = |k: &str| details.get(k).and_then(|v| v.as_str()).unwrap_or_default();
    let mut parts = Vec::new();
    if !s("what").is_empty() {
        parts.push(format!("需要补正的事项：{}", s("what")));
    }
    if !s("summary").is_empty() {
        parts.push(s("summary").to_owned());
    }
    if !s("payment_method").is_empty() {
        parts.push(format!("缴纳方式：{}", s("payment_method")));
    }
    if !s("receipt").is_empty() {
        parts.push(format!("票据号码：{}", s("receipt")));
    }
    if !s("reason").is_empty() {
        parts.push(format!("理由：{}", s("reason")));
    }
    if let Some(list) = details.get("withheld").and_then(|w| w.as_array()) {
        for w in list {
            let g = |k: &str| w.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            parts.push(format!(
                "不予公开：{}（{}，{}）",
                g("what"),
                g("basis_label"),
                g("article")
            ));
        }
    }
    if let Some(t) = details
        .get("repeat_of")
        .and_then(|r| r.get("tracking_no"))
        .and_then(|v| v.as_str())
    {
        parts.push(format!("重复申请，原申请 {t}"));
    }
    parts.join("；")
}

/// The Chinese detail of a step, for the timeline.
pub fn event_detail(event: &ClockEvent) -> String {
    match event {
        ClockEvent::Received { channel, .. } => channel.description(),
        ClockEvent::CorrectionNotice {
            period_working_days,
            ..
        } => format!("补正期限 {period_working_days} 个工作日（条例第三十条）"),
        ClockEvent::CorrectedReceived { .. } => {
            "答复期限自收到补正后的申请之日起重新计算（条例第三十条）".to_owned()
        }
        ClockEvent::Extension {
            working_days,
            approver,
            ..
        } => format!("延长 {working_days} 个工作日，{approver} 同意（条例第三十三条第二款）"),
        ClockEvent::ConsultationStarted { party, .. } => format!(
            "{}（{}），所需时间不计算在答复期限内（条例第三十三条第三款）",
            party.activity(),
            party.article()
        ),
        ClockEvent::ConsultationEnded { .. } => "征求意见结束，答复期限继续计算".to_owned(),
        ClockEvent::FeeNotice { amount, .. } => format!("收费通知，金额 {amount}"),
        ClockEvent::FeePaid { .. } => "申请人已缴费".to_owned(),
        ClockEvent::Replied { outcome, .. } => {
            format!("{}（{}）", outcome.label(), outcome.article())
        }
        ClockEvent::Withdrawn { .. } => "申请人撤回申请".to_owned(),
    }
}

/// The outcomes grouped by their table-三 family.
pub fn outcome_groups() -> Vec<OutcomeGroup> {
    const FAMILIES: [(&str, &str); 5] = [
        ("granted", "予以公开、部分公开"),
        ("denied", "不予公开"),
        ("unable", "无法提供"),
        ("not_processed", "不予处理"),
        ("other", "其他处理"),
    ];
    let family = |o: Outcome| -> &'static str {
        let row = o.table3_row_key();
        if row.starts_with("granted") || row.starts_with("partially") {
            "granted"
        } else if o.is_denial() {
            "denied"
        } else if row.starts_with("unable") {
            "unable"
        } else if row.starts_with("not_processed") {
            "not_processed"
        } else {
            "other"
        }
    };
    FAMILIES
        .iter()
        .map(|(key, heading)| OutcomeGroup {
            heading,
            outcomes: Outcome::ALL
                .iter()
                .filter(|o| family(**o) == *key)
                .map(|o| (o.key(), format!("{}（{}）", o.label(), o.article())))
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "application_show.html")]
struct ShowPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    app: Application,
    /// The ID number as this viewer may see it.
    id_number: String,
    phone: String,
    email: String,
    address: String,
    full: bool,
    clock: Option<ClockState>,
    department: String,
    departments: Vec<Department>,
    timeline: Vec<TimelineLine>,
    can_handle: bool,
    can_extend: bool,
    today: NaiveDate,
    max_extension: u32,
    consultation_days: u32,
    parties: Vec<(&'static str, &'static str)>,
    outcome_groups: Vec<OutcomeGroup>,
    /// The 不予公开 reasons a withheld part can cite (Arts 14–16).
    denial_bases: Vec<(&'static str, String)>,
    withheld_rows: Vec<usize>,
    /// The per-piece fee this application would bear (109号 Art 4), from the applicant's count
    /// in the natural month.
    per_piece: Option<FeeDecision>,
    /// The per-page tiers (109号 Art 5), for the officer to read before entering the pages.
    per_page_applies: bool,
    repeats: Vec<RepeatMatch>,
    deliveries: Vec<Delivery>,
    documents: Vec<(&'static str, &'static str)>,
    methods: Vec<(&'static str, &'static str)>,
    opinions: Vec<(Opinion, String)>,
    attachments: Vec<ApplicationAttachment>,
    /// Where the case stands in the years it touches (table 三 of the annual report).
    years: Vec<(i32, String)>,
    letters: Vec<super::letters::LetterLine>,
    letter_choices: &'static [(&'static str, &'static str)],
    error: Option<String>,
    /// 行政复议/行政诉讼 cases about this application (条例第五十一条), names masked.
    challenges: Vec<ChallengeSummary>,
    /// May register such a case (also once the application is closed: that is when they come).
    can_register_challenge: bool,
}

/// `GET …/applications/{application_id}`.
pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, application_id)): Path<(i64, i64)>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    show_page(
        &state,
        &user,
        &chain,
        (organ_id, application_id),
        q.ok.as_deref(),
        None,
    )
    .await
}

/// The case page, with a confirmation (`notice`) or the reason a step was refused (`error`,
/// answered 422 so that nothing looks saved).
pub async fn show_page(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    (organ_id, application_id): (i64, i64),
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<Response> {
    let organ = crate::pages::organs::load(state, organ_id).await?;
    let app = load_case(state, organ_id, application_id).await?;
    let applications = state.store().applications();
    let clock = applications.clock(application_id, state.calendar()).await?;
    let timeline = applications
        .events(application_id)
        .await?
        .into_iter()
        .map(|e| {
            let extra = details_text(&e.details);
            TimelineLine {
                seq: e.seq,
                on: e.occurred_on,
                label: e.event.label(),
                detail: if extra.is_empty() {
                    event_detail(&e.event)
                } else {
                    format!("{}；{extra}", event_detail(&e.event))
                },
            }
        })
        .collect();
    let can_handle = authz::allows(&user.roles, Permission::ApplicationHandle, chain);
    let (id_number, phone, email, address) = if can_handle {
        // Every view of full personal data is logged (who, which case, when).
        let mut tx = state.store().begin(&user.actor()).await?;
        tx.audit(
            AuditEntry::new("application.view_pii", "application", application_id)
                .organ(Some(organ_id)),
        )
        .await?;
        tx.commit().await?;
        (
            app.id_number.clone(),
            app.phone.clone(),
            app.email.clone(),
            app.address.clone(),
        )
    } else {
        let s = app.summary();
        (
            s.id_number_masked,
            s.phone_masked,
            s.email_masked,
            String::new(),
        )
    };
    let names = department_names(state, organ_id).await?;
    let department = app
        .department_id
        .and_then(|d| names.get(&d).cloned())
        .unwrap_or_default();
    let departments = if can_handle {
        state.store().departments().list(organ_id).await?
    } else {
        Vec::new()
    };
    let open = app.closed_on.is_none();
    let per_piece = if open && can_handle {
        FeeDecision::per_piece(applications.nth_in_month(application_id).await?).ok()
    } else {
        None
    };
    let repeats = if open && can_handle {
        applications
            .repeat_matches(
                application_id,
                gongkai_law::repeat::DEFAULT_THRESHOLD_PERCENT,
            )
            .await?
    } else {
        Vec::new()
    };
    let deliveries = applications.deliveries(application_id).await?;
    let opinions = applications
        .opinions(application_id)
        .await?
        .into_iter()
        .map(|o| {
            let dept = o
                .department_id
                .and_then(|d| names.get(&d).cloned())
                .unwrap_or_default();
            (o, dept)
        })
        .collect();
    let attachments = if can_handle {
        applications.attachments(application_id).await?
    } else {
        Vec::new()
    };
    let letters =
        super::letters::letter_lines(&state.store().letters().issued(application_id).await?);
    let years = match &clock {
        Some(c) => {
            let last = c.closed_on.map_or(state.today().year(), |d| d.year());
            (c.first_received_on.year()..=last)
                .filter_map(|y| year_status_of(c, y).map(|s| (y, year_words(s))))
                .collect()
        }
        None => Vec::new(),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let challenges = state
        .store()
        .challenges()
        .for_application(application_id)
        .await?;
    let page = ShowPage {
        layout: Layout::admin(format!("依申请公开 {}", app.tracking_no), user).with_notice(notice),
        challenges,
        can_register_challenge: can_handle,
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        id_number,
        phone,
        email,
        address,
        full: can_handle,
        clock,
        department,
        departments,
        timeline,
        can_handle: can_handle && app.closed_on.is_none(),
        can_extend: authz::may_approve_extension(&user.roles, chain),
        today: state.today(),
        max_extension: MAX_EXTENSION_WORKING_DAYS,
        consultation_days: CONSULTATION_REPLY_WORKING_DAYS,
        parties: [ConsultationParty::ThirdParty, ConsultationParty::OtherOrgan]
            .iter()
            .map(|p| (party_key(*p), p.activity()))
            .collect(),
        outcome_groups: outcome_groups(),
        denial_bases: Outcome::ALL
            .iter()
            .filter(|o| o.is_denial())
            .map(|o| (o.key(), format!("{}（{}）", o.label(), o.article())))
            .collect(),
        withheld_rows: (1..=super::actions::WITHHELD_ROWS).collect(),
        per_piece,
        per_page_applies: gongkai_law::per_page_applies(app.provision_form),
        repeats,
        deliveries,
        documents: DeliveredDocument::ALL
            .iter()
            .map(|d| (d.key(), d.label()))
            .collect(),
        methods: DeliveryMethod::ALL
            .iter()
            .map(|d| (d.key(), d.label()))
            .collect(),
        opinions,
        attachments,
        years,
        letters,
        letter_choices: &super::letters::LETTER_CHOICES,
        app,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

pub fn party_key(p: ConsultationParty) -> &'static str {
    match p {
        ConsultationParty::ThirdParty => "third_party",
        ConsultationParty::OtherOrgan => "other_organ",
    }
}
