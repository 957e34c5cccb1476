//! Every route of the application. Back-office routes come from ONE table of (method, path,
//! permission, handler); each is wrapped in the guard with its permission, so no back-office
//! handler can be reached without the session, authorization and CSRF checks, and a test can
//! enumerate the table ([`admin_route_table`]).

use axum::Router;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use axum::routing::{MethodRouter, get, post};

use crate::authz::Permission;
use crate::guard::{Guard, guard};
use crate::pages::{account, audit, dashboard, departments, guide, login, organs, portal, users};
use crate::state::AppState;
use crate::{health, metrics, security_headers};

/// One back-office route, as the route × role test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminRoute {
    pub method: Method,
    pub path: &'static str,
    pub permission: Permission,
}

type Entry = (Method, &'static str, Permission, MethodRouter<AppState>);

fn table() -> Vec<Entry> {
    use Permission as P;
    let g = Method::GET;
    let p = Method::POST;
    vec![
        (g.clone(), "/admin/login", P::Public, get(login::form)),
        (p.clone(), "/admin/login", P::Public, post(login::submit)),
        (
            p.clone(),
            "/admin/logout",
            P::Authenticated,
            post(login::logout),
        ),
        (g.clone(), "/admin", P::Authenticated, get(dashboard::show)),
        (
            g.clone(),
            "/admin/account/password",
            P::Authenticated,
            get(account::form),
        ),
        (
            p.clone(),
            "/admin/account/password",
            P::Authenticated,
            post(account::submit),
        ),
        (
            g.clone(),
            "/admin/organs",
            P::Authenticated,
            get(organs::list),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}",
            P::OrganView,
            get(organs::show),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/edit",
            P::OrganEdit,
            get(organs::edit_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/edit",
            P::OrganEdit,
            post(organs::edit_submit),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/children",
            P::OrganCreate,
            post(organs::create_child),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/departments",
            P::DepartmentView,
            get(departments::list),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/departments",
            P::DepartmentManage,
            post(departments::create),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/departments/{department_id}/rename",
            P::DepartmentManage,
            post(departments::rename),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/users",
            P::UserView,
            get(users::list),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users",
            P::UserManage,
            post(users::create),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users/{user_id}/password",
            P::UserManage,
            post(users::reset_password),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users/{user_id}/deactivate",
            P::UserManage,
            post(users::deactivate),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users/{user_id}/reactivate",
            P::UserManage,
            post(users::reactivate),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users/{user_id}/roles/grant",
            P::UserManage,
            post(users::grant),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/users/{user_id}/roles/revoke",
            P::UserManage,
            post(users::revoke),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/audit",
            P::AuditView,
            get(audit::list),
        ),
        (
            g,
            "/admin/organs/{organ_id}/audit/verify",
            P::AuditView,
            get(audit::verify),
        ),
    ]
}

/// The back-office routes with their permissions (for tests and documentation).
pub fn admin_route_table() -> Vec<AdminRoute> {
    table()
        .into_iter()
        .map(|(method, path, permission, _)| AdminRoute {
            method,
            path,
            permission,
        })
        .collect()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let mut admin: Router<AppState> = Router::new();
    for (_, path, permission, handler) in table() {
        let guarded = handler.route_layer(from_fn_with_state(
            Guard {
                state: state.clone(),
                permission,
            },
            guard,
        ));
        admin = admin.route(path, guarded);
    }
    Router::new()
        .route("/", get(portal::index))
        .route("/organs/{id}", get(portal::home))
        .route("/organs/{id}/guide", get(portal::guide))
        .route("/organs/{id}/rules", get(portal::rules))
        .route("/organs/{id}/proactive", get(portal::proactive))
        .route("/organs/{id}/reports", get(portal::reports))
        .route("/organs/{id}/apply", get(portal::apply))
        .route("/guide/{slug}", get(guide::page))
        .route("/static/app.css", get(guide::stylesheet))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(admin)
        .fallback(crate::pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::guard::FORM_LIMIT,
        ))
        .layer(axum::middleware::from_fn(crate::pages::chinese_rejections))
        .layer(axum::middleware::from_fn(security_headers::add))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}
