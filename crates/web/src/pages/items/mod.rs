//! The back office of proactive disclosure (主动公开): the organ's item lists, the Art 26 due list,
//! the item form (采编), the item page with its workflow steps (审核/保密审查 → 发布, 退回, 不予公开,
//! 复查, 修订, 撤回, 有效性) and attachments. Legal decisions are the law crate's; permissions are
//! the route table's (`ItemView`, `ItemWrite`, `ItemReview`); the workflow state checks are made
//! by the store inside each step's transaction.

mod actions;
pub mod form;
mod reference;
mod show;

pub use actions::{
    approve, attach, change_validity, keep_withheld, reject, release, submit, withdraw, withhold,
};
pub use reference::{reference_add, reference_list, reference_toggle};
pub use show::show;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gongkai_law::{Art20Item, Genre, ItemState, PublicationChannel, Validity};
use gongkai_store::{
    EditorialRights, Item, ItemSummary, ReferenceKind, RevisionInput, StoreError, WorkFilter,
};
use serde::Deserialize;

use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;
use form::{Fields, content_from};

/// What the law requires on these screens, in one line (shown at the top of each).
pub const LAW_LINE: &str = "《政府信息公开条例》第二十六条：属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开；第十七条：公开前须经保密审查。";

/// The rights of `user` on the organ whose chain is `chain`, for a new item.
pub fn rights(user: &CurrentUser, chain: &[i64]) -> EditorialRights {
    EditorialRights {
        can_write: authz::allows(&user.roles, Permission::ItemWrite, chain),
        can_review: authz::allows(&user.roles, Permission::ItemReview, chain),
    }
}

/// The rights of `user` on `item`: a 科室承办人 whose only writing role is for one 科室 writes
/// that 科室's items only (their role is to handle their own unit's information).
pub fn rights_on(user: &CurrentUser, chain: &[i64], item: &Item) -> EditorialRights {
    let mut r = rights(user, chain);
    if let Some(department) = write_department(user, chain) {
        r.can_write &= item.content.department_id == Some(department);
    }
    r
}

/// The one 科室 a user may write for, when every role that lets them write on this organ is a
/// 科室承办人 role bound to that 科室; `None` when they may write for the whole organ.
pub fn write_department(user: &CurrentUser, chain: &[i64]) -> Option<i64> {
    let writing: Vec<_> = user
        .roles
        .iter()
        .filter(|g| authz::allows(std::slice::from_ref(*g), Permission::ItemWrite, chain))
        .collect();
    let first = writing.first()?;
    let department = first.department_id?;
    writing
        .iter()
        .all(|g| g.role == gongkai_store::Role::Handler && g.department_id == Some(department))
        .then_some(department)
}

/// The item, if it belongs to `organ_id` (the route's organ decides the permission, so an item
/// of another organ is "not found" here).
pub async fn load_item(state: &AppState, organ_id: i64, item_id: i64) -> AppResult<Item> {
    match state.store().items().get(item_id).await? {
        Some(item) if item.organ_id == organ_id => Ok(item),
        _ => Err(AppError::NotFound),
    }
}

/// A user-fixable store error as its message; others pass on as errors.
pub fn user_message(e: StoreError) -> Result<String, AppError> {
    if e.is_internal() {
        Err(AppError::Store(e))
    } else {
        Ok(e.to_string())
    }
}

pub fn item_url(organ_id: i64, item_id: i64) -> String {
    format!("/admin/organs/{organ_id}/items/{item_id}")
}

fn state_options() -> Vec<(&'static str, &'static str)> {
    ItemState::ALL
        .iter()
        .map(|s| (s.key(), s.label()))
        .collect()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
    ok: Option<String>,
}

#[derive(Template)]
#[template(path = "items_list.html")]
struct ListPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    items: Vec<ItemSummary>,
    total: i64,
    page: u32,
    pages: u32,
    state: String,
    q: String,
    states: Vec<(&'static str, &'static str)>,
    can_write: bool,
    can_import: bool,
    in_review: i64,
    due_soon: usize,
    overdue: usize,
    today: NaiveDate,
}

/// The organ's items for staff, by state, newest change first.
pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let organ = super::organs::load(&state, organ_id).await?;
    let filter_state = match q.state.as_str() {
        "" => None,
        key => Some(
            ItemState::from_key(key)
                .ok_or_else(|| AppError::BadRequest(format!("未知的状态“{key}”")))?,
        ),
    };
    let page = match q.page.trim() {
        "" => 1,
        p => p
            .parse::<u32>()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| AppError::BadRequest("页码应为正整数".to_owned()))?,
    };
    let items = state.store().items();
    let listing = items
        .list_work(&WorkFilter {
            organ_id,
            state: filter_state,
            department_id: None,
            title: Some(q.q.clone()),
            page,
            per_page: 20,
        })
        .await?;
    let in_review = items
        .list_work(&WorkFilter {
            organ_id,
            state: Some(ItemState::InReview),
            per_page: 1,
            ..WorkFilter::default()
        })
        .await?
        .total;
    let today = state.today();
    let horizon = state
        .calendar()
        .add_working_days(today, DUE_SOON_WORKING_DAYS)
        .unwrap_or(today);
    let due = items.due_by(organ_id, horizon).await?;
    let overdue = due.iter().filter(|i| i.due_on < today).count();
    let pages = listing.pages().max(1);
    let page = ListPage {
        layout: Layout::admin(format!("主动公开信息：{}", organ.name), &user)
            .with_notice(q.ok.as_deref()),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        total: listing.total,
        page: listing.page,
        pages,
        items: listing.items,
        state: q.state,
        q: q.q,
        states: state_options(),
        can_write: authz::allows(&user.roles, Permission::ItemWrite, &chain),
        can_import: authz::allows(&user.roles, Permission::ItemImport, &chain),
        in_review,
        due_soon: due.len() - overdue,
        overdue,
        today,
    };
    Ok(html(&page)?.into_response())
}

/// Refusal shown to a 科室承办人 choosing another 科室.
const OWN_DEPARTMENT_ONLY: &str =
    "科室承办人只能采编本科室的信息：请在“承办科室”中选择本科室，或请信息公开专员办理";

fn department_allowed(
    user: &CurrentUser,
    chain: &[i64],
    content: &gongkai_store::ItemContent,
) -> bool {
    write_department(user, chain).is_none_or(|d| content.department_id == Some(d))
}

/// Items due within this many working days are listed as "due soon" (an early warning; the law
/// sets only the 20-day period itself).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

#[derive(Template)]
#[template(path = "items_due.html")]
struct DuePage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    today: NaiveDate,
    horizon: NaiveDate,
    overdue: Vec<ItemSummary>,
    due_soon: Vec<ItemSummary>,
    rereview: Vec<ItemSummary>,
    missing_interpretations: Vec<ItemSummary>,
    year: i32,
    published: i64,
    on_time: i64,
    late: i64,
    on_time_percent: String,
    channels: Vec<(String, i64)>,
}

/// The Art 26 due list, the Art 18 re-review list, documents without 解读, and this year's figures.
pub async fn due(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
) -> AppResult<Response> {
    use chrono::Datelike;
    let organ = super::organs::load(&state, organ_id).await?;
    let items = state.store().items();
    let today = state.today();
    let horizon = state
        .calendar()
        .add_working_days(today, DUE_SOON_WORKING_DAYS)
        .unwrap_or(today);
    let (overdue, due_soon): (Vec<_>, Vec<_>) = items
        .due_by(organ_id, horizon)
        .await?
        .into_iter()
        .partition(|i| i.due_on < today);
    let year = today.year();
    let tally = items.timeliness(organ_id, year).await?;
    let on_time_percent = tally
        .on_time_per_mille()
        .map(|m| format!("{}.{}%", m / 10, m % 10))
        .unwrap_or_else(|| "—".to_owned());
    let page = DuePage {
        layout: Layout::admin(format!("到期提醒：{}", organ.name), &user),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        today,
        horizon,
        overdue,
        due_soon,
        rereview: items.rereview_due(organ_id, today).await?,
        missing_interpretations: items.missing_interpretations(organ_id).await?,
        year,
        published: tally.published,
        on_time: tally.on_time,
        late: tally.late(),
        on_time_percent,
        channels: items
            .channel_counts(organ_id, year)
            .await?
            .into_iter()
            .map(|(c, n)| (c.label().to_owned(), n))
            .collect(),
    };
    Ok(html(&page)?.into_response())
}

/// The choices of the item form.
pub struct FormOptions {
    pub genres: Vec<(&'static str, &'static str)>,
    pub channels: Vec<(&'static str, &'static str)>,
    pub validities: Vec<(&'static str, &'static str)>,
    pub art20: Vec<(String, String)>,
    pub topics: Vec<String>,
    pub domains: Vec<String>,
    pub departments: Vec<(i64, String)>,
    pub documents: Vec<(i64, String)>,
}

async fn form_options(state: &AppState, organ_id: i64) -> AppResult<FormOptions> {
    let items = state.store().items();
    Ok(FormOptions {
        genres: Genre::ALL.iter().map(|g| (g.key(), g.label())).collect(),
        channels: PublicationChannel::ALL
            .iter()
            .map(|c| (c.key(), c.label()))
            .collect(),
        validities: Validity::ALL.iter().map(|v| (v.key(), v.label())).collect(),
        art20: Art20Item::all()
            .map(|a| {
                (
                    a.number().to_string(),
                    format!("{} {}", a.ordinal(), a.text()),
                )
            })
            .collect(),
        topics: items
            .reference_terms(ReferenceKind::Topic, false)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        domains: items
            .reference_terms(ReferenceKind::Domain, false)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect(),
        departments: state
            .store()
            .departments()
            .list(organ_id)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect(),
        documents: items
            .interpretable_documents(organ_id)
            .await?
            .into_iter()
            .map(|d| (d.id, d.title))
            .collect(),
    })
}

/// The values the form shows (from an item, or as submitted after an error).
#[derive(Default)]
pub struct FormValues {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub genre: String,
    pub topic: String,
    pub domain: String,
    pub art20_item: String,
    pub doc_no: String,
    pub keywords: String,
    pub formed_on: String,
    pub validity: String,
    pub interprets_item_id: String,
    pub department_id: String,
    pub channels: Vec<String>,
    pub reason: String,
}

impl FormValues {
    fn from_fields(f: &Fields) -> FormValues {
        FormValues {
            title: f.get("title").to_owned(),
            summary: f.get("summary").to_owned(),
            body: f.get("body").to_owned(),
            genre: f.get("genre").to_owned(),
            topic: f.get("topic").to_owned(),
            domain: f.get("domain").to_owned(),
            art20_item: f.get("art20_item").to_owned(),
            doc_no: f.get("doc_no").to_owned(),
            keywords: f.get("keywords").to_owned(),
            formed_on: f.get("formed_on").to_owned(),
            validity: f.get("validity").to_owned(),
            interprets_item_id: f.get("interprets_item_id").to_owned(),
            department_id: f.get("department_id").to_owned(),
            channels: f.all("channels").into_iter().map(str::to_owned).collect(),
            reason: f.get("reason").to_owned(),
        }
    }

    fn from_item(item: &Item) -> FormValues {
        let c = &item.content;
        FormValues {
            title: c.title.clone(),
            summary: c.summary.clone(),
            body: c.body_html.clone(),
            genre: c.genre.key().to_owned(),
            topic: c.topic.clone(),
            domain: c.domain.clone().unwrap_or_default(),
            art20_item: c
                .art20_item
                .map(|a| a.number().to_string())
                .unwrap_or_default(),
            doc_no: c.doc_no.clone().unwrap_or_default(),
            keywords: c.keywords.clone(),
            formed_on: c.formed_on.to_string(),
            validity: c.validity.map(|v| v.key().to_owned()).unwrap_or_default(),
            interprets_item_id: c
                .interprets_item_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            department_id: c.department_id.map(|i| i.to_string()).unwrap_or_default(),
            channels: c.channels.iter().map(|c| c.key().to_owned()).collect(),
            reason: String::new(),
        }
    }

    pub fn has_channel(&self, key: &str) -> bool {
        self.channels.iter().any(|c| c == key)
    }
}

/// What the form is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    New,
    Edit,
    Revise,
}

#[derive(Template)]
#[template(path = "item_form.html")]
struct FormPage {
    layout: Layout,
    law: &'static str,
    organ_id: i64,
    organ_name: String,
    heading: String,
    action: String,
    revise: bool,
    values: FormValues,
    options: FormOptions,
    errors: Vec<String>,
}

async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    organ_id: i64,
    mode: FormMode,
    item_id: Option<i64>,
    values: FormValues,
    errors: Vec<String>,
) -> AppResult<Response> {
    let organ = super::organs::load(state, organ_id).await?;
    let (heading, action) = match (mode, item_id) {
        (FormMode::New, _) | (_, None) => (
            "新建信息（采编）".to_owned(),
            format!("/admin/organs/{organ_id}/items/new"),
        ),
        (FormMode::Edit, Some(id)) => (
            "修改草稿".to_owned(),
            format!("{}/edit", item_url(organ_id, id)),
        ),
        (FormMode::Revise, Some(id)) => (
            "修订已发布信息".to_owned(),
            format!("{}/revise", item_url(organ_id, id)),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let page = FormPage {
        layout: Layout::admin(heading.clone(), user),
        law: LAW_LINE,
        organ_id,
        organ_name: organ.name,
        heading,
        action,
        revise: mode == FormMode::Revise,
        values,
        options: form_options(state, organ_id).await?,
        errors,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
) -> AppResult<Response> {
    // A 科室承办人 writes for their 科室: preselect it.
    let department_id = write_department(&user, &chain)
        .map(|d| d.to_string())
        .unwrap_or_default();
    let values = FormValues {
        genre: Genre::WorkUpdate.key().to_owned(),
        formed_on: state.today().to_string(),
        channels: vec![PublicationChannel::Column.key().to_owned()],
        department_id,
        ..FormValues::default()
    };
    form_page(
        &state,
        &user,
        organ_id,
        FormMode::New,
        None,
        values,
        Vec::new(),
    )
    .await
}

pub async fn new_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    body: Bytes,
) -> AppResult<Response> {
    let fields = Fields::parse(&body);
    let content = match content_from(&fields) {
        Ok(c) if !department_allowed(&user, &chain, &c) => {
            let values = FormValues::from_fields(&fields);
            let errors = vec![OWN_DEPARTMENT_ONLY.to_owned()];
            return form_page(&state, &user, organ_id, FormMode::New, None, values, errors).await;
        }
        Ok(c) => c,
        Err(errors) => {
            let values = FormValues::from_fields(&fields);
            return form_page(&state, &user, organ_id, FormMode::New, None, values, errors).await;
        }
    };
    match state
        .store()
        .items()
        .create(&user.actor(), organ_id, &content, state.calendar())
        .await
    {
        Ok(item) => Ok(
            Redirect::to(&format!("{}?ok=item_created", item_url(organ_id, item.id)))
                .into_response(),
        ),
        Err(e) => {
            let message = user_message(e)?;
            let values = FormValues::from_fields(&fields);
            form_page(
                &state,
                &user,
                organ_id,
                FormMode::New,
                None,
                values,
                vec![message],
            )
            .await
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, item_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let item = load_item(&state, organ_id, item_id).await?;
    let mode = if item.state == ItemState::Published {
        FormMode::Revise
    } else {
        FormMode::Edit
    };
    let values = FormValues::from_item(&item);
    form_page(
        &state,
        &user,
        organ_id,
        mode,
        Some(item_id),
        values,
        Vec::new(),
    )
    .await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, item_id)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    save(
        &state,
        &user,
        &chain,
        organ_id,
        item_id,
        FormMode::Edit,
        &body,
    )
    .await
}

pub async fn revise_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path((organ_id, item_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let item = load_item(&state, organ_id, item_id).await?;
    let values = FormValues::from_item(&item);
    form_page(
        &state,
        &user,
        organ_id,
        FormMode::Revise,
        Some(item_id),
        values,
        Vec::new(),
    )
    .await
}

pub async fn revise_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, item_id)): Path<(i64, i64)>,
    body: Bytes,
) -> AppResult<Response> {
    save(
        &state,
        &user,
        &chain,
        organ_id,
        item_id,
        FormMode::Revise,
        &body,
    )
    .await
}

async fn save(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    item_id: i64,
    mode: FormMode,
    body: &[u8],
) -> AppResult<Response> {
    let item = load_item(state, organ_id, item_id).await?;
    let fields = Fields::parse(body);
    let content = match content_from(&fields) {
        Ok(c) if !department_allowed(user, chain, &c) => {
            let values = FormValues::from_fields(&fields);
            let errors = vec![OWN_DEPARTMENT_ONLY.to_owned()];
            return form_page(state, user, organ_id, mode, Some(item_id), values, errors).await;
        }
        Ok(c) => c,
        Err(errors) => {
            let values = FormValues::from_fields(&fields);
            return form_page(state, user, organ_id, mode, Some(item_id), values, errors).await;
        }
    };
    let items = state.store().items();
    let rights = rights_on(user, chain, &item);
    let result = match mode {
        FormMode::Revise => {
            let input = RevisionInput {
                content,
                reason: fields.get("reason").to_owned(),
            };
            items
                .revise(&user.actor(), item_id, rights, &input, state.calendar())
                .await
                .map(|_| "item_revised")
        }
        FormMode::Edit | FormMode::New => items
            .edit(&user.actor(), item_id, rights, &content, state.calendar())
            .await
            .map(|_| "item_saved"),
    };
    match result {
        Ok(code) => {
            state.search_changed();
            Ok(Redirect::to(&format!("{}?ok={code}", item_url(organ_id, item_id))).into_response())
        }
        Err(e) => {
            let message = user_message(e)?;
            let values = FormValues::from_fields(&fields);
            form_page(
                state,
                user,
                organ_id,
                mode,
                Some(item_id),
                values,
                vec![message],
            )
            .await
        }
    }
}
