//! The back office of 依申请公开 (条例 Arts 27–35): the organ's open cases by due date, the staff
//! registration of applications received in person, by post, fax or e-mail (Art 31), and the case
//! page with its clock and the steps that move it (`show.rs`, `actions.rs`). The clock is the law
//! crate's, replayed by the store; permissions are the route table's (`ApplicationView`,
//! `ApplicationHandle`).

mod actions;
mod files;
mod ledger;
pub mod letters;
mod show;

pub use actions::{
    assign, consultation_end, consultation_start, corrected, correction, delivery, extension,
    fee_notice, fee_paid, opinion, reply, withdraw,
};
pub use files::{FormFile, attachment_download, attachment_upload, store_id_copies};
pub use ledger::ledger_xlsx;
pub use letters::{letter_download, letter_issue};
pub use show::show;

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_law::{ApplicantType, Channel, ProvisionForm};
use gongkai_store::{Application, OpenCase, OpenFilter, StoreError};
use serde::Deserialize;

use super::items::form::{Fields, parse_date};
use super::{Layout, html};
use crate::error::{AppError, AppResult};
use crate::intake::{FieldErrors, GENERAL, RawApplication, id_type_options};
use crate::session::CurrentUser;
use crate::state::AppState;

/// What the law requires on these screens, in one line.
pub const LAW_LINE: &str = "《政府信息公开条例》第三十三条：行政机关应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。";

/// Cases per page of the list.
const PER_PAGE: u32 = 50;

pub fn case_url(organ_id: i64, application_id: i64) -> String {
    format!("/admin/organs/{organ_id}/applications/{application_id}")
}

/// The case, if it belongs to `organ_id` (the route's organ decides the permission).
pub async fn load_case(
    state: &AppState,
    organ_id: i64,
    application_id: i64,
) -> AppResult<Application> {
    match state.store().applications().get(application_id).await? {
        Some(app) if app.organ_id == organ_id => Ok(app),
        _ => Err(AppError::NotFound),
    }
}

/// A user-fixable store error as its Chinese message; others pass on as errors. A stale
/// version gets the message the officer needs: someone else acted first.
pub fn user_message(e: StoreError) -> Result<String, AppError> {
    match e {
        StoreError::StaleVersion { current } => Ok(format!(
            "该申请已被他人处理（当前为第 {current} 版），本次操作未保存：请刷新页面，查看最新的办理记录后再操作"
        )),
        e if e.is_internal() => Err(AppError::Store(e)),
        e => Ok(e.to_string()),
    }
}

/// Names of the organ's 科室 by id.
async fn department_names(state: &AppState, organ_id: i64) -> AppResult<HashMap<i64, String>> {
    Ok(state
        .store()
        .departments()
        .list(organ_id)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect())
}

/// One line of the list.
pub struct ListLine {
    pub case: OpenCase,
    pub department: String,
}

#[derive(Template)]
#[template(path = "applications_list.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    lines: Vec<ListLine>,
    total: i64,
    page: u32,
    pages: i64,
    can_handle: bool,
    /// `""` all open cases, `"due"` due soon and overdue, `"mine"` this user's 科室.
    view: String,
    /// The query string of the current view for the page links (`&view=…`).
    view_query: String,
    due_soon_days: u32,
    /// The 科室 of this user in this organ (a 科室承办人), for "本科室任务".
    my_department: Option<String>,
    ledger_from: String,
    today: NaiveDate,
}

/// "Due soon" on the list: the reply is due within this many working days (or overdue).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: String,
    #[serde(default)]
    view: String,
    ok: Option<String>,
}

/// `GET …/applications`: the open cases, earliest reply due date first, personal data masked.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(crate::guard::OrganChain(chain)): Extension<crate::guard::OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let page = match q.page.trim() {
        "" => 1,
        p => p
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::BadRequest("页码应为正整数".to_owned()))?,
    };
    let names = department_names(&state, organ_id).await?;
    // A 科室承办人's 科室 in this organ: "本科室任务" lists the cases assigned to it.
    let my_department_id = user
        .roles
        .iter()
        .filter(|g| g.organ_id == organ_id)
        .find_map(|g| g.department_id);
    let today = state.today();
    let mut filter = OpenFilter::default();
    let view = match q.view.as_str() {
        "due" => {
            filter.due_by = Some(
                state
                    .calendar()
                    .add_working_days(today, DUE_SOON_WORKING_DAYS)
                    .unwrap_or(today),
            );
            "due"
        }
        "mine" => {
            let Some(d) = my_department_id else {
                return Err(AppError::BadRequest(
                    "您的账号没有所属科室，无法查看本科室任务；请由系统管理员在账号中设置科室"
                        .to_owned(),
                ));
            };
            filter.department_id = Some(d);
            "mine"
        }
        _ => "",
    };
    let open = state
        .store()
        .applications()
        .list_open_filtered(organ_id, &filter, page, PER_PAGE, state.calendar())
        .await?;
    let lines = open
        .cases
        .into_iter()
        .map(|case| ListLine {
            department: case
                .case
                .department_id
                .and_then(|d| names.get(&d).cloned())
                .unwrap_or_default(),
            case,
        })
        .collect();
    let per_page = i64::from(open.per_page.max(1));
    let page = ListPage {
        layout: Layout::admin(format!("依申请公开：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        lines,
        total: open.total,
        page: open.page,
        pages: ((open.total + per_page - 1) / per_page).max(1),
        can_handle: crate::authz::allows(
            &user.roles,
            crate::authz::Permission::ApplicationHandle,
            &chain,
        ),
        view_query: if view.is_empty() {
            String::new()
        } else {
            format!("&view={view}")
        },
        view: view.to_owned(),
        due_soon_days: DUE_SOON_WORKING_DAYS,
        my_department: my_department_id.and_then(|d| names.get(&d).cloned()),
        ledger_from: format!("{}-01-01", today.format("%Y")),
        today,
    };
    Ok(html(&page)?.into_response())
}

/// One `<option>` or radio button.
pub struct Choice {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

fn choices(options: Vec<(&'static str, String)>, current: &str) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            value,
            selected: value == current,
            label,
        })
        .collect()
}

/// The channels staff register, each with its Art 31 rule (the portal's own form is `Online`;
/// here it stands for other internet channels, e.g. a 12345 transfer or a 政务网站 message).
fn channel_key(c: Channel) -> &'static str {
    match c {
        Channel::InPerson => "in_person",
        Channel::PostSigned => "post_signed",
        Channel::PostOrdinary => "post_ordinary",
        Channel::Online => "online",
        Channel::Fax => "fax",
        Channel::Email => "email",
    }
}

fn channel_from_key(key: &str) -> Option<Channel> {
    Channel::ALL.into_iter().find(|c| channel_key(*c) == key)
}

/// The 收到申请之日 (Art 31, decided by the law crate), with the form field a problem belongs to.
fn receipt_date(
    channel: Channel,
    arrived_on: NaiveDate,
    confirmed_on: Option<NaiveDate>,
) -> Result<NaiveDate, (&'static str, String)> {
    channel
        .receipt_date(arrived_on, confirmed_on)
        .map_err(|e| ("confirmed_on", e.to_string()))
}

#[derive(Template)]
#[template(path = "application_new.html")]
struct NewPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    form: RawApplication,
    arrived_on: String,
    confirmed_on: String,
    channels: Vec<Choice>,
    applicant_types: Vec<Choice>,
    id_types: Vec<Choice>,
    provision_forms: Vec<Choice>,
    errors: FieldErrors,
}

impl NewPage {
    fn err(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

struct Entered {
    form: RawApplication,
    channel: String,
    arrived_on: String,
    confirmed_on: String,
}

fn new_page(
    user: &CurrentUser,
    organ_id: i64,
    organ_name: String,
    entered: Entered,
    errors: FieldErrors,
) -> NewPage {
    let channels = Channel::ALL
        .iter()
        .map(|c| (channel_key(*c), c.description()))
        .collect();
    let applicant_types = ApplicantType::ALL
        .iter()
        .map(|t| (t.column_key(), t.description().to_owned()))
        .collect();
    let provision_forms = ProvisionForm::ALL
        .iter()
        .map(|f| (f.key(), f.label().to_owned()))
        .collect();
    let id_types = id_type_options()
        .into_iter()
        .map(|(k, l)| (k, l.to_owned()))
        .collect();
    NewPage {
        layout: Layout::admin("登记依申请公开申请", user),
        law: LAW_LINE,
        organ_id,
        organ_name,
        channels: choices(channels, entered.channel.trim()),
        applicant_types: choices(applicant_types, entered.form.applicant_type.trim()),
        id_types: choices(id_types, entered.form.id_type.trim()),
        provision_forms: choices(provision_forms, entered.form.provision_form.trim()),
        form: entered.form,
        arrived_on: entered.arrived_on,
        confirmed_on: entered.confirmed_on,
        errors,
    }
}

/// `GET …/applications/new`: the registration form.
pub async fn new_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let entered = Entered {
        form: RawApplication::default(),
        channel: String::new(),
        arrived_on: state.today().to_string(),
        confirmed_on: String::new(),
    };
    Ok(html(&new_page(
        &user,
        organ_id,
        organ.name,
        entered,
        FieldErrors::new(),
    ))?
    .into_response())
}

/// `POST …/applications/new`: the same field checks as the public form, then the Art 31 receipt
/// date for the channel; the store validates again and writes with its audit entry.
pub async fn new_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let f = Fields::parse(&body);
    let entered = Entered {
        form: RawApplication {
            applicant_type: f.get("applicant_type").to_owned(),
            name: f.get("name").to_owned(),
            id_type: f.get("id_type").to_owned(),
            id_number: f.get("id_number").to_owned(),
            phone: f.get("phone").to_owned(),
            email: f.get("email").to_owned(),
            address: f.get("address").to_owned(),
            description: f.get("description").to_owned(),
            provision_form: f.get("provision_form").to_owned(),
            delivery: f.get("delivery").to_owned(),
        },
        channel: f.get("channel").to_owned(),
        arrived_on: f.get("arrived_on").to_owned(),
        confirmed_on: f.get("confirmed_on").to_owned(),
    };
    let mut errors = FieldErrors::new();
    let validated = entered.form.validate(state.today());
    if let Err(e) = &validated {
        errors.extend(e.iter().map(|(k, v)| (*k, v.clone())));
    }
    let channel = channel_from_key(entered.channel.trim());
    if channel.is_none() {
        errors.insert(
            "channel",
            "请选择收到申请的渠道（条例第三十一条）".to_owned(),
        );
    }
    let arrived = parse_date("收到日期", &entered.arrived_on)
        .map_err(|m| errors.insert("arrived_on", m))
        .ok();
    let confirmed = match entered.confirmed_on.trim() {
        "" => None,
        t => parse_date("确认日期", t)
            .map_err(|m| errors.insert("confirmed_on", m))
            .ok(),
    };
    let received_on = match (channel, arrived) {
        (Some(c), Some(a)) => match receipt_date(c, a, confirmed) {
            Ok(d) => Some(d),
            Err((field, m)) => {
                errors.insert(field, m);
                None
            }
        },
        _ => None,
    };
    let (Ok(mut new), Some(channel), Some(received_on), true) =
        (validated, channel, received_on, errors.is_empty())
    else {
        let page = new_page(&user, organ_id, organ.name, entered, errors);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    new.channel = channel;
    new.received_on = received_on;
    match state
        .store()
        .applications()
        .create(&user.actor(), organ_id, &new, state.calendar())
        .await
    {
        // The secret exists only now (the store keeps its hash): show it once, to be written
        // on the receipt given to the applicant, so that they can follow the case at /track.
        Ok((app, secret)) => {
            let page = RegisteredPage {
                layout: Layout::admin("申请已登记", &user),
                tracking_no: app.tracking_no.clone(),
                secret,
                due_on: app.due_on.map(|d| d.to_string()).unwrap_or_default(),
                case_url: case_url(organ_id, app.id),
            };
            let mut response = html(&page)?.into_response();
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(e) => {
            let message = user_message(e)?;
            errors.insert(GENERAL, message);
            let page = new_page(&user, organ_id, organ.name, entered, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
    }
}

/// Shown once after staff register an application: the tracking number and secret for the
/// applicant's receipt (the secret cannot be shown again).
#[derive(Template)]
#[template(path = "application_registered.html")]
struct RegisteredPage {
    layout: Layout,
    tracking_no: String,
    secret: String,
    due_on: String,
    case_url: String,
}
