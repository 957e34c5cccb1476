//! Accounts and roles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::each_backend;
use gongkai_store::{
    AuditFilter, NewUser, Password, Role, RoleGrant, StoreError, Username, ValidationError,
};

#[tokio::test]
async fn create_find_list_users() {
    each_backend(|db| async move {
        let organ = db.organ("某区政务服务数据管理局", None).await;
        let other = db.organ("某区统计局", None).await;
        let users = db.store.users();
        let name = Username::parse("ZhangSan").unwrap();
        let user = users
            .create(
                &db.admin(),
                &NewUser {
                    password: Password::new("Gongkai-2026x", &name).unwrap(),
                    username: name,
                    display_name: "  张三 ".into(),
                    organ_id: organ.id,
                },
            )
            .await
            .unwrap();
        assert_eq!(user.username.as_str(), "zhangsan");
        assert_eq!(user.display_name, "张三");
        assert!(user.active);
        assert_eq!(user.created_at, common::t0());

        // Case-insensitive lookup.
        for typed in ["zhangsan", "ZHANGSAN", " ZhangSan "] {
            assert_eq!(
                users.find_by_username(typed).await.unwrap().unwrap().id,
                user.id
            );
        }
        assert!(users.find_by_username("lisi").await.unwrap().is_none());
        assert!(users.find_by_username("张三").await.unwrap().is_none());
        assert_eq!(users.get(user.id).await.unwrap().unwrap(), user);

        db.user("lisi", "Gongkai-2026x", organ.id).await;
        db.user("wangwu", "Gongkai-2026x", other.id).await;
        let names: Vec<String> = users
            .list(organ.id)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username.to_string())
            .collect();
        assert_eq!(names, ["lisi", "zhangsan"]);

        // The hash is argon2id, never the password.
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(user.id)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(!hash.contains("Gongkai"));
        // The audit entry does not contain it either.
        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("user.create".into()),
                entity_id: Some(user.id.to_string()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        let after = page.entries[0].after.as_ref().unwrap().to_string();
        assert!(
            after.contains("zhangsan") && !after.contains("argon2"),
            "{after}"
        );
    })
    .await;
}

#[tokio::test]
async fn duplicate_username_is_refused_case_insensitively() {
    each_backend(|db| async move {
        let organ = db.organ("某区民政局", None).await;
        db.user("zhangsan", "Gongkai-2026x", organ.id).await;
        let audit_before = db.count("audit_log").await;
        let name = Username::parse("ZHANGSAN").unwrap();
        let err = db
            .store
            .users()
            .create(
                &db.admin(),
                &NewUser {
                    password: Password::new("Another-2026x", &name).unwrap(),
                    username: name,
                    display_name: "另一个张三".into(),
                    organ_id: organ.id,
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(&err, StoreError::DuplicateUsername(n) if n == "zhangsan"));
        assert_eq!(err.to_string(), "用户名“zhangsan”已被使用，请换一个用户名");
        assert_eq!(db.count("users").await, 1);
        assert_eq!(db.count("audit_log").await, audit_before);

        // Unknown organ and blank display name: clear errors, nothing written.
        let name = Username::parse("lisi").unwrap();
        let err = db
            .store
            .users()
            .create(
                &db.admin(),
                &NewUser {
                    password: Password::new("Gongkai-2026x", &name).unwrap(),
                    username: name.clone(),
                    display_name: "李四".into(),
                    organ_id: 999,
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "机关", .. }));
        let err = db
            .store
            .users()
            .create(
                &db.admin(),
                &NewUser {
                    password: Password::new("Gongkai-2026x", &name).unwrap(),
                    username: name,
                    display_name: " ".into(),
                    organ_id: organ.id,
                },
            )
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "姓名不能为空");
        assert_eq!(db.count("users").await, 1);
        assert_eq!(db.count("audit_log").await, audit_before);
    })
    .await;
}

#[tokio::test]
async fn roles_in_several_organs() {
    each_backend(|db| async move {
        let district = db.organ("某区人民政府", None).await;
        let street = db.organ("某街道办事处", Some(district.id)).await;
        let dept = db
            .store
            .departments()
            .create(&db.admin(), street.id, "综合办")
            .await
            .unwrap();
        let foreign_dept = db
            .store
            .departments()
            .create(&db.admin(), district.id, "政务公开科")
            .await
            .unwrap();
        let user = db.user("zhaoliu", "Gongkai-2026x", district.id).await;
        let users = db.store.users();
        let officer = RoleGrant {
            organ_id: district.id,
            role: Role::Officer,
            department_id: None,
        };
        let handler = RoleGrant {
            organ_id: street.id,
            role: Role::Handler,
            department_id: Some(dept.id),
        };
        let supervisor = RoleGrant {
            organ_id: district.id,
            role: Role::Supervisor,
            department_id: None,
        };
        assert!(
            users
                .grant_role(&db.admin(), user.id, &officer)
                .await
                .unwrap()
        );
        assert!(
            users
                .grant_role(&db.admin(), user.id, &handler)
                .await
                .unwrap()
        );
        assert!(
            users
                .grant_role(&db.admin(), user.id, &supervisor)
                .await
                .unwrap()
        );
        let audit_after_grants = db.count("audit_log").await;
        // Granting again changes nothing and is not audited.
        assert!(
            !users
                .grant_role(&db.admin(), user.id, &officer)
                .await
                .unwrap()
        );
        assert!(
            !users
                .grant_role(&db.admin(), user.id, &handler)
                .await
                .unwrap()
        );
        assert_eq!(db.count("audit_log").await, audit_after_grants);

        let mut roles = users.roles(user.id).await.unwrap();
        roles.sort_by_key(|g| (g.organ_id, g.role.code()));
        assert_eq!(roles.len(), 3);
        assert!(roles.contains(&handler));

        // A department of another organ is refused.
        let err = users
            .grant_role(
                &db.admin(),
                user.id,
                &RoleGrant {
                    organ_id: street.id,
                    role: Role::Handler,
                    department_id: Some(foreign_dept.id),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Invalid(ValidationError::DepartmentOutsideOrgan { .. })
        ));
        let err = users
            .grant_role(&db.admin(), 4242, &officer)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "用户", .. }));

        assert!(
            users
                .revoke_role(&db.admin(), user.id, &officer)
                .await
                .unwrap()
        );
        assert!(
            !users
                .revoke_role(&db.admin(), user.id, &officer)
                .await
                .unwrap()
        );
        assert!(
            users
                .revoke_role(&db.admin(), user.id, &handler)
                .await
                .unwrap()
        );
        assert_eq!(users.roles(user.id).await.unwrap(), vec![supervisor]);
        assert_eq!(db.count("audit_log").await, audit_after_grants + 2);

        let revokes = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("role.revoke".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(revokes.total, 2);
        assert_eq!(
            revokes.entries[0].before.as_ref().unwrap()["role"],
            "handler"
        );
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn set_password_enforces_policy_and_deactivate_works() {
    each_backend(|db| async move {
        let organ = db.organ("某区卫生健康委员会", None).await;
        let user = db.user("sunqi", "Gongkai-2026x", organ.id).await;
        let users = db.store.users();
        let actor = gongkai_store::Actor::user(user.id, Some("10.0.0.8".parse().unwrap()));

        let err = users
            .set_password(&actor, user.id, "short")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "密码长度至少为 10 个字符");
        let err = users
            .set_password(&actor, user.id, "SunQi")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        let err = users
            .set_password(&actor, user.id, "SUNQI")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        let err = users
            .set_password(&actor, 999, "Gongkai-2027y")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));

        db.clock.advance(chrono::Duration::days(1));
        users
            .set_password(&actor, user.id, "Gongkai-2027y")
            .await
            .unwrap();
        assert!(
            users
                .check_password(user.id, "Gongkai-2027y")
                .await
                .unwrap()
        );
        assert!(
            !users
                .check_password(user.id, "Gongkai-2026x")
                .await
                .unwrap()
        );
        assert!(!users.check_password(999, "Gongkai-2027y").await.unwrap());
        let reloaded = users.get(user.id).await.unwrap().unwrap();
        assert_eq!(
            reloaded.password_changed_at,
            common::t0() + chrono::Duration::days(1)
        );
        let entry = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("user.set_password".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(entry.total, 1);
        assert_eq!(entry.entries[0].actor_user_id, Some(user.id));
        assert_eq!(entry.entries[0].actor_ip, Some("10.0.0.8".parse().unwrap()));
        assert!(
            !entry.entries[0]
                .after
                .as_ref()
                .unwrap()
                .to_string()
                .contains("Gongkai")
        );

        let off = users.deactivate(&db.admin(), user.id).await.unwrap();
        assert!(!off.active);
        assert!(!users.get(user.id).await.unwrap().unwrap().active);
        let on = users.reactivate(&db.admin(), user.id).await.unwrap();
        assert!(on.active);
        let err = users.deactivate(&db.admin(), 999).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }));
    })
    .await;
}
