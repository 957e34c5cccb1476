//! The applicant's side of 依申请公开: the online form on `/organs/{id}/apply` (条例 Art 29) and
//! the tracking page `/track`. No script; the form works with any browser.
//!
//! The form has no session: its POST is protected like the login form (signed double-submit
//! token in cookie and field, plus the same-origin check, `csrf.rs`). Spam control without
//! third-party services: a honeypot field and a per-IP limit (`rate_limit.rs`).

use std::net::IpAddr;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_law::clock::{
    CORRECTION_NOTICE_WORKING_DAYS, MAX_EXTENSION_WORKING_DAYS, REPLY_PERIOD_WORKING_DAYS,
};
use gongkai_law::{ApplicantType, Channel, ClockEvent, ProvisionForm};
use gongkai_store::Organ;
use serde::Deserialize;

use super::applications::{FormFile, store_id_copies};
use super::organs::load as organ;
use super::portal::{Section, apply_sections, column_links};
use super::{Layout, error_page, html};
use crate::cookies;
use crate::csrf;
use crate::error::{AppError, AppResult};
use crate::intake::{FieldErrors, RawApplication, SubmitError, id_type_options};
use crate::rate_limit::{self, RateLimiter};
use crate::state::AppState;

/// One `<option>` or radio button.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn choices(options: &[(&'static str, &'static str)], current: &str) -> Vec<Choice> {
    options
        .iter()
        .map(|(value, label)| Choice {
            value,
            label,
            selected: *value == current,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "apply_form.html")]
struct FormPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    column: Vec<(String, String)>,
    current: String,
    heading: String,
    sections: Vec<Section>,
    csrf: String,
    form: RawApplication,
    applicant_types: Vec<Choice>,
    id_types: Vec<Choice>,
    provision_forms: Vec<Choice>,
    errors: FieldErrors,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

#[derive(Template)]
#[template(path = "apply_done.html")]
struct DonePage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    tracking_no: String,
    secret: String,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
    receipt_rule: String,
    reply_days: u32,
    extension_days: u32,
    correction_days: u32,
}

/// The form fields as posted: the Art 29 content, the token and the honeypot.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    csrf_token: String,
    /// The honeypot: hidden from sighted users by CSS, labelled for screen readers as "leave
    /// empty". Only bots fill it.
    website: String,
    applicant_type: String,
    name: String,
    id_type: String,
    id_number: String,
    phone: String,
    email: String,
    address: String,
    description: String,
    provision_form: String,
    delivery: String,
}

impl ApplyForm {
    fn raw(&self) -> RawApplication {
        RawApplication {
            applicant_type: self.applicant_type.clone(),
            name: self.name.clone(),
            id_type: self.id_type.clone(),
            id_number: self.id_number.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.clone(),
            description: self.description.clone(),
            provision_form: self.provision_form.clone(),
            delivery: self.delivery.clone(),
        }
    }
}

/// The anonymous-form token: the one in the cookie if still valid, else a fresh one (shared
/// with the login form: same cookie, same signature).
fn form_token(state: &AppState, headers: &HeaderMap) -> AppResult<String> {
    match cookies::get(headers, cookies::LOGIN_CSRF) {
        Some(t) if csrf::login_token_valid(state.secret(), &t) => Ok(t),
        _ => csrf::new_login_token(state.secret())
            .ok_or_else(|| AppError::Internal("无法取得随机数".to_owned())),
    }
}

fn form_page(
    state: &AppState,
    organ: &Organ,
    token: String,
    form: RawApplication,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let heading = format!("{}依申请公开", organ.name);
    let applicant_types: Vec<(&'static str, &'static str)> = ApplicantType::ALL
        .iter()
        .map(|t| (t.column_key(), t.description()))
        .collect();
    let provision_forms: Vec<(&'static str, &'static str)> = ProvisionForm::ALL
        .iter()
        .map(|f| (f.key(), f.label()))
        .collect();
    let page = FormPage {
        layout: Layout::public(heading.clone()),
        organ_id: organ.id,
        organ_name: organ.name.clone(),
        column: column_links(organ.id),
        current: format!("/organs/{}/apply", organ.id),
        heading,
        sections: apply_sections(organ),
        csrf: token.clone(),
        applicant_types: choices(&applicant_types, form.applicant_type.trim()),
        id_types: choices(&id_type_options(), form.id_type.trim()),
        provision_forms: choices(&provision_forms, form.provision_form.trim()),
        form,
        errors,
    };
    let cookie = cookies::set(
        cookies::LOGIN_CSRF,
        &token,
        state.config().cookies_secure(),
        Some(3600),
    );
    Ok((status, [(SET_COOKIE, cookie)], html(&page)?).into_response())
}

/// `GET /organs/{id}/apply`: the explanation and the empty form.
pub async fn form(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let o = organ(&state, id).await?;
    let token = form_token(&state, &headers)?;
    let blank = RawApplication {
        applicant_type: ApplicantType::NaturalPerson.column_key().to_owned(),
        id_type: gongkai_law::IdDocumentKind::ResidentId.key().to_owned(),
        ..RawApplication::default()
    };
    form_page(&state, &o, token, blank, FieldErrors::new(), StatusCode::OK)
}

fn rate_limited_page() -> Response {
    error_page(
        StatusCode::TOO_MANY_REQUESTS,
        "提交过于频繁",
        "同一网络地址在短时间内提交的申请过多，本次提交未被受理。请 10 分钟后再试；如需提交多份申请，也可以以信函或当面方式提交。",
    )
}

fn done_page(
    organ: &Organ,
    tracking_no: String,
    secret: String,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
) -> AppResult<Response> {
    let page = DonePage {
        layout: Layout::public("申请已提交"),
        organ_id: organ.id,
        organ_name: organ.name.clone(),
        tracking_no,
        secret,
        received_on,
        due_on,
        receipt_rule: Channel::Online.description(),
        reply_days: REPLY_PERIOD_WORKING_DAYS,
        extension_days: MAX_EXTENSION_WORKING_DAYS,
        correction_days: CORRECTION_NOTICE_WORKING_DAYS,
    };
    // The secret is shown once: no cache may keep the page.
    Ok((StatusCode::OK, [(CACHE_CONTROL, "no-store")], html(&page)?).into_response())
}

/// A tracking number and secret that look real, for the honeypot's pretended success.
fn decoy(prefix_year: i32) -> AppResult<(String, String)> {
    const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut bytes = [0u8; 22];
    getrandom::fill(&mut bytes).map_err(|_| AppError::Internal("无法取得随机数".to_owned()))?;
    let sym: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect();
    let (no, secret) = sym.split_at(6);
    Ok((
        format!(
            "{}{prefix_year}{no}",
            gongkai_store::applications::TRACKING_PREFIX
        ),
        secret.to_owned(),
    ))
}

/// `POST /organs/{id}/apply`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    Path(id): Path<i64>,
    extensions: Extensions,
    headers: HeaderMap,
    request: Request,
) -> AppResult<Response> {
    let Some((form, files)) = read_form(&state, request).await else {
        return Err(AppError::BadRequest(
            "申请表内容无法读取，请返回申请页面，刷新后重新填写提交".to_owned(),
        ));
    };
    let cookie = cookies::get(&headers, cookies::LOGIN_CSRF).unwrap_or_default();
    if !csrf::same_origin(&headers)
        || !csrf::tokens_match(&cookie, &form.csrf_token)
        || !csrf::login_token_valid(state.secret(), &cookie)
    {
        return Err(AppError::Csrf);
    }
    let o = organ(&state, id).await?;
    let ip = crate::session::client_ip(&extensions);

    if !form.website.trim().is_empty() {
        // A bot filled the honeypot: pretend success so it learns nothing, store nothing.
        if !limiter.allowed(ip, rate_limit::APPLY) {
            return Ok(rate_limited_page());
        }
        limiter.record(ip, rate_limit::APPLY);
        let today = state.today();
        let (no, secret) = decoy(chrono::Datelike::year(&today))?;
        let due = gongkai_law::evaluate(
            &[ClockEvent::Received {
                on: today,
                channel: Channel::Online,
            }],
            today,
            state.calendar(),
        )
        .ok()
        .and_then(|s| s.due_date);
        return done_page(&o, no, secret, today, due);
    }

    let raw = form.raw();
    // The ID copies are checked (type from the content) and stored only for an otherwise valid
    // application, so a refused form leaves no personal data on disk.
    let mut copies = Vec::new();
    if !files.is_empty() && raw.validate(state.today()).is_ok() {
        match store_id_copies(&state, files).await? {
            Ok(c) => copies = c,
            Err(message) => {
                let mut errors = FieldErrors::new();
                errors.insert("id_copy", message);
                let token = form_token(&state, &headers)?;
                return form_page(
                    &state,
                    &o,
                    token,
                    raw,
                    errors,
                    StatusCode::UNPROCESSABLE_ENTITY,
                );
            }
        }
    }
    match crate::intake::submit(&state, &limiter, ip, o.id, &raw, &copies).await {
        Ok((app, secret)) => done_page(&o, app.tracking_no, secret, app.received_on, app.due_on),
        Err(SubmitError::RateLimited) => Ok(rate_limited_page()),
        Err(SubmitError::NoOrgan) => Err(AppError::NotFound),
        Err(SubmitError::Store(e)) => Err(e.into()),
        Err(SubmitError::Invalid(errors)) => {
            let token = form_token(&state, &headers)?;
            form_page(
                &state,
                &o,
                token,
                raw,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// The form as posted: URL-encoded, or multipart when the browser sends the file field (the
/// ID copies, field `id_copy`). `None` if it cannot be read.
async fn read_form(state: &AppState, request: Request) -> Option<(ApplyForm, Vec<FormFile>)> {
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<ApplyForm>::from_request(request, state).await.ok()?;
        return Some((form, Vec::new()));
    }
    let mut parts = Multipart::from_request(request, state).await.ok()?;
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    while let Some(field) = parts.next_field().await.ok()? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "id_copy" {
            let file_name = field.file_name().unwrap_or("身份证明").to_owned();
            let bytes = field.bytes().await.ok()?;
            // A file input left empty still sends an empty part.
            if !bytes.is_empty() {
                files.push(FormFile {
                    name: file_name,
                    bytes: bytes.to_vec(),
                });
            }
            continue;
        }
        let text = field.text().await.ok()?;
        fields.insert(name, serde_json::Value::String(text));
    }
    let form = serde_json::from_value(serde_json::Value::Object(fields)).ok()?;
    Some((form, files))
}

// ---------------------------------------------------------------------------------------------
// Tracking

/// One line of the applicant's timeline.
pub struct TimelineLine {
    pub on: NaiveDate,
    /// The event's key (its serde tag, e.g. `received`), for the API.
    pub kind: String,
    pub label: &'static str,
}

/// What the applicant sees of their case: personal data masked (the page may be printed or
/// seen over a shoulder).
pub struct TrackView {
    pub tracking_no: String,
    pub organ_name: String,
    pub applicant_type: &'static str,
    pub applicant_name: String,
    pub id_number_masked: String,
    pub channel: String,
    pub received_on: NaiveDate,
    pub state: &'static str,
    /// The status key (`running`, `replied`, …), for the API.
    pub state_key: String,
    pub closed: bool,
    pub due_date: Option<NaiveDate>,
    pub working_days_left: Option<i64>,
    pub applicant_due_date: Option<NaiveDate>,
    pub timeline: Vec<TimelineLine>,
    pub explanation: Vec<String>,
    /// The case, for the letter downloads.
    pub application_id: i64,
    /// The letters addressed to the applicant (id, title), to download.
    pub letters: Vec<(i64, String)>,
    /// The secret as entered, for the download forms of this page (posted, never in a URL).
    pub secret: String,
}

#[derive(Template)]
#[template(path = "track.html")]
struct TrackPage {
    layout: Layout,
    tracking_no: String,
    not_found: bool,
    view: Option<TrackView>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackQuery {
    no: String,
    secret: String,
}

/// The outcome of a lookup.
pub enum Lookup {
    Found(Box<TrackView>),
    /// Wrong number or wrong secret: one answer for both.
    NotFound,
    RateLimited,
}

/// Looks a case up for the applicant. Failed lookups count against the per-IP guessing limit;
/// once over it, even a right secret waits (otherwise guessing could go on).
pub async fn lookup(
    state: &AppState,
    limiter: &RateLimiter,
    ip: Option<IpAddr>,
    tracking_no: &str,
    secret: &str,
) -> AppResult<Lookup> {
    if !limiter.allowed(ip, rate_limit::TRACK) {
        return Ok(Lookup::RateLimited);
    }
    let apps = state.store().applications();
    let found = if tracking_no.len() > 40 || secret.len() > 100 {
        None
    } else {
        apps.by_tracking(tracking_no, secret).await?
    };
    let Some(app) = found else {
        limiter.record(ip, rate_limit::TRACK);
        return Ok(Lookup::NotFound);
    };
    let events = apps.events(app.id).await?;
    let clock = apps.clock(app.id, state.calendar()).await?;
    let organ_name = state
        .store()
        .organs()
        .get(app.organ_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let summary = app.summary();
    let letters = state
        .store()
        .letters()
        .issued(app.id)
        .await?
        .into_iter()
        .filter(crate::pages::applications::letters::for_applicant)
        .map(|l| (l.id, l.title))
        .collect();
    let (status, due_date, left, applicant_due, explanation) = match clock {
        Some(c) => (
            c.status,
            c.due_date,
            c.working_days_left,
            c.applicant_due_date,
            c.explanation,
        ),
        None => (app.state, app.due_on, None, None, Vec::new()),
    };
    Ok(Lookup::Found(Box::new(TrackView {
        tracking_no: app.tracking_no.clone(),
        organ_name,
        applicant_type: app.applicant_type.description(),
        applicant_name: app.applicant_name.clone(),
        id_number_masked: summary.id_number_masked,
        channel: app.channel.label().to_owned(),
        received_on: app.received_on,
        state: status.label(),
        state_key: key_of(&status),
        closed: status.is_closed(),
        due_date,
        working_days_left: left,
        applicant_due_date: applicant_due,
        timeline: events
            .iter()
            .map(|e| TimelineLine {
                on: e.occurred_on,
                kind: key_of(&e.event),
                label: e.event.label(),
            })
            .collect(),
        explanation,
        letters,
        secret: secret.trim().to_owned(),
        application_id: app.id,
    })))
}

/// The serde key of a law-crate value (its string, or the `kind` tag of an event).
fn key_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) => map
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    }
}

async fn track(
    state: &AppState,
    limiter: &RateLimiter,
    ip: Option<IpAddr>,
    q: TrackQuery,
) -> AppResult<Response> {
    let no = q.no.trim().to_owned();
    let secret = q.secret.trim().to_owned();
    let (status, not_found, view) = if no.is_empty() && secret.is_empty() {
        (StatusCode::OK, false, None)
    } else {
        match lookup(state, limiter, ip, &no, &secret).await? {
            Lookup::Found(v) => (StatusCode::OK, false, Some(*v)),
            Lookup::NotFound => (StatusCode::NOT_FOUND, true, None),
            Lookup::RateLimited => {
                return Ok(error_page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "查询过于频繁",
                    "同一网络地址在短时间内查询失败的次数过多，查询已暂停。请 10 分钟后再试，并核对申请编号和查询码。",
                ));
            }
        }
    };
    let page = TrackPage {
        layout: Layout::public("申请办理进度查询"),
        tracking_no: no,
        not_found,
        view,
    };
    Ok((status, [(CACHE_CONTROL, "no-store")], html(&page)?).into_response())
}

/// `GET /track` (the empty form, or a lookup from `?no=…&secret=…` links).
pub async fn track_get(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    extensions: Extensions,
    Query(q): Query<TrackQuery>,
) -> AppResult<Response> {
    track(&state, &limiter, crate::session::client_ip(&extensions), q).await
}

/// A letter download from the tracking page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrackLetterQuery {
    no: String,
    secret: String,
    letter: String,
    format: String,
}

/// `POST /track/letter`: the applicant downloads a letter of their case (Word or PDF). The
/// tracking number and secret are checked like a lookup (and count against the guessing limit).
pub async fn track_letter(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    extensions: Extensions,
    Form(q): Form<TrackLetterQuery>,
) -> AppResult<Response> {
    let ip = crate::session::client_ip(&extensions);
    let no = q.no.trim();
    match lookup(&state, &limiter, ip, no, &q.secret).await? {
        Lookup::Found(view) => {
            let Some(letter_id) = q
                .letter
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| view.letters.iter().any(|(l, _)| l == id))
            else {
                return Err(AppError::NotFound);
            };
            let letter = state
                .store()
                .letters()
                .letter(view.application_id, letter_id)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::pages::applications::letters::letter_file(&state, &letter, q.format.trim()).await
        }
        Lookup::NotFound => Err(AppError::NotFound),
        Lookup::RateLimited => Ok(error_page(
            StatusCode::TOO_MANY_REQUESTS,
            "查询过于频繁",
            "同一网络地址在短时间内查询失败的次数过多，查询已暂停。请 10 分钟后再试，并核对申请编号和查询码。",
        )),
    }
}

/// `POST /track`: the form posts, so the secret stays out of addresses, logs and history. A
/// lookup changes nothing, so it needs no CSRF token.
pub async fn track_post(
    State(state): State<AppState>,
    Extension(limiter): Extension<RateLimiter>,
    extensions: Extensions,
    Form(q): Form<TrackQuery>,
) -> AppResult<Response> {
    track(&state, &limiter, crate::session::client_ip(&extensions), q).await
}
