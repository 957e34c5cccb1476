//! Organs, their hierarchy and departments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{credit_code, each_backend};
use gongkai_store::{AuditFilter, NewOrgan, OrganContact, OrganKind, StoreError, ValidationError};

fn new_organ(name: &str, parent: Option<i64>, kind: OrganKind) -> NewOrgan {
    NewOrgan {
        parent_id: parent,
        name: name.to_owned(),
        credit_code: None,
        kind,
        contact: OrganContact::default(),
    }
}

#[tokio::test]
async fn hierarchy_children_and_subtree() {
    each_backend(|db| async move {
        let organs = db.store.organs();
        let actor = db.admin();
        //  city
        //  ├─ district A ─┬─ street A1 ── (nothing)
        //  │              └─ bureau A2 ── office A2a
        //  └─ district B ─── street B1
        let city = organs
            .create(
                &actor,
                &new_organ("某市人民政府", None, OrganKind::Government),
            )
            .await
            .unwrap();
        let a = organs
            .create(
                &actor,
                &new_organ("甲区人民政府", Some(city.id), OrganKind::Government),
            )
            .await
            .unwrap();
        let b = organs
            .create(
                &actor,
                &new_organ("乙区人民政府", Some(city.id), OrganKind::Government),
            )
            .await
            .unwrap();
        let a1 = organs
            .create(
                &actor,
                &new_organ("甲一街道办事处", Some(a.id), OrganKind::Subdistrict),
            )
            .await
            .unwrap();
        let a2 = organs
            .create(
                &actor,
                &new_organ("甲区教育局", Some(a.id), OrganKind::Department),
            )
            .await
            .unwrap();
        let a2a = organs
            .create(
                &actor,
                &new_organ("甲区教育考试中心", Some(a2.id), OrganKind::Other),
            )
            .await
            .unwrap();
        let b1 = organs
            .create(
                &actor,
                &new_organ("乙一镇人民政府", Some(b.id), OrganKind::Township),
            )
            .await
            .unwrap();

        let ids = |v: Vec<gongkai_store::Organ>| v.into_iter().map(|o| o.id).collect::<Vec<_>>();
        assert_eq!(
            ids(organs.children(city.id).await.unwrap()),
            vec![a.id, b.id]
        );
        assert_eq!(
            ids(organs.children(a1.id).await.unwrap()),
            Vec::<i64>::new()
        );
        assert_eq!(
            ids(organs.subtree(a.id).await.unwrap()),
            vec![a.id, a1.id, a2.id, a2a.id]
        );
        assert_eq!(organs.subtree_ids(b.id).await.unwrap(), vec![b.id, b1.id]);
        assert_eq!(organs.subtree(city.id).await.unwrap().len(), 7);
        assert_eq!(organs.subtree(a2a.id).await.unwrap().len(), 1);
        assert!(organs.subtree(9999).await.unwrap().is_empty());
        assert_eq!(organs.list().await.unwrap().len(), 7);

        let got = organs.get(a2a.id).await.unwrap().unwrap();
        assert_eq!(got, a2a);
        assert_eq!(got.kind, OrganKind::Other);
        assert_eq!(got.parent_id, Some(a2.id));
        assert!(organs.get(12345).await.unwrap().is_none());

        // Unknown parent: clear error, nothing written.
        let err = organs
            .create(&actor, &new_organ("孤儿机关", Some(9999), OrganKind::Other))
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::NotFound {
                what: "上级机关",
                ..
            }
        ));
        assert_eq!(err.to_string(), "上级机关不存在（编号 9999）");
        assert_eq!(db.count("organs").await, 7);
        assert_eq!(db.count("audit_log").await, 7);
    })
    .await;
}

#[tokio::test]
async fn duplicate_credit_code_is_refused_and_nothing_is_written() {
    each_backend(|db| async move {
        let organs = db.store.organs();
        let code = credit_code("11330100MB0000001");
        let mut first = new_organ("某市财政局", None, OrganKind::Department);
        first.credit_code = Some(code.clone());
        let created = organs.create(&db.admin(), &first).await.unwrap();
        assert_eq!(created.credit_code.as_ref(), Some(&code));
        assert_eq!(
            organs.find_by_credit_code(&code).await.unwrap().unwrap().id,
            created.id
        );

        let mut second = new_organ("某市审计局", None, OrganKind::Department);
        second.credit_code = Some(code.clone());
        let err = organs.create(&db.admin(), &second).await.unwrap_err();
        assert!(matches!(&err, StoreError::DuplicateCreditCode(c) if c == code.as_str()));
        assert_eq!(
            err.to_string(),
            format!("统一社会信用代码“{code}”已被其他机关使用，请核对")
        );
        assert!(!err.is_internal());
        assert_eq!(db.count("organs").await, 1);
        assert_eq!(db.count("audit_log").await, 1);
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());

        // Organs without a code do not collide with each other.
        organs
            .create(&db.admin(), &new_organ("甲", None, OrganKind::Other))
            .await
            .unwrap();
        organs
            .create(&db.admin(), &new_organ("乙", None, OrganKind::Other))
            .await
            .unwrap();
        assert_eq!(db.count("organs").await, 3);
    })
    .await;
}

#[tokio::test]
async fn injection_strings_are_stored_verbatim() {
    each_backend(|db| async move {
        let nasty = [
            "'; DROP TABLE users; --",
            "\" OR 1=1",
            "Robert'); DELETE FROM organs WHERE ('1'='1",
            "$1 $2 ? :name @x",
            "<script>alert('公开')</script>",
        ];
        let organs = db.store.organs();
        let mut first_id = None;
        for name in nasty {
            let mut new = new_organ(name, None, OrganKind::Other);
            new.contact.address = Some(format!("{name} 路 1 号"));
            let created = organs.create(&db.admin(), &new).await.unwrap();
            first_id.get_or_insert(created.id);
            let back = organs.get(created.id).await.unwrap().unwrap();
            assert_eq!(back.name, name);
            assert_eq!(
                back.contact.address.as_deref(),
                Some(&*format!("{name} 路 1 号"))
            );
            let dept = db
                .store
                .departments()
                .create(&db.admin(), created.id, name)
                .await
                .unwrap();
            assert_eq!(dept.name, name);
        }
        assert_eq!(db.count("organs").await, nasty.len() as i64);
        assert_eq!(db.count("users").await, 0); // still there
        db.user("robert", "Gongkai-2026x", first_id.unwrap()).await;
        let found = db
            .store
            .users()
            .find_by_username("'; DROP TABLE users; --")
            .await
            .unwrap();
        assert!(found.is_none());
        // Audit after_json holds the same text.
        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("organ.create".into()),
                limit: Some(100),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        let names: Vec<String> = page
            .entries
            .iter()
            .map(|e| {
                e.after.as_ref().unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        for name in nasty {
            assert!(names.iter().any(|n| n == name), "{name}");
        }
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn contact_update_is_audited_with_before_and_after() {
    each_backend(|db| async move {
        let organs = db.store.organs();
        let organ = db.organ("某区司法局", None).await;
        db.clock.advance(chrono::Duration::minutes(5));
        let contact = OrganContact {
            office_name: None,
            address: Some("  某区人民路 1 号\r\n行政中心 3 楼 ".into()),
            postal_code: Some("100000".into()),
            office_hours: Some("工作日 9:00—12:00，13:30—17:30".into()),
            phone: Some("010-12345678".into()),
            fax: Some("".into()),
            email: Some("gongkai@example.gov.cn".into()),
            website: None,
        };
        let updated = organs
            .update_contact(&db.admin(), organ.id, &contact)
            .await
            .unwrap();
        assert_eq!(
            updated.contact.address.as_deref(),
            Some("某区人民路 1 号\n行政中心 3 楼")
        );
        assert_eq!(updated.contact.fax, None, "blank becomes none");
        assert_eq!(
            updated.updated_at,
            common::t0() + chrono::Duration::minutes(5)
        );
        assert_eq!(organs.get(organ.id).await.unwrap().unwrap(), updated);

        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                entity: Some("organ".into()),
                entity_id: Some(organ.id.to_string()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, 2);
        let last = &page.entries[0];
        assert_eq!(last.action, "organ.update_contact");
        assert_eq!(last.organ_id, Some(organ.id));
        assert_eq!(
            last.before.as_ref().unwrap()["phone"],
            serde_json::Value::Null
        );
        assert_eq!(last.after.as_ref().unwrap()["phone"], "010-12345678");

        // Invalid input: clear error, no write, no audit.
        let bad = OrganContact {
            phone: Some("1\u{0007}2".into()),
            ..OrganContact::default()
        };
        let err = organs
            .update_contact(&db.admin(), organ.id, &bad)
            .await
            .unwrap_err();
        assert!(matches!(
            err,
            StoreError::Invalid(ValidationError::ControlChars {
                field: "联系电话"
            })
        ));
        let err = organs
            .update_contact(&db.admin(), 777, &contact)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "机关", .. }));
        assert_eq!(db.count("audit_log").await, 2);
    })
    .await;
}

#[tokio::test]
async fn departments_create_list_rename() {
    each_backend(|db| async move {
        let organ = db.organ("某区人民政府办公室", None).await;
        let other = db.organ("某区发展和改革委员会", None).await;
        let depts = db.store.departments();
        let a = depts.create(&db.admin(), organ.id, "秘书科").await.unwrap();
        let b = depts
            .create(&db.admin(), organ.id, " 政务公开科 ")
            .await
            .unwrap();
        assert_eq!(b.name, "政务公开科");
        // Same name in another organ is fine.
        depts.create(&db.admin(), other.id, "秘书科").await.unwrap();

        let err = depts
            .create(&db.admin(), organ.id, "秘书科")
            .await
            .unwrap_err();
        assert!(matches!(&err, StoreError::DuplicateDepartment(n) if n == "秘书科"));
        assert_eq!(err.to_string(), "本机关已有名为“秘书科”的科室");

        let err = depts
            .create(&db.admin(), organ.id, "   ")
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), "科室名称不能为空");
        let err = depts.create(&db.admin(), 4242, "综合科").await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { what: "机关", .. }));

        let renamed = depts.rename(&db.admin(), a.id, "综合科").await.unwrap();
        assert_eq!(renamed.name, "综合科");
        let err = depts
            .rename(&db.admin(), a.id, "政务公开科")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::DuplicateDepartment(_)));

        let names: Vec<String> = depts
            .list(organ.id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names.len(), 2);
        assert!(names.contains(&"综合科".to_owned()));
        assert!(names.contains(&"政务公开科".to_owned()));
        assert_eq!(depts.get(a.id).await.unwrap().unwrap().name, "综合科");

        // 2 organs + 3 departments + 1 rename.
        assert_eq!(db.count("audit_log").await, 6);
        let rename = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("department.rename".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(rename.total, 1);
        assert_eq!(rename.entries[0].before.as_ref().unwrap()["name"], "秘书科");
        assert_eq!(rename.entries[0].after.as_ref().unwrap()["name"], "综合科");
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn identity_and_office_name_are_updated_and_audited() {
    each_backend(|db| async move {
        let organs = db.store.organs();
        let a = db.organ("某区司法局", None).await;
        let b = db.organ("某区民政局", None).await;
        let code = credit_code("11110105MB0000001");
        let renamed = organs
            .update_identity(&db.admin(), a.id, " 某区司法局（更名） ", Some(&code))
            .await
            .unwrap();
        assert_eq!(renamed.name, "某区司法局（更名）");
        assert_eq!(renamed.credit_code.as_ref(), Some(&code));
        let err = organs
            .update_identity(&db.admin(), b.id, "某区民政局", Some(&code))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::DuplicateCreditCode(_)), "{err}");
        let err = organs
            .update_identity(&db.admin(), b.id, "  ", None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("机关名称"), "{err}");

        let contact = OrganContact {
            office_name: Some("办公室".into()),
            ..OrganContact::default()
        };
        organs
            .update_contact(&db.admin(), a.id, &contact)
            .await
            .unwrap();
        let stored = organs.get(a.id).await.unwrap().unwrap();
        assert_eq!(stored.contact.office_name.as_deref(), Some("办公室"));
        assert_eq!(stored.name, "某区司法局（更名）");

        let page = db
            .store
            .audit()
            .list(&AuditFilter {
                organ_id: Some(a.id),
                action: Some("organ.update_identity".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(
            page.entries[0].before.as_ref().unwrap()["name"],
            "某区司法局"
        );
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}
