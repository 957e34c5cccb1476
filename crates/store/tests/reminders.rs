//! What the mail and reminder worker needs from the store: staff e-mail addresses, the users
//! holding a role, jobs enqueued inside a business transaction, claims limited to the kinds a
//! worker can run, and the open cases of every organ with their timelines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{TestDb, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{ApplicantType, Channel, ClockEvent, Outcome, ProvisionForm, ResidentIdNumber};
use gongkai_store::users::parse_email;
use gongkai_store::{
    Actor, AuditEntry, AuditFilter, Enqueued, NewApplication, NewJob, Role, RoleGrant, StoreError,
};
use serde_json::json;

const PASSWORD: &str = "Reminder-Test-2026";

fn application(received_on: NaiveDate) -> NewApplication {
    NewApplication {
        applicant_type: ApplicantType::NaturalPerson,
        applicant_name: "提醒测试申请人".into(),
        id_kind: "resident_id".into(),
        id_number: format!(
            "11010519491231002{}",
            ResidentIdNumber::check_char_for("11010519491231002").unwrap()
        ),
        phone: "13800138000".into(),
        email: "applicant@example.com".into(),
        address: String::new(),
        description: "提醒测试".into(),
        provision_form: ProvisionForm::Paper,
        delivery: String::new(),
        channel: Channel::InPerson,
        received_on,
    }
}

#[test]
fn email_addresses_are_trimmed_lower_cased_in_the_domain_and_refused_in_chinese() {
    assert_eq!(
        parse_email("  Zhang.San@Example.GOV.cn ").unwrap(),
        Some("Zhang.San@example.gov.cn".to_owned())
    );
    assert_eq!(parse_email("   ").unwrap(), None);
    for bad in [
        "zhangsan",
        "zhang san@example.cn",
        "a@b@example.cn",
        "@example.cn",
        "a@localhost",
        "a@-x.cn",
        "张三@example.cn",
        "a<b>@example.cn",
    ] {
        let err = parse_email(bad).unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{bad}: {err:?}");
        assert!(err.to_string().contains("电子邮箱"), "{bad}: {err}");
    }
    let long = format!("{}@example.cn", "a".repeat(300));
    assert!(parse_email(&long).unwrap_err().to_string().contains("254"));
}

#[tokio::test]
async fn a_user_email_is_stored_audited_reported_unchanged_and_cleared() {
    each_backend(|db: TestDb| async move {
        let organ = db.organ("某局", None).await;
        let user = db.user("mail.user", PASSWORD, organ.id).await;
        assert_eq!(user.email, None);
        let users = db.store.users();
        assert!(
            users
                .set_email(&db.admin(), user.id, Some("mail.user@Example.gov.cn"))
                .await
                .unwrap()
        );
        let stored = users.get(user.id).await.unwrap().unwrap();
        assert_eq!(stored.email.as_deref(), Some("mail.user@example.gov.cn"));
        // The same address again writes nothing.
        assert!(
            !users
                .set_email(&db.admin(), user.id, Some(" mail.user@example.gov.cn "))
                .await
                .unwrap()
        );
        let audited = db
            .store
            .audit()
            .list(&AuditFilter {
                action: Some("user.set_email".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(audited.total, 1);
        // A bad address is refused and nothing changes.
        assert!(
            users
                .set_email(&db.admin(), user.id, Some("not-an-address"))
                .await
                .is_err()
        );
        assert_eq!(
            users.get(user.id).await.unwrap().unwrap().email.as_deref(),
            Some("mail.user@example.gov.cn")
        );
        assert!(users.set_email(&db.admin(), user.id, None).await.unwrap());
        assert_eq!(users.get(user.id).await.unwrap().unwrap().email, None);
    })
    .await;
}

#[tokio::test]
async fn holding_role_finds_active_officers_and_only_the_handlers_of_the_department() {
    each_backend(|db: TestDb| async move {
        let organ = db.organ("某街道", None).await;
        let other = db.organ("另一街道", None).await;
        let a = Actor::system();
        let dept = db
            .store
            .departments()
            .create(&a, organ.id, "社会事务办公室")
            .await
            .unwrap();
        let dept2 = db
            .store
            .departments()
            .create(&a, organ.id, "城市管理办公室")
            .await
            .unwrap();
        let officer = db.user("officer.a", PASSWORD, organ.id).await;
        let retired = db.user("officer.b", PASSWORD, organ.id).await;
        let handler = db.user("handler.a", PASSWORD, organ.id).await;
        let handler2 = db.user("handler.b", PASSWORD, organ.id).await;
        let elsewhere = db.user("officer.c", PASSWORD, other.id).await;
        let users = db.store.users();
        let grant = |organ_id, role, department_id| RoleGrant {
            organ_id,
            role,
            department_id,
        };
        for (u, g) in [
            (officer.id, grant(organ.id, Role::Officer, None)),
            (retired.id, grant(organ.id, Role::Officer, None)),
            (handler.id, grant(organ.id, Role::Handler, Some(dept.id))),
            (handler2.id, grant(organ.id, Role::Handler, Some(dept2.id))),
            (elsewhere.id, grant(other.id, Role::Officer, None)),
        ] {
            users.grant_role(&a, u, &g).await.unwrap();
        }
        users.deactivate(&a, retired.id).await.unwrap();

        let ids = |v: Vec<gongkai_store::User>| v.into_iter().map(|u| u.id).collect::<Vec<_>>();
        assert_eq!(
            ids(users
                .holding_role(organ.id, Role::Officer, None)
                .await
                .unwrap()),
            vec![officer.id],
            "deactivated and other organs' officers are left out"
        );
        assert_eq!(
            ids(users
                .holding_role(organ.id, Role::Handler, Some(dept.id))
                .await
                .unwrap()),
            vec![handler.id]
        );
        assert_eq!(
            ids(users
                .holding_role(organ.id, Role::Handler, None)
                .await
                .unwrap()),
            vec![handler.id, handler2.id]
        );
    })
    .await;
}

#[tokio::test]
async fn a_job_enqueued_in_a_business_transaction_exists_only_if_it_commits() {
    each_backend(|db: TestDb| async move {
        let organ = db.organ("某局", None).await;
        let job = NewJob::new("mail.send", json!({"to": "a@example.cn"})).dedup_key("confirm-1");

        let mut tx = db.store.begin(&db.admin()).await.unwrap();
        let queued = gongkai_store::jobs::enqueue(&mut tx, &job).await.unwrap();
        assert!(matches!(queued, Enqueued::Created(_)));
        tx.rollback().await.unwrap();
        assert_eq!(
            db.count("jobs").await,
            0,
            "rolled back with its transaction"
        );

        let mut tx = db.store.begin(&db.admin()).await.unwrap();
        let first = gongkai_store::jobs::enqueue(&mut tx, &job).await.unwrap();
        let again = gongkai_store::jobs::enqueue(&mut tx, &job).await.unwrap();
        assert_eq!(again, Enqueued::Duplicate(first.id()));
        tx.audit(AuditEntry::new("test.step", "organ", organ.id))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(db.count("jobs").await, 1);
    })
    .await;
}

#[tokio::test]
async fn a_worker_claims_only_the_kinds_it_names() {
    each_backend(|db: TestDb| async move {
        let jobs = db.store.jobs();
        let reindex = jobs
            .enqueue(&NewJob::new("reindex", json!(null)))
            .await
            .unwrap();
        let mail = jobs
            .enqueue(&NewJob::new("mail.send", json!({"to": "a@example.cn"})))
            .await
            .unwrap();
        let lease = Duration::minutes(5);
        assert!(
            jobs.claim_due_of(&["report.build"], lease)
                .await
                .unwrap()
                .is_none()
        );
        let claimed = jobs
            .claim_due_of(&["mail.send", "report.build"], lease)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            claimed.id,
            mail.id(),
            "the older reindex job is not its kind"
        );
        assert!(
            jobs.claim_due_of(&["mail.send"], lease)
                .await
                .unwrap()
                .is_none()
        );
        // No kinds named: any kind.
        let any = jobs.claim_due(lease).await.unwrap().unwrap();
        assert_eq!(any.id, reindex.id());
    })
    .await;
}

#[tokio::test]
async fn open_timelines_page_through_the_open_cases_of_every_organ_with_their_events() {
    each_backend(|db: TestDb| async move {
        let calendar = Calendar::official();
        let a = db.organ("甲局", None).await;
        let b = db.organ("乙局", None).await;
        let received = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let apps = db.store.applications();
        let mut ids = Vec::new();
        for organ in [a.id, b.id, a.id] {
            let (app, _) = apps
                .create(&db.admin(), organ, &application(received), &calendar)
                .await
                .unwrap();
            ids.push(app.id);
        }
        // The second case gets an extension, the third is replied: closed, left out.
        apps.record_event(
            &db.admin(),
            ids[1],
            ClockEvent::Extension {
                on: received + Duration::days(3),
                working_days: 5,
                approver: "主任".into(),
            },
            1,
            &calendar,
        )
        .await
        .unwrap();
        apps.record_event(
            &db.admin(),
            ids[2],
            ClockEvent::Replied {
                on: received + Duration::days(3),
                outcome: Outcome::Granted,
            },
            1,
            &calendar,
        )
        .await
        .unwrap();

        let first = apps.open_timelines(0, 1).await.unwrap();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].application.id, ids[0]);
        assert_eq!(first[0].events.len(), 1);
        let rest = apps.open_timelines(ids[0], 10).await.unwrap();
        assert_eq!(rest.len(), 1, "the replied case is not open");
        assert_eq!(rest[0].application.id, ids[1]);
        assert_eq!(rest[0].application.organ_id, b.id);
        assert!(matches!(rest[0].events[1], ClockEvent::Extension { .. }));
        assert!(apps.open_timelines(ids[1], 10).await.unwrap().is_empty());
    })
    .await;
}
