//! The audit trail: one entry per business write in the same transaction, the hash chain, and
//! appends under concurrency (one pool, and two pools like two processes).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::Duration;
use common::{credit_code, each_backend};
use gongkai_store::{
    Actor, AuditFilter, Backend, ChainProblemKind, NewOrgan, OrganContact, OrganKind, Role,
    RoleGrant, Store, StoreError, organs,
};

fn organ_named(name: &str, parent: Option<i64>) -> NewOrgan {
    NewOrgan {
        parent_id: parent,
        name: name.to_owned(),
        credit_code: None,
        kind: OrganKind::Other,
        contact: OrganContact::default(),
    }
}

#[tokio::test]
async fn every_business_write_leaves_exactly_one_entry_and_failures_none() {
    each_backend(|db| async move {
        let s = &db.store;
        let a = db.admin();
        let mut expected = 0;
        macro_rules! one_more {
            ($e:expr) => {{
                let v = $e.await.unwrap();
                expected += 1;
                assert_eq!(db.count("audit_log").await, expected, stringify!($e));
                v
            }};
        }
        macro_rules! none_more {
            ($e:expr) => {{
                assert!($e.await.is_err(), stringify!($e));
                assert_eq!(db.count("audit_log").await, expected, stringify!($e));
            }};
        }
        let mut with_code = organ_named("某区人民政府", None);
        with_code.credit_code = Some(credit_code("11330100MB0000001"));
        let organ = one_more!(s.organs().create(&a, &with_code));
        none_more!(s.organs().create(&a, &with_code));
        none_more!(s.organs().create(&a, &organ_named("", None)));
        none_more!(s.organs().create(&a, &organ_named("x", Some(999))));
        one_more!(
            s.organs()
                .update_contact(&a, organ.id, &OrganContact::default())
        );
        none_more!(s.organs().update_contact(&a, 999, &OrganContact::default()));
        let dept = one_more!(s.departments().create(&a, organ.id, "综合科"));
        none_more!(s.departments().create(&a, organ.id, "综合科"));
        one_more!(s.departments().rename(&a, dept.id, "办公室"));
        none_more!(s.departments().rename(&a, 999, "办公室"));
        let user = db.user("zhangsan", "Gongkai-2026x", organ.id).await;
        expected += 1;
        assert_eq!(db.count("audit_log").await, expected);
        none_more!(s.users().set_password(&a, user.id, "weak"));
        one_more!(s.users().set_password(&a, user.id, "Gongkai-2027y"));
        let grant = RoleGrant {
            organ_id: organ.id,
            role: Role::Editor,
            department_id: Some(dept.id),
        };
        one_more!(s.users().grant_role(&a, user.id, &grant));
        one_more!(s.users().revoke_role(&a, user.id, &grant));
        one_more!(s.users().deactivate(&a, user.id));
        one_more!(s.users().reactivate(&a, user.id));
        one_more!(s.users().authenticate("zhangsan", "Gongkai-2027y", None));
        let failed = s
            .users()
            .authenticate("zhangsan", "nope-Nope-1", None)
            .await;
        assert!(failed.is_err());
        expected += 1; // a failed login is itself an audited event
        assert_eq!(db.count("audit_log").await, expected);

        let report = s.verify_audit_chain().await.unwrap();
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(report.checked, expected as u64);
        assert_eq!(report.head_seq, expected);
    })
    .await;
}

#[tokio::test]
async fn a_transaction_is_all_or_nothing_and_must_be_audited() {
    each_backend(|db| async move {
        let code = credit_code("11330100MB0000002");
        let mut first = organ_named("甲", None);
        first.credit_code = Some(code.clone());
        db.store.organs().create(&db.admin(), &first).await.unwrap();

        // Two writes in one transaction; the second fails → the first is gone too, with its
        // audit entry.
        let mut tx = db.store.begin(&db.admin()).await.unwrap();
        organs::create(&mut tx, &organ_named("乙", None))
            .await
            .unwrap();
        let mut dup = organ_named("丙", None);
        dup.credit_code = Some(code);
        assert!(matches!(
            organs::create(&mut tx, &dup).await.unwrap_err(),
            StoreError::DuplicateCreditCode(_)
        ));
        drop(tx);
        assert_eq!(db.count("organs").await, 1);
        assert_eq!(db.count("audit_log").await, 1);

        // Two writes committed together: two entries, consecutive.
        let mut tx = db.store.begin(&db.admin()).await.unwrap();
        let p = organs::create(&mut tx, &organ_named("丁", None))
            .await
            .unwrap();
        organs::create(&mut tx, &organ_named("戊", Some(p.id)))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(db.count("audit_log").await, 3);

        // A business transaction without an audit entry is refused.
        let tx = db.store.begin(&db.admin()).await.unwrap();
        let err = tx.commit().await.unwrap_err();
        assert!(matches!(err, StoreError::MissingAudit));
        assert!(err.is_internal());
        // An explicit rollback is fine.
        let tx = db.store.begin(&db.admin()).await.unwrap();
        tx.rollback().await.unwrap();

        // The store is still usable afterwards (the write lock was released).
        db.store
            .organs()
            .create(&db.admin(), &organ_named("己", None))
            .await
            .unwrap();
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

async fn make_entries(db: &common::TestDb, n: usize) {
    for i in 0..n {
        db.store
            .organs()
            .create(&db.admin(), &organ_named(&format!("机关{i}"), None))
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn verify_detects_edited_entries() {
    each_backend(|db| async move {
        make_entries(&db, 6).await;
        let report = db.store.verify_audit_chain().await.unwrap();
        assert!(report.is_ok());
        assert_eq!(report.checked, 6);

        // The application cannot change the log…
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        assert!(
            sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE seq = 3")
                .execute(&mut conn)
                .await
                .is_err()
        );
        assert!(
            sqlx::query("DELETE FROM audit_log WHERE seq = 3")
                .execute(&mut conn)
                .await
                .is_err()
        );
        // …but someone with database access can, and the chain shows it.
        db.disable_audit_triggers().await;
        db.raw(r#"UPDATE audit_log SET after_json = '{"name":"篡改后的名称"}' WHERE seq = 3"#)
            .await;
        let report = db.store.verify_audit_chain().await.unwrap();
        let problem = report.problem.clone().unwrap();
        assert_eq!(problem.seq, 3);
        assert_eq!(problem.kind, ChainProblemKind::HashMismatch);
        assert_eq!(report.checked, 2);
        assert_eq!(
            problem.message(),
            "审计日志第 3 条的内容与其校验值不符，记录可能被篡改"
        );
    })
    .await;
}

#[tokio::test]
async fn verify_detects_a_recomputed_hash_by_the_next_link() {
    each_backend(|db| async move {
        make_entries(&db, 5).await;
        db.disable_audit_triggers().await;
        // The attacker edits entry 2 and replaces its hash with a made-up one: entry 2 no
        // longer matches its content…
        db.raw("UPDATE audit_log SET actor_ip = '6.6.6.6', hash = 'ffff' WHERE seq = 2")
            .await;
        let problem = db.store.verify_audit_chain().await.unwrap().problem.unwrap();
        assert_eq!((problem.seq, problem.kind), (2, ChainProblemKind::HashMismatch));
        // …and a forged prev_hash breaks the link.
        db.raw(&format!(
            "UPDATE audit_log SET prev_hash = '{}' WHERE seq = 4",
            "1".repeat(64)
        ))
        .await;
        db.raw("UPDATE audit_log SET actor_ip = NULL, hash = (SELECT prev_hash FROM audit_log WHERE seq = 3) WHERE seq = 2")
            .await;
        let problem = db.store.verify_audit_chain().await.unwrap().problem.unwrap();
        assert_eq!((problem.seq, problem.kind.clone()), (4, ChainProblemKind::PrevHashMismatch));
        assert!(problem.message().contains("第 4 条"));
    })
    .await;
}

#[tokio::test]
async fn verify_detects_deleted_entries() {
    each_backend(|db| async move {
        make_entries(&db, 6).await;
        db.disable_audit_triggers().await;
        db.raw("DELETE FROM audit_log WHERE seq = 4").await;
        let report = db.store.verify_audit_chain().await.unwrap();
        let problem = report.problem.unwrap();
        assert_eq!(problem.seq, 4);
        assert_eq!(problem.kind, ChainProblemKind::Missing { found: Some(5) });
        assert_eq!(
            problem.message(),
            "审计日志第 4 条缺失（其后的记录从第 5 条开始），日志可能被删除"
        );

        // Deleting the tail is caught by the chain head.
        db.raw("DELETE FROM audit_log WHERE seq >= 4").await;
        let problem = db
            .store
            .verify_audit_chain()
            .await
            .unwrap()
            .problem
            .unwrap();
        assert_eq!(problem.seq, 4);
        assert_eq!(problem.kind, ChainProblemKind::Missing { found: None });
        assert!(problem.message().contains("末尾"));
    })
    .await;
}

async fn hammer(store: Store, tasks: usize, writes: usize, tag: &'static str) {
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            for w in 0..writes {
                store
                    .organs()
                    .create(
                        &Actor::user(t as i64 + 1, None),
                        &organ_named(&format!("{tag}-{t}-{w}"), None),
                    )
                    .await
                    .unwrap();
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_on_one_pool_keep_the_chain() {
    each_backend(|db| async move {
        hammer(db.store.clone(), 50, 10, "one").await;
        assert_eq!(db.count("audit_log").await, 500);
        assert_eq!(db.count("organs").await, 500);
        let report = db.store.verify_audit_chain().await.unwrap();
        assert!(report.is_ok(), "{report:?}");
        assert_eq!((report.checked, report.head_seq), (500, 500));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_from_two_pools_keep_the_chain() {
    each_backend(|db| async move {
        // Two independent pools on one database, as two app servers (PostgreSQL) or two
        // processes on one file (SQLite: serialised by BEGIN IMMEDIATE + busy_timeout).
        let other = db.another_store().await;
        let (tasks, writes) = match db.backend() {
            Backend::Postgres => (25, 10),
            Backend::Sqlite => (10, 10),
        };
        let a = tokio::spawn(hammer(db.store.clone(), tasks, writes, "a"));
        let b = tokio::spawn(hammer(other.clone(), tasks, writes, "b"));
        a.await.unwrap();
        b.await.unwrap();
        let total = (2 * tasks * writes) as i64;
        assert_eq!(db.count("audit_log").await, total);
        let report = other.verify_audit_chain().await.unwrap();
        assert!(report.is_ok(), "{report:?}");
        assert_eq!(report.head_seq, total);
        other.close().await;
    })
    .await;
}

#[tokio::test]
async fn list_filters_and_pages() {
    each_backend(|db| async move {
        let a = db.admin();
        let district = db
            .store
            .organs()
            .create(&a, &organ_named("区", None))
            .await
            .unwrap();
        let street = db
            .store
            .organs()
            .create(&a, &organ_named("街道", Some(district.id)))
            .await
            .unwrap();
        let unrelated = db
            .store
            .organs()
            .create(&a, &organ_named("别处", None))
            .await
            .unwrap();
        db.clock.advance(Duration::hours(1));
        let officer = Actor::user(77, Some("192.0.2.1".parse().unwrap()));
        for i in 0..5 {
            db.store
                .departments()
                .create(&officer, street.id, &format!("科室{i}"))
                .await
                .unwrap();
        }
        db.clock.advance(Duration::hours(1));
        db.store
            .departments()
            .create(&a, unrelated.id, "综合科")
            .await
            .unwrap();

        let list = |f: AuditFilter| {
            let store = db.store.clone();
            async move { store.audit().list(&f).await.unwrap() }
        };
        let all = list(AuditFilter::default()).await;
        assert_eq!(all.total, 9);
        assert_eq!(all.entries.first().unwrap().seq, 9, "newest first");

        let own = list(AuditFilter {
            organ_id: Some(district.id),
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(own.total, 1);
        let tree = list(AuditFilter {
            organ_id: Some(district.id),
            include_suborgans: true,
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(
            tree.total, 7,
            "district + street + 5 departments of the street"
        );

        let by_actor = list(AuditFilter {
            actor_user_id: Some(77),
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(by_actor.total, 5);
        assert!(
            by_actor
                .entries
                .iter()
                .all(|e| e.actor_ip == Some("192.0.2.1".parse().unwrap()))
        );

        let by_entity = list(AuditFilter {
            entity: Some("department".into()),
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(by_entity.total, 6);

        let t0 = common::t0();
        let window = list(AuditFilter {
            from: Some(t0 + Duration::minutes(30)),
            until: Some(t0 + Duration::minutes(90)),
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(window.total, 5);

        let page1 = list(AuditFilter {
            limit: Some(4),
            ..AuditFilter::default()
        })
        .await;
        let page3 = list(AuditFilter {
            limit: Some(4),
            offset: 8,
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(
            page1.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [9, 8, 7, 6]
        );
        assert_eq!(page3.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
        assert_eq!(page3.total, 9);

        let combined = list(AuditFilter {
            organ_id: Some(street.id),
            entity: Some("department".into()),
            actor_user_id: Some(77),
            action: Some("department.create".into()),
            from: Some(t0),
            limit: Some(2),
            offset: 1,
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(combined.total, 5);
        assert_eq!(combined.entries.len(), 2);

        let one = db.store.audit().get(3).await.unwrap().unwrap();
        assert_eq!(one.seq, 3);
        assert_eq!(one.action, "organ.create");
        assert!(db.store.audit().get(99).await.unwrap().is_none());
    })
    .await;
}
