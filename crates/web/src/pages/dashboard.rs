//! The dashboard: for each role the user holds, what that role does here and its screens, each
//! with the one legal requirement it serves.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Html;
use gongkai_store::Role;

use super::{Layout, html};
use crate::authz::{self, Permission};
use crate::error::AppResult;
use crate::session::CurrentUser;
use crate::state::AppState;

pub struct Link {
    pub href: String,
    pub label: &'static str,
    pub law: &'static str,
}

pub struct RoleCard {
    pub role_label: &'static str,
    pub organ_name: String,
    pub department: Option<String>,
    pub duty: &'static str,
    pub links: Vec<Link>,
    /// Today's proactive-disclosure work of this organ, when the role sees items.
    pub work: Option<ItemWork>,
}

/// The counts behind the officer's first look of the day.
pub struct ItemWork {
    pub organ_id: i64,
    pub in_review: i64,
    pub overdue: usize,
    pub rereview: usize,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    display_name: String,
    username: String,
    roles: Vec<RoleCard>,
}

/// What each role does on this platform.
pub fn duty(role: Role) -> &'static str {
    match role {
        Role::Admin => "管理本机关及下级机关的账号、角色、科室和机关信息，查看审计日志。",
        Role::Officer => {
            "负责本机关政府信息公开日常工作：维护指南所需的工作机构信息，组织主动公开和依申请公开的办理。"
        }
        Role::Editor => "采编拟主动公开的政府信息，提交审核；注意成文后20个工作日内须公开。",
        Role::Reviewer => "对待审核的信息逐项进行保密审查后发布或退回，定期复查不予公开的信息。",
        Role::Handler => {
            "办理分配给本科室的依申请公开事项，提出是否公开的意见（办理功能即将上线）。"
        }
        Role::Supervisor => "监督本机关及下级机关的政府信息公开工作，只读查看，不作修改。",
    }
}

/// The screens of an organ, each with its permission and its legal line.
const SCREENS: &[(Permission, &str, &str, &str)] = &[
    (
        Permission::OrganView,
        "",
        "机关信息",
        "条例第十二条：指南须载明政府信息公开工作机构的名称、地址、时间、电话、传真、互联网联系方式。",
    ),
    (
        Permission::OrganEdit,
        "/edit",
        "编辑机关信息与联系方式",
        "条例第十二条：指南和目录应当及时更新。",
    ),
    (
        Permission::ItemView,
        "/items",
        "主动公开信息（采编、审核、发布）",
        "条例第二十六条：应当自政府信息形成或者变更之日起20个工作日内及时公开。",
    ),
    (
        Permission::ItemView,
        "/items/due",
        "公开期限提醒与年度统计",
        "条例第二十六条、第十八条：按期公开；对不予公开的信息定期评估审查。",
    ),
    (
        Permission::ApplicationView,
        "/applications",
        "依申请公开（登记、办理、答复期限）",
        "条例第三十三条：收到申请之日起20个工作日内答复，延长不超过20个工作日。",
    ),
    (
        Permission::ApplicationView,
        "/challenges",
        "行政复议、行政诉讼登记（年度报告表四）",
        "条例第五十一条：申请人可以依法申请行政复议或者提起行政诉讼；情况列入年度报告（第五十条）。",
    ),
    (
        Permission::ReportView,
        "/reports",
        "政府信息公开工作年度报告（生成、审核、发布、汇总）",
        "条例第四十九、五十条：每年1月31日前（县级以上人民政府3月31日前）公布上一年度工作年度报告。",
    ),
    (
        Permission::Supervise,
        "/supervision",
        "监督保障看板（各机关公开时效、申请办理、复议诉讼、年度报告、考核排名）",
        "条例第四十七条：政府信息公开工作主管部门应当加强对政府信息公开工作的日常指导和监督检查。",
    ),
    (
        Permission::Supervise,
        "/batch-audits",
        "批量审核年度报告（监督检查）",
        "条例第五十条：年度报告应当包括主动公开、申请办理、复议诉讼、存在的问题等情况。",
    ),
    (
        Permission::DepartmentView,
        "/departments",
        "科室",
        "条例第四条：指定机构负责政府信息公开日常工作，各科室按职责办理。",
    ),
    (
        Permission::UserView,
        "/users",
        "用户与角色",
        "条例第四条、第四十五条：明确专人负责，建立审核、办理、答复、归档工作制度。",
    ),
    (
        Permission::AuditView,
        "/audit",
        "审计日志",
        "条例第四十五条：登记、审核、办理、答复、归档全程留痕，可供监督检查。",
    ),
];

async fn item_work(state: &AppState, organ_id: i64) -> AppResult<ItemWork> {
    let items = state.store().items();
    let today = state.today();
    let in_review = items
        .list_work(&gongkai_store::WorkFilter {
            organ_id,
            state: Some(gongkai_law::ItemState::InReview),
            per_page: 1,
            ..gongkai_store::WorkFilter::default()
        })
        .await?
        .total;
    let overdue = items
        .due_by(organ_id, today)
        .await?
        .iter()
        .filter(|i| i.due_on < today)
        .count();
    Ok(ItemWork {
        organ_id,
        in_review,
        overdue,
        rereview: items.rereview_due(organ_id, today).await?.len(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    Extension(user): Extension<CurrentUser>,
) -> AppResult<Html<String>> {
    let mut roles = Vec::new();
    for grant in &user.roles {
        let organ = state.store().organs().get(grant.organ_id).await?;
        let organ_name = organ.map_or_else(|| format!("机关 {}", grant.organ_id), |o| o.name);
        let department = match grant.department_id {
            Some(id) => state.store().departments().get(id).await?.map(|d| d.name),
            None => None,
        };
        let chain = authz::organ_chain(state.store(), grant.organ_id)
            .await?
            .unwrap_or_default();
        let links = SCREENS
            .iter()
            .filter(|(p, ..)| authz::allows(std::slice::from_ref(grant), *p, &chain))
            .map(|(_, suffix, label, law)| Link {
                href: format!("/admin/organs/{}{}", grant.organ_id, suffix),
                label,
                law,
            })
            .collect();
        let work = if authz::allows(std::slice::from_ref(grant), Permission::ItemView, &chain) {
            Some(item_work(&state, grant.organ_id).await?)
        } else {
            None
        };
        roles.push(RoleCard {
            role_label: grant.role.label(),
            organ_name,
            department,
            duty: duty(grant.role),
            links,
            work,
        });
    }
    html(&DashboardPage {
        layout: Layout::admin("工作台", &user),
        display_name: user.user.display_name.clone(),
        username: user.user.username.as_str().to_owned(),
        roles,
    })
}
