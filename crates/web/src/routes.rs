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
use crate::pages::{
    account, applications, audit, batch_audits, challenges, column, dashboard, departments, feeds,
    guide, items, letter_templates, login, organs, portal, reports, users,
};
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
            "/admin/organs/{organ_id}/users/{user_id}/email",
            P::UserManage,
            post(users::set_email),
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
            g.clone(),
            "/admin/organs/{organ_id}/items/import",
            P::ItemImport,
            get(crate::pages::item_import::form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/import",
            P::ItemImport,
            post(crate::pages::item_import::submit),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items",
            P::ItemView,
            get(items::list),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items/due",
            P::ItemView,
            get(items::due),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items/new",
            P::ItemWrite,
            get(items::new_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/new",
            P::ItemWrite,
            post(items::new_submit),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items/{item_id}",
            P::ItemView,
            get(items::show),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/edit",
            P::ItemWrite,
            get(items::edit_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/edit",
            P::ItemWrite,
            post(items::edit_submit),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/submit",
            P::ItemWrite,
            post(items::submit),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/attachments",
            P::ItemWrite,
            post(items::attach),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/approve",
            P::ItemReview,
            post(items::approve),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/reject",
            P::ItemReview,
            post(items::reject),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/withhold",
            P::ItemReview,
            post(items::withhold),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/release",
            P::ItemReview,
            post(items::release),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/keep-withheld",
            P::ItemReview,
            post(items::keep_withheld),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/revise",
            P::ItemReview,
            get(items::revise_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/revise",
            P::ItemReview,
            post(items::revise_submit),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/withdraw",
            P::ItemReview,
            post(items::withdraw),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/items/{item_id}/validity",
            P::ItemReview,
            post(items::change_validity),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reference",
            P::ReferenceManage,
            get(items::reference_list),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reference",
            P::ReferenceManage,
            post(items::reference_add),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reference/{term_id}/active",
            P::ReferenceManage,
            post(items::reference_toggle),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications",
            P::ApplicationView,
            get(applications::list),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications/new",
            P::ApplicationHandle,
            get(applications::new_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/new",
            P::ApplicationHandle,
            post(applications::new_submit),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}",
            P::ApplicationView,
            get(applications::show),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/correction",
            P::ApplicationHandle,
            post(applications::correction),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/corrected",
            P::ApplicationHandle,
            post(applications::corrected),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/extension",
            P::ApplicationHandle,
            post(applications::extension),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/consultation/start",
            P::ApplicationHandle,
            post(applications::consultation_start),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/consultation/end",
            P::ApplicationHandle,
            post(applications::consultation_end),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/withdraw",
            P::ApplicationHandle,
            post(applications::withdraw),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/reply",
            P::ApplicationHandle,
            post(applications::reply),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/assign",
            P::ApplicationHandle,
            post(applications::assign),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/fee-notice",
            P::ApplicationHandle,
            post(applications::fee_notice),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/fee-paid",
            P::ApplicationHandle,
            post(applications::fee_paid),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/delivery",
            P::ApplicationHandle,
            post(applications::delivery),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/opinion",
            P::ApplicationHandle,
            post(applications::opinion),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/attachments",
            P::ApplicationHandle,
            post(applications::attachment_upload),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/attachments/{attachment_id}",
            P::ApplicationHandle,
            get(applications::attachment_download),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/letters",
            P::ApplicationHandle,
            post(applications::letter_issue),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications/{application_id}/letters/{letter_id}/{format}",
            P::ApplicationHandle,
            get(applications::letter_download),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/letter-templates",
            P::OrganEdit,
            get(letter_templates::list),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/letter-templates/{template}",
            P::OrganEdit,
            get(letter_templates::edit_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/letter-templates/{template}",
            P::OrganEdit,
            post(letter_templates::save),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/applications-ledger.xlsx",
            P::ApplicationView,
            get(applications::ledger_xlsx),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/challenges",
            P::ApplicationView,
            get(challenges::list),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/challenges/new",
            P::ApplicationHandle,
            get(challenges::new_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/challenges/new",
            P::ApplicationHandle,
            post(challenges::new_submit),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/challenges/{challenge_id}",
            P::ApplicationView,
            get(challenges::show),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/challenges/{challenge_id}/edit",
            P::ApplicationHandle,
            get(challenges::edit_form),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/challenges/{challenge_id}/edit",
            P::ApplicationHandle,
            post(challenges::edit_submit),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reports",
            P::ReportView,
            get(reports::list),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports",
            P::ReportWrite,
            post(reports::open),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reports/{year}",
            P::ReportView,
            get(reports::show),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reports/{year}/cells/{cell}",
            P::ReportView,
            get(reports::cell),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reports/{year}/draft/{format}",
            P::ReportView,
            get(reports::draft_file),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/reports/{year}/aggregate",
            P::ReportView,
            get(reports::aggregate),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/narrative",
            P::ReportWrite,
            post(reports::narrative),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/figures",
            P::ReportWrite,
            post(reports::figures),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/figures/import",
            P::ReportWrite,
            post(reports::figures_import),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/previous",
            P::ReportWrite,
            post(reports::previous),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/explanations",
            P::ReportWrite,
            post(reports::explanations),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/submit",
            P::ReportWrite,
            post(reports::submit),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/send-back",
            P::ReportReview,
            post(reports::send_back),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/publish",
            P::ReportReview,
            post(reports::publish),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/reports/{year}/revise",
            P::ReportWrite,
            post(reports::revise),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/batch-audits",
            P::Supervise,
            get(batch_audits::list),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/batch-audits",
            P::Supervise,
            post(batch_audits::create),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/batch-audits/{batch_id}",
            P::Supervise,
            get(batch_audits::show),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/batch-audits/{batch_id}/files/{file_id}",
            P::Supervise,
            get(batch_audits::file),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/batch-audits/{batch_id}/files/{file_id}/decisions",
            P::Supervise,
            post(batch_audits::decide),
        ),
        (
            p.clone(),
            "/admin/organs/{organ_id}/batch-audits/{batch_id}/rerun",
            P::Supervise,
            post(batch_audits::rerun),
        ),
        (
            g.clone(),
            "/admin/organs/{organ_id}/batch-audits/{batch_id}/findings.xlsx",
            P::Supervise,
            get(batch_audits::export),
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
        .route("/organs/{id}/proactive", get(column::proactive))
        .route("/organs/{id}/items", get(column::list))
        .route("/organs/{id}/feed.xml", get(feeds::atom))
        .route("/items/{id}", get(column::item))
        .route(
            "/items/{id}/attachments/{attachment_id}",
            get(column::attachment),
        )
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/sitemap-{part}", get(feeds::sitemap_part))
        .route("/organs/{id}/reports", get(reports::public::index))
        .route("/organs/{id}/reports/{year}", get(reports::public::report))
        .route(
            "/organs/{id}/reports/{year}/download/{format}",
            get(reports::public::download),
        )
        .route(
            "/organs/{id}/apply",
            get(crate::pages::apply::form).post(crate::pages::apply::submit),
        )
        .route(
            "/track",
            get(crate::pages::apply::track_get).post(crate::pages::apply::track_post),
        )
        .route("/track/letter", post(crate::pages::apply::track_letter))
        .route("/search", get(crate::pages::search::page))
        .route("/guide/{slug}", get(guide::page))
        .route("/static/app.css", get(guide::stylesheet))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(health::metrics))
        .merge(admin)
        .fallback(crate::pages::not_found)
        .layer(axum::extract::DefaultBodyLimit::max(
            crate::guard::MULTIPART_LIMIT,
        ))
        .layer(axum::middleware::from_fn(crate::pages::chinese_rejections))
        // The JSON API answers its own errors in JSON: merged after the Chinese HTML error
        // pages, inside the security headers and metrics.
        .merge(crate::api::router())
        .layer(axum::middleware::from_fn(security_headers::add))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        // One limiter per server (see rate_limit.rs).
        .layer(axum::Extension(crate::rate_limit::RateLimiter::new()))
        .with_state(state)
}
