//! Disclosure applications (依申请公开): intake with the Art 29 content, the timeline replayed by
//! the law crate's clock on every step (Arts 30–33), refusals that write nothing, optimistic
//! versions and row locks under concurrency, the applicant's tracking lookup, masking — on
//! SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use chrono::{NaiveDate, TimeZone, Utc};
use common::{TestDb, each_backend};
use gongkai_calendar::Calendar;
use gongkai_law::{
    ApplicantType, Channel, ClockEvent, ClockStatus, Outcome, ProvisionForm, ResidentIdNumber,
};
use gongkai_store::{Actor, Application, NewApplication, StoreError};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Puts the store's clock on `day`, 10:00 in Beijing.
fn at(db: &TestDb, day: &str) {
    let day = d(day);
    db.clock
        .set(Utc.from_utc_datetime(&day.and_hms_opt(2, 0, 0).unwrap()));
}

fn resident_id(body: &str) -> String {
    format!("{body}{}", ResidentIdNumber::check_char_for(body).unwrap())
}

fn person(received_on: &str) -> NewApplication {
    NewApplication {
        applicant_type: ApplicantType::NaturalPerson,
        applicant_name: "张三".to_owned(),
        id_kind: "resident_id".to_owned(),
        id_number: resident_id("11010519491231002"),
        phone: "13812345678".to_owned(),
        email: "zhangsan@example.com".to_owned(),
        address: "北京市朝阳区某路1号".to_owned(),
        description: "2024年某街道老旧小区改造项目的批复文件".to_owned(),
        provision_form: ProvisionForm::Electronic,
        delivery: "电子邮件".to_owned(),
        channel: Channel::InPerson,
        received_on: d(received_on),
    }
}

async fn events_of(db: &TestDb, id: i64) -> Vec<ClockEvent> {
    db.store
        .applications()
        .events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

fn today(db: &TestDb) -> NaiveDate {
    (db.store.now() + chrono::Duration::hours(8)).date_naive()
}

/// The cached columns equal the law crate's evaluation of the stored events.
async fn assert_matches_law(db: &TestDb, app: &Application, cal: &Calendar) {
    let events = events_of(db, app.id).await;
    let law = gongkai_law::evaluate(&events, today(db), cal).unwrap();
    assert_eq!(app.state, law.status);
    assert_eq!(app.due_on, law.due_date);
    assert_eq!(app.outcome, law.outcome);
    let clock = db
        .store
        .applications()
        .clock(app.id, cal)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(clock, law);
}

fn staff(db: &TestDb) -> Actor {
    db.admin()
}

#[tokio::test]
async fn create_computes_the_due_date_with_the_law_clock() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某街道办事处", None).await;
        let (app, secret) = db
            .store
            .applications()
            .create(&staff(&db), organ.id, &person("2025-01-20"), &cal)
            .await
            .unwrap();
        // Vector: received Monday 2025-01-20; 20 working days across the Spring Festival.
        assert_eq!(app.due_on, Some(d("2025-02-21")));
        assert_eq!(app.state, ClockStatus::Running);
        assert_eq!(app.version, 1);
        let first = ClockEvent::Received {
            on: d("2025-01-20"),
            channel: Channel::InPerson,
        };
        assert_eq!(events_of(&db, app.id).await, vec![first.clone()]);
        let law = gongkai_law::evaluate(&[first], today(&db), &cal).unwrap();
        assert_eq!(app.due_on, law.due_date);
        assert_matches_law(&db, &app, &cal).await;

        // The tracking number's shape; the secret is not stored, only its hash.
        assert!(app.tracking_no.starts_with("YSQ2025"));
        assert_eq!(app.tracking_no.len(), 13);
        assert_eq!(secret.len(), 16);
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        let stored: String = sqlx::query_scalar("SELECT secret_hash FROM applications")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_ne!(stored, secret);
        assert_eq!(stored.len(), 64);

        // The right secret finds it (case-insensitively typed); anything else finds nothing.
        let apps = db.store.applications();
        assert_eq!(
            apps.by_tracking(&app.tracking_no, &secret).await.unwrap(),
            Some(app.clone())
        );
        assert_eq!(
            apps.by_tracking(&app.tracking_no.to_lowercase(), &secret.to_lowercase())
                .await
                .unwrap()
                .map(|a| a.id),
            Some(app.id)
        );
        assert_eq!(
            apps.by_tracking(&app.tracking_no, "WRONGSECRET23456")
                .await
                .unwrap(),
            None
        );
        assert_eq!(apps.by_tracking(&app.tracking_no, "").await.unwrap(), None);
        assert_eq!(
            apps.by_tracking("YSQ2025ZZZZZZ", &secret).await.unwrap(),
            None
        );

        // The open list shows it with the clock and masked personal data.
        let page = apps.list_open(organ.id, 1, 20, &cal).await.unwrap();
        assert_eq!(page.total, 1);
        let line = &page.cases[0];
        assert_eq!(line.case.id, app.id);
        assert_eq!(line.clock.due_date, Some(d("2025-02-21")));
        assert!(line.clock.overdue, "today (2026) is after the due date");
        assert_eq!(
            line.case.id_number_masked,
            "110105********002X".replace('X', &app.id_number[17..])
        );
        assert_eq!(line.case.phone_masked, "138****5678");
        assert_eq!(line.case.email_masked, "z***@example.com");
        let json = serde_json::to_string(&page).unwrap();
        assert!(!json.contains(&app.id_number));
        assert!(!json.contains("13812345678"));
        assert!(!json.contains("zhangsan@"));

        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn correction_extension_reply_lifecycle() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某区住建局", None).await;
        let apps = db.store.applications();
        let actor = staff(&db);
        at(&db, "2025-01-20");
        let (app, _) = apps
            .create(&actor, organ.id, &person("2025-01-20"), &cal)
            .await
            .unwrap();

        // Art 30: 补正告知 within 7 working days; the reply clock stops.
        at(&db, "2025-01-22");
        let (app, clock) = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::CorrectionNotice {
                    on: d("2025-01-22"),
                    period_working_days: 10,
                },
                1,
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(app.version, 2);
        assert_eq!(clock.status, ClockStatus::AwaitingCorrection);
        assert_eq!(app.state, ClockStatus::AwaitingCorrection);
        assert_eq!(app.due_on, None);
        assert_matches_law(&db, &app, &cal).await;

        // Art 30: the period restarts from the corrected application.
        at(&db, "2025-01-27");
        let (app, clock) = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::CorrectedReceived {
                    on: d("2025-01-27"),
                },
                2,
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(clock.status, ClockStatus::Running);
        assert_eq!(clock.received_on, d("2025-01-27"));
        assert_matches_law(&db, &app, &cal).await;
        let before_extension = app.due_on.unwrap();

        // Art 33 ¶2: extension of up to 20 working days.
        at(&db, "2025-02-10");
        let (app, clock) = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::Extension {
                    on: d("2025-02-10"),
                    working_days: 20,
                    approver: "政务公开办主任".to_owned(),
                },
                3,
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(clock.extension_working_days, 20);
        assert_eq!(
            app.due_on,
            Some(cal.add_working_days(before_extension, 20).unwrap())
        );
        assert_matches_law(&db, &app, &cal).await;

        // Assignment to a 科室, with an internal date before the statutory one.
        let dept = db
            .store
            .departments()
            .create(&actor, organ.id, "城建科")
            .await
            .unwrap();
        let app = apps
            .assign(&actor, app.id, Some(dept.id), Some(d("2025-03-05")))
            .await
            .unwrap();
        assert_eq!(app.department_id, Some(dept.id));
        assert_eq!(app.internal_due_on, Some(d("2025-03-05")));
        assert_eq!(app.version, 5);
        let late = apps
            .assign(&actor, app.id, Some(dept.id), Some(d("2025-12-31")))
            .await
            .unwrap_err();
        assert!(late.to_string().contains("条例第三十三条"), "{late}");
        let other = db.organ("另一机关", None).await;
        let foreign = db
            .store
            .departments()
            .create(&actor, other.id, "办公室")
            .await
            .unwrap();
        let err = apps
            .assign(&actor, app.id, Some(foreign.id), None)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不属于该机关"), "{err}");

        // The reply closes the case and leaves the open list.
        at(&db, "2025-03-10");
        let (app, clock) = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::Replied {
                    on: d("2025-03-10"),
                    outcome: Outcome::Granted,
                },
                5,
                &cal,
            )
            .await
            .unwrap();
        assert_eq!(clock.status, ClockStatus::Replied);
        assert!(!clock.replied_late);
        assert_eq!(app.state, ClockStatus::Replied);
        assert_eq!(app.outcome, Some(Outcome::Granted));
        assert_eq!(app.closed_on, Some(d("2025-03-10")));
        assert_eq!(app.version, 6);
        assert_matches_law(&db, &app, &cal).await;
        let events = apps.events(app.id).await.unwrap();
        assert_eq!(
            events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![1, 2, 3, 4, 5]
        );
        assert_eq!(events[4].occurred_on, d("2025-03-10"));
        assert_eq!(
            apps.list_open(organ.id, 1, 20, &cal).await.unwrap().total,
            0
        );

        let report = db.store.verify_audit_chain().await.unwrap();
        assert!(report.is_ok());
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&db.url)
            .await
            .unwrap();
        let actions: Vec<String> = sqlx::query_scalar(
            "SELECT action FROM audit_log WHERE entity = 'application' ORDER BY seq",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert_eq!(
            actions,
            vec![
                "application.create",
                "application.event",
                "application.event",
                "application.event",
                "application.assign",
                "application.event",
            ]
        );
    })
    .await;
}

#[tokio::test]
async fn impossible_timelines_and_stale_versions_write_nothing() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某镇人民政府", None).await;
        let apps = db.store.applications();
        let actor = staff(&db);
        let (app, _) = apps
            .create(&actor, organ.id, &person("2025-01-20"), &cal)
            .await
            .unwrap();
        let (app, _) = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::Extension {
                    on: d("2025-02-10"),
                    working_days: 20,
                    approver: "主任".to_owned(),
                },
                1,
                &cal,
            )
            .await
            .unwrap();
        let audit_before = db.count("audit_log").await;
        let events_before = db.count("application_events").await;

        let refused = [
            // A reply before the receipt (Art 31 fixes the first day).
            (
                ClockEvent::Replied {
                    on: d("2025-01-10"),
                    outcome: Outcome::Granted,
                },
                "早于收到申请之日",
            ),
            // A second extension: Art 33 ¶2 allows 20 working days in all.
            (
                ClockEvent::Extension {
                    on: d("2025-02-12"),
                    working_days: 5,
                    approver: "主任".to_owned(),
                },
                "条例第三十三条第二款",
            ),
            // A second receipt.
            (
                ClockEvent::Received {
                    on: d("2025-02-12"),
                    channel: Channel::Email,
                },
                "收到申请",
            ),
        ];
        for (event, says) in refused {
            let err = apps
                .record_event(&actor, app.id, event.clone(), app.version, &cal)
                .await
                .unwrap_err();
            assert!(matches!(err, StoreError::Rule(_)), "{event:?}: {err:?}");
            assert!(!err.is_internal());
            assert!(err.to_string().contains(says), "{err}");
            assert!(
                err.to_string()
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "Chinese message: {err}"
            );
        }

        // Stale: the officer saw version 1, the case is at 2.
        let err = apps
            .record_event(
                &actor,
                app.id,
                ClockEvent::Replied {
                    on: d("2025-02-20"),
                    outcome: Outcome::Granted,
                },
                1,
                &cal,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::StaleVersion { current: 2 }),
            "{err:?}"
        );

        // Nothing was written by any refusal.
        assert_eq!(db.count("audit_log").await, audit_before);
        assert_eq!(db.count("application_events").await, events_before);
        let now = apps.get(app.id).await.unwrap().unwrap();
        assert_eq!(now, app);
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());

        // Unknown case.
        let err = apps
            .record_event(
                &actor,
                999_999,
                ClockEvent::Withdrawn {
                    on: d("2025-02-20"),
                },
                1,
                &cal,
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_steps_on_one_case_serialise() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某区财政局", None).await;
        let actor = staff(&db);
        let store_b = db.another_store().await;
        // Several rounds: the race is decided by scheduling, the invariant must hold each time.
        for _ in 0..5 {
            let (app, _) = db
                .store
                .applications()
                .create(&actor, organ.id, &person("2025-01-20"), &cal)
                .await
                .unwrap();
            // Two officers each grant a 20-day extension, both from version 1: each alone is
            // lawful, together they exceed Art 33 ¶2. Exactly one may win.
            let ext = |who: &str| ClockEvent::Extension {
                on: d("2025-02-10"),
                working_days: 20,
                approver: who.to_owned(),
            };
            let (ea, eb) = (ext("甲"), ext("乙"));
            let (sa, sb) = (db.store.clone(), store_b.clone());
            let (ca, cb) = (cal.clone(), cal.clone());
            let (aa, ab) = (actor.clone(), actor.clone());
            let id = app.id;
            let a =
                tokio::spawn(
                    async move { sa.applications().record_event(&aa, id, ea, 1, &ca).await },
                );
            let b =
                tokio::spawn(
                    async move { sb.applications().record_event(&ab, id, eb, 1, &cb).await },
                );
            let results = [a.await.unwrap(), b.await.unwrap()];
            let ok = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(ok, 1, "{results:?}");
            for r in &results {
                if let Err(e) = r {
                    assert!(
                        matches!(e, StoreError::StaleVersion { current: 2 }),
                        "{e:?}"
                    );
                }
            }
            let events = events_of(&db, app.id).await;
            assert_eq!(events.len(), 2);
            let state = gongkai_law::evaluate(&events, today(&db), &cal).unwrap();
            assert_eq!(state.extension_working_days, 20);
            let app = db.store.applications().get(app.id).await.unwrap().unwrap();
            assert_eq!(app.version, 2);
            assert_matches_law(&db, &app, &cal).await;
        }
        assert!(db.store.verify_audit_chain().await.unwrap().is_ok());
    })
    .await;
}

#[tokio::test]
async fn tracking_numbers_are_unique_and_unambiguous() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某县人民政府办公室", None).await;
        let actor = Actor::anonymous(None);
        let mut seen = BTreeSet::new();
        let mut secrets = BTreeSet::new();
        for _ in 0..200 {
            let mut new = person("2025-03-03");
            new.channel = Channel::Online;
            let (app, secret) = db
                .store
                .applications()
                .create(&actor, organ.id, &new, &cal)
                .await
                .unwrap();
            let random = app.tracking_no.strip_prefix("YSQ2025").unwrap();
            assert_eq!(random.len(), 6);
            assert!(
                random
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() && c.is_ascii_uppercase()
                        || c.is_ascii_digit())
            );
            assert!(!random.contains(['0', 'O', '1', 'I']), "{random}");
            assert!(seen.insert(app.tracking_no));
            assert!(secrets.insert(secret));
        }
        assert_eq!(db.count("applications").await, 200);
        let page = db
            .store
            .applications()
            .list_open(organ.id, 2, 50, &cal)
            .await
            .unwrap();
        assert_eq!(page.total, 200);
        assert_eq!(page.cases.len(), 50);
    })
    .await;
}

#[tokio::test]
async fn invalid_applications_are_refused_in_chinese() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某区司法局", None).await;
        let apps = db.store.applications();
        let actor = staff(&db);

        // Wrong check digit of a 居民身份证.
        let mut bad = person("2025-01-20");
        let good = resident_id("11010519491231002");
        let wrong = if good.ends_with('1') { '2' } else { '1' };
        bad.id_number = format!("{}{wrong}", &good[..17]);
        let err = apps.create(&actor, organ.id, &bad, &cal).await.unwrap_err();
        assert!(!err.is_internal());
        assert!(err.to_string().contains("身份证"), "{err}");

        let mut short = person("2025-01-20");
        short.id_number = "1101051949".to_owned();
        let err = apps
            .create(&actor, organ.id, &short, &cal)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("18位"), "{err}");

        // Art 29 ¶2(2): a description is required.
        let mut empty = person("2025-01-20");
        empty.description = "   ".to_owned();
        let err = apps
            .create(&actor, organ.id, &empty, &cal)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不能为空"), "{err}");

        let mut long = person("2025-01-20");
        long.applicant_name = "张".repeat(101);
        let err = apps
            .create(&actor, organ.id, &long, &cal)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("不能超过"), "{err}");

        // Art 29 ¶2(1): some contact.
        let mut nocontact = person("2025-01-20");
        nocontact.phone.clear();
        nocontact.email.clear();
        nocontact.address.clear();
        let err = apps
            .create(&actor, organ.id, &nocontact, &cal)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("联系方式"), "{err}");

        // An organisation identifies itself by its 统一社会信用代码.
        let mut org = person("2025-01-20");
        org.applicant_type = ApplicantType::CommercialEnterprise;
        org.id_kind = "credit_code".to_owned();
        org.id_number = "91110000XXXXXXXXXX".to_owned();
        assert!(apps.create(&actor, organ.id, &org, &cal).await.is_err());
        org.id_number = common::credit_code("91110105MA01ABCD1").to_string();
        let (created, _) = apps.create(&actor, organ.id, &org, &cal).await.unwrap();
        assert_eq!(created.id_kind, "credit_code");
        assert_eq!(created.summary().id_number_masked, created.id_number);

        // A receipt date after today is refused by the clock.
        let mut future = person("2026-12-01");
        future.channel = Channel::PostSigned;
        let err = apps
            .create(&actor, organ.id, &future, &cal)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Rule(_)), "{err:?}");

        // Only the one valid organisation was stored.
        assert_eq!(db.count("applications").await, 1);
        assert_eq!(db.count("application_events").await, 1);
    })
    .await;
}

/// 109号 Art 4 counts an applicant's applications per natural month: the count starts again on
/// the 1st, follows the receipt date (not the registration order across days), and other
/// applicants do not count.
#[tokio::test]
async fn the_per_piece_count_is_per_applicant_and_natural_month() {
    each_backend(|db: TestDb| async move {
        let org = db.organ("某街道办事处", None).await.id;
        let cal = Calendar::official();
        at(&db, "2026-03-02");
        let apps = db.store.applications();
        let actor = staff(&db);
        // Registered out of order: the 31 Jan letter is entered after the 30 Jan one.
        let (jan30, _) = apps
            .create(&actor, org, &person("2026-01-30"), &cal)
            .await
            .unwrap();
        let (feb2, _) = apps
            .create(&actor, org, &person("2026-02-02"), &cal)
            .await
            .unwrap();
        let (jan31, _) = apps
            .create(&actor, org, &person("2026-01-31"), &cal)
            .await
            .unwrap();
        let mut other = person("2026-01-30");
        other.id_number = resident_id("11010519800101001");
        let (someone_else, _) = apps.create(&actor, org, &other, &cal).await.unwrap();
        assert_eq!(apps.nth_in_month(jan30.id).await.unwrap(), 1);
        assert_eq!(apps.nth_in_month(jan31.id).await.unwrap(), 2);
        assert_eq!(apps.nth_in_month(feb2.id).await.unwrap(), 1);
        assert_eq!(apps.nth_in_month(someone_else.id).await.unwrap(), 1);
    })
    .await;
}

/// Art 36(6): an earlier application is offered as the one repeated only once it was answered
/// (a withdrawal is no answer) and only for the same applicant.
#[tokio::test]
async fn repeat_matches_need_an_earlier_answer_by_the_same_applicant() {
    each_backend(|db: TestDb| async move {
        let org = db.organ("某街道办事处", None).await.id;
        let cal = Calendar::official();
        at(&db, "2026-03-02");
        let apps = db.store.applications();
        let actor = staff(&db);
        let (answered, _) = apps
            .create(&actor, org, &person("2026-01-05"), &cal)
            .await
            .unwrap();
        let (withdrawn, _) = apps
            .create(&actor, org, &person("2026-01-06"), &cal)
            .await
            .unwrap();
        apps.record_event(
            &actor,
            answered.id,
            ClockEvent::Replied {
                on: d("2026-01-20"),
                outcome: Outcome::Granted,
            },
            answered.version,
            &cal,
        )
        .await
        .unwrap();
        apps.record_event(
            &actor,
            withdrawn.id,
            ClockEvent::Withdrawn {
                on: d("2026-01-21"),
            },
            withdrawn.version,
            &cal,
        )
        .await
        .unwrap();
        let (again, _) = apps
            .create(&actor, org, &person("2026-02-10"), &cal)
            .await
            .unwrap();
        let found = apps.repeat_matches(again.id, 60).await.unwrap();
        assert_eq!(
            found.iter().map(|m| m.id).collect::<Vec<_>>(),
            vec![answered.id]
        );
        assert_eq!(found[0].percent, 100);
        let mut other = person("2026-02-10");
        other.id_number = resident_id("11010519800101001");
        let (stranger, _) = apps.create(&actor, org, &other, &cal).await.unwrap();
        assert!(
            apps.repeat_matches(stranger.id, 60)
                .await
                .unwrap()
                .is_empty()
        );
    })
    .await;
}

/// What the annual report reads for a case: its receipt date, closing date and table-三 row.
fn report_facts(case: &gongkai_store::applications::ReportCase) -> (i64, String, String, String) {
    (
        case.id,
        case.received_on.to_string(),
        format!("{:?}", case.closed_on),
        format!("{:?}", case.result_row),
    )
}

/// Issue 7: a case closed by a reply or a withdrawal is read for the report from its cached row
/// (`closed_on`, `result_row`); every other case — open, or abandoned without a filing event — is
/// replayed. Both reads give what the law crate's clock
/// says of the stored events, and the year's cases are the same whichever way they were read.
#[tokio::test]
async fn report_cases_come_from_the_cached_row_or_the_replayed_clock_alike() {
    each_backend(|db| async move {
        let cal = Calendar::official();
        let organ = db.organ("某街道办事处", None).await;
        let actor = staff(&db);
        let apps = db.store.applications();
        at(&db, "2025-03-03");
        let mut ids = Vec::new();
        for received in [
            "2024-12-02",
            "2025-01-06",
            "2025-01-13",
            "2025-02-10",
            "2025-02-17",
        ] {
            let (app, _) = apps
                .create(&actor, organ.id, &person(received), &cal)
                .await
                .unwrap();
            ids.push(app.id);
        }
        let step = async |id: i64, event: ClockEvent, version: i64| {
            apps.record_event(&actor, id, event, version, &cal)
                .await
                .unwrap()
        };
        // Replied (granted), carried over from 2024.
        step(
            ids[0],
            ClockEvent::Replied {
                on: d("2025-01-10"),
                outcome: Outcome::Granted,
            },
            1,
        )
        .await;
        // Withdrawn.
        step(
            ids[1],
            ClockEvent::Withdrawn {
                on: d("2025-01-20"),
            },
            1,
        )
        .await;
        // Abandoned: a correction notice whose 5 working days lapse without an answer.
        step(
            ids[2],
            ClockEvent::CorrectionNotice {
                on: d("2025-01-14"),
                period_working_days: 5,
            },
            1,
        )
        .await;
        // Replied (not this organ: counted as 本机关不掌握).
        step(
            ids[3],
            ClockEvent::Replied {
                on: d("2025-02-12"),
                outcome: Outcome::NotThisOrgan,
            },
            1,
        )
        .await;
        // ids[4] stays open.

        let cached: Vec<(i64, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT id, closed_on, result_row FROM applications ORDER BY id")
                .fetch_all(db.store.raw_pool())
                .await
                .unwrap();
        let row_of = |id: i64| cached.iter().find(|c| c.0 == id).unwrap().clone();
        assert_eq!(
            row_of(ids[0]),
            (
                ids[0],
                Some("2025-01-10".to_owned()),
                Some("granted".to_owned())
            )
        );
        assert_eq!(row_of(ids[1]).2.as_deref(), Some("other_other"));
        assert_eq!(
            row_of(ids[2]),
            (ids[2], None, None),
            "abandoned: nothing cached"
        );
        assert_eq!(row_of(ids[3]).2.as_deref(), Some("unable_not_held"));
        assert_eq!(row_of(ids[4]), (ids[4], None, None), "open: nothing cached");

        let cases = apps.report_cases(organ.id, 2025, &cal).await.unwrap();
        let mut expected = Vec::new();
        for id in &ids {
            let law = gongkai_law::evaluate(&events_of(&db, *id).await, today(&db), &cal).unwrap();
            expected.push((
                *id,
                law.first_received_on.to_string(),
                format!("{:?}", law.closed_on),
                format!("{:?}", law.result_row),
            ));
        }
        assert_eq!(cases.iter().map(report_facts).collect::<Vec<_>>(), expected);
        assert!(
            cases[2].closed_on.is_some(),
            "the clock closes the abandoned case on the lapse of its period"
        );
        assert_eq!(cases[4].closed_on, None);

        // A case closed before the year is not read at all; the year after sees only the one
        // still open and the abandoned one (replayed: the clock says it closed in 2025).
        let next = apps.report_cases(organ.id, 2026, &cal).await.unwrap();
        assert_eq!(
            next.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![ids[2], ids[4]]
        );
    })
    .await;
}

/// The migration that added `result_row` filled it for the cases already closed, from their
/// cached outcome: for every outcome and for a withdrawal, its statement gives what the store
/// caches when the closing event is recorded (the law crate's `Outcome::table3_row`).
#[tokio::test]
async fn the_result_row_migration_fills_closed_cases_as_the_clock_would() {
    const MIGRATION: &str =
        include_str!("../migrations/sqlite/20261203000001_application_result_row.sql");
    // The statements without their comment lines (comments may hold semicolons).
    let statements: String = MIGRATION
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    let backfill = statements
        .split(';')
        .map(|s| s.trim().to_owned())
        .find(|s| s.starts_with("UPDATE applications SET result_row"))
        .expect("the migration fills result_row");
    each_backend(|db| {
        let backfill = backfill.clone();
        async move {
            let cal = Calendar::official();
            let organ = db.organ("某街道办事处", None).await;
            let actor = staff(&db);
            let apps = db.store.applications();
            at(&db, "2025-03-03");
            let mut expected = Vec::new();
            let mut replied_with = Vec::new();
            for outcome in Outcome::ALL {
                if matches!(
                    outcome,
                    Outcome::OtherOverdueCorrection | Outcome::OtherOverdueFee
                ) {
                    // Reached by the clock on an applicant's lapse, never by a reply.
                    continue;
                }
                let (app, _) = apps
                    .create(&actor, organ.id, &person("2025-02-03"), &cal)
                    .await
                    .unwrap();
                let replied = apps
                    .record_event(
                        &actor,
                        app.id,
                        ClockEvent::Replied {
                            on: d("2025-02-10"),
                            outcome,
                        },
                        1,
                        &cal,
                    )
                    .await;
                if replied.is_err() {
                    // Refused in this order (e.g. 经补正仍不明确 needs a 补正 first): still open.
                    expected.push((app.id, None));
                    continue;
                }
                replied_with.push(outcome);
                expected.push((app.id, Some(outcome.table3_row().key().to_owned())));
            }
            let (withdrawn, _) = apps
                .create(&actor, organ.id, &person("2025-02-03"), &cal)
                .await
                .unwrap();
            apps.record_event(
                &actor,
                withdrawn.id,
                ClockEvent::Withdrawn {
                    on: d("2025-02-05"),
                },
                1,
                &cal,
            )
            .await
            .unwrap();
            expected.push((withdrawn.id, Some("other_other".to_owned())));
            let (open, _) = apps
                .create(&actor, organ.id, &person("2025-02-03"), &cal)
                .await
                .unwrap();
            expected.push((open.id, None));
            assert!(
                replied_with.len() >= 15
                    && replied_with.contains(&Outcome::AlreadyPublic)
                    && replied_with.contains(&Outcome::NotThisOrgan),
                "the outcomes whose key is not their row's are covered: {replied_with:?}"
            );

            let read = async || -> Vec<(i64, Option<String>)> {
                sqlx::query_as("SELECT id, result_row FROM applications ORDER BY id")
                    .fetch_all(db.store.raw_pool())
                    .await
                    .unwrap()
            };
            assert_eq!(read().await, expected, "what the store caches");
            sqlx::query("UPDATE applications SET result_row = NULL")
                .execute(db.store.raw_pool())
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(backfill))
                .execute(db.store.raw_pool())
                .await
                .unwrap();
            assert_eq!(read().await, expected, "what the migration fills");
        }
    })
    .await;
}
