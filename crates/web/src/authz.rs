//! Authorization in one place: which role may do what, over which organs.
//!
//! Every back-office route declares one [`Permission`] in the route table (`routes.rs`); the guard
//! calls [`allows`] with the user's role grants and the chain of organs from the route's organ up
//! to the root. A role reaches either only the organ it was granted on ([`Reach::Organ`]) or
//! that organ and every organ below it ([`Reach::Subtree`]). [`reach`] is the whole table.

use gongkai_store::{Result as StoreResult, Role, RoleGrant, Store};

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Anyone, logged in or not (the login form).
    Public,
    /// Any logged-in user (dashboard, own password, logout, the organ list filtered to what the
    /// user may see).
    Authenticated,
    /// See an organ's page.
    OrganView,
    /// Edit an organ's name, credit code and disclosure-office contact details (feed the 指南).
    OrganEdit,
    /// Create an organ below this one (a 街道 under its 区政府).
    OrganCreate,
    /// See an organ's departments.
    DepartmentView,
    /// Create and rename departments.
    DepartmentManage,
    /// See an organ's accounts and their roles.
    UserView,
    /// Create accounts, reset passwords, deactivate, grant and revoke roles.
    UserManage,
    /// Read the audit log of an organ and verify the hash chain.
    AuditView,
    /// See an organ's items in every state (drafts, review queue, withheld, versions).
    ItemView,
    /// Write drafts and submit them for review (采编).
    ItemWrite,
    /// Review (保密审查), publish, reject, withhold, revise, withdraw (审核发布).
    ItemReview,
    /// Edit the reference data (主题分类, 公开领域) shared by all organs.
    ReferenceManage,
    /// Import a ledger (台账) of already-published items from Excel or CSV.
    ItemImport,
    /// See disclosure applications (依申请公开): open cases, case pages (personal data masked).
    ApplicationView,
    /// Handle applications: register, record clock events, assign; see full personal data.
    ApplicationHandle,
    /// See an organ's annual reports (drafts, checks, the records behind each cell) and the
    /// aggregate of its subordinate organs.
    ReportView,
    /// Write the annual report: text, figures from other systems, explanations; submit it for
    /// review; start a revision of the published report.
    ReportWrite,
    /// Review the annual report: publish it or send it back (审核发布).
    ReportReview,
    /// Supervise the organs below (监督检查, issue 8): batch-audit published annual reports and
    /// confirm or dismiss the findings; open inspections, record problems, issue the 通报, close
    /// or reopen the problems.
    Supervise,
    /// Answer the organ's own problems of an inspection's 通报 with its rectification (整改).
    Rectify,
}

impl Permission {
    /// Every permission, for tables and tests.
    pub const ALL: &'static [Permission] = &[
        Permission::Public,
        Permission::Authenticated,
        Permission::OrganView,
        Permission::OrganEdit,
        Permission::OrganCreate,
        Permission::DepartmentView,
        Permission::DepartmentManage,
        Permission::UserView,
        Permission::UserManage,
        Permission::AuditView,
        Permission::ItemView,
        Permission::ItemWrite,
        Permission::ItemReview,
        Permission::ReferenceManage,
        Permission::ItemImport,
        Permission::ApplicationView,
        Permission::ApplicationHandle,
        Permission::ReportView,
        Permission::ReportWrite,
        Permission::ReportReview,
        Permission::Supervise,
        Permission::Rectify,
    ];

    /// The Chinese name shown in the dashboard and the guide.
    pub fn label(self) -> &'static str {
        match self {
            Permission::Public => "公开访问",
            Permission::Authenticated => "已登录用户",
            Permission::OrganView => "查看机关信息",
            Permission::OrganEdit => "编辑机关信息与公开工作机构联系方式",
            Permission::OrganCreate => "新建下级机关",
            Permission::DepartmentView => "查看科室",
            Permission::DepartmentManage => "新建、重命名科室",
            Permission::UserView => "查看用户",
            Permission::UserManage => "管理用户与角色",
            Permission::AuditView => "查看审计日志、校验日志链",
            Permission::ItemView => "查看主动公开信息（含未发布的）",
            Permission::ItemWrite => "采编信息、提交审核",
            Permission::ItemReview => "审核（保密审查）并发布、退回、撤回信息",
            Permission::ReferenceManage => "维护主题分类、公开领域等参考数据",
            Permission::ItemImport => "导入信息台账",
            Permission::ApplicationView => "查看依申请公开案件（个人信息脱敏）",
            Permission::ApplicationHandle => "办理依申请公开：登记、补正、延期、答复、分办",
            Permission::ReportView => "查看年度报告（含草稿、检查结果、单元格明细）和下级机关汇总",
            Permission::ReportWrite => "编写年度报告、提交审核、发起更正",
            Permission::ReportReview => "审核并发布年度报告、退回修改",
            Permission::Supervise => "监督检查：批量审核年度报告、检查、通报、整改销号",
            Permission::Rectify => "查看本机关被通报的问题并反馈整改情况",
        }
    }

    /// True when the route concerns one organ (its path has `{organ_id}`).
    pub fn is_organ_scoped(self) -> bool {
        !matches!(self, Permission::Public | Permission::Authenticated)
    }
}

/// How far a role's grant reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only the organ the role was granted on.
    Organ,
    /// That organ and all organs below it.
    Subtree,
}

/// THE table: how far `role` reaches for `permission` (`None`: not at all).
///
/// - 系统管理员 (admin) manages everything of its organ and the organs below it; an admin on the
///   root organ therefore manages the whole site.
/// - 信息公开专员 (officer) runs the disclosure work of its own organ: edits the 指南 data, sees
///   departments, accounts and the audit log; writes, reviews and publishes items.
/// - 编辑 and 科室承办人 write items (采编) of their organ; 审核人 review and publish them; all three
///   see their organ and its departments.
/// - 监督员 (supervisor) reads everything of its organ and the organs below, changes nothing.
/// - The annual report: the officer writes and submits it, the officer or a 审核人 publishes it
///   (four eyes: not the submitter), the supervisor reads the reports below.
/// - Supervision (监督检查: batch audit of reports, inspections and their 通报): the 监督员 and the
///   系统管理员 over their subtree, nobody else — the only thing a 监督员 writes, and only into its
///   own organ's records.
/// - Rectification (整改): the officer answers the problems notified to its own organ; the
///   系统管理员 over its subtree. A 监督员 never answers for the organ it supervises.
pub fn reach(role: Role, permission: Permission) -> Option<Reach> {
    use Permission as P;
    use Reach::{Organ, Subtree};
    match (role, permission) {
        (_, P::Public | P::Authenticated) => Some(Subtree),
        (Role::Admin, _) => Some(Subtree),
        (Role::Officer, P::OrganView | P::OrganEdit | P::DepartmentView | P::UserView) => {
            Some(Organ)
        }
        (Role::Officer, P::AuditView) => Some(Organ),
        // The officer runs the whole disclosure work of the organ: writes, reviews, publishes
        // (but never approves an item they wrote: the workflow refuses that).
        (Role::Officer, P::ItemView | P::ItemWrite | P::ItemReview) => Some(Organ),
        (Role::Officer, P::ItemImport) => Some(Organ),
        (Role::Officer | Role::Handler, P::ApplicationView | P::ApplicationHandle) => Some(Organ),
        (Role::Supervisor, P::ApplicationView) => Some(Subtree),
        // The annual report (条例第四十九、五十条): the officer writes it, the 审核人 publishes
        // it (never the person who submitted it: the store refuses that), the 监督员 reads the
        // reports of the organs below.
        (Role::Officer, P::ReportView | P::ReportWrite | P::ReportReview) => Some(Organ),
        (Role::Reviewer, P::ReportView | P::ReportReview) => Some(Organ),
        (Role::Supervisor, P::ReportView) => Some(Subtree),
        // Supervision of the organs below (条例第四十七条: 日常指导和监督检查).
        (Role::Supervisor, P::Supervise) => Some(Subtree),
        // The organ answers the problems of a 通报 (条例第五十二、五十三条: 责令改正).
        (Role::Officer, P::Rectify) => Some(Organ),
        (Role::Editor | Role::Handler, P::ItemView | P::ItemWrite) => Some(Organ),
        (Role::Reviewer, P::ItemView | P::ItemReview) => Some(Organ),
        (Role::Supervisor, P::ItemView) => Some(Subtree),
        (
            Role::Officer,
            P::OrganCreate
            | P::DepartmentManage
            | P::UserManage
            | P::ReferenceManage
            | P::Supervise,
        ) => None,
        (Role::Editor | Role::Reviewer | Role::Handler, P::OrganView | P::DepartmentView) => {
            Some(Organ)
        }
        (Role::Editor | Role::Reviewer | Role::Handler, _) => None,
        (Role::Supervisor, P::OrganView | P::DepartmentView | P::UserView | P::AuditView) => {
            Some(Subtree)
        }
        (Role::Supervisor, _) => None,
    }
}

/// The widest reach any of `grants` gives for `permission` on the organ whose chain (the organ
/// itself first, then its parent, up to the root) is `chain`.
pub fn reach_on(grants: &[RoleGrant], permission: Permission, chain: &[i64]) -> Option<Reach> {
    let mut best = None;
    for grant in grants {
        let Some(r) = reach(grant.role, permission) else {
            continue;
        };
        let covers = match r {
            Reach::Organ => chain.first() == Some(&grant.organ_id),
            Reach::Subtree => chain.contains(&grant.organ_id),
        };
        if covers {
            if r == Reach::Subtree {
                return Some(Reach::Subtree);
            }
            best = Some(Reach::Organ);
        }
    }
    best
}

/// May a user with `grants` use a route needing `permission`? `chain` is the route's organ chain
/// (empty for routes that concern no organ). Anonymous users are handled by the caller.
pub fn allows(grants: &[RoleGrant], permission: Permission, chain: &[i64]) -> bool {
    match permission {
        Permission::Public | Permission::Authenticated => true,
        _ => !chain.is_empty() && reach_on(grants, permission, chain).is_some(),
    }
}

/// May `grants` approve an extension (条例 Art 33 ¶2: 经政府信息公开工作机构负责人同意) on the
/// organ of `chain`? Only the officer and the administrator act as the office head; a 科室承办人
/// handles the case but does not approve its extension.
pub fn may_approve_extension(grants: &[RoleGrant], chain: &[i64]) -> bool {
    grants.iter().any(|g| {
        matches!(g.role, Role::Officer | Role::Admin)
            && allows(
                std::slice::from_ref(g),
                Permission::ApplicationHandle,
                chain,
            )
    })
}

/// The organ `organ_id` and its ancestors, nearest first; `None` if the organ does not exist.
pub async fn organ_chain(store: &Store, organ_id: i64) -> StoreResult<Option<Vec<i64>>> {
    let mut chain = Vec::new();
    let mut next = Some(organ_id);
    while let Some(id) = next {
        // A cycle cannot be stored (the store refuses it), but bound the walk anyway.
        if chain.contains(&id) || chain.len() > 64 {
            break;
        }
        match store.organs().get(id).await? {
            Some(organ) => {
                chain.push(id);
                next = organ.parent_id;
            }
            None if chain.is_empty() => return Ok(None),
            None => break,
        }
    }
    Ok(Some(chain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, organ_id: i64) -> RoleGrant {
        RoleGrant {
            organ_id,
            role,
            department_id: None,
        }
    }

    #[test]
    fn admin_on_root_reaches_children_officer_does_not() {
        let child = [2, 1];
        assert!(allows(
            &[grant(Role::Admin, 1)],
            Permission::UserManage,
            &child
        ));
        assert!(!allows(
            &[grant(Role::Officer, 1)],
            Permission::OrganEdit,
            &child
        ));
        assert!(allows(
            &[grant(Role::Officer, 2)],
            Permission::OrganEdit,
            &child
        ));
        assert!(allows(
            &[grant(Role::Supervisor, 1)],
            Permission::AuditView,
            &child
        ));
        assert!(!allows(
            &[grant(Role::Supervisor, 1)],
            Permission::OrganEdit,
            &child
        ));
        assert!(!allows(
            &[grant(Role::Admin, 2)],
            Permission::UserManage,
            &[1]
        ));
        assert!(!allows(&[], Permission::OrganView, &child));
        assert!(!allows(
            &[grant(Role::Admin, 1)],
            Permission::OrganView,
            &[]
        ));
    }

    #[test]
    fn only_supervisors_and_admins_supervise_and_over_their_subtree() {
        for role in Role::ALL {
            let expected = matches!(role, Role::Supervisor | Role::Admin).then_some(Reach::Subtree);
            assert_eq!(reach(*role, Permission::Supervise), expected, "{role:?}");
        }
        let child = [2, 1];
        assert!(allows(
            &[grant(Role::Supervisor, 1)],
            Permission::Supervise,
            &child
        ));
        assert!(!allows(
            &[grant(Role::Supervisor, 2)],
            Permission::Supervise,
            &[1]
        ));
    }

    #[test]
    fn only_the_organs_officer_and_admins_rectify() {
        for role in Role::ALL {
            let expected = match role {
                Role::Admin => Some(Reach::Subtree),
                Role::Officer => Some(Reach::Organ),
                _ => None,
            };
            assert_eq!(reach(*role, Permission::Rectify), expected, "{role:?}");
        }
        let child = [2, 1];
        assert!(allows(
            &[grant(Role::Officer, 2)],
            Permission::Rectify,
            &child
        ));
        // Neither the parent organ's officer nor the supervisor answers for the organ.
        assert!(!allows(
            &[grant(Role::Officer, 1)],
            Permission::Rectify,
            &child
        ));
        assert!(!allows(
            &[grant(Role::Supervisor, 1)],
            Permission::Rectify,
            &child
        ));
        // An organ's officer does not reach a sibling organ.
        assert!(!allows(
            &[grant(Role::Officer, 3)],
            Permission::Rectify,
            &child
        ));
    }

    #[test]
    fn every_role_is_read_only_except_admin_and_officer() {
        for role in Role::ALL {
            for p in [
                Permission::OrganEdit,
                Permission::DepartmentManage,
                Permission::UserManage,
            ] {
                let writes = reach(*role, p).is_some();
                assert_eq!(
                    writes,
                    *role == Role::Admin || (*role == Role::Officer && p == Permission::OrganEdit),
                    "{role:?} {p:?}"
                );
            }
        }
    }
}
