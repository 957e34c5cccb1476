//! Accounts of an organ: list with roles, create with a role, reset password, deactivate,
//! reactivate, grant and revoke roles. Every write is one store transaction with its audit entry.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongkai_store::{NewUser, Password, Role, RoleGrant, StoreError, User, Username};
use serde::Deserialize;

use super::organs::{NoticeQuery, load};
use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::{AppError, AppResult};
use crate::guard::OrganChain;
use crate::session::CurrentUser;
use crate::state::AppState;

pub struct RoleRow {
    pub label: String,
    pub role: &'static str,
    pub department_id: String,
    /// Granted on this organ (only those can be revoked here).
    pub here: bool,
}

pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Where deadline reminders go; empty = none.
    pub email: String,
    pub active: bool,
    pub roles: Vec<RoleRow>,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    organ_id: i64,
    organ_name: String,
    users: Vec<UserRow>,
    can_manage: bool,
    role_options: Vec<(&'static str, &'static str)>,
    departments: Vec<(i64, String)>,
    error: Option<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    notice: Option<&str>,
    error: Option<String>,
) -> AppResult<Response> {
    let organ = load(state, organ_id).await?;
    let departments: Vec<(i64, String)> = state
        .store()
        .departments()
        .list(organ_id)
        .await?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut users = Vec::new();
    for u in state.store().users().list(organ_id).await? {
        let mut roles = Vec::new();
        for g in state.store().users().roles(u.id).await? {
            let mut label = g.role.label().to_owned();
            if g.organ_id != organ_id
                && let Some(o) = state.store().organs().get(g.organ_id).await?
            {
                label = format!("{label}（{}）", o.name);
            }
            if let Some(d) = g.department_id
                && let Some((_, name)) = departments.iter().find(|(id, _)| *id == d)
            {
                label = format!("{label}（{name}）");
            }
            roles.push(RoleRow {
                label,
                role: g.role.code(),
                department_id: g.department_id.map(|d| d.to_string()).unwrap_or_default(),
                here: g.organ_id == organ_id,
            });
        }
        users.push(UserRow {
            id: u.id,
            username: u.username.as_str().to_owned(),
            display_name: u.display_name,
            email: u.email.unwrap_or_default(),
            active: u.active,
            roles,
        });
    }
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = UsersPage {
        layout: Layout::admin(format!("用户：{}", organ.name), user).with_notice(notice),
        organ_id,
        organ_name: organ.name,
        users,
        can_manage: authz::allows(&user.roles, Permission::UserManage, chain),
        role_options: Role::ALL.iter().map(|r| (r.code(), r.label())).collect(),
        departments,
        error,
    };
    Ok((status, html(&page)?).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> AppResult<Response> {
    page(&state, &user, &chain, organ_id, q.ok.as_deref(), None).await
}

/// A user-fixable error re-renders the page with its message; the rest goes to the error page.
async fn finish(
    result: AppResult<&'static str>,
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
) -> AppResult<Response> {
    match result {
        Ok(notice) => Ok(
            Redirect::to(&format!("/admin/organs/{organ_id}/users?ok={notice}")).into_response(),
        ),
        Err(AppError::Store(e))
            if !e.is_internal() && !matches!(e, StoreError::NotFound { .. }) =>
        {
            page(
                state,
                user,
                chain,
                organ_id,
                None,
                Some(format!("{e}。请更正后重新提交。")),
            )
            .await
        }
        Err(AppError::BadRequest(msg)) => page(state, user, chain, organ_id, None, Some(msg)).await,
        Err(e) => Err(e),
    }
}

fn parse_role(code: &str) -> AppResult<Role> {
    Role::from_code(code.trim()).map_err(|e| AppError::Store(StoreError::from(e)))
}

fn parse_department(raw: &str) -> AppResult<Option<i64>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse()
        .map(Some)
        .map_err(|_| AppError::BadRequest("所选科室无效，请重新选择。".to_owned()))
}

/// The account `user_id`, if its home organ is `organ_id` (where the permission was checked).
async fn target(state: &AppState, organ_id: i64, user_id: i64) -> AppResult<User> {
    state
        .store()
        .users()
        .get(user_id)
        .await?
        .filter(|u| u.organ_id == organ_id)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    department_id: String,
}

pub async fn create(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path(organ_id): Path<i64>,
    Form(form): Form<CreateForm>,
) -> AppResult<Response> {
    let result = async {
        let username = Username::parse(&form.username).map_err(StoreError::from)?;
        let password = Password::new(&form.password, &username).map_err(StoreError::from)?;
        // Checked before the slow password hash, like the other fields.
        gongkai_store::users::parse_email(&form.email)?;
        let grant = RoleGrant {
            organ_id,
            role: parse_role(&form.role)?,
            department_id: parse_department(&form.department_id)?,
        };
        let new = NewUser {
            username,
            display_name: form.display_name.clone(),
            password,
            organ_id,
        };
        let hash = gongkai_store::password::hash_async(&new.password).await?;
        // The account and its first role in one transaction: no role-less account is left
        // behind if the grant fails.
        let mut tx = state.store().begin(&user.actor()).await?;
        let created = gongkai_store::users::create(&mut tx, &new, &hash).await?;
        gongkai_store::users::grant_role(&mut tx, created.id, &grant).await?;
        gongkai_store::users::set_email(&mut tx, created.id, Some(&form.email)).await?;
        tx.commit().await?;
        Ok("created")
    }
    .await;
    finish(result, &state, &user, &chain, organ_id).await
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    new_password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let result = async {
        let t = target(&state, organ_id, user_id).await?;
        state
            .store()
            .users()
            .set_password(&user.actor(), t.id, &form.new_password)
            .await?;
        Ok("password")
    }
    .await;
    finish(result, &state, &user, &chain, organ_id).await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sets or clears the address deadline reminders go to (empty = no reminders).
pub async fn set_email(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    let result = async {
        let t = target(&state, organ_id, user_id).await?;
        let changed = state
            .store()
            .users()
            .set_email(&user.actor(), t.id, Some(&form.email))
            .await?;
        Ok(if changed { "email" } else { "email_unchanged" })
    }
    .await;
    finish(result, &state, &user, &chain, organ_id).await
}

pub async fn deactivate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let result = async {
        let t = target(&state, organ_id, user_id).await?;
        if t.id == user.user.id {
            return Err(AppError::BadRequest(
                "不能停用自己的账号；如需停用，请由其他系统管理员操作。".to_owned(),
            ));
        }
        state
            .store()
            .users()
            .deactivate(&user.actor(), t.id)
            .await?;
        Ok("deactivated")
    }
    .await;
    finish(result, &state, &user, &chain, organ_id).await
}

pub async fn reactivate(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let result = async {
        let t = target(&state, organ_id, user_id).await?;
        state
            .store()
            .users()
            .reactivate(&user.actor(), t.id)
            .await?;
        Ok("reactivated")
    }
    .await;
    finish(result, &state, &user, &chain, organ_id).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    department_id: String,
}

pub async fn grant(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    change_role(
        &state,
        &user,
        &chain,
        organ_id,
        user_id,
        &form,
        RoleChange::Grant,
    )
    .await
}

pub async fn revoke(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
    Extension(OrganChain(chain)): Extension<OrganChain>,
    Path((organ_id, user_id)): Path<(i64, i64)>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    change_role(
        &state,
        &user,
        &chain,
        organ_id,
        user_id,
        &form,
        RoleChange::Revoke,
    )
    .await
}

#[derive(Clone, Copy)]
enum RoleChange {
    Grant,
    Revoke,
}

/// Grants or revokes one role of `user_id` in `organ_id` (audited by the store).
async fn change_role(
    state: &AppState,
    user: &CurrentUser,
    chain: &[i64],
    organ_id: i64,
    user_id: i64,
    form: &RoleForm,
    change: RoleChange,
) -> AppResult<Response> {
    let result = async {
        let t = target(state, organ_id, user_id).await?;
        let grant = RoleGrant {
            organ_id,
            role: parse_role(&form.role)?,
            department_id: parse_department(&form.department_id)?,
        };
        let users = state.store().users();
        Ok(match change {
            RoleChange::Grant if users.grant_role(&user.actor(), t.id, &grant).await? => "granted",
            RoleChange::Revoke if users.revoke_role(&user.actor(), t.id, &grant).await? => {
                "revoked"
            }
            _ => "unchanged",
        })
    }
    .await;
    finish(result, state, user, chain, organ_id).await
}
