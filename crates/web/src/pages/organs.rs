//! Organs in the back office: the tree, one organ, and editing the data that feeds its 指南.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::{CreditCode, NewOrgan, Organ, OrganContact, OrganKind, StoreError};
use serde::Deserialize;

use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

/// One row of the organ tree.
pub struct TreeRow {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub depth: usize,
    /// This organ and its ancestors, nearest first.
    pub chain: Vec<i64>,
}

/// The organs in tree order (parents before children, siblings by name as listed).
pub fn tree(organs: &[Organ]) -> Vec<TreeRow> {
    let mut children: HashMap<Option<i64>, Vec<&Organ>> = HashMap::new();
    let ids: std::collections::HashSet<i64> = organs.iter().map(|o| o.id).collect();
    for o in organs {
        // An organ whose parent is missing is shown as a root rather than hidden.
        let parent = o.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(o);
    }
    let mut rows = Vec::new();
    let mut stack: Vec<(&Organ, Vec<i64>)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|o| (*o, vec![o.id])).collect())
        .unwrap_or_default();
    while let Some((organ, chain)) = stack.pop() {
        if chain.len() > 64 {
            continue;
        }
        if let Some(kids) = children.get(&Some(organ.id)) {
            for kid in kids.iter().rev() {
                let mut c = vec![kid.id];
                c.extend(&chain);
                stack.push((kid, c));
            }
        }
        rows.push(TreeRow {
            id: organ.id,
            name: organ.name.clone(),
            kind: organ.kind.label(),
            depth: chain.len().saturating_sub(1).min(4),
            chain,
        });
    }
    rows
}

#[derive(Template)]
#[template(path = "organs.html")]
struct OrgansPage {
    layout: Layout,
    organs: Vec<TreeRow>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> AppResult<Html<String>> {
    let all = state.store().organs().list().await?;
    let organs = tree(&all)
        .into_iter()
        .filter(|row| authz::allows(&user.roles, Permission::OrganView, &row.chain))
        .collect();
    html(&OrgansPage {
        layout: Layout::admin("机关", &user),
        organs,
    })
}

#[derive(Template)]
#[template(path = "organ.html")]
struct OrganPage {
    layout: Layout,
    organ: Organ,
    can_edit: bool,
    can_create: bool,
    kinds: Vec<(&'static str, &'static str)>,
    can_users: bool,
    can_audit: bool,
    can_items: bool,
    can_applications: bool,
    can_reports: bool,
    can_supervise: bool,
    /// The organ has problems of a 通报 and the user may answer them.
    can_rectify: bool,
    can_reference: bool,
}

#[derive(Deserialize)]
pub struct NoticeQuery {
    pub ok: Option<String>,
}

pub async fn load(state: &AppState, organ_id: i64) -> AppResult<Organ> {
    state
        .store()
        .organs()
        .get(organ_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Html<String>> {
    let organ = load(&state, organ_id).await?;
    let can = |p| authz::allows(&user.roles, p, &chain);
    // The rectification page is linked only where there is something to answer.
    let can_rectify = can(Permission::Rectify)
        && state
            .store()
            .inspections()
            .has_notified_problems(organ_id)
            .await?;
    html(&OrganPage {
        layout: Layout::admin(organ.name.clone(), &user).with_notice(q.ok.as_deref()),
        can_edit: can(Permission::OrganEdit),
        can_create: can(Permission::OrganCreate),
        kinds: OrganKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        can_users: can(Permission::UserView),
        can_audit: can(Permission::AuditView),
        can_items: can(Permission::ItemView),
        can_applications: can(Permission::ApplicationView),
        can_reports: can(Permission::ReportView),
        can_supervise: can(Permission::Supervise),
        can_rectify,
        can_reference: can(Permission::ReferenceManage) && organ.parent_id.is_none(),
        organ,
    })
}

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub required: bool,
    pub hint: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "organ_edit.html")]
struct EditPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    fields: Vec<Field>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct OrganForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    credit_code: String,
    #[serde(default)]
    office_name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    postal_code: String,
    #[serde(default)]
    office_hours: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    fax: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
}

impl OrganForm {
    fn from_organ(o: &Organ) -> OrganForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        OrganForm {
            name: o.name.clone(),
            credit_code: o
                .credit_code
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            office_name: s(&o.contact.office_name),
            address: s(&o.contact.address),
            postal_code: s(&o.contact.postal_code),
            office_hours: s(&o.contact.office_hours),
            phone: s(&o.contact.phone),
            fax: s(&o.contact.fax),
            email: s(&o.contact.email),
            website: s(&o.contact.website),
        }
    }

    fn fields(self) -> Vec<Field> {
        let f = |name, label, value, required, hint| Field {
            name,
            label,
            value,
            required,
            hint,
        };
        vec![
            f("name", "机关名称", self.name, true, None),
            f(
                "credit_code",
                "统一社会信用代码",
                self.credit_code,
                false,
                Some("18 位，系统会核对校验位；也是索引号的前半部分"),
            ),
            f(
                "office_name",
                "政府信息公开工作机构名称",
                self.office_name,
                false,
                Some("例如：党政办公室"),
            ),
            f("address", "办公地址", self.address, false, None),
            f("postal_code", "邮政编码", self.postal_code, false, None),
            f(
                "office_hours",
                "办公时间",
                self.office_hours,
                false,
                Some("例如：工作日上午 8:30—12:00，下午 14:30—17:30（法定节假日除外）"),
            ),
            f("phone", "联系电话", self.phone, false, None),
            f("fax", "传真", self.fax, false, None),
            f("email", "电子邮箱", self.email, false, None),
            f("website", "网址", self.website, false, None),
        ]
    }

    fn contact(&self) -> OrganContact {
        let o = |v: &str| Some(v.to_owned()).filter(|s| !s.trim().is_empty());
        OrganContact {
            office_name: o(&self.office_name),
            address: o(&self.address),
            postal_code: o(&self.postal_code),
            office_hours: o(&self.office_hours),
            phone: o(&self.phone),
            fax: o(&self.fax),
            email: o(&self.email),
            website: o(&self.website),
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
) -> AppResult<Html<String>> {
    let organ = load(&state, organ_id).await?;
    html(&EditPage {
        layout: Layout::admin(format!("编辑：{}", organ.name), &user),
        organ_id,
        organ_name: organ.name.clone(),
        fields: OrganForm::from_organ(&organ).fields(),
        error: None,
    })
}

pub async fn edit_submit(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Form(form): Form<OrganForm>,
) -> AppResult<Response> {
    let organ = load(&state, organ_id).await?;
    match save(&state, &user, &organ, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/organs/{organ_id}?ok=saved")).into_response()),
        Err(AppError::Store(e)) if !e.is_internal() => {
            let page = EditPage {
                layout: Layout::admin(format!("编辑：{}", organ.name), &user),
                organ_id,
                organ_name: organ.name.clone(),
                fields: form.fields(),
                error: Some(format!("{e}。未保存任何修改，请更正后重新提交。")),
            };
            Ok((axum::http::StatusCode::BAD_REQUEST, html(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// Saves identity and contact in one transaction with their two audit entries.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    organ: &Organ,
    form: &OrganForm,
) -> AppResult<()> {
    let code = form.credit_code.trim();
    let credit_code = if code.is_empty() {
        None
    } else {
        Some(CreditCode::parse(code).map_err(StoreError::from)?)
    };
    let contact = form.contact();
    let mut tx = state.store().begin(&user.actor()).await?;
    let identity_changed = organ.name != form.name.trim() || organ.credit_code != credit_code;
    if identity_changed {
        gongkai_store::organs::update_identity(&mut tx, organ.id, &form.name, credit_code.as_ref())
            .await?;
    }
    if contact.cleaned().map_err(StoreError::from)? != organ.contact {
        gongkai_store::organs::update_contact(&mut tx, organ.id, &contact).await?;
    }
    // Nothing changed: the transaction has no audit entry, so roll it back rather than commit.
    if !identity_changed && contact.cleaned().map_err(StoreError::from)? == organ.contact {
        tx.rollback().await?;
        return Ok(());
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    credit_code: String,
}

/// Creates an organ below `organ_id` (audited `organ.create`), then shows it.
pub async fn create_child(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Path(organ_id): Path<i64>,
    Form(form): Form<ChildForm>,
) -> AppResult<Response> {
    let kind = OrganKind::from_code(form.kind.trim()).map_err(StoreError::from)?;
    let code = form.credit_code.trim();
    let credit_code = if code.is_empty() {
        None
    } else {
        Some(CreditCode::parse(code).map_err(StoreError::from)?)
    };
    let organ = state
        .store()
        .organs()
        .create(
            &user.actor(),
            &NewOrgan {
                parent_id: Some(organ_id),
                name: form.name.clone(),
                credit_code,
                kind,
                contact: OrganContact::default(),
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/organs/{}?ok=created", organ.id)).into_response())
}
